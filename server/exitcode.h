/*
 * exitcode: turn a wait(2) status into words for the reap log line:
 * "status=exit:10 reason=idle-timeout" or "status=signal:9 reason=SIGKILL".
 * Never a raw wait status.
 */
#ifndef EXITCODE_H
#define EXITCODE_H

#include <stddef.h>

/* "SIGKILL" for 9, or "SIG<n>" for an unnamed one, into out[size]. */
void	exitcode_signame(int signo, char *out, size_t size);
/* "status=exit:10 reason=idle-timeout" for a session's end code. */
void	exitcode_describe_end(int code, char *out, size_t size);
/* Describe a session child's wait status into out[size]. */
void	exitcode_describe(int wstatus, char *out, size_t size);

#endif
