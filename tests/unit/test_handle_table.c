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
 * Unit tests of the D3DKMT handle table (handle_table.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <time.h>
#include <errno.h>
#include <cmocka.h>

#include "private/handle_table.h"
#include "private/vidmm_alloc.h"

#define PAYLOAD_OF(h) (((h) >> 6) & (VIDMM_HANDLE_VALUES - 1))

/* Each test gets a fresh table, cleaned up even when an assertion fails. */
static int setup(void **state)
{
    struct handle_table *table = malloc(sizeof(*table));

    if (!table) return -1;
    handle_table_init(table);
    *state = table;
    return 0;
}

static int teardown(void **state)
{
    vidmm_alloc_fail_after(-1, 0);
    handle_table_cleanup(*state);
    free(*state);
    return 0;
}

static uint32_t insert_ok(struct handle_table *table, void *object, enum vidmm_object_type type)
{
    uint32_t handle = 0;

    assert_int_equal(handle_table_insert(table, object, type, &handle), STATUS_SUCCESS);
    assert_int_not_equal(handle, 0);
    return handle;
}

static int grabs;
static void count_grab(void *object)
{
    grabs++;
}

/* Not found under any type. */
static void assert_not_found(struct handle_table *table, uint32_t handle)
{
    int type;

    for (type = VIDMM_OBJECT_NONE; type <= VIDMM_OBJECT_SHARED_RESOURCE; type++)
        assert_null(handle_table_lookup(table, handle, type, NULL));
}

/* ... and handle_table_type agrees. */
static void assert_dead(struct handle_table *table, uint32_t handle)
{
    assert_not_found(table, handle);
    assert_int_equal(handle_table_type(table, handle), VIDMM_OBJECT_NONE);
}

static void test_handle_format(void **state)
{
    static const enum vidmm_object_type types[] =
    {
        VIDMM_OBJECT_ADAPTER, VIDMM_OBJECT_DEVICE, VIDMM_OBJECT_RESOURCE,
        VIDMM_OBJECT_ALLOCATION, VIDMM_OBJECT_PAGING_QUEUE,
    };
    struct handle_table *table = *state;
    uint32_t handles[50];
    int objects[50];
    size_t i;

    for (i = 0; i < 50; i++)
    {
        handles[i] = insert_ok(table, &objects[i], types[i % 5]);
        assert_int_equal(handles[i] & 0xc0000000, 0xc0000000);
        assert_int_equal(handles[i] & 0x3f, 0);
        /* One counter for every type: +0x40 per handle. */
        if (i) assert_int_equal(handles[i], handles[i - 1] + 0x40);
    }
    assert_int_equal(handles[0], 0xc0000040);   /* slot 0 is never used */
    assert_int_equal(table->live, 50);
    for (i = 0; i < 50; i++)
    {
        assert_ptr_equal(handle_table_lookup(table, handles[i], types[i % 5], NULL), &objects[i]);
        assert_int_equal(handle_table_type(table, handles[i]), types[i % 5]);
    }
}

static void test_lookup_type_mismatch(void **state)
{
    struct handle_table *table = *state;
    int device, allocation;
    uint32_t hdev, halloc;

    hdev = insert_ok(table, &device, VIDMM_OBJECT_DEVICE);
    halloc = insert_ok(table, &allocation, VIDMM_OBJECT_ALLOCATION);

    grabs = 0;
    assert_ptr_equal(handle_table_lookup(table, hdev, VIDMM_OBJECT_DEVICE, count_grab), &device);
    assert_int_equal(grabs, 1);
    /* A wrong type neither finds nor grabs. */
    assert_null(handle_table_lookup(table, hdev, VIDMM_OBJECT_ALLOCATION, count_grab));
    assert_null(handle_table_lookup(table, hdev, VIDMM_OBJECT_ADAPTER, count_grab));
    assert_null(handle_table_lookup(table, halloc, VIDMM_OBJECT_DEVICE, count_grab));
    assert_null(handle_table_lookup(table, hdev, VIDMM_OBJECT_SHARED_RESOURCE, count_grab));
    assert_int_equal(grabs, 1);

    /* Remove with a wrong type leaves the entry alone. */
    assert_null(handle_table_remove(table, hdev, VIDMM_OBJECT_ALLOCATION));
    assert_ptr_equal(handle_table_lookup(table, hdev, VIDMM_OBJECT_DEVICE, NULL), &device);
    assert_int_equal(table->live, 2);
    assert_ptr_equal(handle_table_remove(table, hdev, VIDMM_OBJECT_DEVICE), &device);
    assert_ptr_equal(handle_table_remove(table, halloc, VIDMM_OBJECT_ALLOCATION), &allocation);
    assert_int_equal(table->live, 0);
}

static void test_stale_handle(void **state)
{
    enum { N = 5000 };
    struct handle_table *table = *state;
    uint32_t *handles = malloc(N * sizeof(*handles)), first, fresh;
    int object, other;
    size_t i;

    assert_non_null(handles);
    first = insert_ok(table, &object, VIDMM_OBJECT_ALLOCATION);
    assert_ptr_equal(handle_table_remove(table, first, VIDMM_OBJECT_ALLOCATION), &object);
    assert_dead(table, first);
    assert_null(handle_table_remove(table, first, VIDMM_OBJECT_ALLOCATION));   /* twice */

    /* A freed value is not handed out again: the counter goes on. */
    fresh = insert_ok(table, &other, VIDMM_OBJECT_ALLOCATION);
    assert_int_equal(fresh, first + 0x40);
    assert_dead(table, first);
    for (i = 0; i < N; i++) handles[i] = insert_ok(table, &object, VIDMM_OBJECT_ALLOCATION);
    for (i = 0; i < N; i++) assert_non_null(handle_table_remove(table, handles[i], VIDMM_OBJECT_ALLOCATION));
    for (i = 0; i < N; i++)
    {
        uint32_t h = insert_ok(table, &other, VIDMM_OBJECT_DEVICE);
        assert_int_equal(h, handles[N - 1] + 0x40 * (i + 1));
    }
    /* Every old handle stays dead, and cannot remove anything. */
    assert_dead(table, first);
    for (i = 0; i < N; i++)
    {
        assert_dead(table, handles[i]);
        assert_null(handle_table_remove(table, handles[i], VIDMM_OBJECT_DEVICE));
    }
    assert_int_equal(handle_table_count(table, VIDMM_OBJECT_DEVICE), N);
    assert_ptr_equal(handle_table_lookup(table, fresh, VIDMM_OBJECT_ALLOCATION, NULL), &other);
    free(handles);
}

static void test_random_handles(void **state)
{
    enum { LIVE = 100 };
    struct handle_table *table = *state;
    uint32_t live[LIVE], h, bad[] =
    {
        0, 0xffffffff, 0xc0000000, 0x40, 0x80000040, 0x40000040, 0xc0000041, 0xc0000043,
        0xc000007f, 0xc0000000 | (VIDMM_HANDLE_VALUES - 1) << 6, 0xffffffc0, 0xc0000002,
    };
    uint64_t seed = 42;
    int objects[LIVE], type;
    size_t i, j, n;

    for (i = 0; i < LIVE; i++) live[i] = insert_ok(table, &objects[i], VIDMM_OBJECT_ALLOCATION);
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) assert_dead(table, bad[i]);
    /* A live handle with a high payload bit flipped, or with tag bits. */
    assert_dead(table, live[0] ^ (1u << 29));
    assert_dead(table, live[0] | 1);
    assert_not_found(table, live[0] | VIDMM_HANDLE_GLOBAL_TAG);   /* handle_table_type: see test_type_of_retagged_handle */
    assert_dead(table, live[LIVE - 1] + 0x40);

    for (n = 0; n < 100000; n++)
    {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        h = (uint32_t)(seed >> 32);
        if (n & 1) h |= 0xc0000000;   /* half of them look like ours */
        for (j = 0; j < LIVE && live[j] != h; j++) ;
        if (j < LIVE) continue;       /* guessed a live one: fine */
        for (type = VIDMM_OBJECT_ADAPTER; type <= VIDMM_OBJECT_SHARED_RESOURCE; type++)
            assert_null(handle_table_lookup(table, h, type, NULL));
        for (j = 0; j < LIVE && live[j] != (h & ~0x3fu); j++) ;
        if (j == LIVE) assert_int_equal(handle_table_type(table, h), VIDMM_OBJECT_NONE);
        assert_null(handle_table_remove(table, h, VIDMM_OBJECT_ALLOCATION));
    }
    assert_int_equal(table->live, LIVE);
    for (i = 0; i < LIVE; i++)
        assert_ptr_equal(handle_table_lookup(table, live[i], VIDMM_OBJECT_ALLOCATION, NULL), &objects[i]);
}

