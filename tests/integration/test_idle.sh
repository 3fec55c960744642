#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Idle cost and wakeups (issue 18), on the real kernel:
# - an idle daemon with metrics, reports and a webhook configured sleeps: at most one
#   wakeup per second and 2.5 ms of CPU per 5 s (voluntary context switches and CPU time
#   of all its threads, /proc/PID/task/*);
# - a metrics request wakes the loop, which refreshes the snapshot (/healthz stays 200);
#   a changed rules file is reloaded after its settle delay (a deadline, not a tick);
# - exactly one event after a quiet spell gives its alert, and so does one event after a
#   burst, with no periodic drain: the quiet window between them has no wakeups, and the
#   safety read found nothing (late_records=0), so the alert came from the ring's wakeup.
# A rule on a name no one else runs keeps other tests' containers out of the kernel filter.
. "$(dirname "$0")/lib.sh"

MARK=ssidlemark # comm of the marker program: a busybox link, its exec is the event
rules=$T/rules.yaml
cat >"$rules" <<YAML
- rule: Idle test marker
  desc: the idle test's marker program in a container
  condition: evt.type in (execve, execveat) and container.id != host and proc.name = $MARK
  output: idle marker %proc.cmdline
  priority: NOTICE
YAML
add_marker() { ln -sf busybox "$1/bin/$MARK"; }
make_image add_marker
cid=$(podman run -d "${PODMAN_FLAGS[@]}" "$IMAGE" /bin/sleep 600) || die "podman run failed"
mark() { podman exec "$cid" "/bin/$MARK" "$@" >/dev/null 2>&1 || true; }

