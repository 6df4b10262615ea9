/*
 * options: getopt_long for forkc, numbers checked, and the combinations
 * that make no sense (a sending style over UDP, two sending styles at
 * once, -c with stats, a bench option without bench) refused here rather
 * than half-honoured later.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "parse.h"
#include "proto.h"

const char opts_usage[] =
"usage: forkc [-hquV] [-c command] [-H host] [-n count] [-p port]\n"
"             [-t secs] [--batch | --half-close | --trickle] [--line]\n"
"             [--trickle-ms ms] [stats | watch [secs]]\n"
"       forkc [-qu] [-H host] [-K requests] [-N conns] [-P procs]\n"
"             [-p port] [-t secs] [--duration secs] [--echo]\n"
"             [--hold secs] [--line] [--persistent] [--progress]\n"
"             [--proto tcp|line|udp] [--size bytes] bench\n";

/* The largest bench payload: after "ECHO ", a frame under 16 MiB. */
#define PAYLOAD_MAX	(PROTO_FRAME_LIMIT - 6)

enum {
	OPT_LINE = 256, OPT_HALF_CLOSE, OPT_BATCH, OPT_TRICKLE, OPT_TRICKLE_MS,
	OPT_PERSISTENT, OPT_PROTO, OPT_SIZE, OPT_DURATION, OPT_PROGRESS,
	OPT_ECHO, OPT_HOLD
};

static const struct option longopts[] = {
	{ "host",	required_argument, NULL, 'H' },
	{ "port",	required_argument, NULL, 'p' },
	{ "command",	required_argument, NULL, 'c' },
	{ "count",	required_argument, NULL, 'n' },
	{ "udp",	no_argument,	   NULL, 'u' },
	{ "line",	no_argument,	   NULL, OPT_LINE },
	{ "half-close",	no_argument,	   NULL, OPT_HALF_CLOSE },
	{ "batch",	no_argument,	   NULL, OPT_BATCH },
	{ "trickle",	no_argument,	   NULL, OPT_TRICKLE },
	{ "trickle-ms",	required_argument, NULL, OPT_TRICKLE_MS },
	{ "timeout",	required_argument, NULL, 't' },
	{ "procs",	required_argument, NULL, 'P' },
	{ "conns",	required_argument, NULL, 'N' },
	{ "requests",	required_argument, NULL, 'K' },
	{ "persistent",	no_argument,	   NULL, OPT_PERSISTENT },
	{ "proto",	required_argument, NULL, OPT_PROTO },
	{ "size",	required_argument, NULL, OPT_SIZE },
	{ "duration",	required_argument, NULL, OPT_DURATION },
	{ "progress",	no_argument,	   NULL, OPT_PROGRESS },
	{ "echo",	no_argument,	   NULL, OPT_ECHO },
	{ "hold",	required_argument, NULL, OPT_HOLD },
	{ "quiet",	no_argument,	   NULL, 'q' },
	{ "help",	no_argument,	   NULL, 'h' },
	{ "version",	no_argument,	   NULL, 'V' },
	{ NULL,		0,		   NULL, 0 }
};

/* A checked number into *out, or a message naming the option. */
static int
number(const char *what, const char *arg, long long min, long long max,
    int *out, char *errmsg)
{
	const char	*errstr;
	long long	 v;

	if (parse_num(arg, min, max, &v, &errstr) == -1) {
		snprintf(errmsg, OPTS_ERR_MAX, "%s is %s: %s", what, errstr,
		    arg);
		return -1;
	}
	*out = (int)v;
	return 0;
}

static int
seconds(const char *what, const char *arg, long long min_ms, long long max_ms,
    int *out, char *errmsg)
{
	const char	*errstr;
	long long	 v;

	if (parse_seconds(arg, min_ms, max_ms, &v, &errstr) == -1) {
		snprintf(errmsg, OPTS_ERR_MAX, "%s is %s: %s", what, errstr,
		    arg);
		return -1;
	}
	*out = (int)v;
	return 0;
}

