/*
 * util: shared by the unit suites; see util.h.
 */
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include <check.h>

#include "util.h"

void
t_nap(int ms)
{
	struct timespec	 ts = { 0, (long)ms * 1000000L };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		continue;
}

int
t_reap(pid_t *pid, int kill_it)
{
	pid_t	 r;
	int	 st;

	if (*pid == -1)
		return -1;
	if (kill_it)
		(void)kill(*pid, SIGKILL);
	while ((r = waitpid(*pid, &st, 0)) == -1 && errno == EINTR)
		continue;
	st = r == *pid ? st : -1;
	*pid = -1;
	return st;
}

void
t_reap_ok(pid_t pid, const char *what)
{
	int	 st = t_reap(&pid, 0);

	ck_assert_msg(st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	    "%s failed: status %#x", what, (unsigned)st);
}

void
t_close_pair(int sv[2])
{
	int	 i;

	for (i = 0; i < 2; i++)
		if (sv[i] != -1) {
			(void)close(sv[i]);
			sv[i] = -1;
		}
}
