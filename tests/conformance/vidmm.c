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
 * Conformance: the video memory manager as user mode sees it - budgets,
 * eviction with the data kept, priorities, MakeResident/Evict with the pager,
 * offer/reclaim, device and adapter removal.  Every seed return code happens
 * here for its real reason.
 *
 * The budget, the pager and adapter removal are driven through this module's
 * documented escape (d3dkmt_driver.h); on Windows those parts are skipped.
 */
#include "d3dkmt_test.h"

#define MB (1024 * 1024)
#define CPU_VISIBLE D3DKMT_WINE_ALLOC_FLAG_CPU_VISIBLE

static D3DKMT_HANDLE adapter, device;

static NTSTATUS set_budget(UINT64 bytes)
{
    return wine_escape(adapter, D3DKMT_WINE_ESCAPE_SET_LOCAL_BUDGET, bytes, NULL);
}

static void wait_idle(void)
{
    NTSTATUS status = wine_escape(adapter, D3DKMT_WINE_ESCAPE_WAIT_IDLE, 0, NULL);
    ok(status == STATUS_SUCCESS, "wait idle: %#lx\n", status);
}

static UINT residency_of(D3DKMT_HANDLE dev, D3DKMT_HANDLE alloc)
{
    D3DKMT_ALLOCATIONRESIDENCYSTATUS residency = 0;
    D3DKMT_QUERYALLOCATIONRESIDENCY query;
    NTSTATUS status;

    memset(&query, 0, sizeof(query));
    query.hDevice = dev;
    query.phAllocationList = &alloc;
    query.AllocationCount = 1;
    query.pResidencyStatus = &residency;
    status = pQueryAllocationResidency(&query);
    ok(status == STATUS_SUCCESS, "QueryAllocationResidency: %#lx\n", status);
    return residency;
}

static void fill(D3DKMT_HANDLE alloc, UINT size, UINT seed)
{
    UINT *p, i;

    if (lock_alloc(device, alloc, 0, (void **)&p)) return;
    for (i = 0; i < size / 4; i++) p[i] = seed * 0x9e3779b1u + i;
    unlock_alloc(device, alloc);
}

static UINT count_bad(D3DKMT_HANDLE alloc, UINT size, UINT seed)
{
    UINT *p, i, bad = 0;
    NTSTATUS status;

    if ((status = lock_alloc(device, alloc, 1 /* ReadOnly */, (void **)&p))) return size;
    for (i = 0; i < size / 4; i++) bad += p[i] != seed * 0x9e3779b1u + i;
    unlock_alloc(device, alloc);
    return bad;
}

/* Twelve 1 MiB allocations in a 4 MiB budget: most must be evicted, and
 * every byte survives. */
static void test_eviction_keeps_data(void)
{
    D3DKMT_WINE_ALLOCATION_DESC desc = make_desc(MB, 0, CPU_VISIBLE);
    D3DKMT_WINE_ESCAPE before, stats;
    D3DKMT_HANDLE allocs[12];
    UINT i, bad = 0, not_resident = 0;

    before = wine_stats(adapter);
    ok(set_budget(4 * MB) == STATUS_SUCCESS, "budget escape failed\n");
    for (i = 0; i < ARRAY_SIZE(allocs); i++)
    {
        ok(create_alloc(device, &desc, &allocs[i]) == STATUS_SUCCESS, "create %u failed\n", i);
        fill(allocs[i], MB, i);
    }
    stats = wine_stats(adapter);
    ok(stats.LocalUsage <= 4 * MB, "local usage %I64u over the budget\n", stats.LocalUsage);
    ok(stats.BackingBytes >= 8 * MB, "only %I64u bytes in backing stores\n", stats.BackingBytes);
    ok(query_usage(adapter, D3DKMT_MEMORY_SEGMENT_GROUP_LOCAL, NULL) <= 4 * MB, "usage over the budget\n");
    for (i = 0; i < ARRAY_SIZE(allocs); i++)
        not_resident += residency_of(device, allocs[i]) == D3DKMT_ALLOCATIONRESIDENCYSTATUS_NOTRESIDENT;
    ok(not_resident >= 8, "%u allocations not resident\n", not_resident);
    for (i = 0; i < ARRAY_SIZE(allocs); i++) bad += count_bad(allocs[i], MB, i);
    ok(!bad, "%u words lost through eviction\n", bad);
    for (i = 0; i < ARRAY_SIZE(allocs); i++) destroy_alloc(device, allocs[i]);
    set_budget(0);
    stats = wine_stats(adapter);
    ok(stats.LocalUsage == before.LocalUsage && stats.BackingBytes == before.BackingBytes,
       "usage %I64u/%I64u, backing %I64u/%I64u after destroying everything\n", stats.LocalUsage,
       before.LocalUsage, stats.BackingBytes, before.BackingBytes);
}

