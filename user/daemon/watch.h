/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Reload without signals: inotify on the folders that hold the config file
 * and the rules. A folder is watched for itself; a file through its parent,
 * for events on its own name. Names starting with ".." count for both: a
 * Kubernetes ConfigMap volume replaces its files by renaming a new `..data`
 * link over the old one, and the visible names (`key -> ..data/key`) never
 * change, so a watch on them alone would miss every update.
 */
#ifndef SS_WATCH_H
#define SS_WATCH_H

#include <stdbool.h>
#include <stddef.h>

#define WATCH_MAX 40

struct watch;

int watch_new(struct watch **out);
void watch_free(struct watch *w);
/* Replaces the watched set by the folders of paths[0..n); a missing path is skipped. */
int watch_set(struct watch *w, const char *const *paths, size_t n, char *err, size_t errlen);
/* The inotify fd, readable when events are pending. */
int watch_fd(const struct watch *w);
/*
 * Reads the pending events. True when one concerns a watched file, a rules
 * file (*.yaml, *.yml) in a watched folder, or a `..` name; name (if not NULL)
 * receives the watched file or folder concerned.
 */
bool watch_read(struct watch *w, char *name, size_t len);

/*
 * Pure: whether an event on entry `name` in a watched folder matters. file:
 * the watched file's base name, or NULL when the folder itself is watched.
 */
bool watch_event_matters(const char *file, const char *name);

#endif /* SS_WATCH_H */
