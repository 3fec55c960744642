// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The maps the daemon writes and reads once the programs run: names of
 * interest, settings, sessions, executable verdicts, container cgroups and
 * counters.
 */
#include <errno.h>
#include <string.h>

#include <bpf/bpf.h>

#include "kernel/loader_state.h"

int loader_set_names(struct loader *l, const char (*names)[SS_NAME_KEY_LEN], const uint32_t *values,
		     size_t n)
{
	int fd = l->fds[FD_NAMES];
	char key[SS_NAME_KEY_LEN], next[SS_NAME_KEY_LEN];
	bool keep;

	/* Add first, then remove what is gone: no window with an empty filter. */
	for (size_t i = 0; i < n; i++) {
		char k[SS_NAME_KEY_LEN] = {};

		strncpy(k, names[i], SS_NAME_KEY_LEN - 1);
		if (bpf_map_update_elem(fd, k, &values[i], BPF_ANY))
			return -errno;
	}
	if (bpf_map_get_next_key(fd, NULL, key))
		return 0;
	for (;;) {
		int more = !bpf_map_get_next_key(fd, key, next);

		keep = false;
		for (size_t i = 0; i < n && !keep; i++)
			keep = !strncmp(key, names[i], SS_NAME_KEY_LEN - 1);
		if (!keep)
			bpf_map_delete_elem(fd, key);
		if (!more)
			break;
		memcpy(key, next, sizeof(key));
	}
	return 0;
}

int loader_write_config(struct loader *l, const struct ss_config *c)
{
	__u32 zero = 0;

	if (bpf_map_update_elem(l->fds[FD_SETTINGS], &zero, c, BPF_ANY))
		return -errno;
	l->config = *c;
	return 0;
}

int loader_set_config(struct loader *l, uint32_t cfg_flags)
{
	struct ss_config c = l->config;

	c.flags = cfg_flags;
	if (l->identity_off)
		c.flags &= ~SS_CFG_EXE_IDENTITY;
	return loader_write_config(l, &c);
}

int loader_set_sessions(struct loader *l, const struct loader_sessions *s)
{
	struct ss_config c = l->config;

	c.session_flags = l->sessions_supported ? s->start_flags : 0;
	c.session_max_commands = s->max_commands;
	c.session_rate = s->rate;
	c.session_max_members = s->max_members;
	return loader_write_config(l, &c);
}

bool loader_sessions_supported(const struct loader *l, const char **why)
{
	if (why)
		*why = l->session_err[0] ? l->session_err : "fork/exit hooks not attached";
	return l->sessions_supported;
}

int loader_exe_verdict_publish(void *ctx, const struct ss_exe_key *key,
			       const struct ss_exe_verdict *v)
{
	struct loader *l = ctx;
	int fd = l->fds[FD_EXE_VERDICTS];

	if (v)
		return bpf_map_update_elem(fd, key, v, BPF_ANY) ? -errno : 0;
	/* gone already (LRU eviction) is fine */
	return bpf_map_delete_elem(fd, key) && errno != ENOENT ? -errno : 0;
}

int loader_mark_cgroup(struct loader *l, uint64_t cgroup_id, bool container)
{
	return container ? loader_mark_container_cgroup(l, cgroup_id, 0)
			 : (bpf_map_delete_elem(l->fds[FD_CGROUPS], &cgroup_id) ? -errno : 0);
}

int loader_mark_container_cgroup(struct loader *l, uint64_t cgroup_id, uint32_t init_tgid)
{
	struct ss_cgroup_info v = {
		.init_tgid = init_tgid,
		.state = init_tgid ? SS_CG_INIT_KNOWN : SS_CG_INIT_UNKNOWN,
	};

	if (bpf_map_update_elem(l->fds[FD_CGROUPS], &cgroup_id, &v, BPF_ANY))
		return -errno;
	return 0;
}

/* A container cgroup found at start: its oldest process is taken as its init. */
static int mark_container(void *ctx, uint64_t cgroup_id, int dirfd)
{
	return loader_mark_container_cgroup(ctx, cgroup_id, cgroup_oldest_pid(dirfd, "/proc"));
}

int loader_cgroup_root(const struct loader *l, char *path, size_t len)
{
	return cgroup_mount_find(&l->cgroup, path, len);
}

int loader_scan_cgroups(struct loader *l, const char *root, size_t *marked)
{
	char path[1024];
	int ret;

	*marked = 0;
	if (!root) {
		ret = loader_cgroup_root(l, path, sizeof(path));
		if (ret)
			return ret;
		root = path;
	}
	return cgroup_scan(root, mark_container, l, marked);
}

int loader_read_counters(const struct loader *l, uint64_t out[SS_CNT_MAX])
{
	int fd = l->fds[FD_COUNTERS];
	__u64 vals[l->nr_cpus];

	for (__u32 i = 0; i < SS_CNT_MAX; i++) {
		out[i] = 0;
		if (bpf_map_lookup_elem(fd, &i, vals))
			return -errno;
		for (int c = 0; c < l->nr_cpus; c++)
			out[i] += vals[c];
	}
	return 0;
}
