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
 * D3DKMTQueryStatistics for our adapters:
 *  - every type answered (ADAPTER, PROCESS, PROCESS_ADAPTER, SEGMENT,
 *    PROCESS_SEGMENT, PROCESS_SEGMENT_GROUP) agrees with what the allocations
 *    are, with QueryVideoMemoryInfo and with QueryAdapterInfo's segment sizes;
 *  - eviction and restore counters follow the pager;
 *  - another process' figures (a 64-bit and a 32-bit child) through its
 *    handle, and the adapter's segments count both processes; a process that
 *    ended shows nothing;
 *  - the statistics escape (d3dkmt_driver.h) tells the locked count;
 *  - bad input: NULL, unreadable and read-only structs, unknown types,
 *    segments and groups, bad process handles; types we do not answer and
 *    LUIDs that are not ours go to Wine.
 * The processes use a system view of their own (WINE_D3DKMT_SYSTEM_VIEW) and
 * a 64 MiB local segment, inherited by the children.
 */
#include <windows.h>
#include <winternl.h>
#include <stdio.h>

#include "wine_test.h"
#include "d3dkmt_test.h"
#include "child_process.h"

#define MB (1024ull * 1024)
#define SEGMENT (64 * MB)
#define TIMEOUT 60000
#define MAX_ALLOCS 16

static D3DKMT_HANDLE adapter, device;
static LUID luid;
static HANDLE ack_event, step_event;

struct allocs
{
    D3DKMT_HANDLE local[MAX_ALLOCS], nonlocal[MAX_ALLOCS];
    UINT local_count, nonlocal_count;
};

/* n local allocations of local_mb MiB each and m non-local of nonlocal_mb. */
static void make_allocs(struct allocs *a, UINT n, UINT local_mb, UINT m, UINT nonlocal_mb)
{
    D3DKMT_WINE_ALLOCATION_DESC local = make_desc(local_mb * MB, D3DKMT_WINE_SEGMENT_GROUP_LOCAL,
                                                  D3DKMT_WINE_ALLOC_FLAG_CPU_VISIBLE);
    D3DKMT_WINE_ALLOCATION_DESC nonlocal = make_desc(nonlocal_mb * MB, D3DKMT_WINE_SEGMENT_GROUP_NON_LOCAL, 0);
    NTSTATUS status;

    memset(a, 0, sizeof(*a));
    for (; a->local_count < n; a->local_count++)
    {
        status = create_alloc(device, &local, &a->local[a->local_count]);
        ok(status == STATUS_SUCCESS, "local allocation %u: %#lx\n", a->local_count, status);
    }
    for (; a->nonlocal_count < m; a->nonlocal_count++)
    {
        status = create_alloc(device, &nonlocal, &a->nonlocal[a->nonlocal_count]);
        ok(status == STATUS_SUCCESS, "non-local allocation %u: %#lx\n", a->nonlocal_count, status);
    }
}

static void free_allocs(struct allocs *a)
{
    while (a->local_count) destroy_alloc(device, a->local[--a->local_count]);
    while (a->nonlocal_count) destroy_alloc(device, a->nonlocal[--a->nonlocal_count]);
}

static NTSTATUS query(D3DKMT_QUERYSTATISTICS_TYPE type, HANDLE process, ULONG arg, D3DKMT_QUERYSTATISTICS *qs)
{
    memset(qs, 0xcc, sizeof(*qs));
    qs->Type = type;
    qs->AdapterLuid = luid;
    qs->hProcess = process;
    qs->Query = arg;
    return pQueryStatistics(qs);
}

static D3DKMT_QUERYSTATISTICS_SEGMENT_INFORMATION segment_info(ULONG id)
{
    D3DKMT_QUERYSTATISTICS qs;
    NTSTATUS status = query(D3DKMT_QUERYSTATISTICS_SEGMENT, NULL, id, &qs);

    ok(status == STATUS_SUCCESS, "SEGMENT %lu: %#lx\n", id, status);
    return qs.QueryResult.SegmentInformation;
}

