/*
 * check_clock: the monotonic clock and its deadlines, clamped for poll(),
 * and the UTC timestamps of log lines and TIME, whole and cut short.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <check.h>

#include "clock.h"
#include "suites.h"

START_TEST(test_monotonic)
{
	int64_t	 ms, us, prev;
	int	 i;

	ms = clock_ms();
	us = clock_us();
	ck_assert_int_gt(ms, 0);
	/* The same clock at two resolutions. */
	ck_assert_int_ge(us / 1000, ms);
	ck_assert_int_lt(us / 1000 - ms, 100);
	prev = clock_us();
	for (i = 0; i < 1000; i++) {
		us = clock_us();
		ck_assert_int_ge(us, prev);
		prev = us;
	}
}
END_TEST

START_TEST(test_advances)
{
	struct timespec	 ts = { 0, 20 * 1000000L };
	int64_t		 t0 = clock_ms(), u0 = clock_us();

	while (nanosleep(&ts, &ts) == -1)
		continue;
	ck_assert_int_ge(clock_ms() - t0, 20);
	ck_assert_int_ge(clock_us() - u0, 20000);
	ck_assert_int_lt(clock_ms() - t0, 900);
}
END_TEST

START_TEST(test_until)
{
	int64_t	 now = clock_ms();
	int	 d;

	ck_assert_int_eq(clock_until(now - 1), 0);
	ck_assert_int_eq(clock_until(now - 100000), 0);
	ck_assert_int_eq(clock_until(0), 0);
	ck_assert_int_eq(clock_until(-1), 0);
	d = clock_until(now + 1000);
	ck_assert_int_le(d, 1000);
	ck_assert_int_gt(d, 900);
	d = clock_until(clock_ms());
	ck_assert_int_eq(d, 0);
}
END_TEST

/* Far deadlines are clamped to what poll() takes, never wrapped. */
START_TEST(test_until_clamped)
{
	int64_t	 now = clock_ms();

	ck_assert_int_eq(clock_until(now + (int64_t)INT_MAX + 1000), INT_MAX);
	ck_assert_int_eq(clock_until(now + 1000LL * INT_MAX), INT_MAX);
	ck_assert_int_eq(clock_until(INT64_MAX), INT_MAX);
	ck_assert_int_gt(clock_until(now + (int64_t)INT_MAX - 1000),
	    INT_MAX - 2000);
}
END_TEST

/* "YYYY-MM-DDTHH:MM:SS" at s, with its digits where they belong. */
static void
is_stamp(const char *s)
{
	static const char	 form[] = "dddd-dd-ddTdd:dd:dd";
	size_t			 i;

	for (i = 0; i < sizeof(form) - 1; i++)
		if (form[i] == 'd')
			ck_assert_msg(s[i] >= '0' && s[i] <= '9',
			    "\"%s\": no digit at %zu", s, i);
		else
			ck_assert_msg(s[i] == form[i], "\"%s\": no '%c' at %zu",
			    s, form[i], i);
}

/* What strftime says of t, to bracket the stamp (ISO 8601 sorts as text). */
static void
utc(time_t t, char *out, size_t size)
{
	struct tm	 tm;

	ck_assert_ptr_nonnull(gmtime_r(&t, &tm));
	ck_assert_uint_eq(strftime(out, size, "%Y-%m-%dT%H:%M:%S", &tm), 19);
}

START_TEST(test_iso8601)
{
	char	 s[64], lo[32], hi[32];
	time_t	 t0, t1;

	t0 = time(NULL);
	ck_assert_uint_eq(clock_iso8601(s, sizeof(s), 0), 20);
	t1 = time(NULL);
	ck_assert_uint_eq(strlen(s), 20);
	is_stamp(s);
	ck_assert_int_eq(s[19], 'Z');
	utc(t0, lo, sizeof(lo));
	utc(t1, hi, sizeof(hi));
	ck_assert_msg(strncmp(s, lo, 19) >= 0 && strncmp(s, hi, 19) <= 0,
	    "\"%s\" not within %s..%s", s, lo, hi);
}
END_TEST

START_TEST(test_iso8601_millis)
{
	char	 s[64], lo[32], hi[32];
	time_t	 t0, t1;

	t0 = time(NULL);
	ck_assert_uint_eq(clock_iso8601(s, sizeof(s), 1), 24);
	t1 = time(NULL);
	ck_assert_uint_eq(strlen(s), 24);
	is_stamp(s);
	ck_assert_int_eq(s[19], '.');
	ck_assert(s[20] >= '0' && s[20] <= '9');
	ck_assert(s[21] >= '0' && s[21] <= '9');
	ck_assert(s[22] >= '0' && s[22] <= '9');
	ck_assert_int_eq(s[23], 'Z');
	utc(t0, lo, sizeof(lo));
	utc(t1, hi, sizeof(hi));
	ck_assert_msg(strncmp(s, lo, 19) >= 0 && strncmp(s, hi, 19) <= 0,
	    "\"%s\" not within %s..%s", s, lo, hi);
}
END_TEST

/* Exactly enough room: the whole stamp and its NUL. */
START_TEST(test_iso8601_exact)
{
	char	 s[25];

	memset(s, 'x', sizeof(s));
	ck_assert_uint_eq(clock_iso8601(s, 21, 0), 20);
	ck_assert_uint_eq(strlen(s), 20);
	ck_assert_int_eq(s[21], 'x');
	memset(s, 'x', sizeof(s));
	ck_assert_uint_eq(clock_iso8601(s, 25, 1), 24);
	ck_assert_uint_eq(strlen(s), 24);
}
END_TEST

/*
 * Too little room: never a byte past size, always a NUL inside it, and
 * the length returned is that of a valid stamp prefix the caller can
 * append to (log_format writes right after it).
 */
START_TEST(test_iso8601_short)
{
	char	 s[32];
	size_t	 size = (size_t)_i, n;

	memset(s, 'x', sizeof(s));
	n = clock_iso8601(s, size, _i % 2);
	ck_assert_int_eq(s[size], 'x');
	if (size == 0)
		return;
	ck_assert_ptr_nonnull(memchr(s, '\0', size));
	ck_assert_uint_lt(n, size);
	ck_assert_uint_le(n, strlen(s));
	/* Nothing, or at least the date and time: never a lone "Z". */
	ck_assert_msg(n == 0 || n >= 19, "size %zu: %zu bytes \"%s\"", size,
	    n, s);
	if (n >= 19)
		is_stamp(s);
}
END_TEST

Suite *
clock_suite(void)
{
	Suite	*s = suite_create("clock");
	TCase	*tc;

	tc = tcase_create("Core");
	tcase_set_timeout(tc, 5);
	tcase_add_test(tc, test_monotonic);
	tcase_add_test(tc, test_advances);
	tcase_add_test(tc, test_until);
	tcase_add_test(tc, test_iso8601);
	tcase_add_test(tc, test_iso8601_millis);
	suite_add_tcase(s, tc);

	tc = tcase_create("Limits");
	tcase_set_timeout(tc, 5);
	tcase_add_test(tc, test_until_clamped);
	tcase_add_test(tc, test_iso8601_exact);
	tcase_add_loop_test(tc, test_iso8601_short, 0, 25);
	suite_add_tcase(s, tc);
	return s;
}
