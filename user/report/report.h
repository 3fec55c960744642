/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Markdown analysis report of one incident: summary, event details,
 * timeline, security context, assessment against the knowledge base,
 * mitigations derived from what was seen, a tuning snippet in the rule
 * language, recommendations. Deterministic: the same incident gives the
 * same bytes (the only times are the alerts' own).
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
 * the incident triggered, for the exact commands seen.
 */
int report_tuning_yaml(const struct incident *inc, struct mdbuf *b);

/* "<time>_<host>_<container>.md" with only [A-Za-z0-9._-]. */
void report_file_name(const struct incident *inc, char *buf, size_t len);

/*
 * Live reports for the daemon: alerts in, one report file per incident
 * out, at most max_reports files and max_bytes per file (0 = defaults).
 */
#define REPORTER_MAX_REPORTS_DEFAULT 1000
#define REPORTER_MAX_BYTES_DEFAULT (256u * 1024)

struct reporter;
struct reporter_stats {
	size_t written;
	size_t dropped;		       /* incidents not written: count limit or write error */
	size_t truncated;	       /* reports cut at max_bytes */
	int last_error;		       /* negative errno of the last failed write, 0 if none */
	size_t session_ends_unmatched; /* session ends with no open incident of that session */
};

int reporter_new(const char *dir, const char *kb_path, size_t max_reports, size_t max_bytes,
		 struct reporter **out);
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
/* A session's shell exited: recorded on its incident, whose report is then due. */
int reporter_session_end(struct reporter *r, const struct session_end *end);
/* write incidents whose window closed (now_ns) or all with force; file name from time, host,
 * container */
int reporter_flush(struct reporter *r, uint64_t now_ns, bool force);
void reporter_free(struct reporter *r);
void reporter_get_stats(const struct reporter *r, struct reporter_stats *out);

/*
 * Shared by analyze: write one incident's report into dir (a new file,
 * never overwriting) and return its path in path. Returns 0 or -errno.
 */
int report_write_file(const char *dir, const struct incident *inc, const struct kb *kb,
		      size_t max_bytes, char *path, size_t path_len, bool *truncated);

#endif /* SS_REPORT_H */
