/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "lib/file.h"
#include "lib/names.h"
#include "report/kb.h"

struct kb {
	char source[256];
	struct kb_pattern *patterns;
	size_t n;
};

static const struct name_map kb_verdict_names[] = {
	{KB_NONE, "none"},
	{KB_EXPECTED, "expected"},
	{KB_SUSPICIOUS, "suspicious"},
	{KB_MALICIOUS, "malicious-indicator"},
	{0, NULL},
};

const char *kb_verdict_name(enum kb_verdict v)
{
	const char *n = name_of(kb_verdict_names, (int)v);

	return n ? n : "none";
}

/* A pattern's verdict: any name but "none". */
static int verdict_from_string(const char *s, enum kb_verdict *out)
{
	int v;

	if (name_find(kb_verdict_names, s, false, &v) || v == KB_NONE)
		return -EINVAL;
	*out = (enum kb_verdict)v;
	return 0;
}

static int set_err(struct ss_error *err, const char *file, const yaml_node_t *node, const char *fmt,
		   ...) __attribute__((format(printf, 4, 5)));

static int set_err(struct ss_error *err, const char *file, const yaml_node_t *node, const char *fmt,
		   ...)
{
	va_list ap;

	snprintf(err->file, sizeof(err->file), "%s", file);
	err->line = node ? (int)node->start_mark.line + 1 : 0;
	err->col = node ? (int)node->start_mark.column + 1 : 0;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static void free_check(struct kb_check *c)
{
	free(c->text);
	free(c->why);
	free(c->condition_text);
	if (c->cond)
		condition_free(c->cond);
}

static void free_pattern(struct kb_pattern *p)
{
	size_t i;

	free(p->id);
	free(p->title);
	free(p->condition_text);
	if (p->cond)
		condition_free(p->cond);
	free(p->evidence);
	free(p->advice);
	for (i = 0; i < p->n_checks; i++)
		free_check(&p->checks[i]);
	for (i = 0; i < p->n_supersedes; i++)
		free(p->supersedes[i]);
}

void kb_free(struct kb *kb)
{
	size_t i;

	if (!kb)
		return;
	for (i = 0; i < kb->n; i++)
		free_pattern(&kb->patterns[i]);
	free(kb->patterns);
	free(kb);
}

size_t kb_count(const struct kb *kb)
{
	return kb ? kb->n : 0;
}

const struct kb_pattern *kb_get(const struct kb *kb, size_t i)
{
	return kb && i < kb->n ? &kb->patterns[i] : NULL;
}

const char *kb_source(const struct kb *kb)
{
	return kb ? kb->source : "";
}

/*
 * Field references in a condition, in order, without duplicates: words that
 * name a field, outside quoted strings, with their [N] when given.
 */
static size_t scan_fields(const char *text, struct field_ref *refs, size_t max)
{
	const char *p = text, *start;
	const struct field_def *fd;
	size_t n = 0, i, len;
	char word[48], quote;
	bool dup;

	while (*p) {
		if (*p == '"' || *p == '\'') {
			quote = *p++;
			while (*p && *p != quote)
				p += (*p == '\\' && p[1]) ? 2 : 1;
			if (*p)
				p++;
			continue;
		}
		if (!isalpha((unsigned char)*p)) {
			p++;
			continue;
		}
		start = p;
		while (isalnum((unsigned char)*p) || *p == '.' || *p == '_')
			p++;
		len = (size_t)(p - start);
		if (len >= sizeof(word))
			continue;
		memcpy(word, start, len);
		word[len] = '\0';
		fd = field_lookup(word);
		if (!fd || n >= max)
			continue;
		if (*p == '[') {
			while (*p && *p != ']' && (size_t)(p - start) < sizeof(word) - 2)
				p++;
			if (*p == ']')
				p++;
			len = (size_t)(p - start);
		}
		dup = false;
		for (i = 0; i < n; i++)
			dup |= strlen(refs[i].name) == len && !strncmp(refs[i].name, start, len);
		if (dup || len >= sizeof(refs[n].name))
			continue;
		memcpy(refs[n].name, start, len);
		refs[n].name[len] = '\0';
		refs[n].id = fd->id;
		refs[n].index = -1;
		if (start[strlen(word)] == '[')
			refs[n].index = atoi(start + strlen(word) + 1);
		n++;
	}
	return n;
}

struct kb_reader {
	yaml_document_t *doc;
	const char *file;
	struct ss_error *err;
};

static const char *scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/* A required or optional non-empty string value; *out is strdup'ed. */
static int take_string(struct kb_reader *l, const yaml_node_t *n, const char *key, char **out)
{
	const char *s = scalar(n);

	if (!s || !*s)
		return set_err(l->err, l->file, n, "'%s' must be a non-empty string", key);
	if (*out)
		return set_err(l->err, l->file, n, "'%s' given twice", key);
	*out = strdup(s);
	return *out ? 0 : -ENOMEM;
}

static int compile(struct kb_reader *l, const yaml_node_t *n, const char *what, const char *text,
		   struct condition **out)
{
	struct ss_error cerr = {0};
	int ret;

	ret = condition_compile(text, NULL, out, &cerr);
	if (ret)
		return set_err(l->err, l->file, n, "%s: %s (at %d:%d of the condition)", what,
			       cerr.msg, cerr.line, cerr.col);
	return 0;
}

static int load_check(struct kb_reader *l, yaml_node_t *n, const char *pid, struct kb_check *c)
{
	yaml_node_pair_t *pair;
	yaml_node_t *k, *v;
	struct field_ref refs[KB_MAX_FIELDS];
	const char *key;
	size_t i;
	int ret;

	if (n->type != YAML_MAPPING_NODE)
		return set_err(l->err, l->file, n, "pattern %s: each confirm item is a mapping",
			       pid);
	for (pair = n->data.mapping.pairs.start; pair < n->data.mapping.pairs.top; pair++) {
		k = yaml_document_get_node(l->doc, pair->key);
		v = yaml_document_get_node(l->doc, pair->value);
		key = scalar(k);
		if (key && !strcmp(key, "check"))
			ret = take_string(l, v, "check", &c->text);
		else if (key && !strcmp(key, "condition"))
			ret = take_string(l, v, "condition", &c->condition_text);
		else if (key && !strcmp(key, "why"))
			ret = take_string(l, v, "why", &c->why);
		else
			ret = set_err(l->err, l->file, k, "pattern %s: unknown key '%s' in confirm",
				      pid, key ? key : "?");
		if (ret)
			return ret;
	}
	if (!c->text)
		return set_err(l->err, l->file, n, "pattern %s: confirm item needs 'check'", pid);
	if (c->condition_text) {
		ret = compile(l, n, "confirm condition", c->condition_text, &c->cond);
		if (ret)
			return ret;
		c->n_fields = scan_fields(c->condition_text, refs, KB_MAX_FIELDS);
		for (i = 0; i < c->n_fields; i++)
			c->fields[i] = refs[i].id;
	}
	return 0;
}

static int load_list(struct kb_reader *l, yaml_node_t *v, struct kb_pattern *p, bool checks)
{
	yaml_node_item_t *it;
	yaml_node_t *item;
	int ret;

	if (v->type != YAML_SEQUENCE_NODE)
		return set_err(l->err, l->file, v, "pattern %s: '%s' must be a list", p->id,
			       checks ? "confirm" : "supersedes");
	for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
		item = yaml_document_get_node(l->doc, *it);
		if (checks) {
			if (p->n_checks >= KB_MAX_CHECKS)
				return set_err(l->err, l->file, item,
					       "pattern %s: more than %d checks", p->id,
					       KB_MAX_CHECKS);
			ret = load_check(l, item, p->id, &p->checks[p->n_checks++]);
		} else {
			if (p->n_supersedes >= KB_MAX_SUPERSEDES)
				return set_err(l->err, l->file, item,
					       "pattern %s: more than %d supersedes", p->id,
					       KB_MAX_SUPERSEDES);
			ret = take_string(l, item, "supersedes", &p->supersedes[p->n_supersedes++]);
		}
		if (ret)
			return ret;
	}
	return 0;
}

