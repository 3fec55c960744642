/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The arithmetic of the daemon loop's deadlines: CLOCK_MONOTONIC ns, 0 for
 * "none". Every timer says when it is next due, the loop sleeps until the
 * earliest; nothing here reads a clock.
 */
#ifndef SS_DEADLINE_H
#define SS_DEADLINE_H

#include <stdint.h>

/* The earlier of two deadlines; 0 (none) loses to any. */
uint64_t deadline_earliest(uint64_t a, uint64_t b);

/*
 * A wall-clock due time (CLOCK_REALTIME ns; UINT64_MAX: none) as a deadline,
 * from now on both clocks (taken together; now_mono is never 0). Due already:
 * now_mono.
 */
uint64_t deadline_from_wall(uint64_t due_wall, uint64_t now_wall, uint64_t now_mono);

/*
 * poll()'s timeout to sleep until a deadline: -1 for none, 0 when due, else
 * milliseconds rounded up (a wakeup before the deadline would find nothing
 * due and sleep again), at most INT_MAX.
 */
int deadline_poll_ms(uint64_t deadline, uint64_t now);

#endif /* SS_DEADLINE_H */
