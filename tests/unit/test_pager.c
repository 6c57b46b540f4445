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
 * The pager copies (or moves) an allocation's content with gpu->lock
 * dropped: while it is inside a copy, other threads take the GPU lock
 * (QueryVideoMemoryInfo), a Lock waits or returns busy, and destroying the
 * allocation, its device or its adapter waits for the copy, then frees.
 * The native memory's page hook (prefault before a copy, move) blocks the
 * pager inside the copy.  The only time bound is a generous hang bound.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <time.h>
#include <pthread.h>
#include <cmocka.h>

#include "vidmm_private.h"
#include "native_memory.h"
#include "core_calls.h"

#define KB 1024ull
#define MB (1024ull * KB)
#define PAGE (4 * KB)
#define LOCAL_SIZE (8 * MB)
#define NONLOCAL_SIZE (64 * MB)
#define LUID 0x0000000100000e72ull
#define CV D3DKMT_WINE_ALLOC_FLAG_CPU_VISIBLE
#define LOCAL D3DKMT_WINE_SEGMENT_GROUP_LOCAL
#define HANG_SECONDS 10

struct fx
{
    struct native_memory *nm;
    struct vidmm *mm;
    uint32_t adapter, device, queue;
    struct vidmm_gpu *gpu;

    /* the page hook's gate */
    pthread_mutex_t m;
    pthread_cond_t cond;
    int armed, entered, released;

    /* the other thread's call */
    int done;
    NTSTATUS status;
    uint32_t handle;
    uint32_t lock_flags;
    uint8_t *ptr;
};

static void deadline_in(struct timespec *ts, int seconds)
{
    clock_gettime(CLOCK_REALTIME, ts);
    ts->tv_sec += seconds;
}

/* Blocks the first copy until released (or the hang bound passes). */
static void page_hook(void *arg, uint64_t size)
{
    struct fx *f = arg;
    struct timespec ts;

    pthread_mutex_lock(&f->m);
    if (f->armed)
    {
        f->armed = 0;
        f->entered = 1;
        pthread_cond_broadcast(&f->cond);
        deadline_in(&ts, HANG_SECONDS);
        while (!f->released && pthread_cond_timedwait(&f->cond, &f->m, &ts) != ETIMEDOUT) {}
    }
    pthread_mutex_unlock(&f->m);
}

/* Waits for *flag under the gate's mutex; 0 when the hang bound passed. */
static int wait_flag(struct fx *f, int *flag)
{
    struct timespec ts;
    int ret;

    deadline_in(&ts, HANG_SECONDS);
    pthread_mutex_lock(&f->m);
    while (!*flag && pthread_cond_timedwait(&f->cond, &f->m, &ts) != ETIMEDOUT) {}
    ret = *flag;
    pthread_mutex_unlock(&f->m);
    return ret;
}

static void release_copy(struct fx *f)
{
    pthread_mutex_lock(&f->m);
    f->released = 1;
    f->armed = 0;
    pthread_cond_broadcast(&f->cond);
    pthread_mutex_unlock(&f->m);
}

static void set_done(struct fx *f, NTSTATUS status)
{
    pthread_mutex_lock(&f->m);
    f->status = status;
    f->done = 1;
    pthread_cond_broadcast(&f->cond);
    pthread_mutex_unlock(&f->m);
}

static int setup(void **state)
{
    struct vidmm_open_adapter_args open = {0};
    struct vidmm_create_device_args dev = {0};
    struct vidmm_paging_queue_args queue = {0};
    struct vidmm_adapter *adapter;
    struct vidmm_memory_ops ops;
    struct fx *f = calloc(1, sizeof(*f));

    if (!f || !(f->nm = native_memory_create())) return -1;
    pthread_mutex_init(&f->m, NULL);
    pthread_cond_init(&f->cond, NULL);
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
    native_memory_set_page_hook(f->nm, page_hook, f);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct native_memory_counters c;
    struct fx *f = *state;
    int ret = 0;

    release_copy(f);
    vidmm_destroy(f->mm);
    native_memory_get_counters(f->nm, &c);
    if (c.reservations || c.committed_bytes || c.errors) ret = -1;
    native_memory_destroy(f->nm);
    pthread_cond_destroy(&f->cond);
    pthread_mutex_destroy(&f->m);
    free(f);
    return ret;
}

static void fill(uint8_t *p, uint64_t size, uint8_t seed)
{
    uint64_t i;

    for (i = 0; i < size; i += PAGE) p[i] = (uint8_t)(seed + i / PAGE);
}

