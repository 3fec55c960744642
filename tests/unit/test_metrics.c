/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "output/metrics.h"
#include "errstr.h"

/* ---- a small exposition-format parser, independent of the renderer ---- */

#define MAX_SAMPLES 64

struct sample {
	char name[64];
	char labels[4][2][160]; /* name, unescaped value */
	int n_labels;
	double value;
};

struct parsed {
	struct sample s[MAX_SAMPLES];
	int n;
	char typed[MAX_SAMPLES][64];
	int n_typed;
};

static int parse_exposition(const char *text, struct parsed *p)
{
	const char *line = text;

	memset(p, 0, sizeof(*p));
	while (*line) {
		const char *eol = strchr(line, '\n');
		const char *c = line;
		struct sample *s;
		size_t n;

		if (!eol)
			return -1; /* every line ends with a newline */
		if (!strncmp(line, "# TYPE ", 7)) {
			n = strcspn(line + 7, " ");
			memcpy(p->typed[p->n_typed++], line + 7, n);
			line = eol + 1;
			continue;
		}
		if (line[0] == '#') {
			line = eol + 1;
			continue;
		}
		if (p->n == MAX_SAMPLES)
			return -1;
		s = &p->s[p->n++];
		n = strcspn(c, "{ ");
		memcpy(s->name, c, n);
		c += n;
		if (*c == '{') {
			c++;
			while (*c != '}') {
				char *v;
				size_t k = 0;

				n = strcspn(c, "=");
				memcpy(s->labels[s->n_labels][0], c, n);
				c += n;
				if (c[0] != '=' || c[1] != '"')
					return -1;
				c += 2;
				v = s->labels[s->n_labels][1];
				while (*c != '"') {
					if (*c == '\n' || !*c)
						return -1;
					if (*c == '\\') {
						c++;
						v[k++] = *c == 'n' ? '\n' : *c;
					} else {
						v[k++] = *c;
					}
					c++;
				}
				c++;
				s->n_labels++;
				if (*c == ',')
					c++;
			}
			c++;
		}
		if (*c != ' ')
			return -1;
		s->value = strtod(c + 1, NULL);
		line = eol + 1;
	}
	return 0;
}

static const struct sample *find(const struct parsed *p, const char *name, const char *rule)
{
	int i, j;

	for (i = 0; i < p->n; i++) {
		if (strcmp(p->s[i].name, name))
			continue;
		if (!rule)
			return &p->s[i];
		for (j = 0; j < p->s[i].n_labels; j++)
			if (!strcmp(p->s[i].labels[j][0], "rule") &&
			    !strcmp(p->s[i].labels[j][1], rule))
				return &p->s[i];
	}
	return NULL;
}

static double value_of(const struct parsed *p, const char *name, const char *rule)
{
	const struct sample *s = find(p, name, rule);

	if (!s)
		fail_msg("missing sample %s", name);
	return s->value;
}

static uint64_t mono_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ULL + t.tv_nsec;
}

static const char odd_rule[] = "Odd \"quoted\" \\ rule\nsecond line";

static void fill(struct metrics_snapshot *s)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->build.version, sizeof(s->build.version), "1.2.3");
	snprintf(s->build.commit, sizeof(s->build.commit), "abc\"d");
	snprintf(s->build.kernel, sizeof(s->build.kernel), "6.18.44");
	snprintf(s->build.hook, sizeof(s->build.hook), "tp_btf/sched_process_exec");
	s->attached = true;
	s->last_poll_ns = mono_ns();
	s->execs_seen = 123456;
	s->events = 321;
	s->drops = 7;
	s->truncations = 3;
	s->rule_errors = 2;
	s->decode_errors = 5;
	s->rules_loaded = 3;
	s->last_reload_ok = true;
	s->last_reload_time = 1700000000;
	s->sinks.written = 40;
	s->sinks.failures = 1;
	s->sinks.http_sent = 30;
	s->sinks.http_failed = 5;
	s->sinks.http_dropped = 4;
	s->sinks.http_queue_depth = 6;
	s->n_rules = 2;
	snprintf(s->rules[0].name, sizeof(s->rules[0].name), "Shell in container");
	snprintf(s->rules[0].priority, sizeof(s->rules[0].priority), "Notice");
	s->rules[0].alerts = 38;
	s->rules[0].suppressed = 11;
	snprintf(s->rules[1].name, sizeof(s->rules[1].name), "%s", odd_rule);
	snprintf(s->rules[1].priority, sizeof(s->rules[1].priority), "Warning");
	s->rules[1].alerts = 2;
}

