#!/bin/sh
# forkc's own modes.  stats: a table with a row for every live session;
# watch: snapshots over one connection, plain when stdout is a pipe,
# ended at once by SIGINT/SIGTERM, and surviving a server restart.  The
# sticky-packet demos (--batch: every request in one write; --trickle: one
# byte per write) print exactly what lockstep prints, one session each.
# shellcheck disable=SC2119 # forkd_start's options are optional
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/../../scripts/lib.sh"

forkd_start -v || exit 1

# ---- stats ---------------------------------------------------------------
timeout 10 "$FORKC" -p "$FORKD_PORT" -q -c 'SLEEP 2000' >"$T_TMP/sleep.out" 2>&1 &
sleeper=$!
track "$sleeper"

# stats_sleeping: forkc stats exits 0 and lists a session in SLEEP.
stats_sleeping() {
	timeout 10 "$FORKC" -p "$FORKD_PORT" stats >"$T_TMP/stats.out" 2>&1 &&
		grep -Eq '^ *[0-9]+ +[0-9]+ +127\.0\.0\.1:[0-9]+ +sleeping ' "$T_TMP/stats.out"
}
check "forkc stats: a row for the session held by SLEEP" wait_until 5 stats_sleeping
stats=$(cat "$T_TMP/stats.out")
# The sleeper may have connected before or after a first try of stats.
conn=$(sed -n 's/.* request conn=\([0-9]*\) verb=SLEEP .*/\1/p' "$FORKD_LOG" | head -n 1)
child=$(sed -n "s/.* fork conn=$conn child=\\([0-9]*\\).*/\\1/p" "$FORKD_LOG")
expect_match "stats: the row names the sleeping child and its conn" \
    "^ *$child +$conn +127\\.0\\.0\\.1:[0-9]+ +sleeping +[0-9.]+s +1 +[0-9]+ +[0-9]+\$" "$stats"
expect_match "stats: the session columns" '^ *PID +CONN +PEER +STATE +AGE +REQS +IN +OUT$' "$stats"
expect_match "stats: the listener counters" "^listener +listener_pid +$FORKD_PID +uptime +[0-9.]+s +children +[2-9]\$" "$stats"
expect_match "stats: the connection counters" '^connections +accepted +[0-9]+ +refused_busy +0 ' "$stats"
expect_match "stats: the UDP counters" '^udp +udp_pid +[0-9]+ +udp_in ' "$stats"
expect_match "stats: its own session is listed, working" \
    '^ *[0-9]+ +[0-9]+ +127\.0\.0\.1:[0-9]+ +working ' "$stats"
wait "$sleeper"
expect_eq "the held session ends +OK" "0 +OK" "$? $(cat "$T_TMP/sleep.out")"

# ---- --batch and --trickle: the same output as lockstep ----------------
# Six requests (so "requests=6" marks these sessions in the log), a HELP
# body among them, a dot to unstuff in line mode, an -ERR in the middle.
set -- -c 'ECHO one' -c HELP -c 'ECHO .dot' -c 'NO such' -c 'SLEEP 5' -c 'ECHO  two  spaces'
accepts=$(log_count accept)
for framing in "" --line; do
	for style in "" --batch --trickle; do
		# shellcheck disable=SC2086 # empty framing/style: no word
		timeout 10 "$FORKC" -p "$FORKD_PORT" -q $framing $style "$@" \
		    >"$T_TMP/out$framing$style" 2>&1
		echo "$?" >"$T_TMP/rc$framing$style"
	done
	name="${framing:-frames}"
	expect_eq "$name: lockstep exits 1 (one -ERR)" 1 "$(cat "$T_TMP/rc$framing")"
	expect_match "$name: lockstep prints the HELP body" '^QUIT - ' "$(cat "$T_TMP/out$framing")"
	expect_match "$name: lockstep unstuffs the dot" '^\+OK \.dot$' "$(cat "$T_TMP/out$framing")"
	for style in --batch --trickle; do
		expect_eq "$name $style: the same output as lockstep" \
		    "$(cat "$T_TMP/out$framing")" "$(cat "$T_TMP/out$framing$style")"
		expect_eq "$name $style: the same exit status" 1 "$(cat "$T_TMP/rc$framing$style")"
	done
done
expect_eq "six runs, six connections" $((accepts + 6)) "$(log_count accept)"
check "each run is one session of six requests" \
    wait_until 5 sh -c "[ \$(grep -c ' session-end .* requests=6 ' '$FORKD_LOG') -eq 6 ]"
conns=$(grep ' accept ' "$FORKD_LOG" | sed -n "$((accepts + 1)),\$p" |
    sed 's/.* conn=\([0-9]*\) .*/\1/')
for conn in $conns; do
	n=$(grep -c " request conn=$conn " "$FORKD_LOG")
	expect_eq "conn $conn: its six requests decoded one by one" 6 "$n"
done

for bad in "-u --batch" "-u --trickle" "--batch --trickle" "--batch --half-close" \
    "--trickle --half-close" "--trickle-ms 5" "-n 2" "-c PID stats" "-u watch"; do
	# shellcheck disable=SC2086 # the options are meant to split
	fc $bad -c PID >/dev/null 2>&1
	expect_eq "forkc $bad: usage error, exit 2" 2 "$?"
