/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The consumer side of one BPF ring buffer map: the map mmapped, records
 * handed to a callback in order, the consumer position published as they
 * are read. Unlike libbpf's ring_buffer it can hold the published position
 * one record back: the kernel then sees the reader behind and no record
 * wakes it (bpf/submit.bpf.h), which is how a reader that reads on a timer
 * while records stream in spares the BPF side a wakeup per record.
 */
#ifndef SS_RING_READER_H
#define SS_RING_READER_H

#include <stdbool.h>
#include <stddef.h>

/* One record; a negative return stops the read (the record counts as read). */
typedef int (*ring_record_fn)(void *ctx, const void *data, size_t len);

struct ring_reader {
	unsigned long *consumer;       /* mmapped read-write: the position the kernel sees */
	const unsigned long *producer; /* mmapped read-only, with the data after it */
	const unsigned char *data;     /* mapped twice in a row: a wrapped record reads whole */
	unsigned long mask;	       /* data size - 1 (a power of two) */
	unsigned long pos;	       /* next record to read; *consumer trails it while held */
	size_t map_len;		       /* of the producer and data mapping */
	size_t page;
};

/* Maps the ring of map_fd (BPF_MAP_TYPE_RINGBUF). 0 or -errno. */
int ring_reader_open(struct ring_reader *r, int map_fd);
void ring_reader_close(struct ring_reader *r);

/*
 * Reads committed records until the ring is empty, a record is still being
 * written, max records were read (0: no limit) or fn returns < 0. With hold
 * the published position stays at the start of the last record read (until
 * the next read or ring_reader_release()), else it is the end of what was
 * read. Returns the records read, or fn's negative return.
 */
int ring_reader_read(struct ring_reader *r, size_t max, bool hold, ring_record_fn fn, void *ctx);
/* Publishes the read position: the kernel sees the reader caught up with what it read. */
void ring_reader_release(struct ring_reader *r);

#endif /* SS_RING_READER_H */
