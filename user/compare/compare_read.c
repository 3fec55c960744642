// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* compare: reading one side's alerts, and checking their formats against Falco's. */
#include <errno.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "compare/compare_internal.h"

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
/* Fields compared as the alert's JSON wrote them, not as read back into an event. */
static bool raw_field(enum field_id id)
{
	return id == F_EVT_TYPE || id == F_EVT_ARG_FLAGS;
}

/* The JSON value of a field as a string; NULL for null or absent. */
static const char *raw_scalar(struct json_object *fields, const char *name)
{
	struct json_object *v;

	if (!json_object_object_get_ex(fields, name, &v) || !v)
		return NULL;
	return json_object_get_string(v);
}

static bool inspect_raw(struct side *s, size_t line, const char *text, size_t len, bool *nulls,
			char **raw)
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
	for (i = 0; i < NF; i++) {
		nulls[i] = json_object_object_get_ex(fields, field_table[cmp_fields[i]].name, &v) &&
			   !v;
		if (raw_field(cmp_fields[i]) && raw_scalar(fields, field_table[cmp_fields[i]].name))
			raw[i] = strdup(raw_scalar(fields, field_table[cmp_fields[i]].name));
	}
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

void compare_calert_free(struct calert *a)
{
	size_t i;

	free(a->rule);
	free(a->time);
	free(a->host);
	for (i = 0; i < NF; i++)
		cval_free(&a->v[i]);
}

static int calert_from_alert(struct calert *out, const struct alert *a, const bool *nulls,
			     char **raw, size_t line)
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

		if (raw_field(cmp_fields[i])) {
			v->present = raw[i] || nulls[i];
			v->null = nulls[i];
			v->s = raw[i];
			raw[i] = NULL;
			continue;
		}
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
	compare_calert_free(out);
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

int compare_read_side(struct cmp *c, struct side *s)
{
	struct ss_error aerr;
	size_t len, lineno = 0, shown = 0;
	bool too_long, nulls[NF];
	char *raw[NF] = {0};
	FILE *f = c->in;
	int ret = 0;
	size_t i;

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
		for (i = 0; i < NF; i++) {
			free(raw[i]);
			raw[i] = NULL;
		}
		if (!inspect_raw(s, lineno, c->line, len, nulls, raw)) {
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
		ret = calert_from_alert(&s->alerts[s->n], c->alert, nulls, raw, lineno);
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
	for (i = 0; i < NF; i++)
		free(raw[i]);
	if (ret == -ENOMEM)
		fprintf(c->errf, "compare: out of memory reading %s\n", s->path);
	if (f != c->in)
		fclose(f);
	return ret;
}
