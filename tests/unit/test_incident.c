/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "report/incident.h"

#define SEC 1000000000ull

/* An injected exec in container cid: pid, parent outside the pid ns. */
static struct alert *mk(const char *cid, uint32_t pid, uint64_t t, const char *rule,
			const char *cmd)
{
	struct alert *a = calloc(1, sizeof(*a));
	int i;

	assert_non_null(a);
	a->priority = -1;
	snprintf(a->rule, sizeof(a->rule), "%s", rule);
	snprintf(a->ev.cmdline, sizeof(a->ev.cmdline), "%s", cmd);
	snprintf(a->ev.container.id, sizeof(a->ev.container.id), "%s", cid);
	snprintf(a->ev.hostname, sizeof(a->ev.hostname), "node");
	a->ev.container.is_container = true;
	a->ev.time_ns = t;
	a->ev.pid = pid;
	a->ev.lineage = SS_LINEAGE_INJECTED;
	a->ev.ancestor_count = 1;
	a->ev.ancestors[0].pid = 100; /* runc: outside the container's pid ns */
	a->ev.ancestors[0].vpid = 0;
	for (i = 0; i < F_COUNT; i++)
		a->known[i] = true;
	return a;
}

static void add(struct incident_set *s, struct alert *a)
{
	struct kb_result r;

	memset(&r, 0, sizeof(r));
	assert_int_equal(incident_add(s, a, &r), 0);
	free(a);
}

static void test_kubectl_exec_sequence_is_one_incident(void **state)
{
	struct incident_set *s;
	struct incident *inc;

	(void)state;
	assert_int_equal(incident_set_new(30 * SEC, 0, &s), 0);
	add(s, mk("aaaaaaaaaaaa", 500, 10 * SEC, "Shell in container",
		  "sh -c command -v bash >/dev/null && exec bash || exec sh"));
	/* exec bash replaces sh: same pid, same session */
	add(s, mk("aaaaaaaaaaaa", 500, 10 * SEC + 2000000, "Shell in container", "bash"));
	/* the same exec seen by a second rule is the same timeline row */
	add(s, mk("aaaaaaaaaaaa", 500, 10 * SEC + 2000000, "Terminal shell in container", "bash"));
	assert_null(incident_take(s, 20 * SEC, false)); /* window still open */
	inc = incident_take(s, 41 * SEC, false);
	assert_non_null(inc);
	assert_int_equal(inc->n_entries, 2);
	assert_int_equal(inc->n_alerts, 3);
	assert_string_equal(inc->entries[0].cmdline,
			    "sh -c command -v bash >/dev/null && exec bash || exec sh");
	assert_string_equal(inc->entries[1].cmdline, "bash");
	assert_int_equal(inc->entries[1].n_rules, 2);
	assert_non_null(strstr(inc->entries[0].session, "500"));
	assert_int_equal(inc->n_sessions, 1);
	incident_free(inc);
	assert_null(incident_take(s, 41 * SEC, true));
	incident_set_free(s);
}

/* One container on one host within the window is one incident, whatever its sessions. */
static void test_split_by_container_host_and_window(void **state)
{
	struct incident_set *s;
	struct incident *inc;
	struct alert *a;
	size_t n = 0;

	(void)state;
	assert_int_equal(incident_set_new(30 * SEC, 0, &s), 0);
	add(s, mk("aaaaaaaaaaaa", 500, 10 * SEC, "r", "sh"));
	add(s, mk("bbbbbbbbbbbb", 500, 11 * SEC, "r", "sh"));	    /* other container */
	add(s, mk("aaaaaaaaaaaa", 600, 12 * SEC, "r", "sh -c id")); /* other exec session */
	add(s, mk("aaaaaaaaaaaa", 500, 100 * SEC, "r", "sh"));	    /* after the window */
	a = mk("aaaaaaaaaaaa", 700, 13 * SEC, "r", "ls");
	a->ev.ancestors[0].pid = 500; /* a child of the first shell: same session */
	a->ev.ancestors[0].vpid = 7;
	a->ev.ancestor_count = 2;
	a->ev.ancestors[1].pid = 100;
	add(s, a);
	a = mk("aaaaaaaaaaaa", 800, 14 * SEC, "r", "sh");
	snprintf(a->ev.hostname, sizeof(a->ev.hostname), "other-node"); /* other host */
	add(s, a);
	while ((inc = incident_take(s, 0, true))) {
		n++;
		if (!strcmp(inc->container, "aaaaaaaaaaaa") && inc->first_ns == 10 * SEC) {
			assert_int_equal(inc->n_entries, 3);
			assert_int_equal(inc->n_sessions, 2);
			assert_string_equal(inc->entries[1].cmdline, "sh -c id");
			assert_string_equal(inc->entries[2].cmdline, "ls");
			assert_string_equal(inc->entries[2].session, inc->entries[0].session);
			assert_string_not_equal(inc->entries[1].session, inc->entries[0].session);
		}
		incident_free(inc);
	}
	assert_int_equal(n, 4);
	incident_set_free(s);
}

