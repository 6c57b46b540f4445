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
 * The Lock fast path (vidmm_fastlock.h, fastlock.c): which allocations get
 * it, that a fast lock and a Unix-side lock share one count, that nothing
 * the manager does to an allocation (evict, offer, destroy, a device error)
 * lets a fast lock see a stale address, and the same under threads racing
 * the pager and destroys (also built with -fsanitize=thread).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <unistd.h>
#include <stdatomic.h>
#include <cmocka.h>

#include "private/vidmm.h"
#include "private/vidmm_fastlock.h"
#include "private/vidmm_faults.h"
#include "wine-d3dkmt/d3dkmt_driver.h"
#include "native_memory.h"
#include "core_calls.h"

#define KB 1024ull
#define MB (1024ull * 1024ull)
#define LOCAL_SIZE (4 * MB)
#define LUID 0x0000000100000f1cull
#define LOCAL D3DKMT_WINE_SEGMENT_GROUP_LOCAL
#define NONLOCAL D3DKMT_WINE_SEGMENT_GROUP_NON_LOCAL
#define CV D3DKMT_WINE_ALLOC_FLAG_CPU_VISIBLE
#define SWIZZLED D3DKMT_WINE_ALLOC_FLAG_SWIZZLED
/* The churner's rounds: each moves the budget, every fourth replaces an allocation. */
#ifdef __SANITIZE_THREAD__
#define CHURN 400
#else
#define CHURN 4000
#endif

struct fx
{
    struct native_memory *nm;
    struct vidmm *mm;
    struct vidmm_fastlock_table *fast;
    uint32_t adapter, device;
};

static int fx_open(struct fx *f, const char *faults)
{
    struct vidmm_open_adapter_args open = {0};
    struct vidmm_create_device_args dev = {0};
    struct vidmm_memory_ops ops;

    if (!(f->nm = native_memory_create())) return -1;
    native_memory_ops(f->nm, &ops);
    if (vidmm_create(&ops, VIDMM_CREATE_TEST_CONTROL, &f->mm)) return -1;
    if (faults && vidmm_set_faults(f->mm, faults, NULL)) return -1;
    if (!(f->fast = core_enable_fastlock(f->mm))) return -1;
    open.luid = LUID;
    open.local_size = LOCAL_SIZE;
    open.nonlocal_size = 64 * MB;
    open.source_count = 1;
    if (vidmm_open_adapter(f->mm, &open)) return -1;
    f->adapter = open.handle;
    dev.adapter = f->adapter;
    if (vidmm_create_device(f->mm, &dev)) return -1;
    f->device = dev.handle;
    return 0;
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));

    *state = f;
    return f ? fx_open(f, NULL) : -1;
}

static int teardown(void **state)
{
    struct native_memory_counters c;
    struct fx *f = *state;

    vidmm_destroy(f->mm);
    native_memory_get_counters(f->nm, &c);
    native_memory_destroy(f->nm);
    core_free_fastlock(f->fast);
    free(f);
    return c.reservations || c.committed_bytes || c.errors ? -1 : 0;
}

static uint32_t create_ok(struct fx *f, uint64_t size, uint32_t group, uint32_t flags)
{
    uint32_t handle = 0;

    assert_int_equal(core_create(f->mm, f->device, size, group, flags, &handle), STATUS_SUCCESS);
    return handle;
}

/* A lock through the Unix side only, as the PE side does when the fast path declines. */
static uint8_t *slow_lock(struct fx *f, uint32_t handle)
{
    struct vidmm_lock_args args = {0};

    args.device = f->device;
    args.allocation = handle;
    assert_int_equal(vidmm_lock(f->mm, &args), STATUS_SUCCESS);
    return (uint8_t *)(uintptr_t)args.data;
}

static NTSTATUS slow_unlock(struct fx *f, uint32_t handle)
{
    struct vidmm_unlock_args args = {0};

    args.device = f->device;
    args.handles = (uintptr_t)&handle;
    args.count = 1;
    return vidmm_unlock(f->mm, &args);
}

static int fast_lock(struct fx *f, uint32_t handle, uint8_t **ptr)
{
    uint64_t address = 0;
    int ok = vidmm_fastlock_lock(f->fast, f->device, handle, &address);

    *ptr = (uint8_t *)(uintptr_t)address;
    return ok;
}

static int fast_unlock(struct fx *f, uint32_t handle)
{
    return vidmm_fastlock_unlock(f->fast, f->device, handle);
}

