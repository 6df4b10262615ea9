#!/bin/sh
# The UDP worker: one datagram in, one out (forkc -u, nc -u); SLEEP and QUIT
# refused; STATS without sessions; replies capped at 512 bytes; no reply to
# replies or to its own port; --udp-rate drops the excess and counts it.
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/../../scripts/lib.sh"
set -u
LC_ALL=C
export LC_ALL

# fu ARGS...: forkc over UDP to the test's forkd.
fu() {
	"$FORKC" -u -p "$FORKD_UDP_PORT" -t 3 "$@"
}
# counter NAME: a STATS counter, read over TCP (UDP may be rate-limited).
counter() {
	fc -q -c STATS | tr ' ' '\n' | sed -n "s/^$1=//p"
}

forkd_start -v || exit 1
UDP_PID=$(sed -n 's/.* udp-spawn pid=\([0-9]*\).*/\1/p' "$FORKD_LOG" | head -n 1)

out=$(fu -c TIME -c 'ECHO hi  there' -c PID -c HELP -c 'echo lower')
rc=$?
check "forkc -u: TIME, ECHO, PID, HELP all +OK (exit $rc)" [ "$rc" -eq 0 ]
expect_match "UDP TIME" '^\+OK [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$' \
    "$(printf '%s\n' "$out" | head -n 1)"
expect_match "UDP ECHO keeps its bytes" '^\+OK hi  there$' "$out"
expect_match "UDP PID names the worker, no conn" \
    "^\\+OK pid=$UDP_PID ppid=$FORKD_PID peer=127\\.0\\.0\\.1:[0-9]+\$" "$out"
expect_eq "UDP HELP: status and 7 verb lines in one datagram, no dot" "8 0" \
    "$(printf '%s\n' "$out" | sed -n '/^+OK verbs/,/^QUIT - /p' | grep -c .) $(printf '%s\n' "$out" | grep -cx '\.')"
expect_match "UDP verbs are case-insensitive" '^\+OK lower$' "$out"

out=$(fu -c 'SLEEP 10')
expect_eq "UDP SLEEP is refused" "1 -ERR SLEEP is not available over UDP" "$? $out"
out=$(fu -c 'quit')
expect_eq "UDP QUIT is refused" "1 -ERR QUIT is not available over UDP" "$? $out"
expect_eq "UDP unknown verb" "-ERR unknown command, try HELP" "$(fu -c 'FROB')"
expect_eq "an empty datagram: -ERR empty request" "-ERR empty request" \
    "$(fu -c '')"

# STATS over UDP, with a TCP session alive: counters, no session lines.
fc -q -c 'SLEEP 1500' >/dev/null 2>&1 &
sleeper=$!
track "$sleeper"
wait_until 5 grep -q ' request conn=[0-9]* verb=SLEEP' "$FORKD_LOG"
stats=$(fu -c STATS)
expect_eq "UDP STATS: +OK 1 sessions (the live TCP one)" "+OK 1 sessions" \
    "$(printf '%s\n' "$stats" | head -n 1)"
missing=''
for k in listener_pid uptime children max_children peak_children accepted \
    refused_busy refused_per_ip fork_failed reaped_exit reaped_signal \
    udp_pid udp_in udp_out udp_dropped; do
	printf '%s\n' "$stats" | grep -Eq "(^| )$k=[0-9]" || missing="$missing $k"
done
expect_eq "UDP STATS: every counter" "" "$missing"
expect_eq "UDP STATS: no session line" 0 "$(printf '%s\n' "$stats" | grep -c '^pid=')"
expect_match "... while TCP STATS lists the session" '^pid=[0-9]+ conn=' \
    "$(fc -q -c STATS)"
wait "$sleeper"

# The 512-byte cap on replies.
x508=$(printf '%0508d' 0)
expect_eq "a 512-byte reply is sent" 512 "$(fu -c "ECHO $x508" | tr -d '\n' | wc -c | tr -d ' ')"
expect_eq "a 513-byte reply is refused" "-ERR reply over 512 bytes, use TCP" \
    "$(fu -c "ECHO ${x508}1")"
expect_eq "ECHO of 600 bytes: -ERR reply over 512 bytes, use TCP" \
    "-ERR reply over 512 bytes, use TCP" "$(fu -c "ECHO $(printf '%0600d' 0)")"
expect_eq "a 60000-byte datagram: the same -ERR" \
    "-ERR reply over 512 bytes, use TCP" "$(fu -c "ECHO $(printf '%060000d' 0)")"

