// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Rules, compiled: every enabled rule's condition, exceptions and output template,
 * once, after all files are read; ruleset_load() drives read then compile.
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
#include "rules/falco_fields.h"
#include "rules/yaml_reader.h"

static void cerr_to_rules_error(const struct cerr *ce, const char *rule, struct ss_error *err)
{
	*err = ce->pos;
	if (rule)
		snprintf(err->msg, sizeof(err->msg), "rule '%.100s': %.400s", rule, ce->pos.msg);
}

static bool list_comp(const char *comp)
{
	return !strcmp(comp, "in") || !strcmp(comp, "intersects") || !strcmp(comp, "pmatch");
}

static int or_add(struct cctx *cx, struct cnode **any, struct cnode *kid)
{
	struct cnode **kids;

	if (!*any) {
		*any = cnode_new(cx->arena, N_OR, 0);
		if (!*any)
			return -ENOMEM;
	}
	kids = arena_grow(cx->arena, (*any)->kids, (*any)->nkids, (*any)->nkids + 1, sizeof(*kids));
	if (!kids)
		return -ENOMEM;
	(*any)->kids = kids;
	kids[(*any)->nkids++] = kid;
	return 0;
}

/* Single field: all values form one list (comp defaults to in); else one tuple per value. */
static int single_field_exception(struct cctx *cx, const struct exc_def *e, struct cnode **any)
{
	const char *comp = e->comps ? e->comps[0] : "in";
	struct exc_item flat = {.is_list = true};
	struct cnode *kid;
	size_t v, i, n = 0;

	if (!list_comp(comp)) {
		for (v = 0; v < e->nvalues; v++) {
			kid = cond_compile_check(cx, e->fields[0], comp, &e->values[v][0], e->file,
						 e->line, e->col);
			if (!kid || or_add(cx, any, kid))
				return -EINVAL;
		}
		return 0;
	}
	for (v = 0; v < e->nvalues; v++)
		n += e->values[v][0].is_list ? e->values[v][0].n : 1;
	if (!n)
		return 0;
	flat.items = arena_alloc(cx->arena, n * sizeof(*flat.items));
	if (!flat.items)
		return -ENOMEM;
	for (v = 0; v < e->nvalues; v++) {
		const struct exc_item *it = &e->values[v][0];

		if (!it->is_list)
			flat.items[flat.n++] = it->s;
		for (i = 0; it->is_list && i < it->n; i++)
			flat.items[flat.n++] = it->items[i];
	}
	kid = cond_compile_check(cx, e->fields[0], comp, &flat, e->file, e->line, e->col);
	if (!kid || or_add(cx, any, kid))
		return -EINVAL;
	return 0;
}

static struct cnode *compile_exceptions(struct cctx *cx, const struct rule *r)
{
	struct cnode *any = NULL, *all;
	size_t i, v, f;

	for (i = 0; i < r->nexcs; i++) {
		const struct exc_def *e = &r->excs[i];

		if (!e->fields_is_list) {
			if (single_field_exception(cx, e, &any))
				goto fail;
			continue;
		}
		for (v = 0; v < e->nvalues; v++) {
			all = cnode_new(cx->arena, N_AND, e->nfields);
			if (!all)
				goto fail;
			for (f = 0; f < e->nfields; f++) {
				const char *comp = e->comps ? e->comps[f] : "=";

				all->kids[f] =
					cond_compile_check(cx, e->fields[f], comp, &e->values[v][f],
							   e->file, e->line, e->col);
				if (!all->kids[f])
					goto fail;
			}
			all->nkids = e->nfields;
			if (or_add(cx, &any, all))
				goto fail;
		}
	}
	return any ? any : cnode_new(cx->arena, N_FALSE, 0);
fail:
	if (cx->err.kind == CE_NONE) {
		cx->err.kind = CE_NOMEM;
		snprintf(cx->err.pos.msg, sizeof(cx->err.pos.msg), "out of memory");
	}
	return NULL;
}

static bool rule_disabled_by_options(const struct rules_options *o, const struct rule *r)
{
	size_t i, j;

	if (r->prio > o->min_priority)
		return true;
	for (i = 0; i < o->n_disabled_rules; i++)
		if (o->disabled_rules[i] && !fnmatch(o->disabled_rules[i], r->name, 0))
			return true;
	for (i = 0; i < o->n_disabled_tags; i++)
		for (j = 0; j < r->ntags; j++)
			if (o->disabled_tags[i] && !strcmp(o->disabled_tags[i], r->tags[j]))
				return true;
	return false;
}

/*
 * Falco's own skip (skip-if-unknown-filter) skips on any unknown field;
 * --falco-compat only on a field Falco has and shellsentry lacks. Otherwise
 * the reason says which of the two it is.
 */
static bool unsupported_field_skips(struct rules_reader *l, const struct rule *r, struct cerr *ce)
{
	bool falco;

	if (ce->kind != CE_UNSUPPORTED)
		return false;
	if (r->skip_unknown)
		return true;
	falco = falco_field_known(ce->field);
	if (falco && l->opt.falco_compat)
		return true;
	if (falco)
		snprintf(ce->pos.msg, sizeof(ce->pos.msg),
			 "field '%.60s' is Falco's and shellsentry does not have it "
			 "(--falco-compat skips such rules)",
			 ce->field);
	else if (ce->field[0])
		snprintf(ce->pos.msg, sizeof(ce->pos.msg),
			 "unknown field '%.60s'%s: neither shellsentry nor Falco has it", ce->field,
			 strstr(ce->pos.msg, "in output") ? " in output" : "");
	return false;
}

