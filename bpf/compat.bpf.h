/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * How kernel memory is read, and the kernel floor. Each shim here or in a
 * concern header names the kernel change that makes it necessary, so it can
 * go when that kernel is no longer supported.
 *
 * Floor: Linux 5.8 with BTF.
 *  - BPF ring buffer: 457f44363a88 ("bpf: Implement BPF ring buffer and
 *    verifier support for it"), 5.8.
 *  - bpf_ktime_get_boot_ns(): 71d19214776e ("bpf: add
 *    bpf_ktime_get_boot_ns()"), 5.8 (event time stamps survive suspend).
 *  - tp_btf with typed task pointers: 9e15db66136a ("bpf: Implement
 *    accurate raw_tp context access via BTF") and 3dec541b2e63 ("bpf: Add
 *    support for BTF pointers to x86 JIT"), 5.5.
 */
#ifndef SS_COMPAT_BPF_H
#define SS_COMPAT_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>

/*
 * RD(btf, src, fields...): in the tp_btf program pointers are typed, so a
 * plain load (a BPF_PROBE_MEM instruction, no helper call) reads them; the
 * tracepoint fallback has only the untyped current task and needs probe
 * reads. btf is a constant in each program after inlining, so each keeps
 * one branch. Measured: the helper calls were most of an event's cost.
 */
#define RD(btf, src, ...) ((btf) ? ___arrow(src, __VA_ARGS__) : BPF_CORE_READ(src, __VA_ARGS__))

#endif /* SS_COMPAT_BPF_H */
