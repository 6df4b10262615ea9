/*
 * reply: one protocol reply (a status line plus optional body lines) and
 * its three encodings: line mode (CRLF, POP3-style dot-terminated body),
 * frame mode (one frame: status, LF, body lines joined by LF) and UDP
 * (the same text as a frame payload, in one datagram).
 */
#ifndef REPLY_H
#define REPLY_H

#include <stddef.h>

#include "buf.h"

struct reply {
	struct buf	text;		/* status, then "\n" + each body line */
	size_t		status_len;	/* length of the status line */
	int		has_body;
	int		ok;		/* status is +OK */
};

#define REPLY_INIT { BUF_INIT, 0, 0, 0 }

enum reply_mode { REPLY_LINE, REPLY_FRAME, REPLY_UDP };

/* Start a fresh reply "+OK fmt..." or "-ERR fmt...". -1 ENOMEM. */
int	reply_ok(struct reply *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
int	reply_err(struct reply *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* "+OK " followed by n raw bytes (binary-safe ECHO); "+OK" when n is 0. */
int	reply_ok_bytes(struct reply *, const void *, size_t n);
/* Add one body line (no terminator in fmt). -1 ENOMEM. */
int	reply_line(struct reply *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* Append the encoded reply to out. -1 ENOMEM (or EMSGSIZE for UDP > 512). */
int	reply_encode(const struct reply *, enum reply_mode, struct buf *out);
void	reply_free(struct reply *);

#endif
