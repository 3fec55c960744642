#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#
# fetch.sh OUT: download the Debian packages listed in
# tests/deps.d/exe_samples.pkgs with a private apt configuration (own
# sources, lists and cache under OUT/apt; /etc/apt is never touched),
# unpack each into OUT/SUITE/PACKAGE/, and make renamed and stripped copies
# in OUT/derived/. Nothing is installed or executed. Any failure exits
# non-zero with the reason: the unit test that needs these files must fail,
# not pass without them. Runs again only when the list or this script change.
set -euo pipefail
out=${1:?usage: fetch.sh OUT}
here=$(cd "$(dirname "$0")" && pwd)
list=$here/../deps.d/exe_samples.pkgs
mkdir -p "$out"
out=$(cd "$out" && pwd)
stamp=$out/.stamp
want=$(cat "$list" "$0" | sha256sum | cut -d' ' -f1)
if [ -e "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
	touch "$stamp"
	exit 0
fi
rm -f "$stamp"

fail() {
	echo "exe-samples: $*" >&2
	exit 1
}
for tool in apt-get dpkg-deb strip objcopy; do
	command -v "$tool" >/dev/null || fail "$tool is missing (make deps)"
done
[ -r /usr/share/keyrings/debian-archive-keyring.gpg ] ||
	fail "no /usr/share/keyrings/debian-archive-keyring.gpg (package debian-archive-keyring)"

arch=$(dpkg --print-architecture)
apt_dir=$out/apt
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/parts" \
	"$apt_dir/prefs" "$out/debs"
apt_opts=(
	-o "Dir::Etc::sourcelist=$here/sources.list"
	-o "Dir::Etc::sourceparts=$apt_dir/parts"
	-o "Dir::Etc::preferencesparts=$apt_dir/prefs"
	-o "Dir::State::Lists=$apt_dir/lists"
	-o "Dir::Cache=$apt_dir/cache"
	-o "APT::Architecture=$arch"
	-o "APT::Architectures::=$arch"
	-o "Acquire::Languages=none"
	-o "APT::Sandbox::User=root"
	-q
)
[ "$(id -u)" -eq 0 ] || apt_opts+=(-o "APT::Sandbox::User=$(id -un)")
echo "exe-samples: updating private apt lists" >&2
apt-get "${apt_opts[@]}" update >"$apt_dir/update.log" 2>&1 || {
	cat "$apt_dir/update.log" >&2
	fail "apt-get update failed (network or mirror)"
}

# One apt-get call per suite: each call loads apt's cache (seconds).
declare -A by_suite=()
while read -r suite pkg _; do
	case "$suite" in '' | '#'*) continue ;; esac
	[ -n "$pkg" ] || fail "$list: line without a package: $suite"
	by_suite[$suite]+=" $pkg"
done <"$list"
rm -rf "$out/debs"
n=0
for suite in "${!by_suite[@]}"; do
	read -r -a pkgs <<<"${by_suite[$suite]}"
	mkdir -p "$out/debs/$suite"
	if ! (cd "$out/debs/$suite" && apt-get "${apt_opts[@]}" download "${pkgs[@]/%//$suite}") \
		>"$apt_dir/download.log" 2>&1; then
		cat "$apt_dir/download.log" >&2
		fail "download from $suite failed"
	fi
	for pkg in "${pkgs[@]}"; do
		deb=$(ls "$out/debs/$suite/${pkg}_"*.deb 2>/dev/null | head -n1)
		[ -n "$deb" ] || fail "no .deb for $pkg from $suite"
		rm -rf "${out:?}/$suite/$pkg"
		mkdir -p "$out/$suite/$pkg"
		dpkg-deb -x "$deb" "$out/$suite/$pkg" || fail "cannot unpack $deb"
		n=$((n + 1))
	done
done

# Renamed, stripped and de-noted copies: what an attacker's copy looks like.
# SOURCE (under OUT) and the name it gets; the unit test knows what each is.
derived=$out/derived
rm -rf "$derived"
mkdir -p "$derived"
first() {
	local p
	for p in "$@"; do
		[ -f "$out/$p" ] && {
			echo "$out/$p"
			return 0
		}
	done
	fail "none of: $*"
}
derive() {
	local src=$1 name=$2
	cp "$src" "$derived/$name"
	strip --strip-all -o "$derived/$name.stripped" "$src" || fail "strip $src"
	objcopy --remove-section=.comment --remove-section=.note.gnu.build-id \
		--remove-section=.gnu_debuglink --remove-section=.gnu_debugaltlink \
		"$derived/$name.stripped" "$derived/$name.nonotes" || fail "objcopy $src"
}
derive "$(first bookworm/bash/bin/bash bookworm/bash/usr/bin/bash)" kworker
derive "$(first bookworm/dash/bin/dash bookworm/dash/usr/bin/dash)" worker
derive "$(first bookworm/busybox-static/bin/busybox bookworm/busybox-static/usr/bin/busybox)" \
	healthcheck
derive "$(first bookworm/zsh-static/bin/zsh-static bookworm/zsh-static/usr/bin/zsh-static)" \
	node
derive "$(first bookworm/mksh/usr/lib/x86_64-linux-musl/bin/mksh \
	bookworm/mksh/usr/lib/klibc/bin/mksh bookworm/mksh/bin/mksh)" agent
derive "$(first bookworm/coreutils/bin/ls bookworm/coreutils/usr/bin/ls)" sh

echo "$want" >"$stamp"
echo "exe-samples: $n packages in $out" >&2
