/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The fields an exec event offers to rules and outputs, with Falco's names
 * and meanings. Field access is by id; names are looked up once, when a
 * rule or output template is compiled.
 */
#ifndef SS_FIELDS_H
#define SS_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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
	F_PROC_APID, /* indexed as proc.aname */
	F_PROC_TTY,
	F_PROC_IS_VPGID_LEADER,
	F_USER_UID,
	F_USER_NAME,
	F_USER_LOGINUID,
	F_GROUP_GID,
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
	F_SS_LINEAGE, /* shellsentry.lineage: entrypoint|init-tree|injected|unknown */
	F_SS_CAP_EFFECTIVE, /* shellsentry.cap_effective: "CAP_A CAP_B" or "" */
	F_SS_CAP_EFFECTIVE_HEX,
	F_SS_EUID,
	F_SS_PIDNS,
	F_SS_INTERP, /* shellsentry.interp: script interpreter, "" if none */
	F_SS_EXE_NAME, /* shellsentry.exe_name: basename of proc.exepath */
	F_SS_SHELL, /* shellsentry.shell: shell identity (comm/exe/interp/applet) */
	F_SS_TRUNCATED, /* shellsentry.truncated: argv was cut */
	F_SS_ARGV_ESCAPED,
	F_COUNT,
};

struct field_def {
	const char *name;
	enum field_id id;
	enum field_type type;
	bool indexed; /* accepts [N] */
	const char *desc;
};

struct field_value {
	enum field_type type;
	bool null; /* unknown: Falco prints <NA>, JSON null */
	int64_t i; /* FT_INT, FT_BOOL */
	const char *s; /* FT_STRING: NUL-terminated, may point into buf */
	char buf[1024]; /* storage for computed strings (capability names) */
};

/* Table of all fields, F_COUNT entries, in enum order. */
extern const struct field_def field_table[F_COUNT];

/* Look up a field by name without its index ("proc.aname"); NULL if unknown. */
const struct field_def *field_lookup(const char *name);

/*
 * Extract one field. index is -1 when no [N] was given. Returns 0, or
 * -ENOENT when an indexed field has no entry at that index (end of the
 * ancestor chain); then out->null is set.
 */
int field_extract(const struct exec_event *ev, enum field_id id, int index,
		  struct field_value *out);

/* Render a value as Falco prints it in output text ("<NA>" for null). */
const char *field_value_str(struct field_value *v);

#endif /* SS_FIELDS_H */
