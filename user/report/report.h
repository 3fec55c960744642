/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Markdown analysis report of one incident: the verdict (report/verdict.h)
 * stated the same way in title, summary and sections, event details, the
 * timeline of every command, security context, the knowledge-base patterns
 * behind the verdict, mitigations that fit the platform and what was seen,
 * the exception a verified expected incident may get (report/tuning.h) or
 * why none is offered, and recommendations along the right trail.
 * Deterministic: the same incident gives the same bytes (the only times are
 * the alerts' own).
 */
#ifndef SS_REPORT_H
#define SS_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event/exec_event.h"
#include "report/incident.h"
#include "report/kb.h"
#include "report/md.h"

/*
 * Render the report of inc into b (kb may be NULL: the report says no
 * knowledge base was loaded). Returns 0 or b's error.
 */
int report_render(const struct incident *inc, const struct kb *kb, struct mdbuf *b);

/*
 * The tuning snippet alone: rules-file YAML with one exception per rule
 * the incident triggered, for the exact commands seen. -ENOENT when the
 * incident gets none (see report/tuning.h).
 */
int report_tuning_yaml(const struct incident *inc, struct mdbuf *b);

/*
 * "<time>_<host>_<namespace>_<pod>_<container>.md", or "<time>_<host>_<name>.md",
 * or with the short id when the container has no name; only [A-Za-z0-9._-].
 */
void report_file_name(const struct incident *inc, char *buf, size_t len);

/*
 * Live reports for the daemon: alerts in, one report file per incident
 * out, at most max_reports files and max_bytes per file (0 = defaults). An
 * incident's report is written once no alert of it has come for delay_ns
 * (0 = the default, 30 s), and at exit.
 */
#define REPORTER_MAX_REPORTS_DEFAULT 1000
#define REPORTER_MAX_BYTES_DEFAULT (256u * 1024)
#define REPORTER_DELAY_NS_DEFAULT INCIDENT_WINDOW_NS_DEFAULT

struct reporter_options {
	const char *dir;
	const char *kb_path; /* NULL: reports without the knowledge base */
	size_t max_reports, max_bytes;
	uint64_t delay_ns;
};

struct reporter;
struct reporter_stats {
	size_t written;
	size_t dropped;		       /* incidents not written: count limit or write error */
	size_t truncated;	       /* reports cut at max_bytes */
	int last_error;		       /* negative errno of the last failed write, 0 if none */
	size_t session_ends_unmatched; /* session ends with no open incident of that session */
};

/*
 * Create dir when missing (its parent must exist) and prove a file can be
 * written in it. Returns 0, or a negative errno with the reason in err.
 */
int reporter_check_dir(const char *dir, struct ss_error *err);
/* Checks the folder first; on error err says why (folder, knowledge base). */
int reporter_new(const struct reporter_options *o, struct reporter **out, struct ss_error *err);
/* one alert: the event, the rule name, priority and rendered output */
int reporter_add(struct reporter *r, const struct exec_event *ev, const char *rule, int priority,
		 const char *output);
/*
 * Every command of a shell session (ev->session set), whatever the rule
 * selection, rate limit or priority filter: rules[0..n) are the rules it
 * matched (n may be 0). Its alerts, if any, come through reporter_add() and
 * join the same timeline entry; the command is counted in the incident's
 * session_commands. Call it before the event's alerts. 0 or -ENOMEM.
 */
int reporter_session_command(struct reporter *r, const struct exec_event *ev,
			     const char *const *rules, size_t n);
/* A session's shell exited: recorded on the incident holding its commands. */
int reporter_session_end(struct reporter *r, const struct session_end *end);
/* write incidents whose window closed (now_ns) or all with force; file name from time, host,
 * container */
int reporter_flush(struct reporter *r, uint64_t now_ns, bool force);
/* The earliest now_ns at which reporter_flush() has a report to write; UINT64_MAX: none. */
uint64_t reporter_next_flush(const struct reporter *r);
void reporter_free(struct reporter *r);
void reporter_get_stats(const struct reporter *r, struct reporter_stats *out);

/*
 * Shared by analyze: write one incident's report into dir (a new file,
 * never overwriting) and return its path in path. Returns 0 or -errno.
 */
int report_write_file(const char *dir, const struct incident *inc, const struct kb *kb,
		      size_t max_bytes, char *path, size_t path_len, bool *truncated);

#endif /* SS_REPORT_H */
