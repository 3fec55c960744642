/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * `shellsentry analyze [--out-dir DIR] [--kb FILE] [--window SEC] [FILE|-]`:
 * read JSON alerts (shellsentry's or Falco's own), one per line, group
 * them into incidents and write one Markdown report per incident, to DIR
 * or to stdout. Needs neither root nor BPF.
 */
#ifndef SS_ANALYZE_H
#define SS_ANALYZE_H

#include <stdio.h>

/* Exit status: 0 ok, 1 some lines were not alerts or a report failed, 2 usage. */
int analyze_main(int argc, char **argv);

/* The same on explicit streams (tests). */
int analyze_run(int argc, char **argv, FILE *in, FILE *out, FILE *errf);

#endif /* SS_ANALYZE_H */
