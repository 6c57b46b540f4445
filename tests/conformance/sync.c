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
 * Conformance: synchronization objects and keyed mutexes, the [WIN] rows of
 * the conformance matrix of spec sync-objects.md §10 (numbers below), the
 * proposed checks of §10.12 and the module's choices (marked "choice").
 * NT-handle sharing (§10.5, §10.6, §10.11) is the next issue's.
 */
#include "d3dkmt_test.h"

static D3DKMT_HANDLE adapter, device;

static BOOL is_global_handle(D3DKMT_HANDLE h)
{
    return h && (h & 0x3f) == 2;
}

static NTSTATUS create2(D3DDDI_SYNCHRONIZATIONOBJECT_TYPE type, UINT flags, UINT64 value, D3DKMT_CREATESYNCHRONIZATIONOBJECT2 *out)
{
    memset(out, 0, sizeof(*out));
    out->hDevice = device;
    out->Info.Type = type;
    out->Info.Flags.Value = flags;
    if (type == D3DDDI_MONITORED_FENCE) out->Info.MonitoredFence.InitialFenceValue = value;
    return pCreateSynchronizationObject2(out);
}

static D3DKMT_HANDLE make_fence(UINT64 initial, volatile UINT64 **va)
{
    D3DKMT_CREATESYNCHRONIZATIONOBJECT2 c;
    NTSTATUS status = create2(D3DDDI_MONITORED_FENCE, 0, initial, &c);

    ok(status == STATUS_SUCCESS, "create monitored fence: %#lx\n", status);
    if (va) *va = c.Info.MonitoredFence.FenceValueCPUVirtualAddress;
    return c.hSyncObject;
}

static NTSTATUS destroy_sync(D3DKMT_HANDLE h)
{
    D3DKMT_DESTROYSYNCHRONIZATIONOBJECT d = { h };
    return pDestroySynchronizationObject(&d);
}

static NTSTATUS signal_n(UINT count, const D3DKMT_HANDLE *h, const UINT64 *v, UINT flags)
{
    D3DKMT_SIGNALSYNCHRONIZATIONOBJECTFROMCPU s;

    memset(&s, 0, sizeof(s));
    s.hDevice = device;
    s.ObjectCount = count;
    s.ObjectHandleArray = h;
    s.FenceValueArray = v;
    s.Flags.Value = flags;
    return pSignalSynchronizationObjectFromCpu(&s);
}

static NTSTATUS signal1(D3DKMT_HANDLE h, UINT64 v, UINT flags)
{
    return signal_n(1, &h, &v, flags);
}

static NTSTATUS wait_n(UINT count, const D3DKMT_HANDLE *h, const UINT64 *v, HANDLE event, UINT flags)
{
    D3DKMT_WAITFORSYNCHRONIZATIONOBJECTFROMCPU w;

    memset(&w, 0, sizeof(w));
    w.hDevice = device;
    w.ObjectCount = count;
    w.ObjectHandleArray = h;
    w.FenceValueArray = v;
    w.hAsyncEvent = event;
    w.Flags.Value = flags;
    return pWaitForSynchronizationObjectFromCpu(&w);
}

static NTSTATUS wait1(D3DKMT_HANDLE h, UINT64 v, HANDLE event)
{
    return wait_n(1, &h, &v, event, 0);
}

/* §10.1 */
static void test_create_v1(void)
{
    D3DKMT_CREATESYNCHRONIZATIONOBJECT c;
    D3DKMT_HANDLE first;
    NTSTATUS status;

    ok(pCreateSynchronizationObject(NULL) == STATUS_INVALID_PARAMETER, "NULL\n");
    memset(&c, 0, sizeof(c));
    ok(pCreateSynchronizationObject(&c) == STATUS_INVALID_PARAMETER, "zeroed\n");
    c.hDevice = device;
    ok(pCreateSynchronizationObject(&c) == STATUS_INVALID_PARAMETER, "type 0\n");
    c.hDevice = 0;
    c.Info.Type = D3DDDI_SYNCHRONIZATION_MUTEX;
    ok(pCreateSynchronizationObject(&c) == STATUS_INVALID_PARAMETER, "no device\n");
    ok(!c.hSyncObject, "handle written on failure\n");
    c.hDevice = device;
    status = pCreateSynchronizationObject(&c);
    ok(status == STATUS_SUCCESS, "mutex: %#lx\n", status);
    ok(is_local_handle(c.hSyncObject), "handle %#x\n", c.hSyncObject);
    first = c.hSyncObject;
    status = pCreateSynchronizationObject(&c);
    ok(status == STATUS_SUCCESS, "mutex: %#lx\n", status);
    ok(c.hSyncObject == first + 0x40, "handles %#x then %#x\n", first, c.hSyncObject);
    ok(!destroy_sync(c.hSyncObject), "destroy\n");
    c.Info.Type = D3DDDI_SEMAPHORE;
    ok(pCreateSynchronizationObject(&c) == STATUS_SUCCESS, "semaphore\n");
    ok(!destroy_sync(c.hSyncObject), "destroy\n");
    c.Info.Type = D3DDDI_FENCE;
    ok(pCreateSynchronizationObject(&c) == STATUS_INVALID_PARAMETER, "fence accepted by v1\n");
    ok(!destroy_sync(first), "destroy\n");
    ok(destroy_sync(first) == STATUS_INVALID_PARAMETER, "destroyed twice\n");
    ok(destroy_sync(0) == STATUS_INVALID_PARAMETER, "destroy 0\n");
}

