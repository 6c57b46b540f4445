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
 * The state of a sync object or keyed mutex shared between processes, as
 * sync.c and keyed_mutex.c reach it (private/vidmm_sync.h, "state in a
 * share file"): fence values by atomic operations, a keyed mutex's slot
 * lock, who holds the object and how to tell them of a change.
 *
 * The slot lock comes after the sync lock and is held for a few hundred
 * instructions, never across a sleep.  Every holder in this process holds
 * the sync lock too, so only another process can contend: it spins and
 * yields, and after about a millisecond asks whether the holder's process
 * is still alive (a process killed inside leaves the word set).
 */
#if 0
#pragma makedep unix
#endif
#include <sched.h>
#include <string.h>

#include "sync_private.h"
#include "private/vidmm_system.h"

uint64_t fence_value_of(const struct sync_core *core)
{
    return __atomic_load_n(&core->fence->value, __ATOMIC_ACQUIRE);
}

static uint64_t sync_self_bit(const struct vidmm_sync *s)
{
    return s->self_slot < VIDMM_SYSTEM_SLOTS ? 1ull << s->self_slot : 0;
}

static uint64_t *openers_of(struct sync_core *core)
{
    return core->ss ? &core->ss->openers : &core->skm->openers;
}

/* ---- the keyed mutex's slot lock ---- */

static uint32_t my_token(const struct vidmm_sync *s)
{
    /* 0x7f names no slot: a process outside the system view is never taken over. */
    if (s->self_slot >= VIDMM_SYSTEM_SLOTS) return 0x7f;
    return (s->self_slot + 1) | (s->self_generation << 7);
}

static int token_dead(struct vidmm *mm, uint32_t token)
{
    uint32_t slot = (token & 0x7f) - 1, gen;

    if (slot >= VIDMM_SYSTEM_SLOTS) return 0;
    gen = vidmm_system_generation(mm, slot);
    return !gen || ((gen << 7) >> 7) != token >> 7;
}

void km_lock(struct vidmm *mm, struct sync_core *core)
{
    struct vidmm_shared_keyed_mutex *skm = core->skm;
    uint32_t token, cur;
    unsigned int spins = 0;

    if (!skm) return;
    vidmm_assert_held(&mm->sync->lock);
    token = my_token(mm->sync);
    for (;;)
    {
        cur = 0;
        if (__atomic_compare_exchange_n(&skm->lock, &cur, token, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) return;
        if (++spins < 64) continue;
        sched_yield();
        if (spins % 1024) continue;
        /* Held this long: its holder may have been killed inside. */
        if (token_dead(mm, cur)
            && __atomic_compare_exchange_n(&skm->lock, &cur, token, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
            return;
    }
}

void km_unlock(struct sync_core *core)
{
    if (core->skm) __atomic_store_n(&core->skm->lock, 0, __ATOMIC_RELEASE);
}

/* ---- telling the others ---- */

void sync_shared_ring(struct vidmm *mm, struct vidmm_sync *s, struct sync_core *core)
{
    uint64_t mask;

    if (!core->file) return;
    mask = __atomic_load_n(openers_of(core), __ATOMIC_ACQUIRE) & ~sync_self_bit(s);
    if (mask) vidmm_system_ring(mm, mask);
}

void sync_shared_join(struct vidmm_sync *s, struct sync_core *core)
{
    list_add_tail(&s->shared, &core->shared_entry);
    __atomic_fetch_or(openers_of(core), sync_self_bit(s), __ATOMIC_ACQ_REL);
}

void sync_shared_leave(struct vidmm *mm, struct vidmm_sync *s, struct sync_core *core)
{
    vidmm_assert_held(&s->lock);
    if (!core->file || list_empty(&core->shared_entry)) return;
    list_remove(&core->shared_entry);
    list_init(&core->shared_entry);
    __atomic_fetch_and(openers_of(core), ~sync_self_bit(s), __ATOMIC_ACQ_REL);
}

/* ---- the slots of a share file ---- */

struct vidmm_shared_sync *sync_slot(struct vidmm_share_file *file)
{
    return (struct vidmm_shared_sync *)(file->view + VIDMM_SHARE_SYNC_SLOT);
}

struct vidmm_shared_keyed_mutex *km_slot(struct vidmm_share_file *file)
{
    return (struct vidmm_shared_keyed_mutex *)(file->view + VIDMM_SHARE_MUTEX_SLOT);
}

uint64_t sync_new_id(struct vidmm_sync *s)
{
    /* Unique among live processes: this process' slot and generation, and a count. */
    return ((uint64_t)(s->self_slot + 1) << 56) ^ ((uint64_t)s->self_generation << 32) ^ ++s->next_shared_id;
}

void sync_fill_slot(struct vidmm_sync *s, struct sync_core *core, struct vidmm_shared_sync *ss)
{
    memset(ss, 0, sizeof(*ss));
    ss->magic = VIDMM_SHARED_SYNC_MAGIC;
    ss->type = core->type;
    ss->flags = core->flags;
    ss->initial_state = core->initial_state;
    ss->max_count = core->max_count;
    ss->initial_count = core->initial_count;
    ss->fence_value = core->fence_value;
    ss->id = sync_new_id(s);
    if (core->fence)
    {
        ss->fence.value = fence_value_of(core);
        ss->fence.signals = core->fence->signals;
        /* The application keeps the address it has: the local page now
         * shows a copy, kept up to date by every change this process sees. */
        if (!core->fence_pub) core->fence_pub = &core->fence_local->value;
        core->fence = &ss->fence;
    }
}


/* Moves a keyed mutex's state and private data into skm; sync lock held,
 * private_size at most VIDMM_SHARED_KM_PRIVATE_MAX. */
void km_fill_slot(struct vidmm_sync *s, struct sync_core *core, struct vidmm_shared_keyed_mutex *skm)
{
    memset(skm, 0, sizeof(*skm));
    skm->magic = VIDMM_SHARED_KM_MAGIC;
    skm->id = sync_new_id(s);
    skm->km = *core->km;
    skm->km.waiters = 0;
    skm->owner_slot = s->self_slot;
    skm->owner_generation = s->self_generation;
    skm->private_size = core->private_size;
    if (core->private_size) memcpy(skm->private_data, core->private_data, core->private_size);
    vidmm_free(core->private_data);
    core->private_data = NULL;
    core->private_size = 0;
    core->skm = skm;
    core->km = &skm->km;
}
