#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# The kernel filter follows the rules: a rule on proc.name = nc makes nc in a
# container reach userspace and alert although nc is not a shell; SIGHUP with
# new rules changes the filter without detaching; a broken file keeps the old.
. "$(dirname "$0")/lib.sh"

make_image
cid=$(podman run -d "${PODMAN_FLAGS[@]}" "$IMAGE" /bin/sleep 60)
rules=$T/rules.yaml
cat >"$rules" <<'YAML'
- rule: Shell marker
  desc: any shell in a container (sentinel)
  condition: evt.type in (execve, execveat) and container.id != host and proc.name in (sh, dash, bash)
  output: shell %proc.cmdline
  priority: NOTICE
YAML
start_daemon --rules "$rules" --metrics-addr ''

# nc is not in the filter yet: no alert; the sentinel shell proves it was processed.
podman exec "$cid" /bin/nc -h >/dev/null 2>&1 || true
podman exec "$cid" /bin/sh -c 'true sentinel-a'
wait_alert '.output | contains("sentinel-a")' >/dev/null || fail "no sentinel alert"
[ "$(count_alerts '.output_fields."proc.name" == "nc"')" -eq 0 ] || fail "nc alerted before its rule existed"

cat >>"$rules" <<'YAML'
- rule: Netcat in container
  desc: nc started in a container
  condition: evt.type in (execve, execveat) and container.id != host and proc.name = nc
  output: netcat %proc.cmdline (container=%container.id)
  priority: WARNING
  tags: [network, mitre_command_and_control]
YAML
kill -HUP "$DAEMON_PID"
for i in $(seq 100); do grep -q 'rules reloaded' "$T/daemon.err" && break; sleep 0.05; done
grep -q 'rules reloaded: 2 rules' "$T/daemon.err" || fail "reload not reported: $(cat "$T/daemon.err")"
podman exec "$cid" /bin/nc -h >/dev/null 2>&1 || true
a=$(wait_alert '.rule == "Netcat in container"') || fail "nc did not alert after its rule was added"
[ -n "${a:-}" ] && [ "$(jq -r '.output_fields."container.id"' <<<"$a")" = "${cid:0:12}" ] && ok "nc alert via the rule-derived filter"

# A broken file: the error names its position, the old rules keep running.
printf -- '- rule: Broken\n  condition: proc.name = = nc\n  output: x\n  priority: NOTICE\n' >>"$rules"
before=$(grep -c 'reload failed' "$T/daemon.err")
kill -HUP "$DAEMON_PID"
for i in $(seq 100); do [ "$(grep -c 'reload failed' "$T/daemon.err")" -gt "$before" ] && break; sleep 0.05; done
grep -q 'reload failed, the previous rules stay active' "$T/daemon.err" || fail "broken reload not reported"
grep -Eq "rules.yaml:[0-9]+:[0-9]+: " "$T/daemon.err" || fail "broken reload error lacks file:line:col"
n=$(count_alerts '.rule == "Netcat in container"')
podman exec "$cid" /bin/nc -h >/dev/null 2>&1 || true
for i in $(seq 100); do [ "$(count_alerts '.rule == "Netcat in container"')" -gt "$n" ] && break; sleep 0.05; done
if [ "$(count_alerts '.rule == "Netcat in container"')" -gt "$n" ]; then
	ok "broken reload kept the old rules"
else
	fail "old rules stopped after a broken reload"
fi
grep -q 'attached' "$T/daemon.err" && [ "$(grep -c 'attached' "$T/daemon.err")" -eq 1 ] || fail "daemon re-attached"
finish
