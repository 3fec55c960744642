// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Exec hook: decide in the kernel, cheapest test first, whether a new
 * process is a program of interest (a shell) in a container, and only then
 * gather its facts and send them to userspace.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "shellsentry.h"
#include "task.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* Set by userspace before load. */
const volatile __u32 host_pidns_inum = 0;
const volatile int v1_subsys = -1;	       /* -1: use the v2 (default) hierarchy */
const volatile int cgroup_hierarchy_id = 0;    /* hierarchy cgroup_mkdir watches */
const volatile __u64 wakeup_bytes = 32 * 1024; /* wake the reader past this much data */

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SS_CNT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, char[SS_NAME_KEY_LEN]);
	__type(value, __u32);
} names SEC(".maps");

/* Cgroups whose name carries a container id: covers --pid=host containers. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64);
	__type(value, __u32);
} container_cgroups SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ss_config);
} settings SEC(".maps");

/* The event is too large for the 512-byte stack. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ss_event);
} heap SEC(".maps");

#define LINEAGE_MAX_DEPTH 16

static __always_inline void count(__u32 idx)
{
	__u64 *v = bpf_map_lookup_elem(&counters, &idx);

	if (v)
		*v += 1;
}

static __always_inline __u64 cgroup_id_of(struct task_struct *task, const bool btf)
{
	/* v2: the helper is far cheaper than walking css_set by hand. */
	if (v1_subsys < 0)
		return bpf_get_current_cgroup_id();
	return BPF_CORE_READ(task_cgroup(task, v1_subsys, btf), kn, id);
}