/* A probe every 2 s from separate execs: one row with a count; a session's own repeats stay. */
static void test_recurring_probe_folded(void **state)
{
	struct incident_set *s;
	struct incident *inc;
	struct alert *a;
	int i;

	(void)state;
	assert_int_equal(incident_set_new(30 * SEC, 0, &s), 0);
	for (i = 0; i < 5; i++)
		add(s, mk("aaaaaaaaaaaa", 1000 + i, (10 + 2 * i) * SEC, "r", "sh -c pg_isready"));
	/* the same command twice in one session: both rows */
	for (i = 0; i < 2; i++) {
		a = mk("aaaaaaaaaaaa", 2000 + i, (21 + i) * SEC, "r", "ls");
		a->ev.ancestors[0].pid = 1999;
		a->ev.ancestors[0].vpid = 9;
		a->ev.ancestor_count = 2;
		a->ev.ancestors[1].pid = 100;
		add(s, a);
	}
	/* the probe with another rule is another row */
	add(s, mk("aaaaaaaaaaaa", 3000, 25 * SEC, "other", "sh -c pg_isready"));
	inc = incident_take(s, 0, true);
	assert_non_null(inc);
	assert_int_equal(inc->n_entries, 4);
	assert_string_equal(inc->entries[0].cmdline, "sh -c pg_isready");
	assert_int_equal(inc->entries[0].repeats, 4);
	assert_int_equal(inc->entries[0].last_ns, 18 * SEC);
	assert_string_equal(inc->entries[1].cmdline, "ls");
	assert_string_equal(inc->entries[2].cmdline, "ls");
	assert_int_equal(inc->entries[3].repeats, 0);
	assert_int_equal(inc->n_sessions, 7);
	assert_int_equal(inc->n_alerts, 8);
	incident_free(inc);
	incident_set_free(s);
}

/* The most severe rule leads, the first such on a tie. */
static void test_lead_rule(void **state)
{
	struct incident_set *s;
	struct incident *inc;
	struct alert *a;

	(void)state;
	assert_int_equal(incident_set_new(30 * SEC, 0, &s), 0);
	a = mk("aaaaaaaaaaaa", 500, 10 * SEC, "Notice rule", "sh");
	a->priority = PRIO_NOTICE;
	add(s, a);
	a = mk("aaaaaaaaaaaa", 500, 10 * SEC, "Warning rule", "sh");
	a->priority = PRIO_WARNING;
	add(s, a);
	a = mk("aaaaaaaaaaaa", 501, 11 * SEC, "Other warning", "sh -c id");
	a->priority = PRIO_WARNING;
	add(s, a);
	inc = incident_take(s, 0, true);
	assert_string_equal(inc->lead_rule, "Warning rule");
	assert_int_equal(inc->lead_priority, PRIO_WARNING);
	incident_free(inc);
	incident_set_free(s);
}

static void test_tty_session(void **state)
{
	struct alert *a = mk("aaaaaaaaaaaa", 1, 0, "r", "sh");
	char key[96];

	(void)state;
	a->ev.lineage = SS_LINEAGE_UNKNOWN;
	a->known[F_SS_LINEAGE] = false;
	a->ev.tty = 34816; /* pts/0: major 136, minor 0 */
	incident_session_key(a, key, sizeof(key));
	assert_string_equal(key, "terminal 136:0");
	a->ev.tty = 0;
	incident_session_key(a, key, sizeof(key));
	assert_string_equal(key, "unknown session");
	free(a);
}

static void test_bounds(void **state)
{
	struct incident_set *s;
	struct incident *inc;
	char cmd[32];
	size_t i;

	(void)state;
	assert_int_equal(incident_set_new(30 * SEC, 2, &s), 0);
	for (i = 0; i < INCIDENT_MAX_ENTRIES + 5; i++) {
		snprintf(cmd, sizeof(cmd), "sh -c echo %zu", i);
		add(s, mk("aaaaaaaaaaaa", 500, 10 * SEC + i, "r", cmd));
	}
	/* a third open incident closes the oldest one */
	add(s, mk("bbbbbbbbbbbb", 1, 10 * SEC, "r", "sh"));
	add(s, mk("cccccccccccc", 1, 10 * SEC, "r", "sh"));
	inc = incident_take(s, 0, false);
	assert_non_null(inc);
	assert_string_equal(inc->container, "aaaaaaaaaaaa");
	assert_int_equal(inc->n_entries, INCIDENT_MAX_ENTRIES);
	assert_int_equal(inc->omitted, 5);
	incident_free(inc);
	assert_null(incident_take(s, 0, false));
	incident_set_free(s);
}

