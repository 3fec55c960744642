/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * libFuzzer target: an executable's content is attacker-controlled. The
 * classifier never crashes or reads out of bounds, reads in small chunks
 * give the same verdict as one buffer (no string is lost or invented at a
 * chunk boundary), and a verdict is self-consistent.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "context/exe_classify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct mem {
	const uint8_t *p;
	size_t len;
};

static ssize_t mem_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	const struct mem *m = ctx;

	/* the classifier must never ask for bytes at or past the size it was given */
	if (off >= m->len || len > m->len - off)
		abort();
	memcpy(buf, m->p + off, len);
	return (ssize_t)len;
}

static void check(const struct exe_verdict *v, size_t size)
{
	/* overlapping segments are searched once each, within the budget */
	if (v->scanned > EXE_SCAN_BUDGET || v->scanned > (uint64_t)size * (EXE_PHDRS_MAX / 32))
		abort();
	if ((v->kind == EXE_KIND_NOT_SHELL) != (v->shell == 0))
		abort();
	if (v->kind > EXE_KIND_MULTICALL || v->shell >= EXE_SHELL_COUNT)
		abort();
	if (v->kind == EXE_KIND_MULTICALL && !(v->flags & EXE_V_MULTICALL))
		abort();
	if (v->kind != EXE_KIND_NOT_SHELL && (v->flags & (EXE_V_NOT_ELF | EXE_V_MALFORMED)))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mem m = {data, size};
	struct exe_source src = {mem_read, &m, size};
	struct exe_verdict a, b;
	size_t chunk = 1 + (size ? data[size - 1] % 61 : 0);

	if (exe_classify_buf(data, size, &a) != 0)
		abort();
	check(&a, size);
	if (exe_classify_chunked(&src, chunk, &b) != 0)
		abort();
	if (memcmp(&a, &b, sizeof(a)))
		abort();
	return 0;
}
