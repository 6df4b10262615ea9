# shellcheck shell=sh
# shellcheck disable=SC2034 # FORKD_* are set here for the sourcing script
# lib.sh: what every forkd shell test and demo shares.  Source it:
#     . "$(dirname "$0")/../../scripts/lib.sh"
# It starts forkd on a free loopback port (-p 0; the port is read from the
# `start` log line, never guessed), kills on exit only the processes it
# started (by PID, from a trap), and counts results:
#     ok NAME | not_ok NAME WHY | skip NAME WHY | finish
# finish prints "N passed, N failed, N skipped" and sets the exit status.

LIB_DIR=$(CDPATH='' cd -- "$(dirname -- "${0}")" && pwd)
TOP=$(CDPATH='' cd -- "$LIB_DIR" && while [ ! -f Makefile ] && [ "$PWD" != / ]; do cd ..; done && pwd)
FORKD=${FORKD:-$TOP/forkd}
FORKC=${FORKC:-$TOP/forkc}
T_PASS=0
T_FAIL=0
T_SKIP=0
T_PIDS=""
T_TMP=$(mktemp -d "${TMPDIR:-/tmp}/forkd-test.XXXXXX")

ok() {
	T_PASS=$((T_PASS + 1))
	echo "ok - $1"
}

not_ok() {
	T_FAIL=$((T_FAIL + 1))
	echo "not ok - $1${2:+: $2}"
}

skip() {
	T_SKIP=$((T_SKIP + 1))
	echo "skip - $1${2:+: $2}"
}

# check NAME CMD...: ok if CMD succeeds.
check() {
	t_name=$1
	shift
	if "$@"; then ok "$t_name"; else not_ok "$t_name" "failed: $*"; fi
}

# expect_eq NAME EXPECTED ACTUAL
expect_eq() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "expected [$2], got [$3]"; fi
}

# expect_match NAME EXTENDED-REGEX TEXT
expect_match() {
	if printf '%s\n' "$3" | grep -Eq -- "$2"; then
		ok "$1"
	else
		not_ok "$1" "[$3] does not match /$2/"
	fi
}

# have TOOL: true when TOOL is installed.
have() {
	command -v "$1" >/dev/null 2>&1
}

# hold_user NAME: until this script ends, no other test that holds NAME
# runs (make check runs two passes of the suite at once, and forkfail.sh
# counts NAME's processes against its RLIMIT_NPROC).  Waits up to 150 s;
# false if the lock could not be had.  Without flock(1), or where the
# lock file cannot be opened, there is nothing to hold: true.
hold_user() {
	have flock || return 0
	command exec 9>>"${TMPDIR:-/tmp}/forkd-tests-user-$1.lock" ||
	    return 0
	flock -w 150 9
}

# track PID: kill it (and wait) when the test exits.
track() {
	T_PIDS="$T_PIDS $1"
}

# t_childless PID: PID has no child left (alive or zombie).
t_childless() {
	[ -z "$(children_of "$1")" ]
}

# A SIGKILLed forkd cannot stop its UDP worker and sessions: they would
# live on, adopted by init.  So each tracked process is stopped (it can
# fork no more), its children are killed by PID, it is let run a moment
# to reap them, and then it is killed.
t_cleanup() {
	for p in $T_PIDS; do
		kill -STOP "$p" 2>/dev/null || continue
		t_kids=$(children_of "$p")
		for c in $t_kids; do
			kill -KILL "$c" 2>/dev/null
		done
		kill -CONT "$p" 2>/dev/null
		[ -z "$t_kids" ] || wait_until 2 t_childless "$p"
		kill -KILL "$p" 2>/dev/null
	done
	wait 2>/dev/null
	rm -rf "$T_TMP"
}
trap t_cleanup EXIT
trap 'exit 130' INT TERM
# A demo piped into head(1) gets SIGPIPE: clean up then too.
trap 'exit 141' PIPE

# With SANITIZE set (make check-asan), a sanitizer report in any file the
# test wrote under $T_TMP (forkd's stderr is $FORKD_LOG.out) fails it.
t_sanitizer_reports() {
	[ -n "${SANITIZE:-}" ] || return 0
	t_re='ERROR: (Address|Leak)Sanitizer|runtime error:|SUMMARY: UndefinedBehaviorSanitizer'
	t_out=$(grep -rlE "$t_re" "$T_TMP" 2>/dev/null | while IFS= read -r t_f; do
		echo "not ok - sanitizer report in $t_f:"
		grep -E -A 40 "$t_re" "$t_f" | head -n 80
	done)
	[ -n "$t_out" ] || return 0
	printf '%s\n' "$t_out"
	t_n=$(printf '%s\n' "$t_out" | grep -c '^not ok - sanitizer report')
	T_FAIL=$((T_FAIL + t_n))
}

finish() {
	t_sanitizer_reports
	echo "$T_PASS passed, $T_FAIL failed, $T_SKIP skipped"
	[ "$T_FAIL" -eq 0 ]
}

