/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The Markdown report of one incident: the facts, and the sections that describe it. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/file.h"
#include "report/report_internal.h"
#include "rules/rules.h"

static const char *verdict_line(const struct incident *inc)
{
	if (inc->verdict == KB_MALICIOUS || inc->verdict == KB_SUSPICIOUS ||
	    (inc->verdict == KB_EXPECTED && inc->all_expected))
		return kb_verdict_name(inc->verdict);
	return "no known pattern: review needed";
}

void report_get_facts(const struct incident *inc, struct facts *f)
{
	const struct alert *a = inc->first;
	const struct exec_event *ev = &a->ev;

	memset(f, 0, sizeof(*f));
	f->a = a;
	f->ev = ev;
	alert_known_mask(a, f->known);
	if (f->known[F_USER_UID]) {
		f->root_known = true;
		f->root = ev->uid == 0;
	} else if (f->known[F_USER_NAME]) {
		f->root_known = true;
		f->root = !strcmp(ev->user_name, "root");
	}
	f->lineage_known = f->known[F_SS_LINEAGE] && ev->lineage != SS_LINEAGE_UNKNOWN;
	f->injected = f->lineage_known && ev->lineage == SS_LINEAGE_INJECTED;
	f->tty_known = f->known[F_PROC_TTY];
	f->caps_known = f->known[F_SS_CAP_EFFECTIVE_HEX];
	if (f->caps_known) {
		f->extra_caps = ev->cap_effective & ~DEFAULT_CAPS;
		f->all_caps = (ev->cap_effective & CAP_SYS_ADMIN_BIT) &&
			      __builtin_popcountll(ev->cap_effective) >= 38;
	}
	f->privileged = f->known[F_CONTAINER_PRIVILEGED] ? ev->container.privileged : TRI_UNKNOWN;
}

static const char *unknown_text(const struct facts *f)
{
	return f->a->shellsentry ? "*unknown*" : "*unknown (not in the alert)*";
}

/* A table cell with a field's value, or unknown. */
static void cell_field(struct mdbuf *b, const struct facts *f, enum field_id id)
{
	struct field_value v;

	if (!f->known[id] || field_extract(f->ev, id, -1, &v) || v.null) {
		mdbuf_puts(b, unknown_text(f));
		return;
	}
	md_cell_code(b, field_value_str(&v));
}

static void row(struct mdbuf *b, const char *name, const struct facts *f, enum field_id id)
{
	mdbuf_printf(b, "| %s | ", name);
	cell_field(b, f, id);
	mdbuf_puts(b, " |\n");
}

static const char *lineage_text(enum ss_lineage l)
{
	switch (l) {
	case SS_LINEAGE_ENTRYPOINT:
		return "entrypoint: the shell is the container's main process (pid 1 in the "
		       "container)";
	case SS_LINEAGE_INIT_TREE:
		return "init tree: the shell descends from the container's entrypoint, so the "
		       "workload itself started it";
	case SS_LINEAGE_INJECTED:
		return "injected: the shell was started from outside the container (kubectl exec, "
		       "docker/crictl/podman exec, nsenter), not by the container's own processes";
	default:
		return NULL;
	}
}

static void tty_text(struct mdbuf *b, const struct facts *f)
{
	uint32_t tty = f->ev->tty, major = (tty >> 8) & 0xfff,
		 minor = (tty & 0xff) | ((tty >> 12) & 0xfff00);

	if (!f->tty_known)
		mdbuf_puts(b, unknown_text(f));
	else if (!tty)
		mdbuf_puts(
			b,
			"no terminal: not interactive (a script, a probe or `exec` without `-t`)");
	else if (major >= 136 && major <= 143)
		mdbuf_printf(b,
			     "yes: pseudo-terminal pts/%" PRIu32 " (proc.tty %" PRIu32
			     "): an interactive session",
			     (major - 136) * 256 + minor, tty);
	else
		mdbuf_printf(b, "yes: terminal %" PRIu32 ":%" PRIu32 " (proc.tty %" PRIu32 ")",
			     major, minor, tty);
}

