// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The public ruleset API: priorities, evaluation, rule accessors, standalone
 * conditions (the knowledge base).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "lib/file.h"
#include "lib/names.h"
#include "rules/yaml_reader.h"

const struct name_map priority_names[] = {
	{PRIO_EMERGENCY, "Emergency"},
	{PRIO_ALERT, "Alert"},
	{PRIO_CRITICAL, "Critical"},
	{PRIO_ERROR, "Error"},
	{PRIO_WARNING, "Warning"},
	{PRIO_NOTICE, "Notice"},
	{PRIO_INFORMATIONAL, "Informational"},
	{PRIO_DEBUG, "Debug"},
	{PRIO_INFORMATIONAL, "info"},
	{PRIO_WARNING, "warn"},
	{PRIO_CRITICAL, "crit"},
	{PRIO_ERROR, "err"},
	{PRIO_EMERGENCY, "emerg"},
	{0, NULL},
};

const char *priority_name(enum priority p)
{
	const char *n = name_of(priority_names, (int)p);

	return n ? n : "Unknown";
}

int priority_from_string(const char *s, enum priority *out)
{
	int v;

	if (name_find(priority_names, s, true, &v))
		return -EINVAL;
	*out = (enum priority)v;
	return 0;
}

void ruleset_free(struct ruleset *rs)
{
	if (!rs)
		return;
	arena_free(&rs->arena);
	free(rs);
}

void ruleset_get_summary(const struct ruleset *rs, struct rules_summary *out)
{
	*out = rs->sum;
}

size_t ruleset_eval(const struct ruleset *rs, const struct exec_event *ev,
		    const struct rule **matches, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < rs->nactive && n < max; i++)
		if (cnode_eval(rs->active[i]->root, ev))
			matches[n++] = rs->active[i];
	return n;
}

const char *rule_name(const struct rule *r)
{
	return r->name;
}

enum priority rule_priority(const struct rule *r)
{
	return r->prio;
}

size_t rule_tags(const struct rule *r, const char *const **tags)
{
	*tags = r->tags;
	return r->ntags;
}

size_t rule_output_fields(const struct rule *r, const struct field_ref **refs)
{
	*refs = r->out.refs;
	return r->out.nrefs;
}

int rule_render_output(const struct rule *r, const struct exec_event *ev, char *buf, size_t len)
{
	return output_render(&r->out, ev, buf, len);
}

/* Rules on exe flags need only the kernel's drift filter (out->exe_drift), not every exec. */
int condition_compile(const char *text, const struct ruleset *rs, struct condition **out,
		      struct ss_error *err)
{
	struct condition *c = calloc(1, sizeof(*c));
	struct ss_error dummy;
	struct src_file *f;
	struct src_piece where = {0};
	struct src_text t = {0};
	struct cctx cx = {0};
	int rc = 0;

	if (!err)
		err = &dummy;
	memset(err, 0, sizeof(*err));
	if (!c || !text) {
		free(c);
		return -EINVAL;
	}
	cx.arena = &c->arena;
	if (rs) {
		cx.macros = rs->macros;
		cx.nmacros = rs->nmacros;
		cx.lists = rs->lists;
		cx.nlists = rs->nlists;
	}
	cx.memo = calloc(cx.nmacros + 1, sizeof(*cx.memo));
	f = arena_alloc(&c->arena, sizeof(*f));
	if (!cx.memo || !f) {
		rc = -ENOMEM;
		goto fail;
	}
	f->name = "<condition>";
	f->text = arena_strdup(&c->arena, text);
	f->len = strlen(text);
	where.file = f;
	where.line = 1;
	where.col = 1;
	if (!f->text || src_text_append(&c->arena, &t, f->text, f->len, &where)) {
		rc = -ENOMEM;
		goto fail;
	}
	c->root = cond_compile(&cx, &t, NULL, NULL);
	if (!c->root) {
		*err = cx.err.pos;
		rc = cx.err.kind == CE_NOMEM ? -ENOMEM : -EINVAL;
		goto fail;
	}
	free(cx.memo);
	*out = c;
	return 0;
fail:
	if (rc == -ENOMEM && !err->msg[0])
		snprintf(err->msg, sizeof(err->msg), "out of memory");
	free(cx.memo);
	condition_free(c);
	return rc;
}

bool condition_eval(const struct condition *c, const struct exec_event *ev)
{
	return c && cnode_eval(c->root, ev);
}

void condition_free(struct condition *c)
{
	if (!c)
		return;
	arena_free(&c->arena);
	free(c);
}
