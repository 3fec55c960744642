/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Exec storm: fork + execve of one program, N times in total, spread over J
 * workers that each run their share one after another, bounded in time.
 * Built static so that it also runs inside a busybox container.
 *
 *   exec_storm [-j JOBS] [-n TOTAL] [-t MAX_SECONDS] PATH [ARG...]
 *
 * Prints one line: "execs=<done> failed=<n> ns=<wall time> cpu_ns=<user+system
 * time of all the storm's processes>": on a busy machine the CPU time moves
 * less than the wall time, and the kernel's exec path (tracers included) is
 * charged to it.
 * Exits 0 when every exec ran and returned 0 before the time bound.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_JOBS 64

struct tally {
	uint64_t done;
	uint64_t failed;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int run_one(char **argv)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (pid == 0) {
		execv(argv[0], argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -ECHILD;
}

/* Runs n execs or until the deadline; a worker's count goes to its own slot. */
static void worker(char **argv, uint64_t n, uint64_t deadline, struct tally *t)
{
	for (uint64_t i = 0; i < n; i++) {
		if ((i & 63) == 0 && now_ns() > deadline)
			break;
		if (run_one(argv))
			t->failed++;
		t->done++;
	}
}

static int parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *end || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

int main(int argc, char **argv)
{
	uint64_t jobs = 1, total = 1000, secs = 60, start, end, done = 0, failed = 0;
	struct tally *t;
	struct rusage ru;
	uint64_t cpu;
	pid_t kids[MAX_JOBS];
	int opt, rc = 1;

	while ((opt = getopt(argc, argv, "+j:n:t:")) != -1) {
		int bad = 0;

		if (opt == 'j')
			bad = parse_u64(optarg, MAX_JOBS, &jobs) || !jobs;
		else if (opt == 'n')
			bad = parse_u64(optarg, 100000000, &total);
		else if (opt == 't')
			bad = parse_u64(optarg, 3600, &secs) || !secs;
		else
			bad = 1;
		if (bad) {
			fprintf(stderr,
				"usage: exec_storm [-j 1..%d] [-n TOTAL] [-t 1..3600] PATH "
				"[ARG...]\n",
				MAX_JOBS);
			return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "exec_storm: no program given\n");
		return 2;
	}
	/* Shared so that each worker process can report its count. */
	t = mmap(NULL, sizeof(*t) * MAX_JOBS, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		 -1, 0);
	if (t == MAP_FAILED) {
		perror("exec_storm: mmap");
		return 1;
	}
	memset(t, 0, sizeof(*t) * MAX_JOBS);
	start = now_ns();
	for (uint64_t j = 0; j < jobs; j++) {
		uint64_t share = total / jobs + (j < total % jobs);

		kids[j] = fork();
		if (kids[j] < 0) {
			perror("exec_storm: fork");
			jobs = j;
			goto wait_kids;
		}
		if (kids[j] == 0) {
			worker(argv + optind, share, start + secs * 1000000000ull, &t[j]);
			_exit(0);
		}
	}
	rc = 0;
wait_kids:
	for (uint64_t j = 0; j < jobs; j++)
		while (waitpid(kids[j], NULL, 0) < 0 && errno == EINTR)
			;
	end = now_ns();
	for (uint64_t j = 0; j < jobs; j++) {
		done += t[j].done;
		failed += t[j].failed;
	}
	getrusage(RUSAGE_CHILDREN, &ru);
	cpu = (uint64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000ull +
	      (uint64_t)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000ull;
	printf("execs=%llu failed=%llu ns=%llu cpu_ns=%llu\n", (unsigned long long)done,
	       (unsigned long long)failed, (unsigned long long)(end - start),
	       (unsigned long long)cpu);
	if (failed || done < total)
		rc = 1;
	return rc;
}
