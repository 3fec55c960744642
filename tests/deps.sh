#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Installs the Debian packages that build, tests and benchmarks need, by name,
# only those missing. Feature fragments may list more in tests/deps.d/*.list.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
pkgs=(
	clang llvm make pkg-config bpftool libbpf-dev libelf-dev zlib1g-dev
	libyaml-dev libjson-c-dev libcurl4-openssl-dev libcap-dev libcmocka-dev
	podman runc busybox-static bash-static jq curl util-linux procps iproute2 bsdutils
	libbpf-tools docker.io containerd
)
for f in "$here"/deps.d/*.list; do
	[ -e "$f" ] || continue
	while read -r p _; do
		case "$p" in ''|'#'*) ;; *) pkgs+=("$p") ;; esac
	done <"$f"
done
missing=()
for p in "${pkgs[@]}"; do
	case "$p" in '#'*) continue ;; esac
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages: ${missing[*]} (run 'make deps' as root)" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
