/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Readers of the task's credentials: ids and capability sets. */
#ifndef SS_CRED_BPF_H
#define SS_CRED_BPF_H

#include "compat.bpf.h"
#include "shellsentry.h"

/*
 * kernel_cap_t was { __u32 cap[2]; } until f122a08b197d ("capability: just
 * use a 'u64' instead of a 'u32[2]' array"), 6.3, and { u64 val; } since:
 * the same 8 bytes in the same order on little-endian, so one 8-byte read
 * serves both.
 */
static __always_inline __u64 read_cap(const kernel_cap_t *cap)
{
	__u64 v = 0;

	bpf_core_read(&v, sizeof(v), cap);
	return v;
}

static __always_inline void read_cred(struct ss_event *e, struct task_struct *task, const bool btf)
{
	const struct cred *cred = RD(btf, task, cred);

	e->uid = RD(btf, cred, uid.val);
	e->gid = RD(btf, cred, gid.val);
	e->euid = RD(btf, cred, euid.val);
	e->cap_effective = read_cap(&cred->cap_effective);
	e->cap_permitted = read_cap(&cred->cap_permitted);
}

#endif /* SS_CRED_BPF_H */
