#!/bin/sh
# Fork per connection: 50 clients at once are served in parallel by 50
# distinct children, every one is reaped (no zombie, no fd leaked in the
# listener), and log lines from 50 processes never interleave.
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/../../scripts/lib.sh"
set -u
N=50

forkd_start -v || exit 1
fds_before=$(fd_count "$FORKD_PID")
DIR=$T_TMP/clients

t0=$(date +%s%N)
summary=$("$TOP/scripts/clients" -n "$N" -p "$FORKD_PORT" -o "$DIR" -- \
    -q -t 30 -c 'SLEEP 1000' -c PID)
rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
expect_eq "scripts/clients: every client succeeded" \
    "clients=$N ok=$N failed=0 rc=0" "$summary rc=$rc"
check "$N x SLEEP 1000 ran in parallel: ${ms} ms < 10000 ms" [ "$ms" -lt 10000 ]

pids=$(cat "$DIR"/*.out | sed -n 's/^+OK pid=\([0-9]*\) .*/\1/p')
expect_eq "$N PID replies" "$N" "$(printf '%s\n' "$pids" | grep -c .)"
expect_eq "$N distinct child pids" "$N" \
    "$(printf '%s\n' "$pids" | sort -u | grep -c .)"
expect_eq "every child's parent is the listener" "$N" \
    "$(cat "$DIR"/*.out | grep -c "^+OK pid=[0-9]* ppid=$FORKD_PID ")"
expect_eq "every SLEEP replied +OK" "$N" "$(cat "$DIR"/*.out | grep -cx '+OK')"
expect_eq "conn ids 1..$N, each once" "$(seq 1 "$N")" \
    "$(cat "$DIR"/*.out | sed -n 's/.* conn=\([0-9]*\) .*/\1/p' | sort -n)"

reaped() {
	[ "$(log_count reap)" -ge "$N" ]
}
wait_until 10 reaped
expect_eq "$N sessions reaped with exit:0" "$N" \
    "$(log_count reap 'status=exit:0 reason=closed')"
expect_eq "no zombie left" 0 "$(zombies_of "$FORKD_PID")"
expect_eq "the listener's children: only the UDP worker" 1 \
    "$(children_of "$FORKD_PID" | grep -c .)"
if [ -d "/proc/$FORKD_PID/fd" ]; then
	expect_eq "the listener's fd count is unchanged" "$fds_before" \
	    "$(fd_count "$FORKD_PID")"
else
	skip "the listener's fd count" "no /proc"
fi
expect_eq "no refusal at the default cap" 0 "$(log_count refuse)"
expect_eq "accept and fork logged $N times each" "$N $N" \
    "$(log_count accept) $(log_count fork)"

stats=$(fc -q -c STATS)
peak=$(printf '%s\n' "$stats" | sed -n 's/.* peak_children=\([0-9]*\).*/\1/p')
check "peak_children shows overlap (peak=$peak of $N)" [ "${peak:-0}" -ge 10 ]
expect_match "STATS: accepted and reaped_exit add up" \
    "accepted=$((N + 1)) .* reaped_exit=$N reaped_signal=0" "$stats"

# Every line is whole: a timestamp, forkd[pid], an event word, key=values.
bad=$(grep -Evc '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z forkd\[[0-9]+\] [a-z-]+( [a-z_]+=("[^"]*"|[^ "]*))*$' "$FORKD_LOG")
expect_eq "no log line is split or interleaved ($(wc -l <"$FORKD_LOG") lines)" 0 "$bad"
expect_eq "every child (and STATS's) logged session-start and -end" \
    "$((N + 1)) $((N + 1))" \
    "$(log_count session-start) $(log_count session-end)"

# One SIGCHLD may stand for many: 50 short sessions ending together.
summary=$("$TOP/scripts/clients" -n "$N" -p "$FORKD_PORT" -- -q -t 30 -c TIME)
expect_eq "$N short sessions at once" "clients=$N ok=$N failed=0" "$summary"
reaped_all() {
	[ "$(log_count reap)" -ge $((2 * N + 1)) ]
}
check "all $((2 * N + 1)) sessions reaped" wait_until 10 reaped_all
expect_eq "still no zombie" 0 "$(zombies_of "$FORKD_PID")"

forkd_stop TERM
expect_eq "SIGTERM: exit status 0" 0 "$FORKD_STATUS"
finish
