/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The condition parser's own internals, shared by its files: cond_lex.c
 * (scanning, values, lists, macro and list names), cond_operand.c (operators
 * and their operands), cond_parse.c (fields, comparisons, and/or/not,
 * macros, exception checks). cond_eval.c evaluates what they build;
 * prefilter.c reduces it to binary names for the kernel.
 */
#ifndef SS_COND_PARSER_H
#define SS_COND_PARSER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rules/rules_internal.h"

struct cparser {
	struct cctx *cx;
	const struct src_text *t;
	const char *s;
	size_t len, pos;
	int depth, max_depth;
	size_t weight;
};

struct strvec {
	const char **v;
	size_t n, cap;
};

struct cond_op_name {
	const char *name;
	enum cmp_op op;
};

/* The comparison operators by name, ending with a NULL name. */
extern const struct cond_op_name cond_op_names[];

/* cond_lex.c */
bool cond_at_keyword(const struct cparser *p, const char *kw);
char *cond_scan_value(struct cparser *p, bool in_list, bool *quoted);
const char *cond_excerpt(const struct cparser *p, size_t off, char *buf, size_t len);
const struct list_def *cond_find_list(const struct cctx *cx, const char *name);
int cond_find_macro(const struct cctx *cx, const char *name, size_t len);
int cond_parse_list(struct cparser *p, struct strvec *sv);
int cond_strvec_push(struct arena *a, struct strvec *sv, const char *s);
size_t cond_word_len(const struct cparser *p, size_t at);
struct cnode *cond_err(struct cparser *p, size_t off, enum cerr_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
struct cnode *cond_nomem(struct cparser *p);
void cond_skip_ws(struct cparser *p);

/* cond_operand.c */
bool cond_op_is_list(enum cmp_op op);
bool cond_op_valid_for(enum cmp_op op, enum field_type t);
bool cond_parse_int(const char *s, int64_t *out);
int cond_cmp_i64(const void *a, const void *b);
int cond_cmp_str_sorted(const void *a, const void *b);
int cond_set_list_operand(struct cparser *p, struct cnode *n, enum field_type type,
			  struct strvec *sv, size_t at);
int cond_set_operand(struct cparser *p, struct cnode *n, enum field_type type, const char *v,
		     size_t at);
struct cnode *cond_fold_evt_num(struct cparser *p, struct cnode *n);

/* cond_eval.c */
bool cond_cmp_str(const struct cnode *n, const char *s);
bool cond_cmp_value(const struct cnode *n, const struct field_value *v);

#endif /* SS_COND_PARSER_H */
