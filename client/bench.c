/*
 * bench: the parent forks P workers, holds them on a start pipe until all
 * exist, then releases them at once by closing it.  Each worker runs its
 * share with the client module (every wait bounded by -t) and writes its
 * counts and histograms into its own pipe: a short progress head every
 * 100 ms when a progress line is wanted, the whole result at the end.
 * The parent polls the pipes, prints the progress line, merges, reports.
 * --hold pauses persistent connections after their first round: each
 * worker waits there for the others (a second pipe, closed like the
 * first), so that every connection is open and answered at once; the
 * parent then says so on standard error, so that a script knows when to
 * measure the server's memory.
 */
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "client.h"
#include "clock.h"
#include "netio.h"
#include "proto.h"
#include "sock.h"

#define REPORT_MS	100	/* a worker's progress heads */
#define TICK_MS		1000	/* the parent's progress line */
#define QUIET_MS	2000	/* no progress line before this */
#define SEQ_DIGITS	8	/* hex digits of the sequence in a payload */
#define ECHO_PREFIX	"ECHO "
#define OK_PREFIX	"+OK "
#define S(n)		((n) == 1 ? "" : "s")	/* a plural */

/* A worker's record: the head alone for progress, head and result last. */
struct head {
	uint32_t	 final;
	uint32_t	 held;		/* reached the --hold pause */
	uint64_t	 requests;
	uint64_t	 errors;
};

struct msg {
	struct head		 h;
	struct bench_result	 r;
};

/* One worker process. */
struct worker {
	const struct client_opts	*o;
	const struct sockaddr		*sa;
	socklen_t			 salen;
	int				 out;		/* pipe to the parent */
	int64_t				 next_report;	/* ms; 0: no progress */
	int64_t				 end_us;	/* 0: no --duration */
	uint64_t			 seq;		/* requests made */
	char				*req;		/* "ECHO payload", or with
							   --echo "payload\n" */
	size_t				 reqlen;
	size_t				 pre;		/* payload offset in req */
	int				 held;
	int				 release;	/* --hold: EOF, all held */
	struct buf			 reply;
	struct msg			 m;
};

/* The parent's view of one worker. */
struct proc {
	pid_t		 pid;
	int		 fd;		/* read end of its pipe; -1 at EOF */
	size_t		 got;		/* bytes of in read so far */
	int		 done;		/* in holds the final record */
	struct head	 last;		/* its latest progress */
	struct msg	 in;
};

struct bench {
	const struct client_opts	*o;
	struct proc			*p;
	struct pollfd			*pfd;
	int				 n;		/* workers forked */
	int				 live;		/* pipes still open */
	int				 progress;	/* lines on stderr */
	int				 stopped;	/* SIGTERM passed on */
	int				 release;	/* --hold: closed when all
							   workers hold; or -1 */
	int				 release_rd;	/* the workers' end */
	int64_t				 start_us;
	int64_t				 end_us;	/* the last pipe closed */
	int64_t				 tick;		/* next progress, ms */
	int64_t				 last_tick;
	uint64_t			 last_requests;
};

static volatile sig_atomic_t	 stop;

/* ---- pure parts --------------------------------------------------- */

enum bench_err
bench_classify(int errnum)
{
	switch (errnum) {
	case ECONNREFUSED:
		return BENCH_REFUSED;
	case ECONNRESET:
	case ECONNABORTED:
	case EPIPE:
		return BENCH_RESET;
	case ETIMEDOUT:
	case EAGAIN:
#if EWOULDBLOCK != EAGAIN
	case EWOULDBLOCK:
#endif
		return BENCH_TIMEOUT;
	case EMSGSIZE:
		return BENCH_BAD;
	}
	return BENCH_OTHER;
}

void
bench_payload(char *out, size_t size, uint64_t seq)
{
	static const char	 hex[] = "0123456789abcdef";
	size_t			 i, n = size < SEQ_DIGITS ? size : SEQ_DIGITS;

	for (i = 0; i < n; i++)
		out[i] = hex[(seq >> (4 * (n - 1 - i))) & 0xf];
	for (; i < size; i++)
		out[i] = (char)('a' + i % 26);
}

static int
is_hex(const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if ((s[i] < '0' || s[i] > '9') && (s[i] < 'a' || s[i] > 'f'))
			return 0;
	return 1;
}

