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
    case VIDMM_LOC_LOCAL: return alloc->block ? alloc_gpu(alloc)->local.base + alloc->block->offset * VIDMM_PAGE_SIZE : NULL;
    case VIDMM_LOC_SYSTEM: return alloc_backing(alloc);
    case VIDMM_LOC_USER:
    case VIDMM_LOC_SHARED: return alloc->extended ? (uint8_t *)(uintptr_t)alloc_ext(alloc)->user_mem : NULL;
    case VIDMM_LOC_NONE: break;
    }
    return NULL;
}

/* Whether the memory an allocation is in reads zero without a clear: it was
 * never locked, so nothing was ever written or copied into it (moves copy
 * only written content), and its range had never been handed out before
 * (range_block.fresh).  Lock then leaves the pages untouched: the first
 * fault is the application's, as on Windows. */
int alloc_memory_zero(const struct vidmm_allocation *alloc)
{
    if (alloc->locked_once) return 0;
    switch (alloc->location)
    {
    case VIDMM_LOC_LOCAL: return alloc->block && alloc->block->fresh;
    case VIDMM_LOC_SYSTEM: return heap_ref_fresh(&alloc->backing_ref);
    default: return 0;
    }
}

int alloc_pinned(const struct vidmm_allocation *alloc)
{
    return (alloc->desc_flags & D3DKMT_WINE_ALLOC_FLAG_PINNED) || (alloc->info_flags & VIDMM_ALLOC_PRIMARY);
}

/* A backing store: pages of the GPU's system-memory heap.  The memory ops
 * out of memory, or the commit ceiling reached, means video memory cannot be
 * virtualised any further (non-local memory: system memory is out); our own
 * bookkeeping out of memory is STATUS_NO_MEMORY. */
static NTSTATUS backing_create(struct vidmm *mm, struct vidmm_gpu *gpu, uint64_t size, NTSTATUS failure,
                               uint8_t **out, struct vidmm_heap_ref *ref)
{
    uint8_t *mem;
    int no_memory;

    vidmm_assert_held(&gpu->lock);
    if (size > gpu->commit_limit - gpu->backing_bytes) return failure;
    if (!(mem = heap_alloc(&gpu->heap, size, ref, &no_memory))) return no_memory ? STATUS_NO_MEMORY : failure;
    *out = mem;
    return STATUS_SUCCESS;
}

void backing_discard(struct vidmm *mm, struct vidmm_allocation *alloc)
{
    vidmm_assert_held(&alloc_gpu(alloc)->lock);
    /* The content is gone: large pages go back (they stay committed), and
     * never written again means zero to the next Lock. */
    if (alloc->size >= VIDMM_HEAP_RESET_MIN) heap_clear(&mm->ops, alloc_backing(alloc), alloc->size);
    alloc_lock(alloc);
    alloc->written = 0;
    vidmm_mutex_unlock(&alloc->lock);
}

static void backing_release(struct vidmm *mm, struct vidmm_gpu *gpu, struct vidmm_allocation *alloc)
{
    uint8_t *backing;

    vidmm_assert_held(&gpu->lock);
    if (!(backing = alloc_backing(alloc))) return;
    /* Large written ranges give their pages back; small ones stay for the next tenant. */
    if (alloc->written && alloc->size >= VIDMM_HEAP_RESET_MIN && !heap_ref_dedicated(&alloc->backing_ref)
        && mm->ops.reset)
        mm->ops.reset(mm->ops.ctx, backing, alloc->size);
    heap_free(&gpu->heap, backing, alloc->size, &alloc->backing_ref);
    alloc->backing_ref.arena = NULL;
    alloc->backing_ref.u.block = NULL;
    gpu->backing_bytes -= alloc->size;
}

/* A copy into fresh pages is bound by a fault per page: take them at once. */
static void copy_pages(struct vidmm *mm, void *dst, const void *src, uint64_t size)
{
    if (size >= VIDMM_HEAP_RESET_MIN && mm->ops.prefault) mm->ops.prefault(mm->ops.ctx, dst, size);
    memcpy(dst, src, size);
}

/* Moving pages splits the mappings of both sides: only for allocations this
 * large, so the pool gains at most ~2048 mappings. */
