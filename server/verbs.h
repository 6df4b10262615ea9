/*
 * verbs: what each request verb does, for TCP sessions and the UDP worker
 * alike.  verbs_run() builds the reply; the two verbs that act on the
 * session itself (SLEEP waits, QUIT closes) are handed back as actions.
 */
#ifndef VERBS_H
#define VERBS_H

#include <stdint.h>

#include "cmd.h"
#include "reply.h"
#include "scoreboard.h"

struct verb_ctx {
	const struct scoreboard	*sb;
	uint64_t		 conn;		/* 0 over UDP */
	const char		*peer;
	int64_t			 start_ms;	/* session start, monotonic */
	int			 udp;
	int			 debug;		/* --debug-verbs */
};

enum verb_action {
	VERB_REPLY,	/* the reply is ready */
	VERB_SLEEP,	/* wait *arg ms, then reply (already built) */
	VERB_QUIT,	/* send the reply, then close */
	VERB_CRASH,	/* send the reply, then abort() (--debug-verbs) */
	VERB_EXIT	/* send the reply, then exit with status *arg */
};

/*
 * Run one parsed request; *arg receives SLEEP's milliseconds or EXIT's
 * status.  On ENOMEM returns -1.
 */
int	verbs_run(const struct cmd *, const struct verb_ctx *, struct reply *,
	    int *arg);

#endif
