/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
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
#include "report/report.h"
#include "rules/rules.h"

/* Capabilities runc/containerd/docker grant by default (OCI default set). */
#define DEFAULT_CAPS                                                                               \
	((1ull << 0) | (1ull << 1) | (1ull << 3) | (1ull << 4) | (1ull << 5) | (1ull << 6) |       \
	 (1ull << 7) | (1ull << 8) | (1ull << 10) | (1ull << 13) | (1ull << 18) | (1ull << 27) |  \
	 (1ull << 29) | (1ull << 31))
#define CAP_SYS_ADMIN_BIT (1ull << 21)

/* Facts of the incident's first alert, as the report needs them. */
struct facts {
	const struct alert *a;
	const struct exec_event *ev;
	bool known[F_COUNT];
	bool root; /* uid 0 or user name root */
	bool root_known;
	bool injected, lineage_known;
	bool tty_known;
	bool caps_known;
	uint64_t extra_caps; /* beyond the runtime default */
	enum tristate privileged;
	bool all_caps; /* full set: privileged or equivalent */
};

static const char *verdict_line(const struct incident *inc)
{
	if (inc->verdict == KB_MALICIOUS || inc->verdict == KB_SUSPICIOUS ||
	    (inc->verdict == KB_EXPECTED && inc->all_expected))
		return kb_verdict_name(inc->verdict);
	return "no known pattern: review needed";
}

