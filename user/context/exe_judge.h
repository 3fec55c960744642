/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The judge of first sightings (issue 14). The kernel sends the first exec
 * of a file it has no verdict for; the daemon hands its decoded, enriched
 * event here and goes on. A worker thread opens the file again
 * (context/exe_file: by handle, or /proc/<pid>/exe), classifies its content
 * (context/exe_classify), publishes the verdict for the kernel (one map
 * write, so later execs of the file are decided there) and puts the job on
 * a done list; an eventfd tells the daemon's loop, which applies the
 * verdict to the event and runs it through the rules. One worker, a
 * bounded queue: a full queue refuses, and the kernel's pending mark
 * expires so the file is sent again later.
 */
#ifndef SS_EXE_JUDGE_H
#define SS_EXE_JUDGE_H

#include <stddef.h>
#include <stdint.h>

#include "context/exe_classify.h"
#include "context/exe_file.h"
#include "event/exec_event.h"
#include "shellsentry.h"

struct exe_judge_job {
	struct exec_event *ev; /* owned by the job */
	struct exe_ref ref;
	struct ss_exe_key key; /* the real inode's */
	struct ss_exe_key vis; /* the inode the process saw (overlay: its own), or the same */
	/* results */
	int err; /* 0 judged; -ESTALE changed; -ENOENT/-ESRCH gone; -errno */
	struct exe_verdict v;
	enum exe_open_how how;
	int handle_err;				   /* why no file handle served (0: one did) */
	uint64_t queued_ns, started_ns, judged_ns; /* CLOCK_MONOTONIC */
	struct exe_judge_job *next;
};

/*
 * Write the verdict for key into the kernel's map; v NULL: remove the
 * pending mark (the file could not be judged: let a later exec send it
 * again). Called from the worker thread. 0 or -errno.
 */
typedef int (*exe_publish_fn)(void *ctx, const struct ss_exe_key *key,
			      const struct ss_exe_verdict *v);

struct exe_judge_stats {
	uint64_t submitted;
	uint64_t refused; /* queue full or stopping */
	uint64_t judged;  /* a verdict was published */
	uint64_t shells;  /* of which shell or multicall with a shell applet */
	uint64_t changed; /* the file changed after the exec or while read */
	uint64_t gone;	  /* neither the file nor the process was there */
	uint64_t failed;  /* other errors */
	uint64_t by_handle, by_proc, by_search;
	uint64_t followers; /* execs sent while their file was judged, decided by that verdict */
	uint64_t publish_errors;
	uint64_t scanned_bytes;
};

struct exe_judge;

/* Start the worker. proc_root: "/proc" or where the host's is mounted. 0 or -errno. */
int exe_judge_start(const char *proc_root, size_t max_jobs, exe_publish_fn publish, void *ctx,
		    struct exe_judge **out);

/* Queue a job (the judge owns it on success). 0, -EAGAIN when full, -ESHUTDOWN. */
int exe_judge_submit(struct exe_judge *j, struct exe_judge_job *job);

/* Readable when judged jobs wait; exe_judge_take() clears it. */
int exe_judge_fd(const struct exe_judge *j);

/* A judged job (the caller owns it), or NULL. */
struct exe_judge_job *exe_judge_take(struct exe_judge *j);

void exe_judge_get_stats(struct exe_judge *j, struct exe_judge_stats *s);

/* Jobs submitted and not taken back yet. */
size_t exe_judge_outstanding(struct exe_judge *j);

/* Stop the worker after the job at hand; queued and done jobs are freed. */
void exe_judge_stop(struct exe_judge *j);

/* A job for a decoded event with SS_F_EXE_SIGHTING or SS_F_EXE_PENDING; NULL on -ENOMEM. */
struct exe_judge_job *exe_judge_job_new(const struct exec_event *ev);
void exe_judge_job_free(struct exe_judge_job *job);

/* What the kernel recorded about the executed file, for exe_file_open(). */
void exe_ref_from_event(const struct exec_event *ev, struct exe_ref *r);

/* The verdict into the event: exe_kind and, for a shell, exe_shell. */
void exe_verdict_apply(const struct exe_verdict *v, struct exec_event *ev);

#endif /* SS_EXE_JUDGE_H */
