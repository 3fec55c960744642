/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#include <errno.h>
#include <strings.h>

#include "rules/rules.h"

int rule_matching_from_string(const char *s, enum rule_matching *out)
{
	if (!strcasecmp(s, "first"))
		*out = RULE_MATCHING_FIRST;
	else if (!strcasecmp(s, "all"))
		*out = RULE_MATCHING_ALL;
	else
		return -EINVAL;
	return 0;
}

const char *rule_matching_name(enum rule_matching m)
{
	return m == RULE_MATCHING_ALL ? "all" : "first";
}
