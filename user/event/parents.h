/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The parents a runtime gives a process it execs into a container. At the
 * exec the parent is the runtime's exec process (runc) while it lives; when
 * it has already exited, the kernel has re-parented the process to the
 * runtime's subreaper (podman's and cri-o's conmon, containerd-shim). Which
 * one a tool reads is a race of microseconds, so both mean the same.
 */
#ifndef SS_PARENTS_H
#define SS_PARENTS_H

#include <stdbool.h>
#include <stddef.h>

extern const char *const ss_runtime_parents[];
extern const size_t ss_runtime_parent_count;

/* Whether comm is one of them ("runc:[2:INIT]" and the like included). */
bool ss_is_runtime_parent(const char *comm);

#endif /* SS_PARENTS_H */
