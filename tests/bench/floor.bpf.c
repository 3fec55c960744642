/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The floor of the benchmark: empty programs on the hooks shellsentry uses
 * (exec, and fork and exit for sessions). Whatever they cost per call is the
 * price of being attached at all.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

SEC("tp_btf/sched_process_exec")
int bench_floor(void *ctx)
{
	return 0;
}

SEC("tp_btf/sched_process_fork")
int bench_floor_fork(void *ctx)
{
	return 0;
}

SEC("tp_btf/sched_process_exit")
int bench_floor_exit(void *ctx)
{
	return 0;
}
