/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Names of interest: fixed-size keys looked up in the names map. */
#ifndef SS_NAMES_BPF_H
#define SS_NAMES_BPF_H

#include "maps.bpf.h"

static __always_inline bool name_lookup(const char *key, __u32 *value)
{
	__u32 *v = bpf_map_lookup_elem(&names, key);

	if (!v)
		return false;
	*value = *v;
	return true;
}

static __always_inline bool same_name(const char *a, const char *b)
{
	for (int i = 0; i < SS_NAME_KEY_LEN; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

#endif /* SS_NAMES_BPF_H */
