/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Ring-buffer output of an event, its counters, and when the reader is woken. */
#ifndef SS_SUBMIT_BPF_H
#define SS_SUBMIT_BPF_H

#include "maps.bpf.h"

/*
 * The wakeup policy of every ring (exec events, cgroup records, session
 * commands): flags 0, the kernel's own notification. bpf_ringbuf_commit()
 * clears the record's busy bit (xchg, a full barrier), then reads the
 * consumer position, and wakes the reader only when that position is this
 * record's: the reader had read everything before it. So an idle node
 * wakes nobody, the first record after a quiet spell wakes the reader at
 * once, and records committed while the reader is still behind wake
 * nobody: under load they are read in batches. When records stream in,
 * the reader reads on a timer and keeps its published position one record
 * back, so that none of them wakes it (user/kernel/loader_rings.c, "Pacing"):
 * a wakeup is an IPI, in a VM a VM exit, several us per record. The reader
 * never sleeps while records wait, so a threshold wakeup would only send an
 * IPI to a reader that is already awake.
 *
 * Not BPF_RB_FORCE_WAKEUP on an empty ring and BPF_RB_NO_WAKEUP otherwise:
 * bpf_ringbuf_query() runs before bpf_ringbuf_output() reserves, and a
 * reader that reads its last record and goes to sleep in between finds the
 * ring empty; the record then goes in unannounced, and every later one
 * finds unread data before it and stays silent too. For the same reason no
 * record may use BPF_RB_NO_WAKEUP: a silent record at the consumer position
 * keeps the records behind it from waking the reader.
 */
static __always_inline long ring_output(void *ring, void *data, __u64 len)
{
	return bpf_ringbuf_output(ring, data, len, 0);
}

static __always_inline void event_submit(struct ss_event *e, __u64 argv_len)
{
	long ret;

	if (e->flags & (SS_F_ARGV_TRUNCATED | SS_F_EXE_PATH_TRUNCATED | SS_F_CWD_TRUNCATED |
			SS_F_PEXE_PATH_TRUNCATED))
		count(SS_CNT_TRUNCATED);
	if (e->flags & SS_F_SESSION_ONLY) {
		/* Its own ring: a flood of session commands cannot crowd out other events. */
		ret = ring_output(&session_events, e, SS_EVENT_HEADER_LEN + argv_len);
		count(ret ? SS_CNT_SESSION_DROPS : SS_CNT_SESSION_CMDS);
		return;
	}
	ret = ring_output(&events, e, SS_EVENT_HEADER_LEN + argv_len);
	count(ret ? SS_CNT_DROPS : SS_CNT_EMITTED);
}

#endif /* SS_SUBMIT_BPF_H */
