// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Conditions: Falco's filter language parsed straight into compiled nodes (fields by
 * id, lists as sorted arrays, regexes compiled once), macros expanded once and shared.
 * Precedence as in Falco: not > and > or. A check is `field op value`, `field exists`,
 * or a macro name.
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

static const struct {
	const char *name;
	enum field_type type;
	const char *s;
	int64_t i;
} const_fields[] = {
	{"evt.dir", FT_STRING, "<", 0},	  {"evt.res", FT_STRING, "SUCCESS", 0},
	{"evt.rawres", FT_INT, NULL, 0},  {"evt.failed", FT_BOOL, NULL, 0},
	{"evt.arg.res", FT_INT, NULL, 0}, {"evt.rawarg.res", FT_INT, NULL, 0},
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
		return cond_err(p, start, CE_SYNTAX, "field name too long"), -EINVAL;
	memcpy(name, p->s + start, nlen);
	name[nlen] = '\0';
	if (pos < p->len && p->s[pos] == '[') {
		idx = p->s + pos + 1;
		while (pos < p->len && p->s[pos] != ']')
			pos++;
		if (pos >= p->len)
			return cond_err(p, start, CE_SYNTAX, "missing ']' after '%s['", name),
			       -EINVAL;
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
		if (p->cx->err.kind == CE_NONE)
			snprintf(p->cx->err.field, sizeof(p->cx->err.field), "%.63s", name);
		return cond_err(p, start, CE_UNSUPPORTED, "unsupported field '%.*s'",
				(int)(pos - start), p->s + start),
		       -EINVAL;
	}
	fs->type = fs->def->type;
	if (idx) {
		char num[16];
		int64_t v;

		if (!fs->def->indexed)
			return cond_err(p, start, CE_SYNTAX, "field '%s' takes no index", name),
			       -EINVAL;
		if (!idxlen || idxlen >= sizeof(num))
			return cond_err(p, start, CE_SYNTAX, "bad index for '%s'", name), -EINVAL;
		memcpy(num, idx, idxlen);
		num[idxlen] = '\0';
		if (!cond_parse_int(num, &v) || v < 0 || v > RULES_MAX_INDEX)
			return cond_err(p, start, CE_SYNTAX, "index of '%s' must be 0..%d", name,
					RULES_MAX_INDEX),
			       -EINVAL;
		fs->index = (int)v;
	} else if (fs->def->indexed) {
		fs->any_ancestor = true;
	}
	return 0;
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
	cond_skip_ws(p);
	opstart = p->pos;
	if (p->pos < p->len && strchr("=!<>", p->s[p->pos])) {
		/* longest symbol first, so "evt.dir=<" reads as "=" then "<" */
		oplen = opstart + 1 < p->len && p->s[opstart + 1] == '=' ? 2 : 1;
	} else {
		oplen = cond_word_len(p, opstart);
	}
	for (i = 0; cond_op_names[i].name && oplen; i++) {
		if (strlen(cond_op_names[i].name) == oplen &&
		    !strncmp(cond_op_names[i].name, p->s + opstart, oplen)) {
			op = cond_op_names[i].op;
			found = true;
		}
	}
	if (!found)
		return cond_err(p, opstart, CE_SYNTAX,
				"expected an operator after '%.*s', found '%s'", (int)nlen,
				p->s + start, cond_excerpt(p, opstart, ex, sizeof(ex)));
	p->pos = opstart + oplen;
	if (!cond_op_valid_for(op, fs.type))
		return cond_err(p, opstart, CE_TYPE,
				"operator '%.*s' is not valid for %s field '%.*s'", (int)oplen,
				p->s + opstart, fs.type == FT_INT ? "integer" : "boolean",
				(int)nlen, p->s + start);
	n = cnode_new(p->cx->arena, N_CMP, 0);
	if (!n)
		return cond_nomem(p);
	n->op = op;
	n->field = fs.def ? fs.def->id : F_EVT_TYPE;
	n->index = fs.index;
	n->any_ancestor = fs.any_ancestor;
	if (op != OP_EXISTS) {
		cond_skip_ws(p);
		at = p->pos;
		if (cond_op_is_list(op)) {
			struct strvec sv = {0};

			if (cond_parse_list(p, &sv) ||
			    cond_set_list_operand(p, n, fs.type, &sv, at))
				return NULL;
		} else {
			char *v;

			if (p->pos < p->len && p->s[p->pos] == '(')
				return cond_err(p, at, CE_SYNTAX,
						"operator '%.*s' takes one value, not a list",
						(int)oplen, p->s + opstart);
			v = cond_scan_value(p, false, &quoted);
			if (!v || cond_set_operand(p, n, fs.type, v, at))
				return NULL;
		}
	}
	if (fs.konst >= 0) {
		struct field_value cv = {.type = const_fields[fs.konst].type,
					 .s = const_fields[fs.konst].s,
					 .i = const_fields[fs.konst].i};

		n->kind = cond_cmp_value(n, &cv) ? N_TRUE : N_FALSE;
		return n;
	}
	if (n->field == F_EVT_NUM)
		return cond_fold_evt_num(p, n);
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

	cond_skip_ws(p);
	start = p->pos;
	if (p->pos < p->len && p->s[p->pos] == '(') {
		if (++p->depth > RULES_MAX_DEPTH)
			return cond_err(p, start, CE_LIMIT, "condition nested deeper than %d",
					RULES_MAX_DEPTH);
		if (p->depth > p->max_depth)
			p->max_depth = p->depth;
		p->pos++;
		n = parse_or(p);
		if (!n)
			return NULL;
		cond_skip_ws(p);
		if (p->pos >= p->len || p->s[p->pos] != ')')
			return cond_err(p, start, CE_SYNTAX, "unbalanced '(': missing ')'");
		p->pos++;
		p->depth--;
		return n;
	}
	nlen = cond_word_len(p, start);
	if (!nlen || cond_at_keyword(p, "and") || cond_at_keyword(p, "or"))
		return cond_err(p, start, CE_SYNTAX, "expected a field, a macro or '(', found '%s'",
				cond_excerpt(p, start, ex, sizeof(ex)));
	if (start + nlen < p->len && p->s[start + nlen] == '(')
		return cond_err(p, start, CE_UNSUPPORTED, "unsupported function '%.*s()'",
				(int)nlen, p->s + start);
	if (memchr(p->s + start, '.', nlen) || (start + nlen < p->len && p->s[start + nlen] == '['))
		return parse_compare(p, start, nlen);
	p->pos = start + nlen;
	m = cond_find_macro(p->cx, p->s + start, nlen);
	if (m < 0) {
		char name[64];

		snprintf(name, sizeof(name), "%.*s", (int)(nlen < 60 ? nlen : 60), p->s + start);
		if (cond_find_list(p->cx, name))
			return cond_err(p, start, CE_SYNTAX, "list '%s' used as a condition", name);
		return cond_err(p, start, CE_UNDEFINED, "undefined macro '%s'", name);
	}
	return compile_macro(p, m, start);
}

