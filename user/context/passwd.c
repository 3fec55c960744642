/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "context/passwd.h"
#include "lib/file.h"

static bool parse_uid(const char *s, size_t n, uint32_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (n == 0 || n > 10)
		return false;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}

static bool name_is_clean(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f)
			return false;
	}
	return n > 0;
}

int passwd_find_uid(const char *text, size_t len, uint32_t uid, char *name, size_t name_len)
{
	size_t pos = 0;

	while (pos < len) {
		const char *line = text + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t ll = nl ? (size_t)(nl - line) : len - pos;
		const char *c1, *c2, *c3;
		uint32_t v;

		pos += ll + (nl ? 1 : 0);
		if (ll == 0 || ll > PASSWD_LINE_MAX)
			continue;
		if (line[0] == '#' || line[0] == '+' || line[0] == '-')
			continue;
		/* name:password:uid:... */
		c1 = memchr(line, ':', ll);
		if (!c1)
			continue;
		c2 = memchr(c1 + 1, ':', ll - (size_t)(c1 + 1 - line));
		if (!c2)
			continue;
		c3 = memchr(c2 + 1, ':', ll - (size_t)(c2 + 1 - line));
		if (!c3)
			continue;
		if (!parse_uid(c2 + 1, (size_t)(c3 - c2 - 1), &v) || v != uid)
			continue;
		if (!name_is_clean(line, (size_t)(c1 - line)))
			continue;
		if ((size_t)(c1 - line) >= name_len)
			return -ENAMETOOLONG;
		memcpy(name, line, (size_t)(c1 - line));
		name[c1 - line] = '\0';
		return 0;
	}
	return -ENOENT;
}

static int lookup_fd(int fd, uint32_t uid, char *name, size_t len)
{
	char *buf = NULL;
	size_t n = 0;
	int err;

	err = file_read_fd(fd, PASSWD_FILE_MAX, &buf, &n);
	if (err)
		return err;
	err = passwd_find_uid(buf, n, uid, name, len);
	free(buf);
	return err;
}

int passwd_lookup_uid(int dirfd, const char *path, uint32_t uid, char *name, size_t len)
{
	int fd, err;

	if (!path || !name || len == 0)
		return -EINVAL;
	fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return -errno;
	err = lookup_fd(fd, uid, name, len);
	close(fd);
	return err;
}

/* etc/passwd resolved inside the folder root, as the container would resolve it. */
static int lookup_in_root(const char *root, uint32_t uid, char *name, size_t len)
{
	struct open_how how = {
		.flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	int rootfd, fd = -1, err;

	rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0) {
		err = errno == ENOENT ? -ESRCH : -errno;
		goto out;
	}
	fd = (int)syscall(SYS_openat2, rootfd, "etc/passwd", &how, sizeof(how));
	if (fd < 0) {
		err = -errno;
		goto out_root;
	}
	err = lookup_fd(fd, uid, name, len);
	close(fd);
out_root:
	close(rootfd);
out:
	return err;
}

int passwd_lookup_in_proc_root(const char *proc_root, uint32_t pid, uint32_t uid, char *name,
			       size_t len)
{
	char root[PATH_MAX];

	if (!proc_root || !name || len == 0)
		return -EINVAL;
	if (snprintf(root, sizeof(root), "%s/%u/root", proc_root, pid) >= (int)sizeof(root))
		return -ENAMETOOLONG;
	return lookup_in_root(root, uid, name, len);
}

int passwd_lookup_in_rootfs(const char *rootfs, uint32_t uid, char *name, size_t len)
{
	if (!rootfs || !*rootfs || !name || len == 0)
		return -EINVAL;
	return lookup_in_root(rootfs, uid, name, len);
}

const char *passwd_name_unread(uint32_t uid)
{
	return uid == 0 ? "root" : "";
}
