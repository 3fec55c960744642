/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Where each runtime records what shellsentry reports (observed on podman
 * 4.3, documented for the others):
 *   containerd (CRI)  config.json annotations io.kubernetes.cri.container-name,
 *                     image-name, sandbox-name/-namespace/-uid, container-type
 *   cri-o             config.json annotations io.kubernetes.container.name,
 *                     io.kubernetes.pod.name/namespace/uid,
 *                     io.kubernetes.cri-o.ImageName, io.kubernetes.cri-o.PrivilegedRuntime
 *   podman            config.json annotations io.container.manager=libpod,
 *                     io.podman.annotations.privileged=TRUE|FALSE, user annotations
 *                     (io.kubernetes.pod.*); name and image only in containers.json
 *                     (names[0], metadata "image-name")
 *   docker            config.v2.json Name, Config.Image, Config.Labels
 *                     (io.kubernetes.*); hostconfig.json Privileged
 * When nothing records privileged, the OCI spec tells: a privileged
 * container gets (nearly) every capability in its bounding set, no seccomp
 * filter and no masked paths. Podman --privileged on this machine still
 * lacks CAP_SYS_RESOURCE, hence "nearly".
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "context/container_id.h"
#include "context/container_meta.h"
#include "lib/file.h"

/* Capabilities 0..37 existed before CAP_PERFMON (5.8): a floor for "all". */
#define PRIV_MIN_CAPS 38

void runtime_roots_default(struct runtime_roots *r, const char *prefix)
{
	if (!prefix)
		prefix = "";
	snprintf(r->prefix, sizeof(r->prefix), "%s", prefix);
	snprintf(r->docker, sizeof(r->docker), "%s/var/lib/docker", prefix);
	snprintf(r->containerd, sizeof(r->containerd),
		 "%s/run/containerd/io.containerd.runtime.v2.task", prefix);
	snprintf(r->crio, sizeof(r->crio), "%s/run/containers/storage", prefix);
	snprintf(r->podman, sizeof(r->podman), "%s/var/lib/containers/storage", prefix);
}

static void clear_meta(struct container_info *out)
{
	out->name[0] = '\0';
	out->image[0] = '\0';
	out->image_repository[0] = '\0';
	out->image_tag[0] = '\0';
	out->privileged = TRI_UNKNOWN;
	out->pod_name[0] = '\0';
	out->pod_namespace[0] = '\0';
	out->pod_uid[0] = '\0';
	out->k8s_container_name[0] = '\0';
	out->rootfs[0] = '\0';
}

static struct json_object *parse_json(const char *buf, size_t len)
{
	struct json_tokener *tok;
	struct json_object *obj;

	if (len > META_FILE_MAX || len > INT_MAX)
		return NULL;
	tok = json_tokener_new_ex(META_JSON_DEPTH);
	if (!tok)
		return NULL;
	obj = json_tokener_parse_ex(tok, buf, (int)len);
	if (json_tokener_get_error(tok) != json_tokener_success) {
		json_object_put(obj);
		obj = NULL;
	}
	json_tokener_free(tok);
	return obj;
}

static struct json_object *get(struct json_object *o, const char *key, enum json_type type)
{
	struct json_object *v;

	if (!o || !json_object_is_type(o, json_type_object))
		return NULL;
	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, type))
		return NULL;
	return v;
}

static const char *get_str(struct json_object *o, const char *key)
{
	struct json_object *v = get(o, key, json_type_string);

	return v ? json_object_get_string(v) : NULL;
}

/* Fill dst from src when dst is still empty; over-long values are cut. */
static void fill(char *dst, size_t n, const char *src)
{
	if (!src || !src[0] || dst[0])
		return;
	snprintf(dst, n, "%s", src);
}

static bool has_key_prefix(struct json_object *o, const char *prefix)
{
	size_t pl = strlen(prefix);

	json_object_object_foreach(o, key, val)
	{
		(void)val;
		if (strncmp(key, prefix, pl) == 0)
			return true;
	}
	return false;
}

