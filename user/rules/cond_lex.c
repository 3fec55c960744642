// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Conditions, scanning: words, quoted values, parenthesised lists with list names
 * expanded, and the errors that name the position in the rules file.
 */
#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "event/shells.h"
#include "rules/cond_parser.h"

struct cnode *cond_err(struct cparser *p, size_t off, enum cerr_kind kind, const char *fmt, ...)
{
	struct cerr *e = &p->cx->err;
	va_list ap;

	if (e->kind != CE_NONE)
		return NULL;
	e->kind = kind;
	memset(&e->pos, 0, sizeof(e->pos));
	src_text_locate(p->t, off, &e->pos);
	va_start(ap, fmt);
	vsnprintf(e->pos.msg, sizeof(e->pos.msg), fmt, ap);
	va_end(ap);
	return NULL;
}

struct cnode *cond_nomem(struct cparser *p)
{
	return cond_err(p, p->pos, CE_NOMEM, "out of memory");
}

struct cnode *cnode_new(struct arena *a, enum node_kind kind, size_t nkids)
{
	struct cnode *n = arena_alloc(a, sizeof(*n));

	if (!n)
		return NULL;
	n->kind = kind;
	n->index = -1;
	if (nkids) {
		n->kids = arena_alloc(a, nkids * sizeof(*n->kids));
		if (!n->kids)
			return NULL;
	}
	return n;
}

/* ---- scanning ---- */

void cond_skip_ws(struct cparser *p)
{
	while (p->pos < p->len && isspace((unsigned char)p->s[p->pos]))
		p->pos++;
}

static bool ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '.' || c == '-';
}

size_t cond_word_len(const struct cparser *p, size_t at)
{
	size_t n = 0;

	while (at + n < p->len && ident_char(p->s[at + n]))
		n++;
	return n;
}

/* Is the word at pos exactly kw (not a prefix of a longer word)? */
bool cond_at_keyword(const struct cparser *p, const char *kw)
{
	size_t n = strlen(kw);

	return cond_word_len(p, p->pos) == n && !strncmp(p->s + p->pos, kw, n);
}

/* Short cond_excerpt of what stands at off, for messages. */
const char *cond_excerpt(const struct cparser *p, size_t off, char *buf, size_t len)
{
	size_t n = 0;

	if (off >= p->len)
		return "end of condition";
	while (off + n < p->len && n + 1 < len && n < 24 && !isspace((unsigned char)p->s[off + n]))
		n++;
	if (!n)
		n = 1;
	memcpy(buf, p->s + off, n);
	buf[n] = '\0';
	return buf;
}

/*
 * A value: "quoted" / 'quoted' (backslash escapes the quote and itself),
 * or bare up to whitespace, ')' and (in lists) ','. Returns a NUL-terminated
 * arena copy; *quoted says whether it was quoted.
 */
char *cond_scan_value(struct cparser *p, bool in_list, bool *quoted)
{
	size_t start = p->pos, n = 0;
	char q, *out;

	*quoted = false;
	if (p->pos < p->len && (p->s[p->pos] == '"' || p->s[p->pos] == '\'')) {
		q = p->s[p->pos++];
		out = arena_alloc(p->cx->arena, p->len - p->pos + 1);
		if (!out)
			return cond_nomem(p), NULL;
		while (p->pos < p->len && p->s[p->pos] != q) {
			if (p->s[p->pos] == '\\' && p->pos + 1 < p->len &&
			    (p->s[p->pos + 1] == q || p->s[p->pos + 1] == '\\'))
				p->pos++;
			out[n++] = p->s[p->pos++];
		}
		if (p->pos >= p->len) {
			cond_err(p, start, CE_SYNTAX, "unterminated quoted string");
			return NULL;
		}
		p->pos++;
		*quoted = true;
		return out;
	}
	while (p->pos < p->len) {
		char c = p->s[p->pos];

		if (isspace((unsigned char)c) || c == ')' || (in_list && c == ',') ||
		    (in_list && c == '('))
			break;
		p->pos++;
	}
	if (p->pos == start) {
		char ex[32];

		cond_err(p, start, CE_SYNTAX, "expected a value, found '%s'",
			 cond_excerpt(p, start, ex, sizeof(ex)));
		return NULL;
	}
	out = arena_strndup(p->cx->arena, p->s + start, p->pos - start);
	if (!out)
		cond_nomem(p);
	return out;
}

/* ---- lists ---- */

