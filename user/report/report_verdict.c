/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The sections that state the verdict: title, summary, the verdict and why,
 * and the knowledge-base patterns behind it. All of them word the verdict
 * with verdict_headline(), so it reads the same everywhere.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_internal.h"
#include "rules/rules.h"

void report_put_title(struct mdbuf *b, const struct report_ctx *c)
{
	const struct incident *inc = c->inc;

	mdbuf_puts(b, "# Shell activity in ");
	report_container_label(c, b);
	if (inc->hostname[0]) {
		mdbuf_puts(b, " on ");
		md_code(b, inc->hostname);
	}
	mdbuf_puts(b, ": ");
	verdict_headline(&c->as->v, c->as->facts, b);
	mdbuf_puts(b, "\n\n");
}

static void severity_text(struct mdbuf *b, const struct report_ctx *c)
{
	const struct verdict *v = &c->as->v;

	if (v->priority < 0) {
		mdbuf_puts(b, "Severity: unknown (the alerts gave no priority).");
		return;
	}
	mdbuf_printf(b, "Severity: **%s**", priority_name((enum priority)v->priority));
	if (c->inc->lead_priority >= 0 && v->priority < c->inc->lead_priority)
		mdbuf_printf(b, ", raised from the rule's %s: %s.",
			     priority_name((enum priority)c->inc->lead_priority),
			     v->level == VERDICT_MALICIOUS ? "evidence of compromise"
							   : "a suspicious finding");
	else if (v->level == VERDICT_EXPECTED)
		mdbuf_puts(b, ", the rule's own: an expected pattern does not lower it.");
	else
		mdbuf_puts(b, ", the rule's own.");
}

void report_put_summary(struct mdbuf *b, const struct report_ctx *c)
{
	const struct incident *inc = c->inc;
	const struct incident_entry *e0 = &inc->entries[0];
	size_t cmds = inc->n_entries + inc->omitted, i, repeats = 0;

	for (i = 0; i < inc->n_entries; i++)
		repeats += inc->entries[i].repeats;
	mdbuf_puts(b, "**Summary:** ");
	if (cmds == 1 && !repeats) {
		mdbuf_puts(b, "one command, ");
		md_code(b, e0->cmdline);
	} else {
		mdbuf_printf(b, "%zu distinct command%s", cmds, cmds == 1 ? "" : "s");
		if (repeats)
			mdbuf_printf(b, " (and %zu repeat%s)", repeats, repeats == 1 ? "" : "s");
		mdbuf_printf(b, " in %zu session%s, starting with ", inc->n_sessions,
			     inc->n_sessions == 1 ? "" : "s");
		md_code(b, e0->cmdline);
	}
	mdbuf_puts(b, ", run as ");
	if (c->known[F_USER_NAME])
		md_code(b, c->ev->user_name);
	else if (c->known[F_USER_UID])
		mdbuf_printf(b, "uid %" PRIu32, c->ev->uid);
	else
		mdbuf_puts(b, "an unknown user");
	mdbuf_puts(b, " in ");
	report_container_label(c, b);
	if (c->known[F_CONTAINER_IMAGE]) {
		mdbuf_puts(b, " (image ");
		md_code(b, c->ev->container.image);
		mdbuf_puts(b, ")");
	}
	mdbuf_puts(b, " on host ");
	if (inc->hostname[0])
		md_code(b, inc->hostname);
	else
		mdbuf_puts(b, "(unknown)");
	if (e0->time[0]) {
		mdbuf_puts(b, ", at ");
		md_code(b, e0->time);
	}
	mdbuf_puts(b, ". Most severe rule: ");
	md_code(b, inc->lead_rule);
	if (inc->lead_priority >= 0)
		mdbuf_printf(b, " (%s)", priority_name((enum priority)inc->lead_priority));
	mdbuf_puts(b, ".\n\n**Verdict: ");
	verdict_headline(&c->as->v, c->as->facts, b);
	mdbuf_puts(b, ".** ");
	severity_text(b, c);
	mdbuf_puts(b, "\n\n");
}