/* Lower priority goes first. */
static void test_priorities(void)
{
    D3DKMT_WINE_ALLOCATION_DESC desc = make_desc(MB, 0, CPU_VISIBLE);
    D3DKMT_SETALLOCATIONPRIORITY set;
    D3DKMT_GETALLOCATIONPRIORITY get;
    D3DKMT_HANDLE low, high, newer, list[2];
    UINT priorities[2], out[2];
    NTSTATUS status;

    ok(set_budget(2 * MB) == STATUS_SUCCESS, "budget escape failed\n");
    create_alloc(device, &desc, &high);
    create_alloc(device, &desc, &low);   /* more recently used, but lower priority */

    memset(&set, 0, sizeof(set));
    set.hDevice = device;
    list[0] = high; list[1] = low;
    priorities[0] = D3DDDI_ALLOCATIONPRIORITY_HIGH;
    priorities[1] = D3DDDI_ALLOCATIONPRIORITY_LOW;
    set.phAllocationList = list;
    set.AllocationCount = 2;
    set.pPriorities = priorities;
    status = pSetAllocationPriority(&set);
    ok(status == STATUS_SUCCESS, "SetAllocationPriority: %#lx\n", status);
    memset(&get, 0, sizeof(get));
    get.hDevice = device;
    get.phAllocationList = list;
    get.AllocationCount = 2;
    get.pPriorities = out;
    status = pGetAllocationPriority(&get);
    ok(status == STATUS_SUCCESS, "GetAllocationPriority: %#lx\n", status);
    ok(out[0] == D3DDDI_ALLOCATIONPRIORITY_HIGH && out[1] == D3DDDI_ALLOCATIONPRIORITY_LOW,
       "priorities %#x %#x\n", out[0], out[1]);

    create_alloc(device, &desc, &newer);
    ok(residency_of(device, low) == D3DKMT_ALLOCATIONRESIDENCYSTATUS_NOTRESIDENT, "low priority stayed\n");
    ok(residency_of(device, high) == D3DKMT_ALLOCATIONRESIDENCYSTATUS_RESIDENTINGPUMEMORY, "high priority left\n");

    /* Bad forms: both a resource and a list, neither, or no priorities. */
    set.hResource = 0xc0000040;
    ok(pSetAllocationPriority(&set) == STATUS_INVALID_PARAMETER, "resource and list accepted\n");
    set.hResource = 0;
    set.pPriorities = NULL;
    ok(pSetAllocationPriority(&set) == STATUS_INVALID_PARAMETER, "NULL priorities accepted\n");

    destroy_alloc(device, high);
    destroy_alloc(device, low);
    destroy_alloc(device, newer);
    set_budget(0);
}

static void create_paging_queue(D3DKMT_HANDLE dev, D3DKMT_CREATEPAGINGQUEUE *queue)
{
    NTSTATUS status;

    memset(queue, 0, sizeof(*queue));
    queue->hDevice = dev;
    queue->Priority = D3DDDI_PAGINGQUEUE_PRIORITY_NORMAL;
    status = pCreatePagingQueue(queue);
    ok(status == STATUS_SUCCESS, "CreatePagingQueue: %#lx\n", status);
    ok(is_local_handle(queue->hPagingQueue) && is_local_handle(queue->hSyncObject), "handles %#x %#x\n",
       queue->hPagingQueue, queue->hSyncObject);
    ok(queue->FenceValueCPUVirtualAddress != NULL, "no fence address\n");
}

