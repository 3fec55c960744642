/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * What to do: mitigations that fit the platform and what was seen, the
 * tuning offer (or why there is none), and recommendations that follow the
 * verdict and the trail (exec, or the application itself). Stated once.
 */
#include <ctype.h>
#include <inttypes.h>
#include <string.h>

#include "report/report_internal.h"

static bool k8s(const struct report_ctx *c)
{
	return c->platform == PLATFORM_KUBERNETES;
}

static bool has(const struct report_ctx *c, enum verdict_reason r)
{
	return c->as->v.evidence & VERDICT_EVIDENCE(r);
}

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

static const char *runtime_cli(const struct report_ctx *c)
{
	switch (c->platform) {
	case PLATFORM_PODMAN:
		return "podman";
	case PLATFORM_CONTAINERD:
		return "nerdctl";
	default:
		return "docker";
	}
}

static void what_was_seen(struct mdbuf *b, const struct report_ctx *c)
{
	bool priv = c->privileged == TRI_TRUE || c->all_caps;

	if (c->root_known && c->root)
		mdbuf_puts(b, "- The commands ran as **root** inside the container: run it as a "
			      "non-root user.\n");
	else if (!c->root_known)
		mdbuf_puts(b, "- The user is unknown: make non-root explicit, so that an image "
			      "that runs as root is refused.\n");
	if (priv)
		mdbuf_puts(b, "- The container is **privileged** (or holds every capability): "
			      "turn that off and drop all capabilities.\n");
	else if (c->caps_known && c->extra_caps)
		mdbuf_puts(b, "- It holds capabilities beyond the runtime's default set: drop "
			      "them all and add back only what the workload needs.\n");
	else if (c->caps_known && c->ev->cap_effective)
		mdbuf_puts(b, "- It holds the runtime's default capabilities: drop them all; few "
			      "workloads need any.\n");
	if (has(c, VR_DRIFT) || has(c, VR_FILELESS))
		mdbuf_puts(b, "- A program that is not in the image ran: a read-only root "
			      "filesystem, with scratch space mounted `noexec`, stops dropped "
			      "tools.\n");
	else
		mdbuf_puts(b, "- A shell that can write to the container's filesystem can drop "
			      "tools: make the root filesystem read-only.\n");
	if (c->as->v.trail == TRAIL_APPLICATION && c->as->v.level >= VERDICT_SUSPICIOUS)
		mdbuf_puts(b, "- The container's own processes started the shell: an image "
			      "without a shell (distroless, or the shell removed in the last build "
			      "step) makes injected commands and `system()` calls fail; fix what "
			      "started it (see the assessment).\n");
	if (has(c, VR_NETWORK_STDIO))
		mdbuf_puts(b, "- A shell talked to a network peer on its standard input and "
			      "output: deny egress the workload does not need.\n");
	mdbuf_puts(b, "\n");
}

