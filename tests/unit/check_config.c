/*
 * check_config: forkd's command line.  Defaults equal SPEC §2; every
 * option in long and short form; -v/-vv/-q levels; usage errors (bad
 * numbers, unknown options, missing values, stray arguments) with a
 * one-line message; -h, -V; repeated parses start afresh.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <check.h>

#include "config.h"
#include "suites.h"

#define MAXARGS		16
#define ARGLEN		1200

/* A writable argv, as getopt may permute it. */
struct args {
	char	 buf[MAXARGS][ARGLEN];
	char	*argv[MAXARGS + 1];
	int	 argc;
};

static void
args_setv(struct args *a, const char *const *words)
{
	int	 i;

	for (i = 0; words[i] != NULL; i++) {
		ck_assert_int_lt(i, MAXARGS);
		ck_assert_uint_lt(strlen(words[i]), ARGLEN);
		snprintf(a->buf[i], ARGLEN, "%s", words[i]);
		a->argv[i] = a->buf[i];
	}
	a->argv[i] = NULL;
	a->argc = i;
}

/* config_parse of "forkd" and the words, NULL-terminated. */
static enum config_result
parse(struct config *cfg, char *errmsg, struct args *a, ...)
    __attribute__((sentinel));

static enum config_result
parse(struct config *cfg, char *errmsg, struct args *a, ...)
{
	const char	*words[MAXARGS + 1];
	va_list		 ap;
	int		 n = 0;

	words[n++] = "forkd";
	va_start(ap, a);
	while ((words[n] = va_arg(ap, const char *)) != NULL) {
		n++;
		ck_assert_int_lt(n, MAXARGS);
	}
	va_end(ap);
	args_setv(a, words);
	return config_parse(cfg, a->argc, a->argv, errmsg);
}

static void
assert_defaults(const struct config *cfg)
{
	ck_assert_int_eq(cfg->port, 8007);
	ck_assert_int_eq(cfg->udp_port, -1);
	ck_assert_int_eq(cfg->udp, 1);
	ck_assert_str_eq(cfg->bind, "127.0.0.1");
	ck_assert_int_eq(cfg->max_children, 256);
	ck_assert_int_eq(cfg->per_ip, 0);
	ck_assert_int_eq(cfg->when_full, WHEN_FULL_REFUSE);
	ck_assert_int_eq(cfg->backlog, 128);
	ck_assert_int_eq(cfg->idle_ms, 300000);
	ck_assert_int_eq(cfg->max_line, 8192);
	ck_assert_int_eq(cfg->max_frame, 1048576);
	ck_assert_int_eq(cfg->grace_ms, 5000);
	ck_assert_int_eq(cfg->udp_rate, 100);
	ck_assert_int_eq(cfg->log_level, LOG_LVL_INFO);
	ck_assert_int_eq(cfg->log_style, LOG_STYLE_KV);
	ck_assert_ptr_null(cfg->log_file);
	ck_assert_int_eq(cfg->daemon, 0);
	ck_assert_int_eq(cfg->debug_verbs, 0);
	ck_assert_int_eq(cfg->reap, REAP_SELFPIPE);
	ck_assert_int_eq(cfg->request_ms, 30000);
	ck_assert_int_eq(cfg->write_ms, 30000);
	ck_assert_ptr_null(cfg->pidfile);
	ck_assert_int_eq(cfg->model, MODEL_FORK);
	ck_assert_int_eq(cfg->workers, 8);
}

/* A usage error: a non-empty message on one printable line. */
static void
assert_usage_msg(const char *errmsg)
{
	const char	*p;

	ck_assert_msg(errmsg[0] != '\0', "empty usage message");
	ck_assert_uint_lt(strlen(errmsg), CONFIG_ERR_MAX);
	for (p = errmsg; *p != '\0'; p++)
		ck_assert_msg(isprint((unsigned char)*p),
		    "byte 0x%02x at %zu in usage message \"%s\"",
		    (unsigned char)*p, (size_t)(p - errmsg), errmsg);
}

START_TEST(test_defaults)
{
	struct config	 cfg;

	memset(&cfg, 0x5a, sizeof(cfg));
	config_defaults(&cfg);
	assert_defaults(&cfg);
}
END_TEST

