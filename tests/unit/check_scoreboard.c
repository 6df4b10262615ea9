/*
 * check_scoreboard: slots and counters in the shared region.  Alloc until
 * full, release and realloc, publish (children, peak), find by pid, the
 * per-address count, and the STATS text: header, every counter key of
 * SPEC §3, one line per published session.  Pids are made-up numbers;
 * nothing is forked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "clock.h"
#include "scoreboard.h"
#include "suites.h"

#define NSLOTS	4

static struct scoreboard	 sb;

static void
sb_setup(void)
{
	ck_assert_int_eq(scoreboard_open(&sb, NSLOTS), 0);
}

static void
sb_teardown(void)
{
	scoreboard_close(&sb);
}

/* What the listener does for a new child: alloc, fill identity, publish. */
static struct sb_slot *
start_child(pid_t pid, uint64_t conn, const char *peer,
    const unsigned char *key, size_t keylen)
{
	struct sb_slot	*s;

	s = scoreboard_alloc(&sb);
	ck_assert_ptr_nonnull(s);
	s->conn = conn;
	s->start_ms = clock_ms();
	snprintf(s->peer, sizeof(s->peer), "%s", peer);
	memcpy(s->key, key, keylen);
	s->keylen = (unsigned char)keylen;
	scoreboard_publish(&sb, s, pid);
	return s;
}

static const unsigned char key_a[4] = { 127, 0, 0, 1 };
static const unsigned char key_b[4] = { 10, 0, 0, 2 };

/* The reply text split into NUL-terminated lines (caller frees). */
struct text {
	char	*data;
	char	*line[2048];
	int	 n;
};

static void
split_text(const struct reply *r, struct text *t)
{
	size_t	 n = buf_used(&r->text);
	char	*p;

	t->data = malloc(n + 1);
	ck_assert_ptr_nonnull(t->data);
	memcpy(t->data, buf_head(&r->text), n);
	t->data[n] = '\0';
	t->n = 0;
	for (p = t->data; p != NULL; ) {
		ck_assert_int_lt(t->n, 2048);
		t->line[t->n++] = p;
		if ((p = strchr(p, '\n')) != NULL)
			*p++ = '\0';
	}
}

/* The value of "key=" among the space-separated words of line, or NULL. */
static const char *
field(const char *line, const char *key, char *out, size_t size)
{
	size_t		 klen = strlen(key);
	const char	*p = line, *end;

	while (*p != '\0') {
		end = strchr(p, ' ');
		if (end == NULL)
			end = p + strlen(p);
		if ((size_t)(end - p) > klen && strncmp(p, key, klen) == 0 &&
		    p[klen] == '=') {
			snprintf(out, size, "%.*s", (int)(end - p - klen - 1),
			    p + klen + 1);
			return out;
		}
		p = *end == ' ' ? end + 1 : end;
	}
	return NULL;
}

/* The value of a counter, looked up in every counter line. */
static const char *
counter(const struct text *t, const char *key, char *out, size_t size)
{
	int	 i;

	for (i = 1; i < t->n; i++)
		if (strncmp(t->line[i], "pid=", 4) != 0 &&
		    field(t->line[i], key, out, size) != NULL)
			return out;
	return NULL;
}

static int
any_line_has(const struct text *t, const char *needle)
{
	int	 i;

	for (i = 0; i < t->n; i++)
		if (strstr(t->line[i], needle) != NULL)
			return 1;
	return 0;
}

static int
session_lines(const struct text *t)
{
	int	 i, n = 0;

	for (i = 1; i < t->n; i++)
		n += strncmp(t->line[i], "pid=", 4) == 0;
	return n;
}

START_TEST(test_open)
{
	int	 i;

	ck_assert_int_eq(sb.nslots, NSLOTS);
	ck_assert_ptr_nonnull(sb.c);
	ck_assert_ptr_nonnull(sb.slots);
	ck_assert_int_eq(sb.c->max_children, NSLOTS);
	ck_assert_int_eq(sb.c->children, 0);
	ck_assert_int_eq(sb.c->peak_children, 0);
	ck_assert_uint_eq(sb.c->accepted, 0);
	for (i = 0; i < NSLOTS; i++) {
		ck_assert_int_eq(sb.slots[i].pid, 0);
		ck_assert_int_eq(sb.slots[i].state, SB_FREE);
	}
}
END_TEST