/* reply[0..size) against payload[0..size), the echo proper. */
static enum bench_check
same_payload(const char *reply, const char *payload, size_t size)
{
	size_t	 n = size < SEQ_DIGITS ? size : SEQ_DIGITS;

	if (memcmp(reply, payload, size) == 0)
		return BENCH_MATCH;
	if (memcmp(reply + n, payload + n, size - n) == 0 && is_hex(reply, n))
		return BENCH_STALE;
	return BENCH_MISMATCH;
}

enum bench_check
bench_check(const char *reply, size_t len, const char *payload, size_t size)
{
	if (size == 0)
		return len == 3 && memcmp(reply, "+OK", 3) == 0 ?
		    BENCH_MATCH : BENCH_MISMATCH;
	if (len != size + 4 || memcmp(reply, OK_PREFIX, 4) != 0)
		return BENCH_MISMATCH;
	return same_payload(reply + 4, payload, size);
}

enum bench_check
bench_check_echo(const char *reply, size_t len, const char *payload,
    size_t size)
{
	if (len != size)
		return BENCH_MISMATCH;
	return same_payload(reply, payload, size);
}

void
bench_merge(struct bench_result *into, const struct bench_result *from)
{
	int	 i;

	into->conns += from->conns;
	into->requests += from->requests;
	for (i = 0; i < BENCH_NERR; i++)
		into->err[i] += from->err[i];
	histo_merge(&into->setup, &from->setup);
	histo_merge(&into->lat, &from->lat);
	histo_merge(&into->cycle, &from->cycle);
}

uint64_t
bench_errors(const struct bench_result *r)
{
	uint64_t	 n = 0;
	int		 i;

	for (i = 0; i < BENCH_NERR; i++)
		n += r->err[i];
	return n;
}

static const char *
mode_name(const struct client_opts *o)
{
	if (o->mode == CLIENT_UDP)
		return "datagram";
	return o->bench.persistent ? "persistent" : "short";
}

static const char *
proto_name(const struct client_opts *o)
{
	if (o->mode == CLIENT_UDP)
		return "udp";
	return o->mode == CLIENT_LINE ? "line" : "tcp";
}

/* Microseconds as milliseconds with three decimals, exactly. */
static void
ms_text(uint64_t us, char *out, size_t size)
{
	snprintf(out, size, "%" PRIu64 ".%03" PRIu64, us / 1000, us % 1000);
}

static double
per_second(uint64_t n, int64_t us)
{
	return us > 0 ? (double)n * 1e6 / (double)us : 0.0;
}

/* "p50_ms=0.061 p90_ms=... " for h, each key after prefix. */
static int
quantiles(struct buf *out, const char *prefix, const struct histo *h)
{
	static const unsigned	 q[] = { 500, 900, 990, 1000 };
	static const char *const key[] = { "p50", "p90", "p99", "max" };
	char			 ms[32];
	size_t			 i;
	int			 rc = 0;

	for (i = 0; rc == 0 && i < sizeof(q) / sizeof(q[0]); i++) {
		ms_text(histo_percentile(h, q[i]), ms, sizeof(ms));
		rc = buf_printf(out, " %s%s_ms=%s", prefix, key[i], ms);
	}
	return rc;
}

int
bench_summary(const struct bench_report *rep, struct buf *out)
{
	const struct bench_result	*r = &rep->r;
	const struct client_opts	*o = rep->o;

	if (buf_printf(out, "bench mode=%s procs=%d conns=%" PRIu64
	    " requests=%" PRIu64 " conn_per_s=%.1f req_per_s=%.1f",
	    mode_name(o), o->bench.procs, r->conns, r->requests,
	    per_second(r->conns, rep->elapsed_us),
	    per_second(r->requests, rep->elapsed_us)) == -1 ||
	    quantiles(out, "", &r->lat) == -1)
		return -1;
	if (buf_printf(out, " errors=%" PRIu64 " refused=%" PRIu64
	    " reset=%" PRIu64 " timeout=%" PRIu64 " busy=%" PRIu64
	    " bad=%" PRIu64 " other=%" PRIu64 " proto=%s size=%d"
	    " elapsed_s=%.3f", bench_errors(r), r->err[BENCH_REFUSED],
	    r->err[BENCH_RESET], r->err[BENCH_TIMEOUT], r->err[BENCH_BUSY],
	    r->err[BENCH_BAD], r->err[BENCH_OTHER], proto_name(o),
	    o->bench.size, (double)rep->elapsed_us / 1e6) == -1 ||
	    quantiles(out, "setup_", &r->setup) == -1 ||
	    quantiles(out, "cycle_", &r->cycle) == -1)
		return -1;
	return buf_append(out, "\n", 1);
}

