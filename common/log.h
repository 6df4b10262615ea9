/*
 * log: one logfmt event per line, "TIME ident[pid] event key=value ...",
 * written with a single write(2) on an O_APPEND descriptor so lines from
 * many processes never interleave.  The state is one per process (the
 * children inherit it across fork).
 */
#ifndef LOG_H
#define LOG_H

#include <stdarg.h>
#include <stddef.h>

enum log_level { LOG_LVL_WARN, LOG_LVL_INFO, LOG_LVL_DEBUG, LOG_LVL_TRACE };

/*
 * kv: "TIME ident[pid] event key=value ...".  tcpserver: "ident: event
 * key=value ..." with no time or pid (as under multilog), so that the
 * lines in tcpserver's own grammar (log_text) read alongside.
 */
enum log_style { LOG_STYLE_KV, LOG_STYLE_TCPSERVER };

#define LOG_LINE_MAX	1024	/* longer lines are cut and end in "..." */

/*
 * Log to path (opened O_APPEND|O_CREAT, mode 0644), or to stderr when path
 * is NULL, or to syslog when use_syslog is set.  ident and path are kept,
 * not copied: they must outlive the logging.  Call once per process.
 * Returns -1 with errno set if the file cannot be opened.
 */
int	log_open(const char *ident, const char *path, int use_syslog,
	    enum log_level);
/* Choose the line style (kv unless told). */
void	log_set_style(enum log_style);
enum log_style log_style(void);
/* Reopen the file (SIGHUP): -1 with errno set, the old descriptor kept. */
int	log_reopen(void);
/* The log file descriptor, or -1 when logging to stderr or syslog. */
int	log_fd(void);
int	log_enabled(enum log_level);
/* Emit "event fmt..." at level; warnings also reach -q. */
void	log_event(enum log_level, const char *event, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* Emit "ident: text" at level, in any style: tcpserver's grammar. */
void	log_text(enum log_level, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/*
 * Format one line (no I/O) into out[0..size): the timestamp, ident[pid],
 * the event and its fields, ending in "\n" (cut to "...\n" when too
 * long).  Returns its length; 0 when size is under 8.
 */
size_t	log_format(char *out, size_t size, const char *ident, long pid,
	    const char *event, const char *fmt, va_list)
	    __attribute__((format(printf, 6, 0)));

#endif
