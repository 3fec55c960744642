#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Operations on the real daemon: output file reopen on SIGHUP (logrotate), file
# mode, no child processes (it never alerts on itself because it spawns none),
# capabilities after attach read from /proc/<pid>/status.
. "$(dirname "$0")/lib.sh"
command -v unshare >/dev/null || skip "unshare missing"

out=$T/out.json
port=$((20000 + $$ % 20000))
start_daemon --hostname ops-node --output "$out" --metrics-addr "127.0.0.1:$port" --stats-interval 1

# An exec in a new pid namespace is a container exec for the kernel filter.
shell_in_ns() { unshare --pid --fork /bin/sh -c "/bin/sh -c 'true $1'"; }
R='.rule == "Detect Shell in Container"'

shell_in_ns ops-first
a=$(wait_alert "$R and (.output_fields.\"proc.cmdline\" | contains(\"ops-first\"))") ||
	fail "no alert for the first shell"
grep -q 'ops-first' "$out" || fail "first alert not in the output file"
[ "$(stat -c %a "$out")" = 640 ] || fail "output file mode $(stat -c %a "$out"), want 640"

# logrotate: rename, SIGHUP, the daemon opens a new file by the old name.
mv "$out" "$out.1"
kill -HUP "$DAEMON_PID"
for _ in $(seq 100); do [ -e "$out" ] && break; sleep 0.05; done
[ -e "$out" ] || fail "output file not reopened after SIGHUP"
shell_in_ns ops-second
wait_alert "$R and (.output_fields.\"proc.cmdline\" | contains(\"ops-second\"))" >/dev/null ||
	fail "no alert for the second shell"
for _ in $(seq 100); do grep -q ops-second "$out" 2>/dev/null && break; sleep 0.05; done
grep -q ops-second "$out" 2>/dev/null || fail "alert after SIGHUP not in the new file"
grep -q ops-second "$out.1" && fail "alert after SIGHUP went to the rotated file"
grep -q ops-first "$out.1" || fail "rotated file lost its alert"
[ "$FAILS" -eq 0 ] && ok "output file reopen on SIGHUP"

# Metrics and health of the running daemon (counters refresh every second).
if command -v curl >/dev/null; then
	for _ in $(seq 60); do
		m=$(curl -fsS "http://127.0.0.1:$port/metrics" 2>/dev/null)
		grep -q 'shellsentry_alerts_total{.*rule="Detect Shell in Container".*} [2-9]' <<<"$m" && break
		sleep 0.05
	done
	grep -q 'shellsentry_alerts_total{.*rule="Detect Shell in Container".*} [2-9]' <<<"$m" ||
		fail "metrics lack the two alerts: $(grep alerts_total <<<"$m")"
	grep -Eq '^shellsentry_execs_seen_total [1-9]' <<<"$m" || fail "metrics: no execs seen"
	grep -Eq '^shellsentry_attached 1' <<<"$m" || fail "metrics: not attached"
	[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz")" = 200 ] ||
		fail "/healthz is not 200 on a healthy daemon"
	[ "$FAILS" -eq 0 ] && ok "metrics scraped, /healthz 200"
else
	fail "curl missing (make deps)"
fi
for _ in $(seq 60); do grep -q 'shellsentry: stats: execs=' "$T/daemon.err" && break; sleep 0.05; done
grep -q 'shellsentry: stats: execs=' "$T/daemon.err" && ok "--stats-interval prints counters" ||
	fail "--stats-interval printed nothing"

# It spawns nothing, so none of its own execs can reach the rules.
kids=$(pgrep -P "$DAEMON_PID" || true)
[ -z "$kids" ] && ok "daemon has no child processes" || fail "daemon children: $kids"

# Capabilities of the running daemon after attach. The daemon logs privdrop's
# summary ("... kept cap_...; bounding set ..."); until it does, say so loudly.
if ! grep -q 'kept cap_' "$T/daemon.err"; then
	echo "NOTE: the daemon does not log a privilege drop yet (privdrop_default not wired);" \
		"capability check not run" >&2
	[ "$FAILS" -eq 0 ] || exit 1
	exit 0
fi
st=/proc/$DAEMON_PID/status
eff=$(awk '/^CapEff:/ { print $2 }' "$st")
bnd=$(awk '/^CapBnd:/ { print $2 }' "$st")
nnp=$(awk '/^NoNewPrivs:/ { print $2 }' "$st")
want=$(printf '%016x' $(((1 << 19) | (1 << 2)))) # CAP_SYS_PTRACE | CAP_DAC_READ_SEARCH
echo "daemon: CapEff=$eff CapBnd=$bnd NoNewPrivs=$nnp" >&2
if [ "$eff" = "$want" ] && [ "$bnd" = "$want" ] && [ "$nnp" = 1 ]; then
	ok "capabilities after attach: cap_sys_ptrace,cap_dac_read_search; no_new_privs"
else
	fail "capabilities after attach: CapEff=$eff CapBnd=$bnd NoNewPrivs=$nnp, want $want/$want/1"
fi

[ "$FAILS" -eq 0 ] || exit 1
