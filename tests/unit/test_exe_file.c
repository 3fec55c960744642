/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Opening an executed file again: handle encodings checked against what
 * the kernel itself encodes (name_to_handle_at), mountinfo parsing, the
 * /proc/<pid>/exe path with its identity check, and a file that changes
 * while it is read. The open_by_handle_at path needs CAP_DAC_READ_SEARCH:
 * as root it runs, otherwise it says it did not.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/fs.h>
#include <cmocka.h>

#include "context/exe_file.h"
#include "tmpdir.h"

struct kernel_handle {
	struct file_handle fh;
	unsigned char b[64];
};

static int kernel_handle(const char *path, struct kernel_handle *h)
{
	int mnt;

	h->fh.handle_bytes = sizeof(h->b);
	return name_to_handle_at(AT_FDCWD, path, &h->fh, &mnt, 0) ? -errno : 0;
}

static void ref_from_fd(int fd, uint32_t magic, uint32_t gen, struct exe_ref *r)
{
	struct stat st;

	assert_int_equal(fstat(fd, &st), 0);
	memset(r, 0, sizeof(*r));
	r->ino = r->vis_ino = st.st_ino;
	r->dev_major = r->vis_dev_major = major(st.st_dev);
	r->dev_minor = r->vis_dev_minor = minor(st.st_dev);
	r->size = (uint64_t)st.st_size;
	r->ctime_sec = st.st_ctim.tv_sec;
	r->ctime_nsec = (uint32_t)st.st_ctim.tv_nsec;
	r->fs_magic = magic;
	r->gen = gen;
}

static void test_handle_encode(void **state)
{
	struct exe_handle h;
	uint32_t w[3];

	(void)state;
	assert_int_equal(exe_handle_encode(EXE_FS_EXT4, 0x1234, 0xabcd, &h), 0);
	assert_int_equal(h.fh.handle_type, 1);
	assert_int_equal(h.fh.handle_bytes, 8);
	memcpy(w, h.fh.f_handle, 8);
	assert_int_equal(w[0], 0x1234);
	assert_int_equal(w[1], 0xabcd);
	assert_int_equal(exe_handle_encode(EXE_FS_EXT4, 1ull << 32, 1, &h), -EOVERFLOW);
	assert_int_equal(exe_handle_encode(EXE_FS_TMPFS, 0x100000002ull, 7, &h), 0);
	assert_int_equal(h.fh.handle_type, 1);
	assert_int_equal(h.fh.handle_bytes, 12);
	memcpy(w, h.fh.f_handle, 12);
	assert_int_equal(w[0], 7);
	assert_int_equal(w[1], 2);
	assert_int_equal(w[2], 1);
	assert_int_equal(exe_handle_encode(EXE_FS_XFS, 0x100000002ull, 7, &h), 0);
	assert_int_equal(h.fh.handle_type, 0x81);
	assert_int_equal(h.fh.handle_bytes, 12);
	assert_int_equal(exe_handle_encode(EXE_FS_BTRFS, 5, 7, &h), -EOPNOTSUPP);
	assert_int_equal(exe_handle_encode(EXE_FS_OVERLAY, 5, 7, &h), -EOPNOTSUPP);
}

/*
 * What the running kernel encodes for a file on tmpfs (/dev/shm) and on
 * ext4 (wherever the tests run, if it is ext4): the same bytes as ours.
 */
