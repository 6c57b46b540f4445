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
 * Unit tests of the synchronization objects and keyed mutexes of the core
 * (private/vidmm_sync.h): every status of the spec's matrix
 * (sync-objects.md §10) and the choices where it is silent, waiters woken
 * by signal, destroy and abandonment, and producer/consumer handoffs over a
 * keyed mutex and over monitored fences.  Also built with -fsanitize=thread.
 *
 * No elapsed time is asserted: a thread's state is observed through the
 * manager's waiter count, and timeouts appear only as STATUS_TIMEOUT.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <unistd.h>
#include <cmocka.h>

#include "private/vidmm.h"
#include "private/vidmm_sync.h"
#include "private/vidmm_alloc.h"
#include "native_memory.h"
#include "core_calls.h"
#include "sync_private.h"

#define LUID 0x1234ull
#define LOCAL_SIZE (1024ull * 1024)
#define ROUNDS 10000
#define EVENT_MAGIC 0x6576656e74ull

/* A test event: the value handed to the core is its address. */
struct event
{
    uint64_t magic;
    atomic_int set;
    atomic_int refs;
};

struct fx
{
    struct native_memory *nm;
    struct vidmm *mm;
    uint32_t adapter, device;
    struct event ev, ev2;
    atomic_int live_refs;   /* event references the core holds */
};

static NTSTATUS ref_event(void *ctx, uint64_t event, uint64_t *ref)
{
    struct fx *f = ctx;
    struct event *ev = (struct event *)(uintptr_t)event;

    if (ev != &f->ev && ev != &f->ev2) return STATUS_INVALID_HANDLE;
    atomic_fetch_add(&ev->refs, 1);
    atomic_fetch_add(&f->live_refs, 1);
    *ref = event;
    return STATUS_SUCCESS;
}

static void set_event(void *ctx, uint64_t ref)
{
    atomic_store(&((struct event *)(uintptr_t)ref)->set, 1);
}

static void unref_event(void *ctx, uint64_t ref)
{
    struct fx *f = ctx;

    atomic_fetch_sub(&((struct event *)(uintptr_t)ref)->refs, 1);
    atomic_fetch_sub(&f->live_refs, 1);
}

/* Reads and resets, as an auto-reset event. */
static int event_fired(struct event *ev)
{
    return atomic_exchange(&ev->set, 0);
}

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
    struct vidmm_sync_ops sops = {0};
    struct fx *f = calloc(1, sizeof(*f));

    if (!f || !(f->nm = native_memory_create())) return -1;
    native_memory_ops(f->nm, &ops);
    if (vidmm_create(&ops, VIDMM_CREATE_TEST_CONTROL, &f->mm)) return -1;
    f->ev.magic = f->ev2.magic = EVENT_MAGIC;
    sops.ctx = f;
    sops.ref_event = ref_event;
    sops.set_event = set_event;
    sops.unref_event = unref_event;
    if (vidmm_sync_set_ops(f->mm, &sops)) return -1;
    open.luid = LUID;
    open.local_size = LOCAL_SIZE;
    open.nonlocal_size = LOCAL_SIZE;
    open.source_count = 1;
    if (vidmm_open_adapter(f->mm, &open)) return -1;
    f->adapter = open.handle;
    f->device = make_device(f);
    alarm(60);   /* a hang is a failure, not a stuck CI job */
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct native_memory_counters c;
    struct fx *f = *state;
    int ret = 0;

    alarm(0);
    vidmm_alloc_fail_after(-1, 0);
    vidmm_destroy(f->mm);
    native_memory_get_counters(f->nm, &c);
    if (c.reservations || c.committed_bytes || c.errors || atomic_load(&f->live_refs))
    {
        print_error("leak: %ld reservations, %llu committed bytes, %lu errors, %d event refs\n", c.reservations,
                    (unsigned long long)c.committed_bytes, c.errors, atomic_load(&f->live_refs));
        ret = -1;
    }
    native_memory_destroy(f->nm);
    free(f);
    return ret;
}

/* ---- helpers ---- */

static NTSTATUS create_sync(struct fx *f, uint32_t version, uint32_t type, uint32_t flags,
                            struct vidmm_sync_create_args *out)
{
    struct vidmm_sync_create_args args = {0};

    args.device = f->device;
    args.version = version;
    args.type = type;
    args.flags = flags;
    if (out)
    {
        args.fence_value = out->fence_value;
        args.event = out->event;
        args.max_count = out->max_count;
        args.initial_count = out->initial_count;
        if (out->device) args.device = out->device;
    }
    NTSTATUS status;

    status = vidmm_sync_create(f->mm, &args);
    if (out) *out = args;
    return status;
}

static uint32_t make_fence(struct fx *f, uint64_t initial, volatile uint64_t **va)
{
    struct vidmm_sync_create_args args = {0};

    args.fence_value = initial;
    assert_int_equal(create_sync(f, 2, VIDMM_SYNC_MONITORED_FENCE, 0, &args), STATUS_SUCCESS);
    if (va) *va = (volatile uint64_t *)(uintptr_t)args.fence_cpu_va;
    return args.handle;
}

static NTSTATUS signal_n(struct fx *f, uint32_t count, const uint32_t *handles, const uint64_t *values, uint32_t flags)
{
    struct vidmm_sync_signal_args args = {0};

    args.device = f->device;
    args.count = count;
    args.handles = (uintptr_t)handles;
    args.values = (uintptr_t)values;
    args.flags = flags;
    return vidmm_sync_signal_cpu(f->mm, &args);
}

static NTSTATUS signal1(struct fx *f, uint32_t handle, uint64_t value, uint32_t flags)
{
    return signal_n(f, 1, &handle, &value, flags);
}

static NTSTATUS wait_n(struct fx *f, uint32_t count, const uint32_t *handles, const uint64_t *values,
                       struct event *ev, uint32_t flags)
{
    struct vidmm_sync_wait_args args = {0};

    args.device = f->device;
    args.count = count;
    args.handles = (uintptr_t)handles;
    args.values = (uintptr_t)values;
    args.event = (uintptr_t)ev;
    args.flags = flags;
    return vidmm_sync_wait_cpu(f->mm, &args);
}

static NTSTATUS wait1(struct fx *f, uint32_t handle, uint64_t value, struct event *ev)
{
    return wait_n(f, 1, &handle, &value, ev, 0);
}

static uint64_t fence_value(volatile uint64_t *va)
{
    return __atomic_load_n(va, __ATOMIC_ACQUIRE);
}

static uint32_t waiters(struct fx *f)
{
    struct vidmm_sync_stats stats;

    vidmm_sync_get_stats(f->mm, &stats);
    return stats.waiters;
}

/* Until `count` waits are registered: observes state, measures no time. */
static void wait_for_waiters(struct fx *f, uint32_t count)
{
    while (waiters(f) < count) sched_yield();
}

static uint32_t next_local(struct fx *f)
{
    struct vidmm_create_device_args dev = {0};
    struct vidmm_destroy_device_args destroy = {0};

    dev.adapter = f->adapter;
    assert_int_equal(vidmm_create_device(f->mm, &dev), STATUS_SUCCESS);
    destroy.handle = dev.handle;
    assert_int_equal(vidmm_destroy_device(f->mm, &destroy), STATUS_SUCCESS);
    return dev.handle;
}

static NTSTATUS km_create(struct fx *f, uint64_t initial, const void *data, uint32_t size, uint32_t flags,
                          uint32_t *handle, uint32_t *global)
{
    struct vidmm_keyed_mutex_create_args args = {0};
    NTSTATUS status;

    args.initial_value = initial;
    args.private_data = (uintptr_t)data;
    args.private_size = size;
    args.flags = flags;
    args.handle = args.shared_handle = 0xdeadbeef;
    status = vidmm_keyed_mutex_create(f->mm, &args);
    if (handle) *handle = args.handle;
    if (global) *global = args.shared_handle;
    return status;
}

static NTSTATUS km_open(struct fx *f, uint32_t global, const void *data, uint32_t size, uint32_t *handle)
{
    struct vidmm_keyed_mutex_open_args args = {0};
    NTSTATUS status;

    args.shared_handle = global;
    args.private_data = (uintptr_t)data;
    args.private_size = size;
    status = vidmm_keyed_mutex_open(f->mm, &args);
    if (handle) *handle = args.handle;
    return status;
}