/* --proto tcp|line|udp: the framing, as -u and --line choose it. */
static int
set_proto(struct client_opts *o, const char *arg, char *errmsg)
{
	if (strcmp(arg, "tcp") == 0)
		o->mode = CLIENT_FRAME;
	else if (strcmp(arg, "line") == 0)
		o->mode = CLIENT_LINE;
	else if (strcmp(arg, "udp") == 0)
		o->mode = CLIENT_UDP;
	else {
		snprintf(errmsg, OPTS_ERR_MAX,
		    "proto is not tcp, line or udp: %s", arg);
		return -1;
	}
	o->bench.proto_set = 1;
	return 0;
}

static int
set_size(struct client_opts *o, const char *arg, char *errmsg)
{
	const char	*errstr;
	long long	 v;

	if (parse_size(arg, 0, PAYLOAD_MAX, &v, &errstr) == -1) {
		snprintf(errmsg, OPTS_ERR_MAX, "size is %s: %s", errstr, arg);
		return -1;
	}
	o->bench.size = (int)v;
	return 0;
}

/* The options of forkc bench; 1 when ch is none of them. */
static int
apply_bench(struct client_opts *o, int ch, char *arg, char *errmsg)
{
	struct bench_opts	*b = &o->bench;

	switch (ch) {
	case 'P':
		return number("procs", arg, 1, OPTS_PROCS_MAX, &b->procs,
		    errmsg);
	case 'N':
		return number("conns", arg, 1, OPTS_COUNT_MAX, &b->conns,
		    errmsg);
	case 'K':
		return number("requests", arg, 1, OPTS_COUNT_MAX,
		    &b->requests, errmsg);
	case OPT_PERSISTENT:
		b->persistent = 1;
		return 0;
	case OPT_PROTO:
		return set_proto(o, arg, errmsg);
	case OPT_SIZE:
		return set_size(o, arg, errmsg);
	case OPT_DURATION:
		return seconds("duration", arg, 1, 24 * 3600 * 1000,
		    &b->duration_ms, errmsg);
	case OPT_PROGRESS:
		b->progress = 1;
		return 0;
	case OPT_ECHO:
		b->echo = 1;
		return 0;
	case OPT_HOLD:
		return seconds("hold", arg, 1, 3600 * 1000, &b->hold_ms,
		    errmsg);
	}
	return 1;
}

static int
apply(struct client_opts *o, int ch, char *arg, char *errmsg)
{
	int	 rc;

	if ((rc = apply_bench(o, ch, arg, errmsg)) != 1)
		return rc;
	switch (ch) {
	case 'H':
		o->host = arg;
		break;
	case 'p':
		return number("port", arg, 1, 65535, &o->port, errmsg);
	case 'c':
		o->cmds[o->ncmds++] = arg;
		break;
	case 'n':
		return number("count", arg, 1, 1000 * 1000 * 1000, &o->count,
		    errmsg);
	case 'u':
		o->mode = CLIENT_UDP;
		break;
	case OPT_LINE:
		o->mode = CLIENT_LINE;
		break;
	case OPT_HALF_CLOSE:
		o->half_close = 1;
		break;
	case OPT_BATCH:
		o->batch = 1;
		break;
	case OPT_TRICKLE:
		o->trickle = 1;
		break;
	case OPT_TRICKLE_MS:
		return number("trickle-ms", arg, 0, 1000, &o->trickle_ms,
		    errmsg);
	case 't':
		return seconds("timeout", arg, 1, 3600 * 1000, &o->timeout_ms,
		    errmsg);
	case 'q':
		o->quiet = 1;
		break;
	}
	return 0;
}

/*
 * A word after the options: "stats", "bench", or "watch" and then at
 * most one interval.  *nwords counts the words taken so far.
 */
