/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The HTTP/1.x request head the metrics server accepts, parsed from the bytes
 * a client has sent so far: a pure function, fuzzed (tests/fuzz/
 * fuzz_http_request.c). Anyone who can reach the port writes these bytes.
 */
#ifndef SS_HTTP_REQUEST_H
#define SS_HTTP_REQUEST_H

#include <stddef.h>

#define HTTP_REQUEST_MAX 4096 /* request line and headers */
#define HTTP_PATH_MAX 128

enum http_method { HTTP_GET = 0, HTTP_HEAD, HTTP_OTHER };

struct http_request {
	enum http_method method;
	char path[HTTP_PATH_MAX]; /* "/metrics": the target without its query */
};

/*
 * 1 when buf[0..len) holds a complete request head (req filled), 0 when more
 * bytes are needed, -E2BIG when the head would exceed HTTP_REQUEST_MAX or the
 * path HTTP_PATH_MAX, -EBADMSG when the request line is malformed (decided as
 * soon as the line is complete, so garbage is refused at once).
 */
int http_request_parse(const char *buf, size_t len, struct http_request *req);

#endif /* SS_HTTP_REQUEST_H */
