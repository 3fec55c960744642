// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lib/escape.h"
#include "lib/utf8.h"

/* Append piece if it fits whole; false when the output is full. */
static bool put(char *dst, size_t dst_len, size_t *pos, const char *piece, size_t n)
{
	if (*pos + n >= dst_len)
		return false;
	memcpy(dst + *pos, piece, n);
	*pos += n;
	return true;
}

/* Printable ASCII that JSON passes through as is: one table load per byte. */
static const unsigned char json_plain_tab[256] = {
	[0x20 ... 0x21] = 1, /* '"' (0x22) and '\\' (0x5c) are escaped */
	[0x23 ... 0x5b] = 1,
	[0x5d ... 0x7e] = 1,
};

static inline bool json_plain(unsigned char c)
{
	return json_plain_tab[c];
}

#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL
#define HAS_ZERO(v) (((v)-ONES) & ~(v)&HIGHS)

/* Eight plain bytes at once: no control, '"', '\\', DEL or non-ASCII byte. */
static inline bool json_plain8(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return !((v & HIGHS) | HAS_ZERO(v & 0xe0e0e0e0e0e0e0e0ULL) | HAS_ZERO(v ^ (ONES * '"')) |
		 HAS_ZERO(v ^ (ONES * '\\')) | HAS_ZERO(v ^ (ONES * 0x7f)));
}

size_t json_escape(char *dst, size_t dst_len, const char *src, size_t src_len)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t pos = 0, i = 0;
	char esc[8];

	if (!dst_len)
		return 0;
	while (i < src_len) {
		unsigned c;
		size_t n, plen, run = 0;
		const char *piece = esc;

		/* Most bytes are plain: find runs of them eight at a time, copy at once. */
		while (i + run + 8 <= src_len && json_plain8(s + i + run))
			run += 8;
		while (i + run < src_len && json_plain(s[i + run]))
			run++;
		if (run) {
			if (pos + run >= dst_len)
				run = dst_len - 1 - pos;
			memcpy(dst + pos, src + i, run);
			pos += run;
			i += run;
			if (pos + 1 >= dst_len)
				break;
			continue;
		}
		c = s[i];
		n = utf8_seq_len(s + i, src_len - i);

		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			plen = 2;
			n = 1;
		} else if (c < 0x20 || c == 0x7f) {
			switch (c) {
			case '\n':
				piece = "\\n";
				break;
			case '\t':
				piece = "\\t";
				break;
			case '\r':
				piece = "\\r";
				break;
			default:
				snprintf(esc, sizeof(esc), "\\u%04x", c);
			}
			plen = strlen(piece);
		} else if (!n) {
			snprintf(esc, sizeof(esc), "\\\\x%02x", c);
			plen = strlen(esc);
			n = 1;
		} else {
			piece = src + i;
			plen = n;
		}
		if (!put(dst, dst_len, &pos, piece, plen))
			break;
		i += n;
	}
	dst[pos] = 0;
	return pos;
}

size_t text_escape(char *dst, size_t dst_len, const char *src, size_t src_len)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t pos = 0, i = 0;
	char esc[8];

	if (!dst_len)
		return 0;
	while (i < src_len) {
		unsigned c = s[i];
		size_t n = utf8_seq_len(s + i, src_len - i);
		const char *piece = esc;
		size_t plen;

		if (c == '\\') {
			piece = "\\\\";
			plen = 2;
			n = 1;
		} else if (c < 0x20 || c == 0x7f || !n ||
			   /* C1 controls (U+0080..U+009F): CSI and friends on some terminals */
			   (n == 2 && c == 0xc2 && s[i + 1] < 0xa0)) {
			snprintf(esc, sizeof(esc), "\\x%02x", c);
			plen = 4;
			n = 1;
		} else {
			piece = src + i;
			plen = n;
		}
		if (!put(dst, dst_len, &pos, piece, plen))
			break;
		i += n;
	}
	dst[pos] = 0;
	return pos;
}
