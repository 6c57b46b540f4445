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
 * A million live allocations: 4 KiB each, local and non-local mixed, the
 * local budget (test escape) far below their total.  A sample is written,
 * made resident (restored by the pager) and evicted again, and read back;
 * everything is destroyed and usage and counts return to where they were.
 * The process's region count stays flat: small allocations share memory.
 * Large allocations move between the pool and system memory, content kept.
 */
#include "d3dkmt_test.h"

/* A 32-bit process gives the module at most 1 GiB of its address space
 * (README): there, 100,000 allocations (400 MiB of backing) show the same. */
#ifdef _WIN64
#define COUNT 1000000u
#else
#define COUNT 100000u
#endif
#define SIZE 4096u
#define SAMPLE_EVERY 997u      /* ~1000 samples, both groups */
#define BATCH 64u              /* samples made resident at once (fits the budget) */
#define BUDGET (1024u * 1024u) /* local budget: 256 of the 500,000 local ones */

static D3DKMT_HANDLE adapter, device;

/* Regions of the address space in use, by VirtualQuery: every Wine
 * reservation is one at least, and one Linux mapping at least.  (Z:\proc\self
 * is the wineserver's: it opens the files.) */
static long count_regions(void)
{
    MEMORY_BASIC_INFORMATION info;
    char *addr = NULL;
    long regions = 0;

    while (VirtualQuery(addr, &info, sizeof(info)))
    {
        if (info.State != MEM_FREE) regions++;
        if ((char *)info.BaseAddress + info.RegionSize <= addr) break;
        addr = (char *)info.BaseAddress + info.RegionSize;
    }
    return regions;
}

static void write_pattern(UINT *p, UINT seed)
{
    UINT i;
    for (i = 0; i < SIZE / 4; i += 64) p[i] = seed * 2654435761u + i;
}

static BOOL check_pattern(const UINT *p, UINT seed)
{
    UINT i;
    for (i = 0; i < SIZE / 4; i += 64) if (p[i] != seed * 2654435761u + i) return FALSE;
    return TRUE;
}

/* Locks, writes or checks, unlocks. */
static BOOL touch(D3DKMT_HANDLE alloc, UINT seed, BOOL write)
{
    NTSTATUS status;
    BOOL good = TRUE;
    void *p;

    if ((status = lock_alloc(device, alloc, 0, &p))) return FALSE;
    if (write) write_pattern(p, seed);
    else good = check_pattern(p, seed);
    return !unlock_alloc(device, alloc) && good;
}

static NTSTATUS make_resident(D3DKMT_HANDLE queue, D3DKMT_HANDLE *list, UINT count)
{
    D3DDDI_MAKERESIDENT desc;

    memset(&desc, 0, sizeof(desc));
    desc.hPagingQueue = queue;
    desc.AllocationList = list;
    desc.NumAllocations = count;
    return pMakeResident(&desc);
}

static NTSTATUS evict(D3DKMT_HANDLE *list, UINT count)
{
    D3DKMT_EVICT desc;

    memset(&desc, 0, sizeof(desc));
    desc.hDevice = device;
    desc.AllocationList = list;
    desc.NumAllocations = count;
    return pEvict(&desc);
}

/* Local samples, BATCH at a time: restored by MakeResident, checked in video
 * memory, evicted, checked again in system memory. */
static UINT page_samples(D3DKMT_HANDLE *handles, D3DKMT_HANDLE queue)
{
    D3DKMT_HANDLE list[BATCH];
    UINT index[BATCH], i, n = 0, j, bad = 0;
    NTSTATUS status;

    for (i = 0; i < COUNT; i += SAMPLE_EVERY)
    {
        if (!(i & 1)) { index[n] = i; list[n++] = handles[i]; }   /* even: local */
        if (n < BATCH && i + SAMPLE_EVERY < COUNT) continue;
        status = make_resident(queue, list, n);
        ok(!status || status == STATUS_PENDING, "MakeResident: %#lx\n", status);
        wine_escape(adapter, D3DKMT_WINE_ESCAPE_WAIT_IDLE, 0, NULL);
        for (j = 0; j < n; j++) if (!touch(list[j], index[j], FALSE)) bad++;
        status = evict(list, n);
        ok(!status, "Evict: %#lx\n", status);
        wine_escape(adapter, D3DKMT_WINE_ESCAPE_WAIT_IDLE, 0, NULL);
        for (j = 0; j < n; j++) if (!touch(list[j], index[j], FALSE)) bad++;
        n = 0;
    }
    return bad;
}

