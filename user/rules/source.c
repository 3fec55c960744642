// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Source positions for error messages: an offset in a condition is mapped
 * back to the line and column of the rules file, through YAML's folding,
 * indentation and quoting.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rules_internal.h"

int src_text_append(struct arena *a, struct src_text *t, const char *text, size_t len,
		    const struct src_piece *where)
{
	size_t sep = t->len ? 1 : 0;
	char *joined = arena_alloc(a, t->len + sep + len + 1);
	struct src_piece *p;

	if (!joined)
		return -ENOMEM;
	if (t->len)
		memcpy(joined, t->text, t->len);
	if (sep)
		joined[t->len] = ' ';
	memcpy(joined + t->len + sep, text, len);
	/* Past the last slot, later pieces are located within the last one. */
	if (t->npieces < RULES_MAX_PIECES) {
		p = &t->pieces[t->npieces++];
		*p = *where;
		p->off = t->len + sep;
	}
	t->text = joined;
	t->len += sep + len;
	return 0;
}

/* Byte offset of a 1-based line and column (columns count UTF-8 characters). */
static size_t src_offset(const struct src_file *f, int line, int col)
{
	size_t i = 0;
	int l = 1, c = 1;

	while (i < f->len && l < line) {
		if (f->text[i++] == '\n')
			l++;
	}
	while (i < f->len && c < col && f->text[i] != '\n') {
		i++;
		while (i < f->len && ((unsigned char)f->text[i] & 0xc0) == 0x80)
			i++;
		c++;
	}
	return i;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * Walk the scalar's source and its value side by side: what YAML folded,
 * indented or quoted appears only in the source, so skip it there. When
 * the two cannot be aligned (escapes), fall back to the scalar's start.
 */
void src_text_locate(const struct src_text *t, size_t off, struct ss_error *err)
{
	const struct src_piece *p = NULL;
	const struct src_file *f;
	size_t i, j;
	int line, col, k;

	for (k = 0; k < t->npieces; k++)
		if (t->pieces[k].off <= off)
			p = &t->pieces[k];
	if (!p || !p->file) {
		err->line = 0;
		err->col = 0;
		return;
	}
	f = p->file;
	snprintf(err->file, sizeof(err->file), "%s", f->name);
	err->line = p->line;
	err->col = p->col;
	if (!f->text)
		return;
	line = p->line;
	col = p->col;
	i = src_offset(f, line, col);
	j = p->off;
	while (j < off && j < t->len) {
		char s, v = t->text[j];

		if (i >= f->len)
			return;
		s = f->text[i];
		if (s == v) {
			j++;
		} else if (is_space(v) && !is_space(s)) {
			j++;
			continue;
		} else if (!is_space(s) && !strchr("\"'|>-+0123456789", s)) {
			return;
		}
		i++;
		if (s == '\n') {
			line++;
			col = 1;
		} else if (((unsigned char)s & 0xc0) != 0x80) {
			col++;
		}
	}
	/* Land on the token itself, not on source whitespace before it. */
	while (i < f->len && j < t->len && f->text[i] != t->text[j] && is_space(f->text[i]) &&
	       !is_space(t->text[j])) {
		if (f->text[i] == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
		i++;
	}
	while (i < f->len && j < t->len && f->text[i] != t->text[j] && strchr("\"'", f->text[i])) {
		i++;
		col++;
	}
	err->line = line;
	err->col = col;
}
