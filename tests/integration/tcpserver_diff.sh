#!/bin/sh
# --log-format tcpserver: one client script run against forkd and against
# the real tcpserver -v gives the same log lines, once pids and ports are
# replaced by placeholders and the program names aligned.
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/../../scripts/lib.sh"

if ! have tcpserver || ! have nc; then
	skip "diff against tcpserver" "tcpserver (ucspi-tcp) or nc not installed"
	finish
	exit
fi

# The script: three clients, one after another, each sends a line and
# closes; every session ends with status 0 on both servers.
drive() {
	for i in 1 2 3; do
		printf 'ECHO %s\n' "$i" | timeout 5 nc -N 127.0.0.1 "$1" >/dev/null
		wait_until 5 grep -q "end .* status" "$2" || return 1
		wait_until 5 sh -c "[ \$(grep -c 'status: 0/' '$2') -gt $i ]"
	done
}
# tcpserver's grammar only, pids and ports as placeholders.
normalise() {
	sed -n 's/^\(forkd\|tcpserver\): \(status: \|pid \|ok \|end \)/server: \2/p' "$1" |
	    sed 's/\(pid\|ok\|end\) [0-9][0-9]*/\1 P/; s/:[0-9][0-9]*\( \|$\)/:PORT\1/g'
}

forkd_start --log-format tcpserver -c 40 --no-udp || exit 1
drive "$FORKD_PORT" "$FORKD_LOG"
forkd_stop TERM

# tcpserver on a port it picks itself is not possible: take forkd's.
tlog=$T_TMP/tcpserver.log
tcpserver -v -HRl0 -c 40 127.0.0.1 "$FORKD_PORT" cat >"$tlog" 2>&1 </dev/null &
tpid=$!
track "$tpid"
if wait_until 5 grep -q 'status: 0/40' "$tlog"; then
	drive "$FORKD_PORT" "$tlog"
	kill "$tpid"
	normalise "$FORKD_LOG" >"$T_TMP/forkd.norm"
	normalise "$tlog" >"$T_TMP/tcpserver.norm"
	check "tcpserver lines were logged" [ -s "$T_TMP/forkd.norm" ]
	cat "$T_TMP/forkd.norm"
	if diff "$T_TMP/tcpserver.norm" "$T_TMP/forkd.norm"; then
		ok "forkd and tcpserver log the same lifecycle"
	else
		not_ok "forkd and tcpserver log the same lifecycle" "see the diff above"
	fi
else
	skip "diff against tcpserver" "tcpserver did not start on port $FORKD_PORT"
fi
finish
