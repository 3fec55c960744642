/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Rules files: YAML (libyaml, positions kept) -> lists, macros and rules,
 * merged across files as Falco does (redefine, append, override), then
 * compiled once. Also the public ruleset API: evaluation, outputs and the
 * kernel prefilter derived from the enabled rules.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "lib/file.h"
#include "lib/names.h"
#include "rules/rules_internal.h"

struct rule {
	const char *name;
	const char *desc;
	struct src_text cond;
	struct src_text output;
	enum priority prio;
	const char **tags;
	size_t ntags;
	bool enabled;
	bool skip_unknown;
	bool other_source;
	struct exc_def *excs;
	size_t nexcs;
	const char *file;
	int line, col;
	/* compiled */
	struct cnode *root;
	struct out_tmpl out;
};

struct ruleset {
	struct arena arena;
	struct rule **rules;
	size_t nrules;
	struct macro_def *macros;
	size_t nmacros;
	struct list_def *lists;
	size_t nlists;
	struct rule **active;
	size_t nactive;
	struct rules_summary sum;
};

struct condition {
	struct arena arena;
	struct cnode *root;
};

/* Falco's spelling first (printed), then the aliases Falco also reads. */
static const struct name_map priority_names[] = {
	{ PRIO_EMERGENCY, "Emergency" },
	{ PRIO_ALERT, "Alert" },
	{ PRIO_CRITICAL, "Critical" },
	{ PRIO_ERROR, "Error" },
	{ PRIO_WARNING, "Warning" },
	{ PRIO_NOTICE, "Notice" },
	{ PRIO_INFORMATIONAL, "Informational" },
	{ PRIO_DEBUG, "Debug" },
	{ PRIO_INFORMATIONAL, "info" },
	{ PRIO_WARNING, "warn" },
	{ PRIO_CRITICAL, "crit" },
	{ PRIO_ERROR, "err" },
	{ PRIO_EMERGENCY, "emerg" },
	{ 0, NULL },
};

const char *priority_name(enum priority p)
{
	const char *n = name_of(priority_names, (int)p);

	return n ? n : "Unknown";
}

int priority_from_string(const char *s, enum priority *out)
{
	int v;

	if (name_find(priority_names, s, true, &v))
		return -EINVAL;
	*out = (enum priority)v;
	return 0;
}

/* ---- loading ---- */

struct loader {
	struct ruleset *rs;
	struct rules_options opt;
	struct rules_error *err;
	FILE *warn;
	const struct src_file *file;
	yaml_document_t *doc;
	size_t caprules, capmacros, caplists;
};

