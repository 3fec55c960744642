/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Loads and attaches floor.bpf.o (empty tp_btf programs on
 * sched_process_exec, _fork and _exit), says so on stderr, and holds them
 * until SIGINT/SIGTERM. It also holds BPF run-time statistics on
 * (BPF_ENABLE_STATS) while it lives: another benchmark on the machine that
 * resets kernel.bpf_stats_enabled cannot switch them off under this one.
 *
 *   floor OBJECT
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <unistd.h>

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return level == LIBBPF_WARN ? vfprintf(stderr, fmt, ap) : 0;
}

int main(int argc, char **argv)
{
	struct bpf_object *obj = NULL;
	struct bpf_program *prog;
	struct bpf_link *links[8] = {0};
	size_t n = 0;
	sigset_t mask;
	int sig, err, stats_fd = -1;

	if (argc != 2) {
		fprintf(stderr, "usage: floor OBJECT\n");
		return 2;
	}
	libbpf_set_print(quiet);
	/* Block the signals first: one that arrives while attaching is not lost. */
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigprocmask(SIG_BLOCK, &mask, NULL);

	obj = bpf_object__open_file(argv[1], NULL);
	err = libbpf_get_error(obj);
	if (err) {
		obj = NULL;
		fprintf(stderr, "floor: cannot open %s: %s\n", argv[1], strerror(-err));
		goto out;
	}
	err = bpf_object__load(obj);
	if (err) {
		fprintf(stderr, "floor: cannot load %s: %s\n", argv[1], strerror(-err));
		goto out;
	}
	bpf_object__for_each_program(prog, obj)
	{
		struct bpf_link *link;

		if (n == sizeof(links) / sizeof(links[0])) {
			err = -E2BIG;
			goto out;
		}
		link = bpf_program__attach(prog);
		err = libbpf_get_error(link);
		if (err) {
			fprintf(stderr, "floor: cannot attach %s: %s\n", bpf_program__name(prog),
				strerror(-err));
			goto out;
		}
		links[n++] = link;
	}
	stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
	if (stats_fd < 0)
		fprintf(stderr, "floor: warning: cannot hold BPF statistics on: %s\n",
			strerror(errno));
	fprintf(stderr, "floor: attached %zu empty programs (exec, fork, exit)\n", n);
	fflush(stderr);
	sigwait(&mask, &sig);
out:
	if (stats_fd >= 0)
		close(stats_fd);
	for (size_t i = 0; i < n; i++)
		bpf_link__destroy(links[i]);
	bpf_object__close(obj);
	return err ? 1 : 0;
}
