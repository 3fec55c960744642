/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * libFuzzer target: one JSON alert line through the parser, the incident
 * grouping and the report renderer. Beyond memory errors it checks that
 * no control character from the input reaches the Markdown.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "output/alert_json.h"
#include "report/incident.h"
#include "report/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct alert *a = malloc(sizeof(*a));
	struct incident_set *set = NULL;
	struct incident *inc;
	struct ss_error err;
	struct kb_result res;
	struct mdbuf b;
	char *line = malloc(size + 1);
	size_t i;

	if (!a || !line)
		goto out;
	memcpy(line, data, size);
	line[size] = '\0';
	if (alert_from_json(line, size, a, &err))
		goto out;
	memset(&res, 0, sizeof(res));
	if (incident_set_new(0, 0, &set) || incident_add(set, a, &res))
		goto out;
	while ((inc = incident_take(set, 0, true))) {
		mdbuf_init(&b, 1 << 20);
		report_render(inc, NULL, &b);
		for (i = 0; i < b.len; i++)
			if (b.data[i] == '\r' || b.data[i] == 0x1b || b.data[i] == '\0')
				abort();
		mdbuf_free(&b);
		mdbuf_init(&b, 1 << 20);
		report_tuning_yaml(inc, &b);
		for (i = 0; i < b.len; i++)
			if ((unsigned char)b.data[i] < 0x20 && b.data[i] != '\n')
				abort();
		mdbuf_free(&b);
		incident_free(inc);
	}
out:
	incident_set_free(set);
	free(line);
	free(a);
	return 0;
}
