// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "output/alert_render.h"
#include "daemon/daemon.h"
#include "daemon/deadline.h"
#include "context/enrich.h"
#include "context/exe_judge.h"
#include "daemon/pipeline.h"
#include "daemon/prefilter.h"
#include "kernel/event_decode.h"
#include "kernel/loader.h"
#include "lib/paths.h"
#include "lib/version.h"
#include "output/metrics.h"
#include "daemon/privdrop.h"
#include "daemon/watch.h"
#include "event/session.h"
#include "report/report.h"
#include "output/ratelimit.h"
#include "rules/rules.h"
#include "output/sink.h"

/* Files of one update (a ConfigMap swap, an editor's save) arrive together. */
#define RELOAD_SETTLE_MS 300
#define ENRICH_CACHE_MAX 4096 /* containers remembered */
/*
 * First sightings waiting for, or back from, the judge: each holds its event
 * (~45 KiB), so at most ~11 MiB under a burst; a full queue refuses (counted).
 */
#define JUDGE_QUEUE_MAX 256
#define JUDGE_DRAIN_MS 1000 /* at exit, how long judged sightings are waited for */
#define NS_PER_S 1000000000ULL
/* Drops and failing sinks are said at most once this often, and only after activity. */
#define CHECK_INTERVAL_NS NS_PER_S
/*
 * The rings wake the reader for their records (bpf/submit.bpf.h,
 * kernel/loader.c): this read is a safety net that should find nothing.
 * What it finds is counted (late_records) and said on stderr.
 */
#define RING_SAFETY_NS (60 * NS_PER_S)
/* How long a metrics request waits for the loop to refresh the snapshot. */
#define METRICS_REFRESH_WAIT_MS 250

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

static uint64_t now_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

int daemon_load_rules(const struct daemon_options *o, struct ruleset **out, FILE *warn)
{
	const char *paths[DAEMON_MAX_LIST + 2], *dis[DAEMON_MAX_LIST], *tags[DAEMON_MAX_LIST];
	struct rules_options ro = {
		.falco_compat = o->falco_compat,
		.min_priority = o->min_priority,
		.disabled_rules = dis,
		.n_disabled_rules = o->n_disabled_rules,
		.disabled_tags = tags,
		.n_disabled_tags = o->n_disabled_tags,
	};
	struct ss_error err = {0};
	char dir[PATH_MAX], def[PATH_MAX + 64], evasion[PATH_MAX + 64];
	size_t n = 0;
	int ret;

	for (size_t i = 0; i < o->n_disabled_rules; i++)
		dis[i] = o->disabled_rules[i];
	for (size_t i = 0; i < o->n_disabled_tags; i++)
		tags[i] = o->disabled_tags[i];
	if (!o->n_rules) {
		paths_data_dir(NULL, dir, sizeof(dir));
		snprintf(def, sizeof(def), "%s/%s", dir, PATHS_RULES_FILE);
		/*
		 * The evasion rules ship beside the default rules and load first, as
		 * loading their folder does (name order): under rule_matching first a
		 * drifted or fileless shell must raise its own, more severe rule.
		 */
		snprintf(evasion, sizeof(evasion), "%s/%s", dir, PATHS_EVASION_RULES_FILE);
		if (!access(evasion, R_OK))
			paths[n++] = evasion;
		paths[n++] = def;
	}
	for (size_t i = 0; i < o->n_rules; i++)
		paths[n++] = o->rules[i];
	ret = ruleset_load(paths, n, &ro, out, &err, warn);
	if (ret)
		ss_error_print(stderr, "shellsentry", &err);
	return ret;
}

static void print_counters(struct daemon *d, const char *when)
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
static void check_drops(struct daemon *d)
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

static void refresh_snapshot(struct daemon *d, uint64_t now_mono)
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

static struct timespec mono_after_ms(long ms)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	t.tv_sec += ms / 1000;
	t.tv_nsec += (ms % 1000) * 1000000L;
	if (t.tv_nsec >= 1000000000L) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000L;
	}
	return t;
}

