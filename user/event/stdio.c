// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "event/stdio.h"

/* Anonymous inodes by the name anon_inode_getfile() gives them, Falco's type for each. */
static const struct {
	const char *leaf;
	const char *type;
} anon_types[] = {
	{"[eventfd]", "event"},	    {"[eventpoll]", "eventpoll"}, {"[signalfd]", "signalfd"},
	{"[timerfd]", "timerfd"},   {"inotify", "inotify"},	  {"[userfaultfd]", "userfaultfd"},
	{"[io_uring]", "io_uring"}, {"[pidfd]", "pidfd"},	  {"bpf-map", "bpf"},
	{"bpf-prog", "bpf"},	    {"bpf_link", "bpf"},	  {"bpf_iter", "bpf"},
};

static const uint8_t v4mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

static bool is_v4mapped(const uint8_t a[16])
{
	return !memcmp(a, v4mapped, sizeof(v4mapped));
}

/* Family as Falco reports it: IPv6 with both ends IPv4-mapped is IPv4. */
static int effective_family(const struct ss_stdio *k)
{
	if (k->family == AF_INET6 && is_v4mapped(k->local_addr) && is_v4mapped(k->remote_addr))
		return AF_INET;
	return k->family;
}

/* "ip:port"; brackets around an IPv6 address when bracket is set (Falco writes none). */
static void addr_port(char *buf, size_t len, int family, const uint8_t a[16], uint16_t port,
		      bool bracket)
{
	char ip[INET6_ADDRSTRLEN] = "";

	if (family == AF_INET) {
		/* An IPv4-mapped IPv6 address keeps its IPv4 part in the last 4 bytes. */
		inet_ntop(AF_INET, is_v4mapped(a) ? a + 12 : a, ip, sizeof(ip));
		snprintf(buf, len, "%s:%u", ip, port);
	} else {
		inet_ntop(AF_INET6, a, ip, sizeof(ip));
		snprintf(buf, len, bracket ? "[%s]:%u" : "%s:%u", ip, port);
	}
}

static const char *proto_name(uint16_t protocol)
{
	switch (protocol) {
	case IPPROTO_TCP:
		return "tcp";
	case IPPROTO_UDP:
		return "udp";
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		return "icmp";
	case IPPROTO_RAW:
		return "raw";
	default:
		return "";
	}
}

/* Terminal and well-known device names from the device number
 * (Documentation/admin-guide/devices.txt). */
static bool device_name(char *buf, size_t len, uint32_t rdev, const char *leaf)
{
	uint32_t ma = stdio_dev_major(rdev), mi = stdio_dev_minor(rdev);

	if (ma >= 136 && ma <= 143)
		snprintf(buf, len, "/dev/pts/%u", (ma - 136) * 256 + mi);
	else if (ma == 4 && mi < 64)
		snprintf(buf, len, "/dev/tty%u", mi);
	else if (ma == 4)
		snprintf(buf, len, "/dev/ttyS%u", mi - 64);
	else if (ma == 5 && mi == 0)
		snprintf(buf, len, "/dev/tty");
	else if (ma == 5 && mi == 1)
		snprintf(buf, len, "/dev/console");
	else if (ma == 5 && mi == 2)
		snprintf(buf, len, "/dev/ptmx");
	else if (ma == 1 && mi == 3)
		snprintf(buf, len, "/dev/null");
	else if (ma == 1 && mi == 5)
		snprintf(buf, len, "/dev/zero");
	else if (ma == 1 && mi == 8)
		snprintf(buf, len, "/dev/random");
	else if (ma == 1 && mi == 9)
		snprintf(buf, len, "/dev/urandom");
	else if (leaf[0])
		snprintf(buf, len, "/dev/%s", leaf);
	else
		return false;
	return true;
}

bool stdio_is_tty(const struct exec_stdio *s)
{
	uint32_t ma = stdio_dev_major(s->k.rdev), mi = stdio_dev_minor(s->k.rdev);

	if (s->k.kind != SS_FD_CHR)
		return false;
	return (ma >= 136 && ma <= 143) || ma == 4 || (ma == 5 && mi <= 1) || ma == 3 || ma == 204;
}

bool stdio_is_network(const struct exec_stdio *s)
{
	return s->k.kind == SS_FD_SOCK && (s->k.family == AF_INET || s->k.family == AF_INET6);
}

