/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "output/ratelimit.h"

#define SEC 1000000000ULL

static void test_burst_exact(void **state)
{
	struct ratelimit *rl;
	uint64_t sup = 99;
	int allowed = 0, i;

	(void)state;
	assert_int_equal(ratelimit_new(2.0, 5, &rl), 0);
	/* 100 alerts at the same instant: exactly the burst passes. */
	for (i = 0; i < 100; i++)
		allowed += ratelimit_allow(rl, "Shell in container", 1000, &sup);
	assert_int_equal(allowed, 5);
	assert_int_equal(ratelimit_suppressed_total(rl), 95);
	assert_int_equal(ratelimit_suppressed_rule(rl, "Shell in container"), 95);
	/* Half a second later one token (rate 2/s) is back; it reports the 95. */
	assert_false(ratelimit_allow(rl, "Shell in container", 1000 + SEC / 2 - 1, &sup));
	assert_true(ratelimit_allow(rl, "Shell in container", 1000 + SEC / 2, &sup));
	assert_int_equal(sup, 96);
	assert_true(!ratelimit_allow(rl, "Shell in container", 1000 + SEC / 2, &sup));
	ratelimit_free(rl);
}

static void test_rules_independent(void **state)
{
	struct ratelimit *rl;
	uint64_t sup = 7;

	(void)state;
	assert_int_equal(ratelimit_new(1.0, 1, &rl), 0);
	assert_true(ratelimit_allow(rl, "a", 0, &sup));
	assert_int_equal(sup, 0);
	assert_false(ratelimit_allow(rl, "a", 0, &sup));
	assert_true(ratelimit_allow(rl, "b", 0, &sup));
	assert_int_equal(ratelimit_suppressed_rule(rl, "a"), 1);
	assert_int_equal(ratelimit_suppressed_rule(rl, "b"), 0);
	assert_int_equal(ratelimit_suppressed_rule(rl, "never seen"), 0);
	ratelimit_free(rl);
}

static void test_refill_caps_at_burst(void **state)
{
	struct ratelimit *rl;
	int allowed = 0, i;

	(void)state;
	assert_int_equal(ratelimit_new(10.0, 3, &rl), 0);
	assert_true(ratelimit_allow(rl, "r", 0, NULL));
	/* An hour idle refills to the burst, not beyond. */
	for (i = 0; i < 10; i++)
		allowed += ratelimit_allow(rl, "r", 3600 * SEC, NULL);
	assert_int_equal(allowed, 3);
	/* Steady rate: one every 100 ms passes, a second one in between does not. */
	for (i = 1; i <= 50; i++) {
		assert_true(ratelimit_allow(rl, "r", 3600 * SEC + i * (SEC / 10), NULL));
		assert_false(ratelimit_allow(rl, "r", 3600 * SEC + i * (SEC / 10), NULL));
	}
	ratelimit_free(rl);
}

static void test_unlimited_and_invalid(void **state)
{
	struct ratelimit *rl;
	int i;

	(void)state;
	assert_int_equal(ratelimit_new(0.0, 0, &rl), 0);
	for (i = 0; i < 1000; i++)
		assert_true(ratelimit_allow(rl, "x", 0, NULL));
	assert_int_equal(ratelimit_suppressed_total(rl), 0);
	ratelimit_free(rl);
	assert_int_equal(ratelimit_new(-1.0, 1, &rl), -EINVAL);
	assert_int_equal(ratelimit_new(NAN, 1, &rl), -EINVAL);
	assert_int_equal(ratelimit_new(INFINITY, 1, &rl), -EINVAL);
	assert_int_equal(ratelimit_new(2e6, 1, &rl), -EINVAL);
}

static void test_many_rules_bounded(void **state)
{
	struct ratelimit *rl;
	char name[32];
	int i, allowed = 0;

	(void)state;
	assert_int_equal(ratelimit_new(1.0, 1, &rl), 0);
	for (i = 0; i < RATELIMIT_MAX_RULES; i++) {
		snprintf(name, sizeof(name), "rule-%d", i);
		assert_true(ratelimit_allow(rl, name, 0, NULL));
	}
	/* Past the bound, new names share one bucket. */
	for (i = 0; i < 10; i++) {
		snprintf(name, sizeof(name), "extra-%d", i);
		allowed += ratelimit_allow(rl, name, 0, NULL);
	}
	assert_int_equal(allowed, 1);
	ratelimit_free(rl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_burst_exact),
		cmocka_unit_test(test_rules_independent),
		cmocka_unit_test(test_refill_caps_at_burst),
		cmocka_unit_test(test_unlimited_and_invalid),
		cmocka_unit_test(test_many_rules_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
