/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Kernel matrix test driver. Statically linked, it runs as /init of a small
 * initramfs under qemu (or directly on the host with --host): it loads
 * shellsentry's real BPF object through the real loader, once per hook,
 * execs a shell on the host and as pid 1 of a new pid namespace, and checks
 * the events and counters that come back: the namespaced shell's stdin is a
 * loopback TCP connection, its stdout a pipe, its stderr /dev/null (stdio
 * facts), so it starts a session whose two commands (this program run with
 * --noop) and end (exit 7) must come back too. One result line per hook goes
 * to the console:
 *
 *   SS-RESULT kernel=<release> hook=<name> insns=<n> result=PASS|FAIL reason=<text>
 *
 * followed, on a load failure, by the verifier log between SS-VERIFIER-LOG
 * markers. As /init it powers the machine off at the end.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kernel/loader.h"
#include "shellsentry.h"

#define VERIFIER_LOG_LEN (1u << 20)
#define VERIFIER_LOG_TAIL 8192
#define REASON_LEN 512
/* Upper bound on waiting for the namespaced shell's event; TCG is slow. */
#define EVENT_TIMEOUT_MS 30000

/* The session's cap in the test: the shell's exec and two commands, the rest capped. */
#define TEST_MAX_COMMANDS 3
#define TEST_NOOPS 4			   /* commands the session's shell runs */
#define TEST_EXIT 7			   /* its exit status */
#define KDEV(ma, mi) (((ma) << 20) | (mi)) /* the kernel's internal dev_t */

struct run {
	const char *sh;		       /* path of the shell to exec */
	const char *self;	       /* this program, run with --noop as the session's commands */
	char cwd[256];		       /* the driver's working directory: the shells' too */
	char ns_marker[64];	       /* $0 of the namespaced shell, identifies its event */
	char host_marker[64];	       /* $0 of the host shell */
	char noop_marker[64];	       /* argument of the session's commands */
	char script[512];	       /* the namespaced shell's -c script */
	pid_t ns_pid;		       /* host pid of the namespaced shell */
	pid_t ns_ppid;		       /* its parent, the process that unshared */
	int ns_events;		       /* events carrying ns_marker */
	int host_events;	       /* events carrying host_marker */
	int noop_events;	       /* session commands carrying noop_marker */
	int session_ends;	       /* session end records of the namespaced shell */
	int bad_records;	       /* records too short or of another version */
	struct ss_session_key session; /* from the namespaced shell's event */
	/* the namespaced shell's stdio, as made by the driver */
	uint16_t listen_port, client_port;
	uint64_t pipe_ino;
	char reason[REASON_LEN]; /* first field mismatch, empty if none */
};

static void set_reason(struct run *r, const char *fmt, ...)
{
	va_list ap;

	if (r->reason[0])
		return;
	va_start(ap, fmt);
	vsnprintf(r->reason, sizeof(r->reason), fmt, ap);
	va_end(ap);
}

/* argv as the kernel stores it: NUL-separated, NUL-terminated. */
static size_t build_argv(char *buf, size_t len, const char *const *args)
{
	size_t off = 0;

	for (; *args; args++) {
		size_t n = strlen(*args) + 1;

		if (off + n > len)
			return 0;
		memcpy(buf + off, *args, n);
		off += n;
	}
	return off;
}

static int argv_has(const struct ss_event *e, size_t argv_len, const char *marker)
{
	size_t n = strlen(marker) + 1;

	for (size_t off = 0; off + n <= argv_len;) {
		size_t l = strnlen(e->argv + off, argv_len - off);

		if (l + 1 == n && !memcmp(e->argv + off, marker, n))
			return 1;
		off += l + 1;
	}
	return 0;
}

/* Path slots (leaf first, empty slot = mount crossing) joined as userspace does. */
static void join_slots(const char *slots, unsigned used, char *out, size_t len)
{
	size_t pos = 0;

	out[0] = 0;
	while (used--) {
		const char *c = slots + used * SS_EXE_SLOT_LEN;
		size_t n = strnlen(c, SS_EXE_SLOT_LEN);

		if (n && pos + n + 2 < len) {
			out[pos++] = '/';
			memcpy(out + pos, c, n);
			pos += n;
			out[pos] = 0;
		}
	}
}

