/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "tmpdir.h"

#include "context/enrich.h"

#define ID "8fa687e4cf125c4f91e249399af2c3171e3fae5f350ea25fd9b39c826b2e7a78"
#define ID2 "185304d1bba4aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define FULL_CAPS 0x1ffffffffffull /* cap_last_cap 40 */

static char tmpdir[PATH_MAX], procdir[PATH_MAX + 8];
static struct runtime_roots roots;

static void put(const char *rel, const char *data)
{
	char p[PATH_MAX * 2], *s;
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", tmpdir, rel);
	for (s = p + strlen(tmpdir) + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		mkdir(p, 0755);
		*s = '/';
	}
	f = fopen(p, "w");
	assert_non_null(f);
	assert_true(fputs(data, f) >= 0);
	assert_int_equal(fclose(f), 0);
}

static void del(const char *rel)
{
	char p[PATH_MAX * 2];

	snprintf(p, sizeof(p), "%s/%s", tmpdir, rel);
	assert_int_equal(unlink(p), 0);
}

static int setup(void **state)
{
	(void)state;
	if (tmpdir_make(tmpdir, sizeof(tmpdir), "test_enrich"))
		return -1;
	snprintf(procdir, sizeof(procdir), "%s/proc", tmpdir);
	runtime_roots_default(&roots, tmpdir);
	put("proc/sys/kernel/cap_last_cap", "40\n");
	/* the host: init's root */
	put("proc/1/root/etc/passwd",
	    "root:x:0:0::/root:/bin/sh\nhostuser:x:1000:1000::/:/bin/sh\n");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return tmpdir_remove(tmpdir);
}

static struct exec_event *new_event(uint64_t cgroup_id, const char *leaf, uint32_t pid,
				    uint32_t uid, uint32_t flags)
{
	struct exec_event *ev = calloc(1, sizeof(*ev));

	assert_non_null(ev);
	ev->cgroup_id = cgroup_id;
	snprintf(ev->cgroup_name, sizeof(ev->cgroup_name), "%s", leaf);
	ev->pid = pid;
	ev->uid = uid;
	ev->flags = flags;
	ev->cap_effective = 0xa80425fb; /* a container's default set */
	strcpy(ev->user_name, "stale");
	strcpy(ev->container.id, "stale");
	return ev;
}

static struct enricher *new_enricher(size_t max)
{
	struct enricher *e = NULL;

	assert_int_equal(enricher_new(&roots, procdir, max, &e), 0);
	return e;
}

static void podman_state(void)
{
	put("var/lib/containers/storage/overlay-containers/" ID "/userdata/config.json",
	    "{\"annotations\":{\"io.container.manager\":\"libpod\","
	    "\"io.kubernetes.pod.name\":\"web-0\",\"io.kubernetes.pod.namespace\":\"shop\","
	    "\"io.podman.annotations.privileged\":\"FALSE\"}}");
	put("var/lib/containers/storage/overlay-containers/containers.json",
	    "[{\"id\":\"" ID "\",\"names\":[\"ctx\"],"
	    "\"metadata\":\"{\\\"image-name\\\":\\\"localhost/bbox:test\\\"}\"}]");
}

