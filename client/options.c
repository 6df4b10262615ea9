/*
 * options: getopt_long for forkc, numbers checked.
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
"usage: forkc [-hquV] [-c command] [-H host] [-p port] [-t secs]\n"
"             [--half-close] [--line]\n";

enum { OPT_LINE = 256, OPT_HALF_CLOSE };

static const struct option longopts[] = {
	{ "host",	required_argument, NULL, 'H' },
	{ "port",	required_argument, NULL, 'p' },
	{ "command",	required_argument, NULL, 'c' },
	{ "udp",	no_argument,	   NULL, 'u' },
	{ "line",	no_argument,	   NULL, OPT_LINE },
	{ "half-close",	no_argument,	   NULL, OPT_HALF_CLOSE },
	{ "timeout",	required_argument, NULL, 't' },
	{ "quiet",	no_argument,	   NULL, 'q' },
	{ "help",	no_argument,	   NULL, 'h' },
	{ "version",	no_argument,	   NULL, 'V' },
	{ NULL,		0,		   NULL, 0 }
};

static int
apply(struct client_opts *o, int ch, char *arg, char *errmsg)
{
	const char	*errstr;
	long long	 v;

	switch (ch) {
	case 'H':
		o->host = arg;
		break;
	case 'p':
		if (parse_num(arg, 1, 65535, &v, &errstr) == -1) {
			snprintf(errmsg, OPTS_ERR_MAX, "port is %s: %s",
			    errstr, arg);
			return -1;
		}
		o->port = (int)v;
		break;
	case 'c':
		o->cmds[o->ncmds++] = arg;
		break;
	case 'u':
		o->mode = CLIENT_UDP;
		break;
	case OPT_LINE:
		o->mode = CLIENT_LINE;
		break;
	case OPT_HALF_CLOSE:
		o->half_close = 1;
		break;
	case 't':
		if (parse_seconds(arg, 1, 3600 * 1000, &v, &errstr) == -1) {
			snprintf(errmsg, OPTS_ERR_MAX, "timeout is %s: %s",
			    errstr, arg);
			return -1;
		}
		o->timeout_ms = (int)v;
		break;
	case 'q':
		o->quiet = 1;
		break;
	}
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

enum opts_result
opts_parse(struct client_opts *o, int argc, char **argv, char *errmsg)
{
	int	 ch;

	memset(o, 0, sizeof(*o));
	o->host = PROTO_DEFAULT_HOST;
	o->port = PROTO_DEFAULT_PORT;
	o->mode = CLIENT_FRAME;
	o->timeout_ms = 10 * 1000;
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
	while ((ch = getopt_long(argc, argv, ":c:H:hp:qt:uV", longopts,
	    NULL)) != -1) {
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
	if (optind < argc) {
		snprintf(errmsg, OPTS_ERR_MAX, "unexpected argument: %s",
		    argv[optind]);
		return OPTS_USAGE;
	}
	if (o->half_close && o->mode == CLIENT_UDP) {
		snprintf(errmsg, OPTS_ERR_MAX, "--half-close needs TCP");
		return OPTS_USAGE;
	}
	return OPTS_OK;
}

void
opts_free(struct client_opts *o)
{
	free(o->cmds);
	o->cmds = NULL;
}