/* §10.2 */
static void test_create_v2(void)
{
    static const D3DDDI_SYNCHRONIZATIONOBJECT_TYPE types[] =
        { D3DDDI_SYNCHRONIZATION_MUTEX, D3DDDI_SEMAPHORE, D3DDDI_FENCE, D3DDDI_MONITORED_FENCE };
    D3DKMT_CREATESYNCHRONIZATIONOBJECT2 c;
    NTSTATUS status;
    HANDLE event;
    UINT i;

    ok(pCreateSynchronizationObject2(NULL) == STATUS_INVALID_PARAMETER, "NULL\n");
    memset(&c, 0, sizeof(c));
    ok(pCreateSynchronizationObject2(&c) == STATUS_INVALID_PARAMETER, "zeroed\n");
    c.hDevice = device;
    ok(pCreateSynchronizationObject2(&c) == STATUS_INVALID_PARAMETER, "type 0\n");
    c.hDevice = 0;
    c.Info.Type = D3DDDI_SYNCHRONIZATION_MUTEX;
    ok(pCreateSynchronizationObject2(&c) == STATUS_INVALID_PARAMETER, "no device\n");
    for (i = 0; i < ARRAY_SIZE(types); i++)
    {
        status = create2(types[i], 0, 0, &c);
        ok(status == STATUS_SUCCESS, "type %u: %#lx\n", types[i], status);
        ok(is_local_handle(c.hSyncObject), "type %u: handle %#x\n", types[i], c.hSyncObject);
        ok(!c.Info.SharedHandle, "type %u: global handle %#x\n", types[i], c.Info.SharedHandle);   /* choice */
        ok(!destroy_sync(c.hSyncObject), "destroy\n");
    }
    status = create2(D3DDDI_CPU_NOTIFICATION, 0, 0, &c);
    ok(status == STATUS_INVALID_HANDLE, "CPU notification without an event: %#lx\n", status);
    event = CreateEventW(NULL, FALSE, FALSE, NULL);
    memset(&c, 0, sizeof(c));
    c.hDevice = device;
    c.Info.Type = D3DDDI_CPU_NOTIFICATION;
    c.Info.CPUNotification.Event = event;
    status = pCreateSynchronizationObject2(&c);
    ok(status == STATUS_SUCCESS, "CPU notification: %#lx\n", status);
    CloseHandle(event);   /* the object keeps its own reference */
    ok(!destroy_sync(c.hSyncObject), "destroy\n");
    c.Info.CPUNotification.Event = GetCurrentProcess();
    ok(pCreateSynchronizationObject2(&c) == STATUS_INVALID_HANDLE, "a process as the event\n");   /* choice */
    /* Choice: periodic monitored fences need a VSync source (spec §4.6). */
    ok(create2(D3DDDI_PERIODIC_MONITORED_FENCE, 0, 0, &c) == STATUS_INVALID_PARAMETER, "periodic\n");
    ok(create2(D3DDDI_SYNCHRONIZATION_TYPE_LIMIT, 0, 0, &c) == STATUS_INVALID_PARAMETER, "type limit\n");
    ok(create2(D3DDDI_SYNCHRONIZATION_MUTEX, 0x40000000, 0, &c) == STATUS_INVALID_PARAMETER, "reserved flag\n");
}

