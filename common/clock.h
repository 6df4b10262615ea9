/*
 * clock: the two clocks forkd needs.  Deadlines and ages use the
 * monotonic clock (immune to date changes, shared by all processes);
 * log lines and TIME use UTC wall time in ISO 8601.
 */
#ifndef CLOCK_H
#define CLOCK_H

#include <stddef.h>
#include <stdint.h>

/* Monotonic milliseconds and microseconds since an arbitrary origin. */
int64_t	clock_ms(void);
int64_t	clock_us(void);
/* Milliseconds from now until deadline, clamped to [0, INT_MAX] for poll(). */
int	clock_until(int64_t deadline_ms);
/* "2026-11-23T15:50:41Z" (millis=0) or "2026-11-23T15:50:41.001Z". */
size_t	clock_iso8601(char *out, size_t size, int millis);

#endif
