/*
 * check_client: forkc's protocol side, run over a socketpair (and over
 * loopback TCP where the code needs a real TCP socket).  The greeting,
 * each framing's encoding, replies whole and split at every byte, and
 * every error: timeout, EOF, bad frame, bytes after the last reply.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <check.h>

#include "client.h"
#include "clock.h"
#include "netio.h"
#include "proto.h"
#include "sock.h"
#include "suites.h"
#include "util.h"

#define TMO	2000	/* ms: a reply that is there comes at once */
#define SHORT	50	/* ms: how long a silent peer is waited for */
#define GAP	2	/* ms between the two halves of a split reply */

#define FRAME_HI	"\0\0\0\x06+OK hi"
#define HELP_REPLY	"+OK help\r\nECHO x\r\n..dot\r\n\r\n.\r\n"
#define HELP_TEXT	"+OK help\nECHO x\n.dot\n"
#define TWO_FRAMES	"\0\0\0\x03+OK\0\0\0\x0c-ERR too big"
#define GREETING	PROTO_GREETING "\r\n"

static int		 sv[2] = { -1, -1 };	/* [0] client, [1] server */
static struct client	 c;
static struct buf	 out = BUF_INIT;

static void
setup(void)
{
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	client_init(&c, sv[0], CLIENT_FRAME, TMO);
}

static void
setup_dgram(void)
{
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
	client_init(&c, sv[0], CLIENT_UDP, TMO);
}

static void
teardown(void)
{
	client_free(&c);
	buf_free(&out);
	t_close_pair(sv);
}

/* The server side sends n bytes now (they fit the socket buffer). */
static void
put(const void *p, size_t n)
{
	ck_assert_int_eq(netio_write_all(sv[1], p, n, NULL), 0);
}

/* The server side closes. */
static void
hangup(void)
{
	ck_assert_int_eq(close(sv[1]), 0);
	sv[1] = -1;
}

static void
out_is(const char *want, size_t n)
{
	ck_assert_msg(buf_used(&out) == n &&
	    memcmp(buf_head(&out), want, n) == 0,
	    "got %zu bytes \"%.*s\", want %zu \"%.*s\"", buf_used(&out),
	    (int)buf_used(&out), buf_head(&out), n, (int)n, want);
}

/*
 * A child that sends p[0..n) from the server side in pieces of step
 * bytes (the first piece is first bytes long), gap_ms apart.
 */
static pid_t
writer(const char *p, size_t n, size_t first, size_t step, int gap_ms)
{
	pid_t	 pid;
	size_t	 off, len;

	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid != 0)
		return pid;
	for (off = 0, len = first; off < n; off += len, len = step) {
		if (off > 0)
			t_nap(gap_ms);
		if (len > n - off)
			len = n - off;
		if (netio_write_all(sv[1], p + off, len, NULL) == -1)
			_exit(1);
	}
	_exit(0);
}

/* rc must be -1 with errno want, after about ms milliseconds. */
static void
fails_after(int rc, int err, int64_t t0, int ms, int want)
{
	int64_t	 took = clock_ms() - t0;

	ck_assert_int_eq(rc, -1);
	ck_assert_msg(err == want, "errno %d (%s), want %d (%s)", err,
	    strerror(err), want, strerror(want));
	ck_assert_msg(took >= ms - 1 && took < ms + 900,
	    "failed after %lld ms, want about %d", (long long)took, ms);
}

/* Exactly n bytes are waiting on fd, and they are want. */
static void
peer_got(int fd, const void *want, size_t n)
{
	struct pollfd	 pfd = { fd, POLLIN, 0 };
	char		*got;
	size_t		 done;

	got = malloc(n + 1);
	ck_assert_ptr_nonnull(got);
	ck_assert_int_eq(netio_read_all(fd, got, n, &done), 0);
	ck_assert_uint_eq(done, n);
	ck_assert_msg(memcmp(got, want, n) == 0, "peer got \"%.*s\"",
	    (int)n, got);
	free(got);
	ck_assert_int_eq(poll(&pfd, 1, 0), 0);
}

