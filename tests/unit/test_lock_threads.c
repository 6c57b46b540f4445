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
 * Lock and Unlock from several threads: they take no table-wide or GPU-wide
 * lock on the common path, and stay correct while other threads create and
 * destroy objects (the handle table grows, entries are reused, an allocation
 * being locked is destroyed).  Checks results only, never time; meant for
 * -fsanitize=thread as well (test_lock_threads_tsan).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>
#include <signal.h>
#include <unistd.h>
#include <cmocka.h>

#include "vidmm_private.h"
#include "native_memory.h"
#include "core_calls.h"

#define KB 1024ull
#define LUID 0x0000000100000999ull
#define CV D3DKMT_WINE_ALLOC_FLAG_CPU_VISIBLE
#define LOCAL VIDMM_SEGMENT_GROUP_LOCAL
#define NONLOCAL VIDMM_SEGMENT_GROUP_NON_LOCAL
#ifdef __SANITIZE_THREAD__
#define ROUNDS 20000
#define CHURN 1000
#define OPENS 3000
#else
#define ROUNDS 200000
#define CHURN 3000
#define OPENS 30000
#endif
#define LOCKERS 2
/* How long a helper holding a lock waits for the call it blocks to finish:
 * only a bound to turn a hang into a failure, far above any real duration. */
#define HANG_SECONDS 20

struct fx
{
    struct native_memory *nm;
    struct vidmm *mm;
    uint32_t adapter, device;
    struct vidmm_fastlock_table *fast;   /* core_lock tries the fast path first, as the PE side does */
};

static uint32_t make_device(struct fx *f)
{
    struct vidmm_create_device_args dev = {0};

    dev.adapter = f->adapter;
    assert_int_equal(vidmm_create_device(f->mm, &dev), STATUS_SUCCESS);
    return dev.handle;
}

static int setup(void **state)
{
    struct vidmm_open_adapter_args open = {0};
    struct vidmm_memory_ops ops;
    struct fx *f = calloc(1, sizeof(*f));

    if (!f || !(f->nm = native_memory_create())) return -1;
    native_memory_ops(f->nm, &ops);
    if (vidmm_create(&ops, VIDMM_CREATE_TEST_CONTROL, &f->mm)) return -1;
    if (!(f->fast = core_enable_fastlock(f->mm))) return -1;
    open.luid = LUID;
    open.local_size = 64 * 1024 * KB;
    open.nonlocal_size = 256 * 1024 * KB;
    open.source_count = 1;
    if (vidmm_open_adapter(f->mm, &open)) return -1;
    f->adapter = open.handle;
    f->device = make_device(f);
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
    if (c.reservations || c.committed_bytes || c.errors)
    {
        print_error("leak: %ld reservations, %llu committed bytes, %lu errors\n", c.reservations,
                    (unsigned long long)c.committed_bytes, c.errors);
        ret = -1;
    }
    native_memory_destroy(f->nm);
    core_free_fastlock(f->fast);
    free(f);
    return ret;
}

static uint32_t create_ok(struct fx *f, uint32_t device, uint32_t group)
{
    uint32_t handle = 0;

    assert_int_equal(core_create(f->mm, device, 4096, group, CV, &handle), STATUS_SUCCESS);
    return handle;
}

/* ---- Lock needs neither the table's mutex nor the GPU lock ---- */

struct holder
{
    struct vidmm_mutex *table, *gpu;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int holding, done, timed_out;
};

/* Holds the GPU lock and the table's mutex (as a create or destroy in
 * another thread does) until the main thread is done or the bound passes. */
static void *hold_locks(void *arg)
{
    struct holder *h = arg;
    struct timespec deadline;

    vidmm_mutex_lock(h->gpu);
    vidmm_mutex_lock(h->table);
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += HANG_SECONDS;
    pthread_mutex_lock(&h->lock);
    h->holding = 1;
    pthread_cond_broadcast(&h->cond);
    while (!h->done && !h->timed_out)
        if (pthread_cond_timedwait(&h->cond, &h->lock, &deadline)) h->timed_out = 1;
    pthread_mutex_unlock(&h->lock);
    vidmm_mutex_unlock(h->table);
    vidmm_mutex_unlock(h->gpu);
    return NULL;
}

/* Another thread takes the table mutex and the GPU lock and holds them
 * until stop_holder (or its own time-out, which the test then reports). */
