// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "kernel/cgroup.h"
#include "kernel/bpf_diag.h"
#include "kernel/loader_state.h"
#include "shellsentry.skel.h"

const struct name_map loader_hook_names[] = {
	{LOADER_HOOK_AUTO, "auto"},
	{LOADER_HOOK_TP_BTF, "tp_btf"},
	{LOADER_HOOK_TRACEPOINT, "tracepoint"},
	{0, NULL},
};

/* What the loading child builds; only it touches the skeleton and the kernel's BTF. */
struct bpf_objects {
	struct shellsentry_bpf *skel;
	struct bpf_link *links[LINK_COUNT];
	enum loader_hook hook;
	uint32_t verified_insns;
	struct cgroup_hierarchy cgroup;
	char session_err[200]; /* why the fork/exit hooks did not attach, "" when they did */
};

/* The child's answer: a result, what it chose, and FD_COUNT fds alongside. */
struct load_reply {
	int ret;
	int hook;
	uint32_t verified_insns;
	struct cgroup_hierarchy cgroup;
	uint32_t fd_mask; /* which loader_fd slots the fds sent alongside fill, in order */
	struct ss_error err;
	char session_err[200];
};

#define LOAD_LOG_TAIL (64 * 1024) /* verifier log bytes sent back on failure */

static bool verbose_output;

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (level == LIBBPF_DEBUG && !verbose_output)
		return 0;
	if (level == LIBBPF_INFO && !verbose_output)
		return 0;
	return vfprintf(stderr, fmt, args);
}

/* CapEff bits: CAP_SYS_ADMIN 21, CAP_PERFMON 38, CAP_BPF 39. */
static bool has_bpf_privileges(void)
{
	char line[256];
	unsigned long long eff = 0;
	FILE *f;

	if (geteuid() == 0)
		return true;
	f = fopen("/proc/self/status", "re");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "CapEff: %llx", &eff) == 1)
			break;
	fclose(f);
	return (eff & (1ULL << 21)) || ((eff & (1ULL << 38)) && (eff & (1ULL << 39)));
}

/*
 * What stops bpf() here and the fix, into err (after "what: " when what is
 * given); the errno to return.
 */
static int diagnose(struct ss_error *err, const char *what)
{
	char why[sizeof(err->msg)];
	struct bpf_facts f;

	bpf_diag_gather(&f);
	bpf_diag_explain(&f, why, sizeof(why));
	if (what)
		ss_error_set(err, 0, "%s: %s", what, why);
	else
		ss_error_set(err, 0, "%s", why);
	switch (bpf_diag_classify(&f)) {
	case BPF_BLOCK_NO_RINGBUF:
	case BPF_BLOCK_NO_SYSCALL:
		return -EOPNOTSUPP;
	case BPF_BLOCK_NONE:
		return 0;
	default:
		return -EPERM;
	}
}

/* The controller's index in the kernel's enum cgroup_subsys_id. */
static int v1_subsys_id_from_btf(const char *btf_path, const struct cgroup_hierarchy *h)
{
	char want[64];
	struct btf *btf = btf_path ? btf__parse(btf_path, NULL) : btf__load_vmlinux_btf();
	const struct btf_type *t;
	int id, ret = -ENOENT;

	if (!btf)
		return -errno;
	cgroup_subsys_enum_name(h, want, sizeof(want));
	id = btf__find_by_name_kind(btf, "cgroup_subsys_id", BTF_KIND_ENUM);
	if (id < 0)
		goto out;
	t = btf__type_by_id(btf, id);
	for (int i = 0; i < btf_vlen(t); i++) {
		const struct btf_enum *e = btf_enum(t) + i;

		if (!strcmp(btf__name_by_offset(btf, e->name_off), want))
			ret = e->val;
	}
out:
	btf__free(btf);
	return ret;
}

static uint32_t host_pidns_inode(void)
{
	struct stat st;

	if (stat("/proc/1/ns/pid", &st) && stat("/proc/self/ns/pid", &st))
		return 0;
	return (uint32_t)st.st_ino;
}

/*
 * The tracepoint hook finds its event id in tracefs; hosts without it
 * mounted (seen on CI machines) get it mounted where the kernel expects it.
 */
