/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#include <errno.h>

#include "rules/rules.h"

/* Falco's values of rule_matching, read case-insensitively as Falco reads them. */
const struct name_map rule_matching_names[] = {
	{RULE_MATCHING_FIRST, "first"},
	{RULE_MATCHING_ALL, "all"},
	{0, NULL},
};

int rule_matching_from_string(const char *s, enum rule_matching *out)
{
	int v;

	if (name_find(rule_matching_names, s, true, &v))
		return -EINVAL;
	*out = (enum rule_matching)v;
	return 0;
}

const char *rule_matching_name(enum rule_matching m)
{
	const char *n = name_of(rule_matching_names, (int)m);

	return n ? n : "first";
}
