/*
 * parse: option values, strictly.  No sign tricks, no trailing junk, no
 * silent wrap: "8K" is 8192, "0.25" seconds is 250 ms, "12abc" is invalid.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

static int
check_range(long long v, long long min, long long max, long long *out,
    const char **errstr)
{
	if (v < min) {
		*errstr = "too small";
		return -1;
	}
	if (v > max) {
		*errstr = "too large";
		return -1;
	}
	*out = v;
	*errstr = NULL;
	return 0;
}

/* Leading decimal digits of s as a value; *end after them. -1 if none. */
static int
digits(const char *s, long long *v, const char **end, const char **errstr)
{
	char	*e;

	if (!isdigit((unsigned char)s[0])) {
		*errstr = "invalid";
		return -1;
	}
	errno = 0;
	*v = strtoll(s, &e, 10);
	if (errno == ERANGE) {
		*errstr = "too large";
		return -1;
	}
	*end = e;
	return 0;
}

int
parse_num(const char *s, long long min, long long max, long long *out,
    const char **errstr)
{
	const char	*end;
	long long	 v;

	if (digits(s, &v, &end, errstr) == -1)
		return -1;
	if (*end != '\0') {
		*errstr = "invalid";
		return -1;
	}
	return check_range(v, min, max, out, errstr);
}

int
parse_size(const char *s, long long min, long long max, long long *out,
    const char **errstr)
{
	const char	*end;
	long long	 v, mult = 1;

	if (digits(s, &v, &end, errstr) == -1)
		return -1;
	if (*end == 'K' || *end == 'k')
		mult = 1024, end++;
	else if (*end == 'M' || *end == 'm')
		mult = 1024 * 1024, end++;
	if (*end != '\0') {
		*errstr = "invalid";
		return -1;
	}
	if (v > max / mult) {
		*errstr = "too large";
		return -1;
	}
	return check_range(v * mult, min, max, out, errstr);
}

int
parse_seconds(const char *s, long long min_ms, long long max_ms,
    long long *ms, const char **errstr)
{
	const char	*end;
	long long	 sec, frac = 0, scale = 100;

	if (digits(s, &sec, &end, errstr) == -1)
		return -1;
	if (*end == '.') {
		for (end++; isdigit((unsigned char)*end) && scale > 0; end++) {
			frac += (*end - '0') * scale;
			scale /= 10;
		}
		if (scale == 100 || *end != '\0') {
			*errstr = "invalid";
			return -1;
		}
	} else if (*end != '\0') {
		*errstr = "invalid";
		return -1;
	}
	/* sec * 1000 + frac <= max_ms, checked without overflowing. */
	if (sec > (max_ms - frac) / 1000 ||
	    (max_ms - frac < 0 && sec == 0 && frac > max_ms)) {
		*errstr = "too large";
		return -1;
	}
	return check_range(sec * 1000 + frac, min_ms, max_ms, ms, errstr);
}

void
parse_getopt_reset(void)
{
#ifdef __GLIBC__
	optind = 0;
#else
	optind = 1;
#endif
	opterr = 0;
}

void
parse_option_error(int ch, const char *word, char *out, size_t size)
{
	const char	*what = ch == ':' ? "option needs a value" :
	    "unknown option";

	/*
	 * A long option is named as typed (optopt may hold its short twin);
	 * a short one by optopt, since word may be a cluster like "-vx".
	 */
	if (strncmp(word, "--", 2) != 0 && optopt > 0 && optopt < 128 &&
	    isalnum(optopt))
		snprintf(out, size, "%s: -%c", what, optopt);
	else
		snprintf(out, size, "%s: %s", what, word);
}
