/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The command line (cli/): the tokenizer, the option table shared with the
 * config file, the subcommand table, and the defects of issue 15 that came
 * from the command line and the config file checking values apart:
 * a 9th --http-header written past the 8 slots, --rate nan accepted,
 * --http-url ftp://x refused only after BPF had loaded.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lib/args.h"
#include "cli/cli.h"
#include "cli/config.h"
#include "tmpdir.h"
#include "errstr.h"

static char dir[256], empty_config[300];

static int setup(void **state)
{
	FILE *f;

	(void)state;
	if (tmpdir_make(dir, sizeof(dir), "test_cli"))
		return -1;
	snprintf(empty_config, sizeof(empty_config), "%s/empty.yaml", dir);
	f = fopen(empty_config, "w");
	if (!f)
		return -1;
	fclose(f);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return tmpdir_remove(dir);
}

/* argv from words; "--config EMPTY" first so the host's own config never leaks in. */
static int parse(struct daemon_options *o, enum opt_action *act, char *err, size_t len, ...)
{
	char *argv[64] = {"shellsentry", "--config", empty_config};
	int argc = 3;
	va_list ap;
	char *w;
	int ret;

	va_start(ap, len);
	while ((w = va_arg(ap, char *)) && argc < 63)
		argv[argc++] = w;
	va_end(ap);
	daemon_options_defaults(o);
	ret = cli_parse(argc, argv, o, act, &serr);
	ss_error_str(&serr, err, len);
	return ret;
}

static void test_http_header_cap(void **state)
{
	static struct daemon_options o;
	enum opt_action act;
	char *argv[32] = {"shellsentry", "--config", empty_config};
	char hdr[9][16], err[256];
	int argc = 3;

	(void)state;
	for (int i = 0; i < 9; i++) {
		snprintf(hdr[i], sizeof(hdr[i]), "X-%d: v", i);
		argv[argc++] = "--http-header";
		argv[argc++] = hdr[i];
	}
	daemon_options_defaults(&o);
	o.sinks.http.timeout_ms = 4242;
	/* eight fit */
	assert_int_equal(WITH_ERR(cli_parse(argc - 2, argv, &o, &act, &serr)), 0);
	assert_int_equal(o.sinks.http.n_headers, SINK_HTTP_MAX_HEADERS);
	assert_string_equal(o.sinks.http.headers[7], "X-7: v");
	/* the ninth is refused before it is written anywhere */
	daemon_options_defaults(&o);
	o.sinks.http.timeout_ms = 4242;
	assert_int_equal(WITH_ERR(cli_parse(argc, argv, &o, &act, &serr)), -E2BIG);
	assert_non_null(strstr(err, "--http-header: at most 8 entries"));
	assert_int_equal(o.sinks.http.n_headers, 0); /* nothing applied */
	assert_int_equal(o.sinks.http.timeout_ms, 4242);
}

static void test_rate_must_be_a_rate(void **state)
{
	static struct daemon_options o;
	static const char *const bad[] = {"nan", "inf", "-1", "1e7", "", "2x"};
	enum opt_action act;
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(parse(&o, &act, err, sizeof(err), "--rate", bad[i], NULL),
				 -EINVAL);
		assert_non_null(strstr(err, "--rate: "));
	}
	assert_int_equal(parse(&o, &act, err, sizeof(err), "--rate", "0.5", NULL), 0);
	assert_true(o.rate_per_sec == 0.5);
}

/* Refused while parsing: before any BPF is loaded. */
static void test_http_url_checked_when_parsed(void **state)
{
	static struct daemon_options o;
	enum opt_action act;
	char err[256];

	(void)state;
	assert_int_equal(parse(&o, &act, err, sizeof(err), "--http-url", "ftp://x", NULL), -EINVAL);
	assert_string_equal(err, "--http-url: 'ftp://x' is not an http:// or https:// URL");
	assert_int_equal(parse(&o, &act, err, sizeof(err), "--metrics-addr", "localhost:1", NULL),
			 -EINVAL);
	assert_int_equal(parse(&o, &act, err, sizeof(err), "--http-header", "A: b\r\nX: y", NULL),
			 -EINVAL);
	assert_int_equal(parse(&o, &act, err, sizeof(err), "--http-url", "https://x/", NULL), 0);
	assert_string_equal(o.sinks.http.url, "https://x/");
}

