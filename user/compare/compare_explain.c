/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare/compare_explain.h"
#include "event/parents.h"

/* The distinct host names of a side, at most max, in order of first sight. */
static size_t hosts_of(const struct cmp_key *k, size_t n, const char **out, size_t max)
{
	size_t i, j, m = 0;

	for (i = 0; i < n; i++) {
		if (!k[i].host || !*k[i].host)
			continue;
		for (j = 0; j < m && strcmp(out[j], k[i].host); j++)
			;
		if (j == m && m < max)
			out[m++] = k[i].host;
	}
	return m;
}

static void list(char *buf, size_t len, const char *const *v, size_t n)
{
	size_t i, o = 0;

	buf[0] = '\0';
	for (i = 0; i < n && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s\"%.60s\"", i ? ", " : "", v[i]);
}

static bool hosts_meet(const char *const *a, size_t na, const char *const *b, size_t nb)
{
	size_t i, j;

	for (i = 0; i < na; i++)
		for (j = 0; j < nb; j++)
			if (!strcmp(a[i], b[j]))
				return true;
	return false;
}

static void range(const struct cmp_key *k, size_t n, uint64_t *lo, uint64_t *hi)
{
	size_t i;

	*lo = UINT64_MAX;
	*hi = 0;
	for (i = 0; i < n; i++) {
		if (!k[i].time_ns)
			continue;
		if (k[i].time_ns < *lo)
			*lo = k[i].time_ns;
		if (k[i].time_ns > *hi)
			*hi = k[i].time_ns;
	}
}

static bool pid_in(const struct cmp_key *k, size_t n, int64_t pid)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (k[i].pid == pid)
			return true;
	return false;
}

size_t compare_explain(const struct cmp_key *falco, size_t nf, const struct cmp_key *ours,
		       size_t no, uint64_t window_ns, bool any_host,
		       char reasons[CMP_REASONS_MAX][CMP_REASON_LEN])
{
	const char *hf[8], *ho[8];
	char lf[200], lo_[200];
	uint64_t f_lo, f_hi, o_lo, o_hi, gap;
	size_t n = 0, nhf, nho, i, pids_f = 0, common = 0;

	if (!nf || !no)
		return 0;
	nhf = hosts_of(falco, nf, hf, 8);
	nho = hosts_of(ours, no, ho, 8);
	if (!any_host && nhf && nho && !hosts_meet(hf, nhf, ho, nho)) {
		list(lf, sizeof(lf), hf, nhf);
		list(lo_, sizeof(lo_), ho, nho);
		snprintf(reasons[n++], CMP_REASON_LEN,
			 "host names never meet: Falco's alerts say %s, shellsentry's %s (Falco "
			 "writes its gethostname(), shellsentry --hostname or $NODE_NAME); run "
			 "shellsentry with the same --hostname, or compare with --any-host",
			 lf, lo_);
	}
	range(falco, nf, &f_lo, &f_hi);
	range(ours, no, &o_lo, &o_hi);
	if (f_lo != UINT64_MAX && o_lo != UINT64_MAX &&
	    (f_lo > o_hi + window_ns || o_lo > f_hi + window_ns)) {
		gap = f_lo > o_hi ? f_lo - o_hi : o_lo - f_hi;
		snprintf(reasons[n++], CMP_REASON_LEN,
			 "the time ranges do not overlap: %s's alerts start %.3f s after the "
			 "other's end (window %" PRIu64 " ms): different runs, or clocks apart; a "
			 "larger --window-ms covers a clock offset",
			 f_lo > o_hi ? "Falco" : "shellsentry", (double)gap / 1e9,
			 window_ns / 1000000);
	}
	for (i = 0; i < nf; i++) {
		if (falco[i].pid < 0)
			continue;
		pids_f++;
		common += pid_in(ours, no, falco[i].pid);
	}
	if (pids_f && !common && n < CMP_REASONS_MAX)
		snprintf(reasons[n++], CMP_REASON_LEN,
			 "no pid of Falco's alerts is in shellsentry's: the two saw different "
			 "processes (another host, another run, or another pid namespace view)");
	return n;
}

bool compare_runtime_parents(const char *a, const char *b)
{
	return ss_is_runtime_parent(a) && ss_is_runtime_parent(b);
}
