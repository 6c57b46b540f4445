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
 * Residency (WDDM 2.0): paging queues, MakeResident, Evict,
 * QueryAllocationResidency, priorities.
 */
#include <string.h>

#include "sync_private.h"

/*
 * Residency (WDDM 2.0): paging queues, MakeResident, Evict,
 * QueryAllocationResidency, priorities, Offer and Reclaim.
 */
#if 0
#pragma makedep unix
#endif
#include <string.h>

#include "vidmm_private.h"


NTSTATUS vidmm_create_paging_queue(struct vidmm *mm, struct vidmm_paging_queue_args *args)
{
    struct vidmm_paging_queue *queue;
    struct vidmm_device *device;
    volatile uint64_t *fence_cpu = NULL;
    struct vidmm_gpu *gpu;
    NTSTATUS status;

    if (!(device = vidmm_get(mm, args->device, VIDMM_OBJECT_DEVICE))) return STATUS_INVALID_PARAMETER;
    if ((status = device_check(device))) goto done;
    gpu = device->adapter->gpu;
    status = STATUS_NO_MEMORY;
    if (!(queue = vidmm_calloc(1, sizeof(*queue)))) goto done;
    queue->obj.type = VIDMM_OBJECT_PAGING_QUEUE;
    atomic_init(&queue->obj.refs, 1);
    atomic_fetch_add(&device->obj.refs, 1);
    queue->device = device;
    queue->mm = mm;
    list_init(&queue->entry);
    list_init(&queue->gpu_entry);

    vidmm_mutex_lock(&mm->objects_lock);
    if (device->dead) status = STATUS_INVALID_PARAMETER;
    else if (!(status = handle_table_insert(&mm->table, queue, VIDMM_OBJECT_PAGING_QUEUE, &queue->obj.handle)))
    {
        /* The monitored fence is a sync object of its own, with the next handle. */
        if ((status = sync_create_internal_fence(mm, device, 0, &queue->sync_object, &fence_cpu)))
            handle_table_remove(&mm->table, queue->obj.handle, VIDMM_OBJECT_PAGING_QUEUE);
    }
    if (!status)
    {
        list_add_tail(&device->paging_queues, &queue->entry);
        vidmm_mutex_lock(&gpu->lock);
        list_add_tail(&gpu->paging_queues, &queue->gpu_entry);
        sync_signal_internal_fence(mm, queue->sync_object, gpu->fence_completed);
        vidmm_mutex_unlock(&gpu->lock);
    }
    vidmm_mutex_unlock(&mm->objects_lock);
    if (status) goto failed;
    args->handle = queue->obj.handle;
    args->sync_object = queue->sync_object;
    args->fence_cpu_va = (uintptr_t)fence_cpu;
    goto done;

failed:
    vidmm_put(mm, queue);
done:
    vidmm_put(mm, device);
    return status;
}

/* Handles still in the table are removed here. */
void paging_queue_destroy(struct vidmm *mm, struct vidmm_paging_queue *queue)
{
    struct vidmm_gpu *gpu = queue->device->adapter->gpu;

    vidmm_assert_held(&mm->objects_lock);
    handle_table_remove(&mm->table, queue->obj.handle, VIDMM_OBJECT_PAGING_QUEUE);
    vidmm_mutex_lock(&gpu->lock);
    list_remove(&queue->gpu_entry);
    vidmm_mutex_unlock(&gpu->lock);
    /* Off the GPU's list first, so the pager no longer signals it. */
    sync_destroy_internal_fence(mm, queue->sync_object);
    list_remove(&queue->entry);
    vidmm_put(mm, queue);
}

NTSTATUS vidmm_destroy_paging_queue(struct vidmm *mm, uint32_t handle)
{
    struct vidmm_paging_queue *queue;

    vidmm_mutex_lock(&mm->objects_lock);
    if (!handle || !(queue = handle_table_lookup(&mm->table, handle, VIDMM_OBJECT_PAGING_QUEUE, NULL)))
    {
        vidmm_mutex_unlock(&mm->objects_lock);
        return STATUS_INVALID_PARAMETER;
    }
    paging_queue_destroy(mm, queue);
    vidmm_mutex_unlock(&mm->objects_lock);
    return STATUS_SUCCESS;
}

