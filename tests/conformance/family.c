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
 * Conformance: the rest of the family around adapters and allocations.
 *
 *  - EnumAdapters2, OpenAdapterFromHdc, OpenAdapterFromDeviceName;
 *  - QueryAdapterInfo (versions, sizes, counts);
 *  - every CreateAllocation / CreateAllocation2 form and flag rule;
 *  - legacy sharing: QueryResourceInfo, OpenResource, OpenResource2;
 *  - Lock page lists and every lock flag; multi-allocation Unlock;
 *    DestroyAllocation2 flags and lists;
 *  - the resource forms of QueryAllocationResidency, GetAllocationPriority,
 *    OfferAllocations and ReclaimAllocations(2).
 *
 * [WIN] facts come from the spec digest (wddm-semantics.md, parts A and B).
 * Where Windows was never observed, the module's documented choice (README,
 * code comments) is asserted, and the comment says so.  Our driver's test
 * escape checks that rejected calls change nothing; on Windows (no escape)
 * that part is skipped.
 */
#include "d3dkmt_test.h"
#include <setupapi.h>

#define CPU_VISIBLE D3DKMT_WINE_ALLOC_FLAG_CPU_VISIBLE

/* GUID_DISPLAY_DEVICE_ARRIVAL (ntddvdeo.h): the display adapter interface. */
/* GUID_DISPLAY_DEVICE_ARRIVAL: the interface OpenAdapterFromDeviceName takes. */
static const GUID display_adapter_guid = {0x1ca05180, 0xa699, 0x450a, {0x9a, 0x0c, 0xde, 0x4f, 0xbe, 0x3d, 0xdd, 0x89}};
/* GUID_DEVINTERFACE_DISPLAY_ADAPTER: the same device's other interface, refused. */
static const GUID display_adapter_iface_guid = {0x5b45201d, 0xf2f2, 0x4f3b, {0x85, 0xbb, 0x30, 0xff, 0x1f, 0x95, 0x35, 0x99}};

static D3DKMT_HANDLE adapter, device;
static LUID display1_luid;
static BOOL have_escape;

static BOOL luid_equal(LUID a, LUID b)
{
    return a.LowPart == b.LowPart && a.HighPart == b.HighPart;
}

static BOOL is_global_handle(D3DKMT_HANDLE h)
{
    return (h & 0xc0000000) == 0xc0000000 && (h & 0x3f) == 2;
}

/* ---- our driver's statistics: rejected calls must change nothing ---- */

static void get_stats(D3DKMT_WINE_ESCAPE *stats)
{
    memset(stats, 0, sizeof(*stats));
    if (have_escape) wine_escape(adapter, D3DKMT_WINE_ESCAPE_QUERY_STATS, 0, stats);
}

#define check_unchanged(a, b) check_unchanged_(__LINE__, a, b)
static void check_unchanged_(int line, const D3DKMT_WINE_ESCAPE *before, const char *what)
{
    D3DKMT_WINE_ESCAPE after;
    NTSTATUS status;

    if (!have_escape) return;
    memset(&after, 0, sizeof(after));
    status = wine_escape(adapter, D3DKMT_WINE_ESCAPE_QUERY_STATS, 0, &after);
    wine_test_ok(__FILE__, line, status == STATUS_SUCCESS, "%s: stats escape: %#lx\n", what, status);
    wine_test_ok(__FILE__, line, after.Adapters == before->Adapters && after.Devices == before->Devices
                 && after.Resources == before->Resources && after.Allocations == before->Allocations,
                 "%s: objects changed: adapters %u -> %u, devices %u -> %u, resources %u -> %u, allocations %u -> %u\n",
                 what, before->Adapters, after.Adapters, before->Devices, after.Devices, before->Resources,
                 after.Resources, before->Allocations, after.Allocations);
    wine_test_ok(__FILE__, line, after.LocalUsage == before->LocalUsage && after.NonLocalUsage == before->NonLocalUsage
                 && after.BackingBytes == before->BackingBytes,
                 "%s: usage changed: local %I64u -> %I64u, non-local %I64u -> %I64u, backing %I64u -> %I64u\n",
                 what, before->LocalUsage, after.LocalUsage, before->NonLocalUsage, after.NonLocalUsage,
                 before->BackingBytes, after.BackingBytes);
}

/* ---- creation helpers: both CreateAllocation forms ---- */

struct alloc_req
{
    const void *sysmem;
    const void *data;       /* per-allocation private driver data */
    UINT size;
    UINT flags;             /* D3DDDI_ALLOCATIONINFO(2).Flags */
    UINT priority;          /* INFO2 only */
    UINT source;            /* VidPnSourceId */
};

static struct alloc_req req_of(const D3DKMT_WINE_ALLOCATION_DESC *desc)
{
    struct alloc_req req;

    memset(&req, 0, sizeof(req));
    req.data = desc;
    req.size = sizeof(*desc);
    return req;
}

static void set_create_flags(D3DKMT_CREATEALLOCATION *desc, UINT flags)
{
    memcpy(&desc->Flags, &flags, sizeof(flags));
}

/* The caller's fields are hDevice, hResource, flags and resource-level data;
 * hGlobalShare goes in as garbage (Windows always writes it). */
static void init_create(D3DKMT_CREATEALLOCATION *desc, D3DKMT_HANDLE dev, UINT flags)
{
    memset(desc, 0, sizeof(*desc));
    desc->hDevice = dev;
    desc->hGlobalShare = 0xdeadbeef;
    set_create_flags(desc, flags);
}

/* Builds the per-allocation array the function reads (INFO for
 * CreateAllocation, INFO2 for CreateAllocation2), hAllocation prefilled with
 * garbage, and returns the handles written. */
static NTSTATUS create_allocs(BOOL v2, D3DKMT_CREATEALLOCATION *desc, const struct alloc_req *reqs, UINT count,
                              D3DKMT_HANDLE *handles)
{
    D3DDDI_ALLOCATIONINFO info[8];
    D3DDDI_ALLOCATIONINFO2 info2[8];
    NTSTATUS status;
    UINT i;

    memset(info, 0, sizeof(info));
    memset(info2, 0, sizeof(info2));
    for (i = 0; i < count && i < ARRAY_SIZE(info); i++)
    {
        info[i].hAllocation = info2[i].hAllocation = 0xdeadbe00;
        info[i].pSystemMem = info2[i].pSystemMem = reqs[i].sysmem;
        info[i].pPrivateDriverData = info2[i].pPrivateDriverData = (void *)reqs[i].data;
        info[i].PrivateDriverDataSize = info2[i].PrivateDriverDataSize = reqs[i].size;
        info[i].VidPnSourceId = info2[i].VidPnSourceId = reqs[i].source;
        info[i].Flags.Value = info2[i].Flags.Value = reqs[i].flags;
        info2[i].Priority = reqs[i].priority;
    }
    desc->NumAllocations = count;
    if (v2) desc->pAllocationInfo2 = info2;
    else desc->pAllocationInfo = info;
    status = v2 ? pCreateAllocation2(desc) : pCreateAllocation(desc);
    for (i = 0; i < count && i < ARRAY_SIZE(info); i++)
        if (handles) handles[i] = v2 ? info2[i].hAllocation : info[i].hAllocation;
    desc->pAllocationInfo = NULL;   /* the arrays go with this frame */
    return status;
}

static NTSTATUS destroy_resource(D3DKMT_HANDLE dev, D3DKMT_HANDLE resource)
{
    D3DKMT_DESTROYALLOCATION desc;

    memset(&desc, 0, sizeof(desc));
    desc.hDevice = dev;
    desc.hResource = resource;
    return pDestroyAllocation(&desc);
}

static NTSTATUS destroy_list(D3DKMT_HANDLE dev, const D3DKMT_HANDLE *list, UINT count, UINT flags)
{
    D3DKMT_DESTROYALLOCATION2 desc;

    memset(&desc, 0, sizeof(desc));
    desc.hDevice = dev;
    desc.phAllocationList = list;
    desc.AllocationCount = count;
    desc.Flags.Value = flags;
    return pDestroyAllocation2(&desc);
}

/* Whether the allocation is still there: a lock works (and is undone). */
static BOOL alive(D3DKMT_HANDLE dev, D3DKMT_HANDLE alloc)
{
    if (lock_alloc(dev, alloc, 0, NULL)) return FALSE;
    unlock_alloc(dev, alloc);
    return TRUE;
}

static UINT get_priority(D3DKMT_HANDLE dev, D3DKMT_HANDLE alloc)
{
    D3DKMT_GETALLOCATIONPRIORITY get;
    UINT priority = 0xdeadbeef;
    NTSTATUS status;

    memset(&get, 0, sizeof(get));
    get.hDevice = dev;
    get.phAllocationList = &alloc;
    get.AllocationCount = 1;
    get.pPriorities = &priority;
    status = pGetAllocationPriority(&get);
    ok(status == STATUS_SUCCESS, "GetAllocationPriority: %#lx\n", status);
    return priority;
}

/* ======================================================================== */
/* Adapters                                                                  */
/* ======================================================================== */

static void test_enum_adapters2(void)
{
    D3DKMT_ADAPTERINFO infos[32];
    D3DKMT_ENUMADAPTERS2 desc;
    D3DKMT_CLOSEADAPTER close_desc;
    D3DKMT_WINE_ESCAPE before;
    BOOL found = FALSE;
    NTSTATUS status;
    ULONG i, j;

    status = pEnumAdapters2(NULL);
    ok(status == STATUS_INVALID_PARAMETER, "NULL: got %#lx\n", status);

    /* A NULL array asks for the maximum, not the number present. */
    memset(&desc, 0, sizeof(desc));
    status = pEnumAdapters2(&desc);
    ok(status == STATUS_SUCCESS, "zeroed: got %#lx\n", status);
    if (have_escape) ok(desc.NumAdapters == 32, "NumAdapters %lu\n", desc.NumAdapters);
    else ok(desc.NumAdapters == 32 /* win10 */ || desc.NumAdapters == 34 /* win11 */, "NumAdapters %lu\n", desc.NumAdapters);

    /* No room: nothing is opened. */
    get_stats(&before);
    desc.NumAdapters = 0;
    desc.pAdapters = infos;
    status = pEnumAdapters2(&desc);
    ok(status == STATUS_BUFFER_TOO_SMALL, "capacity 0: got %#lx\n", status);
    check_unchanged(&before, "EnumAdapters2 with capacity 0");

    memset(infos, 0xcc, sizeof(infos));
    desc.NumAdapters = ARRAY_SIZE(infos);
    desc.pAdapters = infos;
    status = pEnumAdapters2(&desc);
    ok(status == STATUS_SUCCESS, "capacity 32: got %#lx\n", status);
    if (status) return;
    ok(desc.NumAdapters >= 1 && desc.NumAdapters <= ARRAY_SIZE(infos), "NumAdapters %lu\n", desc.NumAdapters);
    if (have_escape)
    {
        D3DKMT_WINE_ESCAPE now;
        get_stats(&now);
        ok(now.Adapters == before.Adapters + desc.NumAdapters, "%u adapters open, %u before, %lu enumerated\n",
           now.Adapters, before.Adapters, desc.NumAdapters);
    }
    for (i = 0; i < desc.NumAdapters && i < ARRAY_SIZE(infos); i++)
    {
        ok(is_local_handle(infos[i].hAdapter), "adapter %lu: handle %#x\n", i, infos[i].hAdapter);
        ok(infos[i].hAdapter != adapter, "adapter %lu: the handle of an open adapter\n", i);
        for (j = 0; j < i; j++) ok(infos[i].hAdapter != infos[j].hAdapter, "adapters %lu and %lu share a handle\n", j, i);
        ok(infos[i].AdapterLuid.LowPart || infos[i].AdapterLuid.HighPart, "adapter %lu: zero LUID\n", i);
        ok(infos[i].NumOfSources >= 1, "adapter %lu: %lu sources\n", i, infos[i].NumOfSources);
        if (luid_equal(infos[i].AdapterLuid, display1_luid)) found = TRUE;
    }
    ok(found, "no adapter has DISPLAY1's LUID %08lx:%08lx\n", display1_luid.HighPart, display1_luid.LowPart);

    /* Every handle is the caller's to close, once. */
    for (i = 0; i < desc.NumAdapters && i < ARRAY_SIZE(infos); i++)
    {
        close_desc.hAdapter = infos[i].hAdapter;
        status = pCloseAdapter(&close_desc);
        ok(status == STATUS_SUCCESS, "adapter %lu: close: %#lx\n", i, status);
        status = pCloseAdapter(&close_desc);
        ok(status == STATUS_INVALID_PARAMETER, "adapter %lu: second close: got %#lx\n", i, status);
    }
    check_unchanged(&before, "EnumAdapters2 and closing every handle");
}

