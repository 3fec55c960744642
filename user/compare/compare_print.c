// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* compare: the report, as a table for people or one JSON object for CI. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "compare/compare_internal.h"
#include "lib/escape.h"

/* ---- output: table ---- */

static void put_text(FILE *f, const char *s)
{
	size_t n = strlen(s), cap = n * 4 + 1;
	char *buf = malloc(cap);

	if (!buf)
		return;
	text_escape(buf, cap, s, n);
	fputs(buf, f);
	free(buf);
}

static void put_cval_text(FILE *f, const struct cval *v)
{
	if (!v) {
		fputs("(absent)", f);
	} else if (v->null) {
		fputs("<NA>", f);
	} else if (v->is_int) {
		fprintf(f, "%" PRId64, v->i);
	} else {
		fputc('"', f);
		put_text(f, v->s);
		fputc('"', f);
	}
}

static void put_exec_line(FILE *f, const struct side *s, const struct cexec *e)
{
	const struct calert *a = compare_exec_alert(s, e);
	size_t k;

	fputs("  ", f);
	put_text(f, a->time);
	fputs(" host=", f);
	put_text(f, a->host[0] ? a->host : "?");
	fputs(" container.id=", f);
	put_cval_text(f, e->v[KEY_CID]);
	fputs(" proc.pid=", f);
	put_cval_text(f, e->v[KEY_PID]);
	fputs(" proc.cmdline=", f);
	put_cval_text(f, e->v[KEY_CMDLINE]);
	fputs(" rules=[", f);
	for (k = 0; k < e->n; k++) {
		if (!compare_first_of_rule(s, e, k))
			continue;
		if (k)
			fputs(", ", f);
		put_text(f, s->alerts[e->first + k].rule);
	}
	fprintf(f, "] (%s:%zu)\n", s->path, a->line);
}

static void put_side_summary(FILE *f, const struct side *s)
{
	fprintf(f, "%-12s ", s->label);
	put_text(f, s->path);
	fprintf(f, ": %zu alerts, %zu execs", s->n, s->nexec);
	if (s->bad)
		fprintf(f, ", %zu lines not alerts", s->bad);
	if (s->not_exec)
		fprintf(f, ", %zu non-exec alerts ignored", s->not_exec);
	if (s->other_rule)
		fprintf(f, ", %zu alerts of other rules ignored", s->other_rule);
	fputc('\n', f);
}

static void put_issues_text(FILE *f, const struct side *s)
{
	size_t i;

	for (i = 0; i < s->nissues && i < MAX_ISSUES_KEPT; i++) {
		fputs("  ", f);
		put_text(f, s->path);
		fprintf(f, ":%zu: %s: %s\n", s->issues[i].line, s->issues[i].field,
			s->issues[i].problem);
	}
	if (s->nissues > MAX_ISSUES_KEPT)
		fprintf(f, "  ... %zu more in %s\n", s->nissues - MAX_ISSUES_KEPT, s->label);
}

