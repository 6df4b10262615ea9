/*
 * config: forkd's command line, parsed once into a struct that the rest
 * of the server reads through a const pointer.  Parsing never exits and
 * never prints, so every option can be unit-tested.
 */
#ifndef CONFIG_H
#define CONFIG_H

#include "log.h"
#include "reaper.h"

enum when_full { WHEN_FULL_REFUSE, WHEN_FULL_WAIT };

/*
 * --model: the design ladder of Stevens' UNP chapter 30.  fork: a child
 * per connection (the default); prefork: --workers children made at
 * start, each accepting and serving one connection at a time; iterative:
 * the listener serves each connection itself, one after another.
 */
enum model { MODEL_FORK, MODEL_PREFORK, MODEL_ITERATIVE };

struct config {
	int		 port;		/* TCP port; 0 picks a free one */
	int		 udp_port;	/* -1: same as the TCP port */
	int		 udp;		/* 0 with --no-udp */
	const char	*bind;
	int		 max_children;
	int		 per_ip;	/* 0: no per-address cap */
	enum when_full	 when_full;
	enum model	 model;
	int		 workers;	/* --model prefork */
	int		 backlog;
	long long	 idle_ms;
	long long	 request_ms;	/* a request must arrive within this */
	long long	 write_ms;	/* a reply must be taken within this */
	long long	 max_line;
	long long	 max_frame;
	long long	 grace_ms;
	int		 udp_rate;	/* replies per second per source */
	enum log_level	 log_level;
	enum log_style	 log_style;	/* --log-format kv|tcpserver */
	const char	*log_file;	/* NULL: stderr (syslog with -d) */
	int		 daemon;
	int		 debug_verbs;	/* CRASH and EXIT n */
	enum reap_mode	 reap;		/* --reap */
	const char	*pidfile;
	const char	*user;		/* --user: drop root to this user */
};

enum config_result {
	CONFIG_OK,
	CONFIG_USAGE,	/* bad command line: message in *errmsg */
	CONFIG_HELP,	/* -h */
	CONFIG_VERSION	/* -V */
};

#define CONFIG_ERR_MAX	256

/* Fill cfg with the defaults of SPEC §2. */
void	config_defaults(struct config *);
/*
 * Parse argv into cfg (starting from the defaults).  On CONFIG_USAGE,
 * errmsg[CONFIG_ERR_MAX] holds a one-line reason.
 */
enum config_result config_parse(struct config *, int argc, char **argv,
	    char *errmsg);
/* "fork", "prefork" or "iterative". */
const char *config_model_name(enum model);
/* The usage text, identical to the SYNOPSIS of forkd(1). */
extern const char config_usage[];

#endif
