/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The one command-line tokenizer, for the daemon's options, `analyze` and
 * `compare`: "--name value", "--name=value", "-x value", "-xvalue", "-vx" (flags), "--" (the
 * rest is positional) and "-" (stdin, positional). No abbreviations and no
 * permutation surprises: options and positional arguments come in order.
 * Re-entrant: no global state, so tests parse as often as they like.
 */
#ifndef SS_ARGS_H
#define SS_ARGS_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/error.h"

enum { ARGS_END = -1, ARGS_POSITIONAL = -2, ARGS_ERROR = -3 };

/* A small command's options: { name, short, has_value, id }, ending with a NULL name. */
struct arg_spec {
	const char *name; /* long option without "--" */
	char short_name;  /* 0: none */
	bool has_value;
	int id; /* >= 0 */
};

/*
 * Finds an option by long name (short_name 0) or short name (name NULL):
 * its id (>= 0) and whether it takes a value; -1 when there is none.
 */
typedef int (*args_lookup_fn)(const void *ctx, const char *name, size_t name_len, char short_name,
			      bool *has_value);

/* The lookup for a struct arg_spec array (ctx). */
int args_spec_lookup(const void *ctx, const char *name, size_t name_len, char short_name,
		     bool *has_value);

struct args {
	int argc;
	char **argv; /* argv[0] is the command's name, not parsed */
	int i;
	bool only_positional; /* after "--" */
	const char *cluster;  /* the rest of "-vx" after -v, read as more short options */
	char opt[64];	      /* the current option as written, for messages */
};

void args_init(struct args *a, int argc, char **argv);

/*
 * The next option's id with its value (NULL for a flag), ARGS_POSITIONAL
 * with the argument in *value, ARGS_END, or ARGS_ERROR with the reason in
 * err->msg: "unknown option '--x'", "option --x needs a value", "option --x takes
 * no value".
 */
int args_next(struct args *a, args_lookup_fn lookup, const void *ctx, const char **value,
	      struct ss_error *err);

#endif /* SS_ARGS_H */
