#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# The image as the DaemonSet runs it. Builds the image from deploy/Dockerfile
# (`make image`'s script, podman, on a Debian base made here with debootstrap:
# no registry is reachable), renders deploy/kubernetes with kubectl kustomize
# and turns the DaemonSet's pod spec into a containerd `ctr run`: host pid
# namespace, exactly its capabilities (those this machine's bounding set has),
# read-only root, its mounts (ConfigMaps laid out as the kubelet does, with a
# ..data link), its memory and CPU limits, containerd's default seccomp
# profile (what RuntimeDefault gives on containerd). Every value comes from
# the manifest. Then: alerts for podman, docker and a CRI-style containerd
# container with Kubernetes annotations, a drifted executable (the evasion
# rules load by folder), /healthz and /metrics, a ConfigMap ..data swap that
# reloads the rules without a signal (and a broken one that keeps them), and
# SIGTERM -> exit 0.
. "$(dirname "$0")/lib.sh"
for c in ctr containerd dockerd kubectl debootstrap nsenter curl; do
	command -v "$c" >/dev/null || skip "$c is missing (make deps)"
done
/usr/bin/python3 -c 'import yaml' 2>/dev/null || skip "python3-yaml is missing (make deps)"
DOCKER=/usr/bin/docker
[ -x "$DOCKER" ] || DOCKER=$(command -v docker)

NS=ss-test-$$
CID=ss-image-$$
REF=
VERSION=$(cat "$ROOT/VERSION")

# --- container engines: containerd (for ctr and docker), dockerd -------------
if ! ctr version >/dev/null 2>&1; then
	containerd >"$T/containerd.log" 2>&1 &
	CPID=$!
	CLEANUPS+=("kill $CPID; wait $CPID")
	for _ in $(seq 200); do ctr version >/dev/null 2>&1 && break; sleep 0.05; done
	ctr version >/dev/null 2>&1 || { tail -5 "$T/containerd.log" >&2; skip "containerd did not start"; }
fi
if ! "$DOCKER" info >/dev/null 2>&1; then
	dockerd --exec-opt native.cgroupdriver=cgroupfs --iptables=false --bridge=none \
		--default-ulimit nofile=1024:1024 --containerd /run/containerd/containerd.sock \
		>"$T/dockerd.log" 2>&1 &
	DPID=$!
	CLEANUPS=("kill $DPID; wait $DPID" "${CLEANUPS[@]}")
	for _ in $(seq 200); do "$DOCKER" info >/dev/null 2>&1 && break; sleep 0.05; done
	"$DOCKER" info >/dev/null 2>&1 || { tail -5 "$T/dockerd.log" >&2; skip "dockerd did not start"; }
fi

# --- the image ---------------------------------------------------------------
arch=$(dpkg --print-architecture)
base_tar=$ROOT/build/image/base-bookworm-$arch.tar
"$ROOT/tests/deploy/base.sh" "$arch" "$base_tar" || die "no base image"
BASE=localhost/ss-debian-$$:bookworm
podman import -q "$base_tar" "$BASE" >/dev/null || die "podman import of the base failed"
CLEANUPS+=("podman rmi -f $BASE")
start=$(date +%s)
REF=$(ENGINE=podman IMAGE=localhost/ss-image-$$ BUILD_IMAGE=$BASE RUNTIME_IMAGE=$BASE \
	BUILD_FLAGS="--network=host --layers=false" "$ROOT/deploy/image.sh" 2>"$T/build.log") || {
	tail -30 "$T/build.log" >&2
	die "the image did not build"
}
CLEANUPS+=("podman rmi -f $REF")
ok "image $REF built in $(($(date +%s) - start)) s, $(podman image inspect --format '{{.Size}}' "$REF") bytes"
label=$(podman image inspect --format '{{index .Labels "org.opencontainers.image.version"}}' "$REF")
[ "$label" = "$VERSION" ] || fail "image label version '$label', VERSION is $VERSION"
REV=$(podman image inspect --format '{{index .Labels "org.opencontainers.image.revision"}}' "$REF")
[ -n "$REV" ] && [ "$REV" != unknown ] || fail "image label revision '$REV'"
podman save -q --format oci-archive -o "$T/image.tar" "$REF" || die "podman save failed"
ctr -n "$NS" images import "$T/image.tar" >/dev/null || die "ctr import failed"
ns_cleanup() {
	ctr -n "$NS" images rm "$REF"
	# containerd collects the snapshots in the background: the namespace empties soon after.
	for _ in $(seq 100); do ctr namespaces rm "$NS" && return; sleep 0.1; done
}
CLEANUPS=(ns_cleanup "${CLEANUPS[@]}")
rm -f "$T/image.tar"

