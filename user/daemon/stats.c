// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * What the daemon says about itself: counters on stderr, drops and failing
 * sinks as soon as they are seen, and the snapshot the metrics server serves.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "lib/clock.h"
#include "daemon/daemon_state.h"
#include "lib/version.h"

/* How long a metrics request waits for the loop to refresh the snapshot. */
#define METRICS_REFRESH_WAIT_MS 250

void daemon_print_counters(struct daemon *d, const char *when)
{
	uint64_t c[SS_CNT_MAX] = {0};
	struct exe_judge_stats js = {0};

	loader_read_counters(d->ld, c);
	if (d->judge)
		exe_judge_get_stats(d->judge, &js);
	fprintf(stderr,
		"shellsentry: %s: execs=%" PRIu64 " container_execs=%" PRIu64 " events=%" PRIu64
		" alerts=%" PRIu64 " drops=%" PRIu64 " truncated=%" PRIu64 " decode_errors=%" PRIu64
		" rate_limited=%" PRIu64 " cgroups_gone=%" PRIu64 " sessions=%" PRIu64
		" session_commands=%" PRIu64 " session_capped=%" PRIu64 " session_drops=%" PRIu64
		" session_untracked=%" PRIu64 " session_ends=%" PRIu64 "\n",
		when, c[SS_CNT_EXECS], c[SS_CNT_CONTAINER], c[SS_CNT_EMITTED], d->pipe.c.alerts,
		c[SS_CNT_DROPS], c[SS_CNT_TRUNCATED], d->pipe.c.decode_errors, d->pipe.c.suppressed,
		d->pipe.c.cgroups_gone, c[SS_CNT_SESSIONS], d->pipe.c.session_commands,
		c[SS_CNT_SESSION_CAPPED], c[SS_CNT_SESSION_DROPS], c[SS_CNT_SESSION_UNTRACKED],
		d->pipe.c.session_ends);
	fprintf(stderr,
		"shellsentry: identity (%s): sightings=%" PRIu64 " pending_hits=%" PRIu64
		" shell_hits=%" PRIu64 " rejected_hits=%" PRIu64 " limited=%" PRIu64
		" judged=%" PRIu64 " judged_shells=%" PRIu64 " changed=%" PRIu64 " gone=%" PRIu64
		" failed=%" PRIu64 " refused=%" PRIu64 " by_handle=%" PRIu64 " by_proc=%" PRIu64
		" by_search=%" PRIu64 " followers=%" PRIu64 "\n",
		when, c[SS_CNT_ID_SIGHTINGS], c[SS_CNT_ID_PENDING], c[SS_CNT_ID_SHELL],
		c[SS_CNT_ID_REJECTED], c[SS_CNT_ID_LIMITED], js.judged, js.shells, js.changed,
		js.gone, js.failed, js.refused, js.by_handle, js.by_proc, js.by_search,
		js.followers);
	fprintf(stderr,
		"shellsentry: reader (%s): wakeups=%" PRIu64 " paced_reads=%" PRIu64
		" records=%" PRIu64 " safety_reads=%" PRIu64 " late_records=%" PRIu64 "\n",
		when, d->rd.wakeups, d->rd.paced_reads, d->rd.records, d->rd.safety_reads,
		d->rd.late_records);
}

/* Drops are never silent: report them as soon as they are seen. */
void daemon_check_drops(struct daemon *d)
{
	uint64_t c[SS_CNT_MAX] = {0};

	if (loader_read_counters(d->ld, c))
		return;
	if (c[SS_CNT_DROPS] > d->last_drops) {
		fprintf(stderr,
			"shellsentry: %" PRIu64 " events dropped: ring buffer full (%" PRIu64
			" in total); consider --ringbuf-kib\n",
			c[SS_CNT_DROPS] - d->last_drops, c[SS_CNT_DROPS]);
		d->last_drops = c[SS_CNT_DROPS];
	}
	if (c[SS_CNT_SESSION_DROPS] > d->last_session_drops) {
		fprintf(stderr,
			"shellsentry: %" PRIu64
			" session commands dropped: session ring full (%" PRIu64 " in total)\n",
			c[SS_CNT_SESSION_DROPS] - d->last_session_drops, c[SS_CNT_SESSION_DROPS]);
		d->last_session_drops = c[SS_CNT_SESSION_DROPS];
	}
}

static void build_info(const struct daemon *d, struct metrics_build *b)
{
	struct utsname u;

	snprintf(b->version, sizeof(b->version), "%s", ss_version());
	snprintf(b->commit, sizeof(b->commit), "%s", ss_commit());
	snprintf(b->kernel, sizeof(b->kernel), "%s", uname(&u) ? "unknown" : u.release);
	snprintf(b->hook, sizeof(b->hook), "%s", loader_hook_name(d->ld));
}

