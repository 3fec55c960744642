#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# A rules file written for Falco: with --falco-compat its exec rules load and
# fire on real container execs; rules on fd.*, evt.arg.* and k8s audit fields
# are skipped, one warning line each naming the rule and the field, and a
# summary counts loaded and skipped rules. Alert values keep Falco's formats.
. "$(dirname "$0")/lib.sh"

R=$T/falco_style_rules.yaml
# Written here in Falco's rule format; macros as Falco's rules files spell them.
cat >"$R" <<'EOF'
- required_engine_version: 0.31.0

- list: shell_binaries
  items: [ash, bash, csh, ksh, sh, tcsh, zsh, dash]

- macro: spawned_process
  condition: (evt.type in (execve, execveat) and evt.dir=<)

- macro: container
  condition: (container.id != host)

- macro: shell_procs
  condition: (proc.name in (shell_binaries))

- macro: open_write
  condition: (evt.type in (open, openat, openat2) and evt.is_open_write=true and fd.typechar='f' and fd.num>=0)

- rule: Marker shell in container
  desc: an exec rule, on fields shellsentry provides
  condition: spawned_process and container and shell_procs and proc.cmdline contains "fr-marker"
  output: >
    Marker shell (user=%user.name user_loginuid=%user.loginuid command=%proc.cmdline
    terminal=%proc.tty container_id=%container.id exe_flags=%evt.arg.flags)
  priority: WARNING
  tags: [container, shell]

- rule: Marker shell parent
  desc: a second exec rule, on the parent
  condition: spawned_process and container and proc.pname in (shell_binaries) and proc.cmdline contains "fr-child"
  output: Shell child (command=%proc.cmdline parent=%proc.pname)
  priority: NOTICE

