/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The detector: BPF + ring buffer -> decode -> enrich -> rules -> sinks. */
#ifndef SS_DAEMON_H
#define SS_DAEMON_H

#include "cli/options.h"

/* Runs until SIGINT/SIGTERM; returns the process exit code. */
int daemon_run(const struct options *o);

/* Load the rules the options name into *out (for --validate and the daemon). */
int daemon_load_rules(const struct options *o, struct ruleset **out, FILE *warn);

/* Default rules file: next to the binary's tree, then /etc/shellsentry. */
void default_rules_path(char *buf, size_t len);

/* The report knowledge base shipped next to the default rules. */
void default_kb_path(char *buf, size_t len);

#endif /* SS_DAEMON_H */
