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
 * Concurrency stress of the video memory manager: threads create, lock,
 * write, unlock, re-lock, verify and destroy allocations in a small local
 * segment, so that evictions happen while other threads hold locks.  Meant
 * for -fsanitize=thread as well as plain runs.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <stdatomic.h>
#include <cmocka.h>

#include "private/vidmm.h"
#include "wine-d3dkmt/d3dkmt_driver.h"
#include "native_memory.h"
#include "core_calls.h"

#define KB 1024ull
#define LOCAL_SIZE (1024 * KB)
#define THREADS 4
#define LIVE 3          /* allocations each thread keeps */
#ifdef __SANITIZE_THREAD__
#define ITERATIONS 150  /* TSan is ~15x slower; stay well under 10 s */
#else
#define ITERATIONS 1000
#endif

struct shared
{
    struct native_memory *nm;
    struct vidmm *mm;
    uint32_t adapter;
    int stop;           /* monitor: the workers are done */
    int toggle_budget;  /* monitor: lower and raise the local budget (pager work) */
    int usage_errors;   /* monitor: usage above the segment */
    pthread_mutex_t lock;
};

struct worker
{
    struct shared *s;
    int id;
    uint32_t device;
    uint64_t rng;
    uint32_t handles[LIVE], seeds[LIVE];
    uint64_t sizes[LIVE];
    int failures, faulted;
    char msg[200];
};

static uint32_t next_rand(struct worker *w)
{
    w->rng = w->rng * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(w->rng >> 33);
}

/* A worker touching memory the manager unmapped under its lock must not take
 * the whole program down: while it accesses locked memory, a fault jumps back
 * into the worker (never out of the manager's own code, which holds locks). */
static __thread sigjmp_buf *fault_jump;
static __thread volatile int in_user_access;

