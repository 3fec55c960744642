/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Tests check error messages as text: WITH_ERR(call) runs a call that fills
 * serr (struct ss_error) and leaves its text in the caller's char err[].
 */
#ifndef SS_TEST_ERRSTR_H
#define SS_TEST_ERRSTR_H

#include "lib/error.h"

static struct ss_error serr;

#define WITH_ERR(call)                                                                             \
	({                                                                                         \
		int r_ = (call);                                                                   \
		ss_error_str(&serr, err, sizeof(err));                                             \
		r_;                                                                                \
	})

#endif /* SS_TEST_ERRSTR_H */
