// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Conditions, operators and their operands: which operator fits which field type,
 * values parsed once at compile time (integers, booleans, hex bytes, sorted sets, regexes).
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

const struct cond_op_name cond_op_names[] = {
	{"=", OP_EQ},
	{"==", OP_EQ},
	{"!=", OP_NE},
	{"<", OP_LT},
	{"<=", OP_LE},
	{">", OP_GT},
	{">=", OP_GE},
	{"contains", OP_CONTAINS},
	{"icontains", OP_ICONTAINS},
	{"bcontains", OP_BCONTAINS},
	{"startswith", OP_STARTSWITH},
	{"bstartswith", OP_BSTARTSWITH},
	{"endswith", OP_ENDSWITH},
	{"in", OP_IN},
	{"intersects", OP_INTERSECTS},
	{"pmatch", OP_PMATCH},
	{"glob", OP_GLOB},
	{"iglob", OP_IGLOB},
	{"regex", OP_REGEX},
	{"exists", OP_EXISTS},
	{NULL, 0},
};

bool cond_op_is_list(enum cmp_op op)
{
	return op == OP_IN || op == OP_INTERSECTS || op == OP_PMATCH;
}

bool cond_op_valid_for(enum cmp_op op, enum field_type t)
{
	switch (t) {
	case FT_STRING:
		return true;
	case FT_INT:
		return op <= OP_GE || op == OP_IN || op == OP_INTERSECTS || op == OP_EXISTS;
	case FT_BOOL:
		return op == OP_EQ || op == OP_NE || op == OP_EXISTS;
	}
	return false;
}

int cond_cmp_str_sorted(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int cond_cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

bool cond_parse_int(const char *s, int64_t *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 0);
	if (errno || end == s || *end)
		return false;
	*out = v;
	return true;
}

static bool parse_bool(const char *s, int64_t *out)
{
	if (!strcasecmp(s, "true") || !strcmp(s, "1"))
		*out = 1;
	else if (!strcasecmp(s, "false") || !strcmp(s, "0"))
		*out = 0;
	else
		return false;
	return true;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int cond_set_operand(struct cparser *p, struct cnode *n, enum field_type type, const char *v,
		     size_t at)
{
	char *pat;
	size_t i, len = strlen(v);
	int rc;

	if (type == FT_INT) {
		if (!cond_parse_int(v, &n->num)) {
			cond_err(p, at, CE_TYPE, "'%s' is not an integer", v);
			return -EINVAL;
		}
		return 0;
	}
	if (type == FT_BOOL) {
		if (!parse_bool(v, &n->num)) {
			cond_err(p, at, CE_TYPE, "'%s' is not a boolean (true or false)", v);
			return -EINVAL;
		}
		return 0;
	}
	n->str = v;
	n->slen = len;
	if (n->op == OP_BCONTAINS || n->op == OP_BSTARTSWITH) {
		char *bytes = arena_alloc(p->cx->arena, len / 2 + 1);

		if (!bytes)
			return cond_nomem(p), -ENOMEM;
		if (!len || len % 2) {
			cond_err(p, at, CE_SYNTAX,
				 "'%s' is not hex bytes (even number of hex digits)", v);
			return -EINVAL;
		}
		for (i = 0; i < len; i += 2) {
			int hi = hexval(v[i]), lo = hexval(v[i + 1]);

			if (hi < 0 || lo < 0) {
				cond_err(p, at, CE_SYNTAX, "'%s' is not hex bytes", v);
				return -EINVAL;
			}
			bytes[i / 2] = (char)(hi << 4 | lo);
		}
		n->str = bytes;
		n->slen = len / 2;
		if (memchr(bytes, 0, n->slen)) {
			cond_err(p, at, CE_SYNTAX, "NUL bytes cannot match a string field");
			return -EINVAL;
		}
	} else if (n->op == OP_REGEX) {
		/* Falco anchors regexes at both ends (RE2 ANCHOR_BOTH). */
		pat = arena_alloc(p->cx->arena, len + 5);
		if (!pat)
			return cond_nomem(p), -ENOMEM;
		snprintf(pat, len + 5, "^(%s)$", v);
		n->re = arena_regex(p->cx->arena, pat, REG_EXTENDED | REG_NOSUB, &rc);
		if (!n->re) {
			char why[128];
			regex_t dummy;

			memset(&dummy, 0, sizeof(dummy));
			regerror(rc, &dummy, why, sizeof(why));
			cond_err(p, at, CE_SYNTAX, "invalid regex '%s': %s", v, why);
			return -EINVAL;
		}
	}
	return 0;
}

int cond_set_list_operand(struct cparser *p, struct cnode *n, enum field_type type,
			  struct strvec *sv, size_t at)
{
	size_t i, out = 0;

	if (type == FT_INT) {
		n->iset = arena_alloc(p->cx->arena, (sv->n + 1) * sizeof(*n->iset));
		if (!n->iset)
			return cond_nomem(p), -ENOMEM;
		for (i = 0; i < sv->n; i++) {
			if (!cond_parse_int(sv->v[i], &n->iset[i])) {
				cond_err(p, at, CE_TYPE, "list item '%s' is not an integer",
					 sv->v[i]);
				return -EINVAL;
			}
		}
		qsort(n->iset, sv->n, sizeof(*n->iset), cond_cmp_i64);
		n->nset = sv->n;
		return 0;
	}
	n->set = sv->v;
	n->nset = sv->n;
	if (n->op == OP_PMATCH || !sv->n)
		return 0;
	qsort(sv->v, sv->n, sizeof(*sv->v), cond_cmp_str_sorted);
	for (i = 0; i < sv->n; i++)
		if (!out || strcmp(sv->v[out - 1], sv->v[i]))
			sv->v[out++] = sv->v[i];
	n->nset = out;
	return 0;
}

/* evt.num is unknown here but is >= 1 for every Falco event: fold comparisons with <= 0. */
struct cnode *cond_fold_evt_num(struct cparser *p, struct cnode *n)
{
	bool v;

	if (n->op > OP_GE || n->num > 0)
		return n;
	switch (n->op) {
	case OP_NE:
	case OP_GT:
	case OP_GE:
		v = true;
		break;
	default:
		v = false;
	}
	n->kind = v ? N_TRUE : N_FALSE;
	(void)p;
	return n;
}
