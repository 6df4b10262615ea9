/*
 * check_buf: the growable byte buffer.  Append, printf (no NUL kept),
 * consume, clear; buf_reserve compacting unread bytes before it grows;
 * growth across many appends keeping every byte in order; a buffer
 * started in the caller's array stays there until it outgrows it, then
 * moves to the heap with its bytes, and buf_free() never frees the array.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <check.h>

#include "buf.h"
#include "suites.h"

static void
assert_content(const struct buf *b, const void *want, size_t n)
{
	ck_assert_uint_eq(buf_used(b), n);
	ck_assert_mem_eq(buf_head(b), want, n);
}

#define ASSERT_CONTENT(b, lit)	assert_content((b), (lit), sizeof(lit) - 1)

START_TEST(test_init)
{
	struct buf	 b = BUF_INIT;

	ck_assert_uint_eq(buf_used(&b), 0);
	ck_assert_ptr_null(b.data);
	buf_free(&b);
}
END_TEST

START_TEST(test_append)
{
	struct buf	 b = BUF_INIT;

	ck_assert_int_eq(buf_append(&b, "hello", 5), 0);
	ASSERT_CONTENT(&b, "hello");
	ck_assert_int_eq(buf_append(&b, " \0world", 7), 0);
	ASSERT_CONTENT(&b, "hello \0world");
	ck_assert_uint_ge(b.cap, b.len);
	buf_free(&b);
}
END_TEST

START_TEST(test_append_zero)
{
	struct buf	 b = BUF_INIT;

	ck_assert_int_eq(buf_append(&b, NULL, 0), 0);
	ck_assert_uint_eq(buf_used(&b), 0);
	ck_assert_int_eq(buf_append(&b, "ab", 2), 0);
	ck_assert_int_eq(buf_append(&b, "zz", 0), 0);
	ASSERT_CONTENT(&b, "ab");
	buf_free(&b);
}
END_TEST

START_TEST(test_printf)
{
	struct buf	 b = BUF_INIT;

	ck_assert_int_eq(buf_printf(&b, "%d-%s", 42, "x"), 0);
	/* No NUL is kept: the next append follows directly. */
	ASSERT_CONTENT(&b, "42-x");
	ck_assert_int_eq(buf_printf(&b, "[%5.2f]", 3.14159), 0);
	ASSERT_CONTENT(&b, "42-x[ 3.14]");
	ck_assert_int_eq(buf_append(&b, "!", 1), 0);
	ASSERT_CONTENT(&b, "42-x[ 3.14]!");
	ck_assert_int_eq(buf_printf(&b, "%s", ""), 0);
	ASSERT_CONTENT(&b, "42-x[ 3.14]!");
	buf_free(&b);
}
END_TEST

/* Decimal without printf: agrees with printf's %llu, edges included. */
START_TEST(test_append_uint)
{
	static const unsigned long long vals[] = {
		0, 1, 9, 10, 99, 100, 4194304, 2147483647, 4294967295ULL,
		1000000000000ULL, 18446744073709551615ULL
	};
	struct buf	 b = BUF_INIT, want = BUF_INIT;
	size_t		 i;

	for (i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		ck_assert_int_eq(buf_append_uint(&b, vals[i]), 0);
		ck_assert_int_eq(buf_append_str(&b, ","), 0);
		ck_assert_int_eq(buf_printf(&want, "%llu,", vals[i]), 0);
	}
	ck_assert_uint_eq(buf_used(&b), buf_used(&want));
	ck_assert_mem_eq(buf_head(&b), buf_head(&want), buf_used(&want));
	ASSERT_CONTENT(&b, "0,1,9,10,99,100,4194304,2147483647,4294967295,"
	    "1000000000000,18446744073709551615,");
	ck_assert_int_eq(buf_append_str(&b, ""), 0);
	ck_assert_uint_eq(buf_used(&b), buf_used(&want));
	buf_free(&b);
	buf_free(&want);
}
END_TEST

START_TEST(test_printf_long)
{
	struct buf	 b = BUF_INIT;
	static char	 big[10001];
	size_t		 i;

	for (i = 0; i < sizeof(big) - 1; i++)
		big[i] = (char)('a' + i % 26);
	ck_assert_int_eq(buf_append(&b, "<", 1), 0);
	ck_assert_int_eq(buf_printf(&b, "%s>", big), 0);
	ck_assert_uint_eq(buf_used(&b), 10002);
	ck_assert_int_eq(buf_head(&b)[0], '<');
	ck_assert_mem_eq(buf_head(&b) + 1, big, 10000);
	ck_assert_int_eq(buf_head(&b)[10001], '>');
	buf_free(&b);
}
END_TEST

