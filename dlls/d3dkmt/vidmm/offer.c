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
 * OfferAllocations and ReclaimAllocations(2).
 */
#if 0
#pragma makedep unix
#endif
#include <string.h>

#include "vidmm_private.h"

/* Allocations named by a list of resources or directly; entry[i] is the list
 * entry allocation i came from. */
static NTSTATUS resolve_offer_list(struct vidmm *mm, struct vidmm_device *device, const struct vidmm_list_args *args,
                                   struct vidmm_allocation ***allocs, uint32_t **entry, uint32_t *count)
{
    const uint32_t *handles = (const uint32_t *)(uintptr_t)args->handles;
    struct vidmm_allocation **all = NULL, **part;
    uint32_t *entries = NULL, i, j, total = 0, n;
    NTSTATUS status;

    *allocs = NULL;
    *entry = NULL;
    *count = 0;
    if (!args->by_resource)
    {
        if ((status = resolve_allocations(mm, device, 0, handles, args->count, &all, &total))) return status;
        if (!(entries = vidmm_malloc(total * sizeof(*entries))))
        {
            release_allocations(mm, all, total);
            return STATUS_NO_MEMORY;
        }
        for (i = 0; i < total; i++) entries[i] = i;
    }
    else for (i = 0; i < args->count; i++)
    {
        struct vidmm_allocation **grown_allocs;
        uint32_t *grown_entries;

        if ((status = resolve_allocations(mm, device, handles[i], NULL, 0, &part, &n))) goto failed;
        grown_allocs = vidmm_realloc(all, (total + n + 1) * sizeof(*all));
        if (grown_allocs) all = grown_allocs;
        grown_entries = vidmm_realloc(entries, (total + n + 1) * sizeof(*entries));
        if (grown_entries) entries = grown_entries;
        if (!grown_allocs || !grown_entries)
        {
            release_allocations(mm, part, n);
            status = STATUS_NO_MEMORY;
            goto failed;
        }
        for (j = 0; j < n; j++)
        {
            all[total + j] = part[j];
            entries[total + j] = i;
        }
        total += n;
        vidmm_free(part);
    }
    *allocs = all;
    *entry = entries;
    *count = total;
    return STATUS_SUCCESS;

failed:
    release_allocations(mm, all, total);
    vidmm_free(entries);
    return status;
}

/* All or nothing: already offered, locked or repeated allocations cannot be offered. */
static NTSTATUS check_offer(struct vidmm_allocation **allocs, const uint32_t *first, uint32_t count)
{
    NTSTATUS status = STATUS_SUCCESS;
    uint32_t i;

    if (any_dead(allocs, count)) return STATUS_INVALID_PARAMETER;
    for (i = 0; i < count && !status; i++)
    {
        alloc_lock(allocs[i]);
        if (allocs[i]->offered || allocs[i]->lock_count || first[i] != i) status = STATUS_INVALID_PARAMETER;
        vidmm_mutex_unlock(&allocs[i]->lock);
    }
    return status;
}

static void mark_offered(struct vidmm_gpu *gpu, struct vidmm_allocation *alloc, const struct vidmm_list_args *args)
{
    alloc_lock(alloc);
    alloc->offered = 1;
    alloc->discarded = 0;
    alloc->offer_decommit = !!(args->flags & VIDMM_OFFER_ALLOW_DECOMMIT);
    /* AUTO follows the eviction priority: below normal counts as low. */
    alloc->offer_priority = args->priority == 4 ? (alloc->priority < 0x78000000u ? 1 : 2) : args->priority;
    vidmm_mutex_unlock(&alloc->lock);
    lru_update(gpu, alloc);   /* to the offered classes, evicted first */
}

/* Offered at once: the memory goes back now, and the content with it (the
 * caller's own pSystemMem is never touched).  Between batches it may have
 * been reclaimed or destroyed: then it stays. */
static void offer_now(struct vidmm *mm, struct vidmm_gpu *gpu, struct vidmm_allocation *alloc)
{
    vidmm_assert_held(&gpu->lock);
    if (alloc->dead || !alloc->offered || alloc_pinned(alloc)) return;
    if (alloc->location == VIDMM_LOC_LOCAL) gpu_evict(mm, gpu, alloc);
    else if (alloc->location == VIDMM_LOC_SYSTEM && gpu->moving != alloc)   /* not while the pager reads it */
    {
        backing_discard(mm, alloc);
        alloc->discarded = alloc->offer_decommit ? 2 : 1;
    }
}

