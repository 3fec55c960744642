/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Field table and extraction: Falco's field names and meanings, read from a
 * decoded exec event. Strings point into the event (no copy) unless they are
 * computed, then they live in the field_value's own buffer.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "event/fields.h"
#include "event/names.h"
#include "lib/utf8.h"
#include "event/shells.h"

/* Falco's shell_binaries plus the shells busybox and Debian ship. */
const char *const ss_shell_names[] = {
	"ash", "bash", "csh", "dash", "fish", "ksh", "mksh", "sh", "tcsh", "zsh",
};
const size_t ss_shell_count = sizeof(ss_shell_names) / sizeof(ss_shell_names[0]);

bool ss_is_shell_name(const char *name)
{
	size_t i;

	for (i = 0; i < ss_shell_count; i++)
		if (!strcmp(name, ss_shell_names[i]))
			return true;
	return false;
}

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
		.source = FSRC_RECORD, .null_rule = FNULL_NEVER, .readback = FRB_IGNORE,
		.computed = true,
		.desc = "exe flags as Falco names them: EXE_UPPER_LAYER|EXE_FROM_MEMFD, or 0",
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
		.desc = "shell identity from comm, exe file, interpreter or busybox applet; empty "
			"if none",
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

/* Index = capability number (include/uapi/linux/capability.h). */
static const char *const cap_names[] = {
	"CAP_CHOWN",
	"CAP_DAC_OVERRIDE",
	"CAP_DAC_READ_SEARCH",
	"CAP_FOWNER",
	"CAP_FSETID",
	"CAP_KILL",
	"CAP_SETGID",
	"CAP_SETUID",
	"CAP_SETPCAP",
	"CAP_LINUX_IMMUTABLE",
	"CAP_NET_BIND_SERVICE",
	"CAP_NET_BROADCAST",
	"CAP_NET_ADMIN",
	"CAP_NET_RAW",
	"CAP_IPC_LOCK",
	"CAP_IPC_OWNER",
	"CAP_SYS_MODULE",
	"CAP_SYS_RAWIO",
	"CAP_SYS_CHROOT",
	"CAP_SYS_PTRACE",
	"CAP_SYS_PACCT",
	"CAP_SYS_ADMIN",
	"CAP_SYS_BOOT",
	"CAP_SYS_NICE",
	"CAP_SYS_RESOURCE",
	"CAP_SYS_TIME",
	"CAP_SYS_TTY_CONFIG",
	"CAP_MKNOD",
	"CAP_LEASE",
	"CAP_AUDIT_WRITE",
	"CAP_AUDIT_CONTROL",
	"CAP_SETFCAP",
	"CAP_MAC_OVERRIDE",
	"CAP_MAC_ADMIN",
	"CAP_SYSLOG",
	"CAP_WAKE_ALARM",
	"CAP_BLOCK_SUSPEND",
	"CAP_AUDIT_READ",
	"CAP_PERFMON",
	"CAP_BPF",
	"CAP_CHECKPOINT_RESTORE",
};

_Static_assert(sizeof(((struct field_value *)0)->buf) >= 1024,
	       "field_value.buf must hold every capability name");

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

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* The interpreter counts only when the exec really went through one. */
static const char *script_interp(const struct exec_event *ev)
{
	if (!ev->interp[0])
		return NULL;
	if (!(ev->flags & SS_F_INTERP) && !strcmp(ev->interp, ev->filename))
		return NULL;
	return ev->interp;
}

/* argv[1] copied into buf (argv_raw may lack a final NUL); NULL if absent. */
static const char *argv1(const struct exec_event *ev, char *buf, size_t len)
{
	size_t n = ev->argv_len < sizeof(ev->argv_raw) ? ev->argv_len : sizeof(ev->argv_raw);
	const char *end = memchr(ev->argv_raw, '\0', n);
	size_t start, alen;
	const char *next;

	if (!end)
		return NULL;
	start = (size_t)(end - ev->argv_raw) + 1;
	if (start >= n)
		return NULL;
	next = memchr(ev->argv_raw + start, '\0', n - start);
	alen = next ? (size_t)(next - (ev->argv_raw + start)) : n - start;
	if (alen >= len)
		alen = len - 1;
	memcpy(buf, ev->argv_raw + start, alen);
	buf[alen] = '\0';
	return buf;
}

