#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Detector core end to end: real BPF on this kernel, real podman containers.
. "$(dirname "$0")/lib.sh"
command -v unshare >/dev/null || skip "unshare missing"
command -v script >/dev/null || skip "script missing (bsdutils)"

make_image
start_daemon --hostname test-node-01
R='.rule == "Detect Shell in Container"'

# 1. A shell in a new pid namespace (no container runtime): entrypoint and init-tree.
unshare --pid --fork /bin/sh -c '/bin/sh -c "true unshare-child"; true unshare-parent'
a=$(wait_alert "$R and (.output_fields.\"proc.cmdline\" | contains(\"unshare-parent\"))") ||
	fail "no alert for the unshare entrypoint shell"
[ -n "${a:-}" ] && {
	[ "$(jq -r '.output_fields."shellsentry.lineage"' <<<"$a")" = entrypoint ] || fail "unshare parent lineage: $a"
	[ "$(jq -r '.output_fields."proc.vpid"' <<<"$a")" = 1 ] || fail "unshare parent vpid: $a"
	[ "$(jq -r '.output_fields."container.id"' <<<"$a")" = "" ] || fail "unresolved pid-ns container.id must be empty: $a"
	[ "$(jq -r '.hostname' <<<"$a")" = test-node-01 ] || fail "hostname: $a"
	ok "unshare entrypoint"
}
a=$(wait_alert "$R and .output_fields.\"proc.cmdline\" == \"sh -c true unshare-child\"") ||
	fail "no alert for the unshare child shell"
[ -n "${a:-}" ] && {
	[ "$(jq -r '.output_fields."shellsentry.lineage"' <<<"$a")" = init-tree ] || fail "child lineage: $a"
	[ "$(jq -r '.output_fields."proc.pname"' <<<"$a")" = sh ] || fail "child pname: $a"
	ok "unshare init-tree"
}

# 2. podman run: container.id is podman's id cut to 12 characters.
cid=$(podman run -d "${PODMAN_FLAGS[@]}" "$IMAGE" /bin/sh -c 'true run-marker; exec /bin/sleep 30')
a=$(wait_alert "$R and (.output_fields.\"proc.cmdline\" | contains(\"run-marker\"))") ||
	fail "no alert for podman run"
[ -n "${a:-}" ] && {
	[ "$(jq -r '.output_fields."container.id"' <<<"$a")" = "${cid:0:12}" ] || fail "container.id != ${cid:0:12}: $a"
	[ "$(jq -r '.output_fields."container.full_id"' <<<"$a")" = "$cid" ] || fail "full_id: $a"
	[ "$(jq -r '.output_fields."proc.exepath"' <<<"$a")" = /bin/busybox ] || fail "exepath: $a"
	[ "$(jq -r '.output_fields."user.name"' <<<"$a")" = root ] || fail "user.name: $a"
	[ "$(jq -r '.output_fields."proc.tty"' <<<"$a")" = 0 ] || fail "tty without terminal: $a"
	[ "$(jq -r '.output_fields."shellsentry.lineage"' <<<"$a")" = entrypoint ] || fail "run lineage: $a"
	[ "$(jq -r '.source' <<<"$a")" = syscall ] || fail "source: $a"
	jq -e '.time | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\\.[0-9]{9}Z$")' <<<"$a" >/dev/null || fail "time format: $a"
	ok "podman run"
}

# 3. podman exec: injected from outside the container's pid namespace.
podman exec "$cid" /bin/sh -c 'true exec-marker'
a=$(wait_alert "$R and (.output_fields.\"proc.cmdline\" | contains(\"exec-marker\"))") ||
	fail "no alert for podman exec"
