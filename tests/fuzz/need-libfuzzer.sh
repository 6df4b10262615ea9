#!/bin/sh
# Make sure clang can build a libFuzzer target with ASan and UBSan
# ($FUZZ_CC, default clang; Debian ships the runtime in libclang-rt-N-dev).
# Installs what is missing with apt-get when we may (root or passwordless
# sudo); otherwise says what to run and exits 1 (make fuzz then falls back
# to the plain driver).
set -eu

cc=${FUZZ_CC:-clang}

have_libfuzzer() {
	command -v "$cc" >/dev/null 2>&1 || return 1
	t=$(mktemp -d "${TMPDIR:-/tmp}/forkd-fuzzcc.XXXXXX")
	printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
	    'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);' \
	    'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)' \
	    '{ (void)d; (void)n; return 0; }' >"$t/t.c"
	r=0
	"$cc" -fsanitize=fuzzer,address,undefined -o "$t/t" "$t/t.c" \
	    >/dev/null 2>&1 || r=1
	rm -rf "$t"
	return "$r"
}

have_libfuzzer && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
	echo "make fuzz needs $cc with libFuzzer (compiler-rt); install them" \
	    "with your package manager."
	exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
	run=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	run="sudo"
else
	echo "make fuzz needs $cc with libFuzzer. Install it with:"
	if command -v "$cc" >/dev/null 2>&1; then
		echo "    sudo apt-get install -y" \
		    "libclang-rt-$("$cc" -dumpversion | cut -d. -f1)-dev"
	else
		echo "    sudo apt-get install -y clang libclang-rt-dev"
	fi
	exit 1
fi
$run apt-get update -qq >/dev/null
if ! command -v "$cc" >/dev/null 2>&1; then
	echo "Installing clang: $run apt-get install -y clang"
	DEBIAN_FRONTEND=noninteractive $run apt-get install -y -qq clang >/dev/null
fi
if ! major=$("$cc" -dumpversion 2>/dev/null | cut -d. -f1) || [ -z "$major" ]; then
	echo "make fuzz: no $cc to build libFuzzer targets with."
	exit 1
fi
echo "Installing libFuzzer: $run apt-get install -y libclang-rt-$major-dev"
DEBIAN_FRONTEND=noninteractive $run apt-get install -y -qq \
    "libclang-rt-$major-dev" >/dev/null || true
if ! have_libfuzzer; then
	echo "$cc still cannot link -fsanitize=fuzzer (on older releases the"
	echo "runtime is in libclang-common-$major-dev)."
	exit 1
fi
