/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>
#include <json-c/json.h>

#include "output/alert_format.h"

static struct exec_event ev;
static char buf[ALERT_BUF_LEN];

static void make_event(void)
{
	memset(&ev, 0, sizeof(ev));
	ev.time_ns = 1795680511956236237ULL; /* 2026-11-26T08:08:31.956236237Z */
	ev.pid = 12532;
	ev.vpid = 1;
	ev.ppid = 12521;
	ev.uid = 0;
	ev.loginuid = -1;
	ev.tty = 34816;
	ev.lineage = SS_LINEAGE_ENTRYPOINT;
	strcpy(ev.comm, "bash");
	strcpy(ev.exe, "bash");
	strcpy(ev.args, "-c /usr/sbin/lsmod | cut -d' ' -f1 | grep -qx \"falco\"");
	snprintf(ev.cmdline, sizeof(ev.cmdline), "bash %s", ev.args);
	strcpy(ev.exepath, "/usr/bin/bash");
	strcpy(ev.hostname, "k8s-master-01");
	strcpy(ev.user_name, "root");
	ev.ancestor_count = 1;
	strcpy(ev.ancestors[0].comm, "runc:[2:INIT]");
	ev.container.is_container = true;
	strcpy(ev.container.id, "185304d1bba4");
	strcpy(ev.container.full_id,
	       "185304d1bba4aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	ev.container.privileged = TRI_UNKNOWN;
}

static json_object *field(json_object *root, const char *name)
{
	json_object *of, *v = NULL;

	assert_true(json_object_object_get_ex(root, "output_fields", &of));
	assert_true(json_object_object_get_ex(of, name, &v) || !v);
	return v;
}

static void test_json_keys_and_values(void **state)
{
	const char *tags[] = {"container", "shell", "mitre_execution"};
	struct alert_render a = {.ev = &ev,
				 .rule = "Detect Shell in Container",
				 .priority = PRIO_NOTICE,
				 .output = "Shell\nin \"container\"",
				 .tags = tags,
				 .n_tags = 3};
	json_object *root, *v;
	int n;

	(void)state;
	make_event();
	n = alert_format_json(&a, buf, sizeof(buf));
	assert_true(n > 0);
	assert_null(strchr(buf, '\n')); /* one line */
	root = json_tokener_parse(buf);
	assert_non_null(root);
	assert_true(json_object_object_get_ex(root, "rule", &v));
	assert_string_equal(json_object_get_string(v), a.rule);
	assert_true(json_object_object_get_ex(root, "priority", &v));
	assert_string_equal(json_object_get_string(v), "Notice");
	assert_true(json_object_object_get_ex(root, "source", &v));
	assert_string_equal(json_object_get_string(v), "syscall");
	assert_true(json_object_object_get_ex(root, "hostname", &v));
	assert_string_equal(json_object_get_string(v), "k8s-master-01");
	assert_true(json_object_object_get_ex(root, "time", &v));
	assert_string_equal(json_object_get_string(v), "2026-11-26T08:08:31.956236237Z");
	assert_true(json_object_object_get_ex(root, "output", &v));
	assert_string_equal(json_object_get_string(v),
			    "08:08:31.956236237: Notice Shell\nin \"container\"");
	assert_true(json_object_object_get_ex(root, "tags", &v));
	assert_int_equal(json_object_array_length(v), 3);

	assert_string_equal(json_object_get_string(field(root, "proc.cmdline")), ev.cmdline);
	assert_string_equal(json_object_get_string(field(root, "proc.args")), ev.args);
	assert_int_equal(json_object_get_int64(field(root, "proc.tty")), 34816);
	assert_int_equal(json_object_get_int64(field(root, "user.loginuid")), -1);
	assert_int_equal(json_object_get_int64(field(root, "proc.pid")), 12532);
	assert_string_equal(json_object_get_string(field(root, "container.id")), "185304d1bba4");
	assert_string_equal(json_object_get_string(field(root, "proc.pname")), "runc:[2:INIT]");
	assert_string_equal(json_object_get_string(field(root, "shellsentry.lineage")),
			    "entrypoint");
	/* unknown -> JSON null, as Falco */
	v = field(root, "container.name");
	assert_null(v);
	assert_true(json_object_object_get_ex(json_object_object_get(root, "output_fields"),
					      "container.name", NULL));
	json_object_put(root);
}

static void test_rule_output_fields_added(void **state)
{
	struct field_ref refs[2] = {0};
	struct alert_render a = {.ev = &ev,
				 .rule = "r",
				 .priority = PRIO_WARNING,
				 .output = "x",
				 .refs = refs,
				 .n_refs = 2};
	json_object *root;

	(void)state;
	make_event();
	refs[0].id = field_lookup("proc.aname")->id;
	refs[0].index = 1;
	strcpy(refs[0].name, "proc.aname[1]");
	refs[1].id = field_lookup("proc.name")->id; /* already in the base set: once */
	refs[1].index = -1;
	strcpy(refs[1].name, "proc.name");
	assert_true(alert_format_json(&a, buf, sizeof(buf)) > 0);
	root = json_tokener_parse(buf);
	assert_non_null(root);
	assert_string_equal(json_object_get_string(field(root, "proc.aname[1]")), "runc:[2:INIT]");
	assert_null(strstr(strstr(buf, "\"proc.name\"") + 1, "\"proc.name\""));
	json_object_put(root);
}

static void test_hostile_output_one_line_text(void **state)
{
	struct alert_render a = {.ev = &ev,
				 .rule = "r",
				 .priority = PRIO_NOTICE,
				 .output = "cmd=x\n2026-01-01T00:00:00Z: Critical forged\x1b[2J"};

	(void)state;
	make_event();
	assert_true(alert_format_text(&a, buf, sizeof(buf)) > 0);
	assert_null(strchr(buf, '\n'));
	assert_null(strchr(buf, 0x1b));
	assert_non_null(strstr(buf, "2026-11-26T08:08:31.956236237Z: Notice cmd=x\\x0a2026"));
}

static void test_small_buffer_enospc(void **state)
{
	struct alert_render a = {.ev = &ev, .rule = "r", .priority = PRIO_NOTICE, .output = "x"};

	(void)state;
	make_event();
	assert_int_equal(alert_format_json(&a, buf, 64), -ENOSPC);
	assert_int_equal(alert_format_text(&a, buf, 20), -ENOSPC);
}

static void test_max_argv_fits(void **state)
{
	struct alert_render a = {.ev = &ev, .rule = "r", .priority = PRIO_NOTICE};
	json_object *root;

	(void)state;
	make_event();
	/* worst case: every byte a control character, escaped 6x, in several fields */
	memset(ev.args, 0x01, SS_ARGV_LEN - 1);
	ev.args[SS_ARGV_LEN - 1] = 0;
	memset(ev.cmdline, 0x01, EXEC_STR_MAX - 1);
	memset(ev.exe, 0x02, EXEC_STR_MAX - 1);
	a.output = ev.cmdline;
	assert_true(alert_format_json(&a, buf, sizeof(buf)) > 0);
	root = json_tokener_parse(buf);
	assert_non_null(root);
	assert_int_equal(strlen(json_object_get_string(field(root, "proc.cmdline"))),
			 EXEC_STR_MAX - 1);
	json_object_put(root);
}

/* The hand-rolled civil-time conversion agrees with libc's gmtime_r over 1970..2200. */
static void test_rfc3339_matches_libc(void **state)
{
	unsigned long long x = 88172645463325252ULL;

	(void)state;
	for (int i = 0; i < 200000; i++) {
		unsigned long long ns;
		time_t sec;
		struct tm tm;
		char want[64], date[32], got[64];

		x ^= x << 13; /* xorshift: reproducible spread of instants */
		x ^= x >> 7;
		x ^= x << 17;
		ns = x % (7258118400ULL * 1000000000ULL); /* up to 2200-01-01 */
		if (i < 4)
			ns = (unsigned long long[]){
				0, 951782400ULL * 1000000000ULL,   /* 2000-02-29 */
				4107456000ULL * 1000000000ULL - 1, /* 2100-02-28 */
				1795680511956236237ULL}[i];
		sec = (time_t)(ns / 1000000000ULL);
		gmtime_r(&sec, &tm);
		strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
		snprintf(want, sizeof(want), "%s.%09lluZ", date, ns % 1000000000ULL);
		format_rfc3339_ns(ns, got, sizeof(got));
		assert_string_equal(got, want);
	}
}

/* A shared, pre-rendered base gives byte-identical alerts. */
static void test_shared_base_fields_identical(void **state)
{
	static char base[ALERT_BUF_LEN], other[ALERT_BUF_LEN];
	struct alert_render a = {.ev = &ev, .rule = "r", .priority = PRIO_NOTICE, .output = "o"};
	int n, m, b;

	(void)state;
	make_event();
	n = alert_format_json(&a, buf, sizeof(buf));
	b = alert_format_base_fields(&ev, base, sizeof(base));
	assert_true(n > 0 && b > 0);
	a.base_json = base;
	a.base_json_len = (size_t)b;
	m = alert_format_json(&a, other, sizeof(other));
	assert_int_equal(n, m);
	assert_memory_equal(buf, other, (size_t)n);
	assert_int_equal(alert_format_base_fields(&ev, base, 32), -ENOSPC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_keys_and_values),
		cmocka_unit_test(test_rule_output_fields_added),
		cmocka_unit_test(test_hostile_output_one_line_text),
		cmocka_unit_test(test_small_buffer_enospc),
		cmocka_unit_test(test_max_argv_fits),
		cmocka_unit_test(test_rfc3339_matches_libc),
		cmocka_unit_test(test_shared_base_fields_identical),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
