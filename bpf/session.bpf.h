/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Shell sessions. A shell that starts a session (injected into its
 * container, with a terminal, or with network stdio: ss_config.session_flags)
 * puts its process in session_members; every process forked from a member
 * joins (fork hook) and leaves when its last thread exits (exit hook). A
 * member's exec is sent whatever its name, within the session's caps; the
 * shell's exit sends the session's end. A process that belongs to no session
 * costs the fork and exit hooks one hash lookup each.
 */
#ifndef SS_SESSION_BPF_H
#define SS_SESSION_BPF_H

#include "cgroup.bpf.h"
#include "compat.bpf.h"
#include "maps.bpf.h"
#include "stdio.bpf.h"
#include "submit.bpf.h"
#include "task.bpf.h"

#define SS_NSEC_PER_SEC 1000000000ULL

static __always_inline struct ss_session_key *session_of(__u32 tgid)
{
	if (!session_members_live)
		return 0;
	return bpf_map_lookup_elem(&session_members, &tgid);
}

static __always_inline void members_live_add(__s64 n)
{
	__sync_fetch_and_add(&session_members_live, (__u64)n);
}

/*
 * A member's command. Counted in any case; when it is wanted only as a
 * session command (only_session), it is sent only within the caps: at most
 * session_rate per one-second window and session_max_commands in all (the
 * commands other rules want are never capped here).
 * Returns whether to send it. The counters race between CPUs by a command
 * or two; the caps are limits on volume, not exact quotas.
 */
static __always_inline bool session_command(const struct ss_session_key *key,
					    const struct ss_config *cfg, bool only_session)
{
	struct ss_session_state *s = bpf_map_lookup_elem(&sessions, key);
	__u64 now;

	if (!s) {
		/* Its state was evicted: nothing left to cap against. */
		if (only_session)
			count(SS_CNT_SESSION_CAPPED);
		return false;
	}
	__sync_fetch_and_add(&s->commands, 1);
	if (!only_session)
		return true;
	now = bpf_ktime_get_ns();
	if (now - s->window_start >= SS_NSEC_PER_SEC) {
		s->window_start = now;
		s->window_count = 0;
	}
	if ((cfg->session_rate && s->window_count >= cfg->session_rate) ||
	    (cfg->session_max_commands && s->sent >= cfg->session_max_commands)) {
		__sync_fetch_and_add(&s->capped, 1);
		count(SS_CNT_SESSION_CAPPED);
		return false;
	}
	__sync_fetch_and_add(&s->window_count, 1);
	__sync_fetch_and_add(&s->sent, 1);
	return true;
}

/* Why this shell's exec starts a session, as SS_SESSION_* bits. */
static __always_inline __u32 session_reasons(const struct ss_event *e)
{
	__u32 why = 0;

	if (e->lineage == SS_LINEAGE_INJECTED)
		why |= SS_SESSION_INJECTED;
	if (e->tty)
		why |= SS_SESSION_TTY;
	if (stdio_is_network(&e->stdio[0]) || stdio_is_network(&e->stdio[1]))
		why |= SS_SESSION_NET;
	return why;
}

/* Start a session with this exec's process as its shell; sets e->session. */
static __always_inline bool session_start(struct ss_event *e, const struct ss_config *cfg)
{
	struct ss_session_state st = {};
	struct ss_session_key key = {};
	__u32 pid = e->pid, why = session_reasons(e) & cfg->session_flags;

	if (!why)
		return false;
	key.start_ns = e->boot_ns;
	key.pid = pid;
	st.start_ns = e->boot_ns;
	st.commands = 1;
	st.members = 1;
	if (bpf_map_update_elem(&sessions, &key, &st, BPF_NOEXIST)) {
		count(SS_CNT_SESSION_FULL);
		return false;
	}
	if (bpf_map_update_elem(&session_members, &pid, &key, BPF_NOEXIST)) {
		bpf_map_delete_elem(&sessions, &key);
		count(SS_CNT_SESSION_FULL);
		return false;
	}
	members_live_add(1);
	e->session = key;
	e->session_reasons = why;
	e->flags |= SS_F_SESSION | SS_F_SESSION_START;
	count(SS_CNT_SESSIONS);
	return true;
}

