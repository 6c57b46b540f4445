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
 * Object lifetime under concurrent destroy (issue 8, items 1-3 and 9):
 * calls that resolved an allocation before another thread destroyed it must
 * neither touch its freed memory nor leave it on a GPU list, and a backing
 * store that lost its pages must never be handed out.
 *
 * The deterministic tests hold a reference the way a racing call does
 * between its handle lookup and the GPU lock, destroy the allocation, then
 * run what that call does next (internal functions, vidmm_private.h).  The
 * racing loops do the same through the public calls from two threads.  A
 * watchdog turns a hang (a lock left held) into a failure.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <time.h>
#include <cmocka.h>

#include "vidmm_private.h"
#include "native_memory.h"
#include "core_calls.h"

#define KB 1024ull
#define LOCAL_SIZE (256 * KB)
#define LUID 0x0000000100000777ull
#define CV D3DKMT_WINE_ALLOC_FLAG_CPU_VISIBLE
#define SWIZZLED D3DKMT_WINE_ALLOC_FLAG_SWIZZLED
#define RACE_ROUNDS 20000
#define WATCHDOG_SECONDS 120

struct fx
{
    struct native_memory *nm;
    struct vidmm *mm;
    uint32_t adapter, device, queue;
};

/* ---- watchdog: a hang is a failure, not a stuck make check ---- */

static pthread_mutex_t watchdog_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t watchdog_cond = PTHREAD_COND_INITIALIZER;
static int watchdog_done;
static const char *watchdog_test;

static void *watchdog_thread(void *arg)
{
    struct timespec deadline;
    int done;

    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += WATCHDOG_SECONDS;
    pthread_mutex_lock(&watchdog_lock);
    while (!watchdog_done && pthread_cond_timedwait(&watchdog_cond, &watchdog_lock, &deadline) == 0) {}
    done = watchdog_done;
    pthread_mutex_unlock(&watchdog_lock);
    if (!done)
    {
        fprintf(stderr, "watchdog: %s still running after %d s: a lock was left held (hang)\n",
                watchdog_test, WATCHDOG_SECONDS);
        abort();
    }
    return arg;
}

static pthread_t watchdog_start(const char *name)
{
    pthread_t thread;

    watchdog_done = 0;
    watchdog_test = name;
    assert_int_equal(pthread_create(&thread, NULL, watchdog_thread, NULL), 0);
    return thread;
}

static void watchdog_stop(pthread_t thread)
{
    pthread_mutex_lock(&watchdog_lock);
    watchdog_done = 1;
    pthread_cond_signal(&watchdog_cond);
    pthread_mutex_unlock(&watchdog_lock);
    pthread_join(thread, NULL);
}

/* ---- fixture ---- */

static uint32_t make_device(struct fx *f)
{
    struct vidmm_create_device_args dev = {0};

    dev.adapter = f->adapter;
    assert_int_equal(vidmm_create_device(f->mm, &dev), STATUS_SUCCESS);
    return dev.handle;
}

static uint32_t make_queue(struct fx *f, uint32_t device)
{
    struct vidmm_paging_queue_args args = {0};

    args.device = device;
    assert_int_equal(vidmm_create_paging_queue(f->mm, &args), STATUS_SUCCESS);
    return args.handle;
}

static void open_adapter(struct fx *f)
{
    struct vidmm_open_adapter_args open = {0};

    open.luid = LUID;
    open.local_size = LOCAL_SIZE;
    open.nonlocal_size = 16 * LOCAL_SIZE;
    open.source_count = 1;
    assert_int_equal(vidmm_open_adapter(f->mm, &open), STATUS_SUCCESS);
    f->adapter = open.handle;
}

static int setup(void **state)
{
    struct vidmm_memory_ops ops;
    struct fx *f = calloc(1, sizeof(*f));

    if (!f || !(f->nm = native_memory_create())) return -1;
    native_memory_ops(f->nm, &ops);
    if (vidmm_create(&ops, VIDMM_CREATE_TEST_CONTROL, &f->mm)) return -1;
    open_adapter(f);
    f->device = make_device(f);
    f->queue = make_queue(f, f->device);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct native_memory_counters c;
    struct fx *f = *state;
    int ret = 0;

    native_memory_fail_commit_after(f->nm, -1, 0);
    vidmm_destroy(f->mm);
    native_memory_get_counters(f->nm, &c);
    if (c.reservations || c.committed_bytes || c.errors)
    {
        print_error("leak: %ld reservations, %llu committed bytes, %lu errors\n", c.reservations,
                    (unsigned long long)c.committed_bytes, c.errors);
        ret = -1;
    }
    native_memory_destroy(f->nm);
    free(f);
    return ret;
}


