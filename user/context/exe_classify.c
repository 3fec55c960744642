// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "context/exe_classify.h"
#include "lib/needle_scan.h"
#include "shellsentry.h"

_Static_assert(EXE_KIND_SHELL == SS_EXE_SHELL && EXE_KIND_MULTICALL == SS_EXE_MULTICALL &&
		       EXE_KIND_NOT_SHELL == SS_EXE_NOT_SHELL,
	       "kinds are the kernel map's");

/*
 * Families of signatures. A shell's "strong" strings are messages only its
 * own implementation prints (syntax errors, its version banner); "weak"
 * ones are names other programs know too (shellcheck carries bash's
 * special variable names, dircolors the word "tcsh"), so they only
 * support a verdict. Strings checked against Debian 12's builds, static
 * and musl/klibc/dietlibc ones included, and present in their upstream
 * sources for many releases.
 */
enum family {
	F_BASH,
	F_DASH,
	F_ZSH,
	F_KSH,
	F_MKSH,
	F_POSH,
	F_YASH,
	F_TCSH, /* before F_CSH: tcsh carries csh's messages too */
	F_CSH,
	F_FISH,
	F_SHELLS, /* families above are shells, in order of precedence */
	F_BUSYBOX = F_SHELLS,
	F_TOYBOX,
	F_ASH, /* applets, looked at only in a multicall binary */
	F_HUSH,
	F_COUNT,
};

static const uint8_t family_shell[F_SHELLS] = {
	[F_BASH] = EXE_SHELL_BASH, [F_DASH] = EXE_SHELL_DASH, [F_ZSH] = EXE_SHELL_ZSH,
	[F_KSH] = EXE_SHELL_KSH,   [F_MKSH] = EXE_SHELL_MKSH, [F_POSH] = EXE_SHELL_POSH,
	[F_YASH] = EXE_SHELL_YASH, [F_TCSH] = EXE_SHELL_TCSH, [F_CSH] = EXE_SHELL_CSH,
	[F_FISH] = EXE_SHELL_FISH,
};

/*
 * Each string is written in two pieces, joined when the table is built: a
 * binary holding this table (shellsentry itself) must not carry the
 * strings whole, or it would be judged a shell of every family.
 */
struct sig {
	uint8_t family;
	uint8_t strong;
	uint8_t head_len, tail_len;
	const char *head, *tail;
};

/* "\0" inside a literal: the string must end there (a C string's end). */
#define SIG(f, s, h, t)                                                                            \
	{                                                                                          \
		F_##f, s, sizeof(h) - 1, sizeof(t) - 1, h, t                                       \
	}

