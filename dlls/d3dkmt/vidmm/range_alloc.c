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
 * TLSF range allocator (see range_alloc.h).
 */
#if 0
#pragma makedep unix
#endif
#include <string.h>

#include "private/range_alloc.h"
#include "private/vidmm_alloc.h"

static int fls64(uint64_t v)
{
    return 63 - __builtin_clzll(v);
}

/* Size class of a free block of `size` pages. */
static void mapping_insert(uint64_t size, int *fl, int *sl)
{
    if (size < RANGE_SL_COUNT)
    {
        *fl = 0;
        *sl = (int)size;
    }
    else
    {
        int f = fls64(size);
        *sl = (int)((size >> (f - RANGE_SL_LOG2)) ^ RANGE_SL_COUNT);
        *fl = f - RANGE_SL_LOG2 + 1;
    }
}

/* Smallest class whose every block holds `size` pages. */
static void mapping_search(uint64_t size, int *fl, int *sl)
{
    if (size >= RANGE_SL_COUNT)
    {
        uint64_t round = (1ull << (fls64(size) - RANGE_SL_LOG2)) - 1;
        if (size + round > size) size += round;
    }
    mapping_insert(size, fl, sl);
}

static void insert_free(struct range_allocator *ra, struct range_block *block)
{
    int fl, sl;

    mapping_insert(block->size, &fl, &sl);
    block->free = 1;
    block->prev_free = NULL;
    block->next_free = ra->lists[fl][sl];
    if (block->next_free) block->next_free->prev_free = block;
    ra->lists[fl][sl] = block;
    ra->fl_bitmap |= 1ull << fl;
    ra->sl_bitmap[fl] |= 1u << sl;
    ra->free_pages += block->size;
    ra->free_blocks++;
}

static void remove_free(struct range_allocator *ra, struct range_block *block)
{
    int fl, sl;

    mapping_insert(block->size, &fl, &sl);
    if (block->prev_free) block->prev_free->next_free = block->next_free;
    else ra->lists[fl][sl] = block->next_free;
    if (block->next_free) block->next_free->prev_free = block->prev_free;
    if (!ra->lists[fl][sl])
    {
        ra->sl_bitmap[fl] &= ~(1u << sl);
        if (!ra->sl_bitmap[fl]) ra->fl_bitmap &= ~(1ull << fl);
    }
    block->free = 0;
    block->prev_free = block->next_free = NULL;
    ra->free_pages -= block->size;
    ra->free_blocks--;
}

static struct range_block *find_class(struct range_allocator *ra, int fl, int sl)
{
    uint64_t fl_map;
    uint32_t sl_map;

    if (fl >= RANGE_FL_COUNT) return NULL;
    sl_map = ra->sl_bitmap[fl] & (~0u << sl);
    if (!sl_map)
    {
        fl_map = fl + 1 < 64 ? ra->fl_bitmap & (~0ull << (fl + 1)) : 0;
        if (!fl_map) return NULL;
        fl = __builtin_ctzll(fl_map);
        sl_map = ra->sl_bitmap[fl];
    }
    sl = __builtin_ctz(sl_map);
    return ra->lists[fl][sl];
}

static uint64_t align_up(uint64_t v, uint64_t align)
{
    return (v + align - 1) & ~(align - 1);
}

static int block_fits(const struct range_block *block, uint64_t pages, uint64_t align)
{
    uint64_t start = align_up(block->offset, align);
    return start - block->offset <= block->size && block->size - (start - block->offset) >= pages;
}

int range_alloc_init(struct range_allocator *ra, uint64_t pages)
{
    struct range_block *block;

    memset(ra, 0, sizeof(*ra));
    ra->size = pages;
    if (!pages) return 0;
    if (!(block = vidmm_calloc(1, sizeof(*block)))) return -1;
    block->offset = 0;
    block->size = pages;
    ra->first = block;
    insert_free(ra, block);
    return 0;
}

void range_alloc_cleanup(struct range_allocator *ra)
{
    struct range_block *block = ra->first, *next;

    while (block)
    {
        next = block->next_phys;
        vidmm_free(block);
        block = next;
    }
    memset(ra, 0, sizeof(*ra));
}

struct range_block *range_alloc(struct range_allocator *ra, uint64_t pages, uint64_t align, int *no_memory)
{
    struct range_block *block, *front = NULL, *back = NULL;
    uint64_t search = pages, start, gap;
    int fl, sl;

    *no_memory = 0;
    if (!pages || pages > ra->free_pages) return NULL;
    if (align < 1) align = 1;
    if (align > 1 && search + align - 1 > search) search += align - 1;

