/*
 * cmd: split a request into verb and arguments.  The verb table is the
 * single list of verbs: parsing, HELP and the client's knowledge of which
 * replies carry a body all read it.
 */
#include <string.h>

#include "cmd.h"

static const struct verb {
	const char	*name;
	enum cmd_verb	 verb;
	int		 has_body;
} verbs[] = {
	{ "HELP", CMD_HELP, 1 },
	{ "ECHO", CMD_ECHO, 0 },
	{ "TIME", CMD_TIME, 0 },
	{ "PID", CMD_PID, 0 },
	{ "STATS", CMD_STATS, 1 },
	{ "SLEEP", CMD_SLEEP, 0 },
	{ "QUIT", CMD_QUIT, 0 },
	{ "CRASH", CMD_CRASH, 0 },
	{ "EXIT", CMD_EXIT, 0 },
};

const char *const cmd_help[] = {
	"HELP - this list",
	"ECHO [text] - reply +OK text",
	"TIME - the server's UTC time, ISO 8601",
	"PID - which process serves this session",
	"STATS - server counters and live sessions",
	"SLEEP ms - wait ms milliseconds (0-10000), then reply",
	"QUIT - say goodbye and close",
	NULL
};

const char *const cmd_debug_help[] = {
	"CRASH - the serving child aborts (SIGABRT), to watch its reap",
	"EXIT n - the serving child exits with status n (0-255)",
	NULL
};

/*
 * Whether the len bytes of word spell name (upper case) in any case.
 * ASCII only: verbs are ASCII, and strncasecmp would read the locale's
 * tables, pages more for a freshly forked child to fault in.
 */
static int
is_verb(const char *name, const char *word, size_t len)
{
	size_t	 i;
	char	 c;

	for (i = 0; i < len; i++) {
		if (name[i] == '\0')
			return 0;
		c = word[i];
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (c != name[i])
			return 0;
	}
	return name[len] == '\0';
}

void
cmd_parse(const char *req, size_t len, struct cmd *c)
{
	const char	*sp;
	size_t		 vlen, i;

	sp = memchr(req, ' ', len);
	vlen = sp ? (size_t)(sp - req) : len;
	c->verb = CMD_UNKNOWN;
	c->name = "unknown";
	c->args = sp ? sp + 1 : NULL;
	c->argslen = sp ? len - vlen - 1 : 0;
	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
		if (is_verb(verbs[i].name, req, vlen)) {
			c->verb = verbs[i].verb;
			c->name = verbs[i].name;
			break;
		}
	}
}

int
cmd_has_body(enum cmd_verb v)
{
	size_t	 i;

	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (verbs[i].verb == v)
			return verbs[i].has_body;
	return 0;
}
