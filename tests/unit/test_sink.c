/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Sinks against real endpoints: a tiny HTTP server on 127.0.0.1 run by the
 * test, a unix datagram listener for syslog, files in a temporary folder.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "lib/clock.h"
#include "output/sink.h"
#include "rules/rules.h"
#include "errstr.h"

#define MAX_REQ 512

/* ---- a tiny HTTP/1.1 server that records what it receives ---- */

struct request {
	char head[4096];
	char *body;
};

struct server {
	int lfd;
	int port;
	pthread_t thread;
	bool running;
	pthread_mutex_t lock;
	pthread_cond_t cond; /* CLOCK_MONOTONIC; signalled on each request and release */
	struct request req[MAX_REQ];
	int n_req;
	bool hold; /* slow server: answer only once released */
	int status;
};

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static void server_init(struct server *s)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t alen = sizeof(a);
	pthread_condattr_t ca;

	memset(s, 0, sizeof(*s));
	s->status = 200;
	pthread_mutex_init(&s->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&s->cond, &ca);
	/* Bound but not listening: connections are refused until server_start. */
	s->lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(s->lfd >= 0);
	assert_int_equal(bind(s->lfd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(s->lfd, (struct sockaddr *)&a, &alen), 0);
	s->port = ntohs(a.sin_port);
}

static ssize_t read_request(int fd, struct request *r)
{
	size_t n = 0, want = 0, body_len = 0;
	char *end = NULL;

	while (!end) {
		ssize_t k = read(fd, r->head + n, sizeof(r->head) - 1 - n);

		if (k <= 0)
			return -1;
		n += k;
		r->head[n] = '\0';
		end = strstr(r->head, "\r\n\r\n");
		if (!end && n == sizeof(r->head) - 1)
			return -1;
	}
	{
		const char *cl = strcasestr(r->head, "\r\nContent-Length:");

		if (cl)
			body_len = strtoul(cl + 17, NULL, 10);
	}
	want = (size_t)(end + 4 - r->head);
	r->body = calloc(1, body_len + 1);
	memcpy(r->body, r->head + want, n - want);
	for (size_t got = n - want; got < body_len;) {
		ssize_t k = read(fd, r->body + got, body_len - got);

		if (k <= 0)
			return -1;
		got += k;
	}
	*end = '\0';
	return (ssize_t)body_len;
}

static void *server_main(void *arg)
{
	struct server *s = arg;

	for (;;) {
		struct request r = {0};
		char resp[128];
		int fd = accept(s->lfd, NULL, NULL);

		if (fd < 0)
			break;
		if (read_request(fd, &r) < 0) {
			free(r.body);
			close(fd);
			continue;
		}
		pthread_mutex_lock(&s->lock);
		while (s->hold)
			pthread_cond_wait(&s->cond, &s->lock);
		if (s->status == 200 && s->n_req < MAX_REQ) {
			s->req[s->n_req++] = r;
			r.body = NULL;
		}
		snprintf(resp, sizeof(resp),
			 "HTTP/1.1 %d X\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok",
			 s->status);
		pthread_cond_broadcast(&s->cond);
		pthread_mutex_unlock(&s->lock);
		free(r.body);
		assert_true(write(fd, resp, strlen(resp)) > 0);
		close(fd);
	}
	return NULL;
}

static void server_start(struct server *s)
{
	assert_int_equal(listen(s->lfd, 64), 0);
	assert_int_equal(pthread_create(&s->thread, NULL, server_main, s), 0);
	s->running = true;
}

static void server_release(struct server *s)
{
	pthread_mutex_lock(&s->lock);
	s->hold = false;
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
}

/* Waits (on the server's condition, no fixed sleep) until n requests arrived. */
static int server_wait(struct server *s, int n, long timeout_ms)
{
	struct timespec until = clock_mono_after_ms(timeout_ms);
	int got;

	pthread_mutex_lock(&s->lock);
	while (s->n_req < n)
		if (pthread_cond_timedwait(&s->cond, &s->lock, &until) == ETIMEDOUT)
			break;
	got = s->n_req;
	pthread_mutex_unlock(&s->lock);
	return got;
}

static void server_stop(struct server *s)
{
	int i;

	server_release(s);
	/* shutdown() makes a blocked accept() return on Linux. */
	shutdown(s->lfd, SHUT_RDWR);
	if (s->running)
		pthread_join(s->thread, NULL);
	close(s->lfd);
	for (i = 0; i < s->n_req; i++)
		free(s->req[i].body);
}

/* ---- helpers ---- */

