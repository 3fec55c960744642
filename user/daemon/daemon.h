/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The detector: BPF + ring buffer -> decode -> enrich -> rules -> sinks. */
#ifndef SS_DAEMON_H
#define SS_DAEMON_H

#include <stdbool.h>
#include <stdio.h>

#include "kernel/loader.h"
#include "output/sink.h"
#include "rules/rules.h"

#define DAEMON_MAX_LIST 32 /* --rules, -D, --disable-tag values */

/*
 * What the daemon runs with: each stage's own options (the sinks' struct
 * sinks_options, the loader's hook and BTF, the rules selection) plus the
 * daemon's own. The command line and the config file fill it through one
 * table (cli/opt_table.c); no stage below includes the CLI.
 */
struct daemon_options {
	char hostname[256];
	struct sinks_options sinks;

	char rules[DAEMON_MAX_LIST][1024];
	size_t n_rules;
	char disabled_rules[DAEMON_MAX_LIST][256];
	size_t n_disabled_rules;
	char disabled_tags[DAEMON_MAX_LIST][128];
	size_t n_disabled_tags;
	enum priority min_priority;
	bool falco_compat;

	enum loader_hook hook;
	char btf_path[1024];
	unsigned ringbuf_kib;	 /* ring buffer size */
	unsigned exe_judge_rate; /* first sightings per second and CPU */
	bool verbose;

	char runtime_root[1024]; /* prefix for runtime state folders ("" = /) */
	char report_dir[1024];
	unsigned report_delay;		  /* seconds an incident stays open after its last alert */
	enum rule_matching rule_matching; /* Falco's rule_matching: first (default) or all */
	char metrics_addr[128];		  /* "127.0.0.1:9376"; "" = off */
	unsigned stats_interval;	  /* seconds; 0 = off */
	double rate_per_sec;		  /* per rule; 0 = unlimited */
	unsigned rate_burst;
	bool drop_privileges;

	/* shell sessions: which shells start one ("injected,tty,network" or "none"), caps */
	char session_start[64];
	unsigned session_max_commands; /* per session; 0 = no limit */
	unsigned session_rate;	       /* commands per second per session; 0 = no limit */
	unsigned session_max_members;  /* processes followed per session; 0 = no limit */
};

/*
 * Defaults: JSON to stdout, shipped rules, ring buffer 1 MiB, host name
 * from $NODE_NAME else the kernel's.
 */
void daemon_options_defaults(struct daemon_options *o);

/*
 * How a running daemon gets new rules: the caller re-reads its options as at
 * start (config file, then command line) when the config file or a rules file
 * changes (inotify) or on SIGHUP.
 */
struct daemon_hooks {
	/* Fills out; non-zero (after saying why on stderr) keeps the rules in force. */
	int (*reparse)(void *ctx, struct daemon_options *out);
	void *ctx;
	const char *config_path; /* the config file read at start; NULL: none */
};

/* Runs until SIGINT/SIGTERM; returns the process exit code. h may be NULL. */
int daemon_run(const struct daemon_options *o, const struct daemon_hooks *h);

/* Load the rules the options name into *out (for --validate and the daemon). */
int daemon_load_rules(const struct daemon_options *o, struct ruleset **out, FILE *warn);

#endif /* SS_DAEMON_H */
