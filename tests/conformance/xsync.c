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
 * Sync objects and keyed mutexes shared between processes (issue 12): the
 * program starts copies of itself as children.
 *
 *  - a monitored fence shared alone by NT handle: a CPU signal in one
 *    process wakes a blocking and an asynchronous CPU wait in the other, and
 *    both processes' FenceValueCPUVirtualAddress show the value;
 *  - the {resource, keyed mutex, sync object} bundle: ownership and fence
 *    values handed between two processes for 1,000 rounds, the content
 *    checked and rewritten in every round;
 *  - a child killed while it owns the keyed mutex abandons it: a blocked
 *    acquire in the parent returns STATUS_ABANDONED, and every later one;
 *  - OpenSyncObjectNtHandleFromName, OpenSyncObjectFromNtHandle(2) and
 *    OpenKeyedMutexFromNtHandle: the [WIN] facts of sync-objects.md §3.5-3.8
 *    and §6.4, and the choices where Windows is not known.
 */
#include "d3dkmt_test.h"
#include "child_process.h"
#include <winternl.h>

#define SIZE (64 * 1024)
#define ROUNDS 1000

static D3DKMT_HANDLE adapter, device;
static DWORD parent_pid;

/* ---- helpers ---- */

static NTSTATUS create_fence(UINT64 initial, BOOL nt, D3DKMT_CREATESYNCHRONIZATIONOBJECT2 *desc)
{
    memset(desc, 0, sizeof(*desc));
    desc->hDevice = device;
    desc->Info.Type = D3DDDI_MONITORED_FENCE;
    desc->Info.Flags.Shared = nt;
    desc->Info.Flags.NtSecuritySharing = nt;
    desc->Info.MonitoredFence.InitialFenceValue = initial;
    return pCreateSynchronizationObject2(desc);
}

static void destroy_sync(D3DKMT_HANDLE handle)
{
    D3DKMT_DESTROYSYNCHRONIZATIONOBJECT desc = { handle };

    ok(!pDestroySynchronizationObject(&desc), "destroy sync object %#x\n", handle);
}

static void destroy_keyed_mutex(D3DKMT_HANDLE handle)
{
    D3DKMT_DESTROYKEYEDMUTEX desc = { handle };

    ok(!pDestroyKeyedMutex(&desc), "destroy keyed mutex %#x\n", handle);
}

static NTSTATUS signal_fence(D3DKMT_HANDLE fence, UINT64 value)
{
    D3DKMT_SIGNALSYNCHRONIZATIONOBJECTFROMCPU desc;

    memset(&desc, 0, sizeof(desc));
    desc.hDevice = device;
    desc.ObjectCount = 1;
    desc.ObjectHandleArray = &fence;
    desc.FenceValueArray = &value;
    return pSignalSynchronizationObjectFromCpu(&desc);
}

/* Blocking when event is NULL. */
static NTSTATUS wait_fence(D3DKMT_HANDLE fence, UINT64 value, HANDLE event)
{
    D3DKMT_WAITFORSYNCHRONIZATIONOBJECTFROMCPU desc;

    memset(&desc, 0, sizeof(desc));
    desc.hDevice = device;
    desc.ObjectCount = 1;
    desc.ObjectHandleArray = &fence;
    desc.FenceValueArray = &value;
    desc.hAsyncEvent = event;
    return pWaitForSynchronizationObjectFromCpu(&desc);
}

static NTSTATUS acquire(D3DKMT_HANDLE km, UINT64 key, LONGLONG timeout_100ns, UINT64 *fence)
{
    D3DKMT_ACQUIREKEYEDMUTEX desc;
    LARGE_INTEGER timeout;
    NTSTATUS status;

    memset(&desc, 0, sizeof(desc));
    desc.hKeyedMutex = km;
    desc.Key = key;
    timeout.QuadPart = -timeout_100ns;
    desc.pTimeout = &timeout;
    status = pAcquireKeyedMutex(&desc);
    if (fence) *fence = desc.FenceValue;
    return status;
}

static NTSTATUS release(D3DKMT_HANDLE km, UINT64 key, UINT64 fence)
{
    D3DKMT_RELEASEKEYEDMUTEX desc;

    memset(&desc, 0, sizeof(desc));
    desc.hKeyedMutex = km;
    desc.Key = key;
    desc.FenceValue = fence;
    return pReleaseKeyedMutex(&desc);
}

static void init_name(UNICODE_STRING *str, const WCHAR *name)
{
    str->Buffer = (WCHAR *)name;
    str->Length = wcslen(name) * sizeof(WCHAR);
    str->MaximumLength = str->Length + sizeof(WCHAR);
}

