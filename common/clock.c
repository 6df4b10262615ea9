/*
 * clock: monotonic time for every deadline and age, UTC for humans.
 */
#include <limits.h>
#include <stdio.h>
#include <time.h>

#include "clock.h"

int64_t
clock_us(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t
clock_ms(void)
{
	return clock_us() / 1000;
}

int
clock_until(int64_t deadline_ms)
{
	int64_t	 d = deadline_ms - clock_ms();

	if (d < 0)
		return 0;
	return d > INT_MAX ? INT_MAX : (int)d;
}

size_t
clock_iso8601(char *out, size_t size, int millis)
{
	struct timespec	 ts;
	struct tm	 tm;
	size_t		 n;
	int		 r;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	/* No room for the date and time: nothing, rather than a lone "Z". */
	if ((n = strftime(out, size, "%Y-%m-%dT%H:%M:%S", &tm)) == 0) {
		if (size > 0)
			out[0] = '\0';
		return 0;
	}
	if (millis)
		r = snprintf(out + n, size - n, ".%03ldZ",
		    (long)(ts.tv_nsec / 1000000));
	else
		r = snprintf(out + n, size - n, "Z");
	return r > 0 && n + (size_t)r < size ? n + (size_t)r : n;
}
