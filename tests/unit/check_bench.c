/*
 * check_bench: the pure half of forkc bench.  The histogram's percentiles
 * on known data and its bucket precision, merging results, the error
 * kinds, payloads and reply checks (forkd's and a plain echo server's),
 * and the report with its summary line.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <check.h>

#include "bench.h"
#include "histo.h"
#include "suites.h"

/* Zeroed: the structs are too big for a test's stack to be comfortable. */
static struct histo		 h1, h2, hall;
static struct bench_result	 r1, r2;
static struct bench_report	 rep;
static struct client_opts	 opts;

static void
setup(void)
{
	memset(&h1, 0, sizeof(h1));
	memset(&h2, 0, sizeof(h2));
	memset(&hall, 0, sizeof(hall));
	memset(&r1, 0, sizeof(r1));
	memset(&r2, 0, sizeof(r2));
	memset(&rep, 0, sizeof(rep));
	memset(&opts, 0, sizeof(opts));
	opts.mode = CLIENT_FRAME;
	opts.bench.procs = 2;
	opts.bench.conns = 50;
	opts.bench.requests = 2;
	opts.bench.size = 16;
	rep.o = &opts;
}

START_TEST(test_histo_empty)
{
	ck_assert_uint_eq(histo_percentile(&h1, 500), 0);
	ck_assert_uint_eq(histo_percentile(&h1, 1000), 0);
	ck_assert_uint_eq(h1.count, 0);
}
END_TEST

/* 1..100 µs: exact below 64, then buckets two wide (64-65, ..., 90-91). */
START_TEST(test_histo_known)
{
	int	 v;

	for (v = 100; v >= 1; v--)
		histo_add(&h1, v);
	ck_assert_uint_eq(h1.count, 100);
	ck_assert_uint_eq(h1.max, 100);
	ck_assert_uint_eq(histo_percentile(&h1, 1), 1);
	ck_assert_uint_eq(histo_percentile(&h1, 500), 50);
	ck_assert_uint_eq(histo_percentile(&h1, 630), 63);
	ck_assert_uint_eq(histo_percentile(&h1, 900), 91);
	ck_assert_uint_eq(histo_percentile(&h1, 990), 99);
	ck_assert_uint_eq(histo_percentile(&h1, 1000), 100);
	/* Never above the exact max, even when its bucket is wider. */
	histo_add(&h2, 1000);
	histo_add(&h2, 5000);
	ck_assert_uint_eq(histo_percentile(&h2, 500), 1007);
	ck_assert_uint_eq(histo_percentile(&h2, 990), 5000);
}
END_TEST

/* p50 of {v, huge} is v's bucket top: at least v, at most 1/32 above. */
static const uint64_t	 precise[] = {
	0, 1, 63, 64, 65, 127, 128, 129, 1000, 4095, 4096, 65535, 99999,
	1000000, 123456789, 4294967295ULL
};

START_TEST(test_histo_precision)
{
	uint64_t	 v = precise[_i], got;

	histo_add(&h1, (int64_t)v);
	histo_add(&h1, INT64_MAX);
	got = histo_percentile(&h1, 500);
	ck_assert_uint_ge(got, v);
	ck_assert_msg(got - v <= v / 32, "%llu reported as %llu",
	    (unsigned long long)v, (unsigned long long)got);
	ck_assert_uint_eq(histo_percentile(&h1, 1000), INT64_MAX);
}
END_TEST

START_TEST(test_histo_negative)
{
	histo_add(&h1, -5);
	ck_assert_uint_eq(h1.count, 1);
	ck_assert_uint_eq(histo_percentile(&h1, 1000), 0);
}
END_TEST

/* Merged halves give what one histogram of every sample gives. */
START_TEST(test_histo_merge)
{
	static const unsigned	 q[] = { 1, 100, 500, 900, 990, 999, 1000 };
	int			 v;
	size_t			 i;

	for (v = 0; v < 5000; v++) {
		histo_add(v % 3 == 0 ? &h1 : &h2, (v * 7919) % 20011);
		histo_add(&hall, (v * 7919) % 20011);
	}
	histo_merge(&h1, &h2);
	ck_assert_uint_eq(h1.count, 5000);
	ck_assert_uint_eq(h1.max, hall.max);
	for (i = 0; i < sizeof(q) / sizeof(q[0]); i++)
		ck_assert_uint_eq(histo_percentile(&h1, q[i]),
		    histo_percentile(&hall, q[i]));
	ck_assert_int_eq(memcmp(&h1, &hall, sizeof(h1)), 0);
}
END_TEST