/* The values of the fields a check reads, for the command it was evaluated on. */
static void check_values(struct mdbuf *b, const struct report_ctx *c, const struct kb_check *k)
{
	struct field_value v;
	size_t i;

	for (i = 0; i < k->n_fields; i++) {
		mdbuf_puts(b, i ? ", " : " (");
		mdbuf_printf(b, "`%s` = ", field_table[k->fields[i]].name);
		if (!c->known[k->fields[i]] || field_extract(c->ev, k->fields[i], -1, &v) || v.null)
			mdbuf_puts(b, "unknown");
		else
			md_code(b, field_value_str(&v));
	}
	if (k->n_fields)
		mdbuf_puts(b, ")");
}

static const char *check_mark(enum kb_check_state s)
{
	switch (s) {
	case KB_CHECK_HOLDS:
		return "holds";
	case KB_CHECK_FAILS:
		return "**does not hold**";
	case KB_CHECK_UNKNOWN:
		return "**unknown**: the alert does not carry what it needs";
	default:
		return "to check by hand";
	}
}

static void list_checks(struct mdbuf *b, const struct report_ctx *c, const struct kb_result *r,
			size_t m, bool values)
{
	const struct kb_pattern *p = r->matched[m];
	size_t k;

	for (k = 0; k < p->n_checks && k < KB_MAX_CHECKS; k++) {
		mdbuf_printf(b, "- %s: %s", p->checks[k].text, check_mark(r->checks[m][k]));
		if (values && r->checks[m][k] != KB_CHECK_MANUAL &&
		    r->checks[m][k] != KB_CHECK_UNKNOWN)
			check_values(b, c, &p->checks[k]);
		mdbuf_puts(b, "\n");
	}
}

/* One command's evidence of one kind, as text. */
static void evidence_of(struct mdbuf *b, const struct assessment *as, size_t i,
			enum verdict_reason kind)
{
	const struct verdict_finding *f = &as->per[i];
	bool any = false;
	size_t j;

	if (kind != VR_ATTACK_PATTERN) {
		struct verdict_finding one = *f;

		one.reason = kind;
		verdict_finding_text(&one, &as->facts[i], b);
		return;
	}
	for (j = 0; j < as->facts[i].kb->n_matched; j++) {
		if (as->facts[i].kb->matched[j]->verdict != KB_MALICIOUS)
			continue;
		mdbuf_printf(b, "%s%s (`%s`)", any ? "; " : "", as->facts[i].kb->matched[j]->title,
			     as->facts[i].kb->matched[j]->id);
		any = true;
	}
}

/* The commands of group first (grp[] == first + 1), runs as ranges: "#1-#4, #7". */
static void put_members(struct mdbuf *b, const size_t *grp, size_t n, size_t first)
{
	size_t j = first, e;
	bool sep = false;

	while (j < n) {
		if (grp[j] != first + 1) {
			j++;
			continue;
		}
		for (e = j; e + 1 < n && grp[e + 1] == first + 1; e++)
			;
		mdbuf_printf(b, "%s#%zu", sep ? ", " : "", j + 1);
		if (e > j)
			mdbuf_printf(b, "%s#%zu", e > j + 1 ? "-" : ", ", e + 1);
		sep = true;
		j = e + 1;
	}
}

/*
 * Every piece of evidence of compromise, with the commands that show it:
 * commands with the same evidence on one line (every command of a reverse
 * shell shares its socket).
 */
static void list_evidence(struct mdbuf *b, const struct report_ctx *c)
{
	static const enum verdict_reason kinds[] = {VR_NETWORK_STDIO, VR_ATTACK_PATTERN,
						    VR_FILELESS, VR_DRIFT};
	const struct assessment *as = c->as;
	size_t *grp = calloc(as->n ? as->n : 1, sizeof(*grp)); /* 1 + its group's first */
	struct mdbuf t, u;
	size_t k, i, j, n;

	if (!grp) {
		b->err = -ENOMEM;
		return;
	}

	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		if (!(as->v.evidence & VERDICT_EVIDENCE(kinds[k])))
			continue;
		memset(grp, 0, as->n * sizeof(*grp));
		for (i = 0; i < as->n; i++) {
			if (grp[i] || !(as->per[i].evidence & VERDICT_EVIDENCE(kinds[k])))
				continue;
			mdbuf_init(&t, 0);
			evidence_of(&t, as, i, kinds[k]);
			n = 1;
			for (j = i + 1; j < as->n; j++) {
				if (!(as->per[j].evidence & VERDICT_EVIDENCE(kinds[k])))
					continue;
				mdbuf_init(&u, 0);
				evidence_of(&u, as, j, kinds[k]);
				if (!grp[j] && t.len == u.len &&
				    (!t.len || !memcmp(t.data, u.data, t.len))) {
					grp[j] = i + 1;
					n++;
				}
				mdbuf_free(&u);
			}
			grp[i] = i + 1;
			mdbuf_printf(b, "- command%s ", n > 1 ? "s" : "");
			put_members(b, grp, as->n, i);
			mdbuf_puts(b, ": ");
			if (t.len)
				mdbuf_puts(b, t.data);
			mdbuf_puts(b, "\n");
			mdbuf_free(&t);
		}
	}
	free(grp);
}

