// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <limits.h>

#include "daemon/deadline.h"

uint64_t deadline_earliest(uint64_t a, uint64_t b)
{
	if (!a)
		return b;
	if (!b)
		return a;
	return a < b ? a : b;
}

uint64_t deadline_from_wall(uint64_t due_wall, uint64_t now_wall, uint64_t now_mono)
{
	if (due_wall == UINT64_MAX)
		return 0;
	if (due_wall <= now_wall)
		return now_mono;
	/* so far ahead that the sum would wrap: no deadline */
	if (due_wall - now_wall > UINT64_MAX - now_mono)
		return 0;
	return now_mono + (due_wall - now_wall);
}

int deadline_poll_ms(uint64_t deadline, uint64_t now)
{
	uint64_t ms;

	if (!deadline)
		return -1;
	if (deadline <= now)
		return 0;
	ms = (deadline - now) / 1000000 + ((deadline - now) % 1000000 != 0);
	return ms > INT_MAX ? INT_MAX : (int)ms;
}