static void test_global_handles(void **state)
{
    struct handle_table *table = *state;
    uint32_t local, global, next, global2;
    int resource, shared, other, shared2;

    local = insert_ok(table, &resource, VIDMM_OBJECT_RESOURCE);
    global = insert_ok(table, &shared, VIDMM_OBJECT_SHARED_RESOURCE);
    assert_int_equal(global & 0xc0000000, 0xc0000000);
    assert_int_equal(global & 0x3f, VIDMM_HANDLE_GLOBAL_TAG);
    assert_int_equal(global, 0xc0000042);   /* a counter of its own */
    next = insert_ok(table, &other, VIDMM_OBJECT_DEVICE);
    assert_int_equal(next, local + 0x40);
    global2 = insert_ok(table, &shared2, VIDMM_OBJECT_SHARED_RESOURCE);
    assert_int_equal(global2, global + 0x40);
    assert_int_equal(handle_table_count(table, VIDMM_OBJECT_SHARED_RESOURCE), 2);

    assert_ptr_equal(handle_table_lookup(table, global, VIDMM_OBJECT_SHARED_RESOURCE, NULL), &shared);
    assert_int_equal(handle_table_type(table, global), VIDMM_OBJECT_SHARED_RESOURCE);
    /* Global and local handles are not interchangeable: the same payload
     * names different objects in the two namespaces. */
    assert_int_equal(global & ~0x3fu, local);
    assert_null(handle_table_lookup(table, global, VIDMM_OBJECT_RESOURCE, NULL));
    assert_null(handle_table_lookup(table, local, VIDMM_OBJECT_SHARED_RESOURCE, NULL));
    assert_ptr_equal(handle_table_lookup(table, local, VIDMM_OBJECT_RESOURCE, NULL), &resource);
    assert_null(handle_table_lookup(table, next | VIDMM_HANDLE_GLOBAL_TAG, VIDMM_OBJECT_DEVICE, NULL));
    assert_null(handle_table_remove(table, global, VIDMM_OBJECT_RESOURCE));
    assert_null(handle_table_remove(table, local, VIDMM_OBJECT_SHARED_RESOURCE));

    assert_ptr_equal(handle_table_remove(table, global, VIDMM_OBJECT_SHARED_RESOURCE), &shared);
    assert_dead(table, global);
    assert_ptr_equal(handle_table_lookup(table, local, VIDMM_OBJECT_RESOURCE, NULL), &resource);
    assert_ptr_equal(handle_table_lookup(table, global2, VIDMM_OBJECT_SHARED_RESOURCE, NULL), &shared2);
}

