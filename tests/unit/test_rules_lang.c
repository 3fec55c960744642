/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The rule language: operators, precedence, lists, macros, merges, outputs, prefilter. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <cmocka.h>

#include "test_rules_events.h"

static const struct rules_options all_prio = {.min_priority = PRIO_DEBUG};

static struct exec_event *bash_event(void)
{
	static const char *const argv[] = {"bash", "-c", "id", NULL};
	struct exec_event *ev = malloc(sizeof(*ev));

	assert_non_null(ev);
	ev_shell(ev, "bash", "runc", 34816, argv);
	return ev;
}

/* Compile a standalone condition and evaluate it; fails the test on compile errors. */
static bool check(const char *text, const struct exec_event *ev)
{
	struct condition *c = NULL;
	struct ss_error err;
	bool r;
	int rc = condition_compile(text, NULL, &c, &err);

	if (rc)
		fail_msg("condition '%s' did not compile: %d:%d: %s", text, err.line, err.col,
			 err.msg);
	r = condition_eval(c, ev);
	condition_free(c);
	return r;
}

static void expect_compile_error(const char *text, int col, const char *msg_part)
{
	struct condition *c = NULL;
	struct ss_error err;

	assert_int_equal(condition_compile(text, NULL, &c, &err), -EINVAL);
	assert_null(c);
	if (err.line != 1 || err.col != col || !strstr(err.msg, msg_part))
		fail_msg("'%s': got %d:%d '%s', want 1:%d '%s'", text, err.line, err.col, err.msg,
			 col, msg_part);
}

static void test_operators(void **state)
{
	struct exec_event *ev = bash_event();

	(void)state;
	assert_true(check("proc.name = bash", ev));
	assert_true(check("proc.name == bash", ev));
	assert_false(check("proc.name = sh", ev));
	assert_true(check("proc.name != sh", ev));
	assert_true(check("proc.tty > 0", ev));
	assert_true(check("proc.tty >= 34816", ev));
	assert_false(check("proc.tty < 34816", ev));
	assert_true(check("proc.tty <= 34816", ev));
	assert_true(check("proc.cmdline contains \"-c id\"", ev));
	assert_false(check("proc.cmdline contains \"-C ID\"", ev));
	assert_true(check("proc.cmdline icontains \"-C ID\"", ev));
	assert_true(check("proc.cmdline bcontains 2d6320", ev)); /* "-c " */
	assert_false(check("proc.cmdline bcontains 2d6321", ev));
	assert_true(check("proc.cmdline bstartswith 626173", ev));
	assert_true(check("proc.cmdline startswith 'bash -'", ev));
	assert_true(check("proc.cmdline endswith ' id'", ev));
	assert_false(check("proc.cmdline endswith bash", ev));
	assert_true(check("proc.name in (sh, bash, zsh)", ev));
	assert_false(check("proc.name in (sh, zsh)", ev));
	assert_true(check("proc.name intersects (bash)", ev));
	assert_true(check("proc.exepath pmatch (/opt, /usr/bin)", ev));
	assert_false(check("proc.exepath pmatch (/usr/b)", ev));
	assert_true(check("proc.exepath glob '/usr/*/bash'", ev));
	assert_false(check("proc.exepath glob '/usr/*/BASH'", ev));
	assert_true(check("proc.exepath iglob '/usr/*/BASH'", ev));
	assert_true(check("proc.name regex 'ba.h'", ev));
	assert_false(check("proc.name regex 'as'", ev)); /* anchored like Falco's RE2 */
	assert_true(check("proc.pname exists", ev));
	assert_false(check("container.name exists", ev));
	assert_true(check("proc.pid in (1, 5000)", ev));
	assert_false(check("proc.pid in (1, 2)", ev));
	assert_true(check("user.loginuid = -1", ev));
	free(ev);
}

