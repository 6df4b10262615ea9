/*
 * ratelimit: a token bucket per source address, in a fixed-size table,
 * so a flood from many spoofed sources costs bounded memory.  A source
 * gets rate tokens per second up to a burst of twice that.
 */
#ifndef RATELIMIT_H
#define RATELIMIT_H

#include <stddef.h>
#include <stdint.h>

struct rl_entry {
	unsigned char	 key[16];
	unsigned char	 keylen;	/* 0: unused */
	double		 tokens;
	int64_t		 last_us;
};

struct ratelimit {
	struct rl_entry	*tab;
	size_t		 n;
	double		 rate;		/* tokens per second */
	double		 burst;
};

/*
 * A table of n entries (a power of two, else EINVAL) for rate per second.
 * A source evicted from a crowded table comes back with a full burst.
 * -1 with errno set.
 */
int	ratelimit_init(struct ratelimit *, size_t n, int rate);
void	ratelimit_free(struct ratelimit *);
/* 1 if key may be answered at now_us (and take a token), 0 to drop. */
int	ratelimit_allow(struct ratelimit *, const unsigned char *key,
	    size_t keylen, int64_t now_us);

#endif
