/*
 * check_watch: forkc stats and forkc watch against a scripted peer on
 * 127.0.0.1 (port 0), no server.  Each call runs in a child whose
 * standard output and error go to pipes (watch_run catches SIGINT and
 * SIGTERM; nothing of that reaches the runner): the exact table, each
 * failure's one line, refreshes over one kept connection, a lost
 * connection, SIGTERM ending the watch.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <check.h>

#include "buf.h"
#include "clock.h"
#include "frame.h"
#include "netio.h"
#include "options.h"
#include "sock.h"
#include "stats.h"
#include "suites.h"
#include "watch.h"

#define GREETING	"+OK forkd ready\r\n"
#define REPLY \
	"+OK 1 session\n" \
	"listener_pid=4242 uptime=12.345s children=1 max_children=256\n" \
	"accepted=17 refused_busy=1\n" \
	"pid=4250 conn=16 peer=127.0.0.1:51234 state=sleeping age=1.234s " \
	    "requests=3 bytes_in=1234 bytes_out=45"
#define REQUEST		"\0\0\0\x05STATS"
#define OUT_MAX		16384

enum step_kind { END, SEND, FRAME, RECV, HANGUP, UNLISTEN };

struct step {
	enum step_kind	 kind;
	const char	*text;		/* SEND: bytes; FRAME: payload */
	size_t		 len;		/* SEND, RECV */
};

struct result {
	int	 status;		/* the child's exit status */
	char	 out[OUT_MAX];
	char	 err[OUT_MAX];
	size_t	 outlen, errlen;
};

static int			 lfd = -1;
static struct client_opts	 o;
static struct result		 res;
static char			 table[OUT_MAX];
static char			 prefix[128];	/* "forkc: 127.0.0.1 port N: " */

static void
setup(void)
{
	struct sockaddr_storage	 ss;
	socklen_t		 len;
	const char		*why = NULL;
	struct stats		 st;
	struct buf		 b = BUF_INIT;

	ck_assert_int_eq(sock_resolve("127.0.0.1", 0, SOCK_STREAM, &ss, &len,
	    &why), 0);
	lfd = sock_bind((struct sockaddr *)&ss, len, SOCK_STREAM, 4);
	ck_assert_int_ne(lfd, -1);
	memset(&o, 0, sizeof(o));
	o.host = "127.0.0.1";
	o.port = sock_local_port(lfd);
	o.mode = CLIENT_FRAME;
	o.action = CLIENT_WATCH;
	o.timeout_ms = 2000;
	o.interval_ms = 100;
	o.count = 1;
	memset(&res, 0, sizeof(res));
	snprintf(prefix, sizeof(prefix), "forkc: 127.0.0.1 port %d: ", o.port);
	/* The table the reply must give, as stats_format makes it. */
	ck_assert_int_eq(stats_parse(&st, REPLY, sizeof(REPLY) - 1, &why), 0);
	ck_assert_int_eq(stats_format(&st, &b), 0);
	ck_assert_uint_lt(buf_used(&b), sizeof(table));
	memcpy(table, buf_head(&b), buf_used(&b));
	table[buf_used(&b)] = '\0';
	buf_free(&b);
	stats_free(&st);
}

static void
teardown(void)
{
	if (lfd != -1)
		close(lfd);
	lfd = -1;
}

static void
unlisten(void)
{
	if (lfd != -1)
		close(lfd);
	lfd = -1;
}

