/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event/shells.h"
#include "report/incident.h"

struct incident_set {
	uint64_t window_ns;
	size_t max_open;
	size_t n_open;
	struct incident *head; /* oldest first */
};

int incident_set_new(uint64_t window_ns, size_t max_open, struct incident_set **out)
{
	struct incident_set *s = calloc(1, sizeof(*s));

	if (!s)
		return -ENOMEM;
	s->window_ns = window_ns ? window_ns : INCIDENT_WINDOW_NS_DEFAULT;
	s->max_open = max_open ? max_open : INCIDENT_MAX_OPEN_DEFAULT;
	*out = s;
	return 0;
}

void incident_free(struct incident *inc)
{
	size_t i;

	if (!inc)
		return;
	for (i = 0; i < inc->n_entries; i++)
		free(inc->entries[i].cmdline);
	free(inc->entries);
	free(inc->first);
	free(inc);
}

void incident_set_free(struct incident_set *s)
{
	struct incident *inc, *next;

	if (!s)
		return;
	for (inc = s->head; inc; inc = next) {
		next = inc->next;
		incident_free(inc);
	}
	free(s);
}

static void container_key(const struct alert *a, char *buf, size_t len)
{
	const struct container_info *c = &a->ev.container;

	if (a->known[F_CONTAINER_FULL_ID] && c->full_id[0])
		snprintf(buf, len, "%.64s", c->full_id);
	else if (a->known[F_CONTAINER_ID] && c->id[0])
		snprintf(buf, len, "%.12s", c->id);
	else
		snprintf(buf, len, "unknown");
}

void incident_session_key(const struct alert *a, char *buf, size_t len)
{
	const struct exec_event *ev = &a->ev;
	uint32_t root = ev->pid;
	int i;

	if (a->known[F_SS_SESSION] && ev->session[0]) {
		/* the kernel followed the session: its id names every command of it */
		snprintf(buf, len, "shell session %.*s", SESSION_ID_MAX, ev->session);
	} else if (a->known[F_SS_LINEAGE] && ev->lineage == SS_LINEAGE_INJECTED) {
		/* the topmost ancestor still inside the container's pid ns */
		for (i = 0; i < ev->ancestor_count && i < SS_ANCESTORS; i++) {
			if (!ev->ancestors[i].vpid)
				break;
			root = ev->ancestors[i].pid;
		}
		snprintf(buf, len, "injected process tree rooted at pid %" PRIu32, root);
	} else if (a->known[F_PROC_TTY] && ev->tty) {
		/* new_encode_dev(): minor low byte, major, then the minor's high bits */
		snprintf(buf, len, "terminal %" PRIu32 ":%" PRIu32, (ev->tty >> 8) & 0xfff,
			 (ev->tty & 0xff) | ((ev->tty >> 12) & 0xfff00));
	} else if (a->known[F_SS_LINEAGE] &&
		   (ev->lineage == SS_LINEAGE_ENTRYPOINT || ev->lineage == SS_LINEAGE_INIT_TREE)) {
		snprintf(buf, len, "the container's own process tree");
	} else {
		snprintf(buf, len, "unknown session");
	}
}

static void close_oldest(struct incident_set *s)
{
	struct incident *inc;

	for (inc = s->head; inc; inc = inc->next) {
		if (!inc->closed) {
			inc->closed = true;
			s->n_open--;
			return;
		}
	}
}

/* The slot of a kernel-followed session in inc, or -1. */
static int shell_session_slot(const struct incident *inc, const char *id)
{
	size_t i;

	for (i = 0; i < inc->n_shell_sessions; i++)
		if (!strcmp(inc->shell_sessions[i], id))
			return (int)i;
	return -1;
}

/* Some session of inc is still running (its shell has not exited). */
static bool live_session(const struct incident *inc)
{
	size_t i;

	for (i = 0; i < inc->n_shell_sessions; i++)
		if (!inc->shell_session_ended[i])
			return true;
	return false;
}