static enum tristate oci_spec_privileged(struct json_object *root)
{
	struct json_object *linux_ = get(root, "linux", json_type_object);
	struct json_object *caps =
		get(get(root, "process", json_type_object), "capabilities", json_type_object);
	struct json_object *bnd = get(caps, "bounding", json_type_array);
	struct json_object *masked = get(linux_, "maskedPaths", json_type_array);
	bool sys_admin = false;
	size_t i, n;

	if (!bnd)
		return TRI_FALSE;
	n = json_object_array_length(bnd);
	for (i = 0; i < n; i++) {
		const char *c = json_object_get_string(json_object_array_get_idx(bnd, i));

		if (c && strcmp(c, "CAP_SYS_ADMIN") == 0)
			sys_admin = true;
	}
	if (!sys_admin || n < PRIV_MIN_CAPS)
		return TRI_FALSE;
	if (get(linux_, "seccomp", json_type_object))
		return TRI_FALSE;
	if (masked && json_object_array_length(masked) > 0)
		return TRI_FALSE;
	return TRI_TRUE;
}

static enum tristate bool_string(const char *s)
{
	if (!s)
		return TRI_UNKNOWN;
	if (strcasecmp(s, "true") == 0)
		return TRI_TRUE;
	if (strcasecmp(s, "false") == 0)
		return TRI_FALSE;
	return TRI_UNKNOWN;
}

/* io.kubernetes.{pod.name,pod.namespace,pod.uid,container.name} labels or annotations */
static void fill_k8s_labels(struct json_object *a, struct container_info *out)
{
	fill(out->pod_name, sizeof(out->pod_name), get_str(a, "io.kubernetes.pod.name"));
	fill(out->pod_namespace, sizeof(out->pod_namespace),
	     get_str(a, "io.kubernetes.pod.namespace"));
	fill(out->pod_uid, sizeof(out->pod_uid), get_str(a, "io.kubernetes.pod.uid"));
	fill(out->k8s_container_name, sizeof(out->k8s_container_name),
	     get_str(a, "io.kubernetes.container.name"));
}

int meta_parse_oci_config(const char *buf, size_t len, struct container_info *out)
{
	struct json_object *root = parse_json(buf, len);
	struct json_object *a;
	enum tristate priv = TRI_UNKNOWN;
	const char *ctype;

	if (!root || !json_object_is_type(root, json_type_object)) {
		json_object_put(root);
		return -EBADMSG;
	}
	a = get(root, "annotations", json_type_object);
	if (a) {
		const char *mgr = get_str(a, "io.container.manager");

		if (mgr && strcmp(mgr, "libpod") == 0) {
			out->runtime = RUNTIME_PODMAN;
			priv = bool_string(get_str(a, "io.podman.annotations.privileged"));
		} else if (has_key_prefix(a, "io.kubernetes.cri-o.")) {
			out->runtime = RUNTIME_CRIO;
			fill(out->image, sizeof(out->image),
			     get_str(a, "io.kubernetes.cri-o.ImageName"));
			fill(out->image, sizeof(out->image),
			     get_str(a, "io.kubernetes.cri-o.Image"));
			/* "false" only says the sandbox is not: the spec still decides */
			if (bool_string(get_str(a, "io.kubernetes.cri-o.PrivilegedRuntime")) ==
			    TRI_TRUE)
				priv = TRI_TRUE;
		} else if (has_key_prefix(a, "io.kubernetes.cri.")) {
			out->runtime = RUNTIME_CONTAINERD;
			ctype = get_str(a, "io.kubernetes.cri.container-type");
			fill(out->k8s_container_name, sizeof(out->k8s_container_name),
			     get_str(a, "io.kubernetes.cri.container-name"));
			fill(out->image, sizeof(out->image),
			     get_str(a, "io.kubernetes.cri.image-name"));
			fill(out->pod_name, sizeof(out->pod_name),
			     get_str(a, "io.kubernetes.cri.sandbox-name"));
			fill(out->pod_namespace, sizeof(out->pod_namespace),
			     get_str(a, "io.kubernetes.cri.sandbox-namespace"));
			fill(out->pod_uid, sizeof(out->pod_uid),
			     get_str(a, "io.kubernetes.cri.sandbox-uid"));
			/* the pause container of a pod has no container name of its own */
			if (ctype && strcmp(ctype, "sandbox") == 0)
				fill(out->k8s_container_name, sizeof(out->k8s_container_name),
				     "POD");
		}
		fill_k8s_labels(a, out);
		/* Falco's container.name for a Kubernetes container is its CRI name */
		fill(out->name, sizeof(out->name), out->k8s_container_name);
	}
	/* absolute, or relative to the bundle: the reader of the file resolves it */
	a = get(root, "root", json_type_object);
	if (a)
		fill(out->rootfs, sizeof(out->rootfs), get_str(a, "path"));
	if (priv == TRI_UNKNOWN)
		priv = oci_spec_privileged(root);
	if (out->privileged != TRI_TRUE && priv != TRI_UNKNOWN)
		out->privileged = priv;
	json_object_put(root);
	return 0;
}

