#!/bin/sh
# What hostile or broken clients do, and that none of it hurts forkd:
# after each abuse the listener serves a normal client, and its
# descriptor count and memory have not grown.
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/../../scripts/lib.sh"

forkd_start -v --request-timeout 1 --write-timeout 1 -t 10 || exit 1
fds0=$(fd_count "$FORKD_PID")
rss() {
	sed -n 's/^VmRSS:[^0-9]*\([0-9]*\).*/\1/p' "/proc/$1/status"
}
rss0=$(rss "$FORKD_PID")
# healthy NAME: a normal client is served and the listener has not grown.
healthy() {
	out=$(timeout 10 "$FORKC" -q -p "$FORKD_PORT" -c 'ECHO alive')
	expect_eq "$1: a normal client is still served" "+OK alive" "$out"
	expect_eq "$1: listener fds unchanged" "$fds0" "$(fd_count "$FORKD_PID")"
	check "$1: listener RSS unchanged (<= $rss0 + 64 KiB)" \
	    [ "$(rss "$FORKD_PID")" -le $((rss0 + 64)) ]
}
# reaped N REASON: the Nth connection's reap gives REASON.
reaped() {
	wait_until 10 grep -q " reap conn=$1 .*reason=$2 " "$FORKD_LOG"
}
# next: the coming abuse's connection number (healthy's are in the log).
next() {
	conn=$(($(log_count accept) + 1))
}

# Raw bytes need nc (netcat-openbsd, for -N).
if have nc; then
	# ---- slowloris: one byte at a time, never a whole request ---------------
	next
	(for c in E C H O ' ' s l o w; do printf '%s' "$c"; sleep 0.3; done) |
	    timeout 10 nc 127.0.0.1 "$FORKD_PORT" >"$T_TMP/slow.out"
	expect_match "slowloris: cut off with -ERR request timeout" \
	    '^-ERR request timeout' "$(tr -d '\r' <"$T_TMP/slow.out" | tail -n 1)"
	check "slowloris: reaped with reason=request-timeout" reaped $conn request-timeout
	healthy slowloris

	# ---- 10,000 pipelined requests in one write, all answered in order -------
	next
	seq 10000 | sed 's/^/ECHO /' >"$T_TMP/pipe.in"
	timeout 20 nc -N 127.0.0.1 "$FORKD_PORT" <"$T_TMP/pipe.in" | tr -d '\r' |
	    sed -n 's/^+OK \([0-9]*\)$/\1/p' >"$T_TMP/pipe.out"
	check "10,000 pipelined requests: 10,000 replies, in order" \
	    cmp -s "$T_TMP/pipe.out" "$(seq 10000 >"$T_TMP/pipe.want"; echo "$T_TMP/pipe.want")"
	healthy pipelined

	# ---- a 100 MiB line: refused after --max-line, nothing buffered ---------
	next
	head -c 104857600 /dev/zero | tr '\0' a |
	    timeout 20 nc 127.0.0.1 "$FORKD_PORT" 2>/dev/null | tr -d '\r' >"$T_TMP/big.out"
	expect_match "100 MiB without a newline: -ERR line too long" \
	    '^-ERR line too long$' "$(tail -n 1 "$T_TMP/big.out")"
	check "100 MiB: reaped with reason=too-long" reaped $conn too-long
	healthy "100 MiB line"

	# ---- a frame header announcing 2 GiB, after one good frame --------------
	next
	printf '\000\000\000\004TIME\200\000\000\000' |
	    timeout 10 nc -N 127.0.0.1 "$FORKD_PORT" >"$T_TMP/frame.out"
	check "2 GiB frame prefix: -ERR frame too long, as a frame" \
	    grep -q 'frame too long' "$T_TMP/frame.out"
	check "2 GiB frame prefix: the good frame before it was answered" \
	    grep -q '+OK [0-9]*-' "$T_TMP/frame.out"
	healthy "2 GiB frame"

	# ---- a telnet IAC storm, then a real request ---------------------------
	next
	{
		i=0
		while [ "$i" -lt 2000 ]; do
			printf '\377\373\037\377\375\001\377\372\030\001\377\360\377\361'
			i=$((i + 1))
		done
		printf 'ECHO after the storm\r\n'
	} | timeout 10 nc -N 127.0.0.1 "$FORKD_PORT" | tr -d '\r' >"$T_TMP/iac.out"
	expect_eq "IAC storm: stripped, the request after it is answered" \
	    "+OK after the storm" "$(tail -n 1 "$T_TMP/iac.out")"
	healthy "IAC storm"

	# ---- NUL and 0xFF bytes in requests -------------------------------------
	next
	printf 'ECHO a\000b\377\377c\r\n' | timeout 10 nc -N 127.0.0.1 "$FORKD_PORT" |
	    od -An -c | tr -s ' \n' '  ' >"$T_TMP/bin.out"
	expect_match "NUL and IAC IAC: echoed as NUL and 0xFF" \
	    '\+ O K a \\0 b 377 c' "$(cat "$T_TMP/bin.out")"
