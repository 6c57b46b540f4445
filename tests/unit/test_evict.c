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
 * Victim choice and list calls at scale (issue 10): the work a pick does
 * must not grow with the number of resident allocations, and a call on
 * thousands of handles must let other threads in between its batches.
 * Work is counted (gpu->victim_visits, the batch hook), never timed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <cmocka.h>

#include "vidmm_private.h"
#include "native_memory.h"
#include "core_calls.h"

#define KB 1024ull
#define MB (1024ull * KB)
#define PAGE (4 * KB)
#define LOCAL_SIZE (4 * MB)
#define LOCAL_PAGES (LOCAL_SIZE / PAGE)
#define NONLOCAL_SIZE (64 * MB)
#define LUID 0x0000000100000e71ull
#define CV D3DKMT_WINE_ALLOC_FLAG_CPU_VISIBLE
#define LOCAL D3DKMT_WINE_SEGMENT_GROUP_LOCAL
#define NONLOCAL D3DKMT_WINE_SEGMENT_GROUP_NON_LOCAL
#define PRIORITY_HIGH 0xa0000000u
#define MANY D3DKMT_WINE_MAX_HANDLES_PER_CALL

struct fx
{
    struct native_memory *nm;
    struct vidmm *mm;
    uint32_t adapter, device, queue;
    struct vidmm_gpu *gpu;
};

static int setup(void **state)
{
    struct vidmm_open_adapter_args open = {0};
    struct vidmm_create_device_args dev = {0};
    struct vidmm_paging_queue_args queue = {0};
    struct vidmm_adapter *adapter;
    struct vidmm_memory_ops ops;
    struct fx *f = calloc(1, sizeof(*f));

    if (!f || !(f->nm = native_memory_create())) return -1;
    native_memory_ops(f->nm, &ops);
    if (vidmm_create(&ops, VIDMM_CREATE_TEST_CONTROL, &f->mm)) return -1;
    open.luid = LUID;
    open.local_size = LOCAL_SIZE;
    open.nonlocal_size = NONLOCAL_SIZE;
    open.source_count = 1;
    if (vidmm_open_adapter(f->mm, &open)) return -1;
    f->adapter = open.handle;
    dev.adapter = f->adapter;
    if (vidmm_create_device(f->mm, &dev)) return -1;
    f->device = dev.handle;
    queue.device = f->device;
    if (vidmm_create_paging_queue(f->mm, &queue)) return -1;
    f->queue = queue.handle;
    adapter = vidmm_get(f->mm, f->adapter, VIDMM_OBJECT_ADAPTER);
    f->gpu = adapter->gpu;
    vidmm_put(f->mm, adapter);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct native_memory_counters c;
    struct fx *f = *state;
    int ret = 0;

    vidmm_destroy(f->mm);
    native_memory_get_counters(f->nm, &c);
    if (c.reservations || c.committed_bytes || c.errors) ret = -1;
    native_memory_destroy(f->nm);
    free(f);
    return ret;
}

static uint32_t create_ok(struct fx *f, uint64_t size, uint32_t group)
{
    uint32_t handle = 0;

    assert_int_equal(core_create(f->mm, f->device, size, group, CV, &handle), STATUS_SUCCESS);
    return handle;
}

static uint32_t residency(struct fx *f, uint32_t handle)
{
    uint32_t value = 0;

    assert_int_equal(core_list_call(f->mm, vidmm_query_residency, f->device, handle, 0, 0, &value), STATUS_SUCCESS);
    return value;
}

static uint64_t visits(struct fx *f)
{
    uint64_t n;

    vidmm_mutex_lock(&f->gpu->lock);
    n = f->gpu->victim_visits;
    vidmm_mutex_unlock(&f->gpu->lock);
    return n;
}

static void wait_idle(struct fx *f)
{
    assert_int_equal(core_escape(f->mm, f->adapter, D3DKMT_WINE_ESCAPE_WAIT_IDLE, 0, NULL), STATUS_SUCCESS);
}

/* What a successful Lock records for victim choice (vidmm_private.h). */
static void mark_used(struct fx *f, uint32_t handle)
{
    struct vidmm_allocation *alloc = vidmm_get(f->mm, handle, VIDMM_OBJECT_ALLOCATION);

    assert_non_null(alloc);
    alloc_mark_used(alloc);
    vidmm_put(f->mm, alloc);
}