START_TEST(test_no_args)
{
	struct config	 cfg;
	struct args	 a;
	char		 err[CONFIG_ERR_MAX];

	memset(&cfg, 0x5a, sizeof(cfg));
	memset(err, 'x', sizeof(err));
	ck_assert_int_eq(parse(&cfg, err, &a, (char *)NULL), CONFIG_OK);
	assert_defaults(&cfg);
	ck_assert_str_eq(err, "");
}
END_TEST

enum field {
	F_NONE, F_PORT, F_UDP_PORT, F_UDP, F_BIND, F_MAX_CHILDREN, F_PER_IP,
	F_WHEN_FULL, F_BACKLOG, F_IDLE, F_MAX_LINE, F_MAX_FRAME, F_GRACE,
	F_UDP_RATE, F_LEVEL, F_LOG_FILE, F_DAEMON, F_PIDFILE, F_LOG_STYLE,
	F_DEBUG_VERBS, F_REAP, F_REQUEST, F_WRITE, F_USER, F_MODEL, F_WORKERS
};

/* One option, short or long: the words and the field it sets. */
static const struct opt_case {
	const char	*w[3];
	enum field	 field;
	long long	 num;
	const char	*str;
} opt_cases[] = {
	{ { "-p", "9000" }, F_PORT, 9000, NULL },
	{ { "-p9001" }, F_PORT, 9001, NULL },
	{ { "--port", "9002" }, F_PORT, 9002, NULL },
	{ { "--port=9003" }, F_PORT, 9003, NULL },
	{ { "-p", "0" }, F_PORT, 0, NULL },
	{ { "--udp-port", "9100" }, F_UDP_PORT, 9100, NULL },
	{ { "--udp-port=0" }, F_UDP_PORT, 0, NULL },
	{ { "--no-udp" }, F_UDP, 0, NULL },
	{ { "-b", "::" }, F_BIND, 0, "::" },
	{ { "--bind", "0.0.0.0" }, F_BIND, 0, "0.0.0.0" },
	{ { "--bind=::1" }, F_BIND, 0, "::1" },
	{ { "-c", "10" }, F_MAX_CHILDREN, 10, NULL },
	{ { "--max-children", "1" }, F_MAX_CHILDREN, 1, NULL },
	{ { "--per-ip", "3" }, F_PER_IP, 3, NULL },
	{ { "--per-ip", "0" }, F_PER_IP, 0, NULL },
	{ { "--when-full", "wait" }, F_WHEN_FULL, WHEN_FULL_WAIT, NULL },
	{ { "--when-full", "refuse" }, F_WHEN_FULL, WHEN_FULL_REFUSE, NULL },
	{ { "--backlog", "16" }, F_BACKLOG, 16, NULL },
	{ { "-t", "30" }, F_IDLE, 30000, NULL },
	{ { "--idle-timeout", "0.5" }, F_IDLE, 500, NULL },
	{ { "--max-line", "16K" }, F_MAX_LINE, 16384, NULL },
	{ { "--max-line", "100" }, F_MAX_LINE, 100, NULL },
	{ { "--max-frame", "2M" }, F_MAX_FRAME, 2097152, NULL },
	{ { "--max-frame", "16777215" }, F_MAX_FRAME, 16777215, NULL },
	{ { "--grace", "0" }, F_GRACE, 0, NULL },
	{ { "--grace", "2.5" }, F_GRACE, 2500, NULL },
	{ { "--udp-rate", "5" }, F_UDP_RATE, 5, NULL },
	{ { "-v" }, F_LEVEL, LOG_LVL_DEBUG, NULL },
	{ { "--verbose" }, F_LEVEL, LOG_LVL_DEBUG, NULL },
	{ { "-vv" }, F_LEVEL, LOG_LVL_TRACE, NULL },
	{ { "-v", "-v" }, F_LEVEL, LOG_LVL_TRACE, NULL },
	{ { "--verbose", "--verbose" }, F_LEVEL, LOG_LVL_TRACE, NULL },
	{ { "-vvv" }, F_LEVEL, LOG_LVL_TRACE, NULL },
	{ { "-q" }, F_LEVEL, LOG_LVL_WARN, NULL },
	{ { "--quiet" }, F_LEVEL, LOG_LVL_WARN, NULL },
	{ { "--log-file", "/tmp/forkd.log" }, F_LOG_FILE, 0,
	    "/tmp/forkd.log" },
	{ { "-d" }, F_DAEMON, 1, NULL },
	{ { "--daemon" }, F_DAEMON, 1, NULL },
	{ { "--debug-verbs" }, F_DEBUG_VERBS, 1, NULL },
	{ { "--reap", "selfpipe" }, F_REAP, REAP_SELFPIPE, NULL },
	{ { "--request-timeout", "2.5" }, F_REQUEST, 2500, NULL },
	{ { "--write-timeout", "1" }, F_WRITE, 1000, NULL },
	{ { "--reap", "handler" }, F_REAP, REAP_HANDLER, NULL },
	{ { "--reap", "blocked" }, F_REAP, REAP_BLOCKED, NULL },
	{ { "--reap", "wait-bug" }, F_REAP, REAP_WAIT_BUG, NULL },
	{ { "--pidfile", "/tmp/forkd.pid" }, F_PIDFILE, 0, "/tmp/forkd.pid" },
	{ { "--user", "nobody" }, F_USER, 0, "nobody" },
	{ { "--model", "fork" }, F_MODEL, MODEL_FORK, NULL },
	{ { "--model", "prefork" }, F_MODEL, MODEL_PREFORK, NULL },
	{ { "--model=iterative" }, F_MODEL, MODEL_ITERATIVE, NULL },
	{ { "--workers", "1" }, F_WORKERS, 1, NULL },
	{ { "--workers", "256" }, F_WORKERS, 256, NULL },
	{ { "--log-format", "kv" }, F_LOG_STYLE, LOG_STYLE_KV, NULL },
	/* SPEC §2: kv or tcpserver. */
	{ { "--log-format", "tcpserver" }, F_LOG_STYLE, LOG_STYLE_TCPSERVER,
	    NULL },
};

