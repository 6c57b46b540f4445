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
 * Conformance: Lock, Unlock, Lock2, Unlock2.
 */
#include "d3dkmt_test.h"

static D3DKMT_HANDLE adapter, device;

static void test_lock_bad_input(void)
{
    D3DKMT_WINE_ALLOCATION_DESC desc = make_desc(4 * 4096, 0, D3DKMT_WINE_ALLOC_FLAG_CPU_VISIBLE);
    D3DKMT_HANDLE alloc;
    D3DKMT_LOCK lock;
    UINT pages[2];
    NTSTATUS status;

    ok(create_alloc(device, &desc, &alloc) == STATUS_SUCCESS, "create failed\n");
    status = pLock(NULL);
    ok(status == STATUS_INVALID_PARAMETER, "NULL: got %#lx\n", status);
    status = pLock((void *)(ULONG_PTR)0x20);
    ok(status == STATUS_ACCESS_VIOLATION, "bad pointer: got %#lx\n", status);

#define RESET() do { memset(&lock, 0, sizeof(lock)); lock.hDevice = device; lock.hAllocation = alloc; } while (0)
    RESET(); lock.hDevice = 0;
    ok(pLock(&lock) == STATUS_INVALID_PARAMETER, "no device\n");
    RESET(); lock.hAllocation = 0;
    ok(pLock(&lock) == STATUS_INVALID_PARAMETER, "no allocation\n");
    RESET(); lock.hAllocation = 0xdead0040;
    ok(pLock(&lock) == STATUS_INVALID_PARAMETER, "random allocation\n");
    RESET(); lock.hAllocation = device;
    ok(pLock(&lock) == STATUS_INVALID_PARAMETER, "device as allocation\n");
    RESET(); lock.hDevice = alloc;
    ok(pLock(&lock) == STATUS_INVALID_PARAMETER, "allocation as device\n");
    RESET(); lock.Flags.ReadOnly = 1; lock.Flags.WriteOnly = 1;
    ok(pLock(&lock) == STATUS_INVALID_PARAMETER, "ReadOnly|WriteOnly\n");
    RESET(); lock.Flags.IgnoreSync = 1; lock.Flags.AcquireAperture = 1;
    ok(pLock(&lock) == STATUS_INVALID_PARAMETER, "IgnoreSync|AcquireAperture\n");
    RESET(); lock.Flags.UseAlternateVA = 1;
    ok(pLock(&lock) == STATUS_INVALID_PARAMETER, "UseAlternateVA without AcquireAperture\n");
    RESET(); lock.Flags.Value = 0x800;
    ok(pLock(&lock) == STATUS_INVALID_PARAMETER, "reserved flag\n");
    RESET(); lock.Flags.LockEntire = 1; lock.NumPages = 1; lock.pPages = pages; pages[0] = 0;
    ok(pLock(&lock) == STATUS_INVALID_PARAMETER, "LockEntire with pages\n");
    RESET(); lock.NumPages = 1;
    ok(pLock(&lock) == STATUS_INVALID_PARAMETER, "pages count without list\n");
    RESET(); lock.NumPages = 1; lock.pPages = pages; pages[0] = 4;
    ok(pLock(&lock) == STATUS_INVALID_PARAMETER, "page out of range\n");
    RESET(); lock.NumPages = 5; lock.pPages = pages;
    ok(pLock(&lock) == STATUS_INVALID_PARAMETER, "more pages than the allocation\n");
    RESET(); lock.NumPages = 0x40000001; lock.pPages = pages;
    ok(pLock(&lock) == STATUS_INVALID_PARAMETER, "overflowing page count\n");
    RESET(); lock.NumPages = 1; lock.pPages = (void *)(ULONG_PTR)0x30;
    ok(pLock(&lock) == STATUS_ACCESS_VIOLATION, "unreadable page list\n");

    RESET(); lock.NumPages = 2; lock.pPages = pages; pages[0] = 3; pages[1] = 1;
    status = pLock(&lock);
    ok(status == STATUS_SUCCESS, "page list: %#lx\n", status);
    ok(lock.pData != NULL, "no pointer\n");
    ok(!lock.GpuVirtualAddress, "GPU VA %I64x\n", lock.GpuVirtualAddress);
    ok(lock.hAllocation == alloc, "handle changed to %#x\n", lock.hAllocation);
    ok(unlock_alloc(device, alloc) == STATUS_SUCCESS, "unlock failed\n");
#undef RESET
    destroy_alloc(device, alloc);
}

