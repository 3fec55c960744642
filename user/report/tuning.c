/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "event/parents.h"
#include "report/tuning.h"

const char *tuning_field_name(enum tuning_field f)
{
	static const char *const names[TF_COUNT] = {
		[TF_IMAGE_REPOSITORY] = "container.image.repository",
		[TF_NAMESPACE] = "k8s.ns.name",
		[TF_CONTAINER_NAME] = "container.name",
		[TF_PNAME] = "proc.pname",
		[TF_CMDLINE] = "proc.cmdline",
		[TF_TTY] = "proc.tty",
		[TF_STDIN_TYPE] = "proc.stdin.type",
		[TF_STDOUT_TYPE] = "proc.stdout.type",
	};

	return f < TF_COUNT ? names[f] : "";
}

const char *tuning_refusal_text(enum tuning_refusal r)
{
	switch (r) {
	case TUNING_OFFERED:
		return "";
	case TUNING_NOT_VERIFIED:
		return "No exception is offered: only activity verified as a known, expected "
		       "pattern "
		       "may be exempted, and an exception here would hide the next occurrence.";
	case TUNING_NO_RULE:
		return "No exception is offered: no rule fired for these commands.";
	case TUNING_INTERACTIVE:
		return "No exception is offered: a command ran with a terminal, and an exception "
		       "must never silence an interactive shell.";
	case TUNING_NETWORK_STDIO:
		return "No exception is offered: a command had a network connection on its "
		       "standard "
		       "input or output, and an exception must never silence such a shell.";
	case TUNING_BARE_SHELL:
		return "No exception is offered: a command line is a bare shell name, and an "
		       "exception for it would silence every shell started that way.";
	case TUNING_INEXACT:
		return "No exception is offered: a command line is not known exactly (cut to fit "
		       "the event, or holding bytes a rules file cannot match exactly), and a "
		       "prefix would also match a longer, different command.";
	case TUNING_NO_CONTEXT:
		return "No exception is offered: the alert names no image, namespace or container, "
		       "so an exception could not be bound to where this ran.";
	default:
		return "No exception is offered: the incident triggered more rules than one offer "
		       "holds; tune them one at a time.";
	}
}

/* Printable ASCII only: what both shellsentry and Falco read back byte for byte. */
static bool writable(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (!s || !*s)
		return false;
	for (; *p; p++)
		if (*p < 0x20 || *p > 0x7e)
			return false;
	return true;
}

bool tuning_is_bare_shell(const char *cmdline)
{
	const char *p = cmdline;
	bool first = true;

	if (!p)
		return true;
	while (*p) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		/* any operand after the program name is a command, a script or a file */
		if (!first && *p != '-')
			return false;
		first = false;
		while (*p && *p != ' ')
			p++;
	}
	return true;
}

static bool add_rule(struct tuning_offer *o, const char *rule)
{
	size_t i;

	for (i = 0; i < o->n_rules; i++)
		if (!strcmp(o->rules[i], rule))
			return true;
	if (o->n_rules >= TUNING_MAX_RULES)
		return false;
	o->rules[o->n_rules++] = rule;
	return true;
}

static bool known(const char *s)
{
	return s && *s;
}

static enum tuning_refusal check_command(const struct verdict_facts *f)
{
	size_t i;

	if (f->tty == TRI_TRUE)
		return TUNING_INTERACTIVE;
	if (verdict_stdio_from_types(f->stdin_type, f->stdout_type) == VSTDIO_NETWORK)
		return TUNING_NETWORK_STDIO;
	if (!known(f->cmdline) || f->truncated || !writable(f->cmdline))
		return TUNING_INEXACT;
	if (tuning_is_bare_shell(f->cmdline))
		return TUNING_BARE_SHELL;
	for (i = 0; i < f->n_rules; i++)
		if (!writable(f->rules[i]))
			return TUNING_INEXACT;
	return TUNING_OFFERED;
}

void tuning_offer(const struct verdict *v, const struct verdict_facts *cmds, size_t n,
		  const struct tuning_context *ctx, struct tuning_offer *out)
{
	bool pname = true, in = true, outp = true;
	enum tuning_refusal r;
	size_t i, j;

	memset(out, 0, sizeof(*out));
	out->cmd = v->lead_cmd;
	if (v->level != VERDICT_EXPECTED || v->lead.reason != VR_VERIFIED || !v->lead.pattern ||
	    !n) {
		out->refusal = TUNING_NOT_VERIFIED;
		return;
	}
	for (i = 0; i < n; i++) {
		r = check_command(&cmds[i]);
		if (r != TUNING_OFFERED) {
			out->refusal = r;
			out->cmd = i;
			return;
		}
		for (j = 0; j < cmds[i].n_rules; j++) {
			if (!add_rule(out, cmds[i].rules[j])) {
				out->refusal = TUNING_TOO_MANY;
				out->cmd = i;
				return;
			}
		}
		if (!cmds[i].n_rules)
			continue;
		pname &= writable(cmds[i].pname);
		in &= writable(cmds[i].stdin_type);
		outp &= writable(cmds[i].stdout_type);
	}
	if (!out->n_rules) {
		out->refusal = TUNING_NO_RULE;
		return;
	}
	out->fields[TF_IMAGE_REPOSITORY] = ctx && writable(ctx->image_repository);
	out->fields[TF_NAMESPACE] = ctx && writable(ctx->ns);
	out->fields[TF_CONTAINER_NAME] = ctx && writable(ctx->container_name);
	if (!out->fields[TF_IMAGE_REPOSITORY] && !out->fields[TF_NAMESPACE] &&
	    !out->fields[TF_CONTAINER_NAME]) {
		memset(out->fields, 0, sizeof(out->fields));
		out->refusal = TUNING_NO_CONTEXT;
		return;
	}
	out->fields[TF_PNAME] = pname;
	out->fields[TF_CMDLINE] = true;
	out->fields[TF_TTY] = true;
	out->fields[TF_STDIN_TYPE] = in;
	out->fields[TF_STDOUT_TYPE] = outp;
	out->name = v->lead.pattern->id;
}

