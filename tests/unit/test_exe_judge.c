/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The judge's worker with real processes: copies of dash and of coreutils'
 * sleep (from build/exe-samples) run as children and are judged through
 * /proc/<pid>/exe; a process that is gone is not judged and its pending
 * mark is dropped; a full queue refuses. The verdicts go to a recording
 * publisher instead of the kernel's map.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "context/exe_judge.h"
#include "tmpdir.h"

static char tmpdir[PATH_MAX / 2];

struct published {
	struct ss_exe_key key;
	struct ss_exe_verdict v;
	int forgot;
};

static pthread_mutex_t pub_lock = PTHREAD_MUTEX_INITIALIZER;
static struct published pub[16];
static int n_pub;

static int record_publish(void *ctx, const struct ss_exe_key *key, const struct ss_exe_verdict *v)
{
	(void)ctx;
	pthread_mutex_lock(&pub_lock);
	if (n_pub < 16) {
		pub[n_pub].key = *key;
		pub[n_pub].forgot = !v;
		if (v)
			pub[n_pub].v = *v;
		n_pub++;
	}
	pthread_mutex_unlock(&pub_lock);
	return 0;
}

static const char *sample(const char *tree, const char *name, char *buf, size_t len)
{
	static const char *const dirs[] = {"bin", "usr/bin"};
	const char *d = getenv("SS_EXE_SAMPLES");
	size_t i;

	for (i = 0; i < 2; i++) {
		snprintf(buf, len, "%s/%s/%s/%s", d ? d : "build/exe-samples", tree, dirs[i], name);
		if (!access(buf, R_OK))
			return buf;
	}
	fail_msg("missing sample %s/%s: run 'make exe-samples'", tree, name);
	return NULL;
}

/* A copy of src named name in the scratch folder, executable. */
static void copy_to(const char *src, const char *name, char *out, size_t len)
{
	char buf[65536];
	int in, fd;
	ssize_t r;

	snprintf(out, len, "%s/%s", tmpdir, name);
	in = open(src, O_RDONLY | O_CLOEXEC);
	assert_true(in >= 0);
	fd = open(out, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0700);
	assert_true(fd >= 0);
	while ((r = read(in, buf, sizeof(buf))) > 0)
		assert_int_equal(write(fd, buf, (size_t)r), r);
	close(in);
	close(fd);
}

/* Run path with args, stdin a pipe we hold: it waits until we close it. */
static pid_t spawn(const char *path, char *const argv[], int *hold)
{
	int p[2];
	pid_t pid;

	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		dup2(p[0], 0);
		close(p[1]);
		execv(path, argv);
		_exit(127);
	}
	close(p[0]);
	*hold = p[1];
	return pid;
}

/* The event the kernel would send for pid running path (no handle format: /proc only). */
static struct exec_event *event_for(const char *path, pid_t pid)
{
	struct exec_event *ev = calloc(1, sizeof(*ev));
	struct stat st;

	assert_non_null(ev);
	assert_int_equal(stat(path, &st), 0);
	ev->pid = (uint32_t)pid;
	ev->flags = SS_F_EXE_SIGHTING;
	ev->exe_id.key.ino = st.st_ino;
	ev->exe_id.key.dev = major(st.st_dev) << 20 | minor(st.st_dev);
	ev->exe_id.key.size = (uint64_t)st.st_size;
	ev->exe_id.key.ctime_sec = st.st_ctim.tv_sec;
	ev->exe_id.key.ctime_nsec = (uint32_t)st.st_ctim.tv_nsec;
	ev->exe_id.vis = ev->exe_id.key;
	return ev;
}

/* Wait (bounded) until pid's exe is the file: exec may not have happened yet. */
static void wait_exec(pid_t pid, const char *path)
{
	char link[64], target[PATH_MAX];
	int i;

	snprintf(link, sizeof(link), "/proc/%d/exe", pid);
	for (i = 0; i < 2000; i++) {
		ssize_t n = readlink(link, target, sizeof(target) - 1);

		if (n > 0) {
			target[n] = '\0';
			if (!strcmp(target, path))
				return;
		}
		usleep(1000); /* polling a condition, bounded at 2 s */
	}
	fail_msg("pid %d never ran %s", pid, path);
}

static struct exe_judge_job *take(struct exe_judge *j)
{
	struct pollfd pfd = {.fd = exe_judge_fd(j), .events = POLLIN};
	struct exe_judge_job *job;
	int i;

	for (i = 0; i < 100; i++) {
		job = exe_judge_take(j);
		if (job)
			return job;
		poll(&pfd, 1, 100);
	}
	fail_msg("no judged job within 10 s");
	return NULL;
}

static int setup(void **state)
{
	(void)state;
	return tmpdir_make(tmpdir, sizeof(tmpdir), "test_exe_judge");
}

static int teardown(void **state)
{
	(void)state;
	return tmpdir_remove(tmpdir);
}

