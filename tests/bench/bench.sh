#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#
# shellsentry benchmarks (issue 7), in one run, A/B alternated, medians and ratios.
#   bench.sh [--smoke] [--rounds N] [--storm-rounds N] [--execs N] [--container-execs N]
#            [--baseline BIN]
# Needs root (BPF, podman); without it prints why and exits 0. Writes a table on
# stdout and build/bench/results.json. --smoke: few iterations, exits 0 when every
# phase ran, whatever the numbers. --baseline: another shellsentry build (e.g. main's)
# attached in the BPF cost phase too, so both programs' costs come from the same run,
# and run in the storm, idle and sparse phases too, alternated with this build.
#
# 1. BPF cost per exec (kernel.bpf_stats_enabled, run_time_ns/run_cnt of each tool's own
#    programs, found through its fds): empty tp_btf program (floor), shellsentry, execsnoop,
#    all attached at once on the same host exec storm and container shell storm.
# 2. Exec storm wall time: none / floor / shellsentry / execsnoop, order rotated per round.
# 3-4. Container shell storm with shellsentry alone (then the baseline alone, alternated):
#    alerts/s, drops, exec -> alert latency (line_clock stamps each alert line as it
#    arrives), daemon CPU per alert, peak RSS, ring wakeups per record.
# 5. Startup: launch -> "attached" line (every shellsentry start of the run).
# 6. Replay: decode + rules + JSON on one core (replay), rules alone (rules_replay).
# 7. Alerts per exec with rule_matching first (Falco's default) and all, default rules:
#    plain shells, shells probing for falco, a shell with a terminal.
# 8. Idle: daemon CPU per 10 s and wakeups per second with nothing to read (and the baseline).
# 9. Sparse events: one container shell every 100 ms, exec -> alert p50/p99 (and the baseline).
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
B=$ROOT/build/bench
SS=${SS:-$ROOT/build/shellsentry}
EXECSNOOP=${EXECSNOOP:-$(command -v execsnoop || echo /usr/sbin/execsnoop)}

SMOKE=0 ROUNDS=5 HOST_N=4000 CT_N=4000 CT_JOBS=2 LAT_ROUNDS=3 REPLAY_N=100000
IDLE_ROUNDS=2 IDLE_S=10 SPARSE_N=100
BASE_SS=
usage() { sed -n '4,11p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
	case $1 in
	--smoke) SMOKE=1 ROUNDS=1 HOST_N=300 CT_N=300 LAT_ROUNDS=1 REPLAY_N=5000 IDLE_ROUNDS=1 IDLE_S=2 SPARSE_N=10 ;;
	--rounds) ROUNDS=${2:?}; shift ;;
	--storm-rounds) LAT_ROUNDS=${2:?}; shift ;;
	--execs) HOST_N=${2:?}; shift ;;
	--container-execs) CT_N=${2:?}; shift ;;
	--baseline) BASE_SS=${2:?}; shift ;;
	-h | --help) usage; exit 0 ;;
	*) echo "bench: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
	esac
	shift
done
for v in "$ROUNDS" "$LAT_ROUNDS" "$HOST_N" "$CT_N"; do
	[[ $v =~ ^[1-9][0-9]{0,6}$ ]] || { echo "bench: '$v' is not a count in 1..9999999" >&2; exit 2; }
done

if [ "$(id -u)" -ne 0 ]; then
	echo "bench: skipped: needs root (BPF programs, bpf_stats, podman)" >&2
	exit 0
fi
for t in "$SS" "$B/exec_storm" "$B/noop" "$B/line_clock" "$B/floor" "$B/floor.bpf.o" "$B/replay"; do
	[ -x "$t" ] || [ -f "$t" ] || { echo "bench: $t not built (make bench-tools)" >&2; exit 1; }
done
[ -z "$BASE_SS" ] || [ -x "$BASE_SS" ] || { echo "bench: --baseline $BASE_SS is not executable" >&2; exit 1; }
for c in podman jq bpftool; do
	command -v $c >/dev/null || { echo "bench: $c missing (make deps)" >&2; exit 1; }
done
[ -x "$EXECSNOOP" ] || { echo "bench: execsnoop missing (Debian libbpf-tools; make deps)" >&2; exit 1; }

T=$(mktemp -d /tmp/ss-bench.XXXXXX)
IMAGE=localhost/ss-bench:$$
LABEL=ss-bench-$$
CID=
PIDS=()
TRACEFS_MOUNTED=
STATS_WAS=$(sysctl -n kernel.bpf_stats_enabled 2>/dev/null || echo 0)
PODMAN_FLAGS=(--runtime runc --cgroup-manager cgroupfs --network none
	--ulimit nofile=1024:1024 --ulimit nproc=1024:1024 --label "$LABEL")

cleanup() {
	local rc=$? p
	for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
	for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
	podman ps -aq --filter "label=$LABEL" 2>/dev/null | xargs -r podman rm -f -t 0 >/dev/null 2>&1
	podman rmi -f "$IMAGE" >/dev/null 2>&1
	sysctl -qw kernel.bpf_stats_enabled="$STATS_WAS" 2>/dev/null
	[ -n "$TRACEFS_MOUNTED" ] && umount "$TRACEFS_MOUNTED" 2>/dev/null
	rm -rf "$T"
	exit $rc
}

trap cleanup EXIT
trap 'exit 130' INT TERM

die() { echo "bench: $*" >&2; exit 1; }
note() { echo "bench: $*" >&2; }
. "$(dirname "$0")/lib.sh"
now_us() { echo "${EPOCHREALTIME/./}"; }