static void destroy_paging_queue(D3DKMT_HANDLE queue)
{
    D3DDDI_DESTROYPAGINGQUEUE desc = { queue };
    NTSTATUS status = pDestroyPagingQueue(&desc);
    ok(status == STATUS_SUCCESS, "DestroyPagingQueue: %#lx\n", status);
}

static NTSTATUS make_resident(D3DKMT_HANDLE queue, D3DKMT_HANDLE *list, UINT count, UINT flags, D3DDDI_MAKERESIDENT *out)
{
    D3DDDI_MAKERESIDENT desc;

    memset(&desc, 0, sizeof(desc));
    desc.hPagingQueue = queue;
    desc.AllocationList = list;
    desc.NumAllocations = count;
    desc.Flags.Value = flags;
    NTSTATUS status = pMakeResident(&desc);
    if (out) *out = desc;
    return status;
}

static NTSTATUS evict(D3DKMT_HANDLE dev, D3DKMT_HANDLE *list, UINT count, UINT flags, UINT64 *to_trim)
{
    D3DKMT_EVICT desc;
    NTSTATUS status;

    memset(&desc, 0, sizeof(desc));
    desc.hDevice = dev;
    desc.AllocationList = list;
    desc.NumAllocations = count;
    desc.Flags.Value = flags;
    status = pEvict(&desc);
    if (to_trim) *to_trim = desc.NumBytesToTrim;
    return status;
}

static DWORD WINAPI resume_later(void *arg)
{
    Sleep(100);
    wine_escape(adapter, D3DKMT_WINE_ESCAPE_RESUME_PAGER, 0, NULL);
    return 0;
}

/* MakeResident is asynchronous: STATUS_PENDING with a paging fence while the
 * pager works; STATUS_NO_MEMORY with NumBytesToTrim over the budget; a Lock
 * with DonotWait is STATUS_GRAPHICS_ALLOCATION_BUSY while paging is in flight. */
