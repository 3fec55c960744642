// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* compare: alerts grouped into execs, execs matched across the sides, rule totals. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "compare/compare_explain.h"
#include "compare/compare_internal.h"

/* ---- grouping and matching ---- */

/* Order: absent < null < value; numbers by value, strings by bytes. */
static int cval_cmp(const struct cval *a, const struct cval *b)
{
	if (a->present != b->present)
		return a->present ? 1 : -1;
	if (!a->present)
		return 0;
	if (a->null != b->null)
		return a->null ? -1 : 1;
	if (a->null)
		return 0;
	if (a->is_int != b->is_int)
		return a->is_int ? -1 : 1;
	if (a->is_int)
		return a->i < b->i ? -1 : a->i > b->i;
	return strcmp(a->s, b->s);
}

bool compare_cval_set(const struct cval *v)
{
	return v && v->present && !v->null;
}

static int alert_key_cmp(const void *pa, const void *pb)
{
	const struct calert *a = pa, *b = pb;
	int r;

	if (a->time_ns != b->time_ns)
		return a->time_ns < b->time_ns ? -1 : 1;
	r = strcmp(a->host, b->host);
	if (!r)
		r = cval_cmp(&a->v[KEY_CID], &b->v[KEY_CID]);
	if (!r)
		r = cval_cmp(&a->v[KEY_PID], &b->v[KEY_PID]);
	if (!r)
		r = cval_cmp(&a->v[KEY_CMDLINE], &b->v[KEY_CMDLINE]);
	if (!r)
		r = a->line < b->line ? -1 : a->line > b->line;
	return r;
}

static bool same_event(const struct calert *a, const struct calert *b)
{
	return a->time_ns == b->time_ns && !strcmp(a->host, b->host) &&
	       !cval_cmp(&a->v[KEY_CID], &b->v[KEY_CID]) &&
	       !cval_cmp(&a->v[KEY_PID], &b->v[KEY_PID]) &&
	       !cval_cmp(&a->v[KEY_CMDLINE], &b->v[KEY_CMDLINE]);
}

int compare_group_execs(struct side *s)
{
	size_t i, j, k;

	if (s->n)
		qsort(s->alerts, s->n, sizeof(*s->alerts), alert_key_cmp);
	s->execs = calloc(s->n + 1, sizeof(*s->execs));
	if (!s->execs)
		return -ENOMEM;
	for (i = 0; i < s->n; i = j) {
		struct cexec *e = &s->execs[s->nexec++];

		for (j = i + 1; j < s->n && same_event(&s->alerts[i], &s->alerts[j]); j++)
			;
		e->first = i;
		e->n = j - i;
		e->match = -1;
		for (k = 0; k < NF; k++) {
			size_t a;

			for (a = i; a < j; a++) {
				const struct cval *v = &s->alerts[a].v[k];

				if (compare_cval_set(v)) {
					e->v[k] = v;
					break;
				}
				if (v->present && !e->v[k])
					e->v[k] = v;
			}
		}
	}
	return 0;
}

const struct calert *compare_exec_alert(const struct side *s, const struct cexec *e)
{
	return &s->alerts[e->first];
}

static bool exec_has_rule(const struct side *s, const struct cexec *e, const char *rule)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		if (!strcmp(s->alerts[e->first + i].rule, rule))
			return true;
	return false;
}

static bool cval_str_is(const struct cval *v, const char *s)
{
	return compare_cval_set(v) && !v->is_int && !strcmp(v->s, s);
}

/*
 * Container ids agree when equal, or when one is "" (a container the tool
 * could not resolve, as Falco does for podman) and the other is not host.
 */
static bool cid_compatible(const struct cval *a, const struct cval *b)
{
	if (!compare_cval_set(a) || !compare_cval_set(b))
		return true;
	if (!cval_cmp(a, b))
		return true;
	if (cval_str_is(a, ""))
		return !cval_str_is(b, "host");
	if (cval_str_is(b, ""))
		return !cval_str_is(a, "host");
	return false;
}

