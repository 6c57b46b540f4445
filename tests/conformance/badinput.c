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
 * Conformance: the bad-input matrix.
 *
 * One table row per rejected call: a NULL argument pointer, NULL or
 * unreadable inner pointers, bad handles (0, random, stale, wrong type,
 * another device's, a global one where a local one is needed), counts
 * (0, 1, the maximum, maximum + 1, counts whose product with the element
 * size overflows 32 bits), reserved flag bits, forbidden flag combinations,
 * out-of-range pages, unaligned or partly unmapped system memory, and private
 * data sizes (0, too small, too large).
 *
 * Each row names the status expected and where it comes from:
 *   "WIN"    Windows' observed behaviour (spec digest wddm-semantics.md, A.5 and B.*);
 *   "DOC"    Microsoft's documentation (the spec's [DOC] statements);
 *   "choice" no Windows observation: this module's documented choice (README,
 *            "Behaviour and choices"), or the most plausible status.
 *
 * Private data cap (our choice, d3dkmt_driver.h): at most
 * D3DKMT_WINE_MAX_PRIVATE_DATA (64 KiB) per allocation, per resource and for
 * runtime data; at least sizeof(D3DKMT_WINE_ALLOCATION_DESC) (32) per
 * allocation.  Count caps: D3DKMT_WINE_MAX_ALLOCATIONS_PER_CALL (1024) per
 * create, destroy, unlock or open; D3DKMT_WINE_MAX_HANDLES_PER_CALL (10240)
 * per residency, priority, offer or reclaim list.
 *
 * The runner checks, around every row, that nothing changed: live objects,
 * memory usage and backing bytes (our driver's test escape; skipped on
 * Windows), and the content, priority and residency of every fixture
 * allocation.  No row may succeed: every one is a rejected call.  Before the
 * matrix, controls show that each builder's unmodified input succeeds (and
 * are undone), so a row fails only because of what it changes.
 *
 * Not bad inputs, so no rows: DestroyAllocation with hResource and a list
 * ([DOC] the list is then ignored), SetAllocationPriority with priority 0
 * ([DOC] any value of the UMD scale 0..0xffffffff is allowed).
 *
 * BADINPUT_VERBOSE=1 in the environment traces each row before its call, to
 * name a row that crashes.
 */
#include "d3dkmt_test.h"
#include <winternl.h>
#include <wchar.h>

#define CPU_VISIBLE D3DKMT_WINE_ALLOC_FLAG_CPU_VISIBLE
#define ALLOC_SIZE  0x10000
#define MAX_ALLOCS  D3DKMT_WINE_MAX_ALLOCATIONS_PER_CALL
#define MAX_HANDLES D3DKMT_WINE_MAX_HANDLES_PER_CALL
#define MAX_DATA    D3DKMT_WINE_MAX_PRIVATE_DATA
#define OVERFLOW_COUNT 0x40000001u  /* times 4 (or more) bytes: past 32 bits */
#define BAD_PTR     ((void *)(ULONG_PTR)0x10)
#define RANDOM_HANDLE 0xc0badc00u   /* local format, never handed out */

/* ---- the fixture ---- */

static D3DKMT_HANDLE adapter, dev_a, dev_b, queue_a;
static LUID display1_luid;
static D3DKMT_HANDLE alloc_vid;         /* A: CPU-visible video memory */
static D3DKMT_HANDLE alloc_sys;         /* A: caller's system memory */
static D3DKMT_HANDLE res_a, alloc_res;  /* A: a resource with one allocation */
static D3DKMT_HANDLE shared_res, shared_alloc, global_share; /* A: legacy shared resource */
static D3DKMT_HANDLE alloc_b;           /* B: one allocation */
static D3DKMT_HANDLE nt_res, nt_alloc;  /* A: an NtSecuritySharing resource */
static HANDLE nt_handle;                /* its NT handle (ShareObjects), and a handle of another type: */
static HANDLE event_handle, stale_nt_handle, foreign_section;
static D3DKMT_HANDLE stale_alloc, stale_dev, stale_adapter, stale_queue, stale_res;
static BYTE *sysmem;                    /* alloc_sys's memory, then 64 KiB spare for rejected creations */
/* Sync fixture (dev_a): a monitored fence at SYNC_FENCE_VALUE, a keyed
 * mutex released to key 0 with SYNC_KM_FENCE, a shared mutex, stale ones. */
#define SYNC_FENCE_VALUE 5
#define SYNC_KM_FENCE 77
#define SYNC_MAX_WAIT 1024u      /* the module's most objects in one CPU wait (choice) */
static D3DKMT_HANDLE fence_a, km_a, km_global, mutex_a, sync_global, queue_fence;
static D3DKMT_HANDLE nt_fence;          /* an NtSecuritySharing fence, and its NT handle (named): */
static HANDLE sync_nt_handle;
static D3DKMT_HANDLE stale_fence, stale_km, stale_km_global, stale_sync_global;
static volatile UINT64 *fence_a_va;
static UINT64 *big_values;              /* SYNC_MAX_WAIT + 1 fence values */
static D3DKMT_HANDLE *fence_list;       /* SYNC_MAX_WAIT + 1 copies of fence_a */
static BYTE *noaccess;                  /* a PAGE_NOACCESS page */
static BYTE *guarded;                   /* two pages, the second one PAGE_NOACCESS */
static D3DKMT_HANDLE *stale_list;       /* MAX_HANDLES + 1 copies of stale_alloc */
static D3DKMT_HANDLE *zero_list;        /* MAX_HANDLES + 1 zeros */
static UINT *big_uints;                 /* MAX_HANDLES + 1 UINTs (priorities, pages, results) */
static HDC mem_dc;
static BOOL have_escape;
static UINT shared_runtime_size, shared_resource_size, shared_total_size;

struct fixture_alloc
{
    const char *name;
    D3DKMT_HANDLE *dev, *alloc;
};

static const struct fixture_alloc fixture_allocs[] =
{
    { "video", &dev_a, &alloc_vid },
    { "system", &dev_a, &alloc_sys },
    { "resource", &dev_a, &alloc_res },
    { "shared", &dev_a, &shared_alloc },
    { "device B", &dev_b, &alloc_b },
    { "NT shared", &dev_a, &nt_alloc },
};

/* ---- snapshots: what a rejected call must leave alone ---- */

struct snapshot
{
    D3DKMT_WINE_ESCAPE stats;
    BOOL have_stats;
    UINT sum[ARRAY_SIZE(fixture_allocs)];
    NTSTATUS lock_status[ARRAY_SIZE(fixture_allocs)];
    UINT priority[ARRAY_SIZE(fixture_allocs)];
    D3DKMT_ALLOCATIONRESIDENCYSTATUS residency[ARRAY_SIZE(fixture_allocs)];
    UINT64 fence_value;          /* fence_a's */
    NTSTATUS km_status;          /* km_a: acquire key 0 at once (then released again) */
    UINT64 km_fence;
};

static UINT checksum(const BYTE *p, UINT size)
{
    UINT hash = 2166136261u, i;

    for (i = 0; i < size; i++) hash = (hash ^ p[i]) * 16777619u;
    return hash;
}

static void take_snapshot(struct snapshot *s)
{
    D3DKMT_GETALLOCATIONPRIORITY get;
    D3DKMT_QUERYALLOCATIONRESIDENCY query;
    UINT i;
    void *data;

    memset(s, 0, sizeof(*s));
    if (have_escape)
        s->have_stats = !wine_escape(adapter, D3DKMT_WINE_ESCAPE_QUERY_STATS, 0, &s->stats);
    for (i = 0; i < ARRAY_SIZE(fixture_allocs); i++)
    {
        D3DKMT_HANDLE dev = *fixture_allocs[i].dev, alloc = *fixture_allocs[i].alloc;

        s->lock_status[i] = lock_alloc(dev, alloc, 1 /* ReadOnly */, &data);
        if (!s->lock_status[i])
        {
            s->sum[i] = checksum(data, ALLOC_SIZE);
            unlock_alloc(dev, alloc);
        }
        s->priority[i] = 0xdeadbeef;
        if (pGetAllocationPriority)
        {
            memset(&get, 0, sizeof(get));
            get.hDevice = dev;
            get.phAllocationList = &alloc;
            get.AllocationCount = 1;
            get.pPriorities = &s->priority[i];
            pGetAllocationPriority(&get);
        }
        s->residency[i] = 0xdeadbeef;
        memset(&query, 0, sizeof(query));
        query.hDevice = dev;
        query.phAllocationList = &alloc;
        query.AllocationCount = 1;
        query.pResidencyStatus = &s->residency[i];
        pQueryAllocationResidency(&query);
    }
    if (fence_a_va) s->fence_value = *fence_a_va;
    if (km_a)
    {
        D3DKMT_ACQUIREKEYEDMUTEX acquire;
        D3DKMT_RELEASEKEYEDMUTEX release;
        LARGE_INTEGER poll = {{0}};

        memset(&acquire, 0, sizeof(acquire));
        acquire.hKeyedMutex = km_a;
        acquire.pTimeout = &poll;
        s->km_status = pAcquireKeyedMutex(&acquire);
        s->km_fence = acquire.FenceValue;
        memset(&release, 0, sizeof(release));
        release.hKeyedMutex = km_a;
        release.FenceValue = SYNC_KM_FENCE;
        if (!s->km_status) pReleaseKeyedMutex(&release);
    }
}

/* Returns whether the two snapshots agree, reporting each difference. */
static BOOL compare_snapshots(const struct snapshot *a, const struct snapshot *b)
{
    BOOL same = TRUE;
    UINT i;

    if (a->have_stats && b->have_stats)
    {
        same &= ok(a->stats.Adapters == b->stats.Adapters && a->stats.Devices == b->stats.Devices
                   && a->stats.Resources == b->stats.Resources && a->stats.Allocations == b->stats.Allocations,
                   "objects changed: adapters %u -> %u, devices %u -> %u, resources %u -> %u, allocations %u -> %u\n",
                   a->stats.Adapters, b->stats.Adapters, a->stats.Devices, b->stats.Devices,
                   a->stats.Resources, b->stats.Resources, a->stats.Allocations, b->stats.Allocations);
        same &= ok(a->stats.LocalUsage == b->stats.LocalUsage && a->stats.NonLocalUsage == b->stats.NonLocalUsage
                   && a->stats.BackingBytes == b->stats.BackingBytes,
                   "usage changed: local %I64u -> %I64u, non-local %I64u -> %I64u, backing %I64u -> %I64u\n",
                   a->stats.LocalUsage, b->stats.LocalUsage, a->stats.NonLocalUsage, b->stats.NonLocalUsage,
                   a->stats.BackingBytes, b->stats.BackingBytes);
    }
    else if (have_escape) same &= ok(0, "stats escape failed\n");
    for (i = 0; i < ARRAY_SIZE(fixture_allocs); i++)
    {
        same &= ok(a->lock_status[i] == b->lock_status[i] && a->sum[i] == b->sum[i],
                   "%s allocation: lock %#lx -> %#lx, checksum %#x -> %#x\n", fixture_allocs[i].name,
                   a->lock_status[i], b->lock_status[i], a->sum[i], b->sum[i]);
        same &= ok(a->priority[i] == b->priority[i] && a->residency[i] == b->residency[i],
                   "%s allocation: priority %#x -> %#x, residency %u -> %u\n", fixture_allocs[i].name,
                   a->priority[i], b->priority[i], a->residency[i], b->residency[i]);
    }
    same &= ok(a->fence_value == b->fence_value, "fence value %I64u -> %I64u\n", a->fence_value, b->fence_value);
    same &= ok(a->km_status == b->km_status && a->km_fence == b->km_fence,
               "keyed mutex: acquire %#lx -> %#lx, fence %I64u -> %I64u\n", a->km_status, b->km_status,
               a->km_fence, b->km_fence);
    return same;
}

/* ---- small builders ---- */

static NTSTATUS lock_desc(D3DKMT_HANDLE dev, D3DKMT_HANDLE alloc, UINT flags, UINT num_pages, const UINT *pages)
{
    D3DKMT_LOCK desc;

    memset(&desc, 0, sizeof(desc));
    desc.hDevice = dev;
    desc.hAllocation = alloc;
    desc.Flags.Value = flags;
    desc.NumPages = num_pages;
    desc.pPages = pages;
    return pLock(&desc);
}

static NTSTATUS unlock_list(D3DKMT_HANDLE dev, const D3DKMT_HANDLE *list, UINT count)
{
    D3DKMT_UNLOCK desc;

    memset(&desc, 0, sizeof(desc));
    desc.hDevice = dev;
    desc.phAllocations = list;
    desc.NumAllocations = count;
    return pUnlock(&desc);
}

static NTSTATUS lock2(D3DKMT_HANDLE dev, D3DKMT_HANDLE alloc, UINT flags)
{
    D3DKMT_LOCK2 desc;

    memset(&desc, 0, sizeof(desc));
    desc.hDevice = dev;
    desc.hAllocation = alloc;
    desc.Flags.Value = flags;
    return pLock2(&desc);
}

static NTSTATUS unlock2(D3DKMT_HANDLE dev, D3DKMT_HANDLE alloc)
{
    D3DKMT_UNLOCK2 desc;

    memset(&desc, 0, sizeof(desc));
    desc.hDevice = dev;
    desc.hAllocation = alloc;
    return pUnlock2(&desc);
}

static NTSTATUS destroy_list(D3DKMT_HANDLE dev, D3DKMT_HANDLE resource, const D3DKMT_HANDLE *list, UINT count)
{
    D3DKMT_DESTROYALLOCATION desc;

    memset(&desc, 0, sizeof(desc));
    desc.hDevice = dev;
    desc.hResource = resource;
    desc.phAllocationList = list;
    desc.AllocationCount = count;
    return pDestroyAllocation(&desc);
}

static NTSTATUS destroy2_list(D3DKMT_HANDLE dev, D3DKMT_HANDLE resource, const D3DKMT_HANDLE *list, UINT count,
                              UINT flags)
{
    D3DKMT_DESTROYALLOCATION2 desc;

    memset(&desc, 0, sizeof(desc));
    desc.hDevice = dev;
    desc.hResource = resource;
    desc.phAllocationList = list;
    desc.AllocationCount = count;
    desc.Flags.Value = flags;
    return pDestroyAllocation2(&desc);
}

static NTSTATUS close_adapter_handle(D3DKMT_HANDLE h)
{
    D3DKMT_CLOSEADAPTER desc = { h };
    return pCloseAdapter(&desc);
}

static NTSTATUS destroy_device_handle(D3DKMT_HANDLE h)
{
    D3DKMT_DESTROYDEVICE desc = { h };
    return pDestroyDevice(&desc);
}

static NTSTATUS create_device_on(D3DKMT_HANDLE h)
{
    D3DKMT_CREATEDEVICE desc;

    memset(&desc, 0, sizeof(desc));
    desc.hAdapter = h;
    return pCreateDevice(&desc);
}

/* ======================================================================== */
/* The rows                                                                  */
/* ======================================================================== */

/* Every row's call takes one argument, used by the rows that share a builder. */
typedef NTSTATUS (*row_func)(UINT arg);

#define V2 0x10000  /* arg bit: the CreateAllocation2 / OpenResource2 form */

/* ---- OpenAdapterFromHdc ---- */
static NTSTATUS hdc_null(UINT arg) { return pOpenAdapterFromHdc(NULL); }
static NTSTATUS hdc_bad_ptr(UINT arg) { return pOpenAdapterFromHdc(BAD_PTR); }
static NTSTATUS hdc_with(UINT arg)
{
    D3DKMT_OPENADAPTERFROMHDC desc;
    memset(&desc, 0, sizeof(desc));
    if (arg == 1) desc.hDc = (HDC)(ULONG_PTR)0x0badc0de;
    else if (arg == 2) desc.hDc = mem_dc;
    return pOpenAdapterFromHdc(&desc);
}

/* ---- OpenAdapterFromDeviceName ---- */
static NTSTATUS devname_null(UINT arg) { return pOpenAdapterFromDeviceName(NULL); }
static NTSTATUS devname_bad_ptr(UINT arg) { return pOpenAdapterFromDeviceName(BAD_PTR); }
static NTSTATUS devname_with(UINT arg)
{
    static const WCHAR empty[] = L"", bogus[] = L"\\\\?\\PCI#VEN_0BAD&DEV_C0DE#0#{1ca05180-a699-450a-9a0c-de4fbe3ddd89}",
                       gdi[] = L"\\\\.\\DISPLAY1";
    D3DKMT_OPENADAPTERFROMDEVICENAME desc;

    memset(&desc, 0, sizeof(desc));
    switch (arg)
    {
    case 1: desc.pDeviceName = BAD_PTR; break;
    case 2: desc.pDeviceName = (const WCHAR *)noaccess; break;
    case 3: desc.pDeviceName = empty; break;
    case 4: desc.pDeviceName = bogus; break;
    case 5: desc.pDeviceName = gdi; break;
    }
    return pOpenAdapterFromDeviceName(&desc);
}

/* ---- OpenAdapterFromGdiDisplayName ---- */
static NTSTATUS gdiname_null(UINT arg) { return pOpenAdapterFromGdiDisplayName(NULL); }
static NTSTATUS gdiname_bad_ptr(UINT arg) { return pOpenAdapterFromGdiDisplayName(BAD_PTR); }
static NTSTATUS gdiname_with(UINT arg)
{
    D3DKMT_OPENADAPTERFROMGDIDISPLAYNAME desc;
    UINT i;

    memset(&desc, 0, sizeof(desc));
    switch (arg)
    {
    case 1: lstrcpyW(desc.DeviceName, L"\\\\.\\DISPLAY99"); break;
    case 2: lstrcpyW(desc.DeviceName, L"DISPLAY1"); break;
    case 3: for (i = 0; i < ARRAY_SIZE(desc.DeviceName); i++) desc.DeviceName[i] = 'X'; break;
    case 4: lstrcpyW(desc.DeviceName, L"\\\\.\\DISPLAY1\\Monitor0"); break;
    }
    return pOpenAdapterFromGdiDisplayName(&desc);
}

/* ---- OpenAdapterFromLuid ---- */
static NTSTATUS luid_null(UINT arg) { return pOpenAdapterFromLuid(NULL); }
static NTSTATUS luid_bad_ptr(UINT arg) { return pOpenAdapterFromLuid(BAD_PTR); }
static NTSTATUS luid_with(UINT arg)
{
    D3DKMT_OPENADAPTERFROMLUID desc;

    memset(&desc, 0, sizeof(desc));
    switch (arg)
    {
    case 1: desc.AdapterLuid.LowPart = 0x0badc0de; desc.AdapterLuid.HighPart = 0x7ead; break;
    case 2: desc.AdapterLuid = display1_luid; desc.AdapterLuid.HighPart ^= 0x40000000; break;
    case 3: desc.AdapterLuid = display1_luid; desc.AdapterLuid.LowPart ^= 0x40000000; break;
    }
    return pOpenAdapterFromLuid(&desc);
}

/* ---- EnumAdapters2 ---- */
static NTSTATUS enum_null(UINT arg) { return pEnumAdapters2(NULL); }
static NTSTATUS enum_bad_ptr(UINT arg) { return pEnumAdapters2(BAD_PTR); }
static NTSTATUS enum_with(UINT arg)
{
    static D3DKMT_ADAPTERINFO infos[4];
    D3DKMT_ENUMADAPTERS2 desc;

    memset(&desc, 0, sizeof(desc));
    switch (arg)
    {
    case 1: desc.NumAdapters = 0; desc.pAdapters = infos; break;
    case 2: desc.NumAdapters = 32; desc.pAdapters = BAD_PTR; break;
    case 3: desc.NumAdapters = 32; desc.pAdapters = (D3DKMT_ADAPTERINFO *)noaccess; break;
    }
    return pEnumAdapters2(&desc);
}

/* ---- CloseAdapter ---- */
static NTSTATUS close_null(UINT arg) { return pCloseAdapter(NULL); }
static NTSTATUS close_bad_ptr(UINT arg) { return pCloseAdapter(BAD_PTR); }
static NTSTATUS close_handle(UINT arg) { return close_adapter_handle(arg); }
static NTSTATUS close_stale(UINT arg) { return close_adapter_handle(stale_adapter); }
static NTSTATUS close_device(UINT arg) { return close_adapter_handle(dev_a); }
static NTSTATUS close_global(UINT arg) { return close_adapter_handle(global_share); }

/* ---- QueryAdapterInfo ---- */
static NTSTATUS qai_null(UINT arg) { return pQueryAdapterInfo(NULL); }
static NTSTATUS qai_bad_ptr(UINT arg) { return pQueryAdapterInfo(BAD_PTR); }
static NTSTATUS qai_with(UINT arg)
{
    static BYTE buffer[MAX_DATA + 16];
    D3DKMT_QUERYADAPTERINFO desc;

    memset(&desc, 0, sizeof(desc));
    desc.hAdapter = adapter;
    desc.Type = KMTQAITYPE_DRIVERVERSION;
    desc.pPrivateDriverData = buffer;
    desc.PrivateDriverDataSize = sizeof(D3DKMT_DRIVERVERSION);
    switch (arg)
    {
    case 1: desc.hAdapter = 0; break;
    case 2: desc.hAdapter = stale_adapter; break;
    case 3: desc.hAdapter = dev_a; break;
    case 4: desc.pPrivateDriverData = NULL; break;
    case 5: desc.PrivateDriverDataSize--; break;
    case 6: desc.PrivateDriverDataSize = 0; break;
    case 7: desc.PrivateDriverDataSize++; break;
    case 8: desc.PrivateDriverDataSize = MAX_DATA + 1; break;
    case 9: desc.pPrivateDriverData = BAD_PTR; break;
    case 10: desc.Type = 0xffff; break;
    case 11: desc.hAdapter = RANDOM_HANDLE; break;
    case 12: desc.Type = KMTQAITYPE_CHECKDRIVERUPDATESTATUS; desc.PrivateDriverDataSize = sizeof(BOOL) - 1; break;
    }
    return pQueryAdapterInfo(&desc);
}

/* ---- CreateDevice ---- */
static NTSTATUS cdev_null(UINT arg) { return pCreateDevice(NULL); }
static NTSTATUS cdev_bad_ptr(UINT arg) { return pCreateDevice(BAD_PTR); }
static NTSTATUS cdev_on(UINT arg) { return create_device_on(arg); }
static NTSTATUS cdev_stale(UINT arg) { return create_device_on(stale_adapter); }
static NTSTATUS cdev_device(UINT arg) { return create_device_on(dev_a); }

/* ---- DestroyDevice ---- */
static NTSTATUS ddev_null(UINT arg) { return pDestroyDevice(NULL); }
static NTSTATUS ddev_bad_ptr(UINT arg) { return pDestroyDevice(BAD_PTR); }
static NTSTATUS ddev_handle(UINT arg) { return destroy_device_handle(arg); }
static NTSTATUS ddev_stale(UINT arg) { return destroy_device_handle(stale_dev); }
static NTSTATUS ddev_adapter(UINT arg) { return destroy_device_handle(adapter); }
static NTSTATUS ddev_alloc(UINT arg) { return destroy_device_handle(alloc_vid); }

/* ---- CreateAllocation and CreateAllocation2 ---- */
static D3DDDI_ALLOCATIONINFO big_info[MAX_ALLOCS + 1];
static D3DDDI_ALLOCATIONINFO2 big_info2[MAX_ALLOCS + 1];
static D3DKMT_WINE_ALLOCATION_DESC small_desc, bad_desc;
static BYTE big_data[MAX_DATA + 64];
static D3DKMT_CREATESTANDARDALLOCATION standard;

/* Sets an ALLOCATIONINFO(2) field of entry i in both arrays. */
#define SET_INFO(i, field, value) do { big_info[i].field = value; big_info2[i].field = value; } while (0)

static void reset_infos(UINT count)
{
    UINT i;

    memset(big_info, 0, count * sizeof(*big_info));
    memset(big_info2, 0, count * sizeof(*big_info2));
    for (i = 0; i < count; i++)
    {
        SET_INFO(i, pPrivateDriverData, &small_desc);
        SET_INFO(i, PrivateDriverDataSize, sizeof(small_desc));
        SET_INFO(i, hAllocation, 0xdeadbe00);
    }
}

