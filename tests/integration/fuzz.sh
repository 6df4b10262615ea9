#!/bin/sh
# A bounded fuzz pass over the pure decoders (line, frame): each
# tests/fuzz/driver-* runs its seed corpus, then a fixed number of
# pseudo-random inputs from a fixed seed, so the pass is deterministic and
# takes seconds.  make fuzz runs libFuzzer for longer.  FUZZ_DRIVER_DIR
# picks another build of the drivers (make check-asan).
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/../../scripts/lib.sh"

dir=${FUZZ_DRIVER_DIR:-$TOP/tests/fuzz}
iterations=${FUZZ_ITERATIONS:-50000}
crashes=$TOP/build/fuzz/crashes

for src in "$TOP"/tests/fuzz/fuzz_*.c; do
	h=${src##*/fuzz_}
	h=${h%.c}
	if [ ! -x "$dir/driver-$h" ]; then
		not_ok "$h decoder fuzz" "no $dir/driver-$h (make tests/fuzz/driver-$h)"
		continue
	fi
	mkdir -p "$crashes"
	if FUZZ_CRASH_DIR=$crashes "$dir/driver-$h" -n "$iterations" -s 1 \
	    "$TOP/tests/fuzz/corpus/$h"/* >"$T_TMP/$h.out" 2>&1; then
		ok "$h decoder: $(tail -n 1 "$T_TMP/$h.out")"
	else
		not_ok "$h decoder fuzz" "exit $?"
		sed 's/^/    /' "$T_TMP/$h.out"
		# Reported here: lib.sh's sanitizer check need not count it again.
		rm -f "$T_TMP/$h.out"
	fi
done
finish