static NTSTATUS km_acquire_ex(struct vidmm *mm, uint32_t handle, uint64_t key, const int64_t *timeout,
                              uint64_t *fence, void *data, uint32_t size)
{
    struct vidmm_keyed_mutex_acquire_args args = {0};
    NTSTATUS status;

    args.handle = handle;
    args.key = key;
    args.has_timeout = timeout != NULL;
    args.timeout = timeout ? *timeout : 0;
    args.fence_value = *fence;
    args.private_data = (uintptr_t)data;
    args.private_size = size;
    status = vidmm_keyed_mutex_acquire(mm, &args);
    *fence = args.fence_value;
    return status;
}

static const int64_t ten_ms = -100000;   /* relative, 100 ns units */

static NTSTATUS km_acquire(struct fx *f, uint32_t handle, uint64_t key, uint64_t *fence)
{
    return km_acquire_ex(f->mm, handle, key, &ten_ms, fence, NULL, 0);
}

static NTSTATUS km_release_ex(struct vidmm *mm, uint32_t handle, uint64_t key, uint64_t fence, const void *data,
                              uint32_t size)
{
    struct vidmm_keyed_mutex_release_args args = {0};

    args.handle = handle;
    args.key = key;
    args.fence_value = fence;
    args.private_data = (uintptr_t)data;
    args.private_size = size;
    return vidmm_keyed_mutex_release(mm, &args);
}

static NTSTATUS km_release(struct fx *f, uint32_t handle, uint64_t key, uint64_t fence)
{
    return km_release_ex(f->mm, handle, key, fence, NULL, 0);
}

/* ---- create / open / destroy ---- */

static void test_create_v1(void **state)
{
    struct fx *f = *state;
    struct vidmm_sync_create_args args = {0};
    uint32_t first, second, before;

    args.version = 1;
    args.type = VIDMM_SYNC_MUTEX;
    assert_int_equal(vidmm_sync_create(f->mm, &args), STATUS_INVALID_PARAMETER);   /* hDevice 0 [WIN] */
    args.device = f->device + 0x1000;
    assert_int_equal(vidmm_sync_create(f->mm, &args), STATUS_INVALID_PARAMETER);   /* stale */
    memset(&args, 0, sizeof(args));
    assert_int_equal(create_sync(f, 1, 0, 0, NULL), STATUS_INVALID_PARAMETER);
    assert_int_equal(create_sync(f, 1, VIDMM_SYNC_FENCE, 0, NULL), STATUS_INVALID_PARAMETER);     /* [WIN] */
    assert_int_equal(create_sync(f, 1, VIDMM_SYNC_CPU_NOTIFICATION, 0, NULL), STATUS_INVALID_PARAMETER);
    assert_int_equal(create_sync(f, 1, VIDMM_SYNC_MONITORED_FENCE, 0, NULL), STATUS_INVALID_PARAMETER);
    assert_int_equal(create_sync(f, 1, 7, 0, NULL), STATUS_INVALID_PARAMETER);
    assert_int_equal(create_sync(f, 1, VIDMM_SYNC_MUTEX, VIDMM_SYNC_FLAG_SHARED, NULL), STATUS_INVALID_PARAMETER);
    assert_int_equal(create_sync(f, 3, VIDMM_SYNC_MUTEX, 0, NULL), STATUS_INVALID_PARAMETER);

    /* Failed calls took no handle: the next one follows the last object. */
    before = next_local(f);
    assert_int_equal(create_sync(f, 1, VIDMM_SYNC_MUTEX, 0, &args), STATUS_SUCCESS);
    first = args.handle;
    assert_int_equal(first, before + 0x40);
    assert_int_equal(first & 0x3f, 0);
    assert_int_equal(first & 0xc0000000u, 0xc0000000u);
    assert_int_equal(args.shared_handle, 0);
    assert_int_equal(create_sync(f, 1, VIDMM_SYNC_MUTEX, 0, &args), STATUS_SUCCESS);
    second = args.handle;
    assert_int_equal(second, first + 0x40);
    assert_int_equal(create_sync(f, 1, VIDMM_SYNC_SEMAPHORE, 0, NULL), STATUS_SUCCESS);   /* 0/0 [WIN] */

    assert_int_equal(vidmm_sync_destroy(f->mm, first), STATUS_SUCCESS);
    assert_int_equal(vidmm_sync_destroy(f->mm, first), STATUS_INVALID_PARAMETER);       /* twice [WIN] */
    assert_int_equal(vidmm_sync_destroy(f->mm, 0), STATUS_INVALID_PARAMETER);
    assert_int_equal(vidmm_sync_destroy(f->mm, f->device), STATUS_INVALID_PARAMETER);   /* wrong type */
    /* Destroyed handles are not reused. */
    assert_int_equal(create_sync(f, 1, VIDMM_SYNC_MUTEX, 0, &args), STATUS_SUCCESS);
    assert_int_not_equal(args.handle, first);
}

static void test_create_v2(void **state)
{
    struct fx *f = *state;
    struct vidmm_sync_create_args args = {0};
    struct vidmm_sync_stats stats;

    assert_int_equal(create_sync(f, 2, 0, 0, NULL), STATUS_INVALID_PARAMETER);
    assert_int_equal(create_sync(f, 2, VIDMM_SYNC_MUTEX, 0, NULL), STATUS_SUCCESS);
    assert_int_equal(create_sync(f, 2, VIDMM_SYNC_SEMAPHORE, 0, NULL), STATUS_SUCCESS);
    assert_int_equal(create_sync(f, 2, VIDMM_SYNC_FENCE, 0, NULL), STATUS_SUCCESS);
    assert_int_equal(create_sync(f, 2, VIDMM_SYNC_MONITORED_FENCE, 0, NULL), STATUS_SUCCESS);
    /* Choice: periodic monitored fences need VSync; refused. */
    assert_int_equal(create_sync(f, 2, VIDMM_SYNC_PERIODIC_MONITORED_FENCE, 0, NULL), STATUS_INVALID_PARAMETER);
    assert_int_equal(create_sync(f, 2, 7, 0, NULL), STATUS_INVALID_PARAMETER);

    /* Choice: a semaphore may not start above its maximum. */
    args.max_count = 1;
    args.initial_count = 2;
    assert_int_equal(create_sync(f, 2, VIDMM_SYNC_SEMAPHORE, 0, &args), STATUS_INVALID_PARAMETER);
    memset(&args, 0, sizeof(args));
    args.max_count = 2;
    args.initial_count = 2;
    assert_int_equal(create_sync(f, 2, VIDMM_SYNC_SEMAPHORE, 0, &args), STATUS_SUCCESS);

    /* CPU notification: a NULL event is IH [WIN], a bad one too (choice). */
    memset(&args, 0, sizeof(args));
    assert_int_equal(create_sync(f, 2, VIDMM_SYNC_CPU_NOTIFICATION, 0, &args), STATUS_INVALID_HANDLE);
    args.event = 0x1234;
    assert_int_equal(create_sync(f, 2, VIDMM_SYNC_CPU_NOTIFICATION, 0, &args), STATUS_INVALID_HANDLE);
    assert_int_equal(atomic_load(&f->live_refs), 0);
    memset(&args, 0, sizeof(args));
    args.event = (uintptr_t)&f->ev;
    assert_int_equal(create_sync(f, 2, VIDMM_SYNC_CPU_NOTIFICATION, 0, &args), STATUS_SUCCESS);
    assert_int_equal(atomic_load(&f->ev.refs), 1);   /* it keeps its own reference */
    vidmm_sync_get_stats(f->mm, &stats);
    assert_int_equal(stats.sync_objects, 6);
    assert_int_equal(vidmm_sync_destroy(f->mm, args.handle), STATUS_SUCCESS);
    assert_int_equal(atomic_load(&f->ev.refs), 0);
    assert_int_equal(event_fired(&f->ev), 0);
}

