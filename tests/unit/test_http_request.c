/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The metrics server's request parser, on what honest and hostile clients send. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "output/http_request.h"

static int parse(const char *s, struct http_request *r)
{
	return http_request_parse(s, strlen(s), r);
}

static void test_complete(void **state)
{
	struct http_request r;

	(void)state;
	assert_int_equal(parse("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", &r), 1);
	assert_int_equal(r.method, HTTP_GET);
	assert_string_equal(r.path, "/healthz");
	assert_int_equal(parse("HEAD /metrics?x=1&y HTTP/1.0\n\n", &r), 1);
	assert_int_equal(r.method, HTTP_HEAD);
	assert_string_equal(r.path, "/metrics");
	assert_int_equal(parse("POST /metrics HTTP/1.1\r\n\r\n", &r), 1);
	assert_int_equal(r.method, HTTP_OTHER);
	/* kubelet's probe */
	assert_int_equal(parse("GET /healthz HTTP/1.1\r\nHost: 10.0.0.5:9376\r\nUser-Agent: "
			       "kube-probe/1.30\r\nAccept: */*\r\nConnection: close\r\n\r\n",
			       &r),
			 1);
}

static void test_incomplete(void **state)
{
	struct http_request r;

	(void)state;
	assert_int_equal(parse("", &r), 0);
	assert_int_equal(parse("G", &r), 0);
	assert_int_equal(parse("GET /healthz HTTP/1.1", &r), 0);
	assert_int_equal(parse("GET /healthz HTTP/1.1\r\n", &r), 0);
	assert_int_equal(parse("GET /healthz HTTP/1.1\r\nHost: x\r\n", &r), 0);
	assert_int_equal(parse("GET /healthz HTTP/1.1\r\n\r", &r), 0);
}

static void test_malformed(void **state)
{
	static const char *const bad[] = {
		"\r\n\r\n",
		"get /healthz HTTP/1.1\r\n\r\n",
		"GET healthz HTTP/1.1\r\n\r\n",
		"GET  /healthz HTTP/1.1\r\n\r\n",
		"GET /health\tz HTTP/1.1\r\n\r\n",
		"GET /healthz HTTP/2.0\r\n\r\n",
		"GET /healthz HTTP/1.1 x\r\n\r\n",
		"GET /healthz\r\n\r\n",
		"GET /h\x80 HTTP/1.1\r\n\r\n",
		"ABCDEFGHIJKLMNOPQ /healthz HTTP/1.1\r\n\r\n",
	};
	struct http_request r;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (parse(bad[i], &r) != -EBADMSG)
			fail_msg("accepted: %s", bad[i]);
	/* a NUL anywhere, even before the line ends */
	assert_int_equal(http_request_parse("GET /\0", 6, &r), -EBADMSG);
}

static void test_oversized(void **state)
{
	static char buf[HTTP_REQUEST_MAX + 100];
	struct http_request r;

	(void)state;
	/* a request line that never ends */
	memset(buf, 'A', sizeof(buf));
	assert_int_equal(http_request_parse(buf, HTTP_REQUEST_MAX - 1, &r), 0);
	assert_int_equal(http_request_parse(buf, HTTP_REQUEST_MAX, &r), -E2BIG);
	/* headers that never end */
	memset(buf, 'x', sizeof(buf));
	memcpy(buf, "GET / HTTP/1.1\r\n", 16);
	assert_int_equal(http_request_parse(buf, sizeof(buf), &r), -E2BIG);
	/* a path longer than HTTP_PATH_MAX */
	memset(buf, 'a', sizeof(buf));
	memcpy(buf, "GET /", 5);
	memcpy(buf + 5 + HTTP_PATH_MAX, " HTTP/1.1\r\n\r\n", 13);
	assert_int_equal(http_request_parse(buf, 5 + HTTP_PATH_MAX + 13, &r), -E2BIG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_complete),
		cmocka_unit_test(test_incomplete),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_oversized),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
