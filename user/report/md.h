/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Markdown output buffer and escaping of untrusted values. Anything a
 * monitored process controls goes through md_text(), md_code(),
 * md_cell_code() or md_code_block(): the result renders as the same bytes
 * (control characters, invalid UTF-8 and invisible Unicode controls shown as
 * escapes) and can never close its span, cell or block, start a heading or
 * inject HTML.
 */
#ifndef SS_MD_H
#define SS_MD_H

#include <stdarg.h>
#include <stddef.h>

/*
 * Growable buffer with a size limit. Errors are sticky: after the first
 * failure (-ENOMEM, or -EFBIG past max) appends do nothing and err holds it,
 * so a writer checks once at the end.
 */
struct mdbuf {
	char *data; /* NUL-terminated when len > 0 */
	size_t len;
	size_t cap;
	size_t max; /* 0 = no limit */
	int err;
};

void mdbuf_init(struct mdbuf *b, size_t max);
void mdbuf_free(struct mdbuf *b);
/* Trusted text, copied as is. */
void mdbuf_puts(struct mdbuf *b, const char *s);
void mdbuf_putn(struct mdbuf *b, const char *s, size_t n);
void mdbuf_printf(struct mdbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The text, "" when empty or failed. */
const char *mdbuf_str(const struct mdbuf *b);

/* Untrusted value as inline text: Markdown punctuation and HTML escaped. */
void md_text(struct mdbuf *b, const char *s);
/* Untrusted value as an inline code span (outside tables). */
void md_code(struct mdbuf *b, const char *s);
/* Untrusted value as an inline code span inside a table cell ('|' escaped). */
void md_cell_code(struct mdbuf *b, const char *s);
/* Fenced code block; the fence is longer than any backtick run in s. */
void md_code_block(struct mdbuf *b, const char *info, const char *s);

/*
 * Render bytes visibly into a plain string (no Markdown): control
 * characters as \n \t \xNN, invalid UTF-8 as \xNN, Unicode line separators
 * and bidi controls as \u{NNNN}. Used for values put into YAML or file
 * names by callers that add their own quoting. Returns 0 or -ENOSPC (the
 * output is then cut at a character boundary and still NUL-terminated).
 */
int md_visible(const char *s, char *out, size_t len);

#endif /* SS_MD_H */
