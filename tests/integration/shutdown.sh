#!/bin/sh
# Graceful shutdown on SIGTERM or SIGINT: requests in hand are finished,
# idle and queued clients are told -ERR server shutting down, stuck children
# are SIGKILLed after the grace (or at a second signal), exit 0, port freed.
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/../../scripts/lib.sh"
set -u

if ! have nc; then
	skip "shutdown" "nc not installed"
	finish
	exit
fi

# hold_open FD OUT: nc -v connected to forkd, its input a fifo this shell
# keeps open on FD, so the test decides when the client closes; stdout in
# OUT, stderr in OUT.err.  Sets HOLD_PID.  hold_close FD: end the input.
hold_open() {
	rm -f "$T_TMP/hold$1"
	mkfifo "$T_TMP/hold$1"
	timeout 30 nc -v 127.0.0.1 "$FORKD_PORT" <"$T_TMP/hold$1" >"$2" \
	    2>"$2.err" &
	HOLD_PID=$!
	track "$HOLD_PID"
	eval "exec $1>\"\$T_TMP/hold$1\""
}
hold_close() {
	eval "exec $1>&-"
}

# log_at_least N EVENT [PATTERN]: the log has N such lines yet.
log_at_least() {
	t_n=$1
	shift
	[ "$(log_count "$@")" -ge "$t_n" ]
}
has() {
	grep -q -- "$1" "$2"
}
stopped() {
	grep -q ' stop ' "$FORKD_LOG"
}
ms_since() {
	echo $((($(date +%s%N) - $1) / 1000000))
}
# replies FILE: the lines of FILE, CRs removed, joined by "|".
replies() {
	tr -d '\r' <"$1" | paste -sd '|' -
}
SHUT='-ERR server shutting down'

# ---- SIGTERM: drain --------------------------------------------------------

forkd_start -v || exit 1
hold_open 3 "$T_TMP/line.out"
printf 'SLEEP 1500\r\n' >&3
fc -q -c 'SLEEP 1500' -c 'ECHO next' >"$T_TMP/frame.out" 2>/dev/null &
framer=$!
track "$framer"
hold_open 4 "$T_TMP/idle.out"
wait_until 5 log_at_least 2 request 'verb=SLEEP'
wait_until 5 log_at_least 3 session-start
kids=$(children_of "$FORKD_PID")
expect_eq "before: 3 sessions and the UDP worker" 4 "$(printf '%s\n' "$kids" | grep -c .)"
port=$FORKD_PORT

t0=$(date +%s%N)
kill -TERM "$FORKD_PID"
wait_until 5 has "$SHUT" "$T_TMP/idle.out"
ms=$(ms_since "$t0")
expect_eq "an idle client is told at once ($ms ms)" \
    "+OK forkd ready|$SHUT" "$(replies "$T_TMP/idle.out" | sed 's/ pid=[^|]*//')"
wait_until 10 stopped
ms=$(ms_since "$t0")
check "forkd waits for the SLEEPs but not the grace (stop after $ms ms)" \
    [ "$ms" -ge 1000 ] && [ "$ms" -lt 4500 ]
forkd_stop TERM
expect_eq "SIGTERM: exit status 0" 0 "$FORKD_STATUS"
expect_eq "line mode: SLEEP finished (+OK), then the shutdown error" \
    "+OK|$SHUT" "$(replies "$T_TMP/line.out" | cut -d '|' -f 2-)"
wait "$framer"
rc=$?
expect_eq "frame mode: SLEEP's +OK, then the shutdown error as a frame (exit $rc)" \
    "+OK|$SHUT" "$(replies "$T_TMP/frame.out")"
expect_eq "log: one drain, no kill phase" "1 0" \
    "$(log_count shutdown 'phase=drain') $(log_count shutdown 'phase=kill')"
expect_eq "log: the 3 sessions ended exit:13 reason=shutdown" 3 \
    "$(log_count reap 'status=exit:13 reason=shutdown')"
expect_eq "log: the UDP worker was stopped (exit:0)" 1 \
    "$(log_count udp-exit 'status=exit:0')"
left=''
for p in $kids; do
	[ -z "$(ps -o pid= -p "$p")" ] || left="$left $p"
done
expect_eq "nothing of forkd is left (its children by pid)" "" "$left"
hold_close 3
hold_close 4
forkd_start -p "$port" || exit 1
expect_eq "the port is free afterwards: a new forkd binds it" "$port" "$FORKD_PORT"
forkd_stop TERM

# ---- a SLEEP that cannot end within the grace -------------------------------

forkd_start -v --grace 0.5 || exit 1
fc -q -c 'SLEEP 5000' >"$T_TMP/long.out" 2>&1 &
sleeper=$!
track "$sleeper"
wait_until 5 log_at_least 1 request 'verb=SLEEP'
t0=$(date +%s%N)
kill -TERM "$FORKD_PID"
wait_until 10 stopped
ms=$(ms_since "$t0")
check "--grace 0.5, SLEEP 5000: forkd exits within 2 s ($ms ms)" [ "$ms" -lt 2000 ]
forkd_stop TERM
expect_eq "--grace 0.5: exit status 0" 0 "$FORKD_STATUS"
wait "$sleeper"
expect_eq "--grace 0.5: the SLEEP is answered with the shutdown error" \
    "1 $SHUT" "$? $(cat "$T_TMP/long.out")"

