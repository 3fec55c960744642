#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#
# Executable identity benchmarks (issue 14), in one run:
#   identity.sh [--smoke] [--rounds N] [--execs N] [--files N]
# 1. BPF ns per container exec, all attached at once on the same storms: the
#    empty program (floor), shellsentry judging by content, shellsentry with
#    --exe-judge-rate 0 (no identity step); execs of a non-shell (decided by
#    its not-a-shell verdict) and of a renamed static bash (its shell
#    verdict). Attach order alternates per round.
# 2. exec -> alert latency of renamed shells: every exec of a file already
#    judged (one lookup in the kernel), and first sightings (each exec a new
#    file: opened again, read, judged, then the rules).
# 3. First sightings userspace keeps up with: distinct new files executed as
#    fast as a container loop can, the kernel's bucket opened wide; judged
#    per second, refusals, and the judge's time per file.
# Root only (BPF, podman); without root it says so and exits 0. Table on
# stdout, build/bench/identity.json. --smoke: few iterations, exits 0 when
# every phase ran, whatever the numbers.
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
B=$ROOT/build/bench
SS=${SS:-$ROOT/build/shellsentry}
SMOKE=0 ROUNDS=5 N=2000 FILES=300
while [ $# -gt 0 ]; do
	case $1 in
	--smoke) SMOKE=1 ROUNDS=1 N=100 FILES=20 ;;
	--rounds) ROUNDS=${2:?}; shift ;;
	--execs) N=${2:?}; shift ;;
	--files) FILES=${2:?}; shift ;;
	-h | --help) sed -n '4,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "bench-identity: unknown argument '$1'" >&2; exit 2 ;;
	esac
	shift
done
for v in "$ROUNDS" "$N" "$FILES"; do
	[[ $v =~ ^[1-9][0-9]{0,5}$ ]] || { echo "bench-identity: '$v' is not a count in 1..999999" >&2; exit 2; }
done
if [ "$(id -u)" -ne 0 ]; then
	echo "bench-identity: skipped: needs root (BPF programs, bpf_stats, podman)" >&2
	exit 0
fi
for t in "$SS" "$B/exec_storm" "$B/noop" "$B/line_clock" "$B/floor" "$B/floor.bpf.o"; do
	[ -e "$t" ] || { echo "bench-identity: $t not built (make bench-tools)" >&2; exit 1; }
done
for c in podman jq bpftool ldd; do
	command -v $c >/dev/null || { echo "bench-identity: $c missing (make deps)" >&2; exit 1; }
done
BASH_STATIC=$(command -v bash-static || echo /bin/bash-static)
DASH_BIN=$(readlink -f "$(command -v dash)")
[ -x "$BASH_STATIC" ] || { echo "bench-identity: bash-static missing (make deps)" >&2; exit 1; }

T=$(mktemp -d /tmp/ss-bench-id.XXXXXX)
IMAGE=localhost/ss-bench-id:$$
LABEL=ss-bench-id-$$
CID=
PIDS=()
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
	rm -rf "$T"
	exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM
die() { echo "bench-identity: $*" >&2; exit 1; }
note() { echo "bench-identity: $*" >&2; }
. "$(dirname "$0")/lib.sh"

# pct P: the P-th percentile (nearest rank) of the numbers on stdin
pct() { sort -g | awk -v p="$1" '{v[NR]=$1} END {if (!NR) {print "null"; exit} i = int((p/100)*NR + 0.999999); if (i < 1) i = 1; if (i > NR) i = NR; print v[i]}'; }
exec_progs() { local i; for i in $(prog_ids "$1"); do [[ $(prog_name "$i") == handle_exec* ]] && echo "$i"; done; }

# id_steps PID: execs that reached the identity step so far (kernel counters
# SS_CNT_ID_SIGHTINGS .. SS_CNT_ID_LIMITED, indices 5-9, summed over CPUs)
counters_map() {
	local p m
	for p in $(exec_progs "$1"); do
		for m in $(bpftool -j prog show id "$p" | jq -r '.map_ids[]'); do
			bpftool -j map show id "$m" | jq -r 'select(.name == "counters") | .id'
		done
	done | head -1
}
id_steps() {
	bpftool -j map dump id "$1" | jq '[.[] | select(.formatted.key >= 5 and .formatted.key <= 9)
		| .formatted.values[].value] | add // 0'
}
# runs A B: execs the (floor) program saw between two snaps; total_ns A B: its run time
runs() { join <(sort "$1") <(sort "$2") | awk '{s += $5 - $3} END {print s + 0}'; }
total_ns() { join <(sort "$1") <(sort "$2") | awk '{s += $4 - $2} END {printf "%.0f\n", s}'; }