static int lerr(struct loader *l, const yaml_node_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int lerr(struct loader *l, const yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;

	memset(l->err, 0, sizeof(*l->err));
	snprintf(l->err->file, sizeof(l->err->file), "%s", l->file ? l->file->name : "");
	if (n) {
		l->err->line = (int)n->start_mark.line + 1;
		l->err->col = (int)n->start_mark.column + 1;
	}
	va_start(ap, fmt);
	vsnprintf(l->err->msg, sizeof(l->err->msg), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int nomem(struct loader *l)
{
	memset(l->err, 0, sizeof(*l->err));
	snprintf(l->err->msg, sizeof(l->err->msg), "out of memory");
	return -ENOMEM;
}

static yaml_node_t *node_at(struct loader *l, int id)
{
	return yaml_document_get_node(l->doc, id);
}

static const char *node_kind_name(const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_SCALAR_NODE:
		return "a scalar";
	case YAML_SEQUENCE_NODE:
		return "a sequence";
	case YAML_MAPPING_NODE:
		return "a mapping";
	default:
		return "nothing";
	}
}

/* A scalar as an arena string; NUL bytes are refused (they would cut text). */
static int scalar(struct loader *l, const yaml_node_t *n, const char *what, const char **out)
{
	const char *v;

	if (!n || n->type != YAML_SCALAR_NODE)
		return lerr(l, n, "%s must be a string, not %s", what, n ? node_kind_name(n) : "nothing");
	v = (const char *)n->data.scalar.value;
	if (memchr(v, '\0', n->data.scalar.length))
		return lerr(l, n, "%s holds a NUL byte", what);
	*out = arena_strndup(&l->rs->arena, v, n->data.scalar.length);
	return *out ? 0 : nomem(l);
}

static int boolean(struct loader *l, const yaml_node_t *n, const char *what, bool *out)
{
	const char *v;

	if (!n || n->type != YAML_SCALAR_NODE)
		return lerr(l, n, "%s must be true or false", what);
	v = (const char *)n->data.scalar.value;
	if (!strcasecmp(v, "true") || !strcasecmp(v, "yes") || !strcasecmp(v, "on"))
		*out = true;
	else if (!strcasecmp(v, "false") || !strcasecmp(v, "no") || !strcasecmp(v, "off"))
		*out = false;
	else
		return lerr(l, n, "%s must be true or false, not '%.40s'", what, v);
	return 0;
}

/* Sequence of scalars (a single scalar counts as one item when allow_scalar). */
static int string_seq(struct loader *l, const yaml_node_t *n, const char *what,
		      bool allow_scalar, const char ***out, size_t *nout)
{
	yaml_node_item_t *it;
	const char **v;
	size_t i = 0, count;
	int rc;

	if (n && n->type == YAML_SCALAR_NODE && allow_scalar) {
		v = arena_alloc(&l->rs->arena, sizeof(*v));
		if (!v)
			return nomem(l);
		rc = scalar(l, n, what, &v[0]);
		if (rc)
			return rc;
		*out = v;
		*nout = 1;
		return 0;
	}
	if (!n || n->type != YAML_SEQUENCE_NODE)
		return lerr(l, n, "%s must be a list, not %s", what, n ? node_kind_name(n) : "nothing");
	count = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	if (count > RULES_MAX_LIST_ITEMS)
		return lerr(l, n, "%s has more than %d items", what, RULES_MAX_LIST_ITEMS);
	v = arena_alloc(&l->rs->arena, (count + 1) * sizeof(*v));
	if (!v)
		return nomem(l);
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		rc = scalar(l, node_at(l, *it), what, &v[i]);
		if (rc)
			return rc;
		i++;
	}
	*out = v;
	*nout = i;
	return 0;
}

static void piece_of(struct loader *l, const yaml_node_t *n, struct src_piece *p)
{
	memset(p, 0, sizeof(*p));
	p->file = l->file;
	p->line = (int)n->start_mark.line + 1;
	p->col = (int)n->start_mark.column + 1;
}

static int text_of(struct loader *l, const yaml_node_t *n, const char *what, bool append,
		   struct src_text *t)
{
	struct src_piece where;
	const char *s;
	int rc = scalar(l, n, what, &s);

	if (rc)
		return rc;
	if (!append)
		memset(t, 0, sizeof(*t));
	piece_of(l, n, &where);
	return src_text_append(&l->rs->arena, t, s, strlen(s), &where) ? nomem(l) : 0;
}

struct item_keys {
	const yaml_node_t *name_node;
	const yaml_node_t *vals[16];
	const yaml_node_t *keys[16];
};

/*
 * Map the item's keys onto the allowed ones (allowed[0] is the kind key).
 * Unknown keys are an error, or ignored with falco_compat (newer Falco keys).
 */
static int item_keys(struct loader *l, const yaml_node_t *item, const char *const *allowed,
		     size_t nallowed, struct item_keys *k)
{
	yaml_node_pair_t *pair;
	size_t i;

	memset(k, 0, sizeof(*k));
	for (pair = item->data.mapping.pairs.start; pair < item->data.mapping.pairs.top; pair++) {
		yaml_node_t *key = node_at(l, pair->key), *val = node_at(l, pair->value);
		const char *name;

		if (!key || key->type != YAML_SCALAR_NODE)
			return lerr(l, key ? key : item, "keys must be strings");
		name = (const char *)key->data.scalar.value;
		for (i = 0; i < nallowed; i++)
			if (!strcmp(name, allowed[i]))
				break;
		if (i == nallowed) {
			if (l->opt.falco_compat)
				continue;
			return lerr(l, key, "unknown key '%.60s' in %s", name, allowed[0]);
		}
		if (k->vals[i])
			return lerr(l, key, "duplicate key '%s'", name);
		k->vals[i] = val;
		k->keys[i] = key;
	}
	return 0;
}

enum merge { MERGE_NEW, MERGE_APPEND, MERGE_REPLACE };

/*
 * Falco's override: { key: append|replace } for keys the item also sets.
 * mode[i] gets the merge for allowed[i]. append: true is the legacy form.
 */
static int merge_modes(struct loader *l, const struct item_keys *k, const char *const *allowed,
		       size_t nallowed, size_t i_append, size_t i_override,
		       const char *const *appendable, const char *const *replaceable,
		       enum merge *mode, bool *merging)
{
	const yaml_node_t *ov = k->vals[i_override];
	bool legacy = false;
	yaml_node_pair_t *pair;
	size_t i;
	int rc;

	*merging = false;
	for (i = 0; i < nallowed; i++)
		mode[i] = MERGE_NEW;
	if (k->vals[i_append]) {
		rc = boolean(l, k->vals[i_append], "append", &legacy);
		if (rc)
			return rc;
	}
	if (legacy && ov)
		return lerr(l, k->keys[i_append], "'append' and 'override' cannot be combined");
	if (legacy) {
		for (i = 1; i < nallowed; i++)
			if (k->vals[i] && i != i_append)
				mode[i] = MERGE_APPEND;
		*merging = true;
		return 0;
	}
	if (!ov)
		return 0;
	if (ov->type != YAML_MAPPING_NODE)
		return lerr(l, ov, "override must be a mapping of keys to append or replace");
	*merging = true;
	for (pair = ov->data.mapping.pairs.start; pair < ov->data.mapping.pairs.top; pair++) {
		yaml_node_t *key = node_at(l, pair->key), *val = node_at(l, pair->value);
		const char *name, *how;
		const char *const *ok;
		bool append;

		if (!key || key->type != YAML_SCALAR_NODE || !val || val->type != YAML_SCALAR_NODE)
			return lerr(l, key ? key : ov, "override entries must be 'key: append|replace'");
		name = (const char *)key->data.scalar.value;
		how = (const char *)val->data.scalar.value;
		if (!strcmp(how, "append"))
			append = true;
		else if (!strcmp(how, "replace"))
			append = false;
		else
			return lerr(l, val, "override of '%.60s' must be append or replace, not '%.40s'",
				    name, how);
		for (ok = append ? appendable : replaceable; *ok; ok++)
			if (!strcmp(*ok, name))
				break;
		if (!*ok)
			return lerr(l, key, "key '%.60s' cannot be overridden with %s", name, how);
		for (i = 1; i < nallowed; i++)
			if (!strcmp(allowed[i], name))
				break;
		if (i == nallowed || !k->vals[i])
			return lerr(l, key, "override of '%.60s' but the item does not set it", name);
		mode[i] = append ? MERGE_APPEND : MERGE_REPLACE;
	}
	for (i = 1; i < nallowed; i++)
		if (k->vals[i] && i != i_override && mode[i] == MERGE_NEW)
			return lerr(l, k->keys[i], "key '%s' has no override (append or replace)",
				    allowed[i]);
	return 0;
}

static struct list_def *find_list_def(struct ruleset *rs, const char *name)
{
	size_t i;

	for (i = 0; i < rs->nlists; i++)
		if (!strcmp(rs->lists[i].name, name))
			return &rs->lists[i];
	return NULL;
}

static struct macro_def *find_macro_def(struct ruleset *rs, const char *name)
{
	size_t i;

	for (i = 0; i < rs->nmacros; i++)
		if (!strcmp(rs->macros[i].name, name))
			return &rs->macros[i];
	return NULL;
}

static struct rule *find_rule(struct ruleset *rs, const char *name)
{
	size_t i;

	for (i = 0; i < rs->nrules; i++)
		if (!strcmp(rs->rules[i]->name, name))
			return rs->rules[i];
	return NULL;
}

static int concat_strs(struct loader *l, const char ***v, size_t *n, const char **add, size_t nadd)
{
	const char **out = arena_grow(&l->rs->arena, (void *)*v, *n, *n + nadd + 1, sizeof(*out));

	if (!out)
		return nomem(l);
	memcpy(out + *n, add, nadd * sizeof(*add));
	*v = out;
	*n += nadd;
	return 0;
}

static int load_list(struct loader *l, const yaml_node_t *item)
{
	static const char *const allowed[] = { "list", "items", "append", "override" };
	static const char *const appendable[] = { "items", NULL };
	static const char *const replaceable[] = { "items", NULL };
	enum merge mode[4];
	struct item_keys k;
	struct list_def *d;
	const char *name, **items = NULL;
	size_t nitems = 0;
	bool merging;
	int rc;

	rc = item_keys(l, item, allowed, 4, &k);
	if (!rc)
		rc = scalar(l, k.vals[0], "list name", &name);
	if (!rc)
		rc = merge_modes(l, &k, allowed, 4, 2, 3, appendable, replaceable, mode, &merging);
	if (rc)
		return rc;
	if (!name[0])
		return lerr(l, k.vals[0], "list name is empty");
	if (!k.vals[1])
		return lerr(l, item, "list '%s' has no items", name);
	rc = string_seq(l, k.vals[1], "list items", false, &items, &nitems);
	if (rc)
		return rc;
	d = find_list_def(l->rs, name);
	if (merging && !d)
		return lerr(l, k.vals[0], "list '%s' is appended to or overridden but not defined before",
			    name);
	if (d && mode[1] == MERGE_APPEND)
		return concat_strs(l, &d->items, &d->n, items, nitems);
	if (!d) {
		if (l->rs->nlists == l->caplists) {
			size_t cap = l->caplists ? l->caplists * 2 : 32;
			struct list_def *v = arena_grow(&l->rs->arena, l->rs->lists, l->rs->nlists,
							cap, sizeof(*v));

			if (!v)
				return nomem(l);
			l->rs->lists = v;
			l->caplists = cap;
		}
		d = &l->rs->lists[l->rs->nlists++];
		d->name = name;
	}
	d->items = items;
	d->n = nitems;
	d->file = l->file->name;
	d->line = (int)item->start_mark.line + 1;
	d->col = (int)item->start_mark.column + 1;
	return 0;
}

static int load_macro(struct loader *l, const yaml_node_t *item)
{
	static const char *const allowed[] = { "macro", "condition", "append", "override" };
	static const char *const appendable[] = { "condition", NULL };
	static const char *const replaceable[] = { "condition", NULL };
	enum merge mode[4];
	struct item_keys k;
	struct macro_def *d;
	const char *name;
	bool merging;
	int rc;

	rc = item_keys(l, item, allowed, 4, &k);
	if (!rc)
		rc = scalar(l, k.vals[0], "macro name", &name);
	if (!rc)
		rc = merge_modes(l, &k, allowed, 4, 2, 3, appendable, replaceable, mode, &merging);
	if (rc)
		return rc;
	if (!name[0])
		return lerr(l, k.vals[0], "macro name is empty");
	if (!k.vals[1])
		return lerr(l, item, "macro '%s' has no condition", name);
	d = find_macro_def(l->rs, name);
	if (merging && !d)
		return lerr(l, k.vals[0],
			    "macro '%s' is appended to or overridden but not defined before", name);
	if (!d) {
		if (l->rs->nmacros == l->capmacros) {
			size_t cap = l->capmacros ? l->capmacros * 2 : 32;
			struct macro_def *v = arena_grow(&l->rs->arena, l->rs->macros,
							 l->rs->nmacros, cap, sizeof(*v));

			if (!v)
				return nomem(l);
			l->rs->macros = v;
			l->capmacros = cap;
		}
		d = &l->rs->macros[l->rs->nmacros++];
		d->name = name;
	}
	return text_of(l, k.vals[1], "condition", mode[1] == MERGE_APPEND, &d->cond);
}

/* One exception value: a scalar or an inline list of scalars. */
static int exc_item(struct loader *l, const yaml_node_t *n, struct exc_item *out)
{
	memset(out, 0, sizeof(*out));
	if (n && n->type == YAML_SEQUENCE_NODE) {
		out->is_list = true;
		return string_seq(l, n, "exception value", false, &out->items, &out->n);
	}
	return scalar(l, n, "exception value", &out->s);
}

static int exc_values(struct loader *l, struct exc_def *e, const yaml_node_t *vals)
{
	yaml_node_item_t *it;
	size_t count, i = 0, j;
	int rc;

	if (!vals)
		return 0;
	if (vals->type != YAML_SEQUENCE_NODE)
		return lerr(l, vals, "exception '%s': values must be a list", e->name);
	count = (size_t)(vals->data.sequence.items.top - vals->data.sequence.items.start);
	if (count > RULES_MAX_LIST_ITEMS)
		return lerr(l, vals, "exception '%s': too many values", e->name);
	e->values = arena_grow(&l->rs->arena, e->values, e->nvalues, e->nvalues + count + 1,
			       sizeof(*e->values));
	if (!e->values)
		return nomem(l);
	for (it = vals->data.sequence.items.start; it < vals->data.sequence.items.top; it++, i++) {
		yaml_node_t *tuple = node_at(l, *it);
		struct exc_item *row = arena_alloc(&l->rs->arena, e->nfields * sizeof(*row) + 1);

		if (!row)
			return nomem(l);
		if (!e->fields_is_list) {
			rc = exc_item(l, tuple, &row[0]);
		} else if (!tuple || tuple->type != YAML_SEQUENCE_NODE) {
			rc = lerr(l, tuple ? tuple : vals,
				  "exception '%s': each value must be a list of %zu items", e->name,
				  e->nfields);
		} else if ((size_t)(tuple->data.sequence.items.top -
				    tuple->data.sequence.items.start) != e->nfields) {
			rc = lerr(l, tuple, "exception '%s': value has %zu items, fields has %zu",
				  e->name,
				  (size_t)(tuple->data.sequence.items.top -
					   tuple->data.sequence.items.start),
				  e->nfields);
		} else {
			rc = 0;
			for (j = 0; j < e->nfields && !rc; j++)
				rc = exc_item(l, node_at(l, tuple->data.sequence.items.start[j]),
					      &row[j]);
		}
		if (rc)
			return rc;
		e->values[e->nvalues++] = row;
	}
	return 0;
}

static int load_exceptions(struct loader *l, struct rule *r, const yaml_node_t *n, bool append)
{
	static const char *const allowed[] = { "name", "fields", "comps", "values" };
	yaml_node_item_t *it;
	int rc;

	if (n->type != YAML_SEQUENCE_NODE)
		return lerr(l, n, "rule '%s': exceptions must be a list", r->name);
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		yaml_node_t *en = node_at(l, *it);
		struct exc_def *e = NULL;
		struct item_keys k;
		const char *name;
		size_t i;

		if (!en || en->type != YAML_MAPPING_NODE)
			return lerr(l, en ? en : n, "rule '%s': each exception must be a mapping",
				    r->name);
		rc = item_keys(l, en, allowed, 4, &k);
		if (rc)
			return rc;
		if (!k.vals[0])
			return lerr(l, en, "rule '%s': exception without a name", r->name);
		rc = scalar(l, k.vals[0], "exception name", &name);
		if (rc)
			return rc;
		for (i = 0; i < r->nexcs; i++)
			if (!strcmp(r->excs[i].name, name))
				e = &r->excs[i];
		if (e && !append)
			return lerr(l, k.vals[0], "rule '%s': duplicate exception '%s'", r->name, name);
		if (e && (k.vals[1] || k.vals[2]))
			return lerr(l, k.vals[1] ? k.vals[1] : k.vals[2],
				    "rule '%s': appended exception '%s' may only add values",
				    r->name, name);
		if (!e) {
			struct exc_def *v = arena_grow(&l->rs->arena, r->excs, r->nexcs,
						       r->nexcs + 1, sizeof(*v));

			if (!v)
				return nomem(l);
			r->excs = v;
			e = &r->excs[r->nexcs++];
			e->name = name;
			e->file = l->file->name;
			e->line = (int)en->start_mark.line + 1;
			e->col = (int)en->start_mark.column + 1;
			if (!k.vals[1])
				return lerr(l, en, "rule '%s': exception '%s' has no fields", r->name,
					    name);
			e->fields_is_list = k.vals[1]->type == YAML_SEQUENCE_NODE;
			rc = string_seq(l, k.vals[1], "exception fields", true, &e->fields,
					&e->nfields);
			if (rc)
				return rc;
			if (!e->nfields)
				return lerr(l, k.vals[1], "rule '%s': exception '%s' has no fields",
					    r->name, name);
			if (k.vals[2]) {
				rc = string_seq(l, k.vals[2], "exception comps", true, &e->comps,
						&e->ncomps);
				if (rc)
					return rc;
				if (e->ncomps != e->nfields)
					return lerr(l, k.vals[2],
						    "rule '%s': exception '%s' has %zu comps for %zu fields",
						    r->name, name, e->ncomps, e->nfields);
			}
		}
		rc = exc_values(l, e, k.vals[3]);
		if (rc)
			return rc;
	}
	return 0;
}

