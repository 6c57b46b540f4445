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
 * Exhaustion: allocate until failure, in every kind of memory, and check
 * that the failure is the documented status, that the process is still
 * whole (VirtualAlloc, HeapAlloc, CreateThread), that what was created is
 * still usable, and that destroying everything brings usage, counts and
 * mappings back to where they were.
 *
 * Copyright 2026 the wine-d3dkmt authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */
#include "d3dkmt_test.h"

#include <psapi.h>

#define MB (1024ull * 1024ull)

static D3DKMT_HANDLE adapter, device;

/* A growable list of the allocations one run created. */
struct handles
{
    D3DKMT_HANDLE *h;
    UINT count, capacity;
};

static BOOL handles_add(struct handles *list, D3DKMT_HANDLE h)
{
    D3DKMT_HANDLE *grown;

    if (list->count == list->capacity)
    {
        UINT capacity = list->capacity ? list->capacity * 2 : 1024;
        if (!(grown = HeapReAlloc(GetProcessHeap(), 0, list->h, capacity * sizeof(*grown)))
            && !(grown = list->capacity ? NULL : HeapAlloc(GetProcessHeap(), 0, capacity * sizeof(*grown))))
            return FALSE;
        list->h = grown;
        list->capacity = capacity;
    }
    list->h[list->count++] = h;
    return TRUE;
}

static void handles_destroy(struct handles *list)
{
    NTSTATUS status;
    UINT i, bad = 0;

    for (i = 0; i < list->count; i++)
        if ((status = destroy_alloc(device, list->h[i])) && !bad++)
            ok(0, "destroy %u of %u: %#lx\n", i, list->count, status);
    HeapFree(GetProcessHeap(), 0, list->h);
    memset(list, 0, sizeof(*list));
}

/* Regions of the address space in use, by VirtualQuery: each Wine mapping
 * of ours is at least one.  (Z:\proc\self\maps cannot tell: wineserver opens
 * files, so "self" is wineserver.) */
static long count_regions(void)
{
    MEMORY_BASIC_INFORMATION info;
    char *addr = NULL;
    long regions = 0;

    while (VirtualQuery(addr, &info, sizeof(info)))
    {
        if (info.State != MEM_FREE) regions++;
        addr = (char *)info.BaseAddress + info.RegionSize;
    }
    return regions;
}

/* Resident memory of this process in KiB (its working set), -1 when unknown. */
static long resident_kb(void)
{
    PROCESS_MEMORY_COUNTERS counters = { sizeof(counters) };

    if (!K32GetProcessMemoryInfo(GetCurrentProcess(), &counters, sizeof(counters))) return -1;
    return (long)(counters.WorkingSetSize / 1024);
}

/* The resident checks mean something only if resident_kb sees memory being
 * touched: 64 MiB written must show. */
static void test_resident_kb_sees_growth(void)
{
    SIZE_T size = 64 << 20;
    long before = resident_kb(), after;
    char *mem = VirtualAlloc(NULL, size, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);

    ok(before > 0, "resident_kb %ld\n", before);
    ok(mem != NULL, "VirtualAlloc failed\n");
    if (!mem) return;
    memset(mem, 0x5a, size);
    after = resident_kb();
    ok(after >= before + 48 * 1024, "resident %ld KiB after writing 64 MiB, %ld before\n", after, before);
    VirtualFree(mem, 0, MEM_RELEASE);
}

static DWORD WINAPI thread_proc(void *arg)
{
    return 0x1234;
}

