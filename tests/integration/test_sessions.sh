#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Shell sessions followed in the kernel (issue 13, part 2), on the real kernel and real
# podman containers: a tty session fed through a pseudo-terminal (script) whose typed
# commands, a backgrounded job and a double-forked grandchild all appear as session
# alerts and in the session's report; the session's end; caps on a session that floods
# (commands per session and per second, processes followed), counted and said, while
# another container's shell alert still arrives at once and nothing is dropped.
. "$(dirname "$0")/lib.sh"
command -v script >/dev/null || skip "script missing (bsdutils)"

make_image
mkdir -p "$T/reports"
# The session's shell with its session facts in output_fields, beside the default rules.
cat >"$T/leader_rules.yaml" <<'EOF'
- rule: Test session leaders
  desc: test only
  condition: spawned_process and shellsentry.session exists and shellsentry.session.leader = true
  output: >
    leader (session=%shellsentry.session pid=%shellsentry.session.pid
    start=%shellsentry.session.start reasons=%shellsentry.session.reasons)
  priority: DEBUG
  tags: [test]
EOF
start_daemon --hostname session-node --report-dir "$T/reports" --report-delay 1 --session-rate 50 \
	--session-max-commands 200 --session-max-members 64 \
	--rules "$ROOT/rules/shellsentry_rules.yaml" --rules "$T/leader_rules.yaml"
SC='.rule == "Command in container shell session"'
f() { jq -r ".output_fields.\"$1\"" <<<"$2"; }
cid=$(podman run -d "${PODMAN_FLAGS[@]}" "$IMAGE" /bin/sleep 300) || die "podman run failed"
cid2=$(podman run -d "${PODMAN_FLAGS[@]}" "$IMAGE" /bin/sleep 300) || die "podman run failed"

# 1. An interactive session through a real pty: typed commands, a background job, and
#    a grandchild whose parent exits before it runs (double fork).
printf '%s\n' '/bin/cat /etc/hostname' 'cd /tmp' '/bin/id' \
	'/bin/sh -c "/bin/true bg-job-marker" &' \
	'( (/bin/sleep 0.3; /bin/true grandchild-marker) & )' \
	'/bin/sleep 1' 'exit 3' |
	script -qec "podman exec -it $cid /bin/sh" /dev/null >/dev/null
lead=$(wait_alert ".rule == \"Test session leaders\" and .output_fields.\"proc.tty\" != 0 and .output_fields.\"container.id\" == \"${cid:0:12}\"") ||
	fail "no session leader alert for the interactive shell"
sid=$([ -n "${lead:-}" ] && f shellsentry.session "$lead")
[ -n "${lead:-}" ] && {
	a=$(wait_alert "$SC and .output_fields.\"shellsentry.session\" == \"$sid\" and .output_fields.\"proc.pid\" == $(f proc.pid "$lead")") ||
		a='{}'
	[ "$(jq -r .priority <<<"$a")" = Informational ] || fail "session rule priority: $a"
	jq -e '.tags | index("session")' <<<"$a" >/dev/null || fail "session tag: $a"
	[ "$(f shellsentry.session.reasons "$lead")" = injected,tty ] || fail "reasons: $lead"
	[ "$(f shellsentry.session.start "$lead")" = "$(f evt.time "$lead")" ] || fail "session start: $lead"
	[ "$(f shellsentry.session.pid "$lead")" = "$(f proc.pid "$lead")" ] || fail "session pid: $lead"
	[[ $sid =~ ^[0-9]+-[0-9a-f]+$ ]] || fail "session id $sid"
	ok "session $sid started by $(f proc.cmdline "$lead") (tty, injected)"
}
for cmd in "cat /etc/hostname" "id" "true bg-job-marker" "true grandchild-marker"; do
	a=$(wait_alert "$SC and .output_fields.\"shellsentry.session\" == \"$sid\" and .output_fields.\"proc.cmdline\" == \"$cmd\"") ||
		{ fail "no session alert for '$cmd'"; continue; }
	[ "$(f proc.pid "$a")" != "$(f proc.pid "$lead")" ] || fail "'$cmd' has the shell's pid: $a"
	ok "session command: $cmd (pid $(f proc.pid "$a"), parent $(f proc.pname "$a"))"
done
# proc.cwd of a session command (the session rule reads it; the kernel gathers it for
# session commands only): after the typed cd
a=$(wait_alert "$SC and .output_fields.\"shellsentry.session\" == \"$sid\" and .output_fields.\"proc.cmdline\" == \"id\"")
if [ -n "${a:-}" ] && [ "$(f proc.cwd "$a")" = /tmp/ ]; then
	ok "session command cwd /tmp/"
