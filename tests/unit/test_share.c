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
 * Unit tests of shared resources in share files (share.c, sharing.c) with
 * the native share provider: two managers stand for two processes (each
 * maps the file itself, at its own address), and a fork()ed child shows
 * the pages are the same across real processes.  Also: a hostile
 * descriptor is refused, residency of a shared allocation is bookkeeping,
 * and nothing is left mapped at the end.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "vidmm_private.h"
#include "native_memory.h"
#include "native_share.h"
#include "core_calls.h"

#define SIZE (64 * 1024ull)
#define LUID 0x0000000100000e71ull
#define CV D3DKMT_WINE_ALLOC_FLAG_CPU_VISIBLE
#define SHARED (VIDMM_CREATE_RESOURCE | VIDMM_CREATE_SHARED)
#define NT (SHARED | VIDMM_CREATE_NT_SECURITY)

struct proc
{
    struct native_memory *nm;
    struct vidmm *mm;
    uint32_t adapter, device;
};

struct fx
{
    struct native_share *ns;
    struct proc a, b;
};

static void proc_init(struct proc *p, struct native_share *ns)
{
    struct vidmm_open_adapter_args open = {0};
    struct vidmm_create_device_args dev = {0};
    struct vidmm_memory_ops ops;
    struct vidmm_share_ops sops;

    p->nm = native_memory_create();
    native_memory_ops(p->nm, &ops);
    assert_int_equal(vidmm_create(&ops, 0, &p->mm), STATUS_SUCCESS);
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

    f->ns = native_share_create();
    proc_init(&f->a, f->ns);
    proc_init(&f->b, f->ns);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;

    proc_done(&f->a);
    proc_done(&f->b);
    /* Nothing of ours is left: no mapped file, no global value. */
    assert_int_equal(native_share_live(f->ns), 0);
    assert_int_equal(native_share_globals(f->ns), 0);
    native_share_destroy(f->ns);
    free(f);
    return 0;
}

static uint32_t create_shared(struct proc *p, uint32_t flags, uint32_t *alloc, uint32_t *global)
{
    D3DKMT_WINE_ALLOCATION_DESC desc = core_desc(SIZE, VIDMM_SEGMENT_GROUP_LOCAL, CV);
    struct vidmm_create_allocation_args args;

    assert_int_equal(core_create_desc(p->mm, p->device, &desc, flags, alloc, &args), STATUS_SUCCESS);
    if (global) *global = args.global_share;
    return args.resource;
}

static uint8_t *lock(struct proc *p, uint32_t alloc)
{
    uint8_t *ptr = NULL;

    assert_int_equal(core_lock(p->mm, p->device, alloc, 0, &ptr), STATUS_SUCCESS);
    return ptr;
}

static void unlock(struct proc *p, uint32_t alloc)
{
    assert_int_equal(core_unlock(p->mm, p->device, alloc), STATUS_SUCCESS);
}

struct open_out
{
    struct vidmm_open_resource_args args;
    struct vidmm_open_info info;
    uint8_t total[256];
};

static NTSTATUS open_args(struct proc *p, uint32_t global, struct open_out *o)
{
    memset(o, 0, sizeof(*o));
    o->args.device = p->device;
    o->args.global_share = global;
    o->args.count = 1;
    o->args.infos = (uintptr_t)&o->info;
    o->args.total_data = (uintptr_t)o->total;
    o->args.total_size = sizeof(o->total);
    return STATUS_SUCCESS;
}

static NTSTATUS destroy_resource(struct proc *p, uint32_t resource)
{
    struct vidmm_destroy_allocation_args args = {0};

    args.device = p->device;
    args.resource = resource;
    return vidmm_destroy_allocation(p->mm, &args);
}

static uint64_t local_usage(struct proc *p)
{
    struct vidmm_query_video_memory_args q = {0};

    q.adapter = p->adapter;
    q.group = VIDMM_SEGMENT_GROUP_LOCAL;
    assert_int_equal(vidmm_query_video_memory(p->mm, &q), STATUS_SUCCESS);
    return q.usage;
}