static void test_million(void)
{
    D3DKMT_WINE_ESCAPE before = wine_stats(adapter), now;
    D3DKMT_HANDLE *handles = HeapAlloc(GetProcessHeap(), 0, COUNT * sizeof(*handles));
    long maps_before = count_regions(), maps_peak;
    D3DKMT_CREATEPAGINGQUEUE queue;
    D3DKMT_WINE_ALLOCATION_DESC desc;
    DWORD start = GetTickCount(), created;
    UINT i, bad = 0, failed = 0;
    NTSTATUS status = 0;

    ok(handles != NULL, "no memory for the handle list\n");
    if (!handles) return;
    ok(!wine_escape(adapter, D3DKMT_WINE_ESCAPE_SET_LOCAL_BUDGET, BUDGET, NULL), "budget\n");
    for (i = 0; i < COUNT; i++)
    {
        desc = make_desc(SIZE, i & 1 ? D3DKMT_WINE_SEGMENT_GROUP_NON_LOCAL : D3DKMT_WINE_SEGMENT_GROUP_LOCAL,
                         D3DKMT_WINE_ALLOC_FLAG_CPU_VISIBLE);
        if ((status = create_alloc(device, &desc, &handles[i]))) break;
    }
    ok(i == COUNT, "allocation %u failed: %#lx\n", i, status);
    created = GetTickCount();
    now = wine_stats(adapter);
    maps_peak = count_regions();
    ok(now.Allocations == before.Allocations + i, "%u allocations\n", now.Allocations);
    ok(now.LocalUsage <= BUDGET, "local usage %#I64x over the budget\n", now.LocalUsage);
    ok(now.NonLocalUsage == before.NonLocalUsage + (UINT64)(i / 2) * SIZE, "non-local usage %#I64x\n",
       now.NonLocalUsage);
    /* Small allocations share the heap's arenas: a few hundred mappings, not one each. */
    ok(maps_peak < maps_before + 2000, "%ld regions, %ld before\n", maps_peak, maps_before);
    trace("%u allocations in %lu ms; %ld regions (%ld before); local %I64u KiB, backing %I64u MiB\n", i,
          created - start, maps_peak, maps_before, now.LocalUsage / 1024, now.BackingBytes >> 20);

    if (i == COUNT)
    {
        memset(&queue, 0, sizeof(queue));
        queue.hDevice = device;
        queue.Priority = D3DDDI_PAGINGQUEUE_PRIORITY_NORMAL;
        status = pCreatePagingQueue(&queue);
        ok(!status, "CreatePagingQueue: %#lx\n", status);
        for (i = 0; i < COUNT; i += SAMPLE_EVERY) if (!touch(handles[i], i, TRUE)) bad++;
        ok(!bad, "%u samples could not be written\n", bad);
        if (!status) bad = page_samples(handles, queue.hPagingQueue);
        ok(!bad, "%u samples lost their content in eviction or restore\n", bad);
        for (i = 0, bad = 0; i < COUNT; i += SAMPLE_EVERY) if (!touch(handles[i], i, FALSE)) bad++;
        ok(!bad, "%u samples lost their content\n", bad);
        if (!status)
        {
            D3DDDI_DESTROYPAGINGQUEUE destroy = { queue.hPagingQueue };
            pDestroyPagingQueue(&destroy);
        }
        i = COUNT;
    }
    while (i--) if (destroy_alloc(device, handles[i])) failed++;
    ok(!failed, "%u destroys failed\n", failed);
    wine_escape(adapter, D3DKMT_WINE_ESCAPE_SET_LOCAL_BUDGET, 0, NULL);
    now = wine_stats(adapter);
    ok(now.Allocations == before.Allocations, "%u allocations, %u before\n", now.Allocations, before.Allocations);
    ok(now.LocalUsage == before.LocalUsage, "local usage %#I64x, %#I64x before\n", now.LocalUsage, before.LocalUsage);
    ok(now.NonLocalUsage == before.NonLocalUsage, "non-local usage %#I64x, %#I64x before\n", now.NonLocalUsage,
       before.NonLocalUsage);
    ok(now.BackingBytes == before.BackingBytes, "backing %#I64x, %#I64x before\n", now.BackingBytes,
       before.BackingBytes);
    trace("all done in %lu ms; %ld regions after destroying all\n", GetTickCount() - start, count_regions());
    HeapFree(GetProcessHeap(), 0, handles);
}

