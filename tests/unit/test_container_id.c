/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "context/container_id.h"

#define ID "3838f3891f0b5ce6a8c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f60718293a4b5c6d"
#define ID_SHORT "3838f3891f0b"
#define ID2 "185304d1bba4aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define POD "pod1b2c3d4e-aaaa-bbbb-cccc-0123456789ab"
#define SPOD "pod1b2c3d4e_aaaa_bbbb_cccc_0123456789ab"

struct layout_case {
	const char *cgroup;
	enum container_runtime runtime;
};

static const struct layout_case positives[] = {
	{"/docker/" ID, RUNTIME_DOCKER},
	{"docker-" ID ".scope", RUNTIME_DOCKER},
	{"/system.slice/docker-" ID ".scope", RUNTIME_DOCKER},
	{"cri-containerd-" ID ".scope", RUNTIME_CONTAINERD},
	{"/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-" SPOD
	 ".slice/cri-containerd-" ID ".scope",
	 RUNTIME_CONTAINERD},
	{"/kubepods-besteffort-" SPOD ".slice:cri-containerd:" ID, RUNTIME_CONTAINERD},
	{"kubepods-burstable-" SPOD ".slice:cri-containerd:" ID, RUNTIME_CONTAINERD},
	{"/kubepods/burstable/" POD "/" ID, RUNTIME_UNKNOWN},
	{"/kubepods/besteffort/" POD "/" ID, RUNTIME_UNKNOWN},
	{"/kubepods/" POD "/" ID, RUNTIME_UNKNOWN}, /* guaranteed QoS */
	{"crio-" ID ".scope", RUNTIME_CRIO},
	{"/kubepods.slice/kubepods-" SPOD ".slice/crio-" ID ".scope", RUNTIME_CRIO},
	{"libpod-" ID ".scope", RUNTIME_PODMAN},
	{"/machine.slice/libpod-" ID ".scope", RUNTIME_PODMAN},
	{"/libpod_parent/libpod-" ID, RUNTIME_PODMAN},
	{"libpod-payload-" ID, RUNTIME_PODMAN},
	{"/machine.slice/libpod-" ID ".scope/container", RUNTIME_PODMAN},
	{"nerdctl-" ID ".scope", RUNTIME_CONTAINERD},
	{"/nerdctl/" ID, RUNTIME_CONTAINERD},
	{ID, RUNTIME_UNKNOWN}, /* bare leaf, as the kernel sends it */
};

static void test_layouts(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(positives) / sizeof(positives[0]); i++) {
		enum container_runtime rt = RUNTIME_NONE;
		char full[65] = "", shrt[13] = "";

		if (container_id_from_cgroup(positives[i].cgroup, &rt, full, shrt) != 0)
			fail_msg("no id found in %s", positives[i].cgroup);
		assert_string_equal(full, ID);
		assert_string_equal(shrt, ID_SHORT);
		if (rt != positives[i].runtime)
			fail_msg("%s: runtime %d, want %d", positives[i].cgroup, rt,
				 positives[i].runtime);
		assert_true(cgroup_name_has_container_id(positives[i].cgroup));
	}
}

static const char *const negatives[] = {
	"",
	"/",
	"user.slice",
	"/user.slice/user-0.slice/session-1.scope",
	"init.scope",
	"/system.slice/containerd.service",
	/* 63 and 65 hex characters */
	"3838f3891f0b5ce6a8c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f60718293a4b5c6",
	"3838f3891f0b5ce6a8c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f60718293a4b5c6d0",
	"docker-3838f3891f0b5ce6a8c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f60718293a4b5c6.scope",
	/* uppercase hex */
	"3838F3891F0B5CE6A8C1D2E3F4A5B6C7D8E9F0A1B2C3D4E5F60718293A4B5C6D",
	"docker-3838F3891F0B5CE6A8C1D2E3F4A5B6C7D8E9F0A1B2C3D4E5F60718293A4B5C6D.scope",
	/* not hex */
	"3838f3891f0b5ce6a8c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f60718293a4b5c6g",
	/* conmon's cgroup is not the container */
	"crio-conmon-" ID ".scope",
	"/machine.slice/libpod-conmon-" ID ".scope",
	/* unknown colon prefix */
	"kubepods.slice:evil:" ID,
	"docker-" ID ".scope.extra",
	"xdocker-" ID "y",
};

