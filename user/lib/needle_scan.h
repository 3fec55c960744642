/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Many fixed byte strings searched in one pass over a buffer (Wu-Manber:
 * a shift table on 2-byte blocks, so most positions are skipped without
 * being compared). Needles may hold NUL bytes: "BASH_VERSION\0" only
 * matches where a C string ends. Pure: no I/O, no allocation.
 */
#ifndef SS_NEEDLE_SCAN_H
#define SS_NEEDLE_SCAN_H

#include <stddef.h>
#include <stdint.h>

#define NEEDLE_MIN_LEN 8   /* the shift window: every needle is at least this long */
#define NEEDLE_MAX_LEN 128 /* callers keep NEEDLE_MAX_LEN - 1 bytes between chunks */
#define NEEDLE_MAX 128	   /* needles per set (bits in needle_found) */

struct needle {
	const char *bytes;
	uint8_t len;
};

struct needle_found {
	uint64_t bits[NEEDLE_MAX / 64];
};

struct needle_set {
	const struct needle *needles;
	size_t count;
	uint8_t shift[1u << 16];  /* by 2-byte block: how far the window may move */
	uint8_t head[1u << 16];	  /* by 2-byte block: first candidate + 1, 0 = none */
	uint8_t next[NEEDLE_MAX]; /* next candidate + 1 with the same final block */
};

/*
 * Build the tables for count needles (kept by pointer, not copied).
 * -EINVAL if count is 0 or above NEEDLE_MAX or a needle is shorter than
 * NEEDLE_MIN_LEN or longer than NEEDLE_MAX_LEN.
 */
int needle_set_init(struct needle_set *set, const struct needle *needles, size_t count);

/*
 * Mark in found every needle that occurs whole in text[0..len). A needle
 * that straddles the end is not seen: a caller reading in chunks repeats the
 * last NEEDLE_MAX_LEN - 1 bytes at the start of the next chunk.
 */
void needle_set_scan(const struct needle_set *set, const uint8_t *text, size_t len,
		     struct needle_found *found);

static inline int needle_found_has(const struct needle_found *f, size_t i)
{
	return i < NEEDLE_MAX && (f->bits[i / 64] >> (i % 64)) & 1;
}

#endif /* SS_NEEDLE_SCAN_H */
