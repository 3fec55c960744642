/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <yaml.h>

#include "cli/config.h"
#include "lib/file.h"
#include "cli/opt_table.h"

const char *config_key_name(size_t i)
{
	for (size_t k = 0; k < opt_count; k++)
		if (opt_table[k].key && !i--)
			return opt_table[k].key;
	return NULL;
}

struct ctx {
	const char *file;
	yaml_document_t *doc;
	struct daemon_options *o;
	struct ss_error *err;
	bool seen[OPT_TABLE_MAX]; /* by opt_table index */
};

static int fail(struct ctx *c, const yaml_node_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct ctx *c, const yaml_node_t *n, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return ss_error_at(c->err, -EINVAL, c->file, (int)n->start_mark.line + 1,
			   (int)n->start_mark.column + 1, "%s", msg);
}

static bool is_null(const yaml_node_t *n)
{
	const char *v;

	if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	v = (const char *)n->data.scalar.value;
	return !*v || !strcmp(v, "~") || !strcmp(v, "null") || !strcmp(v, "Null") ||
	       !strcmp(v, "NULL");
}

/* A scalar's text; NULL (with the error set) for other nodes or embedded NULs. */
static const char *scalar(struct ctx *c, const yaml_node_t *n, const char *key, int *ret)
{
	const char *v;

	if (n->type != YAML_SCALAR_NODE) {
		*ret = fail(c, n, "%s: expected a single value", key);
		return NULL;
	}
	v = (const char *)n->data.scalar.value;
	if (strlen(v) != n->data.scalar.length) {
		*ret = fail(c, n, "%s: value contains a NUL byte", key);
		return NULL;
	}
	return v;
}

/* One value through the option table: the same checks as the command line. */
static int set_one(struct ctx *c, const struct opt_def *d, const yaml_node_t *n, const char *v)
{
	struct ss_error why;
	int ret = opt_set(d, c->o, v, &why);

	return ret ? fail(c, n, "%s: %s", d->key, why.msg) : 0;
}

/* A list replaces the default one; a single value is a list of one. */
static int set_list(struct ctx *c, const struct opt_def *d, const yaml_node_t *n)
{
	yaml_node_item_t *it;
	const char *v;
	int ret = 0;

	*opt_list_count(d, c->o) = 0;
	if (is_null(n))
		return 0;
	if (n->type == YAML_SCALAR_NODE) {
		v = scalar(c, n, d->key, &ret);
		return v ? set_one(c, d, n, v) : ret;
	}
	if (n->type != YAML_SEQUENCE_NODE)
		return fail(c, n, "%s: expected a list", d->key);
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		yaml_node_t *e = yaml_document_get_node(c->doc, *it);

		if (*opt_list_count(d, c->o) >= d->cap)
			return fail(c, e, "%s: at most %zu entries", d->key, d->cap);
		if (is_null(e) || (e->type == YAML_SCALAR_NODE && !e->data.scalar.length))
			return fail(c, e, "%s: empty entry", d->key);
		v = scalar(c, e, d->key, &ret);
		if (!v || (ret = set_one(c, d, e, v)))
			return ret;
	}
	return 0;
}

static int set_value(struct ctx *c, const struct opt_def *d, const yaml_node_t *n)
{
	const char *v;
	int ret = 0;

	if (d->kind == OPT_LIST)
		return set_list(c, d, n);
	if (d->kind == OPT_STR && is_null(n))
		return set_one(c, d, n, "");
	v = scalar(c, n, d->key, &ret);
	return v ? set_one(c, d, n, v) : ret;
}

static int apply_mapping(struct ctx *c, const yaml_node_t *map, const char *prefix)
{
	yaml_node_pair_t *p;
	int ret;

	if (map->type != YAML_MAPPING_NODE)
		return fail(c, map, "%s: expected a mapping of key: value",
			    *prefix ? prefix : "top level");
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *kn = yaml_document_get_node(c->doc, p->key);
		yaml_node_t *vn = yaml_document_get_node(c->doc, p->value);
		const struct opt_def *d;
		char path[128];
		const char *name;
		size_t i;

		name = scalar(c, kn, "key", &ret);
		if (!name)
			return ret;
		snprintf(path, sizeof(path), "%s%s%s", prefix, *prefix ? "." : "", name);
		d = opt_by_key(path);
		if (!d)
			return fail(c, kn, "unknown key '%.100s'", path);
		i = (size_t)(d - opt_table);
		if (c->seen[i])
			return fail(c, kn, "duplicate key '%s'", path);
		c->seen[i] = true;
		if (d->kind == OPT_MAP) {
			if (is_null(vn))
				continue;
			ret = apply_mapping(c, vn, path);
		} else {
			ret = set_value(c, d, vn);
		}
		if (ret)
			return ret;
	}
	return 0;
}

int config_load_string(const char *name, const char *buf, size_t len, struct daemon_options *o,
		       struct ss_error *err)
{
	yaml_parser_t parser;
	yaml_document_t doc, extra;
	yaml_node_t *root;
	struct ctx c = {.file = name, .doc = &doc, .err = err};
	int ret = 0;

	if (len > CONFIG_MAX_BYTES) {
		return ss_error_at(err, -EFBIG, name, 0, 0, "larger than %d bytes",
				   CONFIG_MAX_BYTES);
	}
	c.o = malloc(sizeof(*c.o));
	if (!c.o)
		return -ENOMEM;
	*c.o = *o;
	if (!yaml_parser_initialize(&parser)) {
		ret = -ENOMEM;
		goto out_free;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	if (!yaml_parser_load(&parser, &doc)) {
		ss_error_at(err, 0, name, (int)parser.problem_mark.line + 1,
			    (int)parser.problem_mark.column + 1, "%s",
			    parser.problem ? parser.problem : "invalid YAML");
		ret = -EINVAL;
		goto out_parser;
	}
	root = yaml_document_get_root_node(&doc);
	if (root && !(root->type == YAML_SCALAR_NODE && is_null(root)))
		ret = apply_mapping(&c, root, "");
	if (!ret && root) {
		if (!yaml_parser_load(&parser, &extra)) {
			ss_error_at(err, 0, name, (int)parser.problem_mark.line + 1,
				    (int)parser.problem_mark.column + 1, "%s",
				    parser.problem ? parser.problem : "invalid YAML");
			ret = -EINVAL;
		} else {
			yaml_node_t *x = yaml_document_get_root_node(&extra);

			if (x)
				ret = fail(&c, x, "only one YAML document is allowed");
			yaml_document_delete(&extra);
		}
	}
	if (!ret)
		*o = *c.o;
	yaml_document_delete(&doc);
out_parser:
	yaml_parser_delete(&parser);
out_free:
	free(c.o);
	return ret;
}

int config_load_file(const char *path, struct daemon_options *o, struct ss_error *err)
{
	char *buf = NULL;
	size_t n = 0;
	int ret;

	ret = file_read_at(AT_FDCWD, path, CONFIG_MAX_BYTES, &buf, &n);
	if (ret == -EINVAL)
		ss_error_at(err, 0, path, 0, 0, "not a regular file");
	else if (ret == -EFBIG)
		ss_error_at(err, 0, path, 0, 0, "larger than %d bytes", CONFIG_MAX_BYTES);
	else if (ret)
		ss_error_at(err, 0, path, 0, 0, "%s", strerror(-ret));
	if (ret)
		return ret;
	ret = config_load_string(path, buf, n, o, err);
	free(buf);
	return ret;
}