# start NAME ERRFILE OUTFILE ARGS...: a shellsentry, attached; its pid in STARTED
start_ss() {
	local err=$1 out=$2; shift 2
	: >"$err"
	"$SS" --hostname bench --metrics-addr "" "$@" 2> >("$B/line_clock" stamp >"$err") >"$out" &
	STARTED=$!
	PIDS+=("$STARTED")
	wait_for 15 has_line "$err" 'shellsentry: attached' || die "shellsentry did not attach: $(cat "$err")"
}
stop_pid() {
	kill -TERM "$1" 2>/dev/null
	wait "$1"
	local rc=$?
	drop_pid "$1"
	return $rc
}

# ---- the image: busybox, the static storm programs, a renamed static bash, dash's libraries ----
r=$T/rootfs
mkdir -p "$r/bin" "$r/etc" "$r/proc" "$r/sys" "$r/dev" "$r/tmp" "$r/v"
cp /bin/busybox "$r/bin/busybox" || die "busybox-static missing (make deps)"
for a in sh sleep true; do ln -sf busybox "$r/bin/$a"; done
cp "$B/exec_storm" "$B/noop" "$r/bin/"
cp "$BASH_STATIC" "$r/bin/worker"
for l in $(ldd "$DASH_BIN" | grep -o '/[^ ]*'); do
	mkdir -p "$r$(dirname "$l")"
	cp -L "$l" "$r$l"
done
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$r/etc/passwd"
tar -C "$r" -c . | podman import -q - "$IMAGE" >/dev/null || die "podman import failed"
# the volume: distinct copies of dash, each a file no kernel map has seen
VOL=$T/vol
mkdir -p "$VOL"
CID=$(podman run -d "${PODMAN_FLAGS[@]}" -v "$VOL:/v" "$IMAGE" /bin/sleep 3600) || die "podman run failed"
ct() { podman exec "$CID" "$@"; }
ct_storm() { ct /bin/exec_storm -j 2 -n "$N" -t 300 "$@" >/dev/null || die "container storm failed: $*"; }
note "machine: $(nproc) cores, kernel $(uname -r), load $(cut -d' ' -f1 /proc/loadavg); rounds=$ROUNDS execs=$N files=$FILES"

