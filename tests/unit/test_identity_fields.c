/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * A content verdict from record to fields: the decoder takes the kernel's
 * verdict from the record, shellsentry.shell names the shell (or, for a
 * multicall binary, the applet argv picks) and shellsentry.shell_by says
 * how it was found; a name still wins over the content.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "context/exe_judge.h"
#include "event/fields.h"
#include "kernel/event_decode.h"

static struct ss_event rec;
static struct exec_event ev;

/* A record for an exec of a renamed file, with its verdict from the map. */
static size_t record(const char *comm, const char *argv, size_t argv_len, uint32_t flags,
		     uint8_t kind, uint8_t shell)
{
	memset(&rec, 0, sizeof(rec));
	rec.version = SS_EVENT_VERSION;
	rec.header_len = SS_EVENT_HEADER_LEN;
	rec.pid = 77;
	rec.flags = SS_F_PIDNS | flags;
	rec.loginuid = (uint32_t)-1;
	strncpy(rec.comm, comm, sizeof(rec.comm) - 1);
	memcpy(rec.argv, argv, argv_len);
	rec.argv_len = argv_len;
	rec.exe_id.key.ino = 1234;
	rec.exe_id.key.dev = 254u << 20 | 1;
	rec.exe_id.kind = kind;
	rec.exe_id.shell = shell;
	return SS_EVENT_HEADER_LEN + argv_len;
}

static const char *field(enum field_id id)
{
	static struct field_value v;

	assert_int_equal(field_extract(&ev, id, -1, &v), 0);
	assert_false(v.null);
	return v.s;
}

static void decode(size_t len)
{
	assert_int_equal(event_decode(&rec, len, 0, &ev), 0);
}

static void test_shell_verdict(void **state)
{
	const char argv[] = "/usr/local/bin/worker\0-c\0id\0";

	(void)state;
	decode(record("worker", argv, sizeof(argv) - 1, SS_F_EXE_VERDICT, SS_EXE_SHELL,
		      EXE_SHELL_BASH));
	assert_string_equal(ev.exe_shell, "bash");
	assert_int_equal(ev.exe_id.key.ino, 1234);
	assert_string_equal(field(F_SS_SHELL), "bash");
	assert_string_equal(field(F_SS_SHELL_BY), "content");
	assert_string_equal(field(F_PROC_NAME), "worker");

	/* a name tells first: comm bash is bash by name */
	decode(record("bash", argv, sizeof(argv) - 1, SS_F_EXE_VERDICT, SS_EXE_SHELL,
		      EXE_SHELL_DASH));
	assert_string_equal(field(F_SS_SHELL), "bash");
	assert_string_equal(field(F_SS_SHELL_BY), "name");

	/* a shell id the kernel should never carry: no name, not a shell */
	decode(record("worker", argv, sizeof(argv) - 1, SS_F_EXE_VERDICT, SS_EXE_SHELL, 200));
	assert_string_equal(field(F_SS_SHELL), "");
	assert_string_equal(field(F_SS_SHELL_BY), "");

	/* no verdict flag: whatever the identity bytes say is ignored */
	decode(record("worker", argv, sizeof(argv) - 1, 0, SS_EXE_SHELL, EXE_SHELL_BASH));
	assert_string_equal(ev.exe_shell, "");
	assert_int_equal(ev.exe_id.key.ino, 0);
	assert_string_equal(field(F_SS_SHELL), "");
}

static void test_multicall_verdict(void **state)
{
	const char as_sh[] = "sh\0-c\0id\0";
	const char as_itself[] = "/usr/local/bin/healthcheck\0true\0";
	const char as_busybox[] = "busybox\0ash\0-c\0id\0";
	const char as_busybox_ls[] = "busybox\0ls\0";

	(void)state;
	decode(record("healthcheck", as_sh, sizeof(as_sh) - 1, SS_F_EXE_VERDICT, SS_EXE_MULTICALL,
		      EXE_SHELL_ASH));
	assert_string_equal(field(F_SS_SHELL), "sh");
	assert_string_equal(field(F_SS_SHELL_BY), "content");
	decode(record("healthcheck", as_itself, sizeof(as_itself) - 1, SS_F_EXE_VERDICT,
		      SS_EXE_MULTICALL, EXE_SHELL_ASH));
	assert_string_equal(field(F_SS_SHELL), "");
	decode(record("healthcheck", as_busybox, sizeof(as_busybox) - 1, SS_F_EXE_VERDICT,
		      SS_EXE_MULTICALL, EXE_SHELL_ASH));
	assert_string_equal(field(F_SS_SHELL), "ash");
	decode(record("healthcheck", as_busybox_ls, sizeof(as_busybox_ls) - 1, SS_F_EXE_VERDICT,
		      SS_EXE_MULTICALL, EXE_SHELL_ASH));
	assert_string_equal(field(F_SS_SHELL), "");
}

/* A first sighting comes without a verdict; the judge's is applied to it. */
static void test_first_sighting(void **state)
{
	const char argv[] = "/data/x\0-c\0id\0";
	struct exe_verdict v = {.kind = EXE_KIND_SHELL, .shell = EXE_SHELL_DASH};
	struct exe_ref r;

	(void)state;
	decode(record("x", argv, sizeof(argv) - 1, SS_F_EXE_SIGHTING, 0, 0));
	assert_string_equal(field(F_SS_SHELL), "");
	exe_ref_from_event(&ev, &r);
	assert_int_equal(r.ino, 1234);
	assert_int_equal(r.dev_major, 254);
	assert_int_equal(r.dev_minor, 1);
	assert_int_equal(r.pid, 77);
	exe_verdict_apply(&v, &ev);
	assert_string_equal(field(F_SS_SHELL), "dash");
	assert_string_equal(field(F_SS_SHELL_BY), "content");
	v.kind = EXE_KIND_NOT_SHELL;
	v.shell = EXE_SHELL_NONE;
	exe_verdict_apply(&v, &ev);
	assert_string_equal(field(F_SS_SHELL), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shell_verdict),
		cmocka_unit_test(test_multicall_verdict),
		cmocka_unit_test(test_first_sighting),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
