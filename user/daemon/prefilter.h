/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The kernel's interest filter from the loaded rules: the names any enabled
 * rule can match go into the BPF name map, busybox as a multicall binary,
 * and the settings flags say when every container exec, host execs or
 * drifted executables are wanted.
 */
#ifndef SS_PREFILTER_H
#define SS_PREFILTER_H

#include <stdint.h>
#include <stdio.h>

#include "kernel/loader.h"
#include "rules/rules.h"

#define KERNEL_FILTER_MAX_NAMES (PREFILTER_MAX_NAMES + 1 + 16) /* + busybox + shells */

/* The map content, as computed from rs (pure). */
struct kernel_filter {
	char names[KERNEL_FILTER_MAX_NAMES][SS_NAME_KEY_LEN];
	uint32_t values[KERNEL_FILTER_MAX_NAMES]; /* SS_NAME_* */
	size_t n;
	uint32_t cfg; /* SS_CFG_* */
	char reason[512];
};

int kernel_filter_from_rules(const struct ruleset *rs, struct kernel_filter *out);

/*
 * Sessions on: every shell name (event/shells.h) is marked SS_NAME_SHELL,
 * added when no rule names it, so that a shell can start a session whatever
 * the rule selection (pure).
 */
void kernel_filter_mark_shells(struct kernel_filter *f);

/*
 * Compute and load into the BPF maps (shells: kernel_filter_mark_shells());
 * one line on log (may be NULL) says what was loaded.
 */
int kernel_filter_apply(struct loader *ld, const struct ruleset *rs, bool shells, FILE *log);

#endif /* SS_PREFILTER_H */
