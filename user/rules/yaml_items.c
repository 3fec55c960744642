// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Rules files, items: lists, macros and rules, merged across files as Falco does
 * (redefine, append, override), and rule exceptions.
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
#include "rules/yaml_reader.h"

/*
 * arr (n elements, room for *cap) with room for one more: grown to twice
 * its capacity (32 at first) when full. NULL when out of memory.
 */
static void *reserve_one(struct rules_reader *l, void *arr, size_t n, size_t *cap, size_t elem)
{
	size_t c;
	void *v;

	if (n < *cap)
		return arr;
	c = *cap ? *cap * 2 : 32;
	v = arena_grow(&l->rs->arena, arr, n, c, elem);
	if (v)
		*cap = c;
	return v;
}

int reader_load_list(struct rules_reader *l, const yaml_node_t *item)
{
	static const char *const allowed[] = {"list", "items", "append", "override"};
	static const char *const appendable[] = {"items", NULL};
	static const char *const replaceable[] = {"items", NULL};
	enum merge mode[4];
	struct reader_item_keys k;
	struct list_def *d;
	const char *name, **items = NULL;
	size_t nitems = 0;
	bool merging;
	int rc;

	rc = reader_item_keys(l, item, allowed, 4, &k);
	if (!rc)
		rc = reader_scalar(l, k.vals[0], "list name", &name);
	if (!rc)
		rc = reader_merge_modes(l, &k, allowed, 4, 2, 3, appendable, replaceable, mode,
					&merging);
	if (rc)
		return rc;
	if (!name[0])
		return reader_err(l, k.vals[0], "list name is empty");
	if (!k.vals[1])
		return reader_err(l, item, "list '%s' has no items", name);
	rc = reader_string_seq(l, k.vals[1], "list items", false, &items, &nitems);
	if (rc)
		return rc;
	d = rules_find_list_def(l->rs, name);
	if (merging && !d)
		return reader_err(l, k.vals[0],
				  "list '%s' is appended to or overridden but not defined before",
				  name);
	if (d && mode[1] == MERGE_APPEND)
		return reader_concat_strs(l, &d->items, &d->n, items, nitems);
	if (!d) {
		struct list_def *v =
			reserve_one(l, l->rs->lists, l->rs->nlists, &l->caplists, sizeof(*v));

		if (!v)
			return reader_nomem(l);
		l->rs->lists = v;
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

int reader_load_macro(struct rules_reader *l, const yaml_node_t *item)
{
	static const char *const allowed[] = {"macro", "condition", "append", "override"};
	static const char *const appendable[] = {"condition", NULL};
	static const char *const replaceable[] = {"condition", NULL};
	enum merge mode[4];
	struct reader_item_keys k;
	struct macro_def *d;
	const char *name;
	bool merging;
	int rc;

	rc = reader_item_keys(l, item, allowed, 4, &k);
	if (!rc)
		rc = reader_scalar(l, k.vals[0], "macro name", &name);
	if (!rc)
		rc = reader_merge_modes(l, &k, allowed, 4, 2, 3, appendable, replaceable, mode,
					&merging);
	if (rc)
		return rc;
	if (!name[0])
		return reader_err(l, k.vals[0], "macro name is empty");
	if (!k.vals[1])
		return reader_err(l, item, "macro '%s' has no condition", name);
	d = rules_find_macro_def(l->rs, name);
	if (merging && !d)
		return reader_err(l, k.vals[0],
				  "macro '%s' is appended to or overridden but not defined before",
				  name);
	if (!d) {
		struct macro_def *v =
			reserve_one(l, l->rs->macros, l->rs->nmacros, &l->capmacros, sizeof(*v));

		if (!v)
			return reader_nomem(l);
		l->rs->macros = v;
		d = &l->rs->macros[l->rs->nmacros++];
		d->name = name;
	}
	return reader_text(l, k.vals[1], "condition", mode[1] == MERGE_APPEND, &d->cond);
}

/* One exception value: a scalar or an inline list of scalars. */
static int exc_item(struct rules_reader *l, const yaml_node_t *n, struct exc_item *out)
{
	memset(out, 0, sizeof(*out));
	if (n && n->type == YAML_SEQUENCE_NODE) {
		out->is_list = true;
		return reader_string_seq(l, n, "exception value", false, &out->items, &out->n);
	}
	return reader_scalar(l, n, "exception value", &out->s);
}

static int exc_values(struct rules_reader *l, struct exc_def *e, const yaml_node_t *vals)
{
	yaml_node_item_t *it;
	size_t count, i = 0, j;
	int rc;

	if (!vals)
		return 0;
	if (vals->type != YAML_SEQUENCE_NODE)
		return reader_err(l, vals, "exception '%s': values must be a list", e->name);
	count = (size_t)(vals->data.sequence.items.top - vals->data.sequence.items.start);
	if (count > RULES_MAX_LIST_ITEMS)
		return reader_err(l, vals, "exception '%s': too many values", e->name);
	e->values = arena_grow(&l->rs->arena, e->values, e->nvalues, e->nvalues + count + 1,
			       sizeof(*e->values));
	if (!e->values)
		return reader_nomem(l);
	for (it = vals->data.sequence.items.start; it < vals->data.sequence.items.top; it++, i++) {
		yaml_node_t *tuple = reader_node(l, *it);
		struct exc_item *row = arena_alloc(&l->rs->arena, e->nfields * sizeof(*row) + 1);

		if (!row)
			return reader_nomem(l);
		if (!e->fields_is_list) {
			rc = exc_item(l, tuple, &row[0]);
		} else if (!tuple || tuple->type != YAML_SEQUENCE_NODE) {
			rc = reader_err(l, tuple ? tuple : vals,
					"exception '%s': each value must be a list of %zu items",
					e->name, e->nfields);
		} else if ((size_t)(tuple->data.sequence.items.top -
				    tuple->data.sequence.items.start) != e->nfields) {
			rc = reader_err(l, tuple,
					"exception '%s': value has %zu items, fields has %zu",
					e->name,
					(size_t)(tuple->data.sequence.items.top -
						 tuple->data.sequence.items.start),
					e->nfields);
		} else {
			rc = 0;
			for (j = 0; j < e->nfields && !rc; j++)
				rc = exc_item(l,
					      reader_node(l, tuple->data.sequence.items.start[j]),
					      &row[j]);
		}
		if (rc)
			return rc;
		e->values[e->nvalues++] = row;
	}
	return 0;
}

static int load_exceptions(struct rules_reader *l, struct rule *r, const yaml_node_t *n,
			   bool append)
{
	static const char *const allowed[] = {"name", "fields", "comps", "values"};
	yaml_node_item_t *it;
	int rc;

	if (n->type != YAML_SEQUENCE_NODE)
		return reader_err(l, n, "rule '%s': exceptions must be a list", r->name);
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		yaml_node_t *en = reader_node(l, *it);
		struct exc_def *e = NULL;
		struct reader_item_keys k;
		const char *name;
		size_t i;

		if (!en || en->type != YAML_MAPPING_NODE)
			return reader_err(l, en ? en : n,
					  "rule '%s': each exception must be a mapping", r->name);
		rc = reader_item_keys(l, en, allowed, 4, &k);
		if (rc)
			return rc;
		if (!k.vals[0])
			return reader_err(l, en, "rule '%s': exception without a name", r->name);
		rc = reader_scalar(l, k.vals[0], "exception name", &name);
		if (rc)
			return rc;
		for (i = 0; i < r->nexcs; i++)
			if (!strcmp(r->excs[i].name, name))
				e = &r->excs[i];
		if (e && !append)
			return reader_err(l, k.vals[0], "rule '%s': duplicate exception '%s'",
					  r->name, name);
		if (e && (k.vals[1] || k.vals[2]))
			return reader_err(l, k.vals[1] ? k.vals[1] : k.vals[2],
					  "rule '%s': appended exception '%s' may only add values",
					  r->name, name);
		if (!e) {
			struct exc_def *v = arena_grow(&l->rs->arena, r->excs, r->nexcs,
						       r->nexcs + 1, sizeof(*v));

			if (!v)
				return reader_nomem(l);
			r->excs = v;
			e = &r->excs[r->nexcs++];
			e->name = name;
			e->file = l->file->name;
			e->line = (int)en->start_mark.line + 1;
			e->col = (int)en->start_mark.column + 1;
			if (!k.vals[1])
				return reader_err(l, en, "rule '%s': exception '%s' has no fields",
						  r->name, name);
			e->fields_is_list = k.vals[1]->type == YAML_SEQUENCE_NODE;
			rc = reader_string_seq(l, k.vals[1], "exception fields", true, &e->fields,
					       &e->nfields);
			if (rc)
				return rc;
			if (!e->nfields)
				return reader_err(l, k.vals[1],
						  "rule '%s': exception '%s' has no fields",
						  r->name, name);
			if (k.vals[2]) {
				rc = reader_string_seq(l, k.vals[2], "exception comps", true,
						       &e->comps, &e->ncomps);
				if (rc)
					return rc;
				if (e->ncomps != e->nfields)
					return reader_err(l, k.vals[2],
							  "rule '%s': exception '%s' has %zu comps "
							  "for %zu fields",
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

int reader_load_rule(struct rules_reader *l, const yaml_node_t *item)
{
	static const char *const allowed[RK_COUNT] = {
		"rule",		 "desc",     "condition",	 "output",
		"priority",	 "tags",     "enabled",		 "exceptions",
		"append",	 "override", "source",		 "skip-if-unknown-filter",
		"warn_evttypes", "capture",  "capture_duration",
	};
	static const char *const appendable[] = {"condition", "output",	    "desc",
						 "tags",      "exceptions", NULL};
	static const char *const replaceable[] = {"condition",
						  "output",
						  "desc",
						  "priority",
						  "tags",
						  "exceptions",
						  "enabled",
						  "skip-if-unknown-filter",
						  "warn_evttypes",
						  "capture",
						  "capture_duration",
						  NULL};
	enum merge mode[RK_COUNT];
	struct reader_item_keys k;
	struct rule *r, *old;
	const char *name, *s;
	bool merging, only_enabled = true;
	size_t i;
	int rc;

	rc = reader_item_keys(l, item, allowed, RK_COUNT, &k);
	if (!rc)
		rc = reader_scalar(l, k.vals[RK_RULE], "rule name", &name);
	if (!rc)
		rc = reader_merge_modes(l, &k, allowed, RK_COUNT, RK_APPEND, RK_OVERRIDE,
					appendable, replaceable, mode, &merging);
	if (rc)
		return rc;
	if (!name[0])
		return reader_err(l, k.vals[RK_RULE], "rule name is empty");
	for (i = 1; i < RK_COUNT; i++)
		if (k.vals[i] && i != RK_ENABLED)
			only_enabled = false;
	old = rules_find_rule(l->rs, name);
	if (only_enabled && k.vals[RK_ENABLED] && !merging) {
		/* Falco: a rule item with only `enabled` toggles an earlier definition */
		if (!old)
			return reader_err(l, k.vals[RK_RULE],
					  "rule '%s' is enabled/disabled but not defined", name);
		return reader_bool(l, k.vals[RK_ENABLED], "enabled", &old->enabled);
	}
	if (merging) {
		if (!old)
			return reader_err(
				l, k.vals[RK_RULE],
				"rule '%s' is appended to or overridden but not defined before",
				name);
		r = old;
	} else {
		static const int required[] = {RK_DESC, RK_COND, RK_OUTPUT, RK_PRIO};

		for (i = 0; i < sizeof(required) / sizeof(required[0]); i++)
			if (!k.vals[required[i]])
				return reader_err(l, item, "rule '%s' has no '%s'", name,
						  allowed[required[i]]);
		r = arena_alloc(&l->rs->arena, sizeof(*r));
		if (!r)
			return reader_nomem(l);
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
			struct rule **v = reserve_one(l, l->rs->rules, l->rs->nrules, &l->caprules,
						      sizeof(*v));

			if (!v)
				return reader_nomem(l);
			l->rs->rules = v;
			l->rs->rules[l->rs->nrules++] = r;
		}
	}
	if (k.vals[RK_DESC]) {
		rc = reader_scalar(l, k.vals[RK_DESC], "desc", &s);
		if (rc)
			return rc;
		if (mode[RK_DESC] == MERGE_APPEND && r->desc) {
			size_t n = strlen(r->desc) + strlen(s) + 2;
			char *joined = arena_alloc(&l->rs->arena, n);

			if (!joined)
				return reader_nomem(l);
			snprintf(joined, n, "%s %s", r->desc, s);
			s = joined;
		}
		r->desc = s;
	}
	if (k.vals[RK_COND]) {
		rc = reader_text(l, k.vals[RK_COND], "condition", mode[RK_COND] == MERGE_APPEND,
				 &r->cond);
		if (rc)
			return rc;
	}
	if (k.vals[RK_OUTPUT]) {
		rc = reader_text(l, k.vals[RK_OUTPUT], "output", mode[RK_OUTPUT] == MERGE_APPEND,
				 &r->output);
		if (rc)
			return rc;
	}
	if (k.vals[RK_PRIO]) {
		rc = reader_scalar(l, k.vals[RK_PRIO], "priority", &s);
		if (rc)
			return rc;
		if (priority_from_string(s, &r->prio))
			return reader_err(
				l, k.vals[RK_PRIO],
				"rule '%s': invalid priority '%.40s' (Emergency .. Debug)", name,
				s);
	}
	if (k.vals[RK_TAGS]) {
		const char **tags;
		size_t ntags;

		rc = reader_string_seq(l, k.vals[RK_TAGS], "tags", false, &tags, &ntags);
		if (rc)
			return rc;
		if (mode[RK_TAGS] == MERGE_APPEND) {
			rc = reader_concat_strs(l, &r->tags, &r->ntags, tags, ntags);
			if (rc)
				return rc;
		} else {
			r->tags = tags;
			r->ntags = ntags;
		}
	}
	if (k.vals[RK_ENABLED]) {
		rc = reader_bool(l, k.vals[RK_ENABLED], "enabled", &r->enabled);
		if (rc)
			return rc;
	}
	if (k.vals[RK_SKIP]) {
		rc = reader_bool(l, k.vals[RK_SKIP], "skip-if-unknown-filter", &r->skip_unknown);
		if (rc)
			return rc;
	}
	if (k.vals[RK_SOURCE]) {
		rc = reader_scalar(l, k.vals[RK_SOURCE], "source", &s);
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