static uint32_t create_ok(struct fx *f, uint64_t size, uint32_t group, uint32_t flags)
{
    uint32_t handle = 0;

    assert_int_equal(core_create(f->mm, f->device, size, group, flags, &handle), STATUS_SUCCESS);
    return handle;
}






static D3DKMT_WINE_ESCAPE escape(struct fx *f, uint32_t command, uint64_t value)
{
    D3DKMT_WINE_ESCAPE esc;

    assert_int_equal(core_escape(f->mm, f->adapter, command, value, &esc), STATUS_SUCCESS);
    return esc;
}

/* Usage and budget claim are back at zero once nothing is left. */
static void assert_idle_and_empty(struct fx *f)
{
    struct vidmm_adapter *adapter = vidmm_get(f->mm, f->adapter, VIDMM_OBJECT_ADAPTER);
    D3DKMT_WINE_ESCAPE esc;

    esc = escape(f, D3DKMT_WINE_ESCAPE_WAIT_IDLE, 0);
    assert_int_equal(esc.Allocations, 0);
    assert_int_equal(esc.LocalUsage, 0);
    assert_int_equal(esc.NonLocalUsage, 0);
    assert_int_equal(esc.BackingBytes, 0);
    assert_int_equal(esc.PagingQueued, 0);
    assert_int_equal(esc.AperturesUsed, 0);
    assert_non_null(adapter);
    vidmm_mutex_lock(&adapter->gpu->lock);
    assert_int_equal(adapter->gpu->residency_claim, 0);
    assert_int_equal(adapter->gpu->local_pinned, 0);
    assert_true(lru_empty(&adapter->gpu->local.lru));
    assert_true(ilist_empty(&adapter->gpu->jobs));
    vidmm_mutex_unlock(&adapter->gpu->lock);
    vidmm_put(f->mm, adapter);
}

/* ---- deterministic: a call that resolved the allocation before it died ---- */

/* Destroys `handle` while holding a reference, as a racing call would. */
static struct vidmm_allocation *destroy_keeping_ref(struct fx *f, uint32_t handle)
{
    struct vidmm_allocation *alloc = vidmm_get(f->mm, handle, VIDMM_OBJECT_ALLOCATION);

    assert_non_null(alloc);
    assert_int_equal(core_destroy(f->mm, f->device, handle), STATUS_SUCCESS);
    return alloc;
}

/* Item 1: what MakeResident did next on a resident and an evicted allocation:
 * touch it on the LRU or queue a restore from its (freed) backing store. */
static void test_dead_allocation_not_requeued(void **state)
{
    struct fx *f = *state;
    struct vidmm_allocation *local = destroy_keeping_ref(f, create_ok(f, 4 * KB, 0, CV));
    uint32_t evicted = create_ok(f, 4 * KB, 0, CV), unused;
    struct vidmm_allocation *system;
    struct vidmm_gpu *gpu = alloc_gpu(local);

    assert_int_equal(core_list_call(f->mm, vidmm_make_resident, f->queue, evicted, 0, 1, &unused), STATUS_SUCCESS);
    assert_int_equal(core_list_call(f->mm, vidmm_evict, f->device, evicted, 0, 1, &unused), STATUS_SUCCESS);
    escape(f, D3DKMT_WINE_ESCAPE_WAIT_IDLE, 0);
    system = destroy_keeping_ref(f, evicted);

    escape(f, D3DKMT_WINE_ESCAPE_PAUSE_PAGER, 0);
    vidmm_mutex_lock(&gpu->lock);
    gpu_touch(gpu, local);
    pager_queue(f->mm, gpu, system, VIDMM_PAGING_RESTORE);
    pager_queue(f->mm, gpu, local, VIDMM_PAGING_EVICT);
    assert_true(lru_empty(&gpu->local.lru));   /* a freed allocation left on the LRU */
    assert_true(ilist_empty(&gpu->jobs));        /* a paging job holding no reference */
    assert_int_not_equal(local->location, VIDMM_LOC_LOCAL);
    assert_null(local->block);
    vidmm_mutex_unlock(&gpu->lock);
    escape(f, D3DKMT_WINE_ESCAPE_RESUME_PAGER, 0);

    vidmm_put(f->mm, local);
    vidmm_put(f->mm, system);
    assert_idle_and_empty(f);
}

