/*
 * netio: EINTR and short counts, handled here and nowhere else.  Both
 * programs ignore SIGPIPE at start, so a vanished peer shows up here as
 * an EPIPE to handle, never as a fatal signal.
 */
#include <errno.h>
#include <unistd.h>

#include "netio.h"

ssize_t
netio_read(int fd, void *p, size_t n)
{
	ssize_t	 r;

	do
		r = read(fd, p, n);
	while (r == -1 && errno == EINTR);
	return r;
}

ssize_t
netio_write(int fd, const void *p, size_t n)
{
	ssize_t	 r;

	do
		r = write(fd, p, n);
	while (r == -1 && errno == EINTR);
	return r;
}

int
netio_write_all(int fd, const void *p, size_t n, size_t *done)
{
	const char	*c = p;
	size_t		 sent = 0;
	ssize_t		 r;
	int		 rc = 0;

	while (sent < n) {
		if ((r = netio_write(fd, c + sent, n - sent)) == -1) {
			rc = -1;
			break;
		}
		sent += (size_t)r;
	}
	if (done != NULL)
		*done = sent;
	return rc;
}

int
netio_read_all(int fd, void *p, size_t n, size_t *done)
{
	char	*c = p;
	size_t	 got = 0;
	ssize_t	 r;
	int	 rc = 0;

	while (got < n) {
		if ((r = netio_read(fd, c + got, n - got)) <= 0) {
			if (r == 0)
				errno = 0;
			rc = -1;
			break;
		}
		got += (size_t)r;
	}
	if (done != NULL)
		*done = got;
	return rc;
}
