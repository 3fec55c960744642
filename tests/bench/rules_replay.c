/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Rules replay micro-benchmark: evaluate a rules file on N synthetic exec
 * events (a mix of matching and non-matching shells, one core) and render
 * the output of every match. Prints events/s.
 *
 *   rules_replay [RULES_FILE] [N]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rules/rules.h"

#define VARIANTS 8

static void make_event(struct exec_event *ev, int kind)
{
	static const char *const comms[VARIANTS] = {"bash", "sh",   "busybox", "python3",
						    "bash", "dash", "nginx",   "sh"};
	static const char *const cmds[VARIANTS] = {
		"-c /usr/sbin/lsmod | cut -d' ' -f1 | grep -qx falco",
		"-c id",
		"sh -c ls /tmp",
		"-c print(1)",
		"",
		"-c find /usr/symptoms -name x",
		"-g daemon off;",
		"/docker-entrypoint.sh nginx",
	};
	const char *comm = comms[kind];

	memset(ev, 0, sizeof(*ev));
	ev->time_ns = 1700000000000000000ULL + (uint64_t)kind;
	ev->pid = 1000 + (uint32_t)kind;
	ev->vpid = 7;
	ev->ppid = 999;
	ev->loginuid = -1;
	ev->tty = kind == 4 ? 34816 : 0;
	ev->lineage = kind == 1 ? SS_LINEAGE_INJECTED : SS_LINEAGE_INIT_TREE;
	snprintf(ev->comm, sizeof(ev->comm), "%s", comm);
	snprintf(ev->exepath, sizeof(ev->exepath), "/usr/bin/%s", comm);
	snprintf(ev->exe, sizeof(ev->exe), "%s", comm);
	snprintf(ev->args, sizeof(ev->args), "%s", cmds[kind]);
	snprintf(ev->cmdline, sizeof(ev->cmdline), "%s %s", comm, cmds[kind]);
	ev->argv_len = (size_t)snprintf(ev->argv_raw, sizeof(ev->argv_raw), "%s", comm) + 1;
	if (kind == 2) {
		memcpy(ev->argv_raw + ev->argv_len, "sh", 3);
		ev->argv_len += 3;
	}
	ev->ancestor_count = 2;
	snprintf(ev->ancestors[0].comm, sizeof(ev->ancestors[0].comm), "%s",
		 kind == 4 ? "runc:[1:CHILD]" : "bash");
	snprintf(ev->ancestors[1].comm, sizeof(ev->ancestors[1].comm), "containerd-shim");
	snprintf(ev->user_name, sizeof(ev->user_name), "root");
	ev->container.is_container = kind != 7;
	ev->container.runtime = kind != 7 ? RUNTIME_CONTAINERD : RUNTIME_NONE;
	snprintf(ev->container.id, sizeof(ev->container.id), "%s",
		 kind != 7 ? "185304d1bba4" : "host");
	snprintf(ev->container.name, sizeof(ev->container.name), "web-%d", kind);
	snprintf(ev->container.image_repository, sizeof(ev->container.image_repository),
		 "docker.io/library/debian");
	snprintf(ev->container.image_tag, sizeof(ev->container.image_tag), "12");
	snprintf(ev->container.pod_name, sizeof(ev->container.pod_name), "web-5d9c7");
	snprintf(ev->container.pod_namespace, sizeof(ev->container.pod_namespace), "default");
	ev->container.privileged = TRI_FALSE;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct rules_options opt = {.min_priority = PRIO_DEBUG};
	const char *path = argc > 1 ? argv[1] : "rules/shellsentry_rules.yaml";
	long n = argc > 2 ? atol(argv[2]) : 2000000;
	static struct exec_event evs[VARIANTS];
	const struct rule *m[16];
	struct ruleset *rs = NULL;
	struct ss_error err;
	size_t matches = 0, bytes = 0, k, j;
	char out[4096];
	double t0, dt;
	long i;

	if (n <= 0)
		n = 2000000;
	if (ruleset_load(&path, 1, &opt, &rs, &err, stderr)) {
		fprintf(stderr, "%s:%d:%d: %s\n", err.file, err.line, err.col, err.msg);
		return 1;
	}
	for (k = 0; k < VARIANTS; k++)
		make_event(&evs[k], (int)k);
	t0 = now_s();
	for (i = 0; i < n; i++) {
		const struct exec_event *ev = &evs[i % VARIANTS];
		size_t nm = ruleset_eval(rs, ev, m, 16);

		for (j = 0; j < nm; j++) {
			rule_render_output(m[j], ev, out, sizeof(out));
			bytes += strlen(out);
		}
		matches += nm;
	}
	dt = now_s() - t0;
	printf("rules_replay: %ld events, %zu matches (%zu output bytes) in %.3f s: %.0f events/s "
	       "(%.0f ns/event)\n",
	       n, matches, bytes, dt, (double)n / dt, dt * 1e9 / (double)n);
	ruleset_free(rs);
	return 0;
}
