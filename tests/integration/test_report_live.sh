#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# A root shell exec'd with a tty into a podman container produces an incident
# report with the real container id, lineage injected and the mitigations that
# fit podman (a container with no pod: no Kubernetes advice).
. "$(dirname "$0")/lib.sh"
command -v script >/dev/null || skip "script missing (bsdutils)"

make_image
mkdir -p "$T/reports"
cid=$(podman run -d "${PODMAN_FLAGS[@]}" "$IMAGE" /bin/sleep 60)
start_daemon --report-dir "$T/reports" --metrics-addr ''
script -qec "podman exec -t $cid /bin/sh -c 'true report-marker; /bin/sh -c \"true second-step\"'" /dev/null >/dev/null
wait_alert '.output_fields."proc.cmdline" | contains("second-step")' >/dev/null || fail "no alert"
# SIGTERM flushes open incidents.
stop_daemon || fail "daemon exit status"
n=$(ls "$T/reports" | wc -l)
[ "$n" -eq 1 ] || fail "expected one incident report, got $n: $(ls "$T/reports")"
r=$(ls "$T/reports"/*.md 2>/dev/null | head -1)
[ -n "$r" ] || finish
grep -q "${cid:0:12}" "$r" || fail "report lacks the container id ${cid:0:12}"
grep -qi 'injected' "$r" || fail "report lacks lineage injected"
grep -q 'report-marker' "$r" || fail "report lacks the first command"
grep -q 'second-step' "$r" || fail "report timeline lacks the second command"
grep -q 'podman events --filter event=exec' "$r" || fail "report lacks podman's exec trail"
grep -q 'podman run --cap-drop=ALL' "$r" || fail "report lacks podman's run flags"
grep -q 'pods/exec\|securityContext\|Pod Security' "$r" && fail "Kubernetes advice for a podman container"
grep -q '34816\|pts/' "$r" || fail "report lacks the terminal"
grep -Eq -- '--privileged|seccomp=unconfined' "$r" && fail "report recommends removing protections"
[ "$FAILS" -eq 0 ] && ok "live incident report $(basename "$r")"
finish