static void test_make_resident_and_evict(void)
{
    D3DKMT_WINE_ALLOCATION_DESC desc = make_desc(MB, 0, CPU_VISIBLE);
    D3DKMT_CREATEPAGINGQUEUE queue;
    D3DDDI_MAKERESIDENT result;
    D3DKMT_HANDLE a, b, c, list[2];
    volatile UINT64 *fence;
    UINT64 to_trim;
    HANDLE thread;
    NTSTATUS status;
    void *p;

    create_paging_queue(device, &queue);
    fence = queue.FenceValueCPUVirtualAddress;
    ok(set_budget(2 * MB) == STATUS_SUCCESS, "budget escape failed\n");
    create_alloc(device, &desc, &a);
    fill(a, MB, 1);
    create_alloc(device, &desc, &b);
    fill(b, MB, 2);
    create_alloc(device, &desc, &c);   /* evicts a */
    fill(c, MB, 3);
    ok(residency_of(device, a) == D3DKMT_ALLOCATIONRESIDENCYSTATUS_NOTRESIDENT, "a resident\n");

    /* Bad input. */
    ok(pMakeResident(NULL) == STATUS_INVALID_PARAMETER, "NULL accepted\n");
    ok(make_resident(0, &b, 1, 0, NULL) == STATUS_INVALID_PARAMETER, "no queue accepted\n");
    ok(make_resident(device, &b, 1, 0, NULL) == STATUS_INVALID_PARAMETER, "device as queue accepted\n");
    ok(make_resident(queue.hPagingQueue, &b, 0, 0, NULL) == STATUS_INVALID_PARAMETER, "0 allocations accepted\n");
    ok(make_resident(queue.hPagingQueue, NULL, 1, 0, NULL) == STATUS_INVALID_PARAMETER, "NULL list accepted\n");
    ok(make_resident(queue.hPagingQueue, &b, 1, 2, NULL) == STATUS_INVALID_PARAMETER, "MustSucceed alone accepted\n");
    ok(evict(device, &b, 1, 0, NULL) == STATUS_INVALID_PARAMETER, "evict without a reference accepted\n");

    /* b and c fill the budget. */
    list[0] = b; list[1] = c;
    status = make_resident(queue.hPagingQueue, list, 2, 0, &result);
    ok(status == STATUS_SUCCESS, "b, c: %#lx\n", status);
    ok(result.NumAllocations == 2, "NumAllocations %u\n", result.NumAllocations);

    /* a does not fit: all or nothing, with how much to trim. */
    status = make_resident(queue.hPagingQueue, &a, 1, 0, &result);
    ok(status == STATUS_NO_MEMORY, "over budget: got %#lx\n", status);
    ok(result.NumBytesToTrim == MB, "NumBytesToTrim %I64u\n", result.NumBytesToTrim);
    ok(residency_of(device, a) == D3DKMT_ALLOCATIONRESIDENCYSTATUS_NOTRESIDENT, "a became resident\n");

    /* Trim c, then a fits; with the pager paused it is pending. */
    status = evict(device, &c, 1, 0, &to_trim);
    ok(status == STATUS_SUCCESS, "evict c: %#lx\n", status);
    ok(!to_trim, "NumBytesToTrim %I64u\n", to_trim);
    wait_idle();
    ok(wine_escape(adapter, D3DKMT_WINE_ESCAPE_PAUSE_PAGER, 0, NULL) == STATUS_SUCCESS, "pause failed\n");
    status = make_resident(queue.hPagingQueue, &a, 1, 0, &result);
    ok(status == STATUS_PENDING, "a with the pager paused: got %#lx\n", status);
    ok(result.PagingFenceValue > *fence, "fence %I64u, completed %I64u\n", result.PagingFenceValue, *fence);
    status = lock_alloc(device, a, 0x4 /* DonotWait */, &p);
    ok(status == STATUS_GRAPHICS_ALLOCATION_BUSY, "DonotWait while paging: got %#lx\n", status);
    /* A plain Lock waits for the paging to finish. */
    thread = CreateThread(NULL, 0, resume_later, NULL, 0, NULL);
    status = lock_alloc(device, a, 0, &p);
    ok(status == STATUS_SUCCESS, "plain lock: got %#lx\n", status);
    ok(*fence >= result.PagingFenceValue, "fence %I64u not reached %I64u\n", *fence, result.PagingFenceValue);
    unlock_alloc(device, a);
    WaitForSingleObject(thread, INFINITE);
    CloseHandle(thread);
    wait_idle();
    ok(residency_of(device, a) == D3DKMT_ALLOCATIONRESIDENCYSTATUS_RESIDENTINGPUMEMORY, "a not resident\n");
    ok(!count_bad(a, MB, 1) && !count_bad(b, MB, 2) && !count_bad(c, MB, 3), "data lost\n");

    /* CantTrimFurther may pass the current budget, not the segment. */
    status = make_resident(queue.hPagingQueue, &c, 1, 1, &result);
    ok(status == STATUS_SUCCESS || status == STATUS_PENDING, "CantTrimFurther: got %#lx\n", status);
    wait_idle();

    list[0] = a; list[1] = b;
    ok(evict(device, list, 2, 0, NULL) == STATUS_SUCCESS, "evict a, b failed\n");
    ok(evict(device, &c, 1, 1 /* EvictOnlyIfNecessary */, NULL) == STATUS_SUCCESS, "evict c failed\n");
    ok(evict(device, &c, 1, 0, NULL) == STATUS_INVALID_PARAMETER, "evict past zero accepted\n");
    wait_idle();
    destroy_alloc(device, a);
    destroy_alloc(device, b);
    destroy_alloc(device, c);
    destroy_paging_queue(queue.hPagingQueue);
    set_budget(0);
}

