#!/bin/sh
# Process lifecycle: a SIGKILLed child is reaped and counted by name, start-up
# and usage failures exit 1/2 with one line, the UDP worker is restarted,
# dual-stack -b ::, -d with a pidfile, and SIGHUP reopening the log.
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/../../scripts/lib.sh"
set -u

# log_at_least N EVENT [PATTERN]: the log has N such lines yet.
log_at_least() {
	t_n=$1
	shift
	[ "$(log_count "$@")" -ge "$t_n" ]
}

# ---- kill -9 of a child: 10 connections, exact counters -----------------

forkd_start -v || exit 1
# Connections 1-8: quick sessions.
expect_eq "8 quick sessions" "clients=8 ok=8 failed=0" \
    "$("$TOP/scripts/clients" -n 8 -p "$FORKD_PORT" -- -q -c PID)"
wait_until 5 log_at_least 8 reap
# Connection 9: a session in SLEEP, then SIGKILLed.
fc -q -c 'SLEEP 5000' >"$T_TMP/victim.out" 2>"$T_TMP/victim.err" &
victim=$!
track "$victim"
wait_until 5 log_at_least 1 request 'conn=9 verb=SLEEP'
child=$(sed -n 's/.* fork conn=9 child=\([0-9]*\).*/\1/p' "$FORKD_LOG")
check "the sleeping child of conn 9 is known (pid ${child:-none})" [ -n "$child" ]
kill -KILL "${child:-0}"
check "its reap says status=signal:9 reason=SIGKILL" \
    wait_until 5 log_at_least 1 reap "conn=9 child=$child status=signal:9 reason=SIGKILL"
wait "$victim"
expect_eq "its client is told the connection closed (exit 1)" 1 "$?"
# Connection 10: STATS.
stats=$(fc -q -c STATS | paste -sd ' ' -)
expect_match "STATS after: accepted=10 reaped_exit=8 reaped_signal=1" \
    '^\+OK 1 sessions .* children=1 .* accepted=10 refused_busy=0 refused_per_ip=0 fork_failed=0 reaped_exit=8 reaped_signal=1 ' \
    "$stats"
expect_eq "no zombie" 0 "$(zombies_of "$FORKD_PID")"

# ---- start-up failures: exit 1, one line naming the port -----------------

timeout 10 "$FORKD" -p "$FORKD_PORT" >"$T_TMP/dup.out" 2>"$T_TMP/dup.err"
expect_eq "a second forkd on the same TCP port exits 1" 1 "$?"
expect_eq "... with one line on stderr" 1 "$(wc -l <"$T_TMP/dup.err" | tr -d ' ')"
expect_match "... naming the port" "port $FORKD_PORT" "$(cat "$T_TMP/dup.err")"
timeout 10 "$FORKD" -p 0 --udp-port "$FORKD_UDP_PORT" >"$T_TMP/dupu.out" \
    2>"$T_TMP/dupu.err"
expect_eq "a second forkd on the same UDP port exits 1" 1 "$?"
expect_eq "... with one line on stderr" 1 "$(wc -l <"$T_TMP/dupu.err" | tr -d ' ')"
expect_match "... naming the UDP port" "UDP.* port $FORKD_UDP_PORT" \
    "$(cat "$T_TMP/dupu.err")"
timeout 10 "$FORKD" -p 0 -b 256.1.1.1 >/dev/null 2>"$T_TMP/bad.err"
expect_eq "a bad bind address exits 1 with one line" "1 1" \
    "$? $(wc -l <"$T_TMP/bad.err" | tr -d ' ')"
expect_eq "the first forkd still serves" "+OK still" \
    "$(fc -q -c 'ECHO still')"
forkd_stop TERM
expect_eq "and stops cleanly" 0 "$FORKD_STATUS"

# ---- usage errors: exit 2 --------------------------------------------------

"$FORKD" -x >"$T_TMP/usage.out" 2>"$T_TMP/usage.err"
expect_eq "forkd -x exits 2" 2 "$?"
expect_match "forkd -x: says what is wrong, then the usage" \
    '^forkd: .*-x.*\|usage: forkd ' "$(paste -sd '|' - <"$T_TMP/usage.err")"
expect_eq "forkd -x: nothing on stdout" 0 "$(wc -c <"$T_TMP/usage.out" | tr -d ' ')"
for args in '-p 70000' '-c 0' '--max-frame 16M' '--when-full maybe' \
    '-t soon' 'stray'; do
	# shellcheck disable=SC2086 # split the arguments on purpose
	timeout 10 "$FORKD" $args >/dev/null 2>&1
	expect_eq "forkd $args: usage error, exit 2" 2 "$?"
done
out=$("$FORKD" -h 2>/dev/null)
expect_match "forkd -h: the usage on stdout, exit 0" '^usage: forkd .*\|0$' \
    "$(printf '%s\n' "$out" | head -n 1)|$?"
"$FORKC" -x >/dev/null 2>&1
expect_eq "forkc -x exits 2" 2 "$?"

