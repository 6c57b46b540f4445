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
 * Layer 3, segments: where an allocation lives (local segment, its own
 * backing store, the caller's memory) and the usage accounting.  Moves one
 * allocation when told to; never chooses victims, never queues paging.
 */
#if 0
#pragma makedep unix
#endif
#include <string.h>

#include "vidmm_private.h"

#define PAGES(bytes) ((bytes) / VIDMM_PAGE_SIZE)

uint8_t *alloc_address(const struct vidmm_allocation *alloc)
{
    switch (alloc->location)
    {
    case VIDMM_LOC_LOCAL: return alloc->block ? alloc->gpu->local.base + alloc->block->offset * VIDMM_PAGE_SIZE : NULL;
    case VIDMM_LOC_SYSTEM: return alloc->backing_lost ? NULL : alloc->backing;
    case VIDMM_LOC_USER: return (uint8_t *)(uintptr_t)alloc->user_mem;
    case VIDMM_LOC_NONE: break;
    }
    return NULL;
}

int alloc_pinned(const struct vidmm_allocation *alloc)
{
    return (alloc->desc_flags & D3DKMT_WINE_ALLOC_FLAG_PINNED) || (alloc->info_flags & VIDMM_ALLOC_PRIMARY);
}

/* A backing store: reserved and committed system memory.  Reserve failing,
 * or the commit ceiling reached, means video memory cannot be virtualised
 * any further (non-local memory: system memory is out). */
static NTSTATUS backing_create(struct vidmm *mm, struct vidmm_gpu *gpu, uint64_t size, NTSTATUS reserve_failure,
                               uint8_t **out)
{
    uint8_t *mem;

    vidmm_assert_held(&gpu->lock);
    if (size > gpu->commit_limit - gpu->backing_bytes) return reserve_failure;
    if (!(mem = mm->ops.reserve(mm->ops.ctx, size))) return reserve_failure;
    if (mm->ops.commit(mm->ops.ctx, mem, size))
    {
        mm->ops.release(mm->ops.ctx, mem, size);
        return STATUS_NO_MEMORY;
    }
    *out = mem;
    return STATUS_SUCCESS;
}

void backing_discard(struct vidmm *mm, struct vidmm_allocation *alloc)
{
    int lost;

    vidmm_assert_held(&alloc->gpu->lock);
    /* Give the pages back and take fresh zeroed ones: the content is gone. */
    if (!alloc->backing_lost) mm->ops.decommit(mm->ops.ctx, alloc->backing, alloc->size);
    lost = mm->ops.commit(mm->ops.ctx, alloc->backing, alloc->size)
           && mm->ops.commit(mm->ops.ctx, alloc->backing, alloc->size);
    /* Someone took the pages meanwhile: keep the reservation, never hand it
     * out; Lock and restore commit it again or fail (backing_recommit). */
    vidmm_mutex_lock(&alloc->lock);
    alloc->backing_lost = lost;
    vidmm_mutex_unlock(&alloc->lock);
}

NTSTATUS backing_recommit(struct vidmm *mm, struct vidmm_allocation *alloc)
{
    vidmm_assert_held(&alloc->gpu->lock);
    if (!alloc->backing_lost) return STATUS_SUCCESS;
    if (mm->ops.commit(mm->ops.ctx, alloc->backing, alloc->size)) return STATUS_NO_MEMORY;
    vidmm_mutex_lock(&alloc->lock);
    alloc->backing_lost = 0;
    vidmm_mutex_unlock(&alloc->lock);
    return STATUS_SUCCESS;
}

static void backing_release(struct vidmm *mm, struct vidmm_gpu *gpu, struct vidmm_allocation *alloc)
{
    vidmm_assert_held(&gpu->lock);
    if (!alloc->backing) return;
    mm->ops.release(mm->ops.ctx, alloc->backing, alloc->size);
    alloc->backing = NULL;
    alloc->backing_lost = 0;
    gpu->backing_bytes -= alloc->size;
}

NTSTATUS place_local(struct vidmm *mm, struct vidmm_gpu *gpu, struct vidmm_allocation *alloc,
                            struct range_block **out)
{
    struct range_block *block;
    int no_memory;

    vidmm_assert_held(&gpu->lock);
    /* The budget (lowered by the test escape) caps what may be resident. */
    if (gpu->local.usage + alloc->size > gpu->local_budget) return STATUS_GRAPHICS_NO_VIDEO_MEMORY;
    if (!(block = range_alloc(&gpu->local.ra, PAGES(alloc->size), alloc->align_pages, &no_memory)))
        return no_memory ? STATUS_NO_MEMORY : STATUS_GRAPHICS_NO_VIDEO_MEMORY;
    if (mm->ops.commit(mm->ops.ctx, gpu->local.base + block->offset * VIDMM_PAGE_SIZE, alloc->size))
    {
        range_free(&gpu->local.ra, block);
        return STATUS_NO_MEMORY;
    }
    *out = block;
    return STATUS_SUCCESS;
}

void enter_local(struct vidmm_gpu *gpu, struct vidmm_allocation *alloc, struct range_block *block)
{
    vidmm_assert_held(&gpu->lock);
    alloc->block = block;
    alloc->location = VIDMM_LOC_LOCAL;
    gpu->local.usage += alloc->size;
    lru_update(gpu, alloc);
    if (alloc_pinned(alloc)) gpu->local_pinned += alloc->size;
}

static void leave_local(struct vidmm *mm, struct vidmm_gpu *gpu, struct vidmm_allocation *alloc)
{
    vidmm_assert_held(&gpu->lock);
    if (!alloc->block) return;
    lru_remove(gpu, alloc);
    mm->ops.decommit(mm->ops.ctx, gpu->local.base + alloc->block->offset * VIDMM_PAGE_SIZE, alloc->size);
    range_free(&gpu->local.ra, alloc->block);
    alloc->block = NULL;
    gpu->local.usage -= alloc->size;
    if (alloc_pinned(alloc)) gpu->local_pinned -= alloc->size;
}

NTSTATUS gpu_evict(struct vidmm *mm, struct vidmm_gpu *gpu, struct vidmm_allocation *alloc)
{
    NTSTATUS status;
    uint8_t *backing;

    vidmm_assert_held(&gpu->lock);
    /* Destroyed after the caller looked: nothing left to move. */
    if (alloc->dead || alloc->location != VIDMM_LOC_LOCAL || !alloc->block) return STATUS_SUCCESS;
    if ((status = backing_create(mm, gpu, alloc->size, STATUS_GRAPHICS_NO_VIDEO_MEMORY, &backing))) return status;
    vidmm_mutex_lock(&alloc->lock);
    if (alloc->lock_count)
    {
        /* Locked since it was picked (Lock's fast path needs only alloc->lock):
         * its CPU address must stay valid, so it stays. */
        vidmm_mutex_unlock(&alloc->lock);
        mm->ops.release(mm->ops.ctx, backing, alloc->size);
        return STATUS_GRAPHICS_ALLOCATION_BUSY;
    }
    /* Offered content may be dropped instead of copied: that is the point of offering. */
    if (alloc->offered) alloc->discarded = alloc->offer_decommit ? 2 : 1;
    else if (alloc->written) memcpy(backing, alloc_address(alloc), alloc->size);
    /* Never written: the fresh backing store is zero already, and stays untouched. */
    leave_local(mm, gpu, alloc);
    alloc->backing = backing;
    gpu->backing_bytes += alloc->size;
    alloc->location = VIDMM_LOC_SYSTEM;
    vidmm_mutex_unlock(&alloc->lock);
    return STATUS_SUCCESS;
}

void gpu_release(struct vidmm *mm, struct vidmm_gpu *gpu, struct vidmm_allocation *alloc)
{
    vidmm_assert_held(&gpu->lock);
    if (alloc->residency_count && alloc->group == VIDMM_SEGMENT_GROUP_LOCAL && !alloc_pinned(alloc))
        gpu->residency_claim -= alloc->size;
    alloc->residency_count = 0;
    switch (alloc->location)
    {
    case VIDMM_LOC_LOCAL:
        leave_local(mm, gpu, alloc);
        break;
    case VIDMM_LOC_SYSTEM:
        if (alloc->group == VIDMM_SEGMENT_GROUP_NON_LOCAL) gpu->nonlocal.usage -= alloc->size;
        break;
    case VIDMM_LOC_USER:
        gpu->nonlocal.usage -= alloc->size;
        break;
    case VIDMM_LOC_NONE:
        break;
    }
    backing_release(mm, gpu, alloc);
    /* Nothing is where it was: a call that still holds a reference must not find it there. */
    alloc->location = VIDMM_LOC_NONE;
}

NTSTATUS place_nonlocal(struct vidmm *mm, struct vidmm_gpu *gpu, struct vidmm_allocation *alloc)
{
    NTSTATUS status;

    vidmm_assert_held(&gpu->lock);
    if (alloc->group == VIDMM_SEGMENT_GROUP_NON_LOCAL && alloc->size > gpu->nonlocal.size - gpu->nonlocal.usage)
        return STATUS_NO_MEMORY;
    if (alloc->location == VIDMM_LOC_USER)
    {
        gpu->nonlocal.usage += alloc->size;
        return STATUS_SUCCESS;
    }
    if ((status = backing_create(mm, gpu, alloc->size, STATUS_NO_MEMORY, &alloc->backing))) return status;
    alloc->location = VIDMM_LOC_SYSTEM;
    gpu->backing_bytes += alloc->size;
    gpu->nonlocal.usage += alloc->size;
    return STATUS_SUCCESS;
}

NTSTATUS place_backing(struct vidmm *mm, struct vidmm_gpu *gpu, struct vidmm_allocation *alloc)
{
    NTSTATUS status;

    vidmm_assert_held(&gpu->lock);
    if ((status = backing_create(mm, gpu, alloc->size, STATUS_GRAPHICS_NO_VIDEO_MEMORY, &alloc->backing))) return status;
    alloc->location = VIDMM_LOC_SYSTEM;
    gpu->backing_bytes += alloc->size;
    return STATUS_SUCCESS;
}

void restore_into(struct vidmm *mm, struct vidmm_gpu *gpu, struct vidmm_allocation *alloc, struct range_block *block)
{
    vidmm_assert_held(&gpu->lock);
    vidmm_mutex_lock(&alloc->lock);
    /* Never written, or a lost backing store: the fresh local pages are zero, as its content. */
    if (alloc->written && !alloc->backing_lost)
        memcpy(gpu->local.base + block->offset * VIDMM_PAGE_SIZE, alloc->backing, alloc->size);
    backing_release(mm, gpu, alloc);
    enter_local(gpu, alloc, block);
    alloc->wants_restore = 0;
    vidmm_mutex_unlock(&alloc->lock);
}