static D3DKMT_QUERYSTATISTICS_PROCESS_SEGMENT_INFORMATION process_segment(HANDLE process, ULONG id)
{
    D3DKMT_QUERYSTATISTICS qs;
    NTSTATUS status = query(D3DKMT_QUERYSTATISTICS_PROCESS_SEGMENT, process, id, &qs);

    ok(status == STATUS_SUCCESS, "PROCESS_SEGMENT %p %lu: %#lx\n", process, id, status);
    return qs.QueryResult.ProcessSegmentInformation;
}

static D3DKMT_QUERYSTATISTICS_PROCESS_SEGMENT_GROUP_INFORMATION process_group(HANDLE process, ULONG group)
{
    D3DKMT_QUERYSTATISTICS qs;
    NTSTATUS status = query(D3DKMT_QUERYSTATISTICS_PROCESS_SEGMENT_GROUP, process, group, &qs);

    ok(status == STATUS_SUCCESS, "PROCESS_SEGMENT_GROUP %p %lu: %#lx\n", process, group, status);
    return qs.QueryResult.ProcessSegmentGroupInformation;
}

static NTSTATUS qvmi(HANDLE process, UINT group, UINT64 *usage, UINT64 *budget)
{
    D3DKMT_QUERYVIDEOMEMORYINFO info;
    NTSTATUS status;

    memset(&info, 0, sizeof(info));
    info.hProcess = process;
    info.hAdapter = adapter;
    info.MemorySegmentGroup = group;
    status = pQueryVideoMemoryInfo(&info);
    *usage = info.CurrentUsage;
    *budget = info.Budget;
    return status;
}

/* The statistics escape for a scope (d3dkmt_driver.h). */
static NTSTATUS wine_statistics(UINT scope, DWORD pid, D3DKMT_WINE_STATISTICS *out)
{
    D3DKMT_ESCAPE escape;

    memset(out, 0, sizeof(*out));
    out->Magic = D3DKMT_WINE_STATISTICS_MAGIC;
    out->Scope = scope;
    out->ProcessId = pid;
    memset(&escape, 0, sizeof(escape));
    escape.hAdapter = adapter;
    escape.Type = D3DKMT_ESCAPE_DRIVERPRIVATE;
    escape.pPrivateDriverData = out;
    escape.PrivateDriverDataSize = sizeof(*out);
    return pEscape(&escape);
}

/* QueryStatistics agrees with QueryVideoMemoryInfo for process and group. */
static void check_against_qvmi(HANDLE process, const char *who)
{
    D3DKMT_QUERYSTATISTICS_PROCESS_SEGMENT_GROUP_INFORMATION g;
    UINT64 usage, budget;
    UINT group;

    for (group = 0; group < 2; group++)
    {
        ok(qvmi(process, group, &usage, &budget) == STATUS_SUCCESS, "%s: QueryVideoMemoryInfo\n", who);
        g = process_group(process, group);
        ok(g.Usage == usage, "%s group %u: usage %I64u, QueryVideoMemoryInfo %I64u\n", who, group, g.Usage, usage);
        ok(g.Budget == budget, "%s group %u: budget %I64u, QueryVideoMemoryInfo %I64u\n", who, group, g.Budget,
           budget);
    }
}

