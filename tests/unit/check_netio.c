/*
 * check_netio: the one place that loops on read and write.  EINTR is
 * retried (SIGALRM, caught without SA_RESTART, interrupts the calls),
 * short writes are completed (a small send buffer, a slow reader child),
 * the bytes moved are reported on error, and EOF is told apart.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <check.h>

#include "netio.h"
#include "suites.h"
#include "util.h"

#define BIG	(512 * 1024)

static int			 sv[2] = { -1, -1 };
static volatile sig_atomic_t	 ticks;
static struct sigaction		 old_alrm, old_pipe;
static int			 catching, ignoring;
static unsigned char		*big;

static void
on_alarm(int signo)
{
	(void)signo;
	ticks++;
}

/*
 * SIGALRM caught without SA_RESTART, so a blocked call it interrupts
 * fails with EINTR (or returns short).  Children send it, a bounded
 * number of times: a timer could starve a slow run (valgrind) for good.
 */
static void
catch_alarm(void)
{
	struct sigaction	 sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	ck_assert_int_eq(sigaction(SIGALRM, &sa, &old_alrm), 0);
	catching = 1;
	ticks = 0;
}

/* SIGPIPE ignored, as in both programs, until teardown. */
static void
ignore_sigpipe(void)
{
	struct sigaction	 sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigemptyset(&sa.sa_mask);
	ck_assert_int_eq(sigaction(SIGPIPE, &sa, &old_pipe), 0);
	ignoring = 1;
}

static unsigned char
pattern(size_t i)
{
	return (unsigned char)(i * 7 + i / 251);
}

static void
setup(void)
{
	size_t	 i;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	big = malloc(BIG);
	ck_assert_ptr_nonnull(big);
	for (i = 0; i < BIG; i++)
		big[i] = pattern(i);
}

static void
teardown(void)
{
	int	 i;

	if (catching) {
		(void)sigaction(SIGALRM, &old_alrm, NULL);
		catching = 0;
	}
	if (ignoring) {
		(void)sigaction(SIGPIPE, &old_pipe, NULL);
		ignoring = 0;
	}
	for (i = 0; i < 2; i++)
		if (sv[i] != -1) {
			close(sv[i]);
			sv[i] = -1;
		}
	free(big);
	big = NULL;
}

/*
 * A child that sends the n bytes of p in pieces of step, each after a
 * SIGALRM to its parent (blocked reading, by then) and gap_ms.
 */
static pid_t
writer(const char *p, size_t n, size_t step, int gap_ms)
{
	pid_t	 pid, parent = getpid();
	size_t	 off, len;

	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid != 0)
		return pid;
	for (off = 0; off < n; off += len) {
		t_nap(gap_ms);
		(void)kill(parent, SIGALRM);
		t_nap(gap_ms);
		len = n - off < step ? n - off : step;
		if (write(sv[1], p + off, len) != (ssize_t)len)
			_exit(1);
	}
	_exit(0);
}

START_TEST(test_read_write)
{
	char	 b[8];

	ck_assert_int_eq(netio_write(sv[0], "hello", 5), 5);
	ck_assert_int_eq(netio_read(sv[1], b, sizeof(b)), 5);
	ck_assert_int_eq(memcmp(b, "hello", 5), 0);
	close(sv[0]);
	sv[0] = -1;
	ck_assert_int_eq(netio_read(sv[1], b, sizeof(b)), 0);
}
END_TEST

START_TEST(test_errors)
{
	char	 b[4];

	errno = 0;
	ck_assert_int_eq(netio_read(-1, b, sizeof(b)), -1);
	ck_assert_int_eq(errno, EBADF);
	errno = 0;
	ck_assert_int_eq(netio_write(-1, b, sizeof(b)), -1);
	ck_assert_int_eq(errno, EBADF);
	ck_assert_int_eq(fcntl(sv[1], F_SETFL, O_NONBLOCK), 0);
	errno = 0;
	ck_assert_int_eq(netio_read(sv[1], b, sizeof(b)), -1);
	ck_assert(errno == EAGAIN || errno == EWOULDBLOCK);
}
END_TEST

