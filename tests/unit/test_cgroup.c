/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * One cgroup hierarchy choice (kernel/cgroup.c) for the BPF settings, the
 * BTF subsystem id, the mount point and the walk. Before, the hierarchy id
 * came from the first /proc/self/cgroup line naming pids or memory while the
 * BTF id and the mount were always pids's: on a host whose memory line came
 * first, the BPF side read one controller's cgroup and filtered mkdirs of
 * another. They agreed only by luck of the line order.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "kernel/cgroup.h"
#include "tmpdir.h"

static struct cgroup_hierarchy parse_ok(const char *text)
{
	struct cgroup_hierarchy h;

	assert_int_equal(cgroup_hierarchy_parse(text, strlen(text), &h), 0);
	return h;
}

static void test_v2(void **state)
{
	struct cgroup_hierarchy h;

	(void)state;
	h = parse_ok("0::/user.slice/session-1.scope\n");
	assert_true(h.v2);
	/* hybrid: v1 controllers and the unified hierarchy; runc joins containers to v2 */
	h = parse_ok("12:pids:/user.slice\n5:memory:/user.slice\n0::/user.slice\n");
	assert_true(h.v2);
}

/* The regression: the memory line first, pids later. */
static void test_v1_prefers_pids_whatever_the_order(void **state)
{
	const char *text = "11:cpu,cpuacct:/\n"
			   "5:memory:/user.slice\n"
			   "3:pids:/user.slice/user-0.slice\n"
			   "1:name=systemd:/user.slice\n";
	const char *line_pids = "cgroup /sys/fs/cgroup/pids cgroup rw,nosuid,nodev,pids 0 0\n";
	const char *line_mem = "cgroup /sys/fs/cgroup/memory cgroup rw,nosuid,memory 0 0\n";
	struct cgroup_hierarchy h = parse_ok(text);
	char name[64], path[256];

	(void)state;
	assert_false(h.v2);
	assert_string_equal(h.controller, "pids");
	assert_int_equal(h.hierarchy_id, 3);
	/* the same controller for BTF and for the mount */
	cgroup_subsys_enum_name(&h, name, sizeof(name));
	assert_string_equal(name, "pids_cgrp_id");
	assert_int_equal(cgroup_mount_line(line_mem, &h, path, sizeof(path)), -ENOENT);
	assert_int_equal(cgroup_mount_line(line_pids, &h, path, sizeof(path)), 0);
	assert_string_equal(path, "/sys/fs/cgroup/pids");
}

static void test_v1_memory_only(void **state)
{
	struct cgroup_hierarchy h = parse_ok("4:memory:/x\n2:devices:/x\n");
	char name[64], path[256];

	(void)state;
	assert_string_equal(h.controller, "memory");
	assert_int_equal(h.hierarchy_id, 4);
	cgroup_subsys_enum_name(&h, name, sizeof(name));
	assert_string_equal(name, "memory_cgrp_id");
	assert_int_equal(
		cgroup_mount_line("cgroup /cg/mem cgroup rw,memory 0 0", &h, path, sizeof(path)),
		0);
	assert_string_equal(path, "/cg/mem");
}

static void test_v1_names_match_whole(void **state)
{
	struct cgroup_hierarchy h;
	char path[64];

	(void)state;
	/* "pidsx" and "name=pids" are not the pids controller */
	assert_int_equal(cgroup_hierarchy_parse("3:pidsx:/\n4:name=pids:/\n", 22, &h), -ENOENT);
	h = parse_ok("7:blkio:/\n8:freezer,pids:/a\n");
	assert_int_equal(h.hierarchy_id, 8);
	assert_int_equal(cgroup_mount_line("cgroup /p cgroup rw,pidsx 0 0", &h, path, sizeof(path)),
			 -ENOENT);
	assert_int_equal(cgroup_mount_line("cgroup2 /u cgroup2 rw 0 0", &h, path, sizeof(path)),
			 -ENOENT);
	h.v2 = true;
	assert_int_equal(cgroup_mount_line("cgroup2 /u cgroup2 rw 0 0", &h, path, sizeof(path)), 0);
	assert_string_equal(path, "/u");
	assert_int_equal(cgroup_hierarchy_parse("", 0, &h), -ENOENT);
}

struct marks {
	uint64_t ids[8];
	size_t n;
};

static int mark(void *ctx, uint64_t id, int dirfd)
{
	struct marks *m = ctx;

	assert_true(dirfd >= 0);
	if (m->n < 8)
		m->ids[m->n++] = id;
	return 0;
}

static void test_scan(void **state)
{
	const char *id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	char dir[256], p[512];
	struct marks m = {0};
	struct stat st;
	size_t marked = 0;

	(void)state;
	assert_int_equal(tmpdir_make(dir, sizeof(dir), "test_cgroup"), 0);
	snprintf(p, sizeof(p), "%s/system.slice", dir);
	assert_int_equal(mkdir(p, 0700), 0);
	snprintf(p, sizeof(p), "%s/system.slice/docker-%s.scope", dir, id);
	assert_int_equal(mkdir(p, 0700), 0);
	assert_int_equal(stat(p, &st), 0);
	snprintf(p, sizeof(p), "%s/user.slice", dir);
	assert_int_equal(mkdir(p, 0700), 0);
	assert_int_equal(cgroup_scan(dir, mark, &m, &marked), 0);
	assert_int_equal(marked, 1);
	assert_int_equal(m.ids[0], st.st_ino);
	assert_int_equal(cgroup_scan("/nonexistent/cg", mark, &m, &marked), -ENOENT);
	tmpdir_remove(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v2),
		cmocka_unit_test(test_v1_prefers_pids_whatever_the_order),
		cmocka_unit_test(test_v1_memory_only),
		cmocka_unit_test(test_v1_names_match_whole),
		cmocka_unit_test(test_scan),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
