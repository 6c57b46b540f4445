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
 * Helpers shared by the D3DKMT conformance tests.
 *
 * The functions are looked up at run time: in d3dkmt.dll when it is there
 * (Wine with this project), else in gdi32.dll (Windows).
 */
#ifndef D3DKMT_TEST_H
#define D3DKMT_TEST_H

#include "wine_test.h"
#include "wine-d3dkmt/d3dkmthk.h"
#include "wine-d3dkmt/d3dkmt_driver.h"
#include "d3dkmt_exports.h"

/* Every export of the spec (generated d3dkmt_exports.h): a pName pointer each. */
#define X(name, type) static PFND3DKMT_##type p##name;
D3DKMT_EXPORTS(X)
#undef X

static HMODULE d3dkmt_module;

/* Loads every function; returns FALSE (after a skip) when none is there. */
static BOOL load_d3dkmt(void)
{
    if (!(d3dkmt_module = LoadLibraryA("d3dkmt.dll"))) d3dkmt_module = LoadLibraryA("gdi32.dll");
    if (!d3dkmt_module) return FALSE;
#define X(name, type) p##name = (PFND3DKMT_##type)(void *)GetProcAddress(d3dkmt_module, "D3DKMT" #name);
    D3DKMT_EXPORTS(X)
#undef X
    if (!pCreateAllocation2 || !pLock)
    {
        skip("D3DKMTCreateAllocation2 or D3DKMTLock is missing\n");
        return FALSE;
    }
    return TRUE;
}

static inline BOOL is_local_handle(D3DKMT_HANDLE h)
{
    return (h & 0xc0000000) == 0xc0000000 && !(h & 0x3f);
}

static inline NTSTATUS open_display1(D3DKMT_HANDLE *adapter, LUID *luid)
{
    D3DKMT_OPENADAPTERFROMGDIDISPLAYNAME desc;
    NTSTATUS status;

    memset(&desc, 0, sizeof(desc));
    lstrcpyW(desc.DeviceName, L"\\\\.\\DISPLAY1");
    status = pOpenAdapterFromGdiDisplayName(&desc);
    *adapter = desc.hAdapter;
    if (luid) *luid = desc.AdapterLuid;
    return status;
}

static inline void close_adapter(D3DKMT_HANDLE adapter)
{
    D3DKMT_CLOSEADAPTER desc = { adapter };
    NTSTATUS status = pCloseAdapter(&desc);
    ok(status == STATUS_SUCCESS, "CloseAdapter %#x: %#lx\n", adapter, status);
}

static inline NTSTATUS create_device(D3DKMT_HANDLE adapter, D3DKMT_HANDLE *device)
{
    D3DKMT_CREATEDEVICE desc;
    NTSTATUS status;

    memset(&desc, 0, sizeof(desc));
    desc.hAdapter = adapter;
    status = pCreateDevice(&desc);
    *device = desc.hDevice;
    return status;
}

static inline void destroy_device(D3DKMT_HANDLE device)
{
    D3DKMT_DESTROYDEVICE desc = { device };
    NTSTATUS status = pDestroyDevice(&desc);
    ok(status == STATUS_SUCCESS, "DestroyDevice %#x: %#lx\n", device, status);
}

/* Our driver's private data for one allocation (d3dkmt_driver.h). */
static inline D3DKMT_WINE_ALLOCATION_DESC make_desc(UINT64 size, UINT group, UINT flags)
{
    D3DKMT_WINE_ALLOCATION_DESC desc;

    memset(&desc, 0, sizeof(desc));
    desc.Magic = D3DKMT_WINE_ALLOC_MAGIC;
    desc.Version = D3DKMT_WINE_ALLOC_VERSION;
    desc.Size = size;
    desc.SegmentGroup = group;
    desc.Flags = flags;
    return desc;
}

/* One stand-alone allocation through CreateAllocation2, in the caller's
 * memory when system_mem is not NULL. */
