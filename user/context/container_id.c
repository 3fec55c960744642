/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Cgroup naming layouts, as runtimes write them:
 *   docker      /docker/<id>, docker-<id>.scope
 *   containerd  cri-containerd-<id>.scope, <slice>:cri-containerd:<id>,
 *               /kubepods/<qos>/pod<uid>/<id>, nerdctl-<id>.scope, /nerdctl/<id>
 *   cri-o       crio-<id>.scope (crio-conmon-<id>.scope is conmon, not the container)
 *   podman      libpod-<id>.scope, libpod-<id> (cgroupfs), libpod-payload-<id>
 * <id> is exactly 64 lowercase hex characters; anything else is not an id.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "context/container_id.h"

/* Bound on the work done for one path: cgroup paths are short in practice. */
#define CGROUP_PATH_MAX 4096

struct name_layout {
	const char *prefix;
	enum container_runtime runtime;
	bool is_container; /* false: a runtime helper's cgroup, never an id */
};

/* Longer prefixes first: "libpod-payload-" must win over "libpod-". */
static const struct name_layout prefixed_layouts[] = {
	{"crio-conmon-", RUNTIME_CRIO, false},
	{"libpod-conmon-", RUNTIME_PODMAN, false},
	{"libpod-payload-", RUNTIME_PODMAN, true},
	{"libpod-", RUNTIME_PODMAN, true},
	{"cri-containerd-", RUNTIME_CONTAINERD, true},
	{"docker-", RUNTIME_DOCKER, true},
	{"crio-", RUNTIME_CRIO, true},
	{"nerdctl-", RUNTIME_CONTAINERD, true},
};

/* systemd cgroupsPath form "<slice>:<prefix>:<id>" seen in cgroup v1 names */
static const struct name_layout colon_layouts[] = {
	{"cri-containerd", RUNTIME_CONTAINERD, true},
	{"crio", RUNTIME_CRIO, true},
	{"docker", RUNTIME_DOCKER, true},
	{"libpod", RUNTIME_PODMAN, true},
};

/* A bare-id leaf takes its runtime from the parent folder's name. */
static const struct name_layout parent_layouts[] = {
	{"docker", RUNTIME_DOCKER, true},
	{"nerdctl", RUNTIME_CONTAINERD, true},
};

static bool is_lower_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

static bool span_is_id(const char *s, size_t n)
{
	size_t i;

	if (n != CONTAINER_ID_LEN)
		return false;
	for (i = 0; i < n; i++)
		if (!is_lower_hex(s[i]))
			return false;
	return true;
}

bool container_id_is_valid(const char *s)
{
	return s && strnlen(s, CONTAINER_ID_LEN + 1) == CONTAINER_ID_LEN &&
	       span_is_id(s, CONTAINER_ID_LEN);
}

static bool span_equals(const char *s, size_t n, const char *lit)
{
	size_t l = strlen(lit);

	return n == l && memcmp(s, lit, l) == 0;
}

static bool span_starts_with(const char *s, size_t n, const char *lit)
{
	size_t l = strlen(lit);

	return n >= l && memcmp(s, lit, l) == 0;
}

/*
 * Match one path component. Returns 1 with *id pointing at the 64 hex
 * characters, 0 when the component carries no id, -1 when it names a
 * runtime helper (conmon) whose cgroup must not be taken for a container.
 */
static int match_component(const char *s, size_t n, const char **id, enum container_runtime *rt)
{
	const char *colon;
	size_t i;

	if (n > 6 && memcmp(s + n - 6, ".scope", 6) == 0)
		n -= 6;
	if (span_is_id(s, n)) {
		*id = s;
		*rt = RUNTIME_UNKNOWN;
		return 1;
	}
	for (i = 0; i < sizeof(prefixed_layouts) / sizeof(prefixed_layouts[0]); i++) {
		const struct name_layout *l = &prefixed_layouts[i];
		size_t pl = strlen(l->prefix);

		if (!span_starts_with(s, n, l->prefix))
			continue;
		if (!span_is_id(s + pl, n - pl))
			return 0;
		if (!l->is_container)
			return -1;
		*id = s + pl;
		*rt = l->runtime;
		return 1;
	}
	/* "<slice>:<prefix>:<id>": the id is the last 64 bytes after a colon */
	if (n > CONTAINER_ID_LEN + 1 && s[n - CONTAINER_ID_LEN - 1] == ':' &&
	    span_is_id(s + n - CONTAINER_ID_LEN, CONTAINER_ID_LEN)) {
		size_t end = n - CONTAINER_ID_LEN - 1;

		colon = memrchr(s, ':', end);
		if (!colon)
			return 0;
		for (i = 0; i < sizeof(colon_layouts) / sizeof(colon_layouts[0]); i++) {
			if (span_equals(colon + 1, end - (size_t)(colon + 1 - s),
					colon_layouts[i].prefix)) {
				*id = s + n - CONTAINER_ID_LEN;
				*rt = colon_layouts[i].runtime;
				return 1;
			}
		}
	}
	return 0;
}