static void test_podman_container(void **state)
{
	struct enricher *e = new_enricher(16);
	struct exec_event *ev = new_event(100, "libpod-" ID, 4242, 1000, SS_F_PIDNS);
	struct enrich_result res;

	(void)state;
	podman_state();
	put("proc/4242/root/etc/passwd", "root:x:0:0::/:/bin/sh\nappuser:x:1000:1000::/:/bin/sh\n");
	assert_int_equal(enrich_exec_event_ex(e, ev, &res), 0);
	assert_true(ev->container.is_container);
	assert_string_equal(ev->container.id, "8fa687e4cf12");
	assert_string_equal(ev->container.full_id, ID);
	assert_int_equal(ev->container.runtime, RUNTIME_PODMAN);
	assert_string_equal(ev->container.name, "ctx");
	assert_string_equal(ev->container.image, "localhost/bbox:test");
	assert_string_equal(ev->container.image_repository, "localhost/bbox");
	assert_string_equal(ev->container.image_tag, "test");
	assert_string_equal(ev->container.pod_name, "web-0");
	assert_string_equal(ev->container.pod_namespace, "shop");
	assert_int_equal(ev->container.privileged, TRI_FALSE);
	/* the container's own passwd, not the host's "hostuser" */
	assert_string_equal(ev->user_name, "appuser");
	assert_true(res.verified);
	assert_false(res.cached);
	assert_int_equal(res.meta_err, 0);

	/* the process holds every capability: privileged whatever the state says */
	ev->cap_effective = FULL_CAPS;
	assert_int_equal(enrich_exec_event_ex(e, ev, &res), 0);
	assert_true(res.cached);
	assert_int_equal(ev->container.privileged, TRI_TRUE);
	free(ev);
	enricher_free(e);
}

static void test_host_process(void **state)
{
	struct enricher *e = new_enricher(16);
	struct exec_event *ev = new_event(5, "session-3.scope", 777, 1000, 0);
	struct enrich_result res;

	(void)state;
	put("proc/777/root/etc/passwd", "root:x:0:0::/:/bin/sh\nhostuser:x:1000:1000::/:/bin/sh\n");
	put("proc/777/cgroup", "0::/user.slice/user-0.slice/session-3.scope\n");
	ev->cap_effective = FULL_CAPS;
	assert_int_equal(enrich_exec_event_ex(e, ev, &res), 0);
	assert_false(ev->container.is_container);
	assert_string_equal(ev->container.id, "host");
	assert_int_equal(ev->container.runtime, RUNTIME_NONE);
	assert_int_equal(ev->container.privileged, TRI_UNKNOWN);
	assert_string_equal(ev->container.name, "");
	assert_string_equal(ev->user_name, "hostuser");
	assert_true(res.verified);

	/* a host process already gone: the host's passwd is init's */
	free(ev);
	ev = new_event(5, "session-3.scope", 778, 1000, 0);
	enricher_forget_cgroup(e, 5);
	assert_int_equal(enrich_exec_event(e, ev), 0);
	assert_string_equal(ev->user_name, "hostuser");
	free(ev);
	enricher_free(e);
}

static void test_unresolved_pidns(void **state)
{
	struct enricher *e = new_enricher(16);
	struct exec_event *ev = new_event(6, "session-3.scope", 900, 0, SS_F_PIDNS);
	struct enrich_result res;

	(void)state;
	/* `unshare --pid`: a pid namespace in a host cgroup */
	put("proc/900/cgroup", "0::/user.slice/user-0.slice/session-3.scope\n");
	put("proc/900/root/etc/passwd", "root:x:0:0::/:/bin/sh\n");
	assert_int_equal(enrich_exec_event_ex(e, ev, &res), 0);
	assert_true(ev->container.is_container);
	assert_string_equal(ev->container.id, "");
	assert_string_equal(ev->container.full_id, "");
	assert_int_equal(ev->container.runtime, RUNTIME_UNKNOWN);
	assert_int_equal(ev->container.privileged, TRI_UNKNOWN);
	assert_string_equal(ev->user_name, "root");
	free(ev);
	enricher_free(e);
}

