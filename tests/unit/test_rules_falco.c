/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Falco's "Terminal shell in container" logic, in Falco's rule format,
 * written here from its documented meaning, must decide as Falco does.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <cmocka.h>

#include "test_rules_events.h"

#define RULE "Terminal shell in container"

static const char falco_base[] =
	"- required_engine_version: 0.31.0\n"
	"- macro: spawned_process\n"
	"  condition: (evt.type in (execve, execveat) and evt.dir=<)\n"
	"- macro: container\n"
	"  condition: (container.id != host)\n"
	"- list: shell_binaries\n"
	"  items: [ash, bash, csh, ksh, sh, tcsh, zsh, dash]\n"
	"- macro: shell_procs\n"
	"  condition: (proc.name in (shell_binaries))\n"
	"- macro: container_entrypoint\n"
	"  condition: (not proc.pname exists or proc.pname in (runc:[0:PARENT], runc:[1:CHILD],\n"
	"    runc, docker-runc, exe, docker-runc-cur, containerd-shim, systemd, crio, conmon))\n"
	"- macro: never_true\n"
	"  condition: (evt.num=0)\n"
	"- macro: user_expected_terminal_shell_in_container_conditions\n"
	"  condition: (never_true)\n"
	"- rule: Terminal shell in container\n"
	"  desc: A shell was used as the entrypoint/exec point into a container with an attached "
	"terminal.\n"
	"  condition: >\n"
	"    spawned_process\n"
	"    and container\n"
	"    and shell_procs\n"
	"    and proc.tty != 0\n"
	"    and container_entrypoint\n"
	"    and not user_expected_terminal_shell_in_container_conditions\n"
	"  output: >\n"
	"    A shell was spawned in a container with an attached terminal (evt_type=%evt.type\n"
	"    user=%user.name user_uid=%user.uid user_loginuid=%user.loginuid process=%proc.name\n"
	"    proc_exepath=%proc.exepath parent=%proc.pname command=%proc.cmdline\n"
	"    terminal=%proc.tty exe_flags=%evt.arg.flags %container.info)\n"
	"  priority: NOTICE\n"
	"  tags: [maturity_stable, container, shell, mitre_execution, T1059]\n";

static struct ruleset *load_with(const char *extra)
{
	size_t n = strlen(falco_base) + (extra ? strlen(extra) : 0) + 1;
	struct rules_options o = {.min_priority = PRIO_DEBUG};
	struct ruleset *rs = NULL;
	struct ss_error err;
	char *text = malloc(n);

	assert_non_null(text);
	snprintf(text, n, "%s%s", falco_base, extra ? extra : "");
	if (load_rules_text(text, &o, &rs, &err)) {
		free(text);
		fail_msg("%s:%d:%d: %s", err.file, err.line, err.col, err.msg);
	}
	free(text);
	return rs;
}

static struct exec_event *terminal_bash(const char *parent)
{
	static const char *const argv[] = {"bash", NULL};
	struct exec_event *ev = malloc(sizeof(*ev));

	assert_non_null(ev);
	ev_shell(ev, "bash", parent, 34816, argv);
	strcpy(ev->user_name, "root");
	return ev;
}

static void test_terminal_shell_decisions(void **state)
{
	struct ruleset *rs = load_with(NULL);
	struct exec_event *ev = terminal_bash("runc");

	(void)state;
	assert_true(matches_rule(rs, ev, RULE)); /* tty, parent runc */
	strcpy(ev->ancestors[0].comm, "runc:[1:CHILD]");
	assert_true(matches_rule(rs, ev, RULE));
	ev->ancestor_count = 0; /* no parent: the entrypoint itself */
	assert_true(matches_rule(rs, ev, RULE));
	ev->ancestor_count = 2;
	strcpy(ev->ancestors[0].comm, "runc");
	ev->tty = 0;
	assert_false(matches_rule(rs, ev, RULE)); /* no tty */
	ev->tty = 34816;
	strcpy(ev->ancestors[0].comm, "bash");
	assert_false(matches_rule(rs, ev, RULE)); /* a shell started by a shell */
	strcpy(ev->ancestors[0].comm, "runc");
	ev_to_host(ev);
	assert_false(matches_rule(rs, ev, RULE)); /* host */
	free(ev);
	ev = terminal_bash("runc");
	strcpy(ev->comm, "python3");
	assert_false(matches_rule(rs, ev, RULE)); /* not a shell */
	ruleset_free(rs);
	free(ev);
}

