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
 * Conformance: adapters, devices, handle values, video memory information.
 */
#include "d3dkmt_test.h"

static void test_open_adapter_from_gdi_display_name(void)
{
    D3DKMT_OPENADAPTERFROMGDIDISPLAYNAME desc;
    NTSTATUS status;

    /* Windows: NULL, empty or detached names are STATUS_UNSUCCESSFUL. */
    status = pOpenAdapterFromGdiDisplayName(NULL);
    ok(status == STATUS_UNSUCCESSFUL, "NULL: got %#lx\n", status);
    memset(&desc, 0, sizeof(desc));
    status = pOpenAdapterFromGdiDisplayName(&desc);
    ok(status == STATUS_UNSUCCESSFUL, "empty name: got %#lx\n", status);
    lstrcpyW(desc.DeviceName, L"\\\\.\\DISPLAY99");
    status = pOpenAdapterFromGdiDisplayName(&desc);
    ok(status == STATUS_UNSUCCESSFUL, "DISPLAY99: got %#lx\n", status);
    lstrcpyW(desc.DeviceName, L"DISPLAY1");
    status = pOpenAdapterFromGdiDisplayName(&desc);
    ok(status == STATUS_UNSUCCESSFUL, "no prefix: got %#lx\n", status);

    memset(&desc, 0, sizeof(desc));
    lstrcpyW(desc.DeviceName, L"\\\\.\\display1");
    status = pOpenAdapterFromGdiDisplayName(&desc);
    ok(status == STATUS_SUCCESS, "lower case: got %#lx\n", status);
    ok(is_local_handle(desc.hAdapter), "handle %#x\n", desc.hAdapter);
    ok(desc.AdapterLuid.LowPart || desc.AdapterLuid.HighPart, "zero LUID\n");
    ok(desc.VidPnSourceId == 0, "source %u\n", desc.VidPnSourceId);
    if (!status) close_adapter(desc.hAdapter);

    status = pOpenAdapterFromGdiDisplayName((void *)(ULONG_PTR)0x10);
    ok(status == STATUS_ACCESS_VIOLATION, "bad pointer: got %#lx\n", status);
}

/* The LUID and source must be Wine's own (gdi32's answer), so a LUID from
 * DXGI or Wine opens the same adapter here. */
static void test_same_luid_as_gdi32(void)
{
    PFND3DKMT_OPENADAPTERFROMGDIDISPLAYNAME gdi_open;
    PFND3DKMT_CLOSEADAPTER gdi_close;
    D3DKMT_OPENADAPTERFROMGDIDISPLAYNAME ours, theirs;
    D3DKMT_OPENADAPTERFROMLUID by_luid;
    D3DKMT_CLOSEADAPTER close_desc;
    HMODULE gdi32 = LoadLibraryA("gdi32.dll");
    NTSTATUS status;

    gdi_open = (PFND3DKMT_OPENADAPTERFROMGDIDISPLAYNAME)(void *)GetProcAddress(gdi32, "D3DKMTOpenAdapterFromGdiDisplayName");
    gdi_close = (PFND3DKMT_CLOSEADAPTER)(void *)GetProcAddress(gdi32, "D3DKMTCloseAdapter");
    if (!gdi_open || !gdi_close || (void *)gdi_open == (void *)pOpenAdapterFromGdiDisplayName)
    {
        skip("gdi32 has no separate D3DKMTOpenAdapterFromGdiDisplayName\n");
        return;
    }
    memset(&ours, 0, sizeof(ours));
    memset(&theirs, 0, sizeof(theirs));
    lstrcpyW(ours.DeviceName, L"\\\\.\\DISPLAY1");
    lstrcpyW(theirs.DeviceName, L"\\\\.\\DISPLAY1");
    status = pOpenAdapterFromGdiDisplayName(&ours);
    ok(status == STATUS_SUCCESS, "ours: %#lx\n", status);
    status = gdi_open(&theirs);
    ok(status == STATUS_SUCCESS, "gdi32: %#lx\n", status);
    ok(ours.AdapterLuid.LowPart == theirs.AdapterLuid.LowPart && ours.AdapterLuid.HighPart == theirs.AdapterLuid.HighPart,
       "LUID %08lx:%08lx, gdi32 %08lx:%08lx\n", ours.AdapterLuid.HighPart, ours.AdapterLuid.LowPart,
       theirs.AdapterLuid.HighPart, theirs.AdapterLuid.LowPart);
    ok(ours.VidPnSourceId == theirs.VidPnSourceId, "source %u, gdi32 %u\n", ours.VidPnSourceId, theirs.VidPnSourceId);
    close_desc.hAdapter = theirs.hAdapter;
    gdi_close(&close_desc);

    /* Wine's LUID opens our adapter. */
    memset(&by_luid, 0, sizeof(by_luid));
    by_luid.AdapterLuid = theirs.AdapterLuid;
    status = pOpenAdapterFromLuid(&by_luid);
    ok(status == STATUS_SUCCESS, "OpenAdapterFromLuid: %#lx\n", status);
    ok(is_local_handle(by_luid.hAdapter) && by_luid.hAdapter != ours.hAdapter, "handle %#x\n", by_luid.hAdapter);
    if (!status) close_adapter(by_luid.hAdapter);
    close_adapter(ours.hAdapter);
}

