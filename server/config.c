/*
 * config: getopt_long over forkd's options, every number checked.  The
 * usage text below is the SYNOPSIS of forkd(1); keep the two identical.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "parse.h"
#include "proto.h"

const char config_usage[] =
"usage: forkd [-dhqVv] [-b addr] [-c max_children] [-p port] [-t idle]\n"
"             [--backlog n] [--debug-verbs] [--grace secs] [--log-file path]\n"
"             [--log-format kv|tcpserver] [--max-frame size]\n"
"             [--max-line size] [--model fork|prefork|iterative] [--no-udp]\n"
"             [--per-ip n] [--pidfile path] [--reap mode]\n"
"             [--request-timeout secs] [--udp-port port] [--udp-rate n]\n"
"             [--user name] [--when-full refuse|wait] [--workers n]\n"
"             [--write-timeout secs]\n";

enum {
	OPT_UDP_PORT = 256, OPT_NO_UDP, OPT_PER_IP, OPT_WHEN_FULL, OPT_BACKLOG,
	OPT_MAX_LINE, OPT_MAX_FRAME, OPT_GRACE, OPT_UDP_RATE, OPT_LOG_FILE,
	OPT_LOG_FORMAT, OPT_PIDFILE, OPT_DEBUG_VERBS, OPT_REAP,
	OPT_REQUEST_TIMEOUT, OPT_WRITE_TIMEOUT, OPT_USER, OPT_MODEL, OPT_WORKERS
};

static const struct option longopts[] = {
	{ "port",		required_argument, NULL, 'p' },
	{ "udp-port",		required_argument, NULL, OPT_UDP_PORT },
	{ "no-udp",		no_argument,	   NULL, OPT_NO_UDP },
	{ "bind",		required_argument, NULL, 'b' },
	{ "max-children",	required_argument, NULL, 'c' },
	{ "per-ip",		required_argument, NULL, OPT_PER_IP },
	{ "when-full",		required_argument, NULL, OPT_WHEN_FULL },
	{ "backlog",		required_argument, NULL, OPT_BACKLOG },
	{ "idle-timeout",	required_argument, NULL, 't' },
	{ "max-line",		required_argument, NULL, OPT_MAX_LINE },
	{ "max-frame",		required_argument, NULL, OPT_MAX_FRAME },
	{ "grace",		required_argument, NULL, OPT_GRACE },
	{ "udp-rate",		required_argument, NULL, OPT_UDP_RATE },
	{ "log-file",		required_argument, NULL, OPT_LOG_FILE },
	{ "log-format",		required_argument, NULL, OPT_LOG_FORMAT },
	{ "daemon",		no_argument,	   NULL, 'd' },
	{ "pidfile",		required_argument, NULL, OPT_PIDFILE },
	{ "debug-verbs",	no_argument,	   NULL, OPT_DEBUG_VERBS },
	{ "reap",		required_argument, NULL, OPT_REAP },
	{ "request-timeout",	required_argument, NULL, OPT_REQUEST_TIMEOUT },
	{ "write-timeout",	required_argument, NULL, OPT_WRITE_TIMEOUT },
	{ "user",		required_argument, NULL, OPT_USER },
	{ "model",		required_argument, NULL, OPT_MODEL },
	{ "workers",		required_argument, NULL, OPT_WORKERS },
	{ "verbose",		no_argument,	   NULL, 'v' },
	{ "quiet",		no_argument,	   NULL, 'q' },
	{ "help",		no_argument,	   NULL, 'h' },
	{ "version",		no_argument,	   NULL, 'V' },
	{ NULL,			0,		   NULL, 0 }
};

static const char *const model_names[] = {
	[MODEL_FORK] = "fork",
	[MODEL_PREFORK] = "prefork",
	[MODEL_ITERATIVE] = "iterative",
};

const char *
config_model_name(enum model m)
{
	return model_names[m];
}

void
config_defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->port = PROTO_DEFAULT_PORT;
	cfg->udp_port = -1;
	cfg->udp = 1;
	cfg->bind = PROTO_DEFAULT_HOST;
	cfg->max_children = 256;
	cfg->when_full = WHEN_FULL_REFUSE;
	cfg->model = MODEL_FORK;
	cfg->workers = 8;
	cfg->backlog = 128;
	cfg->idle_ms = 300 * 1000;
	cfg->request_ms = 30 * 1000;
	cfg->write_ms = 30 * 1000;
	cfg->max_line = PROTO_MAX_LINE;
	cfg->max_frame = PROTO_MAX_FRAME;
	cfg->grace_ms = 5 * 1000;
	cfg->udp_rate = 100;
	cfg->log_level = LOG_LVL_INFO;
}

/* One numeric option: its name, kind and range. */
struct numopt {
	const char	*name;
	int		 kind;	/* 'n' number, 's' size, 't' seconds */
	long long	 min, max;
};

