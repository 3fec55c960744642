/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "tmpdir.h"

#include "context/proc_cmdline.h"

static void fmt(const char *name, const char *argv, size_t n, const char *want)
{
	char out[64];

	proc_cmdline_format(name, argv, n, out, sizeof(out));
	assert_string_equal(out, want);
}

static void test_format(void **state)
{
	char small[8];

	(void)state;
	/* Falco's form: the name in argv[0]'s place */
#define F(name, lit, want) fmt(name, lit, sizeof(lit) - 1, want)
	F("bash", "/bin/bash\0-c\0echo x\0", "bash -c echo x");
	F("sh", "nginx\0", "sh");
	F("sh", "sh\0-c\0\0", "sh -c ");
	/* no trailing NUL (a rewritten title): the bytes are the last argument */
	F("postgres", "postgres: archiver", "postgres");
	F("postgres", "postgres\0archiver", "postgres archiver");
	F("x", "", "x");
#undef F
	/* cut, always terminated */
	assert_int_equal(proc_cmdline_format("bash", "bash\0-c\0true\0", 13, small, sizeof(small)),
			 7);
	assert_string_equal(small, "bash -c");
}

static void put(const char *dir, const char *rel, const char *data, size_t n)
{
	char p[PATH_MAX + 64];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	f = fopen(p, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	fclose(f);
}

static void test_read(void **state)
{
	char dir[PATH_MAX], p[PATH_MAX + 16], out[128], exe[16];

	(void)state;
	assert_int_equal(tmpdir_make(dir, sizeof(dir), "test_pcmd"), 0);
	snprintf(p, sizeof(p), "%s/77", dir);
	assert_int_equal(mkdir(p, 0755), 0);
	put(dir, "77/comm", "bash\n", 5);
	put(dir, "77/cmdline", "-bash\0-c\0sleep 9; sh\0", 21);
	assert_int_equal(proc_cmdline_read(dir, 77, "bash", out, sizeof(out), exe, sizeof(exe)), 0);
	assert_string_equal(out, "bash -c sleep 9; sh");
	/* proc.pexe: argv[0] as written (a login shell's leading '-' kept, as Falco's) */
	assert_string_equal(exe, "-bash");
	/* cut to the buffer */
	put(dir, "77/cmdline", "/usr/local/bin/php-fpm\0-F\0", 26);
	assert_int_equal(proc_cmdline_read(dir, 77, "bash", out, sizeof(out), exe, 8), 0);
	assert_string_equal(exe, "/usr/lo");
	assert_string_equal(out, "bash -F");
	strcpy(exe, "kept");
	/* the pid now runs something else: not its parent's command line */
	assert_int_equal(proc_cmdline_read(dir, 77, "runc", out, sizeof(out), exe, sizeof(exe)),
			 -ESRCH);
	assert_string_equal(exe, "kept");
	/* gone */
	assert_int_equal(proc_cmdline_read(dir, 78, "bash", out, sizeof(out), NULL, 0), -ESRCH);
	/* a kernel thread or zombie: empty cmdline */
	put(dir, "77/cmdline", "", 0);
	assert_int_equal(proc_cmdline_read(dir, 77, "bash", out, sizeof(out), NULL, 0), -ESRCH);
	assert_int_equal(tmpdir_remove(dir), 0);
	/* the real /proc: this very process */
	{
		char self[32];
		FILE *f = fopen("/proc/self/comm", "r");

		assert_non_null(f);
		assert_non_null(fgets(self, sizeof(self), f));
		fclose(f);
		self[strcspn(self, "\n")] = '\0';
		assert_int_equal(proc_cmdline_read("/proc", (uint32_t)getpid(), self, out,
						   sizeof(out), NULL, 0),
				 0);
		assert_string_equal(out, self);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_read),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
