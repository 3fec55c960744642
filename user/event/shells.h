/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The shell names behind shellsentry.shell, shared by the field extractor
 * and the prefilter (a rule on shellsentry.shell reduces to these names).
 */
#ifndef SS_RULES_SHELLS_H
#define SS_RULES_SHELLS_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#define SS_SHELL_COUNT 10

/* Falco's shell_binaries plus the shells busybox and Debian ship (shells.c). */
extern const char *const ss_shell_names[SS_SHELL_COUNT];
extern const size_t ss_shell_count;

/* Inline: it runs for every field extraction of shellsentry.shell. */
static inline bool ss_is_shell_name(const char *name)
{
	for (size_t i = 0; i < SS_SHELL_COUNT; i++)
		if (!strcmp(name, ss_shell_names[i]))
			return true;
	return false;
}

#endif /* SS_RULES_SHELLS_H */