static void test_adapter_and_segments(void)
{
    D3DKMT_QUERYSTATISTICS_SEGMENT_INFORMATION seg;
    D3DKMT_SEGMENTSIZEINFO sizes;
    D3DKMT_QUERYADAPTERINFO info;
    D3DKMT_QUERYSTATISTICS qs;
    struct allocs a;
    NTSTATUS status;

    status = query(D3DKMT_QUERYSTATISTICS_ADAPTER, NULL, 0, &qs);
    ok(status == STATUS_SUCCESS, "ADAPTER: %#lx\n", status);
    ok(qs.QueryResult.AdapterInformation.NbSegments == 2, "NbSegments %lu\n", qs.QueryResult.AdapterInformation.NbSegments);
    ok(qs.QueryResult.AdapterInformation.NodeCount == 1, "NodeCount %lu\n", qs.QueryResult.AdapterInformation.NodeCount);
    ok(qs.QueryResult.Raw[96] == 0, "the result's tail is not cleared\n");

    memset(&info, 0, sizeof(info));
    info.hAdapter = adapter;
    info.Type = KMTQAITYPE_GETSEGMENTSIZE;
    info.pPrivateDriverData = &sizes;
    info.PrivateDriverDataSize = sizeof(sizes);
    ok(pQueryAdapterInfo(&info) == STATUS_SUCCESS, "GETSEGMENTSIZE\n");

    make_allocs(&a, 3, 4, 2, 2);
    seg = segment_info(0);
    ok(seg.CommitLimit == sizes.DedicatedVideoMemorySize, "segment 0: %I64u, QueryAdapterInfo %I64u\n",
       seg.CommitLimit, sizes.DedicatedVideoMemorySize);
    ok(seg.CommitLimit == SEGMENT, "segment 0 size %I64u\n", seg.CommitLimit);
    ok(!seg.Aperture && !(seg.SegmentProperties & 1), "segment 0 is video memory\n");
    ok(seg.BytesCommitted == 12 * MB, "segment 0 committed %I64u\n", seg.BytesCommitted);
    ok(seg.BytesResident == 12 * MB, "segment 0 resident %I64u\n", seg.BytesResident);
    ok(seg.Memory.AllocsCommitted == 3 && seg.Memory.AllocsResident == 3, "segment 0 allocations %lu, %lu\n",
       seg.Memory.AllocsCommitted, seg.Memory.AllocsResident);
    seg = segment_info(1);
    ok(seg.CommitLimit == sizes.SharedSystemMemorySize, "segment 1: %I64u, QueryAdapterInfo %I64u\n",
       seg.CommitLimit, sizes.SharedSystemMemorySize);
    ok(seg.Aperture == 1 && (seg.SegmentProperties & 1), "segment 1 is an aperture over system memory\n");
    ok(seg.BytesCommitted == 4 * MB && seg.Memory.AllocsCommitted == 2, "segment 1: %I64u bytes, %lu allocations\n",
       seg.BytesCommitted, seg.Memory.AllocsCommitted);
    free_allocs(&a);
    seg = segment_info(0);
    ok(seg.BytesCommitted == 0 && seg.Memory.AllocsCommitted == 0, "segment 0 after destroy: %I64u, %lu\n",
       seg.BytesCommitted, seg.Memory.AllocsCommitted);
}