void daemon_refresh_snapshot(struct daemon *d, uint64_t now_mono)
{
	uint64_t c[SS_CNT_MAX] = {0};
	struct metrics_snapshot *m = d->snap;
	struct rules_summary rs;

	if (!m)
		return;
	loader_read_counters(d->ld, c);
	ruleset_get_summary(d->rules, &rs);
	pthread_mutex_lock(&d->lock);
	build_info(d, &m->build);
	m->attached = true;
	m->last_poll_ns = now_mono;
	d->snap_gen++;
	m->execs_seen = c[SS_CNT_EXECS];
	m->events = c[SS_CNT_EMITTED];
	m->drops = c[SS_CNT_DROPS];
	m->truncations = c[SS_CNT_TRUNCATED];
	m->exe_sightings = c[SS_CNT_ID_SIGHTINGS];
	m->exe_pending_hits = c[SS_CNT_ID_PENDING];
	m->exe_shell_hits = c[SS_CNT_ID_SHELL];
	m->exe_rejected_hits = c[SS_CNT_ID_REJECTED];
	m->exe_limited = c[SS_CNT_ID_LIMITED];
	if (d->judge) {
		struct exe_judge_stats js;

		exe_judge_get_stats(d->judge, &js);
		m->exe_judged = js.judged;
		m->exe_judged_shells = js.shells;
		m->exe_changed = js.changed;
		m->exe_gone = js.gone;
		m->exe_refused = js.refused;
	}
	m->rules_loaded = rs.rules;
	m->last_reload_ok = d->last_reload_ok;
	m->last_reload_time = d->last_reload_time;
	sinks_get_stats(d->sinks, &m->sinks);
	pipeline_snapshot(&d->pipe, m);
	pthread_cond_broadcast(&d->snap_cond);
	pthread_mutex_unlock(&d->lock);
}

/*
 * Server thread: the loop refreshes the snapshot when asked, so an idle
 * daemon does no work for metrics nobody reads. A loop that does not answer
 * in time leaves the snapshot as it was: its last_poll_ns ages and /healthz
 * says so.
 */
int daemon_metrics_snapshot_cb(void *ctx, struct metrics_snapshot *out)
{
	struct daemon *d = ctx;
	struct timespec until = clock_mono_after_ms(METRICS_REFRESH_WAIT_MS);
	uint64_t one = 1, gen;
	bool asked;

	pthread_mutex_lock(&d->lock);
	gen = d->snap_gen;
	pthread_mutex_unlock(&d->lock);
	asked = write(d->refresh_fd, &one, sizeof(one)) == sizeof(one);
	pthread_mutex_lock(&d->lock);
	while (asked && d->snap_gen == gen)
		if (pthread_cond_timedwait(&d->snap_cond, &d->lock, &until) == ETIMEDOUT)
			break;
	*out = *d->snap;
	pthread_mutex_unlock(&d->lock);
	return 0;
}

/*
 * Failing sinks and report writes do not stop detection, but they are said
 * on stderr when their counts grow (at most once a second), never silently.
 * True while the webhook holds alerts: its thread may still fail them.
 */
bool daemon_check_sinks(struct daemon *d)
{
	struct sink_stats ss;

	sinks_get_stats(d->sinks, &ss);
	if (ss.failures > d->seen_sink_failures)
		fprintf(stderr,
			"shellsentry: %" PRIu64 " alert writes failed (stdout, file or syslog)\n",
			ss.failures - d->seen_sink_failures);
	if (ss.http_dropped > d->seen_http_dropped)
		fprintf(stderr,
			"shellsentry: webhook: %" PRIu64 " alerts dropped (%" PRIu64
			" queued, %" PRIu64 " failed attempts so far)\n",
			ss.http_dropped - d->seen_http_dropped, ss.http_queue_depth,
			ss.http_failed);
	else if (ss.http_failed > d->seen_http_failed && ss.http_queue_depth)
		fprintf(stderr,
			"shellsentry: webhook: delivery failing, %" PRIu64 " alerts queued\n",
			ss.http_queue_depth);
	d->seen_sink_failures = ss.failures;
	d->seen_http_dropped = ss.http_dropped;
	d->seen_http_failed = ss.http_failed;
	if (d->reporter) {
		struct reporter_stats rs;

		reporter_get_stats(d->reporter, &rs);
		if (rs.dropped > d->seen_reports_dropped)
			fprintf(stderr, "shellsentry: %zu incident reports not written: %s\n",
				rs.dropped - d->seen_reports_dropped,
				rs.last_error ? strerror(-rs.last_error) : "report limit reached");
		d->seen_reports_dropped = rs.dropped;
	}
	return ss.http_queue_depth > 0;
}