static void test_null_and_ancestors(void **state)
{
	struct exec_event *ev = bash_event();

	(void)state;
	/* an unknown value fails every comparison, even != */
	assert_false(check("container.name = web", ev));
	assert_false(check("container.name != web", ev));
	assert_true(check("not container.name = web", ev));
	assert_false(check("container.privileged = true", ev));
	assert_false(check("container.privileged = false", ev));
	ev->container.privileged = TRI_FALSE;
	assert_true(check("container.privileged = false", ev));
	/* without index: any ancestor; [0] is the process itself */
	assert_true(check("proc.aname = containerd-shim", ev));
	assert_true(check("proc.aname in (foo, runc)", ev));
	assert_false(check("proc.aname = bash", ev));
	assert_true(check("proc.aname[0] = bash", ev));
	assert_true(check("proc.aname[1] = runc", ev));
	assert_true(check("proc.aname[2] = containerd-shim", ev));
	assert_false(check("proc.aname[3] exists", ev));
	assert_true(check("proc.apid[2] = 100", ev));
	assert_true(check("proc.apid = 4990", ev));
	/* Falco's never_true / always_true idioms on evt.num */
	assert_false(check("evt.num = 0", ev));
	assert_true(check("evt.num >= 0", ev));
	assert_true(check("evt.dir = < and evt.type in (execve, execveat)", ev));
	assert_false(check("evt.dir = >", ev));
	free(ev);
}

static void test_precedence(void **state)
{
	struct exec_event *ev = bash_event();

	(void)state;
	/* a = true, b = false, c = true: only ((not a) and b) or c is true */
	assert_true(check("not proc.name = bash and proc.tty = 0 or proc.pid = 5000", ev));
	assert_false(check("not (proc.name = bash and proc.tty = 0 or proc.pid = 5000)", ev));
	assert_false(check("(not proc.name = bash) and (proc.tty = 0 or proc.pid = 5000)", ev));
	/* a or b and c with a = true, b = c = false: and binds tighter */
	assert_true(check("proc.name = bash or proc.tty = 0 and proc.pid = 1", ev));
	assert_false(check("(proc.name = bash or proc.tty = 0) and proc.pid = 1", ev));
	assert_true(check("not not proc.name = bash", ev));
	assert_true(check("((((proc.name=bash))))", ev));
	free(ev);
}

static void test_inline_lists(void **state)
{
	struct exec_event *ev = bash_event();

	(void)state;
	strcpy(ev->ancestors[0].comm, "runc:[0:PARENT]");
	assert_true(check("proc.pname in (runc, runc:[0:PARENT], \"runc:[1:CHILD]\")", ev));
	assert_true(check("proc.pname = runc:[0:PARENT]", ev));
	assert_false(check("proc.pname in (runc, 'runc:[1:CHILD]')", ev));
	strcpy(ev->comm, "my shell");
	assert_true(check("proc.name in ('a b', \"my shell\")", ev));
	assert_false(check("proc.name in ()", ev));
	free(ev);
}

static void test_condition_errors(void **state)
{
	(void)state;
	expect_compile_error("proc.nmae = bash", 1, "unsupported field 'proc.nmae'");
	expect_compile_error("fd.name = /etc/passwd", 1, "unsupported field 'fd.name'");
	expect_compile_error("proc.name = bash andd proc.pid = 1", 18, "expected 'and', 'or'");
	expect_compile_error("(proc.name = bash", 1, "missing ')'");
	expect_compile_error("proc.name = bash)", 17, "unbalanced ')'");
	expect_compile_error("proc.name bash", 11, "expected an operator");
	expect_compile_error("proc.name in (a, b", 14, "missing ')'");
	expect_compile_error("proc.tty contains 3", 10, "not valid for integer field");
	expect_compile_error("proc.tty = abc", 12, "not an integer");
	expect_compile_error("proc.name = \"bash", 13, "unterminated quoted string");
	expect_compile_error("proc.name regex 'a('", 17, "invalid regex");
	expect_compile_error("proc.name bcontains 6", 21, "hex bytes");
	expect_compile_error("no_such_macro and proc.name = bash", 1, "undefined macro");
	expect_compile_error("proc.name = bash and", 21, "expected a field");
	expect_compile_error("tolower(proc.name) = bash", 1, "unsupported function");
	expect_compile_error("proc.name[1] = bash", 1, "takes no index");
	expect_compile_error("proc.aname[999] = bash", 1, "index of");
	expect_compile_error("proc.name = (a, b)", 13, "takes one value");
	expect_compile_error("   ", 1, "empty condition");
}