static void start_holder(struct holder *h, pthread_t *thread, struct vidmm_mutex *table, struct vidmm_mutex *gpu)
{
    h->table = table;
    h->gpu = gpu;
    pthread_mutex_init(&h->lock, NULL);
    pthread_cond_init(&h->cond, NULL);
    assert_int_equal(pthread_create(thread, NULL, hold_locks, h), 0);
    pthread_mutex_lock(&h->lock);
    while (!h->holding) pthread_cond_wait(&h->cond, &h->lock);
    pthread_mutex_unlock(&h->lock);
}

/* Whether the holder timed out before the test was done. */
static int stop_holder(struct holder *h, pthread_t thread)
{
    int timed_out;

    pthread_mutex_lock(&h->lock);
    timed_out = h->timed_out;
    h->done = 1;
    pthread_cond_broadcast(&h->cond);
    pthread_mutex_unlock(&h->lock);
    pthread_join(thread, NULL);
    pthread_mutex_destroy(&h->lock);
    pthread_cond_destroy(&h->cond);
    return timed_out;
}

static void test_lock_takes_no_shared_lock(void **state)
{
    struct fx *f = *state;
    uint32_t local = create_ok(f, f->device, LOCAL), nonlocal = create_ok(f, f->device, NONLOCAL);
    struct vidmm_allocation *alloc = handle_table_lookup(&f->mm->table, local, VIDMM_OBJECT_ALLOCATION, NULL);
    struct holder h = {0};
    uint8_t *p1, *p2, *p3, *p4;
    NTSTATUS s[8];
    pthread_t thread;

    /* The first lock of each may do first-time work; the test is about the
     * common case of a resident, CPU-visible allocation. */
    assert_int_equal(core_lock(f->mm, f->device, local, 0, &p1), STATUS_SUCCESS);
    assert_int_equal(core_unlock(f->mm, f->device, local), STATUS_SUCCESS);
    assert_int_equal(core_lock(f->mm, f->device, nonlocal, 0, &p2), STATUS_SUCCESS);
    assert_int_equal(core_unlock(f->mm, f->device, nonlocal), STATUS_SUCCESS);

    start_holder(&h, &thread, &f->mm->table.lock, &alloc_gpu(alloc)->lock);

    s[0] = core_lock(f->mm, f->device, local, 0, &p1);
    s[1] = core_lock(f->mm, f->device, local, 0, &p3);       /* nested */
    s[2] = core_unlock(f->mm, f->device, local);
    s[3] = core_unlock(f->mm, f->device, local);
    s[4] = core_unlock(f->mm, f->device, local);             /* not locked any more */
    s[5] = core_lock(f->mm, f->device, nonlocal, 0, &p2);
    s[6] = core_unlock(f->mm, f->device, nonlocal);
    s[7] = core_lock(f->mm, f->device + 0x40, local, 0, &p4); /* not its device */

    assert_false(stop_holder(&h, thread));
    assert_int_equal(s[0], STATUS_SUCCESS);
    assert_int_equal(s[1], STATUS_SUCCESS);
    assert_ptr_equal(p3, p1);
    assert_int_equal(s[2], STATUS_SUCCESS);
    assert_int_equal(s[3], STATUS_SUCCESS);
    assert_int_equal(s[4], STATUS_INVALID_PARAMETER);
    assert_int_equal(s[5], STATUS_SUCCESS);
    assert_int_equal(s[6], STATUS_SUCCESS);
    assert_int_equal(s[7], STATUS_INVALID_PARAMETER);
}

/* QueryVideoMemoryInfo with nothing to change takes no lock another
 * thread (the pager committing a move, a list call's batch) may hold. */
static void test_query_takes_no_gpu_lock(void **state)
{
    struct fx *f = *state;
    uint32_t local = create_ok(f, f->device, LOCAL), nonlocal = create_ok(f, f->device, NONLOCAL);
    struct vidmm_allocation *alloc = handle_table_lookup(&f->mm->table, local, VIDMM_OBJECT_ALLOCATION, NULL);
    struct vidmm_query_video_memory_args q[2];
    struct holder h = {0};
    NTSTATUS s[2];
    pthread_t thread;
    int i;

    start_holder(&h, &thread, &f->mm->table.lock, &alloc_gpu(alloc)->lock);

    for (i = 0; i < 2; i++)
    {
        memset(&q[i], 0, sizeof(q[i]));
        q[i].adapter = f->adapter;
        q[i].group = i ? NONLOCAL : LOCAL;
        s[i] = vidmm_query_video_memory(f->mm, &q[i]);
    }

    assert_false(stop_holder(&h, thread));
    for (i = 0; i < 2; i++) assert_int_equal(s[i], STATUS_SUCCESS);
    assert_int_equal(q[0].usage, 4096);
    assert_int_equal(q[0].budget, 64 * 1024 * KB);
    assert_int_equal(q[1].usage, 4096);
    assert_int_equal(q[1].budget, 256 * 1024 * KB);
}