static bool execs_compatible(const struct cmp *c, const struct cexec *f, const struct cexec *o)
{
	const struct calert *fa = compare_exec_alert(&c->falco, f),
			    *oa = compare_exec_alert(&c->ours, o);
	uint64_t dt =
		fa->time_ns > oa->time_ns ? fa->time_ns - oa->time_ns : oa->time_ns - fa->time_ns;

	if (dt > c->window_ns)
		return false;
	if (!c->any_host && fa->host[0] && oa->host[0] && strcmp(fa->host, oa->host))
		return false;
	if (!cid_compatible(f->v[KEY_CID], o->v[KEY_CID]))
		return false;
	if (compare_cval_set(f->v[KEY_PID]) && compare_cval_set(o->v[KEY_PID]))
		return !cval_cmp(f->v[KEY_PID], o->v[KEY_PID]);
	if (compare_cval_set(f->v[KEY_CMDLINE]) && compare_cval_set(o->v[KEY_CMDLINE]))
		return !cval_cmp(f->v[KEY_CMDLINE], o->v[KEY_CMDLINE]);
	return false; /* nothing says it is the same process */
}

/* Higher is better: same command line, a rule in common, then closer in time. */
static uint64_t match_score(const struct cmp *c, const struct cexec *f, const struct cexec *o)
{
	const struct calert *fa = compare_exec_alert(&c->falco, f),
			    *oa = compare_exec_alert(&c->ours, o);
	uint64_t dt =
		fa->time_ns > oa->time_ns ? fa->time_ns - oa->time_ns : oa->time_ns - fa->time_ns;
	uint64_t score = 0;
	size_t i;

	if (f->v[KEY_CMDLINE] && o->v[KEY_CMDLINE] &&
	    !cval_cmp(f->v[KEY_CMDLINE], o->v[KEY_CMDLINE]))
		score |= 1ull << 62;
	for (i = 0; i < f->n; i++)
		if (exec_has_rule(&c->ours, o, c->falco.alerts[f->first + i].rule)) {
			score |= 1ull << 61;
			break;
		}
	return score | ((1ull << 61) - 1 - (dt < (1ull << 61) ? dt : (1ull << 61) - 1));
}

bool compare_cval_differs(const struct cval *a, const struct cval *b)
{
	if (!a || !b)
		return false; /* one side did not say: nothing to compare */
	return cval_cmp(a, b) != 0;
}

/* The runtime's exec process or its subreaper as parent: the same event (see compare_explain.h). */
static bool pname_race(size_t j, const struct cval *a, const struct cval *b)
{
	return cmp_fields[j] == F_PROC_PNAME && a && b && a->s && b->s &&
	       compare_runtime_parents(a->s, b->s);
}

bool compare_field_differs(size_t j, const struct cval *a, const struct cval *b)
{
	return compare_cval_differs(a, b) && !pname_race(j, a, b);
}

static int rule_total_add(struct cmp *c, const char *name, int which)
{
	struct rule_total *r = NULL;
	size_t i;

	for (i = 0; i < c->nrules; i++)
		if (!strcmp(c->rules[i].name, name)) {
			r = &c->rules[i];
			break;
		}
	if (!r) {
		r = realloc(c->rules, (c->nrules + 1) * sizeof(*r));
		if (!r)
			return -ENOMEM;
		c->rules = r;
		r = &c->rules[c->nrules++];
		memset(r, 0, sizeof(*r));
		r->name = name;
	}
	if (which == 0)
		r->both++;
	else if (which == 1)
		r->only_falco++;
	else
		r->only_ours++;
	return 0;
}

/* Each rule of the exec once: the first alert that names it. */
bool compare_first_of_rule(const struct side *s, const struct cexec *e, size_t i)
{
	size_t k;

	for (k = 0; k < i; k++)
		if (!strcmp(s->alerts[e->first + k].rule, s->alerts[e->first + i].rule))
			return false;
	return true;
}

