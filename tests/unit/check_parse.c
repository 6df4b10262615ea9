/*
 * check_parse: checked conversion of option values.  Tables of inputs
 * with their value or error word ("invalid", "too small", "too large")
 * for parse_num, parse_size (K/M) and parse_seconds (up to 3 decimals);
 * on error the result must be left untouched.  The getopt helpers: a
 * reset that lets one command line be parsed twice, and the message for
 * an unknown option or a missing value, short and long.
 */
#include <getopt.h>
#include <limits.h>
#include <string.h>

#include <check.h>

#include "parse.h"
#include "suites.h"

#define UNTOUCHED	-777LL
#define MiB		(1024LL * 1024)

typedef int (*parse_fn)(const char *, long long, long long, long long *,
    const char **);

struct parse_case {
	const char	*in;
	long long	 min, max;
	long long	 want;		/* value on success */
	const char	*err;		/* NULL: success expected */
};

static void
check_case(parse_fn fn, const char *fname, const struct parse_case *c)
{
	const char	*errstr = "unset";
	long long	 v = UNTOUCHED;
	int		 rc;

	rc = fn(c->in, c->min, c->max, &v, &errstr);
	if (c->err == NULL) {
		ck_assert_msg(rc == 0, "%s(\"%s\", %lld, %lld) failed: %s",
		    fname, c->in, c->min, c->max, rc == -1 ? errstr : "?");
		ck_assert_msg(v == c->want, "%s(\"%s\") = %lld, want %lld",
		    fname, c->in, v, c->want);
		return;
	}
	ck_assert_msg(rc == -1, "%s(\"%s\", %lld, %lld) = %lld, want \"%s\"",
	    fname, c->in, c->min, c->max, v, c->err);
	ck_assert_msg(errstr != NULL && strcmp(errstr, c->err) == 0,
	    "%s(\"%s\", %lld, %lld): errstr \"%s\", want \"%s\"", fname,
	    c->in, c->min, c->max, errstr ? errstr : "(null)", c->err);
	ck_assert_msg(v == UNTOUCHED, "%s(\"%s\") touched the result: %lld",
	    fname, c->in, v);
}

static const struct parse_case num_cases[] = {
	{ "0", 0, 65535, 0, NULL },
	{ "42", 0, 65535, 42, NULL },
	{ "65535", 0, 65535, 65535, NULL },
	{ "007", 0, 10, 7, NULL },
	{ "1", 1, 1, 1, NULL },
	{ "65536", 0, 65535, 0, "too large" },
	{ "0", 1, 10, 0, "too small" },
	{ "11", 1, 10, 0, "too large" },
	{ "", 0, 10, 0, "invalid" },
	{ "abc", 0, 10, 0, "invalid" },
	{ "12abc", 0, 100, 0, "invalid" },
	{ "1 ", 0, 10, 0, "invalid" },
	{ " 1", 0, 10, 0, "invalid" },
	{ "+5", 0, 10, 0, "invalid" },
	{ "0x10", 0, 100, 0, "invalid" },
	{ "1e3", 0, 10000, 0, "invalid" },
	{ "1.5", 0, 10, 0, "invalid" },
	{ "5K", 0, 10000, 0, "invalid" },
};

/* Edges of long long and of the range. */
static const struct parse_case num_limit_cases[] = {
	{ "9223372036854775807", 0, LLONG_MAX, LLONG_MAX, NULL },
	{ "0", 0, 0, 0, NULL },
	{ "9223372036854775808", 0, LLONG_MAX, 0, "too large" },
	{ "99999999999999999999999", 0, LLONG_MAX, 0, "too large" },
};

START_TEST(test_num)
{
	check_case(parse_num, "parse_num", &num_cases[_i]);
}
END_TEST

START_TEST(test_num_limits)
{
	check_case(parse_num, "parse_num", &num_limit_cases[_i]);
}
END_TEST

/* "Digits only, no sign": every option value is non-negative. */
static const struct parse_case num_neg_cases[] = {
	{ "-5", -10, 10, 0, "invalid" },
	{ "-1", 0, 10, 0, "invalid" },
	{ "+1", 0, 10, 0, "invalid" },
};

START_TEST(test_num_negative)
{
	check_case(parse_num, "parse_num", &num_neg_cases[_i]);
}
END_TEST

