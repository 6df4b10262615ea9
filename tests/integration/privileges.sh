#!/bin/sh
# Started as root, forkd binds and then becomes --user NAME for good:
# listener, UDP worker and children all run without root.  Without
# --user it warns once that it serves clients as root.
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/../../scripts/lib.sh"

user=nobody
if [ "$(id -u)" -ne 0 ] || ! id "$user" >/dev/null 2>&1; then
	skip "privilege drop" "needs root and user $user"
	finish
	exit
fi
if ! hold_user "$user"; then
	skip "privilege drop" "another test kept user $user for 150 s"
	finish
	exit
fi
uid=$(id -u "$user")

# ids PID: "real effective saved fs" uids, then the supplementary groups.
ids() {
	sed -n 's/^Uid:[[:space:]]*//p' "/proc/$1/status" | tr -s '\t ' ' '
}

forkd_start --user "$user" || exit 1
check "logs the drop" grep -q " privileges user=$user uid=$uid " "$FORKD_LOG"
timeout 10 "$FORKC" -q -p "$FORKD_PORT" -c 'SLEEP 1000' >/dev/null &
track $!
wait_until 5 grep -q ' fork conn=1 ' "$FORKD_LOG"
worker=$(sed -n 's/.* udp-spawn pid=\([0-9]*\).*/\1/p' "$FORKD_LOG")
child=$(sed -n 's/.* fork conn=1 child=\([0-9]*\).*/\1/p' "$FORKD_LOG")
for who in "listener:$FORKD_PID" "UDP worker:$worker" "child:$child"; do
	expect_eq "${who%%:*}: every uid is $user's" "$uid $uid $uid $uid" \
	    "$(ids "${who#*:}")"
done
check "the ports stay bound after the drop" \
    [ "$(timeout 5 "$FORKC" -q -u -p "$FORKD_PORT" -c PID | cut -c1-3)" = "+OK" ]
forkd_stop TERM
expect_eq "clean exit" 0 "$FORKD_STATUS"

forkd_start || exit 1
check "as root without --user: one warning" \
    [ "$(log_count privileges 'user=root warning=')" -eq 1 ]
forkd_stop TERM

"$FORKD" -p 0 --user no-such-user-here >/dev/null 2>"$T_TMP/err"
expect_eq "an unknown user: exit 1" 1 "$?"
expect_eq "... with one clear line" "forkd: no-such-user-here: no such user" \
    "$(cat "$T_TMP/err")"
"$FORKD" -p 0 --user root >/dev/null 2>"$T_TMP/err"
expect_eq "--user root is refused" "forkd: root: refusing to run as root" \
    "$(cat "$T_TMP/err")"
finish