static void test_create_flags(void **state)
{
    struct fx *f = *state;
    struct vidmm_sync_create_args args = {0};
    struct vidmm_sync_open_args open = {0};

    assert_int_equal(create_sync(f, 2, VIDMM_SYNC_MUTEX, VIDMM_SYNC_FLAG_SHARED, &args), STATUS_SUCCESS);
    assert_int_equal(args.shared_handle & 0x3f, 2);   /* global form [WIN] */
    assert_int_equal(args.shared_handle & 0xc0000000u, 0xc0000000u);
    /* Destroy with the global handle is IP and leaves the object [WIN]. */
    assert_int_equal(vidmm_sync_destroy(f->mm, args.shared_handle), STATUS_INVALID_PARAMETER);
    open.shared_handle = args.shared_handle;
    assert_int_equal(vidmm_sync_open(f->mm, &open), STATUS_SUCCESS);

    memset(&args, 0, sizeof(args));
    args.shared_handle = 0xdeadbeef;
    assert_int_equal(create_sync(f, 2, VIDMM_SYNC_MUTEX, VIDMM_SYNC_FLAG_SHARED | VIDMM_SYNC_FLAG_NT_SECURITY, &args),
                     STATUS_SUCCESS);
    assert_int_equal(args.shared_handle, 0);   /* no global handle [WIN] */
    assert_int_equal(create_sync(f, 2, VIDMM_SYNC_MUTEX, VIDMM_SYNC_FLAG_NT_SECURITY, NULL), STATUS_INVALID_PARAMETER);
    assert_int_equal(create_sync(f, 2, VIDMM_SYNC_MUTEX, 0x400, NULL), STATUS_INVALID_PARAMETER);   /* reserved */
    assert_int_equal(create_sync(f, 2, VIDMM_SYNC_MUTEX, 0x80000000u, NULL), STATUS_INVALID_PARAMETER);
    /* Monitored fences share only through NT handles [DOC]. */
    assert_int_equal(create_sync(f, 2, VIDMM_SYNC_MONITORED_FENCE, VIDMM_SYNC_FLAG_SHARED, NULL),
                     STATUS_INVALID_PARAMETER);
    assert_int_equal(create_sync(f, 2, VIDMM_SYNC_MONITORED_FENCE, VIDMM_SYNC_FLAG_SHARED | VIDMM_SYNC_FLAG_NT_SECURITY,
                                 NULL), STATUS_SUCCESS);
    assert_int_equal(create_sync(f, 2, VIDMM_SYNC_MONITORED_FENCE, VIDMM_SYNC_FLAG_NO_SIGNAL | VIDMM_SYNC_FLAG_NO_WAIT,
                                 NULL), STATUS_INVALID_PARAMETER);
    assert_int_equal(create_sync(f, 2, VIDMM_SYNC_MONITORED_FENCE, VIDMM_SYNC_FLAG_NO_SIGNAL, NULL), STATUS_SUCCESS);
}

static void test_open_global(void **state)
{
    struct fx *f = *state;
    struct vidmm_sync_create_args args = {0};
    struct vidmm_sync_open_args open = {0};
    uint32_t opened, global;

    assert_int_equal(create_sync(f, 2, VIDMM_SYNC_SEMAPHORE, VIDMM_SYNC_FLAG_SHARED, &args), STATUS_SUCCESS);
    global = args.shared_handle;
    open.shared_handle = 0;
    assert_int_equal(vidmm_sync_open(f->mm, &open), STATUS_INVALID_PARAMETER);
    open.shared_handle = 0x1eadbeed;
    assert_int_equal(vidmm_sync_open(f->mm, &open), STATUS_INVALID_PARAMETER);
    open.shared_handle = args.handle;   /* a local handle is not a global one */
    assert_int_equal(vidmm_sync_open(f->mm, &open), STATUS_INVALID_PARAMETER);

    open.shared_handle = global;
    assert_int_equal(vidmm_sync_open(f->mm, &open), STATUS_SUCCESS);
    assert_int_equal(open.handle, args.handle + 0x40);   /* the next local handle */
    assert_int_equal(open.type, VIDMM_SYNC_SEMAPHORE);
    opened = open.handle;
    assert_int_equal(vidmm_sync_open(f->mm, &open), STATUS_SUCCESS);
    assert_int_equal(open.handle, opened + 0x40);

    /* The creator's handle is not special [WIN]. */
    assert_int_equal(vidmm_sync_destroy(f->mm, args.handle), STATUS_SUCCESS);
    assert_int_equal(vidmm_sync_open(f->mm, &open), STATUS_SUCCESS);
    assert_int_equal(vidmm_sync_destroy(f->mm, open.handle), STATUS_SUCCESS);
    assert_int_equal(vidmm_sync_destroy(f->mm, opened), STATUS_SUCCESS);
    assert_int_equal(vidmm_sync_destroy(f->mm, opened + 0x40), STATUS_SUCCESS);
    /* The global handle died with the last local one [WIN]. */
    assert_int_equal(vidmm_sync_open(f->mm, &open), STATUS_INVALID_PARAMETER);
}

struct blocked
{
    struct fx *f;
    uint32_t count, flags;
    uint32_t handles[3];
    uint64_t values[3];
    atomic_int returned;
    NTSTATUS status;
};

static void *blocked_wait(void *arg)
{
    struct blocked *b = arg;

    b->status = wait_n(b->f, b->count, b->handles, b->values, NULL, b->flags);
    atomic_store(&b->returned, 1);
    return NULL;
}

/* The paging queue's fence is a handle of another kind: refused, never
 * taken for one of these objects. */
static void test_paging_fence_handle(void **state)
{
    struct fx *f = *state;
    struct vidmm_paging_queue_args queue = {0};
    struct vidmm_sync_create_args args = {0};

    queue.device = f->device;
    assert_int_equal(vidmm_create_paging_queue(f->mm, &queue), STATUS_SUCCESS);
    assert_int_equal(create_sync(f, 2, VIDMM_SYNC_MONITORED_FENCE, 0, &args), STATUS_SUCCESS);
    assert_int_equal(args.handle, queue.sync_object + 0x40);   /* one sequence for every object */
    assert_int_equal(signal1(f, queue.sync_object, 1, 0), STATUS_INVALID_PARAMETER);
    /* A CPU wait takes it (spec §5.3); it is at the completed value already. */
    assert_int_equal(wait1(f, queue.sync_object, 0, &f->ev), STATUS_SUCCESS);
    assert_true(event_fired(&f->ev));
    assert_int_equal(vidmm_sync_destroy(f->mm, queue.sync_object), STATUS_INVALID_PARAMETER);
    assert_int_equal(vidmm_destroy_paging_queue(f->mm, queue.handle), STATUS_SUCCESS);
    /* It went with the queue. */
    assert_int_equal(wait1(f, queue.sync_object, 0, NULL), STATUS_INVALID_PARAMETER);
}

static uint32_t residency_of(struct fx *f, uint32_t handle)
{
    uint32_t value = 0;

    assert_int_equal(core_list_call(f->mm, vidmm_query_residency, f->device, handle, 0, 0, &value), STATUS_SUCCESS);
    return value;
}

/* MakeResident -> STATUS_PENDING -> the pager signals the queue's fence:
 * an asynchronous wait gets its event, a blocked one returns, and the
 * value the application reads reaches PagingFenceValue. */