static int check_fill(const uint8_t *p, uint64_t size, uint8_t seed)
{
    uint64_t i;

    for (i = 0; i < size; i += PAGE)
        if (p[i] != (uint8_t)(seed + i / PAGE)) return 0;
    return 1;
}

/* A written local allocation whose eviction the pager is now inside of. */
static uint32_t evicting(struct fx *f, uint64_t size)
{
    uint32_t handle = 0;
    uint8_t *p;

    assert_int_equal(core_create(f->mm, f->device, size, LOCAL, CV, &handle), STATUS_SUCCESS);
    assert_int_equal(core_lock(f->mm, f->device, handle, 0, &p), STATUS_SUCCESS);
    fill(p, size, 7);
    assert_int_equal(core_unlock(f->mm, f->device, handle), STATUS_SUCCESS);
    pthread_mutex_lock(&f->m);
    f->armed = 1;
    pthread_mutex_unlock(&f->m);
    assert_int_equal(core_escape(f->mm, f->adapter, D3DKMT_WINE_ESCAPE_SET_LOCAL_BUDGET, PAGE, NULL), STATUS_SUCCESS);
    assert_true(wait_flag(f, &f->entered));
    return handle;
}

static void *query_thread(void *arg)
{
    struct vidmm_query_video_memory_args q = {0};
    struct fx *f = arg;

    q.adapter = f->adapter;
    q.group = LOCAL;
    set_done(f, vidmm_query_video_memory(f->mm, &q));
    return NULL;
}

static void *lock_thread(void *arg)
{
    struct fx *f = arg;
    NTSTATUS status = core_lock(f->mm, f->device, f->handle, f->lock_flags, &f->ptr);

    set_done(f, status);
    return NULL;
}

static void *destroy_thread(void *arg)
{
    struct fx *f = arg;

    set_done(f, core_destroy(f->mm, f->device, f->handle));
    return NULL;
}

static void *destroy_device_thread(void *arg)
{
    struct vidmm_destroy_device_args args = {0};
    struct fx *f = arg;

    args.handle = f->device;
    set_done(f, vidmm_destroy_device(f->mm, &args));
    return NULL;
}

static void *close_adapter_thread(void *arg)
{
    struct vidmm_close_adapter_args args = {0};
    struct fx *f = arg;
    uint32_t hosts[4];

    args.handle = f->adapter;
    args.device_hosts = (uintptr_t)hosts;
    args.device_hosts_max = 4;
    set_done(f, vidmm_close_adapter(f->mm, &args));
    return NULL;
}

/* The other thread's call completes while the pager is inside the copy. */
static void query_during_copy(struct fx *f, uint64_t size)
{
    pthread_t thread;
    uint32_t handle = evicting(f, size);
    uint8_t *p;
    int done;

    assert_int_equal(pthread_create(&thread, NULL, query_thread, f), 0);
    done = wait_flag(f, &f->done);
    release_copy(f);
    pthread_join(thread, NULL);
    assert_true(done);   /* before: it waited for the whole copy */
    assert_int_equal(f->status, STATUS_SUCCESS);
    assert_int_equal(core_escape(f->mm, f->adapter, D3DKMT_WINE_ESCAPE_WAIT_IDLE, 0, NULL), STATUS_SUCCESS);
    assert_int_equal(core_lock(f->mm, f->device, handle, 0, &p), STATUS_SUCCESS);
    assert_true(check_fill(p, size, 7));
    assert_int_equal(core_unlock(f->mm, f->device, handle), STATUS_SUCCESS);
    assert_int_equal(core_destroy(f->mm, f->device, handle), STATUS_SUCCESS);
}

static void test_query_during_copy(void **state)
{
    query_during_copy(*state, 1 * MB);
}

static void test_query_during_move(void **state)
{
    query_during_copy(*state, 4 * MB);   /* moved by mremap: the move op is hooked */
}

