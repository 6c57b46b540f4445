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
 * Conformance: two threads hand a shared allocation back and forth, 10,000
 * rounds over a keyed mutex (the key says whose turn it is, the fence value
 * which round) and 10,000 over a pair of monitored fences (blocking waits
 * and event waits in turn).  The producer writes the round into the whole
 * allocation, the consumer checks all of it: a handoff that let both in at
 * once, or lost a wake-up, shows as a wrong word or a hang.  Then a thread
 * blocked in a wait is woken by destroy (fence: STATUS_INVALID_HANDLE, the
 * module's choice) and by abandonment (keyed mutex: STATUS_ABANDONED [WIN]).
 */
#include "d3dkmt_test.h"

#define ROUNDS 10000
#define SIZE (64 * 1024)

static D3DKMT_HANDLE adapter, device, shared_alloc;

static void write_round(UINT round)
{
    UINT *p, i;

    if (lock_alloc(device, shared_alloc, 0, (void **)&p)) return;
    for (i = 0; i < SIZE / 4; i++) p[i] = round ^ i;
    unlock_alloc(device, shared_alloc);
}

static BOOL check_round(UINT round)
{
    UINT *p, i;
    BOOL good = TRUE;

    if (lock_alloc(device, shared_alloc, 0, (void **)&p)) return FALSE;
    for (i = 0; i < SIZE / 4 && good; i++) good = p[i] == (round ^ i);
    unlock_alloc(device, shared_alloc);
    return good;
}

/* ---- keyed mutex: key 0 = producer's turn, key 1 = consumer's ---- */

static NTSTATUS acquire(D3DKMT_HANDLE km, UINT64 key, UINT64 *fence)
{
    D3DKMT_ACQUIREKEYEDMUTEX a;
    NTSTATUS status;

    memset(&a, 0, sizeof(a));
    a.hKeyedMutex = km;
    a.Key = key;
    status = pAcquireKeyedMutex(&a);
    *fence = a.FenceValue;
    return status;
}

static NTSTATUS release(D3DKMT_HANDLE km, UINT64 key, UINT64 fence)
{
    D3DKMT_RELEASEKEYEDMUTEX r;

    memset(&r, 0, sizeof(r));
    r.hKeyedMutex = km;
    r.Key = key;
    r.FenceValue = fence;
    return pReleaseKeyedMutex(&r);
}

struct km_consumer
{
    D3DKMT_HANDLE km;
    UINT bad_status, bad_fence, bad_content;
};

static DWORD WINAPI km_consumer_proc(void *arg)
{
    struct km_consumer *c = arg;
    UINT64 fence;
    UINT round;

    for (round = 1; round <= ROUNDS; round++)
    {
        if (acquire(c->km, 1, &fence)) { c->bad_status++; break; }
        if (fence != round) c->bad_fence++;
        if (!check_round(round)) c->bad_content++;
        if (release(c->km, 0, 0)) { c->bad_status++; break; }
    }
    return 0;
}

static void test_keyed_mutex_handoff(void)
{
    struct km_consumer c = {0};
    D3DKMT_CREATEKEYEDMUTEX create;
    D3DKMT_OPENKEYEDMUTEX open;
    D3DKMT_DESTROYKEYEDMUTEX destroy;
    UINT round, bad = 0;
    HANDLE thread;
    UINT64 fence;

    memset(&create, 0, sizeof(create));
    ok(!pCreateKeyedMutex(&create), "create\n");
    memset(&open, 0, sizeof(open));
    open.hSharedHandle = create.hSharedHandle;
    ok(!pOpenKeyedMutex(&open), "open\n");
    c.km = open.hKeyedMutex;
    thread = CreateThread(NULL, 0, km_consumer_proc, &c, 0, NULL);
    for (round = 1; round <= ROUNDS; round++)
    {
        if (acquire(create.hKeyedMutex, 0, &fence)) { bad++; break; }
        write_round(round);
        if (release(create.hKeyedMutex, 1, round)) { bad++; break; }
    }
    WaitForSingleObject(thread, INFINITE);
    CloseHandle(thread);
    ok(!bad && !c.bad_status, "statuses: producer %u, consumer %u bad\n", bad, c.bad_status);
    ok(!c.bad_fence, "%u rounds with the wrong fence value\n", c.bad_fence);
    ok(!c.bad_content, "%u rounds with the wrong content\n", c.bad_content);
    destroy.hKeyedMutex = open.hKeyedMutex;
    ok(!pDestroyKeyedMutex(&destroy), "destroy\n");
    destroy.hKeyedMutex = create.hKeyedMutex;
    ok(!pDestroyKeyedMutex(&destroy), "destroy\n");
}

/* ---- monitored fences: produced = rounds written, consumed = rounds checked ---- */

static NTSTATUS signal_fence(D3DKMT_HANDLE fence, UINT64 value)
{
    D3DKMT_SIGNALSYNCHRONIZATIONOBJECTFROMCPU s;

    memset(&s, 0, sizeof(s));
    s.hDevice = device;
    s.ObjectCount = 1;
    s.ObjectHandleArray = &fence;
    s.FenceValueArray = &value;
    return pSignalSynchronizationObjectFromCpu(&s);
}

static NTSTATUS wait_fence(D3DKMT_HANDLE fence, UINT64 value, HANDLE event)
{
    D3DKMT_WAITFORSYNCHRONIZATIONOBJECTFROMCPU w;
    NTSTATUS status;

    memset(&w, 0, sizeof(w));
    w.hDevice = device;
    w.ObjectCount = 1;
    w.ObjectHandleArray = &fence;
    w.FenceValueArray = &value;
    w.hAsyncEvent = event;
    status = pWaitForSynchronizationObjectFromCpu(&w);
    if (!status && event && WaitForSingleObject(event, 30000)) status = STATUS_TIMEOUT;
    return status;
}

struct fence_consumer
{
    D3DKMT_HANDLE produced, consumed;
    HANDLE event;
    UINT bad_status, bad_content;
};

static DWORD WINAPI fence_consumer_proc(void *arg)
{
    struct fence_consumer *c = arg;
    UINT round;

    for (round = 1; round <= ROUNDS; round++)
    {
        /* Blocking and event waits in turn. */
        if (wait_fence(c->produced, round, (round & 1) ? c->event : NULL)) { c->bad_status++; break; }
        if (!check_round(round)) c->bad_content++;
        if (signal_fence(c->consumed, round)) { c->bad_status++; break; }
    }
    return 0;
}

static D3DKMT_HANDLE make_fence(void)
{
    D3DKMT_CREATESYNCHRONIZATIONOBJECT2 c;

    memset(&c, 0, sizeof(c));
    c.hDevice = device;
    c.Info.Type = D3DDDI_MONITORED_FENCE;
    ok(!pCreateSynchronizationObject2(&c), "create fence\n");
    return c.hSyncObject;
}

static void destroy_fence(D3DKMT_HANDLE h)
{
    D3DKMT_DESTROYSYNCHRONIZATIONOBJECT d = { h };
    ok(!pDestroySynchronizationObject(&d), "destroy fence\n");
}

static void test_fence_handoff(void)
{
    struct fence_consumer c = {0};
    HANDLE thread, event = CreateEventW(NULL, FALSE, FALSE, NULL);
    UINT round, bad = 0;

    c.produced = make_fence();
    c.consumed = make_fence();
    c.event = CreateEventW(NULL, FALSE, FALSE, NULL);
    thread = CreateThread(NULL, 0, fence_consumer_proc, &c, 0, NULL);
    for (round = 1; round <= ROUNDS; round++)
    {
        if (wait_fence(c.consumed, round - 1, (round & 1) ? NULL : event)) { bad++; break; }
        write_round(round);
        if (signal_fence(c.produced, round)) { bad++; break; }
    }
    WaitForSingleObject(thread, INFINITE);
    CloseHandle(thread);
    ok(!bad && !c.bad_status, "statuses: producer %u, consumer %u bad\n", bad, c.bad_status);
    ok(!c.bad_content, "%u rounds with the wrong content\n", c.bad_content);
    destroy_fence(c.produced);
    destroy_fence(c.consumed);
    CloseHandle(c.event);
    CloseHandle(event);
}

/* ---- woken by destroy and by abandonment ---- */

struct blocked
{
    D3DKMT_HANDLE handle;
    NTSTATUS status;
};

static DWORD WINAPI blocked_fence_wait(void *arg)
{
    struct blocked *b = arg;
    b->status = wait_fence(b->handle, 1, NULL);
    return 0;
}

static DWORD WINAPI blocked_acquire(void *arg)
{
    struct blocked *b = arg;
    UINT64 fence;
    b->status = acquire(b->handle, 0, &fence);   /* no timeout */
    return 0;
}

static void test_woken(void)
{
    struct blocked b = { make_fence(), 0xdeadbeef };
    D3DKMT_CREATEKEYEDMUTEX create;
    D3DKMT_OPENKEYEDMUTEX open;
    D3DKMT_DESTROYKEYEDMUTEX destroy;
    HANDLE thread;
    UINT64 fence;

    thread = CreateThread(NULL, 0, blocked_fence_wait, &b, 0, NULL);
    ok(WaitForSingleObject(thread, 100) == WAIT_TIMEOUT, "fence wait returned early\n");
    destroy_fence(b.handle);
    ok(!WaitForSingleObject(thread, 30000), "fence wait still blocked after destroy\n");
    ok(b.status == STATUS_INVALID_HANDLE, "fence wait after destroy: %#lx\n", b.status);
    CloseHandle(thread);

    memset(&create, 0, sizeof(create));
    ok(!pCreateKeyedMutex(&create), "create\n");
    memset(&open, 0, sizeof(open));
    open.hSharedHandle = create.hSharedHandle;
    ok(!pOpenKeyedMutex(&open), "open\n");
    ok(!acquire(create.hKeyedMutex, 0, &fence), "acquire\n");
    b.handle = open.hKeyedMutex;
    b.status = 0xdeadbeef;
    thread = CreateThread(NULL, 0, blocked_acquire, &b, 0, NULL);
    ok(WaitForSingleObject(thread, 100) == WAIT_TIMEOUT, "acquired an owned mutex\n");
    destroy.hKeyedMutex = create.hKeyedMutex;
    ok(!pDestroyKeyedMutex(&destroy), "destroy the owner\n");
    ok(!WaitForSingleObject(thread, 30000), "acquire still blocked after abandonment\n");
    ok(b.status == STATUS_ABANDONED, "acquire after abandonment: %#lx\n", b.status);
    CloseHandle(thread);
    destroy.hKeyedMutex = open.hKeyedMutex;
    ok(!pDestroyKeyedMutex(&destroy), "destroy\n");
}

START_TEST(handoff)
{
    D3DKMT_WINE_ALLOCATION_DESC desc = make_desc(SIZE, D3DKMT_WINE_SEGMENT_GROUP_LOCAL, D3DKMT_WINE_ALLOC_FLAG_CPU_VISIBLE);

    if (!load_d3dkmt()) return;
    if (!pCreateKeyedMutex || !pWaitForSynchronizationObjectFromCpu)
    {
        win_skip("no keyed mutexes or CPU waits\n");
        return;
    }
    if (open_display1(&adapter, NULL) || create_device(adapter, &device) || create_alloc(device, &desc, &shared_alloc))
    {
        skip("no adapter, device or allocation\n");
        return;
    }
    test_keyed_mutex_handoff();
    test_fence_handoff();
    test_woken();
    destroy_alloc(device, shared_alloc);
    destroy_device(device);
    close_adapter(adapter);
}
