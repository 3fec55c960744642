/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report/assess.h"

static enum tristate flag(bool known, uint32_t flags, uint32_t bit)
{
	if (!known)
		return TRI_UNKNOWN;
	return flags & bit ? TRI_TRUE : TRI_FALSE;
}

static void facts_of(const struct incident_entry *e, const char **rules, struct verdict_facts *f)
{
	size_t i;

	memset(f, 0, sizeof(*f));
	f->cmdline = e->cmdline;
	f->truncated = e->flags_known && (e->flags & SS_F_ARGV_TRUNCATED);
	f->kb = &e->kb;
	f->priority = e->priority;
	for (i = 0; i < e->n_rules; i++)
		rules[i] = e->rules[i];
	f->rules = rules;
	f->n_rules = e->n_rules;
	f->shell = e->shell;
	f->tty = e->tty_known ? (e->tty ? TRI_TRUE : TRI_FALSE) : TRI_UNKNOWN;
	f->drift = flag(e->flags_known, e->flags, SS_F_EXE_UPPER_LAYER);
	f->fileless = flag(e->flags_known, e->flags, SS_F_EXE_MEMFD);
	f->lineage = e->lineage_known ? e->lineage : SS_LINEAGE_UNKNOWN;
	f->pname = e->pname_known ? e->pname : NULL;
	/* a closed fd ("") is no network; an alert without the fields says nothing */
	f->stdin_type = e->stdio_known ? e->stdin_type : NULL;
	f->stdout_type = e->stdio_known ? e->stdout_type : NULL;
	f->peer = e->peer[0] ? e->peer : NULL;
	f->in_session = e->in_session;
}

static const char *known_str(const struct alert *a, enum field_id id, const char *s)
{
	return alert_field_known(a, id) && *s ? s : NULL;
}

/* 1 + the index of the shell that started entry i's session, if it is listed before it. */
static size_t leader_of(const struct incident *inc, size_t i)
{
	const struct incident_entry *e = &inc->entries[i];
	size_t j;

	if (!e->in_session || e->session_leader)
		return 0;
	for (j = 0; j < i; j++)
		if (inc->entries[j].session_leader && !strcmp(inc->entries[j].session, e->session))
			return j + 1;
	return 0;
}

int assess_incident(const struct incident *inc, struct assessment *a)
{
	const struct alert *first = inc->first;
	size_t i, n = inc->n_entries;

	memset(a, 0, sizeof(*a));
	a->facts = calloc(n ? n : 1, sizeof(*a->facts));
	a->per = calloc(n ? n : 1, sizeof(*a->per));
	a->rules = calloc(n ? n : 1, sizeof(*a->rules));
	if (!a->facts || !a->per || !a->rules) {
		assess_free(a);
		return -ENOMEM;
	}
	a->n = n;
	for (i = 0; i < n; i++) {
		facts_of(&inc->entries[i], a->rules[i], &a->facts[i]);
		a->facts[i].step_of = leader_of(inc, i);
	}
	if (first) {
		a->ctx.image_repository = known_str(first, F_CONTAINER_IMAGE_REPOSITORY,
						    first->ev.container.image_repository);
		a->ctx.ns = known_str(first, F_K8S_NS_NAME, first->ev.container.pod_namespace);
		a->ctx.container_name =
			known_str(first, F_CONTAINER_NAME, first->ev.container.name);
	}
	verdict_session(a->facts, n, &a->v, a->per);
	tuning_offer(&a->v, a->facts, n, &a->ctx, &a->offer);
	return 0;
}

void assess_free(struct assessment *a)
{
	free(a->facts);
	free(a->per);
	free(a->rules);
	memset(a, 0, sizeof(*a));
}
