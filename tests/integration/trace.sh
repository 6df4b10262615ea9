#!/bin/sh
# -vv traces one connection's whole life, step by step and in order, and
# the fd audit shows a child holding exactly 0, 1, 2, the log and its
# connection.  ps shows each process's role in its title.
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/../../scripts/lib.sh"

# A descriptor inherited from our shell must not reach the children.
exec 7</dev/null
forkd_start -vv || exit 1
exec 7<&-

out=$(timeout 10 "$FORKC" -q -p "$FORKD_PORT" -c 'ECHO traced')
expect_eq "the traced session works" "+OK traced" "$out"
wait_until 5 grep -q 'step=waitpid result=' "$FORKD_LOG"

# steps WHO: the step= words WHO (a pid) traced, in log order.
steps() {
	sed -n "s/.*forkd\\[$1\\] trace step=\\([a-z]*\\).*/\\1/p" "$FORKD_LOG" |
	    tr '\n' ' '
}
# line_of PATTERN: the log line number of the first match.
line_of() {
	grep -n -- "$1" "$FORKD_LOG" | head -n 1 | cut -d: -f1
}
child=$(sed -n 's/.* fork conn=1 child=\([0-9]*\).*/\1/p' "$FORKD_LOG")
expect_eq "listener: socket, bind, listen, accept, fork, signal, waitpid" \
    "socket setsockopt bind listen socket bind accept fork signal waitpid waitpid " \
    "$(steps "$FORKD_PID")"
# (The client closed first: after its EOF there is nothing to linger for.)
expect_eq "child: close the listener's fds, audit, write, read, close" \
    "fork fork fork fds write read write read close " \
    "$(steps "$child")"
check "the child starts after the accept" \
    [ "$(line_of 'step=accept')" -lt "$(line_of "forkd\\[$child\\] trace")" ]
check "SIGCHLD comes after the child closed" \
    [ "$(line_of "forkd\\[$child\\] trace step=close")" -lt "$(line_of 'step=signal sig=SIGCHLD')" ]
check "parent: closes the connected fd after fork" \
    grep -q "forkd\\[$FORKD_PID\\] trace step=fork side=parent child=$child closed=[0-9]* what=connected-socket" "$FORKD_LOG"
check "child: closes the listening fd" \
    grep -q "forkd\\[$child\\] trace step=fork side=child closed=[0-9]* what=listening-socket" "$FORKD_LOG"
check "child: writes the greeting, reads the request, writes the reply" \
    grep -q "forkd\\[$child\\] trace step=read fd=[0-9]* bytes=15" "$FORKD_LOG"

audit=$(sed -n "s/.*forkd\\[$child\\] trace step=fds \\(.*\\)/\\1/p" "$FORKD_LOG")
held=$(echo "$audit" | sed 's/held=\([0-9,]*\).*/\1/')
conn=$(echo "$audit" | sed 's/.*conn=\([0-9]*\).*/\1/')
logfd=$(echo "$audit" | sed 's/.*log=\([0-9]*\).*/\1/')
want=$(printf '%s\n' 0 1 2 "$conn" "$logfd" | sort -n | uniq | tr '\n' ',' | sed 's/,$//')
expect_eq "fd audit: the child holds 0,1,2, the log and its connection only" "$want" "$held"

# Process titles, while a session is held open.
timeout 10 "$FORKC" -q -p "$FORKD_PORT" -c 'SLEEP 1500' >/dev/null &
track $!
wait_until 5 grep -q ' fork conn=2 ' "$FORKD_LOG"
titles=$(ps -o args= --ppid "$FORKD_PID"; ps -o args= -p "$FORKD_PID")
expect_match "ps: the listener's title" '^forkd: listener 1/256$' "$titles"
expect_match "ps: the UDP worker's title" '^forkd: udp worker port [0-9]+$' "$titles"
expect_match "ps: a child's title shows its peer and state" \
    '^forkd: child 127\.0\.0\.1:[0-9]+ sleeping$' "$titles"
# shellcheck disable=SC2009 # this checks ps itself
check "ps -C forkd still finds every process" \
    [ "$(ps -C forkd -o ppid= | grep -c "$FORKD_PID")" -ge 2 ]
forkd_stop TERM
expect_eq "clean exit" 0 "$FORKD_STATUS"
finish
