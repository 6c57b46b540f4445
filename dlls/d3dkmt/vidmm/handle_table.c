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
 * Per-process D3DKMT handle table (see handle_table.h).
 */
#if 0
#pragma makedep unix
#endif
#include <stdlib.h>
#include <string.h>

#include "private/handle_table.h"
#include "private/vidmm_alloc.h"

#define PAYLOAD_MASK (VIDMM_HANDLE_VALUES - 1)

/* Entry links hold index + 1 in 24 bits; the counters must stay ahead of
 * the live values they skip. */
_Static_assert(VIDMM_HANDLE_MAX_LIVE < (1u << 24), "entry links are 24 bits");
_Static_assert(VIDMM_HANDLE_MAX_LIVE <= VIDMM_HANDLE_VALUES / 2, "at most half a namespace live");

static int is_global(enum vidmm_object_type type)
{
    return type == VIDMM_OBJECT_SHARED_RESOURCE || type == VIDMM_OBJECT_SHARED_SYNC
           || type == VIDMM_OBJECT_SHARED_KEYED_MUTEX;
}

static uint32_t make_handle(uint32_t payload, int global)
{
    return VIDMM_HANDLE_BASE | (payload << 6) | (global ? VIDMM_HANDLE_GLOBAL_TAG : VIDMM_HANDLE_LOCAL_TAG);
}

/* Whether the value can be one of ours at all. */
static int well_formed(uint32_t handle)
{
    uint32_t tag = handle & 0x3f;

    return (handle & VIDMM_HANDLE_BASE) == VIDMM_HANDLE_BASE && ((handle >> 6) & PAYLOAD_MASK)
           && (tag == VIDMM_HANDLE_LOCAL_TAG || tag == VIDMM_HANDLE_GLOBAL_TAG);
}

/* Payloads run 1 .. 2^24 - 1 and wrap. */
static uint32_t payload_after(uint32_t payload)
{
    return (payload + 1) & PAYLOAD_MASK ? (payload + 1) & PAYLOAD_MASK : 1;
}

static struct handle_entry *entry_at(struct handle_table *table, uint32_t index)
{
    return &table->blocks[index / VIDMM_HANDLE_CHUNK][index % VIDMM_HANDLE_CHUNK];
}

/* Fibonacci hashing spreads the 0x40 steps of consecutive handles. */
static uint32_t bucket_of(uint32_t handle, uint32_t bits)
{
    return (handle * 0x9e3779b1u) >> (32 - bits);
}

/* The stripe of a handle's bucket at every bucket count (bits >= stripe bits). */
static struct handle_stripe *stripe_of(struct handle_table *table, uint32_t handle)
{
    return &table->stripes[bucket_of(handle, VIDMM_HANDLE_STRIPE_BITS)];
}

/* Held for a chain walk and a reference grab, or while a writer links or
 * unlinks one entry: a few instructions, so a waiter spins first.  But a
 * holder can be preempted, and a bucket resize holds every stripe while
 * it relinks all entries: then waiters sleep on the lock word (spinning
 * with sched_yield kept a waiter on the CPU its holder needed). */
static void stripe_lock(struct handle_stripe *stripe)
{
    vidmm_small_lock_raw(&stripe->lock);
}

static void stripe_unlock(struct handle_stripe *stripe)
{
    vidmm_small_unlock_raw(&stripe->lock);
}

/* Every stripe, in index order; only with table->lock held, so two threads
 * never take several at once. */
static void lock_all_stripes(struct handle_table *table)
{
    uint32_t i;

    for (i = 0; i < VIDMM_HANDLE_STRIPES; i++) stripe_lock(&table->stripes[i]);
}

static void unlock_all_stripes(struct handle_table *table)
{
    uint32_t i;

    for (i = 0; i < VIDMM_HANDLE_STRIPES; i++) stripe_unlock(&table->stripes[i]);
}

void handle_table_init(struct handle_table *table)
{
    memset(table, 0, sizeof(*table));
    vidmm_mutex_init(&table->lock, VIDMM_RANK_TABLE);
    table->max_live = VIDMM_HANDLE_MAX_LIVE;
    table->next_payload[0] = table->next_payload[1] = 1;
}

