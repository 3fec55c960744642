/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The floor of the benchmark: an empty program on the hook shellsentry uses.
 * Whatever it costs per exec is the price of being attached at all.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

SEC("tp_btf/sched_process_exec")
int bench_floor(void *ctx)
{
	return 0;
}
