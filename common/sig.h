/*
 * sig: signals turned into events, so no handler ever does real work.
 * The listener and the UDP worker use a self-pipe: the handler writes the
 * signal number as one byte, poll() wakes, sig_next() reads it back in the
 * main loop.  A session child holds no descriptor but its connection, so
 * it instead blocks its one signal and lets pselect() unblock it
 * atomically while it waits (sig_wait_fd).
 */
#ifndef SIG_H
#define SIG_H

#include <signal.h>

/*
 * Create the self-pipe and route each signal of the 0-terminated list
 * into it (full mask, SA_RESTART), then unblock every
 * signal.  -1 with errno set (ENOSPC: more than eight signals).
 */
int	sig_pipe_open(const int *signals);
/*
 * Catch one more signal with a handler of the caller's (full mask,
 * SA_RESTART; SIGCHLD also for stopped children); sig_pipe_close() resets
 * it too.
 */
int	sig_catch(int signo, void (*handler)(int));
/* Async-signal-safe: wake the main loop as if signo had arrived. */
void	sig_pipe_notify(int signo);
/* Block (block=1) or unblock one signal. */
int	sig_mask(int signo, int block);
/* Read end of the self-pipe, for poll(). */
int	sig_pipe_fd(void);
/* Write end of the self-pipe (for the trace of what a child closes). */
int	sig_pipe_wfd(void);
/* Next signal that arrived, or 0 when none is pending. */
int	sig_next(void);
/*
 * In a fresh child: close the self-pipe and set every caught signal back
 * to its default.  The mask is left alone (see sig_block_all).
 */
void	sig_pipe_close(void);
/*
 * A child of the listener (a session, a prefork worker) starts here: the
 * 0-terminated list of signals is ignored, the self-pipe closed, every
 * other caught signal set back to its default, and flag_signo caught as
 * the flag (sig_flag_catch).  One system call per signal that changes:
 * the inherited handlers are not reset first only to be replaced.
 * Call with every signal blocked (sig_block_all).  -1 with errno set.
 */
int	sig_child_start(int flag_signo, const int *ignored);
/*
 * Block every signal, saving the old mask: the listener does this around
 * fork(), so that no signal can reach the child before it has replaced
 * the inherited handlers (which would write into the listener's pipe).
 */
int	sig_block_all(sigset_t *old);
int	sig_restore(const sigset_t *old);
/* Unblock every signal. */
int	sig_unblock(void);

/*
 * Catch signo as a flag.  The signal mask becomes exactly {signo}: every
 * other signal is unblocked, and signo is delivered only inside
 * sig_wait_fd().  -1 with errno set.
 */
int	sig_flag_catch(int signo);
/*
 * The iterative listener, which serves sessions itself: signo (SIGTERM,
 * SIGINT) still wakes the loop through the self-pipe and also raises the
 * flag, which its sessions check.  -1 with errno set.
 */
int	sig_stop_catch(int signo);
/*
 * Around a session in the listener: block the flag signals so that they
 * arrive only inside sig_wait_fd(), as in a child; sig_restore(old)
 * after.  -1 with errno set.
 */
int	sig_flag_block(sigset_t *old);
/* 1 once the flag signal has arrived (it stays set). */
int	sig_flag_raised(void);
/*
 * The signal mask to wait with (pselect, epoll_pwait): the flag signals
 * deliverable, only there, so that none is lost between a check of the
 * flag and the wait.
 */
void	sig_flag_wait_mask(sigset_t *);
/*
 * Wait until fd (or -1 for none) is readable, the flag signal arrives or
 * timeout_ms passes (-1: forever).  Returns 1 readable, 0 timeout, -1 with
 * errno EINTR when the signal arrived, other errno on failure.  A signal
 * that came before the call has already set the flag: check it first.
 */
int	sig_wait_fd(int fd, int timeout_ms);

#endif
