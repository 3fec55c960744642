/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The fields an exec event offers to rules and outputs, with Falco's names
 * and meanings. Field access is by id; names are looked up once, when a
 * rule or output template is compiled.
 *
 * The field model: field_table (field_table.c) records each field once (name,
 * type, source, null rule, read-back, the exec_event member that holds it,
 * description); rule compilation, field_extract(), --list-fields, the JSON
 * writer (alert_format.c) and the JSON reader (alert_json.c, for analyze
 * and compare) all read it. Adding a field:
 *   1. an F_ id below (before F_COUNT);
 *   2. its field_table entry; a value stored in struct exec_event names its
 *      member (MEMBER(m) / CMEMBER(m)) and needs nothing else: extraction,
 *      output and read-back (FRB_MEMBER) follow from the entry;
 *   3. only for a computed value (.computed = true): its case in
 *      field_extract_computed(), and, when alerts should carry it back into
 *      analyze/compare and it has no member, FRB_CUSTOM with a case in
 *      alert_json.c set_custom().
 * tests/unit/test_fields.c checks the table; test_alert_json.c checks that
 * every read-back field survives a JSON round trip.
 */
#ifndef SS_FIELDS_H
#define SS_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "event/exec_event.h"

enum field_type {
	FT_STRING,
	FT_INT, /* signed 64-bit */
	FT_BOOL,
};

enum field_id {
	F_EVT_TYPE,
	F_EVT_TIME,
	F_EVT_NUM,
	F_EVT_ARG_FLAGS,
	F_EVT_RES, /* evt.res: SUCCESS (only successful execs are events) */
	F_PROC_NAME,
	F_PROC_EXE,
	F_PROC_EXEPATH,
	F_PROC_CMDLINE,
	F_PROC_ARGS,
	F_PROC_PID,
	F_PROC_VPID,
	F_PROC_PPID,
	F_PROC_PNAME,
	F_PROC_PCMDLINE,
	F_PROC_ANAME, /* indexed: [0] self, [1] parent ...; no index: any ancestor */
	F_PROC_APID,  /* indexed as proc.aname */
	F_PROC_TTY,
	F_PROC_IS_VPGID_LEADER,
	F_PROC_IS_EXE_UPPER_LAYER, /* Falco's names for the exe flags */
	F_PROC_IS_EXE_FROM_MEMFD,
	F_USER_UID,
	F_USER_NAME,
	F_USER_LOGINUID,
	F_GROUP_GID,
	F_THREAD_CAP_EFFECTIVE, /* thread.cap_effective: Falco's "CAP_A CAP_B" */
	F_CONTAINER_ID,
	F_CONTAINER_FULL_ID,
	F_CONTAINER_NAME,
	F_CONTAINER_IMAGE,
	F_CONTAINER_IMAGE_REPOSITORY,
	F_CONTAINER_IMAGE_TAG,
	F_CONTAINER_PRIVILEGED,
	F_CONTAINER_RUNTIME,
	F_K8S_POD_NAME,
	F_K8S_NS_NAME,
	F_K8S_POD_UID,
	F_K8S_CONTAINER_NAME,
	F_SS_LINEAGE,	    /* shellsentry.lineage: entrypoint|init-tree|injected|unknown */
	F_SS_CAP_EFFECTIVE, /* shellsentry.cap_effective: "CAP_A CAP_B" or "" */
	F_SS_CAP_EFFECTIVE_HEX,
	F_SS_EUID,
	F_SS_PIDNS,
	F_SS_INTERP,	/* shellsentry.interp: script interpreter, "" if none */
	F_SS_EXE_NAME,	/* shellsentry.exe_name: basename of proc.exepath */
	F_SS_SHELL,	/* shellsentry.shell: shell identity (comm/exe/interp/applet/content) */
	F_SS_SHELL_BY,	/* shellsentry.shell_by: name|content, "" when not a shell */
	F_SS_TRUNCATED, /* shellsentry.truncated: argv was cut */
	F_SS_ARGV_ESCAPED,
	F_PROC_STDIN_TYPE, /* Falco's fd type strings: file, pipe, ipv4, ipv6, unix, ... */
	F_PROC_STDOUT_TYPE,
	F_PROC_STDERR_TYPE,
	F_PROC_STDIN_NAME,
	F_PROC_STDOUT_NAME,
	F_PROC_STDERR_NAME,
	F_SS_STDIN_PEER, /* remote ip:port of an IPv4/IPv6 socket on stdin */
	F_SS_STDOUT_PEER,
	F_SS_STDERR_PEER,
	F_SS_STDIO_PEER, /* of the first of stdin, stdout, stderr that is one */
	F_SS_STDIO_LOCAL,
	F_SS_STDIO_PROTO,
	F_SS_SESSION, /* shellsentry.session: "<pid>-<start>", null outside a session */
	F_SS_SESSION_PID,
	F_SS_SESSION_START,
	F_SS_SESSION_LEADER,
	F_SS_SESSION_REASONS,
	F_PROC_CWD,	 /* Falco's: the working directory, with a trailing '/' */
	F_PROC_PEXEPATH, /* the parent's executable path */
	F_PROC_PEXE,	 /* the parent's argv[0] (Falco's proc.pexe), while it lives */
	F_COUNT,
};

