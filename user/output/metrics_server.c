// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The /metrics and /healthz server: one thread, non-blocking sockets, poll.
 * No client can hold it: every connection has a deadline for its whole
 * exchange, a request head is at most HTTP_REQUEST_MAX bytes, at most
 * MAX_CONN connections are open and a new one evicts the oldest that has not
 * sent its request, so a probe that connects and asks is answered within
 * one turn of the loop whatever idle, slow or oversized clients do.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "lib/clock.h"
#include "output/http_request.h"
#include "output/metrics.h"

#define MAX_CONN 64
#define CONN_DEADLINE_MS 2000 /* accept to last byte sent */
#define RENDER_BUF (256 * 1024)
#define OUT_PENDING_MAX (4u << 20) /* bytes of responses waiting for slow readers */

struct conn {
	int fd; /* -1: free */
	uint64_t accepted_ns, deadline_ns;
	size_t in_len;
	char *out; /* the response, once decided */
	size_t out_len, out_off;
	char in[HTTP_REQUEST_MAX];
};

struct metrics_server {
	int lfd;
	int stop_fd; /* eventfd */
	int port;
	unsigned max_age_s;
	metrics_snapshot_fn fn;
	void *ctx;
	pthread_t thread;
	size_t out_pending;
	struct metrics_snapshot snap;
	char body[RENDER_BUF];
	struct conn conns[MAX_CONN];
};

static void conn_close(struct metrics_server *m, struct conn *c)
{
	if (c->fd < 0)
		return;
	close(c->fd);
	m->out_pending -= c->out_len;
	free(c->out);
	c->fd = -1;
	c->out = NULL;
	c->out_len = c->out_off = c->in_len = 0;
}

/* Queues a whole response (head and body) on c; a small static one when memory is short. */
static void respond(struct metrics_server *m, struct conn *c, int code, const char *reason,
		    const char *ctype, const char *body, size_t len, bool head_only)
{
	static const char busy[] = "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n"
				   "Connection: close\r\n\r\n";
	char head[256];
	int n = snprintf(head, sizeof(head),
			 "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
			 "Connection: close\r\n\r\n",
			 code, reason, ctype, len);
	size_t total = (size_t)n + (head_only ? 0 : len);

	if (m->out_pending + total > OUT_PENDING_MAX || !(c->out = malloc(total))) {
		c->out = strdup(busy);
		total = c->out ? sizeof(busy) - 1 : 0;
	} else {
		memcpy(c->out, head, n);
		if (!head_only)
			memcpy(c->out + n, body, len);
	}
	c->out_len = total;
	c->out_off = 0;
	m->out_pending += total;
}

static void answer(struct metrics_server *m, struct conn *c, const struct http_request *r)
{
	static const char text[] = "text/plain; charset=utf-8";
	bool head = r->method == HTTP_HEAD;
	char why[128];
	int len;

	if (r->method == HTTP_OTHER) {
		respond(m, c, 405, "Method Not Allowed", text, "GET only\n", 9, false);
		return;
	}
	if (strcmp(r->path, "/metrics") && strcmp(r->path, "/healthz")) {
		respond(m, c, 404, "Not Found", text, "not found\n", 10, head);
		return;
	}
	memset(&m->snap, 0, sizeof(m->snap));
	if (m->fn(m->ctx, &m->snap)) {
		respond(m, c, 500, "Internal Server Error", text, "no snapshot\n", 12, head);
		return;
	}
	if (!strcmp(r->path, "/healthz")) {
		bool ok = metrics_healthy(&m->snap, clock_ns(CLOCK_MONOTONIC), m->max_age_s, why,
					  sizeof(why) - 1);

		strcat(why, "\n");
		respond(m, c, ok ? 200 : 503, ok ? "OK" : "Service Unavailable", text, why,
			strlen(why), head);
		return;
	}
	len = metrics_render(&m->snap, clock_ns(CLOCK_MONOTONIC), m->body, sizeof(m->body));
	if (len < 0)
		respond(m, c, 500, "Internal Server Error", text, "too large\n", 10, head);
	else
		respond(m, c, 200, "OK", "text/plain; version=0.0.4; charset=utf-8", m->body,
			(size_t)len, head);
}

