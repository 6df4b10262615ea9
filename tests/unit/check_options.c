/*
 * check_options: forkc's command line.  Defaults; the "stats",
 * "watch [secs]" and "bench" words before, between and after options;
 * -n/--count, --batch, --trickle, --trickle-ms; the bench options; the
 * exclusions (one sending style, TCP only, nothing else with stats/watch,
 * bench options only with bench) as usage errors with a one-line
 * message; a -c argument is never a word.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <check.h>

#include "options.h"
#include "suites.h"

#define MAXARGS		20
#define ARGLEN		64

/* A writable argv, as getopt may permute it. */
struct args {
	char	 buf[MAXARGS][ARGLEN];
	char	*argv[MAXARGS + 1];
	int	 argc;
};

/* opts_parse of "forkc" and the words, NULL-terminated. */
static enum opts_result
parse(struct client_opts *o, char *errmsg, struct args *a, ...)
    __attribute__((sentinel));

static enum opts_result
parse(struct client_opts *o, char *errmsg, struct args *a, ...)
{
	const char	*w;
	va_list		 ap;

	a->argc = 0;
	va_start(ap, a);
	for (w = "forkc"; w != NULL; w = va_arg(ap, const char *)) {
		ck_assert_int_lt(a->argc, MAXARGS);
		ck_assert_uint_lt(strlen(w), ARGLEN);
		snprintf(a->buf[a->argc], ARGLEN, "%s", w);
		a->argv[a->argc] = a->buf[a->argc];
		a->argc++;
	}
	va_end(ap);
	a->argv[a->argc] = NULL;
	return opts_parse(o, a->argc, a->argv, errmsg);
}

/* A usage error: a non-empty message on one printable line. */
static void
assert_usage_msg(const char *errmsg)
{
	const char	*p;

	ck_assert_msg(errmsg[0] != '\0', "empty usage message");
	ck_assert_uint_lt(strlen(errmsg), OPTS_ERR_MAX);
	for (p = errmsg; *p != '\0'; p++)
		ck_assert_msg(isprint((unsigned char)*p),
		    "byte 0x%02x in usage message \"%s\"", (unsigned char)*p,
		    errmsg);
}

START_TEST(test_defaults)
{
	struct client_opts	 o;
	struct args		 a;
	char			 err[OPTS_ERR_MAX];

	ck_assert_int_eq(parse(&o, err, &a, (char *)NULL), OPTS_OK);
	ck_assert_str_eq(o.host, "127.0.0.1");
	ck_assert_int_eq(o.port, 8007);
	ck_assert_int_eq(o.mode, CLIENT_FRAME);
	ck_assert_int_eq(o.action, CLIENT_COMMANDS);
	ck_assert_int_eq(o.half_close, 0);
	ck_assert_int_eq(o.batch, 0);
	ck_assert_int_eq(o.trickle, 0);
	ck_assert_int_eq(o.trickle_ms, OPTS_TRICKLE_MS);
	ck_assert_int_eq(o.timeout_ms, 10000);
	ck_assert_int_eq(o.interval_ms, 1000);
	ck_assert_int_eq(o.count, 0);
	ck_assert_int_eq(o.ncmds, 0);
	ck_assert_int_eq(o.bench.procs, OPTS_PROCS);
	ck_assert_int_eq(o.bench.conns, OPTS_CONNS);
	ck_assert_int_eq(o.bench.requests, OPTS_REQUESTS);
	ck_assert_int_eq(o.bench.size, OPTS_SIZE);
	ck_assert_int_eq(o.bench.persistent, 0);
	ck_assert_int_eq(o.bench.duration_ms, 0);
	ck_assert_int_eq(o.bench.progress, 0);
	opts_free(&o);
}
END_TEST

