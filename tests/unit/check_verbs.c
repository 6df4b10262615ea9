/*
 * check_verbs: what each verb answers, over a TCP session context and
 * over UDP, with a scoreboard opened here.  HELP, ECHO, TIME, PID, STATS;
 * SLEEP and QUIT handed back as actions (and refused over UDP); argument
 * errors are -ERR replies.
 */
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <check.h>

#include "clock.h"
#include "cmd.h"
#include "proto.h"
#include "reply.h"
#include "scoreboard.h"
#include "suites.h"
#include "verbs.h"

#define PEER	"127.0.0.1:51234"

static struct scoreboard	 sb;
static struct verb_ctx		 tcp_ctx, udp_ctx;
static struct reply		 r;
static char			 text[8192];

static void
verbs_setup(void)
{
	struct sb_slot	*s;

	ck_assert_int_eq(scoreboard_open(&sb, 4), 0);
	s = scoreboard_alloc(&sb);
	ck_assert_ptr_nonnull(s);
	s->conn = 17;
	s->start_ms = clock_ms() - 1234;
	memcpy(s->peer, PEER, sizeof(PEER));
	scoreboard_publish(&sb, s, getpid());
	sb.c->listener_pid = getppid();

	tcp_ctx.sb = &sb;
	tcp_ctx.conn = 17;
	tcp_ctx.peer = PEER;
	tcp_ctx.start_ms = s->start_ms;
	tcp_ctx.udp = 0;
	udp_ctx.sb = &sb;
	udp_ctx.conn = 0;
	udp_ctx.peer = "127.0.0.1:40000";
	udp_ctx.start_ms = clock_ms();
	udp_ctx.udp = 1;
	memset(&r, 0, sizeof(r));
}

static void
verbs_teardown(void)
{
	reply_free(&r);
	scoreboard_close(&sb);
}

/* Run req[0..len) in ctx; the reply text lands in text[] (NUL added). */
static int
run_n(const struct verb_ctx *ctx, const char *req, size_t len, int *ms)
{
	struct cmd	 c;
	int		 rc;
	size_t		 n;

	cmd_parse(req, len, &c);
	rc = verbs_run(&c, ctx, &r, ms);
	n = buf_used(&r.text);
	ck_assert_uint_lt(n, sizeof(text));
	memcpy(text, buf_head(&r.text), n);
	text[n] = '\0';
	return rc;
}

static int
run(const struct verb_ctx *ctx, const char *req)
{
	int	 ms = -1;

	return run_n(ctx, req, strlen(req), &ms);
}

static int
matches(const char *s, const char *re)
{
	regex_t	 rx;
	int	 rc;

	ck_assert_int_eq(regcomp(&rx, re, REG_EXTENDED), 0);
	rc = regexec(&rx, s, 0, NULL, 0);
	regfree(&rx);
	return rc == 0;
}

#define ASSERT_MATCH(s, re)						\
	ck_assert_msg(matches((s), (re)), "\"%s\" does not match /%s/",	\
	    (s), (re))

static int
count_body_lines(const char *s, const char *prefix)
{
	const char	*p;
	int		 n = 0;

	for (p = strchr(s, '\n'); p != NULL; p = strchr(p + 1, '\n'))
		n += strncmp(p + 1, prefix, strlen(prefix)) == 0;
	return n;
}

START_TEST(test_help)
{
	static const char *const verbs[] = {
		"HELP", "ECHO", "TIME", "PID", "STATS", "SLEEP", "QUIT"
	};
	char	 want[32];
	size_t	 i;

	ck_assert_int_eq(run(&tcp_ctx, "help"), VERB_REPLY);
	ck_assert_int_eq(r.ok, 1);
	ck_assert_int_eq(r.has_body, 1);
	ck_assert_int_eq(strncmp(text, "+OK", 3), 0);
	ck_assert_int_eq(count_body_lines(text, ""), 7);
	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
		snprintf(want, sizeof(want), "\n%s ", verbs[i]);
		ck_assert_msg(strstr(text, want) != NULL,
		    "HELP does not list %s", verbs[i]);
	}
}
END_TEST

