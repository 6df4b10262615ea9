/*
 * check_exitcode: wait statuses in words for the reap log line.  The
 * statuses are real ones, made portably by forking a child that exits or
 * dies of a signal (no core file: RLIMIT_CORE is 0 in the child).
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <check.h>

#include "exitcode.h"
#include "suites.h"

/* The wait status of a child that exits with code, or dies of signo. */
static int
child_status(int code, int signo)
{
	struct rlimit	 nocore = { 0, 0 };
	pid_t		 pid;
	int		 st;

	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		if (signo == 0)
			_exit(code);
		setrlimit(RLIMIT_CORE, &nocore);
		signal(signo, SIG_DFL);
		kill(getpid(), signo);
		_exit(99);
	}
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	return st;
}

static const struct exit_case {
	int		 code;
	const char	*want;
} exit_cases[] = {
	{ 0, "status=exit:0 reason=closed" },
	{ 1, "status=exit:1 reason=failed" },
	{ 10, "status=exit:10 reason=idle-timeout" },
	{ 11, "status=exit:11 reason=too-long" },
	{ 12, "status=exit:12 reason=peer-reset" },
	{ 13, "status=exit:13 reason=shutdown" },
};

START_TEST(test_exit)
{
	const struct exit_case	*ec = &exit_cases[_i];
	char			 out[128];

	exitcode_describe(child_status(ec->code, 0), out, sizeof(out));
	ck_assert_str_eq(out, ec->want);
}
END_TEST

START_TEST(test_exit_unknown)
{
	char	 out[128];

	/* Not a session code: still the number, never a raw status. */
	exitcode_describe(child_status(7, 0), out, sizeof(out));
	ck_assert_int_eq(strncmp(out, "status=exit:7 ", 14), 0);
	exitcode_describe(child_status(255, 0), out, sizeof(out));
	ck_assert_int_eq(strncmp(out, "status=exit:255 ", 16), 0);
}
END_TEST

static const struct sig_case {
	int		 signo;
	const char	*name;
} sig_cases[] = {
	{ SIGKILL, "SIGKILL" },
	{ SIGTERM, "SIGTERM" },
	{ SIGSEGV, "SIGSEGV" },
	{ SIGABRT, "SIGABRT" },
	{ SIGPIPE, "SIGPIPE" },
	{ SIGHUP, "SIGHUP" },
	{ SIGINT, "SIGINT" },
	{ SIGUSR1, "SIGUSR1" },
};

START_TEST(test_signal)
{
	const struct sig_case	*sc = &sig_cases[_i];
	char			 out[128], want[128];

	snprintf(want, sizeof(want), "status=signal:%d reason=%s", sc->signo,
	    sc->name);
	exitcode_describe(child_status(0, sc->signo), out, sizeof(out));
	ck_assert_str_eq(out, want);
}
END_TEST

START_TEST(test_sigkill_literal)
{
	char	 out[128];

	exitcode_describe(child_status(0, SIGKILL), out, sizeof(out));
	ck_assert_str_eq(out, "status=signal:9 reason=SIGKILL");
}
END_TEST

START_TEST(test_signame)
{
	char	 out[32];
	size_t	 i;

	for (i = 0; i < sizeof(sig_cases) / sizeof(sig_cases[0]); i++) {
		exitcode_signame(sig_cases[i].signo, out, sizeof(out));
		ck_assert_str_eq(out, sig_cases[i].name);
	}
	exitcode_signame(9, out, sizeof(out));
	ck_assert_str_eq(out, "SIGKILL");
}
END_TEST

START_TEST(test_signame_unknown)
{
	char	 out[32];

	exitcode_signame(99, out, sizeof(out));
	ck_assert_str_eq(out, "SIG99");
	exitcode_signame(0, out, sizeof(out));
	ck_assert_str_eq(out, "SIG0");
	exitcode_signame(12345, out, sizeof(out));
	ck_assert_str_eq(out, "SIG12345");
}
END_TEST

START_TEST(test_small_buffers)
{
	char	 area[8 + 16];
	int	 st = child_status(10, 0);

	/* Cut to fit, NUL-terminated, nothing written past size. */
	memset(area, 'Z', sizeof(area));
	exitcode_describe(st, area, 8);
	ck_assert_str_eq(area, "status=");
	ck_assert_mem_eq(area + 8, "ZZZZZZZZZZZZZZZZ", 16);
	memset(area, 'Z', sizeof(area));
	exitcode_signame(SIGKILL, area, 4);
	ck_assert_str_eq(area, "SIG");
	ck_assert_mem_eq(area + 4, "ZZZZZZZZZZZZZZZZ", 16);
	memset(area, 'Z', sizeof(area));
	exitcode_signame(99, area, 4);
	ck_assert_str_eq(area, "SIG");
	ck_assert_mem_eq(area + 4, "ZZZZZZZZZZZZZZZZ", 16);
}
END_TEST

#define NCASES(a)	((int)(sizeof(a) / sizeof((a)[0])))

Suite *
exitcode_suite(void)
{
	Suite	*s = suite_create("exitcode");
	TCase	*tc;

	tc = tcase_create("Core");
	tcase_set_timeout(tc, 10);
	tcase_add_loop_test(tc, test_exit, 0, NCASES(exit_cases));
	tcase_add_loop_test(tc, test_signal, 0, NCASES(sig_cases));
	tcase_add_test(tc, test_sigkill_literal);
	tcase_add_test(tc, test_signame);
	suite_add_tcase(s, tc);

	tc = tcase_create("Limits");
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_exit_unknown);
	tcase_add_test(tc, test_signame_unknown);
	tcase_add_test(tc, test_small_buffers);
	suite_add_tcase(s, tc);
	return s;
}