# --- the DaemonSet, rendered as it would be applied ------------------------------
kubectl kustomize "$ROOT/deploy/kubernetes" >"$T/k8s.yaml" || die "kubectl kustomize failed"
/usr/bin/python3 -c 'import sys, yaml, json; json.dump(list(yaml.safe_load_all(sys.stdin)), sys.stdout)' \
	<"$T/k8s.yaml" >"$T/k8s.json" || die "the rendered manifests are not YAML"
jq -e '.[] | select(.kind == "DaemonSet")' "$T/k8s.json" >"$T/ds.json" || die "no DaemonSet"
pod() { jq -r ".spec.template.spec$1" "$T/ds.json"; }
ctn() { jq -r ".spec.template.spec.containers[0]$1" "$T/ds.json"; }

opts=()
[ "$(pod .hostPID)" = true ] || die "the DaemonSet does not use the host pid namespace"
# CRI leaves the pid namespace out for hostPID; ctr joins the host's, the same.
opts+=(--with-ns "pid:/proc/$$/ns/pid")
[ "$(ctn .securityContext.readOnlyRootFilesystem)" = true ] && opts+=(--read-only)
[ "$(ctn .securityContext.privileged)" = true ] && die "the DaemonSet asks for privileged"
[ "$(ctn .securityContext.allowPrivilegeEscalation)" = false ] || opts+=(--allow-new-privs)
case $(ctn .securityContext.seccompProfile.type) in
RuntimeDefault) opts+=(--seccomp) ;; # containerd's default profile, as CRI applies it
Unconfined) ;;
*) die "seccompProfile $(ctn .securityContext.seccompProfile.type): not handled here" ;;
esac
[ "$(ctn '.securityContext.runAsUser // 0')" = 0 ] || die "runAsUser other than 0 is not handled"

# Capabilities: drop ALL, add the list; ctr adds before it drops, so drop what
# containerd's default spec has and the manifest does not add.
[ "$(ctn '.securityContext.capabilities.drop | join(",")')" = ALL ] || die "capabilities.drop is not [ALL]"
bnd=$(capsh --decode="$(awk '/^CapBnd/ {print $2}' /proc/self/status)" | tr 'a-z' 'A-Z')
want=() missing=()
for c in $(ctn '.securityContext.capabilities.add[]'); do
	case ",${bnd#*=}," in
	*",CAP_$c,"*) want+=("CAP_$c") ;;
	*) missing+=("CAP_$c") ;;
	esac