/* The namespaced shell's working directory and its parent's executable (this program). */
static void check_paths(struct run *r, const struct ss_event *e)
{
	char cwd[600], pexe[600];

	join_slots(e->cwd, e->cwd_len, cwd, sizeof(cwd));
	join_slots(e->pexe_path, e->pexe_path_len, pexe, sizeof(pexe));
	if (!(e->flags & SS_F_CWD) || strcmp(cwd[0] ? cwd : "/", r->cwd))
		set_reason(r, "cwd \"%s\" (flags 0x%x), want \"%s\"", cwd, e->flags, r->cwd);
	if (strcmp(pexe, r->self))
		set_reason(r, "parent's exe \"%s\", want \"%s\"", pexe, r->self);
}

static void check_stdio(struct run *r, const struct ss_event *e)
{
	const struct ss_stdio *in = &e->stdio[0], *out = &e->stdio[1], *err = &e->stdio[2];
	const uint8_t lo[4] = {127, 0, 0, 1};

	if (in->kind != SS_FD_SOCK || in->family != AF_INET || in->protocol != IPPROTO_TCP ||
	    in->sock_type != SOCK_STREAM || in->state != 1 /* TCP_ESTABLISHED */)
		set_reason(r,
			   "stdin kind %u family %u proto %u type %u state %u, want a tcp4 "
			   "connection",
			   in->kind, in->family, in->protocol, in->sock_type, in->state);
	else if (in->local_port != r->client_port || in->remote_port != r->listen_port ||
		 memcmp(in->local_addr, lo, 4) || memcmp(in->remote_addr, lo, 4))
		set_reason(
			r, "stdin %u.%u.%u.%u:%u->%u.%u.%u.%u:%u, want 127.0.0.1:%u->127.0.0.1:%u",
			in->local_addr[0], in->local_addr[1], in->local_addr[2], in->local_addr[3],
			in->local_port, in->remote_addr[0], in->remote_addr[1], in->remote_addr[2],
			in->remote_addr[3], in->remote_port, r->client_port, r->listen_port);
	if (out->kind != SS_FD_FIFO || out->ino != r->pipe_ino)
		set_reason(r, "stdout kind %u ino %llu, want a pipe, ino %llu", out->kind,
			   (unsigned long long)out->ino, (unsigned long long)r->pipe_ino);
	if (err->kind != SS_FD_CHR || err->rdev != KDEV(1, 3) || strcmp(err->name, "null"))
		set_reason(r, "stderr kind %u rdev %u name \"%.32s\", want /dev/null", err->kind,
			   err->rdev, err->name);
}

static void check_ns_event(struct run *r, const struct ss_event *e, size_t argv_len)
{
	const char *const want[] = {"sh", "-c", r->script, r->ns_marker, NULL};
	char expect[256];
	size_t expect_len = build_argv(expect, sizeof(expect), want);

	if (e->pid != (__u32)r->ns_pid)
		set_reason(r, "pid %u, want %d", e->pid, (int)r->ns_pid);
	if (e->tid != e->pid)
		set_reason(r, "tid %u, want %u", e->tid, e->pid);
	if (e->vpid != 1)
		set_reason(r, "vpid %u, want 1", e->vpid);
	if (e->ppid != (__u32)r->ns_ppid)
		set_reason(r, "ppid %u, want %d", e->ppid, (int)r->ns_ppid);
	if (strncmp(e->comm, "sh", sizeof(e->comm)))
		set_reason(r, "comm \"%.16s\", want \"sh\"", e->comm);
	if (argv_len != expect_len || memcmp(e->argv, expect, expect_len))
		set_reason(r, "argv differs (%zu bytes, want %zu)", argv_len, expect_len);
	if (e->lineage != SS_LINEAGE_ENTRYPOINT)
		set_reason(r, "lineage %u, want %u (entrypoint)", e->lineage,
			   SS_LINEAGE_ENTRYPOINT);
	if (e->tty != 0)
		set_reason(r, "tty %u, want 0", e->tty);
	if (!(e->flags & SS_F_PIDNS))
		set_reason(r, "flags 0x%x lack SS_F_PIDNS", e->flags);
	if (e->pidns_level < 1)
		set_reason(r, "pidns_level %u, want >= 1", e->pidns_level);
	if (e->uid != 0 || e->euid != 0)
		set_reason(r, "uid %u euid %u, want 0", e->uid, e->euid);
	if (e->ancestor_count < 1 || e->ancestors[0].pid != (__u32)r->ns_ppid)
		set_reason(r, "ancestors[0] is not the parent (count %u)", e->ancestor_count);
	check_stdio(r, e);
	check_paths(r, e);
	if ((e->flags & (SS_F_SESSION | SS_F_SESSION_START)) !=
		    (SS_F_SESSION | SS_F_SESSION_START) ||
	    e->session.pid != e->pid || e->session.start_ns != e->boot_ns)
		set_reason(r, "flags 0x%x session %u/%llu: the shell did not start a session",
			   e->flags, e->session.pid, (unsigned long long)e->session.start_ns);
	r->session = e->session;
}