enum {
	RK_RULE,
	RK_DESC,
	RK_COND,
	RK_OUTPUT,
	RK_PRIO,
	RK_TAGS,
	RK_ENABLED,
	RK_EXC,
	RK_APPEND,
	RK_OVERRIDE,
	RK_SOURCE,
	RK_SKIP,
	RK_WARN,
	RK_CAPTURE,
	RK_CAPTURE_DUR,
	RK_COUNT,
};

static int load_rule(struct loader *l, const yaml_node_t *item)
{
	static const char *const allowed[RK_COUNT] = {
		"rule", "desc", "condition", "output", "priority", "tags", "enabled", "exceptions",
		"append", "override", "source", "skip-if-unknown-filter", "warn_evttypes",
		"capture", "capture_duration",
	};
	static const char *const appendable[] = { "condition", "output", "desc", "tags",
						  "exceptions", NULL };
	static const char *const replaceable[] = { "condition", "output", "desc", "priority",
						   "tags", "exceptions", "enabled",
						   "skip-if-unknown-filter", "warn_evttypes",
						   "capture", "capture_duration", NULL };
	enum merge mode[RK_COUNT];
	struct item_keys k;
	struct rule *r, *old;
	const char *name, *s;
	bool merging, only_enabled = true;
	size_t i;
	int rc;

	rc = item_keys(l, item, allowed, RK_COUNT, &k);
	if (!rc)
		rc = scalar(l, k.vals[RK_RULE], "rule name", &name);
	if (!rc)
		rc = merge_modes(l, &k, allowed, RK_COUNT, RK_APPEND, RK_OVERRIDE, appendable,
				 replaceable, mode, &merging);
	if (rc)
		return rc;
	if (!name[0])
		return lerr(l, k.vals[RK_RULE], "rule name is empty");
	for (i = 1; i < RK_COUNT; i++)
		if (k.vals[i] && i != RK_ENABLED)
			only_enabled = false;
	old = find_rule(l->rs, name);
	if (only_enabled && k.vals[RK_ENABLED] && !merging) {
		/* Falco: a rule item with only `enabled` toggles an earlier definition */
		if (!old)
			return lerr(l, k.vals[RK_RULE], "rule '%s' is enabled/disabled but not defined",
				    name);
		return boolean(l, k.vals[RK_ENABLED], "enabled", &old->enabled);
	}
	if (merging) {
		if (!old)
			return lerr(l, k.vals[RK_RULE],
				    "rule '%s' is appended to or overridden but not defined before",
				    name);
		r = old;
	} else {
		static const int required[] = { RK_DESC, RK_COND, RK_OUTPUT, RK_PRIO };

		for (i = 0; i < sizeof(required) / sizeof(required[0]); i++)
			if (!k.vals[required[i]])
				return lerr(l, item, "rule '%s' has no '%s'", name,
					    allowed[required[i]]);
		r = arena_alloc(&l->rs->arena, sizeof(*r));
		if (!r)
			return nomem(l);
		r->name = name;
		r->enabled = true;
		r->file = l->file->name;
		r->line = (int)item->start_mark.line + 1;
		r->col = (int)item->start_mark.column + 1;
		if (old) {
			/* a redefinition replaces the rule in its original place */
			for (i = 0; i < l->rs->nrules; i++)
				if (l->rs->rules[i] == old)
					l->rs->rules[i] = r;
		} else {
			if (l->rs->nrules == l->caprules) {
				size_t cap = l->caprules ? l->caprules * 2 : 32;
				struct rule **v = arena_grow(&l->rs->arena, l->rs->rules,
							     l->rs->nrules, cap, sizeof(*v));

				if (!v)
					return nomem(l);
				l->rs->rules = v;
				l->caprules = cap;
			}
			l->rs->rules[l->rs->nrules++] = r;
		}
	}
	if (k.vals[RK_DESC]) {
		rc = scalar(l, k.vals[RK_DESC], "desc", &s);
		if (rc)
			return rc;
		if (mode[RK_DESC] == MERGE_APPEND && r->desc) {
			size_t n = strlen(r->desc) + strlen(s) + 2;
			char *joined = arena_alloc(&l->rs->arena, n);

			if (!joined)
				return nomem(l);
			snprintf(joined, n, "%s %s", r->desc, s);
			s = joined;
		}
		r->desc = s;
	}
	if (k.vals[RK_COND]) {
		rc = text_of(l, k.vals[RK_COND], "condition", mode[RK_COND] == MERGE_APPEND, &r->cond);
		if (rc)
			return rc;
	}
	if (k.vals[RK_OUTPUT]) {
		rc = text_of(l, k.vals[RK_OUTPUT], "output", mode[RK_OUTPUT] == MERGE_APPEND,
			     &r->output);
		if (rc)
			return rc;
	}
	if (k.vals[RK_PRIO]) {
		rc = scalar(l, k.vals[RK_PRIO], "priority", &s);
		if (rc)
			return rc;
		if (priority_from_string(s, &r->prio))
			return lerr(l, k.vals[RK_PRIO],
				    "rule '%s': invalid priority '%.40s' (Emergency .. Debug)", name,
				    s);
	}
	if (k.vals[RK_TAGS]) {
		const char **tags;
		size_t ntags;

		rc = string_seq(l, k.vals[RK_TAGS], "tags", false, &tags, &ntags);
		if (rc)
			return rc;
		if (mode[RK_TAGS] == MERGE_APPEND) {
			rc = concat_strs(l, &r->tags, &r->ntags, tags, ntags);
			if (rc)
				return rc;
		} else {
			r->tags = tags;
			r->ntags = ntags;
		}
	}
	if (k.vals[RK_ENABLED]) {
		rc = boolean(l, k.vals[RK_ENABLED], "enabled", &r->enabled);
		if (rc)
			return rc;
	}
	if (k.vals[RK_SKIP]) {
		rc = boolean(l, k.vals[RK_SKIP], "skip-if-unknown-filter", &r->skip_unknown);
		if (rc)
			return rc;
	}
	if (k.vals[RK_SOURCE]) {
		rc = scalar(l, k.vals[RK_SOURCE], "source", &s);
		if (rc)
			return rc;
		r->other_source = strcmp(s, "syscall") != 0;
	}
	if (k.vals[RK_EXC]) {
		if (mode[RK_EXC] == MERGE_REPLACE) {
			r->excs = NULL;
			r->nexcs = 0;
		}
		rc = load_exceptions(l, r, k.vals[RK_EXC], mode[RK_EXC] == MERGE_APPEND);
		if (rc)
			return rc;
	}
	return 0;
}

