/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Per-rule token bucket for alerts. Time is passed in, so the core is pure
 * and a test can replay any schedule exactly.
 */
#ifndef SS_RATELIMIT_H
#define SS_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

/* Rule names beyond this many share one overflow bucket (bounded memory). */
#define RATELIMIT_MAX_RULES 4096
#define RATELIMIT_MAX_RATE 1000000.0

struct ratelimit;

/*
 * rate_per_sec alerts per second per rule, bursts of up to burst alerts.
 * rate_per_sec == 0 means unlimited (every call is allowed). burst 0 is
 * taken as 1. Returns 0, -EINVAL for a rate that is negative, not finite or
 * above RATELIMIT_MAX_RATE, or -ENOMEM.
 */
int ratelimit_new(double rate_per_sec, unsigned burst, struct ratelimit **out);
void ratelimit_free(struct ratelimit *rl);

/*
 * May an alert of this rule go out at now_ns (any monotonic clock, never
 * going back)? When it is allowed, *suppressed (if not NULL) gets how many
 * alerts of this rule were refused since the previous allowed one, and that
 * count restarts from zero.
 */
bool ratelimit_allow(struct ratelimit *rl, const char *rule, uint64_t now_ns, uint64_t *suppressed);

/* Alerts refused since creation: all rules, or one rule (0 if unknown). */
uint64_t ratelimit_suppressed_total(const struct ratelimit *rl);
uint64_t ratelimit_suppressed_rule(const struct ratelimit *rl, const char *rule);

#endif /* SS_RATELIMIT_H */
