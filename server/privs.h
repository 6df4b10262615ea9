/*
 * privs: give up root after the sockets are bound.  Binding a port below
 * 1024 may need root; serving clients must not.
 */
#ifndef PRIVS_H
#define PRIVS_H

/*
 * Become user (its uid, its primary gid, no supplementary groups), and
 * check that root cannot be regained.  Returns 0, or -1 with *errstr.
 */
int	privs_drop(const char *user, const char **errstr);

#endif
