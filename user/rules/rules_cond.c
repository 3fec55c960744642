/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Conditions: Falco's filter language parsed straight into compiled nodes
 * (fields by id, lists as sorted arrays, regexes compiled once), macros
 * expanded once and shared, and the evaluator that runs per event.
 *
 * Precedence as in Falco: not > and > or. A check is `field op value`,
 * `field exists`, or a macro name.
 */
#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rules_internal.h"
#include "event/shells.h"

struct cparser {
	struct cctx *cx;
	const struct src_text *t;
	const char *s;
	size_t len, pos;
	int depth, max_depth;
	size_t weight;
};

static struct cnode *perr(struct cparser *p, size_t off, enum cerr_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static struct cnode *perr(struct cparser *p, size_t off, enum cerr_kind kind, const char *fmt, ...)
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

static struct cnode *nomem(struct cparser *p)
{
	return perr(p, p->pos, CE_NOMEM, "out of memory");
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

static void skip_ws(struct cparser *p)
{
	while (p->pos < p->len && isspace((unsigned char)p->s[p->pos]))
		p->pos++;
}

static bool ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '.' || c == '-';
}

static size_t word_len(const struct cparser *p, size_t at)
{
	size_t n = 0;

	while (at + n < p->len && ident_char(p->s[at + n]))
		n++;
	return n;
}

/* Is the word at pos exactly kw (not a prefix of a longer word)? */
static bool at_keyword(const struct cparser *p, const char *kw)
{
	size_t n = strlen(kw);

	return word_len(p, p->pos) == n && !strncmp(p->s + p->pos, kw, n);
}

/* Short excerpt of what stands at off, for messages. */
static const char *excerpt(const struct cparser *p, size_t off, char *buf, size_t len)
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
static char *scan_value(struct cparser *p, bool in_list, bool *quoted)
{
	size_t start = p->pos, n = 0;
	char q, *out;

	*quoted = false;
	if (p->pos < p->len && (p->s[p->pos] == '"' || p->s[p->pos] == '\'')) {
		q = p->s[p->pos++];
		out = arena_alloc(p->cx->arena, p->len - p->pos + 1);
		if (!out)
			return nomem(p), NULL;
		while (p->pos < p->len && p->s[p->pos] != q) {
			if (p->s[p->pos] == '\\' && p->pos + 1 < p->len &&
			    (p->s[p->pos + 1] == q || p->s[p->pos + 1] == '\\'))
				p->pos++;
			out[n++] = p->s[p->pos++];
		}
		if (p->pos >= p->len) {
			perr(p, start, CE_SYNTAX, "unterminated quoted string");
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

		perr(p, start, CE_SYNTAX, "expected a value, found '%s'", excerpt(p, start, ex, sizeof(ex)));
		return NULL;
	}
	out = arena_strndup(p->cx->arena, p->s + start, p->pos - start);
	if (!out)
		nomem(p);
	return out;
}

/* ---- lists ---- */

struct strvec {
	const char **v;
	size_t n, cap;
};

static int strvec_push(struct arena *a, struct strvec *sv, const char *s)
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

static const struct list_def *find_list(const struct cctx *cx, const char *name)
{
	size_t i;

	for (i = cx->nlists; i-- > 0;)
		if (!strcmp(cx->lists[i].name, name))
			return &cx->lists[i];
	return NULL;
}

static int find_macro(const struct cctx *cx, const char *name, size_t len)
{
	size_t i;

	for (i = cx->nmacros; i-- > 0;)
		if (strlen(cx->macros[i].name) == len && !strncmp(cx->macros[i].name, name, len))
			return (int)i;
	return -1;
}

/* Add item, expanding list names (lists may name lists) with cycle detection. */
static int add_item(struct cparser *p, struct strvec *sv, const char *item, bool expand,
		    size_t off, const struct list_def **stack, int depth)
{
	const struct list_def *l = expand ? find_list(p->cx, item) : NULL;
	size_t i;
	int k;

	if (!l) {
		if (sv->n >= RULES_MAX_LIST_ITEMS) {
			perr(p, off, CE_LIMIT, "list has more than %d items", RULES_MAX_LIST_ITEMS);
			return -E2BIG;
		}
		return strvec_push(p->cx->arena, sv, item) ? (nomem(p), -ENOMEM) : 0;
	}
	for (k = 0; k < depth; k++) {
		if (stack[k] == l) {
			perr(p, off, CE_CYCLE, "list '%s' refers to itself", l->name);
			return -ELOOP;
		}
	}
	if (depth >= 32) {
		perr(p, off, CE_LIMIT, "lists nested too deeply at '%s'", l->name);
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

static int parse_list(struct cparser *p, struct strvec *sv)
{
	const struct list_def *stack[32];
	size_t start;
	bool quoted;
	char *item;

	skip_ws(p);
	start = p->pos;
	if (p->pos < p->len && p->s[p->pos] != '(') {
		/* a list name without parentheses */
		size_t n = word_len(p, p->pos);
		char ex[32];

		if (!n) {
			perr(p, start, CE_SYNTAX, "expected '(' or a list name, found '%s'",
			     excerpt(p, start, ex, sizeof(ex)));
			return -EINVAL;
		}
		item = arena_strndup(p->cx->arena, p->s + start, n);
		if (!item)
			return nomem(p), -ENOMEM;
		p->pos += n;
		if (!find_list(p->cx, item)) {
			perr(p, start, CE_UNDEFINED, "undefined list '%s'", item);
			return -ENOENT;
		}
		return add_item(p, sv, item, true, start, stack, 0);
	}
	if (p->pos >= p->len) {
		perr(p, start, CE_SYNTAX, "expected '(' or a list name, found end of condition");
		return -EINVAL;
	}
	p->pos++;
	skip_ws(p);
	if (p->pos < p->len && p->s[p->pos] == ')') {
		p->pos++;
		return 0;
	}
	for (;;) {
		size_t at;
		int rc;

		skip_ws(p);
		at = p->pos;
		item = scan_value(p, true, &quoted);
		if (!item)
			return -EINVAL;
		rc = add_item(p, sv, item, !quoted, at, stack, 0);
		if (rc)
			return rc;
		skip_ws(p);
		if (p->pos < p->len && p->s[p->pos] == ',') {
			p->pos++;
			continue;
		}
		if (p->pos < p->len && p->s[p->pos] == ')') {
			p->pos++;
			return 0;
		}
		perr(p, p->pos < p->len ? p->pos : start, CE_SYNTAX,
		     p->pos < p->len ? "expected ',' or ')' in list" : "unterminated list: missing ')'");
		return -EINVAL;
	}
}

/* ---- comparisons ---- */

static const struct {
	const char *name;
	enum cmp_op op;
} op_names[] = {
	{ "=", OP_EQ },
	{ "==", OP_EQ },
	{ "!=", OP_NE },
	{ "<", OP_LT },
	{ "<=", OP_LE },
	{ ">", OP_GT },
	{ ">=", OP_GE },
	{ "contains", OP_CONTAINS },
	{ "icontains", OP_ICONTAINS },
	{ "bcontains", OP_BCONTAINS },
	{ "startswith", OP_STARTSWITH },
	{ "bstartswith", OP_BSTARTSWITH },
	{ "endswith", OP_ENDSWITH },
	{ "in", OP_IN },
	{ "intersects", OP_INTERSECTS },
	{ "pmatch", OP_PMATCH },
	{ "glob", OP_GLOB },
	{ "iglob", OP_IGLOB },
	{ "regex", OP_REGEX },
	{ "exists", OP_EXISTS },
};

static bool op_is_list(enum cmp_op op)
{
	return op == OP_IN || op == OP_INTERSECTS || op == OP_PMATCH;
}

static bool op_valid_for(enum cmp_op op, enum field_type t)
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

static int cmp_str_sorted(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static bool parse_int(const char *s, int64_t *out)
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
		return n->nset && bsearch(&s, n->set, n->nset, sizeof(*n->set), cmp_str_sorted);
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
		return n->nset && bsearch(&v, n->iset, n->nset, sizeof(*n->iset), cmp_i64);
	case OP_EXISTS:
		return true;
	default:
		return false;
	}
}

static bool cmp_value(const struct cnode *n, const struct field_value *v)
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
static const struct {
	const char *name;
	enum field_type type;
	const char *s;
	int64_t i;
} const_fields[] = {
	{ "evt.dir", FT_STRING, "<", 0 },
	{ "evt.res", FT_STRING, "SUCCESS", 0 },
	{ "evt.rawres", FT_INT, NULL, 0 },
	{ "evt.failed", FT_BOOL, NULL, 0 },
	{ "evt.arg.res", FT_INT, NULL, 0 },
	{ "evt.rawarg.res", FT_INT, NULL, 0 },
};

struct field_spec {
	const struct field_def *def; /* NULL for a constant field */
	enum field_type type;
	int index;
	bool any_ancestor;
	int konst; /* index in const_fields, or -1 */
};

static int parse_field(struct cparser *p, size_t start, size_t nlen, struct field_spec *fs)
{
	char name[96];
	size_t i, pos = start + nlen;
	const char *idx = NULL;
	size_t idxlen = 0;

	if (nlen >= sizeof(name) - 1)
		return perr(p, start, CE_SYNTAX, "field name too long"), -EINVAL;
	memcpy(name, p->s + start, nlen);
	name[nlen] = '\0';
	if (pos < p->len && p->s[pos] == '[') {
		idx = p->s + pos + 1;
		while (pos < p->len && p->s[pos] != ']')
			pos++;
		if (pos >= p->len)
			return perr(p, start, CE_SYNTAX, "missing ']' after '%s['", name), -EINVAL;
		idxlen = (size_t)(p->s + pos - idx);
		pos++;
	}
	p->pos = pos;
	fs->index = -1;
	fs->any_ancestor = false;
	fs->konst = -1;
	fs->def = field_lookup(name);
	if (!fs->def) {
		for (i = 0; i < sizeof(const_fields) / sizeof(const_fields[0]); i++)
			if (!strcmp(const_fields[i].name, name) && !idx) {
				fs->konst = (int)i;
				fs->type = const_fields[i].type;
				return 0;
			}
		return perr(p, start, CE_UNSUPPORTED, "unsupported field '%.*s'",
			    (int)(pos - start), p->s + start), -EINVAL;
	}
	fs->type = fs->def->type;
	if (idx) {
		char num[16];
		int64_t v;

		if (!fs->def->indexed)
			return perr(p, start, CE_SYNTAX, "field '%s' takes no index", name), -EINVAL;
		if (!idxlen || idxlen >= sizeof(num))
			return perr(p, start, CE_SYNTAX, "bad index for '%s'", name), -EINVAL;
		memcpy(num, idx, idxlen);
		num[idxlen] = '\0';
		if (!parse_int(num, &v) || v < 0 || v > RULES_MAX_INDEX)
			return perr(p, start, CE_SYNTAX, "index of '%s' must be 0..%d", name,
				    RULES_MAX_INDEX), -EINVAL;
		fs->index = (int)v;
	} else if (fs->def->indexed) {
		fs->any_ancestor = true;
	}
	return 0;
}

static int set_operand(struct cparser *p, struct cnode *n, enum field_type type, const char *v,
		       size_t at)
{
	char *pat;
	size_t i, len = strlen(v);
	int rc;

	if (type == FT_INT) {
		if (!parse_int(v, &n->num)) {
			perr(p, at, CE_TYPE, "'%s' is not an integer", v);
			return -EINVAL;
		}
		return 0;
	}
	if (type == FT_BOOL) {
		if (!parse_bool(v, &n->num)) {
			perr(p, at, CE_TYPE, "'%s' is not a boolean (true or false)", v);
			return -EINVAL;
		}
		return 0;
	}
	n->str = v;
	n->slen = len;
	if (n->op == OP_BCONTAINS || n->op == OP_BSTARTSWITH) {
		char *bytes = arena_alloc(p->cx->arena, len / 2 + 1);

		if (!bytes)
			return nomem(p), -ENOMEM;
		if (!len || len % 2) {
			perr(p, at, CE_SYNTAX, "'%s' is not hex bytes (even number of hex digits)", v);
			return -EINVAL;
		}
		for (i = 0; i < len; i += 2) {
			int hi = hexval(v[i]), lo = hexval(v[i + 1]);

			if (hi < 0 || lo < 0) {
				perr(p, at, CE_SYNTAX, "'%s' is not hex bytes", v);
				return -EINVAL;
			}
			bytes[i / 2] = (char)(hi << 4 | lo);
		}
		n->str = bytes;
		n->slen = len / 2;
		if (memchr(bytes, 0, n->slen)) {
			perr(p, at, CE_SYNTAX, "NUL bytes cannot match a string field");
			return -EINVAL;
		}
	} else if (n->op == OP_REGEX) {
		/* Falco anchors regexes at both ends (RE2 ANCHOR_BOTH). */
		pat = arena_alloc(p->cx->arena, len + 5);
		if (!pat)
			return nomem(p), -ENOMEM;
		snprintf(pat, len + 5, "^(%s)$", v);
		n->re = arena_regex(p->cx->arena, pat, REG_EXTENDED | REG_NOSUB, &rc);
		if (!n->re) {
			char why[128];
			regex_t dummy;

			memset(&dummy, 0, sizeof(dummy));
			regerror(rc, &dummy, why, sizeof(why));
			perr(p, at, CE_SYNTAX, "invalid regex '%s': %s", v, why);
			return -EINVAL;
		}
	}
	return 0;
}

static int set_list_operand(struct cparser *p, struct cnode *n, enum field_type type,
			    struct strvec *sv, size_t at)
{
	size_t i, out = 0;

	if (type == FT_INT) {
		n->iset = arena_alloc(p->cx->arena, (sv->n + 1) * sizeof(*n->iset));
		if (!n->iset)
			return nomem(p), -ENOMEM;
		for (i = 0; i < sv->n; i++) {
			if (!parse_int(sv->v[i], &n->iset[i])) {
				perr(p, at, CE_TYPE, "list item '%s' is not an integer", sv->v[i]);
				return -EINVAL;
			}
		}
		qsort(n->iset, sv->n, sizeof(*n->iset), cmp_i64);
		n->nset = sv->n;
		return 0;
	}
	n->set = sv->v;
	n->nset = sv->n;
	if (n->op == OP_PMATCH || !sv->n)
		return 0;
	qsort(sv->v, sv->n, sizeof(*sv->v), cmp_str_sorted);
	for (i = 0; i < sv->n; i++)
		if (!out || strcmp(sv->v[out - 1], sv->v[i]))
			sv->v[out++] = sv->v[i];
	n->nset = out;
	return 0;
}

/* evt.num is unknown here but is >= 1 for every Falco event: fold comparisons with <= 0. */
static struct cnode *fold_evt_num(struct cparser *p, struct cnode *n)
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

static struct cnode *parse_compare(struct cparser *p, size_t start, size_t nlen)
{
	struct field_spec fs;
	struct cnode *n;
	size_t opstart, oplen, i, at;
	enum cmp_op op = OP_EQ;
	bool found = false, quoted;
	char ex[32];

	if (parse_field(p, start, nlen, &fs))
		return NULL;
	skip_ws(p);
	opstart = p->pos;
	if (p->pos < p->len && strchr("=!<>", p->s[p->pos])) {
		/* longest symbol first, so "evt.dir=<" reads as "=" then "<" */
		oplen = opstart + 1 < p->len && p->s[opstart + 1] == '=' ? 2 : 1;
	} else {
		oplen = word_len(p, opstart);
	}
	for (i = 0; i < sizeof(op_names) / sizeof(op_names[0]) && oplen; i++) {
		if (strlen(op_names[i].name) == oplen &&
		    !strncmp(op_names[i].name, p->s + opstart, oplen)) {
			op = op_names[i].op;
			found = true;
		}
	}
	if (!found)
		return perr(p, opstart, CE_SYNTAX, "expected an operator after '%.*s', found '%s'",
			    (int)nlen, p->s + start, excerpt(p, opstart, ex, sizeof(ex)));
	p->pos = opstart + oplen;
	if (!op_valid_for(op, fs.type))
		return perr(p, opstart, CE_TYPE, "operator '%.*s' is not valid for %s field '%.*s'",
			    (int)oplen, p->s + opstart,
			    fs.type == FT_INT ? "integer" : "boolean", (int)nlen, p->s + start);
	n = cnode_new(p->cx->arena, N_CMP, 0);
	if (!n)
		return nomem(p);
	n->op = op;
	n->field = fs.def ? fs.def->id : F_EVT_TYPE;
	n->index = fs.index;
	n->any_ancestor = fs.any_ancestor;
	if (op != OP_EXISTS) {
		skip_ws(p);
		at = p->pos;
		if (op_is_list(op)) {
			struct strvec sv = { 0 };

			if (parse_list(p, &sv) || set_list_operand(p, n, fs.type, &sv, at))
				return NULL;
		} else {
			char *v;

			if (p->pos < p->len && p->s[p->pos] == '(')
				return perr(p, at, CE_SYNTAX, "operator '%.*s' takes one value, not a list",
					    (int)oplen, p->s + opstart);
			v = scan_value(p, false, &quoted);
			if (!v || set_operand(p, n, fs.type, v, at))
				return NULL;
		}
	}
	if (fs.konst >= 0) {
		struct field_value cv = { .type = const_fields[fs.konst].type,
					  .s = const_fields[fs.konst].s,
					  .i = const_fields[fs.konst].i };

		n->kind = cmp_value(n, &cv) ? N_TRUE : N_FALSE;
		return n;
	}
	if (n->field == F_EVT_NUM)
		return fold_evt_num(p, n);
	return n;
}

static struct cnode *compile_macro(struct cparser *p, int idx, size_t at);
static struct cnode *parse_or(struct cparser *p);

static struct cnode *parse_primary(struct cparser *p)
{
	struct cnode *n;
	size_t start, nlen;
	char ex[32];
	int m;

	skip_ws(p);
	start = p->pos;
	if (p->pos < p->len && p->s[p->pos] == '(') {
		if (++p->depth > RULES_MAX_DEPTH)
			return perr(p, start, CE_LIMIT, "condition nested deeper than %d",
				    RULES_MAX_DEPTH);
		if (p->depth > p->max_depth)
			p->max_depth = p->depth;
		p->pos++;
		n = parse_or(p);
		if (!n)
			return NULL;
		skip_ws(p);
		if (p->pos >= p->len || p->s[p->pos] != ')')
			return perr(p, start, CE_SYNTAX, "unbalanced '(': missing ')'");
		p->pos++;
		p->depth--;
		return n;
	}
	nlen = word_len(p, start);
	if (!nlen || at_keyword(p, "and") || at_keyword(p, "or"))
		return perr(p, start, CE_SYNTAX, "expected a field, a macro or '(', found '%s'",
			    excerpt(p, start, ex, sizeof(ex)));
	if (start + nlen < p->len && p->s[start + nlen] == '(')
		return perr(p, start, CE_UNSUPPORTED, "unsupported function '%.*s()'", (int)nlen,
			    p->s + start);
	if (memchr(p->s + start, '.', nlen) || (start + nlen < p->len && p->s[start + nlen] == '['))
		return parse_compare(p, start, nlen);
	p->pos = start + nlen;
	m = find_macro(p->cx, p->s + start, nlen);
	if (m < 0) {
		char name[64];

		snprintf(name, sizeof(name), "%.*s", (int)(nlen < 60 ? nlen : 60), p->s + start);
		if (find_list(p->cx, name))
			return perr(p, start, CE_SYNTAX, "list '%s' used as a condition", name);
		return perr(p, start, CE_UNDEFINED, "undefined macro '%s'", name);
	}
	return compile_macro(p, m, start);
}

static struct cnode *parse_not(struct cparser *p)
{
	struct cnode *n, *kid;

	skip_ws(p);
	if (!at_keyword(p, "not"))
		return parse_primary(p);
	p->pos += 3;
	if (++p->depth > RULES_MAX_DEPTH)
		return perr(p, p->pos, CE_LIMIT, "condition nested deeper than %d", RULES_MAX_DEPTH);
	if (p->depth > p->max_depth)
		p->max_depth = p->depth;
	kid = parse_not(p);
	p->depth--;
	if (!kid)
		return NULL;
	n = cnode_new(p->cx->arena, N_NOT, 1);
	if (!n)
		return nomem(p);
	n->kids[0] = kid;
	n->nkids = 1;
	p->weight++;
	return n;
}

static struct cnode *parse_chain(struct cparser *p, enum node_kind kind)
{
	const char *kw = kind == N_AND ? "and" : "or";
	struct strvec kids = { 0 };
	struct cnode *n, *kid;

	for (;;) {
		kid = kind == N_AND ? parse_not(p) : parse_chain(p, N_AND);
		if (!kid)
			return NULL;
		if (strvec_push(p->cx->arena, &kids, (const char *)kid))
			return nomem(p);
		if (++p->weight > RULES_MAX_WEIGHT)
			return perr(p, p->pos, CE_LIMIT, "condition larger than %d nodes",
				    RULES_MAX_WEIGHT);
		skip_ws(p);
		if (!at_keyword(p, kw))
			break;
		p->pos += strlen(kw);
	}
	if (kids.n == 1)
		return (struct cnode *)kids.v[0];
	n = cnode_new(p->cx->arena, kind, 0);
	if (!n)
		return nomem(p);
	n->kids = (struct cnode **)kids.v;
	n->nkids = kids.n;
	return n;
}

static struct cnode *parse_or(struct cparser *p)
{
	return parse_chain(p, N_OR);
}

static struct cnode *parse_all(struct cctx *cx, const struct src_text *t, size_t *weight,
			       int *depth)
{
	struct cparser p = { .cx = cx, .t = t, .s = t->text, .len = t->len };
	struct cnode *n;
	char ex[32];

	skip_ws(&p);
	if (p.pos >= p.len)
		return perr(&p, 0, CE_SYNTAX, "empty condition");
	n = parse_or(&p);
	if (!n)
		return NULL;
	skip_ws(&p);
	if (p.pos < p.len) {
		if (p.s[p.pos] == ')')
			return perr(&p, p.pos, CE_SYNTAX, "unbalanced ')'");
		return perr(&p, p.pos, CE_SYNTAX, "expected 'and', 'or' or end of condition, found '%s'",
			    excerpt(&p, p.pos, ex, sizeof(ex)));
	}
	if (weight)
		*weight = p.weight;
	if (depth)
		*depth = p.max_depth;
	return n;
}

static struct cnode *compile_macro(struct cparser *p, int idx, size_t at)
{
	struct macro_memo *m = &p->cx->memo[idx];
	const struct macro_def *def = &p->cx->macros[idx];

	if (m->state == 1)
		return perr(p, at, CE_CYCLE, "reference cycle through macro '%s'",
			    def->name);
	if (m->state == 0) {
		m->state = 1;
		m->node = parse_all(p->cx, &def->cond, &m->weight, &m->depth);
		m->depth++;
		if (!m->node) {
			m->state = 3;
			m->err = p->cx->err;
			return NULL;
		}
		m->state = 2;
	}
	if (m->state == 3) {
		if (p->cx->err.kind == CE_NONE)
			p->cx->err = m->err;
		return NULL;
	}
	if (p->depth + m->depth > RULES_MAX_DEPTH)
		return perr(p, at, CE_LIMIT, "macros nested deeper than %d", RULES_MAX_DEPTH);
	if (p->depth + m->depth > p->max_depth)
		p->max_depth = p->depth + m->depth;
	p->weight += m->weight;
	if (p->weight > RULES_MAX_WEIGHT)
		return perr(p, at, CE_LIMIT, "condition larger than %d nodes after macro expansion",
			    RULES_MAX_WEIGHT);
	return m->node;
}

struct cnode *cond_compile(struct cctx *cx, const struct src_text *t, size_t *weight, int *depth)
{
	return parse_all(cx, t, weight, depth);
}

static void quote_into(char *buf, size_t len, size_t *used, const char *s)
{
	if (*used < len)
		buf[(*used)++] = '"';
	for (; *s && *used + 2 < len; s++) {
		if (*s == '"' || *s == '\\')
			buf[(*used)++] = '\\';
		buf[(*used)++] = *s;
	}
	if (*used < len)
		buf[(*used)++] = '"';
}

/* Exceptions become ordinary comparisons: build the text, parse it. */
struct cnode *cond_compile_check(struct cctx *cx, const char *field, const char *comp,
				 const struct exc_item *val, const char *file, int line, int col)
{
	static const struct src_file nofile = { 0 };
	struct src_file *f;
	struct src_text t = { 0 };
	size_t len = strlen(field) + strlen(comp) + 16, used = 0, i;
	bool list = !strcmp(comp, "in") || !strcmp(comp, "intersects") || !strcmp(comp, "pmatch");
	char *buf;
	int n;

	if (val->is_list)
		for (i = 0; i < val->n; i++)
			len += 2 * strlen(val->items[i]) + 4;
	else
		len += 2 * strlen(val->s) + 4;
	buf = arena_alloc(cx->arena, len);
	f = arena_alloc(cx->arena, sizeof(*f));
	if (!buf || !f) {
		cx->err.kind = CE_NOMEM;
		snprintf(cx->err.pos.msg, sizeof(cx->err.pos.msg), "out of memory");
		return NULL;
	}
	*f = nofile;
	f->name = file;
	n = snprintf(buf, len, "%s %s ", field, comp);
	used = (size_t)n;
	if (list && val->is_list) {
		buf[used++] = '(';
		for (i = 0; i < val->n; i++) {
			if (i)
				buf[used++] = ',';
			/* items naming a list expand, as in Falco; others are literal */
			if (find_list(cx, val->items[i]) && !strpbrk(val->items[i], " \t(),\"'"))
				used += (size_t)snprintf(buf + used, len - used, "%s", val->items[i]);
			else
				quote_into(buf, len, &used, val->items[i]);
		}
		buf[used++] = ')';
	} else if (list) {
		/* a scalar with a list comparator may name a list */
		buf[used++] = '(';
		if (find_list(cx, val->s) && !strpbrk(val->s, " \t(),\"'"))
			used += (size_t)snprintf(buf + used, len - used, "%s", val->s);
		else
			quote_into(buf, len, &used, val->s);
		buf[used++] = ')';
	} else if (val->is_list) {
		cx->err.kind = CE_SYNTAX;
		snprintf(cx->err.pos.file, sizeof(cx->err.pos.file), "%s", file);
		cx->err.pos.line = line;
		cx->err.pos.col = col;
		snprintf(cx->err.pos.msg, sizeof(cx->err.pos.msg),
			 "comparator '%s' takes one value, not a list", comp);
		return NULL;
	} else {
		quote_into(buf, len, &used, val->s);
	}
	buf[used] = '\0';
	t.text = buf;
	t.len = used;
	t.npieces = 1;
	t.pieces[0].file = f;
	t.pieces[0].line = line;
	t.pieces[0].col = col;
	return parse_all(cx, &t, NULL, NULL);
}

/* ---- prefilter analysis ---- */

static void names_add(struct name_set *s, const char *name)
{
	char key[SS_NAME_KEY_LEN];
	size_t i;

	if (s->any || !name[0])
		return;
	/* comm holds 15 bytes: names compare on that prefix in the kernel */
	snprintf(key, sizeof(key), "%s", name);
	for (i = 0; i < s->n; i++)
		if (!strcmp(s->names[i], key))
			return;
	if (s->n >= PREFILTER_MAX_NAMES) {
		s->any = true;
		return;
	}
	memcpy(s->names[s->n++], key, sizeof(key));
}

static const char *base_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static void cmp_names(const struct cnode *n, struct name_set *out)
{
	bool name_field = n->field == F_PROC_NAME || n->field == F_SS_EXE_NAME ||
			  n->field == F_SS_SHELL ||
			  (n->field == F_PROC_ANAME && n->index == 0);
	size_t i;

	out->any = true;
	/* exe flags render "0" when neither is set: what fails on "0" needs one */
	if (n->field == F_EVT_ARG_FLAGS && !n->any_ancestor) {
		if (!cmp_str(n, "0")) {
			out->any = false;
			out->exe_drift = true;
		}
		return;
	}
	if (n->field == F_SS_SHELL && n->op == OP_NE && !n->str[0]) {
		out->any = false;
		for (i = 0; i < ss_shell_count; i++)
			names_add(out, ss_shell_names[i]);
		return;
	}
	if (!name_field && n->field != F_PROC_EXEPATH)
		return;
	if (n->op == OP_EQ) {
		out->any = false;
		names_add(out, n->field == F_PROC_EXEPATH ? base_of(n->str) : n->str);
	} else if (n->op == OP_IN || n->op == OP_INTERSECTS) {
		out->any = false;
		for (i = 0; i < n->nset; i++)
			names_add(out, n->field == F_PROC_EXEPATH ? base_of(n->set[i]) : n->set[i]);
	}
}

/*
 * The names an exec must carry (comm, exe file name, interpreter or applet)
 * for n to hold; any = no such restriction. Over-approximates, never under.
 */
int cnode_names(const struct cnode *n, struct name_set *out)
{
	struct name_set *tmp = NULL;
	size_t i, j;
	int rc = 0;

	out->any = false;
	out->exe_drift = false;
	out->n = 0;
	switch (n->kind) {
	case N_FALSE:
		return 0;
	case N_TRUE:
	case N_NOT:
		out->any = true;
		return 0;
	case N_CMP:
		cmp_names(n, out);
		return 0;
	case N_AND:
	case N_OR:
		break;
	}
	tmp = malloc(sizeof(*tmp));
	if (!tmp)
		return -ENOMEM;
	out->any = n->kind == N_AND;
	for (i = 0; i < n->nkids; i++) {
		rc = cnode_names(n->kids[i], tmp);
		if (rc)
			goto out;
		if (n->kind == N_AND) {
			/* one restricted conjunct is enough; keep the narrowest */
			if (!tmp->any && (out->any || tmp->n < out->n))
				memcpy(out, tmp, sizeof(*out));
		} else if (tmp->any) {
			out->any = true;
			break;
		} else {
			out->exe_drift |= tmp->exe_drift;
			for (j = 0; j < tmp->n && !out->any; j++)
				names_add(out, tmp->names[j]);
			if (out->any)
				break;
		}
	}
out:
	free(tmp);
	return rc;
}

static bool set_has(const struct cnode *n, const char *s)
{
	return n->nset && bsearch(&s, n->set, n->nset, sizeof(*n->set), cmp_str_sorted);
}

/* Does n (or its negation) only hold for container processes? */
bool cnode_needs_container(const struct cnode *n, bool negated)
{
	bool conj;
	size_t i;

	switch (n->kind) {
	case N_TRUE:
		return negated;
	case N_FALSE:
		return !negated;
	case N_NOT:
		return cnode_needs_container(n->kids[0], !negated);
	case N_AND:
	case N_OR:
		/* and: one conjunct suffices; or: every branch must need it (De Morgan when negated) */
		conj = (n->kind == N_AND) != negated;
		for (i = 0; i < n->nkids; i++) {
			bool k = cnode_needs_container(n->kids[i], negated);

			if (conj && k)
				return true;
			if (!conj && !k)
				return false;
		}
		return !conj;
	case N_CMP:
		if (n->field != F_CONTAINER_ID && n->field != F_CONTAINER_RUNTIME)
			return false;
		if (!negated) {
			if (n->op == OP_NE)
				return !strcmp(n->str, "host");
			if (n->op == OP_EQ)
				return strcmp(n->str, "host") != 0;
			if (n->op == OP_IN || n->op == OP_INTERSECTS)
				return !set_has(n, "host");
			return false;
		}
		if (n->op == OP_EQ)
			return !strcmp(n->str, "host");
		if (n->op == OP_IN || n->op == OP_INTERSECTS)
			return set_has(n, "host");
		return false;
	}
	return false;
}

/* Compile macro idx on its own (validation of macros no rule uses yet). */
struct cnode *cond_compile_macro(struct cctx *cx, size_t idx)
{
	struct cparser p = { .cx = cx, .t = &cx->macros[idx].cond, .s = cx->macros[idx].cond.text,
			     .len = cx->macros[idx].cond.len };

	return compile_macro(&p, (int)idx, 0);
}