static uint64_t slot_word(struct fx *f, uint32_t handle)
{
    return __atomic_load_n(&vidmm_fastlock_slot_of(f->fast, handle)->word, __ATOMIC_ACQUIRE);
}

static NTSTATUS set_budget(struct fx *f, uint64_t bytes)
{
    return core_escape(f->mm, f->adapter, D3DKMT_WINE_ESCAPE_SET_LOCAL_BUDGET, bytes, NULL);
}

static void wait_idle(struct fx *f)
{
    assert_int_equal(core_escape(f->mm, f->adapter, D3DKMT_WINE_ESCAPE_WAIT_IDLE, 0, NULL), STATUS_SUCCESS);
}

/* The first lock clears the content on the Unix side; then the slot is armed
 * and fast and Unix-side locks count together, nested, on one address. */
static void test_armed_after_first_lock(void **state)
{
    struct fx *f = *state;
    uint32_t a = create_ok(f, 64 * KB, LOCAL, CV), b = create_ok(f, 64 * KB, NONLOCAL, 0), h;
    uint8_t *p, *q;

    for (h = a; h; h = h == a ? b : 0)
    {
        assert_false(fast_lock(f, h, &q));       /* never locked: its memory is not cleared yet */
        p = slow_lock(f, h);
        assert_non_null(p);
        assert_true(slot_word(f, h) & VIDMM_FASTLOCK_FAST);
        assert_true(fast_lock(f, h, &q));
        assert_ptr_equal(p, q);
        assert_true(fast_lock(f, h, &q));
        assert_int_equal(slot_word(f, h) & VIDMM_FASTLOCK_COUNT_MASK, 3);
        /* Unix-side unlocks see the fast locks' count: three, not one. */
        assert_int_equal(slow_unlock(f, h), STATUS_SUCCESS);
        assert_true(fast_unlock(f, h));           /* re-armed by the unlock */
        assert_int_equal(slow_unlock(f, h), STATUS_SUCCESS);
        /* Locked and unlocked fast from 0: the same address again. */
        assert_true(fast_lock(f, h, &q));
        assert_ptr_equal(p, q);
        assert_true(fast_unlock(f, h));
        assert_false(fast_unlock(f, h));          /* count 0: the Unix side answers */
        assert_int_equal(slow_unlock(f, h), STATUS_INVALID_PARAMETER);
    }
    assert_int_equal(core_destroy(f->mm, f->device, a), STATUS_SUCCESS);
    assert_int_equal(core_destroy(f->mm, f->device, b), STATUS_SUCCESS);
}

/* A small non-local allocation on fresh pages is armed when it is made: its
 * first Lock has nothing to clear, so it needs no Unix call either.  One on
 * pages a destroyed allocation left, a large one, or one in video memory
 * waits for its first Lock, which clears what it must. */
static void test_fresh_armed_at_create(void **state)
{
    struct fx *f = *state;
    /* keep: its arena does not empty (an empty one starts over fresh). */
    uint32_t keep = create_ok(f, 4 * KB, NONLOCAL, 0), a = create_ok(f, 4 * KB, NONLOCAL, 0), b;
    uint32_t big = create_ok(f, 64 * KB, NONLOCAL, 0);
    uint32_t local = create_ok(f, 4 * KB, LOCAL, CV), i;
    uint8_t *p, *q;

    assert_true(slot_word(f, a) & VIDMM_FASTLOCK_FAST);
    assert_true(fast_lock(f, a, &p));
    for (i = 0; i < 4 * KB; i++) assert_int_equal(p[i], 0);
    memset(p, 0xa5, 4 * KB);
    assert_true(fast_unlock(f, a));
    /* The Unix side sees the content as written: it is counted from now on. */
    assert_ptr_equal(slow_lock(f, a), p);
    assert_int_equal(p[100], 0xa5);
    assert_int_equal(slow_unlock(f, a), STATUS_SUCCESS);
    assert_int_equal(core_destroy(f->mm, f->device, a), STATUS_SUCCESS);

    /* The same page again, dirty: cleared by the first Lock, on the Unix side. */
    b = create_ok(f, 4 * KB, NONLOCAL, 0);
    assert_false(slot_word(f, b) & VIDMM_FASTLOCK_FAST);
    assert_false(fast_lock(f, b, &q));
    q = slow_lock(f, b);
    assert_ptr_equal(q, p);
    for (i = 0; i < 4 * KB; i++) assert_int_equal(q[i], 0);
    assert_int_equal(slow_unlock(f, b), STATUS_SUCCESS);
    assert_true(slot_word(f, b) & VIDMM_FASTLOCK_FAST);

    assert_false(slot_word(f, big) & VIDMM_FASTLOCK_FAST);
    assert_false(slot_word(f, local) & VIDMM_FASTLOCK_FAST);
    assert_int_equal(core_destroy(f->mm, f->device, b), STATUS_SUCCESS);
    assert_int_equal(core_destroy(f->mm, f->device, keep), STATUS_SUCCESS);
    assert_int_equal(core_destroy(f->mm, f->device, big), STATUS_SUCCESS);
    assert_int_equal(core_destroy(f->mm, f->device, local), STATUS_SUCCESS);
}

