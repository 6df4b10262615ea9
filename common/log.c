/*
 * log: leveled logfmt lines.  Each line is formatted whole into a stack
 * buffer and leaves in one write(2): with O_APPEND (files) or a pipe
 * (PIPE_BUF) that keeps lines of many processes from interleaving.
 * Nothing here uses stdio, so no buffer can be duplicated by fork().
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "clock.h"
#include "log.h"
#include "netio.h"
#include "sock.h"

static struct {
	const char	*ident;
	const char	*path;
	int		 fd;		/* the file, or STDERR_FILENO */
	int		 use_syslog;
	enum log_level	 level;
	enum log_style	 style;
} lg = { "forkd", NULL, STDERR_FILENO, 0, LOG_LVL_INFO, LOG_STYLE_KV };

static int
open_file(const char *path)
{
	return open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
}

int
log_open(const char *ident, const char *path, int use_syslog,
    enum log_level level)
{
	int	 fd = STDERR_FILENO;

	if (path != NULL && (fd = open_file(path)) == -1)
		return -1;
	lg.ident = ident;
	lg.path = path;
	lg.fd = fd;
	lg.level = level;
	lg.use_syslog = path == NULL && use_syslog;
	if (lg.use_syslog)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
	return 0;
}

int
log_reopen(void)
{
	int	 fd;

	if (lg.path == NULL)
		return 0;
	if ((fd = open_file(lg.path)) == -1)
		return -1;
	/*
	 * dup2 keeps the descriptor number, so children see no change; it
	 * also clears close-on-exec on it, hence the fcntl.
	 */
	if (dup2(fd, lg.fd) == -1 || sock_cloexec(lg.fd) == -1) {
		int	 saved = errno;

		close(fd);
		errno = saved;
		return -1;
	}
	close(fd);
	return 0;
}

void
log_set_style(enum log_style style)
{
	lg.style = style;
}

enum log_style
log_style(void)
{
	return lg.style;
}

int
log_fd(void)
{
	return lg.path != NULL ? lg.fd : -1;
}

int
log_enabled(enum log_level level)
{
	return level <= lg.level;
}

/*
 * Complete a line whose first n bytes (the prefix) are in out: " fields",
 * or nothing when the fields are empty, then "\n".  A line too long is
 * cut and ends in "...": it is never split into two.
 */
static size_t
finish_line(char *out, size_t size, size_t n, const char *fmt, va_list ap)
{
	int	 r;

	if (n + 1 < size) {
		out[n] = ' ';
		r = vsnprintf(out + n + 1, size - n - 1, fmt, ap);
		if (r > 0)
			n += 1 + (size_t)r;
	}
	if (n >= size - 1) {
		n = size - 5;
		memcpy(out + n, "...", 3);
		n += 3;
	}
	out[n++] = '\n';
	out[n] = '\0';
	return n;
}

/* The length snprintf reports, clamped to what out really holds. */
static size_t
clamp(int r, size_t n, size_t size)
{
	n += r > 0 ? (size_t)r : 0;
	return n < size ? n : size - 1;
}

size_t
log_format(char *out, size_t size, const char *ident, long pid,
    const char *event, const char *fmt, va_list ap)
{
	size_t	 n;

	if (size < 8) {		/* no room for even "...\n" */
		if (size > 0)
			out[0] = '\0';
		return 0;
	}
	n = clock_iso8601(out, size, 1);
	n = clamp(snprintf(out + n, size - n, " %s[%ld] %s", ident, pid,
	    event), n, size);
	return finish_line(out, size, n, fmt, ap);
}

/* tcpserver style: "ident: event fields" or "ident: text". */
static size_t
format_text(char *out, size_t size, const char *event, const char *fmt,
    va_list ap)
{
	size_t	 n;

	n = clamp(snprintf(out, size, "%s:%s%s", lg.ident,
	    event[0] != '\0' ? " " : "", event), 0, size);
	return finish_line(out, size, n, fmt, ap);
}

/* Send one formatted line to its destination. */
static void
emit(enum log_level level, char *line, size_t n)
{
	const char	*p;
	size_t		 skip;

	if (lg.use_syslog) {
		/*
		 * syslog adds its own time and ident[pid]: drop ours, which is
		 * "TIME ident[pid] " (kv) or "ident: " (tcpserver).  The first
		 * "] " is ours: the time and the ident have no "]".
		 */
		if (lg.style == LOG_STYLE_KV && (p = strstr(line, "] ")) != NULL)
			skip = (size_t)(p - line) + 2;
		else
			skip = strlen(lg.ident) + 2;
		line[n - 1] = '\0';
		syslog(level == LOG_LVL_WARN ? LOG_WARNING : LOG_INFO, "%s",
		    skip < n ? line + skip : line);
	} else
		(void)netio_write(lg.fd, line, n);
}

void
log_event(enum log_level level, const char *event, const char *fmt, ...)
{
	char	 line[LOG_LINE_MAX];
	va_list	 ap;
	size_t	 n;
	int	 saved = errno;

	if (!log_enabled(level))
		return;
	va_start(ap, fmt);
	if (lg.style == LOG_STYLE_TCPSERVER)
		n = format_text(line, sizeof(line), event, fmt, ap);
	else
		n = log_format(line, sizeof(line), lg.ident, (long)getpid(),
		    event, fmt, ap);
	va_end(ap);
	emit(level, line, n);
	errno = saved;
}

void
log_text(enum log_level level, const char *fmt, ...)
{
	char	 line[LOG_LINE_MAX];
	va_list	 ap;
	size_t	 n;
	int	 saved = errno;

	if (!log_enabled(level))
		return;
	va_start(ap, fmt);
	n = format_text(line, sizeof(line), "", fmt, ap);
	va_end(ap);
	emit(level, line, n);
	errno = saved;
}
