/*
 * check_fds: listing the open descriptors (ascending, the directory's own
 * descriptor left out, cut short safely) and closing every one from a
 * bound up.  Closing runs in a child of its own, which reports through
 * its exit status: the test runner's own descriptors stay untouched.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <check.h>

#include "fds.h"
#include "suites.h"

#define LIST	8192

static int
is_open(int fd)
{
	return fcntl(fd, F_GETFD) != -1;
}

/* Is fd in the comma-separated list s? */
static int
listed(const char *s, int fd)
{
	char	*end;
	long	 v;

	while (*s != '\0') {
		v = strtol(s, &end, 10);
		if (end == s)
			return 0;
		if (v == fd)
			return 1;
		s = *end == ',' ? end + 1 : end;
	}
	return 0;
}

START_TEST(test_list)
{
	char	 s[LIST], *p, *end;
	long	 v, prev = -1;
	int	 fds[2], n, count = 0;

	ck_assert_int_eq(pipe(fds), 0);
	n = fds_list(s, sizeof(s));
	ck_assert_int_gt(n, 1);
	ck_assert_msg(listed(s, fds[0]) && listed(s, fds[1]), "\"%s\"", s);
	/* Ascending numbers separated by single commas, nothing else. */
	for (p = s; *p != '\0'; p = *end == ',' ? end + 1 : end) {
		v = strtol(p, &end, 10);
		ck_assert_msg(end != p && (*end == ',' || *end == '\0'),
		    "\"%s\"", s);
		ck_assert_msg(end[0] != ',' || end[1] != '\0', "\"%s\"", s);
		ck_assert_int_gt(v, prev);
		prev = v;
		count++;
	}
	ck_assert_int_eq(count, n);
	close(fds[0]);
	close(fds[1]);
	ck_assert_int_eq(fds_list(s, sizeof(s)), n - 2);
	ck_assert(!listed(s, fds[0]) && !listed(s, fds[1]));
}
END_TEST

/* The listing's own directory descriptor is not in it. */
START_TEST(test_list_no_dirfd)
{
	char	 s[LIST];
	int	 next;

	next = dup(0);
	ck_assert_int_ne(next, -1);
	close(next);
	/* opendir takes the lowest free number: next. */
	ck_assert_int_gt(fds_list(s, sizeof(s)), 0);
	ck_assert_msg(!listed(s, next), "%d in \"%s\"", next, s);
	ck_assert(!is_open(next));
}
END_TEST

/* Cut short: never a byte past size, always NUL-terminated. */
START_TEST(test_list_short)
{
	char	 s[64], full[LIST];
	size_t	 size = (size_t)_i;
	int	 n;

	n = fds_list(full, sizeof(full));
	ck_assert_int_gt(n, 0);
	memset(s, 'x', sizeof(s));
	ck_assert_int_eq(fds_list(s, size), n);
	ck_assert_int_eq(s[size], 'x');
	ck_assert_ptr_nonnull(memchr(s, '\0', size));
	ck_assert_int_eq(strncmp(s, full, strlen(s)), 0);
}
END_TEST

START_TEST(test_list_zero)
{
	char	 s[1] = { 'x' };

	ck_assert_int_eq(fds_list(s, 0), -1);
	ck_assert_int_eq(s[0], 'x');
}
END_TEST

/* In a child: hold fds at the given numbers, close from lowest, check. */
static int
close_from(const int *at, int n, int lowest)
{
	int	 i, fd, src;

	if ((src = open("/dev/null", O_RDONLY)) == -1)
		return 1;
	for (i = 0; i < n; i++)
		if (at[i] != src && dup2(src, at[i]) == -1)
			return 2;
	fds_close_from(lowest);
	for (i = 0; i < n; i++)
		if (is_open(at[i]) != (at[i] < lowest))
			return 3;
	if (is_open(src) != (src < lowest))
		return 4;
	/* Nothing at all left from lowest up. */
	for (fd = lowest; fd < lowest + 2048; fd++)
		if (is_open(fd))
			return 5;
	return 0;
}

static void
run(const int *at, int n, int lowest)
{
	pid_t	 pid, r;
	int	 st;

	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0)
		_exit(close_from(at, n, lowest));
	while ((r = waitpid(pid, &st, 0)) == -1 && errno == EINTR)
		continue;
	ck_assert_int_eq(r, pid);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	    "close_from(%d): status %#x", lowest, st);
}

START_TEST(test_close_from)
{
	static const int	 at[] = { 20, 21, 40, 99, 100, 101, 333 };

	run(at, 7, 21);
	run(at, 7, 100);
	run(at, 7, 400);
}
END_TEST

/* More descriptors than one listing holds (256). */
static int	 many[600];

static int
fill(int from, int to)
{
	int	 n = 0, fd;

	for (fd = from; fd < to; fd++)
		many[n++] = fd;
	return n;
}

static int
room(int need)
{
	struct rlimit	 rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
		return 0;
	return rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= (rlim_t)need;
}

START_TEST(test_close_from_many)
{
	int	 n;

	if (!room(700))
		return;
	n = fill(10, 590);
	run(many, n, 10);
}
END_TEST

/*
 * 256 or more descriptors below lowest (more than one listing holds):
 * every one from lowest up is still closed.
 */
START_TEST(test_close_from_above_many)
{
	int	 n;

	if (!room(700))
		return;
	n = fill(3, 300);
	many[n++] = 300;
	many[n++] = 450;
	run(many, n, 300);
}
END_TEST

/* In a child: descriptors 3..299 open, and fds_list must count them. */
static int
list_many(void)
{
	static char	 s[LIST];
	int		 fd, src, n;

	if ((src = open("/dev/null", O_RDONLY)) == -1)
		return 1;
	for (fd = 3; fd < 300; fd++)
		if (fd != src && dup2(src, fd) == -1)
			return 2;
	n = fds_list(s, sizeof(s));
	return n >= 300 && listed(s, 299) ? 0 : 3;
}

/* More descriptors than one listing holds: fds_list counts them all. */
START_TEST(test_list_many)
{
	pid_t	 pid, r;
	int	 st;

	if (!room(700))
		return;
	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0)
		_exit(list_many());
	while ((r = waitpid(pid, &st, 0)) == -1 && errno == EINTR)
		continue;
	ck_assert_int_eq(r, pid);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	    "fds_list with 300 open: status %#x", st);
}
END_TEST

Suite *
fds_suite(void)
{
	Suite	*s = suite_create("fds");
	TCase	*tc;

	tc = tcase_create("Core");
	tcase_set_timeout(tc, 5);
	tcase_add_test(tc, test_list);
	tcase_add_test(tc, test_list_no_dirfd);
	tcase_add_test(tc, test_close_from);
	suite_add_tcase(s, tc);

	tc = tcase_create("Limits");
	tcase_set_timeout(tc, 5);
	tcase_add_loop_test(tc, test_list_short, 1, 12);
	tcase_add_test(tc, test_list_zero);
	tcase_add_test(tc, test_close_from_many);
	tcase_add_test(tc, test_close_from_above_many);
	tcase_add_test(tc, test_list_many);
	suite_add_tcase(s, tc);
	return s;
}
