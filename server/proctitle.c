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

/* Append " word" (or "word" at the start) to the n bytes of dst. */
static size_t
append(char *dst, size_t room, size_t n, const char *word)
{
	size_t	 len;

	if (n > 0 && n < room)
		dst[n++] = ' ';
	len = strnlen(word, room - n);
	memcpy(dst + n, word, len);
	return n + len;
}

/*
 * Set the title to "forkd:" and the words, space-separated.  No printf:
 * a child sets its title at every state change, and stdio's formatting
 * code and stack would be more pages for it to fault in after the fork.
 */
static void
put_words(const char *word, va_list ap)
{
#if defined(__FreeBSD__) || defined(__NetBSD__) || defined(__OpenBSD__) || \
    defined(__DragonFly__)
	char	 title[TITLE_MAX];
	size_t	 n = 0;

	for (; word != NULL; word = va_arg(ap, const char *))
		n = append(title, sizeof(title) - 1, n, word);
	title[n] = '\0';
	setproctitle("%s", title);	/* adds "forkd: " itself */
#else
	size_t	 n, room;

	if (area == NULL || area_len < 2)
		return;
	/* TITLE_MAX bytes in all, "forkd: " included, and the NUL after. */
	room = area_len - 1 < TITLE_MAX ? area_len - 1 : TITLE_MAX;
	n = append(area, room, 0, "forkd:");
	for (; word != NULL; word = va_arg(ap, const char *))
		n = append(area, room, n, word);
	area[n] = '\0';
	/* The first time, clear the whole span; then what the last title used. */
	if (dirty == 0)
		dirty = area_len;
	if (dirty > n)
		memset(area + n, 0, dirty - n);
	dirty = n + 1;
#endif
}

void
proctitle_words(const char *word, ...)
{
	va_list	 ap;

	va_start(ap, word);
	put_words(word, ap);
	va_end(ap);
}

void
proctitle_set(const char *fmt, ...)
{
	char	 title[TITLE_MAX];
	va_list	 ap;

	va_start(ap, fmt);
	(void)vsnprintf(title, sizeof(title), fmt, ap);
	va_end(ap);
	proctitle_words(title, (const char *)NULL);
}
