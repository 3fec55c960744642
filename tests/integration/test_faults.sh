#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Faults and kernel fallbacks (issue 8): a ring buffer far too small for an
# exec storm, SIGHUP with broken rules, SIGKILL then restart, SIGTERM under
# load, the tracepoint fallback against tp_btf, --btf with a file and without.
. "$(dirname "$0")/lib.sh"
command -v bpftool >/dev/null || skip "bpftool missing"

make_image
METRICS=()
"$SS" --help 2>&1 | grep -q -- --metrics-addr && METRICS=(--metrics-addr "")
R='.rule == "Detect Shell in Container"'
cid=$(podman run -d "${PODMAN_FLAGS[@]}" "$IMAGE" /bin/sleep 600) || die "podman run failed"
CLEANUPS+=("podman rm -f -t 0 $cid")
x() { podman exec "$cid" "$@"; }

# storm N PARALLEL: N shell execs per loop in the container, PARALLEL loops.
storm() {
	x /bin/sh -c "for p in \$(seq $2); do (i=0; while [ \$i -lt $1 ]; do /bin/sh -c :; i=\$((i+1)); done) & done; wait"
}

# wait_line FILE PATTERN [TIMEOUT_S]
wait_line() {
	local i
	for i in $(seq $((${3:-10} * 20))); do
		grep -q -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}

# counter NAME: a value from the daemon's "exit:" line.
counter() { sed -n "s/.*shellsentry: exit:.* $1=\([0-9]*\).*/\1/p" "$T/daemon.err" | tail -1; }

