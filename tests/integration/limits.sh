#!/bin/sh
# Every cap answers clearly: -c and --per-ip refuse with -ERR server busy,
# --when-full wait queues instead, -t closes an idle session, and an
# over-long line or frame gets -ERR ... too long and a close.
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/../../scripts/lib.sh"
set -u
LC_ALL=C
export LC_ALL

# hold_open FD OUT: nc connected to forkd, its input a fifo that this
# shell keeps open on FD, so the test decides when the client closes.
# Sets HOLD_PID.  hold_close FD: close the input and wait for nc.
hold_open() {
	rm -f "$T_TMP/hold$1"
	mkfifo "$T_TMP/hold$1"
	timeout 30 nc 127.0.0.1 "$FORKD_PORT" <"$T_TMP/hold$1" >"$2" &
	HOLD_PID=$!
	track "$HOLD_PID"
	eval "exec $1>\"\$T_TMP/hold$1\""
}
hold_close() {
	eval "exec $1>&-"
	wait "$HOLD_PID"
}

# log_at_least N EVENT [PATTERN]: the log has N such lines yet.
log_at_least() {
	t_n=$1
	shift
	[ "$(log_count "$@")" -ge "$t_n" ]
}

# ms_since T0: milliseconds since T0 (date +%s%N).
ms_since() {
	echo $((($(date +%s%N) - $1) / 1000000))
}
# has TEXT FILE: FILE holds TEXT yet.
has() {
	grep -q -- "$1" "$2"
}

# stats_udp: the counters, over UDP (no TCP slot needed at a cap).
stats_udp() {
	"$FORKC" -u -p "$FORKD_UDP_PORT" -q -c STATS
}

# ---- -c 3: the 4th client is refused ------------------------------------

forkd_start -c 3 || exit 1
pids=''
for i in 1 2 3; do
	fc -q -c 'SLEEP 2000' >"$T_TMP/busy$i.out" 2>&1 &
	pids="$pids $!"
	track "$!"
done
wait_until 5 log_at_least 3 fork
out=$(fc -c PID 2>&1)
rc=$?
expect_eq "-c 3: the 4th client's first line is -ERR server busy" \
    "-ERR server busy" "$(printf '%s\n' "$out" | head -n 1)"
expect_eq "-c 3: forkc exits 1 on a busy refusal" 1 "$rc"
expect_eq "-c 3: the refusal is logged with reason=busy" 1 \
    "$(log_count refuse 'conn=4 .*reason=busy')"
if have nc; then
	expect_eq "-c 3: the busy reply is one CRLF line (od)" \
	    '- E R R s e r v e r b u s y \r \n' \
	    "$(timeout 10 nc 127.0.0.1 "$FORKD_PORT" </dev/null | od -An -c |
	    tr -s ' \n' '  ' | sed 's/^ //; s/ $//')"
	refused=2
else
	skip "-c 3: the busy reply through nc" "nc not installed"
	refused=1
fi
stats=$(stats_udp)
expect_match "-c 3: STATS counts the refusals" \
    "children=3 max_children=3 .*accepted=$((3 + refused)) refused_busy=$refused refused_per_ip=0 " \
    "$(printf '%s\n' "$stats" | paste -sd ' ' -)"
st=''
for p in $pids; do
	wait "$p"
	st="$st $?"
done
expect_eq "-c 3: the three sessions at the cap were served" " 0 0 0" "$st"
expect_eq "-c 3: ... with +OK" "+OK +OK +OK" \
    "$(cat "$T_TMP"/busy[123].out | paste -sd ' ' -)"
# Below the cap once the listener has reaped them (a client that has
# its reply may be gone before the child that sent it).
wait_until 5 log_at_least 3 reap 'conn=[123] '
expect_eq "-c 3: below the cap again, a new client is served" "+OK" \
    "$(fc -q -c 'ECHO')"
forkd_stop TERM

# ---- --per-ip 1 ------------------------------------------------------

forkd_start --per-ip 1 || exit 1
fc -q -c 'SLEEP 1500' >"$T_TMP/perip.out" 2>&1 &
first=$!
track "$first"
wait_until 5 log_at_least 1 fork
out=$(fc -c PID 2>&1)
expect_eq "--per-ip 1: a second connection from 127.0.0.1 is refused" \
    "1 -ERR server busy" "$? $(printf '%s\n' "$out" | head -n 1)"
expect_eq "--per-ip 1: logged with reason=per-ip" 1 \
    "$(log_count refuse 'reason=per-ip')"
