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

#define SS_EVENT_VERSION 2

#define SS_COMM_LEN 16
#define SS_CGROUP_NAME_LEN 128
#define SS_FILENAME_LEN 256
#define SS_EXE_SLOTS 16 /* path components, leaf first */
#define SS_EXE_SLOT_LEN 32
#define SS_EXE_PATH_LEN (SS_EXE_SLOTS * SS_EXE_SLOT_LEN)
/* the parent's exe: half as deep (output only), every byte of the header is sent */
#define SS_SHORT_PATH_SLOTS 8
#define SS_SHORT_PATH_LEN (SS_SHORT_PATH_SLOTS * SS_EXE_SLOT_LEN)
/* Power of two: the BPF side masks offsets with (SS_ARGV_LEN - 1). */
#define SS_ARGV_LEN 4096
#define SS_ANCESTORS 5
#define SS_NAME_KEY_LEN 16
#define SS_STDIO_FDS 3	  /* fds 0, 1, 2 */
#define SS_FD_NAME_LEN 32 /* leaf name of an fd's file, power of two */

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
#define SS_F_SESSION (1u << 16)	       /* the process belongs to a shell session */
#define SS_F_SESSION_START (1u << 17)  /* this exec started the session */
#define SS_F_SESSION_ONLY (1u << 18)   /* sent only as a session command (session ring) */
#define SS_F_CONTAINER_INIT (1u << 19) /* container_init is set (--pid=host container) */
#define SS_F_CWD_TRUNCATED (1u << 20)
#define SS_F_PEXE_PATH_TRUNCATED (1u << 21)
#define SS_F_CWD (1u << 22) /* cwd was read (0 slots: "/") */
/* Kernel-internal, cleared before an event is sent. */
#define SS_F_KERNEL_SHELL (1u << 30)	 /* a shell outside any session: may start one */
#define SS_F_KERNEL_CANDIDATE (1u << 31) /* wanted only for that */

/* names map values */
#define SS_NAME_INTEREST (1u << 0)
#define SS_NAME_MULTICALL (1u << 1) /* busybox-style: argv[1] names the tool */
#define SS_NAME_SHELL (1u << 2)	    /* a shell: its exec may start a session */

/* config map (array, key 0) flags set by userspace from the loaded rules */
#define SS_CFG_ALL_CONTAINER_EXECS (1u << 0)
#define SS_CFG_HOST_EXECS (1u << 1)
/* also container execs whose exe is a memfd or on the overlay upper layer (drift) */
#define SS_CFG_EXE_DRIFT_EXECS (1u << 2)
/* judge container executables no name matched by their content (exe_verdicts map) */
#define SS_CFG_EXE_IDENTITY (1u << 3)
/*
 * gather the working directory (proc.cwd) / the parent's executable path
 * (proc.pexepath): two dentry walks, ~2 us of a container shell's exec, done
 * only when a loaded rule reads them
 */
#define SS_CFG_GATHER_CWD (1u << 4)
#define SS_CFG_GATHER_PEXEPATH (1u << 5)
/* proc.cwd for session commands only (read by rules that match nothing else) */
#define SS_CFG_GATHER_CWD_SESSION (1u << 6)

/*
 * container_cgroups map value. A container's init is the process that a
 * container sharing the host's pid namespace (--pid=host, hostPID pods) has
 * instead of a vpid 1: lineage is told from it and from the cgroup.
 */
enum ss_cgroup_init_state {
	SS_CG_INIT_FRESH = 0,	/* created while attached: its first exec is the init's */
	SS_CG_INIT_KNOWN = 1,	/* init_tgid holds the init */
	SS_CG_INIT_UNKNOWN = 2, /* existed before and no init was found */
};

struct ss_cgroup_info {
	__u32 init_tgid;
	__u32 state; /* enum ss_cgroup_init_state */
};