/* What a program does next must still work: memory, heap, threads. */
static void check_process_usable(void)
{
    HANDLE thread;
    DWORD code = 0;
    BYTE *mem;
    void *heap;

    mem = VirtualAlloc(NULL, 16 * MB, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    ok(mem != NULL, "VirtualAlloc failed: %lu\n", GetLastError());
    if (mem)
    {
        memset(mem, 0x5a, 16 * MB);
        VirtualFree(mem, 0, MEM_RELEASE);
    }
    heap = HeapAlloc(GetProcessHeap(), 0, MB);
    ok(heap != NULL, "HeapAlloc failed\n");
    HeapFree(GetProcessHeap(), 0, heap);
    thread = CreateThread(NULL, 0, thread_proc, NULL, 0, NULL);
    ok(thread != NULL, "CreateThread failed: %lu\n", GetLastError());
    if (thread)
    {
        WaitForSingleObject(thread, INFINITE);
        GetExitCodeThread(thread, &code);
        ok(code == 0x1234, "thread exit code %#lx\n", code);
        CloseHandle(thread);
    }
}

static void check_back_to(const D3DKMT_WINE_ESCAPE *before, long maps_before)
{
    D3DKMT_WINE_ESCAPE now = wine_stats(adapter);
    long maps = count_regions();

    ok(now.Allocations == before->Allocations, "%u allocations, %u before\n", now.Allocations, before->Allocations);
    ok(now.LocalUsage == before->LocalUsage, "local usage %#I64x, %#I64x before\n", now.LocalUsage, before->LocalUsage);
    ok(now.NonLocalUsage == before->NonLocalUsage, "non-local usage %#I64x, %#I64x before\n",
       now.NonLocalUsage, before->NonLocalUsage);
    ok(now.BackingBytes == before->BackingBytes, "backing %#I64x, %#I64x before\n", now.BackingBytes, before->BackingBytes);
    /* Wine's own bookkeeping may keep a few mappings; ours must all be gone. */
    if (maps_before > 0) ok(maps < maps_before + 256, "%ld mappings, %ld before\n", maps, maps_before);
}

static void write_pattern(UINT *p, UINT64 size, UINT seed)
{
    UINT64 i;
    for (i = 0; i < size / 4; i += 1024) p[i] = seed + (UINT)i;   /* one word a page is enough */
}

static BOOL check_pattern(const UINT *p, UINT64 size, UINT seed)
{
    UINT64 i;
    for (i = 0; i < size / 4; i += 1024) if (p[i] != seed + (UINT)i) return FALSE;
    return TRUE;
}

/* Lock, write (or check) the sample pattern, unlock. */
static BOOL touch(D3DKMT_HANDLE alloc, UINT64 size, UINT seed, BOOL write)
{
    NTSTATUS status;
    BOOL good = TRUE;
    void *p;

    if ((status = lock_alloc(device, alloc, 0, &p)))
    {
        ok(0, "lock %#x: %#lx\n", alloc, status);
        return FALSE;
    }
    if (write) write_pattern(p, size, seed);
    else good = check_pattern(p, size, seed);
    unlock_alloc(device, alloc);
    return good;
}

struct run
{
    const char *name;
    UINT64 size;
    UINT group;
    UINT64 user_size;          /* wrap caller memory of this size, 0 for our own */
    NTSTATUS expect;           /* STATUS_SUCCESS: nothing fails up to max_count */
    UINT64 budget;             /* local budget for the run, 0 for the whole segment */
    UINT max_count;            /* stop here, 0 for no limit */
};

static NTSTATUS create_one(const struct run *run, void *user, D3DKMT_HANDLE *alloc)
{
    D3DKMT_WINE_ALLOCATION_DESC desc = make_desc(run->size, run->group, D3DKMT_WINE_ALLOC_FLAG_CPU_VISIBLE);
    return create_alloc_in(device, &desc, user, alloc);
}

static void exhaust(const struct run *run)
{
    D3DKMT_WINE_ESCAPE before = wine_stats(adapter);
    long maps_before = count_regions(), rss_before = resident_kb(), rss;
    struct handles list = {0};
    UINT sample_every, i, bad = 0;
    D3DKMT_HANDLE alloc;
    NTSTATUS status;
    void *user = NULL;
    DWORD start = GetTickCount();

    set_context("%s", run->name);
    if (run->user_size && !(user = VirtualAlloc(NULL, run->user_size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE)))
    {
        skip("no %I64u MiB of caller memory\n", run->user_size / MB);
        set_context(NULL);
        return;
    }
    if (run->budget) ok(!wine_escape(adapter, D3DKMT_WINE_ESCAPE_SET_LOCAL_BUDGET, run->budget, NULL), "budget\n");
    while ((!run->max_count || list.count < run->max_count) && !(status = create_one(run, user, &alloc)))
        if (!handles_add(&list, alloc))
        {
            destroy_alloc(device, alloc);
            status = STATUS_NO_MEMORY;   /* the test's own list ran out, not the module */
            ok(0, "handle list full after %u\n", list.count);
            break;
        }
    ok(status == run->expect, "after %u allocations: %#lx, expected %#lx\n", list.count, status, run->expect);
    ok(list.count > 0, "nothing could be created\n");
    trace("%u allocations of %I64u KiB, then %#lx (%lu ms)\n", list.count, run->size / 1024, status,
          GetTickCount() - start);
    /* Nothing was written yet: evicting it copied nothing and touched no page
     * (the bookkeeping of each allocation costs well under 1 KiB). */
    rss = resident_kb();
    if (rss_before > 0) ok(rss < rss_before + 256 * 1024 + (long)list.count, "resident %ld KiB, %ld before\n",
                           rss, rss_before);
    check_process_usable();

    /* A sample of what was created still holds what is written into it
     * (written after the failure, so eviction and restore move it). */
    sample_every = list.count / 16 + 1;
    if (!user)
    {
        for (i = 0; i < list.count; i += sample_every) touch(list.h[i], run->size, i, TRUE);
        for (i = 0; i < list.count; i += sample_every)
            if (!touch(list.h[i], run->size, i, FALSE)) bad++;
        ok(!bad, "%u samples lost their content\n", bad);
    }
    handles_destroy(&list);
    if (run->budget) wine_escape(adapter, D3DKMT_WINE_ESCAPE_SET_LOCAL_BUDGET, 0, NULL);
    check_back_to(&before, maps_before);
    if (user) VirtualFree(user, 0, MEM_RELEASE);
    set_context(NULL);
}

/* Sizes no segment can hold are refused at once, without leaving memory behind. */
static void test_huge_sizes(void)
{
    static const UINT64 sizes[] = { 1ull << 40, 64ull << 40, 0x7ffffffffffff000ull };
    D3DKMT_WINE_ESCAPE before = wine_stats(adapter);
    long rss_before = resident_kb(), rss;
    struct run run = { "huge", 0, 0, 0, 0, 0, 0 };
    D3DKMT_HANDLE alloc;
    NTSTATUS status;
    DWORD start;
    UINT i, group;

    for (i = 0; i < ARRAY_SIZE(sizes); i++)
        for (group = 0; group < 2; group++)
        {
            run.size = sizes[i];
            run.group = group;
            start = GetTickCount();
            status = create_one(&run, NULL, &alloc);
            ok(status == (group ? STATUS_NO_MEMORY : STATUS_GRAPHICS_NO_VIDEO_MEMORY),
               "size %#I64x group %u: %#lx\n", sizes[i], group, status);
            if (!status) destroy_alloc(device, alloc);
            /* A reservation of this size costs Wine seconds; a refusal costs nothing. */
            ok(GetTickCount() - start < 5000, "size %#I64x took %lu ms\n", sizes[i], GetTickCount() - start);
        }
    rss = resident_kb();
    if (rss_before > 0) ok(rss < rss_before + 16 * 1024, "resident %ld KiB, %ld before\n", rss, rss_before);
    check_back_to(&before, -1);
}

START_TEST(exhaust)
{
    static const struct run runs[] =
    {
        /* Small ones share the heap's arenas: no mapping each, so they run
         * into the commit ceiling only after millions; stop at 300,000
         * (million.exe goes further).  The local run fills the whole segment
         * and goes on over-committed: victim choice is O(1). */
#ifdef _WIN64
        { "local 4 KiB",       4096,      D3DKMT_WINE_SEGMENT_GROUP_LOCAL,     0, STATUS_SUCCESS, 0, 300000 },
#else
        /* A 32-bit process gives the module at most 1 GiB of address space. */
        { "local 4 KiB",       4096,      D3DKMT_WINE_SEGMENT_GROUP_LOCAL,     0, STATUS_GRAPHICS_NO_VIDEO_MEMORY, 0, 0 },
#endif
        { "local 64 MiB",      64 * MB,   D3DKMT_WINE_SEGMENT_GROUP_LOCAL,     0, STATUS_GRAPHICS_NO_VIDEO_MEMORY, 0, 0 },
#ifdef _WIN64
        { "non-local 4 KiB",   4096,      D3DKMT_WINE_SEGMENT_GROUP_NON_LOCAL, 0, STATUS_SUCCESS, 0, 300000 },
#else
        { "non-local 4 KiB",   4096,      D3DKMT_WINE_SEGMENT_GROUP_NON_LOCAL, 0, STATUS_NO_MEMORY, 0, 0 },
#endif
        /* 1 MiB: the heap's arenas, up to the non-local segment's size. */
        { "non-local 1 MiB",   MB,        D3DKMT_WINE_SEGMENT_GROUP_NON_LOCAL, 0, STATUS_NO_MEMORY, 0, 0 },
        { "non-local 256 MiB", 256 * MB,  D3DKMT_WINE_SEGMENT_GROUP_NON_LOCAL, 0, STATUS_NO_MEMORY, 0, 0 },
        { "pSystemMem 1 MiB",  MB,        D3DKMT_WINE_SEGMENT_GROUP_NON_LOCAL, MB, STATUS_NO_MEMORY, 0, 0 },
        { "pSystemMem 256 MiB", 256 * MB, D3DKMT_WINE_SEGMENT_GROUP_NON_LOCAL, 256 * MB, STATUS_NO_MEMORY, 0, 0 },
    };
    D3DKMT_WINE_ESCAPE stats;
    long rss_start;
    UINT i;

    if (!load_d3dkmt()) return;
    if (open_display1(&adapter, NULL) || create_device(adapter, &device))
    {
        skip("no adapter\n");
        return;
    }
    /* Allocating until failure is only safe where the limits are ours. */
    if (wine_escape(adapter, D3DKMT_WINE_ESCAPE_QUERY_STATS, 0, &stats))
    {
        skip("not this module; exhaustion is not run\n");
        destroy_device(device);
        close_adapter(adapter);
        return;
    }
    test_resident_kb_sees_growth();
    rss_start = resident_kb();
    test_huge_sizes();
    for (i = 0; i < ARRAY_SIZE(runs); i++) exhaust(&runs[i]);
    /* Freed memory may stay with the C library's heap, but not gigabytes of it. */
    if (rss_start > 0) ok(resident_kb() < rss_start + 256 * 1024, "resident %ld KiB, %ld at the start\n",
                          resident_kb(), rss_start);
    destroy_device(device);
    close_adapter(adapter);
}