static void test_paging_fence_signalled(void **state)
{
    struct fx *f = *state;
    struct vidmm_paging_queue_args queue = {0};
    struct vidmm_list_args mr = {0};
    volatile uint64_t *va;
    struct blocked b = {0};
    pthread_t thread;
    uint32_t a, c;
    uint8_t *p;

    queue.device = f->device;
    assert_int_equal(vidmm_create_paging_queue(f->mm, &queue), STATUS_SUCCESS);
    va = (volatile uint64_t *)(uintptr_t)queue.fence_cpu_va;
    assert_int_equal(core_create(f->mm, f->device, LOCAL_SIZE, VIDMM_SEGMENT_GROUP_LOCAL, 0, &a), STATUS_SUCCESS);
    assert_int_equal(core_lock(f->mm, f->device, a, 0, &p), STATUS_SUCCESS);
    memset(p, 0x5a, LOCAL_SIZE);
    assert_int_equal(core_unlock(f->mm, f->device, a), STATUS_SUCCESS);
    assert_int_equal(core_create(f->mm, f->device, LOCAL_SIZE / 2, VIDMM_SEGMENT_GROUP_LOCAL, 0, &c), STATUS_SUCCESS);
    assert_int_not_equal(residency_of(f, a), VIDMM_RESIDENCY_IN_GPU_MEMORY);   /* c pushed it out */

    assert_int_equal(core_escape(f->mm, f->adapter, D3DKMT_WINE_ESCAPE_PAUSE_PAGER, 0, NULL), STATUS_SUCCESS);
    mr.device = queue.handle;
    mr.handles = (uintptr_t)&a;
    mr.count = 1;
    assert_int_equal(vidmm_make_resident(f->mm, &mr), STATUS_PENDING);
    assert_true(*va < mr.fence);
    /* Paging in flight: a Lock that may not wait is refused. */
    assert_int_equal(core_lock(f->mm, f->device, a, VIDMM_LOCK_DONOT_WAIT, &p), STATUS_GRAPHICS_ALLOCATION_BUSY);
    assert_int_equal(wait1(f, queue.sync_object, mr.fence, &f->ev), STATUS_SUCCESS);
    assert_false(event_fired(&f->ev));
    b.f = f;
    b.count = 1;
    b.handles[0] = queue.sync_object;
    b.values[0] = mr.fence;
    assert_int_equal(pthread_create(&thread, NULL, blocked_wait, &b), 0);
    wait_for_waiters(f, 2);
    assert_false(atomic_load(&b.returned));

    assert_int_equal(core_escape(f->mm, f->adapter, D3DKMT_WINE_ESCAPE_RESUME_PAGER, 0, NULL), STATUS_SUCCESS);
    pthread_join(thread, NULL);
    assert_int_equal(b.status, STATUS_SUCCESS);
    /* The pager sets the event after it drops the sync lock, so it may come
     * just after the blocked thread returns (a lost one hangs: alarm). */
    while (!event_fired(&f->ev)) sched_yield();
    assert_true(*va >= mr.fence);
    assert_int_equal(residency_of(f, a), VIDMM_RESIDENCY_IN_GPU_MEMORY);
    assert_int_equal(core_lock(f->mm, f->device, a, 0, &p), STATUS_SUCCESS);
    assert_int_equal(p[0], 0x5a);
    assert_int_equal(p[LOCAL_SIZE - 1], 0x5a);
    assert_int_equal(core_unlock(f->mm, f->device, a), STATUS_SUCCESS);
    assert_int_equal(vidmm_destroy_paging_queue(f->mm, queue.handle), STATUS_SUCCESS);
}

/* Destroying the device while a thread waits on its paging fence wakes it. */
static void test_paging_fence_device_destroy(void **state)
{
    struct fx *f = *state;
    struct vidmm_paging_queue_args queue = {0};
    struct vidmm_destroy_device_args destroy = {0};
    struct blocked b = {0};
    pthread_t thread;

    queue.device = f->device;
    assert_int_equal(vidmm_create_paging_queue(f->mm, &queue), STATUS_SUCCESS);
    b.f = f;
    b.count = 1;
    b.handles[0] = queue.sync_object;
    b.values[0] = 1000;
    assert_int_equal(pthread_create(&thread, NULL, blocked_wait, &b), 0);
    wait_for_waiters(f, 1);
    destroy.handle = f->device;
    assert_int_equal(vidmm_destroy_device(f->mm, &destroy), STATUS_SUCCESS);
    pthread_join(thread, NULL);
    assert_int_equal(b.status, STATUS_DEVICE_REMOVED);
    f->device = make_device(f);
}

static void test_create_out_of_memory(void **state)
{
    struct fx *f = *state;
    struct vidmm_sync_create_args args = {0};
    struct vidmm_sync_stats stats;
    NTSTATUS status;
    long n;

    for (n = 0;; n++)
    {
        vidmm_alloc_fail_after(n, 0);
        memset(&args, 0, sizeof(args));
        args.event = (uintptr_t)&f->ev;
        status = create_sync(f, 2, VIDMM_SYNC_CPU_NOTIFICATION, VIDMM_SYNC_FLAG_SHARED, &args);
        vidmm_alloc_fail_after(-1, 0);
        if (!status) break;
        assert_int_equal(status, STATUS_NO_MEMORY);
        vidmm_sync_get_stats(f->mm, &stats);
        assert_int_equal(stats.sync_handles, 0);
        assert_int_equal(atomic_load(&f->live_refs), 0);
    }
    assert_true(n > 0);
    native_memory_fail_commit_after(f->nm, 0, 0);
    assert_int_equal(create_sync(f, 2, VIDMM_SYNC_MONITORED_FENCE, 0, NULL), STATUS_NO_MEMORY);
    native_memory_fail_commit_after(f->nm, -1, 0);
}

/* ---- monitored fences: CPU signal and wait ---- */

static void test_fence_value_memory(void **state)
{
    struct fx *f = *state;
    volatile uint64_t *va;
    uint32_t fence = make_fence(f, 1, &va);

    assert_non_null(va);
    assert_int_equal((uintptr_t)va % 8, 0);
    assert_true(native_memory_is_committed(f->nm, (const void *)va, 8));   /* memory of the memory ops */
    assert_int_equal(fence_value(va), 1);
    assert_int_equal(signal1(f, fence, 0xfffffffffffffff0ull, 0), STATUS_SUCCESS);
    assert_true(fence_value(va) == 0xfffffffffffffff0ull);
    assert_int_equal(vidmm_sync_destroy(f->mm, fence), STATUS_SUCCESS);
    assert_false(native_memory_is_committed(f->nm, (const void *)va, 8));   /* released with it */
}

/* The spec's sequence (§10.8), fence created with the initial value 1. */
static void test_signal_wait_async(void **state)
{
    struct fx *f = *state;
    volatile uint64_t *va;
    uint32_t fence = make_fence(f, 1, &va);

    assert_int_equal(wait1(f, fence, 0, &f->ev), STATUS_SUCCESS);
    assert_true(event_fired(&f->ev));   /* already satisfied: set at once */
    assert_int_equal(wait1(f, fence, 1, &f->ev), STATUS_SUCCESS);
    assert_true(event_fired(&f->ev));
    assert_int_equal(wait1(f, fence, 2, &f->ev), STATUS_SUCCESS);   /* returns at once */
    assert_false(event_fired(&f->ev));
    assert_int_equal(waiters(f), 1);
    assert_int_equal(signal1(f, fence, 2, 0), STATUS_SUCCESS);
    assert_true(event_fired(&f->ev));
    assert_int_equal(waiters(f), 0);

    /* A rewind needs AllowFenceRewind [WIN]; nothing changes without it. */
    assert_int_equal(signal1(f, fence, 1, 0), STATUS_INVALID_PARAMETER);
    assert_int_equal(fence_value(va), 2);
    assert_int_equal(signal1(f, fence, 2, 0), STATUS_SUCCESS);   /* choice: the same value is no rewind */
    assert_int_equal(signal1(f, fence, 1, VIDMM_SIGNAL_ALLOW_FENCE_REWIND), STATUS_SUCCESS);
    assert_int_equal(fence_value(va), 1);
    assert_int_equal(wait1(f, fence, 2, &f->ev), STATUS_SUCCESS);
    assert_false(event_fired(&f->ev));
    assert_int_equal(signal1(f, fence, 2, 0), STATUS_SUCCESS);
    assert_true(event_fired(&f->ev));
    assert_int_equal(atomic_load(&f->live_refs), 0);   /* a fired wait lets its event go */
}