/* Large allocations move between the pool and their own backing regions
 * (pages moved, not copied, where Linux lets us): content survives, and the
 * pointer Lock returns is committed read/write memory to VirtualQuery. */
static void test_large_moves(void)
{
    static const UINT64 size = 32ull << 20;
    D3DKMT_WINE_ESCAPE before = wine_stats(adapter), now;
    D3DKMT_CREATEPAGINGQUEUE queue;
    D3DKMT_WINE_ALLOCATION_DESC desc = make_desc(size, D3DKMT_WINE_SEGMENT_GROUP_LOCAL,
                                                 D3DKMT_WINE_ALLOC_FLAG_CPU_VISIBLE);
    MEMORY_BASIC_INFORMATION info;
    D3DKMT_HANDLE h[4];
    UINT i, round, bad = 0;
    NTSTATUS status;
    UINT *p;

    ok(!wine_escape(adapter, D3DKMT_WINE_ESCAPE_SET_LOCAL_BUDGET, 2 * size, NULL), "budget\n");
    memset(&queue, 0, sizeof(queue));
    queue.hDevice = device;
    queue.Priority = D3DDDI_PAGINGQUEUE_PRIORITY_NORMAL;
    status = pCreatePagingQueue(&queue);
    ok(!status, "CreatePagingQueue: %#lx\n", status);
    if (status) return;
    for (i = 0; i < 4; i++)
    {
        status = create_alloc(device, &desc, &h[i]);
        ok(!status, "create %u: %#lx\n", i, status);
        if (status) return;
        if (lock_alloc(device, h[i], 0, (void **)&p)) { bad++; continue; }
        ok(VirtualQuery(p, &info, sizeof(info)) && info.State == MEM_COMMIT && info.Protect == PAGE_READWRITE,
           "%u: state %#lx protect %#lx\n", i, info.State, info.Protect);
        write_pattern(p, i + 1);
        write_pattern(p + (size - SIZE) / 4, i + 11);
        unlock_alloc(device, h[i]);
    }
    /* Each pair in turn: restored into the pool, the other pair out to system memory. */
    for (round = 0; round < 4; round++)
    {
        status = make_resident(queue.hPagingQueue, &h[(round & 1) * 2], 2);
        ok(!status || status == STATUS_PENDING, "MakeResident: %#lx\n", status);
        wine_escape(adapter, D3DKMT_WINE_ESCAPE_WAIT_IDLE, 0, NULL);
        evict(&h[(round & 1) * 2], 2);
        wine_escape(adapter, D3DKMT_WINE_ESCAPE_WAIT_IDLE, 0, NULL);
        for (i = 0; i < 4; i++)
        {
            if (lock_alloc(device, h[i], 0, (void **)&p)) { bad++; continue; }
            if (!check_pattern(p, i + 1) || !check_pattern(p + (size - SIZE) / 4, i + 11)) bad++;
            if (!VirtualQuery(p, &info, sizeof(info)) || info.State != MEM_COMMIT || info.Protect != PAGE_READWRITE
                || info.RegionSize < SIZE)
                bad++;
            unlock_alloc(device, h[i]);
        }
    }
    ok(!bad, "%u checks of large allocations failed\n", bad);
    for (i = 0; i < 4; i++) destroy_alloc(device, h[i]);
    {
        D3DDDI_DESTROYPAGINGQUEUE destroy = { queue.hPagingQueue };
        pDestroyPagingQueue(&destroy);
    }
    wine_escape(adapter, D3DKMT_WINE_ESCAPE_SET_LOCAL_BUDGET, 0, NULL);
    now = wine_stats(adapter);
    ok(now.Allocations == before.Allocations && now.BackingBytes == before.BackingBytes
       && now.LocalUsage == before.LocalUsage, "%u allocations, backing %#I64x, local %#I64x left\n",
       now.Allocations, now.BackingBytes, now.LocalUsage);
}

START_TEST(million)
{
    D3DKMT_WINE_ESCAPE stats;

    if (!load_d3dkmt()) return;
    if (open_display1(&adapter, NULL) || create_device(adapter, &device))
    {
        skip("no adapter\n");
        return;
    }
    /* The budget and the statistics need our module's test-control escape. */
    if (wine_escape(adapter, D3DKMT_WINE_ESCAPE_QUERY_STATS, 0, &stats))
        skip("not this module; the million allocations are not run\n");
    else
    {
        test_large_moves();
        test_million();
    }
    destroy_device(device);
    close_adapter(adapter);
}
