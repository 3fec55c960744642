/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kernel/event_decode.h"

/* A record as the BPF program sends it: header plus argv_len bytes. */
static size_t make_record(struct ss_event *e, const char *argv, size_t argv_len)
{
	memset(e, 0, sizeof(*e));
	e->version = SS_EVENT_VERSION;
	e->header_len = SS_EVENT_HEADER_LEN;
	e->boot_ns = 5000000000ULL;
	e->pid = 4242;
	e->vpid = 1;
	e->ppid = 4000;
	e->loginuid = (uint32_t)-1;
	e->tty = 34816;
	e->lineage = SS_LINEAGE_INJECTED;
	memcpy(e->comm, "sh", 3);
	memcpy(e->argv, argv, argv_len);
	e->argv_len = argv_len;
	return SS_EVENT_HEADER_LEN + argv_len;
}

static void test_cmdline_like_falco(void **state)
{
	static struct ss_event e;
	static struct exec_event ev;
	const char argv[] = "/bin/sh\0-c\0echo x\0";
	size_t len = make_record(&e, argv, sizeof(argv) - 1);

	(void)state;
	assert_int_equal(event_decode(&e, len, 1000, &ev), 0);
	/* Falco: proc.name then the arguments after argv[0], joined by one space. */
	assert_string_equal(ev.cmdline, "sh -c echo x");
	assert_string_equal(ev.args, "-c echo x");
	assert_string_equal(ev.exe, "/bin/sh");
	assert_int_equal(ev.argc, 3);
	assert_int_equal(ev.loginuid, -1);
	assert_int_equal(ev.tty, 34816);
	assert_int_equal(ev.time_ns, 5000001000ULL);
	assert_int_equal(ev.lineage, SS_LINEAGE_INJECTED);
}

static void test_argv0_spoof_keeps_comm(void **state)
{
	static struct ss_event e;
	static struct exec_event ev;
	const char argv[] = "nginx\0-c\0id\0";
	size_t len = make_record(&e, argv, sizeof(argv) - 1);

	(void)state;
	memcpy(e.comm, "bash", 5);
	assert_int_equal(event_decode(&e, len, 0, &ev), 0);
	assert_string_equal(ev.cmdline, "bash -c id");
	assert_string_equal(ev.exe, "nginx");
}

static void test_empty_args_and_no_args(void **state)
{
	static struct ss_event e;
	static struct exec_event ev;
	const char argv[] = "sh\0\0x\0";
	size_t len = make_record(&e, argv, sizeof(argv) - 1);

	(void)state;
	assert_int_equal(event_decode(&e, len, 0, &ev), 0);
	assert_int_equal(ev.argc, 3);
	assert_string_equal(ev.args, " x");
	len = make_record(&e, "sh\0", 3);
	assert_int_equal(event_decode(&e, len, 0, &ev), 0);
	assert_string_equal(ev.cmdline, "sh");
	assert_string_equal(ev.args, "");
	len = make_record(&e, "", 0);
	assert_int_equal(event_decode(&e, len, 0, &ev), 0);
	assert_int_equal(ev.argc, 0);
}

static void test_exe_path_slots(void **state)
{
	static struct ss_event e;
	static struct exec_event ev;
	size_t len = make_record(&e, "sh\0", 3);

	(void)state;
	/* leaf first; an empty slot is a mount crossing */
	strcpy(&e.exe_path[0 * SS_EXE_SLOT_LEN], "dash");
	strcpy(&e.exe_path[1 * SS_EXE_SLOT_LEN], "bin");
	e.exe_path[2 * SS_EXE_SLOT_LEN] = 0;
	strcpy(&e.exe_path[3 * SS_EXE_SLOT_LEN], "usr");
	e.exe_path_len = 4;
	assert_int_equal(event_decode(&e, len, 0, &ev), 0);
	assert_string_equal(ev.exepath, "/usr/bin/dash");

	/* a slot without NUL is read only up to its own size */
	memset(&e.exe_path[0], 'A', SS_EXE_SLOT_LEN);
	e.exe_path_len = 1;
	assert_int_equal(event_decode(&e, len, 0, &ev), 0);
	assert_int_equal(strlen(ev.exepath), SS_EXE_SLOT_LEN + 1);
}

