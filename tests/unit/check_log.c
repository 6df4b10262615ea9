/*
 * check_log: the logfmt logger.  log_format's line grammar and its
 * truncation (ends in "...\n", never past the buffer); log_open to a temp
 * file with level filtering; log_reopen after a rename (SIGHUP rotation);
 * many processes appending whole lines.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <check.h>

#include "log.h"
#include "suites.h"

#define TS_RE	"[0-9]{4}-[0-9]{2}-[0-9]{2}T" \
		"[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z"
#define TS_LEN	24	/* "2026-11-23T15:50:45.001Z" */

/* One temp directory per TCase, made and removed by the parent process. */
static char	 tmpdir[64];

static void
tmp_setup(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/check_log.XXXXXX");
	ck_assert_msg(mkdtemp(tmpdir) != NULL, "mkdtemp: %s", strerror(errno));
}

static void
rm_tree(const char *path)
{
	char		 sub[512];
	struct dirent	*de;
	DIR		*d;

	if ((d = opendir(path)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (strcmp(de->d_name, ".") == 0 ||
			    strcmp(de->d_name, "..") == 0)
				continue;
			snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
			rm_tree(sub);
		}
		closedir(d);
		rmdir(path);
	} else
		unlink(path);
}

static void
tmp_teardown(void)
{
	rm_tree(tmpdir);
}

/* A path in the temp directory; the returned buffer stays valid. */
static const char *
tmp_path(char *out, size_t size, const char *name)
{
	snprintf(out, size, "%s/%s", tmpdir, name);
	return out;
}