static const char macros_yaml[] = "- list: base_shells\n"
				  "  items: [sh, bash]\n"
				  "- list: more_shells\n"
				  "  items: [base_shells, zsh]\n"
				  "- macro: is_shell\n"
				  "  condition: proc.name in (more_shells)\n"
				  "- macro: in_container\n"
				  "  condition: container.id != host\n"
				  "- macro: shell_in_container\n"
				  "  condition: is_shell and in_container\n"
				  "- rule: nested\n"
				  "  desc: d\n"
				  "  condition: shell_in_container and not proc.pname in (sshd)\n"
				  "  output: \"%proc.name\"\n"
				  "  priority: INFO\n";

static void test_nested_macros_and_lists(void **state)
{
	struct exec_event *ev = bash_event();
	struct ruleset *rs = NULL;
	struct ss_error err;
	struct condition *c = NULL;
	struct rules_summary sum;

	(void)state;
	assert_int_equal(load_rules_text(macros_yaml, &all_prio, &rs, &err), 0);
	ruleset_get_summary(rs, &sum);
	assert_int_equal(sum.rules, 1);
	assert_int_equal(sum.macros, 3);
	assert_int_equal(sum.lists, 2);
	assert_true(matches_rule(rs, ev, "nested"));
	strcpy(ev->comm, "zsh");
	assert_true(matches_rule(rs, ev, "nested"));
	strcpy(ev->comm, "python3");
	assert_false(matches_rule(rs, ev, "nested"));
	strcpy(ev->comm, "bash");
	ev_to_host(ev);
	assert_false(matches_rule(rs, ev, "nested"));

	/* standalone conditions may use the ruleset's macros and lists */
	assert_int_equal(condition_compile("is_shell and proc.name in (base_shells)", rs, &c, &err),
			 0);
	assert_true(condition_eval(c, ev));
	condition_free(c);
	ruleset_free(rs);
	free(ev);
}

static void expect_load_error(const char *yaml, const char *msg_part, int line, int col)
{
	struct ruleset *rs = NULL;
	struct ss_error err;

	assert_int_equal(load_rules_text(yaml, &all_prio, &rs, &err), -EINVAL);
	assert_null(rs);
	if (!strstr(err.msg, msg_part) || err.line != line || err.col != col)
		fail_msg("got %d:%d '%s', want %d:%d '%s'", err.line, err.col, err.msg, line, col,
			 msg_part);
}

static void test_cycles(void **state)
{
	(void)state;
	expect_load_error("- macro: a\n  condition: b\n- macro: b\n  condition: proc.pid=1 or a\n",
			  "reference cycle", 4, 28);
	expect_load_error("- macro: self\n  condition: not self\n", "reference cycle", 2, 18);
	expect_load_error("- list: l1\n  items: [l2]\n- list: l2\n  items: [l1]\n"
			  "- macro: m\n  condition: proc.name in (l1)\n",
			  "refers to itself", 6, 28);
}

static const char exc_yaml[] = "- rule: shells\n"
			       "  desc: d\n"
			       "  condition: proc.name in (bash, sh)\n"
			       "  output: \"%proc.name\"\n"
			       "  priority: NOTICE\n"
			       "  exceptions:\n"
			       "    - name: parent_and_user\n"
			       "      fields: [proc.pname, user.uid]\n"
			       "      comps: [=, in]\n"
			       "      values:\n"
			       "        - [cron, [0, 33]]\n"
			       "    - name: images\n"
			       "      fields: container.image.repository\n"
			       "      values: [docker.io/library/debian, quay.io/x]\n"
			       "- rule: shells\n"
			       "  exceptions:\n"
			       "    - name: parent_and_user\n"
			       "      values:\n"
			       "        - [supervisord, [1000]]\n"
			       "  override:\n"
			       "    exceptions: append\n";

