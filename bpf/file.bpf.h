/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Readers of files and paths: the executed file's path and where it lives. */
#ifndef SS_FILE_BPF_H
#define SS_FILE_BPF_H

#include "compat.bpf.h"
#include "shellsentry.h"

#define OVERLAYFS_SUPER_MAGIC 0x794c7630

/*
 * overlayfs keeps the upper-layer dentry in its inode; set: the file was
 * written in the container. ovl_inode.__upperdentry dates from 09d8b586731b
 * ("ovl: move __upperdentry to ovl_inode"), 4.13. struct ovl_inode lives in
 * the overlay module: its BTF is found only with module BTF, 36e68442d1af
 * ("bpf: Load and verify kernel module BTFs"), 5.11; on 5.8-5.10 with
 * overlay built as a module the type is absent and the answer is "no".
 */
static __always_inline bool inode_on_upper_layer(struct inode *inode)
{
	struct ovl_inode *oi;

	if (!bpf_core_type_exists(struct ovl_inode))
		return false;
	if (BPF_CORE_READ(inode, i_sb, s_magic) != OVERLAYFS_SUPER_MAGIC)
		return false;
	oi = (void *)inode - bpf_core_field_offset(struct ovl_inode, vfs_inode);
	return BPF_CORE_READ(oi, __upperdentry) != 0;
}

/*
 * A file that no name tells apart: linked in no directory (a memfd, or
 * deleted after it was opened), or written in the container (upper layer).
 */
static __always_inline bool exe_drifted(struct file *exe, const bool btf)
{
	struct inode *inode = RD(btf, exe, f_inode);

	return !RD(btf, inode, __i_nlink) || inode_on_upper_layer(inode);
}

/*
 * Components of a path, leaf first, crossing mounts upward, one fixed slot
 * per step: a running offset would give the verifier a distinct state per
 * path and it would never prune (it hit the 1M-instruction limit that way).
 * A mount-crossing step leaves its slot empty. Returns the slots used;
 * *truncated is set when a name or the depth did not fit.
 */
static __always_inline __u16 read_path_slots(char *slots, const struct path *path, __u32 *flags,
					     __u32 truncated_flag, const int max_slots)
{
	struct dentry *dentry = BPF_CORE_READ(path, dentry);
	struct vfsmount *vfsmnt = BPF_CORE_READ(path, mnt);
	struct mount *mnt = (void *)vfsmnt - bpf_core_field_offset(struct mount, mnt);
	int used = max_slots;

#pragma unroll
	for (int i = 0; i < max_slots; i++) {
		struct dentry *mnt_root = BPF_CORE_READ(vfsmnt, mnt_root);
		struct dentry *parent = BPF_CORE_READ(dentry, d_parent);
		char *slot = &slots[i * SS_EXE_SLOT_LEN];
		long n;

		slot[0] = 0;
		if (dentry == mnt_root || dentry == parent) {
			struct mount *mnt_parent = BPF_CORE_READ(mnt, mnt_parent);

			if (dentry != mnt_root || mnt_parent == mnt) {
				used = i; /* global root reached */
				break;
			}
			dentry = BPF_CORE_READ(mnt, mnt_mountpoint);
			mnt = mnt_parent;
			vfsmnt = (void *)mnt + bpf_core_field_offset(struct mount, mnt);
			continue;
		}
		n = bpf_probe_read_kernel_str(slot, SS_EXE_SLOT_LEN,
					      BPF_CORE_READ(dentry, d_name.name));
		if (n == SS_EXE_SLOT_LEN)
			*flags |= truncated_flag;
		dentry = parent;
	}
	if (used == max_slots)
		*flags |= truncated_flag;
	return used;
}

/* The executed file: link count, overlay upper layer, path. */
static __always_inline void read_exe(struct ss_event *e, struct file *exe, const bool btf)
{
	struct inode *inode;

	e->exe_nlink = 0;
	e->exe_path_len = 0;
	if (!exe)
		return;
	inode = RD(btf, exe, f_inode);
	e->exe_nlink = RD(btf, inode, __i_nlink);
	if (!e->exe_nlink)
		e->flags |= SS_F_EXE_MEMFD;
	if (inode_on_upper_layer(inode))
		e->flags |= SS_F_EXE_UPPER_LAYER;
	e->exe_path_len = read_path_slots(e->exe_path, &exe->f_path, &e->flags,
					  SS_F_EXE_PATH_TRUNCATED, SS_EXE_SLOTS);
}

/*
 * The working directory (Falco's proc.cwd) and the parent's executable
 * (proc.pexepath), as path slots. A parent that is exiting has no mm: no
 * path then.
 */
static __always_inline void read_cwd_and_parent_exe(struct ss_event *e, struct task_struct *task,
						    __u32 cfg_flags, const bool btf)
{
	struct fs_struct *fs = 0;
	struct mm_struct *pmm = 0;
	struct file *pexe = 0;

	if ((cfg_flags & SS_CFG_GATHER_CWD) ||
	    ((cfg_flags & SS_CFG_GATHER_CWD_SESSION) && (e->flags & SS_F_SESSION)))
		fs = RD(btf, task, fs);
	if (cfg_flags & SS_CFG_GATHER_PEXEPATH)
		pmm = RD(btf, task, real_parent, mm);
	if (pmm)
		pexe = RD(btf, pmm, exe_file);
	e->cwd_len = 0;
	if (fs) {
		e->cwd_len = read_path_slots(e->cwd, &fs->pwd, &e->flags, SS_F_CWD_TRUNCATED,
					     SS_EXE_SLOTS);
		e->flags |= SS_F_CWD;
	}
	e->pexe_path_len = pexe ? read_path_slots(e->pexe_path, &pexe->f_path, &e->flags,
						  SS_F_PEXE_PATH_TRUNCATED, SS_SHORT_PATH_SLOTS)
				: 0;
}

#endif /* SS_FILE_BPF_H */