/* Reads what c sent; decides the answer as soon as the head is complete or refused. */
static void conn_read(struct metrics_server *m, struct conn *c)
{
	static const char text[] = "text/plain; charset=utf-8";
	struct http_request r;
	ssize_t k;
	int ret;

	k = recv(c->fd, c->in + c->in_len, sizeof(c->in) - c->in_len, 0);
	if (k < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (k <= 0) {
		conn_close(m, c);
		return;
	}
	c->in_len += (size_t)k;
	ret = http_request_parse(c->in, c->in_len, &r);
	if (ret == 0)
		return;
	if (ret == 1)
		answer(m, c, &r);
	else if (ret == -E2BIG)
		respond(m, c, 431, "Request Header Fields Too Large", text, "too large\n", 10,
			false);
	else
		respond(m, c, 400, "Bad Request", text, "bad request\n", 12, false);
}

static void conn_write(struct metrics_server *m, struct conn *c)
{
	while (c->out_off < c->out_len) {
		ssize_t k = send(c->fd, c->out + c->out_off, c->out_len - c->out_off,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0 && errno == EAGAIN)
			return;
		if (k <= 0)
			break;
		c->out_off += (size_t)k;
	}
	conn_close(m, c); /* sent, or the peer went away */
}

/* Past its deadline: a client still sending its request is told so (best effort). */
static void conn_expire(struct metrics_server *m, struct conn *c)
{
	static const char late[] = "HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\n"
				   "Connection: close\r\n\r\n";

	if (!c->out && send(c->fd, late, sizeof(late) - 1, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
		errno = 0;
	conn_close(m, c);
}

/* A free slot, else the oldest connection still sending its request, else the oldest. */
static struct conn *conn_slot(struct metrics_server *m)
{
	struct conn *oldest_reading = NULL, *oldest = NULL;

	for (int i = 0; i < MAX_CONN; i++) {
		struct conn *c = &m->conns[i];

		if (c->fd < 0)
			return c;
		if (!c->out && (!oldest_reading || c->accepted_ns < oldest_reading->accepted_ns))
			oldest_reading = c;
		if (!oldest || c->accepted_ns < oldest->accepted_ns)
			oldest = c;
	}
	oldest = oldest_reading ? oldest_reading : oldest;
	conn_close(m, oldest);
	return oldest;
}

static void accept_all(struct metrics_server *m, uint64_t now)
{
	for (int i = 0; i < MAX_CONN; i++) {
		int fd = accept4(m->lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
		struct conn *c;

		if (fd < 0)
			return;
		c = conn_slot(m);
		c->fd = fd;
		c->accepted_ns = now;
		c->deadline_ns = now + CONN_DEADLINE_MS * 1000000ULL;
	}
}

static void *server_main(void *arg)
{
	struct metrics_server *m = arg;
	struct pollfd p[MAX_CONN + 2];
	int slot[MAX_CONN + 2];

	for (;;) {
		/* No connection, no deadline: an idle server sleeps until a client comes. */
		uint64_t now = clock_ns(CLOCK_MONOTONIC), next = UINT64_MAX;
		int n = 2, timeout, ret;

		p[0] = (struct pollfd){.fd = m->stop_fd, .events = POLLIN};
		p[1] = (struct pollfd){.fd = m->lfd, .events = POLLIN};
		for (int i = 0; i < MAX_CONN; i++) {
			struct conn *c = &m->conns[i];

			if (c->fd < 0)
				continue;
			if (c->deadline_ns < next)
				next = c->deadline_ns;
			slot[n] = i;
			p[n++] = (struct pollfd){.fd = c->fd, .events = c->out ? POLLOUT : POLLIN};
		}
		timeout = next == UINT64_MAX ? -1
			  : next > now	     ? (int)((next - now) / 1000000ULL) + 1
					     : 0;
		ret = poll(p, n, timeout);
		if (ret < 0 && errno != EINTR)
			break;
		if (p[0].revents)
			break;
		now = clock_ns(CLOCK_MONOTONIC);
		for (int j = 2; j < n && ret > 0; j++) {
			struct conn *c = &m->conns[slot[j]];

			if (!p[j].revents || c->fd != p[j].fd)
				continue;
			if (!c->out && (p[j].revents & (POLLIN | POLLHUP | POLLERR)))
				conn_read(m, c);
			if (c->fd >= 0 && c->out)
				conn_write(m, c);
		}
		for (int i = 0; i < MAX_CONN; i++)
			if (m->conns[i].fd >= 0 && now >= m->conns[i].deadline_ns)
				conn_expire(m, &m->conns[i]);
		if (ret > 0 && (p[1].revents & POLLIN))
			accept_all(m, now);
	}
	return NULL;
}

int metrics_server_start(const char *addr, unsigned max_poll_age_s, metrics_snapshot_fn fn,
			 void *ctx, struct metrics_server **out, struct ss_error *err)
{
	struct sockaddr_storage ss;
	socklen_t sslen;
	struct metrics_server *m;
	int one = 1, ret;

	if (metrics_parse_addr(addr, &ss, &sslen)) {
		ss_error_set(err, 0,
			     "metrics address '%s': expected IPv4:port or [IPv6]:port literal",
			     addr);
		return -EINVAL;
	}
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	for (int i = 0; i < MAX_CONN; i++)
		m->conns[i].fd = -1;
	m->fn = fn;
	m->ctx = ctx;
	m->max_age_s = max_poll_age_s ? max_poll_age_s : METRICS_HEALTH_MAX_POLL_AGE_S;
	m->stop_fd = eventfd(0, EFD_CLOEXEC);
	m->lfd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (m->stop_fd < 0 || m->lfd < 0) {
		ret = -errno;
		ss_error_set(err, 0, "metrics: socket: %s", strerror(-ret));
		goto err_close;
	}
	setsockopt(m->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(m->lfd, (struct sockaddr *)&ss, sslen) || listen(m->lfd, 128)) {
		ret = -errno;
		ss_error_set(err, 0, "metrics: cannot listen on %s: %s", addr, strerror(-ret));
		goto err_close;
	}
	if (getsockname(m->lfd, (struct sockaddr *)&ss, &sslen) == 0)
		m->port = ntohs(ss.ss_family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
							: ((struct sockaddr_in6 *)&ss)->sin6_port);
	ret = -pthread_create(&m->thread, NULL, server_main, m);
	if (ret) {
		ss_error_set(err, 0, "metrics: cannot start thread: %s", strerror(-ret));
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
	for (int i = 0; i < MAX_CONN; i++)
		conn_close(m, &m->conns[i]);
	close(m->lfd);
	close(m->stop_fd);
	free(m);
}