/*
 * Server thread: the loop refreshes the snapshot when asked, so an idle
 * daemon does no work for metrics nobody reads. A loop that does not answer
 * in time leaves the snapshot as it was: its last_poll_ns ages and /healthz
 * says so.
 */
static int metrics_snapshot_cb(void *ctx, struct metrics_snapshot *out)
{
	struct daemon *d = ctx;
	struct timespec until = mono_after_ms(METRICS_REFRESH_WAIT_MS);
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
static bool check_sinks(struct daemon *d)
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

/*
 * Shell sessions in the kernel, as the options say; without the fork/exit
 * hooks they are off, with the reason, and detection goes on.
 */
static int sessions_apply(struct daemon *d)
{
	struct loader_sessions ls = {
		.max_commands = d->o->session_max_commands,
		.rate = d->o->session_rate,
		.max_members = d->o->session_max_members,
	};
	const char *why = NULL;
	struct ss_error err;
	int ret;

	ret = session_reasons_parse(d->o->session_start, &ls.start_flags, &err);
	if (ret)
		return ret;
	if (ls.start_flags && !loader_sessions_supported(d->ld, &why)) {
		fprintf(stderr,
			"shellsentry: warning: shell sessions off: %s (they need the "
			"sched_process_fork and sched_process_exit tracepoints)\n",
			why);
		ls.start_flags = 0;
	}
	d->sessions = ls.start_flags != 0;
	return loader_set_sessions(d->ld, &ls);
}

/* Watches the config file and the rules in force; a failure leaves SIGHUP. */
static void arm_watch(struct daemon *d)
{
	const char *paths[DAEMON_MAX_LIST + 1];
	char data[PATH_MAX], err[PATH_MAX + 64];
	size_t n = 0;

	if (!d->watch)
		return;
	if (d->hooks && d->hooks->config_path)
		paths[n++] = d->hooks->config_path;
	if (!d->ro->n_rules) {
		paths_data_dir(NULL, data, sizeof(data));
		paths[n++] = data;
	}
	for (size_t i = 0; i < d->ro->n_rules; i++)
		paths[n++] = d->ro->rules[i];
	if (watch_set(d->watch, paths, n, err, sizeof(err)))
		fprintf(stderr, "shellsentry: warning: %s: changes need SIGHUP\n", err);
}

/* Whether settings other than the rules' differ (they apply at the next start). */
static bool other_settings_differ(const struct daemon_options *a, const struct daemon_options *b)
{
	struct daemon_options *t = malloc(sizeof(*t));
	bool differ;

	if (!t)
		return false;
	memcpy(t, a, sizeof(*t));
	memcpy(t->rules, b->rules, sizeof(t->rules));
	t->n_rules = b->n_rules;
	memcpy(t->disabled_rules, b->disabled_rules, sizeof(t->disabled_rules));
	t->n_disabled_rules = b->n_disabled_rules;
	memcpy(t->disabled_tags, b->disabled_tags, sizeof(t->disabled_tags));
	t->n_disabled_tags = b->n_disabled_tags;
	t->min_priority = b->min_priority;
	t->falco_compat = b->falco_compat;
	differ = memcmp(t, b, sizeof(*t)) != 0;
	free(t);
	return differ;
}

/*
 * New rules from the options as they now read, all or nothing: a config or
 * rules file that does not load, or a kernel filter that cannot be filled,
 * keeps the rules in force. Every reload and its result is logged.
 */
static void reload(struct daemon *d, const char *why)
{
	struct ruleset *rs = NULL;
	struct rules_summary s;
	struct daemon_options *n;

	fprintf(stderr, "shellsentry: reloading the rules (%s)\n", why);
	d->last_reload_time = (uint64_t)time(NULL);
	d->last_reload_ok = false;
	n = malloc(sizeof(*n));
	if (!n) {
		fprintf(stderr, "shellsentry: reload failed: out of memory, "
				"the previous rules stay active\n");
		return;
	}
	if (d->hooks && d->hooks->reparse) {
		if (d->hooks->reparse(d->hooks->ctx, n)) {
			fprintf(stderr, "shellsentry: reload failed: invalid configuration, "
					"the previous rules stay active\n");
			goto out;
		}
	} else {
		memcpy(n, d->ro, sizeof(*n));
	}
	if (daemon_load_rules(n, &rs, stderr)) {
		fprintf(stderr, "shellsentry: reload failed, the previous rules stay active\n");
		goto out;
	}
	if (kernel_filter_apply(d->ld, rs, d->sessions, d->o->verbose ? stderr : NULL)) {
		fprintf(stderr, "shellsentry: reload failed: cannot update the kernel filter, "
				"the previous rules stay active\n");
		kernel_filter_apply(d->ld, d->rules, d->sessions, NULL);
		ruleset_free(rs);
		goto out;
	}
	if (other_settings_differ(d->ro, n))
		fprintf(stderr, "shellsentry: warning: settings other than the rules changed: "
				"they apply at the next start\n");
	ruleset_free(d->rules);
	d->rules = rs;
	d->pipe.rules = rs;
	d->last_reload_ok = true;
	free(d->ro);
	d->ro = n;
	n = NULL;
	ruleset_get_summary(rs, &s);
	fprintf(stderr, "shellsentry: rules reloaded: %zu rules\n", s.rules);
out:
	free(n);
	/* The set to watch may have changed, and a replaced folder needs a new watch. */
	arm_watch(d);
}

/* At exit: the first sightings still with the judge get a bounded wait. */
static void drain_judge(struct daemon *d)
{
	uint64_t end = now_ns(CLOCK_MONOTONIC) + JUDGE_DRAIN_MS * 1000000ULL;
	struct pollfd pfd;

	if (!d->judge)
		return;
	pfd.fd = exe_judge_fd(d->judge);
	pfd.events = POLLIN;
	while (exe_judge_outstanding(d->judge) && now_ns(CLOCK_MONOTONIC) < end) {
		poll(&pfd, 1, 10);
		pipeline_judged(&d->pipe);
	}
}

static int setup_signals(sigset_t *mask)
{
	int fd;

	sigemptyset(mask);
	sigaddset(mask, SIGINT);
	sigaddset(mask, SIGTERM);
	sigaddset(mask, SIGHUP);
	if (sigprocmask(SIG_BLOCK, mask, NULL))
		return -errno;
	fd = signalfd(-1, mask, SFD_CLOEXEC | SFD_NONBLOCK);
	return fd < 0 ? -errno : fd;
}

/* After activity: the checks run once CHECK_INTERVAL_NS has passed since the last ones. */
static void want_checks(struct daemon *d, uint64_t now)
{
	uint64_t at = d->last_check + CHECK_INTERVAL_NS;

	if (!d->check_at)
		d->check_at = at > now ? at : now;
}

/*
 * The loop's next deadline (CLOCK_MONOTONIC ns, 0 = none): every timer
 * says when it is next due, none ticks. The report due is a wall-clock
 * time (alerts carry wall-clock times).
 */
static uint64_t next_deadline(const struct daemon *d, uint64_t now)
{
	uint64_t t = deadline_earliest(d->check_at, d->stats_at);

	t = deadline_earliest(t, loader_next_read(d->ld));
	t = deadline_earliest(t, d->reload_at);
	t = deadline_earliest(t, d->last_read + RING_SAFETY_NS);
	if (d->reporter)
		t = deadline_earliest(t, deadline_from_wall(reporter_next_flush(d->reporter),
							    now_ns(CLOCK_REALTIME), now));
	return t;
}

static void read_rings(struct daemon *d, uint64_t now, bool woken)
{
	uint64_t due = loader_next_read(d->ld);
	bool safety = !woken && !due && now >= d->last_read + RING_SAFETY_NS;
	int n;

	d->pipe.boot_to_wall = event_boot_to_wall_ns();
	n = loader_read(d->ld, now, pipeline_record, &d->pipe);
	d->last_read = now;
	d->rd.wakeups += woken;
	d->rd.paced_reads += due && now >= due;
	d->rd.safety_reads += safety;
	if (n <= 0)
		return;
	d->rd.records += n;
	if (safety) {
		d->rd.late_records += n;
		fprintf(stderr,
			"shellsentry: warning: %d records read by the safety read, no wakeup came "
			"for them\n",
			n);
	}
	want_checks(d, now);
}

static void run_timers(struct daemon *d, uint64_t now)
{
	if (d->reporter) {
		uint64_t wall = now_ns(CLOCK_REALTIME);

		if (reporter_next_flush(d->reporter) <= wall) {
			reporter_flush(d->reporter, wall, false);
			want_checks(d, now);
		}
	}
	if (d->check_at && now >= d->check_at) {
		d->check_at = 0;
		d->last_check = now;
		check_drops(d);
		/* The webhook thread fails or delivers on its own: look while it holds alerts. */
		if (check_sinks(d))
			d->check_at = now + CHECK_INTERVAL_NS;
	}
	if (d->stats_at && now >= d->stats_at) {
		d->stats_at = now + d->o->stats_interval * NS_PER_S;
		print_counters(d, "stats");
	}
}

enum { PFD_RINGS, PFD_SIGNALS, PFD_METRICS, PFD_WATCH, PFD_JUDGE, PFD_COUNT };

static int event_loop(struct daemon *d, int sfd)
{
	uint64_t now = now_ns(CLOCK_MONOTONIC);
	int ring_fd = loader_ringbuf_fd(d->ld);
	struct pollfd pfd[PFD_COUNT] = {
		[PFD_RINGS] = {.fd = ring_fd, .events = POLLIN},
		[PFD_SIGNALS] = {.fd = sfd, .events = POLLIN},
		[PFD_METRICS] = {.fd = d->refresh_fd, .events = POLLIN},
		[PFD_WATCH] = {.fd = d->watch ? watch_fd(d->watch) : -1, .events = POLLIN},
		[PFD_JUDGE] = {.fd = d->judge ? exe_judge_fd(d->judge) : -1, .events = POLLIN},
	};

	d->last_read = now;
	if (d->o->stats_interval)
		d->stats_at = now + d->o->stats_interval * NS_PER_S;
	for (;;) {
		struct signalfd_siginfo si;
		uint64_t asked;
		int ret;

		/* While pacing the rings stay readable: the next read is a deadline. */
		pfd[PFD_RINGS].fd = loader_next_read(d->ld) ? -1 : ring_fd;
		ret = poll(pfd, PFD_COUNT, deadline_poll_ms(next_deadline(d, now), now));
		if (ret < 0 && errno != EINTR)
			return -errno;
		now = now_ns(CLOCK_MONOTONIC);
		read_rings(d, now, ret > 0 && (pfd[PFD_RINGS].revents & POLLIN));
		if (pfd[PFD_JUDGE].revents & POLLIN) {
			pipeline_judged(&d->pipe);
			want_checks(d, now);
		}
		sinks_flush(d->sinks);
		if (pfd[PFD_SIGNALS].revents & POLLIN) {
			while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
				if (si.ssi_signo == SIGHUP) {
					reload(d, "SIGHUP");
					sinks_reopen(d->sinks);
				} else {
					return 0;
				}
			}
		}
		if ((pfd[PFD_WATCH].revents & POLLIN) &&
		    watch_read(d->watch, d->reload_why, sizeof(d->reload_why)))
			d->reload_at = now + RELOAD_SETTLE_MS * 1000000ULL;
		if (d->reload_at && now >= d->reload_at) {
			char why[sizeof(d->reload_why) + 16];

			d->reload_at = 0;
			snprintf(why, sizeof(why), "%s changed", d->reload_why);
			reload(d, why);
		}
		if ((pfd[PFD_METRICS].revents & POLLIN) &&
		    read(d->refresh_fd, &asked, sizeof(asked)) == sizeof(asked))
			refresh_snapshot(d, now);
		run_timers(d, now);
	}
}

