// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "lib/clock.h"
#include "context/exe_judge.h"

/* Verdicts just given, for the execs the kernel sent while their file was judged. */
#define JUDGE_RECENT 64

struct judge_recent {
	struct ss_exe_key key;
	struct exe_verdict v;
	bool used;
};

struct exe_judge {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	struct exe_judge_job *queue, **queue_tail; /* FIFO */
	struct exe_judge_job *done, **done_tail;
	size_t queued, max_jobs;
	bool stop;
	int efd;
	exe_publish_fn publish;
	void *ctx;
	struct exe_mounts mounts; /* the worker's own, as is recent[] */
	struct judge_recent recent[JUDGE_RECENT];
	unsigned recent_next;
	struct exe_judge_stats st;
};

void exe_ref_from_event(const struct exec_event *ev, struct exe_ref *r)
{
	const struct ss_exe_id *id = &ev->exe_id;

	memset(r, 0, sizeof(*r));
	r->ino = id->key.ino;
	/* the kernel's dev_t: MINORBITS 20 (include/linux/kdev_t.h) */
	r->dev_major = id->key.dev >> 20;
	r->dev_minor = id->key.dev & 0xfffff;
	r->gen = id->key.gen;
	r->fs_magic = id->fs_magic;
	r->size = id->key.size;
	r->ctime_sec = id->key.ctime_sec;
	r->ctime_nsec = id->key.ctime_nsec;
	r->vis_ino = id->vis.ino;
	r->vis_dev_major = id->vis.dev >> 20;
	r->vis_dev_minor = id->vis.dev & 0xfffff;
	r->pid = ev->pid;
}

void exe_verdict_apply(const struct exe_verdict *v, struct exec_event *ev)
{
	const char *name = exe_shell_name(v->shell);

	ev->exe_kind = v->kind;
	ev->exe_shell[0] = '\0';
	if (v->kind == EXE_KIND_SHELL && name && strlen(name) < sizeof(ev->exe_shell))
		memcpy(ev->exe_shell, name, strlen(name) + 1);
}

struct exe_judge_job *exe_judge_job_new(const struct exec_event *ev)
{
	struct exe_judge_job *job = calloc(1, sizeof(*job));

	if (!job)
		return NULL;
	job->ev = malloc(sizeof(*job->ev));
	if (!job->ev) {
		free(job);
		return NULL;
	}
	memcpy(job->ev, ev, sizeof(*ev));
	exe_ref_from_event(ev, &job->ref);
	job->key = ev->exe_id.key;
	job->vis = ev->exe_id.vis;
	return job;
}

void exe_judge_job_free(struct exe_judge_job *job)
{
	if (!job)
		return;
	free(job->ev);
	free(job);
}

static const struct judge_recent *recent_find(const struct exe_judge *j,
					      const struct ss_exe_key *key)
{
	unsigned i;

	for (i = 0; i < JUDGE_RECENT; i++)
		if (j->recent[i].used && !memcmp(&j->recent[i].key, key, sizeof(*key)))
			return &j->recent[i];
	return NULL;
}

static void recent_put(struct exe_judge *j, const struct ss_exe_key *key,
		       const struct exe_verdict *v)
{
	struct judge_recent *r = &j->recent[j->recent_next++ % JUDGE_RECENT];

	r->key = *key;
	r->v = *v;
	r->used = true;
}

static void judge_one(struct exe_judge *j, struct exe_judge_job *job)
{
	struct ss_exe_verdict mv = {.state = SS_EXE_JUDGED};
	const struct judge_recent *r;
	int fd, err;

	job->started_ns = clock_ns(CLOCK_MONOTONIC);
	/* an exec sent while its file was judged: that verdict decides it (FIFO: it came first) */
	r = (job->ev->flags & SS_F_EXE_PENDING) ? recent_find(j, &job->key) : NULL;
	if (r) {
		job->v = r->v;
		job->err = 0;
		job->how = EXE_OPEN_RECENT;
		job->judged_ns = clock_ns(CLOCK_MONOTONIC);
		pthread_mutex_lock(&j->lock);
		j->st.followers++;
		pthread_mutex_unlock(&j->lock);
		return;
	}
	fd = exe_file_open(&j->mounts, &job->ref, &job->how, &job->handle_err);
	if (fd < 0) {
		err = fd;
	} else {
		err = exe_file_judge(fd, &job->ref, job->how, &job->v);
		close(fd);
	}
	job->err = err;
	if (!err) {
		recent_put(j, &job->key, &job->v);
		mv.kind = job->v.kind;
		mv.shell = job->v.shell;
		err = j->publish(j->ctx, &job->key, &mv);
		/* and under the key this container's execs look up first (overlay: its own inode)
		 */
		if (!err && memcmp(&job->vis, &job->key, sizeof(job->key)) && job->vis.ino)
			err = j->publish(j->ctx, &job->vis, &mv);
	} else {
		/* no verdict for this version of the file: a later exec may send it again */
		j->publish(j->ctx, &job->key, NULL);
		err = 0;
	}
	job->judged_ns = clock_ns(CLOCK_MONOTONIC);
	pthread_mutex_lock(&j->lock);
	if (err)
		j->st.publish_errors++;
	if (!job->err) {
		j->st.judged++;
		j->st.scanned_bytes += job->v.scanned;
		if (job->v.kind != EXE_KIND_NOT_SHELL)
			j->st.shells++;
	} else if (job->err == -ESTALE) {
		j->st.changed++;
	} else if (job->err == -ENOENT || job->err == -ESRCH) {
		j->st.gone++;
	} else {
		j->st.failed++;
	}
	if (job->how == EXE_OPEN_HANDLE)
		j->st.by_handle++;
	else if (job->how == EXE_OPEN_PROC_EXE)
		j->st.by_proc++;
	else if (job->how == EXE_OPEN_SEARCH)
		j->st.by_search++;
	pthread_mutex_unlock(&j->lock);
}

