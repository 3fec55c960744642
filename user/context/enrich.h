/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Container, Kubernetes and user context for an exec event, from the node
 * itself: the cgroup name, /proc/<pid>/cgroup, the runtimes' state files and
 * the container's own /etc/passwd. Never touches the network; every file
 * read is bounded; results are cached per cgroup id.
 *
 * Trust (a host process can name its own cgroup like a container):
 * a container id found in the cgroup is always reported, as Falco does, but
 * it counts as verified only when the process is in a non-host pid namespace
 * or the runtime's state for that id exists on the node. An unverified id is
 * a host-pid-namespace process in a container-looking cgroup that no runtime
 * knows: a --pid=host container whose state folder is not visible, or a spoof.
 */
#ifndef SS_ENRICH_H
#define SS_ENRICH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "context/container_meta.h"
#include "event/exec_event.h"

#define ENRICH_PROC_CGROUP_MAX 16384 /* bytes of /proc/<pid>/cgroup read */

struct enricher;

struct enrich_result {
	bool verified; /* see above; true for host processes */
	bool cached;   /* the container part came from the cache */
	int meta_err;  /* container_meta_read() result, 0 when state was read */
};

/*
 * roots NULL: the node's default folders; proc_root NULL: "/proc".
 * cache_max: cgroups remembered (LRU), 1 .. CONTAINER_CACHE_MAX_ENTRIES.
 */
int enricher_new(const struct runtime_roots *roots, const char *proc_root, size_t cache_max,
		 struct enricher **out);
void enricher_free(struct enricher *e);

/*
 * Fill ev->container and ev->user_name from ev->cgroup_name, cgroup_id, pid,
 * uid, flags and cap_effective:
 *   container.id   12-char id; "host" for a host-pid-namespace process whose
 *                  cgroup names no container; "" (is_container true) in a
 *                  non-host pid namespace when no id is found (Falco's values)
 *   privileged     runtime state says so, or the process holds every
 *                  capability up to /proc/sys/kernel/cap_last_cap
 *   user.name      the process's own root's /etc/passwd; when the process is
 *                  gone, a live process of its container's, or its root
 *                  folder's; else "root" for uid 0 and "" (<NA>) otherwise
 *   proc.pcmdline  the parent's command line (Falco's form) while it lives
 * 0, or a negative errno for bad arguments; missing context is not an error.
 */
int enrich_exec_event(struct enricher *e, struct exec_event *ev);
int enrich_exec_event_ex(struct enricher *e, struct exec_event *ev, struct enrich_result *res);

/*
 * The cgroup hierarchy whose ids events carry (the loader's): lets the
 * enricher find a live process of a container by cgroup id when the
 * exec'ing one is already gone.
 */
int enricher_set_cgroup_root(struct enricher *e, const char *path);

/* The cgroup was removed: drop what was cached for it. */
void enricher_forget_cgroup(struct enricher *e, uint64_t cgroup_id);

#endif /* SS_ENRICH_H */
