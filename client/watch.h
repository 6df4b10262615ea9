/*
 * watch: STATS over a live connection, shown as a table.  watch_once() is
 * "forkc stats": one request, one table.  watch_run() is "forkc watch": a
 * view refreshed like top(1), with plain ANSI escapes on a terminal and
 * plain snapshots otherwise, reconnecting while the server is away.
 */
#ifndef WATCH_H
#define WATCH_H

#include "options.h"

/*
 * One STATS request, its table on standard output.  Returns the exit
 * status: 0, or 1 (with a message on standard error) when the server
 * could not be reached, refused, or did not send a STATS reply.
 */
int	watch_once(const struct client_opts *);
/*
 * Refresh every o->interval_ms until SIGINT or SIGTERM (exit status 0),
 * or for o->count refreshes (0, or 1 when the last one failed).  1 as
 * well when standard output fails.  Catches SIGINT and SIGTERM.
 */
int	watch_run(const struct client_opts *);

#endif