static struct cnode *parse_not(struct cparser *p)
{
	struct cnode *n, *kid;

	cond_skip_ws(p);
	if (!cond_at_keyword(p, "not"))
		return parse_primary(p);
	p->pos += 3;
	if (++p->depth > RULES_MAX_DEPTH)
		return cond_err(p, p->pos, CE_LIMIT, "condition nested deeper than %d",
				RULES_MAX_DEPTH);
	if (p->depth > p->max_depth)
		p->max_depth = p->depth;
	kid = parse_not(p);
	p->depth--;
	if (!kid)
		return NULL;
	n = cnode_new(p->cx->arena, N_NOT, 1);
	if (!n)
		return cond_nomem(p);
	n->kids[0] = kid;
	n->nkids = 1;
	p->weight++;
	return n;
}

static struct cnode *parse_chain(struct cparser *p, enum node_kind kind)
{
	const char *kw = kind == N_AND ? "and" : "or";
	struct strvec kids = {0};
	struct cnode *n, *kid;

	for (;;) {
		kid = kind == N_AND ? parse_not(p) : parse_chain(p, N_AND);
		if (!kid)
			return NULL;
		if (cond_strvec_push(p->cx->arena, &kids, (const char *)kid))
			return cond_nomem(p);
		if (++p->weight > RULES_MAX_WEIGHT)
			return cond_err(p, p->pos, CE_LIMIT, "condition larger than %d nodes",
					RULES_MAX_WEIGHT);
		cond_skip_ws(p);
		if (!cond_at_keyword(p, kw))
			break;
		p->pos += strlen(kw);
	}
	if (kids.n == 1)
		return (struct cnode *)kids.v[0];
	n = cnode_new(p->cx->arena, kind, 0);
	if (!n)
		return cond_nomem(p);
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
	struct cparser p = {.cx = cx, .t = t, .s = t->text, .len = t->len};
	struct cnode *n;
	char ex[32];

	cond_skip_ws(&p);
	if (p.pos >= p.len)
		return cond_err(&p, 0, CE_SYNTAX, "empty condition");
	n = parse_or(&p);
	if (!n)
		return NULL;
	cond_skip_ws(&p);
	if (p.pos < p.len) {
		if (p.s[p.pos] == ')')
			return cond_err(&p, p.pos, CE_SYNTAX, "unbalanced ')'");
		return cond_err(&p, p.pos, CE_SYNTAX,
				"expected 'and', 'or' or end of condition, found '%s'",
				cond_excerpt(&p, p.pos, ex, sizeof(ex)));
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
		return cond_err(p, at, CE_CYCLE, "reference cycle through macro '%s'", def->name);
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
		return cond_err(p, at, CE_LIMIT, "macros nested deeper than %d", RULES_MAX_DEPTH);
	if (p->depth + m->depth > p->max_depth)
		p->max_depth = p->depth + m->depth;
	p->weight += m->weight;
	if (p->weight > RULES_MAX_WEIGHT)
		return cond_err(p, at, CE_LIMIT,
				"condition larger than %d nodes after macro expansion",
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
	static const struct src_file nofile = {0};
	struct src_file *f;
	struct src_text t = {0};
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
			if (cond_find_list(cx, val->items[i]) &&
			    !strpbrk(val->items[i], " \t(),\"'"))
				used += (size_t)snprintf(buf + used, len - used, "%s",
							 val->items[i]);
			else
				quote_into(buf, len, &used, val->items[i]);
		}
		buf[used++] = ')';
	} else if (list) {
		/* a scalar with a list comparator may name a list */
		buf[used++] = '(';
		if (cond_find_list(cx, val->s) && !strpbrk(val->s, " \t(),\"'"))
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

struct cnode *cond_compile_macro(struct cctx *cx, size_t idx)
{
	struct cparser p = {.cx = cx,
			    .t = &cx->macros[idx].cond,
			    .s = cx->macros[idx].cond.text,
			    .len = cx->macros[idx].cond.len};

	return compile_macro(&p, (int)idx, 0);
}
