/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Internals of the Markdown report, one job per file: report.c (the facts and
 * the sections that describe the incident), report_advice.c (mitigations,
 * the tuning snippet, recommendations), reporter.c (report files and the
 * daemon's reporter service).
 */
#ifndef SS_REPORT_INTERNAL_H
#define SS_REPORT_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "report/report.h"

/* Capabilities runc/containerd/docker grant by default (OCI default set). */
#define DEFAULT_CAPS                                                                               \
	((1ull << 0) | (1ull << 1) | (1ull << 3) | (1ull << 4) | (1ull << 5) | (1ull << 6) |       \
	 (1ull << 7) | (1ull << 8) | (1ull << 10) | (1ull << 13) | (1ull << 18) | (1ull << 27) |   \
	 (1ull << 29) | (1ull << 31))
#define CAP_SYS_ADMIN_BIT (1ull << 21)

/* Facts of the incident's first alert, as the report needs them. */
struct facts {
	const struct alert *a;
	const struct exec_event *ev;
	bool known[F_COUNT];
	bool root; /* uid 0 or user name root */
	bool root_known;
	bool injected, lineage_known;
	bool tty_known;
	bool caps_known;
	uint64_t extra_caps; /* beyond the runtime default */
	enum tristate privileged;
	bool all_caps; /* full set: privileged or equivalent */
};

/* report.c: the facts of the incident's first alert */
void report_get_facts(const struct incident *inc, struct facts *f);

/* report_advice.c */
void report_put_mitigations(struct mdbuf *b, const struct incident *inc, const struct facts *f);
void report_put_tuning(struct mdbuf *b, const struct incident *inc, const struct facts *f);
void report_put_recommendations(struct mdbuf *b, const struct incident *inc, const struct facts *f);

#endif /* SS_REPORT_INTERNAL_H */
