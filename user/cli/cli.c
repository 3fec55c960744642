// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lib/args.h"
#include "cli/cli.h"
#include "cli/config.h"
#include "event/fields.h"
#include "lib/version.h"

static int opt_lookup(const void *ctx, const char *name, size_t name_len, char short_name,
		      bool *has_value)
{
	char buf[64];
	const struct opt_def *d;

	(void)ctx;
	if (name) {
		if (name_len >= sizeof(buf))
			return -1;
		memcpy(buf, name, name_len);
		buf[name_len] = '\0';
		d = opt_by_cli(buf);
	} else {
		d = opt_by_short(short_name);
	}
	if (!d)
		return -1;
	*has_value = (d->kind != OPT_BOOL && d->kind != OPT_ACTION) || d->action == OPT_ACT_CONFIG;
	return (int)(d - opt_table);
}

/* The --config file, if the command line names one: read before the options apply. */
static const char *config_path(int argc, char **argv)
{
	const char *path = NULL, *v;
	struct ss_error why;
	struct args a;
	int id;

	args_init(&a, argc, argv);
	while ((id = args_next(&a, opt_lookup, NULL, &v, &why)) != ARGS_END) {
		if (id == ARGS_ERROR)
			break; /* reported by the second pass */
		if (id >= 0 && opt_table[id].action == OPT_ACT_CONFIG)
			path = v;
	}
	return path;
}

int cli_parse(int argc, char **argv, struct daemon_options *o, enum opt_action *action,
	      struct ss_error *err)
{
	const char *path = config_path(argc, argv), *v;
	struct daemon_options next = *o;
	const struct opt_def *d;
	struct ss_error why;
	struct args a;
	int id, ret;

	*action = OPT_ACT_NONE;
	ret = config_load_file(path ? path : CONFIG_DEFAULT_PATH, &next, err);
	if (ret == -ENOENT && !path)
		ret = 0;
	if (ret)
		return ret;
	args_init(&a, argc, argv);
	while ((id = args_next(&a, opt_lookup, NULL, &v, &why)) != ARGS_END) {
		if (id == ARGS_ERROR) {
			ss_error_set(err, 0, "%s", why.msg);
			return -EINVAL;
		}
		if (id == ARGS_POSITIONAL) {
			ss_error_set(err, 0, "unexpected argument '%s'", v);
			return -EINVAL;
		}
		d = &opt_table[id];
		if (d->kind == OPT_ACTION) {
			/* --help over --list-fields over --validate, whatever the order */
			if (d->action != OPT_ACT_CONFIG && d->action > *action)
				*action = d->action;
			continue;
		}
		if (d->kind == OPT_BOOL) {
			opt_set_flag(d, &next);
			continue;
		}
		ret = opt_set(d, &next, v, &why);
		if (ret) {
			ss_error_set(err, 0, "%s: %s", a.opt, why.msg);
			return ret;
		}
	}
	*o = next;
	return 0;
}

void cli_usage(FILE *f)
{
	fprintf(f, "Usage: shellsentry [OPTIONS]          run the detector (root)\n"
		   "       shellsentry analyze [--help] [FILE|-]   reports from JSON alerts\n"
		   "       shellsentry compare --falco F --ours O  compare with Falco's alerts\n"
		   "\n"
		   "Detects shells started inside containers at exec, in the kernel, and writes\n"
		   "alerts in Falco's JSON (default) or text format.\n"
		   "\n");
	opt_print_help(f);
	fprintf(f,
		"\n"
		"Reload: a change to the config file or a rules file or folder (inotify, also a\n"
		"Kubernetes ConfigMap's ..data swap) reloads the rules; the old ones stay on "
		"error.\n"
		"Signals: SIGHUP reloads the rules too and reopens --output;\n"
		"SIGINT/SIGTERM drain the ring buffer, print counters and exit 0.\n"
		"Exit codes: 0 success, 1 runtime failure or invalid rules, 2 bad usage.\n");
}

int cmd_select(const struct cmd *cmds, int (*dflt)(int argc, char **argv), int argc, char **argv)
{
	if (argc > 1)
		for (; cmds->name; cmds++)
			if (!strcmp(argv[1], cmds->name))
				return cmds->fn(argc - 1, argv + 1);
	return dflt(argc, argv);
}

static int validate(const struct daemon_options *o)
{
	struct ruleset *rs = NULL;
	struct rules_summary s;

	if (daemon_load_rules(o, &rs, stderr))
		return EXIT_RUNTIME;
	ruleset_get_summary(rs, &s);
	printf("rules: %zu loaded, %zu disabled, %zu skipped (unsupported fields or event types); "
	       "macros: %zu; lists: %zu\n",
	       s.rules, s.disabled, s.skipped, s.macros, s.lists);
	ruleset_free(rs);
	return EXIT_OK;
}

static int saved_argc;
static char **saved_argv;

/* A reload reads the options exactly as the start did: config file, then argv. */
static int reparse(void *ctx, struct daemon_options *out)
{
	enum opt_action action;
	struct ss_error err;

	(void)ctx;
	daemon_options_defaults(out);
	if (cli_parse(saved_argc, saved_argv, out, &action, &err)) {
		ss_error_print(stderr, "shellsentry", &err);
		return -EINVAL;
	}
	return 0;
}

int cli_daemon_main(int argc, char **argv)
{
	static struct daemon_options o;
	struct daemon_hooks hooks = {.reparse = reparse};
	enum opt_action action;
	const char *cfg;
	struct ss_error err;

	daemon_options_defaults(&o);
	if (cli_parse(argc, argv, &o, &action, &err)) {
		ss_error_print(stderr, "shellsentry", &err);
		fprintf(stderr, "Try 'shellsentry --help'.\n");
		return EXIT_USAGE;
	}
	switch (action) {
	case OPT_ACT_HELP:
		cli_usage(stdout);
		return EXIT_OK;
	case OPT_ACT_VERSION:
		printf("shellsentry %s (commit %s)\n", ss_version(), ss_commit());
		return EXIT_OK;
	case OPT_ACT_LIST_FIELDS:
		field_print_list(stdout);
		return EXIT_OK;
	case OPT_ACT_VALIDATE:
		return validate(&o);
	default:
		saved_argc = argc;
		saved_argv = argv;
		cfg = config_path(argc, argv);
		if (!cfg && !access(CONFIG_DEFAULT_PATH, F_OK))
			cfg = CONFIG_DEFAULT_PATH;
		hooks.config_path = cfg;
		return daemon_run(&o, &hooks);
	}
}
