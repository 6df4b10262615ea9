/*
 * check_sig: signals as events.  A raised signal becomes one byte on the
 * self-pipe, in order, and a full pipe never blocks the handler; the
 * dispositions and masks are the documented ones; the flag signal gets
 * through only inside sig_wait_fd.  The fixture saves and restores every
 * disposition and the mask these tests touch, discarding what is pending.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/select.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <check.h>

#include "clock.h"
#include "sig.h"
#include "suites.h"
#include "util.h"

#define NRT	9		/* one more than sig.c can catch */
#define NSIG_T	(4 + NRT)

static int		 signos[NSIG_T];
static struct sigaction	 saved[NSIG_T];
static sigset_t		 saved_mask;

static void
setup(void)
{
	int	 i;

	signos[0] = SIGUSR1;
	signos[1] = SIGUSR2;
	signos[2] = SIGCHLD;
	signos[3] = SIGHUP;
	for (i = 0; i < NRT; i++)
		signos[4 + i] = SIGRTMIN + 1 + i;
	ck_assert_int_le(SIGRTMIN + NRT, SIGRTMAX);
	ck_assert_int_eq(sigprocmask(SIG_SETMASK, NULL, &saved_mask), 0);
	for (i = 0; i < NSIG_T; i++)
		ck_assert_int_eq(sigaction(signos[i], NULL, &saved[i]), 0);
}

static void
teardown(void)
{
	struct sigaction	 ign;
	int			 i;

	sig_pipe_close();
	/* Ignoring a signal discards it if pending: nothing fires later. */
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	for (i = 0; i < NSIG_T; i++) {
		(void)sigaction(signos[i], &ign, NULL);
		(void)sigaction(signos[i], &saved[i], NULL);
	}
	(void)sigprocmask(SIG_SETMASK, &saved_mask, NULL);
}

static int
blocked(int signo)
{
	sigset_t	 cur;

	ck_assert_int_eq(sigprocmask(SIG_SETMASK, NULL, &cur), 0);
	return sigismember(&cur, signo);
}

static int
readable(int fd)
{
	struct pollfd	 pfd = { fd, POLLIN, 0 };

	return poll(&pfd, 1, 0);
}

static void
on_nothing(int signo)
{
	(void)signo;
}

START_TEST(test_pipe_open)
{
	const int		 sigs[] = { SIGUSR1, SIGUSR2, 0 };
	struct sigaction	 sa;
	int			 fd, i;

	ck_assert_int_eq(sig_mask(SIGUSR1, 1), 0);
	ck_assert_int_eq(sig_pipe_open(sigs), 0);
	fd = sig_pipe_fd();
	ck_assert_int_ge(fd, 0);
	ck_assert_int_ge(sig_pipe_wfd(), 0);
	ck_assert_int_ne(sig_pipe_wfd(), fd);
	for (i = 0; i < 2; i++) {
		fd = i == 0 ? sig_pipe_fd() : sig_pipe_wfd();
		ck_assert_int_eq(fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
		ck_assert_int_eq(fcntl(fd, F_GETFL) & O_NONBLOCK, O_NONBLOCK);
	}
	/* Every signal unblocked. */
	ck_assert_int_eq(blocked(SIGUSR1), 0);
	for (i = 0; i < 2; i++) {
		ck_assert_int_eq(sigaction(sigs[i], NULL, &sa), 0);
		ck_assert(sa.sa_handler == sig_pipe_notify);
		ck_assert_int_ne(sa.sa_flags & SA_RESTART, 0);
		ck_assert_int_eq(sigismember(&sa.sa_mask, SIGTERM), 1);
		ck_assert_int_eq(sigismember(&sa.sa_mask, SIGCHLD), 1);
	}
	ck_assert_int_eq(sig_next(), 0);
}
END_TEST

START_TEST(test_raise)
{
	const int	 sigs[] = { SIGUSR1, SIGUSR2, 0 };

	ck_assert_int_eq(sig_pipe_open(sigs), 0);
	ck_assert_int_eq(readable(sig_pipe_fd()), 0);
	ck_assert_int_eq(raise(SIGUSR1), 0);
	ck_assert_int_eq(readable(sig_pipe_fd()), 1);
	ck_assert_int_eq(sig_next(), SIGUSR1);
	ck_assert_int_eq(readable(sig_pipe_fd()), 0);
	ck_assert_int_eq(sig_next(), 0);
	/* In the order they came. */
	ck_assert_int_eq(raise(SIGUSR2), 0);
	ck_assert_int_eq(raise(SIGUSR1), 0);
	ck_assert_int_eq(raise(SIGUSR2), 0);
	ck_assert_int_eq(sig_next(), SIGUSR2);
	ck_assert_int_eq(sig_next(), SIGUSR1);
	ck_assert_int_eq(sig_next(), SIGUSR2);
	ck_assert_int_eq(sig_next(), 0);
}
END_TEST

/* A signal from another process, while this one sleeps in poll(). */
START_TEST(test_from_child)
{
	const int	 sigs[] = { SIGUSR2, 0 };
	struct pollfd	 pfd;
	pid_t		 pid, parent = getpid(), r;
	int		 st, n;

	ck_assert_int_eq(sig_pipe_open(sigs), 0);
	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		t_nap(20);
		_exit(kill(parent, SIGUSR2) == 0 ? 0 : 1);
	}
	pfd.fd = sig_pipe_fd();
	pfd.events = POLLIN;
	do
		n = poll(&pfd, 1, 2000);
	while (n == -1 && errno == EINTR);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(sig_next(), SIGUSR2);
	while ((r = waitpid(pid, &st, 0)) == -1 && errno == EINTR)
		continue;
	ck_assert_int_eq(r, pid);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}