static int load_document(struct loader *l)
{
	yaml_node_t *root = yaml_document_get_root_node(l->doc);
	yaml_node_item_t *it;
	int rc;

	if (!root)
		return 0;
	if (root->type == YAML_SCALAR_NODE && !root->data.scalar.length)
		return 0;
	if (root->type != YAML_SEQUENCE_NODE)
		return lerr(l, root, "a rules file is a list of rule, macro and list items, not %s",
			    node_kind_name(root));
	for (it = root->data.sequence.items.start; it < root->data.sequence.items.top; it++) {
		yaml_node_t *item = node_at(l, *it);
		yaml_node_pair_t *pair;
		const char *kind = NULL;

		if (!item || item->type != YAML_MAPPING_NODE)
			return lerr(l, item ? item : root,
				    "each item must be a mapping (rule, macro or list), not %s",
				    item ? node_kind_name(item) : "nothing");
		for (pair = item->data.mapping.pairs.start; pair < item->data.mapping.pairs.top;
		     pair++) {
			yaml_node_t *key = node_at(l, pair->key);
			const char *kn;

			if (!key || key->type != YAML_SCALAR_NODE)
				continue;
			kn = (const char *)key->data.scalar.value;
			if (!strcmp(kn, "rule") || !strcmp(kn, "macro") || !strcmp(kn, "list") ||
			    !strcmp(kn, "required_engine_version") ||
			    !strcmp(kn, "required_plugin_versions")) {
				if (kind)
					return lerr(l, key, "item is both '%s' and '%s'", kind, kn);
				kind = kn;
			}
		}
		if (!kind)
			return lerr(l, item, "item is not a rule, macro or list");
		if (!strcmp(kind, "rule"))
			rc = load_rule(l, item);
		else if (!strcmp(kind, "macro"))
			rc = load_macro(l, item);
		else if (!strcmp(kind, "list"))
			rc = load_list(l, item);
		else
			rc = 0; /* engine and plugin versions: accepted as Falco does */
		if (rc)
			return rc;
	}
	return 0;
}