/* A global handle of manager A opens in manager B: same pages, B's own address. */
static void test_global_across(void **state)
{
    struct fx *f = *state;
    struct vidmm_query_resource_args q = {0};
    struct open_out o;
    uint32_t alloc, global, res;
    uint8_t *pa, *pb;

    res = create_shared(&f->a, SHARED, &alloc, &global);
    assert_true(global && (global & 0x3f) == 2);
    pa = lock(&f->a, alloc);
    memset(pa, 0x5a, SIZE);
    unlock(&f->a, alloc);

    q.device = f->b.device;
    q.global_share = global;
    assert_int_equal(vidmm_query_resource(f->b.mm, &q), STATUS_SUCCESS);
    assert_int_equal(q.count, 1);
    assert_int_equal(q.total_driver_size, sizeof(D3DKMT_WINE_ALLOCATION_DESC));
    open_args(&f->b, global, &o);
    assert_int_equal(vidmm_open_resource(f->b.mm, &o.args), STATUS_SUCCESS);
    pb = lock(&f->b, o.info.handle);
    assert_ptr_not_equal(pa, pb);
    assert_int_equal(pb[0], 0x5a);
    assert_int_equal(pb[SIZE - 1], 0x5a);
    pb[7] = 0xa5;
    unlock(&f->b, o.info.handle);
    pa = lock(&f->a, alloc);
    assert_int_equal(pa[7], 0xa5);
    unlock(&f->a, alloc);

    /* The creator lets go: the opener's copy and the global value live on. */
    assert_int_equal(destroy_resource(&f->a, res), STATUS_SUCCESS);
    assert_int_equal(native_share_globals(f->ns), 1);
    /* Not in A's table any more: found prefix-wide. */
    q.device = f->a.device;
    assert_int_equal(vidmm_query_resource(f->a.mm, &q), STATUS_SUCCESS);
    pb = lock(&f->b, o.info.handle);
    assert_int_equal(pb[7], 0xa5);
    unlock(&f->b, o.info.handle);
    /* The last local reference anywhere: the value dies. */
    assert_int_equal(destroy_resource(&f->b, o.args.resource), STATUS_SUCCESS);
    assert_int_equal(native_share_globals(f->ns), 0);
    assert_int_equal(vidmm_query_resource(f->a.mm, &q), STATUS_INVALID_PARAMETER);
}

/* Opening another process' resource places its allocations before their
 * handles are published; when the handles cannot all be published (B's
 * table is full after the resource's), the placement is undone: B's usage
 * is as before, no object is left, and the next open works. */
static void test_open_fails_at_publish(void **state)
{
    struct fx *f = *state;
    uint32_t alloc, global, res, saved;
    struct open_out o;
    uint64_t before;

    res = create_shared(&f->a, SHARED, &alloc, &global);
    before = local_usage(&f->b);
    saved = f->b.mm->table.max_live;
    f->b.mm->table.max_live = f->b.mm->table.live + 1;
    open_args(&f->b, global, &o);
    assert_int_not_equal(vidmm_open_resource(f->b.mm, &o.args), STATUS_SUCCESS);
    f->b.mm->table.max_live = saved;
    assert_int_equal(local_usage(&f->b), before);
    assert_int_equal(handle_table_count(&f->b.mm->table, VIDMM_OBJECT_ALLOCATION), 0);
    assert_int_equal(handle_table_count(&f->b.mm->table, VIDMM_OBJECT_RESOURCE), 0);
    open_args(&f->b, global, &o);
    assert_int_equal(vidmm_open_resource(f->b.mm, &o.args), STATUS_SUCCESS);
    assert_int_equal(local_usage(&f->b), before + SIZE);
    lock(&f->b, o.info.handle);
    unlock(&f->b, o.info.handle);
    assert_int_equal(destroy_resource(&f->b, o.args.resource), STATUS_SUCCESS);
    assert_int_equal(local_usage(&f->b), before);
    assert_int_equal(destroy_resource(&f->a, res), STATUS_SUCCESS);
}

