/*
 * sock: addresses and sockets.  Resolving (numeric or /etc/hosts names),
 * listening and connecting sockets with SO_REUSEADDR and FD_CLOEXEC, and
 * printing a peer the way every log line and reply shows it:
 * 127.0.0.1:51234, [::1]:51234, an IPv4-mapped IPv6 peer as IPv4.
 */
#ifndef SOCK_H
#define SOCK_H

#include <sys/socket.h>
#include <sys/types.h>

#define SOCK_PEER_MAX	64	/* "[v6-address]:port" and NUL */

/*
 * Resolve host and port for type (SOCK_STREAM / SOCK_DGRAM) into *ss.
 * Returns 0, or -1 with *errstr set to a printable reason.
 */
int	sock_resolve(const char *host, int port, int type,
	    struct sockaddr_storage *, socklen_t *, const char **errstr);
/*
 * A bound socket of type on addr, listening with backlog for TCP (backlog
 * ignored for UDP); SO_REUSEADDR for TCP only; "::" is dual-stack.
 * Close-on-exec, non-blocking.
 * Returns the fd or -1 with errno set.
 */
int	sock_bind(const struct sockaddr *, socklen_t, int type, int backlog);
/* Connected socket to addr (blocking, close-on-exec); -1 with errno set. */
int	sock_connect(const struct sockaddr *, socklen_t, int type);
/* Port a socket is bound to, or -1. */
int	sock_local_port(int fd);
/* The address alone (IPv4-mapped shown as IPv4) into out[SOCK_PEER_MAX]. */
void	sock_ip_str(const struct sockaddr *, char *out);
/* Format addr as a peer string into out[SOCK_PEER_MAX]. */
void	sock_peer_str(const struct sockaddr *, char *out);
/*
 * The peer's address alone, IPv4-mapped folded to IPv4, as the key of
 * per-address limits: writes at most 16 bytes, returns its length.
 */
size_t	sock_addr_key(const struct sockaddr *, unsigned char key[16]);
/* Port of a socket address. */
int	sock_addr_port(const struct sockaddr *);
/* Set FD_CLOEXEC (and O_NONBLOCK when nonblock): 0 or -1. */
int	sock_cloexec(int fd);
int	sock_nonblock(int fd, int on);

#endif