/* §10.3, §10.4 */
static void test_sharing_flags_and_open(void)
{
    D3DKMT_CREATESYNCHRONIZATIONOBJECT2 c;
    D3DKMT_OPENSYNCHRONIZATIONOBJECT o;
    D3DKMT_HANDLE global, opened;
    NTSTATUS status;

    status = create2(D3DDDI_SYNCHRONIZATION_MUTEX, 1, 0, &c);
    ok(status == STATUS_SUCCESS, "shared: %#lx\n", status);
    global = c.Info.SharedHandle;
    ok(is_global_handle(global), "global handle %#x\n", global);
    ok(destroy_sync(global) == STATUS_INVALID_PARAMETER, "destroy by the global handle\n");

    memset(&o, 0, sizeof(o));
    ok(pOpenSynchronizationObject(NULL) == STATUS_INVALID_PARAMETER, "NULL\n");
    ok(pOpenSynchronizationObject(&o) == STATUS_INVALID_PARAMETER, "0\n");
    o.hSharedHandle = 0x1eadbeed;
    ok(pOpenSynchronizationObject(&o) == STATUS_INVALID_PARAMETER, "bogus\n");
    o.hSharedHandle = 0;
    o.hSyncObject = c.hSyncObject;
    ok(pOpenSynchronizationObject(&o) == STATUS_INVALID_PARAMETER, "local in hSyncObject\n");
    o.hSharedHandle = c.hSyncObject;
    ok(pOpenSynchronizationObject(&o) == STATUS_INVALID_PARAMETER, "local as global\n");
    o.hSharedHandle = global;
    status = pOpenSynchronizationObject(&o);
    ok(status == STATUS_SUCCESS, "open: %#lx\n", status);
    ok(is_local_handle(o.hSyncObject) && o.hSyncObject != c.hSyncObject, "opened %#x\n", o.hSyncObject);
    opened = o.hSyncObject;
    ok(!pOpenSynchronizationObject(&o) && o.hSyncObject == opened + 0x40, "second open %#x\n", o.hSyncObject);
    ok(!destroy_sync(o.hSyncObject), "destroy\n");
    /* The creator's handle is not special. */
    ok(!destroy_sync(c.hSyncObject), "destroy creator\n");
    ok(!pOpenSynchronizationObject(&o), "open after the creator's destroy\n");
    ok(!destroy_sync(o.hSyncObject), "destroy\n");
    ok(!destroy_sync(opened), "destroy\n");
    o.hSyncObject = 0;
    ok(pOpenSynchronizationObject(&o) == STATUS_INVALID_PARAMETER, "global alive after the last local\n");

    status = create2(D3DDDI_SYNCHRONIZATION_MUTEX, 3, 0, &c);
    ok(status == STATUS_SUCCESS, "shared + NT: %#lx\n", status);
    ok(!c.Info.SharedHandle, "global handle %#x with NtSecuritySharing\n", c.Info.SharedHandle);
    ok(!destroy_sync(c.hSyncObject), "destroy\n");
    ok(create2(D3DDDI_SYNCHRONIZATION_MUTEX, 2, 0, &c) == STATUS_INVALID_PARAMETER, "NT alone\n");
}

/* §10.7: only monitored fences are signalled and waited on from the CPU. */
static void test_cpu_type_check(void)
{
    static const D3DDDI_SYNCHRONIZATIONOBJECT_TYPE types[] =
        { D3DDDI_SYNCHRONIZATION_MUTEX, D3DDDI_SEMAPHORE, D3DDDI_FENCE };
    D3DKMT_CREATESYNCHRONIZATIONOBJECT2 c;
    UINT i;

    for (i = 0; i < ARRAY_SIZE(types); i++)
    {
        ok(!create2(types[i], 0, 0, &c), "create %u\n", types[i]);
        ok(signal1(c.hSyncObject, 1, 0) == STATUS_INVALID_PARAMETER, "signal type %u\n", types[i]);
        ok(wait1(c.hSyncObject, 0, NULL) == STATUS_INVALID_PARAMETER, "wait type %u\n", types[i]);
        ok(!destroy_sync(c.hSyncObject), "destroy\n");
    }
}

static BOOL event_set(HANDLE event)
{
    return WaitForSingleObject(event, 0) == WAIT_OBJECT_0;
}

/* The event becomes set at some point: the pager or another thread sets it. */
static BOOL event_comes(HANDLE event)
{
    return WaitForSingleObject(event, 10000) == WAIT_OBJECT_0;
}

/* §10.8 and §10.12: the fence value, asynchronous waits and rewinds. */
static void test_monitored_fence(void)
{
    HANDLE event = CreateEventW(NULL, FALSE, FALSE, NULL);
    MEMORY_BASIC_INFORMATION info;
    volatile UINT64 *va;
    D3DKMT_HANDLE fence = make_fence(1, &va);

    ok(va != NULL, "no CPU address\n");
    if (!va) return;
    ok(*va == 1, "value %I64u after create\n", *va);
    ok(VirtualQuery((void *)va, &info, sizeof(info)) == sizeof(info), "VirtualQuery\n");
#ifdef _WIN64
    ok(info.Protect == PAGE_READONLY, "fence page protection %#lx\n", info.Protect);
    ok(IsBadWritePtr((void *)va, sizeof(UINT64)), "the fence value is writable\n");
#else
    /* 32-bit callers read it with InterlockedCompareExchange64, which needs
     * write access: read-write for them, as on Windows (spec §4.2). */
    ok(info.Protect == PAGE_READWRITE, "fence page protection %#lx\n", info.Protect);
    ok(InterlockedCompareExchange64((LONG64 *)va, 0, 0) == 1, "interlocked read %I64u\n", *va);
#endif
    ok(wait1(fence, 0, event) == STATUS_SUCCESS && event_comes(event), "wait 0\n");
    ok(wait1(fence, 1, event) == STATUS_SUCCESS && event_comes(event), "wait 1\n");
    ok(wait1(fence, 2, event) == STATUS_SUCCESS, "wait 2\n");
    ok(!event_set(event), "event set before the value\n");
    ok(signal1(fence, 2, 0) == STATUS_SUCCESS, "signal 2\n");
    ok(event_comes(event), "event not set by the signal\n");
    ok(*va == 2, "value %I64u\n", *va);
    ok(signal1(fence, 1, 0) == STATUS_INVALID_PARAMETER, "rewind without the flag\n");
    ok(*va == 2, "value %I64u after a refused rewind\n", *va);
    ok(signal1(fence, 1, 4) == STATUS_SUCCESS, "rewind with AllowFenceRewind\n");
    ok(*va == 1, "value %I64u after the rewind\n", *va);
    ok(wait1(fence, 2, event) == STATUS_SUCCESS, "wait 2\n");
    ok(!event_set(event), "event set after a rewind\n");
    ok(signal1(fence, 2, 0) == STATUS_SUCCESS, "signal 2\n");
    ok(event_comes(event), "event not set\n");
    ok(signal1(fence, ~(UINT64)0, 0) == STATUS_SUCCESS && *va == ~(UINT64)0, "max value\n");
    ok(!destroy_sync(fence), "destroy\n");
    CloseHandle(event);
}

