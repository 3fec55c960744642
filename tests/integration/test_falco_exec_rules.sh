#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Falco's exec rules, in their shapes (written here, not copied): the fields
# they need load (proc.is_exe_upper_layer, proc.is_exe_from_memfd,
# thread.cap_effective, evt.res, proc.cwd, proc.pexe; Falco fields shellsentry
# lacks render <NA> in outputs, as Falco renders them), and each fires on a
# real exec in a real podman container with --falco-compat, one alert line
# each. A rule of Falco's for another event type (init_module) is skipped,
# not loaded dead.
. "$(dirname "$0")/lib.sh"
command -v gcc >/dev/null || skip "gcc missing"

build_exec_helper "$T/ss-helper"
add_tools() {
	cp "$T/ss-helper" "$1/bin/ss-helper"
	for a in shred find; do ln -sf busybox "$1/bin/$a"; done
}
make_image add_tools

R=$T/falco_exec_rules.yaml
cat >"$R" <<'EOF'
- required_engine_version: 0.26.0
- macro: spawned_process
  condition: (evt.type in (execve, execveat))
- macro: container
  condition: (container.id != host)
- list: grep_binaries
  items: [grep, egrep, fgrep]
- macro: grep_commands
  condition: (proc.name in (grep_binaries))
- macro: never_true
  condition: (evt.num=0)
- list: shell_binaries
  items: [ash, bash, csh, ksh, sh, tcsh, zsh, dash]
- macro: shell_procs
  condition: (proc.name in (shell_binaries))
- list: protected_shell_spawning_binaries
  items: [nginx, httpd, php-fpm, mysqld, postgres]
- macro: parent_java_running_marker
  condition: (proc.pexe endswith java and proc.pcmdline contains untrusted-marker)
- macro: protected_shell_spawner
  condition: (proc.aname in (protected_shell_spawning_binaries) or parent_java_running_marker)

- rule: Run shell untrusted
  desc: a shell below a server program
  condition: >
    spawned_process and shell_procs and proc.pname exists and protected_shell_spawner
    and not proc.pname in (shell_binaries)
  output: Shell spawned by untrusted binary | parent_exe=%proc.pexe parent_exepath=%proc.pexepath pcmdline=%proc.pcmdline gparent=%proc.aname[2] user_loginuid=%user.loginuid process=%proc.name parent=%proc.pname command=%proc.cmdline terminal=%proc.tty exe_flags=%evt.arg.flags
  priority: NOTICE

- rule: Execution from /dev/shm
  desc: a program run from /dev/shm
  condition: >
    spawned_process and (proc.exe startswith "/dev/shm/" or
    (proc.cwd startswith "/dev/shm/" and proc.exe startswith "./") or
    (shell_procs and proc.args startswith "-c /dev/shm") or
    (proc.cwd startswith "/dev/shm/" and proc.args startswith "./"))
  output: File execution detected from /dev/shm | evt_res=%evt.res file=%fd.name proc_cwd=%proc.cwd proc_pcmdline=%proc.pcmdline user_loginname=%user.loginname group_name=%group.name command=%proc.cmdline exe_flags=%evt.arg.flags
  priority: WARNING

- rule: Netcat Remote Code Execution in Container
  desc: netcat with an option that runs a program
  condition: >
    spawned_process and container and proc.name in (nc, ncat, netcat)
    and (proc.args contains "-e" or proc.args contains "-c")
  output: Netcat runs inside container that allows remote code execution | evt_type=%evt.type user=%user.name process=%proc.name command=%proc.cmdline terminal=%proc.tty exe_flags=%evt.arg.flags
  priority: WARNING

- rule: Search Private Keys or Passwords
  desc: grep or find for private keys
  condition: >
    spawned_process and ((grep_commands and (proc.args icontains "BEGIN PRIVATE"
    or proc.args icontains "BEGIN RSA PRIVATE")) or (proc.name = find and proc.args contains "id_rsa"))
  output: Grep private keys or passwords activities found | command=%proc.cmdline exe_flags=%evt.arg.flags
  priority: WARNING

- rule: Remove Bulk Data from Disk
  desc: a program that wipes data
  condition: spawned_process and proc.name in (shred, mkfs, mke2fs) and not never_true
  output: Bulk data has been removed from disk | file=%fd.name command=%proc.cmdline exe_flags=%evt.arg.flags
  priority: WARNING

- rule: Find AWS Credentials
  desc: a search for AWS credentials
  condition: >
    spawned_process and ((grep_commands and proc.args icontains "aws_secret_access_key")
    or (proc.name = find and proc.args endswith ".aws/credentials"))
  output: Detected AWS credentials search activity | proc_cwd=%proc.cwd group_name=%group.name user_loginname=%user.loginname command=%proc.cmdline
  priority: WARNING

- rule: Drop and execute new binary in container
  desc: a program not in the image runs
  condition: spawned_process and container and proc.is_exe_upper_layer=true
  output: Executing binary not part of base image | proc_exe=%proc.exe proc_sname=%proc.sname proc_exe_ino_ctime=%proc.exe_ino.ctime container_start_ts=%container.start_ts command=%proc.cmdline exe_flags=%evt.arg.flags
  priority: CRITICAL

- rule: Fileless execution via memfd_create
  desc: a program runs from memory
  condition: spawned_process and proc.is_exe_from_memfd=true
  output: Fileless execution via memfd_create | evt_res=%evt.res proc_cwd=%proc.cwd command=%proc.cmdline exe_flags=%evt.arg.flags
  priority: CRITICAL

