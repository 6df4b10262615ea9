#!/bin/sh
# The design ladder (--model): prefork workers accept and serve one
# connection after another, are kept at --workers and replaced when they
# die; the iterative listener serves one connection at a time itself.
# Both keep the protocol, the limits and the graceful shutdown.
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/../../scripts/lib.sh"
set -u

# ---- prefork ------------------------------------------------------------
forkd_start --model prefork --workers 3 || exit 1
check "prefork: the start line names the model" \
    grep -q ' start .*model=prefork' "$FORKD_LOG"
workers() {
	# shellcheck disable=SC2009 # pgrep -P cannot see titles portably
	ps -o args= --ppid "$FORKD_PID" | grep -c 'forkd: worker'
}
three_workers() {
	[ "$(workers)" -eq 3 ]
}
check "prefork: three workers, made at start" wait_until 5 three_workers
expect_eq "prefork: three fork lines" 3 "$(log_count fork 'worker=')"

pids=$(for _ in 1 2 3 4 5 6; do fc -q -c PID; done |
    sed -n 's/^+OK pid=\([0-9]*\) ppid=\([0-9]*\) .*/\1 \2/p')
expect_eq "prefork: six sessions answered" 6 "$(printf '%s\n' "$pids" | grep -c .)"
expect_eq "prefork: each served by a child of the listener" 6 \
    "$(printf '%s\n' "$pids" | grep -c " $FORKD_PID\$")"
check "prefork: by at most three processes" \
    [ "$(printf '%s\n' "$pids" | cut -d' ' -f1 | sort -u | wc -l)" -le 3 ]
expect_eq "prefork: no fork per connection, nobody reaped" "3 0" \
    "$(log_count fork) $(log_count reap)"
expect_eq "prefork: one done line per session" 6 \
    "$(log_count "done" 'status=exit:0 reason=closed')"

# STATS: a slot per worker, the idle ones say so.
stats=$(fc -q -c STATS)
expect_match "prefork: STATS counts the three workers" '^\+OK 3 sessions' "$stats"
expect_eq "prefork: two of them idle" 2 \
    "$(printf '%s\n' "$stats" | grep -c 'state=idle')"

# Four clients, three workers: the fourth waits in the backlog, then is
# served; nobody is refused.
out=$("$TOP/scripts/clients" -n 4 -p "$FORKD_PORT" -o "$T_TMP/four" -- \
    -q -c 'SLEEP 500')
expect_eq "prefork: 4 clients on 3 workers, all served" \
    "clients=4 ok=4 failed=0" "$out"

# A worker killed is reaped, logged and replaced.
victim=$(ps -o pid=,args= --ppid "$FORKD_PID" | awk '/forkd: worker/ { print $1; exit }')
kill -KILL "$victim"
check "prefork: the killed worker is reaped" \
    wait_until 5 grep -q " reap .*child=$victim status=signal:9" "$FORKD_LOG"
check "prefork: and replaced" wait_until 5 three_workers
expect_eq "prefork: the replacement serves" "+OK alive" "$(fc -q -c 'ECHO alive')"

# An idle worker's slot shows no session.
expect_eq "prefork: idle slots keep nothing of their last session" 2 \
    "$(fc -q -c STATS | grep -c 'conn=0 peer=- state=idle .*requests=0 bytes_in=0 bytes_out=0')"

# SIGHUP: the workers, which outlive the rotation, write to the new file.
mv "$FORKD_LOG" "$FORKD_LOG.1"
kill -HUP "$FORKD_PID"
wait_until 5 test -e "$FORKD_LOG"
fc -q -c PID >/dev/null
fc -q -c PID >/dev/null
check "prefork: after SIGHUP the workers log to the new file" \
    wait_until 5 sh -c "[ \$(grep -c ' done ' '$FORKD_LOG') -ge 2 ]"

# SIGTERM: a session in hand finishes, idle workers leave, exit 0; the
# port is closed at once, though a worker still holds the socket.
fc -q -c 'SLEEP 800' -c 'ECHO after' >"$T_TMP/drain.out" 2>&1 &
s=$!
track "$s"
wait_until 5 sh -c "'$FORKC' -p $FORKD_PORT -q -c STATS 2>&1 | grep -q state=sleeping"
kids=$(children_of "$FORKD_PID")
kill -TERM "$FORKD_PID"
wait_until 5 grep -q ' shutdown phase=drain' "$FORKD_LOG"
late=$(timeout 5 "$FORKC" -p "$FORKD_PORT" -t 2 -c PID 2>&1)
expect_match "prefork: during the drain a new client is refused at once" \
    'Connection refused|-ERR server shutting down' "$late"
wait_until 10 grep -q ' stop ' "$FORKD_LOG"	# (a second TERM would kill)
forkd_stop TERM
wait "$s"
expect_eq "prefork: SIGTERM, exit 0" 0 "$FORKD_STATUS"
expect_eq "prefork: the SLEEP in hand got its reply" "+OK" \
    "$(head -n 1 "$T_TMP/drain.out")"
