/*
 * fuzz_line: the line-mode decoder against arbitrary bytes.  Input byte 0
 * picks the line cap, byte 1 the chunking, the rest is the stream.  It is
 * decoded whole, one byte at a time and in pseudo-random chunks; every
 * call's result must be sane and the three decodings identical.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "line.h"

const char fuzz_name[] = "line";

/* What a decoding produced: every line, each followed by '\n'. */
struct result {
	unsigned char	*log;
	size_t		 len;
	int		 too_long;	/* ended with LINE_TOO_LONG */
	size_t		 consumed;	/* bytes used before that */
	int		 tail;		/* line_finish found a last line */
};

static void
record(struct result *r, const struct line_decoder *d)
{
	size_t	i;

	FUZZ_ASSERT(d->len <= d->max);
	for (i = 0; i < d->len; i++)
		FUZZ_ASSERT(d->line[i] != '\n' && d->line[i] != '\r');
	memcpy(r->log + r->len, d->line, d->len);
	r->len += d->len;
	r->log[r->len++] = '\n';
}

/* Feed one chunk in[0..n) (an exact-size heap copy) until used up. */
static void
feed(struct line_decoder *d, struct result *r, const unsigned char *in,
    size_t n)
{
	enum line_status	 st;
	size_t			 used;

	do {
		used = (size_t)-1;
		st = line_feed(d, in, n, &used);
		FUZZ_ASSERT(used <= n);
		FUZZ_ASSERT(d->len <= d->max);
		switch (st) {
		case LINE_MORE:
			FUZZ_ASSERT(used == n);
			break;
		case LINE_READY:
			FUZZ_ASSERT(used > 0);
			record(r, d);
			break;
		case LINE_TOO_LONG:
			FUZZ_ASSERT(used < n);
			FUZZ_ASSERT(d->len == d->max);
			r->too_long = 1;
			break;
		default:
			FUZZ_ASSERT(!"line_feed returned no enum line_status");
		}
		in += used;
		n -= used;
		r->consumed += used;
	} while (n > 0 && !r->too_long);
}

/*
 * Decode in[0..n) with a cap of max, in chunks of size chunk() (0 means
 * the whole input at once).
 */
static void
decode(struct result *r, const unsigned char *in, size_t n, size_t max,
    struct fuzz_chunks *chunks, int bytewise)
{
	struct line_decoder	 d;
	unsigned char		*copy;
	char			*line;
	size_t			 off, k;

	memset(r, 0, sizeof(*r));
	if ((r->log = malloc(2 * n + 2)) == NULL)
		abort();
	/* Exactly max bytes, so a write past the cap is an ASan report. */
	if ((line = malloc(max)) == NULL && max > 0)
		abort();
	line_init(&d, line, max);
	for (off = 0; off < n && !r->too_long; off += k) {
		if (bytewise)
			k = 1;
		else if (chunks == NULL)
			k = n;
		else
			k = fuzz_chunk(chunks);
		if (k > n - off)
			k = n - off;
		if ((copy = malloc(k)) == NULL && k > 0)
			abort();
		if (k > 0)
			memcpy(copy, in + off, k);
		feed(&d, r, copy, k);
		free(copy);
	}
	FUZZ_ASSERT(r->too_long || r->consumed == n);
	if (!r->too_long && line_finish(&d)) {
		FUZZ_ASSERT(d.len > 0);
		r->tail = 1;
		record(r, &d);
	}
	free(line);
}

static void
same(const struct result *a, const struct result *b)
{
	FUZZ_ASSERT(a->len == b->len);
	FUZZ_ASSERT(memcmp(a->log, b->log, a->len) == 0);
	FUZZ_ASSERT(a->too_long == b->too_long);
	FUZZ_ASSERT(a->consumed == b->consumed);
	FUZZ_ASSERT(a->tail == b->tail);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_chunks	 chunks;
	struct result		 whole, bytes, split;
	size_t			 max;

	if (size < 2)
		return 0;
	/* Small caps reach LINE_TOO_LONG; 8192 is forkd's default. */
	if (data[0] < 0x80)
		max = data[0] % 32;
	else if (data[0] < 0xf0)
		max = 64 + (size_t)(data[0] - 0x80) * 8;
	else
		max = 8192;
	fuzz_chunks_init(&chunks, (uint32_t)data[0] << 8 | data[1]);
	data += 2;
	size -= 2;

	decode(&whole, data, size, max, NULL, 0);
	decode(&bytes, data, size, max, NULL, 1);
	decode(&split, data, size, max, &chunks, 0);
	same(&whole, &bytes);
	same(&whole, &split);
	free(whole.log);
	free(bytes.log);
	free(split.log);
	return 0;
}