done
[ ${#missing[@]} -eq 0 ] ||
	echo "note: this machine's bounding set lacks ${missing[*]}: run without (not needed on 5.11+)" >&2
for c in "${want[@]}"; do opts+=(--cap-add "$c"); done
for c in $(ctr oci spec | jq -r '.process.capabilities.bounding[]'); do
	[[ " ${want[*]} " == *" $c "* ]] || opts+=(--cap-drop "$c")
done

# --- a runtime whose seccomp profile refuses bpf(): the daemon names it and the fix
# podman's default (containers-common) profile, with exactly the manifest's capabilities.
pcaps=(--cap-drop ALL)
for c in "${want[@]}"; do pcaps+=(--cap-add "${c#CAP_}"); done
pmounts=(-v /sys/kernel/btf:/sys/kernel/btf:ro -v /sys/fs/cgroup:/sys/fs/cgroup:ro)
if out=$(prun --pid=host "${pmounts[@]}" "${pcaps[@]}" "$REF" --metrics-addr '' 2>&1); then
	fail "the detector ran under podman's default seccomp profile: $out"
fi
grep -q 'a seccomp filter refuses bpf() (running in a podman container' <<<"$out" ||
	fail "podman's seccomp refusal is not named: $out"
grep -q 'seccomp=unconfined' <<<"$out" || fail "the fix for podman is not named: $out"
grep -q '5.8 or newer' <<<"$out" && fail "a seccomp refusal blamed on the kernel version: $out"
# The fix it names works.
prun --name "ss-img-fix-$$" --pid=host "${pmounts[@]}" "${pcaps[@]}" --security-opt seccomp=unconfined \
	"$REF" --metrics-addr '' >/dev/null 2>"$T/fix.err" &
FIX_PID=$!
for _ in $(seq 300); do
	grep -q 'shellsentry: attached' "$T/fix.err" && break
	kill -0 "$FIX_PID" 2>/dev/null || break
	sleep 0.1
done
grep -q 'shellsentry: attached' "$T/fix.err" || fail "the named podman fix does not attach: $(cat "$T/fix.err")"
podman kill --signal TERM "ss-img-fix-$$" >/dev/null 2>&1
wait "$FIX_PID"
[ "$FAILS" -eq 0 ] && ok "podman's profile: refusal named with its fix, and the fix attaches"

# Limits.
mem=$(ctn '.resources.limits.memory // ""')
case $mem in
*Mi) opts+=(--memory-limit $((${mem%Mi} * 1024 * 1024))) ;;
*Gi) opts+=(--memory-limit $((${mem%Gi} * 1024 * 1024 * 1024))) ;;
'') ;;
*) die "memory limit $mem: not handled" ;;
esac
cpu=$(ctn '.resources.limits.cpu // ""')
case $cpu in
*m) opts+=(--cpus "$(awk -v m="${cpu%m}" 'BEGIN { printf "%.3f", m / 1000 }')") ;;
'') ;;
*) opts+=(--cpus "$cpu") ;;
esac

# Environment, with the downward API's node name, and $(VAR) in args as the kubelet expands it.
declare -A env=()
while IFS=$'\t' read -r name value field; do
	case $field in
	spec.nodeName) value=$(hostname) ;;
	'') ;;
	*) die "env $name from $field: not handled" ;;
	esac
	env[$name]=$value
	opts+=(--env "$name=$value")
