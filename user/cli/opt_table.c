// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "cli/opt_table.h"
#include "event/session.h"
#include "lib/paths.h"
#include "output/metrics.h"
#include "output/ratelimit.h"

#define F(m) offsetof(struct daemon_options, m)
#define SZ(m) sizeof(((struct daemon_options *)0)->m)
#define STR(m) .kind = OPT_STR, .off = F(m), .size = SZ(m)
#define BOOL(m) .kind = OPT_BOOL, .off = F(m), .size = SZ(m)
#define LIST(m, cnt)                                                                               \
	.kind = OPT_LIST, .off = F(m), .size = SZ(m[0]), .cap = SZ(m) / SZ(m[0]),                  \
	.count_off = F(cnt)
#define NUM(k, m, lo, hi) .kind = k, .off = F(m), .size = SZ(m), .min = lo, .max = hi
#define ENUM(m, table) .kind = OPT_ENUM, .off = F(m), .size = SZ(m), .names = table

/* clang-format off */
const struct opt_def opt_table[] = {
	{ .section = "Output" },
	{ .cli = "hostname", .key = "hostname", STR(hostname), .arg = "NAME",
	  .help = "host name in alerts (default: $NODE_NAME, else uname)" },
	{ .cli = "format", .key = "format", ENUM(sinks.format, alert_format_names),
	  .arg = "json|text", .help = "alert format for stdout and --output (default json)" },
	{ .cli = "output", .key = "output", STR(sinks.output_file), .arg = "FILE",
	  .help = "also append alerts to FILE (reopened on SIGHUP)" },
	{ .cli = "no-stdout", .key = "stdout", BOOL(sinks.stdout_enabled), .flag_value = false,
	  .help = "do not write alerts to stdout" },
	{ .cli = "syslog", .key = "syslog", BOOL(sinks.syslog_enabled), .flag_value = true,
	  .help = "also send alerts to syslog (/dev/log)" },
	{ .key = "http", .kind = OPT_MAP },
	{ .cli = "http-url", .key = "http.url", STR(sinks.http.url), .check = OPT_CHECK_URL,
	  .arg = "URL", .help = "also POST each alert's JSON to URL (falcosidekick)" },
	{ .cli = "http-header", .key = "http.headers",
	  LIST(sinks.http.headers, sinks.http.n_headers), .check = OPT_CHECK_HEADER,
	  .arg = "'N: V'", .help = "extra webhook header (repeatable)" },
	{ .key = "http.timeout_ms", NUM(OPT_LONG, sinks.http.timeout_ms, 1, 600000) },
	{ .key = "http.insecure", BOOL(sinks.http.insecure) },
	{ .key = "http.ca_file", STR(sinks.http.ca_file) },
	{ .key = "http.queue_max", NUM(OPT_SIZE, sinks.http.queue_max, 1, 1000000) },
	{ .cli = "report-dir", .key = "report_dir", STR(report_dir), .arg = "DIR",
	  .help = "write a Markdown analysis report per incident into DIR (created if missing, "
		  "checked at start)" },
	{ .cli = "report-delay", .key = "report_delay", NUM(OPT_UINT, report_delay, 1, 86400),
	  .arg = "SEC", .help = "write an incident's report SEC seconds after its last alert "
				"(default 30; alerts of a container closer than that are one incident)" },
	{ .cli = "rate", .key = "rate", NUM(OPT_DOUBLE, rate_per_sec, 0, RATELIMIT_MAX_RATE),
	  .what = "a rate in 0..1000000 per second", .arg = "R", .help = "per-rule limit: R alerts/s (0: none)" },
	{ .cli = "burst", .key = "burst", NUM(OPT_UINT, rate_burst, 0, 1000000), .arg = "B",
	  .help = "per-rule limit: bursts of B alerts" },

	{ .section = "Rules" },
	{ .cli = "rules", .key = "rules", LIST(rules, n_rules), .arg = "PATH",
	  .help = "rules file, or folder whose *.yaml and *.yml files load in name order (not "
		  "recursive), as Falco's -r; repeatable, in order. Any --rules replaces the "
		  "default rules (the shipped shellsentry_evasion_rules.yaml and "
		  "shellsentry_rules.yaml): name them too to keep them. A knowledge base in a "
		  "folder is not loaded as rules; a folder without rules files is an error" },
	{ .cli = "disable-rule", .short_name = 'D', .key = "disable_rules",
	  LIST(disabled_rules, n_disabled_rules), .arg = "G",
	  .help = "disable rules whose name matches glob G (repeatable)" },
	{ .cli = "disable-tag", .key = "disable_tags", LIST(disabled_tags, n_disabled_tags),
	  .arg = "TAG", .help = "disable rules with TAG (repeatable)" },
	{ .cli = "min-priority", .key = "min_priority", ENUM(min_priority, priority_names),
	  .icase = true, .what = "a priority (emergency .. debug)", .arg = "P", .help = "load only rules at priority P or more severe" },
	{ .cli = "falco-compat", .key = "falco_compat", BOOL(falco_compat), .flag_value = true,
	  .help = "skip rules needing a field Falco has and shellsentry lacks, with a warning "
		  "(a name neither knows stays an error)" },
	{ .cli = "rule-matching", .key = "rule_matching", ENUM(rule_matching, rule_matching_names),
	  .icase = true, .what = "first or all", .arg = "first|all",
	  .help = "first (default, as Falco): one alert per exec, from the first matching rule in "
		  "load order; all: every matching rule" },
	{ .cli = "validate", .kind = OPT_ACTION, .action = OPT_ACT_VALIDATE,
	  .help = "check the rules and exit (no BPF, no root needed)" },
	{ .cli = "list-fields", .kind = OPT_ACTION, .action = OPT_ACT_LIST_FIELDS,
	  .help = "list the supported fields and exit" },

	{ .section = "Kernel" },
	{ .cli = "hook", .key = "hook", ENUM(hook, loader_hook_names), .arg = "auto|tp_btf|tracepoint",
	  .help = "exec hook (default auto: tp_btf, else tracepoint)" },
	{ .cli = "btf", .key = "btf", STR(btf_path), .arg = "PATH",
	  .help = "kernel BTF file, when /sys/kernel/btf/vmlinux is missing" },
	{ .cli = "ringbuf-kib", .key = "ringbuf_kib", NUM(OPT_UINT, ringbuf_kib, 4, 1024 * 1024),
	  .arg = "N", .help = "ring buffer size in KiB (default 1024)" },
	{ .cli = "exe-judge-rate", .key = "exe_judge_rate",
	  NUM(OPT_UINT, exe_judge_rate, 0, 1000000), .arg = "N",
	  .help = "container executables sent to be judged by content: N per second and CPU "
		  "(default 200; 0: none)" },

	{ .section = "Sessions" },
	{ .key = "sessions", .kind = OPT_MAP },
	{ .cli = "session-start", .key = "sessions.start", STR(session_start),
	  .check = OPT_CHECK_SESSION_START, .arg = "LIST",
	  .help = "shells that start a session, whose every command is followed: injected, tty, "
		  "network (comma separated) or none (default " SESSION_START_DEFAULT ")" },
	{ .cli = "session-max-commands", .key = "sessions.max_commands",
	  NUM(OPT_UINT, session_max_commands, 0, 100000000), .arg = "N",
	  .help = "commands shown per session, the rest counted (0: no limit)" },
	{ .cli = "session-rate", .key = "sessions.rate", NUM(OPT_UINT, session_rate, 0, 1000000),
	  .arg = "N", .help = "commands shown per second per session, the rest counted (0: no limit)" },
	{ .cli = "session-max-members", .key = "sessions.max_members",
	  NUM(OPT_UINT, session_max_members, 0, 16384), .arg = "N",
	  .help = "processes followed per session (0: no limit but the kernel map's 16384)" },

	{ .section = "Context" },
	{ .cli = "runtime-root", .key = "runtime_root", STR(runtime_root), .arg = "DIR",
	  .help = "prefix of the runtime state folders (default /)" },

	{ .section = "Operations" },
	{ .cli = "config", .kind = OPT_ACTION, .action = OPT_ACT_CONFIG, .arg = "FILE",
	  .help = "YAML config (default " PATHS_CONFIG_FILE " if present); command-line options "
		  "override it" },
	{ .cli = "metrics-addr", .key = "metrics_addr", STR(metrics_addr),
	  .check = OPT_CHECK_ADDR, .arg = "A:P",
	  .help = "Prometheus /metrics and /healthz (default " METRICS_DEFAULT_ADDR "; '' turns "
		  "it off)" },
	{ .cli = "no-drop-privileges", .key = "drop_privileges", BOOL(drop_privileges),
	  .flag_value = false, .help = "keep every capability after attaching" },

	{ .section = "Other" },
	{ .cli = "stats-interval", .key = "stats_interval", NUM(OPT_UINT, stats_interval, 0, 86400),
	  .arg = "N", .help = "print counters to stderr every N seconds" },
	{ .cli = "verbose", .short_name = 'v', .key = "verbose", BOOL(verbose), .flag_value = true,
	  .help = "libbpf debug output and filter details" },
	{ .cli = "version", .kind = OPT_ACTION, .action = OPT_ACT_VERSION,
	  .help = "print the version and the commit it was built from" },
	{ .cli = "help", .short_name = 'h', .kind = OPT_ACTION, .action = OPT_ACT_HELP,
	  .help = "this help" },
};
/* clang-format on */