static NTSTATUS share_sync(D3DKMT_HANDLE sync, const WCHAR *name, DWORD access, HANDLE *out)
{
    OBJECT_ATTRIBUTES attr;
    UNICODE_STRING str;

    if (!name) return pShareObjects(1, &sync, NULL, access, out);
    init_name(&str, name);
    InitializeObjectAttributes(&attr, &str, 0, NULL, NULL);
    return pShareObjects(1, &sync, &attr, access, out);
}

static NTSTATUS open_sync_name(const WCHAR *name, DWORD access, HANDLE *out)
{
    D3DKMT_OPENSYNCOBJECTNTHANDLEFROMNAME desc;
    OBJECT_ATTRIBUTES attr;
    UNICODE_STRING str;
    NTSTATUS status;

    init_name(&str, name);
    InitializeObjectAttributes(&attr, &str, 0, NULL, NULL);
    memset(&desc, 0, sizeof(desc));
    desc.dwDesiredAccess = access;
    desc.pObjAttrib = &attr;
    status = pOpenSyncObjectNtHandleFromName(&desc);
    *out = desc.hNtHandle;
    return status;
}

static NTSTATUS open_sync_nt2(HANDLE nt, D3DKMT_OPENSYNCOBJECTFROMNTHANDLE2 *desc)
{
    memset(desc, 0, sizeof(*desc));
    desc->hNtHandle = nt;
    desc->hDevice = device;
    return pOpenSyncObjectFromNtHandle2(desc);
}

static UINT64 read_fence(const void *va)
{
    return *(volatile const UINT64 *)va;
}

/* A shared resource of one CPU-visible allocation. */
struct shared
{
    D3DKMT_HANDLE resource, alloc;
};

static NTSTATUS create_shared(struct shared *s)
{
    D3DKMT_WINE_ALLOCATION_DESC desc = make_desc(SIZE, D3DKMT_WINE_SEGMENT_GROUP_LOCAL, D3DKMT_WINE_ALLOC_FLAG_CPU_VISIBLE);
    D3DKMT_CREATEALLOCATION create;
    D3DDDI_ALLOCATIONINFO2 info;
    UINT flags = 0x43;   /* CreateResource | CreateShared | NtSecuritySharing */
    NTSTATUS status;

    memset(&create, 0, sizeof(create));
    memset(&info, 0, sizeof(info));
    create.hDevice = device;
    create.NumAllocations = 1;
    create.pAllocationInfo2 = &info;
    memcpy(&create.Flags, &flags, sizeof(flags));
    info.pPrivateDriverData = &desc;
    info.PrivateDriverDataSize = sizeof(desc);
    status = pCreateAllocation2(&create);
    s->resource = create.hResource;
    s->alloc = info.hAllocation;
    return status;
}

static void destroy_resource(D3DKMT_HANDLE resource)
{
    D3DKMT_DESTROYALLOCATION desc;

    memset(&desc, 0, sizeof(desc));
    desc.hDevice = device;
    desc.hResource = resource;
    ok(!pDestroyAllocation(&desc), "destroy resource\n");
}

/* The {resource, keyed mutex, sync object} bundle. */
struct bundle
{
    struct shared res;
    D3DKMT_HANDLE km, sync;
    HANDLE nt;
};

static void create_bundle(struct bundle *b)
{
    D3DKMT_CREATESYNCHRONIZATIONOBJECT2 fence;
    D3DKMT_CREATEKEYEDMUTEX2 km;
    D3DKMT_HANDLE list[3];
    BYTE data[20];
    NTSTATUS status;

    memset(data, 0x5a, sizeof(data));
    ok(!create_shared(&b->res), "create resource\n");
    memset(&km, 0, sizeof(km));
    km.Flags.NtSecuritySharing = 1;
    km.pPrivateRuntimeData = data;
    km.PrivateRuntimeDataSize = sizeof(data);
    ok(!pCreateKeyedMutex2(&km), "create keyed mutex\n");
    ok(!create_fence(0, TRUE, &fence), "create fence\n");
    b->km = km.hKeyedMutex;
    b->sync = fence.hSyncObject;
    list[0] = b->res.resource;
    list[1] = b->km;
    list[2] = b->sync;
    status = pShareObjects(3, list, NULL, GENERIC_ALL, &b->nt);
    ok(!status, "ShareObjects bundle: %#lx\n", status);
}

struct opened
{
    D3DKMT_OPENRESOURCEFROMNTHANDLE desc;
    D3DDDI_OPENALLOCATIONINFO2 info;
    BYTE runtime[16], total[0x1000], km_data[20];
};

static NTSTATUS open_bundle(HANDLE nt, struct opened *o)
{
    memset(o, 0, sizeof(*o));
    o->desc.hDevice = device;
    o->desc.hNtHandle = nt;
    o->desc.NumAllocations = 1;
    o->desc.pOpenAllocationInfo2 = &o->info;
    o->desc.pPrivateRuntimeData = o->runtime;
    o->desc.pTotalPrivateDriverDataBuffer = o->total;
    o->desc.TotalPrivateDriverDataBufferSize = sizeof(o->total);
    o->desc.pKeyedMutexPrivateRuntimeData = o->km_data;
    o->desc.KeyedMutexPrivateRuntimeDataSize = sizeof(o->km_data);
    return pOpenResourceFromNtHandle(&o->desc);
}