static int load_pattern(struct kb_reader *l, yaml_node_t *n, struct kb_pattern *p)
{
	yaml_node_pair_t *pair;
	yaml_node_t *k, *v, *cond_node = NULL, *confirm = NULL, *sup = NULL;
	char *verdict = NULL;
	const char *key;
	int ret = 0;

	p->line = (int)n->start_mark.line + 1;
	if (n->type != YAML_MAPPING_NODE)
		return set_err(l->err, l->file, n, "each knowledge base entry is a mapping");
	for (pair = n->data.mapping.pairs.start; pair < n->data.mapping.pairs.top && !ret; pair++) {
		k = yaml_document_get_node(l->doc, pair->key);
		v = yaml_document_get_node(l->doc, pair->value);
		key = scalar(k);
		if (!key)
			ret = set_err(l->err, l->file, k, "keys must be strings");
		else if (!strcmp(key, "pattern"))
			ret = take_string(l, v, key, &p->id);
		else if (!strcmp(key, "title"))
			ret = take_string(l, v, key, &p->title);
		else if (!strcmp(key, "verdict"))
			ret = take_string(l, v, key, &verdict);
		else if (!strcmp(key, "condition"))
			ret = take_string(l, v, key, &p->condition_text), cond_node = v;
		else if (!strcmp(key, "evidence"))
			ret = take_string(l, v, key, &p->evidence);
		else if (!strcmp(key, "advice"))
			ret = take_string(l, v, key, &p->advice);
		else if (!strcmp(key, "confirm"))
			confirm = v;
		else if (!strcmp(key, "supersedes"))
			sup = v;
		else
			ret = set_err(l->err, l->file, k, "unknown key '%s'", key);
	}
	if (ret)
		goto out;
	if (!p->id || !p->title || !verdict || !p->condition_text || !p->evidence) {
		ret = set_err(l->err, l->file, n,
			      "pattern %s: needs pattern, title, verdict, condition and evidence",
			      p->id ? p->id : "(unnamed)");
		goto out;
	}
	if (verdict_from_string(verdict, &p->verdict)) {
		ret = set_err(l->err, l->file, n,
			      "pattern %s: verdict '%s' is not expected, suspicious or "
			      "malicious-indicator",
			      p->id, verdict);
		goto out;
	}
	ret = compile(l, cond_node, p->id, p->condition_text, &p->cond);
	if (ret)
		goto out;
	p->n_fields = scan_fields(p->condition_text, p->fields, KB_MAX_FIELDS);
	if (confirm) {
		ret = load_list(l, confirm, p, true);
		if (ret)
			goto out;
	}
	if (sup)
		ret = load_list(l, sup, p, false);
out:
	free(verdict);
	return ret;
}

