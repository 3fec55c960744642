/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Escaping of untrusted bytes for JSON strings and single-line text.
 * Both write at most dst_len bytes including the NUL, never split an escape
 * sequence, and return the length written (truncated output stays valid).
 */
#ifndef SS_ESCAPE_H
#define SS_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/utf8.h" /* utf8_seq_len(), which decides what is escaped */

/*
 * JSON string body (no quotes): ", \ and control characters escaped;
 * valid UTF-8 passes through; each byte of invalid UTF-8 becomes the text
 * \xNN (as "\\xNN"), so the output is always valid UTF-8 JSON.
 */
size_t json_escape(char *dst, size_t dst_len, const char *src, size_t src_len);

/*
 * One text line: control characters (newline, ESC, DEL...) and invalid
 * UTF-8 bytes become \xNN, a backslash becomes \\; nothing can start a new
 * line or move the terminal's cursor.
 */
size_t text_escape(char *dst, size_t dst_len, const char *src, size_t src_len);

#endif /* SS_ESCAPE_H */