/*
 * Commands that a verified shell ran as its own command line says (the
 * probe's program): expected with it, said so.
 */
static size_t n_steps(const struct assessment *as)
{
	size_t i, n = 0;

	for (i = 0; i < as->n; i++)
		if (as->per[i].reason == VR_STEP)
			n++;
	return n;
}

static void put_steps(struct mdbuf *b, const struct assessment *as)
{
	size_t i, n = n_steps(as);
	bool sep = false;

	if (!n)
		return;
	mdbuf_printf(b,
		     "Steps: %zu command%s with no pattern of %s own %s what the verified shell "
		     "of %s session ran, word for word as its command line says (",
		     n, n == 1 ? "" : "s", n == 1 ? "its" : "their", n == 1 ? "is" : "are",
		     n == 1 ? "its" : "their");
	for (i = 0; i < as->n; i++)
		if (as->per[i].reason == VR_STEP) {
			mdbuf_printf(b, "%s#%zu run by #%zu", sep ? ", " : "", i + 1,
				     as->per[i].of + 1);
			sep = true;
		}
	mdbuf_puts(b, "); anything else in the session would have been judged on its own.\n\n");
}

void report_put_verdict(struct mdbuf *b, const struct report_ctx *c)
{
	const struct assessment *as = c->as;
	const struct verdict *v = &as->v;
	const struct verdict_finding *f = &v->lead;
	const struct kb_result *r = as->n ? as->facts[v->lead_cmd].kb : NULL;
	size_t n = as->n;
	/* the values shown are the first alert's: only for the command it describes */
	bool lead_values = n && c->inc->entries[v->lead_cmd].of_first;

	mdbuf_puts(b, "## Verdict\n\n**");
	verdict_headline(v, as->facts, b);
	mdbuf_puts(b, "**\n\n");
	switch (f->reason) {
	case VR_VERIFIED:
		if (n_steps(as))
			mdbuf_puts(b, "Every command of the incident is a known, expected pattern "
				      "or a step of one (below), and every check of its context "
				      "that the facts can decide holds:\n\n");
		else
			mdbuf_printf(b,
				     "%s of the incident's commands match a known, expected "
				     "pattern, and every check of its context that the facts can "
				     "decide holds:\n\n",
				     n == 1 ? "The only one" : "All");
		list_checks(b, c, r, f->match, lead_values);
		mdbuf_puts(b, "\nChecks marked \"to check by hand\" are yours to confirm; nothing "
			      "shellsentry saw contradicts the pattern.\n\n");
		put_steps(b, as);
		break;
	case VR_UNVERIFIED:
		mdbuf_printf(b,
			     "Command #%zu resembles a known, expected pattern, but the checks "
			     "that would confirm it could not be decided from these alerts, so "
			     "it is **not** taken as expected and keeps the rule's severity:\n\n",
			     v->lead_cmd + 1);
		list_checks(b, c, r, f->match, lead_values);
		mdbuf_puts(b, "\nThe command line is the one thing whoever runs a command "
			      "chooses freely; only its context tells the real activity from an "
			      "imitation.");
		if (f->alternative)
			mdbuf_printf(b, " If it is not what it resembles, it is: %s (%s).",
				     f->alternative->title,
				     kb_verdict_name(f->alternative->verdict));
		mdbuf_puts(b, "\n\n");
		break;
	case VR_CHECK_FAILS:
		mdbuf_printf(b,
			     "Command #%zu looks like a known, expected pattern, but its "
			     "context contradicts it: ",
			     v->lead_cmd + 1);
		if (f->check < f->pattern->n_checks) {
			mdbuf_printf(b, "*%s* does not hold", f->pattern->checks[f->check].text);
			check_values(b, c, &f->pattern->checks[f->check]);
		}
		mdbuf_puts(b, ". ");
		if (f->check < f->pattern->n_checks && f->pattern->checks[f->check].why)
			mdbuf_printf(b, "%s ", f->pattern->checks[f->check].why);
		mdbuf_puts(b,
			   "The real activity always runs in that context; the same command "
			   "line anywhere else is someone running it by hand or imitating it, "
			   "which is what an intruder who wants to blend in does. All checks:\n\n");
		list_checks(b, c, r, f->match, lead_values);
		mdbuf_puts(b, "\n");
		break;
	case VR_SUSPICIOUS_PATTERN:
		mdbuf_printf(b, "Command #%zu matches a suspicious pattern: %s\n\n",
			     v->lead_cmd + 1, f->pattern->evidence);
		break;
	case VR_NO_PATTERN:
		mdbuf_puts(b, "No known pattern explains ");
		if (n == 1)
			mdbuf_puts(b, "the command");
		else
			mdbuf_printf(b, "%zu of the %zu commands", v->count[VERDICT_REVIEW], n);
		mdbuf_puts(b,
			   ", and nothing in it is evidence of compromise. shellsentry does "
			   "not guess an intent: someone has to find out who ran it and why.\n\n");
		break;
	default:
		mdbuf_puts(b, "Evidence of compromise outranks any benign resemblance in the "
			      "incident:\n\n");
		list_evidence(b, c);
		mdbuf_puts(b, "\n");
	}
	if (v->level != VERDICT_EXPECTED && v->count[VERDICT_EXPECTED] && n > 1)
		mdbuf_printf(b,
			     "%zu of the %zu commands match expected patterns on their own; "
			     "the incident is weighed as a whole, so that does not make it "
			     "expected.\n\n",
			     v->count[VERDICT_EXPECTED], n);
}

