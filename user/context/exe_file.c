// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "context/exe_file.h"
#include "lib/file.h"

/* include/linux/exportfs.h */
#define FILEID_INO32_GEN 1
#define XFS_FILEID_TYPE_64FLAG 0x80 /* fs/xfs/xfs_export.h */

#define MOUNTINFO_MAX (4u << 20)

static void put32(unsigned char *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v)); /* handles are in the host's byte order */
}

int exe_handle_encode(uint32_t fs_magic, uint64_t ino, uint32_t gen, struct exe_handle *h)
{
	uint64_t ino64 = ino;

	memset(h, 0, sizeof(*h));
	switch (fs_magic) {
	case EXE_FS_EXT4:
		/* ext4_encode_fh is generic_encode_ino32_fh: 32-bit inode numbers only */
		if (ino > UINT32_MAX)
			return -EOVERFLOW;
		h->fh.handle_type = FILEID_INO32_GEN;
		h->fh.handle_bytes = 8;
		put32(h->fh.f_handle, (uint32_t)ino);
		put32(h->fh.f_handle + 4, gen);
		return 0;
	case EXE_FS_XFS:
		/* xfs_fs_fh_to_dentry takes struct xfs_fid64 {u64 ino; u32 gen} packed */
		h->fh.handle_type = FILEID_INO32_GEN | XFS_FILEID_TYPE_64FLAG;
		h->fh.handle_bytes = 12;
		memcpy(h->fh.f_handle, &ino64, sizeof(ino64));
		put32(h->fh.f_handle + 8, gen);
		return 0;
	case EXE_FS_TMPFS:
		/* shmem_encode_fh: {i_generation, i_ino low, i_ino high} */
		h->fh.handle_type = FILEID_INO32_GEN;
		h->fh.handle_bytes = 12;
		put32(h->fh.f_handle, gen);
		put32(h->fh.f_handle + 4, (uint32_t)ino);
		put32(h->fh.f_handle + 8, (uint32_t)(ino >> 32));
		return 0;
	}
	return -EOPNOTSUPP;
}

/* Copies a mountinfo path field, undoing its \ooo escapes (space, tab, newline, backslash). */
static int unescape(const char *s, size_t n, char *out, size_t out_len)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		char c = s[i];

		if (c == '\\' && i + 3 < n && s[i + 1] >= '0' && s[i + 1] <= '3' &&
		    s[i + 2] >= '0' && s[i + 2] <= '7' && s[i + 3] >= '0' && s[i + 3] <= '7') {
			c = (char)((s[i + 1] - '0') << 6 | (s[i + 2] - '0') << 3 |
				   (s[i + 3] - '0'));
			i += 3;
		}
		if (!c || o + 1 >= out_len)
			return -ENAMETOOLONG;
		out[o++] = c;
	}
	out[o] = '\0';
	return 0;
}

/* The i-th space-separated field of a line (0-based); false when absent. */
static bool field(const char *line, size_t len, unsigned idx, const char **f, size_t *flen)
{
	size_t i = 0;
	unsigned k = 0;

	while (i < len) {
		size_t s;

		while (i < len && line[i] == ' ')
			i++;
		s = i;
		while (i < len && line[i] != ' ')
			i++;
		if (i == s)
			break;
		if (k++ == idx) {
			*f = line + s;
			*flen = i - s;
			return true;
		}
	}
	return false;
}

int mountinfo_find(const char *text, size_t len, uint32_t major, uint32_t minor, char *out,
		   size_t out_len)
{
	char want[32];
	size_t pos = 0, wl;
	int found = -ENOENT;

	wl = (size_t)snprintf(want, sizeof(want), "%u:%u", major, minor);
	while (pos < len) {
		const char *line = text + pos, *nl = memchr(line, '\n', len - pos);
		size_t ll = nl ? (size_t)(nl - line) : len - pos;
		const char *dev, *root, *mnt;
		size_t dl, rl, ml;

		pos += ll + (nl ? 1 : 0);
		/* ID PARENT MAJOR:MINOR ROOT MOUNT_POINT ... */
		if (!field(line, ll, 2, &dev, &dl) || dl != wl || memcmp(dev, want, wl) ||
		    !field(line, ll, 3, &root, &rl) || !field(line, ll, 4, &mnt, &ml))
			continue;
		if (rl == 1 && root[0] == '/')
			return unescape(mnt, ml, out, out_len);
		if (found == -ENOENT)
			found = unescape(mnt, ml, out, out_len);
	}
	return found;
}

void exe_mounts_init(struct exe_mounts *m, const char *proc_root)
{
	memset(m, 0, sizeof(*m));
	snprintf(m->proc_root, sizeof(m->proc_root), "%s", proc_root ? proc_root : "/proc");
}

void exe_mounts_free(struct exe_mounts *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (m->e[i].fd >= 0)
			close(m->e[i].fd);
	m->n = 0;
}

static uint64_t now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec;
}

/*
 * An open mount pins its filesystem: umount says EBUSY, and a tmpfs keeps
 * its memory. Entries idle for EXE_MOUNT_IDLE_S are closed.
 */