/* clang-format off */
static const struct sig sigs[] = {
	SIG(BASH, 1, "syn", "tax error near unexpected token `%s'\0"),
	SIG(BASH, 1, "une", "xpected EOF while looking for matching `%c'\0"),
	SIG(BASH, 1, "GNU", " bash, version "),
	SIG(BASH, 1, "no ", "job control in this shell\0"),
	SIG(BASH, 1, "%s:", " cannot execute binary file\0"),
	SIG(BASH, 1, "%s:", " parameter null or not set\0"),
	SIG(BASH, 0, "BAS", "H_VERSION\0"),
	SIG(BASH, 0, "BAS", "H_EXECUTION_STRING\0"),
	SIG(BASH, 0, "BAS", "HOPTS\0"),

	SIG(DASH, 1, "Syn", "tax error: %s\0"),
	SIG(DASH, 1, "%s ", "unexpected (expecting %s)\0"),
	SIG(DASH, 1, "EOF", " in backquote substitution\0"),
	SIG(DASH, 1, "Bad", " for loop variable\0"),
	SIG(DASH, 1, "Max", "imum function recursion depth (%d) reached\0"),
	SIG(DASH, 1, "sh:", " turning off NDELAY mode\n\0"),
	SIG(DASH, 0, "Dir", "ectory nonexistent\0"),
	SIG(DASH, 0, "Ill", "egal option -o %s\0"),

	SIG(ZSH, 1, "zsh", " %s (%s-%s-%s)\n\0"),
	SIG(ZSH, 1, "zwc", " file has wrong version (zsh-%s): %s\0"),
	SIG(ZSH, 1, "no ", "matches found: %s\0"),
	SIG(ZSH, 1, "clo", "sing brace expected\0"),
	SIG(ZSH, 1, "com", "mand not found: %s\0"),
	SIG(ZSH, 0, "ZSH", "_VERSION\0"),
	SIG(ZSH, 0, "ZSH", "_PATCHLEVEL\0"),
	SIG(ZSH, 0, "ZSH", "_SUBSHELL\0"),

	SIG(KSH, 1, "@(#", ")$Id: Version "),
	SIG(KSH, 1, "syn", "tax error at line %d: `%s' %s\0"),
	SIG(KSH, 1, "%s:", " arithmetic syntax error\0"),
	SIG(KSH, 1, "%s:", " compound assignment requires sub-variable name\0"),
	SIG(KSH, 1, "%s:", " global reference cannot refer to local variable\0"),
	SIG(KSH, 1, "%c:", " invalid subscript in assignment\0"),
	SIG(KSH, 0, ".sh", ".version\0"),
	SIG(KSH, 0, ".sh", ".subscript\0"),
	SIG(KSH, 0, ".sh", ".edchar\0"),

	SIG(MKSH, 1, "@(#", ")MIRBSD KSH R"),
	SIG(MKSH, 1, "@(#", ")LEGACY KSH R"),
	SIG(MKSH, 1, "TEL", "IF unexpected\0"),
	SIG(MKSH, 1, "no ", "closing quote\0"),
	SIG(MKSH, 0, "EXE", "CSHELL\0"),
	SIG(MKSH, 0, "une", "xpected operator/operand\0"),
	SIG(MKSH, 0, "ina", "ccessible or not found\0"),

	SIG(POSH, 1, "POS", "H_VERSION\0"),
	SIG(POSH, 1, "syn", "tax error: unexpected EOF\n\0"),
	SIG(POSH, 1, "her", "e document `%s' unclosed\n\0"),
	SIG(POSH, 0, "EXE", "CSHELL\0"),
	SIG(POSH, 0, "une", "xpected operator/operand\0"),

	SIG(YASH, 1, "Yet", " another shell, version "),
	SIG(YASH, 1, "ari", "thmetic: invalid syntax\0"),
	SIG(YASH, 1, "une", "xpected word after redirection\0"),
	SIG(YASH, 1, "The", " [[ ... ]] syntax is not supported in the POSIXly-correct mode\0"),

	SIG(TCSH, 1, "Unm", "atched '%c'\0"),
	SIG(TCSH, 1, "%S:", " Command not found.\n\0"),
	SIG(TCSH, 1, "Mis", "sing closing brace\0"),
	SIG(TCSH, 1, "\n\tT", "csh thinks your terminal has the\n\0"),
	SIG(TCSH, 1, "%S:", " shell built-in command.\n\0"),
	SIG(TCSH, 0, "Bad", "ly placed ()'s\0"),
	SIG(TCSH, 0, "Mis", "sing name for redirect\0"),

	SIG(CSH, 1, "Bad", "ly placed ()'s\0"),
	SIG(CSH, 1, "Mis", "sing name for redirect\0"),
	SIG(CSH, 1, "Inv", "alid null command\0"),
	SIG(CSH, 1, "Amb", "iguous output redirect\0"),
	SIG(CSH, 1, "Var", "iable name must begin with a letter\0"),
	SIG(CSH, 0, "Ill", "egal variable name\0"),
	/*
	 * fish 3 keeps most messages as wchar_t strings and fish 4 (Rust) has no
	 * NUL after its strings: narrow ones without a NUL, checked on fish
	 * 3.1, 3.6 and 4.0.
	 */
	SIG(FISH, 1, "# T", "his file contains fish universal variable definitions."),
	SIG(FISH, 1, "Thi", "s version of WSL has known bugs that prevent fish"),
	SIG(FISH, 1, "fis", "h scripts require an interpreter directive"),
	SIG(FISH, 1, "Ign", "oring fish_read_limit since it is not valid"),
	SIG(FISH, 1, "fis", "h reclaiming terminal"),
	SIG(FISH, 0, "FIS", "H_NO_WSL_CHECK"),
	SIG(FISH, 0, "__f", "ish_print_help"),

	SIG(BUSYBOX, 1, "Bus", "yBox v"),
	SIG(BUSYBOX, 1, "Bus", "yBox is a multi-call binary"),
	SIG(BUSYBOX, 1, "Bus", "yBox is copyrighted by many authors"),
	SIG(BUSYBOX, 1, "Usa", "ge: busybox [function [arguments]...]"),
	SIG(BUSYBOX, 0, "bus", "ybox --list"),

	SIG(TOYBOX, 1, " (s", "ee toybox --help)\0"),
	SIG(TOYBOX, 1, " To", "ybox\0"),

	SIG(ASH, 1, "bui", "lt-in shell (ash)\0"),
	SIG(ASH, 1, "Bui", "lt-in commands:\n------------------\n\0"),

	/* from busybox's hush.c; no hush build verified */
	SIG(HUSH, 1, "HUS", "H_VERSION\0"),
};
/* clang-format on */

