/*
 * privs: the classic order, each step checked: groups first (setgroups
 * needs root), then the gid, then the uid; then prove it by trying to get
 * root back, which must fail.
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <string.h>
#include <unistd.h>

#include "privs.h"

int
privs_drop(const char *user, const char **errstr)
{
	struct passwd	*pw;

	errno = 0;
	if ((pw = getpwnam(user)) == NULL) {
		*errstr = errno != 0 ? strerror(errno) : "no such user";
		return -1;
	}
	if (pw->pw_uid == 0) {
		*errstr = "refusing to run as root";
		return -1;
	}
	if (setgroups(1, &pw->pw_gid) == -1 || setgid(pw->pw_gid) == -1 ||
	    setuid(pw->pw_uid) == -1) {
		*errstr = strerror(errno);
		return -1;
	}
	if (setuid(0) != -1 || getuid() != pw->pw_uid ||
	    geteuid() != pw->pw_uid || getgid() != pw->pw_gid) {
		*errstr = "privileges could not be dropped for good";
		return -1;
	}
	return 0;
}
