/*
 * check_frame: the length-prefixed codec.  Round trip through
 * frame_header, "need more" at every split point, several frames in one
 * buffer, and the size cap decided from the 4-byte prefix alone.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <check.h>

#include "frame.h"
#include "proto.h"
#include "suites.h"

/* Append one frame holding p[0..n) at out; returns the bytes written. */
static size_t
put_frame(unsigned char *out, const void *p, uint32_t n)
{
	frame_header(out, n);
	memcpy(out + 4, p, n);
	return 4 + (size_t)n;
}

START_TEST(test_header)
{
	unsigned char	 h[4];

	frame_header(h, 0x01020304);
	ck_assert_mem_eq(h, "\x01\x02\x03\x04", 4);
	frame_header(h, 0);
	ck_assert_mem_eq(h, "\0\0\0\0", 4);
	frame_header(h, 5);
	ck_assert_mem_eq(h, "\0\0\0\x05", 4);
	frame_header(h, 0xffffffffu);
	ck_assert_mem_eq(h, "\xff\xff\xff\xff", 4);
}
END_TEST

START_TEST(test_round_trip)
{
	unsigned char		 buf[64];
	const unsigned char	*payload = NULL;
	size_t			 plen = 99, n;

	n = put_frame(buf, "hello", 5);
	ck_assert_uint_eq(n, 9);
	ck_assert_mem_eq(buf, "\0\0\0\x05hello", 9);
	ck_assert_int_eq(frame_decode(buf, n, PROTO_MAX_FRAME, &payload,
	    &plen), 9);
	ck_assert_uint_eq(plen, 5);
	/* Zero-copy: the payload points into the caller's buffer. */
	ck_assert_ptr_eq(payload, buf + 4);
	ck_assert_mem_eq(payload, "hello", 5);
}
END_TEST

START_TEST(test_zero_length)
{
	unsigned char		 buf[4];
	const unsigned char	*payload = NULL;
	size_t			 plen = 99;

	frame_header(buf, 0);
	ck_assert_int_eq(frame_decode(buf, 4, PROTO_MAX_FRAME, &payload,
	    &plen), 4);
	ck_assert_uint_eq(plen, 0);
	/* Even with a cap of 0, an empty frame fits. */
	ck_assert_int_eq(frame_decode(buf, 4, 0, &payload, &plen), 4);
	ck_assert_uint_eq(plen, 0);
}
END_TEST

START_TEST(test_binary)
{
	static const char	 bin[] = "\0\xff\0\r\n\xff\xfe\0";
	unsigned char		 buf[64];
	const unsigned char	*payload = NULL;
	size_t			 plen = 0, n;

	n = put_frame(buf, bin, sizeof(bin) - 1);
	ck_assert_int_eq(frame_decode(buf, n, PROTO_MAX_FRAME, &payload,
	    &plen), (ssize_t)n);
	ck_assert_uint_eq(plen, sizeof(bin) - 1);
	ck_assert_mem_eq(payload, bin, sizeof(bin) - 1);
}
END_TEST

START_TEST(test_several)
{
	unsigned char		 buf[128];
	const unsigned char	*payload;
	size_t			 plen, n = 0, off = 0;
	ssize_t			 r;

	n += put_frame(buf + n, "ECHO a", 6);
	n += put_frame(buf + n, "", 0);
	n += put_frame(buf + n, "TIME", 4);
	n += put_frame(buf + n, "ECHO \0\xff", 7);

	r = frame_decode(buf + off, n - off, 64, &payload, &plen);
	ck_assert_int_eq(r, 10);
	ck_assert_uint_eq(plen, 6);
	ck_assert_mem_eq(payload, "ECHO a", 6);
	off += (size_t)r;
	r = frame_decode(buf + off, n - off, 64, &payload, &plen);
	ck_assert_int_eq(r, 4);
	ck_assert_uint_eq(plen, 0);
	off += (size_t)r;
	r = frame_decode(buf + off, n - off, 64, &payload, &plen);
	ck_assert_int_eq(r, 8);
	ck_assert_uint_eq(plen, 4);
	ck_assert_mem_eq(payload, "TIME", 4);
	off += (size_t)r;
	r = frame_decode(buf + off, n - off, 64, &payload, &plen);
	ck_assert_int_eq(r, 11);
	ck_assert_uint_eq(plen, 7);
	ck_assert_mem_eq(payload, "ECHO \0\xff", 7);
	off += (size_t)r;
	ck_assert_uint_eq(off, n);
	ck_assert_int_eq(frame_decode(buf + off, 0, 64, &payload, &plen), 0);
}
END_TEST

/* Two frames back to back, seen through every prefix of the stream. */
static const unsigned char split_stream[] =
    "\0\0\0\x0b" "ECHO hello!"
    "\0\0\0\x04" "TIME";
#define SPLIT_LEN	(sizeof(split_stream) - 1)
#define FIRST_LEN	15