static void test_exceptions(void **state)
{
	struct exec_event *ev = bash_event();
	struct ruleset *rs = NULL;
	struct ss_error err;

	(void)state;
	if (load_rules_text(exc_yaml, &all_prio, &rs, &err))
		fail_msg("%d:%d %s", err.line, err.col, err.msg);
	assert_true(matches_rule(rs, ev, "shells"));
	strcpy(ev->ancestors[0].comm, "cron");
	assert_false(matches_rule(rs, ev, "shells")); /* cron, uid 0 */
	ev->uid = 1000;
	assert_true(matches_rule(rs, ev, "shells")); /* cron, but uid 1000 */
	strcpy(ev->ancestors[0].comm, "supervisord");
	assert_false(matches_rule(rs, ev, "shells")); /* appended value */
	strcpy(ev->ancestors[0].comm, "runc");
	strcpy(ev->container.image_repository, "quay.io/x");
	assert_false(matches_rule(rs, ev, "shells"));
	strcpy(ev->container.image_repository, "quay.io/y");
	assert_true(matches_rule(rs, ev, "shells"));
	ruleset_free(rs);
	free(ev);
}

static const char override_yaml[] = "- list: shells\n"
				    "  items: [sh]\n"
				    "- list: shells\n"
				    "  items: [bash]\n"
				    "  append: true\n"
				    "- macro: expected\n"
				    "  condition: proc.pname = cron\n"
				    "- macro: expected\n"
				    "  condition: or proc.pname = supervisord\n"
				    "  override:\n"
				    "    condition: append\n"
				    "- rule: r1\n"
				    "  desc: d\n"
				    "  condition: proc.name in (shells) and not expected\n"
				    "  output: \"%proc.name\"\n"
				    "  priority: NOTICE\n"
				    "- rule: r1\n"
				    "  condition: and proc.tty != 0\n"
				    "  append: true\n"
				    "- rule: r2\n"
				    "  desc: d\n"
				    "  condition: proc.name = nope\n"
				    "  output: before\n"
				    "  priority: DEBUG\n"
				    "- rule: r2\n"
				    "  condition: proc.name = bash\n"
				    "  output: \"after %proc.name\"\n"
				    "  priority: ERROR\n"
				    "  override:\n"
				    "    condition: replace\n"
				    "    output: replace\n"
				    "    priority: replace\n"
				    "- rule: r3\n"
				    "  desc: d\n"
				    "  condition: proc.name = bash\n"
				    "  output: r3\n"
				    "  priority: NOTICE\n"
				    "- rule: r3\n"
				    "  enabled: false\n";

static void test_overrides(void **state)
{
	struct exec_event *ev = bash_event();
	const struct rule *m[8];
	struct ruleset *rs = NULL;
	struct ss_error err;
	struct rules_summary sum;
	char out[64];
	size_t n;

	(void)state;
	if (load_rules_text(override_yaml, &all_prio, &rs, &err))
		fail_msg("%d:%d %s", err.line, err.col, err.msg);
	ruleset_get_summary(rs, &sum);
	assert_int_equal(sum.rules, 2);
	assert_int_equal(sum.disabled, 1);
	n = ruleset_eval(rs, ev, m, 8);
	assert_int_equal(n, 2);
	assert_string_equal(rule_name(m[0]), "r1"); /* file order */
	assert_string_equal(rule_name(m[1]), "r2");
	assert_int_equal(rule_priority(m[1]), PRIO_ERROR);
	assert_int_equal(rule_render_output(m[1], ev, out, sizeof(out)), 0);
	assert_string_equal(out, "after bash");
	ev->tty = 0; /* legacy append added "and proc.tty != 0" */
	assert_false(matches_rule(rs, ev, "r1"));
	ev->tty = 34816;
	strcpy(ev->ancestors[0].comm, "supervisord"); /* appended macro condition */
	assert_false(matches_rule(rs, ev, "r1"));
	strcpy(ev->ancestors[0].comm, "cron");
	assert_false(matches_rule(rs, ev, "r1"));
	ruleset_free(rs);
	free(ev);
}