const size_t opt_count = sizeof(opt_table) / sizeof(opt_table[0]);
_Static_assert(sizeof(opt_table) / sizeof(opt_table[0]) <= OPT_TABLE_MAX, "OPT_TABLE_MAX");

/* Section headers are no options. */
static bool is_option(const struct opt_def *d)
{
	return !d->section;
}

const struct opt_def *opt_by_cli(const char *name)
{
	for (size_t i = 0; i < opt_count; i++)
		if (is_option(&opt_table[i]) && opt_table[i].cli && !strcmp(opt_table[i].cli, name))
			return &opt_table[i];
	return NULL;
}

const struct opt_def *opt_by_short(char c)
{
	for (size_t i = 0; i < opt_count; i++)
		if (is_option(&opt_table[i]) && c && opt_table[i].short_name == c)
			return &opt_table[i];
	return NULL;
}

const struct opt_def *opt_by_key(const char *key)
{
	for (size_t i = 0; i < opt_count; i++)
		if (is_option(&opt_table[i]) && opt_table[i].key && !strcmp(opt_table[i].key, key))
			return &opt_table[i];
	return NULL;
}

size_t *opt_list_count(const struct opt_def *d, struct daemon_options *o)
{
	return (size_t *)((char *)o + d->count_off);
}

static int check_value(const struct opt_def *d, const char *v, struct ss_error *why)
{
	struct sockaddr_storage ss;
	socklen_t sl;

	switch (d->check) {
	case OPT_CHECK_URL:
		if (*v && !http_url_valid(v))
			return ss_error_set(why, -EINVAL, "'%s' is not an http:// or https:// URL",
					    v);
		break;
	case OPT_CHECK_HEADER:
		if (!http_header_valid(v))
			return ss_error_set(why, -EINVAL,
					    "'%s' is not 'Name: value' (no control characters)", v);
		break;
	case OPT_CHECK_ADDR:
		if (*v && metrics_parse_addr(v, &ss, &sl))
			return ss_error_set(why, -EINVAL, "'%s' is not IPv4:port or [IPv6]:port",
					    v);
		break;
	case OPT_CHECK_SESSION_START: {
		uint32_t bits;

		return session_reasons_parse(v, &bits, why);
	}
	case OPT_CHECK_NONE:
		break;
	}
	return 0;
}

