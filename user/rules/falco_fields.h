/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Whether Falco knows a field name (see falco_fields.c for the sources). */
#ifndef SS_FALCO_FIELDS_H
#define SS_FALCO_FIELDS_H

#include <stdbool.h>

/* name without its [index]; "evt.arg.fd" and other keyed forms count. */
bool falco_field_known(const char *name);

#endif /* SS_FALCO_FIELDS_H */