static void opts_init(struct sinks_options *o)
{
	memset(o, 0, sizeof(*o));
	o->format = FMT_JSON;
}

static void http_url(struct sinks_options *o, const struct server *s)
{
	snprintf(o->http.url, sizeof(o->http.url), "http://127.0.0.1:%d/", s->port);
}

static struct alert_out make_alert(char *json, size_t jlen, char *text, size_t tlen, int i)
{
	struct alert_out a;

	snprintf(json, jlen, "{\"rule\":\"Shell in container\",\"seq\":%d,\"output\":\"x\"}", i);
	snprintf(text, tlen, "Notice shell %d", i);
	a.json = json;
	a.json_len = strlen(json);
	a.text = text;
	a.text_len = strlen(text);
	a.priority = PRIO_NOTICE;
	a.rule = "Shell in container";
	return a;
}

static void write_n(struct sinks *s, int from, int n)
{
	char json[128], text[64];
	int i;

	for (i = from; i < from + n; i++) {
		struct alert_out a = make_alert(json, sizeof(json), text, sizeof(text), i);

		sinks_write(s, &a);
	}
}

static void expect_seq(const struct server *s, int n)
{
	char want[128], text[64];
	int i;

	for (i = 0; i < n; i++) {
		make_alert(want, sizeof(want), text, sizeof(text), i);
		assert_string_equal(s->req[i].body, want);
	}
}

static struct sinks_io test_io(int stdout_fd, const char *syslog_path, long drain_ms)
{
	struct sinks_io io = {
		.stdout_fd = stdout_fd,
		.syslog_path = syslog_path ? syslog_path : "/nonexistent/log",
		.syslog_ident = "shellsentry",
		.http_drain_ms = drain_ms,
	};

	return io;
}

/* Polls the stats until one counter reaches min: the sender thread owns them. */
static void wait_stat(struct sinks *s, size_t field, uint64_t min, long timeout_ms)
{
	struct sink_stats st;
	double end = now_s() + timeout_ms / 1000.0;
	const struct timespec tick = {0, 5000000};

	do {
		sinks_get_stats(s, &st);
		if (*(uint64_t *)((char *)&st + field) >= min)
			return;
		nanosleep(&tick, NULL);
	} while (now_s() < end);
	fail_msg("stat at offset %zu stayed below %llu", field, (unsigned long long)min);
}

/* ---- webhook ---- */

static void test_http_delivers_json(void **state)
{
	struct server srv;
	struct sinks_options o;
	struct sinks_io io = test_io(-1, NULL, 5000);
	struct sinks *s;
	struct sink_stats st;
	char err[256];

	(void)state;
	server_init(&srv);
	server_start(&srv);
	opts_init(&o);
	http_url(&o, &srv);
	snprintf(o.http.headers[0], sizeof(o.http.headers[0]), "X-Token: abc123");
	o.http.n_headers = 1;
	assert_int_equal(WITH_ERR(sinks_new_io(&o, &io, &s, &serr)), 0);
	write_n(s, 0, 3);
	assert_int_equal(server_wait(&srv, 3, 10000), 3);
	expect_seq(&srv, 3);
	assert_true(!strncmp(srv.req[0].head, "POST / HTTP/1.1\r\n", 17));
	assert_non_null(strcasestr(srv.req[0].head, "\r\nContent-Type: application/json"));
	assert_non_null(strstr(srv.req[0].head, "\r\nX-Token: abc123"));
	wait_stat(s, offsetof(struct sink_stats, http_sent), 3, 10000);
	sinks_get_stats(s, &st);
	assert_int_equal(st.http_sent, 3);
	assert_int_equal(st.http_dropped, 0);
	assert_int_equal(st.written, 3);
	sinks_free(s);
	server_stop(&srv);
}

static void test_http_down_then_up(void **state)
{
	struct server srv;
	struct sinks_options o;
	struct sinks_io io = test_io(-1, NULL, 5000);
	struct sinks *s;
	struct sink_stats st;
	char err[256];

	(void)state;
	server_init(&srv); /* refused until started */
	opts_init(&o);
	http_url(&o, &srv);
	o.http.queue_max = 50;
	assert_int_equal(WITH_ERR(sinks_new_io(&o, &io, &s, &serr)), 0);
	write_n(s, 0, 50);
	wait_stat(s, offsetof(struct sink_stats, http_failed), 2, 10000);
	sinks_get_stats(s, &st);
	assert_int_equal(st.http_sent, 0);
	assert_int_equal(st.http_queue_depth, 50);
	server_start(&srv);
	assert_int_equal(server_wait(&srv, 50, 20000), 50);
	expect_seq(&srv, 50); /* all of them, in order */
	wait_stat(s, offsetof(struct sink_stats, http_sent), 50, 10000);
	sinks_get_stats(s, &st);
	assert_int_equal(st.http_dropped, 0);
	sinks_free(s);
	server_stop(&srv);
}

