#!/bin/sh
# Faults under load: kill -9 of random session children, SIGTERM in the
# middle of a flood, SIGHUP log rotation while requests are logged, a flood
# of 2,000 connects past -c and --per-ip, and more clients than the listen
# backlog holds.  Every client runs under timeout(1); the checks count
# replies, log lines and processes, never speeds, so a loaded machine is
# slower but not failing.  Lines starting with "#" are the figures that
# docs/ROBUSTNESS.md quotes.
# shellcheck disable=SC2119 # forkd_start's options are optional
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/../../scripts/lib.sh"
set -u

SHUT='-ERR server shutting down'

# log_at_least N EVENT [PATTERN]: the log has N such lines yet.
log_at_least() {
	t_n=$1
	shift
	[ "$(log_count "$@")" -ge "$t_n" ]
}
# all_reaped: every forked session child has its reap line.
all_reaped() {
	[ "$(log_count reap)" -ge "$(log_count fork)" ]
}
# kv KEY FILE: the value of KEY in forkc bench's summary line in FILE.
kv() {
	tail -n 1 "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"
}
# stat_kv KEY FILE: the value of KEY in a STATS reply saved in FILE.
stat_kv() {
	tr ' ' '\n' <"$2" | sed -n "s/^$1=//p"
}
# udp_pid: the UDP worker's pid, from the log.
udp_pid() {
	sed -n 's/.* udp-spawn pid=\([0-9]*\).*/\1/p' "$FORKD_LOG" | tail -n 1
}
# sessions: the listener's session children (the UDP worker left out).
sessions() {
	children_of "$FORKD_PID" | grep -vx "${UDP:-0}"
}
sessions_reach() {
	[ "$(sessions | grep -c .)" -ge "$1" ]
}
# queued N: the listening socket's accept queue holds N connections.
queued() {
	[ "$(ss -Hltn "sport = :$FORKD_PORT" | awk '{ print $2 }')" -ge "$1" ]
}
# overflows: the kernel's count of connections dropped at a full accept
# queue (TcpExt ListenOverflows), or nothing without /proc/net/netstat.
overflows() {
	awk '$1 == "TcpExt:" {
		if (!h) { for (i = 2; i <= NF; i++) k[i] = $i; h = 1; next }
		for (i = 2; i <= NF; i++) if (k[i] == "ListenOverflows") print $i
	}' /proc/net/netstat 2>/dev/null
}
overflowed() {
	[ "$(overflows)" -ge "$1" ]
}
# alive_forkd PIDS...: those of PIDS still running as forkd.
alive_forkd() {
	for p in "$@"; do
		[ "$(ps -o comm= -p "$p" 2>/dev/null)" = forkd ] && echo "$p"
	done | paste -sd ' ' -
}
# forked_pids: every process the listener forked, from its log.
forked_pids() {
	sed -n 's/.* fork conn=[0-9]* child=\([0-9]*\).*/\1/p
	    s/.* udp-spawn pid=\([0-9]*\).*/\1/p' "$FORKD_LOG"
}
stopped() {
	grep -q ' stop ' "$FORKD_LOG"
}
ms_since() {
	echo $((($(date +%s%N) - $1) / 1000000))
}

# ---- 1. kill -9 of random session children under load ----------------------

forkd_start || exit 1
UDP=$(udp_pid)
fds0=$(fd_count "$FORKD_PID")
# 4 workers x 8 persistent connections, requests in rounds until the
# kills are done and the load is stopped (SIGTERM, passed on by timeout:
# the workers finish the request in hand and report).  --duration only
# bounds it if this script dies.
timeout 30 "$FORKC" -p "$FORKD_PORT" -q -t 10 -P 4 -N 8 --persistent \
    --duration 20 bench >"$T_TMP/kill.out" 2>"$T_TMP/kill.err" &