static long long
num_field(const struct config *cfg, enum field f)
{
	switch (f) {
	case F_PORT:
		return cfg->port;
	case F_UDP_PORT:
		return cfg->udp_port;
	case F_UDP:
		return cfg->udp;
	case F_MAX_CHILDREN:
		return cfg->max_children;
	case F_PER_IP:
		return cfg->per_ip;
	case F_WHEN_FULL:
		return cfg->when_full;
	case F_BACKLOG:
		return cfg->backlog;
	case F_IDLE:
		return cfg->idle_ms;
	case F_MAX_LINE:
		return cfg->max_line;
	case F_MAX_FRAME:
		return cfg->max_frame;
	case F_GRACE:
		return cfg->grace_ms;
	case F_UDP_RATE:
		return cfg->udp_rate;
	case F_LEVEL:
		return cfg->log_level;
	case F_DAEMON:
		return cfg->daemon;
	case F_LOG_STYLE:
		return cfg->log_style;
	case F_DEBUG_VERBS:
		return cfg->debug_verbs;
	case F_REAP:
		return cfg->reap;
	case F_REQUEST:
		return cfg->request_ms;
	case F_WRITE:
		return cfg->write_ms;
	case F_MODEL:
		return cfg->model;
	case F_WORKERS:
		return cfg->workers;
	default:
		ck_abort_msg("field %d is not a number", (int)f);
	}
	return -1;
}

START_TEST(test_option)
{
	const struct opt_case	*oc = &opt_cases[_i];
	struct config		 cfg;
	struct args		 a;
	char			 err[CONFIG_ERR_MAX];
	enum config_result	 rc;

	rc = parse(&cfg, err, &a, oc->w[0], oc->w[1], oc->w[2],
	    (char *)NULL);
	ck_assert_msg(rc == CONFIG_OK, "%s %s: result %d: %s", oc->w[0],
	    oc->w[1] ? oc->w[1] : "", (int)rc, err);
	switch (oc->field) {
	case F_NONE:
		break;
	case F_BIND:
		ck_assert_str_eq(cfg.bind, oc->str);
		break;
	case F_LOG_FILE:
		ck_assert_pstr_eq(cfg.log_file, oc->str);
		break;
	case F_PIDFILE:
		ck_assert_pstr_eq(cfg.pidfile, oc->str);
		break;
	case F_USER:
		ck_assert_pstr_eq(cfg.user, oc->str);
		break;
	default:
		ck_assert_msg(num_field(&cfg, oc->field) == oc->num,
		    "%s %s: got %lld, want %lld", oc->w[0],
		    oc->w[1] ? oc->w[1] : "", num_field(&cfg, oc->field),
		    oc->num);
	}
	/* The port is only changed by -p. */
	if (oc->field != F_PORT)
		ck_assert_int_eq(cfg.port, 8007);
}
END_TEST