START_TEST(test_alloc_until_full)
{
	struct sb_slot	*got[NSLOTS];
	int		 i, j;

	for (i = 0; i < NSLOTS; i++) {
		got[i] = scoreboard_alloc(&sb);
		ck_assert_ptr_nonnull(got[i]);
		ck_assert(got[i] >= sb.slots && got[i] < sb.slots + NSLOTS);
		for (j = 0; j < i; j++)
			ck_assert_ptr_ne(got[i], got[j]);
	}
	ck_assert_ptr_null(scoreboard_alloc(&sb));
	ck_assert_ptr_null(scoreboard_alloc(&sb));
}
END_TEST

START_TEST(test_release_realloc)
{
	struct sb_slot	*got[NSLOTS], *s;
	int		 i;

	for (i = 0; i < NSLOTS; i++)
		got[i] = scoreboard_alloc(&sb);
	ck_assert_ptr_null(scoreboard_alloc(&sb));
	scoreboard_release(&sb, got[2]);
	s = scoreboard_alloc(&sb);
	ck_assert_ptr_eq(s, got[2]);
	ck_assert_ptr_null(scoreboard_alloc(&sb));
	scoreboard_release(&sb, got[0]);
	scoreboard_release(&sb, got[3]);
	ck_assert_ptr_nonnull(scoreboard_alloc(&sb));
	ck_assert_ptr_nonnull(scoreboard_alloc(&sb));
	ck_assert_ptr_null(scoreboard_alloc(&sb));
}
END_TEST

START_TEST(test_publish_counts)
{
	struct sb_slot	*a, *b, *c;

	a = start_child(1001, 1, "127.0.0.1:1", key_a, 4);
	ck_assert_int_eq(sb.c->children, 1);
	ck_assert_int_eq(sb.c->peak_children, 1);
	ck_assert_int_eq(a->pid, 1001);
	b = start_child(1002, 2, "127.0.0.1:2", key_a, 4);
	c = start_child(1003, 3, "127.0.0.1:3", key_a, 4);
	ck_assert_int_eq(sb.c->children, 3);
	ck_assert_int_eq(sb.c->peak_children, 3);
	scoreboard_release(&sb, b);
	scoreboard_release(&sb, a);
	ck_assert_int_eq(sb.c->children, 1);
	ck_assert_int_eq(sb.c->peak_children, 3);
	start_child(1004, 4, "127.0.0.1:4", key_a, 4);
	ck_assert_int_eq(sb.c->children, 2);
	ck_assert_int_eq(sb.c->peak_children, 3);
	scoreboard_release(&sb, c);
	ck_assert_int_eq(sb.c->children, 1);
}
END_TEST

START_TEST(test_release_unpublished)
{
	struct sb_slot	*s;

	/* fork() failed: the slot goes back, no child was ever counted. */
	start_child(1001, 1, "127.0.0.1:1", key_a, 4);
	s = scoreboard_alloc(&sb);
	ck_assert_ptr_nonnull(s);
	scoreboard_release(&sb, s);
	ck_assert_int_eq(sb.c->children, 1);
	ck_assert_int_eq(sb.c->peak_children, 1);
}
END_TEST

START_TEST(test_find)
{
	struct sb_slot	*a, *b;

	a = start_child(1001, 1, "127.0.0.1:1", key_a, 4);
	b = start_child(1002, 2, "127.0.0.1:2", key_a, 4);
	ck_assert_ptr_eq(scoreboard_find(&sb, 1001), a);
	ck_assert_ptr_eq(scoreboard_find(&sb, 1002), b);
	ck_assert_ptr_null(scoreboard_find(&sb, 9999));
	scoreboard_release(&sb, a);
	ck_assert_ptr_null(scoreboard_find(&sb, 1001));
	ck_assert_ptr_eq(scoreboard_find(&sb, 1002), b);
}
END_TEST

START_TEST(test_find_zero)
{
	/* 0 is nobody's pid: a free slot is not a live child. */
	start_child(1001, 1, "127.0.0.1:1", key_a, 4);
	ck_assert_ptr_null(scoreboard_find(&sb, 0));
}
END_TEST

START_TEST(test_count_key)
{
	struct sb_slot	*a1;

	ck_assert_int_eq(scoreboard_count_key(&sb, key_a, 4), 0);
	a1 = start_child(1001, 1, "127.0.0.1:1", key_a, 4);
	start_child(1002, 2, "10.0.0.2:2", key_b, 4);
	start_child(1003, 3, "127.0.0.1:3", key_a, 4);
	ck_assert_int_eq(scoreboard_count_key(&sb, key_a, 4), 2);
	ck_assert_int_eq(scoreboard_count_key(&sb, key_b, 4), 1);
	ck_assert_int_eq(scoreboard_count_key(&sb,
	    (const unsigned char *)"\x0a\0\0\x03", 4), 0);
	/* A shorter key is another key. */
	ck_assert_int_eq(scoreboard_count_key(&sb, key_a, 3), 0);
	scoreboard_release(&sb, a1);
	ck_assert_int_eq(scoreboard_count_key(&sb, key_a, 4), 1);
}
END_TEST

