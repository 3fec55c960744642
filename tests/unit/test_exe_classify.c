/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The content classifier against real executables from Debian packages
 * (three releases; downloaded and unpacked into build/exe-samples by
 * tests/exe_samples/fetch.sh, which make runs first: without them this test
 * fails, it does not skip), renamed and stripped copies of them, and
 * hand-built hostile ELF files.
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
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "context/exe_classify.h"
#include "lib/needle_scan.h"

static const char *samples(void)
{
	const char *d = getenv("SS_EXE_SAMPLES");

	return d ? d : "build/exe-samples";
}

struct file {
	uint8_t *p;
	size_t len;
	char path[PATH_MAX];
};

/* First existing PREFIX/rel among the usual bin folders of a package tree. */
static int find_sample(const char *tree, const char *name, char *out, size_t len)
{
	static const char *const dirs[] = {"bin", "usr/bin", "sbin", "usr/sbin", ""};
	struct stat st;
	size_t i;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(out, len, "%s/%s/%s%s%s", samples(), tree, dirs[i], *dirs[i] ? "/" : "",
			 name);
		if (!lstat(out, &st) && S_ISREG(st.st_mode))
			return 0;
	}
	return -ENOENT;
}

static void load(const char *tree, const char *name, struct file *f)
{
	struct stat st;
	ssize_t r;
	int fd;

	if (find_sample(tree, name, f->path, sizeof(f->path)))
		fail_msg("missing sample %s/%s/%s: run 'make exe-samples' (network needed)",
			 samples(), tree, name);
	fd = open(f->path, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	f->len = (size_t)st.st_size;
	f->p = malloc(f->len ? f->len : 1);
	assert_non_null(f->p);
	r = pread(fd, f->p, f->len, 0);
	assert_int_equal(r, (ssize_t)f->len);
	close(fd);
}

static ssize_t fd_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	ssize_t r = pread(*(int *)ctx, buf, len, (off_t)off);

	return r < 0 ? -errno : r;
}

/* Judge a file from disk in odd-sized chunks and from memory: both must agree. */
static void judge(const struct file *f, struct exe_verdict *v)
{
	struct exe_verdict w;
	struct exe_source src;
	int fd = open(f->path, O_RDONLY | O_CLOEXEC);

	assert_true(fd >= 0);
	src.read = fd_read;
	src.ctx = &fd;
	src.size = f->len;
	assert_int_equal(exe_classify_chunked(&src, 4093, &w), 0);
	close(fd);
	assert_int_equal(exe_classify_buf(f->p, f->len, v), 0);
	assert_int_equal(v->kind, w.kind);
	assert_int_equal(v->shell, w.shell);
	assert_int_equal(v->flags, w.flags);
	assert_int_equal(v->strong, w.strong);
	assert_int_equal(v->weak, w.weak);
}

struct expect {
	const char *tree; /* SUITE/PACKAGE */
	const char *name; /* file name in one of its bin folders */
	unsigned kind;
	const char *shell; /* NULL: none */
};

static void check_expect(const struct expect *e)
{
	struct exe_verdict v;
	struct file f;

	load(e->tree, e->name, &f);
	judge(&f, &v);
	if (v.kind != e->kind ||
	    (e->shell && (!exe_shell_name(v.shell) || strcmp(exe_shell_name(v.shell), e->shell))) ||
	    (!e->shell && v.shell != EXE_SHELL_NONE))
		fail_msg("%s: got %s/%s (strong %u weak %u flags %#x), want %s/%s", f.path,
			 exe_kind_name(v.kind), exe_shell_name(v.shell) ?: "-", v.strong, v.weak,
			 v.flags, exe_kind_name(e->kind), e->shell ?: "-");
	/* whole files, none larger than the search budget */
	assert_int_equal(v.flags & ~(EXE_V_MULTICALL | EXE_V_BUDGET), 0);
	if (v.flags & EXE_V_BUDGET)
		assert_true(f.len > EXE_SCAN_BUDGET && e->kind == EXE_KIND_NOT_SHELL);
	free(f.p);
}

#define SH EXE_KIND_SHELL
#define MC EXE_KIND_MULTICALL
#define NO EXE_KIND_NOT_SHELL

