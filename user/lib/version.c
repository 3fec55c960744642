// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include "lib/version.h"

/* Builds outside the Makefile's product rule (sanitizers, fuzzing) say so. */
#ifndef SS_VERSION
#define SS_VERSION "unknown"
#endif
#ifndef SS_COMMIT
#define SS_COMMIT "unknown"
#endif

const char *ss_version(void)
{
	return SS_VERSION;
}

const char *ss_commit(void)
{
	return SS_COMMIT;
}