static NTSTATUS list_call(struct fx *f, NTSTATUS (*fn)(struct vidmm *, struct vidmm_list_args *), uint32_t device,
                          const uint32_t *handles, uint32_t count, uint32_t flags, uint32_t priority)
{
    struct vidmm_list_args args;

    memset(&args, 0, sizeof(args));
    args.device = device;
    args.handles = (uintptr_t)handles;
    args.count = count;
    args.flags = flags;
    args.priority = priority;
    return fn(f->mm, &args);
}

/* Metadata per allocation (make bench's row): no copy of the driver's
 * private data unless the resource is shared. */
static void test_metadata_per_allocation(void **state)
{
    struct fx *f = *state;
    uint32_t handle = 0;
    struct vidmm_allocation *alloc;

    assert_int_equal(core_create(f->mm, f->device, 4096, D3DKMT_WINE_SEGMENT_GROUP_NON_LOCAL, 0, &handle),
                     STATUS_SUCCESS);
    alloc = vidmm_get(f->mm, handle, VIDMM_OBJECT_ALLOCATION);
    assert_non_null(alloc);
    /* No extension: no private data, no sharing, no caller memory. */
    assert_int_equal(alloc->extended, 0);
    assert_null(alloc_ext(alloc));
    assert_null(alloc_private_data(alloc));
    assert_int_equal(alloc_private_size(alloc), 0);
    vidmm_put(f->mm, alloc);
    assert_int_equal(core_destroy(f->mm, f->device, handle), STATUS_SUCCESS);
}

/* Allocation objects live in the store's slab: no malloc chunk each, and
 * the slab's memory goes when the allocations do. */
static void test_allocations_in_slab(void **state)
{
    enum { COUNT = 5000 };
    struct fx *f = *state;
    uint32_t *h = calloc(COUNT, sizeof(*h)), live = alloc_store_live(&f->mm->allocs), i;
    const uint64_t chunk = (uint64_t)sizeof(struct vidmm_allocation) << f->mm->allocs.plain.chunk_bits;

    assert_non_null(h);
    for (i = 0; i < COUNT; i++)
        assert_int_equal(core_create(f->mm, f->device, 4096, D3DKMT_WINE_SEGMENT_GROUP_NON_LOCAL, 0, &h[i]),
                         STATUS_SUCCESS);
    assert_int_equal(alloc_store_live(&f->mm->allocs), live + COUNT);
    assert_true(alloc_store_bytes(&f->mm->allocs) <= ((live + COUNT) / (chunk / sizeof(struct vidmm_allocation)) + 1) * chunk);
    for (i = 0; i < COUNT; i++) assert_int_equal(core_destroy(f->mm, f->device, h[i]), STATUS_SUCCESS);
    assert_int_equal(alloc_store_live(&f->mm->allocs), live);
    if (!live) assert_int_equal(alloc_store_bytes(&f->mm->allocs), chunk);
    free(h);
}

/* A segment full of 4 KiB allocations, a quarter of them locked and a
 * quarter resident by MakeResident: each create that evicts looks at a
 * bounded number of LRU entries, not at all of them (the old pick scanned
 * the whole LRU: about LOCAL_PAGES visits per create). */
static void test_full_segment_pick_is_constant(void **state)
{
    struct fx *f = *state;
    uint32_t *h = calloc(LOCAL_PAGES, sizeof(*h)), *more = calloc(2 * LOCAL_PAGES, sizeof(*more));
    uint32_t i, n = LOCAL_PAGES / 2, q = LOCAL_PAGES / 4;
    uint64_t before;
    uint8_t *p;

    assert_non_null(h);
    assert_non_null(more);
    for (i = 0; i < LOCAL_PAGES; i++) h[i] = create_ok(f, PAGE, LOCAL);
    for (i = 0; i < q; i++) assert_int_equal(core_lock(f->mm, f->device, h[i], 0, &p), STATUS_SUCCESS);
    assert_int_equal(list_call(f, vidmm_make_resident, f->queue, h + q, q, 0, 0), STATUS_SUCCESS);

    before = visits(f);
    for (i = 0; i < n; i++) more[i] = create_ok(f, PAGE, LOCAL);
    wait_idle(f);
    /* Each skipped entry leaves the lists once; each victim is visited once. */
    print_message("%u creates in a full segment of %llu: %llu entries visited\n", n,
                  (unsigned long long)LOCAL_PAGES, (unsigned long long)(visits(f) - before));
    assert_true(visits(f) - before <= 2 * (uint64_t)LOCAL_PAGES + 2 * n);
    for (i = 0; i < 2 * q; i++) assert_int_equal(residency(f, h[i]), VIDMM_RESIDENCY_IN_GPU_MEMORY);
    for (i = 2 * q; i < LOCAL_PAGES; i++) assert_int_equal(residency(f, h[i]), VIDMM_RESIDENCY_NOT_RESIDENT);

    /* Unlocked, the first quarter is a candidate again: after the newer ones. */
    for (i = 0; i < q; i++) assert_int_equal(core_unlock(f->mm, f->device, h[i]), STATUS_SUCCESS);
    before = visits(f);
    for (i = n; i < n + n + q; i++) more[i] = create_ok(f, PAGE, LOCAL);
    wait_idle(f);
    assert_true(visits(f) - before <= 2 * (uint64_t)LOCAL_PAGES + 2 * (n + q));
    for (i = 0; i < q; i++) assert_int_equal(residency(f, h[i]), VIDMM_RESIDENCY_NOT_RESIDENT);
    for (i = q; i < 2 * q; i++) assert_int_equal(residency(f, h[i]), VIDMM_RESIDENCY_IN_GPU_MEMORY);
    for (i = 0; i < n; i++) assert_int_equal(residency(f, more[i]), VIDMM_RESIDENCY_NOT_RESIDENT);

    for (i = 0; i < LOCAL_PAGES; i++) assert_int_equal(core_destroy(f->mm, f->device, h[i]), STATUS_SUCCESS);
    for (i = 0; i < n + n + q; i++) assert_int_equal(core_destroy(f->mm, f->device, more[i]), STATUS_SUCCESS);
    free(h);
    free(more);
}

