/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * `shellsentry compare`: fixtures in Falco's JSON alert format (keys time,
 * rule, priority, source, hostname, output, output_fields, tags) are built
 * here from parameters, so every expected count and value below follows
 * from how the fixture was made, not from the code under test.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include <json-c/json.h>

#include "compare/compare.h"

#define T0 1715767323ull /* 2024-05-15T10:02:03Z */
#define TERM "Terminal shell in container"
#define DETECT "Detect Shell in Container"

struct fx {
	const char *rule;
	uint64_t ms;	  /* after T0 */
	const char *host; /* NULL: "node-1" */
	const char *cid;  /* NULL: "0123456789ab"; "-": absent */
	int64_t pid;	  /* -1: absent */
	const char *cmdline;
	const char *user;
	int64_t tty;
	bool ours;	      /* add shellsentry's own fields */
	const char *evt_type; /* NULL: "execve" */
	const char *source;   /* NULL: "syscall" */
	const char *pod;      /* NULL: JSON null */
	/* raw overrides to break formats */
	const char *tty_str;
	int64_t loginuid; /* 0: -1 */
	const char *time_raw;
};

static char dir[] = "/tmp/ss-test-compare.XXXXXX";

static void fmt_time(uint64_t ms, char *buf, size_t len)
{
	time_t t = (time_t)(T0 + ms / 1000);
	struct tm tm;
	char date[32];

	gmtime_r(&t, &tm);
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, len, "%s.%03" PRIu64 "000042Z", date, ms % 1000);
}

/* One alert line as Falco writes it with json_output and json_include_output_property. */
static char *alert_line(const struct fx *x)
{
	struct json_object *root = json_object_new_object();
	struct json_object *of = json_object_new_object();
	struct json_object *tags = json_object_new_array();
	char when[64];
	char *line;

	fmt_time(x->ms, when, sizeof(when));
	json_object_object_add(root, "hostname",
			       json_object_new_string(x->host ? x->host : "node-1"));
	json_object_object_add(root, "output", json_object_new_string("A shell was spawned"));
	json_object_object_add(root, "priority", json_object_new_string("Notice"));
	json_object_object_add(root, "rule", json_object_new_string(x->rule ? x->rule : TERM));
	json_object_object_add(root, "source",
			       json_object_new_string(x->source ? x->source : "syscall"));
	json_object_array_add(tags, json_object_new_string("container"));
	json_object_object_add(root, "tags", tags);
	json_object_object_add(root, "time",
			       json_object_new_string(x->time_raw ? x->time_raw : when));
	json_object_object_add(of, "evt.type",
			       json_object_new_string(x->evt_type ? x->evt_type : "execve"));
	if (!x->cid || strcmp(x->cid, "-"))
		json_object_object_add(of, "container.id",
				       json_object_new_string(x->cid ? x->cid : "0123456789ab"));
	if (x->pid >= 0)
		json_object_object_add(of, "proc.pid", json_object_new_int64(x->pid));
	json_object_object_add(of, "proc.cmdline", json_object_new_string(x->cmdline));
	json_object_object_add(of, "proc.pname", json_object_new_string("runc"));
	json_object_object_add(of, "user.name", json_object_new_string(x->user ? x->user : "root"));
	json_object_object_add(of, "user.uid", json_object_new_int64(0));
	json_object_object_add(of, "user.loginuid",
			       json_object_new_int64(x->loginuid ? x->loginuid : -1));
	if (x->tty_str)
		json_object_object_add(of, "proc.tty", json_object_new_string(x->tty_str));
	else
		json_object_object_add(of, "proc.tty", json_object_new_int64(x->tty));
	json_object_object_add(of, "k8s.pod.name", x->pod ? json_object_new_string(x->pod) : NULL);
	if (x->ours) {
		json_object_object_add(of, "shellsentry.lineage",
				       json_object_new_string("injected"));
		json_object_object_add(of, "container.full_id",
				       json_object_new_string("0123456789ab0123456789ab0123456789ab"
							      "0123456789ab0123456789ab0123"));
	}
	json_object_object_add(root, "output_fields", of);
	line = strdup(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN));
	json_object_put(root);
	assert_non_null(line);
	return line;
}

