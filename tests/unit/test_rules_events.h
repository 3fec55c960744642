/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Events and rules files built by the rules tests themselves. */
#ifndef TEST_RULES_EVENTS_H
#define TEST_RULES_EVENTS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rules/rules.h"

/* A shell in a container: comm, parent comm, tty; argv given NULL-terminated. */
static inline void ev_shell(struct exec_event *ev, const char *comm, const char *parent,
			    uint32_t tty, const char *const *argv)
{
	size_t used = 0, clen = 0;
	int i;

	memset(ev, 0, sizeof(*ev));
	ev->time_ns = 1700000000000000000ULL;
	ev->pid = 5000;
	ev->vpid = 12;
	ev->ppid = 4990;
	ev->loginuid = -1;
	ev->tty = tty;
	ev->lineage = SS_LINEAGE_INIT_TREE;
	snprintf(ev->comm, sizeof(ev->comm), "%s", comm);
	snprintf(ev->exepath, sizeof(ev->exepath), "/usr/bin/%s", comm);
	snprintf(ev->filename, sizeof(ev->filename), "/usr/bin/%s", comm);
	if (parent) {
		ev->ancestor_count = 2;
		snprintf(ev->ancestors[0].comm, sizeof(ev->ancestors[0].comm), "%s", parent);
		ev->ancestors[0].pid = 4990;
		snprintf(ev->ancestors[1].comm, sizeof(ev->ancestors[1].comm), "containerd-shim");
		ev->ancestors[1].pid = 100;
	}
	clen = (size_t)snprintf(ev->cmdline, sizeof(ev->cmdline), "%s", comm);
	for (i = 0; argv && argv[i]; i++) {
		size_t n = strlen(argv[i]) + 1;

		memcpy(ev->argv_raw + used, argv[i], n);
		used += n;
		if (i == 0) {
			snprintf(ev->exe, sizeof(ev->exe), "%s", argv[i]);
			continue;
		}
		clen += (size_t)snprintf(ev->cmdline + clen, sizeof(ev->cmdline) - clen, " %s",
					 argv[i]);
		snprintf(ev->args + strlen(ev->args), sizeof(ev->args) - strlen(ev->args), "%s%s",
			 i > 1 ? " " : "", argv[i]);
	}
	ev->argv_len = used;
	ev->argc = i;
	ev->container.is_container = true;
	ev->container.runtime = RUNTIME_DOCKER;
	snprintf(ev->container.id, sizeof(ev->container.id), "185304d1bba4");
	ev->container.privileged = TRI_UNKNOWN;
}

static inline void ev_to_host(struct exec_event *ev)
{
	memset(&ev->container, 0, sizeof(ev->container));
	ev->container.privileged = TRI_UNKNOWN;
	snprintf(ev->container.id, sizeof(ev->container.id), "host");
}

/* Write text to a fresh temporary file; returns its path (free it). */
static inline char *write_temp_rules(const char *text)
{
	char *path = strdup("/tmp/ss_rules_XXXXXX.yaml");
	int fd;

	if (!path)
		return NULL;
	fd = mkstemps(path, 5);
	if (fd < 0) {
		free(path);
		return NULL;
	}
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		close(fd);
		unlink(path);
		free(path);
		return NULL;
	}
	close(fd);
	return path;
}

/* Load rules from a string with the given options; returns ruleset_load's code. */
static inline int load_rules_text(const char *text, const struct rules_options *opt,
				  struct ruleset **rs, struct ss_error *err)
{
	char *path = write_temp_rules(text);
	const char *p = path;
	int rc;

	if (!path)
		return -1;
	rc = ruleset_load(&p, 1, opt, rs, err, NULL);
	unlink(path);
	free(path);
	return rc;
}

static inline bool matches_rule(const struct ruleset *rs, const struct exec_event *ev,
				const char *name)
{
	const struct rule *m[16];
	size_t n = ruleset_eval(rs, ev, m, 16), i;

	for (i = 0; i < n; i++)
		if (!strcmp(rule_name(m[i]), name))
			return true;
	return false;
}

#endif /* TEST_RULES_EVENTS_H */