/* The first line: what was measured. */
static int
describe(const struct client_opts *o, struct buf *out)
{
	const struct bench_opts	*b = &o->bench;
	const char		*how = o->mode == CLIENT_LINE ? "line mode" :
	    o->mode == CLIENT_UDP ? "UDP" : "frame mode";
	char			 secs[32];
	int			 rc;

	snprintf(secs, sizeof(secs), "%d.%03d s", b->duration_ms / 1000,
	    b->duration_ms % 1000);
	rc = buf_printf(out, "%d proc%s x ", b->procs, S(b->procs));
	if (rc == 0 && o->mode == CLIENT_UDP && b->duration_ms > 0)
		rc = buf_printf(out, "datagrams for %s", secs);
	else if (rc == 0 && o->mode == CLIENT_UDP)
		rc = buf_printf(out, "%lld datagram%s",
		    (long long)b->conns * b->requests,
		    S((long long)b->conns * b->requests));
	else if (rc == 0 && b->persistent && b->duration_ms > 0)
		rc = buf_printf(out, "%d persistent connection%s for %s",
		    b->conns, S(b->conns), secs);
	else if (rc == 0 && b->persistent)
		rc = buf_printf(out, "%d persistent connection%s x %d "
		    "request%s", b->conns, S(b->conns), b->requests,
		    S(b->requests));
	else if (rc == 0 && b->duration_ms > 0)
		rc = buf_printf(out, "short connections of %d request%s for %s",
		    b->requests, S(b->requests), secs);
	else if (rc == 0)
		rc = buf_printf(out, "%d short connection%s x %d request%s",
		    b->conns, S(b->conns), b->requests, S(b->requests));
	if (rc == 0 && b->hold_ms > 0)
		rc = buf_printf(out, ", held %d.%03d s after the first",
		    b->hold_ms / 1000, b->hold_ms % 1000);
	if (rc == 0)
		rc = buf_printf(out, ", %s, %d-byte %s\n", how, b->size,
		    b->echo ? "echo" : "ECHO");
	return rc;
}

/* One row of the table: count, rate and the latency quantiles. */
static int
row(struct buf *out, const char *what, uint64_t n, int64_t us,
    const struct histo *h)
{
	static const unsigned	 q[] = { 500, 900, 990, 1000 };
	char			 ms[32];
	size_t			 i;
	int			 rc;

	rc = buf_printf(out, "%-11s %7" PRIu64 " %8.1f", what, n,
	    per_second(n, us));
	for (i = 0; rc == 0 && i < sizeof(q) / sizeof(q[0]); i++) {
		ms_text(histo_percentile(h, q[i]), ms, sizeof(ms));
		rc = buf_printf(out, " %8s", ms);
	}
	return rc == 0 ? buf_append(out, "\n", 1) : -1;
}

static int
table(const struct bench_report *rep, struct buf *out)
{
	const struct bench_result	*r = &rep->r;
	int				 rc;

	rc = describe(rep->o, out);
	if (rc == 0)
		rc = buf_printf(out, "%-11s %7s %8s %8s %8s %8s %8s\n", "",
		    "count", "per s", "p50 ms", "p90 ms", "p99 ms", "max ms");
	/* A connection's latency is its setup: connect() to greeting. */
	if (rc == 0 && rep->o->mode != CLIENT_UDP)
		rc = row(out, "connections", r->conns, rep->elapsed_us,
		    &r->setup);
	/* A short connection's whole life: connect() to its last reply. */
	if (rc == 0 && rep->o->mode != CLIENT_UDP && !rep->o->bench.persistent)
		rc = row(out, "cycles", r->cycle.count, rep->elapsed_us,
		    &r->cycle);
	if (rc == 0)
		rc = row(out, "requests", r->requests, rep->elapsed_us,
		    &r->lat);
	if (rc == 0)
		rc = buf_printf(out, "%-11s %7" PRIu64 "  refused %" PRIu64
		    " reset %" PRIu64 " timeout %" PRIu64 " busy %" PRIu64
		    " bad %" PRIu64 " other %" PRIu64 "\n", "errors",
		    bench_errors(r), r->err[BENCH_REFUSED],
		    r->err[BENCH_RESET], r->err[BENCH_TIMEOUT],
		    r->err[BENCH_BUSY], r->err[BENCH_BAD], r->err[BENCH_OTHER]);
	if (rc == 0)
		rc = buf_printf(out, "%-11s %7.3f s%s\n", "elapsed",
		    (double)rep->elapsed_us / 1e6,
		    rep->interrupted ? "  (interrupted)" : "");
	return rc;
}