# ---- --no-udp ----------------------------------------------------------------

forkd_start --no-udp --backlog 7 || exit 1
expect_eq "--no-udp: no udp-spawn in the log" 0 "$(log_count udp-spawn)"
expect_match "--backlog 7: the listen line says so" ' listen fd=[0-9]+ proto=tcp backlog=7$' \
    "$(grep ' listen ' "$FORKD_LOG")"
if have ss; then
	expect_eq "--backlog 7: the kernel's listen queue is 7 (ss Send-Q)" 7 \
	    "$(ss -Hltn "sport = :$FORKD_PORT" | awk '{ print $3 }')"
fi
expect_match "--no-udp: the start line says udp_port=0" ' udp_port=0 ' \
    "$(grep ' start ' "$FORKD_LOG")"
expect_match "--no-udp: STATS udp_pid=0" '(^| )udp_pid=0 ' "$(fc -q -c STATS)"
expect_eq "--no-udp: the listener has no child left" "" \
    "$(wait_until 5 t_childless "$FORKD_PID"; children_of "$FORKD_PID")"
forkd_stop TERM
expect_eq "--no-udp: clean stop" 0 "$FORKD_STATUS"

# ---- --udp-port: UDP on a port of its own ----------------------------------------

forkd_start --udp-port 0 || exit 1
# (The kernel picks it; it may equal the TCP port by chance, so no "!=".)
check "--udp-port 0: UDP bound on a port of its own ($FORKD_UDP_PORT, TCP $FORKD_PORT)" \
    [ "${FORKD_UDP_PORT:-0}" -gt 0 ]
expect_match "--udp-port 0: UDP answers there" '^\+OK pid=' \
    "$("$FORKC" -u -p "$FORKD_UDP_PORT" -t 5 -c PID)"
forkd_stop TERM

# ---- the UDP worker is restarted -------------------------------------------

forkd_start || exit 1
udp1=$(sed -n 's/.* udp-spawn pid=\([0-9]*\).*/\1/p' "$FORKD_LOG" | head -n 1)
t0=$(date +%s%N)
kill -KILL "$udp1"
check "UDP worker SIGKILLed: a new one is spawned" \
    wait_until 5 log_at_least 2 udp-spawn
ms=$((($(date +%s%N) - t0) / 1000000))
check "... within about a second ($ms ms)" [ "$ms" -lt 1500 ]
udp2=$(sed -n 's/.* udp-spawn pid=\([0-9]*\).*/\1/p' "$FORKD_LOG" | sed -n 2p)
order=$(awk '$3 ~ /^udp-/ { print $3, $4, $5, $6 }' "$FORKD_LOG" | paste -sd '|' -)
expect_match "log: udp-exit (signal:9 SIGKILL), udp-restart in 0.1 s, udp-spawn" \
    "^udp-spawn pid=$udp1 [^|]*\\|udp-exit pid=$udp1 status=signal:9 reason=SIGKILL\\|udp-restart in=0\\.100s[^|]*\\|udp-spawn pid=$udp2 " \
    "$order"
expect_match "UDP works again, served by the new worker" \
    "^\\+OK pid=$udp2 ppid=$FORKD_PID " \
    "$("$FORKC" -u -p "$FORKD_UDP_PORT" -t 5 -c PID)"
kill -KILL "$udp2"
wait_until 5 log_at_least 3 udp-spawn
expect_match "a worker that keeps dying: the delay doubles (0.2 s)" \
    'udp-restart in=0\.200s' "$(grep ' udp-restart ' "$FORKD_LOG" | sed -n 2p)"
expect_match "STATS names the current worker" \
    "(^| )udp_pid=$(sed -n 's/.* udp-spawn pid=\([0-9]*\).*/\1/p' "$FORKD_LOG" | sed -n 3p) " \
    "$(fc -q -c STATS)"
forkd_stop TERM
expect_eq "clean stop after the restarts" 0 "$FORKD_STATUS"

# ---- -b :: dual stack ----------------------------------------------------------

if grep -q '^0\{31\}1 ' /proc/net/if_inet6 2>/dev/null; then
	forkd_start -b :: || exit 1
	expect_match "-b ::, over IPv6: peer=[::1]:port" \
	    '^\+OK pid=[0-9]+ .* peer=\[::1\]:[0-9]+ ' \
	    "$(fc -H ::1 -q -c PID)"
	expect_match "-b ::, over IPv4: peer=127.0.0.1:port (mapped shown as IPv4)" \
	    '^\+OK pid=[0-9]+ .* peer=127\.0\.0\.1:[0-9]+ ' \
	    "$(fc -H 127.0.0.1 -q -c PID)"
	expect_match "-b ::, UDP over IPv6" '^\+OK pid=[0-9]+ .*peer=\[::1\]:' \
	    "$("$FORKC" -u -H ::1 -p "$FORKD_UDP_PORT" -t 5 -c PID)"
	expect_match "-b ::, UDP over IPv4" '^\+OK pid=[0-9]+ .*peer=127\.0\.0\.1:' \
	    "$("$FORKC" -u -H 127.0.0.1 -p "$FORKD_UDP_PORT" -t 5 -c PID)"
	expect_eq "-b ::: both logged as accepted" 2 "$(log_count accept)"
	forkd_stop TERM
