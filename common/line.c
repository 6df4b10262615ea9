/*
 * line: line-mode decoder, one state machine over bytes.  The telnet
 * states exist because a telnet client may send option negotiation at any
 * time; forkd never negotiates, it only skips the commands.
 */
#include "line.h"

#define IAC	255
#define DONT	254
#define DO	253
#define WONT	252
#define WILL	251
#define SB	250
#define SE	240

enum {
	ST_DATA,	/* ordinary bytes */
	ST_CR,		/* after CR: LF or NUL ends the line */
	ST_IAC,		/* after IAC: a command byte */
	ST_OPT,		/* after WILL/WONT/DO/DONT: the option byte */
	ST_SB,		/* inside SB ... IAC SE */
	ST_SB_IAC	/* IAC inside SB */
};

void
line_init(struct line_decoder *d, char *line, size_t max)
{
	d->line = line;
	d->max = max;
	d->len = 0;
	d->state = ST_DATA;
	d->ready = 0;
}

/* Returns 0, or -1 when the line is full. */
static int
put(struct line_decoder *d, unsigned char c)
{
	if (d->len >= d->max)
		return -1;
	d->line[d->len++] = (char)c;
	return 0;
}

/* Returns 1 at end of line, 0 to go on, -1 when the line is too long. */
static int
step(struct line_decoder *d, unsigned char c)
{
	switch (d->state) {
	case ST_CR:
		d->state = ST_DATA;
		if (c == '\n' || c == '\0')
			return 1;
		/* A lone CR is dropped; c is an ordinary byte. */
		return step(d, c);
	case ST_IAC:
		d->state = ST_DATA;
		if (c == IAC)
			return put(d, c);
		if (c >= WILL && c <= DONT)
			d->state = ST_OPT;
		else if (c == SB)
			d->state = ST_SB;
		return 0;
	case ST_OPT:
		d->state = ST_DATA;
		return 0;
	case ST_SB:
		if (c == IAC)
			d->state = ST_SB_IAC;
		return 0;
	case ST_SB_IAC:
		d->state = c == SE ? ST_DATA : ST_SB;
		return 0;
	default:
		if (c == '\n')
			return 1;
		if (c == '\r')
			d->state = ST_CR;
		else if (c == IAC)
			d->state = ST_IAC;
		else
			return put(d, c);
		return 0;
	}
}

enum line_status
line_feed(struct line_decoder *d, const void *in, size_t n, size_t *used)
{
	const unsigned char	*p = in;
	size_t			 i;
	int			 r;

	if (d->ready) {
		d->ready = 0;
		d->len = 0;
	}
	for (i = 0; i < n; i++) {
		r = step(d, p[i]);
		if (r == -1) {
			*used = i;
			return LINE_TOO_LONG;
		}
		if (r == 1) {
			*used = i + 1;
			d->ready = 1;
			return LINE_READY;
		}
	}
	*used = n;
	return LINE_MORE;
}

int
line_partial(const struct line_decoder *d)
{
	return !d->ready && (d->len > 0 || d->state != ST_DATA);
}

int
line_finish(struct line_decoder *d)
{
	if (d->ready || d->len == 0)
		return 0;
	d->ready = 1;
	return 1;
}
