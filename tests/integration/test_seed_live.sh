#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# The seed event, live: falcoctl's kmod check `bash -c /usr/sbin/lsmod | cut
# -d' ' -f1 | grep -qx "falco"` run by a process named falcoctl as the
# entrypoint of a container of an image named like Falco's driver loader, in
# pod namespace falco. shellsentry must detect it by itself, with the same
# proc.cmdline Falco printed, and its report must call it expected, with the
# evidence, and give no advice that removes protections.
. "$(dirname "$0")/lib.sh"
[ -x /bin/bash-static ] || skip "bash-static missing (make deps)"
command -v gcc >/dev/null || skip "gcc missing (make deps)"
# falcoctl is a Go program, not a shell: a small non-shell program that starts
# the check stands in for it (a renamed copy of bash would rightly be judged a
# shell by its content, issue 14).
build_exec_helper "$T/falcoctl"

add_falcoctl() {
	local r=$1
	mkdir -p "$r/usr/bin" "$r/usr/sbin"
	cp /bin/bash-static "$r/bin/bash"
	cp "$T/falcoctl" "$r/usr/bin/falcoctl"
	ln -sf /bin/busybox "$r/usr/sbin/lsmod"
}
make_image add_falcoctl
LOADER=localhost/falcosecurity/falco-driver-loader:0.40.0-ss$$
podman tag "$IMAGE" "$LOADER"
CLEANUPS+=("podman rmi -f $LOADER")
mkdir -p "$T/reports"
start_daemon --hostname k8s-master-01 --report-dir "$T/reports" --metrics-addr ''

want="bash -c /usr/sbin/lsmod | cut -d' ' -f1 | grep -qx \"falco\""
podman run --rm "${PODMAN_FLAGS[@]}" --name "falco-driver-loader-$$" \
	--annotation io.kubernetes.pod.namespace=falco \
	--annotation io.kubernetes.pod.name=falco-x7k2p \
	--annotation io.kubernetes.container.name=falco-driver-loader \
	"$LOADER" /usr/bin/falcoctl spawn /bin/bash -c '/usr/sbin/lsmod | cut -d'"'"' '"'"' -f1 | grep -qx "falco"'
a=$(wait_alert ".rule == \"Detect Shell in Container\" and .output_fields.\"proc.name\" == \"bash\"") ||
	fail "the seed event was not detected"
if [ -n "${a:-}" ]; then
	got=$(jq -r '.output_fields."proc.cmdline"' <<<"$a")
	[ "$got" = "$want" ] || fail "proc.cmdline: got [$got] want [$want]"
	[ "$(jq -r '.output_fields."proc.pname"' <<<"$a")" = falcoctl ] || fail "pname: $a"
	[ "$(jq -r '.output_fields."user.name"' <<<"$a")" = root ] || fail "user: $a"
	[ "$(jq -r '.output_fields."shellsentry.lineage"' <<<"$a")" = init-tree ] || fail "lineage: $a"
	[ "$(jq -r '.hostname' <<<"$a")" = k8s-master-01 ] || fail "hostname: $a"
	[ "$(jq -r '.output_fields."k8s.ns.name"' <<<"$a")" = falco ] || fail "k8s.ns.name: $a"
	ok "seed event detected: $got"
fi
stop_daemon || fail "daemon exit status"

r=$(ls "$T"/reports/*.md 2>/dev/null | head -1)
[ -n "$r" ] || die "no report written"
grep -q 'Verdict: expected' "$r" || fail "report verdict is not expected: $(grep -m1 Verdict "$r")"
grep -qi 'falcoctl' "$r" || fail "report lacks the falcoctl evidence"
grep -q 'falco-driver-loader' "$r" || fail "report lacks the driver-loader init container"
grep -Eq -- '--privileged|seccomp=unconfined' "$r" && fail "report recommends removing protections"
# The tuning snippet in the report loads with the shipped rules and silences this exec.
awk '/^```yaml$/{y=1; buf=""; next} /^```$/{if (y && buf ~ /exceptions|override|append/) {print buf}; y=0; next} y{buf=buf $0 "\n"}' "$r" >"$T/tuning.yaml"
[ -s "$T/tuning.yaml" ] || fail "no tuning snippet in the report"
"$SS" --validate --rules "$ROOT/rules/shellsentry_rules.yaml" --rules "$T/tuning.yaml" >/dev/null 2>"$T/validate.err" ||
	fail "tuning snippet does not load: $(cat "$T/validate.err")"
[ "$FAILS" -eq 0 ] && ok "report: expected, falcoctl evidence, loadable tuning"
finish