static int
word(struct client_opts *o, const char *w, int *nwords, char *errmsg)
{
	if (*nwords == 0 && strcmp(w, "stats") == 0)
		o->action = CLIENT_STATS;
	else if (*nwords == 0 && strcmp(w, "watch") == 0)
		o->action = CLIENT_WATCH;
	else if (*nwords == 0 && strcmp(w, "bench") == 0)
		o->action = CLIENT_BENCH;
	else if (*nwords == 1 && o->action == CLIENT_WATCH) {
		if (seconds("interval", w, OPTS_INTERVAL_MIN,
		    OPTS_INTERVAL_MAX, &o->interval_ms, errmsg) == -1)
			return -1;
	} else {
		snprintf(errmsg, OPTS_ERR_MAX, "unexpected argument: %s", w);
		return -1;
	}
	(*nwords)++;
	return 0;
}

/* The sending styles: at most one, over TCP only.  NULL when fine. */
static const char *
bad_send_style(const struct client_opts *o)
{
	if (o->batch + o->trickle + o->half_close > 1)
		return "--batch, --half-close and --trickle are exclusive";
	if (o->mode == CLIENT_UDP && o->half_close)
		return "--half-close needs TCP";
	if (o->mode == CLIENT_UDP && o->batch)
		return "--batch needs TCP";
	if (o->mode == CLIENT_UDP && o->trickle)
		return "--trickle needs TCP";
	if (o->trickle_ms != -1 && !o->trickle)
		return "--trickle-ms needs --trickle";
	return NULL;
}

/* A bench option given without bench: the message, else NULL. */
static const char *
bench_option(const struct client_opts *o)
{
	const struct bench_opts	*b = &o->bench;

	if (b->procs != 0)
		return "-P needs bench";
	if (b->conns != 0)
		return "-N needs bench";
	if (b->requests != 0)
		return "-K needs bench";
	if (b->persistent)
		return "--persistent needs bench";
	if (b->proto_set)
		return "--proto needs bench";
	if (b->size != -1)
		return "--size needs bench";
	if (b->duration_ms != 0)
		return "--duration needs bench";
	if (b->progress)
		return "--progress needs bench";
	if (b->echo)
		return "--echo needs bench";
	if (b->hold_ms != 0)
		return "--hold needs bench";
	return NULL;
}

/*
 * bench sends its own requests.  --duration replaces the count it would
 * otherwise end on: -N for short connections, -K for persistent ones,
 * both over UDP.  NULL when fine.
 */
static const char *
bad_bench(const struct client_opts *o)
{
	const struct bench_opts	*b = &o->bench;
	int			 udp = o->mode == CLIENT_UDP;

	if (o->ncmds > 0)
		return "bench takes no -c";
	if (o->batch || o->trickle || o->half_close)
		return "bench takes no sending style";
	if (udp && b->persistent)
		return "--persistent needs TCP";
	if (udp && b->size > OPTS_UDP_SIZE_MAX)
		return "--size over UDP is at most 508 (a 512-byte reply)";
	if (b->hold_ms != 0 && !b->persistent)
		return "--hold needs --persistent";
	/* An echo server knows no frames: lines over TCP. */
	if (b->echo && o->mode == CLIENT_FRAME && b->proto_set)
		return "--echo needs --proto line or udp";
	if (b->duration_ms == 0)
		return NULL;
	if (udp && (b->conns != 0 || b->requests != 0))
		return "--duration over UDP takes no -N or -K";
	if (!udp && b->persistent && b->requests != 0)
		return "--duration with --persistent takes no -K";
	if (!udp && !b->persistent && b->conns != 0)
		return "--duration takes no -N without --persistent";
	return NULL;
}

/*
 * What goes with the word: bench options with bench only; stats and
 * watch send STATS themselves, over TCP.  NULL when fine.
 */
