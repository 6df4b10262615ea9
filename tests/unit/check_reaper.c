/*
 * check_reaper: the four ways to reap, each run in a child of its own
 * (the reaper's state is global and waitpid(-1) must only ever see the
 * children a test made).  Five children exit while SIGCHLD is blocked,
 * so their signals fold into one: selfpipe, handler and blocked still
 * collect all five; wait-bug collects one and leaves four zombies, which
 * the final sweep then reaps.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <check.h>

#include "reaper.h"
#include "sig.h"
#include "suites.h"

#define KIDS	5

struct seen {
	pid_t	 pid[KIDS];
	int	 code[KIDS];
	int	 n;
	int	 bad;		/* a pid not ours, or a wrong status */
};

static pid_t	 kids[KIDS];

static void
record(pid_t pid, int st, void *arg)
{
	struct seen	*s = arg;
	int		 i;

	for (i = 0; i < KIDS && kids[i] != pid; i++)
		continue;
	if (i == KIDS || !WIFEXITED(st) || WEXITSTATUS(st) != 10 + i ||
	    s->n == KIDS) {
		s->bad = 1;
		return;
	}
	s->pid[s->n] = pid;
	s->code[s->n++] = WEXITSTATUS(st);
}

/* Five children exit(10 + i); returns once all five are zombies. */
static int
spawn(void)
{
	siginfo_t	 si;
	int		 i;

	for (i = 0; i < KIDS; i++) {
		if ((kids[i] = fork()) == -1)
			return -1;
		if (kids[i] == 0)
			_exit(10 + i);
	}
	for (i = 0; i < KIDS; i++) {
		memset(&si, 0, sizeof(si));
		while (waitid(P_PID, (id_t)kids[i], &si, WEXITED | WNOWAIT) ==
		    -1)
			if (errno != EINTR)
				return -1;
	}
	return 0;
}

static int
readable(int ms)
{
	struct pollfd	 pfd = { sig_pipe_fd(), POLLIN, 0 };
	int		 r;

	do
		r = poll(&pfd, 1, ms);
	while (r == -1 && errno == EINTR);
	return r;
}

static void
drain(void)
{
	while (sig_next() != 0)
		continue;
}

static int
is_blocked(int signo)
{
	sigset_t	 cur;

	(void)sigprocmask(SIG_SETMASK, NULL, &cur);
	return sigismember(&cur, signo);
}

/*
 * The scenario, in a child of its own: the number of the step that went
 * wrong, 0 when all went right.  want_first: children the first
 * collection reports.
 */
static int
scenario(enum reap_mode mode, int want_first)
{
	const int	 none[] = { 0 };
	struct seen	 s;

	memset(&s, 0, sizeof(s));
	if (sig_pipe_open(none) == -1 || reaper_init(mode, 8) == -1)
		return 1;
	if ((mode == REAP_BLOCKED) != is_blocked(SIGCHLD))
		return 2;
	/* Five exits, one SIGCHLD: it stays pending until unblocked. */
	if (sig_mask(SIGCHLD, 1) == -1 || spawn() == -1)
		return 3;
	if (readable(0) != 0)
		return 4;
	if (mode != REAP_BLOCKED && sig_mask(SIGCHLD, 0) == -1)
		return 5;
	if (mode == REAP_BLOCKED) {
		/* Still nothing: SIGCHLD gets in only around poll(). */
		reaper_collect(record, &s);
		if (s.n != 0 || readable(0) != 0)
			return 7;
		reaper_wait_begin();
	}
	if (readable(2000) != 1)
		return 8;
	if (mode == REAP_BLOCKED) {
		reaper_wait_end();
		if (!is_blocked(SIGCHLD))
			return 9;
	}
	drain();
	reaper_collect(record, &s);
	if (s.bad || s.n != want_first)
		return 10;
	/* No second wake-up is coming. */
	if (readable(50) != 0)
		return 11;
	reaper_collect(record, &s);
	if (s.bad || s.n != want_first)
		return 12;
	/* The sweep reaps whatever is left, every mode alike. */
	reaper_sweep(record, &s);
	if (s.bad || s.n != KIDS)
		return 13;
	reaper_sweep(record, &s);
	if (s.n != KIDS || waitpid(-1, NULL, WNOHANG) != -1 || errno != ECHILD)
		return 14;
	return 0;
}

