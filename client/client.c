/*
 * client: requests out, replies in.  Every wait has a deadline, so forkc
 * can never hang on a silent server: it says what it waited for instead.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "client.h"
#include "clock.h"
#include "frame.h"
#include "netio.h"
#include "proto.h"
#include "sock.h"

#define READ_CHUNK	16384

void
client_init(struct client *c, int fd, enum client_mode mode, int timeout_ms)
{
	c->fd = fd;
	c->mode = mode;
	c->timeout_ms = timeout_ms;
	c->in = (struct buf)BUF_INIT;
}

void
client_free(struct client *c)
{
	buf_free(&c->in);
}

/* Wait for input until deadline, then read what there is.  0 or -1. */
static int
fill(struct client *c, int64_t deadline)
{
	struct pollfd	 pfd = { c->fd, POLLIN, 0 };
	ssize_t		 n;
	int		 r;

	do
		r = poll(&pfd, 1, clock_until(deadline));
	while (r == -1 && errno == EINTR);
	if (r == 0) {
		errno = ETIMEDOUT;
		return -1;
	}
	if (r == -1 || buf_reserve(&c->in, READ_CHUNK) == -1)
		return -1;
	n = netio_read(c->fd, c->in.data + c->in.len, c->in.cap - c->in.len);
	if (n == 0)
		errno = ECONNRESET;
	if (n <= 0)
		return -1;
	c->in.len += (size_t)n;
	return 0;
}

/* One CRLF (or LF) line into out, without its terminator. */
static int
read_line(struct client *c, struct buf *out, int64_t deadline)
{
	char	*nl;
	size_t	 n;

	while (buf_used(&c->in) == 0 ||
	    (nl = memchr(buf_head(&c->in), '\n', buf_used(&c->in))) == NULL)
		if (fill(c, deadline) == -1)
			return -1;
	n = (size_t)(nl - buf_head(&c->in));
	if (n > 0 && nl[-1] == '\r')
		n--;
	if (buf_append(out, buf_head(&c->in), n) == -1)
		return -1;
	buf_consume(&c->in, (size_t)(nl - buf_head(&c->in)) + 1);
	return 0;
}

int
client_greeting(struct client *c, struct buf *out)
{
	buf_clear(out);
	return read_line(c, out, clock_ms() + c->timeout_ms);
}

int
client_connect(const struct client_opts *o, const char **why)
{
	struct sockaddr_storage	 ss;
	socklen_t		 len;
	int			 fd, type;

	type = o->mode == CLIENT_UDP ? SOCK_DGRAM : SOCK_STREAM;
	if (sock_resolve(o->host, o->port, type, &ss, &len, why) == -1)
		return -1;
	if ((fd = sock_connect((struct sockaddr *)&ss, len, type)) == -1)
		*why = strerror(errno);
	return fd;
}

int
client_encode(const struct client *c, const char *req, size_t len,
    struct buf *out)
{
	unsigned char	 hdr[PROTO_FRAME_HDR];

	if (c->mode == CLIENT_FRAME) {
		if (len >= PROTO_FRAME_LIMIT) {
			errno = EMSGSIZE;
			return -1;
		}
		frame_header(hdr, (uint32_t)len);
		if (buf_append(out, hdr, sizeof(hdr)) == -1)
			return -1;
	}
	if (buf_append(out, req, len) == -1)
		return -1;
	if (c->mode == CLIENT_LINE)
		return buf_append(out, "\r\n", 2);
	return 0;
}

int
client_send(struct client *c, const char *req, size_t len)
{
	struct buf	 msg = BUF_INIT;
	int		 rc;

	if (c->mode == CLIENT_UDP)
		return netio_write(c->fd, req, len) == -1 ? -1 : 0;
	/* One write per request: header and payload leave together. */
	rc = client_encode(c, req, len, &msg);
	if (rc == 0)
		rc = netio_write_all(c->fd, buf_head(&msg), buf_used(&msg),
		    NULL);
	buf_free(&msg);
	return rc;
}

int
client_send_batch(struct client *c, char *const *reqs, int n)
{
	struct buf	 msg = BUF_INIT;
	int		 i, rc = 0;

	for (i = 0; rc == 0 && i < n; i++)
		rc = client_encode(c, reqs[i], strlen(reqs[i]), &msg);
	/* All the requests stuck together: the server must still split them. */
	if (rc == 0)
		rc = netio_write_all(c->fd, buf_head(&msg), buf_used(&msg),
		    NULL);
	buf_free(&msg);
	return rc;
}

