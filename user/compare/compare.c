/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#include <errno.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "output/alert_json.h"
#include "compare/compare.h"
#include "lib/escape.h"

#define MAX_RULE_GLOBS 32
#define MAX_ISSUES_KEPT 50 /* per side; the rest are counted */
#define JSON_MAX_DEPTH 16

enum cmp_format { CMP_TABLE, CMP_JSON };

/*
 * Exec facts both tools can report, in the order differences are printed.
 * proc.args is left out: it is proc.cmdline without the name.
 */
static const enum field_id cmp_fields[] = {
	/* first: what identifies an exec (KEY_*) */
	F_CONTAINER_ID,
	F_PROC_PID,
	F_PROC_CMDLINE,
	F_CONTAINER_FULL_ID,
	F_CONTAINER_NAME,
	F_CONTAINER_IMAGE,
	F_CONTAINER_IMAGE_REPOSITORY,
	F_CONTAINER_IMAGE_TAG,
	F_CONTAINER_PRIVILEGED,
	F_K8S_POD_NAME,
	F_K8S_NS_NAME,
	F_K8S_POD_UID,
	F_K8S_CONTAINER_NAME,
	F_USER_NAME,
	F_USER_UID,
	F_USER_LOGINUID,
	F_GROUP_GID,
	F_PROC_NAME,
	F_PROC_EXE,
	F_PROC_EXEPATH,
	F_PROC_VPID,
	F_PROC_PPID,
	F_PROC_PNAME,
	F_PROC_PCMDLINE,
	F_PROC_TTY,
};
#define NF (sizeof(cmp_fields) / sizeof(cmp_fields[0]))
enum { KEY_CID, KEY_PID, KEY_CMDLINE };

/* One value as an alert gave it: absent (not in output_fields), null, or set. */
struct cval {
	bool present;
	bool null;
	bool is_int;
	int64_t i;
	char *s;
};

struct calert {
	char *rule;
	char *time;
	char *host;
	uint64_t time_ns;
	size_t line;
	struct cval v[NF];
};

/* Alerts of one side for one event: contiguous after sorting. */
struct cexec {
	size_t first, n;	  /* into side.alerts */
	const struct cval *v[NF]; /* first value given (set before null) */
	long match;		  /* index of the other side's exec, -1 */
	size_t ndiff;
};

struct issue {
	size_t line;
	char field[32];
	char problem[200];
};

struct side {
	const char *label; /* "falco" or "shellsentry" */
	const char *path;
	struct calert *alerts;
	size_t n, cap;
	struct cexec *execs;
	size_t nexec;
	size_t bad, not_exec, other_rule, matched;
	struct issue issues[MAX_ISSUES_KEPT];
	size_t nissues;
};

struct rule_total {
	const char *name;
	size_t both, only_falco, only_ours;
};

struct cmp {
	const char *falco_path, *ours_path;
	const char *globs[MAX_RULE_GLOBS];
	size_t nglobs;
	uint64_t window_ns;
	enum cmp_format format;
	bool fail_on_diff;
	FILE *in, *out, *errf;
	struct side falco, ours;
	struct rule_total *rules;
	size_t nrules;
	size_t field_diffs[NF];
	size_t execs_with_diffs, execs_rule_diff;
	char *line;
	struct alert *alert;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: shellsentry compare --falco FILE --ours FILE [--window-ms N]\n"
		"                           [--format table|json] [--rule GLOB]... "
		"[--fail-on-diff]\n"
		"Lines up Falco's JSON alerts with shellsentry's, exec by exec (time within\n"
		"the window, host, container id, pid or else command line), and prints matched,\n"
		"only-Falco and only-shellsentry execs, differing fields and rule totals.\n"
		"FILE may be - for stdin (one side only). --rule keeps alerts of matching rules.\n"
		"Exit: 0 compared, 1 differences with --fail-on-diff, 2 usage or unreadable "
		"input.\n");
}

