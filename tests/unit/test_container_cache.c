/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "context/container_cache.h"

static struct container_ctx ctx_named(const char *name)
{
	struct container_ctx v;

	memset(&v, 0, sizeof(v));
	snprintf(v.info.name, sizeof(v.info.name), "%s", name);
	v.id_found = true;
	return v;
}

static void test_new_bounds(void **state)
{
	struct container_cache *c = NULL;

	(void)state;
	assert_int_equal(container_cache_new(0, &c), -EINVAL);
	assert_int_equal(container_cache_new(CONTAINER_CACHE_MAX_ENTRIES + 1, &c), -EINVAL);
	assert_int_equal(container_cache_new(1, NULL), -EINVAL);
	assert_int_equal(container_cache_new(1, &c), 0);
	container_cache_free(c);
	container_cache_free(NULL);
}

static void test_get_put_remove(void **state)
{
	struct container_cache *c;
	struct container_ctx v = ctx_named("a"), *p;

	(void)state;
	assert_int_equal(container_cache_new(4, &c), 0);
	assert_null(container_cache_get(c, 1));
	p = container_cache_put(c, 1, &v);
	assert_non_null(p);
	assert_string_equal(container_cache_get(c, 1)->info.name, "a");
	v = ctx_named("b");
	container_cache_put(c, 1, &v);
	assert_string_equal(container_cache_get(c, 1)->info.name, "b");
	assert_int_equal(container_cache_count(c), 1);
	assert_true(container_cache_remove(c, 1));
	assert_false(container_cache_remove(c, 1));
	assert_null(container_cache_get(c, 1));
	assert_int_equal(container_cache_count(c), 0);
	container_cache_free(c);
}

static void test_lru_eviction(void **state)
{
	struct container_cache *c;
	struct container_ctx v = ctx_named("x");

	(void)state;
	assert_int_equal(container_cache_new(3, &c), 0);
	container_cache_put(c, 10, &v);
	container_cache_put(c, 20, &v);
	container_cache_put(c, 30, &v);
	/* touching 10 makes 20 the least recently used */
	assert_non_null(container_cache_get(c, 10));
	container_cache_put(c, 40, &v);
	assert_int_equal(container_cache_count(c), 3);
	assert_null(container_cache_get(c, 20));
	assert_non_null(container_cache_get(c, 10));
	assert_non_null(container_cache_get(c, 30));
	assert_non_null(container_cache_get(c, 40));
	/* now 10 is the oldest */
	container_cache_put(c, 50, &v);
	assert_null(container_cache_get(c, 10));
	container_cache_free(c);
}

static void test_users(void **state)
{
	struct container_cache *c;
	struct container_ctx v = ctx_named("x");
	char name[CONTAINER_CACHE_USER_NAME + 8], big[CONTAINER_CACHE_USER_NAME + 1];
	uint32_t uid;

	(void)state;
	assert_int_equal(container_cache_new(2, &c), 0);
	assert_int_equal(container_cache_user_put(c, 7, 0, "root"), -ENOENT);
	container_cache_put(c, 7, &v);
	assert_int_equal(container_cache_user_get(c, 7, 0, name, sizeof(name)), -ENOENT);
	assert_int_equal(container_cache_user_put(c, 7, 0, "root"), 0);
	assert_int_equal(container_cache_user_put(c, 7, 1000, ""), 0);
	assert_int_equal(container_cache_user_get(c, 7, 0, name, sizeof(name)), 0);
	assert_string_equal(name, "root");
	assert_int_equal(container_cache_user_get(c, 7, 1000, name, sizeof(name)), 0);
	assert_string_equal(name, "");
	assert_int_equal(container_cache_user_get(c, 7, 0, name, 4), -ENAMETOOLONG);
	memset(big, 'u', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(container_cache_user_put(c, 7, 5, big), -ENAMETOOLONG);

	/* more uids than kept: the oldest go first, an update keeps its slot */
	for (uid = 1; uid <= CONTAINER_CACHE_USERS; uid++) {
		snprintf(name, sizeof(name), "u%u", uid);
		assert_int_equal(container_cache_user_put(c, 7, uid, name), 0);
	}
	assert_int_equal(container_cache_user_get(c, 7, 0, name, sizeof(name)), -ENOENT);
	assert_int_equal(container_cache_user_get(c, 7, CONTAINER_CACHE_USERS, name, sizeof(name)),
			 0);
	assert_string_equal(name, "u8");

	/* replacing the container drops its users */
	container_cache_put(c, 7, &v);
	assert_int_equal(container_cache_user_get(c, 7, 1, name, sizeof(name)), -ENOENT);
	container_cache_free(c);
}

/* Random operations against a plain array model of an LRU. */
static void test_against_model(void **state)
{
	enum { MAX = 16, KEYS = 40, OPS = 20000 };
	uint64_t model[MAX]; /* model[0] most recent */
	size_t n = 0, i, k;
	struct container_cache *c;
	unsigned seed = 12345;

	(void)state;
	assert_int_equal(container_cache_new(MAX, &c), 0);
	for (k = 0; k < OPS; k++) {
		uint64_t key = (uint64_t)(rand_r(&seed) % KEYS) * 0x100000001ull;
		int op = rand_r(&seed) % 3;
		size_t pos = n;
		struct container_ctx v, *got;

		for (i = 0; i < n; i++)
			if (model[i] == key)
				pos = i;
		if (op == 0) { /* get */
			got = container_cache_get(c, key);
			assert_int_equal(got != NULL, pos < n);
			if (pos < n) {
				assert_int_equal(strtoull(got->info.name, NULL, 10), key);
				memmove(model + 1, model, pos * sizeof(model[0]));
				model[0] = key;
			}
		} else if (op == 1) { /* put */
			memset(&v, 0, sizeof(v));
			snprintf(v.info.name, sizeof(v.info.name), "%llu", (unsigned long long)key);
			container_cache_put(c, key, &v);
			if (pos == n && n == MAX)
				pos = n - 1; /* the least recent makes room */
			else if (pos == n)
				n++;
			memmove(model + 1, model, pos * sizeof(model[0]));
			model[0] = key;
		} else { /* remove */
			assert_int_equal(container_cache_remove(c, key), pos < n);
			if (pos < n) {
				memmove(model + pos, model + pos + 1,
					(n - pos - 1) * sizeof(model[0]));
				n--;
			}
		}
		assert_int_equal(container_cache_count(c), n);
	}
	container_cache_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_bounds),    cmocka_unit_test(test_get_put_remove),
		cmocka_unit_test(test_lru_eviction),  cmocka_unit_test(test_users),
		cmocka_unit_test(test_against_model),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
