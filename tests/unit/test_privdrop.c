/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The drop is irreversible, so each case runs in a forked child that reports
 * what /proc/self/status says afterwards. Needs root; skipped otherwise.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <inttypes.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/capability.h>
#include <cmocka.h>

#include "daemon/privdrop.h"

struct result {
	int ret;
	uint64_t inh, prm, eff, bnd, amb;
	int no_new_privs;
	int chown_errno; /* CAP_CHOWN is gone: chown of a file to another user fails */
	char summary[256];
	struct ss_error err;
};

static uint64_t status_hex(const char *status, const char *key)
{
	const char *p = strstr(status, key);

	if (!p)
		fail_msg("no %s in /proc/self/status", key);
	return strtoull(p + strlen(key), NULL, 16);
}

static void read_status(struct result *r)
{
	char buf[8192];
	int fd = open("/proc/self/status", O_RDONLY);
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	const char *p;

	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	r->inh = status_hex(buf, "CapInh:\t");
	r->prm = status_hex(buf, "CapPrm:\t");
	r->eff = status_hex(buf, "CapEff:\t");
	r->bnd = status_hex(buf, "CapBnd:\t");
	r->amb = status_hex(buf, "CapAmb:\t");
	p = strstr(buf, "NoNewPrivs:\t");
	r->no_new_privs = p ? atoi(p + 12) : -1;
}

static void *idle(void *arg)
{
	pthread_mutex_t *m = arg;

	pthread_mutex_lock(m);
	pthread_mutex_unlock(m);
	return NULL;
}

/* Runs the drop in a child and returns what it saw; with_thread starts a thread first. */
static void run_child(struct result *r, bool with_thread, bool use_default)
{
	int p[2], st;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		static const int keep_chown[] = {CAP_CHOWN};
		pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
		pthread_t t;
		char tmp[] = "/tmp/ss-privdrop-XXXXXX";
		int fd;

		close(p[0]);
		if (with_thread) {
			pthread_mutex_lock(&m);
			pthread_create(&t, NULL, idle, &m);
		}
		if (use_default)
			r->ret = privdrop_default(r->summary, sizeof(r->summary), &r->err);
		else
			r->ret = privdrop_apply(keep_chown, 1, r->summary, sizeof(r->summary),
						&r->err);
		read_status(r);
		fd = mkstemp(tmp);
		r->chown_errno = fchown(fd, 12345, 12345) ? errno : 0;
		close(fd);
		unlink(tmp);
		if (write(p[1], r, sizeof(*r)) != sizeof(*r))
			_exit(1);
		_exit(0);
	}
	close(p[1]);
	assert_int_equal(read(p[0], r, sizeof(*r)), sizeof(*r));
	close(p[0]);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

static void test_default_set(void **state)
{
	const uint64_t want = (1ULL << CAP_SYS_PTRACE) | (1ULL << CAP_DAC_READ_SEARCH);
	struct result r;

	(void)state;
	if (geteuid() != 0)
		skip();
	run_child(&r, false, true);
	if (r.ret)
		fail_msg("privdrop_default: %d %s", r.ret, r.err.msg);
	assert_int_equal(r.eff, want);
	assert_int_equal(r.prm, want);
	assert_int_equal(r.inh, 0);
	assert_int_equal(r.amb, 0);
	assert_int_equal(r.bnd, want); /* root here has CAP_SETPCAP */
	assert_int_equal(r.no_new_privs, 1);
	assert_int_equal(r.chown_errno, EPERM);
	assert_non_null(strstr(r.summary, "cap_dac_read_search"));
	assert_non_null(strstr(r.summary, "cap_sys_ptrace"));
	assert_non_null(strstr(r.summary, "bounding set cleared"));
	printf("# privdrop: %s\n", r.summary);
}

static void test_custom_set(void **state)
{
	struct result r;

	(void)state;
	if (geteuid() != 0)
		skip();
	run_child(&r, false, false);
	assert_int_equal(r.ret, 0);
	assert_int_equal(r.eff, 1ULL << CAP_CHOWN);
	assert_int_equal(r.bnd, 1ULL << CAP_CHOWN);
	assert_int_equal(r.chown_errno, 0); /* the one kept still works */
}

static void test_refuses_with_threads(void **state)
{
	struct result r;

	(void)state;
	if (geteuid() != 0)
		skip();
	run_child(&r, true, true);
	assert_int_equal(r.ret, -EBUSY);
	assert_non_null(strstr(r.err.msg, "thread"));
	assert_int_equal(r.no_new_privs, 0); /* nothing was changed */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_set),
		cmocka_unit_test(test_custom_set),
		cmocka_unit_test(test_refuses_with_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
