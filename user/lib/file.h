/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The one bounded file reader and the one write_all. Every file shellsentry
 * reads whole (rules, knowledge base, config, runtime state, a container's
 * /etc/passwd) goes through file_read_at(): a regular file only (a FIFO or a
 * device planted in a container cannot block or feed the reader forever), of
 * at most a caller-given size, opened without following into a terminal.
 */
#ifndef SS_FILE_H
#define SS_FILE_H

#include <fcntl.h> /* AT_FDCWD */
#include <stddef.h>
#include <sys/types.h>

/*
 * The whole regular file open on fd (not closed), at most max bytes, into a
 * new NUL-terminated buffer (*out, free() it) of *len bytes. A file that
 * changes while read gives what fstat promised at most. 0, -EINVAL (not a
 * regular file), -EFBIG (larger than max), -ENOMEM or -errno.
 */
int file_read_fd(int fd, size_t max, char **out, size_t *len);

/*
 * The same for path relative to dirfd (AT_FDCWD for the current folder),
 * opened O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY. -errno of open too.
 */
int file_read_at(int dirfd, const char *path, size_t max, char **out, size_t *len);

/*
 * Up to size bytes of a file whose size fstat does not tell (/proc, /sys),
 * into buf (not NUL-terminated). The byte count or -errno.
 */
ssize_t file_read_small(const char *path, char *buf, size_t size);

/* All len bytes to fd, retrying short writes and EINTR. 0 or -errno. */
int write_all(int fd, const void *buf, size_t len);

#endif /* SS_FILE_H */