#define NSIGS (sizeof(sigs) / sizeof(sigs[0]))
_Static_assert(NSIGS <= NEEDLE_MAX, "signature table fits a needle set");

static struct needle sig_needles[NSIGS];
static char sig_bytes[NSIGS][NEEDLE_MAX_LEN];
static struct needle_set sig_set;
static int sig_set_err;
static pthread_once_t sig_once = PTHREAD_ONCE_INIT;

static void sig_set_build(void)
{
	size_t i;

	for (i = 0; i < NSIGS; i++) {
		size_t len = (size_t)sigs[i].head_len + sigs[i].tail_len;

		if (len > NEEDLE_MAX_LEN) {
			sig_set_err = -EINVAL;
			return;
		}
		memcpy(sig_bytes[i], sigs[i].head, sigs[i].head_len);
		memcpy(sig_bytes[i] + sigs[i].head_len, sigs[i].tail, sigs[i].tail_len);
		sig_needles[i].bytes = sig_bytes[i];
		sig_needles[i].len = (uint8_t)len;
	}
	sig_set_err = needle_set_init(&sig_set, sig_needles, NSIGS);
}

const char *exe_kind_name(unsigned kind)
{
	switch (kind) {
	case EXE_KIND_NOT_SHELL:
		return "not-shell";
	case EXE_KIND_SHELL:
		return "shell";
	case EXE_KIND_MULTICALL:
		return "multicall";
	}
	return "unknown";
}

/* ELF facts, read in the file's own byte order */
struct elf {
	bool is64, be;
};

static uint64_t rd(const struct elf *e, const uint8_t *p, unsigned n)
{
	uint64_t v = 0;
	unsigned i;

	for (i = 0; i < n; i++)
		v |= (uint64_t)p[e->be ? n - 1 - i : i] << (8 * i);
	return v;
}

#define PT_LOAD_TYPE 1
#define PF_X_FLAG 1
#define PF_W_FLAG 2

struct range {
	uint64_t off, len;
	uint8_t order; /* 0: read-only data, 1: code, 2: writable data */
};

#define RANGES_MAX (EXE_PHDRS_MAX / 32)

/* Exactly len bytes at off; -ENODATA when the file ends first. */
static int read_exact(const struct exe_source *src, uint64_t off, void *buf, size_t len)
{
	ssize_t r = src->read(src->ctx, off, buf, len);

	if (r < 0)
		return (int)r;
	if ((size_t)r > len)
		return -EIO;
	return (size_t)r == len ? 0 : -ENODATA;
}

/*
 * The loadable segments' file ranges, clipped to the file, ordered so that
 * read-only data (where compilers put string literals) is searched first.
 * 0, or 1 when the file is not a usable ELF (v->flags says why).
 */
