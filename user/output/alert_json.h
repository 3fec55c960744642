/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * One alert as read back from a JSON line: Falco's own JSON output or
 * shellsentry's (same keys; shellsentry adds its own output fields). The
 * event is rebuilt from output_fields; what the line does not say stays
 * unknown (known[] false), never guessed.
 */
#ifndef SS_ALERT_JSON_H
#define SS_ALERT_JSON_H

#include <stdbool.h>
#include <stdio.h>
#include <stddef.h>

#include "event/exec_event.h"
#include "event/fields.h"
#include "lib/error.h"

#define ALERT_LINE_MAX (1u << 20) /* longer lines are rejected */
#define ALERT_RULE_MAX 256

struct alert {
	struct exec_event ev;
	char rule[ALERT_RULE_MAX];
	int priority;  /* enum priority, -1 when unknown */
	char time[64]; /* as written in the alert, "" when absent */
	char source[32];
	char output[2048];   /* rendered output, cut when longer */
	bool time_known;     /* ev.time_ns holds the alert's time */
	bool known[F_COUNT]; /* the alert gave this field (maybe as null) */
	bool shellsentry;    /* shellsentry's own fields were present */
};

/*
 * Parse one JSON object. Strings are copied with their bytes, cut to the
 * event's bounds. Returns 0, or -EINVAL (not an alert: bad JSON, no rule)
 * or -E2BIG (line too long) with err filled.
 */
int alert_from_json(const char *line, size_t len, struct alert *out, struct ss_error *err);

/*
 * One line of alert input into buf, without its newline (and a CR before
 * it). A longer line is consumed to its end and flagged, so a huge line
 * costs no memory. False at end of input.
 */
bool alert_read_line(FILE *in, char *buf, size_t cap, size_t *len, bool *too_long);

/* An alert for an event seen live: every field shellsentry captures known. */
void alert_from_event(struct alert *out, const struct exec_event *ev, const char *rule,
		      int priority, const char *output);

/* RFC 3339 time ("2024-01-02T03:04:05.123456789Z" or with +hh:mm) -> ns. */
int alert_parse_time(const char *s, uint64_t *ns);

/* Whether the alert says anything about field id (known and not null). */
bool alert_field_known(const struct alert *a, enum field_id id);
/* alert_field_known() for every field: known must hold F_COUNT flags. */
void alert_known_mask(const struct alert *a, bool *known);

#endif /* SS_ALERT_JSON_H */
