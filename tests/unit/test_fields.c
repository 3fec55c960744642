/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <cmocka.h>

#include "event/fields.h"

static void set_argv(struct exec_event *ev, const char *const *argv, int argc)
{
	size_t used = 0;
	int i;

	for (i = 0; i < argc; i++) {
		size_t n = strlen(argv[i]) + 1;

		memcpy(ev->argv_raw + used, argv[i], n);
		used += n;
	}
	ev->argv_len = used;
	ev->argc = argc;
	/* as event_decode does: proc.exe is argv[0] */
	snprintf(ev->exe, sizeof(ev->exe), "%s", argc ? argv[0] : "");
}

static struct exec_event *container_bash(void)
{
	struct exec_event *ev = calloc(1, sizeof(*ev));
	static const char *const argv[] = {"bash", "-c", "id"};

	assert_non_null(ev);
	ev->time_ns = 1700000000123456789ULL;
	ev->pid = 4242;
	ev->vpid = 7;
	ev->ppid = 4200;
	ev->uid = 0;
	ev->gid = 0;
	ev->euid = 0;
	ev->loginuid = -1;
	ev->tty = 34816;
	ev->lineage = SS_LINEAGE_INJECTED;
	strcpy(ev->comm, "bash");
	strcpy(ev->exepath, "/usr/bin/bash");
	strcpy(ev->filename, "/bin/bash");
	strcpy(ev->exe, "bash");
	strcpy(ev->args, "-c id");
	strcpy(ev->cmdline, "bash -c id");
	set_argv(ev, argv, 3);
	ev->ancestor_count = 2;
	strcpy(ev->ancestors[0].comm, "runc:[1:CHILD]");
	ev->ancestors[0].pid = 4200;
	strcpy(ev->ancestors[1].comm, "containerd-shim");
	ev->ancestors[1].pid = 100;
	ev->container.is_container = true;
	ev->container.runtime = RUNTIME_CONTAINERD;
	strcpy(ev->container.id, "185304d1bba4");
	ev->container.privileged = TRI_UNKNOWN;
	return ev;
}

static void expect_str(const struct exec_event *ev, enum field_id id, int index, const char *want)
{
	struct field_value v;

	assert_int_equal(field_extract(ev, id, index, &v), 0);
	assert_int_equal(v.type, FT_STRING);
	assert_false(v.null);
	assert_string_equal(v.s, want);
}

static void expect_int(const struct exec_event *ev, enum field_id id, int index, int64_t want)
{
	struct field_value v;

	assert_int_equal(field_extract(ev, id, index, &v), 0);
	assert_int_equal(v.type, FT_INT);
	assert_false(v.null);
	assert_true(v.i == want);
}

static void expect_null(const struct exec_event *ev, enum field_id id, int index)
{
	struct field_value v;

	field_extract(ev, id, index, &v);
	assert_true(v.null);
	assert_string_equal(field_value_str(&v), "<NA>");
}

static void test_table_order_and_lookup(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < F_COUNT; i++) {
		assert_int_equal(field_table[i].id, i);
		assert_non_null(field_table[i].desc);
		assert_ptr_equal(field_lookup(field_table[i].name), &field_table[i]);
	}
	assert_null(field_lookup("fd.name"));
	assert_null(field_lookup("proc.aname[1]"));
	assert_true(field_lookup("proc.aname")->indexed);
	assert_false(field_lookup("proc.name")->indexed);
}

