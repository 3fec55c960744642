/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The shipped rules (rules/shellsentry_rules.yaml, run from the repo root) decide right. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <cmocka.h>

#include "test_rules_events.h"

#define TERMINAL "Terminal shell in container"
#define SHELL "Detect Shell in Container"
#define PROBE "Shell probing for security tooling"
#define INJECTED "Shell injected into container"

static int setup(void **state)
{
	struct rules_options o = {.min_priority = PRIO_DEBUG};
	const char *path = "rules/shellsentry_rules.yaml";
	struct ruleset *rs = NULL;
	struct ss_error err;

	if (ruleset_load(&path, 1, &o, &rs, &err, NULL)) {
		fprintf(stderr, "%s:%d:%d: %s\n", err.file, err.line, err.col, err.msg);
		return -1;
	}
	*state = rs;
	return 0;
}

static int teardown(void **state)
{
	ruleset_free(*state);
	return 0;
}

static void test_loads_with_metadata(void **state)
{
	const struct ruleset *rs = *state;
	struct rules_summary sum;
	static const char *const argv[] = {"bash", NULL};
	struct exec_event *ev = malloc(sizeof(*ev));
	const struct rule *m[8];
	const char *const *tags;
	size_t n, i, j;

	assert_non_null(ev);
	ruleset_get_summary(rs, &sum);
	assert_int_equal(sum.rules, 6);
	assert_int_equal(sum.skipped, 0);
	/* a terminal shell that is also injected matches all but the probe */
	ev_shell(ev, "bash", "runc", 34816, argv);
	ev->lineage = SS_LINEAGE_INJECTED;
	n = ruleset_eval(rs, ev, m, 8);
	assert_int_equal(n, 3);
	for (i = 0; i < n; i++) {
		bool mitre = false;
		size_t nt = rule_tags(m[i], &tags);
		const struct field_ref *refs;

		for (j = 0; j < nt; j++)
			mitre |= !strncmp(tags[j], "mitre_", 6);
		assert_true(mitre);
		assert_true(rule_output_fields(m[i], &refs) >= 8);
	}
	free(ev);
}

static void test_seed_event(void **state)
{
	/* the seed alert: Falco's driver loader kmod check, run without a terminal */
	static const char *const argv[] = {
		"bash", "-c", "/usr/sbin/lsmod | cut -d' ' -f1 | grep -qx \"falco\"", NULL};
	const struct ruleset *rs = *state;
	struct exec_event *ev = malloc(sizeof(*ev));
	const struct rule *m[8];
	char out[2048];
	size_t n, i;

	assert_non_null(ev);
	ev_shell(ev, "bash", "falcoctl", 0, argv);
	strcpy(ev->user_name, "root");
	assert_true(matches_rule(rs, ev, SHELL));
	assert_true(matches_rule(rs, ev, PROBE));
	assert_false(matches_rule(rs, ev, TERMINAL));
	assert_false(matches_rule(rs, ev, INJECTED));
	n = ruleset_eval(rs, ev, m, 8);
	for (i = 0; i < n; i++) {
		if (strcmp(rule_name(m[i]), PROBE))
			continue;
		assert_int_equal(rule_priority(m[i]), PRIO_WARNING);
		assert_int_equal(rule_render_output(m[i], ev, out, sizeof(out)), 0);
		assert_non_null(strstr(out, ev->cmdline));
		assert_non_null(strstr(out, "container_id=185304d1bba4"));
		assert_non_null(strstr(out, "user=root"));
		assert_non_null(strstr(out, "k8s_ns_name=<NA>"));
	}
	free(ev);
}

static void test_probe_variants(void **state)
{
	static const char *const find_argv[] = {"sh", "-c", "find /usr/symptoms -name x", NULL};
	static const char *const ps_argv[] = {"sh", "-c", "ps aux | grep -i falco", NULL};
	static const char *const echo_argv[] = {"sh", "-c", "echo falco | wc -c", NULL};
	static const char *const split_argv[] = {"sh", "-c", "grep x /etc/hosts; echo falco", NULL};
	const struct ruleset *rs = *state;
	struct exec_event *ev = malloc(sizeof(*ev));

	assert_non_null(ev);
	ev_shell(ev, "sh", "bash", 0, find_argv);
	assert_true(matches_rule(rs, ev, PROBE));
	ev_shell(ev, "sh", "bash", 0, ps_argv);
	assert_true(matches_rule(rs, ev, PROBE));
	ev_shell(ev, "sh", "bash", 0, echo_argv);
	assert_false(matches_rule(rs, ev, PROBE));
	ev_shell(ev, "sh", "bash", 0, split_argv);
	assert_false(matches_rule(rs, ev, PROBE));
	ev_to_host(ev);
	ev_shell(ev, "sh", "bash", 0, ps_argv);
	ev_to_host(ev);
	assert_false(matches_rule(rs, ev, PROBE));
	free(ev);
}