static NTSTATUS create_null(UINT arg) { return (arg & V2) ? pCreateAllocation2(NULL) : pCreateAllocation(NULL); }
static NTSTATUS create_bad_ptr(UINT arg) { return (arg & V2) ? pCreateAllocation2(BAD_PTR) : pCreateAllocation(BAD_PTR); }

static NTSTATUS create_with(UINT arg)
{
    D3DKMT_CREATEALLOCATION desc;
    UINT flags = 0, count = 1, infos = 1;
    BOOL v2 = !!(arg & V2), set_info = TRUE;
    BYTE *unaligned_mem = sysmem + ALLOC_SIZE + 16;
    NTSTATUS status;

    small_desc = make_desc(4096, 0, CPU_VISIBLE);
    bad_desc = small_desc;
    memset(&desc, 0, sizeof(desc));
    desc.hDevice = dev_a;
    desc.hGlobalShare = 0xdeadbeef;
    switch (arg & 0xffff)
    {
    case 1: memset(&desc, 0, sizeof(desc)); set_info = FALSE; count = 0; break;
    case 2: desc.hDevice = 0; break;
    case 3: desc.hDevice = stale_dev; break;
    case 4: desc.hDevice = adapter; break;
    case 5: desc.hResource = RANDOM_HANDLE; break;
    case 6: desc.hResource = stale_res; break;
    case 7: desc.hResource = alloc_vid; break;
    case 8: desc.hResource = global_share; break;
    case 9: desc.hDevice = dev_b; desc.hResource = res_a; break;
    case 10: count = 0; break;
    case 11: set_info = FALSE; break;
    case 12: set_info = FALSE; desc.pAllocationInfo = BAD_PTR; break;
    case 13: count = OVERFLOW_COUNT; infos = 2; break;
    case 14: count = infos = MAX_ALLOCS; break;
    case 15: count = infos = MAX_ALLOCS + 1; break;
    case 16: flags = 0x80000000; break;
    case 17: flags = 0x2; break;  /* CreateShared without CreateResource */
    case 18: flags = 0x41; break; /* NtSecuritySharing without CreateShared */
    case 19: flags = 0x8; break;  /* CreateProtected: kernel callers only */
    case 20: flags = 0x1; desc.hResource = RANDOM_HANDLE; break;
    case 21: flags = 0x20000; break; /* ExistingSection without StandardAllocation */
    /* per-allocation fields */
    case 30: break; /* info flags, set below */
    case 31: break;
    case 32: break;
    case 33: break;
    case 34: break;
    case 35: break;
    case 36: break;
    case 37: break;
    case 38: break;
    case 39: break;
    case 40: break;
    case 41: break;
    case 42: break;
    case 43: break;
    case 44: break;
    case 45: break;
    case 46: break;
    /* resource-level data */
    case 50: desc.pPrivateRuntimeData = big_data; desc.PrivateRuntimeDataSize = MAX_DATA + 1; break;
    case 51: desc.PrivateRuntimeDataSize = 16; break;
    case 52: desc.pPrivateRuntimeData = BAD_PTR; desc.PrivateRuntimeDataSize = 16; break;
    case 53: desc.pPrivateDriverData = big_data; desc.PrivateDriverDataSize = MAX_DATA + 1; break;
    case 54: desc.PrivateDriverDataSize = 16; break;
    case 55: desc.pPrivateDriverData = BAD_PTR; desc.PrivateDriverDataSize = 16; break;
    case 56: flags = 0x1; desc.pPrivateRuntimeData = big_data; desc.PrivateRuntimeDataSize = MAX_DATA + 1; break;
    /* standard allocations (existing heap) */
    case 60: case 61: case 62: case 63: case 64: case 65: case 66: case 67: case 68: case 69:
    case 70: /* the valid form, for the controls */
        memset(&standard, 0, sizeof(standard));
        standard.Type = D3DKMT_STANDARDALLOCATIONTYPE_EXISTINGHEAP;
        standard.ExistingHeapData.Size = ALLOC_SIZE;
        desc.pStandardAllocation = &standard;
        flags = 0x10020; /* StandardAllocation|ExistingSysMem */
        break;
    }
    if (set_info)
    {
        reset_infos(infos);
        if (v2) desc.pAllocationInfo2 = big_info2;
        else desc.pAllocationInfo = big_info;
    }
    desc.NumAllocations = count;
    switch (arg & 0xffff)
    {
    case 14: SET_INFO(MAX_ALLOCS - 1, PrivateDriverDataSize, 0); break;
    case 30: SET_INFO(0, Flags.Value, 0x80000000); break;
    case 31: SET_INFO(0, Flags.Value, 0x2); break; /* Stereo without Primary */
    case 32: SET_INFO(0, pPrivateDriverData, NULL); break;
    case 33: SET_INFO(0, pPrivateDriverData, BAD_PTR); break;
    case 34: SET_INFO(0, PrivateDriverDataSize, 0); break;
    case 35: SET_INFO(0, PrivateDriverDataSize, sizeof(small_desc) - 1); break;
    case 36:
        memcpy(big_data, &small_desc, sizeof(small_desc));
        SET_INFO(0, pPrivateDriverData, big_data);
        SET_INFO(0, PrivateDriverDataSize, MAX_DATA + 1);
        break;
    case 37: bad_desc.Magic = 0x41414141; SET_INFO(0, pPrivateDriverData, &bad_desc); break;
    case 38: bad_desc.Flags |= 0x8; SET_INFO(0, pPrivateDriverData, &bad_desc); break;
    case 39: bad_desc.SegmentGroup = 2; SET_INFO(0, pPrivateDriverData, &bad_desc); break;
    case 40: bad_desc.Alignment = 0x3000; SET_INFO(0, pPrivateDriverData, &bad_desc); break;
    case 41: bad_desc.Size = 0; SET_INFO(0, pPrivateDriverData, &bad_desc); break;
    case 42: SET_INFO(0, pSystemMem, unaligned_mem); break;
    case 43: /* two pages, the second one not accessible */
        bad_desc.Size = 2 * 4096;
        SET_INFO(0, pPrivateDriverData, &bad_desc);
        SET_INFO(0, pSystemMem, guarded);
        break;
    case 44: SET_INFO(0, pSystemMem, noaccess); break;
    case 45: SET_INFO(0, pSystemMem, sysmem + ALLOC_SIZE); SET_INFO(0, Flags.Value, 0x1); break; /* Primary */
    case 46: /* OverridePriority with priority 0 (a reserved bit for CreateAllocation) */
        SET_INFO(0, Flags.Value, 0x4);
        big_info2[0].Priority = 0;
        break;
    case 61: standard.ExistingHeapData.Size = 0x1100; break;
    case 62: break;                                    /* pSystemMem NULL */
    case 63: standard.Type = 0; break;
    case 64: desc.NumAllocations = 2; reset_infos(2); SET_INFO(1, pSystemMem, sysmem + ALLOC_SIZE + 0x8000); break;
    case 65: desc.PrivateDriverDataSize = 64; break;  /* aliases pStandardAllocation: size without a blob */
    case 66: flags = 0x10000; break;                    /* ExistingSysMem cleared */
    case 67: flags = 0x20; break;                       /* StandardAllocation cleared */
    case 68: desc.hResource = res_a; break;
    case 69: standard.ExistingHeapData.Size = 0; break;
    }
    if ((arg & 0xffff) >= 60 && (arg & 0xffff) <= 70)
    {
        SET_INFO(0, pPrivateDriverData, NULL);
        SET_INFO(0, PrivateDriverDataSize, 0);
        if ((arg & 0xffff) != 62) SET_INFO(0, pSystemMem, sysmem + ALLOC_SIZE);
        if ((arg & 0xffff) == 60) SET_INFO(0, pSystemMem, unaligned_mem);
    }
    memcpy(&desc.Flags, &flags, sizeof(flags));
    status = v2 ? pCreateAllocation2(&desc) : pCreateAllocation(&desc);
    return status;
}

/* ---- DestroyAllocation and DestroyAllocation2 ---- */
static NTSTATUS destroy_null(UINT arg) { return (arg & V2) ? pDestroyAllocation2(NULL) : pDestroyAllocation(NULL); }
static NTSTATUS destroy_bad_ptr(UINT arg)
{
    return (arg & V2) ? pDestroyAllocation2(BAD_PTR) : pDestroyAllocation(BAD_PTR);
}

static NTSTATUS destroy_with(UINT arg)
{
    D3DKMT_HANDLE dev = dev_a, resource = 0, list[2] = { alloc_vid, 0 };
    const D3DKMT_HANDLE *plist = list;
    UINT count = 1, flags = 0;

    switch (arg & 0xffff)
    {
    case 1: dev = 0; break;
    case 2: dev = stale_dev; break;
    case 3: plist = NULL; break;
    case 4: plist = BAD_PTR; break;
    case 5: list[0] = stale_alloc; break;
    case 6: resource = stale_res; count = 0; plist = NULL; break;
    case 7: list[0] = RANDOM_HANDLE; break;
    case 8: list[0] = alloc_b; break;
    case 9: resource = global_share; count = 0; plist = NULL; break;
    case 10: resource = alloc_vid; count = 0; plist = NULL; break;
    case 11: list[0] = res_a; break;
    case 12: list[1] = alloc_res; count = 2; break;
    case 13: list[1] = stale_alloc; count = 2; break;
    case 14: list[1] = alloc_vid; count = 2; break;
    case 15: plist = stale_list; count = MAX_ALLOCS; break;
    case 16: plist = stale_list; count = MAX_ALLOCS + 1; break;
    case 17: plist = stale_list; count = OVERFLOW_COUNT; break;
    case 18: resource = RANDOM_HANDLE; count = 0; plist = NULL; break;
    case 19: flags = 0x4; break;
    case 20: flags = 0x80000000; break;
    case 21: dev = dev_b; break;
    case 22: plist = zero_list; count = MAX_ALLOCS; break;
    case 23: list[0] = global_share; break;
    case 24: dev = dev_b; resource = res_a; count = 0; plist = NULL; break;
    case 25: list[0] = 0; break;
    }
    if (arg & V2) return destroy2_list(dev, resource, plist, count, flags);
    return destroy_list(dev, resource, plist, count);
}

/* ---- Lock ---- */
static NTSTATUS lock_null(UINT arg) { return pLock(NULL); }
static NTSTATUS lock_bad_ptr(UINT arg) { return pLock(BAD_PTR); }
static NTSTATUS lock_with(UINT arg)
{
    static const UINT pages_16[] = { 16 }, pages_max[] = { 0xffffffff }, page_0[] = { 0 };
    static UINT pages_17[17];
    D3DKMT_HANDLE dev = dev_a, alloc = alloc_vid;
    const UINT *pages = NULL;
    UINT flags = 0, num_pages = 0, i;
    NTSTATUS status;

    switch (arg)
    {
    case 1: dev = 0; break;
    case 2: dev = stale_dev; break;
    case 3: alloc = 0; break;
    case 4: alloc = RANDOM_HANDLE; break;
    case 5: alloc = stale_alloc; break;
    case 6: alloc = alloc_b; break;
    case 7: alloc = global_share; break;
    case 8: alloc = res_a; break;
    case 9: alloc = dev_a; break;
    case 10: flags = 0x800; break;
    case 11: flags = 0x80000000; break;
    case 12: flags = 0x3; break;    /* ReadOnly|WriteOnly */
    case 13: flags = 0x48; break;   /* IgnoreSync|AcquireAperture */
    case 14: flags = 0x200; break;  /* UseAlternateVA without AcquireAperture */
    case 15: flags = 0x10; num_pages = 1; pages = page_0; break; /* LockEntire with pages */
    case 16: num_pages = 1; break;
    case 17: num_pages = 1; pages = BAD_PTR; break;
    case 18: num_pages = 1; pages = (const UINT *)noaccess; break;
    case 19: num_pages = 1; pages = pages_16; break;
    case 20: num_pages = 1; pages = pages_max; break;
    case 21: for (i = 0; i < 17; i++) pages_17[i] = i % 16; num_pages = 17; pages = pages_17; break;
    case 22: num_pages = OVERFLOW_COUNT; pages = big_uints; break;
    case 23: dev = dev_b; break;
    case 24: alloc = alloc_sys; num_pages = 1; pages = pages_16; break;
    }
    status = lock_desc(dev, alloc, flags, num_pages, pages);
    if (!status) unlock_alloc(dev, alloc);  /* undo a wrong success */
    return status;
}

/* ---- Unlock ---- */
static NTSTATUS unlock_null(UINT arg) { return pUnlock(NULL); }
static NTSTATUS unlock_bad_ptr(UINT arg) { return pUnlock(BAD_PTR); }
static NTSTATUS unlock_with(UINT arg)
{
    D3DKMT_HANDLE dev = dev_a, list[1] = { alloc_vid };
    const D3DKMT_HANDLE *plist = list;
    UINT count = 1;

    switch (arg)
    {
    case 1: dev = 0; break;
    case 2: dev = stale_dev; break;
    case 3: count = 0; break;
    case 4: plist = NULL; break;
    case 5: plist = BAD_PTR; break;
    case 6: list[0] = stale_alloc; break;
    case 7: break;                          /* not locked */
    case 8: list[0] = alloc_b; break;
    case 9: list[0] = global_share; break;
    case 10: plist = stale_list; count = MAX_ALLOCS; break;
    case 11: plist = stale_list; count = MAX_ALLOCS + 1; break;
    case 12: plist = stale_list; count = OVERFLOW_COUNT; break;
    case 13: list[0] = res_a; break;
    case 14: list[0] = 0; break;
    }
    return unlock_list(dev, plist, count);
}

/* ---- Lock2 and Unlock2 ---- */
static NTSTATUS lock2_null(UINT arg) { return pLock2(NULL); }
static NTSTATUS lock2_bad_ptr(UINT arg) { return pLock2(BAD_PTR); }
static NTSTATUS lock2_with(UINT arg)
{
    D3DKMT_HANDLE dev = dev_a, alloc = alloc_vid;
    UINT flags = 0;
    NTSTATUS status;

    switch (arg)
    {
    case 1: dev = 0; break;
    case 2: alloc = 0; break;
    case 3: alloc = stale_alloc; break;
    case 4: alloc = alloc_b; break;
    case 5: alloc = global_share; break;
    case 6: flags = 0x1; break;
    case 7: flags = 0x80000000; break;
    case 8: dev = stale_dev; break;
    case 9: alloc = res_a; break;
    }
    status = lock2(dev, alloc, flags);
    if (!status) unlock2(dev, alloc);  /* undo a wrong success */
    return status;
}

static NTSTATUS unlock2_null(UINT arg) { return pUnlock2(NULL); }
static NTSTATUS unlock2_bad_ptr(UINT arg) { return pUnlock2(BAD_PTR); }
static NTSTATUS unlock2_with(UINT arg)
{
    D3DKMT_HANDLE dev = dev_a, alloc = alloc_vid;

    switch (arg)
    {
    case 1: dev = 0; break;
    case 2: break;      /* not locked */
    case 3: alloc = stale_alloc; break;
    case 4: alloc = alloc_b; break;
    case 5: alloc = global_share; break;
    case 6: dev = stale_dev; break;
    case 7: alloc = 0; break;
    }
    return unlock2(dev, alloc);
}

/* ---- QueryResourceInfo ---- */
static NTSTATUS qri_null(UINT arg) { return pQueryResourceInfo(NULL); }
static NTSTATUS qri_bad_ptr(UINT arg) { return pQueryResourceInfo(BAD_PTR); }
static NTSTATUS qri_with(UINT arg)
{
    static BYTE buffer[64];
    D3DKMT_QUERYRESOURCEINFO desc;

    memset(&desc, 0, sizeof(desc));
    desc.hDevice = dev_b;
    desc.hGlobalShare = global_share;
    desc.pPrivateRuntimeData = buffer;
    desc.PrivateRuntimeDataSize = sizeof(buffer);
    switch (arg)
    {
    case 1: desc.hDevice = 0; break;
    case 2: desc.hDevice = stale_dev; break;
    case 3: desc.hGlobalShare = 0; break;
    case 4: desc.hGlobalShare = shared_res; break;
    case 5: desc.hGlobalShare = shared_alloc; break;
    case 6: desc.hGlobalShare = (global_share ^ 0x0badc000) | 2; break;
    case 7: desc.hDevice = adapter; break;
    case 8: desc.hGlobalShare = RANDOM_HANDLE; break;
    }
    return pQueryResourceInfo(&desc);
}

/* ---- NT-handle sharing ---- */

static NTSTATUS share_with(UINT arg)
{
    D3DKMT_HANDLE list[4] = { nt_res, nt_res, nt_res, nt_res };
    OBJECT_ATTRIBUTES attr;
    UNICODE_STRING name;
    HANDLE out = NULL, *pout = &out;
    const D3DKMT_HANDLE *plist = list;
    UINT count = 1;
    DWORD access = STANDARD_RIGHTS_READ | SHARED_ALLOCATION_WRITE;
    NTSTATUS status;

    memset(&attr, 0, sizeof(attr));
    attr.Length = sizeof(attr);
    name.Buffer = (WCHAR *)L"\\BaseNamedObjects\\d3dkmt-badinput-share";
    name.Length = name.MaximumLength = wcslen(name.Buffer) * sizeof(WCHAR);
    switch (arg)
    {
    case 1: count = 0; break;
    case 2: count = 4; break;
    case 3: count = OVERFLOW_COUNT; break;
    case 4: plist = NULL; break;
    case 5: plist = BAD_PTR; break;
    case 6: pout = NULL; break;
    case 7: pout = BAD_PTR; break;
    case 8: list[0] = nt_alloc; break;            /* an allocation handle [WIN] */
    case 9: list[0] = shared_res; break;          /* legacy-shared [WIN] */
    case 10: list[0] = res_a; break;              /* not shared [WIN] */
    case 11: list[0] = stale_res; break;
    case 12: list[0] = RANDOM_HANDLE; break;
    case 13: list[0] = 0; break;
    case 14: count = 3; break;                    /* {res, res, res} [WIN] */
    case 15: count = 2; list[1] = km_a; break;    /* {res, mutex} [WIN] */
    case 16: list[0] = km_a; break;               /* a keyed mutex alone [WIN] */
    case 17: list[0] = fence_a; break;            /* a sync object without NtSecuritySharing [WIN] */
    case 18: list[0] = global_share; break;
    case 19: list[0] = dev_a; break;
    case 20: return pShareObjects(1, list, BAD_PTR, access, pout);
    case 21: attr.ObjectName = BAD_PTR; break;
    case 22: attr.ObjectName = &name; name.Buffer = BAD_PTR; break;
    case 23: attr.Length = 0; break;
    case 24: attr.SecurityDescriptor = BAD_PTR; break;
    case 25: attr.ObjectName = &name; name.Length = 3; break;
    case 26: attr.ObjectName = &name; attr.SecurityDescriptor = noaccess; break;
    case 27: return pShareObjects(1, list, (OBJECT_ATTRIBUTES *)(guarded + 4096 - 8), access, pout);
    }
    if (arg >= 21 && arg <= 26) status = pShareObjects(count, plist, &attr, access, pout);
    else status = pShareObjects(count, plist, NULL, access, pout);
    if (!status && out) CloseHandle(out);
    return status;
}

static NTSTATUS qrint_null(UINT arg) { return pQueryResourceInfoFromNtHandle(NULL); }
static NTSTATUS qrint_bad_ptr(UINT arg) { return pQueryResourceInfoFromNtHandle(BAD_PTR); }
static NTSTATUS qrint_with(UINT arg)
{
    static BYTE buffer[64];
    D3DKMT_QUERYRESOURCEINFOFROMNTHANDLE desc;

    memset(&desc, 0, sizeof(desc));
    desc.hDevice = dev_b;
    desc.hNtHandle = nt_handle;
    desc.pPrivateRuntimeData = buffer;
    desc.PrivateRuntimeDataSize = sizeof(buffer);
    switch (arg)
    {
    case 1: desc.hDevice = 0; break;
    case 2: desc.hDevice = stale_dev; break;
    case 3: desc.hNtHandle = NULL; break;
    case 4: desc.hNtHandle = event_handle; break;
    case 5: desc.hNtHandle = stale_nt_handle; break;
    case 6: desc.hNtHandle = (HANDLE)(ULONG_PTR)0x7ffc; break;
    case 7: desc.hDevice = adapter; break;
    case 8: desc.hNtHandle = foreign_section; break;
    case 9: desc.hNtHandle = (HANDLE)(ULONG_PTR)global_share; break;
    }
    return pQueryResourceInfoFromNtHandle(&desc);
}

static struct
{
    D3DKMT_OPENRESOURCEFROMNTHANDLE desc;
    D3DDDI_OPENALLOCATIONINFO2 info2[4];
    BYTE runtime[64], resource[64], total[256], km[16];
} ont_ctx;

static NTSTATUS ont_null(UINT arg) { return pOpenResourceFromNtHandle(NULL); }
static NTSTATUS ont_bad_ptr(UINT arg) { return pOpenResourceFromNtHandle(BAD_PTR); }
static NTSTATUS ont_with(UINT arg)
{
    D3DKMT_OPENRESOURCEFROMNTHANDLE *desc = &ont_ctx.desc;

    memset(&ont_ctx, 0, sizeof(ont_ctx));
    desc->hDevice = dev_b;
    desc->hNtHandle = nt_handle;
    desc->NumAllocations = 1;
    desc->pOpenAllocationInfo2 = ont_ctx.info2;
    desc->pPrivateRuntimeData = ont_ctx.runtime;
    desc->PrivateRuntimeDataSize = shared_runtime_size;
    desc->pResourcePrivateDriverData = ont_ctx.resource;
    desc->ResourcePrivateDriverDataSize = shared_resource_size;
    desc->pTotalPrivateDriverDataBuffer = ont_ctx.total;
    desc->TotalPrivateDriverDataBufferSize = shared_total_size;
    switch (arg)
    {
    case 1: desc->hDevice = 0; break;
    case 2: desc->hDevice = stale_dev; break;
    case 3: desc->hNtHandle = NULL; break;
    case 4: desc->hNtHandle = event_handle; break;
    case 5: desc->hNtHandle = stale_nt_handle; break;
    case 6: desc->NumAllocations = 0; break;
    case 7: desc->NumAllocations = 2; break;
    case 8: desc->pOpenAllocationInfo2 = NULL; break;
    case 9: desc->pOpenAllocationInfo2 = BAD_PTR; break;
    case 10: desc->pPrivateRuntimeData = NULL; break;
    case 11: desc->PrivateRuntimeDataSize++; break;
    case 12: desc->ResourcePrivateDriverDataSize++; break;
    case 13: desc->TotalPrivateDriverDataBufferSize--; break;
    case 14: desc->pTotalPrivateDriverDataBuffer = NULL; break;
    case 15: desc->NumAllocations = OVERFLOW_COUNT; break;
    case 16: desc->NumAllocations = MAX_ALLOCS + 1; break;
    case 17: desc->hDevice = adapter; break;
    case 18: desc->pTotalPrivateDriverDataBuffer = BAD_PTR; break;
    case 19: desc->KeyedMutexPrivateRuntimeDataSize = 4; break;
    case 20: desc->pPrivateRuntimeData = BAD_PTR; break;
    case 21: desc->hNtHandle = foreign_section; break;
    case 22: desc->NumAllocations = 3; break;
    }
    return pOpenResourceFromNtHandle(desc);
}

