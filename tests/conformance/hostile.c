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
 * Conformance: hostile memory behind every export's arguments.
 *
 * For each export of d3dkmt.spec taking one argument struct (all but
 * ShareObjects, whose hostile pointers are rows of badinput.c): the struct, and
 * every pointer field the module reads or writes, on a no-access page, a
 * PAGE_GUARD page, a read-only page (only where the module writes), released
 * memory, a non-canonical address (0x8000000000000000), kernel-range
 * addresses (0xffff800000000000, 0xfffff80000000000) and, for the struct,
 * straddling a page end into a no-access page (misaligned as well); then
 * counts of 2^31 and 2^32-1 (badinput.c has 0, 1, the maximum, maximum + 1
 * and a 32-bit overflowing count); then every handle field (and the first
 * entry of every handle list) given a live handle of each other type and
 * each stale kind, except the pairs badinput.c already has.  The kinds
 * include the sync objects (monitored fence, mutex, global handle, a live
 * paging queue's fence) and keyed mutexes (local and global), so that each
 * goes where an allocation, device, adapter or queue belongs and the other
 * way round; every sync-object and keyed-mutex handle field gets them all.
 *
 * Expected: a status, never an exception.  Windows returns from its kernel
 * thunks; no Windows observation says which status a guard page or a
 * kernel-range pointer gets, so these rows are the module's choice ("choice"):
 * STATUS_ACCESS_VIOLATION for memory it cannot read or write, as for the
 * other unreadable pointers of badinput.c, except where Windows documents
 * another (EnumAdapters2 pAdapters: STATUS_INVALID_PARAMETER [DOC]) or the
 * module checks the range without touching it (pSystemMem:
 * STATUS_INVALID_PARAMETER, as in badinput.c); STATUS_INVALID_PARAMETER for
 * counts over the caps.
 *
 * An exception that escapes an export is caught by this program's top-level
 * filter, which resumes the runner and counts a failure.  Around every row,
 * badinput.c's snapshot (objects, usage, fixture content, priority and
 * residency) must not change; each placed copy of the struct or pointee
 * must still hold what was written there.  A PAGE_GUARD page is one-shot:
 * after the row it is either still guarded (never touched) or plain
 * read/write (the module's read consumed the guard, then failed the call);
 * either way its bytes are unchanged.  At the end the process must still
 * allocate, use its heap and start threads.
 */
#define BADINPUT_NO_MAIN
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#pragma GCC diagnostic ignored "-Wunused-function"
#include <stddef.h>   /* offsetof: i686 mingw headers do not bring it in */
#include "badinput.c"

/* ---- catching escaped exceptions ---- */

static CONTEXT resume_context;
static volatile LONG in_call, escaped;
static volatile DWORD escaped_code;
static DWORD call_thread;
static struct _EXCEPTION_REGISTRATION_RECORD *saved_frames, *frames_after;

static LONG WINAPI top_filter(EXCEPTION_POINTERS *ptrs)
{
    if (!in_call || GetCurrentThreadId() != call_thread) return EXCEPTION_CONTINUE_SEARCH;
    escaped_code = ptrs->ExceptionRecord->ExceptionCode;
    in_call = 0;
    escaped = 1;
    /* Frames the export registered (Wine's __TRY) die with its stack. */
    ((NT_TIB *)NtCurrentTeb())->ExceptionList = saved_frames;
    *ptrs->ContextRecord = resume_context;
    return EXCEPTION_CONTINUE_EXECUTION;
}

typedef NTSTATUS (WINAPI *export_func)(void *);
#define ESCAPED 0xdeadbeef

/* Resumes after RtlCaptureContext when an exception escaped the export. */
static NTSTATUS __attribute__((noinline)) protected_call(export_func func, void *arg)
{
    static volatile NTSTATUS result;

    escaped = 0;
    call_thread = GetCurrentThreadId();
    saved_frames = ((NT_TIB *)NtCurrentTeb())->ExceptionList;
    RtlCaptureContext(&resume_context);
    if (escaped) return ESCAPED;
    in_call = 1;
    result = func(arg);
    in_call = 0;
    frames_after = ((NT_TIB *)NtCurrentTeb())->ExceptionList;
    return result;
}

/* ---- hostile places ---- */

enum place { NOACCESS, GUARD, READONLY, RELEASED, NONCANONICAL, KERNEL, KERNEL_HIGH, STRADDLE, PLACE_COUNT };
static const char *const place_names[] =
    { "no-access", "guard", "read-only", "released", "non-canonical", "kernel", "kernel high", "page-end" };
static BYTE *arena[PLACE_COUNT];   /* two pages each, the second one no-access */
static void *released;
static UINT guards_consumed, guards_kept;

static void setup_places(void)
{
    DWORD old;
    UINT i;

    for (i = 0; i < PLACE_COUNT; i++)
    {
        arena[i] = VirtualAlloc(NULL, 2 * 4096, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
        VirtualProtect(arena[i] + 4096, 4096, PAGE_NOACCESS, &old);
    }
    released = VirtualAlloc(NULL, 0x10000, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    VirtualFree(released, 0, MEM_RELEASE);
}

/* Puts `size` bytes of content at the place; returns the address to pass. */
static BYTE *put(enum place p, const void *content, UINT size)
{
    static const DWORD prot[] = { PAGE_NOACCESS, PAGE_READWRITE | PAGE_GUARD, PAGE_READONLY };
    DWORD old;

    switch (p)
    {
    case NOACCESS: case GUARD: case READONLY:
        VirtualProtect(arena[p], 4096, PAGE_READWRITE, &old);
        memset(arena[p], 0, 4096);
        if (content) memcpy(arena[p], content, min(size, 4096));
        VirtualProtect(arena[p], 4096, prot[p], &old);
        return arena[p];
    case RELEASED: return released;
#ifdef _WIN64
    case NONCANONICAL: return (BYTE *)(ULONG_PTR)0x8000000000000000ull;
    case KERNEL: return (BYTE *)(ULONG_PTR)0xffff800000000000ull;
    case KERNEL_HIGH: return (BYTE *)(ULONG_PTR)0xfffff80000000000ull;
#else
    /* A 32-bit process: the top pages, above any user mapping, the last one
     * so close to 4 GiB that pointer + size wraps around. */
    case NONCANONICAL: return (BYTE *)(ULONG_PTR)0xffffe000u;
    case KERNEL: return (BYTE *)(ULONG_PTR)0xfffff000u;
    case KERNEL_HIGH: return (BYTE *)(ULONG_PTR)0xfffffff0u;
#endif
    case STRADDLE:
        /* Half of it readable (at least one byte), the rest past the page end. */
        memset(arena[p], 0, 4096);
        if (content) memcpy(arena[p] + 4096 - (size + 1) / 2, content, (size + 1) / 2);
        return arena[p] + 4096 - (size + 1) / 2;
    default: return NULL;
    }
}

/* The place after the call: unchanged bytes, and the guard's state. */
static void check_place(enum place p, const void *content, UINT size)
{
    MEMORY_BASIC_INFORMATION info;
    DWORD old;

    if (p > READONLY && p != STRADDLE) return;
    if (!content) return;
    if (p == STRADDLE)
    {
        ok(!memcmp(arena[p] + 4096 - (size + 1) / 2, content, (size + 1) / 2), "page-end copy changed\n");
        return;
    }
    VirtualQuery(arena[p], &info, sizeof(info));
    if (p == GUARD)
    {
        ok(info.Protect == (PAGE_READWRITE | PAGE_GUARD) || info.Protect == PAGE_READWRITE,
           "guard page protection now %#lx\n", info.Protect);
        if (info.Protect & PAGE_GUARD) guards_kept++;
        else guards_consumed++;
    }
    else ok(info.Protect == (p == NOACCESS ? PAGE_NOACCESS : PAGE_READONLY), "protection now %#lx\n", info.Protect);
    VirtualProtect(arena[p], 4096, PAGE_READWRITE, &old);
    ok(!memcmp(arena[p], content, min(size, 4096)), "%s copy changed\n", place_names[p]);
}

/* ---- what the valid calls point to ---- */

static D3DKMT_HANDLE g_list[1], g_stale_list[1];
static UINT g_pages[1], g_prio[1], g_residency[1], g_results[1], g_qai[1];
static BOOL g_discarded[1];
static D3DDDI_ALLOCATIONINFO g_info[1];
static D3DDDI_ALLOCATIONINFO2 g_info2[1];
static D3DKMT_WINE_ALLOCATION_DESC g_adesc;
static BYTE g_blob[16], g_runtime[24], g_resdata[16], g_total[32];
static D3DDDI_OPENALLOCATIONINFO g_open[1];
static D3DDDI_OPENALLOCATIONINFO2 g_open2[1];
static D3DKMT_ADAPTERINFO g_adapters[4];
static D3DKMT_WINE_ESCAPE g_escape;
static D3DKMT_CREATESTANDARDALLOCATION g_standard;
static D3DKMT_VIDPNSOURCEOWNER_TYPE g_types[1] = { D3DKMT_VIDPNSOURCEOWNER_SHARED };
static D3DDDI_VIDEO_PRESENT_SOURCE_ID g_ids[1];
static WCHAR g_name[MAX_PATH] = L"\\\\?\\PCI#VEN_0BAD&DEV_C0DE#0#{1ca05180-a699-450a-9a0c-de4fbe3ddd89}";
static HDC display_dc;
static BYTE statistics[0x1000];

/* DISPLAY1's GUID_DISPLAY_DEVICE_ARRIVAL path, from its GPUID in the
 * registry, so a readable name gets as far as the write check. */
static void get_device_name(void)
{
    static const WCHAR prefix[] = L"\\Registry\\Machine\\";
    WCHAR path[MAX_PATH], gpu_id[MAX_PATH], *p;
    DWORD size = sizeof(path);

    if (RegGetValueW(HKEY_LOCAL_MACHINE, L"HARDWARE\\DEVICEMAP\\VIDEO", L"\\Device\\Video0", RRF_RT_REG_SZ, NULL,
                     path, &size) || _wcsnicmp(path, prefix, wcslen(prefix)))
        return;
    size = sizeof(gpu_id);
    if (RegGetValueW(HKEY_CURRENT_CONFIG, path + wcslen(prefix), L"GPUID", RRF_RT_REG_SZ, NULL, gpu_id, &size)) return;
    for (p = gpu_id; *p; p++) if (*p == '\\') *p = '#';
    _snwprintf(g_name, ARRAY_SIZE(g_name) - 1, L"\\\\?\\%s#{1ca05180-a699-450a-9a0c-de4fbe3ddd89}", gpu_id);
}

static void setup_pointees(void)
{
    g_list[0] = alloc_vid;
    g_stale_list[0] = stale_alloc;
    g_prio[0] = D3DDDI_ALLOCATIONPRIORITY_NORMAL;
    g_adesc = make_desc(4096, 0, CPU_VISIBLE);
    g_info[0].pPrivateDriverData = &g_adesc;
    g_info[0].PrivateDriverDataSize = sizeof(g_adesc);
    g_info2[0].pPrivateDriverData = &g_adesc;
    g_info2[0].PrivateDriverDataSize = sizeof(g_adesc);
    g_standard.Type = D3DKMT_STANDARDALLOCATIONTYPE_EXISTINGHEAP;
    g_standard.ExistingHeapData.Size = ALLOC_SIZE;
    g_escape.Magic = D3DKMT_WINE_ESCAPE_MAGIC;
    g_escape.Version = D3DKMT_WINE_ESCAPE_VERSION;
    g_escape.Command = D3DKMT_WINE_ESCAPE_QUERY_STATS;
    display_dc = CreateDCW(L"DISPLAY", NULL, NULL, NULL);
    get_device_name();
}

/* ---- the exports: valid contents, with pointer field `field` (1-based) replaced ---- */

#define SETF(n, f, v) do { if (field == (n)) d->f = (void *)(v); } while (0)

static void b_check_owner(void *p, UINT field, void *v)
{ D3DKMT_CHECKVIDPNEXCLUSIVEOWNERSHIP *d = p; d->hAdapter = adapter; }
static void b_close(void *p, UINT field, void *v) { D3DKMT_CLOSEADAPTER *d = p; d->hAdapter = stale_adapter; }

static void b_create(void *p, UINT field, void *v, BOOL info2)
{
    D3DKMT_CREATEALLOCATION *d = p;

    d->hDevice = dev_a;
    d->NumAllocations = 1;
    if (info2) d->pAllocationInfo2 = g_info2;
    else d->pAllocationInfo = g_info;
    SETF(1, pAllocationInfo, v);
    /* Field 2, the first entry's private data, and 5, its pSystemMem, go
     * into a copy of the array: only the pointer under test is hostile. */
    if (field == 2 || field == 5)
    {
        static D3DDDI_ALLOCATIONINFO info;
        static D3DDDI_ALLOCATIONINFO2 info2_copy;

        info = g_info[0];
        info2_copy = g_info2[0];
        if (field == 2) info.pPrivateDriverData = info2_copy.pPrivateDriverData = v;
        else info.pSystemMem = info2_copy.pSystemMem = v;
        if (info2) d->pAllocationInfo2 = &info2_copy;
        else d->pAllocationInfo = &info;
    }
    if (field == 3) { d->pPrivateRuntimeData = v; d->PrivateRuntimeDataSize = sizeof(g_blob); }
    if (field == 4) { d->pPrivateDriverData = v; d->PrivateDriverDataSize = sizeof(g_blob); }
}
static void b_create1(void *p, UINT field, void *v) { b_create(p, field, v, FALSE); }
static void b_create2(void *p, UINT field, void *v) { b_create(p, field, v, TRUE); }
static void b_create_std(void *p, UINT field, void *v)
{
    static D3DDDI_ALLOCATIONINFO2 info;
    D3DKMT_CREATEALLOCATION *d = p;
    UINT flags = 0x10020;  /* StandardAllocation|ExistingSysMem */

    memset(&info, 0, sizeof(info));
    info.pSystemMem = sysmem + ALLOC_SIZE;
    d->hDevice = dev_a;
    d->NumAllocations = 1;
    d->pAllocationInfo2 = &info;
    d->pStandardAllocation = &g_standard;
    memcpy(&d->Flags, &flags, sizeof(flags));
    SETF(1, pStandardAllocation, v);
}
static void b_cdev(void *p, UINT field, void *v) { D3DKMT_CREATEDEVICE *d = p; d->hAdapter = adapter; }
static void b_cqueue(void *p, UINT field, void *v)
{ D3DKMT_CREATEPAGINGQUEUE *d = p; d->hDevice = dev_a; d->Priority = D3DDDI_PAGINGQUEUE_PRIORITY_NORMAL; }
static void b_destroy(void *p, UINT field, void *v)
{
    D3DKMT_DESTROYALLOCATION *d = p;
    d->hDevice = dev_a;
    d->phAllocationList = g_stale_list;
    d->AllocationCount = 1;
    SETF(1, phAllocationList, v);
}
static void b_destroy2(void *p, UINT field, void *v)
{
    D3DKMT_DESTROYALLOCATION2 *d = p;
    d->hDevice = dev_a;
    d->phAllocationList = g_stale_list;
    d->AllocationCount = 1;
    SETF(1, phAllocationList, v);
}
static void b_ddev(void *p, UINT field, void *v) { D3DKMT_DESTROYDEVICE *d = p; d->hDevice = stale_dev; }
static void b_dqueue(void *p, UINT field, void *v) { D3DDDI_DESTROYPAGINGQUEUE *d = p; d->hPagingQueue = stale_queue; }
static void b_enum(void *p, UINT field, void *v)
{
    D3DKMT_ENUMADAPTERS2 *d = p;
    d->NumAdapters = ARRAY_SIZE(g_adapters);
    d->pAdapters = g_adapters;
    SETF(1, pAdapters, v);
}
static void b_escape(void *p, UINT field, void *v)
{
    D3DKMT_ESCAPE *d = p;
    d->hAdapter = adapter;
    d->Type = D3DKMT_ESCAPE_DRIVERPRIVATE;
    d->pPrivateDriverData = &g_escape;
    d->PrivateDriverDataSize = sizeof(g_escape);
    SETF(1, pPrivateDriverData, v);
}
/* An escape type for Wine's own escape, which gets a copy of the payload. */
static void b_escape_wine(void *p, UINT field, void *v)
{
    D3DKMT_ESCAPE *d = p;
    b_escape(p, field, v);
    d->Type = D3DKMT_ESCAPE_VIDMM;
}
static void b_evict(void *p, UINT field, void *v)
{
    D3DKMT_EVICT *d = p;
    d->hDevice = dev_a;
    d->NumAllocations = 1;
    d->AllocationList = g_list;
    SETF(1, AllocationList, v);
}
static void b_getprio(void *p, UINT field, void *v)
{
    D3DKMT_GETALLOCATIONPRIORITY *d = p;
    d->hDevice = dev_a;
    d->phAllocationList = g_list;
    d->AllocationCount = 1;
    d->pPriorities = g_prio;
    SETF(1, phAllocationList, v);
    SETF(2, pPriorities, v);
}
static void b_state(void *p, UINT field, void *v)
{ D3DKMT_GETDEVICESTATE *d = p; d->hDevice = dev_a; d->StateType = D3DKMT_DEVICESTATE_EXECUTION; }
static void b_lock(void *p, UINT field, void *v)
{
    D3DKMT_LOCK *d = p;
    d->hDevice = dev_a;
    d->hAllocation = alloc_vid;
    d->NumPages = 1;
    d->pPages = g_pages;
    SETF(1, pPages, v);
}
static void b_lock2(void *p, UINT field, void *v) { D3DKMT_LOCK2 *d = p; d->hDevice = dev_a; d->hAllocation = alloc_vid; }
static void b_resident(void *p, UINT field, void *v)
{
    D3DDDI_MAKERESIDENT *d = p;
    d->hPagingQueue = queue_a;
    d->NumAllocations = 1;
    d->AllocationList = g_list;
    SETF(1, AllocationList, v);
}
static void b_mark(void *p, UINT field, void *v)
{ D3DKMT_MARKDEVICEASERROR *d = p; d->hDevice = stale_dev; d->Reason = D3DKMT_DEVICE_ERROR_REASON_GENERIC; }
static void b_offer(void *p, UINT field, void *v)
{
    D3DKMT_OFFERALLOCATIONS *d = p;
    d->hDevice = dev_a;
    d->HandleList = g_list;
    d->NumAllocations = 1;
    d->Priority = D3DKMT_OFFER_PRIORITY_LOW;
    SETF(1, HandleList, v);
}
static void b_devname(void *p, UINT field, void *v)
{ D3DKMT_OPENADAPTERFROMDEVICENAME *d = p; d->pDeviceName = g_name; SETF(1, pDeviceName, v); }
static void b_gdiname(void *p, UINT field, void *v)
{ D3DKMT_OPENADAPTERFROMGDIDISPLAYNAME *d = p; lstrcpyW(d->DeviceName, L"\\\\.\\DISPLAY1"); }
static void b_hdc(void *p, UINT field, void *v) { D3DKMT_OPENADAPTERFROMHDC *d = p; d->hDc = display_dc; }
static void b_luid(void *p, UINT field, void *v) { D3DKMT_OPENADAPTERFROMLUID *d = p; d->AdapterLuid = display1_luid; }
static void b_open(void *p, UINT field, void *v, BOOL info2)
{
    D3DKMT_OPENRESOURCE *d = p;

    d->hDevice = dev_b;
    d->hGlobalShare = global_share;
    d->NumAllocations = 1;
    if (info2) d->pOpenAllocationInfo2 = g_open2;
    else d->pOpenAllocationInfo = g_open;
    d->pPrivateRuntimeData = g_runtime;
    d->PrivateRuntimeDataSize = sizeof(g_runtime);
    d->pResourcePrivateDriverData = g_resdata;
    d->ResourcePrivateDriverDataSize = sizeof(g_resdata);
    d->pTotalPrivateDriverDataBuffer = g_total;
    d->TotalPrivateDriverDataBufferSize = sizeof(g_total);
    SETF(1, pOpenAllocationInfo, v);
    SETF(2, pPrivateRuntimeData, v);
    SETF(3, pResourcePrivateDriverData, v);
    SETF(4, pTotalPrivateDriverDataBuffer, v);
}
static void b_ont(void *p, UINT field, void *v)
{
    D3DKMT_OPENRESOURCEFROMNTHANDLE *d = p;

    d->hDevice = dev_b;
    d->hNtHandle = nt_handle;
    d->NumAllocations = 1;
    d->pOpenAllocationInfo2 = g_open2;
    d->pPrivateRuntimeData = g_runtime;
    d->PrivateRuntimeDataSize = sizeof(g_runtime);
    d->pResourcePrivateDriverData = g_resdata;
    d->ResourcePrivateDriverDataSize = sizeof(g_resdata);
    d->pTotalPrivateDriverDataBuffer = g_total;
    d->TotalPrivateDriverDataBufferSize = sizeof(g_total);
    SETF(1, pOpenAllocationInfo2, v);
    SETF(2, pPrivateRuntimeData, v);
    SETF(3, pResourcePrivateDriverData, v);
    SETF(4, pTotalPrivateDriverDataBuffer, v);
}
static void b_qrint(void *p, UINT field, void *v)
{ D3DKMT_QUERYRESOURCEINFOFROMNTHANDLE *d = p; d->hDevice = dev_a; d->hNtHandle = nt_handle; }
static OBJECT_ATTRIBUTES g_attr;
static UNICODE_STRING g_attr_name;
static void b_onfn(void *p, UINT field, void *v)
{
    D3DKMT_OPENNTHANDLEFROMNAME *d = p;

    g_attr_name.Buffer = (WCHAR *)L"\\BaseNamedObjects\\d3dkmt-badinput-nt";
    g_attr_name.Length = g_attr_name.MaximumLength = wcslen(g_attr_name.Buffer) * sizeof(WCHAR);
    g_attr.Length = sizeof(g_attr);
    g_attr.ObjectName = &g_attr_name;
    d->dwDesiredAccess = STANDARD_RIGHTS_READ;
    d->pObjAttrib = &g_attr;
    SETF(1, pObjAttrib, v);
}
static void b_open1(void *p, UINT field, void *v) { b_open(p, field, v, FALSE); }
static void b_open2(void *p, UINT field, void *v) { b_open(p, field, v, TRUE); }
static void b_qai(void *p, UINT field, void *v)
{
    D3DKMT_QUERYADAPTERINFO *d = p;
    d->hAdapter = adapter;
    d->Type = KMTQAITYPE_DRIVERVERSION;
    d->pPrivateDriverData = g_qai;
    d->PrivateDriverDataSize = sizeof(g_qai);
    SETF(1, pPrivateDriverData, v);
}
static void b_residency(void *p, UINT field, void *v)
{
    D3DKMT_QUERYALLOCATIONRESIDENCY *d = p;
    d->hDevice = dev_a;
    d->phAllocationList = g_list;
    d->AllocationCount = 1;
    d->pResidencyStatus = (void *)g_residency;
    SETF(1, phAllocationList, v);
    SETF(2, pResidencyStatus, v);
}
static void b_qri(void *p, UINT field, void *v) { D3DKMT_QUERYRESOURCEINFO *d = p; d->hDevice = dev_a; d->hGlobalShare = global_share; }
static void b_stats(void *p, UINT field, void *v)
{ D3DKMT_QUERYSTATISTICS *d = p; d->Type = D3DKMT_QUERYSTATISTICS_SEGMENT; d->AdapterLuid = display1_luid; }
static void b_qvmi(void *p, UINT field, void *v)
{ D3DKMT_QUERYVIDEOMEMORYINFO *d = p; d->hAdapter = adapter; d->MemorySegmentGroup = D3DKMT_MEMORY_SEGMENT_GROUP_LOCAL; }
static void b_reclaim(void *p, UINT field, void *v)
{
    D3DKMT_RECLAIMALLOCATIONS *d = p;
    d->hDevice = dev_a;
    d->HandleList = g_list;
    d->NumAllocations = 1;
    d->pDiscarded = g_discarded;
    SETF(1, HandleList, v);
    SETF(2, pDiscarded, v);
}
static void b_reclaim2(void *p, UINT field, void *v)
{
    D3DKMT_RECLAIMALLOCATIONS2 *d = p;
    d->hPagingQueue = queue_a;
    d->HandleList = g_list;
    d->NumAllocations = 1;
    d->pResults = (void *)g_results;
    SETF(1, HandleList, v);
    SETF(2, pResults, v);
}
static void b_setprio(void *p, UINT field, void *v)
{
    D3DKMT_SETALLOCATIONPRIORITY *d = p;
    d->hDevice = dev_a;
    d->phAllocationList = g_list;
    d->AllocationCount = 1;
    d->pPriorities = g_prio;
    SETF(1, phAllocationList, v);
    SETF(2, pPriorities, v);
}
static void b_queued(void *p, UINT field, void *v)
{ D3DKMT_SETQUEUEDLIMIT *d = p; d->hDevice = dev_a; d->Type = D3DKMT_SET_QUEUEDLIMIT_PRESENT; d->QueuedPresentLimit = 2; }
static void b_owner(void *p, UINT field, void *v)
{
    D3DKMT_SETVIDPNSOURCEOWNER *d = p;
    d->hDevice = dev_a;
    d->pType = g_types;
    d->pVidPnSourceId = g_ids;
    d->VidPnSourceCount = 1;
    SETF(1, pType, v);
    SETF(2, pVidPnSourceId, v);
}
static void b_unlock(void *p, UINT field, void *v)
{
    D3DKMT_UNLOCK *d = p;
    d->hDevice = dev_a;
    d->NumAllocations = 1;
    d->phAllocations = g_list;
    SETF(1, phAllocations, v);
}
static void b_unlock2(void *p, UINT field, void *v) { D3DKMT_UNLOCK2 *d = p; d->hDevice = dev_a; d->hAllocation = alloc_vid; }

/* Synchronization objects and keyed mutexes: the fixture's fence (at its
 * value, so even a wrong success moves nothing) and keyed mutex. */
static D3DKMT_HANDLE g_fences[1];
static UINT64 g_fence_values[1] = { SYNC_FENCE_VALUE };
static LARGE_INTEGER g_timeout;
static BYTE g_km_data[16];

static void b_csync(void *p, UINT field, void *v)
{ D3DKMT_CREATESYNCHRONIZATIONOBJECT *d = p; d->hDevice = dev_a; d->Info.Type = 99; }
static void b_csync2(void *p, UINT field, void *v)
{ D3DKMT_CREATESYNCHRONIZATIONOBJECT2 *d = p; d->hDevice = dev_a; d->Info.Type = 99; }
static void b_osync(void *p, UINT field, void *v)
{ D3DKMT_OPENSYNCHRONIZATIONOBJECT *d = p; d->hSharedHandle = stale_sync_global; }
static void b_dsync(void *p, UINT field, void *v)
{ D3DKMT_DESTROYSYNCHRONIZATIONOBJECT *d = p; d->hSyncObject = stale_fence; }
static void b_signal(void *p, UINT field, void *v)
{
    D3DKMT_SIGNALSYNCHRONIZATIONOBJECTFROMCPU *d = p;
    g_fences[0] = fence_a;
    d->hDevice = dev_a;
    d->ObjectCount = 1;
    d->ObjectHandleArray = g_fences;
    d->FenceValueArray = g_fence_values;
    SETF(1, ObjectHandleArray, v);
    SETF(2, FenceValueArray, v);
}
static void b_wait(void *p, UINT field, void *v)
{
    D3DKMT_WAITFORSYNCHRONIZATIONOBJECTFROMCPU *d = p;
    g_fences[0] = fence_a;
    d->hDevice = dev_a;
    d->ObjectCount = 1;
    d->ObjectHandleArray = g_fences;
    d->FenceValueArray = g_fence_values;
    SETF(1, ObjectHandleArray, v);
    SETF(2, FenceValueArray, v);
}
static void b_ckm(void *p, UINT field, void *v)
{ D3DKMT_CREATEKEYEDMUTEX *d = p; d->InitialValue = 0; }
static void b_ckm2(void *p, UINT field, void *v)
{
    D3DKMT_CREATEKEYEDMUTEX2 *d = p;
    d->Flags.Value = 2;   /* reserved: a wrong success is still refused */
    d->pPrivateRuntimeData = g_km_data;
    d->PrivateRuntimeDataSize = sizeof(g_km_data);
    SETF(1, pPrivateRuntimeData, v);
}
static void b_okm(void *p, UINT field, void *v)
{ D3DKMT_OPENKEYEDMUTEX *d = p; d->hSharedHandle = stale_km_global; }
static void b_okm2(void *p, UINT field, void *v)
{
    D3DKMT_OPENKEYEDMUTEX2 *d = p;
    d->hSharedHandle = stale_km_global;
    d->pPrivateRuntimeData = g_km_data;
    d->PrivateRuntimeDataSize = sizeof(g_km_data);
    SETF(1, pPrivateRuntimeData, v);
}
static void b_dkm(void *p, UINT field, void *v)
{ D3DKMT_DESTROYKEYEDMUTEX *d = p; d->hKeyedMutex = stale_km; }
static void b_akm(void *p, UINT field, void *v)
{
    D3DKMT_ACQUIREKEYEDMUTEX *d = p;
    d->hKeyedMutex = stale_km;
    d->pTimeout = &g_timeout;
    SETF(1, pTimeout, v);
}
static void b_akm2(void *p, UINT field, void *v)
{
    D3DKMT_ACQUIREKEYEDMUTEX2 *d = p;
    d->hKeyedMutex = stale_km;
    d->pTimeout = &g_timeout;
    d->pPrivateRuntimeData = g_km_data;
    d->PrivateRuntimeDataSize = sizeof(g_km_data);
    SETF(1, pTimeout, v);
    SETF(2, pPrivateRuntimeData, v);
}
static void b_rkm(void *p, UINT field, void *v)
{ D3DKMT_RELEASEKEYEDMUTEX *d = p; d->hKeyedMutex = stale_km; }
static void b_rkm2(void *p, UINT field, void *v)
{
    D3DKMT_RELEASEKEYEDMUTEX2 *d = p;
    d->hKeyedMutex = stale_km;
    d->pPrivateRuntimeData = g_km_data;
    d->PrivateRuntimeDataSize = sizeof(g_km_data);
    SETF(1, pPrivateRuntimeData, v);
}

#define AV STATUS_ACCESS_VIOLATION
#define ANY 1  /* any status: Wine's own call */

struct field
{
    const char *name;
    BOOL written;       /* the module writes through it */
    NTSTATUS expected;
    const void *content;
    UINT size;          /* bytes the module accesses there */
};

struct export_case
{
    const char *name;   /* export, without D3DKMT */
    UINT size;
    BOOL written;       /* the module writes the struct */
    void (*build)(void *desc, UINT field, void *value);
    NTSTATUS expected;  /* for the struct itself */
    UINT count_offset;  /* a count field, 0 if none */
    struct field fields[5];
};

#define F(name, w, e, c, s) { name, w, e, c, s }
#define NO_COUNT 0
static const struct export_case cases[] =
{
    { "CheckVidPnExclusiveOwnership", sizeof(D3DKMT_CHECKVIDPNEXCLUSIVEOWNERSHIP), 0, b_check_owner, AV, NO_COUNT },
    { "CloseAdapter", sizeof(D3DKMT_CLOSEADAPTER), 0, b_close, AV, NO_COUNT },
    { "CreateAllocation", sizeof(D3DKMT_CREATEALLOCATION), 1, b_create1, AV,
      offsetof(D3DKMT_CREATEALLOCATION, NumAllocations),
      { F("pAllocationInfo", 1, AV, g_info, sizeof(g_info)),
        F("pAllocationInfo[0].pPrivateDriverData", 0, AV, &g_adesc, sizeof(g_adesc)),
        F("pPrivateRuntimeData", 0, AV, g_blob, sizeof(g_blob)),
        F("pPrivateDriverData", 0, AV, g_blob, sizeof(g_blob)),
        F("pAllocationInfo[0].pSystemMem", 0, STATUS_INVALID_PARAMETER, NULL, 4096) } },
    { "CreateAllocation2", sizeof(D3DKMT_CREATEALLOCATION), 1, b_create2, AV,
      offsetof(D3DKMT_CREATEALLOCATION, NumAllocations),
      { F("pAllocationInfo2", 1, AV, g_info2, sizeof(g_info2)),
        F("pAllocationInfo2[0].pPrivateDriverData", 0, AV, &g_adesc, sizeof(g_adesc)),
        F("pPrivateRuntimeData", 0, AV, g_blob, sizeof(g_blob)),
        F("pPrivateDriverData", 0, AV, g_blob, sizeof(g_blob)),
        F("pAllocationInfo2[0].pSystemMem", 0, STATUS_INVALID_PARAMETER, NULL, 4096) } },
    { "CreateAllocation2", sizeof(D3DKMT_CREATEALLOCATION), 1, b_create_std, AV, NO_COUNT,
      { F("pStandardAllocation", 0, AV, &g_standard, sizeof(g_standard)) } },
    { "CreateDevice", sizeof(D3DKMT_CREATEDEVICE), 1, b_cdev, AV, NO_COUNT },
    { "CreatePagingQueue", sizeof(D3DKMT_CREATEPAGINGQUEUE), 1, b_cqueue, AV, NO_COUNT },
    { "DestroyAllocation", sizeof(D3DKMT_DESTROYALLOCATION), 0, b_destroy, AV,
      offsetof(D3DKMT_DESTROYALLOCATION, AllocationCount),
      { F("phAllocationList", 0, AV, g_stale_list, sizeof(g_stale_list)) } },
    { "DestroyAllocation2", sizeof(D3DKMT_DESTROYALLOCATION2), 0, b_destroy2, AV,
      offsetof(D3DKMT_DESTROYALLOCATION2, AllocationCount),
      { F("phAllocationList", 0, AV, g_stale_list, sizeof(g_stale_list)) } },
    { "DestroyDevice", sizeof(D3DKMT_DESTROYDEVICE), 0, b_ddev, AV, NO_COUNT },
    { "DestroyPagingQueue", sizeof(D3DDDI_DESTROYPAGINGQUEUE), 0, b_dqueue, AV, NO_COUNT },
    { "EnumAdapters2", sizeof(D3DKMT_ENUMADAPTERS2), 1, b_enum, AV, NO_COUNT,
      { F("pAdapters", 1, STATUS_INVALID_PARAMETER, g_adapters, sizeof(g_adapters[0])) } },
    { "Escape", sizeof(D3DKMT_ESCAPE), 0, b_escape, AV, NO_COUNT,
      { F("pPrivateDriverData", 1, AV, &g_escape, sizeof(g_escape)) } },
    { "Escape", sizeof(D3DKMT_ESCAPE), 0, b_escape_wine, AV, NO_COUNT,
      { F("pPrivateDriverData (Wine's escape types)", 1, AV, &g_escape, sizeof(g_escape)) } },
    { "Evict", sizeof(D3DKMT_EVICT), 1, b_evict, AV, offsetof(D3DKMT_EVICT, NumAllocations),
      { F("AllocationList", 0, AV, g_list, sizeof(g_list)) } },
    { "GetAllocationPriority", sizeof(D3DKMT_GETALLOCATIONPRIORITY), 0, b_getprio, AV,
      offsetof(D3DKMT_GETALLOCATIONPRIORITY, AllocationCount),
      { F("phAllocationList", 0, AV, g_list, sizeof(g_list)), F("pPriorities", 1, AV, g_prio, sizeof(g_prio)) } },
    { "GetDeviceState", sizeof(D3DKMT_GETDEVICESTATE), 1, b_state, AV, NO_COUNT },
    { "Lock", sizeof(D3DKMT_LOCK), 1, b_lock, AV, offsetof(D3DKMT_LOCK, NumPages),
      { F("pPages", 0, AV, g_pages, sizeof(g_pages)) } },
    { "Lock2", sizeof(D3DKMT_LOCK2), 1, b_lock2, AV, NO_COUNT },
    { "MakeResident", sizeof(D3DDDI_MAKERESIDENT), 1, b_resident, AV, offsetof(D3DDDI_MAKERESIDENT, NumAllocations),
      { F("AllocationList", 0, AV, g_list, sizeof(g_list)) } },
    { "MarkDeviceAsError", sizeof(D3DKMT_MARKDEVICEASERROR), 0, b_mark, AV, NO_COUNT },
    { "OfferAllocations", sizeof(D3DKMT_OFFERALLOCATIONS), 0, b_offer, AV, offsetof(D3DKMT_OFFERALLOCATIONS, NumAllocations),
      { F("HandleList", 0, AV, g_list, sizeof(g_list)) } },
    { "OpenAdapterFromDeviceName", sizeof(D3DKMT_OPENADAPTERFROMDEVICENAME), 1, b_devname, AV, NO_COUNT,
      { F("pDeviceName", 0, AV, g_name, 2 * 80) } },
    { "OpenAdapterFromGdiDisplayName", sizeof(D3DKMT_OPENADAPTERFROMGDIDISPLAYNAME), 1, b_gdiname, AV, NO_COUNT },
    { "OpenAdapterFromHdc", sizeof(D3DKMT_OPENADAPTERFROMHDC), 1, b_hdc, AV, NO_COUNT },
    { "OpenAdapterFromLuid", sizeof(D3DKMT_OPENADAPTERFROMLUID), 1, b_luid, AV, NO_COUNT },
    { "OpenResource", sizeof(D3DKMT_OPENRESOURCE), 1, b_open1, AV, offsetof(D3DKMT_OPENRESOURCE, NumAllocations),
      { F("pOpenAllocationInfo", 1, AV, g_open, sizeof(g_open)), F("pPrivateRuntimeData", 1, AV, g_runtime, sizeof(g_runtime)),
        F("pResourcePrivateDriverData", 1, AV, g_resdata, sizeof(g_resdata)),
        F("pTotalPrivateDriverDataBuffer", 1, AV, g_total, sizeof(g_total)) } },
    { "OpenResource2", sizeof(D3DKMT_OPENRESOURCE), 1, b_open2, AV, offsetof(D3DKMT_OPENRESOURCE, NumAllocations),
      { F("pOpenAllocationInfo2", 1, AV, g_open2, sizeof(g_open2)), F("pPrivateRuntimeData", 1, AV, g_runtime, sizeof(g_runtime)),
        F("pResourcePrivateDriverData", 1, AV, g_resdata, sizeof(g_resdata)),
        F("pTotalPrivateDriverDataBuffer", 1, AV, g_total, sizeof(g_total)) } },
    { "QueryAdapterInfo", sizeof(D3DKMT_QUERYADAPTERINFO), 0, b_qai, AV, NO_COUNT,
      { F("pPrivateDriverData", 1, AV, g_qai, sizeof(g_qai)) } },
    { "QueryAllocationResidency", sizeof(D3DKMT_QUERYALLOCATIONRESIDENCY), 0, b_residency, AV,
      offsetof(D3DKMT_QUERYALLOCATIONRESIDENCY, AllocationCount),
      { F("phAllocationList", 0, AV, g_list, sizeof(g_list)), F("pResidencyStatus", 1, AV, g_residency, sizeof(g_residency)) } },
    { "OpenNtHandleFromName", sizeof(D3DKMT_OPENNTHANDLEFROMNAME), 1, b_onfn, AV, NO_COUNT,
      { F("pObjAttrib", 0, AV, &g_attr, sizeof(g_attr)) } },
    { "OpenResourceFromNtHandle", sizeof(D3DKMT_OPENRESOURCEFROMNTHANDLE), 1, b_ont, AV,
      offsetof(D3DKMT_OPENRESOURCEFROMNTHANDLE, NumAllocations),
      { F("pOpenAllocationInfo2", 1, AV, g_open2, sizeof(g_open2)), F("pPrivateRuntimeData", 1, AV, g_runtime, sizeof(g_runtime)),
        F("pResourcePrivateDriverData", 1, AV, g_resdata, sizeof(g_resdata)),
        F("pTotalPrivateDriverDataBuffer", 1, AV, g_total, sizeof(g_total)) } },
    { "QueryResourceInfo", sizeof(D3DKMT_QUERYRESOURCEINFO), 1, b_qri, AV, NO_COUNT },
    { "QueryResourceInfoFromNtHandle", sizeof(D3DKMT_QUERYRESOURCEINFOFROMNTHANDLE), 1, b_qrint, AV, NO_COUNT },
    { "QueryStatistics", sizeof(D3DKMT_QUERYSTATISTICS), 1, b_stats, AV, NO_COUNT },
    { "QueryVideoMemoryInfo", sizeof(D3DKMT_QUERYVIDEOMEMORYINFO), 1, b_qvmi, AV, NO_COUNT },
    { "ReclaimAllocations", sizeof(D3DKMT_RECLAIMALLOCATIONS), 0, b_reclaim, AV,
      offsetof(D3DKMT_RECLAIMALLOCATIONS, NumAllocations),
      { F("HandleList", 0, AV, g_list, sizeof(g_list)), F("pDiscarded", 1, AV, g_discarded, sizeof(g_discarded)) } },
    { "ReclaimAllocations2", sizeof(D3DKMT_RECLAIMALLOCATIONS2), 1, b_reclaim2, AV,
      offsetof(D3DKMT_RECLAIMALLOCATIONS2, NumAllocations),
      { F("HandleList", 0, AV, g_list, sizeof(g_list)), F("pResults", 1, AV, g_results, sizeof(g_results)) } },
    { "SetAllocationPriority", sizeof(D3DKMT_SETALLOCATIONPRIORITY), 0, b_setprio, AV,
      offsetof(D3DKMT_SETALLOCATIONPRIORITY, AllocationCount),
      { F("phAllocationList", 0, AV, g_list, sizeof(g_list)), F("pPriorities", 0, AV, g_prio, sizeof(g_prio)) } },
    { "SetQueuedLimit", sizeof(D3DKMT_SETQUEUEDLIMIT), 0, b_queued, AV, NO_COUNT },
    { "SetVidPnSourceOwner", sizeof(D3DKMT_SETVIDPNSOURCEOWNER), 0, b_owner, AV,
      offsetof(D3DKMT_SETVIDPNSOURCEOWNER, VidPnSourceCount),
      { F("pType", 0, AV, g_types, sizeof(g_types)), F("pVidPnSourceId", 0, AV, g_ids, sizeof(g_ids)) } },
    { "Unlock", sizeof(D3DKMT_UNLOCK), 0, b_unlock, AV, offsetof(D3DKMT_UNLOCK, NumAllocations),
      { F("phAllocations", 0, AV, g_list, sizeof(g_list)) } },
    { "Unlock2", sizeof(D3DKMT_UNLOCK2), 0, b_unlock2, AV, NO_COUNT },    { "AcquireKeyedMutex", sizeof(D3DKMT_ACQUIREKEYEDMUTEX), 1, b_akm, AV, NO_COUNT,
      { F("pTimeout", 0, AV, &g_timeout, sizeof(g_timeout)) } },
    { "AcquireKeyedMutex2", sizeof(D3DKMT_ACQUIREKEYEDMUTEX2), 1, b_akm2, AV, NO_COUNT,
      { F("pTimeout", 0, AV, &g_timeout, sizeof(g_timeout)),
        F("pPrivateRuntimeData", 1, AV, g_km_data, sizeof(g_km_data)) } },
    { "CreateKeyedMutex", sizeof(D3DKMT_CREATEKEYEDMUTEX), 1, b_ckm, AV, NO_COUNT },
    { "CreateKeyedMutex2", sizeof(D3DKMT_CREATEKEYEDMUTEX2), 1, b_ckm2, AV, NO_COUNT,
      { F("pPrivateRuntimeData", 0, AV, g_km_data, sizeof(g_km_data)) } },
    { "CreateSynchronizationObject", sizeof(D3DKMT_CREATESYNCHRONIZATIONOBJECT), 1, b_csync, AV, NO_COUNT },
    { "CreateSynchronizationObject2", sizeof(D3DKMT_CREATESYNCHRONIZATIONOBJECT2), 1, b_csync2, AV, NO_COUNT },
    { "DestroyKeyedMutex", sizeof(D3DKMT_DESTROYKEYEDMUTEX), 0, b_dkm, AV, NO_COUNT },
    { "DestroySynchronizationObject", sizeof(D3DKMT_DESTROYSYNCHRONIZATIONOBJECT), 0, b_dsync, AV, NO_COUNT },
    { "OpenKeyedMutex", sizeof(D3DKMT_OPENKEYEDMUTEX), 1, b_okm, AV, NO_COUNT },
    { "OpenKeyedMutex2", sizeof(D3DKMT_OPENKEYEDMUTEX2), 1, b_okm2, AV, NO_COUNT,
      { F("pPrivateRuntimeData", 0, AV, g_km_data, sizeof(g_km_data)) } },
    { "OpenSynchronizationObject", sizeof(D3DKMT_OPENSYNCHRONIZATIONOBJECT), 1, b_osync, AV, NO_COUNT },
    { "ReleaseKeyedMutex", sizeof(D3DKMT_RELEASEKEYEDMUTEX), 0, b_rkm, AV, NO_COUNT },
    { "ReleaseKeyedMutex2", sizeof(D3DKMT_RELEASEKEYEDMUTEX2), 0, b_rkm2, AV, NO_COUNT,
      { F("pPrivateRuntimeData", 0, AV, g_km_data, sizeof(g_km_data)) } },
    { "SignalSynchronizationObjectFromCpu", sizeof(D3DKMT_SIGNALSYNCHRONIZATIONOBJECTFROMCPU), 0, b_signal, AV,
      offsetof(D3DKMT_SIGNALSYNCHRONIZATIONOBJECTFROMCPU, ObjectCount),
      { F("ObjectHandleArray", 0, AV, g_fences, sizeof(g_fences)),
        F("FenceValueArray", 0, AV, g_fence_values, sizeof(g_fence_values)) } },
    { "WaitForSynchronizationObjectFromCpu", sizeof(D3DKMT_WAITFORSYNCHRONIZATIONOBJECTFROMCPU), 0, b_wait, AV,
      offsetof(D3DKMT_WAITFORSYNCHRONIZATIONOBJECTFROMCPU, ObjectCount),
      { F("ObjectHandleArray", 0, AV, g_fences, sizeof(g_fences)),
        F("FenceValueArray", 0, AV, g_fence_values, sizeof(g_fence_values)) } },
};

static UINT rows_run, rows_failed;

/* One call: the status, no escaped exception, nothing changed. */
static void run_row(export_func func, void *arg, NTSTATUS expected)
{
    struct snapshot before, after;
    LONG failures = wine_test_failures;
    NTSTATUS status;

    take_snapshot(&before);
    status = protected_call(func, arg);
    ok(!escaped, "exception %#lx escaped\n", escaped_code);
    /* A fault the module caught leaves the thread's handler list as it was
     * (a stale entry there crashes the next exception's dispatch). */
    if (!escaped) ok(frames_after == saved_frames, "exception list %p, was %p\n", frames_after, saved_frames);
    if (!escaped && expected != ANY) ok(status == expected, "got %#lx, expected %#lx\n", status, expected);
    take_snapshot(&after);
    compare_snapshots(&before, &after);
    rows_run++;
    if (wine_test_failures != failures) rows_failed++;
}

static void run_case(const struct export_case *c, export_func func)
{
    static const UINT counts[] = { 0x80000000u, 0xffffffffu };
    BYTE desc[sizeof(statistics)], *p;
    UINT place, f, i;

    for (place = 0; place < PLACE_COUNT; place++)
    {
        if (place == READONLY && !c->written) continue;
        memset(desc, 0, sizeof(desc));
        c->build(desc, 0, NULL);
        set_context("%s, struct on %s memory [choice]", c->name, place_names[place]);
        p = put(place, desc, c->size);
        run_row(func, p, c->expected);
        check_place(place, desc, c->size);
    }
    for (f = 0; f < ARRAY_SIZE(c->fields) && c->fields[f].name; f++)
    {
        const struct field *field = &c->fields[f];

        for (place = 0; place < PLACE_COUNT; place++)
        {
            if (place == READONLY && !field->written) continue;
            if (place == STRADDLE && field->size < 2) continue;
            set_context("%s, %s on %s memory [%s]", c->name, field->name, place_names[place],
                        field->expected == STATUS_INVALID_PARAMETER && field->written ? "DOC" : "choice");
            p = put(place, field->content, field->size);
            memset(desc, 0, sizeof(desc));
            c->build(desc, f + 1, p);
            run_row(func, desc, field->expected);
            check_place(place, field->content, field->size);
        }
    }
    if (!c->count_offset) return;
    for (i = 0; i < ARRAY_SIZE(counts); i++)
    {
        memset(desc, 0, sizeof(desc));
        c->build(desc, 0, NULL);
        memcpy(desc + c->count_offset, &counts[i], sizeof(UINT));
        set_context("%s, count %#x [choice]", c->name, counts[i]);
        run_row(func, desc, STATUS_INVALID_PARAMETER);
    }
}

/* ---- handles of every other type, and stale ones ---- */

/* Bits: a field's type may name more than one kind that belongs there. */
enum
{
    T_ADAPTER = 0x1, T_DEVICE = 0x2, T_ALLOC = 0x4, T_RESOURCE = 0x8, T_QUEUE = 0x10, T_GLOBAL = 0x20, T_STALE = 0x40,
    T_FENCE = 0x80, T_SYNC_MUTEX = 0x100, T_SYNC_GLOBAL = 0x200, T_PAGING_FENCE = 0x400, T_KM = 0x800,
    T_KM_GLOBAL = 0x1000,
};
/* Offsets that are not in the struct: the first entry of g_list, of g_fences. */
enum { T_LIST = 0x10000, T_SYNC_LIST = 0x10001 };

/* A live paging queue of dev_a, for its fence (the manager's own). */
static D3DKMT_HANDLE live_queue, live_queue_fence;

struct handle_kind { const char *name; D3DKMT_HANDLE *handle; UINT type; };
static const struct handle_kind kinds[] =
{
    { "adapter", &adapter, T_ADAPTER }, { "device", &dev_a, T_DEVICE }, { "allocation", &alloc_vid, T_ALLOC },
    { "resource", &res_a, T_RESOURCE }, { "paging queue", &queue_a, T_QUEUE }, { "global share", &global_share, T_GLOBAL },
    { "stale adapter", &stale_adapter, T_STALE }, { "stale device", &stale_dev, T_STALE },
    { "stale allocation", &stale_alloc, T_STALE }, { "stale resource", &stale_res, T_STALE },
    { "stale paging queue", &stale_queue, T_STALE },
    { "monitored fence", &fence_a, T_FENCE }, { "sync mutex", &mutex_a, T_SYNC_MUTEX },
    { "sync global", &sync_global, T_SYNC_GLOBAL }, { "paging fence", &live_queue_fence, T_PAGING_FENCE },
    { "keyed mutex", &km_a, T_KM }, { "keyed mutex global", &km_global, T_KM_GLOBAL },
    { "stale fence", &stale_fence, T_STALE }, { "stale sync global", &stale_sync_global, T_STALE },
    { "stale paging fence", &queue_fence, T_STALE }, { "stale keyed mutex", &stale_km, T_STALE },
    { "stale keyed mutex global", &stale_km_global, T_STALE },
};

struct handle_field
{
    void (*build)(void *desc, UINT field, void *value);
    const char *name;
    UINT offset;        /* in the struct, or T_LIST: the first entry of the handle list */
    UINT type;          /* the kind that belongs there (skipped) */
    NTSTATUS expected;  /* ANY: Wine's own call judges a handle that is not ours */
    const char *covered;/* kinds badinput.c already has rows for, "|"-separated */
    const char *export; /* with call: the export, called through a wrapper that undoes a wrong success */
    export_func call;
};

/* ---- sync-object and keyed-mutex rows: valid contents, and wrappers that
 * undo a wrong success so that one bad row does not spoil the next ---- */

static void h_csync(void *p, UINT field, void *v)
{ D3DKMT_CREATESYNCHRONIZATIONOBJECT *d = p; d->hDevice = dev_a; d->Info.Type = D3DDDI_SYNCHRONIZATION_MUTEX; }
static void h_csync2(void *p, UINT field, void *v)
{ D3DKMT_CREATESYNCHRONIZATIONOBJECT2 *d = p; d->hDevice = dev_a; d->Info.Type = D3DDDI_MONITORED_FENCE; }
static void h_osync(void *p, UINT field, void *v)
{ D3DKMT_OPENSYNCHRONIZATIONOBJECT *d = p; d->hSharedHandle = sync_global; }
static void h_dsync(void *p, UINT field, void *v)
{ D3DKMT_DESTROYSYNCHRONIZATIONOBJECT *d = p; d->hSyncObject = fence_a; }
static void h_okm(void *p, UINT field, void *v) { D3DKMT_OPENKEYEDMUTEX *d = p; d->hSharedHandle = km_global; }
static void h_okm2(void *p, UINT field, void *v) { D3DKMT_OPENKEYEDMUTEX2 *d = p; d->hSharedHandle = km_global; }
static void h_dkm(void *p, UINT field, void *v) { D3DKMT_DESTROYKEYEDMUTEX *d = p; d->hKeyedMutex = km_a; }
static void h_akm(void *p, UINT field, void *v)
{ D3DKMT_ACQUIREKEYEDMUTEX *d = p; d->hKeyedMutex = km_a; d->pTimeout = &g_timeout; }
static void h_akm2(void *p, UINT field, void *v)
{ D3DKMT_ACQUIREKEYEDMUTEX2 *d = p; d->hKeyedMutex = km_a; d->pTimeout = &g_timeout; }
/* Released to the key and fence it holds, so a wrong success moves nothing. */
static void h_rkm(void *p, UINT field, void *v)
{ D3DKMT_RELEASEKEYEDMUTEX *d = p; d->hKeyedMutex = km_a; d->FenceValue = SYNC_KM_FENCE; }
static void h_rkm2(void *p, UINT field, void *v)
{ D3DKMT_RELEASEKEYEDMUTEX2 *d = p; d->hKeyedMutex = km_a; d->FenceValue = SYNC_KM_FENCE; }

static NTSTATUS WINAPI w_csync(void *p)
{
    D3DKMT_CREATESYNCHRONIZATIONOBJECT *d = p;
    NTSTATUS status = pCreateSynchronizationObject(d);
    if (!status) destroy_sync_handle(d->hSyncObject);
    return status;
}
static NTSTATUS WINAPI w_csync2(void *p)
{
    D3DKMT_CREATESYNCHRONIZATIONOBJECT2 *d = p;
    NTSTATUS status = pCreateSynchronizationObject2(d);
    if (!status) destroy_sync_handle(d->hSyncObject);
    return status;
}
static NTSTATUS WINAPI w_osync(void *p)
{
    D3DKMT_OPENSYNCHRONIZATIONOBJECT *d = p;
    NTSTATUS status = pOpenSynchronizationObject(d);
    if (!status) destroy_sync_handle(d->hSyncObject);
    return status;
}
static NTSTATUS WINAPI w_dsync(void *p) { return pDestroySynchronizationObject(p); }
static NTSTATUS WINAPI w_okm(void *p)
{
    D3DKMT_OPENKEYEDMUTEX *d = p;
    NTSTATUS status = pOpenKeyedMutex(d);
    if (!status) destroy_km_handle(d->hKeyedMutex);
    return status;
}
static NTSTATUS WINAPI w_okm2(void *p)
{
    D3DKMT_OPENKEYEDMUTEX2 *d = p;
    NTSTATUS status = pOpenKeyedMutex2(d);
    if (!status) destroy_km_handle(d->hKeyedMutex);
    return status;
}
static NTSTATUS WINAPI w_dkm(void *p) { return pDestroyKeyedMutex(p); }
static void release_km(D3DKMT_HANDLE h)
{
    D3DKMT_RELEASEKEYEDMUTEX release = { h, 0, SYNC_KM_FENCE };
    pReleaseKeyedMutex(&release);
}
static NTSTATUS WINAPI w_akm(void *p)
{
    D3DKMT_ACQUIREKEYEDMUTEX *d = p;
    NTSTATUS status = pAcquireKeyedMutex(d);
    if (status == STATUS_SUCCESS) release_km(d->hKeyedMutex);
    return status;
}
static NTSTATUS WINAPI w_akm2(void *p)
{
    D3DKMT_ACQUIREKEYEDMUTEX2 *d = p;
    NTSTATUS status = pAcquireKeyedMutex2(d);
    if (status == STATUS_SUCCESS) release_km(d->hKeyedMutex);
    return status;
}
/* A release is refused anyway unless the mutex is owned: km_a is, around the call. */
static BOOL own_km_a(void)
{
    D3DKMT_ACQUIREKEYEDMUTEX acquire;
    LARGE_INTEGER poll = {{0}};

    memset(&acquire, 0, sizeof(acquire));
    acquire.hKeyedMutex = km_a;
    acquire.pTimeout = &poll;
    return pAcquireKeyedMutex(&acquire) == STATUS_SUCCESS;
}
static NTSTATUS WINAPI w_rkm(void *p)
{
    BOOL owned = own_km_a();
    NTSTATUS status = pReleaseKeyedMutex(p);
    if (owned && status) release_km(km_a);
    return owned ? status : STATUS_UNSUCCESSFUL;
}
static NTSTATUS WINAPI w_rkm2(void *p)
{
    BOOL owned = own_km_a();
    NTSTATUS status = pReleaseKeyedMutex2(p);
    if (owned && status) release_km(km_a);
    return owned ? status : STATUS_UNSUCCESSFUL;
}

#define HF(b, s, f, t, e, c) { b, #s "." #f, offsetof(s, f), t, e, c }
#define HL(b, n, c) { b, n " list entry", T_LIST, T_ALLOC, STATUS_INVALID_PARAMETER, c }
#define HC(b, x, w, s, f, t, e, c) { b, #s "." #f, offsetof(s, f), t, e, c, x, w }
#define INV STATUS_INVALID_PARAMETER
static const struct handle_field handle_fields[] =
{
    HF(b_check_owner, D3DKMT_CHECKVIDPNEXCLUSIVEOWNERSHIP, hAdapter, T_ADAPTER, ANY, ""),
    HF(b_close, D3DKMT_CLOSEADAPTER, hAdapter, T_ADAPTER, INV, "stale adapter|device|global share"),
    HF(b_create2, D3DKMT_CREATEALLOCATION, hDevice, T_DEVICE, INV, "stale device|adapter"),
    HF(b_create2, D3DKMT_CREATEALLOCATION, hResource, T_RESOURCE, STATUS_INVALID_HANDLE,
       "stale resource|allocation|global share"),
    HF(b_cdev, D3DKMT_CREATEDEVICE, hAdapter, T_ADAPTER, INV, "stale adapter|device"),
    HF(b_cqueue, D3DKMT_CREATEPAGINGQUEUE, hDevice, T_DEVICE, INV, "stale device|adapter"),
    HF(b_destroy, D3DKMT_DESTROYALLOCATION, hDevice, T_DEVICE, INV, "stale device"),
    HL(b_destroy, "DestroyAllocation", "stale allocation|resource|global share"),
    HF(b_ddev, D3DKMT_DESTROYDEVICE, hDevice, T_DEVICE, INV, "stale device|adapter|allocation"),
    HF(b_dqueue, D3DDDI_DESTROYPAGINGQUEUE, hPagingQueue, T_QUEUE, INV, "stale paging queue|device|allocation"),
    HF(b_escape, D3DKMT_ESCAPE, hAdapter, T_ADAPTER, INV, "stale adapter|device"),
    HF(b_escape, D3DKMT_ESCAPE, hDevice, T_DEVICE, INV, "stale device|allocation"),
    HF(b_evict, D3DKMT_EVICT, hDevice, T_DEVICE, INV, "stale device|paging queue"),
    HL(b_evict, "Evict", "stale allocation"),
    HF(b_getprio, D3DKMT_GETALLOCATIONPRIORITY, hDevice, T_DEVICE, INV, "stale device"),
    HL(b_getprio, "GetAllocationPriority", "stale allocation"),
    HF(b_state, D3DKMT_GETDEVICESTATE, hDevice, T_DEVICE, INV, "stale device|adapter"),
    HF(b_lock, D3DKMT_LOCK, hDevice, T_DEVICE, INV, "stale device"),
    HF(b_lock, D3DKMT_LOCK, hAllocation, T_ALLOC, INV, "stale allocation|global share|resource|device"),
    HF(b_lock2, D3DKMT_LOCK2, hDevice, T_DEVICE, INV, "stale device"),
    HF(b_lock2, D3DKMT_LOCK2, hAllocation, T_ALLOC, INV, "stale allocation|global share|resource"),
    HF(b_resident, D3DDDI_MAKERESIDENT, hPagingQueue, T_QUEUE, INV, "stale paging queue|device"),
    HL(b_resident, "MakeResident", "stale allocation|global share"),
    HF(b_mark, D3DKMT_MARKDEVICEASERROR, hDevice, T_DEVICE, INV, "stale device|adapter|allocation"),
    HF(b_offer, D3DKMT_OFFERALLOCATIONS, hDevice, T_DEVICE, INV, "stale device"),
    HL(b_offer, "OfferAllocations", "stale allocation"),
    HF(b_open1, D3DKMT_OPENRESOURCE, hDevice, T_DEVICE, INV, ""),
    HF(b_open1, D3DKMT_OPENRESOURCE, hGlobalShare, T_GLOBAL, INV, ""),
    HF(b_qai, D3DKMT_QUERYADAPTERINFO, hAdapter, T_ADAPTER, INV, "stale adapter|device"),
    HF(b_residency, D3DKMT_QUERYALLOCATIONRESIDENCY, hDevice, T_DEVICE, INV, "stale device"),
    HL(b_residency, "QueryAllocationResidency", "stale allocation"),
    HF(b_qri, D3DKMT_QUERYRESOURCEINFO, hDevice, T_DEVICE, INV, ""),
    HF(b_qri, D3DKMT_QUERYRESOURCEINFO, hGlobalShare, T_GLOBAL, INV, ""),
    HF(b_qvmi, D3DKMT_QUERYVIDEOMEMORYINFO, hAdapter, T_ADAPTER, INV, "stale adapter|device"),
    HF(b_reclaim, D3DKMT_RECLAIMALLOCATIONS, hDevice, T_DEVICE, INV, "stale device"),
    HL(b_reclaim, "ReclaimAllocations", "stale allocation"),
    HF(b_reclaim2, D3DKMT_RECLAIMALLOCATIONS2, hPagingQueue, T_QUEUE, INV, "stale paging queue|device"),
    HL(b_reclaim2, "ReclaimAllocations2", "stale allocation"),
    HF(b_setprio, D3DKMT_SETALLOCATIONPRIORITY, hDevice, T_DEVICE, INV, "stale device"),
    HL(b_setprio, "SetAllocationPriority", "stale allocation"),
    HF(b_queued, D3DKMT_SETQUEUEDLIMIT, hDevice, T_DEVICE, ANY, ""),
    HF(b_owner, D3DKMT_SETVIDPNSOURCEOWNER, hDevice, T_DEVICE, ANY, ""),
    HF(b_unlock, D3DKMT_UNLOCK, hDevice, T_DEVICE, INV, "stale device"),
    HL(b_unlock, "Unlock", "stale allocation|global share|resource"),
    HF(b_unlock2, D3DKMT_UNLOCK2, hDevice, T_DEVICE, INV, "stale device"),
    HF(b_unlock2, D3DKMT_UNLOCK2, hAllocation, T_ALLOC, INV, "stale allocation|global share"),
    /* Sync objects and keyed mutexes: IP for every handle of the wrong type or
     * stale (badinput.c's rows, spec sync-objects.md §3.3, §4.3, §4.4, §6). */
    HC(h_csync, "CreateSynchronizationObject", w_csync, D3DKMT_CREATESYNCHRONIZATIONOBJECT, hDevice, T_DEVICE, INV,
       "stale device|adapter"),
    HC(h_csync2, "CreateSynchronizationObject2", w_csync2, D3DKMT_CREATESYNCHRONIZATIONOBJECT2, hDevice, T_DEVICE, INV,
       "stale device|monitored fence"),
    HC(h_osync, "OpenSynchronizationObject", w_osync, D3DKMT_OPENSYNCHRONIZATIONOBJECT, hSharedHandle, T_SYNC_GLOBAL,
       INV, "stale sync global|keyed mutex global|global share|sync mutex"),
    HC(h_dsync, "DestroySynchronizationObject", w_dsync, D3DKMT_DESTROYSYNCHRONIZATIONOBJECT, hSyncObject,
       T_FENCE | T_SYNC_MUTEX, INV, "stale fence|sync global|device|keyed mutex|stale paging fence|allocation|adapter"),
    HF(b_signal, D3DKMT_SIGNALSYNCHRONIZATIONOBJECTFROMCPU, hDevice, T_DEVICE, INV, "stale device|adapter"),
    /* Choice: the paging fence takes no CPU signal (the pager's own). */
    { b_signal, "SignalSynchronizationObjectFromCpu handle list entry", T_SYNC_LIST, T_FENCE, INV,
      "stale allocation|stale fence|sync mutex|keyed mutex|stale paging fence" },
    HF(b_wait, D3DKMT_WAITFORSYNCHRONIZATIONOBJECTFROMCPU, hDevice, T_DEVICE, INV, "stale device|adapter"),
    /* A live paging fence may be waited on (and would block): skipped. */
    { b_wait, "WaitForSynchronizationObjectFromCpu handle list entry", T_SYNC_LIST, T_FENCE | T_PAGING_FENCE, INV,
      "stale allocation|stale fence|sync mutex|keyed mutex|stale paging fence" },
    HC(h_okm, "OpenKeyedMutex", w_okm, D3DKMT_OPENKEYEDMUTEX, hSharedHandle, T_KM_GLOBAL, INV, ""),
    HC(h_okm2, "OpenKeyedMutex2", w_okm2, D3DKMT_OPENKEYEDMUTEX2, hSharedHandle, T_KM_GLOBAL, INV,
       "keyed mutex|stale keyed mutex global|sync global"),
    HC(h_dkm, "DestroyKeyedMutex", w_dkm, D3DKMT_DESTROYKEYEDMUTEX, hKeyedMutex, T_KM, INV,
       "stale keyed mutex|keyed mutex global|monitored fence|device|sync mutex"),
    HC(h_akm, "AcquireKeyedMutex", w_akm, D3DKMT_ACQUIREKEYEDMUTEX, hKeyedMutex, T_KM, INV, ""),
    HC(h_akm2, "AcquireKeyedMutex2", w_akm2, D3DKMT_ACQUIREKEYEDMUTEX2, hKeyedMutex, T_KM, INV,
       "stale keyed mutex|monitored fence|keyed mutex global"),
    HC(h_rkm, "ReleaseKeyedMutex", w_rkm, D3DKMT_RELEASEKEYEDMUTEX, hKeyedMutex, T_KM, INV, ""),
    HC(h_rkm2, "ReleaseKeyedMutex2", w_rkm2, D3DKMT_RELEASEKEYEDMUTEX2, hKeyedMutex, T_KM, INV,
       "stale keyed mutex|monitored fence"),
};

static BOOL covered(const char *list, const char *kind)
{
    size_t len = strlen(kind);
    const char *p;

    for (p = list; (p = strstr(p, kind)); p += len)
        if ((p == list || p[-1] == '|') && (!p[len] || p[len] == '|')) return TRUE;
    return FALSE;
}

static void run_handle_rows(void)
{
    BYTE desc[sizeof(statistics)];
    UINT i, k, j;

    for (i = 0; i < ARRAY_SIZE(handle_fields); i++)
    {
        const struct handle_field *h = &handle_fields[i];
        export_func func = NULL;

        if (h->export)
        {
            char name[64];
            snprintf(name, sizeof(name), "D3DKMT%s", h->export);
            if (GetProcAddress(d3dkmt_module, name)) func = h->call;
        }
        for (j = 0; !h->export && j < ARRAY_SIZE(cases); j++)
            if (cases[j].build == h->build)
            {
                char name[64];
                snprintf(name, sizeof(name), "D3DKMT%s", cases[j].name);
                func = (export_func)(void *)GetProcAddress(d3dkmt_module, name);
                break;
            }
        if (!func) continue;
        for (k = 0; k < ARRAY_SIZE(kinds); k++)
        {
            D3DKMT_HANDLE value = *kinds[k].handle;

            if ((kinds[k].type & h->type) || covered(h->covered, kinds[k].name)) continue;
            memset(desc, 0, sizeof(desc));
            h->build(desc, 0, NULL);
            if (h->offset == T_LIST) g_list[0] = g_stale_list[0] = value;
            else if (h->offset == T_SYNC_LIST) g_fences[0] = value;
            else memcpy(desc + h->offset, &value, sizeof(value));
            set_context("%s: %s handle [%s]", h->name, kinds[k].name, h->expected == ANY ? "Wine's" : "choice");
            run_row(func, desc, h->expected);
            g_list[0] = alloc_vid;
            g_stale_list[0] = stale_alloc;
            g_fences[0] = fence_a;
        }
    }
}

static void setup_live_queue(void)
{
    D3DKMT_CREATEPAGINGQUEUE queue;

    memset(&queue, 0, sizeof(queue));
    queue.hDevice = dev_a;
    if (pCreatePagingQueue(&queue)) return;
    live_queue = queue.hPagingQueue;
    live_queue_fence = queue.hSyncObject;
}

static DWORD WINAPI thread_proc(void *arg) { return 42; }

/* The process is still whole: memory, heap, threads. */
static void check_process_usable(void)
{
    HANDLE thread;
    DWORD code = 0;
    void *mem, *heap;

    set_context("after all rows");
    mem = VirtualAlloc(NULL, 0x100000, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    ok(mem != NULL, "VirtualAlloc failed\n");
    if (mem) memset(mem, 0x5a, 0x100000);
    VirtualFree(mem, 0, MEM_RELEASE);
    heap = HeapAlloc(GetProcessHeap(), 0, 0x10000);
    ok(heap != NULL, "HeapAlloc failed\n");
    HeapFree(GetProcessHeap(), 0, heap);
    thread = CreateThread(NULL, 0, thread_proc, NULL, 0, NULL);
    ok(thread != NULL, "CreateThread failed\n");
    if (thread)
    {
        WaitForSingleObject(thread, INFINITE);
        GetExitCodeThread(thread, &code);
        CloseHandle(thread);
    }
    ok(code == 42, "thread exit code %lu\n", code);
    set_context(NULL);
}

START_TEST(hostile)
{
    struct snapshot initial, after;
    UINT i, exports = 0;

    if (!load_d3dkmt()) return;
    if (!setup_fixture())
    {
        skip("no adapter, device or fixture\n");
        return;
    }
    setup_live_queue();   /* first: its fence page must not land in the released region */
    setup_places();
    setup_pointees();
    SetUnhandledExceptionFilter(top_filter);
    take_snapshot(&initial);

    for (i = 0; i < ARRAY_SIZE(cases); i++)
    {
        char name[64];
        export_func func;

        snprintf(name, sizeof(name), "D3DKMT%s", cases[i].name);
        func = (export_func)(void *)GetProcAddress(d3dkmt_module, name);
        if (!func)
        {
            skip("%s is missing\n", name);
            continue;
        }
        if (!i || strcmp(cases[i].name, cases[i - 1].name)) exports++;
        run_case(&cases[i], func);
    }
    run_handle_rows();
    set_context(NULL);
    trace("%u exports, %u rows, %u failed; guard pages consumed by a read %u, left untouched %u\n", exports,
          rows_run, rows_failed, guards_consumed, guards_kept);
    set_context("after all rows");
    take_snapshot(&after);
    compare_snapshots(&initial, &after);
    set_context(NULL);
    check_process_usable();
    /* The fixture's handles still work. */
    ok(!lock_alloc(dev_a, alloc_vid, 0, NULL) && !unlock_alloc(dev_a, alloc_vid), "the fixture allocation is unusable\n");
    SetUnhandledExceptionFilter(NULL);
    if (display_dc) DeleteDC(display_dc);
    if (live_queue)
    {
        D3DDDI_DESTROYPAGINGQUEUE destroy = { live_queue };
        pDestroyPagingQueue(&destroy);
    }
    cleanup_fixture();
}