[ -n "${a:-}" ] && {
	[ "$(jq -r '.output_fields."shellsentry.lineage"' <<<"$a")" = injected ] || fail "exec lineage: $a"
	[ "$(jq -r '.output_fields."container.id"' <<<"$a")" = "${cid:0:12}" ] || fail "exec container.id: $a"
	[ "$(count_alerts '.rule == "Shell injected into container" and (.output_fields."proc.cmdline" | contains("exec-marker"))')" -ge 1 ] ||
		fail "no 'Shell injected into container' alert"
	ok "podman exec injected"
}

# 4. podman exec -t under script: a real pty, so proc.tty is a pts device (major 136).
script -qec "podman exec -t $cid /bin/sh -c 'true tty-marker'" /dev/null >/dev/null
a=$(wait_alert "$R and (.output_fields.\"proc.cmdline\" | contains(\"tty-marker\"))") ||
	fail "no alert for podman exec -t"
[ -n "${a:-}" ] && {
	tty=$(jq -r '.output_fields."proc.tty"' <<<"$a")
	[ "$tty" -ge 34816 ] && [ "$tty" -lt $((137 << 8)) ] || fail "tty $tty is not a pts device: $a"
	[ "$(count_alerts '.rule == "Terminal shell in container" and (.output_fields."proc.cmdline" | contains("tty-marker"))')" -ge 1 ] ||
		fail "no 'Terminal shell in container' alert for an interactive exec"
	ok "podman exec -t tty=$tty"
}

# 5 and 6. A host shell and a non-shell in a container: no alert. A sentinel
# alert afterwards proves the daemon already processed both.
/bin/sh -c 'true host-marker'
podman exec "$cid" /bin/cat /proc/self/stat >/dev/null
podman exec "$cid" /bin/sh -c 'true sentinel-1'
wait_alert "$R and (.output_fields.\"proc.cmdline\" | contains(\"sentinel-1\"))" >/dev/null ||
	fail "no sentinel alert"
[ "$(count_alerts '.output_fields."proc.cmdline" | contains("host-marker")')" -eq 0 ] || fail "host shell alerted"
[ "$(count_alerts '.output_fields."proc.name" == "cat"')" -eq 0 ] || fail "non-shell in a container alerted"
ok "no alert for host shell and container non-shell"

# 7. Hostile argv: newline, quotes, ESC, backslash -> one valid JSON line, exact argv.
evil=$(printf 'true "q" \x1b[31mred\\ \nsecond-line evil-marker')
podman exec "$cid" /bin/sh -c "$evil"
a=$(wait_alert "$R and (.output_fields.\"proc.cmdline\" | contains(\"evil-marker\"))") ||
	fail "no alert for hostile argv"
[ -n "${a:-}" ] && {
	got=$(jq -r '.output_fields."proc.args"' <<<"$a")
	if [ "$got" = "-c $evil" ]; then ok "hostile argv exact"; else
		fail "proc.args not exact: $(jq '.output_fields."proc.args"' <<<"$a")"; fi
}
podman rm -f -t 0 "$cid" >/dev/null
# The removed container's cgroup reaches userspace, which drops its cached context.
for i in $(seq 100); do [ -d "/sys/fs/cgroup/unified/libpod_parent/libpod-$cid" ] || break; sleep 0.05; done
stop_daemon || fail "daemon exit status non-zero on SIGTERM"
gone=$(sed -n 's/.*cgroups_gone=\([0-9]*\).*/\1/p' "$T/daemon.err")
[ "${gone:-0}" -ge 1 ] || fail "no cgroup-removal record for the removed container (cgroups_gone=${gone:-none})"

# Every line one valid JSON object: as many values as lines, no raw ESC.
values=$(jq -c . "$T/alerts.json" | wc -l) || fail "invalid JSON in the output"
[ "$values" -eq "$(wc -l <"$T/alerts.json")" ] || fail "JSON values ($values) != lines"
grep -q $'\x1b' "$T/alerts.json" && fail "raw ESC in the JSON output"
grep -q 'shellsentry: exit: execs=' "$T/daemon.err" || fail "no exit counters"
finish
