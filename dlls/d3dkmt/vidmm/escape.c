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
 * The driver-private escape (d3dkmt_driver.h) and the statistics it reports.
 */
#if 0
#pragma makedep unix
#endif
#include <string.h>

#include "vidmm_private.h"

void vidmm_get_stats(struct vidmm *mm, struct vidmm_stats *stats)
{
    struct vidmm_list *e;

    memset(stats, 0, sizeof(*stats));
    vidmm_mutex_lock(&mm->objects_lock);
    stats->adapters = handle_table_count(&mm->table, VIDMM_OBJECT_ADAPTER);
    stats->devices = handle_table_count(&mm->table, VIDMM_OBJECT_DEVICE);
    stats->resources = handle_table_count(&mm->table, VIDMM_OBJECT_RESOURCE);
    stats->allocations = handle_table_count(&mm->table, VIDMM_OBJECT_ALLOCATION);
    vidmm_mutex_lock(&mm->gpus_lock);
    for (e = mm->gpus.next; e != &mm->gpus; e = e->next)
    {
        struct vidmm_gpu *gpu = LIST_ENTRY(e, struct vidmm_gpu, entry);
        vidmm_mutex_lock(&gpu->lock);
        stats->local_usage += gpu->local.usage;
        stats->nonlocal_usage += gpu->nonlocal.usage;
        stats->backing_bytes += gpu->backing_bytes;
        stats->heap_arenas += gpu->heap.arena_count + gpu->heap.dedicated_count;
        if (gpu->heap.spare)
        {
            stats->spare_arenas++;
            stats->spare_bytes += gpu->heap.spare->size;
        }
        if (gpu->heap.page_spare)
        {
            stats->spare_arenas++;
            stats->spare_bytes += gpu->heap.page_spare->size;
        }
        vidmm_mutex_unlock(&gpu->lock);
    }
    vidmm_mutex_unlock(&mm->gpus_lock);
    vidmm_mutex_unlock(&mm->objects_lock);
}

static void fill_escape_stats(struct vidmm *mm, struct vidmm_gpu *gpu, D3DKMT_WINE_ESCAPE *escape)
{
    struct vidmm_stats stats;
    struct vidmm_allocation *alloc;
    uint32_t queued = 0;

    vidmm_get_stats(mm, &stats);
    vidmm_mutex_lock(&gpu->lock);
    escape->LocalUsage = gpu->local.usage;
    escape->NonLocalUsage = gpu->nonlocal.usage;
    escape->LocalBudget = gpu->local_budget;
    escape->BackingBytes = gpu->backing_bytes;
    escape->FenceSubmitted = gpu->fence_submitted;
    escape->FenceCompleted = gpu->fence_completed;
    for (alloc = ilist_first(gpu->allocs, &gpu->jobs); alloc; alloc = ilist_next(gpu->allocs, alloc, ALLOC_JOB))
        queued++;
    escape->PagingQueued = queued;
    escape->AperturesUsed = atomic_load(&gpu->apertures_used);
    vidmm_mutex_unlock(&gpu->lock);
    escape->Adapters = stats.adapters;
    escape->Devices = stats.devices;
    escape->Resources = stats.resources;
    escape->Allocations = stats.allocations;
}

NTSTATUS vidmm_escape(struct vidmm *mm, struct vidmm_escape_args *args)
{
    D3DKMT_WINE_ESCAPE *escape = (D3DKMT_WINE_ESCAPE *)(uintptr_t)args->data;
    struct vidmm_adapter *adapter;
    struct vidmm_device *device = NULL;
    struct vidmm_gpu *gpu;
    NTSTATUS status = STATUS_SUCCESS;

    if (!(mm->flags & VIDMM_CREATE_TEST_CONTROL)) return STATUS_INVALID_PARAMETER;
    if (!(adapter = vidmm_get(mm, args->adapter, VIDMM_OBJECT_ADAPTER))) return STATUS_INVALID_PARAMETER;
    if (args->device && (!(device = vidmm_get(mm, args->device, VIDMM_OBJECT_DEVICE)) || device->adapter != adapter))
    {
        status = STATUS_INVALID_PARAMETER;
        goto done;
    }
    if (!escape || args->size != sizeof(*escape) || escape->Magic != D3DKMT_WINE_ESCAPE_MAGIC
        || escape->Version != D3DKMT_WINE_ESCAPE_VERSION || escape->Reserved)
    {
        status = STATUS_INVALID_PARAMETER;
        goto done;
    }
    gpu = adapter->gpu;
    if (gpu->removed && escape->Command != D3DKMT_WINE_ESCAPE_QUERY_STATS)
    {
        status = STATUS_DEVICE_REMOVED;
        goto done;
    }
    vidmm_mutex_lock(&gpu->lock);
    switch (escape->Command)
    {
    case D3DKMT_WINE_ESCAPE_QUERY_STATS:
        break;
    case D3DKMT_WINE_ESCAPE_PAUSE_PAGER:
        gpu->pager_paused = 1;
        break;
    case D3DKMT_WINE_ESCAPE_RESUME_PAGER:
        gpu->pager_paused = 0;
        pthread_cond_signal(&gpu->pager_wake);
        break;
    case D3DKMT_WINE_ESCAPE_WAIT_IDLE:
        if (gpu->pager_paused) status = STATUS_INVALID_PARAMETER;  /* would never return */
        else while (!ilist_empty(&gpu->jobs)) vidmm_cond_wait(&gpu->paging_done, &gpu->lock);
        break;
    case D3DKMT_WINE_ESCAPE_SET_LOCAL_BUDGET:
        if (escape->Value > gpu->local.size) status = STATUS_INVALID_PARAMETER;
        else
        {
            gpu_write(&gpu->local_budget, escape->Value ? escape->Value & ~(VIDMM_PAGE_SIZE - 1) : gpu->local.size);
            gpu_write(&gpu->budget_cap, gpu->local_budget);
            system_refresh_budget(mm, gpu, 0);   /* and no more than the system view gives */
            gpu_trim_to_budget(mm, gpu);
        }
        break;
    case D3DKMT_WINE_ESCAPE_SET_APERTURES:
        if (escape->Value > 64) status = STATUS_INVALID_PARAMETER;
        else atomic_store(&gpu->apertures, (uint32_t)escape->Value);
        break;
    case D3DKMT_WINE_ESCAPE_REMOVE_ADAPTER:
        atomic_store(&gpu->removed, 1);
        fastlock_disable(mm);   /* Lock must now say so */
        break;
    default:
        status = STATUS_INVALID_PARAMETER;
        break;
    }
    vidmm_mutex_unlock(&gpu->lock);
    if (!status) fill_escape_stats(mm, gpu, escape);

done:
    vidmm_put(mm, device);
    vidmm_put(mm, adapter);
    return status;
}