/* Bad handles and other devices never pass: the Unix side answers them. */
static void test_foreign_handles(void **state)
{
    struct fx *f = *state;
    struct vidmm_create_device_args dev = {0};
    uint32_t a = create_ok(f, 64 * KB, LOCAL, CV), twin;
    uint64_t address;
    uint8_t *p;

    slow_lock(f, a);
    assert_int_equal(slow_unlock(f, a), STATUS_SUCCESS);
    dev.adapter = f->adapter;
    assert_int_equal(vidmm_create_device(f->mm, &dev), STATUS_SUCCESS);
    assert_false(vidmm_fastlock_lock(f->fast, dev.handle, a, &address));
    assert_int_equal(core_lock(f->mm, dev.handle, a, 0, &p), STATUS_INVALID_PARAMETER);
    assert_false(vidmm_fastlock_lock(f->fast, 0, a, &address));
    /* The same slot, another payload; a global-tag value; junk low bits. */
    twin = a + (VIDMM_FASTLOCK_SLOTS << 6);
    assert_ptr_equal(vidmm_fastlock_slot_of(f->fast, twin), vidmm_fastlock_slot_of(f->fast, a));
    assert_false(fast_lock(f, twin, &p));
    assert_false(fast_lock(f, a | 2, &p));
    assert_false(fast_lock(f, a | 1, &p));
    assert_false(fast_lock(f, a & 0x3fffffffu, &p));
    assert_false(fast_unlock(f, twin));
    assert_false(fast_unlock(f, a | 2));
    assert_false(vidmm_fastlock_unlock(f->fast, dev.handle, a));
    /* The device as the slot keeps it (its payload): only the very handle. */
    assert_false(vidmm_fastlock_lock(f->fast, f->device | 1, a, &address));
    assert_false(vidmm_fastlock_lock(f->fast, f->device | 0x20, a, &address));
    assert_false(vidmm_fastlock_lock(f->fast, f->device & 0x3fffffffu, a, &address));
    assert_false(vidmm_fastlock_lock(f->fast, f->device ^ 0x40000000u, a, &address));
    assert_false(vidmm_fastlock_unlock(f->fast, f->device | 1, a));
    assert_int_equal(slot_word(f, a) & VIDMM_FASTLOCK_COUNT_MASK, 0);   /* nothing counted */
    assert_false(vidmm_fastlock_lock(NULL, f->device, a, &address));
    assert_int_equal(core_destroy(f->mm, f->device, a), STATUS_SUCCESS);
}

/* A slot's word gives back the page, the count and the owner it was armed
 * with, for that handle only; what it cannot hold is never armed. */