if have nc; then
	out=$(printf 'PID\r\n' |
	    timeout 10 nc -N -s 127.0.0.2 127.0.0.1 "$FORKD_PORT" | tr -d '\r')
	expect_match "--per-ip 1: another address (127.0.0.2) is served" \
	    '^\+OK pid=[0-9]+ .* peer=127\.0\.0\.2:' "$out"
else
	skip "--per-ip 1: another address" "nc not installed"
fi
expect_match "--per-ip 1: STATS refused_per_ip=1, refused_busy=0" \
    'refused_busy=0 refused_per_ip=1 ' "$(stats_udp)"
wait "$first"
expect_eq "--per-ip 1: the first session was served" "0 +OK" \
    "$? $(cat "$T_TMP/perip.out")"
wait_until 5 log_at_least 1 reap 'conn=1 '
expect_eq "--per-ip 1: once it is gone, 127.0.0.1 is served again" "+OK" \
    "$(fc -q -c ECHO)"
forkd_stop TERM

# ---- --when-full wait ----------------------------------------------------

forkd_start -c 1 --when-full wait || exit 1
fc -q -c 'SLEEP 1000' >"$T_TMP/wait1.out" 2>&1 &
first=$!
track "$first"
wait_until 5 log_at_least 1 fork
out=$(fc -q -t 10 -c PID 2>&1)
rc=$?
expect_match "--when-full wait: the 2nd client is served, not refused (exit $rc)" \
    '^\+OK pid=[0-9]+ ppid=[0-9]+ conn=2 ' "$out"
wait "$first"
expect_eq "--when-full wait: the 1st client was served" "0 +OK" \
    "$? $(cat "$T_TMP/wait1.out")"
expect_eq "--when-full wait: no refusal logged" 0 "$(log_count refuse)"
reap1=$(grep -n ' reap conn=1 ' "$FORKD_LOG" | cut -d: -f1)
accept2=$(grep -n ' accept conn=2 ' "$FORKD_LOG" | cut -d: -f1)
check "--when-full wait: conn 2 accepted only after conn 1 was reaped" \
    [ "${reap1:-99}" -lt "${accept2:-0}" ]
# The log, in order: conn 1 forked, pause (cap reached), conn 1 reaped,
# resume, conn 2 accepted.
order=$(awk '{ print $3, $4 }' "$FORKD_LOG" | grep -E \
    '^(fork conn=1|pause reason=busy|reap conn=1|resume children=0/1|accept conn=2)$' |
    head -n 5 | paste -sd '|' -)
expect_eq "--when-full wait: reaching the cap is logged (pause), then resume" \
    "fork conn=1|pause reason=busy|reap conn=1|resume children=0/1|accept conn=2" \
    "$order"
forkd_stop TERM

# ---- idle timeout -------------------------------------------------------

if have nc; then
	forkd_start -t 0.5 || exit 1
	t0=$(date +%s%N)
	hold_open 3 "$T_TMP/idle.out"
	wait_until 5 has 'idle timeout' "$T_TMP/idle.out"
	ms=$(ms_since "$t0")
	expect_eq "-t 0.5: an idle client is told -ERR idle timeout (CRLF)" \
	    '-ERR idle timeout^M$' "$(sed -n 2p "$T_TMP/idle.out" | cat -A)"
	check "-t 0.5: after about 0.5 s ($ms ms)" [ "$ms" -ge 450 ] && [ "$ms" -lt 1500 ]
	hold_close 3
	check "-t 0.5: the session ends: status=exit:10 reason=idle-timeout" \
	    wait_until 5 log_at_least 1 reap 'status=exit:10 reason=idle-timeout'

	# The clock runs from the last reply, never during a request.
	hold_open 3 "$T_TMP/idle2.out"
	t0=$(date +%s%N)
	printf 'SLEEP 800\r\n' >&3
	wait_until 5 has 'idle timeout' "$T_TMP/idle2.out"
	ms=$(ms_since "$t0")
	expect_eq "-t 0.5: a SLEEP 800 is answered, then the idle timeout" \
	    "+OK|-ERR idle timeout" \
	    "$(tr -d '\r' <"$T_TMP/idle2.out" | sed 1d | paste -sd '|' -)"
	check "-t 0.5: idle counted from the reply ($ms ms >= 1250)" [ "$ms" -ge 1250 ]
	hold_close 3
	check "-t 0.5: reap reason=idle-timeout again" \
	    wait_until 5 log_at_least 2 reap 'reason=idle-timeout'
	forkd_stop TERM