/* A valid and an invalid value for an entry, by kind. */
static void samples(const struct opt_def *d, const char **good, const char **bad)
{
	static char num[32], over[32];

	*bad = NULL;
	switch (d->kind) {
	case OPT_STR:
		*good = d->check == OPT_CHECK_URL	      ? "http://x/"
			: d->check == OPT_CHECK_ADDR	      ? "127.0.0.1:1"
			: d->check == OPT_CHECK_SESSION_START ? "injected,network"
							      : "abc";
		*bad = d->check == OPT_CHECK_URL ? "gopher://x" : d->check ? "nope" : NULL;
		break;
	case OPT_LIST:
		*good = d->check == OPT_CHECK_HEADER ? "A: b" : "x*";
		*bad = d->check == OPT_CHECK_HEADER ? "NoColon" : NULL;
		break;
	case OPT_ENUM:
		*good = d->names[1].name;
		*bad = "bogus";
		break;
	case OPT_DOUBLE:
		*good = "0.25";
		*bad = "nan";
		break;
	default:
		snprintf(num, sizeof(num), "%lu", (unsigned long)d->max);
		snprintf(over, sizeof(over), "%lu", (unsigned long)d->max + 1);
		*good = num;
		*bad = over;
	}
}

/*
 * Every setting the command line and the config file share takes and
 * refuses the same values, and a taken value lands in the same place.
 */
static void test_command_line_and_config_agree(void **state)
{
	static struct daemon_options by_cli, by_file;
	char err[512], opt[64], yaml[512], path[300];
	enum opt_action act;
	size_t checked = 0;

	(void)state;
	snprintf(path, sizeof(path), "%s/one.yaml", dir);
	for (size_t i = 0; i < opt_count; i++) {
		const struct opt_def *d = &opt_table[i];
		const char *good, *bad, *leaf;
		int rc_cli, rc_file;
		FILE *f;

		if (d->section || !d->cli || !d->key || d->kind == OPT_BOOL)
			continue;
		samples(d, &good, &bad);
		for (int pass = 0; pass < 2; pass++) {
			const char *v = pass ? bad : good;

			if (!v)
				continue;
			snprintf(opt, sizeof(opt), "--%s", d->cli);
			rc_cli = parse(&by_cli, &act, err, sizeof(err), opt, v, NULL);
			leaf = strrchr(d->key, '.');
			if (leaf)
				snprintf(yaml, sizeof(yaml), "%.*s:\n  %s: '%s'\n",
					 (int)(leaf - d->key), d->key, leaf + 1, v);
			else
				snprintf(yaml, sizeof(yaml), "%s: '%s'\n", d->key, v);
			f = fopen(path, "w");
			assert_non_null(f);
			fputs(yaml, f);
			fclose(f);
			daemon_options_defaults(&by_file);
			rc_file = WITH_ERR(config_load_file(path, &by_file, &serr));
			if ((rc_cli == 0) != (rc_file == 0))
				fail_msg("%s '%s': command line %d, config file %d", d->cli, v,
					 rc_cli, rc_file);
			if (!pass && (rc_cli || memcmp(&by_cli, &by_file, sizeof(by_cli))))
				fail_msg("%s '%s': not the same result both ways", d->cli, v);
			if (pass && !rc_cli)
				fail_msg("%s '%s': accepted", d->cli, v);
			checked++;
		}
	}
	assert_true(checked >= 25);
}