static const char prio_yaml[] =
	"- rule: dbg\n  desc: d\n  condition: proc.name = bash\n  output: o\n  priority: DEBUG\n"
	"  tags: [noisy]\n"
	"- rule: warn one\n  desc: d\n  condition: proc.name = bash\n  output: o\n"
	"  priority: Warning\n  tags: [a, mitre_execution]\n"
	"- rule: warn two\n  desc: d\n  condition: proc.name = bash\n  output: o\n"
	"  priority: WARNING\n"
	"- rule: crit\n  desc: d\n  condition: proc.name = bash\n  output: o\n"
	"  priority: critical\n  tags: [mitre_execution]\n";

static void test_priorities_disable_tags(void **state)
{
	struct exec_event *ev = bash_event();
	const char *const globs[] = {"warn *"};
	const char *const tags[] = {"mitre_execution"};
	struct rules_options o = {.min_priority = PRIO_NOTICE};
	const char *const *rtags;
	const struct rule *m[8];
	struct ruleset *rs = NULL;
	struct ss_error err;
	struct rules_summary sum;
	enum priority p;

	(void)state;
	assert_int_equal(priority_from_string("info", &p), 0);
	assert_int_equal(p, PRIO_INFORMATIONAL);
	assert_int_equal(priority_from_string("EMERGENCY", &p), 0);
	assert_int_equal(p, PRIO_EMERGENCY);
	assert_int_equal(priority_from_string("loud", &p), -EINVAL);
	assert_string_equal(priority_name(PRIO_WARNING), "Warning");
	assert_string_equal(priority_name(PRIO_INFORMATIONAL), "Informational");

	assert_int_equal(load_rules_text(prio_yaml, &o, &rs, &err), 0);
	ruleset_get_summary(rs, &sum);
	assert_int_equal(sum.rules, 3);
	assert_int_equal(sum.disabled, 1);
	assert_false(matches_rule(rs, ev, "dbg"));
	assert_int_equal(ruleset_eval(rs, ev, m, 8), 3);
	assert_int_equal(rule_tags(m[0], &rtags), 2);
	assert_string_equal(rtags[1], "mitre_execution");
	assert_int_equal(ruleset_eval(rs, ev, m, 1), 1); /* bounded by max */
	ruleset_free(rs);

	o.disabled_rules = globs;
	o.n_disabled_rules = 1;
	assert_int_equal(load_rules_text(prio_yaml, &o, &rs, &err), 0);
	assert_int_equal(ruleset_eval(rs, ev, m, 8), 1);
	assert_string_equal(rule_name(m[0]), "crit");
	ruleset_free(rs);

	o.n_disabled_rules = 0;
	o.disabled_tags = tags;
	o.n_disabled_tags = 1;
	assert_int_equal(load_rules_text(prio_yaml, &o, &rs, &err), 0);
	assert_int_equal(ruleset_eval(rs, ev, m, 8), 1);
	assert_string_equal(rule_name(m[0]), "warn two");
	ruleset_free(rs);
	free(ev);
}

static void test_output(void **state)
{
	static const char yaml[] =
		"- rule: out\n  desc: d\n  condition: proc.name = bash\n"
		"  output: \"%proc.name ran %proc.cmdline (parent %proc.aname[1], %proc.pname) "
		"name=%container.name uid=%user.uid 100% done %proc.name.\"\n"
		"  priority: NOTICE\n";
	struct exec_event *ev = bash_event();
	const struct field_ref *refs;
	const struct rule *m[2];
	struct ruleset *rs = NULL;
	struct ss_error err;
	char out[256], tiny[8];
	size_t n;

	(void)state;
	assert_int_equal(load_rules_text(yaml, &all_prio, &rs, &err), 0);
	assert_int_equal(ruleset_eval(rs, ev, m, 2), 1);
	assert_int_equal(rule_render_output(m[0], ev, out, sizeof(out)), 0);
	assert_string_equal(out, "bash ran bash -c id (parent runc, runc) name=<NA> uid=0 100% "
				 "done bash.");
	n = rule_output_fields(m[0], &refs);
	assert_int_equal(n, 6);
	assert_int_equal(refs[0].id, F_PROC_NAME);
	assert_int_equal(refs[2].id, F_PROC_ANAME);
	assert_int_equal(refs[2].index, 1);
	assert_string_equal(refs[2].name, "proc.aname[1]");
	assert_int_equal(refs[4].id, F_CONTAINER_NAME);
	/* hostile argv cannot overflow the caller's buffer */
	assert_int_equal(rule_render_output(m[0], ev, tiny, sizeof(tiny)), -ENOSPC);
	assert_string_equal(tiny, "bash ra");
	ruleset_free(rs);
	free(ev);
}

