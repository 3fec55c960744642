/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <yaml.h>

#include "cli/config.h"
#include "lib/file.h"
#include "output/metrics.h"

enum ktype {
	K_STR,
	K_BOOL,
	K_UINT, /* unsigned */
	K_SIZE, /* size_t */
	K_LONG,
	K_RATE, /* double */
	K_FORMAT,
	K_HOOK,
	K_PRIORITY,
	K_LIST, /* char[cap][width] + size_t count */
	K_MAP,	/* nested keys with this prefix */
};

enum kcheck { C_NONE, C_URL, C_HEADER, C_ADDR };

struct key {
	const char *name;
	enum ktype type;
	size_t off;
	size_t size;		/* string buffer or list entry width */
	size_t cap;		/* list slots */
	size_t count_off;	/* lists: offset of the count */
	unsigned long min, max; /* numbers */
	enum kcheck check;
};

#define F(f) offsetof(struct options, f)
#define SZ(f) sizeof(((struct options *)0)->f)
#define STR(n, f, c)                                                                               \
	{                                                                                          \
		n, K_STR, F(f), SZ(f), 0, 0, 0, 0, c                                               \
	}
#define BOOL(n, f)                                                                                 \
	{                                                                                          \
		n, K_BOOL, F(f), 0, 0, 0, 0, 1, C_NONE                                             \
	}
#define NUM(n, t, f, lo, hi)                                                                       \
	{                                                                                          \
		n, t, F(f), 0, 0, 0, lo, hi, C_NONE                                                \
	}
#define LIST(n, f, cnt, c)                                                                         \
	{                                                                                          \
		n, K_LIST, F(f), SZ(f[0]), SZ(f) / SZ(f[0]), F(cnt), 0, 0, c                       \
	}

static const struct key keys[] = {
	STR("hostname", hostname, C_NONE),
	{"format", K_FORMAT, F(format), 0, 0, 0, 0, 0, C_NONE},
	STR("output", output_file, C_NONE),
	BOOL("stdout", stdout_enabled),
	BOOL("syslog", syslog_enabled),
	{"http", K_MAP, 0, 0, 0, 0, 0, 0, C_NONE},
	STR("http.url", http.url, C_URL),
	LIST("http.headers", http.headers, http.n_headers, C_HEADER),
	NUM("http.timeout_ms", K_LONG, http.timeout_ms, 1, 600000),
	BOOL("http.insecure", http.insecure),
	STR("http.ca_file", http.ca_file, C_NONE),
	NUM("http.queue_max", K_SIZE, http.queue_max, 1, 1000000),
	LIST("rules", rules, n_rules, C_NONE),
	LIST("disable_rules", disabled_rules, n_disabled_rules, C_NONE),
	LIST("disable_tags", disabled_tags, n_disabled_tags, C_NONE),
	{"min_priority", K_PRIORITY, F(min_priority), 0, 0, 0, 0, 0, C_NONE},
	BOOL("falco_compat", falco_compat),
	{"hook", K_HOOK, F(hook), 0, 0, 0, 0, 0, C_NONE},
	STR("btf", btf_path, C_NONE),
	NUM("ringbuf_kib", K_UINT, ringbuf_kib, 4, 1024 * 1024),
	BOOL("verbose", verbose),
	STR("runtime_root", runtime_root, C_NONE),
	STR("report_dir", report_dir, C_NONE),
	STR("metrics_addr", metrics_addr, C_ADDR),
	NUM("stats_interval", K_UINT, stats_interval, 0, 86400),
	{"rate", K_RATE, F(rate_per_sec), 0, 0, 0, 0, 0, C_NONE},
	NUM("burst", K_UINT, rate_burst, 0, 1000000),
	BOOL("drop_privileges", drop_privileges),
};

#define N_KEYS (sizeof(keys) / sizeof(keys[0]))

const char *config_key_name(size_t i)
{
	return i < N_KEYS ? keys[i].name : NULL;
}

struct ctx {
	const char *file;
	yaml_document_t *doc;
	struct options *o;
	char *err;
	size_t errlen;
	bool seen[N_KEYS];
};

static int fail(struct ctx *c, const yaml_node_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct ctx *c, const yaml_node_t *n, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(c->err, c->errlen, "%s:%zu:%zu: %s", c->file, n->start_mark.line + 1,
		 n->start_mark.column + 1, msg);
	return -EINVAL;
}

static bool is_null(const yaml_node_t *n)
{
	const char *v;

	if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	v = (const char *)n->data.scalar.value;
	return !*v || !strcmp(v, "~") || !strcmp(v, "null") || !strcmp(v, "Null") ||
	       !strcmp(v, "NULL");
}

/* A scalar's text; NULL (with the error set) for other nodes or embedded NULs. */
static const char *scalar(struct ctx *c, const yaml_node_t *n, const char *key, int *ret)
{
	const char *v;

	if (n->type != YAML_SCALAR_NODE) {
		*ret = fail(c, n, "%s: expected a single value", key);
		return NULL;
	}
	v = (const char *)n->data.scalar.value;
	if (strlen(v) != n->data.scalar.length) {
		*ret = fail(c, n, "%s: value contains a NUL byte", key);
		return NULL;
	}
	return v;
}