static int ensure_tracefs(struct ss_error *err)
{
	static const char *const ids[] = {
		"/sys/kernel/tracing/events/sched/sched_process_exec/id",
		"/sys/kernel/debug/tracing/events/sched/sched_process_exec/id",
	};

	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		if (!access(ids[i], R_OK))
			return 0;
	if (mount("tracefs", "/sys/kernel/tracing", "tracefs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  NULL) == 0 &&
	    !access(ids[0], R_OK)) {
		fprintf(stderr, "shellsentry: mounted tracefs on /sys/kernel/tracing for the "
				"tracepoint hook\n");
		return 0;
	}
	ss_error_set(
		err, 0,
		"the tracepoint hook needs tracefs: mount -t tracefs nodev /sys/kernel/tracing");
	return -ENOENT;
}

static unsigned ringbuf_bytes(unsigned kib)
{
	unsigned long want = (unsigned long)(kib ? kib : 1024) * 1024, sz = 4096;

	while (sz < want && sz < (1UL << 30))
		sz <<= 1;
	return sz;
}

/*
 * Sessions need both fork and exit: without them detection goes on and
 * sessions are off, said once with the reason.
 */
static void attach_session_hooks(struct bpf_objects *l, enum loader_hook hook)
{
	struct bpf_program *fork_prog = hook == LOADER_HOOK_TP_BTF ? l->skel->progs.handle_fork_btf
								   : l->skel->progs.handle_fork_raw;
	struct bpf_program *exit_prog = hook == LOADER_HOOK_TP_BTF ? l->skel->progs.handle_exit_btf
								   : l->skel->progs.handle_exit_raw;
	struct bpf_program *failed = fork_prog;

	l->session_err[0] = 0;
	l->links[LINK_FORK] = bpf_program__attach(fork_prog);
	if (l->links[LINK_FORK]) {
		failed = exit_prog;
		l->links[LINK_EXIT] = bpf_program__attach(exit_prog);
		if (l->links[LINK_EXIT])
			return;
	}
	snprintf(l->session_err, sizeof(l->session_err), "cannot attach %s: %s",
		 bpf_program__section_name(failed), strerror(errno));
	bpf_link__destroy(l->links[LINK_FORK]);
	l->links[LINK_FORK] = NULL;
}

/* One attempt with one hook; the caller may retry with the other. */
static int open_and_load(struct bpf_objects *l, const struct loader_opts *o, enum loader_hook hook,
			 struct ss_error *err)
{
	LIBBPF_OPTS(bpf_object_open_opts, oo, .btf_custom_path = o->btf_path,
		    .kernel_log_buf = o->verifier_log, .kernel_log_size = o->verifier_log_len,
		    .kernel_log_level = 0);
	struct bpf_prog_info info = {};
	__u32 info_len = sizeof(info);
	struct cgroup_hierarchy h;
	int v1_subsys = -1, ret;
	struct bpf_program *exec_prog;

	if (hook == LOADER_HOOK_TRACEPOINT) {
		ret = ensure_tracefs(err);
		if (ret)
			return ret;
	}
	ret = cgroup_hierarchy_pick(&h);
	if (ret) {
		ss_error_set(err, 0, "cannot determine the cgroup hierarchy: %s", strerror(-ret));
		return ret;
	}
	if (!h.v2) {
		v1_subsys = v1_subsys_id_from_btf(o->btf_path, &h);
		if (v1_subsys < 0) {
			ss_error_set(err, 0, "cgroup v1 host: no %s controller in kernel BTF",
				     h.controller);
			return v1_subsys;
		}
	}

	l->skel = shellsentry_bpf__open_opts(&oo);
	if (!l->skel) {
		ret = -errno;
		ss_error_set(err, 0, "failed to open BPF object: %s", strerror(-ret));
		return ret;
	}
	l->skel->rodata->host_pidns_inum = host_pidns_inode();
	l->skel->rodata->v1_subsys = v1_subsys;
	l->skel->rodata->cgroup_hierarchy_id = h.hierarchy_id;
	bpf_map__set_max_entries(l->skel->maps.events, ringbuf_bytes(o->ringbuf_kib));
	l->skel->rodata->id_interval_ns =
		1000000000ull / (o->exe_judge_rate ? o->exe_judge_rate : LOADER_EXE_JUDGE_RATE);
	bpf_program__set_autoload(l->skel->progs.handle_exec_btf, hook == LOADER_HOOK_TP_BTF);
	bpf_program__set_autoload(l->skel->progs.handle_exec_tp, hook == LOADER_HOOK_TRACEPOINT);
	bpf_program__set_autoload(l->skel->progs.handle_fork_btf, hook == LOADER_HOOK_TP_BTF);
	bpf_program__set_autoload(l->skel->progs.handle_exit_btf, hook == LOADER_HOOK_TP_BTF);
	bpf_program__set_autoload(l->skel->progs.handle_fork_raw, hook == LOADER_HOOK_TRACEPOINT);
	bpf_program__set_autoload(l->skel->progs.handle_exit_raw, hook == LOADER_HOOK_TRACEPOINT);

	exec_prog = hook == LOADER_HOOK_TP_BTF ? l->skel->progs.handle_exec_btf
					       : l->skel->progs.handle_exec_tp;
	ret = shellsentry_bpf__load(l->skel);
	if (ret) {
		ss_error_set(err, 0, "failed to load BPF programs (%s): %s%s",
			     hook == LOADER_HOOK_TP_BTF ? "tp_btf" : "tracepoint", strerror(-ret),
			     o->verbose ? "" : " (run with -v for the verifier log)");
		return ret;
	}
	if (!bpf_obj_get_info_by_fd(bpf_program__fd(exec_prog), &info, &info_len))
		l->verified_insns = info.verified_insns;

	l->links[LINK_EXEC] = bpf_program__attach(exec_prog);
	if (!l->links[LINK_EXEC]) {
		ret = -errno;
		ss_error_set(err, 0, "failed to attach %s: %s",
			     bpf_program__section_name(exec_prog), strerror(-ret));
		return ret;
	}
	l->links[LINK_MKDIR] = bpf_program__attach(l->skel->progs.handle_cgroup_mkdir);
	l->links[LINK_RMDIR] = bpf_program__attach(l->skel->progs.handle_cgroup_rmdir);
	if (!l->links[LINK_MKDIR] || !l->links[LINK_RMDIR]) {
		ret = -errno;
		ss_error_set(err, 0, "failed to attach cgroup tracepoints: %s", strerror(-ret));
		return ret;
	}
	attach_session_hooks(l, hook);
	l->hook = hook;
	l->cgroup = h;
	return 0;
}

static void unload(struct bpf_objects *l)
{
	for (size_t i = 0; i < sizeof(l->links) / sizeof(l->links[0]); i++) {
		bpf_link__destroy(l->links[i]);
		l->links[i] = NULL;
	}
	shellsentry_bpf__destroy(l->skel);
	l->skel = NULL;
}

/* Open, load and attach in this process, falling back to the tracepoint when allowed. */
static int load_objects(const struct loader_opts *o, struct bpf_objects *b, struct ss_error *err)
{
	int ret;

	if (o->hook == LOADER_HOOK_TRACEPOINT)
		return open_and_load(b, o, LOADER_HOOK_TRACEPOINT, err);
	ret = open_and_load(b, o, LOADER_HOOK_TP_BTF, err);
	if (ret && o->hook == LOADER_HOOK_AUTO) {
		if (o->verbose)
			fprintf(stderr,
				"shellsentry: tp_btf unavailable (%s), falling back to the "
				"tracepoint\n",
				err->msg);
		unload(b);
		ret = open_and_load(b, o, LOADER_HOOK_TRACEPOINT, err);
	}
	return ret;
}

/* Child side: load, send the result and the fds, exit without detaching anything. */
static void __attribute__((noreturn)) load_child(const struct loader_opts *o, int sock)
{
	struct bpf_objects b = {0};
	struct load_reply r = {0};
	int fds[FD_COUNT];
	char cbuf[CMSG_SPACE(sizeof(fds))] = {0};
	struct iovec iov = {&r, sizeof(r)};
	struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1};

	r.ret = load_objects(o, &b, &r.err);
	if (!r.ret) {
		int all[FD_COUNT];
		struct cmsghdr *c;
		size_t n = 0;

		all[FD_EVENTS] = bpf_map__fd(b.skel->maps.events);
		all[FD_COUNTERS] = bpf_map__fd(b.skel->maps.counters);
		all[FD_NAMES] = bpf_map__fd(b.skel->maps.names);
		all[FD_CGROUPS] = bpf_map__fd(b.skel->maps.container_cgroups);
		all[FD_SETTINGS] = bpf_map__fd(b.skel->maps.settings);
		all[FD_EXE_VERDICTS] = bpf_map__fd(b.skel->maps.exe_verdicts);
		all[FD_LINK_EXEC] = bpf_link__fd(b.links[LINK_EXEC]);
		all[FD_LINK_MKDIR] = bpf_link__fd(b.links[LINK_MKDIR]);
		all[FD_LINK_RMDIR] = bpf_link__fd(b.links[LINK_RMDIR]);
		all[FD_SESSION_EVENTS] = bpf_map__fd(b.skel->maps.session_events);
		all[FD_LINK_FORK] = b.links[LINK_FORK] ? bpf_link__fd(b.links[LINK_FORK]) : -1;
		all[FD_LINK_EXIT] = b.links[LINK_EXIT] ? bpf_link__fd(b.links[LINK_EXIT]) : -1;
		for (int i = 0; i < FD_COUNT; i++) {
			if (all[i] < 0)
				continue;
			r.fd_mask |= 1u << i;
			fds[n++] = all[i];
		}
		r.hook = b.hook;
		r.verified_insns = b.verified_insns;
		r.cgroup = b.cgroup;
		snprintf(r.session_err, sizeof(r.session_err), "%s", b.session_err);
		m.msg_control = cbuf;
		m.msg_controllen = CMSG_SPACE(n * sizeof(int));
		c = CMSG_FIRSTHDR(&m);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(n * sizeof(int));
		memcpy(CMSG_DATA(c), fds, n * sizeof(int));
	}
	if (sendmsg(sock, &m, 0) < 0)
		_exit(1);
	if (r.ret && o->verifier_log && o->verifier_log[0]) {
		size_t len = strnlen(o->verifier_log, o->verifier_log_len);
		size_t from = len > LOAD_LOG_TAIL ? len - LOAD_LOG_TAIL : 0;

		if (send(sock, o->verifier_log + from, len - from, 0) < 0)
			_exit(1);
	}
	/*
	 * _exit: no libbpf teardown. Destroying a perf-event link would disable
	 * the event the parent's duplicate fd still needs (tracepoint on 5.10).
	 */
	_exit(0);
}

