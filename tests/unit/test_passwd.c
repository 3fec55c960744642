/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
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

#include "context/passwd.h"

static char tmpdir[PATH_MAX];

static void write_file(const char *rel, const char *data, size_t len)
{
	char p[PATH_MAX * 2];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", tmpdir, rel);
	f = fopen(p, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void make_dir(const char *rel)
{
	char p[PATH_MAX * 2];

	snprintf(p, sizeof(p), "%s/%s", tmpdir, rel);
	assert_int_equal(mkdir(p, 0755), 0);
}

static int setup(void **state)
{
	(void)state;
	if (tmpdir_make(tmpdir, sizeof(tmpdir), "test_passwd"))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return tmpdir_remove(tmpdir);
}

static void test_find(void **state)
{
	const char text[] = "# comment:x:1000:1000::/:/bin/sh\n"
			    "\n"
			    "root:x:0:0:root:/root:/bin/bash\n"
			    "+nis:x:1001:1001::/:/bin/sh\n"
			    "bad:x:10a0:1::/:/bin/sh\n"
			    "nocolons\n"
			    "ctl\x1b[31m:x:1002:1::/:/bin/sh\n"
			    "big:x:4294967296:1::/:/bin/sh\n"
			    "app:x:1000:1000:App:/app:/bin/sh\n"
			    "second:x:1000:1000::/:/bin/sh\n"
			    "last:x:4294967295:1::/:"; /* no trailing newline */
	char name[64];

	(void)state;
	assert_int_equal(passwd_find_uid(text, sizeof(text) - 1, 0, name, sizeof(name)), 0);
	assert_string_equal(name, "root");
	assert_int_equal(passwd_find_uid(text, sizeof(text) - 1, 1000, name, sizeof(name)), 0);
	assert_string_equal(name, "app");
	assert_int_equal(passwd_find_uid(text, sizeof(text) - 1, 4294967295u, name, sizeof(name)),
			 0);
	assert_string_equal(name, "last");
	/* NIS entry, malformed uid, control characters, overflowing uid */
	assert_int_equal(passwd_find_uid(text, sizeof(text) - 1, 1001, name, sizeof(name)),
			 -ENOENT);
	assert_int_equal(passwd_find_uid(text, sizeof(text) - 1, 1002, name, sizeof(name)),
			 -ENOENT);
	assert_int_equal(passwd_find_uid(text, sizeof(text) - 1, 0u + 1, name, sizeof(name)),
			 -ENOENT);
	assert_int_equal(passwd_find_uid(text, sizeof(text) - 1, 0, name, 4), -ENAMETOOLONG);
	assert_int_equal(passwd_find_uid("", 0, 0, name, sizeof(name)), -ENOENT);
	/* only len bytes are read */
	assert_int_equal(passwd_find_uid("root:x:0:0", 8, 0, name, sizeof(name)), -ENOENT);
}

static void test_long_line(void **state)
{
	size_t n = PASSWD_LINE_MAX + 100;
	char *text = malloc(n + 64);
	char name[64];

	(void)state;
	assert_non_null(text);
	/* an over-long line for uid 5 is skipped; the next line is still read */
	memset(text, 'a', n);
	memcpy(text, "long:x:5:", 9);
	strcpy(text + n, "\nshort:x:5:5::/:/bin/sh\n");
	assert_int_equal(passwd_find_uid(text, strlen(text), 5, name, sizeof(name)), 0);
	assert_string_equal(name, "short");
	free(text);
}

static void test_file(void **state)
{
	char p[PATH_MAX * 2], name[64];
	int dfd;

	(void)state;
	write_file("passwd", "root:x:0:0::/:/bin/sh\nweb:x:33:33::/:/bin/sh\n", 45);
	snprintf(p, sizeof(p), "%s/passwd", tmpdir);
	assert_int_equal(passwd_lookup_uid(AT_FDCWD, p, 33, name, sizeof(name)), 0);
	assert_string_equal(name, "web");
	assert_int_equal(passwd_lookup_uid(AT_FDCWD, p, 34, name, sizeof(name)), -ENOENT);

	dfd = open(tmpdir, O_PATH | O_DIRECTORY);
	assert_true(dfd >= 0);
	assert_int_equal(passwd_lookup_uid(dfd, "passwd", 0, name, sizeof(name)), 0);
	assert_string_equal(name, "root");
	assert_int_equal(passwd_lookup_uid(dfd, "missing", 0, name, sizeof(name)), -ENOENT);
	close(dfd);
}

static void test_huge_file(void **state)
{
	char p[PATH_MAX * 2], name[64];
	int fd;

	(void)state;
	snprintf(p, sizeof(p), "%s/huge", tmpdir);
	fd = open(p, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "root:x:0:0::/:/bin/sh\n", 22), 22);
	assert_int_equal(ftruncate(fd, PASSWD_FILE_MAX + 1), 0);
	close(fd);
	assert_int_equal(passwd_lookup_uid(AT_FDCWD, p, 0, name, sizeof(name)), -EFBIG);
}

static void test_fifo_does_not_block(void **state)
{
	char p[PATH_MAX * 2], name[64];

	(void)state;
	snprintf(p, sizeof(p), "%s/fifo", tmpdir);
	assert_int_equal(mkfifo(p, 0644), 0);
	assert_int_equal(passwd_lookup_uid(AT_FDCWD, p, 0, name, sizeof(name)), -EINVAL);
}

static void test_proc_root(void **state)
{
	char p[PATH_MAX * 2], name[64];

	(void)state;
	/* <tmp>/proc/<pid>/root/etc/passwd, as /proc looks for a live process */
	make_dir("proc");
	make_dir("proc/42");
	make_dir("proc/42/root");
	make_dir("proc/42/root/etc");
	write_file("proc/42/root/etc/passwd",
		   "root:x:0:0::/:/bin/sh\nappuser:x:1000:1000::/:/bin/sh\n", 53);
	snprintf(p, sizeof(p), "%s/proc", tmpdir);
	assert_int_equal(passwd_lookup_in_proc_root(p, 42, 1000, name, sizeof(name)), 0);
	assert_string_equal(name, "appuser");
	assert_int_equal(passwd_lookup_in_proc_root(p, 42, 7, name, sizeof(name)), -ENOENT);
	/* process gone */
	assert_int_equal(passwd_lookup_in_proc_root(p, 43, 0, name, sizeof(name)), -ESRCH);
}

static void test_proc_root_escape(void **state)
{
	char p[PATH_MAX * 2], target[PATH_MAX * 2], name[64];

	(void)state;
	/* a file outside the container root that an escape would reach */
	write_file("hostpasswd", "hostuser:x:1000:1000::/:/bin/sh\n", 32);
	make_dir("proc");
	make_dir("proc/50");
	make_dir("proc/50/root");
	make_dir("proc/50/root/etc");
	snprintf(p, sizeof(p), "%s/proc/50/root/etc/passwd", tmpdir);
	snprintf(target, sizeof(target), "%s/hostpasswd", tmpdir);

	/* absolute symlink: resolved inside the root, where it does not exist */
	assert_int_equal(symlink(target, p), 0);
	snprintf(p, sizeof(p), "%s/proc", tmpdir);
	assert_int_equal(passwd_lookup_in_proc_root(p, 50, 1000, name, sizeof(name)), -ENOENT);

	/* ".." symlink climbing out of the root: clamped at the root */
	snprintf(p, sizeof(p), "%s/proc/50/root/etc/passwd", tmpdir);
	assert_int_equal(unlink(p), 0);
	assert_int_equal(symlink("../../../../../../../../../../hostpasswd", p), 0);
	snprintf(p, sizeof(p), "%s/proc", tmpdir);
	assert_int_equal(passwd_lookup_in_proc_root(p, 50, 1000, name, sizeof(name)), -ENOENT);

	/* a symlink that stays inside the root is followed */
	write_file("proc/50/root/realpasswd", "inside:x:1000:1000::/:/bin/sh\n", 30);
	snprintf(p, sizeof(p), "%s/proc/50/root/etc/passwd", tmpdir);
	assert_int_equal(unlink(p), 0);
	assert_int_equal(symlink("/realpasswd", p), 0);
	snprintf(p, sizeof(p), "%s/proc", tmpdir);
	assert_int_equal(passwd_lookup_in_proc_root(p, 50, 1000, name, sizeof(name)), 0);
	assert_string_equal(name, "inside");

	/* a FIFO in the container must not block the reader */
	snprintf(p, sizeof(p), "%s/proc/50/root/etc/passwd", tmpdir);
	assert_int_equal(unlink(p), 0);
	assert_int_equal(mkfifo(p, 0644), 0);
	snprintf(p, sizeof(p), "%s/proc", tmpdir);
	assert_int_equal(passwd_lookup_in_proc_root(p, 50, 1000, name, sizeof(name)), -EINVAL);

	/* a directory where the file should be */
	snprintf(p, sizeof(p), "%s/proc/50/root/etc/passwd", tmpdir);
	assert_int_equal(unlink(p), 0);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/proc", tmpdir);
	assert_int_equal(passwd_lookup_in_proc_root(p, 50, 1000, name, sizeof(name)), -EINVAL);
}

/* A container with no process left: its rootfs on the node, with the same containment. */
static void test_rootfs(void **state)
{
	char p[PATH_MAX * 2], target[PATH_MAX * 2], name[64];

	(void)state;
	write_file("hostpasswd", "hostuser:x:1000:1000::/:/bin/sh\n", 32);
	make_dir("merged");
	make_dir("merged/etc");
	write_file("merged/etc/passwd", "root:x:0:0::/:/bin/sh\nappuser:x:1000:1000::/:/bin/sh\n",
		   53);
	snprintf(p, sizeof(p), "%s/merged", tmpdir);
	assert_int_equal(passwd_lookup_in_rootfs(p, 1000, name, sizeof(name)), 0);
	assert_string_equal(name, "appuser");
	/* an absolute symlink to the node's file stays inside the rootfs */
	snprintf(p, sizeof(p), "%s/merged/etc/passwd", tmpdir);
	snprintf(target, sizeof(target), "%s/hostpasswd", tmpdir);
	assert_int_equal(unlink(p), 0);
	assert_int_equal(symlink(target, p), 0);
	snprintf(p, sizeof(p), "%s/merged", tmpdir);
	assert_int_equal(passwd_lookup_in_rootfs(p, 1000, name, sizeof(name)), -ENOENT);
	/* cleaned up by the runtime: gone, as a gone process */
	snprintf(p, sizeof(p), "%s/no-such-rootfs", tmpdir);
	assert_int_equal(passwd_lookup_in_rootfs(p, 1000, name, sizeof(name)), -ESRCH);
	assert_int_equal(passwd_lookup_in_rootfs("", 1000, name, sizeof(name)), -EINVAL);
}

/* The real /proc: this process's own root is the host's, so its passwd is /etc/passwd. */
static void test_real_proc(void **state)
{
	char a[64], b[64];
	int ra, rb;

	(void)state;
	ra = passwd_lookup_in_proc_root("/proc", (uint32_t)getpid(), 0, a, sizeof(a));
	rb = passwd_lookup_uid(AT_FDCWD, "/etc/passwd", 0, b, sizeof(b));
	assert_int_equal(ra, rb);
	if (ra == 0)
		assert_string_equal(a, b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test_setup_teardown(test_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_huge_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fifo_does_not_block, setup, teardown),
		cmocka_unit_test_setup_teardown(test_proc_root, setup, teardown),
		cmocka_unit_test_setup_teardown(test_proc_root_escape, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rootfs, setup, teardown),
		cmocka_unit_test(test_real_proc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