/* handle_table.h: handle_table_type() gives "the type a handle currently
 * refers to, VIDMM_OBJECT_NONE if none": a local handle given the global tag
 * (with no global handle of that value) names nothing, nor does a global one
 * with the tag cleared (with no local handle of that value). */
static void test_type_of_retagged_handle(void **state)
{
    struct handle_table *table = *state;
    uint32_t local, global, filler[3];
    int resource, shared, other;
    size_t i;

    global = insert_ok(table, &shared, VIDMM_OBJECT_SHARED_RESOURCE);   /* global payload 1 */
    for (i = 0; i < 3; i++) filler[i] = insert_ok(table, &other, VIDMM_OBJECT_DEVICE);
    local = insert_ok(table, &resource, VIDMM_OBJECT_RESOURCE);         /* local payload 4 */
    assert_ptr_equal(handle_table_remove(table, filler[0], VIDMM_OBJECT_DEVICE), &other);   /* local payload 1 */
    assert_not_found(table, local | VIDMM_HANDLE_GLOBAL_TAG);
    assert_not_found(table, global & ~0x3fu);
    assert_int_equal(handle_table_type(table, local | VIDMM_HANDLE_GLOBAL_TAG), VIDMM_OBJECT_NONE);
    assert_int_equal(handle_table_type(table, global & ~0x3fu), VIDMM_OBJECT_NONE);
    assert_int_equal(handle_table_type(table, local | 1), VIDMM_OBJECT_NONE);
    assert_int_equal(handle_table_type(table, global | 1), VIDMM_OBJECT_NONE);
    assert_int_equal(handle_table_type(table, local), VIDMM_OBJECT_RESOURCE);
    assert_int_equal(handle_table_type(table, global), VIDMM_OBJECT_SHARED_RESOURCE);
}

