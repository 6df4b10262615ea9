/*
 * check_stats: the STATS reply parser and the table forkc stats/watch
 * print.  A real reply (counters and sessions), one with no session,
 * malformed replies and every prefix and random bytes (an error, never a
 * crash), the exact table for a known reply, the human bytes and ages.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "stats.h"
#include "suites.h"

#define COUNTERS \
	"listener_pid=4242 uptime=12.345s children=2 max_children=256 " \
	    "peak_children=3\n" \
	"accepted=17 refused_busy=1 refused_per_ip=0 fork_failed=0 " \
	    "reaped_exit=15 reaped_signal=0\n" \
	"udp_pid=4243 udp_in=5 udp_out=5 udp_dropped=0"

static const char real[] =
	"+OK 2 sessions\n"
	COUNTERS "\n"
	"pid=4250 conn=16 peer=127.0.0.1:51234 state=sleeping age=1.234s "
	    "requests=3 bytes_in=1234 bytes_out=45\n"
	"pid=4251 conn=17 peer=[::1]:40000 state=working age=0.002s "
	    "requests=1 bytes_in=9 bytes_out=1048576";

static const char zero[] = "+OK 0 sessions\n" COUNTERS;

static const char counters_table[] =
	"listener     listener_pid 4242  uptime        12.345s  children       2\n"
	"             max_children  256  peak_children       3\n"
	"connections  accepted       17  refused_busy        1  refused_per_ip 0\n"
	"             fork_failed     0  reaped_exit        15  reaped_signal  0\n"
	"udp          udp_pid      4243  udp_in              5  udp_out        5\n"
	"             udp_dropped     0\n"
	"\n";

static const char sessions_table[] =
	" PID  CONN  PEER             STATE      AGE  REQS    IN   OUT\n"
	"4250    16  127.0.0.1:51234  sleeping  1.2s     3  1.2K    45\n"
	"4251    17  [::1]:40000      working   0.0s     1     9  1.0M\n";

static void
parse_ok(struct stats *st, const char *text)
{
	const char	*errstr = NULL;

	ck_assert_msg(stats_parse(st, text, strlen(text), &errstr) == 0,
	    "stats_parse failed: %s", errstr ? errstr : "?");
}

/* The formatted table as a NUL-terminated string (caller frees). */
static char *
format(const struct stats *st)
{
	struct buf	 b = BUF_INIT;
	char		*s;

	ck_assert_int_eq(stats_format(st, &b), 0);
	s = malloc(buf_used(&b) + 1);
	ck_assert_ptr_nonnull(s);
	memcpy(s, buf_head(&b), buf_used(&b));
	s[buf_used(&b)] = '\0';
	buf_free(&b);
	return s;
}

START_TEST(test_parse_real)
{
	struct stats	 st;

	parse_ok(&st, real);
	ck_assert_int_eq(st.said, 2);
	ck_assert_int_eq(st.ngroups, 3);
	ck_assert_int_eq(st.group[0].n, 5);
	ck_assert_int_eq(st.group[1].n, 6);
	ck_assert_int_eq(st.group[2].n, 4);
	ck_assert_str_eq(st.group[0].kv[0].key, "listener_pid");
	ck_assert_str_eq(st.group[0].kv[0].value, "4242");
	ck_assert_str_eq(stats_counter(&st, "uptime"), "12.345s");
	ck_assert_str_eq(stats_counter(&st, "accepted"), "17");
	ck_assert_str_eq(stats_counter(&st, "udp_dropped"), "0");
	ck_assert_ptr_null(stats_counter(&st, "nosuch"));
	ck_assert_int_eq(st.nsessions, 2);
	ck_assert_int_eq(st.session[0].pid, 4250);
	ck_assert_int_eq(st.session[0].conn, 16);
	ck_assert_str_eq(st.session[0].peer, "127.0.0.1:51234");
	ck_assert_str_eq(st.session[0].state, "sleeping");
	ck_assert_int_eq(st.session[0].age_ms, 1234);
	ck_assert_int_eq(st.session[0].requests, 3);
	ck_assert_int_eq(st.session[0].bytes_in, 1234);
	ck_assert_int_eq(st.session[0].bytes_out, 45);
	ck_assert_str_eq(st.session[1].peer, "[::1]:40000");
	ck_assert_int_eq(st.session[1].age_ms, 2);
	ck_assert_int_eq(st.session[1].bytes_out, 1048576);
	stats_free(&st);
	ck_assert_ptr_null(st.text);
	ck_assert_int_eq(st.nsessions, 0);
}
END_TEST

START_TEST(test_parse_zero_sessions)
{
	struct stats	 st;

	parse_ok(&st, zero);
	ck_assert_int_eq(st.said, 0);
	ck_assert_int_eq(st.ngroups, 3);
	ck_assert_int_eq(st.nsessions, 0);
	ck_assert_ptr_null(st.session);
	stats_free(&st);
}
END_TEST