/* ss_config.session_flags: which shells start a session */
#define SS_SESSION_INJECTED (1u << 0) /* lineage injected (kubectl/podman/docker exec, nsenter) */
#define SS_SESSION_TTY (1u << 1)      /* a controlling terminal or a terminal on stdin */
#define SS_SESSION_NET (1u << 2)      /* an IPv4/IPv6 socket on stdin, stdout or stderr */

/* per-CPU counters map indices */
enum ss_counter {
	SS_CNT_EXECS = 0, /* every exec the program saw */
	SS_CNT_CONTAINER, /* execs that passed the container test */
	SS_CNT_EMITTED,	  /* events written to the ring buffer */
	SS_CNT_DROPS,	  /* ring-buffer output failures */
	SS_CNT_TRUNCATED, /* events with argv or path truncated */
	/* executable identity: container execs no name matched */
	SS_CNT_ID_SIGHTINGS,   /* first sightings sent to be judged */
	SS_CNT_ID_PENDING,     /* execs of a file sent and not judged yet: sent behind it */
	SS_CNT_ID_SHELL,       /* execs wanted by a shell or multicall verdict */
	SS_CNT_ID_REJECTED,    /* execs rejected by a verdict (not a shell, or no shell applet) */
	SS_CNT_ID_LIMITED,     /* first sightings over the rate limit: not sent, not marked */
	SS_CNT_SESSIONS,       /* sessions started */
	SS_CNT_SESSION_FULL,   /* sessions not started: the sessions map was full */
	SS_CNT_SESSION_CMDS,   /* session-only commands written to the session ring */
	SS_CNT_SESSION_CAPPED, /* session commands not sent: per-session or per-second cap */
	SS_CNT_SESSION_DROPS,  /* session ring output failures */
	SS_CNT_SESSION_UNTRACKED, /* processes not followed: member cap or map full */
	SS_CNT_SESSION_ENDS,	  /* session end records written */
	SS_CNT_MAX,
};

/* What an fd refers to (ss_stdio.kind), from the inode's type. */
enum ss_fd_kind {
	SS_FD_NONE = 0, /* not open */
	SS_FD_REG,	/* regular file (a memfd too: its name starts with "memfd:") */
	SS_FD_DIR,
	SS_FD_CHR, /* character device: terminal, /dev/null, ... (rdev says which) */
	SS_FD_BLK,
	SS_FD_FIFO,
	SS_FD_SOCK, /* family and, for IPv4/IPv6, addresses below */
	SS_FD_LNK,
	SS_FD_ANON, /* no file type: an anonymous inode (eventfd, epoll, ...: name says which) */
	SS_FD_OTHER,
};

/*
 * One of fds 0-2 of the new process. Addresses in network byte order: an
 * IPv4 address in the first 4 bytes, IPv6 in all 16. Ports in host order.
 */
struct ss_stdio {
	__u64 ino;
	__u8 local_addr[16];
	__u8 remote_addr[16];
	__u32 dev;  /* the inode's superblock device, kernel encoding */
	__u32 rdev; /* device number of a character/block device, kernel encoding */
	__u16 family;
	__u16 sock_type; /* SOCK_STREAM, SOCK_DGRAM, ... */
	__u16 protocol;	 /* IPPROTO_TCP, IPPROTO_UDP, ... */
	__u16 local_port;
	__u16 remote_port;
	__u8 kind;		   /* enum ss_fd_kind */
	__u8 state;		   /* socket state (TCP_ESTABLISHED = 1, TCP_LISTEN = 10) */
	char name[SS_FD_NAME_LEN]; /* leaf name of the file (dentry) */
	__u8 pad[4];
};

_Static_assert(sizeof(struct ss_stdio) == 96, "ss_stdio layout");

