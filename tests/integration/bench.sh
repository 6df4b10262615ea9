#!/bin/sh
# forkc bench: short connections in frame mode (each one a fork and a
# reap in the server's log), persistent connections in line mode, UDP;
# the summary line parsed key by key; a server at its -c cap (busy
# counted, exit 1); a closed port (refused counted, exit 1, at once); the
# progress line; SIGTERM (a partial report, no worker left behind);
# --hold (every connection open at once when forkc says so, SIGTERM while
# holding); --echo against make bench's yardsticks (built here), over
# TCP, UDP and with 64 KiB lines, and against forkd (not an echo: bad);
# make bench's report (medians, ratios, verdicts) and plot on known data.
# Every forkc run is bounded by timeout(1); no assertion on a rate.
# shellcheck disable=SC2119 # forkd_start's options are optional
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/../../scripts/lib.sh"

# kv KEY FILE: the value of KEY in the summary line of FILE.
kv() {
	tail -n 1 "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"
}

# bench NAME ARGS...: forkc bench against the test's forkd, with its
# stdout in $T_TMP/NAME.out, stderr in NAME.err, exit status in NAME.rc.
bench() {
	b_name=$1
	shift
	timeout 60 "$FORKC" -p "$FORKD_PORT" "$@" bench \
	    >"$T_TMP/$b_name.out" 2>"$T_TMP/$b_name.err"
	echo "$?" >"$T_TMP/$b_name.rc"
}

# summary_ok NAME: the last line is the summary, every key in its place.
summary_ok() {
	tail -n 1 "$T_TMP/$1.out" | grep -Eq '^bench mode=(short|persistent|datagram) procs=[0-9]+ conns=[0-9]+ requests=[0-9]+ conn_per_s=[0-9]+\.[0-9] req_per_s=[0-9]+\.[0-9] p50_ms=[0-9]+\.[0-9]{3} p90_ms=[0-9]+\.[0-9]{3} p99_ms=[0-9]+\.[0-9]{3} max_ms=[0-9]+\.[0-9]{3} errors=[0-9]+ refused=[0-9]+ reset=[0-9]+ timeout=[0-9]+ busy=[0-9]+ bad=[0-9]+ other=[0-9]+ proto=(tcp|line|udp) size=[0-9]+ elapsed_s=[0-9]+\.[0-9]{3} setup_p50_ms=[0-9.]+ setup_p90_ms=[0-9.]+ setup_p99_ms=[0-9.]+ setup_max_ms=[0-9.]+ cycle_p50_ms=[0-9.]+ cycle_p90_ms=[0-9.]+ cycle_p99_ms=[0-9.]+ cycle_max_ms=[0-9.]+$'
}

# reaps_reach N: the log has N reap lines.
reaps_reach() {
	[ "$(log_count reap)" -ge "$1" ]
}

forkd_start -v --udp-rate 1000000 || exit 1

# ---- short connections, frame mode ---------------------------------------
accepts=$(log_count accept)
reaps=$(log_count reap)
bench short -P 2 -N 50 -K 2
expect_eq "short: exit 0" 0 "$(cat "$T_TMP/short.rc")"
check "short: the summary line parses" summary_ok short
expect_eq "short: 100 connections" 100 "$(kv conns "$T_TMP/short.out")"
expect_eq "short: 200 requests" 200 "$(kv requests "$T_TMP/short.out")"
expect_eq "short: 0 errors" 0 "$(kv errors "$T_TMP/short.out")"
expect_eq "short: mode and framing" "short tcp 2 16" \
    "$(kv mode "$T_TMP/short.out") $(kv proto "$T_TMP/short.out") $(kv procs "$T_TMP/short.out") $(kv size "$T_TMP/short.out")"
check "short: a rate above 0" \
    sh -c "[ \"\$(sed -n 's/.* conn_per_s=\\([0-9]*\\).*/\\1/p' '$T_TMP/short.out')\" -gt 0 ]"
expect_match "short: the table for people" '^requests +200 +[0-9.]+ +[0-9.]+ ' "$(cat "$T_TMP/short.out")"
expect_eq "short: nothing on stderr" "" "$(cat "$T_TMP/short.err")"
expect_eq "short: 100 connections accepted" $((accepts + 100)) "$(log_count accept)"
check "short: 100 children reaped" wait_until 5 reaps_reach $((reaps + 100))
expect_eq "short: each child served 2 requests" 100 \
    "$(grep -c ' session-end .* requests=2 ' "$FORKD_LOG")"
