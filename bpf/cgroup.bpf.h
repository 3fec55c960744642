/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Cgroups: which cgroup a task is in, and which cgroups are containers'
 * (a leaf name carrying a 64-hex container id, marked in container_cgroups
 * when created and by userspace's walk of the tree at start).
 */
#ifndef SS_CGROUP_BPF_H
#define SS_CGROUP_BPF_H

#include "compat.bpf.h"
#include "maps.bpf.h"
#include "submit.bpf.h"

/*
 * The task's default cgroup: v2's dfl_cgrp, or on v1-only hosts the
 * cgroup of one v1 controller (userspace passes its subsys id).
 */
static __always_inline struct cgroup *task_cgroup(struct task_struct *task, int v1_subsys,
						  const bool btf)
{
	struct css_set *cs = RD(btf, task, cgroups);
	struct cgroup_subsys_state *css;

	if (v1_subsys < 0)
		return RD(btf, cs, dfl_cgrp);
	/* CGROUP_SUBSYS_COUNT differs per kernel config; bound for the verifier. */
	if (v1_subsys >= 16)
		return 0;
	bpf_probe_read_kernel(&css, sizeof(css), &cs->subsys[v1_subsys]);
	return BPF_CORE_READ(css, cgroup);
}

static __always_inline __u64 cgroup_id_of(struct task_struct *task, const bool btf)
{
	/* v2: the helper is far cheaper than walking css_set by hand. */
	if (v1_subsys < 0)
		return bpf_get_current_cgroup_id();
	return BPF_CORE_READ(task_cgroup(task, v1_subsys, btf), kn, id);
}

/* A task's cgroup id, for any task (cgroup_id_of() is the current one's). */
static __always_inline __u64 task_cgroup_id(struct task_struct *task, const bool btf)
{
	if (v1_subsys < 0)
		return RD(btf, task, cgroups, dfl_cgrp, kn, id);
	return BPF_CORE_READ(task_cgroup(task, v1_subsys, btf), kn, id);
}

static __always_inline struct ss_cgroup_info *container_cgroup(__u64 cgid)
{
	return bpf_map_lookup_elem(&container_cgroups, &cgid);
}

/*
 * The container's init process, for a container that shares the host's
 * pid namespace: the first process to exec in its cgroup once it was
 * created, or what userspace found when it walked the cgroups at start.
 * 0: unknown. The runtime's own re-exec does not count: runc starts its
 * bootstrap ("runc init", the same file as its parent's) in the cgroup, and
 * the process it clones is the init that execs the entrypoint; `runc exec`
 * comes later. Two first execs at once could race for the claim: a
 * container's entrypoint has no competitor that early.
 */
static __always_inline __u32 container_init(struct ss_cgroup_info *cg, struct task_struct *task,
					    const bool btf)
{
	if (cg->state == SS_CG_INIT_FRESH) {
		struct file *exe = RD(btf, task, mm, exe_file);
		struct file *pexe = RD(btf, task, real_parent, mm, exe_file);

		if (exe && pexe && RD(btf, exe, f_inode) == RD(btf, pexe, f_inode))
			return 0; /* the runtime re-executing itself */
		cg->init_tgid = RD(btf, task, tgid);
		cg->state = SS_CG_INIT_KNOWN;
		return cg->init_tgid;
	}
	return cg->state == SS_CG_INIT_KNOWN ? cg->init_tgid : 0;
}

/* The leaf kernfs name of the task's cgroup, for userspace's container id. */
static __always_inline void read_cgroup_name(char *dst, __u32 len, struct task_struct *task,
					     const bool btf)
{
	bpf_probe_read_kernel_str(dst, len,
				  BPF_CORE_READ(task_cgroup(task, v1_subsys, btf), kn, name));
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

/* cgroup_mkdir/rmdir: keep container_cgroups in step with the watched hierarchy. */
static __always_inline int track_cgroup(struct cgroup *cgrp, bool add)
{
	struct ss_cgroup_info fresh = {.state = SS_CG_INIT_FRESH};
	__u64 id;

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
			ring_output(&events, &g, sizeof(g));
		}
		return 0;
	}
	if (name_has_container_id(BPF_CORE_READ(cgrp, kn, name)))
		bpf_map_update_elem(&container_cgroups, &id, &fresh, BPF_ANY);
	return 0;
}

#endif /* SS_CGROUP_BPF_H */