static void test_nesting_and_references(void)
{
    D3DKMT_WINE_ALLOCATION_DESC desc = make_desc(65536, 0, D3DKMT_WINE_ALLOC_FLAG_CPU_VISIBLE);
    D3DKMT_HANDLE alloc;
    D3DKMT_LOCK2 lock2;
    D3DKMT_UNLOCK2 unlock2;
    void *p1, *p2;
    NTSTATUS status;
    UINT i;

    ok(create_alloc(device, &desc, &alloc) == STATUS_SUCCESS, "create failed\n");
    status = unlock_alloc(device, alloc);
    ok(status == STATUS_INVALID_PARAMETER, "unlock when not locked: got %#lx\n", status);

    ok(lock_alloc(device, alloc, 0, &p1) == STATUS_SUCCESS, "lock 1 failed\n");
    ok(lock_alloc(device, alloc, 0x10, &p2) == STATUS_SUCCESS, "lock 2 failed\n");
    ok(p1 == p2, "nested locks gave %p and %p\n", p1, p2);

    /* Lock2 shares the count and the pointer. */
    memset(&lock2, 0, sizeof(lock2));
    lock2.hDevice = device;
    lock2.hAllocation = alloc;
    status = pLock2(&lock2);
    ok(status == STATUS_SUCCESS, "Lock2: %#lx\n", status);
    ok(lock2.pData == p1, "Lock2 gave %p, Lock %p\n", lock2.pData, p1);
    lock2.Flags.Value = 1;
    status = pLock2(&lock2);
    ok(status == STATUS_INVALID_PARAMETER, "Lock2 with flags: got %#lx\n", status);

    memset(&unlock2, 0, sizeof(unlock2));
    unlock2.hDevice = device;
    unlock2.hAllocation = alloc;
    ok(pUnlock2(&unlock2) == STATUS_SUCCESS, "Unlock2 failed\n");
    ok(unlock_alloc(device, alloc) == STATUS_SUCCESS, "unlock 2 failed\n");
    ok(unlock_alloc(device, alloc) == STATUS_SUCCESS, "unlock 1 failed\n");
    ok(pUnlock2(&unlock2) == STATUS_INVALID_PARAMETER, "Unlock2 at 0 succeeded\n");

    /* The documented cap on nested locks. */
    for (i = 0; i < D3DKMT_WINE_MAX_LOCK_REFERENCES; i++)
        if ((status = lock_alloc(device, alloc, 0, NULL))) break;
    ok(i == D3DKMT_WINE_MAX_LOCK_REFERENCES, "lock %u failed: %#lx\n", i, status);
    status = lock_alloc(device, alloc, 0, NULL);
    ok(status == STATUS_GRAPHICS_TOO_MANY_REFERENCES, "one more lock: got %#lx\n", status);
    for (i = 0; i < D3DKMT_WINE_MAX_LOCK_REFERENCES; i++)
        if ((status = unlock_alloc(device, alloc))) break;
    ok(i == D3DKMT_WINE_MAX_LOCK_REFERENCES, "unlock %u failed: %#lx\n", i, status);
    destroy_alloc(device, alloc);
}

static void test_multi_unlock(void)
{
    D3DKMT_WINE_ALLOCATION_DESC desc = make_desc(4096, 0, D3DKMT_WINE_ALLOC_FLAG_CPU_VISIBLE);
    D3DKMT_HANDLE a, b, list[3];
    D3DKMT_UNLOCK unlock;
    NTSTATUS status;

    create_alloc(device, &desc, &a);
    create_alloc(device, &desc, &b);
    lock_alloc(device, a, 0, NULL);
    lock_alloc(device, b, 0, NULL);

    memset(&unlock, 0, sizeof(unlock));
    unlock.hDevice = device;
    unlock.NumAllocations = 3;
    unlock.phAllocations = list;
    list[0] = a; list[1] = b; list[2] = a;  /* a is locked once only */
    status = pUnlock(&unlock);
    ok(status == STATUS_INVALID_PARAMETER, "a twice: got %#lx\n", status);
    unlock.NumAllocations = 2;
    status = pUnlock(&unlock);
    ok(status == STATUS_SUCCESS, "a and b: got %#lx\n", status);
    status = pUnlock(&unlock);
    ok(status == STATUS_INVALID_PARAMETER, "again: got %#lx\n", status);
    unlock.phAllocations = NULL;
    ok(pUnlock(&unlock) == STATUS_INVALID_PARAMETER, "NULL list\n");
    unlock.phAllocations = (void *)(ULONG_PTR)0x40;
    ok(pUnlock(&unlock) == STATUS_ACCESS_VIOLATION, "unreadable list\n");
    ok(pUnlock(NULL) == STATUS_INVALID_PARAMETER, "NULL\n");
    destroy_alloc(device, a);
    destroy_alloc(device, b);
}

