/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Loads and attaches floor.bpf.o (an empty tp_btf program on
 * sched_process_exec), says so on stderr, and holds it until SIGINT/SIGTERM.
 *
 *   floor OBJECT
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <bpf/libbpf.h>

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return level == LIBBPF_WARN ? vfprintf(stderr, fmt, ap) : 0;
}

int main(int argc, char **argv)
{
	struct bpf_object *obj = NULL;
	struct bpf_program *prog;
	struct bpf_link *link = NULL;
	sigset_t mask;
	int sig, err;

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
	prog = bpf_object__find_program_by_name(obj, "bench_floor");
	if (!prog) {
		err = -ENOENT;
		fprintf(stderr, "floor: no program bench_floor in %s\n", argv[1]);
		goto out;
	}
	link = bpf_program__attach(prog);
	err = libbpf_get_error(link);
	if (err) {
		link = NULL;
		fprintf(stderr, "floor: cannot attach: %s\n", strerror(-err));
		goto out;
	}
	fprintf(stderr, "floor: attached tp_btf/sched_process_exec prog_fd=%d\n",
		bpf_program__fd(prog));
	fflush(stderr);
	sigwait(&mask, &sig);
out:
	bpf_link__destroy(link);
	bpf_object__close(obj);
	return err ? 1 : 0;
}