int meta_parse_docker_config(const char *buf, size_t len, struct container_info *out)
{
	struct json_object *root = parse_json(buf, len);
	struct json_object *cfg, *labels;
	const char *name;

	if (!root || !json_object_is_type(root, json_type_object)) {
		json_object_put(root);
		return -EBADMSG;
	}
	name = get_str(root, "Name");
	if (name && name[0] == '/')
		name++;
	fill(out->name, sizeof(out->name), name);
	cfg = get(root, "Config", json_type_object);
	fill(out->image, sizeof(out->image), get_str(cfg, "Image"));
	labels = get(cfg, "Labels", json_type_object);
	if (labels)
		fill_k8s_labels(labels, out);
	json_object_put(root);
	return 0;
}

int meta_parse_docker_hostconfig(const char *buf, size_t len, struct container_info *out)
{
	struct json_object *root = parse_json(buf, len);
	struct json_object *p;

	if (!root || !json_object_is_type(root, json_type_object)) {
		json_object_put(root);
		return -EBADMSG;
	}
	p = get(root, "Privileged", json_type_boolean);
	if (p && out->privileged != TRI_TRUE)
		out->privileged = json_object_get_boolean(p) ? TRI_TRUE : TRI_FALSE;
	json_object_put(root);
	return 0;
}

int meta_parse_storage_containers(const char *buf, size_t len, const char *full_id,
				  struct container_info *out)
{
	struct json_object *root = parse_json(buf, len);
	size_t i, n;
	int err = -ENOENT;

	if (!root || !json_object_is_type(root, json_type_array)) {
		json_object_put(root);
		return -EBADMSG;
	}
	n = json_object_array_length(root);
	for (i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(root, i);
		struct json_object *names, *meta = NULL;
		const char *id = get_str(e, "id"), *ms;

		if (!id || !full_id || strcmp(id, full_id) != 0)
			continue;
		names = get(e, "names", json_type_array);
		if (names && json_object_array_length(names) > 0) {
			struct json_object *n0 = json_object_array_get_idx(names, 0);

			if (json_object_is_type(n0, json_type_string))
				fill(out->name, sizeof(out->name), json_object_get_string(n0));
		}
		/* "metadata" is itself JSON, in a string */
		ms = get_str(e, "metadata");
		if (ms)
			meta = parse_json(ms, strlen(ms));
		fill(out->image, sizeof(out->image), get_str(meta, "image-name"));
		fill(out->name, sizeof(out->name), get_str(meta, "name"));
		json_object_put(meta);
		err = 0;
		break;
	}
	json_object_put(root);
	return err;
}