/* A resource's allocation that a racing call still holds outlives its
 * resource's and device's handles: it references the resource (which holds
 * the device), so both stay readable until the last reference goes. */
static void test_resource_outlived_by_its_allocation(void **state)
{
    struct fx *f = *state;
    D3DKMT_WINE_ALLOCATION_DESC desc = core_desc(4 * KB, 0, CV);
    struct vidmm_create_allocation_args args;
    struct vidmm_destroy_device_args dd = {0};
    uint32_t device = make_device(f), handle = 0;
    struct vidmm_allocation *alloc;
    struct vidmm_resource *res;

    assert_int_equal(core_create_desc(f->mm, device, &desc, VIDMM_CREATE_RESOURCE, &handle, &args), STATUS_SUCCESS);
    assert_non_null(alloc = vidmm_get(f->mm, handle, VIDMM_OBJECT_ALLOCATION));
    assert_non_null(res = alloc_resource(alloc));
    assert_int_equal(res->obj.handle, args.resource);
    dd.handle = device;
    assert_int_equal(vidmm_destroy_device(f->mm, &dd), STATUS_SUCCESS);
    assert_null(vidmm_get(f->mm, handle, VIDMM_OBJECT_ALLOCATION));
    /* Only the allocation keeps the resource, and the resource the device. */
    assert_int_equal(atomic_load(&res->obj.refs), 1);
    assert_int_equal(res->obj.type, VIDMM_OBJECT_RESOURCE);
    assert_ptr_equal(alloc_device(alloc), res->device);
    assert_int_equal(alloc_device(alloc)->obj.type, VIDMM_OBJECT_DEVICE);
    assert_int_equal(atomic_load(&alloc_device(alloc)->obj.refs), 1);
    vidmm_put(f->mm, alloc);
    assert_idle_and_empty(f);
}

/* Items 2 and 3: Offer(OfferImmediately) and a Lock that must evict call
 * gpu_evict under the GPU lock; on a dead allocation it must do nothing. */
static void test_dead_allocation_not_evicted(void **state)
{
    struct fx *f = *state;
    struct vidmm_allocation *alloc = destroy_keeping_ref(f, create_ok(f, 4 * KB, 0, 0));
    struct vidmm_gpu *gpu = alloc_gpu(alloc);
    struct vidmm_move mv;

    vidmm_mutex_lock(&gpu->lock);
    assert_int_equal(gpu_evict(f->mm, gpu, alloc), STATUS_SUCCESS);
    assert_int_equal(gpu_restore(f->mm, gpu, alloc, &mv), STATUS_SUCCESS);
    assert_false(mv.active);   /* nothing to move */
    assert_null(alloc_backing(alloc));
    vidmm_mutex_unlock(&gpu->lock);
    vidmm_put(f->mm, alloc);
    assert_idle_and_empty(f);
}

/* ---- racing loops through the public calls ---- */

struct race
{
    struct fx *f;
    atomic_uint handle;          /* the allocation thread A just created, 0 between */
    atomic_int stop;
    uint32_t flags;              /* of the allocations */
    int op;                      /* what thread B does */
    unsigned long calls, successes;
    NTSTATUS bad_status;
};

enum { OP_MAKE_RESIDENT, OP_OFFER, OP_LOCK, OP_EVICT_PRIORITY };

