#!/bin/sh
# The sources pass cppcheck and shellcheck (make lint-cppcheck and
# make lint-shellcheck) when those are installed; .ci/run installs both.
# Once per make check: the sanitizer pass lints the same sources.
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/../../scripts/lib.sh"

# lint TOOL: run make's lint-TOOL target, its findings shown on failure.
lint() {
	if ! have "$1"; then
		skip "$1" "not installed (sudo apt-get install -y $1)"
	elif [ -n "${SANITIZE:-}" ]; then
		skip "$1" "run by the pass on the plain build"
	elif (cd "$TOP" && ${MAKE:-make} -s --no-print-directory \
	    "lint-$1") >"$T_TMP/$1.out" 2>&1; then
		ok "$1: no finding"
	else
		not_ok "$1" "findings:"
		sed 's/^/    /' "$T_TMP/$1.out"
	fi
}

lint cppcheck
lint shellcheck
finish
