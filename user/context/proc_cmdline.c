/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "context/proc_cmdline.h"
#include "lib/file.h"

size_t proc_cmdline_format(const char *name, const char *argv, size_t n, char *out, size_t len)
{
	size_t o = 0, i = 0, e;

	if (!len)
		return 0;
	for (; *name && o + 1 < len; name++)
		out[o++] = *name;
	/* argv[0] is not printed: Falco puts the process name in its place */
	while (i < n && argv[i])
		i++;
	for (i++; i < n && o + 1 < len; i = e + 1) {
		for (e = i; e < n && argv[e]; e++)
			;
		out[o++] = ' ';
		for (; i < e && o + 1 < len; i++)
			out[o++] = argv[i];
	}
	out[o] = '\0';
	return o;
}

/* a process that is gone reads as -ESRCH, whatever /proc says */
static ssize_t read_small(const char *path, char *buf, size_t cap)
{
	ssize_t n = file_read_small(path, buf, cap);

	return n == -ENOENT ? -ESRCH : n;
}

int proc_cmdline_read(const char *proc_root, uint32_t pid, const char *comm, char *out, size_t len,
		      char *argv0, size_t argv0_len)
{
	char path[PATH_MAX], argv[PROC_CMDLINE_READ_MAX], now[32];
	ssize_t n;

	if (!proc_root || !pid || !comm || !len)
		return -EINVAL;
	snprintf(path, sizeof(path), "%s/%u/comm", proc_root, pid);
	n = read_small(path, now, sizeof(now) - 1);
	if (n < 0)
		return (int)n;
	now[n] = '\0';
	if (n && now[n - 1] == '\n')
		now[n - 1] = '\0';
	if (strcmp(now, comm))
		return -ESRCH;
	snprintf(path, sizeof(path), "%s/%u/cmdline", proc_root, pid);
	n = read_small(path, argv, sizeof(argv));
	if (n < 0)
		return (int)n;
	/* an empty cmdline: a kernel thread or a zombie, nothing to say */
	if (!n)
		return -ESRCH;
	proc_cmdline_format(comm, argv, (size_t)n, out, len);
	if (argv0 && argv0_len) {
		size_t i;

		for (i = 0; i < (size_t)n && argv[i] && i + 1 < argv0_len; i++)
			argv0[i] = argv[i];
		argv0[i] = '\0';
	}
	return 0;
}
