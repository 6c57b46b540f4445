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
 * d3dkmt_demo: a Windows console program that knows nothing of Wine.
 * It finds D3DKMTCreateAllocation2 with GetProcAddress, opens the display
 * adapter, creates a video-memory and a system-memory allocation, locks,
 * writes, unlocks, re-reads and reports what QueryVideoMemoryInfo says.
 * Then it over-commits video memory (more than the local segment holds),
 * so the manager must evict, and verifies every byte.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include "wine-d3dkmt/d3dkmthk.h"
#include "wine-d3dkmt/d3dkmt_driver.h"

#define CHECK(call) do { NTSTATUS s_ = (call); if (s_) { printf("FAILED: %s -> 0x%08lx\n", #call, s_); return 1; } } while (0)

static PFND3DKMT_QUERYVIDEOMEMORYINFO query_info;

static void print_memory(const char *when, D3DKMT_HANDLE adapter)
{
    static const char *names[] = {"local (video memory)", "non-local (system memory)"};
    D3DKMT_QUERYVIDEOMEMORYINFO info;
    int group;

    printf("%s:\n", when);
    for (group = 0; group < 2; group++)
    {
        memset(&info, 0, sizeof(info));
        info.hAdapter = adapter;
        info.MemorySegmentGroup = group;
        if (query_info(&info)) continue;
        printf("  %-26s budget %8lu KiB, in use %8lu KiB\n", names[group], (unsigned long)(info.Budget >> 10),
               (unsigned long)(info.CurrentUsage >> 10));
    }
}

static int exercise(const char *what, D3DKMT_HANDLE device, D3DKMT_HANDLE alloc, SIZE_T size,
                    PFND3DKMT_LOCK lock, PFND3DKMT_UNLOCK unlock)
{
    D3DKMT_LOCK l;
    D3DKMT_UNLOCK u;
    unsigned char *p;
    SIZE_T i, bad = 0;

    memset(&l, 0, sizeof(l));
    l.hDevice = device;
    l.hAllocation = alloc;
    l.Flags.LockEntire = 1;
    CHECK(lock(&l));
    p = l.pData;
    for (i = 0; i < size; i++) p[i] = (unsigned char)(i * 31 + 7);
    memset(&u, 0, sizeof(u));
    u.hDevice = device;
    u.NumAllocations = 1;
    u.phAllocations = &alloc;
    CHECK(unlock(&u));
    CHECK(lock(&l));
    p = l.pData;
    for (i = 0; i < size; i++) bad += p[i] != (unsigned char)(i * 31 + 7);
    CHECK(unlock(&u));
    printf("  %-26s handle 0x%08x at %p: wrote and re-read %lu KiB, %lu bytes differ\n", what, alloc, (void *)p,
           (unsigned long)(size >> 10), (unsigned long)bad);
    return bad != 0;
}

