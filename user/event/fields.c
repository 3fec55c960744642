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

#include "context/container_id.h"
#include "event/fields.h"
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

const struct field_def field_table[F_COUNT] = {
	{ "evt.type", F_EVT_TYPE, FT_STRING, false, "event type: execve" },
	{ "evt.time", F_EVT_TIME, FT_INT, false, "event time, ns since the epoch" },
	{ "evt.num", F_EVT_NUM, FT_INT, false,
	  "event number: unknown (null); comparisons with 0 behave as for Falco's evt.num >= 1" },
	{ "evt.arg.flags", F_EVT_ARG_FLAGS, FT_STRING, false,
	  "exe flags as Falco names them: EXE_UPPER_LAYER|EXE_FROM_MEMFD, or 0" },
	{ "proc.name", F_PROC_NAME, FT_STRING, false, "process name (comm)" },
	{ "proc.exe", F_PROC_EXE, FT_STRING, false, "argv[0] as passed to exec" },
	{ "proc.exepath", F_PROC_EXEPATH, FT_STRING, false, "resolved path of the executed file" },
	{ "proc.cmdline", F_PROC_CMDLINE, FT_STRING, false, "proc.name plus the arguments" },
	{ "proc.args", F_PROC_ARGS, FT_STRING, false, "arguments after argv[0], space separated" },
	{ "proc.pid", F_PROC_PID, FT_INT, false, "process id (host pid namespace)" },
	{ "proc.vpid", F_PROC_VPID, FT_INT, false, "process id in its own pid namespace" },
	{ "proc.ppid", F_PROC_PPID, FT_INT, false, "parent process id (host pid namespace)" },
	{ "proc.pname", F_PROC_PNAME, FT_STRING, false, "parent process name" },
	{ "proc.pcmdline", F_PROC_PCMDLINE, FT_STRING, false, "parent command line, when known" },
	{ "proc.aname", F_PROC_ANAME, FT_STRING, true,
	  "ancestor name: [0] self, [1] parent ...; without index, any ancestor" },
	{ "proc.apid", F_PROC_APID, FT_INT, true,
	  "ancestor pid: [0] self, [1] parent ...; without index, any ancestor" },
	{ "proc.tty", F_PROC_TTY, FT_INT, false, "controlling terminal (major << 8 | minor), 0 if none" },
	{ "proc.is_vpgid_leader", F_PROC_IS_VPGID_LEADER, FT_BOOL, false,
	  "process group leader in its pid namespace: unknown (null)" },
	{ "user.uid", F_USER_UID, FT_INT, false, "user id" },
	{ "user.name", F_USER_NAME, FT_STRING, false, "user name, from the container's passwd" },
	{ "user.loginuid", F_USER_LOGINUID, FT_INT, false, "audit login uid, -1 when unset" },
	{ "group.gid", F_GROUP_GID, FT_INT, false, "group id" },
	{ "container.id", F_CONTAINER_ID, FT_STRING, false,
	  "12-character container id, host, or empty when unresolved" },
	{ "container.full_id", F_CONTAINER_FULL_ID, FT_STRING, false, "64-character container id" },
	{ "container.name", F_CONTAINER_NAME, FT_STRING, false, "container name" },
	{ "container.image", F_CONTAINER_IMAGE, FT_STRING, false, "container image" },
	{ "container.image.repository", F_CONTAINER_IMAGE_REPOSITORY, FT_STRING, false,
	  "container image repository" },
	{ "container.image.tag", F_CONTAINER_IMAGE_TAG, FT_STRING, false, "container image tag" },
	{ "container.privileged", F_CONTAINER_PRIVILEGED, FT_BOOL, false,
	  "container runs privileged" },
	{ "container.runtime", F_CONTAINER_RUNTIME, FT_STRING, false,
	  "docker, containerd, cri-o, podman, unknown, or host" },
	{ "k8s.pod.name", F_K8S_POD_NAME, FT_STRING, false, "Kubernetes pod name" },
	{ "k8s.ns.name", F_K8S_NS_NAME, FT_STRING, false, "Kubernetes namespace" },
	{ "k8s.pod.uid", F_K8S_POD_UID, FT_STRING, false, "Kubernetes pod uid" },
	{ "k8s.container.name", F_K8S_CONTAINER_NAME, FT_STRING, false,
	  "Kubernetes container name" },
	{ "shellsentry.lineage", F_SS_LINEAGE, FT_STRING, false,
	  "entrypoint, init-tree, injected (exec'd from outside the container) or unknown" },
	{ "shellsentry.cap_effective", F_SS_CAP_EFFECTIVE, FT_STRING, false,
	  "effective capabilities, space separated names" },
	{ "shellsentry.cap_effective_hex", F_SS_CAP_EFFECTIVE_HEX, FT_STRING, false,
	  "effective capabilities as 0x%016llx" },
	{ "shellsentry.euid", F_SS_EUID, FT_INT, false, "effective user id" },
	{ "shellsentry.pidns", F_SS_PIDNS, FT_INT, false, "pid namespace inode" },
	{ "shellsentry.interp", F_SS_INTERP, FT_STRING, false,
	  "script interpreter (#! line), null if not a script" },
	{ "shellsentry.exe_name", F_SS_EXE_NAME, FT_STRING, false, "file name of proc.exepath" },
	{ "shellsentry.shell", F_SS_SHELL, FT_STRING, false,
	  "shell identity from comm, exe file, interpreter or busybox applet; empty if none" },
	{ "shellsentry.truncated", F_SS_TRUNCATED, FT_BOOL, false, "argv was cut to fit the event" },
	{ "shellsentry.argv_escaped", F_SS_ARGV_ESCAPED, FT_BOOL, false,
	  "command line holds control characters or invalid UTF-8 (escaped when printed)" },
};

