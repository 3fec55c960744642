// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Replay of recorded ring-buffer records through the product's pipeline:
 * record -> event_decode -> container id from the cgroup name (the pure
 * part of enrichment: no runtime state, no /proc) -> every matching rule ->
 * the alert renderer, JSON and text. Host name and clock are fixed, so the
 * output depends on the code and the recording only.
 *
 *   replay_alerts RECORDS.jsonl RULES_FILE... > alerts.txt
 *
 * Per record: "# record N: K alerts" (or the decode error), then for each
 * matching rule its JSON line and its text line.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/alert_render.h"
#include "context/container_id.h"
#include "context/passwd.h"
#include "kernel/event_decode.h"
#include "event_json.h"
#include "rules/rules.h"

#define MAX_MATCHES 32
/* 2026-01-01T00:00:00Z minus nothing: boot time is the recording's. */
#define REPLAY_BOOT_TO_WALL_NS 1767225600000000000LL
#define REPLAY_HOSTNAME "replay-host"
/* Every capability up to CAP_CHECKPOINT_RESTORE (40): the privileged test without /proc. */
#define REPLAY_CAP_FULL ((1ULL << 41) - 1)
#define LINE_MAX_BYTES (1 << 20)

/*
 * The part of enrichment that needs nothing but the event, with the
 * enricher's own rules: the id from the cgroup leaf (Falco's "" or "host"
 * without one), privileged from the capabilities, and user.name as for a
 * process already gone.
 */
static void context_from_event(struct exec_event *ev)
{
	struct container_info *c = &ev->container;

	container_info_from_event(ev, c);
	if (c->is_container && container_caps_privileged(ev->cap_effective, REPLAY_CAP_FULL))
		c->privileged = TRI_TRUE;
	snprintf(ev->user_name, sizeof(ev->user_name), "%s", passwd_name_unread(ev->uid));
	snprintf(ev->hostname, sizeof(ev->hostname), "%s", REPLAY_HOSTNAME);
}

static int replay_one(struct alert_renderer *ar, const struct ruleset *rs, unsigned long no,
		      const struct ss_event *rec, size_t len, struct exec_event *ev)
{
	const struct rule *m[MAX_MATCHES];
	struct alert_out out;
	size_t n;
	int ret;

	ret = event_decode(rec, len, REPLAY_BOOT_TO_WALL_NS, ev);
	if (ret) {
		printf("# record %lu: decode error %d\n", no, ret);
		return 0;
	}
	context_from_event(ev);
	n = ruleset_eval(rs, ev, m, MAX_MATCHES);
	alert_renderer_next_event(ar);
	printf("# record %lu: %zu alerts\n", no, n);
	for (size_t i = 0; i < n; i++) {
		ret = alert_renderer_render(ar, m[i], ev, 0, &out);
		if (ret) {
			fprintf(stderr, "replay: record %lu: rule %s: %s\n", no, rule_name(m[i]),
				strerror(-ret));
			return ret;
		}
		fwrite(out.json, 1, out.json_len, stdout);
		putchar('\n');
		fwrite(out.text, 1, out.text_len, stdout);
		putchar('\n');
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct rules_options ro = {.min_priority = PRIO_DEBUG};
	struct alert_renderer ar = {0};
	struct ss_error rerr = {0};
	struct ruleset *rs = NULL;
	struct exec_event *ev = NULL;
	struct ss_event *rec = NULL;
	char *line = NULL, err[256];
	unsigned long no = 0;
	FILE *in = NULL;
	int rc = 1;

	if (argc < 3) {
		fprintf(stderr, "usage: replay_alerts RECORDS.jsonl RULES_FILE...\n");
		return 2;
	}
	in = fopen(argv[1], "re");
	if (!in) {
		fprintf(stderr, "replay: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	if (ruleset_load((const char *const *)argv + 2, (size_t)(argc - 2), &ro, &rs, &rerr,
			 stderr)) {
		ss_error_print(stderr, "replay", &rerr);
		goto out;
	}
	ev = calloc(1, sizeof(*ev));
	rec = calloc(1, sizeof(*rec));
	line = malloc(LINE_MAX_BYTES);
	if (!ev || !rec || !line || alert_renderer_init(&ar, true, true)) {
		fprintf(stderr, "replay: out of memory\n");
		goto out;
	}
	while (fgets(line, LINE_MAX_BYTES, in)) {
		int len;

		no++;
		if (!strchr(line, '\n')) {
			fprintf(stderr, "replay: %s:%lu: line too long\n", argv[1], no);
			goto out;
		}
		len = event_json_read(line, rec, err, sizeof(err));
		if (len < 0) {
			fprintf(stderr, "replay: %s:%lu: %s\n", argv[1], no, err);
			goto out;
		}
		if (replay_one(&ar, rs, no, rec, (size_t)len, ev))
			goto out;
	}
	if (!no) {
		fprintf(stderr, "replay: %s: no records\n", argv[1]);
		goto out;
	}
	rc = fflush(stdout) ? 1 : 0;
out:
	if (in)
		fclose(in);
	alert_renderer_free(&ar);
	ruleset_free(rs);
	free(ev);
	free(rec);
	free(line);
	return rc;
}
