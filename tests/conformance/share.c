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
 * Shared resources across processes (issue 12): the program starts copies
 * of itself as children.
 *
 *  - legacy global handle: the child opens it, content written by each side
 *    is read by the other; the global handle lives while the child holds it
 *    after the creator destroyed its resource, and dies with the child;
 *  - NT handle (DuplicateHandle into the child), and a named share opened by
 *    name in the child, case-insensitively; content both ways;
 *  - a read-only share: the opener's Lock memory is PAGE_READONLY;
 *  - the child killed while it holds an opened resource and a lock: the
 *    parent's view is intact;
 *  - a third process that guesses NT handle values, names and global values
 *    gets nothing;
 *  - names stop resolving when the last NT handle closes;
 *  - the [WIN] facts of spec B.5.1, B.5.3 and B.5.5.
 */
#include "d3dkmt_test.h"
#include "child_process.h"
#include <winternl.h>

#define SIZE (64 * 1024)
#define RUNTIME_SIZE 24

static D3DKMT_HANDLE adapter, device;
static DWORD parent_pid;
static NTSTATUS (WINAPI *pNtOpenSection)(HANDLE *, ACCESS_MASK, OBJECT_ATTRIBUTES *);

struct shared
{
    D3DKMT_HANDLE resource, alloc, global;
};

static NTSTATUS create_shared(UINT flags, struct shared *s)
{
    D3DKMT_WINE_ALLOCATION_DESC desc = make_desc(SIZE, D3DKMT_WINE_SEGMENT_GROUP_LOCAL, D3DKMT_WINE_ALLOC_FLAG_CPU_VISIBLE);
    D3DKMT_CREATEALLOCATION create;
    D3DDDI_ALLOCATIONINFO2 info;
    BYTE runtime[RUNTIME_SIZE];
    NTSTATUS status;
    UINT i;

    for (i = 0; i < sizeof(runtime); i++) runtime[i] = 0x40 + i;
    memset(&create, 0, sizeof(create));
    memset(&info, 0, sizeof(info));
    create.hDevice = device;
    create.NumAllocations = 1;
    create.pAllocationInfo2 = &info;
    memcpy(&create.Flags, &flags, sizeof(flags));
    create.pPrivateRuntimeData = runtime;
    create.PrivateRuntimeDataSize = sizeof(runtime);
    info.pPrivateDriverData = &desc;
    info.PrivateDriverDataSize = sizeof(desc);
    status = pCreateAllocation2(&create);
    s->resource = create.hResource;
    s->alloc = info.hAllocation;
    s->global = create.hGlobalShare;
    return status;
}

#define LEGACY 0x3   /* CreateResource | CreateShared */
#define NTSHARE 0x43 /* and NtSecuritySharing */