static int
number(const struct numopt *o, const char *arg, long long *v, char *errmsg)
{
	const char	*errstr;
	int		 rc;

	if (o->kind == 's')
		rc = parse_size(arg, o->min, o->max, v, &errstr);
	else if (o->kind == 't')
		rc = parse_seconds(arg, o->min, o->max, v, &errstr);
	else
		rc = parse_num(arg, o->min, o->max, v, &errstr);
	if (rc == -1)
		snprintf(errmsg, CONFIG_ERR_MAX, "%s is %s: %s", o->name,
		    errstr, arg);
	return rc;
}

static const struct numopt
    o_port = { "port", 'n', 0, 65535 },
    o_children = { "max-children", 'n', 1, 1000000 },
    o_per_ip = { "per-ip", 'n', 0, 1000000 },
    o_backlog = { "backlog", 'n', 1, 65535 },
    o_idle = { "idle-timeout", 't', 1, 86400 * 1000LL },
    o_request = { "request-timeout", 't', 1, 86400 * 1000LL },
    o_write = { "write-timeout", 't', 1, 86400 * 1000LL },
    o_line = { "max-line", 's', 1, PROTO_FRAME_LIMIT - 1 },
    o_frame = { "max-frame", 's', 1, PROTO_FRAME_LIMIT - 1 },
    o_grace = { "grace", 't', 0, 3600 * 1000LL },
    o_rate = { "udp-rate", 'n', 1, 1000000 },
    o_workers = { "workers", 'n', 1, 10000 };