int
bench_format(const struct bench_report *rep, struct buf *out)
{
	if (!rep->o->quiet && table(rep, out) == -1)
		return -1;
	return bench_summary(rep, out);
}

/* ---- a worker ----------------------------------------------------- */

static void
on_stop(int signo)
{
	(void)signo;
	stop = 1;
}

static void
count(struct worker *w, enum bench_err e)
{
	w->m.r.err[e]++;
}

/* Tell the parent how far we are: progress at most every REPORT_MS. */
static void
report(struct worker *w, int final)
{
	int64_t	 now;

	if (!final) {
		if (w->next_report == 0 || (now = clock_ms()) < w->next_report)
			return;
		w->next_report = now + REPORT_MS;
	}
	w->m.h.final = (uint32_t)final;
	w->m.h.held = (uint32_t)w->held;
	w->m.h.requests = w->m.r.requests;
	w->m.h.errors = bench_errors(&w->m.r);
	/* On EPIPE the parent is gone: there is nobody left to tell. */
	(void)netio_write_all(w->out, &w->m,
	    final ? sizeof(w->m) : sizeof(w->m.h), NULL);
}

/* Another round: i of n done, unless time is up or we were stopped. */
static int
more(const struct worker *w, uint64_t i, uint64_t n)
{
	if (stop)
		return 0;
	if (w->end_us != 0)
		return clock_us() < w->end_us;
	return i < n;
}

/* Send the request: an echo server's line goes out as it is. */
static int
send_request(struct worker *w, struct client *c)
{
	if (w->o->bench.echo && c->mode == CLIENT_LINE)
		return netio_write_all(c->fd, w->req, w->reqlen, NULL);
	return client_send(c, w->req, w->reqlen);
}

/* One ECHO over c: 0 when its exact echo came back, else -1, counted. */
static int
echo(struct worker *w, struct client *c)
{
	char			*payload = w->req + w->pre;
	size_t			 size = (size_t)w->o->bench.size;
	enum bench_check	 ok;
	int64_t			 t0;

	bench_payload(payload, size, w->seq++);
	t0 = clock_us();
	if (send_request(w, c) == -1) {
		count(w, bench_classify(errno));
		return -1;
	}
	/* A datagram that timed out may still be answered: skip that. */
	do {
		if (client_recv(c, CMD_ECHO, &w->reply) == -1) {
			count(w, bench_classify(errno));
			return -1;
		}
		ok = (w->o->bench.echo ? bench_check_echo : bench_check)(
		    buf_head(&w->reply), buf_used(&w->reply), payload, size);
	} while (ok == BENCH_STALE && c->mode == CLIENT_UDP);
	if (ok != BENCH_MATCH) {
		count(w, BENCH_BAD);
		return -1;
	}
	histo_add(&w->m.r.lat, clock_us() - t0);
	w->m.r.requests++;
	report(w, 0);
	return 0;
}

/* Close fd keeping errno; -1 for the caller to return. */
static int
close_keep(int fd)
{
	int	 saved = errno;

	(void)close(fd);
	errno = saved;
	return -1;
}

/* Wait for a non-blocking connect() until the deadline.  0 or -1. */
static int
connected(int fd, int64_t deadline)
{
	struct pollfd	 pfd = { fd, POLLOUT, 0 };
	socklen_t	 len = sizeof(int);
	int		 r, err = 0;

	do
		r = poll(&pfd, 1, clock_until(deadline));
	while (r == -1 && errno == EINTR);
	if (r == 0)
		errno = ETIMEDOUT;
	if (r <= 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
		return -1;
	errno = err;
	return err == 0 ? 0 : -1;
}

/*
 * A TCP connection to the server, within -t: connect() is non-blocking
 * and waited for with poll(); sends give up after -t too (SO_SNDTIMEO).
 * The fd, or -1 with errno set.
 */
static int
dial(const struct worker *w)
{
	struct timeval	 tv;
	int		 fd, ms = w->o->timeout_ms, on = 1;

	if ((fd = socket(w->sa->sa_family, SOCK_STREAM, 0)) == -1)
		return -1;
	if (sock_cloexec(fd) == -1 || sock_nonblock(fd, 1) == -1)
		return close_keep(fd);
	if (connect(fd, w->sa, w->salen) == -1 &&
	    ((errno != EINPROGRESS && errno != EINTR) ||
	    connected(fd, clock_ms() + ms) == -1))
		return close_keep(fd);
	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	/*
	 * Each request leaves in one write: Nagle would only hold back the
	 * tail of a large one until the server's delayed ACK (40 ms).
	 */
	if (sock_nonblock(fd, 0) == -1 || setsockopt(fd, SOL_SOCKET,
	    SO_SNDTIMEO, &tv, sizeof(tv)) == -1 || setsockopt(fd,
	    IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on)) == -1)
		return close_keep(fd);
	return fd;
}

