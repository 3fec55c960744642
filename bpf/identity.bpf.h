/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Executable identity (issue 14, step 3 of the decision). A renamed copy of
 * a shell has no name to match, so each distinct executed file is judged
 * once, by userspace, from its content, and the verdict is kept here, in an
 * LRU map keyed by the file's identity (struct ss_exe_key). A container exec
 * that no name matched then costs one lookup: a shell verdict makes it
 * wanted, a not-a-shell verdict rejects it, a file not judged yet is sent
 * once to be judged (marked pending, rate-limited) with its full event; its
 * execs while it is judged are sent behind it (same bucket), not judged again.
 *
 * The key names the real inode: for overlayfs the upper or lower layer's,
 * which every container of an image shares and which outlives the
 * container, so userspace can open it by handle after the process is gone.
 */
#ifndef SS_IDENTITY_BPF_H
#define SS_IDENTITY_BPF_H

#include "argv.bpf.h"
#include "compat.bpf.h"
#include "file.bpf.h"
#include "maps.bpf.h"

#define SS_EXE_VERDICTS_MAX 65536
/* A pending mark older than this is sent again: its event was lost or not judged. */
#define SS_EXE_PENDING_NS (10ull * 1000 * 1000 * 1000)

/* First sightings sent per second and per CPU (--exe-judge-rate), the burst; set before load. */
const volatile __u64 id_interval_ns = 1000 * 1000 * 1000 / 200;
const volatile __u32 id_burst = 64;

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, SS_EXE_VERDICTS_MAX);
	__type(key, struct ss_exe_key);
	__type(value, struct ss_exe_verdict);
} exe_verdicts SEC(".maps");

struct id_bucket {
	__u64 credit_ns; /* time earned, id_interval_ns per sighting */
	__u64 last_ns;
};

/* Per CPU: programs on one CPU do not race for it (tracepoints run with migration off). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct id_bucket);
} id_buckets SEC(".maps");

/*
 * overlayfs keeps the lower layer's inode in three ways, by kernel (checked
 * on the BTF of Debian's 5.10 source, 6.1, 6.12 and 6.18 builds):
 *  - through 6.0: struct inode *lower in struct ovl_inode (since 4.13);
 *  - 6.1 to 6.4: struct ovl_path lowerpath in struct ovl_inode;
 *  - 6.5 on ("ovl: move ovl_entry into ovl_inode"): struct ovl_entry *oe,
 *    whose __lowerstack[0] is the top lower layer (vmlinux.h's layout).
 */
struct ovl_inode___lower {
	struct inode *lower;
} __attribute__((preserve_access_index));

struct ovl_inode___lowerpath {
	struct ovl_path lowerpath;
} __attribute__((preserve_access_index));

static __always_inline struct inode *ovl_lower_inode(struct ovl_inode *oi)
{
	struct ovl_inode___lowerpath *lp = (void *)oi;
	struct ovl_inode___lower *lo = (void *)oi;
	struct ovl_entry *oe;

	if (bpf_core_field_exists(oi->oe)) {
		oe = BPF_CORE_READ(oi, oe);
		if (!oe || !BPF_CORE_READ(oe, __numlower))
			return 0;
		return BPF_CORE_READ(oe, __lowerstack[0].dentry, d_inode);
	}
	if (bpf_core_field_exists(lp->lowerpath))
		return BPF_CORE_READ(lp, lowerpath.dentry, d_inode);
	if (bpf_core_field_exists(lo->lower))
		return BPF_CORE_READ(lo, lower);
	return 0;
}

/*
 * The inode that holds the file's bytes: an overlay inode's upper inode
 * (written or copied up in the container) or its lower one (an image
 * layer). Without overlay's BTF (overlay built as a module on 5.8-5.10, or
 * not loaded when shellsentry started) the overlay inode itself, which
 * userspace can open only through /proc/<pid>/exe.
 */
static __always_inline struct inode *real_inode(struct inode *inode, __u8 *layer)
{
	struct ovl_inode *oi;
	struct dentry *upper;
	struct inode *lower;

	*layer = SS_EXE_LAYER_NONE;
	if (!bpf_core_type_exists(struct ovl_inode))
		return inode;
	if (BPF_CORE_READ(inode, i_sb, s_magic) != OVERLAYFS_SUPER_MAGIC)
		return inode;
	oi = (void *)inode - bpf_core_field_offset(struct ovl_inode, vfs_inode);
	upper = BPF_CORE_READ(oi, __upperdentry);
	if (upper) {
		*layer = SS_EXE_LAYER_UPPER;
		return BPF_CORE_READ(upper, d_inode);
	}
	lower = ovl_lower_inode(oi);
	if (!lower)
		return inode;
	*layer = SS_EXE_LAYER_LOWER;
	return lower;
}

/*
 * inode ctime by kernel: struct timespec64 i_ctime through 6.5, renamed
 * __i_ctime in 6.6 ("fs: rename i_ctime field to __i_ctime"), split into
 * i_ctime_sec/i_ctime_nsec in 6.11 ("fs: switch timespec64 fields in inode
 * to discrete integers"; vmlinux.h's layout). Since 6.13 the top bit of
 * i_ctime_nsec flags a queried multigrain ctime (I_CTIME_QUERIED): masked.
 */
struct inode___ctime_old {
	struct timespec64 i_ctime;
} __attribute__((preserve_access_index));

struct inode___ctime_priv {
	struct timespec64 __i_ctime;
} __attribute__((preserve_access_index));

/*
 * The key of an inode. btf: typed loads (the exec's own inode in tp_btf);
 * an inode reached through overlay's structures is read with probe reads.
 */
