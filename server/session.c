/*
 * session: serve one TCP connection.  Input is read in chunks into one
 * buffer, every complete request in it is answered, and the replies leave
 * together in one write: pipelined requests cost one syscall, not one
 * each.  The first byte picks the framing: 0x00 (a frame's high length
 * byte) means frames, anything else means lines.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "clock.h"
#include "frame.h"
#include "line.h"
#include "log.h"
#include "netio.h"
#include "proctitle.h"
#include "proto.h"
#include "session.h"
#include "sig.h"
#include "verbs.h"

#define READ_CHUNK	16384
#define FLUSH_AT	65536		/* flush replies past this many bytes */
#define LINGER_MS	1000		/* drain unread input before close */
#define LINGER_BYTES	(1024 * 1024)
#define GRACE_MARGIN_MS	100		/* finish before the listener's SIGKILL */
/*
 * A session's buffers start on its stack and move to the heap only past
 * these sizes (long lines, big frames, deep pipelines): a child that
 * never mallocs writes fewer pages after the fork, so it takes fewer
 * copy-on-write faults and holds less memory.
 */
#define IN_STACK	(2 * READ_CHUNK)
#define OUT_STACK	4096
#define REPLY_STACK	2048
#define LINE_STACK	PROTO_MAX_LINE

enum mode { MODE_UNKNOWN, MODE_LINE, MODE_FRAME };

struct session {
	int			 fd;
	const struct config	*cfg;
	struct sb_slot		*slot;
	enum mode		 mode;
	enum sb_state		 state;
	struct buf		 in, out;
	struct line_decoder	 ld;
	struct reply		 reply;
	struct verb_ctx		 ctx;
	int64_t			 idle_deadline;
	int64_t			 request_deadline; /* 0: no partial request */
	int64_t			 sndtimeo_ms;	/* the socket's SO_SNDTIMEO */
	int			 eof;
	int			 quit;
	int			 exit_status;	/* EXIT n, or -1 */
};

const int session_ignored_signals[] = { SIGINT, SIGHUP, 0 };

static const char *const end_names[] = {
	[SESSION_CLOSED] = "closed",
	[SESSION_FAILED] = "failed",
	[SESSION_IDLE] = "idle-timeout",
	[SESSION_TOO_LONG] = "too-long",
	[SESSION_RESET] = "peer-reset",
	[SESSION_SHUTDOWN] = "shutdown",
	[SESSION_REQUEST_TIMEOUT] = "request-timeout",
	[SESSION_WRITE_TIMEOUT] = "write-timeout",
};

void
session_refuse(int fd, const char *text)
{
	char	 line[64];
	int	 n;

	n = snprintf(line, sizeof(line), "-ERR %s\r\n", text);
	(void)sock_nonblock(fd, 1);
	(void)netio_write(fd, line, (size_t)n);
	(void)close(fd);
}

const char *
session_end_name(int code)
{
	if (code < 0 || code >= (int)(sizeof(end_names) / sizeof(end_names[0])))
		return NULL;
	return end_names[code];
}

/* Publish the state in the scoreboard and in the process title. */
static void
set_state(struct session *s, enum sb_state st)
{
	if (st == s->state)
		return;
	s->state = st;
	atomic_store_explicit(&s->slot->state, st, memory_order_relaxed);
	proctitle_words("child", s->ctx.peer, scoreboard_state_name(st),
	    (const char *)NULL);
}

static void
count(_Atomic uint64_t *counter, uint64_t n)
{
	atomic_store_explicit(counter, atomic_load_explicit(counter,
	    memory_order_relaxed) + n, memory_order_relaxed);
}

static void
touch(struct session *s)
{
	s->idle_deadline = clock_ms() + s->cfg->idle_ms;
}

/*
 * Limit each write(2) to ms (SO_SNDTIMEO).  0, or -1 with errno EAGAIN
 * when no time is left: the socket would read 0 as "no limit".
 */