else
	skip "-b :: dual stack" "no IPv6 loopback (::1)"
fi

# ---- -d --pidfile --log-file ----------------------------------------------------

(cd "$T_TMP" && exec "$FORKD" -d -p 0 --pidfile forkd.pid --log-file daemon.log)
expect_eq "-d: the command returns at once, exit 0" 0 "$?"
PIDFILE=$T_TMP/forkd.pid
DLOG=$T_TMP/daemon.log
pidfile_ready() {
	[ -s "$PIDFILE" ] && grep -q ' start ' "$DLOG" 2>/dev/null
}
if wait_until 5 pidfile_ready; then
	dpid=$(cat "$PIDFILE")
	track "$dpid"
	check "-d: the pidfile holds a live pid ($dpid)" kill -0 "$dpid"
	expect_match "-d: the log's start line is the daemon's" \
	    "forkd\\[$dpid\\] start " "$(grep ' start ' "$DLOG")"
	check "-d: detached (not our child, its own session)" \
	    [ "$(ps -o ppid= -p "$dpid" | tr -d ' ')" != "$$" ] &&
	    [ "$(ps -o sid= -p "$dpid" | tr -d ' ')" != "$(ps -o sid= -p $$ | tr -d ' ')" ]
	if [ -d "/proc/$dpid" ]; then
		expect_eq "-d: cwd / and stdin on /dev/null" "/ /dev/null" \
		    "$(readlink "/proc/$dpid/cwd") $(readlink "/proc/$dpid/fd/0")"
	fi
	dport=$(sed -n 's/.* start .*tcp_port=\([0-9]*\).*/\1/p' "$DLOG")
	expect_match "-d: the daemon serves" "^\\+OK pid=[0-9]+ ppid=$dpid " \
	    "$("$FORKC" -p "$dport" -q -c PID)"
	kill -TERM "$dpid"
	check "-d: SIGTERM stops it" wait_until 10 t_gone "$dpid"
	check "-d: the pidfile is removed" [ ! -e "$PIDFILE" ]
	check "-d: stop is logged" grep -q ' stop ' "$DLOG"
else
	not_ok "-d: the pidfile and log appear" "$(cat "$DLOG" 2>&1)"
fi

# ---- SIGHUP reopens the log ---------------------------------------------------

# cloexec_log: whether the listener's log descriptor is close-on-exec;
# "no /proc" where that cannot be seen.
cloexec_log() {
	[ -d "/proc/$FORKD_PID/fdinfo" ] || { echo "no /proc"; return; }
	for f in "/proc/$FORKD_PID/fd/"*; do
		[ "$(readlink "$f")" = "$FORKD_LOG" ] || continue
		t_flags=$(sed -n 's/^flags:[[:space:]]*//p' \
		    "/proc/$FORKD_PID/fdinfo/${f##*/}")
		[ $((0$t_flags & 02000000)) -ne 0 ] && echo yes || echo no
		return
	done
	echo "no log fd"
}

forkd_start -v || exit 1
cloexec=$(cloexec_log)
if [ "$cloexec" = "no /proc" ]; then
	skip "log fd close-on-exec" "no /proc"
else
	expect_eq "the log fd is close-on-exec at start" yes "$cloexec"
fi
mv "$FORKD_LOG" "$FORKD_LOG.old"
kill -HUP "$FORKD_PID"
check "SIGHUP: a new log file is created at the original path" \
    wait_until 5 test -e "$FORKD_LOG"
fc -q -c 'ECHO after hup' >/dev/null
wait_until 5 log_at_least 1 reap
expect_eq "SIGHUP: the new connection's lines go to the new file" \
    "accept fork reap request session-end session-start" \
    "$(awk '{ print $3 }' "$FORKD_LOG" | sort -u | paste -sd ' ' -)"
expect_eq "SIGHUP: ... and not to the old one" 0 \
    "$(grep -c ' accept ' "$FORKD_LOG.old")"
udp_logged() {
	"$FORKC" -u -p "$FORKD_UDP_PORT" -t 2 -c TIME >/dev/null
	grep -q ' request proto=udp ' "$FORKD_LOG"
}
check "SIGHUP: the UDP worker reopens its log too" wait_until 5 udp_logged
cloexec=$(cloexec_log)
if [ "$cloexec" = "no /proc" ]; then
	skip "SIGHUP: reopened log fd close-on-exec" "no /proc"
else
	expect_eq "SIGHUP: the reopened log fd is still close-on-exec" yes "$cloexec"
fi
forkd_stop TERM
expect_eq "clean stop" 0 "$FORKD_STATUS"

finish
