/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "output/metrics.h"

#define REQ_MAX 4096
#define CLIENT_TIMEOUT_MS 2000
#define RENDER_BUF (256 * 1024)

struct out {
	char *buf;
	size_t len;
	size_t off;
	bool full;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->full)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->off, o->len - o->off, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= o->len - o->off) {
		o->full = true;
		return;
	}
	o->off += n;
}

/* Label values: backslash, double quote and newline are escaped, per the format. */
static void put_label(struct out *o, const char *v)
{
	for (; *v && !o->full; v++) {
		if (*v == '\\')
			put(o, "\\\\");
		else if (*v == '"')
			put(o, "\\\"");
		else if (*v == '\n')
			put(o, "\\n");
		else
			put(o, "%c", *v);
	}
}

static void family(struct out *o, const char *name, const char *type, const char *help)
{
	put(o, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void scalar(struct out *o, const char *name, const char *type, const char *help, uint64_t v)
{
	family(o, name, type, help);
	put(o, "%s %" PRIu64 "\n", name, v);
}

int metrics_render(const struct metrics_snapshot *s, uint64_t now_ns, char *buf, size_t len)
{
	struct out o = {buf, len, 0, len == 0};
	size_t i, n = s->n_rules < METRICS_MAX_RULES ? s->n_rules : METRICS_MAX_RULES;

	family(&o, "shellsentry_build_info", "gauge",
	       "Which build runs: version, commit, kernel release, BPF hook.");
	put(&o, "shellsentry_build_info{version=\"");
	put_label(&o, s->build.version);
	put(&o, "\",commit=\"");
	put_label(&o, s->build.commit);
	put(&o, "\",kernel=\"");
	put_label(&o, s->build.kernel);
	put(&o, "\",hook=\"");
	put_label(&o, s->build.hook);
	put(&o, "\"} 1\n");
	scalar(&o, "shellsentry_attached", "gauge", "1 when the BPF programs are attached.",
	       s->attached);
	family(&o, "shellsentry_ringbuf_poll_age_seconds", "gauge",
	       "Seconds since the ring buffer was last polled (-1: never).");
	if (s->last_poll_ns && now_ns >= s->last_poll_ns)
		put(&o, "shellsentry_ringbuf_poll_age_seconds %.3f\n",
		    (now_ns - s->last_poll_ns) / 1e9);
	else
		put(&o, "shellsentry_ringbuf_poll_age_seconds -1\n");
	scalar(&o, "shellsentry_execs_seen_total", "counter", "Execs seen by the BPF program.",
	       s->execs_seen);
	scalar(&o, "shellsentry_events_total", "counter", "Events sent to userspace.", s->events);
	scalar(&o, "shellsentry_ringbuf_drops_total", "counter", "Events lost: ring buffer full.",
	       s->drops);
	scalar(&o, "shellsentry_truncations_total", "counter",
	       "Events whose argv or path was truncated.", s->truncations);
	scalar(&o, "shellsentry_decode_errors_total", "counter",
	       "Ring-buffer records that did not decode (size or version).", s->decode_errors);
	scalar(&o, "shellsentry_rule_errors_total", "counter",
	       "Alerts a rule matched that could not be rendered.", s->rule_errors);
	scalar(&o, "shellsentry_rules_loaded", "gauge", "Enabled rules loaded.", s->rules_loaded);
	scalar(&o, "shellsentry_last_reload_success", "gauge",
	       "1 when the last rules load succeeded.", s->last_reload_ok);
	scalar(&o, "shellsentry_last_reload_timestamp_seconds", "gauge",
	       "Unix time of the last rules load.", s->last_reload_time);

	family(&o, "shellsentry_alerts_total", "counter", "Alerts by rule and priority.");
	for (i = 0; i < n; i++) {
		put(&o, "shellsentry_alerts_total{rule=\"");
		put_label(&o, s->rules[i].name);
		put(&o, "\",priority=\"");
		put_label(&o, s->rules[i].priority);
		put(&o, "\"} %" PRIu64 "\n", s->rules[i].alerts);
	}
	family(&o, "shellsentry_alerts_suppressed_total", "counter",
	       "Alerts refused by the per-rule rate limit.");
	for (i = 0; i < n; i++) {
		put(&o, "shellsentry_alerts_suppressed_total{rule=\"");
		put_label(&o, s->rules[i].name);
		put(&o, "\"} %" PRIu64 "\n", s->rules[i].suppressed);
	}

	scalar(&o, "shellsentry_sink_alerts_total", "counter", "Alerts handed to the sinks.",
	       s->sinks.written);
	scalar(&o, "shellsentry_sink_failures_total", "counter",
	       "Failed writes to stdout, file or syslog.", s->sinks.failures);
	scalar(&o, "shellsentry_http_sent_total", "counter", "Alerts delivered to the webhook.",
	       s->sinks.http_sent);
	scalar(&o, "shellsentry_http_failed_total", "counter", "Failed webhook attempts.",
	       s->sinks.http_failed);
	scalar(&o, "shellsentry_http_dropped_total", "counter",
	       "Alerts the webhook never delivered (queue full, rejected, exit).",
	       s->sinks.http_dropped);
	scalar(&o, "shellsentry_http_queue_depth", "gauge", "Alerts waiting for the webhook.",
	       s->sinks.http_queue_depth);
	if (o.full)
		return -ENOSPC;
	return (int)o.off;
}

bool metrics_healthy(const struct metrics_snapshot *s, uint64_t now_ns, unsigned max_age_s,
		     char *why, size_t len)
{
	if (!s->attached) {
		snprintf(why, len, "BPF programs not attached");
		return false;
	}
	if (!s->last_poll_ns) {
		snprintf(why, len, "ring buffer never polled");
		return false;
	}
	if (now_ns > s->last_poll_ns && now_ns - s->last_poll_ns > max_age_s * 1000000000ULL) {
		snprintf(why, len, "ring buffer not polled for %" PRIu64 " s",
			 (uint64_t)((now_ns - s->last_poll_ns) / 1000000000ULL));
		return false;
	}
	snprintf(why, len, "ok");
	return true;
}

int metrics_parse_addr(const char *addr, struct sockaddr_storage *ss, socklen_t *sslen)
{
	char host[64];
	const char *colon, *hs = addr, *he;
	char *end;
	unsigned long port;

	memset(ss, 0, sizeof(*ss));
	if (addr[0] == '[') {
		hs = addr + 1;
		he = strchr(hs, ']');
		if (!he || he[1] != ':')
			return -EINVAL;
		colon = he + 1;
	} else {
		colon = strrchr(addr, ':');
		if (!colon)
			return -EINVAL;
		he = colon;
	}
	if ((size_t)(he - hs) >= sizeof(host) || he == hs)
		return -EINVAL;
	memcpy(host, hs, he - hs);
	host[he - hs] = '\0';
	errno = 0;
	port = strtoul(colon + 1, &end, 10);
	if (!colon[1] || *end || errno || port > 65535 || colon[1] == '-' || colon[1] == '+')
		return -EINVAL;
	if (addr[0] != '[') {
		struct sockaddr_in *in = (struct sockaddr_in *)ss;

		if (inet_pton(AF_INET, host, &in->sin_addr) != 1)
			return -EINVAL;
		in->sin_family = AF_INET;
		in->sin_port = htons((uint16_t)port);
		*sslen = sizeof(*in);
	} else {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

		if (inet_pton(AF_INET6, host, &in6->sin6_addr) != 1)
			return -EINVAL;
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		*sslen = sizeof(*in6);
	}
	return 0;
}

struct metrics_server {
	int lfd;
	int stop_fd; /* eventfd */
	int port;
	unsigned max_age_s;
	metrics_snapshot_fn fn;
	void *ctx;
	pthread_t thread;
	struct metrics_snapshot snap;
	char body[RENDER_BUF];
	char req[REQ_MAX + 1];
};

static uint64_t mono_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ULL + t.tv_nsec;
}

static void send_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		p += n;
		len -= n;
	}
}

