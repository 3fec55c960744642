// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/pipeline.h"
#include "event/session.h"
#include "kernel/event_decode.h"

int pipeline_init(struct pipeline *p, bool need_json, bool need_text)
{
	p->ev = calloc(1, sizeof(*p->ev));
	if (!p->ev || alert_renderer_init(&p->render, need_json, need_text)) {
		free(p->ev);
		p->ev = NULL;
		return -ENOMEM;
	}
	return 0;
}

void pipeline_free(struct pipeline *p)
{
	free(p->ev);
	p->ev = NULL;
	alert_renderer_free(&p->render);
}

static struct pipeline_rule_count *rule_counter(struct pipeline *p, const char *name,
						enum priority prio)
{
	for (size_t i = 0; i < p->n_counts; i++)
		if (!strcmp(p->counts[i].name, name))
			return &p->counts[i];
	if (p->n_counts == METRICS_MAX_RULES)
		return NULL;
	snprintf(p->counts[p->n_counts].name, sizeof(p->counts[0].name), "%s", name);
	p->counts[p->n_counts].priority = prio;
	return &p->counts[p->n_counts++];
}

static void emit(struct pipeline *p, const struct exec_event *ev, const struct rule *r)
{
	const char *name = rule_name(r);
	struct pipeline_rule_count *rc = rule_counter(p, name, rule_priority(r));
	struct alert_out out;
	uint64_t suppressed = 0;

	if (p->rl && !ratelimit_allow(p->rl, name, ev->boot_ns, &suppressed)) {
		p->c.suppressed++;
		if (rc)
			rc->suppressed++;
		return;
	}
	if (alert_renderer_render(&p->render, r, ev, suppressed, &out)) {
		p->c.rule_errors++;
		fprintf(stderr, "shellsentry: alert for pid %u too large to format\n", ev->pid);
		return;
	}
	sinks_write(p->sinks, &out);
	p->c.alerts++;
	if (rc)
		rc->alerts++;
	if (p->reporter &&
	    reporter_add(p->reporter, ev, name, out.priority, p->render.output) < 0 && p->verbose)
		fprintf(stderr, "shellsentry: report for pid %u not recorded\n", ev->pid);
}

/*
 * A session's shell exited. What the caps held back is said on stderr (never
 * silently); the reporter gets the end whatever the rule selection. An
 * uneventful end is said only with -v: exec probes are injected shells, and a
 * line per probe would bury the lines that matter (and cost a write each).
 */
static void session_ended(struct pipeline *p, const struct session_end *se)
{
	char how[64];

	p->c.session_ends++;
	if (p->reporter && reporter_session_end(p->reporter, se) < 0 && p->verbose)
		fprintf(stderr, "shellsentry: end of session %s not recorded\n", se->session);
	if (!se->capped && !se->untracked && !p->verbose)
		return;
	session_end_how(how, sizeof(how), se->exit_status);
	fprintf(stderr,
		"shellsentry: session %s ended (%s) after %.1f s: %" PRIu64
		" commands, %u not shown (session caps), %u processes not followed, %u still "
		"running\n",
		se->session, how,
		se->end_ns > se->start_ns ? (double)(se->end_ns - se->start_ns) / 1e9 : 0.0,
		se->commands, se->capped, se->untracked, se->members);
}

/* Every session command reaches the reporter, with the rules it matched, alert or not. */
static void session_command(struct pipeline *p, const struct exec_event *ev,
			    const struct rule *const *m, size_t n)
{
	const char *names[PIPELINE_MAX_MATCHES];

	p->c.session_commands++;
	if (!p->reporter)
		return;
	for (size_t i = 0; i < n; i++)
		names[i] = rule_name(m[i]);
	if (reporter_session_command(p->reporter, ev, names, n) < 0 && p->verbose)
		fprintf(stderr, "shellsentry: session command of pid %u not recorded\n", ev->pid);
}

static void evaluate(struct pipeline *p, const struct exec_event *ev)
{
	const struct rule *m[PIPELINE_MAX_MATCHES];
	size_t n;

	/* rule_matching first: only the first matching rule in load order, as Falco */
	n = ruleset_eval(p->rules, ev, m,
			 p->rule_matching == RULE_MATCHING_ALL ? PIPELINE_MAX_MATCHES : 1);
	if (ev->session[0])
		session_command(p, ev, m, n);
	alert_renderer_next_event(&p->render);
	for (size_t i = 0; i < n; i++)
		emit(p, ev, m[i]);
}