NTSTATUS vidmm_offer(struct vidmm *mm, struct vidmm_list_args *args)
{
    struct vidmm_allocation **allocs = NULL;
    struct vidmm_device *device;
    struct vidmm_gpu *gpu;
    uint32_t i, count = 0, *entry = NULL, *first = NULL;
    NTSTATUS status;

    if (args->flags & ~(VIDMM_OFFER_IMMEDIATELY | VIDMM_OFFER_ALLOW_DECOMMIT)) return STATUS_INVALID_PARAMETER;
    if (args->priority < 1 || args->priority > 4) return STATUS_INVALID_PARAMETER;
    if (!args->count || !args->handles) return STATUS_INVALID_PARAMETER;
    if ((status = get_device(mm, args->device, 0, &device))) return status;
    if ((status = resolve_offer_list(mm, device, args, &allocs, &entry, &count))
        || (status = first_occurrences(allocs, count, &first)))
        goto done;
    gpu = device->adapter->gpu;

    vidmm_mutex_lock(&gpu->lock);
    /* Every one offered under one hold of the lock, so no other Offer or
     * Reclaim sees half of the list; the evictions then in batches. */
    if (!(status = check_offer(allocs, first, count)))
        for (i = 0; i < count; i++) mark_offered(gpu, allocs[i], args);
    for (i = 0; i < count && !status && (args->flags & VIDMM_OFFER_IMMEDIATELY); i++)
    {
        if (i && !(i % VIDMM_BATCH)) gpu_batch_break(mm, gpu);
        offer_now(mm, gpu, allocs[i]);
    }
    vidmm_mutex_unlock(&gpu->lock);

done:
    vidmm_free(first);
    release_allocations(mm, allocs, count);
    vidmm_free(entry);
    vidmm_put(mm, device);
    return status;
}

NTSTATUS vidmm_reclaim(struct vidmm *mm, struct vidmm_list_args *args, int paging_queue)
{
    uint32_t *results = (uint32_t *)(uintptr_t)args->values;
    struct vidmm_allocation **allocs = NULL;
    struct vidmm_device *device;
    struct vidmm_gpu *gpu;
    uint32_t i, count = 0, *entry = NULL;
    NTSTATUS status;

    if (!args->count || !args->handles) return STATUS_INVALID_PARAMETER;
    if ((status = get_device(mm, args->device, paging_queue, &device))) return status;
    if ((status = resolve_offer_list(mm, device, args, &allocs, &entry, &count))) goto done;
    gpu = device->adapter->gpu;

    if (results) memset(results, 0, args->count * sizeof(*results));
    vidmm_mutex_lock(&gpu->lock);
    args->fence = gpu->fence_completed;
    if (any_dead(allocs, count)) status = STATUS_INVALID_PARAMETER;
    for (i = 0; i < count && !status; i++)
    {
        struct vidmm_allocation *alloc = allocs[i];
        uint32_t result = VIDMM_RECLAIM_OK;

        if (i && !(i % VIDMM_BATCH)) gpu_batch_break(mm, gpu);
        if (alloc->dead) continue;   /* destroyed since the last batch */

        alloc_lock(alloc);
        if (alloc->offered && alloc->discarded)
            result = alloc->discarded == 2 ? VIDMM_RECLAIM_NOT_COMMITTED : VIDMM_RECLAIM_DISCARDED;
        alloc->offered = 0;
        alloc->discarded = 0;
        alloc->offer_decommit = 0;
        vidmm_mutex_unlock(&alloc->lock);
        lru_update(gpu, alloc);
        /* A resource reports its worst allocation. */
        if (results && result > results[entry[i]]) results[entry[i]] = result;
        /* Back into video memory if the device still wants it resident. */
        if (alloc->residency_count && alloc->location == VIDMM_LOC_SYSTEM && alloc->group == VIDMM_SEGMENT_GROUP_LOCAL)
            args->fence = pager_queue(mm, gpu, alloc, VIDMM_PAGING_RESTORE);
    }
    vidmm_mutex_unlock(&gpu->lock);

done:
    release_allocations(mm, allocs, count);
    vidmm_free(entry);
    vidmm_put(mm, device);
    return status;
}