/* Bytes the residency requirements claim in the local segment. */
static uint64_t committed_bytes(struct vidmm_gpu *gpu)
{
    vidmm_assert_held(&gpu->lock);
    return gpu->residency_claim + gpu->local_pinned;
}

/* Whether taking a residency reference adds to the claim. */
static int claims(const struct vidmm_allocation *alloc)
{
    return alloc->group == VIDMM_SEGMENT_GROUP_LOCAL && !alloc_pinned(alloc);
}

void gpu_batch_break(struct vidmm *mm, struct vidmm_gpu *gpu)
{
    vidmm_mutex_unlock(&gpu->lock);
    if (mm->between_batches) mm->between_batches(mm->between_batches_ctx);
    vidmm_mutex_lock(&gpu->lock);
}

/* MakeResident's validation: all or nothing, within the budget. */
static NTSTATUS check_make_resident(struct vidmm_gpu *gpu, struct vidmm_list_args *args,
                                    struct vidmm_allocation **allocs, const uint32_t *first, uint32_t count)
{
    uint64_t committed, needed = 0, limit;
    uint32_t i;

    vidmm_assert_held(&gpu->lock);
    if (any_dead(allocs, count)) return STATUS_INVALID_PARAMETER;
    committed = committed_bytes(gpu);
    for (i = 0; i < count; i++)
        if (first[i] == i && claims(allocs[i]) && !allocs[i]->residency_count) needed += allocs[i]->size;
    /* CantTrimFurther may go past the current budget, never past the segment. */
    limit = (args->flags & VIDMM_MAKERESIDENT_CANT_TRIM_FURTHER) ? gpu->local.size : gpu->local_budget;
    if (committed + needed <= limit) return STATUS_SUCCESS;
    args->bytes_to_trim = committed + needed - gpu->local_budget;
    return STATUS_NO_MEMORY;   /* nothing changed: the call is all or nothing */
}

/* Queues the restore of a referenced allocation (or touches it); returns the
 * fence it waits for, 0 if none.  The batches drop gpu->lock in between, so
 * it may have been destroyed meanwhile. */
static uint64_t make_one_resident(struct vidmm *mm, struct vidmm_gpu *gpu, struct vidmm_allocation *alloc)
{
    vidmm_assert_held(&gpu->lock);
    if (alloc->dead || alloc->group != VIDMM_SEGMENT_GROUP_LOCAL) return 0;
    if (alloc->location == VIDMM_LOC_SYSTEM || alloc->paging == VIDMM_PAGING_EVICT)
        return pager_queue(mm, gpu, alloc, VIDMM_PAGING_RESTORE);
    if (alloc->paging == VIDMM_PAGING_RESTORE) return alloc_paging_fence(gpu, alloc);
    gpu_touch(gpu, alloc);
    return 0;
}

NTSTATUS vidmm_make_resident(struct vidmm *mm, struct vidmm_list_args *args)
{
    struct vidmm_allocation **allocs = NULL;
    struct vidmm_device *device;
    struct vidmm_gpu *gpu;
    uint64_t fence = 0, one;
    uint32_t i, count = 0, *first = NULL;
    NTSTATUS status;
    int pending = 0;

    if (args->flags & ~(VIDMM_MAKERESIDENT_CANT_TRIM_FURTHER | VIDMM_MAKERESIDENT_MUST_SUCCEED))
        return STATUS_INVALID_PARAMETER;
    if ((args->flags & VIDMM_MAKERESIDENT_MUST_SUCCEED) && !(args->flags & VIDMM_MAKERESIDENT_CANT_TRIM_FURTHER))
        return STATUS_INVALID_PARAMETER;
    if (!args->count) return STATUS_INVALID_PARAMETER;
    if ((status = get_device(mm, args->device, 1, &device))) return status;
    if ((status = resolve_allocations(mm, device, 0, (const uint32_t *)(uintptr_t)args->handles, args->count,
                                      &allocs, &count))
        || (status = first_occurrences(allocs, count, &first)))
        goto done;
    gpu = device->adapter->gpu;

    vidmm_mutex_lock(&gpu->lock);
    if ((status = check_make_resident(gpu, args, allocs, first, count)))
    {
        vidmm_mutex_unlock(&gpu->lock);
        if (status == STATUS_NO_MEMORY && (args->flags & VIDMM_MAKERESIDENT_MUST_SUCCEED))
            atomic_store(&device->exec_state, VIDMM_EXECUTION_ERROR_OUTOFMEMORY);
        goto done;
    }
    /* The references all at once (cheap), so the budget check holds; victim
     * choice takes the referenced ones off its lists when it meets them. */
    for (i = 0; i < count; i++)
        if (!allocs[i]->residency_count++ && claims(allocs[i])) gpu->residency_claim += allocs[i]->size;
    /* The paging work in batches, letting other threads in between. */
    for (i = 0; i < count; i++)
    {
        if (i && !(i % VIDMM_BATCH)) gpu_batch_break(mm, gpu);
        if (first[i] != i || !(one = make_one_resident(mm, gpu, allocs[i]))) continue;
        if (one > fence) fence = one;
        pending = 1;
    }
    /* The queued jobs may already have run (or run synchronously). */
    if (pending && gpu->fence_completed >= fence) pending = 0;
    args->fence = pending ? fence : gpu->fence_completed;
    args->bytes_to_trim = 0;
    vidmm_mutex_unlock(&gpu->lock);
    status = pending ? STATUS_PENDING : STATUS_SUCCESS;

done:
    vidmm_free(first);
    release_allocations(mm, allocs, count);
    vidmm_put(mm, device);
    return status;
}