/*
 * Load in a short-lived child and receive the maps and links as fds: the
 * kernel's BTF (several MiB, parsed for CO-RE) never enters the daemon, whose
 * peak memory was mostly that.
 */
static int load_via_child(const struct loader_opts *o, struct loader *l, struct ss_error *err)
{
	struct load_reply r = {0};
	char cbuf[CMSG_SPACE(sizeof(l->fds))] = {0};
	struct iovec iov = {&r, sizeof(r)};
	struct msghdr m = {.msg_iov = &iov,
			   .msg_iovlen = 1,
			   .msg_control = cbuf,
			   .msg_controllen = sizeof(cbuf)};
	int got[FD_COUNT], sv[2], status, ret;
	size_t nfds = 0;
	struct cmsghdr *c;
	ssize_t n;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv))
		return -errno;
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		ret = -errno;
		close(sv[0]);
		close(sv[1]);
		ss_error_set(err, 0, "cannot fork the loader: %s", strerror(-ret));
		return ret;
	}
	if (pid == 0) {
		close(sv[0]);
		load_child(o, sv[1]);
	}
	close(sv[1]);
	n = recvmsg(sv[0], &m, MSG_CMSG_CLOEXEC);
	if (n == (ssize_t)sizeof(r) && r.ret && o->verifier_log && o->verifier_log_len) {
		ssize_t ln = recv(sv[0], o->verifier_log, o->verifier_log_len - 1, 0);

		o->verifier_log[ln > 0 ? ln : 0] = 0;
	}
	close(sv[0]);
	waitpid(pid, &status, 0);
	if (n != (ssize_t)sizeof(r)) {
		ss_error_set(err, 0, "the BPF loader process failed (status %d)", status);
		return -EIO;
	}
	if (r.ret) {
		r.err.msg[sizeof(r.err.msg) - 1] = 0;
		r.err.file[sizeof(r.err.file) - 1] = 0;
		if (err)
			*err = r.err;
		return r.ret;
	}
	for (int i = 0; i < FD_COUNT; i++)
		nfds += !!(r.fd_mask & (1u << i));
	c = CMSG_FIRSTHDR(&m);
	if (!c || c->cmsg_type != SCM_RIGHTS || c->cmsg_len != CMSG_LEN(nfds * sizeof(int))) {
		ss_error_set(err, 0, "the BPF loader process sent no fds");
		return -EPROTO;
	}
	memcpy(got, CMSG_DATA(c), nfds * sizeof(int));
	for (int i = 0, k = 0; i < FD_COUNT; i++)
		if (r.fd_mask & (1u << i))
			l->fds[i] = got[k++];
	r.session_err[sizeof(r.session_err) - 1] = 0;
	snprintf(l->session_err, sizeof(l->session_err), "%s", r.session_err);
	l->sessions_supported = l->fds[FD_LINK_FORK] >= 0 && l->fds[FD_LINK_EXIT] >= 0;
	l->hook = r.hook;
	l->verified_insns = r.verified_insns;
	l->cgroup = r.cgroup;
	return 0;
}