static void test_shells(void **state)
{
	static const struct expect e[] = {
		{"bookworm/bash", "bash", SH, "bash"},
		{"bookworm/bash-static", "bash-static", SH, "bash"},
		{"bookworm/dash", "dash", SH, "dash"},
		{"bookworm/zsh", "zsh", SH, "zsh"},
		{"bookworm/zsh-static", "zsh-static", SH, "zsh"},
		{"bookworm/mksh", "mksh", SH, "mksh"},
		{"bookworm/mksh", "lksh", SH, "mksh"},
		{"bookworm/mksh", "usr/lib/klibc/bin/mksh", SH, "mksh"},
		{"bookworm/mksh", "usr/lib/diet/bin/mksh", SH, "mksh"},
		{"bookworm/ksh93u+m", "ksh93", SH, "ksh"},
		{"bookworm/posh", "posh", SH, "posh"},
		{"bookworm/yash", "yash", SH, "yash"},
		{"bookworm/tcsh", "tcsh", SH, "tcsh"},
		{"bookworm/csh", "bsd-csh", SH, "csh"},
		{"bookworm/fish", "fish", SH, "fish"},
		{"bookworm/busybox", "busybox", MC, "ash"},
		{"bookworm/busybox-static", "busybox", MC, "ash"},
		{"bullseye/bash", "bash", SH, "bash"},
		{"bullseye/dash", "dash", SH, "dash"},
		{"bullseye/busybox-static", "busybox", MC, "ash"},
		{"bullseye/ksh", "ksh93", SH, "ksh"},
		{"bullseye/fish", "fish", SH, "fish"},
		{"bullseye/tcsh", "tcsh", SH, "tcsh"},
		{"trixie/bash", "bash", SH, "bash"},
		{"trixie/dash", "dash", SH, "dash"},
		{"trixie/busybox", "busybox", MC, "ash"},
		{"trixie/fish", "fish", SH, "fish"}, /* fish 4: Rust */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(e) / sizeof(e[0]); i++)
		check_expect(&e[i]);
}

static void test_not_shells(void **state)
{
	static const struct expect e[] = {
		{"bookworm/coreutils", "ls", NO, NULL},
		{"bookworm/coreutils", "env", NO, NULL},
		{"bookworm/coreutils", "dircolors", NO, NULL}, /* knows shell names */
		{"bookworm/coreutils", "sleep", NO, NULL},
		{"bookworm/python3.11-minimal", "python3.11", NO, NULL},
		{"bookworm/nginx", "nginx", NO, NULL},
		{"bookworm/shellcheck", "shellcheck", NO, NULL}, /* knows bash's variables */
		{"bookworm/bash", "clear_console", NO, NULL},
	};
	struct exe_verdict v;
	struct file f;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(e) / sizeof(e[0]); i++)
		check_expect(&e[i]);
	/* toybox: a multicall binary, but Debian's has no sh applet */
	load("bookworm/toybox", "toybox", &f);
	judge(&f, &v);
	assert_int_equal(v.kind, EXE_KIND_NOT_SHELL);
	assert_true(v.flags & EXE_V_MULTICALL);
	free(f.p);
	/* a script is not an ELF: judged by its interpreter, not here */
	load("bookworm/bash", "bashbug", &f);
	judge(&f, &v);
	assert_int_equal(v.kind, EXE_KIND_NOT_SHELL);
	assert_true(v.flags & EXE_V_NOT_ELF);
	free(f.p);
}

/* Renamed copies, stripped of symbols, of notes and build ids. */
static void test_renamed_stripped(void **state)
{
	static const struct {
		const char *name;
		unsigned kind;
		const char *shell;
	} d[] = {
		{"kworker", SH, "bash"}, {"worker", SH, "dash"}, {"healthcheck", MC, "ash"},
		{"node", SH, "zsh"},	 {"agent", SH, "mksh"},	 {"sh", NO, NULL}, /* ls */
	};
	static const char *const suffix[] = {"", ".stripped", ".nonotes"};
	char name[64];
	size_t i, j;

	(void)state;
	for (i = 0; i < sizeof(d) / sizeof(d[0]); i++) {
		for (j = 0; j < 3; j++) {
			struct expect e = {"derived", name, d[i].kind, d[i].shell};

			snprintf(name, sizeof(name), "%s%s", d[i].name, suffix[j]);
			check_expect(&e);
		}
	}
}