/* The application cannot corrupt the fence through its view: even made
 * writable with VirtualProtect and overwritten, the manager's value holds
 * (choice: the manager never reads that page). */
static void test_fence_view_untrusted(void)
{
    volatile UINT64 *va;
    D3DKMT_HANDLE fence = make_fence(7, &va);
    DWORD old;

    if (!va) return;
    if (VirtualProtect((void *)va, 8, PAGE_READWRITE, &old))
    {
        *va = 1000;
        ok(signal1(fence, 8, 0) == STATUS_SUCCESS, "signal 8 after the view said 1000\n");
        ok(*va == 8, "view %I64u\n", *va);
        *va = 0;
        ok(wait1(fence, 8, NULL) == STATUS_SUCCESS, "wait\n");
    }
    else ok(signal1(fence, 8, 0) == STATUS_SUCCESS, "signal\n");
    ok(!destroy_sync(fence), "destroy\n");
}

struct waiter_arg
{
    D3DKMT_HANDLE handles[2];
    UINT64 values[2];
    UINT count, flags;
    NTSTATUS status;
    HANDLE done;
};

static DWORD WINAPI blocked_wait(void *arg)
{
    struct waiter_arg *w = arg;

    w->status = wait_n(w->count, w->handles, w->values, NULL, w->flags);
    SetEvent(w->done);
    return 0;
}

/* §10.12: blocking waits, all and any. */
static void test_blocking_waits(void)
{
    struct waiter_arg w;
    HANDLE thread;

    memset(&w, 0, sizeof(w));
    w.handles[0] = make_fence(0, NULL);
    w.handles[1] = make_fence(0, NULL);
    w.values[0] = 5;
    w.values[1] = 6;
    w.count = 2;
    w.done = CreateEventW(NULL, TRUE, FALSE, NULL);
    thread = CreateThread(NULL, 0, blocked_wait, &w, 0, NULL);
    ok(signal1(w.handles[0], 5, 0) == STATUS_SUCCESS, "signal\n");
    ok(WaitForSingleObject(w.done, 100) == WAIT_TIMEOUT, "wait-all returned with one value\n");
    ok(signal1(w.handles[1], 6, 0) == STATUS_SUCCESS, "signal\n");
    ok(event_comes(w.done) && w.status == STATUS_SUCCESS, "wait-all: %#lx\n", w.status);
    WaitForSingleObject(thread, INFINITE);
    CloseHandle(thread);

    ResetEvent(w.done);
    w.values[0] = 50;
    w.values[1] = 60;
    w.flags = 1;   /* WaitAny */
    thread = CreateThread(NULL, 0, blocked_wait, &w, 0, NULL);
    ok(WaitForSingleObject(w.done, 100) == WAIT_TIMEOUT, "wait-any returned early\n");
    ok(signal1(w.handles[1], 60, 0) == STATUS_SUCCESS, "signal\n");
    ok(event_comes(w.done) && w.status == STATUS_SUCCESS, "wait-any: %#lx\n", w.status);
    WaitForSingleObject(thread, INFINITE);
    CloseHandle(thread);

    /* Choice (§11.6): destroying a waited-on fence ends the wait with IH. */
    ResetEvent(w.done);
    w.count = 1;
    w.flags = 0;
    w.values[0] = 1000;
    thread = CreateThread(NULL, 0, blocked_wait, &w, 0, NULL);
    ok(WaitForSingleObject(w.done, 100) == WAIT_TIMEOUT, "returned early\n");
    ok(!destroy_sync(w.handles[0]), "destroy\n");
    ok(event_comes(w.done) && w.status == STATUS_INVALID_HANDLE, "wait after destroy: %#lx\n", w.status);
    WaitForSingleObject(thread, INFINITE);
    CloseHandle(thread);
    ok(!destroy_sync(w.handles[1]), "destroy\n");
    CloseHandle(w.done);
}

/* Destroying the device wakes a blocked waiter (choice: DEVICE_REMOVED) and
 * takes its objects along. */