load=$!
track "$load"
check "kill -9: 32 persistent sessions are up" wait_until 20 sessions_reach 32
# Five of them at random, 0.2 s apart.
victims=$(sessions | awk 'BEGIN { srand() } { print rand(), $1 }' |
    sort -n | head -n 5 | cut -d ' ' -f 2)
killed=''
for v in $victims; do
	case $(ps -o stat= -p "$v") in
	'' | Z*) continue ;;
	esac
	kill -KILL "$v" && killed="$killed $v"
	sleep 0.2 # spreading the kills over the load, not waiting for it
done
nkilled=$(echo "$killed" | wc -w | tr -d ' ')
check "kill -9: the load was still running after the $nkilled kills" kill -0 "$load"
kill -TERM "$load"
wait "$load"
wait_until 10 all_reaped
lost=''
for v in $killed; do
	grep -q " reap conn=[0-9]* child=$v status=signal:9 reason=SIGKILL " \
	    "$FORKD_LOG" || lost="$lost $v"
done
expect_eq "kill -9: each killed child has its reap status=signal:9" "" "$lost"
expect_eq "kill -9: signal:9 reaps = kills" "$nkilled" \
    "$(log_count reap 'status=signal:9')"
accepted=$(log_count accept)
expect_eq "kill -9: every other session ended exit:0" \
    $((accepted - nkilled)) "$(log_count reap 'status=exit:0 ')"
errors=$(kv errors "$T_TMP/kill.out")
check "kill -9: the load's errors ($errors) are at most the kills ($nkilled)" \
    [ "${errors:-99}" -le "$nkilled" ]
expect_eq "kill -9: those errors are the killed connections' resets" \
    "$errors" "$(kv reset "$T_TMP/kill.out")"
check "kill -9: the other sessions went on (requests=$(kv requests "$T_TMP/kill.out"))" \
    [ "$(kv requests "$T_TMP/kill.out")" -gt 0 ]
expect_eq "kill -9: no zombie" 0 "$(zombies_of "$FORKD_PID")"
expect_eq "kill -9: listener fds unchanged" "$fds0" "$(fd_count "$FORKD_PID")"
expect_eq "kill -9: the UDP worker was left alone" "0 $UDP" \
    "$(log_count udp-exit) $(udp_pid)"
expect_eq "kill -9: the listener still serves" "+OK alive" \
    "$(timeout 10 "$FORKC" -p "$FORKD_PORT" -q -c 'ECHO alive')"
echo "# kill -9: kills=$nkilled reaps_signal9=$(log_count reap 'status=signal:9')" \
    "requests=$(kv requests "$T_TMP/kill.out") errors=$errors" \
    "conns=$(kv conns "$T_TMP/kill.out") fds=$fds0->$(fd_count "$FORKD_PID")" \
    "zombies=$(zombies_of "$FORKD_PID")"
forkd_stop TERM
expect_eq "kill -9: clean stop" 0 "$FORKD_STATUS"

# ---- 2. SIGTERM during a flood ---------------------------------------------

# classify I FILE: "complete" (greeting, then the five replies), "told"
# (greeting and a prefix of them, or nothing, then the shutdown error), or
# "cut" (anything else: a reply lost without a word).
classify() {
	tr -d '\r' <"$2" | awk -v i="$1" -v shut="$SHUT" '
	BEGIN {
		split("+OK " i ".1,+OK,+OK " i ".2,+OK,+OK " i ".3", want, ",")
		state = "start"
	}
	state == "start" && /^\+OK forkd ready / { state = "greeted"; next }
	(state == "start" || state == "greeted") && $0 == shut {
		state = "told"; next
	}
	state == "greeted" && n < 5 && $0 == want[n + 1] { n++; next }
	{ state = "cut" }
	END {
		if (state == "greeted" && n == 5) print "complete"
		else if (state == "told") print "told"
		else print "cut"
	}'
}