static void race_op(struct race *r, uint32_t handle)
{
    struct vidmm *mm = r->f->mm;
    uint32_t value = 0x78000000u;
    NTSTATUS status = STATUS_SUCCESS;
    uint8_t *ptr;

    switch (r->op)
    {
    case OP_MAKE_RESIDENT:
        status = core_list_call(mm, vidmm_make_resident, r->f->queue, handle, 0, 1, &value);
        if (status == STATUS_PENDING) status = STATUS_SUCCESS;
        if (!status) status = core_list_call(mm, vidmm_evict, r->f->device, handle, 0, 1, &value);
        break;
    case OP_OFFER:
        status = core_list_call(mm, vidmm_offer, r->f->device, handle, VIDMM_OFFER_IMMEDIATELY, 1, &value);
        if (!status) status = core_reclaim(mm, r->f->device, handle, &value);
        break;
    case OP_LOCK:
        status = core_lock(mm, r->f->device, handle, 0, &ptr);
        if (!status) status = core_unlock(mm, r->f->device, handle);
        break;
    case OP_EVICT_PRIORITY:
        status = core_list_call(mm, vidmm_set_priority, r->f->device, handle, 0, 1, &value);
        if (!status) status = core_list_call(mm, vidmm_get_priority, r->f->device, handle, 0, 1, &value);
        if (!status) status = core_list_call(mm, vidmm_query_residency, r->f->device, handle, 0, 1, &value);
        break;
    }
    r->calls++;
    if (!status) r->successes++;
    /* A handle destroyed before or during the call is an invalid parameter. */
    else if (status != STATUS_INVALID_PARAMETER && !r->bad_status) r->bad_status = status;
}

static void *race_user(void *arg)
{
    struct race *r = arg;
    uint32_t handle;

    while (!atomic_load(&r->stop))
        if ((handle = atomic_load(&r->handle))) race_op(r, handle);
    return NULL;
}

static void run_race(struct fx *f, int op, uint32_t flags, const char *name)
{
    pthread_t watchdog = watchdog_start(name), user;
    struct race r;
    uint32_t handle;
    NTSTATUS status;
    int i;

    memset(&r, 0, sizeof(r));
    r.f = f;
    r.op = op;
    r.flags = flags;
    assert_int_equal(pthread_create(&user, NULL, race_user, &r), 0);
    for (i = 0; i < RACE_ROUNDS; i++)
    {
        assert_int_equal(core_create(f->mm, f->device, 4 * KB, 0, flags, &handle), STATUS_SUCCESS);
        atomic_store(&r.handle, handle);
        /* Give the other thread a moment to resolve the handle. */
        if (i & 1) sched_yield();
        status = core_destroy(f->mm, f->device, handle);
        atomic_store(&r.handle, 0);
        assert_int_equal(status, STATUS_SUCCESS);
    }
    atomic_store(&r.stop, 1);
    pthread_join(user, NULL);
    watchdog_stop(watchdog);
    if (r.bad_status) fail_msg("%s: status %#x", name, (unsigned int)r.bad_status);
    assert_idle_and_empty(f);
    /* No budget claim leaked: a new allocation can still be made resident. */
    handle = create_ok(f, 4 * KB, 0, CV);
    status = core_list_call(f->mm, vidmm_make_resident, f->queue, handle, 0, 1, &(uint32_t){0});
    assert_true(status == STATUS_SUCCESS || status == STATUS_PENDING);
    assert_int_equal(core_destroy(f->mm, f->device, handle), STATUS_SUCCESS);
    assert_idle_and_empty(f);
}

static void test_race_make_resident_destroy(void **state)
{
    run_race(*state, OP_MAKE_RESIDENT, CV, "MakeResident vs destroy");
}

static void test_race_offer_destroy(void **state)
{
    run_race(*state, OP_OFFER, CV, "Offer(OfferImmediately) vs destroy");
}

static void test_race_lock_evict_destroy(void **state)
{
    run_race(*state, OP_LOCK, 0, "Lock (evicting, not CPU-visible) vs destroy");
}

static void test_race_lock_swizzled_destroy(void **state)
{
    struct fx *f = *state;

    escape(f, D3DKMT_WINE_ESCAPE_SET_APERTURES, 0);   /* every swizzled lock must evict */
    run_race(f, OP_LOCK, SWIZZLED | CV, "Lock (swizzled, no aperture) vs destroy");
}

static void test_race_priority_destroy(void **state)
{
    run_race(*state, OP_EVICT_PRIORITY, CV, "priorities and residency vs destroy");
}

/* DestroyDevice and CloseAdapter under threads using the device's objects. */
struct teardown_race
{
    struct fx *f;
    atomic_uint device, queue, handle;
    atomic_int stop;
    NTSTATUS bad_status;
};