# ---- 1. BPF cost per container exec ----
sysctl -qw kernel.bpf_stats_enabled=1 || die "cannot enable kernel.bpf_stats_enabled"
"$B/floor" "$B/floor.bpf.o" 2>"$T/floor.err" &
FLOOR=$!
PIDS+=("$FLOOR")
wait_for 10 has_line "$T/floor.err" 'floor: attached' || die "floor did not attach"
floor_ids=$(prog_ids "$FLOOR")
for round in $(seq "$ROUNDS"); do
	if [ $((round % 2)) = 1 ]; then
		start_ss "$T/on.err" /dev/null -v; ON=$STARTED
		start_ss "$T/off.err" /dev/null --exe-judge-rate 0; OFF=$STARTED
	else
		start_ss "$T/off.err" /dev/null --exe-judge-rate 0; OFF=$STARTED
		start_ss "$T/on.err" /dev/null -v; ON=$STARTED
	fi
	on_ids=$(exec_progs "$ON"); off_ids=$(exec_progs "$OFF")
	[ -n "$on_ids" ] && [ -n "$off_ids" ] && [ -n "$floor_ids" ] || die "cannot find the programs"
	# the verdicts exist before measuring: first sightings are not what is measured here.
	# The judge works in order and writes the map before it logs: bash judged, noop too.
	ct /bin/noop; ct /bin/worker -c true
	wait_for 10 has_line "$T/on.err" 'judged .*: shell bash' || die "renamed bash never judged"
	# The programs run for every exec on the machine, not only for our storm's.
	# Both shellsentry instances take the same path for every exec up to the
	# identity step (host execs stop before it, shells by name do not reach it):
	# the difference of their total time over the storm, divided by the execs
	# that reached the step (the kernel's own counters), is the step's cost.
	cmap=$(counters_map "$ON")
	[ -n "$cmap" ] || die "no counters map"
	s0=$(id_steps "$cmap")
	for k in floor on off; do v=${k}_ids; snap "$T/$k.0" ${!v}; done
	ct_storm /bin/noop
	for k in floor on off; do v=${k}_ids; snap "$T/$k.1" ${!v}; done
	s1=$(id_steps "$cmap")
	ct_storm /bin/worker -c true
	for k in floor on off; do v=${k}_ids; snap "$T/$k.2" ${!v}; done
	for k in floor on off; do
		rec "bpf_${k}_notshell" "$(cost "$T/$k.0" "$T/$k.1")"
		rec "bpf_${k}_shell" "$(cost "$T/$k.1" "$T/$k.2")"
	done
	rec runs_notshell "$(runs "$T/floor.0" "$T/floor.1")"
	rec runs_shell "$(runs "$T/floor.1" "$T/floor.2")"
	rec step_ns "$(awk -v a="$(total_ns "$T/on.0" "$T/on.1")" -v b="$(total_ns "$T/off.0" "$T/off.1")" -v n="$((s1 - s0))" 'BEGIN {if (n > 0) printf "%.1f\n", (a - b) / n; else print "null"}')"
	rec steps "$((s1 - s0))"
	note "round $round: ns/exec non-shell floor/on/off $(tail -qn1 "$T/m.bpf_floor_notshell" "$T/m.bpf_on_notshell" "$T/m.bpf_off_notshell" | paste -sd/), renamed bash floor/on $(tail -qn1 "$T/m.bpf_floor_shell" "$T/m.bpf_on_shell" | paste -sd/); identity step $(tail -n1 "$T/m.step_ns") ns over $(tail -n1 "$T/m.steps") execs; execs seen $(tail -n1 "$T/m.runs_notshell")/$(tail -n1 "$T/m.runs_shell") for $N/$N"
	stop_pid "$ON" || die "shellsentry (identity on) failed"
	stop_pid "$OFF" || die "shellsentry (identity off) failed"
done
stop_pid "$FLOOR"
sysctl -qw kernel.bpf_stats_enabled="$STATS_WAS"

# latencies NAME_REGEX: us from exec (evt.time) to the arrival of its first alert line,
# per exec (pid) of a process whose name matches, judged a shell by content
latencies() {
	jq -Rr --arg re "$1" 'capture("^(?<t>[0-9]+) (?<j>.*)$") | (.j | fromjson) as $a
		| select($a.output_fields["shellsentry.shell_by"] == "content" and
			 ($a.output_fields["proc.name"] | test($re)))
		| "\($a.output_fields["proc.pid"]) \(((.t | tonumber) - $a.output_fields["evt.time"]) / 1000)"' "$2" |
		awk '!seen[$1]++ {print $2}'
}

# ---- 2a. latency, renamed bash already judged: one lookup decides each exec ----
# Execs one after another (a latency, not a throughput: the storm above is that).
rm -f "$T/out.fifo"; mkfifo "$T/out.fifo"
"$B/line_clock" stamp <"$T/out.fifo" >"$T/hits.out" &
LC=$!; PIDS+=("$LC")
start_ss "$T/lat.err" "$T/out.fifo"; SSP=$STARTED
ct /bin/worker -c true # judged once
ct /bin/sh -c "i=0; while [ \$i -lt $FILES ]; do /bin/worker -c true; i=\$((i + 1)); done"
ct /bin/sh -c "true bench-sentinel-hits"
wait_for 60 grep -q bench-sentinel-hits "$T/hits.out" || die "no alert for the sentinel"
stop_pid "$SSP" || die "shellsentry failed (latency, verdict hits)"
wait "$LC"; drop_pid "$LC"
latencies '^worker$' "$T/hits.out" >"$T/lat.hits"
HITS_N=$(wc -l <"$T/lat.hits")