static void test_open_adapter_from_luid(void)
{
    D3DKMT_OPENADAPTERFROMLUID desc;
    NTSTATUS status;

    status = pOpenAdapterFromLuid(NULL);
    ok(status == STATUS_INVALID_PARAMETER, "NULL: got %#lx\n", status);
    memset(&desc, 0, sizeof(desc));
    desc.AdapterLuid.LowPart = 0xdeadbeef;
    desc.AdapterLuid.HighPart = 0x1234;
    status = pOpenAdapterFromLuid(&desc);
    ok(status == STATUS_INVALID_PARAMETER, "unknown LUID: got %#lx\n", status);
}

static void test_close_adapter(void)
{
    D3DKMT_CLOSEADAPTER desc;
    D3DKMT_HANDLE adapter;
    NTSTATUS status;

    status = pCloseAdapter(NULL);
    ok(status == STATUS_INVALID_PARAMETER, "NULL: got %#lx\n", status);
    desc.hAdapter = 0;
    status = pCloseAdapter(&desc);
    ok(status == STATUS_INVALID_PARAMETER, "0: got %#lx\n", status);
    desc.hAdapter = 0xdead0040;
    status = pCloseAdapter(&desc);
    ok(status == STATUS_INVALID_PARAMETER, "random: got %#lx\n", status);

    status = open_display1(&adapter, NULL);
    ok(status == STATUS_SUCCESS, "open: %#lx\n", status);
    desc.hAdapter = adapter;
    status = pCloseAdapter(&desc);
    ok(status == STATUS_SUCCESS, "close: got %#lx\n", status);
    status = pCloseAdapter(&desc);
    ok(status == STATUS_INVALID_PARAMETER, "stale: got %#lx\n", status);
}

static NTSTATUS set_owner(PFND3DKMT_SETVIDPNSOURCEOWNER set, D3DKMT_HANDLE device, BOOL exclusive)
{
    D3DKMT_VIDPNSOURCEOWNER_TYPE type = D3DKMT_VIDPNSOURCEOWNER_EXCLUSIVE;
    D3DDDI_VIDEO_PRESENT_SOURCE_ID source = 0;
    D3DKMT_SETVIDPNSOURCEOWNER desc;

    memset(&desc, 0, sizeof(desc));
    desc.hDevice = device;
    if (exclusive)
    {
        desc.pType = &type;
        desc.pVidPnSourceId = &source;
        desc.VidPnSourceCount = 1;
    }
    return set(&desc);
}

/* Wine's devices (win32u) that are alive between two devices created there
 * directly: Wine numbers its handles in order, so our devices' Wine devices
 * made in between have handles between first and last.  Each live one is
 * destroyed by the probe. */
static UINT live_wine_devices_between(PFND3DKMT_DESTROYDEVICE wine_destroy, D3DKMT_HANDLE first, D3DKMT_HANDLE last)
{
    D3DKMT_DESTROYDEVICE desc;
    UINT n = 0;

    for (desc.hDevice = first + 1; desc.hDevice < last && desc.hDevice < first + 4096; desc.hDevice++)
        if (!wine_destroy(&desc)) n++;
    return n;
}