static void
hang_up(struct client *c)
{
	(void)close(c->fd);
	client_free(c);
	c->fd = -1;
}

/* Connect and read the greeting: 0, or -1 (counted, c->fd is -1). */
static int
open_session(struct worker *w, struct client *c)
{
	int64_t	 t0 = clock_us();
	int	 fd;

	client_init(c, -1, w->o->mode, w->o->timeout_ms);
	if ((fd = dial(w)) == -1) {
		count(w, bench_classify(errno));
		return -1;
	}
	c->fd = fd;
	/* An echo server says nothing first. */
	if (w->o->bench.echo) {
		histo_add(&w->m.r.setup, clock_us() - t0);
		w->m.r.conns++;
		return 0;
	}
	if (client_greeting(c, &w->reply) == -1) {
		count(w, bench_classify(errno));
		hang_up(c);
		return -1;
	}
	if (!client_reply_ok(&w->reply)) {
		/* The server closes after a refusal. */
		count(w, buf_used(&w->reply) == strlen("-ERR " PROTO_BUSY) &&
		    memcmp(buf_head(&w->reply), "-ERR " PROTO_BUSY,
		    buf_used(&w->reply)) == 0 ? BENCH_BUSY : BENCH_BAD);
		hang_up(c);
		return -1;
	}
	histo_add(&w->m.r.setup, clock_us() - t0);
	w->m.r.conns++;
	return 0;
}

/* Connect, K requests, close; N times or until --duration is up. */
static void
run_short(struct worker *w)
{
	const struct bench_opts	*b = &w->o->bench;
	struct client		 c;
	uint64_t		 i, k;
	int64_t			 t0;

	for (i = 0; more(w, i, (uint64_t)b->conns); i++) {
		t0 = clock_us();
		if (open_session(w, &c) == -1) {
			report(w, 0);
			continue;
		}
		for (k = 0; k < (uint64_t)b->requests && !stop; k++)
			if (echo(w, &c) == -1)
				break;
		if (k == (uint64_t)b->requests)
			histo_add(&w->m.r.cycle, clock_us() - t0);
		hang_up(&c);
	}
}

/*
 * --hold: tell the parent this worker is holding (at once, progress or
 * not), then pause, unless stopped.
 */
static void
hold(struct worker *w)
{
	int64_t	 end;
	char	 c;

	w->held = 1;
	w->m.h.final = 0;
	w->m.h.held = 1;
	w->m.h.requests = w->m.r.requests;
	w->m.h.errors = bench_errors(&w->m.r);
	(void)netio_write_all(w->out, &w->m.h, sizeof(w->m.h), NULL);
	/* Not netio_read: a stop (EINTR) must end the wait. */
	while (!stop && read(w->release, &c, 1) == -1 && errno == EINTR)
		;
	end = clock_ms() + w->o->bench.hold_ms;
	while (!stop && clock_ms() < end)
		(void)poll(NULL, 0, clock_until(end));
}

/*
 * N connections opened first and held, then K rounds of one request on
 * each (or rounds until --duration is up), with the --hold pause after
 * the first.  A connection that fails is dropped; the others go on.
 */
static void
run_persistent(struct worker *w)
{
	const struct bench_opts	*b = &w->o->bench;
	struct client		*c;
	uint64_t		 k;
	int			 i, live = 0;

	if ((c = calloc((size_t)b->conns, sizeof(*c))) == NULL) {
		count(w, BENCH_OTHER);
		return;
	}
	for (i = 0; i < b->conns; i++)
		c[i].fd = -1;
	for (i = 0; i < b->conns && !stop; i++) {
		if (open_session(w, &c[i]) == 0)
			live++;
		report(w, 0);
	}
	for (k = 0; live > 0 && more(w, k, (uint64_t)b->requests); k++) {
		for (i = 0; i < b->conns && !stop; i++)
			if (c[i].fd != -1 && echo(w, &c[i]) == -1) {
				hang_up(&c[i]);
				live--;
			}
		if (k == 0 && b->hold_ms > 0)
			hold(w);
	}
	for (i = 0; i < b->conns; i++)
		if (c[i].fd != -1)
			hang_up(&c[i]);
	free(c);
}

