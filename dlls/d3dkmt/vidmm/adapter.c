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
 * Adapters and the GPUs behind them: OpenAdapter, CloseAdapter, adapter and
 * video memory queries.
 */
#if 0
#pragma makedep unix
#endif
#include "vidmm_private.h"

#define PAGES(bytes) ((bytes) / VIDMM_PAGE_SIZE)

/*
 * Segments of one GPU: placement in the local segment, eviction to
 * system-memory backing stores, and usage accounting.
 */
#include <string.h>

#include "vidmm_private.h"

#define PAGES(bytes) ((bytes) / VIDMM_PAGE_SIZE)

/* The GPU's entry in this process' slot of the system view, and its first
 * budget: what the other processes leave of the segment. */
static void system_attach_gpu(struct vidmm *mm, struct vidmm_gpu *gpu)
{
    if (!(gpu->sys = system_adapter_get(mm, gpu->luid, gpu->local.size))) return;
    vidmm_mutex_lock(&gpu->lock);
    system_refresh_budget(mm, gpu, 1);
    vidmm_mutex_unlock(&gpu->lock);
}

/* Fault injection's budget= (faults.c), once it is due: lowers the cap the
 * way the test escape does, and the pager trims to it.  Applied once, so the
 * test escape may set another cap afterwards.  gpu->lock held. */
static void apply_fault_budget(struct vidmm *mm, struct vidmm_gpu *gpu)
{
    uint64_t cap;

    vidmm_assert_held(&gpu->lock);
    if (gpu->fault_budget_done || (cap = faults_budget(mm->faults)) == UINT64_MAX) return;
    gpu->fault_budget_done = 1;
    if (cap < gpu->budget_cap) gpu_write(&gpu->budget_cap, cap);
    if (gpu->local_budget > gpu->budget_cap) gpu_write(&gpu->local_budget, gpu->budget_cap);
    if (gpu->sys) system_refresh_budget(mm, gpu, 0);
    faults_log(mm->faults, "injected budget: the local budget is now %llu bytes",
               (unsigned long long)gpu->local_budget);
    gpu_trim_to_budget(mm, gpu);
}

/* The watcher's hook (vidmm.system_tick): every GPU's budget follows the
 * other processes' usage; a process over its budget queues evictions of its
 * own allocations down to it (the pager copies them out). */
void adapter_system_tick(struct vidmm *mm)
{
    struct vidmm_list *e;

    vidmm_mutex_lock(&mm->gpus_lock);
    for (e = mm->gpus.next; e != &mm->gpus; e = e->next)
    {
        struct vidmm_gpu *gpu = LIST_ENTRY(e, struct vidmm_gpu, entry);

        if (!gpu->sys) continue;
        vidmm_mutex_lock(&gpu->lock);
        apply_fault_budget(mm, gpu);
        system_refresh_budget(mm, gpu, 0);
        if (gpu->local.usage > gpu->local_budget) gpu_trim_to_budget(mm, gpu);
        vidmm_mutex_unlock(&gpu->lock);
    }
    vidmm_mutex_unlock(&mm->gpus_lock);
    stats_system_tick(mm);
}

