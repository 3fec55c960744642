// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Both ends of a reverse or bind shell over loopback TCP, for the stdio and
 * session tests (built static, run inside the test container):
 *
 *   nethelper connect PORT PROG [ARG...]   connect to 127.0.0.1:PORT, put the
 *                                          socket on fds 0-2, exec PROG
 *                                          (a reverse shell)
 *   nethelper serve PORT PROG [ARG...]     accept one connection on
 *                                          127.0.0.1:PORT, put it on fds 0-2,
 *                                          exec PROG (a bind shell, or a
 *                                          server handing a client to a program)
 *   nethelper talk listen|dial PORT OUT LINE...
 *                                          the other end: accept (listen) or
 *                                          connect (dial), send each LINE and a
 *                                          newline, then copy what comes back
 *                                          into OUT until the peer closes
 *
 * connect and dial retry for 10 s while nobody listens; everything ends
 * after 30 s at most (alarm), so a broken test cannot hang.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static void usage(void)
{
	fprintf(stderr, "usage: nethelper connect|serve PORT PROG [ARG...]\n"
			"       nethelper talk listen|dial PORT OUT LINE...\n");
	exit(2);
}

static struct sockaddr_in loopback(const char *port)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	char *end;
	long p = strtol(port, &end, 10);

	if (*end || p <= 0 || p > 65535)
		usage();
	a.sin_port = htons((uint16_t)p);
	return a;
}

static int dial(const char *port)
{
	struct sockaddr_in a = loopback(port);
	struct timespec pause = {0, 20 * 1000 * 1000};

	for (int i = 0; i < 500; i++) {
		int fd = socket(AF_INET, SOCK_STREAM, 0);

		if (fd < 0)
			return -1;
		if (!connect(fd, (struct sockaddr *)&a, sizeof(a)))
			return fd;
		close(fd);
		nanosleep(&pause, NULL);
	}
	return -1;
}

static int accept_one(const char *port)
{
	struct sockaddr_in a = loopback(port);
	int one = 1, lfd = socket(AF_INET, SOCK_STREAM, 0), fd;

	if (lfd < 0 || setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(lfd, (struct sockaddr *)&a, sizeof(a)) || listen(lfd, 1))
		return -1;
	fd = accept(lfd, NULL, NULL);
	close(lfd);
	return fd;
}

static void on_stdio_and_exec(int fd, char **argv)
{
	if (fd < 0) {
		perror("nethelper: socket");
		exit(1);
	}
	if (dup2(fd, 0) < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0) {
		perror("nethelper: dup2");
		exit(1);
	}
	if (fd > 2)
		close(fd);
	execv(argv[0], argv);
	perror("nethelper: exec");
	exit(127);
}

static int talk(int fd, const char *out_path, char **lines)
{
	char buf[4096];
	int out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ssize_t n;

	if (fd < 0 || out < 0) {
		perror("nethelper: talk");
		return 1;
	}
	for (; *lines; lines++) {
		if (write(fd, *lines, strlen(*lines)) < 0 || write(fd, "\n", 1) < 0)
			return 1;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			return 1;
	close(out);
	close(fd);
	return n < 0 ? 1 : 0;
}

int main(int argc, char **argv)
{
	alarm(30);
	if (argc >= 4 && !strcmp(argv[1], "connect"))
		on_stdio_and_exec(dial(argv[2]), argv + 3);
	if (argc >= 4 && !strcmp(argv[1], "serve"))
		on_stdio_and_exec(accept_one(argv[2]), argv + 3);
	if (argc >= 6 && !strcmp(argv[1], "talk") && !strcmp(argv[2], "listen"))
		return talk(accept_one(argv[3]), argv[4], argv + 5);
	if (argc >= 6 && !strcmp(argv[1], "talk") && !strcmp(argv[2], "dial"))
		return talk(dial(argv[3]), argv[4], argv + 5);
	usage();
	return 2;
}