int daemon_run(const struct daemon_options *o, const struct daemon_hooks *h)
{
	struct loader_opts lo = {
		.hook = o->hook,
		.btf_path = o->btf_path[0] ? o->btf_path : NULL,
		.ringbuf_kib = o->ringbuf_kib,
		.exe_judge_rate = o->exe_judge_rate,
		.verbose = o->verbose,
	};
	const struct sinks_options *so = &o->sinks;
	struct daemon d = {.o = o,
			   .hooks = h,
			   .lock = PTHREAD_MUTEX_INITIALIZER,
			   .last_reload_ok = true,
			   .refresh_fd = -1};
	pthread_condattr_t ca;
	struct runtime_roots roots;
	bool need_json, need_text;
	struct rules_summary s;
	struct ss_error err;
	char path[PATH_MAX], msg[1024];
	size_t marked = 0;
	sigset_t mask;
	int ret, n, sfd = -1, rc = 1;

	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&d.snap_cond, &ca);
	pthread_condattr_destroy(&ca);
	/* Render only the forms some sink uses: formatting is most of an alert's cost. */
	need_text = so->syslog_enabled ||
		    (so->format == FMT_TEXT && (so->stdout_enabled || so->output_file[0]));
	need_json = so->http.url[0] || !need_text ||
		    (so->format == FMT_JSON && (so->stdout_enabled || so->output_file[0]));
	if (pipeline_init(&d.pipe, need_json, need_text)) {
		fprintf(stderr, "shellsentry: out of memory\n");
		goto out;
	}
	d.ro = malloc(sizeof(*d.ro));
	if (!d.ro) {
		fprintf(stderr, "shellsentry: out of memory\n");
		goto out;
	}
	memcpy(d.ro, o, sizeof(*d.ro));
	if (daemon_load_rules(o, &d.rules, stderr))
		goto out;
	runtime_roots_default(&roots, o->runtime_root);
	ret = enricher_new(&roots, "/proc", ENRICH_CACHE_MAX, &d.enr);
	if (ret) {
		fprintf(stderr, "shellsentry: cannot set up enrichment: %s\n", strerror(-ret));
		goto out;
	}
	if (o->rate_per_sec > 0 && ratelimit_new(o->rate_per_sec, o->rate_burst, &d.rl)) {
		fprintf(stderr, "shellsentry: invalid rate limit\n");
		goto out;
	}
	sfd = setup_signals(&mask);
	if (sfd < 0) {
		fprintf(stderr, "shellsentry: cannot set up signals: %s\n", strerror(-sfd));
		goto out;
	}
	ret = loader_start(&lo, &d.ld, &err);
	if (ret) {
		ss_error_print(stderr, "shellsentry", &err);
		goto out;
	}
	ret = sessions_apply(&d);
	if (ret) {
		fprintf(stderr, "shellsentry: cannot set up shell sessions: %s\n", strerror(-ret));
		goto out;
	}
	ret = kernel_filter_apply(d.ld, d.rules, d.sessions, o->verbose ? stderr : NULL);
	if (ret) {
		fprintf(stderr, "shellsentry: cannot fill the kernel filter: %s\n", strerror(-ret));
		goto out;
	}
	if (!loader_cgroup_root(d.ld, path, sizeof(path)) && enricher_set_cgroup_root(d.enr, path))
		fprintf(stderr, "shellsentry: warning: cannot open cgroup root %s\n", path);
	ret = loader_scan_cgroups(d.ld, NULL, &marked);
	if (ret)
		fprintf(stderr, "shellsentry: warning: cgroup scan incomplete: %s\n",
			strerror(-ret));
	/* Capabilities are per thread: drop before the sinks and metrics start theirs. */
	if (o->drop_privileges) {
		char kept[256];

		ret = privdrop_default(kept, sizeof(kept), &err);
		if (ret) {
			fprintf(stderr, "shellsentry: cannot drop privileges: %s\n",
				ss_error_str(&err, msg, sizeof(msg)));
			goto out;
		}
		fprintf(stderr, "shellsentry: privileges dropped, %s\n", kept);
	}
	/* After the privilege drop: the judge's thread keeps only what the daemon keeps. */
	ret = o->exe_judge_rate ? exe_judge_start("/proc", JUDGE_QUEUE_MAX,
						  loader_exe_verdict_publish, d.ld, &d.judge)
				: 0;
	if (ret)
		fprintf(stderr, "shellsentry: warning: no judge of executables by content: %s\n",
			strerror(-ret));
	if (sinks_new(so, &d.sinks, &err)) {
		ss_error_print(stderr, "shellsentry", &err);
		goto out;
	}
	if (sinks_set_batching(d.sinks, true))
		fprintf(stderr,
			"shellsentry: warning: no memory to batch output, writing per alert\n");
	if (o->report_dir[0]) {
		char kb[PATH_MAX];

		struct reporter_options ro = {.dir = o->report_dir,
					      .delay_ns = o->report_delay * 1000000000ull};

		paths_data_file(PATHS_KB_FILE, kb, sizeof(kb));
		if (!access(kb, R_OK))
			ro.kb_path = kb;
		ret = reporter_new(&ro, &d.reporter, &err);
		if (ret) {
			char who[1100];

			snprintf(who, sizeof(who), "shellsentry: --report-dir %s", o->report_dir);
			ss_error_print(stderr, who, &err);
			goto out;
		}
	}
	d.pipe.boot_to_wall = event_boot_to_wall_ns();
	if (o->metrics_addr[0]) {
		d.snap = calloc(1, sizeof(*d.snap));
		d.refresh_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (!d.snap || d.refresh_fd < 0) {
			fprintf(stderr, "shellsentry: cannot set up metrics: %s\n",
				d.snap ? strerror(errno) : "out of memory");
			goto out;
		}
		refresh_snapshot(&d, now_ns(CLOCK_MONOTONIC));
		ret = metrics_server_start(o->metrics_addr, METRICS_HEALTH_MAX_POLL_AGE_S,
					   metrics_snapshot_cb, &d, &d.metrics, &err);
		/* Detection matters more than its metrics: a taken port is a warning. */
		if (ret)
			fprintf(stderr, "shellsentry: warning: no metrics on %s: %s\n",
				o->metrics_addr, ss_error_str(&err, msg, sizeof(msg)));
	}
	d.pipe.hostname = o->hostname;
	d.pipe.rules = d.rules;
	d.pipe.enr = d.enr;
	d.pipe.rl = d.rl;
	d.pipe.sinks = d.sinks;
	d.pipe.reporter = d.reporter;
	d.pipe.rule_matching = o->rule_matching;
	d.pipe.judge = d.judge;
	d.pipe.verbose = o->verbose;
	ret = watch_new(&d.watch);
	if (ret)
		fprintf(stderr,
			"shellsentry: warning: no inotify (%s): rules reload on SIGHUP only\n",
			strerror(-ret));
	arm_watch(&d);
	ruleset_get_summary(d.rules, &s);
	fprintf(stderr,
		"shellsentry: attached %s (%zu rules, %zu container cgroups; shellsentry %s, "
		"commit %s)\n",
		loader_hook_name(d.ld), s.rules, marked, ss_version(), ss_commit());
	fflush(stderr);

	ret = event_loop(&d, sfd);
	n = loader_drain(d.ld, pipeline_record, &d.pipe);
	d.rd.records += n > 0 ? (uint64_t)n : 0;
	drain_judge(&d);
	sinks_flush(d.sinks);
	if (d.reporter)
		reporter_flush(d.reporter, now_ns(CLOCK_REALTIME), true);
	check_sinks(&d);
	print_counters(&d, "exit");
	rc = ret ? 1 : 0;
out:
	if (sfd >= 0)
		close(sfd);
	metrics_server_stop(d.metrics);
	exe_judge_stop(d.judge);
	reporter_free(d.reporter);
	loader_stop(d.ld);
	sinks_free(d.sinks);
	ratelimit_free(d.rl);
	enricher_free(d.enr);
	ruleset_free(d.rules);
	watch_free(d.watch);
	free(d.ro);
	pipeline_free(&d.pipe);
	free(d.snap);
	if (d.refresh_fd >= 0)
		close(d.refresh_fd);
	pthread_cond_destroy(&d.snap_cond);
	pthread_mutex_destroy(&d.lock);
	return rc;
}
