#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Runs each cmocka unit-test binary given; prints one closing tally line.
set -u
pass=0 fail=0
failed=()
for t in "$@"; do
	if "$t"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		failed+=("$(basename "$t")")
	fi
done
[ $fail -eq 0 ] || echo "unit: failed: ${failed[*]}" >&2
echo "unit: $pass passed, $fail failed"
[ $fail -eq 0 ]