static void caps_text(struct mdbuf *b, const struct facts *f, uint64_t mask)
{
	struct exec_event *tmp = malloc(sizeof(*tmp));
	struct field_value v;

	if (!tmp) {
		b->err = -ENOMEM;
		return;
	}
	memset(tmp, 0, sizeof(*tmp));
	tmp->cap_effective = mask;
	if (!field_extract(tmp, F_SS_CAP_EFFECTIVE, -1, &v) && !v.null && *field_value_str(&v))
		md_code(b, field_value_str(&v));
	else
		mdbuf_puts(b, "none");
	free(tmp);
	(void)f;
}

static void put_summary(struct mdbuf *b, const struct incident *inc, const struct facts *f)
{
	const struct kb_pattern *p = NULL;
	size_t i;

	mdbuf_puts(b, "# Shell activity in container ");
	md_code(b, inc->container);
	if (inc->hostname[0]) {
		mdbuf_puts(b, " on ");
		md_code(b, inc->hostname);
	}
	mdbuf_printf(b, ": %s\n\n", verdict_line(inc));

	mdbuf_puts(b, "**Summary:** ");
	if (inc->n_entries + inc->omitted == 1) {
		mdbuf_puts(b, "one command, ");
		md_code(b, f->ev->cmdline);
	} else {
		mdbuf_printf(b, "%zu commands in one session (%s), starting with ",
			     inc->n_entries + inc->omitted, inc->session);
		md_code(b, f->ev->cmdline);
	}
	mdbuf_puts(b, ", ran as ");
	if (f->known[F_USER_NAME])
		md_code(b, f->ev->user_name);
	else if (f->known[F_USER_UID])
		mdbuf_printf(b, "uid %" PRIu32, f->ev->uid);
	else
		mdbuf_puts(b, "an unknown user");
	mdbuf_puts(b, " in container ");
	md_code(b, inc->container);
	mdbuf_puts(b, " on host ");
	if (inc->hostname[0])
		md_code(b, inc->hostname);
	else
		mdbuf_puts(b, "(unknown)");
	if (f->a->time[0]) {
		mdbuf_puts(b, " at ");
		md_code(b, f->a->time);
	}
	mdbuf_puts(b, " (rule ");
	md_code(b, f->a->rule);
	mdbuf_printf(b, "). **Verdict: %s**", verdict_line(inc));
	for (i = 0; i < inc->n_entries && !p; i++)
		if (inc->entries[i].kb.n_matched)
			p = inc->entries[i].kb.matched[0];
	if (p) {
		mdbuf_puts(b, ": ");
		mdbuf_puts(b, p->title);
	}
	mdbuf_puts(b, ".\n\n");
}