/* A create in a full segment takes the range its victim leaves: what the
 * victim wrote there is never what the newcomer reads (it reads zero), and
 * the victim keeps it.  The first victims' ranges were fresh when they got
 * them, so a range handed on as fresh would skip the clearing. */
static void test_victims_range_reads_zero(void **state)
{
    struct fx *f = *state;
    uint32_t *h = calloc(LOCAL_PAGES, sizeof(*h)), more[16], i, j;
    uint8_t *p;

    assert_non_null(h);
    for (i = 0; i < LOCAL_PAGES; i++)
    {
        h[i] = create_ok(f, PAGE, LOCAL);
        assert_int_equal(core_lock(f->mm, f->device, h[i], 0, &p), STATUS_SUCCESS);
        memset(p, 0x5a, PAGE);
        assert_int_equal(core_unlock(f->mm, f->device, h[i]), STATUS_SUCCESS);
    }
    for (i = 0; i < 16; i++)
    {
        more[i] = create_ok(f, PAGE, LOCAL);
        assert_int_equal(residency(f, h[i]), VIDMM_RESIDENCY_NOT_RESIDENT);
        assert_int_equal(core_lock(f->mm, f->device, more[i], 0, &p), STATUS_SUCCESS);
        for (j = 0; j < PAGE; j++) assert_int_equal(p[j], 0);
        memset(p, 0xc3, PAGE);
        assert_int_equal(core_unlock(f->mm, f->device, more[i]), STATUS_SUCCESS);
    }
    wait_idle(f);
    for (i = 0; i < 16; i++)
    {
        assert_int_equal(core_lock(f->mm, f->device, h[i], 0, &p), STATUS_SUCCESS);
        for (j = 0; j < PAGE; j++) assert_int_equal(p[j], 0x5a);
        assert_int_equal(core_unlock(f->mm, f->device, h[i]), STATUS_SUCCESS);
    }
    for (i = 0; i < 16; i++)
    {
        assert_int_equal(core_lock(f->mm, f->device, more[i], 0, &p), STATUS_SUCCESS);
        for (j = 0; j < PAGE; j++) assert_int_equal(p[j], 0xc3);
        assert_int_equal(core_unlock(f->mm, f->device, more[i]), STATUS_SUCCESS);
        assert_int_equal(core_destroy(f->mm, f->device, more[i]), STATUS_SUCCESS);
    }
    for (i = 0; i < LOCAL_PAGES; i++) assert_int_equal(core_destroy(f->mm, f->device, h[i]), STATUS_SUCCESS);
    free(h);
}

/* The order the spec asks for: offered first (lower offer priority first),
 * then lower priority, then the least recently used; changes of priority,
 * offer and residency after creation count. */