static void test_judge_processes(void **state)
{
	char src[PATH_MAX], dash[PATH_MAX], sleeper[PATH_MAX];
	char *dash_argv[] = {"worker", "-c", "read x", NULL};
	char *sleep_argv[] = {"agent", "30", NULL};
	struct exe_judge_stats st;
	struct exe_judge_job *job;
	struct exe_judge *j;
	struct exec_event *ev;
	int hold_dash, hold_sleep, status;
	pid_t pd, ps, gone;

	(void)state;
	copy_to(sample("bookworm/dash", "dash", src, sizeof(src)), "worker", dash, sizeof(dash));
	copy_to(sample("bookworm/coreutils", "sleep", src, sizeof(src)), "agent", sleeper,
		sizeof(sleeper));
	assert_int_equal(exe_judge_start("/proc", 4, record_publish, NULL, &j), 0);

	pd = spawn(dash, dash_argv, &hold_dash);
	ps = spawn(sleeper, sleep_argv, &hold_sleep);
	wait_exec(pd, dash);
	wait_exec(ps, sleeper);
	gone = fork();
	assert_true(gone >= 0);
	if (!gone)
		_exit(0);
	assert_int_equal(waitpid(gone, NULL, 0), gone);

	ev = event_for(dash, pd);
	assert_int_equal(exe_judge_submit(j, exe_judge_job_new(ev)), 0);
	free(ev);
	job = take(j);
	assert_int_equal(job->err, 0);
	assert_int_equal(job->how, EXE_OPEN_PROC_EXE);
	assert_int_equal(job->v.kind, EXE_KIND_SHELL);
	exe_verdict_apply(&job->v, job->ev);
	assert_string_equal(job->ev->exe_shell, "dash");
	assert_int_equal(job->ev->exe_kind, SS_EXE_SHELL);
	assert_int_equal(job->ev->pid, (uint32_t)pd);
	exe_judge_job_free(job);

	ev = event_for(sleeper, ps);
	assert_int_equal(exe_judge_submit(j, exe_judge_job_new(ev)), 0);
	free(ev);
	job = take(j);
	assert_int_equal(job->err, 0);
	assert_int_equal(job->v.kind, EXE_KIND_NOT_SHELL);
	exe_verdict_apply(&job->v, job->ev);
	assert_string_equal(job->ev->exe_shell, "");
	exe_judge_job_free(job);

	/* an exec sent while dash was judged: that verdict decides it, nothing read or written */
	ev = event_for(dash, pd);
	ev->flags = SS_F_EXE_PENDING;
	assert_int_equal(exe_judge_submit(j, exe_judge_job_new(ev)), 0);
	free(ev);
	job = take(j);
	assert_int_equal(job->err, 0);
	assert_int_equal(job->how, EXE_OPEN_RECENT);
	assert_int_equal(job->v.kind, EXE_KIND_SHELL);
	exe_judge_job_free(job);

	/* gone: no handle for this file (no fs magic), no process */
	ev = event_for(dash, gone);
	assert_int_equal(exe_judge_submit(j, exe_judge_job_new(ev)), 0);
	free(ev);
	job = take(j);
	assert_int_equal(job->err, -ESRCH);
	exe_judge_job_free(job);

	/* what the kernel map got: dash, not a shell, and a dropped pending mark */
	pthread_mutex_lock(&pub_lock);
	assert_int_equal(n_pub, 3);
	assert_int_equal(pub[0].forgot, 0);
	assert_int_equal(pub[0].v.state, SS_EXE_JUDGED);
	assert_int_equal(pub[0].v.kind, SS_EXE_SHELL);
	assert_string_equal(exe_shell_name(pub[0].v.shell), "dash");
	assert_int_equal(pub[1].v.kind, SS_EXE_NOT_SHELL);
	assert_int_equal(pub[2].forgot, 1);
	pthread_mutex_unlock(&pub_lock);

	exe_judge_get_stats(j, &st);
	assert_int_equal(st.submitted, 4);
	assert_int_equal(st.followers, 1);
	assert_int_equal(st.judged, 2);
	assert_int_equal(st.shells, 1);
	assert_int_equal(st.gone, 1);
	assert_int_equal(st.by_proc, 2);

	close(hold_dash);
	close(hold_sleep);
	kill(ps, SIGTERM);
	waitpid(pd, &status, 0);
	waitpid(ps, &status, 0);
	exe_judge_stop(j);
}

static void test_queue_bound(void **state)
{
	struct exe_judge *j;
	struct exec_event *ev;
	struct exe_judge_job *jobs[3];
	int i, ok = 0, refused = 0;

	(void)state;
	assert_int_equal(exe_judge_start("/proc", 2, record_publish, NULL, &j), 0);
	ev = calloc(1, sizeof(*ev));
	assert_non_null(ev);
	for (i = 0; i < 3; i++) {
		jobs[i] = exe_judge_job_new(ev);
		assert_non_null(jobs[i]);
		if (exe_judge_submit(j, jobs[i]) == 0) {
			ok++;
		} else {
			refused++;
			exe_judge_job_free(jobs[i]);
		}
	}
	/* queued plus judged-not-taken never exceed the bound */
	assert_int_equal(ok, 2);
	assert_int_equal(refused, 1);
	free(ev);
	exe_judge_stop(j); /* frees what is queued or done */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_judge_processes),
		cmocka_unit_test(test_queue_bound),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
