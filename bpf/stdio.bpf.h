/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * What the new process's fds 0, 1 and 2 are: the inode's type, and for a
 * socket its family, protocol, state and IPv4/IPv6 addresses. Bounded: three
 * fds, a fixed set of reads each, one short string (the leaf name); no path
 * walk. A shell whose stdin or stdout is a network socket is a reverse or
 * bind shell whatever its command line says.
 */
#ifndef SS_STDIO_BPF_H
#define SS_STDIO_BPF_H

#include <bpf/bpf_endian.h>

#include "compat.bpf.h"
#include "shellsentry.h"

/* include/uapi/linux/stat.h, magic.h and socket.h: macros, so not in vmlinux.h */
#define SS_S_IFMT 00170000
#define SS_S_IFSOCK 0140000
#define SS_S_IFLNK 0120000
#define SS_S_IFREG 0100000
#define SS_S_IFBLK 0060000
#define SS_S_IFDIR 0040000
#define SS_S_IFCHR 0020000
#define SS_S_IFIFO 0010000
#define SS_SOCKFS_MAGIC 0x534F434B
#define SS_AF_INET 2
#define SS_AF_INET6 10

static __always_inline __u8 fd_kind(__u16 mode)
{
	switch (mode & SS_S_IFMT) {
	case SS_S_IFREG:
		return SS_FD_REG;
	case SS_S_IFDIR:
		return SS_FD_DIR;
	case SS_S_IFCHR:
		return SS_FD_CHR;
	case SS_S_IFBLK:
		return SS_FD_BLK;
	case SS_S_IFIFO:
		return SS_FD_FIFO;
	case SS_S_IFSOCK:
		return SS_FD_SOCK;
	case SS_S_IFLNK:
		return SS_FD_LNK;
	case 0:
		return SS_FD_ANON; /* anon_inode_getfile(): eventfd, epoll, signalfd, ... */
	default:
		return SS_FD_OTHER;
	}
}

/*
 * A sockfs socket: the file's private_data is its struct socket. Checked by
 * the superblock: an O_PATH fd of a socket file on disk has S_IFSOCK too, but
 * no struct socket behind it. sk_protocol and sk_type are plain u16 since
 * bf9765145b85 ("sock: Make sk_protocol a 16-bit value"), 5.6, below our
 * floor, so no bitfield read.
 */
static __always_inline void read_socket(struct ss_stdio *out, struct file *f, struct inode *inode,
					const bool btf)
{
	struct socket *sock;
	struct sock *sk;

	if (RD(btf, inode, i_sb, s_magic) != SS_SOCKFS_MAGIC)
		return;
	sock = (struct socket *)RD(btf, f, private_data);
	sk = BPF_CORE_READ(sock, sk);
	if (!sk)
		return;
	out->family = BPF_CORE_READ(sk, __sk_common.skc_family);
	out->state = BPF_CORE_READ(sk, __sk_common.skc_state);
	out->sock_type = BPF_CORE_READ(sk, sk_type);
	out->protocol = BPF_CORE_READ(sk, sk_protocol);
	if (out->family != SS_AF_INET && out->family != SS_AF_INET6)
		return;
	out->local_port = BPF_CORE_READ(sk, __sk_common.skc_num);
	out->remote_port = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	/* Sized reads: BPF_CORE_READ_INTO() would take the size of the destination's element. */
	if (out->family == SS_AF_INET) {
		bpf_core_read(out->local_addr, 4, &sk->__sk_common.skc_rcv_saddr);
		bpf_core_read(out->remote_addr, 4, &sk->__sk_common.skc_daddr);
		return;
	}
	/* The IPv6 addresses exist with CONFIG_IPV6 only. */
	if (bpf_core_field_exists(sk->__sk_common.skc_v6_daddr)) {
		bpf_core_read(out->local_addr, 16, &sk->__sk_common.skc_v6_rcv_saddr);
		bpf_core_read(out->remote_addr, 16, &sk->__sk_common.skc_v6_daddr);
	}
}

/* One fd; out is cleared first (the event buffer is reused per CPU). */
static __always_inline void read_fd(struct ss_stdio *out, struct file *f, const bool btf)
{
	struct inode *inode;

	__builtin_memset(out, 0, sizeof(*out));
	if (!f)
		return;
	inode = RD(btf, f, f_inode);
	out->kind = fd_kind(RD(btf, inode, i_mode));
	out->ino = RD(btf, inode, i_ino);
	out->dev = RD(btf, inode, i_sb, s_dev);
	bpf_probe_read_kernel_str(out->name, sizeof(out->name),
				  RD(btf, f, f_path.dentry, d_name.name));
	if (out->kind == SS_FD_CHR || out->kind == SS_FD_BLK)
		out->rdev = RD(btf, inode, i_rdev);
	else if (out->kind == SS_FD_SOCK)
		read_socket(out, f, inode, btf);
}

/*
 * fds 0-2 after exec (close-on-exec fds are already closed when
 * sched_process_exec fires). While a process never had more than 64 fds
 * open, its table is the array embedded in files_struct (fdt->fd ==
 * files->fd_array): in tp_btf those pointers are typed and the whole read
 * is plain loads. A table that grew is read with probe reads: a pointer to
 * a pointer is no typed pointer for the verifier.
 */
static __always_inline void read_stdio(struct ss_event *e, struct task_struct *task, const bool btf)
{
	struct files_struct *files = RD(btf, task, files);
	struct fdtable *fdt = RD(btf, files, fdt);
	struct file **fds = RD(btf, fdt, fd);
	__u32 max = RD(btf, fdt, max_fds);

	if (btf && (void *)fds == (void *)&files->fd_array[0]) {
#pragma unroll
		for (int i = 0; i < SS_STDIO_FDS; i++)
			read_fd(&e->stdio[i], files->fd_array[i], true);
		return;
	}
#pragma unroll
	for (int i = 0; i < SS_STDIO_FDS; i++) {
		struct file *f = 0;

		if ((__u32)i < max)
			bpf_probe_read_kernel(&f, sizeof(f), &fds[i]);
		/* f came from a probe read: no typed pointer, so probe reads from here on */
		read_fd(&e->stdio[i], f, false);
	}
}

static __always_inline bool stdio_is_network(const struct ss_stdio *s)
{
	return s->kind == SS_FD_SOCK && (s->family == SS_AF_INET || s->family == SS_AF_INET6);
}

#endif /* SS_STDIO_BPF_H */
