/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Alert sinks: fan-out of each rendered alert to stdout, a file, syslog and
 * an HTTP webhook, all at once. Only the webhook talks to the network, and
 * it does so from its own thread behind a bounded queue, so a slow or dead
 * endpoint never stalls detection: what does not fit is dropped and counted.
 */
#ifndef SS_SINK_H
#define SS_SINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <sys/types.h>

#include "lib/names.h"
#include "lib/error.h"

/* The alert format of stdout and the output file; the webhook always gets JSON. */
enum alert_format { FMT_JSON = 0, FMT_TEXT };
extern const struct name_map alert_format_names[]; /* "json", "text" */

#define SINK_HTTP_MAX_HEADERS 8

struct http_sink_options {
	char url[1024];
	char headers[SINK_HTTP_MAX_HEADERS][256]; /* "Name: value" */
	size_t n_headers;
	long timeout_ms;
	bool insecure; /* skip TLS verification */
	char ca_file[256];
	size_t queue_max; /* alerts held while the endpoint is down */
};

/* The sinks' own options. */
struct sinks_options {
	enum alert_format format;
	char output_file[1024]; /* "" = none */
	bool stdout_enabled;
	bool syslog_enabled;
	struct http_sink_options http; /* url "" = none */
};

/* The one check of a webhook URL (options, config file, sink): http:// or https://. */
bool http_url_valid(const char *url);
/* The one check of a webhook header: "Name: value", no control character but tab. */
bool http_header_valid(const char *header);

/* Each alert arrives rendered in both forms; either may be NULL. */
struct alert_out {
	const char *json;
	size_t json_len;
	const char *text;
	size_t text_len;
	int priority; /* enum priority: Falco's levels are syslog's severities */
	const char *rule;
};

struct sink_stats {
	uint64_t written;	   /* alerts handed to sinks_write */
	uint64_t failures;	   /* local sink writes that failed (stdout, file, syslog) */
	uint64_t http_sent;	   /* delivered with a 2xx answer */
	uint64_t http_failed;	   /* failed attempts (each retry counts) */
	uint64_t http_dropped;	   /* never delivered: queue full, rejected, or left at exit */
	uint64_t http_queue_depth; /* waiting now, including the one being sent */
};

#define SINK_SYSLOG_PATH "/dev/log"
#define SINK_HTTP_QUEUE_DEFAULT 1000
#define SINK_HTTP_TIMEOUT_DEFAULT_MS 5000
#define SINK_HTTP_DRAIN_MS 3000 /* time sinks_free gives queued alerts */
#define SINK_SYSLOG_MSG_MAX 8192

struct sinks;

/* Opens every sink o enables. On error nothing is left open. */
int sinks_new(const struct sinks_options *o, struct sinks **out, struct ss_error *err);

/* Where the local sinks go; sinks_new uses fd 1, /dev/log, "shellsentry". */
struct sinks_io {
	int stdout_fd;
	const char *syslog_path;
	const char *syslog_ident;
	long http_drain_ms;
};
int sinks_new_io(const struct sinks_options *o, const struct sinks_io *io, struct sinks **out,
		 struct ss_error *err);

/* Never blocks on the network; a failing sink does not stop the others. */
void sinks_write(struct sinks *s, const struct alert_out *a);
/*
 * Batch stdout and file lines in memory until sinks_flush() (the daemon
 * flushes after each drain of the ring buffer): one write per drain, not
 * one per alert. Off by default. -ENOMEM leaves it off.
 */
int sinks_set_batching(struct sinks *s, bool on);
void sinks_flush(struct sinks *s);
/*
 * SIGHUP: reopen the output file by name (logrotate). Keeps the old one on
 * error. Call it from the thread that calls sinks_write.
 */
int sinks_reopen(struct sinks *s);
/* Gives the webhook a bounded time to deliver what is queued, then closes all. */
void sinks_free(struct sinks *s);
/* Safe from another thread than the writer. */
void sinks_get_stats(struct sinks *s, struct sink_stats *out);

/* Building blocks, also used directly by tests. */

/*
 * RFC 3164 line as local syslog daemons read it from /dev/log:
 * "<PRI>Mmm dd hh:mm:ss ident[pid]: msg". Control bytes of msg are escaped
 * as \xNN so an alert can never forge a second log line; the result is cut
 * to fit len. Returns the length written (without the NUL).
 */
size_t syslog_format(char *buf, size_t len, int facility, int severity, const struct tm *tm,
		     const char *ident, pid_t pid, const char *msg, size_t msg_len);

struct syslog_sink;
int syslog_sink_new(const char *path, const char *ident, struct syslog_sink **out);
/* Non-blocking; reconnects once when the daemon was restarted. 0 or -errno. */
int syslog_sink_send(struct syslog_sink *s, int severity, const char *msg, size_t len);
void syslog_sink_free(struct syslog_sink *s);

struct http_sink;
int http_sink_new(const struct http_sink_options *o, struct http_sink **out, struct ss_error *err);
/* Copies json into the queue; false when the queue is full (counted as dropped). */
bool http_sink_enqueue(struct http_sink *h, const char *json, size_t len);
void http_sink_stats(struct http_sink *h, struct sink_stats *out);
void http_sink_free(struct http_sink *h, long drain_ms);

#endif /* SS_SINK_H */
