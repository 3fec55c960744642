/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Reading the clocks: one place for the nanosecond arithmetic. */
#ifndef SS_CLOCK_H
#define SS_CLOCK_H

#include <stdint.h>
#include <time.h>

/* Now on clk, in nanoseconds. */
uint64_t clock_ns(clockid_t clk);

/* CLOCK_MONOTONIC ms from now, as pthread_cond_timedwait() on a monotonic condattr takes it. */
struct timespec clock_mono_after_ms(long ms);

#endif /* SS_CLOCK_H */
