#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Executable identity (issue 14), on real podman containers: shells whose
# names say nothing are recognised by what the executed file is.
#  - renamed copies of bash and dash baked into the image (lower layer)
#  - a copy of dash on a bind-mounted volume (ext4 here; also tmpfs and, when
#    mkfs.xfs and a loop device are there, xfs; xfsprogs is in tests/deps.d)
#  - a renamed busybox: a shell when run with argv[0] "sh", not otherwise
#  - a renamed non-shell: judged, no alert
#  - one file executed 1,000 times: judged once, every exec alerts
#  - a file rewritten in place after its first judgement: judged again
#  - podman run --rm of a renamed shell: the container is gone in
#    milliseconds, the file is opened by handle afterwards
. "$(dirname "$0")/lib.sh"

for t in bash dash ldd; do
	command -v $t >/dev/null || skip "$t not installed"
done
BASH_BIN=$(readlink -f "$(command -v bash)")
DASH_BIN=$(readlink -f "$(command -v dash)")
SLEEP_BIN=$(readlink -f "$(command -v sleep)")

# The image: busybox, and renamed copies of bash, dash, busybox and sleep with
# the libraries they need, all in the image's (lower) layer.
add_copies() {
	local r=$1 b l
	mkdir -p "$r/usr/local/bin"
	cp "$BASH_BIN" "$r/usr/local/bin/worker"
	cp "$DASH_BIN" "$r/usr/local/bin/kworker"
	cp /bin/busybox "$r/usr/local/bin/healthcheck"
	cp "$SLEEP_BIN" "$r/usr/local/bin/agent"
	cp "$BASH_BIN" "$r/usr/local/bin/once" # run only by the short-lived container
	copy_libs "$r" "$BASH_BIN" "$DASH_BIN" "$SLEEP_BIN"
}
make_image add_copies

VOL=$T/vol
mkdir -p "$VOL"
cp "$DASH_BIN" "$VOL/x"
cp "$DASH_BIN" "$VOL/loop"
cp "$DASH_BIN" "$VOL/short"
cp "$SLEEP_BIN" "$VOL/rw"
ino() { stat -c %i "$1"; }

start_daemon -v --rule-matching all
C=ss-id-$$
podman run -d --name "$C" "${PODMAN_FLAGS[@]}" -v "$VOL:/data" "$IMAGE" sleep 600 >/dev/null ||
	die "container did not start"
CLEANUPS+=("podman rm -f -t 0 $C")
CID=$(podman inspect -f '{{.Id}}' "$C")

