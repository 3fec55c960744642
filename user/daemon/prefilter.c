// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/prefilter.h"
#include "event/shells.h"

/* Busybox runs applets under their own names; run as itself, argv[1] tells. */
static const char multicall_name[] = "busybox";

int kernel_filter_from_rules(const struct ruleset *rs, struct kernel_filter *out)
{
	struct prefilter pf;
	bool have = false;
	int ret;

	memset(out, 0, sizeof(*out));
	ret = ruleset_prefilter(rs, &pf);
	if (ret)
		return ret;
	for (size_t i = 0; i < pf.n_names; i++) {
		memcpy(out->names[out->n], pf.names[i], SS_NAME_KEY_LEN);
		out->names[out->n][SS_NAME_KEY_LEN - 1] = 0;
		have |= !strcmp(out->names[out->n], multicall_name);
		/* a rule that names a shell also wants shells no name tells: judge files by content
		 */
		if (ss_is_shell_name(out->names[out->n]))
			out->cfg |= SS_CFG_EXE_IDENTITY;
		out->values[out->n++] = SS_NAME_INTEREST;
	}
	if (out->n && !have) {
		memcpy(out->names[out->n], multicall_name, sizeof(multicall_name));
		out->values[out->n++] = SS_NAME_MULTICALL;
	}
	if (pf.all_container_execs)
		out->cfg |= SS_CFG_ALL_CONTAINER_EXECS;
	if (pf.host_execs)
		out->cfg |= SS_CFG_HOST_EXECS;
	if (pf.exe_drift)
		out->cfg |= SS_CFG_EXE_DRIFT_EXECS;
	if (pf.cwd)
		out->cfg |= SS_CFG_GATHER_CWD;
	else if (pf.cwd_session)
		out->cfg |= SS_CFG_GATHER_CWD_SESSION;
	if (pf.pexepath)
		out->cfg |= SS_CFG_GATHER_PEXEPATH;
	memcpy(out->reason, pf.reason, sizeof(out->reason));
	return 0;
}

void kernel_filter_mark_shells(struct kernel_filter *f)
{
	for (size_t s = 0; s < ss_shell_count; s++) {
		size_t i;

		for (i = 0; i < f->n; i++)
			if (!strncmp(f->names[i], ss_shell_names[s], SS_NAME_KEY_LEN))
				break;
		if (i == f->n) {
			if (f->n == KERNEL_FILTER_MAX_NAMES)
				return;
			snprintf(f->names[i], SS_NAME_KEY_LEN, "%s", ss_shell_names[s]);
			f->values[f->n++] = 0;
		}
		f->values[i] |= SS_NAME_SHELL;
	}
}

int kernel_filter_apply(struct loader *ld, const struct ruleset *rs, bool shells, FILE *log)
{
	struct kernel_filter *f = malloc(sizeof(*f));
	int ret;

	if (!f)
		return -ENOMEM;
	ret = kernel_filter_from_rules(rs, f);
	if (!ret && shells)
		kernel_filter_mark_shells(f);
	if (!ret)
		ret = loader_set_names(ld, (const char(*)[SS_NAME_KEY_LEN])f->names, f->values,
				       f->n);
	if (!ret)
		ret = loader_set_config(ld, f->cfg);
	if (!ret && log)
		fprintf(log, "shellsentry: prefilter: %zu names%s%s%s%s%s%s%s%s\n", f->n,
			f->cfg & SS_CFG_EXE_IDENTITY ? ", container executables judged by content"
						     : "",
			f->cfg & SS_CFG_ALL_CONTAINER_EXECS ? ", every container exec" : "",
			f->cfg & SS_CFG_EXE_DRIFT_EXECS
				? ", container execs of memfd or upper-layer files"
				: "",
			f->cfg & SS_CFG_HOST_EXECS ? ", host execs" : "",
			f->cfg & SS_CFG_GATHER_CWD ? ", proc.cwd gathered"
			: f->cfg & SS_CFG_GATHER_CWD_SESSION
				? ", proc.cwd gathered for session commands"
				: "",
			f->cfg & SS_CFG_GATHER_PEXEPATH ? ", proc.pexepath gathered" : "",
			f->reason[0] ? ": " : "", f->reason);
	free(f);
	return ret;
}
