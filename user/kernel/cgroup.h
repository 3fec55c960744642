/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The cgroup hierarchy whose cgroup ids and names the BPF side reads, and
 * the walk that marks existing container cgroups at start. One choice of
 * hierarchy, made here, is used for the BPF object's settings (hierarchy id,
 * the controller's subsystem id in BTF), for the mount point the walk and
 * the enricher open, and for the cgroup_mkdir filter.
 */
#ifndef SS_CGROUP_H
#define SS_CGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CGROUP_CONTROLLER_LEN 32
#define CGROUP_SCAN_MAX_DEPTH 12

struct cgroup_hierarchy {
	/* v2 when it is mounted (also on hybrid hosts, where runc joins containers to it) */
	bool v2;
	/* v1 only: the controller chosen, its hierarchy id in /proc/self/cgroup */
	char controller[CGROUP_CONTROLLER_LEN];
	int hierarchy_id;
};

/*
 * v1 controllers that name a container's cgroup, in order of preference:
 * every runtime creates a cgroup per container in both. The first one the
 * process is attached to is chosen, by name, whatever the line order.
 */
extern const char *const cgroup_v1_controllers[];

/* Pure: the choice from the text of /proc/self/cgroup. 0, or -ENOENT when none fits. */
int cgroup_hierarchy_parse(const char *text, size_t len, struct cgroup_hierarchy *out);
/* The same from this process's /proc/self/cgroup. */
int cgroup_hierarchy_pick(struct cgroup_hierarchy *out);

/*
 * Pure: whether one line of /proc/self/mounts mounts h; its mount point
 * into path. 0, -ENOENT when the line is another mount, -ENAMETOOLONG.
 */
int cgroup_mount_line(const char *line, const struct cgroup_hierarchy *h, char *path, size_t len);
/* The mount point of h from /proc/self/mounts. 0 or -ENOENT. */
int cgroup_mount_find(const struct cgroup_hierarchy *h, char *path, size_t len);

/* The kernel's enum cgroup_subsys_id name of h's controller ("pids_cgrp_id"). */
void cgroup_subsys_enum_name(const struct cgroup_hierarchy *h, char *buf, size_t len);

/*
 * Walk the hierarchy mounted at root (CGROUP_SCAN_MAX_DEPTH deep at most)
 * and call mark(ctx, id, dirfd) for every folder whose name holds a
 * container id (dirfd: that folder, valid during the call); on cgroupfs a
 * folder's inode number is the cgroup id. *marked counts the calls. 0, or
 * the first error of open or mark.
 */
int cgroup_scan(const char *root, int (*mark)(void *ctx, uint64_t cgroup_id, int dirfd), void *ctx,
		size_t *marked);

/*
 * The oldest process of a cgroup (folder dirfd): its container's init when
 * the container shares the host's pid namespace. Start times from
 * <proc_root>/<pid>/stat. 0 when the cgroup has no process (or none could
 * be read).
 */
uint32_t cgroup_oldest_pid(int dirfd, const char *proc_root);

/* Pure: the start time (field 22) of a /proc/<pid>/stat line; -EINVAL if malformed. */
int proc_stat_starttime(const char *stat, unsigned long long *out);

#endif /* SS_CGROUP_H */
