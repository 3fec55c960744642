/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Why bpf() fails, and the fix for the runtime in use. An EPERM can come from
 * a seccomp filter (a container runtime's default profile), a missing
 * capability, the memlock limit (kernels before 5.11), kernel lockdown or a
 * security module; a kernel without the ring buffer gives EINVAL. Telling
 * them apart: a command the kernel does not know returns EINVAL once the call
 * reaches the kernel's dispatch, but EPERM when a seccomp filter stops the
 * call itself.
 */
#ifndef SS_BPF_DIAG_H
#define SS_BPF_DIAG_H

#include <stdbool.h>
#include <stddef.h>

enum bpf_block {
	BPF_BLOCK_NONE = 0,
	BPF_BLOCK_NO_SYSCALL, /* kernel without bpf() */
	BPF_BLOCK_SECCOMP,
	BPF_BLOCK_CAPS,
	BPF_BLOCK_MEMLOCK,
	BPF_BLOCK_LOCKDOWN,
	BPF_BLOCK_LSM,
	BPF_BLOCK_NO_RINGBUF, /* before Linux 5.8 */
	BPF_BLOCK_UNKNOWN,
};

enum bpf_runtime {
	BPF_RT_HOST = 0,
	BPF_RT_KUBERNETES,
	BPF_RT_DOCKER,
	BPF_RT_PODMAN,
	BPF_RT_CONTAINER, /* another runtime */
};

struct bpf_facts {
	int map_err;	  /* errno of creating an array map; 0 = created */
	int bad_cmd_err;  /* errno of a command no kernel knows (EINVAL: the call got through) */
	int ringbuf_err;  /* errno of creating a ring buffer map; 0 = created */
	int seccomp_mode; /* /proc/self/status Seccomp: 0 none, 1 strict, 2 filter; -1 unknown */
	bool cap_bpf, cap_perfmon, cap_sys_admin, cap_sys_resource; /* effective */
	char lockdown[24]; /* the [selected] mode of /sys/kernel/security/lockdown, "" unknown */
	char lsm[128];	   /* /sys/kernel/security/lsm, "" unknown */
	unsigned kernel_major, kernel_minor;
	unsigned long long memlock; /* RLIMIT_MEMLOCK soft limit, bytes; ~0ULL = unlimited */
	enum bpf_runtime runtime;
};

/* Pure: what stops BPF, from the facts. */
enum bpf_block bpf_diag_classify(const struct bpf_facts *f);

/* Pure: one paragraph saying what is wrong and the fix for f->runtime. */
void bpf_diag_explain(const struct bpf_facts *f, char *buf, size_t len);

/* Gathers the facts about this process, its runtime and the kernel. */
void bpf_diag_gather(struct bpf_facts *f);

#endif /* SS_BPF_DIAG_H */