static void put_kubernetes(struct mdbuf *b, const struct report_ctx *c)
{
	const char *ns =
		k8s_name_or(c->ev->container.pod_namespace, c->known[F_K8S_NS_NAME], "<namespace>");
	bool priv = c->privileged == TRI_TRUE || c->all_caps;

	mdbuf_puts(b, "Pod `securityContext` (container level):\n\n```yaml\nsecurityContext:\n"
		      "  runAsNonRoot: true\n  runAsUser: 65534\n  runAsGroup: 65534\n"
		      "  allowPrivilegeEscalation: false\n  privileged: false\n"
		      "  readOnlyRootFilesystem: true\n  capabilities:\n    drop: [\"ALL\"]\n"
		      "  seccompProfile:\n    type: RuntimeDefault\n```\n\n");
	if (priv || (c->root_known && c->root)) {
		mdbuf_puts(b,
			   priv ? "Pod Security admission at `baseline` already rejects "
				  "privileged pods and added capabilities; `restricted` also "
				  "requires non-root:\n\n"
				: "Pod Security admission at `restricted` (non-root, ALL "
				  "capabilities dropped) would have refused this pod; `baseline` "
				  "allows root:\n\n");
		mdbuf_printf(b,
			     "```sh\nkubectl label namespace %s "
			     "pod-security.kubernetes.io/enforce=restricted\n```\n\n",
			     ns);
	}
	if (has(c, VR_NETWORK_STDIO)) {
		mdbuf_printf(
			b,
			"Egress: a NetworkPolicy that allows only what the workload "
			"calls, e.g. deny all egress in `%s` and add back its dependencies.\n\n",
			ns);
	}
	if (!c->injected)
		return;
	mdbuf_puts(b,
		   "The shell was **injected from outside** the container: someone with "
		   "`create` on `pods/exec` ran it. Grant `pods/exec` and `pods/attach` to as "
		   "few subjects as possible, never through wildcards, and audit every use:\n\n");
	mdbuf_puts(b, "```yaml\n# API server audit policy: record who ran which exec.\n"
		      "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n"
		      "  - level: Metadata\n    resources:\n      - group: \"\"\n"
		      "        resources: [\"pods/exec\", \"pods/attach\", \"pods/portforward\"]\n"
		      "```\n\n");
	mdbuf_printf(b,
		     "Who may exec today: `kubectl auth can-i create pods/exec --as=<user> "
		     "-n %s`, or the RoleBindings and ClusterRoleBindings that grant it.\n\n",
		     ns);
}

static void put_runtime(struct mdbuf *b, const struct report_ctx *c)
{
	const char *cli = runtime_cli(c);

	mdbuf_printf(b,
		     "Run the container with these `%s run` flags (keep the default seccomp "
		     "profile: pass no `--security-opt seccomp=` option):\n\n",
		     cli);
	mdbuf_printf(b,
		     "```sh\n%s run --cap-drop=ALL --security-opt no-new-privileges "
		     "--read-only --tmpfs /tmp:noexec \\\n  --user 65534:65534%s <image>\n```\n\n",
		     cli, has(c, VR_NETWORK_STDIO) ? " --network none" : "");
	if (!c->injected)
		return;
	switch (c->platform) {
	case PLATFORM_PODMAN:
		mdbuf_puts(b, "The shell was **injected from outside** the container with `podman "
			      "exec` (or nsenter): only root, or the user who owns a rootless "
			      "container, can do that. Podman records each exec: `podman events "
			      "--filter event=exec` (as that user).\n\n");
		break;
	case PLATFORM_DOCKER:
		mdbuf_puts(b,
			   "The shell was **injected from outside** the container with `docker "
			   "exec` (or nsenter): anyone who can reach the Docker socket can do "
			   "that (membership of the `docker` group is root on the host). Restrict "
			   "the socket; `docker events --filter event=exec_start` shows execs "
			   "while they happen.\n\n");
		break;
	default:
		mdbuf_puts(b,
			   "The shell was **injected from outside** the container (the runtime's "
			   "exec, or nsenter): restrict who can use the runtime's socket and "
			   "CLI on the node.\n\n");
	}
}

void report_put_mitigations(struct mdbuf *b, const struct report_ctx *c)
{
	const struct verdict *v = &c->as->v;

	mdbuf_puts(b, "## Mitigations\n\n");
	if (v->level == VERDICT_EXPECTED) {
		mdbuf_printf(b,
			     "Nothing here needs blocking: the activity is verified as %s, and "
			     "that workload may need its privileges (Falco's driver loader, for "
			     "one, must run privileged as root to load a kernel module). Keep "
			     "alerting on every other shell in the container.\n\n",
			     v->lead.pattern->title);
		return;
	}
	if (v->level == VERDICT_RESEMBLES)
		mdbuf_printf(b,
			     "If the checks above hold, this is %s and nothing needs blocking. "
			     "If not, from what was seen in this incident:\n\n",
			     v->lead.pattern->title);
	else
		mdbuf_puts(b, "From what was seen in this incident:\n\n");
	what_was_seen(b, c);
	switch (c->platform) {
	case PLATFORM_KUBERNETES:
		put_kubernetes(b, c);
		break;
	case PLATFORM_UNKNOWN:
		mdbuf_puts(b, "The alerts do not say which runtime runs the container. In "
			      "Kubernetes:\n\n");
		put_kubernetes(b, c);
		mdbuf_puts(b, "Run directly by Docker or Podman:\n\n");
		put_runtime(b, c);
		break;
	default:
		put_runtime(b, c);
	}
}