START_TEST(test_consume)
{
	struct buf	 b = BUF_INIT;

	ck_assert_int_eq(buf_append(&b, "hello world", 11), 0);
	buf_consume(&b, 0);
	ASSERT_CONTENT(&b, "hello world");
	buf_consume(&b, 2);
	ASSERT_CONTENT(&b, "llo world");
	buf_consume(&b, 4);
	ASSERT_CONTENT(&b, "world");
	ck_assert_int_eq(buf_append(&b, "!", 1), 0);
	ASSERT_CONTENT(&b, "world!");
	buf_consume(&b, 6);
	ck_assert_uint_eq(buf_used(&b), 0);
	ck_assert_int_eq(buf_printf(&b, "%s", "again"), 0);
	ASSERT_CONTENT(&b, "again");
	buf_free(&b);
}
END_TEST

START_TEST(test_clear_free)
{
	struct buf	 b = BUF_INIT;
	size_t		 cap;

	ck_assert_int_eq(buf_append(&b, "abcdef", 6), 0);
	buf_consume(&b, 1);
	cap = b.cap;
	buf_clear(&b);
	ck_assert_uint_eq(buf_used(&b), 0);
	/* Memory is kept. */
	ck_assert_uint_eq(b.cap, cap);
	ck_assert_ptr_nonnull(b.data);
	ck_assert_int_eq(buf_append(&b, "xy", 2), 0);
	ASSERT_CONTENT(&b, "xy");
	buf_free(&b);
	ck_assert_ptr_null(b.data);
	ck_assert_uint_eq(b.cap, 0);
	ck_assert_uint_eq(buf_used(&b), 0);
	/* A freed buffer is an empty one, usable again. */
	ck_assert_int_eq(buf_append(&b, "z", 1), 0);
	ASSERT_CONTENT(&b, "z");
	buf_free(&b);
}
END_TEST

START_TEST(test_reserve)
{
	struct buf	 b = BUF_INIT;

	ck_assert_int_eq(buf_reserve(&b, 100), 0);
	ck_assert_uint_ge(b.cap - b.len, 100);
	ck_assert_uint_eq(buf_used(&b), 0);
	/* The reserved room is writable, then published by moving len. */
	memset(b.data + b.len, 'r', 100);
	b.len += 100;
	ck_assert_uint_eq(buf_used(&b), 100);
	buf_free(&b);
}
END_TEST

START_TEST(test_reserve_compacts)
{
	struct buf	 b = BUF_INIT;
	char		 chunk[200];
	size_t		 cap, room;

	memset(chunk, 'a', sizeof(chunk));
	memcpy(chunk + 150, "0123456789", 10);
	ck_assert_int_eq(buf_append(&b, chunk, sizeof(chunk)), 0);
	buf_consume(&b, 150);
	cap = b.cap;
	/* Room that only exists once the 150 read bytes are reclaimed. */
	room = cap - buf_used(&b);
	ck_assert_uint_gt(room, cap - b.len);
	ck_assert_int_eq(buf_reserve(&b, room), 0);
	ck_assert_uint_eq(b.cap, cap);
	ck_assert_uint_eq(b.off, 0);
	ck_assert_uint_eq(buf_used(&b), 50);
	ck_assert_mem_eq(buf_head(&b), "0123456789", 10);
	ck_assert_uint_ge(b.cap - b.len, room);
	buf_free(&b);
}
END_TEST

START_TEST(test_growth)
{
	struct buf	 b = BUF_INIT;
	char		 rec[16];
	size_t		 i, n;
	unsigned	 k;

	/* 100000 records of 8 bytes, each naming its index. */
	for (i = 0; i < 100000; i++) {
		n = (size_t)snprintf(rec, sizeof(rec), "%07zu;", i);
		ck_assert_uint_eq(n, 8);
		ck_assert_int_eq(buf_append(&b, rec, n), 0);
	}
	ck_assert_uint_eq(buf_used(&b), 800000);
	for (k = 0; k < 100000; k += 9973) {
		snprintf(rec, sizeof(rec), "%07u;", k);
		ck_assert_mem_eq(buf_head(&b) + (size_t)k * 8, rec, 8);
	}
	snprintf(rec, sizeof(rec), "%07u;", 99999);
	ck_assert_mem_eq(buf_head(&b) + 799992, rec, 8);
	buf_free(&b);
}
END_TEST

