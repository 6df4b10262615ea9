/*
 * session: one TCP connection, from greeting to close, in a child.  It
 * knows nothing of fork: it reads requests in either framing, runs them,
 * writes the replies and returns how the session ended, which the child
 * turns into its exit status and the listener's reap line decodes.
 */
#ifndef SESSION_H
#define SESSION_H

#include <stdint.h>

#include "config.h"
#include "scoreboard.h"

/* Exit codes of a session child (documented in forkd(1)). */
enum session_end {
	SESSION_CLOSED = 0,	/* client closed or sent QUIT */
	SESSION_FAILED = 1,	/* internal error (out of memory...) */
	SESSION_IDLE = 10,	/* idle timeout */
	SESSION_TOO_LONG = 11,	/* line or frame over the cap */
	SESSION_RESET = 12,	/* peer reset or vanished mid-write */
	SESSION_SHUTDOWN = 13,	/* server shut down */
	SESSION_REQUEST_TIMEOUT = 14, /* a request took too long to arrive */
	SESSION_WRITE_TIMEOUT = 15 /* the client stopped reading replies */
};

/*
 * The signals a process serving sessions (a child, a prefork worker)
 * ignores, 0-terminated: SIGINT, since Ctrl-C reaches the whole process
 * group and the listener decides; SIGHUP, since reopening the log is the
 * listener's.  SIGTERM is its flag (sig_child_start).
 */
extern const int session_ignored_signals[];

/*
 * Serve the connection on fd until it ends; fd is closed on return.
 * Returns the child's exit status: a session_end, or the n of a debug
 * "EXIT n".  A debug "CRASH" does not return.
 */
int	session_run(int fd, const struct config *, struct scoreboard *,
	    struct sb_slot *);
/*
 * Turn a connection away with "-ERR text" and close it, never blocking:
 * one non-blocking send (a fresh socket's buffer has room for a line).
 */
void	session_refuse(int fd, const char *text);
/* "closed", "idle-timeout", ... for a session exit code; NULL if unknown. */
const char *session_end_name(int code);

#endif
