// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon/watch.h"

#define WATCH_EVENTS                                                                               \
	(IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_ATTRIB |        \
	 IN_DELETE_SELF | IN_MOVE_SELF)

struct watched {
	int wd;
	char dir[PATH_MAX];
	char file[NAME_MAX + 1]; /* "" = the folder itself */
};

struct watch {
	int fd;
	size_t n;
	struct watched w[WATCH_MAX];
};

bool watch_event_matters(const char *file, const char *name)
{
	size_t len;

	if (!name || !*name)
		return true; /* the folder itself moved or went away */
	if (!strncmp(name, "..", 2))
		return true; /* a ConfigMap's ..data swap */
	if (file)
		return !strcmp(file, name);
	len = strlen(name);
	return name[0] != '.' && ((len > 5 && !strcmp(name + len - 5, ".yaml")) ||
				  (len > 4 && !strcmp(name + len - 4, ".yml")));
}

int watch_new(struct watch **out)
{
	struct watch *w = calloc(1, sizeof(*w));

	if (!w)
		return -ENOMEM;
	w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (w->fd < 0) {
		int ret = -errno;

		free(w);
		return ret;
	}
	*out = w;
	return 0;
}

void watch_free(struct watch *w)
{
	if (!w)
		return;
	close(w->fd);
	free(w);
}

int watch_fd(const struct watch *w)
{
	return w->fd;
}

int watch_set(struct watch *w, const char *const *paths, size_t n, char *err, size_t errlen)
{
	for (size_t i = 0; i < w->n; i++)
		inotify_rm_watch(w->fd, w->w[i].wd);
	w->n = 0;
	for (size_t i = 0; i < n && w->n < WATCH_MAX; i++) {
		struct watched *e = &w->w[w->n];
		struct stat st;
		const char *slash;

		if (stat(paths[i], &st))
			continue;
		if (S_ISDIR(st.st_mode)) {
			snprintf(e->dir, sizeof(e->dir), "%s", paths[i]);
			e->file[0] = '\0';
		} else {
			slash = strrchr(paths[i], '/');
			if (!slash)
				snprintf(e->dir, sizeof(e->dir), ".");
			else if (slash == paths[i])
				snprintf(e->dir, sizeof(e->dir), "/");
			else
				snprintf(e->dir, sizeof(e->dir), "%.*s", (int)(slash - paths[i]),
					 paths[i]);
			snprintf(e->file, sizeof(e->file), "%s", slash ? slash + 1 : paths[i]);
		}
		e->wd = inotify_add_watch(w->fd, e->dir, WATCH_EVENTS);
		if (e->wd < 0) {
			int ret = -errno;

			snprintf(err, errlen, "cannot watch %s: %s", e->dir, strerror(-ret));
			return ret;
		}
		w->n++;
	}
	return 0;
}

bool watch_read(struct watch *w, char *name, size_t len)
{
	char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
	bool changed = false;
	ssize_t n;

	while ((n = read(w->fd, buf, sizeof(buf))) > 0) {
		for (char *p = buf; p < buf + n;) {
			const struct inotify_event *ev = (const struct inotify_event *)p;

			p += sizeof(*ev) + ev->len;
			for (size_t i = 0; i < w->n; i++) {
				const struct watched *e = &w->w[i];

				if (e->wd != ev->wd ||
				    !watch_event_matters(e->file[0] ? e->file : NULL,
							 ev->len ? ev->name : NULL))
					continue;
				if (!changed && name && e->file[0])
					snprintf(name, len, "%s/%s",
						 strcmp(e->dir, "/") ? e->dir : "", e->file);
				else if (!changed && name)
					snprintf(name, len, "%s", e->dir);
				changed = true;
			}
		}
	}
	return changed;
}