static bool any_double_quote(const struct report_ctx *c)
{
	size_t i;

	for (i = 0; i < c->as->n; i++)
		if (c->as->facts[i].cmdline && strchr(c->as->facts[i].cmdline, '"'))
			return true;
	return false;
}

void report_put_tuning(struct mdbuf *b, const struct report_ctx *c)
{
	const struct assessment *as = c->as;
	struct mdbuf y;

	mdbuf_puts(b, "## Tuning\n\n");
	if (as->offer.refusal != TUNING_OFFERED) {
		mdbuf_puts(b, tuning_refusal_text(as->offer.refusal));
		if (as->offer.refusal == TUNING_NOT_VERIFIED && as->v.level == VERDICT_RESEMBLES)
			mdbuf_puts(b, " Run shellsentry on the node: it decides the checks itself "
				      "and offers an exception when they hold.");
		else if (as->offer.refusal == TUNING_NOT_VERIFIED)
			mdbuf_puts(b, " Do not write one by hand either, unless the investigation "
				      "shows the activity is legitimate.");
		mdbuf_puts(b, "\n\n");
		return;
	}
	mdbuf_puts(b, "An exception for exactly these commands, with this parent, no terminal");
	if (as->offer.fields[TF_STDIN_TYPE])
		mdbuf_puts(b, ", the same standard input and output");
	mdbuf_puts(b, ", in this image, namespace or container only. Add it to a rules file "
		      "loaded after the rules it names:\n\n");
	mdbuf_init(&y, 0);
	if (tuning_yaml(&as->offer, as->facts, as->n, &as->ctx, &y))
		b->err = y.err ? y.err : b->err;
	else
		md_code_block(b, "yaml", mdbuf_str(&y));
	mdbuf_free(&y);
	mdbuf_puts(b, "\nIt cannot match an interactive shell, a longer command that starts the "
		      "same way, or another image, namespace, container or parent.");
	if (any_double_quote(c))
		mdbuf_puts(b, " For Falco, which builds an exception's condition as text without "
			      "escaping it, write each `\"` inside a command line as `\\\"` (in "
			      "YAML: `\\\\\\\"`).");
	mdbuf_puts(b, "\n\n");
}

static void put_trail(struct mdbuf *b, const struct report_ctx *c)
{
	switch (c->as->v.trail) {
	case TRAIL_EXEC:
		if (k8s(c))
			mdbuf_puts(b, "the API server's audit log for `pods/exec` at that time "
				      "(who ran `kubectl exec`)");
		else if (c->platform == PLATFORM_PODMAN)
			mdbuf_puts(b, "`podman events --filter event=exec` around that time, as "
				      "the user that owns the container, and the host's login "
				      "records");
		else if (c->platform == PLATFORM_DOCKER)
			mdbuf_puts(b, "who had access to the Docker socket at that time (the "
				      "daemon's log, the host's login records)");
		else
			mdbuf_puts(b,
				   "who used the runtime's exec at that time (`kubectl exec`: "
				   "the audit log for `pods/exec`; `docker`/`podman exec`: their "
				   "events and the host's login records)");
		break;
	case TRAIL_APPLICATION:
		mdbuf_puts(b, "the application's own logs just before it (the request, its "
			      "parameters and client address: the container's processes started "
			      "the shell, not an exec)");
		break;
	default:
		mdbuf_puts(b, "the parent process and the application's logs, and, in case it "
			      "came through the runtime's exec, who ran `kubectl`/`docker`/`podman "
			      "exec` at that time");
	}
}