static void test_http_slow_server_does_not_block(void **state)
{
	struct server srv;
	struct sinks_options o;
	struct sinks_io io = test_io(-1, NULL, 10000);
	struct sinks *s;
	char err[256];
	double t0, t;

	(void)state;
	server_init(&srv);
	srv.hold = true;
	server_start(&srv);
	opts_init(&o);
	http_url(&o, &srv);
	o.http.timeout_ms = 30000;
	assert_int_equal(WITH_ERR(sinks_new_io(&o, &io, &s, &serr)), 0);
	t0 = now_s();
	write_n(s, 0, 200);
	t = now_s() - t0;
	/* The server answers nothing yet: 200 writes still return at once. */
	assert_true(t < 0.5);
	assert_int_equal(server_wait(&srv, 1, 0), 0);
	server_release(&srv);
	assert_int_equal(server_wait(&srv, 200, 20000), 200);
	expect_seq(&srv, 200);
	sinks_free(s);
	server_stop(&srv);
}

static void test_http_over_bound_dropped(void **state)
{
	struct server srv;
	struct http_sink_options ho = {0};
	struct http_sink *h;
	struct sink_stats st = {0};
	char err[256];
	int i, ok = 0;
	double t0;

	(void)state;
	server_init(&srv); /* down for the whole test */
	snprintf(ho.url, sizeof(ho.url), "http://127.0.0.1:%d/", srv.port);
	ho.queue_max = 4;
	assert_int_equal(WITH_ERR(http_sink_new(&ho, &h, &serr)), 0);
	for (i = 0; i < 10; i++)
		ok += http_sink_enqueue(h, "{}", 2);
	assert_int_equal(ok, 4);
	http_sink_stats(h, &st);
	assert_int_equal(st.http_dropped, 6);
	assert_int_equal(st.http_queue_depth, 4);
	/* Freeing with the endpoint down waits only the drain budget. */
	t0 = now_s();
	http_sink_free(h, 300);
	assert_true(now_s() - t0 < 3.0);
	server_stop(&srv);
}

static void test_http_free_drains_queue(void **state)
{
	struct server srv;
	struct sinks_options o;
	struct sinks_io io = test_io(-1, NULL, 10000);
	struct sinks *s;
	char err[256];

	(void)state;
	server_init(&srv);
	server_start(&srv);
	opts_init(&o);
	http_url(&o, &srv);
	assert_int_equal(WITH_ERR(sinks_new_io(&o, &io, &s, &serr)), 0);
	write_n(s, 0, 30);
	sinks_free(s); /* returns once everything queued is delivered */
	assert_int_equal(server_wait(&srv, 30, 0), 30);
	expect_seq(&srv, 30);
	server_stop(&srv);
}

static void test_http_bad_options(void **state)
{
	struct sinks_options o;
	struct sinks_io io = test_io(-1, NULL, 0);
	struct sinks *s = NULL;
	char err[256] = "";

	(void)state;
	opts_init(&o);
	snprintf(o.http.url, sizeof(o.http.url), "file:///etc/passwd");
	assert_int_equal(WITH_ERR(sinks_new_io(&o, &io, &s, &serr)), -EINVAL);
	assert_non_null(strstr(err, "file:///etc/passwd"));
	snprintf(o.http.url, sizeof(o.http.url), "http://127.0.0.1:1/");
	snprintf(o.http.headers[0], sizeof(o.http.headers[0]), "X-A: b\r\nX-Forged: 1");
	o.http.n_headers = 1;
	assert_int_equal(WITH_ERR(sinks_new_io(&o, &io, &s, &serr)), -EINVAL);
	assert_non_null(strstr(err, "header"));
	assert_null(s);
}

/* ---- file and stdout ---- */

static char *slurp(const char *path)
{
	static char buf[4096];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	assert_true(fd >= 0);
	n = read(fd, buf, sizeof(buf) - 1);
	assert_true(n >= 0);
	buf[n] = '\0';
	close(fd);
	return buf;
}

