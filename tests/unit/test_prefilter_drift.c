// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The kernel prefilter for exe-identity rules (evt.arg.flags): such rules ask
 * for memfd and upper-layer execs only, not for every container exec, and a
 * caller that cannot filter on exe flags still gets a filter wide enough.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "rules/rules.h"
#include "rules/rules_internal.h"

struct result {
	struct prefilter pf;
	bool drift;
};

/* Loads a rules file's text and computes its prefilter. */
static void prefilter_yaml(const char *yaml, struct result *r)
{
	char path[] = "/tmp/ss-test-prefilter-XXXXXX";
	const char *paths[] = {path};
	struct rules_options ro = {.min_priority = PRIO_DEBUG};
	struct ss_error err = {0};
	struct ruleset *rs = NULL;
	int fd = mkstemp(path);
	FILE *f;

	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(yaml, f);
	fclose(f);
	assert_int_equal(ruleset_load(paths, 1, &ro, &rs, &err, NULL), 0);
	unlink(path);
	assert_int_equal(ruleset_prefilter(rs, &r->pf), 0);
	r->drift = r->pf.exe_drift;
	ruleset_free(rs);
}

/* One container rule with this condition and output. */
static void prefilter_rule(const char *condition, const char *output, struct result *r)
{
	char yaml[1024];

	snprintf(yaml, sizeof(yaml),
		 "- list: shells\n  items: [sh, bash]\n"
		 "- rule: r\n  desc: d\n  condition: container.id != host and (%s)\n"
		 "  output: %s\n  priority: WARNING\n",
		 condition, output);
	prefilter_yaml(yaml, r);
}

static void prefilter_of(const char *condition, struct result *r)
{
	prefilter_rule(condition, "o", r);
}

static void test_flags_only(void **state)
{
	static const char *const drift_only[] = {
		"evt.arg.flags contains EXE_UPPER_LAYER",
		"evt.arg.flags contains EXE_FROM_MEMFD",
		"evt.arg.flags != 0",
		"evt.arg.flags in (EXE_UPPER_LAYER, EXE_FROM_MEMFD)",
		"evt.arg.flags startswith EXE",
		("evt.arg.flags contains EXE_UPPER_LAYER and not evt.arg.flags contains "
		 "EXE_FROM_MEMFD"),
	};
	struct result *r = calloc(1, sizeof(*r));

	(void)state;
	assert_non_null(r);
	for (size_t i = 0; i < sizeof(drift_only) / sizeof(drift_only[0]); i++) {
		prefilter_of(drift_only[i], r);
		assert_true(r->drift);
		assert_false(r->pf.all_container_execs);
		assert_false(r->pf.host_execs);
		assert_int_equal(r->pf.n_names, 0);
	}
	free(r);
}

/* Conditions that also hold for an exec without flags ("0") must not narrow. */
static void test_flags_not_narrowing(void **state)
{
	static const char *const wide[] = {
		"not evt.arg.flags contains EXE_FROM_MEMFD",
		"evt.arg.flags = 0",
		"evt.arg.flags exists",
		"evt.arg.flags != EXE_UPPER_LAYER",
		"evt.arg.flags contains EXE_UPPER_LAYER or proc.pname = nginx",
	};
	struct result *r = calloc(1, sizeof(*r));

	(void)state;
	assert_non_null(r);
	for (size_t i = 0; i < sizeof(wide) / sizeof(wide[0]); i++) {
		prefilter_of(wide[i], r);
		assert_true(r->pf.all_container_execs);
	}
	free(r);
}

static void test_flags_with_names(void **state)
{
	struct result *r = calloc(1, sizeof(*r));
	bool sh = false, bash = false;

	(void)state;
	assert_non_null(r);
	/* or: names and drift execs both */
	prefilter_of("proc.name in (shells) or evt.arg.flags contains EXE_FROM_MEMFD", r);
	assert_true(r->drift);
	assert_false(r->pf.all_container_execs);
	assert_int_equal(r->pf.n_names, 2);
	for (size_t i = 0; i < r->pf.n_names; i++) {
		sh |= !strcmp(r->pf.names[i], "sh");
		bash |= !strcmp(r->pf.names[i], "bash");
	}
	assert_true(sh && bash);

	/* and: either restriction alone is enough; the result stays narrow */
	prefilter_of("proc.name in (shells) and evt.arg.flags contains EXE_FROM_MEMFD", r);
	assert_false(r->pf.all_container_execs);
	assert_true(r->drift || r->pf.n_names == 2);

	/* a plain name rule does not ask for drift execs */
	prefilter_of("proc.name in (shells)", r);
	assert_false(r->drift);
	assert_false(r->pf.all_container_execs);
	free(r);
}