static void test_bare_leaf_docker(void **state)
{
	struct enricher *e = new_enricher(16);
	struct exec_event *ev = new_event(7, ID2, 1234, 0, SS_F_PIDNS);
	struct enrich_result res;

	(void)state;
	/* the kernel sends only "<id>"; the full path says docker */
	put("proc/1234/cgroup", "12:memory:/docker/" ID2 "\n0::/docker/" ID2 "\n");
	put("var/lib/docker/containers/" ID2 "/config.v2.json",
	    "{\"Name\":\"/web\",\"Config\":{\"Image\":\"nginx:1.25\"}}");
	put("var/lib/docker/containers/" ID2 "/hostconfig.json", "{\"Privileged\":true}");
	assert_int_equal(enrich_exec_event_ex(e, ev, &res), 0);
	assert_string_equal(ev->container.id, "185304d1bba4");
	assert_int_equal(ev->container.runtime, RUNTIME_DOCKER);
	assert_string_equal(ev->container.name, "web");
	assert_string_equal(ev->container.image_tag, "1.25");
	assert_int_equal(ev->container.privileged, TRI_TRUE);
	/* process without a root folder in the fake proc: gone, uid 0 */
	assert_string_equal(ev->user_name, "root");
	free(ev);
	enricher_free(e);
}

static void test_bare_leaf_gone(void **state)
{
	struct enricher *e = new_enricher(16);
	struct exec_event *ev = new_event(8, ID2, 5555, 1000, SS_F_PIDNS);
	struct enrich_result res;

	(void)state;
	/* process gone, no /proc/<pid>/cgroup: the state folders still tell */
	put("run/containerd/io.containerd.runtime.v2.task/k8s.io/" ID2 "/config.json",
	    "{\"annotations\":{\"io.kubernetes.cri.container-type\":\"container\","
	    "\"io.kubernetes.cri.container-name\":\"app\","
	    "\"io.kubernetes.cri.sandbox-name\":\"app-0\","
	    "\"io.kubernetes.cri.sandbox-namespace\":\"prod\"}}");
	assert_int_equal(enrich_exec_event_ex(e, ev, &res), 0);
	assert_string_equal(ev->container.id, "185304d1bba4");
	assert_int_equal(ev->container.runtime, RUNTIME_CONTAINERD);
	assert_string_equal(ev->container.pod_name, "app-0");
	assert_string_equal(ev->container.pod_namespace, "prod");
	assert_string_equal(ev->container.k8s_container_name, "app");
	/* gone and not root: <NA> */
	assert_string_equal(ev->user_name, "");

	/* gone, but its parent in the same pid namespace still lives */
	put("proc/5000/root/etc/passwd", "svc:x:1000:1000::/:/bin/sh\n");
	ev->ancestor_count = 2;
	ev->ancestors[0].pid = 5001; /* outside the namespace: not used */
	ev->ancestors[0].vpid = 0;
	put("proc/5001/root/etc/passwd", "host:x:1000:1000::/:/bin/sh\n");
	ev->ancestors[1].pid = 5000;
	ev->ancestors[1].vpid = 1;
	ev->cgroup_id = 80;
	assert_int_equal(enrich_exec_event(e, ev), 0);
	assert_string_equal(ev->user_name, "svc");
	free(ev);
	enricher_free(e);
}

static void test_pid_reused(void **state)
{
	struct enricher *e = new_enricher(16);
	struct exec_event *ev = new_event(9, "container", 3000, 0, SS_F_PIDNS);

	(void)state;
	/* pid 3000 now belongs to another container: its leaf differs, not believed */
	put("proc/3000/cgroup", "0::/machine.slice/libpod-" ID2 ".scope/other\n");
	assert_int_equal(enrich_exec_event(e, ev), 0);
	assert_string_equal(ev->container.id, "");
	/* the same process in a nested leaf "container" is resolved */
	free(ev);
	ev = new_event(10, "container", 3001, 0, SS_F_PIDNS);
	put("proc/3001/cgroup", "0::/machine.slice/libpod-" ID2 ".scope/container\n");
	assert_int_equal(enrich_exec_event(e, ev), 0);
	assert_string_equal(ev->container.id, "185304d1bba4");
	assert_int_equal(ev->container.runtime, RUNTIME_PODMAN);
	free(ev);
	enricher_free(e);
}

