// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The facts of an incident that every report section reads: its first
 * alert's (user, lineage, terminal, capabilities, privileged), the platform
 * the container runs on, and how a reader names the container.
 */
#include <string.h>

#include "report/report_internal.h"

/* Capabilities runc/containerd/docker grant by default (OCI default set). */
#define DEFAULT_CAPS                                                                               \
	((1ull << 0) | (1ull << 1) | (1ull << 3) | (1ull << 4) | (1ull << 5) | (1ull << 6) |       \
	 (1ull << 7) | (1ull << 8) | (1ull << 10) | (1ull << 13) | (1ull << 18) | (1ull << 27) |   \
	 (1ull << 29) | (1ull << 31))
#define CAP_SYS_ADMIN_BIT (1ull << 21)

static enum report_platform platform_of(const struct report_ctx *c)
{
	const struct container_info *ci = &c->ev->container;

	if ((c->known[F_K8S_POD_NAME] && ci->pod_name[0]) ||
	    (c->known[F_K8S_NS_NAME] && ci->pod_namespace[0]))
		return PLATFORM_KUBERNETES;
	if (!c->known[F_CONTAINER_RUNTIME])
		return PLATFORM_UNKNOWN;
	switch (ci->runtime) {
	case RUNTIME_DOCKER:
		return PLATFORM_DOCKER;
	case RUNTIME_PODMAN:
		return PLATFORM_PODMAN;
	case RUNTIME_CONTAINERD:
		return PLATFORM_CONTAINERD;
	case RUNTIME_CRIO:
		return PLATFORM_CRIO;
	default:
		return PLATFORM_UNKNOWN;
	}
}

void report_get_ctx(const struct incident *inc, const struct kb *kb, const struct assessment *as,
		    struct report_ctx *c)
{
	const struct alert *a = inc->first;
	const struct exec_event *ev = &a->ev;
	size_t i;

	memset(c, 0, sizeof(*c));
	c->inc = inc;
	c->kb = kb;
	c->as = as;
	c->a = a;
	c->ev = ev;
	alert_known_mask(a, c->known);
	if (c->known[F_USER_UID]) {
		c->root_known = true;
		c->root = ev->uid == 0;
	} else if (c->known[F_USER_NAME]) {
		c->root_known = true;
		c->root = !strcmp(ev->user_name, "root");
	}
	c->lineage_known = c->known[F_SS_LINEAGE] && ev->lineage != SS_LINEAGE_UNKNOWN;
	c->injected = c->lineage_known && ev->lineage == SS_LINEAGE_INJECTED;
	c->tty_known = c->known[F_PROC_TTY];
	for (i = 0; i < inc->n_entries; i++)
		c->interactive |= inc->entries[i].tty_known && inc->entries[i].tty;
	c->caps_known = c->known[F_SS_CAP_EFFECTIVE_HEX];
	if (c->caps_known) {
		c->extra_caps = ev->cap_effective & ~DEFAULT_CAPS;
		c->all_caps = (ev->cap_effective & CAP_SYS_ADMIN_BIT) &&
			      __builtin_popcountll(ev->cap_effective) >= 38;
	}
	c->privileged = c->known[F_CONTAINER_PRIVILEGED] ? ev->container.privileged : TRI_UNKNOWN;
	c->platform = platform_of(c);
}

const char *report_unknown(const struct report_ctx *c)
{
	return c->a->shellsentry ? "*unknown*" : "*unknown (not in the alert)*";
}

static bool known_str(const struct report_ctx *c, enum field_id id, const char *s)
{
	return c->known[id] && *s;
}

void report_container_label(const struct report_ctx *c, struct mdbuf *b)
{
	const struct container_info *ci = &c->ev->container;

	if (known_str(c, F_K8S_POD_NAME, ci->pod_name)) {
		mdbuf_puts(b, "pod ");
		if (known_str(c, F_K8S_NS_NAME, ci->pod_namespace)) {
			md_code(b, ci->pod_namespace);
			mdbuf_puts(b, "/");
		}
		md_code(b, ci->pod_name);
		if (known_str(c, F_K8S_CONTAINER_NAME, ci->k8s_container_name)) {
			mdbuf_puts(b, ", container ");
			md_code(b, ci->k8s_container_name);
		}
	} else if (known_str(c, F_CONTAINER_NAME, ci->name)) {
		mdbuf_puts(b, "container ");
		md_code(b, ci->name);
	} else {
		mdbuf_puts(b, "container ");
		md_code(b, c->inc->container[0] ? c->inc->container : "unknown");
	}
}
