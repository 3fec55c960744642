/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The one header shared by the BPF program and userspace: the ring-buffer
 * record, map value types and limits. Fixed-width types only, largest
 * members first, explicit padding, so both compilers agree on the layout.
 */
#ifndef SHELLSENTRY_H
#define SHELLSENTRY_H

#ifdef __BPF__
/* vmlinux.h provides __u8..__u64 */
#else
#include <linux/types.h>
#endif

#define SS_EVENT_VERSION 1

#define SS_COMM_LEN 16
#define SS_CGROUP_NAME_LEN 128
#define SS_FILENAME_LEN 256
#define SS_EXE_SLOTS 16 /* path components, leaf first */
#define SS_EXE_SLOT_LEN 32
#define SS_EXE_PATH_LEN (SS_EXE_SLOTS * SS_EXE_SLOT_LEN)
/* Power of two: the BPF side masks offsets with (SS_ARGV_LEN - 1). */
#define SS_ARGV_LEN 4096
#define SS_ANCESTORS 5
#define SS_NAME_KEY_LEN 16

/* Lineage of the exec relative to its container's init (vpid 1). */
enum ss_lineage {
	SS_LINEAGE_UNKNOWN = 0,
	SS_LINEAGE_ENTRYPOINT = 1, /* the exec'ing task is vpid 1 */
	SS_LINEAGE_INIT_TREE = 2,  /* an ancestor inside the pid ns is vpid 1 */
	SS_LINEAGE_INJECTED = 3,   /* the walk left the pid ns before vpid 1 */
};

/* ss_event.flags */
#define SS_F_ARGV_TRUNCATED (1u << 0)
#define SS_F_PIDNS (1u << 1)		   /* in a pid namespace other than the host's */
#define SS_F_CGROUP_CONTAINER (1u << 2)	   /* cgroup leaf names a container id */
#define SS_F_ANCESTORS_TRUNCATED (1u << 3) /* lineage walk hit its bound */
#define SS_F_EXE_PATH_TRUNCATED (1u << 4)
#define SS_F_INTERP (1u << 5)	       /* script: bprm->interp differs from filename */
#define SS_F_EXE_MEMFD (1u << 6)       /* exe has no link in any directory */
#define SS_F_EXE_UPPER_LAYER (1u << 7) /* exe on an overlayfs upper layer */
#define SS_F_MATCH_COMM (1u << 8)      /* interest matched on comm */
#define SS_F_MATCH_EXE (1u << 9)       /* interest matched on the exe file name */
#define SS_F_MATCH_INTERP (1u << 10)   /* interest matched on the interpreter */
#define SS_F_ALL_CONTAINER (1u << 11)  /* emitted because every exec is wanted */
#define SS_F_HOST_WANTED (1u << 12)    /* emitted because host execs are wanted */
#define SS_F_EXE_SIGHTING (1u << 13)   /* first exec of a file without a verdict: judge it */
#define SS_F_EXE_VERDICT (1u << 14)    /* its file's verdict (exe_id.kind) made it wanted */
#define SS_F_EXE_PENDING (1u << 15)    /* its file is being judged: that verdict decides */

/* names map values */
#define SS_NAME_INTEREST (1u << 0)
#define SS_NAME_MULTICALL (1u << 1) /* busybox-style: argv[1] names the tool */

/* config map (array, key 0) flags set by userspace from the loaded rules */
#define SS_CFG_ALL_CONTAINER_EXECS (1u << 0)
#define SS_CFG_HOST_EXECS (1u << 1)
/* also container execs whose exe is a memfd or on the overlay upper layer (drift) */
#define SS_CFG_EXE_DRIFT_EXECS (1u << 2)
/* judge container executables no name matched by their content (exe_verdicts map) */
#define SS_CFG_EXE_IDENTITY (1u << 3)