else
	skip "slowloris, pipelining, 100 MiB line, 2 GiB frame, IAC, NUL" "nc not installed"
fi

if have python3; then
	# ---- a client that never reads its replies --------------------------
	# It sends until its own writes stall for 0.5 s (forkd's child has
	# been blocked writing since before then) and prints when that was,
	# in seconds from connect.  The child must be gone --write-timeout
	# (1 s) after it blocked: the deadline covers the whole flush.
	next
	stuck=$(timeout 20 python3 - "$FORKD_PORT" <<'PY'
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
t0 = time.monotonic()
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
req = b"ECHO " + b"x" * 8000 + b"\n"    # under --max-line
s.settimeout(0.5)
stuck = None
try:
    for _ in range(3000):           # 24 MB of replies it never reads
        s.sendall(req)
except OSError:
    stuck = time.monotonic() - t0 - 0.5
print("%.3f" % stuck if stuck is not None else "none")
sys.stdout.flush()
time.sleep(3)
PY
)
	check "never-reading client: cut off by the write deadline" \
	    reaped $conn write-timeout
	took=$(sed -n "s/.* reap conn=$conn .*duration=\([0-9.]*\)s.*/\1/p" "$FORKD_LOG")
	check "never-reading client: gone 1 s after it stalled, not 2 (stalled at ${stuck}s, reaped at ${took}s)" \
	    awk -v s="$stuck" -v t="$took" 'BEGIN { exit !(s != "none" && t != "" && t <= s + 1.2) }'
	healthy "never-reading client"

	# ---- RST in the middle of a reply (SO_LINGER 0) ----------------------
	next
	timeout 20 python3 - "$FORKD_PORT" <<'PY'
import socket, struct, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"HELP\n" * 2000)
s.recv(100)
s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
s.close()                           # RST, replies still in flight
PY
	check "RST mid-reply: the child ends by exit code, not by signal" \
	    wait_until 10 grep -Eq " reap conn=$conn .*status=exit:(0|12) " "$FORKD_LOG"
	healthy "RST mid-reply"

	# ---- connect-and-close flood ----------------------------------------
	before=$(log_count reap)
	timeout 60 python3 - "$FORKD_PORT" <<'PY'
import socket, sys
for _ in range(1000):
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
    s.close()
PY
	check "1,000 connect-and-close: every child reaped" \
	    wait_until 30 sh -c "[ \$(grep -c ' reap ' '$FORKD_LOG') -ge $((before + 1000)) ]"
	check "... no zombie" [ "$(zombies_of "$FORKD_PID")" -eq 0 ]
	healthy "connect-and-close flood"
else
	skip "never-reading client, RST mid-reply, connect flood" "python3 not installed"
fi

forkd_stop TERM
expect_eq "clean exit after all that" 0 "$FORKD_STATUS"
finish
