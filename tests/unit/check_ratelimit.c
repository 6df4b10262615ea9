/*
 * check_ratelimit: the per-source token bucket of the UDP worker.  A
 * burst of twice the rate at one instant, refill with time (now_us is
 * passed explicitly, so no test sleeps), independent keys, and a table
 * smaller than the number of sources.
 */
#include <string.h>

#include <check.h>

#include "ratelimit.h"
#include "suites.h"

#define T0	1000000000LL	/* an arbitrary start, in microseconds */

static const unsigned char key_a[4] = { 127, 0, 0, 1 };
static const unsigned char key_b[4] = { 127, 0, 0, 2 };

/* How many of tries requests key gets at now_us. */
static int
allowed(struct ratelimit *rl, const unsigned char *key, size_t keylen,
    int64_t now_us, int tries)
{
	int	 i, n = 0;

	for (i = 0; i < tries; i++)
		n += ratelimit_allow(rl, key, keylen, now_us);
	return n;
}

START_TEST(test_init)
{
	struct ratelimit	 rl;

	ck_assert_int_eq(ratelimit_init(&rl, 64, 100), 0);
	ck_assert_ptr_nonnull(rl.tab);
	ck_assert_uint_eq(rl.n, 64);
	ck_assert(rl.rate == 100.0);
	ck_assert(rl.burst == 200.0);
	ratelimit_free(&rl);
	ck_assert_ptr_null(rl.tab);
}
END_TEST

START_TEST(test_burst)
{
	struct ratelimit	 rl;
	int			 i;

	ck_assert_int_eq(ratelimit_init(&rl, 64, 100), 0);
	for (i = 0; i < 200; i++)
		ck_assert_msg(ratelimit_allow(&rl, key_a, 4, T0) == 1,
		    "request %d of the burst dropped", i + 1);
	ck_assert_int_eq(ratelimit_allow(&rl, key_a, 4, T0), 0);
	ck_assert_int_eq(allowed(&rl, key_a, 4, T0, 1000), 0);
	ratelimit_free(&rl);
}
END_TEST

START_TEST(test_refill)
{
	struct ratelimit	 rl;

	ck_assert_int_eq(ratelimit_init(&rl, 64, 100), 0);
	ck_assert_int_eq(allowed(&rl, key_a, 4, T0, 500), 200);
	/* 100/s: one token per 10 ms. */
	ck_assert_int_eq(allowed(&rl, key_a, 4, T0 + 5000, 10), 0);
	ck_assert_int_eq(allowed(&rl, key_a, 4, T0 + 10000, 10), 1);
	ck_assert_int_eq(allowed(&rl, key_a, 4, T0 + 20000, 10), 1);
	/* One second later: rate more. */
	ck_assert_int_eq(allowed(&rl, key_a, 4, T0 + 1020000, 1000), 100);
	ratelimit_free(&rl);
}
END_TEST

START_TEST(test_refill_capped)
{
	struct ratelimit	 rl;

	ck_assert_int_eq(ratelimit_init(&rl, 64, 100), 0);
	ck_assert_int_eq(allowed(&rl, key_a, 4, T0, 500), 200);
	/* An hour of silence refills the bucket, never past the burst. */
	ck_assert_int_eq(allowed(&rl, key_a, 4, T0 + 3600000000LL, 1000),
	    200);
	ratelimit_free(&rl);
}
END_TEST

START_TEST(test_rate_one)
{
	struct ratelimit	 rl;

	ck_assert_int_eq(ratelimit_init(&rl, 64, 1), 0);
	ck_assert_int_eq(allowed(&rl, key_a, 4, T0, 10), 2);
	ck_assert_int_eq(allowed(&rl, key_a, 4, T0 + 500000, 10), 0);
	ck_assert_int_eq(allowed(&rl, key_a, 4, T0 + 1000000, 10), 1);
	ck_assert_int_eq(allowed(&rl, key_a, 4, T0 + 1999999, 10), 0);
	ck_assert_int_eq(allowed(&rl, key_a, 4, T0 + 2000000, 10), 1);
	ratelimit_free(&rl);
}
END_TEST

START_TEST(test_independent)
{
	struct ratelimit	 rl;

	ck_assert_int_eq(ratelimit_init(&rl, 64, 100), 0);
	ck_assert_int_eq(allowed(&rl, key_a, 4, T0, 500), 200);
	ck_assert_int_eq(allowed(&rl, key_b, 4, T0, 500), 200);
	ck_assert_int_eq(allowed(&rl, key_a, 4, T0, 10), 0);
	/* The same bytes, shorter: another source. */
	ck_assert_int_eq(allowed(&rl, key_a, 3, T0, 500), 200);
	ratelimit_free(&rl);
}
END_TEST

