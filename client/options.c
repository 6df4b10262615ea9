/*
 * options: getopt_long for forkc, numbers checked, and the combinations
 * that make no sense (a sending style over UDP, two sending styles at
 * once, -c with stats) refused here rather than half-honoured later.
 */
#include <ctype.h>
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
"             [--trickle-ms ms] [stats | watch [secs]]\n";

enum {
	OPT_LINE = 256, OPT_HALF_CLOSE, OPT_BATCH, OPT_TRICKLE, OPT_TRICKLE_MS
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

static int
apply(struct client_opts *o, int ch, char *arg, char *errmsg)
{
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
 * A word after the options: "stats", or "watch" and then at most one
 * interval.  *nwords counts the words taken so far.
 */
static int
word(struct client_opts *o, const char *w, int *nwords, char *errmsg)
{
	if (*nwords == 0 && strcmp(w, "stats") == 0)
		o->action = CLIENT_STATS;
	else if (*nwords == 0 && strcmp(w, "watch") == 0)
		o->action = CLIENT_WATCH;
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

/* Say which option getopt stumbled on: "-x" or "--long". */
static void
bad_option(int ch, const char *word, char *errmsg)
{
	const char	*what = ch == ':' ? "option needs a value" :
	    "unknown option";

	/* optopt is a character for short options only. */
	if (optopt > 0 && optopt < 128 && isalnum(optopt))
		snprintf(errmsg, OPTS_ERR_MAX, "%s: -%c", what, optopt);
	else
		snprintf(errmsg, OPTS_ERR_MAX, "%s: %s", what, word);
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

/* stats and watch send STATS themselves, over TCP.  NULL when fine. */
static const char *
bad_action(const struct client_opts *o)
{
	if (o->count != 0 && o->action != CLIENT_WATCH)
		return "--count needs watch";
	if (o->action == CLIENT_COMMANDS)
		return NULL;
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
	o->timeout_ms = 10 * 1000;
	o->interval_ms = 1000;
	o->trickle_ms = -1;		/* unset until the end */
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
	int		 ch, nwords = 0;

	defaults(o);
	errmsg[0] = '\0';
	if ((o->cmds = calloc((size_t)argc + 1, sizeof(char *))) == NULL) {
		snprintf(errmsg, OPTS_ERR_MAX, "out of memory");
		return OPTS_USAGE;
	}
#ifdef __GLIBC__
	optind = 0;
#else
	optind = 1;
#endif
	opterr = 0;
	for (;;) {
		while ((ch = getopt_long(argc, argv, "+:c:H:hn:p:qt:uV",
		    longopts, NULL)) != -1) {
			if (ch == 'h')
				return OPTS_HELP;
			if (ch == 'V')
				return OPTS_VERSION;
			if (ch == '?' || ch == ':') {
				bad_option(ch, argv[optind - 1], errmsg);
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
	if (o->trickle_ms == -1)
		o->trickle_ms = OPTS_TRICKLE_MS;
	return OPTS_OK;
}

void
opts_free(struct client_opts *o)
{
	free(o->cmds);
	o->cmds = NULL;
}