void handle_table_cleanup(struct handle_table *table)
{
    uint32_t i;

    for (i = 0; i < sizeof(table->blocks) / sizeof(table->blocks[0]); i++) vidmm_free(table->blocks[i]);
    vidmm_free(table->buckets);
    vidmm_mutex_destroy(&table->lock);
    memset(table, 0, sizeof(*table));
}

/* The index + 1 of the entry holding exactly this handle value, 0 if none;
 * *prev gets the index + 1 of the entry before it in its chain (0: head).
 * Caller holds table->lock or the handle's stripe; *probes counts the
 * entries compared. */
static uint32_t walk(struct handle_table *table, uint32_t handle, uint32_t *prev, uint64_t *probes)
{
    uint32_t cur, before = 0;

    if (!table->buckets || !well_formed(handle)) return 0;
    for (cur = table->buckets[bucket_of(handle, table->bucket_bits)]; cur; cur = entry_at(table, cur - 1)->next)
    {
        (*probes)++;
        if (entry_at(table, cur - 1)->handle == handle) break;
        before = cur;
    }
    if (prev) *prev = before;
    return cur;
}

/* walk() for writers, who hold table->lock and keep the count. */
static uint32_t find(struct handle_table *table, uint32_t handle, uint32_t *prev)
{
    return walk(table, handle, prev, &table->probes);
}

/* Doubles the buckets (or makes the first ones) and relinks every entry;
 * amortised O(1) per insert.  Caller holds table->lock. */
static int grow_buckets(struct handle_table *table)
{
    uint32_t bits = table->buckets ? table->bucket_bits + 1 : 0, *buckets, *old, i, b;

    while ((1u << bits) < VIDMM_HANDLE_MIN_BUCKETS) bits++;
    if (!(buckets = vidmm_calloc((size_t)1 << bits, sizeof(*buckets)))) return 0;
    /* Relinking moves entries between chains: no lookup may walk meanwhile. */
    lock_all_stripes(table);
    for (i = 0; i < table->used; i++)
    {
        struct handle_entry *entry = entry_at(table, i);

        if (!entry->handle) continue;
        b = bucket_of(entry->handle, bits);
        entry->next = buckets[b];
        buckets[b] = i + 1;
    }
    old = table->buckets;
    table->buckets = buckets;
    table->bucket_bits = bits;
    unlock_all_stripes(table);
    vidmm_free(old);
    return 1;
}

/* Makes sure an entry and a bucket slot are there for one more handle;
 * nothing visible changes when it fails.  Caller holds table->lock. */
static int reserve(struct handle_table *table)
{
    uint32_t block = table->used / VIDMM_HANDLE_CHUNK;

    if (table->live >= table->max_live) return 0;
    if (!table->free_head && !table->blocks[block]
        && !(table->blocks[block] = vidmm_calloc(VIDMM_HANDLE_CHUNK, sizeof(struct handle_entry))))
        return 0;
    if (!table->buckets || table->live >= (1u << table->bucket_bits)) return grow_buckets(table);
    return 1;
}

/* The next value of the namespace's counter that is not live: the counter
 * passes each live value at most once per 2^24 handles, so this is
 * amortised O(1) while at most half the values are live. */
static uint32_t next_free_value(struct handle_table *table, int global)
{
    uint32_t payload = table->next_payload[global], handle;

    while (find(table, (handle = make_handle(payload, global)), NULL)) payload = payload_after(payload);
    table->next_payload[global] = payload_after(payload);
    return handle;
}

static NTSTATUS insert(struct handle_table *table, void *object, enum vidmm_object_type type, uint32_t fixed,
                       uint32_t *handle)
{
    struct handle_stripe *stripe;
    struct handle_entry *entry;
    uint32_t index, b, prev, value;

    vidmm_mutex_lock(&table->lock);
    if (fixed && (!well_formed(fixed) || (fixed & 0x3f) != VIDMM_HANDLE_GLOBAL_TAG || !is_global(type)
                  || find(table, fixed, &prev)))
    {
        vidmm_mutex_unlock(&table->lock);
        return STATUS_OBJECT_NAME_COLLISION;
    }
    if (!reserve(table))
    {
        vidmm_mutex_unlock(&table->lock);
        return STATUS_NO_MEMORY;
    }
    if (table->free_head)
    {
        index = table->free_head - 1;
        table->free_head = entry_at(table, index)->next;
    }
    else index = table->used++;
    entry = entry_at(table, index);
    value = fixed ? fixed : next_free_value(table, is_global(type));
    /* The caller's copy of the handle is written before a lookup can find
     * the object, so whoever finds it reads its handle too. */
    *handle = value;
    stripe = stripe_of(table, value);
    stripe_lock(stripe);
    entry->handle = value;
    entry->object = object;
    entry->type = type;
    b = bucket_of(value, table->bucket_bits);
    entry->next = table->buckets[b];
    table->buckets[b] = index + 1;
    stripe_unlock(stripe);
    table->live++;
    table->counts[type]++;
    vidmm_mutex_unlock(&table->lock);
    return STATUS_SUCCESS;
}

