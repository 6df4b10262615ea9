#!/bin/sh
# make check: the whole suite three ways, at the same time.
#   1. unit and integration tests on this build (shown as they run);
#   2. the same on the AddressSanitizer + UndefinedBehaviorSanitizer
#      build (make check-asan, into build/asan/);
#   3. the unit tests under valgrind memcheck (make check-valgrind).
# The shell tests mostly wait (for timeouts, children, the network), so
# running the passes side by side costs little more than the slowest one
# alone; each has its own run directory and each forkd its own port.
# The second and third passes print their failures and totals at the
# end; the whole output of each is in build/check{,-asan,-valgrind}.log.
# The last line sums all three: "N passed, N failed".
set -u
cd "$(dirname "$0")/.." || exit 1
make=${MAKE:-make}
mkdir -p build

asan_log=build/check-asan.log
vg_log=build/check-valgrind.log

echo "== make check: this build here; ASan + UBSan ($asan_log) and valgrind"
echo "== ($vg_log) run alongside and report at the end"

# pass LOG TARGET: run make TARGET in the background, into LOG, in a
# process group of its own (setsid) so that a stop reaches all of it.
pass() {
	if command -v setsid >/dev/null 2>&1; then
		setsid "$make" -s --no-print-directory "$2" >"$1" 2>&1 &
	else
		"$make" -s --no-print-directory "$2" >"$1" 2>&1 &
	fi
	last=$!
}
asan_pid="" vg_pid=""
# Ctrl-C or a kill stops the passes running in the background too (each
# run.sh then stops its test, whose own trap stops what it started).
stop() {
	trap '' INT TERM
	for p in $asan_pid $vg_pid; do
		kill -s TERM -- "-$p" 2>/dev/null || kill -s TERM "$p" 2>/dev/null
	done
	wait
	exit "$1"
}
trap 'stop 130' INT
trap 'stop 143' TERM

if sh tests/have-sanitizers.sh; then
	pass "$asan_log" check-asan
	asan_pid=$last
else
	echo "${CC:-cc} cannot build with -fsanitize=address,undefined:" \
	    "no ASan + UBSan pass" >"$asan_log"
fi
if command -v valgrind >/dev/null 2>&1; then
	pass "$vg_log" check-valgrind
	vg_pid=$last
else
	echo "valgrind is not installed: no valgrind pass" >"$vg_log"
fi

{
	sh tests/run.sh
	echo $? >build/check.rc
} | tee build/check.log
plain_rc=$(cat build/check.rc)
asan_rc=0 vg_rc=0
if [ -n "$asan_pid" ]; then
	wait "$asan_pid"
	asan_rc=$?
fi
if [ -n "$vg_pid" ]; then
	wait "$vg_pid"
	vg_rc=$?
fi
trap - INT TERM

passed=0 failed=0
# count NAME LOG RC: add a pass's totals to the sum; false if it has none.
count() {
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$2" | tail -n 1)
	if [ -z "$line" ]; then
		tail -n 20 "$2"
		echo "not ok - $1 ended without a summary (exit $3)"
		failed=$((failed + 1))
		return 1
	fi
	passed=$((passed + ${line%% passed*}))
	f=${line#*passed, }
	failed=$((failed + ${f%% failed}))
	if [ "$3" -ne 0 ] && [ "${f%% failed}" -eq 0 ]; then
		echo "not ok - $1 exited $3"
		failed=$((failed + 1))
	fi
}

# report NAME LOG RC: a background pass's failures and totals.
report() {
	echo "== $1 (whole output: $2)"
	grep -E '^not ok|^skip - ' "$2"
	count "$@" && echo "$line"
}

count "this build: unit and integration tests" build/check.log "$plain_rc"
if [ -n "$asan_pid" ]; then
	report "ASan + UBSan build: unit and integration tests" "$asan_log" \
	    "$asan_rc"
else
	echo "== ASan + UBSan: skipped, $(cat "$asan_log")"
fi
if [ -n "$vg_pid" ]; then
	report "valgrind memcheck: unit tests" "$vg_log" "$vg_rc"
else
	echo "== valgrind memcheck: skipped, valgrind is not installed"
fi
echo "== all passes"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