/* The exact buffer rules of the file path, and residency as bookkeeping. */
static void test_nt_file(void **state)
{
    struct fx *f = *state;
    struct vidmm_share_file *file;
    struct vidmm_list_args list = {0};
    struct open_out o;
    uint32_t alloc, res, legacy_alloc, legacy, plain_alloc;
    uint64_t before = local_usage(&f->b);
    uint8_t *p;

    res = create_shared(&f->a, NT, &alloc, NULL);
    legacy = create_shared(&f->a, SHARED, &legacy_alloc, NULL);
    assert_int_equal(core_create(f->a.mm, f->a.device, SIZE, VIDMM_SEGMENT_GROUP_LOCAL, CV, &plain_alloc),
                     STATUS_SUCCESS);
    assert_int_equal(vidmm_share_resource(f->a.mm, alloc, &file), STATUS_INVALID_PARAMETER);
    assert_int_equal(vidmm_share_resource(f->a.mm, legacy, &file), STATUS_INVALID_PARAMETER);
    assert_int_equal(vidmm_share_resource(f->a.mm, plain_alloc, &file), STATUS_INVALID_PARAMETER);
    assert_int_equal(vidmm_share_resource(f->a.mm, res, &file), STATUS_SUCCESS);

    open_args(&f->b, 0, &o);
    o.args.count = 2;
    assert_int_equal(vidmm_open_resource_file(f->b.mm, file, &o.args), STATUS_INVALID_PARAMETER);
    open_args(&f->b, 0, &o);
    o.args.total_size = sizeof(D3DKMT_WINE_ALLOCATION_DESC) - 1;
    assert_int_equal(vidmm_open_resource_file(f->b.mm, file, &o.args), STATUS_NO_MEMORY);
    open_args(&f->b, 0, &o);
    o.args.runtime_size = 1;
    assert_int_equal(vidmm_open_resource_file(f->b.mm, file, &o.args), STATUS_INVALID_PARAMETER);
    assert_int_equal(local_usage(&f->b), before);
    open_args(&f->b, 0, &o);
    assert_int_equal(vidmm_open_resource_file(f->b.mm, file, &o.args), STATUS_SUCCESS);
    vidmm_share_put(f->a.mm, file);
    /* Counted in the opener's usage too (a double count across processes). */
    assert_int_equal(local_usage(&f->b), before + SIZE);

    p = lock(&f->a, alloc);
    memset(p, 0x33, SIZE);
    unlock(&f->a, alloc);
    /* Evict in B: the content stays put. */
    list.device = f->b.device;
    list.handles = (uintptr_t)&o.info.handle;
    list.count = 1;
    assert_int_equal(vidmm_evict(f->b.mm, &list), STATUS_INVALID_PARAMETER);   /* no residency reference */
    p = lock(&f->b, o.info.handle);
    assert_int_equal(p[100], 0x33);
    unlock(&f->b, o.info.handle);

    assert_int_equal(destroy_resource(&f->b, o.args.resource), STATUS_SUCCESS);
    assert_int_equal(local_usage(&f->b), before);
    assert_int_equal(destroy_resource(&f->a, res), STATUS_SUCCESS);
    assert_int_equal(destroy_resource(&f->a, legacy), STATUS_SUCCESS);
    assert_int_equal(core_destroy(f->a.mm, f->a.device, plain_alloc), STATUS_SUCCESS);
}

/* Another process may write anything into the file: the opener refuses a
 * descriptor that does not hold together. */
