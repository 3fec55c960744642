/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * What a process's stdin, stdout and stderr are, from the kernel's facts
 * (struct ss_stdio), in Falco's words: proc.stdin.type is "file",
 * "directory", "ipv4", "ipv6", "unix", "pipe", "event", "signalfd",
 * "eventpoll", "inotify", "timerfd", "netlink", "bpf", "userfaultfd",
 * "io_uring", "memfd", "pidfd" or "<NA>" (libsinsp's
 * sinsp_fdinfo::get_typestring()), and null for a closed fd; proc.stdin.name
 * as Falco names fds ("127.0.0.1:43210->127.0.0.1:4444" client first,
 * "/dev/pts/0", "pipe:[123]"). Pure: no I/O; a regular file's full path is
 * context's job (the kernel sends its leaf name only).
 */
#ifndef SS_EVENT_STDIO_H
#define SS_EVENT_STDIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "shellsentry.h"

#define STDIO_ADDR_MAX 64 /* "[ffff:...:ffff]:65535" */
#define STDIO_NAME_MAX 160

struct exec_stdio {
	struct ss_stdio k;	    /* the kernel's facts, as sent */
	char type[16];		    /* Falco's proc.stdX.type; "" = null (fd not open) */
	char name[STDIO_NAME_MAX];  /* Falco's proc.stdX.name; "" = null */
	char peer[STDIO_ADDR_MAX];  /* remote "ip:port" of an IPv4/IPv6 socket, else "" */
	char local[STDIO_ADDR_MAX]; /* local "ip:port" of an IPv4/IPv6 socket, else "" */
	char proto[8];		    /* "tcp", "udp", ... of an IPv4/IPv6 socket, else "" */
};

/* Fill the rendered strings of s from s->k. */
void stdio_render(struct exec_stdio *s);

/* An IPv4/IPv6 socket (IPv4-mapped IPv6 included). */
bool stdio_is_network(const struct exec_stdio *s);
/* A terminal: a character device of a tty driver (pts, vt, serial, console, /dev/tty). */
bool stdio_is_tty(const struct exec_stdio *s);

/* The kernel's dev_t encoding (MKDEV: major << 20 | minor). */
static inline uint32_t stdio_dev_major(uint32_t dev)
{
	return dev >> 20;
}

static inline uint32_t stdio_dev_minor(uint32_t dev)
{
	return dev & 0xfffff;
}

#endif /* SS_EVENT_STDIO_H */
