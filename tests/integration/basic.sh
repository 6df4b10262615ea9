#!/bin/sh
# The first path end to end: start forkd, one forkc session with every
# verb in frame mode, its reap in the log, a clean SIGTERM.
# shellcheck disable=SC2119 # forkd_start's options are optional
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/../../scripts/lib.sh"

forkd_start || exit 1

out=$(fc -q -c HELP -c 'ECHO hello world' -c TIME -c PID -c 'SLEEP 10' -c QUIT)
check "forkc exits 0 when every reply is +OK" [ $? -eq 0 ]
expect_match "HELP lists the verbs" '^QUIT - ' "$out"
expect_match "ECHO echoes" '^\+OK hello world$' "$out"
expect_match "TIME is ISO 8601 UTC" '^\+OK [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$' "$out"
expect_match "PID names the child" '^\+OK pid=[0-9]+ ppid='"$FORKD_PID"' conn=1 peer=127\.0\.0\.1:[0-9]+ age=' "$out"
expect_match "QUIT says bye" '^\+OK bye$' "$out"

greeting=$(fc -c TIME | head -n 1)
expect_match "greeting names pid, ppid and conn" "^\\+OK forkd ready pid=[0-9]+ ppid=$FORKD_PID conn=2\$" "$greeting"

fc -q -c 'NOSUCH verb' >/dev/null
check "forkc exits 1 on -ERR" [ $? -eq 1 ]

wait_until 5 sh -c "[ \$(grep -c ' reap ' '$FORKD_LOG') -ge 3 ]"
check "each session is reaped with exit:0" [ "$(log_count reap 'status=exit:0 reason=closed')" -eq 3 ]
check "accept and fork are logged" [ "$(log_count accept)" -eq 3 ] && [ "$(log_count fork)" -eq 3 ]

forkd_stop TERM
expect_eq "SIGTERM: exit status 0" 0 "$FORKD_STATUS"
check "shutdown and stop are logged" grep -q ' stop ' "$FORKD_LOG"
finish
