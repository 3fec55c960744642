#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Hostile input from monitored processes (issue 8): huge and forged argv, and
# processes or containers that are gone before their alert is written. Every
# output (JSON, text, Markdown report) stays well-formed and shows the truth.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip "python3 missing"

make_image
METRICS=()
"$SS" --help 2>&1 | grep -q -- --metrics-addr && METRICS=(--metrics-addr "")
R='.rule == "Detect Shell in Container"'
ESC=$'\x1b'

# The forged argument: ANSI escapes (clear screen, colour, OSC title), CR/LF
# with a fake log line, a fake JSON alert, a Markdown heading and table,
# invalid UTF-8 (lone continuation, overlong, surrogate), DEL and a NUL-free
# C1 control.
FORGED=$(printf 'x\x1b[2J\x1b[31mred\x1b]0;pwned\x07\r\n2026-01-01T00:00:00.000000000Z: Critical forged log line\n{"rule":"Forged","priority":"Emergency"}\n# Forged heading\n| forged | table |\n\x80\xc0\xaf\xed\xa0\x80\x7f\xc2\x9b end')

# check_utf8 FILE: the whole file is valid UTF-8 (escaping must not pass bytes through).
check_utf8() {
	python3 -c 'import sys; open(sys.argv[1], "rb").read().decode("utf-8")' "$1" 2>/dev/null
}

# ---- JSON, with a report directory
mkdir -p "$T/reports"
start_daemon "${METRICS[@]}" --ringbuf-kib 16384 --report-dir "$T/reports"
cid=$(podman run -d "${PODMAN_FLAGS[@]}" "$IMAGE" /bin/sleep 300) || die "podman run failed"
CLEANUPS+=("podman rm -f -t 0 $cid")
[ "$(podman inspect -f '{{.State.Running}}' "$cid")" = true ] || die "container $cid is not running"

# 1. Thousands of arguments: the kernel copies 4 KiB of argv, the alert says it was cut.
args=()
for i in $(seq 1 5000); do args+=("arg$i"); done
podman exec "$cid" /bin/sh -c 'true hostile-many' "${args[@]}"
a=$(wait_alert "$R and (.output_fields.\"proc.cmdline\" | startswith(\"sh -c true hostile-many arg1 arg2 \"))" 30) ||
	fail "no alert for 5000 arguments"
[ -n "${a:-}" ] && {
	[ "$(jq -r '.output_fields."shellsentry.truncated"' <<<"$a")" = true ] ||
		fail "5000 arguments: shellsentry.truncated is not true"
	n=$(jq -r '.output_fields."proc.cmdline" | length' <<<"$a")
	[ "$n" -gt 3000 ] && [ "$n" -le 8192 ] || fail "5000 arguments: cmdline length $n"
	ok "5000 arguments: truncated, cmdline $n bytes"
}

# 2. Megabytes of argv: 16 arguments of 100 KiB (1.6 MB).
big=$(head -c 102400 /dev/zero | tr '\0' B)
bigargs=()
for i in $(seq 1 16); do bigargs+=("$big"); done
podman exec "$cid" /bin/sh -c 'true hostile-mega' "${bigargs[@]}"
a=$(wait_alert "$R and (.output_fields.\"proc.cmdline\" | startswith(\"sh -c true hostile-mega BBBB\"))" 30) ||
	fail "no alert for 1.6 MB of argv"
[ -n "${a:-}" ] && {
	[ "$(jq -r '.output_fields."shellsentry.truncated"' <<<"$a")" = true ] ||
		fail "1.6 MB argv: shellsentry.truncated is not true"
	ok "1.6 MB of argv: truncated"
}

# 3. Forged content: the exact argument comes back from the JSON (valid UTF-8
# parts); invalid bytes are escaped; no raw ESC or CR anywhere.
podman exec "$cid" /bin/sh -c 'true hostile-forged' "$FORGED"
a=$(wait_alert "$R and (.output_fields.\"proc.cmdline\" | startswith(\"sh -c true hostile-forged\"))" 30) ||
	fail "no alert for forged argv"
[ -n "${a:-}" ] && {
	got=$(jq -r '.output_fields."proc.args"' <<<"$a")
	case "$got" in
	"-c true hostile-forged x"*"[2J"*"[31mred"*"Critical forged log line"*'{"rule":"Forged"'*"# Forged heading"*" end")
		ok "forged argv: content preserved" ;;
	*) fail "forged argv not shown faithfully: $(jq '.output_fields."proc.args"' <<<"$a")" ;;
	esac
	[ "$(jq -r '.output_fields."shellsentry.argv_escaped" // "absent"' <<<"$a")" != false ] ||
		fail "argv_escaped is false for control characters"
}

