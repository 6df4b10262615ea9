/*
 * watch: forkc stats and forkc watch.  One frame-mode connection is kept
 * across refreshes; when it breaks (the server restarted) each refresh
 * redials.  The only signal work is a flag: the loop notices it, and the
 * wait between refreshes wakes for it at once.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

#include "client.h"
#include "clock.h"
#include "stats.h"
#include "watch.h"

#define CLEAR		"\033[H\033[2J"
#define HIDE_CURSOR	"\033[?25l"
#define SHOW_CURSOR	"\033[?25h"

struct watch {
	const struct client_opts	*o;
	struct client			 c;	/* c.fd is -1 when not connected */
	int				 tty;	/* escapes on standard output */
	int				 ever;	/* a refresh has worked */
	int				 shown;	/* screens printed */
	struct buf			 reply;
	struct buf			 screen;
	struct stats			 st;
	char				 why[256]; /* the last failure */
};

static volatile sig_atomic_t	 quit;

static void
on_quit(int signo)
{
	(void)signo;
	quit = 1;
}

static void	 say(struct watch *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

/* Note why a refresh failed, for the screen (server text made printable). */
static void
say(struct watch *w, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(w->why, sizeof(w->why), fmt, ap);
	va_end(ap);
	stats_printable(w->why);
}

static void
watch_init(struct watch *w, const struct client_opts *o)
{
	memset(w, 0, sizeof(*w));
	w->o = o;
	client_init(&w->c, -1, o->mode, o->timeout_ms);
	w->reply = (struct buf)BUF_INIT;
	w->screen = (struct buf)BUF_INIT;
}

static void
hang_up(struct watch *w)
{
	if (w->c.fd != -1)
		(void)close(w->c.fd);
	client_free(&w->c);
	client_init(&w->c, -1, w->o->mode, w->o->timeout_ms);
}

static void
watch_free(struct watch *w)
{
	hang_up(w);
	buf_free(&w->reply);
	buf_free(&w->screen);
	stats_free(&w->st);
}

/* Connect and read the greeting.  0, or -1 with w->why set. */
static int
dial(struct watch *w)
{
	const char	*why;
	int		 fd;

	if ((fd = client_connect(w->o, &why)) == -1) {
		say(w, "%s", why);
		return -1;
	}
	client_init(&w->c, fd, w->o->mode, w->o->timeout_ms);
	if (client_greeting(&w->c, &w->reply) == -1) {
		say(w, "greeting: %s", client_error());
		hang_up(w);
		return -1;
	}
	if (!client_reply_ok(&w->reply)) {
		say(w, "%.*s", (int)buf_used(&w->reply), buf_head(&w->reply));
		hang_up(w);		/* busy: the server has closed */
		return -1;
	}
	return 0;
}

/* One STATS exchange into w->st.  0, or -1 with w->why set. */
static int
fetch(struct watch *w)
{
	const char	*errstr;

	stats_free(&w->st);
	if (client_send(&w->c, "STATS", 5) == -1 ||
	    client_recv(&w->c, CMD_STATS, &w->reply) == -1) {
		say(w, "%s", client_error());
		hang_up(w);
		return -1;
	}
	/* STATS itself cannot fail: -ERR is a closing server talking. */
	if (!client_reply_ok(&w->reply)) {
		say(w, "%.*s", (int)buf_used(&w->reply), buf_head(&w->reply));
		hang_up(w);
		return -1;
	}
	if (stats_parse(&w->st, buf_head(&w->reply), buf_used(&w->reply),
	    &errstr) == -1) {
		say(w, "STATS reply: %s", errstr);
		return -1;
	}
	return 0;
}

/*
 * Fresh statistics into w->st, dialling first when not connected.  A
 * kept connection that fails is redialled at once: after a server
 * restart the first refresh already shows the new server.
 */
static int
refresh(struct watch *w)
{
	int	 kept = w->c.fd != -1;

	if (!kept && dial(w) == -1)
		return -1;
	if (fetch(w) == 0)
		return 0;
	if (!kept || w->c.fd != -1 || dial(w) == -1)
		return -1;
	return fetch(w);
}

/* Write the screen buffer out.  0, or -1 (EPIPE when the reader left). */
static int
show(struct buf *b)
{
	size_t	 n = buf_used(b);

	if (fwrite(buf_head(b), 1, n, stdout) != n || fflush(stdout) == EOF)
		return -1;
	buf_clear(b);
	return 0;
}

/* "1s", "0.2s", "1.25s". */
static void
interval_text(int ms, char *out, size_t size)
{
	size_t	 n;

	snprintf(out, size, "%d.%03d", ms / 1000, ms % 1000);
	n = strlen(out);
	while (n > 0 && out[n - 1] == '0')
		out[--n] = '\0';
	if (n > 0 && out[n - 1] == '.')
		out[--n] = '\0';
	snprintf(out + n, size - n, "s");
}

static int
header(struct watch *w)
{
	char		 when[32], every[32];
	struct tm	 tm;
	time_t		 now = time(NULL);

	if (localtime_r(&now, &tm) == NULL ||
	    strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm) == 0)
		snprintf(when, sizeof(when), "?");
	interval_text(w->o->interval_ms, every, sizeof(every));
	return buf_printf(&w->screen, "forkd %s port %d  %s  every %s  "
	    "Ctrl-C to quit\n\n", w->o->host, w->o->port, when, every);
}