static NTSTATUS gpu_create(struct vidmm *mm, const struct vidmm_open_adapter_args *args, struct vidmm_gpu **out)
{
    struct vidmm_gpu *gpu;
    uint64_t local_size = args->local_size & ~(VIDMM_PAGE_SIZE - 1);

    if (!local_size) return STATUS_INVALID_PARAMETER;
    if (!(gpu = vidmm_calloc(1, sizeof(*gpu)))) return STATUS_NO_MEMORY;
    gpu->luid = args->luid;
    gpu->fast = mm->fast;
    gpu->allocs = &mm->allocs;
    gpu->source_count = args->source_count;
    gpu->local.size = local_size;
    gpu->nonlocal.size = args->nonlocal_size & ~(VIDMM_PAGE_SIZE - 1);
    lru_init(&gpu->local.lru);
    lru_init(&gpu->nonlocal.lru);
    ilist_init(&gpu->jobs);
    list_init(&gpu->paging_queues);
    gpu->local_budget = gpu->budget_cap = local_size;
    /* Over-commit ceiling: what system memory may hold of ours, non-local
     * allocations and backing stores together (3/4 of RAM by default). */
    gpu->commit_limit = gpu->nonlocal.size + gpu->nonlocal.size / 2;
    atomic_init(&gpu->apertures, D3DKMT_WINE_DEFAULT_APERTURES);
    if (range_alloc_init(&gpu->local.ra, PAGES(local_size)))
    {
        vidmm_free(gpu);
        return STATUS_NO_MEMORY;
    }
    /* The pool is committed once, for one mapping in all; untouched pages cost nothing. */
    if (!(gpu->local.base = mm->ops.reserve(mm->ops.ctx, local_size))
        || mm->ops.commit(mm->ops.ctx, gpu->local.base, local_size))
    {
        if (gpu->local.base) mm->ops.release(mm->ops.ctx, gpu->local.base, local_size);
        range_alloc_cleanup(&gpu->local.ra);
        vidmm_free(gpu);
        return STATUS_NO_MEMORY;
    }
    if (mm->ops.advise_large) mm->ops.advise_large(mm->ops.ctx, gpu->local.base, local_size);
    heap_init(&gpu->heap, &mm->ops, 0, 0);
    /* Each move may split a mapping of the pool: at most ~2048 of them. */
    gpu->move_min = local_size / 1024 > VIDMM_HEAP_DEDICATED_MIN ? local_size / 1024 : VIDMM_HEAP_DEDICATED_MIN;
    vidmm_mutex_init(&gpu->lock, VIDMM_RANK_GPU);
    pthread_cond_init(&gpu->pager_wake, NULL);
    pthread_cond_init(&gpu->paging_done, NULL);
    system_attach_gpu(mm, gpu);
    if (mm->faults)
    {
        vidmm_mutex_lock(&gpu->lock);
        apply_fault_budget(mm, gpu);
        vidmm_mutex_unlock(&gpu->lock);
    }
    *out = gpu;
    return STATUS_SUCCESS;
}

static void gpu_destroy(struct vidmm *mm, struct vidmm_gpu *gpu)
{
    pager_stop(gpu);
    system_adapter_put(mm, gpu->sys);
    pthread_cond_destroy(&gpu->pager_wake);
    pthread_cond_destroy(&gpu->paging_done);
    heap_cleanup(&gpu->heap);
    mm->ops.release(mm->ops.ctx, gpu->local.base, gpu->local.size);
    range_alloc_cleanup(&gpu->local.ra);
    vidmm_mutex_destroy(&gpu->lock);
    vidmm_free(gpu);
}

void release_gpu(struct vidmm *mm, struct vidmm_gpu *gpu)
{
    int last;

    vidmm_mutex_lock(&mm->gpus_lock);
    if ((last = !--gpu->opens)) list_remove(&gpu->entry);
    vidmm_mutex_unlock(&mm->gpus_lock);
    if (last) gpu_destroy(mm, gpu);
}

static struct vidmm_gpu *find_gpu(struct vidmm *mm, uint64_t luid)
{
    struct vidmm_list *e;

    for (e = mm->gpus.next; e != &mm->gpus; e = e->next)
    {
        struct vidmm_gpu *gpu = LIST_ENTRY(e, struct vidmm_gpu, entry);
        if (gpu->luid == luid) return gpu;
    }
    return NULL;
}

