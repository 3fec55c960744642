/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "context/container_cache.h"
#include "context/container_id.h"
#include "context/stdio_path.h"
#include "context/enrich.h"
#include "lib/file.h"
#include "context/passwd.h"
#include "context/proc_cmdline.h"

#define CAP_LAST_CAP_DEFAULT 40 /* CAP_CHECKPOINT_RESTORE, kernel 5.9+ */

struct enricher {
	struct runtime_roots roots;
	char proc_root[256];
	struct container_cache *cache;
	uint64_t cap_full;  /* every capability this kernel knows */
	int cgroup_root_fd; /* the hierarchy the kernel's cgroup ids come from; -1 if unknown */
};

/* include/linux/exportfs.h: kernfs (cgroupfs) file handles carry the node id. */
#define FILEID_KERNFS 0xfe
#define CGROUP_PROCS_MAX 4096

static uint64_t read_cap_full(const char *proc_root)
{
	char path[PATH_MAX], buf[16];
	long last = CAP_LAST_CAP_DEFAULT;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/sys/kernel/cap_last_cap", proc_root);
	n = file_read_small(path, buf, sizeof(buf) - 1);
	if (n > 0) {
		char *end;
		long v;

		buf[n] = '\0';
		v = strtol(buf, &end, 10);
		if (end != buf && v >= 0 && v < 64)
			last = v;
	}
	return last >= 63 ? UINT64_MAX : (1ull << (last + 1)) - 1;
}

int enricher_new(const struct runtime_roots *roots, const char *proc_root, size_t cache_max,
		 struct enricher **out)
{
	struct enricher *e;
	int err;

	if (!out)
		return -EINVAL;
	if (!proc_root)
		proc_root = "/proc";
	e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	if (roots)
		e->roots = *roots;
	else
		runtime_roots_default(&e->roots, "");
	if (snprintf(e->proc_root, sizeof(e->proc_root), "%s", proc_root) >=
	    (int)sizeof(e->proc_root)) {
		err = -ENAMETOOLONG;
		goto fail;
	}
	err = container_cache_new(cache_max, &e->cache);
	if (err)
		goto fail;
	e->cap_full = read_cap_full(e->proc_root);
	e->cgroup_root_fd = -1;
	*out = e;
	return 0;
fail:
	free(e);
	return err;
}

void enricher_free(struct enricher *e)
{
	if (!e)
		return;
	container_cache_free(e->cache);
	if (e->cgroup_root_fd >= 0)
		close(e->cgroup_root_fd);
	free(e);
}

void enricher_forget_cgroup(struct enricher *e, uint64_t cgroup_id)
{
	if (e)
		container_cache_remove(e->cache, cgroup_id);
}

/*
 * The id from the full cgroup path of a live process. The leaf must be the
 * one the kernel reported, so a pid reused since the exec is not believed.
 */
static int id_from_proc(const struct enricher *e, const struct exec_event *ev,
			enum container_runtime *rt, char full[65], char shrt[13])
{
	char path[PATH_MAX];
	char *buf;
	ssize_t n;
	int err;

	buf = malloc(ENRICH_PROC_CGROUP_MAX);
	if (!buf)
		return -ENOMEM;
	snprintf(path, sizeof(path), "%s/%u/cgroup", e->proc_root, ev->pid);
	n = file_read_small(path, buf, ENRICH_PROC_CGROUP_MAX);
	err = n < 0 ? (int)n
		    : container_id_from_proc_cgroup(buf, (size_t)n, ev->cgroup_name, rt, full,
						    shrt);
	free(buf);
	return err;
}

static void resolve_cgroup(const struct enricher *e, const struct exec_event *ev,
			   struct container_ctx *ctx, int *meta_err)
{
	enum container_runtime rt = RUNTIME_UNKNOWN;
	char full[65], shrt[13];
	bool pidns = ev->flags & SS_F_PIDNS;
	int r;

