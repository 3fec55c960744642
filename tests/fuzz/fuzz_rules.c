/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * libFuzzer target: any bytes as a rules file never crash the loader, and
 * a loaded ruleset evaluates, renders and prefilters safely. The same bytes
 * also go through condition_compile as a standalone condition.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "rules/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void sample_event(struct exec_event *ev)
{
	static const char argv[] = "busybox\0sh\0-c\0grep falco";

	memset(ev, 0, sizeof(*ev));
	strcpy(ev->comm, "busybox");
	strcpy(ev->exepath, "/bin/busybox");
	strcpy(ev->exe, "busybox");
	strcpy(ev->args, "sh -c grep falco");
	strcpy(ev->cmdline, "busybox sh -c grep falco");
	memcpy(ev->argv_raw, argv, sizeof(argv));
	ev->argv_len = sizeof(argv);
	ev->tty = 34816;
	ev->ancestor_count = 1;
	strcpy(ev->ancestors[0].comm, "runc:[0:PARENT]");
	ev->container.is_container = true;
	ev->container.privileged = TRI_UNKNOWN;
	strcpy(ev->container.id, "185304d1bba4");
	ev->lineage = SS_LINEAGE_INJECTED;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rules_options opt = {.min_priority = PRIO_DEBUG};
	static struct exec_event ev;
	static struct prefilter pf;
	const struct rule *m[8];
	struct ruleset *rs = NULL;
	struct condition *c = NULL;
	struct ss_error err;
	char path[64], out[512], *text;
	const char *p = path;
	size_t n, i;
	int fd;

	fd = memfd_create("rules", MFD_CLOEXEC);
	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	opt.falco_compat = size && (data[0] & 1);
	sample_event(&ev);
	if (!ruleset_load(&p, 1, &opt, &rs, &err, NULL)) {
		if (ruleset_prefilter(rs, &pf) == 0 && pf.n_names > PREFILTER_MAX_NAMES)
			abort();
		n = ruleset_eval(rs, &ev, m, 8);
		for (i = 0; i < n; i++) {
			rule_render_output(m[i], &ev, out, sizeof(out));
			if (strlen(out) >= sizeof(out))
				abort();
		}
	} else if (!err.msg[0]) {
		abort(); /* every failure explains itself */
	}
	close(fd);

	text = malloc(size + 1);
	if (text) {
		memcpy(text, data, size);
		text[size] = '\0';
		if (!condition_compile(text, rs, &c, &err))
			condition_eval(c, &ev);
		condition_free(c);
		free(text);
	}
	ruleset_free(rs);
	return 0;
}