static BOOL write_round(D3DKMT_HANDLE alloc, UINT round)
{
    UINT *p, i;

    if (lock_alloc(device, alloc, 0, (void **)&p)) return FALSE;
    for (i = 0; i < SIZE / 4; i++) p[i] = round * 0x9e3779b1u + i;
    return !unlock_alloc(device, alloc);
}

static BOOL check_round(D3DKMT_HANDLE alloc, UINT round)
{
    UINT *p, i, bad = 0;

    if (lock_alloc(device, alloc, 0, (void **)&p)) return FALSE;
    for (i = 0; i < SIZE / 4; i++) bad += p[i] != round * 0x9e3779b1u + i;
    unlock_alloc(device, alloc);
    return !bad;
}

/* Starts the child `what` (of this program, or of exe) with our NT handle h
 * duplicated into it. */
static BOOL start_with_exe(const char *exe, const char *what, HANDLE h, PROCESS_INFORMATION *pi, HANDLE *map)
{
    char args[64];
    HANDLE child_h;

    sprintf(args, "%s %lu", what, (unsigned long)parent_pid);
    if (!start_exe(exe, args, CREATE_SUSPENDED, pi))
    {
        ok(0, "CreateProcess failed: %lu\n", GetLastError());
        return FALSE;
    }
    child_h = handle_for_child(pi, h);
    ok(child_h != NULL, "DuplicateHandle: %lu\n", GetLastError());
    *map = post_child_value(parent_pid, (ULONG_PTR)child_h);
    ResumeThread(pi->hThread);
    return TRUE;
}

static BOOL start_with(const char *what, HANDLE h, PROCESS_INFORMATION *pi, HANDLE *map)
{
    return start_with_exe(NULL, what, h, pi, map);
}

static HANDLE ev(const char *what)
{
    return child_event(parent_pid, what);
}

static HANDLE get_value(void)
{
    return (HANDLE)get_child_value(parent_pid);
}

/* ---- the children ---- */

/* Opens the fence, waits for the parent's 10 (blocking), signals 20; then
 * signals 30 once the parent waits for it asynchronously. */
static void child_fence(void)
{
    D3DKMT_OPENSYNCOBJECTFROMNTHANDLE v1;
    D3DKMT_OPENSYNCOBJECTFROMNTHANDLE2 v2;
    HANDLE opened = ev("opened"), go = ev("go");
    NTSTATUS status;

    status = open_sync_nt2(get_value(), &v2);
    ok(!status && v2.hSyncObject, "child: FromNtHandle2: %#lx\n", status);
    ok(v2.MonitoredFence.FenceValueCPUVirtualAddress != NULL, "child: no CPU VA\n");
    if (status || !v2.MonitoredFence.FenceValueCPUVirtualAddress) return;
    ok(read_fence(v2.MonitoredFence.FenceValueCPUVirtualAddress) == 5, "child: value %I64u\n",
       read_fence(v2.MonitoredFence.FenceValueCPUVirtualAddress));
    memset(&v1, 0, sizeof(v1));
    v1.hNtHandle = get_value();
    ok(!pOpenSyncObjectFromNtHandle(&v1) && v1.hSyncObject && v1.hSyncObject != v2.hSyncObject,
       "child: FromNtHandle\n");
    SetEvent(opened);
    status = wait_fence(v2.hSyncObject, 10, NULL);
    ok(!status, "child: blocking wait: %#lx\n", status);
    ok(read_fence(v2.MonitoredFence.FenceValueCPUVirtualAddress) >= 10, "child: CPU VA reads %I64u\n",
       read_fence(v2.MonitoredFence.FenceValueCPUVirtualAddress));
    /* Through the v1 handle: one object. */
    ok(!signal_fence(v1.hSyncObject, 20), "child: signal 20\n");
    ok(wait_event(go, 20000), "child: no go\n");
    ok(!signal_fence(v2.hSyncObject, 30), "child: signal 30\n");
    destroy_sync(v1.hSyncObject);
    destroy_sync(v2.hSyncObject);
}