START_TEST(test_combined)
{
	struct config	 cfg;
	struct args	 a;
	char		 err[CONFIG_ERR_MAX];

	ck_assert_int_eq(parse(&cfg, err, &a, "-p", "9000", "-c", "4",
	    "--per-ip=2", "--no-udp", "-vv", "--when-full", "wait", "-b",
	    "::", "-t", "1.5", (char *)NULL), CONFIG_OK);
	ck_assert_int_eq(cfg.port, 9000);
	ck_assert_int_eq(cfg.max_children, 4);
	ck_assert_int_eq(cfg.per_ip, 2);
	ck_assert_int_eq(cfg.udp, 0);
	ck_assert_int_eq(cfg.log_level, LOG_LVL_TRACE);
	ck_assert_int_eq(cfg.when_full, WHEN_FULL_WAIT);
	ck_assert_str_eq(cfg.bind, "::");
	ck_assert_int_eq(cfg.idle_ms, 1500);
	/* Untouched ones keep their defaults. */
	ck_assert_int_eq(cfg.backlog, 128);
	ck_assert_int_eq(cfg.max_frame, 1048576);
	ck_assert_int_eq(cfg.udp_port, -1);
}
END_TEST

START_TEST(test_help_version)
{
	struct config	 cfg;
	struct args	 a;
	char		 err[CONFIG_ERR_MAX];

	ck_assert_int_eq(parse(&cfg, err, &a, "-h", (char *)NULL),
	    CONFIG_HELP);
	ck_assert_int_eq(parse(&cfg, err, &a, "--help", (char *)NULL),
	    CONFIG_HELP);
	ck_assert_int_eq(parse(&cfg, err, &a, "-p", "1", "-h", (char *)NULL),
	    CONFIG_HELP);
	ck_assert_int_eq(parse(&cfg, err, &a, "-V", (char *)NULL),
	    CONFIG_VERSION);
	ck_assert_int_eq(parse(&cfg, err, &a, "--version", (char *)NULL),
	    CONFIG_VERSION);
}
END_TEST

START_TEST(test_repeated)
{
	struct config	 cfg;
	struct args	 a;
	char		 err[CONFIG_ERR_MAX];

	/* Each call starts from the defaults and from argv[1]. */
	ck_assert_int_eq(parse(&cfg, err, &a, "-p", "1", "-vv", (char *)NULL),
	    CONFIG_OK);
	ck_assert_int_eq(cfg.port, 1);
	ck_assert_int_eq(parse(&cfg, err, &a, "-c", "3", (char *)NULL),
	    CONFIG_OK);
	ck_assert_int_eq(cfg.port, 8007);
	ck_assert_int_eq(cfg.max_children, 3);
	ck_assert_int_eq(cfg.log_level, LOG_LVL_INFO);
	/* An error in the middle leaves getopt mid-argv... */
	ck_assert_int_eq(parse(&cfg, err, &a, "-p", "2", "-x", "-c", "5",
	    (char *)NULL), CONFIG_USAGE);
	/* ...and the next parse still sees every word. */
	ck_assert_int_eq(parse(&cfg, err, &a, "-p", "7", "-c", "9",
	    (char *)NULL), CONFIG_OK);
	ck_assert_int_eq(cfg.port, 7);
	ck_assert_int_eq(cfg.max_children, 9);
	ck_assert_str_eq(err, "");
	/* A grouped short option cut short by -h, then a fresh parse. */
	ck_assert_int_eq(parse(&cfg, err, &a, "-vhq", (char *)NULL),
	    CONFIG_HELP);
	ck_assert_int_eq(parse(&cfg, err, &a, "-q", (char *)NULL), CONFIG_OK);
	ck_assert_int_eq(cfg.log_level, LOG_LVL_WARN);
}
END_TEST

START_TEST(test_usage_text)
{
	static const char *const opts[] = {
		"-b", "-c", "-p", "-t", "--backlog", "--debug-verbs", "--grace",
		"--log-file", "--reap", "--request-timeout", "--write-timeout",
		"--user",
		"--log-format", "--max-frame", "--max-line", "--no-udp",
		"--per-ip", "--pidfile", "--udp-port", "--udp-rate",
		"--when-full",
	};
	size_t	 i;

	ck_assert_int_eq(strncmp(config_usage, "usage: forkd ", 13), 0);
	ck_assert_int_eq(config_usage[strlen(config_usage) - 1], '\n');
	ck_assert_ptr_nonnull(strstr(config_usage, "[-dhqVv]"));
	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		ck_assert_msg(strstr(config_usage, opts[i]) != NULL,
		    "usage does not mention %s", opts[i]);
}
END_TEST