/* A command of kernel-followed session id (leader: the shell that started it). */
static struct alert *mk_session(const char *id, uint32_t pid, uint64_t t, const char *cmd,
				bool leader)
{
	struct alert *a = mk("aaaaaaaaaaaa", pid, t, "", cmd);

	snprintf(a->ev.session, sizeof(a->ev.session), "%s", id);
	if (leader) {
		a->ev.flags |= SS_F_SESSION | SS_F_SESSION_START;
		snprintf(a->ev.session_reasons, sizeof(a->ev.session_reasons), "injected,tty");
	} else {
		a->ev.flags |= SS_F_SESSION;
	}
	snprintf(a->ev.stdio[0].type, sizeof(a->ev.stdio[0].type), "file");
	snprintf(a->ev.stdio[1].type, sizeof(a->ev.stdio[1].type), "file");
	return a;
}

static void add_cmd(struct incident_set *s, struct alert *a, const char *rule)
{
	const char *rules[1] = {rule};
	struct kb_result r;

	memset(&r, 0, sizeof(r));
	assert_int_equal(incident_add_command(s, a, &r, rules, rule ? 1 : 0), 0);
	free(a);
}

/*
 * A session stays one incident through pauses longer than the window, its
 * report waits for the shell's end (or a long silence), and the end is kept
 * for the summary; the report delay then runs from the end.
 */
static void test_session_lifetime(void **state)
{
	struct session_end end;
	struct incident_set *s;
	struct incident *inc;

	(void)state;
	assert_int_equal(incident_set_new(30 * SEC, 0, &s), 0);
	add_cmd(s, mk_session("500-1a", 500, 10 * SEC, "bash", true),
		"Terminal shell in container");
	add_cmd(s, mk_session("500-1a", 501, 12 * SEC, "cat /etc/shadow", false), NULL);
	/* two minutes later, still the same session: the same incident */
	add_cmd(s, mk_session("500-1a", 502, 130 * SEC, "ls /", false), NULL);
	/* and its shell still runs: no report yet, even long after the window */
	assert_null(incident_take(s, 400 * SEC, false));
	/* nor a wakeup for it before the long silence (no busy loop past the window) */
	assert_true(incident_next_due(s) == 130 * SEC + INCIDENT_SESSION_IDLE_NS);
	memset(&end, 0, sizeof(end));
	snprintf(end.session, sizeof(end.session), "500-1a");
	end.start_ns = 10 * SEC;
	end.end_ns = 200 * SEC;
	end.commands = 5;
	end.capped = 2;
	end.pid = 500;
	assert_int_equal(incident_session_end(s, &end), 0);
	/* the delay runs from the end */
	assert_true(incident_next_due(s) == 230 * SEC);
	assert_null(incident_take(s, 220 * SEC, false));
	inc = incident_take(s, 231 * SEC, false);
	assert_non_null(inc);
	assert_int_equal(inc->n_entries, 3);
	assert_int_equal(inc->session_commands, 3);
	assert_int_equal(inc->n_alerts, 0);
	assert_int_equal(inc->n_shell_sessions, 1);
	assert_true(inc->shell_session_ended[0]);
	assert_int_equal(inc->n_session_ends, 1);
	assert_int_equal(inc->session_ends[0].capped, 2);
	assert_true(inc->entries[0].session_leader);
	assert_string_equal(inc->entries[0].session_reasons, "injected,tty");
	assert_false(inc->entries[1].session_leader);
	assert_true(inc->entries[1].in_session);
	assert_string_equal(inc->entries[0].rules[0], "Terminal shell in container");
	assert_int_equal(inc->entries[1].n_rules, 0);
	incident_free(inc);
	/* an end with no open incident of that session */
	snprintf(end.session, sizeof(end.session), "999-ff");
	assert_int_equal(incident_session_end(s, &end), -ENOENT);
	incident_set_free(s);
}

/*
 * Commands arrive out of time order (session-only commands travel on a ring
 * of their own, read after the main one): the timeline is in time order,
 * and the entry of the incident's first alert stays marked.
 */