/* CRASH and EXIT n exist only with --debug-verbs, and never over UDP. */
START_TEST(test_debug_verbs)
{
	struct verb_ctx	 dbg = tcp_ctx, dbg_udp = udp_ctx;
	int		 arg = -1;

	ck_assert_int_eq(run(&tcp_ctx, "CRASH"), VERB_REPLY);
	ck_assert_str_eq(text, "-ERR unknown command, try HELP");
	ck_assert_int_eq(run(&tcp_ctx, "EXIT 3"), VERB_REPLY);
	ck_assert_str_eq(text, "-ERR unknown command, try HELP");
	ck_assert_int_eq(run(&tcp_ctx, "HELP"), VERB_REPLY);
	ck_assert_ptr_null(strstr(text, "CRASH"));

	dbg.debug = dbg_udp.debug = 1;
	ck_assert_int_eq(run(&dbg, "crash"), VERB_CRASH);
	ck_assert_str_eq(text, "+OK crashing");
	ck_assert_int_eq(run_n(&dbg, "EXIT 42", 7, &arg), VERB_EXIT);
	ck_assert_str_eq(text, "+OK exiting 42");
	ck_assert_int_eq(arg, 42);
	ck_assert_int_eq(run(&dbg, "EXIT 256"), VERB_REPLY);
	ck_assert_str_eq(text, "-ERR usage: EXIT n (0-255)");
	ck_assert_int_eq(run(&dbg, "EXIT"), VERB_REPLY);
	ck_assert_int_eq(run(&dbg, "HELP"), VERB_REPLY);
	ck_assert_int_eq(count_body_lines(text, ""), 9);
	ck_assert_ptr_nonnull(strstr(text, "\nCRASH - "));
	ck_assert_ptr_nonnull(strstr(text, "\nEXIT n - "));
	ck_assert_int_eq(run(&dbg_udp, "CRASH"), VERB_REPLY);
	ck_assert_str_eq(text, "-ERR unknown command, try HELP");
	ck_assert_int_eq(run(&dbg_udp, "HELP"), VERB_REPLY);
	ck_assert_int_eq(count_body_lines(text, ""), 7);
}
END_TEST

START_TEST(test_echo)
{
	ck_assert_int_eq(run(&tcp_ctx, "ECHO hello world"), VERB_REPLY);
	ck_assert_str_eq(text, "+OK hello world");
	ck_assert_int_eq(r.ok, 1);
	ck_assert_int_eq(r.has_body, 0);
	ck_assert_int_eq(run(&tcp_ctx, "echo  spaced "), VERB_REPLY);
	ck_assert_str_eq(text, "+OK  spaced ");
	ck_assert_int_eq(run(&tcp_ctx, "ECHO"), VERB_REPLY);
	ck_assert_str_eq(text, "+OK");
	ck_assert_int_eq(run(&tcp_ctx, "ECHO "), VERB_REPLY);
	ck_assert_str_eq(text, "+OK");
}
END_TEST

START_TEST(test_echo_binary)
{
	int	 ms = -1;

	ck_assert_int_eq(run_n(&tcp_ctx, "ECHO a\0b\xff", 9, &ms), VERB_REPLY);
	ck_assert_uint_eq(buf_used(&r.text), 8);
	ck_assert_mem_eq(buf_head(&r.text), "+OK a\0b\xff", 8);
}
END_TEST

START_TEST(test_time)
{
	struct tm	 tm;
	time_t		 t;
	double		 d;

	ck_assert_int_eq(run(&tcp_ctx, "TIME"), VERB_REPLY);
	ASSERT_MATCH(text, "^\\+OK [0-9]{4}-[0-9]{2}-[0-9]{2}"
	    "T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$");
	/* UTC, now. */
	memset(&tm, 0, sizeof(tm));
	ck_assert_int_eq(sscanf(text, "+OK %d-%d-%dT%d:%d:%dZ", &tm.tm_year,
	    &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec), 6);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	t = timegm(&tm);
	/*
	 * time() may read the kernel's coarse clock, a tick behind the
	 * CLOCK_REALTIME that TIME uses: at a second boundary it can say
	 * the previous second.
	 */
	d = difftime(time(NULL), t);
	ck_assert_msg(d >= -1 && d < 5, "TIME is %.0f s off", d);
}
END_TEST

START_TEST(test_pid)
{
	char		 re[256];
	const char	*age;
	double		 secs;

	ck_assert_int_eq(run(&tcp_ctx, "PID"), VERB_REPLY);
	snprintf(re, sizeof(re), "^\\+OK pid=%ld ppid=%ld conn=17 "
	    "peer=127\\.0\\.0\\.1:51234 age=[0-9]+\\.[0-9]{3}s$",
	    (long)getpid(), (long)getppid());
	ASSERT_MATCH(text, re);
	age = strstr(text, "age=") + 4;
	secs = strtod(age, NULL);
	ck_assert_msg(secs >= 1.234 && secs < 6.0, "age=%.3f, want ~1.234",
	    secs);
}
END_TEST

