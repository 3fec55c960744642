/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Ring-buffer exec records (struct ss_event) as one JSON object per line,
 * field by field by name, so a recording outlives changes to the record's
 * layout: a field the recording lacks reads as zero, a key the struct
 * lacks is ignored. Strings are JSON strings when every byte is printable
 * ASCII, else {"hex": "..."}; argv is always hex ("argv_hex"; "argv_text"
 * is for people and is not read back).
 */
#ifndef SS_REPLAY_EVENT_JSON_H
#define SS_REPLAY_EVENT_JSON_H

#include <stddef.h>
#include <stdio.h>

#include "shellsentry.h"

/* One record as a line (with its newline) to f. 0 or -EBADMSG for a record too short. */
int event_json_write(FILE *f, const void *data, size_t len);

/*
 * One line back into *e (cleared first), as the current format: version
 * and header_len are today's, argv_len is the length of argv_hex. Returns
 * the record's length (header + argv bytes), or -EINVAL with why in err.
 */
int event_json_read(const char *line, struct ss_event *e, char *err, size_t errlen);

#endif /* SS_REPLAY_EVENT_JSON_H */