START_TEST(test_split)
{
	const unsigned char	*payload = NULL;
	size_t			 plen = 0, cut = (size_t)_i;
	ssize_t			 r;

	r = frame_decode(split_stream, cut, PROTO_MAX_FRAME, &payload, &plen);
	if (cut < FIRST_LEN) {
		ck_assert_int_eq(r, 0);
		return;
	}
	ck_assert_int_eq(r, FIRST_LEN);
	ck_assert_uint_eq(plen, 11);
	ck_assert_mem_eq(payload, "ECHO hello!", 11);
	r = frame_decode(split_stream + FIRST_LEN, cut - FIRST_LEN,
	    PROTO_MAX_FRAME, &payload, &plen);
	if (cut < SPLIT_LEN) {
		ck_assert_int_eq(r, 0);
		return;
	}
	ck_assert_int_eq(r, 8);
	ck_assert_uint_eq(plen, 4);
	ck_assert_mem_eq(payload, "TIME", 4);
}
END_TEST

START_TEST(test_max_ok)
{
	unsigned char		 buf[4 + 16];
	const unsigned char	*payload = NULL;
	size_t			 plen = 0;

	put_frame(buf, "0123456789abcdef", 16);
	ck_assert_int_eq(frame_decode(buf, sizeof(buf), 16, &payload, &plen),
	    20);
	ck_assert_uint_eq(plen, 16);
}
END_TEST

START_TEST(test_max_plus_one)
{
	unsigned char		 hdr[4];
	const unsigned char	*payload = NULL;
	size_t			 plen = 0;

	/* Only the prefix is passed: the verdict cannot wait for data. */
	frame_header(hdr, 17);
	errno = 0;
	ck_assert_int_eq(frame_decode(hdr, 4, 16, &payload, &plen), -1);
	ck_assert_int_eq(errno, EMSGSIZE);

	frame_header(hdr, PROTO_MAX_FRAME + 1);
	errno = 0;
	ck_assert_int_eq(frame_decode(hdr, 4, PROTO_MAX_FRAME, &payload,
	    &plen), -1);
	ck_assert_int_eq(errno, EMSGSIZE);

	/* max itself, prefix only: just "need more". */
	frame_header(hdr, PROTO_MAX_FRAME);
	ck_assert_int_eq(frame_decode(hdr, 4, PROTO_MAX_FRAME, &payload,
	    &plen), 0);
}
END_TEST

START_TEST(test_huge_prefix)
{
	unsigned char		 hdr[4];
	const unsigned char	*payload = NULL;
	size_t			 plen = 0;

	frame_header(hdr, 0x80000000u);		/* 2 GiB */
	ck_assert_mem_eq(hdr, "\x80\0\0\0", 4);
	errno = 0;
	ck_assert_int_eq(frame_decode(hdr, 4, PROTO_MAX_FRAME, &payload,
	    &plen), -1);
	ck_assert_int_eq(errno, EMSGSIZE);

	frame_header(hdr, 0xffffffffu);
	errno = 0;
	ck_assert_int_eq(frame_decode(hdr, 4, PROTO_FRAME_LIMIT - 1,
	    &payload, &plen), -1);
	ck_assert_int_eq(errno, EMSGSIZE);
}
END_TEST

START_TEST(test_short_prefix)
{
	static const unsigned char	 big[] = "\xff\xff\xff\xff";
	const unsigned char		*payload = NULL;
	size_t				 plen = 0, n;

	/* Under 4 bytes nothing is known yet, not even an oversize length. */
	for (n = 0; n < 4; n++)
		ck_assert_int_eq(frame_decode(big, n, 16, &payload, &plen), 0);
}
END_TEST

START_TEST(test_over_cap_with_payload)
{
	unsigned char		 buf[4 + 17];
	const unsigned char	*payload = NULL;
	size_t			 plen = 0;

	put_frame(buf, "0123456789abcdefg", 17);
	errno = 0;
	ck_assert_int_eq(frame_decode(buf, sizeof(buf), 16, &payload, &plen),
	    -1);
	ck_assert_int_eq(errno, EMSGSIZE);
}
END_TEST

Suite *
frame_suite(void)
{
	Suite	*s = suite_create("frame");
	TCase	*tc;

	tc = tcase_create("Core");
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_header);
	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_zero_length);
	tcase_add_test(tc, test_binary);
	tcase_add_test(tc, test_several);
	tcase_add_loop_test(tc, test_split, 0, (int)SPLIT_LEN + 1);
	suite_add_tcase(s, tc);

	tc = tcase_create("Limits");
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_max_ok);
	tcase_add_test(tc, test_max_plus_one);
	tcase_add_test(tc, test_huge_prefix);
	tcase_add_test(tc, test_short_prefix);
	tcase_add_test(tc, test_over_cap_with_payload);
	suite_add_tcase(s, tc);
	return s;
}
