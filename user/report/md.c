/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/utf8.h"
#include "report/md.h"

void mdbuf_init(struct mdbuf *b, size_t max)
{
	memset(b, 0, sizeof(*b));
	b->max = max;
}

void mdbuf_free(struct mdbuf *b)
{
	if (!b)
		return;
	free(b->data);
	memset(b, 0, sizeof(*b));
}

static bool mdbuf_reserve(struct mdbuf *b, size_t n)
{
	size_t need, cap;
	char *p;

	if (b->err)
		return false;
	if (n > ((size_t)-1) / 2 - b->len - 1 || (b->max && b->len + n > b->max)) {
		b->err = -EFBIG;
		return false;
	}
	need = b->len + n + 1;
	if (need <= b->cap)
		return true;
	cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap *= 2;
	p = realloc(b->data, cap);
	if (!p) {
		b->err = -ENOMEM;
		return false;
	}
	b->data = p;
	b->cap = cap;
	return true;
}

void mdbuf_putn(struct mdbuf *b, const char *s, size_t n)
{
	if (!mdbuf_reserve(b, n))
		return;
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void mdbuf_puts(struct mdbuf *b, const char *s)
{
	mdbuf_putn(b, s, strlen(s));
}

void mdbuf_printf(struct mdbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->err)
		return;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->err = -EINVAL;
		return;
	}
	if (!mdbuf_reserve(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

const char *mdbuf_str(const struct mdbuf *b)
{
	return b->err || !b->data ? "" : b->data;
}

/* Code points that move or hide text when rendered: shown as escapes. */
static bool invisible_control(unsigned cp)
{
	return (cp >= 0x80 && cp < 0xa0) || cp == 0x2028 || cp == 0x2029 ||
	       (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069) || cp == 0xfeff;
}

/*
 * One character of untrusted input: bytes consumed (>= 1) and, when it must
 * be shown as an escape, the escape text in esc (else esc is "").
 */
static size_t visible_char(const unsigned char *s, char esc[16], bool keep_newline)
{
	unsigned cp;
	size_t n;

	esc[0] = '\0';
	/* a C string: a NUL fails the continuation test before anything past it is read */
	n = utf8_decode(s, 4, &cp);
	if (!n) {
		snprintf(esc, 16, "\\x%02x", s[0]);
		return 1;
	}
	if (cp == '\n' && keep_newline)
		return 1;
	if (cp == '\n')
		snprintf(esc, 16, "\\n");
	else if (cp == '\t')
		snprintf(esc, 16, "\\t");
	else if (cp == '\r')
		snprintf(esc, 16, "\\r");
	else if (cp < 0x20 || cp == 0x7f)
		snprintf(esc, 16, "\\x%02x", cp);
	else if (invisible_control(cp))
		snprintf(esc, 16, "\\u{%04x}", cp);
	return n;
}

int md_visible(const char *s, char *out, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0, n, k;
	char esc[16];

	if (!len)
		return -ENOSPC;
	while (*p) {
		n = visible_char(p, esc, false);
		k = esc[0] ? strlen(esc) : n;
		if (o + k >= len) {
			out[o] = '\0';
			return -ENOSPC;
		}
		memcpy(out + o, esc[0] ? esc : (const char *)p, k);
		o += k;
		p += n;
	}
	out[o] = '\0';
	return 0;
}

void md_text(struct mdbuf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	char esc[16];
	size_t n;

	while (*p) {
		n = visible_char(p, esc, false);
		if (esc[0]) {
			/* the escape's backslash must itself show */
			mdbuf_puts(b, "\\");
			mdbuf_puts(b, esc);
		} else if (*p == '<') {
			mdbuf_puts(b, "&lt;");
		} else if (*p == '>') {
			mdbuf_puts(b, "&gt;");
		} else if (*p == '&') {
			mdbuf_puts(b, "&amp;");
		} else if (n == 1 && strchr("\\`*_{}[]()#+-.!|~\"'=:", *p)) {
			mdbuf_putn(b, "\\", 1);
			mdbuf_putn(b, (const char *)p, 1);
		} else {
			mdbuf_putn(b, (const char *)p, n);
		}
		p += n;
	}
}

static size_t longest_backtick_run(const char *s)
{
	size_t run = 0, best = 0;

	for (; *s; s++) {
		run = *s == '`' ? run + 1 : 0;
		if (run > best)
			best = run;
	}
	return best;
}

static void put_fence(struct mdbuf *b, size_t n)
{
	while (n--)
		mdbuf_putn(b, "`", 1);
}

static void code_span(struct mdbuf *b, const char *s, bool cell)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t fence = longest_backtick_run(s) + 1, n, slen = strlen(s);
	bool pad, all_space = true;
	char esc[16];

	if (!slen) {
		mdbuf_puts(b, "*(empty)*");
		return;
	}
	for (n = 0; n < slen; n++)
		if (s[n] != ' ')
			all_space = false;
	/*
	 * CommonMark strips one space from each end when both are there, and
	 * a backtick next to the fence would merge with it: pad both ends.
	 */
	pad = !all_space &&
	      (s[0] == '`' || s[0] == ' ' || s[slen - 1] == '`' || s[slen - 1] == ' ');
	put_fence(b, fence);
	if (pad)
		mdbuf_putn(b, " ", 1);
	while (*p) {
		n = visible_char(p, esc, false);
		if (esc[0])
			mdbuf_puts(b, esc);
		else if (cell && *p == '|')
			mdbuf_puts(b, "\\|"); /* GFM splits cells before spans */
		else
			mdbuf_putn(b, (const char *)p, n);
		p += n;
	}
	if (pad)
		mdbuf_putn(b, " ", 1);
	put_fence(b, fence);
}

void md_code(struct mdbuf *b, const char *s)
{
	code_span(b, s, false);
}

void md_cell_code(struct mdbuf *b, const char *s)
{
	code_span(b, s, true);
}

void md_code_block(struct mdbuf *b, const char *info, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t fence = longest_backtick_run(s) + 1, n;
	char esc[16];

	if (fence < 3)
		fence = 3;
	put_fence(b, fence);
	mdbuf_puts(b, info ? info : "");
	mdbuf_putn(b, "\n", 1);
	while (*p) {
		n = visible_char(p, esc, true);
		if (esc[0])
			mdbuf_puts(b, esc);
		else
			mdbuf_putn(b, (const char *)p, n);
		p += n;
	}
	if (!*s || s[strlen(s) - 1] != '\n')
		mdbuf_putn(b, "\n", 1);
	put_fence(b, fence);
	mdbuf_putn(b, "\n", 1);
}
