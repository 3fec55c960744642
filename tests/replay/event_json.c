// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <json-c/json.h>

#include "event_json.h"

/*
 * Every scalar of struct ss_event, by name. A field added to the record is
 * one line here; recordings made before it read it as zero.
 */
#define FIELD(f) #f, offsetof(struct ss_event, f), sizeof(((struct ss_event *)0)->f)
static const struct scalar {
	const char *name;
	size_t off, size;
} scalars[] = {
	{FIELD(boot_ns)},
	{FIELD(cgroup_id)},
	{FIELD(cap_effective)},
	{FIELD(cap_permitted)},
	{FIELD(version)},
	{FIELD(header_len)},
	{FIELD(argv_len)},
	{FIELD(exe_path_len)},
	{FIELD(flags)},
	{FIELD(pid)},
	{FIELD(tid)},
	{FIELD(vpid)},
	{FIELD(ppid)},
	{FIELD(uid)},
	{FIELD(gid)},
	{FIELD(euid)},
	{FIELD(loginuid)},
	{FIELD(tty)},
	{FIELD(pidns_inum)},
	{FIELD(mntns_inum)},
	{FIELD(exe_nlink)},
	{FIELD(lineage)},
	{FIELD(ancestor_count)},
	{FIELD(pidns_level)},
};

/* Fixed-size strings, read up to their first NUL. */
static const struct scalar strings[] = {
	{FIELD(comm)},
	{FIELD(cgroup_name)},
	{FIELD(filename)},
	{FIELD(interp)},
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static uint64_t get_uint(const void *base, const struct scalar *s)
{
	const char *p = (const char *)base + s->off;
	uint64_t v = 0;

	switch (s->size) {
	case 1:
		v = *(const uint8_t *)p;
		break;
	case 2:
		v = *(const uint16_t *)p;
		break;
	case 4:
		v = *(const uint32_t *)p;
		break;
	case 8:
		v = *(const uint64_t *)p;
		break;
	}
	return v;
}

static void set_uint(void *base, const struct scalar *s, uint64_t v)
{
	char *p = (char *)base + s->off;

	switch (s->size) {
	case 1:
		*(uint8_t *)p = (uint8_t)v;
		break;
	case 2:
		*(uint16_t *)p = (uint16_t)v;
		break;
	case 4:
		*(uint32_t *)p = (uint32_t)v;
		break;
	case 8:
		*(uint64_t *)p = v;
		break;
	}
}

static void put_hex(FILE *f, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%02x", p[i]);
}

/* Bytes up to the first NUL (at most max): a readable string when they allow it. */
static void put_bytes(FILE *f, const char *s, size_t max)
{
	size_t n = strnlen(s, max);
	bool plain = true;

	for (size_t i = 0; i < n && plain; i++)
		plain = s[i] >= 0x20 && s[i] < 0x7f;
	if (!plain) {
		fputs("{\"hex\":\"", f);
		put_hex(f, (const unsigned char *)s, n);
		fputs("\"}", f);
		return;
	}
	fputc('"', f);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"' || s[i] == '\\')
			fputc('\\', f);
		fputc(s[i], f);
	}
	fputc('"', f);
}

int event_json_write(FILE *f, const void *data, size_t len)
{
	const struct ss_event *e = data;
	size_t argv_len;

	if (len < SS_EVENT_HEADER_LEN)
		return -EBADMSG;
	argv_len = len - SS_EVENT_HEADER_LEN;
	if (argv_len > SS_ARGV_LEN)
		argv_len = SS_ARGV_LEN;
	fputc('{', f);
	for (size_t i = 0; i < N(scalars); i++)
		fprintf(f, "%s\"%s\":%llu", i ? "," : "", scalars[i].name,
			(unsigned long long)get_uint(e, &scalars[i]));
	for (size_t i = 0; i < N(strings); i++) {
		fprintf(f, ",\"%s\":", strings[i].name);
		put_bytes(f, (const char *)e + strings[i].off, strings[i].size);
	}
	fputs(",\"ancestors\":[", f);
	for (unsigned i = 0; i < e->ancestor_count && i < SS_ANCESTORS; i++) {
		fprintf(f, "%s{\"pid\":%u,\"vpid\":%u,\"comm\":", i ? "," : "", e->ancestors[i].pid,
			e->ancestors[i].vpid);
		put_bytes(f, e->ancestors[i].comm, SS_COMM_LEN);
		fputc('}', f);
	}
	fputs("],\"exe_path\":[", f);
	for (unsigned i = 0; i < e->exe_path_len && i < SS_EXE_SLOTS; i++) {
		if (i)
			fputc(',', f);
		put_bytes(f, e->exe_path + i * SS_EXE_SLOT_LEN, SS_EXE_SLOT_LEN);
	}
	fputs("],\"argv_hex\":\"", f);
	put_hex(f, (const unsigned char *)e->argv, argv_len);
	fputs("\",\"argv_text\":\"", f);
	for (size_t i = 0; i < argv_len; i++) {
		unsigned char c = (unsigned char)e->argv[i];

		if (c == 0)
			fputc(' ', f);
		else if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
			fputc(c, f);
		else
			fprintf(f, "\\\\x%02x", c);
	}
	fputs("\"}\n", f);
	return 0;
}

