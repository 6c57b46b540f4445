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
 * A slab of fixed-size items, each named by a 32-bit index (slab.c).
 *
 * A million allocations cost a million objects: in a slab they carry no
 * malloc header, and lists can link them by index in 4 bytes instead of a
 * pointer's 8.  Indices run 1 .. (VIDMM_SLAB_MAX_CHUNKS << chunk_bits) - 1;
 * 0 names nothing.  A chunk is never freed while an item in it lives, so
 * vidmm_slab_item() resolves a live item's index without the slab's lock:
 * whoever holds the index got it after the chunk was in place.
 */
#ifndef VIDMM_SLAB_H
#define VIDMM_SLAB_H

#include <stddef.h>
#include <stdint.h>

#include "private/vidmm_mutex.h"

#define VIDMM_SLAB_MAX_CHUNKS 4096u

struct vidmm_slab
{
    uint32_t item_size;      /* fixed, a multiple of 8 */
    uint32_t chunk_bits;     /* fixed: 1 << chunk_bits items a chunk */
    struct vidmm_mutex lock; /* VIDMM_RANK_SLAB: the fields below; nothing is taken inside it */
    uint32_t used;           /* indices handed out since the slab was last empty (0 is never) */
    uint32_t free_head;      /* the last freed index, 0 if none; a free item holds the next */
    uint32_t live;           /* items handed out and not freed */
    uint32_t chunk_count;    /* chunks[0 .. chunk_count - 1] are allocated */
    uint8_t *chunks[VIDMM_SLAB_MAX_CHUNKS]; /* each set before any of its indices is handed out */
};

void vidmm_slab_init(struct vidmm_slab *slab, uint32_t item_size, uint32_t chunk_bits);
/* Frees the chunks; every item must have been freed. */
void vidmm_slab_cleanup(struct vidmm_slab *slab);
/* A zeroed item and its index; NULL when out of memory or of indices. */
void *vidmm_slab_alloc(struct vidmm_slab *slab, uint32_t *index);
void vidmm_slab_free(struct vidmm_slab *slab, uint32_t index);
uint32_t vidmm_slab_live(struct vidmm_slab *slab);
/* Bytes of chunks the slab holds (for tests and statistics). */
uint64_t vidmm_slab_bytes(struct vidmm_slab *slab);

static inline void *vidmm_slab_item(const struct vidmm_slab *slab, uint32_t index)
{
    return slab->chunks[index >> slab->chunk_bits]
           + (size_t)(index & ((1u << slab->chunk_bits) - 1)) * slab->item_size;
}

#endif /* VIDMM_SLAB_H */
