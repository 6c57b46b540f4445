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
 * Layer 4, eviction: the LRU of resident allocations, whom to evict first,
 * and placement that evicts others to make room (new allocations, restores).
 */
#if 0
#pragma makedep unix
#endif
#include "vidmm_private.h"

void gpu_touch(struct vidmm_gpu *gpu, struct vidmm_allocation *alloc)
{
    vidmm_assert_held(&gpu->lock);
    if (alloc->dead || alloc->location != VIDMM_LOC_LOCAL || alloc_pinned(alloc)) return;
    list_remove(&alloc->lru);
    list_add_tail(&gpu->local.lru, &alloc->lru);
}

int alloc_evictable(struct vidmm_allocation *alloc)
{
    uint32_t locked;

    vidmm_assert_held(&alloc->gpu->lock);
    if (alloc->dead || alloc_pinned(alloc) || alloc->residency_count) return 0;
    vidmm_mutex_lock(&alloc->lock);
    locked = alloc->lock_count;
    vidmm_mutex_unlock(&alloc->lock);
    return !locked;
}

/* Whom to evict first: offered allocations (lowest offer priority first),
 * then the lowest priority; the LRU order breaks ties. */
static int victim_before(const struct vidmm_allocation *a, const struct vidmm_allocation *b)
{
    if (a->offered != b->offered) return a->offered;
    if (a->offered) return a->offer_priority < b->offer_priority;
    return a->priority < b->priority;
}

struct vidmm_allocation *pick_victim(struct vidmm_gpu *gpu, const struct vidmm_allocation *skip)
{
    struct vidmm_allocation *victim = NULL;
    struct vidmm_list *e;

    vidmm_assert_held(&gpu->lock);
    for (e = gpu->local.lru.next; e != &gpu->local.lru; e = e->next)
    {
        struct vidmm_allocation *alloc = LIST_ENTRY(e, struct vidmm_allocation, lru);

        gpu->victim_visits++;
        if (alloc == skip || alloc->paging != VIDMM_PAGING_NONE || !alloc_evictable(alloc)) continue;
        if (!victim || victim_before(alloc, victim)) victim = alloc;
    }
    return victim;
}

/* Places the allocation in the local segment, evicting others while that
 * can make room. */
static NTSTATUS place_evicting(struct vidmm *mm, struct vidmm_gpu *gpu, struct vidmm_allocation *alloc,
                               struct range_block **block)
{
    struct vidmm_allocation *victim;
    NTSTATUS status;

    vidmm_assert_held(&gpu->lock);
    while ((status = place_local(mm, gpu, alloc, block)) == STATUS_GRAPHICS_NO_VIDEO_MEMORY)
    {
        if (alloc->size > gpu->local_budget || !(victim = pick_victim(gpu, alloc))) break;
        /* A victim locked meanwhile is skipped by the next pick. */
        if ((status = gpu_evict(mm, gpu, victim)) && status != STATUS_GRAPHICS_ALLOCATION_BUSY) break;
    }
    return status;
}

NTSTATUS gpu_restore(struct vidmm *mm, struct vidmm_gpu *gpu, struct vidmm_allocation *alloc)
{
    struct range_block *block;
    NTSTATUS status;

    vidmm_assert_held(&gpu->lock);
    if (alloc->dead || alloc->location != VIDMM_LOC_SYSTEM || alloc->group != VIDMM_SEGMENT_GROUP_LOCAL
        || !alloc->backing)
        return STATUS_SUCCESS;
    vidmm_mutex_lock(&alloc->lock);
    if (alloc->lock_count)
    {
        /* Never move a locked allocation: its CPU address must stay valid. */
        alloc->wants_restore = 1;
        vidmm_mutex_unlock(&alloc->lock);
        return STATUS_SUCCESS;
    }
    vidmm_mutex_unlock(&alloc->lock);
    if ((status = place_evicting(mm, gpu, alloc, &block))) return status;
    restore_into(mm, gpu, alloc, block);
    return STATUS_SUCCESS;
}

NTSTATUS gpu_place_new(struct vidmm *mm, struct vidmm_gpu *gpu, struct vidmm_allocation *alloc)
{
    struct range_block *block;
    NTSTATUS status;

    vidmm_assert_held(&gpu->lock);
    /* Too large to ever live in its segment: refused before reserving
     * anything (Wine keeps bookkeeping for every page ever reserved). */
    if (alloc->group == VIDMM_SEGMENT_GROUP_LOCAL && alloc->size > gpu->local.size)
        return STATUS_GRAPHICS_NO_VIDEO_MEMORY;
    if (alloc->group == VIDMM_SEGMENT_GROUP_NON_LOCAL || alloc->location == VIDMM_LOC_USER)
        return place_nonlocal(mm, gpu, alloc);

    status = place_evicting(mm, gpu, alloc, &block);
    if (!status)
    {
        enter_local(gpu, alloc, block);
        return STATUS_SUCCESS;
    }
    if (status != STATUS_GRAPHICS_NO_VIDEO_MEMORY || alloc_pinned(alloc)) return status;
    /* Video memory is over-committed: start out in a backing store. */
    return place_backing(mm, gpu, alloc);
}
