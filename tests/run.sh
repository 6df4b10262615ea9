#!/bin/sh
# Run every test: the Check unit tests, then each shell integration test.
# Each part reports its counts; the last line of all is the sum,
# "N passed, N failed".  Exit status 1 if anything failed.
# The environment can change what runs (make check-asan, check-valgrind):
#   CHECK_FORKD      the unit-test binary (tests/unit/check_forkd)
#   UNIT_WRAPPER     a command to run it under, e.g. valgrind (none)
#   RUN_INTEGRATION  "no" runs the unit tests only
#   RUN_DIR          where the logs go (tests/run.tmp)
# FORKD, FORKC, FUZZ_DRIVER_DIR and SANITIZE pass on to the shell tests.
set -u
cd "$(dirname "$0")/.." || exit 1

passed=0 failed=0 skipped=0
out=${RUN_DIR:-tests/run.tmp}
rm -rf "$out" && mkdir -p "$out"

# Stopped (Ctrl-C, or make check stopping a pass): what runs is told
# too, at once (it runs in the background while we wait for it, so the
# trap need not wait for it to end).  A shell test runs under timeout(1)
# in a process group of its own, which a Ctrl-C does not reach; timeout
# passes the TERM on, and the test's trap stops what it started.
running=""
stop() {
	[ -z "$running" ] || kill -TERM "$running" 2>/dev/null
	wait
	exit "$1"
}
trap 'stop 130' INT
trap 'stop 143' TERM

echo "== unit tests (Check)"
# shellcheck disable=SC2086 # UNIT_WRAPPER is a command and its arguments
${UNIT_WRAPPER:-} "${CHECK_FORKD:-tests/unit/check_forkd}" >"$out/unit.log" 2>&1 &
running=$!
wait "$running"
rc=$?
running=""
cat "$out/unit.log"
# Check's summary: "100%: Checks: 120, Failures: 0, Errors: 0"
summary=$(grep -E 'Checks: [0-9]+, Failures: [0-9]+, Errors: [0-9]+' "$out/unit.log" | tail -n 1)
if [ -n "$summary" ]; then
	n=$(echo "$summary" | sed 's/.*Checks: \([0-9]*\).*/\1/')
	f=$(echo "$summary" | sed 's/.*Failures: \([0-9]*\).*/\1/')
	e=$(echo "$summary" | sed 's/.*Errors: \([0-9]*\).*/\1/')
	passed=$((passed + n - f - e))
	failed=$((failed + f + e))
fi
if [ "$rc" -ne 0 ] && { [ -z "$summary" ] || [ $((f + e)) -eq 0 ]; }; then
	# No summary, or every check passed but the run did not (a
	# sanitizer or valgrind report at exit).
	echo "not ok - unit tests exited $rc"
	failed=$((failed + 1))
fi

for t in tests/integration/*.sh; do
	[ "${RUN_INTEGRATION:-yes}" = no ] && break
	name=$(basename "$t" .sh)
	echo "== $name"
	# A test that hangs is a failure, never a stuck run.
	timeout -k 5 180 sh "$t" >"$out/$name.log" 2>&1 &
	running=$!
	wait "$running"
	rc=$?
	running=""
	cat "$out/$name.log"
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$out/$name.log" | tail -n 1)
	if [ -z "$line" ]; then
		echo "not ok - $name ended without a summary (exit $rc)"
		failed=$((failed + 1))
		continue
	fi
	p=$(echo "$line" | sed 's/^\([0-9]*\) passed.*/\1/')
	f=$(echo "$line" | sed 's/.* \([0-9]*\) failed.*/\1/')
	s=$(echo "$line" | sed -n 's/.* \([0-9]*\) skipped.*/\1/p')
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + ${s:-0}))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $name exited $rc"
		failed=$((failed + 1))
	fi
done

echo "== total"
echo "$skipped skipped (a third-party client not installed)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