/* All or nothing: every entry must hold a residency reference, one per use. */
static NTSTATUS check_evict(struct vidmm_allocation **allocs, const uint32_t *first, uint32_t *uses, uint32_t count)
{
    uint32_t i;

    if (any_dead(allocs, count)) return STATUS_INVALID_PARAMETER;
    for (i = 0; i < count; i++) uses[first[i]]++;
    for (i = 0; i < count; i++)
        if (first[i] == i && allocs[i]->residency_count < uses[i]) return STATUS_INVALID_PARAMETER;
    return STATUS_SUCCESS;
}

NTSTATUS vidmm_evict(struct vidmm *mm, struct vidmm_list_args *args)
{
    struct vidmm_allocation **allocs = NULL;
    struct vidmm_device *device;
    struct vidmm_gpu *gpu;
    uint64_t committed;
    NTSTATUS status = STATUS_SUCCESS;
    uint32_t i, count = 0, *first = NULL, *uses = NULL;

    if (args->flags & ~(VIDMM_EVICT_ONLY_IF_NECESSARY | VIDMM_EVICT_NOT_WRITTEN_TO)) return STATUS_INVALID_PARAMETER;
    if (!args->count) return STATUS_INVALID_PARAMETER;
    if ((status = get_device(mm, args->device, 0, &device))) return status;
    if ((status = resolve_allocations(mm, device, 0, (const uint32_t *)(uintptr_t)args->handles, args->count,
                                      &allocs, &count))
        || (status = first_occurrences(allocs, count, &first)))
        goto done;
    if (!(uses = vidmm_calloc(count, sizeof(*uses))))
    {
        status = STATUS_NO_MEMORY;
        goto done;
    }
    gpu = device->adapter->gpu;

    vidmm_mutex_lock(&gpu->lock);
    if (!(status = check_evict(allocs, first, uses, count)))
    {
        for (i = 0; i < count; i++)
            if (!--allocs[i]->residency_count && claims(allocs[i])) gpu->residency_claim -= allocs[i]->size;
        for (i = 0; i < count; i++)
        {
            struct vidmm_allocation *alloc = allocs[i];

            if (i && !(i % VIDMM_BATCH)) gpu_batch_break(mm, gpu);
            /* At zero it leaves the residency list (and is a candidate for
             * victim choice again); it really goes unless the caller
             * expects to use it again soon.  Destroyed or referenced again
             * since the last batch: nothing to do. */
            if (first[i] != i || alloc->dead || alloc->residency_count || alloc->location != VIDMM_LOC_LOCAL) continue;
            lru_update(gpu, alloc);
            if (!(args->flags & VIDMM_EVICT_ONLY_IF_NECESSARY) && alloc_evictable(alloc))
                pager_queue(mm, gpu, alloc, VIDMM_PAGING_EVICT);
        }
        committed = committed_bytes(gpu);
        args->bytes_to_trim = committed > gpu->local_budget ? committed - gpu->local_budget : 0;
    }
    vidmm_mutex_unlock(&gpu->lock);

done:
    vidmm_free(uses);
    vidmm_free(first);
    release_allocations(mm, allocs, count);
    vidmm_put(mm, device);
    return status;
}

