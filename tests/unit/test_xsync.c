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
 * Unit tests of sync objects and keyed mutexes shared between processes
 * (sync_shared.c, sync_slot.c) with the native share and system providers.
 * Two managers stand for two processes: each maps the share file itself,
 * holds its own slot in the system view and has its own watcher thread, so
 * a change in one reaches the other only through the file and a doorbell.
 *
 *  - a fence signalled by A wakes a blocking wait in B; B's CPU view shows it;
 *  - keyed-mutex rounds between A and B, fence values handed over;
 *  - a slot lock left held by a dead process is taken over;
 *  - a keyed mutex owned by a dead process is abandoned for the next acquire;
 *  - hostile slot contents are refused or clamped, never trusted;
 *  - nothing is left mapped at the end.
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
#include <cmocka.h>

#include "vidmm_private.h"
#include "sync_private.h"
#include "native_memory.h"
#include "native_share.h"
#include "native_system.h"
#include "core_calls.h"

#define LUID 0x0000000100000e72ull
#define SHARED_NT (VIDMM_SYNC_FLAG_SHARED | VIDMM_SYNC_FLAG_NT_SECURITY)

struct proc
{
    struct native_memory *nm;
    struct native_system sys;
    struct vidmm *mm;
    uint32_t adapter, device;
};

struct fx
{
    struct native_share *ns;
    struct proc a, b;
};

static char view_name[64];

static void proc_init(struct proc *p, struct native_share *ns)
{
    struct vidmm_open_adapter_args open = {0};
    struct vidmm_create_device_args dev = {0};
    struct vidmm_memory_ops ops;
    struct vidmm_share_ops sops;
    struct vidmm_system_ops yops;

    p->nm = native_memory_create();
    native_memory_ops(p->nm, &ops);
    assert_int_equal(vidmm_create(&ops, 0, &p->mm), STATUS_SUCCESS);
    native_system_init(&p->sys, view_name);
    p->sys.poll_ms = 10;
    native_system_ops(&p->sys, &yops);
    assert_int_equal(vidmm_system_set_ops(p->mm, &yops), STATUS_SUCCESS);
    native_share_ops(ns, &sops);
    assert_int_equal(vidmm_set_share_ops(p->mm, &sops), STATUS_SUCCESS);
    open.luid = LUID;
    open.local_size = 16 << 20;
    open.nonlocal_size = 64 << 20;
    open.source_count = 1;
    assert_int_equal(vidmm_open_adapter(p->mm, &open), STATUS_SUCCESS);
    p->adapter = open.handle;
    dev.adapter = p->adapter;
    assert_int_equal(vidmm_create_device(p->mm, &dev), STATUS_SUCCESS);
    p->device = dev.handle;
}

static void proc_done(struct proc *p)
{
    vidmm_destroy(p->mm);
    native_memory_destroy(p->nm);
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));

    snprintf(view_name, sizeof(view_name), "/vidmm-test-xsync-%d", getpid());
    native_system_unlink(view_name);
    f->ns = native_share_create();
    proc_init(&f->a, f->ns);
    proc_init(&f->b, f->ns);
    *state = f;
    alarm(60);   /* a lost wake-up or a lock never taken over hangs: fail instead */
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;

    alarm(0);
    proc_done(&f->a);
    proc_done(&f->b);
    assert_int_equal(native_share_live(f->ns), 0);
    assert_int_equal(native_share_globals(f->ns), 0);
    native_share_destroy(f->ns);
    native_system_unlink(view_name);
    free(f);
    return 0;
}

/* ---- helpers ---- */

/* What the application reads at FenceValueCPUVirtualAddress. */
static uint64_t read_va(uint64_t va)
{
    return __atomic_load_n((uint64_t *)(uintptr_t)va, __ATOMIC_ACQUIRE);
}

static uint32_t create_sync(struct proc *p, uint32_t type, uint32_t flags, uint64_t value, uint64_t *va)
{
    struct vidmm_sync_create_args args = {0};

    args.device = p->device;
    args.version = 2;
    args.type = type;
    args.flags = flags;
    args.fence_value = value;
    assert_int_equal(vidmm_sync_create(p->mm, &args), STATUS_SUCCESS);
    if (va) *va = args.fence_cpu_va;
    return args.handle;
}

