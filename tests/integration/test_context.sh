#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Container and Kubernetes context end to end: alert fields against what
# `podman inspect` says, the container's own passwd, --privileged, and runc
# bundles whose cgroupsPath imitates docker, containerd (CRI) and cri-o.
. "$(dirname "$0")/lib.sh"
command -v runc >/dev/null || skip "runc missing"

add_user() { printf 'appuser:x:4321:4321::/home:/bin/sh\n' >>"$1/etc/passwd"; }
make_image add_user
R='.rule == "Detect Shell in Container"'
field() { jq -r ".output_fields.\"$1\"" <<<"$2"; }
# check NAME WANT ALERT: output field equals WANT
check() {
	local got
	got=$(field "$1" "$3")
	[ "$got" = "$2" ] || fail "$1 = '$got', want '$2'"
}

start_daemon --hostname ctx-node

# 1. name, image, tag, annotations -> alert fields equal podman inspect.
name=ss-ctx-$$
cid=$(podman run -d "${PODMAN_FLAGS[@]}" --name "$name" \
	--annotation io.kubernetes.pod.name=web-0 --annotation io.kubernetes.pod.namespace=shop \
	"$IMAGE" /bin/sh -c 'true ctx-marker; exec /bin/sleep 60')
a=$(wait_alert "$R and (.output_fields.\"proc.cmdline\" | contains(\"ctx-marker\"))") ||
	fail "no alert for the annotated container"
if [ -n "${a:-}" ]; then
	insp=$(podman inspect "$cid")
	check container.id "${cid:0:12}" "$a"
	check container.full_id "$cid" "$a"
	check container.name "$(jq -r '.[0].Name' <<<"$insp")" "$a"
	img=$(jq -r '.[0].ImageName' <<<"$insp")
	check container.image.repository "${img%:*}" "$a"
	check container.image.tag "${img##*:}" "$a"
	check k8s.pod.name "$(jq -r '.[0].Config.Annotations."io.kubernetes.pod.name"' <<<"$insp")" "$a"
	check k8s.ns.name "$(jq -r '.[0].Config.Annotations."io.kubernetes.pod.namespace"' <<<"$insp")" "$a"
	check container.privileged "$(jq -r '.[0].HostConfig.Privileged' <<<"$insp")" "$a"
	check user.name root "$a"
	if jq -e '.output_fields | has("container.runtime")' <<<"$a" >/dev/null; then
		check container.runtime podman "$a"
	fi
	if jq -e '.output_fields | has("container.image")' <<<"$a" >/dev/null; then
		check container.image "$img" "$a"
	fi
	ok "podman name/image/annotations: $(jq -c '.output_fields | with_entries(select(.key | test("^(container|k8s)")))' <<<"$a")"
fi

# 2. user.name from the container's own /etc/passwd (uid 4321 is "appuser" only there).
# The shell lives on a moment, as an interactive one does: a shell that is gone
# before enrichment reads /proc/<pid>/root gets "" for a non-root uid.
podman exec --user 4321 "$cid" /bin/sh -c 'true user-marker; /bin/sleep 1'
a=$(wait_alert "$R and (.output_fields.\"proc.cmdline\" | contains(\"user-marker\"))") ||
	fail "no alert for the exec as uid 4321"
if [ -n "${a:-}" ]; then
	check user.uid 4321 "$a"
	check user.name appuser "$a"
	ok "user.name from the container passwd"
fi

# 3. --privileged -> container.privileged true (podman inspect agrees).
pid_=$(podman run -d "${PODMAN_FLAGS[@]}" --privileged "$IMAGE" /bin/sh -c 'true priv-marker; exec /bin/sleep 60')
a=$(wait_alert "$R and (.output_fields.\"proc.cmdline\" | contains(\"priv-marker\"))") ||
	fail "no alert for the privileged container"
if [ -n "${a:-}" ]; then
	[ "$(podman inspect -f '{{.HostConfig.Privileged}}' "$pid_")" = true ] || fail "podman says not privileged"
	check container.privileged true "$a"
	check container.id "${pid_:0:12}" "$a"
	ok "privileged"
fi
stop_daemon || fail "daemon exit status non-zero on SIGTERM"