/* ---- lockers and a thread that creates and destroys ---- */

struct race
{
    struct fx *f;
    uint32_t own[LOCKERS];   /* one allocation per locker */
    _Atomic uint32_t victim; /* locked by every locker, destroyed by the churner */
    atomic_int lockers_done;
    int errors;
    pthread_mutex_t lock;
};

struct locker
{
    struct race *r;
    int id;
    char msg[160];
};

static void *locker_thread(void *arg)
{
    struct locker *l = arg;
    struct fx *f = l->r->f;
    uint32_t own = l->r->own[l->id], victim = atomic_load(&l->r->victim);
    uint8_t *p, *q;
    NTSTATUS s;
    int i;

    for (i = 0; i < ROUNDS && !l->msg[0]; i++)
    {
        if ((s = core_lock(f->mm, f->device, own, 0, &p)))
            snprintf(l->msg, sizeof(l->msg), "lock of its own allocation: %#x", (unsigned int)s);
        else if ((s = core_lock(f->mm, f->device, own, 0, &q)) || q != p)
            snprintf(l->msg, sizeof(l->msg), "nested lock: %#x, %p for %p", (unsigned int)s, q, p);
        else if (p[i % 4096] != (uint8_t)(i - 1) && i)
            snprintf(l->msg, sizeof(l->msg), "content lost at %d: %u", i, p[i % 4096]);
        else if (((p[(i + 1) % 4096] = (uint8_t)i), (s = core_unlock(f->mm, f->device, own))))
            snprintf(l->msg, sizeof(l->msg), "unlock: %#x", (unsigned int)s);
        else if ((s = core_unlock(f->mm, f->device, own)))
            snprintf(l->msg, sizeof(l->msg), "second unlock: %#x", (unsigned int)s);
        /* The victim may go at any moment: both statuses are fine, a crash
         * or any other status is not. */
        s = core_lock(f->mm, f->device, victim, 0, &q);
        if (s && s != STATUS_INVALID_PARAMETER)
            snprintf(l->msg, sizeof(l->msg), "lock of the victim: %#x", (unsigned int)s);
        if (!s && (s = core_unlock(f->mm, f->device, victim)) && s != STATUS_INVALID_PARAMETER)
            snprintf(l->msg, sizeof(l->msg), "unlock of the victim: %#x", (unsigned int)s);
        /* Lookups of values never handed out, or of the wrong type. */
        if ((s = core_lock(f->mm, f->device, own + 0x40000000u, 0, &q)) != STATUS_INVALID_PARAMETER
            || (s = core_lock(f->mm, own, own, 0, &q)) != STATUS_INVALID_PARAMETER)
            snprintf(l->msg, sizeof(l->msg), "bad handle: %#x", (unsigned int)s);
    }
    atomic_fetch_add(&l->r->lockers_done, 1);
    return NULL;
}

/* Creates and destroys allocations (the table grows and reuses entries) and
 * devices with allocations, and destroys the victim half way. */
static void *churn_thread(void *arg)
{
    struct race *r = arg;
    struct fx *f = r->f;
    uint32_t *handles = calloc(CHURN, sizeof(*handles)), device, h;
    int i, round = 0;

    do
    {
        for (i = 0; i < CHURN; i++)
            if (core_create(f->mm, f->device, 4096, i % 2 ? LOCAL : NONLOCAL, CV, &handles[i])) handles[i] = 0;
        if (round == 1 && core_destroy(f->mm, f->device, atomic_load(&r->victim)))
        {
            pthread_mutex_lock(&r->lock);
            r->errors++;
            pthread_mutex_unlock(&r->lock);
        }
        for (i = 0; i < CHURN; i++)
            if (handles[i]) core_destroy(f->mm, f->device, handles[i]);
        device = make_device(f);
        for (i = 0; i < 16; i++) core_create(f->mm, device, 4096, LOCAL, CV, &h);
        {
            struct vidmm_destroy_device_args d = {0};
            d.handle = device;
            vidmm_destroy_device(f->mm, &d);   /* with its allocations */
        }
        round++;
    } while (atomic_load(&r->lockers_done) < LOCKERS || round < 2);
    free(handles);
    return NULL;
}

