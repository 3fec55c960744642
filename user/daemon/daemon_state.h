/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The daemon's state, shared by its loop (daemon.c), what it says about
 * itself (stats.c: counters, drops, sinks, the metrics snapshot) and the
 * rules in force (reload.c). Private to user/daemon/.
 */
#ifndef SS_DAEMON_STATE_H
#define SS_DAEMON_STATE_H

#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "context/enrich.h"
#include "context/exe_judge.h"
#include "daemon/daemon.h"
#include "daemon/pipeline.h"
#include "daemon/watch.h"
#include "kernel/loader.h"
#include "output/metrics.h"
#include "output/ratelimit.h"
#include "output/sink.h"
#include "report/report.h"
#include "rules/rules.h"

/* What the reader did: how often it was woken, what it read, what the safety net found. */
struct reader_stats {
	uint64_t wakeups;     /* the rings said readable */
	uint64_t paced_reads; /* reads on the pacing timer (records streaming in) */
	uint64_t records;
	uint64_t safety_reads;
	uint64_t late_records; /* found by a safety read: no wakeup came for them */
};

struct daemon {
	const struct daemon_options *o;
	const struct daemon_hooks *hooks;
	struct daemon_options *ro; /* the options of the rules in force (o at start) */
	struct watch *watch;
	uint64_t reload_at; /* CLOCK_MONOTONIC ns of a pending reload; 0 = none */
	char reload_why[PATH_MAX + 16];
	struct loader *ld;
	struct ruleset *rules;
	struct sinks *sinks;
	struct ratelimit *rl;
	struct enricher *enr;
	struct reporter *reporter;
	struct metrics_server *metrics;
	struct exe_judge *judge;
	struct pipeline pipe;
	/*
	 * The metrics thread reads snap under lock. It asks the loop for a fresh
	 * one through refresh_fd and waits on snap_cond for snap_gen to move: no
	 * refresh while nobody asks.
	 */
	pthread_mutex_t lock;
	pthread_cond_t snap_cond; /* CLOCK_MONOTONIC */
	struct metrics_snapshot *snap;
	uint64_t snap_gen;
	int refresh_fd;
	/* the loop's deadlines, CLOCK_MONOTONIC ns; 0 = none */
	uint64_t check_at; /* check_drops() and check_sinks() */
	uint64_t stats_at; /* --stats-interval */
	uint64_t last_check;
	uint64_t last_read; /* the rings' last read */
	struct reader_stats rd;
	bool last_reload_ok;
	uint64_t seen_sink_failures, seen_http_dropped, seen_http_failed;
	size_t seen_reports_dropped;
	uint64_t last_reload_time;
	uint64_t last_drops;
	bool sessions; /* shell sessions on in the kernel */
	uint64_t last_session_drops;
};

/* stats.c */
void daemon_print_counters(struct daemon *d, const char *when);
void daemon_check_drops(struct daemon *d);
/* true while the webhook holds alerts: its thread may still fail them */
bool daemon_check_sinks(struct daemon *d);
void daemon_refresh_snapshot(struct daemon *d, uint64_t now_mono);
int daemon_metrics_snapshot_cb(void *ctx, struct metrics_snapshot *out);

/* reload.c */
int daemon_sessions_apply(struct daemon *d);
void daemon_arm_watch(struct daemon *d);
void daemon_reload(struct daemon *d, const char *why);

#endif /* SS_DAEMON_STATE_H */
