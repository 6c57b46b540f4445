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
 * The manager object: creation, the memory provider wrapper, destruction.
 */
#if 0
#pragma makedep unix
#endif
#include "vidmm_private.h"
#include "sync_private.h"

/*
 * Video memory manager: the manager object, handles, adapters, devices and
 * memory information.
 */
#include <string.h>

#include "vidmm_private.h"

/* Every reservation is a mapping of its own under Wine, and Linux allows a
 * process only so many: past the provider's limit a reserve fails here, as
 * a status to the caller, before the rest of the process is starved. */
static void *counted_reserve(void *ctx, uint64_t size)
{
    struct vidmm *mm = ctx;
    uint32_t max = mm->provider.max_reservations;
    void *addr;

    if (max && atomic_fetch_add(&mm->reservations, 1) >= max)
    {
        atomic_fetch_sub(&mm->reservations, 1);
        return NULL;
    }
    if (!(addr = mm->provider.reserve(mm->provider.ctx, size)) && max) atomic_fetch_sub(&mm->reservations, 1);
    return addr;
}

static void counted_release(void *ctx, void *addr, uint64_t size)
{
    struct vidmm *mm = ctx;

    mm->provider.release(mm->provider.ctx, addr, size);
    if (mm->provider.max_reservations) atomic_fetch_sub(&mm->reservations, 1);
}

static int provider_commit(void *ctx, void *addr, uint64_t size)
{
    struct vidmm *mm = ctx;
    return mm->provider.commit(mm->provider.ctx, addr, size);
}

static void provider_decommit(void *ctx, void *addr, uint64_t size)
{
    struct vidmm *mm = ctx;
    mm->provider.decommit(mm->provider.ctx, addr, size);
}

static int provider_check_user_range(void *ctx, uint64_t addr, uint64_t size)
{
    struct vidmm *mm = ctx;
    return mm->provider.check_user_range(mm->provider.ctx, addr, size);
}

static void provider_reset(void *ctx, void *addr, uint64_t size)
{
    struct vidmm *mm = ctx;
    mm->provider.reset(mm->provider.ctx, addr, size);
}

static void provider_advise_large(void *ctx, void *addr, uint64_t size)
{
    struct vidmm *mm = ctx;
    mm->provider.advise_large(mm->provider.ctx, addr, size);
}

static int provider_move(void *ctx, void *dst, void *src, uint64_t size)
{
    struct vidmm *mm = ctx;
    return mm->provider.move(mm->provider.ctx, dst, src, size);
}

static void provider_prefault(void *ctx, void *addr, uint64_t size)
{
    struct vidmm *mm = ctx;
    mm->provider.prefault(mm->provider.ctx, addr, size);
}

NTSTATUS vidmm_create(const struct vidmm_memory_ops *ops, uint32_t flags, struct vidmm **out)
{
    struct vidmm *mm;

    if (!(mm = vidmm_calloc(1, sizeof(*mm)))) return STATUS_NO_MEMORY;
    mm->provider = *ops;
    mm->flags = flags;
    mm->ops.ctx = mm;
    mm->ops.reserve = counted_reserve;
    mm->ops.commit = provider_commit;
    mm->ops.decommit = provider_decommit;
    mm->ops.release = counted_release;
    mm->ops.check_user_range = provider_check_user_range;
    /* The optional ones stay NULL where the provider has none. */
    if (ops->reset) mm->ops.reset = provider_reset;
    if (ops->advise_large) mm->ops.advise_large = provider_advise_large;
    if (ops->move) mm->ops.move = provider_move;
    if (ops->prefault) mm->ops.prefault = provider_prefault;
    atomic_init(&mm->reservations, 0);
    handle_table_init(&mm->table);
    alloc_store_init(&mm->allocs);
    vidmm_mutex_init(&mm->objects_lock, VIDMM_RANK_OBJECTS);
    vidmm_mutex_init(&mm->gpus_lock, VIDMM_RANK_GPUS);
    list_init(&mm->gpus);
    mm->release_gpu = release_gpu;
    mm->system_tick = adapter_system_tick;
    *out = mm;
    return STATUS_SUCCESS;
}

static int first_entry(void *ctx, uint32_t handle, void *object)
{
    return 1;
}

void vidmm_destroy(struct vidmm *mm)
{
    struct vidmm_close_adapter_args args = {0};

    /* The watcher first: it looks at the GPUs. */
    system_stop_watcher(mm);
    /* Close every adapter still open; that takes devices and their objects along. */
    while ((args.handle = handle_table_for_each(&mm->table, VIDMM_OBJECT_ADAPTER, first_entry, NULL)))
        vidmm_close_adapter(mm, &args);
    sync_destroy_all(mm);
    system_detach(mm);
    faults_free(mm->faults);
    handle_table_cleanup(&mm->table);
    alloc_store_cleanup(&mm->allocs);
    vidmm_mutex_destroy(&mm->objects_lock);
    vidmm_mutex_destroy(&mm->gpus_lock);
    vidmm_free(mm);
}
