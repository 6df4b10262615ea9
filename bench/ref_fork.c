/*
 * ref_fork: a YARDSTICK for make bench, not part of forkd.  The least a
 * fork-per-connection echo server can do: accept, fork, the child copies
 * what it reads back to the peer until EOF and _exit()s; SIGCHLD reaps in
 * a loop; a forked UDP worker echoes datagrams.  No logging, no limits,
 * no protocol.  forkd's targets are ratios to it.
 *
 *     ref_fork		binds 127.0.0.1, TCP and UDP on free ports, and
 *			prints "tcp_port=N udp_port=N" on standard output
 */
#include <sys/socket.h>
#include <sys/wait.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define BUFSZ	65536	/* one bench frame in one read */

static void
reap(int signo)
{
	int	 saved = errno;

	(void)signo;
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	errno = saved;
}

/* Copy everything back, whole, until EOF or an error. */
static void
echo_stream(int fd)
{
	char	 buf[BUFSZ];
	ssize_t	 n, w, off;

	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return;
		for (off = 0; off < n; off += w) {
			w = write(fd, buf + off, (size_t)(n - off));
			if (w == -1 && errno != EINTR)
				return;
			if (w == -1)
				w = 0;
		}
	}
}

static void
echo_datagrams(int fd)
{
	struct sockaddr_in	 peer;
	socklen_t		 len;
	char			 buf[BUFSZ];
	ssize_t			 n;

	for (;;) {
		len = sizeof(peer);
		n = recvfrom(fd, buf, sizeof(buf), 0,
		    (struct sockaddr *)&peer, &len);
		if (n >= 0)
			(void)sendto(fd, buf, (size_t)n, 0,
			    (struct sockaddr *)&peer, len);
		else if (errno != EINTR)
			_exit(1);
	}
}

/* A socket of type bound to 127.0.0.1 on a free port; -1 on error. */
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
	    bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) == -1)
		return -1;
	*port = ntohs(sin.sin_port);
	return fd;
}

int
main(void)
{
	struct sigaction	 sa;
	int			 lfd, ufd, fd, tport, uport;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = reap;
	sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
	if (sigaction(SIGCHLD, &sa, NULL) == -1 ||
	    signal(SIGPIPE, SIG_IGN) == SIG_ERR ||
	    (lfd = bound(SOCK_STREAM, &tport)) == -1 ||
	    listen(lfd, 1024) == -1 || (ufd = bound(SOCK_DGRAM, &uport)) == -1) {
		perror("ref_fork");
		return 1;
	}
	printf("tcp_port=%d udp_port=%d\n", tport, uport);
	/* Flushed before any fork, so no child repeats it. */
	if (fflush(stdout) == EOF)
		return 1;
	if (fork() == 0) {
		(void)close(lfd);
		echo_datagrams(ufd);
	}
	(void)close(ufd);
	for (;;) {
		if ((fd = accept(lfd, NULL, NULL)) == -1) {
			/* EMFILE and the like: pause rather than spin. */
			if (errno != EINTR && errno != ECONNABORTED)
				(void)usleep(10000);
			continue;
		}
		if (fork() == 0) {
			(void)close(lfd);
			echo_stream(fd);
			_exit(0);
		}
		(void)close(fd);
	}
}
