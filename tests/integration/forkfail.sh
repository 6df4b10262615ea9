#!/bin/sh
# A fork() that fails is answered like a cap: -ERR server busy, a
# `refuse reason=fork-failed` line, fork_failed counted, and the listener
# goes on serving.  Real failure, no injection: forkd runs as an
# unprivileged user whose process limit (RLIMIT_NPROC) leaves room for
# the listener, the UDP worker and one child only.
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/../../scripts/lib.sh"

user=nobody
if [ "$(id -u)" -ne 0 ] || ! have setpriv || ! have prlimit ||
    ! id "$user" >/dev/null 2>&1; then
	skip "fork failure" "needs root, setpriv, prlimit and user $user"
	finish
	exit
fi
if ! hold_user "$user"; then
	skip "fork failure" "another test kept user $user for 150 s"
	finish
	exit
fi
if ! setpriv --reuid="$user" --regid=nogroup --clear-groups test -x "$FORKD"; then
	skip "fork failure" "user $user cannot run $FORKD from this checkout"
	finish
	exit
fi
if [ "$(ps -o pid= -u "$user" | wc -l)" -ne 0 ]; then
	skip "fork failure" "user $user already runs processes; the limit would be off"
	finish
	exit
fi

# The root shell opens the log; the unprivileged forkd only inherits it.
FORKD_LOG=$T_TMP/forkfail.log
setpriv --reuid="$user" --regid=nogroup --clear-groups \
    prlimit --nproc=3 "$FORKD" -p 0 >"$FORKD_LOG" 2>&1 </dev/null &
FORKD_PID=$!
track "$FORKD_PID"
wait_until 5 grep -q ' udp-spawn ' "$FORKD_LOG" || { cat "$FORKD_LOG"; exit 1; }
FORKD_PORT=$(sed -n 's/.* start .*tcp_port=\([0-9]*\).*/\1/p' "$FORKD_LOG")

# Listener + UDP worker + this child = 3 processes: the limit.
timeout 10 "$FORKC" -p "$FORKD_PORT" -q -c 'SLEEP 3000' >/dev/null &
holder=$!
track "$holder"
wait_until 5 grep -q ' fork conn=1 ' "$FORKD_LOG"

out=$(timeout 10 "$FORKC" -p "$FORKD_PORT" -c TIME 2>&1)
rc=$?
expect_eq "refused client: forkc exits 1" 1 "$rc"
expect_eq "refused client reads -ERR server busy" "-ERR server busy" "$out"
check "log: refuse reason=fork-failed" grep -q ' refuse conn=2 .*reason=fork-failed' "$FORKD_LOG"

wait "$holder"
expect_eq "the session in progress is unharmed" 0 $?
wait_until 5 grep -q ' reap conn=1 ' "$FORKD_LOG"
stats=$(timeout 10 "$FORKC" -p "$FORKD_PORT" -q -c STATS)
expect_eq "the listener serves again once a slot is free" 0 $?
expect_match "STATS counts fork_failed=1" 'fork_failed=1 ' "$stats"
forkd_stop TERM
expect_eq "clean exit after fork failures" 0 "$FORKD_STATUS"
finish
