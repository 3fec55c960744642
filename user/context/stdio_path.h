/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The full path of a regular file or directory on a process's stdin,
 * stdout or stderr (the kernel sends the leaf name only), read from
 * /proc/<pid>/fd/<n> while the process lives, and kept only when that fd
 * still refers to the inode the kernel saw at exec.
 */
#ifndef SS_CONTEXT_STDIO_PATH_H
#define SS_CONTEXT_STDIO_PATH_H

#include "event/exec_event.h"

/* For each of fds 0-2 that is a file or directory: its path into ev->stdio[i].name. */
void stdio_resolve_paths(const char *proc_root, struct exec_event *ev);

/*
 * A working directory the kernel had to cut (deeper than its path slots):
 * the whole path from /proc/<pid>/cwd while the process lives, so that a
 * deep directory cannot hide a prefix (proc.cwd startswith "/dev/shm/").
 */
void cwd_resolve_cut(const char *proc_root, struct exec_event *ev);

#endif /* SS_CONTEXT_STDIO_PATH_H */
