/*
 * check_main: the unit test runner.  One suite per module; every test
 * runs in its own process (CK_FORK) so a crash is a failure, not a dead
 * run.  Exits 0 only when every check passed.
 */
#include <stdlib.h>

#include <check.h>

#include "suites.h"

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(line_suite());
	srunner_add_suite(sr, frame_suite());
	srunner_add_suite(sr, reply_suite());
	srunner_add_suite(sr, cmd_suite());
	srunner_add_suite(sr, parse_suite());
	srunner_add_suite(sr, buf_suite());
	srunner_add_suite(sr, log_suite());
	srunner_add_suite(sr, config_suite());
	srunner_add_suite(sr, scoreboard_suite());
	srunner_add_suite(sr, ratelimit_suite());
	srunner_add_suite(sr, exitcode_suite());
	srunner_add_suite(sr, verbs_suite());
	srunner_add_suite(sr, options_suite());
	srunner_add_suite(sr, stats_suite());
	srunner_add_suite(sr, bench_suite());
	srunner_add_suite(sr, client_suite());
	srunner_add_suite(sr, netio_suite());
	srunner_add_suite(sr, clock_suite());
	srunner_add_suite(sr, histo_suite());
	srunner_add_suite(sr, sock_suite());
	srunner_add_suite(sr, sig_suite());
	srunner_add_suite(sr, reaper_suite());
	srunner_add_suite(sr, fds_suite());
	srunner_add_suite(sr, proctitle_suite());
	srunner_add_suite(sr, daemon_suite());
	srunner_add_suite(sr, privs_suite());
	srunner_add_suite(sr, watch_suite());
	srunner_add_suite(sr, session_suite());
	srunner_add_suite(sr, udp_worker_suite());
	srunner_add_suite(sr, worker_suite());
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