# Number of BPF links a process holds: the tool is attached when it has them.
links_of() { local n=0 f; for f in /proc/$1/fd/*; do [ "$(readlink "$f" 2>/dev/null)" = anon_inode:bpf_link ] && n=$((n + 1)); done; echo $n; }
has_links() { kill -0 "$1" 2>/dev/null && [ "$(links_of "$1")" -ge "$2" ]; }

# ---- the tools under test ----
TOOL_PID=
SS_EXTRA=()
start_tool() { # NAME [stdout [shellsentry options...]]
	local name=$1 out=${2:-/dev/null} t0
	shift $(($# < 2 ? $# : 2))
	case $name in
	none) TOOL_PID= ;;
	floor)
		"$B/floor" "$B/floor.bpf.o" 2>"$T/floor.err" &
		TOOL_PID=$!
		wait_for 10 has_line "$T/floor.err" 'floor: attached' || die "floor did not attach: $(cat "$T/floor.err")" ;;
	shellsentry)
		: >"$T/ss.err"
		t0=$(now_us)
		"$SS" --hostname bench "${SS_EXTRA[@]}" "$@" 2> >("$B/line_clock" stamp >"$T/ss.err") >"$out" &
		TOOL_PID=$!
		wait_for 10 has_line "$T/ss.err" 'shellsentry: attached' ||
			die "shellsentry did not attach: $(cat "$T/ss.err")"
		rec startup_ms "$(awk -v t0="$t0" '/shellsentry: attached/ {printf "%.1f\n", ($1/1000 - t0)/1000; exit}' "$T/ss.err")" ;;
	baseline)
		: >"$T/base.err"
		"$BASE_SS" --hostname bench "$@" 2>"$T/base.err" >"$out" &
		TOOL_PID=$!
		wait_for 10 has_line "$T/base.err" 'shellsentry: attached' ||
			die "baseline shellsentry did not attach: $(cat "$T/base.err")" ;;
	execsnoop)
		"$EXECSNOOP" >"$out" 2>"$T/es.err" &
		TOOL_PID=$!
		# Its header is block-buffered into a file: attached = its two links exist.
		wait_for 10 has_links "$TOOL_PID" 2 || die "execsnoop did not attach: $(cat "$T/es.err")" ;;
	esac
	[ -n "$TOOL_PID" ] && PIDS+=("$TOOL_PID")
	return 0
}
stop_tool() { # PID: SIGTERM, wait, return its status
	local rc
	[ -n "$1" ] || return 0
	kill -TERM "$1" 2>/dev/null
	wait "$1"
	rc=$?
	drop_pid "$1"
	return $rc
}

# ---- container image: busybox + the static storm programs ----
make_image() {
	local r=$T/rootfs a
	mkdir -p "$r/bin" "$r/etc" "$r/proc" "$r/sys" "$r/dev" "$r/tmp"
	cp /bin/busybox "$r/bin/busybox" || die "busybox-static missing (make deps)"
	for a in sh sleep true; do ln -sf busybox "$r/bin/$a"; done
	cp "$B/exec_storm" "$B/noop" "$r/bin/"
	printf 'root:x:0:0:root:/root:/bin/sh\n' >"$r/etc/passwd"
	tar -C "$r" -c . | podman import -q - "$IMAGE" >/dev/null || die "podman import failed"
	CID=$(podman run -d "${PODMAN_FLAGS[@]}" "$IMAGE" /bin/sleep 3600) || die "podman run failed"
}

# host_storm: prints "<wall ns> <cpu ns>" of the storm; fails when not every exec ran.
host_storm() {
	local o
	o=$("$B/exec_storm" -j 1 -n "$HOST_N" -t 120 "$B/noop") || die "host exec storm failed: $o"
	sed -n 's/.* ns=\([0-9]*\) cpu_ns=\([0-9]*\).*/\1 \2/p' <<<"$o"
}
# ct_noop_storm: non-matching execs inside the container, from a parent that is no shell
# (podman exec of exec_storm: no session).
ct_noop_storm() {
	local o
	o=$(podman exec "$CID" /bin/exec_storm -j "$CT_JOBS" -n "$CT_N" -t 120 /bin/noop) ||
		die "container noop storm failed: $o"
	echo "$o"
}
# session_storm: the same from a shell exec'd into the container (a session: sh -c
# execs exec_storm in its own process, a member), so every noop is a session command.
session_storm() {
	local o
	o=$(podman exec "$CID" /bin/sh -c "/bin/exec_storm -j $CT_JOBS -n $CT_N -t 120 /bin/noop") ||
		die "session storm failed: $o"
	echo "$o"
}
# ct_storm: shell execs inside the container by path (busybox sh is a real exec).
ct_storm() {
	local o
	o=$(podman exec "$CID" /bin/exec_storm -j "$CT_JOBS" -n "$CT_N" -t 120 /bin/sh -c true) ||
		die "container shell storm failed: $o"
	echo "$o"
}

# execsnoop attaches syscall tracepoints: it needs tracefs, which this machine may not mount.
if [ ! -d /sys/kernel/tracing/events/syscalls ] && [ ! -d /sys/kernel/debug/tracing/events/syscalls ]; then
	mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null && TRACEFS_MOUNTED=/sys/kernel/tracing
	[ -d /sys/kernel/tracing/events/syscalls ] || die "no syscall tracepoints (tracefs) for execsnoop"
fi
# Latency, drops and wall times need the CPUs: say so when others use them.
LOAD_BEFORE=$(cut -d' ' -f1 /proc/loadavg)
awk -v l="$LOAD_BEFORE" -v n="$(nproc)" 'BEGIN {exit !(l > n / 4)}' &&
	note "warning: load average $LOAD_BEFORE on $(nproc) cores: latency, drops and wall times will suffer"
note "machine: $(nproc) cores, kernel $(uname -r); rounds=$ROUNDS host_execs=$HOST_N container_execs=$CT_N"
make_image
# Warm-up: the first storm pays for page cache and allocator growth, no tool should.
host_storm >/dev/null

# ---- 1. BPF cost per exec, all tools attached, same storms ----
# Storms: host (noop, non-matching), container shells (matching), container noop from a
# non-shell (non-matching, no session), container noop in a session (session commands:
# the default caps hold nearly all back). Fork and exit hooks per call over the host
# storm (no process there is in a session) and over the session storm (members).
sysctl -qw kernel.bpf_stats_enabled=1 || die "cannot enable kernel.bpf_stats_enabled"
start_tool floor; FLOOR=$TOOL_PID
start_tool shellsentry; SSP=$TOOL_PID
start_tool execsnoop; ESP=$TOOL_PID
# progs_named PID GLOB: the ids of the process's programs whose name matches
progs_named() { local i; for i in $(prog_ids "$1"); do [[ $(prog_name "$i") == $2 ]] && echo "$i"; done; }
exec_progs() { progs_named "$1" 'handle_exec*'; }
floor_ids=$(progs_named "$FLOOR" bench_floor)
ffork_ids=$(progs_named "$FLOOR" bench_floor_fork); fexit_ids=$(progs_named "$FLOOR" bench_floor_exit)
ss_ids=$(exec_progs "$SSP")
sfork_ids=$(progs_named "$SSP" 'handle_fork*'); sexit_ids=$(progs_named "$SSP" 'handle_exit*')
es_ids=$(prog_ids "$ESP")
[ -n "$floor_ids" ] && [ -n "$ss_ids" ] && [ -n "$es_ids" ] || die "cannot find the programs (floor: $floor_ids, shellsentry: $ss_ids, execsnoop: $es_ids)"
[ -n "$ffork_ids" ] && [ -n "$fexit_ids" ] && [ -n "$sfork_ids" ] && [ -n "$sexit_ids" ] ||
	die "cannot find the fork/exit programs (floor: $ffork_ids $fexit_ids, shellsentry: $sfork_ids $sexit_ids)"
