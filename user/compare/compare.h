/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * `shellsentry compare --falco F.jsonl --ours O.jsonl [--window-ms N]
 * [--format table|json] [--rule GLOB]... [--fail-on-diff]`: line up Falco's
 * JSON alerts with shellsentry's for the same period, exec by exec.
 *
 * Alerts of one side that share time, host, container and pid are one
 * exec (one event fires several rules). Two execs, one per side, are the
 * same exec when their times are within the window, the hosts agree, the
 * container ids agree (Falco's "" for a container it could not resolve
 * agrees with any id but "host", and is then reported as a difference),
 * and their pids agree, or their command lines when a pid is missing.
 *
 * Prints matched, only-Falco and only-shellsentry execs, every field that
 * differs in a matched pair, rule totals, and values whose format is not
 * Falco's (proc.tty a number, container.id 12 hex characters or "host",
 * user.loginuid -1 when unset, time RFC 3339 with nanoseconds). Needs
 * neither root nor BPF.
 */
#ifndef SS_COMPARE_H
#define SS_COMPARE_H

#include <stdio.h>

#define COMPARE_WINDOW_MS_DEFAULT 1000
#define COMPARE_MAX_ALERTS 1000000 /* per side; more is an error, not a silent cut */

/*
 * Exit status: 0 compared (and, with --fail-on-diff, no difference);
 * 1 with --fail-on-diff when the sides differ (execs, rules, fields or
 * formats); 2 bad usage or an input that cannot be read.
 */
int compare_main(int argc, char **argv);

/* The same on explicit streams; in is read for a file named "-". */
int compare_run(int argc, char **argv, FILE *in, FILE *out, FILE *errf);

#endif /* SS_COMPARE_H */