static int parse_bool(const char *v, bool *out)
{
	static const struct name_map bools[] = {
		{1, "true"}, {1, "yes"}, {1, "on"}, {0, "false"}, {0, "no"}, {0, "off"}, {0, NULL},
	};
	int b;

	if (name_find(bools, v, true, &b))
		return -EINVAL;
	*out = b;
	return 0;
}

static int set_number(const struct opt_def *d, void *dst, const char *v, struct ss_error *why)
{
	unsigned long u;
	char *end;
	double x;

	errno = 0;
	if (d->kind == OPT_DOUBLE) {
		x = strtod(v, &end);
		/* nan and inf are numbers to strtod, not rates */
		if (!*v || *end || errno || !isfinite(x) || x < d->min || x > d->max)
			return ss_error_set(why, -EINVAL, "'%s' is not %s", v, d->what);
		*(double *)dst = x;
		return 0;
	}
	u = strtoul(v, &end, 10);
	if (!*v || *end || errno || v[0] == '-' || v[0] == '+' || u < (unsigned long)d->min ||
	    u > (unsigned long)d->max)
		return ss_error_set(why, -EINVAL, "'%s' is not a whole number in %lu..%lu", v,
				    (unsigned long)d->min, (unsigned long)d->max);
	if (d->kind == OPT_UINT)
		*(unsigned *)dst = (unsigned)u;
	else if (d->kind == OPT_SIZE)
		*(size_t *)dst = u;
	else
		*(long *)dst = (long)u;
	return 0;
}

