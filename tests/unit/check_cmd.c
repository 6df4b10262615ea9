/*
 * check_cmd: the request grammar "VERB [ARGS]".  Case-insensitive verbs,
 * ARGS as everything after the single space (binary-safe, maybe empty),
 * unknown verbs and prefixes, which verbs carry a body, the HELP table.
 */
#include <string.h>

#include <check.h>

#include "cmd.h"
#include "suites.h"

static void
parse_str(const char *req, struct cmd *c)
{
	memset(c, 0xa5, sizeof(*c));
	cmd_parse(req, strlen(req), c);
}

static const struct verb_case {
	const char	*req;
	enum cmd_verb	 verb;
	const char	*name;
} verb_cases[] = {
	{ "HELP", CMD_HELP, "HELP" },
	{ "help", CMD_HELP, "HELP" },
	{ "HeLp", CMD_HELP, "HELP" },
	{ "ECHO", CMD_ECHO, "ECHO" },
	{ "echo", CMD_ECHO, "ECHO" },
	{ "TIME", CMD_TIME, "TIME" },
	{ "tImE", CMD_TIME, "TIME" },
	{ "PID", CMD_PID, "PID" },
	{ "pid", CMD_PID, "PID" },
	{ "STATS", CMD_STATS, "STATS" },
	{ "Stats", CMD_STATS, "STATS" },
	{ "SLEEP", CMD_SLEEP, "SLEEP" },
	{ "sLEEP", CMD_SLEEP, "SLEEP" },
	{ "QUIT", CMD_QUIT, "QUIT" },
	{ "quit", CMD_QUIT, "QUIT" },
};

START_TEST(test_verbs)
{
	const struct verb_case	*vc = &verb_cases[_i];
	struct cmd		 c;

	parse_str(vc->req, &c);
	ck_assert_int_eq(c.verb, vc->verb);
	ck_assert_str_eq(c.name, vc->name);
	ck_assert_ptr_null(c.args);
	ck_assert_uint_eq(c.argslen, 0);
}
END_TEST

START_TEST(test_args)
{
	static const char	 req[] = "ECHO hello world";
	struct cmd		 c;

	parse_str(req, &c);
	ck_assert_int_eq(c.verb, CMD_ECHO);
	ck_assert_ptr_eq(c.args, req + 5);
	ck_assert_uint_eq(c.argslen, 11);
	ck_assert_mem_eq(c.args, "hello world", 11);
}
END_TEST

START_TEST(test_args_single_space)
{
	static const char	 req[] = "echo  two  spaces ";
	struct cmd		 c;

	/* Only the one space after the verb is syntax. */
	parse_str(req, &c);
	ck_assert_int_eq(c.verb, CMD_ECHO);
	ck_assert_uint_eq(c.argslen, 13);
	ck_assert_mem_eq(c.args, " two  spaces ", 13);
}
END_TEST

START_TEST(test_args_empty)
{
	static const char	 req[] = "ECHO ";
	struct cmd		 c;

	parse_str(req, &c);
	ck_assert_int_eq(c.verb, CMD_ECHO);
	ck_assert_ptr_nonnull(c.args);
	ck_assert_ptr_eq(c.args, req + 5);
	ck_assert_uint_eq(c.argslen, 0);
}
END_TEST

START_TEST(test_args_binary)
{
	static const char	 req[] = "ECHO a\0b\xff\r\n ";
	struct cmd		 c;

	memset(&c, 0, sizeof(c));
	cmd_parse(req, sizeof(req) - 1, &c);
	ck_assert_int_eq(c.verb, CMD_ECHO);
	ck_assert_uint_eq(c.argslen, 7);
	ck_assert_mem_eq(c.args, "a\0b\xff\r\n ", 7);
}
END_TEST

START_TEST(test_sleep_args)
{
	struct cmd	 c;

	parse_str("SLEEP 250", &c);
	ck_assert_int_eq(c.verb, CMD_SLEEP);
	ck_assert_uint_eq(c.argslen, 3);
	ck_assert_mem_eq(c.args, "250", 3);
}
END_TEST

START_TEST(test_len_not_nul)
{
	struct cmd	 c;

	/* The length decides, not a NUL: "HELPxyz" cut at 4 is HELP. */
	cmd_parse("HELPxyz", 4, &c);
	ck_assert_int_eq(c.verb, CMD_HELP);
	ck_assert_ptr_null(c.args);
	cmd_parse("ECHO hello", 4, &c);
	ck_assert_int_eq(c.verb, CMD_ECHO);
	ck_assert_ptr_null(c.args);
	ck_assert_uint_eq(c.argslen, 0);
	cmd_parse("ECHO hello", 7, &c);
	ck_assert_uint_eq(c.argslen, 2);
	ck_assert_mem_eq(c.args, "he", 2);
}
END_TEST

