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

#define LOADER_EXE_JUDGE_RATE 200
extern const struct name_map loader_hook_names[]; /* "auto", "tp_btf", "tracepoint" */

struct loader_opts {
	enum loader_hook hook;
	const char *btf_path;	 /* NULL: the kernel's own BTF */
	unsigned ringbuf_kib;	 /* rounded up to a power of two pages; 0 = 1024 */
	unsigned exe_judge_rate; /* first sightings sent per second and CPU; 0 = none judged */
	bool verbose;		 /* libbpf debug output to stderr */
	char *verifier_log;	 /* optional: filled with the kernel's log on load failure */
	size_t verifier_log_len;
};

struct loader;

/* Called per ring-buffer record; a negative return stops the read. */
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
/* An exe_publish_fn (ctx: the loader): write v for key, or with v NULL remove the entry. */
int loader_exe_verdict_publish(void *ctx, const struct ss_exe_key *key,
			       const struct ss_exe_verdict *v);
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
 * Reading the rings. The BPF side wakes the reader for the first record
 * after the reader caught up, and for no other (bpf/submit.bpf.h): a reader
 * that reads until the rings are empty and then sleeps on loader_ringbuf_fd()
 * misses none (the proof is in loader.c) and needs no periodic drain.
 */

/* Reads at most this often while records stream in (see loader_read()). */
#define LOADER_PACE_NS (2 * 1000000ULL)

/*
 * Reads what the rings hold (now_ns: CLOCK_MONOTONIC). When reads keep
 * finding records less than LOADER_PACE_NS apart, the kernel is told to stop
 * waking the reader and loader_next_read() gives the time of the next read
 * instead; the reader must then not sleep on loader_ringbuf_fd() (it stays
 * readable) but until that time. Records read, or -errno / fn's error.
 */
int loader_read(struct loader *l, uint64_t now_ns, loader_event_fn fn, void *ctx);
/* CLOCK_MONOTONIC ns of the next read while pacing; 0: sleep on loader_ringbuf_fd(). */
uint64_t loader_next_read(const struct loader *l);
/*
 * Reads what the rings hold without waiting, and ends pacing: the main ring
 * whole, session commands in batches with the main ring read between them.
 * Records read, or -errno / fn's error.
 */
int loader_drain(struct loader *l, loader_event_fn fn, void *ctx);
/* Waits up to timeout_ms (-1: no limit) for a record, then drains. Records read or -errno. */
int loader_poll(struct loader *l, int timeout_ms, loader_event_fn fn, void *ctx);
/* One fd for poll()/epoll, readable while any ring holds a record. */
int loader_ringbuf_fd(const struct loader *l);
/* Sum the per-CPU counters. */
int loader_read_counters(const struct loader *l, uint64_t out[SS_CNT_MAX]);

#endif /* SS_LOADER_H */