/* The child's half of the ping-pong: key 1 is the child's turn. */
static void child_pingpong(void)
{
    HANDLE opened = ev("opened");
    struct opened o;
    UINT64 fence;
    UINT round, bad = 0;
    NTSTATUS status;

    status = open_bundle(get_value(), &o);
    ok(!status && o.desc.hKeyedMutex && o.desc.hSyncObject, "child: open bundle: %#lx %#x %#x\n", status,
       o.desc.hKeyedMutex, o.desc.hSyncObject);
    if (status) return;
    SetEvent(opened);
    for (round = 0; round < ROUNDS && !bad; round++)
    {
        status = acquire(o.desc.hKeyedMutex, 1, 100000000, &fence);   /* 10 s */
        if (status || fence != 2 * round + 1)
        {
            ok(0, "child: round %u: acquire %#lx, fence %I64u\n", round, status, fence);
            bad++;
            break;
        }
        if (!check_round(o.info.hAllocation, 2 * round + 1))
        {
            ok(0, "child: round %u: the parent's content is not there\n", round);
            bad++;
        }
        write_round(o.info.hAllocation, 2 * round + 2);
        ok(!release(o.desc.hKeyedMutex, 0, 2 * round + 2) || bad++, "child: release %u\n", round);
    }
    ok(!bad, "child: %u rounds done\n", round);
    destroy_keyed_mutex(o.desc.hKeyedMutex);
    destroy_sync(o.desc.hSyncObject);
    destroy_resource(o.desc.hResource);
}

/* Takes the keyed mutex and waits to be killed. */
static void child_own(void)
{
    HANDLE owned = ev("owned");
    struct opened o;
    NTSTATUS status;

    status = open_bundle(get_value(), &o);
    ok(!status && o.desc.hKeyedMutex, "child: open bundle: %#lx\n", status);
    status = acquire(o.desc.hKeyedMutex, 7, 100000000, NULL);
    ok(!status, "child: acquire: %#lx\n", status);
    SetEvent(owned);
    Sleep(60000);
    ok(0, "child: not killed\n");
}

/* Opens a global sync object and keyed mutex by value (legacy, D3D9Ex
 * style), plays GLOBAL_ROUNDS rounds and holds both until told to go. */
#define GLOBAL_ROUNDS 100
static void child_global(void)
{
    D3DKMT_OPENSYNCHRONIZATIONOBJECT so;
    D3DKMT_OPENKEYEDMUTEX2 ko;
    HANDLE opened = ev("opened"), go = ev("go");
    BYTE data[6];
    UINT64 fence;
    UINT round;
    NTSTATUS status;

    memset(&so, 0, sizeof(so));
    so.hSharedHandle = strtoul(child_argv(4), NULL, 0);
    status = pOpenSynchronizationObject(&so);
    ok(!status && so.hSyncObject, "child: open global sync object %#x: %#lx\n", so.hSharedHandle, status);
    memset(&ko, 0, sizeof(ko));
    ko.hSharedHandle = strtoul(child_argv(5), NULL, 0);
    ko.pPrivateRuntimeData = data;
    ko.PrivateRuntimeDataSize = sizeof(data);
    status = pOpenKeyedMutex2(&ko);
    ok(!status && ko.hKeyedMutex, "child: open global keyed mutex %#x: %#lx\n", ko.hSharedHandle, status);
    if (status) return;
    SetEvent(opened);
    for (round = 0; round < GLOBAL_ROUNDS; round++)
    {
        status = acquire(ko.hKeyedMutex, 1, 100000000, &fence);
        if (status || fence != round * 2 + 1) break;
        if (release(ko.hKeyedMutex, 0, round * 2 + 2)) break;
    }
    ok(round == GLOBAL_ROUNDS, "child: round %u: %#lx, fence %I64u\n", round, status, fence);
    SetEvent(opened);
    ok(wait_event(go, 20000), "child: no go\n");
    /* The creator destroyed its handles: ours still work. */
    ok(!acquire(ko.hKeyedMutex, 0, 0, &fence) && fence == GLOBAL_ROUNDS * 2 + 1,
       "child: acquire after the creator: fence %I64u\n", fence);
    destroy_keyed_mutex(ko.hKeyedMutex);
    destroy_sync(so.hSyncObject);
}

static void run_child(const char *what)
{
    parent_pid = strtoul(child_argv(3), NULL, 0);
    if (!strcmp(what, "fence")) child_fence();
    else if (!strcmp(what, "global")) child_global();
    else if (!strcmp(what, "pingpong")) child_pingpong();
    else if (!strcmp(what, "own")) child_own();
    else ok(0, "unknown child %s\n", what);
}

/* ---- the parent ---- */

