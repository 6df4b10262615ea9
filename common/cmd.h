/*
 * cmd: the request grammar "VERB [ARGS]" shared by server and client.
 * Verbs are case-insensitive; ARGS is everything after the single space
 * that follows the verb, binary-safe.
 */
#ifndef CMD_H
#define CMD_H

#include <stddef.h>

enum cmd_verb {
	CMD_UNKNOWN = 0,
	CMD_HELP,
	CMD_ECHO,
	CMD_TIME,
	CMD_PID,
	CMD_STATS,
	CMD_SLEEP,
	CMD_QUIT,
	CMD_CRASH,	/* --debug-verbs only */
	CMD_EXIT	/* --debug-verbs only */
};

struct cmd {
	enum cmd_verb	 verb;
	const char	*name;	/* canonical upper-case verb, "unknown" if unknown */
	const char	*args;	/* points into the request; NULL if none */
	size_t		 argslen;
};

/* Split req[0..len) into verb and args; never fails (CMD_UNKNOWN). */
void	cmd_parse(const char *req, size_t len, struct cmd *);
/* 1 if a +OK reply to this verb carries a body (line mode ends it with "."). */
int	cmd_has_body(enum cmd_verb);
/* The verbs, in HELP order, NULL-terminated; "VERB args - what" lines. */
extern const char *const cmd_help[];
/* The same for the verbs that only --debug-verbs enables. */
extern const char *const cmd_debug_help[];

#endif
