/*
 * check_udp_worker: the UDP worker in a child, on 127.0.0.1 port 0, with
 * a connected client socket here.  One datagram in, one reply out; the
 * verbs TCP alone may use refused; replies never answered (no loops);
 * the 512-byte cap; the per-source rate; the counters; SIGINT ignored
 * and SIGTERM a clean stop.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <check.h>

#include "config.h"
#include "proto.h"
#include "scoreboard.h"
#include "sock.h"
#include "suites.h"
#include "util.h"
#include "udp_worker.h"

#define WAIT	2000	/* ms for a reply that must come */
#define SILENCE	100	/* ms of quiet that means "no reply" */

static struct config	 cfg;
static struct scoreboard sb;
static int		 sfd = -1, cfd = -1;
static pid_t		 child = -1;
static char		 peer[SOCK_PEER_MAX];

static void
setup(void)
{
	config_defaults(&cfg);
	ck_assert_int_eq(scoreboard_open(&sb, 2), 0);
}

static void
teardown(void)
{
	(void)t_reap(&child, 1);
	if (sfd != -1)
		close(sfd);
	if (cfd != -1)
		close(cfd);
	sfd = cfd = -1;
	scoreboard_close(&sb);
}

/* The worker on a fresh port, and a client socket connected to it. */
static void
start(void)
{
	struct sockaddr_storage	 ss;
	socklen_t		 len = sizeof(ss);
	const char		*why = NULL;

	ck_assert_int_eq(sock_resolve("127.0.0.1", 0, SOCK_DGRAM, &ss, &len,
	    &why), 0);
	sfd = sock_bind((struct sockaddr *)&ss, len, SOCK_DGRAM, 0);
	ck_assert_int_ne(sfd, -1);
	ck_assert_int_eq(sock_resolve("127.0.0.1", sock_local_port(sfd),
	    SOCK_DGRAM, &ss, &len, &why), 0);
	cfd = sock_connect((struct sockaddr *)&ss, len, SOCK_DGRAM);
	ck_assert_int_ne(cfd, -1);
	len = sizeof(ss);
	ck_assert_int_eq(getsockname(cfd, (struct sockaddr *)&ss, &len), 0);
	sock_peer_str((struct sockaddr *)&ss, peer);
	child = fork();
	ck_assert_int_ne(child, -1);
	if (child == 0) {
		close(cfd);
		_exit(udp_worker_run(sfd, &cfg, &sb));
	}
	close(sfd);
	sfd = -1;
}

static void
say(const char *d, size_t n)
{
	ck_assert_int_eq(send(cfd, d, n, 0), (ssize_t)n);
}

/* The next reply within ms, NUL-terminated into out; its length or -1. */
static ssize_t
reply(char *out, size_t size, int ms)
{
	struct pollfd	 pfd = { cfd, POLLIN, 0 };
	ssize_t		 n;
	int		 r;

	do
		r = poll(&pfd, 1, ms);
	while (r == -1 && errno == EINTR);
	if (r != 1)
		return -1;
	n = recv(cfd, out, size - 1, 0);
	ck_assert_int_ge(n, 0);
	out[n] = '\0';
	return n;
}

static void
answers(const char *req, const char *want)
{
	char	 got[PROTO_UDP_MAX_DGRAM + 1];

	say(req, strlen(req));
	ck_assert_msg(reply(got, sizeof(got), WAIT) >= 0, "no reply to \"%s\"",
	    req);
	ck_assert_str_eq(got, want);
}

static void
silent(const char *req, size_t n)
{
	char	 got[PROTO_UDP_MAX_DGRAM + 1];

	say(req, n);
	ck_assert_msg(reply(got, sizeof(got), SILENCE) == -1,
	    "\"%.*s\" was answered: \"%s\"", (int)n, req, got);
}

static uint64_t
counter(_Atomic uint64_t *c)
{
	return atomic_load(c);
}

static void
stops(void)
{
	int	 st;

	ck_assert_int_eq(kill(child, SIGTERM), 0);
	st = t_reap(&child, 0);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %#x",
	    st);
}

