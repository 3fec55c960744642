/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Whether a compiled condition can hold for an exec event at all. Falco
 * indexes rules by the event types their condition allows; shellsentry sees
 * execve/execveat only, so a rule of Falco's for init_module or open can load
 * but never fire. Three-valued: a check on evt.type is decided for an exec,
 * any other check may go either way.
 */
#include <stdlib.h>
#include <string.h>

#include "rules/rules_internal.h"

enum tri { T_FALSE, T_TRUE, T_MAYBE };

static bool names_execveat(const struct cnode *n)
{
	size_t i;

	if (n->str && !strcmp(n->str, "execveat"))
		return true;
	for (i = 0; n->set && i < n->nset; i++)
		if (n->set[i] && !strcmp(n->set[i], "execveat"))
			return true;
	return false;
}

static enum tri eval(const struct cnode *n, const struct exec_event *ev)
{
	enum tri t, acc;
	size_t i;

	switch (n->kind) {
	case N_TRUE:
		return T_TRUE;
	case N_FALSE:
		return T_FALSE;
	case N_NOT:
		t = eval(n->kids[0], ev);
		return t == T_MAYBE ? T_MAYBE : (t == T_TRUE ? T_FALSE : T_TRUE);
	case N_AND:
		acc = T_TRUE;
		for (i = 0; i < n->nkids; i++) {
			t = eval(n->kids[i], ev);
			if (t == T_FALSE)
				return T_FALSE;
			if (t == T_MAYBE)
				acc = T_MAYBE;
		}
		return acc;
	case N_OR:
		acc = T_FALSE;
		for (i = 0; i < n->nkids; i++) {
			t = eval(n->kids[i], ev);
			if (t == T_TRUE)
				return T_TRUE;
			if (t == T_MAYBE)
				acc = T_MAYBE;
		}
		return acc;
	default:
		if (n->field != F_EVT_TYPE)
			return T_MAYBE;
		/* evt.type reads execve; a check that names execveat may hold for one */
		if (names_execveat(n))
			return T_MAYBE;
		return cnode_eval(n, ev) ? T_TRUE : T_FALSE;
	}
}

bool cnode_can_match_exec(const struct cnode *n)
{
	static struct exec_event ev; /* evt.type is all a decided check reads */

	return n && eval(n, &ev) != T_FALSE;
}