/* No section headers at all (sstrip): only program headers are used. */
static void test_no_section_headers(void **state)
{
	struct exe_verdict v;
	struct file f;
	uint64_t shoff;

	(void)state;
	load("bookworm/dash", "dash", &f);
	assert_int_equal(f.p[4], 2); /* ELF64 little-endian on the test's host */
	memcpy(&shoff, f.p + 40, 8);
	assert_true(shoff > 0 && shoff < f.len);
	memset(f.p + shoff, 0xa5, f.len - shoff); /* garbage where the headers were */
	memset(f.p + 40, 0, 8);			  /* e_shoff */
	memset(f.p + 58, 0, 6);			  /* e_shentsize, e_shnum, e_shstrndx */
	assert_int_equal(exe_classify_buf(f.p, f.len, &v), 0);
	assert_int_equal(v.kind, EXE_KIND_SHELL);
	assert_string_equal(exe_shell_name(v.shell), "dash");
	free(f.p);
}

/* Every prefix length class of a real shell: no error, flags say why. */
static void test_truncated(void **state)
{
	struct exe_verdict v;
	struct file f;
	size_t cuts[] = {0, 1, 4, 15, 16, 52, 63, 64, 100, 4096, 65536, 0, 0, 0};
	size_t i, n = sizeof(cuts) / sizeof(cuts[0]);

	(void)state;
	load("bookworm/bash", "bash", &f);
	cuts[n - 3] = f.len / 2;
	cuts[n - 2] = f.len - 1;
	cuts[n - 1] = f.len;
	for (i = 0; i < n; i++) {
		assert_int_equal(exe_classify_buf(f.p, cuts[i], &v), 0);
		if (cuts[i] < 16) /* too short to say which ELF: not judged as one */
			assert_true(v.flags & EXE_V_NOT_ELF);
		else if (cuts[i] < 64 + 56)
			assert_true(v.flags & EXE_V_MALFORMED);
		else if (cuts[i] <= f.len / 2) /* the section headers at the end are not needed */
			assert_true(v.flags & EXE_V_SHORT);
		if (cuts[i] < 64)
			assert_int_equal(v.scanned, 0);
		assert_true(v.scanned <= cuts[i]);
	}
	assert_int_equal(v.kind, EXE_KIND_SHELL);
	free(f.p);
}

/* ---- hand-built ELF files ---- */

struct elfb {
	uint8_t buf[8192];
	size_t len;
};

static void put(uint8_t *p, uint64_t v, unsigned n, int be)
{
	unsigned i;

	for (i = 0; i < n; i++)
		p[be ? n - 1 - i : i] = (uint8_t)(v >> (8 * i));
}

/* An ELF with one PT_LOAD (flags) holding data at offset 512. */
static void elf_make(struct elfb *b, int is64, int be, uint32_t flags, const void *data, size_t len)
{
	uint8_t *h = b->buf, *ph;

	memset(b, 0, sizeof(*b));
	memcpy(h, "\177ELF", 4);
	h[4] = is64 ? 2 : 1;
	h[5] = be ? 2 : 1;
	h[6] = 1;
	put(h + 16, 2, 2, be); /* ET_EXEC */
	if (is64) {
		put(h + 32, 64, 8, be); /* e_phoff */
		put(h + 54, 56, 2, be);
		put(h + 56, 1, 2, be);
		ph = h + 64;
		put(ph, 1, 4, be);
		put(ph + 4, flags, 4, be);
		put(ph + 8, 512, 8, be);
		put(ph + 32, len, 8, be);
	} else {
		put(h + 28, 52, 4, be);
		put(h + 42, 32, 2, be);
		put(h + 44, 1, 2, be);
		ph = h + 52;
		put(ph, 1, 4, be);
		put(ph + 4, 512, 4, be);
		put(ph + 16, len, 4, be);
		put(ph + 24, flags, 4, be);
	}
	assert_true(512 + len <= sizeof(b->buf));
	memcpy(b->buf + 512, data, len);
	b->len = 512 + len;
}

/* Strings as bash's own code has them (written here, not taken from the classifier). */
static const char bash_strong[] = "xx\0syntax error near unexpected token `%s'\0"
				  "unexpected EOF while looking for matching `%c'\0";
static const char bash_weak[] = "\0BASH_VERSION\0BASHOPTS\0BASH_EXECUTION_STRING\0";

