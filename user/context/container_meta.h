/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Container and Kubernetes metadata from the runtimes' own state on the node,
 * read-only and bounded: no runtime API, no socket, no network. Every source
 * is optional; a missing, malformed, truncated or oversized file leaves the
 * fields it would have filled empty (null).
 */
#ifndef SS_CONTAINER_META_H
#define SS_CONTAINER_META_H

#include <stddef.h>

#include "event/exec_event.h"

#define META_FILE_MAX (4u << 20) /* larger state files are not read */
#define META_JSON_DEPTH 32
#define META_CONTAINERD_NS_MAX 64 /* containerd namespaces probed per lookup */

/*
 * State folders. Defaults, under prefix:
 *   docker      /var/lib/docker              containers/<id>/config.v2.json, hostconfig.json
 *   containerd  /run/containerd/io.containerd.runtime.v2.task   <ns>/<id>/config.json
 *   crio        /run/containers/storage      (run root: cri-o's bundles)
 *   podman      /var/lib/containers/storage  (graph root: podman's bundles, containers.json)
 * cri-o and podman share the containers/storage layout, so both folders are
 * probed for either runtime: overlay-containers/<id>/userdata/config.json.
 */
struct runtime_roots {
	char prefix[256]; /* before the paths the state files name (a host mount) */
	char docker[512];
	char containerd[512];
	char crio[512];
	char podman[512];
};

/* prefix: "" for the node's own root, or a test or host-mount folder. */
void runtime_roots_default(struct runtime_roots *r, const char *prefix);

/*
 * Fill name, image (+repository, tag), privileged, k8s fields, runtime and
 * rootfs (the OCI bundle's root.path, under the prefix) of out for a 64-hex
 * full id; id, full_id and is_container are left alone.
 * hint RUNTIME_UNKNOWN (or NONE) probes every runtime's state. 0 when a state
 * file was read, -ENOENT when none exists, -EBADMSG when what exists could
 * not be parsed, -EINVAL for an id that is not 64 lowercase hex.
 */
int container_meta_read(const struct runtime_roots *roots, const char *full_id,
			enum container_runtime hint, struct container_info *out);

/*
 * Pure parsers, one per state file format; each fills only fields still
 * empty (and privileged while TRI_UNKNOWN), so sources combine in order.
 * 0, or -EBADMSG for input that is not the expected JSON.
 */
/* OCI runtime config.json: CRI (containerd), cri-o and podman annotations. */
int meta_parse_oci_config(const char *buf, size_t len, struct container_info *out);
/* docker containers/<id>/config.v2.json */
int meta_parse_docker_config(const char *buf, size_t len, struct container_info *out);
/* docker containers/<id>/hostconfig.json */
int meta_parse_docker_hostconfig(const char *buf, size_t len, struct container_info *out);
/* containers/storage overlay-containers/containers.json; -ENOENT when id is not listed */
int meta_parse_storage_containers(const char *buf, size_t len, const char *full_id,
				  struct container_info *out);

/*
 * Falco's split of an image reference: "docker.io/library/nginx:1.25" ->
 * repository "docker.io/library/nginx", tag "1.25"; a registry port is not a
 * tag ("reg:5000/app" has none); a digest ("@sha256:...") is dropped.
 */
void image_split(const char *image, char *repo, size_t repo_len, char *tag, size_t tag_len);

#endif /* SS_CONTAINER_META_H */
