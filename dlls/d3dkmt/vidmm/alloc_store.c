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
 * Where allocation objects live: two slabs, one of plain allocations and
 * one of extended ones, and the lists that link them by slab index.
 *
 * An index is what a list link holds, so the lists (device or resource,
 * LRU, paging jobs) cost 8 bytes an allocation each instead of 16.  A list
 * is guarded by the lock its head's comment names; these functions take
 * none themselves.
 */
#if 0
#pragma makedep unix
#endif
#include "vidmm_private.h"

/* Items per chunk: 480 KiB of plain allocations, 320 KiB of extended ones. */
#define PLAIN_CHUNK_BITS 12u
#define EXT_CHUNK_BITS   11u

/* Every index fits its slab with the kind bit free. */
_Static_assert(((uint64_t)VIDMM_SLAB_MAX_CHUNKS << PLAIN_CHUNK_BITS) <= VIDMM_ALLOC_INDEX_EXT, "plain indices");
_Static_assert(((uint64_t)VIDMM_SLAB_MAX_CHUNKS << EXT_CHUNK_BITS) <= VIDMM_ALLOC_INDEX_EXT, "extended indices");

void alloc_store_init(struct vidmm_alloc_store *store)
{
    vidmm_slab_init(&store->plain, sizeof(struct vidmm_allocation), PLAIN_CHUNK_BITS);
    vidmm_slab_init(&store->ext, sizeof(struct vidmm_allocation_ext), EXT_CHUNK_BITS);
}

void alloc_store_cleanup(struct vidmm_alloc_store *store)
{
    vidmm_slab_cleanup(&store->plain);
    vidmm_slab_cleanup(&store->ext);
}

struct vidmm_allocation *alloc_store_new(struct vidmm_alloc_store *store, int extended)
{
    struct vidmm_allocation *alloc;
    uint32_t index;

    if (!(alloc = vidmm_slab_alloc(extended ? &store->ext : &store->plain, &index))) return NULL;
    alloc->self = extended ? index | VIDMM_ALLOC_INDEX_EXT : index;
    alloc->extended = !!extended;
    ilink_init(&alloc->entry);
    ilink_init(&alloc->lru);
    ilink_init(&alloc->job);
    return alloc;
}

void alloc_store_free(struct vidmm_alloc_store *store, struct vidmm_allocation *alloc)
{
    if (alloc->self & VIDMM_ALLOC_INDEX_EXT) vidmm_slab_free(&store->ext, alloc->self & ~VIDMM_ALLOC_INDEX_EXT);
    else vidmm_slab_free(&store->plain, alloc->self);
}

uint32_t alloc_store_live(struct vidmm_alloc_store *store)
{
    return vidmm_slab_live(&store->plain) + vidmm_slab_live(&store->ext);
}

uint64_t alloc_store_bytes(struct vidmm_alloc_store *store)
{
    return vidmm_slab_bytes(&store->plain) + vidmm_slab_bytes(&store->ext);
}

static struct vidmm_allocation *get(const struct vidmm_alloc_store *store, uint32_t index)
{
    if (!index) return NULL;
    if (index & VIDMM_ALLOC_INDEX_EXT) return vidmm_slab_item(&store->ext, index & ~VIDMM_ALLOC_INDEX_EXT);
    return vidmm_slab_item(&store->plain, index);
}

static struct vidmm_ilink *link_of(struct vidmm_allocation *alloc, size_t link)
{
    return (struct vidmm_ilink *)((char *)alloc + link);
}

void ilist_add_tail(const struct vidmm_alloc_store *store, struct vidmm_ilist *list,
                    struct vidmm_allocation *alloc, size_t link)
{
    struct vidmm_ilink *l = link_of(alloc, link);

    l->prev = list->last;
    l->next = 0;
    if (list->last) link_of(get(store, list->last), link)->next = alloc->self;
    else list->first = alloc->self;
    list->last = alloc->self;
}

void ilist_remove(const struct vidmm_alloc_store *store, struct vidmm_ilist *list,
                  struct vidmm_allocation *alloc, size_t link)
{
    struct vidmm_ilink *l = link_of(alloc, link);

    if (!ilink_linked(l)) return;   /* as list_remove() of an unlinked entry */
    if (l->prev) link_of(get(store, l->prev), link)->next = l->next;
    else list->first = l->next;
    if (l->next) link_of(get(store, l->next), link)->prev = l->prev;
    else list->last = l->prev;
    ilink_init(l);
}

struct vidmm_allocation *ilist_first(const struct vidmm_alloc_store *store, const struct vidmm_ilist *list)
{
    return get(store, list->first);
}

struct vidmm_allocation *ilist_next(const struct vidmm_alloc_store *store, struct vidmm_allocation *alloc,
                                    size_t link)
{
    return get(store, link_of(alloc, link)->next);
}
