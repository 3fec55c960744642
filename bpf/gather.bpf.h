/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The gathering: every fact of an exec the decision wanted, into the event.
 * Runs only for wanted execs, so its cost is paid per event, not per exec;
 * each fact comes from the header of its concern.
 */
#ifndef SS_GATHER_BPF_H
#define SS_GATHER_BPF_H

#include "argv.bpf.h"
#include "cgroup.bpf.h"
#include "cred.bpf.h"
#include "decide.bpf.h"
#include "file.bpf.h"
#include "lineage.bpf.h"
#include "stdio.bpf.h"
#include "task.bpf.h"

/* The exec's own call: the path as passed to exec and a script's interpreter. */
static __always_inline void read_bprm(struct ss_event *e, struct linux_binprm *bprm, const bool btf)
{
	const char *fname, *interp;

	e->filename[0] = 0;
	e->interp[0] = 0;
	if (!bprm)
		return;
	fname = RD(btf, bprm, filename);
	interp = RD(btf, bprm, interp);
	bpf_probe_read_kernel_str(e->filename, sizeof(e->filename), fname);
	if (interp && interp != fname) {
		bpf_probe_read_kernel_str(e->interp, sizeof(e->interp), interp);
		e->flags |= SS_F_INTERP;
	}
}

/*
 * Fills e (its flags and session are the decision's); returns the argv
 * bytes used (the record is the header plus those).
 */
static __always_inline __u64 exec_gather(struct ss_event *e, struct exec_decision *d,
					 const bool btf)
{
	struct task_struct *task = d->task;
	struct pid_namespace *ns = d->ns;

	e->boot_ns = bpf_ktime_get_boot_ns();
	e->version = SS_EVENT_VERSION;
	e->header_len = SS_EVENT_HEADER_LEN;
	e->cgroup_id = d->cgid;
	e->pid = RD(btf, task, tgid);
	e->tid = RD(btf, task, pid);
	e->pidns_level = d->level;
	e->session_reasons = 0;
	e->pidns_inum = ns ? BPF_CORE_READ(ns, ns.inum) : host_pidns_inum;
	e->vpid = task_vpid_at(task, d->level, &d->up, btf);
	e->ppid = RD(btf, task, real_parent, tgid);
	read_cred(e, task, btf);
	e->loginuid = task_loginuid(task, btf);
	e->tty = task_tty(task, btf);
	e->mntns_inum = task_mntns_inum(task, btf);
	__builtin_memcpy(e->comm, d->comm, SS_COMM_LEN);
	read_cgroup_name(e->cgroup_name, sizeof(e->cgroup_name), task, btf);
	read_bprm(e, d->bprm, btf);
	read_exe(e, d->exe, btf);
	read_cwd_and_parent_exe(e, task, d->cfg->flags, btf);
	/* the identity step filled exe_id; for any other reason it says nothing */
	if (!(e->flags & (SS_F_EXE_SIGHTING | SS_F_EXE_PENDING | SS_F_EXE_VERDICT)))
		__builtin_memset(&e->exe_id, 0, sizeof(e->exe_id));
	read_lineage(e, task, d->ns, (e->flags & SS_F_PIDNS) ? d->level : 0, d->cgid, btf);
	read_stdio(e, task, btf);
	return read_argv(e, d->mm, btf);
}

#endif /* SS_GATHER_BPF_H */