void compare_print_table(const struct cmp *c)
{
	char reasons[CMP_REASONS_MAX][CMP_REASON_LEN];
	FILE *f = c->out;
	size_t i, j, n;

	put_side_summary(f, &c->falco);
	put_side_summary(f, &c->ours);
	fprintf(f, "window       %" PRIu64 " ms\n\n", c->window_ns / 1000000);
	fprintf(f,
		"execs: %zu matched (%zu with field differences, %zu with rule differences), "
		"%zu only Falco, %zu only shellsentry\n",
		c->falco.matched, c->execs_with_diffs, c->execs_rule_diff,
		c->falco.nexec - c->falco.matched, c->ours.nexec - c->ours.matched);
	if (c->nrules) {
		fprintf(f, "\n%-44s %6s %11s %17s\n", "rule", "both", "only Falco",
			"only shellsentry");
		for (i = 0; i < c->nrules; i++) {
			char name[256];

			text_escape(name, sizeof(name), c->rules[i].name, strlen(c->rules[i].name));
			fprintf(f, "%-44s %6zu %11zu %17zu\n", name, c->rules[i].both,
				c->rules[i].only_falco, c->rules[i].only_ours);
		}
	}
	if (c->execs_with_diffs) {
		fprintf(f, "\nfield differences (matched execs):\n");
		for (j = 0; j < NF; j++)
			if (c->field_diffs[j])
				fprintf(f, "  %-28s %zu\n", field_table[cmp_fields[j]].name,
					c->field_diffs[j]);
		fprintf(f, "\ndifferences:\n");
		for (i = 0; i < c->falco.nexec; i++) {
			const struct cexec *fe = &c->falco.execs[i], *oe;

			if (!fe->ndiff)
				continue;
			oe = &c->ours.execs[fe->match];
			put_exec_line(f, &c->falco, fe);
			for (j = 0; j < NF; j++) {
				if (!compare_field_differs(j, fe->v[j], oe->v[j]))
					continue;
				fprintf(f, "    %-26s falco=", field_table[cmp_fields[j]].name);
				put_cval_text(f, fe->v[j]);
				fputs(" shellsentry=", f);
				put_cval_text(f, oe->v[j]);
				fputc('\n', f);
			}
		}
	}
	if (c->falco.matched != c->falco.nexec) {
		fprintf(f, "\nonly Falco:\n");
		for (i = 0; i < c->falco.nexec; i++)
			if (c->falco.execs[i].match < 0)
				put_exec_line(f, &c->falco, &c->falco.execs[i]);
	}
	if (c->ours.matched != c->ours.nexec) {
		fprintf(f, "\nonly shellsentry:\n");
		for (i = 0; i < c->ours.nexec; i++)
			if (c->ours.execs[i].match < 0)
				put_exec_line(f, &c->ours, &c->ours.execs[i]);
	}
	if (c->falco.nissues || c->ours.nissues) {
		fprintf(f, "\nvalues not in Falco's format:\n");
		put_issues_text(f, &c->falco);
		put_issues_text(f, &c->ours);
	}
	n = compare_explain_unmatched(c, reasons);
	if (n)
		fprintf(f, "\n%s:\n",
			c->falco.matched ? "why some execs did not line up"
					 : "why no exec lined up");
	for (i = 0; i < n; i++)
		fprintf(f, "  - %s\n", reasons[i]);
	if (c->runtime_parent_race)
		fprintf(f,
			"\nproc.pname: %zu matched execs had the runtime's exec process (runc) on "
			"one "
			"side and its subreaper (conmon, containerd-shim) on the other: both are "
			"the "
			"shell's parent at that instant (runc exits around the exec), so it is not "
			"counted as a difference\n",
			c->runtime_parent_race);
	fprintf(f, "\nresult: %s\n", compare_sides_differ(c) ? "differ" : "same");
}

/* ---- output: JSON (one object, for CI) ---- */

static void put_json_str(FILE *f, const char *s)
{
	size_t n = strlen(s), cap = n * 6 + 1;
	char *buf = malloc(cap);

	fputc('"', f);
	if (buf) {
		json_escape(buf, cap, s, n);
		fputs(buf, f);
		free(buf);
	}
	fputc('"', f);
}

static void put_cval_json(FILE *f, const struct cval *v)
{
	if (!v || v->null)
		fputs("null", f);
	else if (v->is_int)
		fprintf(f, "%" PRId64, v->i);
	else
		put_json_str(f, v->s);
}

static void put_exec_json(FILE *f, const struct side *s, const struct cexec *e)
{
	const struct calert *a = compare_exec_alert(s, e);
	size_t k;
	bool first = true;

	fputs("{\"time\":", f);
	put_json_str(f, a->time);
	fputs(",\"hostname\":", f);
	put_json_str(f, a->host);
	fputs(",\"container.id\":", f);
	put_cval_json(f, e->v[KEY_CID]);
	fputs(",\"proc.pid\":", f);
	put_cval_json(f, e->v[KEY_PID]);
	fputs(",\"proc.cmdline\":", f);
	put_cval_json(f, e->v[KEY_CMDLINE]);
	fputs(",\"file\":", f);
	put_json_str(f, s->path);
	fprintf(f, ",\"line\":%zu,\"rules\":[", a->line);
	for (k = 0; k < e->n; k++) {
		if (!compare_first_of_rule(s, e, k))
			continue;
		if (!first)
			fputc(',', f);
		first = false;
		put_json_str(f, s->alerts[e->first + k].rule);
	}
	fputs("]}", f);
}

