/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * libFuzzer target: cgroup names and /proc/<pid>/cgroup text never crash the
 * parsers, and any id they return is 64 lowercase hex whose short id is its
 * 12-character prefix.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "context/container_id.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int r, const char *full, const char *shrt)
{
	if (r != 0)
		return;
	if (!container_id_is_valid(full) || strlen(shrt) != 12 || memcmp(full, shrt, 12) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum container_runtime rt;
	char full[65], shrt[13], *s;
	int r;

	/* the raw bytes as /proc/<pid>/cgroup, with and without a wanted leaf */
	r = container_id_from_proc_cgroup((const char *)data, size, NULL, &rt, full, shrt);
	check(r, full, shrt);
	r = container_id_from_proc_cgroup((const char *)data, size, "container", &rt, full, shrt);
	check(r, full, shrt);

	/* the same bytes as a NUL-terminated cgroup path */
	s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	r = container_id_from_cgroup(s, &rt, full, shrt);
	check(r, full, shrt);
	if ((r == 0) != cgroup_name_has_container_id(s))
		abort();
	if (r == 0 && !strstr(s, full))
		abort();
	if (!container_runtime_name(rt))
		abort();
	free(s);
	return 0;
}
