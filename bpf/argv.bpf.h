/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The new program's argv, in its own memory (mm->arg_start..arg_end). */
#ifndef SS_ARGV_BPF_H
#define SS_ARGV_BPF_H

#include "compat.bpf.h"
#include "names.bpf.h"

#define ARGV0_SCAN 256 /* power of two: offsets are masked with it */

/*
 * A multicall binary (busybox) runs the applet that argv[0]'s base name
 * names, whatever the file or comm is called: a "#!/bin/sh" script (the
 * kernel puts the interpreter path in argv[0]), an fd exec, a renamed link.
 * Only the last SS_NAME_KEY_LEN bytes can hold a name of interest, so look
 * backwards from the end for the '/': a forward scan that remembers the last
 * slash gives the verifier one state per slash position and never prunes.
 * scratch: ARGV0_SCAN bytes. An argv[0] too long to judge is let through.
 * mask: the names-map bits that make the base name wanted.
 */
static __always_inline bool argv0_applet_wanted(struct mm_struct *mm, char *scratch, __u32 mask,
						const bool btf)
{
	char key[SS_NAME_KEY_LEN] = {};
	long n = bpf_probe_read_user_str(scratch, ARGV0_SCAN, (void *)RD(btf, mm, arg_start));
	long start = 0;
	__u32 nv;

	if (n <= 1)
		return false;
	if (n >= ARGV0_SCAN)
		return true;
	/* scratch[n - 1] is the NUL; the base name is at most SS_NAME_KEY_LEN - 1 bytes */
	for (int l = 1; l <= SS_NAME_KEY_LEN; l++) {
		long i = n - 1 - l;

		if (i < 0)
			break;
		if (scratch[i & (ARGV0_SCAN - 1)] == '/') {
			start = i + 1;
			break;
		}
		if (l == SS_NAME_KEY_LEN)
			return false; /* longer than any name in the map */
	}
	bpf_probe_read_kernel_str(key, sizeof(key), scratch + (start & (ARGV0_SCAN - 1)));
	return name_lookup(key, &nv) && (nv & mask);
}

/* Copy argv (only the bytes used are sent); returns the length copied. */
static __always_inline __u64 read_argv(struct ss_event *e, struct mm_struct *mm, const bool btf)
{
	__u64 arg_start = RD(btf, mm, arg_start);
	__u64 arg_end = RD(btf, mm, arg_end);
	__u64 len = arg_end > arg_start ? arg_end - arg_start : 0;

	if (len > SS_ARGV_LEN) {
		len = SS_ARGV_LEN;
		e->flags |= SS_F_ARGV_TRUNCATED;
	}
	/* Keep the bound visible to the verifier after the compiler's reshuffles. */
	asm volatile("" : "+r"(len));
	if (len > SS_ARGV_LEN)
		len = 0;
	if (len && bpf_probe_read_user(e->argv, len, (void *)arg_start))
		len = 0;
	e->argv_len = len;
	return len;
}

#endif /* SS_ARGV_BPF_H */
