# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Helpers shared by bench.sh and identity.sh (sourced): samples and their
# medians (in $T), bounded waits, and BPF program costs from bpftool.
# Median of the numbers on stdin ("null" when none).
median() { sort -g | awk '{v[NR]=$1} END {if (!NR) print "null"; else if (NR%2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }
# rec KEY VALUE: one sample of a metric; med KEY: their median.
rec() { echo "$2" >>"$T/m.$1"; }
med() { [ -s "$T/m.$1" ] && median <"$T/m.$1" || echo null; }
drop_pid() { local p keep=(); for p in "${PIDS[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done; PIDS=("${keep[@]}"); }
# wait_for SECONDS CMD...: polls a condition, bounded in time.
wait_for() {
	local end=$((SECONDS + $1)); shift
	until "$@"; do
		[ $SECONDS -lt $end ] || return 1
		sleep 0.01
	done
}
has_line() { grep -q "$2" "$1" 2>/dev/null; }
# prog_ids PID: ids of the BPF programs the process holds open, directly or
# through links (shellsentry keeps only link fds: a child loads the programs).
prog_ids() {
	local f
	for f in /proc/$1/fd/*; do
		case "$(readlink "$f" 2>/dev/null)" in
		anon_inode:bpf-prog | anon_inode:bpf_link) ;;
		*) continue ;;
		esac
		awk '/^prog_id:/ {print $2}' "/proc/$1/fdinfo/${f##*/}"
	done | sort -un
}
prog_name() { bpftool -j prog show id "$1" 2>/dev/null | jq -r '.name // empty'; }
# snap FILE ID...: "id run_time_ns run_cnt" per program, from bpftool (fds may be gone).
snap() {
	local out=$1 id; shift
	: >"$out"
	for id in "$@"; do
		bpftool -j prog show id "$id" | jq -r '"\(.id) \(.run_time_ns // 0) \(.run_cnt // 0)"' >>"$out"
	done
}
# cost A B: ns per exec between two snaps, summed over the programs (each runs once per exec).
cost() {
	join <(sort "$1") <(sort "$2") | awk '{dn=$4-$2; dc=$5-$3; if (dc > 0) s += dn/dc; n += (dc > 0)}
		END {if (n) printf "%.1f\n", s; else print "null"}'
}