static void test_this_process(void)
{
    D3DKMT_QUERYSTATISTICS_PROCESS_SEGMENT_INFORMATION ps;
    D3DKMT_WINE_STATISTICS ws;
    D3DKMT_QUERYSTATISTICS qs;
    HANDLE self;
    struct allocs a;
    void *data;

    make_allocs(&a, 2, 8, 3, 1);
    ps = process_segment(NULL, 0);
    ok(ps.BytesCommitted == 16 * MB, "local committed %I64u\n", ps.BytesCommitted);
    ok(ps.VideoMemory.AllocsCommitted == 2, "local allocations %lu\n", ps.VideoMemory.AllocsCommitted);
    ok(ps.VideoMemory.AllocsResidentInP[0].Bytes == 16 * MB, "local resident %I64u\n",
       ps.VideoMemory.AllocsResidentInP[0].Bytes);
    ps = process_segment(NULL, 1);
    ok(ps.BytesCommitted == 3 * MB && ps.VideoMemory.AllocsCommitted == 3, "non-local: %I64u, %lu\n",
       ps.BytesCommitted, ps.VideoMemory.AllocsCommitted);
    check_against_qvmi(NULL, "this process");

    /* A real handle to this process gives the same figures as NULL. */
    self = OpenProcess(PROCESS_QUERY_INFORMATION, FALSE, GetCurrentProcessId());
    ps = process_segment(self, 0);
    ok(ps.BytesCommitted == 16 * MB, "own handle: committed %I64u\n", ps.BytesCommitted);
    CloseHandle(self);

    ok(query(D3DKMT_QUERYSTATISTICS_PROCESS_ADAPTER, NULL, 0, &qs) == STATUS_SUCCESS, "PROCESS_ADAPTER\n");
    ok(qs.QueryResult.ProcessAdapterInformation.NbSegments == 2, "process NbSegments %lu\n",
       qs.QueryResult.ProcessAdapterInformation.NbSegments);
    ok(query(D3DKMT_QUERYSTATISTICS_PROCESS, NULL, 0, &qs) == STATUS_SUCCESS, "PROCESS\n");
    ok(qs.QueryResult.ProcessInformation.NodeCount == 1, "process NodeCount %lu\n",
       qs.QueryResult.ProcessInformation.NodeCount);
    ok(qs.QueryResult.ProcessInformation.SystemMemory.BytesAllocated == 3 * MB, "system memory %I64u\n",
       qs.QueryResult.ProcessInformation.SystemMemory.BytesAllocated);

    /* Locked allocations, through the escape. */
    ok(lock_alloc(device, a.local[0], 0, &data) == STATUS_SUCCESS, "lock\n");
    ok(lock_alloc(device, a.nonlocal[1], 0, &data) == STATUS_SUCCESS, "lock\n");
    ok(lock_alloc(device, a.nonlocal[1], 0, &data) == STATUS_SUCCESS, "lock again\n");
    ok(wine_statistics(D3DKMT_WINE_STATISTICS_SELF, 0, &ws) == STATUS_SUCCESS, "statistics escape\n");
    ok(ws.Locked == 2, "locked %u\n", ws.Locked);
    ok(ws.Processes == 1 && ws.Allocations[0] == 2 && ws.Allocations[1] == 3, "escape: %u processes, %u + %u\n",
       ws.Processes, ws.Allocations[0], ws.Allocations[1]);
    ok(ws.Resident[0] == 16 * MB && ws.Committed[1] == 3 * MB, "escape: resident %I64u, committed %I64u\n",
       ws.Resident[0], ws.Committed[1]);
    unlock_alloc(device, a.local[0]);
    unlock_alloc(device, a.nonlocal[1]);
    unlock_alloc(device, a.nonlocal[1]);
    ok(wine_statistics(D3DKMT_WINE_STATISTICS_SELF, 0, &ws) == STATUS_SUCCESS && ws.Locked == 0,
       "locked after unlock %u\n", ws.Locked);
    free_allocs(&a);
}

static void wait_pager(void)
{
    ok(wine_escape(adapter, D3DKMT_WINE_ESCAPE_WAIT_IDLE, 0, NULL) == STATUS_SUCCESS, "wait idle\n");
}

