#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Records tests/replay/records.jsonl: real ring-buffer records from the
# running kernel (tests/replay/capture.c: the product's loader and BPF
# program, kernel filter opened wide) while real podman containers run a
# representative set of execs. Root; `make replay-record` builds and runs it.
#
#   tests/replay/record.sh CAPTURE_BINARY OUTPUT.jsonl
#
# Only records of the containers this script starts (by cgroup or pid
# namespace) and its own marked host execs are kept. Fails when a case's
# record is missing or the ring buffer dropped anything.
. "$(dirname "$0")/../integration/lib.sh"
CAPTURE=${1:?usage: record.sh CAPTURE_BINARY OUTPUT.jsonl}
OUT=${2:?usage: record.sh CAPTURE_BINARY OUTPUT.jsonl}
command -v gcc >/dev/null || skip "gcc missing"
command -v nsenter >/dev/null || skip "nsenter missing (util-linux)"
command -v script >/dev/null || skip "script missing (bsdutils)"

build_exec_helper "$T/ss-helper"

# dash (a shell that is not busybox), coreutils env, the helper and a #!/bin/sh script.
add_tools() {
	local r=$1
	mkdir -p "$r/usr/local/bin" "$r/usr/bin"
	cp /bin/dash "$r/bin/dash"
	cp /usr/bin/env "$r/usr/bin/env"
	copy_libs "$r" /bin/dash /usr/bin/env
	cp "$T/ss-helper" "$r/usr/local/bin/ss-helper"
	printf '#!/bin/sh\ntrue replay-script\n' >"$r/usr/local/bin/job.sh"
	chmod 0755 "$r/usr/local/bin/job.sh"
}
make_image add_tools

"$CAPTURE" -m replay-host "$ROOT/rules/shellsentry_rules.yaml" \
	"$ROOT/rules/shellsentry_evasion_rules.yaml" >"$T/raw.jsonl" 2>"$T/capture.err" &
DAEMON_PID=$!
for i in $(seq 300); do
	grep -q 'capture: attached' "$T/capture.err" && break
	kill -0 "$DAEMON_PID" 2>/dev/null || { cat "$T/capture.err" >&2; die "capture exited"; }
	sleep 0.05
done
grep -q 'capture: attached' "$T/capture.err" || die "capture did not attach"

IDS=()
run_bg() { # run_bg ARGS...: a detached container, its id in $cid
	cid=$(podman run -d "${PODMAN_FLAGS[@]}" "$@") || die "podman run $* failed"
	CLEANUPS+=("podman rm -f -t 0 $cid")
	IDS+=("$cid")
}
run_fg() { # run_fg ARGS...: a container run to its end
	rm -f "$T/cidfile"
	podman run --rm --cidfile "$T/cidfile" "${PODMAN_FLAGS[@]}" "$@" || true
	IDS+=("$(cat "$T/cidfile")")
}

# Entrypoint and init-tree lineage.
run_fg "$IMAGE" /bin/sh -c 'true replay-entrypoint'
run_fg "$IMAGE" /bin/sh -c '/bin/sh -c "true replay-init-tree"; /bin/ls /tmp'
run_fg "$IMAGE" /usr/local/bin/ss-helper system 'true replay-entry-system'

run_bg "$IMAGE" /bin/sleep 300
main=$cid
x() { podman exec "$main" "$@"; }

# Injected shells, without and with a terminal, as root and as another uid.
x /bin/sh -c 'true replay-notty'
script -qec "podman exec -t $main /bin/sh -c 'true replay-tty'" /dev/null >/dev/null
podman exec -u 1000:1000 "$main" /bin/sh -c 'true replay-uid1000'
x /bin/sh -c 'true replay-quiet'
x /bin/sh -c 'true replay-silent'

# Busybox applets: by symlink, and busybox run as itself.
x /bin/ls / >/dev/null
x /bin/cat /etc/passwd >/dev/null
x /bin/id >/dev/null
x /bin/busybox echo replay-bb-echo >/dev/null
x /bin/busybox sh -c 'true replay-busybox-sh'
x /bin/dash -c 'true replay-dash'
# The seed's kmod check: a shell grepping for falco.
x /bin/sh -c '/bin/ls /bin | /bin/cut -d" " -f1 | /bin/grep -qx "falco"; true replay-probe' || true

