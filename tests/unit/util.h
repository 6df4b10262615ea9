/*
 * util: the few helpers several unit suites share for their child
 * processes and sockets.  Each waits through EINTR.
 */
#ifndef UNIT_UTIL_H
#define UNIT_UTIL_H

#include <sys/types.h>

/* Sleep ms milliseconds (below one second). */
void	t_nap(int ms);
/*
 * Wait for child *pid, after a SIGKILL if kill_it (a failed test may
 * have left it running), and set *pid to -1.  Its wait status, or -1
 * when there was none (*pid already -1) or it could not be waited for.
 */
int	t_reap(pid_t *pid, int kill_it);
/* Wait for child pid, which must have exited 0; what names it. */
void	t_reap_ok(pid_t pid, const char *what);
/* Close both ends of a socketpair that are still open, marking them -1. */
void	t_close_pair(int sv[2]);

#endif
