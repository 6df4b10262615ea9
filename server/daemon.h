/*
 * daemon: the classic way to leave the terminal (fork, setsid, fork,
 * chdir /, umask, stdio to /dev/null) and the pidfile that says where the
 * daemon went.
 */
#ifndef DAEMON_H
#define DAEMON_H

/* Become a daemon; the caller continues as the grandchild. -1 on error. */
int	daemon_detach(void);
/* Write our pid to path (-1 with errno set); remove it at exit. */
int	daemon_pidfile_write(const char *path);
void	daemon_pidfile_remove(const char *path);

#endif
