// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Rules files, YAML nodes: scalars, booleans, string lists, texts with their
 * positions, an item's keys and merge modes, and errors that name file:line:col.
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

int reader_err(struct rules_reader *l, const yaml_node_t *n, const char *fmt, ...)
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

int reader_nomem(struct rules_reader *l)
{
	memset(l->err, 0, sizeof(*l->err));
	snprintf(l->err->msg, sizeof(l->err->msg), "out of memory");
	return -ENOMEM;
}

yaml_node_t *reader_node(struct rules_reader *l, int id)
{
	return yaml_document_get_node(l->doc, id);
}

const char *reader_node_kind(const yaml_node_t *n)
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
int reader_scalar(struct rules_reader *l, const yaml_node_t *n, const char *what, const char **out)
{
	const char *v;

	if (!n || n->type != YAML_SCALAR_NODE)
		return reader_err(l, n, "%s must be a string, not %s", what,
				  n ? reader_node_kind(n) : "nothing");
	v = (const char *)n->data.scalar.value;
	if (memchr(v, '\0', n->data.scalar.length))
		return reader_err(l, n, "%s holds a NUL byte", what);
	*out = arena_strndup(&l->rs->arena, v, n->data.scalar.length);
	return *out ? 0 : reader_nomem(l);
}

int reader_bool(struct rules_reader *l, const yaml_node_t *n, const char *what, bool *out)
{
	const char *v;

	if (!n || n->type != YAML_SCALAR_NODE)
		return reader_err(l, n, "%s must be true or false", what);
	v = (const char *)n->data.scalar.value;
	if (!strcasecmp(v, "true") || !strcasecmp(v, "yes") || !strcasecmp(v, "on"))
		*out = true;
	else if (!strcasecmp(v, "false") || !strcasecmp(v, "no") || !strcasecmp(v, "off"))
		*out = false;
	else
		return reader_err(l, n, "%s must be true or false, not '%.40s'", what, v);
	return 0;
}

/* Sequence of scalars (a single scalar counts as one item when allow_scalar). */
int reader_string_seq(struct rules_reader *l, const yaml_node_t *n, const char *what,
		      bool allow_scalar, const char ***out, size_t *nout)
{
	yaml_node_item_t *it;
	const char **v;
	size_t i = 0, count;
	int rc;

	if (n && n->type == YAML_SCALAR_NODE && allow_scalar) {
		v = arena_alloc(&l->rs->arena, sizeof(*v));
		if (!v)
			return reader_nomem(l);
		rc = reader_scalar(l, n, what, &v[0]);
		if (rc)
			return rc;
		*out = v;
		*nout = 1;
		return 0;
	}
	if (!n || n->type != YAML_SEQUENCE_NODE)
		return reader_err(l, n, "%s must be a list, not %s", what,
				  n ? reader_node_kind(n) : "nothing");
	count = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	if (count > RULES_MAX_LIST_ITEMS)
		return reader_err(l, n, "%s has more than %d items", what, RULES_MAX_LIST_ITEMS);
	v = arena_alloc(&l->rs->arena, (count + 1) * sizeof(*v));
	if (!v)
		return reader_nomem(l);
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		rc = reader_scalar(l, reader_node(l, *it), what, &v[i]);
		if (rc)
			return rc;
		i++;
	}
	*out = v;
	*nout = i;
	return 0;
}

static void piece_of(struct rules_reader *l, const yaml_node_t *n, struct src_piece *p)
{
	memset(p, 0, sizeof(*p));
	p->file = l->file;
	p->line = (int)n->start_mark.line + 1;
	p->col = (int)n->start_mark.column + 1;
}

int reader_text(struct rules_reader *l, const yaml_node_t *n, const char *what, bool append,
		struct src_text *t)
{
	struct src_piece where;
	const char *s;
	int rc = reader_scalar(l, n, what, &s);

	if (rc)
		return rc;
	if (!append)
		memset(t, 0, sizeof(*t));
	piece_of(l, n, &where);
	return src_text_append(&l->rs->arena, t, s, strlen(s), &where) ? reader_nomem(l) : 0;
}

/*
 * Map the item's keys onto the allowed ones (allowed[0] is the kind key).
 * Unknown keys are an error, or ignored with falco_compat (newer Falco keys).
 */
