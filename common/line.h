/*
 * line: the incremental line-mode decoder (telnet, nc).  Pure: bytes in,
 * at most one complete line out per call, no descriptor inside, so it can
 * be fed one byte at a time in a test.  Rules (docs/PROTOCOL.md):
 * LF, CR LF and CR NUL end a line; any other lone CR is dropped; telnet
 * IAC sequences are removed (IAC IAC is a literal 0xFF; WILL/WONT/DO/DONT
 * take an option byte; SB ... IAC SE is skipped whole).
 */
#ifndef LINE_H
#define LINE_H

#include <stddef.h>

enum line_status {
	LINE_MORE,	/* every byte consumed, no complete line yet */
	LINE_READY,	/* d->line[0..d->len) is a complete line */
	LINE_TOO_LONG	/* the line passed d->max bytes: stream is lost */
};

struct line_decoder {
	char	*line;	/* caller-owned, at least max bytes */
	size_t	 max;	/* longest line accepted, terminator not counted */
	size_t	 len;	/* bytes of the current line so far */
	int	 state;	/* private: CR / telnet command state */
	int	 ready;	/* private: last call returned LINE_READY */
};

/* Start decoding into line[0..max). */
void	line_init(struct line_decoder *, char *line, size_t max);
/*
 * Feed up to n bytes.  Returns the status and stores in *used how many
 * bytes were consumed: on LINE_READY the rest of the input is still
 * unread and goes into the next call (which starts a new line).
 */
enum line_status line_feed(struct line_decoder *, const void *in, size_t n,
	    size_t *used);
/* 1 while part of a line (or of a telnet command) has been fed. */
int	line_partial(const struct line_decoder *);
/*
 * At end of input: 1 if an unterminated line is pending (it is then in
 * d->line[0..d->len) and counts as ready), else 0.
 */
int	line_finish(struct line_decoder *);

#endif
