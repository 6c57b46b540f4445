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
 * Conformance: CreateAllocation(2) and DestroyAllocation(2).
 */
#include "d3dkmt_test.h"

static D3DKMT_HANDLE adapter, device;

/* The EXISTINGHEAP standard allocation Wine's own tests create (spec B.3.1). */
static void test_standard_allocation(void)
{
    D3DKMT_CREATESTANDARDALLOCATION standard;
    D3DKMT_CREATEALLOCATION create;
    D3DDDI_ALLOCATIONINFO2 info;
    D3DKMT_DESTROYALLOCATION destroy;
    void *mem = VirtualAlloc(NULL, 0x10000, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    NTSTATUS status;

    memset(&standard, 0, sizeof(standard));
    standard.Type = D3DKMT_STANDARDALLOCATIONTYPE_EXISTINGHEAP;
    standard.ExistingHeapData.Size = 0x10000;

#define RESET() do { memset(&create, 0, sizeof(create)); memset(&info, 0, sizeof(info)); \
        create.hDevice = device; create.Flags.ExistingSysMem = 1; create.Flags.StandardAllocation = 1; \
        create.pStandardAllocation = &standard; create.NumAllocations = 1; create.pAllocationInfo2 = &info; \
        info.pSystemMem = mem; standard.Type = D3DKMT_STANDARDALLOCATIONTYPE_EXISTINGHEAP; \
        standard.ExistingHeapData.Size = 0x10000; } while (0)


    RESET();
    create.hDevice = 0;
    status = pCreateAllocation2(&create);
    ok(status == STATUS_INVALID_PARAMETER, "no device: got %#lx\n", status);

    RESET();
    create.NumAllocations = 0;
    status = pCreateAllocation2(&create);
    ok(status == STATUS_INVALID_PARAMETER, "0 allocations: got %#lx\n", status);
    RESET();
    create.NumAllocations = 2;
    status = pCreateAllocation2(&create);
    ok(status == STATUS_INVALID_PARAMETER, "2 allocations: got %#lx\n", status);
    RESET();
    standard.Type = 0;
    status = pCreateAllocation2(&create);
    ok(status == STATUS_INVALID_PARAMETER, "type 0: got %#lx\n", status);
    RESET();
    info.pSystemMem = NULL;
    status = pCreateAllocation2(&create);
    ok(status == STATUS_INVALID_PARAMETER, "no memory: got %#lx\n", status);
    RESET();
    standard.ExistingHeapData.Size = 0x1100;
    status = pCreateAllocation2(&create);
    ok(status == STATUS_INVALID_PARAMETER, "size 0x1100: got %#lx\n", status);
    RESET();
    create.Flags.ExistingSysMem = 0;
    status = pCreateAllocation2(&create);
    ok(status == STATUS_INVALID_PARAMETER, "no ExistingSysMem: got %#lx\n", status);
    RESET();
    create.Flags.StandardAllocation = 0;
    status = pCreateAllocation2(&create);
    ok(status == STATUS_INVALID_PARAMETER, "no StandardAllocation: got %#lx\n", status);
    RESET();
    create.PrivateDriverDataSize = 64;
    status = pCreateAllocation2(&create);
    ok(status == STATUS_INVALID_PARAMETER, "driver data: got %#lx\n", status);
    RESET();
    create.hResource = 0xdeadbeef;
    status = pCreateAllocation2(&create);
    ok(status == STATUS_INVALID_HANDLE, "bad resource: got %#lx\n", status);
    RESET();
    create.hResource = 0xdeadbeef;
    create.Flags.CreateResource = 1;
    status = pCreateAllocation2(&create);
    ok(status == STATUS_INVALID_HANDLE, "bad resource with CreateResource: got %#lx\n", status);

    /* Success, without CreateShared or CrossAdapter. */
    RESET();
    create.hGlobalShare = 0x1eadbeef;
    create.hPrivateRuntimeResourceHandle = (HANDLE)0xdeadbeef;
    status = pCreateAllocation2(&create);
    ok(status == STATUS_SUCCESS, "create: %#lx\n", status);
    ok(is_local_handle(info.hAllocation), "allocation %#x\n", info.hAllocation);
    ok(!create.hResource, "resource %#x\n", create.hResource);
    ok(!create.hGlobalShare, "global share %#x\n", create.hGlobalShare);
    ok(create.hPrivateRuntimeResourceHandle == (HANDLE)0xdeadbeef, "cookie changed\n");
    ok(create.PrivateDriverDataSize == 0 && create.PrivateRuntimeDataSize == 0, "sizes changed\n");

    memset(&destroy, 0, sizeof(destroy));
    destroy.hDevice = device;
    destroy.phAllocationList = &info.hAllocation;
    destroy.AllocationCount = 1;
    status = pDestroyAllocation(&destroy);
    ok(status == STATUS_SUCCESS, "destroy: %#lx\n", status);
    status = pDestroyAllocation(&destroy);
    ok(status == STATUS_INVALID_PARAMETER, "destroy again: got %#lx\n", status);

    /* With CreateResource: the resource handle comes first, then the allocation. */
    RESET();
    create.Flags.CreateResource = 1;
    status = pCreateAllocation2(&create);
    ok(status == STATUS_SUCCESS, "create with resource: %#lx\n", status);
    ok(is_local_handle(create.hResource), "resource %#x\n", create.hResource);
    ok(info.hAllocation == create.hResource + 0x40, "resource %#x, allocation %#x\n", create.hResource, info.hAllocation);

    /* No standard allocation may be added to an existing resource. */
    {
        D3DKMT_HANDLE resource = create.hResource, first = info.hAllocation;
        RESET();
        create.hResource = resource;
        status = pCreateAllocation2(&create);
        ok(status == STATUS_INVALID_PARAMETER, "add to resource: got %#lx\n", status);

        /* Destroying the only allocation keeps the resource. */
        memset(&destroy, 0, sizeof(destroy));
        destroy.hDevice = device;
        destroy.phAllocationList = &first;
        destroy.AllocationCount = 1;
        status = pDestroyAllocation(&destroy);
        ok(status == STATUS_SUCCESS, "destroy allocation: %#lx\n", status);
        memset(&destroy, 0, sizeof(destroy));
        destroy.hDevice = device;
        destroy.hResource = resource;
        destroy.phAllocationList = (void *)(ULONG_PTR)0xdeadbeef;  /* ignored */
        status = pDestroyAllocation(&destroy);
        ok(status == STATUS_SUCCESS, "destroy resource: %#lx\n", status);
        status = pDestroyAllocation(&destroy);
        ok(status == STATUS_INVALID_PARAMETER, "destroy resource again: got %#lx\n", status);
    }
#undef RESET
    VirtualFree(mem, 0, MEM_RELEASE);
}

