// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "output/alert_format.h"
#include "lib/escape.h"

/* Fields every alert carries in output_fields, besides the rule's own, in this order. */
static const enum field_id base_fields[] = {
	F_EVT_TYPE,
	F_EVT_TIME,
	F_EVT_ARG_FLAGS,
	F_PROC_NAME,
	F_PROC_EXE,
	F_PROC_EXEPATH,
	F_PROC_CMDLINE,
	F_PROC_ARGS,
	F_PROC_PID,
	F_PROC_VPID,
	F_PROC_PPID,
	F_PROC_PNAME,
	F_PROC_TTY,
	F_USER_UID,
	F_USER_NAME,
	F_USER_LOGINUID,
	F_GROUP_GID,
	F_CONTAINER_ID,
	F_CONTAINER_FULL_ID,
	F_CONTAINER_NAME,
	F_CONTAINER_RUNTIME,
	F_CONTAINER_IMAGE,
	F_CONTAINER_IMAGE_REPOSITORY,
	F_CONTAINER_IMAGE_TAG,
	F_CONTAINER_PRIVILEGED,
	F_K8S_POD_NAME,
	F_K8S_NS_NAME,
	F_K8S_POD_UID,
	F_K8S_CONTAINER_NAME,
	F_SS_LINEAGE,
	F_SS_CAP_EFFECTIVE,
	F_SS_SHELL,
	F_SS_SHELL_BY,
	F_SS_TRUNCATED,
	/* what the process is connected to, and its shell session: every alert, for grouping */
	F_PROC_STDIN_TYPE,
	F_PROC_STDOUT_TYPE,
	F_SS_STDIO_PEER,
	F_SS_SESSION,
};

#define N_BASE (sizeof(base_fields) / sizeof(base_fields[0]))

struct out {
	char *buf;
	size_t len;
	size_t pos;
	bool full;
};

static void out_raw(struct out *o, const char *s, size_t n)
{
	if (o->full || o->pos + n >= o->len) {
		o->full = true;
		return;
	}
	memcpy(o->buf + o->pos, s, n);
	o->pos += n;
	o->buf[o->pos] = 0;
}

static void out_str(struct out *o, const char *s)
{
	out_raw(o, s, strlen(s));
}

static void out_int(struct out *o, int64_t v)
{
	char tmp[24], *p = tmp + sizeof(tmp);
	uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	out_raw(o, p, (size_t)(tmp + sizeof(tmp) - p));
}

/*
 * Escaped untrusted bytes. The escapers never split a sequence but cannot
 * say whether they cut; a result that nearly fills the room counts as cut.
 */
static void out_escaped(struct out *o, const char *s, size_t n, bool json)
{
	size_t room, w;

	if (o->full || o->pos + 16 >= o->len) {
		o->full = true;
		return;
	}
	room = o->len - o->pos;
	w = json ? json_escape(o->buf + o->pos, room, s, n)
		 : text_escape(o->buf + o->pos, room, s, n);
	o->pos += w;
	if (w + 8 >= room)
		o->full = true;
}

static void out_json_str(struct out *o, const char *s)
{
	out_raw(o, "\"", 1);
	out_escaped(o, s, strlen(s), true);
	out_raw(o, "\"", 1);
}