/* The file's text, kept in the ruleset's arena: error positions point into it later. */
static int read_file(struct loader *l, const char *path, char **text, size_t *len)
{
	char *buf = NULL;
	int rc;

	rc = file_read_at(AT_FDCWD, path, RULES_MAX_FILE_BYTES, &buf, len);
	if (rc)
		return rc;
	*text = arena_alloc(&l->rs->arena, *len + 1);
	if (*text)
		memcpy(*text, buf, *len + 1);
	free(buf);
	return *text ? 0 : -ENOMEM;
}

/* Parse YAML text already in memory; name is used for positions. */
static int load_text(struct loader *l, const char *name, const char *text, size_t len)
{
	struct src_file *f = arena_alloc(&l->rs->arena, sizeof(*f));
	yaml_parser_t parser;
	yaml_document_t doc;
	int rc = 0;

	if (!f)
		return nomem(l);
	f->name = arena_strdup(&l->rs->arena, name);
	f->text = text;
	f->len = len;
	if (!f->name)
		return nomem(l);
	l->file = f;
	if (!yaml_parser_initialize(&parser))
		return nomem(l);
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	for (;;) {
		if (!yaml_parser_load(&parser, &doc)) {
			memset(l->err, 0, sizeof(*l->err));
			snprintf(l->err->file, sizeof(l->err->file), "%s", name);
			l->err->line = (int)parser.problem_mark.line + 1;
			l->err->col = (int)parser.problem_mark.column + 1;
			snprintf(l->err->msg, sizeof(l->err->msg), "invalid YAML: %s%s%s",
				 parser.problem ? parser.problem : "parse error",
				 parser.context ? " " : "", parser.context ? parser.context : "");
			rc = -EINVAL;
			break;
		}
		if (!yaml_document_get_root_node(&doc)) {
			yaml_document_delete(&doc);
			break;
		}
		l->doc = &doc;
		rc = load_document(l);
		l->doc = NULL;
		yaml_document_delete(&doc);
		if (rc)
			break;
	}
	yaml_parser_delete(&parser);
	return rc;
}