static const struct kb_pattern *find(const struct kb *kb, const char *id)
{
	size_t i;

	for (i = 0; i < kb->n; i++)
		if (!strcmp(kb->patterns[i].id, id))
			return &kb->patterns[i];
	return NULL;
}

static int validate(struct kb *kb, struct ss_error *err)
{
	const struct kb_pattern *p, *q;
	size_t i, j;

	for (i = 0; i < kb->n; i++) {
		p = &kb->patterns[i];
		q = find(kb, p->id);
		if (q != p)
			goto fail_dup;
		for (j = 0; j < p->n_supersedes; j++) {
			q = find(kb, p->supersedes[j]);
			if (!q) {
				snprintf(err->msg, sizeof(err->msg),
					 "pattern %s supersedes unknown pattern %s", p->id,
					 p->supersedes[j]);
				goto fail;
			}
			if (q->verdict == KB_MALICIOUS || q->verdict > p->verdict + 1) {
				snprintf(err->msg, sizeof(err->msg),
					 "pattern %s (%s) may not supersede %s (%s)", p->id,
					 kb_verdict_name(p->verdict), q->id,
					 kb_verdict_name(q->verdict));
				goto fail;
			}
		}
	}
	return 0;
fail_dup:
	snprintf(err->msg, sizeof(err->msg), "pattern %s defined twice", p->id);
fail:
	snprintf(err->file, sizeof(err->file), "%s", kb->source);
	err->line = p->line;
	err->col = 1;
	return -EINVAL;
}

int kb_load_buffer(const char *text, size_t len, const char *name, struct kb **out,
		   struct ss_error *err)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_node_t *root, *item;
	yaml_node_item_t *it;
	struct kb_reader l = {.doc = &doc, .file = name, .err = err};
	struct kb *kb = NULL;
	bool have_doc = false;
	size_t n;
	int ret;

	memset(err, 0, sizeof(*err));
	if (!yaml_parser_initialize(&parser))
		return -ENOMEM;
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &doc)) {
		snprintf(err->file, sizeof(err->file), "%s", name);
		err->line = (int)parser.problem_mark.line + 1;
		err->col = (int)parser.problem_mark.column + 1;
		snprintf(err->msg, sizeof(err->msg), "YAML: %s",
			 parser.problem ? parser.problem : "syntax error");
		ret = -EINVAL;
		goto out;
	}
	have_doc = true;
	kb = calloc(1, sizeof(*kb));
	if (!kb) {
		ret = -ENOMEM;
		goto out;
	}
	snprintf(kb->source, sizeof(kb->source), "%s", name);
	root = yaml_document_get_root_node(&doc);
	if (!root || root->type != YAML_SEQUENCE_NODE) {
		ret = set_err(err, name, root, "a knowledge base is a list of patterns");
		goto out;
	}
	n = (size_t)(root->data.sequence.items.top - root->data.sequence.items.start);
	if (n > KB_MAX_PATTERNS) {
		ret = set_err(err, name, root, "more than %d patterns", KB_MAX_PATTERNS);
		goto out;
	}
	kb->patterns = calloc(n ? n : 1, sizeof(*kb->patterns));
	if (!kb->patterns) {
		ret = -ENOMEM;
		goto out;
	}
	for (it = root->data.sequence.items.start; it < root->data.sequence.items.top; it++) {
		item = yaml_document_get_node(&doc, *it);
		ret = load_pattern(&l, item, &kb->patterns[kb->n++]);
		if (ret)
			goto out;
	}
	ret = validate(kb, err);
	if (ret)
		goto out;
	*out = kb;
	kb = NULL;
