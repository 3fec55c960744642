/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Which build this is: the project version (the VERSION file) and the git
 * commit it was built from, given by the Makefile to lib/version.c alone.
 */
#ifndef SS_VERSION_H
#define SS_VERSION_H

const char *ss_version(void);
const char *ss_commit(void);

#endif /* SS_VERSION_H */
