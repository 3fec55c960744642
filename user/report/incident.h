/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Grouping alerts into incidents: one container, one session (the same
 * injected root process, else the same tty, else the container's own
 * process tree), alerts no further apart than a time window. One
 * `kubectl exec` that runs `sh -c "... exec bash || exec sh"` and then a
 * shell becomes one incident with a timeline, not a flood of reports.
 */
#ifndef SS_INCIDENT_H
#define SS_INCIDENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event/session.h"
#include "output/alert_json.h"
#include "report/kb.h"

#define INCIDENT_WINDOW_NS_DEFAULT (30ull * 1000000000ull)
#define INCIDENT_MAX_ENTRIES 64 /* timeline rows kept; later ones are counted */
#define INCIDENT_MAX_OPEN_DEFAULT 64

/* One command in the timeline: an exec, with every rule it triggered. */
struct incident_entry {
	uint64_t time_ns;
	char time[64];
	uint32_t pid, vpid, ppid, uid;
	bool uid_known;
	char comm[SS_COMM_LEN + 1];
	char *cmdline;
#define INCIDENT_MAX_RULES 4
	char rules[INCIDENT_MAX_RULES][ALERT_RULE_MAX]; /* rules it triggered */
	size_t n_rules;
	int priority;	     /* most severe (lowest) of its alerts, -1 unknown */
	struct kb_result kb; /* points into the knowledge base, which outlives this */
};

struct incident {
	char container[80]; /* full id, short id, or "unknown" */
	char session[96];   /* human-readable session key */
	char hostname[256];
	uint64_t first_ns, last_ns;
	struct alert *first; /* full copy of the first alert: the report's details */
	struct incident_entry *entries;
	size_t n_entries;
	size_t n_alerts;	 /* every alert, merged or omitted included */
	size_t omitted;		 /* execs beyond INCIDENT_MAX_ENTRIES */
	enum kb_verdict verdict; /* most severe over all entries */
	bool all_expected;	 /* every entry matched an expected pattern */
	/* a shell session (shellsentry.session): its commands, and its end once its shell exited */
	char shell_session[SESSION_ID_MAX]; /* "" when the incident is no shell session */
	size_t session_commands;	    /* commands added by incident_add_command() */
	bool session_ended;
	struct session_end session_end;
	bool closed;
	struct incident *next;
};

struct incident_set;

int incident_set_new(uint64_t window_ns, size_t max_open, struct incident_set **out);
void incident_set_free(struct incident_set *s);

/*
 * Add one alert with its knowledge-base result. It joins the open incident
 * with the same container and session whose last alert is within the
 * window, or starts one; when max_open incidents are open the oldest is
 * closed first. Returns 0 or -ENOMEM.
 */
int incident_add(struct incident_set *s, const struct alert *a, const struct kb_result *kb);

/*
 * A command of a shell session (a's rule is ignored): joins as incident_add()
 * does, the same exec as an alert's is one entry; rules[0..n) are the rules
 * it matched, listed on the entry, no alert counted. 0 or -ENOMEM.
 */
int incident_add_command(struct incident_set *s, const struct alert *a, const struct kb_result *kb,
			 const char *const *rules, size_t n);

/*
 * A shell session ended: recorded on the open incident of that session,
 * which is then closed (its report is due). -ENOENT when none is open.
 */
int incident_session_end(struct incident_set *s, const struct session_end *end);

/*
 * Detach the next incident to report: one marked closed, one whose window
 * ended before now_ns, or with force any; oldest first. NULL when none.
 * The caller frees it.
 */
struct incident *incident_take(struct incident_set *s, uint64_t now_ns, bool force);
void incident_free(struct incident *inc);

/* Session key of an alert, as grouped (for tests and the report). */
void incident_session_key(const struct alert *a, char *buf, size_t len);

#endif /* SS_INCIDENT_H */
