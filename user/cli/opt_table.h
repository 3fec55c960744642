/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The one option/key table: every daemon setting once, with its command-line
 * option, its config-file key, where it lives in struct daemon_options, its
 * type, its bounds and checks, and its help text. The command line
 * (cli/cli.c), the config file (cli/config.c) and --help all read it, and
 * every value goes through opt_set(), so both ways in accept and refuse the
 * same values with the same reasons.
 */
#ifndef SS_OPT_TABLE_H
#define SS_OPT_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "daemon/daemon.h"
#include "lib/error.h"
#include "lib/names.h"

enum opt_kind {
	OPT_STR,
	OPT_BOOL,   /* config: true/false; command line: the flag sets .flag_value */
	OPT_UINT,   /* unsigned */
	OPT_SIZE,   /* size_t */
	OPT_LONG,   /* long */
	OPT_DOUBLE, /* finite, in [min, max] */
	OPT_ENUM,   /* an int enum named by .names */
	OPT_LIST,   /* char[cap][size] plus a size_t count: the command line appends, a config
		       replaces */
	OPT_MAP,    /* config only: a mapping of nested keys ("http") */
	OPT_ACTION, /* command line only: --validate, --list-fields, --config, --version, --help */
};

enum opt_check {
	OPT_CHECK_NONE,
	OPT_CHECK_URL,
	OPT_CHECK_HEADER,
	OPT_CHECK_ADDR,
	OPT_CHECK_SESSION_START,
};

/* Ordered: when several are given, the highest wins (--config is no request). */
enum opt_action {
	OPT_ACT_NONE,
	OPT_ACT_VALIDATE,
	OPT_ACT_LIST_FIELDS,
	OPT_ACT_VERSION,
	OPT_ACT_HELP,
	OPT_ACT_CONFIG
};

struct opt_def {
	const char *cli; /* long option without "--"; NULL: config file only */
	char short_name; /* 0: none */
	const char *key; /* dotted config key; NULL: command line only */
	enum opt_kind kind;
	size_t off, size;	      /* member; strings and lists: the entry's size */
	size_t cap;		      /* lists: entries */
	size_t count_off;	      /* lists: the count */
	double min, max;	      /* numbers */
	bool flag_value;	      /* OPT_BOOL on the command line */
	bool icase;		      /* OPT_ENUM: names read case-insensitively */
	const struct name_map *names; /* OPT_ENUM */
	const char *what;	      /* OPT_ENUM, OPT_DOUBLE: "a priority (...)" in errors */
	enum opt_check check;
	enum opt_action action;
	const char *section; /* --help: starts a section */
	const char *arg;     /* --help: the value's name */
	const char *help;
};

#define OPT_TABLE_MAX 64 /* entries, section headers included */

extern const struct opt_def opt_table[];
extern const size_t opt_count;

/* The entry with this long option / short option / config key, or NULL. */
const struct opt_def *opt_by_cli(const char *name);
const struct opt_def *opt_by_short(char c);
const struct opt_def *opt_by_key(const char *key);

/*
 * Set one value from its text: the same parsing, bounds and checks for the
 * command line and the config file. A list appends (-E2BIG when full).
 * On error o is unchanged and why->msg holds the reason, without the
 * option's name ("'x' is not json or text"). 0 or a negative errno.
 */
int opt_set(const struct opt_def *d, struct daemon_options *o, const char *value,
	    struct ss_error *why);

/* A command-line flag (OPT_BOOL): sets its .flag_value. */
void opt_set_flag(const struct opt_def *d, struct daemon_options *o);

/* A list's count, for a config file that replaces the list. */
size_t *opt_list_count(const struct opt_def *d, struct daemon_options *o);

/* The --help text for the daemon's options, from the table. */
void opt_print_help(FILE *f);

#endif /* SS_OPT_TABLE_H */
