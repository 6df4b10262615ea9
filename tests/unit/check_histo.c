/*
 * check_histo: the latency histogram.  Bucket bounds at every octave
 * edge (seen through the p50 of {v, a larger value}, which is the top of
 * v's bucket), nearest-rank percentiles at exact ranks, the max cap,
 * merging, and monotony in the permille.
 */
#include <stdint.h>
#include <string.h>

#include <check.h>

#include "histo.h"
#include "suites.h"

static struct histo	 h, h2, hall;

static void
setup(void)
{
	memset(&h, 0, sizeof(h));
	memset(&h2, 0, sizeof(h2));
	memset(&hall, 0, sizeof(hall));
}

/* The top of v's bucket: p50 of {v, 2^40} is the rank-1 sample's. */
static uint64_t
top_of(uint64_t v)
{
	struct histo	 t;

	memset(&t, 0, sizeof(t));
	histo_add(&t, (int64_t)v);
	histo_add(&t, (int64_t)1 << 40);
	return histo_percentile(&t, 500);
}

static const struct {
	uint64_t	 v, top;
} tops[] = {
	{ 0, 0 }, { 1, 1 }, { 62, 62 }, { 63, 63 },
	/* From 64 on, 32 buckets per power of two. */
	{ 64, 65 }, { 65, 65 }, { 66, 67 }, { 126, 127 }, { 127, 127 },
	{ 128, 131 }, { 131, 131 }, { 132, 135 }, { 255, 255 },
	{ 256, 263 }, { 1000, 1007 }, { 1023, 1023 }, { 1024, 1055 },
	{ 4096, 4223 }, { 65535, 65535 }, { 65536, 67583 },
	{ 1000000, 1015807 }, { 2147483648ULL, 2214592511ULL },
	{ 4294967295ULL, 4294967295ULL },
};

START_TEST(test_bucket_tops)
{
	ck_assert_msg(top_of(tops[_i].v) == tops[_i].top,
	    "bucket of %llu tops at %llu, want %llu",
	    (unsigned long long)tops[_i].v,
	    (unsigned long long)top_of(tops[_i].v),
	    (unsigned long long)tops[_i].top);
}
END_TEST

/* Every value below 2^20: its bucket holds it and is at most 1/32 wide. */
START_TEST(test_bucket_width)
{
	uint64_t	 v, top, prev = 0;

	for (v = 0; v < (1 << 20); v += 1 + v / 97) {
		top = top_of(v);
		ck_assert_msg(top >= v && top - v <= v / HISTO_SUB,
		    "%llu in a bucket topping at %llu", (unsigned long long)v,
		    (unsigned long long)top);
		ck_assert_uint_ge(top, prev);
		prev = top;
	}
}
END_TEST

START_TEST(test_empty)
{
	ck_assert_uint_eq(histo_percentile(&h, 0), 0);
	ck_assert_uint_eq(histo_percentile(&h, 500), 0);
	ck_assert_uint_eq(histo_percentile(&h, 1000), 0);
}
END_TEST

START_TEST(test_add)
{
	histo_add(&h, 5);
	histo_add(&h, 5);
	histo_add(&h, 70);
	histo_add(&h, -3);
	ck_assert_uint_eq(h.count, 4);
	ck_assert_uint_eq(h.max, 70);
	ck_assert_uint_eq(h.bucket[0], 1);
	ck_assert_uint_eq(h.bucket[5], 2);
	ck_assert_uint_eq(h.bucket[HISTO_EXACT + 3], 1);	/* 70-71 */
	histo_add(&h, INT64_MAX);
	ck_assert_uint_eq(h.bucket[HISTO_BUCKETS - 1], 1);
	ck_assert_uint_eq(h.max, INT64_MAX);
}
END_TEST

/* 1..10: rank ceil(10 * p / 1000), the lowest rank 1. */
START_TEST(test_ranks)
{
	static const struct {
		unsigned	 permille;
		uint64_t	 want;
	} r[] = {
		{ 0, 1 }, { 1, 1 }, { 100, 1 }, { 101, 2 }, { 500, 5 },
		{ 501, 6 }, { 900, 9 }, { 901, 10 }, { 999, 10 }, { 1000, 10 },
		{ 5000, 10 },
	};
	size_t	 i;
	int	 v;

	for (v = 10; v >= 1; v--)
		histo_add(&h, v);
	for (i = 0; i < sizeof(r) / sizeof(r[0]); i++)
		ck_assert_msg(histo_percentile(&h, r[i].permille) == r[i].want,
		    "p%u: %llu, want %llu", r[i].permille,
		    (unsigned long long)histo_percentile(&h, r[i].permille),
		    (unsigned long long)r[i].want);
}
END_TEST