START_TEST(test_stream)
{
	struct buf	 b = BUF_INIT;
	char		 rec[16];
	size_t		 i, next = 0;

	/* A session buffer: write 3 records, read 2, forever; order holds. */
	for (i = 0; i < 30000; i++) {
		snprintf(rec, sizeof(rec), "%07zu;", i);
		ck_assert_int_eq(buf_append(&b, rec, 8), 0);
		if (i % 3 == 2) {
			int	 j;

			for (j = 0; j < 2; j++, next++) {
				snprintf(rec, sizeof(rec), "%07zu;", next);
				ck_assert_mem_eq(buf_head(&b), rec, 8);
				buf_consume(&b, 8);
			}
		}
	}
	ck_assert_uint_eq(buf_used(&b), (30000 - next) * 8);
	snprintf(rec, sizeof(rec), "%07zu;", next);
	ck_assert_mem_eq(buf_head(&b), rec, 8);
	buf_free(&b);
}
END_TEST

START_TEST(test_reserve_overflow)
{
	struct buf	 b = BUF_INIT;

	ck_assert_int_eq(buf_append(&b, "keep", 4), 0);
	errno = 0;
	ck_assert_int_eq(buf_reserve(&b, SIZE_MAX), -1);
	ck_assert_int_eq(errno, ENOMEM);
	errno = 0;
	ck_assert_int_eq(buf_reserve(&b, SIZE_MAX - 2), -1);
	ck_assert_int_eq(errno, ENOMEM);
	ASSERT_CONTENT(&b, "keep");
	/* Still usable afterwards. */
	ck_assert_int_eq(buf_append(&b, "!", 1), 0);
	ASSERT_CONTENT(&b, "keep!");
	buf_free(&b);
}
END_TEST

START_TEST(test_fixed)
{
	char		 room[16];
	struct buf	 b = BUF_FIXED(room);
	char		 want[64];
	int		 i;

	ck_assert_ptr_eq(b.data, room);
	ck_assert_uint_eq(b.cap, sizeof(room));
	ck_assert_int_eq(buf_printf(&b, "%s", "0123456789abcde"), 0);
	ck_assert_ptr_eq(b.data, room);		/* 15 bytes: still there */
	ck_assert_int_eq(b.heap, 0);
	buf_consume(&b, 10);
	ck_assert_int_eq(buf_append(&b, "fghij", 5), 0);
	ck_assert_ptr_eq(b.data, room);		/* compacted, not grown */
	assert_content(&b, "abcdefghij", 10);
	for (i = 0; i < 50; i++)
		want[i] = (char)('a' + i % 26);
	ck_assert_int_eq(buf_append(&b, want + 10, 40), 0);
	ck_assert_ptr_ne(b.data, room);		/* outgrown: on the heap */
	ck_assert_int_eq(b.heap, 1);
	assert_content(&b, want, 50);
	buf_free(&b);				/* frees the heap copy only */
	ck_assert_ptr_null(b.data);
	ck_assert_int_eq(b.heap, 0);
}
END_TEST

START_TEST(test_fixed_free_unused)
{
	char		 room[8];
	struct buf	 b = BUF_FIXED(room);

	ck_assert_int_eq(buf_append(&b, "abc", 3), 0);
	buf_clear(&b);
	ck_assert_ptr_eq(b.data, room);
	buf_free(&b);	/* must not free() the array: ASan and valgrind say */
	ck_assert_ptr_null(b.data);
	ck_assert_uint_eq(b.cap, 0);
}
END_TEST

Suite *
buf_suite(void)
{
	Suite	*s = suite_create("buf");
	TCase	*tc;

	tc = tcase_create("Core");
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_init);
	tcase_add_test(tc, test_append);
	tcase_add_test(tc, test_printf);
	tcase_add_test(tc, test_append_uint);
	tcase_add_test(tc, test_consume);
	tcase_add_test(tc, test_clear_free);
	tcase_add_test(tc, test_reserve);
	tcase_add_test(tc, test_reserve_compacts);
	suite_add_tcase(s, tc);

	tc = tcase_create("Limits");
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_append_zero);
	tcase_add_test(tc, test_printf_long);
	tcase_add_test(tc, test_growth);
	tcase_add_test(tc, test_stream);
	tcase_add_test(tc, test_reserve_overflow);
	tcase_add_test(tc, test_fixed);
	tcase_add_test(tc, test_fixed_free_unused);
	suite_add_tcase(s, tc);
	return s;
}