static void put_side_json(FILE *f, const struct side *s)
{
	size_t i;

	fputs("{\"file\":", f);
	put_json_str(f, s->path);
	fprintf(f,
		",\"alerts\":%zu,\"execs\":%zu,\"lines_not_alerts\":%zu,\"non_exec_alerts\":%zu,"
		"\"other_rule_alerts\":%zu,\"format_issues\":%zu,\"format_issue_examples\":[",
		s->n, s->nexec, s->bad, s->not_exec, s->other_rule, s->nissues);
	for (i = 0; i < s->nissues && i < MAX_ISSUES_KEPT; i++) {
		fprintf(f, "%s{\"line\":%zu,\"field\":", i ? "," : "", s->issues[i].line);
		put_json_str(f, s->issues[i].field);
		fputs(",\"problem\":", f);
		put_json_str(f, s->issues[i].problem);
		fputc('}', f);
	}
	fputs("]}", f);
}

void compare_print_json(const struct cmp *c)
{
	char reasons[CMP_REASONS_MAX][CMP_REASON_LEN];
	FILE *f = c->out;
	bool first;
	size_t i, j, n;

	fputs("{\"falco\":", f);
	put_side_json(f, &c->falco);
	fputs(",\"shellsentry\":", f);
	put_side_json(f, &c->ours);
	fprintf(f,
		",\"window_ms\":%" PRIu64 ",\"execs\":{\"matched\":%zu,\"with_field_diffs\":%zu,"
		"\"with_rule_diffs\":%zu,\"only_falco\":%zu,\"only_shellsentry\":%zu},\"rules\":[",
		c->window_ns / 1000000, c->falco.matched, c->execs_with_diffs, c->execs_rule_diff,
		c->falco.nexec - c->falco.matched, c->ours.nexec - c->ours.matched);
	for (i = 0; i < c->nrules; i++) {
		fputs(i ? ",{\"rule\":" : "{\"rule\":", f);
		put_json_str(f, c->rules[i].name);
		fprintf(f, ",\"both\":%zu,\"only_falco\":%zu,\"only_shellsentry\":%zu}",
			c->rules[i].both, c->rules[i].only_falco, c->rules[i].only_ours);
	}
	fputs("],\"field_diffs\":{", f);
	first = true;
	for (j = 0; j < NF; j++) {
		if (!c->field_diffs[j])
			continue;
		fprintf(f, "%s\"%s\":%zu", first ? "" : ",", field_table[cmp_fields[j]].name,
			c->field_diffs[j]);
		first = false;
	}
	fputs("},\"diffs\":[", f);
	first = true;
	for (i = 0; i < c->falco.nexec; i++) {
		const struct cexec *fe = &c->falco.execs[i], *oe;
		bool ffirst = true;

		if (!fe->ndiff)
			continue;
		oe = &c->ours.execs[fe->match];
		fputs(first ? "{\"falco\":" : ",{\"falco\":", f);
		first = false;
		put_exec_json(f, &c->falco, fe);
		fputs(",\"shellsentry\":", f);
		put_exec_json(f, &c->ours, oe);
		fputs(",\"fields\":[", f);
		for (j = 0; j < NF; j++) {
			if (!compare_field_differs(j, fe->v[j], oe->v[j]))
				continue;
			fprintf(f, "%s{\"field\":\"%s\",\"falco\":", ffirst ? "" : ",",
				field_table[cmp_fields[j]].name);
			ffirst = false;
			put_cval_json(f, fe->v[j]);
			fputs(",\"shellsentry\":", f);
			put_cval_json(f, oe->v[j]);
			fputc('}', f);
		}
		fputs("]}", f);
	}
	fputs("],\"only_falco\":[", f);
	first = true;
	for (i = 0; i < c->falco.nexec; i++) {
		if (c->falco.execs[i].match >= 0)
			continue;
		if (!first)
			fputc(',', f);
		first = false;
		put_exec_json(f, &c->falco, &c->falco.execs[i]);
	}
	fputs("],\"only_shellsentry\":[", f);
	first = true;
	for (i = 0; i < c->ours.nexec; i++) {
		if (c->ours.execs[i].match >= 0)
			continue;
		if (!first)
			fputc(',', f);
		first = false;
		put_exec_json(f, &c->ours, &c->ours.execs[i]);
	}
	fputs("],\"why_unmatched\":[", f);
	n = compare_explain_unmatched(c, reasons);
	for (i = 0; i < n; i++) {
		if (i)
			fputc(',', f);
		put_json_str(f, reasons[i]);
	}
	fprintf(f, "],\"pname_runtime_parent_race\":%zu,\"differ\":%s}\n", c->runtime_parent_race,
		compare_sides_differ(c) ? "true" : "false");
}