/* Falco's proc.cwd: a trailing '/', the root is "/", unknown without SS_F_CWD. */
static void test_cwd_and_parent_exe(void **state)
{
	static struct ss_event e;
	static struct exec_event ev;
	size_t len = make_record(&e, "sh\0", 3);

	(void)state;
	assert_int_equal(event_decode(&e, len, 0, &ev), 0);
	assert_string_equal(ev.cwd, "");
	assert_string_equal(ev.pexepath, "");
	e.flags |= SS_F_CWD;
	assert_int_equal(event_decode(&e, len, 0, &ev), 0);
	assert_string_equal(ev.cwd, "/");
	strcpy(&e.cwd[0], "shm");
	strcpy(&e.cwd[SS_EXE_SLOT_LEN], "dev");
	e.cwd_len = 2;
	strcpy(&e.pexe_path[0], "runc");
	strcpy(&e.pexe_path[SS_EXE_SLOT_LEN], "bin");
	strcpy(&e.pexe_path[2 * SS_EXE_SLOT_LEN], "usr");
	e.pexe_path_len = 3;
	assert_int_equal(event_decode(&e, len, 0, &ev), 0);
	assert_string_equal(ev.cwd, "/dev/shm/");
	assert_string_equal(ev.pexepath, "/usr/bin/runc");
	/* every slot full and unterminated: bounded, still ends in '/' */
	for (int i = 0; i < SS_EXE_SLOTS; i++)
		memset(&e.cwd[i * SS_EXE_SLOT_LEN], 'D', SS_EXE_SLOT_LEN);
	e.cwd_len = SS_EXE_SLOTS;
	assert_int_equal(event_decode(&e, len, 0, &ev), 0);
	assert_true(strlen(ev.cwd) < sizeof(ev.cwd));
	assert_int_equal(ev.cwd[strlen(ev.cwd) - 1], '/');
}

static void test_unterminated_fields_are_bounded(void **state)
{
	static struct ss_event e;
	static struct exec_event ev;
	size_t len = make_record(&e, "sh\0", 3);

	(void)state;
	memset(e.comm, 'C', sizeof(e.comm));
	memset(e.cgroup_name, 'G', sizeof(e.cgroup_name));
	memset(e.filename, 'F', sizeof(e.filename));
	e.ancestor_count = SS_ANCESTORS;
	for (int i = 0; i < SS_ANCESTORS; i++)
		memset(e.ancestors[i].comm, 'P', SS_COMM_LEN);
	assert_int_equal(event_decode(&e, len, 0, &ev), 0);
	assert_int_equal(strlen(ev.comm), SS_COMM_LEN);
	assert_int_equal(strlen(ev.cgroup_name), SS_CGROUP_NAME_LEN);
	assert_int_equal(strlen(ev.filename), SS_FILENAME_LEN);
	assert_int_equal(strlen(ev.ancestors[4].comm), SS_COMM_LEN);
}