NTSTATUS handle_table_insert(struct handle_table *table, void *object,
                             enum vidmm_object_type type, uint32_t *handle)
{
    return insert(table, object, type, 0, handle);
}

NTSTATUS handle_table_insert_value(struct handle_table *table, void *object, enum vidmm_object_type type,
                                   uint32_t value)
{
    uint32_t handle;

    return insert(table, object, type, value, &handle);
}

void *handle_table_remove(struct handle_table *table, uint32_t handle, enum vidmm_object_type type)
{
    struct handle_entry *entry;
    void *object = NULL;
    uint32_t cur, prev;

    vidmm_mutex_lock(&table->lock);
    if ((cur = find(table, handle, &prev)) && (entry = entry_at(table, cur - 1))->type == type)
    {
        struct handle_stripe *stripe = stripe_of(table, handle);

        object = entry->object;
        /* Once the stripe is released no lookup can reach the entry, nor
         * grab the object: the caller may drop the table's reference. */
        stripe_lock(stripe);
        if (prev) entry_at(table, prev - 1)->next = entry->next;
        else table->buckets[bucket_of(handle, table->bucket_bits)] = entry->next;
        entry->handle = 0;
        entry->object = NULL;
        entry->type = VIDMM_OBJECT_NONE;
        stripe_unlock(stripe);
        entry->next = table->free_head;
        table->free_head = cur;
        table->live--;
        table->counts[type]--;
    }
    vidmm_mutex_unlock(&table->lock);
    return object;
}

void *handle_table_lookup(struct handle_table *table, uint32_t handle,
                          enum vidmm_object_type type, void (*grab)(void *object))
{
    struct handle_stripe *stripe = stripe_of(table, handle);
    struct handle_entry *entry;
    void *object = NULL;
    uint64_t probes = 0;
    uint32_t cur;

    if (!well_formed(handle)) return NULL;
    stripe_lock(stripe);
    if ((cur = walk(table, handle, NULL, &probes)) && (entry = entry_at(table, cur - 1))->type == type)
    {
        object = entry->object;
        if (grab) grab(object);
    }
    stripe_unlock(stripe);
    return object;
}

/* Global values are only ever given to shared objects and local ones to
 * everything else, so the exact value decides the type. */
enum vidmm_object_type handle_table_type(struct handle_table *table, uint32_t handle)
{
    struct handle_stripe *stripe = stripe_of(table, handle);
    enum vidmm_object_type type = VIDMM_OBJECT_NONE;
    uint64_t probes = 0;
    uint32_t cur;

    stripe_lock(stripe);
    if ((cur = walk(table, handle, NULL, &probes))) type = entry_at(table, cur - 1)->type;
    stripe_unlock(stripe);
    return type;
}

uint32_t handle_table_count(struct handle_table *table, enum vidmm_object_type type)
{
    uint32_t count;

    vidmm_mutex_lock(&table->lock);
    count = type == VIDMM_OBJECT_NONE ? table->live : table->counts[type];
    vidmm_mutex_unlock(&table->lock);
    return count;
}

uint32_t handle_table_for_each(struct handle_table *table, enum vidmm_object_type type,
                               int (*visit)(void *ctx, uint32_t handle, void *object), void *ctx)
{
    uint32_t i, stopped = 0;

    vidmm_mutex_lock(&table->lock);
    for (i = 0; i < table->used && !stopped; i++)
    {
        struct handle_entry *entry = entry_at(table, i);

        if (entry->handle && (type == VIDMM_OBJECT_NONE || entry->type == type)
            && visit(ctx, entry->handle, entry->object))
            stopped = entry->handle;
    }
    vidmm_mutex_unlock(&table->lock);
    return stopped;
}