static void copy_ids(const char *id, char full_id[65], char short_id[13])
{
	if (full_id) {
		memcpy(full_id, id, CONTAINER_ID_LEN);
		full_id[CONTAINER_ID_LEN] = '\0';
	}
	if (short_id) {
		memcpy(short_id, id, CONTAINER_SHORT_ID_LEN);
		short_id[CONTAINER_SHORT_ID_LEN] = '\0';
	}
}

int container_id_from_cgroup(const char *cgroup, enum container_runtime *runtime, char full_id[65],
			     char short_id[13])
{
	const char *id = NULL, *start, *end;
	enum container_runtime rt = RUNTIME_UNKNOWN;
	size_t len, i;
	int m = 0;

	if (!cgroup)
		return -ENOENT;
	len = strnlen(cgroup, CGROUP_PATH_MAX + 1);
	if (len > CGROUP_PATH_MAX)
		return -ENOENT;

	/* walk components from the leaf up */
	end = cgroup + len;
	while (end > cgroup) {
		const char *slash = memrchr(cgroup, '/', (size_t)(end - cgroup));

		start = slash ? slash + 1 : cgroup;
		if (end > start) {
			m = match_component(start, (size_t)(end - start), &id, &rt);
			if (m != 0)
				break;
		}
		if (!slash)
			break;
		end = slash;
	}
	if (m <= 0)
		return -ENOENT;

	if (rt == RUNTIME_UNKNOWN && start > cgroup + 1) {
		const char *pend = start - 1; /* the slash before this component */
		const char *pslash = memrchr(cgroup, '/', (size_t)(pend - cgroup));
		const char *pstart = pslash ? pslash + 1 : cgroup;

		for (i = 0; i < sizeof(parent_layouts) / sizeof(parent_layouts[0]); i++)
			if (span_equals(pstart, (size_t)(pend - pstart), parent_layouts[i].prefix))
				rt = parent_layouts[i].runtime;
	}
	if (runtime)
		*runtime = rt;
	copy_ids(id, full_id, short_id);
	return 0;
}

bool cgroup_name_has_container_id(const char *name)
{
	return container_id_from_cgroup(name, NULL, NULL, NULL) == 0;
}

int container_id_from_proc_cgroup(const char *text, size_t len, const char *want_leaf,
				  enum container_runtime *runtime, char full_id[65],
				  char short_id[13])
{
	char path[CGROUP_PATH_MAX + 1];
	char best_full[65];
	enum container_runtime best_rt = RUNTIME_UNKNOWN;
	bool found = false;
	size_t pos = 0;

	while (pos < len) {
		const char *line = text + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t ll = nl ? (size_t)(nl - line) : len - pos;
		const char *c1, *c2, *p, *leaf;
		enum container_runtime rt;
		char fid[65];
		size_t pl;
		bool unified;

		pos += ll + (nl ? 1 : 0);
		/* "hierarchy-id:controllers:path"; the path may itself hold ':' */
		c1 = memchr(line, ':', ll);
		if (!c1)
			continue;
		c2 = memchr(c1 + 1, ':', ll - (size_t)(c1 + 1 - line));
		if (!c2)
			continue;
		p = c2 + 1;
		pl = ll - (size_t)(p - line);
		if (pl == 0 || pl > CGROUP_PATH_MAX || memchr(p, '\0', pl))
			continue;
		memcpy(path, p, pl);
		path[pl] = '\0';
		if (want_leaf) {
			leaf = strrchr(path, '/');
			leaf = leaf ? leaf + 1 : path;
			if (strcmp(leaf, want_leaf) != 0)
				continue;
		}
		if (container_id_from_cgroup(path, &rt, fid, NULL) != 0)
			continue;
		unified = c1 - line == 1 && line[0] == '0' && c2 == c1 + 1;
		if (!found || unified) {
			memcpy(best_full, fid, sizeof(best_full));
			best_rt = rt;
			found = true;
		}
		if (unified)
			break;
	}
	if (!found)
		return -ENOENT;
	if (runtime)
		*runtime = best_rt;
	copy_ids(best_full, full_id, short_id);
	return 0;
}

void container_info_unresolved(struct container_info *ci, bool pidns)
{
	ci->is_container = pidns;
	ci->runtime = pidns ? RUNTIME_UNKNOWN : RUNTIME_NONE;
	snprintf(ci->id, sizeof(ci->id), "%s", pidns ? "" : "host");
	snprintf(ci->full_id, sizeof(ci->full_id), "%s", pidns ? "" : "host");
}

bool container_info_from_event(const struct exec_event *ev, struct container_info *ci)
{
	enum container_runtime rt = RUNTIME_UNKNOWN;

	memset(ci, 0, sizeof(*ci));
	ci->privileged = TRI_UNKNOWN;
	if (container_id_from_cgroup(ev->cgroup_name, &rt, ci->full_id, ci->id)) {
		container_info_unresolved(ci, ev->flags & SS_F_PIDNS);
		return false;
	}
	ci->is_container = true;
	ci->runtime = rt;
	return true;
}

bool container_caps_privileged(uint64_t cap_effective, uint64_t cap_full)
{
	return (cap_effective & cap_full) == cap_full;
}