- rule: Shell with the default capabilities
  desc: thread.cap_effective in Falco's spelling
  condition: spawned_process and container and thread.cap_effective contains CAP_NET_BIND_SERVICE and proc.cmdline contains cap-marker
  output: caps=%thread.cap_effective command=%proc.cmdline
  priority: NOTICE

- rule: Linux Kernel Module Injection Detected
  desc: a module loaded from a container (not an exec event)
  condition: evt.type in (init_module, finit_module) and container and thread.cap_effective icontains sys_module
  output: Linux Kernel Module injection from container | module=%proc.args res=%evt.res
  priority: WARNING
EOF

"$SS" --validate --falco-compat --rules "$R" >"$T/v.out" 2>"$T/v.err" || fail "validate: $(cat "$T/v.err")"
cat "$T/v.out" "$T/v.err" | grep -q "rules: 9 loaded, 0 disabled, 1 skipped" || fail "summary: $(cat "$T/v.out")"
grep -q "rule 'Linux Kernel Module Injection Detected' skipped: its condition needs an event type other than execve/execveat" "$T/v.err" ||
	fail "the init_module rule is not skipped with its reason: $(cat "$T/v.err")"

# /dev/shm mounted exec (podman's own is noexec): Falco's rule is about the path
cid=$(podman run -d "${PODMAN_FLAGS[@]}" --tmpfs /dev/shm:rw,exec,size=16m "$IMAGE" /bin/sleep 120)
start_daemon --metrics-addr '' --falco-compat --rules "$R"
x() { podman exec "$cid" "$@"; }
x /bin/nc -e /bin/sh 127.0.0.1 9 2>/dev/null
x /bin/grep -r "BEGIN PRIVATE" /etc
x /bin/sh -c "echo data >/tmp/f && /bin/shred -u /tmp/f"
x /bin/find / -path /root/.aws/credentials
x /bin/sh -c "cp /bin/busybox /tmp/true && /tmp/true"
x /bin/ss-helper memfd /bin/busybox true
# a parent whose argv[0] says java (proc.pexe), running a shell; proc.pexe and
# proc.pcmdline are read from the parent while it lives, so the shell (and with
# it the parent, in system()) waits until the alert is out
podman exec -d "$cid" /bin/ss-helper fdexec /bin/ss-helper /opt/jdk/bin/java system \
	"true untrusted-marker; while [ ! -e /tmp/untrusted-go ]; do sleep 0.05; done" >/dev/null
wait_alert '.rule == "Run shell untrusted"' 30 >/dev/null || fail "'Run shell untrusted' did not fire"
x /bin/sh -c ": >/tmp/untrusted-go" || fail "cannot end the untrusted shell"
podman exec -w /dev/shm "$cid" /bin/sh -c "cp /bin/busybox ./true && ./true shm-marker"
# last: once its alert is out, the ring buffer delivered everything before it
x /bin/sh -c "true cap-marker"
wait_alert '.rule == "Shell with the default capabilities"' 30 >/dev/null || fail "no alert for the last exec"
stop_daemon || fail "daemon exit status"

# fires RULE JQ-FILTER-ON-THE-ALERT: exactly one alert of RULE, and it satisfies the filter
fires() {
	local n a
	n=$(jq -c --arg r "$1" 'select(.rule == $r)' "$T/alerts.json" | wc -l)
	[ "$n" -ge 1 ] || { fail "'$1' did not fire"; return; }
	a=$(jq -c --arg r "$1" 'select(.rule == $r)' "$T/alerts.json" | head -1)
	jq -e "$2" <<<"$a" >/dev/null || fail "'$1': $2 does not hold for $a"
}
fires "Netcat Remote Code Execution in Container" '.output_fields."proc.name" == "nc"'
fires "Search Private Keys or Passwords" '.output_fields."proc.cmdline" | startswith("grep -r BEGIN PRIVATE")'
fires "Remove Bulk Data from Disk" '.output | contains("file=<NA>")'
fires "Remove Bulk Data from Disk" '.output_fields."fd.name" == null'
fires "Find AWS Credentials" '.output | contains("proc_cwd=/ group_name=<NA> user_loginname=<NA>")'
fires "Drop and execute new binary in container" '.output_fields."proc.cmdline" == "true" and (.output | contains("proc_sname=<NA>"))'
fires "Fileless execution via memfd_create" '.output | contains("evt_res=SUCCESS")'
fires "Shell with the default capabilities" '.output_fields."thread.cap_effective" | contains("CAP_CHOWN CAP_DAC_OVERRIDE")'
fires "Run shell untrusted" '(.output | contains("parent_exe=/opt/jdk/bin/java parent_exepath=/bin/ss-helper")) and .output_fields."proc.pexe" == "/opt/jdk/bin/java" and (.output_fields."proc.pcmdline" | contains("untrusted-marker"))'
fires "Execution from /dev/shm" '(.output | contains("proc_cwd=/dev/shm/")) and (.output | contains("file=<NA>")) and .output_fields."proc.cmdline" == "true shm-marker"'
jq -e -s 'map(select(.rule == "Linux Kernel Module Injection Detected")) | length == 0' "$T/alerts.json" >/dev/null ||
	fail "a skipped rule fired"
[ "$FAILS" -eq 0 ] && ok "Falco's exec rule shapes load and fire; output-only Falco fields render <NA>"
finish