static char *write_file(const char *name, const struct fx *v, size_t n, const char *extra)
{
	char *path;
	FILE *f;
	size_t i;

	assert_true(asprintf(&path, "%s/%s", dir, name) > 0);
	f = fopen(path, "w");
	assert_non_null(f);
	if (extra)
		fputs(extra, f);
	for (i = 0; i < n; i++) {
		char *l = alert_line(&v[i]);

		fprintf(f, "%s\n", l);
		free(l);
	}
	fclose(f);
	return path;
}

struct run {
	int rc;
	char *out;
	char *err;
	struct json_object *json; /* parsed when --format json */
};

static void run_compare(struct run *r, FILE *in, const char *first, ...)
{
	const char *argv[32] = {"compare"};
	size_t outlen = 0, errlen = 0;
	int argc = 1;
	FILE *out, *errf;
	va_list ap;
	const char *a;

	va_start(ap, first);
	for (a = first; a && argc < 31; a = va_arg(ap, const char *))
		argv[argc++] = a;
	va_end(ap);
	out = open_memstream(&r->out, &outlen);
	errf = open_memstream(&r->err, &errlen);
	assert_non_null(out);
	assert_non_null(errf);
	r->rc = compare_run(argc, (char **)argv, in ? in : stdin, out, errf);
	fclose(out);
	fclose(errf);
	r->json = json_tokener_parse(r->out);
}

static void run_free(struct run *r)
{
	json_object_put(r->json);
	free(r->out);
	free(r->err);
}