static int elf_ranges(const struct exe_source *src, struct exe_verdict *v, struct range *out,
		      size_t *n_out)
{
	uint8_t eh[64], ph[EXE_PHDRS_MAX];
	struct elf e;
	uint64_t phoff, phsize;
	unsigned phentsize, phnum, i, n = 0;
	int err;

	*n_out = 0;
	if (src->size < 16) {
		v->flags |= EXE_V_NOT_ELF;
		return 1;
	}
	err = read_exact(src, 0, eh, src->size < sizeof(eh) ? (size_t)src->size : sizeof(eh));
	if (err == -ENODATA) {
		v->flags |= EXE_V_SHORT | EXE_V_NOT_ELF;
		return 1;
	}
	if (err)
		return err;
	if (memcmp(eh, "\177ELF", 4)) {
		v->flags |= EXE_V_NOT_ELF;
		return 1;
	}
	if ((eh[4] != 1 && eh[4] != 2) || (eh[5] != 1 && eh[5] != 2) ||
	    src->size < (eh[4] == 2 ? 64u : 52u)) {
		v->flags |= EXE_V_MALFORMED;
		return 1;
	}
	e.is64 = eh[4] == 2;
	e.be = eh[5] == 2;
	if (e.be)
		v->flags |= EXE_V_BIG_ENDIAN;
	phoff = e.is64 ? rd(&e, eh + 32, 8) : rd(&e, eh + 28, 4);
	phentsize = (unsigned)rd(&e, eh + (e.is64 ? 54 : 42), 2);
	phnum = (unsigned)rd(&e, eh + (e.is64 ? 56 : 44), 2);
	phsize = (uint64_t)phentsize * phnum;
	/* the kernel refuses what does not fit these bounds (binfmt_elf load_elf_phdrs) */
	if (phentsize != (e.is64 ? 56u : 32u) || phnum == 0 || phsize > sizeof(ph) ||
	    phoff > src->size || phsize > src->size - phoff) {
		v->flags |= EXE_V_MALFORMED;
		return 1;
	}
	err = read_exact(src, phoff, ph, (size_t)phsize);
	if (err == -ENODATA) {
		v->flags |= EXE_V_SHORT | EXE_V_MALFORMED;
		return 1;
	}
	if (err)
		return err;
	for (i = 0; i < phnum; i++) {
		const uint8_t *p = ph + (size_t)i * phentsize;
		uint64_t off, filesz;
		uint32_t flags;

		if (rd(&e, p, 4) != PT_LOAD_TYPE)
			continue;
		if (e.is64) {
			flags = (uint32_t)rd(&e, p + 4, 4);
			off = rd(&e, p + 8, 8);
			filesz = rd(&e, p + 32, 8);
		} else {
			off = rd(&e, p + 4, 4);
			filesz = rd(&e, p + 16, 4);
			flags = (uint32_t)rd(&e, p + 24, 4);
		}
		if (off >= src->size || filesz == 0)
			continue;
		if (filesz > src->size - off) {
			filesz = src->size - off;
			v->flags |= EXE_V_SHORT;
		}
		out[n].off = off;
		out[n].len = filesz;
		out[n].order = (flags & PF_W_FLAG) ? 2 : (flags & PF_X_FLAG) ? 1 : 0;
		n++;
	}
	if (!n) {
		v->flags |= EXE_V_MALFORMED;
		return 1;
	}
	*n_out = n;
	return 0;
}

/* Search one range in chunks, carrying the tail so no needle is cut in two. */
static int scan_range(const struct exe_source *src, const struct range *r, uint8_t *buf,
		      size_t chunk, uint64_t *budget, struct needle_found *found,
		      struct exe_verdict *v)
{
	uint64_t cur = r->off, end = r->off + r->len;
	size_t carry = 0;

	while (cur < end) {
		size_t want = chunk;
		ssize_t got;
		size_t have, keep;

		if (!*budget) {
			v->flags |= EXE_V_BUDGET;
			break;
		}
		if (want > end - cur)
			want = (size_t)(end - cur);
		if (want > *budget)
			want = (size_t)*budget;
		got = src->read(src->ctx, cur, buf + carry, want);
		if (got < 0)
			return (int)got;
		if ((size_t)got > want)
			return -EIO;
		have = carry + (size_t)got;
		needle_set_scan(&sig_set, buf, have, found);
		v->scanned += (uint64_t)got;
		*budget -= (uint64_t)got;
		cur += (uint64_t)got;
		if ((size_t)got < want) {
			v->flags |= EXE_V_SHORT; /* the file shrank under us */
			break;
		}
		keep = have < NEEDLE_MAX_LEN - 1 ? have : NEEDLE_MAX_LEN - 1;
		memmove(buf, buf + have - keep, keep);
		carry = keep;
	}
	return 0;
}

