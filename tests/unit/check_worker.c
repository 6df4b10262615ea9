/*
 * check_worker: serving in place (prefork and iterative models).  The
 * per-address cap of worker_claim counted over the scoreboard, with its
 * refusal line and "-ERR server busy"; worker_serve leaving the slot idle;
 * a prefork worker accepting on loopback until SIGTERM.  Whatever logs
 * or serves runs in a child whose standard error comes back here.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <check.h>

#include "client.h"
#include "clock.h"
#include "config.h"
#include "log.h"
#include "scoreboard.h"
#include "session.h"
#include "sig.h"
#include "sock.h"
#include "suites.h"
#include "worker.h"

static struct scoreboard	 sb;
static struct config		 cfg;
static int			 sv[2] = { -1, -1 };
static char			 err[4096];

static void
setup(void)
{
	config_defaults(&cfg);
	ck_assert_int_eq(scoreboard_open(&sb, 4), 0);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	err[0] = '\0';
}

static void
teardown(void)
{
	int	 i;

	for (i = 0; i < 2; i++)
		if (sv[i] != -1) {
			close(sv[i]);
			sv[i] = -1;
		}
	scoreboard_close(&sb);
}

static void
v4(struct sockaddr_storage *ss, const char *ip, int port)
{
	struct sockaddr_in	*s = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	s->sin_family = AF_INET;
	s->sin_port = htons((unsigned short)port);
	ck_assert_int_eq(inet_pton(AF_INET, ip, &s->sin_addr), 1);
}

/* A live slot serving a client from ip. */
static struct sb_slot *
holder(const char *ip)
{
	struct sockaddr_storage	 ss;
	struct sb_slot		*s;

	s = scoreboard_alloc(&sb);
	ck_assert_ptr_nonnull(s);
	v4(&ss, ip, 1);
	s->keylen = (unsigned char)sock_addr_key((struct sockaddr *)&ss,
	    s->key);
	scoreboard_publish(&sb, s, getpid());
	return s;
}

/*
 * fn(arg) in a child with standard error into err[]; its exit status.
 */
static int
in_child(int (*fn)(void *), void *arg)
{
	struct pollfd	 pfd;
	int64_t		 deadline = clock_ms() + 4000;
	size_t		 len = 0;
	ssize_t		 n;
	pid_t		 pid, r;
	int		 p[2], st;

	ck_assert_int_eq(pipe(p), 0);
	fflush(NULL);
	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		close(p[0]);
		if (dup2(p[1], STDERR_FILENO) == -1)
			_exit(99);
		close(p[1]);
		/* Whatever another test left: the defaults, on stderr. */
		if (log_open("forkd", NULL, 0, LOG_LVL_INFO) == -1)
			_exit(98);
		log_set_style(LOG_STYLE_KV);
		_exit(fn(arg));
	}
	close(p[1]);
	pfd.fd = p[0];
	pfd.events = POLLIN;
	for (;;) {
		n = poll(&pfd, 1, clock_until(deadline));
		if (n == -1 && errno == EINTR)
			continue;
		ck_assert_int_eq(n, 1);
		if ((n = read(p[0], err + len, sizeof(err) - 1 - len)) <= 0)
			break;
		len += (size_t)n;
	}
	err[len] = '\0';
	close(p[0]);
	while ((r = waitpid(pid, &st, 0)) == -1 && errno == EINTR)
		continue;
	ck_assert_int_eq(r, pid);
	ck_assert_msg(WIFEXITED(st), "child: status %#x", st);
	return WEXITSTATUS(st);
}

struct claim {
	struct sb_slot	*slot;
	const char	*ip;
	int		 per_ip;
};

static int
claim(void *arg)
{
	struct claim		*c = arg;
	struct sockaddr_storage	 ss;

	v4(&ss, c->ip, 40000);
	sock_peer_str((struct sockaddr *)&ss, c->slot->peer);
	return worker_claim(&sb, c->slot, sv[1], (struct sockaddr *)&ss, 9,
	    c->per_ip) == 0 ? 0 : 1;
}

START_TEST(test_claim)
{
	struct claim	 c;
	struct sb_slot	*s;

	(void)holder("192.0.2.1");
	s = scoreboard_alloc(&sb);
	ck_assert_ptr_nonnull(s);
	atomic_store(&s->requests, 5);
	atomic_store(&s->bytes_in, 6);
	c.slot = s;
	c.ip = "192.0.2.1";
	c.per_ip = 2;
	ck_assert_int_eq(in_child(claim, &c), 0);
	ck_assert_str_eq(err, "");
	ck_assert_uint_eq(s->conn, 9);
	ck_assert_uint_eq(s->keylen, 4);
	ck_assert_int_eq(memcmp(s->key, "\xc0\x00\x02\x01", 4), 0);
	ck_assert_uint_eq(atomic_load(&s->requests), 0);
	ck_assert_uint_eq(atomic_load(&s->bytes_in), 0);
	ck_assert_int_le(s->start_ms, clock_ms());
	ck_assert_int_gt(s->start_ms, clock_ms() - 5000);
	ck_assert_uint_eq(atomic_load(&sb.c->refused_per_ip), 0);
}
END_TEST

