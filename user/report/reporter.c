/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Report files (a new file per incident, named after the container, bounded)
 * and the daemon's reporter service: alerts in, one report file per incident
 * out once the incident has been quiet for the report delay.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lib/file.h"
#include "report/report.h"

/* Keep [A-Za-z0-9._-] of s (at most max bytes), '-' for the rest; no leading dot. */
static size_t name_part(char *out, size_t len, const char *s, size_t max)
{
	size_t i, o = 0;

	for (i = 0; s[i] && i < max && o + 1 < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		bool ok = isalnum(ch) || ch == '-' || ch == '_' || (ch == '.' && o);

		out[o++] = ok ? (char)ch : '-';
	}
	out[o] = '\0';
	return o;
}

void report_file_name(const struct incident *inc, char *buf, size_t len)
{
	const struct alert *a = inc->first;
	const struct container_info *ci = a ? &a->ev.container : NULL;
	const char *host = inc->hostname[0] ? inc->hostname : "unknown-host";
	time_t t = (time_t)(inc->first_ns / 1000000000ull);
	char when[32] = "unknown-time", raw[512];
	struct tm tm;

	if (a && a->time_known && gmtime_r(&t, &tm))
		strftime(when, sizeof(when), "%Y%m%dT%H%M%SZ", &tm);
	/* the container as people name it; its id is in the report's body */
	if (ci && a->known[F_K8S_POD_NAME] && ci->pod_name[0])
		snprintf(raw, sizeof(raw), "%s_%.100s_%.63s_%.63s%s%.63s", when, host,
			 ci->pod_namespace[0] ? ci->pod_namespace : "no-namespace", ci->pod_name,
			 ci->k8s_container_name[0] ? "_" : "", ci->k8s_container_name);
	else if (ci && a->known[F_CONTAINER_NAME] && ci->name[0])
		snprintf(raw, sizeof(raw), "%s_%.100s_%.100s", when, host, ci->name);
	else
		snprintf(raw, sizeof(raw), "%s_%.100s_%.12s", when, host, inc->container);
	if (len < 4) {
		if (len)
			buf[0] = '\0';
		return;
	}
	name_part(buf, len - 3, raw, sizeof(raw));
	strcat(buf, ".md");
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

int reporter_check_dir(const char *dir, struct ss_error *err)
{
	char probe[PATH_MAX];
	struct stat st;
	int fd;

	if (!dir || !*dir || strlen(dir) >= sizeof(((struct reporter *)0)->dir))
		return ss_error_set(err, -EINVAL, "not a usable path");
	/* created when missing (its parent must exist), never made world-readable */
	if (mkdir(dir, 0750) && errno != EEXIST)
		return ss_error_set(err, -errno, "cannot create it: %s", strerror(errno));
	if (stat(dir, &st))
		return ss_error_set(err, -errno, "%s", strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return ss_error_set(err, -ENOTDIR, "not a directory");
	/* what a report write will do, now rather than at the first incident */
	snprintf(probe, sizeof(probe), "%s/.shellsentry-write-test-XXXXXX", dir);
	fd = mkstemp(probe);
	if (fd < 0)
		return ss_error_set(err, -errno, "cannot write in it: %s", strerror(errno));
	close(fd);
	unlink(probe);
	return 0;
}

int reporter_new(const struct reporter_options *o, struct reporter **out, struct ss_error *err)
{
	struct reporter *r;
	int ret;

	ret = reporter_check_dir(o->dir, err);
	if (ret)
		return ret;
	r = calloc(1, sizeof(*r));
	if (!r)
		goto nomem;
	snprintf(r->dir, sizeof(r->dir), "%s", o->dir);
	r->max_reports = o->max_reports ? o->max_reports : REPORTER_MAX_REPORTS_DEFAULT;
	r->max_bytes = o->max_bytes ? o->max_bytes : REPORTER_MAX_BYTES_DEFAULT;
	r->scratch = malloc(sizeof(*r->scratch));
	if (!r->scratch)
		goto nomem;
	if (o->kb_path && *o->kb_path) {
		ret = kb_load(o->kb_path, &r->kb, err);
		if (ret)
			goto fail;
	}
	ret = incident_set_new(o->delay_ns, INCIDENT_MAX_OPEN_DEFAULT, &r->set);
	if (ret)
		goto nomem;
	*out = r;
	return 0;
nomem:
	ret = ss_error_set(err, -ENOMEM, "out of memory");
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

uint64_t reporter_next_flush(const struct reporter *r)
{
	return incident_next_due(r->set);
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
