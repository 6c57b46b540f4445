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
 * The manager's half of the Lock fast path (protocol: vidmm_fastlock.h):
 * arming and disarming an allocation's slot.  The table's memory is the PE
 * side's (VirtualAlloc'ed, so ordinary memory of the Wine process); the
 * manager only writes into it, and it outlives the manager.
 *
 * alloc->fast_slot says whether an allocation owns its handle's slot
 * (claimed at its first arming, given back when its handle goes: the slot
 * is found from the handle, vidmm_fastlock_slot_of, so only a flag is
 * kept); alloc->lock guards it and the
 * FAST bit's changes by the manager.  A slot another allocation owns is left
 * alone: that allocation simply keeps the Unix path.
 */
#if 0
#pragma makedep unix
#endif
#include "vidmm_private.h"

NTSTATUS vidmm_set_fastlock_table(struct vidmm *mm, struct vidmm_fastlock_table *table)
{
    if (!table || ((uintptr_t)table & 63) || table->slot_bits != VIDMM_FASTLOCK_SLOT_BITS)
        return STATUS_INVALID_PARAMETER;
    if (mm->fast || handle_table_count(&mm->table, VIDMM_OBJECT_ADAPTER)) return STATUS_INVALID_PARAMETER;
    mm->fast = table;
    return STATUS_SUCCESS;
}

struct vidmm_fastlock_table *vidmm_fastlock_table(struct vidmm *mm)
{
    return mm->fast;
}

void fastlock_disable(struct vidmm *mm)
{
    if (mm->fast) __atomic_store_n(&mm->fast->disabled, 1, __ATOMIC_SEQ_CST);
}

/* The slot alloc owns, NULL if none. */
static struct vidmm_fastlock_slot *owned_slot(const struct vidmm_allocation *alloc)
{
    return alloc->fast_slot ? vidmm_fastlock_slot_of(alloc_gpu(alloc)->fast, alloc->obj.handle) : NULL;
}

void fastlock_disarm(struct vidmm_allocation *alloc)
{
    struct vidmm_fastlock_slot *slot = owned_slot(alloc);
    uint64_t old;

    vidmm_assert_held(&alloc->lock);
    if (!slot || !(__atomic_load_n(&slot->word, __ATOMIC_RELAXED) & VIDMM_FASTLOCK_FAST)) return;
    /* From here no fast lock or unlock can change the word: the count is ours. */
    old = __atomic_fetch_and(&slot->word, ~(VIDMM_FASTLOCK_FAST | VIDMM_FASTLOCK_USED), __ATOMIC_ACQ_REL);
    /* The address stays the slot's: an armed allocation did not move. */
    alloc->lock_count = (uint32_t)(old & VIDMM_FASTLOCK_COUNT_MASK);
    if (old & VIDMM_FASTLOCK_USED) alloc_mark_used(alloc);
}

void fastlock_arm(struct vidmm *mm, struct vidmm_allocation *alloc, uint8_t *address)
{
    uint32_t handle = alloc->obj.handle, device_index = alloc_device(alloc)->fast_index;
    struct vidmm_fastlock_table *fast = alloc_gpu(alloc)->fast;
    struct vidmm_fastlock_slot *slot;

    vidmm_assert_held(&alloc->lock);
    /* The GPU's copy of mm->fast: the one owned_slot looks in. */
    if (!fast || __atomic_load_n(&fast->disabled, __ATOMIC_RELAXED) || !address || !device_index) return;
    if (!vidmm_fastlock_local_handle(handle) || alloc->lock_count > VIDMM_FASTLOCK_MAX_COUNT
        || !vidmm_fastlock_address_ok((uintptr_t)address))
        return;
    slot = vidmm_fastlock_slot_of(fast, handle);
    if (!alloc->fast_slot)
    {
        uint64_t expected = 0;

        if (!__atomic_compare_exchange_n(&slot->word, &expected, vidmm_fastlock_owner(handle), 0, __ATOMIC_ACQ_REL,
                                         __ATOMIC_RELAXED))
            return;   /* another's */
        alloc->fast_slot = 1;
    }
    /* FAST is clear: only we write the word now. */
    __atomic_store_n(&slot->word, vidmm_fastlock_word(handle, (uintptr_t)address, device_index, alloc->lock_count),
                     __ATOMIC_RELEASE);
}