static void test_slot_word(void **state)
{
    static const uint64_t addresses[] = { 0x1000, 0x10000, 0x7ffffffff000ull, 0xffffffff000ull };
    static const uint32_t handles[] = { 0xc0000040u, 0xc0000000u + (VIDMM_FASTLOCK_SLOTS << 6), 0xffffffc0u,
                                        0xc1234540u };
    static const uint32_t indices[] = { 1, 64, VIDMM_FASTLOCK_DEVICES - 1 };
    static const uint32_t counts[] = { 0, 5, VIDMM_FASTLOCK_MAX_COUNT };
    struct vidmm_fastlock_table *table = calloc(1, sizeof(*table));
    unsigned int i, j, k;

    (void)state;
    assert_non_null(table);
    for (i = 0; i < sizeof(addresses) / sizeof(addresses[0]); i++)
        for (j = 0; j < sizeof(handles) / sizeof(handles[0]); j++)
            for (k = 0; k < 3; k++)
            {
                uint64_t w = vidmm_fastlock_word(handles[j], addresses[i], indices[k], counts[k]);
                /* The same slot (the payload's low bits), another handle. */
                uint32_t twin = handles[j] ^ (1u << (VIDMM_FASTLOCK_SLOT_BITS + 6));

                assert_true(vidmm_fastlock_address_ok(addresses[i]));
                assert_int_equal(vidmm_fastlock_address(w), addresses[i]);
                assert_int_equal(w & VIDMM_FASTLOCK_COUNT_MASK, counts[k]);
                assert_true(vidmm_fastlock_armed(w, handles[j]));
                assert_true(vidmm_fastlock_armed(w | VIDMM_FASTLOCK_USED, handles[j]));
                assert_ptr_equal(vidmm_fastlock_slot_of(table, twin), vidmm_fastlock_slot_of(table, handles[j]));
                assert_false(vidmm_fastlock_armed(w, twin));
                assert_false(vidmm_fastlock_armed(w, handles[j] | 1));
                assert_false(vidmm_fastlock_armed(w, handles[j] & 0x3fffffffu));
                assert_false(vidmm_fastlock_armed(w & ~VIDMM_FASTLOCK_FAST, handles[j]));
                assert_false(vidmm_fastlock_armed(vidmm_fastlock_owner(handles[j]), handles[j]));
                /* The device at the word's index, and only it. */
                memset(table->devices, 0, sizeof(table->devices));
                assert_false(vidmm_fastlock_device_ok(table, w, 0xc0000080u));
                table->devices[indices[k]] = 0xc0000080u;
                assert_true(vidmm_fastlock_device_ok(table, w, 0xc0000080u));
                assert_false(vidmm_fastlock_device_ok(table, w, 0xc00000c0u));
                assert_false(vidmm_fastlock_device_ok(table, w, 0xc0000081u));
                assert_false(vidmm_fastlock_device_ok(table, w, 0));
            }
    /* Index 0 names no device, whatever the list holds there. */
    table->devices[0] = 0xc0000080u;
    assert_false(vidmm_fastlock_device_ok(table, vidmm_fastlock_word(0xc0000040u, 0x1000, 0, 0), 0xc0000080u));
    assert_false(vidmm_fastlock_address_ok(0x10800));                       /* not a page */
    assert_false(vidmm_fastlock_address_ok(1ull << 47));                    /* too high */
    assert_true(vidmm_fastlock_address_ok((1ull << 47) - 0x1000));
    assert_int_equal(sizeof(struct vidmm_fastlock_slot), 8);
    free(table);
}

/* Devices take indices of the table's device list at creation and give
 * them back at destruction; one made when all are taken still locks, on the
 * Unix side. */
static void test_device_indices(void **state)
{
    struct fx *f = *state;
    struct vidmm_create_device_args dev;
    struct vidmm_destroy_device_args destroy;
    uint32_t devices[VIDMM_FASTLOCK_DEVICES + 1], allocs[VIDMM_FASTLOCK_DEVICES + 1], saved = f->device;
    unsigned int i, fast = 0;
    uint8_t *p, *q;

    /* The fixture's device has index 1; 126 more are free. */
    for (i = 0; i <= VIDMM_FASTLOCK_DEVICES; i++)
    {
        memset(&dev, 0, sizeof(dev));
        dev.adapter = f->adapter;
        assert_int_equal(vidmm_create_device(f->mm, &dev), STATUS_SUCCESS);
        f->device = devices[i] = dev.handle;
        allocs[i] = create_ok(f, 4 * KB, NONLOCAL, CV);
        p = slow_lock(f, allocs[i]);
        assert_int_equal(slow_unlock(f, allocs[i]), STATUS_SUCCESS);
        if (fast_lock(f, allocs[i], &q))
        {
            fast++;
            assert_ptr_equal(q, p);
            assert_true(fast_unlock(f, allocs[i]));
        }
        else
        {
            /* No index: the slot is not armed, the Unix side answers. */
            assert_false(slot_word(f, allocs[i]) & VIDMM_FASTLOCK_FAST);
            assert_ptr_equal(slow_lock(f, allocs[i]), p);
            assert_int_equal(slow_unlock(f, allocs[i]), STATUS_SUCCESS);
        }
    }
    assert_int_equal(fast, VIDMM_FASTLOCK_DEVICES - 2);
    /* One gone: the next device takes its index. */
    memset(&destroy, 0, sizeof(destroy));
    destroy.handle = devices[3];
    assert_int_equal(vidmm_destroy_device(f->mm, &destroy), STATUS_SUCCESS);
    memset(&dev, 0, sizeof(dev));
    dev.adapter = f->adapter;
    assert_int_equal(vidmm_create_device(f->mm, &dev), STATUS_SUCCESS);
    f->device = devices[3] = dev.handle;
    allocs[3] = create_ok(f, 4 * KB, NONLOCAL, CV);
    slow_lock(f, allocs[3]);
    assert_int_equal(slow_unlock(f, allocs[3]), STATUS_SUCCESS);
    assert_true(fast_lock(f, allocs[3], &q));
    assert_true(fast_unlock(f, allocs[3]));
    for (i = 0; i <= VIDMM_FASTLOCK_DEVICES; i++)
    {
        destroy.handle = devices[i];
        assert_int_equal(vidmm_destroy_device(f->mm, &destroy), STATUS_SUCCESS);
    }
    /* Every index back: the list holds the fixture's device alone. */
    for (i = 0, fast = 0; i < VIDMM_FASTLOCK_DEVICES; i++) fast += f->fast->devices[i] != 0;
    assert_int_equal(fast, 1);
    f->device = saved;
}

