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
    atomic_store_explicit(&alloc->used, 0, memory_order_relaxed);
    lru_rotate(gpu, alloc);
}

int alloc_evictable(struct vidmm_allocation *alloc)
{
    uint32_t locked;

    vidmm_assert_held(&alloc_gpu(alloc)->lock);
    if (alloc->dead || alloc_pinned(alloc) || alloc->residency_count) return 0;
    alloc_lock(alloc);
    locked = alloc->lock_count;
    vidmm_mutex_unlock(&alloc->lock);
    return !locked;
}

/* Parks a locked candidate; its last unlock brings it back (lock.c). */
static int park_if_locked(struct vidmm_gpu *gpu, struct vidmm_allocation *alloc)
{
    uint32_t locked;

    alloc_lock(alloc);
    if ((locked = alloc->lock_count)) atomic_store_explicit(&alloc->parked, 1, memory_order_relaxed);
    vidmm_mutex_unlock(&alloc->lock);
    if (locked) lru_update(gpu, alloc);
    return locked != 0;
}

/* Whom to evict first: the class lists (lru.c) give the order of offer,
 * offer priority and priority; within a list, CLOCK: one marked used by a
 * Lock since the last look gets a second chance at the tail.  Every entry
 * looked at is either taken, or moved off the lists, or loses its mark, so
 * a pick costs O(1) amortized whatever the number of resident allocations.
 * The allocation being placed (skip) is never on the lists. */
struct vidmm_allocation *pick_victim(struct vidmm_gpu *gpu, const struct vidmm_allocation *skip)
{
    struct vidmm_allocation *alloc;

    vidmm_assert_held(&gpu->lock);
    while ((alloc = lru_first(gpu)))
    {
        gpu->victim_visits++;
        if (alloc == skip || alloc->paging != VIDMM_PAGING_NONE || alloc->residency_count || alloc->dead)
        {
            /* Not a candidate any more (paging queued since): off the lists
             * until lru_update() is called for it again. */
            if (alloc == skip) lru_remove(gpu, alloc);
            else lru_update(gpu, alloc);
            continue;
        }
        if (atomic_load_explicit(&alloc->used, memory_order_relaxed))
        {
            atomic_store_explicit(&alloc->used, 0, memory_order_relaxed);
            lru_rotate(gpu, alloc);
            continue;
        }
        if (park_if_locked(gpu, alloc)) continue;
        /* park_if_locked disarmed it: a fast lock's use counts as well. */
        if (atomic_load_explicit(&alloc->used, memory_order_relaxed))
        {
            atomic_store_explicit(&alloc->used, 0, memory_order_relaxed);
            lru_rotate(gpu, alloc);
            continue;
        }
        return alloc;
    }
    return NULL;
}

/* Over this process' budget in the system view: looks again at the others
 * (their usage may have gone down, or they may be over their own budgets:
 * they are rung to trim).  Returns whether the budget now has room. */
static int system_over_budget(struct vidmm *mm, struct vidmm_gpu *gpu, uint64_t size)
{
    uint64_t over;

    if (!gpu->sys || gpu->local.usage + size <= gpu->local_budget) return 0;
    over = system_refresh_budget(mm, gpu, 0);
    if (over && gpu->local.usage + size > gpu->local_budget) vidmm_system_ring(mm, over);
    return gpu->local.usage + size <= gpu->local_budget;
}

/* Whether the victim's range can be the newcomer's as it is: a full
 * segment of same-sized allocations evicts one for each create. */
static int victim_range_fits(const struct vidmm_allocation *victim, const struct vidmm_allocation *alloc)
{
    return victim->size == alloc->size && victim->block && !(victim->block->offset % alloc_align_pages(alloc));
}

/* Places the allocation in the local segment, evicting others while that
 * can make room. */
static NTSTATUS place_evicting(struct vidmm *mm, struct vidmm_gpu *gpu, struct vidmm_allocation *alloc,
                               struct range_block **block)
{
    struct vidmm_allocation *victim;
    struct range_block *kept;
    NTSTATUS status;
    int asked = 0;

    vidmm_assert_held(&gpu->lock);
    while ((status = place_local(mm, gpu, alloc, block)) == STATUS_GRAPHICS_NO_VIDEO_MEMORY)
    {
        if (!asked++ && system_over_budget(mm, gpu, alloc->size)) continue;   /* the budget rose */
        if (alloc->size > gpu->local_budget || !(victim = pick_victim(gpu, alloc))) break;
        kept = NULL;
        /* A victim locked meanwhile is skipped by the next pick. */
        status = gpu_evict_keep(mm, gpu, victim, victim_range_fits(victim, alloc) ? &kept : NULL);
        if (kept)
        {
            /* Its range as it is: no trip through the range allocator. */
            if (gpu->local.usage + alloc->size <= gpu->local_budget)
            {
                *block = kept;
                return STATUS_SUCCESS;
            }
            range_free(&gpu->local.ra, kept);
        }
        if (status && status != STATUS_GRAPHICS_ALLOCATION_BUSY) break;
    }
    return status;
}

NTSTATUS gpu_restore(struct vidmm *mm, struct vidmm_gpu *gpu, struct vidmm_allocation *alloc, struct vidmm_move *mv)
{
    struct range_block *block;
    NTSTATUS status;

    vidmm_assert_held(&gpu->lock);
    mv->active = 0;
    if (alloc->dead || alloc->location != VIDMM_LOC_SYSTEM || alloc->group != VIDMM_SEGMENT_GROUP_LOCAL
        || !alloc_backing(alloc))
        return STATUS_SUCCESS;
    alloc_lock(alloc);
    if (alloc->lock_count)
    {
        /* Never move a locked allocation: its CPU address must stay valid. */
        alloc->wants_restore = 1;
        vidmm_mutex_unlock(&alloc->lock);
        return STATUS_SUCCESS;
    }
    vidmm_mutex_unlock(&alloc->lock);
    if ((status = place_evicting(mm, gpu, alloc, &block))) return status;
    restore_begin(mm, gpu, alloc, block, mv);
    return STATUS_SUCCESS;
}

static NTSTATUS place_new(struct vidmm *mm, struct vidmm_gpu *gpu, struct vidmm_allocation *alloc)
{
    struct range_block *block;
    NTSTATUS status;

    vidmm_assert_held(&gpu->lock);
    /* Too large to ever live in its segment: refused before reserving
     * anything (Wine keeps bookkeeping for every page ever reserved). */
    if (alloc->group == VIDMM_SEGMENT_GROUP_LOCAL && alloc->size > gpu->local.size)
        return STATUS_GRAPHICS_NO_VIDEO_MEMORY;
    if (alloc->location == VIDMM_LOC_SHARED) return place_shared(gpu, alloc);
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

NTSTATUS gpu_place_new(struct vidmm *mm, struct vidmm_gpu *gpu, struct vidmm_allocation *alloc)
{
    NTSTATUS status = place_new(mm, gpu, alloc);

    if (!status) stats_count_create(gpu, alloc);
    return status;
}