if have ss; then
	# 40 clients, 10 sessions at a time (the others wait in the backlog).
	# The listener is stopped while they connect, so every one of them is
	# in the accept queue before the flood starts: none can arrive after
	# the signal, when only a refused connect could answer it.
	forkd_start -v -c 10 --when-full wait || exit 1
	kill -STOP "$FORKD_PID"
	clients=''
	i=1
	while [ "$i" -le 40 ]; do
		timeout 30 "$FORKC" -p "$FORKD_PORT" -t 20 -c "ECHO $i.1" \
		    -c 'SLEEP 250' -c "ECHO $i.2" -c 'SLEEP 250' -c "ECHO $i.3" \
		    >"$T_TMP/term.$i.out" 2>"$T_TMP/term.$i.err" &
		track "$!"
		clients="$clients $!"
		i=$((i + 1))
	done
	check "SIGTERM flood: 40 clients connected, in the backlog" \
	    wait_until 10 queued 40
	kill -CONT "$FORKD_PID"
	# 15 accepted: at least 5 served in full, 10 mid-session, 25 queued.
	check "SIGTERM flood: the flood is being served" \
	    wait_until 20 log_at_least 15 accept
	kids=$(forked_pids)
	forkd_stop TERM # one SIGTERM: a second one would skip the grace
	expect_eq "SIGTERM flood: forkd exits 0" 0 "$FORKD_STATUS"
	# shellcheck disable=SC2046,SC2086 # lists of pids
	expect_eq "SIGTERM flood: no process it forked is left" "" \
	    "$(alive_forkd $kids $(forked_pids))"
	i=1
	for p in $clients; do
		wait "$p"
		echo "$? $(classify "$i" "$T_TMP/term.$i.out")"
		i=$((i + 1))
	done >"$T_TMP/term.results"
	complete=$(grep -c '^0 complete$' "$T_TMP/term.results")
	told=$(grep -c '^1 told$' "$T_TMP/term.results")
	expect_eq "SIGTERM flood: every client got all its replies (exit 0) or $SHUT (exit 1)" \
	    40 $((complete + told))
	grep -v -e '^0 complete$' -e '^1 told$' "$T_TMP/term.results" |
	    sort | uniq -c | sed 's/^/# /'
	expect_eq "SIGTERM flood: it landed mid-flood ($complete complete, $told told)" \
	    yes "$([ "$complete" -ge 5 ] && [ "$told" -ge 1 ] && echo yes)"
	expect_eq "SIGTERM flood: the backlog was told too (refuse reason=shutdown)" \
	    yes "$([ "$(log_count refuse 'reason=shutdown')" -ge 1 ] && echo yes)"
	expect_eq "SIGTERM flood: no kill phase, no session ended by a signal" "0 0" \
	    "$(log_count shutdown 'phase=kill') $(log_count reap 'status=signal')"
	echo "# SIGTERM flood: clients=40 complete=$complete told=$told" \
	    "cut=$((40 - complete - told)) refused_in_backlog=$(log_count refuse 'reason=shutdown')" \
	    "sessions_told=$(log_count reap 'status=exit:13')" \
	    "requests=$(log_count request) exit=$FORKD_STATUS"
else
	skip "SIGTERM flood" "ss not installed"
fi

