/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * libFuzzer target: passwd text from a container never crashes the parser;
 * a returned name is non-empty, fits, has no ':' and no control character.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "context/passwd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t uids[] = {0, 1, 33, 1000, 65534, UINT32_MAX};
	char name[32];
	size_t i, j;

	for (i = 0; i < sizeof(uids) / sizeof(uids[0]); i++) {
		if (passwd_find_uid((const char *)data, size, uids[i], name, sizeof(name)) != 0)
			continue;
		if (!name[0] || strlen(name) >= sizeof(name) || strchr(name, ':'))
			abort();
		for (j = 0; name[j]; j++)
			if ((unsigned char)name[j] < 0x20 || name[j] == 0x7f)
				abort();
	}
	return 0;
}