out:
	kb_free(kb);
	if (have_doc)
		yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	return ret;
}

int kb_load(const char *path, struct kb **out, struct ss_error *err)
{
	char *buf = NULL;
	size_t len = 0;
	int ret;

	memset(err, 0, sizeof(*err));
	snprintf(err->file, sizeof(err->file), "%s", path);
	ret = file_read_at(AT_FDCWD, path, KB_FILE_MAX, &buf, &len);
	if (ret == -EFBIG)
		snprintf(err->msg, sizeof(err->msg), "file larger than 1 MiB");
	else if (ret == -EINVAL)
		snprintf(err->msg, sizeof(err->msg), "not a regular file");
	else if (ret)
		snprintf(err->msg, sizeof(err->msg), "cannot read: %s", strerror(-ret));
	if (!ret) {
		char real[PATH_MAX];

		/* reports name the file they used: its real path, not build/../rules/... */
		ret = kb_load_buffer(buf, len, realpath(path, real) ? real : path, out, err);
	}
	free(buf);
	return ret;
}

enum kb_check_state kb_check_eval(const struct kb_check *c, const struct exec_event *ev,
				  const bool *known)
{
	size_t i;

	if (!c->cond)
		return KB_CHECK_MANUAL;
	for (i = 0; known && i < c->n_fields; i++)
		if (!known[c->fields[i]])
			return KB_CHECK_UNKNOWN;
	return condition_eval(c->cond, ev) ? KB_CHECK_HOLDS : KB_CHECK_FAILS;
}

/* Whether any context check of p fails for this event. */
static bool contradicted(const struct kb_pattern *p, const struct exec_event *ev, const bool *known,
			 enum kb_check_state *states)
{
	bool bad = false;
	size_t k;

	for (k = 0; k < p->n_checks; k++) {
		states[k] = kb_check_eval(&p->checks[k], ev, known);
		bad |= states[k] == KB_CHECK_FAILS;
	}
	return bad;
}

void kb_match(const struct kb *kb, const struct exec_event *ev, const bool *known,
	      struct kb_result *out)
{
	const struct kb_pattern *hit[KB_MAX_MATCHES];
	enum kb_check_state states[KB_MAX_MATCHES][KB_MAX_CHECKS];
	bool bad[KB_MAX_MATCHES], gone;
	enum kb_verdict v;
	size_t n = 0, i, j, k, m;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < kb_count(kb) && n < KB_MAX_MATCHES; i++) {
		if (!condition_eval(kb->patterns[i].cond, ev))
			continue;
		hit[n] = &kb->patterns[i];
		bad[n] = contradicted(hit[n], ev, known, states[n]);
		n++;
	}
	for (i = 0; i < n; i++) {
		/* only an explanation that fits its context explains others away */
		gone = false;
		for (j = 0; j < n && !gone; j++)
			for (k = 0; k < hit[j]->n_supersedes && !gone && !bad[j]; k++)
				gone = j != i && !strcmp(hit[j]->supersedes[k], hit[i]->id);
		if (gone) {
			out->superseded[out->n_superseded++] = hit[i];
			continue;
		}
		m = out->n_matched++;
		out->matched[m] = hit[i];
		out->contradicted[m] = bad[i];
		memcpy(out->checks[m], states[i], sizeof(states[i]));
		v = hit[i]->verdict;
		if (bad[i] && v == KB_EXPECTED)
			v = KB_SUSPICIOUS;
		if (v > out->verdict)
			out->verdict = v;
	}
}