static void *teardown_user(void *arg)
{
    struct teardown_race *t = arg;
    uint32_t device, queue, handle, value = 0;
    NTSTATUS status;
    uint8_t *ptr;
    unsigned int n = 0;

    while (!atomic_load(&t->stop))
    {
        device = atomic_load(&t->device);
        queue = atomic_load(&t->queue);
        handle = atomic_load(&t->handle);
        if (!handle) continue;
        if (n++ & 1)
        {
            status = core_list_call(t->f->mm, vidmm_make_resident, queue, handle, 0, 1, &value);
            if (status == STATUS_PENDING) status = STATUS_SUCCESS;
        }
        else if (!(status = core_lock(t->f->mm, device, handle, 0, &ptr))) status = core_unlock(t->f->mm, device, handle);
        if (status && status != STATUS_INVALID_PARAMETER && !t->bad_status) t->bad_status = status;
    }
    return NULL;
}

static void test_race_destroy_device_close_adapter(void **state)
{
    pthread_t watchdog = watchdog_start("DestroyDevice/CloseAdapter vs MakeResident/Lock"), user;
    struct fx *f = *state;
    struct teardown_race t;
    int i;

    memset(&t, 0, sizeof(t));
    t.f = f;
    assert_int_equal(pthread_create(&user, NULL, teardown_user, &t), 0);
    for (i = 0; i < RACE_ROUNDS / 10; i++)
    {
        struct vidmm_destroy_device_args dd = {0};
        struct vidmm_close_adapter_args ca = {0};
        uint32_t device = make_device(f), queue = make_queue(f, device), handle, first = device;

        assert_int_equal(core_create(f->mm, device, 4 * KB, 0, (i & 2) ? CV : 0, &handle), STATUS_SUCCESS);
        atomic_store(&t.device, device);
        atomic_store(&t.queue, queue);
        atomic_store(&t.handle, handle);
        sched_yield();
        if (i & 1)
        {
            dd.handle = device;
            assert_int_equal(vidmm_destroy_device(f->mm, &dd), STATUS_SUCCESS);
        }
        else
        {
            /* f->adapter's first device keeps the GPU alive; close another adapter handle. */
            struct vidmm_open_adapter_args open = {0};
            uint32_t other;

            open.luid = LUID;
            open.local_size = LOCAL_SIZE;
            open.source_count = 1;
            assert_int_equal(vidmm_open_adapter(f->mm, &open), STATUS_SUCCESS);
            other = f->adapter;
            f->adapter = open.handle;
            device = make_device(f);
            f->adapter = other;
            assert_int_equal(core_create(f->mm, device, 4 * KB, 0, CV, &handle), STATUS_SUCCESS);
            atomic_store(&t.device, device);
            atomic_store(&t.queue, make_queue(f, device));
            atomic_store(&t.handle, handle);
            sched_yield();
            ca.handle = open.handle;
            assert_int_equal(vidmm_close_adapter(f->mm, &ca), STATUS_SUCCESS);
            dd.handle = first;   /* this round's device on the long-lived adapter */
            assert_int_equal(vidmm_destroy_device(f->mm, &dd), STATUS_SUCCESS);
        }
        atomic_store(&t.handle, 0);
    }
    atomic_store(&t.stop, 1);
    pthread_join(user, NULL);
    watchdog_stop(watchdog);
    if (t.bad_status) fail_msg("status %#x", (unsigned int)t.bad_status);
}

/* ---- item 9: a discarded backing store is never lost ---- */

static D3DKMT_WINE_ESCAPE stats(struct fx *f)
{
    return escape(f, D3DKMT_WINE_ESCAPE_QUERY_STATS, 0);
}

/* Offer(OfferImmediately) of an allocation in system memory drops its pages
 * by resetting them in the heap (they stay committed and read zero): no
 * commit is needed, so commits failing cannot lose the backing store, and
 * the next Lock gives committed zeroed memory. */
