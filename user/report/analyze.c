/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/args.h"
#include "lib/paths.h"
#include "output/alert_json.h"
#include "report/analyze.h"
#include "report/incident.h"
#include "report/kb.h"
#include "report/report.h"

struct analyze {
	const char *out_dir;
	const char *kb_path;
	const char *input;
	uint64_t window_ns;
	struct kb *kb;
	struct incident_set *set;
	FILE *out, *errf;
	size_t reports, failures;
};

static void usage(FILE *f)
{
	fprintf(f, "usage: shellsentry analyze [--out-dir DIR] [--kb FILE] [--window SEC] "
		   "[FILE|-]\n"
		   "Reads JSON alerts (shellsentry's or Falco's), one per line, and writes one\n"
		   "Markdown report per incident to DIR, or to stdout. An incident is the alerts\n"
		   "of one container on one host no further apart than --window (default 30 s,\n"
		   "the daemon's --report-delay).\n");
}

enum { A_HELP, A_OUT_DIR, A_KB, A_WINDOW };

static const struct arg_spec analyze_args[] = {
	{"help", 'h', false, A_HELP},
	{"out-dir", 0, true, A_OUT_DIR},
	{"kb", 0, true, A_KB},
	{"window", 0, true, A_WINDOW},
	{0},
};

/* 0 to run, 1 after --help, -EINVAL after a message on errf. */
static int parse_args(struct analyze *an, int argc, char **argv)
{
	const char *v;
	struct ss_error err;
	char *end;
	struct args a;
	double sec;
	int id;

	args_init(&a, argc, argv);
	while ((id = args_next(&a, args_spec_lookup, analyze_args, &v, &err)) != ARGS_END) {
		switch (id) {
		case A_HELP:
			usage(an->out);
			return 1;
		case A_OUT_DIR:
			an->out_dir = v;
			break;
		case A_KB:
			an->kb_path = v;
			break;
		case A_WINDOW:
			errno = 0;
			sec = strtod(v, &end);
			if (errno || end == v || *end || !(sec > 0 && sec <= 86400)) {
				fprintf(an->errf,
					"analyze: option --window: '%s' is not a number of seconds "
					"in (0, 86400]\n",
					v);
				return -EINVAL;
			}
			an->window_ns = (uint64_t)(sec * 1e9);
			break;
		case ARGS_POSITIONAL:
			if (an->input) {
				fprintf(an->errf, "analyze: more than one input file (%s, %s)\n",
					an->input, v);
				return -EINVAL;
			}
			an->input = v;
			break;
		default:
			fprintf(an->errf, "analyze: %s\n", err.msg);
			return -EINVAL;
		}
	}
	return 0;
}

/* --kb, else the knowledge base shipped with the rules (lib/paths.h, as the daemon). */
static int load_kb(struct analyze *an)
{
	char path[PATH_MAX + 64];
	struct ss_error err;
	int ret;

	if (!an->kb_path) {
		paths_data_file(PATHS_KB_FILE, path, sizeof(path));
		if (access(path, R_OK)) {
			fprintf(an->errf,
				"analyze: no knowledge base found at %s (use --kb FILE): reports "
				"will not compare commands with known patterns\n",
				path);
			return 0;
		}
		an->kb_path = path;
	}
	ret = kb_load(an->kb_path, &an->kb, &err);
	if (ret)
		ss_error_print(an->errf, "analyze", &err);
	if (an->kb_path == path)
		an->kb_path = NULL;
	return ret;
}

static void emit(struct analyze *an, struct incident *inc)
{
	char path[4200];
	bool truncated;
	struct mdbuf b;
	int ret;

	if (an->out_dir) {
		ret = report_write_file(an->out_dir, inc, an->kb, 0, path, sizeof(path),
					&truncated);
		if (ret) {
			fprintf(an->errf, "analyze: cannot write a report in %s: %s\n", an->out_dir,
				strerror(-ret));
			an->failures++;
			return;
		}
		fprintf(an->out, "%s\n", path);
		an->reports++;
		return;
	}
	mdbuf_init(&b, 0);
	ret = report_render(inc, an->kb, &b);
	if (ret) {
		fprintf(an->errf, "analyze: cannot render a report: %s\n", strerror(-ret));
		an->failures++;
	} else {
		if (an->reports)
			fputs("\n---\n\n", an->out);
		fwrite(b.data, 1, b.len, an->out);
		an->reports++;
	}
	mdbuf_free(&b);
}

static void drain(struct analyze *an, uint64_t now_ns, bool force)
{
	struct incident *inc;

	while ((inc = incident_take(an->set, now_ns, force))) {
		inc->alerts_only = true;
		emit(an, inc);
		incident_free(inc);
	}
}

int analyze_run(int argc, char **argv, FILE *in, FILE *out, FILE *errf)
{
	struct analyze an = {.out = out, .errf = errf};
	struct alert *a = NULL;
	struct ss_error aerr;
	struct kb_result res;
	bool known[F_COUNT], too_long;
	char *line = NULL;
	size_t len, lineno = 0, bad = 0, alerts = 0;
	uint64_t now = 0;
	FILE *f = NULL;
	int ret;

	ret = parse_args(&an, argc, argv);
	if (ret) {
		if (ret < 0)
			usage(errf);
		return ret < 0 ? 2 : 0;
	}
	ret = load_kb(&an);
	if (ret)
		return 2;
	if (an.input && strcmp(an.input, "-")) {
		f = fopen(an.input, "re");
		if (!f) {
			fprintf(errf, "analyze: cannot open %s: %s\n", an.input, strerror(errno));
			ret = 2;
			goto out;
		}
		in = f;
	}
	line = malloc(ALERT_LINE_MAX + 2);
	a = malloc(sizeof(*a));
	if (!line || !a || incident_set_new(an.window_ns, 0, &an.set)) {
		fprintf(errf, "analyze: out of memory\n");
		ret = 1;
		goto out;
	}
	while (alert_read_line(in, line, ALERT_LINE_MAX + 2, &len, &too_long)) {
		lineno++;
		if (!too_long && !len)
			continue;
		if (too_long)
			ret = alert_from_json(line, ALERT_LINE_MAX + 1, a, &aerr);
		else
			ret = alert_from_json(line, len, a, &aerr);
		if (ret) {
			fprintf(errf, "analyze: %s:%zu: %s\n", an.input ? an.input : "-", lineno,
				aerr.msg);
			bad++;
			continue;
		}
		alerts++;
		alert_known_mask(a, known);
		kb_match(an.kb, &a->ev, known, &res);
		if (incident_add(an.set, a, &res)) {
			fprintf(errf, "analyze: out of memory\n");
			ret = 1;
			goto out;
		}
		if (a->ev.time_ns > now)
			now = a->ev.time_ns;
		drain(&an, now, false);
	}
	if (ferror(in)) {
		fprintf(errf, "analyze: read error on %s\n", an.input ? an.input : "stdin");
		bad++;
	}
	drain(&an, now, true);
	fflush(out);
	fprintf(errf, "analyze: %zu alerts, %zu reports, %zu lines skipped\n", alerts, an.reports,
		bad);
	ret = bad || an.failures ? 1 : 0;
out:
	if (f)
		fclose(f);
	free(line);
	free(a);
	incident_set_free(an.set);
	kb_free(an.kb);
	return ret;
}

int analyze_main(int argc, char **argv)
{
	return analyze_run(argc, argv, stdin, stdout, stderr);
}