/* N x K datagrams, one at a time, each awaited for at most -t. */
static void
run_udp(struct worker *w)
{
	const struct bench_opts	*b = &w->o->bench;
	struct client		 c;
	uint64_t		 i;
	int			 fd;

	if ((fd = sock_connect(w->sa, w->salen, SOCK_DGRAM)) == -1) {
		count(w, bench_classify(errno));
		return;
	}
	client_init(&c, fd, CLIENT_UDP, w->o->timeout_ms);
	for (i = 0; more(w, i, (uint64_t)b->conns * (uint64_t)b->requests);
	    i++)
		(void)echo(w, &c);
	hang_up(&c);
}

static int
worker_init(struct worker *w, const struct bench *b,
    const struct sockaddr *sa, socklen_t salen, int out)
{
	size_t	 size = (size_t)b->o->bench.size, pre = strlen(ECHO_PREFIX);

	memset(w, 0, sizeof(*w));
	w->o = b->o;
	w->sa = sa;
	w->salen = salen;
	w->out = out;
	w->reply = (struct buf)BUF_INIT;
	if (b->o->bench.echo) {
		/* The payload alone; over TCP a line, ended by LF. */
		w->reqlen = size + (b->o->mode == CLIENT_UDP ? 0 : 1);
		if ((w->req = malloc(size + 1)) == NULL)
			return -1;
		w->req[size] = '\n';
		return 0;
	}
	w->pre = pre;
	/* "ECHO" alone when the payload is empty. */
	w->reqlen = size > 0 ? pre + size : pre - 1;
	if ((w->req = malloc(pre + size)) == NULL)
		return -1;
	memcpy(w->req, ECHO_PREFIX, pre);
	return 0;
}

/*
 * A worker's life: wait for the start, run, send the final record (a
 * worker_init() that failed leaves w->req NULL: an error, counted).
 */
static void
work(struct worker *w, int go, int release, int progress)
{
	char	 c;

	/* The parent closes its end of go to start everyone at once. */
	(void)netio_read(go, &c, 1);
	(void)close(go);
	if (w->o->bench.duration_ms > 0)
		w->end_us = clock_us() +
		    (int64_t)w->o->bench.duration_ms * 1000;
	if (progress)
		w->next_report = clock_ms() + REPORT_MS;
	w->release = release;
	if (w->req == NULL)
		count(w, BENCH_OTHER);
	else if (w->o->mode == CLIENT_UDP)
		run_udp(w);
	else if (w->o->bench.persistent)
		run_persistent(w);
	else
		run_short(w);
	report(w, 1);
	free(w->req);
	buf_free(&w->reply);
	(void)close(w->out);
}

/* ---- the parent --------------------------------------------------- */

/*
 * SIGINT and SIGTERM set the stop flag (workers inherit the handler and
 * stop early too).  A signal ignored on entry stays ignored.
 */
static int
catch_stop(void)
{
	static const int	 sigs[] = { SIGINT, SIGTERM };
	struct sigaction	 sa, old;
	size_t			 i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigfillset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		if (sigaction(sigs[i], NULL, &old) == -1)
			return -1;
		if (old.sa_handler != SIG_IGN &&
		    sigaction(sigs[i], &sa, NULL) == -1)
			return -1;
	}
	return 0;
}

/* Room for the pipes, and for each worker's held connections. */
static void
raise_nofile(const struct client_opts *o)
{
	struct rlimit	 rl;
	rlim_t		 want = (rlim_t)o->bench.procs + 16;

	if (o->bench.persistent)
		want += (rlim_t)o->bench.conns;
	if (getrlimit(RLIMIT_NOFILE, &rl) == -1 ||
	    rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= want)
		return;
	rl.rlim_cur = rl.rlim_max != RLIM_INFINITY && rl.rlim_max < want ?
	    rl.rlim_max : want;
	/* Short of it, the extra sockets fail with EMFILE, counted. */
	(void)setrlimit(RLIMIT_NOFILE, &rl);
}

/* Fork worker i, reading its records from a pipe.  0 or -1. */
static int
spawn(struct bench *b, int i, const struct sockaddr *sa, socklen_t salen,
    const int go[2])
{
	struct worker	 w;
	pid_t		 pid;
	int		 fd[2], j;

	if (pipe(fd) == -1)
		return -1;
	if (sock_cloexec(fd[0]) == -1 || sock_cloexec(fd[1]) == -1 ||
	    (pid = fork()) == -1) {
		(void)close(fd[1]);
		return close_keep(fd[0]);
	}
	if (pid == 0) {
		(void)close(fd[0]);
		(void)close(go[1]);
		if (b->release != -1)
			(void)close(b->release);
		for (j = 0; j < i; j++)
			(void)close(b->p[j].fd);
		(void)worker_init(&w, b, sa, salen, fd[1]);
		work(&w, go[0], b->release_rd, b->progress);
		/* Never return into the parent's code, nor flush its stdio. */
		_exit(0);
	}
	(void)close(fd[1]);
	b->p[i].pid = pid;
	b->p[i].fd = fd[0];
	b->n++;
	b->live++;
	return 0;
}