START_TEST(test_bench_word)
{
	struct client_opts	 o;
	struct args		 a;
	char			 err[OPTS_ERR_MAX];

	ck_assert_int_eq(parse(&o, err, &a, "bench", (char *)NULL), OPTS_OK);
	ck_assert_int_eq(o.action, CLIENT_BENCH);
	ck_assert_int_eq(o.mode, CLIENT_FRAME);
	ck_assert_int_eq(o.bench.procs, 4);
	ck_assert_int_eq(o.bench.conns, 100);
	ck_assert_int_eq(o.bench.requests, 1);
	ck_assert_int_eq(o.bench.size, 16);
	ck_assert_int_eq(o.timeout_ms, OPTS_TIMEOUT_MS);
	opts_free(&o);
	/* Every option, before and after the word. */
	ck_assert_int_eq(parse(&o, err, &a, "-P", "2", "--conns", "50",
	    "bench", "-K", "2", "--persistent", "--proto", "line", "--size",
	    "1K", "--progress", "-t", "0.5", "-q", (char *)NULL), OPTS_OK);
	ck_assert_int_eq(o.action, CLIENT_BENCH);
	ck_assert_int_eq(o.bench.procs, 2);
	ck_assert_int_eq(o.bench.conns, 50);
	ck_assert_int_eq(o.bench.requests, 2);
	ck_assert_int_eq(o.bench.persistent, 1);
	ck_assert_int_eq(o.mode, CLIENT_LINE);
	ck_assert_int_eq(o.bench.size, 1024);
	ck_assert_int_eq(o.bench.progress, 1);
	ck_assert_int_eq(o.timeout_ms, 500);
	ck_assert_int_eq(o.quiet, 1);
	opts_free(&o);
	ck_assert_int_eq(parse(&o, err, &a, "bench", "--procs=512",
	    "--requests=7", "--size", "0", "--proto=tcp", (char *)NULL),
	    OPTS_OK);
	ck_assert_int_eq(o.bench.procs, 512);
	ck_assert_int_eq(o.bench.requests, 7);
	ck_assert_int_eq(o.bench.size, 0);
	ck_assert_int_eq(o.mode, CLIENT_FRAME);
	opts_free(&o);
}
END_TEST

/* UDP: a shorter default -t (a lost datagram costs a whole one). */
START_TEST(test_bench_udp)
{
	struct client_opts	 o;
	struct args		 a;
	char			 err[OPTS_ERR_MAX];

	ck_assert_int_eq(parse(&o, err, &a, "bench", "--proto", "udp",
	    "--size", "508", (char *)NULL), OPTS_OK);
	ck_assert_int_eq(o.mode, CLIENT_UDP);
	ck_assert_int_eq(o.bench.size, 508);
	ck_assert_int_eq(o.timeout_ms, OPTS_UDP_BENCH_MS);
	opts_free(&o);
	ck_assert_int_eq(parse(&o, err, &a, "-u", "-t", "3", "bench",
	    (char *)NULL), OPTS_OK);
	ck_assert_int_eq(o.mode, CLIENT_UDP);
	ck_assert_int_eq(o.timeout_ms, 3000);
	opts_free(&o);
	/* Over UDP without bench, -t keeps its usual default. */
	ck_assert_int_eq(parse(&o, err, &a, "-u", "-c", "TIME", (char *)NULL),
	    OPTS_OK);
	ck_assert_int_eq(o.timeout_ms, OPTS_TIMEOUT_MS);
	opts_free(&o);
}
END_TEST

/* --duration replaces -N (short), -K (persistent), both (UDP). */
START_TEST(test_bench_duration)
{
	struct client_opts	 o;
	struct args		 a;
	char			 err[OPTS_ERR_MAX];

	ck_assert_int_eq(parse(&o, err, &a, "bench", "--duration", "2.5",
	    "-K", "3", (char *)NULL), OPTS_OK);
	ck_assert_int_eq(o.bench.duration_ms, 2500);
	ck_assert_int_eq(o.bench.requests, 3);
	opts_free(&o);
	ck_assert_int_eq(parse(&o, err, &a, "bench", "--duration", "1",
	    "--persistent", "-N", "8", (char *)NULL), OPTS_OK);
	ck_assert_int_eq(o.bench.duration_ms, 1000);
	ck_assert_int_eq(o.bench.conns, 8);
	opts_free(&o);
	ck_assert_int_eq(parse(&o, err, &a, "bench", "--duration", "0.001",
	    "-u", (char *)NULL), OPTS_OK);
	ck_assert_int_eq(o.bench.duration_ms, 1);
	opts_free(&o);
}
END_TEST

