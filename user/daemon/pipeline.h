/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * One ring-buffer record through the stages: decode -> context -> rules ->
 * rate limit -> render -> sinks (and the reporter). The daemon's event loop
 * feeds it; it owns no thread and no file descriptor, so a test drives it
 * with real rules, a real enricher and real sinks.
 */
#ifndef SS_PIPELINE_H
#define SS_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "context/enrich.h"
#include "context/exe_judge.h"
#include "output/alert_render.h"
#include "output/metrics.h"
#include "output/ratelimit.h"
#include "output/sink.h"
#include "report/report.h"
#include "rules/rules.h"

#define PIPELINE_MAX_MATCHES 32

/* Per-rule counts for metrics; names are copied, rulesets come and go on reload. */
struct pipeline_rule_count {
	char name[128];
	enum priority priority;
	uint64_t alerts;
	uint64_t suppressed;
};

struct pipeline_counters {
	uint64_t decode_errors; /* records that did not decode */
	uint64_t rule_errors;	/* alerts a rule matched but that could not be rendered */
	uint64_t cgroups_gone;	/* container cgroups removed: cache entries dropped */
	uint64_t alerts;
	uint64_t suppressed;	   /* refused by the rate limit */
	uint64_t session_commands; /* execs of session members seen */
	uint64_t session_ends;	   /* session end records seen */
	/* first sightings the judge could not take: rules saw them unjudged */
	uint64_t judge_refused;
};

struct pipeline {
	/* set by the owner; borrowed, not freed */
	const char *hostname;
	int64_t boot_to_wall; /* CLOCK_REALTIME - CLOCK_BOOTTIME, refreshed by the owner */
	const struct ruleset *rules;
	struct enricher *enr;
	struct ratelimit *rl; /* NULL: no limit */
	struct sinks *sinks;
	struct reporter *reporter;	  /* NULL: no reports */
	enum rule_matching rule_matching; /* first: one alert per exec, as Falco's default */
	struct exe_judge *judge;	  /* NULL: first sightings are not judged */
	bool verbose;

	/* owned */
	struct exec_event *ev;
	struct alert_renderer render;
	struct pipeline_rule_count counts[METRICS_MAX_RULES];
	size_t n_counts;
	struct pipeline_counters c;
};

/* Allocates the event and the renderer (only the forms some sink uses). 0 or -ENOMEM. */
int pipeline_init(struct pipeline *p, bool need_json, bool need_text);
void pipeline_free(struct pipeline *p);

/*
 * A loader_event_fn: one record (ctx is the pipeline). Always 0: a bad record is counted.
 * A first sighting of a file (SS_F_EXE_SIGHTING) is enriched at once, while
 * the process lives, and handed to the judge; its rules run when it comes back.
 */
int pipeline_record(void *ctx, const void *data, size_t len);

/* Every judged first sighting waiting: its verdict applied, then rules, alerts. */
void pipeline_judged(struct pipeline *p);

/* The pipeline's counters into a metrics snapshot (decode errors, rule errors, per-rule counts). */
void pipeline_snapshot(const struct pipeline *p, struct metrics_snapshot *m);

#endif /* SS_PIPELINE_H */