static int move_pages(struct vidmm *mm, struct vidmm_gpu *gpu, const struct vidmm_move *mv)
{
    if (!mm->ops.move || mv->size < gpu->move_min || !heap_ref_dedicated(&mv->ref)) return -1;
    return mm->ops.move(mm->ops.ctx, mv->dst, mv->src, mv->size);
}

/* With or without gpu->lock: it touches only the two ranges, which the
 * move owns (vidmm_move), and the memory ops, which are thread-safe. */
void move_content(struct vidmm *mm, struct vidmm_gpu *gpu, const struct vidmm_move *mv)
{
    if (mv->copy && (!mv->may_move || move_pages(mm, gpu, mv))) copy_pages(mm, mv->dst, mv->src, mv->size);
}

NTSTATUS place_local(struct vidmm *mm, struct vidmm_gpu *gpu, struct vidmm_allocation *alloc,
                            struct range_block **out)
{
    struct range_block *block;
    int no_memory;

    vidmm_assert_held(&gpu->lock);
    /* The budget (lowered by the test escape) caps what may be resident. */
    if (gpu->local.usage + alloc->size > gpu->local_budget) return STATUS_GRAPHICS_NO_VIDEO_MEMORY;
    if (!(block = range_alloc(&gpu->local.ra, PAGES(alloc->size), alloc_align_pages(alloc), &no_memory)))
        return no_memory ? STATUS_NO_MEMORY : STATUS_GRAPHICS_NO_VIDEO_MEMORY;
    /* The pool is committed for good: nothing to map (content: see leave_local). */
    *out = block;
    return STATUS_SUCCESS;
}

void enter_local(struct vidmm_gpu *gpu, struct vidmm_allocation *alloc, struct range_block *block)
{
    vidmm_assert_held(&gpu->lock);
    alloc->block = block;
    alloc->location = VIDMM_LOC_LOCAL;
    gpu->counters.resident_local++;
    usage_add(gpu, &gpu->local, alloc->size);
    lru_update(gpu, alloc);
    if (alloc_pinned(alloc)) gpu->local_pinned += alloc->size;
}

/* Memory of the pool and of the heap is handed to a new allocation as its
 * last owner left it, and nothing clears it when freed.  That is safe because
 * content reaches the application only through Lock, which clears memory
 * never written (alloc->written clear) before setting written, and because
 * moves copy only written content (and a discard clears written): so what an
 * allocation never wrote is zero to it, as it must be.  (Not so with the
 * caller's own pSystemMem, which is never cleared.) */
static void leave_local(struct vidmm *mm, struct vidmm_gpu *gpu, struct vidmm_allocation *alloc,
                        struct range_block **keep)
{
    vidmm_assert_held(&gpu->lock);
    if (!alloc->block) return;
    lru_remove(gpu, alloc);
    /* Called once the content is copied out, if it was: large written
     * ranges of the pool give their pages back to the system. */
    if (alloc->written && alloc->size >= VIDMM_HEAP_RESET_MIN && mm->ops.reset)
        mm->ops.reset(mm->ops.ctx, gpu->local.base + alloc->block->offset * VIDMM_PAGE_SIZE, alloc->size);
    /* Handed on (gpu_evict_keep): used now, so its next owner's first Lock clears it. */
    if (keep)
    {
        alloc->block->fresh = 0;
        *keep = alloc->block;
    }
    else range_free(&gpu->local.ra, alloc->block);
    alloc->block = NULL;
    gpu->counters.resident_local--;
    usage_sub(gpu, &gpu->local, alloc->size);
    if (alloc_pinned(alloc)) gpu->local_pinned -= alloc->size;
}

/* The first step of an eviction: the backing store reserved (only mv holds
 * it), offered content dropped, the copy described.  With hold, it returns
 * with alloc->lock held when mv->active (for an evict with no paging op set,
 * which only alloc->lock keeps Lock's fast path away from). */