void image_split(const char *image, char *repo, size_t repo_len, char *tag, size_t tag_len)
{
	size_t n, slash = 0, colon = 0, i;
	const char *at;

	if (repo_len)
		repo[0] = '\0';
	if (tag_len)
		tag[0] = '\0';
	if (!image || !image[0])
		return;
	/* an image id, not a reference */
	if (strncmp(image, "sha256:", 7) == 0)
		return;
	at = strchr(image, '@');
	n = at ? (size_t)(at - image) : strlen(image);
	for (i = 0; i < n; i++) {
		if (image[i] == '/')
			slash = i + 1;
		else if (image[i] == ':')
			colon = i + 1;
	}
	if (colon > slash) {
		/* a colon after the last slash separates the tag */
		if (repo_len)
			snprintf(repo, repo_len, "%.*s", (int)(colon - 1), image);
		if (tag_len)
			snprintf(tag, tag_len, "%.*s", (int)(n - colon), image + colon);
	} else if (repo_len) {
		snprintf(repo, repo_len, "%.*s", (int)n, image);
	}
}

typedef int (*parse_fn)(const char *buf, size_t len, struct container_info *out);

/* 0 parsed, -ENOENT absent, -EBADMSG (or a read error) present but unusable */
static int parse_file(const char *path, parse_fn fn, struct container_info *out)
{
	char *buf = NULL;
	size_t len = 0;
	int err;

	err = file_read_at(AT_FDCWD, path, META_FILE_MAX, &buf, &len);
	if (err == -ENOENT || err == -ENOTDIR)
		return -ENOENT;
	if (err)
		return -EBADMSG;
	err = fn(buf, len, out);
	free(buf);
	return err;
}

/* Combine the results of two sources: any success wins, then "present but bad". */
static int combine(int a, int b)
{
	if (a == 0 || b == 0)
		return 0;
	if (a == -EBADMSG || b == -EBADMSG)
		return -EBADMSG;
	return -ENOENT;
}

static int read_docker(const struct runtime_roots *roots, const char *id,
		       struct container_info *out)
{
	char path[PATH_MAX];
	int err;

	snprintf(path, sizeof(path), "%s/containers/%s/config.v2.json", roots->docker, id);
	err = parse_file(path, meta_parse_docker_config, out);
	if (err == -ENOENT)
		return err;
	snprintf(path, sizeof(path), "%s/containers/%s/hostconfig.json", roots->docker, id);
	err = combine(err, parse_file(path, meta_parse_docker_hostconfig, out));
	if (err == 0)
		out->runtime = RUNTIME_DOCKER;
	return err;
}

static int read_containerd(const struct runtime_roots *roots, const char *id,
			   struct container_info *out)
{
	char path[PATH_MAX];
	struct dirent *d;
	DIR *dir;
	int err = -ENOENT, seen = 0;

	dir = opendir(roots->containerd);
	if (!dir)
		return -ENOENT;
	/* the namespace is not in the cgroup path: look in each (k8s.io, moby, default) */
	while ((d = readdir(dir)) && seen < META_CONTAINERD_NS_MAX) {
		if (d->d_name[0] == '.')
			continue;
		seen++;
		if (snprintf(path, sizeof(path), "%s/%s/%s/config.json", roots->containerd,
			     d->d_name, id) >= (int)sizeof(path))
			continue;
		err = combine(err, parse_file(path, meta_parse_oci_config, out));
		if (err == 0) {
			/* docker runs its containers in containerd's "moby" namespace */
			if (strcmp(d->d_name, "moby") == 0)
				out->runtime = RUNTIME_DOCKER;
			else if (out->runtime != RUNTIME_CRIO && out->runtime != RUNTIME_PODMAN)
				out->runtime = RUNTIME_CONTAINERD;
			break;
		}
	}
	closedir(dir);
	return err;
}

static int read_storage(const struct runtime_roots *roots, const char *id,
			enum container_runtime hint, struct container_info *out)
{
	const char *const dirs[] = {roots->podman, roots->crio};
	enum container_runtime before = out->runtime;
	char path[PATH_MAX];
	int err = -ENOENT, e;
	size_t i;

