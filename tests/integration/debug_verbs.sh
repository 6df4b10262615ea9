#!/bin/sh
# --debug-verbs lets a client end its own child on purpose, so the reap
# of a failing or crashing child can be watched: EXIT n exits with n,
# CRASH aborts.  Without the option both are unknown commands.
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/../../scripts/lib.sh"

forkd_start || exit 1
out=$(fc -q -c CRASH)
expect_eq "off by default: CRASH is an unknown command" \
    "-ERR unknown command, try HELP" "$out"
forkd_stop TERM

forkd_start --debug-verbs || exit 1
out=$(fc -q -c 'EXIT 42')
expect_eq "EXIT 42: the reply comes first" "+OK exiting 42" "$out"
check "EXIT 42: reaped with exit:42" \
    wait_until 5 grep -q ' reap conn=1 .*status=exit:42 ' "$FORKD_LOG"
out=$(fc -q -c CRASH)
expect_eq "CRASH: the reply comes first" "+OK crashing" "$out"
check "CRASH: reaped with signal:6 reason=SIGABRT" \
    wait_until 5 grep -q ' reap conn=2 .*status=signal:6 reason=SIGABRT' "$FORKD_LOG"
out=$(fc -q -u -c CRASH)
expect_eq "not over UDP" "-ERR unknown command, try HELP" "$out"
stats=$(fc -q -c STATS)
expect_match "STATS: reaped_exit=1 reaped_signal=1" 'reaped_exit=1 reaped_signal=1$' "$stats"
check "no zombie" [ "$(zombies_of "$FORKD_PID")" -eq 0 ]
forkd_stop TERM
expect_eq "clean exit" 0 "$FORKD_STATUS"
finish
