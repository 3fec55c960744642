// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * shellsentry: detect shells started inside containers, at exec, in the
 * kernel; alert in Falco's formats. Options, subcommands and wiring only.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report/analyze.h"
#include "compare/compare.h"
#include "cli/config.h"
#include "daemon/daemon.h"
#include "event/fields.h"
#include "lib/version.h"
#include "cli/options.h"
#include "rules/rules.h"

enum exit_code {
	EXIT_OK = 0,
	EXIT_RUNTIME = 1, /* failed while running (BPF, rules at start, sinks) */
	EXIT_USAGE = 2,	  /* bad option or argument */
};

enum long_only {
	OPT_FORMAT = 256,
	OPT_OUTPUT,
	OPT_RULES,
	OPT_VALIDATE,
	OPT_LIST_FIELDS,
	OPT_DISABLE_TAG,
	OPT_MIN_PRIORITY,
	OPT_FALCO_COMPAT,
	OPT_HOOK,
	OPT_BTF,
	OPT_RINGBUF_KIB,
	OPT_STATS_INTERVAL,
	OPT_RATE,
	OPT_BURST,
	OPT_HOSTNAME,
	OPT_NO_STDOUT,
	OPT_SYSLOG,
	OPT_RUNTIME_ROOT,
	OPT_CONFIG,
	OPT_VERSION,
	OPT_HTTP_URL,
	OPT_HTTP_HEADER,
	OPT_METRICS_ADDR,
	OPT_REPORT_DIR,
	OPT_NO_DROP,
};

static const struct option long_opts[] = {
	{"hostname", required_argument, NULL, OPT_HOSTNAME},
	{"format", required_argument, NULL, OPT_FORMAT},
	{"output", required_argument, NULL, OPT_OUTPUT},
	{"no-stdout", no_argument, NULL, OPT_NO_STDOUT},
	{"syslog", no_argument, NULL, OPT_SYSLOG},
	{"rules", required_argument, NULL, OPT_RULES},
	{"validate", no_argument, NULL, OPT_VALIDATE},
	{"list-fields", no_argument, NULL, OPT_LIST_FIELDS},
	{"disable-rule", required_argument, NULL, 'D'},
	{"disable-tag", required_argument, NULL, OPT_DISABLE_TAG},
	{"min-priority", required_argument, NULL, OPT_MIN_PRIORITY},
	{"falco-compat", no_argument, NULL, OPT_FALCO_COMPAT},
	{"hook", required_argument, NULL, OPT_HOOK},
	{"btf", required_argument, NULL, OPT_BTF},
	{"ringbuf-kib", required_argument, NULL, OPT_RINGBUF_KIB},
	{"stats-interval", required_argument, NULL, OPT_STATS_INTERVAL},
	{"rate", required_argument, NULL, OPT_RATE},
	{"burst", required_argument, NULL, OPT_BURST},
	{"runtime-root", required_argument, NULL, OPT_RUNTIME_ROOT},
	{"config", required_argument, NULL, OPT_CONFIG},
	{"http-url", required_argument, NULL, OPT_HTTP_URL},
	{"http-header", required_argument, NULL, OPT_HTTP_HEADER},
	{"metrics-addr", required_argument, NULL, OPT_METRICS_ADDR},
	{"report-dir", required_argument, NULL, OPT_REPORT_DIR},
	{"no-drop-privileges", no_argument, NULL, OPT_NO_DROP},
	{"verbose", no_argument, NULL, 'v'},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, OPT_VERSION},
	{0},
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: shellsentry [OPTIONS]          run the detector (root)\n"
		"       shellsentry analyze [--help] [FILE|-]   reports from JSON alerts\n"
		"       shellsentry compare --falco F --ours O  compare with Falco's alerts\n"
		"\n"
		"Detects shells started inside containers at exec, in the kernel, and writes\n"
		"alerts in Falco's JSON (default) or text format.\n"
		"\n"
		"Output:\n"
		"  --hostname NAME       host name in alerts (default: $NODE_NAME, else uname)\n"
		"  --format json|text    alert format for stdout and --output (default json)\n"
		"  --output FILE         also append alerts to FILE (reopened on SIGHUP)\n"
		"  --no-stdout           do not write alerts to stdout\n"
		"  --syslog              also send alerts to syslog (/dev/log)\n"
		"  --http-url URL        also POST each alert's JSON to URL (falcosidekick)\n"
		"  --http-header 'N: V'  extra webhook header (repeatable)\n"
		"  --report-dir DIR      write a Markdown analysis report per incident\n"
		"  --rate R, --burst B   per-rule limit: R alerts/s, bursts of B\n"
		"Rules:\n"
		"  --rules PATH          rules file or folder of *.yaml (repeatable;\n"
		"                        default: the shipped shellsentry_rules.yaml)\n"
		"  -D, --disable-rule G  disable rules whose name matches glob G (repeatable)\n"
		"  --disable-tag TAG     disable rules with TAG (repeatable)\n"
		"  --min-priority P      load only rules at priority P or more severe\n"
		"  --falco-compat        skip rules using fields shellsentry lacks, with a "
		"warning\n"
		"  --validate            check the rules and exit (no BPF, no root needed)\n"
		"  --list-fields         list the supported fields and exit\n"
		"Kernel:\n"
		"  --hook auto|tp_btf|tracepoint   exec hook (default auto: tp_btf, else "
		"tracepoint)\n"
		"  --btf PATH            kernel BTF file, when /sys/kernel/btf/vmlinux is missing\n"
		"  --ringbuf-kib N       ring buffer size in KiB (default 1024)\n"
		"Context:\n"
		"  --runtime-root DIR    prefix of the runtime state folders (default /)\n"
		"Operations:\n"
		"  --config FILE         YAML config (default " CONFIG_DEFAULT_PATH
		" if present);\n"
		"                        command-line options override it\n"
		"  --metrics-addr A:P    Prometheus /metrics and /healthz (default "
		"127.0.0.1:9376;\n"
		"                        '' turns it off)\n"
		"  --no-drop-privileges  keep every capability after attaching\n"
		"Other:\n"
		"  --stats-interval N    print counters to stderr every N seconds\n"
		"  -v, --verbose         libbpf debug output and filter details\n"
		"  -h, --help            this help\n"
		"  --version             print the version and the commit it was built from\n"
		"\n"
		"Signals: SIGHUP reloads rules (the old ones stay on error) and reopens --output;\n"
		"SIGINT/SIGTERM drain the ring buffer, print counters and exit 0.\n"
		"Exit codes: 0 success, 1 runtime failure or invalid rules, 2 bad usage.\n");
}

