/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Lineage: where an exec sits relative to its container's init, and the
 * first ancestors (pid, comm) for proc.pname / proc.aname[N].
 */
#ifndef SS_LINEAGE_BPF_H
#define SS_LINEAGE_BPF_H

#include "compat.bpf.h"
#include "cgroup.bpf.h"
#include "task.bpf.h"

#define LINEAGE_MAX_DEPTH 16

/*
 * Walk real_parent: record the first ancestors and classify the exec as the
 * container's init (entrypoint), a descendant of it (init-tree), or a
 * process that came in from outside (injected).
 *  - In its own pid namespace (level > 0) the init is vpid 1 and outside is
 *    an ancestor the namespace does not see: the walk leaves it before
 *    meeting vpid 1.
 *  - In the host's (--pid=host, hostPID pods: level 0, cg_init known) the
 *    init is the container's init process (cg_init) and outside is an
 *    ancestor in another cgroup than the exec's (cgid): runc exec, kubectl
 *    exec, nsenter with the container's cgroup all start outside it.
 *  - Otherwise: no classification, ancestors only.
 */
static __always_inline void read_lineage(struct ss_event *e, struct task_struct *task,
					 struct pid_namespace *ns, __u32 level, __u64 cgid,
					 const bool btf)
{
	/* from the event: map memory, so one verifier state for both kinds of container */
	bool by_cgroup = level == 0 && (e->flags & SS_F_CONTAINER_INIT);
	__u32 cg_init = e->container_init;
	struct task_struct *p = task;
	__u8 lineage = SS_LINEAGE_UNKNOWN;
	int n = 0;

	if ((level > 0 && e->vpid == 1) || (by_cgroup && e->pid == cg_init))
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
		if (pidns_level_ok(level) && RD(btf, ppid_s, level) >= level &&
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
		} else if (by_cgroup && lineage == SS_LINEAGE_UNKNOWN) {
			if (RD(btf, p, tgid) == cg_init)
				lineage = SS_LINEAGE_INIT_TREE;
			else if (task_cgroup_id(p, btf) != cgid)
				lineage = SS_LINEAGE_INJECTED;
		}
		if (n >= SS_ANCESTORS &&
		    (lineage != SS_LINEAGE_UNKNOWN || (level == 0 && !by_cgroup)))
			break;
	}
	if (n >= SS_ANCESTORS && RD(btf, p, real_parent) != p)
		e->flags |= SS_F_ANCESTORS_TRUNCATED;
	e->lineage = lineage;
	e->ancestor_count = n;
}

#endif /* SS_LINEAGE_BPF_H */
