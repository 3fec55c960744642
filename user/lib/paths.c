// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lib/paths.h"

void paths_data_dir(const char *exe, char *buf, size_t len)
{
	static const char *const rel[] = {"/../rules", "/../" SS_DATA_SUBDIR};
	char self[PATH_MAX], file[PATH_MAX + 64];
	char *slash;

	if (!exe) {
		ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

		self[n > 0 ? n : 0] = '\0';
		exe = self;
	} else {
		snprintf(self, sizeof(self), "%s", exe);
	}
	slash = strrchr(self, '/');
	if (slash) {
		*slash = '\0';
		for (size_t i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
			snprintf(file, sizeof(file), "%s%s/" PATHS_RULES_FILE, self, rel[i]);
			if (!access(file, R_OK)) {
				snprintf(buf, len, "%s%s", self, rel[i]);
				return;
			}
		}
	}
	snprintf(buf, len, "%s", SS_CONFDIR);
}

void paths_data_file(const char *name, char *buf, size_t len)
{
	char dir[PATH_MAX];

	paths_data_dir(NULL, dir, sizeof(dir));
	snprintf(buf, len, "%s/%s", dir, name);
}