static UINT attached_displays(void)
{
    DISPLAY_DEVICEW display;
    UINT i, count = 0;

    memset(&display, 0, sizeof(display));
    display.cb = sizeof(display);

    for (i = 0; EnumDisplayDevicesW(NULL, i, &display, 0); i++)
        if (display.StateFlags & DISPLAY_DEVICE_ATTACHED_TO_DESKTOP) count++;
    return count;
}

static void test_open_adapter_from_hdc(void)
{
    D3DKMT_OPENADAPTERFROMHDC desc;
    D3DKMT_WINE_ESCAPE before;
    HDC dc, screen, mem, meta;
    NTSTATUS status;
    UINT displays = attached_displays();

    /* NULL crashes on Windows 10 2004 and later: not tested. */
    get_stats(&before);
    memset(&desc, 0, sizeof(desc));
    status = pOpenAdapterFromHdc(&desc);
    ok(status == STATUS_INVALID_PARAMETER, "hDc NULL: got %#lx\n", status);

    dc = CreateDCW(L"DISPLAY", NULL, NULL, NULL);
    ok(dc != NULL, "CreateDCW(DISPLAY) failed\n");
    memset(&desc, 0, sizeof(desc));
    desc.hDc = dc;
    status = pOpenAdapterFromHdc(&desc);
    ok(status == STATUS_SUCCESS, "display DC: got %#lx\n", status);
    if (!status)
    {
        ok(is_local_handle(desc.hAdapter) && desc.hAdapter != adapter, "handle %#x\n", desc.hAdapter);
        ok(luid_equal(desc.AdapterLuid, display1_luid), "LUID %08lx:%08lx, DISPLAY1 %08lx:%08lx\n",
           desc.AdapterLuid.HighPart, desc.AdapterLuid.LowPart, display1_luid.HighPart, display1_luid.LowPart);
        close_adapter(desc.hAdapter);
    }

    /* The screen DC: one adapter's if there is one display, else refused. */
    screen = GetDC(0);
    memset(&desc, 0, sizeof(desc));
    desc.hDc = screen;
    status = pOpenAdapterFromHdc(&desc);
    ok(status == (displays > 1 ? STATUS_INVALID_PARAMETER : STATUS_SUCCESS), "%u displays, screen DC: got %#lx\n",
       displays, status);
    if (!status)
    {
        ok(is_local_handle(desc.hAdapter), "handle %#x\n", desc.hAdapter);
        ok(luid_equal(desc.AdapterLuid, display1_luid), "screen DC: another LUID\n");
        close_adapter(desc.hAdapter);
    }
    ReleaseDC(0, screen);

    /* DCs that are not on a display (README: memory DCs are refused). */
    mem = CreateCompatibleDC(dc);
    memset(&desc, 0, sizeof(desc));
    desc.hDc = mem;
    status = pOpenAdapterFromHdc(&desc);
    ok(status == STATUS_INVALID_PARAMETER, "memory DC: got %#lx\n", status);
    if (!status) close_adapter(desc.hAdapter);
    DeleteDC(mem);

    meta = CreateMetaFileW(NULL);
    ok(meta != NULL, "CreateMetaFileW failed\n");
    memset(&desc, 0, sizeof(desc));
    desc.hDc = meta;
    status = pOpenAdapterFromHdc(&desc);
    ok(status == STATUS_INVALID_PARAMETER, "metafile DC: got %#lx\n", status);
    if (!status) close_adapter(desc.hAdapter);
    DeleteMetaFile(CloseMetaFile(meta));

    /* A deleted DC. */
    DeleteDC(dc);
    memset(&desc, 0, sizeof(desc));
    desc.hDc = dc;
    status = pOpenAdapterFromHdc(&desc);
    ok(status == STATUS_INVALID_PARAMETER, "deleted DC: got %#lx\n", status);
    if (!status) close_adapter(desc.hAdapter);
    check_unchanged(&before, "OpenAdapterFromHdc");
}

/* The device interface paths of the display adapters, the Windows way. */
static UINT get_adapter_interfaces(const GUID *guid, WCHAR names[][MAX_PATH], UINT max)
{
    SP_DEVICE_INTERFACE_DATA iface;
    union
    {
        SP_DEVICE_INTERFACE_DETAIL_DATA_W detail;
        BYTE bytes[sizeof(SP_DEVICE_INTERFACE_DETAIL_DATA_W) + MAX_PATH * sizeof(WCHAR)];
    } buffer;
    HDEVINFO set;
    UINT i, count = 0;

    memset(&iface, 0, sizeof(iface));
    iface.cbSize = sizeof(iface);
    set = SetupDiGetClassDevsW(guid, NULL, NULL, DIGCF_PRESENT | DIGCF_DEVICEINTERFACE);
    if (set == INVALID_HANDLE_VALUE) return 0;
    for (i = 0; count < max && SetupDiEnumDeviceInterfaces(set, NULL, guid, i, &iface); i++)
    {
        memset(&buffer, 0, sizeof(buffer));
        buffer.detail.cbSize = sizeof(buffer.detail);
        if (!SetupDiGetDeviceInterfaceDetailW(set, &iface, &buffer.detail, sizeof(buffer), NULL, NULL)) continue;
        lstrcpynW(names[count++], buffer.detail.DevicePath, MAX_PATH);
    }
    SetupDiDestroyDeviceInfoList(set);
    return count;
}

/* Fallback when SetupAPI has no display interface: the path built from the
 * GPUID of \Device\Video0 in the registry, as the module reads it
 * (dlls/d3dkmt/adapter.c, enum_display_sources and device_name_matches). */
static UINT get_registry_interface(WCHAR names[][MAX_PATH])
{
    static const WCHAR prefix[] = L"\\Registry\\Machine\\";
    WCHAR path[MAX_PATH], gpu_id[MAX_PATH], *p;
    DWORD size;

    size = sizeof(path);
    if (RegGetValueW(HKEY_LOCAL_MACHINE, L"HARDWARE\\DEVICEMAP\\VIDEO", L"\\Device\\Video0", RRF_RT_REG_SZ, NULL,
                     path, &size))
        return 0;
    if (_wcsnicmp(path, prefix, wcslen(prefix))) return 0;
    size = sizeof(gpu_id);
    if (RegGetValueW(HKEY_CURRENT_CONFIG, path + wcslen(prefix), L"GPUID", RRF_RT_REG_SZ, NULL, gpu_id, &size))
        return 0;
    for (p = gpu_id; *p; p++) if (*p == '\\') *p = '#';
    _snwprintf(names[0], MAX_PATH - 1, L"\\\\?\\%s#{1ca05180-a699-450a-9a0c-de4fbe3ddd89}", gpu_id);
    names[0][MAX_PATH - 1] = 0;
    return 1;
}

static void test_open_adapter_from_device_name(void)
{
    static const WCHAR unknown[] =
        L"\\\\?\\PCI#VEN_DEAD&DEV_BEEF&SUBSYS_00000000&REV_00#0#{1ca05180-a699-450a-9a0c-de4fbe3ddd89}";
    D3DKMT_OPENADAPTERFROMDEVICENAME desc;
    D3DKMT_WINE_ESCAPE before;
    WCHAR names[8][MAX_PATH];
    BOOL found = FALSE;
    NTSTATUS status;
    UINT i, count;

    get_stats(&before);
    status = pOpenAdapterFromDeviceName(NULL);
    ok(status == STATUS_INVALID_PARAMETER, "NULL: got %#lx\n", status);
    memset(&desc, 0, sizeof(desc));
    status = pOpenAdapterFromDeviceName(&desc);
    ok(status == STATUS_INVALID_PARAMETER, "NULL name: got %#lx\n", status);
    desc.pDeviceName = unknown;
    status = pOpenAdapterFromDeviceName(&desc);
    ok(status == STATUS_INVALID_PARAMETER, "unknown name: got %#lx\n", status);
    desc.pDeviceName = L"";
    status = pOpenAdapterFromDeviceName(&desc);
    ok(status == STATUS_INVALID_PARAMETER, "empty name: got %#lx\n", status);
    desc.pDeviceName = L"\\\\.\\DISPLAY1";   /* a GDI name is not a device name */
    status = pOpenAdapterFromDeviceName(&desc);
    ok(status == STATUS_INVALID_PARAMETER, "GDI name: got %#lx\n", status);
    check_unchanged(&before, "OpenAdapterFromDeviceName with bad names");

    if (!(count = get_adapter_interfaces(&display_adapter_guid, names, ARRAY_SIZE(names))))
    {
        trace("no display adapter interface from SetupAPI; using the registry's GPUID\n");
        count = get_registry_interface(names);
    }
    if (!count)
    {
        skip("no device interface name for the GPU\n");
        return;
    }
    for (i = 0; i < count; i++)
    {
        memset(&desc, 0, sizeof(desc));
        desc.pDeviceName = names[i];
        status = pOpenAdapterFromDeviceName(&desc);
        ok(status == STATUS_SUCCESS, "%ls: got %#lx\n", names[i], status);
        if (status) continue;
        ok(is_local_handle(desc.hAdapter) && desc.hAdapter != adapter, "handle %#x\n", desc.hAdapter);
        ok(desc.AdapterLuid.LowPart || desc.AdapterLuid.HighPart, "zero LUID\n");
        if (luid_equal(desc.AdapterLuid, display1_luid)) found = TRUE;
        close_adapter(desc.hAdapter);
    }
    ok(found, "no device name opens DISPLAY1's adapter\n");

    /* [WIN] the GUID_DEVINTERFACE_DISPLAY_ADAPTER interface of the same
     * device is refused; only GUID_DISPLAY_DEVICE_ARRIVAL paths open. */
    if (!(count = get_adapter_interfaces(&display_adapter_iface_guid, names, ARRAY_SIZE(names))))
    {
        trace("no GUID_DEVINTERFACE_DISPLAY_ADAPTER interface from SetupAPI; using the registry's GPUID\n");
        count = get_registry_interface(names);
        for (i = 0; i < count; i++)
            if (wcslen(names[i]) > 38) lstrcpyW(names[i] + wcslen(names[i]) - 38, L"{5b45201d-f2f2-4f3b-85bb-30ff1f953599}");
    }
    for (i = 0; i < count; i++)
    {
        memset(&desc, 0, sizeof(desc));
        desc.pDeviceName = names[i];
        status = pOpenAdapterFromDeviceName(&desc);
        ok(status == STATUS_INVALID_PARAMETER, "display adapter interface %ls: got %#lx\n", names[i], status);
        if (!status) close_adapter(desc.hAdapter);
    }
    check_unchanged(&before, "OpenAdapterFromDeviceName and CloseAdapter");
}

static NTSTATUS query_info(D3DKMT_HANDLE handle, KMTQUERYADAPTERINFOTYPE type, void *data, UINT size)
{
    D3DKMT_QUERYADAPTERINFO query;

    memset(&query, 0, sizeof(query));
    query.hAdapter = handle;
    query.Type = type;
    query.pPrivateDriverData = data;
    query.PrivateDriverDataSize = size;
    return pQueryAdapterInfo(&query);
}