/* Play the script on a connection accepted from the child. */
static void
serve(const struct step *s, int *conn)
{
	struct pollfd	 pfd;
	unsigned char	 hdr[4];
	char		 in[64];
	size_t		 len;

	for (; s->kind != END; s++)
		switch (s->kind) {
		case SEND:
		case FRAME:
			if (*conn == -1) {
				pfd.fd = lfd;
				pfd.events = POLLIN;
				ck_assert_int_eq(poll(&pfd, 1, 3000), 1);
				*conn = accept(lfd, NULL, NULL);
				ck_assert_int_ne(*conn, -1);
				ck_assert_int_eq(sock_nonblock(*conn, 0), 0);
			}
			len = s->kind == SEND ? s->len : strlen(s->text);
			if (s->kind == FRAME) {
				frame_header(hdr, (uint32_t)len);
				ck_assert_int_eq(netio_write_all(*conn, hdr,
				    4, NULL), 0);
			}
			ck_assert_int_eq(netio_write_all(*conn, s->text, len,
			    NULL), 0);
			break;
		case RECV:
			ck_assert_uint_le(s->len, sizeof(in));
			ck_assert_int_eq(netio_read_all(*conn, in, s->len,
			    NULL), 0);
			ck_assert_int_eq(memcmp(in, s->text, s->len), 0);
			break;
		case HANGUP:
			close(*conn);
			*conn = -1;
			break;
		case UNLISTEN:
			unlisten();
			break;
		case END:
			break;
		}
}

/* Read the child's output until both pipes close; SIGTERM it at a mark. */
static void
collect(pid_t pid, int out, int err, const char *term_after)
{
	struct pollfd	 pfd[2];
	int64_t		 deadline = clock_ms() + 4000;
	ssize_t		 n;
	char		*p;
	size_t		*len, room;
	int		 i, open = 2, termed = 0;

	pfd[0].fd = out;
	pfd[1].fd = err;
	pfd[0].events = pfd[1].events = POLLIN;
	while (open > 0) {
		n = poll(pfd, 2, clock_until(deadline));
		ck_assert_msg(n > 0 || (n == -1 && errno == EINTR),
		    "no output in time: \"%s\"", res.out);
		for (i = 0; i < 2; i++) {
			if (pfd[i].fd == -1 || pfd[i].revents == 0)
				continue;
			p = i == 0 ? res.out : res.err;
			len = i == 0 ? &res.outlen : &res.errlen;
			room = OUT_MAX - 1 - *len;
			ck_assert_uint_gt(room, 0);
			if ((n = netio_read(pfd[i].fd, p + *len, room)) <= 0) {
				pfd[i].fd = -1;
				open--;
				continue;
			}
			*len += (size_t)n;
			p[*len] = '\0';
		}
		if (term_after != NULL && !termed &&
		    strstr(res.out, term_after) != NULL) {
			ck_assert_int_eq(kill(pid, SIGTERM), 0);
			termed = 1;
		}
	}
}

/*
 * fn(&o) in a child, standard output and error into res, while this
 * process plays the peer's script.
 */
static void
run(int (*fn)(const struct client_opts *), const struct step *script,
    const char *term_after)
{
	int	 out[2], err[2], conn = -1, st;
	pid_t	 pid, r;

	/* Nothing to listen to from the start: before the child dials. */
	for (; script->kind == UNLISTEN; script++)
		unlisten();
	ck_assert_int_eq(pipe(out), 0);
	ck_assert_int_eq(pipe(err), 0);
	fflush(NULL);
	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		signal(SIGPIPE, SIG_IGN);	/* as forkc's main does */
		if (dup2(out[1], STDOUT_FILENO) == -1 ||
		    dup2(err[1], STDERR_FILENO) == -1)
			_exit(99);
		close(out[0]);
		close(out[1]);
		close(err[0]);
		close(err[1]);
		if (lfd != -1)
			close(lfd);
		_exit(fn(&o));
	}
	close(out[1]);
	close(err[1]);
	serve(script, &conn);
	collect(pid, out[0], err[0], term_after);
	close(out[0]);
	close(err[0]);
	if (conn != -1)
		close(conn);
	while ((r = waitpid(pid, &st, 0)) == -1 && errno == EINTR)
		continue;
	ck_assert_int_eq(r, pid);
	ck_assert_msg(WIFEXITED(st), "child: status %#x, stderr \"%s\"", st,
	    res.err);
	res.status = WEXITSTATUS(st);
}

/* stderr is prefix, then want, then a newline. */
static void
err_is(const char *want)
{
	char	 line[512];

	snprintf(line, sizeof(line), "%s%s\n", prefix, want);
	ck_assert_str_eq(res.err, line);
}