static NTSTATUS onfn_null(UINT arg) { return pOpenNtHandleFromName(NULL); }
static NTSTATUS onfn_bad_ptr(UINT arg) { return pOpenNtHandleFromName(BAD_PTR); }
static NTSTATUS onfn_with(UINT arg)
{
    D3DKMT_OPENNTHANDLEFROMNAME desc;
    OBJECT_ATTRIBUTES attr;
    UNICODE_STRING name;
    NTSTATUS status;

    memset(&desc, 0, sizeof(desc));
    memset(&attr, 0, sizeof(attr));
    attr.Length = sizeof(attr);
    attr.ObjectName = &name;
    name.Buffer = (WCHAR *)L"\\BaseNamedObjects\\d3dkmt-badinput-nt";
    name.Length = name.MaximumLength = wcslen(name.Buffer) * sizeof(WCHAR);
    desc.dwDesiredAccess = STANDARD_RIGHTS_READ;
    desc.pObjAttrib = &attr;
    switch (arg)
    {
    case 1: memset(&desc, 0, sizeof(desc)); break;                  /* [WIN] */
    case 2: name.Buffer = (WCHAR *)L"\\BaseNamedObjects\\d3dkmt-badinput-none"; /* [WIN] */
            name.Length = name.MaximumLength = wcslen(name.Buffer) * sizeof(WCHAR); break;
    case 3: desc.dwDesiredAccess = 0; break;                        /* [WIN] */
    case 4: desc.pObjAttrib = BAD_PTR; break;
    case 5: attr.ObjectName = BAD_PTR; break;
    case 6: name.Buffer = BAD_PTR; break;
    case 7: attr.ObjectName = NULL; break;
    case 8: name.Buffer = (WCHAR *)L"\\BaseNamedObjects\\d3dkmt-badinput-foreign"; /* not ours */
            name.Length = name.MaximumLength = wcslen(name.Buffer) * sizeof(WCHAR); break;
    case 9: attr.Length = 0; break;
    case 10: attr.SecurityDescriptor = BAD_PTR; break;
    case 11: name.Length = 3; break;
    }
    status = pOpenNtHandleFromName(&desc);
    if (!status) CloseHandle(desc.hNtHandle);
    return status;
}

/* ---- OpenResource and OpenResource2 ---- */
static struct
{
    D3DKMT_OPENRESOURCE desc;
    D3DDDI_OPENALLOCATIONINFO info[4];
    D3DDDI_OPENALLOCATIONINFO2 info2[4];
    BYTE runtime[64], resource[64], total[256];
} open_ctx;

static NTSTATUS open_null(UINT arg) { return (arg & V2) ? pOpenResource2(NULL) : pOpenResource(NULL); }
static NTSTATUS open_bad_ptr(UINT arg) { return (arg & V2) ? pOpenResource2(BAD_PTR) : pOpenResource(BAD_PTR); }
static NTSTATUS open_with(UINT arg)
{
    D3DKMT_OPENRESOURCE *desc = &open_ctx.desc;
    BOOL v2 = !!(arg & V2);

    memset(&open_ctx, 0, sizeof(open_ctx));
    desc->hDevice = dev_b;
    desc->hGlobalShare = global_share;
    desc->NumAllocations = 1;
    if (v2) desc->pOpenAllocationInfo2 = open_ctx.info2;
    else desc->pOpenAllocationInfo = open_ctx.info;
    desc->pPrivateRuntimeData = open_ctx.runtime;
    desc->PrivateRuntimeDataSize = shared_runtime_size;
    desc->pResourcePrivateDriverData = open_ctx.resource;
    desc->ResourcePrivateDriverDataSize = shared_resource_size;
    desc->pTotalPrivateDriverDataBuffer = open_ctx.total;
    desc->TotalPrivateDriverDataBufferSize = shared_total_size;
    switch (arg & 0xffff)
    {
    case 1: desc->hDevice = 0; break;
    case 2: desc->hDevice = stale_dev; break;
    case 3: desc->hGlobalShare = 0; break;
    case 4: desc->hGlobalShare = shared_res; break;
    case 5: desc->hGlobalShare = (global_share ^ 0x0badc000) | 2; break;
    case 6: desc->NumAllocations = 0; break;
    case 7: desc->NumAllocations = 2; break;
    case 8: desc->pOpenAllocationInfo = NULL; break;
    case 9: desc->pOpenAllocationInfo = BAD_PTR; break;
    case 10: desc->pPrivateRuntimeData = NULL; break;
    case 11: desc->PrivateRuntimeDataSize++; break;
    case 12: desc->ResourcePrivateDriverDataSize++; break;
    case 13: desc->TotalPrivateDriverDataBufferSize--; break;
    case 14: desc->pTotalPrivateDriverDataBuffer = NULL; break;
    case 15: desc->NumAllocations = OVERFLOW_COUNT; break;
    case 16: desc->NumAllocations = MAX_ALLOCS + 1; break;
    case 17: desc->hDevice = adapter; break;
    case 18: desc->pTotalPrivateDriverDataBuffer = BAD_PTR; break;
    case 19: desc->PrivateRuntimeDataSize = MAX_DATA + 1; break;
    case 20: desc->pResourcePrivateDriverData = NULL; break;
    case 21: desc->ResourcePrivateDriverDataSize--; break;
    }
    return v2 ? pOpenResource2(desc) : pOpenResource(desc);
}

/* ---- MakeResident and Evict ---- */
static NTSTATUS resident_null(UINT arg) { return pMakeResident(NULL); }
static NTSTATUS resident_bad_ptr(UINT arg) { return pMakeResident(BAD_PTR); }
static NTSTATUS resident_with(UINT arg)
{
    D3DKMT_HANDLE list[2] = { alloc_vid, 0 };
    D3DDDI_MAKERESIDENT desc;

    memset(&desc, 0, sizeof(desc));
    desc.hPagingQueue = queue_a;
    desc.AllocationList = list;
    desc.NumAllocations = 1;
    switch (arg)
    {
    case 1: desc.hPagingQueue = 0; break;
    case 2: desc.hPagingQueue = stale_queue; break;
    case 3: desc.hPagingQueue = dev_a; break;
    case 4: desc.NumAllocations = 0; break;
    case 5: desc.AllocationList = NULL; break;
    case 6: desc.AllocationList = BAD_PTR; break;
    case 7: list[0] = stale_alloc; break;
    case 8: list[0] = alloc_b; break;
    case 9: desc.Flags.Value = 0x4; break;
    case 10: desc.AllocationList = stale_list; desc.NumAllocations = MAX_HANDLES; break;
    case 11: desc.AllocationList = stale_list; desc.NumAllocations = MAX_HANDLES + 1; break;
    case 12: desc.AllocationList = stale_list; desc.NumAllocations = OVERFLOW_COUNT; break;
    case 13: list[1] = stale_alloc; desc.NumAllocations = 2; break;
    case 14: list[0] = global_share; break;
    case 15: desc.hPagingQueue = RANDOM_HANDLE; break;
    case 16: desc.AllocationList = zero_list; desc.NumAllocations = MAX_HANDLES; break;
    }
    return pMakeResident(&desc);
}

static NTSTATUS evict_null(UINT arg) { return pEvict(NULL); }
static NTSTATUS evict_bad_ptr(UINT arg) { return pEvict(BAD_PTR); }
static NTSTATUS evict_with(UINT arg)
{
    D3DKMT_HANDLE list[2] = { alloc_vid, 0 };
    D3DKMT_EVICT desc;

    memset(&desc, 0, sizeof(desc));
    desc.hDevice = dev_a;
    desc.AllocationList = list;
    desc.NumAllocations = 1;
    switch (arg)
    {
    case 1: desc.hDevice = 0; break;
    case 2: desc.hDevice = stale_dev; break;
    case 3: desc.NumAllocations = 0; break;
    case 4: desc.AllocationList = NULL; break;
    case 5: desc.AllocationList = BAD_PTR; break;
    case 6: list[0] = stale_alloc; break;
    case 7: list[0] = alloc_b; break;
    case 8: break;      /* no residency reference to drop */
    case 9: desc.Flags.Value = 0x4; break;
    case 10: desc.AllocationList = stale_list; desc.NumAllocations = MAX_HANDLES; break;
    case 11: desc.AllocationList = stale_list; desc.NumAllocations = MAX_HANDLES + 1; break;
    case 12: desc.AllocationList = stale_list; desc.NumAllocations = OVERFLOW_COUNT; break;
    case 13: desc.hDevice = queue_a; break;
    }
    return pEvict(&desc);
}

/* ---- QueryAllocationResidency ---- */
static NTSTATUS residency_null(UINT arg) { return pQueryAllocationResidency(NULL); }
static NTSTATUS residency_bad_ptr(UINT arg) { return pQueryAllocationResidency(BAD_PTR); }
static NTSTATUS residency_with(UINT arg)
{
    D3DKMT_ALLOCATIONRESIDENCYSTATUS status[2];
    D3DKMT_HANDLE list[1] = { alloc_vid };
    D3DKMT_QUERYALLOCATIONRESIDENCY desc;

    memset(&desc, 0, sizeof(desc));
    desc.hDevice = dev_a;
    desc.phAllocationList = list;
    desc.AllocationCount = 1;
    desc.pResidencyStatus = status;
    switch (arg)
    {
    case 1: desc.hDevice = 0; break;
    case 2: desc.hDevice = stale_dev; break;
    case 3: desc.AllocationCount = 0; break;
    case 4: desc.phAllocationList = NULL; break;
    case 5: desc.pResidencyStatus = NULL; break;
    case 6: desc.pResidencyStatus = BAD_PTR; break;
    case 7: list[0] = stale_alloc; break;
    case 8: list[0] = alloc_b; break;
    case 9: desc.hResource = res_a; break;
    case 10: desc.hResource = stale_res; desc.AllocationCount = 0; desc.phAllocationList = NULL; break;
    case 11: desc.hResource = global_share; desc.AllocationCount = 0; desc.phAllocationList = NULL; break;
    case 12: desc.phAllocationList = stale_list; desc.pResidencyStatus = (void *)big_uints; desc.AllocationCount = MAX_HANDLES; break;
    case 13: desc.phAllocationList = stale_list; desc.pResidencyStatus = (void *)big_uints; desc.AllocationCount = MAX_HANDLES + 1; break;
    case 14: desc.phAllocationList = stale_list; desc.pResidencyStatus = (void *)big_uints; desc.AllocationCount = OVERFLOW_COUNT; break;
    case 15: desc.phAllocationList = BAD_PTR; break;
    }
    return pQueryAllocationResidency(&desc);
}

/* ---- SetAllocationPriority and GetAllocationPriority ---- */
static NTSTATUS setprio_null(UINT arg) { return pSetAllocationPriority(NULL); }
static NTSTATUS setprio_bad_ptr(UINT arg) { return pSetAllocationPriority(BAD_PTR); }
static NTSTATUS setprio_with(UINT arg)
{
    UINT priorities[2] = { D3DDDI_ALLOCATIONPRIORITY_HIGH, D3DDDI_ALLOCATIONPRIORITY_HIGH };
    D3DKMT_HANDLE list[2] = { alloc_vid, 0 };
    D3DKMT_SETALLOCATIONPRIORITY desc;
    UINT i;

    memset(&desc, 0, sizeof(desc));
    desc.hDevice = dev_a;
    desc.phAllocationList = list;
    desc.AllocationCount = 1;
    desc.pPriorities = priorities;
    switch (arg)
    {
    case 1: desc.hDevice = 0; break;
    case 2: desc.phAllocationList = NULL; break;
    case 3: desc.pPriorities = NULL; break;
    case 4: desc.pPriorities = BAD_PTR; break;
    case 5: list[0] = stale_alloc; break;
    case 6: list[0] = alloc_b; break;
    case 7: desc.hResource = res_a; break;
    case 8: desc.hResource = res_a; desc.AllocationCount = 0; desc.phAllocationList = NULL; desc.pPriorities = NULL; break;
    case 9: desc.phAllocationList = stale_list; desc.AllocationCount = MAX_HANDLES; desc.pPriorities = big_uints; break;
    case 10: desc.phAllocationList = stale_list; desc.AllocationCount = MAX_HANDLES + 1; desc.pPriorities = big_uints; break;
    case 11: desc.phAllocationList = stale_list; desc.AllocationCount = OVERFLOW_COUNT; desc.pPriorities = big_uints; break;
    case 12: desc.hResource = stale_res; desc.AllocationCount = 0; desc.phAllocationList = NULL; break;
    case 13: list[1] = stale_alloc; desc.AllocationCount = 2; break;
    case 14: desc.hDevice = stale_dev; break;
    case 15: desc.AllocationCount = 0; break;
    case 16: desc.phAllocationList = BAD_PTR; break;
    }
    if (arg >= 9 && arg <= 11)
        for (i = 0; i <= MAX_HANDLES; i++) big_uints[i] = D3DDDI_ALLOCATIONPRIORITY_HIGH;
    return pSetAllocationPriority(&desc);
}

static NTSTATUS getprio_null(UINT arg) { return pGetAllocationPriority(NULL); }
static NTSTATUS getprio_bad_ptr(UINT arg) { return pGetAllocationPriority(BAD_PTR); }
static NTSTATUS getprio_with(UINT arg)
{
    D3DKMT_HANDLE list[1] = { alloc_vid };
    D3DKMT_GETALLOCATIONPRIORITY desc;
    UINT priorities[1];

    memset(&desc, 0, sizeof(desc));
    desc.hDevice = dev_a;
    desc.phAllocationList = list;
    desc.AllocationCount = 1;
    desc.pPriorities = priorities;
    switch (arg)
    {
    case 1: desc.hDevice = 0; break;
    case 2: desc.phAllocationList = NULL; break;
    case 3: desc.pPriorities = NULL; break;
    case 4: desc.pPriorities = BAD_PTR; break;
    case 5: list[0] = stale_alloc; break;
    case 6: list[0] = alloc_b; break;
    case 7: desc.hResource = res_a; break;
    case 8: desc.phAllocationList = stale_list; desc.AllocationCount = MAX_HANDLES + 1; desc.pPriorities = big_uints; break;
    case 9: desc.phAllocationList = stale_list; desc.AllocationCount = OVERFLOW_COUNT; desc.pPriorities = big_uints; break;
    case 10: desc.hDevice = stale_dev; break;
    case 11: desc.phAllocationList = stale_list; desc.AllocationCount = MAX_HANDLES; desc.pPriorities = big_uints; break;
    }
    return pGetAllocationPriority(&desc);
}

/* ---- OfferAllocations, ReclaimAllocations, ReclaimAllocations2 ---- */
static NTSTATUS offer_null(UINT arg) { return pOfferAllocations(NULL); }
static NTSTATUS offer_bad_ptr(UINT arg) { return pOfferAllocations(BAD_PTR); }
static NTSTATUS offer_with(UINT arg)
{
    D3DKMT_HANDLE list[2] = { alloc_vid, 0 }, resources[1] = { res_a };
    D3DKMT_OFFERALLOCATIONS desc;

    memset(&desc, 0, sizeof(desc));
    desc.hDevice = dev_a;
    desc.HandleList = list;
    desc.NumAllocations = 1;
    desc.Priority = D3DKMT_OFFER_PRIORITY_LOW;
    switch (arg)
    {
    case 1: desc.hDevice = 0; break;
    case 2: desc.HandleList = NULL; break;
    case 3: desc.pResources = resources; break;
    case 4: desc.Priority = 0; break;
    case 5: desc.Priority = 5; break;
    case 6: desc.Flags.Value = 0x4; break;
    case 7: list[0] = stale_alloc; break;
    case 8: list[0] = alloc_b; break;
    case 9: desc.HandleList = stale_list; desc.NumAllocations = MAX_HANDLES; break;
    case 10: desc.HandleList = stale_list; desc.NumAllocations = MAX_HANDLES + 1; break;
    case 11: desc.HandleList = stale_list; desc.NumAllocations = OVERFLOW_COUNT; break;
    case 12: desc.HandleList = NULL; resources[0] = stale_res; desc.pResources = resources; break;
    case 13: desc.HandleList = BAD_PTR; break;
    case 14: desc.NumAllocations = 0; break;
    case 15: list[1] = stale_alloc; desc.NumAllocations = 2; break;
    case 16: desc.hDevice = stale_dev; break;
    }
    return pOfferAllocations(&desc);
}

static NTSTATUS reclaim_null(UINT arg) { return pReclaimAllocations(NULL); }
static NTSTATUS reclaim_bad_ptr(UINT arg) { return pReclaimAllocations(BAD_PTR); }
static NTSTATUS reclaim_with(UINT arg)
{
    D3DKMT_HANDLE list[1] = { alloc_vid }, resources[1] = { res_a };
    D3DKMT_RECLAIMALLOCATIONS desc;
    BOOL discarded[2];

    memset(&desc, 0, sizeof(desc));
    desc.hDevice = dev_a;
    desc.HandleList = list;
    desc.NumAllocations = 1;
    desc.pDiscarded = discarded;
    switch (arg)
    {
    case 1: desc.hDevice = 0; break;
    case 2: desc.HandleList = NULL; break;
    case 3: desc.pResources = resources; break;
    case 4: list[0] = stale_alloc; break;
    case 5: list[0] = alloc_b; break;
    case 6: desc.HandleList = stale_list; desc.NumAllocations = MAX_HANDLES + 1; desc.pDiscarded = (BOOL *)big_uints; break;
    case 7: desc.HandleList = stale_list; desc.NumAllocations = OVERFLOW_COUNT; desc.pDiscarded = (BOOL *)big_uints; break;
    case 8: desc.pDiscarded = BAD_PTR; break;
    case 9: desc.hDevice = stale_dev; break;
    case 10: desc.HandleList = stale_list; desc.NumAllocations = MAX_HANDLES; desc.pDiscarded = (BOOL *)big_uints; break;
    case 11: desc.HandleList = BAD_PTR; break;
    }
    return pReclaimAllocations(&desc);
}

static NTSTATUS reclaim2_null(UINT arg) { return pReclaimAllocations2(NULL); }
static NTSTATUS reclaim2_bad_ptr(UINT arg) { return pReclaimAllocations2(BAD_PTR); }
static NTSTATUS reclaim2_with(UINT arg)
{
    D3DKMT_HANDLE list[1] = { alloc_vid }, resources[1] = { res_a };
    D3DKMT_RECLAIMALLOCATIONS2 desc;
    D3DDDI_RECLAIM_RESULT results[2];

    memset(&desc, 0, sizeof(desc));
    desc.hPagingQueue = queue_a;
    desc.HandleList = list;
    desc.NumAllocations = 1;
    desc.pResults = results;
    switch (arg)
    {
    case 1: desc.hPagingQueue = 0; break;
    case 2: desc.hPagingQueue = stale_queue; break;
    case 3: desc.hPagingQueue = dev_a; break;
    case 4: desc.HandleList = NULL; break;
    case 5: desc.pResources = resources; break;
    case 6: list[0] = stale_alloc; break;
    case 7: list[0] = alloc_b; break;
    case 8: desc.HandleList = stale_list; desc.NumAllocations = MAX_HANDLES + 1; desc.pResults = (void *)big_uints; break;
    case 9: desc.HandleList = stale_list; desc.NumAllocations = OVERFLOW_COUNT; desc.pResults = (void *)big_uints; break;
    case 10: desc.pResults = BAD_PTR; break;
    case 11: desc.HandleList = stale_list; desc.NumAllocations = MAX_HANDLES; desc.pResults = (void *)big_uints; break;
    }
    return pReclaimAllocations2(&desc);
}

/* ---- GetDeviceState and MarkDeviceAsError ---- */
static NTSTATUS state_null(UINT arg) { return pGetDeviceState(NULL); }
static NTSTATUS state_bad_ptr(UINT arg) { return pGetDeviceState(BAD_PTR); }
static NTSTATUS state_with(UINT arg)
{
    D3DKMT_GETDEVICESTATE desc;

    memset(&desc, 0, sizeof(desc));
    desc.hDevice = dev_a;
    desc.StateType = D3DKMT_DEVICESTATE_EXECUTION;
    switch (arg)
    {
    case 1: desc.hDevice = 0; break;
    case 2: desc.hDevice = stale_dev; break;
    case 3: desc.hDevice = RANDOM_HANDLE; break;
    case 4: desc.hDevice = adapter; break;
    case 5: desc.StateType = 0; break;
    case 6: desc.StateType = 7; break;
    case 7: desc.StateType = 0x80000001; break;
    }
    return pGetDeviceState(&desc);
}

static NTSTATUS mark_null(UINT arg) { return pMarkDeviceAsError(NULL); }
static NTSTATUS mark_bad_ptr(UINT arg) { return pMarkDeviceAsError(BAD_PTR); }
static NTSTATUS mark_with(UINT arg)
{
    D3DKMT_MARKDEVICEASERROR desc;

    memset(&desc, 0, sizeof(desc));
    desc.hDevice = stale_dev;
    desc.Reason = D3DKMT_DEVICE_ERROR_REASON_GENERIC;
    switch (arg)
    {
    case 1: desc.hDevice = 0; break;
    case 2: break;
    case 3: desc.hDevice = dev_a; desc.Reason = 0x80000001; break;
    case 4: desc.hDevice = dev_a; desc.Reason = 0; break;
    case 5: desc.hDevice = adapter; break;
    case 6: desc.hDevice = RANDOM_HANDLE; break;
    case 7: desc.hDevice = alloc_vid; break;
    }
    return pMarkDeviceAsError(&desc);
}

/* ---- Escape (our driver's private escape; other types go to Wine) ---- */
static NTSTATUS escape_null(UINT arg) { return pEscape(NULL); }
static NTSTATUS escape_bad_ptr(UINT arg) { return pEscape(BAD_PTR); }
static NTSTATUS escape_with(UINT arg)
{
    D3DKMT_WINE_ESCAPE data;
    D3DKMT_ESCAPE desc;

    memset(&data, 0, sizeof(data));
    data.Magic = D3DKMT_WINE_ESCAPE_MAGIC;
    data.Version = D3DKMT_WINE_ESCAPE_VERSION;
    data.Command = D3DKMT_WINE_ESCAPE_QUERY_STATS;
    memset(&desc, 0, sizeof(desc));
    desc.hAdapter = adapter;
    desc.Type = D3DKMT_ESCAPE_DRIVERPRIVATE;
    desc.pPrivateDriverData = &data;
    desc.PrivateDriverDataSize = sizeof(data);
    switch (arg)
    {
    case 1: desc.hAdapter = 0; break;
    case 2: desc.hAdapter = stale_adapter; break;
    case 3: desc.hAdapter = dev_a; break;
    case 4: data.Magic = 0x41414141; break;
    case 5: data.Version = 2; break;
    case 6: data.Command = 0; break;
    case 7: data.Command = 0x1000; break;
    case 8: desc.PrivateDriverDataSize = 0; break;
    case 9: desc.PrivateDriverDataSize = sizeof(data) - 1; break;
    case 10: desc.pPrivateDriverData = big_data; desc.PrivateDriverDataSize = MAX_DATA + 1;
        memcpy(big_data, &data, sizeof(data)); break;
    case 11: desc.pPrivateDriverData = NULL; break;
    case 12: desc.pPrivateDriverData = BAD_PTR; break;
    case 13: desc.hDevice = stale_dev; break;
    case 14: desc.hDevice = alloc_vid; break;
    }
    return pEscape(&desc);
}

/* ---- QueryVideoMemoryInfo ---- */
static HANDLE limited_process, query_process, thread_handle;

static NTSTATUS qvmi_null(UINT arg) { return pQueryVideoMemoryInfo(NULL); }
static NTSTATUS qvmi_bad_ptr(UINT arg) { return pQueryVideoMemoryInfo(BAD_PTR); }
static NTSTATUS qvmi_with(UINT arg)
{
    D3DKMT_QUERYVIDEOMEMORYINFO desc;

    memset(&desc, 0, sizeof(desc));
    desc.hAdapter = adapter;
    desc.MemorySegmentGroup = D3DKMT_MEMORY_SEGMENT_GROUP_LOCAL;
    switch (arg)
    {
    case 1: desc.hAdapter = 0; break;
    case 2: desc.hAdapter = stale_adapter; break;
    case 3: desc.hAdapter = dev_a; break;
    case 4: desc.hProcess = (HANDLE)(ULONG_PTR)0x0badc0d4; break;
    case 5: desc.MemorySegmentGroup = 2; break;
    case 6: desc.PhysicalAdapterIndex = 99; break;
    case 7: desc.hProcess = limited_process; break;
    case 8: desc.hAdapter = RANDOM_HANDLE; break;
    case 9: desc.PhysicalAdapterIndex = 1; break;
    case 10: desc.hProcess = thread_handle; break;
    case 12: desc.hProcess = GetCurrentProcess(); break;
    case 13: desc.hProcess = query_process; break;
    }
    return pQueryVideoMemoryInfo(&desc);
}