NTSTATUS vidmm_open_adapter(struct vidmm *mm, struct vidmm_open_adapter_args *args)
{
    struct vidmm_adapter *adapter;
    struct vidmm_gpu *gpu;
    NTSTATUS status;

    if (!args->luid || args->source_id >= args->source_count) return STATUS_INVALID_PARAMETER;
    if (!(adapter = vidmm_calloc(1, sizeof(*adapter)))) return STATUS_NO_MEMORY;
    adapter->obj.type = VIDMM_OBJECT_ADAPTER;
    atomic_init(&adapter->obj.refs, 1);
    adapter->source_id = args->source_id;
    adapter->host_handle = args->host_handle;
    list_init(&adapter->devices);

    vidmm_mutex_lock(&mm->gpus_lock);
    if (!(gpu = find_gpu(mm, args->luid)))
    {
        if ((status = gpu_create(mm, args, &gpu)))
        {
            vidmm_mutex_unlock(&mm->gpus_lock);
            vidmm_free(adapter);
            return status;
        }
        list_add_tail(&mm->gpus, &gpu->entry);
    }
    gpu->opens++;
    vidmm_mutex_unlock(&mm->gpus_lock);
    adapter->gpu = gpu;

    vidmm_mutex_lock(&mm->objects_lock);
    status = handle_table_insert(&mm->table, adapter, VIDMM_OBJECT_ADAPTER, &adapter->obj.handle);
    vidmm_mutex_unlock(&mm->objects_lock);
    if (status)
    {
        vidmm_put(mm, adapter);   /* gives the gpu back */
        return status;
    }
    args->handle = adapter->obj.handle;
    return STATUS_SUCCESS;
}

NTSTATUS vidmm_close_adapter(struct vidmm *mm, struct vidmm_close_adapter_args *args)
{
    struct vidmm_adapter *adapter;

    uint32_t *hosts = (uint32_t *)(uintptr_t)args->device_hosts;
    struct vidmm_list *entry;

    vidmm_mutex_lock(&mm->objects_lock);
    if (!args->handle || !(adapter = handle_table_lookup(&mm->table, args->handle, VIDMM_OBJECT_ADAPTER, NULL)))
    {
        vidmm_mutex_unlock(&mm->objects_lock);
        return STATUS_INVALID_PARAMETER;
    }
    args->device_count = 0;
    for (entry = adapter->devices.next; entry != &adapter->devices; entry = entry->next) args->device_count++;
    if (hosts && args->device_count > args->device_hosts_max)
    {
        vidmm_mutex_unlock(&mm->objects_lock);
        return STATUS_BUFFER_TOO_SMALL;
    }
    handle_table_remove(&mm->table, args->handle, VIDMM_OBJECT_ADAPTER);
    while (!list_empty(&adapter->devices))
    {
        struct vidmm_device *device = LIST_ENTRY(adapter->devices.next, struct vidmm_device, entry);

        /* Removed under objects_lock, as DestroyDevice does: whichever call
         * removes a device hands its Wine device back, exactly once. */
        if (hosts && device->host_handle) *hosts++ = device->host_handle;
        handle_table_remove(&mm->table, device->obj.handle, VIDMM_OBJECT_DEVICE);
        device_teardown(mm, device);
        vidmm_put(mm, device);
    }
    adapter->closed = 1;
    vidmm_mutex_unlock(&mm->objects_lock);
    args->host_handle = adapter->host_handle;
    vidmm_put(mm, adapter);
    return STATUS_SUCCESS;
}

NTSTATUS vidmm_query_adapter(struct vidmm *mm, uint32_t handle, struct vidmm_adapter_info *info)
{
    struct vidmm_adapter *adapter;

    if (!(adapter = vidmm_get(mm, handle, VIDMM_OBJECT_ADAPTER))) return STATUS_INVALID_PARAMETER;
    vidmm_mutex_lock(&adapter->gpu->lock);
    info->luid = adapter->gpu->luid;
    info->local_size = adapter->gpu->local.size;
    info->nonlocal_size = adapter->gpu->nonlocal.size;
    info->local_budget = adapter->gpu->local_budget;
    info->source_count = adapter->gpu->source_count;
    info->removed = adapter->gpu->removed;
    vidmm_mutex_unlock(&adapter->gpu->lock);
    info->source_id = adapter->source_id;
    info->host_handle = adapter->host_handle;
    vidmm_put(mm, adapter);
    return STATUS_SUCCESS;
}