static void test_query_adapter_info(void)
{
    D3DKMT_SEGMENTGROUPSIZEINFO group;
    D3DKMT_PHYSICAL_ADAPTER_COUNT physical;
    D3DKMT_SEGMENTSIZEINFO segment;
    D3DKMT_DRIVERVERSION version;
    D3DKMT_WDDM_2_0_CAPS caps;
    MEMORYSTATUSEX memory;
    UINT64 local_budget, nonlocal_budget, graphics_max;
    BOOL update;
    NTSTATUS status;

    status = pQueryAdapterInfo(NULL);
    ok(status == STATUS_INVALID_PARAMETER, "NULL: got %#lx\n", status);

    /* [WIN] NULL data or one byte short is refused. */
    status = query_info(adapter, KMTQAITYPE_DRIVERVERSION, NULL, sizeof(version));
    ok(status == STATUS_INVALID_PARAMETER, "version, NULL data: got %#lx\n", status);
    status = query_info(adapter, KMTQAITYPE_DRIVERVERSION, &version, sizeof(version) - 1);
    ok(status == STATUS_INVALID_PARAMETER, "version, short: got %#lx\n", status);
    version = 0;
    status = query_info(adapter, KMTQAITYPE_DRIVERVERSION, &version, sizeof(version));
    ok(status == STATUS_SUCCESS, "version: got %#lx\n", status);
    ok(version >= KMT_DRIVERVERSION_WDDM_1_3, "version %u\n", version);

    status = query_info(adapter, KMTQAITYPE_CHECKDRIVERUPDATESTATUS, NULL, sizeof(update));
    ok(status == STATUS_INVALID_PARAMETER, "update status, NULL data: got %#lx\n", status);
    status = query_info(adapter, KMTQAITYPE_CHECKDRIVERUPDATESTATUS, &update, sizeof(update) - 1);
    ok(status == STATUS_INVALID_PARAMETER, "update status, short: got %#lx\n", status);
    update = 0xdead;
    status = query_info(adapter, KMTQAITYPE_CHECKDRIVERUPDATESTATUS, &update, sizeof(update));
    ok(status == STATUS_SUCCESS, "update status: got %#lx\n", status);
    ok(update == FALSE, "update status %d\n", update);

    /* Sizes: consistent with the budgets and with each other. */
    query_usage(adapter, D3DKMT_MEMORY_SEGMENT_GROUP_LOCAL, &local_budget);
    query_usage(adapter, D3DKMT_MEMORY_SEGMENT_GROUP_NON_LOCAL, &nonlocal_budget);
    memset(&segment, 0xcc, sizeof(segment));
    status = query_info(adapter, KMTQAITYPE_GETSEGMENTSIZE, &segment, sizeof(segment));
    ok(status == STATUS_SUCCESS, "segment size: got %#lx\n", status);
    ok(segment.DedicatedVideoMemorySize >= local_budget, "dedicated %I64u < local budget %I64u\n",
       segment.DedicatedVideoMemorySize, local_budget);
    /* [CDOC] calculating-graphics-memory: system memory for graphics is at most max(RAM / 2, 64 MiB). */
    memset(&memory, 0, sizeof(memory));
    memory.dwLength = sizeof(memory);
    GlobalMemoryStatusEx(&memory);
    graphics_max = max(memory.ullTotalPhys / 2, 64ull << 20);
    ok(segment.DedicatedSystemMemorySize + segment.SharedSystemMemorySize <= graphics_max,
       "dedicated system %I64u + shared %I64u > %I64u\n", segment.DedicatedSystemMemorySize,
       segment.SharedSystemMemorySize, graphics_max);
    ok(segment.SharedSystemMemorySize > 0, "no shared system memory\n");
    status = query_info(adapter, KMTQAITYPE_GETSEGMENTSIZE, &segment, sizeof(segment) - 1);
    ok(status == STATUS_INVALID_PARAMETER, "segment size, short: got %#lx\n", status);

    memset(&group, 0xcc, sizeof(group));
    group.PhysicalAdapterIndex = 0;
    status = query_info(adapter, KMTQAITYPE_GETSEGMENTGROUPSIZE, &group, sizeof(group));
    ok(status == STATUS_SUCCESS, "segment group size: got %#lx\n", status);
    ok(group.LocalMemory == segment.DedicatedVideoMemorySize, "LocalMemory %I64u, dedicated %I64u\n",
       group.LocalMemory, segment.DedicatedVideoMemorySize);
    /* LegacyInfo is an output: the same three numbers as GETSEGMENTSIZE. */
    ok(group.LegacyInfo.DedicatedVideoMemorySize == segment.DedicatedVideoMemorySize,
       "LegacyInfo.DedicatedVideoMemorySize %#I64x, GETSEGMENTSIZE %#I64x\n",
       group.LegacyInfo.DedicatedVideoMemorySize, segment.DedicatedVideoMemorySize);
    ok(group.LegacyInfo.DedicatedSystemMemorySize == segment.DedicatedSystemMemorySize,
       "LegacyInfo.DedicatedSystemMemorySize %#I64x, GETSEGMENTSIZE %#I64x\n",
       group.LegacyInfo.DedicatedSystemMemorySize, segment.DedicatedSystemMemorySize);
    ok(group.LegacyInfo.SharedSystemMemorySize == segment.SharedSystemMemorySize,
       "LegacyInfo.SharedSystemMemorySize %#I64x, GETSEGMENTSIZE %#I64x\n",
       group.LegacyInfo.SharedSystemMemorySize, segment.SharedSystemMemorySize);
    ok(group.NonLocalMemory > 0, "NonLocalMemory 0\n");
    ok(group.LocalMemory >= local_budget, "LocalMemory %I64u < budget %I64u\n", group.LocalMemory, local_budget);
    ok(group.NonLocalMemory >= nonlocal_budget, "NonLocalMemory %I64u < budget %I64u\n", group.NonLocalMemory,
       nonlocal_budget);
    group.PhysicalAdapterIndex = 1;
    status = query_info(adapter, KMTQAITYPE_GETSEGMENTGROUPSIZE, &group, sizeof(group));
    ok(status == STATUS_INVALID_PARAMETER, "segment group size, physical adapter 1: got %#lx\n", status);

    physical.Count = 0xdead;
    status = query_info(adapter, KMTQAITYPE_PHYSICALADAPTERCOUNT, &physical, sizeof(physical));
    ok(status == STATUS_SUCCESS, "physical adapter count: got %#lx\n", status);
    ok(physical.Count == 1, "%u physical adapters\n", physical.Count);

    caps.Value = 0xdeadbeef;
    status = query_info(adapter, KMTQAITYPE_WDDM_2_0_CAPS, &caps, sizeof(caps));
    ok(status == STATUS_SUCCESS, "WDDM 2.0 caps: got %#lx\n", status);
    ok(!caps.Reserved, "reserved caps bits %#x\n", caps.Value);

    /* Bad adapters and types. */
    status = query_info(0, KMTQAITYPE_DRIVERVERSION, &version, sizeof(version));
    ok(status == STATUS_INVALID_PARAMETER, "adapter 0: got %#lx\n", status);
    status = query_info(0xdead0040, KMTQAITYPE_DRIVERVERSION, &version, sizeof(version));
    ok(status == STATUS_INVALID_PARAMETER, "bad adapter: got %#lx\n", status);
    status = query_info(device, KMTQAITYPE_DRIVERVERSION, &version, sizeof(version));
    ok(status == STATUS_INVALID_PARAMETER, "device as adapter: got %#lx\n", status);
    status = query_info(adapter, 1000, &version, sizeof(version));
    ok(status == STATUS_INVALID_PARAMETER, "type 1000: got %#lx\n", status);
}

/* ======================================================================== */
/* CreateAllocation and CreateAllocation2                                    */
/* ======================================================================== */

static void test_create_forms(BOOL v2)
{
    D3DKMT_WINE_ALLOCATION_DESC local = make_desc(65536, 0, CPU_VISIBLE);
    D3DKMT_WINE_ALLOCATION_DESC nonlocal = make_desc(65536, 1, 0);
    D3DKMT_CREATEALLOCATION create;
    D3DKMT_WINE_ESCAPE before, now;
    struct alloc_req reqs[3];
    D3DKMT_HANDLE h[3], res, more[2];
    UINT64 usage;
    NTSTATUS status;
    void *p;

    set_context("CreateAllocation%s", v2 ? "2" : "");
    get_stats(&before);

    /* Stand-alone. */
    init_create(&create, device, 0);
    reqs[0] = req_of(&local);
    usage = query_usage(adapter, D3DKMT_MEMORY_SEGMENT_GROUP_LOCAL, NULL);
    status = create_allocs(v2, &create, reqs, 1, h);
    ok(status == STATUS_SUCCESS, "stand-alone: %#lx\n", status);
    ok(is_local_handle(h[0]), "stand-alone: allocation %#x\n", h[0]);
    ok(!create.hResource, "stand-alone: resource %#x\n", create.hResource);
    ok(!create.hGlobalShare, "stand-alone: global share %#x\n", create.hGlobalShare);
    /* Video memory: the local segment's usage grows by the size. */
    ok(query_usage(adapter, D3DKMT_MEMORY_SEGMENT_GROUP_LOCAL, NULL) == usage + local.Size,
       "stand-alone: local usage did not grow by %I64u\n", local.Size);
    ok(lock_alloc(device, h[0], 0, &p) == STATUS_SUCCESS && p, "stand-alone: lock failed\n");
    unlock_alloc(device, h[0]);
    ok(destroy_alloc(device, h[0]) == STATUS_SUCCESS, "stand-alone: destroy failed\n");

    /* Several in one call: consecutive handles. */
    init_create(&create, device, 0);
    reqs[0] = req_of(&local);
    reqs[1] = req_of(&nonlocal);
    reqs[2] = req_of(&local);
    status = create_allocs(v2, &create, reqs, 3, h);
    ok(status == STATUS_SUCCESS, "three: %#lx\n", status);
    ok(is_local_handle(h[0]) && h[1] == h[0] + 0x40 && h[2] == h[1] + 0x40, "three: handles %#x %#x %#x\n",
       h[0], h[1], h[2]);
    ok(!create.hResource && !create.hGlobalShare, "three: resource %#x, global share %#x\n", create.hResource,
       create.hGlobalShare);
    ok(destroy_list(device, h, 3, 0) == STATUS_SUCCESS, "three: destroy failed\n");

    /* With a new resource: the resource handle first, then the allocations. */
    init_create(&create, device, 0x1 /* CreateResource */);
    reqs[0] = req_of(&local);
    reqs[1] = req_of(&nonlocal);
    status = create_allocs(v2, &create, reqs, 2, h);
    ok(status == STATUS_SUCCESS, "new resource: %#lx\n", status);
    res = create.hResource;
    ok(is_local_handle(res), "new resource: resource %#x\n", res);
    ok(h[0] == res + 0x40 && h[1] == res + 0x80, "new resource: resource %#x, allocations %#x %#x\n", res, h[0], h[1]);
    ok(!create.hGlobalShare, "new resource: global share %#x\n", create.hGlobalShare);

    /* Added to that resource. */
    init_create(&create, device, 0);
    create.hResource = res;
    reqs[0] = req_of(&local);
    reqs[1] = req_of(&local);
    status = create_allocs(v2, &create, reqs, 2, more);
    ok(status == STATUS_SUCCESS, "added: %#lx\n", status);
    ok(is_local_handle(more[0]) && more[1] == more[0] + 0x40, "added: allocations %#x %#x\n", more[0], more[1]);
    ok(create.hResource == res, "added: resource became %#x\n", create.hResource);
    ok(!create.hGlobalShare, "added: global share %#x\n", create.hGlobalShare);
    /* ... and they go with the resource. */
    if (have_escape)
    {
        get_stats(&now);
        ok(now.Resources == before.Resources + 1 && now.Allocations == before.Allocations + 4,
           "resources %u, allocations %u (before %u, %u)\n", now.Resources, now.Allocations, before.Resources,
           before.Allocations);
    }
    ok(destroy_resource(device, res) == STATUS_SUCCESS, "destroy resource failed\n");
    ok(!alive(device, h[0]) && !alive(device, h[1]), "the resource's first allocations survived\n");
    ok(!alive(device, more[0]) && !alive(device, more[1]), "the added allocations survived\n");
    ok(destroy_alloc(device, more[0]) == STATUS_INVALID_PARAMETER, "added allocation destroyed again\n");
    check_unchanged(&before, "create forms, then destroy");

    /* Adding needs an existing resource of this device. */
    init_create(&create, device, 0);
    create.hResource = device;
    reqs[0] = req_of(&local);
    status = create_allocs(v2, &create, reqs, 1, h);
    ok(status == STATUS_INVALID_HANDLE, "device as resource: got %#lx\n", status);
    check_unchanged(&before, "adding to a non-resource");
}