int compare_count_rules(struct cmp *c)
{
	size_t i, k;
	int ret = 0;

	for (i = 0; i < c->falco.nexec && !ret; i++) {
		const struct cexec *f = &c->falco.execs[i];
		const struct cexec *o = f->match >= 0 ? &c->ours.execs[f->match] : NULL;
		bool asym = false;

		for (k = 0; k < f->n && !ret; k++) {
			const char *name = c->falco.alerts[f->first + k].rule;
			bool both = o && exec_has_rule(&c->ours, o, name);

			if (!compare_first_of_rule(&c->falco, f, k))
				continue;
			asym |= !both;
			ret = rule_total_add(c, name, both ? 0 : 1);
		}
		for (k = 0; o && k < o->n && !ret; k++) {
			const char *name = c->ours.alerts[o->first + k].rule;

			if (!compare_first_of_rule(&c->ours, o, k) ||
			    exec_has_rule(&c->falco, f, name))
				continue;
			asym = true;
			ret = rule_total_add(c, name, 2);
		}
		if (o && asym)
			c->execs_rule_diff++;
	}
	for (i = 0; i < c->ours.nexec && !ret; i++) {
		const struct cexec *o = &c->ours.execs[i];

		if (o->match >= 0)
			continue;
		for (k = 0; k < o->n && !ret; k++)
			if (compare_first_of_rule(&c->ours, o, k))
				ret = rule_total_add(c, c->ours.alerts[o->first + k].rule, 2);
	}
	return ret;
}

void compare_match_execs(struct cmp *c)
{
	size_t i, j, lo = 0;

	for (i = 0; i < c->falco.nexec; i++) {
		struct cexec *f = &c->falco.execs[i];
		uint64_t ft = compare_exec_alert(&c->falco, f)->time_ns, best_score = 0;
		long best = -1;

		/* both sides are sorted by time: skip what is already too early */
		while (lo < c->ours.nexec &&
		       compare_exec_alert(&c->ours, &c->ours.execs[lo])->time_ns + c->window_ns <
			       ft)
			lo++;
		for (j = lo; j < c->ours.nexec; j++) {
			struct cexec *o = &c->ours.execs[j];
			uint64_t score;

			if (compare_exec_alert(&c->ours, o)->time_ns > ft + c->window_ns)
				break;
			if (o->match >= 0 || !execs_compatible(c, f, o))
				continue;
			score = match_score(c, f, o);
			if (best < 0 || score > best_score) {
				best = (long)j;
				best_score = score;
			}
		}
		if (best < 0)
			continue;
		f->match = best;
		c->ours.execs[best].match = (long)i;
		c->falco.matched++;
		c->ours.matched++;
		for (j = 0; j < NF; j++) {
			if (compare_field_differs(j, f->v[j], c->ours.execs[best].v[j])) {
				f->ndiff++;
				c->field_diffs[j]++;
			} else if (compare_cval_differs(f->v[j], c->ours.execs[best].v[j])) {
				c->runtime_parent_race++;
			}
		}
		if (f->ndiff)
			c->execs_with_diffs++;
	}
}

static int64_t exec_pid(const struct cexec *e)
{
	const struct cval *v = e->v[KEY_PID];

	return v && v->present && !v->null && v->is_int ? v->i : -1;
}

size_t compare_explain_unmatched(const struct cmp *c, char reasons[][CMP_REASON_LEN])
{
	struct cmp_key *kf, *ko;
	size_t i, n = 0;

	if (c->falco.matched == c->falco.nexec || c->ours.matched == c->ours.nexec)
		return 0;
	kf = calloc(c->falco.nexec, sizeof(*kf));
	ko = calloc(c->ours.nexec, sizeof(*ko));
	if (kf && ko) {
		for (i = 0; i < c->falco.nexec; i++) {
			const struct calert *a = compare_exec_alert(&c->falco, &c->falco.execs[i]);

			kf[i] = (struct cmp_key){a->host, a->time_ns, exec_pid(&c->falco.execs[i])};
		}
		for (i = 0; i < c->ours.nexec; i++) {
			const struct calert *a = compare_exec_alert(&c->ours, &c->ours.execs[i]);

			ko[i] = (struct cmp_key){a->host, a->time_ns, exec_pid(&c->ours.execs[i])};
		}
		n = compare_explain(kf, c->falco.nexec, ko, c->ours.nexec, c->window_ns,
				    c->any_host, reasons);
	}
	free(kf);
	free(ko);
	return n;
}

bool compare_sides_differ(const struct cmp *c)
{
	return c->falco.matched != c->falco.nexec || c->ours.matched != c->ours.nexec ||
	       c->execs_with_diffs || c->execs_rule_diff || c->falco.nissues || c->ours.nissues;
}