static struct incident *find_open(struct incident_set *s, const char *container, const char *host,
				  uint64_t t, const char *shell_session)
{
	struct incident *inc;

	for (inc = s->head; inc; inc = inc->next) {
		if (inc->closed || strcmp(inc->container, container) || strcmp(inc->hostname, host))
			continue;
		/* a running session's commands stay together, however long its pauses */
		if (shell_session[0] && shell_session_slot(inc, shell_session) >= 0)
			return inc;
		/* alerts may arrive slightly out of order: window on both sides */
		if (t + s->window_ns >= inc->first_ns && t <= inc->last_ns + s->window_ns)
			return inc;
	}
	return NULL;
}

static struct incident *start(struct incident_set *s, const struct alert *a, const char *container)
{
	struct incident *inc, **tail;

	if (s->n_open >= s->max_open)
		close_oldest(s);
	inc = calloc(1, sizeof(*inc));
	if (!inc)
		return NULL;
	inc->first = malloc(sizeof(*inc->first));
	if (!inc->first) {
		free(inc);
		return NULL;
	}
	*inc->first = *a;
	snprintf(inc->container, sizeof(inc->container), "%s", container);
	snprintf(inc->hostname, sizeof(inc->hostname), "%s", a->ev.hostname);
	inc->first_ns = inc->last_ns = a->ev.time_ns;
	inc->lead_priority = -1;
	for (tail = &s->head; *tail; tail = &(*tail)->next)
		;
	*tail = inc;
	s->n_open++;
	return inc;
}

/* The same exec reported by several rules is one timeline row. */
static struct incident_entry *same_exec(struct incident *inc, const struct alert *a)
{
	struct incident_entry *e;
	size_t i;

	for (i = 0; i < inc->n_entries; i++) {
		e = &inc->entries[i];
		if (e->time_ns == a->ev.time_ns && e->pid == a->ev.pid &&
		    !strcmp(e->cmdline, a->ev.cmdline))
			return e;
	}
	return NULL;
}

static void add_rule(struct incident *inc, struct incident_entry *e, const struct alert *a)
{
	size_t i;

	if (a->priority >= 0 && (e->priority < 0 || a->priority < e->priority))
		e->priority = a->priority;
	/* the most severe rule leads the report; the first such on a tie */
	if (!inc->lead_rule[0] ||
	    (a->priority >= 0 && (inc->lead_priority < 0 || a->priority < inc->lead_priority))) {
		snprintf(inc->lead_rule, sizeof(inc->lead_rule), "%s", a->rule);
		inc->lead_priority = a->priority;
	}
	for (i = 0; i < e->n_rules; i++)
		if (!strcmp(e->rules[i], a->rule))
			return;
	if (e->n_rules < INCIDENT_MAX_RULES)
		snprintf(e->rules[e->n_rules++], sizeof(e->rules[0]), "%s", a->rule);
}

static enum tristate is_shell(const struct alert *a)
{
	struct field_value v;

	if (a->known[F_SS_SHELL] && !field_extract(&a->ev, F_SS_SHELL, -1, &v) && !v.null)
		return *v.s ? TRI_TRUE : TRI_FALSE;
	if (alert_field_known(a, F_PROC_NAME))
		return ss_is_shell_name(a->ev.comm) ? TRI_TRUE : TRI_FALSE;
	return TRI_UNKNOWN;
}

/*
 * The session's shell pid, the id's prefix ("4242-1a2b3c"), 0 if none. An
 * alert whose output did not carry shellsentry.session.reasons says nothing
 * of who started the session: its shell is the exec with that pid (the first
 * one, as the report takes it).
 */
static uint32_t session_pid(const char *id)
{
	unsigned long v = 0;

	for (; *id >= '0' && *id <= '9' && v <= UINT32_MAX; id++)
		v = v * 10 + (unsigned long)(*id - '0');
	return *id == '-' && v <= UINT32_MAX ? (uint32_t)v : 0;
}

