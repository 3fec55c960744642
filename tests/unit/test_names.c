/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * One table per enum <-> name: what alerts print (fields), what analyze and
 * compare read back (alert_json), what the knowledge base and the rules
 * parse, all from the same table. Every value round-trips through each.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "event/fields.h"
#include "event/names.h"
#include "output/alert_json.h"
#include "report/kb.h"
#include "rules/rules.h"

/* The alert JSON reader sees what the field extractor printed. */
static struct alert *read_back(const char *field, const char *value)
{
	struct alert *a = malloc(sizeof(*a));
	struct ss_error err;
	char line[256];

	assert_non_null(a);
	snprintf(line, sizeof(line), "{\"rule\":\"r\",\"output_fields\":{\"%s\":\"%s\"}}", field,
		 value);
	assert_int_equal(alert_from_json(line, strlen(line), a, &err), 0);
	return a;
}

static void test_lineage(void **state)
{
	static struct exec_event ev;
	struct field_value v;

	(void)state;
	for (const struct name_map *m = lineage_names; m->name; m++) {
		struct alert *a;

		ev.lineage = (enum ss_lineage)m->value;
		assert_int_equal(field_extract(&ev, F_SS_LINEAGE, -1, &v), 0);
		assert_string_equal(v.s, m->name);
		assert_string_equal(lineage_name(ev.lineage), m->name);
		a = read_back("shellsentry.lineage", v.s);
		assert_int_equal(a->ev.lineage, m->value);
		free(a);
	}
	assert_string_equal(lineage_name((enum ss_lineage)77), "unknown");
	assert_int_equal(lineage_from_name("sideways"), SS_LINEAGE_UNKNOWN);
}

static void test_runtime(void **state)
{
	static struct exec_event ev;
	struct field_value v;

	(void)state;
	for (const struct name_map *m = container_runtime_names; m->name; m++) {
		struct alert *a;

		ev.container.runtime = (enum container_runtime)m->value;
		assert_int_equal(field_extract(&ev, F_CONTAINER_RUNTIME, -1, &v), 0);
		/* aliases ("crio") are read, the first name is printed */
		assert_string_equal(v.s, container_runtime_name(ev.container.runtime));
		a = read_back("container.runtime", m->name);
		assert_int_equal(a->ev.container.runtime, m->value);
		free(a);
	}
	assert_string_equal(container_runtime_name(RUNTIME_CRIO), "cri-o");
	assert_int_equal(container_runtime_from_name("rkt"), RUNTIME_UNKNOWN);
}

static void test_priority(void **state)
{
	enum priority p;

	(void)state;
	for (int i = PRIO_EMERGENCY; i <= PRIO_DEBUG; i++) {
		assert_int_equal(priority_from_string(priority_name((enum priority)i), &p), 0);
		assert_int_equal(p, i);
	}
	assert_int_equal(priority_from_string("INFO", &p), 0);
	assert_int_equal(p, PRIO_INFORMATIONAL);
	assert_int_equal(priority_from_string("notice", &p), 0);
	assert_int_equal(p, PRIO_NOTICE);
	assert_int_equal(priority_from_string("loud", &p), -EINVAL);
	assert_string_equal(priority_name((enum priority)42), "Unknown");
}

/* A verdict name the knowledge base accepts is the one reports print. */
static void test_verdict(void **state)
{
	static const enum kb_verdict all[] = {KB_EXPECTED, KB_SUSPICIOUS, KB_MALICIOUS};
	struct ss_error err;
	char text[512];
	struct kb *kb;

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		snprintf(text, sizeof(text),
			 "- pattern: p\n  title: t\n  verdict: %s\n  condition: proc.name = sh\n"
			 "  evidence: e\n",
			 kb_verdict_name(all[i]));
		kb = NULL;
		if (kb_load_buffer(text, strlen(text), "kb.yaml", &kb, &err))
			fail_msg("%s: %s", kb_verdict_name(all[i]), err.msg);
		assert_int_equal(kb_get(kb, 0)->verdict, all[i]);
		kb_free(kb);
	}
	snprintf(text, sizeof(text),
		 "- pattern: p\n  title: t\n  verdict: none\n  condition: proc.name = sh\n"
		 "  evidence: e\n");
	kb = NULL;
	assert_int_not_equal(kb_load_buffer(text, strlen(text), "kb.yaml", &kb, &err), 0);
	assert_string_equal(kb_verdict_name(KB_NONE), "none");
}

static void test_choices(void **state)
{
	char buf[128];

	(void)state;
	assert_string_equal(name_choices(container_runtime_names, buf, sizeof(buf)),
			    "host, unknown, docker, containerd, cri-o or podman");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lineage),	 cmocka_unit_test(test_runtime),
		cmocka_unit_test(test_priority), cmocka_unit_test(test_verdict),
		cmocka_unit_test(test_choices),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
