/*
 * stats: parse the STATS reply (SPEC §3) and lay it out as a table.  The
 * counter lines are kept as generic key=value pairs, so a counter the
 * server adds later still shows; a session line must carry every field
 * the table has a column for (fields added later are skipped).
 */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "stats.h"

#define PER_ROW		3	/* counters per row */
#define NCOLS		8	/* session columns */
#define GAP		"  "	/* between columns */
#define ALL_FIELDS	0xffu	/* one bit per session field */

static const char *const field[NCOLS] = {
	"pid", "conn", "peer", "state", "age", "requests", "bytes_in",
	"bytes_out"
};
static const char *const head[NCOLS] = {
	"PID", "CONN", "PEER", "STATE", "AGE", "REQS", "IN", "OUT"
};
static const int left[NCOLS] = { 0, 0, 1, 1, 0, 0, 0, 0 };

void
stats_free(struct stats *st)
{
	free(st->text);
	free(st->session);
	memset(st, 0, sizeof(*st));
}

/* Cut the line at its LF; the next line, or NULL after the last. */
static char *
cut_line(char *line)
{
	char	*nl;

	if ((nl = strchr(line, '\n')) == NULL)
		return NULL;
	*nl = '\0';
	return nl + 1;
}

/* "+OK N sessions": N into st->said. */
static int
parse_status(struct stats *st, char *line)
{
	const char	*errstr;
	long long	 n;
	char		*sp;

	if (strncmp(line, "+OK ", 4) != 0)
		return -1;
	line += 4;
	if ((sp = strchr(line, ' ')) == NULL)
		return -1;
	*sp++ = '\0';
	if (strcmp(sp, "sessions") != 0 && strcmp(sp, "session") != 0)
		return -1;
	if (parse_num(line, 0, INT_MAX, &n, &errstr) == -1)
		return -1;
	st->said = (int)n;
	return 0;
}

/* Split "key=value" in place; -1 unless both halves are non-empty. */
static int
split_kv(char *tok, struct stats_kv *kv)
{
	char	*eq;

	if ((eq = strchr(tok, '=')) == NULL || eq == tok || eq[1] == '\0')
		return -1;
	*eq = '\0';
	kv->key = tok;
	kv->value = eq + 1;
	return 0;
}

static int
parse_counters(struct stats *st, char *line)
{
	struct stats_group	*g;
	char			*tok, *save;

	if (st->ngroups == STATS_GROUPS_MAX)
		return -1;
	g = &st->group[st->ngroups];
	g->n = 0;
	for (tok = strtok_r(line, " ", &save); tok != NULL;
	    tok = strtok_r(NULL, " ", &save)) {
		if (g->n == STATS_KEYS_MAX || split_kv(tok, &g->kv[g->n]) == -1)
			return -1;
		g->n++;
	}
	if (g->n == 0)
		return -1;
	st->ngroups++;
	return 0;
}

/* "1.234s" as milliseconds. */
static int
parse_age(const char *v, long long *ms)
{
	const char	*errstr;
	char		 num[32];
	size_t		 n = strlen(v);

	if (n < 2 || n >= sizeof(num) || v[n - 1] != 's')
		return -1;
	memcpy(num, v, n - 1);
	num[n - 1] = '\0';
	return parse_seconds(num, 0, LLONG_MAX, ms, &errstr);
}

/* One key=value of a session line into s, and its bit into *seen. */
static int
session_field(struct stats_session *s, const struct stats_kv *kv,
    unsigned *seen)
{
	long long	*num[NCOLS] = { &s->pid, &s->conn, NULL, NULL, NULL,
	    &s->requests, &s->bytes_in, &s->bytes_out };
	const char	*errstr;
	int		 i;

	for (i = 0; i < NCOLS && strcmp(kv->key, field[i]) != 0; i++)
		continue;
	if (i == NCOLS)
		return 0;	/* a field this forkc does not know */
	*seen |= 1u << i;
	if (num[i] != NULL)
		return parse_num(kv->value, 0, LLONG_MAX, num[i], &errstr);
	if (i == 2)
		s->peer = kv->value;
	else if (i == 3)
		s->state = kv->value;
	else
		return parse_age(kv->value, &s->age_ms);
	return 0;
}