START_TEST(test_ipv6_keys)
{
	struct ratelimit	 rl;
	unsigned char		 k1[16], k2[16];

	memset(k1, 0, sizeof(k1));
	k1[15] = 1;			/* ::1 */
	memcpy(k2, k1, sizeof(k2));
	k2[0] = 0x20;			/* differs in the first byte only */
	ck_assert_int_eq(ratelimit_init(&rl, 64, 10), 0);
	ck_assert_int_eq(allowed(&rl, k1, 16, T0, 100), 20);
	ck_assert_int_eq(allowed(&rl, k2, 16, T0, 100), 20);
	ck_assert_int_eq(allowed(&rl, k1, 16, T0, 100), 0);
	ratelimit_free(&rl);
}
END_TEST

START_TEST(test_many_keys)
{
	struct ratelimit	 rl;
	unsigned char		 key[4] = { 10, 0, 0, 0 };
	int			 i;

	/* 100 sources in 1024 entries: each has a bucket of its own. */
	ck_assert_int_eq(ratelimit_init(&rl, 1024, 5), 0);
	for (i = 0; i < 100; i++) {
		key[3] = (unsigned char)i;
		ck_assert_int_eq(allowed(&rl, key, 4, T0, 20), 10);
	}
	for (i = 0; i < 100; i++) {
		key[3] = (unsigned char)i;
		ck_assert_msg(ratelimit_allow(&rl, key, 4, T0) == 0,
		    "source %d got a fresh bucket", i);
	}
	ratelimit_free(&rl);
}
END_TEST

START_TEST(test_small_table)
{
	struct ratelimit	 rl;
	unsigned char		 key[4] = { 10, 0, 0, 0 };
	int			 i, round;

	/* More sources than entries: eviction, bounded memory, no crash. */
	ck_assert_int_eq(ratelimit_init(&rl, 4, 10), 0);
	for (round = 0; round < 3; round++)
		for (i = 0; i < 200; i++) {
			key[2] = (unsigned char)(i >> 8);
			key[3] = (unsigned char)i;
			/*
			 * Three datagrams in 3 ms are far under the burst,
			 * remembered or forgotten: always answered.
			 */
			ck_assert_int_eq(ratelimit_allow(&rl, key, 4,
			    T0 + round * 1000 + i), 1);
		}
	/* A new source always gets its first reply. */
	key[1] = 99;
	ck_assert_int_eq(ratelimit_allow(&rl, key, 4, T0 + 5000), 1);
	/* One source alone is still limited in the small table. */
	ck_assert_int_eq(allowed(&rl, key_a, 4, T0 + 6000, 100), 20);
	ck_assert_int_eq(allowed(&rl, key_a, 4, T0 + 6000, 100), 0);
	ratelimit_free(&rl);
}
END_TEST

START_TEST(test_one_entry)
{
	struct ratelimit	 rl;
	int			 i, na = 0, nb = 0;

	/* Two sources share one entry: no crash, each gets its burst. */
	ck_assert_int_eq(ratelimit_init(&rl, 1, 1), 0);
	for (i = 0; i < 50; i++) {
		na += ratelimit_allow(&rl, key_a, 4, T0 + i);
		nb += ratelimit_allow(&rl, key_b, 4, T0 + i);
	}
	ck_assert_int_ge(na, 2);
	ck_assert_int_ge(nb, 2);
	ck_assert_int_le(na, 50);
	ck_assert_int_le(nb, 50);
	ratelimit_free(&rl);
}
END_TEST

Suite *
ratelimit_suite(void)
{
	Suite	*s = suite_create("ratelimit");
	TCase	*tc;

	tc = tcase_create("Core");
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_init);
	tcase_add_test(tc, test_burst);
	tcase_add_test(tc, test_refill);
	tcase_add_test(tc, test_refill_capped);
	tcase_add_test(tc, test_rate_one);
	tcase_add_test(tc, test_independent);
	suite_add_tcase(s, tc);

	tc = tcase_create("Limits");
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_ipv6_keys);
	tcase_add_test(tc, test_many_keys);
	tcase_add_test(tc, test_small_table);
	tcase_add_test(tc, test_one_entry);
	suite_add_tcase(s, tc);
	return s;
}