/* DonotWait: busy at once; else it waits and then sees the content. */
static void test_lock_during_copy(void **state)
{
    struct fx *f = *state;
    pthread_t thread;
    int done;

    f->handle = evicting(f, 1 * MB);
    f->lock_flags = VIDMM_LOCK_DONOT_WAIT;
    assert_int_equal(pthread_create(&thread, NULL, lock_thread, f), 0);
    done = wait_flag(f, &f->done);
    if (!done) release_copy(f);
    pthread_join(thread, NULL);
    assert_true(done);   /* before: it waited for alloc->lock, held across the copy */
    assert_int_equal(f->status, STATUS_GRAPHICS_ALLOCATION_BUSY);

    f->done = 0;
    f->lock_flags = 0;
    assert_int_equal(pthread_create(&thread, NULL, lock_thread, f), 0);
    release_copy(f);
    pthread_join(thread, NULL);
    assert_int_equal(f->status, STATUS_SUCCESS);
    assert_true(check_fill(f->ptr, 1 * MB, 7));
    assert_int_equal(core_unlock(f->mm, f->device, f->handle), STATUS_SUCCESS);
}

/* Destroying during the copy: the memory is freed after it, nothing leaks. */
static void destroy_during_copy(struct fx *f, void *(*fn)(void *), uint64_t size)
{
    pthread_t thread;

    f->handle = evicting(f, size);
    assert_int_equal(pthread_create(&thread, NULL, fn, f), 0);
    release_copy(f);
    pthread_join(thread, NULL);
    assert_int_equal(f->status, STATUS_SUCCESS);
}

static void test_destroy_during_copy(void **state)
{
    destroy_during_copy(*state, destroy_thread, 1 * MB);
}

static void test_destroy_during_move(void **state)
{
    destroy_during_copy(*state, destroy_thread, 4 * MB);
}

static void test_destroy_device_during_copy(void **state)
{
    destroy_during_copy(*state, destroy_device_thread, 1 * MB);
}

static void test_close_adapter_during_copy(void **state)
{
    destroy_during_copy(*state, close_adapter_thread, 1 * MB);
}

static void wait_idle(struct fx *f)
{
    assert_int_equal(core_escape(f->mm, f->adapter, D3DKMT_WINE_ESCAPE_WAIT_IDLE, 0, NULL), STATUS_SUCCESS);
}

static void check_content(struct fx *f, uint32_t handle, uint64_t size)
{
    uint8_t *p;

    assert_int_equal(core_lock(f->mm, f->device, handle, 0, &p), STATUS_SUCCESS);
    assert_true(check_fill(p, size, 7));
    assert_int_equal(core_unlock(f->mm, f->device, handle), STATUS_SUCCESS);
}

/* Wanted back while its eviction copies: evicted, then restored, content kept. */
static void test_make_resident_during_copy(void **state)
{
    struct fx *f = *state;
    uint32_t handle = evicting(f, 1 * MB), value = 0;
    NTSTATUS status;

    assert_int_equal(core_escape(f->mm, f->adapter, D3DKMT_WINE_ESCAPE_SET_LOCAL_BUDGET, 0, NULL), STATUS_SUCCESS);
    status = core_list_call(f->mm, vidmm_make_resident, f->queue, handle, 0, 0, NULL);
    assert_true(status == STATUS_SUCCESS || status == STATUS_PENDING);
    release_copy(f);
    wait_idle(f);
    assert_int_equal(core_list_call(f->mm, vidmm_query_residency, f->device, handle, 0, 0, &value), STATUS_SUCCESS);
    assert_int_equal(value, VIDMM_RESIDENCY_IN_GPU_MEMORY);
    check_content(f, handle, 1 * MB);
}

/* Offered at once while its eviction copies: the direct evict leaves it to
 * the pager; reclaimed after, it can be locked (content kept or zero). */
static void test_offer_during_copy(void **state)
{
    struct fx *f = *state;
    uint32_t handle = evicting(f, 1 * MB), result = 0;
    uint8_t *p;

    assert_int_equal(core_list_call(f->mm, vidmm_offer, f->device, handle, VIDMM_OFFER_IMMEDIATELY, 1, NULL),
                     STATUS_SUCCESS);
    release_copy(f);
    wait_idle(f);
    assert_int_equal(core_reclaim(f->mm, f->device, handle, &result), STATUS_SUCCESS);
    assert_int_equal(core_lock(f->mm, f->device, handle, 0, &p), STATUS_SUCCESS);
    assert_true(check_fill(p, 1 * MB, 7) || !p[0]);
    assert_int_equal(core_unlock(f->mm, f->device, handle), STATUS_SUCCESS);
}

