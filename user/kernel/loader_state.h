/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The loader's state, shared by loading (loader.c), the maps the daemon
 * writes and reads (loader_maps.c) and the rings it reads (loader_rings.c).
 * Private to user/kernel/.
 */
#ifndef SS_LOADER_STATE_H
#define SS_LOADER_STATE_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/cgroup.h"
#include "kernel/loader.h"
#include "kernel/ring_reader.h"
#include "shellsentry.h"

/* The maps and links the daemon keeps, as fds: they outlive the process that loaded them. */
enum loader_fd {
	FD_EVENTS,
	FD_COUNTERS,
	FD_NAMES,
	FD_CGROUPS,
	FD_SETTINGS,
	FD_EXE_VERDICTS,
	FD_LINK_EXEC,
	FD_LINK_MKDIR,
	FD_LINK_RMDIR,
	FD_SESSION_EVENTS,
	FD_LINK_FORK, /* absent when the fork/exit hooks did not attach: no sessions */
	FD_LINK_EXIT,
	FD_COUNT,
};

enum { LINK_EXEC, LINK_MKDIR, LINK_RMDIR, LINK_FORK, LINK_EXIT, LINK_COUNT };

struct loader {
	int fds[FD_COUNT];
	bool identity_off; /* exe_judge_rate 0: SS_CFG_EXE_IDENTITY never set */
	/* [0] exec events, cgroup and session-end records; [1] session commands */
	struct ring_reader rings[2];
	size_t n_rings;
	int epfd; /* readable while any ring holds a record: what the reader sleeps on */
	/* pacing (loader_read): reading on a timer while records stream in */
	uint64_t next_read_ns; /* 0: waiting for a wakeup */
	uint64_t last_hit_ns;  /* the last read that found records */
	enum loader_hook hook;
	uint32_t verified_insns;
	struct cgroup_hierarchy cgroup;
	struct ss_config config; /* written whole on every change */
	bool sessions_supported;
	char session_err[200];
	int nr_cpus;
};

/* loader_rings.c: the epoll fd and both rings; 0 or a negative errno */
int loader_rings_open(struct loader *l);
void loader_rings_close(struct loader *l);

/* loader_maps.c: the settings map written whole */
int loader_write_config(struct loader *l, const struct ss_config *c);

#endif /* SS_LOADER_STATE_H */