/* ---- QueryStatistics ---- */
static NTSTATUS qs_null(UINT arg) { return pQueryStatistics(NULL); }
static NTSTATUS qs_bad_ptr(UINT arg) { return pQueryStatistics(BAD_PTR); }
static NTSTATUS qs_with(UINT arg)
{
    D3DKMT_QUERYSTATISTICS desc;

    memset(&desc, 0, sizeof(desc));
    desc.Type = D3DKMT_QUERYSTATISTICS_PROCESS_SEGMENT;
    desc.AdapterLuid = display1_luid;
    switch (arg)
    {
    case 1: desc.Type = 20; break;
    case 2: desc.Type = 0x80000000; break;
    case 3: desc.SegmentId = 2; break;
    case 4: desc.Type = D3DKMT_QUERYSTATISTICS_SEGMENT; desc.SegmentId = ~0u; break;
    case 5: desc.Type = D3DKMT_QUERYSTATISTICS_PROCESS_SEGMENT_GROUP; desc.SegmentGroup = 2; break;
    case 6: desc.hProcess = (HANDLE)(ULONG_PTR)0x0badc0d4; break;
    case 7: desc.hProcess = limited_process; break;
    case 8: desc.hProcess = thread_handle; break;
    case 9: desc.hProcess = GetCurrentProcess(); break;
    case 10: desc.hProcess = query_process; break;
    case 11: desc.Type = D3DKMT_QUERYSTATISTICS_SEGMENT; desc.hProcess = (HANDLE)(ULONG_PTR)0x0badc0d4; break;
    }
    return pQueryStatistics(&desc);
}

/* ---- CreatePagingQueue and DestroyPagingQueue ---- */
static NTSTATUS cqueue_null(UINT arg) { return pCreatePagingQueue(NULL); }
static NTSTATUS cqueue_bad_ptr(UINT arg) { return pCreatePagingQueue(BAD_PTR); }
static NTSTATUS cqueue_with(UINT arg)
{
    D3DKMT_CREATEPAGINGQUEUE desc;
    D3DDDI_DESTROYPAGINGQUEUE destroy;
    NTSTATUS status;

    memset(&desc, 0, sizeof(desc));
    desc.hDevice = dev_a;
    desc.Priority = D3DDDI_PAGINGQUEUE_PRIORITY_NORMAL;
    switch (arg)
    {
    case 1: desc.hDevice = 0; break;
    case 2: desc.hDevice = stale_dev; break;
    case 3: desc.hDevice = adapter; break;
    case 4: desc.Priority = 2; break;
    case 5: desc.Priority = -2; break;
    case 6: desc.PhysicalAdapterIndex = 1; break;
    case 7: desc.hDevice = RANDOM_HANDLE; break;
    }
    status = pCreatePagingQueue(&desc);
    if (!status)  /* undo a wrong success */
    {
        destroy.hPagingQueue = desc.hPagingQueue;
        pDestroyPagingQueue(&destroy);
    }
    return status;
}

static NTSTATUS dqueue_null(UINT arg) { return pDestroyPagingQueue(NULL); }
static NTSTATUS dqueue_bad_ptr(UINT arg) { return pDestroyPagingQueue(BAD_PTR); }
static NTSTATUS dqueue_with(UINT arg)
{
    D3DDDI_DESTROYPAGINGQUEUE desc;

    switch (arg)
    {
    case 1: desc.hPagingQueue = 0; break;
    case 2: desc.hPagingQueue = stale_queue; break;
    case 3: desc.hPagingQueue = dev_a; break;
    case 4: desc.hPagingQueue = alloc_vid; break;
    default: desc.hPagingQueue = RANDOM_HANDLE; break;
    }
    return pDestroyPagingQueue(&desc);
}


/* ---- synchronization objects ---- */

static D3DKMT_HANDLE make_sync2(D3DDDI_SYNCHRONIZATIONOBJECT_TYPE type, UINT flags, UINT64 value, D3DKMT_HANDLE *global,
                                volatile UINT64 **va)
{
    D3DKMT_CREATESYNCHRONIZATIONOBJECT2 desc;

    memset(&desc, 0, sizeof(desc));
    desc.hDevice = dev_a;
    desc.Info.Type = type;
    desc.Info.Flags.Value = flags;
    desc.Info.MonitoredFence.InitialFenceValue = value;
    if (pCreateSynchronizationObject2(&desc)) return 0;
    if (global) *global = desc.Info.SharedHandle;
    if (va) *va = desc.Info.MonitoredFence.FenceValueCPUVirtualAddress;
    return desc.hSyncObject;
}

static NTSTATUS destroy_sync_handle(D3DKMT_HANDLE h)
{
    D3DKMT_DESTROYSYNCHRONIZATIONOBJECT desc = { h };
    return pDestroySynchronizationObject(&desc);
}

static NTSTATUS destroy_km_handle(D3DKMT_HANDLE h)
{
    D3DKMT_DESTROYKEYEDMUTEX desc = { h };
    return pDestroyKeyedMutex(&desc);
}

static void setup_sync_fixture(void)
{
    D3DKMT_CREATEPAGINGQUEUE queue;
    D3DKMT_CREATEKEYEDMUTEX km;
    D3DKMT_RELEASEKEYEDMUTEX release;
    D3DKMT_ACQUIREKEYEDMUTEX acquire;
    UINT i;

    if (!pCreateSynchronizationObject2 || !pCreateKeyedMutex) return;
    fence_a = make_sync2(D3DDDI_MONITORED_FENCE, 0, SYNC_FENCE_VALUE, NULL, &fence_a_va);
    mutex_a = make_sync2(D3DDDI_SYNCHRONIZATION_MUTEX, 1, 0, &sync_global, NULL);
    stale_fence = make_sync2(D3DDDI_MONITORED_FENCE, 0, 0, NULL, NULL);
    destroy_sync_handle(stale_fence);
    destroy_sync_handle(make_sync2(D3DDDI_SYNCHRONIZATION_MUTEX, 1, 0, &stale_sync_global, NULL));
    memset(&km, 0, sizeof(km));
    pCreateKeyedMutex(&km);
    km_a = km.hKeyedMutex;
    km_global = km.hSharedHandle;
    memset(&acquire, 0, sizeof(acquire));
    acquire.hKeyedMutex = km_a;
    pAcquireKeyedMutex(&acquire);
    memset(&release, 0, sizeof(release));
    release.hKeyedMutex = km_a;
    release.FenceValue = SYNC_KM_FENCE;
    pReleaseKeyedMutex(&release);
    pCreateKeyedMutex(&km);
    stale_km = km.hKeyedMutex;
    stale_km_global = km.hSharedHandle;
    destroy_km_handle(stale_km);
    memset(&queue, 0, sizeof(queue));
    queue.hDevice = dev_a;
    if (!pCreatePagingQueue(&queue))
    {
        D3DDDI_DESTROYPAGINGQUEUE destroy = { queue.hPagingQueue };
        queue_fence = queue.hSyncObject;
        pDestroyPagingQueue(&destroy);   /* its fence: a stale fence of the other kind */
    }
    nt_fence = make_sync2(D3DDDI_MONITORED_FENCE, 0x3, 0, NULL, NULL);   /* Shared | NtSecuritySharing */
    if (pShareObjects && nt_fence)
    {
        OBJECT_ATTRIBUTES attr;
        UNICODE_STRING name;

        name.Buffer = (WCHAR *)L"\\BaseNamedObjects\\d3dkmt-badinput-sync";
        name.Length = name.MaximumLength = wcslen(name.Buffer) * sizeof(WCHAR);
        memset(&attr, 0, sizeof(attr));
        attr.Length = sizeof(attr);
        attr.ObjectName = &name;
        ok(!pShareObjects(1, &nt_fence, &attr, STANDARD_RIGHTS_READ, &sync_nt_handle), "fixture: share a fence\n");
    }
    big_values = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, (SYNC_MAX_WAIT + 1) * sizeof(*big_values));
    fence_list = HeapAlloc(GetProcessHeap(), 0, (SYNC_MAX_WAIT + 1) * sizeof(*fence_list));
    for (i = 0; i <= SYNC_MAX_WAIT; i++) fence_list[i] = fence_a;
}

static void cleanup_sync_fixture(void)
{
    if (fence_a) destroy_sync_handle(fence_a);
    if (mutex_a) destroy_sync_handle(mutex_a);
    if (km_a) destroy_km_handle(km_a);
    if (nt_fence) destroy_sync_handle(nt_fence);
    if (sync_nt_handle) CloseHandle(sync_nt_handle);
    fence_a = mutex_a = km_a = nt_fence = 0;
    sync_nt_handle = NULL;
    fence_a_va = NULL;
    HeapFree(GetProcessHeap(), 0, big_values);
    HeapFree(GetProcessHeap(), 0, fence_list);
}

/* ---- sync objects and keyed mutexes by NT handle ---- */

/* The NT handle a row uses: 1 {0}, 2 closed, 3 an event, 4 a resource's,
 * 5 a section not ours, 6 a random value; 0 the fence's. */
static HANDLE sync_nt_of(UINT arg)
{
    switch (arg)
    {
    case 1: return NULL;
    case 2:
    {
        /* Closed just now: nothing can have taken the value since. */
        HANDLE h = CreateEventA(NULL, FALSE, FALSE, NULL);

        CloseHandle(h);
        return h;
    }
    case 3: return event_handle;
    case 4: return nt_handle;
    case 5: return foreign_section;
    case 6: return (HANDLE)(ULONG_PTR)0x12345678;
    }
    return sync_nt_handle;
}

static NTSTATUS osnt_null(UINT arg) { return pOpenSyncObjectFromNtHandle(NULL); }
static NTSTATUS osnt_bad_ptr(UINT arg) { return pOpenSyncObjectFromNtHandle(BAD_PTR); }
static NTSTATUS osnt_with(UINT arg)
{
    D3DKMT_OPENSYNCOBJECTFROMNTHANDLE desc;
    NTSTATUS status;

    memset(&desc, 0, sizeof(desc));
    desc.hNtHandle = sync_nt_of(arg);
    if (!(status = pOpenSyncObjectFromNtHandle(&desc))) destroy_sync_handle(desc.hSyncObject);
    return status;
}

static NTSTATUS osnt2_null(UINT arg) { return pOpenSyncObjectFromNtHandle2(NULL); }
static NTSTATUS osnt2_bad_ptr(UINT arg) { return pOpenSyncObjectFromNtHandle2(BAD_PTR); }
static NTSTATUS osnt2_with(UINT arg)
{
    D3DKMT_OPENSYNCOBJECTFROMNTHANDLE2 desc;
    NTSTATUS status;

    memset(&desc, 0, sizeof(desc));
    desc.hDevice = dev_a;
    desc.hNtHandle = sync_nt_of(arg < 10 ? arg : 0);
    switch (arg)
    {
    case 10: memset(&desc, 0, sizeof(desc)); break;                 /* [WIN] {0} */
    case 11: desc.hDevice = 0; break;                               /* [WIN] */
    case 12: desc.hDevice = stale_dev; break;
    case 13: desc.hDevice = alloc_vid; break;
    case 14: desc.Flags.Value = 0xfffffc00; break;                  /* reserved bits */
    }
    if (!(status = pOpenSyncObjectFromNtHandle2(&desc))) destroy_sync_handle(desc.hSyncObject);
    return status;
}

static NTSTATUS osnfn_null(UINT arg) { return pOpenSyncObjectNtHandleFromName(NULL); }
static NTSTATUS osnfn_bad_ptr(UINT arg) { return pOpenSyncObjectNtHandleFromName(BAD_PTR); }
static NTSTATUS osnfn_with(UINT arg)
{
    D3DKMT_OPENSYNCOBJECTNTHANDLEFROMNAME desc;
    OBJECT_ATTRIBUTES attr;
    UNICODE_STRING name;
    NTSTATUS status;

    memset(&desc, 0, sizeof(desc));
    memset(&attr, 0, sizeof(attr));
    attr.Length = sizeof(attr);
    attr.ObjectName = &name;
    name.Buffer = (WCHAR *)L"\\BaseNamedObjects\\D3DKMT-BADINPUT-SYNC";   /* [WIN] case-insensitive */
    desc.dwDesiredAccess = STANDARD_RIGHTS_READ;
    desc.pObjAttrib = &attr;
    switch (arg)
    {
    case 1: memset(&desc, 0, sizeof(desc)); break;                  /* [WIN] */
    case 2: name.Buffer = (WCHAR *)L"\\BaseNamedObjects\\d3dkmt-badinput-none"; break;   /* [WIN] */
    case 3: desc.dwDesiredAccess = 0; break;                        /* [WIN] */
    case 4: desc.pObjAttrib = BAD_PTR; break;
    case 5: attr.ObjectName = BAD_PTR; break;
    case 7: attr.ObjectName = NULL; break;
    case 8: name.Buffer = (WCHAR *)L"\\BaseNamedObjects\\d3dkmt-badinput-foreign"; break;
    case 9: name.Buffer = (WCHAR *)L"\\BaseNamedObjects\\d3dkmt-badinput-nt"; break;   /* a resource's */
    case 10: desc.dwDesiredAccess = 0; name.Buffer = (WCHAR *)L"\\BaseNamedObjects\\d3dkmt-badinput-none"; break;
    }
    if (arg != 4 && arg != 5 && arg != 7) name.Length = name.MaximumLength = wcslen(name.Buffer) * sizeof(WCHAR);
    if (arg == 6) name.Buffer = BAD_PTR;
    status = pOpenSyncObjectNtHandleFromName(&desc);
    if (!status) CloseHandle(desc.hNtHandle);
    return status;
}

static NTSTATUS okmnt_null(UINT arg) { return pOpenKeyedMutexFromNtHandle(NULL); }
static NTSTATUS okmnt_bad_ptr(UINT arg) { return pOpenKeyedMutexFromNtHandle(BAD_PTR); }
static NTSTATUS okmnt_with(UINT arg)
{
    D3DKMT_OPENKEYEDMUTEXFROMNTHANDLE desc;
    NTSTATUS status;

    memset(&desc, 0, sizeof(desc));
    desc.hNtHandle = sync_nt_of(arg < 10 ? arg : 4);
    switch (arg)
    {
    case 10: desc.PrivateRuntimeDataSize = 16; break;
    case 11: desc.PrivateRuntimeDataSize = 16; desc.pPrivateRuntimeData = BAD_PTR; break;
    }
    if (!(status = pOpenKeyedMutexFromNtHandle(&desc))) destroy_km_handle(desc.hKeyedMutex);
    return status;
}

static NTSTATUS csync_null(UINT arg) { return pCreateSynchronizationObject(NULL); }
static NTSTATUS csync_bad_ptr(UINT arg) { return pCreateSynchronizationObject(BAD_PTR); }
static NTSTATUS csync_with(UINT arg)
{
    D3DKMT_CREATESYNCHRONIZATIONOBJECT desc;
    NTSTATUS status;

    memset(&desc, 0, sizeof(desc));
    desc.hDevice = dev_a;
    desc.Info.Type = D3DDDI_SYNCHRONIZATION_MUTEX;
    switch (arg)
    {
    case 1: desc.hDevice = 0; break;
    case 2: desc.hDevice = stale_dev; break;
    case 3: desc.hDevice = adapter; break;
    case 4: desc.Info.Type = 0; break;
    case 5: desc.Info.Type = D3DDDI_FENCE; break;
    case 6: desc.Info.Type = 99; break;
    case 7: desc.Info.Type = D3DDDI_MONITORED_FENCE; break;
    case 8: desc.Info.Type = D3DDDI_SEMAPHORE; desc.Info.Semaphore.MaxCount = 1; desc.Info.Semaphore.InitialCount = 2; break;
    }
    status = pCreateSynchronizationObject(&desc);
    if (!status) destroy_sync_handle(desc.hSyncObject);   /* undo a wrong success */
    return status;
}

static NTSTATUS csync2_null(UINT arg) { return pCreateSynchronizationObject2(NULL); }
static NTSTATUS csync2_bad_ptr(UINT arg) { return pCreateSynchronizationObject2(BAD_PTR); }
static NTSTATUS csync2_with(UINT arg)
{
    D3DKMT_CREATESYNCHRONIZATIONOBJECT2 desc;
    NTSTATUS status;

    memset(&desc, 0, sizeof(desc));
    desc.hDevice = dev_a;
    desc.Info.Type = D3DDDI_MONITORED_FENCE;
    switch (arg)
    {
    case 1: desc.hDevice = 0; desc.Info.Type = D3DDDI_SYNCHRONIZATION_MUTEX; break;
    case 2: desc.hDevice = stale_dev; break;
    case 3: desc.hDevice = fence_a; break;
    case 4: desc.Info.Type = 0; break;
    case 5: desc.Info.Type = D3DDDI_CPU_NOTIFICATION; break;
    case 6: desc.Info.Type = D3DDDI_CPU_NOTIFICATION; desc.Info.CPUNotification.Event = (HANDLE)(ULONG_PTR)0xdead0; break;
    case 7: desc.Info.Flags.Value = 0x40000000; break;
    case 8: desc.Info.Type = D3DDDI_SYNCHRONIZATION_MUTEX; desc.Info.Flags.Value = 2; break;
    case 9: desc.Info.Type = D3DDDI_PERIODIC_MONITORED_FENCE; break;
    case 10: desc.Info.Flags.Value = 1; break;               /* Shared without NT: monitored fence */
    case 11: desc.Info.Flags.Value = 0x30; break;            /* NoSignal | NoWait */
    case 12: desc.Info.Type = D3DDDI_SYNCHRONIZATION_TYPE_LIMIT; break;
    case 13: desc.Info.Type = D3DDDI_CPU_NOTIFICATION; desc.Info.CPUNotification.Event = GetCurrentProcess(); break;
    }
    status = pCreateSynchronizationObject2(&desc);
    if (!status) destroy_sync_handle(desc.hSyncObject);
    return status;
}

static NTSTATUS osync_null(UINT arg) { return pOpenSynchronizationObject(NULL); }
static NTSTATUS osync_bad_ptr(UINT arg) { return pOpenSynchronizationObject(BAD_PTR); }
static NTSTATUS osync_with(UINT arg)
{
    D3DKMT_OPENSYNCHRONIZATIONOBJECT desc;
    NTSTATUS status;

    memset(&desc, 0, sizeof(desc));
    switch (arg)
    {
    case 1: break;
    case 2: desc.hSharedHandle = 0x1eadbeed; break;
    case 3: desc.hSyncObject = mutex_a; break;
    case 4: desc.hSharedHandle = mutex_a; break;
    case 5: desc.hSharedHandle = stale_sync_global; break;
    case 6: desc.hSharedHandle = km_global; break;
    case 7: desc.hSharedHandle = global_share; break;
    }
    status = pOpenSynchronizationObject(&desc);
    if (!status) destroy_sync_handle(desc.hSyncObject);
    return status;
}

static NTSTATUS dsync_null(UINT arg) { return pDestroySynchronizationObject(NULL); }
static NTSTATUS dsync_bad_ptr(UINT arg) { return pDestroySynchronizationObject(BAD_PTR); }
static NTSTATUS dsync_with(UINT arg)
{
    static const D3DKMT_HANDLE *const handles[] =
        { NULL, &stale_fence, &sync_global, &dev_a, &km_a, &queue_fence, &alloc_vid, &adapter };
    D3DKMT_HANDLE zero = 0;
    return destroy_sync_handle(*(handles[arg] ? handles[arg] : &zero));
}

/* Signal / wait: arg picks the one thing wrong. */
static NTSTATUS cpu_call(BOOL wait, UINT arg)
{
    D3DKMT_WAITFORSYNCHRONIZATIONOBJECTFROMCPU w;
    D3DKMT_HANDLE list[2] = { fence_a, fence_a };
    UINT64 values[2] = { SYNC_FENCE_VALUE + 1, SYNC_FENCE_VALUE + 1 };
    D3DKMT_HANDLE device = dev_a;
    UINT count = 1, flags = 0;
    const D3DKMT_HANDLE *plist = list;
    const UINT64 *pvalues = values;
    HANDLE event = NULL;

    switch (arg)
    {
    case 1: count = 0; break;
    case 2: plist = stale_list; count = 1; break;           /* stale allocation handle */
    case 3: list[0] = stale_fence; break;
    case 4: list[0] = mutex_a; break;
    case 5: list[0] = km_a; break;
    case 6: list[0] = queue_fence; break;
    case 7: plist = NULL; break;
    case 8: pvalues = NULL; break;
    case 9: plist = (const D3DKMT_HANDLE *)noaccess; break;
    case 10: pvalues = (const UINT64 *)noaccess; break;
    case 11: device = 0; break;
    case 12: device = stale_dev; break;
    case 13: device = adapter; break;
    case 14: flags = 0x80000000; break;
    case 15: count = 2; list[1] = stale_fence; break;      /* all or nothing */
    case 16: count = wait ? SYNC_MAX_WAIT + 1 : 33; plist = fence_list; pvalues = big_values; break;
    case 17: count = OVERFLOW_COUNT; plist = fence_list; pvalues = big_values; break;
    case 18: count = 0x80000000u; plist = fence_list; pvalues = big_values; break;
    case 19: values[0] = SYNC_FENCE_VALUE - 1; break;       /* a rewind, without the flag */
    case 20: event = GetCurrentProcess(); break;
    case 21: event = (HANDLE)(ULONG_PTR)0xdead0; break;
    case 22: flags = 2; break;                               /* signal: EnqueueCpuEvent; wait: reserved */
    case 23: count = 1; list[0] = RANDOM_HANDLE; break;
    case 24: count = wait ? SYNC_MAX_WAIT : 32; plist = stale_list; pvalues = big_values; break;  /* max, one bad */
    }
    if (!wait)
    {
        D3DKMT_SIGNALSYNCHRONIZATIONOBJECTFROMCPU s;

        memset(&s, 0, sizeof(s));
        s.hDevice = device;
        s.ObjectCount = count;
        s.ObjectHandleArray = plist;
        s.FenceValueArray = pvalues;
        s.Flags.Value = flags;
        return pSignalSynchronizationObjectFromCpu(&s);
    }
    memset(&w, 0, sizeof(w));
    w.hDevice = device;
    w.ObjectCount = count;
    w.ObjectHandleArray = plist;
    w.FenceValueArray = pvalues;
    w.hAsyncEvent = event;
    w.Flags.Value = flags;
    return pWaitForSynchronizationObjectFromCpu(&w);
}

static NTSTATUS signal_null(UINT arg) { return pSignalSynchronizationObjectFromCpu(NULL); }
static NTSTATUS signal_bad_ptr(UINT arg) { return pSignalSynchronizationObjectFromCpu(BAD_PTR); }
static NTSTATUS signal_with(UINT arg) { return cpu_call(FALSE, arg); }
static NTSTATUS wait_null(UINT arg) { return pWaitForSynchronizationObjectFromCpu(NULL); }
static NTSTATUS wait_bad_ptr(UINT arg) { return pWaitForSynchronizationObjectFromCpu(BAD_PTR); }
static NTSTATUS wait_with(UINT arg) { return cpu_call(TRUE, arg); }

/* ---- keyed mutexes ---- */

static NTSTATUS ckm_null(UINT arg) { return arg ? pCreateKeyedMutex2(NULL) : pCreateKeyedMutex(NULL); }
static NTSTATUS ckm_bad_ptr(UINT arg) { return arg ? pCreateKeyedMutex2(BAD_PTR) : pCreateKeyedMutex(BAD_PTR); }
static NTSTATUS ckm2_with(UINT arg)
{
    D3DKMT_CREATEKEYEDMUTEX2 desc;
    NTSTATUS status;

    memset(&desc, 0, sizeof(desc));
    switch (arg)
    {
    case 1: desc.Flags.Value = 2; break;
    case 2: desc.PrivateRuntimeDataSize = 4; break;
    case 3: desc.PrivateRuntimeDataSize = 64 * 1024 + 1; desc.pPrivateRuntimeData = big_data; break;
    case 4: desc.PrivateRuntimeDataSize = 16; desc.pPrivateRuntimeData = noaccess; break;
    case 5: desc.PrivateRuntimeDataSize = 0xffffffff; desc.pPrivateRuntimeData = big_data; break;
    }
    status = pCreateKeyedMutex2(&desc);
    if (!status) destroy_km_handle(desc.hKeyedMutex);
    return status;
}