/* Run scenario in a child; its exit status is the failed step. */
static void
run(enum reap_mode mode, int want_first)
{
	pid_t	 pid, r;
	int	 st;

	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0)
		_exit(scenario(mode, want_first));
	while ((r = waitpid(pid, &st, 0)) == -1 && errno == EINTR)
		continue;
	ck_assert_int_eq(r, pid);
	ck_assert_msg(WIFEXITED(st), "scenario died: status %#x", st);
	ck_assert_msg(WEXITSTATUS(st) == 0, "%s: step %d failed",
	    reaper_mode_name(mode), WEXITSTATUS(st));
}

START_TEST(test_selfpipe)
{
	run(REAP_SELFPIPE, KIDS);
}
END_TEST

START_TEST(test_handler)
{
	run(REAP_HANDLER, KIDS);
}
END_TEST

START_TEST(test_blocked)
{
	run(REAP_BLOCKED, KIDS);
}
END_TEST

/* UNP's bug, shown: one wait per signal, four zombies left. */
START_TEST(test_wait_bug)
{
	run(REAP_WAIT_BUG, 1);
}
END_TEST

/* Children exiting one by one, each with a wake-up of its own. */
static int
one_by_one(enum reap_mode mode)
{
	const int	 none[] = { 0 };
	struct seen	 s;
	int		 i;

	memset(&s, 0, sizeof(s));
	if (sig_pipe_open(none) == -1 || reaper_init(mode, 2) == -1)
		return 1;
	for (i = 0; i < KIDS; i++) {
		if ((kids[i] = fork()) == -1)
			return 2;
		if (kids[i] == 0)
			_exit(10 + i);
		reaper_wait_begin();
		if (readable(2000) != 1)
			return 3;
		reaper_wait_end();
		drain();
		reaper_collect(record, &s);
		if (s.bad || s.n != i + 1 || s.pid[i] != kids[i])
			return 4;
	}
	return 0;
}

START_TEST(test_one_by_one)
{
	pid_t	 pid, r;
	int	 st;

	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0)
		_exit(one_by_one((enum reap_mode)_i));
	while ((r = waitpid(pid, &st, 0)) == -1 && errno == EINTR)
		continue;
	ck_assert_int_eq(r, pid);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	    "%s: status %#x", reaper_mode_name((enum reap_mode)_i), st);
}
END_TEST

START_TEST(test_names)
{
	static const char *const names[] = {
		"selfpipe", "handler", "blocked", "wait-bug"
	};
	enum reap_mode	 m;
	int		 i;

	for (i = 0; i < 4; i++) {
		ck_assert_str_eq(reaper_mode_name((enum reap_mode)i), names[i]);
		m = (enum reap_mode)-1;
		ck_assert_int_eq(reaper_mode_parse(names[i], &m), 0);
		ck_assert_int_eq(m, i);
	}
	ck_assert_int_eq(reaper_mode_parse("", &m), -1);
	ck_assert_int_eq(reaper_mode_parse("Handler", &m), -1);
	ck_assert_int_eq(reaper_mode_parse("wait", &m), -1);
	ck_assert_int_eq(reaper_mode_parse("selfpipe ", &m), -1);
	ck_assert_int_eq(REAP_SELFPIPE, 0);	/* the default */
}
END_TEST

Suite *
reaper_suite(void)
{
	Suite	*s = suite_create("reaper");
	TCase	*tc;

	tc = tcase_create("Core");
	tcase_set_timeout(tc, 5);
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_selfpipe);
	tcase_add_test(tc, test_handler);
	tcase_add_test(tc, test_blocked);
	tcase_add_test(tc, test_wait_bug);
	suite_add_tcase(s, tc);

	tc = tcase_create("Limits");
	tcase_set_timeout(tc, 5);
	tcase_add_loop_test(tc, test_one_by_one, REAP_SELFPIPE,
	    REAP_WAIT_BUG + 1);
	suite_add_tcase(s, tc);
	return s;
}