/* The step for a network shell's peer, numbered step; whether there was one. */
static bool put_peer(struct mdbuf *b, const struct report_ctx *c, int step)
{
	const struct assessment *as = c->as;
	size_t i;

	for (i = 0; i < as->n; i++) {
		if (!(as->per[i].evidence & VERDICT_EVIDENCE(VR_NETWORK_STDIO)) ||
		    !as->facts[i].peer)
			continue;
		mdbuf_printf(b, "%d. Look for the peer ", step);
		md_code(b, as->facts[i].peer);
		mdbuf_puts(b, " in network and firewall logs: what else talked to it, and "
			      "whether it still listens.\n");
		return true;
	}
	return false;
}

void report_put_recommendations(struct mdbuf *b, const struct report_ctx *c)
{
	const struct verdict *v = &c->as->v;
	const struct verdict_finding *f = &v->lead;
	size_t k;
	int step;

	mdbuf_puts(b, "## Recommendations\n\n");
	switch (v->level) {
	case VERDICT_MALICIOUS:
		mdbuf_printf(b,
			     "1. Treat this as an intrusion: isolate the container (%s) and "
			     "keep it for forensics before deleting it.\n2. Find the entry point: ",
			     k8s(c) ? "a deny-all NetworkPolicy on the pod"
				    : "disconnect it from its networks, or pause it");
		put_trail(b, c);
		mdbuf_puts(b, ".\n");
		step = put_peer(b, c, 3) ? 4 : 3;
		mdbuf_printf(b, "%d. Rotate the credentials the container could reach", step);
		mdbuf_puts(b, k8s(c) ? " (service-account token, mounted secrets, cloud "
				       "credentials).\n"
				     : " (mounted secrets, cloud credentials).\n");
		mdbuf_printf(b, "%d. Apply the mitigations above.\n", step + 1);
		break;
	case VERDICT_SUSPICIOUS:
		mdbuf_puts(b, "1. Find out who ran it and why: ");
		put_trail(b, c);
		mdbuf_puts(b,
			   ".\n2. Review every command in the timeline and what followed it.\n"
			   "3. Apply the mitigations above; tune nothing until it is explained.\n");
		break;
	case VERDICT_RESEMBLES:
		mdbuf_printf(b, "1. Confirm what the alerts could not tell (from %s):\n",
			     f->pattern->title);
		for (k = 0; k < f->pattern->n_checks; k++)
			if (c->as->facts[v->lead_cmd].kb->checks[f->match][k] != KB_CHECK_HOLDS)
				mdbuf_printf(b, "   - %s\n", f->pattern->checks[k].text);
		mdbuf_puts(b, "2. If every one holds, it is the expected activity; if one does "
			      "not, treat it as suspicious and find who ran it: ");
		put_trail(b, c);
		mdbuf_puts(b, ".\n");
		break;
	case VERDICT_EXPECTED:
		mdbuf_puts(b,
			   "1. Nothing to investigate: every decidable check holds. Confirm the "
			   "checks marked \"to check by hand\" once.\n"
			   "2. If the alert is noise, add the exception from the tuning section; "
			   "keep alerting on every other shell in that container.\n");
		break;
	default:
		mdbuf_puts(b, "1. No known pattern explains this: ask the owner of the workload "
			      "whether someone ran it, and check ");
		put_trail(b, c);
		mdbuf_puts(b, ".\n2. Review the timeline for what followed.\n"
			      "3. Apply the mitigations above.\n");
	}
	if (!c->a->shellsentry)
		mdbuf_puts(b, "\nRunning shellsentry on the node would add the facts these alerts "
			      "lack (lineage, terminal, capabilities, parent chain) and decide the "
			      "checks a Falco alert leaves unknown.\n");
}
