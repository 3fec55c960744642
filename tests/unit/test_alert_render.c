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
#include <json-c/json.h>

#include "output/alert_render.h"

static struct ruleset *load(const char *yaml)
{
	char path[] = "/tmp/ss-test-render-XXXXXX";
	const char *paths[] = {path};
	struct rules_options ro = {.min_priority = PRIO_DEBUG};
	struct ss_error err = {0};
	struct ruleset *rs = NULL;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, yaml, strlen(yaml)), (ssize_t)strlen(yaml));
	close(fd);
	assert_int_equal(ruleset_load(paths, 1, &ro, &rs, &err, NULL), 0);
	unlink(path);
	return rs;
}

static const char *const two_rules =
	"- rule: A\n  desc: d\n  condition: proc.name = sh\n"
	"  output: >\n    shell %proc.cmdline by %user.name\n  priority: NOTICE\n  tags: [t1]\n"
	"- rule: B\n  desc: d\n  condition: proc.name = sh\n"
	"  output: second %proc.pid\n  priority: WARNING\n";

static void fill(struct exec_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	strcpy(ev->comm, "sh");
	strcpy(ev->cmdline, "sh -c id");
	strcpy(ev->user_name, "root");
	strcpy(ev->hostname, "node-1");
	strcpy(ev->container.id, "host");
	ev->pid = 77;
	ev->loginuid = -1;
	ev->time_ns = 1795680511956236237ULL;
}

static void test_two_rules_one_event(void **state)
{
	struct ruleset *rs = load(two_rules);
	struct exec_event *ev = calloc(1, sizeof(*ev));
	struct alert_renderer r;
	const struct rule *m[4];
	struct alert_out out;
	json_object *o, *v;
	size_t n;

	(void)state;
	fill(ev);
	assert_int_equal(alert_renderer_init(&r, true, true), 0);
	n = ruleset_eval(rs, ev, m, 4);
	assert_int_equal(n, 2);
	alert_renderer_next_event(&r);

	assert_int_equal(alert_renderer_render(&r, m[0], ev, 0, &out), 0);
	assert_non_null(out.json);
	assert_non_null(out.text);
	assert_string_equal(out.rule, "A");
	/* the folded YAML template's trailing newline is trimmed, as Falco does */
	assert_string_equal(r.output, "shell sh -c id by root");
	o = json_tokener_parse(out.json);
	assert_non_null(o);
	assert_true(json_object_object_get_ex(o, "output", &v));
	assert_string_equal(json_object_get_string(v),
			    "08:08:31.956236237: Notice shell sh -c id by root");
	json_object_put(o);

	/* second rule, same event: the shared base still describes this event */
	assert_int_equal(alert_renderer_render(&r, m[1], ev, 3, &out), 0);
	o = json_tokener_parse(out.json);
	assert_non_null(o);
	assert_true(json_object_object_get_ex(o, "output_fields", &v));
	assert_true(json_object_object_get_ex(v, "proc.pid", &v));
	assert_int_equal(json_object_get_int(v), 77);
	json_object_put(o);
	assert_non_null(strstr(r.output, "second 77 (3 earlier alerts of this rule suppressed"));

	/* next event: the base is rendered again, not reused */
	ev->pid = 78;
	alert_renderer_next_event(&r);
	assert_int_equal(alert_renderer_render(&r, m[1], ev, 0, &out), 0);
	assert_non_null(strstr(out.json, "\"proc.pid\":78"));
	assert_null(strstr(out.json, "\"proc.pid\":77"));

	alert_renderer_free(&r);
	ruleset_free(rs);
	free(ev);
}

static void test_only_the_forms_asked_for(void **state)
{
	struct ruleset *rs = load(two_rules);
	struct exec_event *ev = calloc(1, sizeof(*ev));
	struct alert_renderer r;
	const struct rule *m[4];
	struct alert_out out;

	(void)state;
	fill(ev);
	assert_int_equal(ruleset_eval(rs, ev, m, 4), 2);
	assert_int_equal(alert_renderer_init(&r, false, true), 0);
	alert_renderer_next_event(&r);
	assert_int_equal(alert_renderer_render(&r, m[0], ev, 0, &out), 0);
	assert_null(out.json);
	assert_non_null(out.text);
	assert_non_null(strstr(out.text, "Notice shell sh -c id by root"));
	alert_renderer_free(&r);
	ruleset_free(rs);
	free(ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_rules_one_event),
		cmocka_unit_test(test_only_the_forms_asked_for),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