/* Whether QueryVideoMemoryInfo must change something under gpu->lock: a
 * fault-injected budget that may be due, or a new share of the system view
 * (and the trim to it).  Usage above an unchanged budget is left to the
 * pager's queued work and the watcher's next look (adapter_system_tick):
 * a query must not wait for either. */
static int budget_moves(struct vidmm *mm, struct vidmm_gpu *gpu, uint32_t group, const struct vidmm_system_budget *b)
{
    if (mm->faults) return 1;
    if (!gpu->sys || group != VIDMM_SEGMENT_GROUP_LOCAL) return 0;
    return gpu_budget_for(gpu, b->budget) != gpu_read(&gpu->local_budget);
}

NTSTATUS vidmm_query_video_memory(struct vidmm *mm, struct vidmm_query_video_memory_args *args)
{
    struct vidmm_adapter *adapter;
    struct vidmm_segment *segment;
    NTSTATUS status = STATUS_SUCCESS;

    if (!(adapter = vidmm_get(mm, args->adapter, VIDMM_OBJECT_ADAPTER))) return STATUS_INVALID_PARAMETER;
    if (args->group > VIDMM_SEGMENT_GROUP_NON_LOCAL || args->physical_adapter != 0)
    {
        vidmm_put(mm, adapter);
        return STATUS_INVALID_PARAMETER;
    }
    {
        struct vidmm_gpu *gpu = adapter->gpu;
        struct vidmm_system_budget b;
        uint64_t own_usage;
        int found;

        if (args->process_id && args->group == VIDMM_SEGMENT_GROUP_LOCAL)
        {
            /* Another process: what it publishes, what the policy gives it. */
            own_usage = gpu_read(&gpu->local.usage);
            system_budget(mm, gpu->luid, gpu->local.size, own_usage, 1, args->process_id, &b);
            args->budget = gpu->sys ? b.budget : gpu->local.size;
            args->usage = b.usage;
        }
        else if (args->process_id)
        {
            vidmm_system_process_usage(mm, args->process_id, gpu->luid, args->group, &args->usage, &found);
            args->budget = gpu->nonlocal.size;
        }
        else
        {
            own_usage = gpu_read(&gpu->local.usage);
            /* The full liveness test, without the lock: a process that ended
             * gives its share back to this answer at once. */
            if (gpu->sys && args->group == VIDMM_SEGMENT_GROUP_LOCAL)
                system_budget(mm, gpu->luid, gpu->local.size, own_usage, 1, 0, &b);
            segment = args->group == VIDMM_SEGMENT_GROUP_LOCAL ? &gpu->local : &gpu->nonlocal;
            if (!budget_moves(mm, gpu, args->group, &b))
            {
                /* Nothing to change: no lock, so no wait for the pager or a
                 * list call holding it. */
                args->budget = args->group == VIDMM_SEGMENT_GROUP_LOCAL ? gpu_read(&gpu->local_budget) : segment->size;
                args->usage = gpu_read(&segment->usage);
                goto answered;
            }
            vidmm_mutex_lock(&gpu->lock);
            apply_fault_budget(mm, gpu);
            if (gpu->sys && args->group == VIDMM_SEGMENT_GROUP_LOCAL)
            {
                gpu_write(&gpu->local_budget, gpu_budget_for(gpu, b.budget));
                if (gpu->local.usage > gpu->local_budget) gpu_trim_to_budget(mm, gpu);
            }
            /* Local: this process' share of the segment (system.c's policy);
             * non-local: the whole segment. */
            args->budget = args->group == VIDMM_SEGMENT_GROUP_LOCAL ? gpu->local_budget : segment->size;
            args->usage = segment->usage;
            vidmm_mutex_unlock(&gpu->lock);
        }
    answered:
        args->reservation = 0;
        args->available_for_reservation = args->budget / 2;
    }
    vidmm_put(mm, adapter);
    return status;
}
