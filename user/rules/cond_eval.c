// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Conditions, evaluation per event: one comparison per node, by field id.
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

static bool path_prefix(const char *prefix, const char *path)
{
	size_t n = strlen(prefix);

	if (strncmp(prefix, path, n))
		return false;
	return path[n] == '\0' || path[n] == '/' || (n && prefix[n - 1] == '/');
}

static bool cmp_str(const struct cnode *n, const char *s)
{
	size_t len, i;

	switch (n->op) {
	case OP_EQ:
		return !strcmp(s, n->str);
	case OP_NE:
		return strcmp(s, n->str) != 0;
	case OP_LT:
		return strcmp(s, n->str) < 0;
	case OP_LE:
		return strcmp(s, n->str) <= 0;
	case OP_GT:
		return strcmp(s, n->str) > 0;
	case OP_GE:
		return strcmp(s, n->str) >= 0;
	case OP_CONTAINS:
		return strstr(s, n->str) != NULL;
	case OP_ICONTAINS:
		return strcasestr(s, n->str) != NULL;
	case OP_BCONTAINS:
		return memmem(s, strlen(s), n->str, n->slen) != NULL;
	case OP_STARTSWITH:
		return !strncmp(s, n->str, n->slen);
	case OP_BSTARTSWITH:
		return strlen(s) >= n->slen && !memcmp(s, n->str, n->slen);
	case OP_ENDSWITH:
		len = strlen(s);
		return len >= n->slen && !memcmp(s + len - n->slen, n->str, n->slen);
	case OP_IN:
	case OP_INTERSECTS:
		return n->nset &&
		       bsearch(&s, n->set, n->nset, sizeof(*n->set), cond_cmp_str_sorted);
	case OP_PMATCH:
		for (i = 0; i < n->nset; i++)
			if (path_prefix(n->set[i], s))
				return true;
		return false;
	case OP_GLOB:
		return !fnmatch(n->str, s, 0);
	case OP_IGLOB:
		return !fnmatch(n->str, s, FNM_CASEFOLD);
	case OP_REGEX:
		return !regexec(n->re, s, 0, NULL, 0);
	case OP_EXISTS:
		return true;
	}
	return false;
}

static bool cmp_int(const struct cnode *n, int64_t v)
{
	switch (n->op) {
	case OP_EQ:
		return v == n->num;
	case OP_NE:
		return v != n->num;
	case OP_LT:
		return v < n->num;
	case OP_LE:
		return v <= n->num;
	case OP_GT:
		return v > n->num;
	case OP_GE:
		return v >= n->num;
	case OP_IN:
	case OP_INTERSECTS:
		return n->nset && bsearch(&v, n->iset, n->nset, sizeof(*n->iset), cond_cmp_i64);
	case OP_EXISTS:
		return true;
	default:
		return false;
	}
}

static inline __attribute__((always_inline)) bool cmp_value(const struct cnode *n,
							    const struct field_value *v)
{
	if (v->null)
		return false;
	if (v->type == FT_STRING)
		return cmp_str(n, v->s ? v->s : "");
	return cmp_int(n, v->i);
}

/* Kept out of line: the field_value buffer must not sit in every recursive frame. */
static __attribute__((noinline)) bool eval_cmp(const struct cnode *n, const struct exec_event *ev)
{
	struct field_value v;
	int k, count;

	if (n->any_ancestor) {
		count = ev->ancestor_count;
		if (count > SS_ANCESTORS)
			count = SS_ANCESTORS;
		for (k = 1; k <= count; k++)
			if (!field_extract(ev, n->field, k, &v) && cmp_value(n, &v))
				return true;
		return false;
	}
	field_extract(ev, n->field, n->index, &v);
	return cmp_value(n, &v);
}

bool cnode_eval(const struct cnode *n, const struct exec_event *ev)
{
	size_t i;

	switch (n->kind) {
	case N_TRUE:
		return true;
	case N_FALSE:
		return false;
	case N_NOT:
		return !cnode_eval(n->kids[0], ev);
	case N_AND:
		for (i = 0; i < n->nkids; i++)
			if (!cnode_eval(n->kids[i], ev))
				return false;
		return true;
	case N_OR:
		for (i = 0; i < n->nkids; i++)
			if (cnode_eval(n->kids[i], ev))
				return true;
		return false;
	case N_CMP:
		return eval_cmp(n, ev);
	}
	return false;
}

/*
 * Falco fields with one value for every successful exec, folded at compile
 * time so Falco's spawned_process macro (evt.dir=<) works unchanged.
 */

/* For compile-time folding and the prefilter; the evaluator calls the static ones, inlined. */
bool cond_cmp_str(const struct cnode *n, const char *s)
{
	return cmp_str(n, s);
}

bool cond_cmp_value(const struct cnode *n, const struct field_value *v)
{
	return cmp_value(n, v);
}