void options_defaults(struct options *o)
{
	const char *node = getenv("NODE_NAME");

	memset(o, 0, sizeof(*o));
	if (node && *node)
		snprintf(o->hostname, sizeof(o->hostname), "%s", node);
	else if (gethostname(o->hostname, sizeof(o->hostname) - 1))
		snprintf(o->hostname, sizeof(o->hostname), "unknown");
	o->format = FMT_JSON;
	o->stdout_enabled = true;
	o->min_priority = PRIO_DEBUG;
	o->hook = HOOK_AUTO;
	o->ringbuf_kib = 1024;
	o->rate_burst = 10;
	o->http.timeout_ms = 5000;
	o->http.queue_max = 1000;
	o->drop_privileges = true;
	snprintf(o->metrics_addr, sizeof(o->metrics_addr), "127.0.0.1:9376");
}

static int parse_uint(const char *opt, const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v > max || s[0] == '-') {
		fprintf(stderr, "shellsentry: %s: invalid number '%s' (0..%lu)\n", opt, s, max);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

static int add_list(const char *opt, char *list, size_t width, size_t *n, const char *v)
{
	if (*n >= OPT_MAX_LIST) {
		fprintf(stderr, "shellsentry: %s: at most %d values\n", opt, OPT_MAX_LIST);
		return -E2BIG;
	}
	if (strlen(v) >= width) {
		fprintf(stderr, "shellsentry: %s: value too long\n", opt);
		return -ENAMETOOLONG;
	}
	snprintf(list + *n * width, width, "%s", v);
	(*n)++;
	return 0;
}

static int copy_opt(const char *opt, char *dst, size_t len, const char *v)
{
	if (strlen(v) >= len) {
		fprintf(stderr, "shellsentry: %s: value too long\n", opt);
		return -ENAMETOOLONG;
	}
	snprintf(dst, len, "%s", v);
	return 0;
}

static int parse_args(int argc, char **argv, struct options *o, bool *validate, bool *list_fields)
{
	unsigned long v;
	char *end;
	int c, ret = 0;

	while (!ret && (c = getopt_long(argc, argv, "D:vh", long_opts, NULL)) != -1) {
		switch (c) {
		case OPT_HOSTNAME:
			ret = copy_opt("--hostname", o->hostname, sizeof(o->hostname), optarg);
			break;
		case OPT_FORMAT:
			if (!strcmp(optarg, "json"))
				o->format = FMT_JSON;
			else if (!strcmp(optarg, "text"))
				o->format = FMT_TEXT;
			else {
				fprintf(stderr, "shellsentry: --format: '%s' is not json or text\n",
					optarg);
				ret = -EINVAL;
			}
			break;
		case OPT_OUTPUT:
			ret = copy_opt("--output", o->output_file, sizeof(o->output_file), optarg);
			break;
		case OPT_NO_STDOUT:
			o->stdout_enabled = false;
			break;
		case OPT_SYSLOG:
			o->syslog_enabled = true;
			break;
		case OPT_RULES:
			ret = add_list("--rules", &o->rules[0][0], sizeof(o->rules[0]), &o->n_rules,
				       optarg);
			break;
		case 'D':
			ret = add_list("--disable-rule", &o->disabled_rules[0][0],
				       sizeof(o->disabled_rules[0]), &o->n_disabled_rules, optarg);
			break;
		case OPT_DISABLE_TAG:
			ret = add_list("--disable-tag", &o->disabled_tags[0][0],
				       sizeof(o->disabled_tags[0]), &o->n_disabled_tags, optarg);
			break;
		case OPT_MIN_PRIORITY:
			if (priority_from_string(optarg, &o->min_priority)) {
				fprintf(stderr,
					"shellsentry: --min-priority: unknown priority '%s'\n",
					optarg);
				ret = -EINVAL;
			}
			break;
		case OPT_FALCO_COMPAT:
			o->falco_compat = true;
			break;
		case OPT_VALIDATE:
			*validate = true;
			break;
		case OPT_LIST_FIELDS:
			*list_fields = true;
			break;
		case OPT_HOOK:
			if (!strcmp(optarg, "auto"))
				o->hook = HOOK_AUTO;
			else if (!strcmp(optarg, "tp_btf"))
				o->hook = HOOK_TP_BTF;
			else if (!strcmp(optarg, "tracepoint"))
				o->hook = HOOK_TRACEPOINT;
			else {
				fprintf(stderr,
					"shellsentry: --hook: '%s' is not auto, tp_btf "
					"or tracepoint\n",
					optarg);
				ret = -EINVAL;
			}
			break;
		case OPT_BTF:
			ret = copy_opt("--btf", o->btf_path, sizeof(o->btf_path), optarg);
			break;
		case OPT_RINGBUF_KIB:
			ret = parse_uint("--ringbuf-kib", optarg, 1024 * 1024, &v);
			if (!ret && v < 4) {
				fprintf(stderr, "shellsentry: --ringbuf-kib: at least 4\n");
				ret = -EINVAL;
			}
			o->ringbuf_kib = v;
			break;
		case OPT_STATS_INTERVAL:
			ret = parse_uint("--stats-interval", optarg, 86400, &v);
			o->stats_interval = v;
			break;
		case OPT_RATE:
			errno = 0;
			o->rate_per_sec = strtod(optarg, &end);
			if (errno || end == optarg || *end || o->rate_per_sec < 0) {
				fprintf(stderr, "shellsentry: --rate: invalid rate '%s'\n", optarg);
				ret = -EINVAL;
			}
			break;
		case OPT_BURST:
			ret = parse_uint("--burst", optarg, 1000000, &v);
			o->rate_burst = v;
			break;
		case OPT_CONFIG:
			break; /* read before the other options */
		case OPT_HTTP_URL:
			ret = copy_opt("--http-url", o->http.url, sizeof(o->http.url), optarg);
			break;
		case OPT_HTTP_HEADER:
			if (!strchr(optarg, ':')) {
				fprintf(stderr,
					"shellsentry: --http-header: '%s' is not 'Name: value'\n",
					optarg);
				ret = -EINVAL;
				break;
			}
			ret = add_list("--http-header", &o->http.headers[0][0],
				       sizeof(o->http.headers[0]), &o->http.n_headers, optarg);
			if (!ret && o->http.n_headers >
					    sizeof(o->http.headers) / sizeof(o->http.headers[0])) {
				fprintf(stderr, "shellsentry: --http-header: too many\n");
				ret = -E2BIG;
			}
			break;
		case OPT_METRICS_ADDR:
			ret = copy_opt("--metrics-addr", o->metrics_addr, sizeof(o->metrics_addr),
				       optarg);
			break;
		case OPT_REPORT_DIR:
			ret = copy_opt("--report-dir", o->report_dir, sizeof(o->report_dir),
				       optarg);
			break;
		case OPT_NO_DROP:
			o->drop_privileges = false;
			break;
		case OPT_RUNTIME_ROOT:
			ret = copy_opt("--runtime-root", o->runtime_root, sizeof(o->runtime_root),
				       optarg);
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'h':
			usage(stdout);
			exit(EXIT_OK);
		case OPT_VERSION:
			printf("shellsentry %s (commit %s)\n", ss_version(), ss_commit());
			exit(EXIT_OK);
		default:
			ret = -EINVAL;
		}
	}
	if (!ret && optind < argc) {
		fprintf(stderr, "shellsentry: unexpected argument '%s'\n", argv[optind]);
		ret = -EINVAL;
	}
	return ret;
}

/*
 * The config file comes first so the command line overrides it. The
 * default path is optional; a named file must exist.
 */
static int load_config(int argc, char **argv, struct options *o)
{
	const char *path = NULL;
	char err[512];
	int ret;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--config") && i + 1 < argc)
			path = argv[++i];
		else if (!strncmp(argv[i], "--config=", 9))
			path = argv[i] + 9;
		else if (!strcmp(argv[i], "--"))
			break;
	}
	ret = config_load_file(path ? path : CONFIG_DEFAULT_PATH, o, err, sizeof(err));
	if (ret == -ENOENT && !path)
		return 0;
	if (ret) {
		fprintf(stderr, "shellsentry: %s\n", err);
		return ret;
	}
	return 0;
}