START_TEST(test_verbs)
{
	char	 want[128];

	start();
	snprintf(want, sizeof(want), "+OK pid=%ld ppid=%ld peer=%s",
	    (long)child, (long)getpid(), peer);
	answers("PID", want);
	answers("ECHO hi", "+OK hi");
	/* One trailing line terminator is not part of the request. */
	answers("ECHO a\r\n", "+OK a");
	answers("ECHO b\n", "+OK b");
	answers("ECHO c\r\n\r\n", "+OK c\r\n");
	answers("", "-ERR empty request");
	answers("\r\n", "-ERR empty request");
	answers("nosuch", "-ERR unknown command, try HELP");
	stops();
	ck_assert_uint_eq(counter(&sb.c->udp_in), 8);
	ck_assert_uint_eq(counter(&sb.c->udp_out), 8);
	ck_assert_uint_eq(counter(&sb.c->udp_dropped), 0);
}
END_TEST

START_TEST(test_tcp_only)
{
	start();
	answers("QUIT", "-ERR QUIT is not available over UDP");
	answers("SLEEP 10", "-ERR SLEEP is not available over UDP");
	stops();
}
END_TEST

/* Replies are never answered: two servers could play ping-pong. */
START_TEST(test_no_loops)
{
	start();
	silent("+OK", 3);
	silent("+OK 123", 7);
	silent("-ERR unknown command, try HELP", 30);
	/* "+O" and "-ER" are no replies: they are answered. */
	answers("+O", "-ERR unknown command, try HELP");
	answers("-ER", "-ERR unknown command, try HELP");
	stops();
	ck_assert_uint_eq(counter(&sb.c->udp_in), 5);
	ck_assert_uint_eq(counter(&sb.c->udp_dropped), 3);
	ck_assert_uint_eq(counter(&sb.c->udp_out), 2);
}
END_TEST

/* No amplification: a reply over 512 bytes becomes a short error. */
START_TEST(test_reply_cap)
{
	char	 req[5 + 600], got[PROTO_UDP_MAX_DGRAM + 1];

	start();
	memcpy(req, "ECHO ", 5);
	memset(req + 5, 'x', sizeof(req) - 5);
	/* "+OK " and 508 bytes: 512, the most there is. */
	say(req, 5 + 508);
	ck_assert_int_eq(reply(got, sizeof(got), WAIT), 512);
	ck_assert_int_eq(strncmp(got, "+OK xxx", 7), 0);
	answers("", "-ERR empty request");
	say(req, 5 + 509);
	ck_assert_int_ge(reply(got, sizeof(got), WAIT), 0);
	ck_assert_str_eq(got, "-ERR reply over 512 bytes, use TCP");
	say(req, sizeof(req));
	ck_assert_int_ge(reply(got, sizeof(got), WAIT), 0);
	ck_assert_str_eq(got, "-ERR reply over 512 bytes, use TCP");
	stops();
}
END_TEST

/* --udp-rate 5: a burst of twice that, then silence. */
START_TEST(test_rate)
{
	char	 got[PROTO_UDP_MAX_DGRAM + 1];
	int	 i, n = 0;

	cfg.udp_rate = 5;
	start();
	for (i = 0; i < 30; i++)
		say("PID", 3);
	while (reply(got, sizeof(got), SILENCE) >= 0)
		n++;
	/* Ten at once, and perhaps one that refilled meanwhile. */
	ck_assert_int_ge(n, 10);
	ck_assert_int_le(n, 11);
	stops();
	ck_assert_uint_eq(counter(&sb.c->udp_in), 30);
	ck_assert_uint_eq(counter(&sb.c->udp_out), (uint64_t)n);
	ck_assert_uint_eq(counter(&sb.c->udp_dropped), (uint64_t)(30 - n));
}
END_TEST

/* Ctrl-C reaches the whole group; only the listener stops the worker. */
START_TEST(test_sigint_ignored)
{
	start();
	answers("ECHO 1", "+OK 1");
	ck_assert_int_eq(kill(child, SIGINT), 0);
	answers("ECHO 2", "+OK 2");
	stops();
}
END_TEST

Suite *
udp_worker_suite(void)
{
	Suite	*s = suite_create("udp_worker");
	TCase	*tc;

	tc = tcase_create("Core");
	tcase_set_timeout(tc, 8);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_verbs);
	tcase_add_test(tc, test_tcp_only);
	tcase_add_test(tc, test_sigint_ignored);
	suite_add_tcase(s, tc);

	tc = tcase_create("Limits");
	tcase_set_timeout(tc, 8);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_no_loops);
	tcase_add_test(tc, test_reply_cap);
	tcase_add_test(tc, test_rate);
	suite_add_tcase(s, tc);
	return s;
}
