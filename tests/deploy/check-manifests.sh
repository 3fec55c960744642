#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Renders deploy/kubernetes and each deploy/overlays/* with `kubectl kustomize`
# and checks what would be applied (tests/deploy/check_manifests.py): schema
# of every object, references between them, and the shipped config and local
# rules loaded by the daemon in the image's file layout. No cluster, no root.
# Usage: tests/deploy/check-manifests.sh [path/to/shellsentry]
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${1:-build/shellsentry}
py=/usr/bin/python3

die() {
	echo "check-manifests: $*" >&2
	exit 1
}
[ -x "$bin" ] || die "$bin is not built"
command -v kubectl >/dev/null || die "kubectl is missing (make deps: kubectl or kubernetes-client)"
"$py" -c 'import yaml, kubernetes.client' 2>/dev/null ||
	die "$py lacks yaml or kubernetes (make deps: python3-yaml python3-kubernetes)"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The image's file layout, installed as deploy/Dockerfile installs it.
make --no-print-directory -s install PREFIX=/usr SYSCONFDIR=/etc DESTDIR="$tmp/stage" >/dev/null

# kustomize v4 (kubectl 1.21) or newer renders overlays; Debian's kubectl 1.20
# (kustomize v2) renders only the base.
minor=$(kubectl version --client -o json 2>/dev/null | sed -n 's/.*"minor": *"\([0-9]*\).*/\1/p')
rendered=()
for k in deploy/kubernetes deploy/overlays/*/; do
	k=${k%/}
	name=${k#deploy/}
	out=$tmp/${name//\//_}.yaml
	if ! kubectl kustomize "$k" >"$out" 2>"$tmp/err"; then
		if [ "$k" != deploy/kubernetes ] && [ "${minor:-0}" -lt 21 ]; then
			echo "check-manifests: SKIP $k: kubectl 1.${minor:-?} is too old to render it" >&2
			continue
		fi
		die "kubectl kustomize $k: $(cat "$tmp/err")"
	fi
	rendered+=("$name=$out")
done
"$py" tests/deploy/check_manifests.py --root . --bin "$bin" --stage "$tmp/stage" "${rendered[@]}"