/* B maps A's share file through its own view (as another process would). */
static struct vidmm_share_file *open_in(struct fx *f, struct vidmm_share_file *file, uint32_t kind)
{
    struct vidmm_share_file *view;

    assert_int_equal(native_share_open_fd(f->ns, native_share_fd(file), 1, kind, &view), STATUS_SUCCESS);
    return view;
}

static NTSTATUS signal(struct proc *p, uint32_t fence, uint64_t value)
{
    struct vidmm_sync_signal_args args = {0};

    args.device = p->device;
    args.count = 1;
    args.handles = (uintptr_t)&fence;
    args.values = (uintptr_t)&value;
    return vidmm_sync_signal_cpu(p->mm, &args);
}

struct waiting
{
    struct proc *p;
    uint32_t fence;
    uint64_t value;
    NTSTATUS status;
};

static void *wait_thread(void *arg)
{
    struct waiting *w = arg;
    struct vidmm_sync_wait_args args = {0};

    args.device = w->p->device;
    args.count = 1;
    args.handles = (uintptr_t)&w->fence;
    args.values = (uintptr_t)&w->value;
    __atomic_store_n(&w->status, vidmm_sync_wait_cpu(w->p->mm, &args), __ATOMIC_RELEASE);
    return NULL;
}

static NTSTATUS acquire(struct proc *p, uint32_t km, uint64_t key, int64_t timeout, uint64_t *fence)
{
    struct vidmm_keyed_mutex_acquire_args args = {0};
    NTSTATUS status;

    args.handle = km;
    args.key = key;
    args.has_timeout = 1;
    args.timeout = timeout;
    status = vidmm_keyed_mutex_acquire(p->mm, &args);
    if (fence) *fence = args.fence_value;
    return status;
}

static NTSTATUS release(struct proc *p, uint32_t km, uint64_t key, uint64_t fence)
{
    struct vidmm_keyed_mutex_release_args args = {0};

    args.handle = km;
    args.key = key;
    args.fence_value = fence;
    return vidmm_keyed_mutex_release(p->mm, &args);
}

/* A keyed mutex of A in a bundle (a resource's file), opened in B. */
static void bundle(struct fx *f, uint32_t *km_a, uint32_t *km_b, uint32_t *res, struct vidmm_share_file **file_out)
{
    D3DKMT_WINE_ALLOCATION_DESC desc = core_desc(64 * 1024, VIDMM_SEGMENT_GROUP_LOCAL,
                                                 D3DKMT_WINE_ALLOC_FLAG_CPU_VISIBLE);
    struct vidmm_keyed_mutex_create_args km = {0};
    struct vidmm_create_allocation_args args;
    struct vidmm_share_file *file, *view;
    uint32_t alloc;

    assert_int_equal(core_create_desc(f->a.mm, f->a.device, &desc,
                                      VIDMM_CREATE_RESOURCE | VIDMM_CREATE_SHARED | VIDMM_CREATE_NT_SECURITY,
                                      &alloc, &args), STATUS_SUCCESS);
    *res = args.resource;
    km.flags = VIDMM_KEYED_MUTEX_NT_SECURITY;
    assert_int_equal(vidmm_keyed_mutex_create(f->a.mm, &km), STATUS_SUCCESS);
    *km_a = km.handle;
    assert_int_equal(vidmm_share_resource(f->a.mm, *res, &file), STATUS_SUCCESS);
    assert_int_equal(vidmm_keyed_mutex_to_slot(f->a.mm, *km_a, file), STATUS_SUCCESS);
    /* A second share of the same bundle finds it there. */
    assert_int_equal(vidmm_keyed_mutex_to_slot(f->a.mm, *km_a, file), STATUS_SUCCESS);
    view = open_in(f, file, VIDMM_SHARE_KIND_RESOURCE);
    assert_int_equal(vidmm_keyed_mutex_open_slot(f->b.mm, view, 0, 0, km_b), STATUS_SUCCESS);
    vidmm_share_put(f->b.mm, view);
    *file_out = file;
}