/* per-CPU counters map indices */
enum ss_counter {
	SS_CNT_EXECS = 0, /* every exec the program saw */
	SS_CNT_CONTAINER, /* execs that passed the container test */
	SS_CNT_EMITTED,	  /* events written to the ring buffer */
	SS_CNT_DROPS,	  /* ring-buffer output failures */
	SS_CNT_TRUNCATED, /* events with argv or path truncated */
	/* executable identity: container execs no name matched */
	SS_CNT_ID_SIGHTINGS, /* first sightings sent to be judged */
	SS_CNT_ID_PENDING,   /* execs of a file sent and not judged yet: sent behind it */
	SS_CNT_ID_SHELL,     /* execs wanted by a shell or multicall verdict */
	SS_CNT_ID_REJECTED,  /* execs rejected by a verdict (not a shell, or no shell applet) */
	SS_CNT_ID_LIMITED,   /* first sightings over the rate limit: not sent, not marked */
	SS_CNT_MAX,
};

/*
 * Executable identity. The key: the executed file's real inode (for
 * overlayfs, the upper or lower layer's: shared by every container of an
 * image, and still there when the container is gone) and what changes when
 * its content may have (size, ctime: writes and truncates set ctime, and
 * unlike mtime no system call sets it back), so a rewritten file is judged
 * again.
 */
struct ss_exe_key {
	__u64 ino;
	__u64 size;
	__s64 ctime_sec;
	__u32 ctime_nsec;
	__u32 dev; /* the real inode's superblock s_dev: major << 20 | minor */
	__u32 gen; /* i_generation, for a file handle */
	__u32 pad;
};

/* exe_verdicts map value */
enum ss_exe_state {
	SS_EXE_PENDING = 1, /* sent to userspace at since_ns, no verdict yet */
	SS_EXE_JUDGED = 2,
};
/* ss_exe_verdict.kind (userspace's enum exe_kind) */
#define SS_EXE_NOT_SHELL 0
#define SS_EXE_SHELL 1
#define SS_EXE_MULTICALL 2 /* busybox-like with a shell applet: argv[0] picks it */

struct ss_exe_verdict {
	__u64 since_ns; /* bpf_ktime_get_ns() when marked pending */
	__u8 state;	/* enum ss_exe_state */
	__u8 kind;	/* SS_EXE_* */
	__u8 shell;	/* userspace's enum exe_shell, opaque to the kernel */
	__u8 pad[5];
};

/* ss_exe_id.layer */
#define SS_EXE_LAYER_NONE 0 /* not on overlayfs */
#define SS_EXE_LAYER_UPPER 1
#define SS_EXE_LAYER_LOWER 2

/*
 * The executed file as the identity step saw it (zero unless an SS_F_EXE_*
 * flag is set): the real inode's key, and the key of the inode the process
 * sees (for overlayfs the overlay's, one per container mount; else the
 * same). The map holds verdicts under both: the visible key makes the
 * usual lookup cheap, the real one shares a verdict across containers.
 */
struct ss_exe_id {
	struct ss_exe_key key;
	struct ss_exe_key vis;
	__u32 fs_magic; /* the real inode's superblock s_magic: how to open it again */
	__u8 layer;	/* SS_EXE_LAYER_* */
	__u8 kind;	/* with SS_F_EXE_VERDICT: the verdict's SS_EXE_* */
	__u8 shell;	/* and its shell */
	__u8 pad;
};

struct ss_ancestor {
	__u32 pid;  /* tgid in the host pid ns */
	__u32 vpid; /* tgid in the exec'ing task's pid ns, 0 if outside it */
	char comm[SS_COMM_LEN];
};

/*
 * One exec. The record sent is ss_event up to argv, plus argv_len bytes of
 * argv: NUL-separated arguments, as in mm->arg_start..arg_end.
 */