static void test_eviction_counters(void)
{
    D3DKMT_QUERYSTATISTICS_SEGMENT_INFORMATION before, after;
    D3DKMT_QUERYSTATISTICS_PROCESS_SEGMENT_INFORMATION ps;
    D3DKMT_WINE_STATISTICS ws0, ws1;
    D3DDDI_MAKERESIDENT mr;
    D3DKMT_CREATEPAGINGQUEUE q;
    struct allocs a;
    UINT8 *data;
    UINT i;

    make_allocs(&a, 4, 4, 0, 0);
    for (i = 0; i < a.local_count; i++)
    {
        /* Written, so that eviction has content to move. */
        ok(lock_alloc(device, a.local[i], 0, (void **)&data) == STATUS_SUCCESS, "lock\n");
        memset(data, i + 1, 4 * MB);
        unlock_alloc(device, a.local[i]);
    }
    before = segment_info(0);
    ok(wine_statistics(D3DKMT_WINE_STATISTICS_SELF, 0, &ws0) == STATUS_SUCCESS, "statistics escape\n");

    /* Room for two: the pager moves two out. */
    ok(wine_escape(adapter, D3DKMT_WINE_ESCAPE_SET_LOCAL_BUDGET, 8 * MB, NULL) == STATUS_SUCCESS, "budget\n");
    wait_pager();
    after = segment_info(0);
    ok(after.Memory.TotalBytesEvicted - before.Memory.TotalBytesEvicted == 8 * MB, "evicted %I64u bytes\n",
       after.Memory.TotalBytesEvicted - before.Memory.TotalBytesEvicted);
    ok(after.BytesResident == 8 * MB && after.BytesCommitted == 16 * MB, "after eviction: %I64u resident, %I64u\n",
       after.BytesResident, after.BytesCommitted);
    ok(after.Memory.AllocsResident == 2 && after.Memory.AllocsCommitted == 4, "after eviction: %lu of %lu resident\n",
       after.Memory.AllocsResident, after.Memory.AllocsCommitted);
    ps = process_segment(NULL, 0);
    ok(ps.NbReferencedAllocationEvictedInPeriod == ws0.Evictions + 2, "process evictions %lu\n",
       ps.NbReferencedAllocationEvictedInPeriod);
    check_against_qvmi(NULL, "after eviction");

    /* MakeResident brings them back: two restores. */
    ok(wine_escape(adapter, D3DKMT_WINE_ESCAPE_SET_LOCAL_BUDGET, 0, NULL) == STATUS_SUCCESS, "budget\n");
    memset(&q, 0, sizeof(q));
    q.hDevice = device;
    ok(pCreatePagingQueue(&q) == STATUS_SUCCESS, "CreatePagingQueue\n");
    memset(&mr, 0, sizeof(mr));
    mr.hPagingQueue = q.hPagingQueue;
    mr.NumAllocations = a.local_count;
    mr.AllocationList = a.local;
    ok(SUCCEEDED(pMakeResident(&mr)), "MakeResident\n");
    wait_pager();
    ok(wine_statistics(D3DKMT_WINE_STATISTICS_SELF, 0, &ws1) == STATUS_SUCCESS, "statistics escape\n");
    ok(ws1.Restores - ws0.Restores == 2 && ws1.RestoredBytes - ws0.RestoredBytes == 8 * MB,
       "restores %I64u (%I64u bytes)\n", ws1.Restores - ws0.Restores, ws1.RestoredBytes - ws0.RestoredBytes);
    ok(ws1.Evictions - ws0.Evictions == 2 && ws1.EvictedBytes - ws0.EvictedBytes == 8 * MB,
       "evictions %I64u (%I64u bytes)\n", ws1.Evictions - ws0.Evictions, ws1.EvictedBytes - ws0.EvictedBytes);
    ok(ws1.FenceCompleted == ws1.FenceSubmitted && ws1.FenceSubmitted > ws0.FenceSubmitted,
       "paging fence %I64u of %I64u\n", ws1.FenceCompleted, ws1.FenceSubmitted);
    ok(segment_info(0).BytesResident == 16 * MB, "all resident again\n");
    for (i = 0; i < a.local_count; i++)
    {
        ok(lock_alloc(device, a.local[i], 0, (void **)&data) == STATUS_SUCCESS, "lock\n");
        ok(data[0] == i + 1 && data[4 * MB - 1] == i + 1, "allocation %u lost its content\n", i);
        unlock_alloc(device, a.local[i]);
    }
    free_allocs(&a);
}

/* ---- another process ---- */

/* The child: allocations as told, one locked, then it waits for a step. */
static void run_child(void)
{
    UINT local = atoi(child_argv(3)), nonlocal = atoi(child_argv(4));
    HANDLE ack = child_event(strtoul(child_argv(2), NULL, 0), "ack");
    HANDLE step = child_event(strtoul(child_argv(2), NULL, 0), "step");
    struct allocs a;
    void *data;

    if (!load_d3dkmt() || open_display1(&adapter, NULL) || create_device(adapter, &device))
    {
        ok(0, "child: no adapter\n");
        return;
    }
    make_allocs(&a, local, 2, nonlocal, 1);
    ok(lock_alloc(device, a.local[0], 0, &data) == STATUS_SUCCESS, "child: lock\n");
    SetEvent(ack);
    ok(wait_event(step, TIMEOUT), "child: no step\n");
    unlock_alloc(device, a.local[0]);
    free_allocs(&a);
    destroy_device(device);
    close_adapter(adapter);
    CloseHandle(ack);
    CloseHandle(step);
}

static BOOL start(UINT local, UINT nonlocal, BOOL other_arch, PROCESS_INFORMATION *pi)
{
    char path[MAX_PATH], cmd[MAX_PATH + 128];
    STARTUPINFOA si;

    if (other_arch && !other_arch_path(path, sizeof(path))) return FALSE;
    if (!other_arch) GetModuleFileNameA(NULL, path, sizeof(path));
    snprintf(cmd, sizeof(cmd), "\"%s\" child %lu %u %u", path, GetCurrentProcessId(), local, nonlocal);
    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    return CreateProcessA(path, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, pi);
}

