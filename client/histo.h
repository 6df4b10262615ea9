/*
 * histo: a latency histogram with fixed, logarithmic buckets, so a
 * process can record any number of samples in constant memory and the
 * parent can merge P of them by adding counts.  Pure: no clock, no I/O.
 */
#ifndef HISTO_H
#define HISTO_H

#include <stdint.h>

/*
 * Values are microseconds.  Below HISTO_EXACT each value has its own
 * bucket; above, every power of two is cut into HISTO_SUB buckets, so a
 * bucket is at most 1/32 (3.1 %) of its values wide.  Values from 2^32
 * µs (71 minutes, beyond any -t) share the last bucket; max stays exact.
 */
#define HISTO_SUB_BITS	5
#define HISTO_SUB	(1 << HISTO_SUB_BITS)
#define HISTO_EXACT	(2 * HISTO_SUB)
#define HISTO_OCTAVES	(32 - HISTO_SUB_BITS - 1)
#define HISTO_BUCKETS	(HISTO_EXACT + HISTO_OCTAVES * HISTO_SUB)

struct histo {
	uint64_t	 count;
	uint64_t	 max;
	uint64_t	 bucket[HISTO_BUCKETS];
};

/* Record one sample of us microseconds (a negative one counts as 0). */
void		histo_add(struct histo *, int64_t us);
/* Add every sample of from into into. */
void		histo_merge(struct histo *into, const struct histo *from);
/*
 * The permille-th percentile (500: median, 990: p99, 1000: max) by
 * nearest rank: the highest value of the bucket holding the sample of
 * rank ceil(count * permille / 1000), never above the exact max.  0 when
 * there is no sample.
 */
uint64_t	histo_percentile(const struct histo *, unsigned permille);

#endif
