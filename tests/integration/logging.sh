#!/bin/sh
# The log: info shows the listener's events, -v adds the children's, -vv
# each syscall step, -q only warnings (refusals); --log-format tcpserver
# speaks the tcpserver -v grammar (status: n/N, pid P from IP, end P status S).
# shellcheck disable=SC2119 # forkd_start's options are optional
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/../../scripts/lib.sh"
set -u

# log_at_least N EVENT [PATTERN]: the log has N such lines yet.
log_at_least() {
	t_n=$1
	shift
	[ "$(log_count "$@")" -ge "$t_n" ]
}
# events: the event words of the log, each once, sorted.  As root, forkd
# also warns once that it keeps root (the "privileges" line): that one
# is checked in privileges.sh and left out here.
events() {
	awk '{ print $3 }' "$FORKD_LOG" | grep -vx privileges | sort -u |
	    paste -sd ' ' -
}
# one_session: a session with a request, then wait for its reap.
one_session() {
	fc -q -c 'ECHO logged' >/dev/null
	wait_until 5 log_at_least 1 reap
}

# ---- info (the default) --------------------------------------------------------

forkd_start || exit 1
one_session
forkd_stop TERM
expect_eq "info: the listener's events only" \
    "accept fork listen reap shutdown start stop udp-exit udp-spawn" "$(events)"

# ---- -v ---------------------------------------------------------------------------

forkd_start -v || exit 1
one_session
"$FORKC" -u -p "$FORKD_UDP_PORT" -t 5 -c TIME >/dev/null
wait_until 5 log_at_least 1 request 'proto=udp'
forkd_stop TERM
expect_eq "-v: adds session-start, request, session-end" \
    "accept fork listen reap request session-end session-start shutdown start stop udp-exit udp-spawn" \
    "$(events)"
expect_match "-v: a request line names conn, verb and size" \
    ' request conn=1 verb=ECHO bytes=11$' "$(grep ' request conn=' "$FORKD_LOG")"
expect_match "-v: the UDP worker logs its requests" \
    ' request proto=udp peer=127\.0\.0\.1:[0-9]+ verb=TIME bytes=4$' \
    "$(grep ' request proto=udp' "$FORKD_LOG")"
expect_match "-v: session-end gives the reason and the counts" \
    ' session-end conn=1 reason=closed requests=1 bytes_in=15 bytes_out=[0-9]+ duration=[0-9.]+s$' \
    "$(grep ' session-end ' "$FORKD_LOG")"
v_lines=$(grep -c " forkd\\[[0-9]*\\] " "$FORKD_LOG")

# ---- -vv ---------------------------------------------------------------------------

forkd_start -vv || exit 1
one_session
"$FORKC" -u -p "$FORKD_UDP_PORT" -t 5 -c TIME >/dev/null
wait_until 5 log_at_least 1 request 'proto=udp'
forkd_stop TERM
vv_lines=$(grep -c " forkd\\[[0-9]*\\] " "$FORKD_LOG")
check "-vv: traces each syscall step (more lines than -v: $vv_lines vs $v_lines)" \
    [ "$vv_lines" -gt "$v_lines" ]

# ---- -q and --log-format: no start line to read the port from ----------------------

# listen_port PID: the TCP port PID listens on, from /proc.
listen_port() {
	for f in "/proc/$1/fd/"*; do
		readlink "$f"
	done | sed -n 's/^socket:\[\([0-9]*\)\]$/\1/p' >"$T_TMP/inodes"
	awk 'NR == FNR { want[$1] = 1; next }
	    $4 == "0A" && ($10 in want) { split($2, a, ":"); print a[2]; exit }' \
	    "$T_TMP/inodes" /proc/net/tcp /proc/net/tcp6 |
	    while read -r hex; do echo $((0x$hex)); done
}
# port_known: FORKD_PORT is set from /proc once forkd listens.
port_known() {
	FORKD_PORT=$(listen_port "$FORKD_PID")
	[ -n "$FORKD_PORT" ]
}
# start_raw ARGS...: forkd_start, but the port is found in /proc.
start_raw() {
	FORKD_LOG=$T_TMP/raw.$#.$(date +%s%N).log
	"$FORKD" -p 0 --log-file "$FORKD_LOG" "$@" </dev/null >"$FORKD_LOG.out" 2>&1 &
	FORKD_PID=$!
	track "$FORKD_PID"
	wait_until 5 port_known || return 1
}

if [ -r /proc/net/tcp ]; then
	start_raw -q -c 1 || exit 1
	fc -q -c 'SLEEP 1000' >/dev/null &
	sleeper=$!
	track "$sleeper"
	busy() {
		fc -q -t 5 -c ECHO 2>/dev/null | grep -q 'server busy'
	}
	wait_until 5 busy
	wait "$sleeper"
	forkd_stop TERM
	expect_eq "-q: only warnings: the refusal" "refuse" "$(events)"
else
	skip "-q" "no /proc/net/tcp"
fi

if ! "$FORKD" --log-format tcpserver -V >/dev/null 2>&1; then
	not_ok "--log-format tcpserver is accepted" \
	    "$("$FORKD" --log-format tcpserver -V 2>&1 | head -n 1)"
elif [ -r /proc/net/tcp ]; then
	start_raw --log-format tcpserver || exit 1
	fc -q -c 'ECHO logged' >/dev/null
	forkd_stop TERM
	log=$(cat "$FORKD_LOG")
	expect_match "tcpserver format: status: n/N" '(^| )status: [0-9]+/256$' "$log"
	expect_match "tcpserver format: pid P from IP" \
	    '(^| )pid [0-9]+ from 127\.0\.0\.1$' "$log"
	expect_match "tcpserver format: end P status S" '(^| )end [0-9]+ status 0$' "$log"
else
	skip "--log-format tcpserver" "no /proc/net/tcp"
fi

finish
