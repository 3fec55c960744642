/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Which shell an executable file is, from its content alone: an ELF file's
 * loadable segments (what the kernel maps, not the section headers, which
 * strip and hostile files may remove or forge) are searched for strings
 * each shell's own code carries (its error messages, version banner,
 * special variables). Renaming and stripping change neither; no symbol
 * table, build id or path is used, so any distribution's build is judged
 * alike. The file is hostile: every read is bounded, nothing is executed.
 */
#ifndef SS_EXE_CLASSIFY_H
#define SS_EXE_CLASSIFY_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "event/shells.h" /* enum exe_shell, exe_shell_name() */

/* The same values as the kernel map's SS_EXE_* kinds (include/shellsentry.h). */
enum exe_kind {
	EXE_KIND_NOT_SHELL = 0, /* SS_EXE_NOT_SHELL */
	EXE_KIND_SHELL = 1,	/* SS_EXE_SHELL: a shell whatever argv[0] says */
	EXE_KIND_MULTICALL = 2, /* SS_EXE_MULTICALL: busybox-like with a shell applet */
};

/* exe_verdict.flags: why, and how much was seen */
#define EXE_V_NOT_ELF (1u << 0)	  /* no ELF magic (script, data, empty) */
#define EXE_V_MALFORMED (1u << 1) /* ELF header or program headers unusable */
#define EXE_V_BUDGET (1u << 2)	  /* loadable bytes beyond EXE_SCAN_BUDGET not searched */
#define EXE_V_SHORT (1u << 3)	  /* the file ended before its segments did */
#define EXE_V_MULTICALL (1u << 4) /* busybox/toybox-like, shell applet or not */
#define EXE_V_BIG_ENDIAN (1u << 5)

#define EXE_SCAN_BUDGET (32u << 20) /* bytes of segments searched at most */
#define EXE_PHDRS_MAX 4096	    /* bytes of program headers: the kernel's own limit */
#define EXE_CHUNK (64u << 10)	    /* default read size */

struct exe_verdict {
	uint8_t kind;  /* enum exe_kind */
	uint8_t shell; /* enum exe_shell; NONE unless kind is SHELL or MULTICALL */
	uint16_t pad;
	uint32_t flags;	  /* EXE_V_* */
	uint32_t strong;  /* distinct implementation strings of the shell found */
	uint32_t weak;	  /* distinct supporting strings (names others may know) */
	uint64_t scanned; /* bytes searched */
};

/*
 * The file, read at offsets: read() returns the bytes read (fewer only at
 * the end of the file) or a negative errno. size is the file's size as
 * the caller saw it; nothing at or past it is asked for.
 */
struct exe_source {
	ssize_t (*read)(void *ctx, uint64_t off, void *buf, size_t len);
	void *ctx;
	uint64_t size;
};

/*
 * Judge the file. 0 with *v filled (a non-ELF or malformed file is a
 * verdict: not a shell), or a negative errno from the reader or -ENOMEM.
 * Reads in EXE_CHUNK pieces; at most EXE_PHDRS_MAX + EXE_SCAN_BUDGET bytes.
 */
int exe_classify(const struct exe_source *src, struct exe_verdict *v);

/* The same with another read size (tests and the fuzzer check it agrees). */
int exe_classify_chunked(const struct exe_source *src, size_t chunk, struct exe_verdict *v);

/* The same on a buffer already in memory. */
int exe_classify_buf(const void *buf, size_t len, struct exe_verdict *v);

/* "not-shell", "shell", "multicall" */
const char *exe_kind_name(unsigned kind);

#endif /* SS_EXE_CLASSIFY_H */
