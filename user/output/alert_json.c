/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "event/names.h"
#include "output/alert_json.h"
#include "rules/rules.h"

#define JSON_MAX_DEPTH 16

/* Copy at most cap-1 bytes, stopping at an embedded NUL. */
static void copy_str(char *dst, size_t cap, const char *src, size_t len)
{
	size_t n = strnlen(src, len);

	if (n >= cap)
		n = cap - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static void copy_json_str(char *dst, size_t cap, struct json_object *v)
{
	copy_str(dst, cap, json_object_get_string(v), (size_t)json_object_get_string_len(v));
}

/* Integer from a JSON number or a decimal/hex string; false if neither. */
static bool json_to_i64(struct json_object *v, int64_t *out)
{
	const char *s;
	char *end;
	long long x;

	if (json_object_is_type(v, json_type_int)) {
		*out = json_object_get_int64(v);
		return true;
	}
	if (json_object_is_type(v, json_type_boolean)) {
		*out = json_object_get_boolean(v);
		return true;
	}
	if (!json_object_is_type(v, json_type_string))
		return false;
	s = json_object_get_string(v);
	errno = 0;
	/* capability masks are written as 0x%016x and may use bit 63 */
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		x = (long long)strtoull(s, &end, 16);
	else
		x = strtoll(s, &end, 10);
	if (errno || end == s || *end)
		return false;
	*out = x;
	return true;
}

static bool json_to_bool(struct json_object *v, bool *out)
{
	const char *s;

	if (json_object_is_type(v, json_type_boolean)) {
		*out = json_object_get_boolean(v);
		return true;
	}
	if (json_object_is_type(v, json_type_int)) {
		*out = json_object_get_int64(v) != 0;
		return true;
	}
	if (!json_object_is_type(v, json_type_string))
		return false;
	s = json_object_get_string(v);
	if (!strcasecmp(s, "true")) {
		*out = true;
		return true;
	}
	if (!strcasecmp(s, "false")) {
		*out = false;
		return true;
	}
	return false;
}

/* "proc.aname[3]" -> base name and index; index -1 without brackets. */
static bool split_index(const char *key, char *base, size_t cap, int *index)
{
	const char *lb = strchr(key, '[');
	char *end;
	long n;

	*index = -1;
	if (!lb) {
		if (strlen(key) >= cap)
			return false;
		strcpy(base, key);
		return true;
	}
	if ((size_t)(lb - key) >= cap)
		return false;
	memcpy(base, key, (size_t)(lb - key));
	base[lb - key] = '\0';
	n = strtol(lb + 1, &end, 10);
	if (end == lb + 1 || *end != ']' || end[1] || n < 0 || n > 64)
		return false;
	*index = (int)n;
	return true;
}

/* Ancestor slot for aname/apid[index] (index >= 1), growing the count. */
static struct exec_ancestor *ancestor_slot(struct exec_event *ev, int index)
{
	if (index < 1 || index > SS_ANCESTORS)
		return NULL;
	if (ev->ancestor_count < index)
		ev->ancestor_count = index;
	return &ev->ancestors[index - 1];
}

/* A member field (FRB_MEMBER): the string cut to fit, the integer stored by its width. */
static bool set_member(struct alert *a, const struct field_def *d, struct json_object *v)
{
	char *p = (char *)&a->ev + d->off;
	int64_t i;

	if (d->type == FT_STRING) {
		if (!json_object_is_type(v, json_type_string))
			return false;
		copy_json_str(p, d->size, v);
		return true;
	}
	if (!json_to_i64(v, &i))
		return false;
	if (d->size == sizeof(uint32_t))
		*(uint32_t *)p = (uint32_t)i;
	else
		*(int64_t *)p = i;
	return true;
}

/* Whether flags ("A|B|C") holds the flag name. */
static bool flag_named(const char *flags, const char *name)
{
	size_t n = strlen(name);
	const char *p;

	for (p = flags; (p = strstr(p, name)); p += n)
		if ((p == flags || p[-1] == '|') && (p[n] == '\0' || p[n] == '|'))
			return true;
	return false;
}

/* The fields that are not a plain member (FRB_CUSTOM). */
static bool set_custom(struct alert *a, enum field_id id, int index, struct json_object *v)
{
	struct exec_event *ev = &a->ev;
	struct exec_ancestor *anc;
	bool str = json_object_is_type(v, json_type_string);
	bool b;
	int64_t i;

	switch (id) {
	case F_PROC_PNAME:
		if (!str)
			return false;
		anc = ancestor_slot(ev, 1);
		copy_json_str(anc->comm, sizeof(anc->comm), v);
		return true;
	case F_PROC_ANAME:
		if (!str || index < 0)
			return false;
		if (index == 0) {
			copy_json_str(ev->comm, sizeof(ev->comm), v);
			a->known[F_PROC_ANAME] = true;
			return true;
		}
		anc = ancestor_slot(ev, index);
		if (!anc)
			return false;
		copy_json_str(anc->comm, sizeof(anc->comm), v);
		return true;
	case F_PROC_APID:
		if (index < 1 || !json_to_i64(v, &i))
			return false;
		anc = ancestor_slot(ev, index);
		if (!anc)
			return false;
		anc->pid = (uint32_t)i;
		return true;
	case F_CONTAINER_PRIVILEGED:
		if (!json_to_bool(v, &b))
			return false;
		ev->container.privileged = b ? TRI_TRUE : TRI_FALSE;
		return true;
	case F_CONTAINER_RUNTIME:
		if (!str)
			return false;
		ev->container.runtime = container_runtime_from_name(json_object_get_string(v));
		return true;
	case F_SS_LINEAGE:
		if (!str)
			return false;
		ev->lineage = lineage_from_name(json_object_get_string(v));
		return true;
	case F_SS_CAP_EFFECTIVE_HEX:
		if (!json_to_i64(v, &i))
			return false;
		ev->cap_effective = (uint64_t)i;
		return true;
	case F_SS_TRUNCATED:
		if (!json_to_bool(v, &b))
			return false;
		if (b)
			ev->flags |= SS_F_ARGV_TRUNCATED;
		return true;
	case F_PROC_IS_EXE_UPPER_LAYER:
	case F_PROC_IS_EXE_FROM_MEMFD:
		if (!json_to_bool(v, &b))
			return false;
		if (b)
			ev->flags |= id == F_PROC_IS_EXE_UPPER_LAYER ? SS_F_EXE_UPPER_LAYER
								     : SS_F_EXE_MEMFD;
		return true;
	case F_EVT_ARG_FLAGS:
		/* Falco's flags string: EXE_WRITABLE|EXE_UPPER_LAYER|EXE_FROM_MEMFD ... */
		if (!str)
			return false;
		if (flag_named(json_object_get_string(v), "EXE_UPPER_LAYER"))
			ev->flags |= SS_F_EXE_UPPER_LAYER;
		if (flag_named(json_object_get_string(v), "EXE_FROM_MEMFD"))
			ev->flags |= SS_F_EXE_MEMFD;
		return true;
	default:
		return false;
	}
}

/*
 * Store one output field as the field table says; false when the value
 * does not fit the field. An indexed entry does not make the whole field
 * known.
 */
static bool set_field(struct alert *a, const struct field_def *d, int index, struct json_object *v)
{
	bool ok;

	switch (d->readback) {
	case FRB_MEMBER:
		ok = set_member(a, d, v);
		break;
	case FRB_CUSTOM:
		ok = set_custom(a, d->id, index, v);
		if (ok && d->indexed)
			return true;
		break;
	default:
		/* computed from others (exe_name, shell, caps by name) or not an event fact */
		return true;
	}
	if (!ok)
		return false;
	if (field_is_own(d))
		a->shellsentry = true;
	a->known[d->id] = true;
	return true;
}

/* Falco's proc.cmdline is proc.name, a space, then the arguments. */
static void derive_from_cmdline(struct alert *a)
{
	struct exec_event *ev = &a->ev;
	const char *sp;
	size_t n;

	if (!a->known[F_PROC_CMDLINE])
		return;
	sp = strchr(ev->cmdline, ' ');
	n = sp ? (size_t)(sp - ev->cmdline) : strlen(ev->cmdline);
	if (!a->known[F_PROC_NAME] && n > 0 && n <= SS_COMM_LEN) {
		copy_str(ev->comm, sizeof(ev->comm), ev->cmdline, n);
		a->known[F_PROC_NAME] = true;
	}
	if (!a->known[F_PROC_ARGS]) {
		copy_str(ev->args, sizeof(ev->args), sp ? sp + 1 : "", EXEC_STR_MAX);
		a->known[F_PROC_ARGS] = true;
	}
}

int alert_parse_time(const char *s, uint64_t *ns)
{
	struct tm tm = {0};
	const char *p;
	uint64_t frac = 0;
	int digits = 0, off = 0, hh, mm;
	time_t t;

	p = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!p)
		return -EINVAL;
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++, digits++)
			if (digits < 9)
				frac = frac * 10 + (uint64_t)(*p - '0');
		if (!digits)
			return -EINVAL;
		for (; digits < 9; digits++)
			frac *= 10;
	}
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if ((*p == '+' || *p == '-') && sscanf(p + 1, "%2d:%2d", &hh, &mm) == 2) {
		off = (hh * 60 + mm) * 60 * (*p == '-' ? -1 : 1);
		p += 6;
	} else {
		return -EINVAL;
	}
	if (*p)
		return -EINVAL;
	t = timegm(&tm);
	if (t == (time_t)-1 || t - off < 0)
		return -EINVAL;
	*ns = (uint64_t)(t - off) * 1000000000ull + frac;
	return 0;
}

