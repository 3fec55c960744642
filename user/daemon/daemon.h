/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The detector: BPF + ring buffer -> decode -> enrich -> rules -> sinks. */
#ifndef SS_DAEMON_H
#define SS_DAEMON_H

#include "cli/options.h"

/* Runs until SIGINT/SIGTERM; returns the process exit code. */
int daemon_run(const struct options *o);

/* Load the rules the options name into *out (for --validate and the daemon). */
int daemon_load_rules(const struct options *o, struct ruleset **out, FILE *warn);

#endif /* SS_DAEMON_H */
