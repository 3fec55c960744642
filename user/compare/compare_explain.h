/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Why two alert streams did not line up, and which differences are not
 * differences: pure functions over what compare read.
 */
#ifndef SS_COMPARE_EXPLAIN_H
#define SS_COMPARE_EXPLAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What matching looks at, per exec of one side. */
struct cmp_key {
	const char *host; /* "" unknown */
	uint64_t time_ns;
	int64_t pid; /* -1 unknown */
};

#define CMP_REASONS_MAX 4
#define CMP_REASON_LEN 640

/*
 * When some execs of a side met none of the other's, say why in sentences:
 * host names that never meet, time ranges apart (with the offset), no pid in
 * common. Returns how many reasons were written (0: nothing explains it).
 */
size_t compare_explain(const struct cmp_key *falco, size_t nf, const struct cmp_key *ours,
		       size_t no, uint64_t window_ns, bool any_host,
		       char reasons[CMP_REASONS_MAX][CMP_REASON_LEN]);

/*
 * proc.pname of a shell a runtime exec'd: at the exec the parent is `runc`
 * (its exec process) while it lives; when runc has already exited the kernel
 * has re-parented the shell to the runtime's subreaper (podman's conmon,
 * containerd-shim, cri-o's conmon). Both are the real parent at that
 * instant, and two tools sampling it microseconds apart can see either.
 */
bool compare_runtime_parents(const char *a, const char *b);

#endif /* SS_COMPARE_EXPLAIN_H */