/* A destroyed allocation's slot is free at once, even while locked. */
static void test_destroy_frees_slot(void **state)
{
    struct fx *f = *state;
    uint32_t a = create_ok(f, 64 * KB, LOCAL, CV), b;
    uint8_t *p;

    slow_lock(f, a);
    assert_true(fast_lock(f, a, &p));
    assert_int_equal(core_destroy(f->mm, f->device, a), STATUS_SUCCESS);
    assert_int_equal(slot_word(f, a), 0);
    assert_false(fast_lock(f, a, &p));
    assert_false(fast_unlock(f, a));
    assert_int_equal(core_lock(f->mm, f->device, a, 0, &p), STATUS_INVALID_PARAMETER);
    /* The next allocation gets a slot of its own. */
    b = create_ok(f, 64 * KB, LOCAL, CV);
    slow_lock(f, b);
    assert_true(fast_lock(f, b, &p));
    assert_true(fast_unlock(f, b));
    assert_true(fast_unlock(f, b));
    assert_int_equal(core_destroy(f->mm, f->device, b), STATUS_SUCCESS);
}

/* Allocations made 65536 apart (a live count a D3D12 title reaches) each
 * keep a slot: none falls back to the Unix side because another shares it. */
static void test_many_live_have_slots(void **state)
{
    struct fx *f = *state;
    uint32_t a = create_ok(f, 4 * KB, NONLOCAL, CV), b, other, i, gap = 1u << 16;
    uint8_t *pa, *pb;

    for (i = 1; i < gap; i++)
    {
        other = create_ok(f, 4 * KB, NONLOCAL, CV);
        assert_int_equal(core_destroy(f->mm, f->device, other), STATUS_SUCCESS);
    }
    b = create_ok(f, 4 * KB, NONLOCAL, CV);
    assert_int_equal(vidmm_fastlock_payload(b) - vidmm_fastlock_payload(a), gap);
    slow_lock(f, a);
    slow_lock(f, b);
    assert_true(fast_lock(f, a, &pa));
    assert_true(fast_lock(f, b, &pb));
    assert_ptr_not_equal(pa, pb);
    /* Made one after the other: slots in different cache lines. */
    other = create_ok(f, 4 * KB, NONLOCAL, CV);
    assert_true((uintptr_t)vidmm_fastlock_slot_of(f->fast, other) / 64
                != (uintptr_t)vidmm_fastlock_slot_of(f->fast, b) / 64);
    for (i = 0; i < 2; i++)
    {
        assert_true(fast_unlock(f, a));
        assert_true(fast_unlock(f, b));
    }
    assert_int_equal(core_destroy(f->mm, f->device, other), STATUS_SUCCESS);
    assert_int_equal(core_destroy(f->mm, f->device, a), STATUS_SUCCESS);
    assert_int_equal(core_destroy(f->mm, f->device, b), STATUS_SUCCESS);
}

/* A fast-locked allocation is never moved: eviction parks it and takes it
 * once unlocked; the content is the same before and after. */
