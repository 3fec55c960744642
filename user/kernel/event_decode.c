// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <time.h>

#include "event/shells.h"
#include "kernel/event_decode.h"
#include "event/session.h"
#include "event/stdio.h"

/* Bounded copy of a fixed kernel field that may lack its NUL. */
static void copy_field(char *dst, size_t dst_len, const char *src, size_t src_len)
{
	size_t n = strnlen(src, src_len);

	if (n >= dst_len)
		n = dst_len - 1;
	memcpy(dst, src, n);
	dst[n] = 0;
}

/* Append src[0..n) at *pos, keeping the NUL; returns false when cut. */
static bool append(char *dst, size_t dst_len, size_t *pos, const char *src, size_t n)
{
	bool fits = *pos + n < dst_len;

	if (!fits)
		n = *pos < dst_len - 1 ? dst_len - 1 - *pos : 0;
	memcpy(dst + *pos, src, n);
	*pos += n;
	dst[*pos] = 0;
	return fits;
}

void argv_join(const char *argv, size_t len, const char *name, char *args, size_t args_len,
	       char *cmdline, size_t cmdline_len, char *exe, size_t exe_len, int *argc)
{
	size_t apos = 0, cpos = 0, i = 0;
	int n = 0;

	args[0] = cmdline[0] = exe[0] = 0;
	append(cmdline, cmdline_len, &cpos, name, strlen(name));
	while (i < len) {
		size_t alen = strnlen(argv + i, len - i);

		if (n == 0) {
			copy_field(exe, exe_len, argv + i, alen);
		} else {
			if (n > 1)
				append(args, args_len, &apos, " ", 1);
			append(args, args_len, &apos, argv + i, alen);
		}
		n++;
		i += alen + 1;
	}
	if (apos) {
		append(cmdline, cmdline_len, &cpos, " ", 1);
		append(cmdline, cmdline_len, &cpos, args, apos);
	}
	*argc = n;
}

/* Components arrive leaf first, one per slot; empty slots are mount crossings. */
static void join_exe_path(const char *slots, size_t used, char *out, size_t out_len)
{
	size_t pos = 0;

	out[0] = 0;
	while (used--) {
		const char *c = slots + used * SS_EXE_SLOT_LEN;
		size_t n = strnlen(c, SS_EXE_SLOT_LEN);

		if (!n)
			continue;
		append(out, out_len, &pos, "/", 1);
		append(out, out_len, &pos, c, n);
	}
}

static void cwd_slash(char *cwd, size_t len)
{
	size_t n = strlen(cwd);

	if ((!n || cwd[n - 1] != '/') && n + 1 < len) {
		cwd[n] = '/';
		cwd[n + 1] = 0;
	}
}