/* A read blocked while signals arrive: retried until the data comes. */
START_TEST(test_read_eintr)
{
	char	 b[16];
	pid_t	 pid;

	catch_alarm();
	pid = writer("hello", 5, 5, 20);
	ck_assert_int_eq(netio_read(sv[0], b, sizeof(b)), 5);
	ck_assert_int_eq(ticks, 1);
	ck_assert_int_eq(memcmp(b, "hello", 5), 0);
	t_reap_ok(pid, "child");
}
END_TEST

START_TEST(test_write_all)
{
	size_t	 done = 99;
	char	 b[8];

	ck_assert_int_eq(netio_write_all(sv[0], "abcdef", 6, &done), 0);
	ck_assert_uint_eq(done, 6);
	ck_assert_int_eq(netio_write_all(sv[0], "g", 1, NULL), 0);
	ck_assert_int_eq(netio_read_all(sv[1], b, 7, NULL), 0);
	ck_assert_int_eq(memcmp(b, "abcdefg", 7), 0);
	done = 99;
	ck_assert_int_eq(netio_write_all(sv[0], "", 0, &done), 0);
	ck_assert_uint_eq(done, 0);
}
END_TEST

/*
 * Half a megabyte through a small send buffer to a reader child that
 * pauses, with SIGALRM every 500 µs interrupting the blocked writes: each
 * interrupted write returns short (or EINTR), and every byte must still
 * arrive once, in order.
 */
START_TEST(test_write_all_short)
{
	int	 sndbuf = 4096;
	size_t	 done = 0;
	pid_t	 pid, parent;

	ck_assert_int_eq(setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &sndbuf,
	    sizeof(sndbuf)), 0);
	catch_alarm();
	parent = getpid();
	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		unsigned char	 b[3000];
		size_t		 got = 0, i;
		ssize_t		 r;
		int		 reads = 0;

		close(sv[0]);
		while ((r = read(sv[1], b, sizeof(b))) != 0) {
			if (r == -1) {
				if (errno == EINTR)
					continue;
				_exit(2);
			}
			for (i = 0; i < (size_t)r; i++)
				if (b[i] != pattern(got + i))
					_exit(3);
			got += (size_t)r;
			/* The writer is blocked on a full buffer by now. */
			if (++reads % 8 == 0) {
				(void)kill(parent, SIGALRM);
				t_nap(1);
			}
		}
		_exit(got == BIG ? 0 : 4);
	}
	close(sv[1]);
	sv[1] = -1;
	ck_assert_int_eq(netio_write_all(sv[0], big, BIG, &done), 0);
	ck_assert_uint_eq(done, BIG);
	ck_assert_int_gt(ticks, 0);
	close(sv[0]);
	sv[0] = -1;
	t_reap_ok(pid, "child");
}
END_TEST

/* A full non-blocking socket: EAGAIN, and done is exactly what went. */
START_TEST(test_write_all_eagain)
{
	int		 sndbuf = 4096;
	size_t		 done = 0, got = 0, i;
	unsigned char	 b[4096];
	ssize_t		 r;

	ck_assert_int_eq(setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &sndbuf,
	    sizeof(sndbuf)), 0);
	ck_assert_int_eq(fcntl(sv[0], F_SETFL, O_NONBLOCK), 0);
	ck_assert_int_eq(fcntl(sv[1], F_SETFL, O_NONBLOCK), 0);
	errno = 0;
	ck_assert_int_eq(netio_write_all(sv[0], big, BIG, &done), -1);
	ck_assert(errno == EAGAIN || errno == EWOULDBLOCK);
	ck_assert_uint_gt(done, 0);
	ck_assert_uint_lt(done, BIG);
	while ((r = read(sv[1], b, sizeof(b))) > 0) {
		for (i = 0; i < (size_t)r; i++)
			ck_assert_uint_eq(b[i], pattern(got + i));
		got += (size_t)r;
	}
	ck_assert_int_eq(r, -1);
	ck_assert_uint_eq(got, done);
}
END_TEST

