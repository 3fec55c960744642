// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <linux/bpf.h>

#include "kernel/ring_reader.h"

int ring_reader_open(struct ring_reader *r, int map_fd)
{
	struct bpf_map_info info = {0};
	__u32 len = sizeof(info);
	void *p;

	memset(r, 0, sizeof(*r));
	if (bpf_obj_get_info_by_fd(map_fd, &info, &len))
		return -errno;
	if (info.type != BPF_MAP_TYPE_RINGBUF || !info.max_entries ||
	    (info.max_entries & (info.max_entries - 1)))
		return -EINVAL;
	r->page = (size_t)sysconf(_SC_PAGESIZE);
	/* The kernel's layout: consumer page, producer page, then the data mapped twice. */
	p = mmap(NULL, r->page, PROT_READ | PROT_WRITE, MAP_SHARED, map_fd, 0);
	if (p == MAP_FAILED)
		return -errno;
	r->consumer = p;
	r->map_len = r->page + 2 * (size_t)info.max_entries;
	p = mmap(NULL, r->map_len, PROT_READ, MAP_SHARED, map_fd, (off_t)r->page);
	if (p == MAP_FAILED) {
		int ret = -errno;

		munmap(r->consumer, r->page);
		r->consumer = NULL;
		return ret;
	}
	r->producer = p;
	r->data = (const unsigned char *)p + r->page;
	r->mask = info.max_entries - 1;
	r->pos = __atomic_load_n(r->consumer, __ATOMIC_ACQUIRE);
	return 0;
}

void ring_reader_close(struct ring_reader *r)
{
	if (r->producer)
		munmap((void *)r->producer, r->map_len);
	if (r->consumer)
		munmap(r->consumer, r->page);
	r->producer = NULL;
	r->consumer = NULL;
}

/*
 * A full barrier after the store: the reader's next look at the producer
 * position (its own, or poll()'s in the kernel) comes after the kernel can
 * see this position. loader_rings.c's proof needs that order.
 */
static void publish(struct ring_reader *r, unsigned long pos)
{
	__atomic_store_n(r->consumer, pos, __ATOMIC_RELEASE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

int ring_reader_read(struct ring_reader *r, size_t max, bool hold, ring_record_fn fn, void *ctx)
{
	bool more;
	int n = 0, ret = 0;

	do {
		unsigned long prod = __atomic_load_n(r->producer, __ATOMIC_ACQUIRE);

		more = false;
		while (r->pos < prod && (!max || (size_t)n < max)) {
			const unsigned char *rec = r->data + (r->pos & r->mask);
			uint32_t hdr = __atomic_load_n((const uint32_t *)rec, __ATOMIC_ACQUIRE);
			uint32_t len =
				hdr & ~(uint32_t)(BPF_RINGBUF_BUSY_BIT | BPF_RINGBUF_DISCARD_BIT);
			unsigned long at = r->pos;

			/* Reserved, not committed yet: the ring stays readable until it is. */
			if (hdr & BPF_RINGBUF_BUSY_BIT)
				goto out;
			r->pos += ((unsigned long)len + BPF_RINGBUF_HDR_SZ + 7) & ~7UL;
			if (!(hdr & BPF_RINGBUF_DISCARD_BIT)) {
				ret = fn(ctx, rec + BPF_RINGBUF_HDR_SZ, len);
				n++;
			}
			/* What lies before this record may be reused; it stays held. */
			__atomic_store_n(r->consumer, at, __ATOMIC_RELEASE);
			more = true;
			if (ret < 0)
				goto out;
		}
	} while (more && (!max || (size_t)n < max));
out:
	if (!hold)
		publish(r, r->pos);
	return ret < 0 ? ret : n;
}

void ring_reader_release(struct ring_reader *r)
{
	publish(r, r->pos);
}
