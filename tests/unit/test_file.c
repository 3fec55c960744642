/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The one bounded file reader (lib/file.c) and write_all, and the readers
 * that use it: the config, the rules, the knowledge base and a passwd file
 * refuse a FIFO, a folder and an oversized file alike, without blocking.
 * (Before: the config and the knowledge base opened a FIFO blocking, and
 * the knowledge base read any file type.)
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "cli/config.h"
#include "context/passwd.h"
#include "lib/file.h"
#include "report/kb.h"
#include "rules/rules.h"
#include "tmpdir.h"
#include "errstr.h"

static char dir[256], fifo[300], big[300], small[300], folder[300];

static int setup(void **state)
{
	FILE *f;

	(void)state;
	if (tmpdir_make(dir, sizeof(dir), "test_file"))
		return -1;
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	snprintf(big, sizeof(big), "%s/big", dir);
	snprintf(small, sizeof(small), "%s/small", dir);
	snprintf(folder, sizeof(folder), "%s/folder", dir);
	if (mkfifo(fifo, 0600) || mkdir(folder, 0700))
		return -1;
	f = fopen(small, "w");
	if (!f)
		return -1;
	fputs("root:x:0:0:root:/root:/bin/sh\n", f);
	fclose(f);
	/* sparse: larger than every reader's limit (16 MiB for rules) without using disk */
	if (truncate(small, 31) || creat(big, 0600) < 0 || truncate(big, 17 << 20))
		return -1;
	/* a reader that blocks on the FIFO fails the test instead of hanging it */
	alarm(20);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	alarm(0);
	return tmpdir_remove(dir);
}

static void test_read_at(void **state)
{
	char *buf = NULL;
	size_t len = 0;

	(void)state;
	assert_int_equal(file_read_at(AT_FDCWD, small, 1024, &buf, &len), 0);
	assert_int_equal(len, 31);
	assert_int_equal(buf[len], '\0');
	assert_memory_equal(buf, "root:x:0:0:root:/root:/bin/sh\n", 31);
	free(buf);
	assert_int_equal(file_read_at(AT_FDCWD, small, 30, &buf, &len), -EFBIG);
	assert_int_equal(file_read_at(AT_FDCWD, fifo, 1024, &buf, &len), -EINVAL);
	assert_int_equal(file_read_at(AT_FDCWD, folder, 1024, &buf, &len), -EINVAL);
	assert_int_equal(file_read_at(AT_FDCWD, "/nonexistent/x", 1024, &buf, &len), -ENOENT);
}

static void test_read_small_and_write_all(void **state)
{
	char buf[64];
	int p[2];

	(void)state;
	assert_int_equal(file_read_small(small, buf, 4), 4);
	assert_memory_equal(buf, "root", 4);
	assert_int_equal(file_read_small("/nonexistent/x", buf, 4), -ENOENT);
	assert_int_equal(pipe(p), 0);
	assert_int_equal(write_all(p[1], "hello", 5), 0);
	close(p[1]);
	assert_int_equal(read(p[0], buf, sizeof(buf)), 5);
	close(p[0]);
	assert_int_equal(write_all(p[1], "x", 1), -EBADF);
}

/* Every former reader, through the one reader: same refusals, no blocking. */
static void test_readers_agree(void **state)
{
	static struct daemon_options o;
	struct ss_error rerr;
	struct ruleset *rs = NULL;
	struct kb *kb = NULL;
	char err[512], name[64];
	const char *const paths[] = {fifo, big};

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		const char *p = paths[i];
		int want = i == 0 ? -EINVAL : -EFBIG;

		assert_int_equal(WITH_ERR(config_load_file(p, &o, &serr)), want);
		assert_int_equal(kb_load(p, &kb, &rerr), want);
		assert_null(kb);
		assert_int_equal(passwd_lookup_uid(AT_FDCWD, p, 0, name, sizeof(name)), want);
		assert_int_equal(ruleset_load(&p, 1, &(struct rules_options){0}, &rs, &rerr, NULL),
				 want);
		assert_null(rs);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_at),
		cmocka_unit_test(test_read_small_and_write_all),
		cmocka_unit_test(test_readers_agree),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
