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
 * Conformance: the WDDM 2 residency flow.  MakeResident of allocations that
 * need paging returns STATUS_PENDING with a PagingFenceValue; the client
 * waits for the paging queue's fence with
 * D3DKMTWaitForSynchronizationObjectFromCpu, with an event or blocking
 * (spec sync-objects.md §5.3); then every allocation is resident and holds
 * what was written.  The budget is lowered (and the pager held, so that the
 * paging is still in flight when we look) with the module's test escape;
 * on Windows those parts are skipped.
 */
#include "d3dkmt_test.h"

#define MB (1024 * 1024)
#define COUNT 4
#define SIZE (2 * MB)

static D3DKMT_HANDLE adapter, device;

static UINT residency_of(D3DKMT_HANDLE alloc)
{
    D3DKMT_ALLOCATIONRESIDENCYSTATUS residency = 0;
    D3DKMT_QUERYALLOCATIONRESIDENCY query;

    memset(&query, 0, sizeof(query));
    query.hDevice = device;
    query.phAllocationList = &alloc;
    query.AllocationCount = 1;
    query.pResidencyStatus = &residency;
    ok(pQueryAllocationResidency(&query) == STATUS_SUCCESS, "QueryAllocationResidency\n");
    return residency;
}

static void fill(D3DKMT_HANDLE alloc, UINT seed)
{
    UINT *p, i;

    if (lock_alloc(device, alloc, 0, (void **)&p)) return;
    for (i = 0; i < SIZE / 4; i++) p[i] = seed * 2654435761u + i;
    unlock_alloc(device, alloc);
}

static BOOL intact(D3DKMT_HANDLE alloc, UINT seed)
{
    UINT *p, i;
    BOOL good = TRUE;

    if (lock_alloc(device, alloc, 0, (void **)&p)) return FALSE;
    for (i = 0; i < SIZE / 4 && good; i++) good = p[i] == seed * 2654435761u + i;
    unlock_alloc(device, alloc);
    return good;
}

static NTSTATUS make_resident(D3DKMT_HANDLE queue, const D3DKMT_HANDLE *list, UINT64 *fence)
{
    D3DDDI_MAKERESIDENT mr;
    NTSTATUS status;

    memset(&mr, 0, sizeof(mr));
    mr.hPagingQueue = queue;
    mr.NumAllocations = COUNT;
    mr.AllocationList = list;
    status = pMakeResident(&mr);
    *fence = mr.PagingFenceValue;
    return status;
}

static NTSTATUS evict(const D3DKMT_HANDLE *list)
{
    D3DKMT_EVICT ev;

    memset(&ev, 0, sizeof(ev));
    ev.hDevice = device;
    ev.NumAllocations = COUNT;
    ev.AllocationList = list;
    return pEvict(&ev);
}

static NTSTATUS wait_fence(D3DKMT_HANDLE fence, UINT64 value, HANDLE event)
{
    D3DKMT_WAITFORSYNCHRONIZATIONOBJECTFROMCPU w;

    memset(&w, 0, sizeof(w));
    w.hDevice = device;
    w.ObjectCount = 1;
    w.ObjectHandleArray = &fence;
    w.FenceValueArray = &value;
    w.hAsyncEvent = event;
    return pWaitForSynchronizationObjectFromCpu(&w);
}

struct blocked
{
    D3DKMT_HANDLE fence;
    UINT64 value;
    NTSTATUS status;
    HANDLE done;
};

static DWORD WINAPI blocked_wait(void *arg)
{
    struct blocked *b = arg;

    b->status = wait_fence(b->fence, b->value, NULL);
    SetEvent(b->done);
    return 0;
}

static void check_all(const D3DKMT_HANDLE *list, UINT seed, const char *what)
{
    UINT i;

    for (i = 0; i < COUNT; i++)
    {
        ok(residency_of(list[i]) == D3DKMT_ALLOCATIONRESIDENCYSTATUS_RESIDENTINGPUMEMORY, "%s: %u not resident\n",
           what, i);
        ok(intact(list[i], seed + i), "%s: content of %u\n", what, i);
    }
}