static void test_lockers_race_create_destroy(void **state)
{
    struct fx *f = *state;
    struct locker lockers[LOCKERS];
    pthread_t threads[LOCKERS + 1];
    struct race r = {0};
    int i;

    r.f = f;
    pthread_mutex_init(&r.lock, NULL);
    for (i = 0; i < LOCKERS; i++) r.own[i] = create_ok(f, f->device, i ? NONLOCAL : LOCAL);
    atomic_store(&r.victim, create_ok(f, f->device, LOCAL));
    for (i = 0; i < LOCKERS; i++)
    {
        memset(&lockers[i], 0, sizeof(lockers[i]));
        lockers[i].r = &r;
        lockers[i].id = i;
        assert_int_equal(pthread_create(&threads[i], NULL, locker_thread, &lockers[i]), 0);
    }
    assert_int_equal(pthread_create(&threads[LOCKERS], NULL, churn_thread, &r), 0);
    for (i = 0; i <= LOCKERS; i++) pthread_join(threads[i], NULL);
    for (i = 0; i < LOCKERS; i++)
        if (lockers[i].msg[0]) fail_msg("locker %d: %s", i, lockers[i].msg);
    assert_int_equal(r.errors, 0);
    /* Every lock was matched: each allocation can be destroyed unlocked. */
    for (i = 0; i < LOCKERS; i++)
    {
        uint8_t *p;
        assert_int_equal(core_unlock(f->mm, f->device, r.own[i]), STATUS_INVALID_PARAMETER);
        assert_int_equal(core_lock(f->mm, f->device, r.own[i], 0, &p), STATUS_SUCCESS);
        assert_int_equal(core_unlock(f->mm, f->device, r.own[i]), STATUS_SUCCESS);
        assert_int_equal(core_destroy(f->mm, f->device, r.own[i]), STATUS_SUCCESS);
    }
    assert_int_equal(handle_table_count(&f->mm->table, VIDMM_OBJECT_ALLOCATION), 0);
    pthread_mutex_destroy(&r.lock);
}

/* ---- a Lock through a handle OpenResource has just published ---- */

struct open_race
{
    struct fx *f;
    _Atomic uint32_t next;      /* the alias handle the next open will return */
    atomic_int stop;
    atomic_ulong tries, locked;
};

/* OpenResource of one allocation's shared resource, into info and data. */
static void open_args(struct vidmm_open_resource_args *open, uint32_t device, uint32_t global_share,
                      struct vidmm_open_info *info, D3DKMT_WINE_ALLOCATION_DESC *data)
{
    memset(open, 0, sizeof(*open));
    open->device = device;
    open->global_share = global_share;
    open->count = 1;
    open->infos = (uintptr_t)info;
    open->total_data = (uintptr_t)data;
    open->total_size = sizeof(*data);
}

static void *lock_next_alias(void *arg)
{
    struct open_race *r = arg;
    uint8_t *p;

    while (!atomic_load(&r->stop))
    {
        uint32_t h = atomic_load(&r->next);

        atomic_fetch_add(&r->tries, 1);
        if (core_lock(r->f->mm, r->f->device, h, 0, &p)) continue;
        atomic_fetch_add(&r->locked, 1);
        core_unlock(r->f->mm, r->f->device, h);   /* fails if the open was undone meanwhile */
    }
    return NULL;
}

static void open_race_hung(int sig)
{
    static const char msg[] = "test_lock_during_open: a Lock or the open hung\n";

    (void)sig;
    if (write(2, msg, sizeof(msg) - 1) < 0) _exit(2);
    _exit(1);
}

/* Another thread locks each alias handle as soon as OpenResource could hand
 * it out.  From its first visibility the handle must act on the creator's
 * allocation: an alias seen before it was linked looked like video memory
 * without a CPU view, and its Lock evicted nothing, for ever, under the GPU
 * lock (and TSan saw the link written under a reader). */
