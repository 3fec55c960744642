#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Field and rules-loading gaps of issue 17, point 8, on the real daemon:
# proc.pcmdline is filled (the parent's command line while it lives) and a
# rule on it fires.
. "$(dirname "$0")/lib.sh"

make_image
cat >"$T/pcmd.yaml" <<'EOF'
- rule: Shell whose parent ran a marker
  desc: test rule on proc.pcmdline
  condition: >
    evt.type in (execve, execveat) and container.id != host and proc.name = sh
    and proc.pcmdline contains "parent-marker"
  output: child of %proc.pcmdline (command=%proc.cmdline)
  priority: WARNING
EOF
cid=$(podman run -d "${PODMAN_FLAGS[@]}" "$IMAGE" /bin/sleep 60)
start_daemon --metrics-addr '' --rules "$ROOT/rules/shellsentry_rules.yaml" --rules "$T/pcmd.yaml"
# proc.pcmdline is read while the parent lives: it sleeps after its child
podman exec "$cid" /bin/sh -c "/bin/sh -c 'true child-marker'; sleep 2; true parent-marker"
a=$(wait_alert '.rule == "Shell whose parent ran a marker"' 15) || fail "no alert of the proc.pcmdline rule"
if [ -n "${a:-}" ]; then
	got=$(jq -r '.output_fields."proc.pcmdline"' <<<"$a")
	want="sh -c /bin/sh -c 'true child-marker'; sleep 2; true parent-marker"
	[ "$got" = "$want" ] || fail "proc.pcmdline: got [$got] want [$want]"
	[ "$(jq -r '.output_fields."proc.cmdline"' <<<"$a")" = "sh -c true child-marker" ] ||
		fail "proc.cmdline: $(jq -r '.output_fields."proc.cmdline"' <<<"$a")"
fi
stop_daemon || fail "daemon exit status"
[ "$FAILS" -eq 0 ] || { jq -c "[.rule, .output_fields.\"proc.cmdline\", .output_fields.\"proc.pcmdline\", .output_fields.\"proc.pname\"]" "$T/alerts.json" | grep marker >&2; cat "$T/daemon.err" >&2; }
[ "$FAILS" -eq 0 ] && ok "proc.pcmdline filled in the daemon, and a rule on it fires"
finish