/* MustSucceed that cannot succeed puts the device in error. */
static void test_must_succeed(void)
{
    D3DKMT_WINE_ALLOCATION_DESC desc = make_desc(MB, 0, CPU_VISIBLE);
    D3DKMT_CREATEPAGINGQUEUE queue;
    D3DKMT_GETDEVICESTATE state;
    D3DKMT_HANDLE dev, a, b;
    D3DDDI_MAKERESIDENT result;
    NTSTATUS status;

    create_device(adapter, &dev);
    create_paging_queue(dev, &queue);
    ok(set_budget(MB) == STATUS_SUCCESS, "budget escape failed\n");
    create_alloc(dev, &desc, &a);
    desc.Size = 2 * MB;
    create_alloc(dev, &desc, &b);
    ok(make_resident(queue.hPagingQueue, &a, 1, 0, NULL) == STATUS_SUCCESS, "a failed\n");
    /* b alone is larger than the budget: NO_MEMORY without CantTrimFurther. */
    status = make_resident(queue.hPagingQueue, &b, 1, 0, &result);
    ok(status == STATUS_NO_MEMORY, "b: got %#lx\n", status);
    ok(result.NumBytesToTrim == 2 * MB, "NumBytesToTrim %I64u\n", result.NumBytesToTrim);
    set_budget(0);
    memset(&state, 0, sizeof(state));
    state.hDevice = dev;
    state.StateType = D3DKMT_DEVICESTATE_EXECUTION;
    ok(pGetDeviceState(&state) == STATUS_SUCCESS && state.ExecutionState == D3DKMT_DEVICEEXECUTION_ACTIVE,
       "state %u\n", state.ExecutionState);

    /* More than the whole segment can never be resident.  One allocation
     * that large is refused at creation; two that together are too large
     * exist, but cannot be resident at once. */
    {
        D3DKMT_WINE_ESCAPE stats = wine_stats(adapter);
        D3DKMT_WINE_ALLOCATION_DESC big = make_desc(stats.LocalBudget + MB, 0, 0);
        D3DKMT_HANDLE h[2];

        status = create_alloc(dev, &big, &h[0]);
        ok(status == STATUS_GRAPHICS_NO_VIDEO_MEMORY, "larger than the segment: got %#lx\n", status);
        big.Size = stats.LocalBudget / 2 + MB;
        ok(create_alloc(dev, &big, &h[0]) == STATUS_SUCCESS, "over-committed allocation failed\n");
        ok(create_alloc(dev, &big, &h[1]) == STATUS_SUCCESS, "over-committed allocation failed\n");
        status = make_resident(queue.hPagingQueue, h, 2, 3 /* CantTrimFurther|MustSucceed */, NULL);
        ok(status == STATUS_NO_MEMORY, "MustSucceed: got %#lx\n", status);
    }
    status = pGetDeviceState(&state);
    ok(status == STATUS_SUCCESS, "GetDeviceState: %#lx\n", status);
    ok(state.ExecutionState == D3DKMT_DEVICEEXECUTION_ERROR_OUTOFMEMORY, "state %u\n", state.ExecutionState);
    status = lock_alloc(dev, a, 0, NULL);
    ok(status == STATUS_DEVICE_REMOVED, "lock on a device in error: got %#lx\n", status);
    destroy_device(dev);
}

/* A pinned allocation that cannot fit anywhere in video memory. */
static void test_no_video_memory(void)
{
    D3DKMT_WINE_ESCAPE before = wine_stats(adapter), after;
    D3DKMT_WINE_ALLOCATION_DESC desc;
    D3DKMT_HANDLE alloc;
    NTSTATUS status;

    desc = make_desc(before.LocalBudget + MB, 0, D3DKMT_WINE_ALLOC_FLAG_PINNED | CPU_VISIBLE);
    status = create_alloc(device, &desc, &alloc);
    ok(status == STATUS_GRAPHICS_NO_VIDEO_MEMORY, "pinned, larger than the segment: got %#lx\n", status);
    after = wine_stats(adapter);
    ok(after.Allocations == before.Allocations && after.LocalUsage == before.LocalUsage, "something changed\n");

    /* Pinned allocations fill the segment: the next pinned one cannot be placed. */
    ok(set_budget(2 * MB) == STATUS_SUCCESS, "budget escape failed\n");
    {
        D3DKMT_HANDLE p1, p2, p3;
        desc = make_desc(MB, 0, D3DKMT_WINE_ALLOC_FLAG_PINNED);
        ok(create_alloc(device, &desc, &p1) == STATUS_SUCCESS, "pinned 1 failed\n");
        ok(create_alloc(device, &desc, &p2) == STATUS_SUCCESS, "pinned 2 failed\n");
        status = create_alloc(device, &desc, &p3);
        ok(status == STATUS_GRAPHICS_NO_VIDEO_MEMORY, "pinned 3: got %#lx\n", status);
        /* An evictable one still works: it starts out in system memory. */
        desc = make_desc(MB, 0, CPU_VISIBLE);
        ok(create_alloc(device, &desc, &p3) == STATUS_SUCCESS, "evictable one failed\n");
        ok(residency_of(device, p3) == D3DKMT_ALLOCATIONRESIDENCYSTATUS_NOTRESIDENT, "it is resident\n");
        destroy_alloc(device, p1);
        destroy_alloc(device, p2);
        destroy_alloc(device, p3);
    }
    set_budget(0);
}

