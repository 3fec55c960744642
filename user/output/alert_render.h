/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * One event's alerts, rule by rule, in the forms the sinks use. Owns the
 * buffers; the event's base output_fields are rendered once and shared by
 * every rule it matched. Used by the daemon and by the replay benchmark, so
 * the benchmark measures the product's own path.
 */
#ifndef SS_ALERT_RENDER_H
#define SS_ALERT_RENDER_H

#include <stdbool.h>
#include <stdint.h>

#include "output/alert_format.h"
#include "event/exec_event.h"
#include "rules/rules.h"
#include "output/sink.h"

struct alert_renderer {
	bool need_json;
	bool need_text;
	char *output; /* the rule's rendered template, raw */
	char *json;
	char *text;
	char *base_json;
	int base_json_len; /* -1: not rendered for the current event */
};

int alert_renderer_init(struct alert_renderer *r, bool need_json, bool need_text);
void alert_renderer_free(struct alert_renderer *r);
/* A new event: the base fields are rendered again on its first alert. */
void alert_renderer_next_event(struct alert_renderer *r);
/*
 * Render rule's alert for ev into out (pointing into r's buffers, valid
 * until the next call). suppressed > 0 notes earlier rate-limited alerts.
 * Returns 0 or -ENOSPC.
 */
int alert_renderer_render(struct alert_renderer *r, const struct rule *rule,
			  const struct exec_event *ev, uint64_t suppressed, struct alert_out *out);

#endif /* SS_ALERT_RENDER_H */