static void test_fence(void)
{
    HANDLE opened = ev("opened"), go = ev("go"), done = CreateEventA(NULL, TRUE, FALSE, NULL), map, nt;
    D3DKMT_CREATESYNCHRONIZATIONOBJECT2 fence;
    PROCESS_INFORMATION pi;
    const void *va;
    NTSTATUS status;

    ok(!create_fence(5, TRUE, &fence), "create fence\n");
    va = fence.Info.MonitoredFence.FenceValueCPUVirtualAddress;
    status = share_sync(fence.hSyncObject, NULL, STANDARD_RIGHTS_READ | 0x3, &nt);
    ok(!status && nt, "ShareObjects {sync}: %#lx\n", status);
    if (status || !start_with("fence", nt, &pi, &map)) return;
    ok(wait_event(opened, 20000), "the child did not open\n");
    Sleep(50);   /* let it block */
    ok(!signal_fence(fence.hSyncObject, 10), "signal 10\n");
    /* The child's signal wakes this process' blocking wait. */
    status = wait_fence(fence.hSyncObject, 20, NULL);
    ok(!status, "blocking wait for the child's 20: %#lx\n", status);
    ok(read_fence(va) >= 20, "CPU VA reads %I64u\n", read_fence(va));
    /* And an asynchronous one. */
    ok(!wait_fence(fence.hSyncObject, 30, done), "async wait\n");
    ok(WaitForSingleObject(done, 0) == WAIT_TIMEOUT, "set early\n");
    SetEvent(go);
    ok(WaitForSingleObject(done, 20000) == WAIT_OBJECT_0, "the child's 30 did not set the event\n");
    ok(read_fence(va) == 30, "CPU VA reads %I64u\n", read_fence(va));
    ok(wait_child(&pi, 20000) == 0, "the child failed\n");
    /* The child's handles are gone; ours still works. */
    ok(!signal_fence(fence.hSyncObject, 31) && read_fence(va) == 31, "signal after the child\n");
    CloseHandle(map);
    CloseHandle(nt);
    CloseHandle(done);
    destroy_sync(fence.hSyncObject);
}

/* exe: the child's program (NULL: this one). */
static void test_pingpong(const char *exe)
{
    HANDLE opened = ev("opened"), map;
    PROCESS_INFORMATION pi;
    struct bundle b;
    UINT64 fence;
    UINT round, bad = 0;
    NTSTATUS status;
    DWORD start;

    create_bundle(&b);
    if (!b.nt || !start_with_exe(exe, "pingpong", b.nt, &pi, &map)) return;
    ok(wait_event(opened, 20000), "the child did not open\n");
    start = GetTickCount();
    for (round = 0; round < ROUNDS && !bad; round++)
    {
        status = acquire(b.km, 0, 100000000, &fence);
        if (status || fence != 2 * round)
        {
            ok(0, "round %u: acquire %#lx, fence %I64u\n", round, status, fence);
            bad++;
            break;
        }
        if (round && !check_round(b.res.alloc, 2 * round))
        {
            ok(0, "round %u: the child's content is not there\n", round);
            bad++;
        }
        write_round(b.res.alloc, 2 * round + 1);
        ok(!release(b.km, 1, 2 * round + 1) || bad++, "release %u\n", round);
    }
    ok(!bad, "%u rounds done\n", round);
    /* The child's last release. */
    ok(!acquire(b.km, 0, 100000000, &fence) && fence == 2 * ROUNDS, "last acquire: fence %I64u\n", fence);
    ok(check_round(b.res.alloc, 2 * ROUNDS), "the child's last content\n");
    trace("%u rounds across two processes%s in %lu ms\n", ROUNDS, exe ? " (a 32-bit child)" : "",
          GetTickCount() - start);
    ok(wait_child(&pi, 30000) == 0, "the child failed\n");
    ok(!release(b.km, 0, 0), "release\n");
    CloseHandle(map);
    CloseHandle(b.nt);
    destroy_keyed_mutex(b.km);
    destroy_sync(b.sync);
    destroy_resource(b.res.resource);
}

struct blocked
{
    D3DKMT_HANDLE km;
    NTSTATUS status;
    UINT64 fence;
};

static DWORD WINAPI blocked_acquire(void *arg)
{
    struct blocked *b = arg;

    b->status = acquire(b->km, 7, 200000000, &b->fence);   /* 20 s */
    return 0;
}

static void test_abandon(void)
{
    HANDLE owned = ev("owned"), map, thread;
    struct blocked blocked;
    PROCESS_INFORMATION pi;
    struct bundle b;
    UINT64 fence = 0xdead;
    DWORD start;

    create_bundle(&b);
    /* Key 7 for the child. */
    ok(!acquire(b.km, 0, 0, NULL) && !release(b.km, 7, 99), "hand to key 7\n");
    if (!b.nt || !start_with("own", b.nt, &pi, &map)) return;
    ok(wait_event(owned, 20000), "the child did not take it\n");
    ok(acquire(b.km, 7, 0, &fence) == STATUS_TIMEOUT && !fence, "owned by the child: timeout, fence %I64u\n",
       fence);
    blocked.km = b.km;
    blocked.status = 0xdead;
    thread = CreateThread(NULL, 0, blocked_acquire, &blocked, 0, NULL);
    Sleep(100);
    start = GetTickCount();
    kill_child(&pi);
    ok(WaitForSingleObject(thread, 20000) == WAIT_OBJECT_0, "the blocked acquire did not return\n");
    ok(blocked.status == STATUS_ABANDONED && !blocked.fence, "blocked acquire: %#lx, fence %I64u\n", blocked.status,
       blocked.fence);
    trace("abandoned %lu ms after the kill\n", GetTickCount() - start);
    /* Permanent [WIN]. */
    ok(acquire(b.km, 7, 0, &fence) == STATUS_ABANDONED && !fence, "later acquire\n");
    ok(acquire(b.km, 0, 0, &fence) == STATUS_ABANDONED, "any key\n");
    CloseHandle(thread);
    CloseHandle(map);
    CloseHandle(b.nt);
    destroy_keyed_mutex(b.km);
    destroy_sync(b.sync);
    destroy_resource(b.res.resource);
}

