/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "output/ratelimit.h"

/*
 * Credit is counted in nanoseconds rather than fractional tokens: one alert
 * costs cost_ns, elapsed time adds credit, and the bucket holds at most
 * burst * cost_ns. Integer arithmetic keeps a burst of N exact.
 */
struct bucket {
	char *rule; /* NULL: free slot */
	uint64_t credit_ns;
	uint64_t last_ns;
	uint64_t pending; /* refused since the last allowed alert */
	uint64_t total;	  /* refused since creation */
};

struct ratelimit {
	bool unlimited;
	uint64_t cost_ns;
	uint64_t cap_ns;
	size_t n_used;
	size_t n_slots; /* power of two, > RATELIMIT_MAX_RULES */
	struct bucket *slots;
	struct bucket overflow;
	uint64_t total;
};

static uint64_t hash_name(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

int ratelimit_new(double rate_per_sec, unsigned burst, struct ratelimit **out)
{
	struct ratelimit *rl;

	if (!(rate_per_sec >= 0.0) || !isfinite(rate_per_sec) || rate_per_sec > RATELIMIT_MAX_RATE)
		return -EINVAL;
	rl = calloc(1, sizeof(*rl));
	if (!rl)
		return -ENOMEM;
	if (rate_per_sec == 0.0) {
		rl->unlimited = true;
		goto done;
	}
	rl->cost_ns = (uint64_t)llround(1e9 / rate_per_sec);
	if (rl->cost_ns == 0)
		rl->cost_ns = 1;
	rl->cap_ns = rl->cost_ns * (burst ? burst : 1);
	/* Half full at most: linear probing stays short. */
	rl->n_slots = 8192;
	rl->slots = calloc(rl->n_slots, sizeof(*rl->slots));
	if (!rl->slots) {
		free(rl);
		return -ENOMEM;
	}
	rl->overflow.credit_ns = rl->cap_ns;
done:
	*out = rl;
	return 0;
}

void ratelimit_free(struct ratelimit *rl)
{
	size_t i;

	if (!rl)
		return;
	for (i = 0; i < rl->n_slots; i++)
		free(rl->slots[i].rule);
	free(rl->slots);
	free(rl);
}

static struct bucket *find(const struct ratelimit *rl, const char *rule, bool *found)
{
	size_t mask = rl->n_slots - 1;
	size_t i = hash_name(rule) & mask;

	for (;;) {
		struct bucket *b = &rl->slots[i];

		if (!b->rule) {
			*found = false;
			return b;
		}
		if (!strcmp(b->rule, rule)) {
			*found = true;
			return b;
		}
		i = (i + 1) & mask;
	}
}

static struct bucket *lookup(struct ratelimit *rl, const char *rule, uint64_t now_ns)
{
	bool found;
	struct bucket *b = find(rl, rule, &found);

	if (found)
		return b;
	if (rl->n_used >= RATELIMIT_MAX_RULES)
		return &rl->overflow;
	b->rule = strdup(rule);
	if (!b->rule)
		return &rl->overflow;
	rl->n_used++;
	b->credit_ns = rl->cap_ns;
	b->last_ns = now_ns;
	return b;
}

bool ratelimit_allow(struct ratelimit *rl, const char *rule, uint64_t now_ns, uint64_t *suppressed)
{
	struct bucket *b;

	if (rl->unlimited) {
		if (suppressed)
			*suppressed = 0;
		return true;
	}
	b = lookup(rl, rule ? rule : "", now_ns);
	if (now_ns > b->last_ns) {
		uint64_t gain = now_ns - b->last_ns;

		b->credit_ns = gain >= rl->cap_ns - b->credit_ns ? rl->cap_ns : b->credit_ns + gain;
		b->last_ns = now_ns;
	}
	if (b->credit_ns < rl->cost_ns) {
		b->pending++;
		b->total++;
		rl->total++;
		return false;
	}
	b->credit_ns -= rl->cost_ns;
	if (suppressed)
		*suppressed = b->pending;
	b->pending = 0;
	return true;
}

uint64_t ratelimit_suppressed_total(const struct ratelimit *rl)
{
	return rl->total;
}

uint64_t ratelimit_suppressed_rule(const struct ratelimit *rl, const char *rule)
{
	bool found;
	const struct bucket *b;

	if (rl->unlimited || !rule)
		return 0;
	b = find(rl, rule, &found);
	return found ? b->total : 0;
}