static void get_facts(const struct incident *inc, struct facts *f)
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
		mdbuf_puts(b, "no terminal: not interactive (a script, a probe or `exec` without `-t`)");
	else if (major >= 136 && major <= 143)
		mdbuf_printf(b, "yes: pseudo-terminal pts/%" PRIu32 " (proc.tty %" PRIu32
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
		mdbuf_puts(b, "This alert came without shellsentry's own fields (Falco's JSON output): "
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
		mdbuf_printf(b, " | %s", e->kb.n_matched ? kb_verdict_name(e->kb.verdict) : "no pattern");
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
			mdbuf_printf(b, "- %s: %s\n", p->checks[i].text, check_mark(r->checks[m][i]));
		mdbuf_puts(b, "\n");
		if (r->contradicted[m] && p->verdict == KB_EXPECTED)
			mdbuf_puts(b, "A context check does not hold, so this is **not** taken as the "
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
			mdbuf_printf(b, "Command #%zu also matched `%s` (%s, %s); the pattern above "
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

/* A Kubernetes name usable in a command line as is; else a placeholder. */
static const char *k8s_name_or(const char *s, bool known, const char *placeholder)
{
	size_t i, n = strlen(s);

	if (!known || !n || n > 63)
		return placeholder;
	for (i = 0; i < n; i++)
		if (!islower((unsigned char)s[i]) && !isdigit((unsigned char)s[i]) && s[i] != '-')
			return placeholder;
	return s;
}

static void put_hardening(struct mdbuf *b, const struct facts *f)
{
	const char *ns = k8s_name_or(f->ev->container.pod_namespace, f->known[F_K8S_NS_NAME],
				     "<namespace>");
	bool priv = f->privileged == TRI_TRUE || f->all_caps;

	mdbuf_puts(b, "### Pod `securityContext`\n\n");
	if (f->root_known && f->root)
		mdbuf_puts(b, "- The shell ran as **root**: run the container as a non-root user "
			      "(`runAsNonRoot`, `runAsUser`).\n");
	else if (!f->root_known)
		mdbuf_puts(b, "- The user is unknown: make non-root explicit (`runAsNonRoot`, "
			      "`runAsUser`) so that a root image is refused.\n");
	if (priv)
		mdbuf_puts(b, "- The container is **privileged** (or holds every capability): "
			      "turn that off and drop all capabilities.\n");
	else if (f->caps_known && f->extra_caps)
		mdbuf_puts(b, "- It holds capabilities beyond the runtime default: drop them all "
			      "and add back only what the workload needs.\n");
	else if (f->caps_known && f->ev->cap_effective)
		mdbuf_puts(b, "- It holds the runtime's default capabilities: drop them all; few "
			      "workloads need any.\n");
	else if (!f->caps_known || f->privileged == TRI_UNKNOWN)
		mdbuf_puts(b, "- Capabilities and privileged mode are unknown: set them "
			      "explicitly.\n");
	mdbuf_puts(b, "- A shell that can write to the image can drop tools: "
		      "`readOnlyRootFilesystem` (mount an `emptyDir` where the application "
		      "writes).\n\n");
	mdbuf_puts(b, "```yaml\nsecurityContext:\n");
	mdbuf_puts(b, "  runAsNonRoot: true\n  runAsUser: 65534\n  runAsGroup: 65534\n");
	mdbuf_puts(b, "  allowPrivilegeEscalation: false\n  privileged: false\n");
	mdbuf_puts(b, "  readOnlyRootFilesystem: true\n  capabilities:\n    drop: [\"ALL\"]\n");
	mdbuf_puts(b, "  seccompProfile:\n    type: RuntimeDefault\n```\n\n");

	mdbuf_puts(b, "### Pod Security admission\n\n");
	if (priv)
		mdbuf_puts(b, "The `baseline` level already rejects privileged pods and added "
			      "capabilities; `restricted` also requires non-root and dropping "
			      "ALL. Either would have refused this pod.\n\n");
	else if (f->root_known && f->root)
		mdbuf_puts(b, "`baseline` allows root; only the `restricted` level (which requires "
			      "`runAsNonRoot`, dropping ALL capabilities, no privilege escalation "
			      "and a seccomp profile) would have refused this pod.\n\n");
	else
		mdbuf_puts(b, "The `restricted` level enforces the settings above at admission "
			      "(non-root, ALL capabilities dropped, no privilege escalation, "
			      "seccomp RuntimeDefault).\n\n");
	mdbuf_printf(b, "```sh\nkubectl label namespace %s pod-security.kubernetes.io/enforce=restricted\n"
			"```\n\n",
		     ns);
	mdbuf_puts(b, "Admission checks the pod, not `kubectl exec`: a compliant pod still "
		      "accepts an exec'd shell. RBAC is what decides who may exec.\n\n");

	mdbuf_puts(b, "### `kubectl exec` access\n\n");
	if (f->injected && f->tty_known && f->ev->tty)
		mdbuf_puts(b, "This was an **interactive shell injected from outside** the "
			      "container: someone with `create` on `pods/exec` opened it. ");
	else if (f->injected)
		mdbuf_puts(b, "This shell was **injected from outside** the container (exec). ");
	else if (!f->lineage_known)
		mdbuf_puts(b, "Whether the shell came through `kubectl exec` is unknown. ");
	mdbuf_puts(b, "Grant `pods/exec` (and `pods/attach`) to as few subjects as possible, "
		      "never through wildcards, and audit every use:\n\n");
	mdbuf_puts(b, "```yaml\n# Role for people who need to see pods but not enter them:\n"
		      "# no pods/exec, pods/attach or pods/portforward.\n"
		      "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n"
		      "  name: pod-reader-no-exec\n");
	mdbuf_printf(b, "  namespace: %s\n", ns);
	mdbuf_puts(b, "rules:\n  - apiGroups: [\"\"]\n    resources: [\"pods\", \"pods/log\"]\n"
		      "    verbs: [\"get\", \"list\", \"watch\"]\n---\n"
		      "# API server audit policy: record who ran which exec.\n"
		      "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n"
		      "  - level: Metadata\n    resources:\n      - group: \"\"\n"
		      "        resources: [\"pods/exec\", \"pods/attach\", \"pods/portforward\"]\n"
		      "```\n\n");
	mdbuf_puts(b, "Find who may exec today: `kubectl auth can-i create pods/exec "
		      "--as=<user> -n <namespace>`, or list the RoleBindings and "
		      "ClusterRoleBindings that grant it.\n\n");

	mdbuf_puts(b, "### Containers run by Docker directly\n\n"
		      "The same restrictions as `docker run` flags (keep the default seccomp "
		      "profile: pass no `--security-opt seccomp=` option):\n\n"
		      "```sh\ndocker run --cap-drop=ALL --security-opt no-new-privileges "
		      "--read-only --tmpfs /tmp \\\n  --user 65534:65534 <image>\n```\n\n");
}

static void put_mitigations(struct mdbuf *b, const struct incident *inc, const struct facts *f)
{
	mdbuf_puts(b, "## Mitigations\n\n");
	if (inc->verdict == KB_EXPECTED && inc->all_expected) {
		mdbuf_puts(b, "The activity matches a known, expected pattern: nothing in it needs "
			      "blocking, and the workload may legitimately need its privileges "
			      "(Falco's driver loader, for one, must run privileged as root to load "
			      "a kernel module). Do not apply the hardening below to it; tune the "
			      "alert instead (next section) and restrict who may exec into that "
			      "namespace.\n\n"
			      "If a context check above turns out not to hold, this is not the "
			      "expected activity; then apply:\n\n");
	} else {
		mdbuf_puts(b, "Derived from what was seen in this incident.\n\n");
	}
	put_hardening(b, f);
}

/* YAML double-quoted scalar; false when s holds bytes YAML cannot carry. */
static bool yaml_quote(struct mdbuf *b, const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;

	mdbuf_puts(b, "\"");
	for (; *p && n < max; p++, n++) {
		if (*p >= 0x80)
			break;
		if (*p == '"' || *p == '\\')
			mdbuf_printf(b, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			mdbuf_printf(b, "\\x%02x", *p);
		else
			mdbuf_putn(b, (const char *)p, 1);
	}
	mdbuf_puts(b, "\"");
	return !*p;
}

/* Byte length of the leading part of s that yaml_quote() can carry exactly. */
static size_t yaml_safe_prefix(const char *s)
{
	size_t n = 0;

	while (s[n] && (unsigned char)s[n] < 0x80)
		n++;
	return n;
}

static void exception_name(char *buf, size_t len, const struct incident *inc, size_t rule_ix)
{
	const struct kb_pattern *p = NULL;
	size_t i, o;

	for (i = 0; i < inc->n_entries && !p; i++)
		if (inc->entries[i].kb.n_matched && inc->entries[i].kb.verdict == KB_EXPECTED)
			p = inc->entries[i].kb.matched[0];
	snprintf(buf, len, "shellsentry_%s_%zu", p ? p->id : "reviewed", rule_ix + 1);
	for (o = 0; buf[o]; o++)
		if (!isalnum((unsigned char)buf[o]))
			buf[o] = '_';
}

struct ctx_field {
	enum field_id id;
	const char *name;
	const char *value;
};

int report_tuning_yaml(const struct incident *inc, struct mdbuf *b)
{
	const struct facts *fp;
	struct facts f;
	struct ctx_field ctx[3];
	const char *rules[INCIDENT_MAX_ENTRIES * INCIDENT_MAX_RULES];
	size_t n_rules = 0, n_ctx = 0, i, j, k, prefix;
	char name[128];
	bool dup, exact;

	get_facts(inc, &f);
	fp = &f;
	if (fp->known[F_CONTAINER_IMAGE_REPOSITORY])
		ctx[n_ctx++] = (struct ctx_field){ F_CONTAINER_IMAGE_REPOSITORY,
						   "container.image.repository",
						   fp->ev->container.image_repository };
	if (fp->known[F_K8S_NS_NAME])
		ctx[n_ctx++] = (struct ctx_field){ F_K8S_NS_NAME, "k8s.ns.name",
						   fp->ev->container.pod_namespace };
	if (fp->known[F_K8S_CONTAINER_NAME])
		ctx[n_ctx++] = (struct ctx_field){ F_K8S_CONTAINER_NAME, "k8s.container.name",
						   fp->ev->container.k8s_container_name };
	for (i = 0; i < inc->n_entries; i++)
		for (j = 0; j < inc->entries[i].n_rules; j++) {
			dup = false;
			for (k = 0; k < n_rules; k++)
				dup |= !strcmp(rules[k], inc->entries[i].rules[j]);
			if (!dup)
				rules[n_rules++] = inc->entries[i].rules[j];
		}
	for (k = 0; k < n_rules; k++) {
		mdbuf_puts(b, k ? "\n" : "");
		mdbuf_puts(b, "- rule: ");
		yaml_quote(b, rules[k], ALERT_RULE_MAX);
		exception_name(name, sizeof(name), inc, k);
		mdbuf_printf(b, "\n  exceptions:\n    - name: %s\n      fields: [", name);
		for (i = 0; i < n_ctx; i++)
			mdbuf_printf(b, "%s, ", ctx[i].name);
		mdbuf_puts(b, "proc.cmdline]\n      comps: [");
		for (i = 0; i < n_ctx; i++)
			mdbuf_puts(b, "=, ");
		/* a command line YAML cannot carry exactly is matched on its exact prefix */
		exact = true;
		for (i = 0; i < inc->n_entries; i++)
			exact &= !inc->entries[i].cmdline[yaml_safe_prefix(inc->entries[i].cmdline)];
		for (i = 0; i < n_ctx; i++)
			exact &= !ctx[i].value[yaml_safe_prefix(ctx[i].value)];
		mdbuf_printf(b, "%s]\n      values:\n", exact ? "=" : "startswith");
		for (i = 0; i < inc->n_entries; i++) {
			dup = true;
			for (j = 0; j < inc->entries[i].n_rules; j++)
				dup &= strcmp(inc->entries[i].rules[j], rules[k]) != 0;
			/* an empty prefix would exempt every command */
			if (dup || !yaml_safe_prefix(inc->entries[i].cmdline))
				continue;
			mdbuf_puts(b, "        - [");
			for (j = 0; j < n_ctx; j++) {
				yaml_quote(b, ctx[j].value, yaml_safe_prefix(ctx[j].value));
				mdbuf_puts(b, ", ");
			}
			prefix = yaml_safe_prefix(inc->entries[i].cmdline);
			yaml_quote(b, inc->entries[i].cmdline, prefix);
			mdbuf_puts(b, "]\n");
		}
		mdbuf_puts(b, "  override:\n    exceptions: append\n");
	}
	return b->err;
}

static void put_tuning(struct mdbuf *b, const struct incident *inc, const struct facts *f)
{
	struct mdbuf y;

	mdbuf_puts(b, "## Tuning\n\n");
	if (inc->verdict == KB_MALICIOUS || inc->verdict == KB_SUSPICIOUS)
		mdbuf_puts(b, "**Do not add this exception unless the investigation shows the "
			      "activity is legitimate**: it matched an indicator of attack, and "
			      "an exception would hide the next occurrence.\n\n");
	mdbuf_puts(b, "An exception for exactly these commands");
	if (f->known[F_CONTAINER_IMAGE_REPOSITORY] || f->known[F_K8S_NS_NAME] ||
	    f->known[F_K8S_CONTAINER_NAME])
		mdbuf_puts(b, " in this image, namespace or container");
	mdbuf_puts(b, ", to add to a rules file loaded after the one that defines the rule "
		      "(shellsentry and Falco 0.36+ read the same syntax):\n\n");
	mdbuf_init(&y, 0);
	report_tuning_yaml(inc, &y);
	if (y.err)
		b->err = y.err;
	else
		md_code_block(b, "yaml", y.data ? y.data : "");
	mdbuf_free(&y);
	if (!f->known[F_CONTAINER_IMAGE_REPOSITORY] && !f->known[F_K8S_NS_NAME])
		mdbuf_puts(b, "\nThe alert does not name the image or namespace, so the exception "
			      "above matches the command line anywhere. Once you have confirmed "
			      "where it runs, narrow it: add `container.image.repository` (and "
			      "`k8s.ns.name`) to `fields` with their values. Do not use "
			      "`container.id`: it changes every time the pod restarts.\n");
	mdbuf_puts(b, "\n");
}

static void put_recommendations(struct mdbuf *b, const struct incident *inc, const struct facts *f)
{
	mdbuf_puts(b, "## Recommendations\n\n");
	switch (inc->verdict) {
	case KB_MALICIOUS:
		mdbuf_puts(b, "1. Treat this as an intrusion: isolate the pod with a deny-all "
			      "NetworkPolicy and keep it for forensics before deleting it.\n"
			      "2. Find the entry point: the parent process and lineage above, the "
			      "application's logs, and the API server audit log for `pods/exec`.\n"
			      "3. Rotate the credentials the container could reach (service-account "
			      "token, mounted secrets, cloud credentials).\n"
			      "4. Apply the mitigations above to the workload and its namespace.\n");
		break;
	case KB_SUSPICIOUS:
		mdbuf_puts(b, "1. Find out who started the shell and why: lineage, terminal, "
			      "login uid, the audit log for `pods/exec` at that time.\n"
			      "2. Review every command in the timeline and what followed it.\n"
			      "3. Apply the mitigations above; tune only once it is explained.\n");
		break;
	default:
		if (inc->all_expected && inc->verdict == KB_EXPECTED) {
			mdbuf_puts(b, "1. Confirm the context checks marked unknown or to check by "
				      "hand in the assessment.\n"
				      "2. Then add the exception from the tuning section, for these "
				      "commands only.\n"
				      "3. Keep alerting on every other shell in that container.\n");
		} else {
			mdbuf_puts(b, "1. No known pattern explains this: ask the owner of the "
				      "workload whether someone ran it, and check the audit log for "
				      "`pods/exec` at that time.\n"
				      "2. Review the timeline for what followed.\n"
				      "3. Apply the mitigations above.\n");
		}
	}
	if (!f->a->shellsentry)
		mdbuf_puts(b, "\nRunning shellsentry on the node would add the facts this alert "
			      "lacks (lineage, terminal, capabilities, login uid, parent chain).\n");
}

int report_render(const struct incident *inc, const struct kb *kb, struct mdbuf *b)
{
	struct facts f;

	if (!inc || !inc->first || !inc->n_entries)
		return -EINVAL;
	get_facts(inc, &f);
	put_summary(b, inc, &f);
	put_details(b, inc, &f);
	put_timeline(b, inc);
	put_context(b, &f);
	put_assessment(b, inc, kb, &f);
	put_mitigations(b, inc, &f);
	put_tuning(b, inc, &f);
	put_recommendations(b, inc, &f);
	return b->err;
}

void report_file_name(const struct incident *inc, char *buf, size_t len)
{
	const struct alert *a = inc->first;
	char raw[400];
	size_t i, o = 0;
	struct tm tm;
	time_t t = (time_t)(inc->first_ns / 1000000000ull);
	char when[32] = "unknown-time";

	if (a && a->time_known && gmtime_r(&t, &tm))
		strftime(when, sizeof(when), "%Y%m%dT%H%M%SZ", &tm);
	snprintf(raw, sizeof(raw), "%s_%.100s_%.64s", when,
		 inc->hostname[0] ? inc->hostname : "unknown-host", inc->container);
	for (i = 0; raw[i] && o + 4 < len; i++) {
		unsigned char c = (unsigned char)raw[i];

		bool ok = isalnum(c) || c == '-' || c == '_' || (c == '.' && o);

		buf[o++] = ok ? (char)c : '-';
	}
	if (len >= 4) {
		buf[o] = '\0';
		strcat(buf, ".md");
	} else if (len) {
		buf[0] = '\0';
	}
}

int report_write_file(const char *dir, const struct incident *inc, const struct kb *kb,
		      size_t max_bytes, char *path, size_t path_len, bool *truncated)
{
	static const char cut[] = "\n\n*(report truncated: size limit reached)*\n";
	struct mdbuf b;
	char name[256];
	int fd = -1, ret, i;

	*truncated = false;
	mdbuf_init(&b, max_bytes ? max_bytes : REPORTER_MAX_BYTES_DEFAULT);
	ret = report_render(inc, kb, &b);
	if (ret == -EFBIG) {
		*truncated = true;
		ret = 0;
	}
	if (ret)
		goto out;
	report_file_name(inc, name, sizeof(name));
	/* never overwrite: the same second, host and container get a suffix */
	for (i = 0; i < 1000; i++) {
		if (i)
			snprintf(path, path_len, "%s/%.*s-%d.md", dir, (int)(strlen(name) - 3), name,
				 i);
		else
			snprintf(path, path_len, "%s/%s", dir, name);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0640);
		if (fd >= 0 || errno != EEXIST)
			break;
	}
	if (fd < 0) {
		ret = -errno;
		goto out;
	}
	ret = write_all(fd, b.data ? b.data : "", b.len);
	if (!ret && *truncated)
		ret = write_all(fd, cut, sizeof(cut) - 1);
	if (close(fd) && !ret)
		ret = -errno;
out:
	mdbuf_free(&b);
	return ret;
}

struct reporter {
	char dir[1024];
	struct kb *kb;
	struct incident_set *set;
	struct alert *scratch; /* one alert: too large for the stack */
	size_t max_reports, max_bytes;
	struct reporter_stats stats;
};

int reporter_new(const char *dir, const char *kb_path, size_t max_reports, size_t max_bytes,
		 struct reporter **out)
{
	struct rules_error err;
	struct reporter *r;
	int ret;

	if (!dir || !*dir || strlen(dir) >= sizeof(r->dir))
		return -EINVAL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	snprintf(r->dir, sizeof(r->dir), "%s", dir);
	r->max_reports = max_reports ? max_reports : REPORTER_MAX_REPORTS_DEFAULT;
	r->max_bytes = max_bytes ? max_bytes : REPORTER_MAX_BYTES_DEFAULT;
	r->scratch = malloc(sizeof(*r->scratch));
	if (!r->scratch) {
		ret = -ENOMEM;
		goto fail;
	}
	if (kb_path && *kb_path) {
		ret = kb_load(kb_path, &r->kb, &err);
		if (ret)
			goto fail;
	}
	ret = incident_set_new(INCIDENT_WINDOW_NS_DEFAULT, INCIDENT_MAX_OPEN_DEFAULT, &r->set);
	if (ret)
		goto fail;
	*out = r;
	return 0;
fail:
	reporter_free(r);
	return ret;
}

int reporter_add(struct reporter *r, const struct exec_event *ev, const char *rule, int priority,
		 const char *output)
{
	struct kb_result res;
	bool known[F_COUNT];

	alert_from_event(r->scratch, ev, rule, priority, output);
	/* empty context (no image, no pod) is unknown, not a failed check */
	alert_known_mask(r->scratch, known);
	kb_match(r->kb, &r->scratch->ev, known, &res);
	return incident_add(r->set, r->scratch, &res);
}

int reporter_session_command(struct reporter *r, const struct exec_event *ev,
			     const char *const *rules, size_t n)
{
	struct kb_result res;
	bool known[F_COUNT];

	alert_from_event(r->scratch, ev, "", -1, "");
	alert_known_mask(r->scratch, known);
	kb_match(r->kb, &r->scratch->ev, known, &res);
	return incident_add_command(r->set, r->scratch, &res, rules, n);
}

int reporter_session_end(struct reporter *r, const struct session_end *end)
{
	int ret = incident_session_end(r->set, end);

	if (ret == -ENOENT)
		r->stats.session_ends_unmatched++;
	return ret == -ENOENT ? 0 : ret;
}

int reporter_flush(struct reporter *r, uint64_t now_ns, bool force)
{
	struct incident *inc;
	char path[1400];
	bool truncated;
	int ret, first_err = 0;

	while ((inc = incident_take(r->set, now_ns, force))) {
		if (r->stats.written >= r->max_reports) {
			r->stats.dropped++;
			incident_free(inc);
			continue;
		}
		ret = report_write_file(r->dir, inc, r->kb, r->max_bytes, path, sizeof(path),
					&truncated);
		incident_free(inc);
		if (ret) {
			r->stats.dropped++;
			r->stats.last_error = ret;
			if (!first_err)
				first_err = ret;
			continue;
		}
		r->stats.written++;
		r->stats.truncated += truncated;
	}
	return first_err;
}

void reporter_get_stats(const struct reporter *r, struct reporter_stats *out)
{
	*out = r->stats;
}

void reporter_free(struct reporter *r)
{
	if (!r)
		return;
	incident_set_free(r->set);
	kb_free(r->kb);
	free(r->scratch);
	free(r);
}
