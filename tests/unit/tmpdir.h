/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* A scratch directory per test binary, removed with everything in it. */
#ifndef SS_TEST_TMPDIR_H
#define SS_TEST_TMPDIR_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

static int tmpdir_rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(p);
}

/* Creates $TMPDIR/<name>.XXXXXX into dir; 0 or -1. */
static inline int tmpdir_make(char *dir, size_t len, const char *name)
{
	snprintf(dir, len, "%s/%s.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", name);
	return mkdtemp(dir) ? 0 : -1;
}

static inline int tmpdir_remove(const char *dir)
{
	return nftw(dir, tmpdir_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

#endif /* SS_TEST_TMPDIR_H */
