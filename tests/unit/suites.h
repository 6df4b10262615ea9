/*
 * suites: one Check suite per module, each built by its check_<module>.c
 * and run together by check_main.c.
 */
#ifndef SUITES_H
#define SUITES_H

#include <check.h>

Suite	*line_suite(void);
Suite	*frame_suite(void);
Suite	*reply_suite(void);
Suite	*cmd_suite(void);
Suite	*parse_suite(void);
Suite	*buf_suite(void);
Suite	*log_suite(void);
Suite	*config_suite(void);
Suite	*scoreboard_suite(void);
Suite	*ratelimit_suite(void);
Suite	*exitcode_suite(void);
Suite	*verbs_suite(void);
Suite	*options_suite(void);
Suite	*stats_suite(void);
Suite	*bench_suite(void);
Suite	*client_suite(void);
Suite	*netio_suite(void);
Suite	*clock_suite(void);
Suite	*histo_suite(void);
Suite	*sock_suite(void);
Suite	*sig_suite(void);
Suite	*reaper_suite(void);
Suite	*fds_suite(void);
Suite	*proctitle_suite(void);
Suite	*daemon_suite(void);
Suite	*privs_suite(void);
Suite	*watch_suite(void);
Suite	*session_suite(void);
Suite	*udp_worker_suite(void);
Suite	*worker_suite(void);

#endif