# wait_until SECONDS CMD...: poll CMD every 50 ms until it succeeds.
wait_until() {
	t_deadline=$(( $(date +%s) + $1 ))
	shift
	while ! "$@"; do
		[ "$(date +%s)" -ge "$t_deadline" ] && return 1
		sleep 0.05
	done
}

# forkd_start [OPTIONS...]: start forkd on a free port, logging to
# $FORKD_LOG; sets FORKD_PID and FORKD_PORT (TCP) and FORKD_UDP_PORT.
forkd_start() {
	FORKD_LOG=$T_TMP/forkd.$$.$(date +%s%N).log
	: >"$FORKD_LOG"
	"$FORKD" -p 0 --log-file "$FORKD_LOG" "$@" </dev/null >"$FORKD_LOG.out" 2>&1 &
	FORKD_PID=$!
	track "$FORKD_PID"
	if ! wait_until 5 grep -q ' start ' "$FORKD_LOG"; then
		echo "forkd did not start:" >&2
		cat "$FORKD_LOG" "$FORKD_LOG.out" >&2
		return 1
	fi
	FORKD_PORT=$(sed -n 's/.* start .*tcp_port=\([0-9]*\).*/\1/p' "$FORKD_LOG" | head -n 1)
	FORKD_UDP_PORT=$(sed -n 's/.* start .*udp_port=\([0-9]*\).*/\1/p' "$FORKD_LOG" | head -n 1)
	# The UDP worker is ready once the listener has logged its spawn.
	case " $* " in
	*" --no-udp "*) ;;
	*) wait_until 5 grep -q ' udp-spawn ' "$FORKD_LOG" ;;
	esac
}

# t_gone PID: PID has exited (a zombie waiting for us counts).
t_gone() {
	case $(ps -o stat= -p "$1" 2>/dev/null) in
	'' | Z*) return 0 ;;
	esac
	return 1
}

# forkd_stop [SIGNAL]: signal forkd (TERM by default), wait for it, and
# set FORKD_STATUS to its exit status.  A forkd that has not exited 15 s
# later is killed (status 137), so a hung shutdown fails the test instead
# of hanging it.  A forkd that has already logged its stop line is only
# waited for: a signal landing as it exits would turn its 0 into 143.
forkd_stop() {
	grep -q ' stop ' "$FORKD_LOG" ||
	    kill "-${1:-TERM}" "$FORKD_PID" 2>/dev/null
	if ! wait_until 15 t_gone "$FORKD_PID"; then
		echo "forkd $FORKD_PID did not exit: killed" >&2
		kill -KILL "$FORKD_PID" 2>/dev/null
	fi
	wait "$FORKD_PID"
	FORKD_STATUS=$?
}

# log_count EVENT [PATTERN]: lines of the log with that event word.
log_count() {
	grep -E " $1( |\$)" "$FORKD_LOG" | grep -Ec -- "${2:-.}"
}

# children_of PID: pids of PID's children, one per line.
children_of() {
	ps -o pid= --ppid "$1" 2>/dev/null | tr -d ' '
}

# zombies_of PID: how many of PID's children are zombies.
zombies_of() {
	# shellcheck disable=SC2009 # pgrep cannot select by state portably
	ps -o stat= --ppid "$1" 2>/dev/null | grep -c '^Z'
}

# fd_count PID: open descriptors of PID.
fd_count() {
	find "/proc/$1/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l | tr -d ' '
}

# fc ARGS...: forkc against the test's forkd.
fc() {
	"$FORKC" -p "$FORKD_PORT" "$@"
}

# ---- demos --------------------------------------------------------------
# A demo narrates by default; with -q it only asserts (for make check).
DEMO_QUIET=0
case "${1:-}" in
-q) DEMO_QUIET=1 ;;
esac

# say TEXT...: narration, shown unless -q.
say() {
	[ "$DEMO_QUIET" -eq 1 ] || printf '%s\n' "$*" 2>/dev/null || exit 141
}

# show CMD...: print the command as typed, run it, show its output (-q:
# just run it, quietly).
show() {
	if [ "$DEMO_QUIET" -eq 1 ]; then
		"$@" >/dev/null 2>&1
	else
		printf '$ %s\n' "$*"
		"$@"
	fi
}

# show_sh CMDLINE [FILE]: like show, for a command line with quotes,
# pipes or redirections (run with eval, so the demo's functions and
# variables apply).  With FILE, its standard output is saved there too,
# for the demo's assertions.  Returns CMDLINE's exit status.
show_sh() {
	if [ "$DEMO_QUIET" -eq 1 ]; then
		eval "$1" >"${2:-/dev/null}" 2>/dev/null
		return
	fi
	printf '$ %s\n' "$1"
	if [ $# -lt 2 ]; then
		eval "$1"
		return
	fi
	eval "$1" >"$2"
	t_rc=$?
	cat "$2"
	return "$t_rc"
}