static const char *outcome(const struct report_ctx *c, const struct kb_pattern *p)
{
	const struct assessment *as = c->as;
	size_t i;

	if (p->verdict == KB_MALICIOUS)
		return "malicious-indicator";
	if (p->verdict == KB_SUSPICIOUS)
		return "suspicious";
	/* a benign pattern's outcome is what it gave the first command it matched */
	for (i = 0; i < as->n; i++) {
		if (as->per[i].pattern != p)
			continue;
		switch (as->per[i].reason) {
		case VR_VERIFIED:
			return "expected, verified";
		case VR_UNVERIFIED:
			return "resemblance, unverified";
		case VR_CHECK_FAILS:
			return "contradicted: a check fails";
		default:
			break;
		}
	}
	return "resemblance, outranked";
}

/* The fields a pattern's condition reads, with the first alert's values. */
static void matched_fields(struct mdbuf *b, const struct kb_pattern *p, const struct report_ctx *c,
			   const struct incident_entry *e)
{
	struct field_value v;
	size_t i;

	for (i = 0; i < p->n_fields; i++) {
		mdbuf_puts(b, i ? "; " : "");
		mdbuf_printf(b, "`%s` = ", p->fields[i].name);
		if (p->fields[i].id == F_PROC_CMDLINE) {
			md_code(b, e->cmdline);
			continue;
		}
		if (!c->known[p->fields[i].id] ||
		    field_extract(c->ev, p->fields[i].id, p->fields[i].index, &v) || v.null)
			mdbuf_puts(b, "unknown");
		else
			md_code(b, field_value_str(&v));
	}
}

static bool stdio_is_inet(const char *type)
{
	return !strcmp(type, "ipv4") || !strcmp(type, "ipv6");
}

static bool reads_field(const struct kb_pattern *p, enum field_id id)
{
	size_t i;

	for (i = 0; i < p->n_fields; i++)
		if (p->fields[i].id == id)
			return true;
	return false;
}

