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
 * Content-integrity stress under Wine: several threads create, lock, write a
 * pattern, unlock, make resident, evict, re-check and destroy thousands of
 * allocations in a local segment far smaller than their total.  Every read
 * back must match, and usage must return to where it started.
 */
#include "d3dkmt_test.h"

#define THREADS      4
#define ITERATIONS   800
#define LIVE         24        /* allocations each thread keeps */
#define BUDGET       (8 << 20)

static D3DKMT_HANDLE adapter, device;
static LONG mismatches, failures;

struct slot
{
    D3DKMT_HANDLE handle;
    UINT size, seed;
};

static UINT next_random(UINT *state)
{
    *state = *state * 1103515245 + 12345;
    return *state >> 8;
}

static void write_pattern(UINT *p, UINT size, UINT seed)
{
    UINT i;
    for (i = 0; i < size / 4; i++) p[i] = seed ^ (i * 0x9e3779b1u);
}

static UINT check_pattern(const UINT *p, UINT size, UINT seed)
{
    UINT i, bad = 0;
    for (i = 0; i < size / 4; i++) bad += p[i] != (seed ^ (i * 0x9e3779b1u));
    return bad;
}

static BOOL verify(struct slot *slot)
{
    void *p;
    NTSTATUS status = lock_alloc(device, slot->handle, 1 /* ReadOnly */, &p);
    UINT bad;

    if (status)
    {
        InterlockedIncrement(&failures);
        return FALSE;
    }
    bad = check_pattern(p, slot->size, slot->seed);
    unlock_alloc(device, slot->handle);
    if (bad) InterlockedExchangeAdd(&mismatches, bad);
    return !bad;
}

static DWORD WINAPI worker(void *arg)
{
    UINT state = (UINT)(ULONG_PTR)arg * 7919 + 1, i, k;
    struct slot slots[LIVE];
    D3DKMT_CREATEPAGINGQUEUE queue;
    D3DDDI_MAKERESIDENT resident;
    D3DKMT_EVICT evict;
    NTSTATUS status;
    void *p;

    memset(slots, 0, sizeof(slots));
    memset(&queue, 0, sizeof(queue));
    queue.hDevice = device;
    if (pCreatePagingQueue(&queue)) InterlockedIncrement(&failures);
    for (i = 0; i < ITERATIONS; i++)
    {
        struct slot *slot = &slots[next_random(&state) % LIVE];

        if (slot->handle)
        {
            /* Check it, sometimes via residency changes first, then replace it. */
            switch (next_random(&state) % 3)
            {
            case 0:
                memset(&resident, 0, sizeof(resident));
                resident.hPagingQueue = queue.hPagingQueue;
                resident.AllocationList = &slot->handle;
                resident.NumAllocations = 1;
                status = pMakeResident(&resident);
                if (status == STATUS_SUCCESS || status == STATUS_PENDING)
                {
                    verify(slot);
                    memset(&evict, 0, sizeof(evict));
                    evict.hDevice = device;
                    evict.AllocationList = &slot->handle;
                    evict.NumAllocations = 1;
                    if (pEvict(&evict)) InterlockedIncrement(&failures);
                }
                else if (status != STATUS_NO_MEMORY) InterlockedIncrement(&failures);
                break;
            default:
                verify(slot);
                break;
            }
            if (destroy_alloc(device, slot->handle)) InterlockedIncrement(&failures);
            slot->handle = 0;
        }
        {
            D3DKMT_WINE_ALLOCATION_DESC desc;

            slot->size = (1 + next_random(&state) % 16) * 32768;
            slot->seed = next_random(&state);
            desc = make_desc(slot->size, 0, D3DKMT_WINE_ALLOC_FLAG_CPU_VISIBLE);
            if (create_alloc(device, &desc, &slot->handle))
            {
                InterlockedIncrement(&failures);
                slot->handle = 0;
                continue;
            }
            if (lock_alloc(device, slot->handle, 2 /* WriteOnly */, &p))
            {
                InterlockedIncrement(&failures);
                continue;
            }
            write_pattern(p, slot->size, slot->seed);
            unlock_alloc(device, slot->handle);
        }
    }
    for (k = 0; k < LIVE; k++)
        if (slots[k].handle)
        {
            verify(&slots[k]);
            if (destroy_alloc(device, slots[k].handle)) InterlockedIncrement(&failures);
        }
    if (queue.hPagingQueue)
    {
        D3DDDI_DESTROYPAGINGQUEUE destroy = { queue.hPagingQueue };
        pDestroyPagingQueue(&destroy);
    }
    return 0;
}

START_TEST(stress)
{
    D3DKMT_WINE_ESCAPE before, during, after;
    HANDLE threads[THREADS];
    UINT i;

    if (!load_d3dkmt()) return;
    if (open_display1(&adapter, NULL) || create_device(adapter, &device))
    {
        skip("no adapter or device\n");
        return;
    }
    if (wine_escape(adapter, D3DKMT_WINE_ESCAPE_SET_LOCAL_BUDGET, BUDGET, &before))
    {
        skip("not this module's driver: no budget control\n");
        return;
    }
    for (i = 0; i < THREADS; i++) threads[i] = CreateThread(NULL, 0, worker, (void *)(ULONG_PTR)i, 0, NULL);
    WaitForMultipleObjects(THREADS, threads, TRUE, INFINITE);
    for (i = 0; i < THREADS; i++) CloseHandle(threads[i]);

    during = wine_stats(adapter);
    ok(!mismatches, "%ld words read back wrong\n", mismatches);
    ok(!failures, "%ld calls failed\n", failures);
    ok(during.LocalUsage == before.LocalUsage, "local usage %I64u, was %I64u\n", during.LocalUsage, before.LocalUsage);
    ok(during.BackingBytes == before.BackingBytes, "backing stores %I64u, was %I64u\n", during.BackingBytes,
       before.BackingBytes);
    ok(during.Allocations == before.Allocations, "%u allocations left, was %u\n", during.Allocations, before.Allocations);
    trace("%u threads x %u allocations of 32 KiB-512 KiB in a %u MiB budget; paging fence %I64u\n", THREADS,
          ITERATIONS, BUDGET >> 20, during.FenceCompleted);
    wine_escape(adapter, D3DKMT_WINE_ESCAPE_SET_LOCAL_BUDGET, 0, &after);
    destroy_device(device);
    close_adapter(adapter);
}