static NTSTATUS okm_null(UINT arg) { return arg ? pOpenKeyedMutex2(NULL) : pOpenKeyedMutex(NULL); }
static NTSTATUS okm_bad_ptr(UINT arg) { return arg ? pOpenKeyedMutex2(BAD_PTR) : pOpenKeyedMutex(BAD_PTR); }
static NTSTATUS okm_with(UINT arg)
{
    D3DKMT_OPENKEYEDMUTEX2 desc;
    NTSTATUS status;

    memset(&desc, 0, sizeof(desc));
    desc.hSharedHandle = km_global;
    switch (arg)
    {
    case 1: desc.hSharedHandle = 0; break;
    case 2: desc.hSharedHandle = 0; desc.hKeyedMutex = km_a; break;
    case 3: desc.hSharedHandle = km_a; break;
    case 4: desc.hSharedHandle = stale_km_global; break;
    case 5: desc.hSharedHandle = sync_global; break;
    case 6: desc.PrivateRuntimeDataSize = 64; break;
    case 7: desc.PrivateRuntimeDataSize = 16; desc.pPrivateRuntimeData = noaccess; break;
    case 8: desc.hSharedHandle = 0x1eadbeed; break;
    }
    status = pOpenKeyedMutex2(&desc);
    if (!status) destroy_km_handle(desc.hKeyedMutex);
    return status;
}

static NTSTATUS dkm_null(UINT arg) { return pDestroyKeyedMutex(NULL); }
static NTSTATUS dkm_bad_ptr(UINT arg) { return pDestroyKeyedMutex(BAD_PTR); }
static NTSTATUS dkm_with(UINT arg)
{
    static const D3DKMT_HANDLE *const handles[] = { NULL, &stale_km, &km_global, &fence_a, &dev_a, &mutex_a };
    D3DKMT_HANDLE zero = 0;
    return destroy_km_handle(*(handles[arg] ? handles[arg] : &zero));
}

static NTSTATUS akm_null(UINT arg) { return arg ? pAcquireKeyedMutex2(NULL) : pAcquireKeyedMutex(NULL); }
static NTSTATUS akm_bad_ptr(UINT arg) { return arg ? pAcquireKeyedMutex2(BAD_PTR) : pAcquireKeyedMutex(BAD_PTR); }
static NTSTATUS akm_with(UINT arg)
{
    D3DKMT_ACQUIREKEYEDMUTEX2 desc;
    LARGE_INTEGER poll = {{0}};
    NTSTATUS status;

    memset(&desc, 0, sizeof(desc));
    desc.hKeyedMutex = stale_km;
    desc.pTimeout = &poll;
    switch (arg)
    {
    case 1: desc.hKeyedMutex = 0; break;
    case 2: break;
    case 3: desc.hKeyedMutex = fence_a; break;
    case 4: desc.hKeyedMutex = km_global; break;
    case 5: desc.hKeyedMutex = km_a; desc.pTimeout = (LARGE_INTEGER *)noaccess; break;
    case 6: desc.hKeyedMutex = km_a; desc.PrivateRuntimeDataSize = 16; break;
    case 7: desc.hKeyedMutex = km_a; desc.PrivateRuntimeDataSize = 16; desc.pPrivateRuntimeData = noaccess; break;
    case 8: desc.hKeyedMutex = km_a; desc.PrivateRuntimeDataSize = 64 * 1024 + 1; desc.pPrivateRuntimeData = big_data; break;
    case 9: desc.hKeyedMutex = RANDOM_HANDLE; break;
    }
    status = pAcquireKeyedMutex2(&desc);
    if (status == STATUS_SUCCESS)   /* undo a wrong success */
    {
        D3DKMT_RELEASEKEYEDMUTEX release = { desc.hKeyedMutex, 0, SYNC_KM_FENCE };
        pReleaseKeyedMutex(&release);
    }
    return status;
}

static NTSTATUS rkm_null(UINT arg) { return arg ? pReleaseKeyedMutex2(NULL) : pReleaseKeyedMutex(NULL); }
static NTSTATUS rkm_bad_ptr(UINT arg) { return arg ? pReleaseKeyedMutex2(BAD_PTR) : pReleaseKeyedMutex(BAD_PTR); }
static NTSTATUS rkm_with(UINT arg)
{
    D3DKMT_RELEASEKEYEDMUTEX2 desc;

    memset(&desc, 0, sizeof(desc));
    desc.hKeyedMutex = km_a;
    desc.Key = 9;
    switch (arg)
    {
    case 1: desc.hKeyedMutex = 0; break;
    case 2: desc.hKeyedMutex = stale_km; break;
    case 3: break;                                            /* not owned */
    case 4: desc.hKeyedMutex = fence_a; break;
    case 5: desc.PrivateRuntimeDataSize = 16; break;
    case 6: desc.PrivateRuntimeDataSize = 16; desc.pPrivateRuntimeData = noaccess; break;
    }
    return pReleaseKeyedMutex2(&desc);
}

struct row
{
    const char *name;
    row_func call;
    UINT arg;
    NTSTATUS expected;
    const char *basis;  /* "WIN", "DOC" or "choice" */
};

#define INVALID   STATUS_INVALID_PARAMETER
#define AV        STATUS_ACCESS_VIOLATION
#define BADHANDLE STATUS_INVALID_HANDLE
#define R(name, call, arg, expected, basis) { name, call, arg, expected, basis }