# Voluntary context switches (sleeps that ended: wakeups) and CPU ns of all threads.
wakeups() { cat /proc/"$1"/task/*/status 2>/dev/null | awk '/^voluntary_ctxt_switches/ {s += $2} END {print s + 0}'; }
cpu_ns() { cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{s += $1} END {printf "%.0f\n", s}'; }
# quiet_window PID SECONDS MAX_WAKEUPS MAX_CPU_NS: W and C get the wakeups and CPU ns of
# all the daemon's threads over a window of that length (the sleep is the measurement
# window, not a wait for a condition). Other tests' containers come and go on this machine
# and their cgroups' records wake the daemon: a window over the limits is measured again,
# up to three times. A daemon that ticks fails every window.
W=0 C=0
quiet_window() {
	local i w0 c0
	for i in 1 2 3; do
		w0=$(wakeups "$1"); c0=$(cpu_ns "$1")
		sleep "$2"
		W=$(($(wakeups "$1") - w0)); C=$(($(cpu_ns "$1") - c0))
		[ "$W" -le "$3" ] && [ "$C" -le "$4" ] && return 0
		echo "note: window $i: $W wakeups, $C ns CPU (others' containers?), measuring again" >&2
	done
	return 1
}

# ---- 1. idle, every timer-owning part configured ----
port=$((20000 + ($$ + 7) % 20000))
start_daemon --hostname idle-node --rules "$rules" --metrics-addr "127.0.0.1:$port" \
	--report-dir "$T/reports" --http-url "http://127.0.0.1:9/" --rate 5
quiet_window "$DAEMON_PID" 5 5 2500000 &&
	ok "idle: $W wakeups and $((C / 1000)) us CPU in 5 s (metrics, reports, webhook configured)" ||
	fail "idle daemon: $W wakeups, $C ns CPU in 5 s; want <= 5 and <= 2.5 ms"
threads=$(ls /proc/"$DAEMON_PID"/task | wc -l)
[ "$threads" -ge 3 ] || fail "expected the metrics and webhook threads too, found $threads threads"

# ---- 2. a metrics request refreshes the snapshot on demand ----
if command -v curl >/dev/null; then
	m=$(curl -fsS "http://127.0.0.1:$port/metrics") || fail "metrics not served"
	age=$(awk '/^shellsentry_ringbuf_poll_age_seconds / {print $2}' <<<"$m")
	awk -v a="${age:--1}" 'BEGIN {exit !(a >= 0 && a < 1)}' &&
		ok "metrics: snapshot refreshed on request (poll age $age s after a quiet spell)" ||
		fail "metrics: poll age '$age' after a request, want < 1 s"
	[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz")" = 200 ] ||
		fail "/healthz is not 200 on an idle daemon"
else
	fail "curl missing (make deps)"
fi
# A rules file that changes is reloaded after its settle delay, a deadline like any other:
# an idle daemon does not wait for an unrelated wakeup to do it.
cat >>"$rules" <<YAML
- rule: Idle test second marker
  desc: added while the daemon sleeps
  condition: evt.type in (execve, execveat) and container.id != host and proc.name = ${MARK}2
  output: second marker %proc.cmdline
  priority: NOTICE
YAML
for _ in $(seq 100); do grep -q 'rules reloaded: 2 rules' "$T/daemon.err" && break; sleep 0.05; done
grep -q 'rules reloaded: 2 rules' "$T/daemon.err" && ok "rules file change reloaded by an idle daemon" ||
	fail "rules file change not reloaded within 5 s: $(grep -i reload "$T/daemon.err")"
stop_daemon || fail "daemon exit status (idle phase)"

# ---- 3. exactly one event, then a burst and one event after it ----
start_daemon --hostname idle-node --rules "$rules" --metrics-addr ""
mark one
wait_alert '.output | contains("idle marker") and contains(" one")' 10 >/dev/null &&
	ok "one event after a quiet spell: alerted" || fail "no alert for the single event"

n=200
podman exec "$cid" /bin/sh -c "i=0; while [ \$i -lt $n ]; do /bin/$MARK burst; i=\$((i + 1)); done" \
	>/dev/null 2>&1
for _ in $(seq 200); do
	[ "$(count_alerts '.output | contains(" burst")')" -ge "$n" ] && break
	sleep 0.05
done
[ "$(count_alerts '.output | contains(" burst")')" -eq "$n" ] ||
	fail "burst: $(count_alerts '.output | contains(" burst")') alerts, want $n"
# No periodic drain: nothing wakes the reader between the burst and the next event.
quiet_window "$DAEMON_PID" 3 3 2500000 &&
	ok "after the burst: $W wakeups in 3 s" || fail "after the burst: $W wakeups in 3 s, want <= 3"
mark after
wait_alert '.output | contains("idle marker") and contains(" after")' 10 >/dev/null &&
	ok "one event after a burst: alerted" || fail "no alert for the event after the burst"
stop_daemon || fail "daemon exit status (event phase)"
rd=$(grep 'shellsentry: reader (exit):' "$T/daemon.err")
late=$(sed -n 's/.* late_records=\([0-9]*\).*/\1/p' <<<"$rd")
[ "${late:-x}" = 0 ] && ok "nothing was left to the safety read ($rd)" ||
	fail "records read by the safety read, not by a wakeup: $rd"
[ "$(count_alerts '.output | contains("idle marker")')" -eq $((n + 2)) ] ||
	fail "$(count_alerts '.output | contains("idle marker")') marker alerts, want $((n + 2))"

# ---- 4. a timer that is configured fires on time and alone ----
start_daemon --hostname idle-node --rules "$rules" --metrics-addr "" --stats-interval 1
for _ in $(seq 100); do [ "$(grep -c 'shellsentry: stats: execs=' "$T/daemon.err")" -ge 2 ] && break; sleep 0.05; done
[ "$(grep -c 'shellsentry: stats: execs=' "$T/daemon.err")" -ge 2 ] || fail "--stats-interval 1 printed no stats"
quiet_window "$DAEMON_PID" 4 8 2500000 &&
	ok "--stats-interval 1: $W wakeups in 4 s" || fail "--stats-interval 1: $W wakeups in 4 s, want <= 8"
stop_daemon || fail "daemon exit status (stats phase)"
finish
