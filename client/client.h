/*
 * client: forkc's side of the protocol over an already connected
 * descriptor (so tests can run it over a socketpair): read the greeting,
 * send a request (whole, batched or trickled), read its reply, in frame
 * mode, line mode or UDP.  client_connect() makes that descriptor.
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

/*
 * Connect to o->host port o->port, over UDP when o->mode is CLIENT_UDP.
 * Returns the fd, or -1 with *why set to a printable reason.
 */
int	client_connect(const struct client_opts *, const char **why);
/* Start a client on fd (connected TCP stream or connected UDP socket). */
void	client_init(struct client *, int fd, enum client_mode, int timeout_ms);
void	client_free(struct client *);
/*
 * Read the greeting line into out (without CRLF).  Returns 0, or -1 with
 * errno set: ETIMEDOUT, ECONNRESET when the server closed first.
 */
int	client_greeting(struct client *, struct buf *out);
/* Append one request, encoded in the client's framing, to out.  0 or -1. */
int	client_encode(const struct client *, const char *req, size_t len,
	    struct buf *out);
/* Send one request in the client's framing.  0, or -1 with errno set. */
int	client_send(struct client *, const char *req, size_t len);
/*
 * Sticky-packet demos.  client_send_batch() encodes the n requests into
 * one buffer and sends it in one write; client_send_trickle() sends one
 * request a byte per write, pausing gap_ms between bytes.  0, or -1
 * with errno set.
 */
int	client_send_batch(struct client *, char *const *reqs, int n);
int	client_send_trickle(struct client *, const char *req, size_t len,
	    int gap_ms);
/*
 * Read the reply to a request with verb v into out, as text: the status
 * line, then "\n" and each body line.  Returns 0, or -1 with errno set
 * (ETIMEDOUT; ECONNRESET when the server closed; EMSGSIZE on a bad frame).
 */
int	client_recv(struct client *, enum cmd_verb v, struct buf *out);
/*
 * After the last reply: wait for the server to close.  0 when it does
 * with nothing more sent; -1 with errno ETIMEDOUT, or EPROTO when bytes
 * came that no request asked for.
 */
int	client_recv_eof(struct client *);
/* A printable reason for the errno a client_* call failed with. */
const char *client_error(void);
/* 1 if the reply text in b is a +OK. */
int	client_reply_ok(const struct buf *);

#endif
