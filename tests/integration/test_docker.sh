#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# A real Docker engine (Debian's docker.io with containerd and runc), started
# by the test: a shell exec'd into a docker container gets the id, name, image
# and Kubernetes labels Docker itself recorded under /var/lib/docker.
. "$(dirname "$0")/lib.sh"
command -v dockerd >/dev/null && command -v containerd >/dev/null || skip "docker.io not installed (make deps)"
DOCKER=/usr/bin/docker
[ -x "$DOCKER" ] || DOCKER=$(command -v docker)

# Start the engine unless one runs; stop what we started, by pid.
if ! "$DOCKER" info >/dev/null 2>&1; then
	containerd >"$T/containerd.log" 2>&1 &
	CPID=$!
	CLEANUPS+=("kill $CPID; wait $CPID")
	dockerd --exec-opt native.cgroupdriver=cgroupfs --iptables=false --bridge=none \
		--default-ulimit nofile=1024:1024 --containerd /run/containerd/containerd.sock \
		>"$T/dockerd.log" 2>&1 &
	DPID=$!
	CLEANUPS=("kill $DPID; wait $DPID" "${CLEANUPS[@]}")
	for _ in $(seq 200); do "$DOCKER" info >/dev/null 2>&1 && break; sleep 0.05; done
	"$DOCKER" info >/dev/null 2>&1 || { tail -5 "$T/dockerd.log" >&2; skip "dockerd did not start"; }
fi

make_image
DIMG=ss-bbox-docker:$$
tar -C "$T/rootfs" -c . | "$DOCKER" import - "$DIMG" >/dev/null || die "docker import failed"
CLEANUPS=("$DOCKER rmi -f $DIMG" "${CLEANUPS[@]}")
start_daemon --metrics-addr ''

name=ss-web-$$
cid=$("$DOCKER" run -d --network none --name "$name" --label io.kubernetes.pod.name=web-0 \
	--label io.kubernetes.pod.namespace=shop "$DIMG" /bin/sleep 60) || die "docker run failed"
CLEANUPS=("$DOCKER rm -f $cid" "${CLEANUPS[@]}")
"$DOCKER" exec "$cid" /bin/sh -c 'true docker-marker'
a=$(wait_alert '.rule == "Detect Shell in Container" and (.output_fields."proc.cmdline" | contains("docker-marker"))') ||
	fail "no alert for a shell in a docker container"
if [ -n "${a:-}" ]; then
	f() { jq -r ".output_fields.\"$1\"" <<<"$a"; }
	[ "$(f container.id)" = "${cid:0:12}" ] || fail "container.id $(f container.id) != ${cid:0:12}"
	[ "$(f container.full_id)" = "$cid" ] || fail "container.full_id"
	[ "$(f container.runtime)" = docker ] || fail "runtime $(f container.runtime)"
	[ "$(f container.name)" = "$name" ] || fail "container.name $(f container.name)"
	[ "$(f container.image)" = "$DIMG" ] || fail "container.image $(f container.image)"
	[ "$(f container.image.tag)" = "$$" ] || fail "container.image.tag $(f container.image.tag)"
	[ "$(f k8s.pod.name)" = web-0 ] || fail "k8s.pod.name $(f k8s.pod.name)"
	[ "$(f k8s.ns.name)" = shop ] || fail "k8s.ns.name $(f k8s.ns.name)"
	[ "$(f container.privileged)" = false ] || fail "container.privileged $(f container.privileged)"
	[ "$(f shellsentry.lineage)" = injected ] || fail "lineage $(f shellsentry.lineage)"
	[ "$FAILS" -eq 0 ] && ok "docker exec: id, name, image, labels and lineage from Docker's own state"
fi
finish