static int parse_args(struct cmp *c, int argc, char **argv)
{
	unsigned long long ms;
	char *end;
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		bool has_value = !strcmp(a, "--falco") || !strcmp(a, "--ours") ||
				 !strcmp(a, "--window-ms") || !strcmp(a, "--format") ||
				 !strcmp(a, "--rule");

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(c->out);
			return 1;
		}
		if (has_value && i + 1 >= argc) {
			fprintf(c->errf, "compare: option %s needs a value\n", a);
			return -EINVAL;
		}
		if (!strcmp(a, "--falco")) {
			c->falco_path = argv[++i];
		} else if (!strcmp(a, "--ours")) {
			c->ours_path = argv[++i];
		} else if (!strcmp(a, "--window-ms")) {
			errno = 0;
			ms = strtoull(argv[++i], &end, 10);
			if (errno || end == argv[i] || *end || argv[i][0] == '-' ||
			    ms > 86400000ull) {
				fprintf(c->errf,
					"compare: option --window-ms: '%s' is not a number of "
					"milliseconds in [0, 86400000]\n",
					argv[i]);
				return -EINVAL;
			}
			c->window_ns = ms * 1000000ull;
		} else if (!strcmp(a, "--format")) {
			i++;
			if (!strcmp(argv[i], "table")) {
				c->format = CMP_TABLE;
			} else if (!strcmp(argv[i], "json")) {
				c->format = CMP_JSON;
			} else {
				fprintf(c->errf,
					"compare: option --format: '%s' is not table or json\n",
					argv[i]);
				return -EINVAL;
			}
		} else if (!strcmp(a, "--rule")) {
			if (c->nglobs >= MAX_RULE_GLOBS) {
				fprintf(c->errf, "compare: option --rule: at most %d\n",
					MAX_RULE_GLOBS);
				return -EINVAL;
			}
			c->globs[c->nglobs++] = argv[++i];
		} else if (!strcmp(a, "--fail-on-diff")) {
			c->fail_on_diff = true;
		} else {
			fprintf(c->errf, "compare: unexpected argument '%s'\n", a);
			return -EINVAL;
		}
	}
	if (!c->falco_path || !c->ours_path) {
		fprintf(c->errf, "compare: both --falco and --ours are needed\n");
		return -EINVAL;
	}
	if (!strcmp(c->falco_path, "-") && !strcmp(c->ours_path, "-")) {
		fprintf(c->errf, "compare: only one of --falco and --ours can be - (stdin)\n");
		return -EINVAL;
	}
	return 0;
}

/* ---- value formats, checked on the raw JSON ---- */

static void add_issue(struct side *s, size_t line, const char *field, const char *problem)
{
	struct issue *is;

	if (s->nissues < MAX_ISSUES_KEPT) {
		is = &s->issues[s->nissues];
		is->line = line;
		snprintf(is->field, sizeof(is->field), "%s", field);
		snprintf(is->problem, sizeof(is->problem), "%s", problem);
	}
	s->nissues++;
}