/* The child's Locked count arrives at its watcher's next tick after we ask. */
static UINT child_locked(DWORD pid)
{
    D3DKMT_WINE_STATISTICS ws;
    UINT i;

    for (i = 0; i < 100; i++)
    {
        ok(wine_statistics(D3DKMT_WINE_STATISTICS_PROCESS, pid, &ws) == STATUS_SUCCESS, "escape for %lu\n", pid);
        if (ws.Locked) break;
        Sleep(50);
    }
    return ws.Locked;
}

static void test_other_process(BOOL other_arch)
{
    D3DKMT_QUERYSTATISTICS_PROCESS_SEGMENT_INFORMATION ps;
    D3DKMT_QUERYSTATISTICS_SEGMENT_INFORMATION seg;
    D3DKMT_WINE_STATISTICS ws;
    D3DKMT_QUERYSTATISTICS qs;
    PROCESS_INFORMATION pi;
    struct allocs mine;
    const char *who = other_arch ? "32-bit child" : "child";

    if (!start(5, 2, other_arch, &pi))
    {
        if (other_arch) skip("no other-architecture build beside this one\n");
        else ok(0, "CreateProcess: %lu\n", GetLastError());
        return;
    }
    ok(wait_event(ack_event, TIMEOUT), "%s not ready\n", who);
    make_allocs(&mine, 1, 4, 0, 0);

    ps = process_segment(pi.hProcess, 0);
    ok(ps.BytesCommitted == 10 * MB && ps.VideoMemory.AllocsCommitted == 5, "%s local: %I64u bytes, %lu\n", who,
       ps.BytesCommitted, ps.VideoMemory.AllocsCommitted);
    ok(ps.VideoMemory.AllocsResidentInP[0].Bytes == 10 * MB, "%s local resident %I64u\n", who,
       ps.VideoMemory.AllocsResidentInP[0].Bytes);
    ps = process_segment(pi.hProcess, 1);
    ok(ps.BytesCommitted == 2 * MB && ps.VideoMemory.AllocsCommitted == 2, "%s non-local: %I64u bytes, %lu\n", who,
       ps.BytesCommitted, ps.VideoMemory.AllocsCommitted);
    check_against_qvmi(pi.hProcess, who);
    ok(query(D3DKMT_QUERYSTATISTICS_PROCESS_ADAPTER, pi.hProcess, 0, &qs) == STATUS_SUCCESS
       && qs.QueryResult.ProcessAdapterInformation.NbSegments == 2, "%s PROCESS_ADAPTER\n", who);

    /* The adapter's segments hold both processes. */
    seg = segment_info(0);
    ok(seg.BytesCommitted == 14 * MB && seg.Memory.AllocsCommitted == 6, "segment 0 with %s: %I64u, %lu\n", who,
       seg.BytesCommitted, seg.Memory.AllocsCommitted);
    ok(wine_statistics(D3DKMT_WINE_STATISTICS_SYSTEM, 0, &ws) == STATUS_SUCCESS && ws.Processes == 2,
       "system scope: %u processes\n", ws.Processes);
    ok(ws.Resident[0] == 14 * MB, "system resident %I64u\n", ws.Resident[0]);
    ok(child_locked(pi.dwProcessId) == 1, "%s locked count\n", who);

    SetEvent(step_event);
    ok(wait_child(&pi, TIMEOUT) == 0, "%s failed\n", who);
    /* pi.hProcess is closed now: a new handle cannot be had either; the
     * process is gone from the view. */
    ok(wine_statistics(D3DKMT_WINE_STATISTICS_PROCESS, pi.dwProcessId, &ws) == STATUS_SUCCESS && !ws.Processes,
       "%s still counted: %u\n", who, ws.Processes);
    seg = segment_info(0);
    ok(seg.BytesCommitted == 4 * MB, "segment 0 after %s: %I64u\n", who, seg.BytesCommitted);
    free_allocs(&mine);
}