/* 0 when the judge took the event; it comes back through pipeline_judged(). */
static int to_judge(struct pipeline *p)
{
	struct exe_judge_job *job = exe_judge_job_new(p->ev);

	if (job && !exe_judge_submit(p->judge, job))
		return 0;
	exe_judge_job_free(job);
	p->c.judge_refused++;
	return -EAGAIN;
}

int pipeline_record(void *ctx, const void *data, size_t len)
{
	struct pipeline *p = ctx;
	struct session_end se;
	uint64_t gone;

	if (!event_decode_cgroup_gone(data, len, &gone)) {
		enricher_forget_cgroup(p->enr, gone);
		p->c.cgroups_gone++;
		return 0;
	}
	if (!session_end_decode(data, len, p->boot_to_wall, &se)) {
		session_ended(p, &se);
		return 0;
	}
	if (event_decode(data, len, p->boot_to_wall, p->ev)) {
		p->c.decode_errors++;
		return 0;
	}
	snprintf(p->ev->hostname, sizeof(p->ev->hostname), "%s", p->hostname);
	/* Unknown context stays null in the alert; it never blocks the alert. */
	enrich_exec_event(p->enr, p->ev);
	if ((p->ev->flags & (SS_F_EXE_SIGHTING | SS_F_EXE_PENDING)) && p->judge && !to_judge(p))
		return 0;
	evaluate(p, p->ev);
	return 0;
}

/* One line per judged file (-v): which inode, how it was opened, what it is. */
static void log_judged(const struct exe_judge_job *job)
{
	static const char *const how[] = {
		[EXE_OPEN_NONE] = "none",	  [EXE_OPEN_HANDLE] = "handle",
		[EXE_OPEN_PROC_EXE] = "proc-exe", [EXE_OPEN_SEARCH] = "search",
		[EXE_OPEN_RECENT] = "recent",
	};

	fprintf(stderr,
		"shellsentry: judged pid %u dev %u:%u ino %" PRIu64 " gen %u size %" PRIu64
		" layer %u via %s%s%s: %s%s%s (%s, %" PRIu64 " bytes searched, %" PRIu64
		" us waiting, %" PRIu64 " us judging)\n",
		job->ev->pid, job->ref.dev_major, job->ref.dev_minor, job->ref.ino, job->ref.gen,
		job->ref.size, job->ev->exe_id.layer,
		how[(size_t)job->how < sizeof(how) / sizeof(how[0]) ? job->how : 0],
		job->handle_err ? ", no handle: " : "",
		job->handle_err ? strerror(-job->handle_err) : "",
		job->err ? "not judged: " : exe_kind_name(job->v.kind),
		job->err       ? strerror(-job->err)
		: job->v.shell ? " "
			       : "",
		job->err		       ? ""
		: exe_shell_name(job->v.shell) ? exe_shell_name(job->v.shell)
					       : "",
		job->v.flags & EXE_V_BUDGET ? "partly" : "whole", job->v.scanned,
		(job->started_ns - job->queued_ns) / 1000,
		(job->judged_ns - job->started_ns) / 1000);
}

void pipeline_judged(struct pipeline *p)
{
	struct exe_judge_job *job;

	if (!p->judge)
		return;
	while ((job = exe_judge_take(p->judge))) {
		if (!job->err)
			exe_verdict_apply(&job->v, job->ev);
		if (p->verbose)
			log_judged(job);
		evaluate(p, job->ev);
		exe_judge_job_free(job);
	}
}

void pipeline_snapshot(const struct pipeline *p, struct metrics_snapshot *m)
{
	m->decode_errors = p->c.decode_errors;
	m->rule_errors = p->c.rule_errors;
	m->n_rules = p->n_counts;
	for (size_t i = 0; i < p->n_counts; i++) {
		snprintf(m->rules[i].name, sizeof(m->rules[i].name), "%s", p->counts[i].name);
		snprintf(m->rules[i].priority, sizeof(m->rules[i].priority), "%s",
			 priority_name(p->counts[i].priority));
		m->rules[i].alerts = p->counts[i].alerts;
		m->rules[i].suppressed = p->counts[i].suppressed;
	}
}
