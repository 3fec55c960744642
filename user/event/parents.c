/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#include <string.h>

#include "event/parents.h"

/* comm names, so at most 15 characters: containerd-shim-runc-v2 reads containerd-shim */
const char *const ss_runtime_parents[] = {
	"runc", "runc:[0:PARENT]", "runc:[1:CHILD]",  "runc:[2:INIT]",
	"crun", "conmon",	   "containerd-shim", "crio",
};
const size_t ss_runtime_parent_count = sizeof(ss_runtime_parents) / sizeof(ss_runtime_parents[0]);

bool ss_is_runtime_parent(const char *comm)
{
	size_t i;

	for (i = 0; comm && i < ss_runtime_parent_count; i++)
		if (!strcmp(comm, ss_runtime_parents[i]))
			return true;
	return false;
}