int event_decode(const void *data, size_t len, int64_t boot_to_wall_ns, struct exec_event *ev)
{
	const struct ss_event *e = data;
	size_t n;

	if (len < SS_EVENT_HEADER_LEN)
		return -EBADMSG;
	if (e->version != SS_EVENT_VERSION)
		return -EPROTO;
	if (e->header_len != SS_EVENT_HEADER_LEN || e->argv_len > SS_ARGV_LEN ||
	    len != SS_EVENT_HEADER_LEN + (size_t)e->argv_len || e->exe_path_len > SS_EXE_SLOTS ||
	    e->cwd_len > SS_EXE_SLOTS || e->pexe_path_len > SS_SHORT_PATH_SLOTS ||
	    e->ancestor_count > SS_ANCESTORS || e->lineage > SS_LINEAGE_INJECTED)
		return -EBADMSG;

	/*
	 * Clear the fixed part only: the string buffers after it are ~40 KiB
	 * and clearing them dominated the whole per-event cost.
	 */
	memset(ev, 0, offsetof(struct exec_event, exe));
	ev->hostname[0] = 0;
	ev->user_name[0] = 0;
	ev->pcmdline[0] = 0;
	ev->pexe[0] = 0;
	memset(&ev->container, 0, sizeof(ev->container));
	ev->boot_ns = e->boot_ns;
	/* unsigned: a bogus boot_ns must not be signed overflow (found by fuzz_event_decode) */
	ev->time_ns = e->boot_ns + (uint64_t)boot_to_wall_ns;
	ev->cgroup_id = e->cgroup_id;
	ev->cap_effective = e->cap_effective;
	ev->cap_permitted = e->cap_permitted;
	ev->flags = e->flags;
	ev->pid = e->pid;
	ev->tid = e->tid;
	ev->vpid = e->vpid;
	ev->ppid = e->ppid;
	ev->uid = e->uid;
	ev->gid = e->gid;
	ev->euid = e->euid;
	ev->loginuid = e->loginuid == (uint32_t)-1 ? -1 : (int64_t)e->loginuid;
	ev->tty = e->tty;
	ev->pidns_inum = e->pidns_inum;
	ev->mntns_inum = e->mntns_inum;
	ev->exe_nlink = e->exe_nlink;
	ev->pidns_level = e->pidns_level;
	ev->lineage = e->lineage;
	copy_field(ev->comm, sizeof(ev->comm), e->comm, sizeof(e->comm));
	ev->ancestor_count = e->ancestor_count;
	for (int i = 0; i < ev->ancestor_count; i++) {
		ev->ancestors[i].pid = e->ancestors[i].pid;
		ev->ancestors[i].vpid = e->ancestors[i].vpid;
		copy_field(ev->ancestors[i].comm, sizeof(ev->ancestors[i].comm),
			   e->ancestors[i].comm, sizeof(e->ancestors[i].comm));
	}
	copy_field(ev->cgroup_name, sizeof(ev->cgroup_name), e->cgroup_name,
		   sizeof(e->cgroup_name));
	copy_field(ev->filename, sizeof(ev->filename), e->filename, sizeof(e->filename));
	copy_field(ev->interp, sizeof(ev->interp), e->interp, sizeof(e->interp));
	join_exe_path(e->exe_path, e->exe_path_len, ev->exepath, sizeof(ev->exepath));
	join_exe_path(e->pexe_path, e->pexe_path_len, ev->pexepath, sizeof(ev->pexepath));
	ev->cwd[0] = 0;
	if (e->flags & SS_F_CWD) {
		join_exe_path(e->cwd, e->cwd_len, ev->cwd, sizeof(ev->cwd) - 1);
		/* Falco's proc.cwd ends with '/' (sinsp_threadinfo::update_cwd), the root too */
		cwd_slash(ev->cwd, sizeof(ev->cwd));
	}
	for (int i = SS_STDIO_FDS - 1; i >= 0; i--) {
		struct exec_stdio *s = &ev->stdio[i];

		s->k = e->stdio[i];
		stdio_render(s);
		/* backwards: stdin's socket wins over stdout's, stdout's over stderr's */
		if (stdio_is_network(s)) {
			memcpy(ev->stdio_peer, s->peer, sizeof(ev->stdio_peer));
			memcpy(ev->stdio_local, s->local, sizeof(ev->stdio_local));
			memcpy(ev->stdio_proto, s->proto, sizeof(ev->stdio_proto));
		}
	}
	if (e->flags & SS_F_SESSION) {
		session_id_format(ev->session, sizeof(ev->session), e->session.pid,
				  e->session.start_ns);
		ev->session_pid = e->session.pid;
		ev->session_start_ns = e->session.start_ns + (uint64_t)boot_to_wall_ns;
	}
	if (e->flags & SS_F_SESSION_START)
		session_reasons_format(ev->session_reasons, sizeof(ev->session_reasons),
				       e->session_reasons);
	if (e->flags & (SS_F_EXE_SIGHTING | SS_F_EXE_PENDING | SS_F_EXE_VERDICT))
		ev->exe_id = e->exe_id;
	if (e->flags & SS_F_EXE_VERDICT) {
		const char *name = exe_shell_name(e->exe_id.shell);

		/* the kernel only carries back what the judge wrote: still, it is bounded here */
		if (e->exe_id.kind == SS_EXE_SHELL && name && strlen(name) < sizeof(ev->exe_shell))
			memcpy(ev->exe_shell, name, strlen(name) + 1);
		if (e->exe_id.kind == SS_EXE_SHELL || e->exe_id.kind == SS_EXE_MULTICALL)
			ev->exe_kind = e->exe_id.kind;
	}

	n = e->argv_len;
	memcpy(ev->argv_raw, e->argv, n);
	/* mm's argv ends with a NUL; drop it so it does not count as an empty argument. */
	if (n && ev->argv_raw[n - 1] == 0)
		n--;
	ev->argv_len = n;
	argv_join(ev->argv_raw, n, ev->comm, ev->args, sizeof(ev->args), ev->cmdline,
		  sizeof(ev->cmdline), ev->exe, sizeof(ev->exe), &ev->argc);
	return 0;
}

int event_decode_cgroup_gone(const void *data, size_t len, uint64_t *cgroup_id)
{
	const struct ss_cgroup_gone *g = data;

	if (len != sizeof(*g) || g->version != SS_EVENT_VERSION || g->header_len != sizeof(*g))
		return -ENOMSG;
	*cgroup_id = g->cgroup_id;
	return 0;
}

int64_t event_boot_to_wall_ns(void)
{
	struct timespec rt, bt;

	clock_gettime(CLOCK_REALTIME, &rt);
	clock_gettime(CLOCK_BOOTTIME, &bt);
	return ((int64_t)rt.tv_sec - bt.tv_sec) * 1000000000LL + (rt.tv_nsec - bt.tv_nsec);
}
