#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Installs Debian packages by name, only those missing, from tests/deps.d/*.list
# (one package a line; `a|b` is satisfied by either, and installs the first
# that apt can find).
#   tests/deps.sh        everything: build, run, tests, benchmarks (make deps, make test)
#   tests/deps.sh run    only what building and running need: build.list (make run)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
case ${1:-all} in
run) lists=("$here/deps.d/build.list") ;;
all) lists=("$here"/deps.d/*.list) ;;
*) echo "usage: tests/deps.sh [run|all]" >&2; exit 2 ;;
esac

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'; }

missing=()
for f in "${lists[@]}"; do
	[ -e "$f" ] || continue
	while read -r p _; do
		case "$p" in '' | '#'*) continue ;; esac
		have=0
		IFS='|' read -r -a alts <<<"$p"
		for a in "${alts[@]}"; do installed "$a" && have=1 && break; done
		[ $have -eq 1 ] || missing+=("$p")
	done <"$f"
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages: ${missing[*]} (run 'make deps' as root)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
pkgs=()
for p in "${missing[@]}"; do
	IFS='|' read -r -a alts <<<"$p"
	pick=
	for a in "${alts[@]}"; do
		if apt-cache show --no-all-versions "$a" >/dev/null 2>&1; then
			pick=$a
			break
		fi
	done
	[ -n "$pick" ] || { echo "deps: no package available for $p" >&2; exit 1; }
	pkgs+=("$pick")
done
echo "deps: installing ${pkgs[*]}" >&2
apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