static void test_timeline_time_order(void **state)
{
	struct incident_set *s;
	struct incident *inc;

	(void)state;
	assert_int_equal(incident_set_new(30 * SEC, 0, &s), 0);
	add_cmd(s, mk_session("600-3c", 600, 10 * SEC, "sh", true), "Terminal shell in container");
	/* a subshell's alert (main ring) before the earlier session-only commands */
	add_cmd(s, mk_session("600-3c", 603, 14 * SEC, "sh -c true", false),
		"Detect Shell in Container");
	add_cmd(s, mk_session("600-3c", 601, 11 * SEC, "id", false), NULL);
	add_cmd(s, mk_session("600-3c", 602, 12 * SEC, "cat /etc/shadow", false), NULL);
	inc = incident_take(s, 0, true);
	assert_non_null(inc);
	assert_int_equal(inc->n_entries, 4);
	assert_string_equal(inc->entries[0].cmdline, "sh");
	assert_string_equal(inc->entries[1].cmdline, "id");
	assert_string_equal(inc->entries[2].cmdline, "cat /etc/shadow");
	assert_string_equal(inc->entries[3].cmdline, "sh -c true");
	assert_true(inc->entries[0].of_first);
	assert_false(inc->entries[3].of_first);
	incident_free(inc);
	incident_set_free(s);
}

/* A session left at a prompt is reported after a long silence, still running. */
static void test_session_idle(void **state)
{
	struct incident_set *s;
	struct incident *inc;

	(void)state;
	assert_int_equal(incident_set_new(30 * SEC, 0, &s), 0);
	add_cmd(s, mk_session("700-2b", 700, 10 * SEC, "sh", true), NULL);
	assert_null(incident_take(s, 10 * SEC + INCIDENT_SESSION_IDLE_NS - SEC, false));
	inc = incident_take(s, 10 * SEC + INCIDENT_SESSION_IDLE_NS, false);
	assert_non_null(inc);
	assert_false(inc->shell_session_ended[0]);
	incident_free(inc);
	incident_set_free(s);
}

/* A network socket on stdio never folds into a benign repeat row. */
static void test_network_stdio_not_folded(void **state)
{
	struct incident_set *s;
	struct incident *inc;
	struct alert *a;

	(void)state;
	assert_int_equal(incident_set_new(30 * SEC, 0, &s), 0);
	add(s, mk("aaaaaaaaaaaa", 800, 10 * SEC, "r", "sh -i"));
	a = mk("aaaaaaaaaaaa", 900, 11 * SEC, "r", "sh -i");
	snprintf(a->ev.stdio[0].type, sizeof(a->ev.stdio[0].type), "ipv4");
	add(s, a);
	inc = incident_take(s, 0, true);
	assert_int_equal(inc->n_entries, 2);
	assert_string_equal(inc->entries[1].stdin_type, "ipv4");
	incident_free(inc);
	incident_set_free(s);
}

/* When the daemon must wake to write a report: exactly when incident_take() would give one. */
static void test_next_due(void **state)
{
	struct incident_set *s;
	struct incident *inc;

	(void)state;
	assert_int_equal(incident_set_new(30 * SEC, 2, &s), 0);
	assert_true(incident_next_due(s) == UINT64_MAX); /* nothing open: no deadline */
	add(s, mk("aaaaaaaaaaaa", 500, 10 * SEC, "r", "sh"));
	add(s, mk("bbbbbbbbbbbb", 1, 12 * SEC, "r", "sh"));
	add(s, mk("aaaaaaaaaaaa", 500, 15 * SEC, "r", "sh -c id")); /* extends the first window */
	assert_true(incident_next_due(s) == 42 * SEC);
	assert_null(incident_take(s, 42 * SEC - 1, false));
	inc = incident_take(s, 42 * SEC, false);
	assert_non_null(inc);
	assert_string_equal(inc->container, "bbbbbbbbbbbb");
	incident_free(inc);
	assert_true(incident_next_due(s) == 45 * SEC);
	/* a third open incident closes the oldest: that one is due at once */
	add(s, mk("bbbbbbbbbbbb", 1, 50 * SEC, "r", "sh"));
	add(s, mk("cccccccccccc", 1, 51 * SEC, "r", "sh"));
	assert_true(incident_next_due(s) == 0);
	while ((inc = incident_take(s, 0, true)))
		incident_free(inc);
	assert_true(incident_next_due(s) == UINT64_MAX);
	incident_set_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kubectl_exec_sequence_is_one_incident),
		cmocka_unit_test(test_split_by_container_host_and_window),
		cmocka_unit_test(test_recurring_probe_folded),
		cmocka_unit_test(test_lead_rule),
		cmocka_unit_test(test_session_lifetime),
		cmocka_unit_test(test_timeline_time_order),
		cmocka_unit_test(test_session_idle),
		cmocka_unit_test(test_network_stdio_not_folded),
		cmocka_unit_test(test_tty_session),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_next_due),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