/* Where a field's value comes from. */
enum field_source {
	FSRC_RECORD,   /* the kernel's record, copied by event_decode */
	FSRC_ARGV,     /* argv, joined by event_decode */
	FSRC_CONTEXT,  /* enrichment: cgroup, runtime state, passwd */
	FSRC_COMPUTED, /* computed from other facts when extracted */
	FSRC_UNKNOWN,  /* shellsentry cannot observe it: always null */
};

/* When a field is null (<NA> in text, null in JSON). */
enum field_null {
	FNULL_NEVER,	/* always has a value */
	FNULL_EMPTY,	/* an empty string means unknown */
	FNULL_ALWAYS,	/* never known (FSRC_UNKNOWN) */
	FNULL_COMPUTED, /* decided by the extractor (ancestor missing, tristate unknown...) */
};

/* How a JSON alert's output_fields value is read back into an event (analyze, compare). */
enum field_readback {
	FRB_IGNORE, /* not rebuilt: a constant, computed from others, or given elsewhere */
	FRB_MEMBER, /* copied into the member (string cut to fit, integer stored by width) */
	FRB_CUSTOM, /* alert_json.c's switch (ancestors, enums, flags) */
};

/*
 * One field, recorded once: everything else (rule compilation, extraction,
 * --list-fields, JSON output, JSON read-back) reads this table.
 */
struct field_def {
	const char *name;
	enum field_id id;
	enum field_type type;
	enum field_source source;
	enum field_null null_rule;
	enum field_readback readback;
	bool indexed;  /* accepts [N] */
	bool computed; /* extracted by field_extract_computed(), not from the member */
	/* the struct exec_event member holding the value; size 0 when none */
	size_t off, size;
	const char *desc;
};

struct field_value {
	enum field_type type;
	bool null;	/* unknown: Falco prints <NA>, JSON null */
	int64_t i;	/* FT_INT, FT_BOOL */
	const char *s;	/* FT_STRING: NUL-terminated, may point into buf */
	char buf[1024]; /* storage for computed strings (capability names) */
};

/* Table of all fields, F_COUNT entries, indexed by id. */
extern const struct field_def field_table[F_COUNT];

/* Name prefix of shellsentry's own fields: an alert carrying one came from shellsentry. */
#define FIELD_OWN_PREFIX "shellsentry."
bool field_is_own(const struct field_def *d);

/* Look up a field by name without its index ("proc.aname"); NULL if unknown. */
const struct field_def *field_lookup(const char *name);

/*
 * Extract one field. index is -1 when no [N] was given. Returns 0, or
 * -ENOENT when an indexed field has no entry at that index (end of the
 * ancestor chain); then out->null is set.
 */
int field_extract(const struct exec_event *ev, enum field_id id, int index,
		  struct field_value *out);

/* --list-fields: one line per field, "name[N] type description". */
void field_print_list(FILE *f);

/* Render a value as Falco prints it in output text ("<NA>" for null). */
const char *field_value_str(struct field_value *v);

#endif /* SS_FIELDS_H */