static void test_device_destroy(void)
{
    D3DKMT_HANDLE saved = device, fence;
    struct waiter_arg w;
    HANDLE thread;

    memset(&w, 0, sizeof(w));
    ok(!create_device(adapter, &device), "device\n");
    fence = make_fence(0, NULL);
    w.handles[0] = fence;
    w.values[0] = 1;
    w.count = 1;
    w.done = CreateEventW(NULL, TRUE, FALSE, NULL);
    thread = CreateThread(NULL, 0, blocked_wait, &w, 0, NULL);
    ok(WaitForSingleObject(w.done, 100) == WAIT_TIMEOUT, "returned early\n");
    destroy_device(device);
    ok(event_comes(w.done) && w.status == STATUS_DEVICE_REMOVED, "wait after device destroy: %#lx\n", w.status);
    WaitForSingleObject(thread, INFINITE);
    CloseHandle(thread);
    CloseHandle(w.done);
    device = saved;
    ok(destroy_sync(fence) == STATUS_INVALID_PARAMETER, "fence outlived its device\n");
}

/* Bad input of the CPU calls (choices where §11 has no answer). */
static void test_cpu_bad_input(void)
{
    volatile UINT64 *va;
    D3DKMT_HANDLE fence = make_fence(3, &va), list[33];
    D3DKMT_SIGNALSYNCHRONIZATIONOBJECTFROMCPU s;
    UINT64 values[33];
    UINT i;

    for (i = 0; i < ARRAY_SIZE(list); i++) { list[i] = fence; values[i] = 3; }
    ok(pSignalSynchronizationObjectFromCpu(NULL) == STATUS_INVALID_PARAMETER, "signal NULL\n");
    ok(pWaitForSynchronizationObjectFromCpu(NULL) == STATUS_INVALID_PARAMETER, "wait NULL\n");
    ok(signal_n(0, list, values, 0) == STATUS_INVALID_PARAMETER, "signal count 0\n");
    ok(wait_n(0, list, values, NULL, 0) == STATUS_INVALID_PARAMETER, "wait count 0\n");
    ok(signal_n(32, list, values, 0) == STATUS_SUCCESS, "signal count 32\n");
    ok(signal_n(33, list, values, 0) == STATUS_INVALID_PARAMETER, "signal count 33\n");
    ok(wait_n(33, list, values, NULL, 0) == STATUS_SUCCESS, "wait count 33\n");
    ok(signal_n(1, NULL, values, 0) == STATUS_INVALID_PARAMETER, "signal NULL handles\n");
    ok(wait_n(1, list, NULL, NULL, 0) == STATUS_INVALID_PARAMETER, "wait NULL values\n");
    ok(signal1(fence, 4, 0x80000000) == STATUS_INVALID_PARAMETER, "signal reserved flag\n");
    ok(wait_n(1, list, values, NULL, 2) == STATUS_INVALID_PARAMETER, "wait reserved flag\n");
    ok(wait_n(1, list, values, GetCurrentProcess(), 0) == STATUS_INVALID_HANDLE, "wait with a process as event\n");
    memset(&s, 0, sizeof(s));
    s.ObjectCount = 1;
    s.ObjectHandleArray = list;
    s.FenceValueArray = values;
    ok(pSignalSynchronizationObjectFromCpu(&s) == STATUS_INVALID_PARAMETER, "signal without device\n");
    s.hDevice = fence;
    ok(pSignalSynchronizationObjectFromCpu(&s) == STATUS_INVALID_PARAMETER, "signal with a fence as device\n");
    /* All or nothing: a bad entry leaves the good one alone. */
    list[1] = 0xdead0040;
    values[0] = 9;
    ok(signal_n(2, list, values, 0) == STATUS_INVALID_PARAMETER, "bad second entry\n");
    ok(*va == 3, "fence moved to %I64u\n", *va);
    ok(!destroy_sync(fence), "destroy\n");
    ok(signal1(fence, 5, 0) == STATUS_INVALID_PARAMETER, "signal stale\n");
    ok(wait1(fence, 0, NULL) == STATUS_INVALID_PARAMETER, "wait stale\n");
}

/* §10.12: the paging queue's fence. */
static void test_paging_queue_fence(void)
{
    D3DKMT_CREATEPAGINGQUEUE q;
    D3DDDI_DESTROYPAGINGQUEUE d;
    HANDLE event = CreateEventW(NULL, FALSE, FALSE, NULL);
    NTSTATUS status;

    memset(&q, 0, sizeof(q));
    q.hDevice = device;
    status = pCreatePagingQueue(&q);
    ok(status == STATUS_SUCCESS, "CreatePagingQueue: %#lx\n", status);
    ok(is_local_handle(q.hSyncObject) && q.FenceValueCPUVirtualAddress, "outputs %#x %p\n", q.hSyncObject,
       q.FenceValueCPUVirtualAddress);
    ok(wait1(q.hSyncObject, *(volatile UINT64 *)q.FenceValueCPUVirtualAddress, event) == STATUS_SUCCESS
       && event_comes(event), "wait on the paging fence\n");
    ok(signal1(q.hSyncObject, 1000, 0) == STATUS_INVALID_PARAMETER, "CPU signal of the paging fence\n");
    ok(destroy_sync(q.hSyncObject) == STATUS_INVALID_PARAMETER, "destroyed the paging fence as a sync object\n");
    d.hPagingQueue = q.hPagingQueue;
    ok(!pDestroyPagingQueue(&d), "DestroyPagingQueue\n");
    ok(wait1(q.hSyncObject, 0, NULL) == STATUS_INVALID_PARAMETER, "fence outlived its queue\n");
    CloseHandle(event);
}