START_TEST(test_greeting)
{
	put(GREETING, sizeof(GREETING) - 1);
	ck_assert_int_eq(buf_append(&out, "junk", 4), 0);
	ck_assert_int_eq(client_greeting(&c, &out), 0);
	out_is(PROTO_GREETING, strlen(PROTO_GREETING));
	ck_assert_uint_eq(buf_used(&c.in), 0);
}
END_TEST

START_TEST(test_greeting_terminators)
{
	put("+OK a\n\r\na\rb\r\n", 13);
	ck_assert_int_eq(client_greeting(&c, &out), 0);
	out_is("+OK a", 5);
	ck_assert_int_eq(client_greeting(&c, &out), 0);
	out_is("", 0);
	/* Only a CR right before the LF belongs to the terminator. */
	ck_assert_int_eq(client_greeting(&c, &out), 0);
	out_is("a\rb", 3);
}
END_TEST

/* The greeting takes its line only: a reply in the same write stays. */
START_TEST(test_greeting_then_reply)
{
	put(GREETING FRAME_HI, sizeof(GREETING FRAME_HI) - 1);
	ck_assert_int_eq(client_greeting(&c, &out), 0);
	out_is(PROTO_GREETING, strlen(PROTO_GREETING));
	ck_assert_uint_eq(buf_used(&c.in), 10);
	ck_assert_int_eq(client_recv(&c, CMD_ECHO, &out), 0);
	out_is("+OK hi", 6);
	ck_assert_uint_eq(buf_used(&c.in), 0);
}
END_TEST

START_TEST(test_greeting_timeout)
{
	int64_t	 t0;
	int	 rc;

	client_init(&c, sv[0], CLIENT_FRAME, SHORT);
	t0 = clock_ms();
	rc = client_greeting(&c, &out);
	fails_after(rc, errno, t0, SHORT, ETIMEDOUT);
}
END_TEST

/* A line that never ends is a timeout too, not a greeting. */
START_TEST(test_greeting_partial)
{
	int64_t	 t0;
	int	 rc;

	client_init(&c, sv[0], CLIENT_FRAME, SHORT);
	put("+OK forkd", 9);
	t0 = clock_ms();
	rc = client_greeting(&c, &out);
	fails_after(rc, errno, t0, SHORT, ETIMEDOUT);
}
END_TEST

START_TEST(test_greeting_eof)
{
	int64_t	 t0 = clock_ms();
	int	 rc;

	hangup();
	rc = client_greeting(&c, &out);
	fails_after(rc, errno, t0, 0, ECONNRESET);
}
END_TEST

START_TEST(test_greeting_eof_partial)
{
	int64_t	 t0 = clock_ms();
	int	 rc;

	put("+OK fo", 6);
	hangup();
	rc = client_greeting(&c, &out);
	fails_after(rc, errno, t0, 0, ECONNRESET);
}
END_TEST

START_TEST(test_encode)
{
	client_init(&c, sv[0], CLIENT_FRAME, TMO);
	ck_assert_int_eq(client_encode(&c, "ECHO hi", 7, &out), 0);
	out_is("\0\0\0\x07" "ECHO hi", 11);
	/* Appends, never clears. */
	ck_assert_int_eq(client_encode(&c, "", 0, &out), 0);
	out_is("\0\0\0\x07" "ECHO hi\0\0\0\0", 15);

	buf_clear(&out);
	client_init(&c, sv[0], CLIENT_LINE, TMO);
	ck_assert_int_eq(client_encode(&c, "ECHO hi", 7, &out), 0);
	ck_assert_int_eq(client_encode(&c, "PID", 3, &out), 0);
	out_is("ECHO hi\r\nPID\r\n", 14);

	buf_clear(&out);
	client_init(&c, sv[0], CLIENT_UDP, TMO);
	ck_assert_int_eq(client_encode(&c, "ECHO hi", 7, &out), 0);
	out_is("ECHO hi", 7);
}
END_TEST

/* A 300-byte request: the length prefix uses more than its last byte. */
START_TEST(test_encode_length)
{
	char	 req[300];

	memset(req, 'x', sizeof(req));
	ck_assert_int_eq(client_encode(&c, req, sizeof(req), &out), 0);
	ck_assert_uint_eq(buf_used(&out), 304);
	ck_assert_int_eq(memcmp(buf_head(&out), "\0\0\x01\x2c", 4), 0);
	ck_assert_int_eq(memcmp(buf_head(&out) + 4, req, sizeof(req)), 0);
}
END_TEST