static void test_falco_compat_skip(void **state)
{
	static const char yaml[] =
		"- rule: fd rule\n  desc: d\n  condition: fd.name = /etc/shadow\n  output: o\n"
		"  priority: WARNING\n"
		"- rule: k8s audit\n  desc: d\n  source: k8s_audit\n  condition: ka.verb = get\n"
		"  output: o\n  priority: WARNING\n"
		"- rule: ok\n  desc: d\n  condition: proc.name = bash\n  output: o\n"
		"  priority: WARNING\n";
	struct rules_options o = {.min_priority = PRIO_DEBUG, .falco_compat = true};
	struct ruleset *rs = NULL;
	struct ss_error err;
	struct rules_summary sum;
	char *path = write_temp_rules(yaml), *buf = NULL;
	const char *p = path;
	size_t blen = 0;
	FILE *warn = open_memstream(&buf, &blen);

	(void)state;
	assert_non_null(path);
	assert_int_equal(ruleset_load(&p, 1, &o, &rs, &err, warn), 0);
	fclose(warn);
	ruleset_get_summary(rs, &sum);
	assert_int_equal(sum.rules, 1);
	assert_int_equal(sum.skipped, 2);
	assert_non_null(
		strstr(buf, ":3:14: warning: rule 'fd rule' skipped: unsupported field 'fd.name'"));
	assert_non_null(strstr(buf, "rule 'k8s audit' skipped"));
	ruleset_free(rs);
	free(buf);

	/* strict: the same file is an error naming rule, field and position */
	o.falco_compat = false;
	assert_int_equal(ruleset_load(&p, 1, &o, &rs, &err, NULL), -EINVAL);
	assert_string_equal(err.file, path);
	assert_int_equal(err.line, 3);
	assert_int_equal(err.col, 14);
	assert_string_equal(err.msg, "rule 'fd rule': field 'fd.name' is Falco's and shellsentry "
				     "does not have it (--falco-compat skips such rules)");
	unlink(path);
	free(path);

	/* keys from newer Falco versions: ignored with falco_compat, an error without */
	o.falco_compat = true;
	assert_int_equal(load_rules_text("- rule: r\n  desc: d\n  condition: proc.name = sh\n"
					 "  output: o\n  priority: DEBUG\n  new_key: 1\n",
					 &o, &rs, &err),
			 0);
	ruleset_free(rs);
}

