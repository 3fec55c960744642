/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * An incident's verdict and tuning offer: the incident's commands turned into
 * verdict facts, weighed by verdict_session(), and the exception decided by
 * tuning_offer(). Every part of a report states what this decided.
 */
#ifndef SS_ASSESS_H
#define SS_ASSESS_H

#include <stddef.h>

#include "report/incident.h"
#include "report/tuning.h"
#include "report/verdict.h"

struct assessment {
	size_t n;				  /* the incident's timeline rows */
	struct verdict_facts *facts;		  /* n */
	struct verdict_finding *per;		  /* n: each command's own verdict */
	const char *(*rules)[INCIDENT_MAX_RULES]; /* n: the rules of each row */
	struct verdict v;
	struct tuning_context ctx;
	struct tuning_offer offer;
};

/* Returns 0 or -ENOMEM; a points into inc, which must outlive it. */
int assess_incident(const struct incident *inc, struct assessment *a);
void assess_free(struct assessment *a);

#endif /* SS_ASSESS_H */