static inline NTSTATUS create_alloc_in(D3DKMT_HANDLE device, D3DKMT_WINE_ALLOCATION_DESC *desc, void *system_mem,
                                       D3DKMT_HANDLE *alloc)
{
    D3DKMT_CREATEALLOCATION create;
    D3DDDI_ALLOCATIONINFO2 info;
    NTSTATUS status;

    memset(&create, 0, sizeof(create));
    memset(&info, 0, sizeof(info));
    create.hDevice = device;
    create.NumAllocations = 1;
    create.pAllocationInfo2 = &info;
    info.pPrivateDriverData = desc;
    info.PrivateDriverDataSize = sizeof(*desc);
    info.pSystemMem = system_mem;
    status = pCreateAllocation2(&create);
    *alloc = info.hAllocation;
    return status;
}

static inline NTSTATUS create_alloc(D3DKMT_HANDLE device, D3DKMT_WINE_ALLOCATION_DESC *desc, D3DKMT_HANDLE *alloc)
{
    return create_alloc_in(device, desc, NULL, alloc);
}

static inline NTSTATUS destroy_alloc(D3DKMT_HANDLE device, D3DKMT_HANDLE alloc)
{
    D3DKMT_DESTROYALLOCATION desc;

    memset(&desc, 0, sizeof(desc));
    desc.hDevice = device;
    desc.phAllocationList = &alloc;
    desc.AllocationCount = 1;
    return pDestroyAllocation(&desc);
}

static inline NTSTATUS lock_alloc(D3DKMT_HANDLE device, D3DKMT_HANDLE alloc, UINT flags, void **data)
{
    D3DKMT_LOCK desc;
    NTSTATUS status;

    memset(&desc, 0, sizeof(desc));
    desc.hDevice = device;
    desc.hAllocation = alloc;
    desc.Flags.Value = flags;
    status = pLock(&desc);
    if (data) *data = desc.pData;
    return status;
}

static inline NTSTATUS unlock_alloc(D3DKMT_HANDLE device, D3DKMT_HANDLE alloc)
{
    D3DKMT_UNLOCK desc;

    memset(&desc, 0, sizeof(desc));
    desc.hDevice = device;
    desc.NumAllocations = 1;
    desc.phAllocations = &alloc;
    return pUnlock(&desc);
}

static inline UINT64 query_usage(D3DKMT_HANDLE adapter, D3DKMT_MEMORY_SEGMENT_GROUP group, UINT64 *budget)
{
    D3DKMT_QUERYVIDEOMEMORYINFO info;
    NTSTATUS status;

    memset(&info, 0, sizeof(info));
    info.hAdapter = adapter;
    info.MemorySegmentGroup = group;
    status = pQueryVideoMemoryInfo(&info);
    ok(status == STATUS_SUCCESS, "QueryVideoMemoryInfo: %#lx\n", status);
    if (budget) *budget = info.Budget;
    return info.CurrentUsage;
}

/* Our driver's test-control escape (d3dkmt_driver.h); fails on Windows. */
static inline NTSTATUS wine_escape(D3DKMT_HANDLE adapter, UINT command, UINT64 value, D3DKMT_WINE_ESCAPE *out)
{
    D3DKMT_WINE_ESCAPE data;
    D3DKMT_ESCAPE escape;
    NTSTATUS status;

    if (!pEscape) return STATUS_PROCEDURE_NOT_FOUND;
    memset(&data, 0, sizeof(data));
    data.Magic = D3DKMT_WINE_ESCAPE_MAGIC;
    data.Version = D3DKMT_WINE_ESCAPE_VERSION;
    data.Command = command;
    data.Value = value;
    memset(&escape, 0, sizeof(escape));
    escape.hAdapter = adapter;
    escape.Type = D3DKMT_ESCAPE_DRIVERPRIVATE;
    escape.pPrivateDriverData = &data;
    escape.PrivateDriverDataSize = sizeof(data);
    status = pEscape(&escape);
    if (out) *out = data;
    return status;
}

static inline D3DKMT_WINE_ESCAPE wine_stats(D3DKMT_HANDLE adapter)
{
    D3DKMT_WINE_ESCAPE stats;
    NTSTATUS status = wine_escape(adapter, D3DKMT_WINE_ESCAPE_QUERY_STATS, 0, &stats);
    ok(status == STATUS_SUCCESS, "stats escape: %#lx\n", status);
    return stats;
}

#endif /* D3DKMT_TEST_H */