static const struct row rows[] =
{
    /* OpenAdapterFromHdc: [WIN] Windows 10 2004+ crashes on NULL. */
    R("OpenAdapterFromHdc(NULL)", hdc_null, 0, INVALID, "choice"),
    R("OpenAdapterFromHdc(unreadable)", hdc_bad_ptr, 0, AV, "choice"),
    R("OpenAdapterFromHdc hDc NULL", hdc_with, 0, INVALID, "WIN"),
    R("OpenAdapterFromHdc random hDc", hdc_with, 1, INVALID, "DOC"),
    R("OpenAdapterFromHdc memory DC", hdc_with, 2, INVALID, "choice"),

    R("OpenAdapterFromDeviceName(NULL)", devname_null, 0, INVALID, "WIN"),
    R("OpenAdapterFromDeviceName(unreadable)", devname_bad_ptr, 0, AV, "choice"),
    R("OpenAdapterFromDeviceName pDeviceName NULL", devname_with, 0, INVALID, "WIN"),
    R("OpenAdapterFromDeviceName pDeviceName unreadable", devname_with, 1, AV, "choice"),
    R("OpenAdapterFromDeviceName pDeviceName no-access page", devname_with, 2, AV, "choice"),
    R("OpenAdapterFromDeviceName empty name", devname_with, 3, INVALID, "choice"),
    R("OpenAdapterFromDeviceName unknown interface", devname_with, 4, INVALID, "DOC"),
    R("OpenAdapterFromDeviceName GDI name", devname_with, 5, INVALID, "choice"),

    R("OpenAdapterFromGdiDisplayName(NULL)", gdiname_null, 0, STATUS_UNSUCCESSFUL, "WIN"),
    R("OpenAdapterFromGdiDisplayName(unreadable)", gdiname_bad_ptr, 0, AV, "choice"),
    R("OpenAdapterFromGdiDisplayName empty name", gdiname_with, 0, STATUS_UNSUCCESSFUL, "WIN"),
    R("OpenAdapterFromGdiDisplayName DISPLAY99", gdiname_with, 1, STATUS_UNSUCCESSFUL, "WIN"),
    R("OpenAdapterFromGdiDisplayName no \\\\.\\ prefix", gdiname_with, 2, STATUS_UNSUCCESSFUL, "choice"),
    R("OpenAdapterFromGdiDisplayName unterminated", gdiname_with, 3, STATUS_UNSUCCESSFUL, "choice"),
    R("OpenAdapterFromGdiDisplayName monitor name", gdiname_with, 4, STATUS_UNSUCCESSFUL, "choice"),

    R("OpenAdapterFromLuid(NULL)", luid_null, 0, INVALID, "choice"),
    R("OpenAdapterFromLuid(unreadable)", luid_bad_ptr, 0, AV, "choice"),
    R("OpenAdapterFromLuid zero LUID", luid_with, 0, INVALID, "DOC"),
    R("OpenAdapterFromLuid random LUID", luid_with, 1, INVALID, "DOC"),
    R("OpenAdapterFromLuid wrong HighPart", luid_with, 2, INVALID, "choice"),
    R("OpenAdapterFromLuid wrong LowPart", luid_with, 3, INVALID, "choice"),

    R("EnumAdapters2(NULL)", enum_null, 0, INVALID, "WIN"),
    R("EnumAdapters2(unreadable)", enum_bad_ptr, 0, AV, "choice"),
    R("EnumAdapters2 NumAdapters 0, array given", enum_with, 1, STATUS_BUFFER_TOO_SMALL, "WIN"),
    R("EnumAdapters2 pAdapters unwritable", enum_with, 2, INVALID, "DOC"),
    R("EnumAdapters2 pAdapters no-access page", enum_with, 3, INVALID, "DOC"),

    R("CloseAdapter(NULL)", close_null, 0, INVALID, "WIN"),
    R("CloseAdapter(unreadable)", close_bad_ptr, 0, AV, "choice"),
    R("CloseAdapter handle 0", close_handle, 0, INVALID, "WIN"),
    R("CloseAdapter random handle", close_handle, RANDOM_HANDLE, INVALID, "DOC"),
    R("CloseAdapter stale handle", close_stale, 0, INVALID, "choice"),
    R("CloseAdapter device handle", close_device, 0, INVALID, "choice"),
    R("CloseAdapter global share handle", close_global, 0, INVALID, "choice"),

    R("QueryAdapterInfo(NULL)", qai_null, 0, INVALID, "choice"),
    R("QueryAdapterInfo(unreadable)", qai_bad_ptr, 0, AV, "choice"),
    R("QueryAdapterInfo hAdapter 0", qai_with, 1, INVALID, "DOC"),
    R("QueryAdapterInfo stale adapter", qai_with, 2, INVALID, "choice"),
    R("QueryAdapterInfo device handle", qai_with, 3, INVALID, "choice"),
    R("QueryAdapterInfo random adapter", qai_with, 11, INVALID, "choice"),
    R("QueryAdapterInfo data NULL", qai_with, 4, INVALID, "WIN"),
    R("QueryAdapterInfo size one short", qai_with, 5, INVALID, "WIN"),
    R("QueryAdapterInfo size 0", qai_with, 6, INVALID, "choice"),
    R("QueryAdapterInfo size one over", qai_with, 7, INVALID, "choice"),
    R("QueryAdapterInfo size over the cap", qai_with, 8, INVALID, "choice"),
    R("QueryAdapterInfo data unwritable", qai_with, 9, AV, "choice"),
    R("QueryAdapterInfo unknown type", qai_with, 10, INVALID, "choice"),
    R("QueryAdapterInfo CHECKDRIVERUPDATESTATUS size short", qai_with, 12, INVALID, "WIN"),

    R("CreateDevice(NULL)", cdev_null, 0, INVALID, "WIN"),
    R("CreateDevice(unreadable)", cdev_bad_ptr, 0, AV, "choice"),
    R("CreateDevice hAdapter 0", cdev_on, 0, INVALID, "WIN"),
    R("CreateDevice random adapter", cdev_on, RANDOM_HANDLE, INVALID, "DOC"),
    R("CreateDevice stale adapter", cdev_stale, 0, INVALID, "choice"),
    R("CreateDevice device handle as adapter", cdev_device, 0, INVALID, "choice"),

    R("DestroyDevice(NULL)", ddev_null, 0, INVALID, "WIN"),
    R("DestroyDevice(unreadable)", ddev_bad_ptr, 0, AV, "choice"),
    R("DestroyDevice handle 0", ddev_handle, 0, INVALID, "WIN"),
    R("DestroyDevice random handle", ddev_handle, RANDOM_HANDLE, INVALID, "DOC"),
    R("DestroyDevice stale device", ddev_stale, 0, INVALID, "choice"),
    R("DestroyDevice adapter handle", ddev_adapter, 0, INVALID, "choice"),
    R("DestroyDevice allocation handle", ddev_alloc, 0, INVALID, "choice"),

    /* CreateAllocation: [WIN] crashes on NULL. */
    R("CreateAllocation(NULL)", create_null, 0, INVALID, "choice"),
    R("CreateAllocation2(NULL)", create_null, V2, INVALID, "choice"),
    R("CreateAllocation(unreadable)", create_bad_ptr, 0, AV, "choice"),
    R("CreateAllocation2(unreadable)", create_bad_ptr, V2, AV, "choice"),
    R("CreateAllocation zeroed", create_with, 1, INVALID, "WIN"),
    R("CreateAllocation2 zeroed", create_with, V2 | 1, INVALID, "WIN"),
    R("CreateAllocation hDevice 0", create_with, 2, INVALID, "WIN"),
    R("CreateAllocation2 hDevice 0", create_with, V2 | 2, INVALID, "WIN"),
    R("CreateAllocation2 stale device", create_with, V2 | 3, INVALID, "choice"),
    R("CreateAllocation adapter handle as device", create_with, 4, INVALID, "choice"),
    R("CreateAllocation random hResource", create_with, 5, BADHANDLE, "WIN"),
    R("CreateAllocation2 random hResource", create_with, V2 | 5, BADHANDLE, "WIN"),
    R("CreateAllocation2 stale hResource", create_with, V2 | 6, BADHANDLE, "WIN"),
    R("CreateAllocation2 allocation handle as hResource", create_with, V2 | 7, BADHANDLE, "WIN"),
    R("CreateAllocation2 global share as hResource", create_with, V2 | 8, BADHANDLE, "WIN"),
    R("CreateAllocation2 other device's hResource", create_with, V2 | 9, INVALID, "choice"),
    R("CreateAllocation2 CreateResource with random hResource", create_with, V2 | 20, BADHANDLE, "WIN"),
    R("CreateAllocation NumAllocations 0", create_with, 10, INVALID, "WIN"),
    R("CreateAllocation2 NumAllocations 0", create_with, V2 | 10, INVALID, "WIN"),
    R("CreateAllocation info NULL", create_with, 11, INVALID, "choice"),
    R("CreateAllocation2 info NULL", create_with, V2 | 11, INVALID, "choice"),
    R("CreateAllocation info unreadable", create_with, 12, AV, "choice"),
    R("CreateAllocation2 info unreadable", create_with, V2 | 12, AV, "choice"),
    R("CreateAllocation NumAllocations overflowing", create_with, 13, INVALID, "choice"),
    R("CreateAllocation2 NumAllocations overflowing", create_with, V2 | 13, INVALID, "choice"),
    R("CreateAllocation maximum count, last one bad", create_with, 14, INVALID, "choice"),
    R("CreateAllocation2 maximum count, last one bad", create_with, V2 | 14, INVALID, "choice"),
    R("CreateAllocation maximum + 1", create_with, 15, INVALID, "choice"),
    R("CreateAllocation2 maximum + 1", create_with, V2 | 15, INVALID, "choice"),
    R("CreateAllocation reserved flag 0x80000000", create_with, 16, INVALID, "choice"),
    R("CreateAllocation2 reserved flag 0x80000000", create_with, V2 | 16, INVALID, "choice"),
    R("CreateAllocation2 CreateShared without CreateResource", create_with, V2 | 17, INVALID, "WIN"),
    R("CreateAllocation CreateShared without CreateResource", create_with, 17, INVALID, "WIN"),
    R("CreateAllocation2 NtSecuritySharing without CreateShared", create_with, V2 | 18, INVALID, "DOC"),
    R("CreateAllocation2 CreateProtected (kernel only)", create_with, V2 | 19, INVALID, "choice"),
    R("CreateAllocation2 ExistingSection alone", create_with, V2 | 21, INVALID, "choice"),
    R("CreateAllocation info reserved flag", create_with, 30, INVALID, "choice"),
    R("CreateAllocation2 info reserved flag", create_with, V2 | 30, INVALID, "choice"),
    R("CreateAllocation2 Stereo without Primary", create_with, V2 | 31, INVALID, "DOC"),
    R("CreateAllocation2 private data NULL", create_with, V2 | 32, INVALID, "choice"),
    R("CreateAllocation private data NULL", create_with, 32, INVALID, "choice"),
    R("CreateAllocation2 private data unreadable", create_with, V2 | 33, AV, "choice"),
    R("CreateAllocation2 private data size 0", create_with, V2 | 34, INVALID, "choice"),
    R("CreateAllocation private data size 0", create_with, 34, INVALID, "choice"),
    R("CreateAllocation2 private data too small", create_with, V2 | 35, INVALID, "choice"),
    R("CreateAllocation2 private data over the cap", create_with, V2 | 36, INVALID, "choice"),
    R("CreateAllocation private data over the cap", create_with, 36, INVALID, "choice"),
    R("CreateAllocation2 descriptor bad magic", create_with, V2 | 37, INVALID, "choice"),
    R("CreateAllocation2 descriptor reserved flag", create_with, V2 | 38, INVALID, "choice"),
    R("CreateAllocation2 descriptor segment group 2", create_with, V2 | 39, INVALID, "choice"),
    R("CreateAllocation2 descriptor alignment not a power of two", create_with, V2 | 40, INVALID, "choice"),
    R("CreateAllocation2 descriptor size 0", create_with, V2 | 41, INVALID, "choice"),
    R("CreateAllocation2 pSystemMem unaligned", create_with, V2 | 42, INVALID, "choice"),
    R("CreateAllocation pSystemMem unaligned", create_with, 42, INVALID, "choice"),
    R("CreateAllocation2 pSystemMem partly unmapped", create_with, V2 | 43, INVALID, "choice"),
    R("CreateAllocation2 pSystemMem no-access page", create_with, V2 | 44, INVALID, "choice"),
    R("CreateAllocation2 Primary with pSystemMem", create_with, V2 | 45, INVALID, "choice"),
    R("CreateAllocation2 OverridePriority with priority 0", create_with, V2 | 46, INVALID, "choice"),
    R("CreateAllocation OverridePriority bit (reserved there)", create_with, 46, INVALID, "choice"),
    R("CreateAllocation2 runtime data over the cap", create_with, V2 | 50, INVALID, "choice"),
    R("CreateAllocation2 runtime data NULL with a size", create_with, V2 | 51, INVALID, "choice"),
    R("CreateAllocation2 runtime data unreadable", create_with, V2 | 52, AV, "choice"),
    R("CreateAllocation2 resource data over the cap", create_with, V2 | 53, INVALID, "choice"),
    R("CreateAllocation2 resource data NULL with a size", create_with, V2 | 54, INVALID, "choice"),
    R("CreateAllocation2 resource data unreadable", create_with, V2 | 55, AV, "choice"),
    R("CreateAllocation2 CreateResource, runtime data over the cap", create_with, V2 | 56, INVALID, "choice"),
    R("CreateAllocation2 standard: heap unaligned", create_with, V2 | 60, INVALID, "choice"),
    R("CreateAllocation2 standard: size 0x1100", create_with, V2 | 61, INVALID, "WIN"),
    R("CreateAllocation standard: size 0x1100", create_with, 61, INVALID, "WIN"),
    R("CreateAllocation2 standard: pSystemMem NULL", create_with, V2 | 62, INVALID, "WIN"),
    R("CreateAllocation2 standard: Type 0", create_with, V2 | 63, INVALID, "WIN"),
    R("CreateAllocation2 standard: NumAllocations 2", create_with, V2 | 64, INVALID, "WIN"),
    R("CreateAllocation2 standard: PrivateDriverDataSize 64", create_with, V2 | 65, INVALID, "WIN"),
    R("CreateAllocation2 standard: ExistingSysMem cleared", create_with, V2 | 66, INVALID, "WIN"),
    R("CreateAllocation2 standard: StandardAllocation cleared", create_with, V2 | 67, INVALID, "WIN"),
    R("CreateAllocation2 standard: added to a resource", create_with, V2 | 68, INVALID, "WIN"),
    R("CreateAllocation2 standard: heap size 0", create_with, V2 | 69, INVALID, "choice"),

    R("DestroyAllocation(NULL)", destroy_null, 0, INVALID, "choice"),
    R("DestroyAllocation2(NULL)", destroy_null, V2, INVALID, "choice"),
    R("DestroyAllocation(unreadable)", destroy_bad_ptr, 0, AV, "choice"),
    R("DestroyAllocation2(unreadable)", destroy_bad_ptr, V2, AV, "choice"),
    R("DestroyAllocation hDevice 0", destroy_with, 1, INVALID, "choice"),
    R("DestroyAllocation2 hDevice 0", destroy_with, V2 | 1, INVALID, "choice"),
    R("DestroyAllocation stale device", destroy_with, 2, INVALID, "choice"),
    R("DestroyAllocation list NULL", destroy_with, 3, INVALID, "WIN"),
    R("DestroyAllocation2 list NULL", destroy_with, V2 | 3, INVALID, "WIN"),
    R("DestroyAllocation list unreadable", destroy_with, 4, AV, "choice"),
    R("DestroyAllocation2 list unreadable", destroy_with, V2 | 4, AV, "choice"),
    R("DestroyAllocation stale allocation", destroy_with, 5, INVALID, "WIN"),
    R("DestroyAllocation2 stale allocation", destroy_with, V2 | 5, INVALID, "WIN"),
    R("DestroyAllocation stale resource", destroy_with, 6, INVALID, "WIN"),
    R("DestroyAllocation2 stale resource", destroy_with, V2 | 6, INVALID, "WIN"),
    R("DestroyAllocation random handle", destroy_with, 7, INVALID, "choice"),
    R("DestroyAllocation handle 0 in the list", destroy_with, 25, INVALID, "choice"),
    R("DestroyAllocation other device's allocation", destroy_with, 8, INVALID, "choice"),
    R("DestroyAllocation2 other device's allocation", destroy_with, V2 | 8, INVALID, "choice"),
    R("DestroyAllocation global share as hResource", destroy_with, 9, INVALID, "choice"),
    R("DestroyAllocation global share in the list", destroy_with, 23, INVALID, "choice"),
    R("DestroyAllocation allocation handle as hResource", destroy_with, 10, INVALID, "choice"),
    R("DestroyAllocation resource handle in the list", destroy_with, 11, INVALID, "choice"),
    R("DestroyAllocation list mixing a resource's and a stand-alone allocation", destroy_with, 12, INVALID, "DOC"),
    R("DestroyAllocation2 list mixing a resource's and a stand-alone allocation", destroy_with, V2 | 12, INVALID, "DOC"),
    R("DestroyAllocation one good, one stale", destroy_with, 13, INVALID, "choice"),
    R("DestroyAllocation2 one good, one stale", destroy_with, V2 | 13, INVALID, "choice"),
    R("DestroyAllocation duplicate handle", destroy_with, 14, INVALID, "choice"),
    R("DestroyAllocation maximum count of stale handles", destroy_with, 15, INVALID, "choice"),
    R("DestroyAllocation maximum count of zero handles", destroy_with, 22, INVALID, "choice"),
    R("DestroyAllocation maximum + 1", destroy_with, 16, INVALID, "choice"),
    R("DestroyAllocation2 maximum + 1", destroy_with, V2 | 16, INVALID, "choice"),
    R("DestroyAllocation count overflowing", destroy_with, 17, INVALID, "choice"),
    R("DestroyAllocation2 count overflowing", destroy_with, V2 | 17, INVALID, "choice"),
    R("DestroyAllocation random hResource", destroy_with, 18, INVALID, "choice"),
    R("DestroyAllocation2 reserved flag 0x4", destroy_with, V2 | 19, INVALID, "choice"),
    R("DestroyAllocation2 SystemUseOnly flag", destroy_with, V2 | 20, INVALID, "choice"),
    R("DestroyAllocation wrong device", destroy_with, 21, INVALID, "choice"),
    R("DestroyAllocation other device's resource", destroy_with, 24, INVALID, "choice"),

    R("Lock(NULL)", lock_null, 0, INVALID, "choice"),
    R("Lock(unreadable)", lock_bad_ptr, 0, AV, "choice"),
    R("Lock hDevice 0", lock_with, 1, INVALID, "choice"),
    R("Lock stale device", lock_with, 2, INVALID, "choice"),
    R("Lock hAllocation 0", lock_with, 3, INVALID, "choice"),
    R("Lock random allocation", lock_with, 4, INVALID, "choice"),
    R("Lock stale allocation", lock_with, 5, INVALID, "choice"),
    R("Lock other device's allocation", lock_with, 6, INVALID, "choice"),
    R("Lock wrong device", lock_with, 23, INVALID, "choice"),
    R("Lock global share handle", lock_with, 7, INVALID, "choice"),
    R("Lock resource handle", lock_with, 8, INVALID, "choice"),
    R("Lock device handle as allocation", lock_with, 9, INVALID, "choice"),
    R("Lock reserved flag 0x800", lock_with, 10, INVALID, "choice"),
    R("Lock reserved flag 0x80000000", lock_with, 11, INVALID, "choice"),
    R("Lock ReadOnly|WriteOnly", lock_with, 12, INVALID, "choice"),
    R("Lock IgnoreSync|AcquireAperture", lock_with, 13, INVALID, "choice"),
    R("Lock UseAlternateVA without AcquireAperture", lock_with, 14, INVALID, "choice"),
    R("Lock LockEntire with a page list", lock_with, 15, INVALID, "choice"),
    R("Lock page list NULL", lock_with, 16, INVALID, "choice"),
    R("Lock page list unreadable", lock_with, 17, AV, "choice"),
    R("Lock page list no-access page", lock_with, 18, AV, "choice"),
    R("Lock page 16 of 16", lock_with, 19, INVALID, "choice"),
    R("Lock page 0xffffffff", lock_with, 20, INVALID, "choice"),
    R("Lock 17 pages of 16", lock_with, 21, INVALID, "choice"),
    R("Lock NumPages overflowing", lock_with, 22, INVALID, "choice"),
    R("Lock system-memory allocation page 16", lock_with, 24, INVALID, "choice"),

    R("Unlock(NULL)", unlock_null, 0, INVALID, "choice"),
    R("Unlock(unreadable)", unlock_bad_ptr, 0, AV, "choice"),
    R("Unlock hDevice 0", unlock_with, 1, INVALID, "choice"),
    R("Unlock stale device", unlock_with, 2, INVALID, "choice"),
    R("Unlock count 0", unlock_with, 3, INVALID, "choice"),
    R("Unlock list NULL", unlock_with, 4, INVALID, "choice"),
    R("Unlock list unreadable", unlock_with, 5, AV, "choice"),
    R("Unlock stale allocation", unlock_with, 6, INVALID, "choice"),
    R("Unlock handle 0", unlock_with, 14, INVALID, "choice"),
    R("Unlock not locked", unlock_with, 7, INVALID, "choice"),
    R("Unlock other device's allocation", unlock_with, 8, INVALID, "choice"),
    R("Unlock global share handle", unlock_with, 9, INVALID, "choice"),
    R("Unlock resource handle", unlock_with, 13, INVALID, "choice"),
    R("Unlock maximum count of stale handles", unlock_with, 10, INVALID, "choice"),
    R("Unlock maximum + 1", unlock_with, 11, INVALID, "choice"),
    R("Unlock count overflowing", unlock_with, 12, INVALID, "choice"),

    R("Lock2(NULL)", lock2_null, 0, INVALID, "choice"),
    R("Lock2(unreadable)", lock2_bad_ptr, 0, AV, "choice"),
    R("Lock2 hDevice 0", lock2_with, 1, INVALID, "choice"),
    R("Lock2 stale device", lock2_with, 8, INVALID, "choice"),
    R("Lock2 hAllocation 0", lock2_with, 2, INVALID, "choice"),
    R("Lock2 stale allocation", lock2_with, 3, INVALID, "choice"),
    R("Lock2 other device's allocation", lock2_with, 4, INVALID, "choice"),
    R("Lock2 global share handle", lock2_with, 5, INVALID, "choice"),
    R("Lock2 resource handle", lock2_with, 9, INVALID, "choice"),
    R("Lock2 reserved flag 0x1", lock2_with, 6, INVALID, "DOC"),
    R("Lock2 reserved flag 0x80000000", lock2_with, 7, INVALID, "DOC"),

    R("Unlock2(NULL)", unlock2_null, 0, INVALID, "choice"),
    R("Unlock2(unreadable)", unlock2_bad_ptr, 0, AV, "choice"),
    R("Unlock2 hDevice 0", unlock2_with, 1, INVALID, "choice"),
    R("Unlock2 stale device", unlock2_with, 6, INVALID, "choice"),
    R("Unlock2 hAllocation 0", unlock2_with, 7, INVALID, "choice"),
    R("Unlock2 not locked", unlock2_with, 2, INVALID, "choice"),
    R("Unlock2 stale allocation", unlock2_with, 3, INVALID, "choice"),
    R("Unlock2 other device's allocation", unlock2_with, 4, INVALID, "choice"),
    R("Unlock2 global share handle", unlock2_with, 5, INVALID, "choice"),

    /* NT-handle sharing (spec B.5.1, B.5.3, B.5.5). */
    R("ShareObjects count 0", share_with, 1, INVALID, "choice"),
    R("ShareObjects count 4", share_with, 2, INVALID, "WIN"),
    R("ShareObjects count overflowing", share_with, 3, INVALID, "choice"),
    R("ShareObjects hObjects NULL", share_with, 4, INVALID, "choice"),
    R("ShareObjects hObjects unreadable", share_with, 5, AV, "choice"),
    R("ShareObjects phSharedNtHandle NULL", share_with, 6, INVALID, "choice"),
    R("ShareObjects phSharedNtHandle unwritable", share_with, 7, AV, "choice"),
    R("ShareObjects allocation handle", share_with, 8, INVALID, "WIN"),
    R("ShareObjects legacy-shared resource", share_with, 9, INVALID, "WIN"),
    R("ShareObjects unshared resource", share_with, 10, INVALID, "WIN"),
    R("ShareObjects stale resource", share_with, 11, INVALID, "choice"),
    R("ShareObjects random handle", share_with, 12, INVALID, "choice"),
    R("ShareObjects handle 0", share_with, 13, INVALID, "choice"),
    R("ShareObjects {res, res, res}", share_with, 14, INVALID, "WIN"),
    R("ShareObjects {res, mutex}", share_with, 15, INVALID, "WIN"),
    R("ShareObjects keyed mutex alone", share_with, 16, INVALID, "WIN"),
    R("ShareObjects sync object without NtSecuritySharing", share_with, 17, INVALID, "WIN"),
    R("ShareObjects global share handle", share_with, 18, INVALID, "choice"),
    R("ShareObjects device handle", share_with, 19, INVALID, "choice"),
    R("ShareObjects OBJECT_ATTRIBUTES unreadable", share_with, 20, AV, "choice"),
    R("ShareObjects ObjectName unreadable", share_with, 21, AV, "choice"),
    R("ShareObjects name buffer unreadable", share_with, 22, AV, "choice"),
    R("ShareObjects OBJECT_ATTRIBUTES Length 0", share_with, 23, INVALID, "choice"),
    R("ShareObjects SecurityDescriptor unreadable", share_with, 24, AV, "choice"),
    R("ShareObjects odd name length", share_with, 25, STATUS_OBJECT_NAME_INVALID, "choice"),
    R("ShareObjects SecurityDescriptor no-access", share_with, 26, AV, "choice"),
    R("ShareObjects OBJECT_ATTRIBUTES across a no-access page", share_with, 27, AV, "choice"),
    R("QueryResourceInfoFromNtHandle(NULL)", qrint_null, 0, INVALID, "choice"),
    R("QueryResourceInfoFromNtHandle(unreadable)", qrint_bad_ptr, 0, AV, "choice"),
    R("QueryResourceInfoFromNtHandle hDevice 0", qrint_with, 1, INVALID, "choice"),
    R("QueryResourceInfoFromNtHandle stale device", qrint_with, 2, INVALID, "choice"),
    R("QueryResourceInfoFromNtHandle hNtHandle NULL", qrint_with, 3, INVALID, "DOC"),
    R("QueryResourceInfoFromNtHandle event handle", qrint_with, 4, INVALID, "DOC"),
    R("QueryResourceInfoFromNtHandle closed handle", qrint_with, 5, INVALID, "DOC"),
    R("QueryResourceInfoFromNtHandle random handle", qrint_with, 6, INVALID, "DOC"),
    R("QueryResourceInfoFromNtHandle adapter handle as device", qrint_with, 7, INVALID, "choice"),
    R("QueryResourceInfoFromNtHandle section not ours", qrint_with, 8, INVALID, "DOC"),
    R("QueryResourceInfoFromNtHandle global share as NT handle", qrint_with, 9, INVALID, "DOC"),
    R("OpenResourceFromNtHandle(NULL)", ont_null, 0, INVALID, "choice"),
    R("OpenResourceFromNtHandle(unreadable)", ont_bad_ptr, 0, AV, "choice"),
    R("OpenResourceFromNtHandle hDevice 0", ont_with, 1, INVALID, "choice"),
    R("OpenResourceFromNtHandle stale device", ont_with, 2, INVALID, "choice"),
    R("OpenResourceFromNtHandle hNtHandle NULL", ont_with, 3, INVALID, "DOC"),
    R("OpenResourceFromNtHandle event handle", ont_with, 4, INVALID, "DOC"),
    R("OpenResourceFromNtHandle closed handle", ont_with, 5, INVALID, "DOC"),
    R("OpenResourceFromNtHandle NumAllocations 0", ont_with, 6, INVALID, "WIN"),
    R("OpenResourceFromNtHandle NumAllocations 2", ont_with, 7, INVALID, "choice"),
    R("OpenResourceFromNtHandle NumAllocations 3", ont_with, 22, INVALID, "choice"),
    R("OpenResourceFromNtHandle pOpenAllocationInfo2 NULL", ont_with, 8, INVALID, "WIN"),
    R("OpenResourceFromNtHandle pOpenAllocationInfo2 unwritable", ont_with, 9, AV, "choice"),
    R("OpenResourceFromNtHandle pPrivateRuntimeData NULL", ont_with, 10, INVALID, "WIN"),
    R("OpenResourceFromNtHandle runtime size + 1", ont_with, 11, INVALID, "WIN"),
    R("OpenResourceFromNtHandle resource size + 1", ont_with, 12, INVALID, "choice"),
    R("OpenResourceFromNtHandle total one byte short", ont_with, 13, STATUS_NO_MEMORY, "WIN"),
    R("OpenResourceFromNtHandle total NULL", ont_with, 14, INVALID, "WIN"),
    R("OpenResourceFromNtHandle NumAllocations overflowing", ont_with, 15, INVALID, "choice"),
    R("OpenResourceFromNtHandle NumAllocations max + 1", ont_with, 16, INVALID, "choice"),
    R("OpenResourceFromNtHandle adapter handle as device", ont_with, 17, INVALID, "choice"),
    R("OpenResourceFromNtHandle total unwritable", ont_with, 18, AV, "choice"),
    R("OpenResourceFromNtHandle keyed mutex data NULL with a size", ont_with, 19, INVALID, "DOC"),
    R("OpenResourceFromNtHandle runtime data unwritable", ont_with, 20, AV, "choice"),
    R("OpenResourceFromNtHandle section not ours", ont_with, 21, INVALID, "DOC"),
    /* Sync objects by NT handle: [WIN] sync-objects.md 3.6 - 3.8, 6.4. */
    R("OpenSyncObjectFromNtHandle(NULL)", osnt_null, 0, INVALID, "choice"),
    R("OpenSyncObjectFromNtHandle(unreadable)", osnt_bad_ptr, 0, AV, "choice"),
    R("OpenSyncObjectFromNtHandle {0}", osnt_with, 1, BADHANDLE, "WIN"),
    R("OpenSyncObjectFromNtHandle closed handle", osnt_with, 2, BADHANDLE, "choice"),
    R("OpenSyncObjectFromNtHandle an event", osnt_with, 3, INVALID, "choice"),
    R("OpenSyncObjectFromNtHandle a resource's handle", osnt_with, 4, STATUS_OBJECT_TYPE_MISMATCH, "choice"),
    R("OpenSyncObjectFromNtHandle a section not ours", osnt_with, 5, INVALID, "choice"),
    R("OpenSyncObjectFromNtHandle random handle", osnt_with, 6, BADHANDLE, "choice"),
    R("OpenSyncObjectFromNtHandle2(NULL)", osnt2_null, 0, INVALID, "choice"),
    R("OpenSyncObjectFromNtHandle2(unreadable)", osnt2_bad_ptr, 0, AV, "choice"),
    R("OpenSyncObjectFromNtHandle2 {0}", osnt2_with, 10, INVALID, "WIN"),
    R("OpenSyncObjectFromNtHandle2 no device", osnt2_with, 11, INVALID, "WIN"),
    R("OpenSyncObjectFromNtHandle2 closed handle", osnt2_with, 2, BADHANDLE, "WIN"),
    R("OpenSyncObjectFromNtHandle2 stale device", osnt2_with, 12, INVALID, "choice"),
    R("OpenSyncObjectFromNtHandle2 allocation as device", osnt2_with, 13, INVALID, "choice"),
    R("OpenSyncObjectFromNtHandle2 reserved flags", osnt2_with, 14, INVALID, "choice"),
    R("OpenSyncObjectFromNtHandle2 an event", osnt2_with, 3, INVALID, "choice"),
    R("OpenSyncObjectFromNtHandle2 a resource's handle", osnt2_with, 4, STATUS_OBJECT_TYPE_MISMATCH, "choice"),
    R("OpenSyncObjectFromNtHandle2 a section not ours", osnt2_with, 5, INVALID, "choice"),
    R("OpenSyncObjectFromNtHandle2 random handle", osnt2_with, 6, BADHANDLE, "choice"),
    R("OpenSyncObjectNtHandleFromName(NULL)", osnfn_null, 0, INVALID, "choice"),
    R("OpenSyncObjectNtHandleFromName(unreadable)", osnfn_bad_ptr, 0, AV, "choice"),
    R("OpenSyncObjectNtHandleFromName zeroed", osnfn_with, 1, INVALID, "WIN"),
    R("OpenSyncObjectNtHandleFromName unknown name", osnfn_with, 2, STATUS_OBJECT_NAME_NOT_FOUND, "WIN"),
    R("OpenSyncObjectNtHandleFromName access 0", osnfn_with, 3, STATUS_ACCESS_DENIED, "WIN"),
    R("OpenSyncObjectNtHandleFromName unknown name, access 0", osnfn_with, 10, STATUS_OBJECT_NAME_NOT_FOUND, "WIN"),
    R("OpenSyncObjectNtHandleFromName pObjAttrib unreadable", osnfn_with, 4, AV, "choice"),
    R("OpenSyncObjectNtHandleFromName ObjectName unreadable", osnfn_with, 5, AV, "choice"),
    R("OpenSyncObjectNtHandleFromName name buffer unreadable", osnfn_with, 6, AV, "choice"),
    R("OpenSyncObjectNtHandleFromName ObjectName NULL", osnfn_with, 7, INVALID, "choice"),
    R("OpenSyncObjectNtHandleFromName a section not ours", osnfn_with, 8, STATUS_OBJECT_NAME_NOT_FOUND, "choice"),
    R("OpenSyncObjectNtHandleFromName a resource's name", osnfn_with, 9, STATUS_OBJECT_NAME_NOT_FOUND, "choice"),
    R("OpenKeyedMutexFromNtHandle(NULL)", okmnt_null, 0, INVALID, "choice"),
    R("OpenKeyedMutexFromNtHandle(unreadable)", okmnt_bad_ptr, 0, AV, "choice"),
    R("OpenKeyedMutexFromNtHandle {0}", okmnt_with, 1, BADHANDLE, "choice"),
    R("OpenKeyedMutexFromNtHandle a resource's handle", okmnt_with, 4, STATUS_OBJECT_TYPE_MISMATCH, "WIN"),
    R("OpenKeyedMutexFromNtHandle a sync object's handle", okmnt_with, 0, STATUS_OBJECT_TYPE_MISMATCH, "choice"),
    R("OpenKeyedMutexFromNtHandle closed handle", okmnt_with, 2, BADHANDLE, "choice"),
    R("OpenKeyedMutexFromNtHandle an event", okmnt_with, 3, INVALID, "choice"),
    R("OpenKeyedMutexFromNtHandle random handle", okmnt_with, 6, BADHANDLE, "choice"),
    R("OpenKeyedMutexFromNtHandle size without data", okmnt_with, 10, INVALID, "choice"),
    R("OpenKeyedMutexFromNtHandle unreadable data", okmnt_with, 11, AV, "choice"),
    R("OpenNtHandleFromName(NULL)", onfn_null, 0, INVALID, "choice"),
    R("OpenNtHandleFromName(unreadable)", onfn_bad_ptr, 0, AV, "choice"),
    R("OpenNtHandleFromName zeroed", onfn_with, 1, INVALID, "WIN"),
    R("OpenNtHandleFromName unknown name", onfn_with, 2, STATUS_OBJECT_NAME_NOT_FOUND, "WIN"),
    R("OpenNtHandleFromName access 0", onfn_with, 3, STATUS_ACCESS_DENIED, "WIN"),
    R("OpenNtHandleFromName pObjAttrib unreadable", onfn_with, 4, AV, "choice"),
    R("OpenNtHandleFromName ObjectName unreadable", onfn_with, 5, AV, "choice"),
    R("OpenNtHandleFromName name buffer unreadable", onfn_with, 6, AV, "choice"),
    R("OpenNtHandleFromName ObjectName NULL", onfn_with, 7, INVALID, "choice"),
    R("OpenNtHandleFromName a section not ours", onfn_with, 8, STATUS_OBJECT_NAME_NOT_FOUND, "choice"),
    R("OpenNtHandleFromName OBJECT_ATTRIBUTES Length 0", onfn_with, 9, INVALID, "choice"),
    R("OpenNtHandleFromName SecurityDescriptor unreadable", onfn_with, 10, AV, "choice"),
    R("OpenNtHandleFromName odd name length", onfn_with, 11, STATUS_OBJECT_NAME_INVALID, "choice"),
    R("QueryResourceInfo(NULL)", qri_null, 0, INVALID, "choice"),
    R("QueryResourceInfo(unreadable)", qri_bad_ptr, 0, AV, "choice"),
    R("QueryResourceInfo hDevice 0", qri_with, 1, INVALID, "choice"),
    R("QueryResourceInfo stale device", qri_with, 2, INVALID, "choice"),
    R("QueryResourceInfo adapter handle as device", qri_with, 7, INVALID, "choice"),
    R("QueryResourceInfo hGlobalShare 0", qri_with, 3, INVALID, "choice"),
    R("QueryResourceInfo local resource handle", qri_with, 4, INVALID, "WIN"),
    R("QueryResourceInfo allocation handle", qri_with, 5, INVALID, "choice"),
    R("QueryResourceInfo random global handle", qri_with, 6, INVALID, "choice"),
    R("QueryResourceInfo random local handle", qri_with, 8, INVALID, "choice"),

    R("OpenResource(NULL)", open_null, 0, INVALID, "choice"),
    R("OpenResource2(NULL)", open_null, V2, INVALID, "choice"),
    R("OpenResource(unreadable)", open_bad_ptr, 0, AV, "choice"),
    R("OpenResource2(unreadable)", open_bad_ptr, V2, AV, "choice"),
    R("OpenResource hDevice 0", open_with, 1, INVALID, "choice"),
    R("OpenResource2 stale device", open_with, V2 | 2, INVALID, "choice"),
    R("OpenResource adapter handle as device", open_with, 17, INVALID, "choice"),
    R("OpenResource hGlobalShare 0", open_with, 3, INVALID, "choice"),
    R("OpenResource local resource handle", open_with, 4, INVALID, "WIN"),
    R("OpenResource2 local resource handle", open_with, V2 | 4, INVALID, "WIN"),
    R("OpenResource random global handle", open_with, 5, INVALID, "choice"),
    R("OpenResource NumAllocations 0", open_with, 6, INVALID, "WIN"),
    R("OpenResource2 NumAllocations 0", open_with, V2 | 6, INVALID, "WIN"),
    R("OpenResource NumAllocations 2 of 1", open_with, 7, INVALID, "choice"),
    R("OpenResource NumAllocations overflowing", open_with, 15, INVALID, "choice"),
    R("OpenResource2 maximum + 1", open_with, V2 | 16, INVALID, "choice"),
    R("OpenResource info NULL", open_with, 8, INVALID, "choice"),
    R("OpenResource2 info NULL", open_with, V2 | 8, INVALID, "WIN"),
    R("OpenResource info unreadable", open_with, 9, AV, "choice"),
    R("OpenResource2 runtime data NULL", open_with, V2 | 10, INVALID, "WIN"),
    R("OpenResource runtime size one over", open_with, 11, INVALID, "WIN"),
    R("OpenResource2 runtime size one over", open_with, V2 | 11, INVALID, "WIN"),
    R("OpenResource runtime size over the cap", open_with, 19, INVALID, "choice"),
    R("OpenResource resource data size one over", open_with, 12, INVALID, "WIN"),
    R("OpenResource resource data size one short", open_with, 21, INVALID, "WIN"),
    R("OpenResource resource data NULL", open_with, 20, INVALID, "choice"),
    R("OpenResource total buffer one byte short", open_with, 13, STATUS_NO_MEMORY, "choice"),
    R("OpenResource2 total buffer one byte short", open_with, V2 | 13, STATUS_NO_MEMORY, "WIN"),
    R("OpenResource2 total buffer NULL", open_with, V2 | 14, INVALID, "WIN"),
    R("OpenResource total buffer unwritable", open_with, 18, AV, "choice"),

    R("MakeResident(NULL)", resident_null, 0, INVALID, "choice"),
    R("MakeResident(unreadable)", resident_bad_ptr, 0, AV, "choice"),
    R("MakeResident paging queue 0", resident_with, 1, INVALID, "choice"),
    R("MakeResident stale paging queue", resident_with, 2, INVALID, "choice"),
    R("MakeResident random paging queue", resident_with, 15, INVALID, "choice"),
    R("MakeResident device handle as paging queue", resident_with, 3, INVALID, "choice"),
    R("MakeResident count 0", resident_with, 4, INVALID, "choice"),
    R("MakeResident list NULL", resident_with, 5, INVALID, "choice"),
    R("MakeResident list unreadable", resident_with, 6, AV, "choice"),
    R("MakeResident stale allocation", resident_with, 7, INVALID, "choice"),
    R("MakeResident other device's allocation", resident_with, 8, INVALID, "choice"),
    R("MakeResident global share handle", resident_with, 14, INVALID, "choice"),
    R("MakeResident reserved flag", resident_with, 9, INVALID, "choice"),
    R("MakeResident maximum count of stale handles", resident_with, 10, INVALID, "choice"),
    R("MakeResident maximum count of zero handles", resident_with, 16, INVALID, "choice"),
    R("MakeResident maximum + 1", resident_with, 11, INVALID, "choice"),
    R("MakeResident count overflowing", resident_with, 12, INVALID, "choice"),
    R("MakeResident one good, one stale", resident_with, 13, INVALID, "choice"),

    R("Evict(NULL)", evict_null, 0, INVALID, "choice"),
    R("Evict(unreadable)", evict_bad_ptr, 0, AV, "choice"),
    R("Evict hDevice 0", evict_with, 1, INVALID, "choice"),
    R("Evict stale device", evict_with, 2, INVALID, "choice"),
    R("Evict paging queue as device", evict_with, 13, INVALID, "choice"),
    R("Evict count 0", evict_with, 3, INVALID, "choice"),
    R("Evict list NULL", evict_with, 4, INVALID, "choice"),
    R("Evict list unreadable", evict_with, 5, AV, "choice"),
    R("Evict stale allocation", evict_with, 6, INVALID, "choice"),
    R("Evict other device's allocation", evict_with, 7, INVALID, "choice"),
    R("Evict without a residency reference", evict_with, 8, INVALID, "choice"),
    R("Evict reserved flag", evict_with, 9, INVALID, "choice"),
    R("Evict maximum count of stale handles", evict_with, 10, INVALID, "choice"),
    R("Evict maximum + 1", evict_with, 11, INVALID, "choice"),
    R("Evict count overflowing", evict_with, 12, INVALID, "choice"),

    R("QueryAllocationResidency(NULL)", residency_null, 0, INVALID, "choice"),
    R("QueryAllocationResidency(unreadable)", residency_bad_ptr, 0, AV, "choice"),
    R("QueryAllocationResidency hDevice 0", residency_with, 1, INVALID, "choice"),
    R("QueryAllocationResidency stale device", residency_with, 2, INVALID, "choice"),
    R("QueryAllocationResidency count 0, no resource", residency_with, 3, INVALID, "choice"),
    R("QueryAllocationResidency list NULL", residency_with, 4, INVALID, "choice"),
    R("QueryAllocationResidency list unreadable", residency_with, 15, AV, "choice"),
    R("QueryAllocationResidency status array NULL", residency_with, 5, INVALID, "choice"),
    R("QueryAllocationResidency status array unwritable", residency_with, 6, AV, "choice"),
    R("QueryAllocationResidency stale allocation", residency_with, 7, INVALID, "choice"),
    R("QueryAllocationResidency other device's allocation", residency_with, 8, INVALID, "choice"),
    R("QueryAllocationResidency both resource and list", residency_with, 9, INVALID, "choice"),
    R("QueryAllocationResidency stale resource", residency_with, 10, INVALID, "choice"),
    R("QueryAllocationResidency global share as resource", residency_with, 11, INVALID, "choice"),
    R("QueryAllocationResidency maximum count of stale handles", residency_with, 12, INVALID, "choice"),
    R("QueryAllocationResidency maximum + 1", residency_with, 13, INVALID, "choice"),
    R("QueryAllocationResidency count overflowing", residency_with, 14, INVALID, "choice"),

    R("SetAllocationPriority(NULL)", setprio_null, 0, INVALID, "choice"),
    R("SetAllocationPriority(unreadable)", setprio_bad_ptr, 0, AV, "choice"),
    R("SetAllocationPriority hDevice 0", setprio_with, 1, INVALID, "choice"),
    R("SetAllocationPriority stale device", setprio_with, 14, INVALID, "choice"),
    R("SetAllocationPriority count 0, no resource", setprio_with, 15, INVALID, "choice"),
    R("SetAllocationPriority list NULL", setprio_with, 2, INVALID, "choice"),
    R("SetAllocationPriority list unreadable", setprio_with, 16, AV, "choice"),
    R("SetAllocationPriority priorities NULL", setprio_with, 3, INVALID, "choice"),
    R("SetAllocationPriority priorities unreadable", setprio_with, 4, AV, "choice"),
    R("SetAllocationPriority stale allocation", setprio_with, 5, INVALID, "choice"),
    R("SetAllocationPriority other device's allocation", setprio_with, 6, INVALID, "choice"),
    R("SetAllocationPriority both resource and list", setprio_with, 7, INVALID, "choice"),
    R("SetAllocationPriority resource form, priorities NULL", setprio_with, 8, INVALID, "choice"),
    R("SetAllocationPriority maximum count of stale handles", setprio_with, 9, INVALID, "choice"),
    R("SetAllocationPriority maximum + 1", setprio_with, 10, INVALID, "choice"),
    R("SetAllocationPriority count overflowing", setprio_with, 11, INVALID, "choice"),
    R("SetAllocationPriority stale resource", setprio_with, 12, INVALID, "choice"),
    R("SetAllocationPriority one good, one stale", setprio_with, 13, INVALID, "choice"),

    R("GetAllocationPriority(NULL)", getprio_null, 0, INVALID, "choice"),
    R("GetAllocationPriority(unreadable)", getprio_bad_ptr, 0, AV, "choice"),
    R("GetAllocationPriority hDevice 0", getprio_with, 1, INVALID, "choice"),
    R("GetAllocationPriority stale device", getprio_with, 10, INVALID, "choice"),
    R("GetAllocationPriority list NULL", getprio_with, 2, INVALID, "choice"),
    R("GetAllocationPriority priorities NULL", getprio_with, 3, INVALID, "choice"),
    R("GetAllocationPriority priorities unwritable", getprio_with, 4, AV, "choice"),
    R("GetAllocationPriority stale allocation", getprio_with, 5, INVALID, "choice"),
    R("GetAllocationPriority other device's allocation", getprio_with, 6, INVALID, "choice"),
    R("GetAllocationPriority both resource and list", getprio_with, 7, INVALID, "choice"),
    R("GetAllocationPriority maximum count of stale handles", getprio_with, 11, INVALID, "choice"),
    R("GetAllocationPriority maximum + 1", getprio_with, 8, INVALID, "choice"),
    R("GetAllocationPriority count overflowing", getprio_with, 9, INVALID, "choice"),

    R("OfferAllocations(NULL)", offer_null, 0, INVALID, "choice"),
    R("OfferAllocations(unreadable)", offer_bad_ptr, 0, AV, "choice"),
    R("OfferAllocations hDevice 0", offer_with, 1, INVALID, "choice"),
    R("OfferAllocations stale device", offer_with, 16, INVALID, "choice"),
    R("OfferAllocations no list", offer_with, 2, INVALID, "choice"),
    R("OfferAllocations count 0", offer_with, 14, INVALID, "choice"),
    R("OfferAllocations list unreadable", offer_with, 13, AV, "choice"),
    R("OfferAllocations both lists", offer_with, 3, INVALID, "choice"),
    R("OfferAllocations priority 0", offer_with, 4, INVALID, "choice"),
    R("OfferAllocations priority 5", offer_with, 5, INVALID, "choice"),
    R("OfferAllocations reserved flag", offer_with, 6, INVALID, "choice"),
    R("OfferAllocations stale allocation", offer_with, 7, INVALID, "choice"),
    R("OfferAllocations other device's allocation", offer_with, 8, INVALID, "choice"),
    R("OfferAllocations one good, one stale", offer_with, 15, INVALID, "choice"),
    R("OfferAllocations maximum count of stale handles", offer_with, 9, INVALID, "choice"),
    R("OfferAllocations maximum + 1", offer_with, 10, INVALID, "choice"),
    R("OfferAllocations count overflowing", offer_with, 11, INVALID, "choice"),
    R("OfferAllocations stale resource", offer_with, 12, INVALID, "choice"),

    R("ReclaimAllocations(NULL)", reclaim_null, 0, INVALID, "choice"),
    R("ReclaimAllocations(unreadable)", reclaim_bad_ptr, 0, AV, "choice"),
    R("ReclaimAllocations hDevice 0", reclaim_with, 1, INVALID, "choice"),
    R("ReclaimAllocations stale device", reclaim_with, 9, INVALID, "choice"),
    R("ReclaimAllocations no list", reclaim_with, 2, INVALID, "choice"),
    R("ReclaimAllocations list unreadable", reclaim_with, 11, AV, "choice"),
    R("ReclaimAllocations both lists", reclaim_with, 3, INVALID, "choice"),
    R("ReclaimAllocations stale allocation", reclaim_with, 4, INVALID, "choice"),
    R("ReclaimAllocations other device's allocation", reclaim_with, 5, INVALID, "choice"),
    R("ReclaimAllocations maximum count of stale handles", reclaim_with, 10, INVALID, "choice"),
    R("ReclaimAllocations maximum + 1", reclaim_with, 6, INVALID, "choice"),
    R("ReclaimAllocations count overflowing", reclaim_with, 7, INVALID, "choice"),
    R("ReclaimAllocations pDiscarded unwritable", reclaim_with, 8, AV, "choice"),

    R("ReclaimAllocations2(NULL)", reclaim2_null, 0, INVALID, "choice"),
    R("ReclaimAllocations2(unreadable)", reclaim2_bad_ptr, 0, AV, "choice"),
    R("ReclaimAllocations2 paging queue 0", reclaim2_with, 1, INVALID, "choice"),
    R("ReclaimAllocations2 stale paging queue", reclaim2_with, 2, INVALID, "choice"),
    R("ReclaimAllocations2 device handle as paging queue", reclaim2_with, 3, INVALID, "choice"),
    R("ReclaimAllocations2 no list", reclaim2_with, 4, INVALID, "choice"),
    R("ReclaimAllocations2 both lists", reclaim2_with, 5, INVALID, "choice"),
    R("ReclaimAllocations2 stale allocation", reclaim2_with, 6, INVALID, "choice"),
    R("ReclaimAllocations2 other device's allocation", reclaim2_with, 7, INVALID, "choice"),
    R("ReclaimAllocations2 maximum count of stale handles", reclaim2_with, 11, INVALID, "choice"),
    R("ReclaimAllocations2 maximum + 1", reclaim2_with, 8, INVALID, "choice"),
    R("ReclaimAllocations2 count overflowing", reclaim2_with, 9, INVALID, "choice"),
    R("ReclaimAllocations2 pResults unwritable", reclaim2_with, 10, AV, "choice"),

    R("GetDeviceState(NULL)", state_null, 0, INVALID, "choice"),
    R("GetDeviceState(unreadable)", state_bad_ptr, 0, AV, "choice"),
    R("GetDeviceState hDevice 0", state_with, 1, INVALID, "DOC"),
    R("GetDeviceState stale device", state_with, 2, INVALID, "choice"),
    R("GetDeviceState random device", state_with, 3, INVALID, "choice"),
    R("GetDeviceState adapter handle", state_with, 4, INVALID, "choice"),
    R("GetDeviceState StateType 0", state_with, 5, INVALID, "choice"),
    R("GetDeviceState StateType 7", state_with, 6, INVALID, "choice"),
    R("GetDeviceState StateType 0x80000001", state_with, 7, INVALID, "choice"),

    R("MarkDeviceAsError(NULL)", mark_null, 0, INVALID, "choice"),
    R("MarkDeviceAsError(unreadable)", mark_bad_ptr, 0, AV, "choice"),
    R("MarkDeviceAsError hDevice 0", mark_with, 1, INVALID, "choice"),
    R("MarkDeviceAsError stale device", mark_with, 2, INVALID, "choice"),
    R("MarkDeviceAsError random device", mark_with, 6, INVALID, "choice"),
    R("MarkDeviceAsError adapter handle", mark_with, 5, INVALID, "choice"),
    R("MarkDeviceAsError allocation handle", mark_with, 7, INVALID, "choice"),
    R("MarkDeviceAsError unknown reason", mark_with, 3, INVALID, "choice"),
    R("MarkDeviceAsError reason 0", mark_with, 4, INVALID, "choice"),

    R("Escape(NULL)", escape_null, 0, INVALID, "choice"),
    R("Escape(unreadable)", escape_bad_ptr, 0, AV, "choice"),
    R("Escape hAdapter 0", escape_with, 1, INVALID, "choice"),
    R("Escape stale adapter", escape_with, 2, INVALID, "choice"),
    R("Escape device handle as adapter", escape_with, 3, INVALID, "choice"),
    R("Escape stale hDevice", escape_with, 13, INVALID, "choice"),
    R("Escape allocation handle as hDevice", escape_with, 14, INVALID, "choice"),
    R("Escape private: bad magic", escape_with, 4, INVALID, "choice"),
    R("Escape private: bad version", escape_with, 5, INVALID, "choice"),
    R("Escape private: command 0", escape_with, 6, INVALID, "choice"),
    R("Escape private: unknown command", escape_with, 7, INVALID, "choice"),
    R("Escape private: size 0", escape_with, 8, INVALID, "choice"),
    R("Escape private: size one short", escape_with, 9, INVALID, "choice"),
    R("Escape private: size over the cap", escape_with, 10, INVALID, "choice"),
    R("Escape private: data NULL", escape_with, 11, INVALID, "choice"),
    R("Escape private: data unreadable", escape_with, 12, AV, "choice"),

    R("QueryStatistics(NULL)", qs_null, 0, INVALID, "choice"),
    R("QueryStatistics(unreadable)", qs_bad_ptr, 0, AV, "choice"),
    R("QueryStatistics type 20", qs_with, 1, INVALID, "choice"),
    R("QueryStatistics type 0x80000000", qs_with, 2, INVALID, "choice"),
    R("QueryStatistics PROCESS_SEGMENT segment 2", qs_with, 3, INVALID, "choice"),
    R("QueryStatistics SEGMENT segment ~0", qs_with, 4, INVALID, "choice"),
    R("QueryStatistics PROCESS_SEGMENT_GROUP group 2", qs_with, 5, INVALID, "choice"),
    R("QueryStatistics bad hProcess", qs_with, 6, BADHANDLE, "choice"),
    R("QueryStatistics hProcess without query access", qs_with, 7, STATUS_ACCESS_DENIED, "choice"),
    R("QueryStatistics hProcess is a thread", qs_with, 8, STATUS_OBJECT_TYPE_MISMATCH, "choice"),
    R("QueryStatistics hProcess GetCurrentProcess()", qs_with, 9, STATUS_SUCCESS, "choice"),
    R("QueryStatistics hProcess this process, query access", qs_with, 10, STATUS_SUCCESS, "choice"),
    R("QueryStatistics SEGMENT ignores hProcess", qs_with, 11, STATUS_SUCCESS, "choice"),
    R("QueryVideoMemoryInfo(NULL)", qvmi_null, 0, INVALID, "choice"),
    R("QueryVideoMemoryInfo(unreadable)", qvmi_bad_ptr, 0, AV, "choice"),
    R("QueryVideoMemoryInfo hAdapter 0", qvmi_with, 1, INVALID, "WIN"),
    R("QueryVideoMemoryInfo stale adapter", qvmi_with, 2, INVALID, "WIN"),
    R("QueryVideoMemoryInfo random adapter", qvmi_with, 8, INVALID, "WIN"),
    R("QueryVideoMemoryInfo device handle as adapter", qvmi_with, 3, INVALID, "WIN"),
    R("QueryVideoMemoryInfo bad hProcess", qvmi_with, 4, BADHANDLE, "WIN"),
    R("QueryVideoMemoryInfo hProcess without query access", qvmi_with, 7, STATUS_ACCESS_DENIED, "WIN"),
    R("QueryVideoMemoryInfo hProcess is a thread", qvmi_with, 10, STATUS_OBJECT_TYPE_MISMATCH, "choice"),
    R("QueryVideoMemoryInfo hProcess GetCurrentProcess()", qvmi_with, 12, STATUS_SUCCESS, "WIN"),
    R("QueryVideoMemoryInfo hProcess this process, query access", qvmi_with, 13, STATUS_SUCCESS, "WIN"),
    R("QueryVideoMemoryInfo segment group 2", qvmi_with, 5, INVALID, "WIN"),
    R("QueryVideoMemoryInfo PhysicalAdapterIndex 99", qvmi_with, 6, INVALID, "WIN"),
    R("QueryVideoMemoryInfo PhysicalAdapterIndex 1", qvmi_with, 9, INVALID, "choice"),

    R("CreatePagingQueue(NULL)", cqueue_null, 0, INVALID, "choice"),
    R("CreatePagingQueue(unreadable)", cqueue_bad_ptr, 0, AV, "choice"),
    R("CreatePagingQueue hDevice 0", cqueue_with, 1, INVALID, "choice"),
    R("CreatePagingQueue stale device", cqueue_with, 2, INVALID, "choice"),
    R("CreatePagingQueue random device", cqueue_with, 7, INVALID, "choice"),
    R("CreatePagingQueue adapter handle as device", cqueue_with, 3, INVALID, "choice"),
    R("CreatePagingQueue priority 2", cqueue_with, 4, INVALID, "choice"),
    R("CreatePagingQueue priority -2", cqueue_with, 5, INVALID, "choice"),
    R("CreatePagingQueue PhysicalAdapterIndex 1", cqueue_with, 6, INVALID, "choice"),

    R("DestroyPagingQueue(NULL)", dqueue_null, 0, INVALID, "choice"),
    R("DestroyPagingQueue(unreadable)", dqueue_bad_ptr, 0, AV, "choice"),
    R("DestroyPagingQueue handle 0", dqueue_with, 1, INVALID, "choice"),
    R("DestroyPagingQueue stale paging queue", dqueue_with, 2, INVALID, "choice"),
    R("DestroyPagingQueue random handle", dqueue_with, 5, INVALID, "choice"),
    R("DestroyPagingQueue device handle", dqueue_with, 3, INVALID, "choice"),
    R("DestroyPagingQueue allocation handle", dqueue_with, 4, INVALID, "choice"),

    /* Synchronization objects (spec sync-objects.md §10; the rest choices, §11). */
    R("CreateSynchronizationObject(NULL)", csync_null, 0, INVALID, "WIN"),
    R("CreateSynchronizationObject(unreadable)", csync_bad_ptr, 0, AV, "choice"),
    R("CreateSynchronizationObject hDevice 0", csync_with, 1, INVALID, "WIN"),
    R("CreateSynchronizationObject stale device", csync_with, 2, INVALID, "choice"),
    R("CreateSynchronizationObject adapter as device", csync_with, 3, INVALID, "choice"),
    R("CreateSynchronizationObject type 0", csync_with, 4, INVALID, "WIN"),
    R("CreateSynchronizationObject FENCE", csync_with, 5, INVALID, "WIN"),
    R("CreateSynchronizationObject type 99", csync_with, 6, INVALID, "choice"),
    R("CreateSynchronizationObject MONITORED_FENCE", csync_with, 7, INVALID, "choice"),
    R("CreateSynchronizationObject semaphore initial > max", csync_with, 8, INVALID, "choice"),
    R("CreateSynchronizationObject2(NULL)", csync2_null, 0, INVALID, "WIN"),
    R("CreateSynchronizationObject2(unreadable)", csync2_bad_ptr, 0, AV, "choice"),
    R("CreateSynchronizationObject2 hDevice 0", csync2_with, 1, INVALID, "WIN"),
    R("CreateSynchronizationObject2 stale device", csync2_with, 2, INVALID, "choice"),
    R("CreateSynchronizationObject2 fence as device", csync2_with, 3, INVALID, "choice"),
    R("CreateSynchronizationObject2 type 0", csync2_with, 4, INVALID, "WIN"),
    R("CreateSynchronizationObject2 CPU notification, NULL event", csync2_with, 5, BADHANDLE, "WIN"),
    R("CreateSynchronizationObject2 CPU notification, bad event", csync2_with, 6, BADHANDLE, "choice"),
    R("CreateSynchronizationObject2 CPU notification, process as event", csync2_with, 13, BADHANDLE, "choice"),
    R("CreateSynchronizationObject2 reserved flag", csync2_with, 7, INVALID, "choice"),
    R("CreateSynchronizationObject2 NtSecuritySharing alone", csync2_with, 8, INVALID, "WIN"),
    R("CreateSynchronizationObject2 periodic fence", csync2_with, 9, INVALID, "choice"),
    R("CreateSynchronizationObject2 Shared monitored fence", csync2_with, 10, INVALID, "choice"),
    R("CreateSynchronizationObject2 NoSignal | NoWait", csync2_with, 11, INVALID, "choice"),
    R("CreateSynchronizationObject2 type limit", csync2_with, 12, INVALID, "choice"),
    R("OpenSynchronizationObject(NULL)", osync_null, 0, INVALID, "choice"),
    R("OpenSynchronizationObject(unreadable)", osync_bad_ptr, 0, AV, "choice"),
    R("OpenSynchronizationObject 0", osync_with, 1, INVALID, "WIN"),
    R("OpenSynchronizationObject 0x1eadbeed", osync_with, 2, INVALID, "WIN"),
    R("OpenSynchronizationObject local in hSyncObject", osync_with, 3, INVALID, "WIN"),
    R("OpenSynchronizationObject local as global", osync_with, 4, INVALID, "choice"),
    R("OpenSynchronizationObject dead global", osync_with, 5, INVALID, "WIN"),
    R("OpenSynchronizationObject keyed-mutex global", osync_with, 6, INVALID, "choice"),
    R("OpenSynchronizationObject resource global", osync_with, 7, INVALID, "choice"),
    R("DestroySynchronizationObject(NULL)", dsync_null, 0, INVALID, "choice"),
    R("DestroySynchronizationObject(unreadable)", dsync_bad_ptr, 0, AV, "choice"),
    R("DestroySynchronizationObject 0", dsync_with, 0, INVALID, "choice"),
    R("DestroySynchronizationObject stale", dsync_with, 1, INVALID, "WIN"),
    R("DestroySynchronizationObject global handle", dsync_with, 2, INVALID, "WIN"),
    R("DestroySynchronizationObject device", dsync_with, 3, INVALID, "choice"),
    R("DestroySynchronizationObject keyed mutex", dsync_with, 4, INVALID, "choice"),
    R("DestroySynchronizationObject paging queue fence", dsync_with, 5, INVALID, "choice"),
    R("DestroySynchronizationObject allocation", dsync_with, 6, INVALID, "choice"),
    R("DestroySynchronizationObject adapter", dsync_with, 7, INVALID, "choice"),
    R("SignalSynchronizationObjectFromCpu(NULL)", signal_null, 0, INVALID, "choice"),
    R("SignalSynchronizationObjectFromCpu(unreadable)", signal_bad_ptr, 0, AV, "choice"),
    R("SignalSynchronizationObjectFromCpu count 0", signal_with, 1, INVALID, "choice"),
    R("SignalSynchronizationObjectFromCpu count 1, allocation handle", signal_with, 2, INVALID, "choice"),
    R("SignalSynchronizationObjectFromCpu stale fence", signal_with, 3, INVALID, "choice"),
    R("SignalSynchronizationObjectFromCpu mutex", signal_with, 4, INVALID, "WIN"),
    R("SignalSynchronizationObjectFromCpu keyed mutex", signal_with, 5, INVALID, "choice"),
    R("SignalSynchronizationObjectFromCpu paging fence", signal_with, 6, INVALID, "choice"),
    R("SignalSynchronizationObjectFromCpu NULL handles", signal_with, 7, INVALID, "choice"),
    R("SignalSynchronizationObjectFromCpu NULL values", signal_with, 8, INVALID, "choice"),
    R("SignalSynchronizationObjectFromCpu unreadable handles", signal_with, 9, AV, "choice"),
    R("SignalSynchronizationObjectFromCpu unreadable values", signal_with, 10, AV, "choice"),
    R("SignalSynchronizationObjectFromCpu hDevice 0", signal_with, 11, INVALID, "choice"),
    R("SignalSynchronizationObjectFromCpu stale device", signal_with, 12, INVALID, "choice"),
    R("SignalSynchronizationObjectFromCpu adapter as device", signal_with, 13, INVALID, "choice"),
    R("SignalSynchronizationObjectFromCpu reserved flag", signal_with, 14, INVALID, "choice"),
    R("SignalSynchronizationObjectFromCpu EnqueueCpuEvent", signal_with, 22, INVALID, "choice"),
    R("SignalSynchronizationObjectFromCpu second entry stale", signal_with, 15, INVALID, "choice"),
    R("SignalSynchronizationObjectFromCpu count max (32), stale entries", signal_with, 24, INVALID, "choice"),
    R("SignalSynchronizationObjectFromCpu count max + 1", signal_with, 16, INVALID, "choice"),
    R("SignalSynchronizationObjectFromCpu overflowing count", signal_with, 17, INVALID, "choice"),
    R("SignalSynchronizationObjectFromCpu count 2^31", signal_with, 18, INVALID, "choice"),
    R("SignalSynchronizationObjectFromCpu rewind without the flag", signal_with, 19, INVALID, "WIN"),
    R("SignalSynchronizationObjectFromCpu random handle", signal_with, 23, INVALID, "choice"),
    R("WaitForSynchronizationObjectFromCpu(NULL)", wait_null, 0, INVALID, "choice"),
    R("WaitForSynchronizationObjectFromCpu(unreadable)", wait_bad_ptr, 0, AV, "choice"),
    R("WaitForSynchronizationObjectFromCpu count 0", wait_with, 1, INVALID, "choice"),
    R("WaitForSynchronizationObjectFromCpu count 1, allocation handle", wait_with, 2, INVALID, "choice"),
    R("WaitForSynchronizationObjectFromCpu stale fence", wait_with, 3, INVALID, "choice"),
    R("WaitForSynchronizationObjectFromCpu mutex", wait_with, 4, INVALID, "WIN"),
    R("WaitForSynchronizationObjectFromCpu keyed mutex", wait_with, 5, INVALID, "choice"),
    R("WaitForSynchronizationObjectFromCpu stale paging fence", wait_with, 6, INVALID, "choice"),
    R("WaitForSynchronizationObjectFromCpu NULL handles", wait_with, 7, INVALID, "choice"),
    R("WaitForSynchronizationObjectFromCpu NULL values", wait_with, 8, INVALID, "choice"),
    R("WaitForSynchronizationObjectFromCpu unreadable handles", wait_with, 9, AV, "choice"),
    R("WaitForSynchronizationObjectFromCpu unreadable values", wait_with, 10, AV, "choice"),
    R("WaitForSynchronizationObjectFromCpu hDevice 0", wait_with, 11, INVALID, "choice"),
    R("WaitForSynchronizationObjectFromCpu stale device", wait_with, 12, INVALID, "choice"),
    R("WaitForSynchronizationObjectFromCpu adapter as device", wait_with, 13, INVALID, "choice"),
    R("WaitForSynchronizationObjectFromCpu reserved flag", wait_with, 14, INVALID, "choice"),
    R("WaitForSynchronizationObjectFromCpu flag 2", wait_with, 22, INVALID, "choice"),
    R("WaitForSynchronizationObjectFromCpu second entry stale", wait_with, 15, INVALID, "choice"),
    R("WaitForSynchronizationObjectFromCpu count max (1024), stale entries", wait_with, 24, INVALID, "choice"),
    R("WaitForSynchronizationObjectFromCpu count max + 1", wait_with, 16, INVALID, "choice"),
    R("WaitForSynchronizationObjectFromCpu overflowing count", wait_with, 17, INVALID, "choice"),
    R("WaitForSynchronizationObjectFromCpu count 2^31", wait_with, 18, INVALID, "choice"),
    R("WaitForSynchronizationObjectFromCpu process as event", wait_with, 20, BADHANDLE, "choice"),
    R("WaitForSynchronizationObjectFromCpu bad event", wait_with, 21, BADHANDLE, "choice"),
    R("WaitForSynchronizationObjectFromCpu random handle", wait_with, 23, INVALID, "choice"),

    /* Keyed mutexes. */
    R("CreateKeyedMutex(NULL)", ckm_null, 0, INVALID, "WIN"),
    R("CreateKeyedMutex(unreadable)", ckm_bad_ptr, 0, AV, "choice"),
    R("CreateKeyedMutex2(NULL)", ckm_null, 1, INVALID, "WIN"),
    R("CreateKeyedMutex2(unreadable)", ckm_bad_ptr, 1, AV, "choice"),
    R("CreateKeyedMutex2 reserved flag", ckm2_with, 1, INVALID, "choice"),
    R("CreateKeyedMutex2 size without data", ckm2_with, 2, INVALID, "choice"),
    R("CreateKeyedMutex2 data over the maximum", ckm2_with, 3, INVALID, "choice"),
    R("CreateKeyedMutex2 unreadable data", ckm2_with, 4, AV, "choice"),
    R("CreateKeyedMutex2 size 2^32-1", ckm2_with, 5, INVALID, "choice"),
    R("OpenKeyedMutex(NULL)", okm_null, 0, INVALID, "choice"),
    R("OpenKeyedMutex(unreadable)", okm_bad_ptr, 0, AV, "choice"),
    R("OpenKeyedMutex2(NULL)", okm_null, 1, INVALID, "choice"),
    R("OpenKeyedMutex2(unreadable)", okm_bad_ptr, 1, AV, "choice"),
    R("OpenKeyedMutex2 0", okm_with, 1, INVALID, "WIN"),
    R("OpenKeyedMutex2 local in hKeyedMutex", okm_with, 2, INVALID, "WIN"),
    R("OpenKeyedMutex2 local as global", okm_with, 3, INVALID, "choice"),
    R("OpenKeyedMutex2 dead global", okm_with, 4, INVALID, "WIN"),
    R("OpenKeyedMutex2 sync-object global", okm_with, 5, INVALID, "choice"),
    R("OpenKeyedMutex2 size 64 without data", okm_with, 6, INVALID, "WIN"),
    R("OpenKeyedMutex2 unreadable data", okm_with, 7, AV, "choice"),
    R("OpenKeyedMutex2 0x1eadbeed", okm_with, 8, INVALID, "choice"),
    R("DestroyKeyedMutex(NULL)", dkm_null, 0, INVALID, "choice"),
    R("DestroyKeyedMutex(unreadable)", dkm_bad_ptr, 0, AV, "choice"),
    R("DestroyKeyedMutex 0", dkm_with, 0, INVALID, "WIN"),
    R("DestroyKeyedMutex stale", dkm_with, 1, INVALID, "WIN"),
    R("DestroyKeyedMutex global handle", dkm_with, 2, INVALID, "choice"),
    R("DestroyKeyedMutex fence", dkm_with, 3, INVALID, "choice"),
    R("DestroyKeyedMutex device", dkm_with, 4, INVALID, "choice"),
    R("DestroyKeyedMutex sync mutex", dkm_with, 5, INVALID, "choice"),
    R("AcquireKeyedMutex(NULL)", akm_null, 0, INVALID, "WIN"),
    R("AcquireKeyedMutex(unreadable)", akm_bad_ptr, 0, AV, "choice"),
    R("AcquireKeyedMutex2(NULL)", akm_null, 1, INVALID, "choice"),
    R("AcquireKeyedMutex2(unreadable)", akm_bad_ptr, 1, AV, "choice"),
    R("AcquireKeyedMutex2 handle 0", akm_with, 1, INVALID, "choice"),
    R("AcquireKeyedMutex2 stale", akm_with, 2, INVALID, "WIN"),
    R("AcquireKeyedMutex2 fence", akm_with, 3, INVALID, "choice"),
    R("AcquireKeyedMutex2 global handle", akm_with, 4, INVALID, "choice"),
    R("AcquireKeyedMutex2 unreadable timeout", akm_with, 5, AV, "choice"),
    R("AcquireKeyedMutex2 size without buffer", akm_with, 6, INVALID, "choice"),
    R("AcquireKeyedMutex2 unreadable buffer", akm_with, 7, AV, "choice"),
    R("AcquireKeyedMutex2 buffer over the maximum", akm_with, 8, INVALID, "choice"),
    R("AcquireKeyedMutex2 random handle", akm_with, 9, INVALID, "WIN"),
    R("ReleaseKeyedMutex(NULL)", rkm_null, 0, INVALID, "WIN"),
    R("ReleaseKeyedMutex(unreadable)", rkm_bad_ptr, 0, AV, "choice"),
    R("ReleaseKeyedMutex2(NULL)", rkm_null, 1, INVALID, "choice"),
    R("ReleaseKeyedMutex2(unreadable)", rkm_bad_ptr, 1, AV, "choice"),
    R("ReleaseKeyedMutex2 handle 0", rkm_with, 1, INVALID, "choice"),
    R("ReleaseKeyedMutex2 stale", rkm_with, 2, INVALID, "WIN"),
    R("ReleaseKeyedMutex2 not owned", rkm_with, 3, INVALID, "WIN"),
    R("ReleaseKeyedMutex2 fence", rkm_with, 4, INVALID, "choice"),
    R("ReleaseKeyedMutex2 size without data", rkm_with, 5, INVALID, "choice"),
    R("ReleaseKeyedMutex2 unreadable data", rkm_with, 6, AV, "choice"),
};

