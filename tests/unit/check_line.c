/*
 * check_line: the line-mode decoder.  Terminators (LF, CR LF, CR NUL),
 * dropped lone CRs, telnet IAC stripping, the max-length boundary, and a
 * message fed split at every byte boundary decoding exactly like whole.
 */
#include <string.h>

#include <check.h>

#include "line.h"
#include "suites.h"

#define MAXLINES	16
#define LINEBUF		256

/* Every line a decoder produced from some input, in order. */
struct lines {
	char	 text[MAXLINES][LINEBUF];
	size_t	 len[MAXLINES];
	int	 n;
	int	 too_long;
};

static void
record(struct lines *out, const struct line_decoder *d)
{
	ck_assert_int_lt(out->n, MAXLINES);
	ck_assert_uint_le(d->len, LINEBUF);
	memcpy(out->text[out->n], d->line, d->len);
	out->len[out->n] = d->len;
	out->n++;
}

/* Feed in[0..n) in as many calls as it takes, keeping every line. */
static void
feed(struct line_decoder *d, const void *in, size_t n, struct lines *out)
{
	const char		*p = in;
	enum line_status	 st;
	size_t			 used;

	while (n > 0 && !out->too_long) {
		used = (size_t)-1;
		st = line_feed(d, p, n, &used);
		ck_assert_uint_le(used, n);
		switch (st) {
		case LINE_READY:
			ck_assert_uint_gt(used, 0);
			record(out, d);
			break;
		case LINE_MORE:
			ck_assert_uint_eq(used, n);
			break;
		case LINE_TOO_LONG:
			out->too_long = 1;
			break;
		default:
			ck_abort_msg("line_feed returned %d", (int)st);
		}
		p += used;
		n -= used;
	}
}

static void
finish(struct line_decoder *d, struct lines *out)
{
	if (!out->too_long && line_finish(d))
		record(out, d);
}

static void
assert_line(const struct lines *got, int i, const char *want, size_t wlen)
{
	ck_assert_int_lt(i, got->n);
	ck_assert_uint_eq(got->len[i], wlen);
	ck_assert_mem_eq(got->text[i], want, wlen);
}

/* One call, one line: status, bytes used and the line itself. */
static void
assert_one(const char *in, size_t n, size_t want_used, const char *want,
    size_t wlen)
{
	struct line_decoder	 d;
	char			 line[64];
	size_t			 used;

	line_init(&d, line, sizeof(line));
	ck_assert_int_eq(line_feed(&d, in, n, &used), LINE_READY);
	ck_assert_uint_eq(used, want_used);
	ck_assert_uint_eq(d.len, wlen);
	ck_assert_mem_eq(d.line, want, wlen);
}

/* line_partial: what the request deadline watches. */
START_TEST(test_partial)
{
	struct line_decoder	 d;
	char			 buf[16];
	size_t			 used;

	line_init(&d, buf, sizeof(buf));
	ck_assert_int_eq(line_partial(&d), 0);
	ck_assert_int_eq(line_feed(&d, "EC", 2, &used), LINE_MORE);
	ck_assert_int_eq(line_partial(&d), 1);
	ck_assert_int_eq(line_feed(&d, "HO\n", 3, &used), LINE_READY);
	ck_assert_int_eq(line_partial(&d), 0);
	ck_assert_int_eq(line_feed(&d, "\377", 1, &used), LINE_MORE);
	ck_assert_int_eq(line_partial(&d), 1);	/* half a telnet command */
	ck_assert_int_eq(line_feed(&d, "\361", 1, &used), LINE_MORE);
	ck_assert_int_eq(line_partial(&d), 0);	/* IAC NOP: nothing left */
}
END_TEST

START_TEST(test_lf)
{
	assert_one("hello\n", 6, 6, "hello", 5);
}
END_TEST

START_TEST(test_crlf)
{
	assert_one("hello\r\n", 7, 7, "hello", 5);
}
END_TEST

START_TEST(test_crnul)
{
	assert_one("hello\r\0", 7, 7, "hello", 5);
}
END_TEST

