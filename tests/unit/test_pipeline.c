/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The daemon's per-record pipeline with real parts: the shipped rules, an
 * enricher on an empty node, sinks writing JSON to a pipe. A record that
 * does not decode counts as a decode error, not as a rule error: the metric
 * shellsentry_rule_errors_total was fed decode errors before (issue 15).
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "daemon/pipeline.h"
#include "output/metrics.h"
#include "tmpdir.h"

struct fixture {
	char dir[256];
	int pipe[2];
	struct ruleset *rs;
	struct enricher *enr;
	struct sinks *sinks;
	struct pipeline p;
	struct sinks_options o;
};

static int setup(void **state)
{
	static struct fixture f;
	const char *rules = "rules/shellsentry_rules.yaml";
	struct rules_options ro = {.min_priority = PRIO_DEBUG};
	struct sinks_io io = {.syslog_path = "/nonexistent", .syslog_ident = "t"};
	struct runtime_roots roots;
	struct ss_error err;
	char proc[300];

	memset(&f, 0, sizeof(f));
	if (tmpdir_make(f.dir, sizeof(f.dir), "test_pipeline") || pipe2(f.pipe, O_NONBLOCK))
		return -1;
	snprintf(proc, sizeof(proc), "%s/proc", f.dir);
	runtime_roots_default(&roots, f.dir);
	f.o.format = FMT_JSON;
	f.o.stdout_enabled = true;
	io.stdout_fd = f.pipe[1];
	if (ruleset_load(&rules, 1, &ro, &f.rs, &err, NULL) ||
	    enricher_new(&roots, proc, 16, &f.enr) || sinks_new_io(&f.o, &io, &f.sinks, &err) ||
	    pipeline_init(&f.p, true, false))
		return -1;
	f.p.hostname = "node-1";
	f.p.rules = f.rs;
	/* every matching rule: the test looks for "Detect Shell in Container" */
	f.p.rule_matching = RULE_MATCHING_ALL;
	f.p.enr = f.enr;
	f.p.sinks = f.sinks;
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	pipeline_free(&f->p);
	sinks_free(f->sinks);
	enricher_free(f->enr);
	ruleset_free(f->rs);
	close(f->pipe[0]);
	close(f->pipe[1]);
	return tmpdir_remove(f->dir);
}

/* A container shell as the BPF side sends it. */
static size_t shell_record(struct ss_event *e)
{
	static const char argv[] = "/bin/sh\0-c\0id\0";

	memset(e, 0, sizeof(*e));
	e->version = SS_EVENT_VERSION;
	e->header_len = SS_EVENT_HEADER_LEN;
	e->boot_ns = 1000;
	e->flags = SS_F_PIDNS;
	e->pid = 4242;
	e->vpid = 7;
	e->lineage = SS_LINEAGE_INJECTED;
	memcpy(e->comm, "sh", 3);
	snprintf(e->cgroup_name, sizeof(e->cgroup_name), "libpod-%s.scope",
		 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
	memcpy(e->argv, argv, sizeof(argv) - 1);
	e->argv_len = sizeof(argv) - 1;
	return SS_EVENT_HEADER_LEN + e->argv_len;
}

static void test_decode_error_is_not_a_rule_error(void **state)
{
	struct fixture *f = *state;
	static struct metrics_snapshot m;
	static struct ss_event e;
	char text[64 * 1024];
	size_t len = shell_record(&e);
	int n;

	/* a record cut short, then one with an unknown version */
	assert_int_equal(pipeline_record(&f->p, &e, 100), 0);
	e.version = 99;
	assert_int_equal(pipeline_record(&f->p, &e, len), 0);
	assert_int_equal(f->p.c.decode_errors, 2);
	assert_int_equal(f->p.c.alerts, 0);

	pipeline_snapshot(&f->p, &m);
	assert_int_equal(m.decode_errors, 2);
	assert_int_equal(m.rule_errors, 0);
	n = metrics_render(&m, 0, text, sizeof(text));
	assert_true(n > 0);
	assert_non_null(strstr(text, "\nshellsentry_decode_errors_total 2\n"));
	assert_non_null(strstr(text, "\nshellsentry_rule_errors_total 0\n"));
}

/* rule_matching first, the default: one alert per exec, the first matching rule */
static void test_first_match_only(void **state)
{
	struct fixture *f = *state;
	static struct ss_event e;
	char out[64 * 1024];
	size_t len = shell_record(&e);
	uint64_t before = f->p.c.alerts;
	ssize_t n;

	f->p.rule_matching = RULE_MATCHING_FIRST;
	assert_int_equal(pipeline_record(&f->p, &e, len), 0);
	assert_int_equal(f->p.c.alerts, before + 1);
	sinks_flush(f->sinks);
	n = read(f->pipe[0], out, sizeof(out) - 1);
	assert_true(n > 0);
	out[n] = '\0';
	assert_non_null(strstr(out, "\"rule\":"));
	assert_null(strchr(strchr(out, '\n') + 1, '\n'));
	f->p.rule_matching = RULE_MATCHING_ALL;
}

static void test_shell_alerts(void **state)
{
	struct fixture *f = *state;
	static struct ss_event e;
	char out[64 * 1024];
	size_t len = shell_record(&e);
	ssize_t n;

	assert_int_equal(pipeline_record(&f->p, &e, len), 0);
	assert_true(f->p.c.alerts >= 1);
	sinks_flush(f->sinks);
	n = read(f->pipe[0], out, sizeof(out) - 1);
	assert_true(n > 0);
	out[n] = '\0';
	assert_non_null(strstr(out, "\"rule\":\"Detect Shell in Container\""));
	assert_non_null(strstr(out, "\"hostname\":\"node-1\""));
	assert_non_null(strstr(out, "\"container.id\":\"0123456789ab\""));
	assert_true(f->p.n_counts >= 1);
	assert_int_equal(f->p.c.rule_errors, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_error_is_not_a_rule_error),
		cmocka_unit_test(test_first_match_only),
		cmocka_unit_test(test_shell_alerts),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