/* Let the workers waiting at --hold go on: they read EOF. */
static void
release(struct bench *b)
{
	if (b->release != -1)
		(void)close(b->release);
	b->release = -1;
}

/* Pass a stop on to the workers still running, once. */
static void
pass_stop(struct bench *b)
{
	int	 i;

	b->stopped = 1;
	release(b);
	for (i = 0; i < b->n; i++)
		if (b->p[i].fd != -1)
			(void)kill(b->p[i].pid, SIGTERM);
}

/* With --hold, the pipe whose closing ends the wait for the others. */
static int
hold_pipe(struct bench *b)
{
	int	 fd[2];

	b->release = b->release_rd = -1;
	if (b->o->bench.hold_ms == 0)
		return 0;
	if (pipe(fd) == -1)
		return -1;
	b->release_rd = fd[0];
	b->release = fd[1];
	return 0;
}

/* Fork every worker, then start them together.  0, or -1 (reported). */
static int
start(struct bench *b, const struct sockaddr *sa, socklen_t salen)
{
	int	 go[2], i, rc = 0;

	if (pipe(go) == -1 || hold_pipe(b) == -1) {
		fprintf(stderr, "forkc: pipe: %s\n", strerror(errno));
		return -1;
	}
	raise_nofile(b->o);
	/* Nothing may sit in a stdio buffer that each child would copy. */
	(void)fflush(stdout);
	(void)fflush(stderr);
	for (i = 0; rc == 0 && i < b->o->bench.procs; i++)
		if ((rc = spawn(b, i, sa, salen, go)) == -1)
			fprintf(stderr, "forkc: fork: %s\n", strerror(errno));
	(void)close(go[0]);
	if (b->release_rd != -1)
		(void)close(b->release_rd);
	if (rc == -1)
		pass_stop(b);
	b->start_us = clock_us();
	b->last_tick = clock_ms();
	b->tick = b->last_tick + TICK_MS;
	(void)close(go[1]);
	return rc;
}

/* Read what p's pipe holds, at most to the end of the current record. */
static void
take(struct bench *b, struct proc *p)
{
	size_t	 want = sizeof(p->in.h);
	ssize_t	 n;

	if (p->got >= sizeof(p->in.h) && p->in.h.final)
		want = sizeof(p->in);
	n = netio_read(p->fd, (char *)&p->in + p->got, want - p->got);
	if (n <= 0) {
		(void)close(p->fd);
		p->fd = -1;
		b->live--;
		return;
	}
	if ((p->got += (size_t)n) < want)
		return;
	p->last = p->in.h;
	if (!p->in.h.final)
		p->got = 0;
	else if (want == sizeof(p->in))
		p->done = 1;
}

/* Once a second: on long runs, the progress line. */
static void
progress(struct bench *b)
{
	int64_t		 now = clock_ms(), ms;
	uint64_t	 req = 0, err = 0;
	int		 i;

	if (now < b->tick)
		return;
	for (i = 0; i < b->n; i++) {
		req += b->p[i].last.requests;
		err += b->p[i].last.errors;
	}
	ms = now - b->last_tick;
	if (b->progress && now - b->start_us / 1000 >= QUIET_MS && ms > 0)
		fprintf(stderr, "forkc: bench: %" PRId64 " s: %" PRIu64
		    " requests, %.0f/s now, %" PRIu64 " errors\n",
		    (now - b->start_us / 1000) / 1000, req,
		    (double)(req - b->last_requests) * 1000.0 / (double)ms,
		    err);
	b->last_requests = req;
	b->last_tick = now;
	b->tick = now + TICK_MS;
}

/*
 * --hold: once every worker has reached its pause (or ended), let them
 * all go on holding and say how many connections were answered and are
 * held, once.
 */
