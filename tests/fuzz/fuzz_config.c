/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* libFuzzer target: config_load_string never crashes and never half-applies. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli/config.h"

/* The one error carrier, and its text in the caller's err[] for the checks below. */
static struct ss_error serr;
#define WITH_ERR(call)                                                                             \
	({                                                                                         \
		int r_ = (call);                                                                   \
		ss_error_str(&serr, err, sizeof(err));                                             \
		r_;                                                                                \
	})

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct daemon_options before, o;
	char err[512];

	memset(&before, 0, sizeof(before));
	before.ringbuf_kib = 256;
	o = before;
	if (WITH_ERR(config_load_string("fuzz.yaml", (const char *)data, size, &o, &serr))) {
		/* On error nothing may have changed. */
		if (memcmp(&o, &before, sizeof(o)))
			abort();
		if (!memchr(err, '\0', sizeof(err)))
			abort();
	} else if (o.n_rules > DAEMON_MAX_LIST || o.sinks.http.n_headers > SINK_HTTP_MAX_HEADERS ||
		   o.n_disabled_rules > DAEMON_MAX_LIST || o.n_disabled_tags > DAEMON_MAX_LIST) {
		abort();
	}
	return 0;
}
