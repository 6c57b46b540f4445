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
 * The system-memory heap (see vidmm_heap.h).
 */
#if 0
#pragma makedep unix
#endif
#include <string.h>

#include "private/vidmm_heap.h"
#include "private/vidmm_alloc.h"

#define PAGE VIDMM_PAGE_SIZE

void heap_init(struct vidmm_heap *heap, const struct vidmm_memory_ops *ops, uint64_t arena_size,
               uint64_t dedicated_min)
{
    memset(heap, 0, sizeof(*heap));
    heap->ops = ops;
    heap->arena_size = arena_size ? arena_size : VIDMM_HEAP_ARENA_SIZE;
    /* Whole words of a page arena's bits. */
    heap->arena_size = (heap->arena_size + 64 * PAGE - 1) & ~(64 * PAGE - 1);
    heap->dedicated_min = dedicated_min ? dedicated_min : VIDMM_HEAP_DEDICATED_MIN;
    if (heap->dedicated_min > heap->arena_size) heap->dedicated_min = heap->arena_size;
}

void heap_clear(const struct vidmm_memory_ops *ops, void *ptr, uint64_t size)
{
    if (size >= VIDMM_HEAP_RESET_MIN && ops->reset) ops->reset(ops->ctx, ptr, size);
    else memset(ptr, 0, size);
}

enum arena_kind { ARENA_RANGES, ARENA_PAGES, ARENA_DEDICATED };

/* The list an arena of that kind is in (dedicated regions are in none). */
static struct vidmm_heap_arena **list_of(struct vidmm_heap *heap, const struct vidmm_heap_arena *arena)
{
    return arena->bits ? &heap->page_arenas : &heap->arenas;
}

static void link_front(struct vidmm_heap *heap, struct vidmm_heap_arena *arena)
{
    struct vidmm_heap_arena **list = list_of(heap, arena);

    arena->prev = NULL;
    arena->next = *list;
    if (*list) (*list)->prev = arena;
    *list = arena;
}

static void unlink_arena(struct vidmm_heap *heap, struct vidmm_heap_arena *arena)
{
    if (arena->prev) arena->prev->next = arena->next;
    else *list_of(heap, arena) = arena->next;
    if (arena->next) arena->next->prev = arena->prev;
    arena->prev = arena->next = NULL;
}

static uint32_t page_words(uint64_t size)
{
    return (uint32_t)((size / PAGE + 63) / 64);
}

/* Reserved and committed at once: one mapping for its whole life. */
static struct vidmm_heap_arena *arena_create(struct vidmm_heap *heap, uint64_t size, enum arena_kind kind,
                                             int *no_memory)
{
    const struct vidmm_memory_ops *ops = heap->ops;
    struct vidmm_heap_arena *arena;

    *no_memory = 1;
    if (!(arena = vidmm_calloc(1, sizeof(*arena)))) return NULL;
    if (kind == ARENA_RANGES && range_alloc_init(&arena->ra, size / PAGE)) goto failed;
    if (kind == ARENA_PAGES)
    {
        if (!(arena->bits = vidmm_calloc(page_words(size), sizeof(*arena->bits)))) goto failed;
        arena->pages_free = (uint32_t)(size / PAGE);
    }
    *no_memory = 0;
    if (!(arena->base = ops->reserve(ops->ctx, size))) goto failed;
    if (ops->commit(ops->ctx, arena->base, size))
    {
        ops->release(ops->ctx, arena->base, size);
        goto failed;
    }
    /* Only regions of one large allocation: in a shared arena large pages
     * would make every scattered small allocation cost 2 MiB. */
    if (kind == ARENA_DEDICATED && ops->advise_large) ops->advise_large(ops->ctx, arena->base, size);
    arena->size = size;
    arena->dedicated = kind == ARENA_DEDICATED;
    return arena;

failed:
    range_alloc_cleanup(&arena->ra);
    vidmm_free(arena->bits);
    vidmm_free(arena);
    return NULL;
}

static void arena_destroy(struct vidmm_heap *heap, struct vidmm_heap_arena *arena)
{
    heap->ops->release(heap->ops->ctx, arena->base, arena->size);
    range_alloc_cleanup(&arena->ra);
    vidmm_free(arena->bits);
    vidmm_free(arena);
}

