#!/bin/sh
# Whether $CC (cc) can build and run a program with AddressSanitizer and
# UndefinedBehaviorSanitizer: make check runs its ASan + UBSan pass only
# then (a compiler without libasan or libubsan skips it, and says so).
t=$(mktemp -d "${TMPDIR:-/tmp}/forkd-san.XXXXXX") || exit 1
trap 'rm -rf "$t"' EXIT
echo 'int main(void) { return 0; }' >"$t/probe.c"
${CC:-cc} -fsanitize=address,undefined -o "$t/probe" "$t/probe.c" \
    >/dev/null 2>&1 && "$t/probe" >/dev/null 2>&1