/* Writes v as exactly width decimal digits. */
static char *put_digits(char *p, unsigned long long v, int width)
{
	for (int i = width - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return p + width;
}

/*
 * UTC civil time from the epoch, without gmtime_r/strftime/snprintf: they
 * were a tenth of an alert's formatting cost (days-to-date per Howard
 * Hinnant's public-domain algorithm, for dates from 1970 on).
 */
struct utc {
	unsigned year, month, day, hour, min, sec;
	unsigned long long nsec;
};

static struct utc utc_from_ns(unsigned long long ns)
{
	unsigned long long secs = ns / 1000000000ULL, days = secs / 86400, sod = secs % 86400;
	unsigned long long z = days + 719468, era = z / 146097, doe = z - era * 146097;
	unsigned long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
	struct utc t;

	t.day = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	t.month = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	t.year = (unsigned)(yoe + era * 400 + (t.month <= 2));
	t.hour = (unsigned)(sod / 3600);
	t.min = (unsigned)(sod / 60 % 60);
	t.sec = (unsigned)(sod % 60);
	t.nsec = ns % 1000000000ULL;
	return t;
}

void format_rfc3339_ns(unsigned long long ns, char *buf, size_t len)
{
	struct utc t = utc_from_ns(ns);
	char tmp[40], *p = tmp;

	p = put_digits(p, t.year, 4);
	*p++ = '-';
	p = put_digits(p, t.month, 2);
	*p++ = '-';
	p = put_digits(p, t.day, 2);
	*p++ = 'T';
	p = put_digits(p, t.hour, 2);
	*p++ = ':';
	p = put_digits(p, t.min, 2);
	*p++ = ':';
	p = put_digits(p, t.sec, 2);
	*p++ = '.';
	p = put_digits(p, t.nsec, 9);
	*p++ = 'Z';
	*p = 0;
	snprintf(buf, len, "%s", tmp);
}

/* Falco's output text starts with the time of day and the priority. */
static void out_output_prefix(struct out *o, const struct alert_render *a)
{
	struct utc t = utc_from_ns(a->ev->time_ns);
	char tmp[24], *p = tmp;

	p = put_digits(p, t.hour, 2);
	*p++ = ':';
	p = put_digits(p, t.min, 2);
	*p++ = ':';
	p = put_digits(p, t.sec, 2);
	*p++ = '.';
	p = put_digits(p, t.nsec, 9);
	*p++ = ':';
	*p++ = ' ';
	out_raw(o, tmp, (size_t)(p - tmp));
	out_str(o, priority_name(a->priority));
	out_raw(o, " ", 1);
}

static void out_field(struct out *o, const struct exec_event *ev, const char *name,
		      enum field_id id, int index)
{
	struct field_value v;

	/* Field names come from the field table or a validated rule: nothing to escape. */
	out_raw(o, "\"", 1);
	out_str(o, name);
	out_raw(o, "\":", 2);
	/* Not a memset: the value's 1 KiB buffer would be cleared for every field. */
	v.null = false;
	v.s = NULL;
	v.i = 0;
	if (field_extract(ev, id, index, &v) || v.null) {
		out_str(o, "null");
		return;
	}
	switch (v.type) {
	case FT_INT:
		out_int(o, v.i);
		break;
	case FT_BOOL:
		out_str(o, v.i ? "true" : "false");
		break;
	default:
		out_json_str(o, v.s ? v.s : "");
	}
}

/* A rule's output field that the base set already carries (no index). */
static bool base_has(const struct field_ref *r)
{
	if (r->index >= 0)
		return false;
	for (size_t i = 0; i < N_BASE; i++)
		if (base_fields[i] == r->id)
			return true;
	return false;
}

static void out_base_fields(struct out *o, const struct exec_event *ev)
{
	for (size_t i = 0; i < N_BASE; i++) {
		if (i)
			out_raw(o, ",", 1);
		out_field(o, ev, field_table[base_fields[i]].name, base_fields[i], -1);
	}
}

int alert_format_base_fields(const struct exec_event *ev, char *buf, size_t len)
{
	struct out o = {.buf = buf, .len = len};

	out_base_fields(&o, ev);
	return o.full ? -ENOSPC : (int)o.pos;
}

int alert_format_json(const struct alert_render *a, char *buf, size_t len)
{
	struct out o = {.buf = buf, .len = len};
	char when[64];

	format_rfc3339_ns(a->ev->time_ns, when, sizeof(when));
	out_str(&o, "{\"hostname\":");
	out_json_str(&o, a->ev->hostname);
	out_str(&o, ",\"output\":\"");
	out_output_prefix(&o, a);
	out_escaped(&o, a->output, strlen(a->output), true);
	out_str(&o, "\",\"output_fields\":{");
	if (a->base_json)
		out_raw(&o, a->base_json, a->base_json_len);
	else
		out_base_fields(&o, a->ev);
	for (size_t i = 0; i < a->n_refs; i++) {
		if (base_has(&a->refs[i]))
			continue;
		out_raw(&o, ",", 1);
		out_field(&o, a->ev, a->refs[i].name, a->refs[i].id, a->refs[i].index);
	}
	out_str(&o, "},\"priority\":");
	out_json_str(&o, priority_name(a->priority));
	out_str(&o, ",\"rule\":");
	out_json_str(&o, a->rule);
	out_str(&o, ",\"source\":\"syscall\",\"tags\":[");
	for (size_t i = 0; i < a->n_tags; i++) {
		if (i)
			out_raw(&o, ",", 1);
		out_json_str(&o, a->tags[i]);
	}
	out_str(&o, "],\"time\":");
	out_json_str(&o, when);
	out_str(&o, "}");
	return o.full ? -ENOSPC : (int)o.pos;
}

int alert_format_text(const struct alert_render *a, char *buf, size_t len)
{
	struct out o = {.buf = buf, .len = len};
	char when[64];

	format_rfc3339_ns(a->ev->time_ns, when, sizeof(when));
	out_str(&o, when);
	out_str(&o, ": ");
	out_str(&o, priority_name(a->priority));
	out_str(&o, " ");
	out_escaped(&o, a->output, strlen(a->output), false);
	return o.full ? -ENOSPC : (int)o.pos;
}
