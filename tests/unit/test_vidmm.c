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
 * Unit tests of the video memory manager through include/private/vidmm.h,
 * with mmap-backed memory ops (native_memory.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <pthread.h>
#include <time.h>
#include <cmocka.h>
#include <sys/mman.h>

#include "private/vidmm.h"
#include "private/handle_table.h"
#include "private/vidmm_alloc.h"
#include "private/vidmm_heap.h"
#include "wine-d3dkmt/d3dkmt_driver.h"
#include "native_memory.h"
#include "core_calls.h"

#define KB 1024ull
#define MB (1024ull * 1024ull)
#define LOCAL_SIZE (1 * MB)
#define NONLOCAL_SIZE (16 * MB)
#define TEST_LUID 0x0000000100000abcull

#define LOCAL D3DKMT_WINE_SEGMENT_GROUP_LOCAL
#define NONLOCAL D3DKMT_WINE_SEGMENT_GROUP_NON_LOCAL
#define CV D3DKMT_WINE_ALLOC_FLAG_CPU_VISIBLE
#define PINNED D3DKMT_WINE_ALLOC_FLAG_PINNED
#define SWIZZLED D3DKMT_WINE_ALLOC_FLAG_SWIZZLED

#define PRIORITY_LOW    0x28000000u
#define PRIORITY_NORMAL 0x78000000u
#define PRIORITY_HIGH   0xa0000000u

/* ---- fixture: a manager with one adapter (1 MiB local) and one device ---- */

struct fx
{
    struct native_memory *nm;
    struct vidmm *mm;
    uint32_t adapter, device;
    void *pool;                  /* the adapter's local segment pool */
    struct vidmm_fastlock_table *fast;   /* core_lock takes the fast path as the PE side does */
};

static int setup(void **state)
{
    struct vidmm_open_adapter_args open = {0};
    struct vidmm_create_device_args dev = {0};
    struct vidmm_memory_ops ops;
    struct fx *f = calloc(1, sizeof(*f));
    uint64_t size = 0;

    if (!f || !(f->nm = native_memory_create())) return -1;
    native_memory_ops(f->nm, &ops);
    if (vidmm_create(&ops, VIDMM_CREATE_TEST_CONTROL, &f->mm)) return -1;
    if (!(f->fast = core_enable_fastlock(f->mm))) return -1;
    open.luid = TEST_LUID;
    open.local_size = LOCAL_SIZE;
    open.nonlocal_size = NONLOCAL_SIZE;
    open.source_id = 0;
    open.source_count = 1;
    open.host_handle = 0x1234;
    if (vidmm_open_adapter(f->mm, &open)) return -1;
    f->adapter = open.handle;
    dev.adapter = f->adapter;
    dev.host_handle = 0x5678;
    if (vidmm_create_device(f->mm, &dev)) return -1;
    f->device = dev.handle;
    /* The pool is the only reservation so far. */
    if (!(f->pool = native_memory_reservation(f->nm, 0, &size)) || size != LOCAL_SIZE) return -1;
    *state = f;
    return 0;
}

/* vidmm_destroy frees whatever a test left; no memory may stay mapped. */
static int teardown(void **state)
{
    struct native_memory_counters c;
    struct fx *f = *state;
    int ret = 0;

    vidmm_alloc_fail_after(-1, 0);
    native_memory_fail_reserve_after(f->nm, -1, 0);
    native_memory_fail_commit_after(f->nm, -1, 0);
    native_memory_set_reserve_hook(f->nm, NULL, NULL);
    if (f->mm) vidmm_destroy(f->mm);
    native_memory_get_counters(f->nm, &c);
    if (c.reservations || c.reserved_bytes || c.committed_bytes || c.errors)
    {
        print_error("leak after vidmm_destroy: %ld reservations, %llu committed bytes, %lu errors\n",
                    c.reservations, (unsigned long long)c.committed_bytes, c.errors);
        ret = -1;
    }
    native_memory_destroy(f->nm);
    core_free_fastlock(f->fast);
    free(f);
    return ret;
}

/* ---- helpers ---- */

static D3DKMT_WINE_ALLOCATION_DESC make_desc(uint64_t size, uint32_t group, uint32_t flags)
{
    return core_desc(size, group, flags);
}

static void make_info(struct vidmm_alloc_info *info, const D3DKMT_WINE_ALLOCATION_DESC *desc)
{
    memset(info, 0, sizeof(*info));
    info->private_data = (uintptr_t)desc;
    info->private_size = sizeof(*desc);
}

static NTSTATUS create_allocs(struct fx *f, uint32_t device, uint32_t flags, uint32_t *resource,
                              struct vidmm_alloc_info *infos, uint32_t count)
{
    struct vidmm_create_allocation_args args;
    NTSTATUS status;

    memset(&args, 0, sizeof(args));
    args.device = device;
    args.resource = resource ? *resource : 0;
    args.flags = flags;
    args.count = count;
    args.allocs = (uintptr_t)infos;
    status = vidmm_create_allocation(f->mm, &args);
    if (!status && resource) *resource = args.resource;
    return status;
}

static NTSTATUS create_desc(struct fx *f, const D3DKMT_WINE_ALLOCATION_DESC *desc, uint32_t *handle)
{
    struct vidmm_alloc_info info;
    NTSTATUS status;

    make_info(&info, desc);
    if (!(status = create_allocs(f, f->device, 0, NULL, &info, 1))) *handle = info.handle;
    return status;
}

static NTSTATUS create_simple(struct fx *f, uint64_t size, uint32_t group, uint32_t flags, uint32_t *handle)
{
    D3DKMT_WINE_ALLOCATION_DESC desc = make_desc(size, group, flags);
    return create_desc(f, &desc, handle);
}

static uint32_t create_ok(struct fx *f, uint64_t size, uint32_t group, uint32_t flags)
{
    uint32_t handle = 0;

    assert_int_equal(create_simple(f, size, group, flags, &handle), STATUS_SUCCESS);
    assert_int_equal(handle & 0xc000003f, 0xc0000000);
    return handle;
}

static NTSTATUS lock_dev(struct fx *f, uint32_t device, uint32_t handle, uint32_t flags, uint8_t **ptr)
{
    struct vidmm_lock_args args;
    NTSTATUS status;

    memset(&args, 0, sizeof(args));
    args.device = device;
    args.allocation = handle;
    args.flags = flags;
    status = vidmm_lock(f->mm, &args);
    if (ptr) *ptr = status ? NULL : (uint8_t *)(uintptr_t)args.data;
    if (!status) assert_int_equal(args.allocation, handle);
    return status;
}

static uint8_t *lock_ok(struct fx *f, uint32_t handle)
{
    uint8_t *ptr = NULL;

    assert_int_equal(lock_dev(f, f->device, handle, 0, &ptr), STATUS_SUCCESS);
    assert_non_null(ptr);
    return ptr;
}

static NTSTATUS unlock_dev(struct fx *f, uint32_t device, const uint32_t *handles, uint32_t count)
{
    struct vidmm_unlock_args args;

    memset(&args, 0, sizeof(args));
    args.device = device;
    args.count = count;
    args.handles = (uintptr_t)handles;
    return vidmm_unlock(f->mm, &args);
}

static void unlock_ok(struct fx *f, uint32_t handle)
{
    assert_int_equal(unlock_dev(f, f->device, &handle, 1), STATUS_SUCCESS);
}

static NTSTATUS destroy_dev(struct fx *f, uint32_t device, uint32_t resource, const uint32_t *handles,
                            uint32_t count, uint32_t flags)
{
    struct vidmm_destroy_allocation_args args;

    memset(&args, 0, sizeof(args));
    args.device = device;
    args.resource = resource;
    args.handles = (uintptr_t)handles;
    args.count = count;
    args.flags = flags;
    return vidmm_destroy_allocation(f->mm, &args);
}

static void destroy_ok(struct fx *f, uint32_t handle)
{
    assert_int_equal(destroy_dev(f, f->device, 0, &handle, 1, 0), STATUS_SUCCESS);
}

static uint32_t create_device(struct fx *f, uint32_t adapter)
{
    struct vidmm_create_device_args args = {0};

    args.adapter = adapter;
    assert_int_equal(vidmm_create_device(f->mm, &args), STATUS_SUCCESS);
    return args.handle;
}

static struct vidmm_stats get_stats(struct fx *f)
{
    struct vidmm_stats stats;

    vidmm_get_stats(f->mm, &stats);
    return stats;
}

static uint64_t query_usage(struct fx *f, uint32_t group)
{
    struct vidmm_query_video_memory_args args = {0};

    args.adapter = f->adapter;
    args.group = group;
    assert_int_equal(vidmm_query_video_memory(f->mm, &args), STATUS_SUCCESS);
    assert_true(args.usage <= args.budget || group == NONLOCAL);
    return args.usage;
}

/* Local usage as both interfaces see it, never above the segment. */
static uint64_t local_usage(struct fx *f)
{
    struct vidmm_stats stats = get_stats(f);

    assert_true(stats.local_usage <= LOCAL_SIZE);
    assert_int_equal(query_usage(f, LOCAL), stats.local_usage);
    return stats.local_usage;
}

/* Whether a locked pointer is in the local segment pool (else a backing store or user memory). */
static int in_local_pool(struct fx *f, const void *ptr)
{
    return native_memory_reservation_base(f->nm, ptr) == f->pool;
}

/* The test-control escape (d3dkmt_driver.h); returns the state after it. */
static NTSTATUS escape(struct fx *f, uint32_t command, uint64_t value, D3DKMT_WINE_ESCAPE *out)
{
    return core_escape(f->mm, f->adapter, command, value, out);
}

static uint32_t apertures_used(struct fx *f)
{
    D3DKMT_WINE_ESCAPE esc;

    assert_int_equal(escape(f, D3DKMT_WINE_ESCAPE_QUERY_STATS, 0, &esc), STATUS_SUCCESS);
    return esc.AperturesUsed;
}

static void fill(void *ptr, uint64_t size, uint32_t seed)
{
    uint32_t *p = ptr;
    uint64_t i;

    for (i = 0; i < size / 4; i++) p[i] = seed * 2654435761u + (uint32_t)i;
}

static int matches(const void *ptr, uint64_t size, uint32_t seed)
{
    const uint32_t *p = ptr;
    uint64_t i;

    for (i = 0; i < size / 4; i++)
        if (p[i] != seed * 2654435761u + (uint32_t)i) return 0;
    return 1;
}

static int all_zero(const void *ptr, uint64_t size)
{
    const uint8_t *p = ptr;
    uint64_t i;

    for (i = 0; i < size; i++)
        if (p[i]) return 0;
    return 1;
}

/* Everything a failed call must leave as it was. */
struct snap
{
    struct vidmm_stats stats;
    long reservations;
    uint64_t reserved_bytes, committed_bytes;
    unsigned long errors;
};

static void take_snap(struct fx *f, struct snap *s)
{
    struct native_memory_counters c;

    memset(s, 0, sizeof(*s));
    vidmm_get_stats(f->mm, &s->stats);
    native_memory_get_counters(f->nm, &c);
    /* An empty heap arena may stay after a success, kept for the next one. */
    s->reservations = c.reservations - s->stats.spare_arenas;
    s->reserved_bytes = c.reserved_bytes - s->stats.spare_bytes;
    s->committed_bytes = c.committed_bytes - s->stats.spare_bytes;
    s->errors = c.errors;
}

static void assert_snap_equal(const struct snap *a, const struct snap *b)
{
    assert_int_equal(a->stats.adapters, b->stats.adapters);
    assert_int_equal(a->stats.devices, b->stats.devices);
    assert_int_equal(a->stats.resources, b->stats.resources);
    assert_int_equal(a->stats.allocations, b->stats.allocations);
    assert_int_equal(a->stats.local_usage, b->stats.local_usage);
    assert_int_equal(a->stats.nonlocal_usage, b->stats.nonlocal_usage);
    assert_int_equal(a->stats.backing_bytes, b->stats.backing_bytes);
    assert_int_equal(a->reservations, b->reservations);
    assert_int_equal(a->reserved_bytes, b->reserved_bytes);
    assert_int_equal(a->committed_bytes, b->committed_bytes);
    assert_int_equal(b->errors, 0);
}

static void assert_unchanged(struct fx *f, const struct snap *before)
{
    struct snap now;

    take_snap(f, &now);
    assert_snap_equal(before, &now);
}

/* ---- adapters and devices ---- */

static void test_adapter_open_close(void **state)
{
    struct fx *f = *state;
    struct vidmm_open_adapter_args open = {0};
    struct vidmm_close_adapter_args close = {0};
    struct vidmm_adapter_info info;
    struct native_memory_counters c;
    struct snap before;
    uint32_t second, third;

    memset(&info, 0, sizeof(info));
    assert_int_equal(vidmm_query_adapter(f->mm, f->adapter, &info), STATUS_SUCCESS);
    assert_int_equal(info.luid, TEST_LUID);
    assert_int_equal(info.local_size, LOCAL_SIZE);
    assert_int_equal(info.nonlocal_size, NONLOCAL_SIZE);
    assert_int_equal(info.source_id, 0);
    assert_int_equal(info.host_handle, 0x1234);
    assert_int_equal(vidmm_query_adapter(f->mm, f->device, &info), STATUS_INVALID_PARAMETER);
    assert_int_equal(vidmm_query_adapter(f->mm, 0, &info), STATUS_INVALID_PARAMETER);

    /* Invalid arguments change nothing. */
    take_snap(f, &before);
    open.luid = 0; open.local_size = MB; open.source_count = 1;
    assert_int_equal(vidmm_open_adapter(f->mm, &open), STATUS_INVALID_PARAMETER);
    open.luid = 0x77; open.source_id = 1; open.source_count = 1;
    assert_int_equal(vidmm_open_adapter(f->mm, &open), STATUS_INVALID_PARAMETER);
    open.source_id = 0; open.source_count = 0;
    assert_int_equal(vidmm_open_adapter(f->mm, &open), STATUS_INVALID_PARAMETER);
    open.source_count = 1; open.local_size = 100;   /* less than a page */
    assert_int_equal(vidmm_open_adapter(f->mm, &open), STATUS_INVALID_PARAMETER);
    assert_unchanged(f, &before);

    /* The same LUID again: a new handle on the same GPU; the sizes of the first open stay. */
    memset(&open, 0, sizeof(open));
    open.luid = TEST_LUID; open.local_size = 4 * MB; open.nonlocal_size = MB;
    open.source_id = 1; open.source_count = 2; open.host_handle = 0x99;
    assert_int_equal(vidmm_open_adapter(f->mm, &open), STATUS_SUCCESS);
    second = open.handle;
    assert_int_equal(second, f->device + 0x40);
    assert_int_equal(vidmm_query_adapter(f->mm, second, &info), STATUS_SUCCESS);
    assert_int_equal(info.local_size, LOCAL_SIZE);
    assert_int_equal(info.source_id, 1);
    assert_int_equal(info.host_handle, 0x99);
    native_memory_get_counters(f->nm, &c);
    assert_int_equal(c.reservations, 1);   /* still one local pool */
    assert_int_equal(get_stats(f).adapters, 2);

    /* Another LUID: its own pool, page-rounded. */
    memset(&open, 0, sizeof(open));
    open.luid = 0x42; open.local_size = 2 * MB + 100; open.source_count = 1;
    assert_int_equal(vidmm_open_adapter(f->mm, &open), STATUS_SUCCESS);
    third = open.handle;
    assert_int_equal(vidmm_query_adapter(f->mm, third, &info), STATUS_SUCCESS);
    assert_int_equal(info.local_size, 2 * MB);
    native_memory_get_counters(f->nm, &c);
    assert_int_equal(c.reservations, 2);

    close.handle = third;
    assert_int_equal(vidmm_close_adapter(f->mm, &close), STATUS_SUCCESS);
    native_memory_get_counters(f->nm, &c);
    assert_int_equal(c.reservations, 1);
    assert_int_equal(vidmm_close_adapter(f->mm, &close), STATUS_INVALID_PARAMETER);   /* twice */
    assert_int_equal(vidmm_query_adapter(f->mm, third, &info), STATUS_INVALID_PARAMETER);
    close.handle = 0;
    assert_int_equal(vidmm_close_adapter(f->mm, &close), STATUS_INVALID_PARAMETER);
    close.handle = f->device;
    assert_int_equal(vidmm_close_adapter(f->mm, &close), STATUS_INVALID_PARAMETER);

    /* Closing one of two handles of a GPU keeps the GPU and the other's device. */
    close.handle = second;
    close.host_handle = 0;
    assert_int_equal(vidmm_close_adapter(f->mm, &close), STATUS_SUCCESS);
    assert_int_equal(close.host_handle, 0x99);
    native_memory_get_counters(f->nm, &c);
    assert_int_equal(c.reservations, 1);
    destroy_ok(f, create_ok(f, 64 * KB, LOCAL, CV));
    assert_int_equal(get_stats(f).adapters, 1);
    assert_int_equal(get_stats(f).devices, 1);
}

/* CloseAdapter hands back the Wine device handle of each device it destroys,
 * once: not of a device destroyed before it, and nothing is closed when the
 * array is too small. */
static void test_close_adapter_device_hosts(void **state)
{
    struct fx *f = *state;
    struct vidmm_open_adapter_args open = {0};
    struct vidmm_close_adapter_args close = {0};
    struct vidmm_create_device_args create = {0};
    struct vidmm_destroy_device_args destroy = {0};
    uint32_t devices[3], hosts[4], i;

    open.luid = TEST_LUID; open.local_size = 4 * MB; open.nonlocal_size = MB; open.source_count = 1;
    assert_int_equal(vidmm_open_adapter(f->mm, &open), STATUS_SUCCESS);
    for (i = 0; i < 3; i++)
    {
        create.adapter = open.handle;
        create.host_handle = 0x100 + i;
        assert_int_equal(vidmm_create_device(f->mm, &create), STATUS_SUCCESS);
        devices[i] = create.handle;
    }
    destroy.handle = devices[1];
    assert_int_equal(vidmm_destroy_device(f->mm, &destroy), STATUS_SUCCESS);
    assert_int_equal(destroy.host_handle, 0x101);

    memset(hosts, 0, sizeof(hosts));
    close.handle = open.handle;
    close.device_hosts = (uintptr_t)hosts;
    close.device_hosts_max = 1;
    assert_int_equal(vidmm_close_adapter(f->mm, &close), STATUS_BUFFER_TOO_SMALL);
    assert_int_equal(close.device_count, 2);
    assert_int_equal(hosts[0], 0);
    assert_int_equal(get_stats(f).devices, 3);   /* the fixture's and two here: nothing closed */

    close.device_hosts_max = 2;
    assert_int_equal(vidmm_close_adapter(f->mm, &close), STATUS_SUCCESS);
    assert_int_equal(close.device_count, 2);
    assert_true((hosts[0] == 0x100 && hosts[1] == 0x102) || (hosts[0] == 0x102 && hosts[1] == 0x100));
    assert_int_equal(hosts[2], 0);
    assert_int_equal(get_stats(f).devices, 1);
    destroy.handle = devices[0];
    assert_int_equal(vidmm_destroy_device(f->mm, &destroy), STATUS_INVALID_PARAMETER);
    assert_int_equal(vidmm_close_adapter(f->mm, &close), STATUS_INVALID_PARAMETER);
}

static void test_device_create_destroy(void **state)
{
    struct fx *f = *state;
    struct vidmm_create_device_args args = {0};
    struct vidmm_destroy_device_args destroy = {0};
    struct snap before;

    take_snap(f, &before);
    args.adapter = f->adapter;
    args.flags = ~VIDMM_DEVICE_FLAGS_VALID;
    assert_int_equal(vidmm_create_device(f->mm, &args), STATUS_INVALID_PARAMETER);
    args.flags = 0x8;
    assert_int_equal(vidmm_create_device(f->mm, &args), STATUS_INVALID_PARAMETER);
    args.flags = 0;
    args.adapter = 0;
    assert_int_equal(vidmm_create_device(f->mm, &args), STATUS_INVALID_PARAMETER);
    args.adapter = f->device;   /* not an adapter */
    assert_int_equal(vidmm_create_device(f->mm, &args), STATUS_INVALID_PARAMETER);
    args.adapter = f->adapter | 2;   /* global tag */
    assert_int_equal(vidmm_create_device(f->mm, &args), STATUS_INVALID_PARAMETER);
    assert_unchanged(f, &before);

    args.adapter = f->adapter;
    args.flags = VIDMM_DEVICE_FLAGS_VALID;
    args.host_handle = 0xabc;
    assert_int_equal(vidmm_create_device(f->mm, &args), STATUS_SUCCESS);
    assert_int_equal(args.handle, f->device + 0x40);
    assert_int_equal(get_stats(f).devices, 2);

    destroy.handle = args.handle;
    assert_int_equal(vidmm_destroy_device(f->mm, &destroy), STATUS_SUCCESS);
    assert_int_equal(destroy.host_handle, 0xabc);
    assert_int_equal(vidmm_destroy_device(f->mm, &destroy), STATUS_INVALID_PARAMETER);
    destroy.handle = 0;
    assert_int_equal(vidmm_destroy_device(f->mm, &destroy), STATUS_INVALID_PARAMETER);
    destroy.handle = f->adapter;
    assert_int_equal(vidmm_destroy_device(f->mm, &destroy), STATUS_INVALID_PARAMETER);
    assert_unchanged(f, &before);
}

/* ---- creation ---- */

static void test_create_validation(void **state)
{
    struct fx *f = *state;
    D3DKMT_WINE_ALLOCATION_DESC desc;
    struct vidmm_create_allocation_args args;
    struct vidmm_alloc_info info, many[2];
    uint8_t big[D3DKMT_WINE_MAX_PRIVATE_DATA + 1];
    struct snap before;
    uint32_t h = 0;

    take_snap(f, &before);
#define BAD_DESC(stmt) do { desc = make_desc(64 * KB, LOCAL, CV); stmt; \
        assert_int_equal(create_desc(f, &desc, &h), STATUS_INVALID_PARAMETER); } while (0)
    BAD_DESC(desc.Magic = 0x12345678);
    BAD_DESC(desc.Version = 2);
    BAD_DESC(desc.Version = 0);
    BAD_DESC(desc.Size = 0);
    BAD_DESC(desc.Size = UINT64_MAX);
    BAD_DESC(desc.Size = UINT64_MAX - VIDMM_PAGE_SIZE + 1);
    BAD_DESC(desc.Alignment = 2048);          /* below a page */
    BAD_DESC(desc.Alignment = 3 * 4096);      /* not a power of two */
    BAD_DESC(desc.SegmentGroup = 2);
    BAD_DESC(desc.Flags = 0x8);
    BAD_DESC(desc.Flags = 0x80000000);
#undef BAD_DESC

    desc = make_desc(64 * KB, LOCAL, CV);
#define BAD_INFO(stmt, expect) do { make_info(&info, &desc); stmt; \
        assert_int_equal(create_allocs(f, f->device, 0, NULL, &info, 1), expect); } while (0)
    BAD_INFO(info.private_size = sizeof(desc) - 1, STATUS_INVALID_PARAMETER);
    BAD_INFO(info.private_size = 0, STATUS_INVALID_PARAMETER);
    BAD_INFO(info.private_data = 0, STATUS_INVALID_PARAMETER);
    memset(big, 0, sizeof(big));
    memcpy(big, &desc, sizeof(desc));
    BAD_INFO((info.private_data = (uintptr_t)big, info.private_size = sizeof(big)), STATUS_INVALID_PARAMETER);
    BAD_INFO(info.flags = VIDMM_ALLOC_STEREO, STATUS_INVALID_PARAMETER);          /* only with Primary */
    BAD_INFO(info.flags = VIDMM_ALLOC_OVERRIDE_PRIORITY, STATUS_INVALID_PARAMETER); /* INFO2 only */
    BAD_INFO(info.flags = 0x8, STATUS_INVALID_PARAMETER);
    BAD_INFO(info.system_mem = 0x10001000, STATUS_INVALID_PARAMETER);  /* not registered */
    BAD_INFO(info.system_mem = 0x10000010, STATUS_INVALID_PARAMETER);  /* not aligned */