static void list_fields(void)
{
	static const char *const type_names[] = {"string", "int", "bool"};

	for (int i = 0; i < F_COUNT; i++) {
		char name[64];

		snprintf(name, sizeof(name), "%s%s", field_table[i].name,
			 field_table[i].indexed ? "[N]" : "");
		printf("%-30s %-7s %s\n", name, type_names[field_table[i].type],
		       field_table[i].desc);
	}
}

static int validate(const struct options *o)
{
	struct ruleset *rs = NULL;
	struct rules_summary s;

	if (daemon_load_rules(o, &rs, stderr))
		return EXIT_RUNTIME;
	ruleset_get_summary(rs, &s);
	printf("rules: %zu loaded, %zu disabled, %zu skipped (unsupported fields); "
	       "macros: %zu; lists: %zu\n",
	       s.rules, s.disabled, s.skipped, s.macros, s.lists);
	ruleset_free(rs);
	return EXIT_OK;
}

static int saved_argc;
static char **saved_argv;

/* The config file the options came from ("" when none was read). */
static void config_path_of(int argc, char **argv, char *buf, size_t len)
{
	const char *path = CONFIG_DEFAULT_PATH;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--config") && i + 1 < argc)
			path = argv[++i];
		else if (!strncmp(argv[i], "--config=", 9))
			path = argv[i] + 9;
		else if (!strcmp(argv[i], "--"))
			break;
	}
	snprintf(buf, len, "%s", access(path, F_OK) ? "" : path);
}

