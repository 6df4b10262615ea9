/*
 * check_reply: one reply, three encodings.  Line mode (CRLF, POP3-style
 * dot-stuffed body ended by "."), frame mode (4-byte length, status and
 * body joined by LF) and UDP (the bare text, at most 512 bytes).
 */
#include <errno.h>
#include <string.h>

#include <check.h>

#include "buf.h"
#include "proto.h"
#include "reply.h"
#include "suites.h"

/* Encode r in mode and compare the bytes with want[0..wlen). */
static void
assert_encoded(const struct reply *r, enum reply_mode mode, const void *want,
    size_t wlen)
{
	struct buf	 out = BUF_INIT;

	ck_assert_int_eq(reply_encode(r, mode, &out), 0);
	ck_assert_uint_eq(buf_used(&out), wlen);
	ck_assert_mem_eq(buf_head(&out), want, wlen);
	buf_free(&out);
}

#define ASSERT_ENCODED(r, mode, lit)	\
	assert_encoded((r), (mode), (lit), sizeof(lit) - 1)

START_TEST(test_line_status)
{
	struct reply	 r = REPLY_INIT;

	ck_assert_int_eq(reply_ok(&r, "hello %d", 5), 0);
	ck_assert_int_eq(r.ok, 1);
	ck_assert_int_eq(r.has_body, 0);
	ck_assert_uint_eq(r.status_len, 11);
	ASSERT_ENCODED(&r, REPLY_LINE, "+OK hello 5\r\n");
	reply_free(&r);
}
END_TEST

START_TEST(test_line_body)
{
	struct reply	 r = REPLY_INIT;

	ck_assert_int_eq(reply_ok(&r, "%d lines", 2), 0);
	ck_assert_int_eq(reply_line(&r, "first %s", "line"), 0);
	ck_assert_int_eq(reply_line(&r, "second"), 0);
	ck_assert_int_eq(r.has_body, 1);
	ck_assert_uint_eq(r.status_len, 11);
	ASSERT_ENCODED(&r, REPLY_LINE,
	    "+OK 2 lines\r\nfirst line\r\nsecond\r\n.\r\n");
	reply_free(&r);
}
END_TEST

START_TEST(test_line_dot_stuffing)
{
	struct reply	 r = REPLY_INIT;

	ck_assert_int_eq(reply_ok(&r, "dots"), 0);
	ck_assert_int_eq(reply_line(&r, ".hidden"), 0);
	ck_assert_int_eq(reply_line(&r, "."), 0);
	ck_assert_int_eq(reply_line(&r, "..x"), 0);
	ck_assert_int_eq(reply_line(&r, "a.b"), 0);
	ck_assert_int_eq(reply_line(&r, "end."), 0);
	ASSERT_ENCODED(&r, REPLY_LINE,
	    "+OK dots\r\n..hidden\r\n..\r\n...x\r\na.b\r\nend.\r\n.\r\n");
	/* Frames carry no terminator, so nothing is stuffed there. */
	ASSERT_ENCODED(&r, REPLY_FRAME,
	    "\0\0\0\x1f+OK dots\n.hidden\n.\n..x\na.b\nend.");
	reply_free(&r);
}
END_TEST

START_TEST(test_line_empty_body_line)
{
	struct reply	 r = REPLY_INIT;

	ck_assert_int_eq(reply_ok(&r, "x"), 0);
	ck_assert_int_eq(reply_line(&r, "a"), 0);
	ck_assert_int_eq(reply_line(&r, "%s", ""), 0);
	ASSERT_ENCODED(&r, REPLY_LINE, "+OK x\r\na\r\n\r\n.\r\n");
	reply_free(&r);
}
END_TEST

START_TEST(test_err)
{
	struct reply	 r = REPLY_INIT;

	ck_assert_int_eq(reply_err(&r, "unknown command %s", "FOO"), 0);
	ck_assert_int_eq(r.ok, 0);
	ck_assert_int_eq(r.has_body, 0);
	ASSERT_ENCODED(&r, REPLY_LINE, "-ERR unknown command FOO\r\n");
	ASSERT_ENCODED(&r, REPLY_FRAME,
	    "\0\0\0\x18-ERR unknown command FOO");
	ASSERT_ENCODED(&r, REPLY_UDP, "-ERR unknown command FOO");
	ck_assert_int_eq(reply_err(&r, PROTO_BUSY), 0);
	ASSERT_ENCODED(&r, REPLY_LINE, "-ERR server busy\r\n");
	reply_free(&r);
}
END_TEST

