/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Ring-buffer record -> struct exec_event, with size and version checks. */
#ifndef SS_EVENT_DECODE_H
#define SS_EVENT_DECODE_H

#include <stddef.h>
#include <stdint.h>

#include "event/exec_event.h"

/*
 * Decode one record. boot_to_wall_ns converts the kernel's boot-time
 * stamp to wall-clock time. Returns 0, -EBADMSG for a short, oversized or
 * inconsistent record, -EPROTO for an unknown version. Never reads past len.
 * Enrichment fields (container, user name, hostname) are left empty.
 */
int event_decode(const void *data, size_t len, int64_t boot_to_wall_ns, struct exec_event *ev);

/* 0 and the id when the record says a container cgroup was removed, else -ENOMSG. */
int event_decode_cgroup_gone(const void *data, size_t len, uint64_t *cgroup_id);

/* CLOCK_REALTIME - CLOCK_BOOTTIME, in ns, now. */
int64_t event_boot_to_wall_ns(void);

/* Falco's proc.cmdline / proc.args from a NUL-separated argv. */
void argv_join(const char *argv, size_t len, const char *name, char *args, size_t args_len,
	       char *cmdline, size_t cmdline_len, char *exe, size_t exe_len, int *argc);

#endif /* SS_EVENT_DECODE_H */
