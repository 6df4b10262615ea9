/*
 * worker: serving connections one after another in one process, for
 * --model prefork (a worker child calls accept() itself) and --model
 * iterative (the listener serves in place).  See worker.c.
 */
#ifndef WORKER_H
#define WORKER_H

#include <stdint.h>
#include <sys/socket.h>

#include "config.h"
#include "scoreboard.h"

/*
 * Make slot (its peer already set) serve connection conn from peer on
 * fd: apply --per-ip (refusing and closing fd at the cap: -1), then set
 * the slot's identity and zero its counters.  0 when fd may be served.
 */
int	worker_claim(struct scoreboard *, struct sb_slot *, int fd,
	    const struct sockaddr *peer, uint64_t conn, int per_ip);
/* Serve fd to its end, log the "done" line, mark the slot idle. */
void	worker_serve(int fd, const struct config *, struct scoreboard *,
	    struct sb_slot *);
/*
 * A prefork worker's life, in a fresh child: accept on lfd and serve,
 * until SIGTERM.  Never returns.
 */
_Noreturn void worker_prefork_main(int lfd, const struct config *,
	    struct scoreboard *, struct sb_slot *);

#endif
