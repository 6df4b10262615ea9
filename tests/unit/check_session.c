/*
 * check_session: one connection served by session_run in a child over a
 * socketpair, with forkc's client module on the other end.  The greeting,
 * requests in both framings (whole, batched, split at every byte), the
 * caps, the idle, request and write deadlines, shutdown by SIGTERM, and
 * the exit status each end gives; session_refuse and the end names.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <check.h>

#include "client.h"
#include "clock.h"
#include "config.h"
#include "netio.h"
#include "proto.h"
#include "scoreboard.h"
#include "session.h"
#include "sig.h"
#include "sock.h"
#include "suites.h"
#include "util.h"

#define TMO	3000

static struct config	 cfg;
static struct scoreboard sb;
static struct sb_slot	*slot;
static int		 sv[2] = { -1, -1 };
static pid_t		 child = -1;
static struct client	 c;
static struct buf	 out = BUF_INIT;

static void
setup(void)
{
	config_defaults(&cfg);
	cfg.idle_ms = 5000;
	cfg.request_ms = 5000;
	cfg.write_ms = 5000;
	ck_assert_int_eq(scoreboard_open(&sb, 2), 0);
	slot = scoreboard_alloc(&sb);
	ck_assert_ptr_nonnull(slot);
	slot->conn = 7;
	slot->start_ms = clock_ms();
	snprintf(slot->peer, sizeof(slot->peer), "127.0.0.1:40000");
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	client_init(&c, sv[0], CLIENT_FRAME, TMO);
}

static void
teardown(void)
{
	client_free(&c);
	buf_free(&out);
	t_close_pair(sv);
	(void)t_reap(&child, 1);
	scoreboard_close(&sb);
}

/* The session, in a child as forkd runs it: SIGTERM is its flag. */
static void
start(enum client_mode mode)
{
	child = fork();
	ck_assert_int_ne(child, -1);
	if (child == 0) {
		close(sv[0]);
		if (sig_flag_catch(SIGTERM) == -1)
			_exit(99);
		_exit(session_run(sv[1], &cfg, &sb, slot));
	}
	scoreboard_publish(&sb, slot, child);
	close(sv[1]);
	sv[1] = -1;
	client_init(&c, sv[0], mode, TMO);
}

/* Close our end, and the child's exit status must be want. */
static void
ends(int want)
{
	int	 st;

	close(sv[0]);
	sv[0] = -1;
	st = t_reap(&child, 0);
	ck_assert_msg(WIFEXITED(st), "session died: status %#x", st);
	ck_assert_msg(WEXITSTATUS(st) == want, "session ended %d (%s), want "
	    "%d (%s)", WEXITSTATUS(st), session_end_name(WEXITSTATUS(st)),
	    want, session_end_name(want));
}

static void
out_is(const char *want)
{
	ck_assert_msg(buf_used(&out) == strlen(want) &&
	    memcmp(buf_head(&out), want, strlen(want)) == 0,
	    "got \"%.*s\", want \"%s\"", (int)buf_used(&out), buf_head(&out),
	    want);
}

static void
greeted(void)
{
	char	 want[128];

	ck_assert_int_eq(client_greeting(&c, &out), 0);
	snprintf(want, sizeof(want), "%s pid=%ld ppid=%ld conn=7",
	    PROTO_GREETING, (long)child, (long)getpid());
	out_is(want);
}

static void
ask(const char *req, enum cmd_verb v, const char *want)
{
	ck_assert_int_eq(client_send(&c, req, strlen(req)), 0);
	ck_assert_msg(client_recv(&c, v, &out) == 0, "%s: %s", req,
	    client_error());
	out_is(want);
}

static void
put(const void *p, size_t n)
{
	ck_assert_int_eq(netio_write_all(sv[0], p, n, NULL), 0);
}