else
	skip "idle timeout" "nc not installed"
fi

# ---- over-long lines and frames -----------------------------------------

if ! have nc; then
	skip "over-long input" "nc not installed"
	finish
	exit
fi
forkd_start --max-line 64 --max-frame 1K || exit 1
L64=$(printf 'ECHO %059d' 0)
L65=$(printf 'ECHO %060d' 0)

out=$(printf 'ECHO before\r\n%s\r\n%s\n' "$L64" "$L64" |
    timeout 10 nc -N 127.0.0.1 "$FORKD_PORT" | tr -d '\r' | sed 1d)
expect_eq "--max-line 64: a line of exactly 64 bytes is accepted" \
    "+OK before|+OK ${L64#ECHO }|+OK ${L64#ECHO }" \
    "$(printf '%s\n' "$out" | paste -sd '|' -)"

hold_open 3 "$T_TMP/long.out"
printf 'ECHO before\r\nPID\r\n%s\r\nECHO after\r\n' "$L65" >&3
wait_until 5 has 'too long' "$T_TMP/long.out"
hold_close 3
check "--max-line 64: a 65-byte line closes the session (exit:11 reason=too-long)" \
    wait_until 5 log_at_least 1 reap 'status=exit:11 reason=too-long'
out=$(tr -d '\r' <"$T_TMP/long.out" | sed 1d)
expect_match "--max-line 64: replies before it still delivered, then -ERR" \
    '^\+OK before\|\+OK pid=[0-9]+ [^|]*\|-ERR line too long$' \
    "$(printf '%s\n' "$out" | paste -sd '|' -)"

hold_open 3 "$T_TMP/long2.out"
printf '%0100d' 0 >&3
check "--max-line 64: 100 bytes without a terminator: -ERR at once" \
    wait_until 5 has 'too long' "$T_TMP/long2.out"
hold_close 3
expect_eq "--max-line 64: ... -ERR line too long" "-ERR line too long" \
    "$(tr -d '\r' <"$T_TMP/long2.out" | sed 1d)"
check "--max-line 64: ... and the session ends too-long" \
    wait_until 5 log_at_least 2 reap 'reason=too-long'

# od of the last bytes: a 4-byte big-endian length, then the text.
tail_od() {
	tail -c "$1" "$2" | od -An -c | tr -s ' \n' '  ' | sed 's/^ //; s/ $//'
}
hold_open 3 "$T_TMP/frame.out"
printf '\000\020\000\000' >&3
check "--max-frame 1K: a 1 MiB prefix alone is answered at once" \
    wait_until 5 has 'too long' "$T_TMP/frame.out"
hold_close 3
check "--max-frame 1K: ... and the session ends too-long" \
    wait_until 5 log_at_least 3 reap 'reason=too-long'
expect_eq "--max-frame 1K: the reply is a frame: length 19, -ERR frame too long" \
    '\0 \0 \0 023 - E R R f r a m e t o o l o n g' \
    "$(tail_od 23 "$T_TMP/frame.out")"
expect_eq "--max-frame 1K: nothing else follows the greeting" \
    $(($(head -n 1 "$T_TMP/frame.out" | wc -c) + 23)) \
    "$(wc -c <"$T_TMP/frame.out" | tr -d ' ')"

printf '\000\000\000\006ECHO a\000\000\004\001' |
    timeout 10 nc -N 127.0.0.1 "$FORKD_PORT" >"$T_TMP/frame2.out"
expect_eq "--max-frame 1K: a good frame, then a 1025-byte prefix in one write" \
    '\0 \0 \0 005 + O K a \0 \0 \0 023 - E R R f r a m e t o o l o n g' \
    "$(tail_od 32 "$T_TMP/frame2.out")"

printf '\000\000\004\000ECHO %01019d' 0 |
    timeout 10 nc -N 127.0.0.1 "$FORKD_PORT" >"$T_TMP/frame3.out"
expect_eq "--max-frame 1K: a frame of exactly 1024 bytes is served" \
    '0 0 3 255 43 79 75 32' \
    "$(tail -c 1027 "$T_TMP/frame3.out" | head -c 8 | od -An -tu1 |
    tr -s ' ' | sed 's/^ //; s/ $//')"
expect_eq "four sessions ended too-long, exit:11" 4 \
    "$(log_count reap 'status=exit:11 reason=too-long')"
forkd_stop TERM
expect_eq "forkd still exits 0 after all that" 0 "$FORKD_STATUS"

finish