# 4. A process that exits at once, in a container removed right after: the
# alert is still written, with the container's id from the cgroup.
podman run --rm "${PODMAN_FLAGS[@]}" "$IMAGE" /bin/sh -c 'true hostile-gone'
a=$(wait_alert "$R and (.output_fields.\"proc.cmdline\" | endswith(\"true hostile-gone\"))" 30) ||
	fail "no alert for a short-lived removed container"
[ -n "${a:-}" ] && {
	id=$(jq -r '.output_fields."container.id"' <<<"$a")
	[ ${#id} -eq 12 ] || fail "removed container: container.id '$id'"
	ok "short-lived removed container: alerted, container.id=$id"
}
# And one whose container is removed while its shell still runs.
gone=$(podman run -d "${PODMAN_FLAGS[@]}" "$IMAGE" /bin/sleep 300)
podman exec -d "$gone" /bin/sh -c 'true hostile-removed; sleep 5' >/dev/null
podman rm -f -t 0 "$gone" >/dev/null
wait_alert "$R and (.output_fields.\"proc.cmdline\" | endswith(\"sleep 5\"))" 30 >/dev/null ||
	fail "no alert for a shell in a container removed mid-alert"

stop_daemon || fail "daemon exit status"

while IFS= read -r line; do
	jq -e 'type == "object"' >/dev/null 2>&1 <<<"$line" || { fail "invalid JSON line: ${line:0:200}"; break; }
done <"$T/alerts.json"
grep -q "$ESC" "$T/alerts.json" && fail "raw ESC in JSON alerts"
grep -q $'\r' "$T/alerts.json" && fail "raw CR in JSON alerts"
check_utf8 "$T/alerts.json" || fail "JSON alerts are not valid UTF-8"
[ "$(grep -c . "$T/alerts.json")" -eq "$(jq -c . "$T/alerts.json" | wc -l)" ] ||
	fail "JSON alerts: line count differs from object count"
ok "JSON output well-formed ($(wc -l <"$T/alerts.json") alerts)"

# The Markdown reports: forged text never starts a line (no forged heading,
# table row or log line); no raw escape bytes.
if ls "$T/reports"/*.md >/dev/null 2>&1; then
	grep -l 'hostile-forged' "$T/reports"/*.md >/dev/null || fail "no report mentions the forged exec"
	grep -qE '^(# Forged heading|\| forged \||2026-01-01T00:00:00.000000000Z: Critical)' "$T/reports"/*.md &&
		fail "forged text starts a line in a Markdown report"
	cat "$T/reports"/*.md | grep -q "$ESC" && fail "raw ESC in a Markdown report"
	for f in "$T/reports"/*.md; do check_utf8 "$f" || fail "report $f is not valid UTF-8"; done
	ok "Markdown reports well-formed ($(ls "$T/reports"/*.md | wc -l) files)"
else
	fail "no Markdown report written"
fi

# ---- Text format: one line per alert, nothing forged.
: >"$T/alerts.json"
start_daemon "${METRICS[@]}" --ringbuf-kib 16384 --format text
podman exec "$cid" /bin/sh -c 'true hostile-text' "$FORGED"
podman exec "$cid" /bin/sh -c 'true hostile-text-many' "${args[@]}"
podman exec "$cid" /bin/sh -c 'true text-sentinel'
for i in $(seq 600); do
	grep -q 'text-sentinel' "$T/alerts.json" && break
	sleep 0.05
done
grep -q 'text-sentinel' "$T/alerts.json" || fail "no text alert for the sentinel"
stop_daemon || fail "daemon exit status (text)"
grep -q 'hostile-text ' "$T/alerts.json" || fail "no text alert for forged argv"
# Every line is an alert line: RFC 3339 time, then a priority. A forged line would not be.
bad=$(grep -cvE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z: (Emergency|Alert|Critical|Error|Warning|Notice|Informational|Debug) ' "$T/alerts.json")
[ "$bad" -eq 0 ] || fail "$bad text lines are not alert lines: $(grep -vE '^[0-9]{4}-' "$T/alerts.json" | head -2)"
grep -q "$ESC" "$T/alerts.json" && fail "raw ESC in text alerts"
grep -q $'\r' "$T/alerts.json" && fail "raw CR in text alerts"
LC_ALL=C grep -qP '[\x00-\x08\x0b-\x1f\x7f]' "$T/alerts.json" && fail "control characters in text alerts"
check_utf8 "$T/alerts.json" || fail "text alerts are not valid UTF-8"
ok "text output well-formed ($(wc -l <"$T/alerts.json") lines)"

finish