static void test_file_reopen_after_rename(void **state)
{
	char dir[] = "/tmp/ss-sink-XXXXXX", path[256], rotated[256], want[512];
	char j0[128], j1[128], j2[128], text[64];
	struct sinks_options o;
	struct sinks_io io = test_io(-1, NULL, 0);
	struct sinks *s;
	struct alert_out a;
	struct stat st;
	char err[256];

	(void)state;
	umask(022);
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/alerts.json", dir);
	snprintf(rotated, sizeof(rotated), "%s/alerts.json.1", dir);
	opts_init(&o);
	snprintf(o.output_file, sizeof(o.output_file), "%s", path);
	assert_int_equal(WITH_ERR(sinks_new_io(&o, &io, &s, &serr)), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);

	a = make_alert(j0, sizeof(j0), text, sizeof(text), 0);
	sinks_write(s, &a);
	assert_int_equal(rename(path, rotated), 0);
	a = make_alert(j1, sizeof(j1), text, sizeof(text), 1);
	sinks_write(s, &a); /* still the old file, as with any logrotate */
	assert_int_equal(sinks_reopen(s), 0);
	a = make_alert(j2, sizeof(j2), text, sizeof(text), 2);
	sinks_write(s, &a);
	sinks_free(s);

	snprintf(want, sizeof(want), "%s\n%s\n", j0, j1);
	assert_string_equal(slurp(rotated), want);
	snprintf(want, sizeof(want), "%s\n", j2);
	assert_string_equal(slurp(path), want);
	unlink(path);
	unlink(rotated);
	rmdir(dir);
}

static void test_stdout_format(void **state)
{
	int p[2];
	char buf[512], j[128], t[64];
	struct sinks_options o;
	struct sinks *s;
	struct alert_out a;
	char err[256];
	ssize_t n;

	(void)state;
	assert_int_equal(pipe(p), 0);
	{
		struct sinks_io io = test_io(p[1], NULL, 0);

		opts_init(&o);
		o.stdout_enabled = true;
		o.format = FMT_TEXT;
		assert_int_equal(WITH_ERR(sinks_new_io(&o, &io, &s, &serr)), 0);
		a = make_alert(j, sizeof(j), t, sizeof(t), 7);
		sinks_write(s, &a);
		sinks_free(s);
		o.format = FMT_JSON;
		assert_int_equal(WITH_ERR(sinks_new_io(&o, &io, &s, &serr)), 0);
		sinks_write(s, &a);
		sinks_free(s);
	}
	close(p[1]);
	n = read(p[0], buf, sizeof(buf) - 1);
	assert_true(n > 0);
	buf[n] = '\0';
	{
		char want[512];

		snprintf(want, sizeof(want), "%s\n%s\n", t, j);
		assert_string_equal(buf, want);
	}
	close(p[0]);
}

/* Batching: nothing reaches the fd before sinks_flush, then every line in order. */
static void test_stdout_batching(void **state)
{
	int p[2];
	char buf[8192], j[128], t[64], want[8192] = "";
	struct sinks_options o;
	struct sinks *s;
	struct alert_out a;
	char err[256];
	ssize_t n;

	(void)state;
	assert_int_equal(pipe(p), 0);
	assert_int_equal(fcntl(p[0], F_SETFL, O_NONBLOCK), 0);
	{
		struct sinks_io io = test_io(p[1], NULL, 0);

		opts_init(&o);
		o.stdout_enabled = true;
		o.format = FMT_JSON;
		assert_int_equal(WITH_ERR(sinks_new_io(&o, &io, &s, &serr)), 0);
		assert_int_equal(sinks_set_batching(s, true), 0);
		for (int i = 0; i < 20; i++) {
			a = make_alert(j, sizeof(j), t, sizeof(t), i);
			sinks_write(s, &a);
			strcat(want, j);
			strcat(want, "\n");
		}
		assert_true(read(p[0], buf, sizeof(buf)) < 0); /* still batched */
		assert_int_equal(errno, EAGAIN);
		sinks_flush(s);
		n = read(p[0], buf, sizeof(buf) - 1);
		assert_true(n > 0);
		buf[n] = '\0';
		assert_string_equal(buf, want);
		/* sinks_free flushes what is left */
		sinks_write(s, &a);
		sinks_free(s);
		n = read(p[0], buf, sizeof(buf) - 1);
		assert_true(n > 0);
		buf[n] = '\0';
		snprintf(want, sizeof(want), "%s\n", j);
		assert_string_equal(buf, want);
	}
	close(p[1]);
	close(p[0]);
}

static void test_file_open_error(void **state)
{
	struct sinks_options o;
	struct sinks_io io = test_io(-1, NULL, 0);
	struct sinks *s = NULL;
	char err[256] = "";

	(void)state;
	opts_init(&o);
	snprintf(o.output_file, sizeof(o.output_file), "/nonexistent-dir/alerts.json");
	assert_int_equal(WITH_ERR(sinks_new_io(&o, &io, &s, &serr)), -ENOENT);
	assert_non_null(strstr(err, "/nonexistent-dir/alerts.json"));
	assert_null(s);
}