/* Integer at a path of the JSON report ("execs/matched", "field_diffs/user.name"). */
static int64_t jint(struct json_object *root, const char *path)
{
	char buf[128], *save = NULL, *tok;
	struct json_object *v = root;

	snprintf(buf, sizeof(buf), "%s", path);
	for (tok = strtok_r(buf, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
		if (!json_object_object_get_ex(v, tok, &v)) {
			fail_msg("no %s in the report", path);
		}
	}
	return json_object_get_int64(v);
}

static struct json_object *rule_row(struct json_object *root, const char *rule)
{
	struct json_object *rules, *row, *name;
	size_t i;

	assert_true(json_object_object_get_ex(root, "rules", &rules));
	for (i = 0; i < json_object_array_length(rules); i++) {
		row = json_object_array_get_idx(rules, i);
		assert_true(json_object_object_get_ex(row, "rule", &name));
		if (!strcmp(json_object_get_string(name), rule))
			return row;
	}
	fail_msg("rule %s not in the totals", rule);
	return NULL;
}

/* Same event in both, only Falco, only shellsentry, a field disagreement. */
static const struct fx falco_four[] = {
	{.ms = 0, .pid = 101, .cmdline = "sh", .tty = 34816},
	{.ms = 1000, .pid = 102, .cmdline = "bash -c id", .tty = 34816},
	{.ms = 3000, .pid = 104, .cmdline = "sh -i", .tty = 34817, .user = "alice"},
};
static const struct fx ours_four[] = {
	{.ms = 2, .pid = 101, .cmdline = "sh", .tty = 34816, .ours = true},
	{.ms = 2000, .pid = 103, .cmdline = "ash", .tty = 34816, .ours = true},
	{.ms = 3001, .pid = 104, .cmdline = "sh -i", .tty = 0, .user = "root", .ours = true},
};

static void test_four_cases_json(void **state)
{
	char *f = write_file("falco.jsonl", falco_four, 3, NULL);
	char *o = write_file("ours.jsonl", ours_four, 3, NULL);
	struct json_object *diffs, *d, *fields, *fl, *v;
	struct run r;
	size_t i;

	(void)state;
	run_compare(&r, NULL, "--falco", f, "--ours", o, "--format", "json", NULL);
	assert_int_equal(r.rc, 0); /* differences do not fail without --fail-on-diff */
	assert_non_null(r.json);
	assert_int_equal(jint(r.json, "falco/alerts"), 3);
	assert_int_equal(jint(r.json, "shellsentry/alerts"), 3);
	assert_int_equal(jint(r.json, "execs/matched"), 2);
	assert_int_equal(jint(r.json, "execs/with_field_diffs"), 1);
	assert_int_equal(jint(r.json, "execs/only_falco"), 1);
	assert_int_equal(jint(r.json, "execs/only_shellsentry"), 1);
	assert_int_equal(jint(r.json, "field_diffs/user.name"), 1);
	assert_int_equal(jint(r.json, "field_diffs/proc.tty"), 1);
	/* full_id and lineage are only ours: not a difference */
	assert_false(json_object_object_get_ex(json_object_object_get(r.json, "field_diffs"),
					       "container.full_id", NULL));
	v = rule_row(r.json, TERM);
	assert_int_equal(jint(v, "both"), 2);
	assert_int_equal(jint(v, "only_falco"), 1);
	assert_int_equal(jint(v, "only_shellsentry"), 1);

	assert_true(json_object_object_get_ex(r.json, "diffs", &diffs));
	assert_int_equal(json_object_array_length(diffs), 1);
	d = json_object_array_get_idx(diffs, 0);
	assert_int_equal(jint(d, "falco/proc.pid"), 104);
	assert_true(json_object_object_get_ex(d, "fields", &fields));
	assert_int_equal(json_object_array_length(fields), 2);
	for (i = 0; i < 2; i++) {
		const char *name;

		fl = json_object_array_get_idx(fields, i);
		name = json_object_get_string(json_object_object_get(fl, "field"));
		if (!strcmp(name, "user.name")) {
			assert_string_equal(
				json_object_get_string(json_object_object_get(fl, "falco")),
				"alice");
			assert_string_equal(
				json_object_get_string(json_object_object_get(fl, "shellsentry")),
				"root");
		} else {
			assert_string_equal(name, "proc.tty");
			/* numbers stay numbers */
			v = json_object_object_get(fl, "falco");
			assert_true(json_object_is_type(v, json_type_int));
			assert_int_equal(json_object_get_int64(v), 34817);
			assert_int_equal(jint(fl, "shellsentry"), 0);
		}
	}
	v = json_object_array_get_idx(json_object_object_get(r.json, "only_falco"), 0);
	assert_int_equal(jint(v, "proc.pid"), 102);
	v = json_object_array_get_idx(json_object_object_get(r.json, "only_shellsentry"), 0);
	assert_int_equal(jint(v, "proc.pid"), 103);
	assert_true(json_object_get_boolean(json_object_object_get(r.json, "differ")));
	run_free(&r);

	run_compare(&r, NULL, "--falco", f, "--ours", o, "--fail-on-diff", NULL);
	assert_int_equal(r.rc, 1);
	run_free(&r);
	free(f);
	free(o);
}

static void test_four_cases_table(void **state)
{
	char *f = write_file("falco.jsonl", falco_four, 3, NULL);
	char *o = write_file("ours.jsonl", ours_four, 3, NULL);
	struct run r;

	(void)state;
	run_compare(&r, NULL, "--falco", f, "--ours", o, NULL);
	assert_int_equal(r.rc, 0);
	assert_non_null(strstr(r.out, "execs: 2 matched (1 with field differences"));
	assert_non_null(strstr(r.out, "1 only Falco, 1 only shellsentry"));
	assert_non_null(strstr(r.out, "user.name"));
	assert_non_null(strstr(r.out, "falco=\"alice\" shellsentry=\"root\""));
	assert_non_null(strstr(r.out, "falco=34817 shellsentry=0"));
	assert_non_null(strstr(r.out, "only Falco:"));
	assert_non_null(strstr(r.out, "proc.cmdline=\"bash -c id\""));
	assert_non_null(strstr(r.out, "only shellsentry:"));
	assert_non_null(strstr(r.out, "proc.cmdline=\"ash\""));
	assert_non_null(strstr(r.out, "result: differ"));
	run_free(&r);
	free(f);
	free(o);
}

static void test_identical_passes(void **state)
{
	char *f = write_file("falco.jsonl", falco_four, 2, NULL);
	char *o = write_file("ours.jsonl", falco_four, 2, NULL);
	struct run r;

	(void)state;
	run_compare(&r, NULL, "--falco", f, "--ours", o, "--format", "json", "--fail-on-diff",
		    NULL);
	assert_int_equal(r.rc, 0);
	assert_int_equal(jint(r.json, "execs/matched"), 2);
	assert_false(json_object_get_boolean(json_object_object_get(r.json, "differ")));
	run_free(&r);
	free(f);
	free(o);
}

static void test_window(void **state)
{
	/* the window is inclusive: 1000 ms apart matches, 1001 ms does not */
	const struct fx fa[] = {{.ms = 0, .pid = 7, .cmdline = "sh", .tty = 0},
				{.ms = 5000, .pid = 8, .cmdline = "sh", .tty = 0}};
	const struct fx oa[] = {{.ms = 1000, .pid = 7, .cmdline = "sh", .tty = 0},
				{.ms = 6001, .pid = 8, .cmdline = "sh", .tty = 0}};
	char *f = write_file("falco.jsonl", fa, 2, NULL);
	char *o = write_file("ours.jsonl", oa, 2, NULL);
	struct run r;

	(void)state;
	run_compare(&r, NULL, "--falco", f, "--ours", o, "--format", "json", NULL);
	assert_int_equal(jint(r.json, "window_ms"), COMPARE_WINDOW_MS_DEFAULT);
	assert_int_equal(jint(r.json, "execs/matched"), 1);
	assert_int_equal(
		jint(json_object_array_get_idx(json_object_object_get(r.json, "only_falco"), 0),
		     "proc.pid"),
		8);
	run_free(&r);
	run_compare(&r, NULL, "--falco", f, "--ours", o, "--format", "json", "--window-ms", "1001",
		    NULL);
	assert_int_equal(jint(r.json, "execs/matched"), 2);
	run_free(&r);
	run_compare(&r, NULL, "--falco", f, "--ours", o, "--format", "json", "--window-ms", "999",
		    NULL);
	assert_int_equal(jint(r.json, "execs/matched"), 0);
	run_free(&r);
	free(f);
	free(o);
}

/* pid first; without a pid the command line decides; host and container must agree. */
static void test_identity(void **state)
{
	const struct fx fa[] = {
		{.ms = 0, .pid = -1, .cmdline = "sh -c a", .tty = 0},
		{.ms = 100, .pid = -1, .cmdline = "sh -c b", .tty = 0},
		{.ms = 200, .pid = 30, .cmdline = "sh -c c", .tty = 0, .host = "node-2"},
		{.ms = 300, .pid = 40, .cmdline = "sh -c d", .tty = 0, .cid = "host"},
		{.ms = 400, .pid = 50, .cmdline = "sh -c e", .tty = 0, .cid = ""},
		{.ms = 500, .pid = 60, .cmdline = "sh -c f", .tty = 0},
		{.ms = 600, .pid = 70, .cmdline = "sh -c g", .tty = 0, .cid = ""},
		{.ms = 700, .pid = 80, .cmdline = "sh -c h", .tty = 0, .cid = "host"},
	};
	const struct fx oa[] = {
		{.ms = 1, .pid = 10, .cmdline = "sh -c a", .tty = 0},
		{.ms = 101, .pid = 20, .cmdline = "sh -c B", .tty = 0},
		{.ms = 201, .pid = 30, .cmdline = "sh -c c", .tty = 0, .host = "node-1"},
		{.ms = 301, .pid = 40, .cmdline = "sh -c d", .tty = 0, .cid = "0123456789ab"},
		{.ms = 401, .pid = 50, .cmdline = "sh -c e", .tty = 0, .cid = "0123456789ab"},
		/* same pid, other command: still the pid's exec, the command line differs */
		{.ms = 501, .pid = 60, .cmdline = "sh -c F", .tty = 0},
		/* unresolved is still a container: never the host */
		{.ms = 601, .pid = 70, .cmdline = "sh -c g", .tty = 0, .cid = "host"},
		{.ms = 701, .pid = 80, .cmdline = "sh -c h", .tty = 0, .cid = ""},
	};
	char *f = write_file("falco.jsonl", fa, 8, NULL);
	char *o = write_file("ours.jsonl", oa, 8, NULL);
	struct run r;

	(void)state;
	run_compare(&r, NULL, "--falco", f, "--ours", o, "--format", "json", NULL);
	/* matched: a (cmdline), e (unresolved "" vs id), f (pid) */
	assert_int_equal(jint(r.json, "execs/matched"), 3);
	assert_int_equal(jint(r.json, "execs/only_falco"), 5);
	assert_int_equal(jint(r.json, "execs/only_shellsentry"), 5);
	assert_int_equal(jint(r.json, "field_diffs/container.id"), 1);
	assert_int_equal(jint(r.json, "field_diffs/proc.cmdline"), 1);
	run_free(&r);
	free(f);
	free(o);
}

/* `sh -c "exec sh -i"`: one pid, two execs; the command line pairs them, not the clock. */
static void test_same_pid_two_execs(void **state)
{
	const struct fx fa[] = {{.ms = 0, .pid = 9, .cmdline = "sh -c exec sh -i", .tty = 0},
				{.ms = 10, .pid = 9, .cmdline = "sh -i", .tty = 0}};
	const struct fx oa[] = {{.ms = 3, .pid = 9, .cmdline = "sh -i", .tty = 0},
				{.ms = 9, .pid = 9, .cmdline = "sh -c exec sh -i", .tty = 0}};
	char *f = write_file("falco.jsonl", fa, 2, NULL);
	char *o = write_file("ours.jsonl", oa, 2, NULL);
	struct run r;

	(void)state;
	run_compare(&r, NULL, "--falco", f, "--ours", o, "--format", "json", "--fail-on-diff",
		    NULL);
	assert_int_equal(jint(r.json, "execs/matched"), 2);
	assert_int_equal(jint(r.json, "execs/with_field_diffs"), 0);
	assert_int_equal(r.rc, 0);
	run_free(&r);
	free(f);
	free(o);
}

/* One event, two rules on our side: one exec, a rule difference, --rule narrows. */
static void test_rules_per_exec(void **state)
{
	const struct fx fa[] = {{.ms = 0, .pid = 9, .cmdline = "sh", .tty = 34816}};
	const struct fx oa[] = {
		{.rule = DETECT, .ms = 0, .pid = 9, .cmdline = "sh", .tty = 34816, .ours = true},
		{.rule = TERM, .ms = 0, .pid = 9, .cmdline = "sh", .tty = 34816, .ours = true},
	};
	char *f = write_file("falco.jsonl", fa, 1, NULL);
	char *o = write_file("ours.jsonl", oa, 2, NULL);
	struct run r;

	(void)state;
	run_compare(&r, NULL, "--falco", f, "--ours", o, "--format", "json", "--fail-on-diff",
		    NULL);
	assert_int_equal(jint(r.json, "shellsentry/alerts"), 2);
	assert_int_equal(jint(r.json, "shellsentry/execs"), 1);
	assert_int_equal(jint(r.json, "execs/matched"), 1);
	assert_int_equal(jint(r.json, "execs/with_rule_diffs"), 1);
	assert_int_equal(jint(rule_row(r.json, TERM), "both"), 1);
	assert_int_equal(jint(rule_row(r.json, DETECT), "only_shellsentry"), 1);
	assert_int_equal(r.rc, 1);
	run_free(&r);

	run_compare(&r, NULL, "--falco", f, "--ours", o, "--format", "json", "--fail-on-diff",
		    "--rule", "Terminal*", NULL);
	assert_int_equal(jint(r.json, "shellsentry/other_rule_alerts"), 1);
	assert_int_equal(jint(r.json, "execs/with_rule_diffs"), 0);
	assert_int_equal(r.rc, 0);
	run_free(&r);
	free(f);
	free(o);
}

/* Falco's stdout mixes log lines; non-exec and non-syscall alerts are not execs. */
static void test_skips(void **state)
{
	const struct fx fa[] = {
		{.ms = 0, .pid = 5, .cmdline = "sh", .tty = 0},
		{.rule = "Read sensitive file untrusted",
		 .ms = 10,
		 .pid = 6,
		 .cmdline = "cat",
		 .evt_type = "openat"},
		{.rule = "Attach/Exec Pod",
		 .ms = 20,
		 .pid = 7,
		 .cmdline = "x",
		 .source = "k8s_audit"},
	};
	const struct fx oa[] = {{.ms = 0, .pid = 5, .cmdline = "sh", .tty = 0}};
	char *f =
		write_file("falco.jsonl", fa, 3,
			   "Wed May 15 10:02:00 2024: Falco version: 0.40.0\n{\"no\":\"rule\"}\n");
	char *o = write_file("ours.jsonl", oa, 1, "\n");
	struct run r;

	(void)state;
	run_compare(&r, NULL, "--falco", f, "--ours", o, "--format", "json", "--fail-on-diff",
		    NULL);
	assert_int_equal(jint(r.json, "falco/lines_not_alerts"), 2);
	assert_int_equal(jint(r.json, "falco/non_exec_alerts"), 2);
	assert_int_equal(jint(r.json, "falco/alerts"), 1);
	assert_int_equal(jint(r.json, "execs/matched"), 1);
	assert_int_equal(r.rc, 0);
	assert_non_null(strstr(r.err, ":1: skipped"));
	run_free(&r);
	free(f);
	free(o);
}

/* Values not in Falco's format are reported, per file and line. */
static void test_formats(void **state)
{
	const struct fx oa[] = {
		{.ms = 0, .pid = 1, .cmdline = "sh", .tty_str = "34816"},
		{.ms = 10, .pid = 2, .cmdline = "sh", .loginuid = 4294967295ll},
		{.ms = 20,
		 .pid = 3,
		 .cmdline = "sh",
		 .cid = "0123456789ab0123456789ab0123456789ab0123456789ab0123456789ab0123"},
		{.ms = 30, .pid = 4, .cmdline = "sh", .time_raw = "2024-05-15T10:02:03.1Z"},
		{.ms = 40, .pid = 5, .cmdline = "sh", .cid = "host"},
	};
	char *f = write_file("falco.jsonl", oa + 4, 1, NULL);
	char *o = write_file("ours.jsonl", oa, 5, NULL);
	struct json_object *ex, *e;
	const char *want[] = {"proc.tty", "user.loginuid", "container.id", "time"};
	struct run r;
	size_t i;

	(void)state;
	run_compare(&r, NULL, "--falco", f, "--ours", o, "--format", "json", NULL);
	assert_int_equal(jint(r.json, "falco/format_issues"), 0);
	assert_int_equal(jint(r.json, "shellsentry/format_issues"), 4);
	ex = json_object_object_get(json_object_object_get(r.json, "shellsentry"),
				    "format_issue_examples");
	for (i = 0; i < 4; i++) {
		e = json_object_array_get_idx(ex, i);
		assert_int_equal(jint(e, "line"), (int64_t)i + 1);
		assert_string_equal(json_object_get_string(json_object_object_get(e, "field")),
				    want[i]);
	}
	assert_true(json_object_get_boolean(json_object_object_get(r.json, "differ")));
	run_free(&r);
	free(f);
	free(o);
}

/* A null from one side against a value from the other is a difference. */
static void test_null_vs_value(void **state)
{
	const struct fx fa[] = {{.ms = 0, .pid = 5, .cmdline = "sh", .tty = 0}};
	const struct fx oa[] = {{.ms = 0, .pid = 5, .cmdline = "sh", .tty = 0, .pod = "web-1"}};
	char *f = write_file("falco.jsonl", fa, 1, NULL);
	char *o = write_file("ours.jsonl", oa, 1, NULL);
	struct json_object *fl;
	struct run r;

	(void)state;
	run_compare(&r, NULL, "--falco", f, "--ours", o, "--format", "json", NULL);
	assert_int_equal(jint(r.json, "field_diffs/k8s.pod.name"), 1);
	fl = json_object_array_get_idx(
		json_object_object_get(
			json_object_array_get_idx(json_object_object_get(r.json, "diffs"), 0),
			"fields"),
		0);
	assert_null(json_object_object_get(fl, "falco"));
	assert_string_equal(json_object_get_string(json_object_object_get(fl, "shellsentry")),
			    "web-1");
	run_free(&r);
	free(f);
	free(o);
}

/* Hostile command lines cannot forge lines in the table or break the JSON. */
static void test_hostile_values(void **state)
{
	const char *evil = "sh -c \"x\"\n\x1b[31mresult: same\xff";
	const struct fx fa[] = {{.ms = 0, .pid = 5, .cmdline = "sh", .tty = 0}};
	const struct fx oa[] = {{.ms = 0, .pid = 5, .cmdline = evil, .tty = 0}};
	char *f = write_file("falco.jsonl", fa, 1, NULL);
	char *o = write_file("ours.jsonl", oa, 1, NULL);
	struct run r;
	const char *p;

	(void)state;
	run_compare(&r, NULL, "--falco", f, "--ours", o, NULL);
	assert_null(strchr(r.out, '\x1b'));
	assert_null(strstr(r.out, "\xff"));
	for (p = r.out; (p = strstr(p, "result: ")); p++)
		assert_true(p == r.out || p[-1] == '\n' ? !strncmp(p, "result: differ", 14) : 1);
	assert_non_null(strstr(r.out, "\nresult: differ\n"));
	assert_null(strstr(r.out, "\nresult: same"));
	run_free(&r);
	run_compare(&r, NULL, "--falco", f, "--ours", o, "--format", "json", NULL);
	assert_non_null(r.json);
	assert_int_equal(jint(r.json, "field_diffs/proc.cmdline"), 1);
	run_free(&r);
	free(f);
	free(o);
}

static void test_stdin_and_usage(void **state)
{
	const struct fx fa[] = {{.ms = 0, .pid = 5, .cmdline = "sh", .tty = 0}};
	char *f = write_file("falco.jsonl", fa, 1, NULL);
	char *l = alert_line(&fa[0]);
	FILE *in = fmemopen(l, strlen(l), "r");
	struct run r;

	(void)state;
	assert_non_null(in);
	run_compare(&r, in, "--falco", f, "--ours", "-", "--format", "json", "--fail-on-diff",
		    NULL);
	assert_int_equal(r.rc, 0);
	assert_int_equal(jint(r.json, "execs/matched"), 1);
	run_free(&r);
	fclose(in);

	run_compare(&r, NULL, "--falco", "-", "--ours", "-", NULL);
	assert_int_equal(r.rc, 2);
	run_free(&r);
	run_compare(&r, NULL, "--falco", f, NULL);
	assert_int_equal(r.rc, 2);
	run_free(&r);
	run_compare(&r, NULL, "--falco", f, "--ours", f, "--window-ms", "-5", NULL);
	assert_int_equal(r.rc, 2);
	assert_non_null(strstr(r.err, "--window-ms"));
	run_free(&r);
	run_compare(&r, NULL, "--falco", f, "--ours", f, "--format", "yaml", NULL);
	assert_int_equal(r.rc, 2);
	run_free(&r);
	run_compare(&r, NULL, "--falco", f, "--ours", "/nonexistent/ours.jsonl", NULL);
	assert_int_equal(r.rc, 2);
	assert_non_null(strstr(r.err, "/nonexistent/ours.jsonl"));
	run_free(&r);
	free(l);
	free(f);
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_four_cases_json),
		cmocka_unit_test(test_four_cases_table),
		cmocka_unit_test(test_identical_passes),
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_identity),
		cmocka_unit_test(test_rules_per_exec),
		cmocka_unit_test(test_same_pid_two_execs),
		cmocka_unit_test(test_skips),
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_null_vs_value),
		cmocka_unit_test(test_hostile_values),
		cmocka_unit_test(test_stdin_and_usage),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
