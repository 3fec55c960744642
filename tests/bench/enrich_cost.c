/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Cost of enriching one exec event, cold (cgroup not cached: cgroup name,
 * /proc/<pid>/cgroup, runtime state files and passwd read) and cached.
 *
 *   enrich_cost [-n N]          a fake node in a temp folder: podman state
 *                               with 64 containers, a 40-line passwd
 *   enrich_cost [-n N] -p PID   a live process on this node (real /proc and
 *                               runtime folders; root for other containers)
 */
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "context/container_id.h"
#include "context/enrich.h"

#define FAKE_ID "8fa687e4cf125c4f91e249399af2c3171e3fae5f350ea25fd9b39c826b2e7a78"
#define FAKE_PID 4242u

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int put(const char *dir, const char *rel, const char *data)
{
	char p[PATH_MAX * 2], *s;
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	for (s = p + strlen(dir) + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		mkdir(p, 0755);
		*s = '/';
	}
	f = fopen(p, "w");
	if (!f)
		return -errno;
	fputs(data, f);
	return fclose(f) ? -errno : 0;
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(p);
}

static int make_fake_node(const char *dir)
{
	static char buf[64 * 1024];
	size_t off = 0;
	int i, err = 0;

	off += (size_t)snprintf(buf + off, sizeof(buf) - off, "[");
	for (i = 0; i < 63; i++)
		off += (size_t)snprintf(buf + off, sizeof(buf) - off,
					"{\"id\":\"%064x\",\"names\":[\"c%d\"],\"metadata\":"
					"\"{\\\"image-name\\\":\\\"localhost/app:%d\\\"}\"},",
					i, i, i);
	snprintf(buf + off, sizeof(buf) - off,
		 "{\"id\":\"" FAKE_ID "\",\"names\":[\"ctx\"],\"metadata\":"
		 "\"{\\\"image-name\\\":\\\"localhost/bbox:test\\\"}\"}]");
	err = err ?: put(dir, "var/lib/containers/storage/overlay-containers/containers.json", buf);
	err = err
		      ?: put(dir,
			     "var/lib/containers/storage/overlay-containers/" FAKE_ID
			     "/userdata/config.json",
			     "{\"ociVersion\":\"1.0.2-dev\",\"process\":{\"capabilities\":{"
			     "\"bounding\":"
			     "[\"CAP_CHOWN\",\"CAP_KILL\"]}},\"annotations\":{\"io.container."
			     "manager\":"
			     "\"libpod\",\"io.kubernetes.pod.name\":\"web-0\","
			     "\"io.kubernetes.pod.namespace\":\"shop\","
			     "\"io.podman.annotations.privileged\":\"FALSE\"},"
			     "\"linux\":{\"seccomp\":{},\"maskedPaths\":[\"/proc/kcore\"]}}");
	err = err ?: put(dir, "proc/4242/cgroup", "0::/libpod_parent/libpod-" FAKE_ID "\n");
	off = 0;
	for (i = 0; i < 40; i++)
		off += (size_t)snprintf(buf + off, sizeof(buf) - off,
					"user%d:x:%d:%d::/home/user%d:/bin/sh\n", i, 100 + i,
					100 + i, i);
	snprintf(buf + off, sizeof(buf) - off, "appuser:x:1000:1000::/app:/bin/sh\n");
	err = err ?: put(dir, "proc/4242/root/etc/passwd", buf);
	err = err ?: put(dir, "proc/sys/kernel/cap_last_cap", "40\n");
	return err;
}

/* the event the kernel would send for pid: leaf of its unified cgroup */
static int live_event(uint32_t pid, struct exec_event *ev)
{
	char path[64], line[4096];
	FILE *f;
	int err = -ENOENT;

	snprintf(path, sizeof(path), "/proc/%u/cgroup", pid);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char *leaf;

		if (strncmp(line, "0::", 3) != 0)
			continue;
		line[strcspn(line, "\n")] = '\0';
		leaf = strrchr(line, '/');
		snprintf(ev->cgroup_name, sizeof(ev->cgroup_name), "%.128s",
			 leaf ? leaf + 1 : line);
		err = 0;
	}
	fclose(f);
	ev->pid = pid;
	ev->flags = SS_F_PIDNS;
	ev->cgroup_id = 1;
	return err;
}

int main(int argc, char **argv)
{
	struct runtime_roots roots;
	struct enricher *e = NULL;
	struct exec_event *ev;
	char dir[PATH_MAX] = "", proc[PATH_MAX + 8];
	long n = 2000, i;
	uint32_t pid = 0;
	uint64_t t0, cold, warm;
	int opt, err;

	while ((opt = getopt(argc, argv, "n:p:")) != -1) {
		if (opt == 'n')
			n = strtol(optarg, NULL, 10);
		else if (opt == 'p')
			pid = (uint32_t)strtoul(optarg, NULL, 10);
		else
			return 2;
	}
	if (n <= 0)
		return 2;
	ev = calloc(1, sizeof(*ev));
	if (!ev)
		return 1;
	if (pid) {
		runtime_roots_default(&roots, "");
		snprintf(proc, sizeof(proc), "/proc");
		err = live_event(pid, ev);
	} else {
		snprintf(dir, sizeof(dir), "%s/enrich_cost.XXXXXX",
			 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
		if (!mkdtemp(dir))
			return 1;
		runtime_roots_default(&roots, dir);
		snprintf(proc, sizeof(proc), "%s/proc", dir);
		err = make_fake_node(dir);
		snprintf(ev->cgroup_name, sizeof(ev->cgroup_name), "libpod-" FAKE_ID);
		ev->pid = FAKE_PID;
		ev->uid = 1000;
		ev->flags = SS_F_PIDNS;
		ev->cgroup_id = 1;
	}
	if (err) {
		fprintf(stderr, "enrich_cost: setup: %s\n", strerror(-err));
		goto out;
	}
	err = enricher_new(&roots, proc, 1024, &e);
	if (err) {
		fprintf(stderr, "enrich_cost: enricher_new: %s\n", strerror(-err));
		goto out;
	}

	t0 = now_ns();
	for (i = 0; i < n; i++) {
		enricher_forget_cgroup(e, ev->cgroup_id);
		enrich_exec_event(e, ev);
	}
	cold = now_ns() - t0;
	t0 = now_ns();
	for (i = 0; i < n; i++)
		enrich_exec_event(e, ev);
	warm = now_ns() - t0;

	printf("enrich_cost: %s id=%s runtime=%s name=%s image=%s pod=%s/%s user=%s\n",
	       pid ? "live" : "fake", ev->container.id,
	       container_runtime_name(ev->container.runtime), ev->container.name,
	       ev->container.image, ev->container.pod_namespace, ev->container.pod_name,
	       ev->user_name);
	printf("enrich_cost: cold   %.1f us/event (%ld events)\n", (double)cold / n / 1000.0, n);
	printf("enrich_cost: cached %.1f ns/event (%ld events)\n", (double)warm / n, n);
out:
	enricher_free(e);
	free(ev);
	if (dir[0])
		nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return err ? 1 : 0;
}
