// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Reading the ring buffers: the main ring (exec events, cgroup and session
 * end records) and the session commands' ring, with wakeups only when
 * needed (Pacing below).
 */
#include <errno.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "kernel/loader_state.h"

/* Session records read between two looks at the main ring. */
#define SESSION_BATCH 32

/*
 * Why no record waits unread while the reader sleeps (the BPF side's half is
 * in bpf/submit.bpf.h). Before sleeping the reader publishes everything it
 * read, with a full barrier after the store (ring_reader.c), then sleeps in
 * poll() on the epoll fd. A ring's poll reports readable whenever the
 * producer position (advanced when a record is reserved) differs from the
 * consumer position, and epoll asks the ring again at every poll() after it
 * reported readable, so the reader sleeps only after the ring said "empty",
 * a check made after the barrier. Take the first record R reserved after
 * that check, at position p: the check saw the producer at p, so the
 * consumer is at p too. R's commit clears its busy bit (xchg, a full
 * barrier) and then reads the consumer position: either it sees p and wakes
 * the reader, or it sees an older value, which the two barriers rule out
 * (our store before our read of the producer, R's reservation before its
 * read of the consumer: one of the two reads sees the other's write). A
 * record reserved before the check makes the ring readable, and one still
 * busy when read keeps it so until committed (microseconds: reservation,
 * copy and commit are one helper call). Records after R find the consumer
 * behind and stay silent: R's wakeup covers them, since a read goes up to
 * the producer position. Hence also: every record of every ring uses the
 * same notification; a BPF_RB_NO_WAKEUP record at the consumer position
 * would silence the records behind it.
 *
 * Pacing. A wakeup costs the BPF side an IPI per record (a VM exit here),
 * which a dense stream of records (a storm) would pay for each. When reads
 * find records less than LOADER_PACE_NS apart, the reader reads on a timer
 * instead, every LOADER_PACE_NS, and holds the published position one
 * record back: the kernel sees it behind, so no record wakes it, and no
 * record needs to (the timer reads them). The first timed read that finds
 * nothing publishes everything and returns to sleeping on the fd, where the
 * argument above takes over.
 */
static int add_ring(struct loader *l, int map_fd)
{
	struct epoll_event ev = {.events = EPOLLIN, .data.fd = map_fd};
	struct ring_reader *r = &l->rings[l->n_rings];
	int ret;

	if (l->n_rings == sizeof(l->rings) / sizeof(l->rings[0]))
		return -E2BIG;
	ret = ring_reader_open(r, map_fd);
	if (ret)
		return ret;
	if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, map_fd, &ev)) {
		ret = -errno;
		ring_reader_close(r);
		return ret;
	}
	l->n_rings++;
	return 0;
}

static void release_rings(struct loader *l)
{
	for (size_t i = 0; i < l->n_rings; i++)
		ring_reader_release(&l->rings[i]);
}

/*
 * Every ring, held (see Pacing): the records read, or fn's error with
 * everything released. The main ring first and whole; session commands
 * after it, a batch at a time, the main ring looked at again between
 * batches: a session flooding its ring never holds back another rule's
 * event by more than one batch.
 */
static int read_rings(struct loader *l, loader_event_fn fn, void *ctx)
{
	int n = 0, ret, batch;

	do {
		ret = ring_reader_read(&l->rings[0], 0, true, fn, ctx);
		if (ret < 0)
			break;
		n += ret;
		batch = 0;
		if (l->n_rings > 1) {
			ret = batch = ring_reader_read(&l->rings[1], SESSION_BATCH, true, fn, ctx);
			if (ret < 0)
				break;
			n += ret;
		}
	} while (batch == SESSION_BATCH);
	if (ret < 0) {
		release_rings(l);
		return ret;
	}
	return n;
}

int loader_read(struct loader *l, uint64_t now_ns, loader_event_fn fn, void *ctx)
{
	int n = read_rings(l, fn, ctx);
	bool dense;

	if (n < 0)
		return n;
	dense = n > 0 &&
		(l->next_read_ns || (l->last_hit_ns && now_ns - l->last_hit_ns < LOADER_PACE_NS));
	if (n > 0)
		l->last_hit_ns = now_ns;
	l->next_read_ns = dense ? now_ns + LOADER_PACE_NS : 0;
	if (!dense)
		release_rings(l);
	return n;
}

uint64_t loader_next_read(const struct loader *l)
{
	return l->next_read_ns;
}

int loader_drain(struct loader *l, loader_event_fn fn, void *ctx)
{
	int n = read_rings(l, fn, ctx);

	l->next_read_ns = 0;
	if (n >= 0)
		release_rings(l);
	return n;
}

int loader_poll(struct loader *l, int timeout_ms, loader_event_fn fn, void *ctx)
{
	struct epoll_event ev;

	if (epoll_wait(l->epfd, &ev, 1, timeout_ms) < 0 && errno != EINTR)
		return -errno;
	return loader_drain(l, fn, ctx);
}

int loader_ringbuf_fd(const struct loader *l)
{
	return l->epfd;
}

int loader_rings_open(struct loader *l)
{
	int ret;

	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	ret = l->epfd < 0 ? -errno : add_ring(l, l->fds[FD_EVENTS]);
	if (!ret)
		ret = add_ring(l, l->fds[FD_SESSION_EVENTS]);
	return ret;
}

void loader_rings_close(struct loader *l)
{
	for (size_t i = 0; i < l->n_rings; i++)
		ring_reader_close(&l->rings[i]);
	l->n_rings = 0;
	if (l->epfd >= 0)
		close(l->epfd);
	l->epfd = -1;
}
