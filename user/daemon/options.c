// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon/daemon.h"
#include "event/session.h"
#include "output/metrics.h"
#include "output/sink.h"

void daemon_options_defaults(struct daemon_options *o)
{
	const char *node = getenv("NODE_NAME");

	memset(o, 0, sizeof(*o));
	if (node && *node)
		snprintf(o->hostname, sizeof(o->hostname), "%s", node);
	else if (gethostname(o->hostname, sizeof(o->hostname) - 1))
		snprintf(o->hostname, sizeof(o->hostname), "unknown");
	o->sinks.format = FMT_JSON;
	o->sinks.stdout_enabled = true;
	o->sinks.http.timeout_ms = SINK_HTTP_TIMEOUT_DEFAULT_MS;
	o->sinks.http.queue_max = SINK_HTTP_QUEUE_DEFAULT;
	o->min_priority = PRIO_DEBUG;
	o->hook = LOADER_HOOK_AUTO;
	o->ringbuf_kib = 1024;
	o->exe_judge_rate = LOADER_EXE_JUDGE_RATE;
	o->rate_burst = 10;
	o->drop_privileges = true;
	o->report_delay = 30;
	o->rule_matching = RULE_MATCHING_FIRST;
	snprintf(o->metrics_addr, sizeof(o->metrics_addr), "%s", METRICS_DEFAULT_ADDR);
	snprintf(o->session_start, sizeof(o->session_start), "%s", SESSION_START_DEFAULT);
	o->session_max_commands = SESSION_MAX_COMMANDS_DEFAULT;
	o->session_rate = SESSION_RATE_DEFAULT;
	o->session_max_members = SESSION_MAX_MEMBERS_DEFAULT;
}