static void test_shell_identities(void **state)
{
	static const char *const bb_sh[] = {"busybox", "sh", "-c", "id", NULL};
	static const char *const bb_ls[] = {"busybox", "ls", NULL};
	static const char *const py[] = {"python3", "-c", "print(1)", NULL};
	static const char *const script[] = {"/opt/run.sh", NULL};
	const struct ruleset *rs = *state;
	struct exec_event *ev = malloc(sizeof(*ev));

	assert_non_null(ev);
	ev_shell(ev, "busybox", "runc", 34816, bb_sh);
	strcpy(ev->exepath, "/bin/busybox");
	assert_true(matches_rule(rs, ev, SHELL));
	assert_false(matches_rule(rs, ev, TERMINAL)); /* Falco's proc.name misses busybox sh */
	ev_shell(ev, "busybox", "runc", 34816, bb_ls);
	strcpy(ev->exepath, "/bin/busybox");
	assert_false(matches_rule(rs, ev, SHELL));
	ev_shell(ev, "python3", "bash", 0, py);
	assert_false(matches_rule(rs, ev, SHELL));
	/* a #!/bin/sh script: comm is the script's name */
	ev_shell(ev, "run.sh", "bash", 0, script);
	strcpy(ev->exepath, "/opt/run.sh");
	strcpy(ev->filename, "/opt/run.sh");
	strcpy(ev->interp, "/bin/sh");
	ev->flags = SS_F_INTERP;
	assert_true(matches_rule(rs, ev, SHELL));
	/* a renamed bash: comm lies, the file does not */
	ev_shell(ev, "nginx", "runc", 0, py);
	strcpy(ev->exepath, "/usr/bin/bash");
	assert_true(matches_rule(rs, ev, SHELL));
	free(ev);
}

static void test_terminal_and_injected(void **state)
{
	static const char *const argv[] = {"bash", NULL};
	const struct ruleset *rs = *state;
	struct exec_event *ev = malloc(sizeof(*ev));

	assert_non_null(ev);
	ev_shell(ev, "bash", "runc:[1:CHILD]", 34816, argv);
	assert_true(matches_rule(rs, ev, TERMINAL));
	assert_false(matches_rule(rs, ev, INJECTED)); /* lineage init-tree */
	ev->lineage = SS_LINEAGE_INJECTED;
	assert_true(matches_rule(rs, ev, INJECTED));
	ev->tty = 0;
	assert_false(matches_rule(rs, ev, TERMINAL));
	assert_true(matches_rule(rs, ev, INJECTED));
	/* unresolved container (podman without API): container.id "" is still != host */
	ev->container.id[0] = '\0';
	assert_true(matches_rule(rs, ev, SHELL));
	ev_to_host(ev);
	assert_false(matches_rule(rs, ev, SHELL));
	assert_false(matches_rule(rs, ev, INJECTED));
	free(ev);
}

static void test_default_prefilter(void **state)
{
	const struct ruleset *rs = *state;
	struct prefilter *pf = malloc(sizeof(*pf));
	bool sh = false, bash = false, ash = false;
	size_t i;

	assert_non_null(pf);
	assert_int_equal(ruleset_prefilter(rs, pf), 0);
	assert_false(pf->all_container_execs);
	assert_false(pf->host_execs);
	for (i = 0; i < pf->n_names; i++) {
		sh |= !strcmp(pf->names[i], "sh");
		bash |= !strcmp(pf->names[i], "bash");
		ash |= !strcmp(pf->names[i], "ash");
	}
	assert_true(sh && bash && ash);
	/*
	 * the 13 names of shell_binaries and nothing else: the session rule needs
	 * no name, the kernel sends session commands by itself
	 */
	assert_int_equal(pf->n_names, 13);
	free(pf);
}

