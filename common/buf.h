/*
 * buf: a growable byte buffer with a read offset, the one container for
 * session input, encoded replies and client I/O.  The caller owns the
 * struct; the bytes live on the heap and are freed by buf_free().  A
 * buffer may start in the caller's own array (BUF_FIXED) and moves to
 * the heap only if it outgrows it: a forked session that never does
 * writes no heap page, nor malloc's state (copy-on-write faults saved,
 * and memory per child).
 */
#ifndef BUF_H
#define BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char	*data;
	size_t	 off;	/* first unread byte */
	size_t	 len;	/* end of valid bytes */
	size_t	 cap;
	int	 heap;	/* data came from malloc (else NULL or the caller's) */
};

#define BUF_INIT { NULL, 0, 0, 0, 0 }
/* Start in the array a (a real array: sizeof gives its size). */
#define BUF_FIXED(a) { (a), 0, 0, sizeof(a), 0 }

/* Bytes between off and len. */
size_t	 buf_used(const struct buf *);
char	*buf_head(const struct buf *);
/* Make room for n more bytes after len (compacting first); -1 ENOMEM. */
int	 buf_reserve(struct buf *, size_t n);
/* Append n bytes; -1 ENOMEM. */
int	 buf_append(struct buf *, const void *, size_t n);
/* Append a string, or an unsigned number in decimal; -1 ENOMEM. */
int	 buf_append_str(struct buf *, const char *);
int	 buf_append_uint(struct buf *, unsigned long long);
/* Append printf-formatted text (no NUL kept); -1 ENOMEM. */
int	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
int	 buf_vprintf(struct buf *, const char *, va_list)
	    __attribute__((format(printf, 2, 0)));
/* Mark n unread bytes as read. */
void	 buf_consume(struct buf *, size_t n);
/* Forget every byte, keep the memory. */
void	 buf_clear(struct buf *);
void	 buf_free(struct buf *);

#endif
