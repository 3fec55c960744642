/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Timestamps lines as they arrive on stdin (CLOCK_REALTIME, at the read()
 * that completed the line).
 *
 *   line_clock stamp              copy each line to stdout as "<ns> <line>"
 *   line_clock latency [-o FILE] [-m MARKER] [-l FILE]
 *                                 read shellsentry's JSON alerts; copy them to
 *                                 FILE (-o); at EOF print one JSON object: lines,
 *                                 first/last arrival and exec -> arrival
 *                                 latency percentiles (the alert's "time");
 *                                 -m: sample only lines holding MARKER; -l:
 *                                 append each sample (ns) to FILE, one a line
 *
 * The input is the daemon's output, itself built from hostile argv: lines
 * are bounded (a longer one is counted and skipped) and the "time" key is
 * taken only where the formatter writes it, as the object's last member, so
 * an argument can not forge it (quotes inside strings are escaped).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LINE_MAX_LEN (512 * 1024)
#define MAX_SAMPLES (16u * 1024 * 1024)

struct summary {
	uint64_t lines;
	uint64_t skipped; /* too long or without a usable time */
	int64_t first_ns;
	int64_t last_ns;
	int64_t *lat; /* ns, arrival - alert time */
	size_t n_lat;
	size_t cap_lat;
};

static int64_t realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

/* "2026-11-26T07:59:22.123456789Z" -> ns since the epoch, or -1. */
static int64_t parse_rfc3339_ns(const char *s, size_t len)
{
	struct tm tm = {0};
	int64_t frac = 0, scale = 1000000000;
	size_t i;

	if (len < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':')
		return -1;
	for (i = 0; i < 19; i++)
		if (i != 4 && i != 7 && i != 10 && i != 13 && i != 16 && (s[i] < '0' || s[i] > '9'))
			return -1;
	tm.tm_year = atoi(s) - 1900;
	tm.tm_mon = atoi(s + 5) - 1;
	tm.tm_mday = atoi(s + 8);
	tm.tm_hour = atoi(s + 11);
	tm.tm_min = atoi(s + 14);
	tm.tm_sec = atoi(s + 17);
	i = 19;
	if (i < len && s[i] == '.')
		for (i++; i < len && s[i] >= '0' && s[i] <= '9' && scale > 1; i++) {
			scale /= 10;
			frac += (s[i] - '0') * scale;
		}
	if (i >= len || s[i] != 'Z')
		return -1;
	return (int64_t)timegm(&tm) * 1000000000ll + frac;
}

/* The alert's time: the value of the last member, ',"time":"...Z"}' at the end. */
static int64_t alert_time_ns(const char *line, size_t len)
{
	static const char key[] = ",\"time\":\"";
	const size_t klen = sizeof(key) - 1;

	while (len && (line[len - 1] == '\r' || line[len - 1] == ' '))
		len--;
	if (len < klen + 22 || line[len - 1] != '}' || line[len - 2] != '"')
		return -1;
	for (size_t i = len - 2; i >= klen; i--)
		if (!memcmp(line + i - klen, key, klen))
			return parse_rfc3339_ns(line + i, len - 2 - i);
	return -1;
}

static void add_sample(struct summary *s, int64_t v)
{
	if (s->n_lat == s->cap_lat) {
		size_t cap = s->cap_lat ? s->cap_lat * 2 : 4096;
		int64_t *p;

		if (cap > MAX_SAMPLES)
			return;
		p = realloc(s->lat, cap * sizeof(*p));
		if (!p)
			return;
		s->lat = p;
		s->cap_lat = cap;
	}
	s->lat[s->n_lat++] = v;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of sorted samples. */
static double pct_us(const struct summary *s, double p)
{
	size_t k;

	if (!s->n_lat)
		return -1;
	k = (size_t)(p / 100.0 * (double)s->n_lat + 0.999999);
	if (k < 1)
		k = 1;
	if (k > s->n_lat)
		k = s->n_lat;
	return (double)s->lat[k - 1] / 1000.0;
}

struct latency_opts {
	FILE *copy;
	FILE *samples;
	const char *marker;
};

static void on_line(struct summary *s, const char *line, size_t len, int64_t t, int stamp,
		    const struct latency_opts *o)
{
	int64_t at;

	if (stamp) {
		printf("%lld %.*s\n", (long long)t, (int)len, line);
		fflush(stdout);
		return;
	}
	if (!s->lines)
		s->first_ns = t;
	s->last_ns = t;
	s->lines++;
	if (o->copy)
		fprintf(o->copy, "%.*s\n", (int)len, line);
	if (o->marker && !memmem(line, len, o->marker, strlen(o->marker)))
		return;
	at = alert_time_ns(line, len);
	if (at < 0) {
		s->skipped++;
		return;
	}
	add_sample(s, t - at);
	if (o->samples)
		fprintf(o->samples, "%lld\n", (long long)(t - at));
}

static void print_summary(struct summary *s)
{
	qsort(s->lat, s->n_lat, sizeof(*s->lat), cmp_i64);
	printf("{\"lines\":%llu,\"skipped\":%llu,\"samples\":%zu,\"first_ns\":%lld,"
	       "\"last_ns\":%lld,\"p50_us\":%.1f,\"p90_us\":%.1f,\"p99_us\":%.1f,"
	       "\"max_us\":%.1f}\n",
	       (unsigned long long)s->lines, (unsigned long long)s->skipped, s->n_lat,
	       (long long)s->first_ns, (long long)s->last_ns, pct_us(s, 50), pct_us(s, 90),
	       pct_us(s, 99), pct_us(s, 100));
}

static FILE *open_out(const char *path, const char *mode)
{
	FILE *f = fopen(path, mode);

	if (!f)
		fprintf(stderr, "line_clock: %s: %s\n", path, strerror(errno));
	else
		setvbuf(f, NULL, _IOLBF, 0);
	return f;
}

int main(int argc, char **argv)
{
	struct summary s = {0};
	struct latency_opts o = {0};
	char *buf = NULL;
	size_t used = 0;
	int stamp, rc = 1;
	int too_long = 0;

	if (argc == 2 && !strcmp(argv[1], "stamp")) {
		stamp = 1;
	} else if (argc >= 2 && !strcmp(argv[1], "latency") && argc % 2 == 0) {
		stamp = 0;
		for (int i = 2; i < argc; i += 2) {
			const char *opt = argv[i], *val = argv[i + 1];

			if (!strcmp(opt, "-o") && !o.copy) {
				o.copy = open_out(val, "w");
				if (!o.copy)
					goto out;
			} else if (!strcmp(opt, "-l") && !o.samples) {
				o.samples = open_out(val, "a");
				if (!o.samples)
					goto out;
			} else if (!strcmp(opt, "-m") && !o.marker && val[0]) {
				o.marker = val;
			} else {
				goto usage;
			}
		}
	} else {
		goto usage;
	}
	buf = malloc(LINE_MAX_LEN);
	if (!buf)
		goto out;
	for (;;) {
		ssize_t n = read(STDIN_FILENO, buf + used, LINE_MAX_LEN - used);
		int64_t t = realtime_ns();
		char *start = buf, *nl;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, "line_clock: read: %s\n", strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		used += (size_t)n;
		while ((nl = memchr(start, '\n', used - (size_t)(start - buf)))) {
			if (too_long)
				too_long = 0;
			else
				on_line(&s, start, (size_t)(nl - start), t, stamp, &o);
			start = nl + 1;
		}
		used -= (size_t)(start - buf);
		memmove(buf, start, used);
		if (used == LINE_MAX_LEN) {
			/* Drop the head of an over-long line and the rest up to its newline. */
			s.skipped++;
			too_long = 1;
			used = 0;
		}
	}
	if (used && !too_long)
		on_line(&s, buf, used, realtime_ns(), stamp, &o);
	if (!stamp)
		print_summary(&s);
	rc = 0;
out:
	if (o.copy)
		fclose(o.copy);
	if (o.samples)
		fclose(o.samples);
	free(buf);
	free(s.lat);
	return rc;
usage:
	fprintf(stderr, "usage: line_clock stamp | line_clock latency [-o FILE] [-m MARKER] "
			"[-l FILE]\n");
	rc = 2;
	goto out;
}
