#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#
# Kernel matrix: boots each fetched kernel under qemu (TCG, no KVM needed)
# with an initramfs whose /init is the static test driver, optionally runs
# the driver on the host kernel too, and prints one table row per kernel and
# hook. A failing row shows its reason and the verifier log or console tail.
# Exits non-zero if any row failed.
#
# usage: run.sh --driver BIN --out DIR [--arch amd64|arm64] [--busybox BIN]
#               [--host] [TAG...]
# env:   KERNELS_JOBS (parallel VMs, default 3), KERNELS_TIMEOUT (s per VM, 150),
#        KERNELS_SMP (vCPUs per VM, 2)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
driver='' out='' arch=amd64 busybox=/bin/busybox host=0
tags=()
while [ $# -gt 0 ]; do
	case "$1" in
	--driver) driver=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--arch) arch=$2; shift 2 ;;
	--busybox) busybox=$2; shift 2 ;;
	--host) host=1; shift ;;
	-*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
	*) tags+=("$1"); shift ;;
	esac
done
if [ -z "$driver" ] || [ -z "$out" ]; then
	echo "run.sh: --driver and --out are required" >&2
	exit 2
fi
if [ "$host" = 1 ] && [ "$(id -u)" -ne 0 ]; then
	echo "kernels: host kernel row skipped: loading BPF needs root" >&2
	host=0
fi
# All VMs at once by default: a verifier blow-up then costs one timeout per
# architecture, not one per kernel (TCG verifies ~1M insns in minutes).
jobs=${KERNELS_JOBS:-3}
vm_timeout=${KERNELS_TIMEOUT:-150}
kdir=$out/$arch
res=$out/results-$arch
mkdir -p "$res"
rm -f "$res"/*

case "$arch" in
amd64)
	qemu=(qemu-system-x86_64 -accel tcg -cpu max -m 512 -smp "${KERNELS_SMP:-2}")
	console=ttyS0
	;;
arm64)
	qemu=(qemu-system-aarch64 -accel tcg -machine virt -cpu 'max,pauth-impdef=on' -m 512 -smp "${KERNELS_SMP:-2}")
	console=ttyAMA0
	;;
*) echo "run.sh: unknown arch $arch" >&2; exit 2 ;;
esac

if [ ${#tags[@]} -eq 0 ]; then
	mapfile -t tags < <(sed -e '/^#/d' -e '/^$/d' -e 's/\t.*//' "$here/kernels.list")
fi

# --- initramfs: /init (driver), /bin/busybox, /bin/sh -> busybox -----------
initrd=$out/initramfs-$arch.cpio.gz
stage=$out/initramfs-$arch
rm -rf "$stage"
mkdir -p "$stage/bin" "$stage/dev" "$stage/proc" "$stage/sys" "$stage/tmp"
install -m 0755 "$driver" "$stage/init"
install -m 0755 "$busybox" "$stage/bin/busybox"
# A copy, not a link: comm is the exec'd file's name, "sh" either way.
ln "$stage/bin/busybox" "$stage/bin/sh"
# Each kernel's overlay module, by release: the driver loads its own (issue 14).
for tag in "${tags[@]}"; do
	[ -d "$kdir/$tag/modules" ] && cp -r "$kdir/$tag/modules" "$stage/"
done
(cd "$stage" && find . -print0 | LC_ALL=C sort -z |
	cpio -o -0 -H newc -R 0:0 --quiet) | gzip -1 >"$initrd"

# --- one VM -----------------------------------------------------------------
boot_one() {
	local tag=$1 log=$res/$1.log start end rc=0
	start=$(date +%s.%N)
	timeout -k 5 "$vm_timeout" "${qemu[@]}" \
		-nodefaults -display none -no-reboot -serial stdio \
		-kernel "$kdir/$tag/vmlinuz" -initrd "$initrd" \
		-append "console=$console panic=-1 oops=panic quiet rdinit=/init" \
		</dev/null >"$log" 2>&1 || rc=$?
	end=$(date +%s.%N)
	echo "$rc $(echo "$end - $start" | bc)" >"$res/$tag.status"
}

