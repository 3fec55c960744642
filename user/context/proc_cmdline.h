/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * proc.pcmdline: the parent's command line as Falco writes it (its name, a
 * space, its arguments after argv[0] joined by one space), and proc.pexe:
 * the parent's argv[0], both read from /proc/<pid>/cmdline while the parent
 * lives. Bounded; the bytes are the
 * parent's own and hostile: escaping is the printer's job.
 */
#ifndef SS_PROC_CMDLINE_H
#define SS_PROC_CMDLINE_H

#include <stddef.h>
#include <stdint.h>

#define PROC_CMDLINE_READ_MAX 8192 /* bytes of /proc/<pid>/cmdline read */

/*
 * Pure core: name, then each NUL-separated argument of argv (n bytes) after
 * the first, joined by one space, into out (cut at len - 1 bytes). An argv
 * of one element gives the name alone. Returns the length written.
 */
size_t proc_cmdline_format(const char *name, const char *argv, size_t n, char *out, size_t len);

/*
 * The command line of live process pid, as above with its comm as name;
 * only when its comm is still comm (a pid reused by another program reads
 * -ESRCH, as a gone one). When argv0 is not NULL it gets argv[0] as the
 * process wrote it (Falco's proc.exe of that process: the parent's is
 * proc.pexe), cut at argv0_len - 1 bytes. 0, -ESRCH, or another negative
 * errno; on error out and argv0 are left as they were.
 */
int proc_cmdline_read(const char *proc_root, uint32_t pid, const char *comm, char *out, size_t len,
		      char *argv0, size_t argv0_len);

#endif /* SS_PROC_CMDLINE_H */
