/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * One UTF-8 validator: JSON and text escaping, Markdown and the
 * shellsentry.argv_escaped field agree on what is invalid. Before they
 * shared it, argv bytes \xed\xa0\x80 (a UTF-16 surrogate) were escaped by
 * JSON and text while shellsentry.argv_escaped said false.
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

#include "event/fields.h"
#include "lib/escape.h"
#include "lib/utf8.h"
#include "report/md.h"

struct sample {
	const char *bytes;
	bool valid; /* valid UTF-8 without C0 controls or DEL */
};

static const struct sample samples[] = {
	{"plain ascii", true},
	{"caf\xc3\xa9", true},
	{"\xe2\x82\xac 20", true},
	{"\xf0\x9f\x98\x80", true},
	{"\xf4\x8f\xbf\xbf", true}, /* U+10FFFF */
	{"\xed\x9f\xbf", true},	    /* U+D7FF, just below the surrogates */
	{"\xee\x80\x80", true},	    /* U+E000, just above */
	{"a\xed\xa0\x80"
	 "b",
	 false},		     /* surrogate U+D800 */
	{"\xed\xbf\xbf", false},     /* surrogate U+DFFF */
	{"\xc0\xaf", false},	     /* overlong '/' */
	{"\xe0\x80\xaf", false},     /* overlong, 3 bytes */
	{"\xf0\x80\x80\xaf", false}, /* overlong, 4 bytes */
	{"\xf4\x90\x80\x80", false}, /* above U+10FFFF */
	{"\xf5\x80\x80\x80", false},
	{"\x80", false}, /* stray continuation */
	{"\xc3", false}, /* cut short */
	{"\xe2\x82", false},
	{"\xff", false},
	{"tab\there", false}, /* C0 control */
	{"del\x7f", false},
};

static bool json_escaped_invalid(const char *s)
{
	char out[256];

	json_escape(out, sizeof(out), s, strlen(s));
	return strstr(out, "\\\\x") || strstr(out, "\\u00") || strstr(out, "\\t");
}

static bool text_escaped(const char *s)
{
	char out[256];

	text_escape(out, sizeof(out), s, strlen(s));
	return strstr(out, "\\x") != NULL;
}

static bool md_escaped(const char *s)
{
	char out[256];

	assert_int_equal(md_visible(s, out, sizeof(out)), 0);
	return strcmp(out, s) != 0;
}

static bool argv_escaped(const char *s)
{
	static struct exec_event ev;
	struct field_value v;

	snprintf(ev.cmdline, sizeof(ev.cmdline), "sh -c %s", s);
	assert_int_equal(field_extract(&ev, F_SS_ARGV_ESCAPED, -1, &v), 0);
	return v.i != 0;
}

static void test_every_place_agrees(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		const char *s = samples[i].bytes;
		bool invalid = !samples[i].valid;

		if (utf8_needs_escape(s, strlen(s)) != invalid)
			fail_msg("sample %zu: utf8_needs_escape", i);
		if (json_escaped_invalid(s) != invalid)
			fail_msg("sample %zu: json_escape", i);
		if (text_escaped(s) != invalid)
			fail_msg("sample %zu: text_escape", i);
		if (md_escaped(s) != invalid)
			fail_msg("sample %zu: md_visible", i);
		if (argv_escaped(s) != invalid)
			fail_msg("sample %zu: shellsentry.argv_escaped", i);
	}
}

/* The defect of issue 15: a surrogate in argv must set shellsentry.argv_escaped. */
static void test_surrogate_sets_argv_escaped(void **state)
{
	(void)state;
	assert_true(argv_escaped("a\xed\xa0\x80"
				 "b"));
}

static void test_decode(void **state)
{
	unsigned cp = 0;

	(void)state;
	assert_int_equal(utf8_decode((const unsigned char *)"\xe2\x82\xac", 3, &cp), 3);
	assert_int_equal(cp, 0x20ac);
	assert_int_equal(utf8_decode((const unsigned char *)"\xe2\x82\xac", 2, &cp), 0);
	assert_int_equal(utf8_decode((const unsigned char *)"", 0, &cp), 0);
	/* a C string cut inside a sequence: the NUL is no continuation byte */
	assert_int_equal(utf8_decode((const unsigned char *)"\xe2", 4, &cp), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_place_agrees),
		cmocka_unit_test(test_surrogate_sets_argv_escaped),
		cmocka_unit_test(test_decode),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
