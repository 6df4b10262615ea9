/*
 * options: forkc's command line, parsed into a struct without printing or
 * exiting, so it can be unit-tested.  Besides the options, one trailing
 * word picks what forkc does: run commands (none), "stats" or "watch".
 */
#ifndef OPTIONS_H
#define OPTIONS_H

enum client_mode { CLIENT_FRAME, CLIENT_LINE, CLIENT_UDP };
enum client_action { CLIENT_COMMANDS, CLIENT_STATS, CLIENT_WATCH };

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
};

enum opts_result { OPTS_OK, OPTS_USAGE, OPTS_HELP, OPTS_VERSION };

#define OPTS_ERR_MAX		256
#define OPTS_INTERVAL_MIN	100		/* watch: 0.1 s */
#define OPTS_INTERVAL_MAX	(24 * 3600 * 1000)
#define OPTS_TRICKLE_MS		2		/* default --trickle-ms */

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