static void respond(int fd, int code, const char *reason, const char *ctype, const char *body,
		    size_t len)
{
	char head[256];
	int n = snprintf(head, sizeof(head),
			 "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
			 "Connection: close\r\n\r\n",
			 code, reason, ctype, len);

	send_all(fd, head, n);
	send_all(fd, body, len);
}

/* Reads the request head within the client timeout; 0 when complete. */
static int read_head(struct metrics_server *m, int fd)
{
	size_t n = 0;
	uint64_t end = mono_ns() + CLIENT_TIMEOUT_MS * 1000000ULL;

	while (n < REQ_MAX) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		uint64_t now = mono_ns();
		ssize_t k;

		if (now >= end || poll(&p, 1, (int)((end - now) / 1000000ULL) + 1) <= 0)
			return -ETIMEDOUT;
		k = recv(fd, m->req + n, REQ_MAX - n, 0);
		if (k <= 0)
			return -EIO;
		n += k;
		m->req[n] = '\0';
		if (strstr(m->req, "\r\n\r\n") || strstr(m->req, "\n\n"))
			return 0;
	}
	return -E2BIG;
}

static void serve(struct metrics_server *m, int fd)
{
	static const char text[] = "text/plain; charset=utf-8";
	char path[64] = "", why[128];
	const char *sp;
	size_t plen;
	int r;

	if (read_head(m, fd)) {
		respond(fd, 400, "Bad Request", text, "bad request\n", 12);
		return;
	}
	if (strncmp(m->req, "GET ", 4)) {
		respond(fd, 405, "Method Not Allowed", text, "GET only\n", 9);
		return;
	}
	sp = strchr(m->req, ' ') + 1;
	plen = strcspn(sp, " ?\r\n");
	if (plen >= sizeof(path)) {
		respond(fd, 404, "Not Found", text, "not found\n", 10);
		return;
	}
	memcpy(path, sp, plen);
	path[plen] = '\0';
	if (strcmp(path, "/metrics") && strcmp(path, "/healthz")) {
		respond(fd, 404, "Not Found", text, "not found\n", 10);
		return;
	}
	memset(&m->snap, 0, sizeof(m->snap));
	if (m->fn(m->ctx, &m->snap)) {
		respond(fd, 500, "Internal Server Error", text, "no snapshot\n", 12);
		return;
	}
	if (!strcmp(path, "/healthz")) {
		bool ok = metrics_healthy(&m->snap, mono_ns(), m->max_age_s, why, sizeof(why) - 1);

		strcat(why, "\n");
		respond(fd, ok ? 200 : 503, ok ? "OK" : "Service Unavailable", text, why,
			strlen(why));
		return;
	}
	r = metrics_render(&m->snap, mono_ns(), m->body, sizeof(m->body));
	if (r < 0) {
		respond(fd, 500, "Internal Server Error", text, "too large\n", 10);
		return;
	}
	respond(fd, 200, "OK", "text/plain; version=0.0.4; charset=utf-8", m->body, r);
}