static int
set_sndtimeo(struct session *s, int64_t ms)
{
	struct timeval	 tv;

	if (ms <= 0) {
		errno = EAGAIN;
		return -1;
	}
	if (ms == s->sndtimeo_ms)
		return 0;
	tv.tv_sec = (time_t)(ms / 1000);
	tv.tv_usec = (suseconds_t)(ms % 1000) * 1000;
	if (setsockopt(s->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) == -1)
		return -1;
	s->sndtimeo_ms = ms;
	return 0;
}

/*
 * Write n bytes within --write-timeout, so a client that does not read
 * cannot hold the child.  SO_SNDTIMEO bounds one write(2), and a write
 * that sent some bytes returns early; each write gets only the time
 * left.  0, or -1 with errno (EAGAIN: time ran out); *done: bytes sent.
 */
static int
write_within(struct session *s, const char *p, size_t n, size_t *done)
{
	int64_t	 deadline = clock_ms() + s->cfg->write_ms;
	ssize_t	 r;
	int	 rc = 0;

	*done = 0;
#ifdef MSG_DONTWAIT
	/* Most batches fit in the socket buffer: no limit to set for them. */
	while ((r = send(s->fd, p, n, MSG_DONTWAIT)) == -1 && errno == EINTR)
		continue;
	if (r == -1 && errno != EAGAIN && errno != EWOULDBLOCK)
		return -1;
	if (r > 0)
		*done = (size_t)r;
#endif
	while (*done < n) {
		if (set_sndtimeo(s, deadline - clock_ms()) == -1) {
			rc = -1;
			break;
		}
		if ((r = netio_write(s->fd, p + *done, n - *done)) == -1) {
			rc = -1;
			break;
		}
		*done += (size_t)r;
	}
	return rc;
}

/* Send every pending reply byte.  0, or why the session ends. */
static int
flush(struct session *s)
{
	size_t	 done;
	int	 rc;

	if (buf_used(&s->out) == 0)
		return 0;
	set_state(s, SB_WRITING);
	rc = write_within(s, buf_head(&s->out), buf_used(&s->out), &done);
	log_event(LOG_LVL_TRACE, "trace", "step=write fd=%d bytes=%zu%s",
	    s->fd, done, rc == -1 ? " error=1" : "");
	count(&s->slot->bytes_out, done);
	buf_clear(&s->out);
	if (rc == -1)	/* EAGAIN: the peer did not take it in time */
		return errno == EAGAIN || errno == EWOULDBLOCK ?
		    SESSION_WRITE_TIMEOUT : SESSION_RESET;
	touch(s);
	return 0;
}

/* Queue the current reply in the session's framing. */
static int
queue_reply(struct session *s)
{
	enum reply_mode	 m = s->mode == MODE_FRAME ? REPLY_FRAME : REPLY_LINE;

	if (reply_encode(&s->reply, m, &s->out) == -1)
		return SESSION_FAILED;
	return buf_used(&s->out) >= FLUSH_AT ? flush(s) : 0;
}

/* Queue a final "-ERR text" and flush it; returns end. */
static int
say_error(struct session *s, const char *text, int end)
{
	int	 rc;

	if (reply_err(&s->reply, "%s", text) == -1)
		return SESSION_FAILED;
	if ((rc = queue_reply(s)) != 0 || (rc = flush(s)) != 0)
		return rc;
	return end;
}

/*
 * SLEEP: wait ms.  A shutdown that arrives meanwhile lets the sleep finish
 * only if it ends within the grace period; otherwise the reply becomes
 * the shutdown error.  Returns 0 or a session end.
 */