static void test_insert_out_of_memory(void **state)
{
    enum { N = VIDMM_HANDLE_CHUNK + 10 };
    struct handle_table *table = *state;
    static int objects[N];
    uint32_t handles[N], h, fill;
    int sticky;
    size_t i;

    /* The first insert allocates an entry block, then the buckets. */
    for (i = 0; i < 2; i++)
    {
        vidmm_alloc_fail_after(i, 0);
        assert_int_equal(handle_table_insert(table, &objects[0], VIDMM_OBJECT_DEVICE, &h), STATUS_NO_MEMORY);
        assert_int_equal(table->live, 0);
        assert_int_equal(handle_table_type(table, 0xc0000040), VIDMM_OBJECT_NONE);
    }

    /* Growth points: the buckets when they are full, a block when the entries are. */
    for (fill = VIDMM_HANDLE_MIN_BUCKETS, i = 0; fill <= VIDMM_HANDLE_CHUNK; fill *= 2)
    {
        for (; i < fill; i++) handles[i] = insert_ok(table, &objects[i], VIDMM_OBJECT_ALLOCATION);
        for (sticky = 0; sticky <= 1; sticky++)
        {
            vidmm_alloc_fail_after(0, sticky);
            h = 0xdeadbeef;
            assert_int_equal(handle_table_insert(table, &objects[i], VIDMM_OBJECT_ALLOCATION, &h), STATUS_NO_MEMORY);
            assert_int_equal(h, 0xdeadbeef);
            vidmm_alloc_fail_after(-1, 0);
        }
        /* Unchanged and usable: every handle still works, removal needs no memory. */
        assert_int_equal(table->live, i);
        for (h = 0; h < i; h++)
            assert_ptr_equal(handle_table_lookup(table, handles[h], VIDMM_OBJECT_ALLOCATION, NULL), &objects[h]);
    }
    vidmm_alloc_fail_after(0, 1);
    assert_ptr_equal(handle_table_remove(table, handles[10], VIDMM_OBJECT_ALLOCATION), &objects[10]);
    vidmm_alloc_fail_after(-1, 0);
    /* No value was burnt by the failures: the counter goes on by 0x40. */
    handles[i] = insert_ok(table, &objects[i], VIDMM_OBJECT_ALLOCATION);
    assert_int_equal(handles[i], handles[i - 1] + 0x40);
    for (i++; i < N; i++) handles[i] = insert_ok(table, &objects[i], VIDMM_OBJECT_ALLOCATION);
    for (i = 0; i < N; i++)
        if (i != 10)
            assert_ptr_equal(handle_table_lookup(table, handles[i], VIDMM_OBJECT_ALLOCATION, NULL), &objects[i]);
    assert_int_equal(handle_table_count(table, VIDMM_OBJECT_NONE), N - 1);
}

