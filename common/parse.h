/*
 * parse: checked conversion of option values (strtonum style).  Each
 * returns 0, or -1 with *errstr set to "invalid", "too small" or
 * "too large" and the result untouched.
 */
#ifndef PARSE_H
#define PARSE_H

/* A non-negative decimal integer (digits only, no sign) in [min, max]. */
int	parse_num(const char *, long long min, long long max, long long *out,
	    const char **errstr);
/* A size with optional K or M suffix (KiB, MiB), in [min, max] bytes. */
int	parse_size(const char *, long long min, long long max, long long *out,
	    const char **errstr);
/* Seconds with up to 3 decimals ("5", "0.25"), as milliseconds in [min, max]. */
int	parse_seconds(const char *, long long min_ms, long long max_ms,
	    long long *ms, const char **errstr);

#endif
