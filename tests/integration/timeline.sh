#!/bin/sh
# scripts/timeline draws a real log: 20 concurrent sessions, a CRASH and
# an idle session timed out by -t 1 become one bar per reap, coloured by
# how each ended, with one accept tick per accept line, in well-formed
# SVG; a tcpserver-format log is refused and an empty log still drawn.
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/../../scripts/lib.sh"
set -u
LC_ALL=C
export LC_ALL
TIMELINE=$TOP/scripts/timeline
N=20

# count_of PATTERN FILE: occurrences (not lines) of PATTERN in FILE.
count_of() {
	grep -o -- "$1" "$2" | grep -c .
}

# well_formed FILE: sets WF_TOOL to what checked it; 0 good, 1 bad,
# 2 nothing to check with.
well_formed() {
	if have xmllint; then
		WF_TOOL=xmllint
		xmllint --noout "$1" 2>"$T_TMP/wf.err" && return 0
	elif have python3; then
		WF_TOOL="python3 xml.dom.minidom"
		python3 -c 'import sys, xml.dom.minidom as m; m.parse(sys.argv[1])' \
		    "$1" 2>"$T_TMP/wf.err" && return 0
	else
		WF_TOOL=none
		return 2
	fi
	sed 3q "$T_TMP/wf.err" >&2
	return 1
}

# check_xml NAME FILE: ok / not_ok / skip on FILE's well-formedness.
check_xml() {
	well_formed "$2"
	case $? in
	0) ok "$1 (checked by $WF_TOOL)" ;;
	1) not_ok "$1" "$WF_TOOL rejects $2" ;;
	*) skip "$1" "neither xmllint nor python3 is installed" ;;
	esac
}

forkd_start --debug-verbs -t 1 || exit 1

# An idle session: nc holds the connection and says nothing, its input a
# fifo that this shell keeps open until the server has timed it out.
idle=no
if have nc; then
	mkfifo "$T_TMP/idle.in"
	timeout 20 nc 127.0.0.1 "$FORKD_PORT" <"$T_TMP/idle.in" \
	    >"$T_TMP/idle.out" 2>&1 &
	IDLE_PID=$!
	track "$IDLE_PID"
	exec 3>"$T_TMP/idle.in"
	idle=yes
fi

summary=$("$TOP/scripts/clients" -n "$N" -p "$FORKD_PORT" -- \
    -q -t 10 -c 'SLEEP 300')
expect_eq "$N concurrent SLEEP 300 sessions" \
    "clients=$N ok=$N failed=0" "$summary"
fc -q -t 10 -c CRASH >/dev/null 2>&1
check "CRASH is reaped as signalled" \
    wait_until 10 grep -q ' reap .* status=signal:' "$FORKD_LOG"
if [ "$idle" = yes ]; then
	check "the idle session times out" \
	    wait_until 10 grep -q ' reap .* reason=idle-timeout' "$FORKD_LOG"
	exec 3>&-
	wait "$IDLE_PID"
else
	skip "the idle session times out" "nc not installed"
fi

forkd_stop TERM
expect_eq "forkd stops cleanly" 0 "$FORKD_STATUS"

SVG=$T_TMP/timeline.svg
"$TIMELINE" "$FORKD_LOG" >"$SVG" 2>"$T_TMP/timeline.err"
expect_eq "timeline exits 0" "0 ''" "$? '$(cat "$T_TMP/timeline.err")'"
check_xml "the SVG is well-formed XML" "$SVG"

reaps=$(log_count reap)
expect_eq "one child bar per reap line ($reaps)" "$reaps" \
    "$(count_of 'class="child end-' "$SVG")"
expect_eq "no bar left open: every child was reaped" 0 \
    "$(count_of 'class="child open"' "$SVG")"
crash=$(sed -n 's/.* reap conn=\([0-9]*\) .*status=signal:.*/\1/p' \
    "$FORKD_LOG")
expect_eq "the crash (conn $crash) is the one bar in the signal class" \
    "1 1" "$(count_of 'class="child end-signal"' "$SVG") $(count_of \
    "class=\"child end-signal\"[^>]*><title>conn $crash " "$SVG")"
if [ "$idle" = yes ]; then
	expect_eq "the idle session's bar is in the idle-timeout class" 1 \
	    "$(count_of 'class="child end-idle-timeout"' "$SVG")"
fi
expect_eq "the $N sessions' bars are in the closed class" \
    "$(log_count reap 'reason=closed')" \
    "$(count_of 'class="child end-closed"' "$SVG")"
expect_eq "one accept marker per accept line" "$(log_count accept)" \
    "$(count_of '<line class="accept"' "$SVG")"
expect_eq "one refusal marker per refuse line" "$(log_count refuse)" \
    "$(count_of '<path class="refuse' "$SVG")"
expect_match "the title counts what happened" \
    "$(log_count accept) accepted .* $reaps children" "$(cat "$SVG")"

# The same log on stdin draws the same picture, bar for bar.
"$TIMELINE" <"$FORKD_LOG" >"$T_TMP/stdin.svg"
expect_eq "stdin: the same bars" "$(grep -c 'class="child' "$SVG")" \
    "$(grep -c 'class="child' "$T_TMP/stdin.svg")"

: >"$T_TMP/empty.log"
"$TIMELINE" "$T_TMP/empty.log" >"$T_TMP/empty.svg"
expect_eq "an empty log: exit 0" 0 $?
check_xml "an empty log: well-formed XML" "$T_TMP/empty.svg"
check "an empty log: the SVG says so" grep -q 'empty log' "$T_TMP/empty.svg"

grep -E ' (start|accept|refuse|stop) ' "$FORKD_LOG" >"$T_TMP/nokids.log"
"$TIMELINE" "$T_TMP/nokids.log" >"$T_TMP/nokids.svg"
check_xml "a log without children: well-formed XML" "$T_TMP/nokids.svg"
check "a log without children: the SVG says so" \
    grep -q 'no children in this log' "$T_TMP/nokids.svg"

printf 'forkd: status: 0/256\nforkd: pid 4711 from 127.0.0.1\n' \
    >"$T_TMP/tcpserver.log"
"$TIMELINE" "$T_TMP/tcpserver.log" >"$T_TMP/tcp.svg" 2>"$T_TMP/tcp.err"
expect_eq "a tcpserver-format log: exit 1, nothing on stdout" "1 0" \
    "$? $(wc -c <"$T_TMP/tcp.svg" | tr -d ' ')"
check "a tcpserver-format log: the error names the format" \
    grep -q 'tcpserver' "$T_TMP/tcp.err"
finish