static void test_process_fields(void **state)
{
	struct exec_event *ev = container_bash();

	(void)state;
	expect_str(ev, F_EVT_TYPE, -1, "execve");
	expect_int(ev, F_EVT_TIME, -1, 1700000000123456789LL);
	expect_null(ev, F_EVT_NUM, -1);
	expect_str(ev, F_PROC_NAME, -1, "bash");
	expect_str(ev, F_PROC_EXE, -1, "bash");
	expect_str(ev, F_PROC_EXEPATH, -1, "/usr/bin/bash");
	expect_str(ev, F_PROC_CMDLINE, -1, "bash -c id");
	expect_str(ev, F_PROC_ARGS, -1, "-c id");
	expect_int(ev, F_PROC_PID, -1, 4242);
	expect_int(ev, F_PROC_VPID, -1, 7);
	expect_int(ev, F_PROC_PPID, -1, 4200);
	expect_str(ev, F_PROC_PNAME, -1, "runc:[1:CHILD]");
	expect_null(ev, F_PROC_PCMDLINE, -1);
	expect_int(ev, F_PROC_TTY, -1, 34816);
	expect_null(ev, F_PROC_IS_VPGID_LEADER, -1);
	expect_int(ev, F_USER_UID, -1, 0);
	expect_null(ev, F_USER_NAME, -1);
	expect_int(ev, F_USER_LOGINUID, -1, -1);
	expect_int(ev, F_GROUP_GID, -1, 0);
	expect_int(ev, F_SS_EUID, -1, 0);
	expect_str(ev, F_SS_LINEAGE, -1, "injected");
	expect_str(ev, F_SS_EXE_NAME, -1, "bash");
	expect_null(ev, F_SS_INTERP, -1);

	ev->exepath[0] = '\0';
	expect_null(ev, F_PROC_EXEPATH, -1);
	expect_null(ev, F_SS_EXE_NAME, -1);
	strcpy(ev->pcmdline, "runc init");
	expect_str(ev, F_PROC_PCMDLINE, -1, "runc init");
	ev->ancestor_count = 0;
	expect_null(ev, F_PROC_PNAME, -1);
	free(ev);
}

static void test_ancestors(void **state)
{
	struct exec_event *ev = container_bash();
	struct field_value v;

	(void)state;
	expect_str(ev, F_PROC_ANAME, 0, "bash");
	expect_str(ev, F_PROC_ANAME, 1, "runc:[1:CHILD]");
	expect_str(ev, F_PROC_ANAME, 2, "containerd-shim");
	assert_int_equal(field_extract(ev, F_PROC_ANAME, 3, &v), -ENOENT);
	assert_true(v.null);
	expect_int(ev, F_PROC_APID, 0, 4242);
	expect_int(ev, F_PROC_APID, 2, 100);
	assert_int_equal(field_extract(ev, F_PROC_APID, 5, &v), -ENOENT);
	assert_true(v.null);
	free(ev);
}

static void test_flags(void **state)
{
	struct exec_event *ev = container_bash();
	struct field_value v;

	(void)state;
	expect_str(ev, F_EVT_ARG_FLAGS, -1, "0");
	ev->flags = SS_F_EXE_UPPER_LAYER;
	expect_str(ev, F_EVT_ARG_FLAGS, -1, "EXE_UPPER_LAYER");
	ev->flags = SS_F_EXE_MEMFD;
	expect_str(ev, F_EVT_ARG_FLAGS, -1, "EXE_FROM_MEMFD");
	ev->flags = SS_F_EXE_MEMFD | SS_F_EXE_UPPER_LAYER | SS_F_ARGV_TRUNCATED;
	expect_str(ev, F_EVT_ARG_FLAGS, -1, "EXE_UPPER_LAYER|EXE_FROM_MEMFD");
	assert_int_equal(field_extract(ev, F_SS_TRUNCATED, -1, &v), 0);
	assert_int_equal(v.type, FT_BOOL);
	assert_string_equal(field_value_str(&v), "true");
	ev->flags = 0;
	field_extract(ev, F_SS_TRUNCATED, -1, &v);
	assert_string_equal(field_value_str(&v), "false");
	free(ev);
}