#undef BAD_INFO

    /* Whole-call checks. */
    make_info(&info, &desc);
    assert_int_equal(create_allocs(f, f->device, 0, NULL, &info, 0), STATUS_INVALID_PARAMETER);
    assert_int_equal(create_allocs(f, f->device, 0, NULL, NULL, 1), STATUS_INVALID_PARAMETER);
    assert_int_equal(create_allocs(f, f->device, 0, NULL, &info, D3DKMT_WINE_MAX_ALLOCATIONS_PER_CALL + 1),
                     STATUS_INVALID_PARAMETER);
    assert_int_equal(create_allocs(f, 0, 0, NULL, &info, 1), STATUS_INVALID_PARAMETER);
    assert_int_equal(create_allocs(f, f->adapter, 0, NULL, &info, 1), STATUS_INVALID_PARAMETER);
    assert_int_equal(create_allocs(f, f->device, 0x400000, NULL, &info, 1), STATUS_INVALID_PARAMETER);
    assert_int_equal(create_allocs(f, f->device, VIDMM_CREATE_PROTECTED, NULL, &info, 1), STATUS_INVALID_PARAMETER);
    assert_int_equal(create_allocs(f, f->device, VIDMM_CREATE_WRITE_COMBINED, NULL, &info, 1), STATUS_INVALID_PARAMETER);
    assert_int_equal(create_allocs(f, f->device, VIDMM_CREATE_CACHED, NULL, &info, 1), STATUS_INVALID_PARAMETER);
    assert_int_equal(create_allocs(f, f->device, VIDMM_CREATE_OPEN_CROSS_ADAPTER, NULL, &info, 1), STATUS_INVALID_PARAMETER);
    assert_int_equal(create_allocs(f, f->device, VIDMM_CREATE_SHARED, NULL, &info, 1), STATUS_INVALID_PARAMETER);
    assert_int_equal(create_allocs(f, f->device, VIDMM_CREATE_RESOURCE | VIDMM_CREATE_NT_SECURITY, NULL, &info, 1),
                     STATUS_INVALID_PARAMETER);
    assert_int_equal(create_allocs(f, f->device, VIDMM_CREATE_EXISTING_SECTION, NULL, &info, 1), STATUS_INVALID_PARAMETER);

    /* One bad descriptor in a list fails the whole call. */
    make_info(&many[0], &desc);
    make_info(&many[1], &desc);
    many[1].private_size = 4;
    assert_int_equal(create_allocs(f, f->device, 0, NULL, many, 2), STATUS_INVALID_PARAMETER);

    /* Runtime and resource data limits. */
    memset(&args, 0, sizeof(args));
    args.device = f->device;
    args.flags = VIDMM_CREATE_RESOURCE;
    args.count = 1;
    args.allocs = (uintptr_t)&info;
    args.runtime_size = 16;   /* without data */
    assert_int_equal(vidmm_create_allocation(f->mm, &args), STATUS_INVALID_PARAMETER);
    args.runtime_data = (uintptr_t)big;
    args.runtime_size = sizeof(big);
    assert_int_equal(vidmm_create_allocation(f->mm, &args), STATUS_INVALID_PARAMETER);
    args.runtime_size = 0;
    args.resource_size = 16;
    assert_int_equal(vidmm_create_allocation(f->mm, &args), STATUS_INVALID_PARAMETER);
    args.resource_data = (uintptr_t)big;
    args.resource_size = sizeof(big);
    assert_int_equal(vidmm_create_allocation(f->mm, &args), STATUS_INVALID_PARAMETER);
    assert_unchanged(f, &before);

    /* Limits themselves are fine: 64 KiB of private data, a size rounded up to pages. */
    make_info(&info, &desc);
    info.private_data = (uintptr_t)big;
    info.private_size = D3DKMT_WINE_MAX_PRIVATE_DATA;
    assert_int_equal(create_allocs(f, f->device, 0, NULL, &info, 1), STATUS_SUCCESS);
    destroy_ok(f, info.handle);
    desc = make_desc(1, NONLOCAL, 0);
    assert_int_equal(create_desc(f, &desc, &h), STATUS_SUCCESS);
    assert_int_equal(get_stats(f).nonlocal_usage, VIDMM_PAGE_SIZE);
    destroy_ok(f, h);
    assert_unchanged(f, &before);
}

static void test_handle_sequence(void **state)
{
    struct fx *f = *state;
    D3DKMT_WINE_ALLOCATION_DESC desc = make_desc(64 * KB, LOCAL, CV);
    struct vidmm_alloc_info infos[3];
    uint32_t resource = 0, h;
    int i;

    /* Adapter, device, resource, allocations: one counter, +0x40 each (spec A.2). */
    assert_int_equal(f->adapter & 0xc000003f, 0xc0000000);
    assert_int_equal(f->device, f->adapter + 0x40);
    for (i = 0; i < 3; i++) make_info(&infos[i], &desc);
    assert_int_equal(create_allocs(f, f->device, VIDMM_CREATE_RESOURCE, &resource, infos, 3), STATUS_SUCCESS);
    assert_int_equal(resource, f->device + 0x40);
    for (i = 0; i < 3; i++) assert_int_equal(infos[i].handle, resource + 0x40 * (i + 1));
    h = create_ok(f, 4 * KB, NONLOCAL, 0);
    assert_int_equal(h, infos[2].handle + 0x40);
    assert_int_equal(create_device(f, f->adapter), h + 0x40);
}

/* ---- locking ---- */

static void test_lock_basic(void **state)
{
    struct fx *f = *state;
    uint32_t h = create_ok(f, 64 * KB, LOCAL, CV), h2, dev2;
    uint8_t *p, *q;

    /* A fresh allocation is zero and CPU-visible memory is locked in place. */
    p = lock_ok(f, h);
    assert_true(in_local_pool(f, p));
    assert_true(native_memory_is_committed(f->nm, p, 64 * KB));
    assert_true(all_zero(p, 64 * KB));
    fill(p, 64 * KB, 1);
    /* Nested locks share one count and return the same address. */
    q = lock_ok(f, h);
    assert_ptr_equal(p, q);
    unlock_ok(f, h);
    unlock_ok(f, h);
    assert_int_equal(unlock_dev(f, f->device, &h, 1), STATUS_INVALID_PARAMETER);   /* not locked */
    p = lock_ok(f, h);
    assert_true(matches(p, 64 * KB, 1));
    unlock_ok(f, h);

    /* Wrong device, wrong handles. */
    dev2 = create_device(f, f->adapter);
    assert_int_equal(lock_dev(f, dev2, h, 0, &p), STATUS_INVALID_PARAMETER);
    assert_int_equal(lock_dev(f, 0, h, 0, &p), STATUS_INVALID_PARAMETER);
    assert_int_equal(lock_dev(f, f->device, 0, 0, &p), STATUS_INVALID_PARAMETER);
    assert_int_equal(lock_dev(f, f->device, f->device, 0, &p), STATUS_INVALID_PARAMETER);
    assert_int_equal(lock_dev(f, f->device, h | 2, 0, &p), STATUS_INVALID_PARAMETER);
    p = lock_ok(f, h);
    assert_int_equal(unlock_dev(f, dev2, &h, 1), STATUS_INVALID_PARAMETER);
    unlock_ok(f, h);

    /* A destroyed allocation cannot be locked or unlocked; a locked one can be destroyed. */
    h2 = create_ok(f, 8 * KB, LOCAL, CV);
    lock_ok(f, h2);
    destroy_ok(f, h2);
    assert_int_equal(lock_dev(f, f->device, h2, 0, &p), STATUS_INVALID_PARAMETER);
    assert_int_equal(unlock_dev(f, f->device, &h2, 1), STATUS_INVALID_PARAMETER);
    destroy_ok(f, h);
    assert_int_equal(local_usage(f), 0);
}

