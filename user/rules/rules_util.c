/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Arena allocation for rulesets and source positions for error messages:
 * an offset in a condition is mapped back to the line and column of the
 * rules file, through YAML's folding, indentation and quoting.
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

int src_text_append(struct arena *a, struct src_text *t, const char *text, size_t len,
		    const struct src_piece *where)
{
	size_t sep = t->len ? 1 : 0;
	char *joined = arena_alloc(a, t->len + sep + len + 1);
	struct src_piece *p;

	if (!joined)
		return -ENOMEM;
	if (t->len)
		memcpy(joined, t->text, t->len);
	if (sep)
		joined[t->len] = ' ';
	memcpy(joined + t->len + sep, text, len);
	/* Past the last slot, later pieces are located within the last one. */
	if (t->npieces < RULES_MAX_PIECES) {
		p = &t->pieces[t->npieces++];
		*p = *where;
		p->off = t->len + sep;
	}
	t->text = joined;
	t->len += sep + len;
	return 0;
}

/* Byte offset of a 1-based line and column (columns count UTF-8 characters). */
static size_t src_offset(const struct src_file *f, int line, int col)
{
	size_t i = 0;
	int l = 1, c = 1;

	while (i < f->len && l < line) {
		if (f->text[i++] == '\n')
			l++;
	}
	while (i < f->len && c < col && f->text[i] != '\n') {
		i++;
		while (i < f->len && ((unsigned char)f->text[i] & 0xc0) == 0x80)
			i++;
		c++;
	}
	return i;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * Walk the scalar's source and its value side by side: what YAML folded,
 * indented or quoted appears only in the source, so skip it there. When
 * the two cannot be aligned (escapes), fall back to the scalar's start.
 */
void src_text_locate(const struct src_text *t, size_t off, struct rules_error *err)
{
	const struct src_piece *p = NULL;
	const struct src_file *f;
	size_t i, j;
	int line, col, k;

	for (k = 0; k < t->npieces; k++)
		if (t->pieces[k].off <= off)
			p = &t->pieces[k];
	if (!p || !p->file) {
		err->line = 0;
		err->col = 0;
		return;
	}
	f = p->file;
	snprintf(err->file, sizeof(err->file), "%s", f->name);
	err->line = p->line;
	err->col = p->col;
	if (!f->text)
		return;
	line = p->line;
	col = p->col;
	i = src_offset(f, line, col);
	j = p->off;
	while (j < off && j < t->len) {
		char s, v = t->text[j];

		if (i >= f->len)
			return;
		s = f->text[i];
		if (s == v) {
			j++;
		} else if (is_space(v) && !is_space(s)) {
			j++;
			continue;
		} else if (!is_space(s) && !strchr("\"'|>-+0123456789", s)) {
			return;
		}
		i++;
		if (s == '\n') {
			line++;
			col = 1;
		} else if (((unsigned char)s & 0xc0) != 0x80) {
			col++;
		}
	}
	/* Land on the token itself, not on source whitespace before it. */
	while (i < f->len && j < t->len && f->text[i] != t->text[j] && is_space(f->text[i]) &&
	       !is_space(t->text[j])) {
		if (f->text[i] == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
		i++;
	}
	while (i < f->len && j < t->len && f->text[i] != t->text[j] &&
	       strchr("\"'", f->text[i])) {
		i++;
		col++;
	}
	err->line = line;
	err->col = col;
}