START_TEST(test_stats_word)
{
	struct client_opts	 o;
	struct args		 a;
	char			 err[OPTS_ERR_MAX];

	ck_assert_int_eq(parse(&o, err, &a, "stats", (char *)NULL), OPTS_OK);
	ck_assert_int_eq(o.action, CLIENT_STATS);
	opts_free(&o);
	ck_assert_int_eq(parse(&o, err, &a, "-p", "9000", "stats",
	    (char *)NULL), OPTS_OK);
	ck_assert_int_eq(o.action, CLIENT_STATS);
	ck_assert_int_eq(o.port, 9000);
	opts_free(&o);
	/* Options after the word are still options. */
	ck_assert_int_eq(parse(&o, err, &a, "stats", "-p", "9001", "--line",
	    "-t", "2", (char *)NULL), OPTS_OK);
	ck_assert_int_eq(o.action, CLIENT_STATS);
	ck_assert_int_eq(o.port, 9001);
	ck_assert_int_eq(o.mode, CLIENT_LINE);
	ck_assert_int_eq(o.timeout_ms, 2000);
	opts_free(&o);
	/* A -c value is a command, never a word. */
	ck_assert_int_eq(parse(&o, err, &a, "-c", "stats", (char *)NULL),
	    OPTS_OK);
	ck_assert_int_eq(o.action, CLIENT_COMMANDS);
	ck_assert_int_eq(o.ncmds, 1);
	ck_assert_str_eq(o.cmds[0], "stats");
	opts_free(&o);
}
END_TEST

static const struct watch_case {
	const char	*w[6];
	int		 interval_ms, count;
} watch_cases[] = {
	{ { "watch" }, 1000, 0 },
	{ { "watch", "2" }, 2000, 0 },
	{ { "watch", "0.2" }, 200, 0 },
	{ { "watch", "0.1" }, 100, 0 },
	{ { "watch", "1.25" }, 1250, 0 },
	{ { "watch", "0.2", "-n", "3" }, 200, 3 },
	{ { "-n", "3", "watch", "0.2" }, 200, 3 },
	{ { "--count", "7", "watch" }, 1000, 7 },
	{ { "watch", "--count=2", "5" }, 5000, 2 },
	{ { "watch", "-n", "1", "0.5" }, 500, 1 },
	{ { "-p", "9", "watch", "3", "-t", "1" }, 3000, 0 },
};

START_TEST(test_watch_word)
{
	const struct watch_case	*c = &watch_cases[_i];
	struct client_opts	 o;
	struct args		 a;
	char			 err[OPTS_ERR_MAX];

	ck_assert_int_eq(parse(&o, err, &a, c->w[0], c->w[1], c->w[2],
	    c->w[3], c->w[4], c->w[5], (char *)NULL), OPTS_OK);
	ck_assert_int_eq(o.action, CLIENT_WATCH);
	ck_assert_int_eq(o.interval_ms, c->interval_ms);
	ck_assert_int_eq(o.count, c->count);
	opts_free(&o);
}
END_TEST

START_TEST(test_send_styles)
{
	struct client_opts	 o;
	struct args		 a;
	char			 err[OPTS_ERR_MAX];

	ck_assert_int_eq(parse(&o, err, &a, "--batch", "-c", "A", "-c", "B",
	    (char *)NULL), OPTS_OK);
	ck_assert_int_eq(o.batch, 1);
	ck_assert_int_eq(o.ncmds, 2);
	opts_free(&o);
	ck_assert_int_eq(parse(&o, err, &a, "--line", "--batch",
	    (char *)NULL), OPTS_OK);
	ck_assert_int_eq(o.batch, 1);
	ck_assert_int_eq(o.mode, CLIENT_LINE);
	opts_free(&o);
	ck_assert_int_eq(parse(&o, err, &a, "--trickle", "-c", "A",
	    (char *)NULL), OPTS_OK);
	ck_assert_int_eq(o.trickle, 1);
	ck_assert_int_eq(o.trickle_ms, OPTS_TRICKLE_MS);
	opts_free(&o);
	ck_assert_int_eq(parse(&o, err, &a, "--trickle-ms", "0", "--line",
	    "--trickle", (char *)NULL), OPTS_OK);
	ck_assert_int_eq(o.trickle, 1);
	ck_assert_int_eq(o.trickle_ms, 0);
	opts_free(&o);
	ck_assert_int_eq(parse(&o, err, &a, "--trickle", "--trickle-ms=1000",
	    (char *)NULL), OPTS_OK);
	ck_assert_int_eq(o.trickle_ms, 1000);
	opts_free(&o);
	ck_assert_int_eq(parse(&o, err, &a, "--half-close", (char *)NULL),
	    OPTS_OK);
	ck_assert_int_eq(o.half_close, 1);
	opts_free(&o);
}
END_TEST