static void init_alert(struct alert *out)
{
	memset(out, 0, sizeof(*out));
	out->priority = -1;
	out->ev.loginuid = -1;
	out->ev.container.privileged = TRI_UNKNOWN;
	out->ev.lineage = SS_LINEAGE_UNKNOWN;
}

static int parse_fields(struct alert *out, struct json_object *fields, struct ss_error *err)
{
	char base[64];
	int index;
	const struct field_def *fd;

	json_object_object_foreach(fields, key, val)
	{
		if (!split_index(key, base, sizeof(base), &index))
			continue; /* not a field we know */
		fd = field_lookup(base);
		if (!fd || !val || json_object_is_type(val, json_type_null))
			continue; /* null: unknown, as the sender said */
		if (!set_field(out, fd, index, val)) {
			ss_error_set(err, 0, "output_fields: bad value for %.64s", key);
			return -EINVAL;
		}
	}
	return 0;
}

int alert_from_json(const char *line, size_t len, struct alert *out, struct ss_error *err)
{
	struct json_tokener *tok = NULL;
	struct json_object *root = NULL, *v;
	enum json_tokener_error jerr;
	enum priority prio;
	int ret = -EINVAL;

	init_alert(out);
	ss_error_set(err, 0, "%s", "");
	if (len > ALERT_LINE_MAX) {
		ss_error_set(err, 0, "line longer than %u bytes", ALERT_LINE_MAX);
		return -E2BIG;
	}
	tok = json_tokener_new_ex(JSON_MAX_DEPTH);
	if (!tok)
		return -ENOMEM;
	root = json_tokener_parse_ex(tok, line, (int)len);
	jerr = json_tokener_get_error(tok);
	if (!root || jerr != json_tokener_success) {
		ss_error_set(err, 0, "invalid JSON at byte %zu: %s",
			     json_tokener_get_parse_end(tok), json_tokener_error_desc(jerr));
		goto out;
	}
	if (json_tokener_get_parse_end(tok) < len &&
	    line[json_tokener_get_parse_end(tok) +
		 strspn(line + json_tokener_get_parse_end(tok), " \t\r\n")] != '\0') {
		ss_error_set(err, 0, "trailing data after the JSON object");
		goto out;
	}
	if (!json_object_is_type(root, json_type_object)) {
		ss_error_set(err, 0, "not a JSON object");
		goto out;
	}
	if (!json_object_object_get_ex(root, "rule", &v) ||
	    !json_object_is_type(v, json_type_string) || !json_object_get_string_len(v)) {
		ss_error_set(err, 0, "no \"rule\": not an alert");
		goto out;
	}
	copy_json_str(out->rule, sizeof(out->rule), v);
	if (json_object_object_get_ex(root, "priority", &v) &&
	    json_object_is_type(v, json_type_string) &&
	    !priority_from_string(json_object_get_string(v), &prio))
		out->priority = (int)prio;
	if (json_object_object_get_ex(root, "time", &v) &&
	    json_object_is_type(v, json_type_string)) {
		copy_json_str(out->time, sizeof(out->time), v);
		out->time_known = !alert_parse_time(out->time, &out->ev.time_ns);
	}
	if (json_object_object_get_ex(root, "hostname", &v) &&
	    json_object_is_type(v, json_type_string))
		copy_json_str(out->ev.hostname, sizeof(out->ev.hostname), v);
	if (json_object_object_get_ex(root, "source", &v) &&
	    json_object_is_type(v, json_type_string))
		copy_json_str(out->source, sizeof(out->source), v);
	if (json_object_object_get_ex(root, "output", &v) &&
	    json_object_is_type(v, json_type_string))
		copy_json_str(out->output, sizeof(out->output), v);
	if (json_object_object_get_ex(root, "output_fields", &v) &&
	    json_object_is_type(v, json_type_object)) {
		ret = parse_fields(out, v, err);
		if (ret)
			goto out;
	}
	derive_from_cmdline(out);
	if (out->known[F_CONTAINER_ID]) {
		out->ev.container.is_container = strcmp(out->ev.container.id, "host") != 0;
		if (!out->ev.container.is_container)
			out->ev.container.runtime = RUNTIME_NONE;
	}
	ret = 0;
out:
	json_object_put(root);
	json_tokener_free(tok);
	return ret;
}