/* A session command: this program run with --noop by the namespaced shell. */
static void check_noop_event(struct run *r, const struct ss_event *e)
{
	if ((e->flags & (SS_F_SESSION | SS_F_SESSION_ONLY)) != (SS_F_SESSION | SS_F_SESSION_ONLY))
		set_reason(r, "session command flags 0x%x lack SS_F_SESSION(_ONLY)", e->flags);
	if (e->session.pid != r->session.pid || e->session.start_ns != r->session.start_ns)
		set_reason(r, "session command of session %u, want %u", e->session.pid,
			   r->session.pid);
	if (e->ppid != (__u32)r->ns_pid)
		set_reason(r, "session command's ppid %u, want the shell %d", e->ppid,
			   (int)r->ns_pid);
}

static void check_session_end(struct run *r, const struct ss_session_end *x)
{
	if (x->pid != (__u32)r->ns_pid)
		return;
	r->session_ends++;
	if (x->start_ns != r->session.start_ns)
		set_reason(r, "session end start_ns %llu, want %llu",
			   (unsigned long long)x->start_ns,
			   (unsigned long long)r->session.start_ns);
	if (x->exit_code != TEST_EXIT << 8)
		set_reason(r, "session end exit_code 0x%x, want 0x%x", x->exit_code,
			   TEST_EXIT << 8);
	if (x->commands != 1 + TEST_NOOPS || x->capped != TEST_NOOPS - TEST_MAX_COMMANDS)
		set_reason(r, "session end commands %llu capped %u, want %d and %d",
			   (unsigned long long)x->commands, x->capped, 1 + TEST_NOOPS,
			   TEST_NOOPS - TEST_MAX_COMMANDS);
}

static int on_event(void *ctx, const void *data, size_t len)
{
	struct run *r = ctx;
	const struct ss_event *e = data;
	size_t argv_len;

	if (len == sizeof(struct ss_session_end) && e->version == SS_EVENT_VERSION &&
	    e->header_len == sizeof(struct ss_session_end)) {
		check_session_end(r, data);
		return 0;
	}
	if (len == sizeof(struct ss_cgroup_gone) && e->version == SS_EVENT_VERSION &&
	    e->header_len == sizeof(struct ss_cgroup_gone))
		return 0;
	if (len < SS_EVENT_HEADER_LEN || e->version != SS_EVENT_VERSION ||
	    e->header_len != SS_EVENT_HEADER_LEN || e->argv_len > SS_ARGV_LEN ||
	    len < SS_EVENT_HEADER_LEN + e->argv_len) {
		r->bad_records++;
		return 0;
	}
	argv_len = e->argv_len;
	/* Other execs may be seen on a busy host: only the markers count. */
	if (argv_has(e, argv_len, r->host_marker)) {
		r->host_events++;
	} else if (argv_has(e, argv_len, r->ns_marker)) {
		r->ns_events++;
		check_ns_event(r, e, argv_len);
	} else if (argv_has(e, argv_len, r->noop_marker)) {
		r->noop_events++;
		check_noop_event(r, e);
	}
	return 0;
}

