// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "output/http_request.h"

/* Where the head ends (after its empty line), or 0 when it has not yet. */
static size_t head_end(const char *buf, size_t len)
{
	for (size_t i = 0; i + 1 < len; i++) {
		if (buf[i] != '\n')
			continue;
		if (buf[i + 1] == '\n')
			return i + 2;
		if (buf[i + 1] == '\r' && i + 2 < len && buf[i + 2] == '\n')
			return i + 3;
	}
	return 0;
}

static bool is_tchar_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

/* METHOD SP /target SP HTTP/1.d [CR] LF: the one line that decides the answer. */
static int parse_line(const char *p, size_t len, struct http_request *req)
{
	size_t i = 0, m, t, plen;

	while (i < len && is_tchar_upper(p[i]))
		i++;
	if (i == 0 || i > 16 || i >= len || p[i] != ' ')
		return -EBADMSG;
	m = i;
	if (m == 3 && !memcmp(p, "GET", 3))
		req->method = HTTP_GET;
	else if (m == 4 && !memcmp(p, "HEAD", 4))
		req->method = HTTP_HEAD;
	else
		req->method = HTTP_OTHER;
	t = ++i;
	if (i >= len || p[i] != '/')
		return -EBADMSG;
	while (i < len && p[i] > ' ' && p[i] < 0x7f)
		i++;
	if (i >= len || p[i] != ' ')
		return -EBADMSG;
	for (plen = 0; t + plen < i && p[t + plen] != '?'; plen++)
		;
	if (plen >= HTTP_PATH_MAX)
		return -E2BIG;
	memcpy(req->path, p + t, plen);
	req->path[plen] = '\0';
	i++;
	if (len - i < 8 || memcmp(p + i, "HTTP/1.", 7) || p[i + 7] < '0' || p[i + 7] > '9')
		return -EBADMSG;
	i += 8;
	if (i < len && p[i] == '\r')
		i++;
	return i == len ? 0 : -EBADMSG;
}

int http_request_parse(const char *buf, size_t len, struct http_request *req)
{
	const char *nl;
	size_t end;
	int ret;

	if (len > HTTP_REQUEST_MAX)
		len = HTTP_REQUEST_MAX;
	/* Bytes after the head (a body) are not read, so they cannot refuse it. */
	end = head_end(buf, len);
	if (end)
		len = end;
	if (memchr(buf, '\0', len))
		return -EBADMSG;
	nl = memchr(buf, '\n', len);
	if (!nl)
		return len == HTTP_REQUEST_MAX ? -E2BIG : 0;
	ret = parse_line(buf, (size_t)(nl - buf), req);
	if (ret)
		return ret;
	if (!end)
		return len == HTTP_REQUEST_MAX ? -E2BIG : 0;
	return 1;
}
