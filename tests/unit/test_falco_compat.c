/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Falco's field names, as rules loading treats them (issue 17, point 8):
 * --falco-compat skips only a rule that needs a field Falco has and
 * shellsentry lacks; a name neither knows is an error with or without it; a
 * Falco field in an output renders <NA> (JSON null), as Falco renders a field
 * with no value, and the rule loads. Rules written here in Falco's shapes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <cmocka.h>

#include <sys/stat.h>

#include "rules/falco_fields.h"
#include "tmpdir.h"
#include "test_rules_events.h"

#define RULE_HEAD                                                                                  \
	"- rule: R\n  desc: d\n  priority: WARNING\n"                                              \
	"  condition: evt.type in (execve, execveat) and container.id != host and "

static int load(const char *text, bool compat, struct ruleset **rs, struct ss_error *err)
{
	struct rules_options o = {.min_priority = PRIO_DEBUG, .falco_compat = compat};

	return load_rules_text(text, &o, rs, err);
}

static void test_names(void **state)
{
	(void)state;
	assert_true(falco_field_known("proc.cwd"));
	assert_true(falco_field_known("proc.pexe"));
	assert_true(falco_field_known("fd.name"));
	assert_true(falco_field_known("thread.cap_effective"));
	assert_true(falco_field_known("proc.stdin.type"));
	assert_true(falco_field_known("container.image.repository"));
	assert_true(falco_field_known("k8s.ns.name"));
	assert_true(falco_field_known("evt.arg.fd"));
	assert_true(falco_field_known("container.label.app"));
	assert_false(falco_field_known("evt.arg."));
	assert_false(falco_field_known("proc.nmae"));
	assert_false(falco_field_known("shellsentry.lineage"));
	assert_false(falco_field_known("k8s.container.name"));
	assert_false(falco_field_known(""));
}

/* A Falco-only field in a condition: an error that says so, skipped with --falco-compat. */
static void test_falco_field_in_condition(void **state)
{
	static const char text[] = RULE_HEAD "proc.sname = bash\n  output: x\n";
	struct ruleset *rs = NULL;
	struct ss_error err;
	struct rules_summary s;

	(void)state;
	assert_int_equal(load(text, false, &rs, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "field 'proc.sname' is Falco's"));
	assert_non_null(strstr(err.msg, "--falco-compat"));
	assert_int_equal(load(text, true, &rs, &err), 0);
	ruleset_get_summary(rs, &s);
	assert_int_equal(s.rules, 0);
	assert_int_equal(s.skipped, 1);
	ruleset_free(rs);
}

/* A typo is no Falco field: an error even with --falco-compat, naming the field. */
static void test_typo_rejected(void **state)
{
	static const char cond[] = RULE_HEAD "proc.nmae = bash\n  output: x\n";
	static const char out[] = RULE_HEAD "proc.name = bash\n  output: x %proc.nmae\n";
	struct ruleset *rs = NULL;
	struct ss_error err;
	int compat;

	(void)state;
	for (compat = 0; compat < 2; compat++) {
		assert_int_equal(load(cond, compat, &rs, &err), -EINVAL);
		assert_non_null(strstr(err.msg, "unknown field 'proc.nmae'"));
		assert_non_null(strstr(err.msg, "neither shellsentry nor Falco"));
		assert_int_equal(load(out, compat, &rs, &err), -EINVAL);
		assert_non_null(strstr(err.msg, "proc.nmae"));
	}
}

/* skip-if-unknown-filter: Falco's own per-rule skip, on any unknown field. */
static void test_skip_if_unknown_filter(void **state)
{
	static const char text[] = RULE_HEAD "proc.nmae = bash\n  output: x\n"
					     "  skip-if-unknown-filter: true\n";
	struct ruleset *rs = NULL;
	struct ss_error err;
	struct rules_summary s;

	(void)state;
	assert_int_equal(load(text, false, &rs, &err), 0);
	ruleset_get_summary(rs, &s);
	assert_int_equal(s.skipped, 1);
	ruleset_free(rs);
}