/* Legacy global handles of a sync object and a keyed mutex, opened by value
 * in another process ([WIN]: "also from another process"); a global handle
 * dies with the last local reference anywhere. */
static void test_global(void)
{
    HANDLE opened = ev("opened"), go = ev("go");
    D3DKMT_CREATESYNCHRONIZATIONOBJECT2 mutex;
    D3DKMT_OPENSYNCHRONIZATIONOBJECT so;
    D3DKMT_CREATEKEYEDMUTEX2 km;
    D3DKMT_OPENKEYEDMUTEX ko;
    PROCESS_INFORMATION pi;
    BYTE data[6] = "abcde";
    char args[64];
    UINT64 fence;
    UINT round;
    NTSTATUS status;

    memset(&mutex, 0, sizeof(mutex));
    mutex.hDevice = device;
    mutex.Info.Type = D3DDDI_SYNCHRONIZATION_MUTEX;
    mutex.Info.Flags.Shared = 1;
    ok(!pCreateSynchronizationObject2(&mutex) && mutex.Info.SharedHandle, "create global mutex\n");
    memset(&km, 0, sizeof(km));
    km.pPrivateRuntimeData = data;
    km.PrivateRuntimeDataSize = sizeof(data);
    ok(!pCreateKeyedMutex2(&km) && km.hSharedHandle, "create global keyed mutex\n");
    ok((mutex.Info.SharedHandle & 0x3f) == 2 && (km.hSharedHandle & 0x3f) == 2, "global forms %#x %#x\n",
       mutex.Info.SharedHandle, km.hSharedHandle);
    sprintf(args, "global %lu %#x %#x", (unsigned long)parent_pid, mutex.Info.SharedHandle, km.hSharedHandle);
    ok(!acquire(km.hKeyedMutex, 0, 0, NULL) && !release(km.hKeyedMutex, 1, 1), "first hand-over\n");
    if (!start_child(args, 0, &pi)) return;
    ok(wait_event(opened, 20000), "the child did not open\n");
    for (round = 0; round < GLOBAL_ROUNDS; round++)
    {
        status = acquire(km.hKeyedMutex, 0, 100000000, &fence);
        if (status || fence != round * 2 + 2) break;
        if (release(km.hKeyedMutex, round + 1 < GLOBAL_ROUNDS ? 1 : 0, round * 2 + 3)) break;
    }
    ok(round == GLOBAL_ROUNDS, "round %u: %#lx, fence %I64u\n", round, status, fence);
    ok(wait_event(opened, 20000), "the child did not finish\n");
    /* Our last release went to key 0 with fence 201: the child takes it. */
    destroy_keyed_mutex(km.hKeyedMutex);
    destroy_sync(mutex.hSyncObject);
    /* The child holds them: the values still open here. */
    memset(&so, 0, sizeof(so));
    so.hSharedHandle = mutex.Info.SharedHandle;
    status = pOpenSynchronizationObject(&so);
    ok(!status, "reopen the global sync object while the child holds it: %#lx\n", status);
    if (!status) destroy_sync(so.hSyncObject);
    SetEvent(go);
    ok(wait_child(&pi, 20000) == 0, "the child failed\n");
    /* Gone with the last reference anywhere [WIN]. */
    ok(pOpenSynchronizationObject(&so) == STATUS_INVALID_PARAMETER, "global sync object after the child\n");
    memset(&ko, 0, sizeof(ko));
    ko.hSharedHandle = km.hSharedHandle;
    ok(pOpenKeyedMutex(&ko) == STATUS_INVALID_PARAMETER, "global keyed mutex after the child\n");
}

static void name_of(WCHAR *buf, size_t len, const char *what)
{
    char name[128];

    snprintf(name, sizeof(name), "\\BaseNamedObjects\\d3dkmt-xsync-%lu-%s", (unsigned long)GetCurrentProcessId(), what);
    MultiByteToWideChar(CP_ACP, 0, name, -1, buf, len);
}

