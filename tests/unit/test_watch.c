/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Which inotify events reload the rules: the watched file's own name, rules
 * files in a watched folder, and a Kubernetes ConfigMap's ..data swap (whose
 * visible names never change).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "daemon/watch.h"

static void test_file(void **state)
{
	(void)state;
	assert_true(watch_event_matters("shellsentry.yaml", "shellsentry.yaml"));
	assert_false(watch_event_matters("shellsentry.yaml", "other.yaml"));
	assert_false(watch_event_matters("shellsentry.yaml", "shellsentry.yaml.swp"));
	assert_true(watch_event_matters("shellsentry.yaml", "..data"));
	assert_true(watch_event_matters("shellsentry.yaml", "..data_tmp"));
	assert_true(watch_event_matters("shellsentry.yaml", "..2026_01_01_00_00_00.000000001"));
	assert_true(watch_event_matters("shellsentry.yaml", NULL));
}

static void test_folder(void **state)
{
	(void)state;
	assert_true(watch_event_matters(NULL, "local_rules.yaml"));
	assert_true(watch_event_matters(NULL, "..data"));
	assert_true(watch_event_matters(NULL, "local_rules.yml"));
	assert_false(watch_event_matters(NULL, "notes.txt"));
	assert_false(watch_event_matters(NULL, ".local_rules.yaml.swp"));
	assert_false(watch_event_matters(NULL, ".yaml"));
	assert_true(watch_event_matters(NULL, ""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_folder),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