START_TEST(test_write_all_epipe)
{
	size_t	 done = 99;

	ignore_sigpipe();
	close(sv[1]);
	sv[1] = -1;
	errno = 0;
	ck_assert_int_eq(netio_write_all(sv[0], "abc", 3, &done), -1);
	ck_assert_int_eq(errno, EPIPE);
	ck_assert_uint_eq(done, 0);
}
END_TEST

/* Ten bytes in pieces of 3, 3, 4, with signals meanwhile. */
START_TEST(test_read_all)
{
	char	 b[10];
	size_t	 done = 99;
	pid_t	 pid;

	catch_alarm();
	pid = writer("0123456789", 10, 3, 5);
	ck_assert_int_eq(netio_read_all(sv[0], b, sizeof(b), &done), 0);
	ck_assert_uint_eq(done, 10);
	ck_assert_int_eq(memcmp(b, "0123456789", 10), 0);
	/* Signals pending at once count as one. */
	ck_assert_int_ge(ticks, 1);
	ck_assert_int_le(ticks, 4);
	t_reap_ok(pid, "child");
}
END_TEST

START_TEST(test_read_all_eof)
{
	char	 b[10];
	size_t	 done = 99;

	ck_assert_int_eq(write(sv[1], "abc", 3), 3);
	close(sv[1]);
	sv[1] = -1;
	errno = EINVAL;
	ck_assert_int_eq(netio_read_all(sv[0], b, sizeof(b), &done), -1);
	ck_assert_int_eq(errno, 0);
	ck_assert_uint_eq(done, 3);
	ck_assert_int_eq(memcmp(b, "abc", 3), 0);
	/* Nothing at all before EOF. */
	errno = EINVAL;
	done = 99;
	ck_assert_int_eq(netio_read_all(sv[0], b, sizeof(b), &done), -1);
	ck_assert_int_eq(errno, 0);
	ck_assert_uint_eq(done, 0);
}
END_TEST

START_TEST(test_read_all_errors)
{
	char	 b[4];
	size_t	 done = 99;

	errno = 0;
	ck_assert_int_eq(netio_read_all(-1, b, sizeof(b), &done), -1);
	ck_assert_int_eq(errno, EBADF);
	ck_assert_uint_eq(done, 0);
	/* Nothing to read is no read at all. */
	done = 99;
	ck_assert_int_eq(netio_read_all(-1, b, 0, &done), 0);
	ck_assert_uint_eq(done, 0);
	ck_assert_int_eq(netio_read_all(-1, b, 0, NULL), 0);
	/* Part of it, then a would-block error: done still says how much. */
	ck_assert_int_eq(write(sv[1], "ab", 2), 2);
	ck_assert_int_eq(fcntl(sv[0], F_SETFL, O_NONBLOCK), 0);
	errno = 0;
	ck_assert_int_eq(netio_read_all(sv[0], b, sizeof(b), &done), -1);
	ck_assert(errno == EAGAIN || errno == EWOULDBLOCK);
	ck_assert_uint_eq(done, 2);
}
END_TEST

Suite *
netio_suite(void)
{
	Suite	*s = suite_create("netio");
	TCase	*tc;

	tc = tcase_create("Core");
	tcase_set_timeout(tc, 5);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_read_write);
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_read_eintr);
	tcase_add_test(tc, test_write_all);
	tcase_add_test(tc, test_write_all_epipe);
	tcase_add_test(tc, test_read_all);
	tcase_add_test(tc, test_read_all_eof);
	tcase_add_test(tc, test_read_all_errors);
	suite_add_tcase(s, tc);

	tc = tcase_create("Limits");
	tcase_set_timeout(tc, 5);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_write_all_short);
	tcase_add_test(tc, test_write_all_eagain);
	suite_add_tcase(s, tc);
	return s;
}