static int set_enum(const struct opt_def *d, void *dst, const char *v, struct ss_error *why)
{
	char choices[128];
	int x;

	if (name_find(d->names, v, d->icase, &x))
		return ss_error_set(why, -EINVAL, "'%s' is not %s", v,
				    d->what ? d->what
					    : name_choices(d->names, choices, sizeof(choices)));
	*(int *)dst = x;
	return 0;
}

int opt_set(const struct opt_def *d, struct daemon_options *o, const char *value,
	    struct ss_error *why)
{
	void *dst = (char *)o + d->off;
	size_t *count;
	int ret;

	switch (d->kind) {
	case OPT_STR:
		if (strlen(value) >= d->size)
			return ss_error_set(why, -ENAMETOOLONG,
					    "value too long (at most %zu bytes)", d->size - 1);
		ret = check_value(d, value, why);
		if (!ret)
			memcpy(dst, value, strlen(value) + 1);
		return ret;
	case OPT_LIST:
		count = opt_list_count(d, o);
		if (*count >= d->cap)
			return ss_error_set(why, -E2BIG, "at most %zu entries", d->cap);
		if (!*value)
			return ss_error_set(why, -EINVAL, "empty value");
		if (strlen(value) >= d->size)
			return ss_error_set(why, -ENAMETOOLONG,
					    "value too long (at most %zu bytes)", d->size - 1);
		ret = check_value(d, value, why);
		if (ret)
			return ret;
		memcpy((char *)dst + *count * d->size, value, strlen(value) + 1);
		(*count)++;
		return 0;
	case OPT_BOOL:
		if (parse_bool(value, dst))
			return ss_error_set(why, -EINVAL, "'%s' is not true or false", value);
		return 0;
	case OPT_UINT:
	case OPT_SIZE:
	case OPT_LONG:
	case OPT_DOUBLE:
		return set_number(d, dst, value, why);
	case OPT_ENUM:
		return set_enum(d, dst, value, why);
	default:
		return ss_error_set(why, -EINVAL, "takes no value");
	}
}

void opt_set_flag(const struct opt_def *d, struct daemon_options *o)
{
	*(bool *)((char *)o + d->off) = d->flag_value;
}

/* text from column indent, broken at spaces before column width */
static void put_wrapped(FILE *f, const char *text, int indent, int width)
{
	int col = indent;

	while (*text) {
		int word = (int)strcspn(text, " ");

		if (col > indent && col + 1 + word > width) {
			fprintf(f, "\n%*s", indent, "");
			col = indent;
		} else if (col > indent) {
			fputc(' ', f);
			col++;
		}
		fprintf(f, "%.*s", word, text);
		col += word;
		text += word;
		text += strspn(text, " ");
	}
	fputc('\n', f);
}

void opt_print_help(FILE *f)
{
	for (size_t i = 0; i < opt_count; i++) {
		const struct opt_def *d = &opt_table[i];
		char left[64];
		int n;

		if (d->section) {
			fprintf(f, "%s:\n", d->section);
			continue;
		}
		if (!d->cli)
			continue;
		if (d->short_name)
			n = snprintf(left, sizeof(left), "-%c, --%s", d->short_name, d->cli);
		else
			n = snprintf(left, sizeof(left), "--%s", d->cli);
		if (d->arg && n > 0 && (size_t)n < sizeof(left))
			snprintf(left + n, sizeof(left) - (size_t)n, " %s", d->arg);
		fprintf(f, "  %-22s", left);
		if (strlen(left) > 21)
			fprintf(f, "\n%24s", "");
		put_wrapped(f, d->help ? d->help : "", 24, 80);
	}
}