static void test_lock_flags_and_pages(void **state)
{
    struct fx *f = *state;
    uint32_t h = create_ok(f, 64 * KB, LOCAL, CV), pages[17];
    struct vidmm_lock_args args;
    uint8_t *p;
    int i;

#define LOCK_WITH(stmt) (memset(&args, 0, sizeof(args)), args.device = f->device, args.allocation = h, \
                         (stmt), vidmm_lock(f->mm, &args))
    assert_int_equal(LOCK_WITH(args.flags = VIDMM_LOCK_READ_ONLY | VIDMM_LOCK_WRITE_ONLY), STATUS_INVALID_PARAMETER);
    assert_int_equal(LOCK_WITH(args.flags = VIDMM_LOCK_IGNORE_SYNC | VIDMM_LOCK_ACQUIRE_APERTURE), STATUS_INVALID_PARAMETER);
    assert_int_equal(LOCK_WITH(args.flags = VIDMM_LOCK_USE_ALTERNATE_VA), STATUS_INVALID_PARAMETER);
    assert_int_equal(LOCK_WITH(args.flags = 0x800), STATUS_INVALID_PARAMETER);
    assert_int_equal(LOCK_WITH(args.flags = 0x80000000), STATUS_INVALID_PARAMETER);
    pages[0] = 0;
    assert_int_equal(LOCK_WITH((args.flags = VIDMM_LOCK_ENTIRE, args.num_pages = 1, args.pages = (uintptr_t)pages)),
                     STATUS_INVALID_PARAMETER);
    assert_int_equal(LOCK_WITH((args.flags = VIDMM_LOCK_ENTIRE, args.pages = (uintptr_t)pages)), STATUS_INVALID_PARAMETER);
    assert_int_equal(LOCK_WITH(args.num_pages = 1), STATUS_INVALID_PARAMETER);   /* no page list */
    for (i = 0; i < 17; i++) pages[i] = i % 16;
    assert_int_equal(LOCK_WITH((args.num_pages = 17, args.pages = (uintptr_t)pages)), STATUS_INVALID_PARAMETER);
    pages[0] = 16;   /* one past the end */
    assert_int_equal(LOCK_WITH((args.num_pages = 1, args.pages = (uintptr_t)pages)), STATUS_INVALID_PARAMETER);
    assert_int_equal(LOCK_WITH((args.lock2 = 1, args.flags = VIDMM_LOCK_READ_ONLY)), STATUS_INVALID_PARAMETER);
    /* None of them locked anything. */
    assert_int_equal(unlock_dev(f, f->device, &h, 1), STATUS_INVALID_PARAMETER);

    /* Valid variants: a page list, LockEntire, Lock2, every lone flag. */
    pages[0] = 15;
    pages[1] = 0;
    assert_int_equal(LOCK_WITH((args.num_pages = 2, args.pages = (uintptr_t)pages)), STATUS_SUCCESS);
    p = (uint8_t *)(uintptr_t)args.data;
    assert_int_equal(args.gpu_va, 0);
    assert_int_equal(LOCK_WITH(args.flags = VIDMM_LOCK_ENTIRE), STATUS_SUCCESS);
    assert_ptr_equal((uint8_t *)(uintptr_t)args.data, p);
    assert_int_equal(LOCK_WITH(args.lock2 = 1), STATUS_SUCCESS);
    assert_ptr_equal((uint8_t *)(uintptr_t)args.data, p);
    for (i = 0; i < 11; i++)
    {
        uint32_t flag = 1u << i;
        if (flag == VIDMM_LOCK_USE_ALTERNATE_VA) continue;
        assert_int_equal(LOCK_WITH(args.flags = flag), STATUS_SUCCESS);
        assert_ptr_equal((uint8_t *)(uintptr_t)args.data, p);
        unlock_ok(f, h);
    }
#undef LOCK_WITH
    for (i = 0; i < 3; i++) unlock_ok(f, h);
    assert_int_equal(unlock_dev(f, f->device, &h, 1), STATUS_INVALID_PARAMETER);
}

static void test_lock_reference_limit(void **state)
{
    struct fx *f = *state;
    uint32_t h = create_ok(f, 4 * KB, LOCAL, CV), i;
    uint8_t *p = lock_ok(f, h), *q;

    for (i = 1; i < D3DKMT_WINE_MAX_LOCK_REFERENCES; i++)
    {
        q = NULL;
        if (lock_dev(f, f->device, h, 0, &q) || q != p) fail_msg("nested lock %u failed", i);
    }
    assert_int_equal(lock_dev(f, f->device, h, 0, &q), STATUS_GRAPHICS_TOO_MANY_REFERENCES);
    /* Unlocking one makes room for one more. */
    unlock_ok(f, h);
    assert_int_equal(lock_dev(f, f->device, h, 0, &q), STATUS_SUCCESS);
    for (i = 0; i < D3DKMT_WINE_MAX_LOCK_REFERENCES; i++)
        if (unlock_dev(f, f->device, &h, 1)) fail_msg("unlock %u failed", i);
    assert_int_equal(unlock_dev(f, f->device, &h, 1), STATUS_INVALID_PARAMETER);
}

/* Locking memory the CPU cannot reach in video memory moves it to system memory. */
static void test_lock_moves_unreachable(void **state)
{
    struct fx *f = *state;
    uint32_t h, swz[D3DKMT_WINE_DEFAULT_APERTURES], extra, pin, prim;
    struct vidmm_alloc_info info;
    uint32_t i;
    D3DKMT_WINE_ALLOCATION_DESC desc;
    struct vidmm_stats stats;
    uint8_t *p;

    h = create_ok(f, 128 * KB, LOCAL, 0);
    assert_int_equal(local_usage(f), 128 * KB);
    /* DonotEvict refuses the move and leaves it unlocked. */
    assert_int_equal(lock_dev(f, f->device, h, VIDMM_LOCK_DONOT_EVICT, &p), STATUS_GRAPHICS_ALLOCATION_BUSY);
    assert_int_equal(unlock_dev(f, f->device, &h, 1), STATUS_INVALID_PARAMETER);
    assert_int_equal(local_usage(f), 128 * KB);
    p = lock_ok(f, h);
    assert_false(in_local_pool(f, p));
    /* In a shared heap arena, not a reservation (a mapping) of its own. */
    assert_int_equal(native_memory_reservation_size(f->nm, p), VIDMM_HEAP_ARENA_SIZE);
    assert_true(all_zero(p, 128 * KB));
    stats = get_stats(f);
    assert_int_equal(stats.local_usage, 0);
    assert_int_equal(stats.backing_bytes, 128 * KB);
    fill(p, 128 * KB, 7);
    unlock_ok(f, h);
    /* Once in system memory, DonotEvict has nothing to refuse. */
    assert_int_equal(lock_dev(f, f->device, h, VIDMM_LOCK_DONOT_EVICT, &p), STATUS_SUCCESS);
    assert_true(matches(p, 128 * KB, 7));
    unlock_ok(f, h);

    /* Swizzled: locked in place through a deswizzling aperture while one is
     * free, else moved to system memory (deswizzled there). */
    for (i = 0; i < D3DKMT_WINE_DEFAULT_APERTURES; i++)
    {
        swz[i] = create_ok(f, 64 * KB, LOCAL, CV | SWIZZLED);
        p = lock_ok(f, swz[i]);
        assert_true(in_local_pool(f, p));
        assert_ptr_equal(lock_ok(f, swz[i]), p);   /* nesting takes no second aperture */
        assert_int_equal(apertures_used(f), i + 1);
    }
    extra = create_ok(f, 64 * KB, LOCAL, CV | SWIZZLED);
    assert_int_equal(lock_dev(f, f->device, extra, VIDMM_LOCK_DONOT_EVICT, &p),
                     STATUS_GRAPHICS_UNSWIZZLING_APERTURE_UNAVAILABLE);
    p = lock_ok(f, extra);
    assert_false(in_local_pool(f, p));
    assert_int_equal(apertures_used(f), D3DKMT_WINE_DEFAULT_APERTURES);
    unlock_ok(f, extra);
    /* The last unlock gives the aperture back; so does destroying a locked one. */
    unlock_ok(f, swz[0]);
    assert_int_equal(apertures_used(f), D3DKMT_WINE_DEFAULT_APERTURES);
    unlock_ok(f, swz[0]);
    assert_int_equal(apertures_used(f), D3DKMT_WINE_DEFAULT_APERTURES - 1);
    destroy_ok(f, swz[1]);
    assert_int_equal(apertures_used(f), D3DKMT_WINE_DEFAULT_APERTURES - 2);
    p = lock_ok(f, swz[0]);
    assert_true(in_local_pool(f, p));
    unlock_ok(f, swz[0]);
    destroy_ok(f, swz[0]);
    destroy_ok(f, extra);
    assert_int_equal(apertures_used(f), 0);
    assert_int_equal(local_usage(f), 0);

    /* Pinned and primary allocations cannot be moved for a lock. */
    pin = create_ok(f, 64 * KB, LOCAL, PINNED);
    assert_int_equal(lock_dev(f, f->device, pin, 0, &p), STATUS_GRAPHICS_CANT_EVICT_PINNED_ALLOCATION);
    desc = make_desc(64 * KB, LOCAL, 0);
    make_info(&info, &desc);
    info.flags = VIDMM_ALLOC_PRIMARY;
    assert_int_equal(create_allocs(f, f->device, 0, NULL, &info, 1), STATUS_SUCCESS);
    prim = info.handle;
    assert_int_equal(lock_dev(f, f->device, prim, 0, &p), STATUS_GRAPHICS_CANT_EVICT_PINNED_ALLOCATION);
    assert_int_equal(local_usage(f), 128 * KB);
    assert_int_equal(unlock_dev(f, f->device, &pin, 1), STATUS_INVALID_PARAMETER);
    /* A pinned CPU-visible one locks in place. */
    destroy_ok(f, pin);
    pin = create_ok(f, 64 * KB, LOCAL, PINNED | CV);
    p = lock_ok(f, pin);
    assert_true(in_local_pool(f, p));
    unlock_ok(f, pin);
}

/* ---- usage and eviction ---- */

static void test_usage_accounting(void **state)
{
    struct fx *f = *state;
    struct vidmm_query_video_memory_args q = {0};
    uint32_t a, b, c;
    struct vidmm_stats stats;

    q.adapter = f->adapter;
    assert_int_equal(vidmm_query_video_memory(f->mm, &q), STATUS_SUCCESS);
    assert_int_equal(q.budget, LOCAL_SIZE);
    assert_int_equal(q.usage, 0);
    assert_int_equal(q.reservation, 0);
    assert_true(q.available_for_reservation <= q.budget);
    q.group = NONLOCAL;
    assert_int_equal(vidmm_query_video_memory(f->mm, &q), STATUS_SUCCESS);
    assert_int_equal(q.budget, NONLOCAL_SIZE);
    q.group = 2;
    assert_int_equal(vidmm_query_video_memory(f->mm, &q), STATUS_INVALID_PARAMETER);
    q.group = LOCAL;
    q.physical_adapter = 99;
    assert_int_equal(vidmm_query_video_memory(f->mm, &q), STATUS_INVALID_PARAMETER);
    q.physical_adapter = 0;
    q.adapter = f->device;
    assert_int_equal(vidmm_query_video_memory(f->mm, &q), STATUS_INVALID_PARAMETER);
    q.adapter = 0;
    assert_int_equal(vidmm_query_video_memory(f->mm, &q), STATUS_INVALID_PARAMETER);

    a = create_ok(f, 100 * KB - 5, LOCAL, CV);   /* rounded up to 25 pages */
    b = create_ok(f, 256 * KB, LOCAL, 0);
    c = create_ok(f, 3 * MB, NONLOCAL, 0);
    stats = get_stats(f);
    assert_int_equal(stats.allocations, 3);
    assert_int_equal(stats.local_usage, 356 * KB);
    assert_int_equal(stats.nonlocal_usage, 3 * MB);
    assert_int_equal(stats.backing_bytes, 3 * MB);
    assert_int_equal(local_usage(f), 356 * KB);
    assert_int_equal(query_usage(f, NONLOCAL), 3 * MB);
    /* Another process's usage is not ours. */
    q.adapter = f->adapter;
    q.process_id = 1234;
    assert_int_equal(vidmm_query_video_memory(f->mm, &q), STATUS_SUCCESS);
    assert_int_equal(q.usage, 0);

    destroy_ok(f, b);
    assert_int_equal(local_usage(f), 100 * KB);
    destroy_ok(f, a);
    destroy_ok(f, c);
    stats = get_stats(f);
    assert_int_equal(stats.allocations, 0);
    assert_int_equal(stats.local_usage, 0);
    assert_int_equal(stats.nonlocal_usage, 0);
    assert_int_equal(stats.backing_bytes, 0);
}

static void test_eviction(void **state)
{
    struct fx *f = *state;
    struct native_memory_counters c;
    uint32_t h[3];
    uint8_t *p;
    int i, local = 0;

    /* Three 512 KiB CPU-visible allocations in a 1 MiB segment. */
    for (i = 0; i < 3; i++)
    {
        h[i] = create_ok(f, 512 * KB, LOCAL, CV);
        p = lock_ok(f, h[i]);
        assert_true(all_zero(p, 512 * KB));
        fill(p, 512 * KB, 100 + i);
        unlock_ok(f, h[i]);
        assert_true(local_usage(f) <= LOCAL_SIZE);
    }
    assert_int_equal(local_usage(f), LOCAL_SIZE);
    assert_int_equal(get_stats(f).backing_bytes, 512 * KB);
    /* The least recently created one went first. */
    p = lock_ok(f, h[0]);
    assert_false(in_local_pool(f, p));
    unlock_ok(f, h[0]);

    /* Every pattern survived, wherever it lives now. */
    for (i = 0; i < 3; i++)
    {
        p = lock_ok(f, h[i]);
        assert_true(matches(p, 512 * KB, 100 + i));
        local += in_local_pool(f, p);
        unlock_ok(f, h[i]);
    }
    assert_int_equal(local, 2);

    /* A fourth evicts again; the local pool stays committed, one mapping,
     * and the backing stores share one heap arena. */
    h[0] = (destroy_ok(f, h[0]), create_ok(f, 512 * KB, LOCAL, CV));
    assert_int_equal(local_usage(f), LOCAL_SIZE);
    native_memory_get_counters(f->nm, &c);
    assert_int_equal(c.committed_bytes, LOCAL_SIZE + VIDMM_HEAP_ARENA_SIZE);
    assert_int_equal(c.reservations, 2);
    for (i = 1; i < 3; i++)
    {
        p = lock_ok(f, h[i]);
        assert_true(matches(p, 512 * KB, 100 + i));
        unlock_ok(f, h[i]);
    }
    p = lock_ok(f, h[0]);
    assert_true(all_zero(p, 512 * KB));   /* fresh pages, not an old tenant's */
    unlock_ok(f, h[0]);
    for (i = 0; i < 3; i++) destroy_ok(f, h[i]);
    assert_int_equal(local_usage(f), 0);
    assert_int_equal(get_stats(f).backing_bytes, 0);
    native_memory_get_counters(f->nm, &c);
    /* The pool, and the emptied arena kept as the heap's spare. */
    assert_int_equal(get_stats(f).spare_arenas, 1);
    assert_int_equal(c.committed_bytes, LOCAL_SIZE + VIDMM_HEAP_ARENA_SIZE);
    assert_int_equal(c.reservations, 2);
}

static void test_eviction_priority(void **state)
{
    struct fx *f = *state;
    D3DKMT_WINE_ALLOCATION_DESC desc;
    struct vidmm_create_allocation_args args;
    struct vidmm_alloc_info info;
    uint32_t high, normal, low, c;
    uint8_t *p;

    /* Lower priority goes first, whatever the age. */
    desc = make_desc(512 * KB, LOCAL, CV);
    desc.Priority = PRIORITY_HIGH;
    assert_int_equal(create_desc(f, &desc, &high), STATUS_SUCCESS);
    normal = create_ok(f, 512 * KB, LOCAL, CV);
    c = create_ok(f, 512 * KB, LOCAL, CV);
    p = lock_ok(f, high);
    assert_true(in_local_pool(f, p));
    unlock_ok(f, high);
    p = lock_ok(f, normal);
    assert_false(in_local_pool(f, p));
    unlock_ok(f, normal);
    destroy_ok(f, normal);
    destroy_ok(f, c);

    /* INFO2 OverridePriority wins over the descriptor. */
    desc = make_desc(512 * KB, LOCAL, CV);
    desc.Priority = PRIORITY_HIGH;
    make_info(&info, &desc);
    info.flags = VIDMM_ALLOC_OVERRIDE_PRIORITY;
    info.priority = PRIORITY_LOW;
    memset(&args, 0, sizeof(args));
    args.device = f->device;
    args.count = 1;
    args.info2 = 1;
    args.allocs = (uintptr_t)&info;
    assert_int_equal(vidmm_create_allocation(f->mm, &args), STATUS_SUCCESS);
    low = info.handle;
    info.priority = 0;   /* 0 is not a priority */
    assert_int_equal(vidmm_create_allocation(f->mm, &args), STATUS_INVALID_PARAMETER);
    c = create_ok(f, 512 * KB, LOCAL, CV);   /* high is older, but low goes */
    p = lock_ok(f, low);
    assert_false(in_local_pool(f, p));
    unlock_ok(f, low);
    p = lock_ok(f, high);
    assert_true(in_local_pool(f, p));
    unlock_ok(f, high);
    assert_int_equal(local_usage(f), LOCAL_SIZE);
}