static void test_synthetic_thresholds(void **state)
{
	struct exe_verdict v;
	struct elfb b;
	char data[512];
	size_t n;

	(void)state;
	/* names only, as shellcheck has them: not a shell */
	elf_make(&b, 1, 0, 4, bash_weak, sizeof(bash_weak));
	assert_int_equal(exe_classify_buf(b.buf, b.len, &v), 0);
	assert_int_equal(v.kind, EXE_KIND_NOT_SHELL);
	assert_int_equal(v.weak, 0); /* weak counts are reported only with a verdict */
	/* two messages alone: not enough */
	elf_make(&b, 1, 0, 4, bash_strong, sizeof(bash_strong));
	assert_int_equal(exe_classify_buf(b.buf, b.len, &v), 0);
	assert_int_equal(v.kind, EXE_KIND_NOT_SHELL);
	/* two messages and a name: bash, in every layout and byte order */
	n = sizeof(bash_strong);
	memcpy(data, bash_strong, n);
	memcpy(data + n, "BASH_VERSION", sizeof("BASH_VERSION"));
	n += sizeof("BASH_VERSION");
	for (int is64 = 0; is64 < 2; is64++) {
		for (int be = 0; be < 2; be++) {
			for (uint32_t fl = 0; fl < 8; fl++) {
				elf_make(&b, is64, be, fl, data, n);
				assert_int_equal(exe_classify_buf(b.buf, b.len, &v), 0);
				assert_int_equal(v.kind, EXE_KIND_SHELL);
				assert_string_equal(exe_shell_name(v.shell), "bash");
				assert_int_equal(!!(v.flags & EXE_V_BIG_ENDIAN), be);
			}
		}
	}
	/* the string must end where a C string ends: "BASH_VERSIONX" is not the name */
	data[n - 1] = 'X';
	elf_make(&b, 1, 0, 4, data, n);
	assert_int_equal(exe_classify_buf(b.buf, b.len, &v), 0);
	assert_int_equal(v.kind, EXE_KIND_NOT_SHELL);
	/* outside any PT_LOAD the same bytes do not count */
	memcpy(data + n - sizeof("BASH_VERSION"), "BASH_VERSION", sizeof("BASH_VERSION"));
	elf_make(&b, 1, 0, 4, data, n);
	put(b.buf + 64, 4 /* PT_NOTE */, 4, 0);
	assert_int_equal(exe_classify_buf(b.buf, b.len, &v), 0);
	assert_int_equal(v.kind, EXE_KIND_NOT_SHELL);
	assert_true(v.flags & EXE_V_MALFORMED);
}

static void test_busybox_applets(void **state)
{
	static const char bb[] = "BusyBox v1.36.1 (2024)\0BusyBox is a multi-call binary\0";
	static const char ash[] = "built-in shell (ash)\0";
	struct exe_verdict v;
	struct elfb b;
	char data[256];

	(void)state;
	elf_make(&b, 1, 0, 4, bb, sizeof(bb));
	assert_int_equal(exe_classify_buf(b.buf, b.len, &v), 0);
	assert_int_equal(v.kind, EXE_KIND_NOT_SHELL); /* no shell applet built in */
	assert_true(v.flags & EXE_V_MULTICALL);
	memcpy(data, bb, sizeof(bb));
	memcpy(data + sizeof(bb), ash, sizeof(ash));
	elf_make(&b, 1, 0, 4, data, sizeof(bb) + sizeof(ash));
	assert_int_equal(exe_classify_buf(b.buf, b.len, &v), 0);
	assert_int_equal(v.kind, EXE_KIND_MULTICALL);
	assert_string_equal(exe_shell_name(v.shell), "ash");
}