static void fill_entry(struct incident_entry *e, const struct alert *a, const char *session,
		       const struct kb_result *kb)
{
	const struct exec_event *ev = &a->ev;

	e->time_ns = e->last_ns = ev->time_ns;
	snprintf(e->time, sizeof(e->time), "%s", a->time);
	e->pid = ev->pid;
	e->vpid = ev->vpid;
	e->ppid = ev->ppid;
	e->uid = ev->uid;
	e->uid_known = alert_field_known(a, F_USER_UID);
	snprintf(e->comm, sizeof(e->comm), "%s", ev->comm);
	snprintf(e->session, sizeof(e->session), "%s", session);
	e->user_known = alert_field_known(a, F_USER_NAME);
	snprintf(e->user, sizeof(e->user), "%.63s", e->user_known ? ev->user_name : "");
	e->pname_known = alert_field_known(a, F_PROC_PNAME) && ev->ancestor_count > 0;
	snprintf(e->pname, sizeof(e->pname), "%s", e->pname_known ? ev->ancestors[0].comm : "");
	e->tty_known = alert_field_known(a, F_PROC_TTY);
	e->tty = ev->tty;
	e->flags_known = alert_field_known(a, F_EVT_ARG_FLAGS);
	e->flags = ev->flags;
	e->lineage_known = alert_field_known(a, F_SS_LINEAGE) && ev->lineage != SS_LINEAGE_UNKNOWN;
	e->lineage = e->lineage_known ? ev->lineage : SS_LINEAGE_UNKNOWN;
	e->shell = is_shell(a);
	e->stdio_known = a->known[F_PROC_STDIN_TYPE] || a->known[F_PROC_STDOUT_TYPE];
	snprintf(e->stdin_type, sizeof(e->stdin_type), "%s", ev->stdio[0].type);
	snprintf(e->stdout_type, sizeof(e->stdout_type), "%s", ev->stdio[1].type);
	snprintf(e->peer, sizeof(e->peer), "%.63s", ev->stdio_peer);
	e->in_session = a->known[F_SS_SESSION] && ev->session[0];
	/* live: the kernel's flag; read back from JSON: only the leader says why it started */
	e->session_leader =
		e->in_session && ((ev->flags & SS_F_SESSION_START) ||
				  (a->known[F_SS_SESSION_REASONS] && ev->session_reasons[0]) ||
				  (!a->known[F_SS_SESSION_REASONS] && session_pid(ev->session) &&
				   session_pid(ev->session) == ev->pid));
	snprintf(e->session_reasons, sizeof(e->session_reasons), "%s",
		 e->session_leader ? ev->session_reasons : "");
	e->priority = -1;
	e->kb = *kb;
}

/*
 * The same command run again in another session: a probe, a cron-like
 * loop. Everything the verdict weighs is equal, so it is one row with a
 * count. Commands within one session are never folded: a session's
 * timeline lists every command in order.
 */
static struct incident_entry *repeat_of(struct incident *inc, const struct incident_entry *n,
					const struct alert *a)
{
	struct incident_entry *e;
	size_t i, j;

	for (i = 0; i < inc->n_entries; i++) {
		e = &inc->entries[i];
		if (!strcmp(e->session, n->session) || strcmp(e->cmdline, n->cmdline) ||
		    e->uid != n->uid || e->uid_known != n->uid_known || e->tty != n->tty ||
		    e->tty_known != n->tty_known || e->lineage != n->lineage ||
		    strcmp(e->pname, n->pname) || strcmp(e->user, n->user) ||
		    (e->flags & (SS_F_EXE_MEMFD | SS_F_EXE_UPPER_LAYER)) !=
			    (n->flags & (SS_F_EXE_MEMFD | SS_F_EXE_UPPER_LAYER)) ||
		    e->kb.n_matched != n->kb.n_matched || e->kb.verdict != n->kb.verdict ||
		    strcmp(e->stdin_type, n->stdin_type) ||
		    strcmp(e->stdout_type, n->stdout_type) || e->in_session != n->in_session)
			continue;
		for (j = 0; j < e->n_rules; j++)
			if (!strcmp(e->rules[j], a->rule))
				return e;
	}
	return NULL;
}

static bool inet(const char *type)
{
	return !strcmp(type, "ipv4") || !strcmp(type, "ipv6");
}

