/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#include <stdbool.h>
#include <string.h>

#include "rules/rules.h"
#include "report/verdict.h"

#define NO_CHECK ((size_t)-1)

static bool is_inet(const char *type)
{
	return type && (!strcmp(type, "ipv4") || !strcmp(type, "ipv6"));
}

enum verdict_stdio verdict_stdio_from_types(const char *stdin_type, const char *stdout_type)
{
	if (is_inet(stdin_type) || is_inet(stdout_type))
		return VSTDIO_NETWORK;
	/* local only when both are known: an unknown side could be the socket */
	if (stdin_type && stdout_type)
		return VSTDIO_LOCAL;
	return VSTDIO_UNKNOWN;
}

enum pattern_state { PS_VERIFIED, PS_UNVERIFIED, PS_FAILS };

/*
 * A benign pattern is verified when every check that has a condition was
 * decided and holds, and at least one did: checks done by hand cannot
 * verify anything, and a pattern without decidable checks stays a
 * resemblance.
 */
static enum pattern_state pattern_state(const struct kb_result *r, size_t m, size_t *check)
{
	const struct kb_pattern *p = r->matched[m];
	size_t k, unknown = NO_CHECK;
	bool held = false;

	for (k = 0; k < p->n_checks && k < KB_MAX_CHECKS; k++) {
		switch (r->checks[m][k]) {
		case KB_CHECK_FAILS:
			*check = k;
			return PS_FAILS;
		case KB_CHECK_UNKNOWN:
			if (unknown == NO_CHECK)
				unknown = k;
			break;
		case KB_CHECK_HOLDS:
			held = true;
			break;
		default:
			break;
		}
	}
	*check = unknown;
	return unknown == NO_CHECK && held ? PS_VERIFIED : PS_UNVERIFIED;
}

/* A superseded pattern that p explains away, if the command had one. */
static const struct kb_pattern *alternative_of(const struct kb_result *r,
					       const struct kb_pattern *p)
{
	size_t i, j;

	for (i = 0; i < r->n_superseded; i++)
		for (j = 0; j < p->n_supersedes; j++)
			if (!strcmp(p->supersedes[j], r->superseded[i]->id))
				return r->superseded[i];
	return NULL;
}

/* Which finding states a level, when a command or a session has several. */
static int reason_rank(enum verdict_reason r)
{
	switch (r) {
	case VR_NETWORK_STDIO:
		return 4; /* the shell is talking to a peer: the most direct evidence */
	case VR_ATTACK_PATTERN:
		return 3;
	case VR_FILELESS:
		return 2;
	case VR_DRIFT:
		return 1;
	case VR_CHECK_FAILS:
		return 1; /* names the check that fails: more than the pattern alone */
	case VR_STEP:
		return -1; /* the verified command states it, never its step */
	default:
		return 0;
	}
}

static enum verdict_level level_of(enum verdict_reason r)
{
	switch (r) {
	case VR_NETWORK_STDIO:
	case VR_ATTACK_PATTERN:
	case VR_FILELESS:
	case VR_DRIFT:
		return VERDICT_MALICIOUS;
	case VR_CHECK_FAILS:
	case VR_SUSPICIOUS_PATTERN:
		return VERDICT_SUSPICIOUS;
	case VR_VERIFIED:
	case VR_STEP:
		return VERDICT_EXPECTED;
	case VR_UNVERIFIED:
		return VERDICT_RESEMBLES;
	default:
		return VERDICT_REVIEW;
	}
}

static bool outranks(enum verdict_level la, enum verdict_reason ra, enum verdict_level lb,
		     enum verdict_reason rb)
{
	if (la != lb)
		return la > lb;
	return reason_rank(ra) > reason_rank(rb);
}

/*
 * Within one command every finding is kept as evidence and the strongest
 * states it: evidence of compromise, then a failed check, a suspicious
 * pattern, a verified benign pattern, an unverified one, nothing.
 */
static int command_rank(enum verdict_reason r)
{
	switch (r) {
	case VR_NETWORK_STDIO:
		return 9;
	case VR_ATTACK_PATTERN:
		return 8;
	case VR_FILELESS:
		return 7;
	case VR_DRIFT:
		return 6;
	case VR_CHECK_FAILS:
		return 5;
	case VR_SUSPICIOUS_PATTERN:
		return 4;
	case VR_VERIFIED:
		return 3;
	case VR_UNVERIFIED:
		return 2;
	default:
		return 1;
	}
}

static void consider(struct verdict_finding *out, enum verdict_reason reason,
		     const struct kb_pattern *p, size_t match, size_t check)
{
	out->evidence |= VERDICT_EVIDENCE(reason);
	if (command_rank(reason) <= command_rank(out->reason))
		return;
	out->level = level_of(reason);
	out->reason = reason;
	out->pattern = p;
	out->match = match;
	out->check = check;
}