# The listening socket is closed once the backlog has been answered.  A
# client whose handshake the kernel completes between the last accept()
# and that close() is reset without a word.  strace holds the close for
# 2 s to make that window wide enough to connect in.
if have strace; then
	forkd_start --no-udp || exit 1
	strace -p "$FORKD_PID" -o "$T_TMP/strace.out" \
	    -e trace=accept,accept4,close \
	    -e inject=close:delay_enter=2000000:when=1 2>"$T_TMP/strace.err" &
	tracer=$!
	track "$tracer"
	# attached: strace says so; or it has given up (no permission).
	attached() {
		grep -q attached "$T_TMP/strace.err" || ! kill -0 "$tracer" 2>/dev/null
	}
	wait_until 5 attached
	if grep -q attached "$T_TMP/strace.err"; then
		kill -TERM "$FORKD_PID"
		wait_until 5 grep -q '^close(' "$T_TMP/strace.out"
		timeout 10 "$FORKC" -p "$FORKD_PORT" -t 5 -c 'ECHO late' \
		    >"$T_TMP/late.out" 2>"$T_TMP/late.err"
		if grep -q "^$SHUT" "$T_TMP/late.out" ||
		    grep -q 'Connection refused' "$T_TMP/late.err"; then
			late=answered
		else
			late="cut off: $(cat "$T_TMP/late.out" "$T_TMP/late.err" | paste -sd ' ' -)"
		fi
		expect_eq "SIGTERM: a client connecting as the listening socket closes is told $SHUT or refused" \
		    answered "$late"
		wait_until 15 stopped
		forkd_stop TERM
		wait "$tracer"
	else
		skip "SIGTERM: a client connecting as the listener closes" \
		    "strace cannot attach: $(head -n 1 "$T_TMP/strace.err")"
		kill "$tracer" 2>/dev/null
		forkd_stop TERM
	fi
else
	skip "SIGTERM: a client connecting as the listener closes" "strace not installed"
fi

# ---- 3. SIGHUP log rotation under load -------------------------------------

forkd_start -v || exit 1
UDP=$(udp_pid)
fds0=$(fd_count "$FORKD_PID")
# Short connections of 20 requests each, until stopped as above.
timeout 30 "$FORKC" -p "$FORKD_PORT" -q -t 10 -P 2 -K 20 --duration 20 \
    bench >"$T_TMP/hup.out" 2>"$T_TMP/hup.err" &
load=$!
track "$load"
wait_until 10 log_at_least 1 request
r=0
while [ "$r" -lt 5 ]; do
	sleep 0.25 # pacing the rotations through the load
	r=$((r + 1))
	mv "$FORKD_LOG" "$FORKD_LOG.$r"
	kill -HUP "$FORKD_PID"
	wait_until 5 test -e "$FORKD_LOG"
done
check "SIGHUP: 5 rotations while the load ran" kill -0 "$load"
kill -TERM "$load"
wait "$load"
expect_eq "SIGHUP: the load saw no error" 0 "$(kv errors "$T_TMP/hup.out")"
LOGS="$FORKD_LOG.1 $FORKD_LOG.2 $FORKD_LOG.3 $FORKD_LOG.4 $FORKD_LOG.5 $FORKD_LOG"
# shellcheck disable=SC2086 # LOGS is a list of paths without spaces
every_reap() {
	[ "$(cat $LOGS | grep -c ' reap ')" -ge "$(cat $LOGS | grep -c ' fork ')" ]
}
wait_until 10 every_reap
requests=$(kv requests "$T_TMP/hup.out")
# shellcheck disable=SC2086
expect_eq "SIGHUP: one request line per request answered, across the 6 files" \
    "$requests" "$(cat $LOGS | grep -c ' request conn=[0-9]* verb=ECHO bytes=[0-9]*$')"
line_re='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z forkd\[[0-9]+\] [a-z][a-z-]*( [a-z_]+=("[^"]*"|[^ "]*))*$'
# shellcheck disable=SC2086
expect_eq "SIGHUP: every line parses (time, forkd[PID], event, key=value)" 0 \
    "$(cat $LOGS | grep -Evc "$line_re")"
torn=''
for f in $LOGS; do
	[ ! -s "$f" ] || [ "$(tail -c 1 "$f" | od -An -c | tr -d ' ')" = '\n' ] ||
	    torn="$torn ${f##*/}"
done
expect_eq "SIGHUP: every file ends with a whole line" "" "$torn"
with=0
for f in $LOGS; do
	grep -q ' request ' "$f" && with=$((with + 1))