/* Frames are < 16 MiB: the limit itself is refused before any byte. */
START_TEST(test_encode_oversize)
{
	static const char	 small[1];

	ck_assert_int_eq(buf_append(&out, "ab", 2), 0);
	errno = 0;
	ck_assert_int_eq(client_encode(&c, small, PROTO_FRAME_LIMIT, &out),
	    -1);
	ck_assert_int_eq(errno, EMSGSIZE);
	out_is("ab", 2);
}
END_TEST

START_TEST(test_encode_largest)
{
	char	*req;

	req = calloc(1, PROTO_FRAME_LIMIT - 1);
	ck_assert_ptr_nonnull(req);
	ck_assert_int_eq(client_encode(&c, req, PROTO_FRAME_LIMIT - 1, &out),
	    0);
	ck_assert_uint_eq(buf_used(&out), PROTO_FRAME_LIMIT - 1 + 4);
	ck_assert_int_eq(memcmp(buf_head(&out), "\0\xff\xff\xff", 4), 0);
	free(req);
}
END_TEST

START_TEST(test_send)
{
	ck_assert_int_eq(client_send(&c, "ECHO hi", 7), 0);
	peer_got(sv[1], "\0\0\0\x07" "ECHO hi", 11);
	client_init(&c, sv[0], CLIENT_LINE, TMO);
	ck_assert_int_eq(client_send(&c, "PID", 3), 0);
	peer_got(sv[1], "PID\r\n", 5);
	ck_assert_int_eq(client_send(&c, "", 0), 0);
	peer_got(sv[1], "\r\n", 2);
}
END_TEST

START_TEST(test_send_oversize)
{
	static const char	 small[1];
	struct pollfd		 pfd;

	errno = 0;
	ck_assert_int_eq(client_send(&c, small, PROTO_FRAME_LIMIT), -1);
	ck_assert_int_eq(errno, EMSGSIZE);
	pfd.fd = sv[1];
	pfd.events = POLLIN;
	ck_assert_int_eq(poll(&pfd, 1, 0), 0);
}
END_TEST

START_TEST(test_send_batch)
{
	char *const	 reqs[] = { "ECHO a", "PID", "" };

	ck_assert_int_eq(client_send_batch(&c, reqs, 3), 0);
	peer_got(sv[1], "\0\0\0\x06" "ECHO a\0\0\0\x03PID\0\0\0\0", 21);
	client_init(&c, sv[0], CLIENT_LINE, TMO);
	ck_assert_int_eq(client_send_batch(&c, reqs, 3), 0);
	peer_got(sv[1], "ECHO a\r\nPID\r\n\r\n", 15);
	ck_assert_int_eq(client_send_batch(&c, reqs, 0), 0);
}
END_TEST

/* SIGPIPE ignored, as forkc does: a closed peer is EPIPE. */
START_TEST(test_send_peer_gone)
{
	struct sigaction	 ign, old;
	int			 rc, err;

	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	ck_assert_int_eq(sigaction(SIGPIPE, &ign, &old), 0);
	hangup();
	rc = client_send(&c, "PID", 3);
	err = errno;
	ck_assert_int_eq(sigaction(SIGPIPE, &old, NULL), 0);
	ck_assert_int_eq(rc, -1);
	ck_assert_int_eq(err, EPIPE);
}
END_TEST

START_TEST(test_send_udp)
{
	char	 d[16];

	ck_assert_int_eq(client_send(&c, "ECHO hi", 7), 0);
	ck_assert_int_eq(client_send(&c, "PID", 3), 0);
	/* One datagram each, no framing. */
	ck_assert_int_eq(read(sv[1], d, sizeof(d)), 7);
	ck_assert_int_eq(memcmp(d, "ECHO hi", 7), 0);
	ck_assert_int_eq(read(sv[1], d, sizeof(d)), 3);
	ck_assert_int_eq(memcmp(d, "PID", 3), 0);
}
END_TEST

