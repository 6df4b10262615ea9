#!/bin/sh
# Make sure the Check unit-test library is there (pkg-config check), and
# valgrind for make check's memcheck pass.  Installs what is missing with
# apt-get when we may (root or passwordless sudo); otherwise stops with
# the exact command to run (Check), or lets make check go on without the
# valgrind pass (it says so).
set -eu

have_check() {
	command -v pkg-config >/dev/null 2>&1 && pkg-config --exists check
}
have_valgrind() {
	command -v valgrind >/dev/null 2>&1
}

have_check && have_valgrind && exit 0

pkgs=""
have_check || pkgs="check pkg-config"
have_valgrind || pkgs="${pkgs:+$pkgs }valgrind"
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
	run=""
elif command -v apt-get >/dev/null 2>&1 && command -v sudo >/dev/null 2>&1 &&
    sudo -n true 2>/dev/null; then
	run="sudo"
elif have_check; then
	exit 0
elif command -v apt-get >/dev/null 2>&1; then
	echo "make check needs the Check library. Install it with:"
	echo "    sudo apt-get install -y $pkgs"
	exit 1
else
	echo "make check needs the Check library (https://libcheck.github.io/check/)"
	echo "and pkg-config; install them with your package manager."
	exit 1
fi
echo "Installing what make check needs: $run apt-get install -y $pkgs"
$run apt-get update -qq >/dev/null
# shellcheck disable=SC2086 # one word per package
DEBIAN_FRONTEND=noninteractive $run apt-get install -y -qq $pkgs >/dev/null
have_check
