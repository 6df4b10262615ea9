/*
 * check_proctitle: the argv-area title on Linux, over a fake argv and
 * environ laid end to end in one block, as the kernel lays out the real
 * ones.  Each scenario runs in a child of its own (proctitle_init swaps
 * environ and the module keeps the area), reporting the step that failed
 * through its exit status.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <check.h>

#include "proctitle.h"
#include "suites.h"

extern char **environ;

/* "forkd -d -p 0" and FOO=bar HOME=/x, as one span of 30 bytes. */
#define BLOCK	"forkd\0-d\0-p\0" "0\0" "FOO=bar\0" "HOME=/x"
#define SPAN	((int)sizeof(BLOCK))
#define GUARD	'G'

static char	 mem[64];
static char	*av[5], *ev[3];
static char	*elsewhere;	/* argv[2] when not in the block */
static int	 copied;	/* proctitle_init made heap copies */

static void
lay_out(int adjacent)
{
	memset(mem, GUARD, sizeof(mem));
	memcpy(mem, BLOCK, sizeof(BLOCK));
	av[0] = mem;
	av[1] = mem + 6;
	/* Not adjacent: argv[2] lives elsewhere, the span ends at argv[1]. */
	elsewhere = adjacent ? NULL : strdup("-p");
	av[2] = adjacent ? mem + 9 : elsewhere;
	av[3] = mem + 12;
	av[4] = NULL;
	ev[0] = mem + 14;
	ev[1] = mem + 22;
	ev[2] = NULL;
	environ = ev;
}

/* The span holds "forkd: " title, then only NULs up to its end. */
static int
shows(const char *title, int span)
{
	int	 n = (int)strlen(title), i;

	if (memcmp(mem, title, (size_t)n) != 0)
		return 0;
	for (i = n; i < span; i++)
		if (mem[i] != '\0')
			return 0;
	for (i = span; i < (int)sizeof(mem); i++)
		if (mem[i] != GUARD)
			return 0;
	return 1;
}

static int
in_block(const char *p)
{
	return p >= mem && p < mem + sizeof(mem);
}

static int
whole(void)
{
	const char	*foo;
	int		 i;

	lay_out(1);
	if (proctitle_init(4, av) != 0)
		return 1;
	copied = 1;
	/* Arguments and environment still read the same, from the heap. */
	for (i = 0; i < 4; i++)
		if (in_block(av[i]))
			return 2;
	if (strcmp(av[0], "forkd") != 0 || strcmp(av[1], "-d") != 0 ||
	    strcmp(av[2], "-p") != 0 || strcmp(av[3], "0") != 0 ||
	    av[4] != NULL)
		return 3;
	if (environ == ev || (foo = getenv("FOO")) == NULL ||
	    strcmp(foo, "bar") != 0 || in_block(foo))
		return 4;
	if (getenv("HOME") == NULL || strcmp(getenv("HOME"), "/x") != 0)
		return 5;
	proctitle_set("listener %d/%d", 3, 256);
	if (!shows("forkd: listener 3/256", SPAN))
		return 6;
	/* A shorter title leaves nothing of the longer one. */
	proctitle_set("child");
	if (!shows("forkd: child", SPAN))
		return 7;
	/* Too long: cut to the span, NUL-terminated, not a byte beyond. */
	proctitle_set("%s", "child 127.0.0.1:54515 reading a request");
	if (!shows("forkd: child 127.0.0.1:54515 ", SPAN))
		return 8;
	proctitle_set("x");
	if (!shows("forkd: x", SPAN))
		return 9;
	/* Words, as a child sets them: longer again after a short one. */
	proctitle_words("child", "10.0.0.1:1", "idle", (const char *)NULL);
	if (!shows("forkd: child 10.0.0.1:1 idle", SPAN))
		return 11;
	proctitle_words("child", "127.0.0.1:54515", "reading", "a request",
	    (const char *)NULL);
	if (!shows("forkd: child 127.0.0.1:54515 ", SPAN))
		return 12;
	proctitle_words("x", (const char *)NULL);
	if (!shows("forkd: x", SPAN))
		return 13;
	if (strcmp(av[1], "-d") != 0 || strcmp(getenv("FOO"), "bar") != 0)
		return 10;
	return 0;
}

/* The span stops where the strings stop being adjacent. */
static int
partial(void)
{
	lay_out(0);
	if (proctitle_init(4, av) != 0)
		return 1;
	copied = 1;
	proctitle_set("%s", "a long title, longer than the span");
	/* "forkd\0-d\0" is 9 bytes: 8 of title and a NUL. */
	if (memcmp(mem, "forkd: a", 9) != 0)
		return 2;
	if (memcmp(mem + 9, "-p\0" "0\0" "FOO=bar", 12) != 0)
		return 3;
	return 0;
}

/* Without init (or with no argv) a title changes nothing. */
static int
untouched(void)
{
	lay_out(1);
	proctitle_set("listener");
	if (memcmp(mem, BLOCK, sizeof(BLOCK)) != 0)
		return 1;
	if (proctitle_init(0, av) != 0)
		return 2;
	proctitle_set("listener");
	if (memcmp(mem, BLOCK, sizeof(BLOCK)) != 0 || environ != ev)
		return 3;
	return 0;
}

/* Free the heap copies init made of argv and environ (and ours). */
static void
cleanup(void)
{
	int	 i;

	free(elsewhere);
	if (!copied)
		return;
	for (i = 0; av[i] != NULL; i++)
		free(av[i]);
	for (i = 0; environ[i] != NULL; i++)
		free(environ[i]);
	free(environ);
	environ = ev;
}

static void
run(int (*fn)(void), const char *name)
{
	pid_t	 pid, r;
	int	 st;

	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		st = fn();
		cleanup();
		_exit(st);
	}
	while ((r = waitpid(pid, &st, 0)) == -1 && errno == EINTR)
		continue;
	ck_assert_int_eq(r, pid);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	    "%s: status %#x (step %d)", name, st, WEXITSTATUS(st));
}

START_TEST(test_whole)
{
	run(whole, "whole span");
}
END_TEST

START_TEST(test_partial)
{
	run(partial, "partial span");
}
END_TEST

START_TEST(test_untouched)
{
	run(untouched, "no init");
}
END_TEST

Suite *
proctitle_suite(void)
{
	Suite	*s = suite_create("proctitle");
	TCase	*tc;

	tc = tcase_create("Core");
	tcase_set_timeout(tc, 5);
#if defined(__linux__)
	tcase_add_test(tc, test_whole);
	tcase_add_test(tc, test_partial);
#else
	(void)test_whole;
	(void)test_partial;
#endif
	tcase_add_test(tc, test_untouched);
	suite_add_tcase(s, tc);
	return s;
}
