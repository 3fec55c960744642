// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The kernel prefilter from compiled conditions: the binary names a condition can
 * match, and whether it needs every container exec.
 */
#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "event/shells.h"
#include "rules/cond_parser.h"

/* ---- prefilter analysis ---- */

static void names_add(struct name_set *s, const char *name)
{
	char key[SS_NAME_KEY_LEN];
	size_t i;

	if (s->any || !name[0])
		return;
	/* comm holds 15 bytes: names compare on that prefix in the kernel */
	snprintf(key, sizeof(key), "%s", name);
	for (i = 0; i < s->n; i++)
		if (!strcmp(s->names[i], key))
			return;
	if (s->n >= PREFILTER_MAX_NAMES) {
		s->any = true;
		return;
	}
	memcpy(s->names[s->n++], key, sizeof(key));
}

static const char *base_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static void cmp_names(const struct cnode *n, struct name_set *out)
{
	bool name_field = n->field == F_PROC_NAME || n->field == F_SS_EXE_NAME ||
			  n->field == F_SS_SHELL || (n->field == F_PROC_ANAME && n->index == 0);
	size_t i;

	out->any = true;
	/*
	 * A session's fields are null outside a session: a comparison that null
	 * fails holds only for session commands, which the kernel sends by itself.
	 */
	if (n->field == F_SS_SESSION && !n->any_ancestor &&
	    (n->op == OP_EXISTS || n->op == OP_EQ || n->op == OP_IN || n->op == OP_STARTSWITH) &&
	    (n->op != OP_EQ || n->str[0])) {
		out->any = false;
		out->session = true;
		return;
	}
	/* exe flags render "0" when neither is set: what fails on "0" needs one */
	if (n->field == F_EVT_ARG_FLAGS && !n->any_ancestor) {
		if (!cond_cmp_str(n, "0")) {
			out->any = false;
			out->exe_drift = true;
		}
		return;
	}
	if (n->field == F_SS_SHELL && n->op == OP_NE && !n->str[0]) {
		out->any = false;
		for (i = 0; i < ss_shell_count; i++)
			names_add(out, ss_shell_names[i]);
		return;
	}
	if (!name_field && n->field != F_PROC_EXEPATH)
		return;
	if (n->op == OP_EQ) {
		out->any = false;
		names_add(out, n->field == F_PROC_EXEPATH ? base_of(n->str) : n->str);
	} else if (n->op == OP_IN || n->op == OP_INTERSECTS) {
		out->any = false;
		for (i = 0; i < n->nset; i++)
			names_add(out, n->field == F_PROC_EXEPATH ? base_of(n->set[i]) : n->set[i]);
	}
}

/*
 * The names an exec must carry (comm, exe file name, interpreter or applet)
 * for n to hold; any = no such restriction. Over-approximates, never under.
 */
int cnode_names(const struct cnode *n, struct name_set *out)
{
	struct name_set *tmp = NULL;
	size_t i, j;
	int rc = 0;

	out->any = false;
	out->exe_drift = false;
	out->session = false;
	out->n = 0;
	switch (n->kind) {
	case N_FALSE:
		return 0;
	case N_TRUE:
	case N_NOT:
		out->any = true;
		return 0;
	case N_CMP:
		cmp_names(n, out);
		return 0;
	case N_AND:
	case N_OR:
		break;
	}
	tmp = malloc(sizeof(*tmp));
	if (!tmp)
		return -ENOMEM;
	out->any = n->kind == N_AND;
	for (i = 0; i < n->nkids; i++) {
		rc = cnode_names(n->kids[i], tmp);
		if (rc)
			goto out;
		if (n->kind == N_AND) {
			/* one restricted conjunct is enough; keep the narrowest */
			if (!tmp->any && (out->any || tmp->n < out->n))
				memcpy(out, tmp, sizeof(*out));
		} else if (tmp->any) {
			out->any = true;
			break;
		} else {
			out->exe_drift |= tmp->exe_drift;
			out->session |= tmp->session;
			for (j = 0; j < tmp->n && !out->any; j++)
				names_add(out, tmp->names[j]);
			if (out->any)
				break;
		}
	}
out:
	free(tmp);
	return rc;
}