int cond_strvec_push(struct arena *a, struct strvec *sv, const char *s)
{
	if (sv->n == sv->cap) {
		size_t cap = sv->cap ? sv->cap * 2 : 16;
		const char **v = arena_grow(a, (void *)sv->v, sv->n, cap, sizeof(*v));

		if (!v)
			return -ENOMEM;
		sv->v = v;
		sv->cap = cap;
	}
	sv->v[sv->n++] = s;
	return 0;
}

const struct list_def *cond_find_list(const struct cctx *cx, const char *name)
{
	size_t i;

	for (i = cx->nlists; i-- > 0;)
		if (!strcmp(cx->lists[i].name, name))
			return &cx->lists[i];
	return NULL;
}

int cond_find_macro(const struct cctx *cx, const char *name, size_t len)
{
	size_t i;

	for (i = cx->nmacros; i-- > 0;)
		if (strlen(cx->macros[i].name) == len && !strncmp(cx->macros[i].name, name, len))
			return (int)i;
	return -1;
}

/* Add item, expanding list names (lists may name lists) with cycle detection. */
static int add_item(struct cparser *p, struct strvec *sv, const char *item, bool expand, size_t off,
		    const struct list_def **stack, int depth)
{
	const struct list_def *l = expand ? cond_find_list(p->cx, item) : NULL;
	size_t i;
	int k;

	if (!l) {
		if (sv->n >= RULES_MAX_LIST_ITEMS) {
			cond_err(p, off, CE_LIMIT, "list has more than %d items",
				 RULES_MAX_LIST_ITEMS);
			return -E2BIG;
		}
		return cond_strvec_push(p->cx->arena, sv, item) ? (cond_nomem(p), -ENOMEM) : 0;
	}
	for (k = 0; k < depth; k++) {
		if (stack[k] == l) {
			cond_err(p, off, CE_CYCLE, "list '%s' refers to itself", l->name);
			return -ELOOP;
		}
	}
	if (depth >= 32) {
		cond_err(p, off, CE_LIMIT, "lists nested too deeply at '%s'", l->name);
		return -ELOOP;
	}
	stack[depth] = l;
	for (i = 0; i < l->n; i++) {
		int rc = add_item(p, sv, l->items[i], true, off, stack, depth + 1);

		if (rc)
			return rc;
	}
	return 0;
}

int cond_parse_list(struct cparser *p, struct strvec *sv)
{
	const struct list_def *stack[32];
	size_t start;
	bool quoted;
	char *item;

	cond_skip_ws(p);
	start = p->pos;
	if (p->pos < p->len && p->s[p->pos] != '(') {
		/* a list name without parentheses */
		size_t n = cond_word_len(p, p->pos);
		char ex[32];

		if (!n) {
			cond_err(p, start, CE_SYNTAX, "expected '(' or a list name, found '%s'",
				 cond_excerpt(p, start, ex, sizeof(ex)));
			return -EINVAL;
		}
		item = arena_strndup(p->cx->arena, p->s + start, n);
		if (!item)
			return cond_nomem(p), -ENOMEM;
		p->pos += n;
		if (!cond_find_list(p->cx, item)) {
			cond_err(p, start, CE_UNDEFINED, "undefined list '%s'", item);
			return -ENOENT;
		}
		return add_item(p, sv, item, true, start, stack, 0);
	}
	if (p->pos >= p->len) {
		cond_err(p, start, CE_SYNTAX,
			 "expected '(' or a list name, found end of condition");
		return -EINVAL;
	}
	p->pos++;
	cond_skip_ws(p);
	if (p->pos < p->len && p->s[p->pos] == ')') {
		p->pos++;
		return 0;
	}
	for (;;) {
		size_t at;
		int rc;

		cond_skip_ws(p);
		at = p->pos;
		item = cond_scan_value(p, true, &quoted);
		if (!item)
			return -EINVAL;
		rc = add_item(p, sv, item, !quoted, at, stack, 0);
		if (rc)
			return rc;
		cond_skip_ws(p);
		if (p->pos < p->len && p->s[p->pos] == ',') {
			p->pos++;
			continue;
		}
		if (p->pos < p->len && p->s[p->pos] == ')') {
			p->pos++;
			return 0;
		}
		cond_err(p, p->pos < p->len ? p->pos : start, CE_SYNTAX,
			 p->pos < p->len ? "expected ',' or ')' in list"
					 : "unterminated list: missing ')'");
		return -EINVAL;
	}
}