/* One screen: a clear (or a blank line), the header, table or trouble. */
static int
draw(struct watch *w, int ok)
{
	char	 every[32];
	int	 rc;

	if (w->tty)
		rc = buf_append(&w->screen, CLEAR, strlen(CLEAR));
	else
		rc = w->shown > 0 ? buf_append(&w->screen, "\n", 1) : 0;
	if (rc == 0)
		rc = header(w);
	interval_text(w->o->interval_ms, every, sizeof(every));
	if (rc == 0 && ok)
		rc = stats_format(&w->st, &w->screen);
	else if (rc == 0)
		rc = buf_printf(&w->screen, "%s: %s; retrying every %s\n",
		    w->ever ? "connection lost" : "cannot connect", w->why,
		    every);
	w->shown++;
	return rc == 0 ? show(&w->screen) : -1;
}

/*
 * SIGINT and SIGTERM set the quit flag, without SA_RESTART.  A signal
 * ignored on entry stays ignored (nohup, a background job).
 */
static int
catch_quit(void)
{
	static const int	 sigs[] = { SIGINT, SIGTERM };
	struct sigaction	 sa, old;
	size_t			 i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_quit;
	sigfillset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		if (sigaction(sigs[i], NULL, &old) == -1)
			return -1;
		if (old.sa_handler != SIG_IGN &&
		    sigaction(sigs[i], &sa, NULL) == -1)
			return -1;
	}
	return 0;
}

/*
 * Sleep until deadline or a quit signal.  The signals are blocked from
 * the test of the flag until pselect() unblocks them atomically, so one
 * that lands in between still cuts the sleep short.
 */
static int
pause_until(int64_t deadline)
{
	sigset_t	 block, old, during;
	struct timespec	 ts;
	int		 ms, rc = 0, saved;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &block, &old) == -1)
		return -1;
	during = old;
	sigdelset(&during, SIGINT);
	sigdelset(&during, SIGTERM);
	while (rc == 0 && !quit && (ms = clock_until(deadline)) > 0) {
		ts.tv_sec = ms / 1000;
		ts.tv_nsec = (long)(ms % 1000) * 1000000L;
		if (pselect(0, NULL, NULL, NULL, &ts, &during) == -1 &&
		    errno != EINTR)
			rc = -1;
	}
	saved = errno;
	if (sigprocmask(SIG_SETMASK, &old, NULL) == -1)
		return -1;
	errno = saved;
	return rc;
}

/* Refresh and draw until quit or the count; -1 when output failed. */
static int
loop(struct watch *w, int *last_ok)
{
	int64_t	 next = clock_ms();
	int	 n = 0;

	while (!quit) {
		*last_ok = refresh(w) == 0;
		if (*last_ok)
			w->ever = 1;
		if (draw(w, *last_ok) == -1)
			return -1;
		if (w->o->count > 0 && ++n == w->o->count)
			break;
		/* Fallen behind (a slow reply): start afresh from now. */
		if ((next += w->o->interval_ms) < clock_ms())
			next = clock_ms();
		if (pause_until(next) == -1)
			return -1;
	}
	return 0;
}

/* Leave the terminal as it was: the cursor back, a newline after ^C. */
static int
goodbye(struct watch *w)
{
	buf_clear(&w->screen);
	if (w->tty && buf_append(&w->screen, SHOW_CURSOR,
	    strlen(SHOW_CURSOR)) == -1)
		return -1;
	if (quit && buf_append(&w->screen, "\n", 1) == -1)
		return -1;
	return show(&w->screen);
}

int
watch_run(const struct client_opts *o)
{
	struct watch	 w;
	int		 last_ok = 0, rc = 0, saved;

	watch_init(&w, o);
	w.tty = isatty(STDOUT_FILENO);
	if (catch_quit() == -1) {
		fprintf(stderr, "forkc: sigaction: %s\n", strerror(errno));
		return 1;
	}
	if (w.tty)
		rc = buf_append(&w.screen, HIDE_CURSOR, strlen(HIDE_CURSOR));
	if (rc == 0)
		rc = loop(&w, &last_ok);
	saved = errno;
	/* A reader that went away (EPIPE) needs no goodbye. */
	if ((rc == 0 || saved != EPIPE) && goodbye(&w) == -1 && rc == 0) {
		rc = -1;
		saved = errno;
	}
	if (rc == -1 && saved != EPIPE)
		fprintf(stderr, "forkc: stdout: %s\n", strerror(saved));
	watch_free(&w);
	if (rc == -1)
		return 1;
	return quit || last_ok ? 0 : 1;
}

int
watch_once(const struct client_opts *o)
{
	struct watch	 w;
	int		 rc = 0;

	watch_init(&w, o);
	if (dial(&w) == -1 || fetch(&w) == -1) {
		fprintf(stderr, "forkc: %s port %d: %s\n", o->host, o->port,
		    w.why);
		rc = 1;
	} else if (stats_format(&w.st, &w.screen) == -1 ||
	    show(&w.screen) == -1) {
		fprintf(stderr, "forkc: stdout: %s\n", strerror(errno));
		rc = 1;
	}
	watch_free(&w);
	return rc;
}
