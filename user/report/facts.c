// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The facts of an incident's first alert, as every report section reads them. */
#include <string.h>

#include "report/report_internal.h"

void report_get_facts(const struct incident *inc, struct facts *f)
{
	const struct alert *a = inc->first;
	const struct exec_event *ev = &a->ev;

	memset(f, 0, sizeof(*f));
	f->a = a;
	f->ev = ev;
	alert_known_mask(a, f->known);
	if (f->known[F_USER_UID]) {
		f->root_known = true;
		f->root = ev->uid == 0;
	} else if (f->known[F_USER_NAME]) {
		f->root_known = true;
		f->root = !strcmp(ev->user_name, "root");
	}
	f->lineage_known = f->known[F_SS_LINEAGE] && ev->lineage != SS_LINEAGE_UNKNOWN;
	f->injected = f->lineage_known && ev->lineage == SS_LINEAGE_INJECTED;
	f->tty_known = f->known[F_PROC_TTY];
	f->caps_known = f->known[F_SS_CAP_EFFECTIVE_HEX];
	if (f->caps_known) {
		f->extra_caps = ev->cap_effective & ~DEFAULT_CAPS;
		f->all_caps = (ev->cap_effective & CAP_SYS_ADMIN_BIT) &&
			      __builtin_popcountll(ev->cap_effective) >= 38;
	}
	f->privileged = f->known[F_CONTAINER_PRIVILEGED] ? ev->container.privileged : TRI_UNKNOWN;
}