static void test_handle_matches_kernel(void **state)
{
	static const struct {
		const char *dir;
		uint32_t magic;
	} fs[] = {{"/dev/shm", EXE_FS_TMPFS}, {".", EXE_FS_EXT4}, {"/tmp", EXE_FS_EXT4}};
	unsigned checked = 0;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(fs) / sizeof(fs[0]); i++) {
		char path[PATH_MAX];
		struct kernel_handle k;
		struct exe_handle h;
		struct statfs sfs;
		struct stat st;
		uint32_t gen = 0;
		int fd;

		if (statfs(fs[i].dir, &sfs) || (uint32_t)sfs.f_type != fs[i].magic)
			continue;
		snprintf(path, sizeof(path), "%s/ss_test_exe_file.%d", fs[i].dir, getpid());
		fd = open(path, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0600);
		assert_true(fd >= 0);
		assert_int_equal(fstat(fd, &st), 0);
		assert_int_equal(kernel_handle(path, &k), 0);
		if (fs[i].magic == EXE_FS_TMPFS)
			memcpy(&gen, k.fh.f_handle, 4); /* tmpfs has no FS_IOC_GETVERSION */
		else
			assert_int_equal(ioctl(fd, FS_IOC_GETVERSION, &gen), 0);
		assert_int_equal(exe_handle_encode(fs[i].magic, st.st_ino, gen, &h), 0);
		assert_int_equal(h.fh.handle_type, k.fh.handle_type);
		assert_int_equal(h.fh.handle_bytes, k.fh.handle_bytes);
		assert_memory_equal(h.fh.f_handle, k.fh.f_handle, h.fh.handle_bytes);
		close(fd);
		unlink(path);
		checked++;
	}
	if (!checked)
		print_message("test_handle_matches_kernel: no tmpfs /dev/shm and no ext4 here: "
			      "nothing compared\n");
	else
		print_message("test_handle_matches_kernel: %u filesystems compared\n", checked);
}

static void test_mountinfo(void **state)
{
	static const char text[] = "22 27 0:21 / /proc rw,relatime - proc proc rw\n"
				   "43 27 254:0 /var/lib/containers/storage/overlay "
				   "/var/lib/containers/storage/overlay "
				   "rw - ext4 /dev/vda rw\n"
				   "27 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n"
				   "60 27 0:55 / /mnt/with\\040space\\134x rw - tmpfs tmpfs rw\n"
				   "61 27 0:56 /sub /mnt/only-sub rw - tmpfs tmpfs rw\n"
				   "garbage\n"
				   "62 27 0:57";
	char out[64];

	(void)state;
	assert_int_equal(mountinfo_find(text, sizeof(text) - 1, 254, 0, out, sizeof(out)), 0);
	assert_string_equal(out, "/"); /* the root mount, not the first bind mount */
	assert_int_equal(mountinfo_find(text, sizeof(text) - 1, 0, 55, out, sizeof(out)), 0);
	assert_string_equal(out, "/mnt/with space\\x");
	assert_int_equal(mountinfo_find(text, sizeof(text) - 1, 0, 56, out, sizeof(out)), 0);
	assert_string_equal(out, "/mnt/only-sub");
	assert_int_equal(mountinfo_find(text, sizeof(text) - 1, 0, 57, out, sizeof(out)), -ENOENT);
	assert_int_equal(mountinfo_find(text, sizeof(text) - 1, 0, 22, out, sizeof(out)), -ENOENT);
	assert_int_equal(mountinfo_find(text, sizeof(text) - 1, 0, 55, out, 8), -ENAMETOOLONG);
	assert_int_equal(mountinfo_find(text, 0, 254, 0, out, sizeof(out)), -ENOENT);
}

