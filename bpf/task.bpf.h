/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Readers of task facts. Every read goes through CO-RE probe reads so the
 * same code serves tp_btf (BTF pointers) and the plain tracepoint fallback
 * (untyped current task), on kernels from 5.8 on.
 */
#ifndef SS_TASK_BPF_H
#define SS_TASK_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>

#include "shellsentry.h"

#define OVERLAYFS_SUPER_MAGIC 0x794c7630

/*
 * RD(btf, src, fields...): in the tp_btf program pointers are typed, so a
 * plain load (a BPF_PROBE_MEM instruction, no helper call) reads them; the
 * tracepoint fallback has only the untyped current task and needs probe
 * reads. btf is a constant in each program after inlining, so each keeps
 * one branch. Measured: the helper calls were most of an event's cost.
 */
#define RD(btf, src, ...) ((btf) ? ___arrow(src, __VA_ARGS__) : BPF_CORE_READ(src, __VA_ARGS__))

/* Kernels before 6.3 keep capabilities as two u32 words; same 8 bytes. */
static __always_inline __u64 read_cap(const kernel_cap_t *cap)
{
	__u64 v = 0;

	bpf_core_read(&v, sizeof(v), cap);
	return v;
}

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
	/* CONFIG_AUDIT off: no loginuid field; report "unset". */
	if (!bpf_core_field_exists(task->loginuid))
		return (__u32)-1;
	return RD(btf, task, loginuid.val);
}

/* The upid of a struct pid at a given level (level bounded by the caller). */
static __always_inline int pid_at_level(struct pid *p, __u32 level, struct upid *out)
{
	return bpf_probe_read_kernel(out, sizeof(*out), &p->numbers[level]);
}

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

/* overlayfs keeps the upper-layer dentry in its inode; set: file was written in the container */
static __always_inline bool inode_on_upper_layer(struct inode *inode)
{
	struct ovl_inode *oi;

	if (!bpf_core_type_exists(struct ovl_inode))
		return false;
	if (BPF_CORE_READ(inode, i_sb, s_magic) != OVERLAYFS_SUPER_MAGIC)
		return false;
	oi = (void *)inode - bpf_core_field_offset(struct ovl_inode, vfs_inode);
	return BPF_CORE_READ(oi, __upperdentry) != 0;
}

#endif /* SS_TASK_BPF_H */
