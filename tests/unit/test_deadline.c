/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "daemon/deadline.h"

#define MS 1000000ULL
#define SEC 1000000000ULL

static void test_earliest(void **state)
{
	(void)state;
	assert_true(deadline_earliest(0, 0) == 0); /* no timer: sleep for good */
	assert_true(deadline_earliest(0, 5) == 5);
	assert_true(deadline_earliest(5, 0) == 5);
	assert_true(deadline_earliest(7, 5) == 5);
	assert_true(deadline_earliest(5, 7) == 5);
}

static void test_from_wall(void **state)
{
	uint64_t wall = 1700000000 * SEC, mono = 1000 * SEC;

	(void)state;
	assert_true(deadline_from_wall(UINT64_MAX, wall, mono) == 0);	 /* nothing due */
	assert_true(deadline_from_wall(wall - SEC, wall, mono) == mono); /* overdue: now */
	assert_true(deadline_from_wall(wall, wall, mono) == mono);
	assert_true(deadline_from_wall(wall + 30 * SEC, wall, mono) == mono + 30 * SEC);
	/* a due time the monotonic clock cannot reach is no deadline, not a wrapped one */
	assert_true(deadline_from_wall(UINT64_MAX - 1, 0, UINT64_MAX - 10) == 0);
}

static void test_poll_ms(void **state)
{
	uint64_t now = 1000 * SEC;

	(void)state;
	assert_int_equal(deadline_poll_ms(0, now), -1);
	assert_int_equal(deadline_poll_ms(now, now), 0);
	assert_int_equal(deadline_poll_ms(now - 1, now), 0);
	/* rounded up: never wake before the deadline */
	assert_int_equal(deadline_poll_ms(now + 1, now), 1);
	assert_int_equal(deadline_poll_ms(now + 2 * MS, now), 2);
	assert_int_equal(deadline_poll_ms(now + 2 * MS + 1, now), 3);
	assert_int_equal(deadline_poll_ms(now + 60 * SEC, now), 60000);
	assert_int_equal(deadline_poll_ms(UINT64_MAX, 1), INT_MAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_earliest),
		cmocka_unit_test(test_from_wall),
		cmocka_unit_test(test_poll_ms),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