START_TEST(test_parse_lenient)
{
	struct stats	 st;

	/* CRLF-free blank lines, a future counter line, a future field. */
	parse_ok(&st, "+OK 1 session\n\nnew_counter=7 other=x\n"
	    "pid=9 conn=1 peer=p state=reading age=0s requests=0 "
	    "bytes_in=0 bytes_out=0 future=1\n");
	ck_assert_int_eq(st.ngroups, 1);
	ck_assert_str_eq(stats_counter(&st, "other"), "x");
	ck_assert_int_eq(st.nsessions, 1);
	ck_assert_int_eq(st.session[0].age_ms, 0);
	stats_free(&st);
	/* A counters-only reply (STATS over UDP) lists no session. */
	parse_ok(&st, "+OK 3 sessions\n" COUNTERS);
	ck_assert_int_eq(st.said, 3);
	ck_assert_int_eq(st.nsessions, 0);
	stats_free(&st);
}
END_TEST

#define SESSION_TAIL \
	" conn=1 peer=p state=s age=1.000s requests=1 bytes_in=1 bytes_out=1"

static const char *const bad_replies[] = {
	"",
	"hello world",
	"-ERR server busy",
	"-ERR server shutting down",
	"+OK",
	"+OK 2",
	"+OK sessions",
	"+OK x sessions\n" COUNTERS,
	"+OK -1 sessions\n" COUNTERS,
	"+OK 1 sessions please\n" COUNTERS,
	"+OK 0 sessions",			/* no counters */
	"+OK 0 sessions\n\n\n",
	"+OK 0 sessions\nnot key value",
	"+OK 0 sessions\n=1",
	"+OK 0 sessions\nkey=",
	"+OK 0 sessions\na=1 b",
	"+OK 1 sessions\na=1\npid=1",		/* fields missing */
	"+OK 1 sessions\na=1\npid=1" SESSION_TAIL " x",
	"+OK 1 sessions\na=1\npid=x" SESSION_TAIL,
	"+OK 1 sessions\na=1\npid=-1" SESSION_TAIL,
	"+OK 1 sessions\na=1\npid=99999999999999999999" SESSION_TAIL,
	"+OK 1 sessions\na=1\npid=1 conn=1 peer=p state=s age=1.2345s "
	    "requests=1 bytes_in=1 bytes_out=1",
	"+OK 1 sessions\na=1\npid=1 conn=1 peer=p state=s age=1.2 "
	    "requests=1 bytes_in=1 bytes_out=1",
	"+OK 1 sessions\na=1\npid=1 conn=1 peer=p state=s age=s "
	    "requests=1 bytes_in=1 bytes_out=1",
	"+OK 2 sessions\na=1\npid=1" SESSION_TAIL,	/* count differs */
	"+OK 1 sessions\na=1\npid=1" SESSION_TAIL "\npid=2" SESSION_TAIL,
	"+OK 1 sessions\na=1\npid=1" SESSION_TAIL "\nb=2",
	"+OK 0 sessions\na=1 a=2 a=3 a=4 a=5 a=6 a=7 a=8 a=9 a=10 a=11 "
	    "a=12 a=13 a=14 a=15 a=16 a=17",
	"+OK 0 sessions\na=1\na=1\na=1\na=1\na=1\na=1\na=1\na=1\na=1",
};

START_TEST(test_parse_escapes)
{
	struct stats	 st;

	/* A server's escape sequences never reach the terminal. */
	parse_ok(&st, "+OK 1 sessions\na=\033[2J\n"
	    "pid=1 conn=1 peer=p\033]0;x\007 state=r\tx age=0s requests=0 "
	    "bytes_in=0 bytes_out=0");
	ck_assert_str_eq(stats_counter(&st, "a"), "?[2J");
	ck_assert_str_eq(st.session[0].peer, "p?]0;x?");
	ck_assert_str_eq(st.session[0].state, "r?x");
	stats_free(&st);
}
END_TEST

START_TEST(test_parse_bad)
{
	struct stats	 st;
	const char	*in = bad_replies[_i], *errstr = NULL;

	ck_assert_msg(stats_parse(&st, in, strlen(in), &errstr) == -1,
	    "accepted \"%s\"", in);
	ck_assert_ptr_nonnull(errstr);
	ck_assert_msg(errstr[0] != '\0', "empty reason for \"%s\"", in);
	stats_free(&st);
}
END_TEST

START_TEST(test_parse_nul)
{
	struct stats	 st;
	const char	*errstr = NULL;
	char		 in[sizeof(zero)];

	memcpy(in, zero, sizeof(zero));
	in[20] = '\0';
	ck_assert_int_eq(stats_parse(&st, in, sizeof(zero) - 1, &errstr), -1);
	ck_assert_str_eq(errstr, "not a STATS reply");
	stats_free(&st);
}
END_TEST