done
expect_eq "SIGHUP: each rotated file holds request lines" yes \
    "$([ "$with" -ge 5 ] && echo yes)"
expect_eq "SIGHUP: listener fds unchanged after 5 reopens" "$fds0" \
    "$(fd_count "$FORKD_PID")"
# holds PID: the log files PID has open, by name.
holds() {
	for f in "/proc/$1/fd/"*; do
		readlink "$f"
	done 2>/dev/null | grep -Fx -e "$FORKD_LOG" -e "$FORKD_LOG.1" \
	    -e "$FORKD_LOG.2" -e "$FORKD_LOG.3" -e "$FORKD_LOG.4" \
	    -e "$FORKD_LOG.5" | sed 's|.*/||' | sort | paste -sd ' ' -
}
if [ -d "/proc/$FORKD_PID/fd" ]; then
	expect_eq "SIGHUP: the listener holds the new file only" \
	    "${FORKD_LOG##*/}" "$(holds "$FORKD_PID")"
	udp_new() {
		[ "$(holds "$UDP")" = "${FORKD_LOG##*/}" ]
	}
	check "SIGHUP: so does the UDP worker" wait_until 5 udp_new
fi
echo "# SIGHUP: rotations=5 requests=$requests" \
    "request_lines=$(cat "$FORKD_LOG".[1-5] "$FORKD_LOG" | grep -c ' request conn=')" \
    "files_with_requests=$with lines=$(cat "$FORKD_LOG".[1-5] "$FORKD_LOG" | wc -l | tr -d ' ')" \
    "unparsed=$(cat "$FORKD_LOG".[1-5] "$FORKD_LOG" | grep -Evc "$line_re")" \
    "fds=$fds0->$(fd_count "$FORKD_PID")"
forkd_stop TERM
expect_eq "SIGHUP: clean stop" 0 "$FORKD_STATUS"

# ---- 4. 2,000 connects past -c and --per-ip --------------------------------

# flood NAME REASON KEY OPTIONS...: 8 workers x 250 short connections
# against forkd OPTIONS; each must be served or told -ERR server busy,
# logged as refuse reason=REASON and counted in STATS as KEY.
flood() {
	f_name=$1 f_reason=$2 f_key=$3
	shift 3
	forkd_start --no-udp "$@" || exit 1
	f_fds=$(fd_count "$FORKD_PID")
	f_out=$T_TMP/flood.$f_reason
	timeout 60 "$FORKC" -p "$FORKD_PORT" -q -t 10 -P 8 -N 250 bench \
	    >"$f_out" 2>"$f_out.err"
	wait_until 10 all_reaped
	f_conns=$(kv conns "$f_out")
	f_busy=$(kv busy "$f_out")
	expect_eq "$f_name: 2,000 connects, each served or told busy" 2000 \
	    $((f_conns + f_busy))
	expect_eq "$f_name: no other failure (errors = busy)" "$f_busy" \
	    "$(kv errors "$f_out")"
	expect_eq "$f_name: one reply per connection served" "$f_conns" \
	    "$(kv requests "$f_out")"
	check "$f_name: the cap was reached ($f_busy busy)" [ "$f_busy" -gt 0 ]
	expect_eq "$f_name: log: accepted = reaped exit:0 + refused reason=$f_reason" \
	    "2000 = $f_conns + $f_busy" \
	    "$(log_count accept) = $(log_count reap 'status=exit:0 ') + $(log_count refuse "reason=$f_reason ")"
	timeout 10 "$FORKC" -p "$FORKD_PORT" -q -c STATS >"$f_out.stats"
	expect_eq "$f_name: STATS: accepted=2001 (with itself) = served + refused" \
	    "2001 $f_conns $f_busy 0" \
	    "$(stat_kv accepted "$f_out.stats") $(stat_kv reaped_exit "$f_out.stats") $(stat_kv "$f_key" "$f_out.stats") $(stat_kv reaped_signal "$f_out.stats")"
	expect_eq "$f_name: no zombie" 0 "$(zombies_of "$FORKD_PID")"
	expect_eq "$f_name: listener fds unchanged" "$f_fds" "$(fd_count "$FORKD_PID")"
	expect_eq "$f_name: the listener still serves" "+OK alive" \
	    "$(timeout 10 "$FORKC" -p "$FORKD_PORT" -q -c 'ECHO alive')"
	echo "# $f_name: connects=2000 served=$f_conns busy=$f_busy" \
	    "other_errors=$(($(kv errors "$f_out") - f_busy))" \
	    "accepted=$(log_count accept) zombies=$(zombies_of "$FORKD_PID")" \
	    "fds=$f_fds->$(fd_count "$FORKD_PID")"
	forkd_stop TERM
	expect_eq "$f_name: clean stop" 0 "$FORKD_STATUS"
}
flood "-c 5" busy refused_busy -c 5
flood "--per-ip 3" per-ip refused_per_ip --per-ip 3