static NTSTATUS destroy_resource(D3DKMT_HANDLE dev, D3DKMT_HANDLE resource)
{
    D3DKMT_DESTROYALLOCATION desc;

    memset(&desc, 0, sizeof(desc));
    desc.hDevice = dev;
    desc.hResource = resource;
    return pDestroyAllocation(&desc);
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

/* Writes `seed`'s pattern through a Lock. */
static BOOL write_pattern(D3DKMT_HANDLE dev, D3DKMT_HANDLE alloc, UINT seed)
{
    UINT *p, i;

    if (lock_alloc(dev, alloc, 0, (void **)&p)) return FALSE;
    for (i = 0; i < SIZE / 4; i++) p[i] = seed * 0x9e3779b1u + i;
    return !unlock_alloc(dev, alloc);
}

static BOOL check_pattern(D3DKMT_HANDLE dev, D3DKMT_HANDLE alloc, UINT seed)
{
    UINT *p, i, bad = 0;

    if (lock_alloc(dev, alloc, 0, (void **)&p)) return FALSE;
    for (i = 0; i < SIZE / 4; i++) bad += p[i] != seed * 0x9e3779b1u + i;
    unlock_alloc(dev, alloc);
    return !bad;
}

struct opened
{
    D3DKMT_OPENRESOURCEFROMNTHANDLE desc;
    D3DDDI_OPENALLOCATIONINFO2 info;
    BYTE runtime[RUNTIME_SIZE + 1], total[0x1000], mutex_data[8];
};

static void init_nt_open(struct opened *o, D3DKMT_HANDLE dev, HANDLE handle)
{
    memset(o, 0, sizeof(*o));
    o->desc.hDevice = dev;
    o->desc.hNtHandle = handle;
    o->desc.NumAllocations = 1;
    o->desc.pOpenAllocationInfo2 = &o->info;
    o->desc.pPrivateRuntimeData = o->runtime;
    o->desc.PrivateRuntimeDataSize = RUNTIME_SIZE;
    o->desc.pTotalPrivateDriverDataBuffer = o->total;
    o->desc.TotalPrivateDriverDataBufferSize = sizeof(o->total);
}

static NTSTATUS open_nt(struct opened *o, D3DKMT_HANDLE dev, HANDLE handle)
{
    init_nt_open(o, dev, handle);
    return pOpenResourceFromNtHandle(&o->desc);
}

static NTSTATUS open_legacy(D3DKMT_HANDLE dev, D3DKMT_HANDLE global, D3DKMT_HANDLE *resource, D3DKMT_HANDLE *alloc)
{
    D3DKMT_QUERYRESOURCEINFO query;
    D3DKMT_OPENRESOURCE desc;
    D3DDDI_OPENALLOCATIONINFO2 info;
    BYTE runtime[RUNTIME_SIZE], total[0x1000];
    NTSTATUS status;
    UINT i;

    memset(&query, 0, sizeof(query));
    query.hDevice = dev;
    query.hGlobalShare = global;
    if ((status = pQueryResourceInfo(&query))) return status;
    if (query.PrivateRuntimeDataSize != RUNTIME_SIZE || query.NumAllocations != 1) return STATUS_UNSUCCESSFUL;
    memset(&desc, 0, sizeof(desc));
    memset(&info, 0, sizeof(info));
    desc.hDevice = dev;
    desc.hGlobalShare = global;
    desc.NumAllocations = 1;
    desc.pOpenAllocationInfo2 = &info;
    desc.pPrivateRuntimeData = runtime;
    desc.PrivateRuntimeDataSize = RUNTIME_SIZE;
    desc.pTotalPrivateDriverDataBuffer = total;
    desc.TotalPrivateDriverDataBufferSize = sizeof(total);
    if ((status = pOpenResource2(&desc))) return status;
    for (i = 0; i < RUNTIME_SIZE; i++) if (runtime[i] != 0x40 + i) return STATUS_UNSUCCESSFUL;
    *resource = desc.hResource;
    *alloc = info.hAllocation;
    return STATUS_SUCCESS;
}

static void init_name(UNICODE_STRING *str, const WCHAR *name)
{
    str->Buffer = (WCHAR *)name;
    str->Length = wcslen(name) * sizeof(WCHAR);
    str->MaximumLength = str->Length + sizeof(WCHAR);
}

static NTSTATUS share(D3DKMT_HANDLE resource, const WCHAR *name, DWORD access, HANDLE *out)
{
    OBJECT_ATTRIBUTES attr;
    UNICODE_STRING str;

    if (!name) return pShareObjects(1, &resource, NULL, access, out);
    init_name(&str, name);
    InitializeObjectAttributes(&attr, &str, 0, NULL, NULL);
    return pShareObjects(1, &resource, &attr, access, out);
}

static NTSTATUS open_name(const WCHAR *name, DWORD access, HANDLE *out)
{
    D3DKMT_OPENNTHANDLEFROMNAME desc;
    OBJECT_ATTRIBUTES attr;
    UNICODE_STRING str;
    NTSTATUS status;

    init_name(&str, name);
    InitializeObjectAttributes(&attr, &str, 0, NULL, NULL);
    memset(&desc, 0, sizeof(desc));
    desc.dwDesiredAccess = access;
    desc.pObjAttrib = &attr;
    status = pOpenNtHandleFromName(&desc);
    *out = desc.hNtHandle;
    return status;
}

static void share_name(WCHAR *buf, size_t len, const char *what, DWORD pid)
{
    char name[128];

    snprintf(name, sizeof(name), "\\BaseNamedObjects\\d3dkmt-share-%lu-%s", (unsigned long)pid, what);
    MultiByteToWideChar(CP_ACP, 0, name, -1, buf, len);
}

static ULONG_PTR get_value(void)
{
    return get_child_value(parent_pid);
}

/* ---- the child ---- */

static HANDLE child_ev(const char *what)
{
    return child_event(parent_pid, what);
}

/* Opens (legacy global or NT handle or name), checks the parent's pattern,
 * writes its own, tells the parent, waits to be told to go. */
static void child_open_rw(const char *how, const char *arg)
{
    HANDLE written = child_ev("written"), go = child_ev("go");
    D3DKMT_HANDLE resource = 0, alloc = 0;
    struct opened o;
    HANDLE handle = NULL;
    NTSTATUS status;

    if (!strcmp(how, "global"))
    {
        status = open_legacy(device, (D3DKMT_HANDLE)strtoul(arg, NULL, 0), &resource, &alloc);
        ok(!status, "child: legacy open: %#lx\n", status);
    }
    else
    {
        if (!strcmp(how, "name"))
        {
            WCHAR name[128];
            UINT i;

            share_name(name, ARRAY_SIZE(name), "named", parent_pid);
            for (i = 0; name[i]; i++) name[i] = towupper(name[i]);   /* [WIN] case-insensitive */
            status = open_name(name, STANDARD_RIGHTS_READ | SHARED_ALLOCATION_WRITE, &handle);
            ok(!status, "child: OpenNtHandleFromName: %#lx\n", status);
        }
        else handle = (HANDLE)get_value();
        status = open_nt(&o, device, handle);
        ok(!status, "child: OpenResourceFromNtHandle: %#lx\n", status);
        resource = o.desc.hResource;
        alloc = o.info.hAllocation;
        if (!strcmp(how, "name")) CloseHandle(handle);
    }
    ok(check_pattern(device, alloc, 1), "child: the parent's content is not there\n");
    ok(write_pattern(device, alloc, 2), "child: write failed\n");
    SetEvent(written);
    ok(wait_event(go, 20000), "child: no go\n");
    ok(check_pattern(device, alloc, 3), "child: the parent's second write is not there\n");
    ok(!destroy_resource(device, resource), "child: destroy\n");
}

/* Opens by NT handle, locks, and waits to be killed. */
static void child_hold(void)
{
    HANDLE ready = child_ev("ready");
    struct opened o;
    UINT *p = NULL;
    NTSTATUS status;

    status = open_nt(&o, device, (HANDLE)get_value());
    ok(!status, "child: open: %#lx\n", status);
    ok(!lock_alloc(device, o.info.hAllocation, 0, (void **)&p), "child: lock\n");
    if (p) p[0] = 0x1234;
    SetEvent(ready);
    Sleep(30000);
}

/* Holds a legacy-opened resource until told to go. */
static void child_hold_global(const char *arg)
{
    HANDLE ready = child_ev("ready"), go = child_ev("go");
    D3DKMT_HANDLE resource, alloc;
    NTSTATUS status;

    status = open_legacy(device, (D3DKMT_HANDLE)strtoul(arg, NULL, 0), &resource, &alloc);
    ok(!status, "child: legacy open: %#lx\n", status);
    SetEvent(ready);
    ok(wait_event(go, 20000), "child: no go\n");
}

/* A process given nothing: guesses. */
static void child_guess(void)
{
    D3DKMT_QUERYRESOURCEINFOFROMNTHANDLE q;
    D3DKMT_QUERYRESOURCEINFO gq;
    struct opened o;
    WCHAR name[128];
    HANDLE h;
    UINT i, found = 0;

    /* Handle values: whatever this process holds is not a share of ours. */
    for (i = 4; i < 0x2000; i += 4)
    {
        memset(&q, 0, sizeof(q));
        q.hDevice = device;
        q.hNtHandle = (HANDLE)(ULONG_PTR)i;
        if (!pQueryResourceInfoFromNtHandle(&q)) found++;
        if (!open_nt(&o, device, (HANDLE)(ULONG_PTR)i)) found++;
        if (pOpenSyncObjectFromNtHandle)
        {
            D3DKMT_OPENSYNCOBJECTFROMNTHANDLE so;
            D3DKMT_OPENKEYEDMUTEXFROMNTHANDLE ko;

            memset(&so, 0, sizeof(so));
            memset(&ko, 0, sizeof(ko));
            so.hNtHandle = ko.hNtHandle = (HANDLE)(ULONG_PTR)i;

            if (!pOpenSyncObjectFromNtHandle(&so)) found++;
            if (!pOpenKeyedMutexFromNtHandle(&ko)) found++;
        }
    }
    ok(!found, "child: %u guessed handle values opened\n", found);
    /* Names: other names than the one the parent made. */
    for (i = 0; i < 64; i++)
    {
        char what[16];

        sprintf(what, "%u", i);
        share_name(name, ARRAY_SIZE(name), what, parent_pid);
        ok(open_name(name, GENERIC_ALL, &h) == STATUS_OBJECT_NAME_NOT_FOUND, "child: name %u resolved\n", i);
        if (pOpenSyncObjectNtHandleFromName)
        {
            D3DKMT_OPENSYNCOBJECTNTHANDLEFROMNAME byname;
            OBJECT_ATTRIBUTES attr;
            UNICODE_STRING str;

            init_name(&str, name);
            InitializeObjectAttributes(&attr, &str, 0, NULL, NULL);
            memset(&byname, 0, sizeof(byname));
            byname.dwDesiredAccess = GENERIC_ALL;
            byname.pObjAttrib = &attr;
            ok(pOpenSyncObjectNtHandleFromName(&byname) == STATUS_OBJECT_NAME_NOT_FOUND, "child: sync name %u\n", i);
        }
    }
    /* Global-handle values: the parent's NT shares have none (no legacy share is live now). */
    found = 0;
    for (i = 1; i < 0x4000; i++)
    {
        memset(&gq, 0, sizeof(gq));
        gq.hDevice = device;
        gq.hGlobalShare = 0xc0000000 | (i << 6) | 2;
        if (!pQueryResourceInfo(&gq)) found++;
        /* The parent's NT sync object and keyed mutex have no global value either. */
        if (!(i % 4))
        {
            D3DKMT_OPENSYNCHRONIZATIONOBJECT so;
            D3DKMT_OPENKEYEDMUTEX ko;

            memset(&so, 0, sizeof(so));
            so.hSharedHandle = gq.hGlobalShare;
            if (!pOpenSynchronizationObject(&so)) found++;
            memset(&ko, 0, sizeof(ko));
            ko.hSharedHandle = gq.hGlobalShare;
            if (!pOpenKeyedMutex(&ko)) found++;
        }
    }
    ok(!found, "child: %u guessed global values answered\n", found);
}

static void run_child(const char *what)
{
    /* "global"/"holdglobal" get the value first, the others only the parent's id. */
    parent_pid = strtoul(child_argv(strstr(what, "global") ? 4 : 3), NULL, 0);
    if (!strcmp(what, "global")) child_open_rw("global", child_argv(3));
    else if (!strcmp(what, "nt")) child_open_rw("nt", NULL);
    else if (!strcmp(what, "name")) child_open_rw("name", NULL);
    else if (!strcmp(what, "hold")) child_hold();
    else if (!strcmp(what, "holdglobal")) child_hold_global(child_argv(3));
    else if (!strcmp(what, "guess")) child_guess();
    else ok(0, "unknown child %s\n", what);
}

/* ---- the parent ---- */

static BOOL start(const char *fmt_args, PROCESS_INFORMATION *pi)
{
    BOOL ret = start_child(fmt_args, 0, pi);
    ok(ret, "CreateProcess failed: %lu\n", GetLastError());
    return ret;
}

/* The child checks pattern 1, writes 2; the parent checks 2, writes 3. */
static void exchange(D3DKMT_HANDLE alloc, PROCESS_INFORMATION *pi, HANDLE written, HANDLE go)
{
    ok(wait_event(written, 20000), "the child did not write\n");
    ok(check_pattern(device, alloc, 2), "the child's content is not there\n");
    ok(write_pattern(device, alloc, 3), "second write\n");
    SetEvent(go);
    ok(wait_child(pi, 20000) == 0, "the child failed\n");
}

static void test_global(void)
{
    HANDLE written = child_event(parent_pid, "written"), go = child_event(parent_pid, "go");
    HANDLE ready = child_event(parent_pid, "ready");
    D3DKMT_QUERYRESOURCEINFO query;
    PROCESS_INFORMATION pi;
    struct shared s;
    char args[64];
    NTSTATUS status;

    status = create_shared(LEGACY, &s);
    ok(!status && (s.global & 0x3f) == 2, "create: %#lx, global %#x\n", status, s.global);
    ok(write_pattern(device, s.alloc, 1), "write\n");
    sprintf(args, "global %#x %lu", s.global, (unsigned long)parent_pid);
    if (start(args, &pi)) exchange(s.alloc, &pi, written, go);

    /* The global handle lives while another process holds the resource... */
    sprintf(args, "holdglobal %#x %lu", s.global, (unsigned long)parent_pid);
    if (start(args, &pi))
    {
        ok(wait_event(ready, 20000), "the child did not open\n");
        ok(!destroy_resource(device, s.resource), "destroy\n");
        memset(&query, 0, sizeof(query));
        query.hDevice = device;
        query.hGlobalShare = s.global;
        status = pQueryResourceInfo(&query);
        ok(!status && query.NumAllocations == 1, "held by the child: %#lx\n", status);
        SetEvent(go);
        ok(wait_child(&pi, 20000) == 0, "the child failed\n");
        /* ...and dies with the last local reference anywhere. */
        status = pQueryResourceInfo(&query);
        ok(status == STATUS_INVALID_PARAMETER, "after the last reference: %#lx\n", status);
    }
    /* Also when the last holder is killed. */
    ok(!create_shared(LEGACY, &s), "create\n");
    sprintf(args, "holdglobal %#x %lu", s.global, (unsigned long)parent_pid);
    if (start(args, &pi))
    {
        ok(wait_event(ready, 20000), "the child did not open\n");
        ok(!destroy_resource(device, s.resource), "destroy\n");
        memset(&query, 0, sizeof(query));
        query.hDevice = device;
        query.hGlobalShare = s.global;
        ok(!pQueryResourceInfo(&query), "held by the child\n");
        kill_child(&pi);
        status = pQueryResourceInfo(&query);
        ok(status == STATUS_INVALID_PARAMETER, "after the holder was killed: %#lx\n", status);
    }
    CloseHandle(written);
    CloseHandle(go);
    CloseHandle(ready);
}

/* Starts a child (this program, or exe) and gives it our NT handle h
 * (DuplicateHandle into it). */
static BOOL start_with_handle_exe(const char *exe, const char *what, HANDLE h, PROCESS_INFORMATION *pi, HANDLE *map)
{
    char args[64];
    HANDLE child_h;

    sprintf(args, "%s %lu", what, (unsigned long)parent_pid);
    if (!start_exe(exe, args, CREATE_SUSPENDED, pi))
    {
        ok(0, "CreateProcess failed: %lu\n", GetLastError());
        return FALSE;
    }
    child_h = h ? handle_for_child(pi, h) : NULL;
    ok(!h || child_h != NULL, "DuplicateHandle: %lu\n", GetLastError());
    *map = post_child_value(parent_pid, (ULONG_PTR)child_h);
    ResumeThread(pi->hThread);
    return TRUE;
}

static BOOL start_with_handle(const char *what, HANDLE h, PROCESS_INFORMATION *pi, HANDLE *map)
{
    return start_with_handle_exe(NULL, what, h, pi, map);
}

/* A 64-bit creator and a 32-bit opener share the same pages (the share
 * file's layout is the same for both). */
static void test_mixed_arch(void)
{
    HANDLE written = child_event(parent_pid, "written"), go = child_event(parent_pid, "go");
    PROCESS_INFORMATION pi;
    struct shared s, nt;
    char exe[MAX_PATH], args[64];
    HANDLE h, map;

    if (!other_arch_path(exe, sizeof(exe)))
    {
        skip("no 32-bit build of this test next to it (%s)\n", exe);
        return;
    }
    ok(!create_shared(LEGACY, &s), "create\n");
    ok(write_pattern(device, s.alloc, 1), "write\n");
    sprintf(args, "global %#x %lu", s.global, (unsigned long)parent_pid);
    if (start_exe(exe, args, 0, &pi)) exchange(s.alloc, &pi, written, go);
    else ok(0, "CreateProcess %s: %lu\n", exe, GetLastError());
    ok(!destroy_resource(device, s.resource), "destroy\n");

    ok(!create_shared(NTSHARE, &nt), "create\n");
    ok(!share(nt.resource, NULL, STANDARD_RIGHTS_READ | SHARED_ALLOCATION_WRITE, &h), "share\n");
    ok(write_pattern(device, nt.alloc, 1), "write\n");
    if (start_with_handle_exe(exe, "nt", h, &pi, &map))
    {
        exchange(nt.alloc, &pi, written, go);
        CloseHandle(map);
    }
    CloseHandle(h);
    ok(!destroy_resource(device, nt.resource), "destroy\n");
    CloseHandle(written);
    CloseHandle(go);
}

static void test_nt(void)
{
    HANDLE written = child_event(parent_pid, "written"), go = child_event(parent_pid, "go");
    HANDLE ready = child_event(parent_pid, "ready");
    PROCESS_INFORMATION pi;
    struct shared s;
    struct opened o;
    HANDLE h, named, byname, map;
    WCHAR name[128];
    NTSTATUS status;
    UINT *p;

    status = create_shared(NTSHARE, &s);
    ok(!status && !s.global, "create: %#lx, global %#x\n", status, s.global);
    status = share(s.resource, NULL, STANDARD_RIGHTS_READ | SHARED_ALLOCATION_WRITE, &h);
    ok(!status && h, "ShareObjects: %#lx\n", status);

    /* By NT handle, duplicated into the child. */
    ok(write_pattern(device, s.alloc, 1), "write\n");
    if (start_with_handle("nt", h, &pi, &map))
    {
        exchange(s.alloc, &pi, written, go);
        CloseHandle(map);
    }

    /* By name, opened by name in the child. */
    share_name(name, ARRAY_SIZE(name), "named", parent_pid);
    status = share(s.resource, name, STANDARD_RIGHTS_READ | SHARED_ALLOCATION_WRITE, &named);
    ok(!status && named, "named ShareObjects: %#lx\n", status);
    ok(write_pattern(device, s.alloc, 1), "write\n");
    if (start_with_handle("name", NULL, &pi, &map))
    {
        exchange(s.alloc, &pi, written, go);
        CloseHandle(map);
    }

    /* The child killed while it holds the opened resource and a lock. */
    ok(write_pattern(device, s.alloc, 5), "write\n");
    if (start_with_handle("hold", h, &pi, &map))
    {
        ok(wait_event(ready, 20000), "the child did not lock\n");
        kill_child(&pi);
        CloseHandle(map);
        ok(!lock_alloc(device, s.alloc, 0, (void **)&p), "lock after the kill\n");
        ok(p && p[0] == 0x1234 && p[1] == 5 * 0x9e3779b1u + 1, "content after the kill: %#x %#x\n", p ? p[0] : 0,
           p ? p[1] : 0);
        unlock_alloc(device, s.alloc);
        ok(write_pattern(device, s.alloc, 6) && check_pattern(device, s.alloc, 6), "writable after the kill\n");
    }

    /* Names stop resolving when the last NT handle of the name closes. */
    status = open_name(name, STANDARD_RIGHTS_READ, &byname);
    ok(!status, "by name: %#lx\n", status);
    CloseHandle(named);
    status = open_name(name, STANDARD_RIGHTS_READ, &named);
    ok(!status, "still one handle of the name: %#lx\n", status);
    CloseHandle(named);
    CloseHandle(byname);
    status = open_name(name, STANDARD_RIGHTS_READ, &named);
    ok(status == STATUS_OBJECT_NAME_NOT_FOUND, "after the last handle: %#lx\n", status);
    if (pNtOpenSection)
    {
        OBJECT_ATTRIBUTES attr;
        UNICODE_STRING str;

        init_name(&str, name);
        InitializeObjectAttributes(&attr, &str, OBJ_CASE_INSENSITIVE, NULL, NULL);
        status = pNtOpenSection(&named, SECTION_QUERY, &attr);
        ok(status == STATUS_OBJECT_NAME_NOT_FOUND, "NtOpenSection after the last handle: %#lx\n", status);
    }

    /* The NT handle keeps the resource alive after the creator destroyed it ([WIN] B.5.5). */
    ok(!destroy_resource(device, s.resource), "destroy\n");
    status = open_nt(&o, device, h);
    ok(!status, "open after the creator's destroy: %#lx\n", status);
    ok(check_pattern(device, o.info.hAllocation, 6), "content after the creator's destroy\n");
    ok(!destroy_resource(device, o.desc.hResource), "destroy opened\n");
    CloseHandle(h);
    CloseHandle(written);
    CloseHandle(go);
    CloseHandle(ready);
}

/* Without SHARED_ALLOCATION_WRITE the opener's Lock memory is read-only. */
static void test_read_only(void)
{
    MEMORY_BASIC_INFORMATION info;
    struct shared s;
    struct opened o;
    NTSTATUS status;
    HANDLE h;
    void *p;

    ok(!create_shared(NTSHARE, &s), "create\n");
    ok(write_pattern(device, s.alloc, 7), "write\n");
    status = share(s.resource, NULL, STANDARD_RIGHTS_READ, &h);
    ok(!status, "ShareObjects read-only: %#lx\n", status);
    status = open_nt(&o, device, h);
    ok(!status, "open read-only: %#lx\n", status);
    ok(check_pattern(device, o.info.hAllocation, 7), "read-only content\n");
    ok(!lock_alloc(device, o.info.hAllocation, 0, &p), "lock\n");
    ok(VirtualQuery(p, &info, sizeof(info)) && info.Protect == PAGE_READONLY, "protection %#lx\n", info.Protect);
    ok(IsBadWritePtr(p, 4), "the read-only view is writable\n");
    unlock_alloc(device, o.info.hAllocation);
    ok(!destroy_resource(device, o.desc.hResource), "destroy opened\n");
    CloseHandle(h);
    ok(!destroy_resource(device, s.resource), "destroy\n");
}

static void test_guess(void)
{
    PROCESS_INFORMATION pi;
    struct shared s;
    HANDLE h, named;
    WCHAR name[128];
    char args[64];

    D3DKMT_CREATESYNCHRONIZATIONOBJECT2 fence;
    D3DKMT_CREATEKEYEDMUTEX2 km;
    D3DKMT_HANDLE list[3];
    struct shared b;
    HANDLE bundle, fence_named;

    /* Shares the third process is not given: a resource, a bundle with a
     * keyed mutex and a fence, a fence alone by name. */
    ok(!create_shared(NTSHARE, &s), "create\n");
    ok(!share(s.resource, NULL, STANDARD_RIGHTS_READ | SHARED_ALLOCATION_WRITE, &h), "share\n");
    share_name(name, ARRAY_SIZE(name), "secret", parent_pid);
    ok(!share(s.resource, name, STANDARD_RIGHTS_READ | SHARED_ALLOCATION_WRITE, &named), "named share\n");
    ok(!create_shared(NTSHARE, &b), "create\n");
    memset(&km, 0, sizeof(km));
    km.Flags.NtSecuritySharing = 1;
    ok(!pCreateKeyedMutex2(&km), "keyed mutex\n");
    memset(&fence, 0, sizeof(fence));
    fence.hDevice = device;
    fence.Info.Type = D3DDDI_MONITORED_FENCE;
    fence.Info.Flags.Shared = fence.Info.Flags.NtSecuritySharing = 1;
    ok(!pCreateSynchronizationObject2(&fence), "fence\n");
    list[0] = b.resource;
    list[1] = km.hKeyedMutex;
    list[2] = fence.hSyncObject;
    ok(!pShareObjects(3, list, NULL, GENERIC_ALL, &bundle), "share bundle\n");
    memset(&fence, 0, sizeof(fence));
    fence.hDevice = device;
    fence.Info.Type = D3DDDI_MONITORED_FENCE;
    fence.Info.Flags.Shared = fence.Info.Flags.NtSecuritySharing = 1;
    ok(!pCreateSynchronizationObject2(&fence), "fence\n");
    {
        OBJECT_ATTRIBUTES attr;
        UNICODE_STRING str;

        share_name(name, ARRAY_SIZE(name), "secret-sync", parent_pid);
        init_name(&str, name);
        InitializeObjectAttributes(&attr, &str, 0, NULL, NULL);
        ok(!pShareObjects(1, &fence.hSyncObject, &attr, GENERIC_ALL, &fence_named), "share fence\n");
    }
    sprintf(args, "guess %lu", (unsigned long)parent_pid);
    if (start(args, &pi)) ok(wait_child(&pi, 60000) == 0, "the guessing child failed\n");
    CloseHandle(named);
    CloseHandle(h);
    CloseHandle(bundle);
    CloseHandle(fence_named);
    destroy_sync(fence.hSyncObject);
    destroy_sync(list[2]);
    destroy_keyed_mutex(km.hKeyedMutex);
    ok(!destroy_resource(device, b.resource), "destroy\n");
    ok(!destroy_resource(device, s.resource), "destroy\n");
}

/* Spec B.5.1, B.5.3, B.5.5 [WIN]. */
static void test_win_facts(void)
{
    D3DKMT_CREATESYNCHRONIZATIONOBJECT2 sync;
    D3DKMT_CREATEKEYEDMUTEX2 km;
    D3DKMT_QUERYRESOURCEINFOFROMNTHANDLE q;
    D3DKMT_OPENNTHANDLEFROMNAME byname;
    D3DKMT_HANDLE list[4];
    struct shared s, legacy, plain, bundled;
    struct opened o;
    WCHAR name[128];
    HANDLE h, h2;
    NTSTATUS status;
    BYTE junk[8];

    ok(!create_shared(NTSHARE, &s), "create\n");
    ok(!create_shared(LEGACY, &legacy), "create legacy\n");
    ok(!create_shared(0x1, &plain), "create plain\n");
    memset(&km, 0, sizeof(km));
    km.Flags.NtSecuritySharing = 1;
    ok(!pCreateKeyedMutex2(&km), "keyed mutex\n");
    memset(&sync, 0, sizeof(sync));
    sync.hDevice = device;
    sync.Info.Type = D3DDDI_MONITORED_FENCE;
    sync.Info.Flags.Shared = 1;
    sync.Info.Flags.NtSecuritySharing = 1;
    ok(!pCreateSynchronizationObject2(&sync), "sync object\n");

    h = (HANDLE)0xdead;
    ok(pShareObjects(1, &s.alloc, NULL, STANDARD_RIGHTS_READ, &h) == STATUS_INVALID_PARAMETER, "allocation handle\n");
    ok(pShareObjects(1, &legacy.resource, NULL, STANDARD_RIGHTS_READ, &h) == STATUS_INVALID_PARAMETER, "legacy\n");
    ok(pShareObjects(1, &plain.resource, NULL, STANDARD_RIGHTS_READ, &h) == STATUS_INVALID_PARAMETER, "unshared\n");
    ok(pShareObjects(1, &km.hKeyedMutex, NULL, STANDARD_RIGHTS_READ, &h) == STATUS_INVALID_PARAMETER, "mutex alone\n");
    ok(h == (HANDLE)0xdead, "handle written on failure\n");
    list[0] = list[1] = list[2] = s.resource;
    ok(pShareObjects(3, list, NULL, STANDARD_RIGHTS_READ, &h) == STATUS_INVALID_PARAMETER, "{res, res, res}\n");
    list[1] = km.hKeyedMutex;
    ok(pShareObjects(2, list, NULL, STANDARD_RIGHTS_READ, &h) == STATUS_INVALID_PARAMETER, "{res, mutex}\n");
    list[1] = sync.hSyncObject;
    ok(pShareObjects(2, list, NULL, STANDARD_RIGHTS_READ, &h) == STATUS_INVALID_PARAMETER, "{res, sync}\n");
    list[0] = km.hKeyedMutex;
    ok(pShareObjects(2, list, NULL, STANDARD_RIGHTS_READ, &h) == STATUS_INVALID_PARAMETER, "{mutex, sync}\n");
    list[0] = s.resource;
    list[1] = sync.hSyncObject;
    list[2] = km.hKeyedMutex;
    ok(pShareObjects(3, list, NULL, STANDARD_RIGHTS_READ, &h) == STATUS_INVALID_PARAMETER, "{res, sync, mutex}\n");
    list[1] = km.hKeyedMutex;
    list[2] = sync.hSyncObject;
    list[3] = s.resource;
    ok(pShareObjects(4, list, NULL, STANDARD_RIGHTS_READ, &h) == STATUS_INVALID_PARAMETER, "4 objects\n");

    /* {res, mutex, sync}: a resource share that carries the other two.  A
     * resource of its own: once bundled, every NT handle of a resource
     * carries them (a limit: one share file per resource). */
    ok(!create_shared(NTSHARE, &bundled), "create\n");
    list[0] = bundled.resource;
    status = pShareObjects(3, list, NULL, STANDARD_RIGHTS_READ | SHARED_ALLOCATION_WRITE, &h);
    ok(!status, "{res, mutex, sync}: %#lx\n", status);
    init_nt_open(&o, device, h);
    o.desc.pKeyedMutexPrivateRuntimeData = o.mutex_data;
    o.desc.KeyedMutexPrivateRuntimeDataSize = sizeof(o.mutex_data);
    status = pOpenResourceFromNtHandle(&o.desc);
    ok(!status && o.desc.hResource, "open bundle: %#lx\n", status);
    ok(o.desc.hKeyedMutex && o.desc.hSyncObject, "bundle handles %#x %#x\n", o.desc.hKeyedMutex, o.desc.hSyncObject);
    ok(o.desc.KeyedMutexPrivateRuntimeDataSize == sizeof(o.mutex_data), "mutex data size %u\n",
       o.desc.KeyedMutexPrivateRuntimeDataSize);
    destroy_resource(device, o.desc.hResource);
    destroy_sync(o.desc.hSyncObject);
    destroy_keyed_mutex(o.desc.hKeyedMutex);
    /* Choice: a sync object that lives in a bundle is not shared alone too. */
    h2 = (HANDLE)0xdead;
    ok(pShareObjects(1, &sync.hSyncObject, NULL, STANDARD_RIGHTS_READ, &h2) == STATUS_INVALID_PARAMETER,
       "bundled sync object alone\n");
    CloseHandle(h);
    destroy_resource(device, bundled.resource);

    ok(!share(s.resource, NULL, STANDARD_RIGHTS_READ | SHARED_ALLOCATION_WRITE, &h), "share\n");
    /* B.5.3: garbage outputs come back right; a buffer with size 0 is not written. */
    memset(&q, 0xcc, sizeof(q));
    memset(junk, 0xcc, sizeof(junk));
    q.hDevice = device;
    q.hNtHandle = h;
    q.pPrivateRuntimeData = junk;
    q.PrivateRuntimeDataSize = 0;
    status = pQueryResourceInfoFromNtHandle(&q);
    ok(!status && q.PrivateRuntimeDataSize == RUNTIME_SIZE && q.NumAllocations == 1 && q.TotalPrivateDriverDataSize
       && !q.ResourcePrivateDriverDataSize, "query: %#lx %u %u %u\n", status, q.PrivateRuntimeDataSize,
       q.NumAllocations, q.TotalPrivateDriverDataSize);
    ok(junk[0] == 0xcc, "runtime data copied\n");

    /* B.5.5 buffer rules. */
    init_nt_open(&o, device, h);
    o.desc.NumAllocations = 0;
    ok(pOpenResourceFromNtHandle(&o.desc) == STATUS_INVALID_PARAMETER, "0 allocations\n");
    init_nt_open(&o, device, h);
    o.desc.pOpenAllocationInfo2 = NULL;
    ok(pOpenResourceFromNtHandle(&o.desc) == STATUS_INVALID_PARAMETER, "NULL infos\n");
    init_nt_open(&o, device, h);
    o.desc.PrivateRuntimeDataSize++;
    ok(pOpenResourceFromNtHandle(&o.desc) == STATUS_INVALID_PARAMETER, "runtime size + 1\n");
    init_nt_open(&o, device, h);
    o.desc.pPrivateRuntimeData = NULL;
    ok(pOpenResourceFromNtHandle(&o.desc) == STATUS_INVALID_PARAMETER, "NULL runtime data\n");
    init_nt_open(&o, device, h);
    o.desc.pTotalPrivateDriverDataBuffer = NULL;
    ok(pOpenResourceFromNtHandle(&o.desc) == STATUS_INVALID_PARAMETER, "NULL total\n");
    init_nt_open(&o, device, h);
    o.desc.TotalPrivateDriverDataBufferSize = q.TotalPrivateDriverDataSize - 1;
    ok(pOpenResourceFromNtHandle(&o.desc) == STATUS_NO_MEMORY, "total one byte short\n");
    init_nt_open(&o, device, h);
    o.desc.hKeyedMutex = o.desc.hSyncObject = 0xdead;
    status = pOpenResourceFromNtHandle(&o.desc);
    ok(!status && !o.desc.hKeyedMutex && !o.desc.hSyncObject && !o.desc.KeyedMutexPrivateRuntimeDataSize
       && o.desc.TotalPrivateDriverDataBufferSize == q.TotalPrivateDriverDataSize && o.info.hAllocation,
       "open: %#lx %#x %#x\n", status, o.desc.hKeyedMutex, o.desc.hSyncObject);
    ok(!memcmp(o.runtime, "\x40\x41\x42\x43", 4), "runtime data\n");
    destroy_resource(device, o.desc.hResource);
    /* An NT handle of another object type. */
    h2 = CreateEventA(NULL, FALSE, FALSE, NULL);
    ok(open_nt(&o, device, h2) == STATUS_INVALID_PARAMETER, "event handle\n");
    CloseHandle(h2);
    CloseHandle(h);

    /* OpenNtHandleFromName. */
    memset(&byname, 0, sizeof(byname));
    ok(pOpenNtHandleFromName(&byname) == STATUS_INVALID_PARAMETER, "zeroed\n");
    share_name(name, ARRAY_SIZE(name), "facts", parent_pid);
    ok(open_name(name, GENERIC_ALL, &h2) == STATUS_OBJECT_NAME_NOT_FOUND, "unknown name\n");
    ok(!share(s.resource, name, STANDARD_RIGHTS_READ, &h), "named share\n");
    ok(open_name(name, 0, &h2) == STATUS_ACCESS_DENIED, "access 0\n");
    status = open_name(name, GENERIC_ALL, &h2);
    ok(!status, "GENERIC_ALL: %#lx\n", status);
    if (!status) CloseHandle(h2);
    CloseHandle(h);

    /* Residency is bookkeeping: the content stays, in both processes' views. */
    {
        D3DKMT_CREATEPAGINGQUEUE pq;
        D3DKMT_DESTROYPAGINGQUEUE dq;
        D3DDDI_MAKERESIDENT mr;
        D3DKMT_EVICT ev;
        D3DKMT_OFFERALLOCATIONS offer;
        D3DKMT_RECLAIMALLOCATIONS reclaim;
        BOOL discarded = TRUE;

        ok(write_pattern(device, s.alloc, 9), "write\n");
        memset(&pq, 0, sizeof(pq));
        pq.hDevice = device;
        ok(!pCreatePagingQueue(&pq), "CreatePagingQueue\n");
        memset(&mr, 0, sizeof(mr));
        mr.hPagingQueue = pq.hPagingQueue;
        mr.NumAllocations = 1;
        mr.AllocationList = &s.alloc;
        status = pMakeResident(&mr);
        ok(!status || status == STATUS_PENDING, "MakeResident: %#lx\n", status);
        memset(&ev, 0, sizeof(ev));
        ev.hDevice = device;
        ev.NumAllocations = 1;
        ev.AllocationList = &s.alloc;
        ok(!pEvict(&ev), "Evict\n");
        ok(check_pattern(device, s.alloc, 9), "content after evict\n");
        memset(&offer, 0, sizeof(offer));
        offer.hDevice = device;
        offer.HandleList = &s.alloc;
        offer.NumAllocations = 1;
        offer.Priority = D3DKMT_OFFER_PRIORITY_LOW;
        ok(!pOfferAllocations(&offer), "Offer\n");
        memset(&reclaim, 0, sizeof(reclaim));
        reclaim.hDevice = device;
        reclaim.HandleList = &s.alloc;
        reclaim.pDiscarded = &discarded;
        reclaim.NumAllocations = 1;
        ok(!pReclaimAllocations(&reclaim) && !discarded, "Reclaim, discarded %d\n", discarded);
        ok(check_pattern(device, s.alloc, 9), "content after offer and reclaim\n");
        memset(&dq, 0, sizeof(dq));
        dq.hPagingQueue = pq.hPagingQueue;
        ok(!pDestroyPagingQueue(&dq), "DestroyPagingQueue\n");
    }

    pDestroyKeyedMutex(&(D3DKMT_DESTROYKEYEDMUTEX){ km.hKeyedMutex });
    pDestroySynchronizationObject(&(D3DKMT_DESTROYSYNCHRONIZATIONOBJECT){ sync.hSyncObject });
    ok(!destroy_resource(device, s.resource), "destroy\n");
    ok(!destroy_resource(device, legacy.resource), "destroy legacy\n");
    ok(!destroy_resource(device, plain.resource), "destroy plain\n");
}

START_TEST(share)
{
    /* Global names are per system view under test control: one for both processes. */
    if (!child_mode())
    {
        char view[32];

        sprintf(view, "share-%lu", (unsigned long)GetCurrentProcessId());
        SetEnvironmentVariableA("WINE_D3DKMT_SYSTEM_VIEW", view);
    }
    if (!load_d3dkmt()) return;
    if (open_display1(&adapter, NULL) || create_device(adapter, &device))
    {
        skip("no adapter or device\n");
        return;
    }
    pNtOpenSection = (void *)GetProcAddress(GetModuleHandleA("ntdll.dll"), "NtOpenSection");
    if (child_mode())
    {
        run_child(child_argv(2));
        destroy_device(device);
        close_adapter(adapter);
        return;
    }
    if (!pShareObjects || !pOpenResourceFromNtHandle || !pOpenNtHandleFromName || !pQueryResourceInfoFromNtHandle)
    {
        skip("NT sharing is missing\n");
        return;
    }
    parent_pid = GetCurrentProcessId();
    test_global();
    test_nt();
    test_mixed_arch();
    test_read_only();
    test_guess();
    test_win_facts();
    destroy_device(device);
    close_adapter(adapter);
}