KINDS="floor ss es ffork fexit sfork sexit"
note "programs: floor $floor_ids (fork $ffork_ids, exit $fexit_ids), shellsentry $ss_ids ($(prog_name $ss_ids); fork $sfork_ids, exit $sexit_ids), execsnoop $(echo $es_ids)"
for r in $(seq "$ROUNDS"); do
	for k in $KINDS; do v=${k}_ids; snap "$T/$k.0" ${!v}; done
	host_storm >/dev/null
	for k in $KINDS; do v=${k}_ids; snap "$T/$k.1" ${!v}; done
	ct_storm >/dev/null
	for k in $KINDS; do v=${k}_ids; snap "$T/$k.2" ${!v}; done
	ct_noop_storm >/dev/null
	for k in $KINDS; do v=${k}_ids; snap "$T/$k.3" ${!v}; done
	session_storm >/dev/null
	for k in $KINDS; do v=${k}_ids; snap "$T/$k.4" ${!v}; done
	for k in $KINDS; do
		rec "bpf_${k}_host" "$(cost "$T/$k.0" "$T/$k.1")"
		rec "bpf_${k}_ct" "$(cost "$T/$k.1" "$T/$k.2")"
		rec "bpf_${k}_ctnoop" "$(cost "$T/$k.2" "$T/$k.3")"
		rec "bpf_${k}_sess" "$(cost "$T/$k.3" "$T/$k.4")"
	done
done
stop_tool "$ESP"; stop_tool "$SSP" || die "shellsentry failed (cost phase)"
# 1b. Session commands all sent (caps off): the gathering and the session ring per exec.
start_tool shellsentry /dev/null --session-rate 0 --session-max-commands 0; SSP=$TOOL_PID
sent_ids=$(exec_progs "$SSP")
for r in $(seq "$ROUNDS"); do
	for k in floor sent; do v=${k}_ids; snap "$T/$k.0" ${!v}; done
	session_storm >/dev/null
	for k in floor sent; do v=${k}_ids; snap "$T/$k.1" ${!v}; done
	rec bpf_floor_sesssent "$(cost "$T/floor.0" "$T/floor.1")"
	rec bpf_sent_sesssent "$(cost "$T/sent.0" "$T/sent.1")"
done
stop_tool "$SSP" || die "shellsentry failed (session phase)"
# 1c. shellsentry against a baseline build, both behind the empty program. Programs
# on one tracepoint run in attach order and the first pays the cache misses on the
# task's fields, so the order alternates per round.
if [ -n "$BASE_SS" ]; then
	for r in $(seq "$ROUNDS"); do
		if [ $((r % 2)) = 1 ]; then
			start_tool shellsentry; SSP=$TOOL_PID; start_tool baseline; BSP=$TOOL_PID
		else
			start_tool baseline; BSP=$TOOL_PID; start_tool shellsentry; SSP=$TOOL_PID
		fi
		ab_ids=$(exec_progs "$SSP"); base_ids=$(exec_progs "$BSP")
		[ -n "$ab_ids" ] && [ -n "$base_ids" ] || die "cannot find the programs (shellsentry: $ab_ids, baseline: $base_ids)"
		for k in floor ab base; do v=${k}_ids; snap "$T/$k.0" ${!v}; done
		host_storm >/dev/null
		for k in floor ab base; do v=${k}_ids; snap "$T/$k.1" ${!v}; done
		ct_storm >/dev/null
		for k in floor ab base; do v=${k}_ids; snap "$T/$k.2" ${!v}; done
		ct_noop_storm >/dev/null
		for k in floor ab base; do v=${k}_ids; snap "$T/$k.3" ${!v}; done
		for k in floor ab base; do
			rec "bpf_${k}_host_ab" "$(cost "$T/$k.0" "$T/$k.1")"
			rec "bpf_${k}_ct_ab" "$(cost "$T/$k.1" "$T/$k.2")"
			rec "bpf_${k}_ctnoop_ab" "$(cost "$T/$k.2" "$T/$k.3")"
		done
		note "baseline round $r: ns/exec floor/shellsentry/baseline: host $(tail -qn1 "$T/m.bpf_floor_host_ab" "$T/m.bpf_ab_host_ab" "$T/m.bpf_base_host_ab" | paste -sd/), container shell $(tail -qn1 "$T/m.bpf_floor_ct_ab" "$T/m.bpf_ab_ct_ab" "$T/m.bpf_base_ct_ab" | paste -sd/), container non-matching $(tail -qn1 "$T/m.bpf_floor_ctnoop_ab" "$T/m.bpf_ab_ctnoop_ab" "$T/m.bpf_base_ctnoop_ab" | paste -sd/)"
		stop_tool "$SSP" || die "shellsentry failed (baseline phase)"
		stop_tool "$BSP" || die "baseline shellsentry failed (baseline phase)"
	done
fi
stop_tool "$FLOOR"
sysctl -qw kernel.bpf_stats_enabled="$STATS_WAS"

# ---- 2. exec storm wall time, one tool at a time, order rotated per round ----
tools=(none floor shellsentry execsnoop)
for r in $(seq "$ROUNDS"); do
	for k in 0 1 2 3; do
		t=${tools[$(((k + r) % 4))]}
		start_tool "$t"
		read -r w c < <(host_storm)
		rec "wall_$t" "$w"
		rec "cpu_$t" "$c"
		# execsnoop dies of SIGTERM (it only handles SIGINT): only shellsentry's status counts.
		stop_tool "$TOOL_PID" || [ "$t" != shellsentry ] || die "shellsentry failed (wall-time phase)"
	done
done