expect_match "short: 100 whole cycles timed" '^cycles +100 +[0-9.]+ +[0-9.]+ ' "$(cat "$T_TMP/short.out")"
check "short: a cycle takes longer than its setup" \
    sh -c "[ \"\$(echo '$(kv cycle_max_ms "$T_TMP/short.out")' | tr -d .)\" -ge \"\$(echo '$(kv setup_max_ms "$T_TMP/short.out")' | tr -d .)\" ]"

# Payload sizes: none ("ECHO" alone), and one over several segments.
bench size0 -q -P 1 -N 3 --size 0
expect_eq "--size 0: exit 0, 3 requests" "0 3" \
    "$(cat "$T_TMP/size0.rc") $(kv requests "$T_TMP/size0.out")"
expect_eq "-q: the summary line alone" 1 "$(wc -l <"$T_TMP/size0.out" | tr -d ' ')"
bench big -q -P 1 -N 2 -K 3 --size 100K
expect_eq "--size 100K: exit 0, 6 requests" "0 6" \
    "$(cat "$T_TMP/big.rc") $(kv requests "$T_TMP/big.out")"

# ---- persistent connections, line mode -----------------------------------
accepts=$(log_count accept)
ends=$(grep -c ' session-end .* requests=5 ' "$FORKD_LOG")
bench persistent -P 2 -N 10 -K 5 --persistent --proto line
expect_eq "persistent: exit 0" 0 "$(cat "$T_TMP/persistent.rc")"
check "persistent: the summary line parses" summary_ok persistent
expect_eq "persistent: 20 connections, 100 requests, 0 errors" "20 100 0" \
    "$(kv conns "$T_TMP/persistent.out") $(kv requests "$T_TMP/persistent.out") $(kv errors "$T_TMP/persistent.out")"
expect_eq "persistent: mode and framing" "persistent line" \
    "$(kv mode "$T_TMP/persistent.out") $(kv proto "$T_TMP/persistent.out")"
expect_eq "persistent: 20 connections accepted" $((accepts + 20)) "$(log_count accept)"
check "persistent: each connection served 5 requests, in line mode" \
    wait_until 5 sh -c "[ \$(grep -c ' session-end .* requests=5 ' '$FORKD_LOG') -eq $((ends + 20)) ]"

# ---- UDP -----------------------------------------------------------------
bench udp -P 2 -N 20 -K 5 --proto udp
expect_eq "udp: exit 0" 0 "$(cat "$T_TMP/udp.rc")"
check "udp: the summary line parses" summary_ok udp
expect_eq "udp: 200 datagrams answered, 0 errors, no connection" "200 0 0" \
    "$(kv requests "$T_TMP/udp.out") $(kv errors "$T_TMP/udp.out") $(kv conns "$T_TMP/udp.out")"
expect_eq "udp: mode and framing" "datagram udp" \
    "$(kv mode "$T_TMP/udp.out") $(kv proto "$T_TMP/udp.out")"
bench udp_u -q -u -P 1 -N 5 --size 508
expect_eq "-u --size 508: exit 0, 5 answers" "0 5" \
    "$(cat "$T_TMP/udp_u.rc") $(kv requests "$T_TMP/udp_u.out")"

# ---- progress, --duration ------------------------------------------------
bench progress -q -P 1 -K 2 --duration 2.5 --progress
expect_eq "--duration 2.5: exit 0" 0 "$(cat "$T_TMP/progress.rc")"
expect_match "--duration 2.5: about 2.5 s" '^2\.[5-9]|^3\.' "$(kv elapsed_s "$T_TMP/progress.out")"
expect_match "--progress: a line at 2 s" \
    '^forkc: bench: 2 s: [0-9]+ requests, [0-9]+/s now, 0 errors$' "$(cat "$T_TMP/progress.err")"
bench noprogress -q -P 1 -K 2 --duration 2.2
expect_eq "no --progress, stderr not a terminal: no progress line" "" \
    "$(cat "$T_TMP/noprogress.err")"

