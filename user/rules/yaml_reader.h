/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Reading rules files (libyaml, positions kept) into definitions: yaml_node.c
 * (node helpers), yaml_items.c (list, macro and rule items, exceptions: uses
 * the nodes), yaml_read.c (documents, files and folders: hands items to
 * yaml_items.c), and compile.c, which drives a load and compiles what was read.
 */
#ifndef SS_YAML_READER_H
#define SS_YAML_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <yaml.h>

#include "rules/rules_internal.h"

struct rules_reader {
	struct ruleset *rs;
	struct rules_options opt;
	struct ss_error *err;
	FILE *warn;
	const struct src_file *file;
	yaml_document_t *doc;
	size_t caprules, capmacros, caplists;
	bool in_dir; /* loading a folder's files: a knowledge base is skipped */
};

/* reader_load_path(): the file is a knowledge base, not rules (in a folder) */
#define READER_NOT_RULES 1

struct reader_item_keys {
	const yaml_node_t *name_node;
	const yaml_node_t *vals[16];
	const yaml_node_t *keys[16];
};

enum merge { MERGE_NEW, MERGE_APPEND, MERGE_REPLACE };

/* yaml_node.c */
const char *reader_node_kind(const yaml_node_t *n); /* "a scalar", "a list", ... */
int reader_err(struct rules_reader *l, const yaml_node_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int reader_nomem(struct rules_reader *l);
yaml_node_t *reader_node(struct rules_reader *l, int id);
int reader_bool(struct rules_reader *l, const yaml_node_t *n, const char *what, bool *out);
int reader_scalar(struct rules_reader *l, const yaml_node_t *n, const char *what, const char **out);
int reader_string_seq(struct rules_reader *l, const yaml_node_t *n, const char *what,
		      bool allow_scalar, const char ***out, size_t *nout);
int reader_text(struct rules_reader *l, const yaml_node_t *n, const char *what, bool append,
		struct src_text *t);
int reader_item_keys(struct rules_reader *l, const yaml_node_t *item, const char *const *allowed,
		     size_t nallowed, struct reader_item_keys *k);
int reader_merge_modes(struct rules_reader *l, const struct reader_item_keys *k,
		       const char *const *allowed, size_t nallowed, size_t i_append,
		       size_t i_override, const char *const *appendable,
		       const char *const *replaceable, enum merge *mode, bool *merging);
struct list_def *rules_find_list_def(struct ruleset *rs, const char *name);
struct macro_def *rules_find_macro_def(struct ruleset *rs, const char *name);
struct rule *rules_find_rule(struct ruleset *rs, const char *name);
int reader_concat_strs(struct rules_reader *l, const char ***v, size_t *n, const char **add,
		       size_t nadd);

/* yaml_read.c */
int reader_load_path(struct rules_reader *l, const char *path);

/* yaml_items.c */
int reader_load_list(struct rules_reader *l, const yaml_node_t *item);
int reader_load_macro(struct rules_reader *l, const yaml_node_t *item);
int reader_load_rule(struct rules_reader *l, const yaml_node_t *item);

#endif /* SS_YAML_READER_H */