END_TEST

START_TEST(test_notify)
{
	const int	 none[] = { 0 };

	ck_assert_int_eq(sig_pipe_open(none), 0);
	errno = ENOTTY;
	sig_pipe_notify(SIGHUP);
	ck_assert_int_eq(errno, ENOTTY);
	ck_assert_int_eq(sig_next(), SIGHUP);
	ck_assert_int_eq(sig_next(), 0);
}
END_TEST

/* A full pipe drops wake-ups instead of blocking the handler. */
START_TEST(test_notify_full)
{
	const int	 none[] = { 0 };
	int		 i, n = 0;

	ck_assert_int_eq(sig_pipe_open(none), 0);
	for (i = 0; i < 300000; i++)
		sig_pipe_notify(SIGUSR1);
	while (sig_next() == SIGUSR1)
		n++;
	ck_assert_int_gt(n, 0);
	ck_assert_int_lt(n, 300000);
	ck_assert_int_eq(sig_next(), 0);
	/* And it works again once drained. */
	sig_pipe_notify(SIGUSR2);
	ck_assert_int_eq(sig_next(), SIGUSR2);
}
END_TEST

/* Closed (as in a child): no descriptor, no crash, errno kept. */
START_TEST(test_notify_closed)
{
	const int	 none[] = { 0 };

	ck_assert_int_eq(sig_pipe_open(none), 0);
	sig_pipe_close();
	ck_assert_int_eq(sig_pipe_fd(), -1);
	ck_assert_int_eq(sig_pipe_wfd(), -1);
	errno = ENOTTY;
	sig_pipe_notify(SIGHUP);
	ck_assert_int_eq(errno, ENOTTY);
	ck_assert_int_eq(sig_next(), 0);
}
END_TEST

/* SIGCHLD caught for stopped children too: no SA_NOCLDSTOP. */
START_TEST(test_catch)
{
	const int		 sigs[] = { SIGUSR1, 0 };
	struct sigaction	 sa;

	ck_assert_int_eq(sig_pipe_open(sigs), 0);
	ck_assert_int_eq(sig_catch(SIGCHLD, on_nothing), 0);
	ck_assert_int_eq(sigaction(SIGCHLD, NULL, &sa), 0);
	ck_assert(sa.sa_handler == on_nothing);
	ck_assert_int_eq(sa.sa_flags & SA_NOCLDSTOP, 0);
	ck_assert_int_ne(sa.sa_flags & SA_RESTART, 0);
	ck_assert_int_eq(sigismember(&sa.sa_mask, SIGUSR1), 1);
	ck_assert_int_eq(sig_catch(SIGUSR2, sig_pipe_notify), 0);
	ck_assert_int_eq(raise(SIGUSR2), 0);
	ck_assert_int_eq(sig_next(), SIGUSR2);
}
END_TEST

