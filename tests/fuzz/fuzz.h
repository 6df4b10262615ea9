/*
 * fuzz: what a fuzz harness exports, for libFuzzer and for the plain
 * driver alike.  Invariants are checked with FUZZ_ASSERT, which prints the
 * failed expression and abort()s, so either runner sees a crash.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* libFuzzer's entry point: one input, returns 0. */
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);
/* The harness's name ("line", "frame"), for the driver's messages. */
extern const char fuzz_name[];

#define FUZZ_ASSERT(e)	((e) ? (void)0 : fuzz_fail(#e, __FILE__, __LINE__))

static inline void
fuzz_fail(const char *expr, const char *file, int line)
{
	fprintf(stderr, "%s:%d: invariant failed: %s\n", file, line, expr);
	abort();
}

/*
 * The chunking of an input: a xorshift generator seeded from the input
 * itself, so a crash replays from the input alone.
 */
struct fuzz_chunks {
	uint32_t	s;
};

static inline void
fuzz_chunks_init(struct fuzz_chunks *c, uint32_t seed)
{
	c->s = seed * 2654435761u + 0x9e3779b9u;
	if (c->s == 0)
		c->s = 1;
}

/* The next chunk size: mostly 0..16 bytes, now and then up to 1023. */
static inline size_t
fuzz_chunk(struct fuzz_chunks *c)
{
	uint32_t	x = c->s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	c->s = x;
	if ((x >> 24) % 8 == 0)
		return x % 1024;
	return x % 17;
}

#endif