/* At the cap: "-ERR server busy", the fd closed, one refuse line. */
START_TEST(test_claim_refused)
{
	struct claim	 c;
	char		 b[64];

	(void)holder("192.0.2.1");
	(void)holder("192.0.2.1");
	(void)holder("192.0.2.2");
	c.slot = scoreboard_alloc(&sb);
	ck_assert_ptr_nonnull(c.slot);
	c.ip = "192.0.2.1";
	c.per_ip = 2;
	ck_assert_int_eq(in_child(claim, &c), 1);
	ck_assert_ptr_nonnull(strstr(err, " refuse conn=9 "
	    "peer=192.0.2.1:40000 reason=per-ip limit=2\n"));
	ck_assert_uint_eq(atomic_load(&sb.c->refused_per_ip), 1);
	close(sv[1]);
	sv[1] = -1;
	ck_assert_int_eq(read(sv[0], b, sizeof(b)), 18);
	ck_assert_int_eq(memcmp(b, "-ERR server busy\r\n", 18), 0);
	/* The child's copy was closed too: EOF. */
	ck_assert_int_eq(read(sv[0], b, sizeof(b)), 0);
}
END_TEST

/* Another address, or no cap at all: served. */
START_TEST(test_claim_others)
{
	struct claim	 c;

	(void)holder("192.0.2.1");
	(void)holder("192.0.2.1");
	c.slot = scoreboard_alloc(&sb);
	ck_assert_ptr_nonnull(c.slot);
	c.ip = "192.0.2.3";
	c.per_ip = 2;
	ck_assert_int_eq(in_child(claim, &c), 0);
	c.ip = "192.0.2.1";
	c.per_ip = 0;
	ck_assert_int_eq(in_child(claim, &c), 0);
	ck_assert_uint_eq(atomic_load(&sb.c->refused_per_ip), 0);
}
END_TEST

static struct sb_slot	*served;

static int
serve(void *arg)
{
	(void)arg;
	close(sv[0]);
	if (sig_flag_catch(SIGTERM) == -1)
		return 99;
	worker_serve(sv[1], &cfg, &sb, served);
	return 0;
}

/*
 * One session to its end (QUIT sent and our side half-closed first, so
 * it runs alone); the slot then idle, with no peer, key, id or counts.
 */
START_TEST(test_serve)
{
	struct client	 c;
	struct buf	 out = BUF_INIT;

	served = holder("192.0.2.1");
	served->conn = 3;
	snprintf(served->peer, sizeof(served->peer), "192.0.2.1:1");
	client_init(&c, sv[0], CLIENT_LINE, 3000);
	ck_assert_int_eq(client_send(&c, "QUIT", 4), 0);
	ck_assert_int_eq(shutdown(sv[0], SHUT_WR), 0);
	ck_assert_int_eq(in_child(serve, NULL), 0);
	ck_assert_msg(strstr(err, " done conn=3 ") != NULL, "\"%s\"", err);
	ck_assert_int_eq(client_greeting(&c, &out), 0);
	ck_assert_int_eq(client_recv(&c, CMD_QUIT, &out), 0);
	ck_assert_int_eq(client_reply_ok(&out), 1);
	ck_assert_int_eq(client_recv_eof(&c), 0);
	ck_assert_int_eq(atomic_load(&served->state), SB_IDLE);
	ck_assert_uint_eq(served->keylen, 0);
	ck_assert_str_eq(served->peer, "-");
	/* Nothing of the session left in the idle slot. */
	ck_assert_uint_eq(served->conn, 0);
	ck_assert_uint_eq(atomic_load(&served->requests), 0);
	ck_assert_uint_eq(atomic_load(&served->bytes_in), 0);
	client_free(&c);
	buf_free(&out);
}
END_TEST

Suite *
worker_suite(void)
{
	Suite	*s = suite_create("worker");
	TCase	*tc;

	tc = tcase_create("Core");
	tcase_set_timeout(tc, 8);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_claim);
	tcase_add_test(tc, test_claim_others);
	tcase_add_test(tc, test_serve);
	suite_add_tcase(s, tc);

	tc = tcase_create("Limits");
	tcase_set_timeout(tc, 8);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_claim_refused);
	suite_add_tcase(s, tc);
	return s;
}
