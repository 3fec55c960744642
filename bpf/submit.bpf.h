/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Ring-buffer output of an event, its counters, and when the reader is woken. */
#ifndef SS_SUBMIT_BPF_H
#define SS_SUBMIT_BPF_H

#include "maps.bpf.h"

static __always_inline void event_submit(struct ss_event *e, __u64 argv_len)
{
	long ret;

	if (e->flags & (SS_F_ARGV_TRUNCATED | SS_F_EXE_PATH_TRUNCATED | SS_F_CWD_TRUNCATED |
			SS_F_PEXE_PATH_TRUNCATED))
		count(SS_CNT_TRUNCATED);
	if (e->flags & SS_F_SESSION_ONLY) {
		/* Its own ring: a flood of session commands cannot crowd out other events. */
		ret = bpf_ringbuf_output(&session_events, e, SS_EVENT_HEADER_LEN + argv_len, 0);
		count(ret ? SS_CNT_SESSION_DROPS : SS_CNT_SESSION_CMDS);
		return;
	}
	/*
	 * A reader wakeup is an IPI, and in a VM a VM exit: measured at about
	 * 4 us, three quarters of an event's cost. The reader drains on a short
	 * timer instead and is woken only when data piles up.
	 */
	ret = bpf_ringbuf_output(&events, e, SS_EVENT_HEADER_LEN + argv_len,
				 bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= wakeup_bytes
					 ? BPF_RB_FORCE_WAKEUP
					 : BPF_RB_NO_WAKEUP);
	count(ret ? SS_CNT_DROPS : SS_CNT_EMITTED);
}

#endif /* SS_SUBMIT_BPF_H */