# ---- --hold: every connection open and answered at once ------------------
# kids_are N: forkd has N children (the UDP worker and the sessions).
kids_are() {
	[ "$(children_of "$FORKD_PID" | wc -l | tr -d ' ')" -eq "$1" ]
}
check "before --hold: the earlier sessions are reaped" wait_until 10 kids_are 1
accepts=$(log_count accept)
ends=$(log_count session-end)
"$FORKC" -p "$FORKD_PORT" -q bench -P 2 -N 5 -K 2 --persistent --hold 3 \
    >"$T_TMP/hold.out" 2>"$T_TMP/hold.err" &
bpid=$!
track "$bpid"
check "--hold: forkc says it is holding" \
    wait_until 20 grep -q 'holding' "$T_TMP/hold.err"
expect_eq "--hold: the notice" "forkc: bench: holding 10 connections for 3.000 s" \
    "$(cat "$T_TMP/hold.err")"
# forkc waits 3 s from the notice: the sessions are all there now.
expect_eq "--hold: 10 sessions live (and the UDP worker)" 11 \
    "$(children_of "$FORKD_PID" | wc -l | tr -d ' ')"
expect_eq "--hold: 10 accepted, none ended yet" "$((accepts + 10)) $ends" \
    "$(log_count accept) $(log_count session-end)"
check "--hold: forkc ends" wait_until 30 t_gone "$bpid"
wait "$bpid"
expect_eq "--hold: exit 0" 0 "$?"
expect_eq "--hold: 10 connections answered twice" "10 20 0" \
    "$(kv conns "$T_TMP/hold.out") $(kv requests "$T_TMP/hold.out") $(kv errors "$T_TMP/hold.out")"
check "--hold: held at least 3 s" [ "$(kv elapsed_s "$T_TMP/hold.out" | cut -d. -f1)" -ge 3 ]

# SIGTERM while holding: the pause ends, so does forkc.
"$FORKC" -p "$FORKD_PORT" -q bench -P 2 -N 2 -K 2 --persistent --hold 60 \
    >"$T_TMP/holdterm.out" 2>"$T_TMP/holdterm.err" &
bpid=$!
track "$bpid"
check "--hold 60: holding" wait_until 20 grep -q 'holding 4 ' "$T_TMP/holdterm.err"
kill -TERM "$bpid"
check "--hold 60, SIGTERM: forkc ends at once" wait_until 5 t_gone "$bpid"
wait "$bpid"
expect_eq "--hold 60, SIGTERM: exit 1, 4 requests answered" "1 4" \
    "$? $(kv requests "$T_TMP/holdterm.out")"

# ---- --echo: plain echo servers ------------------------------------------
# Against forkd, whose greeting is no echo: every connection is bad.
bench echo_forkd -q --echo -P 1 -N 3 -t 5
expect_eq "--echo against forkd: exit 1, 3 bad replies" "1 3 0" \
    "$(cat "$T_TMP/echo_forkd.rc") $(kv bad "$T_TMP/echo_forkd.out") $(kv requests "$T_TMP/echo_forkd.out")"

# ---- SIGTERM: a partial report, every worker gone ------------------------
accepts=$(log_count accept)
# (Not under timeout(1), so that $! is forkc; --duration bounds it.)
"$FORKC" -p "$FORKD_PORT" bench -P 2 -N 2 --persistent --duration 30 \
    >"$T_TMP/term.out" 2>"$T_TMP/term.err" &
bpid=$!
track "$bpid"
check "SIGTERM: the workers are connected" \
    wait_until 5 sh -c "[ \$(grep -c ' accept ' '$FORKD_LOG') -ge $((accepts + 4)) ]"
workers=$(children_of "$bpid")
expect_eq "SIGTERM: two workers" 2 "$(echo "$workers" | wc -w | tr -d ' ')"
kill -TERM "$bpid"
check "SIGTERM: forkc ends at once" wait_until 5 t_gone "$bpid"
wait "$bpid"
expect_eq "SIGTERM: exit 1" 1 "$?"
expect_match "SIGTERM: the report says interrupted" '^elapsed .*\(interrupted\)$' "$(cat "$T_TMP/term.out")"
expect_match "SIGTERM: with the summary line" '^bench mode=persistent .* errors=0 ' "$(cat "$T_TMP/term.out")"
for w in $workers; do
	check "SIGTERM: worker $w is gone" t_gone "$w"
