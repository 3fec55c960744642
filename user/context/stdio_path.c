// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "context/stdio_path.h"

void cwd_resolve_cut(const char *proc_root, struct exec_event *ev)
{
	char link[96], path[EXEC_PATH_MAX];
	ssize_t n;

	if (!(ev->flags & SS_F_CWD_TRUNCATED))
		return;
	snprintf(link, sizeof(link), "%s/%u/cwd", proc_root, ev->pid);
	n = readlink(link, path, sizeof(path) - 2);
	/* relative to the process's root as the kernel's is: /proc's cwd link is too */
	if (n <= 0 || n >= (ssize_t)sizeof(path) - 2 || path[0] != '/')
		return;
	if (path[n - 1] != '/')
		path[n++] = '/';
	path[n] = 0;
	memcpy(ev->cwd, path, (size_t)n + 1);
}

void stdio_resolve_paths(const char *proc_root, struct exec_event *ev)
{
	for (int i = 0; i < SS_STDIO_FDS; i++) {
		struct exec_stdio *s = &ev->stdio[i];
		char link[96], path[STDIO_NAME_MAX];
		struct stat st;
		ssize_t n;

		if (s->k.kind != SS_FD_REG && s->k.kind != SS_FD_DIR)
			continue;
		snprintf(link, sizeof(link), "%s/%u/fd/%d", proc_root, ev->pid, i);
		/* The fd may have been closed or replaced since the exec: same inode only. */
		if (stat(link, &st) || st.st_ino != s->k.ino)
			continue;
		n = readlink(link, path, sizeof(path) - 1);
		if (n <= 0 || n >= (ssize_t)sizeof(path) - 1)
			continue;
		path[n] = 0;
		memcpy(s->name, path, (size_t)n + 1);
	}
}
