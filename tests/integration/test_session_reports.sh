#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Reports of shell sessions (issues 13 and 17), on the real kernel and real podman
# containers:
# - an interactive session (podman exec -it through a real pty) with typed commands, a
#   background job and a pause longer than the report delay is ONE report: the session
#   summary (duration, commands, how it ended) and every command in the timeline, in
#   the order typed, with pid, user and the rules it matched;
# - a reverse shell with a TCP socket on its stdio is a malicious indicator naming its
#   peer, with the commands typed into it, and offers no exception;
# - a session past the session caps says how many commands it held back;
# - every exception the reports offer, loaded with the shipped rules, silences neither
#   shell when it comes again.
. "$(dirname "$0")/lib.sh"
command -v gcc >/dev/null || skip "gcc missing"
command -v script >/dev/null || skip "script missing (bsdutils)"

gcc -static -O2 -Wall -Werror "$ROOT/tests/integration/nethelper.c" -o "$T/nethelper" ||
	die "nethelper build failed"
add_tools() { cp "$T/nethelper" "$1/bin/nethelper"; }
make_image add_tools
mkdir -p "$T/reports"
for n in tty rev flood; do
	podman run -d "${PODMAN_FLAGS[@]}" --name "$n-$$" "$IMAGE" /bin/sleep 300 >/dev/null ||
		die "podman run $n failed"
done

# the interactive session: typed commands, a background job, a pause of 4 s (the report
# delay is 2 s), then exit 3
tty_session() { # TAG
	printf '%s\n' "/bin/cat /etc/shadow" "/bin/id" "/bin/sh -c '/bin/true bg-$1' &" \
		"/bin/sleep 4" "/bin/true after-pause-$1" "exit 3" |
		script -qec "podman exec -it tty-$$ /bin/sh" /dev/null >/dev/null
}
# a reverse shell: a listener in the container's network namespace types two
# commands into the shell that nethelper connects to it
rev_shell() { # PORT TAG
	podman exec -d "rev-$$" /bin/nethelper talk listen "$1" /tmp/rev-$2.out \
		"/bin/id" "/bin/cat /etc/passwd" "/bin/true typed-$2" exit >/dev/null || fail "listener"
	podman exec "rev-$$" /bin/nethelper connect "$1" /bin/sh -i >/dev/null 2>&1
}

start_daemon --metrics-addr '' --report-dir "$T/reports" --report-delay 2 --hostname node-s \
	--session-max-commands 30
tty_session first
rev_shell 4444 first
# a session that runs more commands than the cap: the report says how many it held back
podman exec "flood-$$" /bin/sh -c 'i=0; while [ $i -lt 100 ]; do /bin/true flood-$i; i=$((i+1)); done'
wait_alert '.output_fields."proc.cmdline" == "true typed-first"' 30 >/dev/null ||
	fail "the command typed into the reverse shell was not seen"
wait_alert ".output_fields.\"proc.cmdline\" == \"true after-pause-first\"" 30 >/dev/null ||
	fail "the tty session's last command was not seen"
# the reports are written once their session has ended and the delay has passed
for i in $(seq 100); do
	[ "$(ls "$T/reports" | grep -c -- "-$$\.md$")" -ge 3 ] && break
	sleep 0.1
done
stop_daemon || fail "daemon exit status"
[ -n "${SS_KEEP_REPORTS:-}" ] && cp -r "$T/reports" "$SS_KEEP_REPORTS"

# 1. the interactive session
n=$(ls "$T/reports" | grep -c -- "_tty-$$\.md$")
[ "$n" -eq 1 ] || fail "tty: $n reports for one session: $(ls "$T/reports")"
r=$T/reports/$(ls "$T/reports" | grep -- "_tty-$$\.md$" | head -1)
if [ -f "$r" ]; then
	grep -q '^## Shell session' "$r" || fail "tty: no session summary"
	row=$(grep -E '^\| `[0-9]+-[0-9a-f]+` \|' "$r" | head -1)
	[[ $row == *"injected, tty"* || $row == *"injected,tty"* ]] || fail "tty: reasons: $row"
	[[ $row == *"exit 3"* ]] || fail "tty: how it ended: $row"
	[[ $row =~ \|\ ([4-9]|[1-9][0-9])\.[0-9]\ s\ \| ]] || fail "tty: duration (>= 4 s): $row"
	# every typed command in the timeline, in the order typed (the background job runs
	# beside them: only present), with the shell's user
	grep -q -F '| `sh -c /bin/true bg-first` |' "$r" || fail "tty: timeline lacks the background job"
	grep -q -F '| `true bg-first` |' "$r" || fail "tty: timeline lacks the background job's exec"
	prev=0
	for c in "sh" "cat /etc/shadow" "id" "sleep 4" "true after-pause-first"; do
		l=$(grep -n -F "\`$c\`" "$r" | grep '^[0-9]*:| [0-9]' | head -1 | cut -d: -f1)
		[ -n "$l" ] || { fail "tty: timeline lacks '$c'"; continue; }
		[ "$l" -gt "$prev" ] || fail "tty: '$c' out of order (line $l after $prev)"
		prev=$l
	done
	# the rows are in time order (commands arrive out of it: two rings)
	times=$(grep '^| [0-9]' "$r" | cut -d'`' -f2)
	[ "$times" = "$(sort <<<"$times")" ] || fail "tty: timeline not in time order"
	grep -F '`cat /etc/shadow`' "$r" | grep -q 'root' || fail "tty: the command's user"
	grep -F '`cat /etc/shadow`' "$r" | grep -q 'shadow-file-access' ||
		fail "tty: the KB assessment of cat /etc/shadow"
	grep -q 'No exception is offered' "$r" || fail "tty: an exception offered for an interactive shell"
	ok "tty session: one report, $(grep -c '^| [0-9]' "$r") timeline rows, $(head -1 "$r" | cut -c1-100)"