NTSTATUS evict_begin(struct vidmm *mm, struct vidmm_gpu *gpu, struct vidmm_allocation *alloc, struct vidmm_move *mv,
                     int hold)
{
    NTSTATUS status;

    vidmm_assert_held(&gpu->lock);
    memset(mv, 0, sizeof(*mv));
    /* Destroyed after the caller looked, or being moved by the pager right
     * now (its copy runs without gpu->lock): nothing to do here. */
    if (alloc->dead || alloc->location != VIDMM_LOC_LOCAL || !alloc->block) return STATUS_SUCCESS;
    if (gpu->moving == alloc) return STATUS_GRAPHICS_ALLOCATION_BUSY;
    if ((status = backing_create(mm, gpu, alloc->size, STATUS_GRAPHICS_NO_VIDEO_MEMORY, &mv->dst, &mv->ref)))
        return status;
    alloc_lock(alloc);
    if (alloc->lock_count)
    {
        /* Locked since it was picked (Lock's fast path needs only alloc->lock):
         * its CPU address must stay valid, so it stays. */
        vidmm_mutex_unlock(&alloc->lock);
        heap_free(&gpu->heap, mv->dst, alloc->size, &mv->ref);
        return STATUS_GRAPHICS_ALLOCATION_BUSY;
    }
    /* Offered content may be dropped instead of copied: that is the point of
     * offering.  Zero from now on, like content never written. */
    if (alloc->offered)
    {
        alloc->discarded = alloc->offer_decommit ? 2 : 1;
        alloc->written = 0;
    }
    /* Never written: nothing to copy, no page of the backing store touched.
     * Not locked, so no pointer into the block is out: its pages may move. */
    mv->copy = alloc->written;
    mv->may_move = 1;
    if (!hold) vidmm_mutex_unlock(&alloc->lock);
    mv->src = alloc_address(alloc);
    mv->size = alloc->size;
    mv->active = 1;
    return STATUS_SUCCESS;
}

static void evict_finish(struct vidmm *mm, struct vidmm_gpu *gpu, struct vidmm_allocation *alloc,
                         struct vidmm_move *mv, int held, struct range_block **keep)
{
    vidmm_assert_held(&gpu->lock);
    if (!held) alloc_lock(alloc);
    stats_count_move(gpu, alloc, 0);
    leave_local(mm, gpu, alloc, keep);
    alloc->backing_ref = mv->ref;
    gpu->backing_bytes += alloc->size;
    alloc->location = VIDMM_LOC_SYSTEM;
    vidmm_mutex_unlock(&alloc->lock);
}

/* The last step: the allocation now lives in the backing store. */
void evict_commit(struct vidmm *mm, struct vidmm_gpu *gpu, struct vidmm_allocation *alloc, struct vidmm_move *mv,
                  int held)
{
    evict_finish(mm, gpu, alloc, mv, held, NULL);
}

NTSTATUS gpu_evict_keep(struct vidmm *mm, struct vidmm_gpu *gpu, struct vidmm_allocation *alloc,
                        struct range_block **keep)
{
    struct vidmm_move mv;
    NTSTATUS status;

    vidmm_assert_held(&gpu->lock);
    /* No paging op set here: alloc->lock held throughout keeps Lock out. */
    if ((status = evict_begin(mm, gpu, alloc, &mv, 1)) || !mv.active) return status;
    move_content(mm, gpu, &mv);
    evict_finish(mm, gpu, alloc, &mv, 1, keep);
    return STATUS_SUCCESS;
}

NTSTATUS gpu_evict(struct vidmm *mm, struct vidmm_gpu *gpu, struct vidmm_allocation *alloc)
{
    return gpu_evict_keep(mm, gpu, alloc, NULL);
}

void gpu_release(struct vidmm *mm, struct vidmm_gpu *gpu, struct vidmm_allocation *alloc)
{
    vidmm_assert_held(&gpu->lock);
    if (alloc->residency_count && alloc->group == VIDMM_SEGMENT_GROUP_LOCAL && !alloc_pinned(alloc))
        gpu->residency_claim -= alloc->size;
    alloc->residency_count = 0;
    stats_count_destroy(gpu, alloc);
    switch (alloc->location)
    {
    case VIDMM_LOC_LOCAL:
        leave_local(mm, gpu, alloc, NULL);
        break;
    case VIDMM_LOC_SYSTEM:
        if (alloc->group == VIDMM_SEGMENT_GROUP_NON_LOCAL) usage_sub(gpu, &gpu->nonlocal, alloc->size);
        break;
    case VIDMM_LOC_USER:
        usage_sub(gpu, &gpu->nonlocal, alloc->size);
        break;
    case VIDMM_LOC_SHARED:
        leave_shared(gpu, alloc);
        break;
    case VIDMM_LOC_NONE:
        break;
    }
    backing_release(mm, gpu, alloc);
    /* Nothing is where it was: a call that still holds a reference must not find it there. */
    alloc->location = VIDMM_LOC_NONE;
}

