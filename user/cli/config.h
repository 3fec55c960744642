/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * YAML config file -> struct daemon_options, through the option table
 * (cli/opt_table.c) the command line uses too: every daemon option has a key
 * (the long option in snake_case; the webhook settings under "http:"). Unknown keys, duplicate keys
 * and bad values are errors naming file:line:col. On any error *o is left as it was: the file is
 * applied to a copy first.
 */
#ifndef SS_CONFIG_H
#define SS_CONFIG_H

#include <stddef.h>

#include "daemon/daemon.h"
#include "lib/paths.h"
#include "lib/error.h"

#define CONFIG_DEFAULT_PATH PATHS_CONFIG_FILE
#define CONFIG_MAX_BYTES (1024 * 1024)

/* 0, -ENOENT when the file is missing (callers may ignore it for the default path), or -errno. */
int config_load_file(const char *path, struct daemon_options *o, struct ss_error *err);
/* Same from memory; name is used in messages. */
int config_load_string(const char *name, const char *buf, size_t len, struct daemon_options *o,
		       struct ss_error *err);
/* The keys, as dotted paths ("http.url"); NULL after the last. */
const char *config_key_name(size_t i);

#endif /* SS_CONFIG_H */