/* ---- keyed mutexes ---- */

static NTSTATUS km_create(UINT64 initial, D3DKMT_CREATEKEYEDMUTEX *c)
{
    memset(c, 0, sizeof(*c));
    c->InitialValue = initial;
    return pCreateKeyedMutex(c);
}

static NTSTATUS km_destroy(D3DKMT_HANDLE h)
{
    D3DKMT_DESTROYKEYEDMUTEX d = { h };
    return pDestroyKeyedMutex(&d);
}

static NTSTATUS km_acquire(D3DKMT_HANDLE h, UINT64 key, LONGLONG timeout, UINT64 *fence)
{
    D3DKMT_ACQUIREKEYEDMUTEX a;
    LARGE_INTEGER t;
    NTSTATUS status;

    memset(&a, 0, sizeof(a));
    a.hKeyedMutex = h;
    a.Key = key;
    a.FenceValue = 0xdeadbeef;
    t.QuadPart = timeout;
    a.pTimeout = timeout ? &t : NULL;
    status = pAcquireKeyedMutex(&a);
    if (fence) *fence = a.FenceValue;
    return status;
}

static NTSTATUS km_release(D3DKMT_HANDLE h, UINT64 key, UINT64 fence)
{
    D3DKMT_RELEASEKEYEDMUTEX r;

    memset(&r, 0, sizeof(r));
    r.hKeyedMutex = h;
    r.Key = key;
    r.FenceValue = fence;
    return pReleaseKeyedMutex(&r);
}

/* §10.9 */
static void test_keyed_mutex_create_open(void)
{
    D3DKMT_CREATEKEYEDMUTEX2 c2;
    D3DKMT_CREATEKEYEDMUTEX c;
    D3DKMT_OPENKEYEDMUTEX o;
    NTSTATUS status;

    ok(pCreateKeyedMutex(NULL) == STATUS_INVALID_PARAMETER, "NULL\n");
    ok(pCreateKeyedMutex2(NULL) == STATUS_INVALID_PARAMETER, "NULL v2\n");
    status = km_create(0, &c);
    ok(status == STATUS_SUCCESS, "create: %#lx\n", status);
    ok(is_local_handle(c.hKeyedMutex) && is_global_handle(c.hSharedHandle), "handles %#x %#x\n", c.hKeyedMutex,
       c.hSharedHandle);
    memset(&c2, 0, sizeof(c2));
    ok(pCreateKeyedMutex2(&c2) == STATUS_SUCCESS && is_global_handle(c2.hSharedHandle), "zeroed v2\n");
    ok(!km_destroy(c2.hKeyedMutex), "destroy\n");
    c2.Flags.NtSecuritySharing = 1;
    ok(pCreateKeyedMutex2(&c2) == STATUS_SUCCESS && !c2.hSharedHandle, "v2 NT: %#x\n", c2.hSharedHandle);
    ok(!km_destroy(c2.hKeyedMutex), "destroy\n");
    c2.Flags.Value = 2;
    ok(pCreateKeyedMutex2(&c2) == STATUS_INVALID_PARAMETER, "v2 reserved flag\n");   /* choice */
    c2.Flags.Value = 0;
    c2.PrivateRuntimeDataSize = 4;
    ok(pCreateKeyedMutex2(&c2) == STATUS_INVALID_PARAMETER, "size without data\n");

    memset(&o, 0, sizeof(o));
    ok(pOpenKeyedMutex(NULL) == STATUS_INVALID_PARAMETER, "open NULL\n");
    ok(pOpenKeyedMutex(&o) == STATUS_INVALID_PARAMETER, "open 0\n");
    o.hKeyedMutex = c.hKeyedMutex;
    ok(pOpenKeyedMutex(&o) == STATUS_INVALID_PARAMETER, "local only\n");
    o.hSharedHandle = c.hSharedHandle;
    ok(pOpenKeyedMutex(&o) == STATUS_SUCCESS && o.hKeyedMutex != c.hKeyedMutex, "open\n");
    ok(!km_destroy(o.hKeyedMutex), "destroy opened\n");
    ok(pDestroyKeyedMutex(NULL) == STATUS_INVALID_PARAMETER, "destroy NULL\n");
    ok(km_destroy(0) == STATUS_INVALID_PARAMETER, "destroy 0\n");
    ok(!km_destroy(c.hKeyedMutex), "destroy\n");
    ok(km_destroy(c.hKeyedMutex) == STATUS_INVALID_PARAMETER, "destroy twice\n");
    ok(pOpenKeyedMutex(&o) == STATUS_INVALID_PARAMETER, "global alive after the last local\n");
}

