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
 * Fixed-size items named by 32-bit indices (see vidmm_slab.h).
 */
#if 0
#pragma makedep unix
#endif
#include <string.h>

#include "private/vidmm_slab.h"
#include "private/vidmm_alloc.h"

void vidmm_slab_init(struct vidmm_slab *slab, uint32_t item_size, uint32_t chunk_bits)
{
    memset(slab, 0, sizeof(*slab));
    slab->item_size = (item_size + 7) & ~7u;
    slab->chunk_bits = chunk_bits;
    vidmm_mutex_init(&slab->lock, VIDMM_RANK_SLAB);
}

/* Chunks from `keep` on; slab->lock held or the slab private. */
static void free_chunks(struct vidmm_slab *slab, uint32_t keep)
{
    while (slab->chunk_count > keep)
    {
        vidmm_free(slab->chunks[--slab->chunk_count]);
        slab->chunks[slab->chunk_count] = NULL;
    }
}

void vidmm_slab_cleanup(struct vidmm_slab *slab)
{
    free_chunks(slab, 0);
    vidmm_mutex_destroy(&slab->lock);
}

/* The next never-used index, with a chunk added when it needs one; 0 if none. */
static uint32_t fresh_index(struct vidmm_slab *slab)
{
    uint32_t index = slab->used ? slab->used : 1;   /* index 0 names nothing */
    uint32_t chunk = index >> slab->chunk_bits;

    if (chunk >= VIDMM_SLAB_MAX_CHUNKS) return 0;
    /* Chunk 0 too when index 1 is past it (one item a chunk). */
    while (chunk >= slab->chunk_count)
    {
        uint8_t *mem = vidmm_malloc((size_t)slab->item_size << slab->chunk_bits);

        if (!mem) return 0;
        slab->chunks[slab->chunk_count++] = mem;
    }
    slab->used = index + 1;
    return index;
}

void *vidmm_slab_alloc(struct vidmm_slab *slab, uint32_t *index)
{
    uint32_t found;
    void *item;

    vidmm_mutex_lock(&slab->lock);
    if ((found = slab->free_head)) memcpy(&slab->free_head, vidmm_slab_item(slab, found), sizeof(uint32_t));
    else found = fresh_index(slab);
    if (found) slab->live++;
    vidmm_mutex_unlock(&slab->lock);
    if (!found) return NULL;
    item = vidmm_slab_item(slab, found);
    memset(item, 0, slab->item_size);
    *index = found;
    return item;
}

void vidmm_slab_free(struct vidmm_slab *slab, uint32_t index)
{
    vidmm_mutex_lock(&slab->lock);
    if (!--slab->live)
    {
        /* No index is held anywhere: give back all but the first chunk, so
         * that a slab that empties and fills again does not churn. */
        free_chunks(slab, 1);
        slab->used = 0;
        slab->free_head = 0;
    }
    else
    {
        memcpy(vidmm_slab_item(slab, index), &slab->free_head, sizeof(uint32_t));
        slab->free_head = index;
    }
    vidmm_mutex_unlock(&slab->lock);
}

uint32_t vidmm_slab_live(struct vidmm_slab *slab)
{
    uint32_t live;

    vidmm_mutex_lock(&slab->lock);
    live = slab->live;
    vidmm_mutex_unlock(&slab->lock);
    return live;
}

uint64_t vidmm_slab_bytes(struct vidmm_slab *slab)
{
    uint64_t bytes;

    vidmm_mutex_lock(&slab->lock);
    bytes = (uint64_t)slab->chunk_count * ((uint64_t)slab->item_size << slab->chunk_bits);
    vidmm_mutex_unlock(&slab->lock);
    return bytes;
}
