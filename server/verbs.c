/*
 * verbs: the request table's behaviour.  Everything a verb needs comes in
 * through verb_ctx, so the same code answers TCP sessions and datagrams.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "parse.h"
#include "proto.h"
#include "verbs.h"

static int
do_help(struct reply *r, int debug)
{
	int	 i;

	if (reply_ok(r, "verbs, case-insensitive") == -1)
		return -1;
	for (i = 0; cmd_help[i] != NULL; i++)
		if (reply_line(r, "%s", cmd_help[i]) == -1)
			return -1;
	for (i = 0; debug && cmd_debug_help[i] != NULL; i++)
		if (reply_line(r, "%s", cmd_debug_help[i]) == -1)
			return -1;
	return 0;
}

static int
do_time(struct reply *r)
{
	char	 now[32];

	clock_iso8601(now, sizeof(now), 0);
	return reply_ok(r, "%s", now);
}

static int
do_pid(const struct verb_ctx *ctx, struct reply *r)
{
	if (ctx->udp)
		return reply_ok(r, "pid=%ld ppid=%ld peer=%s", (long)getpid(),
		    (long)getppid(), ctx->peer);
	return reply_ok(r, "pid=%ld ppid=%ld conn=%llu peer=%s age=%.3fs",
	    (long)getpid(), (long)getppid(), (unsigned long long)ctx->conn,
	    ctx->peer, (double)(clock_ms() - ctx->start_ms) / 1000);
}

/* The verb's argument as a number in [0, max], or -1. */
static long long
number_arg(const struct cmd *c, long long max)
{
	char		 arg[16];
	const char	*errstr;
	long long	 v;

	if (c->args == NULL || c->argslen == 0 || c->argslen >= sizeof(arg))
		return -1;
	memcpy(arg, c->args, c->argslen);
	arg[c->argslen] = '\0';
	return parse_num(arg, 0, max, &v, &errstr) == -1 ? -1 : v;
}

/* SLEEP's argument is checked here; the session does the waiting. */
static int
do_sleep(const struct cmd *c, struct reply *r, int *ms)
{
	long long	 v;

	if (c->args == NULL || c->argslen == 0)
		return reply_err(r, "usage: SLEEP ms (0-%d)",
		    PROTO_SLEEP_MAX_MS) == -1 ? -1 : VERB_REPLY;
	if ((v = number_arg(c, PROTO_SLEEP_MAX_MS)) == -1)
		return reply_err(r, "SLEEP ms must be 0-%d",
		    PROTO_SLEEP_MAX_MS) == -1 ? -1 : VERB_REPLY;
	*ms = (int)v;
	return reply_ok_bytes(r, NULL, 0) == -1 ? -1 : VERB_SLEEP;
}

/* CRASH and EXIT n: only with --debug-verbs, and never over UDP. */
static int
do_debug(const struct cmd *c, const struct verb_ctx *ctx, struct reply *r,
    int *status)
{
	long long	 v;

	if (!ctx->debug || ctx->udp)
		return reply_err(r, "unknown command, try HELP") == -1 ? -1 :
		    VERB_REPLY;
	if (c->verb == CMD_CRASH)
		return reply_ok(r, "crashing") == -1 ? -1 : VERB_CRASH;
	if ((v = number_arg(c, 255)) == -1)
		return reply_err(r, "usage: EXIT n (0-255)") == -1 ? -1 :
		    VERB_REPLY;
	*status = (int)v;
	return reply_ok(r, "exiting %lld", v) == -1 ? -1 : VERB_EXIT;
}

int
verbs_run(const struct cmd *c, const struct verb_ctx *ctx, struct reply *r,
    int *arg)
{
	int	 rc;

	switch (c->verb) {
	case CMD_HELP:
		rc = do_help(r, ctx->debug && !ctx->udp);
		break;
	case CMD_ECHO:
		rc = reply_ok_bytes(r, c->args, c->argslen);
		break;
	case CMD_TIME:
		rc = do_time(r);
		break;
	case CMD_PID:
		rc = do_pid(ctx, r);
		break;
	case CMD_STATS:
		rc = scoreboard_stats(ctx->sb, !ctx->udp, r);
		break;
	case CMD_SLEEP:
		if (ctx->udp)
			rc = reply_err(r, "SLEEP is not available over UDP");
		else
			return do_sleep(c, r, arg);
		break;
	case CMD_QUIT:
		if (ctx->udp)
			rc = reply_err(r, "QUIT is not available over UDP");
		else
			return reply_ok(r, "bye") == -1 ? -1 : VERB_QUIT;
		break;
	case CMD_CRASH:
	case CMD_EXIT:
		return do_debug(c, ctx, r, arg);
	default:
		rc = reply_err(r, "unknown command, try HELP");
		break;
	}
	return rc == -1 ? -1 : VERB_REPLY;
}
