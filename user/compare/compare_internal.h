/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Internals of `shellsentry compare`, one job per file: compare.c (options,
 * the run), compare_read.c (reading alerts, format checks), compare_match.c
 * (grouping alerts into execs, matching execs, rule totals),
 * compare_print.c (the table and the JSON report).
 */
#ifndef SS_COMPARE_INTERNAL_H
#define SS_COMPARE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "compare/compare.h"
#include "compare/compare_explain.h"
#include "output/alert_json.h"

#define MAX_RULE_GLOBS 32
#define MAX_ISSUES_KEPT 50 /* per side; the rest are counted */
#define JSON_MAX_DEPTH 16

enum cmp_format { CMP_TABLE, CMP_JSON };

#define NF 30 /* entries of cmp_fields[] */
enum { KEY_CID, KEY_PID, KEY_CMDLINE };

/* One value as an alert gave it: absent (not in output_fields), null, or set. */
struct cval {
	bool present;
	bool null;
	bool is_int;
	int64_t i;
	char *s;
};

struct calert {
	char *rule;
	char *time;
	char *host;
	uint64_t time_ns;
	size_t line;
	struct cval v[NF];
};

/* Alerts of one side for one event: contiguous after sorting. */
struct cexec {
	size_t first, n;	  /* into side.alerts */
	const struct cval *v[NF]; /* first value given (set before null) */
	long match;		  /* index of the other side's exec, -1 */
	size_t ndiff;
};

struct issue {
	size_t line;
	char field[32];
	char problem[200];
};

struct side {
	const char *label; /* "falco" or "shellsentry" */
	const char *path;
	struct calert *alerts;
	size_t n, cap;
	struct cexec *execs;
	size_t nexec;
	size_t bad, not_exec, other_rule, matched;
	struct issue issues[MAX_ISSUES_KEPT];
	size_t nissues;
};

struct rule_total {
	const char *name;
	size_t both, only_falco, only_ours;
};

struct cmp {
	const char *falco_path, *ours_path;
	const char *globs[MAX_RULE_GLOBS];
	size_t nglobs;
	uint64_t window_ns;
	enum cmp_format format;
	bool fail_on_diff;
	bool any_host; /* match execs whatever their host names */
	FILE *in, *out, *errf;
	struct side falco, ours;
	struct rule_total *rules;
	size_t nrules;
	size_t field_diffs[NF];
	size_t execs_with_diffs, execs_rule_diff;
	size_t runtime_parent_race; /* proc.pname runc on one side, the subreaper on the other */
	char *line;
	struct alert *alert;
};

/* Exec facts both tools can report, in the order differences are printed (compare.c). */
extern const enum field_id cmp_fields[NF];

/* compare_read.c */
int compare_read_side(struct cmp *c, struct side *s);
void compare_calert_free(struct calert *a);

/* compare_match.c */
int compare_group_execs(struct side *s);
void compare_match_execs(struct cmp *c);
int compare_count_rules(struct cmp *c);
bool compare_sides_differ(const struct cmp *c);
const struct calert *compare_exec_alert(const struct side *s, const struct cexec *e);
bool compare_first_of_rule(const struct side *s, const struct cexec *e, size_t i);
/* cmp_fields[j] differs in a and b (the runtime-parent race of proc.pname does not count) */
bool compare_field_differs(size_t j, const struct cval *a, const struct cval *b);
/* a and b differ at all */
bool compare_cval_differs(const struct cval *a, const struct cval *b);
bool compare_cval_set(const struct cval *v);

/* compare_match.c: why execs of both sides are left unmatched (reasons as compare_explain()) */
size_t compare_explain_unmatched(const struct cmp *c, char reasons[][CMP_REASON_LEN]);

/* compare_print.c */
void compare_print_table(const struct cmp *c);
void compare_print_json(const struct cmp *c);

#endif /* SS_COMPARE_INTERNAL_H */