static void test_terminal_shell_output(void **state)
{
	struct ruleset *rs = load_with(NULL);
	struct exec_event *ev = terminal_bash("runc:[0:PARENT]");
	const struct rule *m[4];
	char out[1024], want[1024];

	(void)state;
	ev->flags = SS_F_EXE_UPPER_LAYER;
	assert_int_equal(ruleset_eval(rs, ev, m, 4), 1);
	assert_int_equal(rule_priority(m[0]), PRIO_NOTICE);
	assert_int_equal(rule_render_output(m[0], ev, out, sizeof(out)), 0);
	snprintf(
		want, sizeof(want),
		"A shell was spawned in a container with an attached terminal (evt_type=execve "
		"user=%.32s user_uid=%u user_loginuid=%lld process=%s proc_exepath=%.64s parent=%s "
		"command=%.64s terminal=%u exe_flags=EXE_UPPER_LAYER container_id=%s "
		"container_name=<NA> container_image_repository=<NA> container_image_tag=<NA> "
		"k8s_pod_name=<NA> k8s_ns_name=<NA>)",
		ev->user_name, ev->uid, (long long)ev->loginuid, ev->comm, ev->exepath,
		ev->ancestors[0].comm, ev->cmdline, ev->tty, ev->container.id);
	assert_string_equal(out, want);
	ruleset_free(rs);
	free(ev);
}

static void test_terminal_shell_exceptions(void **state)
{
	static const char extra[] = "- rule: Terminal shell in container\n"
				    "  exceptions:\n"
				    "    - name: admin_shells\n"
				    "      fields: [proc.name, user.name]\n"
				    "      comps: [=, =]\n"
				    "      values:\n"
				    "        - [bash, admin]\n"
				    "    - name: debug_images\n"
				    "      fields: [container.image.repository]\n"
				    "      comps: [startswith]\n"
				    "      values:\n"
				    "        - [registry.local/debug]\n"
				    "  override:\n"
				    "    exceptions: append\n";
	struct ruleset *rs = load_with(extra);
	struct exec_event *ev = terminal_bash("runc");

	(void)state;
	assert_true(matches_rule(rs, ev, RULE)); /* root */
	strcpy(ev->user_name, "admin");
	assert_false(matches_rule(rs, ev, RULE));
	strcpy(ev->comm, "sh");
	assert_true(matches_rule(rs, ev, RULE)); /* sh as admin is not excepted */
	strcpy(ev->container.image_repository, "registry.local/debug-tools");
	assert_false(matches_rule(rs, ev, RULE));
	ruleset_free(rs);
	free(ev);
}

static void test_terminal_shell_override_append(void **state)
{
	static const char extra[] =
		"- macro: user_expected_terminal_shell_in_container_conditions\n"
		"  condition: or (container.image.repository = docker.io/library/toolbox\n"
		"     and proc.pname = runc)\n"
		"  override:\n"
		"    condition: append\n";
	static const char legacy[] =
		"- macro: user_expected_terminal_shell_in_container_conditions\n"
		"  condition: or k8s.ns.name in (dev, sandbox)\n"
		"  append: true\n";
	struct ruleset *rs = load_with(extra);
	struct exec_event *ev = terminal_bash("runc");

	(void)state;
	assert_true(matches_rule(rs, ev, RULE));
	strcpy(ev->container.image_repository, "docker.io/library/toolbox");
	assert_false(matches_rule(rs, ev, RULE));
	strcpy(ev->ancestors[0].comm, "runc:[1:CHILD]");
	assert_true(matches_rule(rs, ev, RULE));
	ruleset_free(rs);

	rs = load_with(legacy);
	strcpy(ev->container.pod_namespace, "prod");
	assert_true(matches_rule(rs, ev, RULE));
	strcpy(ev->container.pod_namespace, "sandbox");
	assert_false(matches_rule(rs, ev, RULE));
	ruleset_free(rs);
	free(ev);
}

static void test_terminal_shell_prefilter(void **state)
{
	struct ruleset *rs = load_with(NULL);
	struct prefilter *pf = malloc(sizeof(*pf));

	(void)state;
	assert_non_null(pf);
	assert_int_equal(ruleset_prefilter(rs, pf), 0);
	assert_false(pf->all_container_execs);
	assert_false(pf->host_execs);
	assert_int_equal(pf->n_names, 8); /* shell_binaries */
	free(pf);
	ruleset_free(rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_terminal_shell_decisions),
		cmocka_unit_test(test_terminal_shell_output),
		cmocka_unit_test(test_terminal_shell_exceptions),
		cmocka_unit_test(test_terminal_shell_override_append),
		cmocka_unit_test(test_terminal_shell_prefilter),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
