/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <string.h>
#include <cmocka.h>

#include "report/md.h"

static size_t count(const char *s, char c)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == c;
	return n;
}

/* Longest run of backticks at the start of s. */
static size_t lead_ticks(const char *s)
{
	size_t n = 0;

	while (s[n] == '`')
		n++;
	return n;
}

static void test_code_span_fence_longer_than_content(void **state)
{
	struct mdbuf b;
	const char *in = "echo ``x`` ` y";
	size_t f;

	(void)state;
	mdbuf_init(&b, 0);
	md_code(&b, in);
	assert_int_equal(b.err, 0);
	f = lead_ticks(b.data);
	assert_true(f >= 3); /* content has a run of 2 */
	/* the span ends with the same fence and content is intact in between */
	assert_memory_equal(b.data + strlen(b.data) - f, b.data, f);
	assert_non_null(strstr(b.data, in));
	mdbuf_free(&b);
}

static void test_code_span_padding_for_edge_backtick(void **state)
{
	struct mdbuf b;

	(void)state;
	mdbuf_init(&b, 0);
	md_code(&b, "`start");
	/* fence, a space, then the content: the content's tick is not fence */
	assert_string_equal(b.data, "`` `start ``");
	mdbuf_free(&b);
}

static void test_newline_and_heading_cannot_escape(void **state)
{
	struct mdbuf b;

	(void)state;
	mdbuf_init(&b, 0);
	md_code(&b, "ls\n# pwned\r\x1b[31m");
	assert_null(strchr(b.data, '\n'));
	assert_null(strchr(b.data, '\r'));
	assert_null(strchr(b.data, 0x1b));
	assert_non_null(strstr(b.data, "\\n# pwned"));
	assert_non_null(strstr(b.data, "\\x1b"));
	mdbuf_free(&b);
	mdbuf_init(&b, 0);
	md_text(&b, "a\n# b <script>alert(1)</script> | c");
	assert_null(strchr(b.data, '\n'));
	assert_null(strchr(b.data, '<'));
	assert_non_null(strstr(b.data, "\\# b"));
	assert_null(strstr(b.data, " # "));
	assert_int_equal(count(b.data, '|'), 1);
	assert_non_null(strstr(b.data, "\\|"));
	assert_null(strstr(b.data, " | "));
	mdbuf_free(&b);
}

static void test_cell_pipes_escaped(void **state)
{
	struct mdbuf b;
	const char *p;

	(void)state;
	mdbuf_init(&b, 0);
	md_cell_code(&b, "a | b || c");
	for (p = b.data; (p = strchr(p, '|')); p++)
		assert_true(p > b.data && p[-1] == '\\');
	mdbuf_free(&b);
	mdbuf_init(&b, 0);
	md_code(&b, "a | b");
	assert_string_equal(b.data, "`a | b`");
	mdbuf_free(&b);
}

static void test_invalid_utf8_and_bidi(void **state)
{
	struct mdbuf b;
	char out[64];

	(void)state;
	mdbuf_init(&b, 0);
	md_code(&b, "x\xff\xc0\xafy\xe2\x80\xaez\xc3\xa9");
	assert_non_null(strstr(b.data, "x\\xff\\xc0\\xafy"));
	assert_non_null(strstr(b.data, "\\u{202e}z"));
	assert_non_null(strstr(b.data, "\xc3\xa9")); /* valid UTF-8 kept */
	mdbuf_free(&b);
	assert_int_equal(md_visible("a\tb", out, sizeof(out)), 0);
	assert_string_equal(out, "a\\tb");
	assert_int_equal(md_visible("abcdef", out, 4), -ENOSPC);
	assert_string_equal(out, "abc");
}

static void test_code_block_fence(void **state)
{
	struct mdbuf b;
	size_t f;

	(void)state;
	mdbuf_init(&b, 0);
	md_code_block(&b, "yaml", "a: 1\n````\nb: 2");
	f = lead_ticks(b.data);
	assert_true(f >= 5);
	assert_non_null(strstr(b.data, "\n````\n"));
	assert_int_equal(b.data[b.len - 1], '\n');
	assert_int_equal(lead_ticks(b.data + b.len - 1 - f), f);
	mdbuf_free(&b);
}

static void test_limit_is_sticky(void **state)
{
	struct mdbuf b;

	(void)state;
	mdbuf_init(&b, 8);
	mdbuf_puts(&b, "12345");
	mdbuf_puts(&b, "67890");
	assert_int_equal(b.err, -EFBIG);
	mdbuf_puts(&b, "1");
	assert_string_equal(mdbuf_str(&b), "");
	mdbuf_free(&b);
}

static void test_empty_span(void **state)
{
	struct mdbuf b;

	(void)state;
	mdbuf_init(&b, 0);
	md_code(&b, "");
	assert_null(strchr(b.data, '`'));
	mdbuf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_code_span_fence_longer_than_content),
		cmocka_unit_test(test_code_span_padding_for_edge_backtick),
		cmocka_unit_test(test_newline_and_heading_cannot_escape),
		cmocka_unit_test(test_cell_pipes_escaped),
		cmocka_unit_test(test_invalid_utf8_and_bidi),
		cmocka_unit_test(test_code_block_fence),
		cmocka_unit_test(test_limit_is_sticky),
		cmocka_unit_test(test_empty_span),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