/* Usage errors, and a word of the message each must contain. */
static const struct bad_case {
	const char	*w[5];
	const char	*says;
} bad_cases[] = {
	{ { "--batch", "--trickle" }, "exclusive" },
	{ { "--batch", "--half-close" }, "exclusive" },
	{ { "--trickle", "--half-close" }, "exclusive" },
	{ { "-u", "--batch" }, "--batch needs TCP" },
	{ { "-u", "--trickle" }, "--trickle needs TCP" },
	{ { "-u", "--half-close" }, "--half-close needs TCP" },
	{ { "--trickle-ms", "5" }, "--trickle-ms needs --trickle" },
	{ { "--trickle", "--trickle-ms", "1001" }, "too large" },
	{ { "--trickle", "--trickle-ms", "x" }, "invalid" },
	{ { "--trickle", "--trickle-ms" }, "needs a value" },
	{ { "-n", "3" }, "--count needs watch" },
	{ { "-n", "3", "stats" }, "--count needs watch" },
	{ { "-n", "0", "watch" }, "too small" },
	{ { "--count", "x", "watch" }, "invalid" },
	{ { "watch", "-n" }, "needs a value" },
	{ { "watch", "0.05" }, "too small" },
	{ { "watch", "0" }, "too small" },
	{ { "watch", "abc" }, "invalid" },
	{ { "watch", "1.2345" }, "invalid" },
	{ { "watch", "1", "2" }, "unexpected argument: 2" },
	{ { "stats", "1" }, "unexpected argument: 1" },
	{ { "stats", "watch" }, "unexpected argument: watch" },
	{ { "frobnicate" }, "unexpected argument: frobnicate" },
	{ { "-c", "PID", "stats" }, "no -c" },
	{ { "watch", "-c", "PID" }, "no -c" },
	{ { "-u", "stats" }, "need TCP" },
	{ { "-u", "watch" }, "need TCP" },
	{ { "--batch", "stats" }, "sending style" },
	{ { "watch", "--trickle" }, "sending style" },
	{ { "--half-close", "watch" }, "sending style" },
	{ { "-P", "2" }, "-P needs bench" },
	{ { "-N", "2", "stats" }, "-N needs bench" },
	{ { "-K", "2", "-c", "PID" }, "-K needs bench" },
	{ { "--persistent", "watch" }, "--persistent needs bench" },
	{ { "--proto", "udp" }, "--proto needs bench" },
	{ { "--size", "4" }, "--size needs bench" },
	{ { "--duration", "4" }, "--duration needs bench" },
	{ { "--progress" }, "--progress needs bench" },
	{ { "bench", "-P", "0" }, "too small" },
	{ { "bench", "-P", "513" }, "too large" },
	{ { "bench", "-N", "0" }, "too small" },
	{ { "bench", "-K", "x" }, "invalid" },
	{ { "bench", "-K", "1000000001" }, "too large" },
	{ { "bench", "--size", "-1" }, "invalid" },
	{ { "bench", "--size", "16M" }, "too large" },
	{ { "bench", "--duration", "0" }, "too small" },
	{ { "bench", "--duration", "x" }, "invalid" },
	{ { "bench", "--proto", "sctp" }, "proto is not tcp, line or udp" },
	{ { "bench", "--proto" }, "needs a value" },
	{ { "bench", "-c", "PID" }, "bench takes no -c" },
	{ { "bench", "--batch" }, "bench takes no sending style" },
	{ { "--trickle", "bench" }, "bench takes no sending style" },
	{ { "bench", "-n", "2" }, "--count needs watch" },
	{ { "bench", "-u", "--persistent" }, "--persistent needs TCP" },
	{ { "bench", "--proto", "udp", "--size", "509" }, "at most 508" },
	{ { "bench", "--duration", "1", "-N", "5" }, "takes no -N" },
	{ { "bench", "--persistent", "--duration", "1", "-K" }, "needs a value" },
	{ { "bench", "--persistent", "--duration", "1", "-K2" },
	    "takes no -K" },
	{ { "bench", "-u", "--duration", "1", "-K2" }, "takes no -N or -K" },
	{ { "bench", "-u", "--duration", "1", "-N2" }, "takes no -N or -K" },
	{ { "bench", "stats" }, "unexpected argument: stats" },
	{ { "bench", "5" }, "unexpected argument: 5" },
	{ { "watch", "bench" }, "invalid" },
};