/* ======================================================================== */
/* Fixture                                                                   */
/* ======================================================================== */

static UINT pattern_sum[ARRAY_SIZE(fixture_allocs)];

static void fill_pattern(UINT index, BYTE seed)
{
    D3DKMT_HANDLE dev = *fixture_allocs[index].dev, alloc = *fixture_allocs[index].alloc;
    NTSTATUS status;
    BYTE *p;
    UINT i;

    status = lock_alloc(dev, alloc, 0, (void **)&p);
    ok(status == STATUS_SUCCESS, "fixture: lock %#x: %#lx\n", alloc, status);
    if (status) return;
    for (i = 0; i < ALLOC_SIZE; i++) p[i] = (BYTE)(seed + i * 7 + (i >> 8));
    pattern_sum[index] = checksum(p, ALLOC_SIZE);
    unlock_alloc(dev, alloc);
}

static NTSTATUS create_fixture_alloc(D3DKMT_HANDLE dev, UINT flags, UINT group, void *mem,
                                     D3DKMT_HANDLE *resource, D3DKMT_HANDLE *global, D3DKMT_HANDLE *alloc)
{
    D3DKMT_WINE_ALLOCATION_DESC desc = make_desc(ALLOC_SIZE, group, group ? 0 : CPU_VISIBLE);
    static BYTE runtime[24], resource_data[16];
    D3DKMT_CREATEALLOCATION create;
    D3DDDI_ALLOCATIONINFO2 info;
    NTSTATUS status;

    memset(&create, 0, sizeof(create));
    memset(&info, 0, sizeof(info));
    memset(runtime, 0x11, sizeof(runtime));
    memset(resource_data, 0x22, sizeof(resource_data));
    create.hDevice = dev;
    create.NumAllocations = 1;
    create.pAllocationInfo2 = &info;
    memcpy(&create.Flags, &flags, sizeof(flags));
    if (flags & 1)
    {
        create.pPrivateRuntimeData = runtime;
        create.PrivateRuntimeDataSize = sizeof(runtime);
        create.pPrivateDriverData = resource_data;
        create.PrivateDriverDataSize = sizeof(resource_data);
    }
    info.pSystemMem = mem;
    info.pPrivateDriverData = &desc;
    info.PrivateDriverDataSize = sizeof(desc);
    status = pCreateAllocation2(&create);
    *alloc = info.hAllocation;
    if (resource) *resource = create.hResource;
    if (global) *global = create.hGlobalShare;
    return status;
}