/* Closing an adapter destroys its devices, Wine's device of each too: the
 * exclusive VidPN ownership one of them held ([WIN] released with the device)
 * must not outlive the close, nor may the Wine device itself.  Before the fix
 * every Wine device stayed alive (and, with a display driver, the next device
 * got STATUS_GRAPHICS_VIDPN_SOURCE_IN_USE). */
static void test_close_adapter_with_devices(void)
{
    PFND3DKMT_SETVIDPNSOURCEOWNER set;
    PFND3DKMT_OPENADAPTERFROMLUID wine_open;
    PFND3DKMT_CREATEDEVICE wine_create;
    PFND3DKMT_DESTROYDEVICE wine_destroy;
    PFND3DKMT_CLOSEADAPTER wine_close;
    D3DKMT_OPENADAPTERFROMLUID wine_adapter;
    D3DKMT_CREATEDEVICE first, last;
    D3DKMT_HANDLE adapter, device, adapter2, device2;
    BOOL have_owner = TRUE;
    HMODULE win32u;
    NTSTATUS status;
    LUID luid;
    UINT i;

    LoadLibraryA("user32.dll");  /* win32u's display code wants it */
    win32u = LoadLibraryA("win32u.dll");
    set = (PFND3DKMT_SETVIDPNSOURCEOWNER)(void *)GetProcAddress(d3dkmt_module, "D3DKMTSetVidPnSourceOwner");
    wine_open = (PFND3DKMT_OPENADAPTERFROMLUID)(void *)GetProcAddress(win32u, "NtGdiDdDDIOpenAdapterFromLuid");
    wine_create = (PFND3DKMT_CREATEDEVICE)(void *)GetProcAddress(win32u, "NtGdiDdDDICreateDevice");
    wine_destroy = (PFND3DKMT_DESTROYDEVICE)(void *)GetProcAddress(win32u, "NtGdiDdDDIDestroyDevice");
    wine_close = (PFND3DKMT_CLOSEADAPTER)(void *)GetProcAddress(win32u, "NtGdiDdDDICloseAdapter");
    if (!set || !wine_open || !wine_create || !wine_destroy || !wine_close)
    {
        skip("no D3DKMTSetVidPnSourceOwner or no win32u D3DKMT calls (not Wine)\n");
        return;
    }
    ok(!open_display1(&adapter, &luid), "open failed\n");
    close_adapter(adapter);
    memset(&wine_adapter, 0, sizeof(wine_adapter));
    wine_adapter.AdapterLuid = luid;
    ok(!wine_open(&wine_adapter), "Wine's OpenAdapterFromLuid failed\n");
    memset(&first, 0, sizeof(first));
    first.hAdapter = wine_adapter.hAdapter;
    ok(!wine_create(&first), "Wine's CreateDevice failed\n");

    /* A few rounds: each close must give everything back. */
    for (i = 0; i < 3; i++)
    {
        ok(!open_display1(&adapter, NULL), "open failed\n");
        ok(!create_device(adapter, &device), "create device failed\n");
        status = set_owner(set, device, TRUE);
        if (status == STATUS_PROCEDURE_NOT_FOUND) have_owner = FALSE;  /* no display driver */
        else ok(status == STATUS_SUCCESS, "round %u: exclusive owner: %#lx\n", i, status);
        close_adapter(adapter);   /* device not destroyed first */
    }
    ok(!open_display1(&adapter2, NULL), "open failed\n");
    ok(!create_device(adapter2, &device2), "create device failed\n");
    if (have_owner)
    {
        status = set_owner(set, device2, TRUE);
        ok(status == STATUS_SUCCESS, "exclusive owner after the close: %#lx\n", status);
        ok(!set_owner(set, device2, FALSE), "releasing the ownership failed\n");
    }
    else skip("no display driver: VidPN ownership not checked\n");
    status = pDestroyDevice(&(D3DKMT_DESTROYDEVICE){ device });
    ok(status == STATUS_INVALID_PARAMETER, "device of the closed adapter: %#lx\n", status);
    destroy_device(device2);
    close_adapter(adapter2);

    memset(&last, 0, sizeof(last));
    last.hAdapter = wine_adapter.hAdapter;
    ok(!wine_create(&last), "Wine's CreateDevice failed\n");
    ok(last.hDevice > first.hDevice, "Wine's device handles %#x, %#x\n", first.hDevice, last.hDevice);
    i = live_wine_devices_between(wine_destroy, first.hDevice, last.hDevice);
    ok(!i, "%u Wine devices left alive by CloseAdapter\n", i);
    wine_destroy(&(D3DKMT_DESTROYDEVICE){ first.hDevice });
    wine_destroy(&(D3DKMT_DESTROYDEVICE){ last.hDevice });
    wine_close(&(D3DKMT_CLOSEADAPTER){ wine_adapter.hAdapter });
}