START_TEST(test_bad)
{
	const struct bad_case	*c = &bad_cases[_i];
	struct client_opts	 o;
	struct args		 a;
	char			 err[OPTS_ERR_MAX];

	ck_assert_int_eq(parse(&o, err, &a, c->w[0], c->w[1], c->w[2],
	    c->w[3], c->w[4], (char *)NULL), OPTS_USAGE);
	assert_usage_msg(err);
	ck_assert_msg(strstr(err, c->says) != NULL,
	    "message \"%s\" does not say \"%s\"", err, c->says);
	opts_free(&o);
}
END_TEST

START_TEST(test_repeated)
{
	struct client_opts	 o;
	struct args		 a;
	char			 err[OPTS_ERR_MAX];

	ck_assert_int_eq(parse(&o, err, &a, "--trickle", "--trickle-ms", "9",
	    "-c", "X", (char *)NULL), OPTS_OK);
	opts_free(&o);
	ck_assert_int_eq(parse(&o, err, &a, "-n", "4", "watch", "0.5",
	    (char *)NULL), OPTS_OK);
	ck_assert_int_eq(o.trickle, 0);
	ck_assert_int_eq(o.ncmds, 0);
	opts_free(&o);
	ck_assert_int_eq(parse(&o, err, &a, (char *)NULL), OPTS_OK);
	ck_assert_int_eq(o.action, CLIENT_COMMANDS);
	ck_assert_int_eq(o.count, 0);
	ck_assert_int_eq(o.interval_ms, 1000);
	ck_assert_int_eq(o.trickle_ms, OPTS_TRICKLE_MS);
	opts_free(&o);
}
END_TEST

START_TEST(test_usage_text)
{
	static const char *const opts[] = {
		"[-hquV]", "[-c command]", "[-H host]", "[-n count]",
		"[-p port]", "[-t secs]", "[--batch | --half-close | --trickle]",
		"[--line]", "[--trickle-ms ms]", "[stats | watch [secs]]",
		"\n       forkc [-qu] [-H host] [-K requests] [-N conns]",
		"[-P procs]", "[--duration secs]", "[--persistent]",
		"[--progress]", "[--proto tcp|line|udp]", "[--size bytes] bench\n"
	};
	size_t	 i;

	ck_assert_int_eq(strncmp(opts_usage, "usage: forkc ", 13), 0);
	ck_assert_int_eq(opts_usage[strlen(opts_usage) - 1], '\n');
	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		ck_assert_msg(strstr(opts_usage, opts[i]) != NULL,
		    "usage does not mention %s", opts[i]);
}
END_TEST

#define NCASES(a)	((int)(sizeof(a) / sizeof((a)[0])))

Suite *
options_suite(void)
{
	Suite	*s = suite_create("options");
	TCase	*tc;

	tc = tcase_create("Core");
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_stats_word);
	tcase_add_test(tc, test_bench_word);
	tcase_add_test(tc, test_bench_udp);
	tcase_add_test(tc, test_bench_duration);
	tcase_add_loop_test(tc, test_watch_word, 0, NCASES(watch_cases));
	tcase_add_test(tc, test_send_styles);
	tcase_add_test(tc, test_repeated);
	tcase_add_test(tc, test_usage_text);
	suite_add_tcase(s, tc);

	tc = tcase_create("Limits");
	tcase_set_timeout(tc, 10);
	tcase_add_loop_test(tc, test_bad, 0, NCASES(bad_cases));
	suite_add_tcase(s, tc);
	return s;
}