/* ---- syslog ---- */

static int bind_dgram(const char *path)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
	unlink(path);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	return fd;
}

static ssize_t recv_wait(int fd, char *buf, size_t len)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	ssize_t n;

	if (poll(&pfd, 1, 5000) != 1)
		return -1;
	n = recv(fd, buf, len - 1, 0);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

static void test_syslog_real_socket(void **state)
{
	char dir[] = "/tmp/ss-log-XXXXXX", path[256], buf[SINK_SYSLOG_MSG_MAX + 16], pri[16],
	     tag[64];
	const char *forge = "shell started\nJan  1 00:00:00 host sshd[1]: Accepted";
	struct sinks_options o;
	struct sinks *s;
	struct sink_stats st;
	struct alert_out a = {0};
	char err[256];
	int fd;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/log", dir);
	fd = bind_dgram(path);
	opts_init(&o);
	o.syslog_enabled = true;
	{
		struct sinks_io io = test_io(-1, path, 0);

		assert_int_equal(WITH_ERR(sinks_new_io(&o, &io, &s, &serr)), 0);
	}
	a.text = forge;
	a.text_len = strlen(forge);
	a.priority = PRIO_WARNING;
	sinks_write(s, &a);
	assert_true(recv_wait(fd, buf, sizeof(buf)) > 0);
	snprintf(pri, sizeof(pri), "<%d>", LOG_DAEMON | LOG_WARNING);
	assert_true(!strncmp(buf, pri, strlen(pri)));
	snprintf(tag, sizeof(tag), " shellsentry[%d]: shell started\\x0aJan", (int)getpid());
	assert_non_null(strstr(buf, tag));
	assert_null(strchr(buf, '\n'));

	/* The daemon restarts (new socket at the same path): the sink reconnects. */
	close(fd);
	fd = bind_dgram(path);
	a.priority = PRIO_CRITICAL;
	sinks_write(s, &a);
	assert_true(recv_wait(fd, buf, sizeof(buf)) > 0);
	snprintf(pri, sizeof(pri), "<%d>", LOG_DAEMON | LOG_CRIT);
	assert_true(!strncmp(buf, pri, strlen(pri)));
	sinks_get_stats(s, &st);
	assert_int_equal(st.failures, 0);

	/* Daemon gone: counted, nothing blocks. */
	close(fd);
	unlink(path);
	sinks_write(s, &a);
	sinks_get_stats(s, &st);
	assert_int_equal(st.failures, 1);
	sinks_free(s);
	rmdir(dir);
}

static void test_syslog_format_bounds(void **state)
{
	char msg[3 * SINK_SYSLOG_MSG_MAX], buf[256];
	struct tm tm = {.tm_mon = 0, .tm_mday = 5, .tm_hour = 1, .tm_min = 2, .tm_sec = 3};
	size_t n;

	(void)state;
	memset(msg, '\x01', sizeof(msg));
	n = syslog_format(buf, sizeof(buf), 3, 99, &tm, "shellsentry", 42, msg, sizeof(msg));
	assert_true(n < sizeof(buf));
	assert_int_equal(strlen(buf), n);
	assert_true(!strncmp(buf, "<31>", 4)); /* out-of-range severity -> debug */
	/* Only whole escapes: the cut never splits "\x01". */
	assert_true(!strcmp(buf + n - 4, "\\x01"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_http_delivers_json),
		cmocka_unit_test(test_http_down_then_up),
		cmocka_unit_test(test_http_slow_server_does_not_block),
		cmocka_unit_test(test_http_over_bound_dropped),
		cmocka_unit_test(test_http_free_drains_queue),
		cmocka_unit_test(test_http_bad_options),
		cmocka_unit_test(test_file_reopen_after_rename),
		cmocka_unit_test(test_stdout_format),
		cmocka_unit_test(test_stdout_batching),
		cmocka_unit_test(test_file_open_error),
		cmocka_unit_test(test_syslog_real_socket),
		cmocka_unit_test(test_syslog_format_bounds),
	};

	/* The test server is on loopback: a proxy from the environment must not interfere. */
	unsetenv("http_proxy");
	unsetenv("HTTP_PROXY");
	unsetenv("all_proxy");
	unsetenv("ALL_PROXY");

	return cmocka_run_group_tests(tests, NULL, NULL);
}