static void *alloc_dedicated(struct vidmm_heap *heap, uint64_t size, struct vidmm_heap_ref *ref, int *no_memory)
{
    struct vidmm_heap_arena *arena;

    if (!(arena = arena_create(heap, size, ARENA_DEDICATED, no_memory))) return NULL;
    heap->dedicated_count++;
    heap->allocated += size;
    ref->arena = arena;
    ref->u.block = NULL;
    return arena->base;
}

/* The arena with room goes first, so the next search is short. */
static void took_from(struct vidmm_heap *heap, struct vidmm_heap_arena *arena, uint64_t size,
                      struct vidmm_heap_ref *ref)
{
    if (arena == heap->spare) heap->spare = NULL;
    if (arena == heap->page_spare) heap->page_spare = NULL;
    if (*list_of(heap, arena) != arena)
    {
        unlink_arena(heap, arena);
        link_front(heap, arena);
    }
    heap->allocated += size;
    ref->arena = arena;
}

static void *alloc_in(struct vidmm_heap *heap, struct vidmm_heap_arena *arena, uint64_t size,
                      struct vidmm_heap_ref *ref, int *no_memory)
{
    struct range_block *block;

    if (!(block = range_alloc(&arena->ra, size / PAGE, 1, no_memory))) return NULL;
    took_from(heap, arena, size, ref);
    ref->u.block = block;
    return arena->base + block->offset * PAGE;
}

/* One page of a page arena with a free one: the first clear bit from the hint. */
static void *page_in(struct vidmm_heap *heap, struct vidmm_heap_arena *arena, struct vidmm_heap_ref *ref)
{
    uint32_t words = page_words(arena->size), w = arena->hint, page;

    while (w < words && !~arena->bits[w]) w++;
    arena->hint = w;
    page = w * 64 + __builtin_ctzll(~arena->bits[w]);
    arena->bits[w] |= 1ull << (page % 64);
    arena->pages_free--;
    took_from(heap, arena, PAGE, ref);
    /* Fresh: never handed out since the arena was made or reset. */
    ref->u.page = (uintptr_t)page << 1 | (page >= arena->high_water);
    if (page >= arena->high_water) arena->high_water = page + 1;
    return arena->base + (uint64_t)page * PAGE;
}

static void *alloc_page(struct vidmm_heap *heap, struct vidmm_heap_ref *ref, int *no_memory)
{
    struct vidmm_heap_arena *arena;

    for (arena = heap->page_arenas; arena; arena = arena->next)
        if (arena->pages_free) return page_in(heap, arena, ref);
    if (!(arena = arena_create(heap, heap->arena_size, ARENA_PAGES, no_memory))) return NULL;
    link_front(heap, arena);
    heap->arena_count++;
    return page_in(heap, arena, ref);
}

void *heap_alloc(struct vidmm_heap *heap, uint64_t size, struct vidmm_heap_ref *ref, int *no_memory)
{
    struct vidmm_heap_arena *arena;
    void *ptr;

    *no_memory = 0;
    if (!size || size % PAGE) return NULL;
    if (size >= heap->dedicated_min) return alloc_dedicated(heap, size, ref, no_memory);
    if (size == PAGE) return alloc_page(heap, ref, no_memory);
    for (arena = heap->arenas; arena; arena = arena->next)
    {
        if (arena->ra.free_pages < size / PAGE) continue;
        if ((ptr = alloc_in(heap, arena, size, ref, no_memory))) return ptr;
        if (*no_memory) return NULL;
    }
    if (!(arena = arena_create(heap, heap->arena_size, ARENA_RANGES, no_memory))) return NULL;
    link_front(heap, arena);
    heap->arena_count++;
    if ((ptr = alloc_in(heap, arena, size, ref, no_memory))) return ptr;
    /* Only bookkeeping can fail in a fresh arena: leave nothing behind. */
    unlink_arena(heap, arena);
    heap->arena_count--;
    arena_destroy(heap, arena);
    return NULL;
}

static int arena_empty(const struct vidmm_heap_arena *arena)
{
    return arena->bits ? arena->pages_free == arena->size / PAGE : !arena->ra.used_blocks;
}