static void set_err(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Hex text into at most max bytes; the count, or -1. */
static long unhex(const char *s, char *out, size_t max)
{
	size_t n = strlen(s);

	if (n % 2 || n / 2 > max)
		return -1;
	for (size_t i = 0; i < n / 2; i++) {
		int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (char)(hi << 4 | lo);
	}
	return (long)(n / 2);
}

/* A string or {"hex":...} into a fixed field of max bytes (NUL-padded). */
static int get_bytes(struct json_object *v, char *out, size_t max)
{
	struct json_object *hex;
	const char *s;
	size_t n;

	memset(out, 0, max);
	if (json_object_is_type(v, json_type_string)) {
		s = json_object_get_string(v);
		n = (size_t)json_object_get_string_len(v);
		if (n > max)
			return -1;
		memcpy(out, s, n);
		return 0;
	}
	if (json_object_object_get_ex(v, "hex", &hex) && json_object_is_type(hex, json_type_string))
		return unhex(json_object_get_string(hex), out, max) < 0 ? -1 : 0;
	return -1;
}

int event_json_read(const char *line, struct ss_event *e, char *err, size_t errlen)
{
	struct json_object *o = json_tokener_parse(line), *v;
	int ret = -EINVAL;
	long argv_len = 0;

	memset(e, 0, sizeof(*e));
	if (!o || !json_object_is_type(o, json_type_object)) {
		set_err(err, errlen, "not a JSON object");
		goto out;
	}
	for (size_t i = 0; i < N(scalars); i++) {
		if (!json_object_object_get_ex(o, scalars[i].name, &v))
			continue;
		if (!json_object_is_type(v, json_type_int)) {
			set_err(err, errlen, "%s: not an integer", scalars[i].name);
			goto out;
		}
		set_uint(e, &scalars[i], json_object_get_uint64(v));
	}
	for (size_t i = 0; i < N(strings); i++) {
		if (json_object_object_get_ex(o, strings[i].name, &v) &&
		    get_bytes(v, (char *)e + strings[i].off, strings[i].size)) {
			set_err(err, errlen, "%s: bad string", strings[i].name);
			goto out;
		}
	}
	if (json_object_object_get_ex(o, "ancestors", &v)) {
		size_t n =
			json_object_is_type(v, json_type_array) ? json_object_array_length(v) : 0;

		if (!json_object_is_type(v, json_type_array) || n > SS_ANCESTORS) {
			set_err(err, errlen, "ancestors: not an array of at most %d", SS_ANCESTORS);
			goto out;
		}
		for (size_t i = 0; i < n; i++) {
			struct json_object *a = json_object_array_get_idx(v, i), *f;

			if (json_object_object_get_ex(a, "pid", &f))
				e->ancestors[i].pid = (__u32)json_object_get_uint64(f);
			if (json_object_object_get_ex(a, "vpid", &f))
				e->ancestors[i].vpid = (__u32)json_object_get_uint64(f);
			if (json_object_object_get_ex(a, "comm", &f) &&
			    get_bytes(f, e->ancestors[i].comm, SS_COMM_LEN)) {
				set_err(err, errlen, "ancestors[%zu].comm: bad string", i);
				goto out;
			}
		}
	}
	if (json_object_object_get_ex(o, "exe_path", &v)) {
		size_t n =
			json_object_is_type(v, json_type_array) ? json_object_array_length(v) : 0;

		if (!json_object_is_type(v, json_type_array) || n > SS_EXE_SLOTS) {
			set_err(err, errlen, "exe_path: not an array of at most %d", SS_EXE_SLOTS);
			goto out;
		}
		for (size_t i = 0; i < n; i++)
			if (get_bytes(json_object_array_get_idx(v, i),
				      e->exe_path + i * SS_EXE_SLOT_LEN, SS_EXE_SLOT_LEN)) {
				set_err(err, errlen, "exe_path[%zu]: bad string", i);
				goto out;
			}
	}
	if (json_object_object_get_ex(o, "argv_hex", &v)) {
		argv_len = unhex(json_object_get_string(v), e->argv, SS_ARGV_LEN);
		if (argv_len < 0) {
			set_err(err, errlen, "argv_hex: not hex of at most %d bytes", SS_ARGV_LEN);
			goto out;
		}
	}
	if (json_object_object_get_ex(o, "argv_len", &v) && json_object_get_int64(v) != argv_len) {
		set_err(err, errlen, "argv_len %lld but argv_hex holds %ld bytes",
			(long long)json_object_get_int64(v), argv_len);
		goto out;
	}
	/* Replayed as today's format. */
	e->version = SS_EVENT_VERSION;
	e->header_len = SS_EVENT_HEADER_LEN;
	e->argv_len = (__u16)argv_len;
	ret = (int)(SS_EVENT_HEADER_LEN + (size_t)argv_len);
out:
	json_object_put(o);
	return ret;
}
