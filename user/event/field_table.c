// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The field model: every field's name, type, source, null rule, read-back and
 * member, once. A new field is one entry here (and, when computed, its case
 * in fields.c field_extract_computed()); see fields.h.
 */
#include <stdio.h>
#include <string.h>

#include "event/fields.h"

#define MEMBER(m) .off = offsetof(struct exec_event, m), .size = sizeof(((struct exec_event *)0)->m)
#define CMEMBER(m)                                                                                 \
	.off = offsetof(struct exec_event, container.m),                                           \
	.size = sizeof(((struct exec_event *)0)->container.m)

/*
 * A field stored in the event is its member here and nothing else; a
 * computed one (.computed) also has its case in field_extract_computed().
 * (clang-format 14 would split every "[F_X] = {" over two lines.)
 */
/* clang-format off */
const struct field_def field_table[F_COUNT] = {
	[F_EVT_TYPE] = {
		.id = F_EVT_TYPE, .name = "evt.type", .type = FT_STRING,
		.source = FSRC_COMPUTED, .null_rule = FNULL_NEVER, .readback = FRB_IGNORE,
		.computed = true, .desc = "event type: execve",
	},
	[F_EVT_TIME] = {
		/* read back from the alert's own "time" key, not from output_fields */
		.id = F_EVT_TIME, .name = "evt.time", .type = FT_INT,
		.source = FSRC_RECORD, .null_rule = FNULL_NEVER, .readback = FRB_IGNORE,
		MEMBER(time_ns), .desc = "event time, ns since the epoch",
	},
	[F_EVT_NUM] = {
		.id = F_EVT_NUM, .name = "evt.num", .type = FT_INT,
		.source = FSRC_UNKNOWN, .null_rule = FNULL_ALWAYS, .readback = FRB_IGNORE,
		.desc = "event number: unknown (null); comparisons with 0 behave as for Falco's "
			"evt.num >= 1",
	},
	[F_EVT_ARG_FLAGS] = {
		.id = F_EVT_ARG_FLAGS, .name = "evt.arg.flags", .type = FT_STRING,
		.source = FSRC_RECORD, .null_rule = FNULL_NEVER, .readback = FRB_CUSTOM,
		.computed = true,
		.desc = "exe flags as Falco names them: EXE_UPPER_LAYER|EXE_FROM_MEMFD, or 0",
	},
	[F_EVT_RES] = {
		.id = F_EVT_RES, .name = "evt.res", .type = FT_STRING,
		.source = FSRC_COMPUTED, .null_rule = FNULL_NEVER, .readback = FRB_IGNORE,
		.computed = true,
		.desc = "result of the exec: SUCCESS (a failed exec is no event), as Falco prints it",
	},
	[F_PROC_NAME] = {
		.id = F_PROC_NAME, .name = "proc.name", .type = FT_STRING,
		.source = FSRC_RECORD, .null_rule = FNULL_NEVER, .readback = FRB_MEMBER,
		MEMBER(comm), .desc = "process name (comm)",
	},
	[F_PROC_EXE] = {
		.id = F_PROC_EXE, .name = "proc.exe", .type = FT_STRING,
		.source = FSRC_ARGV, .null_rule = FNULL_NEVER, .readback = FRB_MEMBER,
		MEMBER(exe), .desc = "argv[0] as passed to exec",
	},
	[F_PROC_EXEPATH] = {
		.id = F_PROC_EXEPATH, .name = "proc.exepath", .type = FT_STRING,
		.source = FSRC_RECORD, .null_rule = FNULL_EMPTY, .readback = FRB_MEMBER,
		MEMBER(exepath), .desc = "resolved path of the executed file",
	},
	[F_PROC_CMDLINE] = {
		.id = F_PROC_CMDLINE, .name = "proc.cmdline", .type = FT_STRING,
		.source = FSRC_ARGV, .null_rule = FNULL_NEVER, .readback = FRB_MEMBER,
		MEMBER(cmdline), .desc = "proc.name plus the arguments",
	},
	[F_PROC_ARGS] = {
		.id = F_PROC_ARGS, .name = "proc.args", .type = FT_STRING,
		.source = FSRC_ARGV, .null_rule = FNULL_NEVER, .readback = FRB_MEMBER,
		MEMBER(args), .desc = "arguments after argv[0], space separated",
	},
	[F_PROC_PID] = {
		.id = F_PROC_PID, .name = "proc.pid", .type = FT_INT,
		.source = FSRC_RECORD, .null_rule = FNULL_NEVER, .readback = FRB_MEMBER,
		MEMBER(pid), .desc = "process id (host pid namespace)",
	},
	[F_PROC_VPID] = {
		.id = F_PROC_VPID, .name = "proc.vpid", .type = FT_INT,
		.source = FSRC_RECORD, .null_rule = FNULL_NEVER, .readback = FRB_MEMBER,
		MEMBER(vpid), .desc = "process id in its own pid namespace",
	},
	[F_PROC_PPID] = {
		.id = F_PROC_PPID, .name = "proc.ppid", .type = FT_INT,
		.source = FSRC_RECORD, .null_rule = FNULL_NEVER, .readback = FRB_MEMBER,
		MEMBER(ppid), .desc = "parent process id (host pid namespace)",
	},
	[F_PROC_PNAME] = {
		.id = F_PROC_PNAME, .name = "proc.pname", .type = FT_STRING,
		.source = FSRC_RECORD, .null_rule = FNULL_COMPUTED, .readback = FRB_CUSTOM,
		.computed = true, .desc = "parent process name",
	},
	[F_PROC_PCMDLINE] = {
		.id = F_PROC_PCMDLINE, .name = "proc.pcmdline", .type = FT_STRING,
		.source = FSRC_CONTEXT, .null_rule = FNULL_EMPTY, .readback = FRB_MEMBER,
		MEMBER(pcmdline), .desc = "parent command line, when known",
	},
	[F_PROC_ANAME] = {
		.id = F_PROC_ANAME, .name = "proc.aname", .type = FT_STRING,
		.source = FSRC_RECORD, .null_rule = FNULL_COMPUTED, .readback = FRB_CUSTOM,
		.indexed = true, .computed = true,
		.desc = "ancestor name: [0] self, [1] parent ...; without index, any ancestor",
	},
	[F_PROC_APID] = {
		.id = F_PROC_APID, .name = "proc.apid", .type = FT_INT,
		.source = FSRC_RECORD, .null_rule = FNULL_COMPUTED, .readback = FRB_CUSTOM,
		.indexed = true, .computed = true,
		.desc = "ancestor pid: [0] self, [1] parent ...; without index, any ancestor",
	},
	[F_PROC_TTY] = {
		.id = F_PROC_TTY, .name = "proc.tty", .type = FT_INT,
		.source = FSRC_RECORD, .null_rule = FNULL_NEVER, .readback = FRB_MEMBER,
		MEMBER(tty), .desc = "controlling terminal (major << 8 | minor), 0 if none",
	},
	[F_PROC_IS_VPGID_LEADER] = {
		.id = F_PROC_IS_VPGID_LEADER, .name = "proc.is_vpgid_leader", .type = FT_BOOL,
		.source = FSRC_UNKNOWN, .null_rule = FNULL_ALWAYS, .readback = FRB_IGNORE,
		.desc = "process group leader in its pid namespace: unknown (null)",
	},
	[F_PROC_IS_EXE_UPPER_LAYER] = {
		.id = F_PROC_IS_EXE_UPPER_LAYER, .name = "proc.is_exe_upper_layer", .type = FT_BOOL,
		.source = FSRC_RECORD, .null_rule = FNULL_NEVER, .readback = FRB_CUSTOM,
		.computed = true,
		.desc = "the executable is on an overlayfs upper layer: written in the container",
	},
	[F_PROC_IS_EXE_FROM_MEMFD] = {
		.id = F_PROC_IS_EXE_FROM_MEMFD, .name = "proc.is_exe_from_memfd", .type = FT_BOOL,
		.source = FSRC_RECORD, .null_rule = FNULL_NEVER, .readback = FRB_CUSTOM,
		.computed = true,
		.desc = "the executable has no link in any directory (memfd_create, deleted)",
	},
	[F_USER_UID] = {
		.id = F_USER_UID, .name = "user.uid", .type = FT_INT,
		.source = FSRC_RECORD, .null_rule = FNULL_NEVER, .readback = FRB_MEMBER,
		MEMBER(uid), .desc = "user id",
	},
	[F_USER_NAME] = {
		.id = F_USER_NAME, .name = "user.name", .type = FT_STRING,
		.source = FSRC_CONTEXT, .null_rule = FNULL_EMPTY, .readback = FRB_MEMBER,
		MEMBER(user_name), .desc = "user name, from the container's passwd",
	},
	[F_USER_LOGINUID] = {
		.id = F_USER_LOGINUID, .name = "user.loginuid", .type = FT_INT,
		.source = FSRC_RECORD, .null_rule = FNULL_NEVER, .readback = FRB_MEMBER,
		MEMBER(loginuid), .desc = "audit login uid, -1 when unset",
	},
	[F_GROUP_GID] = {
		.id = F_GROUP_GID, .name = "group.gid", .type = FT_INT,
		.source = FSRC_RECORD, .null_rule = FNULL_NEVER, .readback = FRB_MEMBER,
		MEMBER(gid), .desc = "group id",
	},
	[F_THREAD_CAP_EFFECTIVE] = {
		.id = F_THREAD_CAP_EFFECTIVE, .name = "thread.cap_effective", .type = FT_STRING,
		.source = FSRC_RECORD, .null_rule = FNULL_NEVER, .readback = FRB_IGNORE,
		.computed = true,
		.desc = "effective capabilities as Falco prints them: names, space separated",
	},
	[F_CONTAINER_ID] = {
		/* computed: "host" for a host process the enricher did not name */
		.id = F_CONTAINER_ID, .name = "container.id", .type = FT_STRING,
		.source = FSRC_CONTEXT, .null_rule = FNULL_NEVER, .readback = FRB_MEMBER,
		.computed = true, CMEMBER(id),
		.desc = "12-character container id, host, or empty when unresolved",
	},
	[F_CONTAINER_FULL_ID] = {
		.id = F_CONTAINER_FULL_ID, .name = "container.full_id", .type = FT_STRING,
		.source = FSRC_CONTEXT, .null_rule = FNULL_EMPTY, .readback = FRB_MEMBER,
		CMEMBER(full_id), .desc = "64-character container id",
	},
	[F_CONTAINER_NAME] = {
		.id = F_CONTAINER_NAME, .name = "container.name", .type = FT_STRING,
		.source = FSRC_CONTEXT, .null_rule = FNULL_EMPTY, .readback = FRB_MEMBER,
		CMEMBER(name), .desc = "container name",
	},
	[F_CONTAINER_IMAGE] = {
		.id = F_CONTAINER_IMAGE, .name = "container.image", .type = FT_STRING,
		.source = FSRC_CONTEXT, .null_rule = FNULL_EMPTY, .readback = FRB_MEMBER,
		CMEMBER(image), .desc = "container image",
	},
	[F_CONTAINER_IMAGE_REPOSITORY] = {
		.id = F_CONTAINER_IMAGE_REPOSITORY, .name = "container.image.repository",
		.type = FT_STRING, .source = FSRC_CONTEXT, .null_rule = FNULL_EMPTY,
		.readback = FRB_MEMBER, CMEMBER(image_repository),
		.desc = "container image repository",
	},
	[F_CONTAINER_IMAGE_TAG] = {
		.id = F_CONTAINER_IMAGE_TAG, .name = "container.image.tag", .type = FT_STRING,
		.source = FSRC_CONTEXT, .null_rule = FNULL_EMPTY, .readback = FRB_MEMBER,
		CMEMBER(image_tag), .desc = "container image tag",
	},
	[F_CONTAINER_PRIVILEGED] = {
		.id = F_CONTAINER_PRIVILEGED, .name = "container.privileged", .type = FT_BOOL,
		.source = FSRC_CONTEXT, .null_rule = FNULL_COMPUTED, .readback = FRB_CUSTOM,
		.computed = true, .desc = "container runs privileged",
	},
	[F_CONTAINER_RUNTIME] = {
		.id = F_CONTAINER_RUNTIME, .name = "container.runtime", .type = FT_STRING,
		.source = FSRC_CONTEXT, .null_rule = FNULL_NEVER, .readback = FRB_CUSTOM,
		.computed = true, .desc = "docker, containerd, cri-o, podman, unknown, or host",
	},
	[F_K8S_POD_NAME] = {
		.id = F_K8S_POD_NAME, .name = "k8s.pod.name", .type = FT_STRING,
		.source = FSRC_CONTEXT, .null_rule = FNULL_EMPTY, .readback = FRB_MEMBER,
		CMEMBER(pod_name), .desc = "Kubernetes pod name",
	},
	[F_K8S_NS_NAME] = {
		.id = F_K8S_NS_NAME, .name = "k8s.ns.name", .type = FT_STRING,
		.source = FSRC_CONTEXT, .null_rule = FNULL_EMPTY, .readback = FRB_MEMBER,
		CMEMBER(pod_namespace), .desc = "Kubernetes namespace",
	},
	[F_K8S_POD_UID] = {
		.id = F_K8S_POD_UID, .name = "k8s.pod.uid", .type = FT_STRING,
		.source = FSRC_CONTEXT, .null_rule = FNULL_EMPTY, .readback = FRB_MEMBER,
		CMEMBER(pod_uid), .desc = "Kubernetes pod uid",
	},
	[F_K8S_CONTAINER_NAME] = {
		.id = F_K8S_CONTAINER_NAME, .name = "k8s.container.name", .type = FT_STRING,
		.source = FSRC_CONTEXT, .null_rule = FNULL_EMPTY, .readback = FRB_MEMBER,
		CMEMBER(k8s_container_name), .desc = "Kubernetes container name",
	},
	[F_SS_LINEAGE] = {
		.id = F_SS_LINEAGE, .name = "shellsentry.lineage", .type = FT_STRING,
		.source = FSRC_RECORD, .null_rule = FNULL_NEVER, .readback = FRB_CUSTOM,
		.computed = true,
		.desc = "entrypoint, init-tree, injected (exec'd from outside the container) or "
			"unknown",
	},
	[F_SS_CAP_EFFECTIVE] = {
		.id = F_SS_CAP_EFFECTIVE, .name = "shellsentry.cap_effective", .type = FT_STRING,
		.source = FSRC_RECORD, .null_rule = FNULL_NEVER, .readback = FRB_IGNORE,
		.computed = true, .desc = "effective capabilities, space separated names",
	},
	[F_SS_CAP_EFFECTIVE_HEX] = {
		.id = F_SS_CAP_EFFECTIVE_HEX, .name = "shellsentry.cap_effective_hex",
		.type = FT_STRING, .source = FSRC_RECORD, .null_rule = FNULL_NEVER,
		.readback = FRB_CUSTOM, .computed = true,
		.desc = "effective capabilities as 0x%016llx",
	},
	[F_SS_EUID] = {
		.id = F_SS_EUID, .name = "shellsentry.euid", .type = FT_INT,
		.source = FSRC_RECORD, .null_rule = FNULL_NEVER, .readback = FRB_MEMBER,
		MEMBER(euid), .desc = "effective user id",
	},
	[F_SS_PIDNS] = {
		.id = F_SS_PIDNS, .name = "shellsentry.pidns", .type = FT_INT,
		.source = FSRC_RECORD, .null_rule = FNULL_NEVER, .readback = FRB_MEMBER,
		MEMBER(pidns_inum), .desc = "pid namespace inode",
	},
	[F_SS_INTERP] = {
		/* computed: the interpreter counts only when the exec went through one */
		.id = F_SS_INTERP, .name = "shellsentry.interp", .type = FT_STRING,
		.source = FSRC_RECORD, .null_rule = FNULL_COMPUTED, .readback = FRB_MEMBER,
		.computed = true, MEMBER(interp),
		.desc = "script interpreter (#! line), null if not a script",
	},
	[F_SS_EXE_NAME] = {
		.id = F_SS_EXE_NAME, .name = "shellsentry.exe_name", .type = FT_STRING,
		.source = FSRC_COMPUTED, .null_rule = FNULL_COMPUTED, .readback = FRB_IGNORE,
		.computed = true, .desc = "file name of proc.exepath",
	},
	[F_SS_SHELL] = {
		.id = F_SS_SHELL, .name = "shellsentry.shell", .type = FT_STRING,
		.source = FSRC_COMPUTED, .null_rule = FNULL_NEVER, .readback = FRB_IGNORE,
		.computed = true,
		.desc = "shell identity from comm, exe file, interpreter, busybox applet or the "
			"executed file's content; empty if none",
	},
	[F_SS_SHELL_BY] = {
		.id = F_SS_SHELL_BY, .name = "shellsentry.shell_by", .type = FT_STRING,
		.source = FSRC_COMPUTED, .null_rule = FNULL_NEVER, .readback = FRB_IGNORE,
		.computed = true,
		.desc = "how shellsentry.shell was found: name (comm, file, interpreter, applet) or "
			"content (the executed file judged by its bytes); empty if not a shell",
	},
	[F_SS_TRUNCATED] = {
		.id = F_SS_TRUNCATED, .name = "shellsentry.truncated", .type = FT_BOOL,
		.source = FSRC_RECORD, .null_rule = FNULL_NEVER, .readback = FRB_CUSTOM,
		.computed = true, .desc = "argv was cut to fit the event",
	},
	[F_SS_ARGV_ESCAPED] = {
		.id = F_SS_ARGV_ESCAPED, .name = "shellsentry.argv_escaped", .type = FT_BOOL,
		.source = FSRC_COMPUTED, .null_rule = FNULL_NEVER, .readback = FRB_IGNORE,
		.computed = true,
		.desc = "command line holds control characters or invalid UTF-8 (escaped when "
			"printed)",
	},
	[F_PROC_STDIN_TYPE] = {
		.id = F_PROC_STDIN_TYPE, .name = "proc.stdin.type", .type = FT_STRING,
		.source = FSRC_RECORD, .null_rule = FNULL_EMPTY, .readback = FRB_MEMBER,
		MEMBER(stdio[0].type),
		.desc = "type of fd 0 at exec, Falco's spelling: file (terminals and devices too), "
			"directory, pipe, unix, ipv4, ipv6, netlink, event, memfd, ... <NA>; null if "
			"closed",
	},
	[F_PROC_STDOUT_TYPE] = {
		.id = F_PROC_STDOUT_TYPE, .name = "proc.stdout.type", .type = FT_STRING,
		.source = FSRC_RECORD, .null_rule = FNULL_EMPTY, .readback = FRB_MEMBER,
		MEMBER(stdio[1].type), .desc = "type of fd 1 at exec, as proc.stdin.type",
	},
	[F_PROC_STDERR_TYPE] = {
		.id = F_PROC_STDERR_TYPE, .name = "proc.stderr.type", .type = FT_STRING,
		.source = FSRC_RECORD, .null_rule = FNULL_EMPTY, .readback = FRB_MEMBER,
		MEMBER(stdio[2].type), .desc = "type of fd 2 at exec, as proc.stdin.type",
	},
	[F_PROC_STDIN_NAME] = {
		.id = F_PROC_STDIN_NAME, .name = "proc.stdin.name", .type = FT_STRING,
		.source = FSRC_RECORD, .null_rule = FNULL_EMPTY, .readback = FRB_MEMBER,
		MEMBER(stdio[0].name),
		.desc = "name of fd 0 at exec: client:port->server:port for a socket, /dev/pts/N, "
			"pipe:[inode], a file's path (its name when the process is gone); null if "
			"closed",
	},
	[F_PROC_STDOUT_NAME] = {
		.id = F_PROC_STDOUT_NAME, .name = "proc.stdout.name", .type = FT_STRING,
		.source = FSRC_RECORD, .null_rule = FNULL_EMPTY, .readback = FRB_MEMBER,
		MEMBER(stdio[1].name), .desc = "name of fd 1 at exec, as proc.stdin.name",
	},
	[F_PROC_STDERR_NAME] = {
		.id = F_PROC_STDERR_NAME, .name = "proc.stderr.name", .type = FT_STRING,
		.source = FSRC_RECORD, .null_rule = FNULL_EMPTY, .readback = FRB_MEMBER,
		MEMBER(stdio[2].name), .desc = "name of fd 2 at exec, as proc.stdin.name",
	},
	[F_SS_STDIN_PEER] = {
		.id = F_SS_STDIN_PEER, .name = "shellsentry.stdin.peer", .type = FT_STRING,
		.source = FSRC_RECORD, .null_rule = FNULL_EMPTY, .readback = FRB_MEMBER,
		MEMBER(stdio[0].peer),
		.desc = "remote end ip:port ([v6]:port) of an IPv4/IPv6 socket on fd 0; null "
			"otherwise",
	},
	[F_SS_STDOUT_PEER] = {
		.id = F_SS_STDOUT_PEER, .name = "shellsentry.stdout.peer", .type = FT_STRING,
		.source = FSRC_RECORD, .null_rule = FNULL_EMPTY, .readback = FRB_MEMBER,
		MEMBER(stdio[1].peer), .desc = "as shellsentry.stdin.peer, for fd 1",
	},
	[F_SS_STDERR_PEER] = {
		.id = F_SS_STDERR_PEER, .name = "shellsentry.stderr.peer", .type = FT_STRING,
		.source = FSRC_RECORD, .null_rule = FNULL_EMPTY, .readback = FRB_MEMBER,
		MEMBER(stdio[2].peer), .desc = "as shellsentry.stdin.peer, for fd 2",
	},
	[F_SS_STDIO_PEER] = {
		.id = F_SS_STDIO_PEER, .name = "shellsentry.stdio.peer", .type = FT_STRING,
		.source = FSRC_RECORD, .null_rule = FNULL_EMPTY, .readback = FRB_MEMBER,
		MEMBER(stdio_peer),
		.desc = "remote ip:port of the first of stdin, stdout, stderr that is an IPv4/IPv6 "
			"socket (reverse or bind shell peer); null if none is",
	},
	[F_SS_STDIO_LOCAL] = {
		.id = F_SS_STDIO_LOCAL, .name = "shellsentry.stdio.local", .type = FT_STRING,
		.source = FSRC_RECORD, .null_rule = FNULL_EMPTY, .readback = FRB_MEMBER,
		MEMBER(stdio_local), .desc = "local ip:port of that socket",
	},
	[F_SS_STDIO_PROTO] = {
		.id = F_SS_STDIO_PROTO, .name = "shellsentry.stdio.proto", .type = FT_STRING,
		.source = FSRC_RECORD, .null_rule = FNULL_EMPTY, .readback = FRB_MEMBER,
		MEMBER(stdio_proto), .desc = "its protocol: tcp, udp, icmp, raw",
	},
	[F_SS_SESSION] = {
		.id = F_SS_SESSION, .name = "shellsentry.session", .type = FT_STRING,
		.source = FSRC_RECORD, .null_rule = FNULL_EMPTY, .readback = FRB_MEMBER,
		MEMBER(session),
		.desc = "shell session the process belongs to: \"<shell pid>-<exec time, hex>\", "
			"stable for the session; null outside any session",
	},
	[F_SS_SESSION_PID] = {
		.id = F_SS_SESSION_PID, .name = "shellsentry.session.pid", .type = FT_INT,
		.source = FSRC_RECORD, .null_rule = FNULL_COMPUTED, .readback = FRB_IGNORE,
		.computed = true, .desc = "host pid of the session's shell; null outside a session",
	},
	[F_SS_SESSION_START] = {
		.id = F_SS_SESSION_START, .name = "shellsentry.session.start", .type = FT_INT,
		.source = FSRC_RECORD, .null_rule = FNULL_COMPUTED, .readback = FRB_IGNORE,
		.computed = true,
		.desc = "time the session's shell was exec'd, ns since the epoch; null outside a "
			"session",
	},
	[F_SS_SESSION_LEADER] = {
		.id = F_SS_SESSION_LEADER, .name = "shellsentry.session.leader", .type = FT_BOOL,
		.source = FSRC_RECORD, .null_rule = FNULL_COMPUTED, .readback = FRB_IGNORE,
		.computed = true,
		.desc = "this exec started the session (its shell); null outside a session",
	},
	[F_PROC_CWD] = {
		.id = F_PROC_CWD, .name = "proc.cwd", .type = FT_STRING,
		.source = FSRC_RECORD, .null_rule = FNULL_EMPTY, .readback = FRB_MEMBER,
		MEMBER(cwd),
		.desc = "working directory at exec, in the process's mount namespace, ending in '/' "
			"as Falco's (\"/\", \"/dev/shm/\")",
	},
	[F_PROC_PEXEPATH] = {
		.id = F_PROC_PEXEPATH, .name = "proc.pexepath", .type = FT_STRING,
		.source = FSRC_RECORD, .null_rule = FNULL_EMPTY, .readback = FRB_MEMBER,
		MEMBER(pexepath),
		.desc = "full path of the parent's executable (in the parent's mount namespace); "
			"null when the parent was already exiting",
	},
	[F_PROC_PEXE] = {
		.id = F_PROC_PEXE, .name = "proc.pexe", .type = FT_STRING,
		.source = FSRC_CONTEXT, .null_rule = FNULL_EMPTY, .readback = FRB_MEMBER,
		MEMBER(pexe),
		.desc = "the parent's argv[0] as it wrote it (Falco's proc.pexe), read while the "
			"parent lives; null when it was gone",
	},
	[F_SS_SESSION_REASONS] = {
		.id = F_SS_SESSION_REASONS, .name = "shellsentry.session.reasons", .type = FT_STRING,
		.source = FSRC_RECORD, .null_rule = FNULL_EMPTY, .readback = FRB_MEMBER,
		MEMBER(session_reasons),
		.desc = "why this exec started a session: injected, tty, network (comma "
			"separated); null unless it did",
	},
};
/* clang-format on */

bool field_is_own(const struct field_def *d)
{
	return !strncmp(d->name, FIELD_OWN_PREFIX, sizeof(FIELD_OWN_PREFIX) - 1);
}

const struct field_def *field_lookup(const char *name)
{
	size_t i;

	if (!name)
		return NULL;
	for (i = 0; i < F_COUNT; i++)
		if (!strcmp(field_table[i].name, name))
			return &field_table[i];
	return NULL;
}

void field_print_list(FILE *f)
{
	static const char *const type_names[] = {"string", "int", "bool"};

	for (int i = 0; i < F_COUNT; i++) {
		char name[64];

		snprintf(name, sizeof(name), "%s%s", field_table[i].name,
			 field_table[i].indexed ? "[N]" : "");
		fprintf(f, "%-30s %-7s %s\n", name, type_names[field_table[i].type],
			field_table[i].desc);
	}
}