static const struct parse_case size_cases[] = {
	{ "8192", 1, 16 * MiB - 1, 8192, NULL },
	{ "8K", 1, 16 * MiB - 1, 8192, NULL },
	{ "8k", 1, 16 * MiB - 1, 8192, NULL },
	{ "1M", 1, 16 * MiB - 1, MiB, NULL },
	{ "1m", 1, 16 * MiB - 1, MiB, NULL },
	{ "15M", 1, 16 * MiB - 1, 15 * MiB, NULL },
	{ "0K", 0, 10, 0, NULL },
	{ "2M", 1, MiB, 0, "too large" },
	{ "0", 1, 100, 0, "too small" },
	{ "1K", 2048, 4096, 0, "too small" },
	{ "", 0, 10, 0, "invalid" },
	{ "K", 0, 10, 0, "invalid" },
	{ "8KB", 0, 100000, 0, "invalid" },
	{ "8KK", 0, 100000, 0, "invalid" },
	{ "8 K", 0, 100000, 0, "invalid" },
	{ "8G", 0, LLONG_MAX, 0, "invalid" },
	{ "1.5M", 0, 100 * MiB, 0, "invalid" },
};

/* The 16 MiB frame cap and overflow of the multiplication. */
static const struct parse_case size_limit_cases[] = {
	{ "16383K", 1, 16 * MiB - 1, 16383 * 1024LL, NULL },
	{ "16777215", 1, 16 * MiB - 1, 16 * MiB - 1, NULL },
	{ "16M", 1, 16 * MiB - 1, 0, "too large" },
	{ "16384K", 1, 16 * MiB - 1, 0, "too large" },
	{ "16777216", 1, 16 * MiB - 1, 0, "too large" },
	{ "99999999999999999999K", 0, LLONG_MAX, 0, "too large" },
	/* 2^53 KiB and 2^43 MiB are 2^63 bytes: one past LLONG_MAX. */
	{ "9007199254740992K", 0, LLONG_MAX, 0, "too large" },
	{ "8796093022208M", 0, LLONG_MAX, 0, "too large" },
	{ "8796093022207M", 0, LLONG_MAX, 8796093022207LL * MiB, NULL },
};

START_TEST(test_size)
{
	check_case(parse_size, "parse_size", &size_cases[_i]);
}
END_TEST

START_TEST(test_size_limits)
{
	check_case(parse_size, "parse_size", &size_limit_cases[_i]);
}
END_TEST

static const struct parse_case sec_cases[] = {
	{ "5", 0, 86400000, 5000, NULL },
	{ "0.25", 0, 86400000, 250, NULL },
	{ "1.5", 0, 86400000, 1500, NULL },
	{ "0.001", 0, 86400000, 1, NULL },
	{ "2.000", 0, 86400000, 2000, NULL },
	{ "0", 0, 86400000, 0, NULL },
	{ "300", 1, 86400000, 300000, NULL },
	{ "60.5", 1, 86400000, 60500, NULL },
	{ "1.", 0, 86400000, 0, "invalid" },
	{ ".5", 0, 86400000, 0, "invalid" },
	{ "1.2345", 0, 86400000, 0, "invalid" },
	{ "0.0001", 0, 86400000, 0, "invalid" },
	{ "1.5s", 0, 86400000, 0, "invalid" },
	{ "1,5", 0, 86400000, 0, "invalid" },
	{ "1.5.2", 0, 86400000, 0, "invalid" },
	{ "", 0, 86400000, 0, "invalid" },
	{ "abc", 0, 86400000, 0, "invalid" },
	{ " 1", 0, 86400000, 0, "invalid" },
	{ "0", 1, 86400000, 0, "too small" },
	{ "0.0", 1, 86400000, 0, "too small" },
	{ "86401", 1, 86400000, 0, "too large" },
};

/* The top of the range and overflow of sec * 1000. */
static const struct parse_case sec_limit_cases[] = {
	{ "86400", 1, 86400000, 86400000, NULL },
	{ "86399.999", 1, 86400000, 86399999, NULL },
	{ "86400.001", 1, 86400000, 0, "too large" },
	{ "99999999999999999999", 0, 86400000, 0, "too large" },
	{ "9223372036854775807", 0, 86400000, 0, "too large" },
	/* sec * 1000 must not wrap, whatever max_ms the caller allows. */
	{ "9223372036854775", 0, LLONG_MAX, 9223372036854775000LL, NULL },
	{ "9223372036854776", 0, LLONG_MAX, 0, "too large" },
};

