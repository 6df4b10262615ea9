/*
 * sock: getaddrinfo, bind/listen/connect and peer formatting.  Every
 * socket is close-on-exec from birth (SOCK_CLOEXEC where it exists, else
 * fcntl at once), so no descriptor can leak into a program exec'd later.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "sock.h"

int
sock_cloexec(int fd)
{
	int	 fl;

	if ((fl = fcntl(fd, F_GETFD)) == -1)
		return -1;
	return fcntl(fd, F_SETFD, fl | FD_CLOEXEC);
}

int
sock_nonblock(int fd, int on)
{
	int	 fl;

	if ((fl = fcntl(fd, F_GETFL)) == -1)
		return -1;
	fl = on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK;
	return fcntl(fd, F_SETFL, fl);
}

int
sock_resolve(const char *host, int port, int type,
    struct sockaddr_storage *ss, socklen_t *sslen, const char **errstr)
{
	struct addrinfo	 hints, *res;
	char		 serv[16];
	int		 rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = type;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	snprintf(serv, sizeof(serv), "%d", port);
	if ((rc = getaddrinfo(host, serv, &hints, &res)) != 0) {
		*errstr = gai_strerror(rc);
		return -1;
	}
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*sslen = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

static int
new_socket(int family, int type)
{
	int	 fd;

#ifdef SOCK_CLOEXEC
	fd = socket(family, type | SOCK_CLOEXEC, 0);
#else
	if ((fd = socket(family, type, 0)) != -1 && sock_cloexec(fd) == -1) {
		close(fd);
		fd = -1;
	}
#endif
	return fd;
}

int
sock_bind(const struct sockaddr *sa, socklen_t len, int type, int backlog)
{
	int	 fd, on = 1, off = 0, saved;

	if ((fd = new_socket(sa->sa_family, type)) == -1)
		return -1;
	log_event(LOG_LVL_TRACE, "trace", "step=socket fd=%d type=%s", fd,
	    type == SOCK_STREAM ? "stream" : "dgram");
	/*
	 * TCP: rebind at once over old connections in TIME_WAIT.  Not UDP:
	 * there it would let two servers share the port silently.
	 */
	if (type == SOCK_STREAM) {
		if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on,
		    sizeof(on)) == -1)
			goto fail;
		log_event(LOG_LVL_TRACE, "trace",
		    "step=setsockopt fd=%d opt=SO_REUSEADDR", fd);
	}
	/* "::" means both families: accept IPv4 as IPv4-mapped peers. */
	if (sa->sa_family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6,
	    IPV6_V6ONLY, &off, sizeof(off)) == -1)
		goto fail;
	if (bind(fd, sa, len) == -1 || sock_nonblock(fd, 1) == -1)
		goto fail;
	if (log_enabled(LOG_LVL_TRACE)) {
		char	 addr[SOCK_PEER_MAX];

		sock_peer_str(sa, addr);
		log_event(LOG_LVL_TRACE, "trace", "step=bind fd=%d addr=%s",
		    fd, addr);
	}
	if (type == SOCK_STREAM) {
		if (listen(fd, backlog) == -1)
			goto fail;
		log_event(LOG_LVL_TRACE, "trace", "step=listen fd=%d backlog=%d",
		    fd, backlog);
	}
	return fd;
fail:
	saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

int
sock_connect(const struct sockaddr *sa, socklen_t len, int type)
{
	int	 fd, saved;

	if ((fd = new_socket(sa->sa_family, type)) == -1)
		return -1;
	while (connect(fd, sa, len) == -1) {
		if (errno == EINTR)
			continue;
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

int
sock_addr_port(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)(const void *)sa)->sin_port);
	if (sa->sa_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)(const void *)sa)->sin6_port);
	return -1;
}

int
sock_local_port(int fd)
{
	struct sockaddr_storage	 ss;
	socklen_t		 len = sizeof(ss);

	if (getsockname(fd, (struct sockaddr *)&ss, &len) == -1)
		return -1;
	return sock_addr_port((struct sockaddr *)&ss);
}

size_t
sock_addr_key(const struct sockaddr *sa, unsigned char key[16])
{
	const struct sockaddr_in6	*s6;

	if (sa->sa_family == AF_INET) {
		memcpy(key, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
		return 4;
	}
	if (sa->sa_family != AF_INET6)
		return 0;
	s6 = (const struct sockaddr_in6 *)(const void *)sa;
	if (IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr)) {
		memcpy(key, &s6->sin6_addr.s6_addr[12], 4);
		return 4;
	}
	memcpy(key, &s6->sin6_addr, 16);
	return 16;
}

void
sock_ip_str(const struct sockaddr *sa, char *out)
{
	unsigned char	 key[16];
	size_t		 n;

	n = sock_addr_key(sa, key);
	if ((n != 4 || inet_ntop(AF_INET, key, out, SOCK_PEER_MAX) == NULL) &&
	    (n != 16 || inet_ntop(AF_INET6, key, out, SOCK_PEER_MAX) == NULL))
		snprintf(out, SOCK_PEER_MAX, "unknown");
}

void
sock_peer_str(const struct sockaddr *sa, char *out)
{
	char	 addr[SOCK_PEER_MAX];

	sock_ip_str(sa, addr);
	if (strchr(addr, ':') != NULL)
		snprintf(out, SOCK_PEER_MAX, "[%.46s]:%d", addr,
		    sock_addr_port(sa));
	else
		snprintf(out, SOCK_PEER_MAX, "%.46s:%d", addr,
		    sock_addr_port(sa));
}
