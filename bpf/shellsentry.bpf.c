// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * shellsentry's BPF programs. The exec hook decides in the kernel, cheapest
 * test first, whether a new process is one userspace wants (decide.bpf.h),
 * and only then gathers its facts (gather.bpf.h) and sends them
 * (submit.bpf.h). The cgroup hooks keep the container-cgroup map current.
 * bpf/README.md says which header holds what.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "shellsentry.h"
#include "maps.bpf.h"
#include "cgroup.bpf.h"
#include "decide.bpf.h"
#include "gather.bpf.h"
#include "submit.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

static __always_inline int handle_exec(struct task_struct *task, struct linux_binprm *bprm,
				       const bool btf)
{
	struct exec_decision d;
	struct ss_event *e;
	__u64 argv_len;

	/* Member by member: zeroing the whole struct cost the host-exec path stores. */
	d.task = task;
	d.bprm = bprm;
	count(SS_CNT_EXECS);
	e = exec_wanted(&d, btf);
	if (!e)
		return 0;
	argv_len = exec_gather(e, &d, btf);
	if ((e->flags & SS_F_KERNEL_SHELL) && !session_start(e, d.cfg) &&
	    (e->flags & SS_F_KERNEL_CANDIDATE))
		return 0; /* a shell that started no session and that no rule wants */
	e->flags &= ~(SS_F_KERNEL_SHELL | SS_F_KERNEL_CANDIDATE);
	event_submit(e, argv_len);
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

/*
 * Session membership follows fork and exit. tp_btf where it attaches (typed
 * loads, no helper calls: the cheap path for the non-members that are
 * nearly every process), raw_tp with the tracepoint fallback.
 */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(handle_fork_btf, struct task_struct *parent, struct task_struct *child)
{
	session_fork(parent->tgid, child->tgid);
	return 0;
}

SEC("raw_tp/sched_process_fork")
int handle_fork_raw(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *parent = (struct task_struct *)ctx->args[0];
	struct task_struct *child = (struct task_struct *)ctx->args[1];

	session_fork(BPF_CORE_READ(parent, tgid), BPF_CORE_READ(child, tgid));
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(handle_exit_btf, struct task_struct *p)
{
	session_exit(p, true);
	return 0;
}

SEC("raw_tp/sched_process_exit")
int handle_exit_raw(struct bpf_raw_tracepoint_args *ctx)
{
	session_exit((struct task_struct *)ctx->args[0], false);
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