/* §6.8 */
static void test_keyed_mutex_private_data(void)
{
    BYTE data[64], buffer[64];
    D3DKMT_CREATEKEYEDMUTEX2 c;
    D3DKMT_OPENKEYEDMUTEX2 o;
    D3DKMT_ACQUIREKEYEDMUTEX2 a;
    D3DKMT_RELEASEKEYEDMUTEX2 r;
    NTSTATUS status;

    memset(&c, 0, sizeof(c));
    ok(!pCreateKeyedMutex2(&c), "create without data\n");
    memset(&o, 0, sizeof(o));
    o.hSharedHandle = c.hSharedHandle;
    o.PrivateRuntimeDataSize = 64;
    ok(pOpenKeyedMutex2(&o) == STATUS_INVALID_PARAMETER, "size 64, NULL\n");
    memset(data, 0x33, sizeof(data));
    o.pPrivateRuntimeData = data;
    ok(pOpenKeyedMutex2(&o) == STATUS_SUCCESS, "size 64 with data\n");
    ok(o.PrivateRuntimeDataSize == 64, "size %u\n", o.PrivateRuntimeDataSize);
    ok(!km_destroy(o.hKeyedMutex) && !km_destroy(c.hKeyedMutex), "destroy\n");

    memset(data, 0x44, 6);
    c.pPrivateRuntimeData = data;
    c.PrivateRuntimeDataSize = 6;
    ok(!pCreateKeyedMutex2(&c), "create with 6 bytes\n");
    memset(&o, 0, sizeof(o));
    o.hSharedHandle = c.hSharedHandle;
    ok(pOpenKeyedMutex2(&o) == STATUS_SUCCESS, "size 0, NULL\n");
    ok(!km_destroy(o.hKeyedMutex), "destroy\n");
    o.PrivateRuntimeDataSize = 64;
    ok(pOpenKeyedMutex2(&o) == STATUS_INVALID_PARAMETER, "size 64, NULL\n");
    memset(buffer, 0x77, sizeof(buffer));
    o.pPrivateRuntimeData = buffer;
    o.PrivateRuntimeDataSize = 5;
    ok(pOpenKeyedMutex2(&o) == STATUS_INVALID_PARAMETER, "size 5\n");
    o.PrivateRuntimeDataSize = 6;
    status = pOpenKeyedMutex2(&o);
    ok(status == STATUS_SUCCESS, "size 6: %#lx\n", status);
    ok(buffer[0] == 0x77, "open wrote the buffer\n");
    ok(!km_destroy(o.hKeyedMutex), "destroy\n");

    /* Acquire2 reads the data back; Release2 replaces it. */
    memset(&a, 0, sizeof(a));
    a.hKeyedMutex = c.hKeyedMutex;
    a.pPrivateRuntimeData = buffer;
    a.PrivateRuntimeDataSize = sizeof(buffer);
    status = pAcquireKeyedMutex2(&a);
    ok(status == STATUS_SUCCESS, "acquire2: %#lx\n", status);
    ok(buffer[0] == 0x44 && buffer[5] == 0x44 && buffer[6] == 0x77, "data %02x %02x %02x\n", buffer[0], buffer[5],
       buffer[6]);
    memset(&r, 0, sizeof(r));
    r.hKeyedMutex = c.hKeyedMutex;
    r.Key = 3;
    memset(data, 0x55, 6);
    r.pPrivateRuntimeData = data;
    r.PrivateRuntimeDataSize = 6;
    ok(pReleaseKeyedMutex2(&r) == STATUS_SUCCESS, "release2\n");
    a.Key = 3;
    ok(pAcquireKeyedMutex2(&a) == STATUS_SUCCESS && buffer[0] == 0x55, "data after release2 %02x\n", buffer[0]);
    ok(!km_release(c.hKeyedMutex, 0, 0), "release\n");
    ok(!km_destroy(c.hKeyedMutex), "destroy\n");
}

struct acquirer
{
    D3DKMT_HANDLE handle;
    UINT64 key, fence;
    NTSTATUS status;
    HANDLE done;
};

static DWORD WINAPI blocked_acquire(void *arg)
{
    struct acquirer *a = arg;

    a->status = km_acquire(a->handle, a->key, -50000000, &a->fence);   /* 5 s */
    SetEvent(a->done);
    return 0;
}

