/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The one way to carry an error: a function returns 0 or a negative errno
 * and, when it can say more, fills a struct ss_error: what went wrong and,
 * for bad input in a file, where (file:line:col). Library code never prints
 * an error; the command that called it prints it once, with ss_error_print(),
 * as "shellsentry: FILE:LINE:COL: MESSAGE".
 */
#ifndef SS_ERROR_H
#define SS_ERROR_H

#include <stddef.h>
#include <stdio.h>

struct ss_error {
	char file[256]; /* "" when not about a file */
	int line;	/* 1-based; 0 when not about a position */
	int col;	/* 1-based */
	char msg[512];
};

/* Clear e, set its message; returns err (a negative errno) for `return ss_error_set(...)`. */
int ss_error_set(struct ss_error *e, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The same about a position in a file (line 0: the file as a whole). */
int ss_error_at(struct ss_error *e, int err, const char *file, int line, int col, const char *fmt,
		...) __attribute__((format(printf, 6, 7)));

/* "FILE:LINE:COL: MSG", "FILE: MSG" or "MSG", into buf. */
const char *ss_error_str(const struct ss_error *e, char *buf, size_t len);

/* One line on f: "WHO: " then ss_error_str(). */
void ss_error_print(FILE *f, const char *who, const struct ss_error *e);

#endif /* SS_ERROR_H */
