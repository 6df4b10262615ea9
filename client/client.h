/*
 * client: forkc's side of the protocol over an already connected
 * descriptor (so tests can run it over a socketpair): read the greeting,
 * send a request, read its reply, in frame mode, line mode or UDP.
 */
#ifndef CLIENT_H
#define CLIENT_H

#include <stddef.h>

#include "buf.h"
#include "cmd.h"
#include "options.h"

struct client {
	int		 fd;
	enum client_mode mode;
	int		 timeout_ms;	/* per reply */
	struct buf	 in;		/* bytes received, not yet used */
};

/* Start a client on fd (connected TCP stream or connected UDP socket). */
void	client_init(struct client *, int fd, enum client_mode, int timeout_ms);
void	client_free(struct client *);
/*
 * Read the greeting line into out (without CRLF).  Returns 0, or -1 with
 * errno set: ETIMEDOUT, ECONNRESET when the server closed first.
 */
int	client_greeting(struct client *, struct buf *out);
/* Send one request in the client's framing.  0, or -1 with errno set. */
int	client_send(struct client *, const char *req, size_t len);
/*
 * Read the reply to a request with verb v into out, as text: the status
 * line, then "\n" and each body line.  Returns 0, or -1 with errno set
 * (ETIMEDOUT; ECONNRESET when the server closed; EMSGSIZE on a bad frame).
 */
int	client_recv(struct client *, enum cmd_verb v, struct buf *out);
/* 1 if the reply text in b is a +OK. */
int	client_reply_ok(const struct buf *);

#endif