static void test_hostile_descriptor(void **state)
{
    struct fx *f = *state;
    struct vidmm_share_file *file;
    struct vidmm_share_header *h;
    struct vidmm_share_alloc *table;
    struct open_out o;
    uint32_t alloc, res;
    int i;

    res = create_shared(&f->a, NT, &alloc, NULL);
    assert_int_equal(vidmm_share_resource(f->a.mm, res, &file), STATUS_SUCCESS);
    h = share_header(file);
    table = (struct vidmm_share_alloc *)(file->view + VIDMM_SHARE_TABLE);
    for (i = 0; i < 11; i++)
    {
        struct vidmm_share_header saved_h = *h;
        struct vidmm_share_alloc saved_t = table[0];

        switch (i)
        {
        case 0: h->magic ^= 1; break;
        case 1: h->count = 0x7fffffff; break;
        case 2: table[0].offset = file->size; break;
        case 3: table[0].size = UINT64_MAX - 4095; break;
        case 4: table[0].private_offset = 0xfffffff0u; break;
        case 5: h->runtime_size = 0x7fffffff; break;
        case 6: h->total_driver_size += 1; break;
        case 7: h->file_size = 1ull << 40; break;
        case 8: table[0].group = 7; break;
        case 9: table[0].align_pages = 3; break;     /* kept as a shift: a power of two */
        case 10: table[0].align_pages = 0; break;
        }
        open_args(&f->b, 0, &o);
        o.args.total_size = sizeof(o.total);
        assert_int_equal(vidmm_open_resource_file(f->b.mm, file, &o.args), STATUS_INVALID_PARAMETER);
        memcpy(h, &saved_h, sizeof(saved_h));
        table[0] = saved_t;
    }
    open_args(&f->b, 0, &o);
    assert_int_equal(vidmm_open_resource_file(f->b.mm, file, &o.args), STATUS_SUCCESS);
    assert_int_equal(destroy_resource(&f->b, o.args.resource), STATUS_SUCCESS);
    vidmm_share_put(f->a.mm, file);
    assert_int_equal(destroy_resource(&f->a, res), STATUS_SUCCESS);
}

/* A real second process (fork) maps the same file: its writes show here. */
static void test_fork(void **state)
{
    struct fx *f = *state;
    struct vidmm_share_file *file, *child_view;
    uint32_t alloc, res;
    uint8_t *p;
    pid_t pid;
    int wstatus;

    res = create_shared(&f->a, NT, &alloc, NULL);
    assert_int_equal(vidmm_share_resource(f->a.mm, res, &file), STATUS_SUCCESS);
    pid = fork();
    if (!pid)
    {
        /* The child: only the primitive (no manager threads live here). */
        int ok = !native_share_open_fd(f->ns, native_share_fd(file), 1, VIDMM_SHARE_KIND_RESOURCE, &child_view);
        if (ok) child_view->view[share_header(child_view)->payload_offset + 5] = 0x77;
        _exit(ok ? 0 : 1);
    }
    assert_true(pid > 0);
    assert_int_equal(waitpid(pid, &wstatus, 0), pid);
    assert_true(WIFEXITED(wstatus) && !WEXITSTATUS(wstatus));
    p = lock(&f->a, alloc);
    assert_int_equal(p[5], 0x77);
    unlock(&f->a, alloc);
    /* A read-only view cannot be written (mapped PROT_READ). */
    assert_int_equal(native_share_open_fd(f->ns, native_share_fd(file), 0, VIDMM_SHARE_KIND_RESOURCE, &child_view),
                     STATUS_SUCCESS);
    assert_int_equal(child_view->writable, 0);
    vidmm_share_put(f->a.mm, child_view);
    vidmm_share_put(f->a.mm, file);
    assert_int_equal(destroy_resource(&f->a, res), STATUS_SUCCESS);
}

/* Without share ops a shared resource stays within its manager (the
 * alias path), and failing to make the file fails the create cleanly. */
static void test_create_failure(void **state)
{
    struct fx *f = *state;
    D3DKMT_WINE_ALLOCATION_DESC desc = core_desc(SIZE, VIDMM_SEGMENT_GROUP_LOCAL, CV);
    uint64_t before = local_usage(&f->a);
    uint32_t alloc;

    native_share_fail_next_create(f->ns);
    assert_int_equal(core_create_desc(f->a.mm, f->a.device, &desc, SHARED, &alloc, NULL),
                     STATUS_GRAPHICS_NO_VIDEO_MEMORY);
    assert_int_equal(local_usage(&f->a), before);
    assert_int_equal(native_share_live(f->ns), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] =
    {
        cmocka_unit_test_setup_teardown(test_global_across, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_fails_at_publish, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nt_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hostile_descriptor, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fork, setup, teardown),
        cmocka_unit_test_setup_teardown(test_create_failure, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
