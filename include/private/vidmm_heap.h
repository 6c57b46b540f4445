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
 * Sub-allocating system-memory heap for backing stores and non-local
 * allocations.
 *
 * Linux gives a process only vm.max_map_count mappings, and each Wine
 * reservation costs at least one: so small allocations share large arenas,
 * reserved and committed once through the memory ops and split at page
 * granularity by a range allocator (range_alloc.h).  An allocation of at
 * least `dedicated_min` bytes gets a region of its own (there can be only a
 * few of those).  A block's content is whatever its last owner left (zero
 * in a fresh arena): the owner keeps track of what it never wrote (the
 * manager: alloc->written) and clears it when it is first exposed, with
 * heap_clear.  Freed pages stay in the arena, already faulted in, so the
 * next owner (an eviction's copy) does not fault per page.  An arena that
 * empties is released, except one of each kind kept as a spare.
 *
 * Single pages, the bulk of a million small allocations, come from page
 * arenas instead: a bit per page and no bookkeeping per allocation (a range
 * block is 64 bytes with malloc's header), placement and release without a
 * malloc.
 *
 * Not thread-safe: the owner's lock guards it (gpu->lock).
 */
#ifndef VIDMM_HEAP_H
#define VIDMM_HEAP_H

#include <stdint.h>
#include "private/range_alloc.h"
#include "private/vidmm.h"

#define VIDMM_HEAP_ARENA_SIZE    (64ull << 20)
#define VIDMM_HEAP_DEDICATED_MIN (4ull << 20)
/* heap_clear resets ranges from this size up (pages given back), memsets smaller ones. */
#define VIDMM_HEAP_RESET_MIN     (64ull << 10)

struct vidmm_heap_arena
{
    struct vidmm_heap_arena *prev, *next;
    uint8_t *base;
    uint64_t size;              /* bytes */
    struct range_allocator ra;  /* empty (size 0) for a dedicated region or a page arena */
    int dedicated;
    /* A page arena: bit i of bits set while page i is handed out. */
    uint64_t *bits;
    uint32_t pages_free;
    uint32_t hint;              /* no word before this one has a free bit */
    uint32_t high_water;        /* pages from here on were never handed out */
};

/* Where a heap allocation lives, kept by its owner for heap_free. */
struct vidmm_heap_ref
{
    struct vidmm_heap_arena *arena;
    union
    {
        struct range_block *block;  /* a range arena's; NULL for a dedicated region */
        uintptr_t page;             /* a page arena's: index << 1 | fresh */
    } u;
};

struct vidmm_heap
{
    const struct vidmm_memory_ops *ops;
    uint64_t arena_size, dedicated_min;
    struct vidmm_heap_arena *arenas;   /* shared range arenas, the one with room found last first */
    struct vidmm_heap_arena *spare;    /* an empty range arena kept for the next allocation, or NULL */
    struct vidmm_heap_arena *page_arenas, *page_spare;   /* the same for page arenas */
    uint32_t arena_count;              /* shared arenas of both kinds, spares included */
    uint32_t dedicated_count;
    uint64_t allocated;                /* bytes handed out */
};

/* arena_size and dedicated_min: page multiples, 0 for the defaults above. */
void heap_init(struct vidmm_heap *heap, const struct vidmm_memory_ops *ops, uint64_t arena_size,
               uint64_t dedicated_min);
/* Releases every arena; every allocation must have been freed. */
void heap_cleanup(struct vidmm_heap *heap);
/* `size` bytes (page multiple) of committed read/write memory, or NULL when the
 * memory ops ran out, or the bookkeeping (then *no_memory is set); on
 * failure nothing changed. */
void *heap_alloc(struct vidmm_heap *heap, uint64_t size, struct vidmm_heap_ref *ref, int *no_memory);
void heap_free(struct vidmm_heap *heap, void *ptr, uint64_t size, const struct vidmm_heap_ref *ref);
/* Makes a committed range read zero (its pages go back when large). */
void heap_clear(const struct vidmm_memory_ops *ops, void *ptr, uint64_t size);
/* Whether the allocation has a region of its own (pages may be moved into it). */
static inline int heap_ref_dedicated(const struct vidmm_heap_ref *ref)
{
    return ref->arena && ref->arena->dedicated;
}
/* Whether the range was never handed out before (zero since it was
 * committed, or since the arena was reset): a dedicated region always is. */
static inline int heap_ref_fresh(const struct vidmm_heap_ref *ref)
{
    if (!ref->arena) return 0;
    if (ref->arena->bits) return ref->u.page & 1;
    return ref->u.block ? ref->u.block->fresh : 1;
}
/* The address heap_alloc returned for ref; NULL for an empty ref.  Owners
 * keep the ref only, not the pointer too (8 bytes of every allocation). */
static inline uint8_t *heap_ref_address(const struct vidmm_heap_ref *ref)
{
    if (!ref->arena) return NULL;
    if (ref->arena->bits) return ref->arena->base + (uint64_t)(ref->u.page >> 1) * VIDMM_PAGE_SIZE;
    return ref->u.block ? ref->arena->base + ref->u.block->offset * VIDMM_PAGE_SIZE : ref->arena->base;
}
/* Checks the invariants; 0 when consistent (for tests). */
int heap_check(const struct vidmm_heap *heap);

#endif