static void check_parsed(const struct parsed *p, const struct metrics_snapshot *s)
{
	const struct sample *a;
	int i, j;

	assert_int_equal(value_of(p, "shellsentry_attached", NULL), 1);
	assert_int_equal(value_of(p, "shellsentry_execs_seen_total", NULL), s->execs_seen);
	assert_int_equal(value_of(p, "shellsentry_events_total", NULL), s->events);
	assert_int_equal(value_of(p, "shellsentry_ringbuf_drops_total", NULL), s->drops);
	assert_int_equal(value_of(p, "shellsentry_truncations_total", NULL), s->truncations);
	assert_int_equal(value_of(p, "shellsentry_rule_errors_total", NULL), s->rule_errors);
	assert_int_equal(value_of(p, "shellsentry_decode_errors_total", NULL), s->decode_errors);
	assert_int_equal(value_of(p, "shellsentry_rules_loaded", NULL), s->rules_loaded);
	assert_int_equal(value_of(p, "shellsentry_last_reload_success", NULL), 1);
	assert_int_equal(value_of(p, "shellsentry_last_reload_timestamp_seconds", NULL),
			 s->last_reload_time);
	assert_int_equal(value_of(p, "shellsentry_sink_alerts_total", NULL), s->sinks.written);
	assert_int_equal(value_of(p, "shellsentry_sink_failures_total", NULL), s->sinks.failures);
	assert_int_equal(value_of(p, "shellsentry_http_sent_total", NULL), s->sinks.http_sent);
	assert_int_equal(value_of(p, "shellsentry_http_failed_total", NULL), s->sinks.http_failed);
	assert_int_equal(value_of(p, "shellsentry_http_dropped_total", NULL),
			 s->sinks.http_dropped);
	assert_int_equal(value_of(p, "shellsentry_http_queue_depth", NULL),
			 s->sinks.http_queue_depth);
	assert_true(value_of(p, "shellsentry_ringbuf_poll_age_seconds", NULL) >= 0);
	for (i = 0; i < 2; i++) {
		a = find(p, "shellsentry_alerts_total", s->rules[i].name);
		assert_non_null(a);
		assert_int_equal(a->value, s->rules[i].alerts);
		assert_int_equal(a->n_labels, 2);
		assert_string_equal(a->labels[1][0], "priority");
		assert_string_equal(a->labels[1][1], s->rules[i].priority);
		assert_int_equal(
			value_of(p, "shellsentry_alerts_suppressed_total", s->rules[i].name),
			s->rules[i].suppressed);
	}
	/* Every sample belongs to a family declared with # TYPE. */
	for (i = 0; i < p->n; i++) {
		for (j = 0; j < p->n_typed; j++)
			if (!strcmp(p->typed[j], p->s[i].name))
				break;
		assert_true(j < p->n_typed);
	}
}

static void test_render_parses_back(void **state)
{
	static struct metrics_snapshot s;
	static struct parsed p;
	char buf[16384];
	int n;

	(void)state;
	fill(&s);
	n = metrics_render(&s, s.last_poll_ns + 1500000000ULL, buf, sizeof(buf));
	assert_true(n > 0);
	assert_int_equal(strlen(buf), n);
	assert_int_equal(parse_exposition(buf, &p), 0);
	check_parsed(&p, &s);
	assert_true(value_of(&p, "shellsentry_ringbuf_poll_age_seconds", NULL) == 1.5);
	assert_non_null(strstr(buf,
			       "\nshellsentry_build_info{version=\"1.2.3\",commit=\"abc\\\"d\","
			       "kernel=\"6.18.44\",hook=\"tp_btf/sched_process_exec\"} 1\n"));
	assert_int_equal(metrics_render(&s, 0, buf, 100), -ENOSPC);
}