- rule: Write below etc
  desc: an fd rule (through a macro, as Falco's own rules do)
  condition: open_write and container and fd.name startswith /etc
  output: File below /etc opened for writing (file=%fd.name command=%proc.cmdline)
  priority: ERROR

- rule: Read shadow
  desc: an fd rule
  condition: evt.type in (open, openat) and fd.name = /etc/shadow
  output: shadow read (command=%proc.cmdline)
  priority: WARNING

- rule: Mkdir below bin
  desc: an evt.arg rule
  condition: evt.type in (mkdir, mkdirat) and evt.arg.path startswith /bin/
  output: Directory created below /bin (path=%evt.arg.path)
  priority: ERROR

- rule: Pod created by anyone
  desc: a k8s audit rule without a source key
  condition: ka.verb = create and ka.target.resource = pods
  output: Pod created (user=%ka.user.name)
  priority: NOTICE

- rule: Exec into pod
  desc: a k8s audit rule as Falco's k8s_audit_rules.yaml writes them
  condition: ka.verb = create and ka.target.subresource = exec
  output: Exec into pod (user=%ka.user.name)
  priority: NOTICE
  source: k8s_audit
EOF

# 1. --validate: counts and one warning line per skipped rule.
"$SS" --validate --falco-compat --rules "$R" >"$T/v.out" 2>"$T/v.err"
rc=$?
[ $rc -eq 0 ] || fail "--validate --falco-compat exit $rc: $(cat "$T/v.err")"
summary=$(cat "$T/v.out")
[[ $summary == *"rules: 2 loaded"* ]] || fail "summary does not say 2 loaded: $summary"
[[ $summary == *" 5 skipped"* ]] || fail "summary does not say 5 skipped: $summary"
[ "$(grep -c 'warning: rule' "$T/v.err")" -eq 5 ] || fail "not one warning per skipped rule: $(cat "$T/v.err")"
expect_skip() { # RULE FIELD-OR-REASON
	local n
	n=$(grep -F "rule '$1' skipped" "$T/v.err" | grep -cF -- "$2")
	[ "$n" -eq 1 ] || fail "no single skip line for '$1' naming $2: $(grep -F "'$1'" "$T/v.err")"
}
# the first field shellsentry lacks is named, with its file:line:col
expect_skip "Write below etc" "unsupported field 'evt.is_open_write'"
expect_skip "Read shadow" "unsupported field 'fd.name'"
expect_skip "Mkdir below bin" "unsupported field 'evt.arg.path'"
expect_skip "Pod created by anyone" "unsupported field 'ka.verb'"
expect_skip "Exec into pod" "not a syscall rule"
grep -q "^$R:[0-9]*:[0-9]*: warning: rule 'Read shadow'" "$T/v.err" || fail "skip line lacks file:line:col"
grep -qF "Marker shell" "$T/v.err" && fail "an exec rule was warned about"
ok "validate: 2 loaded, 5 skipped with reasons"

# 2. Without --falco-compat the same file is an error naming the position and the field.
"$SS" --validate --rules "$R" >/dev/null 2>"$T/strict.err"
rc=$?
[ $rc -eq 1 ] || fail "strict load exit $rc, want 1"
grep -q "$R:[0-9]*:[0-9]*: .*field 'evt.is_open_write' is Falco's and shellsentry does not have it" "$T/strict.err" || fail "strict error: $(cat "$T/strict.err")"
ok "strict load rejects it with the position"

# 3. Live: the exec rules fire on real container execs; the skipped ones never do.
command -v script >/dev/null || skip "script missing (bsdutils)"
make_image
start_daemon --hostname fr-node --metrics-addr "" --falco-compat --rules "$R"
grep -q "warning: rule 'Read shadow' skipped: unsupported field 'fd.name'" "$T/daemon.err" ||
	fail "the daemon did not warn about the skipped rules"
cid=$(podman run -d "${PODMAN_FLAGS[@]}" "$IMAGE" /bin/sh -c 'true fr-marker; /bin/sh -c "true fr-child"; exec /bin/sleep 30')
a=$(wait_alert '.rule == "Marker shell in container"') || fail "exec rule did not fire"
[ -n "${a:-}" ] && {
	jq -e --arg c "${cid:0:12}" '.output_fields."container.id" == $c' <<<"$a" >/dev/null ||
		fail "container.id not the 12-character id ${cid:0:12}: $a"
	jq -e '.output_fields."proc.tty" | type == "number"' <<<"$a" >/dev/null || fail "proc.tty not a number: $a"
	want_luid=$(cat /proc/self/loginuid 2>/dev/null || echo 4294967295)
	[ "$want_luid" = 4294967295 ] && want_luid=-1
	jq -e --argjson l "$want_luid" '.output_fields."user.loginuid" == $l' <<<"$a" >/dev/null ||
		fail "user.loginuid is not $want_luid: $a"
	jq -e '.time | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\\.[0-9]{9}Z$")' <<<"$a" >/dev/null ||
		fail "time is not RFC 3339 with ns: $a"
	jq -e '.priority == "Warning" and .source == "syscall" and .hostname == "fr-node"' <<<"$a" >/dev/null ||
		fail "priority/source/hostname: $a"
	ok "exec rule fired with Falco's value formats"
}
a=$(wait_alert '.rule == "Marker shell parent"') || fail "parent exec rule did not fire"
[ -n "${a:-}" ] && { jq -e '.output_fields."proc.pname" == "sh"' <<<"$a" >/dev/null || fail "pname: $a"; }
# a sentinel proves the daemon saw everything before we count what must not be there
podman exec "$cid" /bin/sh -c 'true fr-marker sentinel; echo x >/etc/fr-written; mkdir /bin/fr-dir'
wait_alert '.rule == "Marker shell in container" and (.output_fields."proc.cmdline" | contains("sentinel"))' >/dev/null ||
	fail "no sentinel alert"
n=$(jq -r '.rule' "$T/alerts.json" | grep -cvxE 'Marker shell in container|Marker shell parent')
[ "$n" -eq 0 ] || fail "$n alerts of rules that should have been skipped"
# shellsentry's own output passes compare's Falco format checks
"$SS" compare --falco "$T/alerts.json" --ours "$T/alerts.json" --format json >"$T/self.json" ||
	fail "compare on our own alerts failed"
jq -e '.shellsentry.format_issues == 0 and .differ == false' "$T/self.json" >/dev/null ||
	fail "our alerts are not in Falco's formats: $(jq -c '.shellsentry.format_issue_examples' "$T/self.json")"
ok "skipped rules never fire; alerts pass the format checks"

podman rm -f -t 0 "$cid" >/dev/null
stop_daemon || fail "daemon exit status non-zero on SIGTERM"
finish