START_TEST(test_recv_frame)
{
	put(FRAME_HI, 10);
	ck_assert_int_eq(client_recv(&c, CMD_ECHO, &out), 0);
	out_is("+OK hi", 6);
	ck_assert_uint_eq(buf_used(&c.in), 0);
}
END_TEST

/* Two replies in one segment: each call takes exactly one. */
START_TEST(test_recv_frame_two)
{
	put(TWO_FRAMES, sizeof(TWO_FRAMES) - 1);
	ck_assert_int_eq(client_recv(&c, CMD_PID, &out), 0);
	out_is("+OK", 3);
	ck_assert_int_eq(client_recv(&c, CMD_ECHO, &out), 0);
	out_is("-ERR too big", 12);
	put("\0\0\0\0", 4);
	ck_assert_int_eq(client_recv(&c, CMD_ECHO, &out), 0);
	out_is("", 0);
}
END_TEST

/* Frame mode knows no body: HELP is one frame, newlines and all. */
START_TEST(test_recv_frame_body)
{
	put("\0\0\0\x0a+OK a\r\n.\r\n", 14);
	ck_assert_int_eq(client_recv(&c, CMD_HELP, &out), 0);
	out_is("+OK a\r\n.\r\n", 10);
}
END_TEST

START_TEST(test_recv_frame_oversize)
{
	int64_t	 t0 = clock_ms();
	int	 rc;

	put("\x01\0\0\0" "abc", 7);
	errno = 0;
	rc = client_recv(&c, CMD_ECHO, &out);
	fails_after(rc, errno, t0, 0, EMSGSIZE);
}
END_TEST

/* The largest frame allowed is waited for, not refused. */
START_TEST(test_recv_frame_largest)
{
	int64_t	 t0;
	int	 rc;

	client_init(&c, sv[0], CLIENT_FRAME, SHORT);
	put("\0\xff\xff\xff" "abc", 7);
	t0 = clock_ms();
	rc = client_recv(&c, CMD_ECHO, &out);
	fails_after(rc, errno, t0, SHORT, ETIMEDOUT);
}
END_TEST

START_TEST(test_recv_frame_timeout)
{
	int64_t	 t0;
	int	 rc;

	client_init(&c, sv[0], CLIENT_FRAME, SHORT);
	t0 = clock_ms();
	rc = client_recv(&c, CMD_ECHO, &out);
	fails_after(rc, errno, t0, SHORT, ETIMEDOUT);
	put("\0\0\0\x05+OK h", 8);
	t0 = clock_ms();
	rc = client_recv(&c, CMD_ECHO, &out);
	fails_after(rc, errno, t0, SHORT, ETIMEDOUT);
}
END_TEST

START_TEST(test_recv_frame_eof)
{
	int64_t	 t0 = clock_ms();
	int	 rc;

	hangup();
	rc = client_recv(&c, CMD_ECHO, &out);
	fails_after(rc, errno, t0, 0, ECONNRESET);
}
END_TEST

/* The server closing inside a frame (header or payload) is ECONNRESET. */
START_TEST(test_recv_frame_eof_partial)
{
	int64_t	 t0 = clock_ms();
	int	 rc;

	put(FRAME_HI, (size_t)_i);
	hangup();
	rc = client_recv(&c, CMD_ECHO, &out);
	fails_after(rc, errno, t0, 0, ECONNRESET);
}
END_TEST

/* The deadline is for the whole reply: bytes trickling in do not renew it. */
START_TEST(test_recv_deadline)
{
	pid_t	 pid;
	int64_t	 t0;
	int	 rc;

	client_init(&c, sv[0], CLIENT_FRAME, 100);
	t0 = clock_ms();
	pid = writer(FRAME_HI, 10, 1, 1, 25);
	rc = client_recv(&c, CMD_ECHO, &out);
	fails_after(rc, errno, t0, 100, ETIMEDOUT);
	t_reap_ok(pid, "writer child");
}
END_TEST

START_TEST(test_recv_line)
{
	client_init(&c, sv[0], CLIENT_LINE, TMO);
	put("+OK hi\r\n-ERR no\n", 16);
	ck_assert_int_eq(client_recv(&c, CMD_ECHO, &out), 0);
	out_is("+OK hi", 6);
	ck_assert_int_eq(client_recv(&c, CMD_ECHO, &out), 0);
	out_is("-ERR no", 7);
	ck_assert_uint_eq(buf_used(&c.in), 0);
}
END_TEST