/* sig_pipe_close: every caught signal back to SIG_DFL, the pipe closed. */
START_TEST(test_close)
{
	const int		 sigs[] = { SIGUSR1, 0 };
	struct sigaction	 sa;
	int			 rfd, wfd;

	ck_assert_int_eq(sig_pipe_open(sigs), 0);
	ck_assert_int_eq(sig_catch(SIGCHLD, on_nothing), 0);
	ck_assert_int_eq(sig_catch(SIGUSR2, sig_pipe_notify), 0);
	rfd = sig_pipe_fd();
	wfd = sig_pipe_wfd();
	sig_pipe_close();
	ck_assert_int_eq(fcntl(rfd, F_GETFD), -1);
	ck_assert_int_eq(fcntl(wfd, F_GETFD), -1);
	ck_assert_int_eq(sig_pipe_fd(), -1);
	ck_assert_int_eq(sigaction(SIGUSR1, NULL, &sa), 0);
	ck_assert(sa.sa_handler == SIG_DFL);
	ck_assert_int_eq(sigaction(SIGUSR2, NULL, &sa), 0);
	ck_assert(sa.sa_handler == SIG_DFL);
	ck_assert_int_eq(sigaction(SIGCHLD, NULL, &sa), 0);
	ck_assert(sa.sa_handler == SIG_DFL);
	/* Closing twice is harmless. */
	sig_pipe_close();
	ck_assert_int_eq(sig_pipe_fd(), -1);
}
END_TEST

/*
 * sig_child_start, as a fresh child calls it (every signal blocked): the
 * listed signals ignored, the others caught back to SIG_DFL, the pipe
 * closed, the flag signal caught and alone in the mask.
 */
START_TEST(test_child_start)
{
	const int		 sigs[] = { SIGUSR1, SIGUSR2, SIGHUP, 0 };
	const int		 ignored[] = { SIGHUP, SIGUSR2, 0 };
	struct sigaction	 sa;
	sigset_t		 old;
	int			 rfd, wfd;

	ck_assert_int_eq(sig_pipe_open(sigs), 0);
	ck_assert_int_eq(sig_catch(SIGCHLD, on_nothing), 0);
	rfd = sig_pipe_fd();
	wfd = sig_pipe_wfd();
	ck_assert_int_eq(sig_block_all(&old), 0);
	ck_assert_int_eq(sig_child_start(SIGUSR1, ignored), 0);
	ck_assert_int_eq(fcntl(rfd, F_GETFD), -1);
	ck_assert_int_eq(fcntl(wfd, F_GETFD), -1);
	ck_assert_int_eq(sig_pipe_fd(), -1);
	ck_assert_int_eq(sigaction(SIGHUP, NULL, &sa), 0);
	ck_assert(sa.sa_handler == SIG_IGN);
	ck_assert_int_eq(sigaction(SIGUSR2, NULL, &sa), 0);
	ck_assert(sa.sa_handler == SIG_IGN);
	ck_assert_int_eq(sigaction(SIGCHLD, NULL, &sa), 0);
	ck_assert(sa.sa_handler == SIG_DFL);
	ck_assert_int_eq(sigaction(SIGUSR1, NULL, &sa), 0);
	ck_assert(sa.sa_handler != SIG_DFL && sa.sa_handler != SIG_IGN &&
	    sa.sa_handler != sig_pipe_notify);
	ck_assert_int_eq(blocked(SIGUSR1), 1);
	ck_assert_int_eq(blocked(SIGUSR2), 0);
	ck_assert_int_eq(blocked(SIGTERM), 0);
	/* The flag works; the ignored signals are not the pipe's any more. */
	ck_assert_int_eq(raise(SIGUSR2), 0);
	ck_assert_int_eq(raise(SIGUSR1), 0);
	ck_assert_int_eq(sig_flag_raised(), 0);
	ck_assert_int_eq(sig_wait_fd(-1, 2000), -1);
	ck_assert_int_eq(sig_flag_raised(), 1);
	sig_pipe_close();
	ck_assert_int_eq(sigaction(SIGHUP, NULL, &sa), 0);
	ck_assert(sa.sa_handler == SIG_IGN);
}
END_TEST