static void
tell_held(struct bench *b)
{
	uint64_t	 answered = 0;
	int		 i, held = 0;

	if (b->release == -1)
		return;
	for (i = 0; i < b->n; i++) {
		if (!b->p[i].last.held && b->p[i].fd != -1)
			return;
		held += b->p[i].last.held != 0;
		answered += b->p[i].last.requests;
	}
	release(b);
	if (held > 0)
		fprintf(stderr, "forkc: bench: holding %" PRIu64
		    " connections for %d.%03d s\n", answered,
		    b->o->bench.hold_ms / 1000, b->o->bench.hold_ms % 1000);
}

/* Read the pipes until every worker has closed its own. */
static void
collect(struct bench *b)
{
	int	 i, r;

	while (b->live > 0) {
		if (stop && !b->stopped)
			pass_stop(b);
		for (i = 0; i < b->n; i++) {
			b->pfd[i].fd = b->p[i].fd;
			b->pfd[i].events = POLLIN;
			b->pfd[i].revents = 0;
		}
		/* At most a tick, so a stop is passed on at once. */
		r = poll(b->pfd, (nfds_t)b->n, clock_until(b->tick));
		if (r == -1 && errno != EINTR) {
			fprintf(stderr, "forkc: poll: %s\n", strerror(errno));
			pass_stop(b);
			return;
		}
		for (i = 0; r > 0 && i < b->n; i++)
			if (b->pfd[i].revents != 0)
				take(b, &b->p[i]);
		tell_held(b);
		progress(b);
	}
}

/* Wait for every worker; each has sent its result or died. */
static void
reap(struct bench *b)
{
	int	 i, st;

	release(b);
	for (i = 0; i < b->n; i++) {
		if (b->p[i].fd != -1)
			(void)close(b->p[i].fd);
		while (waitpid(b->p[i].pid, &st, 0) == -1 && errno == EINTR)
			;
	}
}

/* Merge, print the report; the exit status. */
static int
finish(struct bench *b, int failed)
{
	struct bench_report	*rep;
	struct buf		 out = BUF_INIT;
	int			 i, rc = 1;

	if ((rep = calloc(1, sizeof(*rep))) == NULL) {
		fprintf(stderr, "forkc: bench: %s\n", strerror(errno));
		return 1;
	}
	rep->o = b->o;
	rep->elapsed_us = b->end_us - b->start_us;
	rep->interrupted = stop || b->stopped;
	for (i = 0; i < b->n; i++) {
		if (b->p[i].done) {
			bench_merge(&rep->r, &b->p[i].in.r);
			continue;
		}
		fprintf(stderr, "forkc: bench: process %ld sent no result\n",
		    (long)b->p[i].pid);
		rep->r.err[BENCH_OTHER]++;
	}
	if (b->o->mode == CLIENT_UDP && rep->r.err[BENCH_TIMEOUT] > 0)
		fprintf(stderr, "forkc: bench: %" PRIu64 " datagrams without "
		    "a reply in time (forkd answers at most --udp-rate per "
		    "second per address)\n", rep->r.err[BENCH_TIMEOUT]);
	if (bench_format(rep, &out) == -1 || fwrite(buf_head(&out), 1,
	    buf_used(&out), stdout) != buf_used(&out) || fflush(stdout) == EOF)
		fprintf(stderr, "forkc: stdout: %s\n", strerror(errno));
	else if (!failed && !rep->interrupted && bench_errors(&rep->r) == 0)
		rc = 0;
	buf_free(&out);
	free(rep);
	return rc;
}

int
bench_run(const struct client_opts *o)
{
	struct sockaddr_storage	 ss;
	struct bench		 b;
	socklen_t		 sslen;
	const char		*why;
	int			 rc, type;

	type = o->mode == CLIENT_UDP ? SOCK_DGRAM : SOCK_STREAM;
	if (sock_resolve(o->host, o->port, type, &ss, &sslen, &why) == -1) {
		fprintf(stderr, "forkc: %s port %d: %s\n", o->host, o->port,
		    why);
		return 1;
	}
	memset(&b, 0, sizeof(b));
	b.o = o;
	b.release = b.release_rd = -1;
	b.progress = o->bench.progress || isatty(STDERR_FILENO);
	b.p = calloc((size_t)o->bench.procs, sizeof(*b.p));
	b.pfd = calloc((size_t)o->bench.procs, sizeof(*b.pfd));
	if (b.p == NULL || b.pfd == NULL || catch_stop() == -1) {
		fprintf(stderr, "forkc: bench: %s\n", strerror(errno));
		rc = 1;
	} else {
		rc = start(&b, (struct sockaddr *)&ss, sslen);
		collect(&b);
		b.end_us = clock_us();
		reap(&b);
		rc = finish(&b, rc == -1);
	}
	free(b.p);
	free(b.pfd);
	return rc;
}