/* The [WIN] facts of sync-objects.md §3.5 - §3.8 and §6.4, in one process. */
static void test_win_facts(void)
{
    D3DKMT_OPENSYNCOBJECTNTHANDLEFROMNAME byname;
    D3DKMT_OPENSYNCOBJECTFROMNTHANDLE2 v2, v2b;
    D3DKMT_OPENSYNCOBJECTFROMNTHANDLE v1;
    D3DKMT_OPENKEYEDMUTEXFROMNTHANDLE kmnt;
    D3DKMT_CREATESYNCHRONIZATIONOBJECT2 fence, plain, mutex;
    WCHAR name[128], upper[128];
    HANDLE nt, nt2, h;
    struct bundle b;
    NTSTATUS status;
    UINT i;

    ok(!create_fence(3, TRUE, &fence), "create\n");
    ok(!create_fence(0, FALSE, &plain), "create unshared\n");
    name_of(name, ARRAY_SIZE(name), "fence");
    for (i = 0; name[i]; i++) upper[i] = towupper(name[i]);
    upper[i] = 0;

    ok(share_sync(plain.hSyncObject, NULL, STANDARD_RIGHTS_READ, &h) == STATUS_INVALID_PARAMETER, "unshared\n");
    status = share_sync(fence.hSyncObject, name, STANDARD_RIGHTS_WRITE, &nt);
    ok(!status, "share with a name: %#lx\n", status);

    /* §3.8 */
    memset(&byname, 0, sizeof(byname));
    ok(pOpenSyncObjectNtHandleFromName(&byname) == STATUS_INVALID_PARAMETER, "{0}\n");
    name_of(name, ARRAY_SIZE(name), "none");
    ok(open_sync_name(name, 0, &h) == STATUS_OBJECT_NAME_NOT_FOUND, "unknown name, access 0\n");
    ok(open_sync_name(upper, 0, &h) == STATUS_ACCESS_DENIED, "other case, access 0\n");
    status = open_sync_name(upper, STANDARD_RIGHTS_WRITE, &nt2);
    ok(!status && nt2, "by name with STANDARD_RIGHTS_WRITE: %#lx\n", status);

    /* §3.7 */
    memset(&v2, 0, sizeof(v2));
    ok(pOpenSyncObjectFromNtHandle2(&v2) == STATUS_INVALID_PARAMETER, "v2 {0}\n");
    v2.hNtHandle = nt2;
    ok(pOpenSyncObjectFromNtHandle2(&v2) == STATUS_INVALID_PARAMETER, "v2 without a device\n");
    status = open_sync_nt2(nt2, &v2);
    ok(!status && v2.hSyncObject, "v2 on the by-name handle: %#lx\n", status);
    ok(v2.MonitoredFence.FenceValueCPUVirtualAddress && read_fence(v2.MonitoredFence.FenceValueCPUVirtualAddress) == 3,
       "CPU VA\n");
    /* One object in one process: a signal through one handle is seen through the other. */
    ok(!signal_fence(fence.hSyncObject, 8), "signal\n");
    ok(read_fence(v2.MonitoredFence.FenceValueCPUVirtualAddress) == 8, "opened VA reads %I64u\n",
       read_fence(v2.MonitoredFence.FenceValueCPUVirtualAddress));
    ok(!wait_fence(v2.hSyncObject, 8, NULL), "wait through the opened handle\n");
    /* §3.5: an opened object (Flags 0) can be shared again. */
    status = share_sync(v2.hSyncObject, NULL, STANDARD_RIGHTS_READ, &h);
    ok(!status, "share an opened one: %#lx\n", status);
    CloseHandle(h);

    /* §3.6 */
    memset(&v1, 0, sizeof(v1));
    ok(pOpenSyncObjectFromNtHandle(&v1) == STATUS_INVALID_HANDLE, "v1 {0}\n");
    v1.hNtHandle = nt;
    ok(!pOpenSyncObjectFromNtHandle(&v1) && v1.hSyncObject, "v1\n");
    destroy_sync(v1.hSyncObject);

    /* Closing every NT handle: the name goes; the object lives on. */
    CloseHandle(nt2);
    CloseHandle(nt);
    ok(open_sync_nt2(nt, &v2b) == STATUS_INVALID_HANDLE, "v2 on a closed handle\n");
    name_of(name, ARRAY_SIZE(name), "fence");
    ok(open_sync_name(name, STANDARD_RIGHTS_READ, &h) == STATUS_OBJECT_NAME_NOT_FOUND, "name after the last close\n");
    ok(!signal_fence(v2.hSyncObject, 9) && !wait_fence(fence.hSyncObject, 9, NULL), "still one object\n");
    /* ... and can be shared again under the same name [WIN]. */
    ok(!share_sync(fence.hSyncObject, name, STANDARD_RIGHTS_READ, &nt), "share again\n");
    ok(!open_sync_name(name, STANDARD_RIGHTS_READ, &h), "name again\n");
    CloseHandle(h);
    CloseHandle(nt);

    /* A MUTEX share works too [WIN]. */
    memset(&mutex, 0, sizeof(mutex));
    mutex.hDevice = device;
    mutex.Info.Type = D3DDDI_SYNCHRONIZATION_MUTEX;
    mutex.Info.Flags.Shared = mutex.Info.Flags.NtSecuritySharing = 1;
    ok(!pCreateSynchronizationObject2(&mutex), "create mutex\n");
    ok(!share_sync(mutex.hSyncObject, NULL, STANDARD_RIGHTS_READ, &nt), "share mutex\n");
    ok(!open_sync_nt2(nt, &v2b) && v2b.hSyncObject, "open mutex share\n");
    destroy_sync(v2b.hSyncObject);
    CloseHandle(nt);
    /* A destroyed handle cannot be shared [WIN]. */
    destroy_sync(mutex.hSyncObject);
    ok(share_sync(mutex.hSyncObject, NULL, STANDARD_RIGHTS_READ, &h) == STATUS_INVALID_PARAMETER, "destroyed\n");

    /* §6.4: the bundle's handle is another object type [WIN]; so is a sync
     * object's for both (a choice for OpenSyncObjectFromNtHandle). */
    create_bundle(&b);
    memset(&kmnt, 0, sizeof(kmnt));
    kmnt.hNtHandle = b.nt;
    ok(pOpenKeyedMutexFromNtHandle(&kmnt) == STATUS_OBJECT_TYPE_MISMATCH, "keyed mutex from the bundle\n");
    ok(open_sync_nt2(b.nt, &v2b) == STATUS_OBJECT_TYPE_MISMATCH, "sync object from the bundle\n");
    ok(!share_sync(fence.hSyncObject, NULL, STANDARD_RIGHTS_READ, &nt), "share\n");
    kmnt.hNtHandle = nt;
    ok(pOpenKeyedMutexFromNtHandle(&kmnt) == STATUS_OBJECT_TYPE_MISMATCH, "keyed mutex from a sync share\n");
    memset(&kmnt, 0, sizeof(kmnt));
    ok(pOpenKeyedMutexFromNtHandle(&kmnt) == STATUS_INVALID_HANDLE, "keyed mutex {0}\n");
    kmnt.hNtHandle = GetCurrentProcess();
    ok(pOpenKeyedMutexFromNtHandle(&kmnt) == STATUS_INVALID_PARAMETER, "keyed mutex from a process handle\n");
    h = CreateEventA(NULL, FALSE, FALSE, NULL);
    ok(open_sync_nt2(h, &v2b) == STATUS_INVALID_PARAMETER, "sync object from an event\n");
    CloseHandle(h);
    /* Choice: a sync object in its own share file does not join a bundle. */
    {
        D3DKMT_HANDLE list[3] = { b.res.resource, b.km, fence.hSyncObject };

        ok(pShareObjects(3, list, NULL, GENERIC_ALL, &h) == STATUS_INVALID_PARAMETER, "shared sync in a bundle\n");
    }
    CloseHandle(nt);
    CloseHandle(b.nt);
    destroy_keyed_mutex(b.km);
    destroy_sync(b.sync);
    destroy_resource(b.res.resource);
    destroy_sync(v2.hSyncObject);
    destroy_sync(fence.hSyncObject);
    destroy_sync(plain.hSyncObject);
}