/* Eight signals at most; catching one again takes no new place. */
START_TEST(test_catch_limit)
{
	const int		 none[] = { 0 };
	struct sigaction	 sa;
	int			 i;

	ck_assert_int_eq(sig_pipe_open(none), 0);
	for (i = 0; i < NRT - 1; i++)
		ck_assert_int_eq(sig_catch(signos[4 + i], on_nothing), 0);
	ck_assert_int_eq(sig_catch(signos[4 + NRT - 1], on_nothing), -1);
	ck_assert_int_eq(sigaction(signos[4 + NRT - 1], NULL, &sa), 0);
	ck_assert(sa.sa_handler != on_nothing);
	ck_assert_int_eq(sig_catch(signos[4], sig_pipe_notify), 0);
	ck_assert_int_eq(sigaction(signos[4], NULL, &sa), 0);
	ck_assert(sa.sa_handler == sig_pipe_notify);
	sig_pipe_close();
	for (i = 0; i < NRT - 1; i++) {
		ck_assert_int_eq(sigaction(signos[4 + i], NULL, &sa), 0);
		ck_assert(sa.sa_handler == SIG_DFL);
	}
}
END_TEST

START_TEST(test_mask)
{
	const int	 sigs[] = { SIGUSR1, 0 };
	sigset_t	 old, pend;

	ck_assert_int_eq(sig_pipe_open(sigs), 0);
	ck_assert_int_eq(sig_mask(SIGUSR1, 1), 0);
	ck_assert_int_eq(blocked(SIGUSR1), 1);
	ck_assert_int_eq(blocked(SIGUSR2), 0);
	ck_assert_int_eq(raise(SIGUSR1), 0);
	ck_assert_int_eq(sig_next(), 0);
	ck_assert_int_eq(sigpending(&pend), 0);
	ck_assert_int_eq(sigismember(&pend, SIGUSR1), 1);
	/* Delivered as soon as it is unblocked. */
	ck_assert_int_eq(sig_mask(SIGUSR1, 0), 0);
	ck_assert_int_eq(sig_next(), SIGUSR1);

	ck_assert_int_eq(sig_mask(SIGUSR2, 1), 0);
	ck_assert_int_eq(sig_block_all(&old), 0);
	ck_assert_int_eq(sigismember(&old, SIGUSR2), 1);
	ck_assert_int_eq(sigismember(&old, SIGUSR1), 0);
	ck_assert_int_eq(blocked(SIGUSR1), 1);
	ck_assert_int_eq(blocked(SIGTERM), 1);
	ck_assert_int_eq(blocked(SIGCHLD), 1);
	ck_assert_int_eq(sig_restore(&old), 0);
	ck_assert_int_eq(blocked(SIGUSR1), 0);
	ck_assert_int_eq(blocked(SIGUSR2), 1);
	ck_assert_int_eq(sig_unblock(), 0);
	ck_assert_int_eq(blocked(SIGUSR2), 0);
	ck_assert_int_eq(blocked(SIGTERM), 0);
}
END_TEST