static void destroy_resource(struct proc *p, uint32_t res)
{
    struct vidmm_destroy_allocation_args args = {0};

    args.device = p->device;
    args.resource = res;
    assert_int_equal(vidmm_destroy_allocation(p->mm, &args), STATUS_SUCCESS);
}

/* Writes a slot's state as another process would: under its lock word
 * (0x7f names no process, so nobody takes it over meanwhile). */
static void slot_lock(struct vidmm_shared_keyed_mutex *skm)
{
    uint32_t free_word = 0;

    while (!__atomic_compare_exchange_n(&skm->lock, &free_word, 0x7fu, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
        free_word = 0;
}

static void slot_unlock(struct vidmm_shared_keyed_mutex *skm)
{
    __atomic_store_n(&skm->lock, 0, __ATOMIC_RELEASE);
}

/* ---- tests ---- */

static void test_fence_across(void **state)
{
    struct fx *f = *state;
    struct vidmm_sync_open_slot_args open = {0};
    struct vidmm_share_file *file, *view;
    struct waiting w;
    pthread_t thread;
    uint64_t va_a;
    uint32_t fence, i;

    fence = create_sync(&f->a, VIDMM_SYNC_MONITORED_FENCE, SHARED_NT, 3, &va_a);
    assert_int_equal(vidmm_sync_share(f->a.mm, fence, &file), STATUS_SUCCESS);
    view = open_in(f, file, VIDMM_SHARE_KIND_SYNC);
    open.device = f->b.device;
    assert_int_equal(vidmm_sync_open_slot(f->b.mm, view, &open), STATUS_SUCCESS);
    assert_int_equal(open.type, VIDMM_SYNC_MONITORED_FENCE);
    assert_int_equal(read_va(open.fence_cpu_va), 3);

    /* A's signal wakes B's blocking wait (B's watcher, rung by A). */
    w.p = &f->b;
    w.fence = open.handle;
    w.value = 10;
    w.status = 0xdead;
    assert_int_equal(pthread_create(&thread, NULL, wait_thread, &w), 0);
    usleep(20000);
    assert_int_equal(__atomic_load_n(&w.status, __ATOMIC_ACQUIRE), 0xdead);
    assert_int_equal(signal(&f->a, fence, 10), STATUS_SUCCESS);
    pthread_join(thread, NULL);
    assert_int_equal(w.status, STATUS_SUCCESS);
    assert_int_equal(read_va(open.fence_cpu_va), 10);
    /* And back: B signals, A reads it. */
    assert_int_equal(signal(&f->b, open.handle, 12), STATUS_SUCCESS);
    /* A's view is a copy its watcher refreshes when B rings (a documented lag). */
    for (i = 0; i < 1000 && read_va(va_a) != 12; i++) usleep(1000);
    assert_int_equal(read_va(va_a), 12);
    /* Without AllowFenceRewind a lower value is refused, in either. */
    assert_int_equal(signal(&f->b, open.handle, 11), STATUS_INVALID_PARAMETER);

    /* A's handle goes: B's still works (another process holds it). */
    assert_int_equal(vidmm_sync_destroy(f->a.mm, fence), STATUS_SUCCESS);
    assert_int_equal(signal(&f->b, open.handle, 13), STATUS_SUCCESS);
    assert_int_equal(vidmm_sync_destroy(f->b.mm, open.handle), STATUS_SUCCESS);
    vidmm_share_put(f->b.mm, view);
    vidmm_share_put(f->a.mm, file);
}

struct rounds
{
    struct proc *p;
    uint32_t km;
    unsigned int count, done;
};

static void *b_rounds(void *arg)
{
    struct rounds *r = arg;
    uint64_t fence;

    for (r->done = 0; r->done < r->count; r->done++)
    {
        if (acquire(r->p, r->km, 1, -100000000, &fence) || fence != 2 * r->done + 1) break;
        if (release(r->p, r->km, 0, 2 * r->done + 2)) break;
    }
    return NULL;
}

static void test_keyed_mutex_rounds(void **state)
{
    struct fx *f = *state;
    struct vidmm_share_file *file;
    struct rounds r;
    pthread_t thread;
    uint32_t km_a, km_b, res;
    uint64_t fence;
    unsigned int i;

    bundle(f, &km_a, &km_b, &res, &file);
    r.p = &f->b;
    r.km = km_b;
    r.count = 200;
    assert_int_equal(pthread_create(&thread, NULL, b_rounds, &r), 0);
    for (i = 0; i < r.count; i++)
    {
        assert_int_equal(acquire(&f->a, km_a, 0, -100000000, &fence), STATUS_SUCCESS);
        assert_int_equal(fence, 2 * i);
        assert_int_equal(release(&f->a, km_a, 1, 2 * i + 1), STATUS_SUCCESS);
    }
    pthread_join(thread, NULL);
    assert_int_equal(r.done, r.count);
    assert_int_equal(acquire(&f->a, km_a, 0, 0, &fence), STATUS_SUCCESS);
    assert_int_equal(fence, 2 * r.count);
    /* Owned by A: B's acquire times out, B's release is refused. */
    assert_int_equal(acquire(&f->b, km_b, 0, 0, &fence), STATUS_TIMEOUT);
    assert_int_equal(release(&f->b, km_b, 0, 0), STATUS_INVALID_PARAMETER);
    /* A destroys its owning handle: abandoned for B too. */
    assert_int_equal(vidmm_keyed_mutex_destroy(f->a.mm, km_a), STATUS_SUCCESS);
    assert_int_equal(acquire(&f->b, km_b, 0, 0, &fence), STATUS_ABANDONED);
    assert_int_equal(vidmm_keyed_mutex_destroy(f->b.mm, km_b), STATUS_SUCCESS);
    vidmm_share_put(f->a.mm, file);
    destroy_resource(&f->a, res);
}

/* A process killed inside the slot lock leaves the word set; another
 * process takes it over once it finds the holder dead. */
static void test_lock_taken_over(void **state)
{
    struct fx *f = *state;
    struct vidmm_shared_keyed_mutex *skm;
    struct vidmm_share_file *file;
    uint32_t km_a, km_b, res;
    uint64_t fence;

    bundle(f, &km_a, &km_b, &res, &file);
    skm = (struct vidmm_shared_keyed_mutex *)(file->view + VIDMM_SHARE_MUTEX_SLOT);
    /* Slot 62 was never claimed: its holder is dead. */
    __atomic_store_n(&skm->lock, 63u | (7u << 7), __ATOMIC_RELEASE);
    assert_int_equal(acquire(&f->b, km_b, 0, 0, &fence), STATUS_SUCCESS);
    assert_int_equal(__atomic_load_n(&skm->lock, __ATOMIC_ACQUIRE), 0);
    assert_int_equal(release(&f->b, km_b, 0, 0), STATUS_SUCCESS);
    assert_int_equal(vidmm_keyed_mutex_destroy(f->b.mm, km_b), STATUS_SUCCESS);
    assert_int_equal(vidmm_keyed_mutex_destroy(f->a.mm, km_a), STATUS_SUCCESS);
    vidmm_share_put(f->a.mm, file);
    destroy_resource(&f->a, res);
}

/* The owner's process is gone (a dead slot): the next acquire abandons it. */
static void test_owner_died(void **state)
{
    struct fx *f = *state;
    struct vidmm_shared_keyed_mutex *skm;
    struct vidmm_share_file *file;
    uint32_t km_a, km_b, res;
    uint64_t fence = 5;

    bundle(f, &km_a, &km_b, &res, &file);
    skm = (struct vidmm_shared_keyed_mutex *)(file->view + VIDMM_SHARE_MUTEX_SLOT);
    slot_lock(skm);
    skm->owner_slot = 61;
    skm->owner_generation = 9;
    __atomic_store_n(&skm->km.owner, 1234, __ATOMIC_RELEASE);
    slot_unlock(skm);
    assert_int_equal(acquire(&f->b, km_b, 0, -10000000, &fence), STATUS_ABANDONED);
    assert_int_equal(fence, 0);
    assert_int_equal(acquire(&f->a, km_a, 0, 0, &fence), STATUS_ABANDONED);   /* permanent, everywhere */
    assert_int_equal(vidmm_keyed_mutex_destroy(f->b.mm, km_b), STATUS_SUCCESS);
    assert_int_equal(vidmm_keyed_mutex_destroy(f->a.mm, km_a), STATUS_SUCCESS);
    vidmm_share_put(f->a.mm, file);
    destroy_resource(&f->a, res);
}

/* Another process writes the file: what it says is checked, never trusted. */
static void test_hostile_slots(void **state)
{
    struct fx *f = *state;
    struct vidmm_sync_open_slot_args open = {0};
    struct vidmm_keyed_mutex_acquire_args acq = {0};
    struct vidmm_shared_keyed_mutex *skm;
    struct vidmm_shared_sync *ss;
    struct vidmm_share_file *file, *view;
    uint32_t fence, km_a, km_b, res, type;
    uint8_t buffer[0x800];

    fence = create_sync(&f->a, VIDMM_SYNC_MONITORED_FENCE, SHARED_NT, 0, NULL);
    assert_int_equal(vidmm_sync_share(f->a.mm, fence, &file), STATUS_SUCCESS);
    ss = (struct vidmm_shared_sync *)(file->view + VIDMM_SHARE_SYNC_SLOT);
    view = open_in(f, file, VIDMM_SHARE_KIND_SYNC);
    open.device = f->b.device;
    ss->magic ^= 1;
    assert_int_equal(vidmm_sync_open_slot(f->b.mm, view, &open), STATUS_INVALID_PARAMETER);
    ss->magic ^= 1;
    type = ss->type;
    ss->type = VIDMM_SYNC_CPU_NOTIFICATION;   /* its event cannot be another process' */
    assert_int_equal(vidmm_sync_open_slot(f->b.mm, view, &open), STATUS_INVALID_PARAMETER);
    ss->type = 77;
    assert_int_equal(vidmm_sync_open_slot(f->b.mm, view, &open), STATUS_INVALID_PARAMETER);
    ss->type = type;
    open.flags = 0x80000000u;
    assert_int_equal(vidmm_sync_open_slot(f->b.mm, view, &open), STATUS_INVALID_PARAMETER);
    open.flags = 0;
    /* A keyed-mutex open of a sync file: no mutex slot. */
    assert_int_equal(vidmm_keyed_mutex_open_slot(f->b.mm, view, 0, 0, &km_b), STATUS_INVALID_PARAMETER);
    vidmm_share_put(f->b.mm, view);
    vidmm_share_put(f->a.mm, file);
    assert_int_equal(vidmm_sync_destroy(f->a.mm, fence), STATUS_SUCCESS);

    /* A private size beyond the slot is clamped on read. */
    bundle(f, &km_a, &km_b, &res, &file);
    skm = (struct vidmm_shared_keyed_mutex *)(file->view + VIDMM_SHARE_MUTEX_SLOT);
    slot_lock(skm);
    skm->private_size = 0xffffffffu;
    slot_unlock(skm);
    memset(buffer, 0xcc, sizeof(buffer));
    acq.handle = km_b;
    acq.has_timeout = 1;
    acq.private_data = (uintptr_t)buffer;
    acq.private_size = sizeof(buffer);
    assert_int_equal(vidmm_keyed_mutex_acquire(f->b.mm, &acq), STATUS_SUCCESS);
    assert_int_equal(buffer[VIDMM_SHARED_KM_PRIVATE_MAX], 0xcc);
    /* Release2 with more than the slot holds is refused; the mutex stays owned. */
    {
        struct vidmm_keyed_mutex_release_args rel = {0};

        rel.handle = km_b;
        rel.private_data = (uintptr_t)buffer;
        rel.private_size = VIDMM_SHARED_KM_PRIVATE_MAX + 1;
        assert_int_equal(vidmm_keyed_mutex_release(f->b.mm, &rel), STATUS_INVALID_PARAMETER);
        rel.private_size = 8;
        assert_int_equal(vidmm_keyed_mutex_release(f->b.mm, &rel), STATUS_SUCCESS);
    }
    slot_lock(skm);
    assert_int_equal(skm->private_size, 8);
    slot_unlock(skm);
    assert_int_equal(vidmm_keyed_mutex_destroy(f->b.mm, km_b), STATUS_SUCCESS);
    assert_int_equal(vidmm_keyed_mutex_destroy(f->a.mm, km_a), STATUS_SUCCESS);
    vidmm_share_put(f->a.mm, file);
    destroy_resource(&f->a, res);
}

/* Legacy globals: B opens A's by value; the value dies with the last holder. */
static void test_globals(void **state)
{
    struct fx *f = *state;
    struct vidmm_keyed_mutex_create_args km = {0};
    struct vidmm_keyed_mutex_open_args kopen = {0};
    struct vidmm_sync_create_args create = {0};
    struct vidmm_sync_open_args open = {0};
    uint64_t fence;
    uint32_t b1;

    create.device = f->a.device;
    create.version = 2;
    create.type = VIDMM_SYNC_MUTEX;
    create.flags = VIDMM_SYNC_FLAG_SHARED;
    assert_int_equal(vidmm_sync_create(f->a.mm, &create), STATUS_SUCCESS);
    assert_int_equal(create.shared_handle & 0x3f, 2);
    open.shared_handle = create.shared_handle;
    assert_int_equal(vidmm_sync_open(f->b.mm, &open), STATUS_SUCCESS);
    assert_int_equal(open.type, VIDMM_SYNC_MUTEX);
    b1 = open.handle;
    assert_int_equal(vidmm_sync_destroy(f->a.mm, create.handle), STATUS_SUCCESS);
    /* B holds it: A opens it again (from B's file now); B again (its own object). */
    assert_int_equal(vidmm_sync_open(f->a.mm, &open), STATUS_SUCCESS);
    assert_int_equal(vidmm_sync_destroy(f->a.mm, open.handle), STATUS_SUCCESS);
    assert_int_equal(vidmm_sync_open(f->b.mm, &open), STATUS_SUCCESS);
    assert_int_equal(vidmm_sync_destroy(f->b.mm, open.handle), STATUS_SUCCESS);
    /* B's first handle is the last holder anywhere: then the value is dead. */
    assert_int_equal(vidmm_sync_destroy(f->b.mm, b1), STATUS_SUCCESS);
    assert_int_equal(vidmm_sync_open(f->a.mm, &open), STATUS_INVALID_PARAMETER);
    assert_int_equal(vidmm_sync_open(f->b.mm, &open), STATUS_INVALID_PARAMETER);

    assert_int_equal(vidmm_keyed_mutex_create(f->a.mm, &km), STATUS_SUCCESS);
    kopen.shared_handle = km.shared_handle;
    assert_int_equal(vidmm_keyed_mutex_open(f->b.mm, &kopen), STATUS_SUCCESS);
    assert_int_equal(acquire(&f->b, kopen.handle, 0, 0, &fence), STATUS_SUCCESS);
    assert_int_equal(acquire(&f->a, km.handle, 0, 0, &fence), STATUS_TIMEOUT);
    assert_int_equal(release(&f->b, kopen.handle, 4, 44), STATUS_SUCCESS);
    assert_int_equal(acquire(&f->a, km.handle, 4, 0, &fence), STATUS_SUCCESS);
    assert_int_equal(fence, 44);
    assert_int_equal(release(&f->a, km.handle, 0, 0), STATUS_SUCCESS);
    assert_int_equal(vidmm_keyed_mutex_destroy(f->a.mm, km.handle), STATUS_SUCCESS);
    assert_int_equal(vidmm_keyed_mutex_destroy(f->b.mm, kopen.handle), STATUS_SUCCESS);
    /* Gone with the last holder anywhere. */
    assert_int_equal(vidmm_keyed_mutex_open(f->b.mm, &kopen), STATUS_INVALID_PARAMETER);
    assert_int_equal(vidmm_keyed_mutex_open(f->a.mm, &kopen), STATUS_INVALID_PARAMETER);
}

int main(void)
{
    const struct CMUnitTest tests[] =
    {
        cmocka_unit_test_setup_teardown(test_fence_across, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keyed_mutex_rounds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lock_taken_over, setup, teardown),
        cmocka_unit_test_setup_teardown(test_owner_died, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hostile_slots, setup, teardown),
        cmocka_unit_test_setup_teardown(test_globals, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
