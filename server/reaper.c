/*
 * reaper: four ways to reap.  In the handler modes the handler calls
 * waitpid itself and records (pid, status) in a ring that holds one entry
 * per possible child, so it can never overflow; it then wakes the main
 * loop through the self-pipe, and the main loop collects the ring with
 * SIGCHLD blocked, so the two never touch it at once.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "log.h"
#include "reaper.h"
#include "sig.h"

struct exited {
	pid_t	 pid;
	int	 status;
};

static enum reap_mode	 mode;
static struct exited	*ring;
static int		 ring_cap, head, tail;	/* head: handler, tail: loop */

static const char *const names[] = {
	[REAP_SELFPIPE] = "selfpipe",
	[REAP_HANDLER] = "handler",
	[REAP_BLOCKED] = "blocked",
	[REAP_WAIT_BUG] = "wait-bug",
};

const char *
reaper_mode_name(enum reap_mode m)
{
	return names[m];
}

int
reaper_mode_parse(const char *s, enum reap_mode *m)
{
	size_t	 i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i]) == 0) {
			*m = (enum reap_mode)i;
			return 0;
		}
	return -1;
}

/* Handler side: remember one reaped child (async-signal-safe). */
static void
record(pid_t pid, int status)
{
	int	 next = (head + 1) % ring_cap;

	if (next == tail)	/* cannot happen: one entry per child */
		return;
	ring[head].pid = pid;
	ring[head].status = status;
	head = next;
}

static void
on_sigchld(int signo)
{
	pid_t	 pid;
	int	 st, saved = errno;

	if (mode == REAP_WAIT_BUG) {
		/*
		 * The bug: one child per signal.  (UNP calls wait(); WNOHANG
		 * keeps this handler from blocking on a live child.)
		 */
		if ((pid = waitpid(-1, &st, WNOHANG)) > 0)
			record(pid, st);
	} else
		while ((pid = waitpid(-1, &st, WNOHANG)) > 0)
			record(pid, st);
	sig_pipe_notify(signo);
	errno = saved;
}

int
reaper_init(enum reap_mode m, int capacity)
{
	mode = m;
	if (m == REAP_SELFPIPE)
		return sig_catch(SIGCHLD, sig_pipe_notify);
	ring_cap = capacity + 1;
	if ((ring = calloc((size_t)ring_cap, sizeof(*ring))) == NULL)
		return -1;
	if (m == REAP_BLOCKED && sig_mask(SIGCHLD, 1) == -1)
		return -1;
	return sig_catch(SIGCHLD, on_sigchld);
}

void
reaper_sweep(reaper_fn fn, void *arg)
{
	pid_t	 pid;
	int	 st;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		log_event(LOG_LVL_TRACE, "trace", "step=waitpid pid=%ld",
		    (long)pid);
		fn(pid, st, arg);
	}
	log_event(LOG_LVL_TRACE, "trace", "step=waitpid result=%s",
	    pid == 0 ? "none-exited" : "no-children");
}

void
reaper_collect(reaper_fn fn, void *arg)
{
	sigset_t	 chld, old;
	struct exited	 e;

	if (mode == REAP_SELFPIPE) {
		reaper_sweep(fn, arg);
		return;
	}
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	(void)sigprocmask(SIG_BLOCK, &chld, &old);
	while (tail != head) {
		e = ring[tail];
		tail = (tail + 1) % ring_cap;
		log_event(LOG_LVL_TRACE, "trace", "step=reaped-in-handler "
		    "pid=%ld", (long)e.pid);
		fn(e.pid, e.status, arg);
	}
	(void)sigprocmask(SIG_SETMASK, &old, NULL);
}

void
reaper_wait_begin(void)
{
	if (mode == REAP_BLOCKED)
		(void)sig_mask(SIGCHLD, 0);
}

void
reaper_wait_end(void)
{
	if (mode == REAP_BLOCKED)
		(void)sig_mask(SIGCHLD, 1);
}