static void set_sock(struct exec_stdio *s, const char *type, const char *peer)
{
	snprintf(s->type, sizeof(s->type), "%s", type);
	snprintf(s->peer, sizeof(s->peer), "%s", peer);
}

static bool matched(const struct rule *const *m, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(rule_name(m[i]), name))
			return true;
	return false;
}

/* A shell with network stdio: CRITICAL, the peer in the output; not for local stdio. */
static void test_reverse_shell(void **state)
{
	static const char *const sh_i[] = {"sh", "-i", NULL};
	static const char *const srv[] = {"gunicorn", NULL};
	static const char *const local[] = {"file", "pipe", "unix"};
	const char *rs_rule = "Reverse or bind shell in container";
	const struct ruleset *rs = *state;
	struct exec_event *ev = malloc(sizeof(*ev));
	const struct rule *m[8];
	char out[2048];
	size_t n;

	assert_non_null(ev);
	ev_shell(ev, "sh", "nc", 0, sh_i);
	set_sock(&ev->stdio[0], "ipv4", "203.0.113.7:4444");
	set_sock(&ev->stdio[1], "ipv4", "203.0.113.7:4444");
	snprintf(ev->stdio_peer, sizeof(ev->stdio_peer), "203.0.113.7:4444");
	n = ruleset_eval(rs, ev, m, 8);
	assert_true(matched(m, n, rs_rule));
	for (size_t i = 0; i < n; i++) {
		if (strcmp(rule_name(m[i]), rs_rule))
			continue;
		assert_int_equal(rule_priority(m[i]), PRIO_CRITICAL);
		assert_true(rule_render_output(m[i], ev, out, sizeof(out)) >= 0);
		assert_non_null(strstr(out, "peer=203.0.113.7:4444"));
	}
	/* stdout alone, IPv6 */
	set_sock(&ev->stdio[0], "file", "");
	set_sock(&ev->stdio[1], "ipv6", "[2001:db8::9]:443");
	n = ruleset_eval(rs, ev, m, 8);
	assert_true(matched(m, n, rs_rule));
	/* terminal, pipe, file, /dev/null, unix socket: no */
	for (size_t k = 0; k < 3; k++) {
		set_sock(&ev->stdio[0], local[k], "");
		set_sock(&ev->stdio[1], local[k], "");
		n = ruleset_eval(rs, ev, m, 8);
		assert_false(matched(m, n, rs_rule));
	}
	/* a server that is no shell, a socket on its stdio: no */
	ev_shell(ev, "gunicorn", "gunicorn", 0, srv);
	set_sock(&ev->stdio[0], "ipv4", "10.0.0.1:5000");
	set_sock(&ev->stdio[1], "ipv4", "10.0.0.1:5000");
	n = ruleset_eval(rs, ev, m, 8);
	assert_false(matched(m, n, rs_rule));
	free(ev);
}

/* Every command of a session, whatever its name; nothing outside sessions. */
static void test_session_command(void **state)
{
	static const char *const cat[] = {"cat", "/etc/shadow", NULL};
	const char *rule = "Command in container shell session";
	const struct ruleset *rs = *state;
	struct exec_event *ev = malloc(sizeof(*ev));
	const struct rule *m[8];
	size_t n;

	assert_non_null(ev);
	ev_shell(ev, "cat", "bash", 34816, cat);
	n = ruleset_eval(rs, ev, m, 8);
	assert_false(matched(m, n, rule));
	snprintf(ev->session, sizeof(ev->session), "4242-1a2b");
	n = ruleset_eval(rs, ev, m, 8);
	assert_true(matched(m, n, rule));
	for (size_t i = 0; i < n; i++)
		if (!strcmp(rule_name(m[i]), rule))
			assert_int_equal(rule_priority(m[i]), PRIO_INFORMATIONAL);
	free(ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loads_with_metadata),
		cmocka_unit_test(test_seed_event),
		cmocka_unit_test(test_probe_variants),
		cmocka_unit_test(test_shell_identities),
		cmocka_unit_test(test_terminal_and_injected),
		cmocka_unit_test(test_default_prefilter),
		cmocka_unit_test(test_reverse_shell),
		cmocka_unit_test(test_session_command),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