static int check_value(struct ctx *c, const struct key *k, const yaml_node_t *n, const char *v)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	const char *p;

	switch (k->check) {
	case C_URL:
		if (*v && strncmp(v, "http://", 7) && strncmp(v, "https://", 8))
			return fail(c, n, "%s: '%s' is not an http:// or https:// URL", k->name, v);
		break;
	case C_HEADER:
		p = strchr(v, ':');
		if (!p || p == v)
			return fail(c, n, "%s: '%s' is not 'Name: value'", k->name, v);
		for (p = v; *p; p++)
			if ((unsigned char)*p < 0x20 && *p != '\t')
				return fail(c, n, "%s: control character in header", k->name);
		break;
	case C_ADDR:
		if (*v && metrics_parse_addr(v, &ss, &sl))
			return fail(c, n, "%s: '%s' is not IPv4:port or [IPv6]:port", k->name, v);
		break;
	case C_NONE:
		break;
	}
	return 0;
}

static int set_string(struct ctx *c, const struct key *k, const yaml_node_t *n, char *dst)
{
	int ret = 0;
	const char *v = is_null(n) ? "" : scalar(c, n, k->name, &ret);

	if (!v)
		return ret;
	if (strlen(v) >= k->size)
		return fail(c, n, "%s: value too long (at most %zu bytes)", k->name, k->size - 1);
	ret = check_value(c, k, n, v);
	if (ret)
		return ret;
	memcpy(dst, v, strlen(v) + 1);
	return 0;
}

static int set_list(struct ctx *c, const struct key *k, const yaml_node_t *n)
{
	char *base = (char *)c->o + k->off;
	size_t *count = (size_t *)((char *)c->o + k->count_off);
	yaml_node_item_t *it;
	int ret;

	*count = 0; /* the file's list replaces the default one */
	if (is_null(n))
		return 0;
	if (n->type == YAML_SCALAR_NODE) {
		ret = set_string(c, k, n, base);
		if (!ret)
			*count = 1;
		return ret;
	}
	if (n->type != YAML_SEQUENCE_NODE)
		return fail(c, n, "%s: expected a list", k->name);
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		yaml_node_t *e = yaml_document_get_node(c->doc, *it);

		if (*count >= k->cap)
			return fail(c, e, "%s: at most %zu entries", k->name, k->cap);
		if (is_null(e) || (e->type == YAML_SCALAR_NODE && !e->data.scalar.length))
			return fail(c, e, "%s: empty entry", k->name);
		ret = set_string(c, k, e, base + *count * k->size);
		if (ret)
			return ret;
		(*count)++;
	}
	return 0;
}

static int parse_bool(const char *v, bool *out)
{
	static const char *const yes[] = {"true", "yes", "on"};
	static const char *const no[] = {"false", "no", "off"};
	size_t i;

	for (i = 0; i < 3; i++) {
		if (!strcasecmp(v, yes[i])) {
			*out = true;
			return 0;
		}
		if (!strcasecmp(v, no[i])) {
			*out = false;
			return 0;
		}
	}
	return -EINVAL;
}

static int set_value(struct ctx *c, const struct key *k, const yaml_node_t *n)
{
	void *dst = (char *)c->o + k->off;
	const char *v;
	unsigned long u;
	char *end;
	double d;
	int ret = 0;

	if (k->type == K_STR)
		return set_string(c, k, n, dst);
	if (k->type == K_LIST)
		return set_list(c, k, n);
	v = scalar(c, n, k->name, &ret);
	if (!v)
		return ret;
	switch (k->type) {
	case K_BOOL:
		if (parse_bool(v, dst))
			return fail(c, n, "%s: '%s' is not true or false", k->name, v);
		return 0;
	case K_UINT:
	case K_SIZE:
	case K_LONG:
		errno = 0;
		u = strtoul(v, &end, 10);
		if (!*v || *end || errno || v[0] == '-' || v[0] == '+' || u < k->min || u > k->max)
			return fail(c, n, "%s: '%s' is not a whole number in %lu..%lu", k->name, v,
				    k->min, k->max);
		if (k->type == K_UINT)
			*(unsigned *)dst = (unsigned)u;
		else if (k->type == K_SIZE)
			*(size_t *)dst = u;
		else
			*(long *)dst = (long)u;
		return 0;
	case K_RATE:
		errno = 0;
		d = strtod(v, &end);
		if (!*v || *end || errno || !isfinite(d) || d < 0 || d > 1e6)
			return fail(c, n, "%s: '%s' is not a rate in 0..1000000 per second",
				    k->name, v);
		*(double *)dst = d;
		return 0;
	case K_FORMAT:
		if (!strcmp(v, "json"))
			*(enum output_format *)dst = FMT_JSON;
		else if (!strcmp(v, "text"))
			*(enum output_format *)dst = FMT_TEXT;
		else
			return fail(c, n, "%s: '%s' is not json or text", k->name, v);
		return 0;
	case K_HOOK:
		if (!strcmp(v, "auto"))
			*(enum hook_choice *)dst = HOOK_AUTO;
		else if (!strcmp(v, "tp_btf"))
			*(enum hook_choice *)dst = HOOK_TP_BTF;
		else if (!strcmp(v, "tracepoint"))
			*(enum hook_choice *)dst = HOOK_TRACEPOINT;
		else
			return fail(c, n, "%s: '%s' is not auto, tp_btf or tracepoint", k->name, v);
		return 0;
	case K_PRIORITY:
		if (priority_from_string(v, dst))
			return fail(c, n, "%s: '%s' is not a priority (emergency .. debug)",
				    k->name, v);
		return 0;
	default:
		return fail(c, n, "%s: internal: unhandled key type", k->name);
	}
}

