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
 * A Windows program that knows nothing of this project: no project header,
 * only <windows.h> and the D3DKMT definitions it would take from the
 * Windows SDK, written out here.  It finds D3DKMTCreateAllocation2 with
 * GetProcAddress(LoadLibraryA("d3dkmt.dll")), and since it cannot know any
 * driver's private data format, it creates a standard allocation (the one
 * kind whose size the OS defines) over its own memory, then locks, writes,
 * reads back and destroys it.
 */
#include <stdio.h>
#include <string.h>
#include <windows.h>

typedef UINT KMT_HANDLE;
typedef LONG KMT_STATUS;

typedef struct { WCHAR DeviceName[32]; KMT_HANDLE hAdapter; LUID AdapterLuid; UINT VidPnSourceId; } OPENADAPTER;
typedef struct { union { KMT_HANDLE hAdapter; void *pAdapter; }; UINT Flags; KMT_HANDLE hDevice;
                 void *pCommandBuffer; UINT CommandBufferSize; void *pAllocationList; UINT AllocationListSize;
                 void *pPatchLocationList; UINT PatchLocationListSize; } CREATEDEVICE;
typedef struct { KMT_HANDLE hAllocation; union { HANDLE hSection; const void *pSystemMem; };
                 void *pPrivateDriverData; UINT PrivateDriverDataSize; UINT VidPnSourceId; UINT Flags;
                 UINT64 GpuVirtualAddress; union { UINT Priority; ULONG_PTR Unused; }; ULONG_PTR Reserved[5]; } ALLOCINFO2;
typedef struct { UINT Type; union { struct { SIZE_T Size; } ExistingHeapData; }; UINT Flags; } STANDARDALLOC;
typedef struct { KMT_HANDLE hDevice, hResource, hGlobalShare; const void *pPrivateRuntimeData;
                 UINT PrivateRuntimeDataSize; union { STANDARDALLOC *pStandardAllocation; const void *pPrivateDriverData; };
                 UINT PrivateDriverDataSize; UINT NumAllocations; ALLOCINFO2 *pAllocationInfo2; UINT Flags;
                 HANDLE hPrivateRuntimeResourceHandle; } CREATEALLOCATION;
typedef struct { KMT_HANDLE hDevice, hAllocation; UINT PrivateDriverData, NumPages; const UINT *pPages; void *pData;
                 UINT Flags; UINT64 GpuVirtualAddress; } LOCK;
typedef struct { KMT_HANDLE hDevice; UINT NumAllocations; const KMT_HANDLE *phAllocations; } UNLOCK;
typedef struct { KMT_HANDLE hDevice, hResource; const KMT_HANDLE *phAllocationList; UINT AllocationCount; } DESTROYALLOCATION;

#define FLAG_EXISTING_SYSMEM  0x20
#define FLAG_STANDARD         0x10000
#define LOCK_ENTIRE           0x10
#define TYPE_EXISTINGHEAP     1

static int checks, failures;

#define check(cond, ...) do { checks++; if (!(cond)) { failures++; printf("unaware.c:%d: Test failed: ", __LINE__); \
                                              printf(__VA_ARGS__); } } while (0)

