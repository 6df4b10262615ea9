#!/bin/sh
# Third-party clients speak line mode unchanged: socat with piped input,
# telnet driven by expect, and raw telnet IAC sequences through nc (the
# server skips negotiation; IAC IAC is a literal 0xFF byte).
# shellcheck disable=SC2119 # forkd_start's options are optional
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/../../scripts/lib.sh"
set -u
LC_ALL=C
export LC_ALL

forkd_start || exit 1

# ---- socat -------------------------------------------------------------

if have socat; then
	out=$(printf 'ECHO via socat\r\nPID\nQUIT\r\nECHO dropped\r\n' |
	    timeout 10 socat - "TCP:127.0.0.1:$FORKD_PORT" | tr -d '\r')
	expect_match "socat: greeting" '^\+OK forkd ready pid=' "$out"
	expect_match "socat: ECHO" '^\+OK via socat$' "$out"
	expect_match "socat: PID" \
	    "^\\+OK pid=[0-9]+ ppid=$FORKD_PID conn=[0-9]+ peer=127\\.0\\.0\\.1:[0-9]+ " "$out"
	expect_eq "socat: QUIT is the last reply" "+OK bye" \
	    "$(printf '%s\n' "$out" | tail -n 1)"
	out=$(printf 'HELP\n' | timeout 10 socat - "TCP:127.0.0.1:$FORKD_PORT" |
	    tr -d '\r')
	expect_eq "socat: HELP body ends with '.'" "." \
	    "$(printf '%s\n' "$out" | tail -n 1)"
else
	skip "socat" "socat not installed"
fi

# ---- telnet, driven by expect ------------------------------------------

if have expect && have telnet; then
	cat >"$T_TMP/telnet.exp" <<'EOF'
# Exit status says which step failed: 0 = all went as expected.
set timeout 5
set port [lindex $argv 0]
spawn telnet 127.0.0.1 $port
expect {
	-re {\+OK forkd ready pid=[0-9]+ ppid=[0-9]+ conn=[0-9]+} {}
	timeout { exit 11 }
	eof { exit 11 }
}
send "ECHO hi\r"
expect {
	-ex "+OK hi" {}
	timeout { exit 12 }
	eof { exit 12 }
}
send "PID\r"
expect {
	-ex "+OK pid=" {}
	timeout { exit 13 }
	eof { exit 13 }
}
send "sleep nonsense\r"
expect {
	-ex "-ERR SLEEP" {}
	timeout { exit 14 }
	eof { exit 14 }
}
send "QUIT\r"
expect {
	-ex "+OK bye" {}
	timeout { exit 15 }
	eof { exit 15 }
}
expect {
	-ex "Connection closed" {}
	timeout { exit 16 }
	eof { exit 16 }
}
expect {
	eof {}
	timeout { exit 17 }
}
exit 0
EOF
	timeout 30 expect -f "$T_TMP/telnet.exp" "$FORKD_PORT" \
	    >"$T_TMP/telnet.out" 2>&1
	rc=$?
	expect_eq "telnet via expect: greeting, ECHO, PID, -ERR, QUIT, closed" \
	    0 "$rc"
	[ "$rc" -eq 0 ] || sed 's/^/# /' "$T_TMP/telnet.out"
else
	skip "telnet via expect" "expect or telnet not installed"
fi

# ---- telnet IAC sequences, raw through nc ------------------------------

if have nc; then
	# iac BYTES: the reply lines (CR removed) after the greeting.
	iac() {
		# shellcheck disable=SC2059 # the format is the request
		printf "$1" | timeout 10 nc -N 127.0.0.1 "$FORKD_PORT" |
		    tr -d '\r' | sed 1d
	}
	expect_eq "IAC WILL NAWS before a line is skipped" "+OK x" \
	    "$(iac '\377\373\037ECHO x\r\n')"
	expect_eq "IAC DO inside a line is skipped" "+OK mid" \
	    "$(iac 'EC\377\375\001HO mid\r\n')"
	expect_eq "IAC SB ... IAC SE is skipped" "+OK sb" \
	    "$(iac '\377\372\030\001\377\360ECHO sb\r\n')"
	expect_eq "IAC NOP and IAC AYT are skipped" "+OK nop" \
	    "$(iac '\377\361ECHO \377\366nop\r\n')"
	expect_eq "telnet's CR NUL ends a line" "+OK crnul" \
	    "$(iac 'ECHO crnul\r\000')"
	expect_eq "IAC IAC is one literal 0xFF byte" \
	    "+   O   K       a 377   b  \\r  \\n" \
	    "$(printf 'ECHO a\377\377b\r\n' |
	    timeout 10 nc -N 127.0.0.1 "$FORKD_PORT" | sed 1d | od -An -c |
	    sed 's/^ *//; s/ *$//')"
	got=$(printf '\377\375\001\377\373\003' |
	    timeout 10 nc -N 127.0.0.1 "$FORKD_PORT" | od -An -tx1 |
	    grep -c 'ff')
	expect_eq "the server never negotiates (no IAC in its output)" 0 "$got"
else
	skip "telnet IAC through nc" "nc not installed"
fi

forkd_stop TERM
expect_eq "SIGTERM: exit status 0" 0 "$FORKD_STATUS"
finish
