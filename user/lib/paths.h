/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The one install-location scheme, shared by the daemon, `analyze`,
 * `make install` and the container image. The Makefile owns the two facts
 * and passes them to the compiler: SS_DATA_SUBDIR, where the shipped rules
 * and knowledge base live relative to the installation prefix
 * (share/shellsentry/rules: $(PREFIX)/sbin/shellsentry finds them at
 * <its folder>/../share/shellsentry/rules), and SS_CONFDIR, the config
 * folder (/etc/shellsentry). `make install` writes to the same two places.
 */
#ifndef SS_PATHS_H
#define SS_PATHS_H

#include <stddef.h>

#if !defined(SS_DATA_SUBDIR) || !defined(SS_CONFDIR)
#error "SS_DATA_SUBDIR and SS_CONFDIR come from the Makefile's common flags"
#endif

#define PATHS_RULES_FILE "shellsentry_rules.yaml"
#define PATHS_EVASION_RULES_FILE "shellsentry_evasion_rules.yaml"
#define PATHS_KB_FILE "knowledge_base.yaml"
#define PATHS_CONFIG_FILE SS_CONFDIR "/shellsentry.yaml"

/*
 * The folder of the shipped data files: the first of
 *   <exe folder>/../rules                    the source tree (build/shellsentry)
 *   <exe folder>/../SS_DATA_SUBDIR           installed (make install, the image)
 *   SS_CONFDIR                               the config folder
 * that holds a readable PATHS_RULES_FILE; SS_CONFDIR when none does.
 * exe NULL: this process's own executable (/proc/self/exe).
 */
void paths_data_dir(const char *exe, char *buf, size_t len);

/* name (one of the PATHS_*_FILE) in paths_data_dir(NULL). */
void paths_data_file(const char *name, char *buf, size_t len);

#endif /* SS_PATHS_H */