static void test_bounds_rejected(void **state)
{
	static struct ss_event e;
	static struct exec_event ev;
	size_t len = make_record(&e, "sh\0-c\0", 6);

	(void)state;
	assert_int_equal(event_decode(&e, SS_EVENT_HEADER_LEN - 1, 0, &ev), -EBADMSG);
	assert_int_equal(event_decode(&e, len - 1, 0, &ev), -EBADMSG); /* short tail */
	assert_int_equal(event_decode(&e, len + 1, 0, &ev), -EBADMSG); /* oversized */
	e.argv_len = SS_ARGV_LEN + 1;
	assert_int_equal(event_decode(&e, sizeof(e), 0, &ev), -EBADMSG);
	make_record(&e, "sh\0-c\0", 6);
	e.version = 99;
	assert_int_equal(event_decode(&e, len, 0, &ev), -EPROTO);
	make_record(&e, "sh\0-c\0", 6);
	e.ancestor_count = SS_ANCESTORS + 1;
	assert_int_equal(event_decode(&e, len, 0, &ev), -EBADMSG);
	make_record(&e, "sh\0-c\0", 6);
	e.exe_path_len = SS_EXE_SLOTS + 1;
	assert_int_equal(event_decode(&e, len, 0, &ev), -EBADMSG);
	make_record(&e, "sh\0-c\0", 6);
	e.cwd_len = SS_EXE_SLOTS + 1;
	assert_int_equal(event_decode(&e, len, 0, &ev), -EBADMSG);
	make_record(&e, "sh\0-c\0", 6);
	e.pexe_path_len = SS_SHORT_PATH_SLOTS + 1;
	assert_int_equal(event_decode(&e, len, 0, &ev), -EBADMSG);
	make_record(&e, "sh\0-c\0", 6);
	e.header_len = 8;
	assert_int_equal(event_decode(&e, len, 0, &ev), -EBADMSG);
	make_record(&e, "sh\0-c\0", 6);
	e.lineage = 9;
	assert_int_equal(event_decode(&e, len, 0, &ev), -EBADMSG);
}

static void test_full_argv_truncated(void **state)
{
	static struct ss_event e;
	static struct exec_event ev;
	static char big[SS_ARGV_LEN];
	size_t len;

	(void)state;
	memset(big, 'a', sizeof(big));
	big[2] = 0;
	len = make_record(&e, big, sizeof(big));
	e.flags |= SS_F_ARGV_TRUNCATED;
	assert_int_equal(event_decode(&e, len, 0, &ev), 0);
	assert_int_equal(ev.argc, 2);
	assert_int_equal(strlen(ev.args), SS_ARGV_LEN - 3);
	assert_true(ev.flags & SS_F_ARGV_TRUNCATED);
}

/* Regression (fuzz_event_decode): a boot_ns near 2^64 wrapped as signed overflow (UB). */
static void test_huge_boot_ns(void **state)
{
	static struct ss_event e;
	static struct exec_event ev;
	const char argv[] = "sh\0";
	size_t len = make_record(&e, argv, sizeof(argv) - 1);

	(void)state;
	e.boot_ns = 0x4141414141414141ULL;
	assert_int_equal(event_decode(&e, len, 0x4141414141414141LL, &ev), 0);
	assert_true(ev.time_ns == 0x8282828282828282ULL);
	e.boot_ns = UINT64_MAX;
	assert_int_equal(event_decode(&e, len, 2, &ev), 0);
	assert_true(ev.time_ns == 1);
}

static void test_cgroup_gone_record(void **state)
{
	static struct ss_event e;
	static struct exec_event ev;
	struct ss_cgroup_gone g = {
		.cgroup_id = 4242, .version = SS_EVENT_VERSION, .header_len = sizeof(g)};
	uint64_t id = 0;
	size_t len = make_record(&e, "sh\0", 3);

	(void)state;
	assert_int_equal(event_decode_cgroup_gone(&g, sizeof(g), &id), 0);
	assert_int_equal(id, 4242);
	/* never mistaken for an exec, nor an exec for it */
	assert_int_equal(event_decode(&g, sizeof(g), 0, &ev), -EBADMSG);
	assert_int_equal(event_decode_cgroup_gone(&e, len, &id), -ENOMSG);
	assert_int_equal(event_decode_cgroup_gone(&g, sizeof(g) - 1, &id), -ENOMSG);
	g.header_len = 8;
	assert_int_equal(event_decode_cgroup_gone(&g, sizeof(g), &id), -ENOMSG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cmdline_like_falco),
		cmocka_unit_test(test_argv0_spoof_keeps_comm),
		cmocka_unit_test(test_empty_args_and_no_args),
		cmocka_unit_test(test_exe_path_slots),
		cmocka_unit_test(test_cwd_and_parent_exe),
		cmocka_unit_test(test_unterminated_fields_are_bounded),
		cmocka_unit_test(test_bounds_rejected),
		cmocka_unit_test(test_full_argv_truncated),
		cmocka_unit_test(test_cgroup_gone_record),
		cmocka_unit_test(test_huge_boot_ns),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
