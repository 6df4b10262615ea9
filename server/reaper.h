/*
 * reaper: how the listener learns that children have exited, in four
 * ways side by side (--reap), so their behaviour can be compared:
 *   selfpipe  the handler only writes to the self-pipe; the main loop
 *             reaps with a waitpid(WNOHANG) loop (the default);
 *   handler   the classic SIGCHLD handler with the WNOHANG loop inside
 *             (UNP, TLPI, Beej);
 *   blocked   the same handler, but SIGCHLD is blocked except while the
 *             listener waits in poll() (tcpserver's discipline);
 *   wait-bug  one wait() per SIGCHLD, UNP's deliberate bug: signals do
 *             not queue, so children that exit together stay zombies.
 */
#ifndef REAPER_H
#define REAPER_H

#include <sys/types.h>

enum reap_mode { REAP_SELFPIPE, REAP_HANDLER, REAP_BLOCKED, REAP_WAIT_BUG };

/* Called by reaper_collect for each exited child. */
typedef void	(*reaper_fn)(pid_t, int wstatus, void *);

/*
 * Set up SIGCHLD for mode, after sig_pipe_open() (which must not catch
 * SIGCHLD itself).  capacity bounds the children that can be waiting to
 * be collected.  -1 with errno set.
 */
int	reaper_init(enum reap_mode, int capacity);
/* Main loop, on a SIGCHLD wake-up: report every child reaped so far. */
void	reaper_collect(reaper_fn, void *);
/* A final waitpid(WNOHANG) sweep, whatever the mode (at shutdown). */
void	reaper_sweep(reaper_fn, void *);
/* Around the main loop's poll(): where "blocked" lets SIGCHLD in. */
void	reaper_wait_begin(void);
void	reaper_wait_end(void);
/* "selfpipe", "handler", ... */
const char *reaper_mode_name(enum reap_mode);
/* Parse a mode name; -1 if unknown. */
int	reaper_mode_parse(const char *, enum reap_mode *);

#endif
