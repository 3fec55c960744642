/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * user.name from a passwd file: the host's, or a container's own, read
 * through /proc/<pid>/root without letting the container's files point the
 * reader anywhere else. Files and lines are bounded; contents are hostile.
 */
#ifndef SS_PASSWD_H
#define SS_PASSWD_H

#include <stddef.h>
#include <stdint.h>

#define PASSWD_FILE_MAX (1u << 20) /* larger files are refused (-EFBIG) */
#define PASSWD_LINE_MAX 4096	   /* longer lines are skipped */

/*
 * Pure core: the name of the first entry for uid in len bytes of passwd text
 * (need not be NUL-terminated). Skips comments, NIS (+/-) entries, lines
 * longer than PASSWD_LINE_MAX, malformed uids and names holding control
 * characters. 0, -ENOENT when absent, -ENAMETOOLONG when name does not fit.
 */
int passwd_find_uid(const char *text, size_t len, uint32_t uid, char *name, size_t name_len);

/*
 * user.name when no passwd file could be read (the process is gone): "root"
 * for uid 0, which every image names so, else "" (unknown, null).
 */
const char *passwd_name_unread(uint32_t uid);

/*
 * Open path relative to dirfd (or AT_FDCWD) without blocking on a FIFO,
 * require a regular file of at most PASSWD_FILE_MAX bytes, look uid up.
 */
int passwd_lookup_uid(int dirfd, const char *path, uint32_t uid, char *name, size_t len);

/*
 * The passwd file of a live process's root: <proc_root>/<pid>/root is opened
 * as a directory and etc/passwd resolved inside it with openat2()
 * RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS, so an absolute or ".." symlink in
 * the container stays in the container. -ESRCH when the process is gone,
 * -ENOSYS on kernels without openat2 (< 5.6): no unsafe fallback.
 */
int passwd_lookup_in_proc_root(const char *proc_root, uint32_t pid, uint32_t uid, char *name,
			       size_t len);

/*
 * The same inside a container's root folder on the node (its rootfs from the
 * runtime's state), for a container none of whose processes is left: the
 * folder stays until the runtime cleans the container up. -ESRCH when the
 * folder is gone.
 */
int passwd_lookup_in_rootfs(const char *rootfs, uint32_t uid, char *name, size_t len);

#endif /* SS_PASSWD_H */
