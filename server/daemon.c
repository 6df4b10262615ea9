/*
 * daemon: detach in two forks.  setsid() in the first child makes a new
 * session without a terminal; the second fork makes sure the daemon is
 * not a session leader, so opening a tty can never make it its own.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon.h"

int
daemon_detach(void)
{
	pid_t	 pid;
	int	 fd;

	if ((pid = fork()) == -1)
		return -1;
	if (pid != 0)
		_exit(0);
	if (setsid() == -1)
		return -1;
	if ((pid = fork()) == -1)
		return -1;
	if (pid != 0)
		_exit(0);
	if (chdir("/") == -1)
		return -1;
	umask(022);
	if ((fd = open("/dev/null", O_RDWR)) == -1)
		return -1;
	if (dup2(fd, STDIN_FILENO) == -1 || dup2(fd, STDOUT_FILENO) == -1 ||
	    dup2(fd, STDERR_FILENO) == -1)
		return -1;
	if (fd > STDERR_FILENO)
		(void)close(fd);
	return 0;
}

int
daemon_pidfile_write(const char *path)
{
	char	 line[32];
	int	 fd, n, rc = 0;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd == -1)
		return -1;
	n = snprintf(line, sizeof(line), "%ld\n", (long)getpid());
	if (write(fd, line, (size_t)n) != n)
		rc = -1;
	if (close(fd) == -1)
		rc = -1;
	return rc;
}

void
daemon_pidfile_remove(const char *path)
{
	if (path != NULL)
		(void)unlink(path);
}