static void test_content_and_memory(void)
{
    D3DKMT_WINE_ALLOCATION_DESC desc = make_desc(1 << 20, 0, D3DKMT_WINE_ALLOC_FLAG_CPU_VISIBLE);
    MEMORY_BASIC_INFORMATION mbi;
    D3DKMT_HANDLE alloc;
    UINT *p, i, bad = 0;

    ok(create_alloc(device, &desc, &alloc) == STATUS_SUCCESS, "create failed\n");
    ok(lock_alloc(device, alloc, 0, (void **)&p) == STATUS_SUCCESS, "lock failed\n");
    for (i = 0; i < (1 << 20) / 4; i++) p[i] = i * 2654435761u;
    ok(VirtualQuery(p, &mbi, sizeof(mbi)) == sizeof(mbi), "VirtualQuery failed\n");
    ok(mbi.State == MEM_COMMIT && mbi.Protect == PAGE_READWRITE, "state %#lx protect %#lx\n", mbi.State, mbi.Protect);
    ok(unlock_alloc(device, alloc) == STATUS_SUCCESS, "unlock failed\n");
    ok(lock_alloc(device, alloc, 1, (void **)&p) == STATUS_SUCCESS, "lock failed\n");
    for (i = 0; i < (1 << 20) / 4; i++) bad += p[i] != i * 2654435761u;
    ok(!bad, "%u words changed across unlock/lock\n", bad);
    unlock_alloc(device, alloc);
    destroy_alloc(device, alloc);
}

