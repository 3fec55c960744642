#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Every C source and header of the tree (but the generated vmlinux.h) is as
# clang-format writes it with the repository's .clang-format. `make format`
# rewrites them. Needs clang-format (tests/deps.d/format.list); the style was
# fixed with Debian's clang-format 14, so another major version may disagree.
set -u
cd "$(dirname "$0")/.."
command -v clang-format >/dev/null || { echo "format-check: clang-format missing (make deps)" >&2; exit 1; }
ver=$(clang-format --version | grep -o 'version [0-9]*' | grep -o '[0-9]*$')
[ "$ver" = 14 ] || echo "format-check: clang-format $ver (the style is pinned with 14)" >&2
bad=()
while IFS= read -r f; do
	clang-format --style=file --dry-run -Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done < <(git ls-files '*.c' '*.h' | grep -v '^vmlinux/')
if [ ${#bad[@]} -gt 0 ]; then
	echo "format-check: not formatted (run 'make format'): ${bad[*]}" >&2
	exit 1
fi
echo "format-check: $(git ls-files '*.c' '*.h' | grep -vc '^vmlinux/') files formatted"