/* Index = capability number (include/uapi/linux/capability.h). */
static const char *const cap_names[] = {
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID",
	"CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE",
	"CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW",
	"CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT",
	"CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE",
	"CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
	"CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE",
	"CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ",
	"CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
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

/* Control bytes or invalid UTF-8 in the command line. */
static bool needs_escape(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int follow;

	while (*p) {
		if (*p < 0x20 || *p == 0x7f)
			return true;
		if (*p < 0x80) {
			p++;
			continue;
		}
		if ((*p & 0xe0) == 0xc0 && *p >= 0xc2)
			follow = 1;
		else if ((*p & 0xf0) == 0xe0)
			follow = 2;
		else if ((*p & 0xf8) == 0xf0 && *p <= 0xf4)
			follow = 3;
		else
			return true;
		p++;
		while (follow--) {
			if ((*p & 0xc0) != 0x80)
				return true;
			p++;
		}
	}
	return false;
}

static const char *lineage_name(enum ss_lineage l)
{
	switch (l) {
	case SS_LINEAGE_ENTRYPOINT:
		return "entrypoint";
	case SS_LINEAGE_INIT_TREE:
		return "init-tree";
	case SS_LINEAGE_INJECTED:
		return "injected";
	default:
		return "unknown";
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

int field_extract(const struct exec_event *ev, enum field_id id, int index,
		  struct field_value *out)
{
	const struct container_info *c = &ev->container;
	const char *interp;

	switch (id) {
	case F_EVT_TYPE:
		set_str(out, "execve");
		break;
	case F_EVT_TIME:
		set_int(out, (int64_t)ev->time_ns);
		break;
	case F_EVT_NUM:
		set_null(out, FT_INT);
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
	case F_PROC_NAME:
		set_str(out, ev->comm);
		break;
	case F_PROC_EXE:
		set_str(out, ev->exe);
		break;
	case F_PROC_EXEPATH:
		set_str_or_null(out, ev->exepath);
		break;
	case F_PROC_CMDLINE:
		set_str(out, ev->cmdline);
		break;
	case F_PROC_ARGS:
		set_str(out, ev->args);
		break;
	case F_PROC_PID:
		set_int(out, ev->pid);
		break;
	case F_PROC_VPID:
		set_int(out, ev->vpid);
		break;
	case F_PROC_PPID:
		set_int(out, ev->ppid);
		break;
	case F_PROC_PNAME:
		if (ev->ancestor_count > 0)
			set_str(out, ev->ancestors[0].comm);
		else
			set_null(out, FT_STRING);
		break;
	case F_PROC_PCMDLINE:
		set_str_or_null(out, ev->pcmdline);
		break;
	case F_PROC_ANAME:
		return extract_ancestor(ev, false, index, out);
	case F_PROC_APID:
		return extract_ancestor(ev, true, index, out);
	case F_PROC_TTY:
		set_int(out, ev->tty);
		break;
	case F_PROC_IS_VPGID_LEADER:
		set_null(out, FT_BOOL);
		break;
	case F_USER_UID:
		set_int(out, ev->uid);
		break;
	case F_USER_NAME:
		set_str_or_null(out, ev->user_name);
		break;
	case F_USER_LOGINUID:
		set_int(out, ev->loginuid);
		break;
	case F_GROUP_GID:
		set_int(out, ev->gid);
		break;
	case F_CONTAINER_ID:
		/* "" stays "": Falco's value for a container it could not resolve. */
		set_str(out, !c->is_container && !c->id[0] ? "host" : c->id);
		break;
	case F_CONTAINER_FULL_ID:
		set_str_or_null(out, c->full_id);
		break;
	case F_CONTAINER_NAME:
		set_str_or_null(out, c->name);
		break;
	case F_CONTAINER_IMAGE:
		set_str_or_null(out, c->image);
		break;
	case F_CONTAINER_IMAGE_REPOSITORY:
		set_str_or_null(out, c->image_repository);
		break;
	case F_CONTAINER_IMAGE_TAG:
		set_str_or_null(out, c->image_tag);
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
	case F_K8S_POD_NAME:
		set_str_or_null(out, c->pod_name);
		break;
	case F_K8S_NS_NAME:
		set_str_or_null(out, c->pod_namespace);
		break;
	case F_K8S_POD_UID:
		set_str_or_null(out, c->pod_uid);
		break;
	case F_K8S_CONTAINER_NAME:
		set_str_or_null(out, c->k8s_container_name);
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
	case F_SS_EUID:
		set_int(out, ev->euid);
		break;
	case F_SS_PIDNS:
		set_int(out, ev->pidns_inum);
		break;
	case F_SS_INTERP:
		interp = script_interp(ev);
		set_str_or_null(out, interp);
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
		set_bool(out, needs_escape(ev->cmdline));
		break;
	default:
		set_null(out, FT_STRING);
		return -EINVAL;
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
