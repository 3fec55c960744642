#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Lineage of containers that share the host's pid namespace (podman run --pid=host, as
# docker --pid=host and hostPID pods do), issue 16 point 6: no vpid 1 to walk to, so the
# kernel tells the container's init from its cgroup (the first process to exec in it, or
# the oldest one for a container that existed before the daemon started) and an injected
# shell from an ancestor outside the container's cgroup.
. "$(dirname "$0")/lib.sh"

make_image
R='.rule == "Detect Shell in Container"'
I='.rule == "Shell injected into container"'
f() { jq -r ".output_fields.\"$1\"" <<<"$2"; }
# lineage_of MARKER: the lineage of the shell alert whose command line has MARKER
lineage_of() {
	local a
	a=$(wait_alert "$R and (.output_fields.\"proc.cmdline\" | contains(\"$1\"))" 15) || return 1
	f shellsentry.lineage "$a"
}

# A container started before the daemon: its init comes from the cgroup walk at start.
old=$(podman run -d --pid=host "${PODMAN_FLAGS[@]}" "$IMAGE" /bin/sleep 300) || die "podman run failed"
start_daemon --hostname hostpid-node

# 1. Started while attached: the entrypoint shell, its child, then podman exec into it.
f0=$FAILS
cid=$(podman run -d --pid=host "${PODMAN_FLAGS[@]}" "$IMAGE" /bin/sh -c \
	'/bin/sh -c "true hostpid-child"; true hostpid-entry; exec /bin/sleep 300') ||
	die "podman run --pid=host failed"
l=$(lineage_of "true hostpid-entry") || fail "no alert for the --pid=host entrypoint shell"
[ "${l:-}" = entrypoint ] || fail "entrypoint shell of a --pid=host container: lineage ${l:-none}"
l=$(lineage_of "sh -c true hostpid-child") || fail "no alert for the entrypoint's child shell"
[ "${l:-}" = init-tree ] || fail "child of the entrypoint: lineage ${l:-none}"
a=$(wait_alert "$R and (.output_fields.\"proc.cmdline\" | contains(\"hostpid-entry\"))")
[ -n "${a:-}" ] && {
	[ "$(f container.id "$a")" = "${cid:0:12}" ] || fail "container.id: $a"
}
[ "$FAILS" = "$f0" ] && ok "--pid=host entrypoint and its child: entrypoint, init-tree"

podman exec "$cid" /bin/sh -c 'true hostpid-exec'
l=$(lineage_of "true hostpid-exec") || fail "no alert for podman exec into the --pid=host container"
[ "${l:-}" = injected ] || fail "podman exec into a --pid=host container: lineage ${l:-none}"
a=$(wait_alert "$I and (.output_fields.\"proc.cmdline\" | contains(\"hostpid-exec\"))") ||
	fail "no 'Shell injected into container' for podman exec into a --pid=host container"
[ -n "${a:-}" ] && ok "podman exec into a --pid=host container: injected, '$(jq -r .rule <<<"$a")'"

# 2. The container that existed before the daemon: exec into it is injected too.
f0=$FAILS
podman exec "$old" /bin/sh -c 'true hostpid-old-exec'
l=$(lineage_of "true hostpid-old-exec") || fail "no alert for podman exec into the older container"
[ "${l:-}" = injected ] || fail "podman exec into a --pid=host container from before the start: lineage ${l:-none}"
wait_alert "$I and (.output_fields.\"proc.cmdline\" | contains(\"hostpid-old-exec\"))" >/dev/null ||
	fail "no 'Shell injected into container' for the older container"
[ "$FAILS" = "$f0" ] && ok "--pid=host container from before the daemon: exec injected"

# 3. A session: the injected shell in a --pid=host container follows its commands too.
podman exec "$cid" /bin/sh -c '/bin/cat /etc/passwd >/dev/null; true hostpid-session'
wait_alert '.rule == "Command in container shell session" and .output_fields."proc.cmdline" == "cat /etc/passwd"' >/dev/null &&
	ok "session in a --pid=host container" || fail "no session command from the --pid=host container"
finish
