/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* libFuzzer target: config_load_string never crashes and never half-applies. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct daemon_options before, o;
	struct ss_error err = {0};

	memset(&before, 0, sizeof(before));
	before.ringbuf_kib = 256;
	o = before;
	if (config_load_string("fuzz.yaml", (const char *)data, size, &o, &err)) {
		/* On error nothing may have changed. */
		if (memcmp(&o, &before, sizeof(o)))
			abort();
		if (!memchr(err.msg, '\0', sizeof(err.msg)) ||
		    !memchr(err.file, '\0', sizeof(err.file)))
			abort();
	} else if (o.n_rules > DAEMON_MAX_LIST || o.sinks.http.n_headers > SINK_HTTP_MAX_HEADERS ||
		   o.n_disabled_rules > DAEMON_MAX_LIST || o.n_disabled_tags > DAEMON_MAX_LIST) {
		abort();
	}
	return 0;
}