START_TEST(test_stats)
{
	char	 want[64];

	ck_assert_int_eq(run(&tcp_ctx, "STATS"), VERB_REPLY);
	ck_assert_int_eq(r.ok, 1);
	ck_assert_int_eq(r.has_body, 1);
	ck_assert_int_eq(strncmp(text, "+OK 1 sessions\n", 15), 0);
	/* The caller included. */
	ck_assert_int_eq(count_body_lines(text, "pid="), 1);
	snprintf(want, sizeof(want), "\npid=%ld conn=17 peer=" PEER " ",
	    (long)getpid());
	ck_assert_ptr_nonnull(strstr(text, want));
	ck_assert_ptr_nonnull(strstr(text, "listener_pid="));
}
END_TEST

START_TEST(test_sleep)
{
	int	 ms = -1;

	ck_assert_int_eq(run_n(&tcp_ctx, "SLEEP 10", 8, &ms), VERB_SLEEP);
	ck_assert_int_eq(ms, 10);
	/* The reply to send after the wait is already built. */
	ck_assert_str_eq(text, "+OK");
	ck_assert_int_eq(r.ok, 1);
	ck_assert_int_eq(run_n(&tcp_ctx, "sleep 0", 7, &ms), VERB_SLEEP);
	ck_assert_int_eq(ms, 0);
	ck_assert_int_eq(run_n(&tcp_ctx, "SLEEP 10000", 11, &ms), VERB_SLEEP);
	ck_assert_int_eq(ms, PROTO_SLEEP_MAX_MS);
}
END_TEST

static const char *const bad_sleep[] = {
	"SLEEP -1", "SLEEP 10001", "SLEEP abc", "SLEEP", "SLEEP ",
	"SLEEP 1.5", "SLEEP 10 ", "SLEEP  10", "SLEEP 99999999999999999999",
	"SLEEP 10ms", "SLEEP 1e3",
};

START_TEST(test_sleep_bad)
{
	ck_assert_msg(run(&tcp_ctx, bad_sleep[_i]) == VERB_REPLY,
	    "\"%s\" was not answered at once", bad_sleep[_i]);
	ck_assert_int_eq(r.ok, 0);
	ck_assert_int_eq(strncmp(text, "-ERR ", 5), 0);
}
END_TEST

START_TEST(test_quit)
{
	ck_assert_int_eq(run(&tcp_ctx, "QUIT"), VERB_QUIT);
	ck_assert_str_eq(text, "+OK bye");
	ck_assert_int_eq(r.ok, 1);
	ck_assert_int_eq(run(&tcp_ctx, "quit"), VERB_QUIT);
}
END_TEST

START_TEST(test_unknown)
{
	ck_assert_int_eq(run(&tcp_ctx, "FROB x"), VERB_REPLY);
	ck_assert_int_eq(r.ok, 0);
	ck_assert_int_eq(strncmp(text, "-ERR ", 5), 0);
	ck_assert_int_eq(run(&tcp_ctx, "ECHOX hi"), VERB_REPLY);
	ck_assert_int_eq(strncmp(text, "-ERR ", 5), 0);
	ck_assert_int_eq(run(&tcp_ctx, ""), VERB_REPLY);
	ck_assert_int_eq(strncmp(text, "-ERR ", 5), 0);
}
END_TEST

START_TEST(test_fresh_reply)
{
	/* A reply with a body, then one without: nothing carried over. */
	ck_assert_int_eq(run(&tcp_ctx, "HELP"), VERB_REPLY);
	ck_assert_int_eq(run(&tcp_ctx, "ECHO x"), VERB_REPLY);
	ck_assert_int_eq(r.has_body, 0);
	ck_assert_str_eq(text, "+OK x");
}
END_TEST

START_TEST(test_udp_refused)
{
	int	 ms = -1;

	ck_assert_int_eq(run_n(&udp_ctx, "SLEEP 10", 8, &ms), VERB_REPLY);
	ck_assert_int_eq(r.ok, 0);
	ck_assert_int_eq(strncmp(text, "-ERR ", 5), 0);
	ck_assert_int_eq(run(&udp_ctx, "QUIT"), VERB_REPLY);
	ck_assert_int_eq(r.ok, 0);
	ck_assert_int_eq(strncmp(text, "-ERR ", 5), 0);
}
END_TEST

