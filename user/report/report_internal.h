/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * What the report's sections share: the incident, its assessment and the
 * facts of its first alert, decided once (facts.c) and read by every
 * section (report.c: details, timeline, context, and the order of the
 * sections; report_verdict.c: title, summary, verdict, assessment;
 * report_advice.c: mitigations, tuning, recommendations; reporter.c: report
 * files and the daemon's reporter service).
 */
#ifndef SS_REPORT_INTERNAL_H
#define SS_REPORT_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "report/assess.h"
#include "report/md.h"
#include "report/report.h"

/* Where the container runs, as far as the alert says: what mitigations fit. */
enum report_platform {
	PLATFORM_UNKNOWN = 0,
	PLATFORM_KUBERNETES, /* a pod name or namespace is known */
	PLATFORM_DOCKER,
	PLATFORM_PODMAN,
	PLATFORM_CONTAINERD, /* without Kubernetes: ctr, nerdctl */
	PLATFORM_CRIO,
};

struct report_ctx {
	const struct incident *inc;
	const struct kb *kb;
	const struct assessment *as;
	const struct alert *a; /* the first alert */
	const struct exec_event *ev;
	bool known[F_COUNT];
	bool root, root_known; /* uid 0 or user name root */
	bool lineage_known, injected;
	bool tty_known, interactive; /* some command had a terminal */
	bool caps_known, all_caps;
	uint64_t extra_caps; /* beyond the runtime's default set */
	enum tristate privileged;
	enum report_platform platform;
};

/* facts.c: everything above for an incident and its assessment */
void report_get_ctx(const struct incident *inc, const struct kb *kb, const struct assessment *as,
		    struct report_ctx *c);

/* "*unknown*" or "*unknown (not in the alert)*" for Falco's own alerts. */
const char *report_unknown(const struct report_ctx *c);

/* The container as a reader names it: pod/container, name, or id (Markdown). */
void report_container_label(const struct report_ctx *c, struct mdbuf *b);

void report_put_title(struct mdbuf *b, const struct report_ctx *c);
void report_put_summary(struct mdbuf *b, const struct report_ctx *c);
void report_put_verdict(struct mdbuf *b, const struct report_ctx *c);
void report_put_assessment(struct mdbuf *b, const struct report_ctx *c);
void report_put_mitigations(struct mdbuf *b, const struct report_ctx *c);
void report_put_tuning(struct mdbuf *b, const struct report_ctx *c);
void report_put_recommendations(struct mdbuf *b, const struct report_ctx *c);

#endif /* SS_REPORT_INTERNAL_H */