# ---- 5. more clients than the listen backlog -------------------------------

if have ss; then
	# --backlog 4: the kernel queues 5 connections.  The listener is
	# stopped while 10 clients connect, so 5 of them have their SYN
	# dropped and must retry it; then it serves 2 at a time.
	forkd_start -v --no-udp --backlog 4 -c 2 --when-full wait || exit 1
	ovf0=$(overflows)
	kill -STOP "$FORKD_PID"
	t0=$(date +%s%N)
	clients=''
	i=1
	while [ "$i" -le 10 ]; do
		timeout 30 "$FORKC" -p "$FORKD_PORT" -t 20 -c 'SLEEP 50' \
		    -c "ECHO $i" >"$T_TMP/bl.$i.out" 2>"$T_TMP/bl.$i.err" &
		track "$!"
		clients="$clients $!"
		i=$((i + 1))
	done
	check "backlog: the accept queue is full (5)" wait_until 10 queued 5
	if [ -n "$ovf0" ]; then
		check "backlog: the kernel drops SYNs past it (ListenOverflows)" \
		    wait_until 10 overflowed $((ovf0 + 5))
	fi
	kill -CONT "$FORKD_PID"
	served=0 other=''
	i=1
	for p in $clients; do
		wait "$p"
		rc=$?
		got=$(tr -d '\r' <"$T_TMP/bl.$i.out" | sed 's/ pid=.*//' | paste -sd '|' -)
		if [ "$rc.$got" = "0.+OK forkd ready|+OK|+OK $i" ]; then
			served=$((served + 1))
		else
			other="$other [$i: exit $rc $got $(cat "$T_TMP/bl.$i.err")]"
		fi
		i=$((i + 1))
	done
	ms=$(ms_since "$t0")
	expect_eq "backlog: all 10 clients served, none hung or cut off" \
	    "10" "$served${other:+ $other}"
	expect_eq "backlog: log: 10 accepted, none refused" "10 0" \
	    "$(log_count accept) $(log_count refuse)"
	check "backlog: the cap paused the listener" log_at_least 1 pause
	expect_eq "backlog: the listener still serves" "+OK alive" \
	    "$(timeout 10 "$FORKC" -p "$FORKD_PORT" -q -c 'ECHO alive')"
	wait_until 10 all_reaped
	expect_eq "backlog: no zombie" 0 "$(zombies_of "$FORKD_PID")"
	echo "# backlog: clients=10 served=$served in ${ms}ms" \
	    "overflows=$(($(overflows) - ${ovf0:-0})) accepted=$(log_count accept)" \
	    "refused=$(log_count refuse) zombies=$(zombies_of "$FORKD_PID")"
	forkd_stop TERM
	expect_eq "backlog: clean stop" 0 "$FORKD_STATUS"
else
	skip "backlog" "ss not installed"
fi

finish
