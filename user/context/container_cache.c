/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * A fixed array of slots, a chained hash over slot indices and an
 * intrusive doubly linked LRU list: no allocation after creation, O(1) get,
 * put, remove and eviction.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "context/container_cache.h"

#define NIL UINT32_MAX

struct cached_user {
	uint32_t uid;
	bool used;
	char name[CONTAINER_CACHE_USER_NAME];
};

struct slot {
	uint64_t key;
	uint32_t hnext;	     /* next slot in the same bucket */
	uint32_t prev, next; /* LRU list; head is most recent */
	bool used;
	uint8_t user_next; /* round-robin replacement */
	struct cached_user users[CONTAINER_CACHE_USERS];
	struct container_ctx ctx;
};

struct container_cache {
	struct slot *slots;
	uint32_t *buckets;
	uint32_t max, count, nbuckets;
	uint32_t head, tail; /* LRU */
	uint32_t free_head;  /* released slots, chained through hnext */
	/*
	 * Slots from here on were never used. Handing them out in order keeps
	 * the calloc'd array's untouched pages unmapped: a full free list would
	 * touch all of them at start (13 MiB of RSS for 4096 slots).
	 */
	uint32_t next_fresh;
};

static uint32_t bucket_of(const struct container_cache *c, uint64_t key)
{
	return (uint32_t)((key * 0x9e3779b97f4a7c15ull) >> 32) & (c->nbuckets - 1);
}

int container_cache_new(size_t max, struct container_cache **out)
{
	struct container_cache *c;
	uint32_t i;

	if (!out || max == 0 || max > CONTAINER_CACHE_MAX_ENTRIES)
		return -EINVAL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->max = (uint32_t)max;
	for (c->nbuckets = 1; c->nbuckets < 2 * c->max; c->nbuckets <<= 1)
		;
	c->slots = calloc(c->max, sizeof(*c->slots));
	c->buckets = malloc(c->nbuckets * sizeof(*c->buckets));
	if (!c->slots || !c->buckets) {
		container_cache_free(c);
		return -ENOMEM;
	}
	for (i = 0; i < c->nbuckets; i++)
		c->buckets[i] = NIL;
	c->free_head = NIL;
	c->next_fresh = 0;
	c->head = c->tail = NIL;
	*out = c;
	return 0;
}

void container_cache_free(struct container_cache *c)
{
	if (!c)
		return;
	free(c->slots);
	free(c->buckets);
	free(c);
}

static uint32_t find(const struct container_cache *c, uint64_t key)
{
	uint32_t i;

	for (i = c->buckets[bucket_of(c, key)]; i != NIL; i = c->slots[i].hnext)
		if (c->slots[i].key == key)
			return i;
	return NIL;
}

static void lru_unlink(struct container_cache *c, uint32_t i)
{
	struct slot *s = &c->slots[i];

	if (s->prev != NIL)
		c->slots[s->prev].next = s->next;
	else
		c->head = s->next;
	if (s->next != NIL)
		c->slots[s->next].prev = s->prev;
	else
		c->tail = s->prev;
	s->prev = s->next = NIL;
}

static void lru_push_front(struct container_cache *c, uint32_t i)
{
	struct slot *s = &c->slots[i];

	s->prev = NIL;
	s->next = c->head;
	if (c->head != NIL)
		c->slots[c->head].prev = i;
	c->head = i;
	if (c->tail == NIL)
		c->tail = i;
}

static void hash_unlink(struct container_cache *c, uint32_t i)
{
	uint32_t *p = &c->buckets[bucket_of(c, c->slots[i].key)];

	while (*p != NIL && *p != i)
		p = &c->slots[*p].hnext;
	if (*p == i)
		*p = c->slots[i].hnext;
}

static void release(struct container_cache *c, uint32_t i)
{
	hash_unlink(c, i);
	lru_unlink(c, i);
	c->slots[i].used = false;
	c->slots[i].hnext = c->free_head;
	c->free_head = i;
	c->count--;
}

struct container_ctx *container_cache_get(struct container_cache *c, uint64_t cgroup_id)
{
	uint32_t i = find(c, cgroup_id);

	if (i == NIL)
		return NULL;
	if (c->head != i) {
		lru_unlink(c, i);
		lru_push_front(c, i);
	}
	return &c->slots[i].ctx;
}

struct container_ctx *container_cache_put(struct container_cache *c, uint64_t cgroup_id,
					  const struct container_ctx *v)
{
	uint32_t i = find(c, cgroup_id), b;
	struct slot *s;

	if (i == NIL) {
		if (c->free_head == NIL && c->next_fresh < c->max) {
			i = c->next_fresh++;
			s = &c->slots[i];
		} else {
			if (c->free_head == NIL)
				release(c, c->tail);
			i = c->free_head;
			s = &c->slots[i];
			c->free_head = s->hnext;
		}
		s->key = cgroup_id;
		s->used = true;
		b = bucket_of(c, cgroup_id);
		s->hnext = c->buckets[b];
		c->buckets[b] = i;
		s->prev = s->next = NIL;
		lru_push_front(c, i);
		c->count++;
	} else {
		s = &c->slots[i];
		lru_unlink(c, i);
		lru_push_front(c, i);
	}
	memset(s->users, 0, sizeof(s->users));
	s->user_next = 0;
	s->ctx = *v;
	return &s->ctx;
}

bool container_cache_remove(struct container_cache *c, uint64_t cgroup_id)
{
	uint32_t i = find(c, cgroup_id);

	if (i == NIL)
		return false;
	release(c, i);
	return true;
}

size_t container_cache_count(const struct container_cache *c)
{
	return c->count;
}

int container_cache_user_get(struct container_cache *c, uint64_t cgroup_id, uint32_t uid,
			     char *name, size_t len)
{
	uint32_t i = find(c, cgroup_id);
	size_t u;

	if (i == NIL)
		return -ENOENT;
	for (u = 0; u < CONTAINER_CACHE_USERS; u++) {
		const struct cached_user *cu = &c->slots[i].users[u];

		if (cu->used && cu->uid == uid) {
			if (strlen(cu->name) >= len)
				return -ENAMETOOLONG;
			strcpy(name, cu->name);
			return 0;
		}
	}
	return -ENOENT;
}

int container_cache_user_put(struct container_cache *c, uint64_t cgroup_id, uint32_t uid,
			     const char *name)
{
	uint32_t i = find(c, cgroup_id);
	struct cached_user *cu = NULL;
	struct slot *s;
	size_t u;

	if (i == NIL)
		return -ENOENT;
	if (strlen(name) >= CONTAINER_CACHE_USER_NAME)
		return -ENAMETOOLONG;
	s = &c->slots[i];
	for (u = 0; u < CONTAINER_CACHE_USERS && !cu; u++)
		if (s->users[u].used && s->users[u].uid == uid)
			cu = &s->users[u];
	if (!cu) {
		cu = &s->users[s->user_next];
		s->user_next = (uint8_t)((s->user_next + 1) % CONTAINER_CACHE_USERS);
	}
	cu->used = true;
	cu->uid = uid;
	strcpy(cu->name, name);
	return 0;
}
