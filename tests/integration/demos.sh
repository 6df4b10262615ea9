#!/bin/sh
# Every scripts/demo-* runs unattended in quiet mode (-q), where it
# asserts the outcome it narrates otherwise.
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/../../scripts/lib.sh"

for demo in "$TOP"/scripts/demo-*; do
	name=$(basename "$demo")
	if timeout 120 sh "$demo" -q >"$T_TMP/$name.out" 2>&1; then
		ok "$name -q: $(tail -n 1 "$T_TMP/$name.out")"
	else
		not_ok "$name -q" "exit $?"
		sed 's/^/    /' "$T_TMP/$name.out"
	fi
done
finish
