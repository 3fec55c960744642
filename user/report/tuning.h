/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Safe tuning: the rule exception a report may offer, or why it offers none.
 * An exception is offered only for an incident whose verdict is a verified
 * expected pattern, and it is as narrow as the facts allow: the exact
 * command lines (never a prefix), the image, namespace and container name,
 * the parent, no terminal, and the stdio types seen. So it can never match
 * an interactive shell, a bare shell name, a shell with network stdio or a
 * longer command that starts like the benign one. Pure: the offer points
 * into the facts, which must outlive it.
 */
#ifndef SS_TUNING_H
#define SS_TUNING_H

#include <stdbool.h>
#include <stddef.h>

#include "report/md.h"
#include "report/verdict.h"

enum tuning_refusal {
	TUNING_OFFERED = 0,
	TUNING_NOT_VERIFIED,  /* the verdict is not a verified expected pattern */
	TUNING_NO_RULE,	      /* no rule fired: nothing to tune */
	TUNING_INTERACTIVE,   /* a command had a terminal */
	TUNING_NETWORK_STDIO, /* a command had a network socket on its stdio */
	TUNING_BARE_SHELL,    /* a command line is a shell name, with options at most */
	TUNING_INEXACT,	      /* a command line was cut, unknown, or not exactly writable */
	TUNING_NO_CONTEXT,    /* no image, namespace or container name bounds it */
	TUNING_TOO_MANY,      /* more rules than an offer holds */
};

enum tuning_field {
	TF_IMAGE_REPOSITORY, /* container.image.repository */
	TF_NAMESPACE,	     /* k8s.ns.name */
	TF_CONTAINER_NAME,   /* container.name */
	TF_PNAME,	     /* proc.pname */
	TF_CMDLINE,	     /* proc.cmdline */
	TF_TTY,		     /* proc.tty = 0 */
	TF_STDIN_TYPE,	     /* proc.stdin.type */
	TF_STDOUT_TYPE,	     /* proc.stdout.type */
	TF_COUNT,
};

/* Where the incident ran; NULL or "" when unknown. */
struct tuning_context {
	const char *image_repository;
	const char *ns;
	const char *container_name;
};

#define TUNING_MAX_RULES 16

struct tuning_offer {
	enum tuning_refusal refusal;
	size_t cmd;			     /* the command that caused the refusal */
	bool fields[TF_COUNT];		     /* the exception's fields */
	const char *rules[TUNING_MAX_RULES]; /* rules to add it to, first seen first */
	size_t n_rules;
	const char *name; /* exception name stem: the verified pattern's id */
};

/* Field name as in rules files ("container.image.repository"...). */
const char *tuning_field_name(enum tuning_field f);

/* Whether a command line is a shell name alone or with options only ("sh", "bash -il"). */
bool tuning_is_bare_shell(const char *cmdline);

/*
 * Decide the offer for an incident: its verdict (from verdict_session() on
 * the same cmds), its commands and its context.
 */
void tuning_offer(const struct verdict *v, const struct verdict_facts *cmds, size_t n,
		  const struct tuning_context *ctx, struct tuning_offer *out);

/* Why no exception is offered, one sentence for the report ("" when offered). */
const char *tuning_refusal_text(enum tuning_refusal r);

/*
 * The offer as rules-file YAML: for each rule, one exception whose values
 * are one row per distinct command that triggered that rule, appended with
 * `override: exceptions: append`. Returns 0, -EINVAL when nothing is
 * offered, or b's error.
 */
int tuning_yaml(const struct tuning_offer *o, const struct verdict_facts *cmds, size_t n,
		const struct tuning_context *ctx, struct mdbuf *b);

#endif /* SS_TUNING_H */
