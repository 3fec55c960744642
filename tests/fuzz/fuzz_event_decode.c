/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * libFuzzer target: arbitrary ring-buffer records through the decoder, then
 * every field and both alert formats. A record is what a compromised or buggy
 * kernel side could send and what a monitored process fills (argv, comm,
 * names, paths): the decoder must never read past it, and the JSON alert must
 * stay one valid JSON object on one line, the text alert one line without
 * control characters.
 *
 * The first input byte picks the mode: odd = the bytes as the record, as is
 * (header checks); even = the bytes laid over a valid header (version,
 * header_len and argv_len made consistent) so the fuzzer reaches the
 * field decoding and formatting behind the checks.
 */
#include <json-c/json.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "output/alert_format.h"
#include "event/session.h"
#include "kernel/event_decode.h"
#include "event/fields.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_json(const char *s, int len)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *o;

	if (!tok)
		abort();
	if (memchr(s, '\n', (size_t)len) || strlen(s) != (size_t)len)
		abort();
	o = json_tokener_parse_ex(tok, s, len);
	/* one complete object, nothing after it */
	if (!o || json_tokener_get_error(tok) != json_tokener_success ||
	    json_tokener_get_parse_end(tok) != (size_t)len ||
	    !json_object_is_type(o, json_type_object))
		abort();
	json_object_put(o);
	json_tokener_free(tok);
}

static void check_text(const char *s, int len)
{
	if (strlen(s) != (size_t)len)
		abort();
	for (int i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			abort();
}

static void render(const struct exec_event *ev)
{
	static struct field_ref refs[F_COUNT];
	static char *json, *text;
	struct alert_render a = {
		.ev = ev,
		.rule = "Fuzz",
		.priority = PRIO_NOTICE,
		.output = ev->cmdline, /* raw, as a template with %proc.cmdline renders it */
		.refs = refs,
		.n_refs = F_COUNT,
	};
	struct field_value v;
	int jl, tl;

	if (!json) {
		json = malloc(ALERT_BUF_LEN);
		text = malloc(ALERT_BUF_LEN);
		if (!json || !text)
			abort();
		for (int i = 0; i < F_COUNT; i++) {
			refs[i].id = field_table[i].id;
			refs[i].index = field_table[i].indexed ? 1 : -1;
			snprintf(refs[i].name, sizeof(refs[i].name), "%s%s", field_table[i].name,
				 field_table[i].indexed ? "[1]" : "");
		}
	}
	for (int i = 0; i < F_COUNT; i++) {
		for (int idx = -1; idx <= SS_ANCESTORS + 1; idx++) {
			field_extract(ev, field_table[i].id, idx, &v);
			field_value_str(&v);
			if (!field_table[i].indexed)
				break;
		}
	}
	jl = alert_format_json(&a, json, ALERT_BUF_LEN);
	if (jl >= 0)
		check_json(json, jl);
	tl = alert_format_text(&a, text, ALERT_BUF_LEN);
	if (tl >= 0)
		check_text(text, tl);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct exec_event ev;
	struct ss_event *e;
	size_t len;

	if (size < 1)
		return 0;
	{
		/* the other record kinds decode from the raw bytes, any length */
		struct session_end se;
		uint64_t id;

		session_end_decode(data, size, 0, &se);
		event_decode_cgroup_gone(data, size, &id);
	}
	if (data[0] & 1) {
		/* exact-size copy: ASan catches any read past the record */
		uint8_t *rec = malloc(size - 1 ? size - 1 : 1);

		if (!rec)
			return 0;
		memcpy(rec, data + 1, size - 1);
		if (!event_decode(rec, size - 1, 0, &ev))
			render(&ev);
		free(rec);
		return 0;
	}
	data++;
	size--;
	len = size < SS_EVENT_HEADER_LEN ? SS_EVENT_HEADER_LEN : size;
	if (len > sizeof(*e))
		len = sizeof(*e);
	e = calloc(1, len);
	if (!e)
		return 0;
	memcpy(e, data, size < len ? size : len);
	e->version = SS_EVENT_VERSION;
	e->header_len = SS_EVENT_HEADER_LEN;
	e->argv_len = (uint16_t)(len - SS_EVENT_HEADER_LEN);
	e->exe_path_len %= SS_EXE_SLOTS + 1;
	e->cwd_len %= SS_EXE_SLOTS + 1;
	e->pexe_path_len %= SS_SHORT_PATH_SLOTS + 1;
	e->ancestor_count %= SS_ANCESTORS + 1;
	e->lineage %= SS_LINEAGE_INJECTED + 1;
	if (event_decode(e, len, (int64_t)e->boot_ns, &ev))
		abort(); /* a consistent record must decode */
	render(&ev);
	free(e);
	return 0;
}
