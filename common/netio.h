/*
 * netio: the only place that loops on read/write/send/recv.  Layer one
 * retries EINTR around a single syscall and keeps errno; layer two moves
 * a full count and reports how many bytes went through even on error.
 */
#ifndef NETIO_H
#define NETIO_H

#include <stddef.h>
#include <sys/types.h>

/* read(2) retried on EINTR: bytes read, 0 at EOF, -1 with errno set. */
ssize_t	netio_read(int fd, void *, size_t);
/* write(2) retried on EINTR (the caller has SIGPIPE ignored). */
ssize_t	netio_write(int fd, const void *, size_t);
/*
 * Write all n bytes.  Returns 0, or -1 with errno set (EPIPE: peer gone;
 * EAGAIN: send timeout); *done, if not NULL, gets the bytes written.
 */
int	netio_write_all(int fd, const void *, size_t n, size_t *done);
/* Read exactly n bytes: 0, or -1 with errno set (0 bytes at EOF: errno 0). */
int	netio_read_all(int fd, void *, size_t n, size_t *done);

#endif