START_TEST(test_frame)
{
	struct reply	 r = REPLY_INIT;

	ck_assert_int_eq(reply_ok(&r, "x"), 0);
	ASSERT_ENCODED(&r, REPLY_FRAME, "\0\0\0\x05+OK x");
	ck_assert_int_eq(reply_line(&r, "line1"), 0);
	ck_assert_int_eq(reply_line(&r, "line2"), 0);
	ASSERT_ENCODED(&r, REPLY_FRAME, "\0\0\0\x11+OK x\nline1\nline2");
	reply_free(&r);
}
END_TEST

START_TEST(test_udp)
{
	struct reply	 r = REPLY_INIT;

	ck_assert_int_eq(reply_ok(&r, "x"), 0);
	ck_assert_int_eq(reply_line(&r, "line1"), 0);
	ck_assert_int_eq(reply_line(&r, "line2"), 0);
	ASSERT_ENCODED(&r, REPLY_UDP, "+OK x\nline1\nline2");
	reply_free(&r);
}
END_TEST

START_TEST(test_ok_bytes)
{
	struct reply	 r = REPLY_INIT;

	ck_assert_int_eq(reply_ok_bytes(&r, "a\0b\xff\r\n", 6), 0);
	ck_assert_int_eq(r.ok, 1);
	ck_assert_int_eq(r.has_body, 0);
	ck_assert_uint_eq(r.status_len, 10);
	ASSERT_ENCODED(&r, REPLY_FRAME, "\0\0\0\x0a+OK a\0b\xff\r\n");
	ASSERT_ENCODED(&r, REPLY_UDP, "+OK a\0b\xff\r\n");
	reply_free(&r);
}
END_TEST

START_TEST(test_ok_bytes_empty)
{
	struct reply	 r = REPLY_INIT;

	ck_assert_int_eq(reply_ok_bytes(&r, NULL, 0), 0);
	ck_assert_int_eq(r.ok, 1);
	ck_assert_uint_eq(r.status_len, 3);
	ASSERT_ENCODED(&r, REPLY_LINE, "+OK\r\n");
	ASSERT_ENCODED(&r, REPLY_FRAME, "\0\0\0\x03+OK");
	ASSERT_ENCODED(&r, REPLY_UDP, "+OK");
	reply_free(&r);
}
END_TEST

START_TEST(test_fresh_start)
{
	struct reply	 r = REPLY_INIT;

	/* A new status forgets the previous reply and its body. */
	ck_assert_int_eq(reply_ok(&r, "old"), 0);
	ck_assert_int_eq(reply_line(&r, "body"), 0);
	ck_assert_int_eq(reply_err(&r, "new"), 0);
	ck_assert_int_eq(r.has_body, 0);
	ck_assert_int_eq(r.ok, 0);
	ASSERT_ENCODED(&r, REPLY_LINE, "-ERR new\r\n");
	ck_assert_int_eq(reply_line(&r, "b"), 0);
	ck_assert_int_eq(reply_ok_bytes(&r, "e", 1), 0);
	ck_assert_int_eq(r.has_body, 0);
	ASSERT_ENCODED(&r, REPLY_LINE, "+OK e\r\n");
	reply_free(&r);
}
END_TEST

START_TEST(test_encode_appends)
{
	struct reply	 r = REPLY_INIT;
	struct buf	 out = BUF_INIT;
	static const char want[] = "pre+OK a\r\n\0\0\0\x05+OK a+OK a";

	/* Encoding appends: what out already holds stays in front. */
	ck_assert_int_eq(buf_append(&out, "pre", 3), 0);
	ck_assert_int_eq(reply_ok(&r, "a"), 0);
	ck_assert_int_eq(reply_encode(&r, REPLY_LINE, &out), 0);
	ck_assert_int_eq(reply_encode(&r, REPLY_FRAME, &out), 0);
	ck_assert_int_eq(reply_encode(&r, REPLY_UDP, &out), 0);
	ck_assert_uint_eq(buf_used(&out), sizeof(want) - 1);
	ck_assert_mem_eq(buf_head(&out), want, sizeof(want) - 1);
	buf_free(&out);
	reply_free(&r);
}
END_TEST

/* A reply whose text (status + body) is exactly n bytes. */
static void
reply_of_size(struct reply *r, size_t n)
{
	char	 fill[1024];

	ck_assert_uint_ge(n, 5);
	ck_assert_uint_le(n - 4, sizeof(fill) - 1);
	memset(fill, 'x', n - 4);
	fill[n - 4] = '\0';
	ck_assert_int_eq(reply_ok(r, "%s", fill), 0);
	ck_assert_uint_eq(buf_used(&r->text), n);
}

START_TEST(test_udp_512)
{
	struct reply	 r = REPLY_INIT;
	struct buf	 out = BUF_INIT;

	reply_of_size(&r, PROTO_UDP_MAX_REPLY);
	ck_assert_int_eq(reply_encode(&r, REPLY_UDP, &out), 0);
	ck_assert_uint_eq(buf_used(&out), PROTO_UDP_MAX_REPLY);
	buf_free(&out);
	reply_free(&r);
}
END_TEST

