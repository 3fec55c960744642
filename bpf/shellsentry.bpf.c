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