static void test_destroy_allocation(void)
{
    D3DKMT_WINE_ALLOCATION_DESC desc = make_desc(8192, 0, D3DKMT_WINE_ALLOC_FLAG_CPU_VISIBLE);
    D3DKMT_DESTROYALLOCATION2 destroy2;
    D3DKMT_DESTROYALLOCATION destroy;
    D3DKMT_HANDLE alloc, list[2];
    NTSTATUS status;

    status = pDestroyAllocation(NULL);
    ok(status == STATUS_INVALID_PARAMETER, "NULL: got %#lx\n", status);
    memset(&destroy, 0, sizeof(destroy));
    status = pDestroyAllocation(&destroy);
    ok(status == STATUS_INVALID_PARAMETER, "zero device: got %#lx\n", status);
    destroy.hDevice = device;
    status = pDestroyAllocation(&destroy);
    ok(status == STATUS_SUCCESS, "nothing to destroy: got %#lx\n", status);
    destroy.AllocationCount = 1;
    status = pDestroyAllocation(&destroy);
    ok(status == STATUS_INVALID_PARAMETER, "NULL list: got %#lx\n", status);

    /* A bad entry destroys nothing. */
    create_alloc(device, &desc, &alloc);
    list[0] = alloc;
    list[1] = 0xdeadbe00;
    destroy.phAllocationList = list;
    destroy.AllocationCount = 2;
    status = pDestroyAllocation(&destroy);
    ok(status == STATUS_INVALID_PARAMETER, "bad entry: got %#lx\n", status);
    ok(lock_alloc(device, alloc, 0, NULL) == STATUS_SUCCESS, "allocation was destroyed\n");
    unlock_alloc(device, alloc);

    memset(&destroy2, 0, sizeof(destroy2));
    destroy2.hDevice = device;
    destroy2.phAllocationList = &alloc;
    destroy2.AllocationCount = 1;
    destroy2.Flags.Value = 0x100;
    status = pDestroyAllocation2(&destroy2);
    ok(status == STATUS_INVALID_PARAMETER, "reserved flag: got %#lx\n", status);
    destroy2.Flags.Value = 0;
    destroy2.Flags.AssumeNotInUse = 1;
    destroy2.Flags.SynchronousDestroy = 1;
    status = pDestroyAllocation2(&destroy2);
    ok(status == STATUS_SUCCESS, "destroy2: %#lx\n", status);
    status = pDestroyAllocation2(&destroy2);
    ok(status == STATUS_INVALID_PARAMETER, "stale: got %#lx\n", status);
}