START_TEST(test_udp_513)
{
	struct reply	 r = REPLY_INIT;
	struct buf	 out = BUF_INIT;

	reply_of_size(&r, PROTO_UDP_MAX_REPLY + 1);
	errno = 0;
	ck_assert_int_eq(reply_encode(&r, REPLY_UDP, &out), -1);
	ck_assert_int_eq(errno, EMSGSIZE);
	/* Nothing half-encoded is left to be sent. */
	ck_assert_uint_eq(buf_used(&out), 0);
	/* The same reply still goes out over TCP. */
	ck_assert_int_eq(reply_encode(&r, REPLY_FRAME, &out), 0);
	ck_assert_uint_eq(buf_used(&out), 4 + PROTO_UDP_MAX_REPLY + 1);
	buf_free(&out);
	reply_free(&r);
}
END_TEST

START_TEST(test_udp_body_over_512)
{
	struct reply	 r = REPLY_INIT;
	struct buf	 out = BUF_INIT;
	int		 i;

	/* The body counts too: 8 + 26 * 20 bytes. */
	ck_assert_int_eq(reply_ok(&r, "body"), 0);
	for (i = 0; i < 26; i++)
		ck_assert_int_eq(reply_line(&r, "%019d", i), 0);
	ck_assert_uint_gt(buf_used(&r.text), PROTO_UDP_MAX_REPLY);
	errno = 0;
	ck_assert_int_eq(reply_encode(&r, REPLY_UDP, &out), -1);
	ck_assert_int_eq(errno, EMSGSIZE);
	buf_free(&out);
	reply_free(&r);
}
END_TEST

START_TEST(test_frame_large)
{
	struct reply	 r = REPLY_INIT;
	struct buf	 out = BUF_INIT;
	static char	 big[70000];
	size_t		 n;

	/* 70000 payload bytes: the length needs three bytes. */
	memset(big, 'y', sizeof(big));
	ck_assert_int_eq(reply_ok_bytes(&r, big, sizeof(big) - 4), 0);
	n = buf_used(&r.text);
	ck_assert_uint_eq(n, 70000);
	ck_assert_int_eq(reply_encode(&r, REPLY_FRAME, &out), 0);
	ck_assert_uint_eq(buf_used(&out), 4 + n);
	ck_assert_mem_eq(buf_head(&out), "\0\x01\x11\x70+OK yyy", 11);
	buf_free(&out);
	reply_free(&r);
}
END_TEST

START_TEST(test_line_many_body_lines)
{
	struct reply	 r = REPLY_INIT;
	struct buf	 out = BUF_INIT, want = BUF_INIT;
	int		 i;

	ck_assert_int_eq(reply_ok(&r, "many"), 0);
	ck_assert_int_eq(buf_printf(&want, "+OK many\r\n"), 0);
	for (i = 0; i < 1000; i++) {
		ck_assert_int_eq(reply_line(&r, "%s%d", i % 7 ? "" : ".", i),
		    0);
		ck_assert_int_eq(buf_printf(&want, "%s%d\r\n",
		    i % 7 ? "" : "..", i), 0);
	}
	ck_assert_int_eq(buf_printf(&want, ".\r\n"), 0);
	ck_assert_int_eq(reply_encode(&r, REPLY_LINE, &out), 0);
	ck_assert_uint_eq(buf_used(&out), buf_used(&want));
	ck_assert_mem_eq(buf_head(&out), buf_head(&want), buf_used(&want));
	buf_free(&out);
	buf_free(&want);
	reply_free(&r);
}
END_TEST

Suite *
reply_suite(void)
{
	Suite	*s = suite_create("reply");
	TCase	*tc;

	tc = tcase_create("Core");
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_line_status);
	tcase_add_test(tc, test_line_body);
	tcase_add_test(tc, test_line_dot_stuffing);
	tcase_add_test(tc, test_line_empty_body_line);
	tcase_add_test(tc, test_err);
	tcase_add_test(tc, test_frame);
	tcase_add_test(tc, test_udp);
	tcase_add_test(tc, test_ok_bytes);
	tcase_add_test(tc, test_ok_bytes_empty);
	tcase_add_test(tc, test_fresh_start);
	tcase_add_test(tc, test_encode_appends);
	suite_add_tcase(s, tc);

	tc = tcase_create("Limits");
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_udp_512);
	tcase_add_test(tc, test_udp_513);
	tcase_add_test(tc, test_udp_body_over_512);
	tcase_add_test(tc, test_frame_large);
	tcase_add_test(tc, test_line_many_body_lines);
	suite_add_tcase(s, tc);
	return s;
}
