// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <string.h>

#include "lib/needle_scan.h"

#define M NEEDLE_MIN_LEN

static inline unsigned block_at(const uint8_t *p)
{
	return (unsigned)p[0] | (unsigned)p[1] << 8;
}

int needle_set_init(struct needle_set *set, const struct needle *needles, size_t count)
{
	size_t i;
	int j;

	if (!set || !needles || count == 0 || count > NEEDLE_MAX)
		return -EINVAL;
	for (i = 0; i < count; i++)
		if (!needles[i].bytes || needles[i].len < M || needles[i].len > NEEDLE_MAX_LEN)
			return -EINVAL;
	set->needles = needles;
	set->count = count;
	/* a block seen in no needle's window lets the window move past it */
	memset(set->shift, M - 1, sizeof(set->shift));
	memset(set->head, 0, sizeof(set->head));
	memset(set->next, 0, sizeof(set->next));
	for (i = 0; i < count; i++) {
		const uint8_t *p = (const uint8_t *)needles[i].bytes;

		for (j = 1; j < M; j++) {
			unsigned b = block_at(p + j - 1);
			uint8_t s = (uint8_t)(M - 1 - j);

			if (s < set->shift[b])
				set->shift[b] = s;
		}
		/* candidates when the window's last block matches (shift 0), in a list per block */
		set->next[i] = set->head[block_at(p + M - 2)];
		set->head[block_at(p + M - 2)] = (uint8_t)(i + 1);
	}
	return 0;
}

void needle_set_scan(const struct needle_set *set, const uint8_t *text, size_t len,
		     struct needle_found *found)
{
	size_t pos;

	if (len < M)
		return;
	/* pos: the last byte of an M-byte window starting at pos - (M - 1) */
	pos = M - 1;
	while (pos < len) {
		unsigned b = block_at(text + pos - 1);
		uint8_t s = set->shift[b];
		size_t start = pos - (M - 1);
		unsigned c;

		if (s) {
			pos += s;
			continue;
		}
		for (c = set->head[b]; c; c = set->next[c - 1]) {
			const struct needle *n = &set->needles[c - 1];

			if (n->len <= len - start && !memcmp(text + start, n->bytes, n->len))
				found->bits[(c - 1) / 64] |= 1ull << ((c - 1) % 64);
		}
		pos++;
	}
}