static void test_devices(void)
{
    D3DKMT_CREATEDEVICE create;
    D3DKMT_DESTROYDEVICE destroy;
    D3DKMT_HANDLE adapter, device;
    NTSTATUS status;

    status = pCreateDevice(NULL);
    ok(status == STATUS_INVALID_PARAMETER, "NULL: got %#lx\n", status);
    memset(&create, 0, sizeof(create));
    status = pCreateDevice(&create);
    ok(status == STATUS_INVALID_PARAMETER, "zero adapter: got %#lx\n", status);
    status = pDestroyDevice(NULL);
    ok(status == STATUS_INVALID_PARAMETER, "NULL: got %#lx\n", status);
    destroy.hDevice = 0;
    status = pDestroyDevice(&destroy);
    ok(status == STATUS_INVALID_PARAMETER, "0: got %#lx\n", status);

    open_display1(&adapter, NULL);
    memset(&create, 0xcc, sizeof(create));
    create.hAdapter = adapter;
    memset(&create.Flags, 0, sizeof(create.Flags));
    status = pCreateDevice(&create);
    ok(status == STATUS_SUCCESS, "create: %#lx\n", status);
    device = create.hDevice;
    ok(is_local_handle(device), "handle %#x\n", device);
    /* The legacy DMA-buffer outputs are all empty. */
    ok(!create.pCommandBuffer && !create.CommandBufferSize, "command buffer %p %u\n", create.pCommandBuffer, create.CommandBufferSize);
    ok(!create.pAllocationList && !create.AllocationListSize, "allocation list %p %u\n", create.pAllocationList, create.AllocationListSize);
    ok(!create.pPatchLocationList && !create.PatchLocationListSize, "patch list %p %u\n", create.pPatchLocationList, create.PatchLocationListSize);

    /* A device handle is not an adapter handle. */
    create.hAdapter = device;
    status = pCreateDevice(&create);
    ok(status == STATUS_INVALID_PARAMETER, "device as adapter: got %#lx\n", status);

    destroy.hDevice = device;
    status = pDestroyDevice(&destroy);
    ok(status == STATUS_SUCCESS, "destroy: %#lx\n", status);
    status = pDestroyDevice(&destroy);
    ok(status == STATUS_INVALID_PARAMETER, "stale: got %#lx\n", status);
    close_adapter(adapter);
}

/* One counter for every object type: adapter, device, allocation are 0x40 apart. */
static void test_handle_values(void)
{
    D3DKMT_WINE_ALLOCATION_DESC desc = make_desc(4096, 0, D3DKMT_WINE_ALLOC_FLAG_CPU_VISIBLE);
    D3DKMT_HANDLE adapter, device, alloc;
    NTSTATUS status;

    status = open_display1(&adapter, NULL);
    ok(status == STATUS_SUCCESS, "open: %#lx\n", status);
    status = create_device(adapter, &device);
    ok(status == STATUS_SUCCESS, "device: %#lx\n", status);
    status = create_alloc(device, &desc, &alloc);
    ok(status == STATUS_SUCCESS, "alloc: %#lx\n", status);
    ok(is_local_handle(adapter) && is_local_handle(device) && is_local_handle(alloc),
       "handles %#x %#x %#x\n", adapter, device, alloc);
    ok(device == adapter + 0x40, "adapter %#x, device %#x\n", adapter, device);
    ok(alloc == device + 0x40, "device %#x, allocation %#x\n", device, alloc);
    destroy_alloc(device, alloc);
    destroy_device(device);
    close_adapter(adapter);
}