/* One sample: every percentile is that sample, exactly (the max caps). */
START_TEST(test_single)
{
	histo_add(&h, 1000);
	ck_assert_uint_eq(histo_percentile(&h, 0), 1000);
	ck_assert_uint_eq(histo_percentile(&h, 500), 1000);
	ck_assert_uint_eq(histo_percentile(&h, 999), 1000);
	ck_assert_uint_eq(histo_percentile(&h, 1000), 1000);
}
END_TEST

/* A thousand samples: p999 is the 999th, p1000 the 1000th. */
START_TEST(test_tail)
{
	int	 v;

	for (v = 1; v <= 999; v++)
		histo_add(&h, 10);
	histo_add(&h, 50);
	ck_assert_uint_eq(histo_percentile(&h, 999), 10);
	ck_assert_uint_eq(histo_percentile(&h, 1000), 50);
	histo_add(&h, 60);	/* 1001 samples: rank of p999 is 1000 */
	ck_assert_uint_eq(histo_percentile(&h, 999), 50);
}
END_TEST

START_TEST(test_merge)
{
	int	 v;
	size_t	 i;

	histo_merge(&h, &h2);
	ck_assert_uint_eq(h.count, 0);
	for (v = 0; v < 5000; v++) {
		histo_add(v % 2 ? &h : &h2, (v * 131) % 9973);
		histo_add(&hall, (v * 131) % 9973);
	}
	histo_add(&h2, 123456);
	histo_add(&hall, 123456);
	histo_merge(&h, &h2);
	ck_assert_uint_eq(h.count, hall.count);
	ck_assert_uint_eq(h.max, 123456);
	ck_assert_int_eq(memcmp(h.bucket, hall.bucket, sizeof(h.bucket)), 0);
	/* from is left alone. */
	ck_assert_uint_eq(h2.count, 2501);
	/* Merging into an empty one copies. */
	memset(&h, 0, sizeof(h));
	histo_merge(&h, &hall);
	ck_assert_int_eq(memcmp(&h, &hall, sizeof(h)), 0);
	/* A smaller max never lowers it. */
	memset(&h2, 0, sizeof(h2));
	histo_add(&h2, 3);
	histo_merge(&h, &h2);
	ck_assert_uint_eq(h.max, 123456);
	for (i = 0; i < 1000; i += 100)
		ck_assert_uint_ge(histo_percentile(&h, (unsigned)i + 100),
		    histo_percentile(&h, (unsigned)i));
}
END_TEST

/* Percentiles never decrease with the permille and never pass the max. */
START_TEST(test_monotone)
{
	uint64_t	 x = 88172645463325252ULL, p, prev = 0;
	unsigned	 q;
	int		 i;

	for (i = 0; i < 3000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		histo_add(&h, (int64_t)(x % 3000000));
	}
	for (q = 0; q <= 1000; q++) {
		p = histo_percentile(&h, q);
		ck_assert_uint_ge(p, prev);
		ck_assert_uint_le(p, h.max);
		prev = p;
	}
	ck_assert_uint_eq(prev, h.max);
}
END_TEST

#define NCASES(a)	((int)(sizeof(a) / sizeof((a)[0])))

Suite *
histo_suite(void)
{
	Suite	*s = suite_create("histo");
	TCase	*tc;

	tc = tcase_create("Core");
	tcase_set_timeout(tc, 5);
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_add);
	tcase_add_test(tc, test_ranks);
	tcase_add_test(tc, test_single);
	tcase_add_test(tc, test_tail);
	tcase_add_test(tc, test_merge);
	tcase_add_test(tc, test_monotone);
	suite_add_tcase(s, tc);

	tc = tcase_create("Limits");
	tcase_set_timeout(tc, 5);
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_loop_test(tc, test_bucket_tops, 0, NCASES(tops));
	tcase_add_test(tc, test_bucket_width);
	suite_add_tcase(s, tc);
	return s;
}
