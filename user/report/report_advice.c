/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Report sections that advise: mitigations, the tuning snippet, recommendations. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/file.h"
#include "report/report_internal.h"
#include "rules/rules.h"

/* A Kubernetes name usable in a command line as is; else a placeholder. */
static const char *k8s_name_or(const char *s, bool known, const char *placeholder)
{
	size_t i, n = strlen(s);

	if (!known || !n || n > 63)
		return placeholder;
	for (i = 0; i < n; i++)
		if (!islower((unsigned char)s[i]) && !isdigit((unsigned char)s[i]) && s[i] != '-')
			return placeholder;
	return s;
}

static void put_hardening(struct mdbuf *b, const struct facts *f)
{
	const char *ns =
		k8s_name_or(f->ev->container.pod_namespace, f->known[F_K8S_NS_NAME], "<namespace>");
	bool priv = f->privileged == TRI_TRUE || f->all_caps;

	mdbuf_puts(b, "### Pod `securityContext`\n\n");
	if (f->root_known && f->root)
		mdbuf_puts(b, "- The shell ran as **root**: run the container as a non-root user "
			      "(`runAsNonRoot`, `runAsUser`).\n");
	else if (!f->root_known)
		mdbuf_puts(b, "- The user is unknown: make non-root explicit (`runAsNonRoot`, "
			      "`runAsUser`) so that a root image is refused.\n");
	if (priv)
		mdbuf_puts(b, "- The container is **privileged** (or holds every capability): "
			      "turn that off and drop all capabilities.\n");
	else if (f->caps_known && f->extra_caps)
		mdbuf_puts(b, "- It holds capabilities beyond the runtime default: drop them all "
			      "and add back only what the workload needs.\n");
	else if (f->caps_known && f->ev->cap_effective)
		mdbuf_puts(b, "- It holds the runtime's default capabilities: drop them all; few "
			      "workloads need any.\n");
	else if (!f->caps_known || f->privileged == TRI_UNKNOWN)
		mdbuf_puts(b, "- Capabilities and privileged mode are unknown: set them "
			      "explicitly.\n");
	mdbuf_puts(b, "- A shell that can write to the image can drop tools: "
		      "`readOnlyRootFilesystem` (mount an `emptyDir` where the application "
		      "writes).\n\n");
	mdbuf_puts(b, "```yaml\nsecurityContext:\n");
	mdbuf_puts(b, "  runAsNonRoot: true\n  runAsUser: 65534\n  runAsGroup: 65534\n");
	mdbuf_puts(b, "  allowPrivilegeEscalation: false\n  privileged: false\n");
	mdbuf_puts(b, "  readOnlyRootFilesystem: true\n  capabilities:\n    drop: [\"ALL\"]\n");
	mdbuf_puts(b, "  seccompProfile:\n    type: RuntimeDefault\n```\n\n");

	mdbuf_puts(b, "### Pod Security admission\n\n");
	if (priv)
		mdbuf_puts(b, "The `baseline` level already rejects privileged pods and added "
			      "capabilities; `restricted` also requires non-root and dropping "
			      "ALL. Either would have refused this pod.\n\n");
	else if (f->root_known && f->root)
		mdbuf_puts(b, "`baseline` allows root; only the `restricted` level (which requires "
			      "`runAsNonRoot`, dropping ALL capabilities, no privilege escalation "
			      "and a seccomp profile) would have refused this pod.\n\n");
	else
		mdbuf_puts(b, "The `restricted` level enforces the settings above at admission "
			      "(non-root, ALL capabilities dropped, no privilege escalation, "
			      "seccomp RuntimeDefault).\n\n");
	mdbuf_printf(
		b,
		"```sh\nkubectl label namespace %s pod-security.kubernetes.io/enforce=restricted\n"
		"```\n\n",
		ns);
	mdbuf_puts(b, "Admission checks the pod, not `kubectl exec`: a compliant pod still "
		      "accepts an exec'd shell. RBAC is what decides who may exec.\n\n");

	mdbuf_puts(b, "### `kubectl exec` access\n\n");
	if (f->injected && f->tty_known && f->ev->tty)
		mdbuf_puts(b, "This was an **interactive shell injected from outside** the "
			      "container: someone with `create` on `pods/exec` opened it. ");
	else if (f->injected)
		mdbuf_puts(b, "This shell was **injected from outside** the container (exec). ");
	else if (!f->lineage_known)
		mdbuf_puts(b, "Whether the shell came through `kubectl exec` is unknown. ");
	mdbuf_puts(b, "Grant `pods/exec` (and `pods/attach`) to as few subjects as possible, "
		      "never through wildcards, and audit every use:\n\n");
	mdbuf_puts(b, "```yaml\n# Role for people who need to see pods but not enter them:\n"
		      "# no pods/exec, pods/attach or pods/portforward.\n"
		      "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n"
		      "  name: pod-reader-no-exec\n");
	mdbuf_printf(b, "  namespace: %s\n", ns);
	mdbuf_puts(b, "rules:\n  - apiGroups: [\"\"]\n    resources: [\"pods\", \"pods/log\"]\n"
		      "    verbs: [\"get\", \"list\", \"watch\"]\n---\n"
		      "# API server audit policy: record who ran which exec.\n"
		      "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n"
		      "  - level: Metadata\n    resources:\n      - group: \"\"\n"
		      "        resources: [\"pods/exec\", \"pods/attach\", \"pods/portforward\"]\n"
		      "```\n\n");
	mdbuf_puts(b, "Find who may exec today: `kubectl auth can-i create pods/exec "
		      "--as=<user> -n <namespace>`, or list the RoleBindings and "
		      "ClusterRoleBindings that grant it.\n\n");

	mdbuf_puts(b, "### Containers run by Docker directly\n\n"
		      "The same restrictions as `docker run` flags (keep the default seccomp "
		      "profile: pass no `--security-opt seccomp=` option):\n\n"
		      "```sh\ndocker run --cap-drop=ALL --security-opt no-new-privileges "
		      "--read-only --tmpfs /tmp \\\n  --user 65534:65534 <image>\n```\n\n");
}