/* A session line; *errstr says why when it returns -1. */
static int
parse_session(struct stats *st, char *line, const char **errstr)
{
	struct stats_session	 s, *v;
	struct stats_kv		 kv;
	unsigned		 seen = 0;
	char			*tok, *save;

	memset(&s, 0, sizeof(s));
	*errstr = "bad session line";
	for (tok = strtok_r(line, " ", &save); tok != NULL;
	    tok = strtok_r(NULL, " ", &save))
		if (split_kv(tok, &kv) == -1 ||
		    session_field(&s, &kv, &seen) == -1)
			return -1;
	if (seen != ALL_FIELDS || st->nsessions == INT_MAX)
		return -1;
	v = realloc(st->session, (size_t)(st->nsessions + 1) * sizeof(*v));
	if (v == NULL) {
		*errstr = "out of memory";
		return -1;
	}
	st->session = v;
	st->session[st->nsessions++] = s;
	return 0;
}

/* The body: counter lines, then session lines ("pid=" first). */
static int
parse_body(struct stats *st, char *next, const char **errstr)
{
	char	*line;

	while ((line = next) != NULL) {
		next = cut_line(line);
		if (*line == '\0')
			continue;
		if (strncmp(line, "pid=", 4) == 0) {
			if (parse_session(st, line, errstr) == -1)
				return -1;
		} else if (st->nsessions > 0 || parse_counters(st, line) == -1) {
			*errstr = "bad counter line";
			return -1;
		}
	}
	return 0;
}

void
stats_printable(char *s)
{
	for (; *s != '\0'; s++)
		if (*s != '\n' && !isprint((unsigned char)*s))
			*s = '?';
}

int
stats_parse(struct stats *st, const char *reply, size_t len,
    const char **errstr)
{
	char	*next;

	memset(st, 0, sizeof(*st));
	*errstr = "not a STATS reply";
	if (memchr(reply, '\0', len) != NULL)
		return -1;
	if ((st->text = malloc(len + 1)) == NULL) {
		*errstr = "out of memory";
		return -1;
	}
	memcpy(st->text, reply, len);
	st->text[len] = '\0';
	stats_printable(st->text);
	next = cut_line(st->text);
	if (parse_status(st, st->text) == -1)
		return -1;
	if (parse_body(st, next, errstr) == -1)
		return -1;
	if (st->ngroups == 0) {
		*errstr = "no counters";
		return -1;
	}
	/* Counters-only replies (STATS over UDP) list no session. */
	if (st->nsessions > 0 && st->nsessions != st->said) {
		*errstr = "session count differs from the status line";
		return -1;
	}
	return 0;
}

const char *
stats_counter(const struct stats *st, const char *key)
{
	int	 g, i;

	for (g = 0; g < st->ngroups; g++)
		for (i = 0; i < st->group[g].n; i++)
			if (strcmp(st->group[g].kv[i].key, key) == 0)
				return st->group[g].kv[i].value;
	return NULL;
}

void
stats_bytes(long long n, char out[STATS_HUMAN_MAX])
{
	static const char	 units[] = "KMGTPE";
	double			 d = (double)n;
	int			 u = -1;

	if (n < 1024) {
		snprintf(out, STATS_HUMAN_MAX, "%lld", n);
		return;
	}
	while (d >= 1024 && u < (int)sizeof(units) - 2) {
		d /= 1024;
		u++;
	}
	if (d < 9.95)
		snprintf(out, STATS_HUMAN_MAX, "%.1f%c", d, units[u]);
	else
		snprintf(out, STATS_HUMAN_MAX, "%.0f%c", d, units[u]);
}

void
stats_age(long long ms, char out[STATS_HUMAN_MAX])
{
	long long	 s;

	if (ms < 0)
		ms = 0;
	s = ms / 1000;
	if (ms < 60 * 1000)
		snprintf(out, STATS_HUMAN_MAX, "%lld.%llds", s, ms % 1000 / 100);
	else if (s < 3600)
		snprintf(out, STATS_HUMAN_MAX, "%lldm%02llds", s / 60, s % 60);
	else if (s < 86400)
		snprintf(out, STATS_HUMAN_MAX, "%lldh%02lldm", s / 3600,
		    s % 3600 / 60);
	else
		snprintf(out, STATS_HUMAN_MAX, "%lldd%02lldh", s / 86400,
		    s % 86400 / 3600);
}

