/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Bounded LRU of container context keyed by cgroup id: the container's info
 * resolved once, and a few uid -> user name entries from its /etc/passwd.
 * Not thread-safe: one event loop owns it.
 */
#ifndef SS_CONTAINER_CACHE_H
#define SS_CONTAINER_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event/exec_event.h"

#define CONTAINER_CACHE_MAX_ENTRIES (1u << 20)
#define CONTAINER_CACHE_USERS 8 /* user names kept per container, oldest replaced */
#define CONTAINER_CACHE_USER_NAME 128

struct container_ctx {
	struct container_info info; /* the cgroup's part: per-event fields are set later */
	bool id_found;		    /* the cgroup names a container id (info.id, info.full_id) */
	bool state_found;	    /* the runtime's state for that id was read */
};

struct container_cache;

/* max: entries kept, 1 .. CONTAINER_CACHE_MAX_ENTRIES. */
int container_cache_new(size_t max, struct container_cache **out);
void container_cache_free(struct container_cache *c);

/* The entry, now most recently used; NULL when absent. Valid until the next put or remove. */
struct container_ctx *container_cache_get(struct container_cache *c, uint64_t cgroup_id);
/* Insert or replace (dropping cached user names); evicts the least recently used when full. */
struct container_ctx *container_cache_put(struct container_cache *c, uint64_t cgroup_id,
					  const struct container_ctx *v);
/* false when absent */
bool container_cache_remove(struct container_cache *c, uint64_t cgroup_id);
size_t container_cache_count(const struct container_cache *c);

/* 0 with the cached name ("" = looked up, not present), -ENOENT when not cached. */
int container_cache_user_get(struct container_cache *c, uint64_t cgroup_id, uint32_t uid,
			     char *name, size_t len);
/* -ENOENT when the cgroup has no entry, -ENAMETOOLONG when name does not fit. */
int container_cache_user_put(struct container_cache *c, uint64_t cgroup_id, uint32_t uid,
			     const char *name);

#endif /* SS_CONTAINER_CACHE_H */