START_TEST(test_state_names)
{
	static const int states[] = {
		SB_FREE, SB_STARTING, SB_READING, SB_WORKING, SB_WRITING,
		SB_SLEEPING, SB_CLOSING
	};
	const char	*name[7], *p;
	int		 i, j;

	ck_assert_str_eq(scoreboard_state_name(SB_READING), "reading");
	for (i = 0; i < 7; i++) {
		name[i] = scoreboard_state_name(states[i]);
		ck_assert_ptr_nonnull(name[i]);
		ck_assert_uint_gt(strlen(name[i]), 0);
		/* One word: it is a value in "state=...". */
		for (p = name[i]; *p != '\0'; p++)
			ck_assert(*p >= 'a' && *p <= 'z');
		for (j = 0; j < i; j++)
			ck_assert_str_ne(name[i], name[j]);
	}
}
END_TEST

/* Counters as the listener and the UDP worker would have left them. */
static void
set_counters(void)
{
	sb.c->listener_pid = 4242;
	sb.c->accepted = 17;
	sb.c->refused_busy = 2;
	sb.c->refused_per_ip = 1;
	sb.c->fork_failed = 5;
	sb.c->reaped_exit = 10;
	sb.c->reaped_signal = 3;
	sb.c->udp_pid = 4243;
	sb.c->udp_in = 8;
	sb.c->udp_out = 6;
	sb.c->udp_dropped = 2;
}

static const struct {
	const char	*key;
	const char	*value;		/* NULL: any */
} counter_keys[] = {
	{ "listener_pid", "4242" }, { "uptime", NULL },
	{ "children", "2" }, { "max_children", "4" },
	{ "peak_children", "2" }, { "accepted", "17" },
	{ "refused_busy", "2" }, { "refused_per_ip", "1" },
	{ "fork_failed", "5" }, { "reaped_exit", "10" },
	{ "reaped_signal", "3" }, { "udp_pid", "4243" }, { "udp_in", "8" },
	{ "udp_out", "6" }, { "udp_dropped", "2" },
};

static void
assert_counters(const struct text *t)
{
	char	 v[64];
	size_t	 i;

	for (i = 0; i < sizeof(counter_keys) / sizeof(counter_keys[0]); i++) {
		ck_assert_msg(counter(t, counter_keys[i].key, v, sizeof(v)) !=
		    NULL, "no %s= in STATS", counter_keys[i].key);
		if (counter_keys[i].value != NULL)
			ck_assert_msg(strcmp(v, counter_keys[i].value) == 0,
			    "%s=%s, want %s", counter_keys[i].key, v,
			    counter_keys[i].value);
	}
}

/* Two live sessions, one slot allocated but not yet published. */
static void
two_sessions(void)
{
	struct sb_slot	*s;

	set_counters();
	s = start_child(1001, 7, "127.0.0.1:51234", key_a, 4);
	s->start_ms = clock_ms() - 1500;
	s->state = SB_READING;
	s->requests = 3;
	s->bytes_in = 30;
	s->bytes_out = 60;
	s = start_child(1002, 8, "[::1]:4000", key_b, 4);
	s->state = SB_SLEEPING;
	ck_assert_ptr_nonnull(scoreboard_alloc(&sb));
}