static void test_victim_order(void **state)
{
    struct fx *f = *state;
    uint32_t a, b, c, d, e, x, y, n = LOCAL_SIZE / (512 * KB), i, high = PRIORITY_HIGH, value;
    uint32_t *fill = calloc(n, sizeof(*fill));
    uint8_t *p;

    /* a: raised to high after creation; b: offered at 3, c: offered at 1;
     * d: resident by MakeResident, then evicted only-if-necessary; e: plain. */
    a = create_ok(f, 512 * KB, LOCAL);
    b = create_ok(f, 512 * KB, LOCAL);
    c = create_ok(f, 512 * KB, LOCAL);
    d = create_ok(f, 512 * KB, LOCAL);
    e = create_ok(f, 512 * KB, LOCAL);
    for (i = 0; i < n - 5; i++) fill[i] = create_ok(f, 512 * KB, LOCAL);
    assert_int_equal(core_list_call(f->mm, vidmm_set_priority, f->device, a, 0, 0, &high), STATUS_SUCCESS);
    assert_int_equal(core_list_call(f->mm, vidmm_offer, f->device, b, 0, 3, NULL), STATUS_SUCCESS);
    assert_int_equal(core_list_call(f->mm, vidmm_offer, f->device, c, 0, 1, NULL), STATUS_SUCCESS);
    assert_int_equal(core_list_call(f->mm, vidmm_make_resident, f->queue, d, 0, 0, &value), STATUS_SUCCESS);
    /* e used last (Lock marks it used; done here as the Lock fast path does). */
    assert_int_equal(core_lock(f->mm, f->device, e, 0, &p), STATUS_SUCCESS);
    mark_used(f, e);
    assert_int_equal(core_unlock(f->mm, f->device, e), STATUS_SUCCESS);

    x = create_ok(f, 512 * KB, LOCAL);
    assert_int_equal(residency(f, c), VIDMM_RESIDENCY_NOT_RESIDENT);
    assert_int_equal(residency(f, b), VIDMM_RESIDENCY_IN_GPU_MEMORY);
    x = (core_destroy(f->mm, f->device, x), create_ok(f, 1 * MB, LOCAL));
    assert_int_equal(residency(f, b), VIDMM_RESIDENCY_NOT_RESIDENT);
    /* Then the normal-priority ones, least recently used first: a filler, not e. */
    y = create_ok(f, 512 * KB, LOCAL);
    assert_int_equal(residency(f, fill[0]), VIDMM_RESIDENCY_NOT_RESIDENT);
    assert_int_equal(residency(f, fill[1]), VIDMM_RESIDENCY_IN_GPU_MEMORY);
    assert_int_equal(residency(f, e), VIDMM_RESIDENCY_IN_GPU_MEMORY);
    assert_int_equal(residency(f, a), VIDMM_RESIDENCY_IN_GPU_MEMORY);
    assert_int_equal(residency(f, d), VIDMM_RESIDENCY_IN_GPU_MEMORY);
    /* d leaves the residency list and becomes a candidate again, after e. */
    assert_int_equal(core_list_call(f->mm, vidmm_evict, f->device, d, VIDMM_EVICT_ONLY_IF_NECESSARY, 0, &value),
                     STATUS_SUCCESS);
    assert_int_equal(residency(f, d), VIDMM_RESIDENCY_IN_GPU_MEMORY);
    for (i = 0; i < n - 5; i++) assert_int_equal(core_destroy(f->mm, f->device, fill[i]), STATUS_SUCCESS);
    assert_int_equal(core_destroy(f->mm, f->device, x), STATUS_SUCCESS);
    assert_int_equal(core_destroy(f->mm, f->device, y), STATUS_SUCCESS);
    /* a, d, e resident: five fill the segment, the sixth evicts e, the seventh d; a (high) stays. */
    for (i = 0; i < n - 1; i++) fill[i] = create_ok(f, 512 * KB, LOCAL);
    assert_int_equal(residency(f, e), VIDMM_RESIDENCY_NOT_RESIDENT);
    assert_int_equal(residency(f, d), VIDMM_RESIDENCY_NOT_RESIDENT);
    assert_int_equal(residency(f, a), VIDMM_RESIDENCY_IN_GPU_MEMORY);
    for (i = 0; i < n - 1; i++) assert_int_equal(core_destroy(f->mm, f->device, fill[i]), STATUS_SUCCESS);
    assert_int_equal(core_destroy(f->mm, f->device, a), STATUS_SUCCESS);
    assert_int_equal(core_destroy(f->mm, f->device, b), STATUS_SUCCESS);
    assert_int_equal(core_destroy(f->mm, f->device, c), STATUS_SUCCESS);
    assert_int_equal(core_destroy(f->mm, f->device, d), STATUS_SUCCESS);
    assert_int_equal(core_destroy(f->mm, f->device, e), STATUS_SUCCESS);
    free(fill);
}

struct batch_probe
{
    struct fx *f;
    unsigned int calls, queries_ok;
};

