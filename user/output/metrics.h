/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Prometheus text exposition (format 0.0.4) of the daemon's counters, and a
 * small HTTP server thread that serves /metrics and /healthz. The server
 * never reads daemon state itself: it asks a callback for a snapshot, which
 * the daemon fills under its own lock.
 */
#ifndef SS_METRICS_H
#define SS_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "output/sink.h"
#include "lib/error.h"

#define METRICS_DEFAULT_ADDR "127.0.0.1:9376"
#define METRICS_MAX_RULES 256
#define METRICS_HEALTH_MAX_POLL_AGE_S 10

struct metrics_rule {
	char name[128];
	char priority[16]; /* priority_name() */
	uint64_t alerts;
	uint64_t suppressed; /* refused by the rate limit */
};

struct metrics_build {
	char version[32];
	char commit[48];
	char kernel[65]; /* uname -r */
	char hook[48];	 /* loader_hook_name() */
};

struct metrics_snapshot {
	struct metrics_build build; /* shellsentry_build_info's labels */
	bool attached;		    /* BPF programs attached */
	uint64_t last_poll_ns;	    /* CLOCK_MONOTONIC of the last ring buffer poll; 0 = never */
	uint64_t execs_seen;	    /* BPF counters */
	uint64_t events;
	uint64_t drops; /* ring buffer reservation failures */
	uint64_t truncations;
	/* executable identity (issue 14): kernel counters, then the judge's */
	uint64_t exe_sightings, exe_pending_hits, exe_shell_hits, exe_rejected_hits, exe_limited;
	uint64_t exe_judged, exe_judged_shells, exe_changed, exe_gone, exe_refused;
	uint64_t decode_errors; /* ring-buffer records that did not decode */
	uint64_t rule_errors;	/* matched alerts that could not be rendered */
	uint64_t rules_loaded;
	bool last_reload_ok;
	uint64_t last_reload_time; /* unix seconds; 0 = never */
	struct sink_stats sinks;
	size_t n_rules; /* <= METRICS_MAX_RULES */
	struct metrics_rule rules[METRICS_MAX_RULES];
};

/*
 * Renders s into buf (NUL-terminated). Returns the length, or -ENOSPC when
 * buf is too small (256 KiB always holds METRICS_MAX_RULES rules).
 */
int metrics_render(const struct metrics_snapshot *s, uint64_t now_ns, char *buf, size_t len);

/* Healthy when attached and the ring buffer was polled in the last max_age_s. */
bool metrics_healthy(const struct metrics_snapshot *s, uint64_t now_ns, unsigned max_age_s,
		     char *why, size_t len);

/* "127.0.0.1:9376", "0.0.0.0:9376", "[::1]:9376" (literals only; port 0 = any). */
int metrics_parse_addr(const char *addr, struct sockaddr_storage *ss, socklen_t *sslen);

/* Fills out; called from the server thread. Non-zero return -> HTTP 500. */
typedef int (*metrics_snapshot_fn)(void *ctx, struct metrics_snapshot *out);

struct metrics_server;
int metrics_server_start(const char *addr, unsigned max_poll_age_s, metrics_snapshot_fn fn,
			 void *ctx, struct metrics_server **out, struct ss_error *err);
int metrics_server_port(const struct metrics_server *m);
void metrics_server_stop(struct metrics_server *m);

#endif /* SS_METRICS_H */
