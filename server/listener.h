/*
 * listener: the parent process.  One poll() loop over the self-pipe and
 * the listening socket: accept, apply the caps, fork a child per
 * connection, reap, keep the UDP worker alive, and shut down gracefully.
 */
#ifndef LISTENER_H
#define LISTENER_H

#include "config.h"
#include "scoreboard.h"

/*
 * Run until SIGINT/SIGTERM has drained every child.  tcp_fd is the
 * listening socket, udp_fd the bound UDP socket or -1.  Returns the exit
 * status (0 after a clean shutdown).
 */
int	listener_run(const struct config *, int tcp_fd, int udp_fd,
	    struct scoreboard *);

#endif
