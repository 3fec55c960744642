/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Arena allocation for rulesets and conditions: everything one owns (nodes,
 * strings, compiled regexes) is freed at once.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rules_internal.h"

struct arena_chunk {
	struct arena_chunk *next;
	size_t used, size;
	max_align_t data[];
};

#define ARENA_CHUNK (64u << 10)

void *arena_alloc(struct arena *a, size_t n)
{
	struct arena_chunk *c = a->head;
	size_t need = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
	size_t size;
	void *p;

	if (n > ((size_t)1 << 40))
		goto fail;
	if (!c || c->size - c->used < need) {
		size = need > ARENA_CHUNK ? need : ARENA_CHUNK;
		c = malloc(sizeof(*c) + size);
		if (!c)
			goto fail;
		c->used = 0;
		c->size = size;
		c->next = a->head;
		a->head = c;
	}
	p = (char *)c->data + c->used;
	c->used += need;
	memset(p, 0, n);
	return p;
fail:
	a->failed = true;
	return NULL;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);

	if (p)
		memcpy(p, s, n);
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

void *arena_grow(struct arena *a, void *old, size_t old_n, size_t new_n, size_t elem)
{
	void *p;

	if (new_n && elem > ((size_t)1 << 40) / new_n) {
		a->failed = true;
		return NULL;
	}
	p = arena_alloc(a, new_n * elem);
	if (p && old && old_n)
		memcpy(p, old, old_n * elem);
	return p;
}

regex_t *arena_regex(struct arena *a, const char *pattern, int flags, int *rc)
{
	regex_t *re = malloc(sizeof(*re));
	regex_t **res;

	*rc = 0;
	if (!re)
		goto nomem;
	if (a->nres == a->capres) {
		size_t cap = a->capres ? a->capres * 2 : 16;

		res = realloc(a->res, cap * sizeof(*res));
		if (!res) {
			free(re);
			goto nomem;
		}
		a->res = res;
		a->capres = cap;
	}
	*rc = regcomp(re, pattern, flags);
	if (*rc) {
		free(re);
		return NULL;
	}
	a->res[a->nres++] = re;
	return re;
nomem:
	a->failed = true;
	*rc = REG_ESPACE;
	return NULL;
}

void arena_free(struct arena *a)
{
	struct arena_chunk *c, *next;
	size_t i;

	if (!a)
		return;
	for (i = 0; i < a->nres; i++) {
		regfree(a->res[i]);
		free(a->res[i]);
	}
	free(a->res);
	for (c = a->head; c; c = next) {
		next = c->next;
		free(c);
	}
	memset(a, 0, sizeof(*a));
}