START_TEST(test_frame)
{
	start(CLIENT_FRAME);
	greeted();
	ask("ECHO hello", CMD_ECHO, "+OK hello");
	ask("echo", CMD_ECHO, "+OK");
	ask("NOSUCH x", CMD_UNKNOWN, "-ERR unknown command, try HELP");
	ask("", CMD_UNKNOWN, "-ERR empty request");
	ask("QUIT", CMD_QUIT, "+OK bye");
	ck_assert_int_eq(client_recv_eof(&c), 0);
	ends(SESSION_CLOSED);
	ck_assert_uint_eq(slot->requests, 5);
	ck_assert_uint_eq(slot->bytes_in, 10 + 4 + 8 + 0 + 4 + 5 * 4);
}
END_TEST

START_TEST(test_line)
{
	start(CLIENT_LINE);
	greeted();
	ask("ECHO hi there", CMD_ECHO, "+OK hi there");
	ck_assert_int_eq(client_send(&c, "HELP", 4), 0);
	ck_assert_int_eq(client_recv(&c, CMD_HELP, &out), 0);
	ck_assert_int_eq(client_reply_ok(&out), 1);
	ck_assert_int_eq(buf_append(&out, "", 1), 0);
	ck_assert_ptr_nonnull(strstr(buf_head(&out), "\nECHO "));
	/* Empty lines are no requests. */
	put("\r\n\n\r\nECHO x\r\n", 13);
	ck_assert_int_eq(client_recv(&c, CMD_ECHO, &out), 0);
	out_is("+OK x");
	ask("QUIT", CMD_QUIT, "+OK bye");
	ck_assert_int_eq(client_recv_eof(&c), 0);
	ends(SESSION_CLOSED);
	ck_assert_uint_eq(slot->requests, 4);
}
END_TEST

/* Requests stuck together in one write: each answered, in order. */
START_TEST(test_batch)
{
	char *const	 reqs[] = { "ECHO 1", "ECHO 22", "ECHO 333", "QUIT" };
	const char	*want[] = { "+OK 1", "+OK 22", "+OK 333" };
	int		 i;

	start((enum client_mode)_i);
	greeted();
	ck_assert_int_eq(client_send_batch(&c, reqs, 4), 0);
	for (i = 0; i < 3; i++) {
		ck_assert_int_eq(client_recv(&c, CMD_ECHO, &out), 0);
		out_is(want[i]);
	}
	ck_assert_int_eq(client_recv(&c, CMD_QUIT, &out), 0);
	out_is("+OK bye");
	ck_assert_int_eq(client_recv_eof(&c), 0);
	ends(SESSION_CLOSED);
}
END_TEST

/* The client closing is a clean end; a last line without LF still counts. */
START_TEST(test_client_closes)
{
	start(CLIENT_LINE);
	greeted();
	put("ECHO last", 9);
	ck_assert_int_eq(shutdown(sv[0], SHUT_WR), 0);
	ck_assert_int_eq(client_recv(&c, CMD_ECHO, &out), 0);
	out_is("+OK last");
	ck_assert_int_eq(client_recv_eof(&c), 0);
	ends(SESSION_CLOSED);
}
END_TEST

START_TEST(test_exit_verb)
{
	cfg.debug_verbs = 1;
	start(CLIENT_FRAME);
	greeted();
	ask("EXIT 42", CMD_EXIT, "+OK exiting 42");
	ck_assert_int_eq(client_recv_eof(&c), 0);
	ends(42);
}
END_TEST

START_TEST(test_line_too_long)
{
	char	 big[64];

	cfg.max_line = 16;
	memset(big, 'x', sizeof(big));
	start(CLIENT_LINE);
	greeted();
	put(big, sizeof(big));
	ck_assert_int_eq(client_recv(&c, CMD_ECHO, &out), 0);
	out_is("-ERR line too long");
	ck_assert_int_eq(client_recv_eof(&c), 0);
	ends(SESSION_TOO_LONG);
}
END_TEST

/* The cap is decided from the length prefix alone. */
START_TEST(test_frame_too_long)
{
	cfg.max_frame = 8;
	start(CLIENT_FRAME);
	greeted();
	ask("ECHO 123", CMD_ECHO, "+OK 123");
	put("\0\0\0\x09", 4);
	ck_assert_int_eq(client_recv(&c, CMD_ECHO, &out), 0);
	out_is("-ERR frame too long");
	ck_assert_int_eq(client_recv_eof(&c), 0);
	ends(SESSION_TOO_LONG);
}
END_TEST