done < <(ctn '.env // [] | .[] | [.name, (.value // ""), (.valueFrom.fieldRef.fieldPath // "")] | @tsv')
args=()
while IFS= read -r a; do
	for name in "${!env[@]}"; do a=${a//\$($name)/${env[$name]}}; done
	args+=("$a")
done < <(ctn '.args // [] | .[]')

# Volumes: host folders bound as mounted; ConfigMaps in the kubelet's layout
# (files in ..<timestamp>/, ..data -> it, each key -> ..data/key).
cm_layout() { # cm_layout DIR CONFIGMAP_NAME TIMESTAMP
	local dir=$1 cm=$2 ts=$3 key
	mkdir -p "$dir/$ts"
	while IFS= read -r key; do
		jq -j --arg cm "$cm" --arg k "$key" \
			'.[] | select(.kind == "ConfigMap" and .metadata.name == $cm) | .data[$k]' \
			"$T/k8s.json" >"$dir/$ts/$key"
		ln -sfn "..data/$key" "$dir/$key"
	done < <(jq -r --arg cm "$cm" '.[] | select(.kind == "ConfigMap" and .metadata.name == $cm) |
		.data | keys[]' "$T/k8s.json")
	ln -sfn "$ts" "$dir/..data"
}
declare -A cmdir=()
created=()
while IFS=$'\t' read -r vname mpath ro; do
	vol=$(jq -c --arg v "$vname" '.spec.template.spec.volumes[] | select(.name == $v)' "$T/ds.json")
	[ "$ro" = true ] && mo=rbind:ro || mo=rbind:rw
	if hp=$(jq -er '.hostPath.path' <<<"$vol"); then
		# containerd creates a missing host folder, as the kubelet's default type does.
		[ -e "$hp" ] || { mkdir -p "$hp" && created+=("$hp"); }
		opts+=(--mount "type=bind,src=$hp,dst=$mpath,options=$mo")
	elif cm=$(jq -er '.configMap.name' <<<"$vol"); then
		cm_layout "$T/cm/$vname" "$cm" ..2026_01_01_00_00_00.000000001
		cmdir[$mpath]=$T/cm/$vname
		opts+=(--mount "type=bind,src=$T/cm/$vname,dst=$mpath,options=$mo")
	else
		die "volume $vname: kind not handled"
	fi
done < <(ctn '.volumeMounts[] | [.name, .mountPath, (.readOnly // false)] | @tsv')
CLEANUPS+=("for d in ${created[*]:-}; do rmdir \$d; done")

port=$(ctn '.ports[] | select(.name == "metrics") | .containerPort')
health_path=$(ctn '.livenessProbe.httpGet.path')
mapfile -t entry < <(podman image inspect --format '{{range .Config.Entrypoint}}{{println .}}{{end}}' "$REF" |
	sed '/^$/d')
[ ${#entry[@]} -gt 0 ] || die "the image has no entrypoint"

# --- run it ------------------------------------------------------------------
echo "ctr run ${opts[*]} $REF $CID ${entry[*]} ${args[*]}" >"$T/ctr-command"
ctr -n "$NS" run --rm "${opts[@]}" "$REF" "$CID" "${entry[@]}" "${args[@]}" \
	>"$T/alerts.json" 2>"$T/daemon.err" &
CTR_PID=$!
CLEANUPS=("ctr -n $NS task kill -s SIGKILL $CID; wait $CTR_PID; ctr -n $NS containers rm $CID"
	"${CLEANUPS[@]}")
for _ in $(seq 300); do
	grep -q 'shellsentry: attached' "$T/daemon.err" && break
	kill -0 "$CTR_PID" 2>/dev/null || break
	sleep 0.1
done
if ! grep -q 'shellsentry: attached' "$T/daemon.err"; then
	cat "$T/ctr-command" "$T/daemon.err" >&2
	die "the detector did not attach in its container"
fi
ok "attached in the container: $(grep -m1 'shellsentry: attached' "$T/daemon.err")"
DPID_HOST=$(ctr -n "$NS" task ls | awk -v id="$CID" '$1 == id {print $2}')

spec=$(ctr -n "$NS" containers info "$CID" | jq -c .Spec)
got=$(jq -r '.process.capabilities.bounding | sort | join(" ")' <<<"$spec")
exp=$(printf '%s\n' "${want[@]}" | sort | paste -sd' ')
[ "$got" = "$exp" ] || fail "container capabilities '$got', the manifest's '$exp'"
jq -e '.linux.seccomp.defaultAction == "SCMP_ACT_ERRNO"' <<<"$spec" >/dev/null ||
	fail "no default-deny seccomp profile on the container"
jq -e '.root.readonly == true' <<<"$spec" >/dev/null || fail "root file system is not read-only"

# The config the DaemonSet names, and its rules: image folders and ConfigMaps.
cfg=
for ((i = 0; i + 1 < ${#args[@]}; i++)); do [ "${args[$i]}" = --config ] && cfg=${args[$((i + 1))]}; done
[ -n "$cfg" ] && [ -n "${cmdir[${cfg%/*}]:-}" ] || die "the DaemonSet's --config is not in a ConfigMap"
mapfile -t rules < <(/usr/bin/python3 -c 'import sys, yaml; print("\n".join(yaml.safe_load(sys.stdin).get("rules") or []))' \
	<"${cmdir[${cfg%/*}]}/${cfg##*/}")
want_rules=0 rules_dir=
for r in "${rules[@]}"; do
	if [ -n "${cmdir[$r]:-}" ]; then
		rules_dir=${cmdir[$r]}
		n=$(cat "$rules_dir"/*.yaml | grep -c '^- rule:')
	else
		n=$(prun --entrypoint /bin/sh "$REF" -c "cat $r/*.yaml" | grep -c '^- rule:')
	fi
	want_rules=$((want_rules + n))
done
[ -n "$rules_dir" ] || die "no ConfigMap folder among the config's rules"
grep -q "attached .*($want_rules rules" "$T/daemon.err" ||
	fail "the DaemonSet loaded $(grep -o '([0-9]* rules' "$T/daemon.err" | head -1), its rules folders hold $want_rules"

# The pod's loopback, as CNI brings it up.
nsenter -t "$DPID_HOST" -n ip link set lo up
get() { nsenter -t "$DPID_HOST" -n curl -s -m 3 -o "$T/http.out" -w '%{http_code}' "http://127.0.0.1:$port$1"; }

# --- alerts for the three runtimes ------------------------------------------
make_image
check() { # check FIELD WANT ALERT
	local v
	v=$(jq -r ".output_fields.\"$1\"" <<<"$3")
	[ "$v" = "$2" ] || fail "$1 is '$v', want '$2'"
}
prun -d --name "ss-img-web-$$" "$IMAGE" /bin/sleep 600 >/dev/null || die "podman run failed"
podman exec "ss-img-web-$$" /bin/sh -c 'true podman-img-marker'
a=$(wait_alert '(.output_fields."proc.cmdline" | contains("podman-img-marker"))') ||
	fail "no alert for podman exec"
if [ -n "${a:-}" ]; then
	check container.runtime podman "$a"
	check container.name "ss-img-web-$$" "$a"
	check container.image "$IMAGE" "$a"
	check shellsentry.lineage injected "$a"
	[ "$FAILS" -eq 0 ] && ok "podman: runtime, name, image, lineage"
fi
podman exec "ss-img-web-$$" /bin/sh -c 'cp /bin/busybox /tmp/kworker; /tmp/kworker sh -c "true drift-img-marker"'
wait_alert '.rule == "Drifted executable in container" and (.output_fields."proc.cmdline" | contains("kworker"))' >/dev/null ||
	fail "no drift alert for a renamed copy of busybox (evasion rules not loaded?)"

DIMG=ss-bbox-docker-img:$$
tar -C "$T/rootfs" -c . | "$DOCKER" import - "$DIMG" >/dev/null || die "docker import failed"
CLEANUPS=("$DOCKER rmi -f $DIMG" "${CLEANUPS[@]}")
dcid=$("$DOCKER" run -d --network none --name "ss-img-d-$$" --label io.kubernetes.pod.name=web-0 \
	--label io.kubernetes.pod.namespace=shop "$DIMG" /bin/sleep 120) || die "docker run failed"
CLEANUPS=("$DOCKER rm -f $dcid" "${CLEANUPS[@]}")
"$DOCKER" exec "$dcid" /bin/sh -c 'true docker-img-marker'
a=$(wait_alert '(.output_fields."proc.cmdline" | contains("docker-img-marker"))') ||
	fail "no alert for docker exec"
if [ -n "${a:-}" ]; then
	check container.runtime docker "$a"
	check container.id "${dcid:0:12}" "$a"
	check container.name "ss-img-d-$$" "$a"
	check k8s.pod.name web-0 "$a"
	check k8s.ns.name shop "$a"
fi

# CRI-style: containerd's k8s.io namespace, a kubepods cgroup, CRI annotations.
POD_UID=6d0f3c1e-$$-4a4a-9b9b-0123456789ab
CRI_ID=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
k8s_ns_new=1
ctr namespaces ls -q | grep -qx k8s.io && k8s_ns_new=0
cg_new=()
for h in /sys/fs/cgroup/*/ /sys/fs/cgroup/; do
	for p in kubepods kubepods/besteffort "kubepods/besteffort/pod$POD_UID"; do
		[ -d "$h$p" ] || cg_new+=("$h$p")
	done
done
cri_cleanup() {
	local i
	ctr -n k8s.io task kill -s SIGKILL "$CRI_ID"
	sleep 0.2
	ctr -n k8s.io task rm -f "$CRI_ID"
	ctr -n k8s.io containers rm "$CRI_ID"
	for ((i = ${#cg_new[@]} - 1; i >= 0; i--)); do rmdir "${cg_new[$i]}"; done
	[ "$k8s_ns_new" = 1 ] && ctr namespaces rm k8s.io
}
CLEANUPS=(cri_cleanup "${CLEANUPS[@]}")
ctr -n k8s.io run -d --rootfs --cgroup "/kubepods/besteffort/pod$POD_UID/$CRI_ID" \
	--annotation io.kubernetes.cri.container-type=container \
	--annotation io.kubernetes.cri.container-name=api \
	--annotation io.kubernetes.cri.image-name=registry.example/shop/api:2.1 \
	--annotation io.kubernetes.cri.sandbox-name=api-7f9c \
	--annotation io.kubernetes.cri.sandbox-namespace=prod \
	--annotation "io.kubernetes.cri.sandbox-uid=$POD_UID" \
	"$T/rootfs" "$CRI_ID" /bin/sleep 120 >/dev/null || die "ctr run (CRI-style) failed"
ctr -n k8s.io task exec --exec-id "e$$" "$CRI_ID" /bin/sh -c 'true cri-img-marker'
a=$(wait_alert '(.output_fields."proc.cmdline" | contains("cri-img-marker"))') ||
	fail "no alert for the CRI-style containerd container"
if [ -n "${a:-}" ]; then
	check container.runtime containerd "$a"
	check container.id "${CRI_ID:0:12}" "$a"
	check container.name api "$a"
	check container.image registry.example/shop/api:2.1 "$a"
	check k8s.pod.name api-7f9c "$a"
	check k8s.ns.name prod "$a"
	check k8s.pod.uid "$POD_UID" "$a"
fi
[ "$FAILS" -eq 0 ] && ok "alerts for podman, docker and CRI containerd, drift rule loaded by folder"

# --- health and metrics, on the pod's network as the kubelet and Prometheus reach it
code=$(get "$health_path")
[ "$code" = 200 ] || fail "$health_path answered $code: $(cat "$T/http.out")"
code=$(get /metrics)
[ "$code" = 200 ] || fail "/metrics answered $code"
grep -q '^shellsentry_attached 1$' "$T/http.out" || fail "/metrics: shellsentry_attached is not 1"
grep -q '^shellsentry_alerts_total{rule="Detect Shell in Container".*} [1-9]' "$T/http.out" ||
	fail "/metrics: no alerts counted for Detect Shell in Container"
grep -q "^shellsentry_build_info{version=\"$VERSION\",commit=\"$REV\"" "$T/http.out" ||
	fail "/metrics: no shellsentry_build_info with version $VERSION and commit $REV: $(grep build_info "$T/http.out")"
[ "$FAILS" -eq 0 ] && ok "$health_path 200, /metrics counts the alerts and the build"

# --- ConfigMap update: the kubelet's atomic ..data swap, no signal -------------
swap() { # swap DIR TS FILE CONTENT: what the kubelet's AtomicWriter does
	local dir=$1 ts=$2 old
	old=$(readlink "$dir/..data")
	mkdir "$dir/$ts"
	cat >"$dir/$ts/$3"
	ln -s "$ts" "$dir/..data_tmp"
	mv -T "$dir/..data_tmp" "$dir/..data"
	rm -rf "${dir:?}/$old"
}
reloads() { grep -c 'shellsentry: rules reloaded\|shellsentry: reload failed' "$T/daemon.err"; }
n0=$(reloads)
key=$(basename "$(find "$rules_dir" -maxdepth 1 -name '*.yaml' | head -1)")
{
	cat "$rules_dir/..data/$key"
	cat <<EOF
- rule: Image test reload marker
  desc: added by tests/integration/test_image.sh through a ConfigMap update
  condition: spawned_process and container and proc.name = echo and proc.cmdline contains "reload-marker-$$"
  output: reload marker (command=%proc.cmdline)
  priority: NOTICE
EOF
} >"$T/rules-with-marker.yaml"
swap "$rules_dir" ..2026_01_01_00_00_01.000000001 "$key" <"$T/rules-with-marker.yaml"
for _ in $(seq 100); do [ "$(reloads)" -gt "$n0" ] && break; sleep 0.1; done
grep -q 'shellsentry: rules reloaded' "$T/daemon.err" || fail "no reload logged after the ..data swap"
podman exec "ss-img-web-$$" /bin/echo "reload-marker-$$" >/dev/null
wait_alert ".rule == \"Image test reload marker\"" >/dev/null ||
	fail "the rule added through the ConfigMap does not fire"
n1=$(reloads)
printf -- '- rule: [broken\n' | swap "$rules_dir" ..2026_01_01_00_00_02.000000001 "$key"
for _ in $(seq 100); do [ "$(reloads)" -gt "$n1" ] && break; sleep 0.1; done
grep -q 'shellsentry: reload failed' "$T/daemon.err" || fail "a broken ConfigMap was not reported"
n=$(count_alerts '.rule == "Image test reload marker"')
podman exec "ss-img-web-$$" /bin/echo "reload-marker-$$" again >/dev/null
for _ in $(seq 100); do [ "$(count_alerts '.rule == "Image test reload marker"')" -gt "$n" ] && break; sleep 0.1; done
[ "$(count_alerts '.rule == "Image test reload marker"')" -gt "$n" ] ||
	fail "a broken ConfigMap dropped the rules in force"
[ "$FAILS" -eq 0 ] && ok "ConfigMap ..data swap reloads the rules; a broken one keeps them"

# The config ConfigMap too: rules fixed again, then the config disables the marker rule.
n2=$(reloads)
swap "$rules_dir" ..2026_01_01_00_00_03.000000001 "$key" <"$T/rules-with-marker.yaml"
for _ in $(seq 100); do [ "$(reloads)" -gt "$n2" ] && break; sleep 0.1; done
cfg_dir=${cmdir[${cfg%/*}]}
n3=$(grep -c 'shellsentry: rules reloaded' "$T/daemon.err")
{
	cat "$cfg_dir/..data/${cfg##*/}"
	printf 'disable_rules: ["Image test reload marker"]\n'
} | swap "$cfg_dir" ..2026_01_01_00_00_04.000000001 "${cfg##*/}"
for _ in $(seq 100); do
	[ "$(grep -c 'shellsentry: rules reloaded' "$T/daemon.err")" -gt "$n3" ] && break
	sleep 0.1
done
[ "$(grep -c 'shellsentry: rules reloaded' "$T/daemon.err")" -gt "$n3" ] ||
	fail "no reload after the config ConfigMap changed"
n=$(count_alerts '.rule == "Image test reload marker"')
# The marker's exec first, then a shell: alerts come in exec order, so once the shell's
# alert is in, the marker rule had its chance.
podman exec "ss-img-web-$$" /bin/echo "reload-marker-$$" disabled >/dev/null
podman exec "ss-img-web-$$" /bin/sh -c "true after-config-$$"
wait_alert '(.output_fields."proc.cmdline" | contains("after-config-'"$$"'"))' \
	>/dev/null || fail "no alert for the exec after the config change"
[ "$(count_alerts '.rule == "Image test reload marker"')" -eq "$n" ] ||
	fail "the rule the new config disables still fires"
[ "$FAILS" -eq 0 ] && ok "config ConfigMap ..data swap: disable_rules applies without a restart"

# --- SIGTERM: clean exit -------------------------------------------------------
ctr -n "$NS" task kill -s SIGTERM "$CID"
wait "$CTR_PID"
rc=$?
[ "$rc" -eq 0 ] || fail "exit status $rc after SIGTERM"
grep -q 'shellsentry: exit:' "$T/daemon.err" || fail "no exit summary after SIGTERM"
[ "$FAILS" -eq 0 ] && ok "SIGTERM: exit 0"
finish