/* Every prefix of a real reply: parsed or refused, never a crash. */
START_TEST(test_parse_prefix)
{
	struct stats	 st;
	const char	*errstr;
	char		*out;

	if (stats_parse(&st, real, (size_t)_i, &errstr) == 0) {
		out = format(&st);
		free(out);
	}
	stats_free(&st);
}
END_TEST

/* Random bytes, then random edits of a real reply. */
START_TEST(test_parse_random)
{
	struct stats	 st;
	const char	*errstr;
	char		 in[sizeof(real)], *out;
	size_t		 i, n;

	srand((unsigned)_i);
	n = (size_t)rand() % sizeof(in);
	for (i = 0; i < n; i++)
		in[i] = _i % 2 ? (char)(rand() % 256) : real[i];
	for (i = 0; _i % 2 == 0 && i < 3 && n > 0; i++)
		in[(size_t)rand() % n] = " =\n.s0x"[rand() % 7];
	if (stats_parse(&st, in, n, &errstr) == 0) {
		out = format(&st);
		free(out);
	}
	stats_free(&st);
}
END_TEST

START_TEST(test_format_table)
{
	struct stats	 st;
	char		*out, want[sizeof(counters_table) +
			    sizeof(sessions_table)];

	parse_ok(&st, real);
	out = format(&st);
	snprintf(want, sizeof(want), "%s%s", counters_table, sessions_table);
	ck_assert_str_eq(out, want);
	free(out);
	stats_free(&st);
}
END_TEST

START_TEST(test_format_zero)
{
	struct stats	 st;
	char		*out, want[sizeof(counters_table) + 64];

	parse_ok(&st, zero);
	out = format(&st);
	snprintf(want, sizeof(want), "%s%s", counters_table,
	    "PID  CONN  PEER  STATE  AGE  REQS  IN  OUT\n");
	ck_assert_str_eq(out, want);
	free(out);
	stats_free(&st);
}
END_TEST

START_TEST(test_format_unknown_group)
{
	struct stats	 st;
	char		*out;

	parse_ok(&st, "+OK 0 sessions\nx=1 y=22 z=3 w=4444");
	out = format(&st);
	ck_assert_str_eq(out,
	    "counters  x    1  y 22  z 3\n"
	    "          w 4444\n"
	    "\n"
	    "PID  CONN  PEER  STATE  AGE  REQS  IN  OUT\n");
	free(out);
	stats_free(&st);
}
END_TEST

static const struct human_case {
	long long	 in;
	const char	*want;
} bytes_cases[] = {
	{ 0, "0" }, { 45, "45" }, { 1023, "1023" }, { 1024, "1.0K" },
	{ 1234, "1.2K" }, { 10239, "10K" }, { 10240, "10K" },
	{ 1048575, "1024K" }, { 1048576, "1.0M" }, { 5368709120LL, "5.0G" },
	{ 1LL << 62, "4.0E" },
}, age_cases[] = {
	{ -5, "0.0s" }, { 0, "0.0s" }, { 2, "0.0s" }, { 1234, "1.2s" },
	{ 59999, "59.9s" }, { 60000, "1m00s" }, { 754000, "12m34s" },
	{ 3599999, "59m59s" }, { 3600000, "1h00m" }, { 86399999, "23h59m" },
	{ 86400000, "1d00h" }, { 200000000, "2d07h" },
};

START_TEST(test_bytes)
{
	char	 out[STATS_HUMAN_MAX];

	stats_bytes(bytes_cases[_i].in, out);
	ck_assert_str_eq(out, bytes_cases[_i].want);
}
END_TEST

START_TEST(test_age)
{
	char	 out[STATS_HUMAN_MAX];

	stats_age(age_cases[_i].in, out);
	ck_assert_str_eq(out, age_cases[_i].want);
}
END_TEST

#define NCASES(a)	((int)(sizeof(a) / sizeof((a)[0])))

Suite *
stats_suite(void)
{
	Suite	*s = suite_create("stats");
	TCase	*tc;

	tc = tcase_create("Core");
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_parse_real);
	tcase_add_test(tc, test_parse_zero_sessions);
	tcase_add_test(tc, test_parse_lenient);
	tcase_add_test(tc, test_parse_escapes);
	tcase_add_test(tc, test_format_table);
	tcase_add_test(tc, test_format_zero);
	tcase_add_test(tc, test_format_unknown_group);
	tcase_add_loop_test(tc, test_bytes, 0, NCASES(bytes_cases));
	tcase_add_loop_test(tc, test_age, 0, NCASES(age_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("Limits");
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, test_parse_bad, 0, NCASES(bad_replies));
	tcase_add_test(tc, test_parse_nul);
	tcase_add_loop_test(tc, test_parse_prefix, 0, (int)sizeof(real));
	tcase_add_loop_test(tc, test_parse_random, 0, 200);
	suite_add_tcase(s, tc);
	return s;
}
