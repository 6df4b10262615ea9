/*
 * stats: the STATS reply as data and as a table.  Pure: reply text in, a
 * struct or formatted text out, no descriptor, so it is unit-tested.
 * "forkc stats" and "forkc watch" print what stats_format() makes.
 */
#ifndef STATS_H
#define STATS_H

#include <stddef.h>

#include "buf.h"

#define STATS_GROUPS_MAX	8	/* counter lines */
#define STATS_KEYS_MAX		16	/* key=value pairs per counter line */
#define STATS_HUMAN_MAX		32	/* stats_bytes / stats_age text */

struct stats_kv {
	const char	*key;
	const char	*value;
};

/* One counter line of the reply, in its order: listener, connections, UDP. */
struct stats_group {
	struct stats_kv	 kv[STATS_KEYS_MAX];
	int		 n;
};

struct stats_session {
	long long	 pid;
	long long	 conn;
	const char	*peer;
	const char	*state;
	long long	 age_ms;
	long long	 requests;
	long long	 bytes_in;
	long long	 bytes_out;
};

/* Every string points into text, a private copy of the reply. */
struct stats {
	char			*text;
	int			 said;		/* N of "+OK N sessions" */
	struct stats_group	 group[STATS_GROUPS_MAX];
	int			 ngroups;
	struct stats_session	*session;
	int			 nsessions;
};

/*
 * Parse reply[0..len), the text of a STATS reply as client_recv() gives it
 * (status line, then "\n" and each body line).  Fills *st from scratch;
 * returns 0, or -1 with *errstr set to a short reason (the reply is not a
 * STATS reply, a line is malformed, out of memory).  Call stats_free()
 * afterwards either way.
 */
int	stats_parse(struct stats *, const char *reply, size_t len,
	    const char **errstr);
void	stats_free(struct stats *);
/*
 * Replace in s every byte but LF that is not printable ASCII with '?', so
 * a server's bytes never drive the terminal.  stats_parse() does it to
 * its copy of the reply.
 */
void	stats_printable(char *);
/* The value of counter key, or NULL. */
const char *stats_counter(const struct stats *, const char *key);
/*
 * Append the table to out: the counters, aligned, a few per row, each
 * counter line of the reply starting a row group; a blank line; then one
 * row per session under "PID CONN PEER STATE AGE REQS IN OUT".  0, or -1
 * ENOMEM.
 */
int	stats_format(const struct stats *, struct buf *out);
/* Bytes for people: exact below 1024, then "1.2K", "12K", "1.0M"... */
void	stats_bytes(long long n, char out[STATS_HUMAN_MAX]);
/* An age for people: "1.2s", "12m05s", "3h07m", "2d04h". */
void	stats_age(long long ms, char out[STATS_HUMAN_MAX]);

#endif
