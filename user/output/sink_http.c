/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * HTTP(S) webhook: POST each alert's JSON, as falcosidekick expects it.
 * The detection thread only appends to a bounded queue; one sender thread
 * delivers in order, retrying with exponential backoff while the endpoint
 * is down or failing.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "lib/clock.h"
#include "output/sink.h"

#define BACKOFF_MIN_MS 100
#define BACKOFF_MAX_MS 5000
#define QUEUE_MAX_LIMIT 1000000

struct http_item {
	struct http_item *next;
	size_t len;
	char json[];
};

enum send_result { SEND_OK, SEND_RETRY, SEND_REJECTED };

struct http_sink {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond; /* CLOCK_MONOTONIC */
	struct http_item *head, *tail;
	size_t depth, max;
	bool stop;
	struct timespec deadline; /* when stop: give up after this */
	uint64_t sent, failed, dropped;

	CURL *curl;
	struct curl_slist *headers;
	long timeout_ms;
};

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc;

static void curl_init_once(void)
{
	curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

static long ms_until(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (t->tv_sec - now.tv_sec) * 1000L + (t->tv_nsec - now.tv_nsec) / 1000000L;
}

static size_t discard_body(char *ptr, size_t size, size_t nmemb, void *ctx)
{
	(void)ptr;
	(void)ctx;
	return size * nmemb;
}

static enum send_result post_one(struct http_sink *h, const struct http_item *it, long timeout_ms)
{
	const char *body = it->json;
	long code = 0;
	CURLcode rc;

	curl_easy_setopt(h->curl, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(h->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)it->len);
	curl_easy_setopt(h->curl, CURLOPT_TIMEOUT_MS, timeout_ms);
	curl_easy_setopt(h->curl, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
	rc = curl_easy_perform(h->curl);
	if (rc != CURLE_OK)
		return SEND_RETRY;
	curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &code);
	if (code >= 200 && code < 300)
		return SEND_OK;
	/* The endpoint refuses this alert for good; retrying would block the queue. */
	if (code >= 400 && code < 500 && code != 408 && code != 429)
		return SEND_REJECTED;
	return SEND_RETRY;
}

static void *sender_main(void *arg)
{
	struct http_sink *h = arg;
	long backoff = BACKOFF_MIN_MS;

	pthread_mutex_lock(&h->lock);
	for (;;) {
		struct http_item *it;
		enum send_result r;
		long budget = h->timeout_ms;

		while (!h->head && !h->stop)
			pthread_cond_wait(&h->cond, &h->lock);
		if (!h->head)
			break;
		if (h->stop) {
			long left = ms_until(&h->deadline);

			if (left <= 0)
				break;
			if (left < budget)
				budget = left;
		}
		it = h->head; /* stays queued while in flight: nothing lost on failure */
		pthread_mutex_unlock(&h->lock);
		r = post_one(h, it, budget);
		pthread_mutex_lock(&h->lock);
		if (r != SEND_RETRY) {
			h->head = it->next;
			if (!h->head)
				h->tail = NULL;
			h->depth--;
			free(it);
			if (r == SEND_OK) {
				h->sent++;
			} else {
				h->failed++;
				h->dropped++;
			}
			backoff = BACKOFF_MIN_MS;
			continue;
		}
		h->failed++;
		{
			struct timespec until = clock_mono_after_ms(backoff);
			bool was_stop = h->stop;

			if (h->stop && ms_until(&h->deadline) < backoff)
				until = h->deadline;
			while (h->stop == was_stop && ms_until(&until) > 0)
				if (pthread_cond_timedwait(&h->cond, &h->lock, &until) == ETIMEDOUT)
					break;
		}
		backoff = backoff * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : backoff * 2;
	}
	/* Whatever is left could not be delivered in time. */
	while (h->head) {
		struct http_item *it = h->head;

		h->head = it->next;
		h->depth--;
		h->dropped++;
		free(it);
	}
	h->tail = NULL;
	pthread_mutex_unlock(&h->lock);
	return NULL;
}

bool http_url_valid(const char *url)
{
	return !strncmp(url, "http://", 7) || !strncmp(url, "https://", 8);
}

bool http_header_valid(const char *s)
{
	const char *colon = strchr(s, ':');

	if (!colon || colon == s)
		return false;
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 && *s != '\t')
			return false;
	return true;
}