static void test_locked_not_evicted(void **state)
{
    struct fx *f = *state;
    uint32_t a, b, c, d;
    uint8_t *pa, *pb, *p;

    a = create_ok(f, 512 * KB, LOCAL, CV);
    pa = lock_ok(f, a);
    fill(pa, 512 * KB, 1);
    b = create_ok(f, 512 * KB, LOCAL, CV);
    c = create_ok(f, 512 * KB, LOCAL, CV);   /* must take b's place, not a's */
    assert_true(native_memory_is_committed(f->nm, pa, 512 * KB));
    assert_true(matches(pa, 512 * KB, 1));
    fill(pa, 512 * KB, 2);                   /* still ours to write */
    p = lock_ok(f, b);
    assert_false(in_local_pool(f, p));
    unlock_ok(f, b);
    p = lock_ok(f, c);
    assert_true(in_local_pool(f, p));
    fill(p, 512 * KB, 3);
    assert_true(matches(pa, 512 * KB, 2));
    unlock_ok(f, c);

    /* With everything resident locked, a new allocation starts in system memory. */
    pb = lock_ok(f, c);
    d = create_ok(f, 256 * KB, LOCAL, CV);
    assert_int_equal(local_usage(f), LOCAL_SIZE);
    p = lock_ok(f, d);
    assert_false(in_local_pool(f, p));
    unlock_ok(f, d);
    assert_true(matches(pa, 512 * KB, 2));
    assert_true(matches(pb, 512 * KB, 3));
    unlock_ok(f, a);
    unlock_ok(f, c);
    p = lock_ok(f, a);
    assert_ptr_equal(p, pa);                 /* it never moved */
    assert_true(matches(p, 512 * KB, 2));
    unlock_ok(f, a);
}

/* Locks an allocation from inside the manager's reserve of a backing store,
 * i.e. after the evictor chose its victim and before it moves it.  On a
 * helper thread with a time limit, so a fix that makes Lock wait for the
 * evictor's lock still passes instead of deadlocking. */
struct race
{
    struct fx *f;
    uint32_t victim;
    int armed, done;
    NTSTATUS status;
    uint8_t *ptr;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond;
};

static void *race_lock_thread(void *param)
{
    struct race *r = param;
    uint8_t *ptr = NULL;
    NTSTATUS status = lock_dev(r->f, r->f->device, r->victim, 0, &ptr);

    pthread_mutex_lock(&r->lock);
    r->status = status;
    r->ptr = ptr;
    r->done = 1;
    pthread_cond_signal(&r->cond);
    pthread_mutex_unlock(&r->lock);
    return NULL;
}

static void race_hook(void *arg, uint64_t size)
{
    struct race *r = arg;
    struct timespec until;

    if (!r->armed) return;
    r->armed = 0;
    if (pthread_create(&r->thread, NULL, race_lock_thread, r)) abort();
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_nsec += 200 * 1000 * 1000;
    if (until.tv_nsec >= 1000000000) { until.tv_sec++; until.tv_nsec -= 1000000000; }
    pthread_mutex_lock(&r->lock);
    while (!r->done && pthread_cond_timedwait(&r->cond, &r->lock, &until) != ETIMEDOUT) ;
    pthread_mutex_unlock(&r->lock);
}

/* vidmm_private.h/lock.c: "A locked allocation never moves".  Fails:
 * segment.c gpu_place_new() picks a victim with pick_victim(), which reads
 * lock_count under alloc->lock and drops it, then calls gpu_evict(), which
 * creates the backing store and takes alloc->lock again but never rechecks
 * lock_count.  A Lock in between (it takes only alloc->lock) gets the address
 * in the local pool, which gpu_evict() then decommits and hands to the new
 * allocation. */
static void test_lock_during_eviction(void **state)
{
    struct fx *f = *state;
    struct race r;
    uint32_t victim, newcomer;
    uint8_t *p, *q;

    memset(&r, 0, sizeof(r));
    pthread_mutex_init(&r.lock, NULL);
    pthread_cond_init(&r.cond, NULL);
    victim = create_ok(f, LOCAL_SIZE, LOCAL, CV);
    p = lock_ok(f, victim);
    fill(p, LOCAL_SIZE, 0xaa);
    unlock_ok(f, victim);

    r.f = f;
    r.victim = victim;
    r.armed = 1;
    native_memory_set_reserve_hook(f->nm, race_hook, &r);
    newcomer = create_ok(f, 512 * KB, LOCAL, CV);   /* evicts the victim */
    native_memory_set_reserve_hook(f->nm, NULL, NULL);
    assert_int_equal(r.armed, 0);
    pthread_join(r.thread, NULL);
    assert_int_equal(r.status, STATUS_SUCCESS);

    /* The locked address must stay mapped and keep the victim's data... */
    assert_true(native_memory_is_committed(f->nm, r.ptr, LOCAL_SIZE));
    assert_true(matches(r.ptr, LOCAL_SIZE, 0xaa));
    assert_ptr_equal(lock_ok(f, victim), r.ptr);
    unlock_ok(f, victim);
    /* ... and the newcomer must not share it. */
    q = lock_ok(f, newcomer);
    assert_true(q + 512 * KB <= r.ptr || q >= r.ptr + LOCAL_SIZE);
    fill(q, 512 * KB, 0xbb);
    assert_true(matches(r.ptr, LOCAL_SIZE, 0xaa));
    unlock_ok(f, newcomer);
    unlock_ok(f, victim);
    p = lock_ok(f, victim);
    assert_true(matches(p, LOCAL_SIZE, 0xaa));
    unlock_ok(f, victim);
    pthread_mutex_destroy(&r.lock);
    pthread_cond_destroy(&r.cond);
}

static void test_pinned(void **state)
{
    struct fx *f = *state;
    D3DKMT_WINE_ALLOCATION_DESC desc;
    struct vidmm_alloc_info info;
    struct snap before;
    uint32_t p1, p2, u, h;
    uint8_t *p;

    /* Bigger than the segment: never. */
    take_snap(f, &before);
    assert_int_equal(create_simple(f, 2 * MB, LOCAL, PINNED, &h), STATUS_GRAPHICS_NO_VIDEO_MEMORY);
    assert_int_equal(create_simple(f, LOCAL_SIZE + 4 * KB, LOCAL, PINNED | CV, &h), STATUS_GRAPHICS_NO_VIDEO_MEMORY);
    desc = make_desc(2 * MB, LOCAL, 0);
    make_info(&info, &desc);
    info.flags = VIDMM_ALLOC_PRIMARY;
    assert_int_equal(create_allocs(f, f->device, 0, NULL, &info, 1), STATUS_GRAPHICS_NO_VIDEO_MEMORY);
    assert_unchanged(f, &before);

    /* Pinned memory is never evicted, so a second pinned one does not fit... */
    p1 = create_ok(f, 768 * KB, LOCAL, PINNED | CV);
    take_snap(f, &before);
    assert_int_equal(create_simple(f, 512 * KB, LOCAL, PINNED, &h), STATUS_GRAPHICS_NO_VIDEO_MEMORY);
    assert_unchanged(f, &before);
    /* ... while an evictable one over-commits into system memory. */
    u = create_ok(f, 512 * KB, LOCAL, CV);
    assert_int_equal(local_usage(f), 768 * KB);
    assert_int_equal(get_stats(f).backing_bytes, 512 * KB);
    p2 = create_ok(f, 256 * KB, LOCAL, PINNED);
    assert_int_equal(local_usage(f), LOCAL_SIZE);
    destroy_ok(f, p1);
    destroy_ok(f, p2);
    destroy_ok(f, u);

    /* A pinned allocation evicts evictable ones to make room. */
    u = create_ok(f, LOCAL_SIZE, LOCAL, CV);
    p = lock_ok(f, u);
    fill(p, LOCAL_SIZE, 9);
    unlock_ok(f, u);
    p1 = create_ok(f, 512 * KB, LOCAL, PINNED | CV);
    assert_int_equal(local_usage(f), 512 * KB);
    p = lock_ok(f, u);
    assert_false(in_local_pool(f, p));
    assert_true(matches(p, LOCAL_SIZE, 9));
    unlock_ok(f, u);
    p = lock_ok(f, p1);
    assert_true(in_local_pool(f, p));
    unlock_ok(f, p1);
}

/* d3dkmt_driver.h: Alignment is "0 or a power of two >= 4096".  Fails: the
 * range allocator misses aligned fits in small free blocks (range_alloc.c,
 * see test_range_alloc.c test_aligned_fit_in_small_block), so a pinned 4 KiB
 * allocation aligned to 64 KiB is refused although page 16 (64 KiB aligned) is free. */
static void test_pinned_aligned_fit(void **state)
{
    struct fx *f = *state;
    D3DKMT_WINE_ALLOCATION_DESC desc;
    uint32_t a, hole, b, h;

    /* Pinned: pages 0-14, 15-16, 17-255; then free 15-16. */
    a = create_ok(f, 15 * 4 * KB, LOCAL, PINNED);
    hole = create_ok(f, 2 * 4 * KB, LOCAL, PINNED);
    b = create_ok(f, 239 * 4 * KB, LOCAL, PINNED);
    assert_int_equal(local_usage(f), LOCAL_SIZE);
    destroy_ok(f, hole);
    desc = make_desc(4 * KB, LOCAL, PINNED);
    desc.Alignment = 64 * KB;   /* page 16 is 64 KiB aligned and free */
    assert_int_equal(create_desc(f, &desc, &h), STATUS_SUCCESS);
    assert_int_equal(local_usage(f), LOCAL_SIZE - 4 * KB);
    destroy_ok(f, a);
    destroy_ok(f, b);
}

/* ---- system memory failures (the memory ops) ---- */

static void test_memory_ops_failures(void **state)
{
    struct fx *f = *state;
    struct snap before;
    uint32_t h, pin, u, v;
    uint8_t *p;

    take_snap(f, &before);
    /* Non-local: the backing store is all it needs. */
    native_memory_fail_commit_after(f->nm, 0, 0);
    assert_int_equal(create_simple(f, 64 * KB, NONLOCAL, 0, &h), STATUS_NO_MEMORY);
    assert_unchanged(f, &before);
    native_memory_fail_reserve_after(f->nm, 0, 0);
    assert_int_equal(create_simple(f, 64 * KB, NONLOCAL, 0, &h), STATUS_NO_MEMORY);
    assert_unchanged(f, &before);
    /* Address space for a huge one is simply not there. */
    assert_int_equal(create_simple(f, 1ull << 62, NONLOCAL, 0, &h), STATUS_NO_MEMORY);
    assert_unchanged(f, &before);

    /* Local: the pool is committed once, with the GPU: a create commits nothing. */
    native_memory_fail_commit_after(f->nm, 0, 1);
    h = create_ok(f, 64 * KB, LOCAL, CV);
    native_memory_fail_commit_after(f->nm, -1, 0);
    destroy_ok(f, h);
    assert_unchanged(f, &before);
    /* Over-committed local memory needs a backing store in the heap, which has
     * no arena yet: reserve or commit failing is NO_VIDEO_MEMORY. */
    pin = create_ok(f, LOCAL_SIZE, LOCAL, PINNED);
    take_snap(f, &before);
    native_memory_fail_reserve_after(f->nm, 0, 0);
    assert_int_equal(create_simple(f, 64 * KB, LOCAL, CV, &h), STATUS_GRAPHICS_NO_VIDEO_MEMORY);
    assert_unchanged(f, &before);
    native_memory_fail_commit_after(f->nm, 0, 0);
    assert_int_equal(create_simple(f, 64 * KB, LOCAL, CV, &h), STATUS_GRAPHICS_NO_VIDEO_MEMORY);
    assert_unchanged(f, &before);
    destroy_ok(f, pin);

    /* A lock that has to move the allocation and cannot: still unlocked, still local. */
    h = create_ok(f, 64 * KB, LOCAL, 0);
    take_snap(f, &before);
    native_memory_fail_reserve_after(f->nm, 0, 0);
    assert_int_equal(lock_dev(f, f->device, h, 0, &p), STATUS_GRAPHICS_NO_VIDEO_MEMORY);
    native_memory_fail_commit_after(f->nm, 0, 0);
    assert_int_equal(lock_dev(f, f->device, h, 0, &p), STATUS_GRAPHICS_NO_VIDEO_MEMORY);
    assert_unchanged(f, &before);
    assert_int_equal(unlock_dev(f, f->device, &h, 1), STATUS_INVALID_PARAMETER);
    p = lock_ok(f, h);
    assert_false(in_local_pool(f, p));
    unlock_ok(f, h);

    /* With room in the heap's arena, evicting needs no new reservation at all. */
    u = create_ok(f, LOCAL_SIZE, LOCAL, CV);
    p = lock_ok(f, u);
    fill(p, LOCAL_SIZE, 5);
    unlock_ok(f, u);
    native_memory_fail_reserve_after(f->nm, 0, 1);
    native_memory_fail_commit_after(f->nm, 0, 1);
    v = create_ok(f, 64 * KB, LOCAL, CV);
    native_memory_fail_reserve_after(f->nm, -1, 0);
    native_memory_fail_commit_after(f->nm, -1, 0);
    assert_int_equal(local_usage(f), 64 * KB);
    p = lock_ok(f, u);
    assert_false(in_local_pool(f, p));
    assert_true(matches(p, LOCAL_SIZE, 5));
    unlock_ok(f, u);
    destroy_ok(f, v);
    destroy_ok(f, u);
    destroy_ok(f, h);

    /* A new adapter whose pool cannot be reserved, or committed. */
    {
        struct vidmm_open_adapter_args open = {0};
        open.luid = 0x55; open.local_size = MB; open.source_count = 1;
        take_snap(f, &before);
        native_memory_fail_reserve_after(f->nm, 0, 0);
        assert_int_equal(vidmm_open_adapter(f->mm, &open), STATUS_NO_MEMORY);
        assert_unchanged(f, &before);
        native_memory_fail_commit_after(f->nm, 0, 0);
        assert_int_equal(vidmm_open_adapter(f->mm, &open), STATUS_NO_MEMORY);
        assert_unchanged(f, &before);
    }
}

/* ---- bookkeeping allocation failures at every point ---- */

typedef NTSTATUS (*oom_op)(struct fx *f, void *ctx);

/* Runs op with the nth bookkeeping allocation failing, n = 0, 1, ... until it
 * succeeds; each failure must be STATUS_NO_MEMORY and change nothing.
 * Returns how many allocation points failed. */
static int oom_loop(struct fx *f, oom_op op, void *ctx, int sticky)
{
    struct snap before;
    NTSTATUS status;
    int n;

    for (n = 0; ; n++)
    {
        take_snap(f, &before);
        vidmm_alloc_fail_after(n, sticky);
        status = op(f, ctx);
        vidmm_alloc_fail_after(-1, 0);
        if (!status) break;
        if (status != STATUS_NO_MEMORY) fail_msg("point %d: status %#x", n, (unsigned int)status);
        assert_unchanged(f, &before);
        assert_true(n < 200);
    }
    return n;
}

struct create_ctx
{
    D3DKMT_WINE_ALLOCATION_DESC descs[3];
    uint8_t private0[sizeof(D3DKMT_WINE_ALLOCATION_DESC) + 16];
    uint8_t runtime[16], driver[24];
    struct vidmm_alloc_info infos[3];
    uint32_t flags, count, resource;
};

static NTSTATUS op_create(struct fx *f, void *param)
{
    struct create_ctx *ctx = param;
    struct vidmm_create_allocation_args args;
    NTSTATUS status;
    uint32_t i;

    for (i = 0; i < ctx->count; i++) make_info(&ctx->infos[i], &ctx->descs[i]);
    ctx->infos[0].private_data = (uintptr_t)ctx->private0;
    ctx->infos[0].private_size = sizeof(ctx->private0);
    memset(&args, 0, sizeof(args));
    args.device = f->device;
    args.flags = ctx->flags;
    args.count = ctx->count;
    args.allocs = (uintptr_t)ctx->infos;
    args.runtime_data = (uintptr_t)ctx->runtime;
    args.runtime_size = sizeof(ctx->runtime);
    if (ctx->flags & VIDMM_CREATE_RESOURCE)
    {
        args.resource_data = (uintptr_t)ctx->driver;
        args.resource_size = sizeof(ctx->driver);
    }
    ctx->resource = 0;
    status = vidmm_create_allocation(f->mm, &args);
    if (!status) ctx->resource = args.resource;
    return status;
}

static void init_create_ctx(struct create_ctx *ctx, uint32_t flags)
{
    memset(ctx, 0, sizeof(*ctx));
    ctx->descs[0] = make_desc(64 * KB, LOCAL, CV);
    ctx->descs[1] = make_desc(32 * KB, NONLOCAL, 0);
    ctx->descs[2] = make_desc(128 * KB, LOCAL, 0);
    ctx->descs[2].Alignment = 64 * KB;
    memcpy(ctx->private0, &ctx->descs[0], sizeof(ctx->descs[0]));
    memset(ctx->private0 + sizeof(ctx->descs[0]), 0x5a, 16);
    ctx->flags = flags;
    ctx->count = 3;
}

