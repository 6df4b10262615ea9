/*
 * options: forkc's command line, parsed into a struct without printing or
 * exiting, so it can be unit-tested.
 */
#ifndef OPTIONS_H
#define OPTIONS_H

enum client_mode { CLIENT_FRAME, CLIENT_LINE, CLIENT_UDP };

struct client_opts {
	const char	 *host;
	int		  port;
	enum client_mode  mode;
	int		  half_close;
	int		  quiet;
	int		  timeout_ms;
	char		**cmds;		/* the -c commands, in order */
	int		  ncmds;
};

enum opts_result { OPTS_OK, OPTS_USAGE, OPTS_HELP, OPTS_VERSION };

#define OPTS_ERR_MAX	256

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
