/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * A decoded and enriched exec: what rules, formatters and reports read.
 * Strings are NUL-terminated copies of bounded, untrusted bytes; they may
 * hold any byte except NUL and must be escaped by whoever prints them.
 */
#ifndef SS_EXEC_EVENT_H
#define SS_EXEC_EVENT_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#include "event/session.h"
#include "event/stdio.h"
#include "shellsentry.h"

#define EXEC_STR_MAX 8192 /* cmdline/args copies: argv bytes + separators */
#define EXEC_PATH_MAX 512

enum tristate { TRI_UNKNOWN = -1, TRI_FALSE = 0, TRI_TRUE = 1 };

enum container_runtime {
	RUNTIME_NONE = 0, /* host process */
	RUNTIME_UNKNOWN,  /* container, runtime not recognised */
	RUNTIME_DOCKER,
	RUNTIME_CONTAINERD,
	RUNTIME_CRIO,
	RUNTIME_PODMAN,
};

struct exec_ancestor {
	uint32_t pid;
	uint32_t vpid;
	char comm[SS_COMM_LEN + 1];
};

/* Container and Kubernetes context; empty string = unknown (null). */
struct container_info {
	bool is_container; /* false: host process */
	enum container_runtime runtime;
	char id[13]; /* Falco's short id, "host", or "" when unresolved */
	char full_id[65];
	char name[256];
	char image[512];
	char image_repository[512];
	char image_tag[128];
	enum tristate privileged;
	char pod_name[256];
	char pod_namespace[256];
	char pod_uid[64];
	char k8s_container_name[256];
	/* the container's root folder on the node (runtime state); not a field */
	char rootfs[512];
};

struct exec_event {
	/* from the kernel record */
	uint64_t time_ns; /* wall clock, ns since the epoch */
	uint64_t boot_ns;
	uint64_t cgroup_id;
	uint64_t cap_effective;
	uint64_t cap_permitted;
	uint32_t flags; /* SS_F_* */
	uint32_t pid, tid, vpid, ppid;
	uint32_t uid, gid, euid;
	int64_t loginuid; /* -1 when unset, as Falco prints it */
	uint32_t tty;
	uint32_t pidns_inum, mntns_inum;
	uint32_t exe_nlink;
	uint8_t pidns_level;
	enum ss_lineage lineage;
	char comm[SS_COMM_LEN + 1];
	int ancestor_count;
	struct exec_ancestor ancestors[SS_ANCESTORS]; /* [0] = parent */
	char cgroup_name[SS_CGROUP_NAME_LEN + 1];
	char filename[SS_FILENAME_LEN + 1];
	char interp[SS_FILENAME_LEN + 1];
	char exepath[EXEC_PATH_MAX];  /* resolved path of the executed file */
	char cwd[EXEC_PATH_MAX];      /* working directory, with a trailing '/' as Falco's */
	char pexepath[EXEC_PATH_MAX]; /* the parent's executable; "" when it had none left */
	struct exec_stdio stdio[SS_STDIO_FDS]; /* fds 0, 1, 2 at exec */
	/* the first of fds 0, 1, 2 that is an IPv4/IPv6 socket; "" when none is */
	char stdio_peer[STDIO_ADDR_MAX], stdio_local[STDIO_ADDR_MAX], stdio_proto[8];

	/* shell session (SS_F_SESSION); session[0] == 0 when none */
	char session[SESSION_ID_MAX]; /* shellsentry.session */
	uint32_t session_pid;	      /* the session's shell, host pid */
	uint64_t session_start_ns;    /* its exec, wall clock */
	char session_reasons[32]; /* why this exec started it (SS_F_SESSION_START): "injected,tty"
				   */
	/* the executed file's identity, with SS_F_EXE_SIGHTING, _PENDING or _VERDICT */
	struct ss_exe_id exe_id;
	/*
	 * What the file is by its content (context/exe_classify): SS_EXE_* and
	 * the shell's name ("" when not judged, not a shell, or a multicall
	 * binary, whose applet argv picks). From the kernel's verdict map, or
	 * from the judge for a first sighting.
	 */
	uint8_t exe_kind;
	char exe_shell[16];

	/* argv, as decoded */
	int argc;
	char exe[EXEC_STR_MAX];	    /* argv[0] */
	char args[EXEC_STR_MAX];    /* argv[1..] joined by one space */
	char cmdline[EXEC_STR_MAX]; /* proc.name + " " + args (Falco) */
	char argv_raw[SS_ARGV_LEN]; /* NUL-separated, argv_len bytes */
	size_t argv_len;

	/* enrichment */
	char hostname[256];
	char user_name[256];	     /* "" = unknown */
	char pcmdline[EXEC_STR_MAX]; /* parent's cmdline when known, else "" */
	char pexe[EXEC_STR_MAX];     /* parent's argv[0] when known, else "" */
	struct container_info container;
};

#endif /* SS_EXEC_EVENT_H */
