#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#
# For a cross-built driver: downloads the static libraries it links (libbpf,
# libelf, zlib, zstd) and busybox-static for ARCH through the private apt
# configuration and extracts them into $OUT/sysroot-ARCH. Nothing is
# installed on the host. Reused when present.
#
# usage: sysroot.sh OUT ARCH
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: sysroot.sh OUT ARCH}
arch=${2:?usage: sysroot.sh OUT ARCH}
mkdir -p "$out"
out=$(cd "$out" && pwd)
root=$out/sysroot-$arch
pkgs=(libbpf-dev libelf-dev zlib1g-dev libzstd-dev busybox-static)

[ -e "$root/.done" ] && [ "${KERNELS_REFRESH:-0}" != 1 ] && exit 0

# shellcheck source=tests/kernels/apt.sh
. "$here/apt.sh"
kapt_init "$out" "$arch"
rm -rf "$root" "$apt_dir/debs-$arch"
mkdir -p "$root"
for p in "${pkgs[@]}"; do
	echo "kernels: downloading $p ($arch)" >&2
	deb=$(kapt_download "$apt_dir/debs-$arch" "$p")
	dpkg-deb -x "$deb" "$root"
done
rm -rf "$apt_dir/debs-$arch"
touch "$root/.done"