/* Bad values: each is a usage error with a reason. */
static const char *const bad_cases[][3] = {
	{ "--max-frame", "16M" },
	{ "--max-frame", "16777216" },
	{ "--max-frame", "17M" },
	{ "--max-frame", "1G" },
	{ "--max-frame", "0" },
	{ "--max-line", "16M" },
	{ "--max-line", "0" },
	{ "-p", "65536" },
	{ "-p", "-1" },
	{ "-p", "abc" },
	{ "-p", "80x" },
	{ "-p", "" },
	{ "--udp-port", "70000" },
	{ "-c", "0" },
	{ "-c", "many" },
	{ "--per-ip", "-1" },
	{ "--backlog", "0" },
	{ "-t", "0" },
	{ "-t", "abc" },
	{ "-t", "1.2345" },
	{ "--grace", "-1" },
	{ "--grace", "1h" },
	{ "--udp-rate", "0" },
	{ "--when-full", "maybe" },
	{ "--when-full", "" },
	{ "--log-format", "json" },
	{ "--reap", "sometimes" },
	{ "--model", "threads" },
	{ "--model", "" },
	{ "--model", "Fork" },
	{ "--workers", "0" },
};

START_TEST(test_bad_value)
{
	const char *const	*w = bad_cases[_i];
	struct config		 cfg;
	struct args		 a;
	char			 err[CONFIG_ERR_MAX];

	ck_assert_msg(parse(&cfg, err, &a, w[0], w[1], (char *)NULL) ==
	    CONFIG_USAGE, "%s '%s' was accepted", w[0], w[1]);
	assert_usage_msg(err);
}
END_TEST

/* Options that only make sense together, and the model names. */
START_TEST(test_model_combinations)
{
	struct config	 cfg;
	struct args	 a;
	char		 err[CONFIG_ERR_MAX];

	ck_assert_int_eq(parse(&cfg, err, &a, "--model", "prefork",
	    "--workers", "9", "-c", "8", (char *)NULL), CONFIG_USAGE);
	assert_usage_msg(err);
	ck_assert_ptr_nonnull(strstr(err, "workers"));
	ck_assert_int_eq(parse(&cfg, err, &a, "--model", "prefork",
	    "--workers", "8", "-c", "8", (char *)NULL), CONFIG_OK);
	ck_assert_int_eq(cfg.workers, 8);
	/* --workers only bounds prefork. */
	ck_assert_int_eq(parse(&cfg, err, &a, "--workers", "9", "-c", "8",
	    (char *)NULL), CONFIG_OK);
	ck_assert_int_eq(parse(&cfg, err, &a, "--model", "iterative",
	    "--debug-verbs", (char *)NULL), CONFIG_USAGE);
	assert_usage_msg(err);
	ck_assert_ptr_nonnull(strstr(err, "debug-verbs"));
	ck_assert_int_eq(parse(&cfg, err, &a, "--model", "prefork",
	    "--debug-verbs", (char *)NULL), CONFIG_OK);
	ck_assert_str_eq(config_model_name(MODEL_FORK), "fork");
	ck_assert_str_eq(config_model_name(MODEL_PREFORK), "prefork");
	ck_assert_str_eq(config_model_name(MODEL_ITERATIVE), "iterative");
}
END_TEST

START_TEST(test_unknown_option)
{
	struct config	 cfg;
	struct args	 a;
	char		 err[CONFIG_ERR_MAX];

	ck_assert_int_eq(parse(&cfg, err, &a, "-x", (char *)NULL),
	    CONFIG_USAGE);
	assert_usage_msg(err);
	ck_assert_ptr_nonnull(strstr(err, "-x"));
	ck_assert_int_eq(parse(&cfg, err, &a, "--bogus", (char *)NULL),
	    CONFIG_USAGE);
	assert_usage_msg(err);
	ck_assert_ptr_nonnull(strstr(err, "bogus"));
	/* After an unknown short option, an unknown long one. */
	ck_assert_int_eq(parse(&cfg, err, &a, "-x", (char *)NULL),
	    CONFIG_USAGE);
	ck_assert_int_eq(parse(&cfg, err, &a, "-p", "1", "--frobnicate",
	    (char *)NULL), CONFIG_USAGE);
	assert_usage_msg(err);
	ck_assert_ptr_nonnull(strstr(err, "frobnicate"));
}
END_TEST

