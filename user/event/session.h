/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Shell sessions as userspace sees them: the id every command of a session
 * carries (shellsentry.session), and the end of a session (its shell
 * exited), decoded from the kernel's struct ss_session_end.
 */
#ifndef SS_EVENT_SESSION_H
#define SS_EVENT_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "lib/error.h"
#include "shellsentry.h"

#define SESSION_ID_MAX 32

/*
 * "<pid>-<start>": the shell's host pid and its exec time (boot clock, ns,
 * hex). Stable for the session's whole life and across daemon restarts;
 * unique on the node until it reboots.
 */
void session_id_format(char *buf, size_t len, uint32_t pid, uint64_t start_boot_ns);

/* Why a session started, as "injected,tty,network" (SS_SESSION_* bits); "" for none. */
void session_reasons_format(char *buf, size_t len, uint32_t reasons);

/*
 * The inverse, for --session-start: a comma-separated set of injected, tty,
 * network, or "none" alone. 0, or -EINVAL with the offending word in err.
 */
int session_reasons_parse(const char *s, uint32_t *out, struct ss_error *err);

/* Defaults: which shells start a session, and the caps per session. */
#define SESSION_START_DEFAULT "injected,tty,network"
#define SESSION_MAX_COMMANDS_DEFAULT 10000
#define SESSION_RATE_DEFAULT 100
#define SESSION_MAX_MEMBERS_DEFAULT 1024

struct session_end {
	char session[SESSION_ID_MAX];
	uint64_t start_ns; /* wall clock, ns since the epoch */
	uint64_t end_ns;   /* wall clock */
	uint64_t cgroup_id;
	uint64_t
		commands; /* counted by the kernel: sent or capped, the shell's own exec included */
	uint32_t pid;	  /* the shell, host pid */
	uint32_t exit_status; /* wait status: exit code << 8, or the signal (| 0x80 core dump) */
	uint32_t capped;      /* commands not sent: caps per session and per second */
	uint32_t untracked;   /* processes not followed: member cap or full map */
	uint32_t members;     /* processes of the session still running at the end */
	uint32_t pidns_inum;
};

/* 0 when the record is a session end, -ENOMSG when it is another kind, -EBADMSG if broken. */
int session_end_decode(const void *data, size_t len, int64_t boot_to_wall_ns,
		       struct session_end *out);

/* How the shell ended: "exit 0", "exit 7", "signal 9 (SIGKILL)", "signal 11 (SIGSEGV), core
 * dumped". */
void session_end_how(char *buf, size_t len, uint32_t exit_status);

#endif /* SS_EVENT_SESSION_H */
