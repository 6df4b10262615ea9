#!/bin/sh
# Make sure the Check unit-test library is there (pkg-config check).
# Installs it with apt-get when we may (root or passwordless sudo);
# otherwise stops with the exact command to run.
set -eu

have_check() {
	command -v pkg-config >/dev/null 2>&1 && pkg-config --exists check
}

have_check && exit 0

pkgs="check pkg-config"
if ! command -v apt-get >/dev/null 2>&1; then
	echo "make check needs the Check library (https://libcheck.github.io/check/)"
	echo "and pkg-config; install them with your package manager."
	exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
	run=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	run="sudo"
else
	echo "make check needs the Check library. Install it with:"
	echo "    sudo apt-get install -y $pkgs"
	exit 1
fi
echo "Installing the Check library: $run apt-get install -y $pkgs"
$run apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive $run apt-get install -y -qq check pkg-config >/dev/null
have_check
