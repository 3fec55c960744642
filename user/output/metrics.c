/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/metrics.h"

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
	scalar(&o, "shellsentry_exe_sightings_total", "counter",
	       "First execs of a file without a verdict, sent to be judged by content.",
	       s->exe_sightings);
	scalar(&o, "shellsentry_exe_pending_hits_total", "counter",
	       "Execs of a file sent and not judged yet (not sent again).", s->exe_pending_hits);
	scalar(&o, "shellsentry_exe_shell_hits_total", "counter",
	       "Execs wanted in the kernel by their file's shell verdict.", s->exe_shell_hits);
	scalar(&o, "shellsentry_exe_rejected_hits_total", "counter",
	       "Execs rejected in the kernel by their file's not-a-shell verdict.",
	       s->exe_rejected_hits);
	scalar(&o, "shellsentry_exe_limited_total", "counter",
	       "First sightings over the kernel's rate limit (not sent).", s->exe_limited);
	scalar(&o, "shellsentry_exe_judged_total", "counter",
	       "Files judged by content (verdict written to the kernel).", s->exe_judged);
	scalar(&o, "shellsentry_exe_judged_shells_total", "counter",
	       "Files judged to be a shell or a multicall binary with a shell.",
	       s->exe_judged_shells);
	scalar(&o, "shellsentry_exe_changed_total", "counter",
	       "First sightings not judged: the file changed after the exec or while read.",
	       s->exe_changed);
	scalar(&o, "shellsentry_exe_gone_total", "counter",
	       "First sightings not judged: file and process gone.", s->exe_gone);
	scalar(&o, "shellsentry_exe_refused_total", "counter",
	       "First sightings the judge's queue refused (rules saw them unjudged).",
	       s->exe_refused);
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
