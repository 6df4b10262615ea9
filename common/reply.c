/*
 * reply: build a reply once, encode it for whichever framing the session
 * speaks.  The text is kept as the frame payload ("status\nline\nline")
 * because that is the form two of the three encodings send as is.
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "frame.h"
#include "proto.h"
#include "reply.h"

static int
start(struct reply *r, int ok, const char *fmt, va_list ap)
{
	buf_clear(&r->text);
	r->has_body = 0;
	r->ok = ok;
	if (buf_printf(&r->text, "%s ", ok ? "+OK" : "-ERR") == -1 ||
	    buf_vprintf(&r->text, fmt, ap) == -1)
		return -1;
	/* Empty text: no space after the status word. */
	if (buf_used(&r->text) == (ok ? 4u : 5u))
		r->text.len--;
	r->status_len = buf_used(&r->text);
	return 0;
}

int
reply_ok(struct reply *r, const char *fmt, ...)
{
	va_list	 ap;
	int	 rc;

	va_start(ap, fmt);
	rc = start(r, 1, fmt, ap);
	va_end(ap);
	return rc;
}

int
reply_err(struct reply *r, const char *fmt, ...)
{
	va_list	 ap;
	int	 rc;

	va_start(ap, fmt);
	rc = start(r, 0, fmt, ap);
	va_end(ap);
	return rc;
}

int
reply_ok_bytes(struct reply *r, const void *p, size_t n)
{
	buf_clear(&r->text);
	r->has_body = 0;
	r->ok = 1;
	if (buf_append(&r->text, "+OK", 3) == -1)
		return -1;
	if (n > 0 && (buf_append(&r->text, " ", 1) == -1 ||
	    buf_append(&r->text, p, n) == -1))
		return -1;
	r->status_len = buf_used(&r->text);
	return 0;
}

int
reply_line(struct reply *r, const char *fmt, ...)
{
	va_list	 ap;
	int	 rc;

	r->has_body = 1;
	if (buf_append(&r->text, "\n", 1) == -1)
		return -1;
	va_start(ap, fmt);
	rc = buf_vprintf(&r->text, fmt, ap);
	va_end(ap);
	return rc;
}

/* Line mode: status CRLF, then each body line dot-stuffed, then ".". */
static int
encode_line(const struct reply *r, struct buf *out)
{
	const char	*p = buf_head(&r->text), *end = p + buf_used(&r->text);
	const char	*nl;

	if (buf_append(out, p, r->status_len) == -1 ||
	    buf_append(out, "\r\n", 2) == -1)
		return -1;
	if (!r->has_body)
		return 0;
	for (p += r->status_len + 1; p <= end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if ((*p == '.' && buf_append(out, ".", 1) == -1) ||
		    buf_append(out, p, (size_t)(nl - p)) == -1 ||
		    buf_append(out, "\r\n", 2) == -1)
			return -1;
	}
	return buf_append(out, ".\r\n", 3);
}

int
reply_encode(const struct reply *r, enum reply_mode mode, struct buf *out)
{
	unsigned char	 hdr[PROTO_FRAME_HDR];
	size_t		 n = buf_used(&r->text);

	switch (mode) {
	case REPLY_LINE:
		return encode_line(r, out);
	case REPLY_FRAME:
		frame_header(hdr, (uint32_t)n);
		if (buf_append(out, hdr, sizeof(hdr)) == -1)
			return -1;
		return buf_append(out, buf_head(&r->text), n);
	case REPLY_UDP:
		if (n > PROTO_UDP_MAX_REPLY) {
			errno = EMSGSIZE;
			return -1;
		}
		return buf_append(out, buf_head(&r->text), n);
	}
	errno = EINVAL;
	return -1;
}

void
reply_free(struct reply *r)
{
	buf_free(&r->text);
}