/* HELP and STATS: body lines to ".", dot-stuffing undone. */
START_TEST(test_recv_line_body)
{
	client_init(&c, sv[0], CLIENT_LINE, TMO);
	put(HELP_REPLY, sizeof(HELP_REPLY) - 1);
	ck_assert_int_eq(client_recv(&c, CMD_HELP, &out), 0);
	out_is(HELP_TEXT, sizeof(HELP_TEXT) - 1);
	put("+OK\r\nconns 3\r\n.\r\n+OK\r\n.\r\n", 25);
	ck_assert_int_eq(client_recv(&c, CMD_STATS, &out), 0);
	out_is("+OK\nconns 3", 11);
	ck_assert_int_eq(client_recv(&c, CMD_STATS, &out), 0);
	out_is("+OK", 3);
	ck_assert_uint_eq(buf_used(&c.in), 0);
}
END_TEST

/* Only a +OK has a body; the next reply is left where it is. */
START_TEST(test_recv_line_err)
{
	client_init(&c, sv[0], CLIENT_LINE, TMO);
	put("-ERR nope\r\n+OK 42\r\n", 19);
	ck_assert_int_eq(client_recv(&c, CMD_HELP, &out), 0);
	out_is("-ERR nope", 9);
	ck_assert_int_eq(client_recv(&c, CMD_PID, &out), 0);
	out_is("+OK 42", 6);
	/* ECHO has no body even when the reply text looks like one. */
	put("+OK .\r\n.\r\n", 10);
	ck_assert_int_eq(client_recv(&c, CMD_ECHO, &out), 0);
	out_is("+OK .", 5);
	ck_assert_uint_eq(buf_used(&c.in), 3);
}
END_TEST

START_TEST(test_recv_line_eof)
{
	int64_t	 t0 = clock_ms();
	int	 rc;

	client_init(&c, sv[0], CLIENT_LINE, TMO);
	put("+OK help\r\nECHO x\r\n", 18);
	hangup();
	rc = client_recv(&c, CMD_HELP, &out);
	fails_after(rc, errno, t0, 0, ECONNRESET);
}
END_TEST

START_TEST(test_recv_line_timeout)
{
	int64_t	 t0 = clock_ms();
	int	 rc;

	client_init(&c, sv[0], CLIENT_LINE, SHORT);
	put("+OK help\r\nECHO x\r\n", 18);
	rc = client_recv(&c, CMD_HELP, &out);
	fails_after(rc, errno, t0, SHORT, ETIMEDOUT);
}
END_TEST

START_TEST(test_recv_udp)
{
	int64_t	 t0;
	int	 rc;

	put("+OK 1", 5);
	ck_assert_int_eq(write(sv[1], "", 0), 0);
	put("-ERR x", 6);
	ck_assert_int_eq(client_recv(&c, CMD_PID, &out), 0);
	out_is("+OK 1", 5);
	ck_assert_int_eq(client_recv(&c, CMD_PID, &out), 0);
	out_is("", 0);
	ck_assert_int_eq(client_recv(&c, CMD_PID, &out), 0);
	out_is("-ERR x", 6);
	client_init(&c, sv[0], CLIENT_UDP, SHORT);
	t0 = clock_ms();
	rc = client_recv(&c, CMD_PID, &out);
	fails_after(rc, errno, t0, SHORT, ETIMEDOUT);
}
END_TEST

START_TEST(test_recv_eof)
{
	int64_t	 t0 = clock_ms();

	put(GREETING FRAME_HI, sizeof(GREETING FRAME_HI) - 1);
	hangup();
	ck_assert_int_eq(client_greeting(&c, &out), 0);
	ck_assert_int_eq(client_recv(&c, CMD_ECHO, &out), 0);
	ck_assert_int_eq(client_recv_eof(&c), 0);
	ck_assert_int_lt(clock_ms() - t0, 900);
}
END_TEST

START_TEST(test_recv_eof_extra)
{
	int64_t	 t0 = clock_ms();
	int	 rc;

	put("x", 1);
	rc = client_recv_eof(&c);
	fails_after(rc, errno, t0, 0, EPROTO);
}
END_TEST

