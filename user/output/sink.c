/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Fan-out of alerts to the enabled sinks; stdout and file live here. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "lib/file.h"
#include "output/sink.h"

#define FILE_MODE 0640 /* alerts name users and commands: not world-readable */

#define SINK_BATCH_BYTES (64 * 1024)

/* Lines for one fd, written with one syscall per drain of the ring buffer. */
struct line_batch {
	char *buf;
	size_t len;
};

struct sinks {
	enum alert_format format;
	bool batching;
	struct line_batch batch[2]; /* [0] stdout, [1] file */
	int stdout_fd;		    /* -1: off */
	int file_fd;		    /* -1: off */
	char file_path[sizeof(((struct sinks_options *)0)->output_file)];
	struct syslog_sink *syslog;
	struct http_sink *http;
	long drain_ms;
	uint64_t written; /* atomics: stats are read from another thread */
	uint64_t failures;
};

const struct name_map alert_format_names[] = {
	{FMT_JSON, "json"},
	{FMT_TEXT, "text"},
	{0, NULL},
};

static int open_output(const char *path)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, FILE_MODE);

	return fd < 0 ? -errno : fd;
}

int sinks_new_io(const struct sinks_options *o, const struct sinks_io *io, struct sinks **out,
		 struct ss_error *err)
{
	struct sinks *s;
	int ret;

	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->format = o->format;
	s->stdout_fd = o->stdout_enabled ? io->stdout_fd : -1;
	s->file_fd = -1;
	s->drain_ms = io->http_drain_ms;
	if (o->output_file[0]) {
		snprintf(s->file_path, sizeof(s->file_path), "%s", o->output_file);
		ret = open_output(s->file_path);
		if (ret < 0) {
			ss_error_set(err, 0, "output file %s: %s", s->file_path, strerror(-ret));
			goto err_free;
		}
		s->file_fd = ret;
	}
	if (o->syslog_enabled) {
		ret = syslog_sink_new(io->syslog_path, io->syslog_ident, &s->syslog);
		if (ret) {
			ss_error_set(err, 0, "syslog %s: %s", io->syslog_path, strerror(-ret));
			goto err_free;
		}
	}
	if (o->http.url[0]) {
		ret = http_sink_new(&o->http, &s->http, err);
		if (ret)
			goto err_free;
	}
	*out = s;
	return 0;

err_free:
	syslog_sink_free(s->syslog);
	if (s->file_fd >= 0)
		close(s->file_fd);
	free(s);
	return ret;
}

int sinks_new(const struct sinks_options *o, struct sinks **out, struct ss_error *err)
{
	const struct sinks_io io = {
		.stdout_fd = STDOUT_FILENO,
		.syslog_path = SINK_SYSLOG_PATH,
		.syslog_ident = "shellsentry",
		.http_drain_ms = SINK_HTTP_DRAIN_MS,
	};

	return sinks_new_io(o, &io, out, err);
}

/* One record per line, written with one writev so O_APPEND keeps lines whole. */
static int write_line(int fd, const char *p, size_t len)
{
	struct iovec iov[2] = {{(void *)p, len}, {"\n", 1}};
	int cnt = len && p[len - 1] == '\n' ? 1 : 2;

	while (cnt > 0) {
		ssize_t n = writev(fd, iov, cnt);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		while (cnt > 0 && (size_t)n >= iov[0].iov_len) {
			n -= iov[0].iov_len;
			iov[0] = iov[1];
			cnt--;
		}
		if (cnt > 0) {
			iov[0].iov_base = (char *)iov[0].iov_base + n;
			iov[0].iov_len -= n;
		}
	}
	return 0;
}

static void count_failure(struct sinks *s)
{
	__atomic_add_fetch(&s->failures, 1, __ATOMIC_RELAXED);
}

static int batch_flush(struct line_batch *b, int fd)
{
	int ret = 0;

	if (b->len && fd >= 0)
		ret = write_all(fd, b->buf, b->len);
	b->len = 0;
	return ret;
}

/* Append a line; a full batch is written first, a line too long for it goes out alone. */
static int batch_line(struct line_batch *b, int fd, const char *p, size_t len)
{
	bool nl = !len || p[len - 1] != '\n';
	int ret = 0;

	if (!b->buf)
		return write_line(fd, p, len);
	if (b->len + len + nl > SINK_BATCH_BYTES)
		ret = batch_flush(b, fd);
	if (len + nl > SINK_BATCH_BYTES)
		return write_line(fd, p, len) ?: ret;
	memcpy(b->buf + b->len, p, len);
	b->len += len;
	if (nl)
		b->buf[b->len++] = '\n';
	return ret;
}

int sinks_set_batching(struct sinks *s, bool on)
{
	for (int i = 0; i < 2; i++) {
		if (on && !s->batch[i].buf) {
			s->batch[i].buf = malloc(SINK_BATCH_BYTES);
			if (!s->batch[i].buf)
				return -ENOMEM;
		}
	}
	if (!on)
		sinks_flush(s);
	s->batching = on;
	return 0;
}

void sinks_flush(struct sinks *s)
{
	if (!s)
		return;
	if (batch_flush(&s->batch[0], s->stdout_fd))
		count_failure(s);
	if (batch_flush(&s->batch[1], s->file_fd))
		count_failure(s);
}

void sinks_write(struct sinks *s, const struct alert_out *a)
{
	const char *line = a->json;
	size_t len = a->json_len;

	if (s->format == FMT_TEXT && a->text) {
		line = a->text;
		len = a->text_len;
	} else if (!line) {
		line = a->text;
		len = a->text_len;
	}
	__atomic_add_fetch(&s->written, 1, __ATOMIC_RELAXED);
	if (line && s->stdout_fd >= 0 &&
	    (s->batching ? batch_line(&s->batch[0], s->stdout_fd, line, len)
			 : write_line(s->stdout_fd, line, len)))
		count_failure(s);
	if (line && s->file_fd >= 0 &&
	    (s->batching ? batch_line(&s->batch[1], s->file_fd, line, len)
			 : write_line(s->file_fd, line, len)))
		count_failure(s);
	if (s->syslog) {
		const char *msg = a->text ? a->text : a->json;
		size_t mlen = a->text ? a->text_len : a->json_len;

		if (msg && syslog_sink_send(s->syslog, a->priority, msg, mlen))
			count_failure(s);
	}
	/* A full queue is counted as dropped by the http sink itself. */
	if (s->http && a->json)
		http_sink_enqueue(s->http, a->json, a->json_len);
}

int sinks_reopen(struct sinks *s)
{
	int fd;

	sinks_flush(s); /* lines batched for the old file go to the old file */
	if (s->file_fd < 0)
		return 0;
	fd = open_output(s->file_path);
	if (fd < 0)
		return fd;
	close(s->file_fd);
	s->file_fd = fd;
	return 0;
}

void sinks_get_stats(struct sinks *s, struct sink_stats *out)
{
	memset(out, 0, sizeof(*out));
	if (s->http)
		http_sink_stats(s->http, out);
	out->written = __atomic_load_n(&s->written, __ATOMIC_RELAXED);
	out->failures = __atomic_load_n(&s->failures, __ATOMIC_RELAXED);
}

void sinks_free(struct sinks *s)
{
	if (!s)
		return;
	sinks_flush(s);
	free(s->batch[0].buf);
	free(s->batch[1].buf);
	http_sink_free(s->http, s->drain_ms);
	syslog_sink_free(s->syslog);
	if (s->file_fd >= 0)
		close(s->file_fd);
	free(s);
}