/* "2024-01-02T03:04:05.123456789Z" or with +hh:mm: Falco's nanosecond RFC 3339. */
static bool rfc3339_ns(const char *s)
{
	static const char tmpl[] = "dddd-dd-ddTdd:dd:dd.ddddddddd";
	size_t i;

	for (i = 0; tmpl[i]; i++) {
		if (tmpl[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != tmpl[i])
			return false;
	}
	s += i;
	if (!strcmp(s, "Z"))
		return true;
	return (s[0] == '+' || s[0] == '-') && s[1] >= '0' && s[1] <= '9' && s[2] >= '0' &&
	       s[2] <= '9' && s[3] == ':' && s[4] >= '0' && s[4] <= '9' && s[5] >= '0' &&
	       s[5] <= '9' && !s[6];
}

static bool short_container_id(const char *s)
{
	size_t i;

	if (!strcmp(s, "host") || !*s)
		return true; /* "" is Falco's value for an unresolved container */
	for (i = 0; i < 12; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return !s[12];
}

static void check_int(struct side *s, size_t line, struct json_object *fields, const char *name,
		      int64_t min, int64_t max, const char *why)
{
	struct json_object *v;
	char msg[200];
	int64_t x;

	if (!json_object_object_get_ex(fields, name, &v) || !v)
		return;
	if (!json_object_is_type(v, json_type_int)) {
		snprintf(msg, sizeof(msg), "a JSON %s; Falco writes a number",
			 json_type_to_name(json_object_get_type(v)));
		add_issue(s, line, name, msg);
		return;
	}
	x = json_object_get_int64(v);
	if (x < min || x > max) {
		snprintf(msg, sizeof(msg), "%" PRId64 " is out of range: %s", x, why);
		add_issue(s, line, name, msg);
	}
}

/*
 * Checks formats and says whether the alert is about an exec: a source
 * other than syscall, or an evt.type other than execve/execveat, is not.
 */
static bool inspect_raw(struct side *s, size_t line, const char *text, size_t len, bool *nulls)
{
	struct json_tokener *tok = json_tokener_new_ex(JSON_MAX_DEPTH);
	struct json_object *root = NULL, *fields, *v;
	bool is_exec = true;
	const char *str;
	size_t i;

	memset(nulls, 0, NF * sizeof(*nulls));
	if (!tok)
		return true;
	root = json_tokener_parse_ex(tok, text, (int)len);
	if (!root || !json_object_is_type(root, json_type_object))
		goto out; /* alert_from_json accepted it; nothing more to say */
	if (json_object_object_get_ex(root, "source", &v) &&
	    json_object_is_type(v, json_type_string) &&
	    strcmp(json_object_get_string(v), "syscall")) {
		is_exec = false;
		goto out;
	}
	if (!json_object_object_get_ex(root, "time", &v) ||
	    !json_object_is_type(v, json_type_string) || !rfc3339_ns(json_object_get_string(v)))
		add_issue(s, line, "time",
			  "not RFC 3339 with nanoseconds (Falco: "
			  "2006-01-02T15:04:05.999999999Z)");
	if (!json_object_object_get_ex(root, "output_fields", &fields) ||
	    !json_object_is_type(fields, json_type_object))
		goto out;
	/* the alert reader drops nulls; a null says "could not tell", which we report */
	for (i = 0; i < NF; i++)
		nulls[i] = json_object_object_get_ex(fields, field_table[cmp_fields[i]].name, &v) &&
			   !v;
	if (json_object_object_get_ex(fields, "evt.type", &v) &&
	    json_object_is_type(v, json_type_string)) {
		str = json_object_get_string(v);
		if (strcmp(str, "execve") && strcmp(str, "execveat")) {
			is_exec = false;
			goto out;
		}
	}
	check_int(s, line, fields, "proc.tty", 0, UINT32_MAX, "a device number");
	check_int(s, line, fields, "user.loginuid", -1, (int64_t)UINT32_MAX - 1,
		  "Falco writes -1 when unset");
	check_int(s, line, fields, "proc.pid", 0, UINT32_MAX, "a pid");
	check_int(s, line, fields, "proc.vpid", 0, UINT32_MAX, "a pid");
	check_int(s, line, fields, "proc.ppid", 0, UINT32_MAX, "a pid");
	check_int(s, line, fields, "user.uid", 0, UINT32_MAX, "a uid");
	check_int(s, line, fields, "group.gid", 0, UINT32_MAX, "a gid");
	if (json_object_object_get_ex(fields, "container.id", &v) && v) {
		if (!json_object_is_type(v, json_type_string))
			add_issue(s, line, "container.id", "not a string");
		else if (!short_container_id(json_object_get_string(v)))
			add_issue(s, line, "container.id",
				  "not 12 lowercase hex characters, \"host\" or \"\"");
	}
out:
	json_object_put(root);
	json_tokener_free(tok);
	return is_exec;
}

/* ---- reading ---- */

static void cval_free(struct cval *v)
{
	free(v->s);
	v->s = NULL;
}

static void calert_free(struct calert *a)
{
	size_t i;

	free(a->rule);
	free(a->time);
	free(a->host);
	for (i = 0; i < NF; i++)
		cval_free(&a->v[i]);
}

static int calert_from_alert(struct calert *out, const struct alert *a, const bool *nulls,
			     size_t line)
{
	struct field_value fv;
	size_t i;

	memset(out, 0, sizeof(*out));
	out->line = line;
	out->time_ns = a->ev.time_ns;
	out->rule = strdup(a->rule);
	out->time = strdup(a->time);
	out->host = strdup(a->ev.hostname);
	if (!out->rule || !out->time || !out->host)
		goto nomem;
	for (i = 0; i < NF; i++) {
		struct cval *v = &out->v[i];

		if (!a->known[cmp_fields[i]]) {
			v->present = v->null = nulls[i];
			continue;
		}
		v->present = true;
		memset(&fv, 0, sizeof(fv));
		if (field_extract(&a->ev, cmp_fields[i], -1, &fv) || fv.null) {
			v->null = true;
		} else if (fv.type == FT_STRING) {
			v->s = strdup(fv.s ? fv.s : "");
			if (!v->s)
				goto nomem;
		} else {
			v->is_int = true;
			v->i = fv.i;
		}
	}
	return 0;
nomem:
	calert_free(out);
	return -ENOMEM;
}

static bool rule_selected(const struct cmp *c, const char *rule)
{
	size_t i;

	if (!c->nglobs)
		return true;
	for (i = 0; i < c->nglobs; i++)
		if (!fnmatch(c->globs[i], rule, 0))
			return true;
	return false;
}

static int read_side(struct cmp *c, struct side *s)
{
	struct alert_error aerr;
	size_t len, lineno = 0, shown = 0;
	bool too_long, nulls[NF];
	FILE *f = c->in;
	int ret = 0;

	if (strcmp(s->path, "-")) {
		f = fopen(s->path, "re");
		if (!f) {
			ret = -errno;
			fprintf(c->errf, "compare: cannot open %s: %s\n", s->path, strerror(-ret));
			return ret;
		}
	}
	while (alert_read_line(f, c->line, ALERT_LINE_MAX + 2, &len, &too_long)) {
		lineno++;
		if (!too_long && !len)
			continue;
		ret = alert_from_json(c->line, too_long ? ALERT_LINE_MAX + 1 : len, c->alert,
				      &aerr);
		if (!ret && !c->alert->time_known) {
			snprintf(aerr.msg, sizeof(aerr.msg), "no valid \"time\"");
			ret = -EINVAL;
		}
		if (ret == -ENOMEM)
			goto out;
		if (ret) {
			/* Falco's stdout mixes log lines with alerts: say so, go on */
			if (shown++ < 5)
				fprintf(c->errf, "compare: %s:%zu: skipped: %s\n", s->path, lineno,
					aerr.msg);
			s->bad++;
			ret = 0;
			continue;
		}
		if (!inspect_raw(s, lineno, c->line, len, nulls)) {
			s->not_exec++;
			continue;
		}
		if (!rule_selected(c, c->alert->rule)) {
			s->other_rule++;
			continue;
		}
		if (s->n >= COMPARE_MAX_ALERTS) {
			fprintf(c->errf, "compare: %s: more than %d alerts; split the period\n",
				s->path, COMPARE_MAX_ALERTS);
			ret = -E2BIG;
			goto out;
		}
		if (s->n == s->cap) {
			size_t cap = s->cap ? s->cap * 2 : 64;
			struct calert *na = realloc(s->alerts, cap * sizeof(*na));

			if (!na) {
				ret = -ENOMEM;
				goto out;
			}
			s->alerts = na;
			s->cap = cap;
		}
		ret = calert_from_alert(&s->alerts[s->n], c->alert, nulls, lineno);
		if (ret)
			goto out;
		s->n++;
	}
	if (ferror(f)) {
		fprintf(c->errf, "compare: read error on %s\n", s->path);
		ret = -EIO;
	}
	if (s->bad > shown && shown)
		fprintf(c->errf, "compare: %s: %zu lines skipped in all\n", s->path, s->bad);
out:
	if (ret == -ENOMEM)
		fprintf(c->errf, "compare: out of memory reading %s\n", s->path);
	if (f != c->in)
		fclose(f);
	return ret;
}

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

static bool cval_set(const struct cval *v)
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

static int group_execs(struct side *s)
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

				if (cval_set(v)) {
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

static const struct calert *exec_alert(const struct side *s, const struct cexec *e)
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
	return cval_set(v) && !v->is_int && !strcmp(v->s, s);
}

/*
 * Container ids agree when equal, or when one is "" (a container the tool
 * could not resolve, as Falco does for podman) and the other is not host.
 */
static bool cid_compatible(const struct cval *a, const struct cval *b)
{
	if (!cval_set(a) || !cval_set(b))
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
	const struct calert *fa = exec_alert(&c->falco, f), *oa = exec_alert(&c->ours, o);
	uint64_t dt =
		fa->time_ns > oa->time_ns ? fa->time_ns - oa->time_ns : oa->time_ns - fa->time_ns;

	if (dt > c->window_ns)
		return false;
	if (fa->host[0] && oa->host[0] && strcmp(fa->host, oa->host))
		return false;
	if (!cid_compatible(f->v[KEY_CID], o->v[KEY_CID]))
		return false;
	if (cval_set(f->v[KEY_PID]) && cval_set(o->v[KEY_PID]))
		return !cval_cmp(f->v[KEY_PID], o->v[KEY_PID]);
	if (cval_set(f->v[KEY_CMDLINE]) && cval_set(o->v[KEY_CMDLINE]))
		return !cval_cmp(f->v[KEY_CMDLINE], o->v[KEY_CMDLINE]);
	return false; /* nothing says it is the same process */
}

/* Higher is better: same command line, a rule in common, then closer in time. */
static uint64_t match_score(const struct cmp *c, const struct cexec *f, const struct cexec *o)
{
	const struct calert *fa = exec_alert(&c->falco, f), *oa = exec_alert(&c->ours, o);
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

static bool field_differs(const struct cval *a, const struct cval *b)
{
	if (!a || !b)
		return false; /* one side did not say: nothing to compare */
	return cval_cmp(a, b) != 0;
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
static bool first_of_rule(const struct side *s, const struct cexec *e, size_t i)
{
	size_t k;

	for (k = 0; k < i; k++)
		if (!strcmp(s->alerts[e->first + k].rule, s->alerts[e->first + i].rule))
			return false;
	return true;
}

static int count_rules(struct cmp *c)
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

			if (!first_of_rule(&c->falco, f, k))
				continue;
			asym |= !both;
			ret = rule_total_add(c, name, both ? 0 : 1);
		}
		for (k = 0; o && k < o->n && !ret; k++) {
			const char *name = c->ours.alerts[o->first + k].rule;

			if (!first_of_rule(&c->ours, o, k) || exec_has_rule(&c->falco, f, name))
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
			if (first_of_rule(&c->ours, o, k))
				ret = rule_total_add(c, c->ours.alerts[o->first + k].rule, 2);
	}
	return ret;
}

static void match_execs(struct cmp *c)
{
	size_t i, j, lo = 0;

	for (i = 0; i < c->falco.nexec; i++) {
		struct cexec *f = &c->falco.execs[i];
		uint64_t ft = exec_alert(&c->falco, f)->time_ns, best_score = 0;
		long best = -1;

		/* both sides are sorted by time: skip what is already too early */
		while (lo < c->ours.nexec &&
		       exec_alert(&c->ours, &c->ours.execs[lo])->time_ns + c->window_ns < ft)
			lo++;
		for (j = lo; j < c->ours.nexec; j++) {
			struct cexec *o = &c->ours.execs[j];
			uint64_t score;

			if (exec_alert(&c->ours, o)->time_ns > ft + c->window_ns)
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
		for (j = 0; j < NF; j++)
			if (field_differs(f->v[j], c->ours.execs[best].v[j])) {
				f->ndiff++;
				c->field_diffs[j]++;
			}
		if (f->ndiff)
			c->execs_with_diffs++;
	}
}

static bool sides_differ(const struct cmp *c)
{
	return c->falco.matched != c->falco.nexec || c->ours.matched != c->ours.nexec ||
	       c->execs_with_diffs || c->execs_rule_diff || c->falco.nissues || c->ours.nissues;
}

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
	const struct calert *a = exec_alert(s, e);
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
		if (!first_of_rule(s, e, k))
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

static void print_table(const struct cmp *c)
{
	FILE *f = c->out;
	size_t i, j;

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
				if (!field_differs(fe->v[j], oe->v[j]))
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
	fprintf(f, "\nresult: %s\n", sides_differ(c) ? "differ" : "same");
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
	const struct calert *a = exec_alert(s, e);
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
		if (!first_of_rule(s, e, k))
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

static void print_json(const struct cmp *c)
{
	FILE *f = c->out;
	bool first;
	size_t i, j;

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
			if (!field_differs(fe->v[j], oe->v[j]))
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
	fprintf(f, "],\"differ\":%s}\n", sides_differ(c) ? "true" : "false");
}

static void side_free(struct side *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		calert_free(&s->alerts[i]);
	free(s->alerts);
	free(s->execs);
}

int compare_run(int argc, char **argv, FILE *in, FILE *out, FILE *errf)
{
	struct cmp c = {
		.window_ns = COMPARE_WINDOW_MS_DEFAULT * 1000000ull,
		.in = in,
		.out = out,
		.errf = errf,
		.falco = {.label = "falco"},
		.ours = {.label = "shellsentry"},
	};
	int ret;

	ret = parse_args(&c, argc, argv);
	if (ret) {
		if (ret < 0)
			usage(errf);
		return ret < 0 ? 2 : 0;
	}
	c.falco.path = c.falco_path;
	c.ours.path = c.ours_path;
	c.line = malloc(ALERT_LINE_MAX + 2);
	c.alert = malloc(sizeof(*c.alert));
	if (!c.line || !c.alert) {
		fprintf(errf, "compare: out of memory\n");
		ret = 2;
		goto out;
	}
	if (read_side(&c, &c.falco) || read_side(&c, &c.ours)) {
		ret = 2;
		goto out;
	}
	if (group_execs(&c.falco) || group_execs(&c.ours)) {
		fprintf(errf, "compare: out of memory\n");
		ret = 2;
		goto out;
	}
	match_execs(&c);
	if (count_rules(&c)) {
		fprintf(errf, "compare: out of memory\n");
		ret = 2;
		goto out;
	}
	if (c.format == CMP_JSON)
		print_json(&c);
	else
		print_table(&c);
	fflush(out);
	ret = c.fail_on_diff && sides_differ(&c) ? 1 : 0;
out:
	side_free(&c.falco);
	side_free(&c.ours);
	free(c.rules);
	free(c.line);
	free(c.alert);
	return ret;
}

int compare_main(int argc, char **argv)
{
	return compare_run(argc, argv, stdin, stdout, stderr);
}