static void test_ended_process(void)
{
    D3DKMT_QUERYSTATISTICS_PROCESS_SEGMENT_INFORMATION ps;
    D3DKMT_QUERYSTATISTICS qs;
    PROCESS_INFORMATION pi;

    ok(start(2, 0, FALSE, &pi), "CreateProcess: %lu\n", GetLastError());
    ok(wait_event(ack_event, TIMEOUT), "child not ready\n");
    TerminateProcess(pi.hProcess, 0xdead);
    ok(WaitForSingleObject(pi.hProcess, 5000) == WAIT_OBJECT_0, "child not dead\n");
    /* Its handle still names it: it uses nothing any more. */
    ps = process_segment(pi.hProcess, 0);
    ok(ps.BytesCommitted == 0 && ps.VideoMemory.AllocsCommitted == 0, "ended child: %I64u, %lu\n",
       ps.BytesCommitted, ps.VideoMemory.AllocsCommitted);
    ok(query(D3DKMT_QUERYSTATISTICS_PROCESS_ADAPTER, pi.hProcess, 0, &qs) == STATUS_SUCCESS
       && qs.QueryResult.ProcessAdapterInformation.NbSegments == 0, "ended child: NbSegments %lu\n",
       qs.QueryResult.ProcessAdapterInformation.NbSegments);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
}

/* ---- bad input ---- */

static void test_bad_input(void)
{
    D3DKMT_QUERYSTATISTICS qs, *page;
    D3DKMT_WINE_STATISTICS ws;
    D3DKMT_ESCAPE escape;
    HANDLE limited, event;
    NTSTATUS status;
    DWORD old;

    ok(pQueryStatistics(NULL) == STATUS_INVALID_PARAMETER, "NULL\n");

    page = VirtualAlloc(NULL, 4096, MEM_COMMIT, PAGE_READWRITE);
    memset(page, 0, sizeof(*page));
    page->Type = D3DKMT_QUERYSTATISTICS_SEGMENT;
    page->AdapterLuid = luid;
    VirtualProtect(page, 4096, PAGE_NOACCESS, &old);
    ok(pQueryStatistics(page) == STATUS_ACCESS_VIOLATION, "unreadable\n");
    VirtualProtect(page, 4096, PAGE_READONLY, &old);
    ok(pQueryStatistics(page) == STATUS_ACCESS_VIOLATION, "read-only\n");
    ok(page->QueryResult.SegmentInformation.CommitLimit == 0, "read-only struct written\n");
    VirtualFree(page, 0, MEM_RELEASE);

    ok(query(20, NULL, 0, &qs) == STATUS_INVALID_PARAMETER, "type 20\n");
    ok(query(0x7fffffff, NULL, 0, &qs) == STATUS_INVALID_PARAMETER, "type 0x7fffffff\n");
    status = query(D3DKMT_QUERYSTATISTICS_SEGMENT, NULL, 2, &qs);
    ok(status == STATUS_INVALID_PARAMETER, "segment 2: %#lx\n", status);
    ok(qs.QueryResult.Raw[0] == 0xcccccccccccccccc, "result written on failure\n");
    ok(query(D3DKMT_QUERYSTATISTICS_SEGMENT, NULL, ~0u, &qs) == STATUS_INVALID_PARAMETER, "segment ~0\n");
    ok(query(D3DKMT_QUERYSTATISTICS_PROCESS_SEGMENT, NULL, 2, &qs) == STATUS_INVALID_PARAMETER, "process segment 2\n");
    ok(query(D3DKMT_QUERYSTATISTICS_PROCESS_SEGMENT_GROUP, NULL, 2, &qs) == STATUS_INVALID_PARAMETER, "group 2\n");

    status = query(D3DKMT_QUERYSTATISTICS_PROCESS_SEGMENT, (HANDLE)(ULONG_PTR)0xdeadbee0, 0, &qs);
    ok(status == STATUS_INVALID_HANDLE, "bad process handle: %#lx\n", status);
    event = CreateEventA(NULL, FALSE, FALSE, NULL);
    status = query(D3DKMT_QUERYSTATISTICS_PROCESS_SEGMENT, event, 0, &qs);
    ok(status == STATUS_OBJECT_TYPE_MISMATCH, "event handle: %#lx\n", status);
    CloseHandle(event);
    limited = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, GetCurrentProcessId());
    status = query(D3DKMT_QUERYSTATISTICS_PROCESS, limited, 0, &qs);
    ok(status == STATUS_ACCESS_DENIED, "limited handle: %#lx\n", status);
    CloseHandle(limited);
    /* hProcess means nothing to the adapter-wide types. */
    ok(query(D3DKMT_QUERYSTATISTICS_SEGMENT, (HANDLE)(ULONG_PTR)0xdeadbee0, 0, &qs) == STATUS_SUCCESS,
       "SEGMENT with a bad hProcess\n");

    /* Not ours to answer: Wine's answer, never ours. */
    qs.AdapterLuid.LowPart = luid.LowPart ^ 0x5a5a0000;
    memset(&qs.QueryResult, 0xcc, sizeof(qs.QueryResult));
    qs.Type = D3DKMT_QUERYSTATISTICS_ADAPTER;
    qs.hProcess = NULL;
    pQueryStatistics(&qs);
    ok(qs.QueryResult.AdapterInformation.NbSegments != 2, "a foreign LUID answered as ours\n");
    query(D3DKMT_QUERYSTATISTICS_NODE, NULL, 0, &qs);
    query(D3DKMT_QUERYSTATISTICS_VIDPNSOURCE, NULL, 0, &qs);

    /* The statistics escape. */
    ok(wine_statistics(3, 0, &ws) == STATUS_INVALID_PARAMETER, "escape scope 3\n");
    ok(wine_statistics(D3DKMT_WINE_STATISTICS_PROCESS, 0, &ws) == STATUS_INVALID_PARAMETER, "escape pid 0\n");
    memset(&ws, 0, sizeof(ws));
    ws.Magic = D3DKMT_WINE_STATISTICS_MAGIC + 1;
    memset(&escape, 0, sizeof(escape));
    escape.hAdapter = adapter;
    escape.Type = D3DKMT_ESCAPE_DRIVERPRIVATE;
    escape.pPrivateDriverData = &ws;
    escape.PrivateDriverDataSize = sizeof(ws);
    ok(pEscape(&escape) == STATUS_INVALID_PARAMETER, "escape bad magic\n");
    ws.Magic = D3DKMT_WINE_STATISTICS_MAGIC;
    ws.Reserved = 1;
    ok(pEscape(&escape) == STATUS_INVALID_PARAMETER, "escape reserved\n");
    ws.Reserved = 0;
    escape.hAdapter = 0xdead;
    ok(pEscape(&escape) == STATUS_INVALID_PARAMETER, "escape bad adapter\n");
}