	out->runtime = RUNTIME_UNKNOWN;
	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/overlay-containers/%s/userdata/config.json",
			 dirs[i], id);
		err = combine(err, parse_file(path, meta_parse_oci_config, out));
		if (err == 0)
			break;
	}
	for (i = 0; i < 2; i++) {
		char *buf = NULL;
		size_t len = 0;

		snprintf(path, sizeof(path), "%s/overlay-containers/containers.json", dirs[i]);
		e = file_read_at(AT_FDCWD, path, META_FILE_MAX, &buf, &len);
		if (e == -ENOENT)
			continue;
		e = e ? -EBADMSG : meta_parse_storage_containers(buf, len, id, out);
		free(buf);
		err = combine(err, e);
		if (e == 0)
			break;
	}
	if (err == 0 && out->runtime == RUNTIME_UNKNOWN)
		out->runtime =
			(hint == RUNTIME_CRIO || hint == RUNTIME_PODMAN) ? hint : RUNTIME_UNKNOWN;
	if (err != 0)
		out->runtime = before;
	return err;
}

/*
 * root.path names the node's folder (under the prefix when the node's root is
 * mounted elsewhere) or, relative, a folder of the bundle: containerd's
 * <ns>/<id>/rootfs. Docker's bundle is containerd's, in namespace moby.
 */
static void resolve_rootfs(const struct runtime_roots *roots, const char *id,
			   struct container_info *out)
{
	char path[PATH_MAX], ns[PATH_MAX];
	struct container_info tmp;
	struct dirent *d;
	DIR *dir;
	int n = 0;

	if (!out->rootfs[0] && out->runtime == RUNTIME_DOCKER) {
		memset(&tmp, 0, sizeof(tmp));
		snprintf(path, sizeof(path), "%s/moby/%s/config.json", roots->containerd, id);
		if (!parse_file(path, meta_parse_oci_config, &tmp))
			fill(out->rootfs, sizeof(out->rootfs), tmp.rootfs);
	}
	if (!out->rootfs[0])
		return;
	if (out->rootfs[0] == '/') {
		if (strlen(roots->prefix) + strlen(out->rootfs) < sizeof(out->rootfs)) {
			snprintf(path, sizeof(path), "%s%s", roots->prefix, out->rootfs);
			memcpy(out->rootfs, path, strlen(path) + 1);
		} else {
			out->rootfs[0] = '\0';
		}
		return;
	}
	/* relative: only containerd's bundles say "rootfs"; find its namespace */
	dir = opendir(roots->containerd);
	while (dir && (d = readdir(dir)) && n++ < META_CONTAINERD_NS_MAX) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(ns, sizeof(ns), "%s/%s/%s", roots->containerd, d->d_name, id);
		if (access(ns, F_OK))
			continue;
		if (strlen(ns) + 1 + strlen(out->rootfs) < sizeof(out->rootfs)) {
			snprintf(path, sizeof(path), "%s/%s", ns, out->rootfs);
			memcpy(out->rootfs, path, strlen(path) + 1);
			closedir(dir);
			return;
		}
	}
	if (dir)
		closedir(dir);
	out->rootfs[0] = '\0';
}

int container_meta_read(const struct runtime_roots *roots, const char *full_id,
			enum container_runtime hint, struct container_info *out)
{
	int err = -ENOENT;

	if (!roots || !out || !container_id_is_valid(full_id))
		return -EINVAL;
	clear_meta(out);
	switch (hint) {
	case RUNTIME_DOCKER:
		err = read_docker(roots, full_id, out);
		if (err != 0)
			err = combine(err, read_containerd(roots, full_id, out));
		break;
	case RUNTIME_CONTAINERD:
		err = read_containerd(roots, full_id, out);
		break;
	case RUNTIME_CRIO:
	case RUNTIME_PODMAN:
		err = read_storage(roots, full_id, hint, out);
		break;
	case RUNTIME_NONE:
	case RUNTIME_UNKNOWN:
	default:
		err = read_docker(roots, full_id, out);
		if (err != 0)
			err = combine(err, read_containerd(roots, full_id, out));
		if (err != 0)
			err = combine(err, read_storage(roots, full_id, hint, out));
		break;
	}
	image_split(out->image, out->image_repository, sizeof(out->image_repository),
		    out->image_tag, sizeof(out->image_tag));
	resolve_rootfs(roots, full_id, out);
	return err;
}