static int wait_exit(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/*
 * Host shell on the first CPU, namespaced shell on the last: with two CPUs
 * their counts land in different per-CPU slots, so a reader that summed one
 * slot only would fail the counter check.
 */
static void pin_cpu(int last)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	cpu_set_t set;

	if (n < 2)
		return;
	CPU_ZERO(&set);
	CPU_SET(last ? n - 1 : 0, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static void exec_sh(const char *sh, const char *script, const char *marker)
{
	execl(sh, "sh", "-c", script, marker, (char *)NULL);
	_exit(127);
}

/* Bring the loopback interface up (down in a fresh VM); fine when it already is. */
static int loopback_up(void)
{
	struct ifreq ifr = {0};
	int fd = socket(AF_INET, SOCK_DGRAM, 0), ret = 0;

	if (fd < 0)
		return -errno;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) ||
	    (!(ifr.ifr_flags & IFF_UP) && (ifr.ifr_flags |= IFF_UP, ioctl(fd, SIOCSIFFLAGS, &ifr))))
		ret = -errno;
	close(fd);
	return ret;
}

/*
 * The namespaced shell's stdio: stdin a loopback TCP connection (the client
 * end; the driver keeps the accepted end), stdout the write end of a pipe,
 * stderr /dev/null. fds: [0] client, [1] accepted, [2] pipe read end,
 * [3] pipe write end, [4] /dev/null.
 */
static int make_stdio(struct run *r, int fds[5])
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t alen = sizeof(a);
	int lfd = -1, p[2], ret = 0;
	struct stat st;

	for (int i = 0; i < 5; i++)
		fds[i] = -1;
	ret = loopback_up();
	if (ret)
		return ret;
	lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	fds[0] = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lfd < 0 || fds[0] < 0 || bind(lfd, (struct sockaddr *)&a, sizeof(a)) ||
	    listen(lfd, 1) || getsockname(lfd, (struct sockaddr *)&a, &alen))
		goto fail;
	r->listen_port = ntohs(a.sin_port);
	if (connect(fds[0], (struct sockaddr *)&a, sizeof(a)))
		goto fail;
	fds[1] = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	alen = sizeof(a);
	if (fds[1] < 0 || getsockname(fds[0], (struct sockaddr *)&a, &alen))
		goto fail;
	r->client_port = ntohs(a.sin_port);
	if (pipe2(p, O_CLOEXEC) || fstat(p[1], &st))
		goto fail;
	fds[2] = p[0];
	fds[3] = p[1];
	r->pipe_ino = st.st_ino;
	fds[4] = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (fds[4] < 0)
		goto fail;
	close(lfd);
	return 0;
fail:
	ret = -errno;
	if (lfd >= 0)
		close(lfd);
	for (int i = 0; i < 5; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	return ret ? ret : -EIO;
}

/* sh -c true on the host pid namespace, without a controlling terminal. */
static int run_host_shell(struct run *r)
{
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (pid == 0) {
		setsid();
		pin_cpu(0);
		exec_sh(r->sh, "true", r->host_marker);
	}
	return wait_exit(pid) == 0 ? 0 : -ECHILD;
}

/*
 * sh -c true as pid 1 of a new pid namespace: the child unshares, forks the
 * shell (which becomes vpid 1) and reports its host pid through a pipe.
 */