START_TEST(test_stats)
{
	static const char *const order[] = {
		"pid=", "conn=", "peer=", "state=", "age=", "requests=",
		"bytes_in=", "bytes_out="
	};
	struct reply	 r = REPLY_INIT;
	struct text	 t;
	char		 v[64];
	const char	*l1, *l2, *p;
	size_t		 i;
	double		 age;

	two_sessions();
	ck_assert_int_eq(scoreboard_stats(&sb, 1, &r), 0);
	ck_assert_int_eq(r.ok, 1);
	ck_assert_int_eq(r.has_body, 1);
	split_text(&r, &t);
	ck_assert_str_eq(t.line[0], "+OK 2 sessions");
	ck_assert_uint_eq(r.status_len, strlen("+OK 2 sessions"));
	assert_counters(&t);
	ck_assert_int_eq(session_lines(&t), 2);
	/* The session lines come after every counter line. */
	ck_assert_int_eq(strncmp(t.line[t.n - 2], "pid=", 4), 0);
	ck_assert_int_eq(strncmp(t.line[t.n - 1], "pid=", 4), 0);
	l1 = strncmp(t.line[t.n - 2], "pid=1001 ", 9) == 0 ?
	    t.line[t.n - 2] : t.line[t.n - 1];
	l2 = l1 == t.line[t.n - 1] ? t.line[t.n - 2] : t.line[t.n - 1];

	/* The keys of SPEC §3, in its order. */
	for (p = l1, i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		p = strstr(p, order[i]);
		ck_assert_msg(p != NULL && (p == l1 || p[-1] == ' '),
		    "no %s in order in \"%s\"", order[i], l1);
	}
	ck_assert_str_eq(field(l1, "pid", v, sizeof(v)), "1001");
	ck_assert_str_eq(field(l1, "conn", v, sizeof(v)), "7");
	ck_assert_str_eq(field(l1, "peer", v, sizeof(v)), "127.0.0.1:51234");
	ck_assert_str_eq(field(l1, "state", v, sizeof(v)), "reading");
	ck_assert_str_eq(field(l1, "requests", v, sizeof(v)), "3");
	ck_assert_str_eq(field(l1, "bytes_in", v, sizeof(v)), "30");
	ck_assert_str_eq(field(l1, "bytes_out", v, sizeof(v)), "60");
	ck_assert_ptr_nonnull(field(l1, "age", v, sizeof(v)));
	ck_assert_int_eq(v[strlen(v) - 1], 's');
	age = strtod(v, NULL);
	ck_assert_msg(age >= 1.5 && age < 6.0, "age=%s, want about 1.5s", v);

	ck_assert_str_eq(field(l2, "pid", v, sizeof(v)), "1002");
	ck_assert_str_eq(field(l2, "conn", v, sizeof(v)), "8");
	ck_assert_str_eq(field(l2, "peer", v, sizeof(v)), "[::1]:4000");
	ck_assert_str_eq(field(l2, "state", v, sizeof(v)), "sleeping");
	ck_assert_str_eq(field(l2, "requests", v, sizeof(v)), "0");
	free(t.data);
	reply_free(&r);
}
END_TEST

START_TEST(test_stats_no_sessions)
{
	struct reply	 r = REPLY_INIT;
	struct text	 t;

	two_sessions();
	ck_assert_int_eq(scoreboard_stats(&sb, 0, &r), 0);
	split_text(&r, &t);
	ck_assert_str_eq(t.line[0], "+OK 2 sessions");
	assert_counters(&t);
	ck_assert_int_eq(session_lines(&t), 0);
	ck_assert_int_eq(any_line_has(&t, "pid=1001"), 0);
	free(t.data);
	reply_free(&r);
}
END_TEST

START_TEST(test_stats_empty)
{
	struct reply	 r = REPLY_INIT;
	struct text	 t;
	char		 v[64];

	ck_assert_int_eq(reply_ok(&r, "stale"), 0);
	ck_assert_int_eq(scoreboard_stats(&sb, 1, &r), 0);
	split_text(&r, &t);
	ck_assert_str_eq(t.line[0], "+OK 0 sessions");
	ck_assert_int_eq(session_lines(&t), 0);
	ck_assert_str_eq(counter(&t, "children", v, sizeof(v)), "0");
	ck_assert_str_eq(counter(&t, "accepted", v, sizeof(v)), "0");
	ck_assert_int_eq(any_line_has(&t, "stale"), 0);
	free(t.data);
	reply_free(&r);
}
END_TEST

START_TEST(test_stats_line_mode)
{
	struct reply	 r = REPLY_INIT;
	struct buf	 out = BUF_INIT;
	size_t		 n;

	two_sessions();
	ck_assert_int_eq(scoreboard_stats(&sb, 1, &r), 0);
	ck_assert_int_eq(reply_encode(&r, REPLY_LINE, &out), 0);
	n = buf_used(&out);
	ck_assert_uint_gt(n, 20);
	ck_assert_mem_eq(buf_head(&out), "+OK 2 sessions\r\n", 16);
	ck_assert_mem_eq(buf_head(&out) + n - 5, "\r\n.\r\n", 5);
	buf_free(&out);
	reply_free(&r);
}
END_TEST