/* Sleep about ms; a signal only cuts the pause short. */
static int
nap(int ms)
{
	struct timespec	 ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (long)(ms % 1000) * 1000000L;
	if (nanosleep(&ts, NULL) == -1 && errno != EINTR)
		return -1;
	return 0;
}

int
client_send_trickle(struct client *c, const char *req, size_t len,
    int gap_ms)
{
	struct buf	 msg = BUF_INIT;
	size_t		 i;
	int		 on = 1, rc;

	/* Without TCP_NODELAY, Nagle would coalesce the bytes again. */
	rc = setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
	if (rc == 0)
		rc = client_encode(c, req, len, &msg);
	for (i = 0; rc == 0 && i < buf_used(&msg); i++) {
		if (i > 0 && gap_ms > 0)
			rc = nap(gap_ms);
		if (rc == 0)
			rc = netio_write_all(c->fd, buf_head(&msg) + i, 1,
			    NULL);
	}
	buf_free(&msg);
	return rc;
}

static int
recv_frame(struct client *c, struct buf *out, int64_t deadline)
{
	const unsigned char	*p;
	size_t			 plen;
	ssize_t			 n;

	while ((n = frame_decode(buf_head(&c->in), buf_used(&c->in),
	    PROTO_FRAME_LIMIT - 1, &p, &plen)) == 0)
		if (fill(c, deadline) == -1)
			return -1;
	if (n == -1)
		return -1;
	if (buf_append(out, p, plen) == -1)
		return -1;
	buf_consume(&c->in, (size_t)n);
	return 0;
}

/* Line mode: the status line, then for +OK HELP/STATS body lines to ".". */
static int
recv_lines(struct client *c, enum cmd_verb v, struct buf *out,
    int64_t deadline)
{
	struct buf	 line = BUF_INIT;
	int		 rc;

	if ((rc = read_line(c, out, deadline)) == -1 || !cmd_has_body(v) ||
	    !client_reply_ok(out))
		return rc;
	for (;;) {
		buf_clear(&line);
		if ((rc = read_line(c, &line, deadline)) == -1)
			break;
		if (buf_used(&line) == 1 && buf_head(&line)[0] == '.')
			break;
		/* Undo dot-stuffing: a leading ".." stands for ".". */
		if (buf_used(&line) > 0 && buf_head(&line)[0] == '.')
			buf_consume(&line, 1);
		if ((rc = buf_append(out, "\n", 1)) == -1 ||
		    (rc = buf_append(out, buf_head(&line),
		    buf_used(&line))) == -1)
			break;
	}
	buf_free(&line);
	return rc;
}

static int
recv_datagram(struct client *c, struct buf *out, int64_t deadline)
{
	struct pollfd	 pfd = { c->fd, POLLIN, 0 };
	ssize_t		 n;
	int		 r;

	do
		r = poll(&pfd, 1, clock_until(deadline));
	while (r == -1 && errno == EINTR);
	if (r == 0)
		errno = ETIMEDOUT;
	if (r <= 0 || buf_reserve(out, PROTO_UDP_MAX_DGRAM) == -1)
		return -1;
	/* On a connected datagram socket one read is one whole datagram. */
	if ((n = netio_read(c->fd, out->data + out->len,
	    PROTO_UDP_MAX_DGRAM)) == -1)
		return -1;
	out->len += (size_t)n;
	return 0;
}

int
client_recv(struct client *c, enum cmd_verb v, struct buf *out)
{
	int64_t	 deadline = clock_ms() + c->timeout_ms;

	buf_clear(out);
	switch (c->mode) {
	case CLIENT_FRAME:
		return recv_frame(c, out, deadline);
	case CLIENT_LINE:
		return recv_lines(c, v, out, deadline);
	case CLIENT_UDP:
		return recv_datagram(c, out, deadline);
	}
	errno = EINVAL;
	return -1;
}

int
client_recv_eof(struct client *c)
{
	int64_t	 deadline = clock_ms() + c->timeout_ms;

	while (buf_used(&c->in) == 0)
		if (fill(c, deadline) == -1)
			return errno == ECONNRESET ? 0 : -1;
	errno = EPROTO;
	return -1;
}

const char *
client_error(void)
{
	if (errno == ECONNRESET)
		return "connection closed by server";
	if (errno == ETIMEDOUT)
		return "no reply in time";
	if (errno == EPROTO)
		return "data after the last reply";
	return strerror(errno);
}

int
client_reply_ok(const struct buf *b)
{
	return buf_used(b) >= 3 && memcmp(buf_head(b), "+OK", 3) == 0;
}
