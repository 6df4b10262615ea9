#!/bin/sh
# What a client does cannot hurt the listener: a reset peer is an exit
# code, garbage is answered, running out of descriptors is logged and backed
# off without a busy loop, and no descriptor leaks into children.
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
# cpu_ticks PID: user + system clock ticks PID has used.
cpu_ticks() {
	sed 's/.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'
}
# own_fds PID: "N target" for PID's descriptors above 2 that the test
# shell does not share (those were inherited from whoever ran the test).
own_fds() {
	for f in "/proc/$1/fd/"*; do
		n=${f##*/}
		[ "$n" -gt 2 ] || continue
		t=$(readlink "$f") || continue
		[ "$(readlink "/proc/$$/fd/$n" 2>/dev/null)" = "$t" ] && continue
		echo "$n $t"
	done
}

forkd_start || exit 1

# ---- a peer that resets ----------------------------------------------------

if have socat; then
	# SO_LINGER 0: socat's close sends RST while the child is in SLEEP.
	printf 'SLEEP 300\r\n' |
	    timeout 10 socat -t 0.05 - "TCP:127.0.0.1:$FORKD_PORT,linger=0" >/dev/null
	check "a reset peer: the child ends status=exit:12 reason=peer-reset" \
	    wait_until 5 log_at_least 1 reap 'status=exit:12 reason=peer-reset'
else
	skip "a reset peer" "socat not installed"
fi

# ---- garbage -------------------------------------------------------------------

if have nc; then
	head -c 65536 /dev/urandom >"$T_TMP/garbage"
	timeout 10 nc -N 127.0.0.1 "$FORKD_PORT" <"$T_TMP/garbage" >/dev/null
	printf 'ECHO \000\001\002\377\376\r\nECHO ok\r\n' |
	    timeout 10 nc -N 127.0.0.1 "$FORKD_PORT" | tr -d '\r' >"$T_TMP/bin.out"
	expect_eq "binary bytes in a line are echoed, the session goes on" \
	    "+OK ok" "$(tail -n 1 "$T_TMP/bin.out")"
	n=$(log_count accept)
	wait_until 5 log_at_least "$n" reap
	expect_eq "random bytes: every session ended by exit code, none by signal" 0 \
	    "$(log_count reap 'status=signal')"
else
	skip "garbage" "nc not installed"
fi
expect_eq "the listener still serves" "+OK alive" "$(fc -q -c 'ECHO alive')"

# ---- descriptors: close-on-exec, none leaked into children ----------------------

if [ -d "/proc/$FORKD_PID/fdinfo" ]; then
	own_fds "$FORKD_PID" >"$T_TMP/listener.fds"
	noexec=''
	while read -r n t; do
		flags=$(sed -n 's/^flags:[[:space:]]*//p' "/proc/$FORKD_PID/fdinfo/$n")
		[ $((0$flags & 02000000)) -ne 0 ] || noexec="$noexec $n:$t"
	done <"$T_TMP/listener.fds"
	expect_eq "every listener descriptor is close-on-exec" "" "$noexec"

	n=$(($(log_count accept) + 1))
	fc -q -c 'SLEEP 1500' >/dev/null 2>&1 &
	sleeper=$!
	track "$sleeper"
	wait_until 5 grep -q " fork conn=$n child=" "$FORKD_LOG"
	child=$(sed -n "s/.* fork conn=$n child=\\([0-9]*\\).*/\\1/p" "$FORKD_LOG")
	udp=$(sed -n 's/.* udp-spawn pid=\([0-9]*\).*/\1/p' "$FORKD_LOG" | head -n 1)
	# Serving (its title says so): the fork's clean-up is done by then.
	serving() {
		ps -o args= -p "$child" | grep -q ' sleeping$'
	}
	wait_until 5 serving
	# Shared with the listener: only the log file may be.
	shared() {
		own_fds "$1" | while read -r n t; do
			grep -qF " $t" "$T_TMP/listener.fds" && echo "$t"
		done | grep -v '^/' | sort | paste -sd ' ' -
	}
	expect_eq "a session child holds none of the listener's sockets or pipes" \
	    "" "$(shared "$child")"
	expect_eq "a session child holds one socket: its connection" 1 \
	    "$(own_fds "$child" | grep -c 'socket:')"
	expect_eq "the UDP worker holds one of the listener's sockets: its own" 1 \
	    "$(shared "$udp" | wc -w | tr -d ' ')"
	wait "$sleeper"
else
	skip "descriptor checks" "no /proc"
fi

# ---- out of descriptors: accept-error, pause, no busy loop, recovery ------------

if have prlimit && [ -d "/proc/$FORKD_PID/fd" ]; then
	soft=$(prlimit --pid "$FORKD_PID" --nofile --noheadings --output SOFT | tr -d ' ')
	# The lowest free descriptor number: the next accept(2) would get it.
	low=0
	while [ -e "/proc/$FORKD_PID/fd/$low" ]; do
		low=$((low + 1))
	done
	prlimit --pid "$FORKD_PID" --nofile="$low:"
	fc -q -t 10 -c PID >"$T_TMP/emfile.out" 2>&1 &
	client=$!
	track "$client"
	check "EMFILE: accept-error is logged" \
	    wait_until 5 log_at_least 1 accept-error
	t0=$(cpu_ticks "$FORKD_PID")
	sleep 1 # measuring CPU use over a second, not waiting for readiness
	ticks=$(($(cpu_ticks "$FORKD_PID") - t0))
	check "EMFILE: no busy loop ($ticks ticks of CPU in 1 s)" [ "$ticks" -le 10 ]
	lines=$(log_count accept-error)
	check "EMFILE: logged, not flooded ($lines lines in 1 s)" [ "$lines" -le 2 ]
	expect_match "EMFILE: the line says why and for how long" \
	    'accept-error error="Too many open files" pause=0\.100s' \
	    "$(grep ' accept-error ' "$FORKD_LOG" | head -n 1)"
	prlimit --pid "$FORKD_PID" --nofile="$soft:"
	wait "$client"
	expect_match "EMFILE: once descriptors are back, the waiting client is served" \
	    '^0 \+OK pid=' "$? $(cat "$T_TMP/emfile.out")"
	expect_eq "EMFILE: the listener never died" "+OK" "$(fc -q -c ECHO)"
else
	skip "EMFILE" "prlimit or /proc missing"
fi

forkd_stop TERM
expect_eq "clean stop" 0 "$FORKD_STATUS"
finish
