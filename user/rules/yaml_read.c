// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Rules files, read: libyaml documents with positions kept, files and folders (a
 * folder loads its regular *.yaml and *.yml files sorted by name, as Falco's
 * -r; a knowledge base in it is skipped); each item goes to yaml_items.c.
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

static bool mapping_has(struct rules_reader *l, yaml_node_t *map, const char *name)
{
	yaml_node_pair_t *pair;
	yaml_node_t *key;

	for (pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
		key = reader_node(l, pair->key);
		if (key && key->type == YAML_SCALAR_NODE &&
		    !strcmp((const char *)key->data.scalar.value, name))
			return true;
	}
	return false;
}

static int load_document(struct rules_reader *l)
{
	yaml_node_t *root = yaml_document_get_root_node(l->doc);
	yaml_node_item_t *it;
	int rc;

	if (!root)
		return 0;
	if (root->type == YAML_SCALAR_NODE && !root->data.scalar.length)
		return 0;
	if (root->type != YAML_SEQUENCE_NODE)
		return reader_err(l, root,
				  "a rules file is a list of rule, macro and list items, not %s",
				  reader_node_kind(root));
	for (it = root->data.sequence.items.start; it < root->data.sequence.items.top; it++) {
		yaml_node_t *item = reader_node(l, *it);
		yaml_node_pair_t *pair;
		const char *kind = NULL;

		if (!item || item->type != YAML_MAPPING_NODE)
			return reader_err(
				l, item ? item : root,
				"each item must be a mapping (rule, macro or list), not %s",
				item ? reader_node_kind(item) : "nothing");
		for (pair = item->data.mapping.pairs.start; pair < item->data.mapping.pairs.top;
		     pair++) {
			yaml_node_t *key = reader_node(l, pair->key);
			const char *kn;

			if (!key || key->type != YAML_SCALAR_NODE)
				continue;
			kn = (const char *)key->data.scalar.value;
			if (!strcmp(kn, "rule") || !strcmp(kn, "macro") || !strcmp(kn, "list") ||
			    !strcmp(kn, "required_engine_version") ||
			    !strcmp(kn, "required_plugin_versions")) {
				if (kind)
					return reader_err(l, key, "item is both '%s' and '%s'",
							  kind, kn);
				kind = kn;
			}
		}
		if (!kind && it == root->data.sequence.items.start &&
		    mapping_has(l, item, "pattern")) {
			/* the knowledge base of reports lives beside the rules: not a rules file */
			if (l->in_dir)
				return READER_NOT_RULES;
			return reader_err(l, item,
					  "a knowledge base (pattern items), not a rules file");
		}
		if (!kind)
			return reader_err(l, item, "item is not a rule, macro or list");
		if (!strcmp(kind, "rule"))
			rc = reader_load_rule(l, item);
		else if (!strcmp(kind, "macro"))
			rc = reader_load_macro(l, item);
		else if (!strcmp(kind, "list"))
			rc = reader_load_list(l, item);
		else
			rc = 0; /* engine and plugin versions: accepted as Falco does */
		if (rc)
			return rc;
	}
	return 0;
}

/* The file's text, kept in the ruleset's arena: error positions point into it later. */
static int read_file(struct rules_reader *l, const char *path, char **text, size_t *len)
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
static int load_text(struct rules_reader *l, const char *name, const char *text, size_t len)
{
	struct src_file *f = arena_alloc(&l->rs->arena, sizeof(*f));
	yaml_parser_t parser;
	yaml_document_t doc;
	int rc = 0;

	if (!f)
		return reader_nomem(l);
	f->name = arena_strdup(&l->rs->arena, name);
	f->text = text;
	f->len = len;
	if (!f->name)
		return reader_nomem(l);
	l->file = f;
	if (!yaml_parser_initialize(&parser))
		return reader_nomem(l);
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

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int load_dir(struct rules_reader *l, const char *path)
{
	struct dirent *de;
	char **names = NULL, *full;
	size_t n = 0, cap = 0, i, loaded = 0;
	DIR *d = opendir(path);
	int rc = 0;

	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);

		struct stat st;

		/* Falco's -r: the folder's regular files named *.yaml or *.yml, not recursive */
		if (de->d_name[0] == '.' || !((len > 5 && !strcmp(de->d_name + len - 5, ".yaml")) ||
					      (len > 4 && !strcmp(de->d_name + len - 4, ".yml"))))
			continue;
		if (fstatat(dirfd(d), de->d_name, &st, 0) || !S_ISREG(st.st_mode))
			continue;
		if (n == cap) {
			char **v =
				arena_grow(&l->rs->arena, names, n, cap ? cap * 2 : 16, sizeof(*v));

			if (!v) {
				rc = reader_nomem(l);
				goto out;
			}
			names = v;
			cap = cap ? cap * 2 : 16;
		}
		names[n] = arena_strdup(&l->rs->arena, de->d_name);
		if (!names[n]) {
			rc = reader_nomem(l);
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
			rc = reader_nomem(l);
			break;
		}
		snprintf(full, len, "%s/%s", path, names[i]);
		l->in_dir = true;
		rc = reader_load_path(l, full);
		l->in_dir = false;
		if (rc == READER_NOT_RULES) {
			if (l->warn)
				fprintf(l->warn,
					"%s: note: a knowledge base, not a rules file: not "
					"loaded as rules\n",
					full);
			rc = 0;
			continue;
		}
		loaded++;
	}
	if (!rc && !loaded) {
		memset(l->err, 0, sizeof(*l->err));
		snprintf(l->err->file, sizeof(l->err->file), "%s", path);
		snprintf(l->err->msg, sizeof(l->err->msg),
			 "no rules files (*.yaml, *.yml) in this folder");
		rc = -ENOENT;
	}
out:
	closedir(d);
	return rc;
}

int reader_load_path(struct rules_reader *l, const char *path)
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
		return reader_nomem(l);
	memset(l->err, 0, sizeof(*l->err));
	snprintf(l->err->file, sizeof(l->err->file), "%s", path);
	snprintf(l->err->msg, sizeof(l->err->msg), "cannot read rules: %s",
		 rc == -EFBIG ? "file larger than 16 MiB" : strerror(-rc));
	return rc;
}