static void test_table_full(void **state)
{
    enum { MAX = 1000 };
    struct handle_table *table = *state;
    uint32_t h, first = 0, last = 0, again;
    int object;
    size_t i;

    /* The live maximum (lowered for the test; VIDMM_HANDLE_MAX_LIVE otherwise). */
    table->max_live = MAX;
    for (i = 0; i < MAX; i++)
    {
        h = insert_ok(table, &object, VIDMM_OBJECT_ALLOCATION);
        if (!i) first = h;
        last = h;
    }
    assert_int_equal(handle_table_insert(table, &object, VIDMM_OBJECT_ALLOCATION, &h), STATUS_NO_MEMORY);
    assert_int_equal(handle_table_insert(table, &object, VIDMM_OBJECT_SHARED_RESOURCE, &h), STATUS_NO_MEMORY);
    /* A freed entry is usable at once, with the next value, not the freed one. */
    assert_non_null(handle_table_remove(table, first, VIDMM_OBJECT_ALLOCATION));
    again = insert_ok(table, &object, VIDMM_OBJECT_ALLOCATION);
    assert_int_equal(again, last + 0x40);
    assert_dead(table, first);
    assert_int_equal(handle_table_insert(table, &object, VIDMM_OBJECT_ALLOCATION, &h), STATUS_NO_MEMORY);
    assert_int_equal(handle_table_count(table, VIDMM_OBJECT_ALLOCATION), MAX);
}

/* Issue 8: a destroyed handle must stay stale through heavy churn.  With a
 * 5-bit generation per slot the value came back after 131,104 cycles. */
static void test_churn_keeps_stale_handle(void **state)
{
    enum { CYCLES = 300000 };
    struct handle_table *table = *state;
    uint32_t first, h;
    int object, other;
    size_t i;

    first = insert_ok(table, &object, VIDMM_OBJECT_ALLOCATION);
    assert_ptr_equal(handle_table_remove(table, first, VIDMM_OBJECT_ALLOCATION), &object);
    for (i = 0; i < CYCLES; i++)
    {
        h = insert_ok(table, &other, i & 1 ? VIDMM_OBJECT_ALLOCATION : VIDMM_OBJECT_RESOURCE);
        if (h == first) fail_msg("cycle %zu: the destroyed handle %#x was handed out again", i, first);
        assert_ptr_equal(handle_table_remove(table, h, i & 1 ? VIDMM_OBJECT_ALLOCATION : VIDMM_OBJECT_RESOURCE),
                         &other);
    }
    assert_dead(table, first);
}

