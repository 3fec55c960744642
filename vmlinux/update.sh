#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Regenerates the pinned vmlinux.h for this machine's architecture from the
# running kernel's BTF (or a BTF file given as $1). Never run by the build:
# the header is checked in so builds are reproducible; CO-RE relocates at load.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
arch=$(uname -m | sed 's/x86_64/x86/; s/aarch64/arm64/')
btf=${1:-/sys/kernel/btf/vmlinux}
mkdir -p "$here/$arch"
bpftool btf dump file "$btf" format c >"$here/$arch/vmlinux.h.tmp"
mv "$here/$arch/vmlinux.h.tmp" "$here/$arch/vmlinux.h"
echo "wrote $here/$arch/vmlinux.h from $btf ($(uname -r))"