static void test_spoofed_cgroup(void **state)
{
	struct enricher *e = new_enricher(16);
	struct exec_event *ev = new_event(11, "docker-" ID ".scope", 600, 0, 0);
	struct enrich_result res;

	(void)state;
	/* a host process in a cgroup it named like a docker container, no state */
	assert_int_equal(enrich_exec_event_ex(e, ev, &res), 0);
	assert_true(ev->container.is_container);
	assert_string_equal(ev->container.id, "8fa687e4cf12");
	assert_false(res.verified);
	assert_int_equal(res.meta_err, -ENOENT);
	/* the same name with the runtime's state present: a --pid=host container */
	free(ev);
	ev = new_event(12, "docker-" ID ".scope", 601, 0, 0);
	put("var/lib/docker/containers/" ID "/config.v2.json", "{\"Name\":\"/hostpid\"}");
	assert_int_equal(enrich_exec_event_ex(e, ev, &res), 0);
	assert_true(res.verified);
	assert_string_equal(ev->container.name, "hostpid");
	free(ev);
	enricher_free(e);
}

static void test_cache_and_forget(void **state)
{
	struct enricher *e = new_enricher(2);
	struct exec_event *ev = new_event(100, "libpod-" ID, 4242, 1000, SS_F_PIDNS);
	struct enrich_result res;

	(void)state;
	podman_state();
	put("proc/4242/root/etc/passwd", "appuser:x:1000:1000::/:/bin/sh\n");
	assert_int_equal(enrich_exec_event(e, ev), 0);
	assert_string_equal(ev->container.name, "ctx");

	/* state and passwd gone: the cache still answers */
	del("var/lib/containers/storage/overlay-containers/containers.json");
	del("proc/4242/root/etc/passwd");
	memset(&ev->container, 0, sizeof(ev->container));
	assert_int_equal(enrich_exec_event_ex(e, ev, &res), 0);
	assert_true(res.cached);
	assert_string_equal(ev->container.name, "ctx");
	assert_string_equal(ev->user_name, "appuser");

	/* the cgroup went: re-resolved from what is there now */
	enricher_forget_cgroup(e, 100);
	assert_int_equal(enrich_exec_event_ex(e, ev, &res), 0);
	assert_false(res.cached);
	assert_string_equal(ev->container.name, "");
	assert_string_equal(ev->container.pod_name, "web-0");
	/* passwd file missing in a live container: not root -> <NA> */
	assert_string_equal(ev->user_name, "");

	/* two more cgroups evict the first (bound 2) */
	free(ev);
	ev = new_event(101, "session-1.scope", 1, 0, 0);
	assert_int_equal(enrich_exec_event(e, ev), 0);
	ev->cgroup_id = 102;
	assert_int_equal(enrich_exec_event(e, ev), 0);
	ev->cgroup_id = 100;
	strcpy(ev->cgroup_name, "libpod-" ID);
	ev->flags = SS_F_PIDNS;
	assert_int_equal(enrich_exec_event_ex(e, ev, &res), 0);
	assert_false(res.cached);
	free(ev);
	enricher_free(e);
}

static void test_args(void **state)
{
	struct enricher *e = NULL;
	struct exec_event ev;

	(void)state;
	assert_int_equal(enricher_new(&roots, procdir, 0, &e), -EINVAL);
	assert_int_equal(enricher_new(&roots, procdir, 1, NULL), -EINVAL);
	assert_int_equal(enrich_exec_event(NULL, &ev), -EINVAL);
	e = new_enricher(1);
	assert_int_equal(enrich_exec_event(e, NULL), -EINVAL);
	enricher_forget_cgroup(e, 12345);
	enricher_free(e);
	enricher_free(NULL);
	enricher_forget_cgroup(NULL, 1);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_podman_container), T(test_host_process),	    T(test_unresolved_pidns),
		T(test_bare_leaf_docker), T(test_bare_leaf_gone),   T(test_pid_reused),
		T(test_spoofed_cgroup),	  T(test_cache_and_forget), T(test_args),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
