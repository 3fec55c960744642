#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# `make run` as a user runs it: in a fresh copy of the sources (so there is a
# build, with compile lines), then the detector. Its stdout must be nothing but
# JSON alerts (`make run | jq` or `| shellsentry analyze -` must not choke on
# build output); the build and the command line go to stderr.
. "$(dirname "$0")/lib.sh"

command -v git >/dev/null || skip "git is needed to copy the sources"
make_image
mkdir "$T/src"
(cd "$ROOT" && git ls-files -co --exclude-standard -z | tar --null -T - -cf -) | tar -C "$T/src" -xf - ||
	die "copying the sources failed"
setsid make --no-print-directory -C "$T/src" run ARGS="--metrics-addr ''" \
	>"$T/alerts.json" 2>"$T/daemon.err" &
MPID=$!
CLEANUPS=("kill -TERM -- -$MPID" "${CLEANUPS[@]}")
for _ in $(seq 1200); do
	grep -q 'shellsentry: attached' "$T/daemon.err" && break
	kill -0 "$MPID" 2>/dev/null || { cat "$T/daemon.err" >&2; die "make run exited"; }
	sleep 0.1
done
grep -q 'shellsentry: attached' "$T/daemon.err" || { tail "$T/daemon.err" >&2; die "make run did not attach"; }

prun "$IMAGE" /bin/sh -c 'true make-run-marker' || fail "podman run failed"
wait_alert '(.output_fields."proc.cmdline" | contains("make-run-marker"))' >/dev/null ||
	fail "no alert on make run's stdout"
kill -TERM -- -"$MPID"
wait "$MPID"

grep -q ' CC ' "$T/daemon.err" || fail "no compile line on stderr (was the build skipped?)"
grep -q "^\./build/shellsentry --metrics-addr" "$T/daemon.err" ||
	fail "the command line is not on stderr"
lines=$(wc -l <"$T/alerts.json")
bad=$(jq -R -c 'fromjson? // "NOT JSON" | if type == "object" and has("rule") and has("output_fields")
	then empty else . end' "$T/alerts.json" | head -3)
[ -z "$bad" ] || fail "stdout has lines that are not alerts: $bad"
[ "$lines" -gt 0 ] || fail "stdout is empty"
[ "$FAILS" -eq 0 ] && ok "make run: $lines stdout lines, every one a JSON alert; build output on stderr"
finish