static const char *
bad_action(const struct client_opts *o)
{
	const char	*why;

	if (o->count != 0 && o->action != CLIENT_WATCH)
		return "--count needs watch";
	if (o->action != CLIENT_BENCH && (why = bench_option(o)) != NULL)
		return why;
	if (o->action == CLIENT_COMMANDS)
		return NULL;
	if (o->action == CLIENT_BENCH)
		return bad_bench(o);
	if (o->ncmds > 0)
		return "stats and watch take no -c";
	if (o->mode == CLIENT_UDP)
		return "stats and watch need TCP";
	if (o->batch || o->trickle || o->half_close)
		return "stats and watch take no sending style";
	return NULL;
}

static void
defaults(struct client_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->host = PROTO_DEFAULT_HOST;
	o->port = PROTO_DEFAULT_PORT;
	o->mode = CLIENT_FRAME;
	o->action = CLIENT_COMMANDS;
	o->interval_ms = 1000;
	/* Unset until fill_in(): these three and the zero bench counts. */
	o->timeout_ms = 0;
	o->trickle_ms = -1;
	o->bench.size = -1;
}

/* The defaults of what was left unset. */
static void
fill_in(struct client_opts *o)
{
	struct bench_opts	*b = &o->bench;

	if (o->trickle_ms == -1)
		o->trickle_ms = OPTS_TRICKLE_MS;
	/* A lost datagram costs a whole -t: keep a UDP bench moving. */
	if (o->timeout_ms == 0)
		o->timeout_ms = o->action == CLIENT_BENCH &&
		    o->mode == CLIENT_UDP ? OPTS_UDP_BENCH_MS : OPTS_TIMEOUT_MS;
	if (b->procs == 0)
		b->procs = OPTS_PROCS;
	if (b->conns == 0)
		b->conns = OPTS_CONNS;
	if (b->requests == 0)
		b->requests = OPTS_REQUESTS;
	if (b->size == -1)
		b->size = OPTS_SIZE;
	if (b->echo && o->mode == CLIENT_FRAME)
		o->mode = CLIENT_LINE;
}

/*
 * Options stop at the first word ('+'), so a word is taken and getopt
 * resumes after it: "forkc stats -p 8007" and "forkc -p 8007 stats" both
 * work, on every getopt.
 */
enum opts_result
opts_parse(struct client_opts *o, int argc, char **argv, char *errmsg)
{
	const char	*why;
	int		 ch, at, nwords = 0;

	defaults(o);
	errmsg[0] = '\0';
	if ((o->cmds = calloc((size_t)argc + 1, sizeof(char *))) == NULL) {
		snprintf(errmsg, OPTS_ERR_MAX, "out of memory");
		return OPTS_USAGE;
	}
	parse_getopt_reset();
	for (;;) {
		for (;;) {
			at = optind > 0 ? optind : 1;	/* the word read */
			if ((ch = getopt_long(argc, argv,
			    "+:c:H:hK:N:n:P:p:qt:uV", longopts, NULL)) == -1)
				break;
			if (ch == 'h')
				return OPTS_HELP;
			if (ch == 'V')
				return OPTS_VERSION;
			if (ch == '?' || ch == ':') {
				parse_option_error(ch, argv[at], errmsg,
				    OPTS_ERR_MAX);
				return OPTS_USAGE;
			}
			if (apply(o, ch, optarg, errmsg) == -1)
				return OPTS_USAGE;
		}
		if (optind >= argc)
			break;
		if (word(o, argv[optind++], &nwords, errmsg) == -1)
			return OPTS_USAGE;
	}
	if ((why = bad_send_style(o)) != NULL ||
	    (why = bad_action(o)) != NULL) {
		snprintf(errmsg, OPTS_ERR_MAX, "%s", why);
		return OPTS_USAGE;
	}
	fill_in(o);
	return OPTS_OK;
}

void
opts_free(struct client_opts *o)
{
	free(o->cmds);
	o->cmds = NULL;
}
