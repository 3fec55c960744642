#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Checks the deployment files that the unit tests cannot: the systemd unit
# (systemd-analyze verify when available, else a syntax check) and the man
# page (groff warnings). Usage: deploy/check-deploy.sh [path/to/shellsentry]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-/bin/true}
[ -x "$bin" ] || bin=/bin/true
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

unit=$here/systemd/shellsentry.service
# verify needs ExecStart to exist; check the unit as installed, pointing at bin.
sed "s|^ExecStart=/usr/local/sbin/shellsentry|ExecStart=$(realpath "$bin")|" "$unit" \
	>"$tmp/shellsentry.service"
if command -v systemd-analyze >/dev/null; then
	# verify exits 0 on unknown keys and bad values, so any message is a failure.
	if ! out=$(systemd-analyze verify --man=no "$tmp/shellsentry.service" 2>&1) || [ -n "$out" ]; then
		echo "check-deploy: systemd-analyze verify: ${out:-failed}" >&2
		fail=1
	fi
else
	section=
	while IFS= read -r line; do
		case "$line" in
		''|'#'*) ;;
		'['*']') section=$line ;;
		*=*) [ -n "$section" ] || { echo "check-deploy: key outside a section: $line" >&2; fail=1; } ;;
		*) echo "check-deploy: not Key=Value: $line" >&2; fail=1 ;;
		esac
	done <"$unit"
	grep -q '^ExecStart=' "$unit" || { echo "check-deploy: no ExecStart" >&2; fail=1; }
fi

if command -v groff >/dev/null; then
	if out=$(groff -man -ww -z "$here/man/shellsentry.8" 2>&1) && [ -z "$out" ]; then :; else
		echo "check-deploy: man page: $out" >&2
		fail=1
	fi
fi
[ $fail -eq 0 ] && echo "check-deploy: systemd unit and man page ok"
exit $fail
