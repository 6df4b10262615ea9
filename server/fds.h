/*
 * fds: the descriptors a process holds.  forkd closes whatever it
 * inherited above stderr at start, so nothing leaks into its children,
 * and at -vv each child lists what it holds (the fd audit).
 */
#ifndef FDS_H
#define FDS_H

#include <stddef.h>

/* Close every descriptor >= lowest. */
void	fds_close_from(int lowest);
/*
 * The open descriptors as "0,1,2,3,8" into out[size].  Returns the
 * number found, or -1 when they cannot be listed.
 */
int	fds_list(char *out, size_t size);

#endif