static int run_ns_shell(struct run *r)
{
	int fds[2], io[5], err = 0;
	pid_t child, sh_pid = 0;
	ssize_t n;

	err = make_stdio(r, io);
	if (err)
		return err;
	if (pipe(fds)) {
		err = -errno;
		goto out_io;
	}
	child = fork();
	if (child < 0) {
		err = -errno;
		goto out_pipe;
	}
	if (child == 0) {
		pid_t p;

		close(fds[0]);
		setsid();
		pin_cpu(1);
		if (unshare(CLONE_NEWPID))
			_exit(2);
		p = fork();
		if (p < 0)
			_exit(3);
		if (p == 0) {
			if (dup2(io[0], 0) < 0 || dup2(io[3], 1) < 0 || dup2(io[4], 2) < 0)
				_exit(126);
			exec_sh(r->sh, r->script, r->ns_marker);
		}
		if (write(fds[1], &p, sizeof(p)) != sizeof(p))
			_exit(4);
		_exit(wait_exit(p) == TEST_EXIT ? 0 : 5);
	}
	close(fds[1]);
	fds[1] = -1;
	n = read(fds[0], &sh_pid, sizeof(sh_pid));
	err = wait_exit(child);
	if (err)
		err = err < 0 ? err : -ECHILD;
	else if (n != sizeof(sh_pid))
		err = -EPROTO;
	r->ns_pid = sh_pid;
	r->ns_ppid = child;
out_pipe:
	close(fds[0]);
	if (fds[1] >= 0)
		close(fds[1]);
out_io:
	for (int i = 0; i < 5; i++)
		close(io[i]);
	return err;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * The verdict is at the end of the verifier log; a full log (1 MiB) would
 * only slow the serial console down, so print its last lines.
 */
static void print_log(const char *log)
{
	size_t len = strnlen(log, VERIFIER_LOG_LEN);
	const char *start = log;

	if (len > VERIFIER_LOG_TAIL) {
		start = log + len - VERIFIER_LOG_TAIL;
		while (*start && *start != '\n')
			start++;
		printf("SS-VERIFIER-LOG-BEGIN\n(%zu bytes before this cut)%s\n",
		       (size_t)(start - log), start);
	} else {
		printf("SS-VERIFIER-LOG-BEGIN\n%s\n", len ? log : "(empty)");
	}
	printf("SS-VERIFIER-LOG-END\n");
}

/* One hook: load, attach, exec, check. Prints its result line. */
static int run_hook(enum loader_hook hook, const char *want_name, const char *sh, const char *self,
		    const char *release, char *vlog)
{
	const char names[1][SS_NAME_KEY_LEN] = {"sh"};
	const uint32_t values[1] = {SS_NAME_INTEREST | SS_NAME_SHELL};
	const struct loader_sessions sessions = {
		.start_flags = SS_SESSION_NET,
		.max_commands = TEST_MAX_COMMANDS,
	};
	struct loader_opts o = {
		.hook = hook,
		.verifier_log = vlog,
		.verifier_log_len = VERIFIER_LOG_LEN,
	};
	uint64_t cnt[SS_CNT_MAX] = {0};
	struct loader *l = NULL;
	struct run r = {.sh = sh, .self = self};
	const char *why = NULL;
	struct ss_error err = {0};
	const char *hook_name = want_name;
	uint32_t insns = 0;
	long long deadline;
	int ret, pass = 0, show_log = 0;

	if (!getcwd(r.cwd, sizeof(r.cwd)))
		snprintf(r.cwd, sizeof(r.cwd), "?");
	snprintf(r.ns_marker, sizeof(r.ns_marker), "ss-kernels-ns-%d-%d", (int)getpid(), hook);
	snprintf(r.host_marker, sizeof(r.host_marker), "ss-kernels-host-%d-%d", (int)getpid(),
		 hook);
	snprintf(r.noop_marker, sizeof(r.noop_marker), "ss-kernels-cmd-%d-%d", (int)getpid(), hook);
	/* Commands by path: a fork and an exec each, whatever the shell's builtins. */
	snprintf(r.script, sizeof(r.script), "for i in 1 2 3 4; do '%s' --noop %s; done; exit %d",
		 self, r.noop_marker, TEST_EXIT);
	vlog[0] = '\0';

	ret = loader_start(&o, &l, &err);
	if (ret) {
		set_reason(&r, "load: %s (%d)", err.msg[0] ? err.msg : strerror(-ret), ret);
		show_log = 1;
		goto out;
	}
	hook_name = loader_hook_name(l);
	insns = loader_verified_insns(l);
	if (strcmp(hook_name, want_name)) {
		set_reason(&r, "attached %s", hook_name);
		goto out;
	}
	ret = loader_set_names(l, names, values, 1);
	if (ret) {
		set_reason(&r, "loader_set_names: %s", strerror(-ret));
		goto out;
	}
	/* the cwd and parent's exe checks below: gathered only when a rule reads them */
	ret = loader_set_config(l, SS_CFG_GATHER_CWD | SS_CFG_GATHER_PEXEPATH);
	if (ret) {
		set_reason(&r, "loader_set_config: %s", strerror(-ret));
		goto out;
	}
	if (!loader_sessions_supported(l, &why)) {
		set_reason(&r, "no sessions: %s", why);
		goto out;
	}
	ret = loader_set_sessions(l, &sessions);
	if (ret) {
		set_reason(&r, "loader_set_sessions: %s", strerror(-ret));
		goto out;
	}
	/* Host shell first: its event, if any, is in the ring before the other. */
	ret = run_host_shell(&r);
	if (ret) {
		set_reason(&r, "host shell %s failed: %s", sh, strerror(-ret));
		goto out;
	}
	ret = run_ns_shell(&r);
	if (ret) {
		set_reason(&r, "namespaced shell failed: %s", strerror(-ret));
		goto out;
	}
	deadline = now_ms() + EVENT_TIMEOUT_MS;
	while ((!r.ns_events || !r.session_ends || r.noop_events < TEST_MAX_COMMANDS) &&
	       now_ms() < deadline) {
		ret = loader_poll(l, 200, on_event, &r);
		if (ret < 0 && ret != -EINTR) {
			set_reason(&r, "loader_poll: %s", strerror(-ret));
			goto out;
		}
	}
	loader_drain(l, on_event, &r);
	if (r.ns_events != 1)
		set_reason(&r, "%d events for the namespaced shell, want 1", r.ns_events);
	if (r.host_events)
		set_reason(&r, "%d events for the host shell, want 0", r.host_events);
	if (r.noop_events != TEST_MAX_COMMANDS)
		set_reason(&r, "%d session commands, want %d (%d run, cap %d)", r.noop_events,
			   TEST_MAX_COMMANDS, TEST_NOOPS, TEST_MAX_COMMANDS);
	if (r.session_ends != 1)
		set_reason(&r, "%d session ends, want 1", r.session_ends);
	if (r.bad_records)
		set_reason(&r, "%d malformed records", r.bad_records);
	ret = loader_read_counters(l, cnt);
	if (ret)
		set_reason(&r, "loader_read_counters: %s", strerror(-ret));
	else if (cnt[SS_CNT_EXECS] < 2 || cnt[SS_CNT_CONTAINER] < 1 || cnt[SS_CNT_EMITTED] < 1 ||
		 cnt[SS_CNT_SESSIONS] != 1 || cnt[SS_CNT_SESSION_CMDS] != TEST_MAX_COMMANDS ||
		 cnt[SS_CNT_SESSION_CAPPED] != TEST_NOOPS - TEST_MAX_COMMANDS ||
		 cnt[SS_CNT_SESSION_ENDS] != 1)
		set_reason(&r,
			   "counters execs=%llu container=%llu emitted=%llu sessions=%llu "
			   "session_cmds=%llu capped=%llu ends=%llu",
			   (unsigned long long)cnt[SS_CNT_EXECS],
			   (unsigned long long)cnt[SS_CNT_CONTAINER],
			   (unsigned long long)cnt[SS_CNT_EMITTED],
			   (unsigned long long)cnt[SS_CNT_SESSIONS],
			   (unsigned long long)cnt[SS_CNT_SESSION_CMDS],
			   (unsigned long long)cnt[SS_CNT_SESSION_CAPPED],
			   (unsigned long long)cnt[SS_CNT_SESSION_ENDS]);
	pass = !r.reason[0];
out:
	loader_stop(l);
	printf("SS-RESULT kernel=%s hook=%s insns=%u result=%s execs=%llu emitted=%llu "
	       "drops=%llu reason=%s\n",
	       release, hook_name, insns, pass ? "PASS" : "FAIL",
	       (unsigned long long)cnt[SS_CNT_EXECS], (unsigned long long)cnt[SS_CNT_EMITTED],
	       (unsigned long long)cnt[SS_CNT_DROPS], pass ? "-" : r.reason);
	if (show_log)
		print_log(vlog);
	fflush(stdout);
	return pass ? 0 : -1;
}

/* As /init: the filesystems libbpf and the checks need, and a console. */
static void init_setup(void)
{
	int fd;

	mkdir("/dev", 0755);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	fd = open("/dev/console", O_RDWR | O_NOCTTY);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	mkdir("/proc", 0755);
	mkdir("/sys", 0755);
	mkdir("/tmp", 01777);
	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	mount("bpf", "/sys/fs/bpf", "bpf", 0, NULL);
	mount("cgroup2", "/sys/fs/cgroup", "cgroup2", 0, NULL);
	/* The tracepoint fallback resolves its id through tracefs. */
	mount("tracefs", "/sys/kernel/tracing", "tracefs", 0, NULL);
	mount("tmpfs", "/tmp", "tmpfs", 0, NULL);
}

/*
 * On the host: the tracepoint fallback needs tracefs, which some hosts leave
 * unmounted. Mount it in a private mount namespace so the host is unchanged.
 */
static void host_setup(void)
{
	if (!access("/sys/kernel/tracing/events", F_OK) ||
	    !access("/sys/kernel/debug/tracing/events", F_OK))
		return;
	if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("tracefs", "/sys/kernel/tracing", "tracefs", 0, NULL)) {
		printf("SS-NOTE tracefs not mounted and could not be mounted privately: %s\n",
		       strerror(errno));
		return;
	}
	printf("SS-NOTE tracefs was not mounted: mounted in a private mount namespace\n");
}

