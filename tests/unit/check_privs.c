/*
 * check_privs: dropping root, in a child of its own (so a run as root
 * drops nothing of the test runner's).  Root itself and unknown users are
 * refused; "nobody" is become for good when run as root, and refused
 * with EPERM's text otherwise.
 */
#include <errno.h>
#include <pwd.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <check.h>

#include "privs.h"
#include "suites.h"

START_TEST(test_root_refused)
{
	const char	*why = NULL;

	ck_assert_int_eq(privs_drop("root", &why), -1);
	ck_assert_ptr_nonnull(why);
	ck_assert_str_eq(why, "refusing to run as root");
}
END_TEST

START_TEST(test_unknown_user)
{
	const char	*why = NULL;

	ck_assert_int_eq(privs_drop("forkd-no-such-user-4711", &why), -1);
	ck_assert_ptr_nonnull(why);
	ck_assert_int_gt(strlen(why), 0);
}
END_TEST

/* In the child: 0 when privs_drop did what the uid we run as allows. */
static int
drop(int was_root, uid_t uid, gid_t gid)
{
	const char	*why = NULL;
	uid_t		 before = getuid();
	int		 rc;

	rc = privs_drop("nobody", &why);
	if (!was_root) {
		/* setgroups needs root: refused, nothing changed. */
		if (rc != -1 || why == NULL || strcmp(why, strerror(EPERM)) != 0)
			return 1;
		return getuid() == before ? 0 : 2;
	}
	if (rc != 0 || getuid() != uid || geteuid() != uid ||
	    getgid() != gid || getegid() != gid)
		return 3;
	/* For good. */
	return setuid(0) == -1 ? 0 : 4;
}

START_TEST(test_drop)
{
	struct passwd	*pw;
	pid_t		 pid, r;
	uid_t		 uid;
	gid_t		 gid;
	int		 st, was_root = geteuid() == 0;

	if ((pw = getpwnam("nobody")) == NULL)
		return;		/* no such user here: nothing to become */
	uid = pw->pw_uid;
	gid = pw->pw_gid;
	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0)
		_exit(drop(was_root, uid, gid));
	while ((r = waitpid(pid, &st, 0)) == -1 && errno == EINTR)
		continue;
	ck_assert_int_eq(r, pid);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	    "privs_drop(\"nobody\") as uid %ld: step %d", (long)geteuid(),
	    WEXITSTATUS(st));
}
END_TEST

Suite *
privs_suite(void)
{
	Suite	*s = suite_create("privs");
	TCase	*tc;

	tc = tcase_create("Core");
	tcase_set_timeout(tc, 5);
	tcase_add_test(tc, test_root_refused);
	tcase_add_test(tc, test_unknown_user);
	tcase_add_test(tc, test_drop);
	suite_add_tcase(s, tc);
	return s;
}