static int apply_mapping(struct ctx *c, const yaml_node_t *map, const char *prefix)
{
	yaml_node_pair_t *p;
	int ret;

	if (map->type != YAML_MAPPING_NODE)
		return fail(c, map, "%s: expected a mapping of key: value",
			    *prefix ? prefix : "top level");
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *kn = yaml_document_get_node(c->doc, p->key);
		yaml_node_t *vn = yaml_document_get_node(c->doc, p->value);
		char path[128];
		const char *name;
		size_t i;

		name = scalar(c, kn, "key", &ret);
		if (!name)
			return ret;
		snprintf(path, sizeof(path), "%s%s%s", prefix, *prefix ? "." : "", name);
		for (i = 0; i < N_KEYS; i++)
			if (!strcmp(keys[i].name, path))
				break;
		if (i == N_KEYS)
			return fail(c, kn, "unknown key '%.100s'", path);
		if (c->seen[i])
			return fail(c, kn, "duplicate key '%s'", path);
		c->seen[i] = true;
		if (keys[i].type == K_MAP) {
			if (is_null(vn))
				continue;
			ret = apply_mapping(c, vn, path);
		} else {
			ret = set_value(c, &keys[i], vn);
		}
		if (ret)
			return ret;
	}
	return 0;
}

int config_load_string(const char *name, const char *buf, size_t len, struct options *o, char *err,
		       size_t errlen)
{
	yaml_parser_t parser;
	yaml_document_t doc, extra;
	yaml_node_t *root;
	struct ctx c = {.file = name, .doc = &doc, .err = err, .errlen = errlen};
	int ret = 0;

	if (len > CONFIG_MAX_BYTES) {
		snprintf(err, errlen, "%s: larger than %d bytes", name, CONFIG_MAX_BYTES);
		return -EFBIG;
	}
	c.o = malloc(sizeof(*c.o));
	if (!c.o)
		return -ENOMEM;
	*c.o = *o;
	if (!yaml_parser_initialize(&parser)) {
		ret = -ENOMEM;
		goto out_free;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	if (!yaml_parser_load(&parser, &doc)) {
		snprintf(err, errlen, "%s:%zu:%zu: %s", name, parser.problem_mark.line + 1,
			 parser.problem_mark.column + 1,
			 parser.problem ? parser.problem : "invalid YAML");
		ret = -EINVAL;
		goto out_parser;
	}
	root = yaml_document_get_root_node(&doc);
	if (root && !(root->type == YAML_SCALAR_NODE && is_null(root)))
		ret = apply_mapping(&c, root, "");
	if (!ret && root) {
		if (!yaml_parser_load(&parser, &extra)) {
			snprintf(err, errlen, "%s:%zu:%zu: %s", name, parser.problem_mark.line + 1,
				 parser.problem_mark.column + 1,
				 parser.problem ? parser.problem : "invalid YAML");
			ret = -EINVAL;
		} else {
			yaml_node_t *x = yaml_document_get_root_node(&extra);

			if (x)
				ret = fail(&c, x, "only one YAML document is allowed");
			yaml_document_delete(&extra);
		}
	}
	if (!ret)
		*o = *c.o;
	yaml_document_delete(&doc);
out_parser:
	yaml_parser_delete(&parser);
out_free:
	free(c.o);
	return ret;
}

int config_load_file(const char *path, struct options *o, char *err, size_t errlen)
{
	char *buf = NULL;
	size_t n = 0;
	int ret;

	ret = file_read_at(AT_FDCWD, path, CONFIG_MAX_BYTES, &buf, &n);
	if (ret == -EINVAL)
		snprintf(err, errlen, "%s: not a regular file", path);
	else if (ret == -EFBIG)
		snprintf(err, errlen, "%s: larger than %d bytes", path, CONFIG_MAX_BYTES);
	else if (ret)
		snprintf(err, errlen, "%s: %s", path, strerror(-ret));
	if (ret)
		return ret;
	ret = config_load_string(path, buf, n, o, err, errlen);
	free(buf);
	return ret;
}
