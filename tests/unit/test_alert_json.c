/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "output/alert_json.h"
#include "rules/rules.h"

static struct alert *parse_ok(const char *line)
{
	struct alert *a = malloc(sizeof(*a));
	struct alert_error err;

	assert_non_null(a);
	assert_int_equal(alert_from_json(line, strlen(line), a, &err), 0);
	return a;
}

static void test_falco_line(void **state)
{
	const char *line =
		"{\"time\":\"2024-05-15T10:02:03.123456789Z\",\"rule\":\"Terminal shell in container\","
		"\"priority\":\"Notice\",\"source\":\"syscall\",\"hostname\":\"node-1\","
		"\"output\":\"x\",\"output_fields\":{\"container.id\":\"0123456789ab\","
		"\"proc.cmdline\":\"bash -c id\",\"user.name\":\"root\",\"user.uid\":0,"
		"\"k8s.ns.name\":null,\"proc.tty\":34816,\"container.privileged\":true}}";
	struct alert *a = parse_ok(line);

	(void)state;
	assert_string_equal(a->rule, "Terminal shell in container");
	assert_int_equal(a->priority, PRIO_NOTICE);
	assert_string_equal(a->ev.hostname, "node-1");
	assert_true(a->time_known);
	/* 2024-05-15T10:02:03Z = 1715767323 */
	assert_true(a->ev.time_ns == 1715767323ull * 1000000000ull + 123456789ull);
	assert_string_equal(a->ev.container.id, "0123456789ab");
	assert_true(a->ev.container.is_container);
	assert_string_equal(a->ev.cmdline, "bash -c id");
	/* proc.name and proc.args follow from Falco's cmdline definition */
	assert_string_equal(a->ev.comm, "bash");
	assert_string_equal(a->ev.args, "-c id");
	assert_true(alert_field_known(a, F_USER_UID));
	assert_int_equal(a->ev.uid, 0);
	assert_int_equal(a->ev.tty, 34816);
	assert_int_equal(a->ev.container.privileged, TRI_TRUE);
	/* null and absent fields stay unknown */
	assert_false(alert_field_known(a, F_K8S_NS_NAME));
	assert_false(alert_field_known(a, F_SS_LINEAGE));
	assert_false(alert_field_known(a, F_USER_LOGINUID));
	assert_false(a->shellsentry);
	free(a);
}

static void test_shellsentry_fields(void **state)
{
	const char *line =
		"{\"time\":\"2024-05-15T12:02:03+02:00\",\"rule\":\"r\",\"output_fields\":{"
		"\"shellsentry.lineage\":\"injected\",\"shellsentry.cap_effective_hex\":"
		"\"0xffffffffffffffff\",\"proc.aname[2]\":\"containerd-shim\",\"proc.apid[2]\":77,"
		"\"proc.pname\":\"runc\",\"user.loginuid\":-1}}";
	struct alert *a = parse_ok(line);

	(void)state;
	assert_true(a->shellsentry);
	assert_int_equal(a->ev.lineage, SS_LINEAGE_INJECTED);
	assert_true(a->ev.cap_effective == ~0ull);
	assert_int_equal(a->ev.ancestor_count, 2);
	assert_string_equal(a->ev.ancestors[0].comm, "runc");
	assert_string_equal(a->ev.ancestors[1].comm, "containerd-shim");
	assert_int_equal(a->ev.ancestors[1].pid, 77);
	assert_true(alert_field_known(a, F_USER_LOGINUID));
	assert_int_equal(a->ev.loginuid, -1);
	assert_true(a->ev.time_ns == 1715767323ull * 1000000000ull);
	free(a);
}

static void test_rejects(void **state)
{
	static const char *const bad[] = {
		"", "not json", "[1,2]", "{\"output\":\"x\"}", "{\"rule\":\"\"}", "{\"rule\":5}",
		"{\"rule\":\"r\"} trailing", "{\"rule\":\"r\",\"output_fields\":{\"user.uid\":\"x\"}}",
		"{\"rule\":\"r\",\"output_fields\":{\"proc.cmdline\":7}}",
	};
	struct alert *a = malloc(sizeof(*a));
	struct alert_error err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(alert_from_json(bad[i], strlen(bad[i]), a, &err), -EINVAL);
		assert_true(err.msg[0] != '\0');
	}
	assert_int_equal(alert_from_json("{}", ALERT_LINE_MAX + 1, a, &err), -E2BIG);
	free(a);
}

static void test_deep_nesting_bounded(void **state)
{
	char *line = malloc(200000);
	struct alert *a = malloc(sizeof(*a));
	struct alert_error err;
	size_t i, n = 0;

	(void)state;
	n += (size_t)sprintf(line, "{\"rule\":\"r\",\"x\":");
	for (i = 0; i < 50000; i++)
		line[n++] = '[';
	line[n] = '\0';
	assert_int_equal(alert_from_json(line, n, a, &err), -EINVAL);
	free(line);
	free(a);
}

static void test_long_values_cut(void **state)
{
	size_t n = EXEC_STR_MAX * 2, i, o;
	char *line = malloc(n + 100);
	struct alert *a;

	(void)state;
	o = (size_t)sprintf(line, "{\"rule\":\"r\",\"output_fields\":{\"proc.cmdline\":\"");
	for (i = 0; i < n; i++)
		line[o++] = 'a';
	strcpy(line + o, "\"}}");
	a = parse_ok(line);
	assert_int_equal(strlen(a->ev.cmdline), EXEC_STR_MAX - 1);
	free(line);
	free(a);
}

static void test_time_parse(void **state)
{
	uint64_t ns;

	(void)state;
	assert_int_equal(alert_parse_time("1970-01-01T00:00:01Z", &ns), 0);
	assert_true(ns == 1000000000ull);
	assert_int_equal(alert_parse_time("1970-01-01T00:00:01.5Z", &ns), 0);
	assert_true(ns == 1500000000ull);
	assert_int_equal(alert_parse_time("1970-01-01T00:00:01", &ns), -EINVAL);
	assert_int_equal(alert_parse_time("yesterday", &ns), -EINVAL);
	assert_int_equal(alert_parse_time("1970-01-01T00:00:01.Z", &ns), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_falco_line),
		cmocka_unit_test(test_shellsentry_fields),
		cmocka_unit_test(test_rejects),
		cmocka_unit_test(test_deep_nesting_bounded),
		cmocka_unit_test(test_long_values_cut),
		cmocka_unit_test(test_time_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
