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
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "ntstatus.h"
#define WIN32_NO_STATUS
#include "windef.h"
#include "winbase.h"
#include "winternl.h"
#include "wine/debug.h"

#include "unix_private.h"

WINE_DEFAULT_DEBUG_CHANNEL(d3dkmt);

static void *wine_reserve(void *ctx, uint64_t size)
{
    SIZE_T len = size;
    void *addr = NULL;
    NTSTATUS status;

    if (len != size) return NULL;
    if ((status = NtAllocateVirtualMemory(GetCurrentProcess(), &addr, 0, &len, MEM_RESERVE, PAGE_NOACCESS)))
    {
        WARN("reserving %#llx bytes failed, status %#x\n", (unsigned long long)size, (unsigned int)status);
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

/* The range must be committed read/write memory all the way through. */
static int wine_check_user_range(void *ctx, uint64_t addr, uint64_t size)
{
    uint64_t end = addr + size;
    MEMORY_BASIC_INFORMATION info;

    if (!addr || end < addr) return -1;
    while (addr < end)
    {
        if (NtQueryVirtualMemory(GetCurrentProcess(), (void *)(ULONG_PTR)addr, MemoryBasicInformation,
                                 &info, sizeof(info), NULL))
            return -1;
        if (info.State != MEM_COMMIT) return -1;
        if (!(info.Protect & (PAGE_READWRITE | PAGE_WRITECOPY | PAGE_EXECUTE_READWRITE | PAGE_EXECUTE_WRITECOPY)))
            return -1;
        if (info.Protect & (PAGE_GUARD | PAGE_NOACCESS)) return -1;
        addr = (ULONG_PTR)info.BaseAddress + info.RegionSize;
    }
    return 0;
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