START_TEST(test_lone_cr_dropped)
{
	assert_one("he\rllo\n", 7, 7, "hello", 5);
	assert_one("a\rb\r\n", 5, 5, "ab", 2);
	assert_one("\rx\n", 3, 3, "x", 1);
	/* A CR followed by a CR: the first is dropped, the second ends. */
	assert_one("ab\r\r\n", 5, 5, "ab", 2);
}
END_TEST

START_TEST(test_more_consumes_all)
{
	struct line_decoder	 d;
	char			 line[64];
	size_t			 used;

	line_init(&d, line, sizeof(line));
	ck_assert_int_eq(line_feed(&d, "abc", 3, &used), LINE_MORE);
	ck_assert_uint_eq(used, 3);
	ck_assert_int_eq(line_feed(&d, "de", 2, &used), LINE_MORE);
	ck_assert_uint_eq(used, 2);
	ck_assert_int_eq(line_feed(&d, "f\n", 2, &used), LINE_READY);
	ck_assert_uint_eq(used, 2);
	ck_assert_uint_eq(d.len, 6);
	ck_assert_mem_eq(d.line, "abcdef", 6);
}
END_TEST

START_TEST(test_empty_lines)
{
	struct line_decoder	 d;
	char			 line[64];
	size_t			 used;
	static const char	 in[] = "\n\r\n\r\0";
	const char		*p = in;
	size_t			 n = sizeof(in) - 1;

	line_init(&d, line, sizeof(line));
	ck_assert_int_eq(line_feed(&d, p, n, &used), LINE_READY);
	ck_assert_uint_eq(used, 1);
	ck_assert_uint_eq(d.len, 0);
	p += used, n -= used;
	ck_assert_int_eq(line_feed(&d, p, n, &used), LINE_READY);
	ck_assert_uint_eq(used, 2);
	ck_assert_uint_eq(d.len, 0);
	p += used, n -= used;
	ck_assert_int_eq(line_feed(&d, p, n, &used), LINE_READY);
	ck_assert_uint_eq(used, 2);
	ck_assert_uint_eq(d.len, 0);
	ck_assert_uint_eq(n - used, 0);
	ck_assert_int_eq(line_finish(&d), 0);
}
END_TEST

START_TEST(test_coalesced)
{
	struct line_decoder	 d;
	char			 line[64];
	size_t			 used;
	static const char	 in[] = "one\ntwo\r\nthree\r\0four";
	const char		*p = in;
	size_t			 n = sizeof(in) - 1;

	line_init(&d, line, sizeof(line));
	ck_assert_int_eq(line_feed(&d, p, n, &used), LINE_READY);
	ck_assert_uint_eq(used, 4);
	ck_assert_uint_eq(d.len, 3);
	ck_assert_mem_eq(d.line, "one", 3);
	p += used, n -= used;
	ck_assert_int_eq(line_feed(&d, p, n, &used), LINE_READY);
	ck_assert_uint_eq(used, 5);
	ck_assert_uint_eq(d.len, 3);
	ck_assert_mem_eq(d.line, "two", 3);
	p += used, n -= used;
	ck_assert_int_eq(line_feed(&d, p, n, &used), LINE_READY);
	ck_assert_uint_eq(used, 7);
	ck_assert_uint_eq(d.len, 5);
	ck_assert_mem_eq(d.line, "three", 5);
	p += used, n -= used;
	ck_assert_int_eq(line_feed(&d, p, n, &used), LINE_MORE);
	ck_assert_uint_eq(used, 4);
	ck_assert_int_eq(line_finish(&d), 1);
	ck_assert_uint_eq(d.len, 4);
	ck_assert_mem_eq(d.line, "four", 4);
}
END_TEST

START_TEST(test_finish)
{
	struct line_decoder	 d;
	char			 line[64];
	size_t			 used;

	/* Nothing fed: nothing pending. */
	line_init(&d, line, sizeof(line));
	ck_assert_int_eq(line_finish(&d), 0);

	/* A terminated line was already returned: nothing pending. */
	line_init(&d, line, sizeof(line));
	ck_assert_int_eq(line_feed(&d, "x\n", 2, &used), LINE_READY);
	ck_assert_int_eq(line_finish(&d), 0);

	/* Unterminated tail. */
	line_init(&d, line, sizeof(line));
	ck_assert_int_eq(line_feed(&d, "QUIT", 4, &used), LINE_MORE);
	ck_assert_int_eq(line_finish(&d), 1);
	ck_assert_uint_eq(d.len, 4);
	ck_assert_mem_eq(d.line, "QUIT", 4);

	/* A tail ending in a CR: the CR is not data. */
	line_init(&d, line, sizeof(line));
	ck_assert_int_eq(line_feed(&d, "abc\r", 4, &used), LINE_MORE);
	ck_assert_int_eq(line_finish(&d), 1);
	ck_assert_uint_eq(d.len, 3);
	ck_assert_mem_eq(d.line, "abc", 3);
}
END_TEST