static int
do_sleep(struct session *s, int ms)
{
	int64_t	 end = clock_ms() + ms, cutoff = INT64_MAX;

	set_state(s, SB_SLEEPING);
	while (clock_ms() < end) {
		if (sig_flag_raised() && cutoff == INT64_MAX)
			cutoff = clock_ms() + s->cfg->grace_ms - GRACE_MARGIN_MS;
		if (end > cutoff) {
			s->quit = 1;
			return reply_err(&s->reply, "%s", PROTO_SHUTDOWN)
			    == -1 ? SESSION_FAILED : SESSION_SHUTDOWN;
		}
		if (sig_wait_fd(-1, clock_until(end)) == -1 && errno != EINTR)
			return SESSION_FAILED;
	}
	return 0;
}

/* Run one request and queue its reply.  Returns 0 or a session end. */
static int
serve(struct session *s, const char *req, size_t len)
{
	struct cmd	 c;
	int		 action, ms = 0, end = 0;

	set_state(s, SB_WORKING);
	count(&s->slot->requests, 1);
	cmd_parse(req, len, &c);
	log_event(LOG_LVL_DEBUG, "request", "conn=%llu verb=%s bytes=%zu",
	    (unsigned long long)s->ctx.conn, c.name, len);
	if (len == 0)
		action = reply_err(&s->reply, "empty request") == -1 ? -1 :
		    VERB_REPLY;
	else
		action = verbs_run(&c, &s->ctx, &s->reply, &ms);
	if (action == -1)
		return SESSION_FAILED;
	if (action == VERB_SLEEP && (end = do_sleep(s, ms)) == SESSION_FAILED)
		return end;
	if (action == VERB_QUIT || action == VERB_EXIT)
		s->quit = 1;
	if (action == VERB_EXIT)
		s->exit_status = ms;
	if (action == VERB_CRASH) {
		/* The reply first, so the client sees why the session ends. */
		if (queue_reply(s) == 0)
			(void)flush(s);
		abort();
	}
	if ((action = queue_reply(s)) != 0)
		return action;
	return end;
}

/*
 * Take the next complete request out of the input.  Returns 1 with
 * req and len set (valid until the next call), 0 when more input is needed,
 * or -1 when the request is over the cap.
 */
static int
next_request(struct session *s, const char **req, size_t *len)
{
	const unsigned char	*p;
	size_t			 used;
	ssize_t			 n;

	if (s->mode == MODE_FRAME) {
		n = frame_decode(buf_head(&s->in), buf_used(&s->in),
		    (size_t)s->cfg->max_frame, &p, len);
		if (n <= 0)
			return n == 0 ? 0 : -1;
		*req = (const char *)p;
		/* The payload stays valid: buf only moves bytes on reserve. */
		buf_consume(&s->in, (size_t)n);
		return 1;
	}
	for (;;) {
		switch (line_feed(&s->ld, buf_head(&s->in), buf_used(&s->in),
		    &used)) {
		case LINE_TOO_LONG:
			return -1;
		case LINE_MORE:
			buf_consume(&s->in, used);
			return 0;
		case LINE_READY:
			buf_consume(&s->in, used);
			if (s->ld.len == 0)
				continue;	/* empty lines are ignored */
			*req = s->ld.line;
			*len = s->ld.len;
			return 1;
		}
	}
}

/* Answer every complete request in the input.  Returns 0 or an end. */
static int
serve_input(struct session *s)
{
	const char	*req;
	size_t		 len;
	int		 r, end;

	while (!s->quit && !sig_flag_raised()) {
		if ((r = next_request(s, &req, &len)) == 0)
			break;
		if (r == -1)
			return say_error(s, s->mode == MODE_FRAME ?
			    "frame too long" : "line too long",
			    SESSION_TOO_LONG);
		if ((end = serve(s, req, len)) != 0)
			return flush(s) != 0 ? SESSION_RESET : end;
	}
	if (s->eof && !s->quit && !sig_flag_raised() &&
	    s->mode == MODE_LINE && line_finish(&s->ld) &&
	    (end = serve(s, s->ld.line, s->ld.len)) != 0)
		return flush(s) != 0 ? SESSION_RESET : end;
	return flush(s);
}