# ---- 3-5. container shell storm: shellsentry alone (and the baseline alone, the two
# alternated), its alerts read as they come ----
cpu_ns() { # PID: CPU time of all its threads, ns
	cat /proc/$1/task/*/schedstat 2>/dev/null | awk '{s += $1} END {printf "%.0f\n", s}'
}
storm_round() { # TOOL ROUND: metrics keyed "", or "base_" for the baseline
	local t=$1 r=$2 p= err=$T/ss.err pid c0 c1 o execs ns hwm ex sent storm_alerts drops events alerts
	[ "$t" = baseline ] && p=base_ err=$T/base.err
	rm -f "$T/out.fifo"; mkfifo "$T/out.fifo"
	"$B/line_clock" latency -o "$T/alerts.json" <"$T/out.fifo" >"$T/lat.json" &
	LCP=$!; PIDS+=("$LCP")
	start_tool "$t" "$T/out.fifo"; pid=$TOOL_PID
	c0=$(cpu_ns "$pid")
	o=$(ct_storm)
	execs=$(sed -n 's/^execs=\([0-9]*\).*/\1/p' <<<"$o"); ns=$(sed -n 's/.* ns=\([0-9]*\).*/\1/p' <<<"$o")
	# A sentinel shell: once its alert is out, everything before it was handled.
	podman exec "$CID" /bin/sh -c "true bench-sentinel-$t-$r"
	wait_for 30 has_line "$T/alerts.json" "bench-sentinel-$t-$r" || die "no alert for the sentinel shell ($t)"
	c1=$(cpu_ns "$pid")
	hwm=$(awk '/^VmHWM:/ {print $2}' /proc/$pid/status)
	stop_tool "$pid" || die "$t exit status non-zero (storm)"
	wait "$LCP"; drop_pid "$LCP"
	ex=$(grep 'shellsentry: exit: execs=' "$err" | tail -1)
	[ -n "$ex" ] || die "no exit counters from $t"
	field() { sed -n "s/.* $1=\([0-9]*\).*/\1/p" <<<"$ex"; }
	drops=$(field drops); events=$(field events); alerts=$(field alerts)
	sent=$(grep -c "bench-sentinel-$t-$r" "$T/alerts.json")
	storm_alerts=$(($(jq .lines "$T/lat.json") - sent))
	rec ${p}ct_execs_per_s "$(awk -v e="$execs" -v n="$ns" 'BEGIN {printf "%.0f\n", e / (n / 1e9)}')"
	rec ${p}ct_alerts_per_s "$(awk -v a="$storm_alerts" -v n="$ns" 'BEGIN {printf "%.0f\n", a / (n / 1e9)}')"
	rec ${p}alerts_per_exec "$(awk -v a="$storm_alerts" -v e="$execs" 'BEGIN {printf "%.2f\n", a / e}')"
	rec ${p}drops "$drops"
	rec ${p}events "$events"
	rec ${p}lat_p50_us "$(jq .p50_us "$T/lat.json")"
	rec ${p}lat_p99_us "$(jq .p99_us "$T/lat.json")"
	rec ${p}lat_max_us "$(jq .max_us "$T/lat.json")"
	rec ${p}cpu_us_per_alert "$(awk -v c="$((c1 - c0))" -v a="$alerts" 'BEGIN {printf "%.2f\n", a ? c / 1000 / a : 0}')"
	rec ${p}cpu_us_per_event "$(awk -v c="$((c1 - c0))" -v a="$events" 'BEGIN {printf "%.2f\n", a ? c / 1000 / a : 0}')"
	rec ${p}rss_kib "$hwm"
	# Batching: ring wakeups per record read (builds that print a reader line).
	ex=$(grep 'shellsentry: reader (exit):' "$err" | tail -1)
	[ -z "$ex" ] || rec ${p}wakeups_per_record "$(awk -v w="$(field wakeups)" -v n="$(field records)" 'BEGIN {printf "%.3f\n", n ? w / n : 0}')"
	note "storm round $r, $t: drops $drops, CPU/alert $(tail -n1 "$T/m.${p}cpu_us_per_alert") us, p50/p99 $(jq .p50_us "$T/lat.json")/$(jq .p99_us "$T/lat.json") us, $execs execs in $((ns / 1000000)) ms, load $(cut -d' ' -f1 /proc/loadavg)"
}
for r in $(seq "$LAT_ROUNDS"); do
	if [ -z "$BASE_SS" ]; then
		storm_round shellsentry "$r"
	elif [ $((r % 2)) = 1 ]; then
		storm_round shellsentry "$r"; storm_round baseline "$r"
	else
		storm_round baseline "$r"; storm_round shellsentry "$r"
	fi
done

# ---- 6. replay on one core ----
"$B/replay" -n "$REPLAY_N" -r "$ROOT/rules/shellsentry_rules.yaml" >"$T/replay.json" || die "replay failed"
RULES_ONLY=null
if [ -x "$B/rules_replay" ]; then
	RULES_ONLY=$("$B/rules_replay" "$ROOT/rules/shellsentry_rules.yaml" $((REPLAY_N * 4)) |
		sed -n 's/.*: \([0-9]*\) events\/s.*/\1/p')
	RULES_ONLY=${RULES_ONLY:-null}
fi

# ---- 7. alerts per exec: rule_matching first (Falco's default) and all ----
MATCH_N=$([ "$SMOKE" = 1 ] && echo 20 || echo 200)
per_marker() { # FILE MARKER EXECS: alerts whose command line holds MARKER, per exec
	local n
	n=$(jq -r --arg m "$2" 'select(.output_fields."proc.cmdline" | contains($m)) | .rule' "$1" | wc -l)
	awk -v a="$n" -v e="$3" 'BEGIN {printf "%.2f\n", a / e}'
}
for m in first all; do
	SS_EXTRA=(--rule-matching "$m")
	start_tool shellsentry "$T/match-$m.json"; SSP=$TOOL_PID
	podman exec "$CID" /bin/exec_storm -j 1 -n "$MATCH_N" -t 120 /bin/sh -c "true bench-plain" >/dev/null ||
		die "plain shell storm failed"
	podman exec "$CID" /bin/exec_storm -j 1 -n "$MATCH_N" -t 120 /bin/sh -c "grep -q falco /dev/null 2>&1; true bench-probe" >/dev/null ||
		die "probe shell storm failed"
	if command -v script >/dev/null; then
		script -qec "podman exec -t $CID /bin/sh -c 'true bench-tty'" /dev/null >/dev/null </dev/null
	fi
	podman exec "$CID" /bin/sh -c "true bench-match-sentinel"
	wait_for 30 has_line "$T/match-$m.json" bench-match-sentinel || die "no alert for the rule_matching sentinel"
	stop_tool "$SSP" || die "shellsentry failed (rule_matching $m)"
	rec "ape_${m}_plain" "$(per_marker "$T/match-$m.json" bench-plain "$MATCH_N")"
	rec "ape_${m}_probe" "$(per_marker "$T/match-$m.json" bench-probe "$MATCH_N")"
	rec "ape_${m}_tty" "$(per_marker "$T/match-$m.json" bench-tty 1)"
done
SS_EXTRA=()

