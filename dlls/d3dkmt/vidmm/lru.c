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
 * Eviction candidates: only allocations that may be evicted are on
 * the lists, one list per class in eviction order, so that choosing a victim
 * (evict.c) looks at the head of the first non-empty list instead of
 * scanning every resident allocation.  Whoever changes what makes an
 * allocation a candidate calls lru_update().
 */
#if 0
#pragma makedep unix
#endif
#include "vidmm_private.h"

void lru_init(struct vidmm_lru *lru)
{
    int i;

    for (i = 0; i < VIDMM_LRU_CLASSES; i++) ilist_init(&lru->list[i]);
    lru->nonempty = 0;
}

int lru_empty(const struct vidmm_lru *lru)
{
    return !lru->nonempty;
}

/* Offered ones first (lower offer priority first), then lower priority.
 * Priorities that share their top 5 bits are one class (the D3DDDI levels
 * all differ there); the LRU order decides within it. */
static uint32_t class_of(const struct vidmm_allocation *alloc)
{
    if (alloc->offered)
        return alloc->offer_priority <= 1 ? 0 : alloc->offer_priority >= VIDMM_LRU_OFFERED ? VIDMM_LRU_OFFERED - 1
                                                                                          : alloc->offer_priority - 1;
    return VIDMM_LRU_OFFERED + (alloc->priority >> 27);
}

/* segment.c's alloc_pinned(), which sits above this layer. */
static int pinned(const struct vidmm_allocation *alloc)
{
    return (alloc->desc_flags & D3DKMT_WINE_ALLOC_FLAG_PINNED) || (alloc->info_flags & VIDMM_ALLOC_PRIMARY);
}

/* Locks are not seen here (Lock does not take gpu->lock): victim choice
 * parks a locked one it meets, and its last unlock brings it back. */
static int candidate(const struct vidmm_allocation *alloc)
{
    return alloc->location == VIDMM_LOC_LOCAL && alloc->block && !alloc->dead && !pinned(alloc)
           && !alloc->residency_count && alloc->paging == VIDMM_PAGING_NONE
           && !atomic_load_explicit(&alloc->parked, memory_order_relaxed);
}

static int linked(const struct vidmm_allocation *alloc)
{
    return ilink_linked(&alloc->lru);
}

static void unlink_entry(struct vidmm_gpu *gpu, struct vidmm_lru *lru, struct vidmm_allocation *alloc)
{
    ilist_remove(gpu->allocs, &lru->list[alloc->lru_class], alloc, ALLOC_LRU);
    if (ilist_empty(&lru->list[alloc->lru_class])) lru->nonempty &= ~(1ull << alloc->lru_class);
}

static void link_tail(struct vidmm_gpu *gpu, struct vidmm_lru *lru, struct vidmm_allocation *alloc)
{
    alloc->lru_class = class_of(alloc);
    ilist_add_tail(gpu->allocs, &lru->list[alloc->lru_class], alloc, ALLOC_LRU);
    lru->nonempty |= 1ull << alloc->lru_class;
}

void lru_update(struct vidmm_gpu *gpu, struct vidmm_allocation *alloc)
{
    int wanted = candidate(alloc);

    vidmm_assert_held(&gpu->lock);
    if (linked(alloc) && (!wanted || alloc->lru_class != class_of(alloc))) unlink_entry(gpu, &gpu->local.lru, alloc);
    if (wanted && !linked(alloc)) link_tail(gpu, &gpu->local.lru, alloc);
}

void lru_remove(struct vidmm_gpu *gpu, struct vidmm_allocation *alloc)
{
    vidmm_assert_held(&gpu->lock);
    if (linked(alloc)) unlink_entry(gpu, &gpu->local.lru, alloc);
    /* Callers may hold alloc->lock; an Unlock that still sees 1 only
     * makes lru_unpark() look again. */
    atomic_store_explicit(&alloc->parked, 0, memory_order_relaxed);
}

void lru_rotate(struct vidmm_gpu *gpu, struct vidmm_allocation *alloc)
{
    vidmm_assert_held(&gpu->lock);
    if (!linked(alloc)) return;
    ilist_remove(gpu->allocs, &gpu->local.lru.list[alloc->lru_class], alloc, ALLOC_LRU);
    ilist_add_tail(gpu->allocs, &gpu->local.lru.list[alloc->lru_class], alloc, ALLOC_LRU);
}

struct vidmm_allocation *lru_first(struct vidmm_gpu *gpu)
{
    struct vidmm_lru *lru = &gpu->local.lru;

    vidmm_assert_held(&gpu->lock);
    if (!lru->nonempty) return NULL;
    return ilist_first(gpu->allocs, &lru->list[__builtin_ctzll(lru->nonempty)]);
}

void lru_unpark(struct vidmm_gpu *gpu, struct vidmm_allocation *alloc)
{
    vidmm_assert_held(&gpu->lock);
    alloc_lock(alloc);
    /* Locked again meanwhile: its next last unlock comes back here. */
    if (!alloc->lock_count) atomic_store_explicit(&alloc->parked, 0, memory_order_relaxed);
    vidmm_mutex_unlock(&alloc->lock);
    lru_update(gpu, alloc);
}