/* Extra bytes then a close: the bytes are what counts. */
START_TEST(test_recv_eof_extra_close)
{
	int64_t	 t0 = clock_ms();
	int	 rc;

	put("\0", 1);
	hangup();
	rc = client_recv_eof(&c);
	fails_after(rc, errno, t0, 0, EPROTO);
}
END_TEST

/* A second reply already read with the first one: EPROTO without a wait. */
START_TEST(test_recv_eof_buffered)
{
	int64_t	 t0 = clock_ms();
	int	 rc;

	put(TWO_FRAMES, sizeof(TWO_FRAMES) - 1);
	ck_assert_int_eq(client_recv(&c, CMD_ECHO, &out), 0);
	rc = client_recv_eof(&c);
	fails_after(rc, errno, t0, 0, EPROTO);
}
END_TEST

START_TEST(test_recv_eof_silent)
{
	int64_t	 t0;
	int	 rc;

	client_init(&c, sv[0], CLIENT_FRAME, SHORT);
	t0 = clock_ms();
	rc = client_recv_eof(&c);
	fails_after(rc, errno, t0, SHORT, ETIMEDOUT);
}
END_TEST

START_TEST(test_error)
{
	errno = ECONNRESET;
	ck_assert_str_eq(client_error(), "connection closed by server");
	errno = ETIMEDOUT;
	ck_assert_str_eq(client_error(), "no reply in time");
	errno = EPROTO;
	ck_assert_str_eq(client_error(), "data after the last reply");
	errno = EMSGSIZE;
	ck_assert_str_eq(client_error(), strerror(EMSGSIZE));
}
END_TEST

START_TEST(test_reply_ok)
{
	static const struct {
		const char	*text;
		int		 ok;
	} t[] = {
		{ "+OK", 1 }, { "+OK hi", 1 }, { "+OKAY", 1 }, { "+O", 0 },
		{ "", 0 }, { "-ERR x", 0 }, { "+ok", 0 }, { " +OK", 0 },
	};
	struct buf	 b = BUF_INIT;
	size_t		 i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		buf_clear(&b);
		ck_assert_int_eq(buf_append(&b, t[i].text, strlen(t[i].text)),
		    0);
		ck_assert_msg(client_reply_ok(&b) == t[i].ok, "\"%s\"",
		    t[i].text);
	}
	/* The unread offset counts, not the start of the memory. */
	buf_clear(&b);
	ck_assert_int_eq(buf_append(&b, "-+OK", 4), 0);
	buf_consume(&b, 1);
	ck_assert_int_eq(client_reply_ok(&b), 1);
	buf_consume(&b, 1);
	ck_assert_int_eq(client_reply_ok(&b), 0);
	buf_free(&b);
}
END_TEST

/* A listener on 127.0.0.1, port 0; its port into *port. */
static int
listener(int type, int *port)
{
	struct sockaddr_storage	 ss;
	socklen_t		 len;
	const char		*why = NULL;
	int			 fd;

	ck_assert_int_eq(sock_resolve("127.0.0.1", 0, type, &ss, &len, &why),
	    0);
	fd = sock_bind((struct sockaddr *)&ss, len, type, 4);
	ck_assert_int_ne(fd, -1);
	*port = sock_local_port(fd);
	ck_assert_int_gt(*port, 0);
	return fd;
}

static int
accept_one(int lfd)
{
	struct pollfd	 pfd = { lfd, POLLIN, 0 };
	int		 fd;

	ck_assert_int_eq(poll(&pfd, 1, TMO), 1);
	fd = accept(lfd, NULL, NULL);
	ck_assert_int_ne(fd, -1);
	return fd;
}

