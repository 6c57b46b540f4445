/*
 * Copyright 2026 the wine-d3dkmt authors
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  It is distributed WITHOUT ANY WARRANTY;
 * see COPYING.LIB.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Per-process table of D3DKMT handles.
 *
 * Local handles look like Windows' (spec A.2): bits 0xc0000000 set, low six
 * bits zero, one counter for every object type so fresh handles rise by 0x40.
 * Global share handles (low bits 2) count in a namespace of their own, so
 * they use up no local value.  Each counter runs over the whole 24-bit
 * payload, wraps, and skips values still live: a freed value comes back only
 * after 2^24 - 1 - (live values) others.  The handle itself is the key of a
 * chained hash map: O(1) lookup, insert amortised O(1).
 *
 * Lookups do not take the table's mutex: the chains are split into
 * VIDMM_HANDLE_STRIPES stripes (a bucket's stripe is the top bits of its
 * index), each with a spin lock of its own cache line.  A lookup holds only
 * its handle's stripe, for the O(1) walk and the caller's reference grab, so
 * threads using different handles write no common cache line.  Insert and
 * remove hold the mutex (which orders them) and, while they link or unlink an
 * entry, its stripe; growing the buckets holds every stripe.
 */
#ifndef VIDMM_HANDLE_TABLE_H
#define VIDMM_HANDLE_TABLE_H

#include "private/vidmm_mutex.h"
#include <stdatomic.h>
#include <stdint.h>
#include "wine-d3dkmt/d3dkmt_status.h"

enum vidmm_object_type
{
    VIDMM_OBJECT_NONE = 0,
    VIDMM_OBJECT_ADAPTER,
    VIDMM_OBJECT_DEVICE,
    VIDMM_OBJECT_RESOURCE,
    VIDMM_OBJECT_ALLOCATION,
    VIDMM_OBJECT_PAGING_QUEUE,
    VIDMM_OBJECT_SYNC_OBJECT,       /* a paging queue's monitored fence */
    VIDMM_OBJECT_SHARED_RESOURCE,   /* global share handle: low bits 2 */
    VIDMM_OBJECT_SYNC,              /* a synchronization object of sync.c */
    VIDMM_OBJECT_SHARED_SYNC,       /* its global handle: low bits 2 */
    VIDMM_OBJECT_KEYED_MUTEX,
    VIDMM_OBJECT_SHARED_KEYED_MUTEX,/* global handle: low bits 2 */
    VIDMM_OBJECT_TYPE_COUNT
};

#define VIDMM_HANDLE_BASE        0xc0000000u
#define VIDMM_HANDLE_LOCAL_TAG   0x00u
#define VIDMM_HANDLE_GLOBAL_TAG  0x02u
/* Payloads (handle - base) >> 6 of one namespace; payload 0 is never used. */
#define VIDMM_HANDLE_VALUES      (1u << 24)
/* At most half of a namespace is live, so skipping live values stays cheap. */
#define VIDMM_HANDLE_MAX_LIVE    (1u << 23)
#define VIDMM_HANDLE_CHUNK       4096u   /* entries per allocated block */
#define VIDMM_HANDLE_MIN_BUCKETS 256u

/* Stripes of the chains; at most the fewest buckets there are, so a bucket
 * (and its whole chain) lies in one stripe at every size. */
#define VIDMM_HANDLE_STRIPE_BITS 8u
#define VIDMM_HANDLE_STRIPES     (1u << VIDMM_HANDLE_STRIPE_BITS)
_Static_assert(VIDMM_HANDLE_STRIPES <= VIDMM_HANDLE_MIN_BUCKETS, "a bucket in one stripe");

/* A lock alone in its cache line (the padding keeps two stripes' locks 64
 * bytes apart whatever the table's alignment).  It spins briefly, then
 * sleeps (vidmm_small_mutex, taken raw: growing the buckets holds all of
 * them, in index order, which the rank checker would refuse). */
struct handle_stripe
{
    struct vidmm_small_mutex lock;
    char pad[64 - sizeof(struct vidmm_small_mutex)];
};

/* Entries never move once allocated: they live in fixed blocks. */
struct handle_entry
{
    void *object;
    uint32_t handle;       /* 0 when free */
    uint32_t next : 24;    /* chain or free list: entry index + 1, 0 = end */
    uint32_t type : 8;     /* enum vidmm_object_type */
};

/* table->lock guards every field below for writers (insert, remove, count,
 * for_each).  A lookup reads buckets, bucket_bits, the blocks and the entries
 * of one chain holding only that chain's stripe: writers change those only
 * while holding the stripe too. */
struct handle_table
{
    struct vidmm_mutex lock;
    struct handle_stripe stripes[VIDMM_HANDLE_STRIPES];
    struct handle_entry *blocks[VIDMM_HANDLE_MAX_LIVE / VIDMM_HANDLE_CHUNK];
    uint32_t *buckets;     /* head of each chain: entry index + 1 */
    uint32_t bucket_bits;
    uint32_t used;         /* entries ever handed out (high-water mark) */
    uint32_t free_head;    /* free entries below `used`: index + 1 */
    uint32_t live, max_live;
    uint32_t counts[VIDMM_OBJECT_TYPE_COUNT];
    uint32_t next_payload[2];   /* local, global */
    uint64_t probes;       /* entries compared by insert and remove, for tests */
};

void handle_table_init(struct handle_table *table);
/* Frees the table itself; the objects are the caller's. */
void handle_table_cleanup(struct handle_table *table);

/* Inserts an object and returns its handle; STATUS_NO_MEMORY when full. */
NTSTATUS handle_table_insert(struct handle_table *table, void *object,
                             enum vidmm_object_type type, uint32_t *handle);
/* Inserts a global-type object under a value chosen elsewhere (a prefix-wide
 * global handle): STATUS_OBJECT_NAME_COLLISION when the value is live here or
 * not a global handle's form, STATUS_NO_MEMORY when full. */
NTSTATUS handle_table_insert_value(struct handle_table *table, void *object, enum vidmm_object_type type,
                                   uint32_t value);
/* Removes the entry if the handle is live and of that type; returns the
 * object or NULL. */
void *handle_table_remove(struct handle_table *table, uint32_t handle,
                          enum vidmm_object_type type);
/* Looks the handle up and, under its stripe's lock, calls grab(object) so
 * the caller can take a reference before any remove can free it (grab must
 * not call the table or take a lock).  Returns the
 * object or NULL (wrong type, stale, malformed, 0). */
void *handle_table_lookup(struct handle_table *table, uint32_t handle,
                          enum vidmm_object_type type, void (*grab)(void *object));
/* The type a handle currently refers to, VIDMM_OBJECT_NONE if none. */
enum vidmm_object_type handle_table_type(struct handle_table *table, uint32_t handle);
/* Live entries of a type; VIDMM_OBJECT_NONE counts them all. */
uint32_t handle_table_count(struct handle_table *table, enum vidmm_object_type type);
/* Calls visit for each live entry of the type (NONE: every type) under the
 * table lock, until it returns nonzero; visit must not call the table.
 * Returns the handle visit stopped at, or 0. */
uint32_t handle_table_for_each(struct handle_table *table, enum vidmm_object_type type,
                               int (*visit)(void *ctx, uint32_t handle, void *object), void *ctx);

#endif
