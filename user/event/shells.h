/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The shell names behind shellsentry.shell, shared by the field extractor
 * and the prefilter (a rule on shellsentry.shell reduces to these names),
 * and the shells the content classifier tells apart (context/exe_classify),
 * whose ids travel through the kernel's verdict map and back in events.
 */
#ifndef SS_RULES_SHELLS_H
#define SS_RULES_SHELLS_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#define SS_SHELL_COUNT 13

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

/* Shells judged by content; the value is stored in the kernel's verdict map. */
enum exe_shell {
	EXE_SHELL_NONE = 0,
	EXE_SHELL_BASH,
	EXE_SHELL_DASH,
	EXE_SHELL_ZSH,
	EXE_SHELL_KSH,	/* ksh93 */
	EXE_SHELL_MKSH, /* mksh and lksh */
	EXE_SHELL_POSH,
	EXE_SHELL_YASH,
	EXE_SHELL_TCSH,
	EXE_SHELL_CSH, /* BSD csh */
	EXE_SHELL_FISH,
	EXE_SHELL_ASH,	/* busybox's ash applet */
	EXE_SHELL_HUSH, /* busybox's hush applet */
	EXE_SHELL_COUNT,
};

/* "bash", "dash", ... (each also in ss_shell_names); NULL for NONE or out of range. */
const char *exe_shell_name(unsigned shell);

#endif /* SS_RULES_SHELLS_H */