# ---- 8. idle: CPU and wakeups with nothing to read ----
# Rules on a name nothing here runs, so that other containers on a shared machine send
# nothing; on a quiet node the default rules give the same (no records, no wakeups).
# CPU from utime+stime (/proc/PID/stat, ticks) as the issue measured it, and from
# schedstat (ns) for the resolution; wakeups = voluntary context switches of all threads.
IDLE_RULES=$T/idle-rules.yaml
printf -- '- rule: Bench idle marker\n  desc: matches nothing on this machine\n  condition: evt.type in (execve, execveat) and container.id != host and proc.name = ssbenchidle\n  output: idle %%proc.cmdline\n  priority: NOTICE\n' >"$IDLE_RULES"
vcs_all() { cat /proc/$1/task/*/status 2>/dev/null | awk '/^voluntary_ctxt_switches/ {s += $2} END {print s + 0}'; }
ticks() { awk '{print $14 + $15}' /proc/$1/stat; }
idle_round() { # TOOL: one window of IDLE_S seconds (the sleep is the window)
	local t=$1 p= pid w0 c0 k0 w1 c1 k1 hz
	[ "$t" = baseline ] && p=base_
	start_tool "$t" /dev/null --rules "$IDLE_RULES" --metrics-addr ""; pid=$TOOL_PID
	w0=$(vcs_all "$pid"); c0=$(cpu_ns "$pid"); k0=$(ticks "$pid")
	sleep "$IDLE_S"
	w1=$(vcs_all "$pid"); c1=$(cpu_ns "$pid"); k1=$(ticks "$pid")
	stop_tool "$pid" || die "$t exit status non-zero (idle)"
	# Records are what may wake it here: other containers' cgroups going away.
	[ "$t" = baseline ] || rec idle_records "$(sed -n 's/.*reader (exit):.* records=\([0-9]*\).*/\1/p' "$T/ss.err" | tail -1)"
	hz=$(getconf CLK_TCK)
	rec ${p}idle_ticks_ms_per_10s "$(awk -v k="$((k1 - k0))" -v hz="$hz" -v s="$IDLE_S" 'BEGIN {printf "%.1f\n", k * 1000 / hz * 10 / s}')"
	rec ${p}idle_cpu_ms_per_10s "$(awk -v c="$((c1 - c0))" -v s="$IDLE_S" 'BEGIN {printf "%.3f\n", c / 1e6 * 10 / s}')"
	rec ${p}idle_wakeups_per_s "$(awk -v w="$((w1 - w0))" -v s="$IDLE_S" 'BEGIN {printf "%.2f\n", w / s}')"
}
# ---- 9. sparse events: one container shell every 100 ms, exec -> alert latency ----
# Only the marked shells are sampled (others' containers alert too on a shared machine);
# samples of all rounds are pooled per build.
sparse_round() { # TOOL ROUND
	local t=$1 r=$2 p= pid m=sparse-$$-$t-$r
	[ "$t" = baseline ] && p=base_
	rm -f "$T/out.fifo"; mkfifo "$T/out.fifo"
	"$B/line_clock" latency -m "$m" -l "$T/${p}sparse.ns" <"$T/out.fifo" >"$T/sparse.json" &
	LCP=$!; PIDS+=("$LCP")
	start_tool "$t" "$T/out.fifo"; pid=$TOOL_PID
	# The marker is put together inside: the loop's own shell does not carry it.
	podman exec "$CID" /bin/sh -c "a=${m%%-*}; b=${m#*-}; i=0; while [ \$i -lt $SPARSE_N ]; do /bin/sh -c \"true \$a-\$b\"; sleep 0.1; i=\$((i + 1)); done" ||
		die "sparse shells failed"
	stop_tool "$pid" || die "$t exit status non-zero (sparse)"
	wait "$LCP"; drop_pid "$LCP"
	[ "$(jq .samples "$T/sparse.json")" -ge "$SPARSE_N" ] || die "sparse: $(jq .samples "$T/sparse.json") of $SPARSE_N alerts ($t)"
}
# pct FILE P: nearest-rank percentile of the ns samples in FILE, in us.
pct() { [ -s "$1" ] && sort -n "$1" | awk -v p="$2" '{v[NR] = $1} END {k = int(p / 100 * NR + 0.999999); if (k < 1) k = 1; printf "%.1f\n", v[k] / 1000}' || echo null; }
for r in $(seq "$IDLE_ROUNDS"); do
	if [ -z "$BASE_SS" ]; then
		idle_round shellsentry; sparse_round shellsentry "$r"
	elif [ $((r % 2)) = 1 ]; then
		idle_round shellsentry; idle_round baseline
		sparse_round shellsentry "$r"; sparse_round baseline "$r"
	else
		idle_round baseline; idle_round shellsentry
		sparse_round baseline "$r"; sparse_round shellsentry "$r"
	fi
done

