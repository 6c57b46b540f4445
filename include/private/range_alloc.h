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
 * Range allocator for a memory segment, in pages.
 *
 * Two-level segregated fit (TLSF): free ranges sit in lists indexed by size
 * class (a power of two, then 16 linear steps), two bitmaps find a class that
 * is large enough in O(1), and neighbouring free ranges are merged at once,
 * so placement and release are O(1) and fragmentation stays low (the same
 * trade-off GPU allocators such as D3D12MA make).  Not thread-safe: the
 * owner's lock guards it.
 */
#ifndef VIDMM_RANGE_ALLOC_H
#define VIDMM_RANGE_ALLOC_H

#include <stdint.h>

#define RANGE_SL_LOG2   4
#define RANGE_SL_COUNT  (1u << RANGE_SL_LOG2)
#define RANGE_FL_COUNT  48

struct range_block
{
    uint64_t offset, size;                       /* pages */
    struct range_block *prev_phys, *next_phys;   /* address order */
    struct range_block *prev_free, *next_free;   /* size-class list, free blocks only */
    int free;
    int fresh;                                   /* handed out above the high-water mark: never used before */
};

struct range_allocator
{
    uint64_t size;             /* pages managed */
    uint64_t free_pages;
    uint64_t fl_bitmap;
    uint32_t sl_bitmap[RANGE_FL_COUNT];
    struct range_block *lists[RANGE_FL_COUNT][RANGE_SL_COUNT];
    struct range_block *first; /* lowest address */
    uint64_t high_water;       /* pages below it have been handed out since init (or the last forget) */
    uint32_t used_blocks, free_blocks;
};

/* Returns 0, or -1 when out of memory. */
int range_alloc_init(struct range_allocator *ra, uint64_t pages);
void range_alloc_cleanup(struct range_allocator *ra);

/* Places `pages` pages aligned to `align` pages (a power of two, or 0/1).
 * Returns the block, or NULL with *no_memory set when bookkeeping memory ran
 * out and clear when there is no free range that fits. */
struct range_block *range_alloc(struct range_allocator *ra, uint64_t pages, uint64_t align, int *no_memory);
void range_free(struct range_allocator *ra, struct range_block *block);
/* The owner made every page like new again (all free, memory zeroed):
 * blocks handed out from now on are fresh again. */
void range_alloc_forget_use(struct range_allocator *ra);

/* Largest free range in pages (O(number of size classes)). */
uint64_t range_alloc_largest_free(const struct range_allocator *ra);

/* Checks every invariant; returns 0 when consistent (for tests). */
int range_alloc_check(const struct range_allocator *ra);

#endif
