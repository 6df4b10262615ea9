#!/bin/sh
# Make sure the Check unit-test library is there (pkg-config check), and
# valgrind for make check's memcheck pass.  Installs what is missing with
# apt-get when we may (root or passwordless sudo).  Without Check, stops
# with the exact command to run; without valgrind, make check goes on
# without its memcheck pass, and this says so.
set -u

have_check() {
	command -v pkg-config >/dev/null 2>&1 && pkg-config --exists check
}
have_valgrind() {
	command -v valgrind >/dev/null 2>&1
}

have_check && have_valgrind && exit 0

run=none
if command -v apt-get >/dev/null 2>&1; then
	if [ "$(id -u)" -eq 0 ]; then
		run=""
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
		run=sudo
	fi
fi

# install PACKAGE...: apt-get install, quietly; false if it could not.
install() {
	[ "$run" != none ] || return 1
	echo "Installing what make check needs: ${run:+$run }apt-get install -y $*"
	# shellcheck disable=SC2086 # run is empty or "sudo"
	$run apt-get update -qq >/dev/null 2>&1
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive $run apt-get install -y -qq "$@" \
	    >/dev/null 2>&1
}

if ! have_check && ! { install check pkg-config && have_check; }; then
	if command -v apt-get >/dev/null 2>&1; then
		echo "make check needs the Check library. Install it with:"
		echo "    sudo apt-get install -y check pkg-config"
	else
		echo "make check needs the Check library (https://libcheck.github.io/check/)"
		echo "and pkg-config; install them with your package manager."
	fi
	exit 1
fi
if ! have_valgrind && ! { install valgrind && have_valgrind; }; then
	echo "valgrind is not installed: make check runs without its memcheck" \
	    "pass (sudo apt-get install -y valgrind)"
fi
exit 0