static int load_path(struct loader *l, const char *path);

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int load_dir(struct loader *l, const char *path)
{
	struct dirent *de;
	char **names = NULL, *full;
	size_t n = 0, cap = 0, i;
	DIR *d = opendir(path);
	int rc = 0;

	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);

		if (de->d_name[0] == '.' || len < 6 || strcmp(de->d_name + len - 5, ".yaml"))
			continue;
		if (n == cap) {
			char **v = arena_grow(&l->rs->arena, names, n, cap ? cap * 2 : 16,
					      sizeof(*v));

			if (!v) {
				rc = nomem(l);
				goto out;
			}
			names = v;
			cap = cap ? cap * 2 : 16;
		}
		names[n] = arena_strdup(&l->rs->arena, de->d_name);
		if (!names[n]) {
			rc = nomem(l);
			goto out;
		}
		n++;
	}
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);
	for (i = 0; i < n && !rc; i++) {
		size_t len = strlen(path) + strlen(names[i]) + 2;

		full = arena_alloc(&l->rs->arena, len);
		if (!full) {
			rc = nomem(l);
			break;
		}
		snprintf(full, len, "%s/%s", path, names[i]);
		rc = load_path(l, full);
	}
out:
	closedir(d);
	return rc;
}

static int load_path(struct loader *l, const char *path)
{
	struct stat st;
	size_t len = 0;
	char *text = NULL;
	int rc;

	if (stat(path, &st)) {
		rc = -errno;
		goto fail;
	}
	if (S_ISDIR(st.st_mode))
		return load_dir(l, path);
	rc = read_file(l, path, &text, &len);
	if (rc)
		goto fail;
	return load_text(l, path, text, len);
fail:
	if (rc == -ENOMEM)
		return nomem(l);
	memset(l->err, 0, sizeof(*l->err));
	snprintf(l->err->file, sizeof(l->err->file), "%s", path);
	snprintf(l->err->msg, sizeof(l->err->msg), "cannot read rules: %s",
		 rc == -EFBIG ? "file larger than 16 MiB" : strerror(-rc));
	return rc;
}

/* ---- compiling ---- */

static void cerr_to_rules_error(const struct cerr *ce, const char *rule, struct rules_error *err)
{
	*err = ce->pos;
	if (rule)
		snprintf(err->msg, sizeof(err->msg), "rule '%.100s': %.400s", rule, ce->pos.msg);
}

static bool list_comp(const char *comp)
{
	return !strcmp(comp, "in") || !strcmp(comp, "intersects") || !strcmp(comp, "pmatch");
}

static int or_add(struct cctx *cx, struct cnode **any, struct cnode *kid)
{
	struct cnode **kids;

	if (!*any) {
		*any = cnode_new(cx->arena, N_OR, 0);
		if (!*any)
			return -ENOMEM;
	}
	kids = arena_grow(cx->arena, (*any)->kids, (*any)->nkids, (*any)->nkids + 1, sizeof(*kids));
	if (!kids)
		return -ENOMEM;
	(*any)->kids = kids;
	kids[(*any)->nkids++] = kid;
	return 0;
}

/* Single field: all values form one list (comp defaults to in); else one tuple per value. */
static int single_field_exception(struct cctx *cx, const struct exc_def *e, struct cnode **any)
{
	const char *comp = e->comps ? e->comps[0] : "in";
	struct exc_item flat = { .is_list = true };
	struct cnode *kid;
	size_t v, i, n = 0;

	if (!list_comp(comp)) {
		for (v = 0; v < e->nvalues; v++) {
			kid = cond_compile_check(cx, e->fields[0], comp, &e->values[v][0], e->file,
						 e->line, e->col);
			if (!kid || or_add(cx, any, kid))
				return -EINVAL;
		}
		return 0;
	}
	for (v = 0; v < e->nvalues; v++)
		n += e->values[v][0].is_list ? e->values[v][0].n : 1;
	if (!n)
		return 0;
	flat.items = arena_alloc(cx->arena, n * sizeof(*flat.items));
	if (!flat.items)
		return -ENOMEM;
	for (v = 0; v < e->nvalues; v++) {
		const struct exc_item *it = &e->values[v][0];

		if (!it->is_list)
			flat.items[flat.n++] = it->s;
		for (i = 0; it->is_list && i < it->n; i++)
			flat.items[flat.n++] = it->items[i];
	}
	kid = cond_compile_check(cx, e->fields[0], comp, &flat, e->file, e->line, e->col);
	if (!kid || or_add(cx, any, kid))
		return -EINVAL;
	return 0;
}