static void render_socket(struct exec_stdio *s, const char *leaf)
{
	const struct ss_stdio *k = &s->k;
	int fam = effective_family(k);
	char l[STDIO_ADDR_MAX], r[STDIO_ADDR_MAX];

	switch (k->family) {
	case AF_INET:
	case AF_INET6:
		break;
	case AF_UNIX:
		snprintf(s->type, sizeof(s->type), "unix");
		snprintf(s->name, sizeof(s->name), "socket:[%llu]", (unsigned long long)k->ino);
		return;
	case AF_NETLINK:
		snprintf(s->type, sizeof(s->type), "netlink");
		snprintf(s->name, sizeof(s->name), "socket:[%llu]", (unsigned long long)k->ino);
		return;
	default:
		snprintf(s->type, sizeof(s->type), "<NA>");
		snprintf(s->name, sizeof(s->name), "%s", leaf);
		return;
	}
	snprintf(s->type, sizeof(s->type), "%s", fam == AF_INET ? "ipv4" : "ipv6");
	snprintf(s->proto, sizeof(s->proto), "%s", proto_name(k->protocol));
	addr_port(s->local, sizeof(s->local), fam, k->local_addr, k->local_port, true);
	addr_port(l, sizeof(l), fam, k->local_addr, k->local_port, false);
	if (!k->remote_port) {
		/* Not connected (a listening or unbound socket): Falco names the local end only. */
		snprintf(s->name, sizeof(s->name), "%s", l);
		return;
	}
	addr_port(s->peer, sizeof(s->peer), fam, k->remote_addr, k->remote_port, true);
	addr_port(r, sizeof(r), fam, k->remote_addr, k->remote_port, false);
	/*
	 * Falco writes client->server. Which end connected is not in the
	 * socket; the server's port is the lower one as a rule (ephemeral ports
	 * are high): a name only, detection never relies on it.
	 */
	if (k->local_port < k->remote_port)
		snprintf(s->name, sizeof(s->name), "%s->%s", r, l);
	else
		snprintf(s->name, sizeof(s->name), "%s->%s", l, r);
}

void stdio_render(struct exec_stdio *s)
{
	const struct ss_stdio *k = &s->k;
	char leaf[SS_FD_NAME_LEN + 1];

	s->type[0] = s->name[0] = s->peer[0] = s->local[0] = s->proto[0] = 0;
	memcpy(leaf, k->name, SS_FD_NAME_LEN);
	leaf[SS_FD_NAME_LEN] = 0;
	switch (k->kind) {
	case SS_FD_NONE:
		return;
	case SS_FD_REG:
		snprintf(s->type, sizeof(s->type), "%s",
			 strncmp(leaf, "memfd:", 6) ? "file" : "memfd");
		snprintf(s->name, sizeof(s->name), "%s", leaf);
		return;
	case SS_FD_DIR:
		snprintf(s->type, sizeof(s->type), "directory");
		snprintf(s->name, sizeof(s->name), "%s", leaf);
		return;
	case SS_FD_CHR:
	case SS_FD_BLK:
		/* Falco's type for a device, a terminal included, is "file". */
		snprintf(s->type, sizeof(s->type), "file");
		if (!device_name(s->name, sizeof(s->name), k->rdev, leaf))
			s->name[0] = 0;
		return;
	case SS_FD_FIFO:
		snprintf(s->type, sizeof(s->type), "pipe");
		snprintf(s->name, sizeof(s->name), "pipe:[%llu]", (unsigned long long)k->ino);
		return;
	case SS_FD_SOCK:
		render_socket(s, leaf);
		return;
	case SS_FD_ANON:
		snprintf(s->type, sizeof(s->type), "<NA>");
		for (size_t i = 0; i < sizeof(anon_types) / sizeof(anon_types[0]); i++)
			if (!strcmp(leaf, anon_types[i].leaf))
				snprintf(s->type, sizeof(s->type), "%s", anon_types[i].type);
		snprintf(s->name, sizeof(s->name), "anon_inode:%s", leaf);
		return;
	default:
		snprintf(s->type, sizeof(s->type), "<NA>");
		snprintf(s->name, sizeof(s->name), "%s", leaf);
		return;
	}
}