static void test_signal_bad_input(void **state)
{
    struct fx *f = *state;
    struct vidmm_sync_create_args args = {0};
    volatile uint64_t *va, *va2;
    uint32_t fence = make_fence(f, 5, &va), fence2 = make_fence(f, 5, &va2), km, other;
    uint32_t handles[VIDMM_SYNC_MAX_SIGNAL_OBJECTS + 1];
    uint64_t values[VIDMM_SYNC_MAX_SIGNAL_OBJECTS + 1];
    uint32_t types[] = {VIDMM_SYNC_MUTEX, VIDMM_SYNC_SEMAPHORE, VIDMM_SYNC_FENCE};
    struct vidmm_sync_signal_args sig = {0};
    unsigned int i;

    for (i = 0; i <= VIDMM_SYNC_MAX_SIGNAL_OBJECTS; i++)
    {
        handles[i] = fence;
        values[i] = 6 + i;
    }
    assert_int_equal(signal_n(f, 0, handles, values, 0), STATUS_INVALID_PARAMETER);
    assert_int_equal(signal_n(f, VIDMM_SYNC_MAX_SIGNAL_OBJECTS + 1, handles, values, 0), STATUS_INVALID_PARAMETER);
    assert_int_equal(signal_n(f, 1, NULL, values, 0), STATUS_INVALID_PARAMETER);
    assert_int_equal(signal_n(f, 1, handles, NULL, 0), STATUS_INVALID_PARAMETER);
    assert_int_equal(signal_n(f, 1, handles, values, 0x8), STATUS_INVALID_PARAMETER);   /* reserved */
    assert_int_equal(signal_n(f, 1, handles, values, VIDMM_SIGNAL_ENQUEUE_CPU_EVENT), STATUS_INVALID_PARAMETER);
    sig.count = 1;
    sig.handles = (uintptr_t)handles;
    sig.values = (uintptr_t)values;
    assert_int_equal(vidmm_sync_signal_cpu(f->mm, &sig), STATUS_INVALID_PARAMETER);   /* hDevice 0 */
    assert_int_equal(fence_value(va), 5);
    assert_int_equal(signal_n(f, VIDMM_SYNC_MAX_SIGNAL_OBJECTS, handles, values, 0), STATUS_SUCCESS);   /* max */
    assert_int_equal(fence_value(va), 5 + VIDMM_SYNC_MAX_SIGNAL_OBJECTS);
    assert_int_equal(signal1(f, fence, 5, VIDMM_SIGNAL_ALLOW_FENCE_REWIND), STATUS_SUCCESS);

    /* Types only GPU contexts signal [WIN]; all or nothing with a good fence first. */
    for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
    {
        memset(&args, 0, sizeof(args));
        assert_int_equal(create_sync(f, 2, types[i], 0, &args), STATUS_SUCCESS);
        handles[0] = fence2;
        handles[1] = args.handle;
        values[0] = values[1] = 9;
        assert_int_equal(signal_n(f, 2, handles, values, 0), STATUS_INVALID_PARAMETER);
        assert_int_equal(wait_n(f, 2, handles, values, &f->ev, 0), STATUS_INVALID_PARAMETER);
        assert_int_equal(fence_value(va2), 5);
    }
    assert_int_equal(km_create(f, 0, NULL, 0, 0, &km, NULL), STATUS_SUCCESS);
    assert_int_equal(signal1(f, km, 9, 0), STATUS_INVALID_PARAMETER);
    handles[1] = fence2 + 0x1000;   /* stale */
    assert_int_equal(signal_n(f, 2, handles, values, 0), STATUS_INVALID_PARAMETER);
    assert_int_equal(fence_value(va2), 5);

    /* An entry is checked against the value the earlier ones leave. */
    handles[0] = handles[1] = fence;
    values[0] = 8;
    values[1] = 7;
    assert_int_equal(signal_n(f, 2, handles, values, 0), STATUS_INVALID_PARAMETER);
    assert_int_equal(fence_value(va), 5);
    values[1] = 9;
    assert_int_equal(signal_n(f, 2, handles, values, 0), STATUS_SUCCESS);
    assert_int_equal(fence_value(va), 9);

    /* A device in error, and a destroyed one. */
    other = make_device(f);
    assert_int_equal(vidmm_mark_device_error(f->mm, other, 0x80000000u), STATUS_SUCCESS);
    sig.device = other;
    assert_int_equal(vidmm_sync_signal_cpu(f->mm, &sig), STATUS_DEVICE_REMOVED);
    assert_int_equal(fence_value(va), 9);
    memset(&args, 0, sizeof(args));
    args.device = other;
    assert_int_equal(create_sync(f, 2, VIDMM_SYNC_MONITORED_FENCE, 0, &args), STATUS_DEVICE_REMOVED);
    {
        struct vidmm_sync_wait_args wait = {0};

        wait.device = other;
        wait.count = 1;
        wait.handles = (uintptr_t)handles;
        wait.values = (uintptr_t)values;
        wait.event = (uintptr_t)&f->ev;
        assert_int_equal(vidmm_sync_wait_cpu(f->mm, &wait), STATUS_DEVICE_REMOVED);
        assert_int_equal(waiters(f), 0);
    }
}

static void test_wait_bad_input(void **state)
{
    struct fx *f = *state;
    uint32_t fence = make_fence(f, 1, NULL);
    uint32_t handles[2] = {fence, fence};
    uint64_t values[2] = {5, 5};
    struct vidmm_sync_wait_args args = {0};

    assert_int_equal(wait_n(f, 0, handles, values, &f->ev, 0), STATUS_INVALID_PARAMETER);
    assert_int_equal(wait_n(f, VIDMM_SYNC_MAX_WAIT_OBJECTS + 1, handles, values, &f->ev, 0), STATUS_INVALID_PARAMETER);
    assert_int_equal(wait_n(f, 2, NULL, values, &f->ev, 0), STATUS_INVALID_PARAMETER);
    assert_int_equal(wait_n(f, 2, handles, NULL, &f->ev, 0), STATUS_INVALID_PARAMETER);
    assert_int_equal(wait_n(f, 2, handles, values, &f->ev, 0x2), STATUS_INVALID_PARAMETER);   /* reserved */
    assert_int_equal(wait_n(f, 2, handles, values, (struct event *)(uintptr_t)0x1234, 0), STATUS_INVALID_HANDLE);
    handles[1] = 0;
    assert_int_equal(wait_n(f, 2, handles, values, &f->ev, 0), STATUS_INVALID_PARAMETER);
    args.count = 1;
    args.handles = (uintptr_t)handles;
    args.values = (uintptr_t)values;
    args.event = (uintptr_t)&f->ev;
    assert_int_equal(vidmm_sync_wait_cpu(f->mm, &args), STATUS_INVALID_PARAMETER);   /* hDevice 0 */
    /* Nothing was registered and no event reference kept. */
    assert_int_equal(waiters(f), 0);
    assert_int_equal(atomic_load(&f->live_refs), 0);
    assert_int_equal(signal1(f, fence, 10, 0), STATUS_SUCCESS);
    assert_false(event_fired(&f->ev));
}

static void test_wait_any_all(void **state)
{
    struct fx *f = *state;
    uint32_t handles[2] = {make_fence(f, 0, NULL), make_fence(f, 0, NULL)};
    uint64_t values[2] = {1, 1};

    assert_int_equal(wait_n(f, 2, handles, values, &f->ev, 0), STATUS_SUCCESS);
    values[0] = values[1] = 5;
    assert_int_equal(wait_n(f, 2, handles, values, &f->ev2, VIDMM_WAIT_ANY), STATUS_SUCCESS);
    assert_int_equal(waiters(f), 4);   /* one entry per object and wait */
    assert_int_equal(signal1(f, handles[0], 1, 0), STATUS_SUCCESS);
    assert_false(event_fired(&f->ev));   /* all: the second is not there yet */
    assert_false(event_fired(&f->ev2));
    assert_int_equal(signal1(f, handles[1], 5, 0), STATUS_SUCCESS);
    assert_true(event_fired(&f->ev));
    assert_true(event_fired(&f->ev2));   /* any: one reached 5 */
    assert_int_equal(waiters(f), 0);
    /* Already satisfied through one object of a wait-any. */
    values[0] = 100;
    assert_int_equal(wait_n(f, 2, handles, values, &f->ev, VIDMM_WAIT_ANY), STATUS_SUCCESS);
    assert_true(event_fired(&f->ev));
    assert_int_equal(wait_n(f, 2, handles, values, &f->ev, 0), STATUS_SUCCESS);
    assert_false(event_fired(&f->ev));
    assert_int_equal(vidmm_sync_destroy(f->mm, handles[0]), STATUS_SUCCESS);
    /* Choice: a pending asynchronous wait sets its event when its object goes. */
    assert_true(event_fired(&f->ev));
    assert_int_equal(atomic_load(&f->live_refs), 0);
}

static void test_blocking_wait(void **state)
{
    struct fx *f = *state;
    struct blocked b = {0};
    pthread_t thread;
    uint32_t i;

    b.f = f;
    b.count = 3;
    for (i = 0; i < 3; i++)
    {
        b.handles[i] = make_fence(f, 0, NULL);
        b.values[i] = 10 + i;
    }
    assert_int_equal(pthread_create(&thread, NULL, blocked_wait, &b), 0);
    wait_for_waiters(f, 3);   /* one thread, one sleep, three entries */
    assert_int_equal(signal1(f, b.handles[0], 10, 0), STATUS_SUCCESS);
    assert_int_equal(signal1(f, b.handles[1], 11, 0), STATUS_SUCCESS);
    assert_int_equal(signal1(f, b.handles[2], 11, 0), STATUS_SUCCESS);
    assert_int_equal(waiters(f), 3);   /* still registered: not all values reached */
    assert_false(atomic_load(&b.returned));
    assert_int_equal(signal1(f, b.handles[2], 12, 0), STATUS_SUCCESS);
    pthread_join(thread, NULL);
    assert_int_equal(b.status, STATUS_SUCCESS);
    assert_int_equal(waiters(f), 0);

    /* Already satisfied: returns without blocking. */
    assert_int_equal(wait_n(f, 3, b.handles, b.values, NULL, 0), STATUS_SUCCESS);
}