static bool set_has(const struct cnode *n, const char *s)
{
	return n->nset && bsearch(&s, n->set, n->nset, sizeof(*n->set), cond_cmp_str_sorted);
}

/* Does n (or its negation) only hold for container processes? */
bool cnode_needs_container(const struct cnode *n, bool negated)
{
	bool conj;
	size_t i;

	switch (n->kind) {
	case N_TRUE:
		return negated;
	case N_FALSE:
		return !negated;
	case N_NOT:
		return cnode_needs_container(n->kids[0], !negated);
	case N_AND:
	case N_OR:
		/* and: one conjunct suffices; or: every branch must need it (De Morgan when
		 * negated) */
		conj = (n->kind == N_AND) != negated;
		for (i = 0; i < n->nkids; i++) {
			bool k = cnode_needs_container(n->kids[i], negated);

			if (conj && k)
				return true;
			if (!conj && !k)
				return false;
		}
		return !conj;
	case N_CMP:
		if (n->field != F_CONTAINER_ID && n->field != F_CONTAINER_RUNTIME)
			return false;
		if (!negated) {
			if (n->op == OP_NE)
				return !strcmp(n->str, "host");
			if (n->op == OP_EQ)
				return strcmp(n->str, "host") != 0;
			if (n->op == OP_IN || n->op == OP_INTERSECTS)
				return !set_has(n, "host");
			return false;
		}
		if (n->op == OP_EQ)
			return !strcmp(n->str, "host");
		if (n->op == OP_IN || n->op == OP_INTERSECTS)
			return set_has(n, "host");
		return false;
	}
	return false;
}

/* Compile macro idx on its own (validation of macros no rule uses yet). */

static bool cnode_reads(const struct cnode *n, enum field_id f)
{
	if (n->kind == N_CMP)
		return n->field == f;
	for (size_t i = 0; i < n->nkids; i++)
		if (cnode_reads(n->kids[i], f))
			return true;
	return false;
}

static bool rule_reads(const struct rule *r, enum field_id f)
{
	const struct field_ref *refs;
	size_t n = rule_output_fields(r, &refs);

	for (size_t i = 0; i < n; i++)
		if (refs[i].id == f)
			return true;
	return cnode_reads(r->root, f);
}

int ruleset_prefilter(const struct ruleset *rs, struct prefilter *out)
{
	struct name_set *set = malloc(sizeof(*set));
	size_t i, j, k, used = 0;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (!set)
		return -ENOMEM;
	for (i = 0; i < rs->nactive; i++) {
		const struct rule *r = rs->active[i];
		const char *why = NULL;

		rc = cnode_names(r->root, set);
		if (rc)
			goto out;
		if (rule_reads(r, F_PROC_CWD)) {
			if (!set->any && !set->n && !set->exe_drift && set->session)
				out->cwd_session = true;
			else
				out->cwd = true;
		}
		out->pexepath |= rule_reads(r, F_PROC_PEXEPATH);
		if (set->any) {
			out->all_container_execs = true;
			why = "not reducible to binary names: all container execs";
		} else if (set->exe_drift) {
			out->exe_drift = true;
		}
		for (j = 0; j < set->n && !set->any; j++) {
			for (k = 0; k < out->n_names; k++)
				if (!strcmp(out->names[k], set->names[j]))
					break;
			if (k < out->n_names)
				continue;
			if (out->n_names == PREFILTER_MAX_NAMES) {
				out->all_container_execs = true;
				why = "more names than the kernel map holds: all container execs";
				break;
			}
			memcpy(out->names[out->n_names++], set->names[j], SS_NAME_KEY_LEN);
		}
		if (!cnode_needs_container(r->root, false)) {
			out->host_execs = true;
			if (!why)
				why = "can match host processes";
		}
		if (why && used + 1 < sizeof(out->reason)) {
			int n = snprintf(out->reason + used, sizeof(out->reason) - used,
					 "%srule '%s' %s", used ? "; " : "", r->name, why);

			if (n > 0)
				used += (size_t)n;
			if (used >= sizeof(out->reason))
				used = sizeof(out->reason) - 1;
		}
	}
out:
	free(set);
	return rc;
}
