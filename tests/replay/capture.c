// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Records real ring-buffer exec records from the running kernel for the
 * replay test: the product's own loader and BPF program, with the kernel
 * filter opened wide (every container exec, memfd and upper-layer execs,
 * and host execs), the interest names of the rules given so the match
 * flags are what the daemon would see.
 *
 *   capture [-m MARKER] RULES_FILE... > records.jsonl
 *
 * Host execs are kept only when their argv holds MARKER (the host runs
 * many other programs); container execs are all kept, the recording
 * script keeps its own containers' ones. Prints "capture: attached" on
 * stderr when ready; SIGINT/SIGTERM drain the ring buffer and exit 0.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "daemon/prefilter.h"
#include "event_json.h"
#include "kernel/loader.h"
#include "rules/rules.h"

struct capture {
	const char *marker;
	unsigned long kept, skipped;
};

static int on_record(void *ctx, const void *data, size_t len)
{
	struct capture *c = ctx;
	const struct ss_event *e = data;

	if (len < SS_EVENT_HEADER_LEN || e->header_len != SS_EVENT_HEADER_LEN)
		return 0; /* a cgroup-gone record */
	if (!(e->flags & (SS_F_PIDNS | SS_F_CGROUP_CONTAINER)) &&
	    (!c->marker ||
	     !memmem(e->argv, len - SS_EVENT_HEADER_LEN, c->marker, strlen(c->marker)))) {
		c->skipped++;
		return 0;
	}
	event_json_write(stdout, data, len);
	c->kept++;
	return 0;
}

/* The daemon's kernel filter, opened wide: every container exec, drift and host execs too. */
static int open_filter(struct loader *ld, const struct ruleset *rs)
{
	static struct kernel_filter f;
	int ret = kernel_filter_from_rules(rs, &f);

	if (!ret)
		ret = loader_set_names(ld, (const char(*)[SS_NAME_KEY_LEN])f.names, f.values, f.n);
	if (!ret)
		ret = loader_set_config(ld, f.cfg | SS_CFG_ALL_CONTAINER_EXECS |
						    SS_CFG_EXE_DRIFT_EXECS | SS_CFG_HOST_EXECS);
	return ret;
}

int main(int argc, char **argv)
{
	struct loader_opts lo = {.hook = LOADER_HOOK_AUTO, .ringbuf_kib = 16384};
	struct rules_options ro = {.min_priority = PRIO_DEBUG};
	struct capture c = {0};
	struct ruleset *rs = NULL;
	struct ss_error rerr = {0};
	struct loader *ld = NULL;
	struct pollfd pfd[2];
	struct ss_error err;
	size_t marked = 0;
	sigset_t mask;
	int opt, sfd = -1, ret, rc = 1;

	while ((opt = getopt(argc, argv, "m:")) != -1) {
		if (opt != 'm') {
			fprintf(stderr, "usage: capture [-m MARKER] RULES_FILE...\n");
			return 2;
		}
		c.marker = optarg;
	}
	if (optind >= argc) {
		fprintf(stderr, "usage: capture [-m MARKER] RULES_FILE...\n");
		return 2;
	}
	if (ruleset_load((const char *const *)argv + optind, (size_t)(argc - optind), &ro, &rs,
			 &rerr, stderr)) {
		ss_error_print(stderr, "capture", &rerr);
		return 1;
	}
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &mask, NULL) || (sfd = signalfd(-1, &mask, SFD_CLOEXEC)) < 0) {
		perror("capture: signals");
		goto out;
	}
	ret = loader_start(&lo, &ld, &err);
	if (ret) {
		ss_error_print(stderr, "capture", &err);
		goto out;
	}
	ret = open_filter(ld, rs);
	if (ret) {
		fprintf(stderr, "capture: cannot fill the kernel filter: %s\n", strerror(-ret));
		goto out;
	}
	ret = loader_scan_cgroups(ld, NULL, &marked);
	if (ret)
		fprintf(stderr, "capture: warning: cgroup scan: %s\n", strerror(-ret));
	fprintf(stderr, "capture: attached %s (%zu container cgroups)\n", loader_hook_name(ld),
		marked);
	pfd[0] = (struct pollfd){.fd = loader_ringbuf_fd(ld), .events = POLLIN};
	pfd[1] = (struct pollfd){.fd = sfd, .events = POLLIN};
	for (;;) {
		if (poll(pfd, 2, -1) < 0 && errno != EINTR) {
			perror("capture: poll");
			goto out;
		}
		loader_drain(ld, on_record, &c);
		fflush(stdout);
		if (pfd[1].revents & POLLIN)
			break;
	}
	loader_drain(ld, on_record, &c);
	fflush(stdout);
	{
		uint64_t cnt[SS_CNT_MAX] = {0};

		loader_read_counters(ld, cnt);
		fprintf(stderr, "capture: %lu records kept, %lu host records skipped, %llu drops\n",
			c.kept, c.skipped, (unsigned long long)cnt[SS_CNT_DROPS]);
		rc = cnt[SS_CNT_DROPS] ? 1 : 0;
	}
out:
	if (sfd >= 0)
		close(sfd);
	loader_stop(ld);
	ruleset_free(rs);
	return rc;
}