/* Apply one option; -1 (message in errmsg) on a bad value. */
static int
apply(struct config *cfg, int ch, const char *arg, char *errmsg)
{
	long long	 v;

	switch (ch) {
	case 'p':
		if (number(&o_port, arg, &v, errmsg) == -1)
			return -1;
		cfg->port = (int)v;
		break;
	case OPT_UDP_PORT:
		if (number(&o_port, arg, &v, errmsg) == -1)
			return -1;
		cfg->udp_port = (int)v;
		break;
	case OPT_NO_UDP:
		cfg->udp = 0;
		break;
	case 'b':
		cfg->bind = arg;
		break;
	case 'c':
		if (number(&o_children, arg, &v, errmsg) == -1)
			return -1;
		cfg->max_children = (int)v;
		break;
	case OPT_PER_IP:
		if (number(&o_per_ip, arg, &v, errmsg) == -1)
			return -1;
		cfg->per_ip = (int)v;
		break;
	case OPT_WHEN_FULL:
		if (strcmp(arg, "refuse") == 0)
			cfg->when_full = WHEN_FULL_REFUSE;
		else if (strcmp(arg, "wait") == 0)
			cfg->when_full = WHEN_FULL_WAIT;
		else {
			snprintf(errmsg, CONFIG_ERR_MAX,
			    "when-full must be refuse or wait: %s", arg);
			return -1;
		}
		break;
	case OPT_MODEL:
		for (v = 0; v <= MODEL_ITERATIVE; v++)
			if (strcmp(arg, model_names[v]) == 0)
				break;
		if (v > MODEL_ITERATIVE) {
			snprintf(errmsg, CONFIG_ERR_MAX,
			    "model must be fork, prefork or iterative: %s", arg);
			return -1;
		}
		cfg->model = (enum model)v;
		break;
	case OPT_WORKERS:
		if (number(&o_workers, arg, &v, errmsg) == -1)
			return -1;
		cfg->workers = (int)v;
		break;
	case OPT_BACKLOG:
		if (number(&o_backlog, arg, &v, errmsg) == -1)
			return -1;
		cfg->backlog = (int)v;
		break;
	case 't':
		return number(&o_idle, arg, &cfg->idle_ms, errmsg);
	case OPT_REQUEST_TIMEOUT:
		return number(&o_request, arg, &cfg->request_ms, errmsg);
	case OPT_WRITE_TIMEOUT:
		return number(&o_write, arg, &cfg->write_ms, errmsg);
	case OPT_MAX_LINE:
		return number(&o_line, arg, &cfg->max_line, errmsg);
	case OPT_MAX_FRAME:
		return number(&o_frame, arg, &cfg->max_frame, errmsg);
	case OPT_GRACE:
		return number(&o_grace, arg, &cfg->grace_ms, errmsg);
	case OPT_UDP_RATE:
		if (number(&o_rate, arg, &v, errmsg) == -1)
			return -1;
		cfg->udp_rate = (int)v;
		break;
	case OPT_LOG_FILE:
		cfg->log_file = arg;
		break;
	case OPT_LOG_FORMAT:
		if (strcmp(arg, "kv") == 0)
			cfg->log_style = LOG_STYLE_KV;
		else if (strcmp(arg, "tcpserver") == 0)
			cfg->log_style = LOG_STYLE_TCPSERVER;
		else {
			snprintf(errmsg, CONFIG_ERR_MAX,
			    "log-format must be kv or tcpserver: %s", arg);
			return -1;
		}
		break;
	case 'd':
		cfg->daemon = 1;
		break;
	case OPT_PIDFILE:
		cfg->pidfile = arg;
		break;
	case OPT_USER:
		cfg->user = arg;
		break;
	case OPT_DEBUG_VERBS:
		cfg->debug_verbs = 1;
		break;
	case OPT_REAP:
		if (reaper_mode_parse(arg, &cfg->reap) == -1) {
			snprintf(errmsg, CONFIG_ERR_MAX, "reap must be selfpipe, "
			    "handler, blocked or wait-bug: %s", arg);
			return -1;
		}
		break;
	case 'v':
		if (cfg->log_level < LOG_LVL_TRACE)
			cfg->log_level++;
		break;
	case 'q':
		cfg->log_level = LOG_LVL_WARN;
		break;
	}
	return 0;
}

/* Options that only make sense together (or not at all). */
static enum config_result
check_model(struct config *cfg, char *errmsg)
{
	if (cfg->model == MODEL_PREFORK && cfg->workers > cfg->max_children) {
		snprintf(errmsg, CONFIG_ERR_MAX, "workers (%d) is over "
		    "max-children (%d)", cfg->workers, cfg->max_children);
		return CONFIG_USAGE;
	}
	/* CRASH would abort the one process that serves everybody. */
	if (cfg->model == MODEL_ITERATIVE && cfg->debug_verbs) {
		snprintf(errmsg, CONFIG_ERR_MAX,
		    "debug-verbs needs children: not with model iterative");
		return CONFIG_USAGE;
	}
	return CONFIG_OK;
}

enum config_result
config_parse(struct config *cfg, int argc, char **argv, char *errmsg)
{
	int	 ch, at;

	config_defaults(cfg);
	errmsg[0] = '\0';
	parse_getopt_reset();
	for (;;) {
		at = optind > 0 ? optind : 1;	/* the word getopt reads */
		if ((ch = getopt_long(argc, argv, ":b:c:dhp:qt:Vv", longopts,
		    NULL)) == -1)
			break;
		if (ch == 'h')
			return CONFIG_HELP;
		if (ch == 'V')
			return CONFIG_VERSION;
		if (ch == '?' || ch == ':') {
			parse_option_error(ch, argv[at], errmsg,
			    CONFIG_ERR_MAX);
			return CONFIG_USAGE;
		}
		if (apply(cfg, ch, optarg, errmsg) == -1)
			return CONFIG_USAGE;
	}
	if (optind < argc) {
		snprintf(errmsg, CONFIG_ERR_MAX, "unexpected argument: %s",
		    argv[optind]);
		return CONFIG_USAGE;
	}
	return check_model(cfg, errmsg);
}
