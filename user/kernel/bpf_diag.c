// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <linux/bpf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "kernel/bpf_diag.h"

#define CAP_SYS_ADMIN_BIT 21
#define CAP_SYS_RESOURCE_BIT 24
#define CAP_PERFMON_BIT 38
#define CAP_BPF_BIT 39

enum bpf_block bpf_diag_classify(const struct bpf_facts *f)
{
	bool privileged = f->cap_bpf || f->cap_sys_admin;
	bool old_memlock = f->kernel_major < 5 || (f->kernel_major == 5 && f->kernel_minor < 11);

	if (!f->map_err && !f->ringbuf_err)
		return BPF_BLOCK_NONE;
	if (!f->map_err)
		/* bpf() works: only the ring buffer map is refused. */
		return f->ringbuf_err == EPERM
			       ? (old_memlock && !f->cap_sys_resource ? BPF_BLOCK_MEMLOCK
								      : BPF_BLOCK_LSM)
			       : BPF_BLOCK_NO_RINGBUF;
	if (f->map_err == ENOSYS && f->bad_cmd_err == ENOSYS)
		return f->seccomp_mode == 2 ? BPF_BLOCK_SECCOMP : BPF_BLOCK_NO_SYSCALL;
	if (f->map_err != EPERM)
		return BPF_BLOCK_UNKNOWN;
	if (f->bad_cmd_err == EPERM)
		/* Refused before the kernel read the command: a filter on the call. */
		return f->seccomp_mode == 2 ? BPF_BLOCK_SECCOMP
		       : !privileged	    ? BPF_BLOCK_CAPS
					    : BPF_BLOCK_UNKNOWN;
	if (!privileged)
		return BPF_BLOCK_CAPS;
	if (old_memlock && !f->cap_sys_resource && f->memlock != ~0ULL &&
	    f->memlock < (64ULL << 20))
		return BPF_BLOCK_MEMLOCK;
	if (!strcmp(f->lockdown, "confidentiality"))
		return BPF_BLOCK_LOCKDOWN;
	return BPF_BLOCK_LSM;
}

struct out {
	char *buf;
	size_t len, off;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->off >= o->len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->off, o->len - o->off, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->off += (size_t)n < o->len - o->off ? (size_t)n : o->len - o->off;
}

static void seccomp_fix(struct out *o, enum bpf_runtime rt)
{
	switch (rt) {
	case BPF_RT_KUBERNETES:
		put(o, "containerd 1.6.9+ RuntimeDefault allows bpf() with capabilities.add [BPF, "
		       "PERFMON]; CRI-O and older containerd allow it only with CAP_SYS_ADMIN: "
		       "apply deploy/overlays/cri-o (seccompProfile Unconfined, same capabilities) "
		       "or a Localhost profile = the node's profile plus bpf and perf_event_open. "
		       "privileged: true is not needed.");
		break;
	case BPF_RT_PODMAN:
		put(o, "podman's profile (containers-common) allows bpf() and perf_event_open() "
		       "only with CAP_SYS_ADMIN: keep --cap-add BPF --cap-add PERFMON and add "
		       "--security-opt seccomp=unconfined, or --security-opt seccomp=FILE with "
		       "FILE = /usr/share/containers/seccomp.json plus an allow rule for bpf and "
		       "perf_event_open.");
		break;
	case BPF_RT_DOCKER:
		put(o, "Docker's default profile allows bpf() and perf_event_open() only with "
		       "CAP_SYS_ADMIN before Docker 23 (and Docker 20.10 rejects --cap-add BPF): "
		       "there use --cap-add SYS_ADMIN instead of BPF and PERFMON; on Docker 23 "
		       "or newer --cap-add BPF --cap-add PERFMON is enough.");
		break;
	case BPF_RT_CONTAINER:
		put(o, "Allow bpf and perf_event_open in the container runtime's seccomp profile, "
		       "or run this container unconfined by seccomp with the same capabilities.");
		break;
	case BPF_RT_HOST:
		put(o, "Allow bpf and perf_event_open in the filter (systemd: SystemCallFilter= "
		       "as in deploy/systemd/shellsentry.service).");
		break;
	}
}

