// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lib/error.h"

int ss_error_set(struct ss_error *e, int err, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return err;
	memset(e, 0, sizeof(*e));
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return err;
}

int ss_error_at(struct ss_error *e, int err, const char *file, int line, int col, const char *fmt,
		...)
{
	va_list ap;

	if (!e)
		return err;
	memset(e, 0, sizeof(*e));
	snprintf(e->file, sizeof(e->file), "%s", file ? file : "");
	e->line = line;
	e->col = col;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return err;
}

const char *ss_error_str(const struct ss_error *e, char *buf, size_t len)
{
	if (e->file[0] && e->line)
		snprintf(buf, len, "%s:%d:%d: %s", e->file, e->line, e->col, e->msg);
	else if (e->file[0])
		snprintf(buf, len, "%s: %s", e->file, e->msg);
	else
		snprintf(buf, len, "%s", e->msg);
	return buf;
}

void ss_error_print(FILE *f, const char *who, const struct ss_error *e)
{
	char buf[sizeof(e->file) + sizeof(e->msg) + 32];

	fprintf(f, "%s: %s\n", who, ss_error_str(e, buf, sizeof(buf)));
}