# ---- 2b. latency, first sightings: each exec a new copy of dash ----
for i in $(seq -w 1 "$FILES"); do cp "$DASH_BIN" "$VOL/f$i"; done
sync
rm -f "$T/out.fifo"; mkfifo "$T/out.fifo"
"$B/line_clock" stamp <"$T/out.fifo" >"$T/first.out" &
LC=$!; PIDS+=("$LC")
# the bucket open: this measures the path, not the rate limit (phase 3 measures the rate)
start_ss "$T/first.err" "$T/out.fifo" -v --exe-judge-rate 1000000; SSP=$STARTED
ct /bin/sh -c 'for f in /v/f*; do $f -c true; done'
ct /bin/sh -c "true bench-sentinel-first"
wait_for 60 grep -q bench-sentinel-first "$T/first.out" || die "no alert for the sentinel"
stop_pid "$SSP" || die "shellsentry failed (latency, first sightings)"
wait "$LC"; drop_pid "$LC"
latencies '^f[0-9]+$' "$T/first.out" >"$T/lat.first"
FIRST_N=$(wc -l <"$T/lat.first")
FIRST_JUDGED=$(grep -c 'judged .* via handle: shell dash' "$T/first.err")
grep 'identity (exit)' "$T/first.err" | sed 's/^[0-9]* //' >&2

# ---- 3. first sightings per second: new files, the kernel's bucket wide open ----
M=$((FILES * 2))
for i in $(seq -w 1 "$M"); do cp "$DASH_BIN" "$VOL/g$i"; done
sync
start_ss "$T/rate.err" /dev/null -v --exe-judge-rate 1000000; SSP=$STARTED
t0=$(date +%s%N)
# two loops at once: offer more than one exec at a time
ct /bin/sh -c 'for f in /v/g*[02468]; do $f -c true; done & for f in /v/g*[13579]; do $f -c true; done; wait'
t1=$(date +%s%N)
# done when the judged count stops growing (bounded): the queue has drained
judged_now() { grep -c 'judged .*: shell dash' "$T/rate.err"; }
prev=-1
for i in $(seq 60); do
	cur=$(judged_now)
	[ "$cur" = "$prev" ] && break
	prev=$cur
	sleep 0.5
done
stop_pid "$SSP" || die "shellsentry failed (rate)"
RATE_JUDGED=$(grep 'judged .*: shell dash' "$T/rate.err" | grep -vc 'via recent')
first_ns=$(grep 'judged .*: shell dash' "$T/rate.err" | head -1 | cut -d' ' -f1)
last_ns=$(grep 'judged .*: shell dash' "$T/rate.err" | tail -1 | cut -d' ' -f1)
idline=$(grep 'identity (exit)' "$T/rate.err" | sed 's/^[0-9]* //')
echo "$idline" >&2
REFUSED=$(sed -n 's/.* refused=\([0-9]*\).*/\1/p' <<<"$idline")
OFFERED=$(awk -v m="$M" -v a="$t0" -v b="$t1" 'BEGIN {printf "%.0f\n", m / ((b - a) / 1e9)}')
JUDGED_PS=$(awk -v n="$RATE_JUDGED" -v a="$first_ns" -v b="$last_ns" 'BEGIN {if (b > a && n > 1) printf "%.0f\n", (n - 1) / ((b - a) / 1e9); else print "null"}')
# the judge's own time per file (opened, read, classified, map written), from its log lines
grep 'judged .*: shell dash' "$T/rate.err" | grep -v 'via recent' |
	sed -n 's/.* \([0-9]*\) us judging)$/\1/p' >"$T/judge.us"
JUDGE_P50=$(pct 50 <"$T/judge.us")
CAPACITY=$(awk -v u="$JUDGE_P50" 'BEGIN {if (u == "null" || u == 0) print "null"; else printf "%.0f\n", 1e6 / u}')

