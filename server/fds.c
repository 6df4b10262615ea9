/*
 * fds: list and close descriptors.  /proc/self/fd (or /dev/fd) names the
 * open ones exactly; where neither exists, probing each number up to a
 * bound with fcntl(F_GETFD) does the same job, more slowly.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fds.h"

#define PROBE_MAX	1024	/* fallback scan bound */
#define LIST_MAX	256

static DIR *
open_fd_dir(void)
{
	DIR	*d;

	if ((d = opendir("/proc/self/fd")) == NULL)
		d = opendir("/dev/fd");
	return d;
}

/*
 * Open descriptors from lowest up, in ascending order, into v[max]; the
 * count, or -1.
 */
static int
collect(int *v, int max, int lowest)
{
	struct dirent	*e;
	DIR		*d;
	int		 n = 0, fd, i, j, t;

	if ((d = open_fd_dir()) == NULL) {
		for (fd = lowest; fd < PROBE_MAX && n < max; fd++)
			if (fcntl(fd, F_GETFD) != -1)
				v[n++] = fd;
		return n;
	}
	while ((e = readdir(d)) != NULL && n < max) {
		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		if ((fd = atoi(e->d_name)) >= lowest && fd != dirfd(d))
			v[n++] = fd;
	}
	(void)closedir(d);
	for (i = 1; i < n; i++)		/* a handful: insertion sort */
		for (j = i; j > 0 && v[j - 1] > v[j]; j--)
		{
			t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return n;
}

void
fds_close_from(int lowest)
{
	int	 v[LIST_MAX], n, i;

	/* Repeat: a process may hold more than one list's worth. */
	while ((n = collect(v, LIST_MAX, lowest)) > 0) {
		int	 closed = 0;

		for (i = 0; i < n; i++)
			if (close(v[i]) == 0)
				closed++;
		if (closed == 0 || n < LIST_MAX)
			break;
	}
}

int
fds_list(char *out, size_t size)
{
	int	 v[LIST_MAX], n, i, total = 0, from = 0;
	size_t	 len = 0;

	if (size == 0)
		return -1;
	out[0] = '\0';
	/* A list's worth at a time (the directory lists in ascending order). */
	do {
		if ((n = collect(v, LIST_MAX, from)) < 0)
			return -1;
		for (i = 0; i < n; i++, total++)
			if (len < size)
				len += (size_t)snprintf(out + len, size - len,
				    "%s%d", total ? "," : "", v[i]);
		if (n > 0)
			from = v[n - 1] + 1;
	} while (n == LIST_MAX);
	return total;
}