left=''
for k in $kids; do
	t_gone "$k" || left="$left $k"
done
expect_eq "prefork: no worker left running" "" "$left"

# A listener killed with SIGKILL cannot stop its workers: they notice
# within a second or so and leave, freeing the port.
forkd_start --model prefork --workers 2 --no-udp || exit 1
wait_until 5 sh -c "[ \$(ps -o args= --ppid $FORKD_PID | grep -c 'forkd: worker') -eq 2 ]"
kids=$(children_of "$FORKD_PID")
kill -KILL "$FORKD_PID"
orphans_gone() {
	for k in $kids; do
		t_gone "$k" || return 1
	done
}
check "prefork: workers of a SIGKILLed listener leave" wait_until 10 orphans_gone
expect_eq "prefork: ... and say why" 2 "$(log_count worker-stop 'reason=listener-gone')"
wait "$FORKD_PID" 2>/dev/null

# ---- iterative ----------------------------------------------------------
forkd_start --model iterative || exit 1
check "iterative: the start line names the model" \
    grep -q ' start .*model=iterative' "$FORKD_LOG"
expect_match "iterative: the listener serves (PID is its own)" \
    "^\\+OK pid=$FORKD_PID " "$(fc -q -c PID)"

# One at a time: the second client is greeted only after the first ends.
fc -q -c 'SLEEP 600' >/dev/null &
first=$!
track "$first"
wait_until 5 grep -q ' accept conn=2 ' "$FORKD_LOG"
fc -q -c 'ECHO second' >"$T_TMP/second.out"
wait "$first"
expect_eq "iterative: the second client is served" "+OK second" \
    "$(cat "$T_TMP/second.out")"
expect_eq "iterative: ... after the first is done" \
    "done conn=2 accept conn=3" \
    "$(grep -oE ' (done|accept) conn=[23] ' "$FORKD_LOG" | sed -n '2,3p' |
        tr -s ' ' | sed 's/^ //; s/ $//' | paste -sd ' ' -)"
expect_eq "iterative: no child for TCP: only the UDP worker" 1 \
    "$(children_of "$FORKD_PID" | grep -c .)"
expect_match "iterative: UDP still answers" '^\+OK ' \
    "$("$FORKC" -u -p "$FORKD_UDP_PORT" -q -c TIME)"

# SIGTERM in the middle of a session: its reply goes out, exit 0; a
# client waiting in the backlog is told, not served.
fc -q -c 'SLEEP 800' >"$T_TMP/it-drain.out" 2>&1 &
s=$!
track "$s"
wait_until 5 grep -q ' accept conn=4 ' "$FORKD_LOG"
fc -q -c 'ECHO waiting' >"$T_TMP/it-wait.out" 2>&1 &
w=$!
track "$w"
sleep 0.2 # let the second client's connect reach the backlog
forkd_stop TERM
wait "$s"
wait "$w"
expect_eq "iterative: the client in the backlog is told" \
    "-ERR server shutting down" "$(head -n 1 "$T_TMP/it-wait.out")"
expect_eq "iterative: SIGTERM, exit 0" 0 "$FORKD_STATUS"
expect_eq "iterative: the SLEEP in hand got its reply" "+OK" \
    "$(head -n 1 "$T_TMP/it-drain.out")"
check "iterative: the session ended as shutdown" \
    grep -q ' done conn=4 status=exit:13 reason=shutdown' "$FORKD_LOG"

# ---- prefork --per-ip ---------------------------------------------------
forkd_start --model prefork --workers 3 --per-ip 1 --no-udp || exit 1
fc -q -c 'SLEEP 1000' >/dev/null 2>&1 &
s=$!
track "$s"
wait_until 5 grep -q ' accept conn=1 ' "$FORKD_LOG"
out=$(fc -c PID 2>&1)
expect_eq "prefork --per-ip 1: a second session is refused" \
    "-ERR server busy" "$(printf '%s\n' "$out" | head -n 1)"
expect_eq "prefork --per-ip 1: the refusal is logged" 1 \
    "$(log_count refuse 'reason=per-ip')"
wait "$s"
# The worker frees its slot after the client has its reply: wait for it.
wait_until 5 grep -q ' done conn=1 ' "$FORKD_LOG"
expect_match "prefork --per-ip 1: served again once the first is done" \
    '^\+OK pid=' "$(fc -q -c PID)"
forkd_stop TERM

# ---- usage --------------------------------------------------------------
"$FORKD" -p 0 --model threads >/dev/null 2>&1
expect_eq "--model threads: usage error" 2 "$?"
"$FORKD" -p 0 --model prefork --workers 9 -c 8 >/dev/null 2>&1
expect_eq "--workers over -c: usage error" 2 "$?"
"$FORKD" -p 0 --model iterative --debug-verbs >/dev/null 2>&1
expect_eq "--model iterative --debug-verbs: usage error" 2 "$?"

finish