START_TEST(test_result_merge)
{
	r1.conns = 10;
	r1.requests = 20;
	r1.err[BENCH_BUSY] = 3;
	histo_add(&r1.lat, 50);
	histo_add(&r1.setup, 400);
	r2.conns = 5;
	r2.requests = 7;
	r2.err[BENCH_BUSY] = 1;
	r2.err[BENCH_REFUSED] = 2;
	histo_add(&r2.lat, 70);
	histo_add(&r2.lat, 30);
	histo_add(&r2.cycle, 900);
	bench_merge(&r1, &r2);
	ck_assert_uint_eq(r1.conns, 15);
	ck_assert_uint_eq(r1.requests, 27);
	ck_assert_uint_eq(r1.err[BENCH_BUSY], 4);
	ck_assert_uint_eq(r1.err[BENCH_REFUSED], 2);
	ck_assert_uint_eq(bench_errors(&r1), 6);
	ck_assert_uint_eq(r1.lat.count, 3);
	ck_assert_uint_eq(histo_percentile(&r1.lat, 500), 50);
	ck_assert_uint_eq(histo_percentile(&r1.lat, 1000), 70);
	ck_assert_uint_eq(r1.setup.count, 1);
	ck_assert_uint_eq(r1.cycle.count, 1);
	ck_assert_uint_eq(histo_percentile(&r1.cycle, 1000), 900);
	/* The source is left alone. */
	ck_assert_uint_eq(r2.conns, 5);
}
END_TEST

START_TEST(test_classify)
{
	ck_assert_int_eq(bench_classify(ECONNREFUSED), BENCH_REFUSED);
	ck_assert_int_eq(bench_classify(ECONNRESET), BENCH_RESET);
	ck_assert_int_eq(bench_classify(EPIPE), BENCH_RESET);
	ck_assert_int_eq(bench_classify(ETIMEDOUT), BENCH_TIMEOUT);
	ck_assert_int_eq(bench_classify(EAGAIN), BENCH_TIMEOUT);
	ck_assert_int_eq(bench_classify(EMSGSIZE), BENCH_BAD);
	ck_assert_int_eq(bench_classify(EMFILE), BENCH_OTHER);
	ck_assert_int_eq(bench_classify(EADDRNOTAVAIL), BENCH_OTHER);
}
END_TEST

START_TEST(test_payload)
{
	char	 p[64];
	size_t	 i;

	memset(p, 0, sizeof(p));
	bench_payload(p, 16, 0x2a);
	ck_assert_str_eq(p, "0000002aijklmnop");
	memset(p, 0, sizeof(p));
	bench_payload(p, 3, 0x1234);
	ck_assert_str_eq(p, "234");
	memset(p, 0, sizeof(p));
	bench_payload(p, 40, UINT64_MAX);
	ck_assert_int_eq(strncmp(p, "ffffffff", 8), 0);
	for (i = 0; i < 40; i++)
		ck_assert_msg(p[i] > ' ' && p[i] < 0x7f, "byte %zu", i);
	bench_payload(p, 0, 7);
	ck_assert_int_eq(p[0], 'f');
}
END_TEST

START_TEST(test_check)
{
	char	 a[16], b[16], reply[32];

	bench_payload(a, 12, 5);
	bench_payload(b, 12, 6);
	memcpy(reply, "+OK ", 4);
	memcpy(reply + 4, a, 12);
	ck_assert_int_eq(bench_check(reply, 16, a, 12), BENCH_MATCH);
	ck_assert_int_eq(bench_check(reply, 16, b, 12), BENCH_STALE);
	ck_assert_int_eq(bench_check(reply, 15, a, 12), BENCH_MISMATCH);
	ck_assert_int_eq(bench_check(reply, 16, a, 11), BENCH_MISMATCH);
	reply[10] = 'X';
	ck_assert_int_eq(bench_check(reply, 16, a, 12), BENCH_MISMATCH);
	reply[10] = a[6];
	reply[15] = 'X';
	ck_assert_int_eq(bench_check(reply, 16, b, 12), BENCH_MISMATCH);
	ck_assert_int_eq(bench_check("-ERR server busy", 16, a, 12),
	    BENCH_MISMATCH);
	ck_assert_int_eq(bench_check("+OK", 3, a, 0), BENCH_MATCH);
	ck_assert_int_eq(bench_check("+OK ", 4, a, 0), BENCH_MISMATCH);
	ck_assert_int_eq(bench_check("-ERR", 4, a, 0), BENCH_MISMATCH);
}
END_TEST

