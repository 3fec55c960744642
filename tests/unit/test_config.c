/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "cli/config.h"
#include "errstr.h"

static struct daemon_options base, o;
static char err[1024];

static void reset(void)
{
	memset(&base, 0, sizeof(base));
	snprintf(base.hostname, sizeof(base.hostname), "default-host");
	base.sinks.format = FMT_JSON;
	base.sinks.stdout_enabled = true;
	base.min_priority = PRIO_DEBUG;
	base.ringbuf_kib = 256;
	base.rate_burst = 10;
	base.n_rules = 1;
	snprintf(base.rules[0], sizeof(base.rules[0]), "/default/rules.yaml");
	o = base;
	err[0] = '\0';
}

static int load(const char *text)
{
	return WITH_ERR(config_load_string("test.yaml", text, strlen(text), &o, &serr));
}

/* A failed load names the position and leaves the options untouched. */
static void expect_error(const char *text, const char *where, const char *what)
{
	reset();
	if (load(text) != -EINVAL)
		fail_msg("accepted:\n%s", text);
	if (strncmp(err, where, strlen(where)) || !strstr(err, what))
		fail_msg("error '%s', want '%s' ... '%s'", err, where, what);
	assert_memory_equal(&o, &base, sizeof(o));
}

static const char good[] = "# comment\n"
			   "hostname: k8s-master-01\n"
			   "format: text\n"
			   "output: /var/log/shellsentry/alerts.log\n"
			   "stdout: no\n"
			   "syslog: true\n"
			   "http:\n"
			   "  url: https://sidekick.example:2801/\n"
			   "  headers:\n"
			   "    - \"Authorization: Bearer abc\"\n"
			   "    - 'X-Cluster: prod'\n"
			   "  timeout_ms: 2500\n"
			   "  insecure: true\n"
			   "  ca_file: /etc/ssl/ca.pem\n"
			   "  queue_max: 77\n"
			   "rules: [/etc/a.yaml, /etc/b.d]\n"
			   "disable_rules: ['Terminal*']\n"
			   "disable_tags: [mitre_execution, shell]\n"
			   "min_priority: warning\n"
			   "falco_compat: on\n"
			   "hook: tracepoint\n"
			   "btf: /boot/vmlinux.btf\n"
			   "ringbuf_kib: 1024\n"
			   "exe_judge_rate: 500\n"
			   "verbose: TRUE\n"
			   "runtime_root: /host\n"
			   "report_dir: /var/lib/shellsentry/reports\n"
			   "report_delay: 45\n"
			   "rule_matching: ALL\n"
			   "metrics_addr: \"[::]:9376\"\n"
			   "stats_interval: 60\n"
			   "rate: 0.5\n"
			   "burst: 3\n"
			   "drop_privileges: yes\n"
			   "sessions:\n"
			   "  start: tty,network\n"
			   "  max_commands: 500\n"
			   "  rate: 20\n"
			   "  max_members: 64\n";

