/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Malformed rules files (tests/rules/bad/): each fails with its own message
 * at an exact file:line:col, never a crash, never a half-loaded ruleset.
 * A file states what it expects in its header:
 *   # error: <message part>
 *   # at: <text whose first occurrence below the header is the position>
 *   # offset: <characters into that text> (optional)
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <dirent.h>
#include <cmocka.h>

#include "test_rules_events.h"

#define BAD_DIR "tests/rules/bad"
#define GOOD_DIR "tests/rules/good"

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

static bool header(const char *text, const char *key, char *out, size_t len)
{
	const char *p = strstr(text, key), *end;

	if (!p)
		return false;
	p += strlen(key);
	end = strchr(p, '\n');
	snprintf(out, len, "%.*s", (int)(end ? end - p : (long)strlen(p)), p);
	return true;
}

/* Line and column (1-based) of the first occurrence of needle after the header. */
static bool locate(const char *text, const char *needle, int offset, int *line, int *col)
{
	const char *body = text, *hit, *p;

	while (*body == '#') {
		const char *nl = strchr(body, '\n');

		if (!nl)
			return false;
		body = nl + 1;
	}
	hit = strstr(body, needle);
	if (!hit)
		return false;
	hit += offset;
	*line = 1;
	*col = 1;
	for (p = text; p < hit; p++) {
		if (*p == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
	return true;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static size_t list_dir(const char *dir, char **names, size_t max)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0;

	assert_non_null(d);
	while ((de = readdir(d)) && n < max)
		if (strstr(de->d_name, ".yaml"))
			names[n++] = strdup(de->d_name);
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_str);
	return n;
}

static void test_malformed_files(void **state)
{
	struct rules_options o = {.min_priority = PRIO_DEBUG};
	char *names[128];
	size_t n, i, failures = 0;

	(void)state;
	n = list_dir(BAD_DIR, names, 128);
	assert_true(n >= 20);
	for (i = 0; i < n; i++) {
		char path[256], want_msg[256], at[128], off[16];
		struct ruleset *rs = NULL;
		struct ss_error err;
		const char *p = path;
		int line = 0, col = 0, rc;
		char *text;

		snprintf(path, sizeof(path), "%s/%s", BAD_DIR, names[i]);
		text = slurp(path);
		assert_non_null(text);
		assert_true(header(text, "# error: ", want_msg, sizeof(want_msg)));
		assert_true(header(text, "# at: ", at, sizeof(at)));
		if (!header(text, "# offset: ", off, sizeof(off)))
			strcpy(off, "0");
		assert_true(locate(text, at, atoi(off), &line, &col));
		rc = ruleset_load(&p, 1, &o, &rs, &err, NULL);
		if (rc != -EINVAL || rs || strcmp(err.file, path) || err.line != line ||
		    err.col != col || !strstr(err.msg, want_msg)) {
			print_error("%s: rc %d, got %s:%d:%d: %s\n  want %s:%d:%d: %s\n", names[i],
				    rc, err.file, err.line, err.col, err.msg, path, line, col,
				    want_msg);
			failures++;
		}
		ruleset_free(rs);
		free(text);
		free(names[i]);
	}
	assert_int_equal(failures, 0);
}

static void test_good_files(void **state)
{
	struct rules_options o = {.min_priority = PRIO_DEBUG, .falco_compat = true};
	char *names[64], *buf = NULL;
	size_t n, i, blen = 0;

	(void)state;
	n = list_dir(GOOD_DIR, names, 64);
	assert_true(n >= 1);
	for (i = 0; i < n; i++) {
		char path[256];
		const char *p = path;
		struct ruleset *rs = NULL;
		struct ss_error err;
		struct rules_summary sum;
		FILE *warn = open_memstream(&buf, &blen);

		snprintf(path, sizeof(path), "%s/%s", GOOD_DIR, names[i]);
		if (ruleset_load(&p, 1, &o, &rs, &err, warn))
			fail_msg("%s:%d:%d: %s", err.file, err.line, err.col, err.msg);
		fclose(warn);
		ruleset_get_summary(rs, &sum);
		if (!strcmp(names[i], "falco_style.yaml")) {
			/* fd.* rule and k8s audit rule are skipped; %proc.pexe renders <NA> */
			assert_int_equal(sum.skipped, 2);
			assert_int_equal(sum.rules, 2);
			assert_non_null(
				strstr(buf, "rule 'Write below etc' skipped: unsupported field"));
		}
		ruleset_free(rs);
		free(buf);
		buf = NULL;
		free(names[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_malformed_files),
		cmocka_unit_test(test_good_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