    mapping_search(search, &fl, &sl);
    if (!(block = find_class(ra, fl, sl)))
    {
        /* Every block of the classes below the rounded-up one might still fit
         * (alignment padding is only needed in the worst case): look through
         * those lists, from the smallest class that can hold `pages`. */
        int last_fl = fl, last_sl = sl;

        mapping_insert(pages, &fl, &sl);
        for (; !block && (fl < last_fl || (fl == last_fl && sl <= last_sl)) && fl < RANGE_FL_COUNT;)
        {
            for (block = ra->lists[fl][sl]; block; block = block->next_free)
                if (block_fits(block, pages, align)) break;
            if (++sl == (int)RANGE_SL_COUNT)
            {
                sl = 0;
                fl++;
            }
        }
        if (!block) return NULL;
    }

    start = align_up(block->offset, align);
    gap = start - block->offset;
    /* Take both split nodes before changing anything, so failure leaves no trace. */
    if (gap && !(front = vidmm_calloc(1, sizeof(*front)))) goto oom;
    if (block->size - gap > pages && !(back = vidmm_calloc(1, sizeof(*back)))) goto oom;

    remove_free(ra, block);
    if (front)
    {
        front->offset = block->offset;
        front->size = gap;
        front->prev_phys = block->prev_phys;
        front->next_phys = block;
        if (block->prev_phys) block->prev_phys->next_phys = front;
        else ra->first = front;
        block->prev_phys = front;
        block->offset += gap;
        block->size -= gap;
        insert_free(ra, front);
    }
    if (back)
    {
        back->offset = block->offset + pages;
        back->size = block->size - pages;
        back->prev_phys = block;
        back->next_phys = block->next_phys;
        if (block->next_phys) block->next_phys->prev_phys = back;
        block->next_phys = back;
        block->size = pages;
        insert_free(ra, back);
    }
    /* Fresh: nothing below the mark overlaps it, so no page of it was used. */
    block->fresh = block->offset >= ra->high_water;
    if (block->offset + pages > ra->high_water) ra->high_water = block->offset + pages;
    ra->used_blocks++;
    return block;

oom:
    vidmm_free(front);
    *no_memory = 1;
    return NULL;
}

static void unlink_phys(struct range_allocator *ra, struct range_block *block)
{
    if (block->prev_phys) block->prev_phys->next_phys = block->next_phys;
    else ra->first = block->next_phys;
    if (block->next_phys) block->next_phys->prev_phys = block->prev_phys;
}

void range_alloc_forget_use(struct range_allocator *ra)
{
    if (!ra->used_blocks) ra->high_water = 0;
}

void range_free(struct range_allocator *ra, struct range_block *block)
{
    struct range_block *neighbour;

    ra->used_blocks--;
    if ((neighbour = block->prev_phys) && neighbour->free)
    {
        remove_free(ra, neighbour);
        block->offset = neighbour->offset;
        block->size += neighbour->size;
        unlink_phys(ra, neighbour);
        vidmm_free(neighbour);
    }
    if ((neighbour = block->next_phys) && neighbour->free)
    {
        remove_free(ra, neighbour);
        block->size += neighbour->size;
        unlink_phys(ra, neighbour);
        vidmm_free(neighbour);
    }
    insert_free(ra, block);
}

uint64_t range_alloc_largest_free(const struct range_allocator *ra)
{
    const struct range_block *block;
    uint64_t largest = 0;
    int fl, sl;

    if (!ra->fl_bitmap) return 0;
    fl = fls64(ra->fl_bitmap);
    sl = 31 - __builtin_clz(ra->sl_bitmap[fl]);
    for (block = ra->lists[fl][sl]; block; block = block->next_free)
        if (block->size > largest) largest = block->size;
    return largest;
}

int range_alloc_check(const struct range_allocator *ra)
{
    const struct range_block *block, *prev = NULL;
    uint64_t end = 0, free_pages = 0;
    uint32_t used = 0, free_blocks = 0;
    int fl, sl;

    for (block = ra->first; block; prev = block, block = block->next_phys)
    {
        if (block->prev_phys != prev || block->offset != end || !block->size) return -1;
        if (block->free && prev && prev->free) return -2; /* unmerged neighbours */
        end += block->size;
        if (block->free)
        {
            free_pages += block->size;
            free_blocks++;
        }
        else used++;
    }
    if (end != ra->size || free_pages != ra->free_pages) return -3;
    if (used != ra->used_blocks || free_blocks != ra->free_blocks) return -4;
    for (fl = 0; fl < RANGE_FL_COUNT; fl++)
        for (sl = 0; sl < (int)RANGE_SL_COUNT; sl++)
        {
            int has = !!ra->lists[fl][sl], f, s;
            if (has != !!(ra->sl_bitmap[fl] & (1u << sl))) return -5;
            for (block = ra->lists[fl][sl]; block; block = block->next_free)
            {
                mapping_insert(block->size, &f, &s);
                if (!block->free || f != fl || s != sl) return -6;
            }
        }
    for (fl = 0; fl < RANGE_FL_COUNT; fl++)
        if (!!ra->sl_bitmap[fl] != !!(ra->fl_bitmap & (1ull << fl))) return -7;
    return 0;
}
