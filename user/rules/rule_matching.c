/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */

#include "rules/rules.h"

/* Falco's values of rule_matching, read case-insensitively as Falco reads them. */
const struct name_map rule_matching_names[] = {
	{RULE_MATCHING_FIRST, "first"},
	{RULE_MATCHING_ALL, "all"},
	{0, NULL},
};
