/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Field extraction: Falco's field meanings, read from a decoded exec event
 * as field_table (field_table.c) says; a switch only for computed fields. Strings point into the
 * event (no copy) unless they are computed, then they live in the field_value's own buffer.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "event/fields.h"
#include "event/names.h"
#include "lib/utf8.h"
#include "event/shells.h"

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

enum shell_by { SHELL_BY_NONE, SHELL_BY_NAME, SHELL_BY_CONTENT };

/* busybox runs the applet argv[0] names (fd exec, script), else, run as itself, argv[1]'s */
static const char *multicall_applet(const struct exec_event *ev, bool any_argv0, char *buf,
				    size_t len)
{
	const char *a0 = base_name(ev->exe), *a1;

	if (ss_is_shell_name(a0))
		return a0;
	if (!any_argv0 && strncmp(a0, "busybox", 7))
		return NULL;
	a1 = argv1(ev, buf, len);
	return a1 && ss_is_shell_name(base_name(a1)) ? base_name(a1) : NULL;
}

static const char *shell_identity(const struct exec_event *ev, char *buf, size_t len,
				  enum shell_by *by)
{
	const char *exe_name = base_name(ev->exepath);
	const char *interp = script_interp(ev);
	const char *a;

	*by = SHELL_BY_NAME;
	if (ss_is_shell_name(ev->comm))
		return ev->comm;
	if (ev->exepath[0] && ss_is_shell_name(exe_name))
		return exe_name;
	if (interp && ss_is_shell_name(base_name(interp)))
		return base_name(interp);
	if (!strcmp(exe_name, "busybox") || !strcmp(ev->comm, "busybox")) {
		a = multicall_applet(ev, true, buf, len);
		if (a)
			return a;
	}
	/* no name tells: the file's content (a renamed or copied shell) */
	*by = SHELL_BY_CONTENT;
	if (ev->exe_kind == SS_EXE_SHELL && ev->exe_shell[0])
		return ev->exe_shell;
	if (ev->exe_kind == SS_EXE_MULTICALL) {
		a = multicall_applet(ev, false, buf, len);
		if (a)
			return a;
	}
	*by = SHELL_BY_NONE;
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
	enum shell_by by;

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
	case F_EVT_RES:
		set_str(out, "SUCCESS");
		break;
	case F_PROC_IS_EXE_UPPER_LAYER:
		set_bool(out, ev->flags & SS_F_EXE_UPPER_LAYER);
		break;
	case F_PROC_IS_EXE_FROM_MEMFD:
		set_bool(out, ev->flags & SS_F_EXE_MEMFD);
		break;
	case F_THREAD_CAP_EFFECTIVE:
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
		set_str(out, shell_identity(ev, out->buf, sizeof(out->buf), &by));
		break;
	case F_SS_SHELL_BY:
		shell_identity(ev, out->buf, sizeof(out->buf), &by);
		set_str(out, by == SHELL_BY_NAME      ? "name"
			     : by == SHELL_BY_CONTENT ? "content"
						      : "");
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