static void test_residency_flow(void)
{
    D3DKMT_WINE_ALLOCATION_DESC desc = make_desc(SIZE, D3DKMT_WINE_SEGMENT_GROUP_LOCAL, D3DKMT_WINE_ALLOC_FLAG_CPU_VISIBLE);
    D3DKMT_HANDLE first[COUNT], second[COUNT];
    HANDLE event = CreateEventW(NULL, FALSE, FALSE, NULL);
    D3DKMT_CREATEPAGINGQUEUE q;
    D3DDDI_DESTROYPAGINGQUEUE dq;
    volatile UINT64 *fence_va;
    struct blocked b;
    HANDLE thread;
    UINT64 fence;
    NTSTATUS status;
    void *ptr;
    UINT i;

    memset(&q, 0, sizeof(q));
    q.hDevice = device;
    ok(pCreatePagingQueue(&q) == STATUS_SUCCESS, "CreatePagingQueue\n");
    fence_va = q.FenceValueCPUVirtualAddress;
    /* Room for one set of four: the second pushes the first out. */
    ok(!wine_escape(adapter, D3DKMT_WINE_ESCAPE_SET_LOCAL_BUDGET, COUNT * SIZE, NULL), "budget\n");
    for (i = 0; i < COUNT; i++)
    {
        ok(!create_alloc(device, &desc, &first[i]), "create\n");
        fill(first[i], 100 + i);
    }
    for (i = 0; i < COUNT; i++)
    {
        ok(!create_alloc(device, &desc, &second[i]), "create\n");
        fill(second[i], 200 + i);
    }
    ok(!wine_escape(adapter, D3DKMT_WINE_ESCAPE_WAIT_IDLE, 0, NULL), "idle\n");
    for (i = 0; i < COUNT; i++)
        ok(residency_of(first[i]) != D3DKMT_ALLOCATIONRESIDENCYSTATUS_RESIDENTINGPUMEMORY, "first %u resident\n", i);

    /* With an event, the pager held so the paging is still in flight. */
    ok(!wine_escape(adapter, D3DKMT_WINE_ESCAPE_PAUSE_PAGER, 0, NULL), "pause\n");
    status = make_resident(q.hPagingQueue, first, &fence);
    ok(status == STATUS_PENDING, "MakeResident: %#lx\n", status);
    ok(*fence_va < fence, "fence %I64u already at %I64u\n", *fence_va, fence);
    status = lock_alloc(device, first[0], 4 /* DonotWait */, &ptr);
    ok(status == STATUS_GRAPHICS_ALLOCATION_BUSY, "Lock DonotWait while paging: %#lx\n", status);
    ok(wait_fence(q.hSyncObject, fence, event) == STATUS_SUCCESS, "async wait\n");
    ok(WaitForSingleObject(event, 0) == WAIT_TIMEOUT, "event set before the paging\n");
    b.fence = q.hSyncObject;
    b.value = fence;
    b.status = 0xdeadbeef;
    b.done = CreateEventW(NULL, TRUE, FALSE, NULL);
    thread = CreateThread(NULL, 0, blocked_wait, &b, 0, NULL);
    ok(WaitForSingleObject(b.done, 100) == WAIT_TIMEOUT, "blocking wait returned before the paging\n");
    ok(!wine_escape(adapter, D3DKMT_WINE_ESCAPE_RESUME_PAGER, 0, NULL), "resume\n");
    ok(WaitForSingleObject(event, 10000) == WAIT_OBJECT_0, "event not set by the paging\n");
    ok(WaitForSingleObject(b.done, 10000) == WAIT_OBJECT_0 && b.status == STATUS_SUCCESS, "blocking wait: %#lx\n",
       b.status);
    WaitForSingleObject(thread, INFINITE);
    CloseHandle(thread);
    ok(*fence_va >= fence, "fence %I64u < %I64u\n", *fence_va, fence);
    check_all(first, 100, "event");

    /* Blocking, the pager running: swap the sets. */
    ok(evict(first) == STATUS_SUCCESS, "Evict\n");
    status = make_resident(q.hPagingQueue, second, &fence);
    ok(status == STATUS_PENDING || status == STATUS_SUCCESS, "MakeResident: %#lx\n", status);
    ok(wait_fence(q.hSyncObject, fence, NULL) == STATUS_SUCCESS, "blocking wait\n");
    ok(*fence_va >= fence, "fence %I64u < %I64u\n", *fence_va, fence);
    check_all(second, 200, "blocking");
    for (i = 0; i < COUNT; i++) ok(intact(first[i], 100 + i), "evicted %u lost its content\n", i);

    ok(evict(second) == STATUS_SUCCESS, "Evict\n");
    for (i = 0; i < COUNT; i++) destroy_alloc(device, first[i]), destroy_alloc(device, second[i]);
    dq.hPagingQueue = q.hPagingQueue;
    ok(!pDestroyPagingQueue(&dq), "DestroyPagingQueue\n");
    wine_escape(adapter, D3DKMT_WINE_ESCAPE_SET_LOCAL_BUDGET, 0, NULL);
    CloseHandle(b.done);
    CloseHandle(event);
}

START_TEST(residency)
{
    if (!load_d3dkmt()) return;
    if (!pWaitForSynchronizationObjectFromCpu || !pCreatePagingQueue)
    {
        win_skip("no paging queues or CPU waits\n");
        return;
    }
    if (open_display1(&adapter, NULL) || create_device(adapter, &device))
    {
        skip("no adapter or device\n");
        return;
    }
    if (wine_escape(adapter, D3DKMT_WINE_ESCAPE_QUERY_STATS, 0, NULL))
        skip("no test escape: the budget cannot be lowered\n");
    else test_residency_flow();
    destroy_device(device);
    close_adapter(adapter);
}