/* System memory that cannot be had. */
static void test_no_memory(void)
{
    D3DKMT_WINE_ALLOCATION_DESC desc = make_desc((UINT64)1 << 46, 1, 0);   /* 64 TiB of system memory */
    D3DKMT_HANDLE alloc;
    NTSTATUS status;

    status = create_alloc(device, &desc, &alloc);
    ok(status == STATUS_NO_MEMORY, "64 TiB: got %#lx\n", status);
}

static NTSTATUS offer(D3DKMT_HANDLE alloc, UINT flags)
{
    D3DKMT_OFFERALLOCATIONS desc;

    memset(&desc, 0, sizeof(desc));
    desc.hDevice = device;
    desc.HandleList = &alloc;
    desc.NumAllocations = 1;
    desc.Priority = D3DKMT_OFFER_PRIORITY_LOW;
    desc.Flags.Value = flags;
    return pOfferAllocations(&desc);
}

static NTSTATUS reclaim2(D3DKMT_HANDLE queue, D3DKMT_HANDLE alloc, D3DDDI_RECLAIM_RESULT *result)
{
    D3DKMT_RECLAIMALLOCATIONS2 desc;

    memset(&desc, 0, sizeof(desc));
    desc.hPagingQueue = queue;
    desc.HandleList = &alloc;
    desc.NumAllocations = 1;
    desc.pResults = result;
    return pReclaimAllocations2(&desc);
}