static void put_details(struct mdbuf *b, const struct incident *inc, const struct facts *f)
{
	const struct exec_event *ev = f->ev;
	const char *lt;
	int i;

	mdbuf_puts(b, "## Event details\n\n| Fact | Value |\n| --- | --- |\n");
	mdbuf_puts(b, "| Rule | ");
	md_cell_code(b, f->a->rule);
	mdbuf_puts(b, " |\n| Priority | ");
	if (f->a->priority >= 0)
		mdbuf_puts(b, priority_name((enum priority)f->a->priority));
	else
		mdbuf_puts(b, unknown_text(f));
	mdbuf_puts(b, " |\n| Time | ");
	if (f->a->time[0])
		md_cell_code(b, f->a->time);
	else
		mdbuf_puts(b, unknown_text(f));
	mdbuf_puts(b, " |\n| Host | ");
	if (ev->hostname[0])
		md_cell_code(b, ev->hostname);
	else
		mdbuf_puts(b, unknown_text(f));
	mdbuf_puts(b, " |\n");
	row(b, "Container id", f, F_CONTAINER_ID);
	row(b, "Container full id", f, F_CONTAINER_FULL_ID);
	row(b, "Container name", f, F_CONTAINER_NAME);
	row(b, "Image", f, F_CONTAINER_IMAGE);
	row(b, "Pod", f, F_K8S_POD_NAME);
	row(b, "Namespace", f, F_K8S_NS_NAME);
	row(b, "Kubernetes container", f, F_K8S_CONTAINER_NAME);
	row(b, "Process", f, F_PROC_NAME);
	row(b, "Executable", f, F_PROC_EXEPATH);
	row(b, "Command line", f, F_PROC_CMDLINE);
	row(b, "PID (host)", f, F_PROC_PID);
	row(b, "PID (container)", f, F_PROC_VPID);
	row(b, "Parent", f, F_PROC_PNAME);
	row(b, "Parent command line", f, F_PROC_PCMDLINE);
	mdbuf_puts(b, "| Ancestors | ");
	if (ev->ancestor_count > 1 && (f->known[F_PROC_PNAME] || f->a->shellsentry)) {
		for (i = 0; i < ev->ancestor_count && i < SS_ANCESTORS; i++) {
			mdbuf_puts(b, i ? " <- " : "");
			md_cell_code(b, ev->ancestors[i].comm);
			if (ev->ancestors[i].pid)
				mdbuf_printf(b, " (%" PRIu32 ")", ev->ancestors[i].pid);
		}
		if (ev->flags & SS_F_ANCESTORS_TRUNCATED)
			mdbuf_puts(b, " <- ...");
	} else {
		mdbuf_puts(b, unknown_text(f));
	}
	mdbuf_puts(b, " |\n| Lineage | ");
	lt = f->lineage_known ? lineage_text(ev->lineage) : NULL;
	mdbuf_puts(b, lt ? lt : unknown_text(f));
	mdbuf_puts(b, " |\n| Terminal | ");
	tty_text(b, f);
	mdbuf_puts(b, " |\n");
	if (f->known[F_SS_TRUNCATED] && (ev->flags & SS_F_ARGV_TRUNCATED))
		mdbuf_puts(b, "| Note | the command line was cut to fit the event |\n");
	mdbuf_printf(b, "| Alerts in this incident | %zu |\n\n", inc->n_alerts);
	if (!f->a->shellsentry)
		mdbuf_puts(
			b,
			"This alert came without shellsentry's own fields (Falco's JSON output): "
			"facts marked unknown were not in it and are not guessed here.\n\n");
}

static void put_timeline(struct mdbuf *b, const struct incident *inc)
{
	const struct incident_entry *e;
	size_t i, j;

	mdbuf_puts(b, "## Timeline\n\n| # | Time | PID | UID | Command | Rules | Assessment |\n"
		      "| --- | --- | --- | --- | --- | --- | --- |\n");
	for (i = 0; i < inc->n_entries; i++) {
		e = &inc->entries[i];
		mdbuf_printf(b, "| %zu | ", i + 1);
		if (e->time[0])
			md_cell_code(b, e->time);
		else
			mdbuf_puts(b, "?");
		if (e->pid)
			mdbuf_printf(b, " | %" PRIu32 " | ", e->pid);
		else
			mdbuf_puts(b, " | ? | ");
		if (e->uid_known)
			mdbuf_printf(b, "%" PRIu32, e->uid);
		else
			mdbuf_puts(b, "?");
		mdbuf_puts(b, " | ");
		md_cell_code(b, e->cmdline);
		mdbuf_puts(b, " | ");
		for (j = 0; j < e->n_rules; j++) {
			mdbuf_puts(b, j ? ", " : "");
			md_cell_code(b, e->rules[j]);
		}
		mdbuf_printf(b, " | %s",
			     e->kb.n_matched ? kb_verdict_name(e->kb.verdict) : "no pattern");
		for (j = 0; j < e->kb.n_matched; j++)
			mdbuf_printf(b, "%s`%s`", j ? ", " : ": ", e->kb.matched[j]->id);
		mdbuf_puts(b, " |\n");
	}
	if (inc->omitted)
		mdbuf_printf(b, "\n%zu more commands in this incident are not listed (limit %d).\n",
			     inc->omitted, INCIDENT_MAX_ENTRIES);
	mdbuf_puts(b, "\n");
}

