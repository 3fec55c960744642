/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Privilege drop after attach. BPF links, maps and the ring buffer are file
 * descriptors the daemon already holds, so it keeps working without
 * CAP_BPF, CAP_PERFMON or CAP_SYS_ADMIN. What it still does at run time is
 * read other processes' /proc/<pid>/root (container /etc/passwd, needs
 * CAP_SYS_PTRACE for processes of other users) and runtime state folders
 * that are not its own (CAP_DAC_READ_SEARCH).
 *
 * Capabilities are per thread: call this before starting any thread (sinks,
 * metrics server); threads created afterwards inherit the reduced set.
 */
#ifndef SS_PRIVDROP_H
#define SS_PRIVDROP_H

#include <stddef.h>

#include "lib/error.h"

/*
 * Keep only the capabilities in keep (CAP_* numbers) that are permitted now,
 * clear the inheritable and ambient sets and, when CAP_SETPCAP allows it,
 * the bounding set and root's exec privileges (securebits); then set
 * no_new_privs. summary gets a line for the log, e.g.
 * "kept cap_dac_read_search,cap_sys_ptrace; bounding set cleared; no_new_privs".
 * Returns 0, -EBUSY when the process has more than one thread, or -errno.
 */
int privdrop_apply(const int *keep, size_t n, char *summary, size_t len, struct ss_error *err);

/* privdrop_apply with the measured default set: CAP_SYS_PTRACE, CAP_DAC_READ_SEARCH. */
int privdrop_default(char *summary, size_t len, struct ss_error *err);

#endif /* SS_PRIVDROP_H */