# ---- results ----
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (a == "null" || b == "null" || b == 0) print "null"; else printf "%.2f\n", a / b}'; }
diffv() { awk -v a="$1" -v b="$2" 'BEGIN {if (a == "null" || b == "null") print "null"; else printf "%.1f\n", a - b}'; }
FN=$(med bpf_floor_notshell); ONN=$(med bpf_on_notshell); OFN=$(med bpf_off_notshell)
FS=$(med bpf_floor_shell); ONS=$(med bpf_on_shell)
R_ON=$(ratio "$ONN" "$FN"); R_OFF=$(ratio "$OFN" "$FN"); LOOKUP=$(med step_ns)
R_STEP=$(ratio "$LOOKUP" "$FN")
H50=$(pct 50 <"$T/lat.hits"); H99=$(pct 99 <"$T/lat.hits")
S50=$(pct 50 <"$T/lat.first"); S99=$(pct 99 <"$T/lat.first")
okv() { awk -v v="$1" -v t="$2" 'BEGIN {if (v == "null") print "n/a"; else if (v + 0 <= t + 0) print "ok"; else print "MISSED"}'; }
printf '| Measure | Value | Target | |\n|---|---|---|---|\n'
printf '| BPF ns/exec, container non-shell (not-a-shell verdict): floor / identity on / off | %s / %s / %s | | |\n' "$FN" "$ONN" "$OFN"
printf '| identity step per container exec that reached it (on - off, / its count), vs floor | %s ns, %sx floor | | |\n' "$LOOKUP" "$R_STEP"
printf '| execs the floor counted per storm of %s (median): non-shell / renamed bash | %s / %s | | |\n' "$N" "$(med runs_notshell)" "$(med runs_shell)"
printf '| BPF ns/exec, renamed static bash (shell verdict): floor / shellsentry | %s / %s | | |\n' "$FS" "$ONS"
printf '| renamed bash judged before, exec -> alert p50 / p99 (%s execs one after another) | %s / %s us | p99 <= 10000 us | %s |\n' "$HITS_N" "${H50%.*}" "${H99%.*}" "$(okv "$H99" 10000)"
printf '| renamed dash, first sighting (judged; bucket open), exec -> alert p50 / p99 (%s alerts, %s judged) | %s / %s us | p99 <= 10000 us | %s |\n' "$FIRST_N" "$FIRST_JUDGED" "${S50%.*}" "${S99%.*}" "$(okv "$S99" 10000)"
printf '| first sightings: offered / judged per s (%s new files), refused | %s / %s, %s | | |\n' "$M" "$OFFERED" "$JUDGED_PS" "${REFUSED:-null}"
printf '| judge time per file (open, read, classify, map write) p50, one-thread capacity | %s us, %s files/s | | |\n' "$JUDGE_P50" "$CAPACITY"
mkdir -p "$B"
jq -n --arg kernel "$(uname -r)" --argjson cores "$(nproc)" \
	--arg cpu "$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)" \
	--argjson smoke "$SMOKE" --argjson rounds "$ROUNDS" --argjson execs "$N" --argjson files "$FILES" \
	--argjson fn "$FN" --argjson onn "$ONN" --argjson ofn "$OFN" --argjson fs "$FS" --argjson ons "$ONS" \
	--argjson r_on "$R_ON" --argjson r_off "$R_OFF" --argjson lookup "$LOOKUP" --argjson r_step "$R_STEP" \
	--argjson runs_ns "$(med runs_notshell)" --argjson runs_s "$(med runs_shell)" \
	--argjson h50 "$H50" --argjson h99 "$H99" --argjson hn "$HITS_N" \
	--argjson s50 "$S50" --argjson s99 "$S99" --argjson sn "$FIRST_N" --argjson sj "$FIRST_JUDGED" \
	--argjson offered "$OFFERED" --argjson judged_ps "$JUDGED_PS" --argjson refused "${REFUSED:-null}" \
	--argjson judge_p50 "$JUDGE_P50" --argjson capacity "$CAPACITY" \
	'{machine: {kernel: $kernel, cores: $cores, cpu: $cpu}, smoke: ($smoke == 1), rounds: $rounds,
	  execs_per_storm: $execs, files: $files,
	  bpf_ns_per_container_exec: {not_shell: {floor: $fn, identity_on: $onn, identity_off: $ofn,
	                                          on_over_floor: $r_on, off_over_floor: $r_off, identity_step: $lookup,
	                                          identity_step_over_floor: $r_step, execs_seen_per_storm: $runs_ns},
	                              renamed_shell: {floor: $fs, shellsentry: $ons, execs_seen_per_storm: $runs_s}},
	  latency_us: {verdict_hits: {n: $hn, p50: $h50, p99: $h99},
	               first_sightings: {n: $sn, judged: $sj, p50: $s50, p99: $s99}},
	  first_sightings: {offered_per_s: $offered, judged_per_s: $judged_ps, refused: $refused,
	                    judge_us_p50: $judge_p50, capacity_per_s: $capacity}}' >"$B/identity.json"
note "results in $B/identity.json"
if [ "$SMOKE" = 1 ]; then
	[ "$HITS_N" -gt 0 ] && [ "$FIRST_N" -gt 0 ] || die "smoke: no latency samples"
	exit 0
fi
