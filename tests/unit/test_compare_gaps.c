/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * compare, issue 17 point 8: every field both sides carry is compared
 * (evt.type and evt.arg.flags as the alerts wrote them), the reason is given
 * when execs do not line up (host names, time ranges, pids), --any-host
 * matches across host names, and the runtime-parent race of proc.pname is
 * not a difference. Fixtures are written here; expected values follow from
 * them.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "compare/compare.h"
#include "compare/compare_explain.h"
#include "tmpdir.h"

/* one alert line: host, second after 10:02:03, pid, pname, evt.type, flags */
static void line(FILE *f, const char *host, int sec, int pid, const char *pname, const char *type,
		 const char *flags)
{
	fprintf(f,
		"{\"time\":\"2024-05-15T10:02:%02d.000000042Z\",\"rule\":\"Terminal shell in "
		"container\",\"priority\":\"Notice\",\"source\":\"syscall\",\"hostname\":\"%s\","
		"\"output\":\"x\",\"output_fields\":{\"container.id\":\"0123456789ab\","
		"\"proc.pid\":%d,\"proc.cmdline\":\"bash\",\"proc.name\":\"bash\","
		"\"proc.pname\":\"%s\",\"proc.tty\":34816,\"evt.type\":\"%s\","
		"\"evt.arg.flags\":\"%s\"}}\n",
		3 + sec, host, pid, pname, type, flags);
}

static char dir[256];

static char *run(const char *falco, const char *ours, const char *const *extra)
{
	char *argv[16] = {"compare", "--falco", (char *)falco, "--ours", (char *)ours};
	char *out = NULL, *errs = NULL;
	size_t olen = 0, elen = 0;
	FILE *o = open_memstream(&out, &olen), *e = open_memstream(&errs, &elen);
	int argc = 5;

	while (extra && *extra)
		argv[argc++] = (char *)*extra++;
	assert_int_equal(compare_run(argc, argv, stdin, o, e), 0);
	fclose(o);
	fclose(e);
	free(errs);
	return out;
}

static void files(const char *fname, const char *oname, char *fp, char *op, size_t len)
{
	snprintf(fp, len, "%s/%s", dir, fname);
	snprintf(op, len, "%s/%s", dir, oname);
}

static void test_fields_and_race(void **state)
{
	char fp[300], op[300], *r;
	FILE *f, *o;

	(void)state;
	files("f1", "o1", fp, op, sizeof(fp));
	f = fopen(fp, "w");
	o = fopen(op, "w");
	/* the same two execs; Falco saw conmon and execveat, shellsentry runc and execve */
	line(f, "node-1", 0, 100, "conmon", "execveat", "EXE_WRITABLE");
	line(o, "node-1", 0, 100, "runc", "execve", "0");
	line(f, "node-1", 1, 101, "bash", "execve", "0");
	line(o, "node-1", 1, 101, "sh", "execve", "0");
	fclose(f);
	fclose(o);
	r = run(fp, op, NULL);
	assert_non_null(strstr(r, "execs: 2 matched"));
	assert_non_null(strstr(r, "evt.type                     1"));
	assert_non_null(strstr(r, "evt.arg.flags                1"));
	assert_non_null(strstr(r, "falco=\"execveat\" shellsentry=\"execve\""));
	/* runc vs conmon: the race, not a difference; bash vs sh: a difference */
	assert_non_null(strstr(r, "proc.pname                   1"));
	assert_non_null(strstr(r, "proc.pname: 1 matched execs had the runtime's exec process"));
	free(r);
}

static void test_hosts_never_meet(void **state)
{
	static const char *const any[] = {"--any-host", NULL};
	char fp[300], op[300], *r;
	FILE *f, *o;
	int i;

	(void)state;
	files("f2", "o2", fp, op, sizeof(fp));
	f = fopen(fp, "w");
	o = fopen(op, "w");
	for (i = 0; i < 3; i++) {
		line(f, "ip-10-0-0-7", i, 200 + i, "runc", "execve", "0");
		line(o, "k8s-master-01", i, 200 + i, "runc", "execve", "0");
	}
	fclose(f);
	fclose(o);
	r = run(fp, op, NULL);
	assert_non_null(strstr(r, "execs: 0 matched"));
	assert_non_null(strstr(r, "why no exec lined up"));
	assert_non_null(strstr(r, "host names never meet: Falco's alerts say \"ip-10-0-0-7\", "
				  "shellsentry's \"k8s-master-01\""));
	assert_null(strstr(r, "no pid of Falco's"));
	free(r);
	r = run(fp, op, any);
	assert_non_null(strstr(r, "execs: 3 matched"));
	assert_null(strstr(r, "lined up"));
	free(r);
}

static void test_time_and_pids_apart(void **state)
{
	char fp[300], op[300], *r;
	FILE *f, *o;

	(void)state;
	files("f3", "o3", fp, op, sizeof(fp));
	f = fopen(fp, "w");
	o = fopen(op, "w");
	line(f, "node-1", 0, 300, "runc", "execve", "0");
	line(o, "node-1", 40, 400, "runc", "execve", "0");
	fclose(f);
	fclose(o);
	r = run(fp, op, NULL);
	assert_non_null(strstr(r, "the time ranges do not overlap: shellsentry's alerts start "
				  "40.000 s after the other's end"));
	assert_non_null(strstr(r, "no pid of Falco's alerts is in shellsentry's"));
	free(r);
}

static void test_runtime_parents(void **state)
{
	(void)state;
	assert_true(compare_runtime_parents("runc", "conmon"));
	assert_true(compare_runtime_parents("containerd-shim", "runc:[2:INIT]"));
	assert_false(compare_runtime_parents("runc", "bash"));
	assert_false(compare_runtime_parents(NULL, "runc"));
}

static int setup(void **state)
{
	(void)state;
	return tmpdir_make(dir, sizeof(dir), "test_compare_gaps");
}

static int teardown(void **state)
{
	(void)state;
	return tmpdir_remove(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields_and_race),
		cmocka_unit_test(test_hosts_never_meet),
		cmocka_unit_test(test_time_and_pids_apart),
		cmocka_unit_test(test_runtime_parents),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