void verdict_command(const struct verdict_facts *f, struct verdict_finding *out)
{
	const struct kb_result *r = f->kb;
	const struct kb_pattern *p;
	size_t m, check;

	memset(out, 0, sizeof(*out));
	out->level = VERDICT_REVIEW;
	out->reason = VR_NO_PATTERN;
	out->check = NO_CHECK;
	/* a socket on a server's stdio is its business; on a shell or anything it runs, a peer's */
	if (verdict_stdio_from_types(f->stdin_type, f->stdout_type) == VSTDIO_NETWORK &&
	    (f->shell != TRI_FALSE || f->in_session))
		consider(out, VR_NETWORK_STDIO, NULL, 0, NO_CHECK);
	if (f->fileless == TRI_TRUE)
		consider(out, VR_FILELESS, NULL, 0, NO_CHECK);
	if (f->drift == TRI_TRUE)
		consider(out, VR_DRIFT, NULL, 0, NO_CHECK);
	for (m = 0; r && m < r->n_matched && m < KB_MAX_MATCHES; m++) {
		p = r->matched[m];
		check = NO_CHECK;
		switch (p->verdict) {
		case KB_MALICIOUS:
			consider(out, VR_ATTACK_PATTERN, p, m, NO_CHECK);
			break;
		case KB_SUSPICIOUS:
			consider(out, VR_SUSPICIOUS_PATTERN, p, m, NO_CHECK);
			break;
		case KB_EXPECTED:
			switch (pattern_state(r, m, &check)) {
			case PS_FAILS:
				consider(out, VR_CHECK_FAILS, p, m, check);
				break;
			case PS_UNVERIFIED:
				consider(out, VR_UNVERIFIED, p, m, check);
				break;
			default:
				consider(out, VR_VERIFIED, p, m, NO_CHECK);
			}
			break;
		default:
			break;
		}
	}
	if (out->reason == VR_UNVERIFIED)
		out->alternative = alternative_of(r, out->pattern);
}

#define STEP_MAX 4096 /* bytes of a command line compared as a script */

/* s without quotes, blanks squeezed to one space, trimmed; false when cut. */
static bool squeeze(const char *s, char *out, size_t len)
{
	size_t o = 0;
	bool blank = false;

	for (; *s; s++) {
		if (*s == '\'' || *s == '"')
			continue;
		if (*s == ' ' || *s == '\t' || *s == '\n') {
			blank = o > 0;
			continue;
		}
		if (o + 2 >= len)
			return false;
		if (blank)
			out[o++] = ' ';
		blank = false;
		out[o++] = *s;
	}
	out[o] = '\0';
	return true;
}

static bool step_edge(char c)
{
	return !c || strchr(" ;|&()`/$<>", c);
}

bool verdict_step_in_script(const char *step, const char *script)
{
	char a[STEP_MAX], b[STEP_MAX];
	const char *p;
	size_t n;

	if (!step || !script || !squeeze(step, a, sizeof(a)) || !squeeze(script, b, sizeof(b)))
		return false;
	n = strlen(a);
	if (!n || !strcmp(a, b))
		return false;
	for (p = strstr(b, a); p; p = strstr(p + 1, a))
		if ((p == b || step_edge(p[-1])) && (step_edge(p[n]) && p[n] != '/'))
			return true;
	return false;
}

/*
 * A command with no finding of its own that the session's verified shell
 * ran as its own command line says is a step of it: expected with it.
 */
static void step_of(const struct verdict_facts *cmds, size_t i, struct verdict_finding *f)
{
	struct verdict_finding g;
	size_t k;

	if (f->reason != VR_NO_PATTERN || f->evidence || !cmds[i].step_of || cmds[i].step_of > i ||
	    cmds[i].truncated)
		return;
	k = cmds[i].step_of - 1;
	verdict_command(&cmds[k], &g);
	if (g.reason != VR_VERIFIED || cmds[k].truncated ||
	    !verdict_step_in_script(cmds[i].cmdline, cmds[k].cmdline))
		return;
	*f = g;
	f->reason = VR_STEP;
	f->evidence = VERDICT_EVIDENCE(VR_STEP);
	f->of = k;
}

static enum verdict_trail trail_of(enum ss_lineage l)
{
	switch (l) {
	case SS_LINEAGE_INJECTED:
		return TRAIL_EXEC;
	case SS_LINEAGE_ENTRYPOINT:
	case SS_LINEAGE_INIT_TREE:
		return TRAIL_APPLICATION;
	default:
		return TRAIL_UNKNOWN;
	}
}

void verdict_session(const struct verdict_facts *cmds, size_t n, struct verdict *out,
		     struct verdict_finding *per_cmd)
{
	struct verdict_finding f;
	int rule_prio = -1;
	size_t i;
	bool have = false;