static void test_container_fields(void **state)
{
	struct exec_event *ev = container_bash();
	struct field_value v;

	(void)state;
	expect_str(ev, F_CONTAINER_ID, -1, "185304d1bba4");
	expect_null(ev, F_CONTAINER_NAME, -1);
	expect_null(ev, F_CONTAINER_IMAGE, -1);
	expect_null(ev, F_CONTAINER_PRIVILEGED, -1);
	expect_null(ev, F_K8S_POD_NAME, -1);
	expect_null(ev, F_K8S_NS_NAME, -1);
	expect_str(ev, F_CONTAINER_RUNTIME, -1, "containerd");
	strcpy(ev->container.name, "web");
	strcpy(ev->container.pod_namespace, "default");
	ev->container.privileged = TRI_TRUE;
	expect_str(ev, F_CONTAINER_NAME, -1, "web");
	expect_str(ev, F_K8S_NS_NAME, -1, "default");
	field_extract(ev, F_CONTAINER_PRIVILEGED, -1, &v);
	assert_false(v.null);
	assert_int_equal(v.i, 1);

	/* unresolved container: "" is a value, not null */
	ev->container.id[0] = '\0';
	expect_str(ev, F_CONTAINER_ID, -1, "");

	memset(&ev->container, 0, sizeof(ev->container));
	ev->container.privileged = TRI_UNKNOWN;
	expect_str(ev, F_CONTAINER_ID, -1, "host");
	expect_str(ev, F_CONTAINER_RUNTIME, -1, "host");
	free(ev);
}

static void test_caps(void **state)
{
	struct exec_event *ev = container_bash();
	struct field_value v;

	(void)state;
	ev->cap_effective = 0;
	expect_str(ev, F_SS_CAP_EFFECTIVE, -1, "");
	expect_str(ev, F_SS_CAP_EFFECTIVE_HEX, -1, "0x0000000000000000");
	ev->cap_effective = (1ULL << 0) | (1ULL << 21);
	expect_str(ev, F_SS_CAP_EFFECTIVE, -1, "CAP_CHOWN CAP_SYS_ADMIN");
	expect_str(ev, F_SS_CAP_EFFECTIVE_HEX, -1, "0x0000000000200001");

	/* every bit set: all names fit, unknown bits are numbered */
	ev->cap_effective = ~0ULL;
	assert_int_equal(field_extract(ev, F_SS_CAP_EFFECTIVE, -1, &v), 0);
	assert_non_null(strstr(v.s, "CAP_CHOWN CAP_DAC_OVERRIDE "));
	assert_non_null(strstr(v.s, " CAP_BPF CAP_CHECKPOINT_RESTORE CAP_41 "));
	assert_non_null(strstr(v.s, " CAP_63"));
	assert_int_equal(v.s[strlen(v.s) - 1], '3');
	free(ev);
}

static void test_shell_identity(void **state)
{
	struct exec_event *ev = container_bash();
	static const char *const bb_argv[] = {"busybox", "sh", "-c", "id"};
	static const char *const bb_ls[] = {"busybox", "ls"};
	static const char *const bb_fd_argv[] = {"sh", "-c", "id"};

	(void)state;
	expect_str(ev, F_SS_SHELL, -1, "bash");

	/* renamed copy of bash: comm lies, the file name does not */
	strcpy(ev->comm, "nginx");
	expect_str(ev, F_SS_SHELL, -1, "bash");

	/* #!/bin/sh script */
	strcpy(ev->comm, "myscript");
	strcpy(ev->exepath, "/opt/myscript");
	strcpy(ev->filename, "/opt/myscript");
	strcpy(ev->interp, "/bin/sh");
	ev->flags = SS_F_INTERP;
	expect_str(ev, F_SS_SHELL, -1, "sh");
	expect_str(ev, F_SS_INTERP, -1, "/bin/sh");

	/* busybox sh */
	ev->flags = 0;
	ev->interp[0] = '\0';
	strcpy(ev->comm, "busybox");
	strcpy(ev->exepath, "/bin/busybox");
	set_argv(ev, bb_argv, 4);
	expect_str(ev, F_SS_SHELL, -1, "sh");
	set_argv(ev, bb_ls, 2);
	expect_str(ev, F_SS_SHELL, -1, "");

	/* fd exec of busybox (comm is the file name, or the fd number on older kernels) */
	set_argv(ev, bb_fd_argv, 3);
	expect_str(ev, F_SS_SHELL, -1, "sh");
	strcpy(ev->comm, "3");
	expect_str(ev, F_SS_SHELL, -1, "sh");
	strcpy(ev->comm, "busybox");
	set_argv(ev, bb_ls, 2);

	/* argv without a final NUL must not be over-read */
	memset(ev->argv_raw, 'a', sizeof(ev->argv_raw));
	ev->argv_raw[3] = '\0';
	ev->argv_len = sizeof(ev->argv_raw);
	expect_str(ev, F_SS_SHELL, -1, "");

	strcpy(ev->comm, "python3");
	strcpy(ev->exepath, "/usr/bin/python3.11");
	expect_str(ev, F_SS_SHELL, -1, "");
	free(ev);
}