/* A live process's own executable through /proc/<pid>/exe; a wrong identity is refused. */
static void test_open_proc_exe(void **state)
{
	struct exe_verdict v;
	struct exe_mounts m;
	struct exe_ref r;
	enum exe_open_how how;
	int fd, self;
	pid_t child;

	(void)state;
	exe_mounts_init(&m, "/proc");
	self = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	assert_true(self >= 0);
	ref_from_fd(self, 0 /* no handle format: /proc only */, 0, &r);
	close(self);
	r.pid = (uint32_t)getpid();
	fd = exe_file_open(&m, &r, &how, NULL);
	assert_true(fd >= 0);
	assert_int_equal(how, EXE_OPEN_PROC_EXE);
	assert_int_equal(exe_file_judge(fd, &r, how, &v), 0);
	assert_int_equal(v.kind, EXE_KIND_NOT_SHELL); /* this test program */
	assert_true(v.scanned > 0);
	close(fd);

	/* another version of the file (ctime), another file (inode): refused */
	r.ctime_nsec ^= 1;
	assert_int_equal(exe_file_open(&m, &r, &how, NULL), -ESTALE);
	r.ctime_nsec ^= 1;
	r.ino ^= 1;
	r.vis_ino ^= 1;
	assert_int_equal(exe_file_open(&m, &r, &how, NULL), -ESTALE);
	r.ino ^= 1;
	r.vis_ino ^= 1;

	/* a process that is gone */
	child = fork();
	assert_true(child >= 0);
	if (!child)
		_exit(0);
	assert_int_equal(waitpid(child, NULL, 0), child);
	r.pid = (uint32_t)child;
	assert_int_equal(exe_file_open(&m, &r, &how, NULL), -ESRCH);
	assert_int_equal(how, EXE_OPEN_NONE);
	exe_mounts_free(&m);
}

static const char *dash_sample(char *buf, size_t len)
{
	const char *d = getenv("SS_EXE_SAMPLES");
	static const char *const rel[] = {"bookworm/dash/bin/dash", "bookworm/dash/usr/bin/dash"};
	size_t i;

	for (i = 0; i < 2; i++) {
		snprintf(buf, len, "%s/%s", d ? d : "build/exe-samples", rel[i]);
		if (!access(buf, R_OK))
			return buf;
	}
	fail_msg("missing sample dash under %s: run 'make exe-samples'",
		 d ? d : "build/exe-samples");
	return NULL;
}

/* A copy of dash in dir; its path in out. */
static int copy_dash(const char *dir, char *out, size_t len)
{
	char src[PATH_MAX], buf[65536];
	int in, fd;
	ssize_t r;

	dash_sample(src, sizeof(src));
	snprintf(out, len, "%s/ss_test_exe_file_dash.%d", dir, getpid());
	in = open(src, O_RDONLY | O_CLOEXEC);
	assert_true(in >= 0);
	fd = open(out, O_CREAT | O_TRUNC | O_RDWR | O_CLOEXEC, 0700);
	assert_true(fd >= 0);
	while ((r = read(in, buf, sizeof(buf))) > 0)
		assert_int_equal(write(fd, buf, (size_t)r), r);
	close(in);
	return fd;
}

static const char *append_path;

static void append_byte(void *arg)
{
	int fd = open(append_path, O_WRONLY | O_APPEND | O_CLOEXEC);

	(void)arg;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "x", 1), 1);
	close(fd);
}

/* Written while read: no verdict. Unchanged: the verdict. */
static void test_changed_while_read(void **state)
{
	char path[PATH_MAX];
	struct exe_verdict v;
	struct exe_ref r;
	int fd;

	(void)state;
	fd = copy_dash("/tmp", path, sizeof(path));
	ref_from_fd(fd, 0, 0, &r);
	assert_int_equal(exe_file_judge(fd, &r, EXE_OPEN_HANDLE, &v), 0);
	assert_int_equal(v.kind, EXE_KIND_SHELL);
	assert_string_equal(exe_shell_name(v.shell), "dash");
	append_path = path;
	assert_int_equal(exe_file_judge_hooked(fd, &r, EXE_OPEN_HANDLE, &v, append_byte, NULL),
			 -ESTALE);
	/* and judged again as the new version */
	ref_from_fd(fd, 0, 0, &r);
	assert_int_equal(exe_file_judge(fd, &r, EXE_OPEN_HANDLE, &v), 0);
	assert_int_equal(v.kind, EXE_KIND_SHELL);
	close(fd);
	unlink(path);
}

/*
 * open_by_handle_at on tmpfs (/dev/shm) through the host's mountinfo, with
 * the handle built from what the kernel would record: the process that ran
 * it need not exist. Needs CAP_DAC_READ_SEARCH.
 */