# 4. runc bundles with other runtimes' cgroup layouts, state under --runtime-root.
state=$T/node
mkdir -p "$T/bundle/rootfs"
tar -C "$T/bundle/rootfs" -xf <(tar -C "$T/rootfs" -c .)
hex() { head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
POD_UID=0b7c2a4e-1111-2222-3333-444455556666
RUNC_IDS=(ss-d-$$ ss-c-$$ ss-o-$$)
# runc leaves the parent cgroups of cgroupsPath behind: remove those this test made
cg_new=()
for h in /sys/fs/cgroup/*/ /sys/fs/cgroup/; do
	for p in docker kubepods kubepods/besteffort kubepods/besteffort/pod$POD_UID \
		kubepods/besteffort/podx; do
		[ -d "$h$p" ] || cg_new+=("$h$p")
	done
done
runc_cleanup() {
	local i
	for i in "${RUNC_IDS[@]}"; do runc delete -f "$i"; done
	for ((i = ${#cg_new[@]} - 1; i >= 0; i--)); do rmdir "${cg_new[$i]}"; done
}
CLEANUPS+=(runc_cleanup)
start_daemon --hostname ctx-node --runtime-root "$state"

# run_bundle ID CGROUPS_PATH MARKER: one shell exec in a runc container
run_bundle() {
	local id=$1 cg=$2 marker=$3
	(cd "$T/bundle" && rm -f config.json && runc spec) || die "runc spec"
	jq --arg cg "$cg" --arg m "$marker" '.process.terminal = false |
		.process.args = ["/bin/sh", "-c", "true " + $m] | .linux.cgroupsPath = $cg |
		.linux.namespaces |= map(select(.type != "network"))' \
		"$T/bundle/config.json" >"$T/bundle/c.json" && mv "$T/bundle/c.json" "$T/bundle/config.json"
	runc run --bundle "$T/bundle" "$id" </dev/null >/dev/null 2>&1 || fail "runc run $id ($cg)"
}

# docker layout, docker's state files written in docker's format
id=$(hex)
mkdir -p "$state/var/lib/docker/containers/$id"
printf '{"ID":"%s","Name":"/dockerish","Config":{"Image":"nginx:1.25"}}' "$id" \
	>"$state/var/lib/docker/containers/$id/config.v2.json"
printf '{"Privileged":false}' >"$state/var/lib/docker/containers/$id/hostconfig.json"
run_bundle "ss-d-$$" "/docker/$id" docker-marker
a=$(wait_alert "$R and (.output_fields.\"proc.cmdline\" | contains(\"docker-marker\"))") ||
	fail "no alert for the docker-layout bundle"
if [ -n "${a:-}" ]; then
	check container.id "${id:0:12}" "$a"
	check container.name dockerish "$a"
	check container.image.repository nginx "$a"
	check container.image.tag 1.25 "$a"
	check container.privileged false "$a"
	ok "runc with docker layout"
fi

# containerd CRI layout (cgroupfs kubepods), its task bundle with CRI annotations
id=$(hex)
mkdir -p "$state/run/containerd/io.containerd.runtime.v2.task/k8s.io/$id"
printf '{"annotations":{"io.kubernetes.cri.container-type":"container","io.kubernetes.cri.container-name":"api","io.kubernetes.cri.image-name":"registry.example:5000/shop/api:2.1","io.kubernetes.cri.sandbox-name":"api-7f9c","io.kubernetes.cri.sandbox-namespace":"prod","io.kubernetes.cri.sandbox-uid":"0b7c2a4e-1111-2222-3333-444455556666"},"linux":{"seccomp":{}}}' \
	>"$state/run/containerd/io.containerd.runtime.v2.task/k8s.io/$id/config.json"
run_bundle "ss-c-$$" "/kubepods/besteffort/pod$POD_UID/$id" cri-marker
a=$(wait_alert "$R and (.output_fields.\"proc.cmdline\" | contains(\"cri-marker\"))") ||
	fail "no alert for the containerd-layout bundle"
if [ -n "${a:-}" ]; then
	check container.id "${id:0:12}" "$a"
	check container.name api "$a"
	check container.image.repository registry.example:5000/shop/api "$a"
	check container.image.tag 2.1 "$a"
	check k8s.pod.name api-7f9c "$a"
	check k8s.ns.name prod "$a"
	if jq -e '.output_fields | has("container.runtime")' <<<"$a" >/dev/null; then
		check container.runtime containerd "$a"
	fi
	ok "runc with containerd CRI layout"
fi

# cri-o layout, no state at all: id from the name, fields null
id=$(hex)
run_bundle "ss-o-$$" "/kubepods/besteffort/podx/crio-$id" crio-marker
a=$(wait_alert "$R and (.output_fields.\"proc.cmdline\" | contains(\"crio-marker\"))") ||
	fail "no alert for the cri-o-layout bundle"
if [ -n "${a:-}" ]; then
	check container.id "${id:0:12}" "$a"
	[ "$(jq '.output_fields."container.name"' <<<"$a")" = null ] || fail "container.name not null: $a"
	if jq -e '.output_fields | has("container.runtime")' <<<"$a" >/dev/null; then
		check container.runtime cri-o "$a"
	fi
	ok "runc with cri-o layout"
fi

stop_daemon || fail "daemon exit status non-zero on SIGTERM"
finish
