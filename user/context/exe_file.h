/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The file an exec ran, opened again afterwards to be judged, whether or
 * not the process (or its container) still exists: by a file handle built
 * from the real inode the kernel saw (for overlayfs the upper or lower
 * layer's inode, whose file outlives the container) on a mount of its
 * filesystem, else through /proc/<pid>/exe while the process lives. Either
 * way no path inside the container is resolved, so its symlinks lead
 * nowhere, and what is opened must match the identity the kernel recorded
 * (device, inode, size, ctime) before and after it is read.
 */
#ifndef SS_EXE_FILE_H
#define SS_EXE_FILE_H

#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>

#include "context/exe_classify.h"

/* Filesystem magics (include/uapi/linux/magic.h) whose handles are built here. */
#define EXE_FS_EXT4 0xEF53u /* ext2, ext3, ext4 */
#define EXE_FS_XFS 0x58465342u
#define EXE_FS_TMPFS 0x01021994u
#define EXE_FS_BTRFS 0x9123683Eu
#define EXE_FS_OVERLAY 0x794c7630u

/* What the kernel recorded about the executed file (decoded from the event). */
struct exe_ref {
	/* the real inode: for overlayfs the upper or lower layer's */
	uint64_t ino;
	uint32_t dev_major, dev_minor;
	uint32_t gen;	   /* i_generation, part of the handle */
	uint32_t fs_magic; /* its superblock's s_magic */
	/* the content's version: a rewrite changes one of them */
	uint64_t size;
	int64_t ctime_sec;
	uint32_t ctime_nsec;
	/* the inode the process saw (the overlay's), for the /proc/<pid>/exe check */
	uint64_t vis_ino;
	uint32_t vis_dev_major, vis_dev_minor;
	uint32_t pid; /* host pid of the exec */
};

#define EXE_HANDLE_MAX 16

struct exe_handle {
	struct file_handle fh;
	unsigned char bytes[EXE_HANDLE_MAX];
};

/*
 * Pure: the handle the filesystem with this magic gives for (ino, gen), as
 * its export_operations encode it (ext4: FILEID_INO32_GEN {ino, gen}; xfs:
 * FILEID_INO32_GEN | XFS_FILEID_TYPE_64FLAG {u64 ino, gen}; tmpfs:
 * FILEID_INO32_GEN {gen, ino low, ino high}). -EOPNOTSUPP for others (btrfs
 * needs the subvolume id), -EOVERFLOW for an ext4 inode past 32 bits.
 */
int exe_handle_encode(uint32_t fs_magic, uint64_t ino, uint32_t gen, struct exe_handle *h);

/*
 * Pure: the mount point of a mount of device major:minor in mountinfo text
 * (proc_pid_mountinfo(5)), unescaped; a mount of the filesystem's root
 * ("/" in field 4) is preferred. 0, -ENOENT, -ENAMETOOLONG.
 */
int mountinfo_find(const char *text, size_t len, uint32_t major, uint32_t minor, char *out,
		   size_t out_len);

#define EXE_MOUNTS_MAX 32
#define EXE_MOUNT_IDLE_S 10 /* an open mount pins its filesystem: close it soon */

/* Open mounts by device, found through <proc_root>/{self,1}/mountinfo. */
struct exe_mounts {
	char proc_root[256];
	struct {
		uint32_t major, minor;
		int fd;	       /* a directory on that filesystem, or -errno remembered */
		uint64_t used; /* CLOCK_MONOTONIC seconds */
	} e[EXE_MOUNTS_MAX];
	size_t n;
};

void exe_mounts_init(struct exe_mounts *m, const char *proc_root);
void exe_mounts_free(struct exe_mounts *m);

enum exe_open_how {
	EXE_OPEN_NONE = 0,
	EXE_OPEN_HANDLE,   /* open_by_handle_at on the real inode's filesystem */
	EXE_OPEN_PROC_EXE, /* /proc/<pid>/exe: the process was still there */
	EXE_OPEN_SEARCH,   /* found by inode in a bounded walk of its filesystem's mount */
	EXE_OPEN_RECENT,   /* not opened: the judge's verdict of a moment ago (exe_judge) */
};

/* The walk's bounds: a small volume (a tmpfs emptyDir) is searched, a root filesystem is not. */
#define EXE_SEARCH_ENTRIES 8192
#define EXE_SEARCH_DEPTH 16

/*
 * Find the regular file of inode ref->ino under the directory top without
 * leaving its filesystem or following a symlink, within the bounds above,
 * and open it (checked as exe_file_open does). The fd, -ENOENT, -ESTALE,
 * -E2BIG (bounds reached), -errno.
 */
int exe_file_search(int top, const struct exe_ref *ref);

/*
 * Open the file ref describes, read-only, and check with fstat that it is
 * that file as it was at the exec: by handle, else through the process,
 * else by a bounded search of the filesystem (tmpfs makes a handle work
 * only for inodes someone asked a handle of: shmem_encode_fh hashes them). The fd (close it) or
 * -ESTALE (the file is there but changed or is another one), -ENOENT/-ESRCH (gone), -errno.
 * *handle_err (may be NULL): why the handle did not serve, 0 when it did.
 */
int exe_file_open(struct exe_mounts *m, const struct exe_ref *ref, enum exe_open_how *how,
		  int *handle_err);

/*
 * Judge the open file: its content classified in bounded reads, then
 * fstat again. -ESTALE when it changed while being read (no verdict).
 */
int exe_file_judge(int fd, const struct exe_ref *ref, enum exe_open_how how, struct exe_verdict *v);

/* The same with a hook run between the two halves of the read (tests). */
int exe_file_judge_hooked(int fd, const struct exe_ref *ref, enum exe_open_how how,
			  struct exe_verdict *v, void (*mid)(void *), void *arg);

#endif /* SS_EXE_FILE_H */