# Loops: a datagram that is itself a reply, or comes from the worker's
# port, is dropped silently and counted.
dropped=$(counter udp_dropped)
out=$(fu -t 1 -c '+OK hello' 2>&1)
expect_eq "a datagram that looks like +OK gets no reply" \
    "1 forkc: reply: no reply in time" "$? $out"
out=$(fu -t 1 -c '-ERR oops' 2>&1)
expect_eq "a datagram that looks like -ERR gets no reply" \
    "1 forkc: reply: no reply in time" "$? $out"
n=2
if have nc; then
	out=$(printf 'ECHO loop' | timeout 5 nc -u -w1 -s 127.0.0.2 \
	    -p "$FORKD_UDP_PORT" 127.0.0.1 "$FORKD_UDP_PORT")
	expect_eq "a datagram from the worker's own port gets no reply" "" "$out"
	n=3
fi
expect_eq "udp_dropped counts them" $((dropped + n)) "$(counter udp_dropped)"

if have nc; then
	# nc_u FILE FORMAT: one datagram (printf FORMAT) with nc -u -w1, the
	# reply in FILE.
	nc_u() {
		# shellcheck disable=SC2059 # the format is the datagram
		printf "$2" | timeout 5 nc -u -w1 127.0.0.1 "$FORKD_UDP_PORT" >"$1"
	}
	# bytes FILE: od -c of FILE on one line.
	bytes() {
		od -An -c "$1" | tr -s ' \n' '  ' | sed 's/^ //; s/ $//'
	}
	U=$T_TMP/nc
	# All at once: each nc lingers a second after its reply.
	ncs=''
	for req in time:TIME 'crlf:ECHO crlf\r\n' 'two:ECHO two\n\n' pid:PID \
	    'help:HELP\n' 'empty:\r\n' 'garbage:\001\002\376\377garbage'; do
		nc_u "$U.${req%%:*}" "${req#*:}" &
		ncs="$ncs $!"
		track "$!"
	done
	for p in $ncs; do
		wait "$p"
	done
	expect_match "nc -u: TIME" '^\+OK [0-9]{4}-' "$(cat "$U.time")"
	expect_eq "nc -u: a trailing CR LF is stripped, the reply has no terminator" \
	    '+ O K c r l f' "$(bytes "$U.crlf")"
	expect_eq "nc -u: only one trailing terminator is stripped" \
	    '+ O K t w o \n' "$(bytes "$U.two")"
	expect_match "nc -u: PID" "^\\+OK pid=$UDP_PID ppid=$FORKD_PID peer=127\\.0\\.0\\.1:" \
	    "$(cat "$U.pid")"
	expect_match "nc -u: HELP" '^\+OK verbs, case-insensitive' "$(cat "$U.help")"
	expect_eq "nc -u: CR LF alone is an empty request" "-ERR empty request" \
	    "$(cat "$U.empty")"
	expect_eq "nc -u: garbage gets -ERR" "-ERR unknown command, try HELP" \
	    "$(cat "$U.garbage")"
else
	skip "nc -u" "nc not installed"
fi
expect_eq "the worker survived all that (same pid, no udp-exit)" \
    "$UDP_PID 0" "$(counter udp_pid) $(log_count udp-exit)"
forkd_stop TERM
expect_eq "clean stop" 0 "$FORKD_STATUS"

# ---- --udp-rate 5: burst 10, the rest dropped ---------------------------------

if have python3; then
	forkd_start --udp-rate 5 || exit 1
	# 50 datagrams from one socket, as fast as it goes; count the replies.
	answered=$(timeout 20 python3 - "$FORKD_UDP_PORT" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.connect(("127.0.0.1", int(sys.argv[1])))
for i in range(50):
    s.send(b"ECHO %d" % i)
s.settimeout(0.5)
n = 0
try:
    while True:
        if s.recv(1024).startswith(b"+OK"):
            n += 1
except socket.timeout:
    pass
print(n)
EOF
)
	check "--udp-rate 5: 50 datagrams, 10 or 11 answered (got ${answered:-none})" \
	    [ "${answered:-0}" -ge 10 ] && [ "${answered:-0}" -le 11 ]
	expect_eq "--udp-rate 5: STATS udp_in udp_out udp_dropped" \
	    "50 ${answered:-?} $((50 - ${answered:-0}))" \
	    "$(counter udp_in) $(counter udp_out) $(counter udp_dropped)"
	if have nc; then
		expect_eq "--udp-rate 5: another source address is still served" \
		    "+OK other" "$(printf 'ECHO other' | timeout 5 nc -u -w1 \
		    -s 127.0.0.2 127.0.0.1 "$FORKD_UDP_PORT")"
	fi
	forkd_stop TERM
else
	skip "--udp-rate" "python3 not installed"
fi

finish
