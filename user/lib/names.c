// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "lib/names.h"

const char *name_of(const struct name_map *m, int value)
{
	for (; m->name; m++)
		if (m->value == value)
			return m->name;
	return NULL;
}

int name_find(const struct name_map *m, const char *name, bool icase, int *value)
{
	if (!name)
		return -ENOENT;
	for (; m->name; m++) {
		if (icase ? !strcasecmp(m->name, name) : !strcmp(m->name, name)) {
			*value = m->value;
			return 0;
		}
	}
	return -ENOENT;
}

/* Only a value's first entry: aliases are accepted, not advertised. */
static bool is_alias(const struct name_map *first, const struct name_map *m)
{
	for (; first < m; first++)
		if (first->value == m->value)
			return true;
	return false;
}

const char *name_choices(const struct name_map *m, char *buf, unsigned long len)
{
	size_t n = 0, total = 0, used = 0;
	const struct name_map *p;

	for (p = m; p->name; p++)
		total += !is_alias(m, p);
	buf[0] = '\0';
	for (p = m; p->name; p++) {
		int w;

		if (is_alias(m, p))
			continue;
		n++;
		w = snprintf(buf + used, len - used, "%s%s",
			     n == 1	  ? ""
			     : n == total ? " or "
					  : ", ",
			     p->name);
		if (w < 0 || (size_t)w >= len - used)
			break;
		used += (size_t)w;
	}
	return buf;
}