static void test_create_memory_kinds(BOOL v2)
{
    D3DKMT_WINE_ALLOCATION_DESC sys = make_desc(65536, 1, 0), local = make_desc(65536, 0, CPU_VISIBLE);
    BYTE runtime[40], resource_data[24];
    D3DKMT_CREATEALLOCATION create;
    D3DKMT_WINE_ESCAPE before;
    struct alloc_req reqs[2];
    D3DKMT_HANDLE h[2];
    char *mem = VirtualAlloc(NULL, 65536, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    NTSTATUS status;
    char *p;

    set_context("CreateAllocation%s", v2 ? "2" : "");
    get_stats(&before);

    /* System memory: the lock is exactly the caller's memory. */
    init_create(&create, device, 0);
    reqs[0] = req_of(&sys);
    reqs[0].sysmem = mem;
    status = create_allocs(v2, &create, reqs, 1, h);
    ok(status == STATUS_SUCCESS, "system memory: %#lx\n", status);
    ok(!create.hGlobalShare, "system memory: global share %#x\n", create.hGlobalShare);
    mem[4096] = 0x5a;
    status = lock_alloc(device, h[0], 0, (void **)&p);
    ok(status == STATUS_SUCCESS, "system memory: lock: %#lx\n", status);
    ok(p == mem, "system memory: lock gave %p, memory %p\n", p, mem);
    if (!status && p == mem) p[8192] = 0x33;
    unlock_alloc(device, h[0]);
    ok(mem[8192] == 0x33, "system memory: write through the lock not seen\n");
    destroy_alloc(device, h[0]);

    /* Resource-level driver data and runtime data, with and without a resource
     * ([WIN] runtime data is accepted even without CreateResource). */
    memset(runtime, 0x11, sizeof(runtime));
    memset(resource_data, 0x22, sizeof(resource_data));
    init_create(&create, device, 0);
    create.pPrivateRuntimeData = runtime;
    create.PrivateRuntimeDataSize = sizeof(runtime);
    create.pPrivateDriverData = resource_data;
    create.PrivateDriverDataSize = sizeof(resource_data);
    reqs[0] = req_of(&local);
    status = create_allocs(v2, &create, reqs, 1, h);
    ok(status == STATUS_SUCCESS, "resource data without a resource: %#lx\n", status);
    ok(!create.hResource && !create.hGlobalShare, "resource %#x, global share %#x\n", create.hResource, create.hGlobalShare);
    ok(create.PrivateRuntimeDataSize == sizeof(runtime) && create.PrivateDriverDataSize == sizeof(resource_data),
       "sizes changed to %u, %u\n", create.PrivateRuntimeDataSize, create.PrivateDriverDataSize);
    destroy_alloc(device, h[0]);
    create.PrivateDriverDataSize = 0;
    create.pPrivateDriverData = NULL;
    status = create_allocs(v2, &create, reqs, 1, h);
    ok(status == STATUS_SUCCESS, "runtime data only, no resource: %#lx\n", status);
    destroy_alloc(device, h[0]);

    init_create(&create, device, 0x1 /* CreateResource */);
    create.pPrivateRuntimeData = runtime;
    create.PrivateRuntimeDataSize = sizeof(runtime);
    create.pPrivateDriverData = resource_data;
    create.PrivateDriverDataSize = sizeof(resource_data);
    reqs[0] = req_of(&local);
    reqs[1] = req_of(&sys);
    reqs[1].sysmem = mem;
    status = create_allocs(v2, &create, reqs, 2, h);
    ok(status == STATUS_SUCCESS, "resource with data, video and system memory: %#lx\n", status);
    ok(is_local_handle(create.hResource) && !create.hGlobalShare, "resource %#x, global share %#x\n",
       create.hResource, create.hGlobalShare);
    status = lock_alloc(device, h[1], 0, (void **)&p);
    ok(status == STATUS_SUCCESS && p == mem, "system memory in a resource: lock %#lx, %p, memory %p\n", status, p, mem);
    if (!status) unlock_alloc(device, h[1]);
    ok(destroy_resource(device, create.hResource) == STATUS_SUCCESS, "destroy resource failed\n");
    check_unchanged(&before, "memory kinds, then destroy");
    VirtualFree(mem, 0, MEM_RELEASE);
}

static void test_create_info_flags(BOOL v2)
{
    D3DKMT_WINE_ALLOCATION_DESC local = make_desc(65536, 0, CPU_VISIBLE);
    D3DKMT_CREATEALLOCATION create;
    D3DKMT_WINE_ESCAPE before;
    struct alloc_req req;
    D3DKMT_HANDLE h;
    NTSTATUS status;

    set_context("CreateAllocation%s", v2 ? "2" : "");
    get_stats(&before);

    /* Primary, with or without Stereo; Stereo alone is invalid. */
    init_create(&create, device, 0);
    req = req_of(&local);
    req.flags = 0x1;
    status = create_allocs(v2, &create, &req, 1, &h);
    ok(status == STATUS_SUCCESS, "Primary: %#lx\n", status);
    if (!status) destroy_alloc(device, h);
    req.flags = 0x3;
    status = create_allocs(v2, &create, &req, 1, &h);
    ok(status == STATUS_SUCCESS, "Primary|Stereo: %#lx\n", status);
    if (!status) destroy_alloc(device, h);
    req.flags = 0x2;
    status = create_allocs(v2, &create, &req, 1, &h);
    ok(status == STATUS_INVALID_PARAMETER, "Stereo alone: got %#lx\n", status);
    req.flags = 0x80000000;
    status = create_allocs(v2, &create, &req, 1, &h);
    ok(status == STATUS_INVALID_PARAMETER, "reserved allocation flag: got %#lx\n", status);

    req = req_of(&local);
    req.flags = 0x4;  /* OverridePriority: INFO2 only; a reserved bit of INFO */
    req.priority = 0x50000001;
    status = create_allocs(v2, &create, &req, 1, &h);
    if (v2)
    {
        ok(status == STATUS_SUCCESS, "OverridePriority: %#lx\n", status);
        if (!status)
        {
            ok(get_priority(device, h) == 0x50000001, "priority %#x\n", get_priority(device, h));
            destroy_alloc(device, h);
        }
        /* [DOC] 0 is not a valid initial priority. */
        req.priority = 0;
        status = create_allocs(v2, &create, &req, 1, &h);
        ok(status == STATUS_INVALID_PARAMETER, "OverridePriority with 0: got %#lx\n", status);
        /* Without OverridePriority the field is ignored: the default priority (normal). */
        req.flags = 0;
        req.priority = 0x50000001;
        status = create_allocs(v2, &create, &req, 1, &h);
        ok(status == STATUS_SUCCESS, "Priority without the flag: %#lx\n", status);
        if (!status)
        {
            ok(get_priority(device, h) == D3DDDI_ALLOCATIONPRIORITY_NORMAL, "priority %#x\n", get_priority(device, h));
            destroy_alloc(device, h);
        }
    }
    else ok(status == STATUS_INVALID_PARAMETER, "INFO flag 0x4: got %#lx\n", status);
    check_unchanged(&before, "allocation flags");
}

static void test_create_flags(BOOL v2)
{
    static const struct { UINT flags; const char *name; } invalid[] =
    {
        { 0x2, "CreateShared without CreateResource" },
        { 0x41, "NtSecuritySharing without CreateShared" },
        { 0x40, "NtSecuritySharing alone" },
        { 0x9, "CreateProtected" },
        { 0x101, "CreateWriteCombined" },
        { 0x201, "CreateCached" },
        { 0x1001, "OpenCrossAdapter" },
        { 0x8, "CreateProtected alone" },
        { 0x100, "CreateWriteCombined alone" },
        { 0x200, "CreateCached alone" },
        { 0x1000, "OpenCrossAdapter alone" },
        { 0x400000, "reserved 0x400000" },
        { 0x400001, "reserved 0x400000 with CreateResource" },
        { 0x800000, "reserved 0x800000" },
        { 0x80000000, "reserved 0x80000000" },
    };
    D3DKMT_WINE_ALLOCATION_DESC local = make_desc(65536, 0, CPU_VISIBLE);
    D3DKMT_CREATEALLOCATION create;
    D3DKMT_WINE_ESCAPE before;
    struct alloc_req req = req_of(&local);
    D3DKMT_HANDLE h;
    NTSTATUS status;
    UINT i;

    set_context("CreateAllocation%s", v2 ? "2" : "");
    get_stats(&before);
    for (i = 0; i < ARRAY_SIZE(invalid); i++)
    {
        init_create(&create, device, invalid[i].flags);
        h = 0xdeadbe00;
        status = create_allocs(v2, &create, &req, 1, &h);
        ok(status == STATUS_INVALID_PARAMETER, "%s (%#x): got %#lx\n", invalid[i].name, invalid[i].flags, status);
        if (!status) destroy_alloc(device, h);
    }
    check_unchanged(&before, "invalid creation flags");
}

/* ======================================================================== */
/* Legacy sharing: QueryResourceInfo, OpenResource, OpenResource2            */
/* ======================================================================== */

struct shared_data
{
    D3DKMT_WINE_ALLOCATION_DESC desc;
    BYTE extra[16];     /* kept for the caller, returned by OpenResource */
};

static NTSTATUS query_resource(D3DKMT_HANDLE dev, D3DKMT_HANDLE global, void *buffer, UINT size,
                               D3DKMT_QUERYRESOURCEINFO *out)
{
    memset(out, 0xcc, sizeof(*out));
    out->hDevice = dev;
    out->hGlobalShare = global;
    out->pPrivateRuntimeData = buffer;
    out->PrivateRuntimeDataSize = size;
    return pQueryResourceInfo(out);
}

struct open_desc
{
    D3DKMT_OPENRESOURCE desc;
    D3DDDI_OPENALLOCATIONINFO info[4];
    D3DDDI_OPENALLOCATIONINFO2 info2[4];
    BYTE runtime[64], resource[64], total[256], opaque[64];
};

static void init_open(struct open_desc *o, BOOL v2, D3DKMT_HANDLE dev, D3DKMT_HANDLE global, UINT count,
                      UINT runtime_size, UINT resource_size, UINT total_size)
{
    UINT i;

    memset(o, 0, sizeof(*o));
    memset(o->runtime, 0xcd, sizeof(o->runtime));
    memset(o->resource, 0xcd, sizeof(o->resource));
    memset(o->total, 0xcd, sizeof(o->total));
    memset(o->opaque, 0xcd, sizeof(o->opaque));
    for (i = 0; i < ARRAY_SIZE(o->info); i++)
    {
        o->info[i].hAllocation = o->info2[i].hAllocation = 0xdeadbe00;
        o->info[i].pPrivateDriverData = o->info2[i].pPrivateDriverData = o->opaque;
        o->info[i].PrivateDriverDataSize = o->info2[i].PrivateDriverDataSize = 0x1234;
        o->info2[i].GpuVirtualAddress = 0xdeadbeef;
    }
    o->desc.hDevice = dev;
    o->desc.hGlobalShare = global;
    o->desc.NumAllocations = count;
    if (v2) o->desc.pOpenAllocationInfo2 = o->info2;
    else o->desc.pOpenAllocationInfo = o->info;
    o->desc.pPrivateRuntimeData = o->runtime;
    o->desc.PrivateRuntimeDataSize = runtime_size;
    o->desc.pResourcePrivateDriverData = o->resource;
    o->desc.ResourcePrivateDriverDataSize = resource_size;
    o->desc.pTotalPrivateDriverDataBuffer = o->total;
    o->desc.TotalPrivateDriverDataBufferSize = total_size;
    o->desc.hResource = 0xdeadbe00;
}

static NTSTATUS open_resource(struct open_desc *o, BOOL v2)
{
    return v2 ? pOpenResource2(&o->desc) : pOpenResource(&o->desc);
}

static D3DKMT_HANDLE opened_alloc(const struct open_desc *o, BOOL v2, UINT i)
{
    return v2 ? o->info2[i].hAllocation : o->info[i].hAllocation;
}

static BOOL all_bytes(const BYTE *p, BYTE value, UINT size)
{
    while (size--) if (*p++ != value) return FALSE;
    return TRUE;
}

static void test_legacy_sharing(void)
{
    static const UINT pattern = 0x5eed1234;
    D3DKMT_WINE_ALLOCATION_DESC plain = make_desc(65536, 0, CPU_VISIBLE);
    struct shared_data data1, data2;
    BYTE runtime[20], resource_data[24], buffer[64];
    D3DKMT_QUERYRESOURCEINFO query;
    D3DKMT_CREATEALLOCATION create;
    D3DKMT_WINE_ESCAPE before, base, now;
    struct open_desc o;
    struct alloc_req reqs[2];
    D3DKMT_HANDLE dev2, res, global, h[2], opened[2] = {0}, opened_allocs[2][2] = {{0}}, extra;
    UINT *p, *q, total = sizeof(data1.desc) + sizeof(data2), i;
    NTSTATUS status;
    BOOL v2;

    if (!pQueryResourceInfo || !pOpenResource || !pOpenResource2)
    {
        skip("QueryResourceInfo or OpenResource(2) is missing\n");
        return;
    }
    get_stats(&base);
    memset(runtime, 0x11, sizeof(runtime));
    memset(resource_data, 0x22, sizeof(resource_data));
    data1.desc = make_desc(65536, 0, CPU_VISIBLE);
    memset(data1.extra, 0x33, sizeof(data1.extra));
    data2.desc = make_desc(2 * 65536, 1, 0);
    memset(data2.extra, 0x44, sizeof(data2.extra));

    /* NtSecuritySharing: no global handle, written as 0. */
    init_create(&create, device, 0x43 /* CreateResource|CreateShared|NtSecuritySharing */);
    reqs[0] = req_of(&plain);
    status = create_allocs(TRUE, &create, reqs, 1, h);
    ok(status == STATUS_SUCCESS, "NtSecuritySharing: %#lx\n", status);
    ok(!create.hGlobalShare, "NtSecuritySharing: global share %#x\n", create.hGlobalShare);
    if (!status) destroy_resource(device, create.hResource);

    /* Legacy sharing: a global handle. */
    init_create(&create, device, 0x3 /* CreateResource|CreateShared */);
    create.pPrivateRuntimeData = runtime;
    create.PrivateRuntimeDataSize = sizeof(runtime);
    create.pPrivateDriverData = resource_data;
    create.PrivateDriverDataSize = sizeof(resource_data);
    reqs[0] = req_of(&data1.desc);          /* 32 bytes */
    reqs[1] = req_of(&data2.desc);
    reqs[1].data = &data2;
    reqs[1].size = sizeof(data2);           /* 48 bytes */
    status = create_allocs(TRUE, &create, reqs, 2, h);
    ok(status == STATUS_SUCCESS, "shared resource: %#lx\n", status);
    if (status) return;
    res = create.hResource;
    global = create.hGlobalShare;
    ok(is_local_handle(res) && h[0] == res + 0x40 && h[1] == res + 0x80, "resource %#x, allocations %#x %#x\n",
       res, h[0], h[1]);
    ok(is_global_handle(global), "global share %#x\n", global);

    ok(create_device(adapter, &dev2) == STATUS_SUCCESS, "second device failed\n");
    get_stats(&before);

    /* QueryResourceInfo: [WIN] a local handle is refused. */
    status = query_resource(dev2, res, buffer, sizeof(buffer), &query);
    ok(status == STATUS_INVALID_PARAMETER, "query with the local handle: got %#lx\n", status);
    status = query_resource(dev2, h[0], buffer, sizeof(buffer), &query);
    ok(status == STATUS_INVALID_PARAMETER, "query with an allocation handle: got %#lx\n", status);
    status = query_resource(dev2, 0, buffer, sizeof(buffer), &query);
    ok(status == STATUS_INVALID_PARAMETER, "query with no handle: got %#lx\n", status);
    status = query_resource(0, global, buffer, sizeof(buffer), &query);
    ok(status == STATUS_INVALID_PARAMETER, "query with no device: got %#lx\n", status);
    /* [WIN] sizes only: the runtime data is not copied, even into a large buffer. */
    memset(buffer, 0xcd, sizeof(buffer));
    status = query_resource(dev2, global, buffer, sizeof(buffer), &query);
    ok(status == STATUS_SUCCESS, "query: %#lx\n", status);
    ok(query.PrivateRuntimeDataSize == sizeof(runtime), "PrivateRuntimeDataSize %u\n", query.PrivateRuntimeDataSize);
    ok(all_bytes(buffer, 0xcd, sizeof(buffer)), "the runtime data was copied\n");
    ok(query.NumAllocations == 2, "NumAllocations %u\n", query.NumAllocations);
    ok(query.TotalPrivateDriverDataSize == total, "TotalPrivateDriverDataSize %u, expected %u\n",
       query.TotalPrivateDriverDataSize, total);
    ok(query.ResourcePrivateDriverDataSize == sizeof(resource_data), "ResourcePrivateDriverDataSize %u\n",
       query.ResourcePrivateDriverDataSize);
    ok(query.hGlobalShare == global && query.hDevice == dev2, "inputs changed\n");
    memset(buffer, 0xcd, sizeof(buffer));
    status = query_resource(dev2, global, buffer, 1, &query);
    ok(status == STATUS_SUCCESS, "query with a 1-byte buffer: %#lx\n", status);
    ok(query.PrivateRuntimeDataSize == sizeof(runtime), "1-byte buffer: PrivateRuntimeDataSize %u\n",
       query.PrivateRuntimeDataSize);
    ok(all_bytes(buffer, 0xcd, sizeof(buffer)), "1-byte buffer: the runtime data was copied\n");
    status = query_resource(dev2, global, NULL, 0, &query);
    ok(status == STATUS_SUCCESS, "query without a buffer: %#lx\n", status);
    ok(query.PrivateRuntimeDataSize == sizeof(runtime), "no buffer: PrivateRuntimeDataSize %u\n",
       query.PrivateRuntimeDataSize);
    check_unchanged(&before, "QueryResourceInfo");

    for (v2 = FALSE; v2 <= TRUE; v2++)
    {
        set_context("OpenResource%s", v2 ? "2" : "");
        get_stats(&before);

        init_open(&o, v2, dev2, global, 0, sizeof(runtime), sizeof(resource_data), total);
        status = open_resource(&o, v2);
        ok(status == STATUS_INVALID_PARAMETER, "0 allocations: got %#lx\n", status);
        init_open(&o, v2, dev2, global, 1, sizeof(runtime), sizeof(resource_data), total);
        status = open_resource(&o, v2);
        ok(status == STATUS_INVALID_PARAMETER, "1 allocation of 2: got %#lx\n", status);
        /* [WIN] the runtime and resource data sizes must match exactly. */
        init_open(&o, v2, dev2, global, 2, sizeof(runtime) + 1, sizeof(resource_data), total);
        status = open_resource(&o, v2);
        ok(status == STATUS_INVALID_PARAMETER, "runtime size + 1: got %#lx\n", status);
        init_open(&o, v2, dev2, global, 2, sizeof(runtime) - 1, sizeof(resource_data), total);
        status = open_resource(&o, v2);
        ok(status == STATUS_INVALID_PARAMETER, "runtime size - 1: got %#lx\n", status);
        init_open(&o, v2, dev2, global, 2, sizeof(runtime), sizeof(resource_data) + 1, total);
        status = open_resource(&o, v2);
        ok(status == STATUS_INVALID_PARAMETER, "resource data size + 1: got %#lx\n", status);
        /* One byte short of the total: STATUS_NO_MEMORY (the module's choice,
         * as [WIN] OpenResourceFromNtHandle does). */
        init_open(&o, v2, dev2, global, 2, sizeof(runtime), sizeof(resource_data), total - 1);
        status = open_resource(&o, v2);
        ok(status == STATUS_NO_MEMORY, "total buffer one byte short: got %#lx\n", status);
        /* [WIN] a local handle is refused. */
        init_open(&o, v2, dev2, res, 2, sizeof(runtime), sizeof(resource_data), total);
        status = open_resource(&o, v2);
        ok(status == STATUS_INVALID_PARAMETER, "local handle: got %#lx\n", status);
        init_open(&o, v2, dev2, global, 2, sizeof(runtime), sizeof(resource_data), total);
        o.desc.pTotalPrivateDriverDataBuffer = NULL;
        status = open_resource(&o, v2);
        ok(status == STATUS_INVALID_PARAMETER, "no total buffer: got %#lx\n", status);
        check_unchanged(&before, "rejected opens");
        ok(all_bytes(o.runtime, 0xcd, sizeof(o.runtime)) && all_bytes(o.opaque, 0xcd, sizeof(o.opaque)),
           "a rejected open wrote data\n");

        /* A larger total buffer is fine. */
        init_open(&o, v2, dev2, global, 2, sizeof(runtime), sizeof(resource_data), sizeof(o.total));
        status = open_resource(&o, v2);
        ok(status == STATUS_SUCCESS, "open: %#lx\n", status);
        if (status) continue;
        opened[v2] = o.desc.hResource;
        opened_allocs[v2][0] = opened_alloc(&o, v2, 0);
        opened_allocs[v2][1] = opened_alloc(&o, v2, 1);
        ok(is_local_handle(opened[v2]) && opened[v2] != res, "resource %#x\n", opened[v2]);
        for (i = 0; i < 2; i++)
        {
            ok(is_local_handle(opened_allocs[v2][i]) && opened_allocs[v2][i] != h[i] && opened_allocs[v2][i] != opened[v2],
               "allocation %u: %#x\n", i, opened_allocs[v2][i]);
            ok((v2 ? o.info2[i].pPrivateDriverData : o.info[i].pPrivateDriverData) == o.opaque,
               "allocation %u: pPrivateDriverData changed\n", i);
            if (v2) ok(!o.info2[i].GpuVirtualAddress, "allocation %u: GPU VA %I64x\n", i, o.info2[i].GpuVirtualAddress);
        }
        ok((v2 ? o.info2[0].PrivateDriverDataSize : o.info[0].PrivateDriverDataSize) == sizeof(data1.desc)
           && (v2 ? o.info2[1].PrivateDriverDataSize : o.info[1].PrivateDriverDataSize) == sizeof(data2),
           "PrivateDriverDataSize not rewritten\n");
        ok(all_bytes(o.opaque, 0xcd, sizeof(o.opaque)), "the caller's pPrivateDriverData buffer was written\n");
        ok(o.desc.TotalPrivateDriverDataBufferSize == total, "TotalPrivateDriverDataBufferSize %u, expected %u\n",
           o.desc.TotalPrivateDriverDataBufferSize, total);
        ok(!memcmp(o.total, &data1.desc, sizeof(data1.desc)) && !memcmp(o.total + sizeof(data1.desc), &data2, sizeof(data2)),
           "the total buffer does not hold the allocations' data\n");
        ok(all_bytes(o.total + total, 0xcd, sizeof(o.total) - total), "written past the data\n");
        ok(!memcmp(o.runtime, runtime, sizeof(runtime)) && all_bytes(o.runtime + sizeof(runtime), 0xcd, 1),
           "runtime data not copied\n");
        ok(!memcmp(o.resource, resource_data, sizeof(resource_data)), "resource data not copied\n");
        ok(o.desc.hGlobalShare == global, "global share changed to %#x\n", o.desc.hGlobalShare);
        ok(o.desc.NumAllocations == 2 && o.desc.PrivateRuntimeDataSize == sizeof(runtime)
           && o.desc.ResourcePrivateDriverDataSize == sizeof(resource_data), "inputs changed\n");
        if (have_escape)
        {
            /* New handles, the same memory. */
            get_stats(&now);
            ok(now.Resources == before.Resources + 1 && now.Allocations == before.Allocations + 2,
               "resources %u -> %u, allocations %u -> %u\n", before.Resources, now.Resources, before.Allocations,
               now.Allocations);
            ok(now.LocalUsage == before.LocalUsage && now.NonLocalUsage == before.NonLocalUsage,
               "opening used memory\n");
        }

        /* The opener locks the creator's memory: the same pointer, the same bytes. */
        status = lock_alloc(device, h[0], 0, (void **)&p);
        ok(status == STATUS_SUCCESS, "creator lock: %#lx\n", status);
        if (status) continue;
        p[0] = pattern + v2;
        p[16383] = ~pattern;
        status = lock_alloc(dev2, opened_allocs[v2][0], 0, (void **)&q);
        ok(status == STATUS_SUCCESS, "opener lock: %#lx\n", status);
        ok(q == p, "opener got %p, creator %p\n", q, p);
        if (!status && q) ok(q[0] == pattern + v2 && q[16383] == ~pattern, "the creator's writes are not seen\n");
        if (!status) unlock_alloc(dev2, opened_allocs[v2][0]);
        unlock_alloc(device, h[0]);
        /* A device cannot use the other device's handle. */
        ok(lock_alloc(device, opened_allocs[v2][0], 0, NULL) == STATUS_INVALID_PARAMETER, "creator locked the opener's handle\n");
    }
    set_context(NULL);

    /* A total buffer of exactly the size needed. */
    init_open(&o, TRUE, dev2, global, 2, sizeof(runtime), sizeof(resource_data), total);
    status = pOpenResource2(&o.desc);
    ok(status == STATUS_SUCCESS, "open with an exact total buffer: %#lx\n", status);
    if (!status)
    {
        ok(o.desc.TotalPrivateDriverDataBufferSize == total, "exact: TotalPrivateDriverDataBufferSize %u\n",
           o.desc.TotalPrivateDriverDataBufferSize);
        ok(!memcmp(o.total, &data1.desc, sizeof(data1.desc)) && !memcmp(o.total + sizeof(data1.desc), &data2, sizeof(data2)),
           "exact: the total buffer does not hold the allocations' data\n");
        ok(all_bytes(o.total + total, 0xcd, sizeof(o.total) - total), "exact: written past the buffer\n");
        ok(destroy_resource(dev2, o.desc.hResource) == STATUS_SUCCESS, "exact: destroy failed\n");
    }

    /* [DOC] no allocation may be added to a shared resource, nor to an opened one. */
    get_stats(&before);
    init_create(&create, device, 0);
    create.hResource = res;
    reqs[0] = req_of(&plain);
    status = create_allocs(TRUE, &create, reqs, 1, &extra);
    ok(status == STATUS_INVALID_PARAMETER, "adding to the shared resource: got %#lx\n", status);
    init_create(&create, dev2, 0);
    create.hResource = opened[1];
    status = create_allocs(TRUE, &create, reqs, 1, &extra);
    ok(status == STATUS_INVALID_PARAMETER, "adding to an opened resource: got %#lx\n", status);
    init_create(&create, device, 0);
    create.hResource = res;
    status = create_allocs(FALSE, &create, reqs, 1, &extra);
    ok(status == STATUS_INVALID_PARAMETER, "adding to the shared resource (v1): got %#lx\n", status);
    check_unchanged(&before, "adding to shared resources");

    /* The creator goes; the opened resources keep the memory and its content. */
    ok(destroy_resource(device, res) == STATUS_SUCCESS, "destroying the creator's resource failed\n");
    ok(!alive(device, h[0]), "the creator's allocation survived\n");
    for (v2 = FALSE; v2 <= TRUE; v2++)
    {
        status = lock_alloc(dev2, opened_allocs[v2][0], 1 /* ReadOnly */, (void **)&q);
        ok(status == STATUS_SUCCESS, "opened %u after the creator went: lock: %#lx\n", v2, status);
        if (!status && q) ok(q[0] == pattern + 1 && q[16383] == ~pattern, "opened %u: content lost\n", v2);
        if (!status) unlock_alloc(dev2, opened_allocs[v2][0]);
        ok(alive(dev2, opened_allocs[v2][1]), "opened %u: second allocation gone\n", v2);
    }
    ok(destroy_resource(dev2, opened[0]) == STATUS_SUCCESS, "destroying opened resource 0 failed\n");
    ok(!alive(dev2, opened_allocs[0][0]), "opened allocation survived its resource\n");
    ok(alive(dev2, opened_allocs[1][0]), "the other opened resource lost its memory\n");
    ok(destroy_resource(dev2, opened[1]) == STATUS_SUCCESS, "destroying opened resource 1 failed\n");
    ok(destroy_resource(dev2, opened[1]) == STATUS_INVALID_PARAMETER, "destroyed twice\n");
    destroy_device(dev2);
    check_unchanged(&base, "the whole sharing test");
}

/* A shared standard allocation: no resource-level driver data, some per
 * allocation ([WIN] ResourcePrivateDriverDataSize 0, TotalPrivateDriverDataSize > 0). */
static void test_shared_standard_allocation(void)
{
    D3DKMT_CREATESTANDARDALLOCATION standard;
    D3DKMT_CREATEALLOCATION create;
    D3DDDI_ALLOCATIONINFO2 info;
    D3DKMT_QUERYRESOURCEINFO query;
    D3DKMT_WINE_ESCAPE base;
    struct open_desc o;
    D3DKMT_HANDLE dev2;
    void *mem = VirtualAlloc(NULL, 0x10000, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE), *p;
    NTSTATUS status;

    if (!pQueryResourceInfo || !pOpenResource2) return;
    get_stats(&base);
    memset(&standard, 0, sizeof(standard));
    standard.Type = D3DKMT_STANDARDALLOCATIONTYPE_EXISTINGHEAP;
    standard.ExistingHeapData.Size = 0x10000;
    memset(&info, 0, sizeof(info));
    info.pSystemMem = mem;
    init_create(&create, device, 0x10023 /* StandardAllocation|ExistingSysMem|CreateShared|CreateResource */);
    create.pStandardAllocation = &standard;
    create.NumAllocations = 1;
    create.pAllocationInfo2 = &info;
    status = pCreateAllocation2(&create);
    ok(status == STATUS_SUCCESS, "shared standard allocation: %#lx\n", status);
    if (status) return;
    ok(is_global_handle(create.hGlobalShare), "global share %#x\n", create.hGlobalShare);

    create_device(adapter, &dev2);
    status = query_resource(dev2, create.hGlobalShare, NULL, 0, &query);
    ok(status == STATUS_SUCCESS, "query: %#lx\n", status);
    ok(query.NumAllocations == 1, "NumAllocations %u\n", query.NumAllocations);
    ok(query.ResourcePrivateDriverDataSize == 0, "ResourcePrivateDriverDataSize %u\n", query.ResourcePrivateDriverDataSize);
    ok(query.TotalPrivateDriverDataSize > 0 && query.TotalPrivateDriverDataSize <= sizeof(o.total),
       "TotalPrivateDriverDataSize %u\n", query.TotalPrivateDriverDataSize);
    ok(query.PrivateRuntimeDataSize == 0, "PrivateRuntimeDataSize %u\n", query.PrivateRuntimeDataSize);

    init_open(&o, TRUE, dev2, create.hGlobalShare, 1, 0, 0, query.TotalPrivateDriverDataSize);
    status = pOpenResource2(&o.desc);
    ok(status == STATUS_SUCCESS, "open: %#lx\n", status);
    if (!status)
    {
        ok(all_bytes(o.resource, 0xcd, sizeof(o.resource)), "resource buffer written\n");
        ok(o.desc.TotalPrivateDriverDataBufferSize == query.TotalPrivateDriverDataSize, "TotalPrivateDriverDataBufferSize %u\n",
           o.desc.TotalPrivateDriverDataBufferSize);
        ok(o.info2[0].PrivateDriverDataSize == query.TotalPrivateDriverDataSize, "PrivateDriverDataSize %u\n",
           o.info2[0].PrivateDriverDataSize);
        /* The opener locks the very memory the creator wrapped. */
        status = lock_alloc(dev2, o.info2[0].hAllocation, 0, &p);
        ok(status == STATUS_SUCCESS && p == mem, "opener lock: %#lx, %p, memory %p\n", status, p, mem);
        if (!status) unlock_alloc(dev2, o.info2[0].hAllocation);
        destroy_resource(dev2, o.desc.hResource);
    }
    destroy_device(dev2);
    destroy_resource(device, create.hResource);
    check_unchanged(&base, "shared standard allocation");
    VirtualFree(mem, 0, MEM_RELEASE);
}

/* ======================================================================== */
/* Lock flags and page lists, Unlock lists, DestroyAllocation2               */
/* ======================================================================== */

static NTSTATUS lock_pages(D3DKMT_HANDLE alloc, UINT flags, const UINT *pages, UINT count, D3DKMT_LOCK *out)
{
    memset(out, 0, sizeof(*out));
    out->hDevice = device;
    out->hAllocation = alloc;
    out->Flags.Value = flags;
    out->pPages = pages;
    out->NumPages = count;
    return pLock(out);
}

static void test_lock_flags(void)
{
    static const struct { UINT flags; const char *name; } valid[] =
    {
        { 0x001, "ReadOnly" },
        { 0x002, "WriteOnly" },
        { 0x004, "DonotWait" },
        { 0x008, "IgnoreSync" },
        { 0x010, "LockEntire" },
        { 0x020, "DonotEvict" },
        { 0x040, "AcquireAperture" },
        { 0x080, "Discard" },
        { 0x100, "NoExistingReference" },
        { 0x400, "IgnoreReadSync" },
        { 0x240, "UseAlternateVA|AcquireAperture" },
        /* [DOC] IgnoreSync and DonotWait have no effect with Discard. */
        { 0x088, "Discard|IgnoreSync" },
        { 0x084, "Discard|DonotWait" },
        { 0x180, "Discard|NoExistingReference" },
        { 0x00c, "DonotWait|IgnoreSync" },
        { 0x011, "ReadOnly|LockEntire" },
    };
    static const struct { UINT flags; const char *name; } invalid[] =
    {
        /* The pairs lock.c does not try already. */
        { 0x208, "UseAlternateVA|IgnoreSync" },
        { 0x248, "UseAlternateVA|AcquireAperture|IgnoreSync" },
        { 0x083, "ReadOnly|WriteOnly|Discard" },
        { 0x213, "UseAlternateVA without AcquireAperture, with others" },
        { 0x1000, "reserved 0x1000" },
        { 0x80000000, "reserved 0x80000000" },
        { 0x80000001, "ReadOnly with reserved 0x80000000" },
    };
    D3DKMT_WINE_ALLOCATION_DESC desc = make_desc(4 * 4096, 0, CPU_VISIBLE), sys = make_desc(4 * 4096, 1, 0);
    D3DKMT_CREATEALLOCATION create;
    struct alloc_req req;
    D3DKMT_HANDLE alloc, sysalloc;
    D3DKMT_LOCK lock;
    UINT pages[4];
    void *base, *mem = VirtualAlloc(NULL, 4 * 4096, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    NTSTATUS status;
    UINT i;

    ok(create_alloc(device, &desc, &alloc) == STATUS_SUCCESS, "create failed\n");
    ok(lock_alloc(device, alloc, 0, &base) == STATUS_SUCCESS && base, "plain lock failed\n");
    unlock_alloc(device, alloc);

    for (i = 0; i < ARRAY_SIZE(valid); i++)
    {
        status = lock_pages(alloc, valid[i].flags, NULL, 0, &lock);
        ok(status == STATUS_SUCCESS, "%s: %#lx\n", valid[i].name, status);
        if (status) continue;
        ok(lock.pData == base, "%s: pointer %p, plain lock %p\n", valid[i].name, lock.pData, base);
        /* No renaming (WDDM 2): the handle stays. */
        ok(lock.hAllocation == alloc, "%s: handle became %#x\n", valid[i].name, lock.hAllocation);
        ok(!lock.GpuVirtualAddress, "%s: GPU VA %I64x\n", valid[i].name, lock.GpuVirtualAddress);
        ok(unlock_alloc(device, alloc) == STATUS_SUCCESS, "%s: unlock failed\n", valid[i].name);
    }

    for (i = 0; i < ARRAY_SIZE(invalid); i++)
    {
        status = lock_pages(alloc, invalid[i].flags, NULL, 0, &lock);
        ok(status == STATUS_INVALID_PARAMETER, "%s (%#x): got %#lx\n", invalid[i].name, invalid[i].flags, status);
        if (!status) unlock_alloc(device, alloc);
    }
    /* [DOC] LockEntire: NumPages 0 and pPages NULL (lock.c has both set). */
    pages[0] = 0;
    status = lock_pages(alloc, 0x10, pages, 0, &lock);
    ok(status == STATUS_INVALID_PARAMETER, "LockEntire with a page list of 0 entries: got %#lx\n", status);
    status = lock_pages(alloc, 0x10, NULL, 1, &lock);
    ok(status == STATUS_INVALID_PARAMETER, "LockEntire with NumPages only: got %#lx\n", status);
    /* A rejected lock is not a lock. */
    ok(unlock_alloc(device, alloc) == STATUS_INVALID_PARAMETER, "a rejected lock left the allocation locked\n");

    /* Page lists: the pointer is the allocation's first page, as for a plain
     * lock (the module's reading of "points to the first memory page"). */
    pages[0] = 2; pages[1] = 0;
    status = lock_pages(alloc, 0, pages, 2, &lock);
    ok(status == STATUS_SUCCESS, "pages 2, 0: %#lx\n", status);
    ok(lock.pData == base, "pages 2, 0: pointer %p, plain lock %p\n", lock.pData, base);
    if (!status) unlock_alloc(device, alloc);
    pages[0] = 3;
    status = lock_pages(alloc, 0x1 /* ReadOnly */, pages, 1, &lock);
    ok(status == STATUS_SUCCESS && lock.pData == base, "page 3, ReadOnly: %#lx, %p\n", status, lock.pData);
    if (!status) unlock_alloc(device, alloc);
    for (i = 0; i < 4; i++) pages[i] = i;
    status = lock_pages(alloc, 0x80 /* Discard */, pages, 4, &lock);
    ok(status == STATUS_SUCCESS && lock.pData == base, "every page, Discard: %#lx, %p\n", status, lock.pData);
    if (!status) unlock_alloc(device, alloc);
    /* A page list nests with a plain lock. */
    ok(lock_alloc(device, alloc, 0, NULL) == STATUS_SUCCESS, "plain lock failed\n");
    pages[0] = 1;
    status = lock_pages(alloc, 0, pages, 1, &lock);
    ok(status == STATUS_SUCCESS && lock.pData == base, "nested page lock: %#lx, %p\n", status, lock.pData);
    ok(unlock_alloc(device, alloc) == STATUS_SUCCESS && unlock_alloc(device, alloc) == STATUS_SUCCESS,
       "two unlocks failed\n");
    destroy_alloc(device, alloc);

    /* System memory: page lists and flags give the caller's memory. */
    init_create(&create, device, 0);
    req = req_of(&sys);
    req.sysmem = mem;
    ok(create_allocs(TRUE, &create, &req, 1, &sysalloc) == STATUS_SUCCESS, "system memory allocation failed\n");
    pages[0] = 1; pages[1] = 3;
    status = lock_pages(sysalloc, 0, pages, 2, &lock);
    ok(status == STATUS_SUCCESS && lock.pData == mem, "system memory, pages: %#lx, %p, memory %p\n", status, lock.pData, mem);
    if (!status) unlock_alloc(device, sysalloc);
    for (i = 0; i < ARRAY_SIZE(valid); i++)
    {
        status = lock_pages(sysalloc, valid[i].flags, NULL, 0, &lock);
        ok(status == STATUS_SUCCESS && lock.pData == mem, "system memory, %s: %#lx, %p\n", valid[i].name, status,
           lock.pData);
        if (!status) unlock_alloc(device, sysalloc);
    }
    destroy_alloc(device, sysalloc);
    VirtualFree(mem, 0, MEM_RELEASE);
}

static NTSTATUS unlock_list(D3DKMT_HANDLE dev, const D3DKMT_HANDLE *list, UINT count)
{
    D3DKMT_UNLOCK desc;

    memset(&desc, 0, sizeof(desc));
    desc.hDevice = dev;
    desc.NumAllocations = count;
    desc.phAllocations = list;
    return pUnlock(&desc);
}

static void test_multi_unlock(void)
{
    D3DKMT_WINE_ALLOCATION_DESC desc = make_desc(4096, 0, CPU_VISIBLE);
    D3DKMT_CREATEALLOCATION create;
    struct alloc_req reqs[2] = { req_of(&desc), req_of(&desc) };
    D3DKMT_HANDLE a, b, c, d, dev2, r[2], list[4];
    NTSTATUS status;

    create_alloc(device, &desc, &a);
    create_alloc(device, &desc, &b);
    create_alloc(device, &desc, &c);
    init_create(&create, device, 0x1);
    ok(create_allocs(TRUE, &create, reqs, 2, r) == STATUS_SUCCESS, "resource failed\n");

    /* Three allocations, b locked twice and listed twice. */
    lock_alloc(device, a, 0, NULL);
    lock_alloc(device, b, 0, NULL);
    lock_alloc(device, b, 0, NULL);
    lock_alloc(device, c, 0, NULL);
    list[0] = a; list[1] = b; list[2] = c; list[3] = b;
    status = unlock_list(device, list, 4);
    ok(status == STATUS_SUCCESS, "a, b, c, b: %#lx\n", status);
    ok(unlock_alloc(device, a) == STATUS_INVALID_PARAMETER && unlock_alloc(device, b) == STATUS_INVALID_PARAMETER
       && unlock_alloc(device, c) == STATUS_INVALID_PARAMETER, "something is still locked\n");

    /* All or nothing (the module's choice): one entry not locked unlocks none. */
    lock_alloc(device, a, 0, NULL);
    lock_alloc(device, b, 0, NULL);
    list[0] = a; list[1] = b; list[2] = c;
    status = unlock_list(device, list, 3);
    ok(status == STATUS_INVALID_PARAMETER, "c not locked: got %#lx\n", status);
    ok(unlock_alloc(device, a) == STATUS_SUCCESS && unlock_alloc(device, b) == STATUS_SUCCESS,
       "the failed call unlocked a or b\n");

    /* Another device's allocation is not in this device's list. */
    create_device(adapter, &dev2);
    create_alloc(dev2, &desc, &d);
    lock_alloc(dev2, d, 0, NULL);
    lock_alloc(device, a, 0, NULL);
    list[0] = a; list[1] = d;
    status = unlock_list(device, list, 2);
    ok(status == STATUS_INVALID_PARAMETER, "foreign allocation: got %#lx\n", status);
    ok(unlock_alloc(device, a) == STATUS_SUCCESS, "a was unlocked by the failed call\n");
    ok(unlock_alloc(dev2, d) == STATUS_SUCCESS, "d was unlocked by the failed call\n");
    destroy_device(dev2);

    /* Stand-alone and resource allocations together; a resource handle is not an allocation. */
    lock_alloc(device, a, 0, NULL);
    lock_alloc(device, r[0], 0, NULL);
    lock_alloc(device, r[1], 0, NULL);
    list[0] = r[1]; list[1] = a; list[2] = r[0];
    status = unlock_list(device, list, 3);
    ok(status == STATUS_SUCCESS, "mixed owners: %#lx\n", status);
    lock_alloc(device, a, 0, NULL);
    list[0] = a; list[1] = create.hResource;
    status = unlock_list(device, list, 2);
    ok(status == STATUS_INVALID_PARAMETER, "resource handle in the list: got %#lx\n", status);
    list[0] = a;
    status = unlock_list(device, list, 0);
    ok(status == STATUS_INVALID_PARAMETER, "0 entries: got %#lx\n", status);
    status = unlock_list(0, list, 1);
    ok(status == STATUS_INVALID_PARAMETER, "no device: got %#lx\n", status);
    ok(unlock_alloc(device, a) == STATUS_SUCCESS, "a was unlocked by a failed call\n");

    destroy_resource(device, create.hResource);
    destroy_alloc(device, a);
    destroy_alloc(device, b);
    destroy_alloc(device, c);
}

static void test_destroy_allocation2(void)
{
    D3DKMT_WINE_ALLOCATION_DESC desc = make_desc(4096, 0, CPU_VISIBLE);
    D3DKMT_CREATEALLOCATION create, create2;
    struct alloc_req reqs[2] = { req_of(&desc), req_of(&desc) };
    D3DKMT_DESTROYALLOCATION2 destroy;
    D3DKMT_WINE_ESCAPE before;
    D3DKMT_HANDLE a, b, r[2], s[2], list[2];
    NTSTATUS status;

    get_stats(&before);
    create_alloc(device, &desc, &a);
    create_alloc(device, &desc, &b);

    /* SystemUseOnly is the OS's; the module refuses it (VIDMM_DESTROY_FLAGS_VALID). */
    status = destroy_list(device, &a, 1, 0x80000000);
    ok(status == STATUS_INVALID_PARAMETER, "SystemUseOnly: got %#lx\n", status);
    ok(alive(device, a), "SystemUseOnly destroyed the allocation\n");
    status = destroy_list(device, &a, 1, 0x4);
    ok(status == STATUS_INVALID_PARAMETER, "reserved 0x4: got %#lx\n", status);
    ok(alive(device, a), "a reserved flag destroyed the allocation\n");
    status = destroy_list(device, &a, 1, 0x1 /* AssumeNotInUse */);
    ok(status == STATUS_SUCCESS, "AssumeNotInUse: %#lx\n", status);
    ok(!alive(device, a), "AssumeNotInUse: still there\n");
    status = destroy_list(device, &b, 1, 0x2 /* SynchronousDestroy */);
    ok(status == STATUS_SUCCESS, "SynchronousDestroy: %#lx\n", status);
    ok(!alive(device, b), "SynchronousDestroy: still there\n");

    /* Lists: [DOC] if one belongs to a resource, all must belong to that resource. */
    init_create(&create, device, 0x1);
    ok(create_allocs(TRUE, &create, reqs, 2, r) == STATUS_SUCCESS, "resource 1 failed\n");
    init_create(&create2, device, 0x1);
    ok(create_allocs(FALSE, &create2, reqs, 2, s) == STATUS_SUCCESS, "resource 2 failed\n");
    create_alloc(device, &desc, &a);
    list[0] = a; list[1] = r[0];
    status = destroy_list(device, list, 2, 0);
    ok(status == STATUS_INVALID_PARAMETER, "stand-alone and resource allocation: got %#lx\n", status);
    list[0] = r[1]; list[1] = s[0];
    status = destroy_list(device, list, 2, 0);
    ok(status == STATUS_INVALID_PARAMETER, "two resources' allocations: got %#lx\n", status);
    ok(alive(device, a) && alive(device, r[0]) && alive(device, r[1]) && alive(device, s[0]),
       "a rejected list destroyed something\n");
    list[0] = r[1]; list[1] = r[0];
    status = destroy_list(device, list, 2, 0x3);
    ok(status == STATUS_SUCCESS, "both of one resource: %#lx\n", status);
    ok(!alive(device, r[0]) && !alive(device, r[1]), "the resource's allocations survived\n");

    /* The resource form, with flags; a stale list is ignored. */
    memset(&destroy, 0, sizeof(destroy));
    destroy.hDevice = device;
    destroy.hResource = create.hResource;   /* empty now, but still there */
    destroy.phAllocationList = (void *)(ULONG_PTR)0xdeadbeef;
    destroy.Flags.Value = 0x1;
    status = pDestroyAllocation2(&destroy);
    ok(status == STATUS_SUCCESS, "empty resource: %#lx\n", status);
    destroy.hResource = create2.hResource;
    destroy.Flags.Value = 0x2;
    status = pDestroyAllocation2(&destroy);
    ok(status == STATUS_SUCCESS, "resource: %#lx\n", status);
    ok(!alive(device, s[0]) && !alive(device, s[1]), "the resource's allocations survived\n");
    destroy.Flags.Value = 0x80000000;
    destroy.hResource = create2.hResource;
    status = pDestroyAllocation2(&destroy);
    ok(status == STATUS_INVALID_PARAMETER, "stale resource, SystemUseOnly: got %#lx\n", status);
    destroy_alloc(device, a);
    check_unchanged(&before, "DestroyAllocation2");
}

/* ======================================================================== */
/* Resource forms: residency, priority, offer/reclaim                        */
/* ======================================================================== */

static NTSTATUS query_residency(D3DKMT_HANDLE resource, const D3DKMT_HANDLE *list, UINT count,
                                D3DKMT_ALLOCATIONRESIDENCYSTATUS *status_out)
{
    D3DKMT_QUERYALLOCATIONRESIDENCY query;

    memset(&query, 0, sizeof(query));
    query.hDevice = device;
    query.hResource = resource;
    query.phAllocationList = list;
    query.AllocationCount = count;
    query.pResidencyStatus = status_out;
    return pQueryAllocationResidency(&query);
}

static void test_query_residency_resource(void)
{
    D3DKMT_WINE_ALLOCATION_DESC visible = make_desc(65536, 0, CPU_VISIBLE), hidden = make_desc(65536, 0, 0);
    D3DKMT_ALLOCATIONRESIDENCYSTATUS residency[2];
    D3DKMT_CREATEALLOCATION create;
    struct alloc_req reqs[2] = { req_of(&visible), req_of(&hidden) };
    D3DKMT_HANDLE h[2], res;
    NTSTATUS status;

    init_create(&create, device, 0x1);
    ok(create_allocs(TRUE, &create, reqs, 2, h) == STATUS_SUCCESS, "resource failed\n");
    res = create.hResource;

    /* One status for the whole resource. */
    residency[0] = residency[1] = 0xdead;
    status = query_residency(res, NULL, 0, residency);
    ok(status == STATUS_SUCCESS, "resource: %#lx\n", status);
    ok(residency[0] == D3DKMT_ALLOCATIONRESIDENCYSTATUS_RESIDENTINGPUMEMORY, "resource: residency %u\n", residency[0]);
    ok(residency[1] == 0xdead, "resource: a second status was written\n");

    /* Locking the allocation the CPU cannot see in video memory moves it to
     * system memory: then the resource is not resident as a whole. */
    ok(lock_alloc(device, h[1], 0, NULL) == STATUS_SUCCESS, "lock failed\n");
    unlock_alloc(device, h[1]);
    residency[0] = residency[1] = 0xdead;
    status = query_residency(0, h, 2, residency);
    ok(status == STATUS_SUCCESS, "list: %#lx\n", status);
    ok(residency[0] == D3DKMT_ALLOCATIONRESIDENCYSTATUS_RESIDENTINGPUMEMORY
       && residency[1] == D3DKMT_ALLOCATIONRESIDENCYSTATUS_NOTRESIDENT, "list: residency %u %u\n",
       residency[0], residency[1]);
    residency[0] = residency[1] = 0xdead;
    status = query_residency(res, NULL, 0, residency);
    ok(status == STATUS_SUCCESS, "resource: %#lx\n", status);
    ok(residency[0] == D3DKMT_ALLOCATIONRESIDENCYSTATUS_NOTRESIDENT, "resource with one not resident: residency %u\n",
       residency[0]);
    ok(residency[1] == 0xdead, "resource: a second status was written\n");

    /* Bad forms. */
    status = query_residency(res, h, 1, residency);
    ok(status == STATUS_INVALID_PARAMETER, "resource and list: got %#lx\n", status);
    status = query_residency(res, h, 0, residency);
    ok(status == STATUS_INVALID_PARAMETER, "resource and a list pointer: got %#lx\n", status);
    status = query_residency(res, NULL, 1, residency);
    ok(status == STATUS_INVALID_PARAMETER, "resource and a count: got %#lx\n", status);
    status = query_residency(0, NULL, 0, residency);
    ok(status == STATUS_INVALID_PARAMETER, "neither: got %#lx\n", status);
    status = query_residency(res, NULL, 0, NULL);
    ok(status == STATUS_INVALID_PARAMETER, "resource, NULL status: got %#lx\n", status);
    status = query_residency(0, h, 2, NULL);
    ok(status == STATUS_INVALID_PARAMETER, "list, NULL status: got %#lx\n", status);
    status = query_residency(h[0], NULL, 0, residency);
    ok(status == STATUS_INVALID_PARAMETER, "allocation as resource: got %#lx\n", status);
    status = query_residency(0xdead0040, NULL, 0, residency);
    ok(status == STATUS_INVALID_PARAMETER, "bad resource: got %#lx\n", status);
    ok(pQueryAllocationResidency(NULL) == STATUS_INVALID_PARAMETER, "NULL accepted\n");

    destroy_resource(device, res);
    status = query_residency(res, NULL, 0, residency);
    ok(status == STATUS_INVALID_PARAMETER, "destroyed resource: got %#lx\n", status);
}

static void test_priority_resource(void)
{
    D3DKMT_WINE_ALLOCATION_DESC desc = make_desc(65536, 0, CPU_VISIBLE);
    D3DKMT_GETALLOCATIONPRIORITY get;
    D3DKMT_SETALLOCATIONPRIORITY set;
    D3DKMT_CREATEALLOCATION create;
    struct alloc_req reqs[2] = { req_of(&desc), req_of(&desc) };
    D3DKMT_HANDLE h[2], res;
    UINT out[2], value;
    NTSTATUS status;

    reqs[0].flags = reqs[1].flags = 0x4;   /* OverridePriority */
    reqs[0].priority = reqs[1].priority = D3DDDI_ALLOCATIONPRIORITY_HIGH;
    init_create(&create, device, 0x1);
    ok(create_allocs(TRUE, &create, reqs, 2, h) == STATUS_SUCCESS, "resource failed\n");
    res = create.hResource;

    memset(&get, 0, sizeof(get));
    get.hDevice = device;
    get.hResource = res;
    get.pPriorities = out;
    out[0] = out[1] = 0xdeadbeef;
    status = pGetAllocationPriority(&get);
    ok(status == STATUS_SUCCESS, "resource: %#lx\n", status);
    ok(out[0] == D3DDDI_ALLOCATIONPRIORITY_HIGH, "resource: priority %#x\n", out[0]);
    ok(out[1] == 0xdeadbeef, "resource: a second priority was written\n");

    /* The resource form of Set gives every allocation the one value. */
    memset(&set, 0, sizeof(set));
    set.hDevice = device;
    set.hResource = res;
    value = D3DDDI_ALLOCATIONPRIORITY_LOW + 1;
    set.pPriorities = &value;
    status = pSetAllocationPriority(&set);
    ok(status == STATUS_SUCCESS, "set resource: %#lx\n", status);
    ok(get_priority(device, h[0]) == value && get_priority(device, h[1]) == value, "priorities %#x %#x\n",
       get_priority(device, h[0]), get_priority(device, h[1]));
    out[0] = 0;
    status = pGetAllocationPriority(&get);
    ok(status == STATUS_SUCCESS && out[0] == value, "resource after set: %#lx, %#x\n", status, out[0]);

    /* Bad forms. */
    get.phAllocationList = h;
    get.AllocationCount = 1;
    ok(pGetAllocationPriority(&get) == STATUS_INVALID_PARAMETER, "resource and list accepted\n");
    get.AllocationCount = 0;
    ok(pGetAllocationPriority(&get) == STATUS_INVALID_PARAMETER, "resource and a list pointer accepted\n");
    get.phAllocationList = NULL;
    get.pPriorities = NULL;
    ok(pGetAllocationPriority(&get) == STATUS_INVALID_PARAMETER, "NULL priorities accepted\n");
    get.pPriorities = out;
    get.hResource = h[0];
    ok(pGetAllocationPriority(&get) == STATUS_INVALID_PARAMETER, "allocation as resource accepted\n");
    get.hResource = 0;
    ok(pGetAllocationPriority(&get) == STATUS_INVALID_PARAMETER, "neither accepted\n");

    destroy_resource(device, res);
}

static NTSTATUS offer_resources(D3DKMT_HANDLE *resources, const D3DKMT_HANDLE *allocs, UINT count, UINT flags)
{
    D3DKMT_OFFERALLOCATIONS desc;

    memset(&desc, 0, sizeof(desc));
    desc.hDevice = device;
    desc.pResources = resources;
    desc.HandleList = allocs;
    desc.NumAllocations = count;
    desc.Priority = D3DKMT_OFFER_PRIORITY_NORMAL;
    desc.Flags.Value = flags;
    return pOfferAllocations(&desc);
}

static NTSTATUS reclaim_resources(D3DKMT_HANDLE *resources, const D3DKMT_HANDLE *allocs, UINT count, BOOL *discarded)
{
    D3DKMT_RECLAIMALLOCATIONS desc;

    memset(&desc, 0, sizeof(desc));
    desc.hDevice = device;
    desc.pResources = resources;
    desc.HandleList = allocs;
    desc.NumAllocations = count;
    desc.pDiscarded = discarded;
    return pReclaimAllocations(&desc);
}

static void test_offer_reclaim_resource(void)
{
    D3DKMT_WINE_ALLOCATION_DESC desc = make_desc(65536, 0, CPU_VISIBLE);
    D3DKMT_CREATEALLOCATION create;
    D3DKMT_CREATEPAGINGQUEUE queue;
    D3DKMT_RECLAIMALLOCATIONS2 reclaim2;
    D3DDDI_DESTROYPAGINGQUEUE destroy_queue;
    D3DDDI_RECLAIM_RESULT results[2];
    struct alloc_req reqs[2] = { req_of(&desc), req_of(&desc) };
    D3DKMT_HANDLE r1[2], r2[1], res[2], alloc, dev2, foreign;
    BOOL discarded[3];
    NTSTATUS status;

    init_create(&create, device, 0x1);
    ok(create_allocs(TRUE, &create, reqs, 2, r1) == STATUS_SUCCESS, "resource 1 failed\n");
    res[0] = create.hResource;
    init_create(&create, device, 0x1);
    ok(create_allocs(TRUE, &create, reqs, 1, r2) == STATUS_SUCCESS, "resource 2 failed\n");
    res[1] = create.hResource;
    create_alloc(device, &desc, &alloc);

    /* Two resources at once: every allocation of both is offered. */
    status = offer_resources(res, NULL, 2, 0);
    ok(status == STATUS_SUCCESS, "offer two resources: %#lx\n", status);
    ok(lock_alloc(device, r1[0], 0, NULL) == STATUS_INVALID_PARAMETER
       && lock_alloc(device, r1[1], 0, NULL) == STATUS_INVALID_PARAMETER
       && lock_alloc(device, r2[0], 0, NULL) == STATUS_INVALID_PARAMETER, "an offered allocation locked\n");
    ok(alive(device, alloc), "a stand-alone allocation was offered too\n");
    status = offer_resources(res, NULL, 1, 0);
    ok(status == STATUS_INVALID_PARAMETER, "offered twice: got %#lx\n", status);
    discarded[0] = discarded[1] = discarded[2] = 0xdead;
    status = reclaim_resources(res, NULL, 2, discarded);
    ok(status == STATUS_SUCCESS, "reclaim two resources: %#lx\n", status);
    /* No memory pressure: the content stays (one answer per resource). */
    ok(discarded[0] == FALSE && discarded[1] == FALSE, "discarded %d %d\n", discarded[0], discarded[1]);
    ok(discarded[2] == 0xdead, "a third entry was written\n");
    ok(alive(device, r1[0]) && alive(device, r1[1]) && alive(device, r2[0]), "not lockable after reclaim\n");

    /* OfferImmediately gives the memory back: reclaimed as discarded. */
    status = offer_resources(&res[0], NULL, 1, 0x1);
    ok(status == STATUS_SUCCESS, "offer immediately: %#lx\n", status);
    discarded[0] = FALSE;
    status = reclaim_resources(&res[0], NULL, 1, discarded);
    ok(status == STATUS_SUCCESS, "reclaim: %#lx\n", status);
    ok(discarded[0] == TRUE, "not discarded\n");
    status = reclaim_resources(&res[0], NULL, 1, NULL);
    ok(status == STATUS_SUCCESS, "reclaim without results (not offered): %#lx\n", status);

    /* ReclaimAllocations2 with resources. */
    memset(&queue, 0, sizeof(queue));
    queue.hDevice = device;
    status = pCreatePagingQueue(&queue);
    ok(status == STATUS_SUCCESS, "CreatePagingQueue: %#lx\n", status);
    ok(offer_resources(res, NULL, 2, 0) == STATUS_SUCCESS, "offer failed\n");
    memset(&reclaim2, 0, sizeof(reclaim2));
    reclaim2.hPagingQueue = queue.hPagingQueue;
    reclaim2.pResources = res;
    reclaim2.NumAllocations = 2;
    results[0] = results[1] = 0xdead;
    reclaim2.pResults = results;
    status = pReclaimAllocations2(&reclaim2);
    ok(status == STATUS_SUCCESS, "reclaim2: %#lx\n", status);
    ok(results[0] == D3DDDI_RECLAIM_RESULT_OK && results[1] == D3DDDI_RECLAIM_RESULT_OK, "results %u %u\n",
       results[0], results[1]);
    reclaim2.HandleList = r1;
    ok(pReclaimAllocations2(&reclaim2) == STATUS_INVALID_PARAMETER, "reclaim2 with two lists accepted\n");

    /* Handles of the wrong kind; both lists; neither. */
    status = offer_resources(&alloc, NULL, 1, 0);
    ok(status == STATUS_INVALID_PARAMETER, "allocation in pResources: got %#lx\n", status);
    status = offer_resources(NULL, res, 1, 0);
    ok(status == STATUS_INVALID_PARAMETER, "resource in HandleList: got %#lx\n", status);
    status = offer_resources(res, r1, 1, 0);
    ok(status == STATUS_INVALID_PARAMETER, "both lists: got %#lx\n", status);
    status = offer_resources(res, NULL, 0, 0);
    ok(status == STATUS_INVALID_PARAMETER, "0 entries: got %#lx\n", status);
    ok(alive(device, r1[0]) && alive(device, alloc), "a rejected offer offered something\n");
    /* [DOC] hDevice is the creator: another device's resource is not this device's. */
    create_device(adapter, &dev2);
    init_create(&create, dev2, 0x1);
    ok(create_allocs(TRUE, &create, reqs, 1, &foreign) == STATUS_SUCCESS, "resource on the second device failed\n");
    status = offer_resources(&create.hResource, NULL, 1, 0);
    ok(status == STATUS_INVALID_PARAMETER, "another device's resource: got %#lx\n", status);
    ok(alive(dev2, foreign), "another device's allocation was offered\n");
    destroy_device(dev2);
    status = reclaim_resources(&alloc, NULL, 1, discarded);
    ok(status == STATUS_INVALID_PARAMETER, "reclaim, allocation in pResources: got %#lx\n", status);
    status = reclaim_resources(res, r1, 1, discarded);
    ok(status == STATUS_INVALID_PARAMETER, "reclaim, both lists: got %#lx\n", status);
    status = reclaim_resources(NULL, NULL, 1, discarded);
    ok(status == STATUS_INVALID_PARAMETER, "reclaim, neither list: got %#lx\n", status);

    destroy_queue.hPagingQueue = queue.hPagingQueue;
    pDestroyPagingQueue(&destroy_queue);
    destroy_resource(device, res[0]);
    destroy_resource(device, res[1]);
    destroy_alloc(device, alloc);
}

START_TEST(family)
{
    BOOL v2;

    if (!load_d3dkmt()) return;
    if (open_display1(&adapter, &display1_luid) || create_device(adapter, &device))
    {
        skip("no adapter or device\n");
        return;
    }
    have_escape = !wine_escape(adapter, D3DKMT_WINE_ESCAPE_QUERY_STATS, 0, NULL);
    if (!have_escape) skip("not this module's driver: no checks that rejected calls change nothing\n");

    test_enum_adapters2();
    test_open_adapter_from_hdc();
    test_open_adapter_from_device_name();
    test_query_adapter_info();
    for (v2 = FALSE; v2 <= TRUE; v2++)
    {
        test_create_forms(v2);
        test_create_memory_kinds(v2);
        test_create_info_flags(v2);
        test_create_flags(v2);
    }
    set_context(NULL);
    test_legacy_sharing();
    test_shared_standard_allocation();
    test_lock_flags();
    test_multi_unlock();
    test_destroy_allocation2();
    test_query_residency_resource();
    test_priority_resource();
    test_offer_reclaim_resource();
    destroy_device(device);
    close_adapter(adapter);
}
