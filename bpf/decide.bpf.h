/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The decision: is this exec one userspace wants? Cheapest rejection first
 * (most execs on a node are host execs and stop at the first test), and
 * only what the decision needs is read here; the facts of a wanted exec
 * are gathered afterwards (gather.bpf.h).
 *
 * Order, and what each step costs an exec that fails it:
 *   1. container: pid namespace level and inode, cgroup id, one hash lookup
 *      (host execs stop here unless a rule wants host execs)
 *   2. interest by name: comm, then the executed file's own name (symlinks,
 *      scripts), then argv[0] for a multicall binary (busybox)
 *   3. executable identity: one lookup keyed by the file's identity
 *      (identity.bpf.h), for a container exec no name matched, when a rule
 *      names a shell: wanted on a shell verdict, rejected on a not-a-shell
 *      one, sent once (pending, rate-limited) when the file has none
 *   4. drift: a file written in the container or linked nowhere, when a rule
 *      asks for it
 *   5. every container exec, or every host exec, when a rule asks for it
 * New tests go at the place their cost and selectivity put them, each in
 * its own concern header, and set an SS_F_* flag saying why the exec was
 * wanted.
 */
#ifndef SS_DECIDE_BPF_H
#define SS_DECIDE_BPF_H

#include "argv.bpf.h"
#include "cgroup.bpf.h"
#include "compat.bpf.h"
#include "file.bpf.h"
#include "identity.bpf.h"
#include "maps.bpf.h"
#include "names.bpf.h"
#include "session.bpf.h"
#include "task.bpf.h"

/*
 * What the decision read, handed to the gathering so nothing is read twice.
 * Copy a member to a local before passing it to RD()/BPF_CORE_READ(): inside
 * them CO-RE would try to relocate this struct against the kernel's BTF.
 * Each step works on locals and stores its results once, at its end: with
 * read-modify-writes of the members on the stack, every way of being wanted
 * reached the gathering as a state of its own and 6.1's verifier processed
 * 60% more instructions. For the same reason why the exec is wanted (flags,
 * the session) goes into the event, in map memory, not into this struct: a
 * constant per path that a later branch tests is precise for the verifier
 * and keeps the paths apart through the whole gathering (it was 4x the
 * instructions).
 */
struct exec_decision {
	struct task_struct *task;
	struct linux_binprm *bprm; /* 0 in the tracepoint fallback */
	struct mm_struct *mm;
	struct file *exe;	  /* mm->exe_file, may be 0 */
	struct pid_namespace *ns; /* the task's pid namespace, 0 at level 0 */
	__u64 cgid;
	__u32 level;	/* pid namespace depth, 0 = the host's */
	__u32 flags;	/* SS_F_* decided so far */
	__u32 cg_init;	/* a host-pid-namespace container's init, 0 if unknown or none */
	struct upid up; /* scratch for pid reads, see task_pidns() */
	struct ss_config *cfg;
	char comm[SS_NAME_KEY_LEN];
};

/*
 * 1. Host pid namespace and a cgroup not marked as a container: rejected,
 * unless host execs are wanted. Returns false to reject.
 */
static __always_inline bool exec_in_scope(struct exec_decision *d, const struct ss_config *cfg,
					  const bool btf)
{
	struct task_struct *task = d->task;
	struct pid_namespace *ns = 0;
	struct ss_cgroup_info *cg;
	__u32 level, flags = 0, init = 0;
	__u64 cgid;

	level = task_pidns(d->task, &d->up, btf);
	if (pidns_level_ok(level)) {
		ns = d->up.ns;
		if (BPF_CORE_READ(ns, ns.inum) != host_pidns_inum)
			flags |= SS_F_PIDNS;
	}
	cgid = cgroup_id_of(d->task, btf);
	if (!(flags & SS_F_PIDNS)) {
		cg = container_cgroup(cgid);
		if (cg) {
			flags |= SS_F_CGROUP_CONTAINER;
			init = container_init(cg, task, btf);
		} else if (!(cfg->flags & SS_CFG_HOST_EXECS))
			return false;
		else
			flags |= SS_F_HOST_WANTED;
	}
	if (flags & (SS_F_PIDNS | SS_F_CGROUP_CONTAINER))
		count(SS_CNT_CONTAINER);
	d->level = level;
	d->ns = ns;
	d->cgid = cgid;
	d->cg_init = init;
	d->flags = flags;
	return true;
}

/*
 * 2. Interest by name. A multicall binary (busybox) run under an applet's
 * name has that name as comm, already looked up; run as itself, argv[1]
 * names the applet: let userspace look. Otherwise argv[0] picks the applet
 * (the event's argv is scratch space until the gathering reads it).
 */