/* A plain echo server: the payload itself comes back, nothing added. */
START_TEST(test_check_echo)
{
	char	 a[16], b[16], reply[32];

	bench_payload(a, 12, 5);
	bench_payload(b, 12, 6);
	memcpy(reply, a, 12);
	ck_assert_int_eq(bench_check_echo(reply, 12, a, 12), BENCH_MATCH);
	ck_assert_int_eq(bench_check_echo(reply, 12, b, 12), BENCH_STALE);
	ck_assert_int_eq(bench_check_echo(reply, 11, a, 12), BENCH_MISMATCH);
	ck_assert_int_eq(bench_check_echo(reply, 12, a, 11), BENCH_MISMATCH);
	/* forkd's reply is not an echo server's, nor the other way round. */
	memcpy(reply, "+OK ", 4);
	memcpy(reply + 4, a, 12);
	ck_assert_int_eq(bench_check_echo(reply, 16, a, 12), BENCH_MISMATCH);
	ck_assert_int_eq(bench_check(a, 12, a, 12), BENCH_MISMATCH);
	reply[0] = 'X';
	ck_assert_int_eq(bench_check_echo(a, 12, reply + 4, 12), BENCH_MATCH);
	a[11] = 'X';
	ck_assert_int_eq(bench_check_echo(a, 12, reply + 4, 12),
	    BENCH_MISMATCH);
	/* An empty line comes back empty. */
	ck_assert_int_eq(bench_check_echo("", 0, a, 0), BENCH_MATCH);
	ck_assert_int_eq(bench_check_echo("x", 1, a, 0), BENCH_MISMATCH);
}
END_TEST

/* The report of a known run, 2 procs x 50 x 2. */
static void
known_report(void)
{
	int	 i;

	rep.elapsed_us = 500000;
	rep.r.conns = 100;
	rep.r.requests = 200;
	for (i = 1; i <= 200; i++)
		histo_add(&rep.r.lat, i <= 180 ? 40 : 1500);
	for (i = 0; i < 100; i++) {
		histo_add(&rep.r.setup, 300);
		histo_add(&rep.r.cycle, i < 98 ? 450 : 2000);
	}
}

START_TEST(test_summary)
{
	struct buf	 out = BUF_INIT;

	known_report();
	ck_assert_int_eq(bench_summary(&rep, &out), 0);
	ck_assert_int_eq(buf_append(&out, "", 1), 0);
	ck_assert_str_eq(buf_head(&out), "bench mode=short procs=2 conns=100 "
	    "requests=200 conn_per_s=200.0 req_per_s=400.0 p50_ms=0.040 "
	    "p90_ms=0.040 p99_ms=1.500 max_ms=1.500 errors=0 refused=0 "
	    "reset=0 timeout=0 busy=0 bad=0 other=0 proto=tcp size=16 "
	    "elapsed_s=0.500 setup_p50_ms=0.300 setup_p90_ms=0.300 "
	    "setup_p99_ms=0.300 setup_max_ms=0.300 cycle_p50_ms=0.455 "
	    "cycle_p90_ms=0.455 cycle_p99_ms=2.000 cycle_max_ms=2.000\n");
	buf_free(&out);
}
END_TEST

/* Every key=value of the line, in order, and the mode and proto names. */
START_TEST(test_summary_modes)
{
	static const char *const keys[] = {
		"bench", "mode", "procs", "conns", "requests", "conn_per_s",
		"req_per_s", "p50_ms", "p90_ms", "p99_ms", "max_ms", "errors",
		"refused", "reset", "timeout", "busy", "bad", "other", "proto",
		"size", "elapsed_s", "setup_p50_ms", "setup_p90_ms",
		"setup_p99_ms", "setup_max_ms", "cycle_p50_ms", "cycle_p90_ms",
		"cycle_p99_ms", "cycle_max_ms"
	};
	struct buf	 out = BUF_INIT;
	char		*tok, *save, *eq;
	size_t		 k = 0;

	opts.mode = CLIENT_LINE;
	opts.bench.persistent = 1;
	rep.r.err[BENCH_BUSY] = 18;
	rep.r.err[BENCH_TIMEOUT] = 2;
	ck_assert_int_eq(bench_summary(&rep, &out), 0);
	ck_assert_int_eq(buf_append(&out, "", 1), 0);
	ck_assert_ptr_nonnull(strstr(buf_head(&out), " mode=persistent "));
	ck_assert_ptr_nonnull(strstr(buf_head(&out), " proto=line "));
	ck_assert_ptr_nonnull(strstr(buf_head(&out),
	    " errors=20 refused=0 reset=0 timeout=2 busy=18 bad=0 "));
	/* Nothing measured: rates and quantiles are zeros, not NaN. */
	ck_assert_ptr_nonnull(strstr(buf_head(&out),
	    " conn_per_s=0.0 req_per_s=0.0 p50_ms=0.000 "));
	for (tok = strtok_r(buf_head(&out), " \n", &save); tok != NULL;
	    tok = strtok_r(NULL, " \n", &save), k++) {
		ck_assert_uint_lt(k, sizeof(keys) / sizeof(keys[0]));
		if ((eq = strchr(tok, '=')) != NULL)
			*eq = '\0';
		ck_assert_str_eq(tok, keys[k]);
	}
	ck_assert_uint_eq(k, sizeof(keys) / sizeof(keys[0]));
	buf_clear(&out);
	opts.mode = CLIENT_UDP;
	opts.bench.persistent = 0;
	ck_assert_int_eq(bench_summary(&rep, &out), 0);
	ck_assert_int_eq(buf_append(&out, "", 1), 0);
	ck_assert_ptr_nonnull(strstr(buf_head(&out), "bench mode=datagram "));
	ck_assert_ptr_nonnull(strstr(buf_head(&out), " proto=udp "));
	buf_free(&out);
}
END_TEST