static void test_destroy_wakes_waiters(void **state)
{
    struct fx *f = *state;
    struct vidmm_destroy_device_args destroy = {0};
    struct vidmm_sync_create_args args = {0};
    struct blocked b = {0};
    pthread_t thread;
    uint32_t device2, survivor;

    /* Destroying the object: STATUS_INVALID_HANDLE (a choice, spec §11.6). */
    b.f = f;
    b.count = 1;
    b.handles[0] = make_fence(f, 0, NULL);
    b.values[0] = 1;
    assert_int_equal(pthread_create(&thread, NULL, blocked_wait, &b), 0);
    wait_for_waiters(f, 1);
    assert_int_equal(vidmm_sync_destroy(f->mm, b.handles[0]), STATUS_SUCCESS);
    pthread_join(thread, NULL);
    assert_int_equal(b.status, STATUS_INVALID_HANDLE);

    /* Destroying its device: STATUS_DEVICE_REMOVED (a choice), and the
     * device's objects are gone; another device's stay. */
    device2 = make_device(f);
    args.device = device2;
    assert_int_equal(create_sync(f, 2, VIDMM_SYNC_MONITORED_FENCE, 0, &args), STATUS_SUCCESS);
    survivor = make_fence(f, 0, NULL);
    memset(&b, 0, sizeof(b));
    b.f = f;
    b.count = 2;
    b.handles[0] = survivor;
    b.handles[1] = args.handle;
    b.values[0] = b.values[1] = 1;
    assert_int_equal(wait1(f, args.handle, 1, &f->ev), STATUS_SUCCESS);
    assert_int_equal(pthread_create(&thread, NULL, blocked_wait, &b), 0);
    wait_for_waiters(f, 3);
    destroy.handle = device2;
    assert_int_equal(vidmm_destroy_device(f->mm, &destroy), STATUS_SUCCESS);
    pthread_join(thread, NULL);
    assert_int_equal(b.status, STATUS_DEVICE_REMOVED);
    assert_true(event_fired(&f->ev));   /* the asynchronous wait is not left hanging */
    assert_int_equal(vidmm_sync_destroy(f->mm, args.handle), STATUS_INVALID_PARAMETER);
    assert_int_equal(signal1(f, survivor, 1, 0), STATUS_SUCCESS);
    assert_int_equal(waiters(f), 0);
}

/* Waits and signals racing destroys: every call returns, statuses are the documented ones. */
struct racer
{
    struct fx *f;
    uint32_t fence;
    atomic_int stop;
    int bad;
};

static void *race_signal(void *arg)
{
    struct racer *r = arg;
    uint64_t v = 1;

    while (!atomic_load(&r->stop))
    {
        NTSTATUS s = signal1(r->f, __atomic_load_n(&r->fence, __ATOMIC_ACQUIRE), v++, 0);
        if (s && s != STATUS_INVALID_PARAMETER) r->bad++;
    }
    return NULL;
}

static void test_destroy_race(void **state)
{
    struct fx *f = *state;
    struct racer r = {0};
    pthread_t thread;
    int i;

    r.f = f;
    r.fence = make_fence(f, 0, NULL);
    assert_int_equal(pthread_create(&thread, NULL, race_signal, &r), 0);
    for (i = 0; i < 200; i++)
    {
        uint32_t old = r.fence;
        NTSTATUS s = wait1(f, old, (uint64_t)i * 3, NULL);

        assert_true(s == STATUS_SUCCESS || s == STATUS_INVALID_HANDLE || s == STATUS_INVALID_PARAMETER);
        __atomic_store_n(&r.fence, make_fence(f, 0, NULL), __ATOMIC_RELEASE);
        assert_int_equal(vidmm_sync_destroy(f->mm, old), STATUS_SUCCESS);
    }
    atomic_store(&r.stop, 1);
    pthread_join(thread, NULL);
    assert_int_equal(r.bad, 0);
}

/* The manager's own fence, as a paging queue will use it. */
static void test_internal_fence(void **state)
{
    struct fx *f = *state;
    struct vidmm_destroy_device_args destroy = {0};
    struct vidmm_device *device;
    volatile uint64_t *va;
    struct blocked b = {0};
    pthread_t thread;
    uint32_t fence, device2;

    device = vidmm_get(f->mm, f->device, VIDMM_OBJECT_DEVICE);
    assert_int_equal(sync_create_internal_fence(f->mm, device, 3, &fence, &va), STATUS_SUCCESS);
    vidmm_put(f->mm, device);
    assert_int_equal(fence_value(va), 3);
    assert_int_equal(signal1(f, fence, 4, 0), STATUS_INVALID_PARAMETER);   /* choice: the manager signals it */
    assert_int_equal(vidmm_sync_destroy(f->mm, fence), STATUS_INVALID_PARAMETER);   /* as [WSL] */
    assert_int_equal(wait1(f, fence, 3, NULL), STATUS_SUCCESS);
    b.f = f;
    b.count = 1;
    b.handles[0] = fence;
    b.values[0] = 5;
    assert_int_equal(pthread_create(&thread, NULL, blocked_wait, &b), 0);
    wait_for_waiters(f, 1);
    sync_signal_internal_fence(f->mm, fence, 4);
    sync_signal_internal_fence(f->mm, fence, 2);   /* never lowered */
    assert_int_equal(fence_value(va), 4);
    assert_int_equal(waiters(f), 1);
    sync_signal_internal_fence(f->mm, fence, 5);
    pthread_join(thread, NULL);
    assert_int_equal(b.status, STATUS_SUCCESS);
    assert_int_equal(wait1(f, fence, 6, &f->ev), STATUS_SUCCESS);
    sync_destroy_internal_fence(f->mm, fence);
    assert_true(event_fired(&f->ev));
    assert_int_equal(wait1(f, fence, 0, NULL), STATUS_INVALID_PARAMETER);
    sync_signal_internal_fence(f->mm, fence, 9);   /* a dead handle: nothing */

    /* It goes with its device. */
    device2 = make_device(f);
    device = vidmm_get(f->mm, device2, VIDMM_OBJECT_DEVICE);
    assert_int_equal(sync_create_internal_fence(f->mm, device, 0, &fence, &va), STATUS_SUCCESS);
    vidmm_put(f->mm, device);
    destroy.handle = device2;
    assert_int_equal(vidmm_destroy_device(f->mm, &destroy), STATUS_SUCCESS);
    assert_int_equal(wait1(f, fence, 0, NULL), STATUS_INVALID_PARAMETER);
    sync_destroy_internal_fence(f->mm, fence);
}

/* ---- keyed mutexes ---- */

