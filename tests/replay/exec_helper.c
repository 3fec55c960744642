/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Static helper copied into the recording's image: exec by fd, exec from
 * memory, and a non-shell parent that starts a shell (system, posix_spawn).
 *   exec_helper fdexec|memfd FILE ARGV0 [ARG...] | system CMD | spawn PATH [ARG...]
 */
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* The whole file in an anonymous memory file: nothing on disk to find. */
static int memfd_copy(const char *path)
{
	char buf[65536];
	int in = open(path, O_RDONLY | O_CLOEXEC), out = memfd_create("x", 0);
	ssize_t n = -1;

	if (in < 0 || out < 0)
		return -1;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n)
			return -1;
	close(in);
	return n < 0 ? -1 : out;
}

static int status_of(int st)
{
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}

int main(int argc, char **argv)
{
	pid_t pid;
	int fd, st;

	if (argc >= 3 && !strcmp(argv[1], "system"))
		return status_of(system(argv[2]));
	if (argc >= 3 && !strcmp(argv[1], "spawn")) {
		if (posix_spawn(&pid, argv[2], NULL, NULL, argv + 2, environ))
			return 1;
		return waitpid(pid, &st, 0) == pid ? status_of(st) : 1;
	}
	if (argc < 4 || (strcmp(argv[1], "fdexec") && strcmp(argv[1], "memfd"))) {
		fprintf(stderr,
			"usage: %s fdexec|memfd FILE ARGV0 [ARG...] | system CMD | "
			"spawn PATH [ARG...]\n",
			argv[0]);
		return 2;
	}
	fd = !strcmp(argv[1], "memfd") ? memfd_copy(argv[2]) : open(argv[2], O_RDONLY);
	if (fd < 0) {
		perror(argv[2]);
		return 1;
	}
	execveat(fd, "", argv + 3, environ, AT_EMPTY_PATH);
	perror("execveat");
	return 1;
}
