/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "lib/args.h"
#include "compare/compare_internal.h"

/*
 * Exec facts both tools can report, in the order differences are printed.
 * Every field shellsentry has whose name Falco knows too, but the event's
 * time and number (matching uses the time; numbers are each tool's own).
 */
const enum field_id cmp_fields[NF] = {
	/* first: what identifies an exec (KEY_*) */
	F_CONTAINER_ID,
	F_PROC_PID,
	F_PROC_CMDLINE,
	F_CONTAINER_FULL_ID,
	F_CONTAINER_NAME,
	F_CONTAINER_IMAGE,
	F_CONTAINER_IMAGE_REPOSITORY,
	F_CONTAINER_IMAGE_TAG,
	F_CONTAINER_PRIVILEGED,
	F_K8S_POD_NAME,
	F_K8S_NS_NAME,
	F_K8S_POD_UID,
	F_K8S_CONTAINER_NAME,
	F_USER_NAME,
	F_USER_UID,
	F_USER_LOGINUID,
	F_GROUP_GID,
	F_PROC_NAME,
	F_PROC_EXE,
	F_PROC_EXEPATH,
	F_PROC_VPID,
	F_PROC_PPID,
	F_PROC_PNAME,
	F_PROC_PCMDLINE,
	F_PROC_PEXE,
	F_PROC_TTY,
	F_PROC_ARGS,
	F_PROC_IS_VPGID_LEADER,
	/* read from the alert's own JSON: the alert reader keeps no value for them */
	F_EVT_TYPE,
	F_EVT_ARG_FLAGS,
};
static void usage(FILE *f)
{
	fprintf(f,
		"usage: shellsentry compare --falco FILE --ours FILE [--window-ms N]\n"
		"                           [--format table|json] [--rule GLOB]... "
		"[--fail-on-diff] [--any-host]\n"
		"Lines up Falco's JSON alerts with shellsentry's, exec by exec (time within\n"
		"the window, host, container id, pid or else command line), and prints matched,\n"
		"only-Falco and only-shellsentry execs, differing fields and rule totals.\n"
		"FILE may be - for stdin (one side only). --rule keeps alerts of matching rules.\n"
		"--any-host matches execs whatever their host names (Falco writes gethostname(),\n"
		"shellsentry --hostname). When execs do not line up, it says why.\n"
		"Exit: 0 compared, 1 differences with --fail-on-diff, 2 usage or unreadable "
		"input.\n");
}

enum { C_HELP, C_FALCO, C_OURS, C_WINDOW_MS, C_FORMAT, C_RULE, C_FAIL_ON_DIFF, C_ANY_HOST };

static const struct arg_spec compare_args[] = {
	{"help", 'h', false, C_HELP},
	{"falco", 0, true, C_FALCO},
	{"ours", 0, true, C_OURS},
	{"window-ms", 0, true, C_WINDOW_MS},
	{"format", 0, true, C_FORMAT},
	{"rule", 0, true, C_RULE},
	{"fail-on-diff", 0, false, C_FAIL_ON_DIFF},
	{"any-host", 0, false, C_ANY_HOST},
	{0},
};

/* 0 to run, 1 after --help, -EINVAL after a message on errf. */
static int parse_args(struct cmp *c, int argc, char **argv)
{
	unsigned long long ms;
	const char *v;
	struct ss_error err;
	char *end;
	struct args a;
	int id;

	args_init(&a, argc, argv);
	while ((id = args_next(&a, args_spec_lookup, compare_args, &v, &err)) != ARGS_END) {
		switch (id) {
		case C_HELP:
			usage(c->out);
			return 1;
		case C_FALCO:
			c->falco_path = v;
			break;
		case C_OURS:
			c->ours_path = v;
			break;
		case C_WINDOW_MS:
			errno = 0;
			ms = strtoull(v, &end, 10);
			if (errno || end == v || *end || v[0] == '-' || ms > 86400000ull) {
				fprintf(c->errf,
					"compare: option --window-ms: '%s' is not a number of "
					"milliseconds in [0, 86400000]\n",
					v);
				return -EINVAL;
			}
			c->window_ns = ms * 1000000ull;
			break;
		case C_FORMAT:
			if (!strcmp(v, "table")) {
				c->format = CMP_TABLE;
			} else if (!strcmp(v, "json")) {
				c->format = CMP_JSON;
			} else {
				fprintf(c->errf,
					"compare: option --format: '%s' is not table or json\n", v);
				return -EINVAL;
			}
			break;
		case C_RULE:
			if (c->nglobs >= MAX_RULE_GLOBS) {
				fprintf(c->errf, "compare: option --rule: at most %d\n",
					MAX_RULE_GLOBS);
				return -EINVAL;
			}
			c->globs[c->nglobs++] = v;
			break;
		case C_FAIL_ON_DIFF:
			c->fail_on_diff = true;
			break;
		case C_ANY_HOST:
			c->any_host = true;
			break;
		case ARGS_POSITIONAL:
			fprintf(c->errf, "compare: unexpected argument '%s'\n", v);
			return -EINVAL;
		default:
			fprintf(c->errf, "compare: %s\n", err.msg);
			return -EINVAL;
		}
	}
	if (!c->falco_path || !c->ours_path) {
		fprintf(c->errf, "compare: both --falco and --ours are needed\n");
		return -EINVAL;
	}
	if (!strcmp(c->falco_path, "-") && !strcmp(c->ours_path, "-")) {
		fprintf(c->errf, "compare: only one of --falco and --ours can be - (stdin)\n");
		return -EINVAL;
	}
	return 0;
}

static void side_free(struct side *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		compare_calert_free(&s->alerts[i]);
	free(s->alerts);
	free(s->execs);
}

int compare_run(int argc, char **argv, FILE *in, FILE *out, FILE *errf)
{
	struct cmp c = {
		.window_ns = COMPARE_WINDOW_MS_DEFAULT * 1000000ull,
		.in = in,
		.out = out,
		.errf = errf,
		.falco = {.label = "falco"},
		.ours = {.label = "shellsentry"},
	};
	int ret;

	ret = parse_args(&c, argc, argv);
	if (ret) {
		if (ret < 0)
			usage(errf);
		return ret < 0 ? 2 : 0;
	}
	c.falco.path = c.falco_path;
	c.ours.path = c.ours_path;
	c.line = malloc(ALERT_LINE_MAX + 2);
	c.alert = malloc(sizeof(*c.alert));
	if (!c.line || !c.alert) {
		fprintf(errf, "compare: out of memory\n");
		ret = 2;
		goto out;
	}
	if (compare_read_side(&c, &c.falco) || compare_read_side(&c, &c.ours)) {
		ret = 2;
		goto out;
	}
	if (compare_group_execs(&c.falco) || compare_group_execs(&c.ours)) {
		fprintf(errf, "compare: out of memory\n");
		ret = 2;
		goto out;
	}
	compare_match_execs(&c);
	if (compare_count_rules(&c)) {
		fprintf(errf, "compare: out of memory\n");
		ret = 2;
		goto out;
	}
	if (c.format == CMP_JSON)
		compare_print_json(&c);
	else
		compare_print_table(&c);
	fflush(out);
	ret = c.fail_on_diff && compare_sides_differ(&c) ? 1 : 0;
out:
	side_free(&c.falco);
	side_free(&c.ours);
	free(c.rules);
	free(c.line);
	free(c.alert);
	return ret;
}

int compare_main(int argc, char **argv)
{
	return compare_run(argc, argv, stdin, stdout, stderr);
}
