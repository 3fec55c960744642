/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The install-location scheme (lib/paths.c): source tree, installed tree, config folder. */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "lib/paths.h"
#include "tmpdir.h"

static void touch(const char *dir, const char *rel)
{
	char p[PATH_MAX];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	f = fopen(p, "w");
	assert_non_null(f);
	fclose(f);
}

static void mkdirs(const char *dir, const char *rel)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "mkdir -p '%s/%s'", dir, rel);
	assert_int_equal(system(p), 0);
}

static void test_layouts(void **state)
{
	char dir[256], exe[PATH_MAX], want[PATH_MAX], got[PATH_MAX];

	(void)state;
	assert_int_equal(tmpdir_make(dir, sizeof(dir), "test_paths"), 0);

	/* nothing shipped anywhere near: the config folder */
	snprintf(exe, sizeof(exe), "%s/usr/sbin/shellsentry", dir);
	paths_data_dir(exe, got, sizeof(got));
	assert_string_equal(got, SS_CONFDIR);

	/* make install / the image: <prefix>/sbin and <prefix>/SS_DATA_SUBDIR */
	mkdirs(dir, "usr/sbin");
	mkdirs(dir, "usr/" SS_DATA_SUBDIR);
	touch(dir, "usr/" SS_DATA_SUBDIR "/" PATHS_RULES_FILE);
	paths_data_dir(exe, got, sizeof(got));
	snprintf(want, sizeof(want), "%s/usr/sbin/../" SS_DATA_SUBDIR, dir);
	assert_string_equal(got, want);

	/* the source tree (build/shellsentry next to rules/) comes first */
	mkdirs(dir, "usr/rules");
	touch(dir, "usr/rules/" PATHS_RULES_FILE);
	paths_data_dir(exe, got, sizeof(got));
	snprintf(want, sizeof(want), "%s/usr/sbin/../rules", dir);
	assert_string_equal(got, want);
	assert_int_equal(tmpdir_remove(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layouts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