static void test_discard_commit_failure_lock(void **state)
{
    struct fx *f = *state;
    uint32_t handle = create_ok(f, 64 * KB, 1, CV), result = 0;
    struct native_memory_counters before, after;
    uint8_t *ptr, *old;

    assert_int_equal(core_lock(f->mm, f->device, handle, 0, &ptr), STATUS_SUCCESS);
    memset(ptr, 0xab, 64 * KB);
    old = ptr;
    assert_int_equal(core_unlock(f->mm, f->device, handle), STATUS_SUCCESS);
    native_memory_get_counters(f->nm, &before);
    native_memory_fail_commit_after(f->nm, 0, 1);
    native_memory_fail_reserve_after(f->nm, 0, 1);
    assert_int_equal(core_list_call(f->mm, vidmm_offer, f->device, handle, VIDMM_OFFER_IMMEDIATELY, 1, &result),
                     STATUS_SUCCESS);
    assert_int_equal(core_reclaim(f->mm, f->device, handle, &result), STATUS_SUCCESS);
    assert_int_equal(result, VIDMM_RECLAIM_DISCARDED);
    native_memory_get_counters(f->nm, &after);
    assert_int_equal(after.reset_calls, before.reset_calls + 1);   /* the pages went back */
    assert_int_equal(core_lock(f->mm, f->device, handle, 0, &ptr), STATUS_SUCCESS);
    native_memory_fail_commit_after(f->nm, -1, 0);
    native_memory_fail_reserve_after(f->nm, -1, 0);
    assert_true(ptr == old);
    assert_true(native_memory_is_committed(f->nm, ptr, 64 * KB));
    assert_int_equal(ptr[0], 0);
    assert_int_equal(ptr[64 * KB - 1], 0);
    assert_int_equal(core_unlock(f->mm, f->device, handle), STATUS_SUCCESS);
    assert_int_equal(stats(f).BackingBytes, 64 * KB);
    assert_int_equal(core_destroy(f->mm, f->device, handle), STATUS_SUCCESS);
    assert_idle_and_empty(f);
}

/* The same for an evicted local allocation made resident again: the pager's
 * restore copies nothing of the discarded content. */
static void test_discard_commit_failure_restore(void **state)
{
    struct fx *f = *state;
    uint32_t handle = create_ok(f, 8 * KB, 0, CV), result = 0;
    uint8_t *ptr;

    assert_int_equal(core_lock(f->mm, f->device, handle, 0, &ptr), STATUS_SUCCESS);
    memset(ptr, 0xcd, 8 * KB);
    assert_int_equal(core_unlock(f->mm, f->device, handle), STATUS_SUCCESS);
    assert_int_equal(core_list_call(f->mm, vidmm_make_resident, f->queue, handle, 0, 1, &result), STATUS_SUCCESS);
    assert_int_equal(core_list_call(f->mm, vidmm_evict, f->device, handle, 0, 1, &result), STATUS_SUCCESS);
    escape(f, D3DKMT_WINE_ESCAPE_WAIT_IDLE, 0);
    assert_int_equal(stats(f).BackingBytes, 8 * KB);
    native_memory_fail_commit_after(f->nm, 0, 1);
    assert_int_equal(core_list_call(f->mm, vidmm_offer, f->device, handle, VIDMM_OFFER_IMMEDIATELY, 1, &result),
                     STATUS_SUCCESS);
    assert_int_equal(core_reclaim(f->mm, f->device, handle, &result), STATUS_SUCCESS);
    assert_int_equal(core_list_call(f->mm, vidmm_make_resident, f->queue, handle, 0, 1, &result) & ~STATUS_PENDING, 0);
    escape(f, D3DKMT_WINE_ESCAPE_WAIT_IDLE, 0);
    native_memory_fail_commit_after(f->nm, -1, 0);
    assert_int_equal(stats(f).LocalUsage, 8 * KB);
    assert_int_equal(core_lock(f->mm, f->device, handle, 0, &ptr), STATUS_SUCCESS);
    assert_true(native_memory_is_committed(f->nm, ptr, 8 * KB));
    assert_int_equal(ptr[0], 0);
    assert_int_equal(ptr[8 * KB - 1], 0);
    assert_int_equal(core_unlock(f->mm, f->device, handle), STATUS_SUCCESS);
    assert_int_equal(core_destroy(f->mm, f->device, handle), STATUS_SUCCESS);
    assert_idle_and_empty(f);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] =
    {
        cmocka_unit_test_setup_teardown(test_dead_allocation_not_requeued, setup, teardown),
        cmocka_unit_test_setup_teardown(test_resource_outlived_by_its_allocation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dead_allocation_not_evicted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_discard_commit_failure_lock, setup, teardown),
        cmocka_unit_test_setup_teardown(test_discard_commit_failure_restore, setup, teardown),
        cmocka_unit_test_setup_teardown(test_race_make_resident_destroy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_race_offer_destroy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_race_lock_evict_destroy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_race_lock_swizzled_destroy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_race_priority_destroy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_race_destroy_device_close_adapter, setup, teardown),
    };

    if (argc > 1) cmocka_set_test_filter(argv[1]);   /* one test by name, to replay */
    return cmocka_run_group_tests(tests, NULL, NULL);
}