static void test_render_max_rules_fits(void **state)
{
	static struct metrics_snapshot s;
	static char buf[256 * 1024];
	size_t i;

	(void)state;
	fill(&s);
	s.n_rules = METRICS_MAX_RULES;
	for (i = 0; i < METRICS_MAX_RULES; i++) {
		memset(s.rules[i].name, '"', sizeof(s.rules[i].name) - 1);
		snprintf(s.rules[i].priority, sizeof(s.rules[i].priority), "Informational");
		s.rules[i].alerts = UINT64_MAX;
		s.rules[i].suppressed = UINT64_MAX;
	}
	assert_true(metrics_render(&s, 0, buf, sizeof(buf)) > 0);
}

static void test_healthy(void **state)
{
	struct metrics_snapshot s;
	char why[128];
	uint64_t t = 1000ULL * 1000000000ULL;

	(void)state;
	memset(&s, 0, sizeof(s));
	s.attached = true;
	s.last_poll_ns = t;
	assert_true(metrics_healthy(&s, t + 10ULL * 1000000000ULL, 10, why, sizeof(why)));
	assert_false(metrics_healthy(&s, t + 10ULL * 1000000000ULL + 1, 10, why, sizeof(why)));
	assert_non_null(strstr(why, "not polled"));
	s.attached = false;
	assert_false(metrics_healthy(&s, t, 10, why, sizeof(why)));
	assert_non_null(strstr(why, "not attached"));
	s.attached = true;
	s.last_poll_ns = 0;
	assert_false(metrics_healthy(&s, t, 10, why, sizeof(why)));
}

static void test_parse_addr(void **state)
{
	struct sockaddr_storage ss;
	socklen_t len;
	const char *bad[] = {"",
			     "9376",
			     "127.0.0.1",
			     "127.0.0.1:",
			     "127.0.0.1:65536",
			     "127.0.0.1:-1",
			     "localhost:9376",
			     "::1:9376",
			     "[::1]9376",
			     "[::1]:x",
			     "1.2.3.4:80x",
			     "[127.0.0.1]:80"};
	size_t i;

	(void)state;
	assert_int_equal(metrics_parse_addr("127.0.0.1:9376", &ss, &len), 0);
	assert_int_equal(ss.ss_family, AF_INET);
	assert_int_equal(ntohs(((struct sockaddr_in *)&ss)->sin_port), 9376);
	assert_int_equal(metrics_parse_addr("[::1]:80", &ss, &len), 0);
	assert_int_equal(ss.ss_family, AF_INET6);
	assert_int_equal(ntohs(((struct sockaddr_in6 *)&ss)->sin6_port), 80);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (metrics_parse_addr(bad[i], &ss, &len) != -EINVAL)
			fail_msg("accepted '%s'", bad[i]);
}

/* ---- the server ---- */

struct ctx {
	struct metrics_snapshot snap;
	int rc;
	int calls;
};

static int snapshot_cb(void *arg, struct metrics_snapshot *out)
{
	struct ctx *c = arg;

	c->calls++;
	*out = c->snap;
	return c->rc;
}

static int http_get(int family, int port, const char *req, char *resp, size_t len)
{
	struct sockaddr_storage ss = {0};
	socklen_t sl;
	size_t n = 0;
	int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0), code = -1;

	assert_true(fd >= 0);
	if (family == AF_INET) {
		struct sockaddr_in *in = (struct sockaddr_in *)&ss;

		in->sin_family = AF_INET;
		in->sin_port = htons(port);
		in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		sl = sizeof(*in);
	} else {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;

		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(port);
		in6->sin6_addr = in6addr_loopback;
		sl = sizeof(*in6);
	}
	assert_int_equal(connect(fd, (struct sockaddr *)&ss, sl), 0);
	assert_int_equal(write(fd, req, strlen(req)), (ssize_t)strlen(req));
	for (;;) {
		ssize_t k = read(fd, resp + n, len - 1 - n);

		if (k <= 0)
			break;
		n += k;
	}
	resp[n] = '\0';
	close(fd);
	sscanf(resp, "HTTP/1.1 %d", &code);
	return code;
}

