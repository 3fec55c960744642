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

#include "context/container_meta.h"

#define ID "8fa687e4cf125c4f91e249399af2c3171e3fae5f350ea25fd9b39c826b2e7a78"

static char tmpdir[PATH_MAX];
static struct runtime_roots roots;

/* write a file under tmpdir, creating its folders */
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
	assert_int_equal(fputs(data, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static int setup(void **state)
{
	(void)state;
	if (tmpdir_make(tmpdir, sizeof(tmpdir), "test_meta"))
		return -1;
	runtime_roots_default(&roots, tmpdir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return tmpdir_remove(tmpdir);
}

static void blank(struct container_info *ci)
{
	memset(ci, 0, sizeof(*ci));
	ci->runtime = RUNTIME_UNKNOWN;
	ci->privileged = TRI_FALSE; /* must be reset by the reader */
	strcpy(ci->name, "stale");
}

static void test_roots_default(void **state)
{
	struct runtime_roots r;

	(void)state;
	runtime_roots_default(&r, "");
	assert_string_equal(r.docker, "/var/lib/docker");
	assert_string_equal(r.containerd, "/run/containerd/io.containerd.runtime.v2.task");
	assert_string_equal(r.crio, "/run/containers/storage");
	assert_string_equal(r.podman, "/var/lib/containers/storage");
	runtime_roots_default(&r, "/host");
	assert_string_equal(r.docker, "/host/var/lib/docker");
}

/* what podman 4.3 writes for `podman run --name ctx --annotation ...` (trimmed) */
#define PODMAN_CAPS                                                                                \
	"[\"CAP_CHOWN\",\"CAP_DAC_OVERRIDE\",\"CAP_FOWNER\",\"CAP_FSETID\",\"CAP_KILL\","          \
	"\"CAP_NET_BIND_SERVICE\",\"CAP_SETFCAP\",\"CAP_SETGID\",\"CAP_SETPCAP\",\"CAP_SETUID\","  \
	"\"CAP_SYS_CHROOT\"]"
static const char podman_config[] =
	"{\"ociVersion\":\"1.0.2-dev\",\"process\":{\"user\":{\"uid\":0,\"gid\":0},"
	"\"capabilities\":{\"bounding\":" PODMAN_CAPS ",\"effective\":" PODMAN_CAPS "}},"
	"\"annotations\":{\"io.container.manager\":\"libpod\","
	"\"io.kubernetes.cri-o.Created\":\"2026-11-26T08:03:16.324949812Z\","
	"\"io.kubernetes.cri-o.TTY\":\"false\",\"io.kubernetes.pod.name\":\"web-0\","
	"\"io.kubernetes.pod.namespace\":\"shop\",\"io.podman.annotations.privileged\":\"FALSE\"},"
	"\"root\":{\"path\":\"/var/lib/containers/storage/overlay/ab12/merged\"},"
	"\"linux\":{\"cgroupsPath\":\"/libpod_parent/libpod-" ID "\",\"seccomp\":"
	"{\"defaultAction\":\"SCMP_ACT_ERRNO\"},\"maskedPaths\":[\"/proc/kcore\"]}}";

static const char podman_containers[] =
	"[{\"id\":\"0000000000000000000000000000000000000000000000000000000000000000\","
	"\"names\":[\"other\"],\"metadata\":\"{\\\"image-name\\\":\\\"x:1\\\"}\"},"
	"{\"id\":\"" ID "\",\"names\":[\"ctx\"],\"image\":\"8b221a17\","
	"\"metadata\":\"{\\\"image-name\\\":\\\"localhost/bbox:test\\\","
	"\\\"name\\\":\\\"ctx\\\",\\\"created-at\\\":1795680196}\"}]";

static void test_podman(void **state)
{
	struct container_info ci;

	(void)state;
	put("var/lib/containers/storage/overlay-containers/" ID "/userdata/config.json",
	    podman_config);
	put("var/lib/containers/storage/overlay-containers/containers.json", podman_containers);

	blank(&ci);
	assert_int_equal(container_meta_read(&roots, ID, RUNTIME_PODMAN, &ci), 0);
	assert_int_equal(ci.runtime, RUNTIME_PODMAN);
	assert_string_equal(ci.name, "ctx");
	assert_string_equal(ci.image, "localhost/bbox:test");
	assert_string_equal(ci.image_repository, "localhost/bbox");
	assert_string_equal(ci.image_tag, "test");
	assert_string_equal(ci.pod_name, "web-0");
	assert_string_equal(ci.pod_namespace, "shop");
	assert_string_equal(ci.pod_uid, "");
	assert_int_equal(ci.privileged, TRI_FALSE);
	/* the node's path of the root folder, under the prefix (the test folder here) */
	assert_true(strncmp(ci.rootfs, tmpdir, strlen(tmpdir)) == 0);
	assert_string_equal(ci.rootfs + strlen(tmpdir),
			    "/var/lib/containers/storage/overlay/ab12/merged");

	/* probing without a hint finds the same */
	blank(&ci);
	assert_int_equal(container_meta_read(&roots, ID, RUNTIME_UNKNOWN, &ci), 0);
	assert_int_equal(ci.runtime, RUNTIME_PODMAN);
	assert_string_equal(ci.name, "ctx");
}

static void test_podman_privileged(void **state)
{
	struct container_info ci;

	(void)state;
	put("var/lib/containers/storage/overlay-containers/" ID "/userdata/config.json",
	    "{\"annotations\":{\"io.container.manager\":\"libpod\","
	    "\"io.podman.annotations.privileged\":\"TRUE\"},\"linux\":{}}");
	blank(&ci);
	assert_int_equal(container_meta_read(&roots, ID, RUNTIME_PODMAN, &ci), 0);
	assert_int_equal(ci.privileged, TRI_TRUE);
	/* no containers.json: no name, no image */
	assert_string_equal(ci.name, "");
	assert_string_equal(ci.image, "");
}

#define ALL_CAPS                                                                                   \
	"[\"CAP_CHOWN\",\"CAP_DAC_OVERRIDE\",\"CAP_DAC_READ_SEARCH\",\"CAP_FOWNER\","              \
	"\"CAP_FSETID\",\"CAP_KILL\",\"CAP_SETGID\",\"CAP_SETUID\",\"CAP_SETPCAP\","               \
	"\"CAP_LINUX_IMMUTABLE\",\"CAP_NET_BIND_SERVICE\",\"CAP_NET_BROADCAST\","                  \
	"\"CAP_NET_ADMIN\",\"CAP_NET_RAW\",\"CAP_IPC_LOCK\",\"CAP_IPC_OWNER\",\"CAP_SYS_MODULE\"," \
	"\"CAP_SYS_RAWIO\",\"CAP_SYS_CHROOT\",\"CAP_SYS_PTRACE\",\"CAP_SYS_PACCT\","               \
	"\"CAP_SYS_ADMIN\",\"CAP_SYS_BOOT\",\"CAP_SYS_NICE\",\"CAP_SYS_RESOURCE\","                \
	"\"CAP_SYS_TIME\",\"CAP_SYS_TTY_CONFIG\",\"CAP_MKNOD\",\"CAP_LEASE\",\"CAP_AUDIT_WRITE\"," \
	"\"CAP_AUDIT_CONTROL\",\"CAP_SETFCAP\",\"CAP_MAC_OVERRIDE\",\"CAP_MAC_ADMIN\","            \
	"\"CAP_SYSLOG\",\"CAP_WAKE_ALARM\",\"CAP_BLOCK_SUSPEND\",\"CAP_AUDIT_READ\","              \
	"\"CAP_PERFMON\",\"CAP_BPF\",\"CAP_CHECKPOINT_RESTORE\"]"

#define CRI_ANNOTATIONS                                                                            \
	"\"annotations\":{\"io.kubernetes.cri.container-type\":\"container\","                     \
	"\"io.kubernetes.cri.container-name\":\"nginx\","                                          \
	"\"io.kubernetes.cri.image-name\":\"docker.io/library/nginx:1.25\","                       \
	"\"io.kubernetes.cri.sandbox-id\":\"1111\","                                               \
	"\"io.kubernetes.cri.sandbox-name\":\"web-7d4b9c-x2x\","                                   \
	"\"io.kubernetes.cri.sandbox-namespace\":\"shop\","                                        \
	"\"io.kubernetes.cri.sandbox-uid\":\"1b2c3d4e-aaaa-bbbb-cccc-0123456789ab\"}"

static void test_containerd_cri(void **state)
{
	struct container_info ci;

	(void)state;
	put("run/containerd/io.containerd.runtime.v2.task/k8s.io/" ID "/config.json",
	    "{\"process\":{\"capabilities\":{\"bounding\":[\"CAP_CHOWN\"]}}," CRI_ANNOTATIONS
	    ",\"root\":{\"path\":\"rootfs\"},"
	    "\"linux\":{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ERRNO\"}}}");
	blank(&ci);
	assert_int_equal(container_meta_read(&roots, ID, RUNTIME_CONTAINERD, &ci), 0);
	assert_int_equal(ci.runtime, RUNTIME_CONTAINERD);
	/* a bundle-relative root: the bundle's folder */
	assert_string_equal(ci.rootfs + strlen(tmpdir),
			    "/run/containerd/io.containerd.runtime.v2.task/k8s.io/" ID "/rootfs");
	assert_string_equal(ci.name, "nginx");
	assert_string_equal(ci.k8s_container_name, "nginx");
	assert_string_equal(ci.image, "docker.io/library/nginx:1.25");
	assert_string_equal(ci.image_repository, "docker.io/library/nginx");
	assert_string_equal(ci.image_tag, "1.25");
	assert_string_equal(ci.pod_name, "web-7d4b9c-x2x");
	assert_string_equal(ci.pod_namespace, "shop");
	assert_string_equal(ci.pod_uid, "1b2c3d4e-aaaa-bbbb-cccc-0123456789ab");
	assert_int_equal(ci.privileged, TRI_FALSE);

	/* an unknown-runtime bare kubepods id is found by probing */
	blank(&ci);
	assert_int_equal(container_meta_read(&roots, ID, RUNTIME_UNKNOWN, &ci), 0);
	assert_int_equal(ci.runtime, RUNTIME_CONTAINERD);
	assert_string_equal(ci.pod_name, "web-7d4b9c-x2x");
}

static void test_containerd_privileged_spec(void **state)
{
	struct container_info ci;

	(void)state;
	/* CRI privileged: every capability, no seccomp, nothing masked */
	put("run/containerd/io.containerd.runtime.v2.task/k8s.io/" ID "/config.json",
	    "{\"process\":{\"capabilities\":{\"bounding\":" ALL_CAPS "}}," CRI_ANNOTATIONS
	    ",\"linux\":{}}");
	blank(&ci);
	assert_int_equal(container_meta_read(&roots, ID, RUNTIME_CONTAINERD, &ci), 0);
	assert_int_equal(ci.privileged, TRI_TRUE);

	/* the same capabilities with a seccomp filter are not privileged */
	put("run/containerd/io.containerd.runtime.v2.task/k8s.io/" ID "/config.json",
	    "{\"process\":{\"capabilities\":{\"bounding\":" ALL_CAPS "}}," CRI_ANNOTATIONS
	    ",\"linux\":{\"seccomp\":{}}}");
	blank(&ci);
	assert_int_equal(container_meta_read(&roots, ID, RUNTIME_CONTAINERD, &ci), 0);
	assert_int_equal(ci.privileged, TRI_FALSE);

	/* or with masked paths */
	put("run/containerd/io.containerd.runtime.v2.task/k8s.io/" ID "/config.json",
	    "{\"process\":{\"capabilities\":{\"bounding\":" ALL_CAPS "}}," CRI_ANNOTATIONS
	    ",\"linux\":{\"maskedPaths\":[\"/proc/kcore\"]}}");
	blank(&ci);
	assert_int_equal(container_meta_read(&roots, ID, RUNTIME_CONTAINERD, &ci), 0);
	assert_int_equal(ci.privileged, TRI_FALSE);
}

static void test_crio(void **state)
{
	struct container_info ci;

	(void)state;
	put("run/containers/storage/overlay-containers/" ID "/userdata/config.json",
	    "{\"annotations\":{\"io.kubernetes.cri-o.ContainerType\":\"container\","
	    "\"io.kubernetes.cri-o.ImageName\":\"quay.io/app/api@sha256:abcd\","
	    "\"io.kubernetes.cri-o.Image\":\"quay.io/app/api:ignored\","
	    "\"io.kubernetes.cri-o.PrivilegedRuntime\":\"true\","
	    "\"io.kubernetes.container.name\":\"api\",\"io.kubernetes.pod.name\":\"api-0\","
	    "\"io.kubernetes.pod.namespace\":\"prod\",\"io.kubernetes.pod.uid\":\"u-1\"},"
	    "\"linux\":{\"seccomp\":{}}}");
	blank(&ci);
	assert_int_equal(container_meta_read(&roots, ID, RUNTIME_CRIO, &ci), 0);
	assert_int_equal(ci.runtime, RUNTIME_CRIO);
	assert_string_equal(ci.name, "api");
	assert_string_equal(ci.k8s_container_name, "api");
	assert_string_equal(ci.image, "quay.io/app/api@sha256:abcd");
	assert_string_equal(ci.image_repository, "quay.io/app/api");
	assert_string_equal(ci.image_tag, "");
	assert_string_equal(ci.pod_name, "api-0");
	assert_string_equal(ci.pod_namespace, "prod");
	assert_string_equal(ci.pod_uid, "u-1");
	assert_int_equal(ci.privileged, TRI_TRUE);
}

static void test_docker(void **state)
{
	struct container_info ci;

	(void)state;
	put("var/lib/docker/containers/" ID "/config.v2.json",
	    "{\"ID\":\"" ID "\",\"Name\":\"/k8s_app_web-0_shop_uid_0\",\"Image\":\"sha256:1234\","
	    "\"Config\":{\"Image\":\"reg.example:5000/team/app\",\"Labels\":{"
	    "\"io.kubernetes.pod.name\":\"web-0\",\"io.kubernetes.pod.namespace\":\"shop\","
	    "\"io.kubernetes.pod.uid\":\"uid\",\"io.kubernetes.container.name\":\"app\"}}}");
	put("var/lib/docker/containers/" ID "/hostconfig.json",
	    "{\"Privileged\":true,\"NetworkMode\":\"none\"}");
	blank(&ci);
	assert_int_equal(container_meta_read(&roots, ID, RUNTIME_DOCKER, &ci), 0);
	assert_int_equal(ci.runtime, RUNTIME_DOCKER);
	assert_string_equal(ci.name, "k8s_app_web-0_shop_uid_0");
	assert_string_equal(ci.image, "reg.example:5000/team/app");
	assert_string_equal(ci.image_repository, "reg.example:5000/team/app");
	assert_string_equal(ci.image_tag, "");
	assert_string_equal(ci.pod_name, "web-0");
	assert_string_equal(ci.pod_namespace, "shop");
	assert_string_equal(ci.pod_uid, "uid");
	assert_string_equal(ci.k8s_container_name, "app");
	assert_int_equal(ci.privileged, TRI_TRUE);

	/* hostconfig without Privileged: unknown stays unknown */
	put("var/lib/docker/containers/" ID "/hostconfig.json", "{}");
	blank(&ci);
	assert_int_equal(container_meta_read(&roots, ID, RUNTIME_UNKNOWN, &ci), 0);
	assert_int_equal(ci.runtime, RUNTIME_DOCKER);
	assert_int_equal(ci.privileged, TRI_UNKNOWN);
}

static void test_docker_via_containerd(void **state)
{
	struct container_info ci;

	(void)state;
	/* docker's files are not mounted, containerd's "moby" bundle is */
	put("run/containerd/io.containerd.runtime.v2.task/moby/" ID "/config.json",
	    "{\"process\":{\"capabilities\":{\"bounding\":[\"CAP_KILL\"]}},\"linux\":{}}");
	blank(&ci);
	assert_int_equal(container_meta_read(&roots, ID, RUNTIME_DOCKER, &ci), 0);
	assert_int_equal(ci.runtime, RUNTIME_DOCKER);
	assert_int_equal(ci.privileged, TRI_FALSE);
	assert_string_equal(ci.name, "");
}

static void test_missing_and_invalid(void **state)
{
	struct container_info ci;

	(void)state;
	blank(&ci);
	assert_int_equal(container_meta_read(&roots, ID, RUNTIME_UNKNOWN, &ci), -ENOENT);
	assert_string_equal(ci.name, "");
	assert_int_equal(ci.privileged, TRI_UNKNOWN);
	assert_int_equal(container_meta_read(&roots, "../../../../etc", RUNTIME_DOCKER, &ci),
			 -EINVAL);
	assert_int_equal(container_meta_read(&roots, NULL, RUNTIME_DOCKER, &ci), -EINVAL);
	/* containers.json that does not list the id */
	put("var/lib/containers/storage/overlay-containers/containers.json", podman_containers);
	assert_int_equal(container_meta_read(
				 &roots,
				 "1111111111111111111111111111111111111111111111111111111111111111",
				 RUNTIME_PODMAN, &ci),
			 -ENOENT);
}

static void check_bad(const char *data, enum container_runtime hint)
{
	struct container_info ci;

	switch (hint) {
	case RUNTIME_DOCKER:
		put("var/lib/docker/containers/" ID "/config.v2.json", data);
		break;
	case RUNTIME_CONTAINERD:
		put("run/containerd/io.containerd.runtime.v2.task/k8s.io/" ID "/config.json", data);
		break;
	default:
		put("var/lib/containers/storage/overlay-containers/" ID "/userdata/config.json",
		    data);
		break;
	}
	blank(&ci);
	assert_int_equal(container_meta_read(&roots, ID, hint, &ci), -EBADMSG);
	assert_string_equal(ci.name, "");
	assert_string_equal(ci.image, "");
	assert_string_equal(ci.pod_name, "");
	assert_int_equal(ci.privileged, TRI_UNKNOWN);
}

static void test_malformed(void **state)
{
	char *deep;
	size_t i;

	(void)state;
	/* truncated in the middle of a value */
	check_bad("{\"annotations\":{\"io.container.manager\":\"lib", RUNTIME_PODMAN);
	check_bad("{\"Name\":\"/x\",\"Config\":{\"Image\":\"nginx", RUNTIME_DOCKER);
	check_bad("", RUNTIME_CONTAINERD);
	check_bad("not json", RUNTIME_CONTAINERD);
	check_bad("[1,2,3]", RUNTIME_DOCKER);
	check_bad("\"string\"", RUNTIME_PODMAN);
	/* nesting deeper than the parser allows */
	deep = malloc(20001);
	assert_non_null(deep);
	for (i = 0; i < 10000; i++) {
		deep[i] = '[';
		deep[10000 + i] = ']';
	}
	deep[20000] = '\0';
	check_bad(deep, RUNTIME_CONTAINERD);
	free(deep);
}

static void test_wrong_types(void **state)
{
	struct container_info ci;

	(void)state;
	/* valid JSON, wrong shapes: read, but nothing filled */
	put("var/lib/docker/containers/" ID "/config.v2.json",
	    "{\"Name\":5,\"Config\":{\"Image\":[\"x\"],\"Labels\":\"io.kubernetes.pod.name\"}}");
	put("var/lib/docker/containers/" ID "/hostconfig.json", "{\"Privileged\":\"yes\"}");
	blank(&ci);
	assert_int_equal(container_meta_read(&roots, ID, RUNTIME_DOCKER, &ci), 0);
	assert_string_equal(ci.name, "");
	assert_string_equal(ci.image, "");
	assert_string_equal(ci.pod_name, "");
	assert_int_equal(ci.privileged, TRI_UNKNOWN);

	put("run/containerd/io.containerd.runtime.v2.task/k8s.io/" ID "/config.json",
	    "{\"annotations\":[\"io.kubernetes.cri.sandbox-name\"],\"process\":{\"capabilities\":"
	    "{\"bounding\":[1,2,null,{}]}}}");
	blank(&ci);
	assert_int_equal(container_meta_read(&roots, ID, RUNTIME_CONTAINERD, &ci), 0);
	assert_string_equal(ci.pod_name, "");
	assert_int_equal(ci.privileged, TRI_FALSE);
}

static void test_huge_and_special_files(void **state)
{
	struct container_info ci;
	char p[PATH_MAX * 2];
	int fd;

	(void)state;
	/* a valid start followed by more than META_FILE_MAX bytes: not read */
	put("var/lib/docker/containers/" ID "/config.v2.json", "{\"Name\":\"/big\"}");
	snprintf(p, sizeof(p), "%s/var/lib/docker/containers/" ID "/config.v2.json", tmpdir);
	fd = open(p, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, META_FILE_MAX + 1), 0);
	close(fd);
	blank(&ci);
	assert_int_equal(container_meta_read(&roots, ID, RUNTIME_DOCKER, &ci), -EBADMSG);
	assert_string_equal(ci.name, "");

	/* a FIFO where a state file should be must not block */
	assert_int_equal(unlink(p), 0);
	assert_int_equal(mkfifo(p, 0644), 0);
	blank(&ci);
	assert_int_equal(container_meta_read(&roots, ID, RUNTIME_DOCKER, &ci), -EBADMSG);
}

static void test_long_values_cut(void **state)
{
	struct container_info ci;
	char *json, *name;

	(void)state;
	name = malloc(5000);
	json = malloc(16000);
	assert_non_null(name);
	assert_non_null(json);
	memset(name, 'n', 4999);
	name[4999] = '\0';
	snprintf(json, 16000, "{\"Name\":\"/%s\",\"Config\":{\"Image\":\"%s:%s\"}}", name, name,
		 name);
	put("var/lib/docker/containers/" ID "/config.v2.json", json);
	blank(&ci);
	assert_int_equal(container_meta_read(&roots, ID, RUNTIME_DOCKER, &ci), 0);
	assert_int_equal(strlen(ci.name), sizeof(ci.name) - 1);
	assert_int_equal(strlen(ci.image), sizeof(ci.image) - 1);
	assert_true(strlen(ci.image_repository) < sizeof(ci.image_repository));
	free(name);
	free(json);
}

static void test_image_split(void **state)
{
	static const struct {
		const char *image, *repo, *tag;
	} cases[] = {
		{"docker.io/library/nginx:1.25", "docker.io/library/nginx", "1.25"},
		{"nginx", "nginx", ""},
		{"nginx:latest", "nginx", "latest"},
		{"reg:5000/app", "reg:5000/app", ""},
		{"reg:5000/app:v2", "reg:5000/app", "v2"},
		{"localhost/bbox:test", "localhost/bbox", "test"},
		{"quay.io/a/b@sha256:0123abcd", "quay.io/a/b", ""},
		{"quay.io/a/b:1.0@sha256:0123abcd", "quay.io/a/b", "1.0"},
		{"sha256:0123abcd", "", ""},
		{"", "", ""},
	};
	char repo[64], tag[32];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		image_split(cases[i].image, repo, sizeof(repo), tag, sizeof(tag));
		if (strcmp(repo, cases[i].repo) || strcmp(tag, cases[i].tag))
			fail_msg("%s -> '%s' '%s'", cases[i].image, repo, tag);
	}
	image_split(NULL, repo, sizeof(repo), tag, sizeof(tag));
	assert_string_equal(repo, "");
	/* small buffers are cut, never overrun */
	image_split("docker.io/library/nginx:1.25", repo, 6, tag, 2);
	assert_string_equal(repo, "docke");
	assert_string_equal(tag, "1");
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roots_default),
		T(test_podman),
		T(test_podman_privileged),
		T(test_containerd_cri),
		T(test_containerd_privileged_spec),
		T(test_crio),
		T(test_docker),
		T(test_docker_via_containerd),
		T(test_missing_and_invalid),
		T(test_malformed),
		T(test_wrong_types),
		T(test_huge_and_special_files),
		T(test_long_values_cut),
		cmocka_unit_test(test_image_split),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