static void destroy_created(struct fx *f, struct create_ctx *ctx)
{
    uint32_t handles[3], i;

    if (ctx->resource)
    {
        assert_int_equal(destroy_dev(f, f->device, ctx->resource, NULL, 0, 0), STATUS_SUCCESS);
        return;
    }
    for (i = 0; i < ctx->count; i++) handles[i] = ctx->infos[i].handle;
    assert_int_equal(destroy_dev(f, f->device, 0, handles, ctx->count, 0), STATUS_SUCCESS);
}

static void test_oom_create_allocation(void **state)
{
    struct fx *f = *state;
    struct create_ctx ctx;
    struct snap before;
    int sticky, resource, n;

    take_snap(f, &before);
    for (resource = 0; resource <= 1; resource++)
        for (sticky = 0; sticky <= 1; sticky++)
        {
            init_create_ctx(&ctx, resource ? VIDMM_CREATE_RESOURCE : 0);
            n = oom_loop(f, op_create, &ctx, sticky);
            /* Plans, handle blocks, backing stores, the resource's data...;
             * the three allocation objects come from the store's slab,
             * which allocates a chunk at a time (test_slab covers it). */
            print_message("create, resource %d sticky %d: %d allocation points\n", resource, sticky, n);
            assert_true(n >= 5);
            assert_int_equal(get_stats(f).allocations, 3);
            assert_int_equal(get_stats(f).resources, resource);
            assert_int_equal(local_usage(f), 192 * KB);
            destroy_created(f, &ctx);
            assert_unchanged(f, &before);
        }
}

/* Only the single attempt, so a failure stays a failure. */
static NTSTATUS op_create_once(struct fx *f, void *param)
{
    struct create_ctx *ctx = param;
    struct vidmm_create_allocation_args args;

    make_info(&ctx->infos[0], &ctx->descs[0]);
    memset(&args, 0, sizeof(args));
    args.device = f->device;
    args.count = 1;
    args.allocs = (uintptr_t)ctx->infos;
    return vidmm_create_allocation(f->mm, &args);
}

static uint32_t live_objects(struct fx *f)
{
    struct vidmm_stats stats = get_stats(f);
    return stats.adapters + stats.devices + stats.resources + stats.allocations;
}

static void test_oom_handle_table_growth(void **state)
{
    struct fx *f = *state;
    struct create_ctx ctx;
    uint32_t handles[VIDMM_HANDLE_MIN_BUCKETS], count = 0, plain, grown;

    /* Same call, first with room in the handle table, then when the next
     * handle needs more buckets: one more allocation point, and it fails cleanly. */
    memset(&ctx, 0, sizeof(ctx));
    ctx.descs[0] = make_desc(4 * KB, NONLOCAL, 0);
    handles[count++] = create_ok(f, 4 * KB, NONLOCAL, 0);   /* the heap's arena exists from now on */
    plain = oom_loop(f, op_create_once, &ctx, 0);
    handles[count++] = ctx.infos[0].handle;
    while (live_objects(f) < VIDMM_HANDLE_MIN_BUCKETS)
        handles[count++] = create_ok(f, 4 * KB, NONLOCAL, 0);
    grown = oom_loop(f, op_create_once, &ctx, 0);
    assert_int_equal(grown, plain + 1);
    assert_int_equal(ctx.infos[0].handle, handles[count - 1] + 0x40);   /* no value burnt by the failures */
    handles[count++] = ctx.infos[0].handle;
    assert_int_equal(destroy_dev(f, f->device, 0, handles, count, 0), STATUS_SUCCESS);
    assert_int_equal(get_stats(f).allocations, 0);
}

struct handles_ctx
{
    uint32_t handles[3];
    uint32_t count;
};

static NTSTATUS op_unlock(struct fx *f, void *param)
{
    struct handles_ctx *ctx = param;
    return unlock_dev(f, f->device, ctx->handles, ctx->count);
}

static NTSTATUS op_destroy_list(struct fx *f, void *param)
{
    struct handles_ctx *ctx = param;
    return destroy_dev(f, f->device, 0, ctx->handles, ctx->count, 0);
}

static NTSTATUS op_create_device(struct fx *f, void *param)
{
    struct vidmm_create_device_args args = {0};
    NTSTATUS status;

    args.adapter = f->adapter;
    if (!(status = vidmm_create_device(f->mm, &args))) *(uint32_t *)param = args.handle;
    return status;
}

static NTSTATUS op_open_adapter(struct fx *f, void *param)
{
    struct vidmm_open_adapter_args args = {0};
    NTSTATUS status;

    args.luid = *(uint64_t *)param;
    args.local_size = MB;
    args.source_count = 1;
    if (!(status = vidmm_open_adapter(f->mm, &args))) *(uint64_t *)param = args.handle;
    return status;
}

static void test_oom_other_calls(void **state)
{
    struct fx *f = *state;
    struct vidmm_close_adapter_args close = {0};
    struct vidmm_memory_ops ops;
    struct handles_ctx ctx;
    struct vidmm *mm = NULL;
    uint64_t arg;
    uint32_t dev;
    int sticky, i;

    native_memory_ops(f->nm, &ops);
    vidmm_alloc_fail_after(0, 0);
    assert_int_equal(vidmm_create(&ops, VIDMM_CREATE_TEST_CONTROL, &mm), STATUS_NO_MEMORY);
    assert_null(mm);

    for (sticky = 0; sticky <= 1; sticky++)
    {
        /* A new GPU (adapter, GPU, range allocator), and another handle of a known one. */
        arg = 0x777;
        assert_true(oom_loop(f, op_open_adapter, &arg, sticky) >= 3);
        close.handle = (uint32_t)arg;
        assert_int_equal(vidmm_close_adapter(f->mm, &close), STATUS_SUCCESS);
        arg = TEST_LUID;
        assert_true(oom_loop(f, op_open_adapter, &arg, sticky) >= 1);
        close.handle = (uint32_t)arg;
        assert_int_equal(vidmm_close_adapter(f->mm, &close), STATUS_SUCCESS);

        assert_true(oom_loop(f, op_create_device, &dev, sticky) >= 1);
        assert_int_equal(get_stats(f).devices, 2);
        {
            struct vidmm_destroy_device_args destroy = {0};
            destroy.handle = dev;
            assert_int_equal(vidmm_destroy_device(f->mm, &destroy), STATUS_SUCCESS);
        }

        /* Unlocking several needs a list: a failure unlocks none. */
        ctx.count = 3;
        for (i = 0; i < 3; i++)
        {
            ctx.handles[i] = create_ok(f, 64 * KB, LOCAL, CV);
            lock_ok(f, ctx.handles[i]);
        }
        assert_true(oom_loop(f, op_unlock, &ctx, sticky) >= 1);
        for (i = 0; i < 3; i++) assert_int_equal(unlock_dev(f, f->device, &ctx.handles[i], 1), STATUS_INVALID_PARAMETER);
        /* A failed unlock left every count alone: check with a failing list then. */
        for (i = 0; i < 3; i++) lock_ok(f, ctx.handles[i]);
        vidmm_alloc_fail_after(0, 0);
        assert_int_equal(op_unlock(f, &ctx), STATUS_NO_MEMORY);
        for (i = 0; i < 3; i++) unlock_ok(f, ctx.handles[i]);

        /* Destroying a list: a failure destroys none. */
        assert_true(oom_loop(f, op_destroy_list, &ctx, sticky) >= 1);
        assert_int_equal(get_stats(f).allocations, 0);
    }
}

/* Teardown needs no memory: destroy everything with every allocation failing. */
static void test_teardown_needs_no_memory(void **state)
{
    struct fx *f = *state;
    struct vidmm_destroy_device_args destroy = {0};
    struct vidmm_close_adapter_args close = {0};
    struct create_ctx ctx;
    uint32_t h[2];
    struct vidmm_stats stats;

    init_create_ctx(&ctx, VIDMM_CREATE_RESOURCE);
    assert_int_equal(op_create(f, &ctx), STATUS_SUCCESS);
    h[0] = create_ok(f, 64 * KB, LOCAL, CV);
    h[1] = create_ok(f, 64 * KB, NONLOCAL, 0);
    lock_ok(f, h[0]);

    vidmm_alloc_fail_after(0, 1);
    unlock_ok(f, h[0]);   /* a single unlock needs no list */
    assert_int_equal(destroy_dev(f, f->device, ctx.resource, NULL, 0, 0), STATUS_SUCCESS);
    destroy.handle = f->device;
    assert_int_equal(vidmm_destroy_device(f->mm, &destroy), STATUS_SUCCESS);
    close.handle = f->adapter;
    assert_int_equal(vidmm_close_adapter(f->mm, &close), STATUS_SUCCESS);
    vidmm_alloc_fail_after(-1, 0);
    stats = get_stats(f);
    assert_int_equal(stats.adapters + stats.devices + stats.resources + stats.allocations, 0);
}

/* A failure after the manager evicted to make room: the call still fails
 * cleanly and the evicted allocation keeps its data.  (Residency is not rolled
 * back, so usage is not compared here.) */
static NTSTATUS op_create_256k(struct fx *f, void *param)
{
    uint32_t h;
    NTSTATUS status = create_simple(f, 256 * KB, LOCAL, CV, &h);

    if (!status) *(uint32_t *)param = h;
    return status;
}

static void test_oom_with_eviction(void **state)
{
    struct fx *f = *state;
    struct vidmm_stats stats;
    NTSTATUS status;
    uint32_t a, b = 0;
    uint8_t *p;
    int n;

    a = create_ok(f, LOCAL_SIZE, LOCAL, CV);
    p = lock_ok(f, a);
    fill(p, LOCAL_SIZE, 77);
    unlock_ok(f, a);
    for (n = 0; ; n++)
    {
        vidmm_alloc_fail_after(n, 0);
        status = op_create_256k(f, &b);
        vidmm_alloc_fail_after(-1, 0);
        if (!status) break;
        assert_int_equal(status, STATUS_NO_MEMORY);
        stats = get_stats(f);
        assert_int_equal(stats.allocations, 1);
        assert_true(stats.local_usage + stats.backing_bytes == LOCAL_SIZE);
        assert_true(n < 100);
    }
    assert_int_equal(local_usage(f), 256 * KB);
    p = lock_ok(f, a);
    assert_true(matches(p, LOCAL_SIZE, 77));
    unlock_ok(f, a);
    destroy_ok(f, b);
    destroy_ok(f, a);
}

/* ---- teardown of devices and adapters ---- */

static void populate(struct fx *f, uint32_t device, void *user)
{
    D3DKMT_WINE_ALLOCATION_DESC desc = make_desc(64 * KB, LOCAL, CV);
    struct vidmm_alloc_info infos[2];
    uint32_t resource = 0, h;
    uint8_t *p;

    make_info(&infos[0], &desc);
    make_info(&infos[1], &desc);
    assert_int_equal(create_allocs(f, device, VIDMM_CREATE_RESOURCE, &resource, infos, 2), STATUS_SUCCESS);
    assert_int_equal(lock_dev(f, device, infos[0].handle, 0, &p), STATUS_SUCCESS);   /* left locked */
    desc = make_desc(128 * KB, LOCAL, 0);
    make_info(&infos[0], &desc);
    assert_int_equal(create_allocs(f, device, 0, NULL, infos, 1), STATUS_SUCCESS);
    assert_int_equal(lock_dev(f, device, infos[0].handle, 0, &p), STATUS_SUCCESS);   /* moved out */
    desc = make_desc(256 * KB, NONLOCAL, 0);
    make_info(&infos[0], &desc);
    assert_int_equal(create_allocs(f, device, 0, NULL, infos, 1), STATUS_SUCCESS);
    desc = make_desc(64 * KB, LOCAL, PINNED);
    make_info(&infos[0], &desc);
    assert_int_equal(create_allocs(f, device, 0, NULL, infos, 1), STATUS_SUCCESS);
    if (user)
    {
        desc = make_desc(64 * KB, LOCAL, CV);
        make_info(&infos[0], &desc);
        infos[0].system_mem = (uintptr_t)user;
        assert_int_equal(create_allocs(f, device, 0, NULL, infos, 1), STATUS_SUCCESS);
        h = infos[0].handle;
        assert_int_equal(lock_dev(f, device, h, 0, &p), STATUS_SUCCESS);
    }
}

static void test_destroy_device_frees_everything(void **state)
{
    struct fx *f = *state;
    struct vidmm_destroy_device_args destroy = {0};
    struct native_memory_counters base, c;
    struct vidmm_stats stats;
    void *user = native_memory_user_alloc(f->nm, 64 * KB);
    uint32_t h;

    native_memory_get_counters(f->nm, &base);
    populate(f, f->device, user);
    h = create_ok(f, 32 * KB, LOCAL, CV);
    stats = get_stats(f);
    assert_int_equal(stats.allocations, 7);
    assert_int_equal(stats.resources, 1);
    assert_true(stats.local_usage && stats.nonlocal_usage && stats.backing_bytes);

    destroy.handle = f->device;
    assert_int_equal(vidmm_destroy_device(f->mm, &destroy), STATUS_SUCCESS);
    assert_int_equal(destroy.host_handle, 0x5678);
    stats = get_stats(f);
    assert_int_equal(stats.devices, 0);
    assert_int_equal(stats.resources, 0);
    assert_int_equal(stats.allocations, 0);
    assert_int_equal(stats.local_usage, 0);
    assert_int_equal(stats.nonlocal_usage, 0);
    assert_int_equal(stats.backing_bytes, 0);
    native_memory_get_counters(f->nm, &c);
    /* The pool stays committed; an emptied heap arena may stay as the spare. */
    assert_int_equal(c.reservations, base.reservations + stats.spare_arenas);
    assert_int_equal(c.committed_bytes, base.committed_bytes + stats.spare_bytes);
    assert_int_equal(c.errors, 0);

    /* The old handles are dead, also for a new device. */
    f->device = create_device(f, f->adapter);
    assert_int_equal(lock_dev(f, f->device, h, 0, NULL), STATUS_INVALID_PARAMETER);
    assert_int_equal(destroy_dev(f, f->device, 0, &h, 1, 0), STATUS_INVALID_PARAMETER);
    assert_int_equal(vidmm_destroy_device(f->mm, &destroy), STATUS_INVALID_PARAMETER);
    native_memory_user_free(f->nm, user);
}

static void test_close_adapter_destroys_devices(void **state)
{
    struct fx *f = *state;
    struct vidmm_close_adapter_args close = {0};
    struct vidmm_destroy_device_args destroy = {0};
    struct vidmm_open_adapter_args open = {0};
    struct native_memory_counters c;
    struct vidmm_stats stats;
    uint32_t dev2, other_adapter, other_dev, h;
    uint8_t *p;

    /* A second handle on the same GPU, with a device of its own. */
    open.luid = TEST_LUID; open.local_size = MB; open.source_count = 1;
    assert_int_equal(vidmm_open_adapter(f->mm, &open), STATUS_SUCCESS);
    other_adapter = open.handle;
    other_dev = create_device(f, other_adapter);
    assert_int_equal(create_allocs(f, other_dev, 0, NULL, NULL, 0), STATUS_INVALID_PARAMETER);
    {
        D3DKMT_WINE_ALLOCATION_DESC desc = make_desc(64 * KB, LOCAL, CV);
        struct vidmm_alloc_info info;
        make_info(&info, &desc);
        assert_int_equal(create_allocs(f, other_dev, 0, NULL, &info, 1), STATUS_SUCCESS);
        h = info.handle;
    }
    assert_int_equal(lock_dev(f, other_dev, h, 0, &p), STATUS_SUCCESS);
    fill(p, 64 * KB, 3);

    dev2 = create_device(f, f->adapter);
    populate(f, f->device, NULL);
    populate(f, dev2, NULL);
    close.handle = f->adapter;
    assert_int_equal(vidmm_close_adapter(f->mm, &close), STATUS_SUCCESS);
    assert_int_equal(close.host_handle, 0x1234);
    stats = get_stats(f);
    assert_int_equal(stats.adapters, 1);
    assert_int_equal(stats.devices, 1);
    assert_int_equal(stats.resources, 0);
    assert_int_equal(stats.allocations, 1);
    assert_int_equal(stats.local_usage, 64 * KB);
    assert_int_equal(stats.backing_bytes, 0);
    destroy.handle = f->device;
    assert_int_equal(vidmm_destroy_device(f->mm, &destroy), STATUS_INVALID_PARAMETER);
    destroy.handle = dev2;
    assert_int_equal(vidmm_destroy_device(f->mm, &destroy), STATUS_INVALID_PARAMETER);
    /* The other handle's allocation is untouched, still locked, same data. */
    assert_true(matches(p, 64 * KB, 3));
    assert_int_equal(unlock_dev(f, other_dev, &h, 1), STATUS_SUCCESS);

    /* The last handle takes the GPU and its pool along. */
    close.handle = other_adapter;
    assert_int_equal(vidmm_close_adapter(f->mm, &close), STATUS_SUCCESS);
    stats = get_stats(f);
    assert_int_equal(stats.adapters + stats.devices + stats.allocations, 0);
    native_memory_get_counters(f->nm, &c);
    assert_int_equal(c.reservations, 0);
    assert_int_equal(c.committed_bytes, 0);
    assert_int_equal(c.errors, 0);
}