static void test_lock_during_open(void **state)
{
    D3DKMT_WINE_ALLOCATION_DESC desc = core_desc(4096, LOCAL, CV), data;
    struct vidmm_create_allocation_args created;
    struct vidmm_destroy_allocation_args destroy;
    struct vidmm_open_resource_args open;
    struct vidmm_open_info info;
    struct open_race r = {0};
    struct fx *f = *state;
    uint32_t target, i;
    pthread_t thread;

    assert_int_equal(core_create_desc(f->mm, f->device, &desc, VIDMM_CREATE_RESOURCE | VIDMM_CREATE_SHARED, &target,
                                      &created), STATUS_SUCCESS);
    r.f = f;
    atomic_init(&r.next, target + 0x80);   /* the opened resource, then its allocation */
    signal(SIGALRM, open_race_hung);
    alarm(HANG_SECONDS);
    assert_int_equal(pthread_create(&thread, NULL, lock_next_alias, &r), 0);
    for (i = 0; i < OPENS; i++)
    {
        open_args(&open, f->device, created.global_share, &info, &data);
        assert_int_equal(vidmm_open_resource(f->mm, &open), STATUS_SUCCESS);
        assert_int_equal(info.handle, atomic_load(&r.next));   /* the racing thread aims right */
        atomic_store(&r.next, info.handle + 0x80);
        memset(&destroy, 0, sizeof(destroy));
        destroy.device = f->device;
        destroy.resource = open.resource;
        assert_int_equal(vidmm_destroy_allocation(f->mm, &destroy), STATUS_SUCCESS);
    }
    atomic_store(&r.stop, 1);
    pthread_join(thread, NULL);
    alarm(0);
    print_message("%u opens, %lu locks tried, %lu through a fresh alias\n", OPENS, atomic_load(&r.tries),
                  atomic_load(&r.locked));
    memset(&destroy, 0, sizeof(destroy));
    destroy.device = f->device;
    destroy.resource = created.resource;
    assert_int_equal(vidmm_destroy_allocation(f->mm, &destroy), STATUS_SUCCESS);
    assert_int_equal(handle_table_count(&f->mm->table, VIDMM_OBJECT_ALLOCATION), 0);
}

/* The opener's handles cannot all be published (the table is full after the
 * resource's): nothing is left of the open, the creator's allocation counts
 * no alias and goes with its last handle. */
static void test_open_fails_at_publish(void **state)
{
    D3DKMT_WINE_ALLOCATION_DESC desc = core_desc(4096, LOCAL, CV), data;
    struct vidmm_create_allocation_args created;
    struct vidmm_destroy_allocation_args destroy;
    struct vidmm_open_resource_args open;
    struct vidmm_allocation *target;
    struct vidmm_open_info info;
    struct fx *f = *state;
    uint32_t handle, saved;

    assert_int_equal(core_create_desc(f->mm, f->device, &desc, VIDMM_CREATE_RESOURCE | VIDMM_CREATE_SHARED, &handle,
                                      &created), STATUS_SUCCESS);
    saved = f->mm->table.max_live;
    f->mm->table.max_live = f->mm->table.live + 1;
    open_args(&open, f->device, created.global_share, &info, &data);
    assert_int_not_equal(vidmm_open_resource(f->mm, &open), STATUS_SUCCESS);
    f->mm->table.max_live = saved;
    assert_non_null(target = vidmm_get(f->mm, handle, VIDMM_OBJECT_ALLOCATION));
    assert_int_equal(alloc_ext(target)->aliases, 0);
    assert_int_equal(atomic_load(&target->obj.refs), 2);   /* the table's and ours */
    vidmm_put(f->mm, target);
    memset(&destroy, 0, sizeof(destroy));
    destroy.device = f->device;
    destroy.resource = created.resource;
    assert_int_equal(vidmm_destroy_allocation(f->mm, &destroy), STATUS_SUCCESS);
    assert_int_equal(handle_table_count(&f->mm->table, VIDMM_OBJECT_ALLOCATION), 0);
    assert_int_equal(handle_table_count(&f->mm->table, VIDMM_OBJECT_RESOURCE), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] =
    {
        cmocka_unit_test_setup_teardown(test_lock_takes_no_shared_lock, setup, teardown),
        cmocka_unit_test_setup_teardown(test_query_takes_no_gpu_lock, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lockers_race_create_destroy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lock_during_open, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_fails_at_publish, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
