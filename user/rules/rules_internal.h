/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Internals shared by the rules modules: the arena that owns a ruleset,
 * source positions, definitions as loaded from YAML, and compiled nodes.
 */
#ifndef SS_RULES_INTERNAL_H
#define SS_RULES_INTERNAL_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rules/rules.h"

/* Limits on what a rules file can make us do. */
#define RULES_MAX_FILE_BYTES (16u << 20)
#define RULES_MAX_DEPTH 256	/* parentheses plus macro nesting */
#define RULES_MAX_WEIGHT 200000 /* compiled nodes one condition may reach */
#define RULES_MAX_LIST_ITEMS 65536
#define RULES_MAX_PIECES 16
#define RULES_MAX_INDEX 64 /* proc.aname[N] */

/* ---- arena: everything a ruleset or condition owns, freed at once ---- */
struct arena_chunk;
struct arena {
	struct arena_chunk *head;
	regex_t **res;
	size_t nres, capres;
	bool failed; /* an allocation failed: the owner reports -ENOMEM */
};

void *arena_alloc(struct arena *a, size_t n); /* zeroed */
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
void *arena_grow(struct arena *a, void *old, size_t old_n, size_t new_n, size_t elem);
regex_t *arena_regex(struct arena *a, const char *pattern, int flags, int *rc);
void arena_free(struct arena *a);

/* ---- source positions ---- */
struct src_file {
	const char *name;
	const char *text;
	size_t len;
};

/* Where a piece of a condition or template starts in its file. */
struct src_piece {
	const struct src_file *file;
	int line, col; /* 1-based, of the YAML scalar */
	size_t off;    /* offset of the piece in the joined text */
};

/* A condition or output text, possibly joined from appends. */
struct src_text {
	const char *text;
	size_t len;
	int npieces;
	struct src_piece pieces[RULES_MAX_PIECES];
};

/* Fill err->file/line/col for offset off of t. */
void src_text_locate(const struct src_text *t, size_t off, struct ss_error *err);
int src_text_append(struct arena *a, struct src_text *t, const char *text, size_t len,
		    const struct src_piece *where);

/* ---- definitions ---- */
struct list_def {
	const char *name;
	const char **items;
	size_t n;
	const char *file;
	int line, col;
};

struct macro_def {
	const char *name;
	struct src_text cond;
};

/* One exception value: a scalar, or an inline list (n >= 0 with is_list). */
struct exc_item {
	bool is_list;
	const char *s;
	const char **items;
	size_t n;
};

struct exc_def {
	const char *name;
	const char **fields;
	size_t nfields;
	bool fields_is_list;
	const char **comps;
	size_t ncomps;
	struct exc_item **values; /* nvalues tuples of nfields items */
	size_t nvalues;
	const char *file;
	int line, col;
};

/* ---- compiled conditions ---- */
enum cmp_op {
	OP_EQ,
	OP_NE,
	OP_LT,
	OP_LE,
	OP_GT,
	OP_GE,
	OP_CONTAINS,
	OP_ICONTAINS,
	OP_BCONTAINS,
	OP_STARTSWITH,
	OP_BSTARTSWITH,
	OP_ENDSWITH,
	OP_IN,
	OP_INTERSECTS,
	OP_PMATCH,
	OP_GLOB,
	OP_IGLOB,
	OP_REGEX,
	OP_EXISTS,
};

enum node_kind { N_TRUE, N_FALSE, N_AND, N_OR, N_NOT, N_CMP };

struct cnode {
	enum node_kind kind;
	/* N_AND, N_OR: kids; N_NOT: kids[0] */
	struct cnode **kids;
	size_t nkids;
	/* N_CMP */
	enum cmp_op op;
	enum field_id field;
	int index;	   /* -1 without [N] */
	bool any_ancestor; /* proc.aname / proc.apid without index */
	const char *str;   /* string operand; bytes for bcontains/bstartswith */
	size_t slen;
	int64_t num;
	const char **set; /* sorted strings (in, intersects) or prefixes (pmatch) */
	int64_t *iset;	  /* sorted ints */
	size_t nset;
	regex_t *re;
};

bool cnode_eval(const struct cnode *n, const struct exec_event *ev);

/* Compile errors: the first one wins. */
enum cerr_kind {
	CE_NONE = 0,
	CE_SYNTAX,
	CE_UNSUPPORTED, /* a field or feature shellsentry cannot provide */
	CE_UNDEFINED,
	CE_CYCLE,
	CE_TYPE,
	CE_LIMIT,
	CE_NOMEM,
};

struct cerr {
	enum cerr_kind kind;
	struct ss_error pos; /* file/line/col filled, msg holds the reason */
	char field[64];	     /* CE_UNSUPPORTED: the field name, without its [index] */
};

struct macro_memo {
	int state; /* 0 new, 1 compiling, 2 done, 3 failed */
	struct cnode *node;
	int depth;
	size_t weight;
	struct cerr err;
};

/* What conditions may reference, and where compiled nodes go. */
struct cctx {
	struct arena *arena;
	const struct macro_def *macros;
	size_t nmacros;
	struct macro_memo *memo; /* nmacros entries */
	const struct list_def *lists;
	size_t nlists;
	struct cerr err;
};

/*
 * Compile text (a condition) into a node. Returns NULL with cx->err set.
 * weight and depth report the size for limits (may be NULL).
 */
struct cnode *cond_compile(struct cctx *cx, const struct src_text *t, size_t *weight, int *depth);
struct cnode *cond_compile_macro(struct cctx *cx, size_t idx);
/* A comparison built from an exception: field, comparator and value(s). */
struct cnode *cond_compile_check(struct cctx *cx, const char *field, const char *comp,
				 const struct exc_item *val, const char *file, int line, int col);
struct cnode *cnode_new(struct arena *a, enum node_kind kind, size_t nkids);

/* Prefilter analysis of a compiled condition. */
struct name_set {
	bool any;
	bool exe_drift; /* also: execs whose exe is a memfd or on the overlay upper layer */
	bool session;	/* also: commands of shell sessions, which the kernel sends anyway */
	size_t n;
	char names[PREFILTER_MAX_NAMES][SS_NAME_KEY_LEN];
};
int cnode_names(const struct cnode *n, struct name_set *out);

bool cnode_needs_container(const struct cnode *n, bool negated);

/* Whether the condition can hold for an exec event (its evt.type checks allow one). */
bool cnode_can_match_exec(const struct cnode *n);

/* ---- output templates ---- */
struct out_seg {
	const char *lit; /* literal text, or NULL for a field */
	size_t len;
	struct field_ref ref;
};

struct out_tmpl {
	struct out_seg *segs;
	size_t nsegs;
	struct field_ref *refs; /* unique, in order */
	size_t nrefs;
};

int output_compile(struct arena *a, const struct src_text *t, struct out_tmpl *out,
		   struct cerr *err);
int output_render(const struct out_tmpl *t, const struct exec_event *ev, char *buf, size_t len);

/* ---- the ruleset ---- */
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

#endif /* SS_RULES_INTERNAL_H */