static void test_negatives(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(negatives) / sizeof(negatives[0]); i++) {
		char full[65] = "untouched", shrt[13] = "untouched";

		if (container_id_from_cgroup(negatives[i], NULL, full, shrt) != -ENOENT)
			fail_msg("id found in %s", negatives[i]);
		assert_string_equal(full, "untouched");
		assert_false(cgroup_name_has_container_id(negatives[i]));
	}
	assert_int_equal(container_id_from_cgroup(NULL, NULL, NULL, NULL), -ENOENT);
}

static void test_leaf_wins(void **state)
{
	char full[65];

	(void)state;
	/* nested (docker in docker): the innermost container is the process's */
	assert_int_equal(container_id_from_cgroup("/docker/" ID "/docker/" ID2, NULL, full, NULL),
			 0);
	assert_string_equal(full, ID2);
}

static void test_huge_path(void **state)
{
	static char buf[9000];

	(void)state;
	memset(buf, 'a', sizeof(buf) - 1);
	buf[sizeof(buf) - 1] = '\0';
	assert_int_equal(container_id_from_cgroup(buf, NULL, NULL, NULL), -ENOENT);
	/* a long path that ends in an id is over the bound too: refused */
	memcpy(buf + sizeof(buf) - 1 - 64, ID, 64);
	buf[sizeof(buf) - 1 - 65] = '/';
	assert_int_equal(container_id_from_cgroup(buf, NULL, NULL, NULL), -ENOENT);
}

static void test_runtime_names(void **state)
{
	(void)state;
	assert_string_equal(container_runtime_name(RUNTIME_DOCKER), "docker");
	assert_string_equal(container_runtime_name(RUNTIME_CONTAINERD), "containerd");
	assert_string_equal(container_runtime_name(RUNTIME_CRIO), "cri-o");
	assert_string_equal(container_runtime_name(RUNTIME_PODMAN), "podman");
	assert_string_equal(container_runtime_name(RUNTIME_UNKNOWN), "unknown");
	assert_string_equal(container_runtime_name(RUNTIME_NONE), "host");
	assert_string_equal(container_runtime_name((enum container_runtime)99), "unknown");
}

static void test_valid(void **state)
{
	(void)state;
	assert_true(container_id_is_valid(ID));
	assert_false(container_id_is_valid(ID "0"));
	assert_false(container_id_is_valid(ID_SHORT));
	assert_false(container_id_is_valid("../../../../etc/passwd"));
	assert_false(container_id_is_valid(NULL));
}

/* /proc/<pid>/cgroup of a podman container on this hybrid machine */
static const char proc_hybrid[] = "9:name=systemd:/libpod_parent/libpod-" ID "\n"
				  "8:pids:/libpod_parent/libpod-" ID "\n"
				  "1:cpu:/libpod_parent/libpod-" ID "\n"
				  "0::/libpod_parent/libpod-" ID "\n";

