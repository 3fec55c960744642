/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Report files (a new file per incident, bounded) and the daemon's reporter service. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/file.h"
#include "report/report_internal.h"
#include "rules/rules.h"

void report_file_name(const struct incident *inc, char *buf, size_t len)
{
	const struct alert *a = inc->first;
	char raw[400];
	size_t i, o = 0;
	struct tm tm;
	time_t t = (time_t)(inc->first_ns / 1000000000ull);
	char when[32] = "unknown-time";

	if (a && a->time_known && gmtime_r(&t, &tm))
		strftime(when, sizeof(when), "%Y%m%dT%H%M%SZ", &tm);
	snprintf(raw, sizeof(raw), "%s_%.100s_%.64s", when,
		 inc->hostname[0] ? inc->hostname : "unknown-host", inc->container);
	for (i = 0; raw[i] && o + 4 < len; i++) {
		unsigned char c = (unsigned char)raw[i];

		bool ok = isalnum(c) || c == '-' || c == '_' || (c == '.' && o);

		buf[o++] = ok ? (char)c : '-';
	}
	if (len >= 4) {
		buf[o] = '\0';
		strcat(buf, ".md");
	} else if (len) {
		buf[0] = '\0';
	}
}

int report_write_file(const char *dir, const struct incident *inc, const struct kb *kb,
		      size_t max_bytes, char *path, size_t path_len, bool *truncated)
{
	static const char cut[] = "\n\n*(report truncated: size limit reached)*\n";
	struct mdbuf b;
	char name[256];
	int fd = -1, ret, i;

	*truncated = false;
	mdbuf_init(&b, max_bytes ? max_bytes : REPORTER_MAX_BYTES_DEFAULT);
	ret = report_render(inc, kb, &b);
	if (ret == -EFBIG) {
		*truncated = true;
		ret = 0;
	}
	if (ret)
		goto out;
	report_file_name(inc, name, sizeof(name));
	/* never overwrite: the same second, host and container get a suffix */
	for (i = 0; i < 1000; i++) {
		if (i)
			snprintf(path, path_len, "%s/%.*s-%d.md", dir, (int)(strlen(name) - 3),
				 name, i);
		else
			snprintf(path, path_len, "%s/%s", dir, name);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0640);
		if (fd >= 0 || errno != EEXIST)
			break;
	}
	if (fd < 0) {
		ret = -errno;
		goto out;
	}
	ret = write_all(fd, b.data ? b.data : "", b.len);
	if (!ret && *truncated)
		ret = write_all(fd, cut, sizeof(cut) - 1);
	if (close(fd) && !ret)
		ret = -errno;
out:
	mdbuf_free(&b);
	return ret;
}

struct reporter {
	char dir[1024];
	struct kb *kb;
	struct incident_set *set;
	struct alert *scratch; /* one alert: too large for the stack */
	size_t max_reports, max_bytes;
	struct reporter_stats stats;
};

int reporter_new(const char *dir, const char *kb_path, size_t max_reports, size_t max_bytes,
		 struct reporter **out)
{
	struct rules_error err;
	struct reporter *r;
	int ret;

	if (!dir || !*dir || strlen(dir) >= sizeof(r->dir))
		return -EINVAL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	snprintf(r->dir, sizeof(r->dir), "%s", dir);
	r->max_reports = max_reports ? max_reports : REPORTER_MAX_REPORTS_DEFAULT;
	r->max_bytes = max_bytes ? max_bytes : REPORTER_MAX_BYTES_DEFAULT;
	r->scratch = malloc(sizeof(*r->scratch));
	if (!r->scratch) {
		ret = -ENOMEM;
		goto fail;
	}
	if (kb_path && *kb_path) {
		ret = kb_load(kb_path, &r->kb, &err);
		if (ret)
			goto fail;
	}
	ret = incident_set_new(INCIDENT_WINDOW_NS_DEFAULT, INCIDENT_MAX_OPEN_DEFAULT, &r->set);
	if (ret)
		goto fail;
	*out = r;
	return 0;
fail:
	reporter_free(r);
	return ret;
}

int reporter_add(struct reporter *r, const struct exec_event *ev, const char *rule, int priority,
		 const char *output)
{
	struct kb_result res;
	bool known[F_COUNT];

	alert_from_event(r->scratch, ev, rule, priority, output);
	/* empty context (no image, no pod) is unknown, not a failed check */
	alert_known_mask(r->scratch, known);
	kb_match(r->kb, &r->scratch->ev, known, &res);
	return incident_add(r->set, r->scratch, &res);
}

int reporter_session_command(struct reporter *r, const struct exec_event *ev,
			     const char *const *rules, size_t n)
{
	struct kb_result res;
	bool known[F_COUNT];

	alert_from_event(r->scratch, ev, "", -1, "");
	alert_known_mask(r->scratch, known);
	kb_match(r->kb, &r->scratch->ev, known, &res);
	return incident_add_command(r->set, r->scratch, &res, rules, n);
}

int reporter_session_end(struct reporter *r, const struct session_end *end)
{
	int ret = incident_session_end(r->set, end);

	if (ret == -ENOENT)
		r->stats.session_ends_unmatched++;
	return ret == -ENOENT ? 0 : ret;
}

int reporter_flush(struct reporter *r, uint64_t now_ns, bool force)
{
	struct incident *inc;
	char path[1400];
	bool truncated;
	int ret, first_err = 0;

	while ((inc = incident_take(r->set, now_ns, force))) {
		if (r->stats.written >= r->max_reports) {
			r->stats.dropped++;
			incident_free(inc);
			continue;
		}
		ret = report_write_file(r->dir, inc, r->kb, r->max_bytes, path, sizeof(path),
					&truncated);
		incident_free(inc);
		if (ret) {
			r->stats.dropped++;
			r->stats.last_error = ret;
			if (!first_err)
				first_err = ret;
			continue;
		}
		r->stats.written++;
		r->stats.truncated += truncated;
	}
	return first_err;
}

void reporter_get_stats(const struct reporter *r, struct reporter_stats *out)
{
	*out = r->stats;
}

void reporter_free(struct reporter *r)
{
	if (!r)
		return;
	incident_set_free(r->set);
	kb_free(r->kb);
	free(r->scratch);
	free(r);
}
