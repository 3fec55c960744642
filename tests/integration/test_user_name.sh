#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# user.name comes from the container's own /etc/passwd even when the shell
# exits before enrichment and its parent is outside the container (an
# injected `exec`): any live process of the container's cgroup is asked.
. "$(dirname "$0")/lib.sh"

add_user() { printf 'appuser:x:4321:4321::/tmp:/bin/sh\n' >>"$1/etc/passwd"; }
make_image add_user
cid=$(podman run -d "${PODMAN_FLAGS[@]}" "$IMAGE" /bin/sleep 60)
start_daemon --metrics-addr ''
for i in 1 2 3 4 5; do
	podman exec --user 4321 "$cid" /bin/sh -c "exit 0; true quick-$i"
done
for i in 1 2 3 4 5; do
	a=$(wait_alert ".rule == \"Detect Shell in Container\" and (.output_fields.\"proc.cmdline\" | endswith(\"true quick-$i\"))") ||
		{ fail "no alert for quick-$i"; continue; }
	[ "$(jq -r '.output_fields."user.uid"' <<<"$a")" = 4321 ] || fail "quick-$i: uid $(jq -r '.output_fields."user.uid"' <<<"$a")"
	[ "$(jq -r '.output_fields."user.name"' <<<"$a")" = appuser ] ||
		fail "quick-$i: user.name $(jq -c '.output_fields."user.name"' <<<"$a"), want appuser"
done
[ "$FAILS" -eq 0 ] && ok "user.name of short-lived injected shells from the container's passwd"

# A whole container shorter than enrichment: `podman run --rm --user` of one
# `sh -c`. No process of it is left; its root folder still is (issue 17).
for i in 1 2 3 4 5 6; do
	podman run --rm "${PODMAN_FLAGS[@]}" --user 4321 "$IMAGE" /bin/sh -c "exit 0; true run-rm-$i"
done
for i in 1 2 3 4 5 6; do
	a=$(wait_alert ".rule == \"Detect Shell in Container\" and (.output_fields.\"proc.cmdline\" | endswith(\"true run-rm-$i\"))") ||
		{ fail "no alert for run-rm-$i"; continue; }
	[ "$(jq -r '.output_fields."user.name"' <<<"$a")" = appuser ] ||
		fail "run-rm-$i: user.name $(jq -c '.output_fields."user.name"' <<<"$a"), want appuser"
done
[ "$FAILS" -eq 0 ] && ok "user.name of podman run --rm --user containers from their root folder"
finish