/*
 * overlayfs is a module on Debian's kernels: with it loaded, its BTF is
 * there and the identity step's struct ovl_inode reads (three layouts by
 * kernel) are relocated and verified, not compiled out. run.sh puts each
 * kernel's module at /modules/<release>/overlay.ko.
 */
static void overlay_setup(const char *release, int as_init)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "/modules/%s/overlay.ko", release);
	if (as_init && !access(path, R_OK) && access("/sys/module/overlay", F_OK)) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || syscall(SYS_finit_module, fd, "", 0))
			printf("SS-NOTE overlay module not loaded: %s\n", strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	/* a loadable module has initstate in sysfs, a built-in one not */
	if (!access("/sys/kernel/btf/overlay", F_OK))
		printf("SS-NOTE overlay=module (struct ovl_inode from its BTF)\n");
	else if (!access("/sys/module/overlay/initstate", F_OK))
		printf("SS-NOTE overlay=nobtf (a module without BTF: overlay reads compiled "
		       "out)\n");
	else if (!access("/sys/module/overlay", F_OK))
		printf("SS-NOTE overlay=vmlinux (built in)\n");
	else
		printf("SS-NOTE overlay=none (overlay reads compiled out)\n");
}

static void usage(void)
{
	fprintf(stderr, "usage: driver [--host] [--sh PATH] [--hook tp_btf|tracepoint|both]\n"
			"       driver --noop [ARG...]   (exits 0: the test's session command)\n");
}