static bool notable(const struct incident_entry *e)
{
	return e->kb.verdict >= KB_SUSPICIOUS ||
	       (e->flags_known && (e->flags & (SS_F_EXE_MEMFD | SS_F_EXE_UPPER_LAYER))) ||
	       inet(e->stdin_type) || inet(e->stdout_type);
}

/* Count the sessions of an incident (beyond the table's size: counted, maybe twice). */
static void count_session(struct incident *inc, const char *session)
{
	uint64_t h = 1469598103934665603ull;
	size_t i, n;

	for (; *session; session++)
		h = (h ^ (unsigned char)*session) * 1099511628211ull;
	n = inc->n_sessions < INCIDENT_MAX_SESSIONS ? inc->n_sessions : INCIDENT_MAX_SESSIONS;
	for (i = 0; i < n; i++)
		if (inc->session_hash[i] == h)
			return;
	if (inc->n_sessions < INCIDENT_MAX_SESSIONS)
		inc->session_hash[inc->n_sessions] = h;
	inc->n_sessions++;
}

/*
 * One exec into its incident: as an alert (is_alert: counted, its rule and
 * priority on the entry) or as a session command (no alert counted). The
 * entry, NULL when none was kept (a repeat, past the timeline's limit, or
 * -ENOMEM in *err).
 */
static struct incident_entry *add_exec(struct incident_set *s, const struct alert *a,
				       const struct kb_result *kb, bool is_alert, int *err)
{
	char container[80], session[INCIDENT_SESSION_MAX];
	struct incident *inc;
	struct incident_entry *e, *grown, *rep, tmp;
	size_t cap;

	container_key(a, container, sizeof(container));
	incident_session_key(a, session, sizeof(session));
	inc = find_open(s, container, a->ev.hostname, a->ev.time_ns,
			a->known[F_SS_SESSION] ? a->ev.session : "");
	if (!inc)
		inc = start(s, a, container);
	*err = 0;
	if (!inc) {
		*err = -ENOMEM;
		return NULL;
	}
	if (is_alert)
		inc->n_alerts++;
	else
		inc->session_commands++;
	if (a->known[F_SS_SESSION] && a->ev.session[0] &&
	    shell_session_slot(inc, a->ev.session) < 0 &&
	    inc->n_shell_sessions < INCIDENT_MAX_SHELL_SESSIONS)
		snprintf(inc->shell_sessions[inc->n_shell_sessions++], SESSION_ID_MAX, "%s",
			 a->ev.session);
	if (a->ev.time_ns > inc->last_ns)
		inc->last_ns = a->ev.time_ns;
	if (a->ev.time_ns < inc->first_ns)
		inc->first_ns = a->ev.time_ns;
	e = same_exec(inc, a);
	if (e) {
		if (is_alert)
			add_rule(inc, e, a);
		return e;
	}
	memset(&tmp, 0, sizeof(tmp));
	tmp.cmdline = (char *)a->ev.cmdline;
	fill_entry(&tmp, a, session, kb);
	count_session(inc, session);
	rep = repeat_of(inc, &tmp, a);
	if (rep) {
		rep->repeats++;
		if (a->ev.time_ns > rep->last_ns) {
			rep->last_ns = a->ev.time_ns;
			snprintf(rep->last_time, sizeof(rep->last_time), "%s", a->time);
		}
		return NULL;
	}
	/* past the timeline's limit, commands with evidence are still kept: the verdict weighs them
	 */
	if (inc->n_entries >= INCIDENT_MAX_ENTRIES &&
	    (!notable(&tmp) || inc->n_entries >= INCIDENT_MAX_ENTRIES + INCIDENT_MAX_NOTABLE)) {
		inc->omitted++;
		return NULL;
	}
	if (inc->n_entries < 4 || (inc->n_entries & (inc->n_entries - 1)) == 0) {
		cap = inc->n_entries < 4 ? 4 : inc->n_entries * 2;
		grown = realloc(inc->entries, cap * sizeof(*grown));
		if (!grown) {
			*err = -ENOMEM;
			return NULL;
		}
		inc->entries = grown;
	}
	tmp.cmdline = strdup(a->ev.cmdline);
	if (!tmp.cmdline) {
		*err = -ENOMEM;
		return NULL;
	}
	tmp.of_first = !inc->n_entries;
	e = &inc->entries[inc->n_entries++];
	*e = tmp;
	if (is_alert)
		add_rule(inc, e, a);
	return e;
}

