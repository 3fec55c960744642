/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * What stops bpf(), told apart from the facts a process can gather, and the
 * fix named for the runtime: never "Linux 5.8 or newer is required" for an
 * EPERM on a new kernel.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "kernel/bpf_diag.h"

/* A 6.18 kernel, root with CAP_BPF and CAP_PERFMON, no filter: bpf() works. */
static struct bpf_facts base(void)
{
	struct bpf_facts f = {
		.bad_cmd_err = EINVAL,
		.seccomp_mode = 0,
		.cap_bpf = true,
		.cap_perfmon = true,
		.lockdown = "none",
		.lsm = "lockdown,capability,landlock,yama,apparmor",
		.kernel_major = 6,
		.kernel_minor = 18,
		.memlock = 8 << 20,
		.runtime = BPF_RT_HOST,
	};
	return f;
}

static void expect(const struct bpf_facts *f, enum bpf_block b, const char *needle)
{
	char msg[1024];

	assert_int_equal(bpf_diag_classify(f), b);
	bpf_diag_explain(f, msg, sizeof(msg));
	if (!strstr(msg, needle))
		fail_msg("'%s' lacks '%s'", msg, needle);
	if (b != BPF_BLOCK_NO_RINGBUF && strstr(msg, "5.8 or newer"))
		fail_msg("'%s' blames the kernel version", msg);
	/* it travels in a struct ss_error (512 bytes) after the loader's own words */
	if (strlen(msg) > 440)
		fail_msg("%zu bytes: '%s'", strlen(msg), msg);
}

static void test_seccomp_per_runtime(void **state)
{
	struct bpf_facts f = base();

	(void)state;
	f.map_err = f.ringbuf_err = f.bad_cmd_err = EPERM;
	f.seccomp_mode = 2;
	f.runtime = BPF_RT_PODMAN;
	expect(&f, BPF_BLOCK_SECCOMP, "--security-opt seccomp=unconfined");
	f.runtime = BPF_RT_KUBERNETES;
	expect(&f, BPF_BLOCK_SECCOMP, "deploy/overlays/cri-o");
	f.cap_bpf = f.cap_perfmon = false; /* both wrong: the filter first, the capabilities too */
	expect(&f, BPF_BLOCK_SECCOMP, "Also add CAP_BPF and CAP_PERFMON");
	f.cap_bpf = f.cap_perfmon = true;
	f.runtime = BPF_RT_DOCKER;
	expect(&f, BPF_BLOCK_SECCOMP, "--cap-add SYS_ADMIN");
	f.runtime = BPF_RT_HOST;
	expect(&f, BPF_BLOCK_SECCOMP, "SystemCallFilter");
	/* a filter that returns ENOSYS */
	f.map_err = f.ringbuf_err = f.bad_cmd_err = ENOSYS;
	expect(&f, BPF_BLOCK_SECCOMP, "seccomp");
	/* a filter that is there but lets bpf() through is not the cause */
	f = base();
	f.seccomp_mode = 2;
	f.map_err = f.ringbuf_err = EPERM;
	f.cap_bpf = f.cap_perfmon = false;
	f.runtime = BPF_RT_KUBERNETES;
	expect(&f, BPF_BLOCK_CAPS, "capabilities.add: [BPF, PERFMON]");
}

static void test_caps_memlock_lockdown_lsm(void **state)
{
	struct bpf_facts f = base();

	(void)state;
	f.map_err = f.ringbuf_err = EPERM;
	f.cap_bpf = f.cap_perfmon = false;
	f.runtime = BPF_RT_DOCKER;
	expect(&f, BPF_BLOCK_CAPS, "--cap-add BPF --cap-add PERFMON");
	/* unprivileged_bpf_disabled stops the call before the command, no filter */
	f.bad_cmd_err = EPERM;
	expect(&f, BPF_BLOCK_CAPS, "CAP_BPF");

	f = base();
	f.map_err = f.ringbuf_err = EPERM;
	f.kernel_major = 5;
	f.kernel_minor = 10;
	f.memlock = 64 << 10;
	expect(&f, BPF_BLOCK_MEMLOCK, "SYS_RESOURCE");
	f.cap_sys_resource = true; /* libbpf raises the limit itself then */
	expect(&f, BPF_BLOCK_LSM, "security module");

	f = base();
	f.map_err = f.ringbuf_err = EPERM;
	snprintf(f.lockdown, sizeof(f.lockdown), "confidentiality");
	expect(&f, BPF_BLOCK_LOCKDOWN, "lockdown=integrity");

	f = base();
	f.map_err = f.ringbuf_err = EPERM;
	snprintf(f.lsm, sizeof(f.lsm), "capability,selinux");
	expect(&f, BPF_BLOCK_LSM, "spc_t");
}

static void test_old_kernel_and_none(void **state)
{
	struct bpf_facts f = base();

	(void)state;
	expect(&f, BPF_BLOCK_NONE, "works");
	f.kernel_major = 5;
	f.kernel_minor = 4;
	f.ringbuf_err = EINVAL;
	expect(&f, BPF_BLOCK_NO_RINGBUF, "Linux 5.8 or newer is required (this is 5.4)");
	f = base();
	f.map_err = f.ringbuf_err = f.bad_cmd_err = ENOSYS;
	expect(&f, BPF_BLOCK_NO_SYSCALL, "CONFIG_BPF_SYSCALL");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seccomp_per_runtime),
		cmocka_unit_test(test_caps_memlock_lockdown_lsm),
		cmocka_unit_test(test_old_kernel_and_none),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
