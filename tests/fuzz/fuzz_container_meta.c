/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * libFuzzer target: every runtime state format parser takes any bytes,
 * never crashes, and leaves every string NUL-terminated within its field.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "context/container_meta.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ID "8fa687e4cf125c4f91e249399af2c3171e3fae5f350ea25fd9b39c826b2e7a78"

static void check(const struct container_info *ci)
{
	if (!memchr(ci->name, '\0', sizeof(ci->name)) ||
	    !memchr(ci->image, '\0', sizeof(ci->image)) ||
	    !memchr(ci->pod_name, '\0', sizeof(ci->pod_name)) ||
	    !memchr(ci->pod_namespace, '\0', sizeof(ci->pod_namespace)) ||
	    !memchr(ci->pod_uid, '\0', sizeof(ci->pod_uid)) ||
	    !memchr(ci->k8s_container_name, '\0', sizeof(ci->k8s_container_name)))
		abort();
	if (ci->privileged < TRI_UNKNOWN || ci->privileged > TRI_TRUE)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct container_info ci;
	char repo[64], tag[16], *s;

	memset(&ci, 0, sizeof(ci));
	ci.privileged = TRI_UNKNOWN;
	meta_parse_oci_config(buf, size, &ci);
	check(&ci);
	memset(&ci, 0, sizeof(ci));
	ci.privileged = TRI_UNKNOWN;
	meta_parse_docker_config(buf, size, &ci);
	meta_parse_docker_hostconfig(buf, size, &ci);
	check(&ci);
	memset(&ci, 0, sizeof(ci));
	ci.privileged = TRI_UNKNOWN;
	meta_parse_storage_containers(buf, size, ID, &ci);
	check(&ci);

	s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	image_split(s, repo, sizeof(repo), tag, sizeof(tag));
	if (!memchr(repo, '\0', sizeof(repo)) || !memchr(tag, '\0', sizeof(tag)))
		abort();
	free(s);
	return 0;
}