static void fault_handler(int sig, siginfo_t *info, void *context)
{
    if (fault_jump && in_user_access)
    {
        in_user_access = 0;
        siglongjmp(*fault_jump, 1);
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

static void fill(void *ptr, uint64_t size, uint32_t seed)
{
    uint32_t *p = ptr;
    uint64_t i;

    in_user_access = 1;
    for (i = 0; i < size / 4; i++) p[i] = seed ^ (uint32_t)(i * 2654435761u);
    in_user_access = 0;
}

static int matches(const void *ptr, uint64_t size, uint32_t seed)
{
    const uint32_t *p = ptr;
    uint64_t i;
    int ret = 1;

    in_user_access = 1;
    for (i = 0; i < size / 4 && ret; i++)
        if (p[i] != (seed ^ (uint32_t)(i * 2654435761u))) ret = 0;
    in_user_access = 0;
    return ret;
}

/* First failure of a worker, kept for the report (no cmocka calls off the main thread). */
static void failure(struct worker *w, const char *what, NTSTATUS status)
{
    if (!w->failures++)
        snprintf(w->msg, sizeof(w->msg), "thread %d: %s (status %#x)", w->id, what, (unsigned int)status);
}

static NTSTATUS lock(struct worker *w, uint32_t handle, uint8_t **ptr)
{
    struct vidmm_lock_args args;
    NTSTATUS status;

    memset(&args, 0, sizeof(args));
    args.device = w->device;
    args.allocation = handle;
    args.lock2 = next_rand(w) & 1;
    status = vidmm_lock(w->s->mm, &args);
    *ptr = (uint8_t *)(uintptr_t)args.data;
    return status;
}

static NTSTATUS unlock(struct worker *w, const uint32_t *handles, uint32_t count)
{
    return core_unlock_list(w->s->mm, w->device, handles, count);
}

static NTSTATUS create(struct worker *w, uint64_t size, uint32_t flags, uint32_t *handle)
{
    D3DKMT_WINE_ALLOCATION_DESC desc = core_desc(size, 0, flags);

    desc.Priority = next_rand(w) & 1 ? 0 : 0x28000000u + (next_rand(w) % 4) * 0x28000000u;
    return core_create_desc(w->s->mm, w->device, &desc, 0, handle, NULL);
}

static NTSTATUS destroy(struct worker *w, uint32_t handle)
{
    return core_destroy(w->s->mm, w->device, handle);
}

/* Locks slot i, checks its pattern (and that a nested lock agrees), writes a new one. */
static void check_and_rewrite(struct worker *w, int i, int multi_unlock)
{
    uint32_t handles[2] = { w->handles[i], w->handles[i] };
    uint8_t *p, *q;
    NTSTATUS status;

    if ((status = lock(w, w->handles[i], &p)) || !p)
    {
        failure(w, "lock", status);
        return;
    }
    if (!matches(p, w->sizes[i], w->seeds[i])) failure(w, "pattern lost", 0);
    if ((status = lock(w, w->handles[i], &q)) || q != p) failure(w, "nested lock moved", status);
    w->seeds[i] = next_rand(w);
    fill(p, w->sizes[i], w->seeds[i]);
    if (!matches(p, w->sizes[i], w->seeds[i])) failure(w, "pattern changed under the lock", 0);
    if (multi_unlock) status = unlock(w, handles, 2);
    else if (!(status = unlock(w, handles, 1))) status = unlock(w, handles, 1);
    if (status) failure(w, "unlock", status);
}

static void *worker_thread(void *param)
{
    struct worker *w = param;
    struct vidmm_create_device_args dev = {0};
    struct vidmm_destroy_device_args destroy_dev = {0};
    sigjmp_buf jump;
    int iteration = 0, i;

    dev.adapter = w->s->adapter;
    if (vidmm_create_device(w->s->mm, &dev))
    {
        failure(w, "create device", 0);
        return NULL;
    }
    w->device = dev.handle;

    if (sigsetjmp(jump, 1))
    {
        fault_jump = NULL;
        w->faulted = 1;
        failure(w, "SIGSEGV/SIGBUS through a locked pointer (memory unmapped under the lock)", 0);
        goto done;
    }
    fault_jump = &jump;

    for (iteration = 0; iteration < ITERATIONS && !w->failures; iteration++)
    {
        static const uint32_t flag_choices[8] =
        {
            D3DKMT_WINE_ALLOC_FLAG_CPU_VISIBLE, D3DKMT_WINE_ALLOC_FLAG_CPU_VISIBLE,
            D3DKMT_WINE_ALLOC_FLAG_CPU_VISIBLE, D3DKMT_WINE_ALLOC_FLAG_CPU_VISIBLE,
            D3DKMT_WINE_ALLOC_FLAG_CPU_VISIBLE, 0,   /* a lock moves it to system memory */
            D3DKMT_WINE_ALLOC_FLAG_CPU_VISIBLE | D3DKMT_WINE_ALLOC_FLAG_SWIZZLED,
            D3DKMT_WINE_ALLOC_FLAG_SWIZZLED,
        };
        int slot = iteration % LIVE;
        NTSTATUS status;
        uint8_t *p;

        /* Retire the oldest: verify, then destroy (sometimes still locked). */
        if (w->handles[slot])
        {
            check_and_rewrite(w, slot, iteration & 1);
            if (next_rand(w) % 4 == 0 && (status = lock(w, w->handles[slot], &p))) failure(w, "lock", status);
            if ((status = destroy(w, w->handles[slot]))) failure(w, "destroy", status);
            w->handles[slot] = 0;
        }

        /* A new one: write through the lock, unlock, and let others evict it. */
        w->sizes[slot] = (1 + next_rand(w) % 4) * 64 * KB;
        if ((status = create(w, w->sizes[slot], flag_choices[next_rand(w) % 8], &w->handles[slot])))
        {
            failure(w, "create", status);
            w->handles[slot] = 0;
            break;
        }
        if ((status = lock(w, w->handles[slot], &p)) || !p)
        {
            failure(w, "lock new", status);
            break;
        }
        w->seeds[slot] = next_rand(w);
        fill(p, w->sizes[slot], w->seeds[slot]);
        if ((status = unlock(w, &w->handles[slot], 1))) failure(w, "unlock new", status);

        /* Re-lock another live one and check nothing was lost meanwhile. */
        i = next_rand(w) % LIVE;
        if (w->handles[i]) check_and_rewrite(w, i, next_rand(w) & 1);
    }
    fault_jump = NULL;

done:
    /* Last look at every live allocation, then let the device take them along. */
    if (!w->faulted)
        for (i = 0; i < LIVE; i++)
            if (w->handles[i]) check_and_rewrite(w, i, 0);
    destroy_dev.handle = w->device;
    if (vidmm_destroy_device(w->s->mm, &destroy_dev)) failure(w, "destroy device", 0);
    return NULL;
}

static NTSTATUS set_budget(struct shared *s, uint64_t value)
{
    struct vidmm_escape_args args;
    D3DKMT_WINE_ESCAPE esc;

    memset(&esc, 0, sizeof(esc));
    esc.Magic = D3DKMT_WINE_ESCAPE_MAGIC;
    esc.Version = D3DKMT_WINE_ESCAPE_VERSION;
    esc.Command = D3DKMT_WINE_ESCAPE_SET_LOCAL_BUDGET;
    esc.Value = value;
    memset(&args, 0, sizeof(args));
    args.adapter = s->adapter;
    args.data = (uintptr_t)&esc;
    args.size = sizeof(esc);
    return vidmm_escape(s->mm, &args);
}

/* Watches the usage while the workers run; optionally moves the budget so the pager evicts too. */
static void *monitor_thread(void *param)
{
    struct shared *s = param;
    struct vidmm_query_video_memory_args q;
    struct vidmm_stats stats;
    unsigned int round = 0;

    for (;;)
    {
        pthread_mutex_lock(&s->lock);
        if (s->stop)
        {
            pthread_mutex_unlock(&s->lock);
            break;
        }
        pthread_mutex_unlock(&s->lock);
        vidmm_get_stats(s->mm, &stats);
        memset(&q, 0, sizeof(q));
        q.adapter = s->adapter;
        if (vidmm_query_video_memory(s->mm, &q) || q.usage > LOCAL_SIZE || stats.local_usage > LOCAL_SIZE)
            s->usage_errors++;
        if (s->toggle_budget && set_budget(s, ++round & 1 ? LOCAL_SIZE / 2 : 0)) s->usage_errors++;
        sched_yield();
    }
    if (s->toggle_budget) set_budget(s, 0);
    return NULL;
}

static void run_stress(int toggle_budget)
{
    struct native_memory_counters counters;
    struct vidmm_open_adapter_args open = {0};
    struct vidmm_memory_ops ops;
    struct vidmm_stats stats;
    struct worker workers[THREADS];
    pthread_t threads[THREADS], monitor;
    struct sigaction sa, old_segv, old_bus;
    struct shared s;
    int i, failed = 0;

    memset(&s, 0, sizeof(s));
    pthread_mutex_init(&s.lock, NULL);
    s.toggle_budget = toggle_budget;
    assert_non_null(s.nm = native_memory_create());
    native_memory_ops(s.nm, &ops);
    assert_int_equal(vidmm_create(&ops, VIDMM_CREATE_TEST_CONTROL, &s.mm), STATUS_SUCCESS);
    open.luid = 0x5157;
    open.local_size = LOCAL_SIZE;
    open.nonlocal_size = 16 * LOCAL_SIZE;
    open.source_count = 1;
    assert_int_equal(vidmm_open_adapter(s.mm, &open), STATUS_SUCCESS);
    s.adapter = open.handle;

    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = fault_handler;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, &old_segv);
    sigaction(SIGBUS, &sa, &old_bus);

    memset(workers, 0, sizeof(workers));
    assert_int_equal(pthread_create(&monitor, NULL, monitor_thread, &s), 0);
    for (i = 0; i < THREADS; i++)
    {
        workers[i].s = &s;
        workers[i].id = i;
        workers[i].rng = 0x9e3779b97f4a7c15ull * (i + 1) + toggle_budget;
        assert_int_equal(pthread_create(&threads[i], NULL, worker_thread, &workers[i]), 0);
    }
    for (i = 0; i < THREADS; i++) pthread_join(threads[i], NULL);
    pthread_mutex_lock(&s.lock);
    s.stop = 1;
    pthread_mutex_unlock(&s.lock);
    pthread_join(monitor, NULL);
    sigaction(SIGSEGV, &old_segv, NULL);
    sigaction(SIGBUS, &old_bus, NULL);

    for (i = 0; i < THREADS; i++)
        if (workers[i].failures)
        {
            print_error("%s (%d failures)\n", workers[i].msg, workers[i].failures);
            failed = 1;
        }
    vidmm_get_stats(s.mm, &stats);
    native_memory_get_counters(s.nm, &counters);
    if (!failed)
    {
        assert_int_equal(s.usage_errors, 0);
        /* Everything went with the devices: no usage, no backing store; the pool
         * (committed for good) and at most a spare heap arena stay mapped. */
        assert_int_equal(stats.devices, 0);
        assert_int_equal(stats.allocations, 0);
        assert_int_equal(stats.local_usage, 0);
        assert_int_equal(stats.nonlocal_usage, 0);
        assert_int_equal(stats.backing_bytes, 0);
        assert_int_equal(counters.reservations, 1 + stats.spare_arenas);
        assert_int_equal(counters.committed_bytes, LOCAL_SIZE + stats.spare_bytes);
        assert_int_equal(counters.errors, 0);
    }
    vidmm_destroy(s.mm);
    native_memory_get_counters(s.nm, &counters);
    native_memory_destroy(s.nm);
    pthread_mutex_destroy(&s.lock);
    if (failed) fail_msg("worker failures (see above)");
    assert_int_equal(counters.reservations, 0);
}

static void test_concurrent_eviction(void **state)
{
    run_stress(0);
}

/* The same with the budget moving, so the pager thread evicts as well. */
static void test_concurrent_eviction_with_pager(void **state)
{
    run_stress(1);
}

/* Issue 8 item 10: the aperture count set by the escape (under the GPU lock)
 * is read by Lock without it; TSan reports the race unless it is atomic. */
struct aperture_race
{
    struct vidmm *mm;
    uint32_t adapter, device, handle;
    atomic_int stop;
};

static void *aperture_setter(void *arg)
{
    struct aperture_race *r = arg;
    struct vidmm_escape_args args = {0};
    D3DKMT_WINE_ESCAPE esc;
    unsigned int i;

    for (i = 0; !atomic_load(&r->stop); i++)
    {
        memset(&esc, 0, sizeof(esc));
        esc.Magic = D3DKMT_WINE_ESCAPE_MAGIC;
        esc.Version = D3DKMT_WINE_ESCAPE_VERSION;
        esc.Command = D3DKMT_WINE_ESCAPE_SET_APERTURES;
        esc.Value = 1 + (i & 1);
        args.adapter = r->adapter;
        args.data = (uintptr_t)&esc;
        args.size = sizeof(esc);
        vidmm_escape(r->mm, &args);
    }
    return NULL;
}

static void test_aperture_count_race(void **state)
{
    struct vidmm_open_adapter_args open = {0};
    struct vidmm_create_device_args dev = {0};
    struct vidmm_create_allocation_args create = {0};
    struct vidmm_unlock_args unlock = {0};
    D3DKMT_WINE_ALLOCATION_DESC desc;
    struct vidmm_alloc_info info;
    struct aperture_race r = {0};
    struct vidmm_memory_ops ops;
    struct native_memory *nm = native_memory_create();
    pthread_t setter;
    int i;

    native_memory_ops(nm, &ops);
    assert_int_equal(vidmm_create(&ops, VIDMM_CREATE_TEST_CONTROL, &r.mm), STATUS_SUCCESS);
    open.luid = 0x99;
    open.local_size = LOCAL_SIZE;
    open.source_count = 1;
    assert_int_equal(vidmm_open_adapter(r.mm, &open), STATUS_SUCCESS);
    r.adapter = dev.adapter = open.handle;
    assert_int_equal(vidmm_create_device(r.mm, &dev), STATUS_SUCCESS);
    r.device = dev.handle;
    memset(&desc, 0, sizeof(desc));
    desc.Magic = D3DKMT_WINE_ALLOC_MAGIC;
    desc.Version = D3DKMT_WINE_ALLOC_VERSION;
    desc.Size = 4 * KB;
    desc.Flags = D3DKMT_WINE_ALLOC_FLAG_SWIZZLED | D3DKMT_WINE_ALLOC_FLAG_CPU_VISIBLE | D3DKMT_WINE_ALLOC_FLAG_PINNED;
    memset(&info, 0, sizeof(info));
    info.private_data = (uintptr_t)&desc;
    info.private_size = sizeof(desc);
    create.device = r.device;
    create.count = 1;
    create.allocs = (uintptr_t)&info;
    assert_int_equal(vidmm_create_allocation(r.mm, &create), STATUS_SUCCESS);
    r.handle = info.handle;

    assert_int_equal(pthread_create(&setter, NULL, aperture_setter, &r), 0);
    unlock.device = r.device;
    unlock.count = 1;
    unlock.handles = (uintptr_t)&r.handle;
    for (i = 0; i < 2000; i++)
    {
        struct vidmm_lock_args lock = {0};

        lock.device = r.device;
        lock.allocation = r.handle;
        /* Pinned and swizzled: an aperture or CANT_EVICT_PINNED, never a move. */
        if (!vidmm_lock(r.mm, &lock)) assert_int_equal(vidmm_unlock(r.mm, &unlock), STATUS_SUCCESS);
    }
    atomic_store(&r.stop, 1);
    pthread_join(setter, NULL);
    vidmm_destroy(r.mm);
    native_memory_destroy(nm);
}

int main(void)
{
    const struct CMUnitTest tests[] =
    {
        cmocka_unit_test(test_concurrent_eviction),
        cmocka_unit_test(test_concurrent_eviction_with_pager),
        cmocka_unit_test(test_aperture_count_race),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