/* Its restore copies (the hook blocks it) while another thread queries. */
static void test_query_during_restore(void **state)
{
    struct fx *f = *state;
    uint32_t handle = evicting(f, 1 * MB);
    pthread_t thread;
    NTSTATUS status;
    int done;

    release_copy(f);
    wait_idle(f);
    assert_int_equal(core_escape(f->mm, f->adapter, D3DKMT_WINE_ESCAPE_SET_LOCAL_BUDGET, 0, NULL), STATUS_SUCCESS);
    pthread_mutex_lock(&f->m);
    f->armed = 1;
    f->entered = f->released = 0;
    pthread_mutex_unlock(&f->m);
    status = core_list_call(f->mm, vidmm_make_resident, f->queue, handle, 0, 0, NULL);
    assert_true(status == STATUS_SUCCESS || status == STATUS_PENDING);
    assert_true(wait_flag(f, &f->entered));
    assert_int_equal(pthread_create(&thread, NULL, query_thread, f), 0);
    done = wait_flag(f, &f->done);
    release_copy(f);
    pthread_join(thread, NULL);
    assert_true(done);
    wait_idle(f);
    check_content(f, handle, 1 * MB);
}

/* Process exit (vidmm_destroy) while the pager is inside a copy. */
static void test_exit_during_copy(void **state)
{
    struct fx *f = *state;

    evicting(f, 1 * MB);
    release_copy(f);   /* teardown destroys the manager now */
}

/* A copy that keeps the CPU busy for about 1 ms (a spin, not a sleep). */
static void spin_hook(void *arg, uint64_t size)
{
    struct timespec start, now;

    clock_gettime(CLOCK_MONOTONIC, &start);
    do clock_gettime(CLOCK_MONOTONIC, &now);
    while ((now.tv_sec - start.tv_sec) * 1000000000ll + (now.tv_nsec - start.tv_nsec) < 1000000);
}

/* Jobs that each take over PAGER_SLICE_NS of CPU: the pager gives the CPU
 * back between every two, so a thread it preempted on its CPU waits for one
 * job, not for PAGER_BATCH of them (the bench saw another thread's
 * QueryVideoMemoryInfo wait 1.5-3.7 ms, preempted by the pager while the
 * other CPU idled). */
static void test_pager_yields_between_long_jobs(void **state)
{
    struct fx *f = *state;
    uint32_t handles[6];
    uint64_t yields;
    unsigned int i;
    uint8_t *p;

    for (i = 0; i < 6; i++)
    {
        assert_int_equal(core_create(f->mm, f->device, 1 * MB, LOCAL, CV, &handles[i]), STATUS_SUCCESS);
        assert_int_equal(core_lock(f->mm, f->device, handles[i], 0, &p), STATUS_SUCCESS);
        fill(p, 1 * MB, (uint8_t)i);
        assert_int_equal(core_unlock(f->mm, f->device, handles[i]), STATUS_SUCCESS);
    }
    wait_idle(f);
    vidmm_mutex_lock(&f->gpu->lock);
    yields = f->gpu->pager_yields;
    vidmm_mutex_unlock(&f->gpu->lock);
    native_memory_set_page_hook(f->nm, spin_hook, f);
    assert_int_equal(core_escape(f->mm, f->adapter, D3DKMT_WINE_ESCAPE_SET_LOCAL_BUDGET, PAGE, NULL), STATUS_SUCCESS);
    wait_idle(f);
    native_memory_set_page_hook(f->nm, page_hook, f);
    vidmm_mutex_lock(&f->gpu->lock);
    yields = f->gpu->pager_yields - yields;
    vidmm_mutex_unlock(&f->gpu->lock);
    assert_true(yields >= 5);   /* before: none, the batch being 32 jobs */
    assert_int_equal(core_escape(f->mm, f->adapter, D3DKMT_WINE_ESCAPE_SET_LOCAL_BUDGET, 0, NULL), STATUS_SUCCESS);
    for (i = 0; i < 6; i++)
    {
        assert_int_equal(core_lock(f->mm, f->device, handles[i], 0, &p), STATUS_SUCCESS);
        assert_true(check_fill(p, 1 * MB, (uint8_t)i));
        assert_int_equal(core_unlock(f->mm, f->device, handles[i]), STATUS_SUCCESS);
        assert_int_equal(core_destroy(f->mm, f->device, handles[i]), STATUS_SUCCESS);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] =
    {
        cmocka_unit_test_setup_teardown(test_query_during_copy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_query_during_move, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lock_during_copy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_destroy_during_copy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_destroy_during_move, setup, teardown),
        cmocka_unit_test_setup_teardown(test_destroy_device_during_copy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_close_adapter_during_copy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_exit_during_copy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_make_resident_during_copy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_offer_during_copy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_query_during_restore, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pager_yields_between_long_jobs, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
