/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * libFuzzer target: whatever a client sends the metrics port never crashes
 * the request parser; a complete request has a bounded path of visible ASCII
 * starting with '/', without the query; every prefix of a complete request
 * is "incomplete" or already the same verdict (the server parses as bytes
 * arrive), and no input is both complete and refused.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "output/http_request.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_request r, q;
	int ret = http_request_parse((const char *)data, size, &r);

	if (ret != 0 && ret != 1 && ret != -E2BIG && ret != -EBADMSG)
		abort();
	if (ret == 1) {
		size_t n = strlen(r.path);

		if (r.path[0] != '/' || n >= HTTP_PATH_MAX || strchr(r.path, '?'))
			abort();
		for (size_t i = 0; i < n; i++)
			if (r.path[i] <= ' ' || r.path[i] >= 0x7f)
				abort();
		if (r.method != HTTP_GET && r.method != HTTP_HEAD && r.method != HTTP_OTHER)
			abort();
	}
	/* As the bytes trickle in: a prefix is never a different final verdict. */
	for (size_t k = 0; ret != 0 && k < size && k < 64; k++) {
		int p = http_request_parse((const char *)data, k, &q);

		if (p != 0 && p != ret && !(ret == 1 && p == 1))
			abort();
	}
	return 0;
}
