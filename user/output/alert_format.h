/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* An alert rendered as Falco's JSON object or as one Falco-like text line. */
#ifndef SS_ALERT_FORMAT_H
#define SS_ALERT_FORMAT_H

#include <stddef.h>

#include "event/exec_event.h"
#include "rules/rules.h"

#define ALERT_BUF_LEN (256 * 1024)

struct alert_render {
	const struct exec_event *ev;
	const char *rule;
	enum priority priority;
	const char *output; /* rendered template, raw (unescaped) */
	const char *const *tags;
	size_t n_tags;
	const struct field_ref *refs; /* the rule's output fields */
	size_t n_refs;
	/*
	 * Optional: the event's base output_fields, rendered once with
	 * alert_format_base_fields() and shared by every rule it matched.
	 */
	const char *base_json;
	size_t base_json_len;
};

/* The base output_fields members ("k":v,...) of an event; length or -ENOSPC. */
int alert_format_base_fields(const struct exec_event *ev, char *buf, size_t len);

/*
 * Falco's keys: time (RFC 3339 UTC, ns), rule, priority, source, hostname,
 * output ("HH:MM:SS.ns: Priority text"), output_fields, tags; one line,
 * no trailing newline. Returns the length or -ENOSPC.
 */
int alert_format_json(const struct alert_render *a, char *buf, size_t len);
/* "<RFC 3339 time>: <Priority> <output>", control characters escaped. */
int alert_format_text(const struct alert_render *a, char *buf, size_t len);

/* "2026-11-26T07:59:22.123456789Z" */
void format_rfc3339_ns(unsigned long long ns, char *buf, size_t len);

#endif /* SS_ALERT_FORMAT_H */