START_TEST(test_idle)
{
	int64_t	 t0;

	cfg.idle_ms = 100;
	/* Nothing sent, so no framing chosen: the server speaks lines. */
	start(CLIENT_LINE);
	greeted();
	t0 = clock_ms();
	ck_assert_int_eq(client_recv(&c, CMD_ECHO, &out), 0);
	out_is("-ERR " PROTO_IDLE);
	ck_assert_int_ge(clock_ms() - t0, 50);
	ck_assert_int_eq(client_recv_eof(&c), 0);
	ends(SESSION_IDLE);
}
END_TEST

/* Half a request, then nothing: the request deadline, not idle. */
START_TEST(test_request_timeout)
{
	cfg.request_ms = 100;
	start(CLIENT_LINE);
	greeted();
	put("ECH", 3);
	ck_assert_int_eq(client_recv(&c, CMD_ECHO, &out), 0);
	out_is("-ERR " PROTO_REQ_TIMEOUT);
	ck_assert_int_eq(client_recv_eof(&c), 0);
	ends(SESSION_REQUEST_TIMEOUT);
}
END_TEST

/* A byte at a time does not renew the request deadline (slowloris). */
START_TEST(test_request_trickle)
{
	struct pollfd	 pfd = { -1, POLLIN, 0 };
	int64_t		 t0;
	int		 i;

	cfg.request_ms = 150;
	start(CLIENT_LINE);
	greeted();
	pfd.fd = sv[0];
	t0 = clock_ms();
	for (i = 0; i < 100 && poll(&pfd, 1, 0) == 0; i++) {
		put("E", 1);
		t_nap(20);
	}
	ck_assert_int_lt(i, 100);
	ck_assert_int_ge(clock_ms() - t0, 140);
	ck_assert_int_eq(client_recv(&c, CMD_ECHO, &out), 0);
	out_is("-ERR " PROTO_REQ_TIMEOUT);
	ends(SESSION_REQUEST_TIMEOUT);
}
END_TEST

START_TEST(test_shutdown)
{
	start(CLIENT_FRAME);
	greeted();
	ask("ECHO a", CMD_ECHO, "+OK a");
	ck_assert_int_eq(kill(child, SIGTERM), 0);
	ck_assert_int_eq(client_recv(&c, CMD_ECHO, &out), 0);
	out_is("-ERR " PROTO_SHUTDOWN);
	ck_assert_int_eq(client_recv_eof(&c), 0);
	ends(SESSION_SHUTDOWN);
}
END_TEST

/*
 * A client that never reads its replies: cut off after --write-timeout.
 * The session's send buffer is made small, and the reply (200000 bytes)
 * is far more than it holds.
 */
START_TEST(test_write_timeout)
{
	static char	 req[4 + 200000];
	int64_t		 t0;
	int		 st, sndbuf = 4096;

	cfg.write_ms = 100;
	ck_assert_int_eq(setsockopt(sv[1], SOL_SOCKET, SO_SNDBUF, &sndbuf,
	    sizeof(sndbuf)), 0);
	start(CLIENT_FRAME);
	greeted();
	memcpy(req, "\0\x03\x0d\x40" "ECHO ", 9);
	memset(req + 9, 'x', sizeof(req) - 9);
	t0 = clock_ms();
	put(req, sizeof(req));
	/*
	 * Once the session gives up it drains what we send until we close
	 * (lingering close): close as soon as it says it is closing.
	 */
	while (atomic_load(&slot->state) != SB_CLOSING &&
	    clock_ms() - t0 < 3000)
		t_nap(5);
	ck_assert_int_ge(clock_ms() - t0, 90);
	close(sv[0]);
	sv[0] = -1;
	st = t_reap(&child, 0);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) ==
	    SESSION_WRITE_TIMEOUT, "status %#x", st);
	ck_assert_uint_gt(slot->bytes_out, 0);
	ck_assert_uint_lt(slot->bytes_out, sizeof(req));
}
END_TEST

