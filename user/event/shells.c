// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <string.h>

#include "event/shells.h"

const char *const ss_shell_names[SS_SHELL_COUNT] = {
	"ash", "bash", "csh", "dash", "fish", "ksh", "mksh", "sh", "tcsh", "zsh",
};
const size_t ss_shell_count = sizeof(ss_shell_names) / sizeof(ss_shell_names[0]);