static size_t
format(char *out, size_t size, const char *ident, long pid,
    const char *event, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static size_t
format(char *out, size_t size, const char *ident, long pid,
    const char *event, const char *fmt, ...)
{
	va_list	 ap;
	size_t	 n;

	va_start(ap, fmt);
	n = log_format(out, size, ident, pid, event, fmt, ap);
	va_end(ap);
	return n;
}

static int
matches(const char *s, const char *re)
{
	regex_t	 rx;
	int	 rc;

	ck_assert_int_eq(regcomp(&rx, re, REG_EXTENDED | REG_NOSUB), 0);
	rc = regexec(&rx, s, 0, NULL, 0);
	regfree(&rx);
	return rc == 0;
}

#define ASSERT_MATCH(s, re)						\
	ck_assert_msg(matches((s), (re)), "\"%s\" does not match /%s/",	\
	    (s), (re))

/* Whole file into a NUL-terminated heap string (caller frees). */
static char *
slurp(const char *path, size_t *lenp)
{
	char	*data;
	FILE	*f;
	long	 n;

	f = fopen(path, "r");
	ck_assert_msg(f != NULL, "open %s: %s", path, strerror(errno));
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	ck_assert_int_ge(n, 0);
	rewind(f);
	data = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(data);
	ck_assert_uint_eq(fread(data, 1, (size_t)n, f), (size_t)n);
	data[n] = '\0';
	fclose(f);
	if (lenp != NULL)
		*lenp = (size_t)n;
	return data;
}

static int
count_lines(const char *s)
{
	int	 n = 0;

	for (; *s != '\0'; s++)
		n += *s == '\n';
	return n;
}

START_TEST(test_format)
{
	char	 out[LOG_LINE_MAX];
	size_t	 n;

	n = format(out, sizeof(out), "forkd", 4242, "accept",
	    "conn=%d peer=%s children=%d/%d", 17, "127.0.0.1:51234", 3, 256);
	ck_assert_uint_eq(n, strlen(out));
	ASSERT_MATCH(out, "^" TS_RE " forkd\\[4242\\] accept conn=17 "
	    "peer=127\\.0\\.0\\.1:51234 children=3/256\n$");
	ck_assert_uint_eq(n, TS_LEN + strlen(" forkd[4242] accept conn=17 "
	    "peer=127.0.0.1:51234 children=3/256\n"));
}
END_TEST

START_TEST(test_format_ident)
{
	char	 out[LOG_LINE_MAX];
	size_t	 n;

	n = format(out, sizeof(out), "forkd-udp", 1, "udp-spawn", "pid=%d",
	    7);
	ck_assert_uint_eq(n, strlen(out));
	ASSERT_MATCH(out, "^" TS_RE " forkd-udp\\[1\\] udp-spawn pid=7\n$");
}
END_TEST

START_TEST(test_format_percent_in_value)
{
	char	 out[LOG_LINE_MAX];

	/* Data is an argument, never a format. */
	format(out, sizeof(out), "forkd", 9, "request", "line=%s", "%s%n%d");
	ASSERT_MATCH(out, "^" TS_RE " forkd\\[9\\] request line=%s%n%d\n$");
}
END_TEST

/* Exact fit and one byte over, in a buffer of 100 ("ev" event). */
#define FIT_SIZE	100
#define FIT_PREFIX	(TS_LEN + sizeof(" forkd[1] ev") - 1)

START_TEST(test_format_exact_fit)
{
	char	 out[FIT_SIZE + 16], field[FIT_SIZE];
	size_t	 flen = FIT_SIZE - 1 - FIT_PREFIX - 2, n;

	/* prefix + " " + field + "\n" + NUL == size */
	memset(out, 'Z', sizeof(out));
	memset(field, 'f', flen);
	field[flen] = '\0';
	n = format(out, FIT_SIZE, "forkd", 1, "ev", "%s", field);
	ck_assert_uint_eq(n, FIT_SIZE - 1);
	ck_assert_uint_eq(strlen(out), n);
	ck_assert_int_eq(out[n - 1], '\n');
	ck_assert_int_eq(out[n - 2], 'f');
	ck_assert_ptr_null(strstr(out, "..."));
	ck_assert_int_eq(out[FIT_SIZE], 'Z');
}
END_TEST

START_TEST(test_format_one_over)
{
	char	 out[FIT_SIZE + 16], field[FIT_SIZE];
	size_t	 flen = FIT_SIZE - 1 - FIT_PREFIX - 1, n;

	memset(out, 'Z', sizeof(out));
	memset(field, 'f', flen);
	field[flen] = '\0';
	n = format(out, FIT_SIZE, "forkd", 1, "ev", "%s", field);
	ck_assert_uint_lt(n, FIT_SIZE);
	ck_assert_uint_eq(strlen(out), n);
	ck_assert_uint_ge(n, 4);
	ck_assert_str_eq(out + n - 4, "...\n");
	ck_assert_mem_eq(out + FIT_SIZE, "ZZZZZZZZZZZZZZZZ", 16);
}
END_TEST

START_TEST(test_format_truncated)
{
	char	 out[LOG_LINE_MAX + 64], big[4000];
	size_t	 n;

	memset(out, 'Z', sizeof(out));
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	n = format(out, LOG_LINE_MAX, "forkd", 4242, "request", "line=%s",
	    big);
	ck_assert_uint_lt(n, LOG_LINE_MAX);
	ck_assert_uint_eq(strlen(out), n);
	/* Cut, not dropped: the line is as long as the buffer allows. */
	ck_assert_uint_ge(n, LOG_LINE_MAX - 8);
	ck_assert_str_eq(out + n - 4, "...\n");
	ASSERT_MATCH(out,
	    "^" TS_RE " forkd\\[4242\\] request line=x+\\.\\.\\.\n$");
	/* Exactly one line. */
	ck_assert_int_eq(count_lines(out), 1);
	ck_assert_mem_eq(out + LOG_LINE_MAX, "ZZZZZZZZZZZZZZZZ", 16);
}
END_TEST

/* Small buffers, size 16..64: cut and marked, never written past. */
START_TEST(test_format_small)
{
	char	 out[64 + 16];
	size_t	 size = (size_t)_i, n;

	memset(out, 'Z', sizeof(out));
	n = format(out, size, "forkd", 4242, "request", "line=%s",
	    "a long enough value to be cut");
	ck_assert_uint_lt(n, size);
	ck_assert_uint_eq(strlen(out), n);
	ck_assert_str_eq(out + n - 4, "...\n");
	ck_assert_mem_eq(out + size, "ZZZZZZZZZZZZZZZZ", 16);
}
END_TEST

/*
 * Tiny buffers, size 1..4: nothing fits, but out[0..size) is all that
 * may be written, before or after.
 */
START_TEST(test_format_tiny)
{
	char	 area[16 + 4 + 16], *out = area + 16;
	size_t	 size, n;

	for (size = 1; size <= 4; size++) {
		memset(area, 'Z', sizeof(area));
		n = format(out, size, "forkd", 4242, "ev", "k=%d", 1);
		ck_assert_uint_lt(n, size);
		ck_assert_mem_eq(area, "ZZZZZZZZZZZZZZZZ", 16);
		ck_assert_mem_eq(out + size, "ZZZZZZZZZZZZZZZZ", 16);
	}
}
END_TEST

START_TEST(test_file_levels)
{
	char		 path[256], want[128], *data, *nl;
	struct stat	 st;
	int		 fd;

	tmp_path(path, sizeof(path), "levels.log");
	umask(022);
	ck_assert_int_eq(log_open("forkd", path, 0, LOG_LVL_INFO), 0);
	ck_assert_int_eq(log_enabled(LOG_LVL_WARN), 1);
	ck_assert_int_eq(log_enabled(LOG_LVL_INFO), 1);
	ck_assert_int_eq(log_enabled(LOG_LVL_DEBUG), 0);
	ck_assert_int_eq(log_enabled(LOG_LVL_TRACE), 0);

	/* An O_APPEND, close-on-exec descriptor, file mode 0644. */
	fd = log_fd();
	ck_assert_int_ge(fd, 0);
	ck_assert_int_ne(fd, STDERR_FILENO);
	ck_assert_int_ne(fcntl(fd, F_GETFL) & O_APPEND, 0);
	ck_assert_int_ne(fcntl(fd, F_GETFD) & FD_CLOEXEC, 0);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0644);

	log_event(LOG_LVL_INFO, "start", "port=%d", 8007);
	log_event(LOG_LVL_DEBUG, "request", "conn=%d", 1);
	log_event(LOG_LVL_TRACE, "read", "n=%d", 5);
	log_event(LOG_LVL_WARN, "refuse", "reason=%s", "busy");

	data = slurp(path, NULL);
	ck_assert_int_eq(count_lines(data), 2);
	nl = strchr(data, '\n');
	*nl = '\0';
	snprintf(want, sizeof(want), "^" TS_RE " forkd\\[%ld\\] start "
	    "port=8007$", (long)getpid());
	ASSERT_MATCH(data, want);
	snprintf(want, sizeof(want), "^" TS_RE " forkd\\[%ld\\] refuse "
	    "reason=busy\n$", (long)getpid());
	ASSERT_MATCH(nl + 1, want);
	free(data);
}
END_TEST