static void test_offer_reclaim(void)
{
    D3DKMT_WINE_ALLOCATION_DESC desc = make_desc(MB, 0, CPU_VISIBLE);
    D3DKMT_CREATEPAGINGQUEUE queue;
    D3DKMT_RECLAIMALLOCATIONS reclaim;
    D3DDDI_RECLAIM_RESULT result;
    D3DKMT_HANDLE a, b, c, d, e;
    BOOL discarded;
    NTSTATUS status;
    UINT64 usage;

    create_paging_queue(device, &queue);
    create_alloc(device, &desc, &a);
    fill(a, MB, 10);

    /* Offered: no lock until reclaimed; without pressure the content stays. */
    ok(offer(a, 0) == STATUS_SUCCESS, "offer failed\n");
    ok(offer(a, 0) == STATUS_INVALID_PARAMETER, "offering twice accepted\n");
    status = lock_alloc(device, a, 0, NULL);
    ok(status == STATUS_INVALID_PARAMETER, "lock of an offered allocation: got %#lx\n", status);
    result = 0xdead;
    ok(reclaim2(queue.hPagingQueue, a, &result) == STATUS_SUCCESS, "reclaim failed\n");
    ok(result == D3DDDI_RECLAIM_RESULT_OK, "result %u\n", result);
    ok(!count_bad(a, MB, 10), "content lost without pressure\n");

    /* OfferImmediately gives the memory back at once. */
    usage = query_usage(adapter, D3DKMT_MEMORY_SEGMENT_GROUP_LOCAL, NULL);
    ok(offer(a, 1) == STATUS_SUCCESS, "offer failed\n");
    ok(query_usage(adapter, D3DKMT_MEMORY_SEGMENT_GROUP_LOCAL, NULL) == usage - MB, "usage did not drop\n");
    memset(&reclaim, 0, sizeof(reclaim));
    reclaim.hDevice = device;
    reclaim.HandleList = &a;
    reclaim.NumAllocations = 1;
    reclaim.pDiscarded = &discarded;
    discarded = FALSE;
    ok(pReclaimAllocations(&reclaim) == STATUS_SUCCESS, "reclaim failed\n");
    ok(discarded == TRUE, "not reported as discarded\n");
    ok(lock_alloc(device, a, 0, NULL) == STATUS_SUCCESS, "lock after reclaim failed\n");
    unlock_alloc(device, a);

    /* AllowDecommit: the storage went too. */
    ok(offer(a, 3) == STATUS_SUCCESS, "offer failed\n");
    ok(reclaim2(queue.hPagingQueue, a, &result) == STATUS_SUCCESS, "reclaim failed\n");
    ok(result == D3DDDI_RECLAIM_RESULT_NOT_COMMITTED, "result %u\n", result);

    /* Under pressure, offered allocations go first, and are discarded, not copied. */
    ok(set_budget(2 * MB) == STATUS_SUCCESS, "budget escape failed\n");
    create_alloc(device, &desc, &b);
    fill(b, MB, 11);
    create_alloc(device, &desc, &c);
    fill(c, MB, 12);
    ok(offer(c, 0) == STATUS_SUCCESS, "offer c failed\n");
    create_alloc(device, &desc, &d);   /* evicts c, although b is older */
    ok(residency_of(device, b) == D3DKMT_ALLOCATIONRESIDENCYSTATUS_RESIDENTINGPUMEMORY, "b was evicted\n");
    ok(reclaim2(queue.hPagingQueue, c, &result) == STATUS_SUCCESS, "reclaim c failed\n");
    ok(result == D3DDDI_RECLAIM_RESULT_DISCARDED, "result %u\n", result);
    ok(!count_bad(b, MB, 11), "b lost data\n");

    /* Bad input. */
    {
        D3DKMT_OFFERALLOCATIONS o;
        memset(&o, 0, sizeof(o));
        o.hDevice = device;
        o.NumAllocations = 1;
        o.Priority = D3DKMT_OFFER_PRIORITY_LOW;
        ok(pOfferAllocations(&o) == STATUS_INVALID_PARAMETER, "no list accepted\n");
        o.HandleList = &b;
        o.pResources = &b;
        ok(pOfferAllocations(&o) == STATUS_INVALID_PARAMETER, "two lists accepted\n");
        o.pResources = NULL;
        o.Priority = 0;
        ok(pOfferAllocations(&o) == STATUS_INVALID_PARAMETER, "priority 0 accepted\n");
        o.Priority = 5;
        ok(pOfferAllocations(&o) == STATUS_INVALID_PARAMETER, "priority 5 accepted\n");
        o.Priority = D3DKMT_OFFER_PRIORITY_AUTO;
        o.Flags.Value = 4;
        ok(pOfferAllocations(&o) == STATUS_INVALID_PARAMETER, "reserved flag accepted\n");
        lock_alloc(device, b, 0, NULL);
        o.Flags.Value = 0;
        ok(pOfferAllocations(&o) == STATUS_INVALID_PARAMETER, "offer of a locked allocation accepted\n");
        unlock_alloc(device, b);
    }

    create_alloc(device, &desc, &e);
    destroy_alloc(device, a);
    destroy_alloc(device, b);
    destroy_alloc(device, c);
    destroy_alloc(device, d);
    destroy_alloc(device, e);
    destroy_paging_queue(queue.hPagingQueue);
    set_budget(0);
}