void report_put_mitigations(struct mdbuf *b, const struct incident *inc, const struct facts *f)
{
	mdbuf_puts(b, "## Mitigations\n\n");
	if (inc->verdict == KB_EXPECTED && inc->all_expected) {
		mdbuf_puts(b,
			   "The activity matches a known, expected pattern: nothing in it needs "
			   "blocking, and the workload may legitimately need its privileges "
			   "(Falco's driver loader, for one, must run privileged as root to load "
			   "a kernel module). Do not apply the hardening below to it; tune the "
			   "alert instead (next section) and restrict who may exec into that "
			   "namespace.\n\n"
			   "If a context check above turns out not to hold, this is not the "
			   "expected activity; then apply:\n\n");
	} else {
		mdbuf_puts(b, "Derived from what was seen in this incident.\n\n");
	}
	put_hardening(b, f);
}

/* YAML double-quoted scalar; false when s holds bytes YAML cannot carry. */
static bool yaml_quote(struct mdbuf *b, const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;

	mdbuf_puts(b, "\"");
	for (; *p && n < max; p++, n++) {
		if (*p >= 0x80)
			break;
		if (*p == '"' || *p == '\\')
			mdbuf_printf(b, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			mdbuf_printf(b, "\\x%02x", *p);
		else
			mdbuf_putn(b, (const char *)p, 1);
	}
	mdbuf_puts(b, "\"");
	return !*p;
}

/* Byte length of the leading part of s that yaml_quote() can carry exactly. */
static size_t yaml_safe_prefix(const char *s)
{
	size_t n = 0;

	while (s[n] && (unsigned char)s[n] < 0x80)
		n++;
	return n;
}

static void exception_name(char *buf, size_t len, const struct incident *inc, size_t rule_ix)
{
	const struct kb_pattern *p = NULL;
	size_t i, o;

	for (i = 0; i < inc->n_entries && !p; i++)
		if (inc->entries[i].kb.n_matched && inc->entries[i].kb.verdict == KB_EXPECTED)
			p = inc->entries[i].kb.matched[0];
	snprintf(buf, len, "shellsentry_%s_%zu", p ? p->id : "reviewed", rule_ix + 1);
	for (o = 0; buf[o]; o++)
		if (!isalnum((unsigned char)buf[o]))
			buf[o] = '_';
}

struct ctx_field {
	enum field_id id;
	const char *name;
	const char *value;
};

int report_tuning_yaml(const struct incident *inc, struct mdbuf *b)
{
	const struct facts *fp;
	struct facts f;
	struct ctx_field ctx[3];
	const char *rules[INCIDENT_MAX_ENTRIES * INCIDENT_MAX_RULES];
	size_t n_rules = 0, n_ctx = 0, i, j, k, prefix;
	char name[128];
	bool dup, exact;

	report_get_facts(inc, &f);
	fp = &f;
	if (fp->known[F_CONTAINER_IMAGE_REPOSITORY])
		ctx[n_ctx++] = (struct ctx_field){F_CONTAINER_IMAGE_REPOSITORY,
						  "container.image.repository",
						  fp->ev->container.image_repository};
	if (fp->known[F_K8S_NS_NAME])
		ctx[n_ctx++] = (struct ctx_field){F_K8S_NS_NAME, "k8s.ns.name",
						  fp->ev->container.pod_namespace};
	if (fp->known[F_K8S_CONTAINER_NAME])
		ctx[n_ctx++] = (struct ctx_field){F_K8S_CONTAINER_NAME, "k8s.container.name",
						  fp->ev->container.k8s_container_name};
	for (i = 0; i < inc->n_entries; i++)
		for (j = 0; j < inc->entries[i].n_rules; j++) {
			dup = false;
			for (k = 0; k < n_rules; k++)
				dup |= !strcmp(rules[k], inc->entries[i].rules[j]);
			if (!dup)
				rules[n_rules++] = inc->entries[i].rules[j];
		}
	for (k = 0; k < n_rules; k++) {
		mdbuf_puts(b, k ? "\n" : "");
		mdbuf_puts(b, "- rule: ");
		yaml_quote(b, rules[k], ALERT_RULE_MAX);
		exception_name(name, sizeof(name), inc, k);
		mdbuf_printf(b, "\n  exceptions:\n    - name: %s\n      fields: [", name);
		for (i = 0; i < n_ctx; i++)
			mdbuf_printf(b, "%s, ", ctx[i].name);
		mdbuf_puts(b, "proc.cmdline]\n      comps: [");
		for (i = 0; i < n_ctx; i++)
			mdbuf_puts(b, "=, ");
		/* a command line YAML cannot carry exactly is matched on its exact prefix */
		exact = true;
		for (i = 0; i < inc->n_entries; i++)
			exact &=
				!inc->entries[i].cmdline[yaml_safe_prefix(inc->entries[i].cmdline)];
		for (i = 0; i < n_ctx; i++)
			exact &= !ctx[i].value[yaml_safe_prefix(ctx[i].value)];
		mdbuf_printf(b, "%s]\n      values:\n", exact ? "=" : "startswith");
		for (i = 0; i < inc->n_entries; i++) {
			dup = true;
			for (j = 0; j < inc->entries[i].n_rules; j++)
				dup &= strcmp(inc->entries[i].rules[j], rules[k]) != 0;
			/* an empty prefix would exempt every command */
			if (dup || !yaml_safe_prefix(inc->entries[i].cmdline))
				continue;
			mdbuf_puts(b, "        - [");
			for (j = 0; j < n_ctx; j++) {
				yaml_quote(b, ctx[j].value, yaml_safe_prefix(ctx[j].value));
				mdbuf_puts(b, ", ");
			}
			prefix = yaml_safe_prefix(inc->entries[i].cmdline);
			yaml_quote(b, inc->entries[i].cmdline, prefix);
			mdbuf_puts(b, "]\n");
		}
		mdbuf_puts(b, "  override:\n    exceptions: append\n");
	}
	return b->err;
}

void report_put_tuning(struct mdbuf *b, const struct incident *inc, const struct facts *f)
{
	struct mdbuf y;

	mdbuf_puts(b, "## Tuning\n\n");
	if (inc->verdict == KB_MALICIOUS || inc->verdict == KB_SUSPICIOUS)
		mdbuf_puts(b, "**Do not add this exception unless the investigation shows the "
			      "activity is legitimate**: it matched an indicator of attack, and "
			      "an exception would hide the next occurrence.\n\n");
	mdbuf_puts(b, "An exception for exactly these commands");
	if (f->known[F_CONTAINER_IMAGE_REPOSITORY] || f->known[F_K8S_NS_NAME] ||
	    f->known[F_K8S_CONTAINER_NAME])
		mdbuf_puts(b, " in this image, namespace or container");
	mdbuf_puts(b, ", to add to a rules file loaded after the one that defines the rule "
		      "(shellsentry and Falco 0.36+ read the same syntax):\n\n");
	mdbuf_init(&y, 0);
	report_tuning_yaml(inc, &y);
	if (y.err)
		b->err = y.err;
	else
		md_code_block(b, "yaml", y.data ? y.data : "");
	mdbuf_free(&y);
	if (!f->known[F_CONTAINER_IMAGE_REPOSITORY] && !f->known[F_K8S_NS_NAME])
		mdbuf_puts(b, "\nThe alert does not name the image or namespace, so the exception "
			      "above matches the command line anywhere. Once you have confirmed "
			      "where it runs, narrow it: add `container.image.repository` (and "
			      "`k8s.ns.name`) to `fields` with their values. Do not use "
			      "`container.id`: it changes every time the pod restarts.\n");
	mdbuf_puts(b, "\n");
}

void report_put_recommendations(struct mdbuf *b, const struct incident *inc, const struct facts *f)
{
	mdbuf_puts(b, "## Recommendations\n\n");
	switch (inc->verdict) {
	case KB_MALICIOUS:
		mdbuf_puts(b,
			   "1. Treat this as an intrusion: isolate the pod with a deny-all "
			   "NetworkPolicy and keep it for forensics before deleting it.\n"
			   "2. Find the entry point: the parent process and lineage above, the "
			   "application's logs, and the API server audit log for `pods/exec`.\n"
			   "3. Rotate the credentials the container could reach (service-account "
			   "token, mounted secrets, cloud credentials).\n"
			   "4. Apply the mitigations above to the workload and its namespace.\n");
		break;
	case KB_SUSPICIOUS:
		mdbuf_puts(b, "1. Find out who started the shell and why: lineage, terminal, "
			      "login uid, the audit log for `pods/exec` at that time.\n"
			      "2. Review every command in the timeline and what followed it.\n"
			      "3. Apply the mitigations above; tune only once it is explained.\n");
		break;
	default:
		if (inc->all_expected && inc->verdict == KB_EXPECTED) {
			mdbuf_puts(b,
				   "1. Confirm the context checks marked unknown or to check by "
				   "hand in the assessment.\n"
				   "2. Then add the exception from the tuning section, for these "
				   "commands only.\n"
				   "3. Keep alerting on every other shell in that container.\n");
		} else {
			mdbuf_puts(b,
				   "1. No known pattern explains this: ask the owner of the "
				   "workload whether someone ran it, and check the audit log for "
				   "`pods/exec` at that time.\n"
				   "2. Review the timeline for what followed.\n"
				   "3. Apply the mitigations above.\n");
		}
	}
	if (!f->a->shellsentry)
		mdbuf_puts(b,
			   "\nRunning shellsentry on the node would add the facts this alert "
			   "lacks (lineage, terminal, capabilities, login uid, parent chain).\n");
}
