/*
 * histo: the bucket arithmetic of an HdrHistogram cut down to one
 * precision.  A value v >= HISTO_EXACT with highest set bit e lands in
 * octave e - (HISTO_SUB_BITS + 1), at sub-bucket v >> (e - HISTO_SUB_BITS).
 */
#include "histo.h"

#define LAST	(HISTO_BUCKETS - 1)

/* Position of the highest set bit of v (v > 0). */
static int
top_bit(uint64_t v)
{
	int	 e = 0;

	while (v >>= 1)
		e++;
	return e;
}

static int
bucket_of(uint64_t v)
{
	int	 e, shift;

	if (v < HISTO_EXACT)
		return (int)v;
	if ((e = top_bit(v)) >= 32)
		return LAST;
	shift = e - HISTO_SUB_BITS;
	return HISTO_EXACT + (e - HISTO_SUB_BITS - 1) * HISTO_SUB +
	    (int)(v >> shift) - HISTO_SUB;
}

/* The highest value that lands in bucket i. */
static uint64_t
bucket_top(int i)
{
	int		 octave, shift;
	uint64_t	 sub;

	if (i < HISTO_EXACT)
		return (uint64_t)i;
	octave = (i - HISTO_EXACT) / HISTO_SUB;
	sub = (uint64_t)(HISTO_SUB + (i - HISTO_EXACT) % HISTO_SUB);
	shift = octave + 1;
	return ((sub + 1) << shift) - 1;
}

void
histo_add(struct histo *h, int64_t us)
{
	uint64_t	 v = us < 0 ? 0 : (uint64_t)us;

	h->bucket[bucket_of(v)]++;
	h->count++;
	if (v > h->max)
		h->max = v;
}

void
histo_merge(struct histo *into, const struct histo *from)
{
	int	 i;

	for (i = 0; i < HISTO_BUCKETS; i++)
		into->bucket[i] += from->bucket[i];
	into->count += from->count;
	if (from->max > into->max)
		into->max = from->max;
}

uint64_t
histo_percentile(const struct histo *h, unsigned permille)
{
	uint64_t	 rank, seen = 0, top;
	int		 i;

	if (h->count == 0)
		return 0;
	if (permille >= 1000)
		return h->max;
	rank = (h->count * permille + 999) / 1000;
	if (rank == 0)
		rank = 1;
	for (i = 0; i < LAST; i++)
		if ((seen += h->bucket[i]) >= rank)
			break;
	top = bucket_top(i);
	return top < h->max ? top : h->max;
}