done

# ---- usage errors --------------------------------------------------------
for bad in "bench -P 0" "-P 2" "bench -u --persistent" "bench --proto sctp" \
    "bench -c PID" "bench --duration 1 -N 5" "bench --hold 1" \
    "bench --persistent --hold 0" "--echo" "--hold 1 --persistent" \
    "bench --echo --proto tcp"; do
	# shellcheck disable=SC2086 # the options are meant to split
	fc $bad >/dev/null 2>&1
	expect_eq "forkc $bad: usage error, exit 2" 2 "$?"
done
forkd_stop TERM

# ---- a server at its cap: busy -------------------------------------------
forkd_start -v -c 2 || exit 1
bench busy -P 4 -N 5 --persistent -K 20 -t 5
expect_eq "busy: exit 1" 1 "$(cat "$T_TMP/busy.rc")"
check "busy: the summary line parses" summary_ok busy
busy=$(kv busy "$T_TMP/busy.out")
check "busy: refusals counted" [ "${busy:-0}" -ge 1 ]
expect_eq "busy: every connection greeted or refused busy" 20 \
    $(($(kv conns "$T_TMP/busy.out") + ${busy:-0}))
expect_eq "busy: busy refusals are the only errors" "$busy" "$(kv errors "$T_TMP/busy.out")"
expect_eq "busy: the greeted connections did their 20 requests" \
    $(($(kv conns "$T_TMP/busy.out") * 20)) "$(kv requests "$T_TMP/busy.out")"
expect_eq "busy: the server refused as many" "$busy" "$(log_count refuse reason=busy)"
port=$FORKD_PORT
forkd_stop TERM

# ---- a closed port: refused, at once -------------------------------------
start=$(date +%s)
bench refused -P 2 -N 5 -t 5
expect_eq "refused: exit 1" 1 "$(cat "$T_TMP/refused.rc")"
check "refused: the summary line parses" summary_ok refused
expect_eq "refused: 10 refusals, nothing else" "10 10 0 0" \
    "$(kv refused "$T_TMP/refused.out") $(kv errors "$T_TMP/refused.out") $(kv conns "$T_TMP/refused.out") $(kv requests "$T_TMP/refused.out")"
check "refused: no wait for -t" [ $(($(date +%s) - start)) -le 2 ]
expect_eq "refused: the port was the stopped server's" "$port" "$FORKD_PORT"

# ---- make bench's report and plot, on known results -----------------------
# Three rounds each: the medians are the middle values whatever the order.
printf 'forkd\tforkd\nref_fork\tref_fork\nsocat\tsocat\n' >"$T_TMP/labels"
cat >"$T_TMP/results" <<'EOF'
short_P4 forkd 1 rate=900 p99=2.0 errors=0 cpu_us=300
short_P4 ref_fork 1 rate=1000 p99=1.0 errors=0 cpu_us=200
short_P4 socat 1 rate=400 p99=4.0 errors=0 cpu_us=500
short_P4 forkd 2 rate=700 p99=3.0 errors=1 cpu_us=320
short_P4 ref_fork 2 rate=1200 p99=1.5 errors=0 cpu_us=210
short_P4 socat 2 rate=500 p99=4.5 errors=0 cpu_us=510
short_P4 forkd 3 rate=800 p99=2.5 errors=0 cpu_us=310
short_P4 ref_fork 3 rate=1100 p99=2.0 errors=0 cpu_us=190
short_P4 socat 3 rate=450 p99=5.0 errors=0 cpu_us=490
hold_1000 forkd 1 held=1000 again=1000 errors=0 pss_per_conn=45
hold_1000 ref_fork 1 held=1000 again=1000 errors=0 pss_per_conn=30
EOF
sh "$TOP/scripts/bench-report" -t "a test" "$T_TMP/results" "$T_TMP/labels" \
    "$T_TMP/medians" >"$T_TMP/report.md"
expect_eq "bench-report: exit 0" 0 "$?"
expect_eq "bench-report: medians and spreads" "short_P4 forkd rate 800 700 900" \
    "$(grep '^short_P4 forkd rate ' "$T_TMP/medians")"