# ---- results ----
M() { med "$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (a == "null" || b == "null" || b == 0) print "null"; else printf "%.3f\n", a / b}'; }
per_exec_us() { awk -v v="$1" -v n="$HOST_N" 'BEGIN {if (v == "null") print "null"; else printf "%.2f\n", v / n / 1000}'; }
W_NONE=$(per_exec_us "$(M wall_none)"); W_FLOOR=$(per_exec_us "$(M wall_floor)")
W_SS=$(per_exec_us "$(M wall_shellsentry)"); W_ES=$(per_exec_us "$(M wall_execsnoop)")
C_NONE=$(per_exec_us "$(M cpu_none)"); C_FLOOR=$(per_exec_us "$(M cpu_floor)")
C_SS=$(per_exec_us "$(M cpu_shellsentry)"); C_ES=$(per_exec_us "$(M cpu_execsnoop)")
LOAD_AFTER=$(cut -d' ' -f1 /proc/loadavg)
F_HOST=$(M bpf_floor_host); S_HOST=$(M bpf_ss_host); E_HOST=$(M bpf_es_host)
F_CT=$(M bpf_floor_ct); S_CT=$(M bpf_ss_ct); E_CT=$(M bpf_es_ct)
R_NONMATCH=$(ratio "$S_HOST" "$F_HOST"); R_MATCH=$(ratio "$S_CT" "$E_CT")
B_HOST=$(M bpf_base_host_ab); B_CT=$(M bpf_base_ct_ab); A_HOST=$(M bpf_ab_host_ab); A_CT=$(M bpf_ab_ct_ab)
FA_HOST=$(M bpf_floor_host_ab); R_BASE_HOST=$(ratio "$B_HOST" "$FA_HOST"); R_AB_HOST=$(ratio "$A_HOST" "$FA_HOST")
B_CTNOOP=$(M bpf_base_ctnoop_ab); A_CTNOOP=$(M bpf_ab_ctnoop_ab); FA_CTNOOP=$(M bpf_floor_ctnoop_ab)
F_CTNOOP=$(M bpf_floor_ctnoop); S_CTNOOP=$(M bpf_ss_ctnoop); E_CTNOOP=$(M bpf_es_ctnoop)
F_SESS=$(M bpf_floor_sess); S_SESS=$(M bpf_ss_sess); S_SENT=$(M bpf_sent_sesssent); F_SENT=$(M bpf_floor_sesssent)
FF_HOST=$(M bpf_ffork_host); SF_HOST=$(M bpf_sfork_host); FX_HOST=$(M bpf_fexit_host); SX_HOST=$(M bpf_sexit_host)
FF_SESS=$(M bpf_ffork_sess); SF_SESS=$(M bpf_sfork_sess); FX_SESS=$(M bpf_fexit_sess); SX_SESS=$(M bpf_sexit_sess)
R_FORK=$(ratio "$SF_HOST" "$FF_HOST"); R_EXIT=$(ratio "$SX_HOST" "$FX_HOST")
STARTUP=$(M startup_ms); DROPS=$(sort -g "$T/m.drops" | tail -1)
P50=$(M lat_p50_us); P99=$(M lat_p99_us); CPU_A=$(M cpu_us_per_alert); RSS=$(M rss_kib)
REPLAY=$(jq .events_per_s "$T/replay.json")
# Idle and sparse (8-9), and the baseline's storm (3-4), when it ran.
I_TICKS=$(M idle_ticks_ms_per_10s); I_CPU=$(M idle_cpu_ms_per_10s); I_W=$(M idle_wakeups_per_s)
BI_TICKS=$(M base_idle_ticks_ms_per_10s); BI_CPU=$(M base_idle_cpu_ms_per_10s); BI_W=$(M base_idle_wakeups_per_s)
SP50=$(pct "$T/sparse.ns" 50); SP99=$(pct "$T/sparse.ns" 99); SPN=$(cat "$T/sparse.ns" 2>/dev/null | wc -l)
BSP50=$(pct "$T/base_sparse.ns" 50); BSP99=$(pct "$T/base_sparse.ns" 99); BSPN=$(cat "$T/base_sparse.ns" 2>/dev/null | wc -l)
B_DROPS=$([ -s "$T/m.base_drops" ] && sort -g "$T/m.base_drops" | tail -1 || echo null)
B_CPU_A=$(M base_cpu_us_per_alert); B_P50=$(M base_lat_p50_us); B_P99=$(M base_lat_p99_us)
WPR=$(M wakeups_per_record)

ok() { awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN {if (v == "null") print "n/a"; else if ((op == "<=" && v + 0 <= t + 0) || (op == ">=" && v + 0 >= t + 0)) print "ok"; else print "MISSED"}'; }
json=$(jq -n \
	--arg kernel "$(uname -r)" --argjson cores "$(nproc)" --arg cpu "$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)" \
	--argjson smoke "$SMOKE" --argjson rounds "$ROUNDS" --argjson host_execs "$HOST_N" \
	--argjson container_execs "$CT_N" \
	--argjson f_host "$F_HOST" --argjson s_host "$S_HOST" --argjson e_host "$E_HOST" \
	--argjson f_ct "$F_CT" --argjson s_ct "$S_CT" --argjson e_ct "$E_CT" \
	--argjson r_nonmatch "$R_NONMATCH" --argjson r_match "$R_MATCH" \
	--argjson b_host "$B_HOST" --argjson b_ct "$B_CT" --argjson r_base_host "$R_BASE_HOST" \
	--argjson a_host "$A_HOST" --argjson a_ct "$A_CT" --argjson r_ab_host "$R_AB_HOST" --argjson fa_host "$FA_HOST" \
	--argjson b_ctnoop "$B_CTNOOP" --argjson a_ctnoop "$A_CTNOOP" --argjson fa_ctnoop "$FA_CTNOOP" \
	--argjson f_ctnoop "$F_CTNOOP" --argjson s_ctnoop "$S_CTNOOP" --argjson e_ctnoop "$E_CTNOOP" \
	--argjson f_sess "$F_SESS" --argjson s_sess "$S_SESS" --argjson f_sent "$F_SENT" --argjson s_sent "$S_SENT" \
	--argjson ff_host "$FF_HOST" --argjson sf_host "$SF_HOST" --argjson fx_host "$FX_HOST" --argjson sx_host "$SX_HOST" \
	--argjson ff_sess "$FF_SESS" --argjson sf_sess "$SF_SESS" --argjson fx_sess "$FX_SESS" --argjson sx_sess "$SX_SESS" \
	--argjson r_fork "$R_FORK" --argjson r_exit "$R_EXIT" \
	--argjson c_none "$C_NONE" --argjson c_floor "$C_FLOOR" --argjson c_ss "$C_SS" --argjson c_es "$C_ES" \
	--argjson load_before "$LOAD_BEFORE" --argjson load_after "$LOAD_AFTER" \
	--argjson w_none "$W_NONE" --argjson w_floor "$W_FLOOR" --argjson w_ss "$W_SS" --argjson w_es "$W_ES" \
	--argjson ct_eps "$(M ct_execs_per_s)" --argjson ct_aps "$(M ct_alerts_per_s)" \
	--argjson ape "$(M alerts_per_exec)" --argjson drops "${DROPS:-null}" \
	--argjson p50 "$P50" --argjson p99 "$P99" --argjson pmax "$(M lat_max_us)" \
	--argjson cpu_a "$CPU_A" --argjson cpu_e "$(M cpu_us_per_event)" --argjson rss "$RSS" \
	--argjson startup "$STARTUP" --slurpfile replay "$T/replay.json" --argjson rules_only "$RULES_ONLY" \
	--argjson i_ticks "$I_TICKS" --argjson i_cpu "$I_CPU" --argjson i_w "$I_W" \
	--argjson bi_ticks "$BI_TICKS" --argjson bi_cpu "$BI_CPU" --argjson bi_w "$BI_W" \
	--argjson sp50 "$SP50" --argjson sp99 "$SP99" --argjson spn "$SPN" \
	--argjson bsp50 "$BSP50" --argjson bsp99 "$BSP99" --argjson bspn "$BSPN" \
	--argjson b_drops "$B_DROPS" --argjson b_cpu_a "$B_CPU_A" --argjson b_p50 "$B_P50" --argjson b_p99 "$B_P99" \
	--argjson wpr "$WPR" \
	--argjson ape_fp "$(M ape_first_plain)" --argjson ape_fr "$(M ape_first_probe)" --argjson ape_ft "$(M ape_first_tty)" \
	--argjson ape_ap "$(M ape_all_plain)" --argjson ape_ar "$(M ape_all_probe)" --argjson ape_at "$(M ape_all_tty)" \
	'{machine: {kernel: $kernel, cores: $cores, cpu: $cpu, loadavg_before: $load_before, loadavg_after: $load_after}, smoke: ($smoke == 1), rounds: $rounds,
	  host_execs_per_round: $host_execs, container_execs_per_round: $container_execs,
	  bpf_ns_per_exec: {host_nonmatching: {floor: $f_host, shellsentry: $s_host, execsnoop: $e_host},
	                    container_shell: {floor: $f_ct, shellsentry: $s_ct, execsnoop: $e_ct},
	                    shellsentry_nonmatching_over_floor: $r_nonmatch,
	                    shellsentry_matching_over_execsnoop: $r_match,
	                    container_nonmatching: {floor: $f_ctnoop, shellsentry: $s_ctnoop, execsnoop: $e_ctnoop},
	                    session_command: {floor: $f_sess, shellsentry_default_caps: $s_sess,
	                                      floor_all_sent: $f_sent, shellsentry_all_sent: $s_sent},
	                    against_baseline: {floor_host_nonmatching: $fa_host, floor_container_nonmatching: $fa_ctnoop,
	                               baseline: {host_nonmatching: $b_host, container_shell: $b_ct, container_nonmatching: $b_ctnoop, nonmatching_over_floor: $r_base_host},
	                               shellsentry: {host_nonmatching: $a_host, container_shell: $a_ct, container_nonmatching: $a_ctnoop, nonmatching_over_floor: $r_ab_host}}},
	  bpf_ns_per_call: {fork_nonmember: {floor: $ff_host, shellsentry: $sf_host, ratio: $r_fork},
	                    exit_nonmember: {floor: $fx_host, shellsentry: $sx_host, ratio: $r_exit},
	                    fork_member: {floor: $ff_sess, shellsentry: $sf_sess},
	                    exit_member: {floor: $fx_sess, shellsentry: $sx_sess}},
	  exec_storm_us_per_exec: {none: $w_none, floor: $w_floor, shellsentry: $w_ss, execsnoop: $w_es,
	                           ratio_to_none: {floor: (if $w_floor and $w_none then $w_floor / $w_none else null end),
	                                           shellsentry: (if $w_ss and $w_none then $w_ss / $w_none else null end),
	                                           execsnoop: (if $w_es and $w_none then $w_es / $w_none else null end)}},
	  exec_storm_cpu_us_per_exec: {none: $c_none, floor: $c_floor, shellsentry: $c_ss, execsnoop: $c_es,
	                               ratio_to_none: {floor: (if $c_floor and $c_none then $c_floor / $c_none else null end),
	                                               shellsentry: (if $c_ss and $c_none then $c_ss / $c_none else null end),
	                                               execsnoop: (if $c_es and $c_none then $c_es / $c_none else null end)}},
	  container_storm: {execs_per_s: $ct_eps, alerts_per_s: $ct_aps, alerts_per_exec: $ape, drops_max: $drops,
	                    latency_us: {p50: $p50, p99: $p99, max: $pmax}},
	  userspace: {cpu_us_per_alert: $cpu_a, cpu_s_per_1000_alerts: (if $cpu_a then $cpu_a / 1000 else null end),
	              cpu_us_per_event: $cpu_e, peak_rss_kib: $rss},
	  startup_ms: $startup,
	  idle: {shellsentry: {cpu_ms_per_10s_ticks: $i_ticks, cpu_ms_per_10s: $i_cpu, wakeups_per_s: $i_w},
	         baseline: {cpu_ms_per_10s_ticks: $bi_ticks, cpu_ms_per_10s: $bi_cpu, wakeups_per_s: $bi_w}},
	  sparse_latency_us: {shellsentry: {p50: $sp50, p99: $sp99, samples: $spn},
	                      baseline: {p50: $bsp50, p99: $bsp99, samples: $bspn}},
	  storm_baseline: {drops_max: $b_drops, cpu_us_per_alert: $b_cpu_a, latency_us: {p50: $b_p50, p99: $b_p99}},
	  storm_wakeups_per_record: $wpr,
	  alerts_per_exec_by_rule_matching: {first: {plain_shell: $ape_fp, probing_shell: $ape_fr, terminal_shell: $ape_ft},
	                                     all: {plain_shell: $ape_ap, probing_shell: $ape_ar, terminal_shell: $ape_at}},
	  replay: ($replay[0] + {rules_only_events_per_s: $rules_only})}')
mkdir -p "$B"
echo "$json" >"$B/results.json"

fmt() { awk -v v="$1" -v f="$2" 'BEGIN {if (v == "null") print "n/a"; else printf f, v}'; }
rt() { ratio "$1" "$W_NONE"; }
cat <<EOF

shellsentry benchmarks: $(nproc) cores, kernel $(uname -r), load average $LOAD_BEFORE before / $LOAD_AFTER after, $ROUNDS rounds, medians$([ $SMOKE = 1 ] && echo ' (SMOKE: few iterations, numbers are not meaningful)')

| Measure | Value | Target | |
|---|---|---|---|
| BPF ns/exec, host non-matching: empty tp_btf / shellsentry / execsnoop | $(fmt "$F_HOST" %.0f) / $(fmt "$S_HOST" %.0f) / $(fmt "$E_HOST" %.0f) | | |
| shellsentry non-matching / empty program | $(fmt "$R_NONMATCH" %.2fx) | <= 2x | $(ok "$R_NONMATCH" "<=" 2) |
EOF
[ -z "$BASE_SS" ] || cat <<EOF
| vs baseline ($BASE_SS), order alternated: BPF ns/exec host non-matching: empty / shellsentry / baseline | $(fmt "$FA_HOST" %.0f) / $(fmt "$A_HOST" %.0f) / $(fmt "$B_HOST" %.0f) | | |
| vs baseline: non-matching / empty program, shellsentry vs baseline | $(fmt "$R_AB_HOST" %.2fx) vs $(fmt "$R_BASE_HOST" %.2fx) | ratio within 10% | $(ok "$(ratio "$R_AB_HOST" "$R_BASE_HOST")" "<=" 1.1) |
| vs baseline: BPF ns/exec container shell: shellsentry / baseline | $(fmt "$A_CT" %.0f) / $(fmt "$B_CT" %.0f) | | |
| vs baseline: BPF ns/exec container non-matching: empty / shellsentry / baseline | $(fmt "$FA_CTNOOP" %.0f) / $(fmt "$A_CTNOOP" %.0f) / $(fmt "$B_CTNOOP" %.0f) | | |
EOF
cat <<EOF
| BPF ns/exec, container shell: empty / shellsentry / execsnoop | $(fmt "$F_CT" %.0f) / $(fmt "$S_CT" %.0f) / $(fmt "$E_CT" %.0f) | | |
| BPF ns/exec, container non-matching, no session: empty / shellsentry / execsnoop | $(fmt "$F_CTNOOP" %.0f) / $(fmt "$S_CTNOOP" %.0f) / $(fmt "$E_CTNOOP" %.0f) | | |
| BPF ns/exec, session commands: empty / shellsentry, default caps (held back) / caps off (all sent) | $(fmt "$F_SESS" %.0f) / $(fmt "$S_SESS" %.0f) / $(fmt "$S_SENT" %.0f) | | |
| fork hook ns/call, non-members: empty / shellsentry (ratio) | $(fmt "$FF_HOST" %.0f) / $(fmt "$SF_HOST" %.0f) ($(fmt "$R_FORK" %.2fx)) | <= 2x | $(ok "$R_FORK" "<=" 2) |
| exit hook ns/call, non-members: empty / shellsentry (ratio) | $(fmt "$FX_HOST" %.0f) / $(fmt "$SX_HOST" %.0f) ($(fmt "$R_EXIT" %.2fx)) | <= 2x | $(ok "$R_EXIT" "<=" 2) |
| fork / exit hook ns/call, session members: empty / shellsentry | $(fmt "$FF_SESS" %.0f) / $(fmt "$SF_SESS" %.0f), $(fmt "$FX_SESS" %.0f) / $(fmt "$SX_SESS" %.0f) | | |
| shellsentry matching / execsnoop | $(fmt "$R_MATCH" %.3f) | <= 0.1 | $(ok "$R_MATCH" "<=" 0.1) |
| exec storm us/exec: none / empty / shellsentry / execsnoop | $(fmt "$W_NONE" %.1f) / $(fmt "$W_FLOOR" %.1f) / $(fmt "$W_SS" %.1f) / $(fmt "$W_ES" %.1f) | | |
| exec storm wall ratio to none: empty / shellsentry / execsnoop | $(fmt "$(rt "$W_FLOOR")" %.3f) / $(fmt "$(rt "$W_SS")" %.3f) / $(fmt "$(rt "$W_ES")" %.3f) | | |
| exec storm CPU us/exec: none / empty / shellsentry / execsnoop | $(fmt "$C_NONE" %.1f) / $(fmt "$C_FLOOR" %.1f) / $(fmt "$C_SS" %.1f) / $(fmt "$C_ES" %.1f) | | |
| exec storm CPU ratio to none: empty / shellsentry / execsnoop | $(fmt "$(ratio "$C_FLOOR" "$C_NONE")" %.3f) / $(fmt "$(ratio "$C_SS" "$C_NONE")" %.3f) / $(fmt "$(ratio "$C_ES" "$C_NONE")" %.3f) | | |
| container shell storm: execs/s, alerts/s (alerts/exec) | $(fmt "$(M ct_execs_per_s)" %.0f), $(fmt "$(M ct_alerts_per_s)" %.0f) ($(fmt "$(M alerts_per_exec)" %.1f)) | | |
| ring-buffer drops (default 1 MiB, worst round) | $(fmt "${DROPS:-null}" %d) | 0 | $(ok "${DROPS:-null}" "<=" 0) |
| exec -> alert latency p50 / p99 | $(fmt "$P50" %.0f) / $(fmt "$P99" %.0f) us | p99 <= 5000 us | $(ok "$P99" "<=" 5000) |
| daemon CPU per alert (per 1,000 alerts) | $(fmt "$CPU_A" %.1f) us ($(fmt "$CPU_A" %.1f) ms) | <= 5 us | $(ok "$CPU_A" "<=" 5) |
| daemon peak RSS (VmHWM) | $(fmt "$RSS" %d) KiB | <= 16384 KiB | $(ok "$RSS" "<=" 16384) |
| idle (nothing to read): daemon CPU per 10 s, utime+stime / schedstat | $(fmt "$I_TICKS" %.0f) ms / $(fmt "$I_CPU" %.2f) ms | <= 5 ms | $(ok "$I_CPU" "<=" 5) |
| idle: wakeups per second (voluntary context switches, all threads; ring records read per window: $(M idle_records)) | $(fmt "$I_W" %.2f) | <= 1 | $(ok "$I_W" "<=" 1) |
| sparse events (a container shell every 100 ms): exec -> alert p50 / p99 ($SPN alerts) | $(fmt "$SP50" %.0f) / $(fmt "$SP99" %.0f) us | p50 <= 200, p99 <= 1000 us | $(ok "$SP50" "<=" 200) / $(ok "$SP99" "<=" 1000) |
| container shell storm: ring wakeups per record read | $(fmt "$WPR" %.3f) | | |
EOF
[ -z "$BASE_SS" ] || cat <<EOF
| vs baseline: idle CPU per 10 s, utime+stime / schedstat | $(fmt "$BI_TICKS" %.0f) ms / $(fmt "$BI_CPU" %.2f) ms | | |
| vs baseline: idle wakeups per second | $(fmt "$BI_W" %.2f) | | |
| vs baseline: sparse exec -> alert p50 / p99 ($BSPN alerts) | $(fmt "$BSP50" %.0f) / $(fmt "$BSP99" %.0f) us | | |
| vs baseline: storm drops (worst round) | $(fmt "$B_DROPS" %d) | no more than shellsentry's | |
| vs baseline: storm daemon CPU per alert, shellsentry / baseline | $(fmt "$CPU_A" %.1f) / $(fmt "$B_CPU_A" %.1f) us | no worse | $(ok "$(ratio "$CPU_A" "$B_CPU_A")" "<=" 1) |
| vs baseline: storm exec -> alert p50 / p99 | $(fmt "$B_P50" %.0f) / $(fmt "$B_P99" %.0f) us | | |
EOF
cat <<EOF
| startup: launch -> attached | $(fmt "$STARTUP" %.0f) ms | <= 300 ms | $(ok "$STARTUP" "<=" 300) |
| replay decode+rules+JSON, one core | $(fmt "$REPLAY" %.0f) events/s | >= 500000 | $(ok "$REPLAY" ">=" 500000) |
| replay rules only (rules_replay) | $(fmt "$RULES_ONLY" %.0f) events/s | | |
| alerts/exec, rule_matching first: plain / probing / terminal shell | $(fmt "$(M ape_first_plain)" %.2f) / $(fmt "$(M ape_first_probe)" %.2f) / $(fmt "$(M ape_first_tty)" %.2f) | 1 (as Falco) | $(ok "$(M ape_first_probe)" "<=" 1) |
| alerts/exec, rule_matching all: plain / probing / terminal shell | $(fmt "$(M ape_all_plain)" %.2f) / $(fmt "$(M ape_all_probe)" %.2f) / $(fmt "$(M ape_all_tty)" %.2f) | | |

results: build/bench/results.json
EOF
exit 0