done

# ---- watch ---------------------------------------------------------------
accepts=$(log_count accept)
{
	timeout 10 "$FORKC" -p "$FORKD_PORT" watch 0.2 -n 3
	echo "$?" >"$T_TMP/watch.rc"
} | cat >"$T_TMP/watch.out"
expect_eq "watch 0.2 -n 3 into a pipe: exit 0" 0 "$(cat "$T_TMP/watch.rc")"
expect_eq "watch: three snapshots" 3 \
    "$(grep -Ec "^forkd 127\\.0\\.0\\.1 port $FORKD_PORT  [0-9-]+ [0-9:]+  every 0\\.2s  Ctrl-C to quit\$" "$T_TMP/watch.out")"
expect_eq "watch: three session tables" 3 "$(grep -Ec '^ *PID +CONN +PEER' "$T_TMP/watch.out")"
esc=$(printf '\033')
check "watch into a pipe: no escape sequence" sh -c "! grep -q '$esc' '$T_TMP/watch.out'"
expect_eq "watch: a blank line before each later snapshot" 2 \
    "$(awk '/^forkd / && NR > 1 && prev == "" { n++ } { prev = $0 } END { print n + 0 }' "$T_TMP/watch.out")"
expect_eq "watch: one connection for every refresh" $((accepts + 1)) "$(log_count accept)"
expect_eq "watch: the same child answers every refresh" 1 \
    "$(grep -E '^ *[0-9]+ +[0-9]+ +127\.0\.0\.1:[0-9]+ +working ' "$T_TMP/watch.out" | awk '{ print $1 }' | sort -u | wc -l | tr -d ' ')"

# On a terminal (util-linux script(1) gives it one): clear the screen,
# hide the cursor, show it again.
if have script && script -qfec true /dev/null </dev/null >/dev/null 2>&1; then
	timeout 10 script -qfec "'$FORKC' -p $FORKD_PORT -n 2 watch 0.1" /dev/null \
	    </dev/null >"$T_TMP/tty.out" 2>&1
	expect_eq "watch on a terminal: exit 0" 0 "$?"
	expect_eq "watch on a terminal: the screen cleared twice" 2 \
	    "$(grep -c "$esc\\[H$esc\\[2Jforkd " "$T_TMP/tty.out")"
	check "watch on a terminal: the cursor hidden first" \
	    grep -q "^$esc\\[?25l" "$T_TMP/tty.out"
	check "watch on a terminal: the cursor shown at the end" \
	    sh -c "tail -c 6 '$T_TMP/tty.out' | grep -q '$esc\\[?25h'"
else
	skip "watch on a terminal" "no util-linux script(1)"
fi

# SIGTERM (and SIGINT, where env can undo the background job's SIG_IGN)
# end a watch in the middle of its 5 s wait, at once, with status 0.
for sig in TERM INT; do
	if [ "$sig" = TERM ]; then
		"$FORKC" -p "$FORKD_PORT" watch 5 >"$T_TMP/w$sig.out" 2>&1 &
	elif env --default-signal=INT true 2>/dev/null; then
		env --default-signal=INT "$FORKC" -p "$FORKD_PORT" watch 5 >"$T_TMP/w$sig.out" 2>&1 &
	else
		skip "watch: SIGINT ends it" "env --default-signal missing"
		continue
	fi
	w=$!
	track "$w"
	wait_until 5 grep -q 'Ctrl-C to quit' "$T_TMP/w$sig.out"
	kill "-$sig" "$w"
	check "watch: SIG$sig ends it long before its 5 s wait" wait_until 2 t_gone "$w"
	wait "$w"
	expect_eq "watch: SIG$sig, exit 0" 0 "$?"
done

# A server restart: the screen says the connection is lost, then the new
# server's sessions come back on the same port.
timeout --foreground 20 "$FORKC" -p "$FORKD_PORT" watch 0.1 >"$T_TMP/restart.out" 2>&1 &
w=$!
track "$w"
wait_until 5 grep -q '^ *PID +CONN' "$T_TMP/restart.out"
port=$FORKD_PORT
forkd_stop TERM
check "watch: the lost connection is on screen" \
    wait_until 5 grep -q '^connection lost: ' "$T_TMP/restart.out"
forkd_start -v -p "$port" || exit 1
# back_again: a session table after the last "connection lost" line.
back_again() {
	awk '/^connection lost: / { lost = NR } /^ *PID +CONN/ && lost && NR > lost { ok = 1 } END { exit !ok }' \
	    "$T_TMP/restart.out"
}
check "watch: reconnects to the restarted server" wait_until 5 back_again
kill -TERM "$w"
wait "$w"
expect_eq "watch: exit 0 after the restart" 0 "$?"

forkd_stop TERM
expect_eq "SIGTERM: exit status 0" 0 "$FORKD_STATUS"
timeout 10 "$FORKC" -p "$port" stats >"$T_TMP/dead.out" 2>"$T_TMP/dead.err"
expect_eq "stats with no server: exit 1" 1 "$?"
expect_match "stats with no server: says why" "^forkc: 127\\.0\\.0\\.1 port $port: " "$(cat "$T_TMP/dead.err")"
finish
