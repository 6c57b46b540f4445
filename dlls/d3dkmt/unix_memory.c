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
 * Memory for the video memory manager from Wine's virtual memory functions,
 * so Wine's address-space bookkeeping knows every range the application sees
 * and VirtualQuery answers sanely for a locked pointer.
 */
#if 0
#pragma makedep unix
#endif
#ifndef _GNU_SOURCE
#define _GNU_SOURCE   /* mremap, process_vm_readv */
#endif
#include <errno.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

#include "ntstatus.h"
#define WIN32_NO_STATUS
#include "windef.h"
#include "winbase.h"
#include "winternl.h"
#include "wine/debug.h"

#include "unix_private.h"
#include "wine-d3dkmt/d3dkmt_driver.h"

WINE_DEFAULT_DEBUG_CHANNEL(d3dkmt);

/* A 32-bit process has 2-3 GiB of address space under Wine: there the
 * manager's reservations stop at D3DKMT_WINE_MAX_RESERVED_MB_32, so running
 * out is a status to the caller and the program keeps the rest.  Counted in
 * Wine's 64 KiB reservation units. */
#define RESERVE_UNIT 0x10000u
static _Atomic uint32_t reserved_units;

static uint32_t units(uint64_t size)
{
    return (uint32_t)((size + RESERVE_UNIT - 1) / RESERVE_UNIT);
}

static BOOL take_address_space(uint64_t size)
{
    const uint32_t max = (uint32_t)(((uint64_t)D3DKMT_WINE_MAX_RESERVED_MB_32 << 20) / RESERVE_UNIT);

    if (sizeof(void *) != 4) return TRUE;
    if (size > (uint64_t)max * RESERVE_UNIT || atomic_fetch_add(&reserved_units, units(size)) + units(size) > max)
    {
        if (size <= (uint64_t)max * RESERVE_UNIT) atomic_fetch_sub(&reserved_units, units(size));
        WARN("%#llx bytes would pass the 32-bit address space limit\n", (unsigned long long)size);
        return FALSE;
    }
    return TRUE;
}

static void give_address_space(uint64_t size)
{
    if (sizeof(void *) == 4) atomic_fetch_sub(&reserved_units, units(size));
}

static void *wine_reserve(void *ctx, uint64_t size)
{
    SIZE_T len = size;
    void *addr = NULL;
    NTSTATUS status;

    if (len != size || !take_address_space(size)) return NULL;
    if ((status = NtAllocateVirtualMemory(GetCurrentProcess(), &addr, 0, &len, MEM_RESERVE, PAGE_NOACCESS)))
    {
        WARN("reserving %#llx bytes failed, status %#x\n", (unsigned long long)size, (unsigned int)status);
        give_address_space(size);
        return NULL;
    }
    return addr;
}

static int wine_commit(void *ctx, void *addr, uint64_t size)
{
    SIZE_T len = size;
    NTSTATUS status;

    if ((status = NtAllocateVirtualMemory(GetCurrentProcess(), &addr, 0, &len, MEM_COMMIT, PAGE_READWRITE)))
    {
        WARN("committing %p+%#llx failed, status %#x\n", addr, (unsigned long long)size, (unsigned int)status);
        return -1;
    }
    return 0;
}

static void wine_decommit(void *ctx, void *addr, uint64_t size)
{
    SIZE_T len = size;
    NtFreeVirtualMemory(GetCurrentProcess(), &addr, &len, MEM_DECOMMIT);
}

static void wine_release(void *ctx, void *addr, uint64_t size)
{
    SIZE_T len = 0;
    NtFreeVirtualMemory(GetCurrentProcess(), &addr, &len, MEM_RELEASE);
    give_address_space(size);
}

/* Wine keeps the range committed read/write, which stays true: a private
 * anonymous mapping reads zero after MADV_DONTNEED.  (MEM_RESET would leave
 * the content undefined instead of zero.) */
static void wine_reset(void *ctx, void *addr, uint64_t size)
{
    if (madvise(addr, size, MADV_DONTNEED)) WARN("madvise(%p, %#llx) failed\n", addr, (unsigned long long)size);
}

/* Transparent huge pages are often in "madvise" mode: ask for them. */
static void wine_advise_large(void *ctx, void *addr, uint64_t size)
{
#ifdef MADV_HUGEPAGE
    madvise(addr, size, MADV_HUGEPAGE);
#endif
}

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

/* Taking the pages in one call is about twice as fast as a fault each;
 * older kernels refuse it (EINVAL), and then the copy faults them in. */
static void wine_prefault(void *ctx, void *addr, uint64_t size)
{
    madvise(addr, size, MADV_POPULATE_WRITE);
}