int main(void)
{
    HMODULE module = LoadLibraryA("d3dkmt.dll");
    PFND3DKMT_OPENADAPTERFROMGDIDISPLAYNAME open_adapter;
    PFND3DKMT_CREATEDEVICE create_device;
    PFND3DKMT_CREATEALLOCATION2 create_allocation;
    PFND3DKMT_DESTROYALLOCATION destroy_allocation;
    PFND3DKMT_LOCK lock;
    PFND3DKMT_UNLOCK unlock;
    PFND3DKMT_DESTROYDEVICE destroy_device;
    PFND3DKMT_CLOSEADAPTER close_adapter;
    D3DKMT_OPENADAPTERFROMGDIDISPLAYNAME adapter;
    D3DKMT_CREATEDEVICE device;
    D3DKMT_CREATEALLOCATION create;
    D3DDDI_ALLOCATIONINFO2 info[2];
    D3DKMT_WINE_ALLOCATION_DESC desc[2];
    D3DKMT_DESTROYALLOCATION destroy;
    D3DKMT_HANDLE handles[2], video_alloc;
    D3DKMT_DESTROYDEVICE dd;
    D3DKMT_CLOSEADAPTER ca;
    void *sysmem;
    int failures = 0;

    if (!module)
    {
        printf("d3dkmt.dll is not installed\n");
        return 1;
    }
#define LOAD(var, name) if (!(var = (void *)GetProcAddress(module, name))) { printf("%s missing\n", name); return 1; }
    LOAD(open_adapter, "D3DKMTOpenAdapterFromGdiDisplayName");
    LOAD(create_device, "D3DKMTCreateDevice");
    LOAD(create_allocation, "D3DKMTCreateAllocation2");
    LOAD(destroy_allocation, "D3DKMTDestroyAllocation");
    LOAD(lock, "D3DKMTLock");
    LOAD(unlock, "D3DKMTUnlock");
    LOAD(query_info, "D3DKMTQueryVideoMemoryInfo");
    LOAD(destroy_device, "D3DKMTDestroyDevice");
    LOAD(close_adapter, "D3DKMTCloseAdapter");

    memset(&adapter, 0, sizeof(adapter));
    lstrcpyW(adapter.DeviceName, L"\\\\.\\DISPLAY1");
    CHECK(open_adapter(&adapter));
    printf("Adapter \\\\.\\DISPLAY1: handle 0x%08x, LUID %08lx:%08lx, VidPN source %u\n", adapter.hAdapter,
           adapter.AdapterLuid.HighPart, adapter.AdapterLuid.LowPart, adapter.VidPnSourceId);
    memset(&device, 0, sizeof(device));
    device.hAdapter = adapter.hAdapter;
    CHECK(create_device(&device));
    printf("Device: handle 0x%08x\n", device.hDevice);
    print_memory("Before", adapter.hAdapter);

    /* One video-memory allocation (4 MiB) and one system-memory one (1 MiB, our buffer). */
    sysmem = VirtualAlloc(NULL, 1 << 20, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    memset(desc, 0, sizeof(desc));
    memset(info, 0, sizeof(info));
    desc[0].Magic = desc[1].Magic = D3DKMT_WINE_ALLOC_MAGIC;
    desc[0].Version = desc[1].Version = D3DKMT_WINE_ALLOC_VERSION;
    desc[0].Size = 4 << 20;
    desc[0].SegmentGroup = D3DKMT_WINE_SEGMENT_GROUP_LOCAL;
    desc[0].Flags = D3DKMT_WINE_ALLOC_FLAG_CPU_VISIBLE;
    desc[1].Size = 1 << 20;
    desc[1].SegmentGroup = D3DKMT_WINE_SEGMENT_GROUP_NON_LOCAL;
    info[0].pPrivateDriverData = &desc[0];
    info[0].PrivateDriverDataSize = sizeof(desc[0]);
    info[1].pSystemMem = sysmem;
    info[1].pPrivateDriverData = &desc[1];
    info[1].PrivateDriverDataSize = sizeof(desc[1]);
    memset(&create, 0, sizeof(create));
    create.hDevice = device.hDevice;
    create.NumAllocations = 1;
    create.pAllocationInfo2 = &info[0];
    CHECK(create_allocation(&create));
    create.pAllocationInfo2 = &info[1];
    CHECK(create_allocation(&create));
    print_memory("After creating 4 MiB of video memory and 1 MiB of system memory", adapter.hAdapter);

    printf("Lock, write, unlock, lock, read back:\n");
    video_alloc = info[0].hAllocation;
    failures += exercise("video memory", device.hDevice, video_alloc, 4 << 20, lock, unlock);
    failures += exercise("system memory", device.hDevice, info[1].hAllocation, 1 << 20, lock, unlock);

    /* Over-commit: 1.5 times the local budget in 4 MiB allocations. */
    {
        D3DKMT_QUERYVIDEOMEMORYINFO mem;
        D3DKMT_HANDLE *many;
        UINT64 budget;
        UINT n, i, j, bad = 0, *p;

        memset(&mem, 0, sizeof(mem));
        mem.hAdapter = adapter.hAdapter;
        CHECK(query_info(&mem));
        budget = mem.Budget;
        n = (UINT)(budget * 3 / 2 / (4 << 20)) + 1;
        many = calloc(n, sizeof(*many));
        printf("Over-committing: %u allocations of 4 MiB against a %lu MiB local budget\n", n,
               (unsigned long)(budget >> 20));
        memset(&desc[0], 0, sizeof(desc[0]));
        desc[0].Magic = D3DKMT_WINE_ALLOC_MAGIC;
        desc[0].Version = D3DKMT_WINE_ALLOC_VERSION;
        desc[0].Size = 4 << 20;
        desc[0].Flags = D3DKMT_WINE_ALLOC_FLAG_CPU_VISIBLE;
        for (i = 0; i < n; i++)
        {
            D3DKMT_LOCK l;
            D3DKMT_UNLOCK u;

            memset(&info[0], 0, sizeof(info[0]));
            info[0].pPrivateDriverData = &desc[0];
            info[0].PrivateDriverDataSize = sizeof(desc[0]);
            create.pAllocationInfo2 = &info[0];
            CHECK(create_allocation(&create));
            many[i] = info[0].hAllocation;
            memset(&l, 0, sizeof(l));
            l.hDevice = device.hDevice;
            l.hAllocation = many[i];
            CHECK(lock(&l));
            for (p = l.pData, j = 0; j < (4 << 20) / 4; j++) p[j] = i * 0x9e3779b1u + j;
            memset(&u, 0, sizeof(u));
            u.hDevice = device.hDevice;
            u.NumAllocations = 1;
            u.phAllocations = &many[i];
            CHECK(unlock(&u));
        }
        print_memory("With all of them created (the local segment stays within its budget)", adapter.hAdapter);
        {
            PFND3DKMT_QUERYALLOCATIONRESIDENCY query_residency;
            D3DKMT_QUERYALLOCATIONRESIDENCY q;
            D3DKMT_ALLOCATIONRESIDENCYSTATUS *status = calloc(n, sizeof(*status));
            UINT evicted = 0;

            LOAD(query_residency, "D3DKMTQueryAllocationResidency");
            memset(&q, 0, sizeof(q));
            q.hDevice = device.hDevice;
            q.phAllocationList = many;
            q.AllocationCount = n;
            q.pResidencyStatus = status;
            CHECK(query_residency(&q));
            for (i = 0; i < n; i++) evicted += status[i] == D3DKMT_ALLOCATIONRESIDENCYSTATUS_NOTRESIDENT;
            printf("  %u of the %u allocations were evicted to system-memory backing stores\n", evicted, n);
            free(status);
        }
        for (i = 0; i < n; i++)
        {
            D3DKMT_LOCK l;
            D3DKMT_UNLOCK u;

            memset(&l, 0, sizeof(l));
            l.hDevice = device.hDevice;
            l.hAllocation = many[i];
            l.Flags.ReadOnly = 1;
            CHECK(lock(&l));
            for (p = l.pData, j = 0; j < (4 << 20) / 4; j++) bad += p[j] != i * 0x9e3779b1u + j;
            memset(&u, 0, sizeof(u));
            u.hDevice = device.hDevice;
            u.NumAllocations = 1;
            u.phAllocations = &many[i];
            CHECK(unlock(&u));
        }
        printf("Read back all %u allocations (%u MiB, wherever each one lives now): %u words differ\n", n,
               n * 4, bad);
        failures += bad != 0;
        memset(&destroy, 0, sizeof(destroy));
        destroy.hDevice = device.hDevice;
        destroy.phAllocationList = many;
        destroy.AllocationCount = n;
        CHECK(destroy_allocation(&destroy));
        free(many);
    }

    handles[0] = video_alloc;
    handles[1] = info[1].hAllocation;
    memset(&destroy, 0, sizeof(destroy));
    destroy.hDevice = device.hDevice;
    destroy.phAllocationList = handles;
    destroy.AllocationCount = 2;
    CHECK(destroy_allocation(&destroy));
    print_memory("After destroying both", adapter.hAdapter);
    dd.hDevice = device.hDevice;
    CHECK(destroy_device(&dd));
    ca.hAdapter = adapter.hAdapter;
    CHECK(close_adapter(&ca));
    VirtualFree(sysmem, 0, MEM_RELEASE);
    printf(failures ? "Demo FAILED\n" : "Demo finished: all data read back intact.\n");
    return failures;
}