static __always_inline bool is_hex_lower(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

static __always_inline bool hex_run_at(const char *buf, __u32 start)
{
	if (start >= SS_CGROUP_NAME_LEN - 64)
		return false;
	if (start > 0 && is_hex_lower(buf[(start - 1) & (SS_CGROUP_NAME_LEN - 1)]))
		return false;
	for (int i = 0; i < 64; i++)
		if (!is_hex_lower(buf[(start + i) & (SS_CGROUP_NAME_LEN - 1)]))
			return false;
	return true;
}

/*
 * A cgroup leaf that ends in a 64-hex container id, bare or with a runtime
 * prefix, optionally followed by ".scope" (systemd). A free scan for a run
 * anywhere made the verifier track every run length and give up.
 */
static __always_inline bool name_has_container_id(const char *name)
{
	char buf[SS_CGROUP_NAME_LEN];
	long len = bpf_probe_read_kernel_str(buf, sizeof(buf), name) - 1;

	if (len < 64 || len >= SS_CGROUP_NAME_LEN)
		return false;
	if (hex_run_at(buf, len - 64))
		return true;
	return len >= 70 && buf[(len - 6) & (SS_CGROUP_NAME_LEN - 1)] == '.' &&
	       hex_run_at(buf, len - 70);
}

static __always_inline bool same_name(const char *a, const char *b)
{
	for (int i = 0; i < SS_NAME_KEY_LEN; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

static __always_inline bool name_lookup(const char *key, __u32 *value)
{
	__u32 *v = bpf_map_lookup_elem(&names, key);

	if (!v)
		return false;
	*value = *v;
	return true;
}

#define ARGV0_SCAN 256 /* power of two: offsets are masked with it */

/*
 * A multicall binary (busybox) runs the applet that argv[0]'s base name
 * names, whatever the file or comm is called: a "#!/bin/sh" script (the
 * kernel puts the interpreter path in argv[0]), an fd exec, a renamed link.
 * Only the last SS_NAME_KEY_LEN bytes can hold a name of interest, so look
 * backwards from the end for the '/': a forward scan that remembers the last
 * slash gives the verifier one state per slash position and never prunes.
 * scratch: ARGV0_SCAN bytes. An argv[0] too long to judge is let through.
 */
static __always_inline bool argv0_applet_wanted(struct mm_struct *mm, char *scratch, const bool btf)
{
	char key[SS_NAME_KEY_LEN] = {};
	long n = bpf_probe_read_user_str(scratch, ARGV0_SCAN, (void *)RD(btf, mm, arg_start));
	long start = 0;
	__u32 nv;

	if (n <= 1)
		return false;
	if (n >= ARGV0_SCAN)
		return true;
	/* scratch[n - 1] is the NUL; the base name is at most SS_NAME_KEY_LEN - 1 bytes */
	for (int l = 1; l <= SS_NAME_KEY_LEN; l++) {
		long i = n - 1 - l;

		if (i < 0)
			break;
		if (scratch[i & (ARGV0_SCAN - 1)] == '/') {
			start = i + 1;
			break;
		}
		if (l == SS_NAME_KEY_LEN)
			return false; /* longer than any name in the map */
	}
	bpf_probe_read_kernel_str(key, sizeof(key), scratch + (start & (ARGV0_SCAN - 1)));
	return name_lookup(key, &nv) && (nv & SS_NAME_INTEREST);
}

/*
 * Components of the executed file's path, leaf first, crossing mounts
 * upward, one fixed slot per step: a running offset would give the
 * verifier a distinct state per path and it would never prune (it hit the
 * 1M-instruction limit that way). A mount-crossing step leaves its slot empty.
 */
static __always_inline void read_exe_path(struct ss_event *e, struct file *file)
{
	struct dentry *dentry = BPF_CORE_READ(file, f_path.dentry);
	struct vfsmount *vfsmnt = BPF_CORE_READ(file, f_path.mnt);
	struct mount *mnt = (void *)vfsmnt - bpf_core_field_offset(struct mount, mnt);
	int used = SS_EXE_SLOTS;

#pragma unroll
	for (int i = 0; i < SS_EXE_SLOTS; i++) {
		struct dentry *mnt_root = BPF_CORE_READ(vfsmnt, mnt_root);
		struct dentry *parent = BPF_CORE_READ(dentry, d_parent);
		char *slot = &e->exe_path[i * SS_EXE_SLOT_LEN];
		long n;

		slot[0] = 0;
		if (dentry == mnt_root || dentry == parent) {
			struct mount *mnt_parent = BPF_CORE_READ(mnt, mnt_parent);

			if (dentry != mnt_root || mnt_parent == mnt) {
				used = i; /* global root reached */
				break;
			}
			dentry = BPF_CORE_READ(mnt, mnt_mountpoint);
			mnt = mnt_parent;
			vfsmnt = (void *)mnt + bpf_core_field_offset(struct mount, mnt);
			continue;
		}
		n = bpf_probe_read_kernel_str(slot, SS_EXE_SLOT_LEN,
					      BPF_CORE_READ(dentry, d_name.name));
		if (n == SS_EXE_SLOT_LEN)
			e->flags |= SS_F_EXE_PATH_TRUNCATED;
		dentry = parent;
	}
	if (used == SS_EXE_SLOTS)
		e->flags |= SS_F_EXE_PATH_TRUNCATED;
	e->exe_path_len = used;
}

/*
 * Walk real_parent: record the first ancestors and classify where the
 * exec sits relative to its pid namespace's init.
 */
static __always_inline void read_lineage(struct ss_event *e, struct task_struct *task,
					 struct pid_namespace *ns, __u32 level, const bool btf)
{
	struct task_struct *p = task;
	__u8 lineage = SS_LINEAGE_UNKNOWN;
	int n = 0;

	if (level > 0 && e->vpid == 1)
		lineage = SS_LINEAGE_ENTRYPOINT;
	for (int i = 0; i < LINEAGE_MAX_DEPTH; i++) {
		struct task_struct *parent = RD(btf, p, real_parent);
		struct pid *ppid_s;
		struct upid up = {};
		__u32 vpid = 0;

		if (!parent || parent == p)
			break;
		p = parent;
		ppid_s = RD(btf, p, group_leader, thread_pid);
		if (level > 0 && level < 32 && RD(btf, ppid_s, level) >= level &&
		    !pid_at_level(ppid_s, level, &up) && up.ns == ns)
			vpid = up.nr;
		if (n < SS_ANCESTORS) {
			e->ancestors[n].pid = RD(btf, p, tgid);
			e->ancestors[n].vpid = vpid;
			if (btf) {
				/* two typed 8-byte loads instead of a string helper call */
				__u64 *c = (__u64 *)p->comm;

				((__u64 *)e->ancestors[n].comm)[0] = c[0];
				((__u64 *)e->ancestors[n].comm)[1] = c[1];
			} else {
				BPF_CORE_READ_STR_INTO(&e->ancestors[n].comm, p, comm);
			}
			n++;
		}
		if (level > 0 && lineage == SS_LINEAGE_UNKNOWN) {
			if (vpid == 1)
				lineage = SS_LINEAGE_INIT_TREE;
			else if (!vpid)
				lineage = SS_LINEAGE_INJECTED;
		}
		if (n >= SS_ANCESTORS && (lineage != SS_LINEAGE_UNKNOWN || level == 0))
			break;
	}
	if (n >= SS_ANCESTORS && RD(btf, p, real_parent) != p)
		e->flags |= SS_F_ANCESTORS_TRUNCATED;
	e->lineage = lineage;
	e->ancestor_count = n;
}

static __always_inline int handle_exec(struct task_struct *task, struct linux_binprm *bprm,
				       const bool btf)
{
	struct ss_config *cfg;
	struct pid *tpid;
	struct pid_namespace *ns = 0;
	struct upid up = {};
	struct ss_event *e;
	struct file *exe;
	struct inode *inode;
	struct mm_struct *mm;
	const struct cred *cred;
	char key[SS_NAME_KEY_LEN] = {};
	__u32 zero = 0, level, flags = 0, nv = 0;
	__u64 cgid, arg_start, arg_end, len;
	bool want = false;
	long ret;

	count(SS_CNT_EXECS);
	cfg = bpf_map_lookup_elem(&settings, &zero);
	if (!cfg)
		return 0;

	/* Cheapest rejection first: host pid ns and a cgroup not marked as a container. */
	tpid = RD(btf, task, thread_pid);
	level = RD(btf, tpid, level);
	if (level > 0 && level < 32) {
		pid_at_level(tpid, level, &up);
		ns = up.ns;
		if (BPF_CORE_READ(ns, ns.inum) != host_pidns_inum)
			flags |= SS_F_PIDNS;
	}
	cgid = cgroup_id_of(task, btf);
	if (!(flags & SS_F_PIDNS)) {
		if (bpf_map_lookup_elem(&container_cgroups, &cgid))
			flags |= SS_F_CGROUP_CONTAINER;
		else if (!(cfg->flags & SS_CFG_HOST_EXECS))
			return 0;
		else
			flags |= SS_F_HOST_WANTED;
	}
	if (flags & (SS_F_PIDNS | SS_F_CGROUP_CONTAINER))
		count(SS_CNT_CONTAINER);

	/* Interest: comm, then the executed file's own name (symlinks, scripts). */
	bpf_get_current_comm(key, sizeof(key));
	if (name_lookup(key, &nv)) {
		flags |= SS_F_MATCH_COMM;
		want = true;
	}
	mm = RD(btf, task, mm);
	exe = RD(btf, mm, exe_file);
	e = bpf_map_lookup_elem(&heap, &zero);
	if (!e)
		return 0;
	if (!want && exe) {
		char exe_key[SS_NAME_KEY_LEN] = {};

		bpf_probe_read_kernel_str(exe_key, sizeof(exe_key),
					  RD(btf, exe, f_path.dentry, d_name.name));
		if (name_lookup(exe_key, &nv)) {
			/*
			 * A multicall binary (busybox) run under an applet's
			 * name has that name as comm, already looked up; run
			 * as itself, argv[1] names the applet: let userspace
			 * look. Otherwise argv[0] picks the applet (the event's
			 * argv is scratch space until it is read below).
			 */
			if (!(nv & SS_NAME_MULTICALL) || same_name(key, exe_key) ||
			    argv0_applet_wanted(mm, e->argv, btf)) {
				flags |= SS_F_MATCH_EXE;
				want = true;
			}
		}
	}
	/*
	 * A renamed copy of a shell or a shell run from memory has no name to
	 * match: the executed file itself tells (written in the container, or
	 * linked nowhere). Read only when a rule asks for it.
	 */
	if (!want && exe && (cfg->flags & SS_CFG_EXE_DRIFT_EXECS) &&
	    (flags & (SS_F_PIDNS | SS_F_CGROUP_CONTAINER))) {
		inode = RD(btf, exe, f_inode);
		if (!RD(btf, inode, __i_nlink) || inode_on_upper_layer(inode))
			want = true;
	}
	if (!want && (cfg->flags & SS_CFG_ALL_CONTAINER_EXECS) &&
	    (flags & (SS_F_PIDNS | SS_F_CGROUP_CONTAINER))) {
		flags |= SS_F_ALL_CONTAINER;
		want = true;
	}
	if (!want && (flags & SS_F_HOST_WANTED))
		want = true;
	if (!want)
		return 0;

	e->boot_ns = bpf_ktime_get_boot_ns();
	e->version = SS_EVENT_VERSION;
	e->header_len = SS_EVENT_HEADER_LEN;
	e->flags = flags;
	e->cgroup_id = cgid;
	e->pid = RD(btf, task, tgid);
	e->tid = RD(btf, task, pid);
	e->vpid = 0;
	e->pidns_level = level;
	e->pidns_inum = ns ? BPF_CORE_READ(ns, ns.inum) : host_pidns_inum;
	if (level > 0 && level < 32) {
		struct pid *tg = RD(btf, task, group_leader, thread_pid);

		if (!pid_at_level(tg, level, &up))
			e->vpid = up.nr;
	} else {
		e->vpid = e->pid;
	}
	e->ppid = RD(btf, task, real_parent, tgid);
	cred = RD(btf, task, cred);
	e->uid = RD(btf, cred, uid.val);
	e->gid = RD(btf, cred, gid.val);
	e->euid = RD(btf, cred, euid.val);
	e->cap_effective = read_cap(&cred->cap_effective);
	e->cap_permitted = read_cap(&cred->cap_permitted);
	e->loginuid = task_loginuid(task, btf);
	e->tty = task_tty(task, btf);
	e->mntns_inum = RD(btf, task, nsproxy, mnt_ns, ns.inum);
	__builtin_memcpy(e->comm, key, SS_COMM_LEN);
	bpf_probe_read_kernel_str(e->cgroup_name, sizeof(e->cgroup_name),
				  BPF_CORE_READ(task_cgroup(task, v1_subsys, btf), kn, name));

	e->filename[0] = 0;
	e->interp[0] = 0;
	if (bprm) {
		const char *fname = RD(btf, bprm, filename);
		const char *interp = RD(btf, bprm, interp);

		bpf_probe_read_kernel_str(e->filename, sizeof(e->filename), fname);
		if (interp && interp != fname) {
			bpf_probe_read_kernel_str(e->interp, sizeof(e->interp), interp);
			e->flags |= SS_F_INTERP;
		}
	}

	e->exe_nlink = 0;
	e->exe_path_len = 0;
	if (exe) {
		inode = RD(btf, exe, f_inode);
		e->exe_nlink = RD(btf, inode, __i_nlink);
		if (!e->exe_nlink)
			e->flags |= SS_F_EXE_MEMFD;
		if (inode_on_upper_layer(inode))
			e->flags |= SS_F_EXE_UPPER_LAYER;
		read_exe_path(e, exe);
	}

	read_lineage(e, task, ns, (e->flags & SS_F_PIDNS) ? level : 0, btf);

	arg_start = RD(btf, mm, arg_start);
	arg_end = RD(btf, mm, arg_end);
	len = arg_end > arg_start ? arg_end - arg_start : 0;
	if (len > SS_ARGV_LEN) {
		len = SS_ARGV_LEN;
		e->flags |= SS_F_ARGV_TRUNCATED;
	}
	/* Keep the bound visible to the verifier after the compiler's reshuffles. */
	asm volatile("" : "+r"(len));
	if (len > SS_ARGV_LEN)
		len = 0;
	if (len && bpf_probe_read_user(e->argv, len, (void *)arg_start))
		len = 0;
	e->argv_len = len;
	if (e->flags & (SS_F_ARGV_TRUNCATED | SS_F_EXE_PATH_TRUNCATED))
		count(SS_CNT_TRUNCATED);

	/*
	 * A reader wakeup is an IPI, and in a VM a VM exit: measured at about
	 * 4 us, three quarters of an event's cost. The reader drains on a short
	 * timer instead and is woken only when data piles up.
	 */
	ret = bpf_ringbuf_output(&events, e, SS_EVENT_HEADER_LEN + len,
				 bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= wakeup_bytes
					 ? BPF_RB_FORCE_WAKEUP
					 : BPF_RB_NO_WAKEUP);
	count(ret ? SS_CNT_DROPS : SS_CNT_EMITTED);
	return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(handle_exec_btf, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	return handle_exec(p, bprm, true);
}

SEC("tracepoint/sched/sched_process_exec")
int handle_exec_tp(struct trace_event_raw_sched_process_exec *ctx)
{
	/* No bprm here: filename and interpreter stay empty; the exe path covers both. */
	return handle_exec((struct task_struct *)bpf_get_current_task(), 0, false);
}

static __always_inline int track_cgroup(struct cgroup *cgrp, bool add)
{
	__u64 id;
	__u32 one = 1;

	if (BPF_CORE_READ(cgrp, root, hierarchy_id) != cgroup_hierarchy_id)
		return 0;
	id = BPF_CORE_READ(cgrp, kn, id);
	if (!add) {
		struct ss_cgroup_gone g = {
			.cgroup_id = id,
			.version = SS_EVENT_VERSION,
			.header_len = sizeof(g),
		};

		/* A container's cgroup went: its cached context can go too. */
		if (!bpf_map_delete_elem(&container_cgroups, &id)) {
			g.boot_ns = bpf_ktime_get_boot_ns();
			bpf_ringbuf_output(&events, &g, sizeof(g), BPF_RB_NO_WAKEUP);
		}
		return 0;
	}
	if (name_has_container_id(BPF_CORE_READ(cgrp, kn, name)))
		bpf_map_update_elem(&container_cgroups, &id, &one, BPF_ANY);
	return 0;
}

/* raw_tp: attaches on every kernel we support, with or without BTF. */
SEC("raw_tp/cgroup_mkdir")
int handle_cgroup_mkdir(struct bpf_raw_tracepoint_args *ctx)
{
	return track_cgroup((struct cgroup *)ctx->args[0], true);
}

SEC("raw_tp/cgroup_rmdir")
int handle_cgroup_rmdir(struct bpf_raw_tracepoint_args *ctx)
{
	return track_cgroup((struct cgroup *)ctx->args[0], false);
}