static void put_pattern(struct mdbuf *b, const struct report_ctx *c, const struct kb_pattern *p)
{
	const struct incident *inc = c->inc;
	const struct incident_entry *e, *first = NULL;
	size_t i, j, m = 0, n = 0;

	for (i = 0; i < inc->n_entries; i++)
		for (j = 0; j < inc->entries[i].kb.n_matched; j++)
			n += inc->entries[i].kb.matched[j] == p;
	mdbuf_printf(b, "### %s (`%s`): %s\n\nMatched by command%s", p->title, p->id, outcome(c, p),
		     n > 1 ? "s" : "");
	for (i = 0; i < inc->n_entries; i++) {
		e = &inc->entries[i];
		for (j = 0; j < e->kb.n_matched; j++) {
			if (e->kb.matched[j] != p)
				continue;
			mdbuf_printf(b, "%s#%zu", first ? ", " : " ", i + 1);
			if (!first) {
				first = e;
				m = j;
			}
		}
	}
	mdbuf_printf(b, ", on these fields%s: ", n > 1 ? " of the first" : "");
	if (first && first->of_first) {
		matched_fields(b, p, c, first);
	} else if (first) {
		mdbuf_puts(b, "`proc.cmdline` = ");
		md_code(b, first->cmdline);
		/* a later command's stdio, as the timeline row has it, when the pattern reads it */
		if (first->stdio_known && reads_field(p, F_PROC_STDIN_TYPE) &&
		    stdio_is_inet(first->stdin_type)) {
			mdbuf_puts(b, "; `proc.stdin.type` = ");
			md_code(b, first->stdin_type);
		}
		if (first->stdio_known && reads_field(p, F_PROC_STDOUT_TYPE) &&
		    stdio_is_inet(first->stdout_type)) {
			mdbuf_puts(b, "; `proc.stdout.type` = ");
			md_code(b, first->stdout_type);
		}
	}
	mdbuf_puts(b, ".\n\n**Evidence:** ");
	mdbuf_puts(b, p->evidence);
	mdbuf_puts(b, "\n\n");
	/* the verdict section already lists the checks of the pattern it is stated by */
	if (p->n_checks && first && p != c->as->v.lead.pattern) {
		mdbuf_puts(b, "**Context** (for the first matching command):\n\n");
		list_checks(b, c, &first->kb, m, first->of_first);
		mdbuf_puts(b, "\n");
	}
	if (p->advice) {
		mdbuf_puts(b, "**What to do:** ");
		mdbuf_puts(b, p->advice);
		mdbuf_puts(b, "\n\n");
	}
}

void report_put_assessment(struct mdbuf *b, const struct report_ctx *c)
{
	const struct incident *inc = c->inc;
	const struct kb_pattern *seen[KB_MAX_PATTERNS], *p;
	size_t n_seen = 0, i, j, k, none = 0;
	bool dup;

	mdbuf_puts(b, "## Assessment\n\n");
	if (!c->kb) {
		mdbuf_puts(b, "No knowledge base was loaded, so no command was compared with known "
			      "patterns: review the commands by hand.\n\n");
		return;
	}
	for (i = 0; i < inc->n_entries; i++) {
		const struct kb_result *r = &inc->entries[i].kb;

		none += r->n_matched == 0;
		for (j = 0; j < r->n_matched; j++) {
			p = r->matched[j];
			dup = false;
			for (k = 0; k < n_seen; k++)
				dup |= seen[k] == p;
			if (!dup && n_seen < KB_MAX_PATTERNS)
				seen[n_seen++] = p;
		}
	}
	for (k = 0; k < n_seen; k++)
		put_pattern(b, c, seen[k]);
	for (i = 0; i < inc->n_entries; i++) {
		const struct kb_result *r = &inc->entries[i].kb;

		for (j = 0; j < r->n_superseded; j++)
			mdbuf_printf(b,
				     "Command #%zu also matched `%s` (%s, %s): a pattern above "
				     "explains it if its checks hold.\n\n",
				     i + 1, r->superseded[j]->id, r->superseded[j]->title,
				     kb_verdict_name(r->superseded[j]->verdict));
	}
	if (none) {
		mdbuf_printf(b, "%zu of %zu command%s matched none of the %zu known patterns in ",
			     none, inc->n_entries, inc->n_entries == 1 ? "" : "s", kb_count(c->kb));
		md_code(b, kb_source(c->kb));
		mdbuf_puts(b, ".\n\n");
	}
}
