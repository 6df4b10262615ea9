/*
 * udp_worker: the process that answers datagrams.  One datagram is one
 * request, one datagram the reply; UDP keeps message boundaries, so no
 * framing is needed.  Built so that it cannot be turned into an
 * amplifier or a loop: small replies, a per-source rate, no reply to
 * port 0, to its own port or to a reply.
 */
#ifndef UDP_WORKER_H
#define UDP_WORKER_H

#include "config.h"
#include "scoreboard.h"

/* Serve datagrams on fd until SIGTERM; returns the exit status. */
int	udp_worker_run(int fd, const struct config *, struct scoreboard *);

#endif