static BOOL setup_fixture(void)
{
    D3DKMT_CREATEPAGINGQUEUE queue;
    D3DDDI_DESTROYPAGINGQUEUE destroy_queue;
    D3DKMT_HANDLE dummy;
    NTSTATUS status;
    DWORD old;
    UINT i;

    if (open_display1(&adapter, &display1_luid)) return FALSE;
    if (create_device(adapter, &dev_a) || create_device(adapter, &dev_b)) return FALSE;
    have_escape = !wine_escape(adapter, D3DKMT_WINE_ESCAPE_QUERY_STATS, 0, NULL);
    if (!have_escape) skip("not this module's driver: object and usage counts are not compared\n");

    memset(&queue, 0, sizeof(queue));
    queue.hDevice = dev_a;
    queue.Priority = D3DDDI_PAGINGQUEUE_PRIORITY_NORMAL;
    if (pCreatePagingQueue && !pCreatePagingQueue(&queue)) queue_a = queue.hPagingQueue;
    memset(&queue, 0, sizeof(queue));
    queue.hDevice = dev_a;
    queue.Priority = D3DDDI_PAGINGQUEUE_PRIORITY_NORMAL;
    if (pCreatePagingQueue && !pCreatePagingQueue(&queue))
    {
        stale_queue = queue.hPagingQueue;
        destroy_queue.hPagingQueue = stale_queue;
        pDestroyPagingQueue(&destroy_queue);
    }

    sysmem = VirtualAlloc(NULL, 2 * ALLOC_SIZE, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    noaccess = VirtualAlloc(NULL, 4096, MEM_COMMIT | MEM_RESERVE, PAGE_NOACCESS);
    guarded = VirtualAlloc(NULL, 2 * 4096, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    VirtualProtect(guarded + 4096, 4096, PAGE_NOACCESS, &old);

    status = create_fixture_alloc(dev_a, 0, 0, NULL, NULL, NULL, &alloc_vid);
    ok(status == STATUS_SUCCESS, "fixture: video allocation: %#lx\n", status);
    status = create_fixture_alloc(dev_a, 0, 1, sysmem, NULL, NULL, &alloc_sys);
    ok(status == STATUS_SUCCESS, "fixture: system-memory allocation: %#lx\n", status);
    status = create_fixture_alloc(dev_a, 1, 0, NULL, &res_a, NULL, &alloc_res);
    ok(status == STATUS_SUCCESS, "fixture: resource: %#lx\n", status);
    status = create_fixture_alloc(dev_a, 3, 0, NULL, &shared_res, &global_share, &shared_alloc);
    ok(status == STATUS_SUCCESS, "fixture: shared resource: %#lx\n", status);
    status = create_fixture_alloc(dev_a, 0x43, 0, NULL, &nt_res, NULL, &nt_alloc);
    ok(status == STATUS_SUCCESS, "fixture: NT-shared resource: %#lx\n", status);
    if (pShareObjects)
    {
        OBJECT_ATTRIBUTES attr;
        UNICODE_STRING name;
        HANDLE h;

        name.Buffer = (WCHAR *)L"\\BaseNamedObjects\\d3dkmt-badinput-nt";
        name.Length = name.MaximumLength = wcslen(name.Buffer) * sizeof(WCHAR);
        memset(&attr, 0, sizeof(attr));
        attr.Length = sizeof(attr);
        attr.ObjectName = &name;
        status = pShareObjects(1, &nt_res, &attr, STANDARD_RIGHTS_READ | SHARED_ALLOCATION_WRITE, &nt_handle);
        ok(status == STATUS_SUCCESS, "fixture: ShareObjects: %#lx\n", status);
        if (!pShareObjects(1, &nt_res, NULL, STANDARD_RIGHTS_READ, &h))
        {
            stale_nt_handle = h;
            CloseHandle(h);
        }
    }
    event_handle = CreateEventA(NULL, FALSE, FALSE, NULL);
    foreign_section = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 0x10000,
                                         "Global\\d3dkmt-badinput-foreign");
    status = create_fixture_alloc(dev_b, 0, 0, NULL, NULL, NULL, &alloc_b);
    ok(status == STATUS_SUCCESS, "fixture: device B allocation: %#lx\n", status);
    status = create_fixture_alloc(dev_a, 0, 0, NULL, NULL, NULL, &stale_alloc);
    ok(status == STATUS_SUCCESS, "fixture: stale allocation: %#lx\n", status);
    destroy_alloc(dev_a, stale_alloc);
    status = create_fixture_alloc(dev_a, 1, 0, NULL, &stale_res, NULL, &dummy);
    ok(status == STATUS_SUCCESS, "fixture: stale resource: %#lx\n", status);
    destroy_list(dev_a, stale_res, NULL, 0);
    create_device(adapter, &stale_dev);
    destroy_device(stale_dev);
    open_display1(&stale_adapter, NULL);
    close_adapter(stale_adapter);
    shared_runtime_size = 24;
    shared_resource_size = 16;
    shared_total_size = sizeof(D3DKMT_WINE_ALLOCATION_DESC);

    if (!alloc_vid || !alloc_sys || !alloc_res || !shared_alloc || !alloc_b || !nt_alloc || !nt_handle) return FALSE;
    for (i = 0; i < ARRAY_SIZE(fixture_allocs); i++) fill_pattern(i, 0x10 * (i + 1));

    stale_list = HeapAlloc(GetProcessHeap(), 0, (MAX_HANDLES + 1) * sizeof(*stale_list));
    zero_list = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, (MAX_HANDLES + 1) * sizeof(*zero_list));
    big_uints = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, (MAX_HANDLES + 1) * sizeof(*big_uints));
    for (i = 0; i <= MAX_HANDLES; i++) stale_list[i] = stale_alloc;
    mem_dc = CreateCompatibleDC(NULL);
    limited_process = OpenProcess(SYNCHRONIZE, FALSE, GetCurrentProcessId());
    query_process = OpenProcess(PROCESS_QUERY_INFORMATION, FALSE, GetCurrentProcessId());
    DuplicateHandle(GetCurrentProcess(), GetCurrentThread(), GetCurrentProcess(), &thread_handle, 0, FALSE,
                    DUPLICATE_SAME_ACCESS);
    setup_sync_fixture();
    return TRUE;
}

static void cleanup_fixture(void)
{
    D3DDDI_DESTROYPAGINGQUEUE destroy_queue;

    DeleteDC(mem_dc);
    CloseHandle(limited_process);
    CloseHandle(query_process);
    CloseHandle(thread_handle);
    destroy_alloc(dev_b, alloc_b);
    destroy_list(dev_a, shared_res, NULL, 0);
    destroy_list(dev_a, nt_res, NULL, 0);
    if (nt_handle) CloseHandle(nt_handle);
    CloseHandle(event_handle);
    CloseHandle(foreign_section);
    destroy_list(dev_a, res_a, NULL, 0);
    destroy_alloc(dev_a, alloc_sys);
    destroy_alloc(dev_a, alloc_vid);
    if (queue_a)
    {
        destroy_queue.hPagingQueue = queue_a;
        pDestroyPagingQueue(&destroy_queue);
    }
    cleanup_sync_fixture();
    destroy_device(dev_b);
    destroy_device(dev_a);
    close_adapter(adapter);
    HeapFree(GetProcessHeap(), 0, stale_list);
    HeapFree(GetProcessHeap(), 0, zero_list);
    HeapFree(GetProcessHeap(), 0, big_uints);
    VirtualFree(sysmem, 0, MEM_RELEASE);
    VirtualFree(noaccess, 0, MEM_RELEASE);
    VirtualFree(guarded, 0, MEM_RELEASE);
}

/* ======================================================================== */
/* The runner                                                                */
/* ======================================================================== */


/* ======================================================================== */
/* Controls: each builder's unmodified form works, so a row fails only      */
/* because of the one thing it changes.  Every success is undone.           */
/* ======================================================================== */

static void run_controls(void)
{
    D3DKMT_HANDLE h;
    NTSTATUS status;
    UINT v2;

    set_context("controls");
    for (v2 = 0; v2 <= V2; v2 += V2)
    {
        status = create_with(v2);
        ok(status == STATUS_SUCCESS, "CreateAllocation%s: %#lx\n", v2 ? "2" : "", status);
        h = v2 ? big_info2[0].hAllocation : big_info[0].hAllocation;
        if (!status) ok(!destroy_alloc(dev_a, h), "destroy %#x failed\n", h);
        status = create_with(v2 | 70);
        ok(status == STATUS_SUCCESS, "CreateAllocation%s standard: %#lx\n", v2 ? "2" : "", status);
        h = v2 ? big_info2[0].hAllocation : big_info[0].hAllocation;
        if (!status) ok(!destroy_alloc(dev_a, h), "destroy %#x failed\n", h);
        status = open_with(v2);
        ok(status == STATUS_SUCCESS, "OpenResource%s: %#lx\n", v2 ? "2" : "", status);
        if (!status) ok(!destroy_list(dev_b, open_ctx.desc.hResource, NULL, 0), "destroy opened resource failed\n");
    }
    ok(!lock_with(0), "Lock failed\n");
    ok(!lock2_with(0), "Lock2 failed\n");
    ok(!qai_with(0), "QueryAdapterInfo failed\n");
    ok(!qri_with(0), "QueryResourceInfo failed\n");
    ok(!share_with(0), "ShareObjects failed\n");
    ok(!qrint_with(0), "QueryResourceInfoFromNtHandle failed\n");
    status = ont_with(0);
    ok(!status, "OpenResourceFromNtHandle: %#lx\n", status);
    if (!status) ok(!destroy_list(dev_b, ont_ctx.desc.hResource, NULL, 0), "destroy opened resource failed\n");
    ok(!onfn_with(0), "OpenNtHandleFromName failed\n");
    ok(!osnt_with(0), "OpenSyncObjectFromNtHandle failed\n");
    ok(!osnt2_with(0), "OpenSyncObjectFromNtHandle2 failed\n");
    ok(!osnfn_with(0), "OpenSyncObjectNtHandleFromName failed\n");
    ok(!residency_with(0), "QueryAllocationResidency failed\n");
    ok(!getprio_with(0), "GetAllocationPriority failed\n");
    ok(!state_with(0), "GetDeviceState failed\n");
    ok(!escape_with(0), "Escape failed\n");
    ok(!qvmi_with(0), "QueryVideoMemoryInfo failed\n");
    ok(!cqueue_with(0), "CreatePagingQueue failed\n");
    ok(!reclaim_with(0), "ReclaimAllocations failed\n");
    ok(!reclaim2_with(0), "ReclaimAllocations2 failed\n");
    status = resident_with(0);
    ok(status == STATUS_SUCCESS || status == STATUS_PENDING, "MakeResident: %#lx\n", status);
    /* Evict's unmodified form, but EvictOnlyIfNecessary: without memory
     * pressure the allocation stays where it is. */
    {
        D3DKMT_EVICT evict;

        memset(&evict, 0, sizeof(evict));
        evict.hDevice = dev_a;
        evict.AllocationList = &alloc_vid;
        evict.NumAllocations = 1;
        evict.Flags.Value = 0x1;
        ok(!pEvict(&evict), "Evict failed\n");
    }
    status = setprio_with(0);
    ok(!status, "SetAllocationPriority: %#lx\n", status);
    {
        UINT normal = D3DDDI_ALLOCATIONPRIORITY_NORMAL;
        D3DKMT_SETALLOCATIONPRIORITY set;

        memset(&set, 0, sizeof(set));
        set.hDevice = dev_a;
        set.phAllocationList = &alloc_vid;
        set.AllocationCount = 1;
        set.pPriorities = &normal;
        ok(!pSetAllocationPriority(&set), "restoring the priority failed\n");
    }
    status = offer_with(0);
    ok(!status, "OfferAllocations: %#lx\n", status);
    if (!status) ok(!reclaim_with(0), "ReclaimAllocations after the offer failed\n");
    if (have_escape) wine_escape(adapter, D3DKMT_WINE_ESCAPE_WAIT_IDLE, 0, NULL);
    set_context(NULL);
}

/* hostile.c includes this file for its fixture, snapshots and builders. */
#ifndef BADINPUT_NO_MAIN
static const char *const bases[] = { "WIN", "DOC", "choice" };

START_TEST(badinput)
{
    UINT count[ARRAY_SIZE(bases)] = {0}, passed[ARRAY_SIZE(bases)] = {0}, failed[ARRAY_SIZE(bases)] = {0};
    UINT i, b, total = 0, total_passed = 0, total_failed = 0;
    BOOL verbose = GetEnvironmentVariableA("BADINPUT_VERBOSE", NULL, 0) > 0;
    struct snapshot before, after, initial;

    if (!load_d3dkmt()) return;
    if (!setup_fixture())
    {
        skip("no adapter, device or fixture\n");
        return;
    }
    run_controls();
    take_snapshot(&initial);
    for (i = 0; i < ARRAY_SIZE(fixture_allocs); i++)
        ok(!initial.lock_status[i] && initial.sum[i] == pattern_sum[i], "%s allocation: lock %#lx, content %#x, pattern %#x\n",
           fixture_allocs[i].name, initial.lock_status[i], initial.sum[i], pattern_sum[i]);

    for (i = 0; i < ARRAY_SIZE(rows); i++)
    {
        const struct row *row = &rows[i];
        LONG failures = wine_test_failures;
        NTSTATUS status;

        for (b = 0; b < ARRAY_SIZE(bases); b++) if (!strcmp(row->basis, bases[b])) break;
        ok(b < ARRAY_SIZE(bases), "row %u: unknown basis %s\n", i, row->basis);
        if (b == ARRAY_SIZE(bases)) continue;
        if (verbose) trace("row %u: %s\n", i, row->name);
        set_context("row %u (%s) [%s]", i, row->name, row->basis);
        take_snapshot(&before);
        status = row->call(row->arg);
        ok(status == row->expected, "got %#lx, expected %#lx\n", status, row->expected);
        take_snapshot(&after);
        compare_snapshots(&before, &after);
        set_context(NULL);
        count[b]++;
        if (wine_test_failures == failures) passed[b]++;
        else failed[b]++;
    }

    for (b = 0; b < ARRAY_SIZE(bases); b++)
    {
        total += count[b];
        total_passed += passed[b];
        total_failed += failed[b];
    }
    for (b = 0; b < ARRAY_SIZE(bases); b++)
        trace("%s rows: %u, passed %u, failed %u\n", bases[b], count[b], passed[b], failed[b]);
    trace("rows: %u (WIN %u, DOC %u, choice %u), passed %u, failed %u\n", total, count[0], count[1], count[2],
          total_passed, total_failed);
    /* The whole matrix changed nothing either. */
    set_context("after all rows");
    take_snapshot(&after);
    compare_snapshots(&initial, &after);
    set_context(NULL);
    cleanup_fixture();
}
#endif /* BADINPUT_NO_MAIN */