/* --log-format tcpserver: no time, no pid; log_text is tcpserver's grammar. */
START_TEST(test_tcpserver_style)
{
	char	 path[256], *data;

	tmp_path(path, sizeof(path), "tcpserver.log");
	ck_assert_int_eq(log_open("forkd", path, 0, LOG_LVL_INFO), 0);
	log_set_style(LOG_STYLE_TCPSERVER);
	ck_assert_int_eq(log_style(), LOG_STYLE_TCPSERVER);
	log_text(LOG_LVL_INFO, "status: %d/%d", 1, 40);
	log_text(LOG_LVL_INFO, "end %d status %d", 4711, 0);
	log_event(LOG_LVL_INFO, "udp-spawn", "pid=%d", 42);
	log_event(LOG_LVL_INFO, "stop", "%s", "");
	log_text(LOG_LVL_DEBUG, "not %s", "shown");
	log_set_style(LOG_STYLE_KV);
	data = slurp(path, NULL);
	ck_assert_str_eq(data, "forkd: status: 1/40\n"
	    "forkd: end 4711 status 0\n"
	    "forkd: udp-spawn pid=42\n"
	    "forkd: stop\n");
	free(data);
}
END_TEST

START_TEST(test_file_trace)
{
	char	 path[256], *data;

	tmp_path(path, sizeof(path), "trace.log");
	ck_assert_int_eq(log_open("forkd", path, 0, LOG_LVL_TRACE), 0);
	ck_assert_int_eq(log_enabled(LOG_LVL_TRACE), 1);
	log_event(LOG_LVL_TRACE, "read", "n=%d", 5);
	log_event(LOG_LVL_DEBUG, "request", "conn=%d", 1);
	data = slurp(path, NULL);
	ck_assert_int_eq(count_lines(data), 2);
	free(data);

	tmp_path(path, sizeof(path), "warn.log");
	ck_assert_int_eq(log_open("forkd", path, 0, LOG_LVL_WARN), 0);
	ck_assert_int_eq(log_enabled(LOG_LVL_INFO), 0);
	log_event(LOG_LVL_INFO, "accept", "conn=%d", 1);
	log_event(LOG_LVL_WARN, "accept-error", "errno=%d", 24);
	data = slurp(path, NULL);
	ck_assert_int_eq(count_lines(data), 1);
	ck_assert_ptr_nonnull(strstr(data, " accept-error errno=24\n"));
	free(data);
}
END_TEST