static void test_prefilter(void **state)
{
	static const char nc_yaml[] =
		"- rule: netcat\n  desc: d\n  condition: container.id != host and proc.name = nc\n"
		"  output: o\n  priority: NOTICE\n"
		"- rule: shells\n  desc: d\n  condition: >\n    container.id != host and\n"
		"    (proc.name in (bash, sh) or shellsentry.exe_name = busybox)\n"
		"  output: o\n  priority: NOTICE\n";
	static const char wide_yaml[] =
		"- rule: curl pipe\n  desc: d\n"
		"  condition: not container.id = host and proc.cmdline contains curl\n"
		"  output: o\n  priority: NOTICE\n";
	static const char host_yaml[] =
		"- rule: host shells\n  desc: d\n  condition: proc.name = bash\n"
		"  output: o\n  priority: NOTICE\n";
	struct exec_event *ev = bash_event();
	struct prefilter *pf = malloc(sizeof(*pf));
	struct ruleset *rs = NULL;
	struct ss_error err;
	size_t i;
	bool nc = false, busybox = false;

	(void)state;
	assert_non_null(pf);
	assert_int_equal(load_rules_text(nc_yaml, &all_prio, &rs, &err), 0);
	assert_int_equal(ruleset_prefilter(rs, pf), 0);
	assert_false(pf->all_container_execs);
	assert_false(pf->host_execs);
	assert_int_equal(pf->n_names, 4);
	for (i = 0; i < pf->n_names; i++) {
		nc |= !strcmp(pf->names[i], "nc");
		busybox |= !strcmp(pf->names[i], "busybox");
	}
	assert_true(nc);
	assert_true(busybox);
	strcpy(ev->comm, "nc");
	assert_true(matches_rule(rs, ev, "netcat"));
	ruleset_free(rs);

	assert_int_equal(load_rules_text(wide_yaml, &all_prio, &rs, &err), 0);
	assert_int_equal(ruleset_prefilter(rs, pf), 0);
	assert_true(pf->all_container_execs);
	assert_false(pf->host_execs);
	assert_non_null(strstr(pf->reason, "curl pipe"));
	ruleset_free(rs);

	assert_int_equal(load_rules_text(host_yaml, &all_prio, &rs, &err), 0);
	assert_int_equal(ruleset_prefilter(rs, pf), 0);
	assert_false(pf->all_container_execs);
	assert_true(pf->host_execs);
	assert_int_equal(pf->n_names, 1);
	assert_string_equal(pf->names[0], "bash");
	ruleset_free(rs);
	free(pf);
	free(ev);
}

static void test_files_and_dirs(void **state)
{
	static const char a[] = "- list: l\n  items: [bash]\n";
	static const char b[] = "- rule: r\n  desc: d\n  condition: proc.name in (l)\n"
				"  output: o\n  priority: NOTICE\n";
	char dir[] = "/tmp/ss_rulesdir_XXXXXX", pa[64], pb[64], pc[64];
	struct exec_event *ev = bash_event();
	struct ruleset *rs = NULL;
	struct ss_error err;
	const char *p = dir, *missing = "/nonexistent/rules.yaml";
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	/* loaded in name order: the list in 10-a.yaml before the rule in 20-b.yaml */
	snprintf(pa, sizeof(pa), "%s/10-a.yaml", dir);
	snprintf(pb, sizeof(pb), "%s/20-b.yaml", dir);
	snprintf(pc, sizeof(pc), "%s/ignored.txt", dir);
	f = fopen(pb, "w");
	fputs(b, f);
	fclose(f);
	f = fopen(pa, "w");
	fputs(a, f);
	fclose(f);
	f = fopen(pc, "w");
	fputs("not yaml: [", f);
	fclose(f);
	assert_int_equal(ruleset_load(&p, 1, &all_prio, &rs, &err, NULL), 0);
	assert_true(matches_rule(rs, ev, "r"));
	ruleset_free(rs);
	unlink(pa);
	unlink(pb);
	unlink(pc);
	rmdir(dir);

	rs = NULL;
	assert_int_equal(ruleset_load(&missing, 1, &all_prio, &rs, &err, NULL), -ENOENT);
	assert_null(rs);
	assert_string_equal(err.file, missing);
	assert_non_null(strstr(err.msg, "cannot read rules"));
	free(ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_operators),
		cmocka_unit_test(test_null_and_ancestors),
		cmocka_unit_test(test_precedence),
		cmocka_unit_test(test_inline_lists),
		cmocka_unit_test(test_condition_errors),
		cmocka_unit_test(test_nested_macros_and_lists),
		cmocka_unit_test(test_cycles),
		cmocka_unit_test(test_exceptions),
		cmocka_unit_test(test_overrides),
		cmocka_unit_test(test_priorities_disable_tags),
		cmocka_unit_test(test_output),
		cmocka_unit_test(test_falco_compat_skip),
		cmocka_unit_test(test_prefilter),
		cmocka_unit_test(test_files_and_dirs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