static void test_keyed_mutex_create_open(void **state)
{
    struct fx *f = *state;
    uint32_t km, global, opened, before;
    char data[8] = "abcdef";

    before = next_local(f);
    assert_int_equal(km_create(f, 0, NULL, 0, 0, &km, &global), STATUS_SUCCESS);
    assert_int_equal(km, before + 0x40);   /* the one local sequence [WIN] */
    assert_int_equal(global & 0x3f, 2);    /* always a global handle [WIN] */
    assert_int_equal(km_create(f, 0, NULL, 0, VIDMM_KEYED_MUTEX_NT_SECURITY, &opened, &global), STATUS_SUCCESS);
    assert_int_equal(global, 0);
    assert_int_equal(opened, km + 0x40);   /* a global handle takes no local value */
    assert_int_equal(km_create(f, 0, NULL, 0, 0x2, NULL, NULL), STATUS_INVALID_PARAMETER);   /* reserved */
    assert_int_equal(km_create(f, 0, NULL, 6, 0, NULL, NULL), STATUS_INVALID_PARAMETER);     /* NULL, size 6 */
    assert_int_equal(km_create(f, 0, data, VIDMM_KEYED_MUTEX_MAX_PRIVATE + 1, 0, NULL, NULL), STATUS_INVALID_PARAMETER);

    assert_int_equal(km_create(f, 0, NULL, 0, 0, &km, &global), STATUS_SUCCESS);
    assert_int_equal(km_open(f, 0, NULL, 0, NULL), STATUS_INVALID_PARAMETER);
    assert_int_equal(km_open(f, km, NULL, 0, NULL), STATUS_INVALID_PARAMETER);   /* local, not global */
    assert_int_equal(km_open(f, global, NULL, 0, &opened), STATUS_SUCCESS);
    assert_int_not_equal(opened, km);
    assert_int_equal(vidmm_keyed_mutex_destroy(f->mm, 0), STATUS_INVALID_PARAMETER);
    assert_int_equal(vidmm_keyed_mutex_destroy(f->mm, global), STATUS_INVALID_PARAMETER);   /* choice */
    assert_int_equal(vidmm_sync_destroy(f->mm, km), STATUS_INVALID_PARAMETER);   /* another kind */
    assert_int_equal(vidmm_keyed_mutex_destroy(f->mm, km), STATUS_SUCCESS);
    assert_int_equal(vidmm_keyed_mutex_destroy(f->mm, km), STATUS_INVALID_PARAMETER);
    assert_int_equal(km_open(f, global, NULL, 0, NULL), STATUS_SUCCESS);   /* opened handles keep it */
    assert_int_equal(vidmm_keyed_mutex_destroy(f->mm, opened), STATUS_SUCCESS);
    assert_int_equal(vidmm_keyed_mutex_destroy(f->mm, opened + 0x40), STATUS_SUCCESS);
    assert_int_equal(km_open(f, global, NULL, 0, NULL), STATUS_INVALID_PARAMETER);   /* dead with the last [WIN] */
}

/* The private runtime data table of the spec (§6.8). */
static void test_keyed_mutex_private_data(void **state)
{
    struct fx *f = *state;
    char data[64], six[6] = "12345", out[16];
    uint32_t km, global, h, before;
    uint64_t fence = 0;

    memset(data, 'x', sizeof(data));
    assert_int_equal(km_create(f, 0, NULL, 0, 0, &km, &global), STATUS_SUCCESS);
    assert_int_equal(km_open(f, global, NULL, 64, NULL), STATUS_INVALID_PARAMETER);
    assert_int_equal(km_open(f, global, data, 64, &h), STATUS_SUCCESS);   /* stored: it had none */
    memset(out, 0, sizeof(out));
    assert_int_equal(km_acquire_ex(f->mm, km, 0, &ten_ms, &fence, out, 16), STATUS_INVALID_PARAMETER);   /* short */
    assert_int_equal(km_release(f, km, 0, 0), STATUS_INVALID_PARAMETER);   /* so not acquired */

    assert_int_equal(km_create(f, 0, six, 6, 0, &km, &global), STATUS_SUCCESS);
    assert_int_equal(km_open(f, global, NULL, 0, &h), STATUS_SUCCESS);
    assert_int_equal(km_open(f, global, NULL, 64, NULL), STATUS_INVALID_PARAMETER);
    before = next_local(f);
    assert_int_equal(km_open(f, global, data, 5, NULL), STATUS_INVALID_PARAMETER);
    assert_int_equal(km_open(f, global, data, 64, NULL), STATUS_INVALID_PARAMETER);   /* choice */
    assert_int_equal(km_open(f, global, data, 6, &h), STATUS_SUCCESS);
    assert_int_equal(h, before + 0x40);   /* the failed opens took no handle */
    assert_int_equal(data[0], 'x');       /* the buffer is not written [WIN] */

    /* Acquire2 reads the stored data; Release2 replaces it, size 0 keeps it. */
    memset(out, 0, sizeof(out));
    assert_int_equal(km_acquire_ex(f->mm, h, 0, &ten_ms, &fence, out, 16), STATUS_SUCCESS);
    assert_memory_equal(out, six, 6);
    assert_int_equal(out[6], 0);   /* the rest is left */
    assert_int_equal(km_release_ex(f->mm, h, 0, 0, NULL, 4), STATUS_INVALID_PARAMETER);
    assert_int_equal(km_release_ex(f->mm, h, 0, 0, "WXYZ", 4), STATUS_SUCCESS);
    assert_int_equal(km_acquire_ex(f->mm, km, 0, &ten_ms, &fence, out, 16), STATUS_SUCCESS);
    assert_memory_equal(out, "WXYZ", 4);
    assert_int_equal(km_release_ex(f->mm, km, 0, 0, NULL, 0), STATUS_SUCCESS);
    memset(out, 0, sizeof(out));
    assert_int_equal(km_acquire_ex(f->mm, km, 0, &ten_ms, &fence, out, 16), STATUS_SUCCESS);
    assert_memory_equal(out, "WXYZ", 4);
    assert_int_equal(km_acquire_ex(f->mm, km, 0, &ten_ms, &fence, NULL, 4), STATUS_INVALID_PARAMETER);
}

static void test_keyed_mutex_acquire_release(void **state)
{
    struct fx *f = *state;
    uint32_t km, global, other;
    uint64_t fence;
    int64_t zero = 0, past = 1;   /* absolute, 1601: long gone */

    assert_int_equal(km_create(f, 0, NULL, 0, 0, &km, &global), STATUS_SUCCESS);
    fence = 77;
    assert_int_equal(km_acquire(f, 0, 0, &fence), STATUS_INVALID_PARAMETER);
    assert_int_equal(fence, 77);   /* untouched [WIN] */
    assert_int_equal(km_acquire(f, km + 0x1000, 0, &fence), STATUS_INVALID_PARAMETER);
    assert_int_equal(fence, 77);
    assert_int_equal(km_release(f, 0, 0, 0), STATUS_INVALID_PARAMETER);

    assert_int_equal(km_acquire(f, km, 0xdeadbeef, &fence), STATUS_TIMEOUT);
    assert_int_equal(fence, 0);   /* [WIN] */
    fence = 77;
    assert_int_equal(km_acquire_ex(f->mm, km, 0xdeadbeef, &zero, &fence, NULL, 0), STATUS_TIMEOUT);   /* poll */
    assert_int_equal(fence, 0);
    fence = 77;
    assert_int_equal(km_acquire_ex(f->mm, km, 0xdeadbeef, &past, &fence, NULL, 0), STATUS_TIMEOUT);
    assert_int_equal(km_acquire(f, km, 0, &fence), STATUS_SUCCESS);
    assert_int_equal(fence, 0);
    assert_int_equal(km_acquire(f, km, 0, &fence), STATUS_INVALID_PARAMETER);   /* choice: recursive */
    assert_int_equal(km_open(f, global, NULL, 0, &other), STATUS_SUCCESS);
    assert_int_equal(km_acquire(f, other, 0, &fence), STATUS_TIMEOUT);   /* owned by the first handle */
    assert_int_equal(km_release(f, other, 1, 1234), STATUS_INVALID_PARAMETER);   /* not the owner */
    assert_int_equal(km_release(f, km, 1, 1234), STATUS_SUCCESS);
    assert_int_equal(km_release(f, km, 1, 1234), STATUS_INVALID_PARAMETER);   /* a second release [WIN] */
    assert_int_equal(km_acquire(f, other, 0, &fence), STATUS_TIMEOUT);
    assert_int_equal(fence, 0);
    assert_int_equal(km_acquire(f, other, 1, &fence), STATUS_SUCCESS);
    assert_int_equal(fence, 1234);   /* handed from the release [WIN] */
    assert_int_equal(km_release(f, other, 0, 0), STATUS_SUCCESS);
    assert_int_equal(km_acquire(f, km, 0, &fence), STATUS_SUCCESS);
    assert_int_equal(fence, 0);
    assert_int_equal(km_release(f, km, 0, 0), STATUS_SUCCESS);
}

struct acquirer
{
    struct vidmm *mm;
    uint32_t handle;
    uint64_t key, fence;
    NTSTATUS status;
};

static void *blocked_acquire(void *arg)
{
    struct acquirer *a = arg;

    a->fence = 99;
    a->status = km_acquire_ex(a->mm, a->handle, a->key, NULL, &a->fence, NULL, 0);   /* no timeout */
    return NULL;
}