int loader_start(const struct loader_opts *o, struct loader **out, struct ss_error *err)
{
	struct loader *l;
	int ret;

	verbose_output = o->verbose;
	libbpf_set_print(libbpf_print);
	if (!has_bpf_privileges()) {
		if (!diagnose(err, NULL))
			ss_error_set(err, 0, "must run as root (or with CAP_BPF and CAP_PERFMON)");
		return -EPERM;
	}
	if (o->btf_path && access(o->btf_path, R_OK)) {
		ret = -errno;
		ss_error_set(err, 0, "cannot read BTF file %s: %s", o->btf_path, strerror(-ret));
		return ret;
	}
	if (!o->btf_path && access("/sys/kernel/btf/vmlinux", R_OK)) {
		ss_error_set(err, 0,
			     "kernel BTF not found at /sys/kernel/btf/vmlinux: pass --btf PATH "
			     "(a BTF file for this kernel)");
		return -ENOENT;
	}
	if (libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, NULL) <= 0) {
		/* EPERM from a filter, a capability or an LSM is no old kernel: say which. */
		ret = diagnose(err, NULL);
		if (!ret)
			ss_error_set(err, 0, "the BPF ring buffer probe failed");
		return ret ? ret : -EOPNOTSUPP;
	}

	l = calloc(1, sizeof(*l));
	if (!l)
		return -ENOMEM;
	for (int i = 0; i < FD_COUNT; i++)
		l->fds[i] = -1;
	l->epfd = -1;
	l->identity_off = o->exe_judge_rate == 0;
	l->nr_cpus = libbpf_num_possible_cpus();
	if (l->nr_cpus <= 0) {
		ret = l->nr_cpus ? l->nr_cpus : -EINVAL;
		ss_error_set(err, 0, "cannot count CPUs: %s", strerror(-ret));
		goto fail;
	}
	ret = load_via_child(o, l, err);
	if (ret == -EPERM) {
		char what[sizeof(err->msg)];

		snprintf(what, sizeof(what), "%s", err->msg);
		diagnose(err, what);
	}
	if (ret)
		goto fail;

	ret = loader_set_config(l, 0);
	if (ret) {
		ss_error_set(err, 0, "failed to initialise settings: %s", strerror(-ret));
		goto fail;
	}
	ret = loader_rings_open(l);
	if (ret) {
		ss_error_set(err, 0, "failed to open the ring buffers: %s", strerror(-ret));
		goto fail;
	}
	*out = l;
	return 0;
fail:
	loader_stop(l);
	return ret;
}

void loader_stop(struct loader *l)
{
	if (!l)
		return;
	loader_rings_close(l);
	/* Closing the link fds detaches the programs; the maps go with the last fd. */
	for (int i = 0; i < FD_COUNT; i++)
		if (l->fds[i] >= 0)
			close(l->fds[i]);
	free(l);
}

const char *loader_hook_name(const struct loader *l)
{
	return l->hook == LOADER_HOOK_TRACEPOINT ? "tracepoint/sched/sched_process_exec"
						 : "tp_btf/sched_process_exec";
}

uint32_t loader_verified_insns(const struct loader *l)
{
	return l->verified_insns;
}