static void put_context(struct mdbuf *b, const struct facts *f)
{
	const struct exec_event *ev = f->ev;
	const char *lt;

	mdbuf_puts(b, "## Security context\n\n- **User:** ");
	if (f->known[F_USER_NAME])
		md_code(b, ev->user_name);
	else
		mdbuf_puts(b, "name unknown");
	if (f->known[F_USER_UID])
		mdbuf_printf(b, ", uid %" PRIu32, ev->uid);
	else
		mdbuf_puts(b, ", uid unknown");
	if (f->known[F_SS_EUID] && ev->euid != ev->uid)
		mdbuf_printf(b, ", effective uid %" PRIu32, ev->euid);
	if (f->root_known && f->root)
		mdbuf_puts(b, ": **root** inside the container");
	mdbuf_puts(b, "\n- **Login uid:** ");
	if (!f->known[F_USER_LOGINUID])
		mdbuf_puts(b, unknown_text(f));
	else if (ev->loginuid < 0 || ev->loginuid == 4294967295ll)
		mdbuf_puts(b, "unset (no audited login session started it)");
	else
		mdbuf_printf(b, "%" PRId64 ": the audited login of the person behind it",
			     ev->loginuid);
	mdbuf_puts(b, "\n- **Capabilities (effective):** ");
	if (!f->caps_known) {
		mdbuf_puts(b, unknown_text(f));
	} else if (!ev->cap_effective) {
		mdbuf_puts(b, "none");
	} else if (f->all_caps) {
		mdbuf_puts(b, "the full set, as in a privileged container: ");
		caps_text(b, f, ev->cap_effective);
	} else {
		caps_text(b, f, ev->cap_effective);
		if (f->extra_caps) {
			mdbuf_puts(b, "; beyond the runtime's default set: ");
			caps_text(b, f, f->extra_caps);
		}
	}
	mdbuf_puts(b, "\n- **Privileged container:** ");
	if (f->privileged == TRI_UNKNOWN)
		mdbuf_puts(b, unknown_text(f));
	else
		mdbuf_puts(b, f->privileged == TRI_TRUE ? "**yes**" : "no");
	mdbuf_puts(b, "\n- **Interactive:** ");
	tty_text(b, f);
	mdbuf_puts(b, "\n- **Lineage:** ");
	lt = f->lineage_known ? lineage_text(ev->lineage) : NULL;
	mdbuf_puts(b, lt ? lt : unknown_text(f));
	mdbuf_puts(b, "\n\n");
}

static const char *check_mark(enum kb_check_state s)
{
	switch (s) {
	case KB_CHECK_HOLDS:
		return "holds";
	case KB_CHECK_FAILS:
		return "**does not hold**";
	case KB_CHECK_UNKNOWN:
		return "unknown: the alert does not carry the fields to check it";
	default:
		return "to check by hand";
	}
}

/* The fields a pattern's condition reads, with this command's values. */
static void matched_fields(struct mdbuf *b, const struct kb_pattern *p, const struct facts *f,
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
		if (!f->known[p->fields[i].id] ||
		    field_extract(f->ev, p->fields[i].id, p->fields[i].index, &v) || v.null)
			mdbuf_puts(b, "unknown");
		else
			md_code(b, field_value_str(&v));
	}
}

