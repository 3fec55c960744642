# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Shared helpers for integration tests: real BPF, real podman containers.
# Source it; it sets a trap that removes everything the test created.

set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SS=${SS:-$ROOT/build/shellsentry}
T=$(mktemp -d /tmp/ss-test.XXXXXX)
IMAGE=localhost/ss-bbox:$$
LABEL=ss-test-$$
DAEMON_PID=
CLEANUPS=()
FAILS=0
# Flags this kind of machine needs (DESIGN.md: crun refuses the hybrid cgroup layout).
PODMAN_FLAGS=(--runtime runc --cgroup-manager cgroupfs --network none
	--ulimit nofile=1024:1024 --ulimit nproc=1024:1024 --label "$LABEL")

skip() { echo "skip: $*" >&2; exit 77; }
fail() { echo "FAIL: $*" >&2; FAILS=$((FAILS + 1)); }
ok() { echo "ok: $*" >&2; }
die() { echo "FAIL: $*" >&2; exit 1; }

cleanup() {
	local rc=$?
	[ -n "$DAEMON_PID" ] && kill -TERM "$DAEMON_PID" 2>/dev/null && wait "$DAEMON_PID" 2>/dev/null
	for c in "${CLEANUPS[@]}"; do eval "$c" >/dev/null 2>&1; done
	podman ps -aq --filter "label=$LABEL" 2>/dev/null | xargs -r podman rm -f -t 0 >/dev/null 2>&1
	podman rmi -f "$IMAGE" >/dev/null 2>&1
	rm -rf "$T"
	exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ "$(id -u)" -eq 0 ] || skip "needs root"
[ -x "$SS" ] || die "$SS not built"
command -v podman >/dev/null || skip "podman not installed (make deps)"
command -v jq >/dev/null || skip "jq not installed (make deps)"

# A busybox-static rootfs as an image; applets are symlinks so each is an exec by path.
make_image() {
	local r=$T/rootfs
	mkdir -p "$r/bin" "$r/etc" "$r/proc" "$r/sys" "$r/dev" "$r/tmp" "$r/root"
	cp /bin/busybox "$r/bin/busybox"
	for a in sh cat sleep ls true echo grep cut env nc id; do ln -sf busybox "$r/bin/$a"; done
	printf 'root:x:0:0:root:/root:/bin/sh\n' >"$r/etc/passwd"
	[ $# -gt 0 ] && "$@" "$r"
	tar -C "$r" -c . | podman import -q - "$IMAGE" >/dev/null || die "podman import failed"
}

# build_exec_helper OUT: tests/replay/exec_helper.c, static, as OUT (runs in a busybox image):
# exec by fd, from a memfd, system() and posix_spawn from a non-shell parent.
build_exec_helper() {
	command -v gcc >/dev/null || skip "gcc missing"
	gcc -D_GNU_SOURCE -static -O2 -Wall -Werror "$ROOT/tests/replay/exec_helper.c" -o "$1" ||
		die "cannot build $ROOT/tests/replay/exec_helper.c"
}

# copy_libs ROOT BINARY...: the shared libraries the binaries load, at their paths in ROOT.
copy_libs() {
	local r=$1 l
	shift
	for l in $(ldd "$@" | grep -o '/[^ :]*' | sort -u); do
		mkdir -p "$r$(dirname "$l")"
		cp -L "$l" "$r$l"
	done
}

# offered_exceptions DIR OUT: the rule exceptions the reports in DIR offer (their yaml
# blocks, from the first "- rule:"), as one rules file OUT; prints how many there are.
offered_exceptions() {
	local f
	: >"$2"
	for f in "$1"/*.md; do
		awk '/^```yaml$/{y=1; next} /^```$/{y=0; next} y' "$f" |
			awk 'BEGIN{p=0} /^- rule:/{p=1} p' >>"$2"
	done
	grep -c 'exceptions: append' "$2"
}

# start_daemon ARGS...: runs shellsentry, waits until it says it is attached.
# Tests look for the alert of a given rule, so they run with rule_matching all
# (every matching rule alerts); RULE_MATCHING=first tests the default.
RULE_MATCHING=${RULE_MATCHING:-all}
start_daemon() {
	"$SS" --rule-matching "$RULE_MATCHING" "$@" >"$T/alerts.json" 2>"$T/daemon.err" &
	DAEMON_PID=$!
	local i
	for i in $(seq 300); do
		grep -q 'shellsentry: attached' "$T/daemon.err" && return 0
		kill -0 "$DAEMON_PID" 2>/dev/null || { cat "$T/daemon.err" >&2; die "daemon exited"; }
		sleep 0.05
	done
	cat "$T/daemon.err" >&2
	die "daemon did not attach"
}

stop_daemon() {
	kill -TERM "$DAEMON_PID" && wait "$DAEMON_PID"
	local rc=$?
	DAEMON_PID=
	return $rc
}

# wait_alert JQ_FILTER [TIMEOUT_S]: waits for an alert line matching a jq select().
wait_alert() {
	local filter=$1 timeout=${2:-10} i
	for i in $(seq $((timeout * 20))); do
		if jq -c "select($filter)" "$T/alerts.json" 2>/dev/null | grep -q .; then
			jq -c "select($filter)" "$T/alerts.json" | head -1
			return 0
		fi
		sleep 0.05
	done
	return 1
}

count_alerts() { jq -c "select($1)" "$T/alerts.json" 2>/dev/null | wc -l; }

prun() { podman run --rm "${PODMAN_FLAGS[@]}" "$@"; }

finish() {
	if [ "$FAILS" -gt 0 ]; then
		echo "--- daemon stderr" >&2; cat "$T/daemon.err" >&2 2>/dev/null
		exit 1
	fi
	exit 0
}