START_TEST(test_one_slot)
{
	struct scoreboard	 one;
	struct sb_slot		*s;

	ck_assert_int_eq(scoreboard_open(&one, 1), 0);
	s = scoreboard_alloc(&one);
	ck_assert_ptr_nonnull(s);
	ck_assert_ptr_null(scoreboard_alloc(&one));
	scoreboard_publish(&one, s, 77);
	ck_assert_ptr_eq(scoreboard_find(&one, 77), s);
	scoreboard_release(&one, s);
	ck_assert_int_eq(one.c->children, 0);
	ck_assert_int_eq(one.c->peak_children, 1);
	ck_assert_ptr_eq(scoreboard_alloc(&one), s);
	scoreboard_close(&one);
}
END_TEST

START_TEST(test_many_slots)
{
	struct scoreboard	 big;
	struct sb_slot		*s;
	struct reply		 r = REPLY_INIT;
	struct text		 t;
	char			 v[64];
	int			 i;

	ck_assert_int_eq(scoreboard_open(&big, 1000), 0);
	for (i = 0; i < 1000; i++) {
		s = scoreboard_alloc(&big);
		ck_assert_ptr_nonnull(s);
		s->conn = (uint64_t)i + 1;
		snprintf(s->peer, sizeof(s->peer), "10.0.%d.%d:%d", i / 256,
		    i % 256, 1024 + i);
		scoreboard_publish(&big, s, 100000 + i);
	}
	ck_assert_ptr_null(scoreboard_alloc(&big));
	ck_assert_int_eq(big.c->children, 1000);
	ck_assert_int_eq(big.c->peak_children, 1000);
	ck_assert_uint_eq(scoreboard_find(&big, 100999)->conn, 1000);
	ck_assert_int_eq(scoreboard_stats(&big, 1, &r), 0);
	split_text(&r, &t);
	ck_assert_str_eq(t.line[0], "+OK 1000 sessions");
	ck_assert_int_eq(session_lines(&t), 1000);
	ck_assert_str_eq(counter(&t, "max_children", v, sizeof(v)), "1000");
	for (i = 0; i < 1000; i++)
		scoreboard_release(&big, scoreboard_find(&big, 100000 + i));
	ck_assert_int_eq(big.c->children, 0);
	ck_assert_int_eq(big.c->peak_children, 1000);
	free(t.data);
	reply_free(&r);
	scoreboard_close(&big);
}
END_TEST

START_TEST(test_long_peer)
{
	struct reply	 r = REPLY_INIT;
	struct text	 t;
	char		 peer[SOCK_PEER_MAX], v[SOCK_PEER_MAX + 8];

	/* The longest peer string fits and is printed whole. */
	memset(peer, '7', sizeof(peer) - 1);
	peer[0] = '[';
	memcpy(peer + sizeof(peer) - 7, "]:6553", 6);
	peer[sizeof(peer) - 1] = '\0';
	start_child(1001, 1, peer, key_a, 4);
	ck_assert_int_eq(scoreboard_stats(&sb, 1, &r), 0);
	split_text(&r, &t);
	ck_assert_int_eq(session_lines(&t), 1);
	ck_assert_str_eq(field(t.line[t.n - 1], "peer", v, sizeof(v)), peer);
	free(t.data);
	reply_free(&r);
}
END_TEST

Suite *
scoreboard_suite(void)
{
	Suite	*s = suite_create("scoreboard");
	TCase	*tc;

	tc = tcase_create("Core");
	tcase_set_timeout(tc, 10);
	tcase_add_checked_fixture(tc, sb_setup, sb_teardown);
	tcase_add_test(tc, test_open);
	tcase_add_test(tc, test_alloc_until_full);
	tcase_add_test(tc, test_release_realloc);
	tcase_add_test(tc, test_publish_counts);
	tcase_add_test(tc, test_release_unpublished);
	tcase_add_test(tc, test_find);
	tcase_add_test(tc, test_count_key);
	tcase_add_test(tc, test_state_names);
	tcase_add_test(tc, test_stats);
	tcase_add_test(tc, test_stats_no_sessions);
	tcase_add_test(tc, test_stats_empty);
	tcase_add_test(tc, test_stats_line_mode);
	suite_add_tcase(s, tc);

	tc = tcase_create("Limits");
	tcase_set_timeout(tc, 10);
	tcase_add_checked_fixture(tc, sb_setup, sb_teardown);
	tcase_add_test(tc, test_find_zero);
	tcase_add_test(tc, test_one_slot);
	tcase_add_test(tc, test_many_slots);
	tcase_add_test(tc, test_long_peer);
	suite_add_tcase(s, tc);
	return s;
}