static void test_evict_spares_fast_locked(void **state)
{
    struct fx *f = *state;
    uint32_t a = create_ok(f, 1 * MB, LOCAL, CV), i;
    uint8_t *p, *q;

    p = slow_lock(f, a);
    assert_int_equal(slow_unlock(f, a), STATUS_SUCCESS);
    assert_true(fast_lock(f, a, &q));
    assert_ptr_equal(p, q);
    for (i = 0; i < MB; i += 4096) q[i] = (uint8_t)(i >> 12) + 1;
    assert_int_equal(set_budget(f, 512 * KB), STATUS_SUCCESS);   /* a must go, but is locked */
    wait_idle(f);
    assert_false(slot_word(f, a) & VIDMM_FASTLOCK_FAST);   /* parked: the Unix side unlocks it */
    assert_true(fast_lock(f, a, &q) == 0);
    assert_int_equal(core_lock(f->mm, f->device, a, 0, &q), STATUS_SUCCESS);
    assert_ptr_equal(p, q);                                  /* still where it was */
    for (i = 0; i < MB; i += 4096) assert_int_equal(q[i], (uint8_t)((i >> 12) + 1));
    assert_int_equal(core_unlock(f->mm, f->device, a), STATUS_SUCCESS);
    assert_int_equal(core_unlock(f->mm, f->device, a), STATUS_SUCCESS);
    assert_int_equal(set_budget(f, 512 * KB), STATUS_SUCCESS);   /* trims again: it is free to go */
    wait_idle(f);
    /* Evicted now: the next lock finds it in system memory, content kept. */
    assert_int_equal(core_lock(f->mm, f->device, a, 0, &q), STATUS_SUCCESS);
    assert_ptr_not_equal(p, q);
    for (i = 0; i < MB; i += 4096) assert_int_equal(q[i], (uint8_t)((i >> 12) + 1));
    assert_true(slot_word(f, a) & VIDMM_FASTLOCK_FAST);   /* armed again where it is now */
    assert_int_equal(core_unlock(f->mm, f->device, a), STATUS_SUCCESS);
    assert_int_equal(set_budget(f, 0), STATUS_SUCCESS);
    assert_int_equal(core_destroy(f->mm, f->device, a), STATUS_SUCCESS);
}

/* What needs the manager at every lock never gets armed. */
static void test_not_armed(void **state)
{
    struct fx *f = *state;
    uint32_t swz = create_ok(f, 64 * KB, LOCAL, SWIZZLED), hidden = create_ok(f, 64 * KB, LOCAL, 0);
    uint32_t offered = create_ok(f, 64 * KB, LOCAL, CV);
    uint8_t *p;

    /* Swizzled in video memory: an aperture per lock (or none left). */
    assert_int_equal(core_escape(f->mm, f->adapter, D3DKMT_WINE_ESCAPE_SET_APERTURES, 4, NULL), STATUS_SUCCESS);
    slow_lock(f, swz);
    assert_false(slot_word(f, swz) & VIDMM_FASTLOCK_FAST);
    assert_int_equal(slow_unlock(f, swz), STATUS_SUCCESS);
    assert_false(slot_word(f, swz) & VIDMM_FASTLOCK_FAST);
    /* Not CPU-visible in video memory: the lock evicted it, and it stays
     * armed only where it now is, in system memory. */
    p = slow_lock(f, hidden);
    assert_int_equal(slow_unlock(f, hidden), STATUS_SUCCESS);
    assert_true(slot_word(f, hidden) & VIDMM_FASTLOCK_FAST);
    assert_true(fast_lock(f, hidden, &p));
    assert_true(fast_unlock(f, hidden));
    /* Offered: locks fail until reclaimed. */
    slow_lock(f, offered);
    assert_int_equal(slow_unlock(f, offered), STATUS_SUCCESS);
    assert_int_equal(core_list_call(f->mm, vidmm_offer, f->device, offered, 0, 2, NULL), STATUS_SUCCESS);
    assert_false(fast_lock(f, offered, &p));
    assert_int_equal(core_lock(f->mm, f->device, offered, 0, &p), STATUS_INVALID_PARAMETER);
    assert_int_equal(core_destroy(f->mm, f->device, swz), STATUS_SUCCESS);
    assert_int_equal(core_destroy(f->mm, f->device, hidden), STATUS_SUCCESS);
    assert_int_equal(core_destroy(f->mm, f->device, offered), STATUS_SUCCESS);
}