run_host() {
	local log=$res/host.log start end rc=0
	start=$(date +%s.%N)
	timeout -k 5 "$vm_timeout" "$driver" --host </dev/null >"$log" 2>&1 || rc=$?
	end=$(date +%s.%N)
	echo "$rc $(echo "$end - $start" | bc)" >"$res/host.status"
}

wall_start=$(date +%s.%N)
running=0
names=()
for tag in "${tags[@]}"; do
	if [ ! -s "$kdir/$tag/vmlinuz" ]; then
		echo "run.sh: $kdir/$tag/vmlinuz missing (run fetch.sh)" >&2
		exit 2
	fi
	if [ "$running" -ge "$jobs" ]; then
		wait -n || true
		running=$((running - 1))
	fi
	boot_one "$tag" &
	running=$((running + 1))
	names+=("$tag")
done
if [ "$host" = 1 ]; then
	run_host &
	names+=(host)
fi
wait
wall=$(echo "$(date +%s.%N) - $wall_start" | bc)

# --- table ------------------------------------------------------------------
hooks=(tp_btf/sched_process_exec tracepoint/sched/sched_process_exec)
pass=0 fail=0
details=$res/details.txt
: >"$details"
printf '%-6s %-34s %-38s %7s %-7s %-6s %6s\n' tag kernel hook insns overlay result time
for name in "${names[@]}"; do
	log=$res/$name.log
	read -r rc secs <"$res/$name.status"
	release=$(sed -n 's/^SS-START kernel=\([^ ]*\).*/\1/p' "$log" | tr -d '\r' | head -n1)
	# where struct ovl_inode's BTF came from: module, vmlinux (built in), none
	ovl=$(sed -n 's/^SS-NOTE overlay=\([a-z]*\).*/\1/p' "$log" | tr -d '\r' | head -n1)
	for hook in "${hooks[@]}"; do
		line=$(grep -a "^SS-RESULT .* hook=$hook " "$log" | tr -d '\r' | head -n1 || true)
		if [ -n "$line" ]; then
			insns=$(sed -n 's/.* insns=\([0-9]*\) .*/\1/p' <<<"$line")
			result=$(sed -n 's/.* result=\([A-Z]*\) .*/\1/p' <<<"$line")
			reason=${line#* reason=}
		else
			insns=- result=FAIL
			if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
				reason="no result line: timed out after ${vm_timeout}s"
			else
				reason="no result line (exit $rc)"
			fi
		fi
		# A splat while loading or running the program fails the kernel too.
		if [ "$result" = PASS ] && grep -aqE 'WARNING: |BUG: |Call Trace:' "$log"; then
			result=FAIL
			reason="kernel warning or oops on the console"
			line=
		fi
		# bpf_prog_info.verified_insns exists from Linux 5.16 on.
		[ "$insns" = 0 ] && insns=n/a
		printf '%-6s %-34s %-38s %7s %-7s %-6s %5.1fs\n' "$name" "${release:--}" "$hook" \
			"$insns" "${ovl:--}" "$result" "$secs"
		if [ "$result" = PASS ]; then
			pass=$((pass + 1))
			continue
		fi
		fail=$((fail + 1))
		{
			echo "=== $name $hook: FAIL: $reason"
			if [ -n "$line" ] && grep -aq '^SS-VERIFIER-LOG-BEGIN' "$log"; then
				# The log printed right after this hook's result line.
				awk -v h="hook=$hook " '
					index($0, "SS-RESULT ") == 1 { mine = index($0, h) > 0; next }
					/^SS-VERIFIER-LOG-BEGIN/ { if (mine) p = 1; next }
					/^SS-VERIFIER-LOG-END/ { p = 0; next }
					p' "$log" | tr -d '\r' | tail -n 60
			elif [ -z "$line" ]; then
				echo "--- console ($log)"
				tr -d '\r' <"$log" | tail -n 60
			fi
		} >>"$details"
	done
done
cat "$details"
printf 'kernels: wall time %.1fs, %d jobs\n' "$wall" "$jobs"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