/* A value is missing: the message must say for which option. */
static const char *const missing_cases[][3] = {
	/* word, and two acceptable ways to name it */
	{ "-p", "-p", "port" },
	{ "-c", "-c", "max-children" },
	{ "-b", "-b", "bind" },
	{ "-t", "-t", "idle-timeout" },
	{ "--port", "-p", "port" },
	{ "--udp-port", "udp-port", "udp-port" },
	{ "--per-ip", "per-ip", "per-ip" },
	{ "--when-full", "when-full", "when-full" },
	{ "--backlog", "backlog", "backlog" },
	{ "--max-line", "max-line", "max-line" },
	{ "--max-frame", "max-frame", "max-frame" },
	{ "--grace", "grace", "grace" },
	{ "--udp-rate", "udp-rate", "udp-rate" },
	{ "--log-file", "log-file", "log-file" },
	{ "--log-format", "log-format", "log-format" },
	{ "--pidfile", "pidfile", "pidfile" },
	{ "--model", "model", "model" },
	{ "--workers", "workers", "workers" },
};

START_TEST(test_missing_value)
{
	const char *const	*w = missing_cases[_i];
	struct config		 cfg;
	struct args		 a;
	char			 err[CONFIG_ERR_MAX];

	ck_assert_int_eq(parse(&cfg, err, &a, w[0], (char *)NULL),
	    CONFIG_USAGE);
	assert_usage_msg(err);
	ck_assert_msg(strstr(err, w[1]) != NULL || strstr(err, w[2]) != NULL,
	    "%s without a value: message \"%s\" does not name it", w[0], err);
}
END_TEST

START_TEST(test_stray_argument)
{
	struct config	 cfg;
	struct args	 a;
	char		 err[CONFIG_ERR_MAX];

	ck_assert_int_eq(parse(&cfg, err, &a, "extra", (char *)NULL),
	    CONFIG_USAGE);
	assert_usage_msg(err);
	ck_assert_ptr_nonnull(strstr(err, "extra"));
	ck_assert_int_eq(parse(&cfg, err, &a, "-p", "9000", "stray",
	    (char *)NULL), CONFIG_USAGE);
	assert_usage_msg(err);
	ck_assert_ptr_nonnull(strstr(err, "stray"));
	ck_assert_int_eq(parse(&cfg, err, &a, "--", "after", (char *)NULL),
	    CONFIG_USAGE);
	assert_usage_msg(err);
}
END_TEST

START_TEST(test_long_message)
{
	struct config	 cfg;
	struct args	 a;
	char		 err[CONFIG_ERR_MAX + 16], big[1000];

	/* A huge bad value: the message is cut to CONFIG_ERR_MAX. */
	memset(big, '9', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	big[0] = 'x';
	memset(err, 'Z', sizeof(err));
	ck_assert_int_eq(parse(&cfg, err, &a, "-p", big, (char *)NULL),
	    CONFIG_USAGE);
	assert_usage_msg(err);
	ck_assert_mem_eq(err + CONFIG_ERR_MAX, "ZZZZZZZZZZZZZZZZ", 16);
}
END_TEST

#define NCASES(a)	((int)(sizeof(a) / sizeof((a)[0])))

Suite *
config_suite(void)
{
	Suite	*s = suite_create("config");
	TCase	*tc;

	tc = tcase_create("Core");
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_no_args);
	tcase_add_loop_test(tc, test_option, 0, NCASES(opt_cases));
	tcase_add_test(tc, test_combined);
	tcase_add_test(tc, test_help_version);
	tcase_add_test(tc, test_repeated);
	tcase_add_test(tc, test_usage_text);
	suite_add_tcase(s, tc);

	tc = tcase_create("Limits");
	tcase_set_timeout(tc, 10);
	tcase_add_loop_test(tc, test_bad_value, 0, NCASES(bad_cases));
	tcase_add_test(tc, test_model_combinations);
	tcase_add_test(tc, test_unknown_option);
	tcase_add_loop_test(tc, test_missing_value, 0, NCASES(missing_cases));
	tcase_add_test(tc, test_stray_argument);
	tcase_add_test(tc, test_long_message);
	suite_add_tcase(s, tc);
	return s;
}
