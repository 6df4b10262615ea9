/*
 * ratelimit: token buckets in an open-addressed table with a short probe.
 * When every entry of the probe window belongs to another source, the
 * least recently seen one is evicted: a new source starts with a full
 * burst, the price of bounded memory.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ratelimit.h"

#define PROBE	8

int
ratelimit_init(struct ratelimit *rl, size_t n, int rate)
{
	if (n == 0 || (n & (n - 1)) != 0) {
		errno = EINVAL;
		return -1;
	}
	if ((rl->tab = calloc(n, sizeof(*rl->tab))) == NULL)
		return -1;
	rl->n = n;
	rl->rate = rate;
	rl->burst = 2.0 * rate;
	return 0;
}

void
ratelimit_free(struct ratelimit *rl)
{
	free(rl->tab);
	rl->tab = NULL;
}

static size_t
hash(const unsigned char *key, size_t len)
{
	size_t	 h = 2166136261u, i;

	for (i = 0; i < len; i++)
		h = (h ^ key[i]) * 16777619u;
	return h;
}

/* The entry of key, or the slot to give it (empty or least recent). */
static struct rl_entry *
lookup(struct ratelimit *rl, const unsigned char *key, size_t keylen,
    int *found)
{
	struct rl_entry	*e, *victim = NULL;
	size_t		 h = hash(key, keylen), i;

	for (i = 0; i < PROBE; i++) {
		e = &rl->tab[(h + i) & (rl->n - 1)];
		if (e->keylen == keylen && memcmp(e->key, key, keylen) == 0) {
			*found = 1;
			return e;
		}
		if (e->keylen == 0) {
			victim = e;
			break;
		}
		if (victim == NULL || e->last_us < victim->last_us)
			victim = e;
	}
	*found = 0;
	return victim;
}

int
ratelimit_allow(struct ratelimit *rl, const unsigned char *key,
    size_t keylen, int64_t now_us)
{
	struct rl_entry	*e;
	int		 found;

	e = lookup(rl, key, keylen, &found);
	if (!found) {
		memcpy(e->key, key, keylen);
		e->keylen = (unsigned char)keylen;
		e->tokens = rl->burst;
	} else {
		e->tokens += (double)(now_us - e->last_us) * rl->rate / 1e6;
		if (e->tokens > rl->burst)
			e->tokens = rl->burst;
	}
	e->last_us = now_us;
	if (e->tokens < 1.0)
		return 0;
	e->tokens -= 1.0;
	return 1;
}