# ---- a child stuck past the grace is SIGKILLed --------------------------------

if have socat; then
	# The client sends HELP for ever and reads nothing (socat -u), so its
	# child ends up blocked in write(2), where it cannot stop.
	forkd_start -v --grace 0.5 || exit 1
	yes HELP | timeout 30 socat -u - "TCP:127.0.0.1:$FORKD_PORT" 2>/dev/null &
	track "$!"
	# Stuck: state=writing with the same bytes_out for 5 polls in a row.
	prev='' same=0
	stuck() {
		fc -q -c STATS >"$T_TMP/stuck.stats" 2>&1
		t_now=$(grep 'state=writing' "$T_TMP/stuck.stats" | sed 's/.* bytes_out=//')
		if [ -n "$t_now" ] && [ "$t_now" = "$prev" ]; then
			same=$((same + 1))
		else
			same=0
		fi
		prev=$t_now
		[ "$same" -ge 4 ]
	}
	check "a child blocks writing to a client that does not read" \
	    wait_until 10 stuck
	[ "$same" -ge 4 ] || sed 's/^/# /' "$T_TMP/stuck.stats"
	t0=$(date +%s%N)
	kill -TERM "$FORKD_PID"
	wait_until 10 stopped
	ms=$(ms_since "$t0")
	check "--grace 0.5: stuck child: forkd exits within 2 s ($ms ms)" [ "$ms" -lt 2000 ]
	forkd_stop TERM
	expect_eq "--grace 0.5: stuck child: exit status 0" 0 "$FORKD_STATUS"
	expect_eq "--grace 0.5: log shutdown phase=kill" 1 \
	    "$(log_count shutdown 'phase=kill')"
	expect_eq "--grace 0.5: the stuck child's reap is status=signal:9" 1 \
	    "$(log_count reap 'status=signal:9 reason=SIGKILL')"
else
	skip "a child stuck past the grace" "socat not installed"
fi

# ---- SIGINT behaves like SIGTERM ----------------------------------------------

forkd_start -v || exit 1
hold_open 3 "$T_TMP/int.out"
printf 'SLEEP 800\r\n' >&3
wait_until 5 log_at_least 1 request 'verb=SLEEP'
kill -INT "$FORKD_PID"
check "SIGINT: forkd stops" wait_until 10 stopped
forkd_stop TERM
expect_eq "SIGINT: exit status 0" 0 "$FORKD_STATUS"
expect_eq "SIGINT: the SLEEP finished, then the shutdown error" "+OK|$SHUT" \
    "$(replies "$T_TMP/int.out" | cut -d '|' -f 2-)"
expect_eq "SIGINT: a drain, no kill, reap exit:13" "1 0 1" \
    "$(log_count shutdown 'phase=drain') $(log_count shutdown 'phase=kill') $(log_count reap 'status=exit:13')"
hold_close 3

# ---- a second SIGTERM skips the grace ------------------------------------------

forkd_start -v || exit 1
fc -q -c 'SLEEP 3000' >"$T_TMP/twice.out" 2>&1 &
sleeper=$!
track "$sleeper"
wait_until 5 log_at_least 1 request 'verb=SLEEP'
kill -TERM "$FORKD_PID"
wait_until 5 log_at_least 1 shutdown 'phase=drain'
t0=$(date +%s%N)
kill -TERM "$FORKD_PID"
wait_until 10 stopped
ms=$(ms_since "$t0")
check "second SIGTERM: forkd stops at once ($ms ms), not after the SLEEP" \
    [ "$ms" -lt 1500 ]
forkd_stop TERM
expect_eq "second SIGTERM: exit status 0" 0 "$FORKD_STATUS"
expect_eq "second SIGTERM: phase=kill, the child SIGKILLed" "1 1" \
    "$(log_count shutdown 'phase=kill') $(log_count reap 'status=signal:9')"
wait "$sleeper"
expect_eq "second SIGTERM: the client sees the connection end (exit 1)" 1 "$?"

# ---- clients waiting in the backlog are answered -------------------------------

forkd_start -v -c 1 --when-full wait || exit 1
fc -q -c 'SLEEP 1000' >"$T_TMP/first.out" 2>&1 &
first=$!
track "$first"
wait_until 5 log_at_least 1 request 'verb=SLEEP'
hold_open 3 "$T_TMP/queued.out"
check "a second client waits in the backlog" \
    wait_until 5 has succeeded "$T_TMP/queued.out.err"
kill -TERM "$FORKD_PID"
check "the queued client is told $SHUT" \
    wait_until 5 has "$SHUT" "$T_TMP/queued.out"
expect_eq "... and nothing else (it never had a session)" "$SHUT" \
    "$(replies "$T_TMP/queued.out")"
check "... and the listener logs it: refuse conn=2 reason=shutdown" \
    grep -q ' refuse conn=2 peer=127\.0\.0\.1:[0-9]* reason=shutdown' "$FORKD_LOG"
wait_until 10 stopped
forkd_stop TERM
expect_eq "backlog: exit status 0" 0 "$FORKD_STATUS"
wait "$first"
expect_eq "backlog: the session in hand finished its SLEEP (+OK, exit 0)" \
    "0 +OK" "$? $(replies "$T_TMP/first.out")"
hold_close 3

finish