static void test_open_by_handle(void **state)
{
	char path[PATH_MAX];
	struct kernel_handle k;
	struct exe_verdict v;
	struct exe_mounts m;
	struct statfs sfs;
	struct exe_ref r;
	enum exe_open_how how;
	uint32_t gen;
	int fd, fd2;

	(void)state;
	if (geteuid() != 0) {
		print_message("test_open_by_handle: not root (CAP_DAC_READ_SEARCH): not run\n");
		return;
	}
	if (statfs("/dev/shm", &sfs) || (uint32_t)sfs.f_type != EXE_FS_TMPFS) {
		print_message("test_open_by_handle: /dev/shm is not tmpfs: not run\n");
		return;
	}
	fd = copy_dash("/dev/shm", path, sizeof(path));
	assert_int_equal(kernel_handle(path, &k), 0);
	memcpy(&gen, k.fh.f_handle, 4);
	ref_from_fd(fd, EXE_FS_TMPFS, gen, &r);
	close(fd);
	r.pid = 0; /* no process to fall back on */
	r.vis_ino = 0;
	exe_mounts_init(&m, "/proc");
	fd2 = exe_file_open(&m, &r, &how, NULL);
	assert_true(fd2 >= 0);
	assert_int_equal(how, EXE_OPEN_HANDLE);
	assert_int_equal(exe_file_judge(fd2, &r, how, &v), 0);
	assert_string_equal(exe_shell_name(v.shell), "dash");
	close(fd2);
	/* a wrong generation is another inode to the handle; only the bounded search may find it */
	r.gen ^= 1;
	fd2 = exe_file_open(&m, &r, &how, NULL);
	if (fd2 >= 0) {
		assert_int_equal(how, EXE_OPEN_SEARCH);
		close(fd2);
	}
	r.gen ^= 1;
	/* gone: no name left, nothing holds it open */
	assert_int_equal(unlink(path), 0);
	assert_int_equal(exe_file_open(&m, &r, &how, NULL), -ENOENT);
	exe_mounts_free(&m);
}

/* The bounded walk: finds the inode without following links; bounds end it. */
static void test_search(void **state)
{
	char dir[256], path[PATH_MAX], dash[PATH_MAX];
	struct exe_ref r;
	struct stat st;
	int top, fd, i;

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/ss_test_search.%d", getpid());
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(path, sizeof(path), "%s/a", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/a/b", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/loop", dir);
	assert_int_equal(symlink(".", path), 0); /* followed, it would never end */
	snprintf(path, sizeof(path), "%s/a/etc", dir);
	assert_int_equal(symlink("/etc", path), 0);
	fd = copy_dash(dir, dash, sizeof(dash));
	close(fd);
	snprintf(path, sizeof(path), "%s/a/b/kworker", dir);
	assert_int_equal(rename(dash, path), 0);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	ref_from_fd(fd, 0, 0, &r);
	close(fd);
	top = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(top >= 0);
	fd = exe_file_search(top, &r);
	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(st.st_ino, r.ino);
	close(fd);
	r.ino ^= 1;
	assert_int_equal(exe_file_search(top, &r), -ENOENT);
	r.ino ^= 1;
	r.size++; /* there, but another version */
	assert_int_equal(exe_file_search(top, &r), -ESTALE);
	r.size--;
	/* more entries than the bound: a walk for an inode not there gives up, and says so */
	for (i = 0; i < EXE_SEARCH_ENTRIES; i++) {
		snprintf(path, sizeof(path), "%s/f%05d", dir, i);
		fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
		assert_true(fd >= 0);
		close(fd);
	}
	r.ino ^= 1;
	assert_int_equal(exe_file_search(top, &r), -E2BIG);
	close(top);
	assert_int_equal(tmpdir_remove(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_handle_encode),
		cmocka_unit_test(test_handle_matches_kernel),
		cmocka_unit_test(test_mountinfo),
		cmocka_unit_test(test_open_proc_exe),
		cmocka_unit_test(test_changed_while_read),
		cmocka_unit_test(test_open_by_handle),
		cmocka_unit_test(test_search),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
