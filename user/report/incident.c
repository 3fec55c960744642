/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
		/* the kernel followed the session: its id groups every command */
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

static struct incident *find_open(struct incident_set *s, const char *container,
				  const char *session, const char *host, uint64_t t)
{
	struct incident *inc;

	for (inc = s->head; inc; inc = inc->next) {
		if (inc->closed || strcmp(inc->container, container) ||
		    strcmp(inc->session, session) || strcmp(inc->hostname, host))
			continue;
		/* alerts may arrive slightly out of order: window on both sides */
		if (t + s->window_ns >= inc->first_ns && t <= inc->last_ns + s->window_ns)
			return inc;
	}
	return NULL;
}

static struct incident *start(struct incident_set *s, const struct alert *a, const char *container,
			      const char *session)
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
	snprintf(inc->session, sizeof(inc->session), "%s", session);
	snprintf(inc->hostname, sizeof(inc->hostname), "%s", a->ev.hostname);
	if (a->known[F_SS_SESSION])
		snprintf(inc->shell_session, sizeof(inc->shell_session), "%s", a->ev.session);
	inc->first_ns = inc->last_ns = a->ev.time_ns;
	inc->all_expected = true;
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

static void add_rule(struct incident_entry *e, const struct alert *a)
{
	size_t i;

	if (a->priority >= 0 && (e->priority < 0 || a->priority < e->priority))
		e->priority = a->priority;
	for (i = 0; i < e->n_rules; i++)
		if (!strcmp(e->rules[i], a->rule))
			return;
	if (e->n_rules < INCIDENT_MAX_RULES)
		snprintf(e->rules[e->n_rules++], sizeof(e->rules[0]), "%s", a->rule);
}

static void add_rule_name(struct incident_entry *e, const char *rule)
{
	for (size_t i = 0; i < e->n_rules; i++)
		if (!strcmp(e->rules[i], rule))
			return;
	if (e->n_rules < INCIDENT_MAX_RULES)
		snprintf(e->rules[e->n_rules++], sizeof(e->rules[0]), "%s", rule);
}

/*
 * One exec into its incident: as an alert (is_alert: counted, its rule
 * and priority on the entry) or as a session command (rules it matched by
 * name, no alert counted). Returns the entry, NULL past the timeline's
 * capacity; -ENOMEM in *err.
 */
static struct incident_entry *add_exec(struct incident_set *s, const struct alert *a,
				       const struct kb_result *kb, bool is_alert, int *err)
{
	char container[80], session[96];
	struct incident *inc;
	struct incident_entry *e, *grown;
	size_t cap;

	container_key(a, container, sizeof(container));
	incident_session_key(a, session, sizeof(session));
	inc = find_open(s, container, session, a->ev.hostname, a->ev.time_ns);
	if (!inc)
		inc = start(s, a, container, session);
	*err = 0;
	if (!inc) {
		*err = -ENOMEM;
		return NULL;
	}
	if (is_alert)
		inc->n_alerts++;
	else
		inc->session_commands++;
	if (a->ev.time_ns > inc->last_ns)
		inc->last_ns = a->ev.time_ns;
	if (a->ev.time_ns < inc->first_ns)
		inc->first_ns = a->ev.time_ns;
	e = same_exec(inc, a);
	if (e) {
		if (is_alert)
			add_rule(e, a);
		return e;
	}
	if (kb->verdict > inc->verdict)
		inc->verdict = kb->verdict;
	if (kb->verdict != KB_EXPECTED)
		inc->all_expected = false;
	if (inc->n_entries >= INCIDENT_MAX_ENTRIES) {
		inc->omitted++;
		return NULL;
	}
	if (inc->n_entries == 0 || (inc->n_entries & (inc->n_entries - 1)) == 0) {
		cap = inc->n_entries ? inc->n_entries * 2 : 4;
		grown = realloc(inc->entries, cap * sizeof(*grown));
		if (!grown) {
			*err = -ENOMEM;
			return NULL;
		}
		inc->entries = grown;
	}
	e = &inc->entries[inc->n_entries];
	memset(e, 0, sizeof(*e));
	e->cmdline = strdup(a->ev.cmdline);
	if (!e->cmdline) {
		*err = -ENOMEM;
		return NULL;
	}
	inc->n_entries++;
	e->time_ns = a->ev.time_ns;
	snprintf(e->time, sizeof(e->time), "%s", a->time);
	e->pid = a->ev.pid;
	e->vpid = a->ev.vpid;
	e->ppid = a->ev.ppid;
	e->uid = a->ev.uid;
	e->uid_known = a->known[F_USER_UID];
	snprintf(e->comm, sizeof(e->comm), "%s", a->ev.comm);
	e->priority = -1;
	e->kb = *kb;
	if (is_alert)
		add_rule(e, a);
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
	for (size_t i = 0; e && i < n; i++)
		add_rule_name(e, rules[i]);
	return err;
}

int incident_session_end(struct incident_set *s, const struct session_end *end)
{
	struct incident *inc, *found = NULL;

	/* the newest open incident of that session: one with a gap before it is older */
	for (inc = s->head; inc; inc = inc->next)
		if (!inc->closed && !strcmp(inc->shell_session, end->session))
			found = inc;
	if (!found)
		return -ENOENT;
	found->session_ended = true;
	found->session_end = *end;
	found->closed = true;
	s->n_open--;
	return 0;
}

struct incident *incident_take(struct incident_set *s, uint64_t now_ns, bool force)
{
	struct incident *inc, **pp;

	for (pp = &s->head; (inc = *pp); pp = &inc->next) {
		if (!inc->closed && !force && inc->last_ns + s->window_ns > now_ns)
			continue;
		*pp = inc->next;
		inc->next = NULL;
		if (!inc->closed)
			s->n_open--;
		inc->closed = true;
		return inc;
	}
	return NULL;
}
