// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <string.h>

#include "event/shells.h"

/* Falco's shell_binaries plus the shells busybox and Debian ship. */
const char *const ss_shell_names[] = {
	"ash", "bash", "csh", "dash", "fish", "ksh", "mksh", "sh", "tcsh", "zsh",
};
const size_t ss_shell_count = sizeof(ss_shell_names) / sizeof(ss_shell_names[0]);

bool ss_is_shell_name(const char *name)
{
	size_t i;

	for (i = 0; i < ss_shell_count; i++)
		if (!strcmp(name, ss_shell_names[i]))
			return true;
	return false;
}