fi

# 2. the reverse shell
r=$T/reports/$(ls "$T/reports" | grep -- "_rev-$$\.md$" | head -1)
if [ -f "$r" ]; then
	head -1 "$r" | grep -q 'malicious-indicator' || fail "rev: title $(head -1 "$r")"
	grep -q '`reverse-shell`' "$r" || fail "rev: the reverse-shell pattern not named"
	grep -q '127.0.0.1:4444' "$r" || fail "rev: the peer not named"
	grep -q 'network' "$r" || fail "rev: the session's reason"
	for c in "sh -i" "id" "cat /etc/passwd" "true typed-first"; do
		grep -q -F "\`$c\`" "$r" || fail "rev: timeline lacks '$c'"
	done
	grep -q 'No exception is offered' "$r" || fail "rev: an exception was offered"
	ok "reverse shell: $(head -1 "$r" | cut -c1-100)"
else
	fail "rev: no report: $(ls "$T/reports")"
fi

# 3. the capped session: 101 commands counted, 30 shown (the shell's own exec is never capped)
r=$T/reports/$(ls "$T/reports" | grep -- "_flood-$$\.md$" | head -1)
if [ -f "$r" ]; then
	row=$(grep -E '^\| `[0-9]+-[0-9a-f]+` \|' "$r" | head -1)
	[[ $row =~ \|\ 101\ \(([0-9]+)\ in\ the\ timeline\;\ ([0-9]+)\ not\ shown:\ session\ caps\)\ \| ]] ||
		fail "flood: commands and caps: $row"
	grep -q 'commands were not shown: the session caps' "$r" || fail "flood: no note on the caps"
	ok "capped session: $(sed 's/.*| \(101 ([^)]*)\) |.*/\1/' <<<"$row")"
else
	fail "flood: no report: $(ls "$T/reports")"
fi

# 4. every offered exception (from every report of this run), loaded with the shipped rules
cnt=$(offered_exceptions "$T/reports" "$T/tuning.yaml")
if [ "$cnt" -gt 0 ]; then
	"$SS" --validate --rules "$ROOT/rules/shellsentry_evasion_rules.yaml" \
		--rules "$ROOT/rules/shellsentry_rules.yaml" --rules "$T/tuning.yaml" >/dev/null 2>"$T/v.err" ||
		fail "offered exceptions do not load: $(cat "$T/v.err")"
fi
: >"$T/alerts.json"
start_daemon --metrics-addr '' --rules "$ROOT/rules/shellsentry_evasion_rules.yaml" \
	--rules "$ROOT/rules/shellsentry_rules.yaml" --rules "$T/tuning.yaml"
tty_session again
rev_shell 4445 again
wait_alert '.rule == "Reverse or bind shell in container" and .output_fields."shellsentry.stdio.peer" == "127.0.0.1:4445"' 30 >/dev/null ||
	fail "an offered exception silenced the reverse shell"
wait_alert ".rule == \"Terminal shell in container\" and .output_fields.\"container.name\" == \"tty-$$\"" 30 >/dev/null ||
	fail "an offered exception silenced the interactive shell"
wait_alert '.output_fields."proc.cmdline" == "cat /etc/shadow"' 30 >/dev/null ||
	fail "an offered exception silenced a command of the session"
stop_daemon || fail "daemon exit status (tuned)"
[ "$FAILS" -eq 0 ] && ok "$cnt offered exceptions load; neither shell is silenced"
finish