void bpf_diag_explain(const struct bpf_facts *f, char *buf, size_t len)
{
	static const char *const rt_names[] = {"on the host", "in a Kubernetes pod",
					       "in a Docker container", "in a podman container",
					       "in a container"};
	struct out o = {buf, len, 0};

	if (len)
		buf[0] = '\0';
	switch (bpf_diag_classify(f)) {
	case BPF_BLOCK_NONE:
		put(&o, "bpf() works");
		break;
	case BPF_BLOCK_NO_SYSCALL:
		put(&o, "this kernel has no bpf() system call (CONFIG_BPF_SYSCALL is off)");
		break;
	case BPF_BLOCK_SECCOMP:
		put(&o, "a seccomp filter refuses bpf() (running %s, Seccomp: %d): ",
		    rt_names[f->runtime], f->seccomp_mode);
		seccomp_fix(&o, f->runtime);
		if (!f->cap_bpf && !f->cap_sys_admin)
			put(&o, " Also add CAP_BPF and CAP_PERFMON.");
		break;
	case BPF_BLOCK_CAPS:
		put(&o,
		    "missing capability: loading BPF needs CAP_BPF and CAP_PERFMON (this "
		    "process has%s%s%s). ",
		    f->cap_bpf ? " CAP_BPF" : "", f->cap_perfmon ? " CAP_PERFMON" : "",
		    !f->cap_bpf && !f->cap_perfmon ? " neither" : "");
		if (f->runtime == BPF_RT_KUBERNETES)
			put(&o, "Add them: securityContext.capabilities.add: [BPF, PERFMON] (see "
				"deploy/kubernetes/daemonset.yaml; Docker 20.10 nodes: "
				"deploy/overlays/docker-20.10).");
		else if (f->runtime == BPF_RT_DOCKER)
			put(&o, "Add them: --cap-add BPF --cap-add PERFMON (Docker 20.10 does not "
				"know CAP_BPF: --cap-add SYS_ADMIN).");
		else if (f->runtime == BPF_RT_PODMAN || f->runtime == BPF_RT_CONTAINER)
			put(&o, "Add them: --cap-add BPF --cap-add PERFMON.");
		else
			put(&o, "Run as root or grant them (systemd: AmbientCapabilities=CAP_BPF "
				"CAP_PERFMON).");
		break;
	case BPF_BLOCK_MEMLOCK:
		put(&o,
		    "Linux %u.%u charges BPF memory to RLIMIT_MEMLOCK (before 5.11) and the "
		    "limit is %llu KiB: add CAP_SYS_RESOURCE (Kubernetes: capabilities.add "
		    "SYS_RESOURCE; docker/podman: --cap-add SYS_RESOURCE) or raise it "
		    "(--ulimit memlock=-1, systemd LimitMEMLOCK=infinity).",
		    f->kernel_major, f->kernel_minor, f->memlock / 1024);
		break;
	case BPF_BLOCK_LOCKDOWN:
		put(&o, "the kernel is locked down (lockdown: confidentiality), which refuses BPF "
			"that reads kernel memory: boot with lockdown=integrity (or none).");
		break;
	case BPF_BLOCK_LSM:
		put(&o,
		    "bpf() reaches the kernel and the capabilities are there, so a security "
		    "module refused it (active: %s). SELinux: run the container as spc_t "
		    "(the DaemonSet's seLinuxOptions); AppArmor: unconfined (the DaemonSet's "
		    "annotation; docker/podman: --security-opt apparmor=unconfined).",
		    f->lsm[0] ? f->lsm : "unknown");
		break;
	case BPF_BLOCK_NO_RINGBUF:
		put(&o,
		    "kernel has no BPF ring buffer: Linux 5.8 or newer is required (this is "
		    "%u.%u)",
		    f->kernel_major, f->kernel_minor);
		break;
	case BPF_BLOCK_UNKNOWN:
		put(&o, "bpf() fails: %s (ring buffer: %s)", strerror(f->map_err),
		    strerror(f->ringbuf_err));
		break;
	}
}