static int
count_of(const char *hay, const char *needle)
{
	int	 n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

START_TEST(test_once)
{
	const struct step	 s[] = {
		{ SEND, GREETING, sizeof(GREETING) - 1 },
		{ RECV, REQUEST, 9 },
		{ FRAME, REPLY, 0 },
		{ END, NULL, 0 },
	};

	run(watch_once, s, NULL);
	ck_assert_str_eq(res.err, "");
	ck_assert_str_eq(res.out, table);
	ck_assert_int_eq(res.status, 0);
}
END_TEST

START_TEST(test_once_refused)
{
	const struct step	 s[] = { { UNLISTEN, NULL, 0 }, { END, NULL, 0 } };

	run(watch_once, s, NULL);
	err_is(strerror(ECONNREFUSED));
	ck_assert_str_eq(res.out, "");
	ck_assert_int_eq(res.status, 1);
}
END_TEST

START_TEST(test_once_busy)
{
	const struct step	 s[] = {
		{ SEND, "-ERR server busy\r\n", 18 },
		{ HANGUP, NULL, 0 },
		{ END, NULL, 0 },
	};

	run(watch_once, s, NULL);
	err_is("-ERR server busy");
	ck_assert_str_eq(res.out, "");
	ck_assert_int_eq(res.status, 1);
}
END_TEST

/* A server's bytes never reach the terminal as they are. */
START_TEST(test_once_escapes)
{
	const struct step	 s[] = {
		{ SEND, "-ERR \033[2J\x07gone\r\n", 16 },
		{ END, NULL, 0 },
	};

	run(watch_once, s, NULL);
	err_is("-ERR ?[2J?gone");
	ck_assert_int_eq(res.status, 1);
}
END_TEST

START_TEST(test_once_err_reply)
{
	const struct step	 s[] = {
		{ SEND, GREETING, sizeof(GREETING) - 1 },
		{ RECV, REQUEST, 9 },
		{ FRAME, "-ERR server shutting down", 0 },
		{ END, NULL, 0 },
	};

	run(watch_once, s, NULL);
	err_is("-ERR server shutting down");
	ck_assert_str_eq(res.out, "");
	ck_assert_int_eq(res.status, 1);
}
END_TEST

START_TEST(test_once_bad_reply)
{
	const struct step	 s[] = {
		{ SEND, GREETING, sizeof(GREETING) - 1 },
		{ RECV, REQUEST, 9 },
		{ FRAME, "+OK 42", 0 },
		{ END, NULL, 0 },
	};

	run(watch_once, s, NULL);
	ck_assert_msg(strncmp(res.err, prefix, strlen(prefix)) == 0 &&
	    strncmp(res.err + strlen(prefix), "STATS reply: ", 13) == 0,
	    "stderr \"%s\"", res.err);
	ck_assert_str_eq(res.out, "");
	ck_assert_int_eq(res.status, 1);
}
END_TEST

START_TEST(test_once_closed)
{
	const struct step	 s[] = {
		{ SEND, GREETING, sizeof(GREETING) - 1 },
		{ RECV, REQUEST, 9 },
		{ HANGUP, NULL, 0 },
		{ END, NULL, 0 },
	};

	run(watch_once, s, NULL);
	err_is("connection closed by server");
	ck_assert_int_eq(res.status, 1);
}
END_TEST

START_TEST(test_once_silent)
{
	const struct step	 s[] = {
		{ SEND, GREETING, sizeof(GREETING) - 1 },
		{ END, NULL, 0 },
	};

	o.timeout_ms = 100;
	run(watch_once, s, NULL);
	err_is("no reply in time");
	ck_assert_int_eq(res.status, 1);
}
END_TEST

/* Two refreshes over one connection: one greeting, two tables. */
START_TEST(test_watch_count)
{
	const struct step	 s[] = {
		{ SEND, GREETING, sizeof(GREETING) - 1 },
		{ RECV, REQUEST, 9 },
		{ FRAME, REPLY, 0 },
		{ RECV, REQUEST, 9 },
		{ FRAME, REPLY, 0 },
		{ END, NULL, 0 },
	};
	char	 head[128];

	o.count = 2;
	run(watch_run, s, NULL);
	ck_assert_str_eq(res.err, "");
	ck_assert_int_eq(res.status, 0);
	ck_assert_int_eq(count_of(res.out, table), 2);
	snprintf(head, sizeof(head), "forkd 127.0.0.1 port %d  ", o.port);
	ck_assert_int_eq(strncmp(res.out, head, strlen(head)), 0);
	ck_assert_int_eq(count_of(res.out, head), 2);
	ck_assert_int_eq(count_of(res.out, "  every 0.1s  Ctrl-C to quit\n\n"),
	    2);
	/* Not a terminal: no escapes, a blank line between screens. */
	ck_assert_ptr_null(strchr(res.out, '\033'));
	ck_assert_ptr_nonnull(strstr(res.out, "\n\nforkd 127.0.0.1"));
}
END_TEST

START_TEST(test_watch_unreachable)
{
	const struct step	 s[] = { { UNLISTEN, NULL, 0 }, { END, NULL, 0 } };
	char			 want[256];

	o.interval_ms = 1250;
	run(watch_run, s, NULL);
	ck_assert_int_eq(res.status, 1);
	snprintf(want, sizeof(want), "Ctrl-C to quit\n\ncannot connect: %s; "
	    "retrying every 1.25s\n", strerror(ECONNREFUSED));
	ck_assert_msg(strstr(res.out, want) != NULL, "\"%s\"", res.out);
	ck_assert_str_eq(res.err, "");
}
END_TEST

/* The server goes away after one refresh: the next says so. */
START_TEST(test_watch_lost)
{
	const struct step	 s[] = {
		{ SEND, GREETING, sizeof(GREETING) - 1 },
		{ RECV, REQUEST, 9 },
		{ FRAME, REPLY, 0 },
		{ UNLISTEN, NULL, 0 },
		{ HANGUP, NULL, 0 },
		{ END, NULL, 0 },
	};
	char	 want[256];

	o.count = 2;
	run(watch_run, s, NULL);
	ck_assert_int_eq(res.status, 1);
	ck_assert_int_eq(count_of(res.out, table), 1);
	snprintf(want, sizeof(want), "connection lost: %s; retrying every "
	    "0.1s\n", strerror(ECONNREFUSED));
	ck_assert_msg(strstr(res.out, want) != NULL, "\"%s\"", res.out);
}
END_TEST

/* No count: refreshes until SIGTERM, then a last newline and status 0. */
START_TEST(test_watch_sigterm)
{
	const struct step	 s[] = {
		{ SEND, GREETING, sizeof(GREETING) - 1 },
		{ RECV, REQUEST, 9 },
		{ FRAME, REPLY, 0 },
		{ END, NULL, 0 },
	};

	o.count = 0;
	o.interval_ms = 60000;
	run(watch_run, s, table);
	ck_assert_int_eq(res.status, 0);
	ck_assert_int_eq(count_of(res.out, table), 1);
	ck_assert_uint_gt(res.outlen, 2);
	ck_assert_str_eq(res.out + res.outlen - 2, "\n\n");
}
END_TEST

Suite *
watch_suite(void)
{
	Suite	*s = suite_create("watch");
	TCase	*tc;

	tc = tcase_create("Core");
	tcase_set_timeout(tc, 8);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_once);
	tcase_add_test(tc, test_once_refused);
	tcase_add_test(tc, test_once_busy);
	tcase_add_test(tc, test_once_err_reply);
	tcase_add_test(tc, test_once_bad_reply);
	tcase_add_test(tc, test_once_closed);
	tcase_add_test(tc, test_once_silent);
	tcase_add_test(tc, test_watch_count);
	tcase_add_test(tc, test_watch_unreachable);
	tcase_add_test(tc, test_watch_lost);
	tcase_add_test(tc, test_watch_sigterm);
	suite_add_tcase(s, tc);

	tc = tcase_create("Limits");
	tcase_set_timeout(tc, 8);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_once_escapes);
	suite_add_tcase(s, tc);
	return s;
}
