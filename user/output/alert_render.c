// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/alert_render.h"

#define OUTPUT_LEN (EXEC_STR_MAX * 4)

int alert_renderer_init(struct alert_renderer *r, bool need_json, bool need_text)
{
	memset(r, 0, sizeof(*r));
	r->need_json = need_json;
	r->need_text = need_text;
	r->base_json_len = -1;
	r->output = malloc(OUTPUT_LEN);
	r->json = need_json ? malloc(ALERT_BUF_LEN) : NULL;
	r->base_json = need_json ? malloc(ALERT_BUF_LEN) : NULL;
	r->text = need_text ? malloc(ALERT_BUF_LEN) : NULL;
	if (!r->output || (need_json && (!r->json || !r->base_json)) || (need_text && !r->text)) {
		alert_renderer_free(r);
		return -ENOMEM;
	}
	return 0;
}

void alert_renderer_free(struct alert_renderer *r)
{
	free(r->output);
	free(r->json);
	free(r->base_json);
	free(r->text);
	memset(r, 0, sizeof(*r));
}

void alert_renderer_next_event(struct alert_renderer *r)
{
	r->base_json_len = -1;
}

int alert_renderer_render(struct alert_renderer *r, const struct rule *rule,
			  const struct exec_event *ev, uint64_t suppressed, struct alert_out *out)
{
	struct alert_render a = {
		.ev = ev,
		.rule = rule_name(rule),
		.priority = rule_priority(rule),
		.output = r->output,
	};
	int jl = 0, tl = 0;
	size_t l;

	a.n_tags = rule_tags(rule, &a.tags);
	a.n_refs = rule_output_fields(rule, &a.refs);
	if (rule_render_output(rule, ev, r->output, OUTPUT_LEN) < 0)
		snprintf(r->output, OUTPUT_LEN, "%s", a.rule);
	/* YAML block scalars end in a newline; Falco trims it too. */
	for (l = strlen(r->output); l && (r->output[l - 1] == '\n' || r->output[l - 1] == ' ');)
		r->output[--l] = 0;
	if (suppressed)
		snprintf(r->output + l, OUTPUT_LEN - l,
			 " (%" PRIu64 " earlier alerts of this rule suppressed by the rate limit)",
			 suppressed);
	if (r->need_json) {
		/* The base fields are the same for every rule the event matched. */
		if (r->base_json_len < 0)
			r->base_json_len =
				alert_format_base_fields(ev, r->base_json, ALERT_BUF_LEN);
		if (r->base_json_len >= 0) {
			a.base_json = r->base_json;
			a.base_json_len = (size_t)r->base_json_len;
		}
		jl = alert_format_json(&a, r->json, ALERT_BUF_LEN);
	}
	if (r->need_text)
		tl = alert_format_text(&a, r->text, ALERT_BUF_LEN);
	if (jl < 0 || tl < 0)
		return -ENOSPC;
	memset(out, 0, sizeof(*out));
	out->json = r->need_json ? r->json : NULL;
	out->json_len = (size_t)jl;
	out->text = r->need_text ? r->text : NULL;
	out->text_len = (size_t)tl;
	out->priority = a.priority;
	out->rule = a.rule;
	return 0;
}