static int try_map(unsigned type, unsigned max_entries, unsigned value_size)
{
	union bpf_attr a;
	long fd;

	memset(&a, 0, sizeof(a));
	a.map_type = type;
	a.key_size = type == BPF_MAP_TYPE_ARRAY ? 4 : 0;
	a.value_size = value_size;
	a.max_entries = max_entries;
	fd = syscall(__NR_bpf, BPF_MAP_CREATE, &a, sizeof(a));
	if (fd < 0)
		return errno;
	close((int)fd);
	return 0;
}

static void read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");

	buf[0] = '\0';
	if (!f)
		return;
	if (fgets(buf, (int)len, f))
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

static enum bpf_runtime detect_runtime(void)
{
	char line[512];
	FILE *f;
	enum bpf_runtime rt = BPF_RT_HOST;

	if (getenv("KUBERNETES_SERVICE_HOST"))
		return BPF_RT_KUBERNETES;
	if (!access("/run/.containerenv", F_OK))
		return BPF_RT_PODMAN;
	if (!access("/.dockerenv", F_OK))
		return BPF_RT_DOCKER;
	f = fopen("/proc/self/cgroup", "re");
	if (!f)
		return rt;
	while (fgets(line, sizeof(line), f)) {
		if (strstr(line, "kubepods"))
			rt = BPF_RT_KUBERNETES;
		else if (rt == BPF_RT_HOST && strstr(line, "libpod"))
			rt = BPF_RT_PODMAN;
		else if (rt == BPF_RT_HOST && strstr(line, "docker"))
			rt = BPF_RT_DOCKER;
		else if (rt == BPF_RT_HOST && (strstr(line, "containerd") || strstr(line, "crio")))
			rt = BPF_RT_CONTAINER;
	}
	fclose(f);
	return rt;
}

void bpf_diag_gather(struct bpf_facts *f)
{
	unsigned long long eff = 0;
	char line[256], lock[256];
	struct rlimit rl;
	struct utsname u;
	FILE *st;
	long r;

	memset(f, 0, sizeof(*f));
	f->seccomp_mode = -1;
	f->map_err = try_map(BPF_MAP_TYPE_ARRAY, 1, 8);
	f->ringbuf_err = try_map(BPF_MAP_TYPE_RINGBUF, 4096 * 4, 0);
	/* No kernel has this command: EINVAL proves the call itself got through. */
	r = syscall(__NR_bpf, 0x7ffe, NULL, 0);
	f->bad_cmd_err = r < 0 ? errno : 0;
	st = fopen("/proc/self/status", "re");
	if (st) {
		while (fgets(line, sizeof(line), st)) {
			sscanf(line, "CapEff: %llx", &eff);
			sscanf(line, "Seccomp: %d", &f->seccomp_mode);
		}
		fclose(st);
	}
	f->cap_sys_admin = eff >> CAP_SYS_ADMIN_BIT & 1;
	f->cap_sys_resource = eff >> CAP_SYS_RESOURCE_BIT & 1;
	f->cap_perfmon = eff >> CAP_PERFMON_BIT & 1;
	f->cap_bpf = eff >> CAP_BPF_BIT & 1;
	read_line("/sys/kernel/security/lockdown", lock, sizeof(lock));
	{
		char *a = strchr(lock, '['), *b = a ? strchr(a, ']') : NULL;

		if (a && b && (size_t)(b - a - 1) < sizeof(f->lockdown))
			snprintf(f->lockdown, sizeof(f->lockdown), "%.*s", (int)(b - a - 1), a + 1);
	}
	read_line("/sys/kernel/security/lsm", f->lsm, sizeof(f->lsm));
	if (!uname(&u))
		sscanf(u.release, "%u.%u", &f->kernel_major, &f->kernel_minor);
	f->memlock = getrlimit(RLIMIT_MEMLOCK, &rl) || rl.rlim_cur == RLIM_INFINITY
			     ? ~0ULL
			     : (unsigned long long)rl.rlim_cur;
	f->runtime = detect_runtime();
}