struct ss_event {
	__u64 boot_ns; /* bpf_ktime_get_boot_ns() at exec */
	__u64 cgroup_id;
	__u64 cap_effective;
	__u64 cap_permitted;
	__u16 version;	    /* SS_EVENT_VERSION */
	__u16 header_len;   /* offsetof(struct ss_event, argv) */
	__u16 argv_len;	    /* bytes of argv that follow */
	__u16 exe_path_len; /* slots used in exe_path */
	__u32 flags;	    /* SS_F_* */
	__u32 pid;	    /* tgid, host pid ns */
	__u32 tid;
	__u32 vpid; /* tgid in its own pid ns */
	__u32 ppid; /* parent tgid, host pid ns */
	__u32 uid;
	__u32 gid;
	__u32 euid;
	__u32 loginuid; /* (u32)-1 when unset */
	__u32 tty;	/* Falco's encoding: new_encode_dev(major, minor); 0 = none */
	__u32 pidns_inum;
	__u32 mntns_inum;
	__u32 exe_nlink;
	__u8 lineage;	     /* enum ss_lineage */
	__u8 ancestor_count; /* valid entries in ancestors[] */
	__u8 pidns_level;
	__u8 pad0;
	struct ss_exe_id exe_id;
	char comm[SS_COMM_LEN];
	struct ss_ancestor ancestors[SS_ANCESTORS]; /* [0] is the parent */
	char cgroup_name[SS_CGROUP_NAME_LEN];	    /* leaf kernfs name */
	char filename[SS_FILENAME_LEN];		    /* bprm->filename as passed to exec */
	char interp[SS_FILENAME_LEN];		    /* bprm->interp (script interpreter) */
	/*
	 * Path components of the executed file, leaf first, one per
	 * SS_EXE_SLOT_LEN slot ("dash", "bin", "usr"); an empty slot is a mount
	 * crossing. Userspace joins them in reverse.
	 */
	char exe_path[SS_EXE_PATH_LEN];
	char argv[SS_ARGV_LEN];
};

#define SS_EVENT_HEADER_LEN __builtin_offsetof(struct ss_event, argv)

_Static_assert(sizeof(struct ss_ancestor) == 24, "ss_ancestor layout");
_Static_assert(sizeof(struct ss_exe_key) == 40, "ss_exe_key layout");
_Static_assert(sizeof(struct ss_exe_verdict) == 16, "ss_exe_verdict layout");
_Static_assert(sizeof(struct ss_exe_id) == 88, "ss_exe_id layout");
_Static_assert(__builtin_offsetof(struct ss_event, exe_id) == 96, "ss_exe_id alignment");
_Static_assert(SS_EVENT_HEADER_LEN == 1472, "ss_event header layout");
_Static_assert(sizeof(struct ss_event) == 1472 + SS_ARGV_LEN, "ss_event layout");

/*
 * Falco's proc.tty: the kernel's new_encode_dev() of the controlling tty's
 * device number, so pts/0 (136:0) reads 34816.
 */
static inline __u32 ss_tty_encode(__u32 major, __u32 minor)
{
	return (minor & 0xff) | (major << 8) | ((minor & ~0xffu) << 12);
}

/*
 * The other ring-buffer record: a container cgroup was removed, so
 * userspace can drop what it cached for it. version and header_len sit at
 * the same offsets as in ss_event; header_len tells the two apart.
 */
struct ss_cgroup_gone {
	__u64 boot_ns;
	__u64 cgroup_id;
	__u64 reserved[2];
	__u16 version;	  /* SS_EVENT_VERSION */
	__u16 header_len; /* sizeof(struct ss_cgroup_gone) */
	__u32 pad;
};

_Static_assert(__builtin_offsetof(struct ss_cgroup_gone, version) ==
		       __builtin_offsetof(struct ss_event, version),
	       "record kinds share the version offset");
_Static_assert(__builtin_offsetof(struct ss_cgroup_gone, header_len) ==
		       __builtin_offsetof(struct ss_event, header_len),
	       "record kinds share the header_len offset");
_Static_assert(sizeof(struct ss_cgroup_gone) == 40, "ss_cgroup_gone layout");

struct ss_config {
	__u32 flags; /* SS_CFG_* */
	__u32 pad;
};

#endif /* SHELLSENTRY_H */