static const char *shell_identity(const struct exec_event *ev, char *buf, size_t len)
{
	const char *exe_name = base_name(ev->exepath);
	const char *interp = script_interp(ev);
	const char *a1;

	if (ss_is_shell_name(ev->comm))
		return ev->comm;
	if (ev->exepath[0] && ss_is_shell_name(exe_name))
		return exe_name;
	if (interp && ss_is_shell_name(base_name(interp)))
		return base_name(interp);
	if (!strcmp(exe_name, "busybox") || !strcmp(ev->comm, "busybox")) {
		/* busybox runs the applet argv[0] names (fd exec, script), else argv[1]'s */
		if (ss_is_shell_name(base_name(ev->exe)))
			return base_name(ev->exe);
		a1 = argv1(ev, buf, len);
		if (a1 && ss_is_shell_name(base_name(a1)))
			return base_name(a1);
	}
	return "";
}

static void render_caps(uint64_t caps, char *buf, size_t len)
{
	size_t used = 0;
	unsigned bit;

	buf[0] = '\0';
	for (bit = 0; bit < 64; bit++) {
		char num[16];
		const char *name = num;
		size_t n;

		if (!(caps & (1ULL << bit)))
			continue;
		/* memcpy, not snprintf: this runs for every capability of every alert */
		if (bit < sizeof(cap_names) / sizeof(cap_names[0]))
			name = cap_names[bit];
		else
			snprintf(num, sizeof(num), "CAP_%u", bit);
		n = strlen(name);
		if (used + (used ? 1 : 0) + n >= len)
			return;
		if (used)
			buf[used++] = ' ';
		memcpy(buf + used, name, n);
		used += n;
		buf[used] = '\0';
	}
}

static void set_str(struct field_value *out, const char *s)
{
	out->type = FT_STRING;
	out->null = false;
	out->s = s;
}

/* Empty means unknown for enrichment fields. */
static void set_str_or_null(struct field_value *out, const char *s)
{
	set_str(out, s);
	if (!s || !s[0]) {
		out->null = true;
		out->s = NULL;
	}
}

static void set_int(struct field_value *out, int64_t i)
{
	out->type = FT_INT;
	out->null = false;
	out->i = i;
}

static void set_bool(struct field_value *out, bool b)
{
	out->type = FT_BOOL;
	out->null = false;
	out->i = b;
}

static void set_null(struct field_value *out, enum field_type t)
{
	out->type = t;
	out->null = true;
	out->s = NULL;
	out->i = 0;
}

static int extract_ancestor(const struct exec_event *ev, bool want_pid, int index,
			    struct field_value *out)
{
	int count = ev->ancestor_count;

	if (count < 0)
		count = 0;
	if (count > SS_ANCESTORS)
		count = SS_ANCESTORS;
	/* Without an index the parent stands for "any ancestor"; the evaluator walks them. */
	if (index < 0)
		index = 1;
	if (index == 0) {
		if (want_pid)
			set_int(out, ev->pid);
		else
			set_str(out, ev->comm);
		return 0;
	}
	if (index > count) {
		set_null(out, want_pid ? FT_INT : FT_STRING);
		return -ENOENT;
	}
	if (want_pid)
		set_int(out, ev->ancestors[index - 1].pid);
	else
		set_str(out, ev->ancestors[index - 1].comm);
	return 0;
}

/* The fields that are not a plain member: one case each. */
static int field_extract_computed(const struct exec_event *ev, enum field_id id, int index,
				  struct field_value *out)
{
	const struct container_info *c = &ev->container;