/* Fork: a new process (not a thread) of a member joins its parent's session. */
static __always_inline void session_fork(__u32 parent_tgid, __u32 child_tgid)
{
	struct ss_session_key *pkey, key;
	struct ss_session_state *s;
	struct ss_config *cfg;
	__u32 zero = 0;

	if (child_tgid == parent_tgid)
		return;
	pkey = session_of(parent_tgid);
	if (!pkey)
		return;
	key = *pkey;
	s = bpf_map_lookup_elem(&sessions, &key);
	cfg = bpf_map_lookup_elem(&settings, &zero);
	if (!s || !cfg || (cfg->session_max_members && s->members >= cfg->session_max_members))
		goto untracked;
	if (!bpf_map_update_elem(&session_members, &child_tgid, &key, BPF_NOEXIST))
		members_live_add(1);
	else if (bpf_map_update_elem(&session_members, &child_tgid, &key, BPF_EXIST))
		goto untracked; /* the map is full */
	/* else a stale entry for a reused pid (an exit not seen): replaced, counted already */
	__sync_fetch_and_add(&s->members, 1);
	return;
untracked:
	if (s)
		__sync_fetch_and_add(&s->untracked, 1);
	count(SS_CNT_SESSION_UNTRACKED);
}

static __always_inline void session_end_submit(const struct ss_session_key *key,
					       struct ss_session_state *s, __u32 exit_code,
					       __u64 cgroup_id, __u32 pidns_inum)
{
	struct ss_session_end r = {
		.start_ns = key->start_ns,
		.cgroup_id = cgroup_id,
		.version = SS_EVENT_VERSION,
		.header_len = sizeof(r),
		.pid = key->pid,
		.exit_code = exit_code,
		.pidns_inum = pidns_inum,
	};

	r.boot_ns = bpf_ktime_get_boot_ns();
	if (s) {
		r.commands = s->commands;
		r.capped = s->capped;
		r.untracked = s->untracked;
		r.members = s->members;
	}
	if (ring_output(&events, &r, sizeof(r)))
		count(SS_CNT_DROPS);
	else
		count(SS_CNT_SESSION_ENDS);
}

/*
 * Exit of a thread of a member: the process leaves the session when its
 * last thread exits (signal->live already counted this one down when
 * sched_process_exit fires, in every kernel we support). The shell's exit
 * ends the session; its state stays while members run.
 */
static __always_inline void session_exit(struct task_struct *task, const bool btf)
{
	__u32 tgid = RD(btf, task, tgid);
	struct ss_session_key *pkey = session_of(tgid), key;
	struct ss_session_state *s;

	if (!pkey)
		return;
	if (RD(btf, task, signal, live.counter) != 0)
		return;
	key = *pkey;
	if (!bpf_map_delete_elem(&session_members, &tgid))
		members_live_add(-1);
	s = bpf_map_lookup_elem(&sessions, &key);
	if (s)
		__sync_fetch_and_add(&s->members, (__u32)-1); /* no atomic sub in BPF */
	if (key.pid == tgid) {
		if (s)
			s->ended = 1;
		struct upid up = {};

		if (pidns_level_ok(task_pidns(task, &up, btf)))
			up.nr = BPF_CORE_READ(up.ns, ns.inum);
		else
			up.nr = host_pidns_inum;
		session_end_submit(&key, s, RD(btf, task, exit_code), cgroup_id_of(task, btf),
				   up.nr);
	}
	if (s && s->ended && (__s32)s->members <= 0)
		bpf_map_delete_elem(&sessions, &key);
}

#endif /* SS_SESSION_BPF_H */