else
	fail "proc.cwd of 'id' after cd /tmp: ${a:-}"
fi
# the grandchild was reparented: its parent is no longer the session's shell nor its subshell
a=$(wait_alert "$SC and .output_fields.\"proc.cmdline\" == \"true grandchild-marker\"")
[ -n "${a:-}" ] && [ -n "${lead:-}" ] && [ "$(f proc.ppid "$a")" != "$(f proc.pid "$lead")" ] ||
	fail "the grandchild still has the shell as parent: ${a:-}"
# the session's end, with how it ended, in its report with every command (the report
# waits for the end)
for i in $(seq 100); do
	rep=$(grep -l "grandchild-marker" "$T"/reports/*.md 2>/dev/null | head -1)
	[ -n "$rep" ] && break
	sleep 0.1
done
if [ -n "${rep:-}" ]; then
	for cmd in "cat /etc/hostname" "true bg-job-marker" "true grandchild-marker"; do
		grep -qF "$cmd" "$rep" || fail "report $rep lacks '$cmd'"
	done
	grep -qF '`exit 3`' "$rep" || fail "report $rep lacks how the session ended (exit 3)"
	ok "report $(basename "$rep") lists the session's commands and its end (exit 3)"
	# nothing held back: its end is in the report only, not a stderr line per session
	! grep -q "session $sid ended" "$T/daemon.err" || fail "stderr line for an uneventful session"
else
	fail "no report for the session"
fi

# 2. A session that floods: 3000 commands, then 200 background processes (a small fork
#    bomb), under caps of 200 commands shown, 50 per second and 64 processes followed;
#    meanwhile another container's shell.
podman exec "$cid" /bin/sh -c 'i=0; while [ $i -lt 3000 ]; do /bin/true flood-$i; i=$((i+1)); done
	i=0; while [ $i -lt 200 ]; do /bin/sleep 2 & i=$((i+1)); done; wait' &
flood=$!
sleep 1
t0=$(date +%s%N)
podman exec "$cid2" /bin/sh -c 'true other-marker'
a=$(wait_alert '.rule == "Detect Shell in Container" and (.output_fields."proc.cmdline" | contains("other-marker"))' 20) ||
	fail "no alert for another container's shell during the flood"
t1=$(date +%s%N)
kill -0 "$flood" 2>/dev/null && ok "other container's alert during the flood, $(((t1 - t0) / 1000000)) ms after its exec started" ||
	ok "other container's alert after the flood ended (flood too short to overlap)"
wait "$flood"
fsid=$(jq -r "select($SC and (.output_fields.\"proc.cmdline\" | startswith(\"true flood-\"))) | .output_fields.\"shellsentry.session\"" "$T/alerts.json" | head -1)
[ -n "$fsid" ] || fail "no session alert for the flood"
for i in $(seq 200); do grep -q "session $fsid ended" "$T/daemon.err" && break; sleep 0.1; done
end=$(grep "session $fsid ended" "$T/daemon.err")
[ -n "$end" ] || fail "no end line for the flooding session"
shown=$(count_alerts "$SC and .output_fields.\"shellsentry.session\" == \"$fsid\"")
# the cap is on session-only commands: the session's shell itself alerts anyway
[ "$shown" -le 201 ] || fail "$shown commands shown for the flooding session, cap 200 + its shell"
[ "$shown" -ge 50 ] || fail "only $shown commands shown for the flooding session"
capped=$(sed -n 's/.* \([0-9]*\) not shown (session caps).*/\1/p' <<<"$end")
untracked=$(sed -n 's/.* \([0-9]*\) processes not followed.*/\1/p' <<<"$end")
[ "${capped:-0}" -ge 2800 ] || fail "capped ${capped:-?} < 2800: $end"
[ "${untracked:-0}" -ge 130 ] || fail "untracked ${untracked:-?} < 130 with a cap of 64: $end"
ok "flood: $shown shown, $capped not shown, $untracked processes not followed ($end)"

stop_daemon || fail "daemon exit status"
ex=$(grep 'shellsentry: exit:' "$T/daemon.err" | tail -1)
[[ $ex == *" drops=0 "* ]] || fail "events dropped on the main ring: $ex"
[[ $ex =~ session_capped=([0-9]+) ]] && [ "${BASH_REMATCH[1]}" -ge 2800 ] || fail "exit counters: $ex"
ok "exit: $ex"
finish