/* vidmm_destroy with everything still open; the teardown checks nothing stays mapped. */
static void test_vidmm_destroy_cleans_up(void **state)
{
    struct fx *f = *state;
    struct vidmm_open_adapter_args open = {0};
    void *user = native_memory_user_alloc(f->nm, 64 * KB);

    populate(f, f->device, user);
    populate(f, create_device(f, f->adapter), NULL);
    open.luid = 0x99; open.local_size = 2 * MB; open.nonlocal_size = 4 * MB; open.source_count = 1;
    assert_int_equal(vidmm_open_adapter(f->mm, &open), STATUS_SUCCESS);
    f->device = create_device(f, open.handle);
    f->adapter = open.handle;
    populate(f, f->device, NULL);
    vidmm_destroy(f->mm);
    f->mm = NULL;
    native_memory_user_free(f->nm, user);
}

/* ---- multi-handle calls ---- */

static void test_unlock_atomic(void **state)
{
    struct fx *f = *state;
    uint32_t a = create_ok(f, 64 * KB, LOCAL, CV), b = create_ok(f, 64 * KB, LOCAL, CV), list[4];
    uint32_t dev2 = create_device(f, f->adapter), other;

    {
        D3DKMT_WINE_ALLOCATION_DESC desc = make_desc(4 * KB, NONLOCAL, 0);
        struct vidmm_alloc_info info;
        make_info(&info, &desc);
        assert_int_equal(create_allocs(f, dev2, 0, NULL, &info, 1), STATUS_SUCCESS);
        other = info.handle;
        assert_int_equal(lock_dev(f, dev2, other, 0, NULL), STATUS_SUCCESS);
    }

    lock_ok(f, a);
    /* b is not locked: nothing is unlocked. */
    list[0] = a; list[1] = b;
    assert_int_equal(unlock_dev(f, f->device, list, 2), STATUS_INVALID_PARAMETER);
    /* a twice but locked once: nothing. */
    list[1] = a;
    assert_int_equal(unlock_dev(f, f->device, list, 2), STATUS_INVALID_PARAMETER);
    /* A bad handle, another device's allocation, a 0: nothing. */
    list[1] = 0xc0ffee00;
    assert_int_equal(unlock_dev(f, f->device, list, 2), STATUS_INVALID_PARAMETER);
    list[1] = other;
    assert_int_equal(unlock_dev(f, f->device, list, 2), STATUS_INVALID_PARAMETER);
    list[1] = 0;
    assert_int_equal(unlock_dev(f, f->device, list, 2), STATUS_INVALID_PARAMETER);
    list[1] = f->device;
    assert_int_equal(unlock_dev(f, f->device, list, 2), STATUS_INVALID_PARAMETER);
    /* Argument checks. */
    assert_int_equal(unlock_dev(f, f->device, list, 0), STATUS_INVALID_PARAMETER);
    assert_int_equal(unlock_dev(f, f->device, NULL, 1), STATUS_INVALID_PARAMETER);
    assert_int_equal(unlock_dev(f, f->device, list, D3DKMT_WINE_MAX_ALLOCATIONS_PER_CALL + 1), STATUS_INVALID_PARAMETER);
    assert_int_equal(unlock_dev(f, 0, list, 1), STATUS_INVALID_PARAMETER);
    /* a is still locked exactly once. */
    unlock_ok(f, a);
    assert_int_equal(unlock_dev(f, f->device, &a, 1), STATUS_INVALID_PARAMETER);

    /* Duplicates count: a twice when locked twice, plus b, in any order. */
    lock_ok(f, a); lock_ok(f, a); lock_ok(f, b);
    list[0] = b; list[1] = a; list[2] = a;
    assert_int_equal(unlock_dev(f, f->device, list, 3), STATUS_SUCCESS);
    assert_int_equal(unlock_dev(f, f->device, &a, 1), STATUS_INVALID_PARAMETER);
    assert_int_equal(unlock_dev(f, f->device, &b, 1), STATUS_INVALID_PARAMETER);
    /* Partly unlocked: a locked twice, list (a, a, a) fails and leaves 2. */
    lock_ok(f, a); lock_ok(f, a);
    list[0] = list[1] = list[2] = a;
    assert_int_equal(unlock_dev(f, f->device, list, 3), STATUS_INVALID_PARAMETER);
    assert_int_equal(unlock_dev(f, f->device, list, 2), STATUS_SUCCESS);
    assert_int_equal(unlock_dev(f, f->device, &a, 1), STATUS_INVALID_PARAMETER);
    assert_int_equal(unlock_dev(f, dev2, &other, 1), STATUS_SUCCESS);
}

static void test_destroy_list_atomic(void **state)
{
    struct fx *f = *state;
    D3DKMT_WINE_ALLOCATION_DESC desc = make_desc(64 * KB, LOCAL, CV);
    struct vidmm_alloc_info infos[2];
    uint32_t a, b, resource = 0, list[3], dev2, other;
    struct snap before;

    a = create_ok(f, 64 * KB, LOCAL, CV);
    b = create_ok(f, 64 * KB, NONLOCAL, 0);
    make_info(&infos[0], &desc);
    make_info(&infos[1], &desc);
    assert_int_equal(create_allocs(f, f->device, VIDMM_CREATE_RESOURCE, &resource, infos, 2), STATUS_SUCCESS);
    dev2 = create_device(f, f->adapter);
    make_info(&infos[0], &desc);
    assert_int_equal(create_allocs(f, dev2, 0, NULL, infos, 1), STATUS_SUCCESS);
    other = infos[0].handle;
    make_info(&infos[0], &desc);
    make_info(&infos[1], &desc);
    resource = 0;
    assert_int_equal(create_allocs(f, f->device, VIDMM_CREATE_RESOURCE, &resource, infos, 2), STATUS_SUCCESS);

    take_snap(f, &before);
    list[0] = a; list[1] = 0xc0ffee00;
    assert_int_equal(destroy_dev(f, f->device, 0, list, 2, 0), STATUS_INVALID_PARAMETER);
    list[1] = a;   /* twice */
    assert_int_equal(destroy_dev(f, f->device, 0, list, 2, 0), STATUS_INVALID_PARAMETER);
    list[1] = other;   /* another device's */
    assert_int_equal(destroy_dev(f, f->device, 0, list, 2, 0), STATUS_INVALID_PARAMETER);
    list[1] = infos[0].handle;   /* stand-alone mixed with a resource's */
    assert_int_equal(destroy_dev(f, f->device, 0, list, 2, 0), STATUS_INVALID_PARAMETER);
    list[0] = infos[0].handle; list[1] = a;
    assert_int_equal(destroy_dev(f, f->device, 0, list, 2, 0), STATUS_INVALID_PARAMETER);
    list[0] = resource; list[1] = a;   /* a resource handle in the list */
    assert_int_equal(destroy_dev(f, f->device, 0, list, 2, 0), STATUS_INVALID_PARAMETER);
    list[0] = a;
    assert_int_equal(destroy_dev(f, f->device, 0, NULL, 1, 0), STATUS_INVALID_PARAMETER);
    assert_int_equal(destroy_dev(f, f->device, 0, list, D3DKMT_WINE_MAX_ALLOCATIONS_PER_CALL + 1, 0),
                     STATUS_INVALID_PARAMETER);
    assert_int_equal(destroy_dev(f, f->device, 0, list, 1, 0x4), STATUS_INVALID_PARAMETER);
    assert_int_equal(destroy_dev(f, f->device, 0, list, 1, VIDMM_DESTROY_SYSTEM_USE_ONLY), STATUS_INVALID_PARAMETER);
    assert_int_equal(destroy_dev(f, 0, 0, list, 1, 0), STATUS_INVALID_PARAMETER);
    assert_int_equal(destroy_dev(f, dev2, 0, list, 1, 0), STATUS_INVALID_PARAMETER);
    assert_int_equal(destroy_dev(f, dev2, resource, NULL, 0, 0), STATUS_INVALID_PARAMETER);
    assert_int_equal(destroy_dev(f, f->device, a, NULL, 0, 0), STATUS_INVALID_PARAMETER);
    assert_unchanged(f, &before);

    /* Nothing to destroy is a success. */
    assert_int_equal(destroy_dev(f, f->device, 0, NULL, 0, 0), STATUS_SUCCESS);
    /* Same owner: fine, with either flag. */
    list[0] = b; list[1] = a;
    assert_int_equal(destroy_dev(f, f->device, 0, list, 2, VIDMM_DESTROY_FLAGS_VALID), STATUS_SUCCESS);
    assert_int_equal(destroy_dev(f, f->device, 0, list, 1, 0), STATUS_INVALID_PARAMETER);   /* again */
    list[0] = infos[1].handle; list[1] = infos[0].handle;
    assert_int_equal(destroy_dev(f, f->device, 0, list, 2, VIDMM_DESTROY_ASSUME_NOT_IN_USE), STATUS_SUCCESS);
    assert_int_equal(get_stats(f).resources, 2);   /* emptied, not destroyed */
    assert_int_equal(get_stats(f).allocations, 3);
}

/* ---- resources ---- */

static void test_resources(void **state)
{
    struct fx *f = *state;
    D3DKMT_WINE_ALLOCATION_DESC desc = make_desc(64 * KB, LOCAL, CV);
    struct vidmm_create_allocation_args args;
    struct vidmm_alloc_info infos[3];
    uint8_t runtime[40], driver[8];
    uint32_t resource = 0, shared = 0, dev2, extra, list[2], bogus;
    int i;

    /* Resource handle first, then the allocations, consecutive (spec B.3.1). */
    memset(&args, 0, sizeof(args));
    for (i = 0; i < 3; i++) make_info(&infos[i], &desc);
    args.device = f->device;
    args.flags = VIDMM_CREATE_RESOURCE;
    args.count = 3;
    args.allocs = (uintptr_t)infos;
    args.runtime_data = (uintptr_t)runtime;
    args.runtime_size = sizeof(runtime);
    args.resource_data = (uintptr_t)driver;
    args.resource_size = sizeof(driver);
    args.global_share = 0xdead;
    assert_int_equal(vidmm_create_allocation(f->mm, &args), STATUS_SUCCESS);
    resource = args.resource;
    assert_int_equal(resource, f->device + 0x40);
    assert_int_equal(args.global_share, 0);
    for (i = 0; i < 3; i++) assert_int_equal(infos[i].handle, resource + 0x40 * (i + 1));
    assert_int_equal(get_stats(f).resources, 1);
    assert_int_equal(get_stats(f).allocations, 3);

    /* Adding to it. */
    make_info(&infos[0], &desc);
    args.flags = 0;
    args.count = 1;
    args.resource = resource;
    assert_int_equal(vidmm_create_allocation(f->mm, &args), STATUS_SUCCESS);
    assert_int_equal(args.resource, resource);
    extra = infos[0].handle;
    assert_int_equal(get_stats(f).allocations, 4);
    /* A resource for CreateResource, a bad one, another device's. */
    args.flags = VIDMM_CREATE_RESOURCE;
    assert_int_equal(vidmm_create_allocation(f->mm, &args), STATUS_INVALID_PARAMETER);
    bogus = resource + 0x40 * 100;
    args.resource = bogus;
    assert_int_equal(vidmm_create_allocation(f->mm, &args), STATUS_INVALID_HANDLE);
    args.flags = 0;
    assert_int_equal(vidmm_create_allocation(f->mm, &args), STATUS_INVALID_HANDLE);
    args.resource = extra;   /* an allocation handle */
    assert_int_equal(vidmm_create_allocation(f->mm, &args), STATUS_INVALID_HANDLE);
    dev2 = create_device(f, f->adapter);
    args.device = dev2;
    args.resource = resource;
    assert_int_equal(vidmm_create_allocation(f->mm, &args), STATUS_INVALID_PARAMETER);
    args.device = f->device;

    /* No allocations may be added to a shared resource. */
    make_info(&infos[0], &desc);
    args.flags = VIDMM_CREATE_RESOURCE | VIDMM_CREATE_SHARED;
    args.resource = 0;
    assert_int_equal(vidmm_create_allocation(f->mm, &args), STATUS_SUCCESS);
    shared = args.resource;
    args.flags = 0;
    assert_int_equal(vidmm_create_allocation(f->mm, &args), STATUS_INVALID_PARAMETER);

    /* Destroying every allocation of a resource keeps the resource. */
    list[0] = infos[1].handle; list[1] = extra;
    assert_int_equal(destroy_dev(f, f->device, 0, list, 2, 0), STATUS_SUCCESS);
    assert_int_equal(get_stats(f).resources, 2);
    /* Destroying the resource takes the rest; a stale list is ignored. */
    assert_int_equal(destroy_dev(f, f->device, resource, list, 2, 0), STATUS_SUCCESS);
    assert_int_equal(get_stats(f).resources, 1);
    assert_int_equal(get_stats(f).allocations, 1);
    for (i = 1; i <= 3; i++)
        assert_int_equal(lock_dev(f, f->device, resource + 0x40 * i, 0, NULL), STATUS_INVALID_PARAMETER);
    assert_int_equal(destroy_dev(f, f->device, resource, NULL, 0, 0), STATUS_INVALID_PARAMETER);   /* twice */
    args.resource = resource;   /* gone */
    assert_int_equal(vidmm_create_allocation(f->mm, &args), STATUS_INVALID_HANDLE);
    assert_int_equal(destroy_dev(f, f->device, shared, NULL, 0, 0), STATUS_SUCCESS);
    assert_int_equal(get_stats(f).resources, 0);
    assert_int_equal(get_stats(f).allocations, 0);
    assert_int_equal(local_usage(f), 0);
}

/* ---- caller-provided system memory ---- */

static void test_standard_allocation(void **state)
{
    struct fx *f = *state;
    struct vidmm_create_allocation_args args, good;
    struct vidmm_alloc_info info;
    uint8_t *user = native_memory_user_alloc(f->nm, 64 * KB), *p;
    uint32_t h, resource;
    struct snap before;

    assert_non_null(user);
    memset(&info, 0, sizeof(info));
    info.system_mem = (uintptr_t)user;
    memset(&good, 0, sizeof(good));
    good.device = f->device;
    good.flags = VIDMM_CREATE_STANDARD | VIDMM_CREATE_EXISTING_SYSMEM;
    good.count = 1;
    good.allocs = (uintptr_t)&info;
    good.standard_type = VIDMM_STANDARD_EXISTINGHEAP;
    good.standard_heap_size = 64 * KB;

    /* Each rule of spec B.3.1, EXISTINGHEAP. */
    take_snap(f, &before);
#define BAD(stmt) do { args = good; memset(&info, 0, sizeof(info)); info.system_mem = (uintptr_t)user; stmt; \
        assert_int_equal(vidmm_create_allocation(f->mm, &args), STATUS_INVALID_PARAMETER); } while (0)
    BAD(args.standard_type = 0);
    BAD(args.standard_type = 2);
    BAD(args.standard_flags = 1);
    BAD(info.system_mem = 0);
    BAD(info.system_mem += 0x10);
    BAD(args.count = 2);
    BAD(args.standard_heap_size = 0x1100);
    BAD(args.standard_heap_size = 0);
    BAD(args.standard_heap_size = 128 * KB);   /* more than the caller has */
    BAD(args.flags &= ~VIDMM_CREATE_EXISTING_SYSMEM);
    BAD(args.flags &= ~VIDMM_CREATE_STANDARD);
    BAD(args.flags |= VIDMM_CREATE_EXISTING_SECTION);
    BAD((args.resource_size = 64, args.resource_data = (uintptr_t)user));
    BAD((info.private_size = 6, info.private_data = 0));
    BAD((info.private_size = D3DKMT_WINE_MAX_PRIVATE_DATA + 1, info.private_data = (uintptr_t)user));
    BAD(info.flags = VIDMM_ALLOC_PRIMARY);
    BAD(info.system_mem = (uintptr_t)&info & ~(uintptr_t)0xfff);   /* not the caller's registered memory */