/* Over TCP: one byte per write, TCP_NODELAY on, the bytes in order. */
START_TEST(test_trickle)
{
	struct client_opts	 o;
	const char		*why = NULL;
	int			 lfd, fd, on = 0, port;
	socklen_t		 len = sizeof(on);
	int64_t			 t0;

	lfd = listener(SOCK_STREAM, &port);
	memset(&o, 0, sizeof(o));
	o.host = "127.0.0.1";
	o.port = port;
	o.mode = CLIENT_FRAME;
	fd = client_connect(&o, &why);
	ck_assert_msg(fd != -1, "client_connect: %s", why);
	ck_assert_int_eq(fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	ck_assert_int_eq(fcntl(fd, F_GETFL) & O_NONBLOCK, 0);
	close(sv[0]);
	sv[0] = fd;
	close(sv[1]);
	sv[1] = accept_one(lfd);
	close(lfd);

	client_init(&c, sv[0], CLIENT_FRAME, TMO);
	t0 = clock_ms();
	ck_assert_int_eq(client_send_trickle(&c, "ECHO hi", 7, 1), 0);
	/* Ten pauses of at least 1 ms between eleven bytes. */
	ck_assert_int_ge(clock_ms() - t0, 10);
	ck_assert_int_eq(getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, &len),
	    0);
	ck_assert_int_ne(on, 0);
	peer_got(sv[1], "\0\0\0\x07" "ECHO hi", 11);
	client_init(&c, sv[0], CLIENT_LINE, TMO);
	ck_assert_int_eq(client_send_trickle(&c, "PID", 3, 0), 0);
	peer_got(sv[1], "PID\r\n", 5);
}
END_TEST

START_TEST(test_connect_refused)
{
	struct client_opts	 o;
	const char		*why = NULL;
	int			 lfd, port, fd;

	/* A port just freed: nothing listens there. */
	lfd = listener(SOCK_STREAM, &port);
	close(lfd);
	memset(&o, 0, sizeof(o));
	o.host = "127.0.0.1";
	o.port = port;
	o.mode = CLIENT_LINE;
	fd = client_connect(&o, &why);
	ck_assert_int_eq(fd, -1);
	ck_assert_ptr_nonnull(why);
	ck_assert_str_eq(why, strerror(ECONNREFUSED));
}
END_TEST

START_TEST(test_connect_udp)
{
	struct client_opts	 o;
	struct sockaddr_storage	 from;
	socklen_t		 flen = sizeof(from);
	const char		*why = NULL;
	char			 d[16];
	int			 sfd, fd, port;

	sfd = listener(SOCK_DGRAM, &port);
	memset(&o, 0, sizeof(o));
	o.host = "127.0.0.1";
	o.port = port;
	o.mode = CLIENT_UDP;
	fd = client_connect(&o, &why);
	ck_assert_msg(fd != -1, "client_connect: %s", why);
	client_init(&c, fd, CLIENT_UDP, TMO);
	ck_assert_int_eq(client_send(&c, "PID", 3), 0);
	ck_assert_int_eq(sock_nonblock(sfd, 0), 0);
	ck_assert_int_eq(recvfrom(sfd, d, sizeof(d), 0,
	    (struct sockaddr *)&from, &flen), 3);
	ck_assert_int_eq(memcmp(d, "PID", 3), 0);
	ck_assert_int_eq(sendto(sfd, "+OK 7", 5, 0, (struct sockaddr *)&from,
	    flen), 5);
	ck_assert_int_eq(client_recv(&c, CMD_PID, &out), 0);
	out_is("+OK 7", 5);
	close(fd);
	close(sfd);
}
END_TEST

/* The Limits case: every reply split at every byte. */
START_TEST(test_split_greeting)
{
	pid_t	 pid;

	pid = writer(GREETING, sizeof(GREETING) - 1, (size_t)_i,
	    sizeof(GREETING), GAP);
	ck_assert_int_eq(client_greeting(&c, &out), 0);
	out_is(PROTO_GREETING, strlen(PROTO_GREETING));
	t_reap_ok(pid, "writer child");
}
END_TEST

START_TEST(test_split_frames)
{
	pid_t	 pid;

	pid = writer(TWO_FRAMES, sizeof(TWO_FRAMES) - 1, (size_t)_i,
	    sizeof(TWO_FRAMES), GAP);
	ck_assert_int_eq(client_recv(&c, CMD_ECHO, &out), 0);
	out_is("+OK", 3);
	ck_assert_int_eq(client_recv(&c, CMD_ECHO, &out), 0);
	out_is("-ERR too big", 12);
	ck_assert_uint_eq(buf_used(&c.in), 0);
	t_reap_ok(pid, "writer child");
}
END_TEST