/* The row label of a counter line, known by its first key. */
static const char *
group_label(const struct stats_group *g)
{
	if (strcmp(g->kv[0].key, "listener_pid") == 0)
		return "listener";
	if (strcmp(g->kv[0].key, "accepted") == 0)
		return "connections";
	if (strcmp(g->kv[0].key, "udp_pid") == 0)
		return "udp";
	return "counters";
}

struct widths {
	int	 label;
	int	 key[PER_ROW];
	int	 val[PER_ROW];
};

static int
max_int(int a, size_t b)
{
	return b > (size_t)a ? (int)b : a;
}

static void
counter_widths(const struct stats *st, struct widths *w)
{
	const struct stats_group	*g;
	int				 i, j;

	memset(w, 0, sizeof(*w));
	for (i = 0; i < st->ngroups; i++) {
		g = &st->group[i];
		w->label = max_int(w->label, strlen(group_label(g)));
		for (j = 0; j < g->n; j++) {
			w->key[j % PER_ROW] = max_int(w->key[j % PER_ROW],
			    strlen(g->kv[j].key));
			w->val[j % PER_ROW] = max_int(w->val[j % PER_ROW],
			    strlen(g->kv[j].value));
		}
	}
}

/* Counter i of g: the label first on a row, the newline last. */
static int
counter_cell(struct buf *out, const struct widths *w,
    const struct stats_group *g, int i)
{
	int	 c = i % PER_ROW;
	int	 last = i + 1 == g->n || c == PER_ROW - 1;

	if (c == 0 && buf_printf(out, "%-*s", w->label,
	    i == 0 ? group_label(g) : "") == -1)
		return -1;
	return buf_printf(out, GAP "%-*s %*s%s", w->key[c], g->kv[i].key,
	    w->val[c], g->kv[i].value, last ? "\n" : "");
}

static int
format_counters(const struct stats *st, struct buf *out)
{
	struct widths	 w;
	int		 g, i;

	counter_widths(st, &w);
	for (g = 0; g < st->ngroups; g++)
		for (i = 0; i < st->group[g].n; i++)
			if (counter_cell(out, &w, &st->group[g], i) == -1)
				return -1;
	return 0;
}

/* One session as the text of its cells. */
struct row {
	char		 buf[NCOLS][STATS_HUMAN_MAX];
	const char	*cell[NCOLS];
};

static void
make_row(const struct stats_session *s, struct row *r)
{
	int	 i;

	snprintf(r->buf[0], STATS_HUMAN_MAX, "%lld", s->pid);
	snprintf(r->buf[1], STATS_HUMAN_MAX, "%lld", s->conn);
	stats_age(s->age_ms, r->buf[4]);
	snprintf(r->buf[5], STATS_HUMAN_MAX, "%lld", s->requests);
	stats_bytes(s->bytes_in, r->buf[6]);
	stats_bytes(s->bytes_out, r->buf[7]);
	for (i = 0; i < NCOLS; i++)
		r->cell[i] = r->buf[i];
	r->cell[2] = s->peer;
	r->cell[3] = s->state;
}

/* Cells separated by GAP; a negative width left-aligns the column. */
static int
put_row(struct buf *out, const int *w, const char *const *cell)
{
	int	 i;

	for (i = 0; i < NCOLS; i++)
		if (buf_printf(out, "%s%*s", i > 0 ? GAP : "",
		    left[i] ? -w[i] : w[i], cell[i]) == -1)
			return -1;
	return buf_append(out, "\n", 1);
}

static int
format_sessions(const struct stats *st, struct buf *out)
{
	struct row	 r;
	int		 w[NCOLS], i, j;

	for (j = 0; j < NCOLS; j++)
		w[j] = (int)strlen(head[j]);
	for (i = 0; i < st->nsessions; i++) {
		make_row(&st->session[i], &r);
		for (j = 0; j < NCOLS; j++)
			w[j] = max_int(w[j], strlen(r.cell[j]));
	}
	if (put_row(out, w, head) == -1)
		return -1;
	for (i = 0; i < st->nsessions; i++) {
		make_row(&st->session[i], &r);
		if (put_row(out, w, r.cell) == -1)
			return -1;
	}
	return 0;
}

int
stats_format(const struct stats *st, struct buf *out)
{
	if (format_counters(st, out) == -1 || buf_append(out, "\n", 1) == -1)
		return -1;
	return format_sessions(st, out);
}
