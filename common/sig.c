/*
 * sig: the only signal handlers in forkd.  Both only record: one writes
 * the signal number to the self-pipe, the other sets a flag.  Each saves
 * and restores errno, since it may interrupt code that is about to read it.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/select.h>
#include <unistd.h>

#include "sig.h"
#include "sock.h"

#define SIG_MAX_CAUGHT	8

static int			 pipefd[2] = { -1, -1 };
static int			 caught[SIG_MAX_CAUGHT + 1];
static volatile sig_atomic_t	 flag_raised;
static sigset_t			 flag_set;	/* the signals that raise it */
static sigset_t			 wait_mask;	/* the mask inside a wait */
static int			 stop_signos[2];	/* sig_stop_catch's */
static int			 nstops;
static int			 have_flag;

void
sig_pipe_notify(int signo)
{
	unsigned char	 b = (unsigned char)signo;
	int		 saved = errno;

	/* A full pipe already holds a wake-up: dropping this byte is fine. */
	(void)write(pipefd[1], &b, 1);
	errno = saved;
}

static void
on_signal_flag(int signo)
{
	(void)signo;
	flag_raised = 1;
}

/* A stop in the iterative listener: the session's flag and the loop's pipe. */
static void
on_stop(int signo)
{
	flag_raised = 1;
	sig_pipe_notify(signo);
}

static int
install(int signo, void (*handler)(int), int flags)
{
	struct sigaction	 sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sigfillset(&sa.sa_mask);
	sa.sa_flags = flags;
	return sigaction(signo, &sa, NULL);
}

int
sig_pipe_open(const int *signals)
{
	int	 i;

	if (pipe(pipefd) == -1)
		return -1;
	for (i = 0; i < 2; i++)
		if (sock_cloexec(pipefd[i]) == -1 ||
		    sock_nonblock(pipefd[i], 1) == -1)
			return -1;
	for (i = 0; i < SIG_MAX_CAUGHT && signals[i] != 0; i++) {
		caught[i] = signals[i];
		if (install(signals[i], sig_pipe_notify, SA_RESTART) == -1)
			return -1;
	}
	caught[i] = 0;
	if (i == SIG_MAX_CAUGHT && signals[i] != 0) {
		errno = ENOSPC;
		return -1;
	}
	return sig_unblock();
}

int
sig_catch(int signo, void (*handler)(int))
{
	int	 i;

	for (i = 0; caught[i] != 0 && caught[i] != signo; i++)
		continue;
	if (i == SIG_MAX_CAUGHT) {
		errno = ENOSPC;
		return -1;
	}
	if (caught[i] == 0)
		caught[i + 1] = 0;
	caught[i] = signo;
	/*
	 * No SA_NOCLDSTOP: the listener wants a SIGCHLD when a child stops
	 * too, to notice a stopped UDP worker (the reap loops never report
	 * stopped children, so for them it is only a wake-up).
	 */
	return install(signo, handler, SA_RESTART);
}

int
sig_mask(int signo, int block)
{
	sigset_t	 set;

	sigemptyset(&set);
	sigaddset(&set, signo);
	return sigprocmask(block ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
}

int
sig_pipe_fd(void)
{
	return pipefd[0];
}

int
sig_pipe_wfd(void)
{
	return pipefd[1];
}

int
sig_next(void)
{
	unsigned char	 b;
	ssize_t		 r;

	do
		r = read(pipefd[0], &b, 1);
	while (r == -1 && errno == EINTR);
	return r == 1 ? b : 0;
}

int
sig_block_all(sigset_t *old)
{
	sigset_t	 all;

	sigfillset(&all);
	return sigprocmask(SIG_BLOCK, &all, old);
}

int
sig_restore(const sigset_t *old)
{
	return sigprocmask(SIG_SETMASK, old, NULL);
}

int
sig_unblock(void)
{
	sigset_t	 none;

	sigemptyset(&none);
	return sigprocmask(SIG_SETMASK, &none, NULL);
}

/* signo no longer goes to the pipe: sig_pipe_close() leaves it alone. */
static void
forget(int signo)
{
	int	 i, j;

	for (i = j = 0; caught[i] != 0; i++)
		if (caught[i] != signo)
			caught[j++] = caught[i];
	caught[j] = 0;
}

int
sig_child_start(int flag_signo, const int *ignored)
{
	int	 i;

	for (i = 0; ignored[i] != 0; i++) {
		forget(ignored[i]);
		if (install(ignored[i], SIG_IGN, 0) == -1)
			return -1;
	}
	forget(flag_signo);
	sig_pipe_close();
	return sig_flag_catch(flag_signo);
}

void
sig_pipe_close(void)
{
	int		 i;

	for (i = 0; caught[i] != 0; i++)
		(void)install(caught[i], SIG_DFL, 0);
	caught[0] = 0;
	for (i = 0; i < 2; i++) {
		if (pipefd[i] != -1)
			(void)close(pipefd[i]);
		pipefd[i] = -1;
	}
}

int
sig_flag_catch(int signo)
{
	flag_raised = 0;
	have_flag = 1;
	sigemptyset(&flag_set);
	sigaddset(&flag_set, signo);
	sigemptyset(&wait_mask);
	if (install(signo, on_signal_flag, 0) == -1)
		return -1;
	return sigprocmask(SIG_SETMASK, &flag_set, NULL);
}

int
sig_stop_catch(int signo)
{
	if (nstops == 2) {
		errno = ENOSPC;
		return -1;
	}
	if (!have_flag) {
		sigemptyset(&flag_set);
		have_flag = 1;
	}
	stop_signos[nstops++] = signo;
	sigaddset(&flag_set, signo);
	return sig_catch(signo, on_stop);
}

int
sig_flag_block(sigset_t *old)
{
	if (sigprocmask(SIG_BLOCK, &flag_set, old) == -1)
		return -1;
	wait_mask = *old;
	for (int i = 0; i < nstops; i++)
		sigdelset(&wait_mask, stop_signos[i]);
	return 0;
}

int
sig_flag_raised(void)
{
	return flag_raised != 0;
}

void
sig_flag_wait_mask(sigset_t *mask)
{
	/*
	 * Known since sig_flag_catch() or sig_flag_block() set the mask:
	 * not asked for, since a session waits once per request and the
	 * question is a system call.  Without a flag, the mask as it is.
	 */
	if (have_flag)
		*mask = wait_mask;
	else
		(void)sigprocmask(SIG_SETMASK, NULL, mask);
}

int
sig_wait_fd(int fd, int timeout_ms)
{
	struct timespec	 ts, *tsp = NULL;
	sigset_t	 mask;
	fd_set		 rd;
	int		 r;

	if (fd >= FD_SETSIZE) {
		errno = EBADF;
		return -1;
	}
	FD_ZERO(&rd);
	if (fd >= 0)
		FD_SET(fd, &rd);
	if (timeout_ms >= 0) {
		ts.tv_sec = timeout_ms / 1000;
		ts.tv_nsec = (long)(timeout_ms % 1000) * 1000000;
		tsp = &ts;
	}
	sig_flag_wait_mask(&mask);
	r = pselect(fd + 1, fd >= 0 ? &rd : NULL, NULL, NULL, tsp, &mask);
	if (r == -1)
		return -1;
	return r > 0 ? 1 : 0;
}