static void decide(const struct needle_found *found, struct exe_verdict *v)
{
	unsigned strong[F_COUNT] = {0}, weak[F_COUNT] = {0};
	size_t i;
	int f;

	for (i = 0; i < NSIGS; i++) {
		if (!needle_found_has(found, i))
			continue;
		if (sigs[i].strong)
			strong[sigs[i].family]++;
		else
			weak[sigs[i].family]++;
	}
	/* a multicall binary runs a shell only through its applet, chosen by argv[0] */
	if (strong[F_BUSYBOX] >= 2 || strong[F_TOYBOX] >= 2) {
		v->flags |= EXE_V_MULTICALL;
		v->strong = strong[F_BUSYBOX] + strong[F_TOYBOX];
		v->weak = weak[F_BUSYBOX];
		if (strong[F_ASH] >= 1) {
			v->kind = EXE_KIND_MULTICALL;
			v->shell = EXE_SHELL_ASH;
		} else if (strong[F_HUSH] >= 1) {
			v->kind = EXE_KIND_MULTICALL;
			v->shell = EXE_SHELL_HUSH;
		}
		return;
	}
	for (f = 0; f < F_SHELLS; f++) {
		if (strong[f] >= 2 && strong[f] + weak[f] >= 3) {
			v->kind = EXE_KIND_SHELL;
			v->shell = family_shell[f];
			v->strong = strong[f];
			v->weak = weak[f];
			return;
		}
	}
}

int exe_classify_chunked(const struct exe_source *src, size_t chunk, struct exe_verdict *v)
{
	struct range ranges[RANGES_MAX];
	struct needle_found found = {{0}};
	uint64_t budget = EXE_SCAN_BUDGET;
	uint8_t *buf = NULL;
	static const uint8_t pass_order[3] = {0, 2, 1};
	size_t n = 0, i;
	unsigned pass;
	int err;

	if (!src || !src->read || !v || chunk == 0 || chunk > (64u << 20))
		return -EINVAL;
	memset(v, 0, sizeof(*v));
	pthread_once(&sig_once, sig_set_build);
	if (sig_set_err)
		return sig_set_err;
	err = elf_ranges(src, v, ranges, &n);
	if (err)
		return err < 0 ? err : 0;
	buf = malloc(chunk + NEEDLE_MAX_LEN - 1);
	if (!buf)
		return -ENOMEM;
	for (pass = 0; pass < 3; pass++) {
		for (i = 0; i < n; i++) {
			if (ranges[i].order != pass_order[pass])
				continue;
			err = scan_range(src, &ranges[i], buf, chunk, &budget, &found, v);
			if (err)
				goto out;
		}
		/* strings live in data: code is searched only when data said nothing */
		if (pass == 1) {
			decide(&found, v);
			if (v->kind != EXE_KIND_NOT_SHELL || (v->flags & EXE_V_MULTICALL))
				goto out;
		}
	}
	decide(&found, v);
out:
	free(buf);
	return err;
}

int exe_classify(const struct exe_source *src, struct exe_verdict *v)
{
	return exe_classify_chunked(src, EXE_CHUNK, v);
}

struct mem_src {
	const uint8_t *p;
	size_t len;
};

static ssize_t mem_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	const struct mem_src *m = ctx;

	if (off >= m->len)
		return 0;
	if (len > m->len - off)
		len = (size_t)(m->len - off);
	memcpy(buf, m->p + off, len);
	return (ssize_t)len;
}

int exe_classify_buf(const void *buf, size_t len, struct exe_verdict *v)
{
	struct mem_src m = {buf, len};
	struct exe_source src = {mem_read, &m, len};

	if (!buf && len)
		return -EINVAL;
	return exe_classify(&src, v);
}
