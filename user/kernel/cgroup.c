// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "context/container_id.h"
#include "kernel/cgroup.h"
#include "lib/file.h"

#define PROC_CGROUP_MAX 16384

const char *const cgroup_v1_controllers[] = {"pids", "memory", NULL};

/* Whether the comma-separated list holds name as a whole item. */
static bool list_has(const char *list, size_t len, const char *name)
{
	size_t n = strlen(name);
	const char *p = list, *end = list + len;

	while (p < end) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		size_t item = comma ? (size_t)(comma - p) : (size_t)(end - p);

		if (item == n && !memcmp(p, name, n))
			return true;
		p += item + 1;
	}
	return false;
}

int cgroup_hierarchy_parse(const char *text, size_t len, struct cgroup_hierarchy *out)
{
	int best = -1, best_id = 0;
	const char *p = text, *end = text + len;

	memset(out, 0, sizeof(*out));
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;
		const char *c1 = memchr(p, ':', (size_t)(eol - p));
		const char *c2 = c1 ? memchr(c1 + 1, ':', (size_t)(eol - c1 - 1)) : NULL;

		/* "hierarchy-id:controller-list:path"; v2 is "0::path" */
		if (c1 && c2) {
			if (c1 - p == 1 && p[0] == '0' && c2 == c1 + 1) {
				out->v2 = true;
				return 0;
			}
			for (int i = 0; cgroup_v1_controllers[i] && (best < 0 || i < best); i++) {
				if (list_has(c1 + 1, (size_t)(c2 - c1 - 1),
					     cgroup_v1_controllers[i])) {
					best = i;
					best_id = atoi(p);
				}
			}
		}
		p = eol + 1;
	}
	if (best < 0)
		return -ENOENT;
	snprintf(out->controller, sizeof(out->controller), "%s", cgroup_v1_controllers[best]);
	out->hierarchy_id = best_id;
	return 0;
}

int cgroup_hierarchy_pick(struct cgroup_hierarchy *out)
{
	char *buf = malloc(PROC_CGROUP_MAX);
	ssize_t n;
	int ret;

	if (!buf)
		return -ENOMEM;
	n = file_read_small("/proc/self/cgroup", buf, PROC_CGROUP_MAX);
	ret = n < 0 ? (int)n : cgroup_hierarchy_parse(buf, (size_t)n, out);
	free(buf);
	return ret;
}

int cgroup_mount_line(const char *line, const struct cgroup_hierarchy *h, char *path, size_t len)
{
	char mnt[1024], fstype[64], opts[1024];

	if (sscanf(line, "%*s %1023s %63s %1023s", mnt, fstype, opts) != 3)
		return -ENOENT;
	if (h->v2 ? strcmp(fstype, "cgroup2")
		  : strcmp(fstype, "cgroup") || !list_has(opts, strlen(opts), h->controller))
		return -ENOENT;
	if (snprintf(path, len, "%s", mnt) >= (int)len)
		return -ENAMETOOLONG;
	return 0;
}

int cgroup_mount_find(const struct cgroup_hierarchy *h, char *path, size_t len)
{
	FILE *f = fopen("/proc/self/mounts", "re");
	char *line = NULL;
	size_t cap = 0;
	int ret = -ENOENT;

	if (!f)
		return -errno;
	while (ret == -ENOENT && getline(&line, &cap, f) > 0)
		ret = cgroup_mount_line(line, h, path, len);
	free(line);
	fclose(f);
	return ret;
}

void cgroup_subsys_enum_name(const struct cgroup_hierarchy *h, char *buf, size_t len)
{
	snprintf(buf, len, "%s_cgrp_id", h->controller);
}

int proc_stat_starttime(const char *stat, unsigned long long *out)
{
	/* comm, in parentheses, may hold spaces and ')': fields count from the last ')' */
	const char *p = strrchr(stat, ')');
	int field = 2;

	if (!p)
		return -EINVAL;
	for (p++; *p && field < 22; p++)
		if (*p == ' ' && p[1] && p[1] != ' ')
			field++;
	if (field != 22 || sscanf(p, "%llu", out) != 1)
		return -EINVAL;
	return 0;
}

#define CGROUP_PROCS_MAX (64 * 1024) /* bytes of cgroup.procs read: ~9000 pids */

uint32_t cgroup_oldest_pid(int dirfd, const char *proc_root)
{
	unsigned long long best_t = 0, t;
	char path[128], stat[1024], *buf, *line, *save;
	uint32_t best = 0;
	size_t used = 0;
	ssize_t n;
	int fd;

	fd = openat(dirfd, "cgroup.procs", O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return 0;
	buf = malloc(CGROUP_PROCS_MAX + 1);
	if (!buf) {
		close(fd);
		return 0;
	}
	/* kernfs says size 0: read until EOF, bounded */
	while (used < CGROUP_PROCS_MAX && (n = read(fd, buf + used, CGROUP_PROCS_MAX - used)) > 0)
		used += (size_t)n;
	close(fd);
	buf[used] = 0;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *end;
		unsigned long pid = strtoul(line, &end, 10);

		if (*end || !pid || pid > UINT32_MAX)
			continue;
		snprintf(path, sizeof(path), "%s/%lu/stat", proc_root, pid);
		n = file_read_small(path, stat, sizeof(stat) - 1);
		if (n <= 0)
			continue;
		stat[n] = 0;
		if (proc_stat_starttime(stat, &t))
			continue;
		if (!best || t < best_t) {
			best = (uint32_t)pid;
			best_t = t;
		}
	}
	free(buf);
	return best;
}

struct scan {
	int (*mark)(void *ctx, uint64_t cgroup_id, int dirfd);
	void *ctx;
	size_t *marked;
};

static int scan_dir(const struct scan *s, int dirfd, int depth)
{
	struct dirent *de;
	DIR *d;
	int ret = 0;

	if (depth > CGROUP_SCAN_MAX_DEPTH) {
		close(dirfd);
		return 0;
	}
	d = fdopendir(dirfd);
	if (!d) {
		close(dirfd);
		return -errno;
	}
	while ((de = readdir(d))) {
		struct stat st;
		int sub;

		if (de->d_type != DT_DIR || de->d_name[0] == '.')
			continue;
		sub = openat(dirfd, de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
		if (sub < 0)
			continue;
		/* On cgroupfs the inode number is the kernfs node id, the cgroup id. */
		if (cgroup_name_has_container_id(de->d_name) && !fstat(sub, &st)) {
			ret = s->mark(s->ctx, st.st_ino, sub);
			if (ret) {
				close(sub);
				break;
			}
			(*s->marked)++;
		}
		ret = scan_dir(s, sub, depth + 1);
		if (ret)
			break;
	}
	closedir(d);
	return ret;
}

int cgroup_scan(const char *root, int (*mark)(void *ctx, uint64_t cgroup_id, int dirfd), void *ctx,
		size_t *marked)
{
	struct scan s = {.mark = mark, .ctx = ctx, .marked = marked};
	int fd;

	*marked = 0;
	fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	return scan_dir(&s, fd, 0);
}