static void test_good_file(void **state)
{
	(void)state;
	reset();
	assert_int_equal(load(good), 0);
	assert_string_equal(o.hostname, "k8s-master-01");
	assert_int_equal(o.sinks.format, FMT_TEXT);
	assert_string_equal(o.sinks.output_file, "/var/log/shellsentry/alerts.log");
	assert_false(o.sinks.stdout_enabled);
	assert_true(o.sinks.syslog_enabled);
	assert_string_equal(o.sinks.http.url, "https://sidekick.example:2801/");
	assert_int_equal(o.sinks.http.n_headers, 2);
	assert_string_equal(o.sinks.http.headers[0], "Authorization: Bearer abc");
	assert_string_equal(o.sinks.http.headers[1], "X-Cluster: prod");
	assert_int_equal(o.sinks.http.timeout_ms, 2500);
	assert_true(o.sinks.http.insecure);
	assert_string_equal(o.sinks.http.ca_file, "/etc/ssl/ca.pem");
	assert_int_equal(o.sinks.http.queue_max, 77);
	assert_int_equal(o.n_rules, 2); /* replaces the default list */
	assert_string_equal(o.rules[0], "/etc/a.yaml");
	assert_string_equal(o.rules[1], "/etc/b.d");
	assert_int_equal(o.n_disabled_rules, 1);
	assert_string_equal(o.disabled_rules[0], "Terminal*");
	assert_int_equal(o.n_disabled_tags, 2);
	assert_string_equal(o.disabled_tags[1], "shell");
	assert_int_equal(o.min_priority, PRIO_WARNING);
	assert_true(o.falco_compat);
	assert_int_equal(o.hook, LOADER_HOOK_TRACEPOINT);
	assert_string_equal(o.btf_path, "/boot/vmlinux.btf");
	assert_int_equal(o.ringbuf_kib, 1024);
	assert_int_equal(o.exe_judge_rate, 500);
	assert_true(o.verbose);
	assert_string_equal(o.runtime_root, "/host");
	assert_string_equal(o.report_dir, "/var/lib/shellsentry/reports");
	assert_int_equal(o.report_delay, 45);
	assert_int_equal(o.rule_matching, RULE_MATCHING_ALL);
	assert_string_equal(o.metrics_addr, "[::]:9376");
	assert_int_equal(o.stats_interval, 60);
	assert_string_equal(o.session_start, "tty,network");
	assert_int_equal(o.session_max_commands, 500);
	assert_int_equal(o.session_rate, 20);
	assert_int_equal(o.session_max_members, 64);
	assert_true(o.rate_per_sec == 0.5);
	assert_int_equal(o.rate_burst, 3);
	assert_true(o.drop_privileges);
}

static void test_every_key_covered_by_good_file(void **state)
{
	const char *k;
	size_t i;
	char needle[64];

	(void)state;
	/* A key added to the table without a test above shows up here. */
	for (i = 0; (k = config_key_name(i)); i++) {
		const char *leaf = strrchr(k, '.');

		snprintf(needle, sizeof(needle), "%s:", leaf ? leaf + 1 : k);
		if (!strstr(good, needle))
			fail_msg("key %s not in the good file", k);
	}
	assert_true(i >= 27);
}

static void test_partial_keeps_defaults(void **state)
{
	(void)state;
	reset();
	assert_int_equal(load("burst: 5\n"), 0);
	assert_int_equal(o.rate_burst, 5);
	assert_string_equal(o.hostname, "default-host");
	assert_int_equal(o.n_rules, 1);
	reset();
	assert_int_equal(load(""), 0);
	assert_memory_equal(&o, &base, sizeof(o));
	assert_int_equal(load("# only comments\n---\n"), 0);
	assert_memory_equal(&o, &base, sizeof(o));
	assert_int_equal(load("rules: /one.yaml\noutput:\nhttp:\n"), 0);
	assert_int_equal(o.n_rules, 1);
	assert_string_equal(o.rules[0], "/one.yaml");
	assert_string_equal(o.sinks.output_file, "");
}

static void test_unknown_keys(void **state)
{
	(void)state;
	expect_error("hostname: a\nformat: json\nfromat: json\n",
		     "test.yaml:3:1:", "unknown key 'fromat'");
	expect_error("http:\n  url: http://x/\n  timeout: 5\n",
		     "test.yaml:3:3:", "unknown key 'http.timeout'");
	expect_error("burst: 1\nburst: 2\n", "test.yaml:2:1:", "duplicate key 'burst'");
	expect_error("url: http://x/\n", "test.yaml:1:1:", "unknown key 'url'");
}