START_TEST(test_file_appends)
{
	char	 path[256], *data;
	FILE	*f;

	/* An existing file is appended to, never truncated. */
	tmp_path(path, sizeof(path), "existing.log");
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("old line\n", f);
	fclose(f);
	ck_assert_int_eq(log_open("forkd", path, 0, LOG_LVL_INFO), 0);
	log_event(LOG_LVL_INFO, "start", "port=%d", 1);
	data = slurp(path, NULL);
	ck_assert_int_eq(strncmp(data, "old line\n", 9), 0);
	ck_assert_int_eq(count_lines(data), 2);
	free(data);
}
END_TEST

START_TEST(test_open_fails)
{
	char	 path[256];

	tmp_path(path, sizeof(path), "no/such/dir.log");
	errno = 0;
	ck_assert_int_eq(log_open("forkd", path, 0, LOG_LVL_INFO), -1);
	ck_assert_int_eq(errno, ENOENT);
}
END_TEST

START_TEST(test_stderr_fd)
{
	ck_assert_int_eq(log_open("forkd", NULL, 0, LOG_LVL_INFO), 0);
	ck_assert_int_eq(log_fd(), -1);
}
END_TEST

START_TEST(test_reopen)
{
	char	 path[256], old[256], *data;

	tmp_path(path, sizeof(path), "rotate.log");
	tmp_path(old, sizeof(old), "rotate.log.1");
	ck_assert_int_eq(log_open("forkd", path, 0, LOG_LVL_INFO), 0);
	log_event(LOG_LVL_INFO, "start", "n=%d", 1);
	ck_assert_int_eq(rename(path, old), 0);
	/* Until the reopen, lines follow the renamed file. */
	log_event(LOG_LVL_INFO, "accept", "n=%d", 2);
	ck_assert_int_eq(log_reopen(), 0);
	log_event(LOG_LVL_INFO, "stop", "n=%d", 3);

	data = slurp(old, NULL);
	ck_assert_int_eq(count_lines(data), 2);
	ck_assert_ptr_nonnull(strstr(data, " start n=1\n"));
	ck_assert_ptr_nonnull(strstr(data, " accept n=2\n"));
	free(data);
	data = slurp(path, NULL);
	ck_assert_int_eq(count_lines(data), 1);
	ck_assert_ptr_nonnull(strstr(data, " stop n=3\n"));
	free(data);
}
END_TEST

