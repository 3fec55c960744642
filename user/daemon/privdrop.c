/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <linux/securebits.h>

#include "daemon/privdrop.h"

static const int default_keep[] = {CAP_SYS_PTRACE, CAP_DAC_READ_SEARCH};

static int count_threads(void)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -errno;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static bool in_keep(const int *keep, size_t n, int cap)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (keep[i] == cap)
			return true;
	return false;
}

int privdrop_apply(const int *keep, size_t n, char *summary, size_t len, struct ss_error *err)
{
	cap_t cur = NULL, want = NULL;
	cap_value_t kept[CAP_LAST_CAP + 1];
	int n_kept = 0, last = (int)cap_max_bits() - 1, threads, cap, ret = 0;
	bool bound_cleared = true, secure = true;
	size_t off = 0;

	threads = count_threads();
	if (threads != 1) {
		ret = threads < 0 ? threads : -EBUSY;
		ss_error_set(err, 0,
			     "privilege drop: %d threads running; it must run before any "
			     "thread starts (capabilities are per thread)",
			     threads);
		return ret;
	}
	cur = cap_get_proc();
	want = cap_init();
	if (!cur || !want) {
		ret = -errno;
		ss_error_set(err, 0, "privilege drop: %s", strerror(-ret));
		goto out;
	}
	for (cap = 0; cap <= last && cap <= CAP_LAST_CAP; cap++) {
		cap_flag_value_t v = CAP_CLEAR;

		cap_get_flag(cur, cap, CAP_PERMITTED, &v);
		if (v == CAP_SET && in_keep(keep, n, cap))
			kept[n_kept++] = cap;
	}
	/* Root regains every capability at exec unless these bits say otherwise. */
	if (prctl(PR_SET_SECUREBITS,
		  SECBIT_NOROOT | SECBIT_NOROOT_LOCKED | SECBIT_NO_CAP_AMBIENT_RAISE |
			  SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED,
		  0, 0, 0))
		secure = false;
	for (cap = 0; cap <= last; cap++)
		if (!in_keep(kept, n_kept, cap) && CAP_IS_SUPPORTED(cap) && cap_drop_bound(cap))
			bound_cleared = false; /* no CAP_SETPCAP: the bounding set stays */
	if (CAP_AMBIENT_SUPPORTED())
		cap_reset_ambient();
	if (n_kept && (cap_set_flag(want, CAP_PERMITTED, n_kept, kept, CAP_SET) ||
		       cap_set_flag(want, CAP_EFFECTIVE, n_kept, kept, CAP_SET))) {
		ret = -errno;
		ss_error_set(err, 0, "privilege drop: cap_set_flag: %s", strerror(-ret));
		goto out;
	}
	if (cap_set_proc(want)) {
		ret = -errno;
		ss_error_set(err, 0, "privilege drop: cap_set_proc: %s", strerror(-ret));
		goto out;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) {
		ret = -errno;
		ss_error_set(err, 0, "privilege drop: no_new_privs: %s", strerror(-ret));
		goto out;
	}
	if (len) {
		int k;

		summary[0] = '\0';
		off = snprintf(summary, len, "kept ");
		for (k = 0; k < n_kept && off < len; k++) {
			char *name = cap_to_name(kept[k]);

			off += snprintf(summary + off, len - off, "%s%s", k ? "," : "",
					name ? name : "?");
			cap_free(name);
		}
		if (off < len)
			snprintf(summary + off, len - off,
				 "%s; bounding set %s; securebits %s; "
				 "no_new_privs",
				 n_kept ? "" : "no capabilities",
				 bound_cleared ? "cleared" : "unchanged (no CAP_SETPCAP)",
				 secure ? "noroot" : "unchanged");
	}
out:
	cap_free(cur);
	cap_free(want);
	return ret;
}

int privdrop_default(char *summary, size_t len, struct ss_error *err)
{
	return privdrop_apply(default_keep, sizeof(default_keep) / sizeof(default_keep[0]), summary,
			      len, err);
}