	memset(out, 0, sizeof(*out));
	out->level = VERDICT_REVIEW;
	out->lead.level = VERDICT_REVIEW;
	out->lead.reason = VR_NO_PATTERN;
	out->lead.check = NO_CHECK;
	out->priority = -1;
	out->n_cmds = n;
	for (i = 0; i < n; i++) {
		verdict_command(&cmds[i], &f);
		step_of(cmds, i, &f);
		if (per_cmd)
			per_cmd[i] = f;
		out->count[f.level]++;
		out->evidence |= f.evidence;
		if (cmds[i].priority >= 0 && (rule_prio < 0 || cmds[i].priority < rule_prio))
			rule_prio = cmds[i].priority;
		/* how the session started: its first command whose lineage is known */
		if (out->trail == TRAIL_UNKNOWN)
			out->trail = trail_of(cmds[i].lineage);
		if (!have || outranks(f.level, f.reason, out->lead.level, out->lead.reason)) {
			out->lead = f;
			out->lead_cmd = i;
			have = true;
		}
	}
	out->level = out->lead.level;
	switch (out->level) {
	case VERDICT_MALICIOUS:
		out->priority =
			rule_prio >= 0 && rule_prio < PRIO_CRITICAL ? rule_prio : PRIO_CRITICAL;
		break;
	case VERDICT_SUSPICIOUS:
		out->priority =
			rule_prio >= 0 && rule_prio < PRIO_WARNING ? rule_prio : PRIO_WARNING;
		break;
	default:
		/* a resemblance or an expected pattern never lowers what the rule said */
		out->priority = rule_prio;
	}
}

static const char *check_text(const struct verdict_finding *f)
{
	if (!f->pattern || f->check == NO_CHECK || f->check >= f->pattern->n_checks)
		return NULL;
	return f->pattern->checks[f->check].text;
}

static void evidence_text(const struct verdict_finding *f, const struct verdict_facts *cmd,
			  struct mdbuf *b, bool brief)
{
	switch (f->reason) {
	case VR_NETWORK_STDIO:
		mdbuf_puts(b, brief ? "network stdio"
				    : "a shell whose standard input or output is a network "
				      "connection (reverse or bind shell)");
		if (cmd && cmd->peer && *cmd->peer) {
			mdbuf_puts(b, ", peer ");
			md_code(b, cmd->peer);
		}
		break;
	case VR_FILELESS:
		mdbuf_puts(b, brief ? "fileless" : "a program run from memory (fileless)");
		break;
	case VR_DRIFT:
		mdbuf_puts(b, brief ? "drift"
				    : "a program written inside the container after it started "
				      "(drift)");
		break;
	default:
		if (f->pattern && brief)
			mdbuf_printf(b, "`%s`", f->pattern->id);
		else if (f->pattern)
			mdbuf_puts(b, f->pattern->title);
	}
}

void verdict_headline(const struct verdict *v, const struct verdict_facts *cmds, struct mdbuf *b)
{
	const struct verdict_finding *f = &v->lead;
	const struct verdict_facts *cmd = cmds && v->n_cmds ? &cmds[v->lead_cmd] : NULL;
	const char *check = check_text(f);

	switch (f->reason) {
	case VR_VERIFIED:
	case VR_STEP:
		mdbuf_printf(b, "expected: %s", f->pattern->title);
		break;
	case VR_UNVERIFIED:
		mdbuf_printf(b, "resembles %s, unverified", f->pattern->title);
		break;
	case VR_CHECK_FAILS:
		mdbuf_printf(b, "suspicious: resembles %s, but a check fails: %s",
			     f->pattern->title, check ? check : "(unnamed)");
		break;
	case VR_SUSPICIOUS_PATTERN:
		mdbuf_printf(b, "suspicious: %s", f->pattern->title);
		break;
	case VR_ATTACK_PATTERN:
	case VR_NETWORK_STDIO:
	case VR_FILELESS:
	case VR_DRIFT:
		mdbuf_puts(b, "malicious-indicator: ");
		evidence_text(f, cmd, b, false);
		break;
	default:
		mdbuf_puts(b, "no known pattern: review needed");
	}
}

void verdict_finding_text(const struct verdict_finding *f, const struct verdict_facts *cmd,
			  struct mdbuf *b)
{
	switch (f->reason) {
	case VR_VERIFIED:
		mdbuf_printf(b, "expected: `%s`", f->pattern->id);
		break;
	case VR_STEP:
		mdbuf_printf(b, "expected: run by #%zu as its command line says (`%s`)", f->of + 1,
			     f->pattern->id);
		break;
	case VR_UNVERIFIED:
		mdbuf_printf(b, "resembles `%s`, unverified", f->pattern->id);
		break;
	case VR_CHECK_FAILS:
		mdbuf_printf(b, "suspicious: resembles `%s`, a check fails", f->pattern->id);
		break;
	case VR_SUSPICIOUS_PATTERN:
		mdbuf_printf(b, "suspicious: `%s`", f->pattern->id);
		break;
	case VR_NO_PATTERN:
		mdbuf_puts(b, "no known pattern");
		break;
	default:
		mdbuf_puts(b, "malicious-indicator: ");
		evidence_text(f, cmd, b, true);
	}
}