static void test_proc_cgroup(void **state)
{
	enum container_runtime rt = RUNTIME_NONE;
	char full[65], shrt[13];
	const char *docker = "12:memory:/docker/" ID2 "\n0::/docker/" ID "\n";
	const char *v1 = "11:pids:/kubepods/besteffort/" POD "/" ID "\n"
			 "10:cpu,cpuacct:/kubepods/besteffort/" POD "/" ID "\n";

	(void)state;
	assert_int_equal(container_id_from_proc_cgroup(proc_hybrid, strlen(proc_hybrid),
						       "libpod-" ID, &rt, full, shrt),
			 0);
	assert_string_equal(full, ID);
	assert_string_equal(shrt, ID_SHORT);
	assert_int_equal(rt, RUNTIME_PODMAN);

	/* the unified line is preferred over a v1 controller's */
	assert_int_equal(
		container_id_from_proc_cgroup(docker, strlen(docker), NULL, &rt, full, NULL), 0);
	assert_string_equal(full, ID);
	assert_int_equal(rt, RUNTIME_DOCKER);

	/* only lines whose leaf is the one the kernel reported count */
	assert_int_equal(
		container_id_from_proc_cgroup(docker, strlen(docker), ID2, &rt, full, NULL), 0);
	assert_string_equal(full, ID2);
	assert_int_equal(container_id_from_proc_cgroup(proc_hybrid, strlen(proc_hybrid), ID2, &rt,
						       full, NULL),
			 -ENOENT);

	/* a v1-only host: the bare leaf id under kubepods, runtime unknown */
	assert_int_equal(container_id_from_proc_cgroup(v1, strlen(v1), ID, &rt, full, NULL), 0);
	assert_string_equal(full, ID);
	assert_int_equal(rt, RUNTIME_UNKNOWN);

	/* a host process */
	assert_int_equal(
		container_id_from_proc_cgroup("0::/user.slice/user-0.slice/session-3.scope\n", 44,
					      NULL, &rt, full, NULL),
		-ENOENT);
}

static void test_proc_cgroup_malformed(void **state)
{
	const char nul[] = "0::/docker/\0" ID "\n";
	char full[65];

	(void)state;
	assert_int_equal(container_id_from_proc_cgroup("", 0, NULL, NULL, full, NULL), -ENOENT);
	assert_int_equal(container_id_from_proc_cgroup("garbage", 7, NULL, NULL, full, NULL),
			 -ENOENT);
	assert_int_equal(container_id_from_proc_cgroup(":", 1, NULL, NULL, full, NULL), -ENOENT);
	assert_int_equal(
		container_id_from_proc_cgroup(nul, sizeof(nul) - 1, NULL, NULL, full, NULL),
		-ENOENT);
	/* not NUL-terminated: only len bytes are read (the id is cut) */
	assert_int_equal(container_id_from_proc_cgroup(proc_hybrid, 40, NULL, NULL, full, NULL),
			 -ENOENT);
}

/* The enricher's pure part, also used by the replay test: Falco's values. */
static void test_info_from_event(void **state)
{
	static struct exec_event ev;
	struct container_info ci;

	(void)state;
	snprintf(ev.cgroup_name, sizeof(ev.cgroup_name), "user-0.slice");
	assert_false(container_info_from_event(&ev, &ci));
	assert_string_equal(ci.id, "host");
	assert_false(ci.is_container);
	assert_int_equal(ci.runtime, RUNTIME_NONE);
	ev.flags = SS_F_PIDNS;
	assert_false(container_info_from_event(&ev, &ci));
	assert_string_equal(ci.id, "");
	assert_true(ci.is_container);
	assert_int_equal(ci.runtime, RUNTIME_UNKNOWN);
	snprintf(ev.cgroup_name, sizeof(ev.cgroup_name), "libpod-%s.scope",
		 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
	assert_true(container_info_from_event(&ev, &ci));
	assert_string_equal(ci.id, "0123456789ab");
	assert_int_equal(ci.runtime, RUNTIME_PODMAN);
	assert_int_equal(ci.privileged, TRI_UNKNOWN);
	assert_true(container_caps_privileged(0x1ffffffffffULL, 0x1ffffffffffULL));
	assert_false(container_caps_privileged(0xa80425fbULL, 0x1ffffffffffULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_info_from_event),
		cmocka_unit_test(test_layouts),
		cmocka_unit_test(test_negatives),
		cmocka_unit_test(test_leaf_wins),
		cmocka_unit_test(test_huge_path),
		cmocka_unit_test(test_runtime_names),
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_proc_cgroup),
		cmocka_unit_test(test_proc_cgroup_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
