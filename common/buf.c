/*
 * buf: growable byte buffer.  Reading advances off; writing appends at
 * len; buf_reserve() slides unread bytes to the front before growing, so a
 * long-lived session buffer stays as small as its largest request.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

size_t
buf_used(const struct buf *b)
{
	return b->len - b->off;
}

char *
buf_head(const struct buf *b)
{
	return b->data + b->off;
}

int
buf_reserve(struct buf *b, size_t n)
{
	size_t	 need, ncap;
	char	*p;

	if (b->off > 0) {
		memmove(b->data, b->data + b->off, b->len - b->off);
		b->len -= b->off;
		b->off = 0;
	}
	if (n > (size_t)-1 - b->len) {
		errno = ENOMEM;
		return -1;
	}
	need = b->len + n;
	if (need <= b->cap)
		return 0;
	ncap = b->cap ? b->cap : 256;
	while (ncap < need)
		ncap = ncap > (size_t)-1 / 2 ? need : ncap * 2;
	if (b->heap)
		p = realloc(b->data, ncap);
	else if ((p = malloc(ncap)) != NULL && b->len > 0)
		memcpy(p, b->data, b->len);	/* out of the caller's array */
	if (p == NULL)
		return -1;
	b->data = p;
	b->cap = ncap;
	b->heap = 1;
	return 0;
}

int
buf_append(struct buf *b, const void *p, size_t n)
{
	if (n == 0)
		return 0;
	if (buf_reserve(b, n) == -1)
		return -1;
	memcpy(b->data + b->len, p, n);
	b->len += n;
	return 0;
}

int
buf_append_str(struct buf *b, const char *s)
{
	return buf_append(b, s, strlen(s));
}

/* No printf: what a freshly forked child writes need not fault it in. */
int
buf_append_uint(struct buf *b, unsigned long long v)
{
	char	 digits[20];	/* 2^64 - 1 has 20 */

	_Static_assert(ULLONG_MAX <= 18446744073709551615ULL,
	    "digits[] holds a 64-bit number");
	size_t	 n = sizeof(digits);

	do {
		digits[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	return buf_append(b, digits + n, sizeof(digits) - n);
}

int
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list	 ap2;
	int	 n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return -1;
	/* One spare byte for the NUL that vsnprintf always writes. */
	if (buf_reserve(b, (size_t)n + 1) == -1)
		return -1;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list	 ap;
	int	 rc;

	va_start(ap, fmt);
	rc = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

void
buf_consume(struct buf *b, size_t n)
{
	if (n >= b->len - b->off)
		b->off = b->len = 0;
	else
		b->off += n;
}

void
buf_clear(struct buf *b)
{
	b->off = b->len = 0;
}

void
buf_free(struct buf *b)
{
	if (b->heap)
		free(b->data);
	b->data = NULL;
	b->off = b->len = b->cap = 0;
	b->heap = 0;
}