int main(void)
{
    HMODULE module = LoadLibraryA("d3dkmt.dll");
    KMT_STATUS (WINAPI *open_adapter)(OPENADAPTER *);
    KMT_STATUS (WINAPI *create_device)(CREATEDEVICE *);
    KMT_STATUS (WINAPI *create_allocation2)(CREATEALLOCATION *);
    KMT_STATUS (WINAPI *lock)(LOCK *);
    KMT_STATUS (WINAPI *unlock)(const UNLOCK *);
    KMT_STATUS (WINAPI *destroy_allocation)(const DESTROYALLOCATION *);
    OPENADAPTER adapter;
    CREATEDEVICE device;
    CREATEALLOCATION create;
    ALLOCINFO2 info;
    STANDARDALLOC standard;
    LOCK l;
    UNLOCK u;
    DESTROYALLOCATION d;
    unsigned char *memory, *p;
    UINT i, bad = 0;
    KMT_STATUS status;

    if (!module)
    {
        printf("unaware.c: d3dkmt.dll is not installed\n");
        return 1;
    }
    open_adapter = (void *)GetProcAddress(module, "D3DKMTOpenAdapterFromGdiDisplayName");
    create_device = (void *)GetProcAddress(module, "D3DKMTCreateDevice");
    create_allocation2 = (void *)GetProcAddress(module, "D3DKMTCreateAllocation2");
    lock = (void *)GetProcAddress(module, "D3DKMTLock");
    unlock = (void *)GetProcAddress(module, "D3DKMTUnlock");
    destroy_allocation = (void *)GetProcAddress(module, "D3DKMTDestroyAllocation");
    check(create_allocation2 && lock && unlock && destroy_allocation && open_adapter && create_device,
          "exports missing\n");
    if (failures) return 1;

    memset(&adapter, 0, sizeof(adapter));
    lstrcpyW(adapter.DeviceName, L"\\\\.\\DISPLAY1");
    status = open_adapter(&adapter);
    check(!status, "OpenAdapterFromGdiDisplayName: %#lx\n", status);
    memset(&device, 0, sizeof(device));
    device.hAdapter = adapter.hAdapter;
    status = create_device(&device);
    check(!status, "CreateDevice: %#lx\n", status);

    memory = VirtualAlloc(NULL, 65536, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    memset(&standard, 0, sizeof(standard));
    standard.Type = TYPE_EXISTINGHEAP;
    standard.ExistingHeapData.Size = 65536;
    memset(&info, 0, sizeof(info));
    info.pSystemMem = memory;
    memset(&create, 0, sizeof(create));
    create.hDevice = device.hDevice;
    create.Flags = FLAG_STANDARD | FLAG_EXISTING_SYSMEM;
    create.pStandardAllocation = &standard;
    create.NumAllocations = 1;
    create.pAllocationInfo2 = &info;
    status = create_allocation2(&create);
    check(!status, "CreateAllocation2: %#lx\n", status);
    check(info.hAllocation, "no allocation handle\n");

    memset(&l, 0, sizeof(l));
    l.hDevice = device.hDevice;
    l.hAllocation = info.hAllocation;
    l.Flags = LOCK_ENTIRE;
    status = lock(&l);
    check(!status && l.pData == memory, "Lock: %#lx, %p (memory %p)\n", status, l.pData, memory);
    if (!status) for (p = l.pData, i = 0; i < 65536; i++) p[i] = (unsigned char)(i * 13);
    memset(&u, 0, sizeof(u));
    u.hDevice = device.hDevice;
    u.NumAllocations = 1;
    u.phAllocations = &info.hAllocation;
    status = unlock(&u);
    check(!status, "Unlock: %#lx\n", status);
    status = lock(&l);
    check(!status, "Lock again: %#lx\n", status);
    if (!status) for (p = l.pData, i = 0; i < 65536; i++) bad += p[i] != (unsigned char)(i * 13);
    check(!bad, "%u bytes differ\n", bad);
    unlock(&u);

    memset(&d, 0, sizeof(d));
    d.hDevice = device.hDevice;
    d.phAllocationList = &info.hAllocation;
    d.AllocationCount = 1;
    status = destroy_allocation(&d);
    check(!status, "DestroyAllocation: %#lx\n", status);
    status = destroy_allocation(&d);
    check(status == (KMT_STATUS)0xc000000d, "second DestroyAllocation: %#lx\n", status);

    printf("%04lx:unaware: %d tests executed (0 marked as todo, 0 as flaky, %d failure%s), 0 skipped.\n",
           GetCurrentProcessId(), checks, failures, failures == 1 ? "" : "s");
    return failures;
}
