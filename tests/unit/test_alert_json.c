/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "output/alert_format.h"
#include "output/alert_json.h"
#include "rules/rules.h"

static struct alert *parse_ok(const char *line)
{
	struct alert *a = malloc(sizeof(*a));
	struct ss_error err;

	assert_non_null(a);
	assert_int_equal(alert_from_json(line, strlen(line), a, &err), 0);
	return a;
}

static void test_falco_line(void **state)
{
	const char *line =
		"{\"time\":\"2024-05-15T10:02:03.123456789Z\",\"rule\":\"Terminal shell in "
		"container\","
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
		"",
		"not json",
		"[1,2]",
		"{\"output\":\"x\"}",
		"{\"rule\":\"\"}",
		"{\"rule\":5}",
		"{\"rule\":\"r\"} trailing",
		"{\"rule\":\"r\",\"output_fields\":{\"user.uid\":\"x\"}}",
		"{\"rule\":\"r\",\"output_fields\":{\"proc.cmdline\":7}}",
	};
	struct alert *a = malloc(sizeof(*a));
	struct ss_error err;
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
	struct ss_error err;
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

/* An event with a distinct value in every field that can carry one. */
static struct exec_event *every_field_event(void)
{
	struct exec_event *ev = calloc(1, sizeof(*ev));

	assert_non_null(ev);
	ev->time_ns = 1700000000123456789ULL;
	ev->cap_effective = 0xa80425fbULL;
	ev->flags = SS_F_ARGV_TRUNCATED | SS_F_EXE_UPPER_LAYER;
	ev->pid = 4242;
	ev->vpid = 7;
	ev->ppid = 4200;
	ev->uid = 1000;
	ev->gid = 1001;
	ev->euid = 1002;
	ev->loginuid = 1003;
	ev->tty = 34816;
	ev->pidns_inum = 4026532301u;
	ev->lineage = SS_LINEAGE_INIT_TREE;
	strcpy(ev->comm, "bash");
	ev->ancestor_count = 2;
	strcpy(ev->ancestors[0].comm, "runc");
	ev->ancestors[0].pid = 4200;
	strcpy(ev->ancestors[1].comm, "containerd-shim");
	ev->ancestors[1].pid = 100;
	strcpy(ev->filename, "/bin/bash");
	strcpy(ev->interp, "/bin/sh");
	ev->flags |= SS_F_INTERP;
	strcpy(ev->exepath, "/usr/bin/bash");
	strcpy(ev->exe, "/bin/bash");
	strcpy(ev->args, "-c id");
	strcpy(ev->cmdline, "bash -c id");
	strcpy(ev->hostname, "node-1");
	strcpy(ev->user_name, "app");
	strcpy(ev->pcmdline, "runc exec");
	ev->container.is_container = true;
	ev->container.runtime = RUNTIME_CRIO;
	strcpy(ev->container.id, "0123456789ab");
	strcpy(ev->container.full_id,
	       "0123456789ab0123456789ab0123456789ab0123456789ab0123456789abcdef");
	strcpy(ev->container.name, "web");
	strcpy(ev->container.image, "nginx:1.27");
	strcpy(ev->container.image_repository, "nginx");
	strcpy(ev->container.image_tag, "1.27");
	ev->container.privileged = TRI_FALSE;
	strcpy(ev->container.pod_name, "web-0");
	strcpy(ev->container.pod_namespace, "prod");
	strcpy(ev->container.pod_uid, "uid-1");
	strcpy(ev->container.k8s_container_name, "nginx");
	strcpy(ev->stdio[0].type, "ipv4");
	strcpy(ev->stdio[0].name, "10.0.0.5:43210->10.0.0.9:4444");
	strcpy(ev->stdio[0].peer, "10.0.0.9:4444");
	strcpy(ev->stdio[1].type, "pipe");
	strcpy(ev->stdio[1].name, "pipe:[77]");
	strcpy(ev->stdio[1].peer, "[::1]:80");
	strcpy(ev->stdio[2].type, "file");
	strcpy(ev->stdio[2].name, "/dev/null");
	strcpy(ev->stdio[2].peer, "192.0.2.1:53");
	strcpy(ev->stdio_peer, "10.0.0.9:4444");
	strcpy(ev->stdio_local, "10.0.0.5:43210");
	strcpy(ev->stdio_proto, "tcp");
	strcpy(ev->session, "4242-1a2b3c");
	ev->session_pid = 4242;
	ev->session_start_ns = 1700000000000000000ULL;
	ev->flags |= SS_F_SESSION | SS_F_SESSION_START;
	strcpy(ev->session_reasons, "injected,tty");
	strcpy(ev->cwd, "/var/www/");
	strcpy(ev->pexepath, "/usr/sbin/php-fpm");
	strcpy(ev->pexe, "php-fpm: pool www");
	return ev;
}

/*
 * The field table drives both the JSON writer and the reader: every field
 * the table says is read back comes back with the value written, known;
 * the others stay unknown.
 */
static void test_round_trip_every_field(void **state)
{
	struct exec_event *ev = every_field_event();
	struct field_ref refs[F_COUNT + 2];
	struct alert_render r = {.ev = ev, .rule = "r", .priority = PRIO_NOTICE, .output = "x"};
	char *buf = malloc(ALERT_BUF_LEN);
	struct alert *a = malloc(sizeof(*a));
	struct ss_error err;
	size_t n = 0;
	int len;

	(void)state;
	assert_non_null(buf);
	assert_non_null(a);
	for (int i = 0; i < F_COUNT; i++) {
		refs[n].id = (enum field_id)i;
		refs[n].index = field_table[i].indexed ? 1 : -1;
		snprintf(refs[n].name, sizeof(refs[n].name), "%s%s", field_table[i].name,
			 field_table[i].indexed ? "[1]" : "");
		n++;
	}
	refs[n] = (struct field_ref){.id = F_PROC_ANAME, .index = 2, .name = "proc.aname[2]"};
	refs[n + 1] = (struct field_ref){.id = F_PROC_APID, .index = 2, .name = "proc.apid[2]"};
	n += 2;
	r.refs = refs;
	r.n_refs = n;
	len = alert_format_json(&r, buf, ALERT_BUF_LEN);
	assert_true(len > 0);
	assert_int_equal(alert_from_json(buf, (size_t)len, a, &err), 0);
	assert_true(a->shellsentry);
	for (int i = 0; i < F_COUNT; i++) {
		const struct field_def *d = &field_table[i];
		struct field_value want, got;
		char w[1024];

		if (d->indexed)
			continue;
		if (d->readback == FRB_IGNORE) {
			assert_false(a->known[i]);
			continue;
		}
		assert_true(a->known[i]);
		field_extract(ev, d->id, -1, &want);
		field_extract(&a->ev, d->id, -1, &got);
		snprintf(w, sizeof(w), "%s", field_value_str(&want));
		if (strcmp(w, field_value_str(&got)))
			fail_msg("%s: wrote %s, read back %s", d->name, w, field_value_str(&got));
	}
	assert_string_equal(a->ev.ancestors[1].comm, "containerd-shim");
	assert_int_equal(a->ev.ancestors[1].pid, 100);
	free(buf);
	free(a);
	free(ev);
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
		cmocka_unit_test(test_round_trip_every_field),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
