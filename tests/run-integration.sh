#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Runs tests/integration/test_*.sh. Each script exits 0 (pass), 77 (skip,
# with its reason on stderr) or anything else (fail). Root is needed for
# real BPF and containers; without it every script is skipped and counted.
set -u
cd "$(dirname "$0")/.."
pass=0 fail=0 skip=0
failed=()
only=${INTEGRATION:-}
for t in tests/integration/test_*.sh; do
	name=$(basename "$t" .sh)
	[ -n "$only" ] && [[ ",$only," != *",$name,"* ]] && continue
	if [ "$(id -u)" -ne 0 ]; then
		echo "SKIP $name: integration tests need root (real BPF and containers)" >&2
		skip=$((skip + 1))
		continue
	fi
	echo "== $name" >&2
	start=$(date +%s)
	bash "$t"
	rc=$?
	took=$(($(date +%s) - start))
	case $rc in
	0) pass=$((pass + 1)); echo "PASS $name (${took}s)" >&2 ;;
	77) skip=$((skip + 1)); echo "SKIP $name (${took}s)" >&2 ;;
	*) fail=$((fail + 1)); failed+=("$name"); echo "FAIL $name (rc=$rc, ${took}s)" >&2 ;;
	esac
done
[ $fail -eq 0 ] || echo "integration: failed: ${failed[*]}" >&2
echo "integration: $pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