/* The mask becomes exactly {signo}; the signal waits for sig_wait_fd. */
START_TEST(test_flag)
{
	int64_t	 t0;

	ck_assert_int_eq(sig_mask(SIGUSR2, 1), 0);
	ck_assert_int_eq(sig_flag_catch(SIGUSR1), 0);
	ck_assert_int_eq(blocked(SIGUSR1), 1);
	ck_assert_int_eq(blocked(SIGUSR2), 0);
	ck_assert_int_eq(blocked(SIGTERM), 0);
	ck_assert_int_eq(sig_flag_raised(), 0);
	ck_assert_int_eq(raise(SIGUSR1), 0);
	ck_assert_int_eq(sig_flag_raised(), 0);
	t0 = clock_ms();
	errno = 0;
	ck_assert_int_eq(sig_wait_fd(-1, 2000), -1);
	ck_assert_int_eq(errno, EINTR);
	ck_assert_int_lt(clock_ms() - t0, 1000);
	ck_assert_int_eq(sig_flag_raised(), 1);
	/* Blocked again afterwards, and the flag stays set. */
	ck_assert_int_eq(blocked(SIGUSR1), 1);
	ck_assert_int_eq(sig_wait_fd(-1, 10), 0);
	ck_assert_int_eq(sig_flag_raised(), 1);
	/* Catching anew clears it. */
	ck_assert_int_eq(sig_flag_catch(SIGUSR1), 0);
	ck_assert_int_eq(sig_flag_raised(), 0);
}
END_TEST

START_TEST(test_wait_fd)
{
	int	 p[2];
	int64_t	 t0;

	ck_assert_int_eq(sig_flag_catch(SIGUSR1), 0);
	ck_assert_int_eq(pipe(p), 0);
	t0 = clock_ms();
	ck_assert_int_eq(sig_wait_fd(p[0], 30), 0);
	ck_assert_int_ge(clock_ms() - t0, 29);
	ck_assert_int_lt(clock_ms() - t0, 900);
	ck_assert_int_eq(write(p[1], "x", 1), 1);
	ck_assert_int_eq(sig_wait_fd(p[0], 2000), 1);
	ck_assert_int_eq(sig_wait_fd(p[0], -1), 1);
	ck_assert_int_eq(sig_wait_fd(p[0], 0), 1);
	close(p[1]);
	close(p[0]);
	ck_assert_int_eq(sig_wait_fd(-1, 0), 0);
	errno = 0;
	ck_assert_int_eq(sig_wait_fd(FD_SETSIZE, 0), -1);
	ck_assert_int_eq(errno, EBADF);
	ck_assert_int_eq(sig_flag_raised(), 0);
}
END_TEST

/* The flag signal from another process ends a wait in progress. */
START_TEST(test_wait_signal)
{
	pid_t	 pid, parent = getpid(), r;
	int64_t	 t0;
	int	 p[2], st;

	ck_assert_int_eq(sig_flag_catch(SIGUSR2), 0);
	ck_assert_int_eq(pipe(p), 0);
	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		t_nap(30);
		_exit(kill(parent, SIGUSR2) == 0 ? 0 : 1);
	}
	t0 = clock_ms();
	errno = 0;
	ck_assert_int_eq(sig_wait_fd(p[0], 5000), -1);
	ck_assert_int_eq(errno, EINTR);
	ck_assert_int_lt(clock_ms() - t0, 2000);
	ck_assert_int_eq(sig_flag_raised(), 1);
	close(p[0]);
	close(p[1]);
	while ((r = waitpid(pid, &st, 0)) == -1 && errno == EINTR)
		continue;
	ck_assert_int_eq(r, pid);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}
END_TEST

Suite *
sig_suite(void)
{
	Suite	*s = suite_create("sig");
	TCase	*tc;

	tc = tcase_create("Core");
	tcase_set_timeout(tc, 5);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_pipe_open);
	tcase_add_test(tc, test_raise);
	tcase_add_test(tc, test_from_child);
	tcase_add_test(tc, test_notify);
	tcase_add_test(tc, test_catch);
	tcase_add_test(tc, test_close);
	tcase_add_test(tc, test_child_start);
	tcase_add_test(tc, test_mask);
	tcase_add_test(tc, test_flag);
	tcase_add_test(tc, test_wait_fd);
	tcase_add_test(tc, test_wait_signal);
	suite_add_tcase(s, tc);

	tc = tcase_create("Limits");
	tcase_set_timeout(tc, 5);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_notify_full);
	tcase_add_test(tc, test_notify_closed);
	tcase_add_test(tc, test_catch_limit);
	suite_add_tcase(s, tc);
	return s;
}
