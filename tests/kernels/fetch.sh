#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#
# Downloads the Debian cloud kernels of the matrix and extracts their vmlinuz
# into $OUT/<arch>/<tag>/. Uses a private apt configuration (own sources list,
# lists and cache under $OUT/apt) so /etc/apt is never touched. A kernel
# already extracted is reused without any network access; KERNELS_REFRESH=1
# looks for newer packages.
#
# usage: fetch.sh OUT ARCH [TAG...]     (ARCH: amd64 | arm64)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: fetch.sh OUT ARCH [TAG...]}
arch=${2:?usage: fetch.sh OUT ARCH [TAG...]}
shift 2
mkdir -p "$out"
out=$(cd "$out" && pwd)

want_tag() {
	local t
	[ $# -gt 1 ] || return 0
	for t in "${@:2}"; do [ "$t" = "$1" ] && return 0; done
	return 1
}

# tag<TAB>regex lines, arch substituted
mapfile -t entries < <(sed -e '/^#/d' -e '/^$/d' -e "s/@ARCH@/$arch/" "$here/kernels.list")

todo=()
for e in "${entries[@]}"; do
	tag=${e%%$'\t'*}
	want_tag "$tag" "$@" || continue
	# modules.done: the overlay module (for its BTF) was extracted too (issue 14)
	if [ -s "$out/$arch/$tag/vmlinuz" ] && [ -e "$out/$arch/$tag/modules.done" ] &&
		[ "${KERNELS_REFRESH:-0}" != 1 ]; then
		continue
	fi
	todo+=("$e")
done
[ ${#todo[@]} -eq 0 ] && exit 0

# shellcheck source=tests/kernels/apt.sh
. "$here/apt.sh"
kapt_init "$out" "$arch"

names=$(apt-cache "${apt_opts[@]}" pkgnames linux-image- 2>/dev/null | sort -rV)
debs=()
tags=()
for e in "${todo[@]}"; do
	tag=${e%%$'\t'*}
	re=${e#*$'\t'}
	# Highest version first; a mirror may lack the newest file (404), so
	# fall back to the next one rather than fail the whole matrix.
	deb=
	for pkg in $(grep -E "$re" <<<"$names" || true); do
		echo "kernels: downloading $pkg" >&2
		deb=$(kapt_download "$apt_dir/debs" "$pkg") && break
	done
	if [ -z "$deb" ]; then
		echo "kernels: no package matching $re could be downloaded" >&2
		exit 1
	fi
	debs+=("$deb")
	tags+=("$tag")
done

for i in "${!debs[@]}"; do
	deb=${debs[$i]}
	tag=${tags[$i]}
	dir=$out/$arch/$tag
	tmp=$dir.tmp
	rm -rf "$tmp"
	mkdir -p "$tmp"
	dpkg-deb --fsys-tarfile "$deb" |
		tar -x -C "$tmp" --wildcards './boot/vmlinuz-*' './boot/config-*' \
			'*/kernel/fs/overlayfs/overlay.ko*'
	mv "$tmp"/boot/vmlinuz-* "$tmp/vmlinuz"
	mv "$tmp"/boot/config-* "$tmp/config"
	rmdir "$tmp/boot"
	# overlayfs as a module: its BTF (struct ovl_inode) is what the identity
	# step's CO-RE reads relocate against; the driver loads it (modules/RELEASE/)
	ko=$(find "$tmp" -path '*/fs/overlayfs/overlay.ko*' | head -n1)
	if [ -n "$ko" ]; then
		rel=$(sed -n 's#.*/modules/\([^/]*\)/kernel/.*#\1#p' <<<"$ko")
		mkdir -p "$tmp/modules/$rel"
		case $ko in
		*.xz) xz -dc "$ko" >"$tmp/modules/$rel/overlay.ko" ;;
		*.zst) zstd -qdc "$ko" >"$tmp/modules/$rel/overlay.ko" ;;
		*) cp "$ko" "$tmp/modules/$rel/overlay.ko" ;;
		esac
	fi
	rm -rf "$tmp/lib" "$tmp/usr"
	touch "$tmp/modules.done"
	dpkg-deb -f "$deb" Package Version >"$tmp/package"
	rm -rf "$dir"
	mv "$tmp" "$dir"
	# The .deb is not needed any more; the extracted kernel is the cache.
	rm -f "$deb"
	echo "kernels: $tag <- $(basename "$deb")" >&2
done
