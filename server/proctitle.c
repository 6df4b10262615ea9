/*
 * proctitle: on Linux, /proc/PID/cmdline is read from the memory that held
 * the original argv and environ strings, which lie end to end.  We move
 * those strings to the heap and write the title over that span.  The BSDs
 * have setproctitle(3); elsewhere the title is simply not shown.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proctitle.h"

#define TITLE_MAX	128

extern char **environ;

static char	*area;		/* the old argv/environ span, or NULL */
static size_t	 area_len;
static size_t	 dirty;		/* bytes the last title may have used */

#if defined(__linux__)
/* Extend end over each string of v that follows it directly. */
static char *
extend(char **v, char *end)
{
	int	 i;

	for (i = 0; v[i] != NULL; i++)
		if (v[i] == end + 1)
			end = v[i] + strlen(v[i]);
	return end;
}

/* Heap copies of the n strings of v, in a NULL-terminated vector. */
static char **
copy_vector(char **v, int n)
{
	char	**c;
	int	  i;

	if ((c = calloc((size_t)n + 1, sizeof(*c))) == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		if ((c[i] = strdup(v[i])) == NULL)
			return NULL;
	return c;
}
#endif

int
proctitle_init(int argc, char **argv)
{
#if defined(__linux__)
	char	**env, *end;
	int	  i, nenv;

	if (argc < 1 || argv[0] == NULL)
		return 0;
	end = extend(environ, extend(argv, argv[0] + strlen(argv[0])));
	for (nenv = 0; environ[nenv] != NULL; nenv++)
		continue;
	if ((env = copy_vector(environ, nenv)) == NULL)
		return -1;
	area = argv[0];
	area_len = (size_t)(end - area) + 1;
	for (i = 0; i < argc; i++)
		if ((argv[i] = strdup(argv[i])) == NULL)
			return -1;
	environ = env;
#else
	(void)argc;
	(void)argv;
#endif
	return 0;
}

void
proctitle_set(const char *fmt, ...)
{
	char	 title[TITLE_MAX];
	va_list	 ap;

	va_start(ap, fmt);
	(void)vsnprintf(title, sizeof(title), fmt, ap);
	va_end(ap);
#if defined(__FreeBSD__) || defined(__NetBSD__) || defined(__OpenBSD__) || \
    defined(__DragonFly__)
	setproctitle("%s", title);	/* adds "forkd: " itself */
#else
	size_t	 n;

	if (area == NULL || area_len < 2)
		return;
	n = (size_t)snprintf(area, area_len, "forkd: %s", title);
	if (n >= area_len)
		n = area_len - 1;
	/* The first time, clear the whole span; then what the last title used. */
	if (dirty == 0)
		dirty = area_len;
	if (dirty > n)
		memset(area + n, 0, dirty - n);
	dirty = n + 1;
#endif
}