int http_sink_new(const struct http_sink_options *o, struct http_sink **out, struct ss_error *err)
{
	struct http_sink *h;
	pthread_condattr_t ca;
	size_t i;
	int ret = 0;

	if (!http_url_valid(o->url)) {
		ss_error_set(err, 0, "http url '%s': must start with http:// or https://", o->url);
		return -EINVAL;
	}
	if (o->n_headers > sizeof(o->headers) / sizeof(o->headers[0]) ||
	    o->queue_max > QUEUE_MAX_LIMIT || o->timeout_ms < 0) {
		ss_error_set(err, 0, "http: headers, queue_max or timeout_ms out of range");
		return -EINVAL;
	}
	pthread_once(&curl_once, curl_init_once);
	if (curl_init_rc != CURLE_OK) {
		ss_error_set(err, 0, "http: libcurl init failed: %s",
			     curl_easy_strerror(curl_init_rc));
		return -EIO;
	}
	h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	h->max = o->queue_max ? o->queue_max : SINK_HTTP_QUEUE_DEFAULT;
	h->timeout_ms = o->timeout_ms ? o->timeout_ms : SINK_HTTP_TIMEOUT_DEFAULT_MS;
	pthread_mutex_init(&h->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&h->cond, &ca);
	pthread_condattr_destroy(&ca);

	h->curl = curl_easy_init();
	if (!h->curl) {
		ss_error_set(err, 0, "http: curl_easy_init failed");
		ret = -ENOMEM;
		goto err_free;
	}
	for (i = 0; i < o->n_headers; i++) {
		struct curl_slist *n;

		if (!http_header_valid(o->headers[i])) {
			ss_error_set(err, 0, "http header '%s': expected 'Name: value'",
				     o->headers[i]);
			ret = -EINVAL;
			goto err_free;
		}
		n = curl_slist_append(h->headers, o->headers[i]);
		if (!n) {
			ret = -ENOMEM;
			goto err_free;
		}
		h->headers = n;
	}
	/* No "Expect: 100-continue" round trip before each alert. */
	for (i = 0; i < 2; i++) {
		static const char *const fixed[] = {"Content-Type: application/json", "Expect:"};
		struct curl_slist *n = curl_slist_append(h->headers, fixed[i]);

		if (!n) {
			ret = -ENOMEM;
			goto err_free;
		}
		h->headers = n;
	}
	curl_easy_setopt(h->curl, CURLOPT_URL, o->url);
	curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, h->headers);
	curl_easy_setopt(h->curl, CURLOPT_USERAGENT, "shellsentry");
	curl_easy_setopt(h->curl, CURLOPT_NOSIGNAL, 1L); /* threads: no SIGALRM */
	curl_easy_setopt(h->curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h->curl, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h->curl, CURLOPT_WRITEFUNCTION, discard_body);
	if (o->insecure) {
		curl_easy_setopt(h->curl, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(h->curl, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (o->ca_file[0])
		curl_easy_setopt(h->curl, CURLOPT_CAINFO, o->ca_file);

	ret = -pthread_create(&h->thread, NULL, sender_main, h);
	if (ret) {
		ss_error_set(err, 0, "http: cannot start sender thread: %s", strerror(-ret));
		goto err_free;
	}
	*out = h;
	return 0;

err_free:
	curl_slist_free_all(h->headers);
	if (h->curl)
		curl_easy_cleanup(h->curl);
	pthread_cond_destroy(&h->cond);
	pthread_mutex_destroy(&h->lock);
	free(h);
	return ret;
}

bool http_sink_enqueue(struct http_sink *h, const char *json, size_t len)
{
	struct http_item *it;
	bool ok = false;

	pthread_mutex_lock(&h->lock);
	if (h->depth >= h->max || h->stop)
		goto out;
	it = malloc(sizeof(*it) + len + 1);
	if (!it)
		goto out;
	it->next = NULL;
	it->len = len;
	memcpy(it->json, json, len);
	it->json[len] = '\0';
	if (h->tail)
		h->tail->next = it;
	else
		h->head = it;
	h->tail = it;
	h->depth++;
	pthread_cond_signal(&h->cond);
	ok = true;
out:
	if (!ok)
		h->dropped++;
	pthread_mutex_unlock(&h->lock);
	return ok;
}

void http_sink_stats(struct http_sink *h, struct sink_stats *out)
{
	pthread_mutex_lock(&h->lock);
	out->http_sent = h->sent;
	out->http_failed = h->failed;
	out->http_dropped = h->dropped;
	out->http_queue_depth = h->depth;
	pthread_mutex_unlock(&h->lock);
}

void http_sink_free(struct http_sink *h, long drain_ms)
{
	if (!h)
		return;
	pthread_mutex_lock(&h->lock);
	h->stop = true;
	h->deadline = clock_mono_after_ms(drain_ms > 0 ? drain_ms : 0);
	pthread_cond_broadcast(&h->cond);
	pthread_mutex_unlock(&h->lock);
	pthread_join(h->thread, NULL);
	curl_slist_free_all(h->headers);
	curl_easy_cleanup(h->curl);
	pthread_cond_destroy(&h->cond);
	pthread_mutex_destroy(&h->lock);
	free(h);
}