# judged_lines INODE: the daemon's "judged" lines (-v) for that inode, the file read
# (not "via recent": an exec sent while its file was judged, decided by that verdict)
judged_lines() { grep -E "shellsentry: judged .* ino $1 " "$T/daemon.err" | grep -v "via recent"; }
wait_judged() {
	local ino=$1 n=${2:-1} i
	for i in $(seq 200); do
		[ "$(judged_lines "$ino" | wc -l)" -ge "$n" ] && return 0
		sleep 0.05
	done
	return 1
}
# shell_alert NAME SHELL: a "Detect Shell in Container" alert judged by content
shell_alert() {
	wait_alert ".rule == \"Detect Shell in Container\" and
		.output_fields[\"proc.name\"] == \"$1\" and
		.output_fields[\"shellsentry.shell\"] == \"$2\" and
		.output_fields[\"shellsentry.shell_by\"] == \"content\"" 10
}

# --- renamed bash and dash in the image's lower layer
podman exec "$C" /usr/local/bin/worker -c 'id' >/dev/null
if a=$(shell_alert worker bash); then
	echo "$a" | jq -e --arg cid "$CID" '.output_fields["container.full_id"] == $cid and
		.output_fields["proc.exepath"] == "/usr/local/bin/worker"' >/dev/null &&
		ok "renamed bash (lower layer): alert, shellsentry.shell bash by content" ||
		fail "renamed bash: alert with wrong facts: $a"
else
	fail "renamed bash (lower layer): no alert"
fi
wait_alert '.rule == "Shell injected into container" and .output_fields["proc.name"] == "worker"' 5 \
	>/dev/null && ok "renamed bash: also 'Shell injected into container'" ||
	fail "renamed bash: no 'Shell injected into container'"
grep -q "judged .* layer 2 via handle: shell bash" "$T/daemon.err" &&
	ok "renamed bash: judged from the lower layer's inode, by handle" ||
	fail "renamed bash: not judged by handle on the lower layer"

podman exec "$C" /usr/local/bin/kworker -c 'echo hi' >/dev/null
shell_alert kworker dash >/dev/null && ok "renamed dash (lower layer): alert, shell dash" ||
	fail "renamed dash (lower layer): no alert"

# --- a copy of dash on a bind-mounted volume
podman exec "$C" /data/x -c 'id' >/dev/null
if shell_alert x dash >/dev/null && wait_judged "$(ino "$VOL/x")" &&
	judged_lines "$(ino "$VOL/x")" | grep -q "layer 0 via handle: shell dash"; then
	ok "dash on a volume: alert, judged by handle on the volume's filesystem"
else
	fail "dash on a volume: no alert or not judged by handle"
fi

# --- a renamed busybox: a shell only when argv[0] names one
podman exec "$C" /usr/local/bin/worker -c 'exec -a sh /usr/local/bin/healthcheck -c "echo marker-bb"' \
	>/dev/null
shell_alert healthcheck sh >/dev/null && ok "renamed busybox run as sh: alert, shell sh" ||
	fail "renamed busybox run as sh: no alert"
podman exec "$C" /usr/local/bin/healthcheck true >/dev/null 2>&1
podman exec "$C" /usr/local/bin/kworker -c 'echo sync-bb' >/dev/null # a later event to wait for
wait_alert '.output_fields["proc.cmdline"] == "kworker -c echo sync-bb"' 10 >/dev/null
n=$(count_alerts '.output_fields["proc.name"] == "healthcheck" and .output_fields["proc.args"] == ""')
[ "$n" -eq 0 ] && ok "renamed busybox run as itself: no alert" ||
	fail "renamed busybox run as itself: $n alerts"

# --- a renamed non-shell: judged, no alert
podman exec "$C" /usr/local/bin/agent 0
podman exec "$C" /usr/local/bin/kworker -c 'echo sync-agent' >/dev/null
wait_alert '.output_fields["proc.cmdline"] == "kworker -c echo sync-agent"' 10 >/dev/null
n=$(count_alerts '.output_fields["proc.name"] == "agent"')
if [ "$n" -eq 0 ] && grep -q "judged .* via handle: not-shell" "$T/daemon.err"; then
	ok "renamed non-shell (sleep): judged not a shell, no alert"
else
	fail "renamed non-shell: $n alerts, or never judged"
fi

# --- one file, 1,000 execs: judged once, decided in the kernel afterwards
podman exec "$C" /usr/local/bin/worker -c 'for ((i = 0; i < 1000; i++)); do /data/loop -c :; done'
for i in $(seq 200); do
	[ "$(count_alerts '.rule == "Detect Shell in Container" and .output_fields["proc.name"] == "loop"')" -ge 1000 ] &&
		break
	sleep 0.1
done
n=$(count_alerts '.rule == "Detect Shell in Container" and .output_fields["proc.name"] == "loop"')
j=$(judged_lines "$(ino "$VOL/loop")" | wc -l)
if [ "$n" -eq 1000 ] && [ "$j" -eq 1 ]; then
	ok "1,000 execs of one file: 1,000 alerts, judged once ($(grep -E "ino $(ino "$VOL/loop") " "$T/daemon.err" | grep -c "via recent") decided by the verdict being made)"
else
	fail "1,000 execs of one file: $n alerts, judged $j times"
fi

# --- rewritten in place after its first judgement: judged again
podman exec "$C" /data/rw 0
wait_judged "$(ino "$VOL/rw")" 1 || fail "rw (sleep): never judged"
rw_ino=$(ino "$VOL/rw")
cat "$DASH_BIN" >"$VOL/rw" # same inode, new content
[ "$(ino "$VOL/rw")" = "$rw_ino" ] || die "rewrite changed the inode"
podman exec "$C" /data/rw -c 'echo rewritten' >/dev/null
if shell_alert rw dash >/dev/null && wait_judged "$rw_ino" 2 &&
	judged_lines "$rw_ino" | head -1 | grep -q "not-shell" &&
	judged_lines "$rw_ino" | tail -1 | grep -q "shell dash"; then
	ok "file rewritten in place: judged again (not a shell, then dash), alert"
else
	fail "file rewritten in place: not judged again or no alert"
	judged_lines "$rw_ino" >&2
fi

# --- short-lived containers: gone before the judge looks; files opened by handle
prun -v "$VOL:/data" "$IMAGE" /data/short -c 'id' >/dev/null
if shell_alert short dash >/dev/null && wait_judged "$(ino "$VOL/short")" &&
	judged_lines "$(ino "$VOL/short")" | grep -q "via handle: shell dash"; then
	ok "podman run --rm of a dash copy on a volume: alert, judged by handle"
else
	fail "podman run --rm of a dash copy on a volume: no alert or not by handle"
fi
prun "$IMAGE" /usr/local/bin/once -c 'id' >/dev/null
if shell_alert once bash >/dev/null &&
	[ "$(grep -cE "judged .* layer 2 via handle: shell bash" "$T/daemon.err")" -ge 2 ]; then
	ok "podman run --rm of a bash copy in the image: alert, judged by handle (lower layer)"
else
	fail "podman run --rm of a bash copy in the image: no alert"
fi
grep -qE "judged .*not judged" "$T/daemon.err" &&
	fail "some files were not judged: $(grep -E 'not judged' "$T/daemon.err" | head -3)"

# --- volumes on other filesystems: tmpfs (a Kubernetes emptyDir in memory), xfs
TMPV=$T/tmpfs
mkdir -p "$TMPV"
if mount -t tmpfs -o size=16m tmpfs "$TMPV"; then
	CLEANUPS+=("umount -l $TMPV")
	cp "$DASH_BIN" "$TMPV/t"
	prun -v "$TMPV:/t" "$IMAGE" /t/t -c 'id' >/dev/null
	# tmpfs takes a handle only for an inode someone asked one of (shmem_encode_fh):
	# judged through the process while it lives, else by a bounded search of the volume
	if shell_alert t dash >/dev/null && wait_judged "$(ino "$TMPV/t")" &&
		judged_lines "$(ino "$TMPV/t")" | grep -qE "via (proc-exe|search).*: shell dash"; then
		ok "dash on a tmpfs volume: alert ($(judged_lines "$(ino "$TMPV/t")" | grep -oE 'via [a-z-]+'))"
	else
		fail "dash on a tmpfs volume: no alert or not judged"
		judged_lines "$(ino "$TMPV/t")" >&2
	fi
else
	fail "cannot mount a tmpfs"
fi
if command -v mkfs.xfs >/dev/null && truncate -s 300M "$T/xfs.img" &&
	mkfs.xfs -q "$T/xfs.img" 2>/dev/null && LOOP=$(losetup -f --show "$T/xfs.img" 2>/dev/null); then
	CLEANUPS+=("losetup -d $LOOP")
	mkdir -p "$T/xfs"
	mount "$LOOP" "$T/xfs" && CLEANUPS=("umount -l $T/xfs" "${CLEANUPS[@]}")
	cp "$DASH_BIN" "$T/xfs/xsh"
	prun -v "$T/xfs:/x" "$IMAGE" /x/xsh -c 'id' >/dev/null
	if shell_alert xsh dash >/dev/null && wait_judged "$(ino "$T/xfs/xsh")" &&
		judged_lines "$(ino "$T/xfs/xsh")" | grep -q "via handle: shell dash"; then
		ok "dash on an xfs volume, container gone: judged by handle"
	else
		fail "dash on an xfs volume: no alert or not by handle"
	fi
else
	echo "note: no mkfs.xfs or no loop device here: the xfs volume case did not run" >&2
fi

stop_daemon
line=$(grep 'identity (exit):' "$T/daemon.err")
echo "$line" >&2
hits=$(echo "$line" | grep -o 'shell_hits=[0-9]*' | cut -d= -f2)
[ "${hits:-0}" -ge 999 ] && ok "kernel counters: $hits execs decided by a shell verdict" ||
	fail "kernel counters: shell_hits=${hits:-none} (expected >= 999)"
finish