/* Bytes strncasecmp might fold in some locale, and NULs: never a verb. */
START_TEST(test_not_ascii)
{
	struct cmd	 c;

	cmd_parse("PID\0", 4, &c);
	ck_assert_int_eq(c.verb, CMD_UNKNOWN);
	cmd_parse("PID\0X", 5, &c);
	ck_assert_int_eq(c.verb, CMD_UNKNOWN);
	cmd_parse("P\0D", 3, &c);
	ck_assert_int_eq(c.verb, CMD_UNKNOWN);
	cmd_parse("\xc9" "CHO", 4, &c);	/* Latin-1 E acute */
	ck_assert_int_eq(c.verb, CMD_UNKNOWN);
	cmd_parse("\xe9" "cho", 4, &c);	/* Latin-1 e acute */
	ck_assert_int_eq(c.verb, CMD_UNKNOWN);
	cmd_parse("QU\x89T", 4, &c);	/* 'I' with the high bit */
	ck_assert_int_eq(c.verb, CMD_UNKNOWN);
	cmd_parse("qUiT", 4, &c);
	ck_assert_int_eq(c.verb, CMD_QUIT);
}
END_TEST

static const char *const unknown_cases[] = {
	"FOO", "FOO bar", "ECHOX", "ECHOX hi", "ECH", "HELPME", "PIDS",
	"QUITT", "SLEEPY 1", "STAT", "E", "", " ECHO x", "\tECHO", "ECHO\tx",
};

START_TEST(test_unknown)
{
	struct cmd	 c;

	parse_str(unknown_cases[_i], &c);
	ck_assert_int_eq(c.verb, CMD_UNKNOWN);
	ck_assert_str_eq(c.name, "unknown");
}
END_TEST

START_TEST(test_unknown_nul)
{
	struct cmd	 c;

	/* A NUL inside the verb is not a shorter verb. */
	cmd_parse("EC\0HO", 5, &c);
	ck_assert_int_eq(c.verb, CMD_UNKNOWN);
	cmd_parse("HELP\0", 5, &c);
	ck_assert_int_eq(c.verb, CMD_UNKNOWN);
}
END_TEST

START_TEST(test_has_body)
{
	ck_assert_int_eq(cmd_has_body(CMD_HELP), 1);
	ck_assert_int_eq(cmd_has_body(CMD_STATS), 1);
	ck_assert_int_eq(cmd_has_body(CMD_ECHO), 0);
	ck_assert_int_eq(cmd_has_body(CMD_TIME), 0);
	ck_assert_int_eq(cmd_has_body(CMD_PID), 0);
	ck_assert_int_eq(cmd_has_body(CMD_SLEEP), 0);
	ck_assert_int_eq(cmd_has_body(CMD_QUIT), 0);
	ck_assert_int_eq(cmd_has_body(CMD_UNKNOWN), 0);
}
END_TEST

START_TEST(test_help_table)
{
	static const char *const order[] = {
		"HELP", "ECHO", "TIME", "PID", "STATS", "SLEEP", "QUIT"
	};
	size_t	 i, n;

	for (i = 0; cmd_help[i] != NULL; i++) {
		ck_assert_uint_lt(i, sizeof(order) / sizeof(order[0]));
		n = strlen(order[i]);
		ck_assert_msg(strncmp(cmd_help[i], order[i], n) == 0 &&
		    cmd_help[i][n] == ' ', "help line %zu is \"%s\", want %s",
		    i, cmd_help[i], order[i]);
	}
	ck_assert_uint_eq(i, sizeof(order) / sizeof(order[0]));
}
END_TEST

Suite *
cmd_suite(void)
{
	Suite	*s = suite_create("cmd");
	TCase	*tc;

	tc = tcase_create("Core");
	tcase_set_timeout(tc, 10);
	tcase_add_loop_test(tc, test_verbs, 0,
	    (int)(sizeof(verb_cases) / sizeof(verb_cases[0])));
	tcase_add_test(tc, test_args);
	tcase_add_test(tc, test_not_ascii);
	tcase_add_test(tc, test_args_single_space);
	tcase_add_test(tc, test_sleep_args);
	tcase_add_loop_test(tc, test_unknown, 0,
	    (int)(sizeof(unknown_cases) / sizeof(unknown_cases[0])));
	tcase_add_test(tc, test_has_body);
	tcase_add_test(tc, test_help_table);
	suite_add_tcase(s, tc);

	tc = tcase_create("Limits");
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_args_empty);
	tcase_add_test(tc, test_args_binary);
	tcase_add_test(tc, test_len_not_nul);
	tcase_add_test(tc, test_unknown_nul);
	suite_add_tcase(s, tc);
	return s;
}
