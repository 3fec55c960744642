/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Names of the event's enums, one table each (event/names.c): what alerts
 * print (shellsentry.lineage, container.runtime) and what analyze and
 * compare read back.
 */
#ifndef SS_EVENT_NAMES_H
#define SS_EVENT_NAMES_H

#include "event/exec_event.h"
#include "lib/names.h"

extern const struct name_map lineage_names[];
extern const struct name_map container_runtime_names[];

/* "entrypoint", "init-tree", "injected", "unknown" */
const char *lineage_name(enum ss_lineage l);
/* SS_LINEAGE_UNKNOWN for a name that is none of them. */
enum ss_lineage lineage_from_name(const char *s);

/* "docker", "containerd", "cri-o", "podman", "unknown", "host" */
const char *container_runtime_name(enum container_runtime r);
/* RUNTIME_UNKNOWN for a name that is none of them ("crio" is read as cri-o). */
enum container_runtime container_runtime_from_name(const char *s);

#endif /* SS_EVENT_NAMES_H */