/* A device in error, or a removed adapter: every Lock must fail. */
static void test_device_error_disables(void **state)
{
    struct fx *f = *state;
    uint32_t a = create_ok(f, 64 * KB, LOCAL, CV);
    uint8_t *p;

    slow_lock(f, a);
    assert_true(fast_lock(f, a, &p));
    assert_int_equal(vidmm_mark_device_error(f->mm, f->device, 0x80000000u), STATUS_SUCCESS);
    assert_false(fast_lock(f, a, &p));
    assert_false(fast_unlock(f, a));
    assert_int_equal(core_lock(f->mm, f->device, a, 0, &p), STATUS_DEVICE_REMOVED);
    /* Unlock still works on a device in error, and counts the fast lock. */
    assert_int_equal(core_unlock(f->mm, f->device, a), STATUS_SUCCESS);
    assert_int_equal(core_unlock(f->mm, f->device, a), STATUS_SUCCESS);
    assert_int_equal(core_unlock(f->mm, f->device, a), STATUS_INVALID_PARAMETER);
}

/* Fault injection sees every Lock: nothing is armed. */
static void test_faults_see_every_lock(void **state)
{
    struct fx *g = calloc(1, sizeof(*g));
    uint32_t a;
    uint8_t *p;
    int i, busy = 0;

    assert_non_null(g);
    assert_int_equal(fx_open(g, "lock-busy=0.5,seed=7"), 0);
    a = create_ok(g, 64 * KB, LOCAL, CV);
    for (i = 0; i < 200; i++)
    {
        NTSTATUS status = core_lock(g->mm, g->device, a, VIDMM_LOCK_DONOT_WAIT, &p);

        assert_false(slot_word(g, a) & VIDMM_FASTLOCK_FAST);
        if (status == STATUS_GRAPHICS_ALLOCATION_BUSY) busy++;
        else
        {
            assert_int_equal(status, STATUS_SUCCESS);
            assert_int_equal(core_unlock(g->mm, g->device, a), STATUS_SUCCESS);
        }
    }
    assert_true(busy > 50 && busy < 150);
    assert_int_equal(teardown((void **)&g), 0);
}

/* ---- threads: fast and Unix-side locks racing eviction and destroys ---- */

#define THREADS 2
#define ALLOCS 8

struct race
{
    struct fx *f;
    _Atomic uint32_t handles[ALLOCS];
    atomic_int users[ALLOCS];           /* lockers using it; -1 while the churner replaces it */
    atomic_int stop;
    atomic_int errors;
    atomic_int fast, slow;              /* locks each path took */
    uint32_t queue;                     /* the churner's paging queue */
};

/* Each locker owns the first word of every allocation's page `id`: it writes
 * a value while locked and must read it back before unlocking, however the
 * pager moves the allocation between locks. */
static void *locker(void *arg)
{
    struct race *r = ((void **)arg)[0];
    int id = (int)(intptr_t)((void **)arg)[1];
    uint32_t seed = 12345 + id, seen[ALLOCS] = {0}, value[ALLOCS] = {0};

    while (!atomic_load_explicit(&r->stop, memory_order_relaxed))
    {
        uint32_t k = (seed = seed * 1103515245 + 12345) >> 16 & (ALLOCS - 1), h, v;
        int users = atomic_load(&r->users[k]);
        volatile uint32_t *word;
        uint64_t address;
        uint8_t *p;

        /* Never destroyed while this thread uses it: a use after destroy is
         * the program's bug, and test_destroy_frees_slot covers the slot. */
        if (users < 0 || !atomic_compare_exchange_strong(&r->users[k], &users, users + 1)) continue;
        h = atomic_load(&r->handles[k]);
        if (h && vidmm_fastlock_lock(r->f->fast, r->f->device, h, &address))
        {
            p = (uint8_t *)(uintptr_t)address;
            atomic_fetch_add(&r->fast, 1);
        }
        else if (h && !core_lock(r->f->mm, r->f->device, h, 0, &p)) atomic_fetch_add(&r->slow, 1);
        else
        {
            atomic_fetch_sub(&r->users[k], 1);   /* being created anew */
            continue;
        }
        word = (volatile uint32_t *)(p + id * 4096);
        v = *word;
        /* What this thread wrote last into the same allocation, wherever the
         * pager took it since; a new allocation reads zero. */
        if (v != (seen[k] == h ? value[k] : 0)) atomic_fetch_add(&r->errors, 1);
        *word = v + 1;
        seen[k] = h;
        value[k] = v + 1;
        if (*word != v + 1) atomic_fetch_add(&r->errors, 1);
        if (core_unlock(r->f->mm, r->f->device, h)) atomic_fetch_add(&r->errors, 1);
        atomic_fetch_sub(&r->users[k], 1);
    }
    return NULL;
}

/* MakeResident and Evict in turn, under a budget of two of the eight: every
 * MakeResident evicts others.  Every eighth round replaces an idle one. */