static void test_query_video_memory_info(void)
{
    D3DKMT_QUERYVIDEOMEMORYINFO info;
    D3DKMT_HANDLE adapter;
    HANDLE process;
    NTSTATUS status;
    int group;

    open_display1(&adapter, NULL);
    status = pQueryVideoMemoryInfo(NULL);
    ok(status == STATUS_INVALID_PARAMETER, "NULL: got %#lx\n", status);

    for (group = 0; group <= 1; group++)
    {
        memset(&info, 0, sizeof(info));
        info.hAdapter = adapter;
        info.MemorySegmentGroup = group;
        status = pQueryVideoMemoryInfo(&info);
        ok(status == STATUS_SUCCESS, "group %d: %#lx\n", group, status);
        ok(info.Budget > 0, "group %d: budget 0\n", group);
        ok(info.Budget >= info.AvailableForReservation, "group %d: budget %I64u < available %I64u\n",
           group, info.Budget, info.AvailableForReservation);
        ok(info.CurrentUsage <= info.Budget, "group %d: usage %I64u > budget %I64u\n", group, info.CurrentUsage, info.Budget);
        ok(info.CurrentReservation == 0, "group %d: reservation %I64u\n", group, info.CurrentReservation);

        info.hProcess = GetCurrentProcess();
        status = pQueryVideoMemoryInfo(&info);
        ok(status == STATUS_SUCCESS, "group %d, current process: %#lx\n", group, status);
    }

    memset(&info, 0, sizeof(info));
    info.hAdapter = adapter;
    info.MemorySegmentGroup = 2;
    status = pQueryVideoMemoryInfo(&info);
    ok(status == STATUS_INVALID_PARAMETER, "group 2: got %#lx\n", status);
    info.MemorySegmentGroup = 0;
    info.PhysicalAdapterIndex = 99;
    status = pQueryVideoMemoryInfo(&info);
    ok(status == STATUS_INVALID_PARAMETER, "physical adapter 99: got %#lx\n", status);
    info.PhysicalAdapterIndex = 0;
    info.hAdapter = 0xdead0040;
    status = pQueryVideoMemoryInfo(&info);
    ok(status == STATUS_INVALID_PARAMETER, "bad adapter: got %#lx\n", status);
    info.hAdapter = adapter;
    info.hProcess = (HANDLE)(ULONG_PTR)0xdeadbee0;
    status = pQueryVideoMemoryInfo(&info);
    ok(status == STATUS_INVALID_HANDLE, "bad process: got %#lx\n", status);

    process = OpenProcess(PROCESS_VM_READ, FALSE, GetCurrentProcessId());
    ok(process != NULL, "OpenProcess failed %lu\n", GetLastError());
    info.hProcess = process;
    status = pQueryVideoMemoryInfo(&info);
    ok(status == STATUS_ACCESS_DENIED, "no query right: got %#lx\n", status);
    CloseHandle(process);
    close_adapter(adapter);
}

/* A 32-bit process has at most 2-3 GiB of address space under Wine: with no
 * setting, its segments must leave most of it to the program. */
static void test_32bit_segment_defaults(void)
{
    UINT64 local = 0, nonlocal = 0;
    D3DKMT_HANDLE adapter;
    NTSTATUS status;
    char env[16];

    if (sizeof(void *) != 4 || GetEnvironmentVariableA("WINE_D3DKMT_VIDMEM_MB", env, sizeof(env)))
    {
        skip("not a 32-bit process with the default segment sizes\n");
        return;
    }
    status = open_display1(&adapter, NULL);
    ok(status == STATUS_SUCCESS, "OpenAdapterFromGdiDisplayName: %#lx\n", status);
    if (status) return;
    query_usage(adapter, D3DKMT_MEMORY_SEGMENT_GROUP_LOCAL, &local);
    query_usage(adapter, D3DKMT_MEMORY_SEGMENT_GROUP_NON_LOCAL, &nonlocal);
    ok(local && local <= (UINT64)D3DKMT_WINE_DEFAULT_LOCAL_SEGMENT_MB_32 << 20, "local budget %#llx\n", local);
    ok(nonlocal && nonlocal <= (UINT64)D3DKMT_WINE_MAX_NONLOCAL_SEGMENT_MB_32 << 20, "non-local budget %#llx\n",
       nonlocal);
    close_adapter(adapter);
}

START_TEST(adapter)
{
    if (!load_d3dkmt()) return;
    test_open_adapter_from_gdi_display_name();
    test_same_luid_as_gdi32();
    test_open_adapter_from_luid();
    test_close_adapter();
    test_close_adapter_with_devices();
    test_devices();
    test_handle_values();
    test_query_video_memory_info();
    test_32bit_segment_defaults();
}
