#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Makes a Debian 12 (bookworm) base image root file system as a tarball, for
# building deploy/Dockerfile where no image registry is reachable:
#   tests/deploy/base.sh ARCH OUT.tar      (ARCH: amd64, arm64; root)
# debootstrap --variant=minbase from the Debian mirror apt uses here. A
# tarball already at OUT.tar and younger than BASE_MAX_AGE_DAYS (default 7)
# is kept: within one CI run (a fresh clone) it is made once. A foreign ARCH
# needs qemu-user-static registered with binfmt_misc.
# Import: docker import OUT.tar NAME / podman import OUT.tar NAME.
set -euo pipefail
arch=${1:?usage: base.sh ARCH OUT.tar}
out=${2:?usage: base.sh ARCH OUT.tar}
suite=bookworm
max_age=${BASE_MAX_AGE_DAYS:-7}

if [ -s "$out" ] && [ -n "$(find "$out" -mtime -"$max_age" 2>/dev/null)" ]; then
	exit 0
fi
command -v debootstrap >/dev/null || { echo "base.sh: debootstrap is not installed (make deps)" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || { echo "base.sh: debootstrap needs root" >&2; exit 1; }
# shellcheck disable=SC2016 # $(REPO_URI) is apt's format, not the shell's
mirror=$(apt-get indextargets --format '$(REPO_URI)' 'Created-By: Packages' "Codename: $suite" \
	'Component: main' 2>/dev/null | head -n 1)
mirror=${mirror:-http://deb.debian.org/debian/}
mkdir -p "$(dirname "$out")"
dir=$(mktemp -d "$(dirname "$out")/base-$arch.XXXXXX")
trap 'rm -rf "$dir"' EXIT
echo "base.sh: debootstrap $suite $arch from $mirror" >&2
if ! debootstrap --variant=minbase --arch="$arch" "$suite" "$dir/root" "$mirror" \
	>"$dir/debootstrap.log" 2>&1; then
	tail -n 20 "$dir/debootstrap.log" >&2
	[ -f "$dir/root/debootstrap/debootstrap.log" ] && tail -n 20 "$dir/root/debootstrap/debootstrap.log" >&2
	echo "base.sh: debootstrap failed" >&2
	exit 1
fi
# What a registry's image leaves out: package lists and downloaded packages.
rm -rf "$dir"/root/var/lib/apt/lists/* "$dir"/root/var/cache/apt/archives/*.deb \
	"$dir"/root/var/cache/apt/*.bin
tar -C "$dir/root" --numeric-owner -cf "$dir/base.tar" .
mv "$dir/base.tar" "$out"
