// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <stdio.h>
#include <string.h>

#include "lib/args.h"

int args_spec_lookup(const void *ctx, const char *name, size_t name_len, char short_name,
		     bool *has_value)
{
	const struct arg_spec *s;

	for (s = ctx; s->name; s++) {
		if (name ? strlen(s->name) == name_len && !memcmp(s->name, name, name_len)
			 : short_name && s->short_name == short_name) {
			*has_value = s->has_value;
			return s->id;
		}
	}
	return -1;
}

void args_init(struct args *a, int argc, char **argv)
{
	memset(a, 0, sizeof(*a));
	a->argc = argc;
	a->argv = argv;
	a->i = 1;
}

int args_next(struct args *a, args_lookup_fn lookup, const void *ctx, const char **value,
	      struct ss_error *err)
{
	const char *arg, *eq, *inline_value = NULL;
	bool has_value = false;
	int id;

	*value = NULL;
	if (a->cluster) {
		arg = a->cluster - 1; /* points at the '-' or previous flag letter */
		a->cluster = NULL;
		goto short_option;
	}
	if (a->i >= a->argc)
		return ARGS_END;
	arg = a->argv[a->i++];
	if (a->only_positional || arg[0] != '-' || !arg[1]) {
		*value = arg;
		return ARGS_POSITIONAL;
	}
	if (!strcmp(arg, "--")) {
		a->only_positional = true;
		return args_next(a, lookup, ctx, value, err);
	}
	if (arg[1] == '-') {
		eq = strchr(arg + 2, '=');
		snprintf(a->opt, sizeof(a->opt), "%.*s", eq ? (int)(eq - arg) : 60, arg);
		id = lookup(ctx, arg + 2, eq ? (size_t)(eq - arg - 2) : strlen(arg + 2), 0,
			    &has_value);
		if (eq)
			inline_value = eq + 1;
	} else {
	short_option:
		snprintf(a->opt, sizeof(a->opt), "-%c", arg[1]);
		id = lookup(ctx, NULL, 0, arg[1], &has_value);
		if (arg[2] && id >= 0 && !has_value)
			a->cluster = arg + 2;
		else if (arg[2])
			inline_value = arg + 2;
	}
	if (id < 0) {
		ss_error_set(err, 0, "unknown option '%s'", a->opt);
		return ARGS_ERROR;
	}
	if (!has_value && inline_value) {
		ss_error_set(err, 0, "option %s takes no value", a->opt);
		return ARGS_ERROR;
	}
	if (has_value && !inline_value) {
		if (a->i >= a->argc) {
			ss_error_set(err, 0, "option %s needs a value", a->opt);
			return ARGS_ERROR;
		}
		inline_value = a->argv[a->i++];
	}
	*value = inline_value;
	return id;
}
