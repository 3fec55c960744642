// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <string.h>

#include "event/shells.h"

/*
 * Falco's shell_binaries plus the shells busybox and Debian ship (posh,
 * yash, busybox's hush), which the content classifier also recognises.
 */
const char *const ss_shell_names[SS_SHELL_COUNT] = {
	"ash",	"bash", "csh", "dash", "fish", "hush", "ksh",
	"mksh", "posh", "sh",  "tcsh", "yash", "zsh",
};
const size_t ss_shell_count = sizeof(ss_shell_names) / sizeof(ss_shell_names[0]);

static const char *const exe_shell_names[EXE_SHELL_COUNT] = {
	[EXE_SHELL_BASH] = "bash", [EXE_SHELL_DASH] = "dash", [EXE_SHELL_ZSH] = "zsh",
	[EXE_SHELL_KSH] = "ksh",   [EXE_SHELL_MKSH] = "mksh", [EXE_SHELL_POSH] = "posh",
	[EXE_SHELL_YASH] = "yash", [EXE_SHELL_TCSH] = "tcsh", [EXE_SHELL_CSH] = "csh",
	[EXE_SHELL_FISH] = "fish", [EXE_SHELL_ASH] = "ash",   [EXE_SHELL_HUSH] = "hush",
};

const char *exe_shell_name(unsigned shell)
{
	return shell < EXE_SHELL_COUNT ? exe_shell_names[shell] : NULL;
}