/* A request split at every byte, answered once and whole. */
static const char	 split_req[] = "\0\0\0\x0a" "ECHO split";

START_TEST(test_split)
{
	start(CLIENT_FRAME);
	greeted();
	put(split_req, (size_t)_i);
	t_nap(2);
	put(&split_req[_i], sizeof(split_req) - 1 - (size_t)_i);
	ck_assert_int_eq(client_recv(&c, CMD_ECHO, &out), 0);
	out_is("+OK split");
	ask("QUIT", CMD_QUIT, "+OK bye");
	ends(SESSION_CLOSED);
}
END_TEST

static const char	 split_line[] = "ECHO a\r\nECHO b\r\n";

START_TEST(test_split_line)
{
	start(CLIENT_LINE);
	greeted();
	put(split_line, (size_t)_i);
	t_nap(2);
	put(&split_line[_i], sizeof(split_line) - 1 - (size_t)_i);
	ck_assert_int_eq(client_recv(&c, CMD_ECHO, &out), 0);
	out_is("+OK a");
	ck_assert_int_eq(client_recv(&c, CMD_ECHO, &out), 0);
	out_is("+OK b");
	ends(SESSION_CLOSED);
}
END_TEST

START_TEST(test_refuse)
{
	char	 b[64];
	ssize_t	 n;

	session_refuse(sv[1], PROTO_BUSY);
	ck_assert_int_eq(fcntl(sv[1], F_GETFD), -1);
	sv[1] = -1;
	n = read(sv[0], b, sizeof(b));
	ck_assert_int_eq(n, 18);
	ck_assert_int_eq(memcmp(b, "-ERR server busy\r\n", 18), 0);
	ck_assert_int_eq(read(sv[0], b, sizeof(b)), 0);
}
END_TEST

START_TEST(test_end_names)
{
	ck_assert_str_eq(session_end_name(SESSION_CLOSED), "closed");
	ck_assert_str_eq(session_end_name(SESSION_FAILED), "failed");
	ck_assert_str_eq(session_end_name(SESSION_IDLE), "idle-timeout");
	ck_assert_str_eq(session_end_name(SESSION_TOO_LONG), "too-long");
	ck_assert_str_eq(session_end_name(SESSION_RESET), "peer-reset");
	ck_assert_str_eq(session_end_name(SESSION_SHUTDOWN), "shutdown");
	ck_assert_str_eq(session_end_name(SESSION_REQUEST_TIMEOUT),
	    "request-timeout");
	ck_assert_str_eq(session_end_name(SESSION_WRITE_TIMEOUT),
	    "write-timeout");
	ck_assert_ptr_null(session_end_name(-1));
	ck_assert_ptr_null(session_end_name(2));
	ck_assert_ptr_null(session_end_name(9));
	ck_assert_ptr_null(session_end_name(16));
	ck_assert_ptr_null(session_end_name(42));
}
END_TEST

Suite *
session_suite(void)
{
	Suite	*s = suite_create("session");
	TCase	*tc;

	tc = tcase_create("Core");
	tcase_set_timeout(tc, 8);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_frame);
	tcase_add_test(tc, test_line);
	tcase_add_loop_test(tc, test_batch, CLIENT_FRAME, CLIENT_LINE + 1);
	tcase_add_test(tc, test_client_closes);
	tcase_add_test(tc, test_exit_verb);
	tcase_add_test(tc, test_shutdown);
	tcase_add_test(tc, test_refuse);
	tcase_add_test(tc, test_end_names);
	suite_add_tcase(s, tc);

	tc = tcase_create("Limits");
	tcase_set_timeout(tc, 8);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_line_too_long);
	tcase_add_test(tc, test_frame_too_long);
	tcase_add_test(tc, test_idle);
	tcase_add_test(tc, test_request_timeout);
	tcase_add_test(tc, test_request_trickle);
	tcase_add_test(tc, test_write_timeout);
	tcase_add_loop_test(tc, test_split, 1, sizeof(split_req) - 1);
	tcase_add_loop_test(tc, test_split_line, 1, sizeof(split_line) - 1);
	suite_add_tcase(s, tc);
	return s;
}