static struct cnode *compile_exceptions(struct cctx *cx, const struct rule *r)
{
	struct cnode *any = NULL, *all;
	size_t i, v, f;

	for (i = 0; i < r->nexcs; i++) {
		const struct exc_def *e = &r->excs[i];

		if (!e->fields_is_list) {
			if (single_field_exception(cx, e, &any))
				goto fail;
			continue;
		}
		for (v = 0; v < e->nvalues; v++) {
			all = cnode_new(cx->arena, N_AND, e->nfields);
			if (!all)
				goto fail;
			for (f = 0; f < e->nfields; f++) {
				const char *comp = e->comps ? e->comps[f] : "=";

				all->kids[f] = cond_compile_check(cx, e->fields[f], comp,
								  &e->values[v][f], e->file,
								  e->line, e->col);
				if (!all->kids[f])
					goto fail;
			}
			all->nkids = e->nfields;
			if (or_add(cx, &any, all))
				goto fail;
		}
	}
	return any ? any : cnode_new(cx->arena, N_FALSE, 0);
fail:
	if (cx->err.kind == CE_NONE) {
		cx->err.kind = CE_NOMEM;
		snprintf(cx->err.pos.msg, sizeof(cx->err.pos.msg), "out of memory");
	}
	return NULL;
}

static bool rule_disabled_by_options(const struct rules_options *o, const struct rule *r)
{
	size_t i, j;

	if (r->prio > o->min_priority)
		return true;
	for (i = 0; i < o->n_disabled_rules; i++)
		if (o->disabled_rules[i] && !fnmatch(o->disabled_rules[i], r->name, 0))
			return true;
	for (i = 0; i < o->n_disabled_tags; i++)
		for (j = 0; j < r->ntags; j++)
			if (o->disabled_tags[i] && !strcmp(o->disabled_tags[i], r->tags[j]))
				return true;
	return false;
}

static void warn_skip(struct loader *l, const struct rule *r, const struct cerr *ce)
{
	if (!l->warn)
		return;
	fprintf(l->warn, "%s:%d:%d: warning: rule '%s' skipped: %s\n",
		ce->pos.file[0] ? ce->pos.file : r->file, ce->pos.line ? ce->pos.line : r->line,
		ce->pos.line ? ce->pos.col : r->col, r->name, ce->pos.msg);
}

static int compile_all(struct loader *l)
{
	struct ruleset *rs = l->rs;
	struct cctx cx = { .arena = &rs->arena,
			   .macros = rs->macros,
			   .nmacros = rs->nmacros,
			   .lists = rs->lists,
			   .nlists = rs->nlists };
	size_t i;
	int rc = 0;

	cx.memo = calloc(rs->nmacros + 1, sizeof(*cx.memo));
	rs->active = arena_alloc(&rs->arena, (rs->nrules + 1) * sizeof(*rs->active));
	if (!cx.memo || !rs->active) {
		rc = nomem(l);
		goto out;
	}
	/* Every macro must parse, used or not; missing fields only matter where used. */
	for (i = 0; i < rs->nmacros; i++) {
		memset(&cx.err, 0, sizeof(cx.err));
		if (cx.memo[i].state == 0 && !cond_compile_macro(&cx, i) &&
		    cx.err.kind != CE_UNSUPPORTED && cx.err.kind != CE_UNDEFINED) {
			cerr_to_rules_error(&cx.err, NULL, l->err);
			snprintf(l->err->msg, sizeof(l->err->msg), "macro '%.100s': %.400s",
				 rs->macros[i].name, cx.err.pos.msg);
			rc = cx.err.kind == CE_NOMEM ? -ENOMEM : -EINVAL;
			goto out;
		}
	}
	for (i = 0; i < rs->nrules; i++) {
		struct rule *r = rs->rules[i];
		struct cnode *exc;

		if (r->other_source) {
			if (l->warn)
				fprintf(l->warn, "%s:%d:%d: warning: rule '%s' skipped: not a syscall rule\n",
					r->file, r->line, r->col, r->name);
			rs->sum.skipped++;
			continue;
		}
		memset(&cx.err, 0, sizeof(cx.err));
		r->root = cond_compile(&cx, &r->cond, NULL, NULL);
		if (r->root && r->nexcs) {
			exc = compile_exceptions(&cx, r);
			if (exc && exc->kind != N_FALSE) {
				struct cnode *nn = cnode_new(&rs->arena, N_NOT, 1);
				struct cnode *all = cnode_new(&rs->arena, N_AND, 2);

				if (!nn || !all) {
					rc = nomem(l);
					goto out;
				}
				nn->kids[0] = exc;
				nn->nkids = 1;
				all->kids[0] = r->root;
				all->kids[1] = nn;
				all->nkids = 2;
				r->root = all;
			} else if (!exc) {
				r->root = NULL;
			}
		}
		if (r->root && output_compile(&rs->arena, &r->output, &r->out, &cx.err))
			r->root = NULL;
		if (!r->root) {
			if (cx.err.kind == CE_UNSUPPORTED &&
			    (l->opt.falco_compat || r->skip_unknown)) {
				warn_skip(l, r, &cx.err);
				rs->sum.skipped++;
				continue;
			}
			cerr_to_rules_error(&cx.err, r->name, l->err);
			if (!l->err->file[0]) {
				snprintf(l->err->file, sizeof(l->err->file), "%s", r->file);
				l->err->line = r->line;
				l->err->col = r->col;
			}
			rc = cx.err.kind == CE_NOMEM ? -ENOMEM : -EINVAL;
			goto out;
		}
		if (!r->enabled || rule_disabled_by_options(&l->opt, r)) {
			rs->sum.disabled++;
			continue;
		}
		rs->active[rs->nactive++] = r;
	}
	rs->sum.rules = rs->nactive;
	rs->sum.macros = rs->nmacros;
	rs->sum.lists = rs->nlists;
out:
	free(cx.memo);
	if (!rc && rs->arena.failed)
		rc = nomem(l);
	return rc;
}