static void test_bad_values(void **state)
{
	char longv[2048];

	(void)state;
	expect_error("stdout: true\nringbuf_kib: 2\n", "test.yaml:2:14:", "ringbuf_kib: '2'");
	expect_error("format: xml\n", "test.yaml:1:9:", "not json or text");
	expect_error("hook: kprobe\n", "test.yaml:1:7:", "not auto, tp_btf or tracepoint");
	expect_error("min_priority: loud\n", "test.yaml:1:15:", "not a priority");
	expect_error("rule_matching: most\n", "test.yaml:1:16:", "is not first or all");
	expect_error("report_delay: 0\n", "test.yaml:1:15:", "report_delay");
	expect_error("stdout: maybe\n", "test.yaml:1:9:", "not true or false");
	expect_error("rate: -1\n", "test.yaml:1:7:", "not a rate");
	expect_error("rate: nan\n", "test.yaml:1:7:", "not a rate");
	expect_error("burst: 12abc\n", "test.yaml:1:8:", "not a whole number");
	expect_error("stats_interval: -5\n", "test.yaml:1:17:", "not a whole number");
	expect_error("burst: [1, 2]\n", "test.yaml:1:8:", "expected a single value");
	expect_error("metrics_addr: localhost:9376\n", "test.yaml:1:15:", "IPv4:port");
	expect_error("http:\n  url: ftp://x/\n", "test.yaml:2:8:", "not an http");
	expect_error("http:\n  headers:\n    - ok: fine\n",
		     "test.yaml:3:7:", "expected a single value");
	expect_error("http:\n  headers: [\"NoColon\"]\n", "test.yaml:2:13:", "Name: value");
	expect_error("http:\n  headers: [\"A: b\\r\\nX-Forged: 1\"]\n",
		     "test.yaml:2:13:", "control character");
	expect_error("http: 5\n", "test.yaml:1:7:", "expected a mapping");
	expect_error("- a\n- b\n", "test.yaml:1:1:", "expected a mapping");
	expect_error("hostname: \"a\\0b\"\n", "test.yaml:1:11:", "NUL");
	expect_error("rules: [a, '', b]\n", "test.yaml:1:12:", "empty entry");
	expect_error("rules: [a, ~]\n", "test.yaml:1:12:", "empty entry");
	expect_error("a: 1\n---\nb: 2\n", "test.yaml:1:1:", "unknown key");
	expect_error("burst: 1\n---\nburst: 2\n", "test.yaml:3:1:", "only one YAML document");
	expect_error("burst: [1\n", "test.yaml:", "");
	expect_error("disable_tags: [a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r, s, t, "
		     "u, v, w, x, y, z, A, B, C, D, E, F, G]\n", /* G: 15 + 32 * 3 + 1 */
		     "test.yaml:1:112:", "at most 32 entries");
	memset(longv, 'x', sizeof(longv));
	snprintf(longv, sizeof(longv), "hostname: %0300d\n", 7);
	expect_error(longv, "test.yaml:1:11:", "too long");
}

static void test_file_io(void **state)
{
	char path[] = "/tmp/ss-config-XXXXXX";
	int fd;

	(void)state;
	reset();
	assert_int_equal(WITH_ERR(config_load_file("/nonexistent/shellsentry.yaml", &o, &serr)),
			 -ENOENT);
	assert_non_null(strstr(err, "/nonexistent/shellsentry.yaml"));
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "format: text\nbad_key: 1\n", 24), 24);
	close(fd);
	assert_int_equal(WITH_ERR(config_load_file(path, &o, &serr)), -EINVAL);
	assert_true(!strncmp(err, path, strlen(path)));
	assert_non_null(strstr(err, ":2:1: unknown key 'bad_key'"));
	assert_int_equal(o.sinks.format, FMT_JSON);
	unlink(path);
	assert_int_equal(WITH_ERR(config_load_file("/tmp", &o, &serr)), -EINVAL);
}

/* The shipped example config loads and documents every key. */
static void test_example_config(void **state)
{
	const char *srcdir = getenv("SS_SRCDIR");
	char path[512], *text;
	const char *k;
	size_t i;
	FILE *f;
	long n;

	(void)state;
	snprintf(path, sizeof(path), "%s/deploy/shellsentry.yaml", srcdir ? srcdir : ".");
	reset();
	if (WITH_ERR(config_load_file(path, &o, &serr)))
		fail_msg("%s", err);
	f = fopen(path, "r");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	text = calloc(1, n + 1);
	assert_int_equal(fread(text, 1, n, f), n);
	fclose(f);
	for (i = 0; (k = config_key_name(i)); i++) {
		const char *leaf = strrchr(k, '.');
		char needle[64];

		snprintf(needle, sizeof(needle), "\n%s%s:", leaf ? "  " : "", leaf ? leaf + 1 : k);
		if (!strstr(text, needle))
			fail_msg("%s does not show key %s", path, k);
	}
	free(text);
	assert_true(o.drop_privileges);
	assert_string_equal(o.metrics_addr, "127.0.0.1:9376");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_file),
		cmocka_unit_test(test_every_key_covered_by_good_file),
		cmocka_unit_test(test_partial_keeps_defaults),
		cmocka_unit_test(test_unknown_keys),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_file_io),
		cmocka_unit_test(test_example_config),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
