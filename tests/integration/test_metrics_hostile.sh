#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# No client can stall the metrics and health server (issue 16): while 200
# idle, 50 slow (a request one byte a second) and 20 oversized (an endless
# header) connections are held open and reopened as the server drops them,
# every /healthz must answer 200 within 100 ms and /metrics must stay right.
# Loopback only; the hostile load is bounded in time and connections
# (tests/deploy/hostile_clients.py).
. "$(dirname "$0")/lib.sh"
[ -x /usr/bin/python3 ] || skip "python3 is missing (make deps)"
port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
start_daemon --metrics-addr "127.0.0.1:$port"
make_image
prun "$IMAGE" /bin/sh -c 'true hostile-metrics-marker' || fail "podman run failed"
wait_alert '(.output_fields."proc.cmdline" | contains("hostile-metrics-marker"))' >/dev/null ||
	fail "no alert to count"

/usr/bin/python3 "$ROOT/tests/deploy/hostile_clients.py" "$port" --idle 200 --slow 50 --big 20 \
	--seconds 8 >"$T/hostile.json" || die "the hostile client failed"
n=$(jq '.health | length' "$T/hostile.json")
slowest=$(jq '[.health[] | .[1]] | max' "$T/hostile.json")
median=$(jq '[.health[] | .[1]] | sort | .[length / 2 | floor]' "$T/hostile.json")
[ "$n" -ge 20 ] || fail "only $n health probes ran"
bad=$(jq -c '[.health[] | select(.[0] != 200 or .[1] >= 100)]' "$T/hostile.json")
[ "$bad" = "[]" ] || fail "/healthz not 200 within 100 ms under hostile clients: $bad"
badm=$(jq -c '[.metrics[] | select(.[0] != 200)]' "$T/hostile.json")
[ "$badm" = "[]" ] || fail "/metrics failed under hostile clients: $badm"
jq -r .metrics_body "$T/hostile.json" >"$T/metrics.txt"
grep -q '^shellsentry_attached 1$' "$T/metrics.txt" || fail "/metrics: not attached"
grep -q '^shellsentry_alerts_total{rule="Detect Shell in Container",priority="Notice"} [1-9]' \
	"$T/metrics.txt" || fail "/metrics: the alert is not counted"
grep -q '^shellsentry_build_info{version="' "$T/metrics.txt" || fail "/metrics: no build info"
kill -0 "$DAEMON_PID" || fail "the daemon died"
[ "$FAILS" -eq 0 ] && ok "$n /healthz under $(jq -c .held "$T/hostile.json") held connections" \
	"($(jq .opened "$T/hostile.json") opened): median $median ms, slowest $slowest ms; /metrics right"
stop_daemon || fail "exit status non-zero on SIGTERM"
finish