/* Arms the fast path (vidmm_fastlock.h) when the next locks and unlocks
 * need nothing of the manager: no first-lock work of lock.c's lock_locked
 * (clearing, an aperture, an eviction), none of unlock_last's (a restore or
 * an unpark due), and an address that only an alloc_lock'ed change can
 * move.  Not with fault injection, which must see every Lock. */
void fastlock_arm_if_idle(struct vidmm *mm, struct vidmm_allocation *alloc, uint8_t *address)
{
    vidmm_assert_held(&alloc->lock);
    if (mm->faults || alloc->dead || alloc->offered || alloc->extended || alloc->orphaned || alloc->aperture
        || alloc->wants_restore || !alloc->written || alloc->paging != VIDMM_PAGING_NONE
        || atomic_load_explicit(&alloc->parked, memory_order_relaxed))
        return;
    if (alloc->location == VIDMM_LOC_NONE) return;
    if (alloc->location == VIDMM_LOC_LOCAL && ((alloc->desc_flags & D3DKMT_WINE_ALLOC_FLAG_SWIZZLED)
                                               || !(alloc->desc_flags & D3DKMT_WINE_ALLOC_FLAG_CPU_VISIBLE)))
        return;
    fastlock_arm(mm, alloc, address);
}

void fastlock_release(struct vidmm_allocation *alloc)
{
    struct vidmm_fastlock_slot *slot = owned_slot(alloc);

    vidmm_assert_held(&alloc->lock);
    if (!slot) return;
    fastlock_disarm(alloc);
    __atomic_store_n(&slot->word, 0, __ATOMIC_RELEASE);
    alloc->fast_slot = 0;
}

uint32_t fastlock_count(const struct vidmm_allocation *alloc)
{
    struct vidmm_fastlock_slot *slot = owned_slot(alloc);
    uint64_t w;

    vidmm_assert_held(&((struct vidmm_allocation *)alloc)->lock);
    if (slot && ((w = __atomic_load_n(&slot->word, __ATOMIC_ACQUIRE)) & VIDMM_FASTLOCK_FAST))
        return (uint32_t)(w & VIDMM_FASTLOCK_COUNT_MASK);
    return alloc->lock_count;
}

/* The device's index in the table's device list, taken at its creation
 * (before its handle is returned, so before any of its allocations is
 * armed).  With all 127 taken it has none and its allocations keep the
 * Unix path. */
void fastlock_device_born(struct vidmm *mm, struct vidmm_device *device)
{
    uint32_t i, expected;

    if (!mm->fast) return;
    for (i = 1; i < VIDMM_FASTLOCK_DEVICES; i++)
    {
        expected = 0;
        if (__atomic_compare_exchange_n(&mm->fast->devices[i], &expected, device->obj.handle, 0, __ATOMIC_ACQ_REL,
                                        __ATOMIC_RELAXED))
        {
            device->fast_index = (uint8_t)i;
            return;
        }
    }
}

/* After device_teardown destroyed every allocation of the device (and so
 * gave back their slots): no word names the index any more. */
void fastlock_device_gone(struct vidmm *mm, struct vidmm_device *device)
{
    if (!mm->fast || !device->fast_index) return;
    __atomic_store_n(&mm->fast->devices[device->fast_index], 0, __ATOMIC_RELEASE);
    device->fast_index = 0;
}

_Static_assert(VIDMM_FASTLOCK_LOCK_FLAGS == (VIDMM_LOCK_READ_ONLY | VIDMM_LOCK_WRITE_ONLY | VIDMM_LOCK_DONOT_WAIT
                                             | VIDMM_LOCK_IGNORE_SYNC | VIDMM_LOCK_ENTIRE | VIDMM_LOCK_DONOT_EVICT
                                             | VIDMM_LOCK_DISCARD | VIDMM_LOCK_NO_EXISTING_REF
                                             | VIDMM_LOCK_IGNORE_READ_SYNC),
               "the fast path's flags are vidmm.h's");
_Static_assert(VIDMM_FASTLOCK_MAX_COUNT < D3DKMT_WINE_MAX_LOCK_REFERENCES, "the Unix side refuses at the limit");