void alert_from_event(struct alert *out, const struct exec_event *ev, const char *rule,
		      int priority, const char *output)
{
	struct tm tm;
	time_t t;
	int i;

	init_alert(out);
	out->ev = *ev;
	snprintf(out->rule, sizeof(out->rule), "%s", rule ? rule : "");
	snprintf(out->output, sizeof(out->output), "%s", output ? output : "");
	snprintf(out->source, sizeof(out->source), "syscall");
	out->priority = priority;
	t = (time_t)(ev->time_ns / 1000000000ull);
	if (gmtime_r(&t, &tm)) {
		strftime(out->time, sizeof(out->time), "%Y-%m-%dT%H:%M:%S", &tm);
		snprintf(out->time + strlen(out->time), sizeof(out->time) - strlen(out->time),
			 ".%09" PRIu64 "Z", (uint64_t)(ev->time_ns % 1000000000u));
		out->time_known = true;
	}
	for (i = 0; i < F_COUNT; i++)
		out->known[i] = true;
	out->shellsentry = true;
}

bool alert_field_known(const struct alert *a, enum field_id id)
{
	struct field_value v;

	if (id >= F_COUNT || !a->known[id])
		return false;
	if (field_extract(&a->ev, id, -1, &v))
		return false;
	return !v.null;
}

void alert_known_mask(const struct alert *a, bool *known)
{
	int i;

	for (i = 0; i < F_COUNT; i++)
		known[i] = alert_field_known(a, (enum field_id)i);
}

bool alert_read_line(FILE *in, char *buf, size_t cap, size_t *len, bool *too_long)
{
	size_t n;
	int ch;

	*len = 0;
	*too_long = false;
	if (!fgets(buf, (int)cap, in))
		return false;
	n = strlen(buf);
	if (n && buf[n - 1] == '\n') {
		buf[--n] = '\0';
	} else if (n == cap - 1) {
		*too_long = true;
		while ((ch = getc(in)) != EOF && ch != '\n')
			;
	}
	if (n && buf[n - 1] == '\r')
		buf[--n] = '\0';
	*len = n;
	return true;
}