expect_eq "bench-report: the row, with forkd's ratio to each" \
    "| short connections/s, P=4 | 800 | 1,100 (0.73) | 450 (1.78) |" \
    "$(grep '^| short connections/s, P=4 ' "$T_TMP/report.md")"
expect_eq "bench-report: a missed target, and by how much" \
    "| fork model ≥ 0.9 × ref_fork connections/s, P=4 | 0.73 (800 vs 1,100) | **missed** by 19 % |" \
    "$(grep '^| fork model .* P=4 ' "$T_TMP/report.md")"
expect_eq "bench-report: a met one" \
    "| PSS per child ≤ 1.5 × ref_fork, 1,000 held | 1.50 (45.0 vs 30.0) | met |" \
    "$(grep '^| PSS per child .* 1,000 held ' "$T_TMP/report.md")"
expect_match "bench-report: what was not run says so" \
    '^\| prefork .* P=4 \| not measured \| – \|$' "$(cat "$T_TMP/report.md")"
expect_eq "bench-report: errors summed over the workloads" \
    "| errors, all timed runs (sum of medians) | 0 | 0 | 0 |" \
    "$(grep '^| errors' "$T_TMP/report.md")"
sh "$TOP/scripts/bench-plot" "$T_TMP/medians" "$T_TMP/labels" >"$T_TMP/plot.svg"
expect_eq "bench-plot: exit 0, an SVG" "0 <svg </svg>" \
    "$? $(head -c 4 "$T_TMP/plot.svg") $(tail -n 1 "$T_TMP/plot.svg")"
expect_eq "bench-plot: a bar per server at P=4" 3 \
    "$(grep -c '<title>.* P=4: ' "$T_TMP/plot.svg")"

# ---- --echo against make bench's yardsticks ------------------------------
# Built here from their sources, so that make check needs no make bench.
# echo_server NAME: start bench/NAME.c; sets E_TCP and E_UDP.
echo_server() {
	"${CC:-cc}" -O2 -o "$T_TMP/$1" "$TOP/bench/$1.c" || return 1
	"$T_TMP/$1" >"$T_TMP/$1.ports" 2>&1 &
	track "$!"
	wait_until 5 grep -q tcp_port= "$T_TMP/$1.ports" || return 1
	E_TCP=$(sed -n 's/.*tcp_port=\([0-9]*\).*/\1/p' "$T_TMP/$1.ports")
	E_UDP=$(sed -n 's/.*udp_port=\([0-9]*\).*/\1/p' "$T_TMP/$1.ports")
}
for ref in ref_fork ref_poll; do
	if ! echo_server "$ref"; then
		not_ok "$ref: starts" "$(cat "$T_TMP/$ref.ports" 2>/dev/null)"
		continue
	fi
	FORKD_PORT=$E_TCP
	bench "${ref}_short" --echo -P 2 -N 20 -K 3
	expect_eq "$ref --echo: exit 0, 40 connections, 120 requests, 0 errors" \
	    "0 40 120 0" "$(cat "$T_TMP/${ref}_short.rc") $(kv conns "$T_TMP/${ref}_short.out") $(kv requests "$T_TMP/${ref}_short.out") $(kv errors "$T_TMP/${ref}_short.out")"
	check "$ref --echo: the summary line parses" summary_ok "${ref}_short"
	expect_match "$ref --echo: said so" '16-byte echo$' \
	    "$(head -n 1 "$T_TMP/${ref}_short.out")"
	bench "${ref}_bulk" -q --echo -P 1 -N 2 -K 5 --persistent --size 64K
	expect_eq "$ref --echo 64 KiB lines: exit 0, 10 requests" "0 10 0" \
	    "$(cat "$T_TMP/${ref}_bulk.rc") $(kv requests "$T_TMP/${ref}_bulk.out") $(kv errors "$T_TMP/${ref}_bulk.out")"
	FORKD_PORT=$E_UDP
	bench "${ref}_udp" -q --echo -u -P 2 -N 10 --size 100
	expect_eq "$ref --echo -u: exit 0, 20 datagrams answered" "0 20 0" \
	    "$(cat "$T_TMP/${ref}_udp.rc") $(kv requests "$T_TMP/${ref}_udp.out") $(kv errors "$T_TMP/${ref}_udp.out")"
done
finish
