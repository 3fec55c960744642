// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "event/session.h"

void session_id_format(char *buf, size_t len, uint32_t pid, uint64_t start_boot_ns)
{
	snprintf(buf, len, "%" PRIu32 "-%" PRIx64, pid, start_boot_ns);
}

static const struct {
	uint32_t bit;
	const char *name;
} names[] = {
	{SS_SESSION_INJECTED, "injected"},
	{SS_SESSION_TTY, "tty"},
	{SS_SESSION_NET, "network"},
};

void session_reasons_format(char *buf, size_t len, uint32_t reasons)
{
	size_t pos = 0;

	buf[0] = 0;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		int n;

		if (!(reasons & names[i].bit))
			continue;
		n = snprintf(buf + pos, len - pos, "%s%s", pos ? "," : "", names[i].name);
		if (n < 0 || (size_t)n >= len - pos)
			return;
		pos += n;
	}
}

int session_reasons_parse(const char *s, uint32_t *out, struct ss_error *err)
{
	uint32_t bits = 0;
	const char *p = s;

	if (!strcmp(s, "none")) {
		*out = 0;
		return 0;
	}
	for (;;) {
		size_t n = strcspn(p, ",");
		uint32_t bit = 0;

		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (strlen(names[i].name) == n && !strncmp(p, names[i].name, n))
				bit = names[i].bit;
		if (!bit)
			return ss_error_set(
				err, -EINVAL,
				"'%.*s' is not injected, tty or network (comma separated), or none",
				(int)(n > 64 ? 64 : n), p);
		bits |= bit;
		if (!p[n])
			break;
		p += n + 1;
	}
	*out = bits;
	return 0;
}

int session_end_decode(const void *data, size_t len, int64_t boot_to_wall_ns,
		       struct session_end *out)
{
	const struct ss_session_end *r = data;

	if (len < offsetof(struct ss_session_end, version) + 4 ||
	    r->header_len != sizeof(struct ss_session_end))
		return -ENOMSG;
	if (len != sizeof(*r) || r->version != SS_EVENT_VERSION)
		return -EBADMSG;
	memset(out, 0, sizeof(*out));
	session_id_format(out->session, sizeof(out->session), r->pid, r->start_ns);
	/* unsigned: a bogus time must not be signed overflow */
	out->start_ns = r->start_ns + (uint64_t)boot_to_wall_ns;
	out->end_ns = r->boot_ns + (uint64_t)boot_to_wall_ns;
	out->cgroup_id = r->cgroup_id;
	out->commands = r->commands;
	out->pid = r->pid;
	out->exit_status = r->exit_code;
	out->capped = r->capped;
	out->untracked = r->untracked;
	out->members = r->members;
	out->pidns_inum = r->pidns_inum;
	return 0;
}

void session_end_how(char *buf, size_t len, uint32_t st)
{
	int sig = st & 0x7f;
	const char *name = sig ? sigabbrev_np(sig) : NULL;

	if (!sig)
		snprintf(buf, len, "exit %u", (st >> 8) & 0xff);
	else
		snprintf(buf, len, "signal %d%s%s%s%s", sig, name ? " (SIG" : "", name ? name : "",
			 name ? ")" : "", (st & 0x80) ? ", core dumped" : "");
}