START_TEST(test_reopen_fails)
{
	char	 dir[256], path[256], moved[256], *data;

	/* The directory vanishes: reopen fails, the old file is kept. */
	tmp_path(dir, sizeof(dir), "gone");
	ck_assert_int_eq(mkdir(dir, 0700), 0);
	tmp_path(path, sizeof(path), "gone/forkd.log");
	tmp_path(moved, sizeof(moved), "moved.log");
	ck_assert_int_eq(log_open("forkd", path, 0, LOG_LVL_INFO), 0);
	ck_assert_int_eq(rename(path, moved), 0);
	ck_assert_int_eq(rmdir(dir), 0);
	errno = 0;
	ck_assert_int_eq(log_reopen(), -1);
	ck_assert_int_eq(errno, ENOENT);
	log_event(LOG_LVL_INFO, "still", "here=%d", 1);
	data = slurp(moved, NULL);
	ck_assert_int_eq(count_lines(data), 1);
	ck_assert_ptr_nonnull(strstr(data, " still here=1\n"));
	free(data);
}
END_TEST

/* Several processes share one O_APPEND file: lines stay whole. */
#define WRITERS		4
#define PER_WRITER	300

START_TEST(test_many_processes)
{
	char	 path[256], pad[700], *data, *line, *nl;
	pid_t	 pids[WRITERS];
	int	 i, j, st, n = 0;

	tmp_path(path, sizeof(path), "shared.log");
	ck_assert_int_eq(log_open("forkd", path, 0, LOG_LVL_INFO), 0);
	memset(pad, 'p', sizeof(pad) - 1);
	pad[sizeof(pad) - 1] = '\0';
	for (i = 0; i < WRITERS; i++) {
		pids[i] = fork();
		ck_assert_int_ge(pids[i], 0);
		if (pids[i] == 0) {
			for (j = 0; j < PER_WRITER; j++)
				log_event(LOG_LVL_INFO, "request",
				    "writer=%d seq=%d pad=%s end", i, j, pad);
			_exit(0);
		}
	}
	for (i = 0; i < WRITERS; i++) {
		ck_assert_int_eq(waitpid(pids[i], &st, 0), pids[i]);
		ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	data = slurp(path, NULL);
	for (line = data; *line != '\0'; line = nl + 1) {
		nl = strchr(line, '\n');
		ck_assert_ptr_nonnull(nl);
		*nl = '\0';
		ASSERT_MATCH(line, "^" TS_RE " forkd\\[[0-9]+\\] request "
		    "writer=[0-9] seq=[0-9]+ pad=p+ end$");
		n++;
	}
	ck_assert_int_eq(n, WRITERS * PER_WRITER);
	free(data);
}
END_TEST

Suite *
log_suite(void)
{
	Suite	*s = suite_create("log");
	TCase	*tc;

	tc = tcase_create("Core");
	tcase_set_timeout(tc, 10);
	tcase_add_unchecked_fixture(tc, tmp_setup, tmp_teardown);
	tcase_add_test(tc, test_format);
	tcase_add_test(tc, test_tcpserver_style);
	tcase_add_test(tc, test_format_ident);
	tcase_add_test(tc, test_format_percent_in_value);
	tcase_add_test(tc, test_file_levels);
	tcase_add_test(tc, test_file_trace);
	tcase_add_test(tc, test_file_appends);
	tcase_add_test(tc, test_stderr_fd);
	tcase_add_test(tc, test_reopen);
	suite_add_tcase(s, tc);

	tc = tcase_create("Limits");
	tcase_set_timeout(tc, 10);
	tcase_add_unchecked_fixture(tc, tmp_setup, tmp_teardown);
	tcase_add_test(tc, test_format_exact_fit);
	tcase_add_test(tc, test_format_one_over);
	tcase_add_test(tc, test_format_truncated);
	tcase_add_loop_test(tc, test_format_small, 16, 65);
	tcase_add_test(tc, test_format_tiny);
	tcase_add_test(tc, test_open_fails);
	tcase_add_test(tc, test_reopen_fails);
	tcase_add_test(tc, test_many_processes);
	suite_add_tcase(s, tc);
	return s;
}
