/*
 * ref_poll: a YARDSTICK for make bench, not part of forkd.  The least a
 * single-process event-loop echo server can do: one poll() over the
 * listener, the UDP socket and every connection; no fork at all.  A
 * reply the peer is slow to take is kept and the connection is not read
 * until it has gone (so memory stays bounded).  No logging, no limits.
 *
 *     ref_poll		binds 127.0.0.1, TCP and UDP on free ports, and
 *			prints "tcp_port=N udp_port=N" on standard output
 */
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BUFSZ	65536

struct conn {
	char	*out;		/* what the peer has not taken yet */
	size_t	 off, len;
};

static struct pollfd	*pfd;
static struct conn	*conn;
static nfds_t		 npfd, cap;
static char		 buf[BUFSZ];

static int
add(int fd, short events)
{
	void	*p;

	if (npfd == cap) {
		cap = cap ? 2 * cap : 1024;
		if ((p = realloc(pfd, cap * sizeof(*pfd))) == NULL)
			return -1;
		pfd = p;
		if ((p = realloc(conn, cap * sizeof(*conn))) == NULL)
			return -1;
		conn = p;
	}
	pfd[npfd].fd = fd;
	pfd[npfd].events = events;
	pfd[npfd].revents = 0;
	memset(&conn[npfd], 0, sizeof(conn[npfd]));
	npfd++;
	return 0;
}

/* Close slot i; the last slot takes its place. */
static void
drop(nfds_t i)
{
	(void)close(pfd[i].fd);
	free(conn[i].out);
	pfd[i] = pfd[--npfd];
	conn[i] = conn[npfd];
}

/* Send what is pending on slot i; 0, or -1 when the peer is gone. */
static int
flush(nfds_t i)
{
	struct conn	*c = &conn[i];
	ssize_t		 w;

	while (c->off < c->len) {
		w = write(pfd[i].fd, c->out + c->off, c->len - c->off);
		if (w == -1 && errno == EAGAIN)
			break;
		if (w == -1)
			return -1;
		c->off += (size_t)w;
	}
	/* Read again only once everything has gone. */
	pfd[i].events = c->off < c->len ? POLLOUT : POLLIN;
	return 0;
}

/* Read what slot i has and echo it; 0, or -1 at EOF or on an error. */
static int
serve(nfds_t i)
{
	struct conn	*c = &conn[i];
	ssize_t		 n;

	if (c->off < c->len)
		return flush(i);
	if ((n = read(pfd[i].fd, buf, sizeof(buf))) <= 0)
		return n == -1 && errno == EAGAIN ? 0 : -1;
	if ((c->out = realloc(c->out, (size_t)n)) == NULL)
		return -1;
	memcpy(c->out, buf, (size_t)n);
	c->off = 0;
	c->len = (size_t)n;
	return flush(i);
}

static void
echo_datagram(int fd)
{
	struct sockaddr_in	 peer;
	socklen_t		 len = sizeof(peer);
	ssize_t			 n;

	n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&peer, &len);
	if (n >= 0)
		(void)sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&peer,
		    len);
}

/* A non-blocking socket of type on 127.0.0.1, a free port; -1 on error. */
static int
bound(int type, int *port)
{
	struct sockaddr_in	 sin;
	socklen_t		 len = sizeof(sin);
	int			 fd;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, type, 0)) == -1 ||
	    fcntl(fd, F_SETFL, O_NONBLOCK) == -1 ||
	    bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) == -1)
		return -1;
	*port = ntohs(sin.sin_port);
	return fd;
}

int
main(void)
{
	nfds_t	 i;
	int	 lfd, ufd, fd, tport, uport;

	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR ||
	    (lfd = bound(SOCK_STREAM, &tport)) == -1 ||
	    listen(lfd, 1024) == -1 || (ufd = bound(SOCK_DGRAM, &uport)) == -1 ||
	    add(lfd, POLLIN) == -1 || add(ufd, POLLIN) == -1) {
		perror("ref_poll");
		return 1;
	}
	printf("tcp_port=%d udp_port=%d\n", tport, uport);
	if (fflush(stdout) == EOF)
		return 1;
	for (;;) {
		if (poll(pfd, npfd, -1) == -1)
			continue;
		if (pfd[1].revents & POLLIN)
			echo_datagram(ufd);
		/* Backwards, so drop() only moves slots already seen. */
		for (i = npfd; i-- > 2;)
			if (pfd[i].revents != 0 && serve(i) == -1)
				drop(i);
		if ((pfd[0].revents & POLLIN) == 0)
			continue;
		while ((fd = accept(lfd, NULL, NULL)) != -1)
			if (fcntl(fd, F_SETFL, O_NONBLOCK) == -1 ||
			    add(fd, POLLIN) == -1)
				(void)close(fd);
	}
}