static void put_pattern(struct mdbuf *b, const struct incident *inc, const struct facts *f,
			const struct kb_pattern *p)
{
	const struct incident_entry *e, *first = NULL;
	const struct kb_result *r = NULL;
	size_t i, j, m = 0;

	mdbuf_printf(b, "### %s (`%s`): %s\n\n", p->title, p->id, kb_verdict_name(p->verdict));
	mdbuf_puts(b, "Matched by command");
	for (i = 0; i < inc->n_entries; i++) {
		e = &inc->entries[i];
		for (j = 0; j < e->kb.n_matched; j++) {
			if (e->kb.matched[j] != p)
				continue;
			mdbuf_printf(b, " #%zu", i + 1);
			if (!first) {
				first = e;
				r = &e->kb;
				m = j;
			}
		}
	}
	mdbuf_puts(b, ", on these fields: ");
	if (first && first == &inc->entries[0])
		matched_fields(b, p, f, first);
	else if (first)
		md_code(b, first->cmdline);
	mdbuf_puts(b, ".\n\n**Evidence:** ");
	mdbuf_puts(b, p->evidence);
	mdbuf_puts(b, "\n\n");
	if (p->n_checks && r) {
		mdbuf_puts(b, "**Context checks** (for the first matching command):\n\n");
		for (i = 0; i < p->n_checks; i++)
			mdbuf_printf(b, "- %s: %s\n", p->checks[i].text,
				     check_mark(r->checks[m][i]));
		mdbuf_puts(b, "\n");
		if (r->contradicted[m] && p->verdict == KB_EXPECTED)
			mdbuf_puts(b,
				   "A context check does not hold, so this is **not** taken as the "
				   "expected activity it resembles: verdict raised to "
				   "suspicious.\n\n");
	}
	if (p->advice) {
		mdbuf_puts(b, "**What to do:** ");
		mdbuf_puts(b, p->advice);
		mdbuf_puts(b, "\n\n");
	}
}

static void put_assessment(struct mdbuf *b, const struct incident *inc, const struct kb *kb,
			   const struct facts *f)
{
	const struct kb_pattern *seen[KB_MAX_PATTERNS], *p;
	size_t n_seen = 0, i, j, k, none = 0;
	bool dup;

	mdbuf_printf(b, "## Assessment\n\n**Verdict: %s.**\n\n", verdict_line(inc));
	if (!kb) {
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
		put_pattern(b, inc, f, seen[k]);
	for (i = 0; i < inc->n_entries; i++) {
		const struct kb_result *r = &inc->entries[i].kb;

		for (j = 0; j < r->n_superseded; j++) {
			mdbuf_printf(b,
				     "Command #%zu also matched `%s` (%s, %s); the pattern above "
				     "explains it, so it does not count.\n\n",
				     i + 1, r->superseded[j]->id, r->superseded[j]->title,
				     kb_verdict_name(r->superseded[j]->verdict));
		}
	}
	if (none) {
		mdbuf_printf(b, "%zu of %zu command%s matched none of the %zu known patterns in ",
			     none, inc->n_entries, inc->n_entries == 1 ? "" : "s", kb_count(kb));
		md_code(b, kb_source(kb));
		mdbuf_puts(b, ". No pattern explains them: shellsentry does not guess an intent. "
			      "Review them by hand: who started the shell (lineage, parent, "
			      "terminal) and what followed.\n\n");
	}
}

int report_render(const struct incident *inc, const struct kb *kb, struct mdbuf *b)
{
	struct facts f;

	if (!inc || !inc->first || !inc->n_entries)
		return -EINVAL;
	report_get_facts(inc, &f);
	put_summary(b, inc, &f);
	put_details(b, inc, &f);
	put_timeline(b, inc);
	put_context(b, &f);
	put_assessment(b, inc, kb, &f);
	report_put_mitigations(b, inc, &f);
	report_put_tuning(b, inc, &f);
	report_put_recommendations(b, inc, &f);
	return b->err;
}
