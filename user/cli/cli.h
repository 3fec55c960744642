/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The daemon's command line: the config file first (--config FILE, or the
 * default when it exists), then the options in order, both through the
 * option table (cli/opt_table.c). Pure but for reading the config file:
 * tests parse argument vectors directly.
 */
#ifndef SS_CLI_H
#define SS_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "cli/opt_table.h"
#include "daemon/daemon.h"
#include "lib/error.h"

enum exit_code {
	EXIT_OK = 0,
	EXIT_RUNTIME = 1, /* failed while running (BPF, rules at start, sinks) */
	EXIT_USAGE = 2,	  /* bad option or argument */
};

/*
 * Fill o (after daemon_options_defaults()) from argv; *action says what
 * was asked besides running (--validate, --list-fields, --help; the last one
 * --help over --list-fields over --validate). 0, or a negative errno with one line in err:
 * "--format: 'x' is not json or text", "FILE:LINE:COL: key: ..." for the config file.
 */
int cli_parse(int argc, char **argv, struct daemon_options *o, enum opt_action *action,
	      struct ss_error *err);

/* The daemon's usage, from the option table. */
void cli_usage(FILE *f);

/* A subcommand: bpftool's struct cmd. */
struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv); /* argv[0] is the subcommand's name */
};

/*
 * Run the subcommand argv[1] names from cmds (ending with a NULL name), or
 * dflt with the whole argv when argv[1] names none: the process's exit code.
 */
int cmd_select(const struct cmd *cmds, int (*dflt)(int argc, char **argv), int argc, char **argv);

/* The daemon's own command: options, then --help, --list-fields, --validate or the detector. */
int cli_daemon_main(int argc, char **argv);

#endif /* SS_CLI_H */
