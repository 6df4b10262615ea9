/*
 * options: forkc's command line, parsed into a struct without printing or
 * exiting, so it can be unit-tested.  Besides the options, one trailing
 * word picks what forkc does: run commands (none), "stats", "watch" or
 * "bench".
 */
#ifndef OPTIONS_H
#define OPTIONS_H

enum client_mode { CLIENT_FRAME, CLIENT_LINE, CLIENT_UDP };
enum client_action { CLIENT_COMMANDS, CLIENT_STATS, CLIENT_WATCH,
	CLIENT_BENCH };

/* forkc bench: P processes x N connections x K requests (bench.h). */
struct bench_opts {
	int		  procs;	/* -P */
	int		  conns;	/* -N, per process */
	int		  requests;	/* -K, per connection */
	int		  persistent;	/* connections opened once */
	int		  size;		/* ECHO payload bytes */
	int		  duration_ms;	/* instead of a count; 0: none */
	int		  progress;	/* a progress line even off a tty */
	int		  echo;		/* a plain echo server: no greeting,
					   no verb, the line comes back */
	int		  hold_ms;	/* --persistent: pause after round 1 */
	int		  proto_set;	/* --proto was given */
};

struct client_opts {
	const char	 *host;
	int		  port;
	enum client_mode  mode;
	enum client_action action;
	int		  half_close;
	int		  batch;	/* every request in one write */
	int		  trickle;	/* each request one byte per write */
	int		  trickle_ms;	/* pause between those bytes */
	int		  quiet;
	int		  timeout_ms;
	int		  interval_ms;	/* watch: time between refreshes */
	int		  count;	/* watch: refreshes, 0 = until Ctrl-C */
	char		**cmds;		/* the -c commands, in order */
	int		  ncmds;
	struct bench_opts bench;
};

enum opts_result { OPTS_OK, OPTS_USAGE, OPTS_HELP, OPTS_VERSION };

#define OPTS_ERR_MAX		256
#define OPTS_INTERVAL_MIN	100		/* watch: 0.1 s */
#define OPTS_INTERVAL_MAX	(24 * 3600 * 1000)
#define OPTS_TRICKLE_MS		2		/* default --trickle-ms */
#define OPTS_TIMEOUT_MS		10000		/* default -t */
#define OPTS_UDP_BENCH_MS	1000		/* default -t of a UDP bench */
#define OPTS_PROCS		4		/* default -P */
#define OPTS_PROCS_MAX		512
#define OPTS_CONNS		100		/* default -N */
#define OPTS_REQUESTS		1		/* default -K */
#define OPTS_COUNT_MAX		(1000 * 1000 * 1000)
#define OPTS_SIZE		16		/* default --size */
#define OPTS_UDP_SIZE_MAX	508		/* "+OK " + 508 = 512 bytes */

/*
 * Parse argv.  o->cmds points into a heap array of argc entries that the
 * caller frees with opts_free().  On OPTS_USAGE, errmsg holds the reason.
 */
enum opts_result opts_parse(struct client_opts *, int argc, char **argv,
	    char *errmsg);
void	opts_free(struct client_opts *);
/* The usage text, identical to the SYNOPSIS of forkc(1). */
extern const char opts_usage[];

#endif