START_TEST(test_split_body)
{
	pid_t	 pid;

	client_init(&c, sv[0], CLIENT_LINE, TMO);
	pid = writer(HELP_REPLY, sizeof(HELP_REPLY) - 1, (size_t)_i,
	    sizeof(HELP_REPLY), GAP);
	ck_assert_int_eq(client_recv(&c, CMD_HELP, &out), 0);
	out_is(HELP_TEXT, sizeof(HELP_TEXT) - 1);
	t_reap_ok(pid, "writer child");
}
END_TEST

/* Byte by byte, the whole frame. */
START_TEST(test_trickled_reply)
{
	pid_t	 pid;

	pid = writer(FRAME_HI, 10, 1, 1, 1);
	ck_assert_int_eq(client_recv(&c, CMD_ECHO, &out), 0);
	out_is("+OK hi", 6);
	t_reap_ok(pid, "writer child");
}
END_TEST

Suite *
client_suite(void)
{
	Suite	*s = suite_create("client");
	TCase	*tc;

	tc = tcase_create("Core");
	tcase_set_timeout(tc, 5);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_greeting);
	tcase_add_test(tc, test_greeting_terminators);
	tcase_add_test(tc, test_greeting_then_reply);
	tcase_add_test(tc, test_greeting_timeout);
	tcase_add_test(tc, test_greeting_partial);
	tcase_add_test(tc, test_greeting_eof);
	tcase_add_test(tc, test_greeting_eof_partial);
	tcase_add_test(tc, test_encode);
	tcase_add_test(tc, test_encode_length);
	tcase_add_test(tc, test_send);
	tcase_add_test(tc, test_send_batch);
	tcase_add_test(tc, test_send_peer_gone);
	tcase_add_test(tc, test_recv_frame);
	tcase_add_test(tc, test_recv_frame_two);
	tcase_add_test(tc, test_recv_frame_body);
	tcase_add_test(tc, test_recv_frame_oversize);
	tcase_add_test(tc, test_recv_frame_largest);
	tcase_add_test(tc, test_recv_frame_timeout);
	tcase_add_test(tc, test_recv_frame_eof);
	tcase_add_test(tc, test_recv_deadline);
	tcase_add_test(tc, test_recv_line);
	tcase_add_test(tc, test_recv_line_body);
	tcase_add_test(tc, test_recv_line_err);
	tcase_add_test(tc, test_recv_line_eof);
	tcase_add_test(tc, test_recv_line_timeout);
	tcase_add_test(tc, test_recv_eof);
	tcase_add_test(tc, test_recv_eof_extra);
	tcase_add_test(tc, test_recv_eof_extra_close);
	tcase_add_test(tc, test_recv_eof_buffered);
	tcase_add_test(tc, test_recv_eof_silent);
	tcase_add_test(tc, test_error);
	tcase_add_test(tc, test_reply_ok);
	tcase_add_test(tc, test_trickle);
	tcase_add_test(tc, test_connect_refused);
	tcase_add_test(tc, test_connect_udp);
	suite_add_tcase(s, tc);

	tc = tcase_create("Datagram");
	tcase_set_timeout(tc, 5);
	tcase_add_checked_fixture(tc, setup_dgram, teardown);
	tcase_add_test(tc, test_send_udp);
	tcase_add_test(tc, test_recv_udp);
	suite_add_tcase(s, tc);

	tc = tcase_create("Limits");
	tcase_set_timeout(tc, 5);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_encode_oversize);
	tcase_add_test(tc, test_encode_largest);
	tcase_add_test(tc, test_send_oversize);
	tcase_add_loop_test(tc, test_recv_frame_eof_partial, 1, 10);
	tcase_add_loop_test(tc, test_split_greeting, 1,
	    sizeof(GREETING) - 1);
	tcase_add_loop_test(tc, test_split_frames, 1, sizeof(TWO_FRAMES) - 1);
	tcase_add_loop_test(tc, test_split_body, 1, sizeof(HELP_REPLY) - 1);
	tcase_add_test(tc, test_trickled_reply);
	suite_add_tcase(s, tc);
	return s;
}