static void test_keyed_mutex_abandon(void **state)
{
    struct fx *f = *state;
    struct acquirer a = {0};
    uint32_t km, global;
    pthread_t thread;
    uint64_t fence;

    assert_int_equal(km_create(f, 0, NULL, 0, 0, &km, &global), STATUS_SUCCESS);
    assert_int_equal(km_acquire(f, km, 0, &fence), STATUS_SUCCESS);
    a.mm = f->mm;
    assert_int_equal(km_open(f, global, NULL, 0, &a.handle), STATUS_SUCCESS);
    assert_int_equal(pthread_create(&thread, NULL, blocked_acquire, &a), 0);
    wait_for_waiters(f, 1);
    assert_int_equal(vidmm_keyed_mutex_destroy(f->mm, km), STATUS_SUCCESS);   /* the owner goes */
    pthread_join(thread, NULL);
    assert_int_equal(a.status, STATUS_ABANDONED);
    assert_int_equal(a.fence, 0);
    /* Permanent [WIN]. */
    fence = 5;
    assert_int_equal(km_acquire(f, a.handle, 0, &fence), STATUS_ABANDONED);
    assert_int_equal(fence, 0);
    assert_int_equal(km_acquire_ex(f->mm, a.handle, 0, NULL, &fence, NULL, 0), STATUS_ABANDONED);
    assert_int_equal(km_release(f, a.handle, 0, 0), STATUS_INVALID_PARAMETER);

    /* A waiter whose own handle goes: STATUS_INVALID_HANDLE (a choice). */
    assert_int_equal(km_create(f, 0, NULL, 0, 0, &km, &global), STATUS_SUCCESS);
    assert_int_equal(km_acquire(f, km, 0, &fence), STATUS_SUCCESS);
    assert_int_equal(km_open(f, global, NULL, 0, &a.handle), STATUS_SUCCESS);
    assert_int_equal(pthread_create(&thread, NULL, blocked_acquire, &a), 0);
    wait_for_waiters(f, 1);
    assert_int_equal(vidmm_keyed_mutex_destroy(f->mm, a.handle), STATUS_SUCCESS);
    pthread_join(thread, NULL);
    assert_int_equal(a.status, STATUS_INVALID_HANDLE);
    assert_int_equal(km_release(f, km, 0, 0), STATUS_SUCCESS);   /* not abandoned: the owner stayed */
    /* A release to another key hands it to the waiter of that key only. */
    assert_int_equal(km_open(f, global, NULL, 0, &a.handle), STATUS_SUCCESS);
    a.key = 7;
    assert_int_equal(pthread_create(&thread, NULL, blocked_acquire, &a), 0);
    wait_for_waiters(f, 1);
    assert_int_equal(km_acquire(f, km, 0, &fence), STATUS_SUCCESS);
    assert_int_equal(km_release(f, km, 7, 4242), STATUS_SUCCESS);
    pthread_join(thread, NULL);
    assert_int_equal(a.status, STATUS_SUCCESS);
    assert_int_equal(a.fence, 4242);
    assert_int_equal(km_acquire(f, km, 7, &fence), STATUS_TIMEOUT);   /* the waiter owns it now */
    assert_int_equal(km_release(f, a.handle, 0, 0), STATUS_SUCCESS);
}

/* ---- producer / consumer ---- */

struct handoff
{
    struct fx *f;
    uint32_t km[2];                 /* one handle per side */
    uint32_t ready, done;           /* fences */
    uint32_t buffer[64];
    int errors;
    uint32_t first_error;
};

static void fill_round(uint32_t *buffer, uint32_t round, uint32_t side)
{
    uint32_t i;

    for (i = 0; i < 64; i++) buffer[i] = round * 2654435761u + i * 40503u + side;
}

static int check_round(const uint32_t *buffer, uint32_t round, uint32_t side)
{
    uint32_t i;

    for (i = 0; i < 64; i++) if (buffer[i] != round * 2654435761u + i * 40503u + side) return 0;
    return 1;
}

static void note(struct handoff *h, uint32_t round)
{
    if (!h->errors++) h->first_error = round;
}

/* Side 0 takes key 0 and releases to 1; side 1 the other way round. */
static void *km_side(void *arg, uint32_t side)
{
    struct handoff *h = arg;
    uint64_t fence;
    uint32_t round;

    for (round = 0; round < ROUNDS; round++)
    {
        if (km_acquire_ex(h->f->mm, h->km[side], side, NULL, &fence, NULL, 0)) note(h, round);
        if (fence != (uint64_t)round * 2 + side) note(h, round);   /* the value the other side released */
        if (round || side)
            if (!check_round(h->buffer, side ? round : round - 1, !side)) note(h, round);
        fill_round(h->buffer, round, side);
        if (km_release_ex(h->f->mm, h->km[side], !side, (uint64_t)round * 2 + side + 1, NULL, 0)) note(h, round);
    }
    return NULL;
}

static void *km_consumer(void *arg)
{
    return km_side(arg, 1);
}

static void test_keyed_mutex_handoff(void **state)
{
    struct fx *f = *state;
    struct handoff h = {0};
    pthread_t thread;
    uint32_t global;

    h.f = f;
    assert_int_equal(km_create(f, 0, NULL, 0, 0, &h.km[0], &global), STATUS_SUCCESS);
    assert_int_equal(km_open(f, global, NULL, 0, &h.km[1]), STATUS_SUCCESS);
    assert_int_equal(pthread_create(&thread, NULL, km_consumer, &h), 0);
    km_side(&h, 0);
    pthread_join(thread, NULL);
    if (h.errors) print_error("%d errors, the first in round %u\n", h.errors, h.first_error);
    assert_int_equal(h.errors, 0);
}

static void *fence_consumer(void *arg)
{
    struct handoff *h = arg;
    uint64_t value;
    uint32_t round;

    for (round = 0; round < ROUNDS; round++)
    {
        value = round + 1;
        if (wait_n(h->f, 1, &h->ready, &value, NULL, 0)) note(h, round);
        if (!check_round(h->buffer, round, 0)) note(h, round);
        fill_round(h->buffer, round, 1);
        if (signal_n(h->f, 1, &h->done, &value, 0)) note(h, round);
    }
    return NULL;
}

static void test_fence_handoff(void **state)
{
    struct fx *f = *state;
    struct handoff h = {0};
    pthread_t thread;
    uint64_t value;
    uint32_t round;

    h.f = f;
    h.ready = make_fence(f, 0, NULL);
    h.done = make_fence(f, 0, NULL);
    assert_int_equal(pthread_create(&thread, NULL, fence_consumer, &h), 0);
    for (round = 0; round < ROUNDS; round++)
    {
        value = round;
        if (wait_n(f, 1, &h.done, &value, NULL, 0)) note(&h, round);
        if (round && !check_round(h.buffer, round - 1, 1)) note(&h, round);
        fill_round(h.buffer, round, 0);
        value = round + 1;
        if (signal_n(f, 1, &h.ready, &value, 0)) note(&h, round);
    }
    pthread_join(thread, NULL);
    if (h.errors) print_error("%d errors, the first in round %u\n", h.errors, h.first_error);
    assert_int_equal(h.errors, 0);
    assert_int_equal(waiters(f), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] =
    {
        cmocka_unit_test_setup_teardown(test_create_v1, setup, teardown),
        cmocka_unit_test_setup_teardown(test_create_v2, setup, teardown),
        cmocka_unit_test_setup_teardown(test_create_flags, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_global, setup, teardown),
        cmocka_unit_test_setup_teardown(test_paging_fence_handle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_create_out_of_memory, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fence_value_memory, setup, teardown),
        cmocka_unit_test_setup_teardown(test_signal_wait_async, setup, teardown),
        cmocka_unit_test_setup_teardown(test_signal_bad_input, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wait_bad_input, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wait_any_all, setup, teardown),
        cmocka_unit_test_setup_teardown(test_blocking_wait, setup, teardown),
        cmocka_unit_test_setup_teardown(test_destroy_wakes_waiters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_destroy_race, setup, teardown),
        cmocka_unit_test_setup_teardown(test_internal_fence, setup, teardown),
        cmocka_unit_test_setup_teardown(test_paging_fence_signalled, setup, teardown),
        cmocka_unit_test_setup_teardown(test_paging_fence_device_destroy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keyed_mutex_create_open, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keyed_mutex_private_data, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keyed_mutex_acquire_release, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keyed_mutex_abandon, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keyed_mutex_handoff, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fence_handoff, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