/* Runs between two batches of a list call, on the calling thread: the GPU
 * lock must not be held here (the test build's lock checker aborts on a
 * second acquisition), so another thread's query would get through. */
static void probe(void *ctx)
{
    struct batch_probe *b = ctx;
    struct vidmm_query_video_memory_args q;

    memset(&q, 0, sizeof(q));
    q.adapter = b->f->adapter;
    b->calls++;
    if (!vidmm_query_video_memory(b->f->mm, &q)) b->queries_ok++;
}

/* MakeResident, Evict and Offer of the most handles a call takes drop the
 * GPU lock between batches; duplicates count as before. */
static void test_list_calls_in_batches(void **state)
{
    struct fx *f = *state;
    uint32_t *h = calloc(MANY, sizeof(*h)), i, distinct = MANY / 2;
    struct batch_probe b = { f, 0, 0 };

    assert_non_null(h);
    for (i = 0; i < distinct; i++) h[i] = create_ok(f, PAGE, NONLOCAL);
    for (i = distinct; i < MANY; i++) h[i] = h[i - distinct];   /* every one twice */

    f->mm->between_batches = probe;
    f->mm->between_batches_ctx = &b;
    assert_int_equal(list_call(f, vidmm_make_resident, f->queue, h, MANY, 0, 0), STATUS_SUCCESS);
    print_message("MakeResident of %u handles: %u batches\n", MANY, b.calls);
    assert_true(b.calls >= MANY / VIDMM_BATCH - 1);
    assert_int_equal(b.queries_ok, b.calls);

    /* Two references each: evicting the list twice is fine, a third time not. */
    b.calls = b.queries_ok = 0;
    assert_int_equal(list_call(f, vidmm_evict, f->device, h, MANY, 0, 0), STATUS_SUCCESS);
    assert_true(b.calls >= MANY / VIDMM_BATCH - 1);
    assert_int_equal(b.queries_ok, b.calls);
    assert_int_equal(list_call(f, vidmm_evict, f->device, h, distinct, 0, 0), STATUS_INVALID_PARAMETER);

    /* Offer refuses duplicates; the distinct half is offered in batches. */
    b.calls = b.queries_ok = 0;
    assert_int_equal(list_call(f, vidmm_offer, f->device, h, MANY, VIDMM_OFFER_IMMEDIATELY, 2),
                     STATUS_INVALID_PARAMETER);
    assert_int_equal(list_call(f, vidmm_offer, f->device, h, distinct, VIDMM_OFFER_IMMEDIATELY, 2), STATUS_SUCCESS);
    assert_true(b.calls >= distinct / VIDMM_BATCH - 1);
    assert_int_equal(b.queries_ok, b.calls);
    f->mm->between_batches = NULL;

    for (i = 0; i < distinct; i++) assert_int_equal(core_destroy(f->mm, f->device, h[i]), STATUS_SUCCESS);
    free(h);
}

static NTSTATUS destroy_list(struct fx *f, const uint32_t *handles, uint32_t count)
{
    struct vidmm_destroy_allocation_args args;

    memset(&args, 0, sizeof(args));
    args.device = f->device;
    args.handles = (uintptr_t)handles;
    args.count = count;
    return vidmm_destroy_allocation(f->mm, &args);
}

/* DestroyAllocation finds a repeated handle with a mark, not a quadratic
 * search; a refused list leaves no mark behind. */
static void test_destroy_list_repeats(void **state)
{
    struct fx *f = *state;
    uint32_t a = create_ok(f, PAGE, NONLOCAL), b = create_ok(f, PAGE, NONLOCAL);
    uint32_t aba[3] = { a, b, a }, bad[2] = { b, 0x7777 }, ab[2] = { a, b };

    assert_int_equal(destroy_list(f, aba, 3), STATUS_INVALID_PARAMETER);
    assert_int_equal(destroy_list(f, bad, 2), STATUS_INVALID_PARAMETER);
    assert_int_equal(destroy_list(f, ab, 2), STATUS_SUCCESS);
    assert_int_equal(destroy_list(f, ab, 1), STATUS_INVALID_PARAMETER);
}

int main(void)
{
    const struct CMUnitTest tests[] =
    {
        cmocka_unit_test_setup_teardown(test_metadata_per_allocation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_allocations_in_slab, setup, teardown),
        cmocka_unit_test_setup_teardown(test_full_segment_pick_is_constant, setup, teardown),
        cmocka_unit_test_setup_teardown(test_victim_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_victims_range_reads_zero, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_calls_in_batches, setup, teardown),
        cmocka_unit_test_setup_teardown(test_destroy_list_repeats, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