START_TEST(test_seconds)
{
	check_case(parse_seconds, "parse_seconds", &sec_cases[_i]);
}
END_TEST

START_TEST(test_seconds_limits)
{
	check_case(parse_seconds, "parse_seconds", &sec_limit_cases[_i]);
}
END_TEST

/* Run getopt_long over words; the message of its first complaint. */
static const char *
first_error(char *const *words, int n, char *msg, size_t size)
{
	static const struct option	 longopts[] = {
		{ "port", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 }
	};
	int				 ch, at;

	msg[0] = '\0';
	parse_getopt_reset();
	for (;;) {
		at = optind > 0 ? optind : 1;
		if ((ch = getopt_long(n, words, ":p:v", longopts, NULL)) == -1)
			break;
		if (ch == '?' || ch == ':') {
			parse_option_error(ch, words[at], msg, size);
			break;
		}
	}
	return msg;
}

START_TEST(test_option_errors)
{
	char	 msg[64];
	char	 prog[] = "prog", x[] = "-x", p[] = "-p", v[] = "-v";
	char	 bogus[] = "--bogus", port[] = "--port", ok[] = "1";
	char	*unknown_short[] = { prog, v, x, NULL };
	char	*unknown_long[] = { prog, bogus, NULL };
	char	*missing_short[] = { prog, p, NULL };
	char	*missing_long[] = { prog, port, NULL };
	char	*fine[] = { prog, p, ok, v, NULL };
	char	 vx[] = "-vx", xv[] = "-xv";
	/* In a cluster, after a long option: the short one is named. */
	char	*cluster_after_long[] = { prog, port, ok, xv, NULL };
	char	*cluster_tail[] = { prog, port, ok, vx, NULL };

	/* Twice each: the reset must make the second parse see the same. */
	for (int i = 0; i < 2; i++) {
		ck_assert_str_eq(first_error(unknown_short, 3, msg,
		    sizeof(msg)), "unknown option: -x");
		ck_assert_str_eq(first_error(unknown_long, 2, msg,
		    sizeof(msg)), "unknown option: --bogus");
		ck_assert_str_eq(first_error(missing_short, 2, msg,
		    sizeof(msg)), "option needs a value: -p");
		ck_assert_str_eq(first_error(missing_long, 2, msg,
		    sizeof(msg)), "option needs a value: --port");
		ck_assert_str_eq(first_error(fine, 4, msg, sizeof(msg)), "");
		ck_assert_str_eq(first_error(cluster_after_long, 4, msg,
		    sizeof(msg)), "unknown option: -x");
		ck_assert_str_eq(first_error(cluster_tail, 4, msg,
		    sizeof(msg)), "unknown option: -x");
	}
	/* Cut to the buffer, never past it. */
	first_error(unknown_long, 2, msg, 8);
	ck_assert_str_eq(msg, "unknown");
}
END_TEST

#define NCASES(a)	((int)(sizeof(a) / sizeof((a)[0])))

Suite *
parse_suite(void)
{
	Suite	*s = suite_create("parse");
	TCase	*tc;

	tc = tcase_create("Core");
	tcase_set_timeout(tc, 10);
	tcase_add_loop_test(tc, test_num, 0, NCASES(num_cases));
	tcase_add_loop_test(tc, test_size, 0, NCASES(size_cases));
	tcase_add_loop_test(tc, test_seconds, 0, NCASES(sec_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("Limits");
	tcase_set_timeout(tc, 10);
	tcase_add_loop_test(tc, test_num_limits, 0, NCASES(num_limit_cases));
	tcase_add_loop_test(tc, test_num_negative, 0, NCASES(num_neg_cases));
	tcase_add_loop_test(tc, test_size_limits, 0,
	    NCASES(size_limit_cases));
	tcase_add_loop_test(tc, test_seconds_limits, 0,
	    NCASES(sec_limit_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("Getopt");
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_option_errors);
	suite_add_tcase(s, tc);
	return s;
}