/* A reload reads the options exactly as the start did: config file, then argv. */
static int reparse(void *ctx, struct options *out)
{
	bool v = false, l = false;

	(void)ctx;
	options_defaults(out);
	if (load_config(saved_argc, saved_argv, out))
		return -EINVAL;
	optind = 0; /* getopt starts over */
	return parse_args(saved_argc, saved_argv, out, &v, &l) ? -EINVAL : 0;
}

int main(int argc, char **argv)
{
	static char config_path[1024];
	struct daemon_hooks hooks = {.reparse = reparse};
	struct options o;
	bool do_validate = false, do_list_fields = false;

	if (argc > 1 && !strcmp(argv[1], "analyze"))
		return analyze_main(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "compare"))
		return compare_main(argc - 1, argv + 1);
	options_defaults(&o);
	if (load_config(argc, argv, &o))
		return EXIT_USAGE;
	if (parse_args(argc, argv, &o, &do_validate, &do_list_fields)) {
		fprintf(stderr, "Try 'shellsentry --help'.\n");
		return EXIT_USAGE;
	}
	if (do_list_fields) {
		list_fields();
		return EXIT_OK;
	}
	if (do_validate)
		return validate(&o);
	saved_argc = argc;
	saved_argv = argv;
	config_path_of(argc, argv, config_path, sizeof(config_path));
	hooks.config_path = config_path[0] ? config_path : NULL;
	return daemon_run(&o, &hooks);
}