# prog_ids PID: BPF programs the process holds (fdinfo of its fds).
prog_ids() { grep -h '^prog_id:' /proc/"$1"/fdinfo/* 2>/dev/null | awk '{print $2}' | sort -u; }
link_ids() { grep -h '^link_id:' /proc/"$1"/fdinfo/* 2>/dev/null | awk '{print $2}' | sort -u; }

# ---- 1. A 4 KiB ring buffer under an exec storm: no crash, drops counted and
# reported, and alerts again once the storm is over.
start_daemon "${METRICS[@]}" --ringbuf-kib 4
storm 1500 4
kill -0 "$DAEMON_PID" 2>/dev/null || fail "daemon died under the storm"
wait_line "$T/daemon.err" 'events dropped: ring buffer full' 5 ||
	fail "no drop report on stderr during the storm"
x /bin/sh -c 'true after-storm'
wait_alert "$R and (.output_fields.\"proc.cmdline\" | endswith(\"true after-storm\"))" 30 >/dev/null ||
	fail "no alert after the storm (no recovery)"
stop_daemon || fail "daemon exit status after the storm"
drops=$(counter drops) events=$(counter events)
[ "${drops:-0}" -gt 0 ] || fail "no drops counted with a 4 KiB ring buffer (events=$events)"
ok "4 KiB ring buffer: events=$events drops=$drops, reported, recovered"

# ---- 2. SIGHUP: broken rules keep the old ones; good rules replace them.
cp "$ROOT/rules/shellsentry_rules.yaml" "$T/rules.yaml"
: >"$T/alerts.json"
start_daemon "${METRICS[@]}" --ringbuf-kib 4096 --rules "$T/rules.yaml"
printf -- '- rule: broken\n  condition: proc.name = (\n  output: x\n  priority: NOTICE\n  desc: d\n' >"$T/rules.yaml"
kill -HUP "$DAEMON_PID"
wait_line "$T/daemon.err" 'reload failed' 10 || fail "no reload failure reported for broken rules"
grep -qE "$T/rules.yaml:[0-9]+:[0-9]+:" "$T/daemon.err" || fail "reload error does not name file:line:col"
x /bin/sh -c 'true after-bad-reload'
wait_alert "$R and (.output_fields.\"proc.cmdline\" | endswith(\"true after-bad-reload\"))" 30 >/dev/null ||
	fail "old rules not active after a failed reload"
sed 's/^- rule: Detect Shell in Container$/- rule: Reloaded shell rule/' \
	"$ROOT/rules/shellsentry_rules.yaml" >"$T/rules.yaml"
kill -HUP "$DAEMON_PID"
wait_line "$T/daemon.err" 'rules reloaded' 10 || fail "good rules not reloaded"
x /bin/sh -c 'true after-good-reload'
wait_alert '.rule == "Reloaded shell rule" and (.output_fields."proc.cmdline" | endswith("true after-good-reload"))' 30 >/dev/null ||
	fail "new rules not active after a reload"
kill -0 "$DAEMON_PID" || fail "daemon died on SIGHUP"
stop_daemon || fail "daemon exit status after reloads"
ok "SIGHUP: broken rules kept the old ones, good rules replaced them"

# ---- 3. SIGKILL: the kernel drops programs and links with the last fd.
: >"$T/alerts.json"
start_daemon "${METRICS[@]}"
progs=$(prog_ids "$DAEMON_PID") links=$(link_ids "$DAEMON_PID")
[ -n "$progs" ] && [ -n "$links" ] || fail "could not see the daemon's BPF programs and links"
kill -KILL "$DAEMON_PID"
wait "$DAEMON_PID" 2>/dev/null
DAEMON_PID=
left=
for i in $(seq 100); do
	left=
	for p in $progs; do bpftool prog show id "$p" >/dev/null 2>&1 && left="$left prog:$p"; done
	for l in $links; do bpftool link show id "$l" >/dev/null 2>&1 && left="$left link:$l"; done
	[ -z "$left" ] && break
	sleep 0.05
done
[ -z "$left" ] || fail "left attached after kill -9:$left"
start_daemon "${METRICS[@]}"
x /bin/sh -c 'true after-restart'
wait_alert "$R and (.output_fields.\"proc.cmdline\" | endswith(\"true after-restart\"))" 30 >/dev/null ||
	fail "no alert after a restart"
ok "SIGKILL: programs $(echo $progs) and links $(echo $links) gone; restart alerts"

# ---- 4. SIGTERM under load: exits 0, every alert written is whole, the
# alert counter matches the lines written.
stop_daemon || fail "daemon exit status"
: >"$T/alerts.json"
start_daemon "${METRICS[@]}" --ringbuf-kib 16384
storm 400 2 &
storm_pid=$!
wait_line "$T/alerts.json" 'sh -c :' 20 || fail "no alert from the storm before SIGTERM"
kill -TERM "$DAEMON_PID"
wait "$DAEMON_PID"
rc=$?
DAEMON_PID=
wait "$storm_pid"
[ "$rc" -eq 0 ] || fail "SIGTERM under load: exit status $rc"
alerts=$(counter alerts)
lines=$(wc -l <"$T/alerts.json")
[ -n "$alerts" ] && [ "$alerts" -eq "$lines" ] ||
	fail "SIGTERM under load: alerts=$alerts counted, $lines lines written"
[ "$(jq -c . "$T/alerts.json" 2>/dev/null | wc -l)" -eq "$lines" ] ||
	fail "SIGTERM under load: a partial or invalid JSON line"
[ -z "$(tail -c 1 "$T/alerts.json")" ] || fail "SIGTERM under load: last line not terminated"
ok "SIGTERM under load: exit 0, $lines whole alerts, counter agrees"

# ---- 5. The tracepoint fallback gives the alerts tp_btf gives.
# Fields both hooks know (the tracepoint has no bprm: no interpreter, no filename).
# Not proc.pname: under podman exec the parent is runc or, once runc has exited,
# conmon (the subreaper), whichever hook runs.
TUPLE='[.rule, .output_fields."proc.name", .output_fields."proc.cmdline", .output_fields."proc.exepath",
	.output_fields."container.id", .output_fields."shellsentry.shell", .output_fields."shellsentry.lineage",
	.output_fields."user.name", .output_fields."proc.tty", .output_fields."evt.arg.flags"] | @json'
hook_run() {
	local hook=$1 tag=$2
	: >"$T/alerts.json"
	start_daemon "${METRICS[@]}" --ringbuf-kib 4096 --hook "$hook"
	grep -q "attached $3" "$T/daemon.err" || fail "--hook $hook: attached something else: $(grep attached "$T/daemon.err")"
	x /bin/sh -c "true hook-$tag-1"
	x /bin/busybox sh -c "true hook-$tag-2"
	x /bin/sh -c "exec -a nginx /bin/sh -c 'true hook-$tag-3' 2>/dev/null" || true
	x /bin/sh -c "printf '#!/bin/sh\ntrue hook-$tag-4\n' >/tmp/s-$tag.sh; chmod +x /tmp/s-$tag.sh; /tmp/s-$tag.sh"
	x /bin/cat /proc/self/stat >/dev/null
	x /bin/sh -c "true hook-$tag-end"
	wait_alert "$R and (.output_fields.\"proc.cmdline\" | endswith(\"true hook-$tag-end\"))" 30 >/dev/null ||
		fail "--hook $hook: no sentinel alert"
	stop_daemon || fail "--hook $hook: exit status"
	jq -r "select(.output_fields.\"proc.cmdline\" | test(\"hook-$tag-|s-$tag.sh\")) | $TUPLE" "$T/alerts.json" |
		sed "s/hook-$tag-/hook-X-/g; s/s-$tag.sh/s-X.sh/g" | sort >"$T/hook-$tag.txt"
}
hook_run tp_btf btf tp_btf/sched_process_exec
hook_run tracepoint tp tracepoint/sched/sched_process_exec
n=$(wc -l <"$T/hook-btf.txt")
[ "$n" -ge 5 ] || fail "tp_btf gave only $n alerts for the hook cases"
if diff -u "$T/hook-btf.txt" "$T/hook-tp.txt" >"$T/hook.diff"; then
	ok "--hook tracepoint: the same $n alerts as tp_btf"
else
	fail "--hook tracepoint differs from tp_btf: $(cat "$T/hook.diff")"
fi

# ---- 6. --btf: a copy of the kernel's BTF works; a missing file is a clear error.
cp /sys/kernel/btf/vmlinux "$T/vmlinux.btf"
: >"$T/alerts.json"
start_daemon "${METRICS[@]}" --btf "$T/vmlinux.btf"
x /bin/sh -c 'true btf-copy'
wait_alert "$R and (.output_fields.\"proc.cmdline\" | endswith(\"true btf-copy\"))" 30 >/dev/null ||
	fail "--btf with a copy of the kernel BTF: no alert"
stop_daemon || fail "--btf copy: exit status"
"$SS" "${METRICS[@]}" --btf /nonexistent/vmlinux >"$T/nobtf.out" 2>"$T/nobtf.err"
rc=$?
[ "$rc" -ne 0 ] || fail "--btf /nonexistent/vmlinux exited 0"
grep -q '/nonexistent/vmlinux' "$T/nobtf.err" || fail "--btf error does not name the file: $(cat "$T/nobtf.err")"
grep -qi 'attached' "$T/nobtf.err" && fail "--btf /nonexistent/vmlinux attached anyway"
ok "--btf: copy works; missing file: exit $rc, '$(head -1 "$T/nobtf.err")'"

# ---- 7. Sinks that fail. A report folder that cannot be used is refused at
# start (exit 1, the folder and the reason named); one that becomes unwritable
# later, and a webhook nobody listens on, do not hold back alerts: stdout gets
# them at once, the daemon stays up and says why.
mkdir -p "$T/ro"
chmod 0555 "$T/ro"
"$SS" "${METRICS[@]}" --report-dir "$T/ro" >"$T/ro.out" 2>"$T/ro.err"
rc=$?
[ "$rc" -eq 1 ] || fail "unwritable --report-dir at start: exit $rc, want 1"
grep -q -- "--report-dir $T/ro: cannot write in it" "$T/ro.err" ||
	fail "unwritable --report-dir: no clear error: $(cat "$T/ro.err")"
grep -qi 'attached' "$T/ro.err" && fail "unwritable --report-dir: attached anyway"
: >"$T/ro.err"
"$SS" "${METRICS[@]}" --report-dir "$T/no/such/parent" >"$T/ro.out" 2>"$T/ro.err"
rc=$?
[ "$rc" -eq 1 ] || fail "--report-dir with a missing parent: exit $rc, want 1"
grep -q "cannot create it" "$T/ro.err" || fail "missing parent: no clear error: $(cat "$T/ro.err")"
mkdir -p "$T/later"
: >"$T/alerts.json"
start_daemon "${METRICS[@]}" --report-dir "$T/later" --report-delay 1 --http-url http://127.0.0.1:9/
chmod 0555 "$T/later"
x /bin/sh -c 'true sink-fault'
wait_alert "$R and (.output_fields.\"proc.cmdline\" | endswith(\"true sink-fault\"))" 30 >/dev/null ||
	fail "failing sinks held back the stdout alert"
wait_line "$T/daemon.err" 'incident reports not written' 15 ||
	fail "report folder unwritable after start: not reported on stderr"
kill -0 "$DAEMON_PID" 2>/dev/null || fail "daemon died with failing sinks"
stop_daemon || fail "failing sinks: exit status"
ls "$T/later"/* >/dev/null 2>&1 && fail "a report was written into a read-only folder"
ok "failing sinks: report folder refused at start, failures later reported, stdout alert delivered"
grep -q 'webhook' "$T/daemon.err" || fail "dead --http-url not reported on stderr"

# ---- 8. Disk full for the file sink: a 64 KiB tmpfs. Writes fail with ENOSPC,
# the failures are said on stderr, stdout keeps every alert, the daemon stays up.
mkdir -p "$T/full"
mount -t tmpfs -o size=64k tmpfs "$T/full" || fail "cannot mount a small tmpfs"
CLEANUPS=("umount $T/full" "${CLEANUPS[@]}")
: >"$T/alerts.json"
start_daemon "${METRICS[@]}" --output "$T/full/alerts.json"
x /bin/sh -c 'i=0; while [ $i -lt 120 ]; do /bin/sh -c "true disk-full-$i"; i=$((i+1)); done'
x /bin/sh -c 'true disk-full-last'
wait_alert "$R and (.output_fields.\"proc.cmdline\" | endswith(\"true disk-full-last\"))" 30 >/dev/null ||
	fail "disk full: stdout alert missing"
wait_line "$T/daemon.err" 'alert writes failed' 10 || fail "disk full: write failures not reported"
kill -0 "$DAEMON_PID" 2>/dev/null || fail "daemon died when the disk filled"
n_out=$(count_alerts "$R and (.output_fields.\"proc.cmdline\" | contains(\"disk-full-\"))")
[ "$n_out" -ge 121 ] || fail "disk full: stdout lost alerts ($n_out of 121)"
stop_daemon || fail "disk full: exit status"
[ "$FAILS" -eq 0 ] && ok "disk full (ENOSPC): reported, stdout kept all $n_out alerts, daemon up"

finish
