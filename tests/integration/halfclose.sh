#!/bin/sh
# A client that half-closes (shutdown SHUT_WR: nc -N, forkc --half-close)
# still gets every reply to what it sent, SLEEP included, in order, and
# no computed reply is lost however many are pipelined.
# shellcheck disable=SC2119 # forkd_start's options are optional
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/../../scripts/lib.sh"
set -u

forkd_start || exit 1
sessions=0

out=$(fc -q --half-close -c 'SLEEP 200' -c 'ECHO a' -c 'ECHO b')
rc=$?
sessions=$((sessions + 1))
expect_eq "forkc --half-close: all three replies, in order" "0 +OK
+OK a
+OK b" "$rc $out"

out=$(fc -q --half-close --line -c 'SLEEP 100' -c HELP -c 'ECHO c')
rc=$?
sessions=$((sessions + 1))
check "forkc --half-close --line: exit 0" [ "$rc" -eq 0 ]
expect_eq "forkc --half-close --line: the last reply" "+OK c" \
    "$(printf '%s\n' "$out" | tail -n 1)"

out=$(printf 'SLEEP 100\nECHO from stdin\n' | fc -q --half-close)
rc=$?
sessions=$((sessions + 1))
expect_eq "forkc --half-close, commands from stdin" "0 +OK
+OK from stdin" "$rc $out"

if have nc; then
	out=$(printf 'ECHO one\r\nSLEEP 300\r\nECHO two\r\nTIME\r\nECHO three' |
	    timeout 10 nc -N 127.0.0.1 "$FORKD_PORT" | tr -d '\r' | sed 1d)
	sessions=$((sessions + 1))
	expect_match "nc -N: every reply, SLEEP's in its place" \
	    '^\+OK one\|\+OK\|\+OK two\|\+OK [0-9T:-]+Z\|\+OK three$' \
	    "$(printf '%s\n' "$out" | paste -sd '|' -)"

	# 2000 pipelined requests in one go (far more reply bytes than one
	# flush holds), then EOF: all 2000 answers arrive.
	awk 'BEGIN { for (i = 1; i <= 2000; i++) printf "ECHO %d %0100d\r\n", i, 0 }' \
	    >"$T_TMP/many.in"
	timeout 20 nc -N 127.0.0.1 "$FORKD_PORT" <"$T_TMP/many.in" |
	    tr -d '\r' | sed 1d >"$T_TMP/many.out"
	sessions=$((sessions + 1))
	expect_eq "nc -N: 2000 pipelined requests, 2000 replies" 2000 \
	    "$(grep -c '^+OK [0-9]* 0*$' "$T_TMP/many.out")"
	expect_eq "... in order, the last one last" "+OK 2000" \
	    "$(tail -n 1 "$T_TMP/many.out" | cut -d ' ' -f 1,2)"
else
	skip "nc -N" "nc not installed"
fi

reaped() {
	[ "$(log_count reap)" -ge "$sessions" ]
}
wait_until 5 reaped
expect_eq "every half-closed session ends as closed (exit:0)" "$sessions" \
    "$(log_count reap 'status=exit:0 reason=closed')"

forkd_stop TERM
expect_eq "SIGTERM: exit status 0" 0 "$FORKD_STATUS"
finish