static __always_inline void inode_key(struct ss_exe_key *k, struct inode *inode, const bool btf)
{
	struct inode___ctime_old *o = (void *)inode;
	struct inode___ctime_priv *p = (void *)inode;

	k->ino = RD(btf, inode, i_ino);
	k->size = RD(btf, inode, i_size);
	if (bpf_core_field_exists(inode->i_ctime_sec)) {
		k->ctime_sec = RD(btf, inode, i_ctime_sec);
		k->ctime_nsec = RD(btf, inode, i_ctime_nsec) & ~(1u << 31);
	} else if (bpf_core_field_exists(p->__i_ctime)) {
		k->ctime_sec = RD(btf, p, __i_ctime.tv_sec);
		k->ctime_nsec = RD(btf, p, __i_ctime.tv_nsec);
	} else {
		k->ctime_sec = RD(btf, o, i_ctime.tv_sec);
		k->ctime_nsec = RD(btf, o, i_ctime.tv_nsec);
	}
	k->dev = RD(btf, inode, i_sb, s_dev);
	k->gen = RD(btf, inode, i_generation);
	k->pad = 0;
}

/* One more event on this CPU? A counted token bucket. */
static __always_inline bool sighting_allowed(void)
{
	__u32 zero = 0;
	struct id_bucket *b = bpf_map_lookup_elem(&id_buckets, &zero);
	__u64 now = bpf_ktime_get_ns(), credit, cap = id_interval_ns * id_burst;

	if (!b)
		return false;
	credit = b->credit_ns + (now - b->last_ns);
	if (credit > cap)
		credit = cap;
	b->last_ns = now;
	if (credit < id_interval_ns) {
		b->credit_ns = credit;
		return false;
	}
	b->credit_ns = credit - id_interval_ns;
	return true;
}

/*
 * The file's verdict: under the key of the inode the process sees (typed
 * loads, one lookup: the usual case), else under the real inode's, which a
 * container of the same image may have had judged: then it is copied under
 * the visible key for the next time. Fills id; returns the entry or 0.
 */
static __always_inline struct ss_exe_verdict *exe_verdict_of(struct ss_exe_id *id, struct file *exe,
							     const bool btf)
{
	struct inode *vis = RD(btf, exe, f_inode), *real;
	struct ss_exe_verdict *v, copy;
	__u8 layer;

	inode_key(&id->vis, vis, btf);
	id->fs_magic = RD(btf, vis, i_sb, s_magic);
	id->layer = SS_EXE_LAYER_NONE;
	id->kind = 0;
	id->shell = 0;
	id->key = id->vis;
	v = bpf_map_lookup_elem(&exe_verdicts, &id->vis);
	if (v && v->state == SS_EXE_JUDGED)
		return v;
	real = real_inode(vis, &layer);
	if (real == vis)
		return v;
	inode_key(&id->key, real, false);
	id->fs_magic = BPF_CORE_READ(real, i_sb, s_magic);
	id->layer = layer;
	v = bpf_map_lookup_elem(&exe_verdicts, &id->key);
	if (v && v->state == SS_EXE_JUDGED) {
		copy = *v;
		bpf_map_update_elem(&exe_verdicts, &id->vis, &copy, BPF_ANY);
	}
	return v;
}

/*
 * 3. A container exec no name matched: wanted by its file's verdict, or
 * sent to be judged. Returns the SS_F_* flag that says why it is wanted, 0
 * to go on with the next steps. Fills e->exe_id either way.
 */
static __always_inline __u32 identity_wanted(struct file *exe, struct mm_struct *mm,
					     struct ss_event *e, const bool btf)
{
	struct ss_exe_verdict *v, fresh = {};
	struct ss_exe_id *id = &e->exe_id;
	__u64 now;

	v = exe_verdict_of(id, exe, btf);
	if (v && v->state == SS_EXE_JUDGED) {
		__u8 kind = v->kind;

		/* a multicall binary is a shell when argv[0] names a shell applet or itself */
		if (kind == SS_EXE_SHELL ||
		    (kind == SS_EXE_MULTICALL &&
		     argv0_applet_wanted(mm, e->argv, SS_NAME_INTEREST | SS_NAME_MULTICALL, btf))) {
			id->kind = kind;
			id->shell = v->shell;
			count(SS_CNT_ID_SHELL);
			return SS_F_EXE_VERDICT;
		}
		count(SS_CNT_ID_REJECTED);
		return 0;
	}
	/*
	 * Sent, by the bucket, either way: a first sighting to be judged, or an
	 * exec of a file being judged, which the judge's verdict then decides
	 * (a shell run twice within the judging time alerts twice).
	 */
	if (!sighting_allowed()) {
		count(SS_CNT_ID_LIMITED);
		return 0;
	}
	now = bpf_ktime_get_ns();
	if (v && now - v->since_ns < SS_EXE_PENDING_NS) {
		count(SS_CNT_ID_PENDING);
		return SS_F_EXE_PENDING;
	}
	fresh.since_ns = now;
	fresh.state = SS_EXE_PENDING;
	/* another CPU may have sent the same file a moment ago: then it is pending */
	if (bpf_map_update_elem(&exe_verdicts, &id->key, &fresh, v ? BPF_EXIST : BPF_NOEXIST)) {
		count(SS_CNT_ID_PENDING);
		return SS_F_EXE_PENDING;
	}
	count(SS_CNT_ID_SIGHTINGS);
	return SS_F_EXE_SIGHTING;
}

#endif /* SS_IDENTITY_BPF_H */
