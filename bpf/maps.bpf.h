/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The program's state: load-time constants set by userspace, and maps.
 * Included once, by shellsentry.bpf.c, before the concern headers that
 * read them.
 */
#ifndef SS_MAPS_BPF_H
#define SS_MAPS_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#include "shellsentry.h"

/* Set by userspace before load. */
const volatile __u32 host_pidns_inum = 0;
const volatile int v1_subsys = -1;	    /* -1: use the v2 (default) hierarchy */
const volatile int cgroup_hierarchy_id = 0; /* hierarchy cgroup_mkdir watches */

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SS_CNT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

/* Names of interest (comm, exe file name, busybox applet), filled from the rules. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, char[SS_NAME_KEY_LEN]);
	__type(value, __u32);
} names SEC(".maps");

/* Cgroups whose name carries a container id: covers --pid=host containers. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64);
	__type(value, struct ss_cgroup_info);
} container_cgroups SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ss_config);
} settings SEC(".maps");

/*
 * Session commands that no rule's name matched go to a ring of their own:
 * a session running 100,000 commands fills this one, never the main ring
 * that other rules' events travel on.
 */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} session_events SEC(".maps");

/*
 * Processes that belong to a session: tgid -> the session's key. Entries
 * come at fork from a member and go at the exit of the process's last
 * thread. A plain hash, not an LRU: an eviction could drop a session's shell
 * and with it the session's end; when full, new members are counted, not
 * followed.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, struct ss_session_key);
} session_members SEC(".maps");

/*
 * Entries in session_members. Zero, as it is on most nodes most of the
 * time, spares the fork and exit hooks (every process) and container execs
 * their one hash lookup: a global is one load from a hot line, a lookup a
 * likely cache miss on a bucket.
 */
__u64 session_members_live = 0;

/*
 * Live sessions and their counters. The state outlives the shell while
 * members run (their commands stay capped); an LRU so that a state whose
 * members were lost cannot hold a slot for good.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, struct ss_session_key);
	__type(value, struct ss_session_state);
} sessions SEC(".maps");

/* The event is too large for the 512-byte stack. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ss_event);
} heap SEC(".maps");

static __always_inline void count(__u32 idx)
{
	__u64 *v = bpf_map_lookup_elem(&counters, &idx);

	if (v)
		*v += 1;
}

#endif /* SS_MAPS_BPF_H */