/* The shipped rules with the evasion rules: names plus drift, never every exec. */
static void test_shipped_rules(void **state)
{
	const char *paths[] = {"rules/shellsentry_rules.yaml",
			       "rules/shellsentry_evasion_rules.yaml"};
	struct rules_options ro = {.min_priority = PRIO_DEBUG};
	struct ss_error err = {0};
	struct ruleset *rs = NULL;
	struct prefilter *pf = calloc(1, sizeof(*pf));
	bool drift = false;

	(void)state;
	assert_non_null(pf);
	if (access(paths[1], R_OK)) {
		free(pf);
		skip();
	}
	assert_int_equal(ruleset_load(paths, 2, &ro, &rs, &err, NULL), 0);
	assert_int_equal(ruleset_prefilter(rs, pf), 0);
	drift = pf->exe_drift;
	assert_true(drift);
	/*
	 * the shipped rules: cwd only in the session rule's output, the parent's
	 * exe nowhere; a shell's exec outside a session skips both walks
	 */
	assert_false(pf->cwd);
	assert_true(pf->cwd_session);
	assert_false(pf->pexepath);
	assert_false(pf->all_container_execs);
	assert_true(pf->n_names > 0);
	ruleset_free(rs);
	free(pf);
}

/*
 * proc.cwd and proc.pexepath cost two dentry walks per exec in the kernel:
 * gathered only when a rule reads them, in its condition, an exception or
 * its output.
 */
static void test_gather_fields(void **state)
{
	static const struct {
		const char *cond, *output, *yaml;
		bool cwd, pexepath, cwd_session;
	} cases[] = {
		{"proc.name = sh", "o", NULL, false, false, false},
		{"proc.cwd startswith /dev/shm/", "o", NULL, true, false, false},
		{"proc.name = sh and not proc.cwd = /", "o", NULL, true, false, false},
		{"proc.name = sh", "x %proc.pexepath y", NULL, false, true, false},
		{"proc.name = sh or proc.pexepath endswith java", "c=%proc.cwd", NULL, true, true,
		 false},
		{NULL, NULL,
		 "- rule: r\n  desc: d\n  condition: container.id != host and proc.name = sh\n"
		 "  output: o\n  priority: WARNING\n"
		 "  exceptions:\n  - name: e\n    fields: [proc.cwd]\n    values: [[/tmp/]]\n",
		 true, false, false},
		/* a rule that matches session commands only: cwd for those only */
		{"shellsentry.session exists", "c=%proc.cwd", NULL, false, false, true},
		{"shellsentry.session exists or proc.name = sh", "c=%proc.cwd", NULL, true, false,
		 false},
		/* a disabled rule reads nothing */
		{NULL, NULL,
		 "- rule: r\n  desc: d\n  condition: container.id != host and proc.cwd = /\n"
		 "  output: o %proc.pexepath\n  priority: WARNING\n  enabled: false\n",
		 false, false, false},
	};
	struct result *r = calloc(1, sizeof(*r));

	(void)state;
	assert_non_null(r);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(r, 0, sizeof(*r));
		if (cases[i].yaml)
			prefilter_yaml(cases[i].yaml, r);
		else
			prefilter_rule(cases[i].cond, cases[i].output, r);
		if (r->pf.cwd != cases[i].cwd || r->pf.pexepath != cases[i].pexepath ||
		    r->pf.cwd_session != cases[i].cwd_session)
			fail_msg("case %zu: cwd %d pexepath %d cwd_session %d, want %d %d %d", i,
				 r->pf.cwd, r->pf.pexepath, r->pf.cwd_session, cases[i].cwd,
				 cases[i].pexepath, cases[i].cwd_session);
	}
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flags_only),	 cmocka_unit_test(test_flags_not_narrowing),
		cmocka_unit_test(test_flags_with_names), cmocka_unit_test(test_shipped_rules),
		cmocka_unit_test(test_gather_fields),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
