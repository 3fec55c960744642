/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Knowledge base for reports: known patterns of shell activity, as data
 * (rules/knowledge_base.yaml). Each pattern has a match condition in the
 * rule-condition language, a verdict and the evidence behind it, and
 * optional checks that confirm or contradict it from the event's context.
 */
#ifndef SS_KB_H
#define SS_KB_H

#include <stdbool.h>
#include <stddef.h>

#include "event/exec_event.h"
#include "event/fields.h"
#include "rules/rules.h"

#define KB_MAX_PATTERNS 256
#define KB_MAX_CHECKS 8
#define KB_MAX_FIELDS 16
#define KB_MAX_SUPERSEDES 8
#define KB_FILE_MAX (1u << 20)

/* Ordered by weight: a more severe verdict wins when several patterns match. */
enum kb_verdict {
	KB_NONE = 0, /* no pattern matched */
	KB_EXPECTED,
	KB_SUSPICIOUS,
	KB_MALICIOUS, /* "malicious-indicator" */
};

/* "none", "expected", "suspicious", "malicious-indicator" */
const char *kb_verdict_name(enum kb_verdict v);

struct kb_check {
	char *text;	      /* what to confirm, for a human */
	char *why;	      /* why a failure matters, for the report; NULL when not said */
	char *condition_text; /* NULL: can only be checked by hand */
	struct condition *cond;
	enum field_id fields[KB_MAX_FIELDS]; /* fields the condition reads */
	size_t n_fields;
};

struct kb_pattern {
	char *id;
	char *title;
	enum kb_verdict verdict;
	char *condition_text;
	struct condition *cond;
	char *evidence;
	char *advice; /* NULL when none */
	struct kb_check checks[KB_MAX_CHECKS];
	size_t n_checks;
	char *supersedes[KB_MAX_SUPERSEDES]; /* pattern ids this one explains away */
	size_t n_supersedes;
	struct field_ref fields[KB_MAX_FIELDS]; /* fields the condition reads */
	size_t n_fields;
	int line; /* where it is defined */
};

struct kb;

/*
 * Load a knowledge base. Errors name file:line:col and the pattern. Patterns
 * marked expected may not supersede a malicious-indicator one: a benign
 * explanation never hides an attack indicator.
 */
int kb_load(const char *path, struct kb **out, struct ss_error *err);
int kb_load_buffer(const char *text, size_t len, const char *name, struct kb **out,
		   struct ss_error *err);
void kb_free(struct kb *kb);
size_t kb_count(const struct kb *kb);
const struct kb_pattern *kb_get(const struct kb *kb, size_t i);
const char *kb_source(const struct kb *kb);

enum kb_check_state {
	KB_CHECK_MANUAL = 0, /* no condition: a human must look */
	KB_CHECK_UNKNOWN,    /* the event does not carry the fields it needs */
	KB_CHECK_HOLDS,
	KB_CHECK_FAILS,
};

#define KB_MAX_MATCHES 16
struct kb_result {
	const struct kb_pattern *matched[KB_MAX_MATCHES]; /* file order */
	enum kb_check_state checks[KB_MAX_MATCHES][KB_MAX_CHECKS];
	/* an expected pattern whose context checks fail counts as suspicious */
	bool contradicted[KB_MAX_MATCHES];
	size_t n_matched;
	const struct kb_pattern *superseded[KB_MAX_MATCHES]; /* matched but explained away */
	size_t n_superseded;
	enum kb_verdict verdict; /* most severe of matched, KB_NONE when none */
};

/*
 * Evaluate every pattern against one event (kb may be NULL: nothing
 * matches). known: F_COUNT flags for the fields the event really carries;
 * NULL means all.
 */
void kb_match(const struct kb *kb, const struct exec_event *ev, const bool *known,
	      struct kb_result *out);

/* known: F_COUNT flags, true when the event's value of that field is known. */
enum kb_check_state kb_check_eval(const struct kb_check *c, const struct exec_event *ev,
				  const bool *known);

#endif /* SS_KB_H */
