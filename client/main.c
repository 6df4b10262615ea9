/*
 * forkc: the forkd client.  Runs -c commands, or commands from stdin (a
 * prompt when stdin is a terminal), over frames, lines or UDP, sent in
 * lockstep, half-closed, batched or trickled, and exits 0 only if every
 * reply was +OK.  "stats" and "watch" are handed to the watch module,
 * "bench" to the bench module.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench.h"
#include "client.h"
#include "proto.h"
#include "watch.h"

#define PROMPT	"forkd> "

struct run {
	const struct client_opts	*o;
	struct client			 c;
	struct buf			 reply;
	int				 failed;	/* some reply was not +OK */
};

static int
fail(const char *what, const char *why)
{
	fprintf(stderr, "forkc: %s: %s\n", what, why);
	return 1;
}

static void
print_reply(const struct buf *b)
{
	fwrite(buf_head(b), 1, buf_used(b), stdout);
	fputc('\n', stdout);
	fflush(stdout);
}

/* Read and print the reply to req.  0, or 1 when the connection failed. */
static int
receive(struct run *r, const char *req)
{
	struct cmd	 cmd;

	cmd_parse(req, strlen(req), &cmd);
	if (client_recv(&r->c, cmd.verb, &r->reply) == -1)
		return fail("reply", client_error());
	print_reply(&r->reply);
	if (!client_reply_ok(&r->reply))
		r->failed = 1;
	return 0;
}

/* One command in lockstep: send (whole or trickled), then its reply. */
static int
exchange(struct run *r, const char *req)
{
	int	 rc;

	if (r->o->trickle)
		rc = client_send_trickle(&r->c, req, strlen(req),
		    r->o->trickle_ms);
	else
		rc = client_send(&r->c, req, strlen(req));
	if (rc == -1)
		return fail("send", client_error());
	return receive(r, req);
}

/* --batch: every command in one write, then the replies one by one. */
static int
batched(struct run *r, char **cmds, int n)
{
	int	 i;

	if (client_send_batch(&r->c, cmds, n) == -1)
		return fail("send", client_error());
	for (i = 0; i < n; i++)
		if (receive(r, cmds[i]) != 0)
			return 1;
	return 0;
}

/*
 * --half-close: send every command, shut down our side, then read every
 * reply; the server must answer all of them, then close.
 */
static int
pipelined(struct run *r, char **cmds, int n)
{
	int	 i;

	for (i = 0; i < n; i++)
		if (client_send(&r->c, cmds[i], strlen(cmds[i])) == -1)
			return fail("send", client_error());
	if (shutdown(r->c.fd, SHUT_WR) == -1)
		return fail("shutdown", strerror(errno));
	for (i = 0; i < n; i++)
		if (receive(r, cmds[i]) != 0)
			return 1;
	if (client_recv_eof(&r->c) == -1)
		return fail("after the replies", client_error());
	return 0;
}

/* Commands from stdin, one per line; a prompt on a terminal. */
static int
from_stdin(struct run *r, char ***saved, int *nsaved)
{
	char	*line = NULL, **v;
	size_t	 cap = 0;
	ssize_t	 n;
	int	 tty = isatty(STDIN_FILENO), rc = 0;

	for (;;) {
		if (tty) {
			fputs(PROMPT, stdout);
			fflush(stdout);
		}
		if ((n = getline(&line, &cap, stdin)) == -1)
			break;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (n == 0)
			continue;
		if (!r->o->half_close && !r->o->batch) {
			if ((rc = exchange(r, line)) != 0)
				break;
			continue;
		}
		if ((v = realloc(*saved, (size_t)(*nsaved + 1) *
		    sizeof(*v))) != NULL)
			*saved = v;
		if (v == NULL || (v[*nsaved] = strdup(line)) == NULL) {
			rc = fail("stdin", strerror(ENOMEM));
			break;
		}
		(*nsaved)++;
	}
	if (tty && n == -1)
		fputc('\n', stdout);
	free(line);
	return rc;
}

static int
connect_to(const struct client_opts *o)
{
	const char	*why;
	char		 what[128];
	int		 fd;

	if ((fd = client_connect(o, &why)) == -1) {
		snprintf(what, sizeof(what), "%s port %d", o->host, o->port);
		fail(what, why);
	}
	return fd;
}

/* Greeting, then the commands. 0 when every reply was +OK. */
static int
session(struct run *r)
{
	char	**saved = NULL, **cmds;
	int	  i, n, nsaved = 0, rc = 0;

	if (r->o->mode != CLIENT_UDP) {
		if (client_greeting(&r->c, &r->reply) == -1)
			return fail("greeting", client_error());
		if (!r->o->quiet || !client_reply_ok(&r->reply))
			print_reply(&r->reply);
		if (!client_reply_ok(&r->reply))
			return 1;	/* busy: the server has closed */
	}
	if (r->o->ncmds == 0)
		rc = from_stdin(r, &saved, &nsaved);
	else if (!r->o->half_close && !r->o->batch)
		for (i = 0; rc == 0 && i < r->o->ncmds; i++)
			rc = exchange(r, r->o->cmds[i]);
	if (nsaved == 0 && r->o->ncmds > 0) {
		cmds = r->o->cmds;
		n = r->o->ncmds;
	} else {
		cmds = saved;
		n = nsaved;
	}
	if (rc == 0 && r->o->half_close)
		rc = pipelined(r, cmds, n);
	else if (rc == 0 && r->o->batch)
		rc = batched(r, cmds, n);
	for (i = 0; i < nsaved; i++)
		free(saved[i]);
	free(saved);
	return rc != 0 || r->failed;
}

/* The -c commands, or those read from stdin, over one connection. */
static int
commands(const struct client_opts *o)
{
	struct run	 r;
	int		 fd, rc;

	if ((fd = connect_to(o)) == -1)
		return 1;
	memset(&r, 0, sizeof(r));
	r.o = o;
	client_init(&r.c, fd, o->mode, o->timeout_ms);
	rc = session(&r);
	client_free(&r.c);
	buf_free(&r.reply);
	(void)close(fd);
	return rc;
}

int
main(int argc, char **argv)
{
	struct client_opts	 o;
	char			 err[OPTS_ERR_MAX];
	int			 rc;

	switch (opts_parse(&o, argc, argv, err)) {
	case OPTS_HELP:
		fputs(opts_usage, stdout);
		opts_free(&o);
		return 0;
	case OPTS_VERSION:
		printf("forkc %s\n", FORKD_VERSION);
		opts_free(&o);
		return 0;
	case OPTS_USAGE:
		fprintf(stderr, "forkc: %s\n%s", err, opts_usage);
		opts_free(&o);
		return 2;
	case OPTS_OK:
		break;
	}
	(void)signal(SIGPIPE, SIG_IGN);
	switch (o.action) {
	case CLIENT_STATS:
		rc = watch_once(&o);
		break;
	case CLIENT_WATCH:
		rc = watch_run(&o);
		break;
	case CLIENT_BENCH:
		rc = bench_run(&o);
		break;
	default:
		rc = commands(&o);
		break;
	}
	opts_free(&o);
	return rc;
}
