#!/bin/sh
# The protocol: greeting and every verb in frame mode (forkc, raw frames)
# and line mode (forkc --line, raw bytes through nc): terminators, errors
# that keep the session, QUIT, empty and unterminated lines, STATS format.
# shellcheck disable=SC2119 # forkd_start's options are optional
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/../../scripts/lib.sh"
set -u
LC_ALL=C
export LC_ALL

CR=$(printf '\r')

# raw FILE FORMAT [ARGS...]: printf the bytes to the server in one write,
# half-close (nc -N), and keep every byte of the reply in FILE.
raw() {
	t_file=$1
	shift
	# shellcheck disable=SC2059 # the format is the request
	printf "$@" >"$t_file.in"
	timeout 10 nc -N 127.0.0.1 "$FORKD_PORT" <"$t_file.in" >"$t_file"
}

# text FILE: the reply with the CRs taken out, for matching.
text() {
	tr -d '\r' <"$1"
}

# join TEXT: its lines joined by "|", to match several lines at once.
join() {
	printf '%s\n' "$1" | paste -sd '|' -
}

# frame TEXT: TEXT (under 256 bytes) as one frame.
frame() {
	# shellcheck disable=SC2059 # the format carries the length byte
	printf "\\000\\000\\000\\$(printf %03o "${#1}")%s" "$1"
}

# frames FILE: the frames after the greeting line, one per output line;
# in the payload CR is shown as \r, LF as \n and other bytes as \xNN.
# A truncated frame prints "partial".
frames() {
	od -An -v -tu1 "$1" | awk '
	{ for (i = 1; i <= NF; i++) b[n++] = $i }
	END {
		for (i = 0; i < n && b[i] != 10; i++)
			;
		for (i++; i + 4 <= n; i += len) {
			len = ((b[i] * 256 + b[i + 1]) * 256 + b[i + 2]) * 256 + b[i + 3]
			i += 4
			if (i + len > n) { print "partial"; exit }
			s = ""
			for (j = i; j < i + len; j++) {
				c = b[j]
				if (c == 13) s = s "\\r"
				else if (c == 10) s = s "\\n"
				else if (c < 32 || c > 126) s = s sprintf("\\x%02x", c)
				else s = s sprintf("%c", c)
			}
			print s
		}
		if (i < n) print "partial"
	}'
}

forkd_start || exit 1
UDP_PID=$(sed -n 's/.* udp-spawn pid=\([0-9]*\).*/\1/p' "$FORKD_LOG" | head -n 1)

# ---- frame mode, through forkc -----------------------------------------

out=$(fc -c PID)
check "forkc exits 0 on +OK" [ $? -eq 0 ]
greeting=$(printf '%s\n' "$out" | head -n 1)
expect_match "greeting: pid, ppid = listener, conn=1" \
    "^\\+OK forkd ready pid=[0-9]+ ppid=$FORKD_PID conn=1\$" "$greeting"
gpid=$(printf '%s\n' "$greeting" | sed 's/.* pid=\([0-9]*\) .*/\1/')
expect_match "PID names the same child as the greeting" \
    "^\\+OK pid=$gpid ppid=$FORKD_PID conn=1 peer=127\\.0\\.0\\.1:[0-9]+ age=[0-9]+\\.[0-9]{3}s\$" \
    "$(printf '%s\n' "$out" | sed -n 2p)"

out=$(fc -q -c HELP)
expect_eq "HELP status line" "+OK verbs, case-insensitive" \
    "$(printf '%s\n' "$out" | head -n 1)"
missing=''
for v in HELP ECHO TIME PID STATS SLEEP QUIT; do
	printf '%s\n' "$out" | grep -q "^$v " || missing="$missing $v"
done
expect_eq "HELP lists every verb, one per line" "" "$missing"
expect_eq "frame mode: the HELP body has no '.' terminator" 0 \
    "$(printf '%s\n' "$out" | grep -cx '\.')"

expect_eq "ECHO keeps its argument byte for byte" "+OK hello  world " \
    "$(fc -q -c 'ECHO hello  world ')"
expect_eq "ECHO alone replies +OK" "+OK" "$(fc -q -c ECHO)"
expect_match "TIME is ISO 8601 UTC" \
    '^\+OK [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$' \
    "$(fc -q -c TIME)"

t0=$(date +%s%N)
out=$(fc -q -c 'SLEEP 300')
rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
expect_eq "SLEEP 300 replies +OK" "+OK 0" "$out $rc"
check "SLEEP 300 takes at least 300 ms (took $ms)" [ "$ms" -ge 300 ]
expect_eq "SLEEP 0 replies +OK" "+OK" "$(fc -q -c 'SLEEP 0')"

for bad in 'SLEEP' 'SLEEP abc' 'SLEEP -1' 'SLEEP 10001' 'SLEEP 1.5' \
    'SLEEP 99999999999999999999'; do
	out=$(fc -q -c "$bad" -c 'ECHO alive')
	rc=$?
	expect_match "'$bad': -ERR, then the session goes on (exit $rc)" \
	    '^-ERR [^|]*\|\+OK alive$' "$(join "$out")"
done

out=$(fc -q -c 'FROB x' -c 'ECHO alive')
check "unknown verb: forkc exits 1" [ $? -eq 1 ]
expect_eq "unknown verb: -ERR, then the session goes on" \
    "-ERR unknown command, try HELP
+OK alive" "$out"
out=$(fc -q -c 'ECHOX' -c 'echo alive')
expect_match "a verb is a whole word (ECHOX is unknown)" '^-ERR ' "$out"

out=$(fc -q -c 'echo lower' -c 'eChO mixed' -c 'Time' -c 'pId' -c 'help' \
    -c 'stats' -c 'sleep 1' -c 'quit')
rc=$?
check "verbs are case-insensitive (exit $rc)" [ "$rc" -eq 0 ]
expect_match "lower-case echo" '^\+OK lower$' "$out"
expect_match "lower-case quit says bye" '^\+OK bye$' "$out"

expect_eq "QUIT says bye" "+OK bye" "$(fc -q -c QUIT)"
out=$(fc -q -c QUIT -c 'ECHO after' 2>/dev/null)
check "after QUIT the server has closed: forkc exits 1" [ $? -eq 1 ]
expect_eq "after QUIT nothing more is answered" "+OK bye" "$out"

# ---- STATS -------------------------------------------------------------

fc -q -c 'SLEEP 2500' >"$T_TMP/sleeper.out" 2>&1 &
SLEEPER=$!
track "$SLEEPER"
sleeper_sleeping() {
	fc -q -c STATS | grep -q 'state=sleeping'
}
wait_until 5 sleeper_sleeping
# Every earlier session reaped, so that only the sleeper and the caller count.
settled() {
	[ "$(log_count reap)" -ge $(($(log_count accept) - 1)) ]
}
wait_until 5 settled
conns=$(log_count accept)
out=$(fc -q -c PID -c STATS)
mypid=$(printf '%s\n' "$out" | sed -n '1s/^+OK pid=\([0-9]*\) .*/\1/p')
myconn=$((conns + 1))
stats=$(printf '%s\n' "$out" | sed 1d)
expect_eq "STATS first line: +OK 2 sessions" "+OK 2 sessions" \
    "$(printf '%s\n' "$stats" | head -n 1)"
missing=''
for k in listener_pid uptime children max_children peak_children accepted \
    refused_busy refused_per_ip fork_failed reaped_exit reaped_signal \
    udp_pid udp_in udp_out udp_dropped; do
	printf '%s\n' "$stats" | grep -Eq "(^| )$k=[0-9]+(\\.[0-9]+s)?( |\$)" ||
	    missing="$missing $k"
done
expect_eq "STATS has every counter" "" "$missing"
expect_match "STATS: listener_pid, max_children" \
    "(^| )listener_pid=$FORKD_PID .* max_children=256( |\$)" "$stats"
expect_match "STATS: children=2 (the sleeper and me)" '(^| )children=2( |$)' "$stats"
expect_match "STATS: accepted counts every connection so far" \
    "(^| )accepted=$myconn( |\$)" "$stats"
expect_match "STATS: udp_pid is the UDP worker" "(^| )udp_pid=$UDP_PID( |\$)" "$stats"
expect_eq "STATS: one line per live session" 2 \
    "$(printf '%s\n' "$stats" | grep -c '^pid=')"
expect_match "STATS: my own session line, exact counts" \
    "^pid=$mypid conn=$myconn peer=127\\.0\\.0\\.1:[0-9]+ state=[a-z]+ age=[0-9]+\\.[0-9]{3}s requests=2 bytes_in=16 bytes_out=[0-9]+\$" \
    "$stats"
expect_match "STATS: the sleeper's session is sleeping" \
    '^pid=[0-9]+ conn=[0-9]+ peer=127\.0\.0\.1:[0-9]+ state=sleeping ' "$stats"
wait "$SLEEPER"
expect_eq "the sleeper got its +OK" "0 +OK" "$? $(cat "$T_TMP/sleeper.out")"

# ---- line mode, through forkc --line -----------------------------------

out=$(fc --line -q -c HELP -c 'ECHO hi there' -c TIME -c PID -c STATS \
    -c 'SLEEP 10' -c QUIT)
rc=$?
check "forkc --line: every verb +OK (exit $rc)" [ "$rc" -eq 0 ]
expect_match "forkc --line: HELP body" '^QUIT - ' "$out"
expect_match "forkc --line: ECHO" '^\+OK hi there$' "$out"
expect_match "forkc --line: STATS session line" '^pid=[0-9]+ conn=' "$out"
expect_match "forkc --line: QUIT" '^\+OK bye$' "$out"
out=$(fc --line -q -c 'NOPE' -c 'ECHO alive')
expect_eq "forkc --line: unknown verb then ECHO" "1 -ERR unknown command, try HELP
+OK alive" "$? $out"

# ---- line mode, raw bytes through nc -----------------------------------

if ! have nc; then
	skip "raw line mode" "nc not installed"
	skip "raw frames" "nc not installed"
	forkd_stop TERM
	finish
	exit
fi

R=$T_TMP/raw
raw "$R" 'ECHO crlf\r\nECHO lf\nECHO crnul\r\000ECHO lone\rcr\nQUIT\r\n'
expect_eq "CRLF, LF and CR NUL end a line; a lone CR is dropped" \
    "+OK crlf
+OK lf
+OK crnul
+OK lonecr
+OK bye" "$(text "$R" | sed 1d)"
expect_eq "every reply line ends in CRLF" 0 \
    "$(cat -A "$R" | grep -vc '\^M\$$')"
expect_eq "the last bytes are CR LF (od)" '\r  \n' \
    "$(tail -c 2 "$R" | od -An -c | sed 's/^ *//')"
expect_match "the greeting is a CRLF line" '^\+OK forkd ready pid=[0-9]+ ppid=[0-9]+ conn=[0-9]+\^M\$$' \
    "$(cat -A "$R" | head -n 1)"

raw "$R" 'HELP\r\nECHO after-help\r\nSTATS\r\nECHO after-stats\r\n'
before() {
	text "$R" | awk -v want="$1" '$0 == want { print prev } { prev = $0 }'
}
expect_eq "line mode: the HELP body ends with a '.' line" "." \
    "$(before '+OK after-help')"
expect_eq "line mode: the STATS body ends with a '.' line" "." \
    "$(before '+OK after-stats')"
expect_eq "line mode: HELP has 7 body lines" 7 \
    "$(text "$R" | awk '/^\+OK verbs/ { on = 1; next } $0 == "." { on = 0 } on { n++ } END { print n + 0 }')"
expect_eq "line mode: body lines end in CRLF too" 0 \
    "$(cat -A "$R" | grep -vc '\^M\$$')"

raw "$R" 'NOPE\r\nSLEEP x\r\nSLEEP 20000\r\nECHO still here\r\n'
expect_eq "unknown verb and bad SLEEP: -ERR, session goes on" \
    "-ERR unknown command, try HELP
-ERR SLEEP ms must be 0-10000
-ERR SLEEP ms must be 0-10000
+OK still here" "$(text "$R" | sed 1d)"

raw "$R" 'echo a\r\nEcHo b\r\ntime\r\n'
expect_match "raw: verbs are case-insensitive" '^\+OK a\|\+OK b\|\+OK [0-9]{4}-' \
    "$(text "$R" | sed 1d | paste -sd '|' -)"

raw "$R" '\r\n\n\r\n\nECHO x\r\n\r\n\n'
expect_eq "empty lines are ignored (no reply)" "+OK x" "$(text "$R" | sed 1d)"

raw "$R" 'ECHO last'
expect_eq "an unterminated last line at EOF is served" "+OK last" \
    "$(text "$R" | sed 1d)"
expect_eq "... and its reply ends in CRLF" '\r  \n' \
    "$(tail -c 2 "$R" | od -An -c | sed 's/^ *//')"

raw "$R" 'ECHO one\r\nQUIT\r\nECHO two\r\nECHO three'
expect_eq "QUIT: bye, and the pipelined requests after it are dropped" \
    "+OK one
+OK bye" "$(text "$R" | sed 1d)"

# ---- frame mode, raw frames through nc ---------------------------------

F=$T_TMP/frames
{
	frame 'ECHO a'
	frame "ECHO x${CR}
y"
	frame 'BOGUS'
	frame 'pid'
	frame 'HELP'
	frame 'QUIT'
	frame 'ECHO dropped'
} >"$F.in"
timeout 10 nc -N 127.0.0.1 "$FORKD_PORT" <"$F.in" >"$F"
expect_match "raw frames: the greeting is still a CRLF line" \
    '^\+OK forkd ready .*\^M\$$' "$(head -n 1 "$F" | cat -A)"
got=$(frames "$F")
expect_eq "frames in one write: one frame per reply, binary-safe" \
    "+OK a
+OK x\\r\\ny
-ERR unknown command, try HELP" "$(printf '%s\n' "$got" | head -n 3)"
expect_match "frame PID" '^\+OK pid=[0-9]+ ' "$(printf '%s\n' "$got" | sed -n 4p)"
expect_match "frame HELP: status and body joined by LF, no dot" \
    '^\+OK verbs, case-insensitive\\nHELP - this list\\n.*\\nQUIT - [^\\]*$' \
    "$(printf '%s\n' "$got" | sed -n 5p)"
expect_eq "frame QUIT: bye, and the frame after it is dropped" "+OK bye" \
    "$(printf '%s\n' "$got" | sed -n '6,$p')"

printf '\000\000\000\010ECHO a\000b' >"$F.in"
timeout 10 nc -N 127.0.0.1 "$FORKD_PORT" <"$F.in" >"$F"
expect_eq "frame mode is binary-safe (a NUL in ECHO)" '+OK a\x00b' \
    "$(frames "$F")"

# One frame dribbled in pieces decodes the same as in one write; the
# pauses only encourage separate segments, the result cannot depend on them.
{
	printf '\000'
	sleep 0.05
	printf '\000\000'
	sleep 0.05
	printf '\012EC'
	sleep 0.05
	printf 'HO split'
} | timeout 10 nc -N 127.0.0.1 "$FORKD_PORT" >"$F"
expect_eq "a frame split across writes" "+OK split" "$(frames "$F")"

forkd_stop TERM
expect_eq "SIGTERM: exit status 0" 0 "$FORKD_STATUS"
finish