/* Read what the client sent.  Returns 0 or a session end. */
static int
receive(struct session *s)
{
	ssize_t	 n;

	if (buf_reserve(&s->in, READ_CHUNK) == -1)
		return SESSION_FAILED;
	n = netio_read(s->fd, s->in.data + s->in.len, s->in.cap - s->in.len);
	log_event(LOG_LVL_TRACE, "trace", "step=read fd=%d bytes=%zd", s->fd,
	    n);
	if (n == -1)
		return SESSION_RESET;
	if (n == 0) {
		s->eof = 1;
		return 0;
	}
	if (s->mode == MODE_UNKNOWN)
		s->mode = s->in.data[s->in.len] == '\0' ? MODE_FRAME :
		    MODE_LINE;
	s->in.len += (size_t)n;
	count(&s->slot->bytes_in, (uint64_t)n);
	touch(s);
	return 0;
}

/*
 * The nearer of the two deadlines.  The idle one moves with every byte;
 * the request one starts with a request's first byte and does not move,
 * so a client trickling a byte at a time (slowloris) is still cut off.
 */
static int64_t
next_deadline(struct session *s)
{
	int	 partial = s->mode == MODE_FRAME ? buf_used(&s->in) > 0 :
	    s->mode == MODE_LINE && line_partial(&s->ld);

	if (!partial)
		s->request_deadline = 0;
	else if (s->request_deadline == 0)
		s->request_deadline = clock_ms() + s->cfg->request_ms;
	if (s->request_deadline != 0 && s->request_deadline < s->idle_deadline)
		return s->request_deadline;
	return s->idle_deadline;
}

/* The session's main loop: answer, then wait for input, a signal or idle. */
static int
converse(struct session *s)
{
	int	 end, r;

	for (;;) {
		if ((end = serve_input(s)) != 0)
			return end;
		if (s->quit)
			return SESSION_CLOSED;
		if (sig_flag_raised())
			return say_error(s, PROTO_SHUTDOWN,
			    SESSION_SHUTDOWN);
		if (s->eof)
			return SESSION_CLOSED;
		set_state(s, SB_READING);
		r = sig_wait_fd(s->fd, clock_until(next_deadline(s)));
		if (r == 0 && s->request_deadline != 0 &&
		    clock_ms() >= s->request_deadline)
			return say_error(s, PROTO_REQ_TIMEOUT,
			    SESSION_REQUEST_TIMEOUT);
		if (r == 0)
			return say_error(s, PROTO_IDLE, SESSION_IDLE);
		if (r == 1 && (end = receive(s)) != 0)
			return end;
		if (r == -1 && errno != EINTR)
			return SESSION_FAILED;
	}
}

/*
 * Close without losing the last reply: closing a socket with unread input
 * makes the kernel send RST, which can destroy replies still in flight.
 * So half-close first and drain briefly (Apache's lingering close).
 */
static void
linger_close(int fd)
{
	char	 sink[4096];
	int64_t	 deadline = clock_ms() + LINGER_MS;
	size_t	 total = 0;
	ssize_t	 n;

	log_event(LOG_LVL_TRACE, "trace", "step=shutdown fd=%d how=SHUT_WR",
	    fd);
	if (shutdown(fd, SHUT_WR) == 0) {
		while (total < LINGER_BYTES &&
		    sig_wait_fd(fd, clock_until(deadline)) == 1 &&
		    (n = netio_read(fd, sink, sizeof(sink))) > 0)
			total += (size_t)n;
	}
	(void)close(fd);
	log_event(LOG_LVL_TRACE, "trace", "step=close fd=%d drained=%zu", fd,
	    total);
}