static void test_descriptor(void)
{
    D3DKMT_WINE_ALLOCATION_DESC desc;
    D3DKMT_HANDLE alloc;
    NTSTATUS status;

    desc = make_desc(4096, 0, 0);
    desc.Magic = 0x12345678;
    status = create_alloc(device, &desc, &alloc);
    ok(status == STATUS_INVALID_PARAMETER, "bad magic: got %#lx\n", status);
    desc = make_desc(4096, 0, 0);
    desc.Version = 2;
    status = create_alloc(device, &desc, &alloc);
    ok(status == STATUS_INVALID_PARAMETER, "bad version: got %#lx\n", status);
    desc = make_desc(4096, 0, 0x80);
    status = create_alloc(device, &desc, &alloc);
    ok(status == STATUS_INVALID_PARAMETER, "bad flags: got %#lx\n", status);
    desc = make_desc(0, 0, 0);
    status = create_alloc(device, &desc, &alloc);
    ok(status == STATUS_INVALID_PARAMETER, "size 0: got %#lx\n", status);
    desc = make_desc(4096, 2, 0);
    status = create_alloc(device, &desc, &alloc);
    ok(status == STATUS_INVALID_PARAMETER, "group 2: got %#lx\n", status);
    desc = make_desc(4096, 0, 0);
    desc.Alignment = 4096 + 1;
    status = create_alloc(device, &desc, &alloc);
    ok(status == STATUS_INVALID_PARAMETER, "alignment: got %#lx\n", status);

    /* Too small private data. */
    {
        D3DKMT_CREATEALLOCATION create;
        D3DDDI_ALLOCATIONINFO2 info;

        desc = make_desc(4096, 0, 0);
        memset(&create, 0, sizeof(create));
        memset(&info, 0, sizeof(info));
        create.hDevice = device;
        create.NumAllocations = 1;
        create.pAllocationInfo2 = &info;
        info.pPrivateDriverData = &desc;
        info.PrivateDriverDataSize = sizeof(desc) - 1;
        status = pCreateAllocation2(&create);
        ok(status == STATUS_INVALID_PARAMETER, "31 bytes: got %#lx\n", status);
        info.PrivateDriverDataSize = 0;
        status = pCreateAllocation2(&create);
        ok(status == STATUS_INVALID_PARAMETER, "0 bytes: got %#lx\n", status);
        info.PrivateDriverDataSize = sizeof(desc);
        info.pPrivateDriverData = (void *)(ULONG_PTR)0x10;
        status = pCreateAllocation2(&create);
        ok(status == STATUS_ACCESS_VIOLATION, "unreadable data: got %#lx\n", status);
        info.pPrivateDriverData = NULL;
        status = pCreateAllocation2(&create);
        ok(status == STATUS_INVALID_PARAMETER, "NULL data: got %#lx\n", status);
        create.pAllocationInfo2 = NULL;
        status = pCreateAllocation2(&create);
        ok(status == STATUS_INVALID_PARAMETER, "NULL array: got %#lx\n", status);
        create.pAllocationInfo2 = (void *)(ULONG_PTR)0x10;
        status = pCreateAllocation2(&create);
        ok(status == STATUS_ACCESS_VIOLATION, "unreadable array: got %#lx\n", status);
    }
}