/* §10.10 */
static void test_keyed_mutex_acquire_release(void)
{
    D3DKMT_CREATEKEYEDMUTEX c;
    D3DKMT_OPENKEYEDMUTEX o;
    D3DKMT_ACQUIREKEYEDMUTEX a;
    struct acquirer blocked;
    HANDLE thread;
    UINT64 fence;
    NTSTATUS status;

    ok(!km_create(0, &c), "create\n");
    ok(pAcquireKeyedMutex(NULL) == STATUS_INVALID_PARAMETER, "NULL\n");
    ok(pReleaseKeyedMutex(NULL) == STATUS_INVALID_PARAMETER, "release NULL\n");
    memset(&a, 0, sizeof(a));
    a.hKeyedMutex = 0xdead0040;
    a.Key = 12;
    a.FenceValue = 34;
    ok(pAcquireKeyedMutex(&a) == STATUS_INVALID_PARAMETER, "bad handle\n");
    ok(a.Key == 12 && a.FenceValue == 34, "outputs changed\n");
    status = km_acquire(c.hKeyedMutex, 0xdeadbeef, -100000, &fence);
    ok(status == STATUS_TIMEOUT && !fence, "wrong key: %#lx, fence %I64u\n", status, fence);
    status = km_acquire(c.hKeyedMutex, 0, -100000, &fence);
    ok(status == STATUS_SUCCESS && !fence, "key 0: %#lx, fence %I64u\n", status, fence);
    ok(km_release(c.hKeyedMutex, 1, 1234) == STATUS_SUCCESS, "release\n");
    ok(km_release(c.hKeyedMutex, 1, 1234) == STATUS_INVALID_PARAMETER, "second release\n");
    status = km_acquire(c.hKeyedMutex, 0, -100000, &fence);
    ok(status == STATUS_TIMEOUT && !fence, "key 0 after release to 1: %#lx\n", status);
    status = km_acquire(c.hKeyedMutex, 1, -100000, &fence);
    ok(status == STATUS_SUCCESS && fence == 1234, "key 1: %#lx, fence %I64u\n", status, fence);
    ok(km_release(c.hKeyedMutex, 0, 0) == STATUS_SUCCESS, "release 0\n");
    ok(km_acquire(c.hKeyedMutex, 0, 0, &fence) == STATUS_SUCCESS, "acquire, no timeout\n");
    status = km_acquire(c.hKeyedMutex, 0, 100000, &fence);   /* absolute, long past */
    ok(status == STATUS_INVALID_PARAMETER, "recursive acquire: %#lx\n", status);   /* choice */

    /* Abandonment: a blocked acquirer through another handle. */
    memset(&o, 0, sizeof(o));
    o.hSharedHandle = c.hSharedHandle;
    ok(!pOpenKeyedMutex(&o), "open\n");
    blocked.handle = o.hKeyedMutex;
    blocked.key = 0;
    blocked.done = CreateEventW(NULL, TRUE, FALSE, NULL);
    thread = CreateThread(NULL, 0, blocked_acquire, &blocked, 0, NULL);
    ok(WaitForSingleObject(blocked.done, 100) == WAIT_TIMEOUT, "acquired an owned mutex\n");
    ok(!km_destroy(c.hKeyedMutex), "destroy the owner\n");
    ok(event_comes(blocked.done), "still blocked\n");
    ok(blocked.status == STATUS_ABANDONED && !blocked.fence, "blocked acquire: %#lx, fence %I64u\n", blocked.status,
       blocked.fence);
    WaitForSingleObject(thread, INFINITE);
    CloseHandle(thread);
    status = km_acquire(o.hKeyedMutex, 0, -100000, &fence);
    ok(status == STATUS_ABANDONED && !fence, "later acquire: %#lx\n", status);
    ok(!km_destroy(o.hKeyedMutex), "destroy\n");
    CloseHandle(blocked.done);
}

/* Handles of one kind are refused by the calls of the other. */
static void test_wrong_types(void)
{
    D3DKMT_HANDLE fence = make_fence(0, NULL);
    D3DKMT_CREATEKEYEDMUTEX c;
    UINT64 value;

    ok(!km_create(0, &c), "create\n");
    ok(km_acquire(fence, 0, 0, &value) == STATUS_INVALID_PARAMETER, "acquire a fence\n");
    ok(km_release(fence, 0, 0) == STATUS_INVALID_PARAMETER, "release a fence\n");
    ok(km_destroy(fence) == STATUS_INVALID_PARAMETER, "destroy a fence as a mutex\n");
    ok(destroy_sync(c.hKeyedMutex) == STATUS_INVALID_PARAMETER, "destroy a mutex as a sync object\n");
    ok(wait1(c.hKeyedMutex, 0, NULL) == STATUS_INVALID_PARAMETER, "wait on a mutex\n");
    ok(wait1(device, 0, NULL) == STATUS_INVALID_PARAMETER, "wait on a device\n");
    ok(destroy_sync(device) == STATUS_INVALID_PARAMETER, "destroy a device\n");
    ok(!km_destroy(c.hKeyedMutex) && !destroy_sync(fence), "destroy\n");
}

START_TEST(sync)
{
    if (!load_d3dkmt()) return;
    if (!pCreateSynchronizationObject2 || !pCreateKeyedMutex)
    {
        win_skip("no synchronization objects\n");
        return;
    }
    if (open_display1(&adapter, NULL) || create_device(adapter, &device))
    {
        skip("no adapter or device\n");
        return;
    }
    test_create_v1();
    test_create_v2();
    test_sharing_flags_and_open();
    test_cpu_type_check();
    test_monitored_fence();
    test_fence_view_untrusted();
    test_blocking_waits();
    test_device_destroy();
    test_cpu_bad_input();
    test_paging_queue_fence();
    test_keyed_mutex_create_open();
    test_keyed_mutex_private_data();
    test_keyed_mutex_acquire_release();
    test_wrong_types();
    destroy_device(device);
    close_adapter(adapter);
}