	switch (id) {
	case F_EVT_TYPE:
		set_str(out, "execve");
		break;
	case F_EVT_ARG_FLAGS: {
		bool upper = ev->flags & SS_F_EXE_UPPER_LAYER;
		bool memfd = ev->flags & SS_F_EXE_MEMFD;

		if (upper && memfd)
			set_str(out, "EXE_UPPER_LAYER|EXE_FROM_MEMFD");
		else if (upper)
			set_str(out, "EXE_UPPER_LAYER");
		else if (memfd)
			set_str(out, "EXE_FROM_MEMFD");
		else
			set_str(out, "0");
		break;
	}
	case F_PROC_PNAME:
		if (ev->ancestor_count > 0)
			set_str(out, ev->ancestors[0].comm);
		else
			set_null(out, FT_STRING);
		break;
	case F_PROC_ANAME:
		return extract_ancestor(ev, false, index, out);
	case F_PROC_APID:
		return extract_ancestor(ev, true, index, out);
	case F_CONTAINER_ID:
		/* "" stays "": Falco's value for a container it could not resolve. */
		set_str(out, !c->is_container && !c->id[0] ? "host" : c->id);
		break;
	case F_CONTAINER_PRIVILEGED:
		if (c->privileged == TRI_UNKNOWN)
			set_null(out, FT_BOOL);
		else
			set_bool(out, c->privileged == TRI_TRUE);
		break;
	case F_CONTAINER_RUNTIME:
		set_str(out, container_runtime_name(c->runtime));
		break;
	case F_SS_LINEAGE:
		set_str(out, lineage_name(ev->lineage));
		break;
	case F_SS_CAP_EFFECTIVE:
		render_caps(ev->cap_effective, out->buf, sizeof(out->buf));
		set_str(out, out->buf);
		break;
	case F_SS_CAP_EFFECTIVE_HEX:
		snprintf(out->buf, sizeof(out->buf), "0x%016" PRIx64, ev->cap_effective);
		set_str(out, out->buf);
		break;
	case F_SS_INTERP:
		set_str_or_null(out, script_interp(ev));
		break;
	case F_SS_EXE_NAME:
		if (ev->exepath[0])
			set_str(out, base_name(ev->exepath));
		else
			set_null(out, FT_STRING);
		break;
	case F_SS_SHELL:
		set_str(out, shell_identity(ev, out->buf, sizeof(out->buf)));
		break;
	case F_SS_TRUNCATED:
		set_bool(out, ev->flags & SS_F_ARGV_TRUNCATED);
		break;
	case F_SS_ARGV_ESCAPED:
		set_bool(out, utf8_needs_escape(ev->cmdline, strlen(ev->cmdline)));
		break;
	case F_SS_SESSION_PID:
		if (ev->session[0])
			set_int(out, ev->session_pid);
		else
			set_null(out, FT_INT);
		break;
	case F_SS_SESSION_START:
		if (ev->session[0])
			set_int(out, (int64_t)ev->session_start_ns);
		else
			set_null(out, FT_INT);
		break;
	case F_SS_SESSION_LEADER:
		if (ev->session[0])
			set_bool(out, ev->flags & SS_F_SESSION_START);
		else
			set_null(out, FT_BOOL);
		break;
	default:
		set_null(out, FT_STRING);
		return -EINVAL;
	}
	return 0;
}

int field_extract(const struct exec_event *ev, enum field_id id, int index, struct field_value *out)
{
	const struct field_def *d;
	const char *p;

	if ((unsigned)id >= F_COUNT) {
		set_null(out, FT_STRING);
		return -EINVAL;
	}
	d = &field_table[id];
	if (d->computed)
		return field_extract_computed(ev, id, index, out);
	/* a plain member: a string (per its null rule) or an integer by its width */
	p = (const char *)ev + d->off;
	out->type = d->type;
	out->null = false;
	if (d->type == FT_STRING) {
		out->s = p;
		if (d->null_rule == FNULL_EMPTY && !p[0]) {
			out->null = true;
			out->s = NULL;
		}
	} else if (d->size == sizeof(uint32_t)) {
		out->i = *(const uint32_t *)p; /* u32 members are unsigned */
	} else if (d->size == sizeof(int64_t)) {
		out->i = *(const int64_t *)p; /* time, loginuid: their bits */
	} else {
		set_null(out, d->type); /* FNULL_ALWAYS: no member */
	}
	return 0;
}

const char *field_value_str(struct field_value *v)
{
	if (v->null)
		return "<NA>";
	switch (v->type) {
	case FT_STRING:
		return v->s ? v->s : "";
	case FT_BOOL:
		return v->i ? "true" : "false";
	case FT_INT: {
		/* by hand: output templates render several numbers per alert */
		char *p = v->buf + 24;
		uint64_t u = v->i < 0 ? -(uint64_t)v->i : (uint64_t)v->i;

		*p = '\0';
		do {
			*--p = (char)('0' + u % 10);
			u /= 10;
		} while (u);
		if (v->i < 0)
			*--p = '-';
		return p;
	}
	}
	return "<NA>";
}

void field_print_list(FILE *f)
{
	static const char *const type_names[] = { "string", "int", "bool" };

	for (int i = 0; i < F_COUNT; i++) {
		char name[64];

		snprintf(name, sizeof(name), "%s%s", field_table[i].name,
			 field_table[i].indexed ? "[N]" : "");
		fprintf(f, "%-30s %-7s %s\n", name, type_names[field_table[i].type],
			field_table[i].desc);
	}
}