/* Issue 8: 10^6 live objects fit (the old table had 2^19 slots). */
static void test_million_live(void **state)
{
    enum { N = 1000000 };
    struct handle_table *table = *state;
    uint32_t *handles = malloc(N * sizeof(*handles)), h;
    static char objects[16];
    size_t i;

    assert_non_null(handles);
    for (i = 0; i < N; i++)
    {
        NTSTATUS status = handle_table_insert(table, objects + (i & 15), VIDMM_OBJECT_ALLOCATION, &h);
        if (status) fail_msg("insert %zu of %u: %#x", i + 1, N, (unsigned int)status);
        handles[i] = h;
    }
    /* O(1) without timing: entries compared per insert and per lookup. */
    if (table->probes > 2ull * N) fail_msg("%llu probes for %u inserts", (unsigned long long)table->probes, N);
    table->probes = 0;
    for (i = 0; i < N; i++)
        if (handle_table_lookup(table, handles[i], VIDMM_OBJECT_ALLOCATION, NULL) != objects + (i & 15))
            fail_msg("lookup %zu (%#x) failed", i, handles[i]);
    if (table->probes > 2ull * N) fail_msg("%llu probes for %u lookups", (unsigned long long)table->probes, N);
    assert_int_equal(handle_table_count(table, VIDMM_OBJECT_ALLOCATION), N);
    for (i = 0; i < N; i += 2)
        assert_ptr_equal(handle_table_remove(table, handles[i], VIDMM_OBJECT_ALLOCATION), objects + (i & 15));
    for (i = 0; i < N; i++)
    {
        void *found = handle_table_lookup(table, handles[i], VIDMM_OBJECT_ALLOCATION, NULL);
        if (found != (i & 1 ? objects + (i & 15) : NULL)) fail_msg("lookup %zu after removals", i);
    }
    for (i = 1; i < N; i += 2)
        assert_ptr_equal(handle_table_remove(table, handles[i], VIDMM_OBJECT_ALLOCATION), objects + (i & 15));
    assert_int_equal(handle_table_count(table, VIDMM_OBJECT_NONE), 0);
    free(handles);
}

/* Issue 13: a global share handle does not use up a local value
 * ([WIN] spec A.2: OpenResource after CreateShared gets the very next ones). */
static void test_global_handle_own_counter(void **state)
{
    struct handle_table *table = *state;
    uint32_t resource, allocation, global, opened, alias;
    int objects[5];

    resource = insert_ok(table, &objects[0], VIDMM_OBJECT_RESOURCE);
    allocation = insert_ok(table, &objects[1], VIDMM_OBJECT_ALLOCATION);
    global = insert_ok(table, &objects[2], VIDMM_OBJECT_SHARED_RESOURCE);
    opened = insert_ok(table, &objects[3], VIDMM_OBJECT_RESOURCE);
    alias = insert_ok(table, &objects[4], VIDMM_OBJECT_ALLOCATION);
    assert_int_equal(allocation, resource + 0x40);
    assert_int_equal(global & 0xc000003f, 0xc0000002);
    assert_int_equal(opened, allocation + 0x40);
    assert_int_equal(alias, opened + 0x40);
    assert_ptr_equal(handle_table_lookup(table, global, VIDMM_OBJECT_SHARED_RESOURCE, NULL), &objects[2]);
    assert_ptr_equal(handle_table_lookup(table, opened, VIDMM_OBJECT_RESOURCE, NULL), &objects[3]);
}

/* The reuse distance: a freed value comes back only once the counter has
 * gone round all 2^24 - 1 values, skipping the live ones. */
static void test_reuse_distance(void **state)
{
    struct handle_table *table = *state;
    uint32_t kept, first, h, cycles = 0;
    int object, other;

    kept = insert_ok(table, &object, VIDMM_OBJECT_DEVICE);
    first = insert_ok(table, &other, VIDMM_OBJECT_ALLOCATION);
    assert_non_null(handle_table_remove(table, first, VIDMM_OBJECT_ALLOCATION));
    for (;;)
    {
        h = insert_ok(table, &other, VIDMM_OBJECT_ALLOCATION);
        if (h == kept) fail_msg("cycle %u: the live handle was handed out again", cycles);
        assert_ptr_equal(handle_table_remove(table, h, VIDMM_OBJECT_ALLOCATION), &other);
        if (h == first) break;
        cycles++;
    }
    /* Every other value once: 2^24 - 1 minus the live one and the freed one. */
    assert_int_equal(cycles, VIDMM_HANDLE_VALUES - 3);
    assert_ptr_equal(handle_table_lookup(table, kept, VIDMM_OBJECT_DEVICE, NULL), &object);
    /* The next one goes on from there. */
    h = insert_ok(table, &other, VIDMM_OBJECT_ALLOCATION);
    assert_int_equal(h, first + 0x40);
}

