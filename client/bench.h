/*
 * bench: "forkc bench", the client of UNP chapter 30.  P processes, each
 * making N short connections of K ECHO requests (or holding N persistent
 * connections, or sending N x K datagrams), check every reply byte for
 * byte and record every latency; the parent merges what they send back
 * through their pipes.  With --echo the server is a plain echo server
 * (no greeting, the line comes back as sent), so forkd can be measured
 * against the servers people would use instead.  bench_run() is the run;
 * the rest is pure (error kinds, payloads, reply checks, merging, the
 * report) and unit-tested.
 */
#ifndef BENCH_H
#define BENCH_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "histo.h"
#include "options.h"

/* Why a connection or a request failed; each failure counts once. */
enum bench_err {
	BENCH_REFUSED,		/* ECONNREFUSED (over UDP: an ICMP answer) */
	BENCH_RESET,		/* reset, or closed by the server */
	BENCH_TIMEOUT,		/* no connection, reply or datagram within -t */
	BENCH_BUSY,		/* greeted with "-ERR server busy" */
	BENCH_BAD,		/* a greeting or reply that is not the echo */
	BENCH_OTHER,		/* anything else (EMFILE, EADDRNOTAVAIL...) */
	BENCH_NERR
};

/* One process's counts, or the sum of several. */
struct bench_result {
	uint64_t	 conns;		/* connections greeted with +OK */
	uint64_t	 requests;	/* requests answered with their echo */
	uint64_t	 err[BENCH_NERR];
	struct histo	 setup;		/* connect() to greeting read, µs */
	struct histo	 lat;		/* request sent to reply read, µs */
	struct histo	 cycle;		/* connect() to a short connection's
					   last reply, µs: the whole cost */
};

/* A finished run, as bench_format() reports it. */
struct bench_report {
	const struct client_opts	*o;
	int64_t				 elapsed_us;
	int				 interrupted;	/* by a signal */
	struct bench_result		 r;
};

enum bench_check { BENCH_MATCH, BENCH_STALE, BENCH_MISMATCH };

/*
 * Run the benchmark o describes and print its report on standard output
 * (progress lines and failures on standard error).  Returns the exit
 * status: 0 when every connection and request worked, else 1.  Catches
 * SIGINT and SIGTERM: they end the run early, with the partial report.
 */
int	bench_run(const struct client_opts *);

/* The kind of a failed connect, send or receive, from its errno. */
enum bench_err bench_classify(int errnum);
/*
 * Fill out[0..size) with the payload of request seq: the low hex digits
 * of seq (8 at most, so a late UDP reply can be told apart), then
 * letters.  Printable and free of spaces, CR and LF: it suits every
 * framing.
 */
void	bench_payload(char *out, size_t size, uint64_t seq);
/*
 * Compare the reply text reply[0..len) with the echo of payload[0..size)
 * ("+OK payload", or "+OK" for an empty one): BENCH_MATCH; BENCH_STALE
 * when it echoes another payload of the same size (only the sequence
 * digits differ); else BENCH_MISMATCH.
 */
enum bench_check bench_check(const char *reply, size_t len,
	    const char *payload, size_t size);
/*
 * The same for a plain echo server (--echo): the reply must be the
 * payload itself.
 */
enum bench_check bench_check_echo(const char *reply, size_t len,
	    const char *payload, size_t size);
/* Add every count and sample of from into into. */
void	bench_merge(struct bench_result *into, const struct bench_result *from);
/* The sum of the error counts. */
uint64_t bench_errors(const struct bench_result *);
/*
 * Append the report to out: a table for people unless r->o->quiet, then
 * the summary line (bench_summary).  0, or -1 ENOMEM.
 */
int	bench_format(const struct bench_report *, struct buf *out);
/*
 * Append the machine-readable line, key=value pairs and a newline:
 * "bench mode=short|persistent|datagram procs= conns= requests=
 * conn_per_s= req_per_s= p50_ms= p90_ms= p99_ms= max_ms= errors=
 * refused= reset= timeout= busy= bad= other= proto=tcp|line|udp size=
 * elapsed_s= setup_p50_ms= setup_p90_ms= setup_p99_ms= setup_max_ms=
 * cycle_p50_ms= cycle_p90_ms= cycle_p99_ms= cycle_max_ms=".
 * 0, or -1 ENOMEM.
 */
int	bench_summary(const struct bench_report *, struct buf *out);

#endif