static void
session_init(struct session *s, int fd, const struct config *cfg,
    struct scoreboard *sb, struct sb_slot *slot)
{
	s->fd = fd;
	s->cfg = cfg;
	s->slot = slot;
	s->mode = MODE_UNKNOWN;
	s->state = SB_FREE;
	s->eof = s->quit = 0;
	s->exit_status = -1;
	s->request_deadline = 0;
	s->in = (struct buf)BUF_INIT;
	s->out = (struct buf)BUF_INIT;
	s->reply = (struct reply)REPLY_INIT;
	s->ctx.sb = sb;
	s->ctx.conn = slot->conn;
	s->ctx.peer = slot->peer;
	s->ctx.start_ms = slot->start_ms;
	s->ctx.udp = 0;
	s->ctx.debug = cfg->debug_verbs;
	s->sndtimeo_ms = 0;	/* the socket's default: none */
	touch(s);
}

/*
 * "+OK forkd ready pid=P ppid=L conn=N\r\n", built without printf:
 * printf's code, tables and stack are five pages a child would fault in
 * for this one line (ECHO, the common request, does not use it).
 */
static int
greet(struct buf *out, uint64_t conn)
{
	if (buf_append_str(out, PROTO_GREETING " pid=") == -1 ||
	    buf_append_uint(out, (unsigned long long)getpid()) == -1 ||
	    buf_append_str(out, " ppid=") == -1 ||
	    buf_append_uint(out, (unsigned long long)getppid()) == -1 ||
	    buf_append_str(out, " conn=") == -1 ||
	    buf_append_uint(out, conn) == -1)
		return -1;
	return buf_append_str(out, "\r\n");
}

int
session_run(int fd, const struct config *cfg, struct scoreboard *sb,
    struct sb_slot *slot)
{
	struct session	 s;
	const char	*why;
	/*
	 * One struct, smallest buffer first: a short session writes only
	 * the start of each, and so the starts share as few pages as they
	 * can (the compiler would order separate arrays as it likes).
	 */
	struct {
		char	 reply[REPLY_STACK], out[OUT_STACK];
		char	 line[LINE_STACK], in[IN_STACK];
	}		 stk;
	char		*line = stk.line;
	int		 end;

	session_init(&s, fd, cfg, sb, slot);
	s.in = (struct buf)BUF_FIXED(stk.in);
	s.out = (struct buf)BUF_FIXED(stk.out);
	s.reply.text = (struct buf)BUF_FIXED(stk.reply);
	log_event(LOG_LVL_DEBUG, "session-start", "conn=%llu peer=%s",
	    (unsigned long long)slot->conn, slot->peer);
	if (cfg->max_line > LINE_STACK &&
	    (line = malloc((size_t)cfg->max_line)) == NULL)
		end = SESSION_FAILED;
	else {
		line_init(&s.ld, line, (size_t)cfg->max_line);
		if (greet(&s.out, slot->conn) == -1)
			end = SESSION_FAILED;
		else if ((end = flush(&s)) == 0)
			end = converse(&s);
	}
	set_state(&s, SB_CLOSING);
	/* After the client's EOF nothing is left to drain: no lingering. */
	if (end != SESSION_RESET && !s.eof)
		linger_close(fd);
	else {
		(void)close(fd);
		log_event(LOG_LVL_TRACE, "trace", "step=close fd=%d", fd);
	}
	why = session_end_name(end);
	if (s.exit_status >= 0 && end == SESSION_CLOSED) {
		end = s.exit_status;	/* EXIT n, and its reply went out */
		why = "exit-verb";
	}
	log_event(LOG_LVL_DEBUG, "session-end", "conn=%llu reason=%s "
	    "requests=%llu bytes_in=%llu bytes_out=%llu duration=%.3fs",
	    (unsigned long long)slot->conn, why,
	    (unsigned long long)slot->requests,
	    (unsigned long long)slot->bytes_in,
	    (unsigned long long)slot->bytes_out,
	    (double)(clock_ms() - slot->start_ms) / 1000);
	if (line != stk.line)
		free(line);
	buf_free(&s.in);
	buf_free(&s.out);
	reply_free(&s.reply);
	return end;
}