#undef BAD
    assert_unchanged(f, &before);

    /* Success: the lock returns the caller's memory itself. */
    memset(&info, 0, sizeof(info));
    info.system_mem = (uintptr_t)user;
    args = good;
    assert_int_equal(vidmm_create_allocation(f->mm, &args), STATUS_SUCCESS);
    h = info.handle;
    assert_int_equal(args.resource, 0);
    assert_int_equal(get_stats(f).nonlocal_usage, 64 * KB);
    assert_int_equal(get_stats(f).local_usage, 0);
    assert_int_equal(get_stats(f).backing_bytes, 0);
    user[100] = 0x42;
    p = lock_ok(f, h);
    assert_ptr_equal(p, user);
    assert_int_equal(p[100], 0x42);
    unlock_ok(f, h);
    /* Not to an existing resource; with CreateResource: resource then allocation. */
    args = good;
    args.resource = h;
    assert_int_equal(vidmm_create_allocation(f->mm, &args), STATUS_INVALID_HANDLE);
    args = good;
    args.flags |= VIDMM_CREATE_RESOURCE;
    assert_int_equal(vidmm_create_allocation(f->mm, &args), STATUS_SUCCESS);
    resource = args.resource;
    assert_int_equal(resource, h + 0x40);
    assert_int_equal(info.handle, resource + 0x40);
    args = good;
    args.resource = resource;
    assert_int_equal(vidmm_create_allocation(f->mm, &args), STATUS_INVALID_PARAMETER);
    assert_int_equal(destroy_dev(f, f->device, resource, NULL, 0, 0), STATUS_SUCCESS);
    destroy_ok(f, h);
    assert_unchanged(f, &before);
    native_memory_user_free(f->nm, user);
}

/* Issue 12: [WIN] 6 bytes of per-allocation driver data on a standard
 * allocation are accepted, with and without CreateResource/CreateShared.
 * The module's choice: what is stored (and OpenResource returns) is the
 * descriptor the "kernel" makes up for the wrapped memory, as without data. */
static void test_standard_private_data(void **state)
{
    static const uint8_t six[6] = {1, 2, 3, 4, 5, 6};
    static const uint32_t forms[] = {0, VIDMM_CREATE_RESOURCE, VIDMM_CREATE_RESOURCE | VIDMM_CREATE_SHARED};
    struct fx *f = *state;
    struct vidmm_create_allocation_args args;
    struct vidmm_query_resource_args query;
    struct vidmm_open_resource_args open;
    struct vidmm_open_info opened;
    struct vidmm_alloc_info info;
    D3DKMT_WINE_ALLOCATION_DESC desc;
    uint8_t *user = native_memory_user_alloc(f->nm, 64 * KB), total[256];
    struct snap before;
    size_t i;

    assert_non_null(user);
    take_snap(f, &before);
    for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++)
    {
        memset(&info, 0, sizeof(info));
        info.system_mem = (uintptr_t)user;
        info.private_data = (uintptr_t)six;
        info.private_size = sizeof(six);
        memset(&args, 0, sizeof(args));
        args.device = f->device;
        args.flags = VIDMM_CREATE_STANDARD | VIDMM_CREATE_EXISTING_SYSMEM | forms[i];
        args.count = 1;
        args.allocs = (uintptr_t)&info;
        args.standard_type = VIDMM_STANDARD_EXISTINGHEAP;
        args.standard_heap_size = 64 * KB;
        assert_int_equal(vidmm_create_allocation(f->mm, &args), STATUS_SUCCESS);
        assert_int_equal(info.handle & 0xc000003f, 0xc0000000);
        assert_int_equal(args.resource, forms[i] ? info.handle - 0x40 : 0);
        if (!(forms[i] & VIDMM_CREATE_SHARED))
        {
            assert_int_equal(args.global_share, 0);
            if (forms[i]) assert_int_equal(destroy_dev(f, f->device, args.resource, NULL, 0, 0), STATUS_SUCCESS);
            else destroy_ok(f, info.handle);
            continue;
        }
        assert_int_equal(args.global_share & 0xc000003f, 0xc0000002);
        memset(&query, 0, sizeof(query));
        query.device = f->device;
        query.global_share = args.global_share;
        assert_int_equal(vidmm_query_resource(f->mm, &query), STATUS_SUCCESS);
        assert_int_equal(query.count, 1);
        assert_int_equal(query.resource_driver_size, 0);
        assert_int_equal(query.total_driver_size, sizeof(desc));
        memset(&open, 0, sizeof(open));
        memset(total, 0xcd, sizeof(total));
        open.device = f->device;
        open.global_share = args.global_share;
        open.count = 1;
        open.infos = (uintptr_t)&opened;
        open.total_data = (uintptr_t)total;
        open.total_size = sizeof(total);
        assert_int_equal(vidmm_open_resource(f->mm, &open), STATUS_SUCCESS);
        /* Issue 13: [WIN] the very next local values, none for the global handle. */
        assert_int_equal(open.resource, info.handle + 0x40);
        assert_int_equal(opened.handle, info.handle + 0x80);
        assert_int_equal(opened.private_size, sizeof(desc));
        assert_int_equal(open.total_size, sizeof(desc));
        memcpy(&desc, total, sizeof(desc));
        assert_int_equal(desc.Magic, D3DKMT_WINE_ALLOC_MAGIC);
        assert_int_equal(desc.Size, 64 * KB);
        assert_int_equal(desc.SegmentGroup, D3DKMT_WINE_SEGMENT_GROUP_NON_LOCAL);
        assert_int_equal(desc.Flags, D3DKMT_WINE_ALLOC_FLAG_CPU_VISIBLE);
        assert_ptr_equal(lock_ok(f, opened.handle), user);
        unlock_ok(f, opened.handle);
        assert_int_equal(destroy_dev(f, f->device, open.resource, NULL, 0, 0), STATUS_SUCCESS);
        assert_int_equal(destroy_dev(f, f->device, args.resource, NULL, 0, 0), STATUS_SUCCESS);
    }
    assert_unchanged(f, &before);
    native_memory_user_free(f->nm, user);
}

static void test_user_memory_allocation(void **state)
{
    struct fx *f = *state;
    D3DKMT_WINE_ALLOCATION_DESC desc = make_desc(64 * KB, LOCAL, CV);
    struct vidmm_alloc_info info;
    uint8_t *user = native_memory_user_alloc(f->nm, 128 * KB), *p;
    struct snap before;
    uint32_t h;

    take_snap(f, &before);
    make_info(&info, &desc);
    info.system_mem = (uintptr_t)user + 64 * KB;   /* inside the caller's range */
    assert_int_equal(create_allocs(f, f->device, 0, NULL, &info, 1), STATUS_SUCCESS);
    h = info.handle;
    assert_int_equal(get_stats(f).nonlocal_usage, 64 * KB);
    assert_int_equal(get_stats(f).local_usage, 0);
    p = lock_ok(f, h);
    assert_ptr_equal(p, user + 64 * KB);
    fill(p, 64 * KB, 11);
    unlock_ok(f, h);
    assert_true(matches(user + 64 * KB, 64 * KB, 11));
    destroy_ok(f, h);
    assert_unchanged(f, &before);

    /* Too small for the descriptor, unaligned, unmapped, or a primary. */
    desc.Size = 128 * KB;
    make_info(&info, &desc);
    info.system_mem = (uintptr_t)user + 64 * KB;
    assert_int_equal(create_allocs(f, f->device, 0, NULL, &info, 1), STATUS_INVALID_PARAMETER);
    desc.Size = 64 * KB;
    make_info(&info, &desc);
    info.system_mem = (uintptr_t)user + 8;
    assert_int_equal(create_allocs(f, f->device, 0, NULL, &info, 1), STATUS_INVALID_PARAMETER);
    make_info(&info, &desc);
    info.system_mem = (uintptr_t)user;
    info.flags = VIDMM_ALLOC_PRIMARY;
    assert_int_equal(create_allocs(f, f->device, 0, NULL, &info, 1), STATUS_INVALID_PARAMETER);
    native_memory_user_free(f->nm, user);
    make_info(&info, &desc);
    info.system_mem = (uintptr_t)user;
    assert_int_equal(create_allocs(f, f->device, 0, NULL, &info, 1), STATUS_INVALID_PARAMETER);
    assert_unchanged(f, &before);
}

/* ---- residency (MakeResident / Evict through the pager), offer / reclaim ---- */

static uint32_t create_queue(struct fx *f, uint32_t device, volatile uint64_t **fence_cpu)
{
    struct vidmm_paging_queue_args args;

    memset(&args, 0, sizeof(args));
    args.device = device;
    assert_int_equal(vidmm_create_paging_queue(f->mm, &args), STATUS_SUCCESS);
    assert_int_not_equal(args.sync_object, 0);
    if (fence_cpu) *fence_cpu = (volatile uint64_t *)(uintptr_t)args.fence_cpu_va;
    return args.handle;
}

static NTSTATUS list_call(struct fx *f, NTSTATUS (*fn)(struct vidmm *, struct vidmm_list_args *), uint32_t device,
                          const uint32_t *handles, uint32_t count, uint32_t flags, uint64_t *fence, uint64_t *trim)
{
    struct vidmm_list_args args;
    NTSTATUS status;

    memset(&args, 0, sizeof(args));
    args.device = device;
    args.handles = (uintptr_t)handles;
    args.count = count;
    args.flags = flags;
    args.fence = 0xdead;
    args.bytes_to_trim = 0xdead;
    status = fn(f->mm, &args);
    if (fence) *fence = args.fence;
    if (trim) *trim = args.bytes_to_trim;
    return status;
}

static uint32_t residency(struct fx *f, uint32_t handle)
{
    struct vidmm_list_args args;
    uint32_t value = 0;

    memset(&args, 0, sizeof(args));
    args.device = f->device;
    args.handles = (uintptr_t)&handle;
    args.count = 1;
    args.values = (uintptr_t)&value;
    assert_int_equal(vidmm_query_residency(f->mm, &args), STATUS_SUCCESS);
    return value;
}

static void wait_idle(struct fx *f)
{
    assert_int_equal(escape(f, D3DKMT_WINE_ESCAPE_WAIT_IDLE, 0, NULL), STATUS_SUCCESS);
}

static void test_make_resident_and_evict(void **state)
{
    struct fx *f = *state;
    volatile uint64_t *fence_cpu;
    uint32_t queue = create_queue(f, f->device, &fence_cpu), a, b, both[2];
    uint64_t fence = 0, trim = 0;
    NTSTATUS status;
    uint8_t *p;

    a = create_ok(f, LOCAL_SIZE, LOCAL, CV);
    p = lock_ok(f, a);
    fill(p, LOCAL_SIZE, 21);
    unlock_ok(f, a);
    b = create_ok(f, 512 * KB, LOCAL, CV);   /* evicts a */
    p = lock_ok(f, b);
    fill(p, 512 * KB, 22);
    unlock_ok(f, b);
    assert_int_equal(residency(f, a), VIDMM_RESIDENCY_NOT_RESIDENT);
    assert_int_equal(residency(f, b), VIDMM_RESIDENCY_IN_GPU_MEMORY);

    /* MakeResident pages a back in (evicting b); its fence says when. */
    status = list_call(f, vidmm_make_resident, queue, &a, 1, 0, &fence, &trim);
    assert_true(status == STATUS_SUCCESS || status == STATUS_PENDING);
    assert_int_equal(trim, 0);
    wait_idle(f);
    assert_true(*fence_cpu >= fence);
    assert_int_equal(residency(f, a), VIDMM_RESIDENCY_IN_GPU_MEMORY);
    assert_int_equal(residency(f, b), VIDMM_RESIDENCY_NOT_RESIDENT);
    assert_int_equal(local_usage(f), LOCAL_SIZE);
    p = lock_ok(f, a);
    assert_true(in_local_pool(f, p));
    assert_true(matches(p, LOCAL_SIZE, 21));
    unlock_ok(f, a);
    p = lock_ok(f, b);
    assert_true(matches(p, 512 * KB, 22));
    unlock_ok(f, b);

    /* Over budget: all or nothing, with the bytes to trim. */
    both[0] = b; both[1] = a;
    assert_int_equal(list_call(f, vidmm_make_resident, queue, both, 2, 0, &fence, &trim), STATUS_NO_MEMORY);
    assert_int_equal(trim, 512 * KB);
    assert_int_equal(list_call(f, vidmm_make_resident, queue, &b, 1, VIDMM_MAKERESIDENT_CANT_TRIM_FURTHER,
                               &fence, &trim), STATUS_NO_MEMORY);
    assert_int_equal(list_call(f, vidmm_evict, f->device, &b, 1, 0, NULL, &trim), STATUS_INVALID_PARAMETER);
    assert_int_equal(list_call(f, vidmm_make_resident, queue, &b, 1, VIDMM_MAKERESIDENT_MUST_SUCCEED, &fence, &trim),
                     STATUS_INVALID_PARAMETER);
    assert_int_equal(list_call(f, vidmm_make_resident, f->device, &a, 1, 0, &fence, &trim), STATUS_INVALID_PARAMETER);

    /* Evict drops the reference; the pager moves it out, content intact. */
    assert_int_equal(list_call(f, vidmm_evict, f->device, &a, 1, 0, NULL, &trim), STATUS_SUCCESS);
    wait_idle(f);
    assert_int_equal(residency(f, a), VIDMM_RESIDENCY_NOT_RESIDENT);
    assert_int_equal(list_call(f, vidmm_evict, f->device, &a, 1, 0, NULL, &trim), STATUS_INVALID_PARAMETER);
    p = lock_ok(f, a);
    assert_false(in_local_pool(f, p));
    assert_true(matches(p, LOCAL_SIZE, 21));
    unlock_ok(f, a);
    assert_int_equal(vidmm_destroy_paging_queue(f->mm, queue), STATUS_SUCCESS);
    assert_int_equal(vidmm_destroy_paging_queue(f->mm, queue), STATUS_INVALID_PARAMETER);
}

/* A restore never moves a locked allocation; it happens after the last unlock. */
static void test_restore_waits_for_unlock(void **state)
{
    struct fx *f = *state;
    uint32_t queue = create_queue(f, f->device, NULL), a, b;
    NTSTATUS status;
    uint8_t *p, *q;

    a = create_ok(f, LOCAL_SIZE, LOCAL, CV);
    b = create_ok(f, 512 * KB, LOCAL, CV);   /* evicts a */
    p = lock_ok(f, a);
    assert_false(in_local_pool(f, p));
    fill(p, LOCAL_SIZE, 31);
    status = list_call(f, vidmm_make_resident, queue, &a, 1, 0, NULL, NULL);
    assert_true(status == STATUS_SUCCESS || status == STATUS_PENDING);
    wait_idle(f);
    assert_true(native_memory_is_committed(f->nm, p, LOCAL_SIZE));
    assert_true(matches(p, LOCAL_SIZE, 31));
    q = lock_ok(f, a);
    assert_ptr_equal(p, q);
    fill(p, LOCAL_SIZE, 32);
    unlock_ok(f, a);
    unlock_ok(f, a);   /* now the restore may run */
    wait_idle(f);
    assert_int_equal(residency(f, a), VIDMM_RESIDENCY_IN_GPU_MEMORY);
    p = lock_ok(f, a);
    assert_true(in_local_pool(f, p));
    assert_true(matches(p, LOCAL_SIZE, 32));
    unlock_ok(f, a);
    destroy_ok(f, b);
    destroy_ok(f, a);   /* with a residency reference and the queue still there */
}

static NTSTATUS offer(struct fx *f, uint32_t handle, uint32_t flags, uint32_t priority)
{
    struct vidmm_list_args args;

    memset(&args, 0, sizeof(args));
    args.device = f->device;
    args.handles = (uintptr_t)&handle;
    args.count = 1;
    args.flags = flags;
    args.priority = priority;
    return vidmm_offer(f->mm, &args);
}

static NTSTATUS reclaim(struct fx *f, uint32_t handle, uint32_t *result)
{
    struct vidmm_list_args args;

    memset(&args, 0, sizeof(args));
    args.device = f->device;
    args.handles = (uintptr_t)&handle;
    args.count = 1;
    args.values = (uintptr_t)result;
    return vidmm_reclaim(f->mm, &args, 0);
}