static const char *body_of(const char *resp)
{
	const char *b = strstr(resp, "\r\n\r\n");

	assert_non_null(b);
	return b + 4;
}

static void test_server_metrics_and_health(void **state)
{
	static struct ctx c;
	static struct parsed p;
	static char resp[32768];
	struct metrics_server *m;
	char err[256];
	int port;

	(void)state;
	fill(&c.snap);
	assert_int_equal(
		WITH_ERR(metrics_server_start("127.0.0.1:0", 5, snapshot_cb, &c, &m, &serr)), 0);
	port = metrics_server_port(m);
	assert_true(port > 0);

	assert_int_equal(http_get(AF_INET, port, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", resp,
				  sizeof(resp)),
			 200);
	assert_non_null(strstr(resp, "Content-Type: text/plain; version=0.0.4"));
	assert_int_equal(parse_exposition(body_of(resp), &p), 0);
	check_parsed(&p, &c.snap);

	c.snap.last_poll_ns = mono_ns();
	assert_int_equal(
		http_get(AF_INET, port, "GET /healthz HTTP/1.1\r\n\r\n", resp, sizeof(resp)), 200);
	c.snap.attached = false;
	assert_int_equal(
		http_get(AF_INET, port, "GET /healthz HTTP/1.1\r\n\r\n", resp, sizeof(resp)), 503);
	assert_non_null(strstr(body_of(resp), "not attached"));
	c.snap.attached = true;
	c.snap.last_poll_ns = mono_ns() - 6ULL * 1000000000ULL; /* older than 5 s */
	assert_int_equal(
		http_get(AF_INET, port, "GET /healthz HTTP/1.1\r\n\r\n", resp, sizeof(resp)), 503);
	assert_non_null(strstr(body_of(resp), "not polled"));

	assert_int_equal(http_get(AF_INET, port, "GET /other HTTP/1.1\r\n\r\n", resp, sizeof(resp)),
			 404);
	assert_int_equal(
		http_get(AF_INET, port, "POST /metrics HTTP/1.1\r\n\r\n", resp, sizeof(resp)), 405);
	c.rc = -EIO;
	assert_int_equal(
		http_get(AF_INET, port, "GET /metrics HTTP/1.1\r\n\r\n", resp, sizeof(resp)), 500);
	c.rc = 0;
	/* A client that stops mid-request is cut off at its deadline; the server goes on. */
	assert_int_equal(http_get(AF_INET, port, "GET /metr", resp, sizeof(resp)), 408);
	assert_int_equal(
		http_get(AF_INET, port, "GET /metrics HTTP/1.1\r\n\r\n", resp, sizeof(resp)), 200);
	metrics_server_stop(m);
}

static void test_server_ipv6_and_errors(void **state)
{
	static struct ctx c;
	static char resp[32768];
	struct metrics_server *m;
	char err[256] = "";
	int fd;

	(void)state;
	fill(&c.snap);
	assert_int_equal(
		WITH_ERR(metrics_server_start("localhost:9376", 5, snapshot_cb, &c, &m, &serr)),
		-EINVAL);
	assert_non_null(strstr(err, "localhost:9376"));
	fd = socket(AF_INET6, SOCK_STREAM, 0);
	if (fd < 0)
		skip();
	close(fd);
	if (WITH_ERR(metrics_server_start("[::1]:0", 5, snapshot_cb, &c, &m, &serr)))
		skip(); /* no IPv6 loopback on this host */
	assert_int_equal(http_get(AF_INET6, metrics_server_port(m), "GET /healthz HTTP/1.1\r\n\r\n",
				  resp, sizeof(resp)),
			 200);
	metrics_server_stop(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_render_parses_back),
		cmocka_unit_test(test_render_max_rules_fits),
		cmocka_unit_test(test_healthy),
		cmocka_unit_test(test_parse_addr),
		cmocka_unit_test(test_server_metrics_and_health),
		cmocka_unit_test(test_server_ipv6_and_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