# Hostile argv: terminal escapes, CR/LF with a forged log line, a forged JSON
# alert and Markdown, invalid UTF-8 (lone continuation, overlong, surrogate),
# DEL and a C1 control; then the surrogate alone.
FORGED=$(printf 'x\x1b[2J\x1b[31mred\x1b]0;pwned\x07\r\n2026-01-01T00:00:00.000000000Z: Critical forged log line\n{"rule":"Forged","priority":"Emergency"}\n# Forged heading\n| forged | table |\n\x80\xc0\xaf\xed\xa0\x80\x7f\xc2\x9b end')
x /bin/sh -c 'true replay-forged' "$FORGED"
# podman passes argv through JSON, which turns invalid UTF-8 into U+FFFD:
# the raw bytes are made inside the container.
x /bin/sh -c 'exec /bin/sh -c "true replay-surrogate" "$(printf "a\355\240\200b")"'
x /bin/sh -c 'exec /bin/sh -c "true replay-forged-raw" "$(printf "x\033[2J\r\n# heading\n\200\300\257\355\240\200\177\302\233 end")"'
# Long argv: the kernel copies 4 KiB and flags the cut.
args=()
for i in $(seq 1 3000); do args+=("arg$i"); done
x /bin/sh -c 'true replay-long' "${args[@]}"

# The evasions of tests/integration/test_evasions.sh.
x /bin/sh -c 'exec -a nginx /bin/sh -c "true replay-argv0-bb"' 2>/dev/null || true
x /bin/sh -c 'exec -a nginx /bin/dash -c "true replay-argv0-dash"'
x /usr/local/bin/job.sh
x /bin/sh -c 'ln -s /bin/dash /tmp/nginx-link && exec /tmp/nginx-link -c "true replay-symlink"'
x /bin/sh -c 'ln -s /bin/busybox /tmp/worker && exec -a sh /tmp/worker -c "true replay-bb-symlink"'
x /usr/local/bin/ss-helper fdexec /bin/sh sh -c 'true replay-fdexec-bb'
x /usr/local/bin/ss-helper fdexec /bin/dash dash -c 'true replay-fdexec-dash'
x /usr/bin/env -i sh -c 'true replay-env'
x /bin/env -i sh -c 'true replay-bb-env'
x /usr/local/bin/ss-helper system 'true replay-system'
x /usr/local/bin/ss-helper spawn /bin/sh -c 'true replay-spawn'
x /bin/sh -c 'cp /bin/dash /tmp/kworker && exec /tmp/kworker -c "true replay-copy"'
x /usr/local/bin/ss-helper memfd /bin/dash dash -c 'true replay-memfd-dash'
x /usr/local/bin/ss-helper memfd /bin/busybox sh -c 'true replay-memfd-bb'
pid=$(podman inspect -f '{{.State.Pid}}' "$main")
nsenter -t "$pid" -a /bin/sh -c 'true replay-nsenter'
PIDNS=$(stat -L -c %i "/proc/$pid/ns/pid")

# A host exec, marked so the capture keeps it.
/bin/sh -c 'true replay-host'

x /bin/sh -c 'true replay-sentinel'
for i in $(seq 600); do
	grep -q 'true replay-sentinel' "$T/raw.jsonl" && break
	sleep 0.05
done
kill -TERM "$DAEMON_PID"
wait "$DAEMON_PID" || { cat "$T/capture.err" >&2; die "capture failed (drops?)"; }
DAEMON_PID=
cat "$T/capture.err" >&2

ids_json=$(printf '%s\n' "${IDS[@]}" | jq -R . | jq -s .)
jq -c --argjson ids "$ids_json" --argjson pidns "$PIDNS" '
	select((.cgroup_name | type == "string") and (.cgroup_name as $c | any($ids[]; . as $i | $c | contains($i)))
	       or .pidns_inum == $pidns
	       or (.argv_text | contains("replay-host")))' "$T/raw.jsonl" >"$T/kept.jsonl"

missing=
for m in replay-entrypoint replay-init-tree replay-entry-system replay-notty replay-tty \
	replay-uid1000 replay-bb-echo replay-busybox-sh replay-dash replay-probe replay-forged replay-forged-raw replay-surrogate \
	replay-long replay-argv0-bb replay-argv0-dash job.sh replay-symlink \
	replay-bb-symlink replay-fdexec-bb replay-fdexec-dash replay-env replay-bb-env \
	replay-system replay-spawn replay-copy replay-memfd-dash replay-memfd-bb replay-nsenter \
	replay-host replay-sentinel; do
	grep -q -- "$m" "$T/kept.jsonl" || { fail "no record for $m"; missing=1; }
done
[ -z "$missing" ] || die "recording incomplete"
cp "$T/kept.jsonl" "$OUT"
ok "$(wc -l <"$OUT") records written to $OUT"
finish