/* The table for people, then the summary line last; -q: the line alone. */
START_TEST(test_format)
{
	static const char first[] = "2 procs x 50 short connections x 2 "
	    "requests, frame mode, 16-byte ECHO\n";
	struct buf	 out = BUF_INIT, line = BUF_INIT;
	const char	*last;

	known_report();
	ck_assert_int_eq(bench_format(&rep, &out), 0);
	ck_assert_int_eq(buf_append(&out, "", 1), 0);
	ck_assert_int_eq(strncmp(buf_head(&out), first, strlen(first)), 0);
	ck_assert_ptr_nonnull(strstr(buf_head(&out), "\nconnections "));
	ck_assert_ptr_nonnull(strstr(buf_head(&out), "\nrequests "));
	ck_assert_ptr_nonnull(strstr(buf_head(&out), "\ncycles"
	    "          100    200.0    0.455    0.455    2.000    2.000\n"));
	ck_assert_ptr_nonnull(strstr(buf_head(&out), "\nerrors"
	    "            0  refused 0 reset 0 timeout 0 busy 0 bad 0 "
	    "other 0\n"));
	ck_assert_ptr_nonnull(strstr(buf_head(&out), "\nrequests"
	    "        200    400.0    0.040    0.040    1.500    1.500\n"));
	ck_assert_ptr_nonnull(strstr(buf_head(&out), "\nelapsed"
	    "       0.500 s\n"));
	last = strstr(buf_head(&out), "\nbench mode=");
	ck_assert_ptr_nonnull(last);
	ck_assert_int_eq(bench_summary(&rep, &line), 0);
	ck_assert_int_eq(buf_append(&line, "", 1), 0);
	ck_assert_str_eq(last + 1, buf_head(&line));
	buf_clear(&out);
	opts.quiet = 1;
	ck_assert_int_eq(bench_format(&rep, &out), 0);
	ck_assert_int_eq(buf_append(&out, "", 1), 0);
	ck_assert_str_eq(buf_head(&out), buf_head(&line));
	buf_free(&out);
	buf_free(&line);
}
END_TEST

/* The first line of an --echo run with --hold; persistent: no cycles. */
START_TEST(test_format_echo)
{
	static const char first[] = "2 procs x 50 persistent connections x 2 "
	    "requests, held 1.500 s after the first, line mode, 16-byte "
	    "echo\n";
	struct buf	 out = BUF_INIT;

	known_report();
	opts.mode = CLIENT_LINE;
	opts.bench.echo = 1;
	opts.bench.persistent = 1;
	opts.bench.hold_ms = 1500;
	ck_assert_int_eq(bench_format(&rep, &out), 0);
	ck_assert_int_eq(buf_append(&out, "", 1), 0);
	ck_assert_int_eq(strncmp(buf_head(&out), first, strlen(first)), 0);
	ck_assert_ptr_null(strstr(buf_head(&out), "\ncycles "));
	buf_free(&out);
}
END_TEST

#define NCASES(a)	((int)(sizeof(a) / sizeof((a)[0])))

Suite *
bench_suite(void)
{
	Suite	*s = suite_create("bench");
	TCase	*tc;

	tc = tcase_create("Core");
	tcase_set_timeout(tc, 10);
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_histo_empty);
	tcase_add_test(tc, test_histo_known);
	tcase_add_test(tc, test_histo_merge);
	tcase_add_test(tc, test_result_merge);
	tcase_add_test(tc, test_classify);
	tcase_add_test(tc, test_payload);
	tcase_add_test(tc, test_check);
	tcase_add_test(tc, test_check_echo);
	tcase_add_test(tc, test_summary);
	tcase_add_test(tc, test_summary_modes);
	tcase_add_test(tc, test_format);
	tcase_add_test(tc, test_format_echo);
	suite_add_tcase(s, tc);

	tc = tcase_create("Limits");
	tcase_set_timeout(tc, 10);
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_loop_test(tc, test_histo_precision, 0, NCASES(precise));
	tcase_add_test(tc, test_histo_negative);
	suite_add_tcase(s, tc);
	return s;
}