/* A session: the shell that started it, by host pid and exec time. */
struct ss_session_key {
	__u64 start_ns; /* boot_ns of the shell's exec */
	__u32 pid;	/* the shell's tgid, host pid ns */
	__u32 pad;
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
	__u8 session_reasons; /* SS_SESSION_* that started it, with SS_F_SESSION_START */
	struct ss_exe_id exe_id;
	__u32 container_init; /* host pid of the init of a container sharing the host's pid ns */
	__u16 cwd_len;	      /* slots used in cwd */
	__u16 pexe_path_len;  /* slots used in pexe_path; 0: the parent has no executable left */
	struct ss_session_key session; /* valid with SS_F_SESSION */
	struct ss_stdio stdio[SS_STDIO_FDS];
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
	char cwd[SS_EXE_PATH_LEN];	   /* working directory, as exe_path */
	char pexe_path[SS_SHORT_PATH_LEN]; /* the parent's executable, as exe_path */
	char argv[SS_ARGV_LEN];
};

#define SS_EVENT_HEADER_LEN __builtin_offsetof(struct ss_event, argv)

_Static_assert(sizeof(struct ss_ancestor) == 24, "ss_ancestor layout");
_Static_assert(sizeof(struct ss_exe_key) == 40, "ss_exe_key layout");
_Static_assert(sizeof(struct ss_exe_verdict) == 16, "ss_exe_verdict layout");
_Static_assert(sizeof(struct ss_exe_id) == 88, "ss_exe_id layout");
_Static_assert(__builtin_offsetof(struct ss_event, exe_id) == 96, "ss_exe_id alignment");
_Static_assert(sizeof(struct ss_session_key) == 16, "ss_session_key layout");
_Static_assert(SS_EVENT_HEADER_LEN == 2552, "ss_event header layout");
_Static_assert(sizeof(struct ss_event) == 2552 + SS_ARGV_LEN, "ss_event layout");

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

/*
 * A session's shell exited (the last thread of its process). Written to the
 * main ring buffer. Commands may still come from members left running.
 */
struct ss_session_end {
	__u64 boot_ns;	  /* exit time */
	__u64 start_ns;	  /* the session key's start_ns */
	__u64 cgroup_id;  /* of the shell */
	__u64 commands;	  /* commands counted (sent or capped) */
	__u16 version;	  /* SS_EVENT_VERSION */
	__u16 header_len; /* sizeof(struct ss_session_end) */
	__u32 pid;	  /* the session key's pid */
	__u32 exit_code;  /* the shell's wait status: exit code << 8, or the signal */
	__u32 capped;	  /* commands not sent because of the caps */
	__u32 untracked;  /* processes not followed (member cap, full map) */
	__u32 members;	  /* processes of the session still running */
	__u32 pidns_inum;
	__u32 pad;
};

_Static_assert(__builtin_offsetof(struct ss_session_end, version) ==
		       __builtin_offsetof(struct ss_event, version),
	       "record kinds share the version offset");
_Static_assert(__builtin_offsetof(struct ss_session_end, header_len) ==
		       __builtin_offsetof(struct ss_event, header_len),
	       "record kinds share the header_len offset");
_Static_assert(sizeof(struct ss_session_end) == 64, "ss_session_end layout");

/* A session's state in the kernel (sessions map value). */
struct ss_session_state {
	__u64 start_ns;
	__u64 commands;	    /* commands counted, sent or capped */
	__u64 window_start; /* bpf_ktime_get_ns() of the current one-second window */
	__u32 window_count; /* commands sent in that window */
	__u32 capped;
	__u32 members; /* live processes of the session */
	__u32 untracked;
	__u32 ended; /* the shell exited; the state goes with the last member */
	__u32 sent;  /* session-only commands sent (session_max_commands caps these) */
};

struct ss_config {
	__u32 flags;		    /* SS_CFG_* */
	__u32 session_flags;	    /* SS_SESSION_*: which shells start a session; 0 = none */
	__u32 session_max_commands; /* session-only commands sent per session; 0 = no limit */
	__u32 session_rate;	    /* commands per second per session; 0 = no limit */
	__u32 session_max_members;  /* live processes followed per session; 0 = no limit */
	__u32 pad;
};

#endif /* SHELLSENTRY_H */
