/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The detector: BPF + ring buffer -> decode -> enrich -> rules -> sinks. */
#ifndef SS_DAEMON_H
#define SS_DAEMON_H

#include "cli/options.h"

/*
 * How a running daemon gets new rules: the caller re-reads its options as at
 * start (config file, then command line) when the config file or a rules file
 * changes (inotify) or on SIGHUP.
 */
struct daemon_hooks {
	/* Fills out; non-zero (after saying why on stderr) keeps the rules in force. */
	int (*reparse)(void *ctx, struct options *out);
	void *ctx;
	const char *config_path; /* the config file read at start; NULL: none */
};

/* Runs until SIGINT/SIGTERM; returns the process exit code. h may be NULL. */
int daemon_run(const struct options *o, const struct daemon_hooks *h);

/* Load the rules the options name into *out (for --validate and the daemon). */
int daemon_load_rules(const struct options *o, struct ruleset **out, FILE *warn);

#endif /* SS_DAEMON_H */