static uint32_t residency_of(const struct vidmm_allocation *alloc)
{
    if (alloc->location == VIDMM_LOC_LOCAL) return VIDMM_RESIDENCY_IN_GPU_MEMORY;
    if (alloc->location == VIDMM_LOC_SHARED && alloc->group == VIDMM_SEGMENT_GROUP_LOCAL)
        return VIDMM_RESIDENCY_IN_GPU_MEMORY;
    if (alloc->group == VIDMM_SEGMENT_GROUP_NON_LOCAL) return VIDMM_RESIDENCY_IN_SHARED_MEMORY;
    return VIDMM_RESIDENCY_NOT_RESIDENT;
}

/* The list/resource forms share their validation: exactly one of the two. */
static NTSTATUS resolve_list_args(struct vidmm *mm, const struct vidmm_list_args *args, int paging_queue,
                                  struct vidmm_device **device, struct vidmm_allocation ***allocs, uint32_t *count)
{
    NTSTATUS status;

    *device = NULL;
    *allocs = NULL;
    *count = 0;
    if (!args->resource == !args->count) return STATUS_INVALID_PARAMETER;
    if (!args->values) return STATUS_INVALID_PARAMETER;
    if ((status = get_device(mm, args->device, paging_queue, device))) return status;
    if ((status = resolve_allocations(mm, *device, args->resource, (const uint32_t *)(uintptr_t)args->handles,
                                      args->count, allocs, count)))
    {
        vidmm_put(mm, *device);
        *device = NULL;
    }
    return status;
}

NTSTATUS vidmm_query_residency(struct vidmm *mm, struct vidmm_list_args *args)
{
    uint32_t *values = (uint32_t *)(uintptr_t)args->values;
    struct vidmm_allocation **allocs;
    struct vidmm_device *device;
    NTSTATUS status;
    uint32_t i, count, worst = VIDMM_RESIDENCY_IN_GPU_MEMORY;

    if ((status = resolve_list_args(mm, args, 0, &device, &allocs, &count))) return status;
    vidmm_mutex_lock(&device->adapter->gpu->lock);
    if (any_dead(allocs, count)) status = STATUS_INVALID_PARAMETER;
    for (i = 0; i < count && !status; i++)
    {
        uint32_t residency = residency_of(allocs[i]);
        if (args->resource) { if (residency > worst) worst = residency; }
        else values[i] = residency;
    }
    vidmm_mutex_unlock(&device->adapter->gpu->lock);
    /* The resource form gives one answer: not resident if any allocation is not. */
    if (args->resource && !status) values[0] = worst;
    release_allocations(mm, allocs, count);
    vidmm_put(mm, device);
    return status;
}

static NTSTATUS priority_call(struct vidmm *mm, struct vidmm_list_args *args, int set)
{
    uint32_t *values = (uint32_t *)(uintptr_t)args->values;
    struct vidmm_allocation **allocs;
    struct vidmm_device *device;
    NTSTATUS status;
    uint32_t i, count;

    if ((status = resolve_list_args(mm, args, 0, &device, &allocs, &count))) return status;
    vidmm_mutex_lock(&device->adapter->gpu->lock);
    if (any_dead(allocs, count)) status = STATUS_INVALID_PARAMETER;
    for (i = 0; i < count && !status; i++)
    {
        /* The resource form uses (or reports) one value for all its allocations. */
        uint32_t *value = &values[args->resource ? 0 : i];
        if (set)
        {
            allocs[i]->priority = *value;
            lru_update(device->adapter->gpu, allocs[i]);   /* its class may change */
        }
        else if (!args->resource || !i) *value = allocs[i]->priority;
    }
    if (args->resource && !count && !set) values[0] = 0x78000000u;  /* empty resource: normal */
    vidmm_mutex_unlock(&device->adapter->gpu->lock);
    release_allocations(mm, allocs, count);
    vidmm_put(mm, device);
    return status;
}

NTSTATUS vidmm_set_priority(struct vidmm *mm, struct vidmm_list_args *args)
{
    return priority_call(mm, args, 1);
}

NTSTATUS vidmm_get_priority(struct vidmm *mm, struct vidmm_list_args *args)
{
    return priority_call(mm, args, 0);
}
