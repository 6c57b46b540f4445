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
    heap->dedicated_min = dedicated_min ? dedicated_min : VIDMM_HEAP_DEDICATED_MIN;
    if (heap->dedicated_min > heap->arena_size) heap->dedicated_min = heap->arena_size;
}

void heap_clear(const struct vidmm_memory_ops *ops, void *ptr, uint64_t size)
{
    if (size >= VIDMM_HEAP_RESET_MIN && ops->reset) ops->reset(ops->ctx, ptr, size);
    else memset(ptr, 0, size);
}

static void link_front(struct vidmm_heap *heap, struct vidmm_heap_arena *arena)
{
    arena->prev = NULL;
    arena->next = heap->arenas;
    if (heap->arenas) heap->arenas->prev = arena;
    heap->arenas = arena;
}

static void unlink_arena(struct vidmm_heap *heap, struct vidmm_heap_arena *arena)
{
    if (arena->prev) arena->prev->next = arena->next;
    else heap->arenas = arena->next;
    if (arena->next) arena->next->prev = arena->prev;
    arena->prev = arena->next = NULL;
}

/* Reserved and committed at once: one mapping for its whole life. */
static struct vidmm_heap_arena *arena_create(struct vidmm_heap *heap, uint64_t size, int dedicated, int *no_memory)
{
    const struct vidmm_memory_ops *ops = heap->ops;
    struct vidmm_heap_arena *arena;

    *no_memory = 1;
    if (!(arena = vidmm_calloc(1, sizeof(*arena)))) return NULL;
    if (!dedicated && range_alloc_init(&arena->ra, size / PAGE)) goto failed;
    *no_memory = 0;
    if (!(arena->base = ops->reserve(ops->ctx, size))) goto failed;
    if (ops->commit(ops->ctx, arena->base, size))
    {
        ops->release(ops->ctx, arena->base, size);
        goto failed;
    }
    /* Only regions of one large allocation: in a shared arena large pages
     * would make every scattered small allocation cost 2 MiB. */
    if (dedicated && ops->advise_large) ops->advise_large(ops->ctx, arena->base, size);
    arena->size = size;
    arena->dedicated = dedicated;
    return arena;

failed:
    range_alloc_cleanup(&arena->ra);
    vidmm_free(arena);
    return NULL;
}

static void arena_destroy(struct vidmm_heap *heap, struct vidmm_heap_arena *arena)
{
    heap->ops->release(heap->ops->ctx, arena->base, arena->size);
    range_alloc_cleanup(&arena->ra);
    vidmm_free(arena);
}

static void *alloc_dedicated(struct vidmm_heap *heap, uint64_t size, struct vidmm_heap_ref *ref, int *no_memory)
{
    struct vidmm_heap_arena *arena;

    if (!(arena = arena_create(heap, size, 1, no_memory))) return NULL;
    heap->dedicated_count++;
    heap->allocated += size;
    ref->arena = arena;
    ref->block = NULL;
    return arena->base;
}

static void *alloc_in(struct vidmm_heap *heap, struct vidmm_heap_arena *arena, uint64_t size,
                      struct vidmm_heap_ref *ref, int *no_memory)
{
    struct range_block *block;

    if (!(block = range_alloc(&arena->ra, size / PAGE, 1, no_memory))) return NULL;
    if (arena == heap->spare) heap->spare = NULL;
    /* The arena with room goes first, so the next search is short. */
    if (heap->arenas != arena)
    {
        unlink_arena(heap, arena);
        link_front(heap, arena);
    }
    heap->allocated += size;
    ref->arena = arena;
    ref->block = block;
    return arena->base + block->offset * PAGE;
}

void *heap_alloc(struct vidmm_heap *heap, uint64_t size, struct vidmm_heap_ref *ref, int *no_memory)
{
    struct vidmm_heap_arena *arena;
    void *ptr;

    *no_memory = 0;
    if (!size || size % PAGE) return NULL;
    if (size >= heap->dedicated_min) return alloc_dedicated(heap, size, ref, no_memory);
    for (arena = heap->arenas; arena; arena = arena->next)
    {
        if (arena->ra.free_pages < size / PAGE) continue;
        if ((ptr = alloc_in(heap, arena, size, ref, no_memory))) return ptr;
        if (*no_memory) return NULL;
    }
    if (!(arena = arena_create(heap, heap->arena_size, 0, no_memory))) return NULL;
    link_front(heap, arena);
    heap->arena_count++;
    if ((ptr = alloc_in(heap, arena, size, ref, no_memory))) return ptr;
    /* Only bookkeeping can fail in a fresh arena: leave nothing behind. */
    unlink_arena(heap, arena);
    heap->arena_count--;
    arena_destroy(heap, arena);
    return NULL;
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
    range_free(&arena->ra, ref->block);
    if (arena->ra.used_blocks) return;
    /* Empty: keep one as the spare, give any other back. */
    if (!heap->spare)
    {
        /* Kept, but its memory goes back to the system: an arena that was
         * full once must not stay resident while nothing uses it. */
        if (heap->ops->reset)
        {
            heap->ops->reset(heap->ops->ctx, arena->base, arena->size);
            range_alloc_forget_use(&arena->ra);   /* all zero again */
        }
        heap->spare = arena;
        return;
    }
    unlink_arena(heap, arena);
    heap->arena_count--;
    arena_destroy(heap, arena);
}

void heap_cleanup(struct vidmm_heap *heap)
{
    struct vidmm_heap_arena *arena, *next;

    for (arena = heap->arenas; arena; arena = next)
    {
        next = arena->next;
        arena_destroy(heap, arena);
    }
    heap->arenas = heap->spare = NULL;
    heap->arena_count = 0;
}

int heap_check(const struct vidmm_heap *heap)
{
    const struct vidmm_heap_arena *arena, *prev = NULL;
    uint64_t used = 0;
    uint32_t count = 0, empty = 0;

    for (arena = heap->arenas; arena; prev = arena, arena = arena->next)
    {
        if (arena->prev != prev || arena->dedicated || arena->size != heap->arena_size) return -1;
        if (range_alloc_check(&arena->ra)) return -2;
        if (!arena->ra.used_blocks) empty++;
        used += (arena->ra.size - arena->ra.free_pages) * PAGE;
        count++;
    }
    if (count != heap->arena_count || empty > 1 || (empty && !heap->spare) || (!empty && heap->spare)) return -3;
    if (used > heap->allocated) return -4;
    return 0;
}
