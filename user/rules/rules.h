/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Falco-compatible rules for exec events: load YAML rules files, compile
 * conditions and output templates once, evaluate per event by field id.
 */
#ifndef SS_RULES_H
#define SS_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "event/exec_event.h"
#include "event/fields.h"
#include "lib/error.h"
#include "lib/names.h"

enum priority {
	PRIO_EMERGENCY = 0,
	PRIO_ALERT,
	PRIO_CRITICAL,
	PRIO_ERROR,
	PRIO_WARNING,
	PRIO_NOTICE,
	PRIO_INFORMATIONAL,
	PRIO_DEBUG,
};

/* Falco's spellings and aliases, read case-insensitively. */
extern const struct name_map priority_names[];

/* "Emergency" .. "Debug", Falco's spelling. */
const char *priority_name(enum priority p);
/* Case-insensitive; accepts Falco's aliases ("INFO", "informational"). */
int priority_from_string(const char *s, enum priority *out);

/*
 * Falco's rule_matching: with first (Falco's default) an event raises only
 * the first enabled rule that matches it, in load order; with all, every
 * matching rule, in that order.
 */
enum rule_matching {
	RULE_MATCHING_FIRST = 0,
	RULE_MATCHING_ALL,
};

extern const struct name_map rule_matching_names[];

struct rules_options {
	bool falco_compat;		   /* skip rules using unsupported fields, with a warning */
	enum priority min_priority;	   /* rules below it are not loaded */
	const char *const *disabled_rules; /* globs on rule names */
	size_t n_disabled_rules;
	const char *const *disabled_tags;
	size_t n_disabled_tags;
};

struct rules_summary {
	size_t rules; /* enabled and loaded */
	size_t disabled;
	size_t macros;
	size_t lists;
	size_t skipped; /* unsupported fields (falco_compat) */
};

struct ruleset;
struct rule;

/* A field reference as written in a template or condition. */
struct field_ref {
	enum field_id id;
	int index;     /* -1 without [N] */
	char name[48]; /* as written, e.g. "proc.aname[2]" */
};

/*
 * Load rules files in order (a directory loads its *.yaml sorted by name);
 * later files extend or override earlier ones as in Falco. On error returns
 * a negative errno, fills err with file, line, column and reason, and
 * *out is left untouched (nothing half-loaded). Skip warnings go to warn.
 */
int ruleset_load(const char *const *paths, size_t n, const struct rules_options *opt,
		 struct ruleset **out, struct ss_error *err, FILE *warn);
void ruleset_free(struct ruleset *rs);
void ruleset_get_summary(const struct ruleset *rs, struct rules_summary *out);

/* Matching enabled rules in file order; returns how many (<= max). */
size_t ruleset_eval(const struct ruleset *rs, const struct exec_event *ev,
		    const struct rule **matches, size_t max);

const char *rule_name(const struct rule *r);
enum priority rule_priority(const struct rule *r);
size_t rule_tags(const struct rule *r, const char *const **tags);
/* Fields the output template references, in order, without duplicates. */
size_t rule_output_fields(const struct rule *r, const struct field_ref **refs);
/* Output text with %field substituted (raw values, <NA> for null). */
int rule_render_output(const struct rule *r, const struct exec_event *ev, char *buf, size_t len);

/*
 * Kernel prefilter derived from the enabled rules: the binary names any
 * rule can match, and whether some rule needs every container exec or host
 * execs. When a condition cannot be reduced to names the filter is widened
 * (never narrowed) and why is written to reason.
 */
#define PREFILTER_MAX_NAMES 256
struct prefilter {
	size_t n_names;
	char names[PREFILTER_MAX_NAMES][SS_NAME_KEY_LEN];
	bool all_container_execs;
	bool host_execs;
	/* also container execs of a memfd or an overlay upper-layer file (evt.arg.flags) */
	bool exe_drift;
	/*
	 * some rule reads proc.cwd / proc.pexepath (condition, exception or
	 * output); cwd_session: only rules that match session commands alone do
	 */
	bool cwd, cwd_session, pexepath;
	char reason[512];
};
int ruleset_prefilter(const struct ruleset *rs, struct prefilter *out);

/*
 * A standalone condition (used by the report knowledge base). Macros and
 * lists of rs may be referenced when rs is not NULL.
 */
struct condition;
int condition_compile(const char *text, const struct ruleset *rs, struct condition **out,
		      struct ss_error *err);
bool condition_eval(const struct condition *c, const struct exec_event *ev);
void condition_free(struct condition *c);

#endif /* SS_RULES_H */