static void *server_main(void *arg)
{
	struct metrics_server *m = arg;

	for (;;) {
		struct pollfd p[2] = {{.fd = m->lfd, .events = POLLIN},
				      {.fd = m->stop_fd, .events = POLLIN}};
		int fd;

		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[1].revents)
			break;
		fd = accept4(m->lfd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0)
			continue;
		/* One client at a time, each bounded by CLIENT_TIMEOUT_MS. */
		serve(m, fd);
		close(fd);
	}
	return NULL;
}

int metrics_server_start(const char *addr, unsigned max_poll_age_s, metrics_snapshot_fn fn,
			 void *ctx, struct metrics_server **out, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t sslen;
	struct metrics_server *m;
	int one = 1, ret;

	if (metrics_parse_addr(addr, &ss, &sslen)) {
		snprintf(err, errlen,
			 "metrics address '%s': expected IPv4:port or [IPv6]:port literal", addr);
		return -EINVAL;
	}
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	m->fn = fn;
	m->ctx = ctx;
	m->max_age_s = max_poll_age_s ? max_poll_age_s : METRICS_HEALTH_MAX_POLL_AGE_S;
	m->stop_fd = eventfd(0, EFD_CLOEXEC);
	m->lfd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (m->stop_fd < 0 || m->lfd < 0) {
		ret = -errno;
		snprintf(err, errlen, "metrics: socket: %s", strerror(-ret));
		goto err_close;
	}
	setsockopt(m->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(m->lfd, (struct sockaddr *)&ss, sslen) || listen(m->lfd, 16)) {
		ret = -errno;
		snprintf(err, errlen, "metrics: cannot listen on %s: %s", addr, strerror(-ret));
		goto err_close;
	}
	if (getsockname(m->lfd, (struct sockaddr *)&ss, &sslen) == 0)
		m->port = ntohs(ss.ss_family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
							: ((struct sockaddr_in6 *)&ss)->sin6_port);
	ret = -pthread_create(&m->thread, NULL, server_main, m);
	if (ret) {
		snprintf(err, errlen, "metrics: cannot start thread: %s", strerror(-ret));
		goto err_close;
	}
	*out = m;
	return 0;

err_close:
	if (m->lfd >= 0)
		close(m->lfd);
	if (m->stop_fd >= 0)
		close(m->stop_fd);
	free(m);
	return ret;
}

int metrics_server_port(const struct metrics_server *m)
{
	return m->port;
}

void metrics_server_stop(struct metrics_server *m)
{
	uint64_t one = 1;

	if (!m)
		return;
	if (write(m->stop_fd, &one, sizeof(one)) == sizeof(one))
		pthread_join(m->thread, NULL);
	close(m->lfd);
	close(m->stop_fd);
	free(m);
}
