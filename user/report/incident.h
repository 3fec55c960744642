/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Grouping alerts into incidents: one container on one host, alerts no
 * further apart than a time window (the report delay). Each command keeps
 * the session it belongs to (the same injected root process, else the same
 * tty, else the container's own process tree), so the report shows the
 * sessions of the incident. One `kubectl exec` running `sh -c "... exec bash
 * || exec sh"` and then a shell, or five `podman exec` in two seconds,
 * become one report with a timeline, not a flood of reports. The same
 * command run again in another session (a probe every few seconds) is one
 * timeline row with a count.
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
#define INCIDENT_MAX_NOTABLE 32 /* rows kept past that when they carry evidence */
#define INCIDENT_MAX_OPEN_DEFAULT 64

#define INCIDENT_SESSION_MAX 96
/*
 * An incident holding a shell session the kernel follows stays open until the
 * session's shell exits (then the report delay runs from its end), or until
 * the session has been quiet this long: a shell left open at a prompt.
 */
#define INCIDENT_SESSION_IDLE_NS (15ull * 60 * 1000000000ull)

/* One command in the timeline: an exec, with every rule it triggered. */
struct incident_entry {
	uint64_t time_ns;
	char time[64];
	uint32_t pid, vpid, ppid, uid;
	bool uid_known;
	char comm[SS_COMM_LEN + 1];
	char *cmdline;
	char session[INCIDENT_SESSION_MAX]; /* the session it belongs to */
	/* facts the verdict weighs; *_known false when the alert did not say */
	char user[64];
	char pname[SS_COMM_LEN + 1];
	uint32_t tty;
	uint32_t flags; /* SS_F_* */
	enum ss_lineage lineage;
	enum tristate shell; /* it is a shell */
	bool user_known, pname_known, tty_known, flags_known, lineage_known;
	/* stdin and stdout as Falco names them ("" closed), the socket's peer ("" none) */
	char stdin_type[16], stdout_type[16];
	char peer[64];
	bool stdio_known;
	/* a command of a shell session the kernel follows; the shell itself is its leader */
	bool in_session, session_leader;
	bool of_first;		  /* made from the incident's first alert (incident.first) */
	char session_reasons[32]; /* on the leader: why it started one (injected,tty,network) */
#define INCIDENT_MAX_RULES 4
	char rules[INCIDENT_MAX_RULES][ALERT_RULE_MAX]; /* rules it triggered */
	size_t n_rules;
	int priority;	     /* most severe (lowest) of its alerts, -1 unknown */
	struct kb_result kb; /* points into the knowledge base, which outlives this */
	/* the same command again in other sessions: how often, and the last time */
	size_t repeats;
	uint64_t last_ns;
	char last_time[64];
};

struct incident {
	char container[80]; /* full id, short id, or "unknown" */
	char hostname[256];
	uint64_t first_ns, last_ns;
	struct alert *first; /* full copy of the first alert: the report's details */
	struct incident_entry *entries;
	size_t n_entries;
	size_t n_alerts;   /* every alert, merged or omitted included */
	size_t omitted;	   /* execs beyond INCIDENT_MAX_ENTRIES */
	size_t n_sessions; /* distinct sessions, repeats included */
#define INCIDENT_MAX_SESSIONS 256
	uint64_t session_hash[INCIDENT_MAX_SESSIONS]; /* the sessions counted so far */
	char lead_rule[ALERT_RULE_MAX]; /* the most severe rule that fired, first such */
	int lead_priority;		/* its priority, -1 when no alert said */
	/* shell sessions (shellsentry.session) of the incident: commands added as such, ends */
	size_t session_commands; /* by incident_add_command(), with or without an alert */
#define INCIDENT_MAX_SESSION_ENDS 16
	struct session_end session_ends[INCIDENT_MAX_SESSION_ENDS];
	size_t n_session_ends; /* beyond the array: counted, not kept */
	/* the kernel's sessions seen (shellsentry.session), and whether each has ended */
#define INCIDENT_MAX_SHELL_SESSIONS 16
	char shell_sessions[INCIDENT_MAX_SHELL_SESSIONS][SESSION_ID_MAX];
	bool shell_session_ended[INCIDENT_MAX_SHELL_SESSIONS];
	size_t n_shell_sessions;
	bool closed;
	/* built from JSON alerts (analyze): a session's end is never in them */
	bool alerts_only;
	struct incident *next;
};

struct incident_set;

int incident_set_new(uint64_t window_ns, size_t max_open, struct incident_set **out);
void incident_set_free(struct incident_set *s);

/*
 * Add one alert with its knowledge-base result. It joins the open incident
 * of the same container and host whose alerts are within the window, or
 * starts one; when max_open incidents are open the oldest is closed first.
 * Returns 0 or -ENOMEM.
 */
int incident_add(struct incident_set *s, const struct alert *a, const struct kb_result *kb);

/*
 * A command of a shell session (a's rule is ignored): joins as incident_add()
 * does and the same exec as an alert's is one entry; rules[0..n) are the
 * rules it matched, listed on the entry; no alert is counted. 0 or -ENOMEM.
 */
int incident_add_command(struct incident_set *s, const struct alert *a, const struct kb_result *kb,
			 const char *const *rules, size_t n);

/*
 * A shell session ended: recorded on the newest open incident holding a
 * command of that session. -ENOENT when none is open.
 */
int incident_session_end(struct incident_set *s, const struct session_end *end);

/*
 * Detach the next incident to report: one marked closed, one whose window
 * ended before now_ns, or with force any; oldest first. NULL when none.
 * The caller frees it.
 */
struct incident *incident_take(struct incident_set *s, uint64_t now_ns, bool force);
/*
 * The earliest now_ns at which incident_take() without force detaches one:
 * 0 when one is due already, UINT64_MAX when none is open (nothing to wait for).
 */
uint64_t incident_next_due(const struct incident_set *s);
void incident_free(struct incident *inc);

/* Session key of an alert, as grouped (for tests and the report). */
void incident_session_key(const struct alert *a, char *buf, size_t len);

#endif /* SS_INCIDENT_H */
