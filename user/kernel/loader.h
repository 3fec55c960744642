/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * BPF side lifecycle: open -> rodata -> load -> fill maps -> attach, with
 * feature probes and fallbacks, and the ring buffer and counters after.
 */
#ifndef SS_LOADER_H
#define SS_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/names.h"
#include "shellsentry.h"
#include "lib/error.h"

enum loader_hook { LOADER_HOOK_AUTO = 0, LOADER_HOOK_TP_BTF, LOADER_HOOK_TRACEPOINT };
extern const struct name_map loader_hook_names[]; /* "auto", "tp_btf", "tracepoint" */

struct loader_opts {
	enum loader_hook hook;
	const char *btf_path; /* NULL: the kernel's own BTF */
	unsigned ringbuf_kib; /* rounded up to a power of two pages; 0 = 1024 */
	bool verbose;	      /* libbpf debug output to stderr */
	char *verifier_log;   /* optional: filled with the kernel's log on load failure */
	size_t verifier_log_len;
};

struct loader;

/* Called per ring-buffer record; return non-zero to stop polling. */
typedef int (*loader_event_fn)(void *ctx, const void *data, size_t len);

/* Open, load and attach. On failure returns -errno and writes one line to err. */
int loader_start(const struct loader_opts *o, struct loader **out, struct ss_error *err);
void loader_stop(struct loader *l);

/* "tp_btf/sched_process_exec" or "tracepoint/sched/sched_process_exec" */
const char *loader_hook_name(const struct loader *l);
/* Verifier instructions processed for the exec program (0 if unknown). */
uint32_t loader_verified_insns(const struct loader *l);

/* Replace the interest name set (keys up to SS_NAME_KEY_LEN-1 chars). */
int loader_set_names(struct loader *l, const char (*names)[SS_NAME_KEY_LEN], const uint32_t *values,
		     size_t n);
int loader_set_config(struct loader *l, uint32_t cfg_flags);

/* Which shells start a session (SS_SESSION_*) and the caps per session; 0 = no limit. */
struct loader_sessions {
	uint32_t start_flags;
	uint32_t max_commands; /* commands sent per session */
	uint32_t rate;	       /* commands sent per second per session */
	uint32_t max_members;  /* live processes followed per session */
};

/* Without the fork/exit hooks start_flags is written as 0 (no sessions). */
int loader_set_sessions(struct loader *l, const struct loader_sessions *s);
/* False when the fork/exit hooks did not attach; *why says why. */
bool loader_sessions_supported(const struct loader *l, const char **why);
/* Mark (init unknown) or unmark a cgroup id as a container cgroup (pid-ns-less containers). */
int loader_mark_cgroup(struct loader *l, uint64_t cgroup_id, bool container);
/* Mark a container cgroup with its init process (host pid), 0 when unknown. */
int loader_mark_container_cgroup(struct loader *l, uint64_t cgroup_id, uint32_t init_tgid);
/* Mount point of the cgroup hierarchy the BPF side reads ids from. */
int loader_cgroup_root(const struct loader *l, char *path, size_t len);
/*
 * Walk a cgroup hierarchy and mark every directory whose name holds a
 * container id, with its oldest process as its init (lineage of containers
 * that share the host's pid namespace).
 */
int loader_scan_cgroups(struct loader *l, const char *root, size_t *marked);

/*
 * The BPF side wakes the reader only when data piles up (wakeups cost a VM
 * exit per event): readers must also drain every LOADER_DRAIN_MS.
 */
#define LOADER_DRAIN_MS 2

/* Waits at most min(timeout_ms, LOADER_DRAIN_MS), then reads what is there. */
int loader_poll(struct loader *l, int timeout_ms, loader_event_fn fn, void *ctx);
/*
 * Consume what is in the ring buffers without waiting: the main ring whole,
 * session commands in batches with the main ring drained between them.
 */
int loader_drain(struct loader *l, loader_event_fn fn, void *ctx);
int loader_ringbuf_fd(const struct loader *l);
/* The session-command ring's epoll fd (readable when session commands wait). */
int loader_session_ringbuf_fd(const struct loader *l);
/* Sum the per-CPU counters. */
int loader_read_counters(const struct loader *l, uint64_t out[SS_CNT_MAX]);

#endif /* SS_LOADER_H */