/* An empty arena: kept as its kind's spare, or given back. */
static void arena_emptied(struct vidmm_heap *heap, struct vidmm_heap_arena *arena)
{
    struct vidmm_heap_arena **spare = arena->bits ? &heap->page_spare : &heap->spare;

    if (!*spare)
    {
        /* Kept, but its memory goes back to the system: an arena that was
         * full once must not stay resident while nothing uses it. */
        if (heap->ops->reset)
        {
            heap->ops->reset(heap->ops->ctx, arena->base, arena->size);
            range_alloc_forget_use(&arena->ra);   /* all zero again */
            arena->high_water = 0;
        }
        *spare = arena;
        return;
    }
    unlink_arena(heap, arena);
    heap->arena_count--;
    arena_destroy(heap, arena);
}

void heap_free(struct vidmm_heap *heap, void *ptr, uint64_t size, const struct vidmm_heap_ref *ref)
{
    struct vidmm_heap_arena *arena = ref->arena;

    if (!arena) return;
    heap->allocated -= size;
    if (arena->dedicated)
    {
        heap->dedicated_count--;
        arena_destroy(heap, arena);
        return;
    }
    if (arena->bits)
    {
        uint32_t page = (uint32_t)(ref->u.page >> 1);

        arena->bits[page / 64] &= ~(1ull << (page % 64));
        arena->pages_free++;
        if (page / 64 < arena->hint) arena->hint = page / 64;
    }
    else range_free(&arena->ra, ref->u.block);
    if (arena_empty(arena)) arena_emptied(heap, arena);
}

static void destroy_list(struct vidmm_heap *heap, struct vidmm_heap_arena *arena)
{
    struct vidmm_heap_arena *next;

    for (; arena; arena = next)
    {
        next = arena->next;
        arena_destroy(heap, arena);
    }
}

void heap_cleanup(struct vidmm_heap *heap)
{
    destroy_list(heap, heap->arenas);
    destroy_list(heap, heap->page_arenas);
    heap->arenas = heap->spare = heap->page_arenas = heap->page_spare = NULL;
    heap->arena_count = 0;
}

/* Pages a page arena hands out, counted from its bits; -1 if inconsistent. */
static int64_t page_arena_used(const struct vidmm_heap_arena *arena)
{
    uint32_t words = page_words(arena->size), w;
    int64_t used = 0;

    for (w = 0; w < words; w++)
    {
        if (w < arena->hint && ~arena->bits[w]) return -1;
        used += __builtin_popcountll(arena->bits[w]);
    }
    if (used + arena->pages_free != (int64_t)(arena->size / PAGE) || arena->high_water > arena->size / PAGE)
        return -1;
    return used;
}

/* One list's invariants: its arenas, their use, at most one empty (the spare). */
static int check_list(const struct vidmm_heap *heap, const struct vidmm_heap_arena *first, int pages,
                      const struct vidmm_heap_arena *spare, uint64_t *used, uint32_t *count)
{
    const struct vidmm_heap_arena *arena, *prev = NULL;
    uint32_t empty = 0;
    int64_t pages_used;

    for (arena = first; arena; prev = arena, arena = arena->next)
    {
        if (arena->prev != prev || arena->dedicated || arena->size != heap->arena_size || !arena->bits != !pages)
            return -1;
        if (pages)
        {
            if ((pages_used = page_arena_used(arena)) < 0) return -2;
            *used += pages_used * PAGE;
        }
        else
        {
            if (range_alloc_check(&arena->ra)) return -2;
            *used += (arena->ra.size - arena->ra.free_pages) * PAGE;
        }
        if (arena_empty(arena)) empty++;
        (*count)++;
    }
    if (empty > 1 || (empty && (!spare || !arena_empty(spare))) || (!empty && spare)) return -3;
    return 0;
}

int heap_check(const struct vidmm_heap *heap)
{
    uint64_t used = 0;
    uint32_t count = 0;
    int ret;

    if ((ret = check_list(heap, heap->arenas, 0, heap->spare, &used, &count))) return ret;
    if ((ret = check_list(heap, heap->page_arenas, 1, heap->page_spare, &used, &count))) return ret;
    if (count != heap->arena_count) return -3;
    if (used > heap->allocated) return -4;
    return 0;
}