static void mounts_expire(struct exe_mounts *m, uint64_t now)
{
	size_t i = 0;

	while (i < m->n) {
		if (now - m->e[i].used < EXE_MOUNT_IDLE_S) {
			i++;
			continue;
		}
		if (m->e[i].fd >= 0)
			close(m->e[i].fd);
		m->e[i] = m->e[--m->n];
	}
}

/* A mount of major:minor as <proc>/<who>/mountinfo lists it, opened through <proc>/<who>/root. */
static int open_mount_of(const struct exe_mounts *m, const char *who, uint32_t major,
			 uint32_t minor)
{
	char path[PATH_MAX], mnt[PATH_MAX];
	char *text;
	ssize_t len;
	int fd, err;

	snprintf(path, sizeof(path), "%s/%s/mountinfo", m->proc_root, who);
	/* /proc files have no size: read a bounded amount */
	text = malloc(MOUNTINFO_MAX);
	if (!text)
		return -ENOMEM;
	len = file_read_small(path, text, MOUNTINFO_MAX);
	if (len < 0) {
		free(text);
		return (int)len;
	}
	err = mountinfo_find(text, (size_t)len, major, minor, mnt, sizeof(mnt));
	free(text);
	if (err)
		return err;
	if (snprintf(path, sizeof(path), "%s/%s/root%s", m->proc_root, who, mnt) >=
	    (int)sizeof(path))
		return -ENAMETOOLONG;
	/* not O_PATH: open_by_handle_at takes no O_PATH fd (EBADF) */
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NONBLOCK | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/*
 * A directory fd on the filesystem of major:minor: a mount in the daemon's
 * own mount namespace, else one of the host's (init's, reached through
 * <proc>/1/root: a DaemonSet with hostPID), where a container's layers and
 * volumes are mounted. A failure is remembered as long as a success would be.
 */
static int mount_fd(struct exe_mounts *m, uint32_t major, uint32_t minor)
{
	uint64_t now = now_s();
	size_t i;
	int fd;

	mounts_expire(m, now);
	for (i = 0; i < m->n; i++) {
		if (m->e[i].major == major && m->e[i].minor == minor) {
			m->e[i].used = now;
			return m->e[i].fd;
		}
	}
	if (m->n == EXE_MOUNTS_MAX)
		return -EMFILE;
	fd = open_mount_of(m, "self", major, minor);
	if (fd < 0)
		fd = open_mount_of(m, "1", major, minor);
	m->e[m->n].major = major;
	m->e[m->n].minor = minor;
	m->e[m->n].fd = fd;
	m->e[m->n].used = now;
	m->n++;
	return fd;
}

static bool same_version(const struct stat *st, const struct exe_ref *ref)
{
	return S_ISREG(st->st_mode) && (uint64_t)st->st_size == ref->size &&
	       (int64_t)st->st_ctim.tv_sec == ref->ctime_sec &&
	       (uint64_t)st->st_ctim.tv_nsec == ref->ctime_nsec;
}

static bool same_file(const struct stat *st, const struct exe_ref *ref, enum exe_open_how how)
{
	bool real = major(st->st_dev) == ref->dev_major && minor(st->st_dev) == ref->dev_minor &&
		    (uint64_t)st->st_ino == ref->ino;
	bool vis = major(st->st_dev) == ref->vis_dev_major &&
		   minor(st->st_dev) == ref->vis_dev_minor && (uint64_t)st->st_ino == ref->vis_ino;

	/* through /proc the process's own view (an overlay inode) is seen */
	return how == EXE_OPEN_HANDLE ? real : (real || vis);
}

static int check_fd(int fd, const struct exe_ref *ref, enum exe_open_how how)
{
	struct stat st;

	if (fstat(fd, &st))
		return -errno;
	return same_file(&st, ref, how) && same_version(&st, ref) ? 0 : -ESTALE;
}

static int open_by_handle(struct exe_mounts *m, const struct exe_ref *ref)
{
	struct exe_handle h;
	int mfd, fd, err;

	err = exe_handle_encode(ref->fs_magic, ref->ino, ref->gen, &h);
	if (err)
		return err;
	mfd = mount_fd(m, ref->dev_major, ref->dev_minor);
	if (mfd < 0)
		return mfd;
	fd = open_by_handle_at(mfd, &h.fh,
			       O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return errno == ESTALE ? -ENOENT : -errno;
	err = check_fd(fd, ref, EXE_OPEN_HANDLE);
	if (err) {
		close(fd);
		return err;
	}
	return fd;
}

static int open_proc_exe(struct exe_mounts *m, const struct exe_ref *ref)
{
	char path[PATH_MAX];
	int fd, err;

	if (!ref->pid)
		return -ESRCH;
	snprintf(path, sizeof(path), "%s/%u/exe", m->proc_root, ref->pid);
	/* a magic link to the very file the process runs: no path resolution in the container */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	/* and a pid reused since is another file: the identity check tells */
	err = check_fd(fd, ref, EXE_OPEN_PROC_EXE);
	if (err) {
		close(fd);
		return err;
	}
	return fd;
}

int exe_file_search(int top, const struct exe_ref *ref)
{
	struct {
		DIR *d;
	} stack[EXE_SEARCH_DEPTH];
	unsigned entries = 0;
	struct stat root;
	int depth = 0, ret = -ENOENT, fd0;

	if (fstat(top, &root))
		return -errno;
	fd0 = openat(top, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd0 < 0)
		return -errno;
	stack[0].d = fdopendir(fd0);
	if (!stack[0].d) {
		ret = -errno;
		close(fd0);
		return ret;
	}
	while (depth >= 0) {
		struct dirent *de = readdir(stack[depth].d);
		struct stat st;
		int fd;

		if (!de) {
			closedir(stack[depth--].d);
			continue;
		}
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (++entries > EXE_SEARCH_ENTRIES) {
			ret = -E2BIG;
			break;
		}
		/* never follow a link, never leave the filesystem */
		if (fstatat(dirfd(stack[depth].d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) ||
		    st.st_dev != root.st_dev)
			continue;
		if (S_ISDIR(st.st_mode)) {
			if (depth + 1 >= EXE_SEARCH_DEPTH)
				continue;
			fd = openat(dirfd(stack[depth].d), de->d_name,
				    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (fd < 0)
				continue;
			stack[depth + 1].d = fdopendir(fd);
			if (!stack[depth + 1].d) {
				close(fd);
				continue;
			}
			depth++;
			continue;
		}
		if (!S_ISREG(st.st_mode) || (uint64_t)st.st_ino != ref->ino)
			continue;
		fd = openat(dirfd(stack[depth].d), de->d_name,
			    O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
		if (fd < 0)
			continue;
		ret = check_fd(fd, ref, EXE_OPEN_HANDLE);
		if (!ret) {
			ret = fd;
			break;
		}
		close(fd);
	}
	while (depth >= 0)
		closedir(stack[depth--].d);
	return ret;
}

static int open_by_search(struct exe_mounts *m, const struct exe_ref *ref)
{
	int mfd = mount_fd(m, ref->dev_major, ref->dev_minor);

	return mfd < 0 ? mfd : exe_file_search(mfd, ref);
}

int exe_file_open(struct exe_mounts *m, const struct exe_ref *ref, enum exe_open_how *how,
		  int *handle_err)
{
	int fd, err, perr;

	*how = EXE_OPEN_NONE;
	fd = open_by_handle(m, ref);
	if (handle_err)
		*handle_err = fd < 0 ? fd : 0;
	if (fd >= 0) {
		*how = EXE_OPEN_HANDLE;
		return fd;
	}
	err = fd;
	fd = open_proc_exe(m, ref);
	if (fd >= 0) {
		*how = EXE_OPEN_PROC_EXE;
		return fd;
	}
	perr = fd;
	/*
	 * No process, and a handle that could not serve though the file may be
	 * there: tmpfs (no handle for an inode nobody asked one of) or a
	 * filesystem whose handles are not built here. On ext4 or xfs a failed
	 * handle means the inode is gone: nothing to look for.
	 */
	if (err != -ESTALE && perr != -ESTALE &&
	    (ref->fs_magic == EXE_FS_TMPFS || err == -EOPNOTSUPP)) {
		fd = open_by_search(m, ref);
		if (fd >= 0) {
			*how = EXE_OPEN_SEARCH;
			return fd;
		}
	}
	/* a changed file says more than a process that is gone */
	if (err == -ESTALE || perr == -ESTALE)
		return -ESTALE;
	/* no handle for this filesystem: only the process could have told */
	if (err == -EOPNOTSUPP || err == -EOVERFLOW || perr != -ESRCH)
		return perr;
	return err;
}

struct fd_src {
	int fd;
	uint64_t half;
	bool fired;
	void (*mid)(void *);
	void *arg;
};

static ssize_t fd_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	struct fd_src *s = ctx;
	size_t got = 0;

	if (s->mid && !s->fired && off >= s->half) {
		s->fired = true;
		s->mid(s->arg);
	}
	while (got < len) {
		ssize_t r = pread(s->fd, (char *)buf + got, len - got, (off_t)(off + got));

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

int exe_file_judge_hooked(int fd, const struct exe_ref *ref, enum exe_open_how how,
			  struct exe_verdict *v, void (*mid)(void *), void *arg)
{
	struct fd_src s = {fd, ref->size / 2, false, mid, arg};
	struct exe_source src = {fd_read, &s, ref->size};
	int err;

	err = check_fd(fd, ref, how);
	if (err)
		return err;
	err = exe_classify(&src, v);
	if (err)
		return err;
	/* written while read: the verdict may describe neither version */
	return check_fd(fd, ref, how);
}

int exe_file_judge(int fd, const struct exe_ref *ref, enum exe_open_how how, struct exe_verdict *v)
{
	return exe_file_judge_hooked(fd, ref, how, v, NULL, NULL);
}