START_TEST(querystats)
{
    char name[64];
    UINT64 budget;

    if (child_mode())
    {
        run_child();
        return;
    }
    snprintf(name, sizeof(name), "querystats-%lu", GetCurrentProcessId());
    SetEnvironmentVariableA("WINE_D3DKMT_SYSTEM_VIEW", name);
    SetEnvironmentVariableA("WINE_D3DKMT_VIDMEM_MB", "64");
    if (!load_d3dkmt()) return;
    if (!pQueryStatistics || open_display1(&adapter, &luid))
    {
        skip("no adapter or no QueryStatistics\n");
        return;
    }
    query_usage(adapter, D3DKMT_MEMORY_SEGMENT_GROUP_LOCAL, &budget);
    if (budget != SEGMENT || wine_escape(adapter, D3DKMT_WINE_ESCAPE_QUERY_STATS, 0, NULL))
    {
        skip("not our module, or the segment is not %I64u MiB\n", SEGMENT / MB);
        close_adapter(adapter);
        return;
    }
    ok(create_device(adapter, &device) == STATUS_SUCCESS, "CreateDevice\n");
    ack_event = child_event(GetCurrentProcessId(), "ack");
    step_event = child_event(GetCurrentProcessId(), "step");

    test_adapter_and_segments();
    test_this_process();
    test_eviction_counters();
    test_other_process(FALSE);
    test_other_process(TRUE);
    test_ended_process();
    test_bad_input();

    CloseHandle(ack_event);
    CloseHandle(step_event);
    destroy_device(device);
    close_adapter(adapter);
}
