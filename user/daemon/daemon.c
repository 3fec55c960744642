// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "lib/clock.h"
#include "daemon/daemon_state.h"
#include "daemon/deadline.h"
#include "daemon/prefilter.h"
#include "daemon/privdrop.h"
#include "kernel/event_decode.h"
#include "lib/paths.h"
#include "lib/version.h"

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
 * kernel/loader_rings.c): this read is a safety net that should find nothing.
 * What it finds is counted (late_records) and said on stderr.
 */
#define RING_SAFETY_NS (60 * NS_PER_S)

/* At exit: the first sightings still with the judge get a bounded wait. */
static void drain_judge(struct daemon *d)
{
	uint64_t end = clock_ns(CLOCK_MONOTONIC) + JUDGE_DRAIN_MS * 1000000ULL;
	struct pollfd pfd;

	if (!d->judge)
		return;
	pfd.fd = exe_judge_fd(d->judge);
	pfd.events = POLLIN;
	while (exe_judge_outstanding(d->judge) && clock_ns(CLOCK_MONOTONIC) < end) {
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
							    clock_ns(CLOCK_REALTIME), now));
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
		uint64_t wall = clock_ns(CLOCK_REALTIME);

		if (reporter_next_flush(d->reporter) <= wall) {
			reporter_flush(d->reporter, wall, false);
			want_checks(d, now);
		}
	}
	if (d->check_at && now >= d->check_at) {
		d->check_at = 0;
		d->last_check = now;
		daemon_check_drops(d);
		/* The webhook thread fails or delivers on its own: look while it holds alerts. */
		if (daemon_check_sinks(d))
			d->check_at = now + CHECK_INTERVAL_NS;
	}
	if (d->stats_at && now >= d->stats_at) {
		d->stats_at = now + d->o->stats_interval * NS_PER_S;
		daemon_print_counters(d, "stats");
	}
}

enum { PFD_RINGS, PFD_SIGNALS, PFD_METRICS, PFD_WATCH, PFD_JUDGE, PFD_COUNT };

static int event_loop(struct daemon *d, int sfd)
{
	uint64_t now = clock_ns(CLOCK_MONOTONIC);
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
		now = clock_ns(CLOCK_MONOTONIC);
		read_rings(d, now, ret > 0 && (pfd[PFD_RINGS].revents & POLLIN));
		if (pfd[PFD_JUDGE].revents & POLLIN) {
			pipeline_judged(&d->pipe);
			want_checks(d, now);
		}
		sinks_flush(d->sinks);
		if (pfd[PFD_SIGNALS].revents & POLLIN) {
			while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
				if (si.ssi_signo == SIGHUP) {
					daemon_reload(d, "SIGHUP");
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
			daemon_reload(d, why);
		}
		if ((pfd[PFD_METRICS].revents & POLLIN) &&
		    read(d->refresh_fd, &asked, sizeof(asked)) == sizeof(asked))
			daemon_refresh_snapshot(d, now);
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
	ret = daemon_sessions_apply(&d);
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
		daemon_refresh_snapshot(&d, clock_ns(CLOCK_MONOTONIC));
		ret = metrics_server_start(o->metrics_addr, METRICS_HEALTH_MAX_POLL_AGE_S,
					   daemon_metrics_snapshot_cb, &d, &d.metrics, &err);
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
	daemon_arm_watch(&d);
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
		reporter_flush(d.reporter, clock_ns(CLOCK_REALTIME), true);
	daemon_check_sinks(&d);
	daemon_print_counters(&d, "exit");
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
