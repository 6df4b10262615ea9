/*
 * exitcode: session exit codes and signals, by name.
 */
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>

#include "exitcode.h"
#include "session.h"

static const struct {
	int		 signo;
	const char	*name;
} signames[] = {
	{ SIGHUP, "SIGHUP" }, { SIGINT, "SIGINT" }, { SIGQUIT, "SIGQUIT" },
	{ SIGILL, "SIGILL" }, { SIGTRAP, "SIGTRAP" }, { SIGABRT, "SIGABRT" },
	{ SIGBUS, "SIGBUS" }, { SIGFPE, "SIGFPE" }, { SIGKILL, "SIGKILL" },
	{ SIGUSR1, "SIGUSR1" }, { SIGSEGV, "SIGSEGV" }, { SIGUSR2, "SIGUSR2" },
	{ SIGPIPE, "SIGPIPE" }, { SIGALRM, "SIGALRM" }, { SIGTERM, "SIGTERM" },
	{ SIGXCPU, "SIGXCPU" }, { SIGXFSZ, "SIGXFSZ" }, { SIGSYS, "SIGSYS" },
	{ SIGCHLD, "SIGCHLD" }, { SIGCONT, "SIGCONT" }, { SIGSTOP, "SIGSTOP" },
	{ SIGTSTP, "SIGTSTP" }, { SIGTTIN, "SIGTTIN" }, { SIGTTOU, "SIGTTOU" },
	{ SIGURG, "SIGURG" }, { SIGVTALRM, "SIGVTALRM" }, { SIGPROF, "SIGPROF" },
};

void
exitcode_signame(int signo, char *out, size_t size)
{
	size_t	 i;

	for (i = 0; i < sizeof(signames) / sizeof(signames[0]); i++)
		if (signames[i].signo == signo) {
			snprintf(out, size, "%s", signames[i].name);
			return;
		}
	snprintf(out, size, "SIG%d", signo);
}

void
exitcode_describe_end(int code, char *out, size_t size)
{
	const char	*why = session_end_name(code);

	snprintf(out, size, "status=exit:%d reason=%s", code,
	    why != NULL ? why : "unknown");
}

void
exitcode_describe(int st, char *out, size_t size)
{
	char		 name[16];

	if (WIFEXITED(st))
		exitcode_describe_end(WEXITSTATUS(st), out, size);
	else if (WIFSIGNALED(st)) {
		exitcode_signame(WTERMSIG(st), name, sizeof(name));
		snprintf(out, size, "status=signal:%d reason=%s%s",
		    WTERMSIG(st), name,
#ifdef WCOREDUMP
		    WCOREDUMP(st) ? " core=yes" :
#endif
		    "");
	} else
		snprintf(out, size, "status=unknown");
}
