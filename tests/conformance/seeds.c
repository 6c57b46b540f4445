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
 * The two example programs of the seed documents, compiled as they are and
 * run against the module: a stand-alone video-memory allocation, a resource
 * with one system-memory allocation, and a whole-allocation lock.
 */
#include "d3dkmt_test.h"

static PFND3DKMT_LOCK pfnKTLock;
static PFND3DKMT_CREATEALLOCATION2 pfnKTCreateAllocation;

static VOID *MemAlloc(SIZE_T size)
{
    /* System memory for an allocation is page-aligned. */
    return VirtualAlloc(NULL, size, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
}

static VOID MemFree(VOID *ptr)
{
    VirtualFree(ptr, 0, MEM_RELEASE);
}

/* The examples leave some D3DDDI_ALLOCATIONINFO2 fields (Flags, VidPnSourceId,
 * Priority, Reserved) uninitialized on the stack; the module rejects garbage in
 * reserved bits, so the stack they will use is cleared first to make the
 * unchanged examples deterministic. */
static void __attribute__((noinline, noipa)) clear_stack(void)
{
    volatile char buffer[32768];
    unsigned int i;

    for (i = 0; i < sizeof(buffer); i++) buffer[i] = 0;
}

#include "seed_lock_example.h"
#include "seed_createalloc_example.h"

START_TEST(seeds)
{
    D3DKMT_WINE_ALLOCATION_DESC vid = make_desc(256 * 1024, 0, D3DKMT_WINE_ALLOC_FLAG_CPU_VISIBLE);
    D3DKMT_WINE_ALLOCATION_DESC sys = make_desc(64 * 1024, 1, 0);
    char resource_data[48] = "opaque resource-level driver data";
    D3DKMT_HANDLE adapter, device, alloc, resource, sys_alloc;
    unsigned char *p;
    HRESULT hr;
    UINT i, bad = 0;

    if (!load_d3dkmt()) return;
    pfnKTLock = pLock;
    pfnKTCreateAllocation = pCreateAllocation2;
    if (open_display1(&adapter, NULL) || create_device(adapter, &device))
    {
        skip("no adapter or device\n");
        return;
    }

    clear_stack();
    alloc = CreateStandAloneAllocation(device, &vid, sizeof(vid));
    ok(is_local_handle(alloc), "CreateStandAloneAllocation gave %#x\n", alloc);
    p = LockEntireAllocation(device, alloc, 0);
    ok(p != NULL, "LockEntireAllocation failed\n");
    if (p) for (i = 0; i < vid.Size; i++) p[i] = (unsigned char)(i * 7);
    ok(unlock_alloc(device, alloc) == STATUS_SUCCESS, "unlock failed\n");
    p = LockEntireAllocation(device, alloc, 0);
    ok(p != NULL, "LockEntireAllocation failed\n");
    if (p) for (i = 0; i < vid.Size; i++) bad += p[i] != (unsigned char)(i * 7);
    ok(!bad, "%u bytes lost\n", bad);
    unlock_alloc(device, alloc);

    clear_stack();
    hr = CreateSysmemResource(device, 64 * 1024, resource_data, sizeof(resource_data), &sys, sizeof(sys),
                              &resource, &sys_alloc);
    ok(hr == S_OK, "CreateSysmemResource: %#lx\n", hr);
    ok(is_local_handle(resource) && sys_alloc == resource + 0x40, "resource %#x allocation %#x\n", resource, sys_alloc);
    p = LockEntireAllocation(device, sys_alloc, 0);
    ok(p != NULL, "LockEntireAllocation of the system-memory allocation failed\n");
    if (p) memset(p, 0x33, 64 * 1024);
    unlock_alloc(device, sys_alloc);
    {
        D3DKMT_DESTROYALLOCATION destroy;
        memset(&destroy, 0, sizeof(destroy));
        destroy.hDevice = device;
        destroy.hResource = resource;
        ok(pDestroyAllocation(&destroy) == STATUS_SUCCESS, "destroying the resource failed\n");
    }
    ok(destroy_alloc(device, alloc) == STATUS_SUCCESS, "destroying the allocation failed\n");
    destroy_device(device);
    close_adapter(adapter);
}
