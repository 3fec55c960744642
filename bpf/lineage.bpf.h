/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Lineage: where an exec sits relative to its container's init, and the
 * first ancestors (pid, comm) for proc.pname / proc.aname[N].
 */
#ifndef SS_LINEAGE_BPF_H
#define SS_LINEAGE_BPF_H

#include "compat.bpf.h"
#include "task.bpf.h"

#define LINEAGE_MAX_DEPTH 16

/*
 * Walk real_parent: record the first ancestors and classify the exec as the
 * namespace's init (entrypoint), a descendant of it (init-tree), or a
 * process that came in from outside (injected: the walk leaves the pid
 * namespace before meeting vpid 1). level 0: no classification, ancestors
 * only.
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
		}
		if (n >= SS_ANCESTORS && (lineage != SS_LINEAGE_UNKNOWN || level == 0))
			break;
	}
	if (n >= SS_ANCESTORS && RD(btf, p, real_parent) != p)
		e->flags |= SS_F_ANCESTORS_TRUNCATED;
	e->lineage = lineage;
	e->ancestor_count = n;
}

#endif /* SS_LINEAGE_BPF_H */
