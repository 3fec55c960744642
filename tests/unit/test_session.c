/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Session ids, reasons, and the session end record. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "event/session.h"

static void test_id_and_reasons(void **state)
{
	char buf[64];

	(void)state;
	session_id_format(buf, sizeof(buf), 4242, 0x1a2b3c);
	assert_string_equal(buf, "4242-1a2b3c");
	session_reasons_format(buf, sizeof(buf), SS_SESSION_INJECTED | SS_SESSION_NET);
	assert_string_equal(buf, "injected,network");
	session_reasons_format(buf, sizeof(buf), 0);
	assert_string_equal(buf, "");
	session_reasons_format(buf, 9, SS_SESSION_INJECTED | SS_SESSION_TTY | SS_SESSION_NET);
	assert_string_equal(buf, "injected"); /* cut at a whole name */
}

static void test_end_decode(void **state)
{
	struct ss_session_end r = {
		.boot_ns = 9000000000ULL,
		.start_ns = 4000000000ULL,
		.commands = 12,
		.version = SS_EVENT_VERSION,
		.header_len = sizeof(r),
		.pid = 77,
		.exit_code = 7 << 8,
		.capped = 3,
	};
	struct session_end se;

	(void)state;
	assert_int_equal(session_end_decode(&r, sizeof(r), 1000, &se), 0);
	assert_string_equal(se.session, "77-ee6b2800");
	assert_int_equal(se.start_ns, 4000001000ULL);
	assert_int_equal(se.end_ns, 9000001000ULL);
	assert_int_equal(se.commands, 12);
	assert_int_equal(se.capped, 3);
	/* another record kind, a short one, a wrong size or version */
	assert_int_equal(session_end_decode(&r, 8, 0, &se), -ENOMSG);
	r.header_len = 40;
	assert_int_equal(session_end_decode(&r, sizeof(r), 0, &se), -ENOMSG);
	r.header_len = sizeof(r);
	assert_int_equal(session_end_decode(&r, sizeof(r) - 1, 0, &se), -EBADMSG);
	r.version = SS_EVENT_VERSION + 1;
	assert_int_equal(session_end_decode(&r, sizeof(r), 0, &se), -EBADMSG);
}

static void test_how(void **state)
{
	char buf[64];

	(void)state;
	session_end_how(buf, sizeof(buf), 0);
	assert_string_equal(buf, "exit 0");
	session_end_how(buf, sizeof(buf), 7 << 8);
	assert_string_equal(buf, "exit 7");
	session_end_how(buf, sizeof(buf), 9);
	assert_string_equal(buf, "signal 9 (SIGKILL)");
	session_end_how(buf, sizeof(buf), 11 | 0x80);
	assert_string_equal(buf, "signal 11 (SIGSEGV), core dumped");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_id_and_reasons),
		cmocka_unit_test(test_end_decode),
		cmocka_unit_test(test_how),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