/* A Falco field only in the output: the rule loads and fires, the field is <NA>. */
static void test_output_only_field_is_na(void **state)
{
	static const char text[] =
		RULE_HEAD "proc.name = rm\n"
			  "  output: Bulk data removed (file=%fd.name cwd=%proc.cwd "
			  "command=%proc.cmdline)\n";
	static const char *const argv[] = {"rm", "-rf", "/data", NULL};
	struct exec_event *ev = malloc(sizeof(*ev));
	const struct field_ref *refs;
	const struct rule *m[4];
	struct ruleset *rs = NULL;
	struct ss_error err;
	struct field_value v;
	char buf[256];
	size_t n, i;
	bool na = false;

	(void)state;
	assert_non_null(ev);
	assert_int_equal(load(text, false, &rs, &err), 0);
	ev_shell(ev, "rm", "sh", 0, argv);
	assert_int_equal(ruleset_eval(rs, ev, m, 4), 1);
	assert_int_equal(rule_render_output(m[0], ev, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "Bulk data removed (file=<NA> cwd=<NA> command=rm -rf /data)");
	/* JSON output_fields: the key is there, its value null */
	n = rule_output_fields(m[0], &refs);
	for (i = 0; i < n; i++) {
		if (strcmp(refs[i].name, "fd.name"))
			continue;
		na = true;
		field_extract(ev, refs[i].id, refs[i].index, &v);
		assert_true(v.null);
	}
	assert_true(na);
	ruleset_free(rs);
	free(ev);
}

static void put(const char *dir, const char *name, const char *text)
{
	char p[512];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/*
 * --rules with Falco's -r semantics: a folder loads its regular *.yaml and
 * *.yml files in name order, nothing else and not recursively; a knowledge
 * base in it is not rules; a folder without rules files is an error.
 */
static void test_rules_folder(void **state)
{
	static const char kb[] = "- pattern: p\n  title: t\n  verdict: expected\n"
				 "  condition: proc.name = sh\n  evidence: e\n";
	char dir[256], sub[300], *buf = NULL;
	const char *p = dir;
	struct rules_options o = {.min_priority = PRIO_DEBUG};
	struct ruleset *rs = NULL;
	struct ss_error err;
	struct rules_summary s;
	const struct rule *m[8];
	size_t blen = 0, n;
	struct exec_event *ev = malloc(sizeof(*ev));
	static const char *const argv[] = {"sh", NULL};
	FILE *warn;

	(void)state;
	assert_non_null(ev);
	assert_int_equal(tmpdir_make(dir, sizeof(dir), "test_rulesdir"), 0);
	/* empty: an error, not zero rules */
	assert_int_equal(ruleset_load(&p, 1, &o, &rs, &err, NULL), -ENOENT);
	assert_non_null(strstr(err.msg, "no rules files"));
	put(dir, "b.yml", RULE_HEAD "proc.name = sh\n  output: b\n");
	put(dir, "a.yaml",
	    "- rule: A\n  desc: d\n  priority: NOTICE\n  condition: proc.name = sh\n"
	    "  output: a\n");
	put(dir, "c.txt",
	    "- rule: C\n  desc: d\n  priority: NOTICE\n  condition: proc.name = sh\n"
	    "  output: c\n");
	put(dir, "knowledge_base.yaml", kb);
	snprintf(sub, sizeof(sub), "%s/nested.yaml", dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	warn = open_memstream(&buf, &blen);
	assert_int_equal(ruleset_load(&p, 1, &o, &rs, &err, warn), 0);
	fclose(warn);
	ruleset_get_summary(rs, &s);
	assert_int_equal(s.rules, 2);
	assert_non_null(strstr(buf, "knowledge_base.yaml: note: a knowledge base"));
	ev_shell(ev, "sh", "runc", 0, argv);
	n = ruleset_eval(rs, ev, m, 8);
	assert_int_equal(n, 2);
	/* name order: a.yaml before b.yml */
	assert_string_equal(rule_name(m[0]), "A");
	assert_string_equal(rule_name(m[1]), "R");
	ruleset_free(rs);
	free(buf);
	/* named as a rules file, the knowledge base is refused */
	snprintf(sub, sizeof(sub), "%s/knowledge_base.yaml", dir);
	p = sub;
	assert_int_equal(ruleset_load(&p, 1, &o, &rs, &err, NULL), -EINVAL);
	assert_non_null(strstr(err.msg, "a knowledge base (pattern items), not a rules file"));
	assert_int_equal(tmpdir_remove(dir), 0);
	free(ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_falco_field_in_condition),
		cmocka_unit_test(test_typo_rejected),
		cmocka_unit_test(test_skip_if_unknown_filter),
		cmocka_unit_test(test_output_only_field_is_na),
		cmocka_unit_test(test_rules_folder),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
