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
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>

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
    NULL, wine_reserve, wine_commit, wine_decommit, wine_release, wine_check_user_range,
};