START_TEST(test_binary)
{
	struct lines		 got = { .n = 0 };
	struct line_decoder	 d;
	char			 line[64];
	static const char	 in[] = "a\0b\x01\x7f\x80\xfe" "c\n";

	line_init(&d, line, sizeof(line));
	feed(&d, in, sizeof(in) - 1, &got);
	ck_assert_int_eq(got.n, 1);
	assert_line(&got, 0, "a\0b\x01\x7f\x80\xfe" "c", 8);
}
END_TEST

/* Telnet commands: input and the line left once they are removed. */
static const struct iac_case {
	const char	*in;
	size_t		 inlen;
	const char	*want;
	size_t		 wantlen;
} iac_cases[] = {
#define IAC_CASE(in, want) { in, sizeof(in) - 1, want, sizeof(want) - 1 }
	/* IAC IAC is a literal 0xFF. */
	IAC_CASE("a\xff\xff" "b\n", "a\xff" "b"),
	IAC_CASE("\xff\xff\xff\xff\n", "\xff\xff"),
	/* WILL, WONT, DO, DONT take an option byte. */
	IAC_CASE("a\xff\xfb\x01" "b\n", "ab"),
	IAC_CASE("a\xff\xfc\x03" "b\n", "ab"),
	IAC_CASE("a\xff\xfd\x18" "b\n", "ab"),
	IAC_CASE("a\xff\xfe\x1f" "b\n", "ab"),
	/* The option byte is skipped whatever it is: LF, IAC. */
	IAC_CASE("a\xff\xfd\n" "b\n", "ab"),
	IAC_CASE("a\xff\xfb\xff" "b\n", "ab"),
	/* SB ... IAC SE is skipped whole, LF and IAC IAC inside included. */
	IAC_CASE("a\xff\xfa\x18\x01" "xterm\xff\xf0" "b\n", "ab"),
	IAC_CASE("a\xff\xfa\x18\n\r\xff\xff" "z\xff\xf0" "b\n", "ab"),
	/* Other commands: NOP, DM, BRK, IP, AO, AYT, EC, EL, GA. */
	IAC_CASE("a\xff\xf1" "b\n", "ab"),
	IAC_CASE("a\xff\xf2" "b\n", "ab"),
	IAC_CASE("a\xff\xf3" "b\n", "ab"),
	IAC_CASE("a\xff\xf4" "b\n", "ab"),
	IAC_CASE("a\xff\xf5" "b\n", "ab"),
	IAC_CASE("a\xff\xf6" "b\n", "ab"),
	IAC_CASE("a\xff\xf7" "b\n", "ab"),
	IAC_CASE("a\xff\xf8" "b\n", "ab"),
	IAC_CASE("a\xff\xf9" "b\n", "ab"),
	/* Negotiation on a line of its own, then data. */
	IAC_CASE("\xff\xfb\x01\xff\xfd\x03" "ECHO x\r\n", "ECHO x"),
#undef IAC_CASE
};

START_TEST(test_iac)
{
	const struct iac_case	*c = &iac_cases[_i];
	struct lines		 got = { .n = 0 };
	struct line_decoder	 d;
	char			 line[64];

	line_init(&d, line, sizeof(line));
	feed(&d, c->in, c->inlen, &got);
	finish(&d, &got);
	ck_assert_int_eq(got.too_long, 0);
	ck_assert_int_eq(got.n, 1);
	assert_line(&got, 0, c->want, c->wantlen);
}
END_TEST