	memset(ctx, 0, sizeof(*ctx));
	ctx->info.runtime = RUNTIME_NONE;
	ctx->info.privileged = TRI_UNKNOWN;
	*meta_err = -ENOENT;

	r = container_id_from_cgroup(ev->cgroup_name, &rt, full, shrt);
	/*
	 * The kernel sends only the leaf: a bare id (/docker/<id>, kubepods)
	 * does not tell the runtime, and a pid-namespaced process may sit in a
	 * sub-cgroup of its container. The full path tells more.
	 */
	if ((r == 0 && rt == RUNTIME_UNKNOWN) || (r != 0 && pidns)) {
		enum container_runtime rt2;
		char full2[65], shrt2[13];

		if (id_from_proc(e, ev, &rt2, full2, shrt2) == 0) {
			rt = rt2;
			memcpy(full, full2, sizeof(full));
			memcpy(shrt, shrt2, sizeof(shrt));
			r = 0;
		}
	}
	if (r != 0)
		return;

	ctx->id_found = true;
	ctx->info.is_container = true;
	ctx->info.runtime = rt;
	memcpy(ctx->info.full_id, full, sizeof(full));
	memcpy(ctx->info.id, shrt, sizeof(shrt));
	*meta_err = container_meta_read(&e->roots, full, rt, &ctx->info);
	ctx->state_found = *meta_err == 0;
}

int enricher_set_cgroup_root(struct enricher *e, const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (e->cgroup_root_fd >= 0)
		close(e->cgroup_root_fd);
	e->cgroup_root_fd = fd;
	return 0;
}

/*
 * Some live process of a container's cgroup, found by cgroup id alone: the
 * id is the kernfs node id, which open_by_handle_at() takes as a handle
 * (needs CAP_DAC_READ_SEARCH, which the daemon keeps). Returns 0 and a pid.
 */