/* An allocation of a cross-process shared resource lives in the share file
 * for good: resident from creation in every process that has it, counted in
 * its group's usage of each such process (a double count system-wide),
 * never an eviction candidate; MakeResident, Evict and Offer are bookkeeping
 * for it and the content stays put.  Placing it does not fail on the budget:
 * its pages exist already. */
NTSTATUS place_shared(struct vidmm_gpu *gpu, struct vidmm_allocation *alloc)
{
    vidmm_assert_held(&gpu->lock);
    usage_add(gpu, alloc->group == VIDMM_SEGMENT_GROUP_LOCAL ? &gpu->local : &gpu->nonlocal, alloc->size);
    return STATUS_SUCCESS;
}

void leave_shared(struct vidmm_gpu *gpu, struct vidmm_allocation *alloc)
{
    vidmm_assert_held(&gpu->lock);
    usage_sub(gpu, alloc->group == VIDMM_SEGMENT_GROUP_LOCAL ? &gpu->local : &gpu->nonlocal, alloc->size);
}

NTSTATUS place_nonlocal(struct vidmm *mm, struct vidmm_gpu *gpu, struct vidmm_allocation *alloc)
{
    uint8_t *backing;
    NTSTATUS status;

    vidmm_assert_held(&gpu->lock);
    if (alloc->group == VIDMM_SEGMENT_GROUP_NON_LOCAL && alloc->size > gpu->nonlocal.size - gpu->nonlocal.usage)
        return STATUS_NO_MEMORY;
    if (alloc->location == VIDMM_LOC_USER)
    {
        usage_add(gpu, &gpu->nonlocal, alloc->size);
        return STATUS_SUCCESS;
    }
    if ((status = backing_create(mm, gpu, alloc->size, STATUS_NO_MEMORY, &backing, &alloc->backing_ref)))
        return status;
    alloc->location = VIDMM_LOC_SYSTEM;
    gpu->backing_bytes += alloc->size;
    usage_add(gpu, &gpu->nonlocal, alloc->size);
    return STATUS_SUCCESS;
}

NTSTATUS place_backing(struct vidmm *mm, struct vidmm_gpu *gpu, struct vidmm_allocation *alloc)
{
    uint8_t *backing;
    NTSTATUS status;

    vidmm_assert_held(&gpu->lock);
    if ((status = backing_create(mm, gpu, alloc->size, STATUS_GRAPHICS_NO_VIDEO_MEMORY, &backing,
                                 &alloc->backing_ref)))
        return status;
    alloc->location = VIDMM_LOC_SYSTEM;
    gpu->backing_bytes += alloc->size;
    return STATUS_SUCCESS;
}

/* The first step of a restore into the block place_local found: the block
 * counts as used from now on (the budget), and only mv holds it. */
void restore_begin(struct vidmm *mm, struct vidmm_gpu *gpu, struct vidmm_allocation *alloc, struct range_block *block,
                   struct vidmm_move *mv)
{
    vidmm_assert_held(&gpu->lock);
    memset(mv, 0, sizeof(*mv));
    alloc_lock(alloc);
    /* Never written: nothing to copy (see leave_local).  Not locked: the pages may move. */
    mv->copy = alloc->written;
    mv->may_move = !alloc->lock_count;
    vidmm_mutex_unlock(&alloc->lock);
    mv->block = block;
    mv->dst = gpu->local.base + block->offset * VIDMM_PAGE_SIZE;
    mv->src = alloc_backing(alloc);
    mv->ref = alloc->backing_ref;
    mv->size = alloc->size;
    mv->active = 1;
    usage_add(gpu, &gpu->local, alloc->size);
}

void restore_commit(struct vidmm *mm, struct vidmm_gpu *gpu, struct vidmm_allocation *alloc, struct vidmm_move *mv)
{
    vidmm_assert_held(&gpu->lock);
    stats_count_move(gpu, alloc, 1);
    usage_sub(gpu, &gpu->local, alloc->size);   /* enter_local counts it again */
    alloc_lock(alloc);
    backing_release(mm, gpu, alloc);
    enter_local(gpu, alloc, mv->block);
    alloc->wants_restore = 0;
    vidmm_mutex_unlock(&alloc->lock);
}