static void test_malformed(void **state)
{
	struct exe_verdict v;
	struct elfb b;

	(void)state;
	/* wrong phentsize, no phdrs, phdrs past the end, > 4 KiB of phdrs */
	elf_make(&b, 1, 0, 4, bash_strong, sizeof(bash_strong));
	put(b.buf + 54, 55, 2, 0);
	assert_int_equal(exe_classify_buf(b.buf, b.len, &v), 0);
	assert_true(v.flags & EXE_V_MALFORMED);
	put(b.buf + 54, 56, 2, 0);
	put(b.buf + 56, 0, 2, 0);
	assert_int_equal(exe_classify_buf(b.buf, b.len, &v), 0);
	assert_true(v.flags & EXE_V_MALFORMED);
	put(b.buf + 56, 1, 2, 0);
	put(b.buf + 32, b.len - 10, 8, 0);
	assert_int_equal(exe_classify_buf(b.buf, b.len, &v), 0);
	assert_true(v.flags & EXE_V_MALFORMED);
	put(b.buf + 32, UINT64_MAX - 8, 8, 0);
	assert_int_equal(exe_classify_buf(b.buf, b.len, &v), 0);
	assert_true(v.flags & EXE_V_MALFORMED);
	put(b.buf + 32, 64, 8, 0);
	put(b.buf + 56, 74, 2, 0); /* 74 * 56 > 4096 */
	assert_int_equal(exe_classify_buf(b.buf, b.len, &v), 0);
	assert_true(v.flags & EXE_V_MALFORMED);
	/* a segment running past the end of the file (offset + size overflows) */
	put(b.buf + 56, 1, 2, 0);
	put(b.buf + 64 + 32, UINT64_MAX, 8, 0);
	assert_int_equal(exe_classify_buf(b.buf, b.len, &v), 0);
	assert_true(v.flags & EXE_V_SHORT);
	assert_int_equal(v.scanned, b.len - 512);
	/* a segment starting past the end: nothing to search */
	put(b.buf + 64 + 8, UINT64_MAX - 1, 8, 0);
	assert_int_equal(exe_classify_buf(b.buf, b.len, &v), 0);
	assert_true(v.flags & EXE_V_MALFORMED);
	assert_int_equal(v.scanned, 0);
	/* bad class and data bytes */
	elf_make(&b, 1, 0, 4, bash_strong, sizeof(bash_strong));
	b.buf[4] = 3;
	assert_int_equal(exe_classify_buf(b.buf, b.len, &v), 0);
	assert_true(v.flags & EXE_V_MALFORMED);
	b.buf[4] = 2;
	b.buf[5] = 0;
	assert_int_equal(exe_classify_buf(b.buf, b.len, &v), 0);
	assert_true(v.flags & EXE_V_MALFORMED);
}

/*
 * A file larger than the budget, made up on the fly: zeros, with bash's
 * strings at a chosen offset. The same segment repeated 128 times (hostile
 * phdrs) is still searched EXE_SCAN_BUDGET bytes at most.
 */
struct virt {
	uint8_t head[8192];
	uint64_t size, at;
	const char *data;
	size_t data_len;
	unsigned calls;
};

static ssize_t virt_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	struct virt *vf = ctx;
	uint8_t *out = buf;
	size_t i;

	vf->calls++;
	if (off >= vf->size)
		return 0;
	if (len > vf->size - off)
		len = (size_t)(vf->size - off);
	for (i = 0; i < len; i++) {
		uint64_t o = off + i;

		if (o < sizeof(vf->head))
			out[i] = vf->head[o];
		else if (o >= vf->at && o < vf->at + vf->data_len)
			out[i] = (uint8_t)vf->data[o - vf->at];
		else
			out[i] = 0;
	}
	return (ssize_t)len;
}

static void test_budget(void **state)
{
	static char data[sizeof(bash_strong) + sizeof("BASH_VERSION")];
	struct exe_source src = {virt_read, NULL, 0};
	struct exe_verdict v;
	struct elfb b;
	struct virt *vf = calloc(1, sizeof(*vf));
	unsigned i;

	(void)state;
	assert_non_null(vf);
	memcpy(data, bash_strong, sizeof(bash_strong));
	memcpy(data + sizeof(bash_strong), "BASH_VERSION", sizeof("BASH_VERSION"));
	elf_make(&b, 1, 0, 4, "", 0);
	put(b.buf + 64 + 8, 0, 8, 0);
	memcpy(vf->head, b.buf, sizeof(vf->head));
	vf->data = data;
	vf->data_len = sizeof(data);
	vf->size = 64ull << 20;
	put(vf->head + 64 + 32, vf->size, 8, 0);
	src.ctx = vf;
	src.size = vf->size;

	vf->at = EXE_SCAN_BUDGET - 4096; /* within the budget */
	assert_int_equal(exe_classify(&src, &v), 0);
	assert_int_equal(v.kind, EXE_KIND_SHELL);
	vf->at = EXE_SCAN_BUDGET + 4096; /* beyond it: not seen, and said so */
	assert_int_equal(exe_classify(&src, &v), 0);
	assert_int_equal(v.kind, EXE_KIND_NOT_SHELL);
	assert_true(v.flags & EXE_V_BUDGET);
	assert_int_equal(v.scanned, EXE_SCAN_BUDGET);

	/* 73 copies of the same PT_LOAD: searched once per copy, but within the budget */
	put(vf->head + 56, 73, 2, 0);
	for (i = 1; i < 73; i++)
		memcpy(vf->head + 64 + i * 56, vf->head + 64, 56);
	vf->calls = 0;
	assert_int_equal(exe_classify(&src, &v), 0);
	assert_true(v.scanned <= EXE_SCAN_BUDGET);
	assert_true(vf->calls <= 2 + EXE_SCAN_BUDGET / EXE_CHUNK + 73);
	free(vf);
}