static void test_offer_reclaim(void **state)
{
    struct fx *f = *state;
    uint32_t a = create_ok(f, 64 * KB, LOCAL, CV), n = create_ok(f, 64 * KB, NONLOCAL, 0), b, c, result;
    uint8_t *p;

    p = lock_ok(f, a);
    fill(p, 64 * KB, 41);
    /* Locked allocations cannot be offered; offered ones cannot be locked. */
    assert_int_equal(offer(f, a, 0, 2), STATUS_INVALID_PARAMETER);
    unlock_ok(f, a);
    assert_int_equal(offer(f, a, 0, 0), STATUS_INVALID_PARAMETER);   /* no priority */
    assert_int_equal(offer(f, a, 0, 5), STATUS_INVALID_PARAMETER);
    assert_int_equal(offer(f, a, 0x4, 2), STATUS_INVALID_PARAMETER);
    assert_int_equal(offer(f, a, 0, 2), STATUS_SUCCESS);
    assert_int_equal(offer(f, a, 0, 2), STATUS_INVALID_PARAMETER);   /* twice */
    assert_int_equal(lock_dev(f, f->device, a, 0, &p), STATUS_INVALID_PARAMETER);
    /* Nothing needed the memory: the content is still there. */
    result = 0xdead;
    assert_int_equal(reclaim(f, a, &result), STATUS_SUCCESS);
    assert_int_equal(result, VIDMM_RECLAIM_OK);
    p = lock_ok(f, a);
    assert_true(matches(p, 64 * KB, 41));
    unlock_ok(f, a);

    /* Offered immediately: the memory goes back, and the content with it. */
    assert_int_equal(offer(f, a, VIDMM_OFFER_IMMEDIATELY, 1), STATUS_SUCCESS);
    assert_int_equal(local_usage(f), 0);
    assert_int_equal(reclaim(f, a, &result), STATUS_SUCCESS);
    assert_int_equal(result, VIDMM_RECLAIM_DISCARDED);
    p = lock_ok(f, a);   /* storage valid again at once */
    fill(p, 64 * KB, 42);
    unlock_ok(f, a);
    assert_int_equal(offer(f, n, VIDMM_OFFER_IMMEDIATELY | VIDMM_OFFER_ALLOW_DECOMMIT, 4), STATUS_SUCCESS);
    assert_int_equal(reclaim(f, n, &result), STATUS_SUCCESS);
    assert_int_equal(result, VIDMM_RECLAIM_NOT_COMMITTED);
    destroy_ok(f, a);

    /* An offered allocation is evicted first, before older ones, and not copied. */
    a = create_ok(f, 512 * KB, LOCAL, CV);
    b = create_ok(f, 512 * KB, LOCAL, CV);
    assert_int_equal(offer(f, b, 0, 3), STATUS_SUCCESS);
    c = create_ok(f, 512 * KB, LOCAL, CV);
    assert_int_equal(residency(f, a), VIDMM_RESIDENCY_IN_GPU_MEMORY);
    assert_int_equal(residency(f, b), VIDMM_RESIDENCY_NOT_RESIDENT);
    assert_int_equal(reclaim(f, b, &result), STATUS_SUCCESS);
    assert_int_equal(result, VIDMM_RECLAIM_DISCARDED);
    assert_int_equal(reclaim(f, b, &result), STATUS_SUCCESS);   /* not offered: fine, OK */
    assert_int_equal(result, VIDMM_RECLAIM_OK);
    destroy_ok(f, c);
}


/* ---- limits: largest allocation, over-commit ceiling, mappings ---- */

/* The commit ceiling of the fixture's adapter: non-local segment plus half. */
#define COMMIT_LIMIT (NONLOCAL_SIZE + NONLOCAL_SIZE / 2)

static void test_size_limits(void **state)
{
    struct fx *f = *state;
    D3DKMT_WINE_ALLOCATION_DESC desc;
    struct native_memory_counters before, after;
    struct vidmm_alloc_info info;
    struct snap snap;
    uint8_t *user;
    uint32_t h;

    /* Larger than the segment it must live in: rejected before any memory is reserved. */
    take_snap(f, &snap);
    native_memory_get_counters(f->nm, &before);
    assert_int_equal(create_simple(f, LOCAL_SIZE + VIDMM_PAGE_SIZE, LOCAL, CV, &h), STATUS_GRAPHICS_NO_VIDEO_MEMORY);
    assert_int_equal(create_simple(f, NONLOCAL_SIZE + VIDMM_PAGE_SIZE, NONLOCAL, CV, &h), STATUS_NO_MEMORY);
    assert_int_equal(create_simple(f, 1ull << 40, LOCAL, CV, &h), STATUS_GRAPHICS_NO_VIDEO_MEMORY);
    assert_int_equal(create_simple(f, 64ull << 40, NONLOCAL, 0, &h), STATUS_NO_MEMORY);
    native_memory_get_counters(f->nm, &after);
    assert_int_equal(after.reserve_calls, before.reserve_calls);
    assert_unchanged(f, &snap);

    /* A caller's region larger than the non-local segment cannot be wrapped either. */
    user = native_memory_user_alloc(f->nm, NONLOCAL_SIZE + VIDMM_PAGE_SIZE);
    desc = make_desc(NONLOCAL_SIZE + VIDMM_PAGE_SIZE, NONLOCAL, CV);
    make_info(&info, &desc);
    info.system_mem = (uintptr_t)user;
    assert_int_equal(create_allocs(f, f->device, 0, NULL, &info, 1), STATUS_NO_MEMORY);
    assert_unchanged(f, &snap);
    native_memory_user_free(f->nm, user);

    /* Exactly the segment is fine. */
    h = create_ok(f, LOCAL_SIZE, LOCAL, CV);
    destroy_ok(f, h);
    h = create_ok(f, NONLOCAL_SIZE, NONLOCAL, CV);
    destroy_ok(f, h);
    assert_unchanged(f, &snap);
}

/* Creates allocations of `size` until one fails; returns how many, and the status. */
static uint32_t create_until_failure(struct fx *f, uint64_t size, uint32_t group, uint32_t *handles,
                                     uint32_t max, NTSTATUS *status)
{
    uint32_t n = 0;

    while (n < max && !(*status = create_simple(f, size, group, CV, &handles[n]))) n++;
    return n;
}

static void test_nonlocal_ceiling(void **state)
{
    struct fx *f = *state;
    uint32_t handles[64], n, i;
    struct snap snap;
    NTSTATUS status;

    take_snap(f, &snap);
    n = create_until_failure(f, MB, NONLOCAL, handles, 64, &status);
    assert_int_equal(status, STATUS_NO_MEMORY);
    assert_int_equal(n, NONLOCAL_SIZE / MB);
    assert_int_equal(get_stats(f).nonlocal_usage, NONLOCAL_SIZE);
    /* Video memory still works, and so does freeing one to make room. */
    i = create_ok(f, 64 * KB, LOCAL, CV);
    destroy_ok(f, i);
    destroy_ok(f, handles[--n]);
    handles[n] = create_ok(f, MB, NONLOCAL, CV);
    for (i = 0; i <= n; i++) destroy_ok(f, handles[i]);
    assert_unchanged(f, &snap);
}

static void test_local_overcommit_ceiling(void **state)
{
    struct fx *f = *state;
    uint32_t handles[64], n, i;
    struct snap snap;
    NTSTATUS status;
    uint8_t *p;

    take_snap(f, &snap);
    n = create_until_failure(f, MB, LOCAL, handles, 64, &status);
    /* The segment, then backing stores up to the commit ceiling. */
    assert_int_equal(status, STATUS_GRAPHICS_NO_VIDEO_MEMORY);
    assert_int_equal(n, (LOCAL_SIZE + COMMIT_LIMIT) / MB);
    assert_true(get_stats(f).backing_bytes <= COMMIT_LIMIT);
    /* The ceiling is shared with non-local memory: none is left. */
    assert_int_equal(create_simple(f, MB, NONLOCAL, CV, &i), STATUS_NO_MEMORY);
    /* Everything created is still usable. */
    p = lock_ok(f, handles[0]);
    fill(p, MB, 7);
    unlock_ok(f, handles[0]);
    p = lock_ok(f, handles[0]);
    assert_true(matches(p, MB, 7));
    unlock_ok(f, handles[0]);
    for (i = 0; i < n; i++) destroy_ok(f, handles[i]);
    assert_unchanged(f, &snap);
}

/* Resident pages of the reservation at `base` (the backing store), by mincore. */
static uint64_t resident_pages(void *base, uint64_t size)
{
    unsigned char vec[256];
    uint64_t i, count = 0;

    assert_true(size / VIDMM_PAGE_SIZE <= sizeof(vec));
    assert_int_equal(mincore(base, size, vec), 0);
    for (i = 0; i < size / VIDMM_PAGE_SIZE; i++) count += vec[i] & 1;
    return count;
}

static void test_untouched_not_copied(void **state)
{
    struct fx *f = *state;
    uint32_t a, b, c;
    void *backing;
    uint8_t *p;

    /* Two never-written 512 KiB allocations fill the segment; a third evicts the first. */
    a = create_ok(f, 512 * KB, LOCAL, CV);
    b = create_ok(f, 512 * KB, LOCAL, CV);
    c = create_ok(f, 512 * KB, LOCAL, CV);
    assert_int_equal(get_stats(f).backing_bytes, 512 * KB);
    backing = lock_ok(f, a);   /* a Lock touches no page */
    assert_false(in_local_pool(f, backing));
    assert_int_equal(native_memory_reservation_size(f->nm, backing), VIDMM_HEAP_ARENA_SIZE);
    /* Its content is all zeros: nothing was copied, no page was touched. */
    assert_int_equal(resident_pages(backing, 512 * KB), 0);
    unlock_ok(f, a);

    /* Written content is copied, and survives. */
    p = lock_ok(f, b);
    fill(p, 512 * KB, 3);
    unlock_ok(f, b);
    destroy_ok(f, c);
    c = create_ok(f, LOCAL_SIZE, LOCAL, CV);   /* evicts b now (a is out already) */
    p = lock_ok(f, b);
    assert_true(matches(p, 512 * KB, 3));
    unlock_ok(f, b);
    p = lock_ok(f, a);
    assert_true(all_zero(p, 512 * KB));
    unlock_ok(f, a);
    destroy_ok(f, a);
    destroy_ok(f, b);
    destroy_ok(f, c);
}

static void test_reservation_cap(void **state)
{
    struct fx *f = *state;
    struct vidmm_open_adapter_args open = {0};
    struct vidmm_create_device_args dev = {0};
    struct native_memory_counters c;
    struct vidmm_memory_ops ops;
    uint32_t handles[64], n, i;
    struct fx g = *f;
    NTSTATUS status;

    /* A second manager whose memory provider allows 4 reservations (pool included). */
    native_memory_ops(f->nm, &ops);
    ops.max_reservations = 4;
    assert_int_equal(vidmm_create(&ops, VIDMM_CREATE_TEST_CONTROL, &g.mm), STATUS_SUCCESS);
    open.luid = TEST_LUID + 1;
    open.local_size = LOCAL_SIZE;
    open.nonlocal_size = NONLOCAL_SIZE;
    open.source_count = 1;
    assert_int_equal(vidmm_open_adapter(g.mm, &open), STATUS_SUCCESS);
    dev.adapter = open.handle;
    assert_int_equal(vidmm_create_device(g.mm, &dev), STATUS_SUCCESS);
    g.adapter = open.handle;
    g.device = dev.handle;

    /* Small allocations share one heap arena: no reservation each. */
    n = create_until_failure(&g, 4 * KB, NONLOCAL, handles, 32, &status);
    assert_int_equal(n, 32);
    native_memory_get_counters(f->nm, &c);
    assert_int_equal(c.reservations, 1 + 2);   /* the fixture's pool, ours and the arena */
    /* Large ones get a region each, until the provider's limit: a status. */
    n += create_until_failure(&g, VIDMM_HEAP_DEDICATED_MIN, NONLOCAL, handles + n, 32, &status);
    assert_int_equal(status, STATUS_NO_MEMORY);
    assert_int_equal(n, 32 + 2);
    native_memory_get_counters(f->nm, &c);
    assert_int_equal(c.reservations, 1 + 4);
    /* Video memory still works in the pool. */
    i = create_ok(&g, 512 * KB, LOCAL, CV);
    destroy_ok(&g, i);
    for (i = 0; i < n; i++) destroy_ok(&g, handles[i]);
    i = create_ok(&g, 4 * KB, NONLOCAL, CV);
    destroy_ok(&g, i);
    vidmm_destroy(g.mm);
    native_memory_get_counters(f->nm, &c);
    assert_int_equal(c.reservations, 1);
}

/* The test-control escape is off unless the manager is created with it:
 * a valid request is then refused like any unknown private escape. */
static void test_escape_needs_test_control(void **state)
{
    struct fx *f = *state;
    struct vidmm_open_adapter_args open = {0};
    struct vidmm_memory_ops ops;
    struct vidmm_adapter_info info;
    struct fx g = *f;
    D3DKMT_WINE_ESCAPE esc;

    native_memory_ops(f->nm, &ops);
    assert_int_equal(vidmm_create(&ops, 0, &g.mm), STATUS_SUCCESS);
    open.luid = TEST_LUID;
    open.local_size = LOCAL_SIZE;
    open.nonlocal_size = NONLOCAL_SIZE;
    open.source_count = 1;
    assert_int_equal(vidmm_open_adapter(g.mm, &open), STATUS_SUCCESS);
    g.adapter = open.handle;
    memset(&esc, 0x5a, sizeof(esc));
    assert_int_equal(escape(&g, D3DKMT_WINE_ESCAPE_QUERY_STATS, 0, &esc), STATUS_INVALID_PARAMETER);
    assert_int_equal(escape(&g, D3DKMT_WINE_ESCAPE_REMOVE_ADAPTER, 0, NULL), STATUS_INVALID_PARAMETER);
    /* Nothing changed: the adapter was not removed. */
    assert_int_equal(vidmm_query_adapter(g.mm, g.adapter, &info), STATUS_SUCCESS);
    assert_int_equal(info.removed, 0);
    vidmm_destroy(g.mm);
}

/* Whether the page at p is in memory (mincore). */
static int page_resident(const void *p)
{
    unsigned char vec = 0;

    assert_int_equal(mincore((void *)((uintptr_t)p & ~(uintptr_t)4095), 4096, &vec), 0);
    return vec & 1;
}

/* The first Lock of memory that was never handed out leaves its pages alone
 * (they read zero already): the first fault is the application's.  Memory
 * an earlier allocation used is cleared as before, whatever the order. */
static void test_first_lock_of_fresh_memory(void **state)
{
    struct fx *f = *state;
    uint32_t a = create_ok(f, 16 * KB, NONLOCAL, CV), b, c;
    uint8_t *p, *q, *r;

    p = lock_ok(f, a);
    assert_false(page_resident(p));
    assert_false(page_resident(p + 12 * KB));
    assert_true(all_zero(p, 16 * KB));
    fill(p, 16 * KB, 7);
    unlock_ok(f, a);
    destroy_ok(f, a);
    /* The same range again (the heap hands back the block it got back): cleared. */
    b = create_ok(f, 16 * KB, NONLOCAL, CV);
    q = lock_ok(f, b);
    assert_true(all_zero(q, 16 * KB));
    fill(q, 16 * KB, 8);
    unlock_ok(f, b);
    /* Locked once and written: a second Lock must not clear it. */
    q = lock_ok(f, b);
    assert_true(matches(q, 16 * KB, 8));
    unlock_ok(f, b);
    /* Part of the used range, part never used: cleared too. */
    c = create_ok(f, 8 * KB, NONLOCAL, CV);
    destroy_ok(f, b);
    b = create_ok(f, 32 * KB, NONLOCAL, CV);
    r = lock_ok(f, b);
    assert_true(all_zero(r, 32 * KB));
    unlock_ok(f, b);
    destroy_ok(f, b);
    destroy_ok(f, c);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] =
    {
        T(test_adapter_open_close),
        T(test_escape_needs_test_control),
        T(test_close_adapter_device_hosts),
        T(test_device_create_destroy),
        T(test_create_validation),
        T(test_handle_sequence),
        T(test_lock_basic),
        T(test_first_lock_of_fresh_memory),
        T(test_lock_flags_and_pages),
        T(test_lock_reference_limit),
        T(test_lock_moves_unreachable),
        T(test_usage_accounting),
        T(test_eviction),
        T(test_eviction_priority),
        T(test_locked_not_evicted),
        T(test_lock_during_eviction),
        T(test_pinned),
        T(test_pinned_aligned_fit),
        T(test_memory_ops_failures),
        T(test_oom_create_allocation),
        T(test_oom_handle_table_growth),
        T(test_oom_other_calls),
        T(test_teardown_needs_no_memory),
        T(test_oom_with_eviction),
        T(test_destroy_device_frees_everything),
        T(test_close_adapter_destroys_devices),
        T(test_vidmm_destroy_cleans_up),
        T(test_unlock_atomic),
        T(test_destroy_list_atomic),
        T(test_resources),
        T(test_standard_allocation),
        T(test_standard_private_data),
        T(test_user_memory_allocation),
        T(test_make_resident_and_evict),
        T(test_restore_waits_for_unlock),
        T(test_offer_reclaim),
        T(test_size_limits),
        T(test_nonlocal_ceiling),
        T(test_local_overcommit_ceiling),
        T(test_untouched_not_copied),
        T(test_reservation_cap),
    };
#undef T

    return cmocka_run_group_tests(tests, NULL, NULL);
}
