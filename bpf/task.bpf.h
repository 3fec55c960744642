/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Readers of task facts: pid namespace and pids in it, controlling tty,
 * login uid, mount namespace. Every read goes through RD() (compat.bpf.h),
 * so the same code serves tp_btf and the plain tracepoint fallback.
 */
#ifndef SS_TASK_BPF_H
#define SS_TASK_BPF_H

#include "compat.bpf.h"
#include "shellsentry.h"

/* Falco's proc.tty: the kernel's new_encode_dev() of the controlling tty. */
static __always_inline __u32 task_tty(struct task_struct *task, const bool btf)
{
	struct tty_struct *tty = RD(btf, task, signal, tty);
	__u32 major, minor;

	if (!tty)
		return 0;
	major = RD(btf, tty, driver, major);
	minor = RD(btf, tty, driver, minor_start) + RD(btf, tty, index);
	return ss_tty_encode(major, minor);
}

static __always_inline __u32 task_loginuid(struct task_struct *task, const bool btf)
{
	/* task_struct.loginuid exists only with CONFIG_AUDIT(SYSCALL): report "unset" without. */
	if (!bpf_core_field_exists(task->loginuid))
		return (__u32)-1;
	return RD(btf, task, loginuid.val);
}

/* The upid of a struct pid at a given level (level bounded by the caller). */
static __always_inline int pid_at_level(struct pid *p, __u32 level, struct upid *out)
{
	return bpf_probe_read_kernel(out, sizeof(*out), &p->numbers[level]);
}

/* A pid namespace level the readers below accept; deeper nesting is treated as the host's. */
static __always_inline bool pidns_level_ok(__u32 level)
{
	return level > 0 && level < 32;
}

/*
 * The task's pid namespace depth (0 = the initial namespace) and, below the
 * top, its upid there (up->ns: the namespace). Two loads and one probe
 * read: this is the first test of every exec, so it must stay this cheap.
 * up is the caller's scratch, reused by task_vpid_at(): with a scratch of
 * its own, 6.1's verifier explored ~80% more states (the slot's contents
 * differ per path and stay live).
 */
static __always_inline __u32 task_pidns(struct task_struct *task, struct upid *up, const bool btf)
{
	struct pid *tpid = RD(btf, task, thread_pid);
	__u32 level = RD(btf, tpid, level);

	if (pidns_level_ok(level))
		pid_at_level(tpid, level, up);
	return level;
}

/* The process (thread-group leader) id as seen from the pid namespace at level. */
static __always_inline __u32 task_vpid_at(struct task_struct *task, __u32 level, struct upid *up,
					  const bool btf)
{
	if (!pidns_level_ok(level))
		return RD(btf, task, tgid);
	if (pid_at_level(RD(btf, task, group_leader, thread_pid), level, up))
		return 0;
	return up->nr;
}

static __always_inline __u32 task_mntns_inum(struct task_struct *task, const bool btf)
{
	return RD(btf, task, nsproxy, mnt_ns, ns.inum);
}

#endif /* SS_TASK_BPF_H */