/* Both ranges are committed read/write in Wine's view before and after:
 * the pages go from src to dst, and src gets fresh zero pages. */
static int wine_move(void *ctx, void *dst, void *src, uint64_t size)
{
    TRACE("%p -> %p, %#llx bytes\n", src, dst, (unsigned long long)size);
    /* Fails with nothing changed when src spans two mappings: the caller copies then. */
    if (mremap(src, size, size, MREMAP_MAYMOVE | MREMAP_FIXED, dst) == MAP_FAILED) return -1;
    if (mmap(src, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
    {
        /* A hole in a range Wine thinks committed cannot be left behind. */
        ERR("re-mapping %p+%#llx failed\n", src, (unsigned long long)size);
        abort();
    }
    return 0;
}

static int writable_info(const MEMORY_BASIC_INFORMATION *info)
{
    if (info->State != MEM_COMMIT) return 0;
    if (!(info->Protect & (PAGE_READWRITE | PAGE_WRITECOPY | PAGE_EXECUTE_READWRITE | PAGE_EXECUTE_WRITECOPY)))
        return 0;
    return !(info->Protect & (PAGE_GUARD | PAGE_NOACCESS));
}

/* Every region from addr to end committed read/write: one query per region,
 * each costing Wine a scan of the region's pages. */
static int walk_user_range(uint64_t addr, uint64_t end)
{
    MEMORY_BASIC_INFORMATION info;

    while (addr < end)
    {
        if (NtQueryVirtualMemory(GetCurrentProcess(), (void *)(ULONG_PTR)addr, MemoryBasicInformation,
                                 &info, sizeof(info), NULL) || !writable_info(&info))
            return -1;
        addr = (ULONG_PTR)info.BaseAddress + info.RegionSize;
    }
    return 0;
}

/* Whether the kernel lets us read the byte, without touching it through a
 * pointer (no fault, a guard page stays armed: Wine maps no-access, guard,
 * reserved and freed pages PROT_NONE or not at all).  -1: cannot tell. */
static int kernel_readable(uint64_t addr)
{
    char byte;
    struct iovec local = { &byte, 1 }, remote = { (void *)(ULONG_PTR)addr, 1 };

    if (process_vm_readv(getpid(), &local, 1, &remote, 1, 0) == 1) return 1;
    return errno == EFAULT ? 0 : -1;
}

/* The range must be committed read/write memory.  Checking all of it costs
 * Wine a scan of every page (53 us at 4 GiB), so in the common case only its
 * ends are checked: the last page with Wine's query (whose scan starts there),
 * the first with the kernel, and both in the same reservation.  Not caught:
 * a no-access, guard, read-only or decommitted page strictly inside the range,
 * and a first page that is read-only (readable, not writable); the module
 * never touches pSystemMem, so such a range only fails the application's own
 * accesses, as it would with any other API taking its buffer. */
static int wine_check_user_range(void *ctx, uint64_t addr, uint64_t size)
{
    uint64_t end = addr + size, last = (end - 1) & ~(uint64_t)0xfff;
    MEMORY_BASIC_INFORMATION info;
    int readable;

    if (!addr || end < addr) return -1;
    if (!size) return 0;
    if (NtQueryVirtualMemory(GetCurrentProcess(), (void *)(ULONG_PTR)last, MemoryBasicInformation,
                             &info, sizeof(info), NULL) || !writable_info(&info))
        return -1;
    if (last < addr + 0x1000) return 0;   /* one page */
    /* Across reservations, or the kernel cannot say: the whole walk. */
    if ((ULONG_PTR)info.AllocationBase > addr || (readable = kernel_readable(addr)) < 0)
        return walk_user_range(addr, end);
    return readable ? 0 : -1;
}

/* Linux gives a process vm.max_map_count mappings (65,530 by default) and
 * each reservation is at least one: keep 3/8 of them for Wine and the
 * application, so running out of ours is a status, not a starved process. */
uint32_t wine_max_reservations(void)
{
    unsigned long count = 65530;
    FILE *file;

    if ((file = fopen("/proc/sys/vm/max_map_count", "r")))
    {
        if (fscanf(file, "%lu", &count) != 1) count = 65530;
        fclose(file);
    }
    if (count > UINT32_MAX) count = UINT32_MAX;
    return (uint32_t)(count / 8 * 5);
}

const struct vidmm_memory_ops wine_memory_ops =
{
    .reserve = wine_reserve, .commit = wine_commit, .decommit = wine_decommit, .release = wine_release,
    .check_user_range = wine_check_user_range, .reset = wine_reset, .advise_large = wine_advise_large,
    .move = wine_move, .prefault = wine_prefault,
};