static void warn_skip(struct rules_reader *l, const struct rule *r, const struct cerr *ce)
{
	if (!l->warn)
		return;
	fprintf(l->warn, "%s:%d:%d: warning: rule '%s' skipped: %s\n",
		ce->pos.file[0] ? ce->pos.file : r->file, ce->pos.line ? ce->pos.line : r->line,
		ce->pos.line ? ce->pos.col : r->col, r->name, ce->pos.msg);
}

static int compile_all(struct rules_reader *l)
{
	struct ruleset *rs = l->rs;
	struct cctx cx = {.arena = &rs->arena,
			  .macros = rs->macros,
			  .nmacros = rs->nmacros,
			  .lists = rs->lists,
			  .nlists = rs->nlists};
	size_t i;
	int rc = 0;

	cx.memo = calloc(rs->nmacros + 1, sizeof(*cx.memo));
	rs->active = arena_alloc(&rs->arena, (rs->nrules + 1) * sizeof(*rs->active));
	if (!cx.memo || !rs->active) {
		rc = reader_nomem(l);
		goto out;
	}
	/* Every macro must parse, used or not; missing fields only matter where used. */
	for (i = 0; i < rs->nmacros; i++) {
		memset(&cx.err, 0, sizeof(cx.err));
		if (cx.memo[i].state == 0 && !cond_compile_macro(&cx, i) &&
		    cx.err.kind != CE_UNSUPPORTED && cx.err.kind != CE_UNDEFINED) {
			cerr_to_rules_error(&cx.err, NULL, l->err);
			snprintf(l->err->msg, sizeof(l->err->msg), "macro '%.100s': %.400s",
				 rs->macros[i].name, cx.err.pos.msg);
			rc = cx.err.kind == CE_NOMEM ? -ENOMEM : -EINVAL;
			goto out;
		}
	}
	for (i = 0; i < rs->nrules; i++) {
		struct rule *r = rs->rules[i];
		struct cnode *exc;

		if (r->other_source) {
			if (l->warn)
				fprintf(l->warn,
					"%s:%d:%d: warning: rule '%s' skipped: not a syscall "
					"rule\n",
					r->file, r->line, r->col, r->name);
			rs->sum.skipped++;
			continue;
		}
		memset(&cx.err, 0, sizeof(cx.err));
		r->root = cond_compile(&cx, &r->cond, NULL, NULL);
		if (r->root && r->nexcs) {
			exc = compile_exceptions(&cx, r);
			if (exc && exc->kind != N_FALSE) {
				struct cnode *nn = cnode_new(&rs->arena, N_NOT, 1);
				struct cnode *all = cnode_new(&rs->arena, N_AND, 2);

				if (!nn || !all) {
					rc = reader_nomem(l);
					goto out;
				}
				nn->kids[0] = exc;
				nn->nkids = 1;
				all->kids[0] = r->root;
				all->kids[1] = nn;
				all->nkids = 2;
				r->root = all;
			} else if (!exc) {
				r->root = NULL;
			}
		}
		if (r->root && output_compile(&rs->arena, &r->output, &r->out, &cx.err))
			r->root = NULL;
		/*
		 * Falco indexes rules by event type: one for init_module or open loads
		 * there. shellsentry sees execs only, so such a rule could never fire:
		 * it is skipped, with the reason, rather than loaded dead.
		 */
		if (r->root && !cnode_can_match_exec(r->root)) {
			if (l->warn)
				fprintf(l->warn,
					"%s:%d:%d: warning: rule '%s' skipped: its condition needs "
					"an event type other than execve/execveat, and shellsentry "
					"sees "
					"execs only\n",
					r->file, r->line, r->col, r->name);
			rs->sum.skipped++;
			continue;
		}
		if (!r->root) {
			if (unsupported_field_skips(l, r, &cx.err)) {
				warn_skip(l, r, &cx.err);
				rs->sum.skipped++;
				continue;
			}
			cerr_to_rules_error(&cx.err, r->name, l->err);
			if (!l->err->file[0]) {
				snprintf(l->err->file, sizeof(l->err->file), "%s", r->file);
				l->err->line = r->line;
				l->err->col = r->col;
			}
			rc = cx.err.kind == CE_NOMEM ? -ENOMEM : -EINVAL;
			goto out;
		}
		if (!r->enabled || rule_disabled_by_options(&l->opt, r)) {
			rs->sum.disabled++;
			continue;
		}
		rs->active[rs->nactive++] = r;
	}
	rs->sum.rules = rs->nactive;
	rs->sum.macros = rs->nmacros;
	rs->sum.lists = rs->nlists;
out:
	free(cx.memo);
	if (!rc && rs->arena.failed)
		rc = reader_nomem(l);
	return rc;
}

int ruleset_load(const char *const *paths, size_t n, const struct rules_options *opt,
		 struct ruleset **out, struct ss_error *err, FILE *warn)
{
	struct ss_error dummy;
	struct rules_reader l = {0};
	size_t i;
	int rc = 0;

	if (!err)
		err = &dummy;
	memset(err, 0, sizeof(*err));
	if (!out || (!paths && n))
		return -EINVAL;
	l.err = err;
	l.rs = calloc(1, sizeof(*l.rs));
	if (!l.rs)
		return reader_nomem(&l);
	l.warn = warn;
	if (opt) {
		l.opt = *opt;
	} else {
		l.opt.min_priority = PRIO_DEBUG;
	}
	for (i = 0; i < n && !rc; i++)
		rc = reader_load_path(&l, paths[i]);
	if (!rc)
		rc = compile_all(&l);
	if (rc) {
		ruleset_free(l.rs);
		return rc;
	}
	*out = l.rs;
	return 0;
}