static void *worker(void *arg)
{
	struct exe_judge *j = arg;
	uint64_t one = 1;

	pthread_mutex_lock(&j->lock);
	for (;;) {
		struct exe_judge_job *job;

		while (!j->stop && !j->queue)
			pthread_cond_wait(&j->wake, &j->lock);
		if (j->stop)
			break;
		job = j->queue;
		j->queue = job->next;
		if (!j->queue)
			j->queue_tail = &j->queue;
		job->next = NULL;
		pthread_mutex_unlock(&j->lock);

		judge_one(j, job);

		pthread_mutex_lock(&j->lock);
		*j->done_tail = job;
		j->done_tail = &job->next;
		/* still counted in queued until taken: the bound covers both lists */
		if (write(j->efd, &one, sizeof(one)) < 0) {
			/* the counter cannot overflow at our rates; a failed write only delays */
		}
	}
	pthread_mutex_unlock(&j->lock);
	return NULL;
}

int exe_judge_start(const char *proc_root, size_t max_jobs, exe_publish_fn publish, void *ctx,
		    struct exe_judge **out)
{
	struct exe_judge *j;
	int err;

	if (!publish || !max_jobs || !out)
		return -EINVAL;
	j = calloc(1, sizeof(*j));
	if (!j)
		return -ENOMEM;
	j->queue_tail = &j->queue;
	j->done_tail = &j->done;
	j->max_jobs = max_jobs;
	j->publish = publish;
	j->ctx = ctx;
	exe_mounts_init(&j->mounts, proc_root);
	j->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (j->efd < 0) {
		err = -errno;
		goto fail;
	}
	pthread_mutex_init(&j->lock, NULL);
	pthread_cond_init(&j->wake, NULL);
	err = -pthread_create(&j->thread, NULL, worker, j);
	if (err) {
		pthread_cond_destroy(&j->wake);
		pthread_mutex_destroy(&j->lock);
		close(j->efd);
		goto fail;
	}
	*out = j;
	return 0;
fail:
	free(j);
	return err;
}

int exe_judge_submit(struct exe_judge *j, struct exe_judge_job *job)
{
	int ret = 0;

	pthread_mutex_lock(&j->lock);
	if (j->stop) {
		ret = -ESHUTDOWN;
	} else if (j->queued >= j->max_jobs) {
		ret = -EAGAIN;
	} else {
		job->next = NULL;
		job->queued_ns = clock_ns(CLOCK_MONOTONIC);
		*j->queue_tail = job;
		j->queue_tail = &job->next;
		j->queued++;
		j->st.submitted++;
		pthread_cond_signal(&j->wake);
	}
	if (ret)
		j->st.refused++;
	pthread_mutex_unlock(&j->lock);
	return ret;
}

int exe_judge_fd(const struct exe_judge *j)
{
	return j->efd;
}

struct exe_judge_job *exe_judge_take(struct exe_judge *j)
{
	struct exe_judge_job *job;
	uint64_t n;

	pthread_mutex_lock(&j->lock);
	job = j->done;
	if (job) {
		j->done = job->next;
		if (!j->done)
			j->done_tail = &j->done;
		job->next = NULL;
		j->queued--;
	} else if (read(j->efd, &n, sizeof(n)) < 0) {
		/* EAGAIN: nothing was signalled; the list is the truth anyway */
	}
	pthread_mutex_unlock(&j->lock);
	return job;
}

void exe_judge_get_stats(struct exe_judge *j, struct exe_judge_stats *s)
{
	pthread_mutex_lock(&j->lock);
	*s = j->st;
	pthread_mutex_unlock(&j->lock);
}

size_t exe_judge_outstanding(struct exe_judge *j)
{
	size_t n;

	pthread_mutex_lock(&j->lock);
	n = j->queued;
	pthread_mutex_unlock(&j->lock);
	return n;
}

static void free_list(struct exe_judge_job *job)
{
	while (job) {
		struct exe_judge_job *next = job->next;

		exe_judge_job_free(job);
		job = next;
	}
}

void exe_judge_stop(struct exe_judge *j)
{
	if (!j)
		return;
	pthread_mutex_lock(&j->lock);
	j->stop = true;
	pthread_cond_signal(&j->wake);
	pthread_mutex_unlock(&j->lock);
	pthread_join(j->thread, NULL);
	free_list(j->queue);
	free_list(j->done);
	exe_mounts_free(&j->mounts);
	close(j->efd);
	pthread_cond_destroy(&j->wake);
	pthread_mutex_destroy(&j->lock);
	free(j);
}