static int live_pid_in_cgroup(struct enricher *e, uint64_t cgroup_id, uint32_t *pid)
{
	union {
		struct file_handle fh;
		char buf[sizeof(struct file_handle) + sizeof(uint64_t)];
	} h;
	char procs[CGROUP_PROCS_MAX];
	int dfd, fd, ret = -ESRCH;
	unsigned long v;
	ssize_t n;

	if (e->cgroup_root_fd < 0)
		return -ENOENT;
	h.fh.handle_bytes = sizeof(uint64_t);
	h.fh.handle_type = FILEID_KERNFS;
	memcpy(h.fh.f_handle, &cgroup_id, sizeof(cgroup_id));
	dfd = open_by_handle_at(e->cgroup_root_fd, &h.fh, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	fd = openat(dfd, "cgroup.procs", O_RDONLY | O_CLOEXEC);
	close(dfd);
	if (fd < 0)
		return -errno;
	n = read(fd, procs, sizeof(procs) - 1);
	close(fd);
	if (n > 0) {
		procs[n] = 0;
		if (sscanf(procs, "%lu", &v) == 1 && v > 0 && v <= UINT32_MAX) {
			*pid = (uint32_t)v;
			ret = 0;
		}
	}
	return ret;
}

static void set_user_name(struct enricher *e, struct exec_event *ev, bool cacheable)
{
	char name[CONTAINER_CACHE_USER_NAME];
	int r, i;

	if (cacheable &&
	    container_cache_user_get(e->cache, ev->cgroup_id, ev->uid, name, sizeof(name)) == 0)
		goto out;
	r = passwd_lookup_in_proc_root(e->proc_root, ev->pid, ev->uid, name, sizeof(name));
	/*
	 * A short-lived shell may be gone already: an ancestor inside its pid
	 * namespace (vpid != 0) lives in the same container and sees the same
	 * /etc/passwd.
	 */
	for (i = 0; r == -ESRCH && i < ev->ancestor_count && i < SS_ANCESTORS; i++)
		if (ev->ancestors[i].vpid != 0 && ev->ancestors[i].pid != 0)
			r = passwd_lookup_in_proc_root(e->proc_root, ev->ancestors[i].pid, ev->uid,
						       name, sizeof(name));
	/*
	 * Still nothing (an injected shell gone, its parent outside): any live
	 * process of the container's own cgroup shares its root. Only for a
	 * cgroup that names a container: a host cgroup holds host processes.
	 */
	if (r == -ESRCH && ev->container.is_container && ev->container.full_id[0]) {
		uint32_t pid = 0;

		if (!live_pid_in_cgroup(e, ev->cgroup_id, &pid))
			r = passwd_lookup_in_proc_root(e->proc_root, pid, ev->uid, name,
						       sizeof(name));
	}
	/*
	 * No process of the container left (a short-lived `run --rm`): its root
	 * folder stays on the node until the runtime cleans it up.
	 */
	if (r == -ESRCH && ev->container.is_container && ev->container.rootfs[0])
		r = passwd_lookup_in_rootfs(ev->container.rootfs, ev->uid, name, sizeof(name));
	/* a host process that is gone: the host's files are init's */
	if (r == -ESRCH && !ev->container.is_container)
		r = passwd_lookup_in_proc_root(e->proc_root, 1, ev->uid, name, sizeof(name));
	if (r != 0)
		snprintf(name, sizeof(name), "%s", passwd_name_unread(ev->uid));
	/* a gone process proves nothing about the container's files: ask again next time */
	if (cacheable && r != -ESRCH)
		container_cache_user_put(e->cache, ev->cgroup_id, ev->uid, name);
out:
	snprintf(ev->user_name, sizeof(ev->user_name), "%s", name);
}

int enrich_exec_event_ex(struct enricher *e, struct exec_event *ev, struct enrich_result *res)
{
	struct container_ctx local, *ctx = NULL;
	struct container_info *ci;
	bool pidns, cacheable;
	int meta_err = 0;

	if (!e || !ev)
		return -EINVAL;
	pidns = ev->flags & SS_F_PIDNS;
	/* cgroup id 0: the kernel could not tell; nothing to key a cache entry on */
	cacheable = ev->cgroup_id != 0;
	if (cacheable)
		ctx = container_cache_get(e->cache, ev->cgroup_id);
	if (res)
		res->cached = ctx != NULL;
	if (!ctx) {
		resolve_cgroup(e, ev, &local, &meta_err);
		ctx = cacheable ? container_cache_put(e->cache, ev->cgroup_id, &local) : &local;
	} else {
		meta_err = ctx->state_found ? 0 : -ENOENT;
	}

	ev->container = ctx->info;
	ci = &ev->container;
	if (!ctx->id_found)
		container_info_unresolved(ci, pidns);
	if (ci->is_container && container_caps_privileged(ev->cap_effective, e->cap_full))
		ci->privileged = TRI_TRUE;
	if (res) {
		res->verified = !ctx->id_found || pidns || ctx->state_found;
		res->meta_err = meta_err;
	}
	set_user_name(e, ev, cacheable);
	/* paths the kernel did not send whole, while the process most likely lives */
	stdio_resolve_paths(e->proc_root, ev);
	cwd_resolve_cut(e->proc_root, ev);
	/*
	 * proc.pcmdline and proc.pexe (the parent's argv[0]): the parent's,
	 * while it lives (a shell's parent usually does)
	 */
	if (ev->ancestor_count > 0 && ev->ancestors[0].pid &&
	    proc_cmdline_read(e->proc_root, ev->ancestors[0].pid, ev->ancestors[0].comm,
			      ev->pcmdline, sizeof(ev->pcmdline), ev->pexe, sizeof(ev->pexe))) {
		ev->pcmdline[0] = '\0';
		ev->pexe[0] = '\0';
	}
	return 0;
}

int enrich_exec_event(struct enricher *e, struct exec_event *ev)
{
	return enrich_exec_event_ex(e, ev, NULL);
}
