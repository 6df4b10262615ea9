#!/bin/sh
# The UDP worker under faults: killed, it is restarted with a back-off
# that doubles while it keeps dying (0.1 s, 0.2 s, 0.4 s ...); stopped
# with SIGSTOP, it is detected, killed and restarted; either way UDP
# answers again and TCP never noticed.
# shellcheck disable=SC2119 # forkd_start takes no options here
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/../../scripts/lib.sh"

forkd_start || exit 1

# worker: the pid of the current UDP worker (the last udp-spawn).
worker() {
	sed -n 's/.* udp-spawn pid=\([0-9]*\).*/\1/p' "$FORKD_LOG" | tail -n 1
}
spawns() {
	log_count udp-spawn
}

i=1
for want in 0.100 0.200 0.400; do
	w=$(worker)
	kill -KILL "$w"
	check "kill -9 #$i: restart in ${want}s" \
	    wait_until 5 grep -q " udp-restart in=${want}s" "$FORKD_LOG"
	check "kill -9 #$i: a new worker" \
	    wait_until 5 sh -c "[ \$(grep -c ' udp-spawn ' '$FORKD_LOG') -gt $i ]"
	i=$((i + 1))
done
out=$(timeout 5 "$FORKC" -q -u -p "$FORKD_PORT" -c TIME)
expect_match "after three deaths UDP answers again" '^\+OK [0-9]{4}-' "$out"

w=$(worker)
n=$(spawns)
kill -STOP "$w"
check "SIGSTOP: the stopped worker is detected" \
    wait_until 5 grep -q " udp-stopped pid=$w " "$FORKD_LOG"
check "SIGSTOP: it is replaced" \
    wait_until 5 sh -c "[ \$(grep -c ' udp-spawn ' '$FORKD_LOG') -gt $n ]"
out=$(timeout 5 "$FORKC" -q -u -p "$FORKD_PORT" -c TIME)
expect_match "after SIGSTOP UDP answers again" '^\+OK [0-9]{4}-' "$out"
out=$(timeout 5 "$FORKC" -q -p "$FORKD_PORT" -c 'ECHO tcp')
expect_eq "TCP never noticed" "+OK tcp" "$out"
check "no zombie" [ "$(zombies_of "$FORKD_PID")" -eq 0 ]
forkd_stop TERM
expect_eq "clean exit" 0 "$FORKD_STATUS"
finish
