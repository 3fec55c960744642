/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Enum <-> name tables. Each enum that is printed or parsed has exactly one
 * table, next to the enum (event/names.c: lineage, runtime; rules: priority;
 * report/kb.c: verdict; output: alert format; kernel/loader.c: hook); every
 * place that prints or parses the enum goes through it.
 */
#ifndef SS_NAMES_H
#define SS_NAMES_H

#include <stdbool.h>

/*
 * One table: { value, name } pairs ending with { 0, NULL }. The first entry
 * of a value is its name; later entries of the same value are aliases that
 * are parsed but never printed.
 */
struct name_map {
	int value;
	const char *name;
};

/* The name of value, or NULL when the table has none. */
const char *name_of(const struct name_map *m, int value);

/* The value named name (case-insensitive when icase): 0, or -ENOENT. */
int name_find(const struct name_map *m, const char *name, bool icase, int *value);

/* The names a user may write, "a, b or c", into buf (for error messages). */
const char *name_choices(const struct name_map *m, char *buf, unsigned long len);

#endif /* SS_NAMES_H */
