// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include "lib/utf8.h"

size_t utf8_decode(const unsigned char *s, size_t avail, unsigned *cp)
{
	unsigned c, v;
	size_t n;

	if (!avail)
		return 0;
	c = s[0];
	if (c < 0x80) {
		if (cp)
			*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		v = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		v = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		v = c & 0x07;
	} else {
		return 0;
	}
	if (n > avail)
		return 0;
	/* stops at the first byte that is no continuation: a NUL ends a C string safely */
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, UTF-16 surrogates and values past U+10FFFF are invalid. */
	if ((n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 || v > 0x10ffff)) ||
	    (v >= 0xd800 && v <= 0xdfff))
		return 0;
	if (cp)
		*cp = v;
	return n;
}

size_t utf8_seq_len(const unsigned char *s, size_t avail)
{
	return utf8_decode(s, avail, NULL);
}

bool utf8_needs_escape(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;

	while (i < len) {
		if (p[i] < 0x20 || p[i] == 0x7f)
			return true;
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		n = utf8_decode(p + i, len - i, NULL);
		if (!n)
			return true;
		i += n;
	}
	return false;
}
