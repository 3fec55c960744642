/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Daemon options: set from the config file first, then the command line.
 * The only process-wide state besides what main() owns.
 */
#ifndef SS_OPTIONS_H
#define SS_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "rules/rules.h"

#define OPT_MAX_LIST 32

enum output_format { FMT_JSON = 0, FMT_TEXT };
enum hook_choice { HOOK_AUTO = 0, HOOK_TP_BTF, HOOK_TRACEPOINT };

struct http_sink_options {
	char url[1024];
	char headers[8][256]; /* "Name: value" */
	size_t n_headers;
	long timeout_ms;
	bool insecure; /* skip TLS verification */
	char ca_file[256];
	size_t queue_max; /* alerts held while the endpoint is down */
};

struct options {
	char hostname[256];
	enum output_format format;
	char output_file[1024]; /* "" = stdout only */
	bool stdout_enabled;
	bool syslog_enabled;
	struct http_sink_options http;

	char rules[OPT_MAX_LIST][1024];
	size_t n_rules;
	char disabled_rules[OPT_MAX_LIST][256];
	size_t n_disabled_rules;
	char disabled_tags[OPT_MAX_LIST][128];
	size_t n_disabled_tags;
	enum priority min_priority;
	bool falco_compat;

	enum hook_choice hook;
	char btf_path[1024];
	unsigned ringbuf_kib; /* ring buffer size */
	bool verbose;

	char runtime_root[1024]; /* prefix for runtime state folders ("" = /) */
	char report_dir[1024];
	char metrics_addr[128]; /* "127.0.0.1:9376"; "" = off */
	unsigned stats_interval; /* seconds; 0 = off */
	double rate_per_sec; /* per rule; 0 = unlimited */
	unsigned rate_burst;
	bool drop_privileges;
};

/* Defaults: JSON to stdout, shipped rules, ring buffer 1 MiB. */
void options_defaults(struct options *o);

#endif /* SS_OPTIONS_H */
