#!/bin/sh
# A listener killed with SIGKILL cannot stop its UDP worker, so the worker
# watches for it: it must exit within a couple of seconds and free the
# UDP port, so a new forkd can start on the same ports.
# shellcheck disable=SC2119 # forkd_start takes no options here
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/../../scripts/lib.sh"

forkd_start || exit 1
worker=$(sed -n 's/.* udp-spawn pid=\([0-9]*\).*/\1/p' "$FORKD_LOG")
track "$worker"
port=$FORKD_PORT
kill -KILL "$FORKD_PID"
wait "$FORKD_PID" 2>/dev/null

# alive PID: running, not a zombie left for an init that does not reap.
alive() {
	st=$(ps -o stat= -p "$1" 2>/dev/null) && [ "${st#Z}" = "$st" ]
}
gone() {
	! alive "$worker"
}
check "the orphaned UDP worker exits" wait_until 5 gone
check "... and says why" grep -q ' udp-stop reason=listener-gone' "$FORKD_LOG"

"$FORKD" -p "$port" --log-file "$T_TMP/second.log" </dev/null >/dev/null 2>&1 &
second=$!
track "$second"
check "a new forkd binds the same TCP and UDP port" \
    wait_until 5 grep -q " udp-spawn " "$T_TMP/second.log"
out=$(timeout 5 "$FORKC" -u -p "$port" -c TIME)
expect_match "... and answers datagrams" '^\+OK [0-9]{4}-' "$out"
kill -TERM "$second"
wait "$second"
expect_eq "clean exit" 0 "$?"
finish