static void *churner(void *arg)
{
    struct race *r = arg;
    uint32_t i;

    for (i = 0; i < CHURN; i++)
    {
        uint32_t slot = (i / 2) % ALLOCS, h = atomic_load(&r->handles[slot]), old;
        int idle = 0;

        if (!(i & 1)) core_list_call(r->f->mm, vidmm_make_resident, r->queue, h, 0, 0, NULL);
        else core_list_call(r->f->mm, vidmm_evict, r->f->device, h, 0, 0, NULL);
        slot = (slot + ALLOCS / 2) % ALLOCS;
        if (i % 8 != 7 || !atomic_compare_exchange_strong(&r->users[slot], &idle, -1)) continue;
        h = 0;
        if ((old = atomic_exchange(&r->handles[slot], 0))) core_destroy(r->f->mm, r->f->device, old);
        if (!core_create(r->f->mm, r->f->device, 256 * KB, LOCAL, CV, &h)) atomic_store(&r->handles[slot], h);
        atomic_store(&r->users[slot], 0);
    }
    /* The lockers go on until each path ran at least once (with no more
     * churn the fast path soon does), or 20 s: on a loaded machine the rounds
     * above can end before the lockers had much of a turn. */
    for (i = 0; i < 20000 && (!atomic_load(&r->fast) || !atomic_load(&r->slow)); i++) usleep(1000);
    atomic_store(&r->stop, 1);
    return NULL;
}

static void test_race(void **state)
{
    struct fx *f = *state;
    pthread_t threads[THREADS], churn;
    void *args[THREADS][2];
    struct vidmm_paging_queue_args queue = {0};
    D3DKMT_WINE_ESCAPE esc;
    uint64_t fence;
    struct race r;
    int i;

    memset(&r, 0, sizeof(r));
    r.f = f;
    assert_int_equal(core_escape(f->mm, f->adapter, D3DKMT_WINE_ESCAPE_QUERY_STATS, 0, &esc), STATUS_SUCCESS);
    fence = esc.FenceSubmitted;
    queue.device = f->device;
    assert_int_equal(vidmm_create_paging_queue(f->mm, &queue), STATUS_SUCCESS);
    r.queue = queue.handle;
    assert_int_equal(set_budget(f, 512 * KB), STATUS_SUCCESS);
    for (i = 0; i < ALLOCS; i++) atomic_store(&r.handles[i], create_ok(f, 256 * KB, LOCAL, CV));
    for (i = 0; i < THREADS; i++)
    {
        args[i][0] = &r;
        args[i][1] = (void *)(intptr_t)i;
        assert_int_equal(pthread_create(&threads[i], NULL, locker, args[i]), 0);
    }
    assert_int_equal(pthread_create(&churn, NULL, churner, &r), 0);
    pthread_join(churn, NULL);
    for (i = 0; i < THREADS; i++) pthread_join(threads[i], NULL);
    assert_int_equal(core_escape(f->mm, f->adapter, D3DKMT_WINE_ESCAPE_QUERY_STATS, 0, &esc), STATUS_SUCCESS);
    assert_int_equal(atomic_load(&r.errors), 0);
    /* Both paths ran, and the pager moved allocations meanwhile. */
    assert_true(atomic_load(&r.fast) > 0);
    assert_true(atomic_load(&r.slow) > 0);
    assert_true(esc.FenceSubmitted > fence);
    set_budget(f, 0);
    for (i = 0; i < ALLOCS; i++)
        if (atomic_load(&r.handles[i])) core_destroy(f->mm, f->device, atomic_load(&r.handles[i]));
}

int main(void)
{
    const struct CMUnitTest tests[] =
    {
        cmocka_unit_test_setup_teardown(test_armed_after_first_lock, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fresh_armed_at_create, setup, teardown),
        cmocka_unit_test_setup_teardown(test_foreign_handles, setup, teardown),
        cmocka_unit_test(test_slot_word),
        cmocka_unit_test_setup_teardown(test_device_indices, setup, teardown),
        cmocka_unit_test_setup_teardown(test_destroy_frees_slot, setup, teardown),
        cmocka_unit_test_setup_teardown(test_many_live_have_slots, setup, teardown),
        cmocka_unit_test_setup_teardown(test_evict_spares_fast_locked, setup, teardown),
        cmocka_unit_test_setup_teardown(test_not_armed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_device_error_disables, setup, teardown),
        cmocka_unit_test(test_faults_see_every_lock),
        cmocka_unit_test_setup_teardown(test_race, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
