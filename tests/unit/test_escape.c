/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <json-c/json.h>

#include "lib/escape.h"
#include "shellsentry.h"

/* Wrap in quotes and let json-c decode: the round trip must give back src. */
static char *json_roundtrip(const char *src, size_t n)
{
	size_t cap = n * 8 + 16;
	char *buf = malloc(cap + 2), *out;
	json_object *o;

	buf[0] = '"';
	size_t w = json_escape(buf + 1, cap, src, n);
	buf[1 + w] = '"';
	buf[2 + w] = 0;
	o = json_tokener_parse(buf);
	free(buf);
	if (!o || !json_object_is_type(o, json_type_string)) {
		json_object_put(o);
		return NULL;
	}
	out = strdup(json_object_get_string(o));
	json_object_put(o);
	return out;
}

static void test_json_quotes_controls_roundtrip(void **state)
{
	const char src[] = "a\"b\\c\nd\te\x1b[31mf\x01g\x7fh é 漢 😀";
	char *back;

	(void)state;
	back = json_roundtrip(src, strlen(src));
	assert_non_null(back);
	assert_string_equal(back, src);
	free(back);
}

static void test_json_no_raw_control_bytes(void **state)
{
	char src[32], dst[256];

	(void)state;
	for (int i = 0; i < 32; i++)
		src[i] = (char)(i + 1 == 32 ? 0x7f : i + 1);
	json_escape(dst, sizeof(dst), src, sizeof(src));
	for (size_t i = 0; dst[i]; i++)
		assert_true((unsigned char)dst[i] >= 0x20 && dst[i] != 0x7f);
}

static void test_json_invalid_utf8_visible(void **state)
{
	const char src[] = "ok\xff\xc3(\xed\xa0\x80"
			   "end"; /* bad byte, truncated seq, surrogate */
	char *back;

	(void)state;
	back = json_roundtrip(src, strlen(src));
	assert_non_null(back); /* still valid JSON */
	assert_string_equal(back, "ok\\xff\\xc3(\\xed\\xa0\\x80"
				  "end");
	free(back);
}

static void test_json_truncation_keeps_escapes_whole(void **state)
{
	const char src[] = "\"\"\"\"\"\"";
	char dst[6];
	size_t n;

	(void)state;
	n = json_escape(dst, sizeof(dst), src, strlen(src));
	assert_int_equal(n, 4); /* two whole \" pairs, never a lone backslash */
	assert_string_equal(dst, "\\\"\\\"");
}

static void test_json_64k_argv(void **state)
{
	size_t n = 64 * 1024;
	char *src = malloc(n + 1), *back;

	(void)state;
	for (size_t i = 0; i < n; i++)
		src[i] = "ab\"\\\n\x1b"[i % 6];
	src[n] = 0;
	back = json_roundtrip(src, n);
	assert_non_null(back);
	assert_memory_equal(back, src, n);
	free(back);
	free(src);
}

/* A special byte at every offset of a plain run: the 8-byte fast path must stop at each. */
static void test_json_special_at_every_offset(void **state)
{
	static const char specials[] = {0x01, '"', '\\', 0x7f, 0x1f, 0x0a};

	(void)state;
	for (size_t k = 0; k < sizeof(specials); k++) {
		for (size_t pos = 0; pos < 24; pos++) {
			char src[25], *back;

			memset(src, 'a', 24);
			src[24] = 0;
			src[pos] = specials[k];
			back = json_roundtrip(src, 24);
			assert_non_null(back);
			assert_memory_equal(back, src, 25);
			free(back);
		}
	}
}

static void test_text_one_line_no_escape_char(void **state)
{
	const char src[] = "x\ny\r\x1b[2J\\z\xc2\x9b\xff";
	char dst[256];

	(void)state;
	text_escape(dst, sizeof(dst), src, strlen(src));
	assert_null(strchr(dst, '\n'));
	assert_null(strchr(dst, '\r'));
	assert_null(strchr(dst, 0x1b));
	assert_null(strstr(dst, "\xc2\x9b")); /* C1 CSI */
	assert_string_equal(dst, "x\\x0ay\\x0d\\x1b[2J\\\\z\\xc2\\x9b\\xff");
}

static void test_utf8_seq_len(void **state)
{
	(void)state;
	assert_int_equal(utf8_seq_len((const unsigned char *)"a", 1), 1);
	assert_int_equal(utf8_seq_len((const unsigned char *)"\xc3\xa9", 2), 2);
	assert_int_equal(utf8_seq_len((const unsigned char *)"\xc3\xa9", 1), 0);
	assert_int_equal(utf8_seq_len((const unsigned char *)"\xc0\x80", 2), 0); /* overlong */
	assert_int_equal(utf8_seq_len((const unsigned char *)"\xe0\x80\x80", 3), 0);
	assert_int_equal(utf8_seq_len((const unsigned char *)"\xf4\x90\x80\x80", 4), 0);
	assert_int_equal(utf8_seq_len((const unsigned char *)"\xf0\x9f\x98\x80", 4), 4);
}

static void test_tty_encoding(void **state)
{
	(void)state;
	assert_int_equal(ss_tty_encode(136, 0), 34816); /* pts/0, as Falco prints it */
	assert_int_equal(ss_tty_encode(136, 5), 34821);
	assert_int_equal(ss_tty_encode(4, 1), 1025); /* tty1 */
	/* minors past 255 keep their high bits above the major (new_encode_dev) */
	assert_int_equal(ss_tty_encode(136, 256), (136 << 8) | (1 << 20));
	assert_int_equal(ss_tty_encode(0, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_quotes_controls_roundtrip),
		cmocka_unit_test(test_json_no_raw_control_bytes),
		cmocka_unit_test(test_json_invalid_utf8_visible),
		cmocka_unit_test(test_json_truncation_keeps_escapes_whole),
		cmocka_unit_test(test_json_64k_argv),
		cmocka_unit_test(test_json_special_at_every_offset),
		cmocka_unit_test(test_text_one_line_no_escape_char),
		cmocka_unit_test(test_utf8_seq_len),
		cmocka_unit_test(test_tty_encoding),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
