/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* stdio facts -> Falco's proc.stdX.type/name and shellsentry's peer fields. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "event/stdio.h"

#define KDEV(ma, mi) (((ma) << 20) | (mi))

static struct exec_stdio sock4(const char *l, uint16_t lp, const char *r, uint16_t rp, int proto)
{
	struct exec_stdio s = {0};

	s.k.kind = SS_FD_SOCK;
	s.k.family = AF_INET;
	s.k.sock_type = proto == IPPROTO_TCP ? SOCK_STREAM : SOCK_DGRAM;
	s.k.protocol = proto;
	s.k.local_port = lp;
	s.k.remote_port = rp;
	inet_pton(AF_INET, l, s.k.local_addr);
	inet_pton(AF_INET, r, s.k.remote_addr);
	stdio_render(&s);
	return s;
}

static void test_reverse_shell_tcp4(void **state)
{
	/* the shell connected out: its end is the client (high, ephemeral port) */
	struct exec_stdio s = sock4("10.0.0.5", 43210, "203.0.113.7", 4444, IPPROTO_TCP);

	(void)state;
	assert_string_equal(s.type, "ipv4");
	assert_string_equal(s.name, "10.0.0.5:43210->203.0.113.7:4444");
	assert_string_equal(s.peer, "203.0.113.7:4444");
	assert_string_equal(s.local, "10.0.0.5:43210");
	assert_string_equal(s.proto, "tcp");
	assert_true(stdio_is_network(&s));
}

static void test_bind_shell_server_first(void **state)
{
	/* accepted on port 4444: Falco names it client->server, the peer first */
	struct exec_stdio s = sock4("10.0.0.5", 4444, "198.51.100.2", 51000, IPPROTO_TCP);

	(void)state;
	assert_string_equal(s.name, "198.51.100.2:51000->10.0.0.5:4444");
	assert_string_equal(s.peer, "198.51.100.2:51000");
}

static void test_listening_and_udp(void **state)
{
	struct exec_stdio l = sock4("0.0.0.0", 4444, "0.0.0.0", 0, IPPROTO_TCP);
	struct exec_stdio u = sock4("10.0.0.5", 40000, "10.0.0.1", 53, IPPROTO_UDP);

	(void)state;
	assert_string_equal(l.name, "0.0.0.0:4444");
	assert_string_equal(l.peer, "");
	assert_string_equal(u.proto, "udp");
	assert_string_equal(u.peer, "10.0.0.1:53");
}

static void test_ipv6_and_mapped(void **state)
{
	struct exec_stdio s = {0}, m = {0};

	(void)state;
	s.k.kind = m.k.kind = SS_FD_SOCK;
	s.k.family = m.k.family = AF_INET6;
	s.k.protocol = m.k.protocol = IPPROTO_TCP;
	s.k.local_port = m.k.local_port = 50000;
	s.k.remote_port = m.k.remote_port = 443;
	inet_pton(AF_INET6, "2001:db8::5", s.k.local_addr);
	inet_pton(AF_INET6, "2001:db8::9", s.k.remote_addr);
	stdio_render(&s);
	assert_string_equal(s.type, "ipv6");
	/* Falco writes IPv6 without brackets; the peer field has them */
	assert_string_equal(s.name, "2001:db8::5:50000->2001:db8::9:443");
	assert_string_equal(s.peer, "[2001:db8::9]:443");
	inet_pton(AF_INET6, "::ffff:10.0.0.5", m.k.local_addr);
	inet_pton(AF_INET6, "::ffff:10.0.0.9", m.k.remote_addr);
	stdio_render(&m);
	/* both ends IPv4-mapped: Falco reports ipv4 */
	assert_string_equal(m.type, "ipv4");
	assert_string_equal(m.peer, "10.0.0.9:443");
	assert_true(stdio_is_network(&m));
}

static void test_local_kinds(void **state)
{
	struct exec_stdio s = {0};

	(void)state;
	s.k.kind = SS_FD_CHR;
	s.k.rdev = KDEV(136, 3);
	stdio_render(&s);
	assert_string_equal(s.type, "file");
	assert_string_equal(s.name, "/dev/pts/3");
	assert_true(stdio_is_tty(&s));
	assert_false(stdio_is_network(&s));
	s.k.rdev = KDEV(1, 3);
	stdio_render(&s);
	assert_string_equal(s.name, "/dev/null");
	assert_false(stdio_is_tty(&s));
	memset(&s, 0, sizeof(s));
	s.k.kind = SS_FD_FIFO;
	s.k.ino = 123;
	stdio_render(&s);
	assert_string_equal(s.type, "pipe");
	assert_string_equal(s.name, "pipe:[123]");
	memset(&s, 0, sizeof(s));
	s.k.kind = SS_FD_SOCK;
	s.k.family = AF_UNIX;
	s.k.ino = 9;
	stdio_render(&s);
	assert_string_equal(s.type, "unix");
	assert_string_equal(s.peer, "");
	assert_false(stdio_is_network(&s));
	memset(&s, 0, sizeof(s));
	s.k.kind = SS_FD_ANON;
	memcpy(s.k.name, "[eventfd]", 10);
	stdio_render(&s);
	assert_string_equal(s.type, "event");
	memset(&s, 0, sizeof(s));
	s.k.kind = SS_FD_REG;
	memcpy(s.k.name, "memfd:x", 8);
	stdio_render(&s);
	assert_string_equal(s.type, "memfd");
	memset(&s, 0, sizeof(s));
	stdio_render(&s);
	/* closed: null */
	assert_string_equal(s.type, "");
	assert_string_equal(s.name, "");
}

static void test_hostile_leaf_name_bounded(void **state)
{
	struct exec_stdio s = {0};

	(void)state;
	s.k.kind = SS_FD_REG;
	/* 32 bytes without a NUL: the kernel's buffer full */
	memset(s.k.name, 'A', sizeof(s.k.name));
	stdio_render(&s);
	assert_int_equal(strlen(s.name), SS_FD_NAME_LEN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reverse_shell_tcp4),
		cmocka_unit_test(test_bind_shell_server_first),
		cmocka_unit_test(test_listening_and_udp),
		cmocka_unit_test(test_ipv6_and_mapped),
		cmocka_unit_test(test_local_kinds),
		cmocka_unit_test(test_hostile_leaf_name_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
