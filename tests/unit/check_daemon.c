/*
 * check_daemon: the pidfile (its one line, truncation, errors, removal)
 * and daemon_detach, run in a child whose detached grandchild reports
 * what it became through a pipe: not a session leader of a new session,
 * in /, umask 022, standard descriptors on /dev/null.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <check.h>

#include "daemon.h"
#include "suites.h"

static char	 dir[64];
static char	 path[128];

static void
setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/check_daemon.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/forkd.pid", dir);
}

static void
teardown(void)
{
	(void)unlink(path);
	(void)rmdir(dir);
}

/* The whole file at p, NUL-terminated, into out[size]. */
static ssize_t
slurp(const char *p, char *out, size_t size)
{
	ssize_t	 n;
	int	 fd;

	if ((fd = open(p, O_RDONLY)) == -1)
		return -1;
	n = read(fd, out, size - 1);
	close(fd);
	if (n >= 0)
		out[n] = '\0';
	return n;
}

START_TEST(test_pidfile)
{
	char		 got[64], want[32];
	struct stat	 sb;
	mode_t		 mask;

	mask = umask(022);
	umask(mask);
	ck_assert_int_eq(daemon_pidfile_write(path), 0);
	snprintf(want, sizeof(want), "%ld\n", (long)getpid());
	ck_assert_int_eq(slurp(path, got, sizeof(got)), (ssize_t)strlen(want));
	ck_assert_str_eq(got, want);
	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0644 & ~mask);
	daemon_pidfile_remove(path);
	ck_assert_int_eq(access(path, F_OK), -1);
	ck_assert_int_eq(errno, ENOENT);
}
END_TEST

/* An old, longer pidfile is replaced whole. */
START_TEST(test_pidfile_truncates)
{
	char	 got[64], want[32];
	int	 fd;

	fd = open(path, O_WRONLY | O_CREAT, 0644);
	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(write(fd, "123456789012345\nold\n", 20), 20);
	close(fd);
	ck_assert_int_eq(daemon_pidfile_write(path), 0);
	snprintf(want, sizeof(want), "%ld\n", (long)getpid());
	ck_assert_int_eq(slurp(path, got, sizeof(got)), (ssize_t)strlen(want));
	ck_assert_str_eq(got, want);
}
END_TEST

START_TEST(test_pidfile_errors)
{
	char	 bad[160];
	int	 low, fd;

	fd = dup(0);
	ck_assert_int_ne(fd, -1);
	close(fd);
	low = fd;
	snprintf(bad, sizeof(bad), "%s/no/such/dir/forkd.pid", dir);
	errno = 0;
	ck_assert_int_eq(daemon_pidfile_write(bad), -1);
	ck_assert_int_eq(errno, ENOENT);
	/* A directory is no pidfile. */
	errno = 0;
	ck_assert_int_eq(daemon_pidfile_write(dir), -1);
	ck_assert_int_eq(errno, EISDIR);
	fd = dup(0);
	ck_assert_int_eq(fd, low);
	close(fd);
	/* Removing nothing, or what is not there, is harmless. */
	daemon_pidfile_remove(NULL);
	daemon_pidfile_remove(path);
	ck_assert_int_eq(access(dir, F_OK), 0);
}
END_TEST

/* What the detached process found, as one line: 0 all well, or a step. */
static int
detached_check(pid_t old_sid)
{
	struct stat	 null, sb;
	char		 cwd[PATH_MAX];
	mode_t		 mask;
	int		 fd;

	if (getsid(0) == old_sid)
		return 1;
	/* In the new session, but not its leader: no tty can adopt it. */
	if (getsid(0) == getpid())
		return 2;
	if (getpgrp() != getsid(0))
		return 3;
	if (getcwd(cwd, sizeof(cwd)) == NULL || strcmp(cwd, "/") != 0)
		return 4;
	mask = umask(0);
	if (mask != 022)
		return 5;
	if (stat("/dev/null", &null) == -1)
		return 6;
	for (fd = 0; fd <= 2; fd++)
		if (fstat(fd, &sb) == -1 || sb.st_rdev != null.st_rdev ||
		    !S_ISCHR(sb.st_mode))
			return 7;
	return 0;
}

START_TEST(test_detach)
{
	struct pollfd	 pfd;
	pid_t		 pid, r;
	char		 b[8];
	int		 p[2], st, n;

	ck_assert_int_eq(pipe(p), 0);
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		pid_t	 sid = getsid(0);

		close(p[0]);
		if (daemon_detach() == -1)
			_exit(9);
		/* Only the daemon gets here; its parents exited 0. */
		b[0] = (char)('0' + detached_check(sid));
		(void)write(p[1], b, 1);
		_exit(0);
	}
	close(p[1]);
	while ((r = waitpid(pid, &st, 0)) == -1 && errno == EINTR)
		continue;
	ck_assert_int_eq(r, pid);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	    "the first parent: status %#x", st);
	pfd.fd = p[0];
	pfd.events = POLLIN;
	ck_assert_int_eq(poll(&pfd, 1, 5000), 1);
	n = (int)read(p[0], b, sizeof(b));
	close(p[0]);
	ck_assert_int_eq(n, 1);
	ck_assert_msg(b[0] == '0', "the daemon: step %c failed", b[0]);
}
END_TEST

Suite *
daemon_suite(void)
{
	Suite	*s = suite_create("daemon");
	TCase	*tc;

	tc = tcase_create("Core");
	tcase_set_timeout(tc, 5);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_pidfile);
	tcase_add_test(tc, test_pidfile_truncates);
	tcase_add_test(tc, test_pidfile_errors);
	tcase_add_test(tc, test_detach);
	suite_add_tcase(s, tc);
	return s;
}
