/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The replay recording's record format (tests/replay/event_json.c): exact
 * round trip of hostile bytes, and tolerance of layout changes (a missing
 * field reads as zero, an unknown key is ignored).
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

/* The codec is test code, not part of the library: built in here. */
#include "../replay/event_json.c"

static void test_round_trip_hostile(void **state)
{
	static struct ss_event e, back;
	const char argv[] = "sh\0-c\0\x1b[2J\r\n\"\\\xed\xa0\x80\0";
	char *text = NULL, err[128];
	size_t tlen = 0;
	FILE *f;
	int len;

	(void)state;
	memset(&e, 0, sizeof(e));
	e.version = SS_EVENT_VERSION;
	e.header_len = SS_EVENT_HEADER_LEN;
	e.boot_ns = 123456789012345ULL;
	e.cap_effective = 0xa80425fbULL;
	e.pid = 4242;
	e.loginuid = (uint32_t)-1;
	e.lineage = SS_LINEAGE_INJECTED;
	e.ancestor_count = 2;
	e.ancestors[0].pid = 7;
	memcpy(e.ancestors[0].comm, "runc:[2:INIT]", 14);
	memcpy(e.ancestors[1].comm, "a\"b\\c", 6);
	memcpy(e.comm, "\xff\x01sh", 5);
	memcpy(e.cgroup_name, "libpod-x.scope", 15);
	e.exe_path_len = 3;
	memcpy(e.exe_path, "dash", 5);
	memcpy(e.exe_path + 2 * SS_EXE_SLOT_LEN, "usr", 4); /* slot 1 empty: a mount crossing */
	memcpy(e.argv, argv, sizeof(argv) - 1);
	e.argv_len = sizeof(argv) - 1;

	f = open_memstream(&text, &tlen);
	assert_non_null(f);
	assert_int_equal(event_json_write(f, &e, SS_EVENT_HEADER_LEN + e.argv_len), 0);
	fclose(f);
	assert_non_null(strstr(text, "\"comm\":{\"hex\":\"ff017368\"}"));
	len = event_json_read(text, &back, err, sizeof(err));
	assert_int_equal(len, SS_EVENT_HEADER_LEN + e.argv_len);
	assert_memory_equal(&back, &e, (size_t)len);
	free(text);
}

static void test_missing_fields_are_zero(void **state)
{
	static struct ss_event e;
	char err[128];
	int len;

	(void)state;
	memset(&e, 0x5a, sizeof(e));
	len = event_json_read("{\"pid\":9,\"a_field_of_tomorrow\":3,\"argv_hex\":\"736800\"}", &e,
			      err, sizeof(err));
	assert_int_equal(len, SS_EVENT_HEADER_LEN + 3);
	assert_int_equal(e.pid, 9);
	assert_int_equal(e.uid, 0);
	assert_int_equal(e.boot_ns, 0);
	assert_int_equal(e.comm[0], 0);
	assert_int_equal(e.version, SS_EVENT_VERSION);
	assert_int_equal(e.header_len, SS_EVENT_HEADER_LEN);
	assert_int_equal(e.argv_len, 3);
	assert_memory_equal(e.argv, "sh", 3);
}

static void test_bad_lines_rejected(void **state)
{
	static struct ss_event e;
	char err[128];

	(void)state;
	assert_int_equal(event_json_read("[1]", &e, err, sizeof(err)), -EINVAL);
	assert_int_equal(
		event_json_read("{\"argv_len\":4,\"argv_hex\":\"00\"}", &e, err, sizeof(err)),
		-EINVAL);
	assert_int_equal(event_json_read("{\"argv_hex\":\"0\"}", &e, err, sizeof(err)), -EINVAL);
	assert_int_equal(event_json_read("{\"pid\":\"9\"}", &e, err, sizeof(err)), -EINVAL);
	assert_int_equal(
		event_json_read("{\"comm\":\"this name is far too long\"}", &e, err, sizeof(err)),
		-EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_hostile),
		cmocka_unit_test(test_missing_fields_are_zero),
		cmocka_unit_test(test_bad_lines_rejected),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
