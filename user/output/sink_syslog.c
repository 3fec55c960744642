/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Syslog over a local datagram socket, written by hand rather than with
 * syslog(3): the socket path can be pointed at a test listener, sends never
 * block, and the message is escaped here.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "output/sink.h"

#define FACILITY_DAEMON 3

struct syslog_sink {
	int fd;
	struct sockaddr_un addr;
	char ident[64];
	char buf[SINK_SYSLOG_MSG_MAX];
};

static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
				     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

size_t syslog_format(char *buf, size_t len, int facility, int severity, const struct tm *tm,
		     const char *ident, pid_t pid, const char *msg, size_t msg_len)
{
	static const char hex[] = "0123456789abcdef";
	size_t n, i;
	int w;

	if (!len)
		return 0;
	if (severity < 0 || severity > 7)
		severity = 7;
	w = snprintf(buf, len, "<%d>%s %2d %02d:%02d:%02d %s[%d]: ", facility * 8 + severity,
		     months[tm->tm_mon % 12], tm->tm_mday, tm->tm_hour, tm->tm_min, tm->tm_sec,
		     ident, (int)pid);
	if (w < 0)
		w = 0;
	n = (size_t)w < len ? (size_t)w : len - 1;
	for (i = 0; i < msg_len; i++) {
		unsigned char c = (unsigned char)msg[i];

		if (c >= 0x20 && c != 0x7f) {
			if (n + 1 >= len)
				break;
			buf[n++] = (char)c;
		} else {
			if (n + 4 >= len)
				break;
			buf[n++] = '\\';
			buf[n++] = 'x';
			buf[n++] = hex[c >> 4];
			buf[n++] = hex[c & 15];
		}
	}
	/* A trailing newline from the formatter is not part of the message. */
	while (n > 0 && buf[n - 1] == '\n')
		n--;
	buf[n] = '\0';
	return n;
}

static int reconnect(struct syslog_sink *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (s->fd < 0)
		return -errno;
	if (connect(s->fd, (struct sockaddr *)&s->addr, sizeof(s->addr)) < 0) {
		int ret = -errno;

		close(s->fd);
		s->fd = -1;
		return ret;
	}
	return 0;
}

int syslog_sink_new(const char *path, const char *ident, struct syslog_sink **out)
{
	struct syslog_sink *s;

	if (strlen(path) >= sizeof(s->addr.sun_path))
		return -ENAMETOOLONG;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->fd = -1;
	s->addr.sun_family = AF_UNIX;
	strcpy(s->addr.sun_path, path);
	snprintf(s->ident, sizeof(s->ident), "%s", ident);
	/* The daemon may start later: a failed connect here is retried on send. */
	reconnect(s);
	*out = s;
	return 0;
}

int syslog_sink_send(struct syslog_sink *s, int severity, const char *msg, size_t len)
{
	struct tm tm;
	time_t now = time(NULL);
	size_t n;
	int attempt, ret = 0;

	localtime_r(&now, &tm);
	n = syslog_format(s->buf, sizeof(s->buf), FACILITY_DAEMON, severity, &tm, s->ident,
			  getpid(), msg, len);
	for (attempt = 0; attempt < 2; attempt++) {
		if (s->fd < 0 || attempt > 0) {
			ret = reconnect(s);
			if (ret)
				continue;
		}
		if (send(s->fd, s->buf, n, MSG_DONTWAIT | MSG_NOSIGNAL) >= 0)
			return 0;
		ret = -errno;
		/* Only a restarted or missing daemon is worth a reconnect. */
		if (ret != -ECONNREFUSED && ret != -ENOTCONN && ret != -ENOENT)
			break;
	}
	return ret;
}

void syslog_sink_free(struct syslog_sink *s)
{
	if (!s)
		return;
	if (s->fd >= 0)
		close(s->fd);
	free(s);
}