struct failing {
	struct virt *vf;
	unsigned fail_at;
	ssize_t ret;
	unsigned calls;
};

static ssize_t failing_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	struct failing *f = ctx;

	if (++f->calls >= f->fail_at)
		return f->ret > 0 ? (ssize_t)len + f->ret : f->ret;
	return virt_read(f->vf, off, buf, len);
}

static void test_reader_errors(void **state)
{
	struct failing f = {0};
	struct exe_source src = {failing_read, &f, 0};
	struct exe_verdict v;
	struct elfb b;
	unsigned at;

	(void)state;
	f.vf = calloc(1, sizeof(*f.vf));
	assert_non_null(f.vf);
	elf_make(&b, 1, 0, 4, bash_strong, sizeof(bash_strong));
	memcpy(f.vf->head, b.buf, sizeof(f.vf->head));
	f.vf->size = 1 << 20;
	put(f.vf->head + 64 + 32, f.vf->size - 512, 8, 0);
	src.size = f.vf->size;
	for (at = 1; at <= 4; at++) {
		f.calls = 0;
		f.fail_at = at;
		f.ret = -EIO;
		assert_int_equal(exe_classify(&src, &v), -EIO);
		/* a reader claiming more bytes than asked for is an error too */
		f.calls = 0;
		f.ret = 1;
		assert_int_equal(exe_classify(&src, &v), -EIO);
	}
	/* the file shrinks between fstat and read: reads end early */
	f.calls = 0;
	f.fail_at = 1000;
	f.vf->size = 4096;
	assert_int_equal(exe_classify(&src, &v), 0);
	assert_true(v.flags & EXE_V_SHORT);
	assert_int_equal(exe_classify_chunked(&src, 0, &v), -EINVAL);
	assert_int_equal(exe_classify(NULL, &v), -EINVAL);
	free(f.vf);
}

static void test_needles(void **state)
{
	static const struct needle n[] = {
		{"abcdefgh", 8},
		{"needle\0\0x", 9},
		{"xxxxxxxxyz", 10},
	};
	static const struct needle shorty[] = {{"short", 5}};
	static struct needle_set set;
	const uint8_t text[] = "..abcdefg.abcdefgh.needle\0\0x xxxxxxxxxxxxxxyz";
	struct needle_found f;

	(void)state;
	assert_int_equal(needle_set_init(&set, shorty, 1), -EINVAL);
	assert_int_equal(needle_set_init(&set, n, 0), -EINVAL);
	assert_int_equal(needle_set_init(&set, n, 3), 0);
	memset(&f, 0, sizeof(f));
	needle_set_scan(&set, text, sizeof(text) - 1, &f);
	assert_true(needle_found_has(&f, 0));
	assert_true(needle_found_has(&f, 1));
	assert_true(needle_found_has(&f, 2));
	/* cut before the last byte of each: none is seen */
	memset(&f, 0, sizeof(f));
	needle_set_scan(&set, text, 17, &f);
	assert_false(needle_found_has(&f, 0));
	needle_set_scan(&set, text + 2, 7, &f);
	assert_false(needle_found_has(&f, 0));
	needle_set_scan(&set, text, 18, &f);
	assert_true(needle_found_has(&f, 0));
	assert_false(needle_found_has(&f, 1));
	assert_false(needle_found_has(&f, 2));
}

static void test_names(void **state)
{
	unsigned i, j;

	(void)state;
	assert_null(exe_shell_name(EXE_SHELL_NONE));
	assert_null(exe_shell_name(EXE_SHELL_COUNT));
	for (i = 1; i < EXE_SHELL_COUNT; i++) {
		assert_non_null(exe_shell_name(i));
		/* a content verdict is a value shellsentry.shell takes by name too */
		assert_true(ss_is_shell_name(exe_shell_name(i)));
		for (j = 1; j < i; j++)
			assert_string_not_equal(exe_shell_name(i), exe_shell_name(j));
	}
	assert_string_equal(exe_kind_name(EXE_KIND_MULTICALL), "multicall");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_needles),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_synthetic_thresholds),
		cmocka_unit_test(test_busybox_applets),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_budget),
		cmocka_unit_test(test_reader_errors),
		cmocka_unit_test(test_shells),
		cmocka_unit_test(test_not_shells),
		cmocka_unit_test(test_renamed_stripped),
		cmocka_unit_test(test_no_section_headers),
		cmocka_unit_test(test_truncated),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