int ruleset_load(const char *const *paths, size_t n, const struct rules_options *opt,
		 struct ruleset **out, struct rules_error *err, FILE *warn)
{
	struct rules_error dummy;
	struct loader l = { 0 };
	size_t i;
	int rc = 0;

	if (!err)
		err = &dummy;
	memset(err, 0, sizeof(*err));
	if (!out || (!paths && n))
		return -EINVAL;
	l.err = err;
	l.rs = calloc(1, sizeof(*l.rs));
	if (!l.rs)
		return nomem(&l);
	l.warn = warn;
	if (opt) {
		l.opt = *opt;
	} else {
		l.opt.min_priority = PRIO_DEBUG;
	}
	for (i = 0; i < n && !rc; i++)
		rc = load_path(&l, paths[i]);
	if (!rc)
		rc = compile_all(&l);
	if (rc) {
		ruleset_free(l.rs);
		return rc;
	}
	*out = l.rs;
	return 0;
}

void ruleset_free(struct ruleset *rs)
{
	if (!rs)
		return;
	arena_free(&rs->arena);
	free(rs);
}

void ruleset_get_summary(const struct ruleset *rs, struct rules_summary *out)
{
	*out = rs->sum;
}

size_t ruleset_eval(const struct ruleset *rs, const struct exec_event *ev,
		    const struct rule **matches, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < rs->nactive && n < max; i++)
		if (cnode_eval(rs->active[i]->root, ev))
			matches[n++] = rs->active[i];
	return n;
}

const char *rule_name(const struct rule *r)
{
	return r->name;
}

enum priority rule_priority(const struct rule *r)
{
	return r->prio;
}

size_t rule_tags(const struct rule *r, const char *const **tags)
{
	*tags = r->tags;
	return r->ntags;
}

size_t rule_output_fields(const struct rule *r, const struct field_ref **refs)
{
	*refs = r->out.refs;
	return r->out.nrefs;
}

int rule_render_output(const struct rule *r, const struct exec_event *ev, char *buf, size_t len)
{
	return output_render(&r->out, ev, buf, len);
}

/* Rules on exe flags need only the kernel's drift filter (out->exe_drift), not every exec. */
int ruleset_prefilter(const struct ruleset *rs, struct prefilter *out)
{
	struct name_set *set = malloc(sizeof(*set));
	size_t i, j, k, used = 0;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (!set)
		return -ENOMEM;
	for (i = 0; i < rs->nactive; i++) {
		const struct rule *r = rs->active[i];
		const char *why = NULL;

		rc = cnode_names(r->root, set);
		if (rc)
			goto out;
		if (set->any) {
			out->all_container_execs = true;
			why = "not reducible to binary names: all container execs";
		} else if (set->exe_drift) {
			out->exe_drift = true;
		}
		for (j = 0; j < set->n && !set->any; j++) {
			for (k = 0; k < out->n_names; k++)
				if (!strcmp(out->names[k], set->names[j]))
					break;
			if (k < out->n_names)
				continue;
			if (out->n_names == PREFILTER_MAX_NAMES) {
				out->all_container_execs = true;
				why = "more names than the kernel map holds: all container execs";
				break;
			}
			memcpy(out->names[out->n_names++], set->names[j], SS_NAME_KEY_LEN);
		}
		if (!cnode_needs_container(r->root, false)) {
			out->host_execs = true;
			if (!why)
				why = "can match host processes";
		}
		if (why && used + 1 < sizeof(out->reason)) {
			int n = snprintf(out->reason + used, sizeof(out->reason) - used, "%srule '%s' %s",
					 used ? "; " : "", r->name, why);

			if (n > 0)
				used += (size_t)n;
			if (used >= sizeof(out->reason))
				used = sizeof(out->reason) - 1;
		}
	}
out:
	free(set);
	return rc;
}

int condition_compile(const char *text, const struct ruleset *rs, struct condition **out,
		      struct rules_error *err)
{
	struct condition *c = calloc(1, sizeof(*c));
	struct rules_error dummy;
	struct src_file *f;
	struct src_piece where = { 0 };
	struct src_text t = { 0 };
	struct cctx cx = { 0 };
	int rc = 0;

	if (!err)
		err = &dummy;
	memset(err, 0, sizeof(*err));
	if (!c || !text) {
		free(c);
		return -EINVAL;
	}
	cx.arena = &c->arena;
	if (rs) {
		cx.macros = rs->macros;
		cx.nmacros = rs->nmacros;
		cx.lists = rs->lists;
		cx.nlists = rs->nlists;
	}
	cx.memo = calloc(cx.nmacros + 1, sizeof(*cx.memo));
	f = arena_alloc(&c->arena, sizeof(*f));
	if (!cx.memo || !f) {
		rc = -ENOMEM;
		goto fail;
	}
	f->name = "<condition>";
	f->text = arena_strdup(&c->arena, text);
	f->len = strlen(text);
	where.file = f;
	where.line = 1;
	where.col = 1;
	if (!f->text || src_text_append(&c->arena, &t, f->text, f->len, &where)) {
		rc = -ENOMEM;
		goto fail;
	}
	c->root = cond_compile(&cx, &t, NULL, NULL);
	if (!c->root) {
		*err = cx.err.pos;
		rc = cx.err.kind == CE_NOMEM ? -ENOMEM : -EINVAL;
		goto fail;
	}
	free(cx.memo);
	*out = c;
	return 0;
fail:
	if (rc == -ENOMEM && !err->msg[0])
		snprintf(err->msg, sizeof(err->msg), "out of memory");
	free(cx.memo);
	condition_free(c);
	return rc;
}

bool condition_eval(const struct condition *c, const struct exec_event *ev)
{
	return c && cnode_eval(c->root, ev);
}

void condition_free(struct condition *c)
{
	if (!c)
		return;
	arena_free(&c->arena);
	free(c);
}
