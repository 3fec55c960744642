/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Container id from cgroup names, the way Falco derives container.id: the
 * 64-hex id a runtime puts in the cgroup path, its 12-character prefix as
 * the short id, and the runtime guessed from the naming pattern.
 * Pure functions: no I/O, any input (cgroup names are hostile).
 */
#ifndef SS_CONTAINER_ID_H
#define SS_CONTAINER_ID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event/exec_event.h"
#include "event/names.h" /* container_runtime_name() */

#define CONTAINER_ID_LEN 64
#define CONTAINER_SHORT_ID_LEN 12

/*
 * Parse a cgroup leaf name or a full cgroup path. Components are tried from
 * the leaf up; the first that carries a container id wins. 0 and the id when
 * found (runtime RUNTIME_UNKNOWN when the layout does not tell, e.g. a bare
 * id under /kubepods), -ENOENT when not. Any output pointer may be NULL.
 */
int container_id_from_cgroup(const char *cgroup, enum container_runtime *runtime, char full_id[65],
			     char short_id[13]);

/*
 * The container part an exec event alone tells, without /proc or runtime
 * state: id, full id and runtime from the cgroup leaf; else Falco's values
 * for an unresolved process (container_info_unresolved()). ci is cleared
 * first (privileged unknown). Returns true when the leaf names a container.
 */
bool container_info_from_event(const struct exec_event *ev, struct container_info *ci);

/*
 * Falco's values when no container id was found: a process in a non-host
 * pid namespace is a container it could not resolve (id "", runtime
 * unknown), any other is the host (id "host").
 */
void container_info_unresolved(struct container_info *ci, bool pidns);

/* Privileged: the process holds every capability the kernel knows (cap_full). */
bool container_caps_privileged(uint64_t cap_effective, uint64_t cap_full);

/* Cheap check used at startup to pre-classify cgroup directories. */
bool cgroup_name_has_container_id(const char *name);

/* True when s is exactly 64 lowercase hex characters. */
bool container_id_is_valid(const char *s);

/*
 * Parse the text of /proc/<pid>/cgroup (len bytes, need not be
 * NUL-terminated). Only lines whose path leaf equals want_leaf are
 * considered when want_leaf is not NULL: a pid may have been reused since
 * the exec, and the leaf the kernel reported ties the file to the event.
 * The unified ("0::") line is preferred. 0 when an id is found, -ENOENT not.
 */
int container_id_from_proc_cgroup(const char *text, size_t len, const char *want_leaf,
				  enum container_runtime *runtime, char full_id[65],
				  char short_id[13]);

#endif /* SS_CONTAINER_ID_H */