/* A YAML double-quoted scalar; the offer admits printable ASCII only. */
static void yaml_str(struct mdbuf *b, const char *s)
{
	mdbuf_puts(b, "\"");
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			mdbuf_printf(b, "\\%c", *s);
		else
			mdbuf_putn(b, s, 1);
	}
	mdbuf_puts(b, "\"");
}

/*
 * The parent as an exception value list: itself, or, for a runtime's exec
 * parent, every one of them (runc and the subreaper it leaves the process to
 * are the same parent read a few microseconds apart).
 */
static void pname_list(struct mdbuf *b, const char *pname)
{
	size_t i;

	mdbuf_puts(b, "[");
	if (!ss_is_runtime_parent(pname)) {
		yaml_str(b, pname);
	} else {
		for (i = 0; i < ss_runtime_parent_count; i++) {
			mdbuf_puts(b, i ? ", " : "");
			yaml_str(b, ss_runtime_parents[i]);
		}
	}
	mdbuf_puts(b, "]");
}

static const char *value_of(enum tuning_field f, const struct verdict_facts *c,
			    const struct tuning_context *ctx)
{
	switch (f) {
	case TF_IMAGE_REPOSITORY:
		return ctx->image_repository;
	case TF_NAMESPACE:
		return ctx->ns;
	case TF_CONTAINER_NAME:
		return ctx->container_name;
	case TF_PNAME:
		return c->pname;
	case TF_CMDLINE:
		return c->cmdline;
	case TF_STDIN_TYPE:
		return c->stdin_type;
	case TF_STDOUT_TYPE:
		return c->stdout_type;
	default:
		return NULL;
	}
}

static bool triggered(const struct verdict_facts *c, const char *rule)
{
	size_t i;

	for (i = 0; i < c->n_rules; i++)
		if (!strcmp(c->rules[i], rule))
			return true;
	return false;
}

/* The row of c is the row of an earlier command with the same rule: skip it. */
static bool same_row(const struct tuning_offer *o, const struct verdict_facts *a,
		     const struct verdict_facts *c, const struct tuning_context *ctx)
{
	const char *x, *y;
	int f;

	for (f = 0; f < TF_COUNT; f++) {
		if (!o->fields[f])
			continue;
		x = value_of(f, a, ctx);
		y = value_of(f, c, ctx);
		if ((x || y) && (!x || !y || strcmp(x, y)))
			return false;
	}
	return true;
}

int tuning_yaml(const struct tuning_offer *o, const struct verdict_facts *cmds, size_t n,
		const struct tuning_context *ctx, struct mdbuf *b)
{
	static const struct tuning_context none;
	const char *sep;
	size_t k, i, j, c;
	bool dup;
	int f;

	if (o->refusal != TUNING_OFFERED || !o->n_rules || !o->name)
		return -EINVAL;
	if (!ctx)
		ctx = &none;
	for (k = 0; k < o->n_rules; k++) {
		mdbuf_puts(b, k ? "\n- rule: " : "- rule: ");
		yaml_str(b, o->rules[k]);
		mdbuf_puts(b, "\n  exceptions:\n    - name: shellsentry_");
		for (c = 0; o->name[c]; c++)
			mdbuf_printf(b, "%c",
				     isalnum((unsigned char)o->name[c]) ? o->name[c] : '_');
		mdbuf_printf(b, "_%zu\n      fields: [", k + 1);
		for (f = 0, sep = ""; f < TF_COUNT; f++)
			if (o->fields[f]) {
				mdbuf_printf(b, "%s%s", sep, tuning_field_name(f));
				sep = ", ";
			}
		mdbuf_puts(b, "]\n      comps: [");
		for (f = 0, sep = ""; f < TF_COUNT; f++)
			if (o->fields[f]) {
				/* the parent is a list: a runtime's exec parent is either of two */
				mdbuf_printf(b, "%s%s", sep, f == TF_PNAME ? "in" : "=");
				sep = ", ";
			}
		mdbuf_puts(b, "]\n      values:\n");
		for (i = 0; i < n; i++) {
			if (!triggered(&cmds[i], o->rules[k]))
				continue;
			dup = false;
			for (j = 0; j < i && !dup; j++)
				dup = triggered(&cmds[j], o->rules[k]) &&
				      same_row(o, &cmds[j], &cmds[i], ctx);
			if (dup)
				continue;
			mdbuf_puts(b, "        - [");
			for (f = 0, sep = ""; f < TF_COUNT; f++) {
				if (!o->fields[f])
					continue;
				mdbuf_puts(b, sep);
				sep = ", ";
				if (f == TF_TTY)
					mdbuf_puts(b, "0");
				else if (f == TF_PNAME)
					pname_list(b, value_of(f, &cmds[i], ctx));
				else
					yaml_str(b, value_of(f, &cmds[i], ctx));
			}
			mdbuf_puts(b, "]\n");
		}
		mdbuf_puts(b, "  override:\n    exceptions: append\n");
	}
	return b->err;
}