/* CurrentUsage follows creation and destruction; new memory reads as zero. */
static void test_usage_and_zero_fill(void)
{
    D3DKMT_WINE_ALLOCATION_DESC local = make_desc(3 * 65536, 0, D3DKMT_WINE_ALLOC_FLAG_CPU_VISIBLE);
    D3DKMT_WINE_ALLOCATION_DESC nonlocal = make_desc(65536, 1, 0);
    UINT64 local_before, nonlocal_before, budget, budget2;
    D3DKMT_HANDLE a, b;
    unsigned char *p;
    NTSTATUS status;
    UINT i, nonzero = 0;

    local_before = query_usage(adapter, D3DKMT_MEMORY_SEGMENT_GROUP_LOCAL, &budget);
    nonlocal_before = query_usage(adapter, D3DKMT_MEMORY_SEGMENT_GROUP_NON_LOCAL, NULL);
    status = create_alloc(device, &local, &a);
    ok(status == STATUS_SUCCESS, "local: %#lx\n", status);
    status = create_alloc(device, &nonlocal, &b);
    ok(status == STATUS_SUCCESS, "non-local: %#lx\n", status);
    ok(query_usage(adapter, D3DKMT_MEMORY_SEGMENT_GROUP_LOCAL, &budget2) == local_before + local.Size,
       "local usage did not grow by %I64u\n", local.Size);
    ok(budget2 == budget, "budget changed: %I64u -> %I64u\n", budget, budget2);
    ok(query_usage(adapter, D3DKMT_MEMORY_SEGMENT_GROUP_NON_LOCAL, NULL) == nonlocal_before + nonlocal.Size,
       "non-local usage did not grow by %I64u\n", nonlocal.Size);

    /* Fill, destroy, create again: the new allocation reads as zero. */
    status = lock_alloc(device, a, 0, (void **)&p);
    ok(status == STATUS_SUCCESS, "lock: %#lx\n", status);
    if (!status) memset(p, 0xab, local.Size);
    unlock_alloc(device, a);
    destroy_alloc(device, a);
    ok(query_usage(adapter, D3DKMT_MEMORY_SEGMENT_GROUP_LOCAL, NULL) == local_before, "local usage not back\n");
    status = create_alloc(device, &local, &a);
    ok(status == STATUS_SUCCESS, "local again: %#lx\n", status);
    status = lock_alloc(device, a, 0, (void **)&p);
    ok(status == STATUS_SUCCESS, "lock: %#lx\n", status);
    if (!status) for (i = 0; i < local.Size; i++) nonzero += p[i] != 0;
    ok(!nonzero, "%u bytes of new video memory are not zero\n", nonzero);
    unlock_alloc(device, a);
    destroy_alloc(device, a);
    destroy_alloc(device, b);
    ok(query_usage(adapter, D3DKMT_MEMORY_SEGMENT_GROUP_NON_LOCAL, NULL) == nonlocal_before, "non-local usage not back\n");
}

/* A device's allocations go with it. */
static void test_destroy_device_frees(void)
{
    D3DKMT_WINE_ALLOCATION_DESC desc = make_desc(65536, 0, D3DKMT_WINE_ALLOC_FLAG_CPU_VISIBLE);
    D3DKMT_HANDLE dev2, alloc;
    UINT64 before;

    before = query_usage(adapter, D3DKMT_MEMORY_SEGMENT_GROUP_LOCAL, NULL);
    create_device(adapter, &dev2);
    ok(create_alloc(dev2, &desc, &alloc) == STATUS_SUCCESS, "create failed\n");
    /* Another device's allocation is not ours to lock or destroy. */
    ok(lock_alloc(device, alloc, 0, NULL) == STATUS_INVALID_PARAMETER, "foreign lock succeeded\n");
    ok(destroy_alloc(device, alloc) == STATUS_INVALID_PARAMETER, "foreign destroy succeeded\n");
    destroy_device(dev2);
    ok(query_usage(adapter, D3DKMT_MEMORY_SEGMENT_GROUP_LOCAL, NULL) == before, "usage not back after DestroyDevice\n");
    ok(lock_alloc(dev2, alloc, 0, NULL) == STATUS_INVALID_PARAMETER, "stale allocation locked\n");
}

START_TEST(allocation)
{
    if (!load_d3dkmt()) return;
    if (open_display1(&adapter, NULL) || create_device(adapter, &device))
    {
        skip("no adapter or device\n");
        return;
    }
    test_standard_allocation();
    test_destroy_allocation();
    test_descriptor();
    test_usage_and_zero_fill();
    test_destroy_device_frees();
    destroy_device(device);
    close_adapter(adapter);
}