static int count_visit(void *ctx, uint32_t handle, void *object)
{
    uint32_t *seen = ctx;

    seen[0]++;
    seen[1] ^= handle;
    return seen[2] && seen[0] == seen[2];
}

static void test_count_and_iterate(void **state)
{
    struct handle_table *table = *state;
    uint32_t handles[30], seen[3], expect = 0, stop;
    int objects[30];
    size_t i;

    assert_int_equal(handle_table_count(table, VIDMM_OBJECT_NONE), 0);
    memset(seen, 0, sizeof(seen));
    assert_int_equal(handle_table_for_each(table, VIDMM_OBJECT_NONE, count_visit, seen), 0);
    assert_int_equal(seen[0], 0);
    for (i = 0; i < 30; i++)
        handles[i] = insert_ok(table, &objects[i], i % 3 ? VIDMM_OBJECT_ALLOCATION : VIDMM_OBJECT_ADAPTER);
    for (i = 0; i < 30; i += 6) assert_non_null(handle_table_remove(table, handles[i], VIDMM_OBJECT_ADAPTER));
    assert_int_equal(handle_table_count(table, VIDMM_OBJECT_ADAPTER), 5);
    assert_int_equal(handle_table_count(table, VIDMM_OBJECT_ALLOCATION), 20);
    assert_int_equal(handle_table_count(table, VIDMM_OBJECT_DEVICE), 0);
    assert_int_equal(handle_table_count(table, VIDMM_OBJECT_NONE), 25);

    for (i = 3; i < 30; i += 6) expect ^= handles[i];
    memset(seen, 0, sizeof(seen));
    assert_int_equal(handle_table_for_each(table, VIDMM_OBJECT_ADAPTER, count_visit, seen), 0);
    assert_int_equal(seen[0], 5);
    assert_int_equal(seen[1], expect);
    memset(seen, 0, sizeof(seen));
    assert_int_equal(handle_table_for_each(table, VIDMM_OBJECT_NONE, count_visit, seen), 0);
    assert_int_equal(seen[0], 25);
    /* Stopping returns the handle it stopped at. */
    memset(seen, 0, sizeof(seen));
    seen[2] = 2;
    stop = handle_table_for_each(table, VIDMM_OBJECT_ADAPTER, count_visit, seen);
    assert_int_equal(seen[0], 2);
    assert_int_equal(handle_table_type(table, stop), VIDMM_OBJECT_ADAPTER);
}

/* Threads insert, look up and remove at once; a handle is never handed out twice while live. */
struct thread_arg
{
    struct handle_table *table;
    int id;
    int failures;
};

static void *table_thread(void *param)
{
    struct thread_arg *arg = param;
    uint32_t handles[64];
    int objects[64], round, i;

    for (round = 0; round < 200; round++)
    {
        for (i = 0; i < 64; i++)
            if (handle_table_insert(arg->table, &objects[i], VIDMM_OBJECT_ALLOCATION, &handles[i])) arg->failures++;
        for (i = 0; i < 64; i++)
            if (handle_table_lookup(arg->table, handles[i], VIDMM_OBJECT_ALLOCATION, NULL) != &objects[i])
                arg->failures++;
        for (i = 0; i < 64; i++)
            if (handle_table_remove(arg->table, handles[i], VIDMM_OBJECT_ALLOCATION) != &objects[i])
                arg->failures++;
    }
    return NULL;
}

static void test_threads(void **state)
{
    struct thread_arg args[4];
    pthread_t threads[4];
    int i;

    for (i = 0; i < 4; i++)
    {
        args[i].table = *state;
        args[i].id = i;
        args[i].failures = 0;
        assert_int_equal(pthread_create(&threads[i], NULL, table_thread, &args[i]), 0);
    }
    for (i = 0; i < 4; i++)
    {
        pthread_join(threads[i], NULL);
        assert_int_equal(args[i].failures, 0);
    }
    assert_int_equal(((struct handle_table *)*state)->live, 0);
}