START_TEST(test_udp_stats)
{
	struct buf	 out = BUF_INIT;

	ck_assert_int_eq(run(&udp_ctx, "STATS"), VERB_REPLY);
	ck_assert_int_eq(r.ok, 1);
	ck_assert_int_eq(strncmp(text, "+OK 1 sessions\n", 15), 0);
	ck_assert_ptr_nonnull(strstr(text, "udp_dropped="));
	ck_assert_int_eq(count_body_lines(text, "pid="), 0);
	ck_assert_int_eq(reply_encode(&r, REPLY_UDP, &out), 0);
	buf_free(&out);
}
END_TEST

START_TEST(test_udp_others)
{
	char	 re[128];

	ck_assert_int_eq(run(&udp_ctx, "ECHO ping"), VERB_REPLY);
	ck_assert_str_eq(text, "+OK ping");
	ck_assert_int_eq(run(&udp_ctx, "TIME"), VERB_REPLY);
	ck_assert_int_eq(strncmp(text, "+OK ", 4), 0);
	ck_assert_int_eq(run(&udp_ctx, "PID"), VERB_REPLY);
	snprintf(re, sizeof(re), "^\\+OK pid=%ld ", (long)getpid());
	ASSERT_MATCH(text, re);
	ck_assert_int_eq(run(&udp_ctx, "FROB"), VERB_REPLY);
	ck_assert_int_eq(strncmp(text, "-ERR ", 5), 0);
}
END_TEST

START_TEST(test_udp_fits)
{
	static const char *const reqs[] = { "HELP", "STATS", "PID", "TIME" };
	struct buf	 out = BUF_INIT;
	size_t		 i;

	/*
	 * Every reply the worker can make fits one 512-byte datagram, even
	 * with every counter at its widest.
	 */
	sb.c->listener_pid = 2147483647;
	sb.c->udp_pid = 2147483647;
	sb.c->children = 2147483647;
	sb.c->peak_children = 2147483647;
	sb.c->accepted = UINT64_MAX;
	sb.c->refused_busy = UINT64_MAX;
	sb.c->refused_per_ip = UINT64_MAX;
	sb.c->fork_failed = UINT64_MAX;
	sb.c->reaped_exit = UINT64_MAX;
	sb.c->reaped_signal = UINT64_MAX;
	sb.c->udp_in = UINT64_MAX;
	sb.c->udp_out = UINT64_MAX;
	sb.c->udp_dropped = UINT64_MAX;
	for (i = 0; i < sizeof(reqs) / sizeof(reqs[0]); i++) {
		ck_assert_int_eq(run(&udp_ctx, reqs[i]), VERB_REPLY);
		buf_clear(&out);
		ck_assert_msg(reply_encode(&r, REPLY_UDP, &out) == 0,
		    "%s over UDP: %zu bytes", reqs[i], buf_used(&r.text));
		ck_assert_uint_le(buf_used(&out), PROTO_UDP_MAX_REPLY);
	}
	buf_free(&out);
}
END_TEST

#define NCASES(a)	((int)(sizeof(a) / sizeof((a)[0])))

Suite *
verbs_suite(void)
{
	Suite	*s = suite_create("verbs");
	TCase	*tc;

	tc = tcase_create("Core");
	tcase_set_timeout(tc, 10);
	tcase_add_checked_fixture(tc, verbs_setup, verbs_teardown);
	tcase_add_test(tc, test_help);
	tcase_add_test(tc, test_echo);
	tcase_add_test(tc, test_time);
	tcase_add_test(tc, test_pid);
	tcase_add_test(tc, test_stats);
	tcase_add_test(tc, test_sleep);
	tcase_add_test(tc, test_quit);
	tcase_add_test(tc, test_unknown);
	tcase_add_test(tc, test_udp_refused);
	tcase_add_test(tc, test_udp_stats);
	tcase_add_test(tc, test_udp_others);
	tcase_add_test(tc, test_debug_verbs);
	suite_add_tcase(s, tc);

	tc = tcase_create("Limits");
	tcase_set_timeout(tc, 10);
	tcase_add_checked_fixture(tc, verbs_setup, verbs_teardown);
	tcase_add_test(tc, test_echo_binary);
	tcase_add_loop_test(tc, test_sleep_bad, 0, NCASES(bad_sleep));
	tcase_add_test(tc, test_fresh_reply);
	tcase_add_test(tc, test_udp_fits);
	suite_add_tcase(s, tc);
	return s;
}
