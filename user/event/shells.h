/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The shell names behind shellsentry.shell, shared by the field extractor
 * and the prefilter (a rule on shellsentry.shell reduces to these names).
 */
#ifndef SS_RULES_SHELLS_H
#define SS_RULES_SHELLS_H

#include <stdbool.h>
#include <stddef.h>

extern const char *const ss_shell_names[];
extern const size_t ss_shell_count;

bool ss_is_shell_name(const char *name);

#endif /* SS_RULES_SHELLS_H */