static void test_value_str(void **state)
{
	struct exec_event *ev = container_bash();
	struct field_value v;

	(void)state;
	field_extract(ev, F_PROC_PID, -1, &v);
	assert_string_equal(field_value_str(&v), "4242");
	field_extract(ev, F_USER_LOGINUID, -1, &v);
	assert_string_equal(field_value_str(&v), "-1");
	v.null = false;
	v.type = FT_INT;
	v.i = 0;
	assert_string_equal(field_value_str(&v), "0");
	v.i = INT64_MIN;
	assert_string_equal(field_value_str(&v), "-9223372036854775808");
	v.i = INT64_MAX;
	assert_string_equal(field_value_str(&v), "9223372036854775807");
	strcpy(ev->cmdline, "bash -c \x1b[2J");
	field_extract(ev, F_SS_ARGV_ESCAPED, -1, &v);
	assert_true(v.i);
	strcpy(ev->cmdline, "bash -c caf\xc3\xa9");
	field_extract(ev, F_SS_ARGV_ESCAPED, -1, &v);
	assert_false(v.i);
	strcpy(ev->cmdline, "bash -c \xc3(");
	field_extract(ev, F_SS_ARGV_ESCAPED, -1, &v);
	assert_true(v.i);
	free(ev);
}

/* Every entry filled, at its own index, with a member that fits its type. */
static void test_table_complete(void **state)
{
	(void)state;
	for (int i = 0; i < F_COUNT; i++) {
		const struct field_def *d = &field_table[i];

		assert_non_null(d->name);
		assert_non_null(d->desc);
		assert_int_equal(d->id, i);
		assert_ptr_equal(field_lookup(d->name), d);
		if (d->readback == FRB_MEMBER)
			assert_true(d->size > 0);
		if (!d->computed && d->null_rule != FNULL_ALWAYS)
			assert_true(d->size > 0);
		if (d->null_rule == FNULL_ALWAYS)
			assert_true(!d->computed && d->size == 0 && d->source == FSRC_UNKNOWN);
		if (d->size && d->type == FT_INT)
			assert_true(d->size == sizeof(uint32_t) || d->size == sizeof(uint64_t));
		if (d->size && d->type == FT_STRING)
			assert_true(d->off + d->size <= sizeof(struct exec_event));
		if (d->indexed)
			assert_true(d->computed);
	}
}

/* FNULL_EMPTY members read "" as null; FNULL_NEVER ones keep "". */
static void test_null_rules(void **state)
{
	struct exec_event *ev = calloc(1, sizeof(*ev));
	struct field_value v;

	(void)state;
	assert_non_null(ev);
	for (int i = 0; i < F_COUNT; i++) {
		const struct field_def *d = &field_table[i];

		if (d->computed || d->type != FT_STRING)
			continue;
		assert_int_equal(field_extract(ev, d->id, -1, &v), 0);
		if (d->null_rule == FNULL_EMPTY)
			assert_true(v.null);
		else
			assert_false(v.null);
	}
	assert_int_equal(field_extract(ev, F_EVT_NUM, -1, &v), 0);
	assert_true(v.null);
	assert_int_equal(v.type, FT_INT);
	assert_int_equal(field_extract(ev, F_PROC_IS_VPGID_LEADER, -1, &v), 0);
	assert_true(v.null);
	assert_int_equal(v.type, FT_BOOL);
	assert_int_equal(field_extract(ev, F_COUNT, -1, &v), -EINVAL);
	free(ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_order_and_lookup),
		cmocka_unit_test(test_process_fields),
		cmocka_unit_test(test_ancestors),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_container_fields),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_shell_identity),
		cmocka_unit_test(test_value_str),
		cmocka_unit_test(test_table_complete),
		cmocka_unit_test(test_null_rules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