START_TEST(xsync)
{
    char path[MAX_PATH];

    /* Both processes must see one system view (a private one per test run). */
    if (!child_mode())
    {
        char view[32];

        sprintf(view, "xsync-%lu", (unsigned long)GetCurrentProcessId());
        SetEnvironmentVariableA("WINE_D3DKMT_SYSTEM_VIEW", view);
    }
    if (!load_d3dkmt()) return;
    if (open_display1(&adapter, NULL) || create_device(adapter, &device))
    {
        skip("no adapter or device\n");
        return;
    }
    if (child_mode())
    {
        run_child(child_argv(2));
        destroy_device(device);
        close_adapter(adapter);
        return;
    }
    if (!pShareObjects || !pOpenSyncObjectFromNtHandle2 || !pOpenKeyedMutexFromNtHandle)
    {
        skip("NT sharing of sync objects is missing\n");
        return;
    }
    parent_pid = GetCurrentProcessId();
    test_win_facts();
    test_fence();
    test_global();
    test_pingpong(NULL);
    /* A 64-bit and a 32-bit process share the slots (fixed-width state). */
    if (other_arch_path(path, sizeof(path))) test_pingpong(path);
    else skip("no 32-bit build next to this one\n");
    test_abandon();
    destroy_device(device);
    close_adapter(adapter);
}