/* Every rule at once, to be cut at each byte boundary. */
static const char split_msg[] =
    "HELP\r\n"
    "ec\xff\xff" "ho\xff\xfd\x01" " x\r\0"
    "\xff\xfa\x18\x01" "abc\xff\xf0" "a\rb\n"
    "\n"
    "bin\0ary\xff\xf1" "!\n"
    "tail";
#define SPLIT_LEN	(sizeof(split_msg) - 1)

static void
assert_split_lines(const struct lines *got)
{
	ck_assert_int_eq(got->too_long, 0);
	ck_assert_int_eq(got->n, 6);
	assert_line(got, 0, "HELP", 4);
	assert_line(got, 1, "ec\xffho x", 7);
	assert_line(got, 2, "ab", 2);
	assert_line(got, 3, "", 0);
	assert_line(got, 4, "bin\0ary!", 8);
	assert_line(got, 5, "tail", 4);
}

START_TEST(test_whole)
{
	struct lines		 got = { .n = 0 };
	struct line_decoder	 d;
	char			 line[64];

	line_init(&d, line, sizeof(line));
	feed(&d, split_msg, SPLIT_LEN, &got);
	finish(&d, &got);
	assert_split_lines(&got);
}
END_TEST

START_TEST(test_split)
{
	struct lines		 got = { .n = 0 };
	struct line_decoder	 d;
	char			 line[64];
	size_t			 cut = (size_t)_i;

	line_init(&d, line, sizeof(line));
	feed(&d, split_msg, cut, &got);
	feed(&d, split_msg + cut, SPLIT_LEN - cut, &got);
	finish(&d, &got);
	assert_split_lines(&got);
}
END_TEST

START_TEST(test_byte_at_a_time)
{
	struct lines		 got = { .n = 0 };
	struct line_decoder	 d;
	char			 line[64];
	size_t			 i;

	line_init(&d, line, sizeof(line));
	for (i = 0; i < SPLIT_LEN; i++)
		feed(&d, split_msg + i, 1, &got);
	finish(&d, &got);
	assert_split_lines(&got);
}
END_TEST

/* Limits: a decoder with max 8. */
#define SMALL	8

START_TEST(test_max_ok)
{
	struct line_decoder	 d;
	char			 line[SMALL];
	size_t			 used;

	line_init(&d, line, SMALL);
	ck_assert_int_eq(line_feed(&d, "12345678\n", 9, &used), LINE_READY);
	ck_assert_uint_eq(used, 9);
	ck_assert_uint_eq(d.len, 8);
	ck_assert_mem_eq(d.line, "12345678", 8);
}
END_TEST

START_TEST(test_max_ok_small)
{
	struct line_decoder	 d;
	char			 line[SMALL];
	size_t			 used;

	/* The terminator is not counted; IAC IAC counts as one byte. */
	line_init(&d, line, SMALL);
	ck_assert_int_eq(line_feed(&d, "12345678\r\n", 10, &used), LINE_READY);
	ck_assert_uint_eq(used, 10);
	ck_assert_uint_eq(d.len, 8);
	ck_assert_int_eq(line_feed(&d, "1234567\xff\xff\n", 10, &used),
	    LINE_READY);
	ck_assert_uint_eq(d.len, 8);
	ck_assert_mem_eq(d.line, "1234567\xff", 8);
	ck_assert_int_eq(line_feed(&d, "12\r345678\r\0", 11, &used),
	    LINE_READY);
	ck_assert_uint_eq(d.len, 8);
	ck_assert_mem_eq(d.line, "12345678", 8);
}
END_TEST

START_TEST(test_max_then_next)
{
	struct line_decoder	 d;
	char			 line[SMALL];
	size_t			 used;

	line_init(&d, line, SMALL);
	ck_assert_int_eq(line_feed(&d, "12345678\nab\n", 12, &used),
	    LINE_READY);
	ck_assert_uint_eq(used, 9);
	ck_assert_uint_eq(d.len, 8);
	ck_assert_int_eq(line_feed(&d, "ab\n", 3, &used), LINE_READY);
	ck_assert_uint_eq(used, 3);
	ck_assert_uint_eq(d.len, 2);
	ck_assert_mem_eq(d.line, "ab", 2);
}
END_TEST