/* A grab that holds the stripe until the test lets it go (hang bound 10 s). */
static struct
{
    pthread_mutex_t m;
    pthread_cond_t cond;
    int entered, released;
} gate = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0 };

static void gate_set(int *flag)
{
    pthread_mutex_lock(&gate.m);
    *flag = 1;
    pthread_cond_broadcast(&gate.cond);
    pthread_mutex_unlock(&gate.m);
}

static int gate_wait(int *flag)
{
    struct timespec ts;
    int ret;

    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += 10;
    pthread_mutex_lock(&gate.m);
    while (!*flag && pthread_cond_timedwait(&gate.cond, &gate.m, &ts) != ETIMEDOUT) {}
    ret = *flag;
    pthread_mutex_unlock(&gate.m);
    return ret;
}

static void holding_grab(void *object)
{
    gate_set(&gate.entered);
    gate_wait(&gate.released);
}

struct lookup_call
{
    struct handle_table *table;
    uint32_t handle;
    void (*grab)(void *object);
    void *object;
    double cpu_ms;      /* the thread's CPU time in the lookup */
};

static double thread_cpu_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void *lookup_thread(void *arg)
{
    struct lookup_call *c = arg;
    double start = thread_cpu_ms();

    c->object = handle_table_lookup(c->table, c->handle, VIDMM_OBJECT_DEVICE, c->grab);
    c->cpu_ms = thread_cpu_ms() - start;
    return NULL;
}

/* A lookup that finds its stripe held for long (a holder preempted, a
 * bucket resize) sleeps instead of spinning: the bench saw a thread yield
 * in a loop for 1.9 ms there while the holder waited for that CPU. */
static void test_held_stripe_waiter_sleeps(void **state)
{
    struct handle_table *table = *state;
    struct lookup_call holder, waiter;
    struct timespec pause = { 0, 200 * 1000 * 1000 };
    pthread_t a, b;
    int device;
    uint32_t h = insert_ok(table, &device, VIDMM_OBJECT_DEVICE);

    gate.entered = gate.released = 0;
    holder.table = waiter.table = table;
    holder.handle = waiter.handle = h;
    holder.grab = holding_grab;
    waiter.grab = NULL;
    assert_int_equal(pthread_create(&a, NULL, lookup_thread, &holder), 0);
    assert_true(gate_wait(&gate.entered));
    assert_int_equal(pthread_create(&b, NULL, lookup_thread, &waiter), 0);
    nanosleep(&pause, NULL);   /* b waits for the stripe all this while */
    gate_set(&gate.released);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    assert_ptr_equal(holder.object, &device);
    assert_ptr_equal(waiter.object, &device);
    /* It waited 200 ms; spinning, it took most of that on a CPU. */
    print_message("waiter used %.1f ms of CPU\n", waiter.cpu_ms);
    assert_true(waiter.cpu_ms < 50);
}

int main(void)
{
    const struct CMUnitTest tests[] =
    {
        cmocka_unit_test_setup_teardown(test_handle_format, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lookup_type_mismatch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stale_handle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_random_handles, setup, teardown),
        cmocka_unit_test_setup_teardown(test_global_handles, setup, teardown),
        cmocka_unit_test_setup_teardown(test_type_of_retagged_handle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_insert_out_of_memory, setup, teardown),
        cmocka_unit_test_setup_teardown(test_table_full, setup, teardown),
        cmocka_unit_test_setup_teardown(test_threads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_churn_keeps_stale_handle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_million_live, setup, teardown),
        cmocka_unit_test_setup_teardown(test_global_handle_own_counter, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reuse_distance, setup, teardown),
        cmocka_unit_test_setup_teardown(test_count_and_iterate, setup, teardown),
        cmocka_unit_test_setup_teardown(test_held_stripe_waiter_sleeps, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