int incident_add(struct incident_set *s, const struct alert *a, const struct kb_result *kb)
{
	int err;

	add_exec(s, a, kb, true, &err);
	return err;
}

int incident_add_command(struct incident_set *s, const struct alert *a, const struct kb_result *kb,
			 const char *const *rules, size_t n)
{
	struct incident_entry *e;
	int err;

	e = add_exec(s, a, kb, false, &err);
	for (size_t i = 0; e && i < n; i++) {
		size_t j;

		for (j = 0; j < e->n_rules; j++)
			if (!strcmp(e->rules[j], rules[i]))
				break;
		if (j == e->n_rules && e->n_rules < INCIDENT_MAX_RULES)
			snprintf(e->rules[e->n_rules++], sizeof(e->rules[0]), "%s", rules[i]);
	}
	return err;
}

int incident_session_end(struct incident_set *s, const struct session_end *end)
{
	struct incident *inc, *found = NULL;
	char key[INCIDENT_SESSION_MAX];
	int slot;

	snprintf(key, sizeof(key), "shell session %.*s", SESSION_ID_MAX, end->session);
	for (inc = s->head; inc; inc = inc->next) {
		if (inc->closed)
			continue;
		for (size_t i = 0; i < inc->n_entries; i++)
			if (!strcmp(inc->entries[i].session, key))
				found = inc;
	}
	if (!found)
		return -ENOENT;
	if (found->n_session_ends < INCIDENT_MAX_SESSION_ENDS)
		found->session_ends[found->n_session_ends] = *end;
	found->n_session_ends++;
	slot = shell_session_slot(found, end->session);
	if (slot >= 0)
		found->shell_session_ended[slot] = true;
	/* the report delay runs from the end: a last command may still be on its way */
	if (end->end_ns > found->last_ns)
		found->last_ns = end->end_ns;
	return 0;
}

/*
 * The timeline in time order. Commands arrive out of it: a session's
 * commands that only the session wants travel on a ring of their own, read
 * after the main one. Stable: the same time keeps the arrival order.
 */
static void sort_entries(struct incident *inc)
{
	struct incident_entry e;
	size_t i, j;

	for (i = 1; i < inc->n_entries; i++) {
		e = inc->entries[i];
		for (j = i; j > 0 && inc->entries[j - 1].time_ns > e.time_ns; j--)
			inc->entries[j] = inc->entries[j - 1];
		inc->entries[j] = e;
	}
}

/*
 * When an open incident's report is due: the window after its last entry; a
 * running session keeps it open longer, until it goes quiet for long.
 */
static uint64_t due_at(const struct incident_set *s, const struct incident *inc)
{
	uint64_t t = inc->last_ns + s->window_ns;

	if (live_session(inc) && inc->last_ns + INCIDENT_SESSION_IDLE_NS > t)
		t = inc->last_ns + INCIDENT_SESSION_IDLE_NS;
	return t;
}

struct incident *incident_take(struct incident_set *s, uint64_t now_ns, bool force)
{
	struct incident *inc, **pp;

	for (pp = &s->head; (inc = *pp); pp = &inc->next) {
		if (!inc->closed && !force && due_at(s, inc) > now_ns)
			continue;
		*pp = inc->next;
		inc->next = NULL;
		if (!inc->closed)
			s->n_open--;
		inc->closed = true;
		sort_entries(inc);
		return inc;
	}
	return NULL;
}

uint64_t incident_next_due(const struct incident_set *s)
{
	uint64_t due = UINT64_MAX;

	/* the same time incident_take() compares */
	for (const struct incident *inc = s->head; inc; inc = inc->next) {
		if (inc->closed)
			return 0;
		if (due_at(s, inc) < due)
			due = due_at(s, inc);
	}
	return due;
}
