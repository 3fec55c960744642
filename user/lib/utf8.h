/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The one UTF-8 validator. JSON and text escaping, Markdown rendering and
 * the shellsentry.argv_escaped field all decide "valid UTF-8" here, so a
 * byte sequence is escaped everywhere or nowhere.
 */
#ifndef SS_UTF8_H
#define SS_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Length (1..4) of the valid UTF-8 sequence at s, of at most avail bytes,
 * or 0 when the bytes are not one: a stray continuation byte, a lead byte
 * that cannot start one, a sequence cut short, an overlong form, a UTF-16
 * surrogate (U+D800..U+DFFF) or a value above U+10FFFF. *cp (when cp is
 * not NULL) gets the code point of a valid sequence.
 */
size_t utf8_decode(const unsigned char *s, size_t avail, unsigned *cp);

/* utf8_decode() without the code point. */
size_t utf8_seq_len(const unsigned char *s, size_t avail);

/*
 * Whether len bytes of s hold something every output format escapes: a C0
 * control character, DEL or invalid UTF-8.
 */
bool utf8_needs_escape(const char *s, size_t len);

#endif /* SS_UTF8_H */