int main(int argc, char **argv)
{
	static char vlog[VERIFIER_LOG_LEN];
	struct rlimit rl = {RLIM_INFINITY, RLIM_INFINITY};
	const char *sh = "/bin/sh", *hooks = "both";
	char self[PATH_MAX];
	struct utsname u;
	int as_init = getpid() == 1, failed = 0;
	ssize_t n;

	if (argc > 1 && !strcmp(argv[1], "--noop"))
		return 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--host")) {
			as_init = 0;
		} else if (!strcmp(argv[i], "--sh") && i + 1 < argc) {
			sh = argv[++i];
		} else if (!strcmp(argv[i], "--hook") && i + 1 < argc) {
			hooks = argv[++i];
		} else if (as_init) {
			/* The kernel passes unknown boot parameters to init: ignore. */
			continue;
		} else {
			usage();
			return 2;
		}
	}
	if (as_init)
		init_setup();
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	self[n > 0 ? n : 0] = 0;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!as_init)
		host_setup();
	/* Kernels before 5.11 charge BPF maps to RLIMIT_MEMLOCK. */
	setrlimit(RLIMIT_MEMLOCK, &rl);
	if (uname(&u))
		snprintf(u.release, sizeof(u.release), "unknown");
	printf("SS-START kernel=%s\n", u.release);
	overlay_setup(u.release, as_init);

	if (strcmp(hooks, "tracepoint"))
		failed |= run_hook(LOADER_HOOK_TP_BTF, "tp_btf/sched_process_exec", sh, self,
				   u.release, vlog);
	if (strcmp(hooks, "tp_btf"))
		failed |= run_hook(LOADER_HOOK_TRACEPOINT, "tracepoint/sched/sched_process_exec",
				   sh, self, u.release, vlog);
	printf("SS-DONE\n");
	fflush(stdout);
	if (as_init) {
		sync();
		reboot(RB_POWER_OFF);
		/* Without ACPI poweroff, halting with -no-reboot still ends qemu. */
		reboot(RB_AUTOBOOT);
		for (;;)
			pause();
	}
	return failed ? 1 : 0;
}
