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
 * One-object calls into the manager's core for the native tests: each
 * fills the core's argument struct for a single allocation and makes the
 * call, so a test says what it does and not how the struct is laid out.
 */
#ifndef CORE_CALLS_H
#define CORE_CALLS_H

#include <sys/mman.h>
#include <stdlib.h>
#include <string.h>

#include "private/vidmm.h"
#include "private/vidmm_fastlock.h"
#include "wine-d3dkmt/d3dkmt_driver.h"

static inline D3DKMT_WINE_ALLOCATION_DESC core_desc(uint64_t size, uint32_t group, uint32_t flags)
{
    D3DKMT_WINE_ALLOCATION_DESC desc;

    memset(&desc, 0, sizeof(desc));
    desc.Magic = D3DKMT_WINE_ALLOC_MAGIC;
    desc.Version = D3DKMT_WINE_ALLOC_VERSION;
    desc.Size = size;
    desc.SegmentGroup = group;
    desc.Flags = flags;
    return desc;
}

/* One allocation of the descriptor; create_flags are VIDMM_CREATE_*.
 * args, when not NULL, gets the call's arguments back (resource, global share). */
static inline NTSTATUS core_create_desc(struct vidmm *mm, uint32_t device, const D3DKMT_WINE_ALLOCATION_DESC *desc,
                                        uint32_t create_flags, uint32_t *handle,
                                        struct vidmm_create_allocation_args *out)
{
    struct vidmm_create_allocation_args args;
    struct vidmm_alloc_info info;
    NTSTATUS status;

    memset(&info, 0, sizeof(info));
    info.private_data = (uintptr_t)desc;
    info.private_size = sizeof(*desc);
    memset(&args, 0, sizeof(args));
    args.device = device;
    args.flags = create_flags;
    args.count = 1;
    args.allocs = (uintptr_t)&info;
    if (!(status = vidmm_create_allocation(mm, &args))) *handle = info.handle;
    if (out) *out = args;
    return status;
}

static inline NTSTATUS core_create(struct vidmm *mm, uint32_t device, uint64_t size, uint32_t group, uint32_t flags,
                                   uint32_t *handle)
{
    D3DKMT_WINE_ALLOCATION_DESC desc = core_desc(size, group, flags);
    return core_create_desc(mm, device, &desc, 0, handle, NULL);
}

static inline NTSTATUS core_destroy(struct vidmm *mm, uint32_t device, uint32_t handle)
{
    struct vidmm_destroy_allocation_args args;

    memset(&args, 0, sizeof(args));
    args.device = device;
    args.handles = (uintptr_t)&handle;
    args.count = 1;
    return vidmm_destroy_allocation(mm, &args);
}

/* Gives the manager a Lock fast-path table (vidmm_fastlock.h), as the PE side
 * does at process attach: core_lock and core_unlock then try the fast path
 * first, exactly as memory.c does.  Free it after vidmm_destroy. */
static inline struct vidmm_fastlock_table *core_enable_fastlock(struct vidmm *mm)
{
    /* Fresh zero pages, touched only where a slot is armed (as the PE side's). */
    struct vidmm_fastlock_table *table = mmap(NULL, sizeof(*table), PROT_READ | PROT_WRITE,
                                              MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    if (table == MAP_FAILED) return NULL;
    table->slot_bits = VIDMM_FASTLOCK_SLOT_BITS;
    if (vidmm_set_fastlock_table(mm, table))
    {
        munmap(table, sizeof(*table));
        return NULL;
    }
    return table;
}

static inline void core_free_fastlock(struct vidmm_fastlock_table *table)
{
    if (table) munmap(table, sizeof(*table));
}

static inline NTSTATUS core_lock(struct vidmm *mm, uint32_t device, uint32_t handle, uint32_t flags, uint8_t **ptr)
{
    struct vidmm_lock_args args;
    NTSTATUS status;
    uint64_t address;

    if (vidmm_fastlock_flags_ok(flags) && vidmm_fastlock_lock(vidmm_fastlock_table(mm), device, handle, &address))
    {
        *ptr = (uint8_t *)(uintptr_t)address;
        return STATUS_SUCCESS;
    }
    memset(&args, 0, sizeof(args));
    args.device = device;
    args.allocation = handle;
    args.flags = flags;
    status = vidmm_lock(mm, &args);
    *ptr = (uint8_t *)(uintptr_t)args.data;
    return status;
}

static inline NTSTATUS core_unlock_list(struct vidmm *mm, uint32_t device, const uint32_t *handles, uint32_t count)
{
    struct vidmm_unlock_args args;

    if (count == 1 && handles && vidmm_fastlock_unlock(vidmm_fastlock_table(mm), device, handles[0]))
        return STATUS_SUCCESS;
    memset(&args, 0, sizeof(args));
    args.device = device;
    args.count = count;
    args.handles = (uintptr_t)handles;
    return vidmm_unlock(mm, &args);
}

static inline NTSTATUS core_unlock(struct vidmm *mm, uint32_t device, uint32_t handle)
{
    return core_unlock_list(mm, device, &handle, 1);
}

/* A list-shaped call (MakeResident, Evict, priorities, residency, Offer) on
 * one allocation; offer_priority matters to Offer only. */
static inline NTSTATUS core_list_call(struct vidmm *mm, NTSTATUS (*fn)(struct vidmm *, struct vidmm_list_args *),
                                      uint32_t device, uint32_t handle, uint32_t flags, uint32_t offer_priority,
                                      uint32_t *value)
{
    struct vidmm_list_args args;

    memset(&args, 0, sizeof(args));
    args.device = device;
    args.handles = (uintptr_t)&handle;
    args.values = (uintptr_t)value;
    args.count = 1;
    args.flags = flags;
    args.priority = offer_priority;
    return fn(mm, &args);
}

static inline NTSTATUS core_reclaim(struct vidmm *mm, uint32_t device, uint32_t handle, uint32_t *result)
{
    struct vidmm_list_args args;

    memset(&args, 0, sizeof(args));
    args.device = device;
    args.handles = (uintptr_t)&handle;
    args.values = (uintptr_t)result;
    args.count = 1;
    return vidmm_reclaim(mm, &args, 0);
}

/* The test-control escape (d3dkmt_driver.h); *out gets the state after it. */
static inline NTSTATUS core_escape(struct vidmm *mm, uint32_t adapter, uint32_t command, uint64_t value,
                                   D3DKMT_WINE_ESCAPE *out)
{
    struct vidmm_escape_args args;
    D3DKMT_WINE_ESCAPE esc;
    NTSTATUS status;

    memset(&esc, 0, sizeof(esc));
    esc.Magic = D3DKMT_WINE_ESCAPE_MAGIC;
    esc.Version = D3DKMT_WINE_ESCAPE_VERSION;
    esc.Command = command;
    esc.Value = value;
    memset(&args, 0, sizeof(args));
    args.adapter = adapter;
    args.data = (uintptr_t)&esc;
    args.size = sizeof(esc);
    status = vidmm_escape(mm, &args);
    if (out) *out = esc;
    return status;
}

#endif /* CORE_CALLS_H */
