/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * One incident's report: the sections of plain facts (event details,
 * timeline, security context) and the order of all sections. The facts every
 * section shares are in facts.c, the verdict's sections in report_verdict.c,
 * the advice in report_advice.c, report files and the live reporter in
 * reporter.c.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/utf8.h"
#include "report/report_internal.h"
#include "rules/rules.h"

/* A table cell with a field's value, or unknown. */
static void cell_field(struct mdbuf *b, const struct report_ctx *c, enum field_id id)
{
	struct field_value v;

	if (!c->known[id] || field_extract(c->ev, id, -1, &v) || v.null) {
		mdbuf_puts(b, report_unknown(c));
		return;
	}
	md_cell_code(b, field_value_str(&v));
}

static void row(struct mdbuf *b, const char *name, const struct report_ctx *c, enum field_id id)
{
	mdbuf_printf(b, "| %s | ", name);
	cell_field(b, c, id);
	mdbuf_puts(b, " |\n");
}

#define REPORT_CELL_MAX 200 /* bytes of a long command line shown in the details */

/*
 * A row whose value can be kilobytes (a runtime's parent command line):
 * its first REPORT_CELL_MAX bytes, cut on a character boundary, and how
 * long the whole is; the alert carries it whole.
 */
static void row_cut(struct mdbuf *b, const char *name, const struct report_ctx *c, enum field_id id)
{
	char cut[REPORT_CELL_MAX + 1];
	struct field_value v;
	const char *s;
	size_t len, n = 0, l;

	if (!c->known[id] || field_extract(c->ev, id, -1, &v) || v.null) {
		row(b, name, c, id);
		return;
	}
	s = field_value_str(&v);
	len = strlen(s);
	if (len <= REPORT_CELL_MAX + REPORT_CELL_MAX / 4) {
		row(b, name, c, id);
		return;
	}
	while (n < REPORT_CELL_MAX) {
		l = utf8_seq_len((const unsigned char *)s + n, len - n);
		if (!l)
			l = 1; /* an invalid byte: the renderer escapes it */
		if (n + l > REPORT_CELL_MAX)
			break;
		n += l;
	}
	memcpy(cut, s, n);
	cut[n] = '\0';
	mdbuf_printf(b, "| %s | ", name);
	md_cell_code(b, cut);
	mdbuf_printf(b, " ... (%zu bytes in all; whole in the alert's `%s`) |\n", len,
		     field_table[id].name);
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

static void tty_text(struct mdbuf *b, const struct report_ctx *c)
{
	uint32_t tty = c->ev->tty, major = (tty >> 8) & 0xfff,
		 minor = (tty & 0xff) | ((tty >> 12) & 0xfff00);

	if (!c->tty_known)
		mdbuf_puts(b, report_unknown(c));
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

static void caps_text(struct mdbuf *b, uint64_t mask)
{
	struct exec_event *tmp = calloc(1, sizeof(*tmp));
	struct field_value v;

	if (!tmp) {
		b->err = -ENOMEM;
		return;
	}
	tmp->cap_effective = mask;
	if (!field_extract(tmp, F_SS_CAP_EFFECTIVE, -1, &v) && !v.null && *field_value_str(&v))
		md_code(b, field_value_str(&v));
	else
		mdbuf_puts(b, "none");
	free(tmp);
}

/* The kernel's idle task (pid 0) ends every chain: it says nothing about who ran the shell. */
static bool shown_ancestor(const struct exec_ancestor *a)
{
	return a->pid || strncmp(a->comm, "swapper", 7);
}

static void put_details(struct mdbuf *b, const struct report_ctx *c)
{
	const struct incident *inc = c->inc;
	const struct exec_event *ev = c->ev;
	const char *lt;
	size_t i, j, k, n_rules = 0;
	bool dup;
	int a;

	mdbuf_puts(b, "## Event details\n\n| Fact | Value |\n| --- | --- |\n");
	mdbuf_puts(b, "| Rule (most severe) | ");
	md_cell_code(b, inc->lead_rule);
	mdbuf_puts(b, " |\n| Priority | ");
	if (inc->lead_priority >= 0)
		mdbuf_puts(b, priority_name((enum priority)inc->lead_priority));
	else
		mdbuf_puts(b, report_unknown(c));
	mdbuf_puts(b, " |\n| Rules that fired | ");
	for (i = 0; i < inc->n_entries; i++)
		for (j = 0; j < inc->entries[i].n_rules; j++) {
			dup = false;
			for (k = 0; k < i && !dup; k++)
				for (a = 0; a < (int)inc->entries[k].n_rules && !dup; a++)
					dup = !strcmp(inc->entries[k].rules[a],
						      inc->entries[i].rules[j]);
			for (a = 0; a < (int)j && !dup; a++)
				dup = !strcmp(inc->entries[i].rules[a], inc->entries[i].rules[j]);
			if (dup)
				continue;
			mdbuf_puts(b, n_rules++ ? ", " : "");
			md_cell_code(b, inc->entries[i].rules[j]);
		}
	mdbuf_puts(b, " |\n| First alert | ");
	if (c->a->time[0])
		md_cell_code(b, c->a->time);
	else
		mdbuf_puts(b, report_unknown(c));
	mdbuf_puts(b, " |\n| Host | ");
	if (ev->hostname[0])
		md_cell_code(b, ev->hostname);
	else
		mdbuf_puts(b, report_unknown(c));
	mdbuf_puts(b, " |\n");
	row(b, "Container id", c, F_CONTAINER_ID);
	row(b, "Container full id", c, F_CONTAINER_FULL_ID);
	row(b, "Container name", c, F_CONTAINER_NAME);
	row(b, "Runtime", c, F_CONTAINER_RUNTIME);
	row(b, "Image", c, F_CONTAINER_IMAGE);
	row(b, "Pod", c, F_K8S_POD_NAME);
	row(b, "Namespace", c, F_K8S_NS_NAME);
	row(b, "Kubernetes container", c, F_K8S_CONTAINER_NAME);
	row(b, "Process", c, F_PROC_NAME);
	row(b, "Executable", c, F_PROC_EXEPATH);
	row(b, "Command line", c, F_PROC_CMDLINE);
	row(b, "PID (host)", c, F_PROC_PID);
	row(b, "PID (container)", c, F_PROC_VPID);
	row(b, "Parent", c, F_PROC_PNAME);
	row_cut(b, "Parent command line", c, F_PROC_PCMDLINE);
	mdbuf_puts(b, "| Ancestors | ");
	if (ev->ancestor_count > 1 && (c->known[F_PROC_PNAME] || c->a->shellsentry)) {
		for (a = 0; a < ev->ancestor_count && a < SS_ANCESTORS; a++) {
			if (!shown_ancestor(&ev->ancestors[a]))
				break;
			mdbuf_puts(b, a ? " <- " : "");
			md_cell_code(b, ev->ancestors[a].comm);
			if (ev->ancestors[a].pid)
				mdbuf_printf(b, " (%" PRIu32 ")", ev->ancestors[a].pid);
		}
		if (ev->flags & SS_F_ANCESTORS_TRUNCATED)
			mdbuf_puts(b, " <- ...");
	} else {
		mdbuf_puts(b, report_unknown(c));
	}
	mdbuf_puts(b, " |\n| Lineage | ");
	lt = c->lineage_known ? lineage_text(ev->lineage) : NULL;
	mdbuf_puts(b, lt ? lt : report_unknown(c));
	mdbuf_puts(b, " |\n| Terminal | ");
	tty_text(b, c);
	mdbuf_puts(b, " |\n");
	if (c->known[F_SS_TRUNCATED] && (ev->flags & SS_F_ARGV_TRUNCATED))
		mdbuf_puts(b, "| Note | the command line was cut to fit the event |\n");
	mdbuf_printf(b, "| Alerts in this incident | %zu |\n\n", inc->n_alerts);
	if (!c->a->shellsentry)
		mdbuf_puts(b, "These alerts came without shellsentry's own fields (Falco's JSON "
			      "output): facts marked unknown were not in them and are not guessed "
			      "here.\n\n");
}

/* RFC 3339 UTC with nanoseconds, as alerts write their time. */
static void put_time(struct mdbuf *b, uint64_t ns)
{
	time_t t = (time_t)(ns / 1000000000ull);
	char when[32];
	struct tm tm;

	if (!ns || !gmtime_r(&t, &tm)) {
		mdbuf_puts(b, "?");
		return;
	}
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	mdbuf_printf(b, "`%s.%09" PRIu64 "Z`", when, (uint64_t)(ns % 1000000000ull));
}

/* The timeline rows of a kernel-followed session, and its shell's row (NULL if not seen). */
static size_t session_rows(const struct incident *inc, const char *id,
			   const struct incident_entry **leader)
{
	char key[INCIDENT_SESSION_MAX];
	size_t i, n = 0;

	snprintf(key, sizeof(key), "shell session %.*s", SESSION_ID_MAX, id);
	*leader = NULL;
	for (i = 0; i < inc->n_entries; i++) {
		if (strcmp(inc->entries[i].session, key))
			continue;
		n += 1 + inc->entries[i].repeats;
		if (inc->entries[i].session_leader && !*leader)
			*leader = &inc->entries[i];
	}
	return n;
}

static const struct session_end *session_end_of(const struct incident *inc, const char *id)
{
	size_t i;

	for (i = 0; i < inc->n_session_ends && i < INCIDENT_MAX_SESSION_ENDS; i++)
		if (!strcmp(inc->session_ends[i].session, id))
			return &inc->session_ends[i];
	return NULL;
}

/*
 * The shell sessions the kernel followed: every process a session's shell
 * started is in the timeline; when the shell exited, how long it ran, how
 * many commands it ran (the kernel's count) and how many the session caps
 * held back, how it ended and what it left running.
 */
static void put_sessions(struct mdbuf *b, const struct report_ctx *c)
{
	const struct incident *inc = c->inc;
	const struct incident_entry *lead;
	const struct session_end *end;
	size_t i, shown, notes;
	char how[64];

	if (!inc->n_shell_sessions)
		return;
	mdbuf_printf(b, "## Shell session%s\n\n", inc->n_shell_sessions == 1 ? "" : "s");
	mdbuf_puts(b, "Followed by the kernel: every process a session's shell started, through "
		      "any number of forks and execs, is in the timeline.\n\n"
		      "| Session | Shell | Started because | Started | Ended | Duration | Commands "
		      "| How it ended |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n");
	for (i = 0; i < inc->n_shell_sessions; i++) {
		const char *id = inc->shell_sessions[i];

		shown = session_rows(inc, id, &lead);
		end = session_end_of(inc, id);
		mdbuf_puts(b, "| ");
		md_cell_code(b, id);
		mdbuf_puts(b, " | ");
		if (lead) {
			md_cell_code(b, lead->cmdline);
			mdbuf_printf(b, " (pid %" PRIu32 ")", lead->pid);
		} else if (end) {
			mdbuf_printf(b, "pid %" PRIu32, end->pid);
		} else {
			mdbuf_puts(b, "?");
		}
		mdbuf_puts(b, " | ");
		if (lead && lead->session_reasons[0])
			md_cell_code(b, lead->session_reasons);
		else
			mdbuf_puts(b, inc->alerts_only ? "not in the alerts" : "?");
		mdbuf_puts(b, " | ");
		if (lead && lead->time[0])
			md_cell_code(b, lead->time);
		else if (end)
			put_time(b, end->start_ns);
		else
			mdbuf_puts(b, "?");
		mdbuf_puts(b, " | ");
		if (!end) {
			mdbuf_printf(b, "%s | | %zu in the timeline | |\n",
				     inc->alerts_only
					     ? "not in the alerts (the daemon's report has the "
					       "session's end)"
					     : "still running when this report was written",
				     shown);
			continue;
		}
		put_time(b, end->end_ns);
		mdbuf_printf(b, " | %.1f s | %" PRIu64 " (%zu in the timeline",
			     end->end_ns > end->start_ns
				     ? (double)(end->end_ns - end->start_ns) / 1e9
				     : 0.0,
			     (uint64_t)end->commands, shown);
		if (end->capped)
			mdbuf_printf(b, "; %" PRIu32 " not shown: session caps", end->capped);
		mdbuf_puts(b, ") | ");
		session_end_how(how, sizeof(how), end->exit_status);
		md_cell_code(b, how);
		mdbuf_puts(b, " |\n");
	}
	mdbuf_puts(b, "\n");
	notes = b->len;
	for (i = 0; i < inc->n_session_ends && i < INCIDENT_MAX_SESSION_ENDS; i++) {
		end = &inc->session_ends[i];
		if (end->capped)
			mdbuf_printf(b,
				     "- Session `%s`: %" PRIu32 " commands were not shown: the "
				     "session caps (per session and per second) held them back; "
				     "they are counted, never lost silently.\n",
				     end->session, end->capped);
		if (end->untracked)
			mdbuf_printf(b,
				     "- Session `%s`: %" PRIu32 " processes were not followed "
				     "(member cap or full map): their commands are not in the "
				     "timeline.\n",
				     end->session, end->untracked);
		if (end->members)
			mdbuf_printf(b,
				     "- Session `%s`: %" PRIu32 " of its processes were still "
				     "running when the shell exited (a background or double-forked "
				     "job left behind).\n",
				     end->session, end->members);
	}
	if (inc->n_session_ends > INCIDENT_MAX_SESSION_ENDS)
		mdbuf_printf(b, "- %zu more session ends are not listed.\n",
			     inc->n_session_ends - INCIDENT_MAX_SESSION_ENDS);
	if (b->len != notes)
		mdbuf_puts(b, "\n");
}

/* The knowledge base's other patterns for a row, beside the one its finding names. */
static void put_other_patterns(struct mdbuf *b, const struct incident_entry *e,
			       const struct kb_pattern *shown)
{
	bool any = false;
	size_t j;

	for (j = 0; j < e->kb.n_matched && j < KB_MAX_MATCHES; j++) {
		if (e->kb.matched[j] == shown)
			continue;
		mdbuf_printf(b, "%s`%s`", any ? ", " : "; also ", e->kb.matched[j]->id);
		any = true;
	}
}

static void put_timeline(struct mdbuf *b, const struct report_ctx *c)
{
	const struct incident *inc = c->inc;
	const struct assessment *as = c->as;
	const struct incident_entry *e;
	bool sessions = inc->n_sessions > 1;
	size_t i, j;

	mdbuf_printf(b,
		     "## Timeline\n\n| # | Time | PID | User | %sCommand | Rules | "
		     "Assessment |\n| --- | --- | --- | --- | %s--- | --- | --- |\n",
		     sessions ? "Session | " : "", sessions ? "--- | " : "");
	for (i = 0; i < inc->n_entries; i++) {
		e = &inc->entries[i];
		mdbuf_printf(b, "| %zu | ", i + 1);
		if (e->time[0])
			md_cell_code(b, e->time);
		else
			mdbuf_puts(b, "?");
		if (e->repeats) {
			mdbuf_printf(b, ", and %zu more time%s until ", e->repeats,
				     e->repeats == 1 ? "" : "s");
			md_cell_code(b, e->last_time[0] ? e->last_time : "?");
		}
		if (e->pid)
			mdbuf_printf(b, " | %" PRIu32 " | ", e->pid);
		else
			mdbuf_puts(b, " | ? | ");
		if (e->user_known)
			md_cell_code(b, e->user);
		else if (e->uid_known)
			mdbuf_printf(b, "uid %" PRIu32, e->uid);
		else
			mdbuf_puts(b, "?");
		mdbuf_puts(b, " | ");
		if (sessions) {
			md_cell_code(b, e->session);
			mdbuf_puts(b, " | ");
		}
		md_cell_code(b, e->cmdline);
		mdbuf_puts(b, " | ");
		for (j = 0; j < e->n_rules; j++) {
			mdbuf_puts(b, j ? ", " : "");
			md_cell_code(b, e->rules[j]);
		}
		mdbuf_puts(b, " | ");
		if (i < as->n) {
			verdict_finding_text(&as->per[i], &as->facts[i], b);
			put_other_patterns(b, e, as->per[i].pattern);
		}
		mdbuf_puts(b, " |\n");
	}
	if (inc->omitted)
		mdbuf_printf(b,
			     "\n%zu more commands in this incident are not listed (limit %d; "
			     "commands with evidence are kept past it).\n",
			     inc->omitted, INCIDENT_MAX_ENTRIES);
	mdbuf_puts(b, "\n");
}

static void put_context(struct mdbuf *b, const struct report_ctx *c)
{
	const struct exec_event *ev = c->ev;
	const char *lt;

	mdbuf_puts(b, "## Security context\n\n- **User:** ");
	if (c->known[F_USER_NAME])
		md_code(b, ev->user_name);
	else
		mdbuf_puts(b, "name unknown");
	if (c->known[F_USER_UID])
		mdbuf_printf(b, ", uid %" PRIu32, ev->uid);
	else
		mdbuf_puts(b, ", uid unknown");
	if (c->known[F_SS_EUID] && ev->euid != ev->uid)
		mdbuf_printf(b, ", effective uid %" PRIu32, ev->euid);
	if (c->root_known && c->root)
		mdbuf_puts(b, ": **root** inside the container");
	mdbuf_puts(b, "\n- **Login uid:** ");
	if (!c->known[F_USER_LOGINUID])
		mdbuf_puts(b, report_unknown(c));
	else if (ev->loginuid < 0 || ev->loginuid == 4294967295ll)
		mdbuf_puts(b, "unset (no audited login session started it)");
	else
		mdbuf_printf(b, "%" PRId64 ": the audited login of the person behind it",
			     ev->loginuid);
	mdbuf_puts(b, "\n- **Capabilities (effective):** ");
	if (!c->caps_known) {
		mdbuf_puts(b, report_unknown(c));
	} else if (!ev->cap_effective) {
		mdbuf_puts(b, "none");
	} else if (c->all_caps) {
		mdbuf_puts(b, "the full set, as in a privileged container: ");
		caps_text(b, ev->cap_effective);
	} else {
		caps_text(b, ev->cap_effective);
		if (c->extra_caps) {
			mdbuf_puts(b, "; beyond the runtime's default set: ");
			caps_text(b, c->extra_caps);
		}
	}
	mdbuf_puts(b, "\n- **Privileged container:** ");
	if (c->privileged == TRI_UNKNOWN)
		mdbuf_puts(b, report_unknown(c));
	else
		mdbuf_puts(b, c->privileged == TRI_TRUE ? "**yes**" : "no");
	mdbuf_puts(b, "\n- **Interactive:** ");
	tty_text(b, c);
	mdbuf_puts(b, "\n- **Lineage:** ");
	lt = c->lineage_known ? lineage_text(ev->lineage) : NULL;
	mdbuf_puts(b, lt ? lt : report_unknown(c));
	mdbuf_puts(b, "\n\n");
}

int report_render(const struct incident *inc, const struct kb *kb, struct mdbuf *b)
{
	struct assessment as;
	struct report_ctx c;
	int ret;

	if (!inc || !inc->first || !inc->n_entries)
		return -EINVAL;
	ret = assess_incident(inc, &as);
	if (ret)
		return ret;
	report_get_ctx(inc, kb, &as, &c);
	report_put_title(b, &c);
	report_put_summary(b, &c);
	report_put_verdict(b, &c);
	put_details(b, &c);
	put_sessions(b, &c);
	put_timeline(b, &c);
	put_context(b, &c);
	report_put_assessment(b, &c);
	report_put_mitigations(b, &c);
	report_put_tuning(b, &c);
	report_put_recommendations(b, &c);
	assess_free(&as);
	return b->err;
}

int report_tuning_yaml(const struct incident *inc, struct mdbuf *b)
{
	struct assessment as;
	int ret;

	if (!inc || !inc->first || !inc->n_entries)
		return -EINVAL;
	ret = assess_incident(inc, &as);
	if (ret)
		return ret;
	ret = as.offer.refusal == TUNING_OFFERED
		      ? tuning_yaml(&as.offer, as.facts, as.n, &as.ctx, b)
		      : -ENOENT;
	assess_free(&as);
	return ret;
}
