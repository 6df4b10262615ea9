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

/*
 * getopt_long around both command lines.  parse_getopt_reset() starts
 * it afresh and quietly (glibc re-initialises on optind 0, others on 1),
 * so a command line can be parsed twice, as the unit tests do.
 */
void	parse_getopt_reset(void);
/*
 * After getopt returned ch '?' (unknown) or ':' (value missing) while
 * reading word, the argument optind pointed at before the call: "unknown
 * option: -x" or "option needs a value: --long" into out[size].
 */
void	parse_option_error(int ch, const char *word, char *out, size_t size);

#endif