/* An allocation backed by the caller's memory locks to exactly that memory. */
static void test_system_memory(void)
{
    D3DKMT_WINE_ALLOCATION_DESC desc = make_desc(65536, 1, 0);
    D3DKMT_CREATEALLOCATION create;
    D3DDDI_ALLOCATIONINFO2 info;
    char *mem = VirtualAlloc(NULL, 65536, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    void *p;
    NTSTATUS status;

    memset(&create, 0, sizeof(create));
    memset(&info, 0, sizeof(info));
    create.hDevice = device;
    create.NumAllocations = 1;
    create.pAllocationInfo2 = &info;
    info.pSystemMem = mem;
    info.pPrivateDriverData = &desc;
    info.PrivateDriverDataSize = sizeof(desc);
    status = pCreateAllocation2(&create);
    ok(status == STATUS_SUCCESS, "create: %#lx\n", status);
    mem[100] = 42;
    ok(lock_alloc(device, info.hAllocation, 0, &p) == STATUS_SUCCESS, "lock failed\n");
    ok(p == mem, "pointer %p, memory %p\n", p, mem);
    unlock_alloc(device, info.hAllocation);
    destroy_alloc(device, info.hAllocation);

    /* Unaligned or not writable memory is refused. */
    info.pSystemMem = mem + 16;
    status = pCreateAllocation2(&create);
    ok(status == STATUS_INVALID_PARAMETER, "unaligned: got %#lx\n", status);
    desc.Size = 2 * 65536;
    info.pSystemMem = mem;
    status = pCreateAllocation2(&create);
    ok(status == STATUS_INVALID_PARAMETER, "larger than the memory: got %#lx\n", status);
    VirtualFree(mem, 0, MEM_RELEASE);
}

/* Locking a swizzled allocation in video memory needs a deswizzling aperture;
 * without one it must be evicted to system memory (deswizzled there), which a
 * pinned allocation cannot be.  The escape sets the number of apertures. */
static void test_swizzled_and_pinned(void)
{
    const UINT swizzled = D3DKMT_WINE_ALLOC_FLAG_CPU_VISIBLE | D3DKMT_WINE_ALLOC_FLAG_SWIZZLED;
    D3DKMT_WINE_ALLOCATION_DESC desc;
    D3DKMT_WINE_ESCAPE stats;
    D3DKMT_HANDLE a, pinned, plain;
    D3DKMT_ALLOCATIONRESIDENCYSTATUS residency;
    D3DKMT_QUERYALLOCATIONRESIDENCY query;
    void *p, *q;
    NTSTATUS status;

    if (wine_escape(adapter, D3DKMT_WINE_ESCAPE_SET_APERTURES, 1, NULL))
    {
        skip("no aperture control (not this module's driver)\n");
        return;
    }
    desc = make_desc(65536, 0, swizzled);
    ok(create_alloc(device, &desc, &a) == STATUS_SUCCESS, "create failed\n");
    desc = make_desc(65536, 0, swizzled | D3DKMT_WINE_ALLOC_FLAG_PINNED);
    ok(create_alloc(device, &desc, &pinned) == STATUS_SUCCESS, "create failed\n");
    desc = make_desc(65536, 0, swizzled);
    ok(create_alloc(device, &desc, &plain) == STATUS_SUCCESS, "create failed\n");

    /* The one aperture goes to the first lock; it stays in video memory. */
    status = lock_alloc(device, a, 0, &p);
    ok(status == STATUS_SUCCESS, "lock with an aperture: %#lx\n", status);
    stats = wine_stats(adapter);
    ok(stats.AperturesUsed == 1, "%u apertures in use\n", stats.AperturesUsed);
    status = lock_alloc(device, pinned, 0, &q);
    ok(status == STATUS_GRAPHICS_CANT_EVICT_PINNED_ALLOCATION, "pinned, no aperture: got %#lx\n", status);
    status = lock_alloc(device, plain, 0x20 /* DonotEvict */, &q);
    ok(status == STATUS_GRAPHICS_UNSWIZZLING_APERTURE_UNAVAILABLE, "DonotEvict, no aperture: got %#lx\n", status);

    /* Without DonotEvict it moves to system memory and locks there. */
    status = lock_alloc(device, plain, 0, &q);
    ok(status == STATUS_SUCCESS, "evicting lock: got %#lx\n", status);
    memset(&query, 0, sizeof(query));
    query.hDevice = device;
    query.phAllocationList = &plain;
    query.AllocationCount = 1;
    query.pResidencyStatus = &residency;
    ok(pQueryAllocationResidency(&query) == STATUS_SUCCESS, "query failed\n");
    ok(residency == D3DKMT_ALLOCATIONRESIDENCYSTATUS_NOTRESIDENT, "residency %u\n", residency);
    if (!status) memset(q, 1, 65536);
    unlock_alloc(device, plain);

    /* Once the aperture is free again, the pinned one locks. */
    unlock_alloc(device, a);
    status = lock_alloc(device, pinned, 0, &q);
    ok(status == STATUS_SUCCESS, "pinned with a free aperture: got %#lx\n", status);
    unlock_alloc(device, pinned);
    stats = wine_stats(adapter);
    ok(stats.AperturesUsed == 0, "%u apertures still in use\n", stats.AperturesUsed);

    destroy_alloc(device, a);
    destroy_alloc(device, pinned);
    destroy_alloc(device, plain);
    wine_escape(adapter, D3DKMT_WINE_ESCAPE_SET_APERTURES, D3DKMT_WINE_DEFAULT_APERTURES, NULL);

    /* Not CPU-visible: locked in system memory; DonotEvict refuses. */
    desc = make_desc(65536, 0, 0);
    ok(create_alloc(device, &desc, &a) == STATUS_SUCCESS, "create failed\n");
    status = lock_alloc(device, a, 0x20, &p);
    ok(status == STATUS_GRAPHICS_ALLOCATION_BUSY, "not CPU-visible, DonotEvict: got %#lx\n", status);
    status = lock_alloc(device, a, 0, &p);
    ok(status == STATUS_SUCCESS, "not CPU-visible: got %#lx\n", status);
    unlock_alloc(device, a);
    destroy_alloc(device, a);
}

/* Faults on the caller's structs when the allocation takes the fast path (a
 * small non-local allocation, armed once it has been locked): the status is
 * STATUS_ACCESS_VIOLATION and the lock count is unchanged, as on the Unix
 * path.  Repeated many times, so that a frame that does not put the stack
 * back as it was shows. */
static void test_fast_path_faults(void)
{
    D3DKMT_WINE_ALLOCATION_DESC desc = make_desc(4096, D3DKMT_WINE_SEGMENT_GROUP_NON_LOCAL,
                                                 D3DKMT_WINE_ALLOC_FLAG_CPU_VISIBLE);
    BYTE *mem = VirtualAlloc(NULL, 3 * 4096, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    D3DKMT_LOCK *ro_lock, *end_lock;
    D3DKMT_LOCK2 *ro_lock2;
    D3DKMT_UNLOCK unlock;
    D3DKMT_UNLOCK2 *end_unlock2;
    D3DKMT_HANDLE alloc;
    UINT failures = 0, i;
    DWORD old;
    void *p, *first;
    NTSTATUS status;

    ok(mem != NULL, "VirtualAlloc failed\n");
    if (!mem) return;
    ok(create_alloc(device, &desc, &alloc) == STATUS_SUCCESS, "create failed\n");
    ok(lock_alloc(device, alloc, 0, &first) == STATUS_SUCCESS, "first lock failed\n");
    ok(unlock_alloc(device, alloc) == STATUS_SUCCESS, "first unlock failed\n");

    /* Page 0 read-only, page 1 read/write, page 2 no access. */
    ro_lock = (D3DKMT_LOCK *)mem;
    ro_lock2 = (D3DKMT_LOCK2 *)(mem + 1024);
    end_lock = (D3DKMT_LOCK *)(mem + 2 * 4096 - 16);             /* runs into page 2 */
    end_unlock2 = (D3DKMT_UNLOCK2 *)(mem + 2 * 4096 - 4);        /* hAllocation in page 2 */
    memset(ro_lock, 0, sizeof(*ro_lock));
    ro_lock->hDevice = device;
    ro_lock->hAllocation = alloc;
    memset(ro_lock2, 0, sizeof(*ro_lock2));
    ro_lock2->hDevice = device;
    ro_lock2->hAllocation = alloc;
    memset(end_lock, 0, 16);
    end_lock->hDevice = device;
    end_lock->hAllocation = alloc;
    end_unlock2->hDevice = device;
    VirtualProtect(mem, 4096, PAGE_READONLY, &old);
    VirtualProtect(mem + 2 * 4096, 4096, PAGE_NOACCESS, &old);

    memset(&unlock, 0, sizeof(unlock));
    unlock.hDevice = device;
    unlock.NumAllocations = 1;
    unlock.phAllocations = (D3DKMT_HANDLE *)(mem + 2 * 4096);
    for (i = 0; i < 2000; i++)
    {
        if ((status = pLock(ro_lock)) != STATUS_ACCESS_VIOLATION) failures++;
        if ((status = pLock2(ro_lock2)) != STATUS_ACCESS_VIOLATION) failures++;
        if ((status = pLock(end_lock)) != STATUS_ACCESS_VIOLATION) failures++;
        if (pLock(NULL) != STATUS_INVALID_PARAMETER) failures++;
        if (pUnlock(&unlock) != STATUS_ACCESS_VIOLATION) failures++;
        if (pUnlock2(end_unlock2) != STATUS_ACCESS_VIOLATION) failures++;
    }
    ok(!failures, "%u calls did not fault (last status %#lx)\n", failures, status);
    /* None of them counted a lock. */
    status = unlock_alloc(device, alloc);
    ok(status == STATUS_INVALID_PARAMETER, "unlock when no lock was taken: got %#lx\n", status);

    /* Locked once, an Unlock with an unreadable list leaves the lock. */
    ok(lock_alloc(device, alloc, 0, &p) == STATUS_SUCCESS, "lock failed\n");
    ok(p == first, "address %p, then %p\n", first, p);
    ok(pUnlock(&unlock) == STATUS_ACCESS_VIOLATION, "unreadable list\n");
    ok(pUnlock2(end_unlock2) == STATUS_ACCESS_VIOLATION, "Unlock2 ending in a no-access page\n");
    ok(unlock_alloc(device, alloc) == STATUS_SUCCESS, "the lock is gone\n");
    ok(unlock_alloc(device, alloc) == STATUS_INVALID_PARAMETER, "a second unlock succeeded\n");

    /* A guard page: one fault, then the call goes through. */
    VirtualProtect(mem, 4096, PAGE_READWRITE | PAGE_GUARD, &old);
    status = pLock(ro_lock);
    ok(status == STATUS_ACCESS_VIOLATION, "guard page: got %#lx\n", status);
    status = pLock(ro_lock);
    ok(status == STATUS_SUCCESS, "after the guard page: got %#lx\n", status);
    ok(ro_lock->pData == first, "address %p, then %p\n", first, ro_lock->pData);
    ok(unlock_alloc(device, alloc) == STATUS_SUCCESS, "unlock failed\n");
    ok(unlock_alloc(device, alloc) == STATUS_INVALID_PARAMETER, "the guard page's Lock counted\n");

    destroy_alloc(device, alloc);
    VirtualFree(mem, 0, MEM_RELEASE);
}

START_TEST(lock)
{
    if (!load_d3dkmt()) return;
    if (open_display1(&adapter, NULL) || create_device(adapter, &device))
    {
        skip("no adapter or device\n");
        return;
    }
    test_lock_bad_input();
    test_nesting_and_references();
    test_multi_unlock();
    test_content_and_memory();
    test_system_memory();
    test_swizzled_and_pinned();
    test_fast_path_faults();
    destroy_device(device);
    close_adapter(adapter);
}