static __always_inline __u32 exec_name_wanted(struct exec_decision *d, struct ss_event *e,
					      __u32 *name_bits, const bool btf)
{
	char exe_key[SS_NAME_KEY_LEN] = {};
	struct file *exe = d->exe;
	__u32 nv = 0;

	if (!exe)
		return 0;
	bpf_probe_read_kernel_str(exe_key, sizeof(exe_key),
				  RD(btf, exe, f_path.dentry, d_name.name));
	if (!name_lookup(exe_key, &nv))
		return 0;
	*name_bits = nv;
	if (!(nv & (SS_NAME_INTEREST | SS_NAME_MULTICALL)))
		return 0;
	if (!(nv & SS_NAME_MULTICALL) || same_name(d->comm, exe_key) ||
	    argv0_applet_wanted(d->mm, e->argv, SS_NAME_INTEREST, btf))
		return SS_F_MATCH_EXE;
	return 0;
}

/*
 * Returns the event buffer when the exec is wanted, 0 otherwise; d holds
 * what was read, e->flags why it was wanted, e->session the session of a
 * member.
 */
static __always_inline struct ss_event *exec_wanted(struct exec_decision *d, const bool btf)
{
	struct task_struct *task = d->task;
	struct ss_session_key *member = 0;
	struct ss_config *cfg;
	struct mm_struct *mm;
	struct ss_event *e;
	struct file *exe;
	__u32 zero = 0, nv = 0, names = 0, flags;
	bool want = false, container, shell = false;

	cfg = bpf_map_lookup_elem(&settings, &zero);
	if (!cfg)
		return 0;
	if (!exec_in_scope(d, cfg, btf))
		return 0;
	flags = d->flags;
	container = flags & (SS_F_PIDNS | SS_F_CGROUP_CONTAINER);
	/* 1b. Session membership: one more lookup for container execs only. */
	if (container)
		member = session_of(RD(btf, task, tgid));

	bpf_get_current_comm(d->comm, sizeof(d->comm));
	if (name_lookup(d->comm, &nv)) {
		names = nv;
		if (nv & (SS_NAME_INTEREST | SS_NAME_MULTICALL)) {
			flags |= SS_F_MATCH_COMM;
			want = true;
		}
	}
	mm = RD(btf, task, mm);
	exe = RD(btf, mm, exe_file);
	d->mm = mm;
	d->exe = exe;
	e = bpf_map_lookup_elem(&heap, &zero);
	if (!e)
		return 0;
	if (!want) {
		nv = exec_name_wanted(d, e, &names, btf);
		flags |= nv;
		want = nv;
	}
	/*
	 * 3. A container exec no name matched: its file's verdict (one
	 * lookup), or a first sighting sent to be judged (identity.bpf.h).
	 */
	if (!want && exe && (cfg->flags & SS_CFG_EXE_IDENTITY) &&
	    (flags & (SS_F_PIDNS | SS_F_CGROUP_CONTAINER))) {
		nv = identity_wanted(exe, mm, e, btf);
		flags |= nv;
		want = nv;
	}
	/*
	 * 4. A renamed copy of a shell or a shell run from memory has no name
	 * to match: the executed file itself tells. Read only when a rule asks.
	 */
	if (!want && exe && (cfg->flags & SS_CFG_EXE_DRIFT_EXECS) && container)
		want = exe_drifted(exe, btf);
	/* 5. Every container exec, or every host exec, when a rule asks. */
	if (!want && (cfg->flags & SS_CFG_ALL_CONTAINER_EXECS) && container) {
		flags |= SS_F_ALL_CONTAINER;
		want = true;
	}
	if (!want && (flags & SS_F_HOST_WANTED))
		want = true;
	/*
	 * 6. Sessions: a member's exec is wanted whatever its name, within the
	 * session's caps; a shell's exec may start a session, which only the
	 * gathered facts (lineage, tty, stdio) can tell. A shell by name, or
	 * by its file's verdict (a renamed copy, step 3).
	 */
	if (member) {
		flags |= SS_F_SESSION;
		if (session_command(member, cfg, !want) && !want) {
			flags |= SS_F_SESSION_ONLY;
			want = true;
		}
	} else if (container && ((names & SS_NAME_SHELL) || (flags & SS_F_EXE_VERDICT)) &&
		   cfg->session_flags) {
		shell = true;
	}
	if (!want && !shell)
		return 0;
	if (shell)
		flags |= want ? SS_F_KERNEL_SHELL : SS_F_KERNEL_SHELL | SS_F_KERNEL_CANDIDATE;
	/* in the event, not in d: a per-path constant would split the gathering (see above) */
	e->container_init = d->cg_init;
	if (d->cg_init)
		flags |= SS_F_CONTAINER_INIT;
	e->flags = flags;
	if (member)
		e->session = *member;
	else
		__builtin_memset(&e->session, 0, sizeof(e->session));
	d->cfg = cfg;
	return e;
}

#endif /* SS_DECIDE_BPF_H */