static void test_device_state(void)
{
    D3DKMT_WINE_ALLOCATION_DESC desc = make_desc(MB, 0, CPU_VISIBLE);
    D3DKMT_WINE_ESCAPE before, after;
    D3DKMT_MARKDEVICEASERROR mark;
    D3DKMT_GETDEVICESTATE state;
    D3DKMT_HANDLE dev, alloc, other;
    NTSTATUS status;

    before = wine_stats(adapter);
    create_device(adapter, &dev);
    create_alloc(dev, &desc, &alloc);

    memset(&state, 0, sizeof(state));
    state.hDevice = dev;
    ok(pGetDeviceState(&state) == STATUS_INVALID_PARAMETER, "state type 0 accepted\n");
    state.StateType = 7;
    ok(pGetDeviceState(&state) == STATUS_INVALID_PARAMETER, "state type 7 accepted\n");
    state.StateType = D3DKMT_DEVICESTATE_RESET;
    ok(pGetDeviceState(&state) == STATUS_SUCCESS && !state.ResetState.DesktopSwitched, "reset state\n");
    state.StateType = D3DKMT_DEVICESTATE_EXECUTION;
    ok(pGetDeviceState(&state) == STATUS_SUCCESS, "GetDeviceState failed\n");
    ok(state.ExecutionState == D3DKMT_DEVICEEXECUTION_ACTIVE, "state %u\n", state.ExecutionState);

    memset(&mark, 0, sizeof(mark));
    mark.hDevice = dev;
    mark.Reason = 5;
    ok(pMarkDeviceAsError(&mark) == STATUS_INVALID_PARAMETER, "unknown reason accepted\n");
    mark.Reason = D3DKMT_DEVICE_ERROR_REASON_GENERIC;
    status = pMarkDeviceAsError(&mark);
    ok(status == STATUS_SUCCESS, "MarkDeviceAsError: %#lx\n", status);
    ok(pGetDeviceState(&state) == STATUS_SUCCESS, "GetDeviceState failed\n");
    ok(state.ExecutionState != D3DKMT_DEVICEEXECUTION_ACTIVE, "still active\n");

    /* From now on the device's calls fail... */
    ok(lock_alloc(dev, alloc, 0, NULL) == STATUS_DEVICE_REMOVED, "lock worked\n");
    ok(create_alloc(dev, &desc, &other) == STATUS_DEVICE_REMOVED, "create worked\n");
    /* ...but it can still be cleaned up, and other devices are fine. */
    ok(lock_alloc(device, alloc, 0, NULL) == STATUS_INVALID_PARAMETER, "foreign lock\n");
    destroy_device(dev);
    after = wine_stats(adapter);
    ok(after.Allocations == before.Allocations && after.Devices == before.Devices
       && after.LocalUsage == before.LocalUsage, "the destroyed device left objects behind\n");
}

/* Last: the adapter stops (simulated PnP stop). */
static void test_adapter_removed(void)
{
    D3DKMT_WINE_ALLOCATION_DESC desc = make_desc(MB, 0, CPU_VISIBLE);
    D3DKMT_QUERYADAPTERINFO query;
    D3DKMT_GETDEVICESTATE state;
    D3DKMT_DRIVERVERSION version;
    D3DKMT_HANDLE alloc, other;
    NTSTATUS status;

    create_alloc(device, &desc, &alloc);
    ok(wine_escape(adapter, D3DKMT_WINE_ESCAPE_REMOVE_ADAPTER, 0, NULL) == STATUS_SUCCESS, "removal escape failed\n");
    ok(lock_alloc(device, alloc, 0, NULL) == STATUS_DEVICE_REMOVED, "lock worked\n");
    ok(create_alloc(device, &desc, &other) == STATUS_DEVICE_REMOVED, "create worked\n");
    ok(create_device(adapter, &other) == STATUS_DEVICE_REMOVED, "device creation worked\n");
    memset(&state, 0, sizeof(state));
    state.hDevice = device;
    state.StateType = D3DKMT_DEVICESTATE_EXECUTION;
    status = pGetDeviceState(&state);
    ok(status == STATUS_DEVICE_REMOVED, "GetDeviceState: got %#lx\n", status);
    memset(&query, 0, sizeof(query));
    query.hAdapter = adapter;
    query.Type = KMTQAITYPE_DRIVERVERSION;
    query.pPrivateDriverData = &version;
    query.PrivateDriverDataSize = sizeof(version);
    ok(pQueryAdapterInfo(&query) == STATUS_DEVICE_REMOVED, "QueryAdapterInfo worked\n");
    /* Cleaning up still works. */
    ok(destroy_alloc(device, alloc) == STATUS_SUCCESS, "destroy failed\n");
}

START_TEST(vidmm)
{
    if (!load_d3dkmt()) return;
    if (open_display1(&adapter, NULL) || create_device(adapter, &device))
    {
        skip("no adapter or device\n");
        return;
    }
    if (wine_escape(adapter, D3DKMT_WINE_ESCAPE_QUERY_STATS, 0, NULL))
    {
        skip("not this module's driver: no test escape\n");
        return;
    }
    test_eviction_keeps_data();
    test_priorities();
    test_make_resident_and_evict();
    test_must_succeed();
    test_no_video_memory();
    test_no_memory();
    test_offer_reclaim();
    test_device_state();
    test_adapter_removed();
    destroy_device(device);
    close_adapter(adapter);
}