int reader_item_keys(struct rules_reader *l, const yaml_node_t *item, const char *const *allowed,
		     size_t nallowed, struct reader_item_keys *k)
{
	yaml_node_pair_t *pair;
	size_t i;

	memset(k, 0, sizeof(*k));
	for (pair = item->data.mapping.pairs.start; pair < item->data.mapping.pairs.top; pair++) {
		yaml_node_t *key = reader_node(l, pair->key), *val = reader_node(l, pair->value);
		const char *name;

		if (!key || key->type != YAML_SCALAR_NODE)
			return reader_err(l, key ? key : item, "keys must be strings");
		name = (const char *)key->data.scalar.value;
		for (i = 0; i < nallowed; i++)
			if (!strcmp(name, allowed[i]))
				break;
		if (i == nallowed) {
			if (l->opt.falco_compat)
				continue;
			return reader_err(l, key, "unknown key '%.60s' in %s", name, allowed[0]);
		}
		if (k->vals[i])
			return reader_err(l, key, "duplicate key '%s'", name);
		k->vals[i] = val;
		k->keys[i] = key;
	}
	return 0;
}

/*
 * Falco's override: { key: append|replace } for keys the item also sets.
 * mode[i] gets the merge for allowed[i]. append: true is the legacy form.
 */
int reader_merge_modes(struct rules_reader *l, const struct reader_item_keys *k,
		       const char *const *allowed, size_t nallowed, size_t i_append,
		       size_t i_override, const char *const *appendable,
		       const char *const *replaceable, enum merge *mode, bool *merging)
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
		rc = reader_bool(l, k->vals[i_append], "append", &legacy);
		if (rc)
			return rc;
	}
	if (legacy && ov)
		return reader_err(l, k->keys[i_append],
				  "'append' and 'override' cannot be combined");
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
		return reader_err(l, ov, "override must be a mapping of keys to append or replace");
	*merging = true;
	for (pair = ov->data.mapping.pairs.start; pair < ov->data.mapping.pairs.top; pair++) {
		yaml_node_t *key = reader_node(l, pair->key), *val = reader_node(l, pair->value);
		const char *name, *how;
		const char *const *ok;
		bool append;

		if (!key || key->type != YAML_SCALAR_NODE || !val || val->type != YAML_SCALAR_NODE)
			return reader_err(l, key ? key : ov,
					  "override entries must be 'key: append|replace'");
		name = (const char *)key->data.scalar.value;
		how = (const char *)val->data.scalar.value;
		if (!strcmp(how, "append"))
			append = true;
		else if (!strcmp(how, "replace"))
			append = false;
		else
			return reader_err(
				l, val,
				"override of '%.60s' must be append or replace, not '%.40s'", name,
				how);
		for (ok = append ? appendable : replaceable; *ok; ok++)
			if (!strcmp(*ok, name))
				break;
		if (!*ok)
			return reader_err(l, key, "key '%.60s' cannot be overridden with %s", name,
					  how);
		for (i = 1; i < nallowed; i++)
			if (!strcmp(allowed[i], name))
				break;
		if (i == nallowed || !k->vals[i])
			return reader_err(l, key,
					  "override of '%.60s' but the item does not set it", name);
		mode[i] = append ? MERGE_APPEND : MERGE_REPLACE;
	}
	for (i = 1; i < nallowed; i++)
		if (k->vals[i] && i != i_override && mode[i] == MERGE_NEW)
			return reader_err(l, k->keys[i],
					  "key '%s' has no override (append or replace)",
					  allowed[i]);
	return 0;
}

struct list_def *rules_find_list_def(struct ruleset *rs, const char *name)
{
	size_t i;

	for (i = 0; i < rs->nlists; i++)
		if (!strcmp(rs->lists[i].name, name))
			return &rs->lists[i];
	return NULL;
}

struct macro_def *rules_find_macro_def(struct ruleset *rs, const char *name)
{
	size_t i;

	for (i = 0; i < rs->nmacros; i++)
		if (!strcmp(rs->macros[i].name, name))
			return &rs->macros[i];
	return NULL;
}

struct rule *rules_find_rule(struct ruleset *rs, const char *name)
{
	size_t i;

	for (i = 0; i < rs->nrules; i++)
		if (!strcmp(rs->rules[i]->name, name))
			return rs->rules[i];
	return NULL;
}

int reader_concat_strs(struct rules_reader *l, const char ***v, size_t *n, const char **add,
		       size_t nadd)
{
	const char **out = arena_grow(&l->rs->arena, (void *)*v, *n, *n + nadd + 1, sizeof(*out));

	if (!out)
		return reader_nomem(l);
	memcpy(out + *n, add, nadd * sizeof(*add));
	*v = out;
	*n += nadd;
	return 0;
}