static void test_flags_config_and_order(void **state)
{
	static struct daemon_options o;
	enum opt_action act;
	char err[256], path[300];
	char *argv[8];
	FILE *f;

	(void)state;
	assert_int_equal(parse(&o, &act, err, sizeof(err), "--no-stdout", "--syslog",
			       "--falco-compat", "-v", "--no-drop-privileges", NULL),
			 0);
	assert_false(o.sinks.stdout_enabled);
	assert_true(o.sinks.syslog_enabled && o.falco_compat && o.verbose);
	assert_false(o.drop_privileges);
	assert_int_equal(act, OPT_ACT_NONE);
	/* --help over --list-fields over --validate, whatever the order */
	assert_int_equal(parse(&o, &act, err, sizeof(err), "--list-fields", "--validate", NULL), 0);
	assert_int_equal(act, OPT_ACT_LIST_FIELDS);
	assert_int_equal(parse(&o, &act, err, sizeof(err), "--validate", "-h", NULL), 0);
	assert_int_equal(act, OPT_ACT_HELP);
	/* the config file first, the command line over it */
	snprintf(path, sizeof(path), "%s/c.yaml", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("hostname: from-file\nburst: 3\nrules: [/a.yaml]\n", f);
	fclose(f);
	argv[0] = "shellsentry";
	argv[1] = "--hostname=cli";
	argv[2] = "--config";
	argv[3] = path;
	argv[4] = "--rules";
	argv[5] = "/b.yaml";
	daemon_options_defaults(&o);
	assert_int_equal(WITH_ERR(cli_parse(6, argv, &o, &act, &serr)), 0);
	assert_string_equal(o.hostname, "cli");
	assert_int_equal(o.rate_burst, 3);
	assert_int_equal(o.n_rules, 2);
	assert_string_equal(o.rules[1], "/b.yaml");
	/* a broken config file names its position, and nothing is applied */
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("burst: many\n", f);
	fclose(f);
	daemon_options_defaults(&o);
	assert_int_equal(WITH_ERR(cli_parse(4, argv, &o, &act, &serr)), -EINVAL);
	assert_non_null(strstr(err, "c.yaml:1:8: burst: 'many' is not a whole number"));
	assert_int_equal(o.rate_burst, 10);
	assert_int_equal(parse(&o, &act, err, sizeof(err), "stray", NULL), -EINVAL);
	assert_string_equal(err, "unexpected argument 'stray'");
	assert_int_equal(parse(&o, &act, err, sizeof(err), "--hostnam", "x", NULL), -EINVAL);
	assert_string_equal(err, "unknown option '--hostnam'");
}

static void test_tokenizer(void **state)
{
	static const struct arg_spec spec[] = {
		{"name", 'n', true, 1},
		{"flag", 'f', false, 2},
		{"gate", 'g', false, 3},
		{0},
	};
	char *argv[] = {"cmd", "--name=a", "-nb", "-n", "c", "-fg", "-", "--", "--flag", NULL};
	const char *v;
	char err[128];
	struct args a;

	(void)state;
	args_init(&a, 9, argv);
	assert_int_equal(WITH_ERR(args_next(&a, args_spec_lookup, spec, &v, &serr)), 1);
	assert_string_equal(v, "a");
	assert_int_equal(WITH_ERR(args_next(&a, args_spec_lookup, spec, &v, &serr)), 1);
	assert_string_equal(v, "b");
	assert_int_equal(WITH_ERR(args_next(&a, args_spec_lookup, spec, &v, &serr)), 1);
	assert_string_equal(v, "c");
	assert_int_equal(WITH_ERR(args_next(&a, args_spec_lookup, spec, &v, &serr)), 2);
	assert_int_equal(WITH_ERR(args_next(&a, args_spec_lookup, spec, &v, &serr)), 3);
	assert_int_equal(WITH_ERR(args_next(&a, args_spec_lookup, spec, &v, &serr)),
			 ARGS_POSITIONAL);
	assert_string_equal(v, "-");
	assert_int_equal(WITH_ERR(args_next(&a, args_spec_lookup, spec, &v, &serr)),
			 ARGS_POSITIONAL);
	assert_string_equal(v, "--flag");
	assert_int_equal(WITH_ERR(args_next(&a, args_spec_lookup, spec, &v, &serr)), ARGS_END);

	char *bad1[] = {"cmd", "--name", NULL};
	char *bad2[] = {"cmd", "--flag=x", NULL};
	char *bad3[] = {"cmd", "-z", NULL};

	args_init(&a, 2, bad1);
	assert_int_equal(WITH_ERR(args_next(&a, args_spec_lookup, spec, &v, &serr)), ARGS_ERROR);
	assert_string_equal(err, "option --name needs a value");
	args_init(&a, 2, bad2);
	assert_int_equal(WITH_ERR(args_next(&a, args_spec_lookup, spec, &v, &serr)), ARGS_ERROR);
	assert_string_equal(err, "option --flag takes no value");
	args_init(&a, 2, bad3);
	assert_int_equal(WITH_ERR(args_next(&a, args_spec_lookup, spec, &v, &serr)), ARGS_ERROR);
	assert_string_equal(err, "unknown option '-z'");
}

static int seen_argc;
static const char *seen_argv0;

static int record(int argc, char **argv)
{
	seen_argc = argc;
	seen_argv0 = argv[0];
	return 7;
}

static void test_cmd_select(void **state)
{
	static const struct cmd cmds[] = {{"analyze", record}, {0}};
	char *sub[] = {"shellsentry", "analyze", "-", NULL};
	char *dmn[] = {"shellsentry", "--validate", NULL};

	(void)state;
	assert_int_equal(cmd_select(cmds, record, 3, sub), 7);
	assert_int_equal(seen_argc, 2);
	assert_string_equal(seen_argv0, "analyze");
	assert_int_equal(cmd_select(cmds, record, 2, dmn), 7);
	assert_int_equal(seen_argc, 2);
	assert_string_equal(seen_argv0, "shellsentry");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_http_header_cap),
		cmocka_unit_test(test_rate_must_be_a_rate),
		cmocka_unit_test(test_http_url_checked_when_parsed),
		cmocka_unit_test(test_command_line_and_config_agree),
		cmocka_unit_test(test_flags_config_and_order),
		cmocka_unit_test(test_tokenizer),
		cmocka_unit_test(test_cmd_select),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