START_TEST(test_too_long)
{
	struct line_decoder	 d;
	char			 line[SMALL];
	size_t			 used;

	line_init(&d, line, SMALL);
	ck_assert_int_eq(line_feed(&d, "123456789\n", 10, &used),
	    LINE_TOO_LONG);
	ck_assert_uint_le(used, 10);
	ck_assert_uint_le(d.len, SMALL);
}
END_TEST

START_TEST(test_too_long_unterminated)
{
	struct line_decoder	 d;
	char			 line[SMALL];
	size_t			 used;

	/* Decided at byte max+1, without waiting for a terminator. */
	line_init(&d, line, SMALL);
	ck_assert_int_eq(line_feed(&d, "12345678", 8, &used), LINE_MORE);
	ck_assert_int_eq(line_feed(&d, "9", 1, &used), LINE_TOO_LONG);
	ck_assert_uint_le(d.len, SMALL);
}
END_TEST

/* Exactly max at every split point, then max+1 at every split point. */
START_TEST(test_max_split)
{
	static const char	 ok[] = "12345678\r\n";
	struct lines		 got = { .n = 0 };
	struct line_decoder	 d;
	char			 line[SMALL];
	size_t			 cut = (size_t)_i;

	line_init(&d, line, SMALL);
	feed(&d, ok, cut, &got);
	feed(&d, ok + cut, sizeof(ok) - 1 - cut, &got);
	finish(&d, &got);
	ck_assert_int_eq(got.too_long, 0);
	ck_assert_int_eq(got.n, 1);
	assert_line(&got, 0, "12345678", 8);
}
END_TEST

START_TEST(test_too_long_split)
{
	static const char	 bad[] = "123456789\r\n";
	struct lines		 got = { .n = 0 };
	struct line_decoder	 d;
	char			 line[SMALL];
	size_t			 cut = (size_t)_i;

	line_init(&d, line, SMALL);
	feed(&d, bad, cut, &got);
	feed(&d, bad + cut, sizeof(bad) - 1 - cut, &got);
	ck_assert_int_eq(got.too_long, 1);
	ck_assert_int_eq(got.n, 0);
}
END_TEST

START_TEST(test_default_max)
{
	static char		 in[8192 + 2], line[8192];
	struct line_decoder	 d;
	size_t			 used;

	memset(in, 'x', 8192);
	in[8192] = '\n';
	line_init(&d, line, sizeof(line));
	ck_assert_int_eq(line_feed(&d, in, 8193, &used), LINE_READY);
	ck_assert_uint_eq(used, 8193);
	ck_assert_uint_eq(d.len, 8192);
	in[8192] = 'x';
	in[8193] = '\n';
	line_init(&d, line, sizeof(line));
	ck_assert_int_eq(line_feed(&d, in, 8194, &used), LINE_TOO_LONG);
}
END_TEST

Suite *
line_suite(void)
{
	Suite	*s = suite_create("line");
	TCase	*tc;

	tc = tcase_create("Core");
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_lf);
	tcase_add_test(tc, test_partial);
	tcase_add_test(tc, test_crlf);
	tcase_add_test(tc, test_crnul);
	tcase_add_test(tc, test_lone_cr_dropped);
	tcase_add_test(tc, test_more_consumes_all);
	tcase_add_test(tc, test_empty_lines);
	tcase_add_test(tc, test_coalesced);
	tcase_add_test(tc, test_finish);
	tcase_add_test(tc, test_binary);
	tcase_add_loop_test(tc, test_iac, 0,
	    (int)(sizeof(iac_cases) / sizeof(iac_cases[0])));
	tcase_add_test(tc, test_whole);
	tcase_add_loop_test(tc, test_split, 0, (int)SPLIT_LEN + 1);
	tcase_add_test(tc, test_byte_at_a_time);
	suite_add_tcase(s, tc);

	tc = tcase_create("Limits");
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_max_ok);
	tcase_add_test(tc, test_max_ok_small);
	tcase_add_test(tc, test_max_then_next);
	tcase_add_test(tc, test_too_long);
	tcase_add_test(tc, test_too_long_unterminated);
	tcase_add_loop_test(tc, test_max_split, 0, 11);
	tcase_add_loop_test(tc, test_too_long_split, 0, 12);
	tcase_add_test(tc, test_default_max);
	suite_add_tcase(s, tc);
	return s;
}
